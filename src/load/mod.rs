//! Loading an appraisal file: read, parse, check every rule, build the model.
//!
//! Every problem in a file is reported together, each with its position.

use std::collections::HashMap;
use std::path::Path;

use toml::de::{DeTable, DeValue};

use crate::compute::{self, Warning, WarningKind};
use crate::diagnostic::{Diagnostic, Kind, SourceFile, did_you_mean, render_all};
use crate::model::{Appraisal, AppraisalOption, Criterion, Id, Meta, ModelError, Scale};
use crate::numbers::{self, shorten};
use crate::raw::{At, Sink, Span, Table, string};

mod fast;
mod fields;
mod options;
pub(crate) mod v2;

pub use fast::pieces_agree;
use fast::read_in_pieces;
pub(crate) use fields::{
    checked_name, checked_note, checked_text, read_id, read_weight, score_problem, syntax_error,
};
use fields::{rule, written_text};
use options::OptionsReader;

/// The bundled example appraisal, compiled into the binary.
pub const EXAMPLE: &str = include_str!("../../appraisals/children-services-ama-2017.toml");

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

/// The diagnostic kind a computed warning is reported as. (`compute` sits
/// above `diagnostic`'s dependencies, so the mapping lives here; a test
/// checks that both give the same name.)
fn warning_kind(k: WarningKind) -> Kind {
    match k {
        WarningKind::MissingScore => Kind::MissingScore,
        WarningKind::PublishedTotalMismatch => Kind::PublishedTotalMismatch,
        WarningKind::PublishedRoundingHidesOrder => Kind::PublishedRoundingHidesOrder,
        WarningKind::PublishedRankMismatch => Kind::PublishedRankMismatch,
        WarningKind::PublishedPercentMismatch => Kind::PublishedPercentMismatch,
        WarningKind::PublishedSubtotalMismatch => Kind::PublishedSubtotalMismatch,
        WarningKind::MissingScreening => Kind::MissingScreening,
    }
}

