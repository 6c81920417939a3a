//! The validated appraisal model.
//!
//! Every value here has passed validation, and every mutator re-checks the
//! rules, so code that holds an [`Appraisal`] can rely on them:
//! ids are well formed and unique, scores lie on the scale, weights are finite
//! and non-negative with at least one positive, and no total can overflow.

use std::fmt;

use thiserror::Error;

use crate::numbers::{as_given, score, shorten};

/// Longest id accepted; ids are short labels, not prose.
pub const MAX_ID_LEN: usize = 64;

/// Most points a scale may have; keeps score stepping and robustness search bounded.
pub const MAX_SCALE_POINTS: f64 = 10_000.0;

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

/// A validated identifier: lowercase ASCII letters, digits and `-`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Id(String);

impl Id {
    /// Checks `s` against the id rules and wraps it.
    pub fn new(s: &str) -> Result<Id, ModelError> {
        let ok = !s.is_empty()
            && s.len() <= MAX_ID_LEN
            && s.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if ok {
            Ok(Id(s.to_owned()))
        } else {
            Err(ModelError::InvalidId(shorten(s)))
        }
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The id-shaped form of any text: lowercase ASCII letters and digits, with
/// every run of anything else turned into one `-` ("Shared Service (2)" ->
/// "shared-service-2"); empty when the text holds no ASCII letter or digit.
///
/// Ids suggested in messages, ids made from names on the scoring screen and
/// the member part of a scoresheet's file name all come from here.
pub fn slug(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    // Lowercase first, as Unicode does it: the Kelvin sign becomes `k`.
    for c in text.to_lowercase().chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}

/// Checks a one-line name: not blank, free of control characters, of
/// Unicode line and paragraph separators and of bidi embeddings, overrides
/// and isolates.
pub fn check_name(name: &str) -> Result<(), ModelError> {
    if name.trim().is_empty() {
        return Err(ModelError::BlankName);
    }
    if let Some(c) = name.chars().find(|c| c.is_control()) {
        return Err(ModelError::ControlCharacter(c as u32));
    }
    // Invisible in most editors, yet a line break in Word, browsers and JSON readers.
    if let Some(c) = name.chars().find(|c| matches!(c, '\u{2028}' | '\u{2029}')) {
        return Err(ModelError::LineSeparator(c as u32));
    }
    // The "Trojan source" characters: a name is compared, sorted and shown
    // beside others, and must read as what it holds.
    if let Some(c) = name
        .chars()
        .find(|c| matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'))
    {
        return Err(ModelError::BidiControl(c as u32));
    }
    Ok(())
}

/// Checks free text (descriptions, notes): newlines and tabs are fine, other
/// control characters are not, since they can rewrite a terminal or break an export.
pub fn check_text(text: &str) -> Result<(), ModelError> {
    // Most text is printable ASCII; checking bytes first keeps large files fast.
    // Whole chunks without an early exit, so the compiler checks 32 bytes at once.
    let plain = |b: u8| (0x20..0x7f).contains(&b) || b == b'\n';
    if text
        .as_bytes()
        .chunks(32)
        .all(|chunk| chunk.iter().fold(true, |all, &b| all & plain(b)))
    {
        return Ok(());
    }
    match text
        .chars()
        .find(|&c| c.is_control() && !matches!(c, '\n' | '\t' | '\r'))
    {
        Some(c) => Err(ModelError::ControlCharacter(c as u32)),
        None => Ok(()),
    }
}

/// Descriptive details of the appraisal as a whole.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Meta {
    /// The appraisal's title (required, one line).
    pub title: String,
    /// The organisation carrying out the appraisal.
    pub organisation: Option<String>,
    /// When the appraisal was made, as free text.
    pub date: Option<String>,
    /// The document the appraisal comes from.
    pub source: Option<String>,
    /// A longer description.
    pub description: Option<String>,
}

/// The scoring scale: every score is `min + k * step` within `[min, max]`.
///
/// A panel's consensus is held on a scale that also allows values between
/// the steps (see [`Scale::for_consensus`]): a mean of 3 and 4 is 3.5, exactly.
#[derive(Debug, Clone, PartialEq)]
pub struct Scale {
    min: f64,
    max: f64,
    step: f64,
    labels: Vec<(f64, String)>,
    between_steps: bool,
}

impl Scale {
    /// Builds a scale, checking that `max > min`, `step > 0`, that `max` lies
    /// on a step, and that there are at most [`MAX_SCALE_POINTS`] steps.
    pub fn new(min: f64, max: f64, step: f64) -> Result<Scale, ModelError> {
        let scale = Scale::unbounded(min, max, step)?;
        let points = (max - min) / step;
        if points > MAX_SCALE_POINTS {
            return Err(ModelError::TooManySteps(score(points.floor())));
        }
        Ok(scale)
    }

    /// A scale for a panel's consensus: any value from `min` to `max`, not only
    /// the steps, and no limit on the number of steps (a summed consensus of
    /// many members spans many). `step` stays the unit of a score change.
    pub fn for_consensus(min: f64, max: f64, step: f64) -> Result<Scale, ModelError> {
        let mut scale = Scale::unbounded(min, max, step)?;
        scale.between_steps = true;
        Ok(scale)
    }

    /// Whether scores may lie between the steps (a consensus scale).
    pub fn allows_between_steps(&self) -> bool {
        self.between_steps
    }

    fn unbounded(min: f64, max: f64, step: f64) -> Result<Scale, ModelError> {
        if !min.is_finite() || !max.is_finite() || !(max - min).is_finite() {
            return Err(ModelError::InvalidScale(
                "the scale's min and max must be ordinary finite numbers".into(),
            ));
        }
        if max <= min {
            return Err(ModelError::InvalidScale(format!(
                "the scale's max ({}) must be greater than its min ({})",
                as_given(max),
                as_given(min)
            )));
        }
        if !step.is_finite() || step <= 0.0 {
            return Err(ModelError::InvalidScale(format!(
                "the scale's step must be a number above zero, not {}",
                as_given(step)
            )));
        }
        let scale = Scale {
            min,
            max,
            step,
            labels: Vec::new(),
            between_steps: false,
        };
        if !scale.on_step(max) {
            return Err(ModelError::InvalidScale(format!(
                "the scale's max ({}) must be a whole number of steps ({}) above its min ({})",
                as_given(max),
                as_given(step),
                as_given(min)
            )));
        }
        Ok(scale)
    }

    /// Adds or replaces the anchor wording for a point on the scale.
    pub fn set_label(&mut self, value: f64, text: String) -> Result<(), ModelError> {
        self.check(value)?;
        check_text(&text)?;
        match self.labels.iter_mut().find(|(v, _)| *v == value) {
            Some(slot) => slot.1 = text,
            None => {
                self.labels.push((value, text));
                self.labels.sort_by(|a, b| a.0.total_cmp(&b.0));
            }
        }
        Ok(())
    }

    /// The lowest score.
    pub fn min(&self) -> f64 {
        self.min
    }

    /// The highest score.
    pub fn max(&self) -> f64 {
        self.max
    }

    /// The distance between neighbouring scores.
    pub fn step(&self) -> f64 {
        self.step
    }

    /// Anchor wording, sorted by scale value.
    pub fn labels(&self) -> &[(f64, String)] {
        &self.labels
    }

    /// The anchor wording exactly at `value`, if any.
    pub fn label(&self, value: f64) -> Option<&str> {
        self.labels
            .iter()
            .find(|(v, _)| (*v - value).abs() < self.tolerance())
            .map(|(_, s)| s.as_str())
    }

    /// How many steps the scale spans (`(max - min) / step`).
    pub fn step_count(&self) -> u32 {
        // Bounded by MAX_SCALE_POINTS in `new`; a consensus scale saturates.
        ((self.max - self.min) / self.step).round() as u32
    }

    /// How many whole steps `value` can move down without leaving the scale
    /// (for a value between steps, the whole steps below it).
    pub fn steps_down(&self, value: f64) -> u32 {
        ((value - self.min) / self.step + 1e-9).floor().max(0.0) as u32
    }

    /// How many whole steps `value` can move up without leaving the scale.
    pub fn steps_up(&self, value: f64) -> u32 {
        ((self.max - value) / self.step + 1e-9).floor().max(0.0) as u32
    }

    /// `value` moved by `delta` whole steps, clamped to the scale; a value
    /// between steps stays between them.
    pub fn shifted(&self, value: f64, delta: i64) -> f64 {
        snap(value + delta as f64 * self.step).clamp(self.min, self.max)
    }

    /// Every point on the scale, from min to max.
    pub fn points(&self) -> impl Iterator<Item = f64> + '_ {
        (0..=self.step_count()).map(|k| self.point(k))
    }

    /// The `k`-th point above the minimum.
    pub fn point(&self, k: u32) -> f64 {
        snap(self.min + f64::from(k) * self.step)
    }

    /// Which step a score on this scale sits at.
    pub fn index_of(&self, value: f64) -> u32 {
        ((value - self.min) / self.step)
            .round()
            .clamp(0.0, f64::from(self.step_count())) as u32
    }

    /// Moves `value` by `delta` steps, clamped to the scale.
    pub fn nudge(&self, value: f64, delta: i64) -> f64 {
        let k = i64::from(self.index_of(value)) + delta;
        self.point(k.clamp(0, i64::from(self.step_count())) as u32)
    }

    fn tolerance(&self) -> f64 {
        self.step * 1e-9
    }

    fn on_step(&self, value: f64) -> bool {
        let k = ((value - self.min) / self.step).round();
        (self.min + k * self.step - value).abs() <= self.tolerance()
    }

    /// Checks that `value` is a score this scale allows.
    pub fn check(&self, value: f64) -> Result<(), ModelError> {
        let tol = self.tolerance();
        if !value.is_finite() || value < self.min - tol || value > self.max + tol {
            return Err(ModelError::ScoreOutOfRange {
                value: as_given(value),
                min: score(self.min),
                max: score(self.max),
            });
        }
        if !self.between_steps && !self.on_step(value) {
            return Err(ModelError::ScoreOffStep {
                value: as_given(value),
                min: score(self.min),
                step: score(self.step),
            });
        }
        Ok(())
    }

    /// Whether every total these weights can produce on this scale is finite.
    pub fn totals_finite(&self, weights: impl Iterator<Item = f64>) -> bool {
        let magnitude = self.min.abs().max(self.max.abs());
        let (mut bound, mut spread) = (0.0f64, 0.0f64);
        for w in weights {
            bound += w * magnitude;
            spread += w * (self.max - self.min);
        }
        bound.is_finite() && spread.is_finite()
    }
}

/// Rounds away binary noise such as `0.30000000000000004`, so stepped scores print cleanly.
pub(crate) fn snap(x: f64) -> f64 {
    let r = (x * 1e9).round() / 1e9;
    if r.is_finite() { r } else { x }
}

/// One criterion against which every option is scored.
#[derive(Debug, Clone, PartialEq)]
pub struct Criterion {
    id: Id,
    name: String,
    weight: f64,
    /// What the criterion asks of an option.
    pub description: Option<String>,
    // Index into the appraisal's criteria groups.
    group: Option<usize>,
    // Its own scale; `None` means the appraisal's scale.
    scale: Option<Scale>,
    // Set for a measured criterion, whose scores come from raw values.
    measure: Option<crate::value_fn::Measure>,
    // Whether it is the appraisal's cost, for value for money.
    cost: bool,
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
    pub fn measured(mut self, measure: Option<crate::value_fn::Measure>) -> Criterion {
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
    pub fn measure(&self) -> Option<&crate::value_fn::Measure> {
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
    id: Id,
    name: String,
    weight: f64,
    /// What the group covers.
    pub description: Option<String>,
    parent: Option<usize>,
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
    pub screens: Vec<crate::screening::Screen>,
    /// Whether the file has no `[scale]`: every criterion has its own, and a
    /// total is a sum of weight × a 0-1 value.
    pub no_common_scale: bool,
    /// What the panel agreed about the weights.
    pub agreed: AgreedWeights,
}

fn check_weight(w: f64) -> Result<(), ModelError> {
    if w.is_finite() && w >= 0.0 {
        Ok(())
    } else {
        Err(ModelError::InvalidWeight(as_given(w)))
    }
}

/// Most decimals a published figure's precision is taken to have; beyond
/// this, binary floating point has no more to compare.
const MAX_PUBLISHED_DECIMALS: u32 = 15;

/// How close a total must be to a published figure, beyond the figure's own
/// rounding, to agree with it: binary noise in the sums of weighted scores.
const PUBLISHED_TOLERANCE: f64 = 1e-9;

/// A total as a source document printed it: its value and the number of
/// decimals it was written with ("3.8" has one, "24" none, "3.80" two).
///
/// A source that prints 3.8 for a total of 3.75 has rounded, not erred, so a
/// computed total agrees with a published figure when it rounds to it at the
/// figure's own precision (either way at an exact half, since sources round
/// halves both ways).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Published {
    value: f64,
    decimals: u32,
}

impl Published {
    /// A figure with the precision of its shortest written form: 24 has no
    /// decimals, 3.75 two.
    pub fn new(value: f64) -> Published {
        Published::written(value, &as_given(value))
    }

