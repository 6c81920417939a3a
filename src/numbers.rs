//! Numbers for people: one rule per quantity, used by the terminal, the
//! scoring screen and every export, so a figure reads the same wherever it
//! appears; with the few pieces of wording that go with them (counts that
//! agree in number, lists joined with "and", text quoted in messages).
//!
//! Each quantity is rounded once, here, by the rule written beside its
//! function; `docs/format.md` ("How numbers are shown") says the same for
//! readers. Values kept for machines (JSON, spreadsheet cells) stay exact,
//! except where a rounding cannot be reproduced by a spreadsheet's number
//! format (the cautious boundaries of [`WeightRange`]); there the rounded
//! value is what every format holds.
//!
//! Nearest rounding is half away from zero, as a spreadsheet rounds, after
//! removing binary noise: 0.285 is stored as 0.28499999999999998, which
//! rounds to 0.29 here, as it does in Excel.

/// Most decimals a boundary is ever shown with; only near-coincident
/// boundaries need more than one.
const MAX_BOUND_DECIMALS: u32 = 7;

/// Most decimals a score or weight is shown with: enough for any scale step
/// or weight a person types, without binary noise.
const EXACT_DECIMALS: u32 = 6;

/// Magnitude from which numbers are written in scientific notation, since
/// whole-number formatting of 1e26 would print 27 misleading digits.
const SCIENTIFIC_FROM: f64 = 1e15;

/// Shortens text quoted in a message, so a hostile 5,000-character value
/// does not fill the screen.
pub fn shorten(s: &str) -> String {
    const MAX: usize = 40;
    if s.chars().count() <= MAX {
        s.to_string()
    } else {
        let head: String = s.chars().take(MAX).collect();
        format!("{head}…")
    }
}

/// `x × 10^dp` with binary noise removed (to nine decimals of the scaled
/// value), so 0.285 × 100 is 28.5 and not 28.499999999999996.
fn scaled(x: f64, dp: u32) -> f64 {
    let s = x * 10f64.powi(dp as i32);
    let clean = (s * 1e9).round() / 1e9;
    if clean.is_finite() { clean } else { s }
}

/// `x` rounded to `dp` decimals, half away from zero.
pub fn round_nearest(x: f64, dp: u32) -> f64 {
    if !x.is_finite() || x.abs() >= SCIENTIFIC_FROM {
        return x;
    }
    scaled(x, dp).round() / 10f64.powi(dp as i32)
}

/// `x` rounded down (towards minus infinity) to `dp` decimals.
pub fn round_down(x: f64, dp: u32) -> f64 {
    if !x.is_finite() {
        return x;
    }
    scaled(x, dp).floor() / 10f64.powi(dp as i32)
}

/// `x` rounded up (towards plus infinity) to `dp` decimals.
pub fn round_up(x: f64, dp: u32) -> f64 {
    if !x.is_finite() {
        return x;
    }
    scaled(x, dp).ceil() / 10f64.powi(dp as i32)
}

/// Text for a value that is not an ordinary number; only messages about
/// rejected input meet these, since the model keeps every value finite.
fn special(x: f64) -> Option<String> {
    if x.is_nan() {
        Some("NaN".into())
    } else if x.is_infinite() {
        Some(if x > 0.0 { "infinity" } else { "-infinity" }.into())
    } else if x.abs() >= SCIENTIFIC_FROM {
        Some(format!("{x:e}"))
    } else {
        None
    }
}

/// An already rounded value with exactly `dp` decimals ("-0.0" becomes "0.0").
fn write_fixed(rounded: f64, dp: u32) -> String {
    let dp = dp as usize;
    let s = format!("{rounded:.dp$}");
    if s.starts_with('-') && s[1..].bytes().all(|b| b == b'0' || b == b'.') {
        s[1..].to_string()
    } else {
        s
    }
}

/// `x` rounded to nearest with exactly `dp` decimals: `fixed(50.0, 1)` is "50.0".
pub fn fixed(x: f64, dp: u32) -> String {
    special(x).unwrap_or_else(|| write_fixed(round_nearest(x, dp), dp))
}

