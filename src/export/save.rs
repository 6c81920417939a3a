//! Saving an export to disk: to one file, or one file per table or chart in a
//! folder. Each file is written to a temporary file beside it and then
//! renamed into place, so a failure never leaves half a file behind.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::{ExportError, ExportOptions, Format, export, export_files};
use crate::compute::Results;
use crate::model::Appraisal;

/// Whether `path` names a folder: it is an existing one, or ends with a separator.
pub fn is_folder(path: &Path) -> bool {
    path.is_dir() || path.as_os_str().to_string_lossy().ends_with(['/', '\\'])
}

/// Writes `bytes` to `path` atomically with the same writer as saving an
/// appraisal ([`crate::atomic::write`]): a temporary file beside it,
/// flushed to disk and renamed into place, keeping an existing file's
/// permissions and refusing a read-only one. On failure the file on disk is
/// as it was, and the message says so.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), ExportError> {
    crate::atomic::write(path, bytes)
        .map_err(|e| ExportError::Io(std::io::Error::new(e.kind(), e.to_string())))
}

/// Saves the export at `path`, returning the files written.
///
/// When `path` is a folder (see [`is_folder`]) it is created if needed and
/// receives one file per table (CSV) or chart (SVG), or `<stem>.<ext>` for
/// the other formats; otherwise `path` is the file.
pub fn save(
    appraisal: &Appraisal,
    results: &Results,
    options: &ExportOptions,
    format: Format,
    path: &Path,
    stem: &str,
) -> Result<Vec<PathBuf>, ExportError> {
    if is_folder(path) {
        let files = export_files(appraisal, results, options, format, stem)?;
        std::fs::create_dir_all(path).map_err(|e| {
            ExportError::Io(std::io::Error::new(
                e.kind(),
                format!("cannot create the folder {}: {e}", path.display()),
            ))
        })?;
        // Each file is flushed to disk before it is renamed; writing several
        // at once overlaps those waits (a large appraisal has thousands of tables).
        files
            .par_iter()
            .map(|f| {
                let target = path.join(&f.name);
                write_atomic(&target, &f.bytes)?;
                Ok(target)
            })
            .collect()
    } else {
        let mut buf = Vec::new();
        export(appraisal, results, options, format, &mut buf)?;
        write_atomic(path, &buf)?;
        Ok(vec![path.to_path_buf()])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::load_example;

    #[test]
    fn saves_files_and_folders_without_leftovers() {
        let a = load_example().unwrap().appraisal;
        let r = crate::compute(&a);
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("r.md");
        let out = save(
            &a,
            &r,
            &ExportOptions::default(),
            Format::Markdown,
            &file,
            "x",
        )
        .unwrap();
        assert_eq!(out, vec![file.clone()]);
        assert!(std::fs::read_to_string(&file).unwrap().starts_with("# "));
        let folder = dir.path().join("charts/");
        let out = save(&a, &r, &ExportOptions::default(), Format::Svg, &folder, "x").unwrap();
        assert_eq!(out.len(), 9);
        assert!(folder.join("chart-totals.svg").exists());
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        assert!(names.iter().all(|n| !n.starts_with('.')), "{names:?}");
        // A file in a folder that does not exist is an error, not a panic.
        let missing = dir.path().join("no/such/folder/r.md");
        assert!(
            save(
                &a,
                &r,
                &ExportOptions::default(),
                Format::Markdown,
                &missing,
                "x"
            )
            .is_err()
        );
    }
}
