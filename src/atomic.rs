//! Writing a file so that it is always either exactly as it was or exactly
//! the new contents, whatever happens: a full disk, a crash, the power going.
//!
//! This is the one writer behind every file the program writes: saving an
//! appraisal or a scoresheet, exports, panel reports, new scoresheets and
//! recovery files. The entry points:
//! - [`write`]: replace (or create) a file;
//! - [`write_new`]: create a file, never replacing one that is there;
//! - [`write_file`]: either, choosing who may read a new file ([`Access`]).
//!
//! What every write does (see [`write_file`] for the details):
//! - a hidden temporary file (`.appraise-save-XXXXXX`) is written in the same
//!   folder, flushed to disk (`fsync`), and renamed over the target; the
//!   folder is flushed too, so the rename itself lasts;
//! - a file that is replaced keeps its permissions (and its owner where the
//!   system allows);
//! - a read-only file is refused ([`WriteError::ReadOnly`]) rather than
//!   replaced, which the rename would otherwise allow in a writable folder;
//! - on any error the temporary file is removed and the target is untouched,
//!   and the message says so.
//!
//! Errors are [`WriteError`]s; callers that do more than write (saving,
//! exporting) wrap them with `#[from]`, so the cause stays reachable through
//! [`std::error::Error::source`].

use std::io::Write;
use std::path::{Path, PathBuf};

use thiserror::Error;

/// Why a file was not written. In every case the file on disk is as it was.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum WriteError {
    /// Reading or writing failed. The message says the file was not changed.
    #[error("could not write {}: {}; the file on disk was not changed", path.display(), describe(source))]
    Io {
        /// The file involved.
        path: PathBuf,
        /// What went wrong.
        source: std::io::Error,
    },
    /// The file is read-only, so it was not replaced.
    #[error(
        "{} is read-only, so it was not changed; save under another name, or make the file writable and save again",
        path.display()
    )]
    ReadOnly {
        /// The read-only file.
        path: PathBuf,
    },
    /// A file that must not be overwritten already exists.
    #[error("{} already exists, so it was left as it was", path.display())]
    Exists {
        /// The existing file.
        path: PathBuf,
    },
    /// Replacing the file would change who may read or write it, or split
    /// it from its other names, so it was not replaced.
    #[error(
        "{} was not changed: {reason}; save under another name instead",
        path.display()
    )]
    Unsafe {
        /// The file.
        path: PathBuf,
        /// What replacing it would break, in words.
        reason: String,
        /// The system's error, where one caused the refusal.
        #[source]
        source: Option<std::io::Error>,
    },
}

impl WriteError {
    /// The file the error is about.
    pub fn path(&self) -> &Path {
        match self {
            WriteError::Io { path, .. }
            | WriteError::ReadOnly { path }
            | WriteError::Exists { path }
            | WriteError::Unsafe { path, .. } => path,
        }
    }

    /// The nearest [`std::io::ErrorKind`], for callers that report through `io::Error`.
    pub fn kind(&self) -> std::io::ErrorKind {
        match self {
            WriteError::Io { source, .. } => source.kind(),
            WriteError::ReadOnly { .. } => std::io::ErrorKind::PermissionDenied,
            WriteError::Exists { .. } => std::io::ErrorKind::AlreadyExists,
            WriteError::Unsafe { .. } => std::io::ErrorKind::PermissionDenied,
        }
    }
}

/// How [`write_file`] treats a file already at the path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Existing {
    /// Replace it in one step, keeping its permissions (and, where allowed,
    /// its owner). A read-only file is refused with [`WriteError::ReadOnly`].
    Replace,
    /// Leave it alone and fail with [`WriteError::Exists`]; the check and the
    /// creation are one step, so a file that appears meanwhile is not lost.
    Keep,
}

/// Who may read a file that [`write_file`] creates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// The usual permissions for a new file, as the user's umask allows.
    Usual,
    /// The owner only (recovery files, which may hold confidential scoring).
    Private,
}

/// Writes `contents` to `path` atomically, replacing any file there: see
/// [`write_file`].
pub fn write(path: &Path, contents: &[u8]) -> Result<(), WriteError> {
    write_file(path, contents, Existing::Replace, Access::Usual)
}

