//! Diagnostics that point at a place in a file and say what to do about it.
//!
//! Rendering follows cargo's TOML errors: `path:line:column`, the offending
//! line, a caret under the problem, and a help line.

use std::fmt;
use std::ops::Range;

use annotate_snippets::{AnnotationKind, Group, Level, Origin, Renderer, Snippet};
use serde::Serialize;

use crate::sanitise::{sanitise, sanitise_line};

/// A file's name (as the user gave it) and its text.
#[derive(Debug, Clone, PartialEq)]
pub struct SourceFile {
    /// The path to show in messages.
    pub name: String,
    /// The file's text, without any byte-order mark.
    pub text: String,
}

impl SourceFile {
    /// Pairs a display name with text, dropping a leading UTF-8 byte-order mark.
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> SourceFile {
        let mut text: String = text.into();
        if text.starts_with('\u{feff}') {
            text.drain(..'\u{feff}'.len_utf8());
        }
        SourceFile {
            name: name.into(),
            text,
        }
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        line_col(&self.text, offset)
    }
}

/// 1-based line and column (in characters, not counting `\r`) of a byte offset in `text`.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = floor_boundary(text, offset);
    let line = text[..offset].bytes().filter(|&b| b == b'\n').count() + 1;
    (line, column(text, offset))
}

