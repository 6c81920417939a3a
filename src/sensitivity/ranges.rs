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

use super::constraints::WeightConstraints;
use super::draws::unit;
use super::groups::Tree;
use super::smaa::{self, Progress, Smaa, SmaaConfig, SmaaError};
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
    pub(crate) fn new(original: &'a Appraisal, analysed: &Appraisal, crit: &[usize]) -> RangeDraw<'a> {
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

/// The Monte Carlo run with uncertain raw values drawn from their ranges:
/// `original` is the appraisal as written (its ranges and value
/// functions), `analysed` its [`Appraisal::for_analysis`]. Weights are
/// drawn flat over the effective weights as [`smaa::smaa_constrained`]
/// draws them: uniform over the weightings that meet `constraints` (all
/// of them when there are none; by hit-and-run when rejection would be
/// too slow), or within `config`'s weight spread; `config`'s score spread
/// applies to the criteria whose raw values are not drawn.
pub fn smaa_ranges(
    original: &Appraisal,
    analysed: &Appraisal,
    config: &SmaaConfig,
    constraints: &WeightConstraints,
    progress: &dyn Fn(Progress),
) -> Result<Smaa, SmaaError> {
    smaa::ranged_constrained(original, analysed, config, constraints, progress)
}

/// [`smaa_ranges`] with the weights drawn level by level through `tree`
/// (the value tree as written) as [`smaa::smaa_levels`] draws them.
pub fn smaa_ranges_levels(
    original: &Appraisal,
    analysed: &Appraisal,
    config: &SmaaConfig,
    tree: &Tree,
    progress: &dyn Fn(Progress),
) -> Result<Smaa, SmaaError> {
    smaa::ranged_levels(original, analysed, config, tree, progress)
}
