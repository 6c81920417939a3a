//! Sensitivity analysis: how sure can a panel be of its ranking?
//!
//! - [`weights`]: exact one-way weight sensitivity (stability intervals,
//!   switchover shares, and each option's total as a line for charts);
//! - [`scores`]: how many single-step score changes would let another option
//!   draw level with or overtake the leader;
//! - [`leave_out`]: the ranking with each criterion left out in turn;
//! - [`smaa`]: Monte Carlo rank acceptability (SMAA-2), over every
//!   weighting or, with [`smaa::smaa_constrained`], over the weightings
//!   that meet what the panel agrees on ([`constraints`]);
//! - [`disagreement`]: rank acceptability with each score drawn from a
//!   panel's members' own scores for the cell;
//! - [`statements`]: plain-English sentences for a report;
//! - [`output`]: the JSON document (the report's tables, for the terminal
//!   and every export, are in [`crate::export::sensitivity`]).
//!
//! The exact analyses are cheap (linear in options times criteria, apart from
//! the on-demand [`weights::CriterionSensitivity::swap_points`]), so a live
//! view can call [`exact`] after every edit, and [`smaa::smaa`] with a sample
//! count it chooses. The mathematics is in `docs/methods.md`.

#[doc(hidden)]
pub mod bench_support;
pub mod constraints;
pub mod disagreement;
mod draws;
pub mod groups;
pub mod hit_and_run;
mod kernel;
pub mod leave_out;
pub mod levels;
pub mod output;
pub mod ranges;
pub mod scores;
pub mod smaa;
pub mod statements;
#[cfg(test)]
mod testutil;
mod uniform;
pub mod value;
pub mod weights;

use serde::Serialize;

use crate::compute::{Results, compute};
use crate::model::Appraisal;

pub use constraints::{
    AgreedEntry, ConstraintError, ConstraintParseError, Sampler, WeightConstraint,
    WeightConstraints,
};
pub use groups::Hierarchy;
pub use kernel::{ISA_VAR, Isa, IsaError};
pub use leave_out::{LeaveOneOut, RankMove, Reranked, leave_one_out};
pub use scores::{Challenge, Direction, ScoreChange, ScoreRobustness, score_robustness};
pub use smaa::{
    OptionAcceptability, Smaa, SmaaConfig, SmaaError, WeightModel, smaa, smaa_constrained,
    smaa_levels,
};
pub use statements::{Statement, StatementKind, statements};
pub use weights::{
    CriterionSensitivity, LeadSegment, OptionLine, SwapPoint, criterion_sensitivity,
    weight_sensitivity,
};

/// The three exact analyses together.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Exact {
    /// Totals and ranks at the current weights and scores.
    pub results: Results,
    /// One-way weight sensitivity, one entry per criterion.
    pub weights: Vec<CriterionSensitivity>,
    /// Score robustness of the leader.
    pub scores: ScoreRobustness,
    /// The ranking with each criterion left out, one entry per criterion.
    pub leave_one_out: Vec<LeaveOneOut>,
}

/// How many options charts (and the swap points listed with them) cover:
/// every option that leads somewhere, then the highest ranked.
pub const CHART_OPTIONS: usize = 12;

/// Runs the exact analyses (weights, scores, leave-one-out).
pub fn exact(appraisal: &Appraisal) -> Exact {
    let results = compute(appraisal);
    // Three independent analyses; on a large appraisal each takes a while.
    let ((weights, scores), leave_one_out) = rayon::join(
        || {
            rayon::join(
                || weight_sensitivity(appraisal, &results),
                || score_robustness(appraisal, &results),
            )
        },
        || leave_one_out(appraisal, &results),
    );
    Exact {
        weights,
        scores,
        leave_one_out,
        results,
    }
}

/// Everything a sensitivity report holds: always the exact analyses, the
/// Monte Carlo run when one was asked for, and, for an appraisal whose
/// criteria sit in groups or that has a cost, the group-level and
/// value-for-money analyses ([`Sensitivity::with_structure`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Sensitivity {
    /// The exact analyses.
    pub exact: Exact,
    /// The Monte Carlo run, if any.
    pub smaa: Option<Smaa>,
    /// Group-level analyses, when the criteria sit in groups.
    pub groups: Option<groups::GroupAnalysis>,
    /// Value for money, when a criterion is marked as the cost.
    pub value: Option<value::ValueForMoney>,
}

impl Sensitivity {
    /// Adds the analyses that need the appraisal as written: group level
    /// (its criteria groups) and value for money (its raw costs).
    /// `original` is the appraisal as written; `self` was run on its
    /// [`Appraisal::for_analysis`], which is `analysed`.
    pub fn with_structure(mut self, original: &Appraisal, analysed: &Appraisal) -> Sensitivity {
        self.groups = groups::Tree::of(original)
            .map(|t| groups::group_analysis(analysed, &self.exact.results, &t));
        self.value = value::value_for_money(original, analysed);
        self
    }
}

