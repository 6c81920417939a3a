//! Export from inside the TUI: the formats on offer and writing one to a path.
//! The report formats come from [`crate::export`]; the TUI adds a plain-text
//! report and a copy of the appraisal file as it now stands.

use std::path::{Path, PathBuf};

use crate::atomic;
use crate::compute::compute;
use crate::export::{self as reports, ExportOptions, Format as ReportFormat};
use crate::model::Appraisal;
use crate::report::{self, TextStyle};

use super::doc::Doc;
use super::target::Target;

/// What an entry in the export menu writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// One of the report formats of [`crate::export`].
    Report(ReportFormat),
    /// The terminal report as plain text.
    Text,
    /// The appraisal file as it now stands, comments kept.
    Copy,
}

/// One export format offered in the TUI.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Format {
    /// What the user sees in the list.
    pub label: &'static str,
    /// The file extension suggested, without the dot.
    pub extension: &'static str,
    /// A short note on what the format is for.
    pub hint: &'static str,
    /// What it writes.
    pub kind: Kind,
}

impl Format {
    /// Whether the format writes a folder of files (one per table or chart).
    pub fn is_folder(&self) -> bool {
        matches!(self.kind, Kind::Report(f) if f.one_item_per_file())
    }
}

/// The formats offered, in menu order: the ones officers paste into
/// committee papers first.
pub const FORMATS: &[Format] = &[
    Format {
        label: "Word document",
        extension: "docx",
        hint: "tables and charts for a committee report",
        kind: Kind::Report(ReportFormat::Docx),
    },
    Format {
        label: "Excel workbook",
        extension: "xlsx",
        hint: "one sheet per table, numbers as numbers",
        kind: Kind::Report(ReportFormat::Xlsx),
    },
    Format {
        label: "Web page",
        extension: "html",
        hint: "one page to open in a browser or paste into Word",
        kind: Kind::Report(ReportFormat::Html),
    },
    Format {
        label: "Markdown",
        extension: "md",
        hint: "plain-text tables for wikis and documents",
        kind: Kind::Report(ReportFormat::Markdown),
    },
    Format {
        label: "CSV files",
        extension: "csv",
        hint: "a folder with one spreadsheet file per table",
        kind: Kind::Report(ReportFormat::Csv),
    },
    Format {
        label: "SVG charts",
        extension: "svg",
        hint: "a folder with one picture per chart",
        kind: Kind::Report(ReportFormat::Svg),
    },
    Format {
        label: "PNG pictures",
        extension: "png",
        hint: "a folder with one picture per chart, for slides and web pages that take no SVG",
        kind: Kind::Report(ReportFormat::Png),
    },
    Format {
        label: "JSON",
        extension: "json",
        hint: "everything, for other programs",
        kind: Kind::Report(ReportFormat::Json),
    },
    Format {
        label: "Text report",
        extension: "txt",
        hint: "the terminal report as plain text",
        kind: Kind::Text,
    },
    Format {
        label: "Copy of the appraisal file",
        extension: "toml",
        hint: "the file as it now stands, comments kept, to share or keep",
        kind: Kind::Copy,
    },
];

/// What the menu calls `format`: in member mode the copy is of the member's sheet.
pub fn label(target: &Target, format: &Format) -> &'static str {
    match format.kind {
        Kind::Copy => target.copy_label(),
        _ => format.label,
    }
}

/// A file (or folder) name to suggest for `format`: the document's file
/// stem with the format's extension, or a folder for CSV and SVG.
pub fn default_file_name(doc_path: Option<&Path>, format: usize) -> String {
    let stem = file_stem(doc_path);
    match FORMATS.get(format) {
        Some(f) if f.is_folder() => format!("{stem}-{}/", f.extension),
        Some(f) if f.kind == Kind::Copy => format!("{stem}-copy.toml"),
        Some(f) => format!("{stem}.{}", f.extension),
        None => format!("{stem}.txt"),
    }
}

fn file_stem(doc_path: Option<&Path>) -> String {
    doc_path.and_then(Path::file_stem).map_or_else(
        || "appraisal".to_owned(),
        |s| s.to_string_lossy().into_owned(),
    )
}

