//! Report-ready exports: the appraisal's tables and charts as Markdown, HTML,
//! CSV, XLSX, DOCX, JSON and SVG.
//!
//! The tables are built once as a format-neutral [`Report`] ([`doc`],
//! [`tables`]) and each format has one writer. Entry points:
//! - [`export`] writes one format to any [`Write`], in memory or to a file;
//! - [`export_files`] returns the files for a folder (one per table for CSV,
//!   one per chart for SVG, one file otherwise);
//! - [`save()`] writes to a file or folder on disk, never leaving half a file;
//! - [`build`] gives the [`Report`] itself, for callers with their own writers.
//!
//! None of them panics on any valid appraisal; problems come back as
//! [`ExportError`]. Text from the appraisal is treated as untrusted by every
//! writer: see `docs/exporting.md` for the safety measures.

use std::collections::BTreeSet;
use std::fmt;
use std::io::{self, Write};
use std::str::FromStr;

use rayon::prelude::*;
use thiserror::Error;

use crate::compute::Results;
use crate::model::Appraisal;

pub mod csv;
pub mod doc;
pub mod docx;
pub mod html;
pub mod json;
pub mod markdown;
pub mod png;
pub mod save;
pub mod sensitivity;
pub mod stream;
pub mod svg;
pub mod tables;
pub mod text;
pub mod xlsx;

pub use doc::{Block, Cell, Chart, ChartKind, Column, Report, ReportTable, Row, RowKind, Value};
pub use save::save;
pub use tables::TableName;

/// The export formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// GitHub/pandoc Markdown with pipe tables.
    Markdown,
    /// One self-contained HTML page with inline SVG charts.
    Html,
    /// RFC 4180 CSV, one table per file.
    Csv,
    /// An Excel workbook, one worksheet per table.
    Xlsx,
    /// A Word document with real tables and the charts.
    Docx,
    /// Everything in one JSON document.
    Json,
    /// Standalone SVG charts.
    Svg,
    /// The charts as PNG pictures, for web systems that refuse SVG and for
    /// slides.
    Png,
}

impl Format {
    /// Every format.
    pub const ALL: [Format; 8] = [
        Format::Markdown,
        Format::Html,
        Format::Csv,
        Format::Xlsx,
        Format::Docx,
        Format::Json,
        Format::Svg,
        Format::Png,
    ];

    /// The name used on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Markdown => "md",
            Format::Html => "html",
            Format::Csv => "csv",
            Format::Xlsx => "xlsx",
            Format::Docx => "docx",
            Format::Json => "json",
            Format::Svg => "svg",
            Format::Png => "png",
        }
    }

    /// The file extension, without the dot.
    pub fn extension(self) -> &'static str {
        self.as_str()
    }

    /// Whether the format is binary (and so must not go to a terminal).
    pub fn is_binary(self) -> bool {
        matches!(self, Format::Xlsx | Format::Docx | Format::Png)
    }

    /// Whether the format holds one table or chart per file, so that several
    /// need a folder.
    pub fn one_item_per_file(self) -> bool {
        matches!(self, Format::Csv | Format::Svg | Format::Png)
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Format {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.to_ascii_lowercase();
        let s = if s == "markdown" { "md" } else { s.as_str() };
        Format::ALL
            .into_iter()
            .find(|f| f.as_str() == s)
            .ok_or_else(|| format!("unknown format `{s}`"))
    }
}

/// Which tables and charts to export: `all`, group names such as `ranking`,
/// or the key of one table or chart such as `annex-shared-service`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Selection {
    entries: Vec<String>,
}

impl Default for Selection {
    fn default() -> Self {
        Selection::all()
    }
}

impl Selection {
    /// Everything.
    pub fn all() -> Selection {
        Selection {
            entries: vec!["all".into()],
        }
    }

    /// Exactly these groups.
    pub fn groups(groups: &[TableName]) -> Selection {
        Selection {
            entries: groups.iter().map(|g| g.as_str().to_string()).collect(),
        }
    }