    /// A figure as written in a file: `text` is the number's text (`3.80`,
    /// `1_000`, `3.8e1`), which sets its precision.
    pub fn written(value: f64, text: &str) -> Published {
        Published {
            value,
            decimals: written_decimals(text),
        }
    }

    /// The figure's value.
    pub fn value(&self) -> f64 {
        self.value
    }

    /// How many decimals it was written with.
    pub fn decimals(&self) -> u32 {
        self.decimals
    }

    /// The figure as written: with its decimals, so 3.80 stays 3.80.
    pub fn text(&self) -> String {
        let text = crate::numbers::fixed(self.value, self.decimals);
        if text.parse::<f64>() == Ok(self.value) {
            text
        } else {
            as_given(self.value)
        }
    }

    /// How far a total may be from this figure and still agree with it:
    /// half a unit of its last decimal, and a little for binary noise.
    pub fn allowance(&self) -> f64 {
        let half = 0.5 * 10f64.powi(-(self.decimals as i32));
        half + PUBLISHED_TOLERANCE * self.value.abs().max(1.0)
    }

    /// Whether `total` rounds to this figure at its precision.
    pub fn agrees_with(&self, total: f64) -> bool {
        (total - self.value).abs() <= self.allowance()
    }

    /// `total` rounded to this figure's precision, as the source would print it.
    pub fn rounded(&self, total: f64) -> String {
        crate::numbers::fixed(total, self.decimals)
    }
}

/// How many decimals a number's text shows: "3.8" one, "24" none, "3.8e1"
/// none (it is 38), "1.25e-1" three, hexadecimal none.
pub fn written_decimals(text: &str) -> u32 {
    let t: String = text
        .trim()
        .trim_start_matches(['+', '-'])
        .chars()
        .filter(|&c| c != '_')
        .collect::<String>()
        .to_ascii_lowercase();
    if t.starts_with("0x") || t.starts_with("0o") || t.starts_with("0b") {
        return 0;
    }
    let (mantissa, exponent) = match t.split_once('e') {
        Some((m, e)) => (m, e.parse::<i64>().unwrap_or(0)),
        None => (t.as_str(), 0),
    };
    let fraction = mantissa.split_once('.').map_or(0, |(_, f)| f.len() as i64);
    (fraction - exponent).clamp(0, i64::from(MAX_PUBLISHED_DECIMALS)) as u32
}

/// One option under appraisal, with its scores and notes per criterion.
#[derive(Debug, Clone, PartialEq)]
pub struct AppraisalOption {
    id: Id,
    name: String,
    /// The strategic group or category the option belongs to.
    pub group: Option<String>,
    /// What the option is.
    pub description: Option<String>,
    /// Its main strengths, one per entry.
    pub strengths: Vec<String>,
    /// Its main weaknesses, one per entry.
    pub weaknesses: Vec<String>,
    // The total the source document states, for reconciliation.
    published: Option<Published>,
    /// The rank the source document gives, for reconciliation.
    pub published_rank: Option<u32>,
    /// The percentage the source document gives, for reconciliation.
    pub published_percent: Option<Published>,
    // Group subtotals the source gives: (group index, figure).
    published_subtotals: Vec<(usize, Published)>,
    // The option's number or letter in the source ("1", "A"); unique.
    reference: Option<String>,
    // The business-as-usual or do-minimum option; at most one.
    baseline: bool,
    // Aligned with the appraisal's criteria; `None` means "not yet scored".
    // For a measured criterion the score is derived from `measures`.
    scores: Vec<Option<f64>>,
    notes: Vec<Option<String>>,
    evidence: Vec<Evidence>,
    measures: Vec<Option<f64>>,
    // Aligned with the appraisal's screening tests.
    screening: Vec<Option<crate::screening::ScreenResult>>,
}

impl AppraisalOption {
    /// A new, unscored option for an appraisal with `criteria` criteria.
    pub fn new(id: Id, name: &str, criteria: usize) -> Result<AppraisalOption, ModelError> {
        check_name(name)?;
        Ok(AppraisalOption {
            id,
            name: name.to_owned(),
            group: None,
            description: None,
            strengths: Vec::new(),
            weaknesses: Vec::new(),
            published: None,
            published_rank: None,
            published_percent: None,
            published_subtotals: Vec::new(),
            reference: None,
            baseline: false,
            scores: vec![None; criteria],
            notes: vec![None; criteria],
            evidence: vec![Evidence::default(); criteria],
            measures: vec![None; criteria],
            screening: Vec::new(),
        })
    }

