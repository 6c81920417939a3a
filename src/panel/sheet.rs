//! Members' scoresheets: one small TOML file per member, naming the appraisal
//! it belongs to and holding that member's scores and notes.
//!
//! ```toml
//! [sheet]
//! appraisal = "children-services-ama-2017.toml"   # relative to the sheet's folder
//! member = "Cllr A. Example"
//!
//! [scores.peer-practice-partner]
//! child-focused = 4
//! partnerships = ""        # "" means not yet scored
//!
//! [notes.peer-practice-partner]
//! child-focused = "Strong evidence from the Ofsted letters."
//! ```

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use toml::de::{DeTable, DeValue};

use crate::diagnostic::{Diagnostic, Kind, SourceFile};
use crate::load::LoadError;
use crate::model::{Appraisal, ScoreFault, check_name, check_score};
use crate::numbers;
use crate::raw::{Sink, Span, Table, number, string};

/// One member's scores and notes, aligned with an appraisal's options and criteria.
#[derive(Debug, Clone, PartialEq)]
pub struct Sheet {
    /// The member's name as written in the sheet.
    pub member: String,
    /// The sheet file's text and display name, for later diagnostics.
    pub source: SourceFile,
    /// Where the member's name is in the file.
    pub member_span: Span,
    /// Scores by option then criterion, in the appraisal's order; `None` = blank.
    pub scores: Vec<Vec<Option<f64>>>,
    /// Notes by option then criterion, in the appraisal's order.
    pub notes: Vec<Vec<Option<String>>>,
    /// Warnings found while reading (for example an option the sheet has no table for).
    pub warnings: Vec<Diagnostic>,
}

impl Sheet {
    /// How many cells this member has scored.
    pub fn scored(&self) -> usize {
        self.scores.iter().flatten().filter(|s| s.is_some()).count()
    }
}

const SHEET_TOP: &[&str] = &["sheet", "scores", "notes"];
const SHEET_KEYS: &[&str] = &["appraisal", "member"];

/// Reads a sheet file and checks it against `appraisal`, which was loaded from `appraisal_path`.
pub fn load_sheet(
    path: &Path,
    appraisal: &Appraisal,
    appraisal_path: Option<&Path>,
) -> Result<Sheet, LoadError> {
    let name = path.display().to_string();
    let text = match std::fs::read(path) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(t) => t,
            Err(e) => {
                let valid = e.utf8_error().valid_up_to();
                return Err(LoadError {
                    file: SourceFile::new(name, String::from_utf8_lossy(e.as_bytes()).into_owned()),
                    diagnostics: vec![
                        Diagnostic::error(
                            Kind::NotUtf8,
                            "the scoresheet is not UTF-8 text",
                            Some(valid..valid + 1),
                        )
                        .with_help("save the sheet as UTF-8"),
                    ],
                });
            }
        },
        Err(e) => {
            return Err(LoadError {
                file: SourceFile::new(name, ""),
                diagnostics: vec![
                    Diagnostic::error(
                        Kind::Unreadable,
                        format!("cannot read the scoresheet: {e}"),
                        None,
                    )
                    .with_help("check the file name and folder"),
                ],
            });
        }
    };
    let base = path.parent().unwrap_or(Path::new("."));
    parse_sheet(SourceFile::new(name, text), appraisal, appraisal_path, base)
}