/// The nearest character boundary at or before `offset`, within `text`.
fn floor_boundary(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// The 1-based column (in characters, not counting `\r`) of a byte offset
/// that is on a character boundary.
fn column(text: &str, offset: usize) -> usize {
    let before = &text[..offset];
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    before[line_start..].chars().filter(|&c| c != '\r').count() + 1
}

/// Where each line of a text starts, so that many diagnostics in one large
/// file find their line numbers in logarithmic time rather than each
/// counting lines from the top (40,000 problems in a 1.2 MB file took
/// 14.7 s to print that way).
#[derive(Debug, Clone)]
pub struct LineIndex {
    /// Byte offsets of every `\n`.
    newlines: Vec<usize>,
}

impl LineIndex {
    /// Indexes `text`.
    pub fn new(text: &str) -> LineIndex {
        LineIndex {
            newlines: text
                .bytes()
                .enumerate()
                .filter_map(|(i, b)| (b == b'\n').then_some(i))
                .collect(),
        }
    }

    /// The 1-based line of a byte offset.
    pub fn line(&self, offset: usize) -> usize {
        self.newlines.partition_point(|&n| n < offset) + 1
    }

    /// 1-based line and column of a byte offset in the indexed `text`, as [`line_col`].
    pub fn line_col(&self, text: &str, offset: usize) -> (usize, usize) {
        let offset = floor_boundary(text, offset);
        (self.line(offset), column(text, offset))
    }
}

/// Declares [`Kind`] with each kind's name as output writes it, once.
macro_rules! kinds {
    ($($(#[$doc:meta])* $variant:ident = $name:literal,)*) => {
        /// The kind of a problem: a stable kebab-case name in output and JSON
        /// (`missing-score`), listed with its meaning in `docs/format.md`.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Kind {
            $($(#[$doc])* $variant,)*
        }

        impl Kind {
            /// Every kind, in the order declared.
            pub const ALL: &'static [Kind] = &[$(Kind::$variant),*];

            /// The name as output writes it, such as `missing-score`.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Kind::$variant => $name,)*
                }
            }
        }
    };
}

kinds! {
    /// Not valid TOML.
    Syntax = "syntax",
    /// A key that is not part of the format.
    UnknownKey = "unknown-key",
    /// A required key or section is missing.
    MissingKey = "missing-key",
    /// A value of the wrong type.
    WrongType = "wrong-type",
    /// An id with characters other than `a-z`, `0-9` and `-`.
    InvalidId = "invalid-id",
    /// An id used twice.
    DuplicateId = "duplicate-id",
    /// A score or note names no criterion.
    UnknownCriterion = "unknown-criterion",
    /// A score outside the scale.
    ScoreOutOfRange = "score-out-of-range",
    /// A score between the scale's steps.
    ScoreOffStep = "score-off-step",
    /// A negative, NaN or infinite weight.
    InvalidWeight = "invalid-weight",
    /// No criterion weighs more than zero.
    AllWeightsZero = "all-weights-zero",
    /// Weights so large a total cannot be computed.
    WeightOverflow = "weight-overflow",
    /// No criteria.
    NoCriteria = "no-criteria",
    /// No options.
    NoOptions = "no-options",
    /// A scale whose maximum is not above its minimum, or with a bad step.
    InvalidScale = "invalid-scale",
    /// A scale label whose key is not a point on the scale.
    LabelOffScale = "label-off-scale",
    /// Control characters or line separators in text.
    InvalidText = "invalid-text",
    /// A value the format does not allow, such as a non-finite total.
    InvalidValue = "invalid-value",
    /// A whole number beyond 64 bits.
    NumberTooLarge = "number-too-large",
    /// An empty file.
    EmptyFile = "empty-file",
    /// A file that is not UTF-8 text.
    NotUtf8 = "not-utf8",
    /// A file that cannot be read.
    Unreadable = "unreadable",
    /// A `version` other than 1 or 2.
    InvalidVersion = "invalid-version",
    /// A version-2 feature in a file that says it is version 1.
    Version1Feature = "version-1-feature",
    /// A `group` that names no criteria group.
    UnknownGroup = "unknown-group",
    /// A criteria group inside itself.
    GroupCycle = "group-cycle",
    /// A criteria group that holds no criterion.
    EmptyGroup = "empty-group",
    /// A criteria group with weight whose members all weigh zero.
    GroupWeightless = "group-weightless",
    /// Percentage weights that do not add up to 100.
    WeightsNotPercent = "weights-not-percent",
    /// A weight left out where weights are percentages.
    PercentWeightMissing = "percent-weight-missing",
    /// A value function that cannot turn raw values into scores.
    InvalidValueFunction = "invalid-value-function",
    /// A score given for a measured criterion.
    ScoreForMeasured = "score-for-measured",
    /// A raw value given for a criterion that is not measured.
    NotMeasured = "not-measured",
    /// A raw value the criterion's value function cannot score.
    InvalidMeasure = "invalid-measure",
    /// A raw value given as a range that is not one: low above high, the
    /// likely value outside them, a key other than low, likely and high.
    InvalidRange = "invalid-range",
    /// A screening result for no declared test.
    UnknownScreen = "unknown-screen",
    /// A failed screening test without a reason.
    FailWithoutReason = "fail-without-reason",
    /// Every option fails screening.
    AllScreenedOut = "all-screened-out",
    /// An option reference that is not short text or a whole number.
    InvalidRef = "invalid-ref",
    /// An option reference used twice.
    DuplicateRef = "duplicate-ref",
    /// More than one baseline option.
    DuplicateBaseline = "duplicate-baseline",
    /// An option's group that is not among the declared option groups.
    UnknownOptionGroup = "unknown-option-group",
    /// A `cost` mark that cannot stand.
    InvalidCost = "invalid-cost",
    /// More than one criterion marked as the cost.
    DuplicateCost = "duplicate-cost",
    /// An `[agreed_weights]` entry that cannot be read.
    InvalidAgreedWeights = "invalid-agreed-weights",
    /// A scoresheet that names options or criteria of another appraisal, or
    /// belongs to another appraisal file.
    SheetMismatch = "sheet-mismatch",
    /// A scoresheet whose appraisal file does not exist.
    MissingAppraisal = "missing-appraisal",
    /// Two scoresheets for one member.
    DuplicateMember = "duplicate-member",
    /// A member's scoresheet that does not fit the appraisal's scores.
    InvalidScore = "invalid-score",
    /// A scoresheet that cannot be created.
    Unwritable = "unwritable",
    /// A scoresheet opened for one member that belongs to another.
    WrongMember = "wrong-member",
    /// A model rule that the reader's own checks missed: a safety net,
    /// never expected.
    Invalid = "invalid",
    /// A cell not yet scored.
    MissingScore = "missing-score",
    /// A published total that disagrees with the computed one.
    PublishedTotalMismatch = "published-total-mismatch",
    /// Published figures whose rounding hides the order of the totals.
    PublishedRoundingHidesOrder = "published-rounding-hides-order",
    /// A published rank that disagrees with the computed one.
    PublishedRankMismatch = "published-rank-mismatch",
    /// A published percentage that disagrees with the computed one.
    PublishedPercentMismatch = "published-percent-mismatch",
    /// A published subtotal that disagrees with the computed one.
    PublishedSubtotalMismatch = "published-subtotal-mismatch",
    /// An option with no result for a screening test.
    MissingScreening = "missing-screening",
    /// Some criteria weighted and the rest left at the default 1.
    CriteriaPartlyWeighted = "criteria-partly-weighted",
    /// A weight too small to change any total as shown.
    WeightTooSmall = "weight-too-small",
    /// A file that starts with two byte-order marks.
    DoubledByteOrderMark = "doubled-byte-order-mark",
    /// A blank score written as spaces in quotes.
    BlankScoreWithSpaces = "blank-score-with-spaces",
    /// A scoresheet with no table for one of the appraisal's options.
    MissingOption = "missing-option",
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Kind {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// Lets code and tests compare a kind with its written name.
impl PartialEq<&str> for Kind {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The file cannot be used until this is fixed.
    Error,
    /// The file can be used, but a reader should know.
    Warning,
}

/// One problem found in a file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// The kind of problem, written as a stable kebab-case name such as `unknown-key`.
    pub kind: Kind,
    /// What is wrong, in one sentence.
    pub message: String,
    /// Where in the file, as a byte range; `None` for whole-file problems.
    #[serde(skip)]
    pub span: Option<Range<usize>>,
    /// A short note shown under the caret.
    pub label: Option<String>,
    /// What to do about it.
    pub help: Option<String>,
}

impl Diagnostic {
    /// An error of `kind` at `span`.
    pub fn error(kind: Kind, message: impl Into<String>, span: Option<Range<usize>>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            kind,
            message: message.into(),
            span,
            label: None,
            help: None,
        }
    }

    /// A warning of `kind` at `span`.
    pub fn warning(kind: Kind, message: impl Into<String>, span: Option<Range<usize>>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(kind, message, span)
        }
    }

    /// Adds the note shown under the caret.
    pub fn with_label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    /// Adds the advice on what to do.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Whether this is an error rather than a warning.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// `path:line:column` for this diagnostic (just `path` when it has no
    /// position), safe to show on a terminal.
    pub fn location(&self, file: &SourceFile) -> String {
        let name = sanitise_line(&file.name);
        match &self.span {
            Some(span) => {
                let (line, col) = file.line_col(span.start);
                format!("{name}:{line}:{col}")
            }
            None => name.into_owned(),
        }
    }

    /// Renders the diagnostic with the offending line and a caret. Every
    /// piece of text in it (the file's name, the message, the label and the
    /// help, which may quote the file) passes through the terminal
    /// sanitiser; the renderer shows control characters in the excerpt itself.
    pub fn render(&self, file: &SourceFile, color: bool) -> String {
        self.render_indexed(file, &LineIndex::new(&file.text), color)
    }

    /// [`Diagnostic::render`] with the file's lines already indexed.
    fn render_indexed(&self, file: &SourceFile, lines: &LineIndex, color: bool) -> String {
        let level = match self.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
        };
        let name = sanitise_line(&file.name);
        let message = sanitise(&self.message);
        let label = self.label.as_deref().map(sanitise);
        let help = self.help.as_deref().map(sanitise);
        let title = level.primary_title(message.as_ref()).id(self.kind.as_str());
        let mut group = Group::with_title(title);
        let excerpt;
        if let Some(span) = &self.span {
            // Hand the renderer only the lines involved, so a diagnostic in a huge
            // file costs the same as one in a small file.
            excerpt = Excerpt::around(&file.text, lines, span.clone());
            let mut annotation = AnnotationKind::Primary.span(excerpt.span.clone());
            if let Some(label) = &label {
                annotation = annotation.label(label.as_ref());
            }
            group = group.element(
                Snippet::source(excerpt.text.as_str())
                    .line_start(excerpt.first_line)
                    .path(name.as_ref())
                    .annotation(annotation),
            );
        } else {
            group = group.element(Origin::path(name.as_ref()));
        }
        let mut report: Vec<Group<'_>> = vec![group];
        if let Some(help) = &help {
            report.push(Group::with_title(
                Level::HELP.secondary_title(help.as_ref()),
            ));
        }
        let renderer = if color {
            Renderer::styled()
        } else {
            Renderer::plain()
        };
        renderer.render(&report)
    }
}

