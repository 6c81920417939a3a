//! Importing a score matrix from a spreadsheet: XLSX, XLSM, XLS or ODS
//! (read by `calamine`), CSV (`csv`), or a table in a Word document.
//!
//! [`read_file`] turns the file into grids of cells; [`find`] finds the
//! matrix in them ([`layout`]: the block of numbers, which edge holds the
//! options, the weights, totals, notes, groups and descriptions beside it)
//! and reads it into a [`Draft`], collecting every problem with its sheet
//! and cell; [`write::to_toml`] writes the draft as a commented appraisal
//! and checks that it loads. Nothing is written while any problem remains.
//!
//! A workbook written by `appraise export --format xlsx` carries a hidden
//! Ids sheet; [`workbook`] then reads the ids, details, descriptions,
//! strengths, weaknesses, scale and notes from the workbook's other sheets,
//! so that export followed by import gives the appraisal back.

mod comments;
mod docx;
pub mod layout;
pub mod read;
mod spreadsheet;
pub mod v2;
mod workbook;
pub mod write;

use std::collections::HashSet;
use std::fmt;
use std::path::{Path, PathBuf};

use thiserror::Error;

use crate::model::check_name;
use crate::naming;
use crate::numbers;
use layout::{Orientation, Role, View};
use read::{Book, Place, Sheet, Value};

/// One thing wrong in the spreadsheet, at a cell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Where.
    pub place: Place,
    /// What is wrong, naming the cell's text.
    pub message: String,
    /// What to do about it.
    pub help: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}; {}", self.place, self.message, self.help)
    }
}

/// A choice the importer cannot make alone: the binary asks on a terminal,
/// and otherwise names the flag that settles it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Question {
    /// More than one sheet holds a matrix.
    Sheet {
        /// The sheets that do.
        candidates: Vec<String>,
    },
    /// Nothing says whether the options are the rows or the columns.
    Orientation {
        /// The sheet.
        sheet: String,
        /// The row names, as found.
        rows: Vec<String>,
        /// The column names, as found.
        columns: Vec<String>,
        /// What was found either way.
        evidence: Vec<String>,
    },
}