/// Parses sheet text; `base` is the folder that the sheet's `appraisal` path is relative to.
pub fn parse_sheet(
    file: SourceFile,
    appraisal: &Appraisal,
    appraisal_path: Option<&Path>,
    base: &Path,
) -> Result<Sheet, LoadError> {
    let parsed = DeTable::parse(&file.text);
    let root = match parsed {
        Ok(root) => root,
        Err(e) => {
            let d = crate::load::syntax_error(&e, &file.text, "; a blank score is written \"\"");
            return Err(LoadError {
                diagnostics: vec![d],
                file,
            });
        }
    };
    let mut sink = Sink::new(&file.text);
    let top = Table {
        entries: root.get_ref(),
        span: 0..0,
        name: "the top level of the scoresheet",
    };
    top.check_keys(SHEET_TOP, &mut sink);
    let n_opt = appraisal.options().len();
    let n_crit = appraisal.criteria().len();
    let mut sheet = Sheet {
        member: String::new(),
        source: SourceFile::new(file.name.clone(), String::new()),
        member_span: 0..0,
        scores: vec![vec![None; n_crit]; n_opt],
        notes: vec![vec![None; n_crit]; n_opt],
        warnings: Vec::new(),
    };

    match top.table("sheet", "[sheet]", &mut sink) {
        Some(t) => {
            t.check_keys(SHEET_KEYS, &mut sink);
            if let Some(m) = t.string("member", Some("\"Cllr A. Example\""), &mut sink) {
                match check_name(&m.value) {
                    Ok(()) => {
                        sheet.member = m.value.trim().to_string();
                        sheet.member_span = m.span;
                    }
                    Err(e) => sink.push(
                        Diagnostic::error(Kind::InvalidText, e.to_string(), Some(m.span))
                            .with_help("write the member's name on one line, such as member = \"Cllr A. Example\""),
                    ),
                }
            }
            if let Some(a) = t.string("appraisal", Some("\"review.toml\""), &mut sink) {
                check_appraisal_ref(&a.value, &a.span, appraisal_path, base, &mut sink);
            }
        }
        None if top.get("sheet").is_none() => sink.push(
            Diagnostic::error(Kind::MissingKey, "the scoresheet has no [sheet] table", Some(0..0)).with_help(
                "start the sheet with [sheet], then appraisal = \"review.toml\" and member = \"Your name\"; \
                 `appraise sheet new` writes one for you",
            ),
        ),
        None => {}
    }

    let option_ids: HashMap<&str, usize> = appraisal
        .options()
        .iter()
        .enumerate()
        .map(|(i, o)| (o.id().as_str(), i))
        .collect();
    let criterion_ids: HashMap<&str, usize> = appraisal
        .criteria()
        .iter()
        .enumerate()
        .map(|(i, c)| (c.id().as_str(), i))
        .collect();
    let mut seen_scores = vec![false; n_opt];
    let mut warnings = Vec::new();

    if let Some(scores) = top.table("scores", "[scores]", &mut sink) {
        each_cell(
            &scores,
            "scores",
            (&option_ids, &criterion_ids),
            &mut sink,
            |o, cell, sink| {
                seen_scores[o] = true;
                let Some((c, ckey, cvalue)) = cell else {
                    return;
                };
                // "" is the placeholder `sheet new` writes for a blank score.
                if let DeValue::String(s) = cvalue.get_ref()
                    && s.trim().is_empty()
                {
                    if !s.is_empty() {
                        warnings.push(
                            Diagnostic::warning(
                                Kind::BlankScoreWithSpaces,
                                format!(
                                    "the score for `{}` is {:?}, spaces in quotes; it is read as blank (not scored)",
                                    numbers::shorten(ckey),
                                    s.as_ref()
                                ),
                                Some(cvalue.span()),
                            )
                            .with_label("read as blank")
                            .with_help("write \"\" to leave the score blank on purpose, or the score as a number"),
                        );
                    }
                    return;
                }
                let Some(v) = number(cvalue, "a score", sink) else {
                    return;
                };
                // Measured values belong to the appraisal, not to members.
                let measured = appraisal.criteria()[c].measure().is_some();
                let scale = appraisal.scale_of(c);
                match check_score(measured, Some(scale), v.value) {
                    Ok(score) => sheet.scores[o][c] = Some(score),
                    Err(ScoreFault::Measured) => sink.push(
                        Diagnostic::error(
                            Kind::ScoreForMeasured,
                            format!(
                                "`{}` is a measured criterion: its scores come from the appraisal's raw values, so a member cannot score it",
                                numbers::shorten(ckey)
                            ),
                            Some(v.span.clone()),
                        )
                        .with_help("remove this score from the scoresheet; measured values are set in the appraisal file"),
                    ),
                    // The appraisal loaded, so every criterion has a scale.
                    Err(ScoreFault::NoScale) => {}
                    Err(ScoreFault::OffScale(e)) => {
                        let d = crate::load::score_problem(
                            ckey,
                            e,
                            scale,
                            &v.span,
                            sink,
                            ", or \"\" to leave it blank",
                        );
                        sink.push(d);
                    }
                }
            },
        );
    } else if top.get("scores").is_none() {
        sink.push(
            Diagnostic::error(Kind::MissingKey, "the scoresheet has no [scores] tables", Some(0..0))
                .with_help("add a [scores.OPTION-ID] table for each option; `appraise sheet new` writes them for you"),
        );
    }

    if let Some(notes) = top.table("notes", "[notes]", &mut sink) {
        each_cell(
            &notes,
            "notes",
            (&option_ids, &criterion_ids),
            &mut sink,
            |o, cell, sink| {
                let Some((c, _, cvalue)) = cell else {
                    return;
                };
                if let Some(note) = crate::load::checked_note(
                    string(cvalue, "a note", sink),
                    "remove the control character from the note",
                    sink,
                ) {
                    sheet.notes[o][c] = Some(note);
                }
            },
        );
    }

    if sink.has_errors() {
        return Err(LoadError {
            diagnostics: sink.diagnostics,
            file,
        });
    }
    sheet.warnings = crate::load::doubled_byte_order_mark(&file.text)
        .into_iter()
        .chain(warnings)
        .collect();
    // Pointed at the end of the sheet, where its scores would be added.
    let end = file.text.trim_end().len();
    for (o, seen) in seen_scores.iter().enumerate() {
        if !seen {
            let opt = &appraisal.options()[o];
            sheet.warnings.push(
                Diagnostic::warning(
                    Kind::MissingOption,
                    format!("the sheet has no scores for {} (`{}`)", opt.name(), opt.id()),
                    Some(end..end),
                )
                .with_label("no [scores] table for this option")
                .with_help(format!(
                    "the option may have been added after the sheet was made; its cells count as not scored until a [scores.{}] table is added",
                    opt.id()
                )),
            );
        }
    }
    sheet.source = file;
    Ok(sheet)
}