    /// The option's number or letter in the source, such as "3" or "B".
    pub fn reference(&self) -> Option<&str> {
        self.reference.as_deref()
    }

    /// "3. Name" where the option has a reference, else the name: how
    /// tables name an option.
    pub fn label(&self) -> String {
        match &self.reference {
            Some(r) => format!("{r}. {}", self.name),
            None => self.name.clone(),
        }
    }

    /// Sets the reference (checked for uniqueness when the appraisal is assembled).
    pub fn set_reference(&mut self, reference: Option<String>) -> Result<(), ModelError> {
        if let Some(r) = &reference {
            check_name(r)?;
        }
        self.reference = reference;
        Ok(())
    }

    /// Whether this is the baseline (business as usual or do minimum).
    pub fn is_baseline(&self) -> bool {
        self.baseline
    }

    /// Marks or unmarks the baseline (one per appraisal, checked on assembly).
    pub fn set_baseline(&mut self, baseline: bool) {
        self.baseline = baseline;
    }

    /// Group subtotals the source gives: (group index, figure).
    pub fn published_subtotals(&self) -> &[(usize, Published)] {
        &self.published_subtotals
    }

    /// Sets the published subtotals (group indices checked on assembly).
    pub fn set_published_subtotals(&mut self, subtotals: Vec<(usize, Published)>) {
        self.published_subtotals = subtotals;
    }

    /// Evidence for and against, in criterion order.
    pub fn evidence(&self) -> &[Evidence] {
        &self.evidence
    }

    /// Sets the evidence on criterion `c`, checking its text.
    pub fn set_evidence(&mut self, c: usize, evidence: Evidence) -> Result<(), ModelError> {
        for t in evidence.for_.iter().chain(&evidence.against) {
            check_text(t)?;
        }
        let slot = self
            .evidence
            .get_mut(c)
            .ok_or(ModelError::NoSuchIndex("criterion", c))?;
        *slot = evidence;
        Ok(())
    }

    /// Raw values of measured criteria, in criterion order.
    pub fn measures(&self) -> &[Option<f64>] {
        &self.measures
    }

    /// The raw value on criterion `c`, if it is measured and given.
    pub fn measure(&self, c: usize) -> Option<f64> {
        self.measures.get(c).copied().flatten()
    }

    /// Replaces the raw values; the appraisal checks them on assembly.
    pub(crate) fn set_measures_unchecked(&mut self, measures: Vec<Option<f64>>) {
        self.measures = measures;
    }

    /// Screening results, in the order of the appraisal's tests.
    pub fn screening(&self) -> &[Option<crate::screening::ScreenResult>] {
        &self.screening
    }

    /// Replaces the screening results (aligned on assembly).
    pub fn set_screening(&mut self, results: Vec<Option<crate::screening::ScreenResult>>) {
        self.screening = results;
    }

    /// Whether the option failed any screening test.
    pub fn screened_out(&self) -> bool {
        self.screening.iter().flatten().any(|r| !r.pass)
    }

    /// The option's id.
    pub fn id(&self) -> &Id {
        &self.id
    }

    /// The option's display name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The total the source document states, if any.
    pub fn published_total(&self) -> Option<f64> {
        self.published.map(|p| p.value())
    }

    /// The published total with the precision it was written with.
    pub fn published(&self) -> Option<Published> {
        self.published
    }

    /// Sets the published total as it was written.
    pub fn set_published(&mut self, published: Option<Published>) {
        self.published = published;
    }

    /// Sets the published total to a value, written as a person would type it.
    pub fn set_published_total(&mut self, value: Option<f64>) {
        self.published = value.map(Published::new);
    }

    /// Renames the option.
    pub fn set_name(&mut self, name: &str) -> Result<(), ModelError> {
        check_name(name)?;
        self.name = name.to_owned();
        Ok(())
    }