/// The exact analyses alone, without a Monte Carlo run.
pub fn analyse_exact(appraisal: &Appraisal) -> Sensitivity {
    Sensitivity {
        exact: exact(appraisal),
        smaa: None,
        groups: None,
        value: None,
    }
}

/// The analyses the scoring screen can show live for the appraisal as
/// written: the exact analyses of [`Appraisal::for_analysis`] with the
/// group-level and value-for-money analyses, no Monte Carlo. Cheap enough
/// to call after every edit. Returns the appraisal as analysed too, since
/// option indices in the results count its shortlist.
pub fn exact_written(original: &Appraisal) -> (std::borrow::Cow<'_, Appraisal>, Sensitivity) {
    let analysed = original.for_analysis();
    let s = analyse_exact(&analysed).with_structure(original, &analysed);
    (analysed, s)
}

/// Every analysis of an appraisal as written (`original`; `analysed` is
/// its [`Appraisal::for_analysis`]), as `appraise sensitivity` runs them:
/// the exact analyses, the Monte Carlo run, and the group-level and
/// value-for-money analyses.
///
/// Where the criteria sit in groups, `hierarchy` chooses how the Monte
/// Carlo draws weightings; `None` takes the default, level by level
/// ([`groups::Hierarchy::Level`]) unless weight constraints or a weight
/// spread are given, which are on the criteria's effective weights and so
/// are drawn flat. Asking for level-by-level draws together with either is
/// an error, as is choosing a hierarchy for an appraisal without groups.
pub fn analyse_written(
    original: &Appraisal,
    analysed: &Appraisal,
    config: &SmaaConfig,
    constraints: &WeightConstraints,
    hierarchy: Option<groups::Hierarchy>,
    progress: &dyn Fn(smaa::Progress),
) -> Result<Sensitivity, SmaaError> {
    let tree = groups::Tree::of(original);
    let uniform = config.weights == WeightModel::Uniform;
    let chosen = match (&tree, hierarchy) {
        (None, Some(_)) => return Err(SmaaError::NoGroups),
        (None, None) => None,
        (Some(_), Some(groups::Hierarchy::Level)) if !constraints.is_empty() => {
            return Err(SmaaError::LevelsWithConstraints);
        }
        (Some(_), Some(groups::Hierarchy::Level)) if !uniform => {
            return Err(SmaaError::LevelsWithSpread);
        }
        (Some(_), Some(h)) => Some(h),
        (Some(_), None) if constraints.is_empty() && uniform => Some(groups::Hierarchy::Level),
        (Some(_), None) => Some(groups::Hierarchy::Flat),
    };
    // Raw values given as ranges are drawn with whichever weights are.
    let ranged = ranges::has_ranges(original);
    let smaa = match (&tree, chosen) {
        (Some(t), Some(groups::Hierarchy::Level)) if ranged => {
            smaa::smaa_ranges_levels(original, analysed, config, t, progress)?
        }
        (Some(t), Some(groups::Hierarchy::Level)) => {
            smaa::smaa_levels(analysed, config, t, progress)?
        }
        _ => {
            let mut m = if ranged {
                smaa::smaa_ranges(original, analysed, config, constraints, progress)?
            } else {
                smaa::smaa_constrained_with_progress(analysed, config, constraints, progress)?
            };
            m.hierarchy = chosen;
            m
        }
    };
    Ok(Sensitivity {
        exact: exact(analysed),
        smaa: Some(smaa),
        groups: None,
        value: None,
    }
    .with_structure(original, analysed))
}

/// Runs every analysis.
pub fn analyse(appraisal: &Appraisal, config: &SmaaConfig) -> Result<Sensitivity, SmaaError> {
    analyse_with_progress(appraisal, config, &|_| {})
}

/// [`analyse`], telling `progress` how far the Monte Carlo run has gone.
pub fn analyse_with_progress(
    appraisal: &Appraisal,
    config: &SmaaConfig,
    progress: &dyn Fn(smaa::Progress),
) -> Result<Sensitivity, SmaaError> {
    Ok(Sensitivity {
        exact: exact(appraisal),
        smaa: Some(smaa::smaa_with_progress(appraisal, config, progress)?),
        groups: None,
        value: None,
    })
}

/// Runs every analysis, the Monte Carlo over the weightings that meet
/// `constraints` (the same as [`analyse_with_progress`] when there are
/// none), telling `progress` how far the Monte Carlo run has gone.
pub fn analyse_constrained(
    appraisal: &Appraisal,
    config: &SmaaConfig,
    constraints: &WeightConstraints,
    progress: &dyn Fn(smaa::Progress),
) -> Result<Sensitivity, SmaaError> {
    Ok(Sensitivity {
        exact: exact(appraisal),
        smaa: Some(smaa::smaa_constrained_with_progress(
            appraisal,
            config,
            constraints,
            progress,
        )?),
        groups: None,
        value: None,
    })
}
