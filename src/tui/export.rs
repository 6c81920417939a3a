//! Export from inside the TUI: the formats on offer and writing one to a path.

use std::path::Path;

use crate::compute::compute;
use crate::model::Appraisal;
use crate::report::{self, TextStyle};
use crate::save;

use super::app::App;

/// One export format offered in the TUI.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Format {
    /// What the user sees in the list.
    pub label: &'static str,
    /// The file extension suggested, without the dot.
    pub extension: &'static str,
    /// A short note on what the format is for.
    pub hint: &'static str,
}

/// The formats offered, in menu order.
pub const FORMATS: &[Format] = &[
    Format {
        label: "Text report",
        extension: "txt",
        hint: "criteria, scores, totals, ranks and warnings as plain text tables",
    },
    Format {
        label: "Ranks as JSON",
        extension: "json",
        hint: "totals and ranks for other programs",
    },
    Format {
        label: "Appraisal file (TOML copy)",
        extension: "toml",
        hint: "a copy of the appraisal as it now stands, to share or keep",
    },
];

/// A file name to suggest for `format`: the appraisal's file stem with the format's extension.
pub fn default_file_name(app: &App, format: usize) -> String {
    let stem = app.doc.path().and_then(Path::file_stem).map_or_else(
        || "appraisal".to_owned(),
        |s| s.to_string_lossy().into_owned(),
    );
    let ext = FORMATS.get(format).map_or("txt", |f| f.extension);
    if ext == "toml" {
        format!("{stem}-copy.toml")
    } else {
        format!("{stem}.{ext}")
    }
}

/// Why an export failed.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// No such format.
    #[error("there is no export format number {0}")]
    NoSuchFormat(usize),
    /// Building the output failed.
    #[error("{0}")]
    Build(String),
    /// Writing failed.
    #[error(transparent)]
    Save(#[from] save::SaveError),
}

/// The bytes of `appraisal` in `format`.
pub fn render(appraisal: &Appraisal, format: usize) -> Result<Vec<u8>, ExportError> {
    let results = compute(appraisal);
    match format {
        0 => {
            let mut out = Vec::new();
            report::write_report(
                &mut out,
                appraisal,
                &results,
                TextStyle {
                    width: None,
                    color: false,
                },
            )
            .map_err(|e| ExportError::Build(e.to_string()))?;
            Ok(out)
        }
        1 => {
            let mut s = serde_json::to_string_pretty(&report::rank_json(appraisal, &results))
                .map_err(|e| ExportError::Build(e.to_string()))?;
            s.push('\n');
            Ok(s.into_bytes())
        }
        2 => Ok(save::to_toml(appraisal).into_bytes()),
        n => Err(ExportError::NoSuchFormat(n)),
    }
}

/// Writes `appraisal` in `format` to `path`, atomically.
pub fn export_to(appraisal: &Appraisal, format: usize, path: &Path) -> Result<(), ExportError> {
    let bytes = render(appraisal, format)?;
    save::write_atomic(path, &bytes)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_format_writes_something_loadable_or_readable() {
        let a = crate::load::load_example().unwrap().appraisal;
        let dir = tempfile::tempdir().unwrap();
        for (i, f) in FORMATS.iter().enumerate() {
            let p = dir.path().join(format!("out.{}", f.extension));
            export_to(&a, i, &p).unwrap();
            let text = std::fs::read_to_string(&p).unwrap();
            assert!(text.contains("Peer Practice Partner"), "{}", f.label);
        }
        let toml = std::fs::read_to_string(dir.path().join("out.toml")).unwrap();
        assert_eq!(crate::load::load_str("t", &toml).unwrap().appraisal, a);
        let json: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(dir.path().join("out.json")).unwrap())
                .unwrap();
        assert!(json.is_object());
        assert!(render(&a, 99).is_err());
    }
}
