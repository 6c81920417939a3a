//! Measured criteria: a raw value per option (a cost, a time, tonnes of CO2)
//! and the value function that turns it into a score on the criterion's scale.
//!
//! Four functions are offered, each with its rule written once here and in
//! words in `docs/format.md`:
//! - linear between two reference points: the options' own worst and best
//!   (a local scale) or fixed bounds written in the file;
//! - piecewise linear through given points;
//! - bands ("under £1m scores 5, £1m to £2m scores 4, ...");
//! - relative to the best, the procurement price formula
//!   (score = maximum × lowest price ÷ this price).

use serde::Serialize;

pub use super::error::{RangeError, ValueError};
use crate::numbers::{as_given, score};

/// Which way a measured criterion improves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Better {
    /// More is better (benefits, capacity).
    Higher,
    /// Less is better (cost, time, emissions).
    Lower,
}

impl Better {
    /// The word used in the file and in messages: "higher" or "lower".
    pub fn as_str(self) -> &'static str {
        match self {
            Better::Higher => "higher",
            Better::Lower => "lower",
        }
    }

    /// Whether `a` is at least as good as `b`.
    fn at_least_as_good(self, a: f64, b: f64) -> bool {
        match self {
            Better::Higher => a >= b,
            Better::Lower => a <= b,
        }
    }
}

/// How a band tests a raw value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Comparison {
    /// `raw < limit`.
    Below,
    /// `raw <= limit`.
    UpTo,
    /// `raw > limit`.
    Above,
    /// `raw >= limit`.
    AtLeast,
}

impl Comparison {
    /// The key that writes this test in a file (`below`, `up_to`, ...).
    pub fn key(self) -> &'static str {
        match self {
            Comparison::Below => "below",
            Comparison::UpTo => "up_to",
            Comparison::Above => "above",
            Comparison::AtLeast => "at_least",
        }
    }

    /// The test in words, for derivations ("under", "up to", ...).
    pub fn words(self) -> &'static str {
        match self {
            Comparison::Below => "under",
            Comparison::UpTo => "up to",
            Comparison::Above => "over",
            Comparison::AtLeast => "at least",
        }
    }

    fn holds(self, raw: f64, limit: f64) -> bool {
        match self {
            Comparison::Below => raw < limit,
            Comparison::UpTo => raw <= limit,
            Comparison::Above => raw > limit,
            Comparison::AtLeast => raw >= limit,
        }
    }
}

/// One band: a test on the raw value (none for "any other value") and the
/// score a value passing it gets.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Band {
    /// The test and its limit; `None` matches every value.
    pub test: Option<(Comparison, f64)>,
    /// The score for a value in the band.
    pub score: f64,
}

/// How a raw value becomes a score.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "function", rename_all = "kebab-case")]
pub enum ValueFunction {
    /// Linear from the worst reference point (scale minimum) to the best
    /// (scale maximum). Without bounds the points are the shortlisted
    /// options' own worst and best values (a local scale).
    Linear {
        /// Fixed (worst, best) raw values; values beyond them are held at the ends.
        bounds: Option<(f64, f64)>,
    },
    /// Straight lines through (raw, score) points in increasing raw order;
    /// values beyond the first and last point take their scores.
    Piecewise {
        /// The points, raw values strictly increasing.
        points: Vec<(f64, f64)>,
    },
    /// The first band whose test the value passes gives the score.
    Bands {
        /// The bands, tried in order.
        bands: Vec<Band>,
    },
    /// min + (max − min) × best ÷ value when lower is better, or
    /// × value ÷ best when higher is better; best among the shortlist.
    RelativeToBest,
}