/// Option and criterion ids by id, each with its index.
type IdsByKey<'a, 'k> = (&'a HashMap<&'k str, usize>, &'a HashMap<&'k str, usize>);

/// Visits a `[scores]` or `[notes]` table (`section`): each option it names
/// (with no cell), then each cell under it with its criterion's index, key
/// and value, in the file's order. A key that names no option or criterion
/// is reported and passed over.
fn each_cell<'t, 'i, 's>(
    table: &crate::raw::Table<'t, 'i>,
    section: &str,
    (option_ids, criterion_ids): IdsByKey<'_, '_>,
    sink: &mut Sink<'s>,
    mut visit: impl FnMut(
        usize,
        Option<(usize, &'t str, &'t toml::Spanned<DeValue<'i>>)>,
        &mut Sink<'s>,
    ),
) {
    for (okey, ovalue) in table.entries.iter() {
        let Some(o) = lookup(okey.get_ref(), &okey.span(), option_ids, "option", sink) else {
            continue;
        };
        visit(o, None, sink);
        let Some(cells) = as_table(ovalue, &format!("[{section}.{}]", okey.get_ref()), sink) else {
            continue;
        };
        for (ckey, cvalue) in cells.iter() {
            let key: &'t str = ckey.get_ref();
            let Some(c) = lookup(key, &ckey.span(), criterion_ids, "criterion", sink) else {
                continue;
            };
            visit(o, Some((c, key, cvalue)), sink);
        }
    }
}

fn as_table<'t, 'i>(
    v: &'t toml::Spanned<DeValue<'i>>,
    name: &str,
    sink: &mut Sink<'_>,
) -> Option<&'t DeTable<'i>> {
    match v.get_ref() {
        DeValue::Table(t) => Some(t),
        other => {
            sink.push(
                Diagnostic::error(
                    Kind::WrongType,
                    format!(
                        "{} must be a table of criterion scores, not {}",
                        numbers::shorten(name),
                        crate::raw::type_name(other)
                    ),
                    Some(v.span()),
                )
                .with_help("write a [scores.OPTION-ID] section with one `criterion-id = score` line per criterion"),
            );
            None
        }
    }
}