    /// Parses a comma-separated list; names are checked against the
    /// appraisal when the export is built.
    pub fn parse(list: &str) -> Result<Selection, ExportError> {
        let entries: Vec<String> = list
            .split(',')
            .map(|s| s.trim().to_ascii_lowercase())
            .filter(|s| !s.is_empty())
            .collect();
        if entries.is_empty() {
            return Err(ExportError::EmptySelection);
        }
        Ok(Selection { entries })
    }

    /// Whether everything is selected.
    pub fn is_all(&self) -> bool {
        self.entries.iter().any(|e| e == "all")
    }

    /// The entries as given.
    pub fn entries(&self) -> &[String] {
        &self.entries
    }
}

/// Everything an export needs besides the appraisal and its results.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportOptions {
    /// Which tables and charts to include (JSON always holds everything).
    pub tables: Selection,
    /// Monte Carlo samples for rank acceptability; `None` skips it.
    pub samples: Option<u64>,
    /// The Monte Carlo seed.
    pub seed: u64,
    /// Start CSV with a UTF-8 byte order mark so Excel reads accents and symbols correctly.
    pub excel_bom: bool,
    /// Officers' own caption numbers and titles, by table or chart key.
    pub captions: Vec<CaptionSetting>,
}

/// An officer's caption for one table or chart: its number (the count goes
/// on from there, as Word's `SEQ \r` does), its title, or both.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaptionSetting {
    /// The key of the table or chart, such as `summary` or `chart-totals`.
    pub key: String,
    /// The number to give it.
    pub number: Option<u32>,
    /// The title to give it.
    pub title: Option<String>,
}

impl CaptionSetting {
    /// Parses `KEY=NUMBER:TITLE`, `KEY=NUMBER` or `KEY=TITLE`, as given to
    /// `--caption` (for example `summary=5:Summary of options`).
    pub fn parse(s: &str) -> Result<CaptionSetting, ExportError> {
        let bad = || ExportError::BadCaption {
            given: s.to_string(),
        };
        let (key, rest) = s.split_once('=').ok_or_else(bad)?;
        let key = key.trim().to_ascii_lowercase();
        if key.is_empty() {
            return Err(bad());
        }
        let digits = rest
            .trim_start()
            .bytes()
            .take_while(u8::is_ascii_digit)
            .count();
        let rest = rest.trim_start();
        let (number, title) = if digits > 0 {
            let number: u32 = rest[..digits].parse().map_err(|_| bad())?;
            match rest[digits..].trim_start().strip_prefix(':') {
                Some(t) => (Some(number), Some(t.trim())),
                None if rest[digits..].trim().is_empty() => (Some(number), None),
                None => (None, Some(rest.trim())),
            }
        } else {
            (None, Some(rest.trim()))
        };
        if number == Some(0) {
            return Err(bad());
        }
        let title = title.filter(|t| !t.is_empty()).map(str::to_string);
        if number.is_none() && title.is_none() {
            return Err(bad());
        }
        Ok(CaptionSetting { key, number, title })
    }
}

impl Default for ExportOptions {
    fn default() -> Self {
        ExportOptions {
            tables: Selection::all(),
            samples: None,
            seed: DEFAULT_SEED,
            excel_bom: true,
            captions: Vec::new(),
        }
    }
}

/// The Monte Carlo seed used when none is given, so repeated runs agree; the
/// same as `appraise sensitivity`'s, so the two give the same figures.
pub const DEFAULT_SEED: u64 = 1;

/// Keys named in a message: the first few and how many more, so a selection
/// of thousands of annex tables gives a message a person can read.
fn listed(keys: &[String]) -> String {
    const SHOWN: usize = 12;
    let mut s = keys
        .iter()
        .take(SHOWN)
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join(", ");
    if keys.len() > SHOWN {
        s.push_str(&format!(" and {} more", keys.len() - SHOWN));
    }
    s
}

