//! Loading an appraisal file: read, parse, check every rule, build the model.
//!
//! Every problem in a file is reported together, each with its position.

use std::collections::HashMap;
use std::path::Path;

use rayon::prelude::*;
use toml::de::{DeTable, DeValue};

use crate::compute::{self, Warning, WarningKind};
use crate::diagnostic::{Diagnostic, SourceFile, did_you_mean, render_all};
use crate::fast_options::{self, RawOption, Scalar};
use crate::model::{
    Appraisal, AppraisalOption, Criterion, Id, Meta, ModelError, Published, Scale, check_name,
    check_text,
};
use crate::numbers::{self, shorten};
use crate::raw::{At, Sink, Span, Table, number, string};

/// The bundled example appraisal, compiled into the binary.
pub const EXAMPLE: &str = include_str!("../appraisals/children-services-ama-2017.toml");

/// The name the bundled example goes by in messages.
pub const EXAMPLE_NAME: &str = "appraisals/children-services-ama-2017.toml";

/// A file that could not be loaded, with every problem found in it.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{} could not be loaded: {}", file.name, summary(diagnostics))]
pub struct LoadError {
    /// The file as read (text may be empty if it could not be read).
    pub file: SourceFile,
    /// Every error found, and any warnings.
    pub diagnostics: Vec<Diagnostic>,
}

impl LoadError {
    /// Renders every diagnostic with its source line and caret.
    pub fn render(&self, color: bool) -> String {
        render_all(&self.file, &self.diagnostics, color)
    }
}

fn summary(diagnostics: &[Diagnostic]) -> String {
    let n = diagnostics.iter().filter(|d| d.is_error()).count();
    match diagnostics.iter().find(|d| d.is_error()) {
        Some(first) if n == 1 => first.message.clone(),
        Some(first) => format!("{} (and {} more problems)", first.message, n - 1),
        None => "no errors".into(),
    }
}

/// Where the parts of each option sit in the file, for placing warnings.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SourceMap {
    /// One entry per option, in file order.
    pub options: Vec<OptionSpans>,
}

/// Positions of one option's parts.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OptionSpans {
    /// The option's table.
    pub table: Span,
    /// The `published_total` value.
    pub published_total: Option<Span>,
    /// The scores table.
    pub scores: Option<Span>,
    /// The `published_rank` value.
    pub published_rank: Option<Span>,
    /// The `published_percent` value.
    pub published_percent: Option<Span>,
    /// Each published subtotal: (group index, where its value is).
    pub published_subtotals: Vec<(usize, Span)>,
    /// The screening table.
    pub screening: Option<Span>,
}

/// A successfully loaded appraisal with its source and warnings.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// The validated appraisal.
    pub appraisal: Appraisal,
    /// The file it came from.
    pub source: SourceFile,
    /// Where each option sits in the file.
    pub map: SourceMap,
    /// Warnings (unscored cells, published totals that disagree, rounding
    /// that hides an order, and problems in how the file is written), each
    /// with a position.
    pub warnings: Vec<Diagnostic>,
}

impl SourceMap {
    /// Turns a model-level warning into a positioned diagnostic.
    pub fn locate(&self, appraisal: &Appraisal, w: &Warning) -> Diagnostic {
        let spans = appraisal
            .option_index(&w.option)
            .and_then(|i| self.options.get(i));
        let (span, label, help) = match w.kind {
            WarningKind::MissingScore => (
                spans.map(|s| s.scores.clone().unwrap_or_else(|| s.table.clone())),
                format!("no score for `{}`", w.criterion.as_deref().unwrap_or("?")),
                "add the score when it is agreed; until then the option is marked incomplete",
            ),
            WarningKind::PublishedTotalMismatch => (
                spans.map(|s| s.published_total.clone().unwrap_or_else(|| s.table.clone())),
                if appraisal.criteria().iter().all(|c| c.weight() == 1.0) {
                    "differs from the sum of the scores".to_string()
                } else {
                    "differs from the weighted total".to_string()
                },
                "check each score against the source, or record the corrected total",
            ),
            WarningKind::PublishedRoundingHidesOrder => (
                spans.map(|s| s.published_total.clone().unwrap_or_else(|| s.table.clone())),
                "rounded in the source".to_string(),
                "when quoting the published figures, say that the computed totals put these options in a definite order",
            ),
            WarningKind::PublishedRankMismatch => (
                spans.map(|s| s.published_rank.clone().unwrap_or_else(|| s.table.clone())),
                "differs from the computed rank".to_string(),
                "check each score against the source, or record the corrected rank",
            ),
            WarningKind::PublishedPercentMismatch => (
                spans.map(|s| {
                    s.published_percent
                        .clone()
                        .unwrap_or_else(|| s.table.clone())
                }),
                "differs from the computed percentage".to_string(),
                "check each score against the source, or record the corrected percentage",
            ),
            WarningKind::PublishedSubtotalMismatch => {
                let g = w.criterion.as_deref().and_then(|id| {
                    appraisal
                        .groups()
                        .iter()
                        .position(|g| g.id().as_str() == id)
                });
                (
                    spans.map(|s| {
                        s.published_subtotals
                            .iter()
                            .find(|(x, _)| Some(*x) == g)
                            .map_or_else(|| s.table.clone(), |(_, span)| span.clone())
                    }),
                    "differs from the computed subtotal".to_string(),
                    "check each score in the group against the source, or record the corrected subtotal",
                )
            }
            WarningKind::MissingScreening => (
                spans.map(|s| s.screening.clone().unwrap_or_else(|| s.table.clone())),
                format!("no result for `{}`", w.criterion.as_deref().unwrap_or("?")),
                "record whether the option passes the test; an option fails only when a failure is recorded",
            ),
        };
        Diagnostic::warning(w.kind.as_str(), w.message.clone(), span)
            .with_label(label)
            .with_help(help)
    }
}

/// Loads and validates an appraisal file.
pub fn load_path(path: &Path) -> Result<Loaded, LoadError> {
    let name = path.display().to_string();
    match std::fs::read(path) {
        Ok(bytes) => load_bytes(&name, bytes),
        Err(e) => {
            let help = match e.kind() {
                std::io::ErrorKind::NotFound => "check the file name and folder",
                std::io::ErrorKind::PermissionDenied => {
                    "check that you are allowed to read the file"
                }
                _ => "check that the path names a readable file",
            };
            let message = if path.is_dir() {
                "cannot read the file: it is a folder, not a file".to_string()
            } else {
                format!("cannot read the file: {e}")
            };
            Err(LoadError {
                file: SourceFile::new(name, ""),
                diagnostics: vec![Diagnostic::error("unreadable", message, None).with_help(help)],
            })
        }
    }
}

/// Loads an appraisal from raw bytes, reporting text that is not UTF-8.
pub fn load_bytes(name: &str, bytes: Vec<u8>) -> Result<Loaded, LoadError> {
    match String::from_utf8(bytes) {
        Ok(text) => load_string(name, text),
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
            // Offsets in the lossy text match the original up to the first bad byte.
            let span = valid..valid + 1;
            let utf16 =
                e.as_bytes().starts_with(&[0xff, 0xfe]) || e.as_bytes().starts_with(&[0xfe, 0xff]);
            let help = if utf16 {
                "this file looks like UTF-16; save it as UTF-8 (in most editors: Save As, then choose UTF-8 encoding)"
            } else {
                "save the file as UTF-8 (in most editors: Save As, then choose UTF-8 encoding)"
            };
            Err(LoadError {
                file: SourceFile::new(name, text),
                diagnostics: vec![
                    Diagnostic::error("not-utf8", "the file is not UTF-8 text", Some(span))
                        .with_label("this byte is not valid UTF-8")
                        .with_help(help),
                ],
            })
        }
    }
}

/// Loads the bundled example appraisal.
pub fn load_example() -> Result<Loaded, LoadError> {
    load_str(EXAMPLE_NAME, EXAMPLE)
}

/// Loads an appraisal from text; `name` is used in messages.
pub fn load_str(name: &str, text: &str) -> Result<Loaded, LoadError> {
    load_string(name, text.to_owned())
}

/// A warning for text (its first byte-order mark already taken off) that
/// starts with a second one: two programs each added one, and most editors
/// show neither. Appraisal files and scoresheets alike.
pub(crate) fn doubled_byte_order_mark(text: &str) -> Option<Diagnostic> {
    text.starts_with('\u{feff}').then(|| {
        Diagnostic::warning(
            "doubled-byte-order-mark",
            "the file starts with two byte-order marks (invisible characters that say the file is UTF-8); one is enough",
            Some(0..'\u{feff}'.len_utf8()),
        )
        .with_label("a second byte-order mark")
        .with_help("save the file again as UTF-8 in your editor, or delete the invisible first character of the file")
    })
}

/// [`load_str`] for text already owned, which the result keeps without a
/// copy (for a large file, a copy costs as much time as checking it).
fn load_string(name: &str, text: String) -> Result<Loaded, LoadError> {
    let file = SourceFile::new(name, text);
    if file.text.trim().is_empty() {
        return Err(LoadError {
            diagnostics: vec![
                Diagnostic::error("empty-file", "the file is empty", Some(0..0)).with_help(
                    "start from the commented example in docs/format.md, or from a copy of appraisals/children-services-ama-2017.toml",
                ),
            ],
            file,
        });
    }
    let result = match read_in_pieces(&file.text) {
        Some(result) => result,
        None => read_whole(&file.text),
    };
    let doubled_mark = doubled_byte_order_mark(&file.text);
    let result = result.map_err(|mut diagnostics| {
        diagnostics.extend(doubled_mark.clone());
        diagnostics
    });
    match result {
        Ok((appraisal, map, read_warnings)) => {
            let results = compute::compute(&appraisal);
            let warnings = doubled_mark
                .into_iter()
                .chain(read_warnings)
                .chain(
                    compute::warnings(&appraisal, &results)
                        .iter()
                        .map(|w| map.locate(&appraisal, w)),
                )
                .collect();
            Ok(Loaded {
                appraisal,
                source: file,
                map,
                warnings,
            })
        }
        Err(diagnostics) => Err(LoadError { file, diagnostics }),
    }
}

/// What reading a file gives: the appraisal, where its options are, and
/// warnings about how it is written; or every problem found.
type Built = Result<(Appraisal, SourceMap, Vec<Diagnostic>), Vec<Diagnostic>>;

/// Parses and checks the whole text as one document.
fn read_whole(text: &str) -> Built {
    let root = DeTable::parse(text).map_err(|e| vec![syntax_error(&e, text, "")])?;
    let mut sink = Sink::new(text);
    let root_table = Table {
        entries: root.get_ref(),
        span: 0..0,
        name: "the top level of the file",
    };
    match build(&root_table, &mut sink) {
        Some((appraisal, map)) if !sink.has_errors() => Ok((appraisal, map, sink.diagnostics)),
        _ => Err(sink.diagnostics),
    }
}

