//! The validated appraisal model.
//!
//! Every value here has passed validation, and every mutator re-checks the
//! rules, so code that holds an [`Appraisal`] can rely on them:
//! ids are well formed and unique, scores lie on the scale, weights are finite
//! and non-negative with at least one positive, and no total can overflow.
//!
//! The parts, bottom up: [`error`] (the rules as errors), [`text`] (ids,
//! names, free text), [`scale`], [`published`] (figures as a source printed
//! them), [`value_fn`] (measured criteria), [`screening`] (pass/fail tests),
//! [`criterion`], [`option`], and [`appraisal`], which holds them together.

pub mod appraisal;
pub mod criterion;
pub mod error;
pub mod option;
pub mod published;
pub mod scale;
pub mod screening;
pub mod text;
pub mod value_fn;

pub use appraisal::{Appraisal, Meta, RemovedCriterion};
pub use criterion::{
    AgreedWeights, Criterion, CriterionGroup, Evidence, OptionGroup, ScoreFault, Structure,
    check_score,
};
pub use error::{MAX_ID_LEN, ModelError};
pub use option::AppraisalOption;
pub use published::{Published, written_decimals};
pub(crate) use scale::snap;
pub use scale::{MAX_SCALE_POINTS, Scale};
pub use text::{Id, check_name, check_note, check_text, slug};

#[cfg(test)]
mod tests;