/// Why an import did not produce a file.
#[derive(Debug, Error)]
pub enum ImportError {
    /// The file is not of a kind the importer reads.
    #[error(
        "{}: cannot import this kind of file; import reads .xlsx, .xlsm, .xls, .ods, .csv and the tables of a .docx (save other files as one of those first)",
        path.display()
    )]
    Unsupported {
        /// The file.
        path: PathBuf,
    },
    /// The file could not be read.
    #[error("{}: cannot be read: {reason}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        reason: String,
    },
    /// The sheet asked for is not there.
    #[error(
        "{file}: there is no sheet called \"{sheet}\"; its sheets are {}",
        numbers::join_and(sheets)
    )]
    NoSuchSheet {
        /// The file.
        file: String,
        /// The sheet asked for.
        sheet: String,
        /// The sheets there are.
        sheets: Vec<String>,
    },
    /// No sheet holds a matrix of scores.
    #[error(
        "{file}: no score matrix found{}; a matrix needs option names down one side, criterion names across the top and at least two columns of numbers{}",
        if sheets.len() == 1 { format!(" on sheet \"{}\"", sheets[0]) } else { String::new() },
        separator.map(separator_hint).unwrap_or_default()
    )]
    NoMatrix {
        /// The file.
        file: String,
        /// The sheets looked at.
        sheets: Vec<String>,
        /// For a CSV file, the separator its fields were split at.
        separator: Option<u8>,
    },
    /// A choice is needed.
    #[error("{file}: {}", question_text(question))]
    Ambiguous {
        /// The file.
        file: String,
        /// The choice.
        question: Question,
    },
    /// Cells that cannot be imported as they are.
    #[error("{file}: {} found; nothing was written", numbers::count(problems.len() as f64, "problem", "problems"))]
    Problems {
        /// The file.
        file: String,
        /// Every problem.
        problems: Vec<Problem>,
    },
    /// The scale (given, or suggested by the scores) is not a scale.
    #[error(
        "{file}: {reason}; give the scale with --scale MIN-MAX or MIN-MAX/STEP, such as 0-5 or 1-10/0.5; nothing was written"
    )]
    Scale {
        /// The file.
        file: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The appraisal made from the spreadsheet does not load (a defect, or
    /// a rule the importer does not yet check cell by cell).
    #[error("{file}: the appraisal made from it would not load:\n{rendered}")]
    Invalid {
        /// The file.
        file: String,
        /// The load diagnostics, rendered.
        rendered: String,
    },
}

/// How a CSV file was split, and the flag that splits it otherwise.
fn separator_hint(sep: u8) -> String {
    format!(
        " (its fields were read as separated by {}; if they are separated otherwise, say how with --delimiter, such as --delimiter ';' or --delimiter tab)",
        separator_name(sep)
    )
}

/// A separator as a summary names it.
fn separator_name(sep: u8) -> String {
    match sep {
        b'\t' => "tabs".to_string(),
        b',' => "commas".to_string(),
        b';' => "semicolons".to_string(),
        other => format!("'{}'", char::from(other)),
    }
}

fn question_text(q: &Question) -> String {
    match q {
        Question::Sheet { candidates } => format!(
            "more than one sheet holds a score matrix ({}); choose one with --sheet NAME",
            candidates
                .iter()
                .map(|c| format!("\"{c}\""))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Question::Orientation { sheet, .. } => format!(
            "on sheet \"{sheet}\" nothing says whether the options are the rows or the columns (no weight row, total column or \"Option\" heading); say which with --options rows or --options columns"
        ),
    }
}

/// Choices that settle what the importer cannot tell, and overrides.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Settings {
    /// The sheet holding the matrix.
    pub sheet: Option<String>,
    /// Which way round it is.
    pub orientation: Option<Orientation>,
    /// The scale (min, max, step), instead of inferring it.
    pub scale: Option<(f64, f64, f64)>,
    /// The title, instead of the one found.
    pub title: Option<String>,
}

/// A criterion as imported.
#[derive(Debug, Clone, PartialEq)]
pub struct DraftCriterion {
    /// Its id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Its weight.
    pub weight: f64,
    /// Its description, if the workbook has one.
    pub description: Option<String>,
}

/// An option as imported.
#[derive(Debug, Clone, PartialEq)]
pub struct DraftOption {
    /// Its id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Its group, if any.
    pub group: Option<String>,
    /// Its description, if any.
    pub description: Option<String>,
    /// Strengths, if the workbook lists them.
    pub strengths: Vec<String>,
    /// Weaknesses.
    pub weaknesses: Vec<String>,
    /// The spreadsheet's total, and where it was.
    pub published: Option<(f64, String)>,
    /// A score per criterion, in criteria order.
    pub scores: Vec<Option<f64>>,
    /// A note per criterion.
    pub notes: Vec<Option<String>>,
    /// Where each score was, for messages.
    pub score_places: Vec<Place>,
}

impl DraftOption {
    /// An option called `name` with no id yet, and no score, note or
    /// anything else for any of its `criteria` criteria.
    pub fn named(name: String, criteria: usize) -> DraftOption {
        DraftOption {
            id: String::new(),
            name,
            group: None,
            description: None,
            strengths: Vec::new(),
            weaknesses: Vec::new(),
            published: None,
            scores: vec![None; criteria],
            notes: vec![None; criteria],
            score_places: Vec::new(),
        }
    }
}

/// How the scale was settled, for the comment in the file.
#[derive(Debug, Clone, PartialEq)]
pub enum ScaleSource {
    /// Given with --scale.
    Given,
    /// Read from an appraise workbook.
    Read,
    /// Inferred from the scores, which ran from `lo` to `hi`.
    Inferred {
        /// The lowest score found.
        lo: f64,
        /// The highest.
        hi: f64,
    },
    /// The range was in every criterion's heading ("Cost (0 to 5)"); the
    /// step was inferred from the scores.
    Headed,
    /// No scores to infer from.
    Default,
}

/// An appraisal read from a spreadsheet, before it is written.
#[derive(Debug, Clone, PartialEq)]
pub struct Draft {
    /// The file's name as given.
    pub file: String,
    /// The sheet read.
    pub sheet: String,
    /// Whether it came from an appraise workbook (ids and details kept).
    pub from_appraise: bool,
    /// What was found, one line each, shown before writing.
    pub found: Vec<String>,
    /// The title.
    pub title: String,
    /// Other details (organisation, date, source, description), as (key, text).
    pub details: Vec<(String, String)>,
    /// The scale's min, max and step.
    pub scale: (f64, f64, f64),
    /// How the scale was settled.
    pub scale_source: ScaleSource,
    /// Labels for points on the scale.
    pub labels: Vec<(f64, String)>,
    /// The criteria.
    pub criteria: Vec<DraftCriterion>,
    /// The options.
    pub options: Vec<DraftOption>,
    /// Whether there was a weight row or column.
    pub weights_found: bool,
    /// The version-2 parts, for a version-2 appraise workbook.
    pub version2: Option<Box<v2::Extra>>,
    /// Settings of the whole appraisal that an appraise workbook carries
    /// ([`crate::carried`]): `weights` and `agreed_weights`, as (key,
    /// value as written).
    pub carried: Vec<(String, String)>,
}

/// Reads every sheet of the file at `path`, choosing the reader by extension.
pub fn read_file(path: &Path) -> Result<Book, ImportError> {
    read_file_with(path, None)
}

/// Reads the file at `path` as [`read_file`] does; a CSV file's fields are
/// split at `delimiter` when it is given (a `.tsv` file's at a tab), and
/// otherwise at the separator found from the file
/// ([`spreadsheet::detect_separator`]).
pub fn read_file_with(path: &Path, delimiter: Option<u8>) -> Result<Book, ImportError> {
    let ext = read::extension(path);
    match ext.as_str() {
        "csv" | "tsv" | "txt" => {
            spreadsheet::read_csv(path, delimiter.or_else(|| (ext == "tsv").then_some(b'\t')))
        }
        "xlsx" | "xlsm" | "xlsb" | "xls" | "ods" => spreadsheet::read_workbook(path),
        "docx" => docx::read(path),
        _ => Err(ImportError::Unsupported {
            path: path.to_path_buf(),
        }),
    }
}

/// Reads `path` and finds its matrix, as [`find`] does.
pub fn import(path: &Path, settings: &Settings) -> Result<Draft, ImportError> {
    let book = read_file(path)?;
    find(&path.display().to_string(), &book, settings, path)
}

/// The sheets of `book` that hold a matrix, by index. Where several hold
/// a block of figures, those with a line of weights (a report's other
/// tables, such as ranks or sensitivity figures, have none); and of those,
/// one that holds at least twice the figures of any other (a report's table
/// of criteria has weights too, but a matrix has a score per option and
/// criterion).
fn candidates(book: &Book) -> Vec<usize> {
    let blocks: Vec<(usize, layout::Block)> = book
        .sheets
        .iter()
        .enumerate()
        .filter(|(_, s)| !s.hidden)
        .filter_map(|(i, s)| layout::find_block(s).map(|b| (i, b)))
        .collect();
    let mut weighted: Vec<(usize, usize)> = blocks
        .iter()
        .filter(|(i, b)| layout::has_weights(&book.sheets[*i], b))
        .map(|(i, b)| (b.numbers, *i))
        .collect();
    weighted.sort_unstable_by(|a, b| b.cmp(a));
    match weighted.as_slice() {
        [(_, one)] => vec![*one],
        [(most, one), (next, _), ..] if *most >= 2 * *next => vec![*one],
        _ => blocks.into_iter().map(|(i, _)| i).collect(),
    }
}

/// Finds the matrix in `book` (read from `path`, named `file` in messages)
/// and reads it into a draft.
pub fn find(
    file: &str,
    book: &Book,
    settings: &Settings,
    path: &Path,
) -> Result<Draft, ImportError> {
    let mut draft = find_in(file, book, settings, path).map_err(|e| match (e, book.kind) {
        // A CSV file split at the wrong separator holds no matrix: say how
        // it was split, and how to split it otherwise.
        (ImportError::NoMatrix { file, sheets, .. }, read::Kind::Csv { delimiter }) => {
            ImportError::NoMatrix {
                file,
                sheets,
                separator: Some(delimiter),
            }
        }
        (e, _) => e,
    })?;
    if let read::Kind::Csv { delimiter } = book.kind
        && delimiter != b','
    {
        draft.found.insert(
            0,
            format!(
                "fields separated by {}{}",
                separator_name(delimiter),
                if delimiter == b';' {
                    ", with a decimal comma (4,5 is 4.5)"
                } else {
                    ""
                }
            ),
        );
    }
    Ok(draft)
}

fn find_in(
    file: &str,
    book: &Book,
    settings: &Settings,
    path: &Path,
) -> Result<Draft, ImportError> {
    let ids = workbook::ids_sheet(book);
    let names: Vec<String> = book.sheets.iter().map(|s| s.name.clone()).collect();
    let index = match &settings.sheet {
        Some(want) => book
            .sheets
            .iter()
            .position(|s| &s.name == want)
            .or_else(|| {
                book.sheets
                    .iter()
                    .position(|s| s.name.eq_ignore_ascii_case(want))
            })
            .ok_or_else(|| ImportError::NoSuchSheet {
                file: file.to_string(),
                sheet: want.clone(),
                sheets: names.clone(),
            })?,
        None => match (
            ids.is_some(),
            book.sheets.iter().position(|s| s.name == "Matrix"),
        ) {
            (true, Some(i)) => i,
            _ => {
                let found = candidates(book);
                match found.as_slice() {
                    [] => {
                        return Err(ImportError::NoMatrix {
                            file: file.to_string(),
                            sheets: names,
                            separator: None,
                        });
                    }
                    [one] => *one,
                    many => {
                        return Err(ImportError::Ambiguous {
                            file: file.to_string(),
                            question: Question::Sheet {
                                candidates: many.iter().map(|&i| names[i].clone()).collect(),
                            },
                        });
                    }
                }
            }
        },
    };
    let sheet = &book.sheets[index];
    if let Some(ids) = ids.clone()
        && sheet.name == "Matrix"
        && (ids.version.is_some_and(|v| v >= 2) || v2::is_version_2(book))
    {
        let mut draft = v2::read(file, book, ids, settings)?;
        if let Some(t) = &settings.title {
            draft.title = t.clone();
        }
        return Ok(draft);
    }
    let block = layout::find_block(sheet).ok_or_else(|| ImportError::NoMatrix {
        file: file.to_string(),
        sheets: vec![sheet.name.clone()],
        separator: None,
    })?;
    let (evidence, why) = layout::orientation_evidence(sheet, &block);
    let orientation = match settings.orientation {
        Some(o) => o,
        None if evidence > 0 => Orientation::OptionsAsRows,
        None if evidence < 0 => Orientation::OptionsAsColumns,
        None => {
            let rows = block
                .rows
                .iter()
                .map(|&r| sheet.get(r, block.label_col).shown())
                .collect();
            let columns = block
                .cols
                .iter()
                .map(|&c| sheet.get(block.header_row, c).shown())
                .collect();
            return Err(ImportError::Ambiguous {
                file: file.to_string(),
                question: Question::Orientation {
                    sheet: sheet.name.clone(),
                    rows,
                    columns,
                    evidence: why,
                },
            });
        }
    };
    let mut draft = read_matrix(file, sheet, &block, orientation, settings)?;
    if settings.orientation.is_some() {
        draft.found[0] = format!("layout: {} (as asked)", orientation.describe());
    } else if !why.is_empty() {
        draft.found[0] = format!("layout: {} ({})", orientation.describe(), why.join("; "));
    }
    if let Some(ids) = ids {
        workbook::enrich(book, ids, &mut draft, settings);
    }
    if draft.title.is_empty() {
        draft.title = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| "Imported appraisal".to_string());
    }
    if let Some(t) = &settings.title {
        draft.title = t.clone();
    }
    let problems = check_scores(&draft)?;
    if !problems.is_empty() {
        return Err(ImportError::Problems {
            file: file.to_string(),
            problems,
        });
    }
    Ok(draft)
}