/// Files smaller than this are parsed whole; splitting only pays off for large ones.
const PIECES_MIN_BYTES: usize = 4 << 20;

/// Roughly how much text each piece holds.
const PIECE_BYTES: usize = 1 << 20;

/// Reads a large file in pieces: the part before the first `[[options]]` line,
/// then runs of options, each parsed on its own (in parallel) and checked in order.
///
/// TOML parsing dominates loading, and its cost grows faster than the file:
/// small pieces stay in the processor's caches and use two cores. The result is
/// the same as reading the whole document, because a piece that starts at an
/// `[[options]]` line can only add options. Anything that would make the pieces
/// differ from the whole (a split inside a multi-line string leaves a piece
/// that fails to parse; a later piece holding anything but options) returns
/// `None`, and the caller reads the whole document instead, with exact errors.
fn read_in_pieces(text: &str) -> Option<Built> {
    if text.len() < PIECES_MIN_BYTES {
        return None;
    }
    read_pieces_of(text, PIECE_BYTES)
}

/// [`read_in_pieces`] with a chosen piece size, for any file size.
fn read_pieces_of(text: &str, piece_bytes: usize) -> Option<Built> {
    let pieces = option_pieces(text, piece_bytes);
    let first = pieces.first()?.start;
    let head_tree = DeTable::parse(&text[..first]).ok()?;
    if head_tree.get_ref().contains_key("options") {
        return None;
    }
    let mut sink = Sink::new(text);
    let root = Table {
        entries: head_tree.get_ref(),
        span: 0..0,
        name: "the top level of the file",
    };
    let head = read_head(&root, &mut sink);
    let ids = criterion_ids(&head);
    let mut reader = OptionsReader::new(&head, &ids);
    // A few pieces per thread at a time keeps memory to a few parse trees, and
    // the next group is parsed while this one is checked.
    let batch = 2 * rayon::current_num_threads().max(1);
    let groups: Vec<&[std::ops::Range<usize>]> = pieces.chunks(batch).collect();
    // Plain option tables are read from the parser's events; anything else
    // gets the full tree.
    let parse = |group: &[std::ops::Range<usize>]| -> Vec<Parsed<'_>> {
        group
            .par_iter()
            .map(|r| match fast_options::collect(&text[r.clone()]) {
                Some(options) => Parsed::Plain(options),
                None => Parsed::Tree(DeTable::parse(&text[r.clone()]).ok()),
            })
            .collect()
    };
    let mut trees = groups.first().map(|g| parse(g)).unwrap_or_default();
    for (k, group) in groups.iter().enumerate() {
        let next = groups.get(k + 1);
        let current = std::mem::take(&mut trees);
        // The trees are dropped inside the check, so freeing them overlaps
        // the next parse instead of following it.
        let (checked, next_trees) = rayon::join(
            || -> Option<()> {
                for (range, parsed) in group.iter().zip(current) {
                    let tree = match parsed {
                        Parsed::Plain(options)
                            if reader.read_plain(&options, text, range.start) =>
                        {
                            continue;
                        }
                        // Something breaks a rule: read the piece again with
                        // spans for every value, to say exactly what.
                        Parsed::Plain(_) => DeTable::parse(&text[range.clone()]).ok(),
                        Parsed::Tree(tree) => tree,
                    };
                    let entries = tree.as_ref()?.get_ref();
                    let (Some(options), 1) = (entries.get("options"), entries.len()) else {
                        return None;
                    };
                    let DeValue::Array(items) = options.get_ref() else {
                        return None;
                    };
                    sink.offset = range.start;
                    for item in items.iter() {
                        let DeValue::Table(t) = item.get_ref() else {
                            return None;
                        };
                        let span = sink.at(item);
                        reader.read(t, span, &mut sink);
                    }
                }
                Some(())
            },
            || next.map(|g| parse(g)),
        );
        checked?;
        trees = next_trees.unwrap_or_default();
    }
    sink.offset = 0;
    let read = reader.into_parts();
    Some(match finish(head, read, &mut sink) {
        Some((appraisal, map)) if !sink.has_errors() => Ok((appraisal, map, sink.diagnostics)),
        _ => Err(sink.diagnostics),
    })
}

/// Whether reading `text` in pieces of about `piece_bytes`, as large files are
/// read, gives exactly what reading it whole gives (or declines, leaving it
/// to the whole-file path). For the fuzz targets, which check it on every
/// input with small pieces so that small files exercise the large-file path.
#[doc(hidden)]
pub fn pieces_agree(text: &str, piece_bytes: usize) -> bool {
    match read_pieces_of(text, piece_bytes) {
        None => true,
        Some(pieces) => pieces == read_whole(text),
    }
}

/// A piece of a large file after the parallel step.
enum Parsed<'i> {
    /// Plain option tables, read from the parser's events.
    Plain(Vec<RawOption<'i>>),
    /// The full tree (`None` if the piece does not parse on its own).
    Tree(Option<toml::Spanned<DeTable<'i>>>),
}

/// Byte ranges of runs of options, each starting at an `[[options]]` line and
/// holding about `piece_bytes`; empty if the file has no such line.
///
/// A piece ends at the first `[[options]]` line at least `piece_bytes` after
/// its start, so only a little text past each boundary is searched.
fn option_pieces(text: &str, piece_bytes: usize) -> Vec<std::ops::Range<usize>> {
    let mut pieces = Vec::new();
    let Some(mut start) = options_line(text, 0) else {
        return pieces;
    };
    while let Some(next) = options_line(text, start + piece_bytes.max(1)) {
        pieces.push(start..next);
        start = next;
    }
    pieces.push(start..text.len());
    pieces
}

/// The start of the first line at or after byte `from` that is `[[options]]`
/// after any spaces or tabs.
fn options_line(text: &str, from: usize) -> Option<usize> {
    const HEADER: &[u8] = b"[[options]]";
    let bytes = text.as_bytes();
    let mut at = from;
    while at < bytes.len() {
        let found = at
            + bytes
                .get(at..)?
                .windows(HEADER.len())
                .position(|w| w == HEADER)?;
        let line = bytes[..found]
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |nl| nl + 1);
        if line >= from && bytes[line..found].iter().all(|&b| b == b' ' || b == b'\t') {
            return Some(line);
        }
        at = found + 1;
    }
    None
}

/// A TOML syntax error, said as plainly as the text allows; `blank_hint`
/// is added to the general advice (a scoresheet says how a blank is written).
pub(crate) fn syntax_error(e: &toml::de::Error, text: &str, blank_hint: &str) -> Diagnostic {
    let span = e.span().unwrap_or(0..0);
    if let Some(key) = crate::raw::percent_key(text, span.start) {
        return Diagnostic::error(
            "syntax",
            format!(
                "`{}` is written with a % sign, which TOML does not allow in a number",
                shorten(key)
            ),
            Some(span),
        )
        .with_label("a number with %")
        .with_help(crate::raw::percent_help(&format!("`{}`", shorten(key))));
    }
    let found = text.get(span.clone()).unwrap_or("");
    // An invisible character inside text: say which, since the line looks fine.
    if let Some(c) = text
        .get(span.start..)
        .and_then(|t| t.chars().next())
        .filter(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        return Diagnostic::error(
            "syntax",
            format!(
                "this is not valid TOML: the text holds an invisible control character (code {:#04x})",
                c as u32
            ),
            Some(span),
        )
        .with_label("an invisible character here")
        .with_help("delete the character (most editors do not show it); text copied from another program is best pasted as plain text");
    }
    let message = e.message().trim().to_string();
    let lower = message.to_lowercase();
    let mut label = "here".to_string();
    let mut help = format!(
        "check the line for a missing quote, bracket, comma or `=`; text must be in double quotes{blank_hint}"
    );
    let mut said = format!("this is not valid TOML: {message}");
    if lower.contains("recurs") {
        help = "the file nests lists or tables far too deeply; an appraisal needs at most three levels".into();
    } else if lower.contains("duplicate") {
        let line_start = text[..span.start.min(text.len())]
            .rfind('\n')
            .map_or(0, |i| i + 1);
        let header = text[line_start..span.start.min(text.len())]
            .trim_start()
            .starts_with('[');
        let name = shorten(found.trim().trim_matches('"'));
        if !name.is_empty() {
            said = if header {
                format!("this is not valid TOML: the table [{name}] is written twice")
            } else {
                format!("this is not valid TOML: `{name}` is written twice in the same table")
            };
            label = "written again here".into();
        }
        help = "each key may appear only once per table, and each [table] header only once; merge or rename the repeated one".into();
    } else if lower.contains("invalid string") || lower.contains("expected `\"`") {
        help = "text must be in double quotes; a quote inside text is written \\\"".into();
    }
    Diagnostic::error("syntax", said, Some(span))
        .with_label(label)
        .with_help(help)
}

const TOP_KEYS: &[&str] = &[
    "version",
    "appraisal",
    "scale",
    "groups",
    "criteria",
    "screening",
    "option_groups",
    "agreed_weights",
    "options",
];
const META_KEYS: &[&str] = &[
    "title",
    "organisation",
    "date",
    "source",
    "description",
    "weights",
];
const SCALE_KEYS: &[&str] = &["min", "max", "step", "labels"];
const CRITERION_KEYS: &[&str] = &[
    "id",
    "name",
    "weight",
    "description",
    "group",
    "scale",
    "unit",
    "better",
    "value",
    "cost",
];
const OPTION_KEYS: &[&str] = &[
    "id",
    "ref",
    "name",
    "group",
    "baseline",
    "description",
    "strengths",
    "weaknesses",
    "published_total",
    "published_rank",
    "published_percent",
    "published_subtotals",
    "screening",
    "scores",
    "measures",
    "notes",
    "evidence",
];

/// The parts of an appraisal read before its options.
struct Head {
    /// `[agreed_weights]`, checked once the appraisal is assembled.
    agreed: crate::load_v2::AgreedRead,
    meta: Option<Meta>,
    scale: Option<Scale>,
    criteria: CriteriaRead,
    /// Each criterion's scale (its own or the common one), where known.
    scales: Vec<Option<Scale>>,
    /// Which criteria are measured (including ones whose rules are broken).
    measured: Vec<bool>,
    /// Criteria groups, as read.
    groups: Vec<Option<crate::model::CriterionGroup>>,
    /// Group ids to indices.
    group_ids: HashMap<String, usize>,
    screens: Vec<Option<crate::screening::Screen>>,
    screen_ids: HashMap<String, usize>,
    option_groups: Vec<crate::model::OptionGroup>,
    percent: bool,
    /// The version the file declares, if any, and where.
    version: Option<At<f64>>,
    /// Version-2 features used, and where (for the version check).
    used: Vec<(String, Span)>,
    no_common_scale: bool,
    /// Where the first criterion is, for rules about the criteria as a whole.
    criteria_span: Option<Span>,
}

impl Head {
    /// Whether the options need the version-2 reader (the fast path for
    /// large files knows only version 1).
    fn plain(&self) -> bool {
        self.used.is_empty()
    }
}