/// `x` rounded to nearest with at most `dp` decimals, trailing zeros
/// dropped: `decimals(16.50, 2)` is "16.5", `decimals(33.0, 2)` is "33".
pub fn decimals(x: f64, dp: u32) -> String {
    if let Some(s) = special(x) {
        return s;
    }
    let r = round_nearest(x, dp);
    if r.fract() == 0.0 {
        // Whole numbers are most of what is printed; integer formatting is far cheaper.
        return if r == 0.0 {
            "0".into()
        } else {
            (r as i64).to_string()
        };
    }
    let s = write_fixed(r, dp);
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_owned()
    } else {
        s
    }
}

/// A number quoted back in a message about it, in full: the shortest form
/// that reads back as the same value, so 4.0000001 stays 4.0000001 rather
/// than being rounded into a value that would have been accepted.
///
/// Very small magnitudes are written in scientific notation (`1e-300`), as
/// TOML reads them, rather than as hundreds of digits (large ones already are).
pub fn as_given(x: f64) -> String {
    if let Some(s) = special(x) {
        return s;
    }
    let a = x.abs();
    if a != 0.0 && a < AS_GIVEN_SMALLEST {
        return format!("{x:e}");
    }
    let s = format!("{x}");
    if s == "-0" { "0".into() } else { s }
}

/// Below this magnitude [`as_given`] writes scientific notation.
const AS_GIVEN_SMALLEST: f64 = 1e-9;

/// A score, a point or step of the scale, or a spread of scores: exact, as a
/// person would write it (at most six decimals, which any real step needs).
pub fn score(x: f64) -> String {
    decimals(x, EXACT_DECIMALS)
}

/// A criterion's weight, as written (at most six decimals).
pub fn weight(x: f64) -> String {
    decimals(x, EXACT_DECIMALS)
}

/// A score derived from a measured value by its value function: it can fall
/// anywhere on the scale (3.333...), so it is shown as a total is, at most
/// two decimals, where a judged score is exact.
pub fn derived_score(x: f64) -> String {
    decimals(x, 2)
}

/// A weighted total, the highest or lowest possible total, a gap between
/// totals, or a panel's consensus for a cell: at most two decimals.
pub fn total(x: f64) -> String {
    decimals(x, 2)
}

/// "33/40": a total out of the highest possible, both by [`total`].
pub fn total_of(value: f64, max: f64) -> String {
    format!("{}/{}", total(value), total(max))
}

/// "A", "A and B", "A, B and C".
pub fn join_and(items: &[String]) -> String {
    join_with(items, "and")
}

/// [`join_and`] with another last word: "A, B or C".
pub fn join_with(items: &[String], word: &str) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} {word} {last}", rest.join(", ")),
    }
}

/// A percentage on the 0-100 scale without its sign, with one decimal: "82.5".
/// For tables whose heading carries the `%`.
pub fn percent_figure(x: f64) -> String {
    fixed(x, 1)
}

/// A percentage on the 0-100 scale (where a total sits in the possible range,
/// a share of weight, a central weight), with one decimal: "82.5%".
pub fn percent(x: f64) -> String {
    format!("{}%", percent_figure(x))
}

/// A fraction from 0 to 1 (a share of the total weight) as a percentage: 0.125 is "12.5%".
pub fn share(p: f64) -> String {
    percent(100.0 * p)
}

/// Below this a probability is "less than 0.1%" rather than a misleading 0.0%.
const PROB_LOW: f64 = 0.0005;
/// From this a probability is "more than 99.9%" rather than a misleading 100.0%.
const PROB_HIGH: f64 = 0.9995;

/// A probability (a rank acceptability, a confidence factor) as a figure for a
/// table headed `%`: one decimal, but never "0.0" or "100.0" unless exact
/// ("<0.1" and ">99.9" instead).
pub fn probability_figure(p: f64) -> String {
    if p <= 0.0 {
        fixed(0.0, 1)
    } else if p >= 1.0 {
        fixed(100.0, 1)
    } else if p < PROB_LOW {
        "<0.1".into()
    } else if p >= PROB_HIGH {
        ">99.9".into()
    } else {
        fixed(100.0 * p, 1)
    }
}

/// [`probability_figure`] with its `%` sign: "96.9%", "<0.1%".
pub fn probability(p: f64) -> String {
    format!("{}%", probability_figure(p))
}