impl ValueFunction {
    /// The function's name as the file writes it.
    pub fn name(&self) -> &'static str {
        match self {
            ValueFunction::Linear { .. } => "linear",
            ValueFunction::Piecewise { .. } => "piecewise",
            ValueFunction::Bands { .. } => "bands",
            ValueFunction::RelativeToBest => "relative-to-best",
        }
    }

    /// Whether the score depends on the other options' values.
    pub fn is_local(&self) -> bool {
        matches!(
            self,
            ValueFunction::Linear { bounds: None } | ValueFunction::RelativeToBest
        )
    }
}

/// A measured criterion's raw-value rules.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Measure {
    /// The unit, such as "£m" or "months".
    pub unit: Option<String>,
    /// Which way is better.
    pub better: Better,
    /// How a raw value becomes a score.
    pub function: ValueFunction,
}

/// A derived score and how it was reached.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Derived {
    /// The score on the criterion's own scale.
    pub score: f64,
    /// How it was derived, in words a reader can check by hand.
    pub derivation: String,
}

impl Measure {
    /// A raw value with its unit, as derivations show it: "£8.4m"-style units
    /// that start with a currency sign go before the number, others after.
    pub fn with_unit(&self, raw: f64) -> String {
        with_unit(self.unit.as_deref(), raw)
    }

    /// Checks a raw value against rules that do not depend on other options.
    pub fn check(&self, raw: f64) -> Result<(), ValueError> {
        if !raw.is_finite() {
            return Err(ValueError::NotFinite);
        }
        match &self.function {
            ValueFunction::RelativeToBest => {
                let ok = match self.better {
                    Better::Lower => raw > 0.0,
                    Better::Higher => raw >= 0.0,
                };
                if !ok {
                    return Err(ValueError::NotPositive(self.with_unit(raw)));
                }
            }
            ValueFunction::Bands { bands }
                if !bands
                    .iter()
                    .any(|b| b.test.is_none_or(|(c, l)| c.holds(raw, l))) =>
            {
                return Err(ValueError::NoBand(self.with_unit(raw)));
            }
            _ => {}
        }
        Ok(())
    }

    /// The shortlist's (worst, best) raw values: the reference points of the
    /// local functions. `counts` says which options are on the shortlist.
    pub fn extremes(&self, raws: &[Option<f64>], counts: &[bool]) -> Option<(f64, f64)> {
        let shortlist = || {
            raws.iter()
                .zip(counts)
                .filter_map(|(r, &c)| r.filter(|_| c))
        };
        let best = shortlist().reduce(|a, b| {
            if self.better.at_least_as_good(a, b) {
                a
            } else {
                b
            }
        })?;
        let worst = shortlist().reduce(|a, b| {
            if self.better.at_least_as_good(a, b) {
                b
            } else {
                a
            }
        })?;
        Some((worst, best))
    }

    /// Scores every raw value (in option order; `None` where there is none).
    /// `counts` says which options set the local reference points (the
    /// shortlist); every option with a value is scored against them.
    pub fn derive_all(
        &self,
        min: f64,
        max: f64,
        raws: &[Option<f64>],
        counts: &[bool],
    ) -> Vec<Option<Derived>> {
        self.derive_all_with(min, max, raws, counts, true)
    }

    /// The scores alone of [`Measure::derive_all`], without the words: what
    /// the Monte Carlo calls once per draw of uncertain raw values. The
    /// scores are the same bit for bit.
    pub fn scores_all(
        &self,
        min: f64,
        max: f64,
        raws: &[Option<f64>],
        counts: &[bool],
    ) -> Vec<Option<f64>> {
        self.derive_all_with(min, max, raws, counts, false)
            .into_iter()
            .map(|d| d.map(|d| d.score))
            .collect()
    }

    /// [`Measure::derive_all`], with the derivations in words only when
    /// `words` (one rule for the scores either way).
    fn derive_all_with(
        &self,
        min: f64,
        max: f64,
        raws: &[Option<f64>],
        counts: &[bool],
        words: bool,
    ) -> Vec<Option<Derived>> {
        let ends = self.extremes(raws, counts);
        let (worst, best) = (ends.map(|e| e.0), ends.map(|e| e.1));
        raws.iter()
            .map(|r| r.and_then(|raw| self.derive(min, max, raw, worst, best, words)))
            .collect()
    }

