//! Criteria, their groups and what a panel agreed about weights; option
//! groups and evidence, the other parts of a version-2 structure.

use super::error::ModelError;
use super::scale::Scale;
use super::screening::Screen;
use super::text::{Id, check_name};
use super::value_fn::Measure;
use crate::numbers::as_given;

/// One criterion against which every option is scored.
#[derive(Debug, Clone, PartialEq)]
pub struct Criterion {
    pub(super) id: Id,
    pub(super) name: String,
    pub(super) weight: f64,
    /// What the criterion asks of an option.
    pub description: Option<String>,
    // Index into the appraisal's criteria groups.
    pub(super) group: Option<usize>,
    // Its own scale; `None` means the appraisal's scale.
    pub(super) scale: Option<Scale>,
    // Set for a measured criterion, whose scores come from raw values.
    pub(super) measure: Option<Measure>,
    // Whether it is the appraisal's cost, for value for money.
    pub(super) cost: bool,
}

impl Criterion {
    /// A new criterion with a checked name and weight.
    pub fn new(id: Id, name: &str, weight: f64) -> Result<Criterion, ModelError> {
        check_name(name)?;
        check_weight(weight)?;
        Ok(Criterion {
            id,
            name: name.to_owned(),
            weight,
            description: None,
            group: None,
            scale: None,
            measure: None,
            cost: false,
        })
    }

    /// The criterion placed in the group at `group` (an index into the
    /// appraisal's groups, checked when the appraisal is assembled).
    pub fn in_group(mut self, group: Option<usize>) -> Criterion {
        self.group = group;
        self
    }

    /// The criterion scored on a scale of its own.
    pub fn with_scale(mut self, scale: Option<Scale>) -> Criterion {
        self.scale = scale;
        self
    }

    /// The criterion measured: its scores come from raw values.
    pub fn measured(mut self, measure: Option<Measure>) -> Criterion {
        self.measure = measure;
        self
    }

    /// The criterion marked as the appraisal's cost (a measured criterion
    /// where lower is better; checked when the appraisal is assembled).
    pub fn as_cost(mut self, cost: bool) -> Criterion {
        self.cost = cost;
        self
    }

    /// Whether it is the appraisal's cost, which value for money sets
    /// against the benefit of the other criteria.
    pub fn is_cost(&self) -> bool {
        self.cost
    }

    /// The group it belongs to, as an index into [`Appraisal::groups`].
    pub fn group(&self) -> Option<usize> {
        self.group
    }

    /// Its own scale, if it has one (otherwise the appraisal's applies).
    pub fn own_scale(&self) -> Option<&Scale> {
        self.scale.as_ref()
    }

    /// How its raw values become scores, for a measured criterion.
    pub fn measure(&self) -> Option<&Measure> {
        self.measure.as_ref()
    }

    /// The criterion's id.
    pub fn id(&self) -> &Id {
        &self.id
    }

    /// The criterion's display name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The weight, used as written (not normalised).
    pub fn weight(&self) -> f64 {
        self.weight
    }

    /// Renames the criterion.
    pub fn set_name(&mut self, name: &str) -> Result<(), ModelError> {
        check_name(name)?;
        self.name = name.to_owned();
        Ok(())
    }
}

/// A heading under which criteria (and other groups) sit, with its own
/// weight: a branch of the value tree.
#[derive(Debug, Clone, PartialEq)]
pub struct CriterionGroup {
    pub(super) id: Id,
    pub(super) name: String,
    pub(super) weight: f64,
    /// What the group covers.
    pub description: Option<String>,
    pub(super) parent: Option<usize>,
}

impl CriterionGroup {
    /// A group with a checked name and weight; `parent` is the index of the
    /// group it sits in, checked when the appraisal is assembled.
    pub fn new(
        id: Id,
        name: &str,
        weight: f64,
        parent: Option<usize>,
    ) -> Result<CriterionGroup, ModelError> {
        check_name(name)?;
        check_weight(weight)?;
        Ok(CriterionGroup {
            id,
            name: name.to_owned(),
            weight,
            description: None,
            parent,
        })
    }

