//! Saving an export to disk: to one file, or one file per table or chart in a
//! folder. Each file is written to a temporary file beside it and then
//! renamed into place, so a failure never leaves half a file behind.
//!
//! The policy for paths: a name the program derives itself (a file per
//! table in a folder) is never followed through a symbolic link; a file the
//! user names is (the link stays, the file it points at is replaced), unless
//! the link points at nothing, which is refused. Devices and named pipes
//! the user names (`/dev/null`, a FIFO) are written into directly, never
//! replaced; disk devices and sockets are refused. `-` is standard output.

use std::io::Write;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::{ExportError, ExportOptions, Format, export, export_files};
use crate::compute::Results;
use crate::model::Appraisal;

/// Whether `path` names a folder: it is an existing one, or ends with a separator.
pub fn is_folder(path: &Path) -> bool {
    path.is_dir() || path.as_os_str().to_string_lossy().ends_with(['/', '\\'])
}

/// Whether `path` is `-`, which means standard output.
pub fn is_stdout(path: &Path) -> bool {
    path.as_os_str() == "-"
}

/// Where a path the user named for one file leads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Destination {
    /// A regular file, or nothing yet: written atomically (through a
    /// symbolic link to the file it names, which the user chose).
    File,
    /// A character device or a named pipe (FIFO), such as `/dev/null` or a
    /// pipe another program reads: written into directly, never replaced.
    Stream,
}

/// Decides how to write to `path`, a file the user named: regular files
/// (and new names) atomically, character devices and FIFOs directly. A
/// symbolic link to nothing, a block device, a socket or a folder is refused,
/// since writing there would replace the link, damage a disk or fail.
pub fn destination(path: &Path) -> Result<Destination, ExportError> {
    use std::os::unix::fs::FileTypeExt;
    let Ok(link) = std::fs::symlink_metadata(path) else {
        return Ok(Destination::File);
    };
    let meta = if link.file_type().is_symlink() {
        match std::fs::metadata(path) {
            Ok(m) => m,
            Err(_) => {
                return Err(ExportError::DanglingLink {
                    path: path.to_owned(),
                    target: std::fs::read_link(path).unwrap_or_default(),
                });
            }
        }
    } else {
        link
    };
    let t = meta.file_type();
    if t.is_file() {
        Ok(Destination::File)
    } else if t.is_char_device() || t.is_fifo() {
        Ok(Destination::Stream)
    } else {
        let kind = if t.is_dir() {
            "a folder"
        } else if t.is_block_device() {
            "a disk device"
        } else if t.is_socket() {
            "a socket"
        } else {
            "not a regular file"
        };
        Err(ExportError::SpecialFile {
            path: path.to_owned(),
            kind,
        })
    }
}

/// Writes `bytes` to `path`, a file the user named (see [`destination`]):
/// atomically with the writer every save uses ([`crate::atomic::write`]),
/// or straight into a device or pipe, reporting a failure such as a full
/// device (`/dev/full`) with the path.
pub fn write_named(path: &Path, bytes: &[u8]) -> Result<(), ExportError> {
    match destination(path)? {
        Destination::File => Ok(crate::atomic::write(path, bytes)?),
        Destination::Stream => {
            let stream = |source| ExportError::Stream {
                path: path.to_owned(),
                source,
            };
            // No create and no truncate: the device or pipe stays what it is.
            let mut f = std::fs::OpenOptions::new()
                .write(true)
                .open(path)
                .map_err(stream)?;
            f.write_all(bytes).map_err(stream)?;
            f.flush().map_err(stream)?;
            Ok(())
        }
    }
}

/// Writes `bytes` to a file the user named: the same as [`write_named`],
/// under the name callers outside exports (panel reports) know it by.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), ExportError> {
    write_named(path, bytes)
}

/// Writes `bytes` to `path`, a name the program made up inside a folder:
/// atomically, and never through a symbolic link, so a link planted in a
/// shared folder cannot redirect the write to another file. A device or pipe
/// under such a name is refused rather than replaced.
pub fn write_derived(path: &Path, bytes: &[u8]) -> Result<(), ExportError> {
    use std::os::unix::fs::FileTypeExt;
    if let Ok(m) = std::fs::symlink_metadata(path) {
        let t = m.file_type();
        if t.is_char_device() || t.is_fifo() || t.is_block_device() || t.is_socket() || t.is_dir() {
            return Err(ExportError::SpecialFile {
                path: path.to_owned(),
                kind: if t.is_dir() {
                    "a folder"
                } else {
                    "not a regular file"
                },
            });
        }
    }
    Ok(crate::atomic::write_no_follow(path, bytes)?)
}

