//! Uncertain measured values in the Monte Carlo: where a version-2 file
//! gives a measured criterion's raw value as a range ("cost is £2m–£3m"),
//! each sample draws every such value from its range as well as a
//! weighting, and scores the drawn values with the criterion's value
//! function, so the uncertainty in the figures feeds rank acceptability.
//!
//! - A range `low`–`high` is drawn uniformly; `low`–`likely`–`high`
//!   triangularly with its peak at the likely value. Values are drawn
//!   independently, option by option and criterion by criterion.
//! - The value function is applied to each draw as written. A local scale
//!   (linear between the options' own worst and best) and relative-to-best
//!   take their reference points from the drawn values of that sample, as
//!   they take them from the written values for the point estimate: the
//!   rule is the same, only its inputs move.
//! - Drawing raw values is independent of drawing weights, so the ranges go
//!   with every way of drawing weights: uniform over every weighting, a
//!   weight spread, the panel's constraints (directly, by rejection or by
//!   hit-and-run), and level by level through the groups. A score spread
//!   still applies to the criteria whose raw values are not drawn; those
//!   that are take their uncertainty from the ranges.
//!
//! The samples run through the per-sample loop of [`super::draws`], whose
//! arithmetic is plain double precision (sums, products and square roots)
//! in code that is not dispatched by instruction set, so the numbers are
//! the same on every machine and whatever the thread count. The
//! mathematics is in `docs/methods.md`, "Uncertain raw values".

use rand_xoshiro::Xoshiro256PlusPlus;
use rand_xoshiro::rand_core::Rng;

use super::uniform::unit;
use crate::model::Appraisal;
use crate::model::value_fn::RawRange;

/// Whether any shortlisted option of `original` gives a raw value as a range.
pub fn has_ranges(original: &Appraisal) -> bool {
    original
        .options()
        .iter()
        .any(|o| !o.screened_out() && o.has_ranges())
}

/// The criteria (indices in file order) whose raw values some shortlisted
/// option gives as a range: those the Monte Carlo draws.
pub fn drawn_criteria(original: &Appraisal) -> Vec<usize> {
    (0..original.criteria().len())
        .filter(|&c| {
            original
                .options()
                .iter()
                .any(|o| !o.screened_out() && o.range(c).is_some())
        })
        .collect()
}

/// One measured criterion that is drawn.
struct Drawn {
    /// Its index among the sampled criteria (positive weight); `None` when
    /// it weighs nothing, so its draws cannot matter.
    at: Option<usize>,
    /// The criterion in the appraisal as written.
    c: usize,
    /// Each option's range (as written, every option), or its fixed value.
    values: Vec<Value>,
}

#[derive(Clone, Copy)]
enum Value {
    Fixed(Option<f64>),
    Range(RawRange),
}

/// How a sample's uncertain raw values are drawn and scored: what the
/// Monte Carlo needs of the appraisal as written.
pub struct RangeDraw<'a> {
    original: &'a Appraisal,
    /// Shortlisted options, by index as written.
    shortlist: Vec<usize>,
    counts: Vec<bool>,
    drawn: Vec<Drawn>,
    /// Whether each sampled criterion is drawn.
    columns: Vec<bool>,
}