/// Why an export could not be produced.
#[derive(Debug, Error)]
pub enum ExportError {
    /// `--tables` was given an empty list.
    #[error("no tables were named; use `all` or names such as `ranking,matrix`")]
    EmptySelection,
    /// A name in `--tables` matches no table or chart.
    #[error("there is no table called `{name}`; choose from: {}", valid.join(", "))]
    UnknownTable {
        /// The name given.
        name: String,
        /// Every valid name.
        valid: Vec<String>,
    },
    /// A Monte Carlo table or chart was named without asking for samples.
    #[error(
        "`{name}` comes from the Monte Carlo analysis; add --samples N (for example --samples 100000)"
    )]
    NeedsSamples {
        /// The name given.
        name: String,
    },
    /// A one-item-per-file format was asked to write several items to one stream.
    #[error(
        "{format} holds one {what} per file, and this selection has {count}: {}; \
         choose one with --tables NAME, or give --out a folder to write one file each",
        listed(keys)
    )]
    NeedsOneItem {
        /// The format.
        format: Format,
        /// "table" or "chart".
        what: &'static str,
        /// How many were selected.
        count: usize,
        /// Their keys.
        keys: Vec<String>,
    },
    /// The selection holds nothing this format can show.
    #[error("the selection has no {what} to write as {format}; {hint}")]
    NothingToWrite {
        /// The format.
        format: Format,
        /// "tables" or "charts".
        what: &'static str,
        /// What to do instead.
        hint: &'static str,
    },
    /// A `--caption` was not `KEY=NUMBER:TITLE`, `KEY=NUMBER` or `KEY=TITLE`.
    #[error(
        "`{given}` is not a caption; write KEY=NUMBER:TITLE, KEY=NUMBER or KEY=TITLE, for example summary=5:Summary of options (numbers start at 1)"
    )]
    BadCaption {
        /// The text given.
        given: String,
    },
    /// Writing a file failed; the file on disk is as it was.
    #[error(transparent)]
    Write(#[from] crate::atomic::WriteError),
    /// The path given is a symbolic link to something that does not exist.
    #[error(
        "{} is a symbolic link to {}, which does not exist; remove the link or give another name with --out",
        path.display(),
        target.display()
    )]
    DanglingLink {
        /// The link.
        path: std::path::PathBuf,
        /// Where it points.
        target: std::path::PathBuf,
    },
    /// The path is something an export cannot be written to.
    #[error("{} is {kind}, so nothing was written there; give a file name with --out", path.display())]
    SpecialFile {
        /// The path.
        path: std::path::PathBuf,
        /// What it is, such as "a disk device".
        kind: &'static str,
    },
    /// Writing into a device or pipe failed part-way.
    #[error("could not write to {}: {}", path.display(), crate::atomic::describe(source))]
    Stream {
        /// The device or pipe.
        path: std::path::PathBuf,
        /// What went wrong.
        source: io::Error,
    },
    /// Writing failed.
    #[error("writing the export failed: {0}")]
    Io(#[from] io::Error),
    /// The spreadsheet library reported a problem.
    #[error("building the spreadsheet failed: {0}")]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
    /// A thread building the spreadsheet stopped before its part was done
    /// (it failed, and its own error is reported in its place).
    #[error("building the spreadsheet failed: {0}")]
    XlsxStopped(&'static str),
    /// Building the Word document's archive failed.
    #[error("building the Word document failed: {0}")]
    Docx(#[from] zip::result::ZipError),
    /// Drawing a chart as an image failed.
    #[error("drawing a chart failed: {0}")]
    Chart(#[source] Box<dyn std::error::Error + Send + Sync>),
    /// A chart is too large, or too small, to draw as an image.
    #[error("drawing a chart failed: cannot make a {width}x{height} image")]
    ChartSize {
        /// The image's width in pixels.
        width: u32,
        /// Its height in pixels.
        height: u32,
    },
    /// The sensitivity analysis could not run (for example, an invalid sample count).
    #[error("the sensitivity analysis failed: {0}")]
    Sensitivity(#[from] crate::sensitivity::SmaaError),
    /// Serialising JSON failed.
    #[error("writing JSON failed: {0}")]
    Json(#[from] serde_json::Error),
}

/// Builds the report for the selected tables and charts, the annex
/// included (see [`stream::ReportStream`] for the report that builds its
/// annex as it is written).
pub fn build(
    appraisal: &Appraisal,
    results: &Results,
    options: &ExportOptions,
) -> Result<Report, ExportError> {
    stream::ReportStream::new(appraisal, results, options).map(stream::ReportStream::into_report)
}

/// Numbers every table and chart caption in reading order ("Table 1",
/// "Figure 1", ...) and applies the officer's own numbers and titles; an
/// officer's number restarts the count there. Returns the first key that
/// names nothing in the report.
pub fn number_captions(report: &mut Report, settings: &[CaptionSetting]) -> Result<(), String> {
    let mut numbers = Numberer::new(settings);
    for b in &mut report.blocks {
        numbers.number(b);
    }
    numbers.unused()
}

/// The caption count as it runs through a report: the rule
/// [`number_captions`] applies, kept so that the streamed annex (see
/// [`stream`]) goes on counting where the blocks before it stopped.
#[derive(Debug, Clone)]
pub(crate) struct Numberer<'s> {
    settings: &'s [CaptionSetting],
    used: BTreeSet<&'s str>,
    tables: u32,
    figures: u32,
}

impl<'s> Numberer<'s> {
    pub(crate) fn new(settings: &'s [CaptionSetting]) -> Self {
        Numberer {
            settings,
            used: BTreeSet::new(),
            tables: 0,
            figures: 0,
        }
    }

    /// Numbers a table or chart block (other blocks are left alone).
    pub(crate) fn number(&mut self, b: &mut Block) {
        let (key, title, number, figure) = match b {
            Block::Table(t) => (&t.key, &mut t.title, &mut t.number, false),
            Block::Chart(c) => (&c.key, &mut c.title, &mut c.number, true),
            _ => return,
        };
        let (n, new_title) = self.next(key, figure);
        *number = Some(n);
        if let Some(t) = new_title {
            *title = t.to_string();
        }
    }

    /// The number of the next table (or figure) with `key`, and the
    /// officer's title for it, if any.
    pub(crate) fn next(&mut self, key: &str, figure: bool) -> (doc::Numbering, Option<&'s str>) {
        let count = if figure {
            &mut self.figures
        } else {
            &mut self.tables
        };
        let setting = self.settings.iter().rev().find(|s| s.key == key);
        let restart = setting.and_then(|s| s.number);
        *count = restart.unwrap_or(count.saturating_add(1));
        if let Some(s) = setting {
            self.used.insert(s.key.as_str());
        }
        (
            doc::Numbering {
                number: *count,
                restart: restart.is_some(),
            },
            setting.and_then(|s| s.title.as_deref()),
        )
    }

    /// The first setting whose key named nothing numbered so far.
    pub(crate) fn unused(&self) -> Result<(), String> {
        match self
            .settings
            .iter()
            .find(|s| !self.used.contains(s.key.as_str()))
        {
            Some(s) => Err(s.key.clone()),
            None => Ok(()),
        }
    }
}

/// The error for a name that matches nothing.
fn missing_name(
    appraisal: &Appraisal,
    results: &Results,
    options: &ExportOptions,
    missing: &str,
) -> ExportError {
    {
        if options.samples.is_none()
            && matches!(missing, "chart-acceptability" | "sensitivity-acceptability")
        {
            return ExportError::NeedsSamples {
                name: missing.to_string(),
            };
        }
        ExportError::UnknownTable {
            name: missing.to_string(),
            valid: table_names(appraisal, results, options),
        }
    }
}

/// Every name `--tables` accepts for this appraisal: `all`, the groups, and
/// the key of every table and chart.
pub fn table_names(
    appraisal: &Appraisal,
    results: &Results,
    options: &ExportOptions,
) -> Vec<String> {
    let mut names = vec!["all".to_string()];
    names.extend(TableName::ALL.iter().map(|g| g.as_str().to_string()));
    // Monte Carlo adds one table and one chart; name them without running it.
    let quick = ExportOptions {
        samples: None,
        ..options.clone()
    };
    let report =
        tables::build_report(appraisal, results, &TableName::ALL, &quick).unwrap_or_default();
    for b in &report.blocks {
        match b {
            Block::Table(t) if !names.contains(&t.key) => names.push(t.key.clone()),
            Block::Chart(c) => names.push(c.key.clone()),
            _ => {}
        }
    }
    if options.samples.is_some() {
        names.push("sensitivity-acceptability".into());
        names.push("chart-acceptability".into());
    }
    names
}

/// Writes the export in `format` to `out`.
///
/// CSV and SVG hold one table or chart each, so with several selected this
/// returns [`ExportError::NeedsOneItem`]; use [`export_files`] for a folder.
pub fn export(
    appraisal: &Appraisal,
    results: &Results,
    options: &ExportOptions,
    format: Format,
    out: &mut impl Write,
) -> Result<(), ExportError> {
    match format {
        Format::Json => json::write(appraisal, results, options, out),
        // The annex is most of a large report: these formats take it a few
        // options at a time as they write, instead of all at once.
        Format::Markdown => markdown::write_stream(
            &stream::ReportStream::new(appraisal, results, options)?,
            out,
        ),
        Format::Html => html::write_stream(
            &stream::ReportStream::new(appraisal, results, options)?,
            out,
        ),
        // A Word package is finished by going back to its start, and a
        // workbook is written from another thread (see [`export_to`] for a
        // file): here both are made in memory (a fraction of the report's
        // size) and then copied out.
        Format::Docx => {
            let report = stream::ReportStream::new(appraisal, results, options)?;
            let mut bytes = io::Cursor::new(Vec::new());
            docx::write_stream(&report, &mut bytes)?;
            out.write_all(bytes.get_ref())?;
            Ok(())
        }
        Format::Xlsx => {
            let mut bytes = Vec::new();
            export_to(appraisal, results, options, format, &mut bytes)?;
            out.write_all(&bytes)?;
            Ok(())
        }
        // Whether the selection is one table is known before the annex is
        // built: a refusal of 10,000 annex tables costs no annex.
        Format::Csv => {
            let report = stream::ReportStream::new(appraisal, results, options)?;
            csv::write_stream(&report, options.excel_bom, out)
        }
        Format::Svg | Format::Png => {
            let report = build(appraisal, results, options)?;
            write_report(&report, options, format, out)
        }
    }
}

/// [`export`] into a writer that may be handed to another thread, such as
/// a file: a workbook (written from another thread) then goes straight into
/// it instead of being made whole in memory first.
pub fn export_to<W: Write + Send>(
    appraisal: &Appraisal,
    results: &Results,
    options: &ExportOptions,
    format: Format,
    out: &mut W,
) -> Result<(), ExportError> {
    match format {
        Format::Xlsx => {
            let report = stream::ReportStream::new(appraisal, results, options)?;
            xlsx::write_stream(&report, &xlsx::Settings::default(), out)
        }
        _ => export(appraisal, results, options, format, out),
    }
}

/// Writes an already-built report in `format` to `out` (JSON needs the
/// appraisal itself: use [`export`] for it; here it writes the report's tables).
pub fn write_report(
    report: &Report,
    options: &ExportOptions,
    format: Format,
    out: &mut impl Write,
) -> Result<(), ExportError> {
    match format {
        Format::Markdown => markdown::write(report, out),
        Format::Html => html::write(report, out),
        Format::Xlsx => xlsx::write(report, out),
        Format::Docx => docx::write(report, out),
        Format::Json => {
            serde_json::to_writer_pretty(&mut *out, report)?;
            writeln!(out)?;
            Ok(())
        }
        Format::Csv => csv::write_stream(&report.into(), options.excel_bom, out),
        Format::Svg | Format::Png => {
            let charts: Vec<&Chart> = report.charts().collect();
            match charts.as_slice() {
                [c] if format == Format::Png => png::write_chart(c, out),
                [c] => svg::write_chart(c, out),
                [] => Err(ExportError::NothingToWrite {
                    format,
                    what: "charts",
                    hint: "charts come with `ranking` and `sensitivity`",
                }),
                many => Err(ExportError::NeedsOneItem {
                    format,
                    what: "chart",
                    count: many.len(),
                    keys: many.iter().map(|c| c.key.clone()).collect(),
                }),
            }
        }
    }
}

/// One file of an export to a folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportFile {
    /// The file name, without any folder.
    pub name: String,
    /// The file's bytes.
    pub bytes: Vec<u8>,
}

/// The files an export to a folder holds: one per table (CSV) or chart (SVG),
/// otherwise one file named `<stem>.<ext>`.
pub fn export_files(
    appraisal: &Appraisal,
    results: &Results,
    options: &ExportOptions,
    format: Format,
    stem: &str,
) -> Result<Vec<ExportFile>, ExportError> {
    let mut files = Vec::new();
    if format.one_item_per_file() {
        let report = build(appraisal, results, options)?;
        match format {
            Format::Csv => {
                for t in report.tables() {
                    let mut bytes = Vec::new();
                    csv::write_table(t, options.excel_bom, &mut bytes)?;
                    files.push(ExportFile {
                        name: format!("{}.csv", t.key),
                        bytes,
                    });
                }
            }
            Format::Png => {
                // Drawing is the slow part; charts are independent.
                let drawn: Vec<Result<ExportFile, ExportError>> = report
                    .charts()
                    .collect::<Vec<_>>()
                    .par_iter()
                    .map(|c| {
                        let mut bytes = Vec::new();
                        png::write_chart(c, &mut bytes)?;
                        Ok(ExportFile {
                            name: format!("{}.png", c.key),
                            bytes,
                        })
                    })
                    .collect();
                for f in drawn {
                    files.push(f?);
                }
            }
            _ => {
                for c in report.charts() {
                    let mut bytes = Vec::new();
                    svg::write_chart(c, &mut bytes)?;
                    files.push(ExportFile {
                        name: format!("{}.svg", c.key),
                        bytes,
                    });
                }
            }
        }
        if files.is_empty() {
            return Err(ExportError::NothingToWrite {
                format,
                what: if format == Format::Csv {
                    "tables"
                } else {
                    "charts"
                },
                hint: "check the names given to --tables",
            });
        }
    } else {
        let mut bytes = Vec::new();
        export(appraisal, results, options, format, &mut bytes)?;
        files.push(ExportFile {
            name: format!("{stem}.{}", format.extension()),
            bytes,
        });
    }
    Ok(files)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::load::load_example;

    #[test]
    fn errors_from_the_libraries_keep_their_cause() {
        use std::error::Error as _;
        let json = serde_json::from_str::<u8>("x").unwrap_err();
        let text = json.to_string();
        let e = ExportError::from(json);
        assert_eq!(e.to_string(), format!("writing JSON failed: {text}"));
        assert_eq!(e.source().map(ToString::to_string), Some(text));
        let e = ExportError::from(rust_xlsxwriter::XlsxError::SheetnameCannotBeBlank(
            String::new(),
        ));
        assert!(
            e.to_string()
                .starts_with("building the spreadsheet failed: ")
        );
        assert!(e.source().is_some());
        let e = ExportError::from(zip::result::ZipError::FileNotFound);
        assert!(e.source().is_some());
        let e = ExportError::from(crate::sensitivity::SmaaError::NoGroups);
        assert!(e.source().is_some());
    }

    /// The bundled example and its results, for the export modules' tests.
    pub(crate) fn example() -> (Appraisal, Results) {
        let a = load_example().unwrap().appraisal;
        let r = crate::compute(&a);
        (a, r)
    }

    fn opts(list: &str) -> ExportOptions {
        ExportOptions {
            tables: Selection::parse(list).unwrap(),
            ..ExportOptions::default()
        }
    }

    #[test]
    fn selection_by_group_and_by_key() {
        let (a, r) = example();
        let rep = build(&a, &r, &opts("ranking")).unwrap();
        let keys: Vec<&str> = rep.tables().map(|t| t.key.as_str()).collect();
        assert_eq!(keys, ["ranking"]);
        assert_eq!(rep.charts().count(), 1);
        let rep = build(&a, &r, &opts("annex-shared-service, criteria")).unwrap();
        let keys: Vec<&str> = rep.tables().map(|t| t.key.as_str()).collect();
        assert_eq!(keys, ["scale", "criteria", "annex-shared-service"]);
        let rep = build(&a, &r, &opts("chart-totals")).unwrap();
        assert_eq!(rep.tables().count(), 0);
        assert_eq!(rep.charts().count(), 1);
    }

    #[test]
    fn unknown_names_list_the_valid_ones() {
        let (a, r) = example();
        let err = build(&a, &r, &opts("rankings")).unwrap_err();
        let msg = err.to_string();
        assert!(msg.contains("`rankings`"), "{msg}");
        assert!(msg.contains("ranking,") || msg.contains("ranking"), "{msg}");
        assert!(msg.contains("annex-shared-service"), "{msg}");
        assert!(matches!(
            Selection::parse(" , "),
            Err(ExportError::EmptySelection)
        ));
    }

    #[test]
    fn csv_to_one_stream_needs_one_table() {
        let (a, r) = example();
        let mut out = Vec::new();
        let err = export(&a, &r, &ExportOptions::default(), Format::Csv, &mut out).unwrap_err();
        assert!(matches!(err, ExportError::NeedsOneItem { .. }), "{err}");
        export(&a, &r, &opts("ranking"), Format::Csv, &mut out).unwrap();
        assert!(!out.is_empty());
        let files = export_files(&a, &r, &ExportOptions::default(), Format::Csv, "x").unwrap();
        // Five tables, four for sensitivity, eight annex tables.
        // Six tables (the scale among them), four for sensitivity, eight annex tables.
        assert_eq!(files.len(), 6 + 4 + 8);
        // One annex table to one stream is the file the folder holds.
        let mut one = Vec::new();
        export(&a, &r, &opts("annex-shared-service"), Format::Csv, &mut one).unwrap();
        let file = files
            .iter()
            .find(|f| f.name == "annex-shared-service.csv")
            .unwrap();
        assert_eq!(one, file.bytes);
        let err = export(&a, &r, &opts("criteria"), Format::Svg, &mut out).unwrap_err();
        assert!(matches!(err, ExportError::NothingToWrite { .. }), "{err}");
    }

    #[test]
    fn a_refusal_names_a_few_tables_and_counts_the_rest() {
        let keys: Vec<String> = (0..20).map(|i| format!("annex-o{i}")).collect();
        let msg = ExportError::NeedsOneItem {
            format: Format::Csv,
            what: "table",
            count: keys.len(),
            keys,
        }
        .to_string();
        assert!(msg.contains("has 20: annex-o0, annex-o1,"), "{msg}");
        assert!(msg.contains("annex-o11 and 8 more;"), "{msg}");
        assert!(!msg.contains("annex-o12"), "{msg}");
    }

    #[test]
    fn formats_parse() {
        for f in Format::ALL {
            assert_eq!(f.as_str().parse::<Format>(), Ok(f));
        }
        assert_eq!("Markdown".parse::<Format>(), Ok(Format::Markdown));
        assert!("pdf".parse::<Format>().is_err());
    }
}