/// Saves the export at `path`, returning the files written.
///
/// When `path` is a folder (see [`is_folder`]) it is created if needed and
/// receives one file per table (CSV) or chart (SVG), or `<stem>.<ext>` for
/// the other formats, each written without following links; otherwise
/// `path` is the file (see [`write_named`]). Standard output (`-`) is the
/// caller's to write: see [`export`].
pub fn save(
    appraisal: &Appraisal,
    results: &Results,
    options: &ExportOptions,
    format: Format,
    path: &Path,
    stem: &str,
) -> Result<Vec<PathBuf>, ExportError> {
    if is_folder(path) && format == Format::Csv {
        return save_csv_folder(appraisal, results, options, path);
    }
    if is_folder(path) {
        let files = export_files(appraisal, results, options, format, stem)?;
        create_folder(path)?;
        write_side_by_side(&files, |f| {
            let target = path.join(&f.name);
            write_derived(&target, &f.bytes)?;
            Ok(target)
        })
        .into_iter()
        .collect()
    } else {
        // Refuse a dangling link or a disk device before doing the work.
        match destination(path)? {
            Destination::File => {
                // Straight into the temporary file that replaces the old
                // one, so a large export is never held whole in memory.
                let mut failed = None;
                let written = crate::atomic::write_with(
                    path,
                    crate::atomic::Existing::Replace,
                    crate::atomic::Access::Usual,
                    |f| {
                        let mut w = std::io::BufWriter::with_capacity(1 << 20, f);
                        match super::export_to(appraisal, results, options, format, &mut w) {
                            Ok(()) => w.flush(),
                            Err(ExportError::Io(e)) => Err(e),
                            Err(e) => {
                                failed = Some(e);
                                Err(std::io::Error::other("the export failed"))
                            }
                        }
                    },
                );
                if let Some(e) = failed {
                    return Err(e);
                }
                written?;
            }
            Destination::Stream => {
                let mut buf = Vec::new();
                export(appraisal, results, options, format, &mut buf)?;
                write_named(path, &buf)?;
            }
        }
        Ok(vec![path.to_path_buf()])
    }
}

/// Creates the export folder `path` if it does not exist.
fn create_folder(path: &Path) -> Result<(), ExportError> {
    std::fs::create_dir_all(path).map_err(|e| {
        ExportError::Io(std::io::Error::new(
            e.kind(),
            format!("cannot create the folder {}: {e}", path.display()),
        ))
    })
}

/// How many files of a folder are written at once.
const FILES_AT_ONCE: usize = 64;

/// `write` for every item, many at once, the results in item order.
///
/// Each file is flushed to disk (`fsync`) before it is renamed into place,
/// and on most systems a flush waits for the disk far longer than the
/// writing takes: ten thousand files one or two at a time took most of a
/// minute here. The file system serves flushes that wait together in one go,
/// so the files are written by more threads than there are cores; the
/// threads mostly wait.
fn write_side_by_side<T: Sync>(
    items: &[T],
    write: impl Fn(&T) -> Result<PathBuf, ExportError> + Sync,
) -> Vec<Result<PathBuf, ExportError>> {
    static POOL: std::sync::OnceLock<Option<rayon::ThreadPool>> = std::sync::OnceLock::new();
    let pool = POOL.get_or_init(|| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(FILES_AT_ONCE)
            .thread_name(|i| format!("export-files-{i}"))
            .build()
            .ok()
    });
    let all = || items.par_iter().map(&write).collect();
    match pool {
        Some(pool) => pool.install(all),
        None => all(),
    }
}

/// Writes one CSV file per table into the folder `path`, each table written
/// as soon as it is made: the annex of a large appraisal has thousands, and
/// holding them all would take many times the memory of the appraisal.
fn save_csv_folder(
    appraisal: &Appraisal,
    results: &Results,
    options: &ExportOptions,
    path: &Path,
) -> Result<Vec<PathBuf>, ExportError> {
    let report = super::stream::ReportStream::new(appraisal, results, options)?;
    if report.table_count() == 0 {
        return Err(ExportError::NothingToWrite {
            format: Format::Csv,
            what: "tables",
            hint: "check the names given to --tables",
        });
    }
    create_folder(path)?;
    let mut written = Vec::with_capacity(report.table_count());
    report.runs(|blocks| {
        let tables: Vec<&super::ReportTable> = blocks
            .iter()
            .filter_map(|b| match b {
                super::Block::Table(t) => Some(t),
                _ => None,
            })
            .collect();
        let paths = write_side_by_side(&tables, |t| {
            let mut bytes = Vec::new();
            super::csv::write_table(t, options.excel_bom, &mut bytes)?;
            let target = path.join(format!("{}.csv", t.key));
            write_derived(&target, &bytes)?;
            Ok(target)
        });
        for p in paths {
            written.push(p?);
        }
        Ok::<(), ExportError>(())
    })?;
    Ok(written)
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