    /// How raw values become scores on a `min`..`max` scale, in words a
    /// reader can check by hand. This is the one wording of a value function,
    /// used by every table, export and the scoring screen. `extremes` are the
    /// shortlist's (worst, best) raw values ([`Measure::extremes`]), named by
    /// the local functions when known.
    pub fn rule(&self, min: f64, max: f64, extremes: Option<(f64, f64)>) -> String {
        let u = |x: f64| self.with_unit(x);
        let (lo, hi) = (score(min), score(max));
        let (best_word, _) = match self.better {
            Better::Lower => ("lowest", "highest"),
            Better::Higher => ("highest", "lowest"),
        };
        match &self.function {
            ValueFunction::Linear { bounds: None } => match extremes {
                Some((w, b)) if w != b => format!(
                    "a straight line from the shortlist's worst value, {} (scores {lo}), to its best, {} (scores {hi})",
                    u(w),
                    u(b)
                ),
                Some((w, _)) => format!(
                    "a straight line from the shortlist's worst value to its best; every value is {}, so each scores {hi}",
                    u(w)
                ),
                None => format!(
                    "a straight line from the shortlist's worst value (scores {lo}) to its best (scores {hi}); if every value is the same, each scores {hi}"
                ),
            },
            ValueFunction::Linear {
                bounds: Some((w, b)),
            } => format!(
                "a straight line from {} (scores {lo}) to {} (scores {hi}), values beyond them held at the ends",
                u(*w),
                u(*b)
            ),
            ValueFunction::Piecewise { points } => {
                let pts: Vec<String> = points
                    .iter()
                    .map(|(x, y)| format!("{} scores {}", u(*x), score(*y)))
                    .collect();
                format!(
                    "straight lines through the points {}; values beyond the first or last point take its score",
                    and_list(&pts)
                )
            }
            ValueFunction::Bands { bands } => {
                let words: Vec<String> = bands
                    .iter()
                    .map(|b| match b.test {
                        Some((cmp, limit)) => {
                            format!("{} {} scores {}", cmp.words(), u(limit), score(b.score))
                        }
                        None => format!("any other value scores {}", score(b.score)),
                    })
                    .collect();
                format!("bands, the first that holds: {}", words.join("; "))
            }
            ValueFunction::RelativeToBest => {
                let lead = if min == 0.0 {
                    format!("{hi} ×")
                } else {
                    format!("{lo} + ({hi} − {lo}) ×")
                };
                let best = match extremes {
                    Some((_, b)) => format!("the {best_word} value on the shortlist ({})", u(b)),
                    None => format!("the {best_word} value on the shortlist"),
                };
                match self.better {
                    Better::Lower => {
                        format!("its value relative to the best: {lead} {best} ÷ this value")
                    }
                    Better::Higher => {
                        format!("its value relative to the best: {lead} this value ÷ {best}")
                    }
                }
            }
        }
    }