/// Resolves an option or criterion id named in a sheet; unknown ids mean the
/// sheet was made for a different appraisal (or a different version of it).
fn lookup(
    key: &str,
    span: &Span,
    ids: &HashMap<&str, usize>,
    what: &str,
    sink: &mut Sink<'_>,
) -> Option<usize> {
    if let Some(&i) = ids.get(key) {
        return Some(i);
    }
    let mut known: Vec<&str> = ids.keys().copied().collect();
    known.sort_unstable();
    let mut d = Diagnostic::error(
        Kind::SheetMismatch,
        format!(
            "this sheet names the {what} `{}`, which is not in the appraisal",
            numbers::shorten(key)
        ),
        Some(span.clone()),
    );
    d = match crate::diagnostic::did_you_mean(key, &known) {
        Some(s) => d
            .with_label(format!("did you mean `{s}`?"))
            .with_help(format!("rename it to `{s}`; if the sheet is for a different appraisal, merge it with that one")),
        None => d.with_help(format!(
            "the sheet does not match this appraisal; make a fresh sheet with `appraise sheet new`, \
             or check it is for the right appraisal (its {what} ids are: {})",
            known.join(", ")
        )),
    };
    sink.push(d);
    None
}

/// Checks the sheet's `appraisal = "..."` against the appraisal being merged.
///
/// A sheet emailed to another folder no longer resolves; it is still accepted
/// when its file name matches the appraisal given on the command line.
fn check_appraisal_ref(
    value: &str,
    span: &Span,
    appraisal_path: Option<&Path>,
    base: &Path,
    sink: &mut Sink<'_>,
) {
    let Some(expected) = appraisal_path else {
        return;
    };
    let named = base.join(value);
    let same_name = Path::new(value).file_name() == expected.file_name();
    match (named.canonicalize(), expected.canonicalize()) {
        (Ok(a), Ok(b)) if a == b => {}
        (Ok(a), Ok(_)) => sink.push(
            Diagnostic::error(
                Kind::SheetMismatch,
                format!("this sheet belongs to {}, not to {}", a.display(), expected.display()),
                Some(span.clone()),
            )
            .with_help("merge the sheet with the appraisal it was made for, or correct the `appraisal` line"),
        ),
        (Err(_), _) if same_name => {}
        (Err(_), _) => sink.push(
            Diagnostic::error(
                Kind::MissingAppraisal,
                format!(
                    "this sheet points at {}, which does not exist",
                    numbers::shorten(value)
                ),
                Some(span.clone()),
            )
            .with_label(format!("looked for {}", numbers::shorten(&named.display().to_string())))
            .with_help(format!(
                "correct the path (it is relative to the sheet's folder), or set it to \"{}\"",
                expected.file_name().map(|f| f.to_string_lossy()).unwrap_or_default()
            )),
        ),
        (Ok(_), Err(_)) => {}
    }
}

/// Writes a blank scoresheet for `member`: every option and criterion listed, scores `""`.
///
/// `appraisal_ref` is the path written into the sheet, relative to where the sheet will live.
pub fn blank_sheet(appraisal: &Appraisal, appraisal_ref: &str, member: &str) -> String {
    let q = |s: &str| toml_edit::Value::from(s).to_string();
    let scale = appraisal.scale();
    let mut out = String::new();
    out.push_str(&format!("# Scoresheet for {}\n", one_line(member)));
    out.push_str(&format!(
        "# Appraisal: {}\n",
        one_line(&appraisal.meta.title)
    ));
    out.push_str(&format!(
        "# Score each option from {} to {} in steps of {}. Leave \"\" where you have not decided.\n",
        numbers::score(scale.min()),
        numbers::score(scale.max()),
        numbers::score(scale.step())
    ));
    for (v, label) in scale.labels() {
        out.push_str(&format!(
            "#   {} = {}\n",
            numbers::score(*v),
            one_line(label)
        ));
    }
    out.push_str(
        "# Notes on your reasons go in the [notes.OPTION] tables, as criterion = \"text\".\n\n",
    );
    out.push_str("[sheet]\n");
    out.push_str(&format!("appraisal = {}\n", q(appraisal_ref)));
    out.push_str(&format!("member = {}\n", q(member)));
    for o in appraisal.options() {
        out.push_str(&format!(
            "\n# {}\n[scores.{}]\n",
            one_line(o.name()),
            o.id()
        ));
        for c in appraisal.criteria() {
            // Measured criteria are scored from the appraisal's raw values.
            if c.measure().is_some() {
                continue;
            }
            let own = match c.own_scale() {
                Some(s) if s != appraisal.scale() => format!(
                    " (scored {} to {} in steps of {})",
                    numbers::score(s.min()),
                    numbers::score(s.max()),
                    numbers::score(s.step())
                ),
                _ => String::new(),
            };
            out.push_str(&format!(
                "{} = \"\"  # {}{own}\n",
                c.id(),
                one_line(c.name())
            ));
        }
        out.push_str(&format!("\n[notes.{}]\n", o.id()));
    }
    out
}