fn read_head(root: &Table<'_, '_>, sink: &mut Sink<'_>) -> Head {
    root.check_keys(TOP_KEYS, sink);
    let version = root.number("version", None, sink);
    if let Some(v) = &version
        && v.value != 1.0
        && v.value != 2.0
    {
        sink.push(
            Diagnostic::error(
                "invalid-version",
                format!(
                    "this tool reads format versions 1 and 2, not {}",
                    written_text(sink, &v.span)
                ),
                Some(v.span.clone()),
            )
            .with_help("write version = 2 (or leave `version` out: the version is then taken from what the file uses)"),
        );
    }
    let mut used = Vec::new();
    let (meta, percent) = read_meta(root, &mut used, sink);
    let scale = match root.get("scale") {
        Some(_) => root
            .table("scale", "[scale]", sink)
            .and_then(|t| read_scale_table(&t, sink)),
        None => None,
    };
    let group_reads = crate::load_v2::read_groups(root, &mut used, sink);
    let mut group_ids = HashMap::new();
    for (i, g) in group_reads.iter().enumerate() {
        if let Some(id) = &g.id {
            group_ids.insert(id.to_string(), i);
        }
    }
    // Without [scale], the criteria must each have their own; where none
    // has, say so in file order, before the criteria's own messages.
    let some_own_scale = match root.get("criteria").map(|v| v.get_ref()) {
        Some(DeValue::Array(items)) => items
            .iter()
            .any(|c| matches!(c.get_ref(), DeValue::Table(t) if t.contains_key("scale"))),
        _ => false,
    };
    if root.get("scale").is_none() && !some_own_scale {
        sink.push(
            Diagnostic::error("missing-key", "the file has no [scale] table", Some(0..0))
                .with_help("add a [scale] section with the lowest and highest scores: a line [scale], then min = 0 and max = 5 on lines of their own"),
        );
    }
    let read = read_criteria(root, scale.as_ref(), &group_ids, percent, &mut used, sink);
    let no_common_scale = root.get("scale").is_none()
        && !read.criteria.is_empty()
        && read.scales.iter().all(Option::is_some);
    if root.get("scale").is_none() && some_own_scale && !no_common_scale {
        for (c, own) in read.own_scale.iter().enumerate() {
            if !own && let Some(span) = read.spans.get(c) {
                sink.push(
                    Diagnostic::error(
                        "missing-key",
                        "this criterion has no scale of its own and the file has no [scale] table",
                        Some(span.clone()),
                    )
                    .with_help("add a [scale] section for the criteria without a scale of their own (a line [scale], then min = 0 and max = 5), or give this criterion its own scale = { min = 0, max = 5 }"),
                );
            }
        }
    }
    let scale = if no_common_scale {
        // Every criterion has its own scale: a total is a sum of weight × a 0-1 value.
        Scale::new(0.0, 1.0, 1.0).ok()
    } else {
        scale
    };
    let scales: Vec<Option<Scale>> = read
        .scales
        .iter()
        .map(|s| s.clone().or_else(|| scale.clone()))
        .collect();
    let groups = resolve_groups(group_reads, &read, &group_ids, percent, sink);
    let screens = crate::load_v2::read_screens(root, &mut used, sink);
    let screen_ids = screens
        .iter()
        .enumerate()
        .filter_map(|(i, s)| s.as_ref().map(|s| (s.id().to_string(), i)))
        .collect();
    let option_groups = crate::load_v2::read_option_groups(root, &mut used, sink);
    let agreed = crate::load_v2::read_agreed(root, &mut used, sink);
    Head {
        agreed,
        criteria_span: read.spans.first().cloned(),
        meta,
        scale,
        criteria: read.criteria,
        scales,
        measured: read.measured,
        groups,
        group_ids,
        screens,
        screen_ids,
        option_groups,
        percent,
        version,
        used,
        no_common_scale,
    }
}

/// Checks the groups against each other and the criteria, reporting every
/// problem where it is written, and builds them.
fn resolve_groups(
    reads: Vec<crate::load_v2::GroupRead>,
    criteria: &CriteriaParts,
    ids: &HashMap<String, usize>,
    percent: bool,
    sink: &mut Sink<'_>,
) -> Vec<Option<crate::model::CriterionGroup>> {
    let n = reads.len();
    let parents: Vec<Option<usize>> = reads
        .iter()
        .map(|g| {
            g.parent
                .as_ref()
                .and_then(|p| crate::load_v2::resolve_group(p, ids, sink))
        })
        .collect();
    // A group inside itself, through any chain of parents.
    let mut cyclic = vec![false; n];
    for i in 0..n {
        let mut at = parents[i];
        let mut steps = 0;
        while let Some(p) = at {
            if p == i {
                cyclic[i] = true;
                break;
            }
            steps += 1;
            if steps > n {
                break;
            }
            at = parents[p];
        }
    }
    for (i, g) in reads.iter().enumerate() {
        if cyclic[i] {
            sink.push(
                Diagnostic::error(
                    "group-cycle",
                    format!(
                        "the group `{}` is inside itself, through the groups it belongs to",
                        g.id.as_ref().map_or("?", |id| id.as_str())
                    ),
                    Some(g.parent.as_ref().map_or(g.span.clone(), |p| p.span.clone())),
                )
                .with_help("each group's `group` names the heading above it; the top-level groups have no `group`"),
            );
        }
    }
    // What each group holds, directly: criteria and groups, with weights.
    let mut holds = vec![false; n];
    for g in criteria.groups.iter().flatten() {
        let mut at = Some(*g);
        let mut steps = 0;
        while let Some(x) = at {
            if steps > n {
                break;
            }
            holds[x] = true;
            at = parents[x];
            steps += 1;
        }
    }
    // A misspelt group reference leaves its group empty: say only the first.
    let misspelt = criteria.groups.len() == criteria.group_written.len()
        && criteria
            .groups
            .iter()
            .zip(&criteria.group_written)
            .any(|(g, written)| *written && g.is_none());
    for (i, g) in reads.iter().enumerate() {
        if !holds[i] && !cyclic[i] && !misspelt && g.id.is_some() {
            sink.push(
                Diagnostic::error(
                    "empty-group",
                    format!(
                        "the group `{}` has no criteria in it",
                        g.id.as_ref().map_or("?", |id| id.as_str())
                    ),
                    Some(g.span.clone()),
                )
                .with_help("put criteria in it with group = \"<this id>\" in their [[criteria]] sections, or remove the group"),
            );
        }
    }
    // Weights: members of each set (the top level, each group).
    let sets: Vec<Option<usize>> = std::iter::once(None).chain((0..n).map(Some)).collect();
    for set in sets {
        let mut members: Vec<(f64, bool, Span, String)> = Vec::new();
        for (c, g) in criteria.groups.iter().enumerate() {
            if *g == set
                && let Some(w) = criteria.weights.get(c).cloned().flatten()
            {
                members.push((
                    w.value,
                    criteria.weight_written[c],
                    w.span.clone(),
                    criteria.names[c].clone(),
                ));
            }
        }
        for (i, g) in reads.iter().enumerate() {
            if parents[i] == set
                && let Some(w) = &g.weight
            {
                members.push((
                    w.value,
                    g.weight_written,
                    w.span.clone(),
                    g.name.clone().unwrap_or_default(),
                ));
            }
        }
        if members.is_empty() {
            continue;
        }
        let set_name = match set {
            None => "the top level".to_string(),
            Some(i) => format!(
                "the group `{}`",
                reads[i].id.as_ref().map_or("?", |id| id.as_str())
            ),
        };
        if let Some(i) = set
            && !cyclic[i]
            && reads[i].weight.as_ref().is_some_and(|w| w.value > 0.0)
            && members.iter().all(|m| m.0 == 0.0)
        {
            sink.push(
                Diagnostic::error(
                    "group-weightless",
                    format!("{set_name} has a weight, but everything in it weighs zero, so its weight would be lost"),
                    Some(reads[i].span.clone()),
                )
                .with_help("give something in the group a weight above zero, or give the group a weight of 0"),
            );
        }
        if percent {
            check_percent(&members, set, &reads, &parents, &set_name, sink);
        }
    }
    reads
        .into_iter()
        .enumerate()
        .map(|(i, g)| {
            if cyclic[i] || (g.parent.is_some() && parents[i].is_none()) {
                return None;
            }
            let (id, name, weight) = (g.id?, g.name?, g.weight?);
            crate::model::CriterionGroup::new(id, &name, weight.value, parents[i])
                .ok()
                .map(|mut x| {
                    x.description = g.description;
                    x
                })
        })
        .collect()
}

/// With weights as percentages: every member's weight is written, and the
/// set adds up to 100 (or, inside a group, to the group's own percentage
/// of the whole, for files that give every weight as a share of the whole).
fn check_percent(
    members: &[(f64, bool, Span, String)],
    set: Option<usize>,
    reads: &[crate::load_v2::GroupRead],
    parents: &[Option<usize>],
    set_name: &str,
    sink: &mut Sink<'_>,
) {
    let defaulted: Vec<&(f64, bool, Span, String)> = members.iter().filter(|m| !m.1).collect();
    if let Some(first) = defaulted.first() {
        let names: Vec<String> = defaulted.iter().map(|m| shorten(&m.3)).collect();
        sink.push(
            Diagnostic::error(
                "percent-weight-missing",
                format!(
                    "weights are percentages, but {} in {set_name} {} no weight",
                    numbers::join_and(&names),
                    if defaulted.len() == 1 { "has" } else { "have" }
                ),
                Some(first.2.clone()),
            )
            .with_label("no weight given")
            .with_help("with weights = \"percent\" every weight must be written, so that each set adds up to 100; write weight = 0 for a criterion that should not count"),
        );
        return;
    }
    let sum: f64 = members.iter().map(|m| m.0).sum();
    let close = |a: f64, b: f64| (a - b).abs() <= 1e-6 * b.abs().max(1.0);
    if close(sum, 100.0) {
        return;
    }
    // Inside a group, weights may instead be shares of the whole that add
    // up to the group's own share of the whole.
    if let Some(g) = set {
        let mut share = reads[g].weight.as_ref().map_or(0.0, |w| w.value) / 100.0;
        let mut at = parents[g];
        let mut steps = 0;
        while let Some(p) = at {
            share *= reads[p].weight.as_ref().map_or(0.0, |w| w.value) / 100.0;
            at = parents[p];
            steps += 1;
            if steps > reads.len() {
                break;
            }
        }
        if close(sum, 100.0 * share) {
            return;
        }
    }
    let listed: Vec<String> = members.iter().map(|m| numbers::as_given(m.0)).collect();
    let alternative = match set {
        Some(g) => format!(
            " (or to the group's own share of the whole, {}%)",
            numbers::as_given(reads[g].weight.as_ref().map_or(0.0, |w| w.value))
        ),
        None => String::new(),
    };
    sink.push(
        Diagnostic::error(
            "weights-not-percent",
            format!(
                "weights are percentages, but the weights in {set_name} add up to {} ({}), not 100",
                numbers::as_given(sum),
                listed.join(" + ")
            ),
            Some(members[0].2.clone()),
        )
        .with_help(format!(
            "correct the weights so that they add up to 100{alternative}, or remove weights = \"percent\" from [appraisal] to use them as relative weights"
        )),
    );
}