/// Why an export failed.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// No such format.
    #[error("there is no export format number {0}")]
    NoSuchFormat(usize),
    /// Building or writing a report failed.
    #[error(transparent)]
    Report(#[from] reports::ExportError),
    /// Writing failed.
    #[error(transparent)]
    Write(#[from] atomic::WriteError),
    /// Building the text report failed.
    #[error("{0}")]
    Text(#[source] std::io::Error),
}

/// What exporting `format` to `path` would replace, in words, or `None` if
/// nothing: the file itself, or for a folder format the files of that kind
/// already in the folder.
pub fn would_replace(format: usize, path: &Path) -> Option<String> {
    let f = FORMATS.get(format)?;
    if !f.is_folder() {
        let meta = std::fs::metadata(path).ok()?;
        return (!meta.is_dir()).then(|| "a file of that name".to_owned());
    }
    let ext = std::ffi::OsStr::new(f.extension);
    let n = std::fs::read_dir(path)
        .ok()?
        .flatten()
        .filter(|e| e.path().extension() == Some(ext))
        .count();
    match n {
        0 => None,
        1 => Some(format!("a .{} file", f.extension)),
        n => Some(format!("{n} .{} files", f.extension)),
    }
}

/// Monte Carlo samples for an export: as many as take a second or so, up to
/// 100,000; none for appraisals too large to sample usefully in that time.
pub fn export_samples(a: &Appraisal) -> Option<u64> {
    let cells = (a.options().len() * a.criteria().len()).max(1) as u64;
    let n = (20_000_000 / cells).min(100_000);
    (n >= 1_000).then_some(n)
}

/// A count with its thousands marked, as a report writes it: 100,000.
pub fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// One export of the document as it stood when asked for, self-contained
/// so that it can run on another thread ([`ExportJob::run`]) while the
/// screen goes on answering keys.
#[derive(Debug, Clone)]
pub struct ExportJob {
    /// The format, as an index into [`FORMATS`].
    pub format: usize,
    /// The file or folder typed.
    pub path: PathBuf,
    /// Whether the user has agreed to replace what is there.
    pub replace: bool,
    appraisal: Appraisal,
    stem: String,
    target: Target,
    original: std::sync::Arc<str>,
    doc_path: Option<PathBuf>,
}

/// How an export ended.
#[derive(Debug)]
pub enum ExportOutcome {
    /// Written: the files.
    Written(Vec<PathBuf>),
    /// Files are there already (in words): ask before replacing them.
    WouldReplace(String),
    /// Not written, and why.
    Failed(ExportError),
}

impl ExportJob {
    /// An export of `doc` as it stands, in `format`, to `path`.
    pub fn new(doc: &Doc, format: usize, path: PathBuf, replace: bool) -> ExportJob {
        ExportJob {
            format,
            path,
            replace,
            appraisal: doc.appraisal().clone(),
            stem: file_stem(doc.path()),
            target: doc.target().clone(),
            original: doc.original_shared(),
            doc_path: doc.path().map(Path::to_path_buf),
        }
    }

    /// The format's name as the menu shows it.
    pub fn label(&self) -> &'static str {
        FORMATS
            .get(self.format)
            .map_or("export", |f| label(&self.target, f))
    }

    /// The text a copy of the document is written as: the appraisal file
    /// as it now stands, or in member mode the member's sheet.
    pub fn copy_text(&self) -> String {
        self.target
            .render(&self.original, &self.appraisal, self.doc_path.as_deref())
    }

    /// Writes the export, telling `progress` what it is doing at each stage
    /// (working out the figures, writing the document, saving it). Asks
    /// first ([`ExportOutcome::WouldReplace`]) if it would replace files,
    /// unless agreed. CSV and SVG write a folder of files at the path.
    pub fn run(self, progress: &mut dyn FnMut(&str)) -> ExportOutcome {
        if !self.replace
            && let Some(existing) = would_replace(self.format, &self.path)
        {
            return ExportOutcome::WouldReplace(existing);
        }
        match self.write(progress) {
            Ok(files) => ExportOutcome::Written(files),
            Err(e) => ExportOutcome::Failed(e),
        }
    }

    fn write(self, progress: &mut dyn FnMut(&str)) -> Result<Vec<PathBuf>, ExportError> {
        let f = FORMATS
            .get(self.format)
            .ok_or(ExportError::NoSuchFormat(self.format))?;
        let a = &self.appraisal;
        let path = &self.path;
        match f.kind {
            Kind::Report(rf) => {
                let results = compute(a);
                let samples = export_samples(a);
                let options = ExportOptions {
                    samples,
                    ..ExportOptions::default()
                };
                let figures = match samples {
                    Some(n) => format!(
                        "working out the tables and the sensitivity ({} Monte Carlo samples)",
                        grouped(n)
                    ),
                    None => "working out the tables and the sensitivity".to_owned(),
                };
                if f.is_folder() || rf == ReportFormat::Json {
                    progress(&figures);
                    // A folder format needs the path taken as a folder even
                    // if it does not exist yet and was typed without a slash.
                    let target = if f.is_folder() && !reports::save::is_folder(path) {
                        let mut p = path.as_os_str().to_owned();
                        p.push(std::path::MAIN_SEPARATOR_STR);
                        PathBuf::from(p)
                    } else {
                        path.to_owned()
                    };
                    return Ok(reports::save(
                        a, &results, &options, rf, &target, &self.stem,
                    )?);
                }
                // One file, in three stages the screen can report.
                reports::save::destination(path)?;
                progress(&figures);
                let report = reports::build(a, &results, &options)?;
                progress(&format!("writing the {}", f.label.to_lowercase()));
                let mut bytes = Vec::new();
                reports::write_report(&report, &options, rf, &mut bytes)?;
                progress("saving it to disk");
                reports::save::write_named(path, &bytes)?;
                Ok(vec![path.to_owned()])
            }
            Kind::Text => {
                progress("writing the text report");
                let mut out = Vec::new();
                report::write_report(
                    &mut out,
                    a,
                    &compute(a),
                    TextStyle {
                        width: None,
                        color: false,
                    },
                )
                .map_err(ExportError::Text)?;
                atomic::write(path, &out)?;
                Ok(vec![path.to_owned()])
            }
            Kind::Copy => {
                progress("writing the copy");
                // In member mode this is the member's sheet as it now stands.
                atomic::write(path, self.copy_text().as_bytes())?;
                Ok(vec![path.to_owned()])
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::{Action, App};

    /// Writes `format` of `app`'s document to `path`, as the runner would.
    fn export_to(app: &App, format: usize, path: &Path) -> Result<Vec<PathBuf>, ExportError> {
        match ExportJob::new(&app.doc, format, path.to_owned(), true).run(&mut |_| {}) {
            ExportOutcome::Written(files) => Ok(files),
            ExportOutcome::Failed(e) => Err(e),
            ExportOutcome::WouldReplace(_) => unreachable!("replacing was agreed"),
        }
    }

    #[test]
    fn every_format_writes_its_files() {
        let mut app = App::new(crate::load::load_example().unwrap(), None);
        let _ = crate::tui::update(&mut app, Action::Digit(2));
        let dir = tempfile::tempdir().unwrap();
        for (i, f) in FORMATS.iter().enumerate() {
            let name = default_file_name(app.doc.path(), i);
            let path = dir.path().join(&name);
            let written = export_to(&app, i, &path).unwrap();
            assert!(!written.is_empty(), "{}", f.label);
            for w in &written {
                assert!(std::fs::metadata(w).unwrap().len() > 0, "{}", w.display());
            }
            if f.is_folder() {
                assert!(path.is_dir(), "{} writes a folder", f.label);
                assert!(written.len() > 1, "{} writes one file per item", f.label);
            }
        }
        // The copy keeps the example's comments and carries the edit.
        let copy = std::fs::read_to_string(dir.path().join("appraisal-copy.toml")).unwrap();
        assert!(copy.starts_with("# Bundled example appraisal"));
        assert_eq!(
            crate::load::load_str("c", &copy).unwrap().appraisal,
            *app.doc.appraisal()
        );
        let text = std::fs::read_to_string(dir.path().join("appraisal.txt")).unwrap();
        assert!(text.contains("Peer Practice Partner"));
        assert!(export_to(&app, 99, dir.path()).is_err());
    }

    #[test]
    fn a_folder_format_accepts_a_name_without_a_slash() {
        let app = App::new(crate::load::load_example().unwrap(), None);
        let dir = tempfile::tempdir().unwrap();
        let csv = FORMATS
            .iter()
            .position(|f| f.kind == Kind::Report(ReportFormat::Csv))
            .unwrap();
        let written = export_to(&app, csv, &dir.path().join("tables")).unwrap();
        assert!(dir.path().join("tables").is_dir());
        assert!(written.iter().all(|p| p.extension().unwrap() == "csv"));
    }

    #[test]
    fn samples_shrink_with_size() {
        let small = crate::load::load_example().unwrap().appraisal;
        assert_eq!(export_samples(&small), Some(100_000));
        let big = crate::synth::appraisal_toml(crate::synth::Spec {
            options: 1000,
            criteria: 50,
            notes: false,
            seed: 1,
        });
        let big = crate::load::load_str("b", &big).unwrap().appraisal;
        assert_eq!(export_samples(&big), None);
    }
}