/// [`probability`] for a sentence: "96.9%", "less than 0.1%", "more than 99.9%".
pub fn probability_words(p: f64) -> String {
    if p > 0.0 && p < PROB_LOW {
        "less than 0.1%".into()
    } else if (PROB_HIGH..1.0).contains(&p) {
        "more than 99.9%".into()
    } else {
        probability(p)
    }
}

/// Below this a standard error is "less than 0.01%".
const SE_LOW: f64 = 0.00005;

/// A standard error of a probability, in percentage points with two decimals:
/// "0.12%", or "less than 0.01%" rather than a misleading 0.00%.
pub fn standard_error(se: f64) -> String {
    if se <= 0.0 {
        format!("{}%", fixed(0.0, 2))
    } else if se < SE_LOW {
        "less than 0.01%".into()
    } else {
        format!("{}%", fixed(100.0 * se, 2))
    }
}

/// A correlation such as Kendall's tau, from -1 to 1, with two decimals: "0.67".
pub fn correlation(x: f64) -> String {
    fixed(x, 2)
}

/// "1 step", "0 steps", "2.5 steps": a count and its unit in the right number.
pub fn count(n: f64, one: &str, many: &str) -> String {
    let text = score(n);
    if text == "1" {
        format!("1 {one}")
    } else {
        format!("{text} {many}")
    }
}

/// How one criterion's share of the total weight and the range of shares
/// over which the leader stays first are shown, together, wherever they appear.
///
/// The share now is rounded to nearest. The range is rounded towards caution,
/// so that it never claims more than is true: its lower end up, its upper end
/// down (a leader first from 33.33% is said to be first from 33.4%; first up
/// to 53.33%, first up to 53.3%). An end equal to the share now (a tie at the
/// current weights) is shown as the share. One decimal is used, or as many
/// more as needed (up to seven) to keep the ends and the share in order, so
/// a narrow range never reads backwards.
#[derive(Debug, Clone, PartialEq)]
pub struct WeightRange {
    /// Decimals used for all three figures.
    pub decimals: u32,
    /// The share now, as a percentage rounded to nearest.
    pub share: f64,
    /// The lower end, as a percentage rounded up (or equal to `share`).
    pub from: f64,
    /// The upper end, as a percentage rounded down (or equal to `share`).
    pub to: f64,
}

/// Shares closer than this are the same share (a tie at the current weights).
const SAME_SHARE: f64 = 1e-9;

impl WeightRange {
    /// The figures for a share now and its stable range, all fractions from 0 to 1.
    pub fn new(share: f64, from: f64, to: f64) -> WeightRange {
        let mut range = WeightRange::at(share, from, to, 1);
        for dp in 2..=MAX_BOUND_DECIMALS {
            if range.in_order() {
                break;
            }
            range = WeightRange::at(share, from, to, dp);
        }
        range
    }

    fn at(share: f64, from: f64, to: f64, dp: u32) -> WeightRange {
        let now = round_nearest(100.0 * share, dp);
        let from = if (from - share).abs() <= SAME_SHARE {
            now
        } else {
            round_up(100.0 * from, dp)
        };
        let to = if (to - share).abs() <= SAME_SHARE {
            now
        } else {
            round_down(100.0 * to, dp)
        };
        WeightRange {
            decimals: dp,
            share: now,
            from,
            to,
        }
    }

    /// Whether the shown ends keep their order around the shown share.
    fn in_order(&self) -> bool {
        self.from <= self.share && self.share <= self.to
    }

    /// The share now: "12.5%".
    pub fn share_text(&self) -> String {
        format!("{}%", self.share_figure())
    }

    /// The lower end: "33.4%".
    pub fn from_text(&self) -> String {
        format!("{}%", self.from_figure())
    }

    /// The upper end: "53.3%".
    pub fn to_text(&self) -> String {
        format!("{}%", self.to_figure())
    }

    /// [`WeightRange::share_text`] without the sign.
    pub fn share_figure(&self) -> String {
        write_fixed(self.share, self.decimals)
    }

    /// [`WeightRange::from_text`] without the sign.
    pub fn from_figure(&self) -> String {
        write_fixed(self.from, self.decimals)
    }