/// The lines of a file that a span touches, with the span re-based onto them.
struct Excerpt {
    text: String,
    span: Range<usize>,
    first_line: usize,
}

impl Excerpt {
    /// Lines shown at most, so a span over a whole table stays readable.
    const MAX_LINES: usize = 6;

    fn around(text: &str, lines: &LineIndex, span: Range<usize>) -> Excerpt {
        let mut start = span.start.min(text.len());
        while !text.is_char_boundary(start) {
            start -= 1;
        }
        let mut end = span.end.clamp(start, text.len());
        while !text.is_char_boundary(end) {
            end += 1;
        }
        let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
        let mut line_end = text[end..].find('\n').map_or(text.len(), |i| end + i);
        // Keep at most MAX_LINES lines of a long span.
        if let Some((cut, _)) = text[line_start..line_end]
            .match_indices('\n')
            .nth(Self::MAX_LINES - 1)
        {
            line_end = line_start + cut;
            end = end.min(line_end);
        }
        let first_line = lines.line(line_start);
        Excerpt {
            text: text[line_start..line_end].trim_end_matches('\r').to_owned(),
            span: (start - line_start)..(end - line_start).min(line_end - line_start),
            first_line,
        }
    }
}

/// Renders every diagnostic, errors first, separated by blank lines.
pub fn render_all(file: &SourceFile, diagnostics: &[Diagnostic], color: bool) -> String {
    render_with(file, diagnostics, color, None)
}