/// Creates `path` with `contents`, failing with [`WriteError::Exists`] rather
/// than touching a file that is already there. Atomic like [`write`]:
/// a failure never leaves a partly written file under the name.
pub fn write_new(path: &Path, contents: &[u8]) -> Result<(), WriteError> {
    write_file(path, contents, Existing::Keep, Access::Usual)
}

/// Writes `contents` to `path` so that, whatever happens (a full disk, a
/// crash, the power going), the file is either exactly as it was or exactly
/// `contents`: a hidden temporary file (`.appraise-save-XXXXXX`) is written
/// in the same folder, flushed to disk, given the old file's permissions and
/// renamed over the target, and the folder is flushed so the rename lasts.
/// On any error the temporary file is removed and the target is untouched.
///
/// With [`Access::Usual`] a symbolic link is followed, so the file it points
/// to is replaced and the link stays a link; with [`Access::Private`] the
/// link itself is replaced and its target is never touched.
pub fn write_file(
    path: &Path,
    contents: &[u8],
    existing: Existing,
    access: Access,
) -> Result<(), WriteError> {
    write_with(path, existing, access, |f| f.write_all(contents))
}

/// Writes `contents` to `path` atomically like [`write`], but never through
/// a symbolic link: a link at `path` is replaced by the new file and what it
/// points at is left alone. For names the program makes up itself (a file
/// per table in an export folder), where a link planted by someone who can
/// write to the folder must not redirect the write.
pub fn write_no_follow(path: &Path, contents: &[u8]) -> Result<(), WriteError> {
    write_links(path, Existing::Replace, Access::Usual, false, |f| {
        f.write_all(contents)
    })
}

/// [`write_file`] with the body written by `fill`, so tests can make the
/// writing fail part-way as a full disk would, and callers can stream a
/// large file instead of holding it in memory.
pub(crate) fn write_with(
    path: &Path,
    existing: Existing,
    access: Access,
    fill: impl FnOnce(&mut std::fs::File) -> std::io::Result<()>,
) -> Result<(), WriteError> {
    // A file the user named is written through a symbolic link to the file
    // it points at. A private file (a recovery file, whose name is derived,
    // in a folder others may write to) never is: a link planted there is
    // replaced, not followed, so it cannot redirect the write elsewhere.
    write_links(path, existing, access, access == Access::Usual, fill)
}