/// Scores that the scale does not allow, each at its cell.
fn check_scores(draft: &Draft) -> Result<Vec<Problem>, ImportError> {
    let (min, max, step) = draft.scale;
    let scale = match crate::model::Scale::new(min, max, step) {
        Ok(s) => s,
        Err(e) => {
            return Err(ImportError::Scale {
                file: draft.file.clone(),
                reason: format!(
                    "the scale {} to {} in steps of {} ({}) cannot be used: {e}",
                    numbers::score(min),
                    numbers::score(max),
                    numbers::score(step),
                    match draft.scale_source {
                        ScaleSource::Given => "as given",
                        _ => "as the scores suggest",
                    }
                ),
            });
        }
    };
    let mut problems = Vec::new();
    for o in &draft.options {
        for (score, place) in o.scores.iter().zip(&o.score_places) {
            if let Some(s) = score
                && let Err(e) = scale.check(*s)
            {
                problems.push(Problem {
                    place: place.clone(),
                    message: format!("the score {} does not fit the scale: {e}", numbers::as_given(*s)),
                    help: format!(
                        "correct the score, or import with --scale to say the scale (now {} to {} in steps of {})",
                        numbers::score(min),
                        numbers::score(max),
                        numbers::score(step)
                    ),
                });
            }
        }
    }
    Ok(problems)
}