    /// One score; `worst`/`best` are the shortlist's, for the local functions.
    fn derive(
        &self,
        min: f64,
        max: f64,
        raw: f64,
        worst: Option<f64>,
        best: Option<f64>,
        words: bool,
    ) -> Option<Derived> {
        self.check(raw).ok()?;
        // The words cost far more than the score; a draw needs only the score.
        let say = |f: &dyn Fn() -> String| if words { f() } else { String::new() };
        let u = |x: f64| self.with_unit(x);
        let span = max - min;
        let (score, derivation) = match &self.function {
            ValueFunction::Linear { bounds } => {
                let (local, (w, b)) = match bounds {
                    Some(wb) => (false, *wb),
                    None => (true, (worst?, best?)),
                };
                let whose = if local { "the options' " } else { "" };
                if w == b {
                    (
                        max,
                        say(&|| {
                            format!(
                                "{}: every option has the same value, so each scores the maximum, {}",
                                u(raw),
                                score(max)
                            )
                        }),
                    )
                } else {
                    let t = ((raw - w) / (b - w)).clamp(0.0, 1.0);
                    let s = min + span * t;
                    let held = if (raw - w) / (b - w) > 1.0 || (raw - w) / (b - w) < 0.0 {
                        "; beyond the bounds, so held at the end"
                    } else {
                        ""
                    };
                    (
                        s,
                        say(&|| {
                            format!(
                                "{}: linear from {whose}worst, {} (scores {}), to {whose}best, {} (scores {}){held}",
                                u(raw),
                                u(w),
                                score(min),
                                u(b),
                                score(max)
                            )
                        }),
                    )
                }
            }
            ValueFunction::Piecewise { points } => {
                let first = points.first()?;
                let last = points.last()?;
                if raw <= first.0 {
                    (
                        first.1,
                        say(&|| {
                            format!(
                                "{}: at or below the first point, {}, which scores {}",
                                u(raw),
                                u(first.0),
                                score(first.1)
                            )
                        }),
                    )
                } else if raw >= last.0 {
                    (
                        last.1,
                        say(&|| {
                            format!(
                                "{}: at or above the last point, {}, which scores {}",
                                u(raw),
                                u(last.0),
                                score(last.1)
                            )
                        }),
                    )
                } else {
                    let k = points.windows(2).position(|w| raw <= w[1].0)?;
                    let (a, b) = (points[k], points[k + 1]);
                    let s = a.1 + (b.1 - a.1) * (raw - a.0) / (b.0 - a.0);
                    (
                        s,
                        say(&|| {
                            format!(
                                "{}: on the line from {} (scores {}) to {} (scores {})",
                                u(raw),
                                u(a.0),
                                score(a.1),
                                u(b.0),
                                score(b.1)
                            )
                        }),
                    )
                }
            }
            ValueFunction::Bands { bands } => {
                let band = bands
                    .iter()
                    .find(|b| b.test.is_none_or(|(c, l)| c.holds(raw, l)))?;
                let words = match band.test {
                    Some((c, l)) => format!("{} {}", c.words(), u(l)),
                    None => "any other value".to_string(),
                };
                (
                    band.score,
                    say(&|| {
                        format!(
                            "{}: in the band {words}, which scores {}",
                            u(raw),
                            score(band.score)
                        )
                    }),
                )
            }
            ValueFunction::RelativeToBest => {
                let best = best?;
                let (ratio, formula) = match self.better {
                    Better::Lower => (
                        best / raw,
                        format!("{} ÷ {}", as_given(best), as_given(raw)),
                    ),
                    Better::Higher => {
                        if best == 0.0 {
                            (1.0, "1 (every value is zero)".to_string())
                        } else {
                            (
                                raw / best,
                                format!("{} ÷ {}", as_given(raw), as_given(best)),
                            )
                        }
                    }
                };
                let s = min + span * ratio;
                let lead = if min == 0.0 {
                    score(max)
                } else {
                    format!("{} + {}", score(min), score(span))
                };
                (
                    s,
                    say(&|| {
                        format!(
                            "{}: relative to the best, {}: {lead} × {formula}",
                            u(raw),
                            u(best)
                        )
                    }),
                )
            }
        };
        Some(Derived {
            score: super::scale::snap(score.clamp(min, max)),
            derivation,
        })
    }
}

/// A raw value known only as a range: from `low` to `high`, perhaps with
/// a most likely value between them (docs/format.md, "Uncertain raw
/// values"). The point estimate that totals and ranks use is the likely
/// value, or the midpoint without one; the Monte Carlo draws from the
/// range (uniform from low to high, or triangular through the likely value).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct RawRange {
    /// The lowest value thought possible.
    pub low: f64,
    /// The most likely value, if given.
    pub likely: Option<f64>,
    /// The highest value thought possible.
    pub high: f64,
}

