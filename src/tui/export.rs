//! Export from inside the TUI: the formats on offer and writing one to a path.
//! The report formats come from [`crate::export`]; the TUI adds a plain-text
//! report and a copy of the appraisal file as it now stands.

use std::path::{Path, PathBuf};

use crate::atomic;
use crate::compute::compute;
use crate::export::{self as reports, ExportOptions, Format as ReportFormat};
use crate::model::Appraisal;
use crate::report::{self, TextStyle};

use super::app::App;

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
pub fn label(app: &App, format: &Format) -> &'static str {
    match format.kind {
        Kind::Copy if app.doc.member().is_some() => "Copy of your scoresheet",
        _ => format.label,
    }
}

/// A file (or folder) name to suggest for `format`: the appraisal's file
/// stem with the format's extension, or a folder for CSV and SVG.
pub fn default_file_name(app: &App, format: usize) -> String {
    let stem = file_stem(app);
    match FORMATS.get(format) {
        Some(f) if f.is_folder() => format!("{stem}-{}/", f.extension),
        Some(f) if f.kind == Kind::Copy => format!("{stem}-copy.toml"),
        Some(f) => format!("{stem}.{}", f.extension),
        None => format!("{stem}.txt"),
    }
}

fn file_stem(app: &App) -> String {
    app.doc.path().and_then(Path::file_stem).map_or_else(
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
    Text(String),
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

/// Writes the appraisal in `format` to `path` and returns the files written.
/// CSV and SVG write a folder of files at `path`.
pub fn export_to(app: &App, format: usize, path: &Path) -> Result<Vec<PathBuf>, ExportError> {
    let f = FORMATS
        .get(format)
        .ok_or(ExportError::NoSuchFormat(format))?;
    let a = app.doc.appraisal();
    match f.kind {
        Kind::Report(rf) => {
            let results = compute(a);
            let options = ExportOptions {
                samples: export_samples(a),
                ..ExportOptions::default()
            };
            // A folder format needs the path taken as a folder even if it
            // does not exist yet and was typed without a trailing slash.
            let target = if f.is_folder() && !reports::save::is_folder(path) {
                let mut p = path.as_os_str().to_owned();
                p.push(std::path::MAIN_SEPARATOR_STR);
                PathBuf::from(p)
            } else {
                path.to_owned()
            };
            Ok(reports::save(
                a,
                &results,
                &options,
                rf,
                &target,
                &file_stem(app),
            )?)
        }
        Kind::Text => {
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
            .map_err(|e| ExportError::Text(e.to_string()))?;
            atomic::write(path, &out)?;
            Ok(vec![path.to_owned()])
        }
        Kind::Copy => {
            // In member mode this is the member's sheet as it now stands.
            let text = app.doc.text_now();
            atomic::write(path, text.as_bytes())?;
            Ok(vec![path.to_owned()])
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::Action;

    #[test]
    fn every_format_writes_its_files() {
        let mut app = App::new(crate::load::load_example().unwrap(), None);
        crate::tui::update(&mut app, Action::Digit(2));
        let dir = tempfile::tempdir().unwrap();
        for (i, f) in FORMATS.iter().enumerate() {
            let name = default_file_name(&app, i);
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