/// The options as read (`None` where one was invalid), where they are, and
/// the version-2 features they use.
type OptionsRead = (Vec<Option<AppraisalOption>>, SourceMap, Vec<(String, Span)>);

/// Builds the appraisal from everything read, if nothing was wrong.
fn finish(
    head: Head,
    (options, map, option_uses): OptionsRead,
    sink: &mut Sink<'_>,
) -> Option<(Appraisal, SourceMap)> {
    // A file that says version 1 may not use what version 2 adds.
    if let Some(v) = &head.version
        && v.value == 1.0
    {
        let mut reported = std::collections::HashSet::new();
        for (feature, span) in head.used.iter().chain(&option_uses) {
            if reported.insert(feature.clone()) {
                sink.push(
                    Diagnostic::error(
                        "version-1-feature",
                        format!("{feature} belong to format version 2, but the file says version = 1"),
                        Some(span.clone()),
                    )
                    .with_help("change the line version = 1 to version = 2 (every version-1 file is also a valid version-2 file)"),
                );
            }
        }
    }
    if options.iter().flatten().count() > 0
        && options
            .iter()
            .all(|o| o.as_ref().is_some_and(AppraisalOption::screened_out))
    {
        sink.push(
            Diagnostic::error(
                "all-screened-out",
                "every option fails a screening test, so none is left to rank",
                map.options.first().map(|o| o.table.clone()),
            )
            .with_help("check the screening results: at least one option must pass every test"),
        );
    }
    let options: Option<Vec<AppraisalOption>> = options.into_iter().collect();
    let criteria: Option<Vec<Criterion>> = head.criteria.into_iter().map(|(_, c)| c).collect();
    let groups: Option<Vec<crate::model::CriterionGroup>> = head.groups.into_iter().collect();
    let screens: Option<Vec<crate::screening::Screen>> = head.screens.into_iter().collect();
    let (meta, scale, criteria, options) = (head.meta?, head.scale?, criteria?, options?);
    let (groups, screens) = (groups?, screens?);
    if sink.has_errors() {
        return None;
    }
    let v2 = !head.used.is_empty() || !option_uses.is_empty();
    let structure = crate::model::Structure {
        version: if v2 {
            2
        } else {
            head.version.map_or(1, |v| v.value as u8)
        },
        groups,
        percent_weights: head.percent,
        option_groups: head.option_groups,
        screens,
        no_common_scale: head.no_common_scale,
        agreed: head.agreed.agreed.clone(),
    };
    match Appraisal::with_structure(meta, scale, criteria, options, structure) {
        Ok(a) => crate::load_v2::check_agreed(&a, &head.agreed, sink).then_some((a, map)),
        Err(e) => {
            let (kind, help) = match e {
                ModelError::AllWeightsZero => (
                    "all-weights-zero",
                    "give at least one criterion a weight above zero, such as 1",
                ),
                ModelError::TotalOverflow => (
                    "weight-overflow",
                    "use smaller weights; only their ratios matter for the ranking",
                ),
                // Validation above mirrors every other model rule, so this is a safety net.
                _ => ("invalid", "correct the file as the message says"),
            };
            let span = head.criteria_span.clone().unwrap_or(0..0);
            sink.push(Diagnostic::error(kind, e.to_string(), Some(span)).with_help(help));
            None
        }
    }
}

/// Reads a whole parsed document.
fn build(root: &Table<'_, '_>, sink: &mut Sink<'_>) -> Option<(Appraisal, SourceMap)> {
    let head = read_head(root, sink);
    let ids = criterion_ids(&head);
    let mut reader = OptionsReader::new(&head, &ids);
    match root.array_of_tables("options", sink) {
        None => {
            if root.get("options").is_none() {
                sink.push(
                    Diagnostic::error("no-options", "the file has no options", Some(0..0))
                        .with_help("add at least one [[options]] section with an id and a name"),
                );
            }
        }
        Some(items) => {
            if items.is_empty() {
                let span = root.get("options").map(|v| sink.at(v));
                sink.push(
                    Diagnostic::error("no-options", "the list of options is empty", span)
                        .with_help("add at least one [[options]] section with an id and a name"),
                );
            }
            for (entries, span) in items {
                reader.read(entries, span, sink);
            }
        }
    }
    let read = reader.into_parts();
    finish(head, read, sink)
}

fn criterion_ids(head: &Head) -> HashMap<&str, usize> {
    head.criteria
        .iter()
        .enumerate()
        .filter_map(|(i, (id, _))| id.as_ref().map(|id| (id.as_str(), i)))
        .collect()
}

/// Reports a model rule broken by a value at `span`.
fn rule(sink: &mut Sink, kind: &'static str, err: &ModelError, span: &Span, help: &str) {
    sink.push(Diagnostic::error(kind, err.to_string(), Some(span.clone())).with_help(help));
}

pub(crate) fn checked_name(
    v: Option<At<String>>,
    what: &str,
    sink: &mut Sink<'_>,
) -> Option<String> {
    let v = v?;
    match check_name(&v.value) {
        Ok(()) => Some(v.value),
        Err(e) => {
            rule(
                sink,
                "invalid-text",
                &e,
                &v.span,
                &format!("give {what} as one line of ordinary text"),
            );
            None
        }
    }
}

pub(crate) fn checked_text(v: Option<At<String>>, sink: &mut Sink<'_>) -> Option<String> {
    let v = v?;
    match check_text(&v.value) {
        Ok(()) => Some(v.value),
        Err(e) => {
            rule(
                sink,
                "invalid-text",
                &e,
                &v.span,
                "remove the control character from the text",
            );
            None
        }
    }
}

fn read_meta(
    root: &Table<'_, '_>,
    used: &mut Vec<(String, Span)>,
    sink: &mut Sink<'_>,
) -> (Option<Meta>, bool) {
    let Some(t) = root.table("appraisal", "[appraisal]", sink) else {
        if root.get("appraisal").is_none() {
            sink.push(
                Diagnostic::error(
                    "missing-key",
                    "the file has no [appraisal] table",
                    Some(0..0),
                )
                .with_help("add an [appraisal] section at the top with at least: title = \"...\""),
            );
        }
        return (None, false);
    };
    t.check_keys(META_KEYS, sink);
    let percent = match t.string("weights", None, sink) {
        Some(w) => {
            crate::load_v2::uses("weights as percentages", w.span.clone(), used);
            match w.value.as_str() {
                "percent" => true,
                "relative" => false,
                other => {
                    sink.push(
                        Diagnostic::error(
                            "invalid-value",
                            format!("`weights` must be \"percent\" or \"relative\", not \"{}\"", shorten(other)),
                            Some(w.span),
                        )
                        .with_help("write weights = \"percent\" when the weights are percentages that add up to 100"),
                    );
                    false
                }
            }
        }
        None => false,
    };
    let title = checked_name(
        t.string("title", Some("\"Options for ...\""), sink),
        "the title",
        sink,
    );
    let organisation = checked_name(
        t.string("organisation", None, sink),
        "the organisation",
        sink,
    );
    let date = checked_name(t.string("date", None, sink), "the date", sink);
    let source = checked_text(t.string("source", None, sink), sink);
    let description = checked_text(t.string("description", None, sink), sink);
    let meta = title.map(|title| Meta {
        title,
        organisation,
        date,
        source,
        description,
    });
    (meta, percent)
}

/// Reads a scale table: `[scale]`, or a criterion's own `scale = { ... }`.
fn read_scale_table(t: &Table<'_, '_>, sink: &mut Sink<'_>) -> Option<Scale> {
    t.check_keys(SCALE_KEYS, sink);
    let min = t.number("min", Some("0"), sink);
    let max = t.number("max", Some("5"), sink);
    let step = t.number("step", None, sink);
    let (min, max) = (min?, max?);
    let step_value = step.as_ref().map_or(1.0, |s| s.value);
    let mut scale = match Scale::new(min.value, max.value, step_value) {
        Ok(s) => s,
        Err(e) => {
            let span = if !step_value.is_finite() || step_value <= 0.0 {
                step.map_or(t.span.clone(), |s| s.span)
            } else if !min.value.is_finite() {
                min.span
            } else {
                max.span
            };
            let help = match e {
                ModelError::TooManySteps(_) => {
                    "a score is a judgement on a short scale, so a scale may have at most 10,000 steps (this keeps typing, stepping and the score-change analysis quick); a measure such as a cost in pounds is not a score: make the criterion measured (in a version-2 file, give it unit = \"£\", better = \"lower\" and value = \"linear\", with each option's cost under `measures`; see docs/format.md), and appraise turns the figures into scores, or turn them into points yourself (for example 0 for the dearest option to 10 for the cheapest)"
                }
                _ => "make max greater than min, with max a whole number of steps above min",
            };
            rule(sink, "invalid-scale", &e, &span, help);
            return None;
        }
    };
    if let Some(labels) = t.table("labels", "[scale.labels]", sink) {
        for (key, value) in labels.entries.iter() {
            let k: &str = key.get_ref();
            // `2.5 = "..."` is a dotted key in TOML: table "2" holding "5". Read it as 2.5.
            let (text_value, key_text) = match value.get_ref() {
                DeValue::Table(inner) if inner.len() == 1 => match inner.iter().next() {
                    Some((frac, v)) if frac.get_ref().bytes().all(|b| b.is_ascii_digit()) => {
                        (v, format!("{k}.{}", frac.get_ref()))
                    }
                    _ => (value, k.to_string()),
                },
                _ => (value, k.to_string()),
            };
            let Ok(point) = key_text.trim().parse::<f64>() else {
                sink.push(
                    Diagnostic::error(
                        "label-off-scale",
                        format!("the label key `{}` is not a number", shorten(&key_text)),
                        Some(sink.at(key)),
                    )
                    .with_help("each label key is a point on the scale, such as 0, 3 or 5"),
                );
                continue;
            };
            let Some(text) = string(text_value, "a scale label", sink) else {
                continue;
            };
            if let Err(e) = scale.set_label(point, text.value) {
                let help = match e {
                    ModelError::ControlCharacter(_) => {
                        "remove the control character from the label".to_string()
                    }
                    _ => format!(
                        "use a point on the scale: {} to {} in steps of {}",
                        numbers::score(scale.min()),
                        numbers::score(scale.max()),
                        numbers::score(scale.step())
                    ),
                };
                let kind = if matches!(e, ModelError::ControlCharacter(_)) {
                    "invalid-text"
                } else {
                    "label-off-scale"
                };
                sink.push(
                    Diagnostic::error(
                        kind,
                        format!("the label for {} is not usable: {e}", shorten(&key_text)),
                        Some(sink.at(key)),
                    )
                    .with_help(help),
                );
            }
        }
    }
    Some(scale)
}