impl<'a> RangeDraw<'a> {
    /// The draws for `original` as written, `analysed` its
    /// [`Appraisal::for_analysis`], sampling the criteria `crit` (those
    /// that carry weight, in file order).
    pub(crate) fn new(
        original: &'a Appraisal,
        analysed: &Appraisal,
        crit: &[usize],
    ) -> RangeDraw<'a> {
        let mut shortlist: Vec<usize> = (0..original.options().len())
            .filter(|&i| !original.options()[i].screened_out())
            .collect();
        // `analysed` is the shortlist in the same order; never index past it.
        shortlist.truncate(analysed.options().len());
        let drawn: Vec<Drawn> = drawn_criteria(original)
            .into_iter()
            .map(|c| Drawn {
                at: crit.iter().position(|&j| j == c),
                c,
                values: original
                    .options()
                    .iter()
                    .map(|o| match o.range(c) {
                        Some(r) if !o.screened_out() => Value::Range(r),
                        _ => Value::Fixed(o.measure(c)),
                    })
                    .collect(),
            })
            .collect();
        let mut columns = vec![false; crit.len()];
        for j in drawn.iter().filter_map(|d| d.at) {
            columns[j] = true;
        }
        RangeDraw {
            original,
            counts: original.shortlisted(),
            shortlist,
            drawn,
            columns,
        }
    }

    /// Whether sampled criterion `j`'s raw values are drawn.
    pub(crate) fn draws(&self, j: usize) -> bool {
        self.columns.get(j).copied().unwrap_or(false)
    }

    /// Draws the uncertain raw values and writes the shortlist's points for
    /// that draw into the drawn columns of `pts` (`i * m + j`).
    pub(crate) fn points(
        &self,
        rng: &mut Xoshiro256PlusPlus,
        raws: &mut Vec<Option<f64>>,
        pts: &mut [f64],
        m: usize,
    ) {
        for d in &self.drawn {
            raws.clear();
            // Every option draws, whether it counts or not, so the streams
            // do not depend on which criterion weighs nothing.
            raws.extend(d.values.iter().map(|v| match v {
                Value::Fixed(x) => *x,
                Value::Range(r) => Some(r.at(unit(rng.next_u64()))),
            }));
            let Some(j) = d.at else { continue };
            let Some(measure) = self.original.criteria()[d.c].measure() else {
                continue;
            };
            let scale = self.original.scale_of(d.c);
            let scores = measure.scores_all(scale.min(), scale.max(), raws, &self.counts);
            for (i, &o) in self.shortlist.iter().enumerate() {
                pts[i * m + j] = scores[o].map_or(0.0, |s| self.original.to_points(d.c, s));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sensitivity::constraints::{Sampler, WeightConstraints};
    use crate::sensitivity::groups::{Hierarchy, Tree};
    use crate::sensitivity::smaa::{
        Smaa, SmaaConfig, WeightModel, smaa_ranges, smaa_ranges_levels,
    };
    use crate::sensitivity::testutil::{cfg, within};

    fn load(text: &str) -> Appraisal {
        crate::load::load_str("t.toml", text).unwrap().appraisal
    }

    /// A judged Quality and a measured Cost (£m, lower better, linear
    /// from `top` to 0 on a scale of 0 to `top`), with `options`.
    fn quality_and_cost(top: u32, options: &str) -> Appraisal {
        load(&format!(
            "version = 2\n[appraisal]\ntitle = \"T\"\n[scale]\nmin = 0\nmax = {top}\n\
             [[criteria]]\nid = \"quality\"\nname = \"Quality\"\n\
             [[criteria]]\nid = \"cost\"\nname = \"Cost\"\nunit = \"£m\"\nbetter = \"lower\"\n\
             value = {{ function = \"linear\", worst = {top}, best = 0 }}\n{options}"
        ))
    }

    fn flat(a: &Appraisal, config: &SmaaConfig, c: &WeightConstraints) -> Smaa {
        smaa_ranges(a, &a.for_analysis(), config, c, &|_| {}).unwrap()
    }

    fn levels(a: &Appraisal, config: &SmaaConfig) -> Smaa {
        let tree = Tree::of(a).unwrap();
        smaa_ranges_levels(a, &a.for_analysis(), config, &tree, &|_| {}).unwrap()
    }

    /// tests/fixtures/v2/ranges-closed-form.toml with a judged criterion
    /// on which the two quotes score the same, in a group of its own: the
    /// weights cannot change the order, so A is first with 7/8 under any
    /// way of drawing them.
    fn even_quality() -> Appraisal {
        load(&std::fs::read_to_string("tests/fixtures/v2/ranges-even-quality.toml").unwrap())
    }

    #[test]
    fn ranges_go_with_every_way_of_drawing_weights() {
        let a = even_quality();
        let config = cfg(100_000, 3, 2);
        let check = |r: &Smaa| {
            let o = &r.options[0];
            within(o.acceptability[0], 7.0 / 8.0, o.acceptability_se[0]);
            assert_eq!(r.drawn_ranges, vec![1]);
        };
        let spread = SmaaConfig {
            weights: WeightModel::Spread { percent: 50.0 },
            ..config
        };
        check(&flat(&a, &config, &WeightConstraints::new()));
        check(&flat(&a, &spread, &WeightConstraints::new()));
        // Price between 30% and 50%: a fifth of the simplex, by rejection.
        let bounds = WeightConstraints::new().share(1, 0.3, 0.5).clone();
        let r = flat(&a, &config, &bounds);
        assert!(
            matches!(r.sampler, Sampler::Rejection { .. }),
            "{:?}",
            r.sampler
        );
        check(&r);
        // Between 39.5% and 40.5%: too narrow for rejection, by hit-and-run.
        let narrow = WeightConstraints::new().share(1, 0.395, 0.405).clone();
        let r = flat(&a, &config, &narrow);
        assert!(
            matches!(r.sampler, Sampler::HitAndRun { .. }),
            "{:?}",
            r.sampler
        );
        check(&r);
        for o in &r.options {
            if let Some(w) = &o.central_weights {
                assert!((0.395 - 1e-9..=0.405 + 1e-9).contains(&w[1]), "{w:?}");
            }
        }
        // An order, directly.
        let order = WeightConstraints::new().order(&[&[1], &[0]]).clone();
        let r = flat(&a, &config, &order);
        assert_eq!(r.sampler, Sampler::Direct);
        check(&r);
        // Level by level through the groups.
        let r = levels(&a, &config);
        assert_eq!(r.hierarchy, Some(Hierarchy::Level));
        check(&r);
    }

    #[test]
    fn every_combination_gives_the_same_numbers_whatever_the_threads() {
        let a = even_quality();
        let samples = 2 * crate::sensitivity::smaa::CHUNK_SAMPLES as u64 + 77;
        let narrow = WeightConstraints::new().share(1, 0.395, 0.405).clone();
        let bounds = WeightConstraints::new().share(1, 0.3, 0.5).clone();
        let spread = |t| SmaaConfig {
            weights: WeightModel::Spread { percent: 50.0 },
            score_spread: 1.0,
            ..cfg(samples, 5, t)
        };
        let scored = |t| SmaaConfig {
            score_spread: 1.0,
            ..cfg(samples, 5, t)
        };
        let runs = |t: usize| {
            vec![
                flat(&a, &spread(t), &WeightConstraints::new()),
                flat(&a, &scored(t), &bounds),
                flat(&a, &scored(t), &narrow),
                levels(&a, &scored(t)),
            ]
        };
        let one = runs(1);
        for t in [2, 3] {
            for (x, y) in one.iter().zip(runs(t)) {
                assert_eq!(x.options, y.options);
                assert_eq!(x.sampler, y.sampler);
            }
        }
        // A different seed gives different numbers.
        let other = flat(
            &a,
            &SmaaConfig {
                seed: 6,
                ..spread(1)
            },
            &WeightConstraints::new(),
        );
        assert_ne!(other.options, one[0].options);
    }

    #[test]
    fn a_weight_spread_with_a_range_that_cannot_change_the_order() {
        // A = (5, 1) and B = (2, 3) with weights (1, 1) each varied by up
        // to 100%: A is first with 2/3 (as without ranges; see the weight
        // spread's closed form in smaa.rs). C's cost, 4.5-5 on fixed bounds,
        // scores at most 0.5 on price and 0 on quality, so C is always last.
        let a = quality_and_cost(
            5,
            r#"[[options]]
id = "a"
name = "A"
scores = { quality = 5 }
measures = { cost = 4 }
[[options]]
id = "b"
name = "B"
scores = { quality = 2 }
measures = { cost = 2 }
[[options]]
id = "c"
name = "C"
scores = { quality = 0 }
measures = { cost = { low = 4.5, high = 5 } }
"#,
        );
        let config = SmaaConfig {
            weights: WeightModel::Spread { percent: 100.0 },
            ..cfg(200_000, 11, 2)
        };
        let r = flat(&a, &config, &WeightConstraints::new());
        let o = &r.options[0];
        within(o.acceptability[0], 2.0 / 3.0, o.acceptability_se[0]);
        assert_eq!(r.options[2].acceptability[2], 1.0);
    }

    #[test]
    fn a_score_spread_on_the_judged_criterion_and_a_range_on_the_measured() {
        // Shares fixed at a half each. Quality: A = 3, B = 2, each varied by
        // up to one step (x, y uniform on -1..1); cost on fixed bounds, A's
        // score uniform on 4-6 against B's 5, and not spread (it is drawn).
        // A is first when 1 + x - y + (s - 5) >= 0: a sum of three uniforms
        // on 0-1 at least 1, with probability 1 - 1/6 = 5/6.
        let a = quality_and_cost(
            10,
            r#"[[options]]
id = "a"
name = "A"
scores = { quality = 3 }
measures = { cost = { low = 4, high = 6 } }
[[options]]
id = "b"
name = "B"
scores = { quality = 2 }
measures = { cost = 5 }
"#,
        );
        let config = SmaaConfig {
            score_spread: 1.0,
            ..cfg(300_000, 2, 2)
        };
        let half = WeightConstraints::new().fixed(0, 0.5).clone();
        let r = flat(&a, &config, &half);
        let o = &r.options[0];
        within(o.acceptability[0], 5.0 / 6.0, o.acceptability_se[0]);
        // At its central weights (a half each), the confidence factor is
        // the same probability.
        within(o.confidence.unwrap(), 5.0 / 6.0, o.confidence_se.unwrap());
    }

    #[test]
    fn bounds_that_do_not_bind_give_the_unconstrained_numbers() {
        let a = even_quality();
        let config = cfg(50_000, 9, 2);
        let plain = flat(&a, &config, &WeightConstraints::new());
        let loose = WeightConstraints::new()
            .share(0, 0.0, 1.0)
            .share(1, 0.0, 1.0)
            .clone();
        let r = flat(&a, &config, &loose);
        assert_eq!(r.options, plain.options);
        assert_eq!(r.sampler, Sampler::Direct);
    }

    #[test]
    fn a_range_that_cannot_change_the_order_gives_the_level_by_level_closed_form() {
        // tests/fixtures/v2/levels-closed-form.toml with criterion A
        // measured on fixed bounds and X's value a range beyond the best,
        // so it always scores 1: X is first with 2 ln(4/3), as without the
        // range (docs/methods.md, "Level by level").
        let text = std::fs::read_to_string("tests/fixtures/v2/levels-closed-form.toml")
            .unwrap()
            .replace(
                "id = \"a\"\nname = \"A\"\n",
                "id = \"a\"\nname = \"A\"\nunit = \"t\"\nbetter = \"higher\"\nvalue = { function = \"linear\", worst = 0, best = 1 }\n",
            )
            .replace("scores = { a = 1, b = 0, c = 0 }", "scores = { b = 0, c = 0 }\nmeasures = { a = { low = 1, high = 2 } }")
            .replace("scores = { a = 0, b = 1, c = 0 }", "scores = { b = 1, c = 0 }\nmeasures = { a = 0 }")
            .replace("scores = { a = 0, b = 0, c = 1 }", "scores = { b = 0, c = 1 }\nmeasures = { a = 0 }");
        let a = load(&text);
        assert!(has_ranges(&a));
        let r = levels(&a, &cfg(200_000, 4, 2));
        let o = &r.options[0];
        within(
            o.acceptability[0],
            2.0 * (4.0f64 / 3.0).ln(),
            o.acceptability_se[0],
        );
        assert_eq!(r.drawn_ranges, vec![0]);
    }
}