/// Text that means "not scored" rather than a mistake.
fn means_unscored(t: &str) -> bool {
    matches!(
        t.trim().to_lowercase().as_str(),
        "-" | "–" | "—" | "n/a" | "na" | "tbc" | "tbd" | "?" | "not scored"
    )
}

/// A short list of names for the summary.
fn some_names(names: &[String]) -> String {
    const SHOWN: usize = 4;
    if names.len() <= SHOWN {
        names.join(", ")
    } else {
        format!(
            "{}, ... {}",
            names[..SHOWN - 1].join(", "),
            names.last().map(String::as_str).unwrap_or_default()
        )
    }
}

/// Reads the matrix at `block` the way `orientation` says.
fn read_matrix(
    file: &str,
    sheet: &Sheet,
    block: &layout::Block,
    orientation: Orientation,
    settings: &Settings,
) -> Result<Draft, ImportError> {
    let view = View { sheet, orientation };
    let (header, name_at, lines, crosses) = match orientation {
        Orientation::OptionsAsRows => (
            block.header_row,
            block.label_col,
            block.rows.clone(),
            block.cols.clone(),
        ),
        Orientation::OptionsAsColumns => (
            block.label_col,
            block.header_row,
            block.cols.clone(),
            block.rows.clone(),
        ),
    };
    let cross_count = match orientation {
        Orientation::OptionsAsRows => sheet.width(),
        Orientation::OptionsAsColumns => sheet.rows.len(),
    };
    let mut problems = Vec::new();
    let mut found = vec![format!("layout: {}", orientation.describe())];
    let mut ignored = Vec::new();

    // Criteria, totals and what is worked out.
    let mut criteria_at = Vec::new();
    let mut totals: Vec<(usize, bool)> = Vec::new();
    for &x in &crosses {
        let head = view.get(header, x);
        let text = head.shown();
        match layout::number_role(&text) {
            Role::Total { published } => totals.push((x, published)),
            Role::Plain if !text.is_empty() => criteria_at.push(x),
            Role::Plain => problems.push(Problem {
                place: view.at(header, x),
                message: "scores with no criterion name above them".into(),
                help: "type the criterion's name in this cell".into(),
            }),
            _ => ignored.push(format!("{} (\"{text}\")", view.cross_name(x))),
        }
    }
    // Published totals first, then typed ones, then the first.
    totals.sort_by_key(|&(x, published)| {
        let typed = lines
            .iter()
            .any(|&l| !view.is_formula(l, x) && view.get(l, x).number().is_some());
        (!published, !typed, x)
    });
    let total_at = totals.first().map(|&(x, _)| x);
    for &(x, _) in totals.iter().skip(1) {
        ignored.push(format!(
            "{} (\"{}\", a second total)",
            view.cross_name(x),
            view.get(header, x).shown()
        ));
    }

    // Options, and the weights line.
    let mut weight_line = None;
    let mut option_lines = Vec::new();
    for &l in &lines {
        let label = view.get(l, name_at);
        match layout::number_role(&label.shown()) {
            Role::Weight if weight_line.is_none() => weight_line = Some(l),
            Role::Plain | Role::Notes if label.text().is_some() => option_lines.push(l),
            Role::Plain if label.is_empty() => {
                let has_scores = criteria_at
                    .iter()
                    .any(|&x| view.get(l, x).number().is_some());
                if has_scores {
                    problems.push(Problem {
                        place: view.at(l, name_at),
                        message: "scores with no option name beside them".into(),
                        help: "type the option's name in this cell".into(),
                    });
                }
            }
            _ => ignored.push(format!("{} (\"{}\")", view.line_name(l), label.shown())),
        }
    }
    if criteria_at.is_empty() || option_lines.is_empty() {
        return Err(ImportError::NoMatrix {
            file: file.to_string(),
            sheets: vec![sheet.name.clone()],
            separator: None,
        });
    }

    // Text beside the matrix: notes, descriptions, groups.
    // A heading typed on two lines in a cell is one name.
    let flat = |v: &Value| v.shown().split_whitespace().collect::<Vec<_>>().join(" ");
    let mut criterion_names: Vec<String> = criteria_at
        .iter()
        .map(|&x| flat(view.get(header, x)))
        .collect();
    // Headings that all end with the same range, "Cost (0 to 5)", say the
    // scale; the names are the rest.
    let ranges: Vec<Option<(String, (f64, f64))>> =
        criterion_names.iter().map(|n| heading_range(n)).collect();
    let headed = match ranges.first() {
        Some(Some((_, range)))
            if ranges
                .iter()
                .all(|r| r.as_ref().is_some_and(|(_, x)| x == range)) =>
        {
            criterion_names = ranges.iter().flatten().map(|(n, _)| n.clone()).collect();
            Some(*range)
        }
        _ => None,
    };
    let mut note_at: Vec<(usize, Option<usize>)> = Vec::new();
    let mut description_at = None;
    let mut group_at = None;
    for x in 0..cross_count {
        if x == name_at || crosses.contains(&x) {
            continue;
        }
        let head = view.get(header, x).shown();
        if head.is_empty() {
            continue;
        }
        match layout::text_role(&head) {
            Role::Notes => {
                let lower = head.to_lowercase();
                let by_name = criterion_names
                    .iter()
                    .position(|n| lower.contains(&n.to_lowercase()));
                let beside = x
                    .checked_sub(1)
                    .and_then(|p| criteria_at.iter().position(|&c| c == p));
                note_at.push((x, by_name.or(beside)));
            }
            Role::Description if description_at.is_none() => description_at = Some(x),
            Role::Group if group_at.is_none() => group_at = Some(x),
            _ => {}
        }
    }

    // Weights.
    let mut criteria = Vec::new();
    let mut used = HashSet::new();
    for (k, &x) in criteria_at.iter().enumerate() {
        let name = criterion_names[k].clone();
        if let Err(e) = check_name(&name) {
            problems.push(Problem {
                place: view.at(header, x),
                message: format!("the criterion name \"{name}\" cannot be used: {e}"),
                help: "retype the name on one line".into(),
            });
        }
        let weight = match weight_line {
            None => 1.0,
            Some(l) => {
                let cell = view.get(l, x);
                match layout::percent_number(cell) {
                    Some(w) if w >= 0.0 => w,
                    Some(w) => {
                        problems.push(Problem {
                            place: view.at(l, x),
                            message: format!("the weight {} is negative", numbers::as_given(w)),
                            help: "weights are zero or more".into(),
                        });
                        1.0
                    }
                    None if cell.is_empty() => {
                        problems.push(Problem {
                            place: view.at(l, x),
                            message: format!("no weight for \"{name}\""),
                            help: "type its weight (0 leaves it out of the totals)".into(),
                        });
                        1.0
                    }
                    None => {
                        problems.push(Problem {
                            place: view.at(l, x),
                            message: format!("'{}' is not a number", cell.shown()),
                            help: "type the weight as a figure".into(),
                        });
                        1.0
                    }
                }
            }
        };
        criteria.push(DraftCriterion {
            id: naming::unique_id(&name, "criterion", k + 1, &mut used).to_string(),
            name,
            weight,
            description: None,
        });
    }

    // Scores, notes, totals.
    let mut options = Vec::new();
    let mut used = HashSet::new();
    let mut unscored_words = 0;
    let mut comments = 0;
    for (k, &l) in option_lines.iter().enumerate() {
        let name = flat(view.get(l, name_at));
        if let Err(e) = check_name(&name) {
            problems.push(Problem {
                place: view.at(l, name_at),
                message: format!("the option name \"{name}\" cannot be used: {e}"),
                help: "retype the name on one line".into(),
            });
        }
        let mut scores = Vec::new();
        let mut notes: Vec<Option<String>> = Vec::new();
        let mut score_places = Vec::new();
        for &x in &criteria_at {
            let cell = view.get(l, x);
            score_places.push(view.at(l, x));
            let score = match cell {
                Value::Empty => None,
                Value::Text(t) if means_unscored(t) => {
                    unscored_words += 1;
                    None
                }
                v => match v.number() {
                    Some(s) => Some(s),
                    None if layout::percent_number(v).is_some() => {
                        problems.push(Problem {
                            place: view.at(l, x),
                            message: format!("'{}' is a percentage, not a score", v.shown()),
                            help: "type the score as a point on the scale (a weight may be a percentage; a score may not)".into(),
                        });
                        None
                    }
                    None => {
                        problems.push(Problem {
                            place: view.at(l, x),
                            message: format!("'{}' is not a number", v.shown()),
                            help: "type the score as a figure, or leave the cell empty if it is not scored yet".into(),
                        });
                        None
                    }
                },
            };
            scores.push(score);
            let comment = view.comment(l, x).map(str::trim).filter(|c| !c.is_empty());
            if comment.is_some() {
                comments += 1;
            }
            notes.push(comment.map(str::to_string));
        }
        let text_at = |x: Option<usize>| {
            x.and_then(|x| view.get(l, x).text().map(str::to_string))
                .or_else(|| x.map(|x| view.get(l, x).shown()).filter(|s| !s.is_empty()))
        };
        let mut description = text_at(description_at);
        for &(x, criterion) in &note_at {
            let Some(text) = text_at(Some(x)) else {
                continue;
            };
            match criterion {
                Some(c) => {
                    notes[c] = Some(match notes[c].take() {
                        Some(comment) => format!("{text}\n\n{comment}"),
                        None => text,
                    });
                }
                None if description.is_none() => description = Some(text),
                None => {}
            }
        }
        let published = total_at.and_then(|x| {
            let cell = view.get(l, x);
            match cell.number() {
                Some(t) => Some((t, view.at(l, x).to_string())),
                None if cell.is_empty() => None,
                None => {
                    problems.push(Problem {
                        place: view.at(l, x),
                        message: format!("'{}' is not a number", cell.shown()),
                        help: "type the total as a figure, or leave the cell empty".into(),
                    });
                    None
                }
            }
        });
        options.push(DraftOption {
            id: naming::unique_id(&name, "option", k + 1, &mut used).to_string(),
            name,
            group: text_at(group_at),
            description,
            strengths: Vec::new(),
            weaknesses: Vec::new(),
            published,
            scores,
            notes,
            score_places,
        });
    }
    if !problems.is_empty() {
        return Err(ImportError::Problems {
            file: file.to_string(),
            problems,
        });
    }

    // What was found, for the officer to see before anything is written.
    let names: Vec<String> = criteria.iter().map(|c| c.name.clone()).collect();
    found.push(format!(
        "{}: {} in {}",
        numbers::count(criteria.len() as f64, "criterion", "criteria"),
        some_names(&names),
        view.span(header, &criteria_at)
    ));
    let names: Vec<String> = options.iter().map(|o| o.name.clone()).collect();
    found.push(format!(
        "{}: {} in {}",
        numbers::count(options.len() as f64, "option", "options"),
        some_names(&names),
        view.span_down(&option_lines, name_at)
    ));
    found.push(match weight_line {
        Some(l) => format!("weights: {}", view.span(l, &criteria_at)),
        None => "weights: none found, so every criterion weighs 1".to_string(),
    });
    if let Some(x) = total_at {
        found.push(format!(
            "totals: {} (\"{}\"), kept as each option's published_total so that check compares them",
            view.cross_name(x),
            view.get(header, x).shown()
        ));
    }
    for &(x, c) in &note_at {
        found.push(match c {
            Some(c) => format!(
                "notes for {}: {} (\"{}\")",
                criteria[c].name,
                view.cross_name(x),
                view.get(header, x).shown()
            ),
            None if description_at.is_none() => format!(
                "notes: {} (\"{}\"), kept as each option's description",
                view.cross_name(x),
                view.get(header, x).shown()
            ),
            None => format!(
                "not imported: {} (\"{}\"), notes for no one criterion",
                view.cross_name(x),
                view.get(header, x).shown()
            ),
        });
    }
    if let Some(x) = description_at {
        found.push(format!("descriptions: {}", view.cross_name(x)));
    }
    if let Some(x) = group_at {
        found.push(format!("groups: {}", view.cross_name(x)));
    }
    if comments > 0 {
        found.push(format!(
            "{} on scores, kept as notes",
            numbers::count(comments as f64, "cell comment", "cell comments")
        ));
    }
    if unscored_words > 0 {
        found.push(format!(
            "{} marked as not scored (\"-\", \"n/a\", ...), left unscored",
            numbers::count(unscored_words as f64, "cell", "cells")
        ));
    }
    if !ignored.is_empty() {
        found.push(format!(
            "not imported (worked out again): {}",
            ignored.join(", ")
        ));
    }

    let all: Vec<f64> = options
        .iter()
        .flat_map(|o| o.scores.iter().flatten().copied())
        .collect();
    let (scale, scale_source) = match (settings.scale, headed) {
        (Some(s), _) => (s, ScaleSource::Given),
        (None, Some((min, max))) => {
            let ((_, _, step), _) = infer_scale(&all);
            ((min, max, step), ScaleSource::Headed)
        }
        (None, None) => infer_scale(&all),
    };
    let title = title_above(sheet, block);
    Ok(Draft {
        file: file.to_string(),
        sheet: sheet.name.clone(),
        from_appraise: false,
        found,
        title,
        details: Vec::new(),
        scale,
        scale_source,
        labels: Vec::new(),
        criteria,
        options,
        weights_found: weight_line.is_some(),
        version2: None,
        carried: Vec::new(),
    })
}