/// [`write_with`], saying whether a symbolic link at `path` is followed.
pub(crate) fn write_links(
    path: &Path,
    existing: Existing,
    access: Access,
    follow: bool,
    fill: impl FnOnce(&mut std::fs::File) -> std::io::Result<()>,
) -> Result<(), WriteError> {
    let is_link = std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
    let target = match (follow && is_link).then(|| std::fs::canonicalize(path)) {
        Some(Ok(real)) => real,
        _ => path.to_owned(),
    };
    let io = |source| WriteError::Io {
        path: path.to_owned(),
        source,
    };
    let dir = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
        _ => PathBuf::from("."),
    };
    let old = if follow {
        std::fs::metadata(&target).ok()
    } else {
        std::fs::symlink_metadata(&target)
            .ok()
            .filter(|m| !m.file_type().is_symlink())
    };
    if let Some(m) = &old {
        if m.is_dir() {
            return Err(io(std::io::Error::new(
                std::io::ErrorKind::IsADirectory,
                "it is a folder",
            )));
        }
        match existing {
            Existing::Keep => {
                return Err(WriteError::Exists {
                    path: path.to_owned(),
                });
            }
            Existing::Replace if m.permissions().readonly() || !may_write(&target) => {
                return Err(WriteError::ReadOnly {
                    path: path.to_owned(),
                });
            }
            Existing::Replace => {}
        }
        #[cfg(unix)]
        if follow {
            use std::os::unix::fs::MetadataExt;
            if m.nlink() > 1 {
                return Err(WriteError::Unsafe {
                    path: path.to_owned(),
                    reason: format!(
                        "it has {} names (hard links), and replacing it would leave the others with the old version",
                        m.nlink()
                    ),
                    source: None,
                });
            }
        }
    }
    let mut builder = tempfile::Builder::new();
    builder.prefix(TEMP_PREFIX);
    #[cfg(unix)]
    if access == Access::Usual && old.is_none() {
        use std::os::unix::fs::PermissionsExt;
        // Temp files are owner-only by default; a new saved file should not be.
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    let mut tmp = builder.tempfile_in(&dir).map_err(io)?;
    fill(tmp.as_file_mut()).map_err(io)?;
    if let Some(m) = &old {
        tmp.as_file().set_permissions(m.permissions()).map_err(io)?;
        #[cfg(unix)]
        if follow {
            keep_owner(tmp.as_file(), m).map_err(|(reason, source)| WriteError::Unsafe {
                path: path.to_owned(),
                reason,
                source,
            })?;
            // After the permissions: an ACL sets the mode's group bits too.
            copy_attributes(&target, tmp.as_file()).map_err(|(reason, source)| {
                WriteError::Unsafe {
                    path: path.to_owned(),
                    reason,
                    source: Some(source),
                }
            })?;
        }
    }
    tmp.as_file().sync_all().map_err(io)?;
    match existing {
        Existing::Replace => tmp.persist(&target).map(drop).map_err(|e| io(e.error))?,
        Existing::Keep => match tmp.persist_noclobber(&target) {
            Ok(_) => {}
            Err(e) if e.error.kind() == std::io::ErrorKind::AlreadyExists => {
                return Err(WriteError::Exists {
                    path: path.to_owned(),
                });
            }
            Err(e) => {
                // File systems with neither hard links nor RENAME_NOREPLACE
                // (FAT, some network shares): claim the name with an
                // exclusive create, then rename the full file over it.
                let tmp = e.file;
                match std::fs::File::options()
                    .write(true)
                    .create_new(true)
                    .open(&target)
                {
                    Ok(_) => {}
                    Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                        return Err(WriteError::Exists {
                            path: path.to_owned(),
                        });
                    }
                    Err(e) => return Err(io(e)),
                }
                if let Err(e) = tmp.persist(&target) {
                    let _ = std::fs::remove_file(&target);
                    return Err(io(e.error));
                }
            }
        },
    }
    // Make the rename itself durable where the platform allows it.
    if let Ok(d) = std::fs::File::open(&dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

/// The prefix of every temporary file this writer makes.
pub const TEMP_PREFIX: &str = ".appraise-save-";

/// How long a temporary file must have been left alone before it is taken
/// for one a crash left behind. A save writes its temporary file and renames
/// it within moments, so one untouched for this long belongs to no save in
/// progress, on this machine or another sharing the folder.
pub const LEFTOVER_AGE: std::time::Duration = std::time::Duration::from_secs(15 * 60);

/// Removes the temporary files (`.appraise-save-XXXXXX`) that a crash or a
/// `kill -9` part-way through a save left in `dir`, where that is safe: the
/// file is a plain file (not a link), it belongs to this user, and nothing
/// has written to it for [`LEFTOVER_AGE`]. Returns what was removed.
pub fn remove_leftovers(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut removed = Vec::new();
    for e in entries.flatten() {
        let name = e.file_name();
        if !name.to_string_lossy().starts_with(TEMP_PREFIX) {
            continue;
        }
        let path = e.path();
        let Ok(m) = std::fs::symlink_metadata(&path) else {
            continue;
        };
        let old = m
            .modified()
            .ok()
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age >= LEFTOVER_AGE);
        #[cfg(unix)]
        let mine = {
            use std::os::unix::fs::MetadataExt;
            m.uid() == rustix::process::geteuid().as_raw()
        };
        #[cfg(not(unix))]
        let mine = true;
        if m.file_type().is_file() && old && mine && std::fs::remove_file(&path).is_ok() {
            removed.push(path);
        }
    }
    removed.sort();
    removed
}

/// Whether the system says this user may write the file at `path`: the
/// permission bits, ACLs and the file system all count, as they do when the
/// file is opened. (The rename that replaces a file needs only the folder to
/// be writable, so without this check anyone who may write a shared folder
/// could replace a file they may only read, and become its owner.)
fn may_write(path: &Path) -> bool {
    #[cfg(unix)]
    {
        use rustix::fs::{Access, AtFlags, CWD, accessat};
        // EACCESS: as the effective user, who does the writing.
        match accessat(CWD, path, Access::WRITE_OK, AtFlags::EACCESS) {
            Ok(()) => true,
            Err(e) => e != rustix::io::Errno::ACCESS && e != rustix::io::Errno::PERM,
        }
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        true
    }
}