    /// Scores in criterion order; `None` where not yet scored.
    pub fn scores(&self) -> &[Option<f64>] {
        &self.scores
    }

    /// The score against criterion `c`, if given.
    pub fn score(&self, c: usize) -> Option<f64> {
        self.scores.get(c).copied().flatten()
    }

    /// Notes in criterion order.
    pub fn notes(&self) -> &[Option<String>] {
        &self.notes
    }

    /// The note explaining the score against criterion `c`, if any.
    pub fn note(&self, c: usize) -> Option<&str> {
        self.notes.get(c).and_then(|n| n.as_deref())
    }

    /// Sets or clears the note on criterion `c`. Blank text clears it.
    pub fn set_note(&mut self, c: usize, note: Option<String>) -> Result<(), ModelError> {
        let slot = self
            .notes
            .get_mut(c)
            .ok_or(ModelError::NoSuchIndex("criterion", c))?;
        let note = note.filter(|n| !n.trim().is_empty());
        if let Some(n) = &note {
            check_text(n)?;
        }
        *slot = note;
        Ok(())
    }

    /// Replaces the whole row of scores; the caller has checked them against the scale
    /// and `Appraisal::new` checks the length.
    pub(crate) fn set_scores_unchecked(&mut self, scores: Vec<Option<f64>>) {
        self.scores = scores;
    }

    /// Replaces the whole row of notes; the caller has checked each with
    /// [`check_text`] and dropped blank ones, and `Appraisal::new` checks the length.
    pub(crate) fn set_notes_unchecked(&mut self, notes: Vec<Option<String>>) {
        self.notes = notes;
    }

    /// Whether every criterion has a score.
    pub fn is_complete(&self) -> bool {
        self.scores.iter().all(Option::is_some)
    }

    /// How many criteria have no score yet.
    pub fn unscored(&self) -> usize {
        self.scores.iter().filter(|s| s.is_none()).count()
    }
}

/// A whole appraisal: options scored against weighted criteria.
#[derive(Debug, Clone, PartialEq)]
pub struct Appraisal {
    /// Title, organisation and other descriptive details.
    pub meta: Meta,
    scale: Scale,
    criteria: Vec<Criterion>,
    options: Vec<AppraisalOption>,
    structure: Structure,
}

impl Appraisal {
    /// Assembles a version-1 appraisal, checking every cross-cutting rule.
    pub fn new(
        meta: Meta,
        scale: Scale,
        criteria: Vec<Criterion>,
        options: Vec<AppraisalOption>,
    ) -> Result<Appraisal, ModelError> {
        Appraisal::with_structure(meta, scale, criteria, options, Structure::default())
    }

    /// Assembles an appraisal with groups, screening and the other parts of
    /// version 2, checking every cross-cutting rule, then derives the scores
    /// of measured criteria from their raw values.
    pub fn with_structure(
        meta: Meta,
        scale: Scale,
        criteria: Vec<Criterion>,
        mut options: Vec<AppraisalOption>,
        mut structure: Structure,
    ) -> Result<Appraisal, ModelError> {
        check_name(&meta.title)?;
        if criteria.is_empty() {
            return Err(ModelError::WouldBeEmpty("criterion"));
        }
        if options.is_empty() {
            return Err(ModelError::WouldBeEmpty("option"));
        }
        structure.version = structure.version.max(1);
        check_groups(&structure.groups, &criteria)?;
        // Sets, not pairwise comparison: appraisals can have thousands of options.
        let mut seen = std::collections::HashSet::new();
        for c in &criteria {
            if !seen.insert(c.id.as_str()) {
                return Err(ModelError::DuplicateId(c.id.to_string()));
            }
        }
        for c in criteria.iter().filter(|c| c.cost) {
            if c.measure
                .as_ref()
                .is_none_or(|m| m.better != crate::value_fn::Better::Lower)
            {
                return Err(ModelError::NotUnique(format!(
                    "the cost `{}` must be a measured criterion where lower is better",
                    c.id
                )));
            }
        }
        if criteria.iter().filter(|c| c.cost).count() > 1 {
            return Err(ModelError::NotUnique(
                "only one criterion can be the cost".into(),
            ));
        }
        let mut seen = std::collections::HashSet::new();
        for s in &structure.screens {
            if !seen.insert(s.id().as_str()) {
                return Err(ModelError::DuplicateId(s.id().to_string()));
            }
        }
        let mut seen = std::collections::HashSet::new();
        let mut refs = std::collections::HashSet::new();
        let mut baselines = 0;
        for o in &mut options {
            if !seen.insert(o.id.as_str().to_owned()) {
                return Err(ModelError::DuplicateId(o.id.to_string()));
            }
            if let Some(r) = &o.reference
                && !refs.insert(r.clone())
            {
                return Err(ModelError::NotUnique(format!(
                    "the option reference \"{r}\" is used twice"
                )));
            }
            baselines += usize::from(o.baseline);
            if o.scores.len() != criteria.len()
                || o.notes.len() != criteria.len()
                || o.evidence.len() != criteria.len()
                || o.measures.len() != criteria.len()
            {
                return Err(ModelError::NoSuchIndex("criterion", criteria.len()));
            }
            o.screening.resize(structure.screens.len(), None);
            for (c, crit) in criteria.iter().enumerate() {
                match &crit.measure {
                    Some(m) => {
                        if let Some(raw) = o.measures[c] {
                            m.check(raw)
                                .map_err(|e| ModelError::InvalidScale(e.to_string()))?;
                        }
                    }
                    None => {
                        if o.measures[c].is_some() {
                            return Err(ModelError::NoSuchIndex("measured criterion", c));
                        }
                        if let Some(s) = o.scores[c] {
                            crit.scale.as_ref().unwrap_or(&scale).check(s)?;
                        }
                    }
                }
            }
            for (g, _) in &o.published_subtotals {
                if *g >= structure.groups.len() {
                    return Err(ModelError::NoSuchIndex("group", *g));
                }
            }
            if let Some(g) = &o.group
                && !structure.option_groups.is_empty()
                && !structure.option_groups.iter().any(|og| &og.name == g)
            {
                return Err(ModelError::UnknownGroup(g.clone()));
            }
        }
        if baselines > 1 {
            return Err(ModelError::NotUnique(
                "only one option can be the baseline".into(),
            ));
        }
        check_weights(&criteria, &structure.groups, &scale)?;
        let mut a = Appraisal {
            meta,
            scale,
            criteria,
            options,
            structure,
        };
        a.derive();
        Ok(a)
    }

    /// The format version: 1 for a file that uses nothing new, else 2.
    pub fn version(&self) -> u8 {
        self.structure.version
    }

    /// Whether the appraisal uses anything a version-1 file cannot hold, so
    /// that outputs add the parts that describe it.
    pub fn is_v2(&self) -> bool {
        self.structure.version >= 2
    }

    /// Criteria groups, in file order.
    pub fn groups(&self) -> &[CriterionGroup] {
        &self.structure.groups
    }

    /// Whether weights are written as percentages.
    pub fn percent_weights(&self) -> bool {
        self.structure.percent_weights
    }

    /// Option groups with descriptions, in file order.
    pub fn option_groups(&self) -> &[OptionGroup] {
        &self.structure.option_groups
    }

