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
pub mod hit_and_run;
mod kernel;
pub mod leave_out;
pub mod output;
pub mod scores;
pub mod smaa;
pub mod statements;
#[cfg(test)]
mod testutil;
pub mod weights;

use serde::Serialize;

use crate::compute::{Results, compute};
use crate::model::Appraisal;

pub use constraints::{
    AgreedEntry, ConstraintError, ConstraintParseError, Sampler, WeightConstraint,
    WeightConstraints,
};
pub use kernel::{ISA_VAR, Isa, IsaError};
pub use leave_out::{LeaveOneOut, RankMove, leave_one_out};
pub use scores::{Challenge, Direction, ScoreChange, ScoreRobustness, score_robustness};
pub use smaa::{
    OptionAcceptability, Smaa, SmaaConfig, SmaaError, WeightModel, smaa, smaa_constrained,
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

/// Everything a sensitivity report holds: always the exact analyses, and
/// the Monte Carlo run when one was asked for.
#[derive(Debug, Clone, PartialEq)]
pub struct Sensitivity {
    /// The exact analyses.
    pub exact: Exact,
    /// The Monte Carlo run, if any.
    pub smaa: Option<Smaa>,
}

/// The exact analyses alone, without a Monte Carlo run.
pub fn analyse_exact(appraisal: &Appraisal) -> Sensitivity {
    Sensitivity {
        exact: exact(appraisal),
        smaa: None,
    }
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
    })
}
