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
        })
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
    // Aligned with the appraisal's criteria; `None` means "not yet scored".
    scores: Vec<Option<f64>>,
    notes: Vec<Option<String>>,
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
            scores: vec![None; criteria],
            notes: vec![None; criteria],
        })
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

/// A whole appraisal: options scored against weighted criteria on one scale.
#[derive(Debug, Clone, PartialEq)]
pub struct Appraisal {
    /// Title, organisation and other descriptive details.
    pub meta: Meta,
    scale: Scale,
    criteria: Vec<Criterion>,
    options: Vec<AppraisalOption>,
}

impl Appraisal {
    /// Assembles an appraisal, checking every cross-cutting rule.
    pub fn new(
        meta: Meta,
        scale: Scale,
        criteria: Vec<Criterion>,
        options: Vec<AppraisalOption>,
    ) -> Result<Appraisal, ModelError> {
        check_name(&meta.title)?;
        if criteria.is_empty() {
            return Err(ModelError::WouldBeEmpty("criterion"));
        }
        if options.is_empty() {
            return Err(ModelError::WouldBeEmpty("option"));
        }
        // Sets, not pairwise comparison: appraisals can have thousands of options.
        let mut seen = std::collections::HashSet::new();
        for c in &criteria {
            if !seen.insert(c.id.as_str()) {
                return Err(ModelError::DuplicateId(c.id.to_string()));
            }
        }
        let mut seen = std::collections::HashSet::new();
        for o in &options {
            if !seen.insert(o.id.as_str()) {
                return Err(ModelError::DuplicateId(o.id.to_string()));
            }
            if o.scores.len() != criteria.len() || o.notes.len() != criteria.len() {
                return Err(ModelError::NoSuchIndex("criterion", criteria.len()));
            }
            for s in o.scores.iter().flatten() {
                scale.check(*s)?;
            }
        }
        check_weights(&criteria, &scale)?;
        Ok(Appraisal {
            meta,
            scale,
            criteria,
            options,
        })
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

    /// Weights in criterion order.
    pub fn weights(&self) -> Vec<f64> {
        self.criteria.iter().map(|c| c.weight).collect()
    }

    /// The sum of all weights.
    pub fn total_weight(&self) -> f64 {
        self.criteria.iter().map(|c| c.weight).sum()
    }

    /// Sets or clears one score, checking it against the scale.
    pub fn set_score(&mut self, o: usize, c: usize, value: Option<f64>) -> Result<(), ModelError> {
        if let Some(v) = value {
            self.scale.check(v)?;
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
        if let Err(e) = check_weights(&self.criteria, &self.scale) {
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
        let old = self.weights();
        for (c, w) in self.criteria.iter_mut().zip(weights) {
            c.weight = *w;
        }
        if let Err(e) = check_weights(&self.criteria, &self.scale) {
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
        if option.scores.len() != self.criteria.len() || option.notes.len() != self.criteria.len() {
            return Err(ModelError::NoSuchIndex("criterion", option.scores.len()));
        }
        for s in option.scores.iter().flatten() {
            self.scale.check(*s)?;
        }
        let at = at.min(self.options.len());
        self.options.insert(at, option);
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
        for s in scores.iter().flatten() {
            self.scale.check(*s)?;
        }
        let mut with = self.criteria.clone();
        let at = at.min(with.len());
        with.insert(at, criterion);
        check_weights(&with, &self.scale)?;
        self.criteria = with;
        for ((o, s), note) in self.options.iter_mut().zip(scores).zip(notes) {
            o.scores.insert(at, s);
            o.notes.insert(at, note);
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
        check_weights(&rest, &self.scale)?;
        let criterion = self.criteria.remove(c);
        let mut scores = Vec::with_capacity(self.options.len());
        let mut notes = Vec::with_capacity(self.options.len());
        for o in &mut self.options {
            scores.push(o.scores.remove(c));
            notes.push(o.notes.remove(c));
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

fn check_weights(criteria: &[Criterion], scale: &Scale) -> Result<(), ModelError> {
    if !criteria.iter().any(|c| c.weight > 0.0) {
        return Err(ModelError::AllWeightsZero);
    }
    if !scale.totals_finite(criteria.iter().map(|c| c.weight)) {
        return Err(ModelError::TotalOverflow);
    }
    Ok(())
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