    /// Screening tests, in file order.
    pub fn screens(&self) -> &[crate::screening::Screen] {
        &self.structure.screens
    }

    /// What the panel agreed about the weights (`[agreed_weights]`).
    pub fn agreed_weights(&self) -> &AgreedWeights {
        &self.structure.agreed
    }

    /// Whether the file has no common `[scale]`, so totals are sums of
    /// weight × a 0-1 value.
    pub fn no_common_scale(&self) -> bool {
        self.structure.no_common_scale
    }

    /// The scale criterion `c` is scored on: its own, or the appraisal's.
    pub fn scale_of(&self, c: usize) -> &Scale {
        self.criteria
            .get(c)
            .and_then(|k| k.scale.as_ref())
            .unwrap_or(&self.scale)
    }

    /// The option marked as the baseline, if any.
    pub fn baseline(&self) -> Option<usize> {
        self.options.iter().position(|o| o.baseline)
    }

    /// Which options are on the shortlist: not screened out.
    pub fn shortlisted(&self) -> Vec<bool> {
        self.options.iter().map(|o| !o.screened_out()).collect()
    }

    /// Group `g` and every group above it, innermost first.
    pub fn group_path(&self, g: usize) -> Vec<usize> {
        let mut path = Vec::new();
        let mut at = Some(g);
        while let Some(i) = at {
            if path.contains(&i) || i >= self.structure.groups.len() {
                break;
            }
            path.push(i);
            at = self.structure.groups[i].parent;
        }
        path
    }

    /// Whether criterion `c` sits in group `g`, directly or through subgroups.
    pub fn in_group(&self, c: usize, g: usize) -> bool {
        self.criteria
            .get(c)
            .and_then(|k| k.group)
            .is_some_and(|inner| self.group_path(inner).contains(&g))
    }

    /// Each criterion's effective weight: its weight as written for a
    /// criterion outside any group; inside a group, the group's effective
    /// weight shared among the group's members in proportion to their weights.
    pub fn effective_weights(&self) -> Vec<f64> {
        effective_weights(&self.criteria, &self.structure.groups)
    }

    /// The effective weight of each group, in the same units.
    pub fn group_weights(&self) -> Vec<f64> {
        group_effective(&self.criteria, &self.structure.groups)
    }

    /// Criterion `c`'s score for option `o` as points on the appraisal's
    /// scale: the same fraction of the appraisal's range as the score is of
    /// the criterion's own range (exactly the score where the scales match).
    pub fn points(&self, o: usize, c: usize) -> Option<f64> {
        let s = self.options.get(o)?.score(c)?;
        Some(self.to_points(c, s))
    }

    /// A score on criterion `c`'s own scale as points on the appraisal's scale.
    pub fn to_points(&self, c: usize, s: f64) -> f64 {
        match self.criteria.get(c).and_then(|k| k.scale.as_ref()) {
            Some(own) if own.min() != self.scale.min() || own.max() != self.scale.max() => {
                let v = (s - own.min()) / (own.max() - own.min());
                self.scale.min() + v * (self.scale.max() - self.scale.min())
            }
            _ => s,
        }
    }

    /// One option's row of points, in criterion order (see [`Appraisal::points`]).
    pub fn points_row(&self, o: usize) -> Vec<Option<f64>> {
        (0..self.criteria.len())
            .map(|c| self.points(o, c))
            .collect()
    }

    /// Whether every score is already points on one scale with weights as
    /// written: the file uses no groups, own scales or screening, so every
    /// analysis can run on it as it is.
    pub fn is_flat(&self) -> bool {
        self.structure.groups.is_empty()
            && self.criteria.iter().all(|c| {
                c.scale
                    .as_ref()
                    .is_none_or(|s| s.min() == self.scale.min() && s.max() == self.scale.max())
            })
            && !self.options.iter().any(AppraisalOption::screened_out)
    }

    /// The appraisal as the analyses see it: the shortlisted options only,
    /// each criterion at its effective weight, every score as points on the
    /// appraisal's scale (between its steps where a criterion has its own
    /// scale or is measured). Totals and ranks are the same as
    /// [`crate::compute::compute`] gives for the shortlist.
    pub fn for_analysis(&self) -> std::borrow::Cow<'_, Appraisal> {
        if self.is_flat() {
            return std::borrow::Cow::Borrowed(self);
        }
        let weights = self.effective_weights();
        let mut criteria = self.criteria.clone();
        for (c, w) in criteria.iter_mut().zip(&weights) {
            c.weight = *w;
            c.group = None;
            c.scale = None;
            c.measure = None;
        }
        let mut scale = self.scale.clone();
        scale.between_steps = true;
        let options = self
            .options
            .iter()
            .enumerate()
            .filter(|(_, o)| !o.screened_out())
            .map(|(i, o)| {
                let mut o = o.clone();
                o.scores = self.points_row(i);
                o.measures = vec![None; criteria.len()];
                o.screening = Vec::new();
                o.published_subtotals = Vec::new();
                o
            })
            .collect();
        std::borrow::Cow::Owned(Appraisal {
            meta: self.meta.clone(),
            scale,
            criteria,
            options,
            structure: Structure {
                version: self.structure.version,
                ..Structure::default()
            },
        })
    }

    /// Recomputes the scores of measured criteria from the raw values; the
    /// local functions use the shortlist's worst and best.
    fn derive(&mut self) {
        let counts = self.shortlisted();
        for c in 0..self.criteria.len() {
            let Some(m) = self.criteria[c].measure.clone() else {
                continue;
            };
            let scale = self.scale_of(c).clone();
            let raws: Vec<Option<f64>> = self.options.iter().map(|o| o.measures[c]).collect();
            let derived = m.derive_all(scale.min(), scale.max(), &raws, &counts);
            for (o, d) in self.options.iter_mut().zip(derived) {
                o.scores[c] = d.map(|d| d.score);
            }
        }
    }

    /// How criterion `c`'s score for every option was derived from its raw
    /// value (`None` where it is not measured or has no value).
    pub fn derivations(&self, c: usize) -> Vec<Option<crate::value_fn::Derived>> {
        let Some(m) = self.criteria.get(c).and_then(|k| k.measure.as_ref()) else {
            return vec![None; self.options.len()];
        };
        let scale = self.scale_of(c);
        let raws: Vec<Option<f64>> = self.options.iter().map(|o| o.measures[c]).collect();
        m.derive_all(scale.min(), scale.max(), &raws, &self.shortlisted())
    }

    /// Sets or clears the raw value of measured criterion `c` for option
    /// `o`, then derives the scores again (a local scale can move them all).
    pub fn set_measure(
        &mut self,
        o: usize,
        c: usize,
        value: Option<f64>,
    ) -> Result<(), ModelError> {
        let crit = self
            .criteria
            .get(c)
            .ok_or(ModelError::NoSuchIndex("criterion", c))?;
        let Some(m) = &crit.measure else {
            return Err(ModelError::NoSuchIndex("measured criterion", c));
        };
        if let Some(v) = value {
            m.check(v)
                .map_err(|e| ModelError::InvalidScale(e.to_string()))?;
        }
        let opt = self
            .options
            .get_mut(o)
            .ok_or(ModelError::NoSuchIndex("option", o))?;
        opt.measures[c] = value;
        self.derive();
        Ok(())
    }