/// Reads an id, reporting bad characters and duplicates (`seen` maps id to the line it was first used).
pub(crate) fn read_id(
    t: &Table<'_, '_>,
    seen: &mut HashMap<String, Span>,
    what: &str,
    sink: &mut Sink<'_>,
) -> Option<Id> {
    let raw = t.string("id", Some("\"short-name\""), sink)?;
    let id = match Id::new(&raw.value) {
        Ok(id) => id,
        Err(e) => {
            let suggestion = crate::model::slug(&raw.value);
            let help = if !raw.value.is_ascii() {
                "use only lowercase letters a-z, digits and '-'; accented letters, symbols and emoji are not allowed in ids (names may use them)".to_string()
            } else if !suggestion.is_empty() && Id::new(&suggestion).is_ok() {
                format!("use lowercase letters, digits and '-', for example \"{suggestion}\"")
            } else {
                "use lowercase letters, digits and '-', for example \"child-focused\"".to_string()
            };
            rule(sink, "invalid-id", &e, &raw.span, &help);
            return None;
        }
    };
    if let Some(first) = seen.get(id.as_str()) {
        let line = sink.line_of(first);
        sink.push(
            Diagnostic::error(
                "duplicate-id",
                format!("the {what} id `{id}` is used twice"),
                Some(raw.span.clone()),
            )
            .with_label(format!("already used on line {line}"))
            .with_help(format!("give each {what} its own id")),
        );
        return None;
    }
    seen.insert(id.to_string(), raw.span);
    Some(id)
}

/// Each criterion as read: its id (if valid, so scores can still be matched to it
/// when another of its fields is wrong) and the criterion (if entirely valid).
type CriteriaRead = Vec<(Option<Id>, Option<Criterion>)>;

/// Everything read from the criteria, one entry per criterion.
struct CriteriaParts {
    criteria: CriteriaRead,
    /// Its own scale, if it has one and it is valid.
    scales: Vec<Option<Scale>>,
    /// Whether it has a `scale` of its own (valid or not).
    own_scale: Vec<bool>,
    /// Whether it is measured (valid or not).
    measured: Vec<bool>,
    /// The group it is in, if that resolves.
    groups: Vec<Option<usize>>,
    /// Whether it names a group.
    group_written: Vec<bool>,
    /// Its weight, where valid (1 where left out).
    weights: Vec<Option<At<f64>>>,
    /// Whether its weight is written.
    weight_written: Vec<bool>,
    /// Its name (or "criterion N"), for messages.
    names: Vec<String>,
    /// Where its table is.
    spans: Vec<Span>,
}

/// Reads a `weight`: a finite number of zero or more, 1 when left out;
/// `None` if it is written wrongly (which is reported).
pub(crate) fn read_weight(t: &Table<'_, '_>, sink: &mut Sink<'_>) -> Option<At<f64>> {
    match t.number("weight", None, sink) {
        Some(w) if !w.value.is_finite() || w.value < 0.0 => {
            let e = ModelError::InvalidWeight(written_text(sink, &w.span));
            rule(
                sink,
                "invalid-weight",
                &e,
                &w.span,
                "use a weight of zero or more, such as 1",
            );
            None
        }
        Some(w) => Some(w),
        None if t.get("weight").is_some() => None,
        None => Some(At {
            value: 1.0,
            span: t.span.clone(),
        }),
    }
}

fn read_criteria(
    root: &Table<'_, '_>,
    scale: Option<&Scale>,
    group_ids: &HashMap<String, usize>,
    percent: bool,
    used: &mut Vec<(String, Span)>,
    sink: &mut Sink<'_>,
) -> CriteriaParts {
    let mut parts = CriteriaParts {
        criteria: Vec::new(),
        scales: Vec::new(),
        own_scale: Vec::new(),
        measured: Vec::new(),
        groups: Vec::new(),
        group_written: Vec::new(),
        weights: Vec::new(),
        weight_written: Vec::new(),
        names: Vec::new(),
        spans: Vec::new(),
    };
    let Some(items) = root.array_of_tables("criteria", sink) else {
        if root.get("criteria").is_none() {
            sink.push(
                Diagnostic::error("no-criteria", "the file has no criteria", Some(0..0))
                    .with_help("add at least one [[criteria]] section with an id and a name"),
            );
        }
        return parts;
    };
    if items.is_empty() {
        sink.push(
            Diagnostic::error(
                "no-criteria",
                "the list of criteria is empty",
                root.get("criteria").map(|v| sink.at(v)),
            )
            .with_help("add at least one [[criteria]] section with an id and a name"),
        );
    }
    let mut seen = HashMap::new();
    let names: Vec<String> = (1..=items.len())
        .map(|i| format!("criterion {i}"))
        .collect();
    let mut out = Vec::with_capacity(items.len());
    let mut weights = Vec::with_capacity(items.len());
    // Criteria with a weight written (its text) and without one (name, header).
    let mut written: Vec<String> = Vec::new();
    // Weights of 1 beside defaults of 1 are equal weights, as meant.
    let mut written_all_one = true;
    let mut defaulted: Vec<(String, Span)> = Vec::new();
    // The criterion marked as the cost, if any: at most one may be.
    let mut first_cost: Option<String> = None;
    for ((entries, span), name) in items.into_iter().zip(&names) {
        let t = Table {
            entries,
            span,
            name,
        };
        t.check_keys(CRITERION_KEYS, sink);
        let id = read_id(&t, &mut seen, "criterion", sink);
        let cname = checked_name(
            t.string("name", Some("\"Criterion name\""), sink),
            "the name",
            sink,
        );
        let weight = read_weight(&t, sink);
        let own = match t.get("scale") {
            Some(v) => {
                crate::load_v2::uses("a criterion's own scale", sink.at(v), used);
                t.table("scale", "the criterion's scale", sink)
                    .and_then(|st| read_scale_table(&st, sink))
            }
            None => None,
        };
        let this_scale = own.as_ref().or(scale);
        let group = match t.string("group", None, sink) {
            Some(g) => {
                crate::load_v2::uses("criteria groups", g.span.clone(), used);
                crate::load_v2::resolve_group(&g, group_ids, sink)
            }
            None => None,
        };
        let (is_measured, measure) =
            crate::load_v2::read_measure(&t, this_scale.map(|s| (s.min(), s.max())), used, sink);
        let cost = crate::load_v2::read_cost(
            &t,
            is_measured,
            measure.as_ref(),
            &mut first_cost,
            used,
            sink,
        );
        if let Some(w) = &weight {
            weights.push(w.clone());
        }
        if t.get("weight").is_some() {
            if let Some(w) = &weight {
                written.push(written_text(sink, &w.span));
                written_all_one &= w.value == 1.0;
                if let (Some(scale), Some(n)) = (this_scale, &cname) {
                    tiny_weight(w, n, scale, sink);
                }
            }
        } else if !t
            .entries
            .keys()
            .any(|k| did_you_mean(k.get_ref(), &["weight"]).is_some())
        {
            // (A misspelt `weight` is reported as such, not as a missing weight.)
            defaulted.push((
                cname.clone().unwrap_or_else(|| name.clone()),
                t.span.clone(),
            ));
        }
        let description = checked_text(t.string("description", None, sink), sink);
        let group_broken = t.get("group").is_some() && group.is_none();
        let criterion = match (&id, cname.clone(), weight.clone()) {
            (Some(id), Some(n), Some(w))
                if !group_broken
                    && (t.get("scale").is_none() || own.is_some())
                    && (!is_measured || measure.is_some()) =>
            {
                Criterion::new(id.clone(), &n, w.value).ok().map(|c| {
                    let mut c = c
                        .in_group(group)
                        .with_scale(own.clone())
                        .measured(measure)
                        .as_cost(cost);
                    c.description = description;
                    c
                })
            }
            _ => None,
        };
        out.push((id, criterion));
        parts.scales.push(own);
        parts.own_scale.push(t.get("scale").is_some());
        parts.measured.push(is_measured);
        parts.groups.push(group);
        parts.group_written.push(t.get("group").is_some());
        parts.weights.push(weight);
        parts.weight_written.push(t.get("weight").is_some());
        parts.names.push(cname.unwrap_or_else(|| name.clone()));
        parts.spans.push(t.span.clone());
    }
    // With percentages, a defaulted weight is an error of its own.
    if !percent && !written.is_empty() && !defaulted.is_empty() && !written_all_one {
        partly_weighted(&written, &defaulted, out.len(), sink);
    }
    if !weights.is_empty() && weights.len() == out.len() && group_ids.is_empty() {
        if weights.iter().all(|w| w.value == 0.0) {
            let span = weights.first().map(|w| w.span.clone());
            sink.push(
                Diagnostic::error(
                    "all-weights-zero",
                    "every criterion has a weight of zero",
                    span,
                )
                .with_help("give at least one criterion a weight above zero, such as 1"),
            );
        } else if !scale.is_none_or(|s| s.totals_finite(weights.iter().map(|w| w.value))) {
            let biggest = weights.iter().max_by(|a, b| a.value.total_cmp(&b.value));
            sink.push(
                Diagnostic::error(
                    "weight-overflow",
                    ModelError::TotalOverflow.to_string(),
                    biggest.map(|w| w.span.clone()),
                )
                .with_help("use smaller weights; only their ratios matter for the ranking"),
            );
        }
    }
    parts.criteria = out;
    parts
}

/// A number as the file writes it, for quoting in a message.
fn written_text(sink: &Sink<'_>, span: &Span) -> String {
    sink.text
        .get(span.clone())
        .map_or_else(String::new, |t| shorten(t.trim()))
}

/// Smallest change a total can show: totals are shown to two decimals.
const SMALLEST_SHOWN_CHANGE: f64 = 0.005;

/// Warns when a one-step change of score on a criterion moves a total by
/// less than a total shows, so that totals (at worst every one "0/0") hide
/// the scores.
fn tiny_weight(w: &At<f64>, name: &str, scale: &Scale, sink: &mut Sink<'_>) {
    let change = w.value * scale.step();
    if w.value <= 0.0 || change >= SMALLEST_SHOWN_CHANGE {
        return;
    }
    let d = Diagnostic::warning(
        "weight-too-small",
        format!(
            "a weight of {} is too small to show: a one-step change of score on {} moves a total by {}, and totals are shown to two decimals",
            written_text(sink, &w.span),
            shorten(name),
            numbers::as_given(change)
        ),
        Some(w.span.clone()),
    )
    .with_label("too small to show in a total")
    .with_help("use larger weights: only their proportions matter, so multiply every weight by the same number (such as 100 or 1000)");
    sink.push(d);
}