impl RawRange {
    /// The point estimate: the likely value, or the midpoint of low and high.
    pub fn point(&self) -> f64 {
        self.likely
            .unwrap_or_else(|| self.low + (self.high - self.low) / 2.0)
    }

    /// The value at `u` in [0, 1) of the distribution (its inverse
    /// cumulative distribution): uniform from low to high, or triangular
    /// with its peak at the likely value. Plain double-precision arithmetic
    /// and a square root, so the same on every machine.
    pub fn at(&self, u: f64) -> f64 {
        let (a, b) = (self.low, self.high);
        let w = b - a;
        match self.likely {
            None => a + u * w,
            Some(c) if w > 0.0 => {
                let f = (c - a) / w;
                if u < f {
                    a + (u * w * (c - a)).sqrt()
                } else {
                    b - ((1.0 - u) * w * (b - c)).sqrt()
                }
            }
            Some(_) => a,
        }
    }

    /// "£2m–£3m", or "£2m–£2.4m–£3m" with a likely value: the range as
    /// tables and the scoring screen show it.
    pub fn words(&self, unit: Option<&str>) -> String {
        match self.likely {
            Some(c) => format!(
                "{}–{}–{}",
                with_unit(unit, self.low),
                with_unit(unit, c),
                with_unit(unit, self.high)
            ),
            None => format!(
                "{}–{}",
                with_unit(unit, self.low),
                with_unit(unit, self.high)
            ),
        }
    }

    /// The range and the point estimate it is scored at, as tables and the
    /// scoring screen show it: "£2m–£3m, scored at its midpoint, £2.5m",
    /// or "..., scored at its likely value, £2.4m".
    pub fn described(&self, unit: Option<&str>) -> String {
        let which = if self.likely.is_some() {
            "likely value"
        } else {
            "midpoint"
        };
        format!(
            "{}, scored at its {which}, {}",
            self.words(unit),
            with_unit(unit, self.point())
        )
    }

    /// Every value the range can take that a value function could treat
    /// differently: its ends, the likely value, each band limit inside it
    /// and the midpoints between them. A rule that holds for all of these
    /// holds for the whole range, since band tests are thresholds.
    pub fn critical_values(&self, measure: &Measure) -> Vec<f64> {
        let mut v = vec![self.low, self.high];
        v.extend(self.likely);
        if let ValueFunction::Bands { bands } = &measure.function {
            v.extend(
                bands
                    .iter()
                    .filter_map(|b| b.test.map(|(_, l)| l))
                    .filter(|&l| l > self.low && l < self.high),
            );
        }
        v.sort_by(f64::total_cmp);
        v.dedup();
        let mids: Vec<f64> = v.windows(2).map(|w| w[0] + (w[1] - w[0]) / 2.0).collect();
        v.extend(mids);
        v
    }
}

impl Measure {
    /// Checks a range: low at most high, the likely value between them,
    /// and every value in it one the value function can score.
    pub fn check_range(&self, r: &RawRange) -> Result<(), RangeError> {
        for v in [r.low, r.high].into_iter().chain(r.likely) {
            if !v.is_finite() {
                return Err(RangeError::NotFinite);
            }
        }
        if r.low > r.high {
            return Err(RangeError::LowAboveHigh(r.low, r.high));
        }
        if let Some(c) = r.likely
            && !(r.low..=r.high).contains(&c)
        {
            return Err(RangeError::LikelyOutside(c));
        }
        for v in r.critical_values(self) {
            self.check(v).map_err(RangeError::Value)?;
        }
        Ok(())
    }
}