/// The most warnings of one kind [`render_summarised`] shows in full.
pub const WARNINGS_IN_FULL: usize = 5;

/// How many warnings of one kind [`render_summarised`] shows before summing
/// up the rest, when there are more than [`WARNINGS_IN_FULL`].
pub const WARNINGS_SHOWN: usize = 3;

/// Renders as [`render_all`] does, except that a kind of warning that comes
/// more than [`WARNINGS_IN_FULL`] times shows its first [`WARNINGS_SHOWN`]
/// and then, in place of the rest, the diagnostic `more` gives for the kind
/// and the number left out: a skeleton's hundreds of unscored cells read
/// as a few examples and one line. Errors are always shown in full.
pub fn render_summarised(
    file: &SourceFile,
    diagnostics: &[Diagnostic],
    color: bool,
    more: &dyn Fn(Kind, usize) -> Diagnostic,
) -> String {
    render_with(file, diagnostics, color, Some(more))
}

fn render_with(
    file: &SourceFile,
    diagnostics: &[Diagnostic],
    color: bool,
    more: Option<&dyn Fn(Kind, usize) -> Diagnostic>,
) -> String {
    let mut out = String::new();
    let lines = LineIndex::new(&file.text);
    let errors = diagnostics.iter().filter(|d| d.is_error());
    let warnings = diagnostics.iter().filter(|d| !d.is_error());
    let mut of_kind: std::collections::HashMap<Kind, (usize, usize)> = Default::default();
    if more.is_some() {
        for d in warnings.clone() {
            of_kind.entry(d.kind).or_default().0 += 1;
        }
    }
    for d in errors.chain(warnings) {
        let (total, seen) = match of_kind.get_mut(&d.kind) {
            Some((total, seen)) if !d.is_error() => {
                *seen += 1;
                (*total, *seen)
            }
            _ => (0, 0),
        };
        let summed = total > WARNINGS_IN_FULL;
        if summed && seen > WARNINGS_SHOWN {
            continue;
        }
        out.push_str(&d.render_indexed(file, &lines, color));
        out.push_str("\n\n");
        if let Some(more) = more.filter(|_| summed && seen == WARNINGS_SHOWN) {
            out.push_str(&more(d.kind, total - WARNINGS_SHOWN).render_indexed(file, &lines, color));
            out.push_str("\n\n");
        }
    }
    out
}