/// Flattens text for use inside a `#` comment.
fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The default file for a member's sheet, beside the appraisal:
/// `<appraisal stem>.<member>.sheet.toml`, with the member's name made safe
/// and recognisable ([`member_slug`]: Cllr A. Clark → `cllr-a-clark`,
/// 王小明 → `wang-xiao-ming`, Émile → `emile`).
///
/// Two members never share a file. Names that read alike (A. Clark and
/// A Clark, or two long names that begin alike) give the same slug, so when
/// that file already holds another member's sheet the name gets a short code
/// made from the member's own name (`cllr-a-clark-3f9a1c`). The same member
/// (compared without regard to case, as panels compare them) always comes
/// back to the same file.
pub fn default_sheet_path(appraisal_path: &Path, member: &str) -> PathBuf {
    let stem = appraisal_path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "appraisal".into());
    // The appraisal's own name fits the folder; leave room for the member's.
    let stem = cut_at_char(&stem, MAX_STEM_BYTES);
    let slug = member_slug(member);
    let key = member.trim().to_lowercase();
    let code = |digits: usize| format!("{:016x}", fnv1a(key.as_bytes()))[..digits].to_string();
    let mut candidates = Vec::new();
    if slug.is_empty() {
        candidates.push(format!("member-{}", code(6)));
    } else {
        candidates.push(slug.clone());
        candidates.push(format!("{slug}-{}", code(6)));
    }
    // Only if two names share six hex digits of their code.
    candidates.push(format!(
        "{}-{}",
        if slug.is_empty() { "member" } else { &slug },
        code(16)
    ));
    let paths: Vec<PathBuf> = candidates
        .iter()
        .map(|c| appraisal_path.with_file_name(format!("{stem}.{c}.sheet.toml")))
        .collect();
    for p in &paths {
        match sheet_member(p) {
            Holder::Nobody => return p.clone(),
            Holder::Member(m) if same_member(&m, member) => return p.clone(),
            // A file that is not a readable sheet is shown to this member,
            // rather than passed over for a new, empty one.
            Holder::Unknown => return p.clone(),
            Holder::Member(_) => {}
        }
    }
    paths
        .last()
        .cloned()
        .unwrap_or_else(|| appraisal_path.with_extension("sheet.toml"))
}

/// Longest part of a sheet's file name taken from the appraisal's name, in bytes.
const MAX_STEM_BYTES: usize = 100;

/// Longest member part of a sheet's file name, in characters (before any code).
pub const MAX_SLUG_CHARS: usize = 40;

/// A member's name as a file-name part: transliterated to ASCII
/// (`deunicode`, so 王小明 gives `wang-xiao-ming` and Émile `emile`),
/// lowercased, with every run of other characters one `-`, and cut at a
/// word to [`MAX_SLUG_CHARS`]. Empty when nothing readable is left.
pub fn member_slug(member: &str) -> String {
    crate::naming::slug(member, MAX_SLUG_CHARS)
}

/// The member a sheet file at `path` names, if it is a readable sheet.
pub fn sheet_holder(path: &Path) -> Option<String> {
    match sheet_member(path) {
        Holder::Member(m) => Some(m),
        Holder::Nobody | Holder::Unknown => None,
    }
}