/// A heading's name and the range at its end: "Cost (0 to 5)", "Cost (1-10)".
fn heading_range(heading: &str) -> Option<(String, (f64, f64))> {
    let inner = heading.strip_suffix(')')?;
    let open = inner.rfind('(')?;
    let (name, range) = (inner[..open].trim(), &inner[open + 1..]);
    let (a, b) = range
        .split_once(" to ")
        .or_else(|| range.split_once('–'))
        .or_else(|| {
            range
                .char_indices()
                .skip(1)
                .find(|&(_, c)| c == '-')
                .map(|(i, _)| (&range[..i], &range[i + 1..]))
        })?;
    let (a, b) = (a.trim().parse::<f64>().ok()?, b.trim().parse::<f64>().ok()?);
    (!name.is_empty() && a.is_finite() && b.is_finite() && b > a)
        .then(|| (name.to_string(), (a, b)))
}

/// The text in the first filled cell above the matrix, taken as its title.
fn title_above(sheet: &Sheet, block: &layout::Block) -> String {
    let top = block
        .header_row
        .min(block.rows.first().copied().unwrap_or(0));
    for r in 0..top {
        for c in 0..sheet.rows[r].len() {
            if let Some(t) = sheet.get(r, c).text()
                && check_name(t).is_ok()
            {
                return t.to_string();
            }
        }
    }
    String::new()
}