/// Warns when some criteria are given weights and the rest are left to the
/// default of 1, which is almost always an oversight (weights of 0.1 and 0.3
/// beside defaults of 1 hand the unweighted criteria most of the weight).
fn partly_weighted(
    written: &[String],
    defaulted: &[(String, Span)],
    n: usize,
    sink: &mut Sink<'_>,
) {
    const LISTED: usize = 5;
    let list = |items: Vec<String>, total: usize| {
        let mut shown: Vec<String> = items.into_iter().take(LISTED).collect();
        if total > LISTED {
            shown.push(format!("{} more", total - LISTED));
        }
        numbers::join_and(&shown)
    };
    let given = written.len();
    let rest = defaulted.len();
    let weights = list(written.to_vec(), given).replace(" and ", ", ");
    let names = list(defaulted.iter().map(|(n, _)| shorten(n)).collect(), rest);
    let message = format!(
        "{given} of {n} criteria {} ({weights}) and the {} ({names}) {} 1 by default",
        if given == 1 {
            "has a weight"
        } else {
            "have weights"
        },
        if rest == 1 {
            "other".to_string()
        } else {
            format!("other {rest}")
        },
        if rest == 1 { "weighs" } else { "weigh" }
    );
    sink.push(
        Diagnostic::warning(
            "criteria-partly-weighted",
            message,
            Some(defaulted[0].1.clone()),
        )
        .with_label("no weight given, so it weighs 1")
        .with_help("give every criterion a weight, writing weight = 1 where 1 is meant"),
    );
}

/// Reads options one at a time, so they can come from several parsed pieces
/// of a large file as well as from one whole document.
struct OptionsReader<'h> {
    ids: &'h HashMap<&'h str, usize>,
    crit_ids: Vec<&'h str>,
    /// Criterion ids by index: keys usually follow this order, and comparing
    /// with the expected id is cheaper than hashing.
    order: Vec<Option<&'h str>>,
    n_criteria: usize,
    scale: Option<&'h Scale>,
    head: &'h Head,
    seen: HashMap<String, Span>,
    /// Option references used so far, and where.
    refs: HashMap<String, Span>,
    /// Where the baseline option is marked, once one is.
    baseline: Option<Span>,
    /// Version-2 features the options use, and where.
    used: Vec<(String, Span)>,
    map: SourceMap,
    out: Vec<Option<AppraisalOption>>,
}