/// A number with its unit: a unit starting with a currency sign goes before
/// the number ("£8.4m"), any other after it with a space ("18 months").
pub fn with_unit(unit: Option<&str>, raw: f64) -> String {
    let n = as_given(raw);
    match unit {
        None => n,
        Some(u) if u.starts_with(['£', '$', '€']) => match u.char_indices().nth(1) {
            Some((i, _)) => format!("{}{n}{}", &u[..i], &u[i..]),
            None => format!("{u}{n}"),
        },
        Some("%") => format!("{n}%"),
        Some(u) if raw.abs() == 1.0 => format!("{n} {}", singular(u)),
        Some(u) => format!("{n} {u}"),
    }
}

/// A list in words: "a", "a and b", "a, b and c".
fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// The singular of a unit written as one plural English word, so that a
/// value of exactly one reads "1 month", not "1 months". Units that are not
/// plain lower-case words ("tCO2e", "£m", "kWh") and words that do not look
/// plural ("bus", "class") are kept as written.
fn singular(unit: &str) -> std::borrow::Cow<'_, str> {
    use std::borrow::Cow;
    if unit.len() < 4 || !unit.chars().all(|c| c.is_ascii_lowercase()) {
        return Cow::Borrowed(unit);
    }
    if let Some(stem) = unit.strip_suffix("ies") {
        return Cow::Owned(format!("{stem}y"));
    }
    for end in ["ches", "shes", "sses", "xes"] {
        if unit.ends_with(end) {
            return Cow::Borrowed(&unit[..unit.len() - 2]);
        }
    }
    if unit.ends_with('s')
        && !unit.ends_with("ss")
        && !unit.ends_with("us")
        && !unit.ends_with("is")
    {
        return Cow::Borrowed(&unit[..unit.len() - 1]);
    }
    Cow::Borrowed(unit)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(better: Better, function: ValueFunction) -> Measure {
        Measure {
            unit: Some("£m".into()),
            better,
            function,
        }
    }

    fn scores(measure: &Measure, raws: &[f64]) -> Vec<f64> {
        let raws: Vec<Option<f64>> = raws.iter().copied().map(Some).collect();
        measure
            .derive_all(0.0, 5.0, &raws, &vec![true; raws.len()])
            .into_iter()
            .map(|d| d.map_or(f64::NAN, |d| d.score))
            .collect()
    }

    #[test]
    fn local_linear_runs_from_the_worst_option_to_the_best() {
        let f = m(Better::Lower, ValueFunction::Linear { bounds: None });
        assert_eq!(scores(&f, &[4.0, 8.0, 12.0]), vec![5.0, 2.5, 0.0]);
        let f = m(Better::Higher, ValueFunction::Linear { bounds: None });
        assert_eq!(scores(&f, &[4.0, 8.0, 12.0]), vec![0.0, 2.5, 5.0]);
        // Everyone equal: everyone best.
        assert_eq!(scores(&f, &[3.0, 3.0]), vec![5.0, 5.0]);
    }

    #[test]
    fn the_shortlist_alone_sets_a_local_scale() {
        let f = m(Better::Lower, ValueFunction::Linear { bounds: None });
        let raws = [Some(4.0), Some(8.0), Some(100.0)];
        let d = f.derive_all(0.0, 5.0, &raws, &[true, true, false]);
        assert_eq!(d[0].as_ref().map(|d| d.score), Some(5.0));
        assert_eq!(d[1].as_ref().map(|d| d.score), Some(0.0));
        assert_eq!(d[2].as_ref().map(|d| d.score), Some(0.0), "held at the end");
    }

    #[test]
    fn fixed_bounds_hold_values_beyond_them() {
        let f = m(
            Better::Lower,
            ValueFunction::Linear {
                bounds: Some((10.0, 0.0)),
            },
        );
        assert_eq!(scores(&f, &[2.0, 12.0, -1.0]), vec![4.0, 0.0, 5.0]);
    }

    #[test]
    fn piecewise_interpolates_between_points() {
        let f = m(
            Better::Lower,
            ValueFunction::Piecewise {
                points: vec![(0.0, 5.0), (10.0, 3.0), (20.0, 0.0)],
            },
        );
        assert_eq!(
            scores(&f, &[-5.0, 5.0, 15.0, 30.0]),
            vec![5.0, 4.0, 1.5, 0.0]
        );
    }

    #[test]
    fn bands_take_the_first_that_holds() {
        let f = m(
            Better::Lower,
            ValueFunction::Bands {
                bands: vec![
                    Band {
                        test: Some((Comparison::Below, 1.0)),
                        score: 5.0,
                    },
                    Band {
                        test: Some((Comparison::UpTo, 2.0)),
                        score: 4.0,
                    },
                ],
            },
        );
        assert_eq!(scores(&f, &[0.5, 1.0, 2.0]), vec![5.0, 4.0, 4.0]);
        assert_eq!(f.check(2.5), Err(ValueError::NoBand("£2.5m".into())));
    }

    #[test]
    fn relative_to_best_is_the_price_formula() {
        let f = m(Better::Lower, ValueFunction::RelativeToBest);
        assert_eq!(scores(&f, &[4.0, 8.0, 5.0]), vec![5.0, 2.5, 4.0]);
        let d = f.derive_all(0.0, 5.0, &[Some(4.0), Some(8.0)], &[true, true]);
        assert_eq!(
            d[1].as_ref().map(|d| d.derivation.as_str()),
            Some("£8m: relative to the best, £4m: 5 × 4 ÷ 8")
        );
        assert!(f.check(0.0).is_err());
    }

    #[test]
    fn units_read_as_a_person_writes_them() {
        assert_eq!(with_unit(Some("£m"), 8.4), "£8.4m");
        assert_eq!(with_unit(Some("£"), 120.0), "£120");
        assert_eq!(with_unit(Some("months"), 18.0), "18 months");
        assert_eq!(with_unit(Some("%"), 12.5), "12.5%");
        assert_eq!(with_unit(None, 3.0), "3");
    }

    #[test]
    fn a_value_of_one_takes_the_singular_of_a_plain_word_unit() {
        assert_eq!(with_unit(Some("months"), 1.0), "1 month");
        assert_eq!(with_unit(Some("months"), -1.0), "-1 month");
        assert_eq!(with_unit(Some("months"), 1.5), "1.5 months");
        assert_eq!(with_unit(Some("libraries"), 1.0), "1 library");
        assert_eq!(with_unit(Some("branches"), 1.0), "1 branch");
        assert_eq!(with_unit(Some("bus"), 1.0), "1 bus");
        assert_eq!(with_unit(Some("class"), 1.0), "1 class");
        assert_eq!(with_unit(Some("tCO2e"), 1.0), "1 tCO2e");
        assert_eq!(with_unit(Some("£m"), 1.0), "£1m");
        assert_eq!(with_unit(Some("hours per week"), 1.0), "1 hours per week");
    }

    #[test]
    fn the_rule_names_the_shortlists_ends_when_it_has_them() {
        let f = m(Better::Lower, ValueFunction::Linear { bounds: None });
        let ends = f.extremes(&[Some(4.0), Some(8.0), Some(1.0)], &[true, true, false]);
        assert_eq!(ends, Some((8.0, 4.0)));
        assert_eq!(
            f.rule(0.0, 5.0, ends),
            "a straight line from the shortlist's worst value, £8m (scores 0), to its best, £4m (scores 5)"
        );
        assert_eq!(
            f.rule(0.0, 5.0, Some((3.0, 3.0))),
            "a straight line from the shortlist's worst value to its best; every value is £3m, so each scores 5"
        );
        assert!(
            f.rule(0.0, 5.0, None)
                .contains("if every value is the same")
        );
        let r = m(Better::Lower, ValueFunction::RelativeToBest);
        assert_eq!(
            r.rule(1.0, 5.0, ends),
            "its value relative to the best: 1 + (5 − 1) × the lowest value on the shortlist (£4m) ÷ this value"
        );
        assert_eq!(f.extremes(&[None, Some(2.0)], &[true, false]), None);
    }
}