/// Picks the closest of `candidates` to `word`, if it is close enough to be a likely typo.
pub fn did_you_mean<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let word = word.to_lowercase();
    candidates
        .iter()
        .map(|c| (levenshtein(&word, c), *c))
        .filter(|(d, c)| {
            let len = c.chars().count();
            // A one-letter difference from a one-letter key is not a typo.
            *d <= (len / 3).max(1) && *d < len
        })
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// Edit distance between two strings in characters, counting a swap of two
/// neighbours as one edit (so `titel` is one edit from `title`).
fn levenshtein(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    // d[i][j]: distance between a[..i] and b[..j]; three rows suffice for swaps.
    let mut prev2 = vec![0; b.len() + 1];
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for i in 1..=a.len() {
        cur[0] = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut d = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d = d.min(prev2[j - 2] + 1);
            }
            cur[j] = d;
        }
        std::mem::swap(&mut prev2, &mut prev);
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_count_characters() {
        let text = "a = 1\r\nbé = 2\n";
        assert_eq!(line_col(text, 0), (1, 1));
        let off = text.find('=').unwrap();
        assert_eq!(line_col(text, off), (1, 3));
        let off = text.rfind('=').unwrap();
        assert_eq!(line_col(text, off), (2, 4));
        assert_eq!(line_col(text, 10_000), (3, 1));
    }

    #[test]
    fn the_line_index_agrees_with_counting() {
        let text = "a\n\nbc\r\néd\nlast";
        let index = LineIndex::new(text);
        for offset in 0..=text.len() + 2 {
            assert_eq!(
                index.line_col(text, offset),
                line_col(text, offset),
                "{offset}"
            );
        }
    }

    #[test]
    fn hostile_text_in_a_diagnostic_reaches_the_terminal_escaped() {
        let file = SourceFile::new("e\u{1b}[2Jvil.toml", "member = \"x\"\n");
        let d = Diagnostic::error(Kind::Syntax, "named \u{1b}]0;pwned\u{7} here", Some(0..6))
            .with_label("looked for \u{1b}[2J\u{202e}")
            .with_help("try \u{9b}31m");
        for color in [false, true] {
            let out = d.render(&file, color);
            assert!(out.contains("e\\u{1b}[2Jvil.toml:1:1"), "{out}");
            assert!(out.contains("looked for \\u{1b}[2J\\u{202e}"), "{out}");
            assert!(!out.contains('\u{7}') && !out.contains('\u{9b}'), "{out}");
            assert!(!out.contains('\u{202e}'), "{out}");
            if !color {
                assert!(!out.contains('\u{1b}'), "{out}");
            }
        }
        assert_eq!(d.location(&file), "e\\u{1b}[2Jvil.toml:1:1");
    }

    #[test]
    fn byte_order_mark_is_dropped() {
        assert_eq!(SourceFile::new("f", "\u{feff}x = 1").text, "x = 1");
    }

    #[test]
    fn render_shows_path_line_column_and_caret() {
        let file = SourceFile::new("f.toml", "[scale]\nmin = 0\nmxa = 5\n");
        let d = Diagnostic::error(
            Kind::UnknownKey,
            "unknown key `mxa` in [scale]",
            Some(16..19),
        )
        .with_label("did you mean `max`?")
        .with_help("rename it to `max`");
        let out = d.render(&file, false);
        assert!(out.contains("f.toml:3:1"), "{out}");
        assert!(out.contains("mxa = 5"), "{out}");
        assert!(out.contains("^^^"), "{out}");
        assert!(out.contains("help: rename it to `max`"), "{out}");
        assert_eq!(d.location(&file), "f.toml:3:1");
    }

    #[test]
    fn long_spans_are_cut_to_a_few_lines() {
        let text = "x\n".repeat(100);
        let file = SourceFile::new("f", text.clone());
        let d = Diagnostic::error(Kind::Syntax, "m", Some(0..text.len()));
        let out = d.render(&file, false);
        assert!(out.lines().count() < 20, "{out}");
    }

    #[test]
    fn suggestions_catch_typos_only() {
        let keys = ["weight", "name", "description", "id"];
        assert_eq!(did_you_mean("wieght", &keys), Some("weight"));
        assert_eq!(did_you_mean("Name", &keys), Some("name"));
        assert_eq!(did_you_mean("descripton", &keys), Some("description"));
        assert_eq!(did_you_mean("colour", &keys), None);
        assert_eq!(did_you_mean("b", &["a"]), None);
        assert_eq!(did_you_mean("titel", &["title", "date"]), Some("title"));
        assert_eq!(levenshtein("kitten", "sitting"), 3);
        assert_eq!(levenshtein("ab", "ba"), 1);
        assert_eq!(levenshtein("", "abc"), 3);
    }

    /// The kinds named in the first column of every `| kind | meaning |`
    /// table of `docs/format.md`.
    fn documented_kinds() -> Vec<String> {
        let doc = include_str!("../docs/format.md");
        let mut kinds = Vec::new();
        let mut in_table = false;
        for line in doc.lines() {
            if line.starts_with("| kind | meaning |") {
                in_table = true;
                continue;
            }
            if !line.starts_with('|') {
                in_table = false;
            }
            if !in_table || line.starts_with("|---") {
                continue;
            }
            let first = line.split('|').nth(1).unwrap_or_default();
            kinds.extend(first.split('`').skip(1).step_by(2).map(str::to_string));
        }
        kinds
    }

    #[test]
    fn the_format_docs_list_exactly_the_diagnostic_kinds() {
        let mut documented = documented_kinds();
        let count = documented.len();
        documented.sort();
        documented.dedup();
        assert_eq!(documented.len(), count, "a kind is listed twice");
        let mut kinds: Vec<String> = Kind::ALL.iter().map(|k| k.to_string()).collect();
        kinds.sort();
        assert_eq!(documented, kinds);
    }

    #[test]
    fn kinds_are_written_by_name_in_json() {
        let d = Diagnostic::warning(Kind::MissingScore, "m", None);
        let json = serde_json::to_string(&d).expect("serialises");
        assert!(json.contains(r#""kind":"missing-score""#), "{json}");
        assert_eq!(Kind::MissingScore, "missing-score");
    }

    #[test]
    fn many_warnings_of_a_kind_are_summed_up_and_errors_never() {
        let file = SourceFile::new("f.toml", "a = 1\n");
        let mut all = Vec::new();
        for i in 0..7 {
            all.push(Diagnostic::warning(
                Kind::MissingScore,
                format!("cell {i}"),
                None,
            ));
            all.push(Diagnostic::error(
                Kind::UnknownKey,
                format!("key {i}"),
                None,
            ));
        }
        for i in 0..5 {
            all.push(Diagnostic::warning(
                Kind::MissingScreening,
                format!("test {i}"),
                None,
            ));
        }
        let more = |kind: Kind, n: usize| Diagnostic::warning(kind, format!("{n} more"), None);
        let out = render_summarised(&file, &all, false, &more);
        for i in 0..7 {
            assert!(out.contains(&format!("key {i}")), "{out}");
        }
        for i in 0..3 {
            assert!(out.contains(&format!("cell {i}")), "{out}");
        }
        for i in 3..7 {
            assert!(!out.contains(&format!("cell {i}")), "{out}");
        }
        assert!(out.contains("warning[missing-score]: 4 more"), "{out}");
        // Five of a kind are shown in full, with no summary.
        for i in 0..5 {
            assert!(out.contains(&format!("test {i}")), "{out}");
        }
        assert_eq!(out.matches("more").count(), 1, "{out}");
        // The summary follows the last warning shown of its kind.
        let at = |s: &str| out.find(s).unwrap_or(usize::MAX);
        assert!(
            at("cell 2") < at("4 more") && at("4 more") < at("test 0"),
            "{out}"
        );
        assert_eq!(render_all(&file, &all, false).matches("cell ").count(), 7);
    }
}