    /// The scoring scale.
    pub fn scale(&self) -> &Scale {
        &self.scale
    }

    /// Criteria in file order.
    pub fn criteria(&self) -> &[Criterion] {
        &self.criteria
    }

    /// Options in file order.
    pub fn options(&self) -> &[AppraisalOption] {
        &self.options
    }

    /// The option at `o`, for edits that cannot break cross-item rules.
    pub fn option_mut(&mut self, o: usize) -> Option<&mut AppraisalOption> {
        self.options.get_mut(o)
    }

    /// The criterion at `c`, for edits that cannot break cross-item rules.
    pub fn criterion_mut(&mut self, c: usize) -> Option<&mut Criterion> {
        self.criteria.get_mut(c)
    }

    /// Position of the criterion with this id.
    pub fn criterion_index(&self, id: &str) -> Option<usize> {
        self.criteria.iter().position(|c| c.id.as_str() == id)
    }

    /// Position of the option with this id.
    pub fn option_index(&self, id: &str) -> Option<usize> {
        self.options.iter().position(|o| o.id.as_str() == id)
    }

    /// Effective weights in criterion order: the weights as written where
    /// there are no criteria groups (see [`Appraisal::effective_weights`]).
    pub fn weights(&self) -> Vec<f64> {
        self.effective_weights()
    }

    /// The sum of all effective weights.
    pub fn total_weight(&self) -> f64 {
        self.effective_weights().iter().sum()
    }

    /// Sets or clears one score, checking it against the scale.
    pub fn set_score(&mut self, o: usize, c: usize, value: Option<f64>) -> Result<(), ModelError> {
        if let Some(k) = self.criteria.get(c)
            && k.measure.is_some()
        {
            return Err(ModelError::Measured(k.id.to_string()));
        }
        if let Some(v) = value {
            self.scale_of(c).check(v)?;
        }
        let v = value.map(snap);
        let opt = self
            .options
            .get_mut(o)
            .ok_or(ModelError::NoSuchIndex("option", o))?;
        let slot = opt
            .scores
            .get_mut(c)
            .ok_or(ModelError::NoSuchIndex("criterion", c))?;
        *slot = v;
        Ok(())
    }

    /// Sets one weight, keeping at least one positive and every total finite.
    pub fn set_weight(&mut self, c: usize, weight: f64) -> Result<(), ModelError> {
        check_weight(weight)?;
        let old = self
            .criteria
            .get(c)
            .ok_or(ModelError::NoSuchIndex("criterion", c))?
            .weight;
        self.criteria[c].weight = weight;
        if let Err(e) = check_weights(&self.criteria, &self.structure.groups, &self.scale) {
            self.criteria[c].weight = old;
            return Err(e);
        }
        Ok(())
    }

    /// Replaces every weight at once (as the swing-weighting assistant does).
    pub fn set_weights(&mut self, weights: &[f64]) -> Result<(), ModelError> {
        if weights.len() != self.criteria.len() {
            return Err(ModelError::NoSuchIndex("criterion", weights.len()));
        }
        for w in weights {
            check_weight(*w)?;
        }
        let old: Vec<f64> = self.criteria.iter().map(|c| c.weight).collect();
        for (c, w) in self.criteria.iter_mut().zip(weights) {
            c.weight = *w;
        }
        if let Err(e) = check_weights(&self.criteria, &self.structure.groups, &self.scale) {
            for (c, w) in self.criteria.iter_mut().zip(old) {
                c.weight = w;
            }
            return Err(e);
        }
        Ok(())
    }

    /// Inserts an option at position `at` (clamped to the end).
    pub fn insert_option(
        &mut self,
        at: usize,
        option: AppraisalOption,
    ) -> Result<usize, ModelError> {
        if self.option_index(option.id.as_str()).is_some() {
            return Err(ModelError::DuplicateId(option.id.to_string()));
        }
        let n = self.criteria.len();
        if option.scores.len() != n
            || option.notes.len() != n
            || option.evidence.len() != n
            || option.measures.len() != n
        {
            return Err(ModelError::NoSuchIndex("criterion", option.scores.len()));
        }
        for (c, s) in option.scores.iter().enumerate() {
            if let Some(s) = s
                && self.criteria[c].measure.is_none()
            {
                self.scale_of(c).check(*s)?;
            }
        }
        let mut option = option;
        option.screening.resize(self.structure.screens.len(), None);
        let at = at.min(self.options.len());
        self.options.insert(at, option);
        self.derive();
        Ok(at)
    }

    /// Removes and returns the option at `o`; the last option cannot be removed.
    pub fn remove_option(&mut self, o: usize) -> Result<AppraisalOption, ModelError> {
        if o >= self.options.len() {
            return Err(ModelError::NoSuchIndex("option", o));
        }
        if self.options.len() == 1 {
            return Err(ModelError::WouldBeEmpty("option"));
        }
        Ok(self.options.remove(o))
    }

    /// Moves the option at `from` to position `to`.
    pub fn move_option(&mut self, from: usize, to: usize) -> Result<(), ModelError> {
        let n = self.options.len();
        if from >= n || to >= n {
            return Err(ModelError::NoSuchIndex("option", from.max(to)));
        }
        let item = self.options.remove(from);
        self.options.insert(to, item);
        Ok(())
    }

    /// Inserts a criterion at `at` with the given column of scores and notes
    /// (one per option, in option order); pass empty vectors for an unscored column.
    pub fn insert_criterion(
        &mut self,
        at: usize,
        criterion: Criterion,
        scores: Vec<Option<f64>>,
        notes: Vec<Option<String>>,
    ) -> Result<usize, ModelError> {
        if self.criterion_index(criterion.id.as_str()).is_some() {
            return Err(ModelError::DuplicateId(criterion.id.to_string()));
        }
        let n = self.options.len();
        let scores = if scores.is_empty() {
            vec![None; n]
        } else {
            scores
        };
        let notes = if notes.is_empty() {
            vec![None; n]
        } else {
            notes
        };
        if scores.len() != n || notes.len() != n {
            return Err(ModelError::NoSuchIndex(
                "option",
                scores.len().min(notes.len()),
            ));
        }
        let own = criterion.scale.as_ref().unwrap_or(&self.scale);
        for s in scores.iter().flatten() {
            own.check(*s)?;
        }
        if criterion.measure.is_some() && scores.iter().any(Option::is_some) {
            return Err(ModelError::Measured(criterion.id.to_string()));
        }
        if criterion
            .group
            .is_some_and(|g| g >= self.structure.groups.len())
        {
            return Err(ModelError::UnknownGroup(criterion.id.to_string()));
        }
        let mut with = self.criteria.clone();
        let at = at.min(with.len());
        with.insert(at, criterion);
        check_weights(&with, &self.structure.groups, &self.scale)?;
        self.criteria = with;
        for ((o, s), note) in self.options.iter_mut().zip(scores).zip(notes) {
            o.scores.insert(at, s);
            o.notes.insert(at, note);
            o.evidence.insert(at, Evidence::default());
            o.measures.insert(at, None);
        }
        Ok(at)
    }