impl<'h> OptionsReader<'h> {
    fn new(head: &'h Head, ids: &'h HashMap<&'h str, usize>) -> OptionsReader<'h> {
        OptionsReader {
            ids,
            crit_ids: ids.keys().copied().collect(),
            order: head
                .criteria
                .iter()
                .map(|(id, _)| id.as_ref().map(|id| id.as_str()))
                .collect(),
            n_criteria: head.criteria.len(),
            scale: head.scale.as_ref(),
            head,
            seen: HashMap::new(),
            refs: HashMap::new(),
            baseline: None,
            used: Vec::new(),
            map: SourceMap::default(),
            out: Vec::new(),
        }
    }

    /// The options read (`None` where one was invalid), where they are, and
    /// the version-2 features they use.
    fn into_parts(self) -> OptionsRead {
        (self.out, self.map, self.used)
    }

    /// Reads a piece's options from their plain tables (see [`fast_options`])
    /// if every one keeps every rule, as [`OptionsReader::read`] would find
    /// them. Otherwise it changes nothing and returns false, and the caller
    /// reads the piece the ordinary way, which says exactly what is wrong.
    fn read_plain(&mut self, options: &[RawOption<'_>], text: &str, offset: usize) -> bool {
        if !self.head.plain() {
            return false;
        }
        let mut fresh: HashMap<String, Span> = HashMap::new();
        let mut built = Vec::with_capacity(options.len());
        for raw in options {
            let Some((option, spans, id_span)) = self.plain_option(raw, text, offset, &fresh)
            else {
                return false;
            };
            fresh.insert(option.id().to_string(), id_span);
            built.push((option, spans));
        }
        self.seen.extend(fresh);
        for (option, spans) in built {
            self.out.push(Some(option));
            self.map.options.push(spans);
        }
        true
    }

    /// One option from its plain table, or `None` at the first broken rule;
    /// `fresh` holds the ids of this piece's earlier options.
    fn plain_option(
        &self,
        raw: &RawOption<'_>,
        whole: &str,
        offset: usize,
        fresh: &HashMap<String, Span>,
    ) -> Option<(AppraisalOption, crate::load::OptionSpans, Span)> {
        let scale = self.scale?;
        let at = |r: &Span| r.start + offset..r.end + offset;
        let mut text: [Option<(&str, Span)>; 4] = [None, None, None, None];
        let mut published = None;
        let mut lists: [Option<Vec<String>>; 2] = [None, None];
        for (key, value, span) in &raw.fields {
            let slot = match key.as_ref() {
                "strengths" | "weaknesses" => {
                    let slot = usize::from(key == "weaknesses");
                    let (Scalar::List(items), None) = (value, &lists[slot]) else {
                        return None;
                    };
                    let mut checked = Vec::with_capacity(items.len());
                    for item in items {
                        check_text(item).ok()?;
                        checked.push(item.to_string());
                    }
                    lists[slot] = Some(checked);
                    continue;
                }
                "id" => 0,
                "name" => 1,
                "group" => 2,
                "description" => 3,
                "published_total" => {
                    match value {
                        Scalar::Number(x) if x.is_finite() && published.is_none() => {
                            published = Some((*x, at(span)));
                        }
                        _ => return None,
                    }
                    continue;
                }
                _ => return None,
            };
            let (Scalar::Text(t), None) = (value, &text[slot]) else {
                return None;
            };
            text[slot] = Some((t.as_ref(), at(span)));
        }
        let [id, name, group, description] = text;
        let (id_text, id_span) = id?;
        let id = Id::new(id_text).ok()?;
        if self.seen.contains_key(id.as_str()) || fresh.contains_key(id.as_str()) {
            return None;
        }
        let group = match group {
            Some((g, _)) => Some(check_name(g).ok().map(|()| g.to_string())?),
            None => None,
        };
        let description = match description {
            Some((d, _)) => Some(check_text(d).ok().map(|()| d.to_string())?),
            None => None,
        };
        let mut scores = vec![None; self.n_criteria];
        for (k, (key, value, _)) in raw.scores.iter().flat_map(|(_, e)| e.iter().enumerate()) {
            let c = self.plain_criterion(k, key)?;
            let (Scalar::Number(v), None) = (value, scores.get(c)?) else {
                return None;
            };
            scale.check(*v).ok()?;
            scores[c] = Some(*v);
        }
        let mut notes = vec![None; self.n_criteria];
        let mut noted = vec![false; self.n_criteria];
        for (k, (key, value, _)) in raw.notes.iter().flat_map(|(_, e)| e.iter().enumerate()) {
            let c = self.plain_criterion(k, key)?;
            let (Scalar::Text(t), false) = (value, noted.get(c).copied()?) else {
                return None;
            };
            check_text(t).ok()?;
            noted[c] = true;
            notes[c] = (!t.trim().is_empty()).then(|| t.to_string());
        }
        let mut option = AppraisalOption::new(id, name?.0, self.n_criteria).ok()?;
        let [strengths, weaknesses] = lists;
        option.group = group;
        option.description = description;
        option.strengths = strengths.unwrap_or_default();
        option.weaknesses = weaknesses.unwrap_or_default();
        option.set_published(
            published
                .as_ref()
                .and_then(|(x, span)| Some(Published::written(*x, whole.get(span.clone())?))),
        );
        option.set_notes_unchecked(notes);
        option.set_scores_unchecked(scores);
        let spans = crate::load::OptionSpans {
            table: at(&raw.header),
            published_total: published.map(|p| p.1),
            scores: raw.scores.as_ref().map(|(header, _)| at(header)),
            ..crate::load::OptionSpans::default()
        };
        Some((option, spans, id_span))
    }

    /// The criterion a scores or notes key at position `k` names; a key
    /// that names none is reported (`what` is "score" or "note").
    fn key_criterion(
        &self,
        k: usize,
        key: &toml::Spanned<std::borrow::Cow<'_, str>>,
        what: &str,
        sink: &mut Sink<'_>,
    ) -> Option<usize> {
        self.plain_criterion(k, key.get_ref()).or_else(|| {
            criterion_key(
                key.get_ref(),
                &sink.at(key),
                self.ids,
                &self.crit_ids,
                what,
                sink,
            )
        })
    }

    /// The criterion a scores or notes key at position `k` names, if any.
    /// Keys usually follow the criteria's order, so the id expected at that
    /// position is compared before any hashing.
    fn plain_criterion(&self, k: usize, key: &str) -> Option<usize> {
        if self.order.get(k).copied().flatten() == Some(key) {
            return Some(k);
        }
        self.ids.get(key).copied()
    }

    /// Reads the next option, the table `entries` whose header is at `span`.
    fn read(&mut self, entries: &DeTable<'_>, span: Span, sink: &mut Sink<'_>) {
        let name = format!("option {}", self.out.len() + 1);
        let t = Table {
            entries,
            span,
            name: &name,
        };
        t.check_keys(OPTION_KEYS, sink);
        let id = read_id(&t, &mut self.seen, "option", sink);
        let oname = checked_name(
            t.string("name", Some("\"Option name\""), sink),
            "the name",
            sink,
        );
        let group = checked_name(t.string("group", None, sink), "the group", sink);
        let description = checked_text(t.string("description", None, sink), sink);
        let strengths: Vec<String> = t
            .string_list("strengths", sink)
            .into_iter()
            .filter_map(|s| checked_text(Some(s), sink))
            .collect();
        let weaknesses: Vec<String> = t
            .string_list("weaknesses", sink)
            .into_iter()
            .filter_map(|s| checked_text(Some(s), sink))
            .collect();
        let published = t.number("published_total", None, sink);
        if let Some(p) = &published
            && !p.value.is_finite()
        {
            sink.push(
                Diagnostic::error(
                    "invalid-value",
                    "`published_total` must be an ordinary finite number",
                    Some(p.span.clone()),
                )
                .with_help("write the total as the source document gives it, such as 33"),
            );
        }

        let mut scores = vec![None; self.n_criteria];
        let scores_table = t.table("scores", "the scores table", sink);
        if let Some(st) = &scores_table {
            for (k, (key, value)) in st.entries.iter().enumerate() {
                let Some(c) = self.key_criterion(k, key, "score", sink) else {
                    continue;
                };
                let Some(v) = number(value, "a score", sink) else {
                    continue;
                };
                if self.head.measured.get(c).copied().unwrap_or(false) {
                    sink.push(
                        Diagnostic::error(
                            "score-for-measured",
                            format!(
                                "`{}` is a measured criterion, so its score comes from the option's raw value, not from `scores`",
                                shorten(key.get_ref())
                            ),
                            Some(v.span.clone()),
                        )
                        .with_help(format!(
                            "give the raw value instead, under [options.measures]: {} = ...",
                            shorten(key.get_ref())
                        )),
                    );
                    continue;
                }
                if let Some(scale) = self.head.scales.get(c).and_then(Option::as_ref) {
                    match scale.check(v.value) {
                        Ok(()) => scores[c] = Some(v.value),
                        Err(e) => {
                            let d = score_problem(key.get_ref(), e, scale, &v.span, sink, "");
                            sink.push(d);
                        }
                    }
                }
            }
        }
        let mut notes = vec![None; self.n_criteria];
        if let Some(nt) = t.table("notes", "the notes table", sink) {
            for (k, (key, value)) in nt.entries.iter().enumerate() {
                let Some(c) = self.key_criterion(k, key, "note", sink) else {
                    continue;
                };
                notes[c] = checked_text(string(value, "a note", sink), sink)
                    .filter(|n| !n.trim().is_empty());
            }
        }
        let extra = self.read_v2(&t, group.as_deref(), sink);
        self.map.options.push(crate::load::OptionSpans {
            table: t.span.clone(),
            published_total: published.as_ref().map(|p| p.span.clone()),
            scores: scores_table.as_ref().map(|s| s.span.clone()),
            published_rank: t.get("published_rank").map(|v| sink.at(v)),
            published_percent: t.get("published_percent").map(|v| sink.at(v)),
            published_subtotals: extra.subtotal_spans.clone(),
            screening: t.get("screening").map(|v| sink.at(v)),
        });
        let built = match (id, oname) {
            (Some(id), Some(n)) => {
                AppraisalOption::new(id, &n, self.n_criteria)
                    .ok()
                    .map(|mut o| {
                        extra.apply(&mut o);
                        o.group = group;
                        o.description = description;
                        o.strengths = strengths;
                        o.weaknesses = weaknesses;
                        o.set_published(published.and_then(|p| {
                            Some(Published::written(p.value, sink.text.get(p.span)?))
                        }));
                        o.set_notes_unchecked(notes);
                        o.set_scores_unchecked(scores);
                        o
                    })
            }
            _ => None,
        };
        self.out.push(built);
    }
}

/// The version-2 parts of one option, as read.
#[derive(Default)]
struct OptionExtra {
    reference: Option<String>,
    baseline: bool,
    evidence: Vec<(usize, crate::model::Evidence)>,
    measures: Vec<Option<f64>>,
    screening: Vec<Option<crate::screening::ScreenResult>>,
    published_rank: Option<u32>,
    published_percent: Option<Published>,
    subtotals: Vec<(usize, Published)>,
    subtotal_spans: Vec<(usize, Span)>,
}

impl OptionExtra {
    fn apply(self, o: &mut AppraisalOption) {
        // Checked as read, so these cannot fail.
        let _ = o.set_reference(self.reference);
        o.set_baseline(self.baseline);
        for (c, e) in self.evidence {
            let _ = o.set_evidence(c, e);
        }
        o.set_measures_unchecked(self.measures);
        o.set_screening(self.screening);
        o.published_rank = self.published_rank;
        o.published_percent = self.published_percent;
        o.set_published_subtotals(self.subtotals);
    }
}

impl OptionsReader<'_> {
    /// Reads an option's reference, baseline mark, evidence, raw values,
    /// screening results and published rank, percentage and subtotals.
    fn read_v2(
        &mut self,
        t: &Table<'_, '_>,
        group: Option<&str>,
        sink: &mut Sink<'_>,
    ) -> OptionExtra {
        use crate::load_v2 as v2;
        let mut x = OptionExtra {
            measures: vec![None; self.n_criteria],
            screening: vec![None; self.head.screens.len()],
            ..OptionExtra::default()
        };
        for key in [
            "ref",
            "baseline",
            "evidence",
            "measures",
            "screening",
            "published_rank",
            "published_percent",
            "published_subtotals",
        ] {
            if let Some(v) = t.get(key) {
                let feature = match key {
                    "ref" => "option references (`ref`)",
                    "baseline" => "a baseline option",
                    "evidence" => "evidence for and against",
                    "measures" => "measured values",
                    "screening" => "screening results",
                    _ => "published ranks, percentages and subtotals",
                };
                v2::uses(feature, sink.at(v), &mut self.used);
            }
        }
        if let Some(g) = group
            && !self.head.option_groups.is_empty()
            && !self.head.option_groups.iter().any(|og| og.name == g)
        {
            let names: Vec<&str> = self
                .head
                .option_groups
                .iter()
                .map(|og| og.name.as_str())
                .collect();
            let mut d = Diagnostic::error(
                "unknown-option-group",
                format!(
                    "the group \"{}\" is not one of the option groups declared in [[option_groups]]",
                    shorten(g)
                ),
                t.get("group").map(|v| sink.at(v)),
            );
            d = match did_you_mean(g, &names) {
                Some(s) => d
                    .with_label(format!("did you mean \"{s}\"?"))
                    .with_help(format!(
                        "write group = \"{s}\", or declare the group in [[option_groups]]"
                    )),
                None => d.with_help(format!(
                    "use one of: {}",
                    names
                        .iter()
                        .map(|n| format!("\"{n}\""))
                        .collect::<Vec<_>>()
                        .join(", ")
                )),
            };
            sink.push(d);
        }
        if let Some(r) = v2::read_reference(t, sink) {
            if let Some(first) = self.refs.get(&r.value) {
                let line = sink.line_of(first);
                sink.push(
                    Diagnostic::error(
                        "duplicate-ref",
                        format!(
                            "the option reference \"{}\" is used twice",
                            shorten(&r.value)
                        ),
                        Some(r.span.clone()),
                    )
                    .with_label(format!("already used on line {line}"))
                    .with_help("give each option its own reference, as the source numbers them"),
                );
            } else {
                self.refs.insert(r.value.clone(), r.span.clone());
                x.reference = Some(r.value);
            }
        }
        if let Some(v) = t.get("baseline")
            && let Some(b) = v2::boolean(v, "`baseline`", "baseline = true", sink)
            && b
        {
            let span = sink.at(v);
            match &self.baseline {
                Some(first) => {
                    let line = sink.line_of(first);
                    sink.push(
                        Diagnostic::error("duplicate-baseline", "only one option can be the baseline", Some(span))
                            .with_label(format!("the baseline is already marked on line {line}"))
                            .with_help("mark only the business-as-usual (or do-minimum) option with baseline = true"),
                    );
                }
                None => {
                    self.baseline = Some(span);
                    x.baseline = true;
                }
            }
        }
        if let Some(et) = t.table("evidence", "the evidence table", sink) {
            for (k, (key, value)) in et.entries.iter().enumerate() {
                let Some(c) = self.key_criterion(k, key, "evidence", sink) else {
                    continue;
                };
                if let Some(e) = v2::read_evidence(value, key.get_ref(), sink) {
                    x.evidence.push((c, e));
                }
            }
        }
        if let Some(mt) = t.table("measures", "the measures table", sink) {
            for (k, (key, value)) in mt.entries.iter().enumerate() {
                let Some(c) = self.key_criterion(k, key, "measured value", sink) else {
                    continue;
                };
                let Some(v) = number(value, "a measured value", sink) else {
                    continue;
                };
                if !self.head.measured.get(c).copied().unwrap_or(false) {
                    sink.push(
                        Diagnostic::error(
                            "not-measured",
                            format!("`{}` is not a measured criterion, so it takes a score, not a raw value", shorten(key.get_ref())),
                            Some(v.span.clone()),
                        )
                        .with_help("move it to [options.scores], or make the criterion measured with better = \"lower\" and value = \"linear\" in its [[criteria]] section"),
                    );
                    continue;
                }
                let measure = self
                    .head
                    .criteria
                    .get(c)
                    .and_then(|(_, k)| k.as_ref())
                    .and_then(|k| k.measure());
                if let Some(m) = measure
                    && let Err(e) = m.check(v.value)
                {
                    let help = match e {
                        crate::value_fn::ValueError::NoBand(_) => {
                            "add a band that covers this value (a last band without a test takes any value), or check the value"
                        }
                        crate::value_fn::ValueError::NotPositive(_) => {
                            "check the value; a price or cost scored relative to the best must be above zero"
                        }
                        crate::value_fn::ValueError::NotFinite => {
                            "write the value as an ordinary number"
                        }
                    };
                    sink.push(
                        Diagnostic::error(
                            "invalid-measure",
                            format!(
                                "the value for `{}` cannot be scored: {e}",
                                shorten(key.get_ref())
                            ),
                            Some(v.span.clone()),
                        )
                        .with_help(help),
                    );
                    continue;
                }
                x.measures[c] = Some(v.value);
            }
        }
        if let Some(st) = t.table("screening", "the screening table", sink) {
            for (key, value) in st.entries.iter() {
                let Some(&i) = self.head.screen_ids.get(key.get_ref().as_ref()) else {
                    let mut known: Vec<&str> =
                        self.head.screen_ids.keys().map(String::as_str).collect();
                    known.sort_unstable();
                    let mut d = Diagnostic::error(
                        "unknown-screen",
                        format!(
                            "`{}` is not the id of any screening test",
                            shorten(key.get_ref())
                        ),
                        Some(sink.at(key)),
                    );
                    d = match did_you_mean(key.get_ref(), &known) {
                        Some(s) => d
                            .with_label(format!("did you mean `{s}`?"))
                            .with_help(format!(
                                "rename it to `{s}`, or add a [[screening]] test with that id"
                            )),
                        None if known.is_empty() => d.with_help(
                            "declare the test first: a [[screening]] section with an id and a name",
                        ),
                        None => d.with_help(format!(
                            "use one of the screening test ids: {}",
                            known.join(", ")
                        )),
                    };
                    sink.push(d);
                    continue;
                };
                x.screening[i] = v2::read_screen_result(value, key.get_ref(), sink);
            }
        }
        if let Some(v) = t.get("published_rank") {
            x.published_rank = v2::published_rank(v, sink);
        }
        if let Some(v) = t.get("published_percent") {
            x.published_percent = v2::published(v, "`published_percent`", sink);
        }
        if let Some(pt) = t.table("published_subtotals", "the published subtotals", sink) {
            for (key, value) in pt.entries.iter() {
                let r = At {
                    value: key.get_ref().to_string(),
                    span: sink.at(key),
                };
                let Some(g) = v2::resolve_group(&r, &self.head.group_ids, sink) else {
                    continue;
                };
                if let Some(p) = v2::published(value, "a published subtotal", sink) {
                    x.subtotals.push((g, p));
                    x.subtotal_spans.push((g, sink.at(value)));
                }
            }
        }
        x
    }
}

/// The error for a score the scale does not allow, quoting the score as the
/// file writes it (4.0000001, not a rounded 4); `more_help` is added to the
/// advice (a scoresheet says how to leave a score blank).
pub(crate) fn score_problem(
    key: &str,
    e: ModelError,
    scale: &Scale,
    span: &Span,
    sink: &Sink<'_>,
    more_help: &str,
) -> Diagnostic {
    let written = written_text(sink, span);
    let help = format!(
        "use a score from {} to {} in steps of {}{more_help}",
        numbers::score(scale.min()),
        numbers::score(scale.max()),
        numbers::score(scale.step())
    );
    if let ModelError::ScoreOutOfRange { .. } = e
        && written.parse::<f64>().is_ok_and(|x| !x.is_finite())
    {
        return Diagnostic::error(
            "score-out-of-range",
            format!(
                "the score for `{}` is {written}, which is not an ordinary number",
                shorten(key)
            ),
            Some(span.clone()),
        )
        .with_help(help);
    }
    let (kind, e) = match e {
        ModelError::ScoreOffStep { min, step, .. } => (
            "score-off-step",
            ModelError::ScoreOffStep {
                value: written,
                min,
                step,
            },
        ),
        ModelError::ScoreOutOfRange { min, max, .. } => (
            "score-out-of-range",
            ModelError::ScoreOutOfRange {
                value: written,
                min,
                max,
            },
        ),
        other => ("score-out-of-range", other),
    };
    Diagnostic::error(
        kind,
        format!("the score for `{}` is not on the scale: {e}", shorten(key)),
        Some(span.clone()),
    )
    .with_help(help)
}

/// Resolves a key in a scores or notes table to a criterion index.
fn criterion_key(
    key: &str,
    span: &Span,
    ids: &HashMap<&str, usize>,
    crit_ids: &[&str],
    what: &str,
    sink: &mut Sink<'_>,
) -> Option<usize> {
    if let Some(&c) = ids.get(key) {
        return Some(c);
    }
    let mut d = Diagnostic::error(
        "unknown-criterion",
        format!(
            "this {what} names `{}`, which is not the id of any criterion",
            shorten(key)
        ),
        Some(span.clone()),
    );
    let mut sorted = crit_ids.to_vec();
    sorted.sort_unstable();
    d = match did_you_mean(key, &sorted) {
        Some(s) => d
            .with_label(format!("did you mean `{s}`?"))
            .with_help(format!(
                "rename it to `{s}`, or add a criterion with that id"
            )),
        None => d.with_help(format!(
            "use one of the criterion ids: {}",
            sorted.join(", ")
        )),
    };
    sink.push(d);
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::synth::{Spec, appraisal_toml};

    fn synthetic(options: usize) -> String {
        appraisal_toml(Spec {
            options,
            criteria: 6,
            notes: true,
            seed: 11,
        })
    }

    #[test]
    fn pieces_give_the_same_appraisal_as_the_whole() {
        let text = synthetic(300);
        let whole = read_whole(&text).expect("valid");
        for piece in [1, 500, 4000, 1 << 20] {
            let pieces = read_pieces_of(&text, piece)
                .expect("splits")
                .expect("valid");
            assert_eq!(pieces, whole, "piece size {piece}");
        }
    }

    #[test]
    fn plain_and_unusual_option_tables_read_as_the_whole_file_does() {
        let head = "[appraisal]\ntitle = \"T\"\n[scale]\nmin = 0\nmax = 10\nstep = 0.5\n\n[[criteria]]\nid = \"a\"\nname = \"A\"\nweight = 2\n[[criteria]]\nid = \"b-2\"\nname = \"B\"\n[[criteria]]\nid = \"c\"\nname = \"C\"\n";
        let options = [
            // Plain: quoted keys, literal strings, escapes, comments, `_` in numbers.
            "[[options]]\nid = 'p1' # first\nname = \"Caf\\u00e9 \\\"one\\\"\"\ngroup = \"G\"\ndescription = \"\"\"two\nlines\"\"\"\nstrengths = [\"S1\", 'S2',]\nweaknesses = []\npublished_total = 1_0\n[options.scores]\n\"b-2\" = 7.5\na = 3\n[options.notes]\nc = \"  \"\na = 'Why: \\no escape'\n",
            "[[options]]\r\nid = \"p2\"\r\nname = \"Two\"\r\n[options.scores]\r\na = 0\r\nb-2 = 10\r\nc = 5\r\n",
            "[[options]]\nid = \"p3\"\nname = \"No scores\"\n",
            // Unusual: read through the tree.
            "[[options]]\nid = \"u1\"\nname = \"Inline\"\nscores = { a = 1, c = 2 }\nstrengths = [\"s\"]\n",
            "[[options]]\nid = \"u2\"\nname = \"Dotted\"\nscores.a = 4\nnotes.b-2 = \"n\"\n",
        ];
        // The bundled example, with lists of strengths and comments, in pieces.
        let example = read_whole(EXAMPLE).expect("valid");
        for piece in [1, 3000] {
            let pieces = read_pieces_of(EXAMPLE, piece).expect("splits");
            assert_eq!(pieces.expect("valid"), example, "piece size {piece}");
        }
        let text = format!("{head}\n{}", options.join("\n"));
        let whole = read_whole(&text).expect("valid");
        assert_eq!(whole.0.options().len(), 5);
        for piece in [1, 200, 1 << 20] {
            let pieces = read_pieces_of(&text, piece)
                .expect("splits")
                .expect("valid");
            assert_eq!(pieces, whole, "piece size {piece}");
        }
        // Each rule broken in a plain table gives the whole file's messages.
        for (from, to) in [
            ("a = 3\n", "a = 3.2\n"),
            ("a = 3\n", "a = 3\na = 4\n"),
            ("a = 3\n", "d = 3\n"),
            ("id = \"p2\"", "id = \"p1\""),
            ("id = \"p2\"", "id = \"P 2\""),
            ("name = \"Two\"", "name = \"T\\u0007\""),
            ("published_total = 1_0", "published_total = \"10\""),
            ("'S2'", "\"S\\u0001\""),
            ("'S2'", "2"),
            ("weaknesses = []", "weaknesses = \"w\""),
            ("group = \"G\"", "group = \"G\"\ncolour = \"red\""),
            ("name = \"No scores\"\n", ""),
        ] {
            let broken = text.replacen(from, to, 1);
            let whole = read_whole(&broken).expect_err(to);
            // `None` (a duplicate key is a syntax error) means the caller reads the whole file.
            if let Some(pieces) = read_pieces_of(&broken, 1) {
                assert_eq!(pieces.expect_err(to), whole, "{to:?}");
            }
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]

        /// Any line of a plain file replaced by something odd (a wrong type,
        /// an off-scale score, a bad id, an unknown key, a stray table) reads
        /// in pieces exactly as the whole file does: the plain path accepts
        /// only what the tree path accepts, and yields the same result.
        #[test]
        fn edited_files_read_in_pieces_as_whole(
            edits in proptest::collection::vec((0..2000usize, 0..EDITS.len()), 1..4),
        ) {
            let text = synthetic(12);
            let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
            for (line, edit) in edits {
                let at = line % lines.len();
                let key = lines[at].split('=').next().unwrap_or("").trim().to_string();
                lines[at] = EDITS[edit].replace("KEY", if key.is_empty() { "k" } else { &key });
            }
            let edited = lines.join("\n");
            let whole = read_whole(&edited);
            if let Some(pieces) = read_pieces_of(&edited, 1) {
                proptest::prop_assert_eq!(pieces, whole);
            }
        }
    }

    /// Replacement lines for the property above; `KEY` keeps the line's key.
    const EDITS: &[&str] = &[
        "KEY = 4",
        "KEY = 4.5",
        "KEY = 9",
        "KEY = -1",
        "KEY = 1e3",
        "KEY = inf",
        "KEY = 0x3",
        "KEY = \"3\"",
        "KEY = true",
        "KEY = 1979-05-27",
        "KEY = \"Text\\u0007\"",
        "KEY = \"  \"",
        "KEY = 'literal'",
        "KEY = [1, 2]",
        "KEY = [\"a\", 'b']",
        "strengths = [\"a\"]",
        "KEY = { a = 1 }",
        "c1 = 2",
        "c99 = 2",
        "id = \"o1\"",
        "id = \"Bad Id\"",
        "published_total = 12",
        "colour = \"red\"",
        "[options.scores]",
        "[options.notes]",
        "[options.other]",
        "[[options]]",
        "# a comment",
        "",
    ];

    #[test]
    fn pieces_give_the_same_errors_at_the_same_places() {
        let text = synthetic(200)
            .replace("id = \"o150\"", "id = \"o3\"")
            .replace("c2 = 4\nc3", "c2 = 9\nc3")
            .replacen("[options.notes]", "[options.notes]\nbogus = \"x\"", 1);
        let whole = read_whole(&text).expect_err("invalid");
        assert!(whole.len() > 3, "{whole:?}");
        assert!(whole.iter().any(|d| d.kind == "duplicate-id"));
        let pieces = read_pieces_of(&text, 3000)
            .expect("splits")
            .expect_err("invalid");
        assert_eq!(pieces, whole);
    }

    #[test]
    fn anything_but_options_in_a_later_piece_reads_the_whole_file() {
        // A table after the options belongs to the document as a whole.
        let text = synthetic(50).replace("[scale]\nmin = 0\nmax = 5\n", "")
            + "\n[scale]\nmin = 0\nmax = 5\n";
        assert!(read_pieces_of(&text, 100).is_none());
        assert!(read_whole(&text).is_ok());
    }

    #[test]
    fn pieces_start_only_at_options_header_lines() {
        let text = "a = \"[[options]]\"\n  [[options]]\nid = \"x\"\n[[options]]\nid = \"y\"\n";
        let first = text.find("  [[options]]").expect("indented header");
        let second = text.rfind("[[options]]").expect("second header");
        // Text that merely contains the header is not a header line.
        assert_eq!(options_line(text, 0), Some(first));
        // Searching from inside a header line finds the next one.
        assert_eq!(options_line(text, first + 3), Some(second));
        assert_eq!(options_line(text, second + 1), None);
        // Each piece runs to the first header at least `piece_bytes` on.
        assert_eq!(
            option_pieces(text, 1),
            vec![first..second, second..text.len()]
        );
        assert_eq!(option_pieces(text, 1000), vec![first..text.len()]);
        assert!(option_pieces("id = 1\n", 1).is_empty());
    }

    #[test]
    fn a_split_inside_a_multi_line_string_reads_the_whole_file() {
        let text = synthetic(50).replacen(
            "name = \"Option 7\"",
            "name = \"Option 7\"\ndescription = \"\"\"\n[[options]]\nnot a header\"\"\"",
            1,
        );
        assert!(read_pieces_of(&text, 1).is_none());
        let whole = read_whole(&text).expect("valid");
        assert!(
            whole.0.options()[6]
                .description
                .as_deref()
                .is_some_and(|d| d.contains("[[options]]"))
        );
    }

    #[test]
    fn a_syntax_error_in_a_piece_reads_the_whole_file_for_an_exact_message() {
        let text = synthetic(50).replacen("c4 = ", "c4 = = ", 1);
        assert!(read_pieces_of(&text, 100).is_none());
        let e = read_whole(&text).expect_err("invalid");
        assert_eq!(e[0].kind, "syntax");
    }
}