    /// The group's id.
    pub fn id(&self) -> &Id {
        &self.id
    }

    /// The group's display name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Its weight as written, relative to the other members of its parent
    /// (or to the other top-level groups and criteria).
    pub fn weight(&self) -> f64 {
        self.weight
    }

    /// The group it sits in, as an index into [`Appraisal::groups`].
    pub fn parent(&self) -> Option<usize> {
        self.parent
    }
}

/// A heading for options, such as a strategic group, with a description.
#[derive(Debug, Clone, PartialEq)]
pub struct OptionGroup {
    /// The name options give as their `group`.
    pub name: String,
    /// What the options in the group have in common.
    pub description: Option<String>,
}

/// Points for (+) and against (−) a score, beside its free note.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Evidence {
    /// Points in favour, one per entry.
    pub for_: Vec<String>,
    /// Points against, one per entry.
    pub against: Vec<String>,
}

impl Evidence {
    /// Whether there is no evidence either way.
    pub fn is_empty(&self) -> bool {
        self.for_.is_empty() && self.against.is_empty()
    }
}

/// What a panel agreed about the weights, recorded in the file under
/// `[agreed_weights]` so that its position stands next to its scores. Each
/// entry is written as `appraise sensitivity` takes the matching flag.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct AgreedWeights {
    /// Orders of importance, as `--order` takes them (`child > workforce > rest`).
    pub order: Vec<String>,
    /// Bounds on a criterion's share, as `--share` takes them (`risk=10%..30%`).
    pub share: Vec<String>,
    /// Fixed shares, as `--fix` takes them (`cost=20%`).
    pub fixed: Vec<String>,
}

impl AgreedWeights {
    /// Whether nothing was agreed.
    pub fn is_empty(&self) -> bool {
        self.order.is_empty() && self.share.is_empty() && self.fixed.is_empty()
    }
}

/// The parts of a version-2 appraisal that a version-1 file has none of.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Structure {
    /// The format version the file declares or uses (1 or 2).
    pub version: u8,
    /// Criteria groups, in file order.
    pub groups: Vec<CriterionGroup>,
    /// Whether weights are written as percentages (each set adds up to 100).
    pub percent_weights: bool,
    /// Option groups with descriptions, in file order.
    pub option_groups: Vec<OptionGroup>,
    /// Pass/fail screening tests, in file order.
    pub screens: Vec<Screen>,
    /// Whether the file has no `[scale]`: every criterion has its own, and a
    /// total is a sum of weight × a 0-1 value.
    pub no_common_scale: bool,
    /// What the panel agreed about the weights.
    pub agreed: AgreedWeights,
}

pub(super) fn check_weight(w: f64) -> Result<(), ModelError> {
    if w.is_finite() && w >= 0.0 {
        Ok(())
    } else {
        Err(ModelError::InvalidWeight(as_given(w)))
    }
}

/// Why a score cannot stand in its cell.
#[derive(Debug, Clone, PartialEq)]
pub enum ScoreFault {
    /// The criterion is measured: its scores come from the options' raw
    /// values, so it takes none.
    Measured,
    /// The criterion's scale is itself broken (and reported where it is
    /// written), so the score cannot be checked or kept.
    NoScale,
    /// The score is not on the criterion's scale.
    OffScale(ModelError),
}

/// The rule for one score, which every reader of scores (the appraisal
/// file, large files, scoresheets) applies: a measured criterion takes no
/// score, and any other score lies on the criterion's `scale`. Gives the
/// score to keep.
pub fn check_score(measured: bool, scale: Option<&Scale>, value: f64) -> Result<f64, ScoreFault> {
    if measured {
        return Err(ScoreFault::Measured);
    }
    let scale = scale.ok_or(ScoreFault::NoScale)?;
    scale.check(value).map_err(ScoreFault::OffScale)?;
    Ok(value)
}