    /// Removes the criterion at `c`, returning it with its column of scores and notes.
    pub fn remove_criterion(&mut self, c: usize) -> Result<RemovedCriterion, ModelError> {
        if c >= self.criteria.len() {
            return Err(ModelError::NoSuchIndex("criterion", c));
        }
        if self.criteria.len() == 1 {
            return Err(ModelError::WouldBeEmpty("criterion"));
        }
        let mut rest = self.criteria.clone();
        rest.remove(c);
        check_weights(&rest, &self.structure.groups, &self.scale)?;
        check_groups(&self.structure.groups, &rest)?;
        let criterion = self.criteria.remove(c);
        let mut scores = Vec::with_capacity(self.options.len());
        let mut notes = Vec::with_capacity(self.options.len());
        for o in &mut self.options {
            scores.push(o.scores.remove(c));
            notes.push(o.notes.remove(c));
            o.evidence.remove(c);
            o.measures.remove(c);
        }
        Ok(RemovedCriterion {
            criterion,
            scores,
            notes,
        })
    }

    /// Moves the criterion at `from` (and its column) to position `to`.
    pub fn move_criterion(&mut self, from: usize, to: usize) -> Result<(), ModelError> {
        let n = self.criteria.len();
        if from >= n || to >= n {
            return Err(ModelError::NoSuchIndex("criterion", from.max(to)));
        }
        let item = self.criteria.remove(from);
        self.criteria.insert(to, item);
        for o in &mut self.options {
            let s = o.scores.remove(from);
            o.scores.insert(to, s);
            let note = o.notes.remove(from);
            o.notes.insert(to, note);
            let e = o.evidence.remove(from);
            o.evidence.insert(to, e);
            let m = o.measures.remove(from);
            o.measures.insert(to, m);
        }
        Ok(())
    }
}

/// A criterion taken out of an appraisal, with its column, so it can be put back.
#[derive(Debug, Clone, PartialEq)]
pub struct RemovedCriterion {
    /// The criterion itself.
    pub criterion: Criterion,
    /// Its scores, one per option in option order.
    pub scores: Vec<Option<f64>>,
    /// Its notes, one per option in option order.
    pub notes: Vec<Option<String>>,
}

fn check_weights(
    criteria: &[Criterion],
    groups: &[CriterionGroup],
    scale: &Scale,
) -> Result<(), ModelError> {
    let weights = effective_weights(criteria, groups);
    if !weights.iter().any(|&w| w > 0.0) {
        return Err(ModelError::AllWeightsZero);
    }
    if !scale.totals_finite(weights.iter().copied()) {
        return Err(ModelError::TotalOverflow);
    }
    Ok(())
}

/// Checks that every group a criterion or group names exists, that no group
/// is inside itself, that every group holds at least one criterion, and
/// that no group's weight is lost because all its members weigh zero.
fn check_groups(groups: &[CriterionGroup], criteria: &[Criterion]) -> Result<(), ModelError> {
    let n = groups.len();
    let mut seen = std::collections::HashSet::new();
    for g in groups {
        if !seen.insert(g.id.as_str()) {
            return Err(ModelError::DuplicateId(g.id.to_string()));
        }
        if g.parent.is_some_and(|p| p >= n) {
            return Err(ModelError::NoSuchIndex("group", g.parent.unwrap_or(0)));
        }
    }
    for c in criteria {
        if c.group.is_some_and(|g| g >= n) {
            return Err(ModelError::NoSuchIndex("group", c.group.unwrap_or(0)));
        }
    }
    for (i, g) in groups.iter().enumerate() {
        let mut at = g.parent;
        let mut steps = 0;
        while let Some(p) = at {
            if p == i || steps > n {
                return Err(ModelError::GroupCycle(g.id.to_string()));
            }
            at = groups[p].parent;
            steps += 1;
        }
    }
    // A group holds a criterion if one sits in it or in a group inside it.
    let mut holds = vec![false; n];
    for c in criteria {
        let mut at = c.group;
        while let Some(g) = at {
            holds[g] = true;
            at = groups[g].parent;
        }
    }
    if let Some(g) = holds.iter().position(|h| !h) {
        return Err(ModelError::EmptyGroup(groups[g].id.to_string()));
    }
    for (i, g) in groups.iter().enumerate() {
        let members = criteria
            .iter()
            .filter(|c| c.group == Some(i))
            .map(|c| c.weight)
            .chain(
                groups
                    .iter()
                    .filter(|h| h.parent == Some(i))
                    .map(|h| h.weight),
            );
        if g.weight > 0.0 && members.sum::<f64>() <= 0.0 {
            return Err(ModelError::GroupWeightless(g.id.to_string()));
        }
    }
    Ok(())
}

/// The sum of the written weights of the members of group `g` (criteria
/// and groups directly in it), or of the top level for `None`.
fn members_weight(criteria: &[Criterion], groups: &[CriterionGroup], g: Option<usize>) -> f64 {
    criteria
        .iter()
        .filter(|c| c.group == g)
        .map(|c| c.weight)
        .chain(groups.iter().filter(|h| h.parent == g).map(|h| h.weight))
        .sum()
}

/// Each group's effective weight: as written at the top level, else its
/// parent's effective weight × its weight ÷ the weight of its parent's members.
fn group_effective(criteria: &[Criterion], groups: &[CriterionGroup]) -> Vec<f64> {
    fn of(
        g: usize,
        criteria: &[Criterion],
        groups: &[CriterionGroup],
        memo: &mut Vec<Option<f64>>,
        depth: usize,
    ) -> f64 {
        if let Some(w) = memo[g] {
            return w;
        }
        let w = match groups[g].parent {
            // The depth bound guards against a cycle, which assembly rejects.
            Some(p) if depth <= groups.len() => {
                let total = members_weight(criteria, groups, Some(p));
                let parent = of(p, criteria, groups, memo, depth + 1);
                if total > 0.0 {
                    parent * groups[g].weight / total
                } else {
                    0.0
                }
            }
            _ => groups[g].weight,
        };
        memo[g] = Some(w);
        w
    }
    let mut memo = vec![None; groups.len()];
    (0..groups.len())
        .map(|g| of(g, criteria, groups, &mut memo, 0))
        .collect()
}

/// See [`Appraisal::effective_weights`].
fn effective_weights(criteria: &[Criterion], groups: &[CriterionGroup]) -> Vec<f64> {
    if groups.is_empty() || criteria.iter().all(|c| c.group.is_none()) {
        return criteria.iter().map(|c| c.weight).collect();
    }
    let gw = group_effective(criteria, groups);
    criteria
        .iter()
        .map(|c| match c.group {
            Some(g) if g < groups.len() => {
                let total = members_weight(criteria, groups, Some(g));
                if total > 0.0 {
                    gw[g] * c.weight / total
                } else {
                    0.0
                }
            }
            _ => c.weight,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_keep_ascii_letters_and_digits_joined_by_single_dashes() {
        assert_eq!(slug("Shared Service (2)"), "shared-service-2");
        assert_eq!(slug("  --Cllr A. Example--  "), "cllr-a-example");
        assert_eq!(slug("Café"), "caf");
        assert_eq!(slug("\u{212a}elvin"), "kelvin");
        assert_eq!(slug("éé"), "");
        assert!(Id::new(&slug("Peer Practice Partner")).is_ok());
    }

    fn tiny() -> Appraisal {
        let scale = Scale::new(0.0, 5.0, 1.0).unwrap();
        let criteria = vec![
            Criterion::new(Id::new("a").unwrap(), "A", 1.0).unwrap(),
            Criterion::new(Id::new("b").unwrap(), "B", 2.0).unwrap(),
        ];
        let options = vec![
            AppraisalOption::new(Id::new("x").unwrap(), "X", 2).unwrap(),
            AppraisalOption::new(Id::new("y").unwrap(), "Y", 2).unwrap(),
        ];
        let meta = Meta {
            title: "T".into(),
            ..Meta::default()
        };
        Appraisal::new(meta, scale, criteria, options).unwrap()
    }

    #[test]
    fn ids_follow_the_rules() {
        assert!(Id::new("child-focused").is_ok());
        assert!(Id::new("a1").is_ok());
        for bad in ["", "Child", "a b", "a_b", "é", &"x".repeat(MAX_ID_LEN + 1)] {
            assert!(Id::new(bad).is_err(), "{bad:?} should be rejected");
        }
    }

    #[test]
    fn scale_checks_range_and_step() {
        let s = Scale::new(0.0, 5.0, 0.5).unwrap();
        assert!(s.check(2.5).is_ok());
        assert!(matches!(
            s.check(2.25),
            Err(ModelError::ScoreOffStep { .. })
        ));
        assert!(matches!(
            s.check(5.5),
            Err(ModelError::ScoreOutOfRange { .. })
        ));
        assert!(matches!(
            s.check(f64::NAN),
            Err(ModelError::ScoreOutOfRange { .. })
        ));
        assert_eq!(s.step_count(), 10);
        assert_eq!(s.nudge(4.5, 3), 5.0);
        assert_eq!(s.nudge(0.5, -1), 0.0);
        assert!(Scale::new(5.0, 5.0, 1.0).is_err());
        assert!(Scale::new(0.0, 5.0, 2.0).is_err(), "max off the step grid");
        assert!(Scale::new(0.0, 5.0, 0.0).is_err());
        assert!(Scale::new(-1e308, 1e308, 1.0).is_err());
    }

    #[test]
    fn tenth_steps_print_cleanly() {
        let s = Scale::new(0.0, 1.0, 0.1).unwrap();
        assert_eq!(score(s.point(3)), "0.3");
        assert!(s.check(0.3).is_ok());
    }

    #[test]
    fn scores_are_checked_against_the_scale() {
        let mut a = tiny();
        assert!(a.set_score(0, 1, Some(4.0)).is_ok());
        assert_eq!(a.options()[0].score(1), Some(4.0));
        assert!(a.set_score(0, 1, Some(6.0)).is_err());
        assert_eq!(
            a.options()[0].score(1),
            Some(4.0),
            "a rejected edit changes nothing"
        );
        assert!(a.set_score(0, 5, Some(1.0)).is_err());
        assert!(a.set_score(0, 1, None).is_ok());
        assert_eq!(a.options()[0].score(1), None);
    }

    #[test]
    fn weights_cannot_all_be_zero_or_overflow() {
        let mut a = tiny();
        assert!(a.set_weight(0, 0.0).is_ok());
        assert_eq!(a.set_weight(1, 0.0), Err(ModelError::AllWeightsZero));
        assert_eq!(a.criteria()[1].weight(), 2.0);
        assert_eq!(a.set_weight(1, f64::MAX), Err(ModelError::TotalOverflow));
        assert!(matches!(
            a.set_weight(1, -1.0),
            Err(ModelError::InvalidWeight(_))
        ));
        assert!(a.set_weights(&[0.0, 0.0]).is_err());
        assert_eq!(a.weights(), vec![0.0, 2.0]);
    }

    #[test]
    fn criteria_move_with_their_columns() {
        let mut a = tiny();
        a.set_score(0, 0, Some(1.0)).unwrap();
        a.set_score(0, 1, Some(2.0)).unwrap();
        a.move_criterion(0, 1).unwrap();
        assert_eq!(a.criteria()[0].id().as_str(), "b");
        assert_eq!(a.options()[0].scores(), &[Some(2.0), Some(1.0)]);
        let removed = a.remove_criterion(0).unwrap();
        assert_eq!(removed.scores, vec![Some(2.0), None]);
        a.insert_criterion(0, removed.criterion, removed.scores, removed.notes)
            .unwrap();
        assert_eq!(a.options()[0].scores(), &[Some(2.0), Some(1.0)]);
    }

    #[test]
    fn the_last_option_and_duplicates_are_refused() {
        let mut a = tiny();
        let dup = AppraisalOption::new(Id::new("x").unwrap(), "X again", 2).unwrap();
        assert_eq!(
            a.insert_option(0, dup),
            Err(ModelError::DuplicateId("x".into()))
        );
        a.remove_option(0).unwrap();
        assert_eq!(a.remove_option(0), Err(ModelError::WouldBeEmpty("option")));
    }

    #[test]
    fn names_and_text_refuse_control_characters() {
        assert!(check_name("Fine name").is_ok());
        assert_eq!(check_name("  "), Err(ModelError::BlankName));
        assert!(check_name("two\nlines").is_err());
        assert!(check_text("two\nlines\tok").is_ok());
        assert!(check_text("bell\u{7}").is_err());
        assert!(check_text("escape\u{1b}[2J").is_err());
    }

    #[test]
    fn names_refuse_direction_overrides_but_not_right_to_left_text() {
        for c in ('\u{202A}'..='\u{202E}').chain('\u{2066}'..='\u{2069}') {
            assert_eq!(
                check_name(&format!("Option{c}A")),
                Err(ModelError::BidiControl(c as u32))
            );
        }
        assert!(check_name("خيار أ").is_ok());
        assert!(check_name("אפשרות \u{200F}ב").is_ok());
    }

    #[test]
    fn published_figures_keep_their_precision() {
        assert_eq!(written_decimals("3.8"), 1);
        assert_eq!(written_decimals("24"), 0);
        assert_eq!(written_decimals("3.80"), 2);
        assert_eq!(written_decimals("-1_000.5"), 1);
        assert_eq!(written_decimals("3.8e1"), 0);
        assert_eq!(written_decimals("1.25E-1"), 3);
        assert_eq!(written_decimals("0x1F"), 0);
        let p = Published::written(3.8, "3.8");
        assert!(p.agrees_with(3.75), "3.75 prints as 3.8");
        assert!(p.agrees_with(3.85), "either way at an exact half");
        assert!(!p.agrees_with(3.7));
        assert!(Published::written(6.0, "6.0").agrees_with(5.95));
        assert!(!Published::written(24.0, "24").agrees_with(26.0));
        assert!(Published::written(24.0, "24").agrees_with(24.4));
        assert!(!Published::written(3.80, "3.80").agrees_with(3.75 + 0.001));
        assert_eq!(Published::written(3.8, "3.80").text(), "3.80");
        assert_eq!(Published::new(3.75).decimals(), 2);
        assert_eq!(Published::new(33.0).text(), "33");
        assert_eq!(Published::written(3.8, "3.8").rounded(3.75), "3.8");
    }
}