/// Gives the new file the old one's owner and group. Without this a user
/// who may write someone else's file (through its group, say) would become
/// its owner on saving; where the system does not allow keeping them (and
/// the group could do anything with the file), the reason is returned and
/// nothing is replaced.
#[cfg(unix)]
fn keep_owner(
    file: &std::fs::File,
    old: &std::fs::Metadata,
) -> Result<(), (String, Option<std::io::Error>)> {
    use std::os::unix::fs::MetadataExt;
    let new = file
        .metadata()
        .map_err(|e| ("its owner could not be read".to_owned(), Some(e)))?;
    if (new.uid(), new.gid()) == (old.uid(), old.gid()) {
        return Ok(());
    }
    match std::os::unix::fs::fchown(file, Some(old.uid()), Some(old.gid())) {
        Ok(()) => Ok(()),
        Err(e) if new.uid() != old.uid() => Err((
            format!(
                "it belongs to another user (uid {}), and replacing it would make it yours",
                old.uid()
            ),
            Some(e),
        )),
        // A group that may do nothing with the file can change harmlessly.
        Err(_) if old.mode() & 0o070 == 0 => Ok(()),
        Err(e) => Err((
            format!(
                "its group (gid {}) could not be kept, so others could lose access",
                old.gid()
            ),
            Some(e),
        )),
    }
}

/// Copies the old file's extended attributes to the new one, among them its
/// POSIX ACL (`system.posix_acl_access`), so that saving does not change who
/// may read it. A file system without extended attributes has none to copy;
/// one that cannot be copied is a reason not to save.
#[cfg(unix)]
fn copy_attributes(from: &Path, to: &std::fs::File) -> Result<(), (String, std::io::Error)> {
    use xattr::FileExt;
    let names = match xattr::list(from) {
        Ok(names) => names,
        Err(e) if e.raw_os_error() == Some(rustix::io::Errno::NOTSUP.raw_os_error()) => {
            return Ok(());
        }
        Err(e) => return Err(("its extended attributes could not be read".to_owned(), e)),
    };
    for name in names {
        let shown = name.to_string_lossy().into_owned();
        let what = if shown == "system.posix_acl_access" {
            "its access control list (ACL)".to_owned()
        } else {
            format!("its extended attribute {shown}")
        };
        let value = match xattr::get(from, &name) {
            Ok(Some(v)) => v,
            Ok(None) => continue,
            Err(e) => return Err((format!("{what} could not be read"), e)),
        };
        if let Ok(Some(same)) = to.get_xattr(&name)
            && same == value
        {
            continue;
        }
        to.set_xattr(&name, &value)
            .map_err(|e| (format!("{what} could not be carried over"), e))?;
    }
    Ok(())
}

/// A write failure in plain words, with the system's own wording after it.
pub(crate) fn describe(e: &std::io::Error) -> String {
    use std::io::ErrorKind as K;
    let plain = match e.kind() {
        K::StorageFull => "the disk is full",
        K::QuotaExceeded => "your disk quota is used up",
        K::FileTooLarge => "the file is larger than this system allows",
        K::ReadOnlyFilesystem => "the disk is read-only",
        K::PermissionDenied => "permission was refused",
        K::NotFound => "the folder does not exist",
        K::IsADirectory => return "it is a folder, not a file".to_owned(),
        _ => return e.to_string(),
    };
    format!("{plain} ({e})")
}

#[cfg(test)]
mod tests {
    use super::*;

    const SMALL: &str = "[appraisal]\ntitle = \"Library review\"\n";