#[cfg(test)]
#[test]
fn warnings_keep_their_names_as_diagnostics() {
    for k in [
        WarningKind::MissingScore,
        WarningKind::PublishedTotalMismatch,
        WarningKind::PublishedRoundingHidesOrder,
        WarningKind::PublishedRankMismatch,
        WarningKind::PublishedPercentMismatch,
        WarningKind::PublishedSubtotalMismatch,
        WarningKind::MissingScreening,
    ] {
        assert_eq!(warning_kind(k).as_str(), k.as_str());
    }
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
        Diagnostic::warning(warning_kind(w.kind), w.message.clone(), span)
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
                diagnostics: vec![
                    Diagnostic::error(Kind::Unreadable, message, None).with_help(help),
                ],
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
                    Diagnostic::error(Kind::NotUtf8, "the file is not UTF-8 text", Some(span))
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
            Kind::DoubledByteOrderMark,
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
                Diagnostic::error(Kind::EmptyFile, "the file is empty", Some(0..0)).with_help(
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
    agreed: v2::AgreedRead,
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
    screens: Vec<Option<crate::model::screening::Screen>>,
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
                Kind::InvalidVersion,
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
    let group_reads = v2::read_groups(root, &mut used, sink);
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
            Diagnostic::error(Kind::MissingKey, "the file has no [scale] table", Some(0..0))
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
                        Kind::MissingKey,
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
    let screens = v2::read_screens(root, &mut used, sink);
    let screen_ids = screens
        .iter()
        .enumerate()
        .filter_map(|(i, s)| s.as_ref().map(|s| (s.id().to_string(), i)))
        .collect();
    let option_groups = v2::read_option_groups(root, &mut used, sink);
    let agreed = v2::read_agreed(root, &mut used, sink);
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
    reads: Vec<v2::GroupRead>,
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
                .and_then(|p| v2::resolve_group(p, ids, sink))
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
                    Kind::GroupCycle,
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
                    Kind::EmptyGroup,
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
                    Kind::GroupWeightless,
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
    reads: &[v2::GroupRead],
    parents: &[Option<usize>],
    set_name: &str,
    sink: &mut Sink<'_>,
) {
    let defaulted: Vec<&(f64, bool, Span, String)> = members.iter().filter(|m| !m.1).collect();
    if let Some(first) = defaulted.first() {
        let names: Vec<String> = defaulted.iter().map(|m| shorten(&m.3)).collect();
        sink.push(
            Diagnostic::error(
                Kind::PercentWeightMissing,
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
            Kind::WeightsNotPercent,
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
                        Kind::Version1Feature,
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
                Kind::AllScreenedOut,
                "every option fails a screening test, so none is left to rank",
                map.options.first().map(|o| o.table.clone()),
            )
            .with_help("check the screening results: at least one option must pass every test"),
        );
    }
    let options: Option<Vec<AppraisalOption>> = options.into_iter().collect();
    let criteria: Option<Vec<Criterion>> = head.criteria.into_iter().map(|(_, c)| c).collect();
    let groups: Option<Vec<crate::model::CriterionGroup>> = head.groups.into_iter().collect();
    let screens: Option<Vec<crate::model::screening::Screen>> = head.screens.into_iter().collect();
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
        Ok(a) => v2::check_agreed(&a, &head.agreed, sink).then_some((a, map)),
        Err(e) => {
            let (kind, help) = match e {
                ModelError::AllWeightsZero => (
                    Kind::AllWeightsZero,
                    "give at least one criterion a weight above zero, such as 1",
                ),
                ModelError::TotalOverflow => (
                    Kind::WeightOverflow,
                    "use smaller weights; only their ratios matter for the ranking",
                ),
                // Validation above mirrors every other model rule, so this is a safety net.
                _ => (Kind::Invalid, "correct the file as the message says"),
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
                    Diagnostic::error(Kind::NoOptions, "the file has no options", Some(0..0))
                        .with_help("add at least one [[options]] section with an id and a name"),
                );
            }
        }
        Some(items) => {
            if items.is_empty() {
                let span = root.get("options").map(|v| sink.at(v));
                sink.push(
                    Diagnostic::error(Kind::NoOptions, "the list of options is empty", span)
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

fn read_meta(
    root: &Table<'_, '_>,
    used: &mut Vec<(String, Span)>,
    sink: &mut Sink<'_>,
) -> (Option<Meta>, bool) {
    let Some(t) = root.table("appraisal", "[appraisal]", sink) else {
        if root.get("appraisal").is_none() {
            sink.push(
                Diagnostic::error(
                    Kind::MissingKey,
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
            v2::uses("weights as percentages", w.span.clone(), used);
            match w.value.as_str() {
                "percent" => true,
                "relative" => false,
                other => {
                    sink.push(
                        Diagnostic::error(
                            Kind::InvalidValue,
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
            rule(sink, Kind::InvalidScale, &e, &span, help);
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
                        Kind::LabelOffScale,
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
                    Kind::InvalidText
                } else {
                    Kind::LabelOffScale
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
                Diagnostic::error(Kind::NoCriteria, "the file has no criteria", Some(0..0))
                    .with_help("add at least one [[criteria]] section with an id and a name"),
            );
        }
        return parts;
    };
    if items.is_empty() {
        sink.push(
            Diagnostic::error(
                Kind::NoCriteria,
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
                v2::uses("a criterion's own scale", sink.at(v), used);
                t.table("scale", "the criterion's scale", sink)
                    .and_then(|st| read_scale_table(&st, sink))
            }
            None => None,
        };
        let this_scale = own.as_ref().or(scale);
        let group = match t.string("group", None, sink) {
            Some(g) => {
                v2::uses("criteria groups", g.span.clone(), used);
                v2::resolve_group(&g, group_ids, sink)
            }
            None => None,
        };
        let (is_measured, measure) =
            v2::read_measure(&t, this_scale.map(|s| (s.min(), s.max())), used, sink);
        let cost = v2::read_cost(
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
                    Kind::AllWeightsZero,
                    "every criterion has a weight of zero",
                    span,
                )
                .with_help("give at least one criterion a weight above zero, such as 1"),
            );
        } else if !scale.is_none_or(|s| s.totals_finite(weights.iter().map(|w| w.value))) {
            let biggest = weights.iter().max_by(|a, b| a.value.total_cmp(&b.value));
            sink.push(
                Diagnostic::error(
                    Kind::WeightOverflow,
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
        Kind::WeightTooSmall,
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
            Kind::CriteriaPartlyWeighted,
            message,
            Some(defaulted[0].1.clone()),
        )
        .with_label("no weight given, so it weighs 1")
        .with_help("give every criterion a weight, writing weight = 1 where 1 is meant"),
    );
}