/// Whether two member names are the same member, as panels count them:
/// regardless of case and of spaces around them (so that one member's two
/// sheets are never merged as two votes).
pub fn same_member(a: &str, b: &str) -> bool {
    a.trim().to_lowercase() == b.trim().to_lowercase()
}

/// Who a sheet file at a path belongs to.
enum Holder {
    /// There is no file.
    Nobody,
    /// A sheet naming this member.
    Member(String),
    /// A file that cannot be read as a sheet.
    Unknown,
}

fn sheet_member(path: &Path) -> Holder {
    if !path.exists() {
        return Holder::Nobody;
    }
    let Ok(text) = std::fs::read_to_string(path) else {
        return Holder::Unknown;
    };
    let Ok(doc) = text.parse::<toml::Table>() else {
        return Holder::Unknown;
    };
    match doc
        .get("sheet")
        .and_then(|s| s.get("member"))
        .and_then(toml::Value::as_str)
    {
        Some(m) => Holder::Member(m.to_string()),
        None => Holder::Unknown,
    }
}

/// `s` cut to at most `max` bytes at a character boundary.
fn cut_at_char(s: &str, max: usize) -> String {
    let mut end = s.len().min(max);
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    s[..end].to_string()
}

/// FNV-1a, 64 bits: a short, stable code for a name (the same on every
/// machine and in every version, unlike the standard library's hasher).
fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn member_names_become_safe_recognisable_file_names() {
        assert_eq!(member_slug("Cllr A. Clark"), "cllr-a-clark");
        assert_eq!(member_slug("王小明"), "wang-xiao-ming");
        assert_eq!(member_slug("émile"), "emile");
        assert_eq!(member_slug("Zoë O'Brien-Smith"), "zoe-o-brien-smith");
        assert_eq!(member_slug("!!!"), "");
        let long = "Councillor Bartholomew ".repeat(15);
        let slug = member_slug(&long);
        assert!(slug.len() <= MAX_SLUG_CHARS, "{slug}");
        assert!(slug.starts_with("councillor-bartholomew"), "{slug}");
        assert!(!slug.ends_with('-'));
        assert_eq!(member_slug(&"x".repeat(300)).len(), MAX_SLUG_CHARS);
    }

    #[test]
    fn two_members_never_share_a_file() {
        let dir = tempfile::tempdir().unwrap();
        let review = dir.path().join("review.toml");
        let write = |p: &Path, m: &str| {
            std::fs::write(
                p,
                format!("[sheet]\nappraisal = \"review.toml\"\nmember = \"{m}\"\n"),
            )
            .unwrap();
        };
        let a = default_sheet_path(&review, "Cllr A. Clark");
        assert_eq!(a, dir.path().join("review.cllr-a-clark.sheet.toml"));
        write(&a, "Cllr A. Clark");
        // The same member, however capitalised, comes back to the same file.
        assert_eq!(default_sheet_path(&review, "cllr a. clark"), a);
        // Another member whose name reads alike gets a file of their own.
        let b = default_sheet_path(&review, "Cllr A Clark");
        assert_ne!(a, b);
        let name = b.file_name().unwrap().to_string_lossy().into_owned();
        assert!(
            name.starts_with("review.cllr-a-clark-") && name.ends_with(".sheet.toml"),
            "{name}"
        );
        write(&b, "Cllr A Clark");
        assert_eq!(default_sheet_path(&review, "Cllr A Clark"), b);
        // Names with nothing to transliterate still get distinct files.
        let c = default_sheet_path(&review, "🙂");
        let d = default_sheet_path(&review, "🙃🙃");
        assert_ne!(c, d);
    }

    #[test]
    fn a_very_long_name_gives_a_file_name_the_system_accepts() {
        let dir = tempfile::tempdir().unwrap();
        let review = dir.path().join("review.toml");
        let long = "Councillor ".to_string() + &"Ánne-Marie ".repeat(27);
        assert!(long.chars().count() >= 300);
        let p = default_sheet_path(&review, &long);
        std::fs::write(&p, "x").unwrap();
        assert!(p.file_name().unwrap().len() < 100, "{}", p.display());
    }
}