    /// Names in `dir`, sorted.
    fn listing(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn a_write_that_fails_part_way_leaves_the_old_file_and_no_temp_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("review.toml");
        std::fs::write(&path, SMALL).unwrap();
        // As a full disk does: some bytes are written, then the write fails.
        let err = write_with(&path, Existing::Replace, Access::Usual, |f| {
            f.write_all(b"[appraisal]\ntitle = \"Half")?;
            Err(std::io::Error::from(std::io::ErrorKind::StorageFull))
        })
        .unwrap_err();
        let msg = err.to_string();
        assert!(msg.contains("review.toml"), "{msg}");
        assert!(msg.contains("the disk is full"), "{msg}");
        assert!(msg.contains("the file on disk was not changed"), "{msg}");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), SMALL);
        assert_eq!(listing(dir.path()), ["review.toml"]);
        // A new file that fails part-way is not created at all.
        let fresh = dir.path().join("fresh.toml");
        let err = write_with(&fresh, Existing::Keep, Access::Usual, |f| {
            f.write_all(b"x")?;
            Err(std::io::Error::from(std::io::ErrorKind::FileTooLarge))
        })
        .unwrap_err();
        assert!(
            err.to_string().contains("larger than this system allows"),
            "{err}"
        );
        assert!(!fresh.exists());
        assert_eq!(listing(dir.path()), ["review.toml"]);
    }

    #[test]
    fn a_read_only_file_is_refused_and_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("review.toml");
        std::fs::write(&path, SMALL).unwrap();
        let mut perms = std::fs::metadata(&path).unwrap().permissions();
        perms.set_readonly(true);
        std::fs::set_permissions(&path, perms).unwrap();
        let err = write(&path, b"new").unwrap_err();
        assert!(matches!(err, WriteError::ReadOnly { .. }), "{err}");
        assert!(
            err.to_string()
                .contains("is read-only, so it was not changed")
        );
        assert_eq!(std::fs::read_to_string(&path).unwrap(), SMALL);
        assert_eq!(listing(dir.path()), ["review.toml"]);
    }

    #[test]
    fn only_old_leftover_temporary_files_of_this_user_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        let old = dir.path().join(".appraise-save-AbC123");
        let fresh = dir.path().join(".appraise-save-XyZ789");
        let other = dir.path().join("review.toml");
        for p in [&old, &fresh, &other] {
            std::fs::write(p, SMALL).unwrap();
        }
        let long_ago = std::time::SystemTime::now() - LEFTOVER_AGE * 2;
        for p in [&old, &other] {
            std::fs::File::options()
                .write(true)
                .open(p)
                .unwrap()
                .set_modified(long_ago)
                .unwrap();
        }
        assert_eq!(remove_leftovers(dir.path()), vec![old.clone()]);
        assert!(!old.exists());
        assert!(fresh.exists(), "a save may still be writing it");
        assert!(other.exists(), "only temporary files are touched");
        #[cfg(unix)]
        {
            // A link with the name is not followed or removed.
            let link = dir.path().join(".appraise-save-link00");
            std::os::unix::fs::symlink(&other, &link).unwrap();
            assert!(remove_leftovers(dir.path()).is_empty());
            assert!(other.exists());
        }
    }

    #[test]
    fn write_new_never_replaces_a_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sheet.toml");
        write_new(&path, b"first").unwrap();
        let err = write_new(&path, b"second").unwrap_err();
        assert!(matches!(err, WriteError::Exists { .. }), "{err}");
        assert!(
            err.to_string()
                .contains("already exists, so it was left as it was")
        );
        assert_eq!(std::fs::read(&path).unwrap(), b"first");
        assert_eq!(listing(dir.path()), ["sheet.toml"]);
    }

    #[test]
    fn folders_and_missing_folders_are_errors_with_reasons() {
        let dir = tempfile::tempdir().unwrap();
        let err = write(dir.path(), b"x").unwrap_err();
        assert!(err.to_string().contains("it is a folder"), "{err}");
        let err = write(&dir.path().join("no/such.toml"), b"x").unwrap_err();
        assert!(
            err.to_string().contains("the folder does not exist"),
            "{err}"
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_symbolic_link_stays_a_link_and_its_target_is_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.toml");
        let link = dir.path().join("link.toml");
        std::fs::write(&real, "old").unwrap();
        std::os::unix::fs::symlink(&real, &link).unwrap();
        write(&link, b"new").unwrap();
        assert!(
            std::fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(std::fs::read(&real).unwrap(), b"new");
        assert_eq!(listing(dir.path()), ["link.toml", "real.toml"]);
    }
}