/// The scale the scores suggest: from 0 (or 1, when no score is below 1)
/// to the smallest usual maximum that holds them, in the largest step that
/// every score fits.
pub fn infer_scale(scores: &[f64]) -> ((f64, f64, f64), ScaleSource) {
    let (Some(lo), Some(hi)) = (
        scores.iter().copied().reduce(f64::min),
        scores.iter().copied().reduce(f64::max),
    ) else {
        return ((0.0, 5.0, 1.0), ScaleSource::Default);
    };
    let fits = |step: f64| {
        scores
            .iter()
            .all(|s| ((s / step) - (s / step).round()).abs() < 1e-9)
    };
    let step = [1.0, 0.5, 0.25, 0.1, 0.05, 0.01]
        .into_iter()
        .find(|&s| fits(s))
        .unwrap_or(0.01);
    let max = [3.0, 4.0, 5.0, 10.0, 20.0, 100.0]
        .into_iter()
        .find(|&m| m >= hi)
        .unwrap_or_else(|| hi.ceil());
    let min = if lo < 0.0 {
        lo.floor().min(-max)
    } else if lo >= 1.0 {
        1.0
    } else {
        0.0
    };
    // A scale needs two points at least.
    let max = if max <= min { min + step.max(1.0) } else { max };
    ((min, max, step), ScaleSource::Inferred { lo, hi })
}

#[cfg(test)]
mod tests;