    /// [`WeightRange::to_text`] without the sign.
    pub fn to_figure(&self) -> String {
        write_fixed(self.to, self.decimals)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rounding_is_half_away_from_zero_without_binary_noise() {
        assert_eq!(fixed(0.285, 2), "0.29");
        assert_eq!(fixed(12.25, 1), "12.3");
        assert_eq!(fixed(-12.25, 1), "-12.3");
        assert_eq!(fixed(0.125, 2), "0.13");
        assert_eq!(fixed(-0.0001, 1), "0.0");
        assert_eq!(decimals(16.5, 2), "16.5");
        assert_eq!(decimals(33.0, 2), "33");
        assert_eq!(decimals(1.0 / 3.0, 2), "0.33");
        assert_eq!(decimals(-0.0001, 2), "0");
        assert_eq!(decimals(f64::INFINITY, 2), "infinity");
        assert_eq!(decimals(1e26, 2), "1e26");
        assert_eq!(as_given(4.0000001), "4.0000001");
        assert_eq!(as_given(1e-300), "1e-300");
        assert_eq!(as_given(-2.5e-12), "-2.5e-12");
        assert_eq!(as_given(3e20), "3e20");
        assert_eq!(as_given(0.000_000_5), "0.0000005");
        assert_eq!(as_given(4.0), "4");
    }

    #[test]
    fn each_quantity_has_its_rule() {
        assert_eq!(score(0.125), "0.125");
        assert_eq!(score(0.1 + 0.2), "0.3");
        assert_eq!(weight(0.1), "0.1");
        assert_eq!(total(70.375), "70.38");
        assert_eq!(total_of(33.0, 40.0), "33/40");
        assert_eq!(percent(50.0), "50.0%");
        assert_eq!(percent_figure(82.5), "82.5");
        assert_eq!(share(0.125), "12.5%");
        assert_eq!(probability(0.969_04), "96.9%");
        assert_eq!(probability(0.0), "0.0%");
        assert_eq!(probability(1.0), "100.0%");
        assert_eq!(probability_figure(0.0001), "<0.1");
        assert_eq!(probability_figure(0.99999), ">99.9");
        assert_eq!(probability_words(0.99999), "more than 99.9%");
        assert_eq!(probability_words(0.0001), "less than 0.1%");
        assert_eq!(probability_words(1.0), "100.0%");
        assert_eq!(standard_error(0.000_173), "0.02%");
        assert_eq!(standard_error(0.000_001), "less than 0.01%");
        assert_eq!(standard_error(0.0), "0.00%");
        assert_eq!(correlation(2.0 / 3.0), "0.67");
        assert_eq!(correlation(1.0), "1.00");
    }

    #[test]
    fn counts_agree_in_number() {
        assert_eq!(count(0.0, "step", "steps"), "0 steps");
        assert_eq!(count(1.0, "step", "steps"), "1 step");
        assert_eq!(count(2.0, "step", "steps"), "2 steps");
        assert_eq!(count(0.5, "step", "steps"), "0.5 steps");
    }

    #[test]
    fn ranges_round_towards_caution_and_keep_their_order() {
        let r = WeightRange::new(0.125, 0.0, 8.0 / 15.0);
        assert_eq!(
            (r.share_text(), r.from_text(), r.to_text()),
            ("12.5%".into(), "0.0%".into(), "53.3%".into())
        );
        let r = WeightRange::new(0.5, 1.0 / 3.0, 2.0 / 3.0);
        assert_eq!(
            (r.from_text(), r.to_text()),
            ("33.4%".into(), "66.6%".into())
        );
        // A tie at the current weights: the end is the share itself.
        let r = WeightRange::new(1.0 / 3.0, 1.0 / 3.0, 0.9);
        assert_eq!(
            (r.share_text(), r.from_text()),
            ("33.3%".into(), "33.3%".into())
        );
        // A range narrower than one decimal gets more.
        let r = WeightRange::new(0.3335, 0.3331, 0.3339);
        assert_eq!(r.decimals, 2);
        assert_eq!(
            (r.from_text(), r.share_text(), r.to_text()),
            ("33.31%".into(), "33.35%".into(), "33.39%".into())
        );
        // The share within a hair of an end.
        let r = WeightRange::new(0.33334, 1.0 / 3.0, 0.5);
        assert!(r.from <= r.share, "{r:?}");
    }
}
