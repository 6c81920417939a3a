//! The rules the model keeps, as errors: what an attempted change broke.

use thiserror::Error;

use crate::numbers::as_given;

/// Longest id accepted; ids are short labels, not prose.
pub const MAX_ID_LEN: usize = 64;

/// A rule broken by an attempted change to the model.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum ModelError {
    /// The id is empty, too long or has characters other than `a-z`, `0-9` and `-`.
    #[error(
        "`{0}` is not a valid id: use lowercase letters a-z, digits and '-', at most {MAX_ID_LEN} characters"
    )]
    InvalidId(String),
    /// Another option or criterion already uses this id.
    #[error("the id `{0}` is already used")]
    DuplicateId(String),
    /// A name is blank.
    #[error("a name cannot be blank")]
    BlankName,
    /// Text contains a control character that would corrupt tables or terminals.
    #[error("{}", control_message(*.0))]
    ControlCharacter(u32),
    /// A one-line name contains a Unicode line or paragraph separator.
    #[error(
        "the text contains a {kind} (U+{code:04X}), which some programs show as a line break; a name must be one line",
        kind = if *.0 == 0x2029 { "paragraph separator" } else { "line separator" },
        code = .0
    )]
    LineSeparator(u32),
    /// A one-line name contains a bidi embedding, override or isolate.
    #[error(
        "the text contains an invisible direction control (U+{0:04X}), which makes a name read in a different order from the characters it holds; remove it (right-to-left names need no such character)"
    )]
    BidiControl(u32),
    /// The score is outside the scale.
    #[error("{value} is outside the scale {min} to {max}")]
    ScoreOutOfRange {
        /// The rejected score.
        value: String,
        /// The scale minimum.
        min: String,
        /// The scale maximum.
        max: String,
    },
    /// The score is within the scale but not on one of its steps.
    #[error("{value} is not on the scale's steps of {step} from {min}")]
    ScoreOffStep {
        /// The rejected score.
        value: String,
        /// The scale minimum.
        min: String,
        /// The scale step.
        step: String,
    },
    /// A weight is negative, NaN or infinite.
    #[error("a weight of {0} is not allowed: weights must be finite numbers, zero or more")]
    InvalidWeight(String),
    /// The change would leave every weight at zero.
    #[error("at least one criterion must have a weight above zero")]
    AllWeightsZero,
    /// The weights are so large that a total would overflow.
    #[error("the weights are too large: the maximum possible total is not a finite number")]
    TotalOverflow,
    /// The scale itself is malformed.
    #[error("{0}")]
    InvalidScale(String),
    /// A measured value falls outside what its criterion's value function takes.
    #[error(transparent)]
    InvalidValue(#[from] ValueError),
    /// A range of measured values cannot be used.
    #[error(transparent)]
    InvalidRange(#[from] RangeError),
    /// The scale has more steps than a score can sensibly be typed on.
    #[error("the scale has {0} steps from its min to its max; at most 10,000 are allowed")]
    TooManySteps(String),
    /// The change would leave no options or no criteria.
    #[error("an appraisal needs at least one {0}")]
    WouldBeEmpty(&'static str),
    /// An index was out of bounds.
    #[error("there is no {0} at position {1}")]
    NoSuchIndex(&'static str, usize),
    /// A screening failure was recorded without saying why.
    #[error(
        "a failed screening test needs a reason, so the long list can say why the option was dropped"
    )]
    FailWithoutReason,
    /// A criterion or group names a group that does not exist.
    #[error("there is no criteria group `{0}`")]
    UnknownGroup(String),
    /// Groups that contain each other.
    #[error("the criteria group `{0}` is inside itself (through the groups it belongs to)")]
    GroupCycle(String),
    /// A group with no criteria under it.
    #[error("the criteria group `{0}` has no criteria in it")]
    EmptyGroup(String),
    /// A group carries weight but every member weighs zero.
    #[error(
        "the criteria group `{0}` has a weight, but everything in it weighs zero, so its weight would be lost"
    )]
    GroupWeightless(String),
    /// A score was set by hand on a criterion whose scores come from measured values.
    #[error(
        "`{0}` is a measured criterion: its scores come from the raw values, so set the value instead"
    )]
    Measured(String),
    /// A value, reference or flag that must be unique is used twice.
    #[error("{0}")]
    NotUnique(String),
}

/// What a control character is, in words, for [`ModelError::ControlCharacter`].
fn control_message(code: u32) -> String {
    match code {
        0x0a | 0x0d => "the text contains a line break, which a one-line field cannot hold".into(),
        0x09 => "the text contains a tab, which a one-line field cannot hold".into(),
        0x1b => "the text contains an escape character (code 0x1b), which can change what a terminal shows; remove it".into(),
        _ => format!(
            "the text contains an invisible control character (code {code:#04x}), which can corrupt tables and terminals; remove it"
        ),
    }
}

/// Why a raw value gives no score.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ValueError {
    /// No band's test holds for the value.
    NoBand(String),
    /// The relative-to-best formula needs values above zero.
    NotPositive(String),
    /// The value is not a finite number.
    NotFinite,
}

impl std::fmt::Display for ValueError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ValueError::NoBand(v) => write!(f, "{v} falls in none of the bands"),
            ValueError::NotPositive(v) => write!(
                f,
                "{v} cannot be scored relative to the best: the formula divides by values, so every value must be above zero"
            ),
            ValueError::NotFinite => f.write_str("the value is not an ordinary finite number"),
        }
    }
}

impl std::error::Error for ValueError {}

/// Why a range of raw values cannot be used.
#[derive(Debug, Clone, PartialEq)]
pub enum RangeError {
    /// The low end is above the high end.
    LowAboveHigh(f64, f64),
    /// The likely value is outside low to high.
    LikelyOutside(f64),
    /// Low, likely or high is not an ordinary finite number.
    NotFinite,
    /// A value in the range gives no score.
    Value(ValueError),
}

impl std::fmt::Display for RangeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RangeError::LowAboveHigh(l, h) => write!(
                f,
                "the low end, {}, is above the high end, {}",
                as_given(*l),
                as_given(*h)
            ),
            RangeError::LikelyOutside(c) => write!(
                f,
                "the likely value, {}, is outside the range from low to high",
                as_given(*c)
            ),
            RangeError::NotFinite => {
                f.write_str("low, likely and high must be ordinary finite numbers")
            }
            RangeError::Value(e) => write!(f, "a value in the range: {e}"),
        }
    }
}

impl std::error::Error for RangeError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            RangeError::Value(e) => Some(e),
            _ => None,
        }
    }
}
