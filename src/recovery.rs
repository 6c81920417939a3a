//! Recovery files: unsaved work kept on disk while the scoring screen runs,
//! so that a crash, a closed window or a power cut loses at most a moment.
//!
//! See [`recovery_path`] for where they live. They are written with the
//! atomic writer, owner-only, and never through a symbolic link.

use std::path::{Path, PathBuf};

use crate::atomic::{Access, Existing, WriteError, write_file};
use crate::save::Fingerprint;

/// Where unsaved work on `file` is kept until it is saved or discarded.
///
/// Beside the file, hidden: `dir/.NAME.appraise-recovery`, so it travels with
/// the work and is easy to find. For the bundled example (no file), or when
/// `APPRAISE_STATE_DIR` is set, it goes in the state folder instead:
/// `$APPRAISE_STATE_DIR`, else `$XDG_STATE_HOME/appraise`, else
/// `~/.local/state/appraise` (on Windows, `%LOCALAPPDATA%\appraise`).
pub fn recovery_path(file: Option<&Path>) -> Option<PathBuf> {
    let state = state_dir();
    match file {
        Some(f) => {
            let name = f.file_name()?.to_string_lossy().into_owned();
            let dir = match f.parent() {
                Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
                _ => PathBuf::from("."),
            };
            match (std::env::var_os("APPRAISE_STATE_DIR"), state) {
                (Some(_), Some(s)) => {
                    // Several files may share a state folder: name by the full path.
                    let full = std::path::absolute(f).unwrap_or_else(|_| f.to_owned());
                    let tag = Fingerprint::of(full.to_string_lossy().as_bytes()).hash();
                    Some(s.join(format!("{name}.{tag:016x}.appraise-recovery")))
                }
                _ => Some(dir.join(format!(".{name}.appraise-recovery"))),
            }
        }
        None => state.map(|s| s.join("example.appraise-recovery")),
    }
}

fn state_dir() -> Option<PathBuf> {
    let non_empty = |k: &str| std::env::var_os(k).filter(|v| !v.is_empty());
    if let Some(d) = non_empty("APPRAISE_STATE_DIR") {
        return Some(PathBuf::from(d));
    }
    if let Some(d) = non_empty("XDG_STATE_HOME") {
        return Some(PathBuf::from(d).join("appraise"));
    }
    if cfg!(windows)
        && let Some(d) = non_empty("LOCALAPPDATA")
    {
        return Some(PathBuf::from(d).join("appraise"));
    }
    non_empty("HOME").map(|h| PathBuf::from(h).join(".local/state/appraise"))
}

/// The first line of every recovery file, so it explains itself if found by hand.
pub const RECOVERY_HEADER: &str = "# appraise recovery file: unsaved changes, kept in case of a crash. Open the original with appraise to restore or discard them.\n";

/// Writes the recovery file for unsaved work (atomically, creating its folder).
pub fn write_recovery(recovery: &Path, text: &str) -> Result<(), WriteError> {
    if let Some(dir) = recovery.parent()
        && !dir.as_os_str().is_empty()
    {
        std::fs::create_dir_all(dir).map_err(|source| WriteError::Io {
            path: dir.to_owned(),
            source,
        })?;
    }
    // A byte-order mark belongs at the start of a file, not after the header.
    let text = text.strip_prefix(crate::document::BOM).unwrap_or(text);
    let mut body = String::with_capacity(RECOVERY_HEADER.len() + text.len());
    body.push_str(RECOVERY_HEADER);
    body.push_str(text);
    // Recovery files may hold confidential scoring: owner-only, like temp files.
    write_file(
        recovery,
        body.as_bytes(),
        Existing::Replace,
        Access::Private,
    )
}

/// Reads a recovery file, returning the appraisal text without its header.
pub fn read_recovery(recovery: &Path) -> Option<String> {
    let text = std::fs::read_to_string(recovery).ok()?;
    Some(
        text.strip_prefix(RECOVERY_HEADER)
            .map_or(text.clone(), str::to_owned),
    )
}

/// Removes a recovery file; a file that is already gone is fine.
pub fn remove_recovery(recovery: &Path) -> Result<(), WriteError> {
    match std::fs::remove_file(recovery) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(source) => Err(WriteError::Io {
            path: recovery.to_owned(),
            source,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SMALL: &str = "[appraisal]\ntitle = \"Library review\"\n";

    #[cfg(unix)]
    #[test]
    fn a_link_planted_at_the_recovery_path_is_replaced_not_followed() {
        let dir = tempfile::tempdir().unwrap();
        let victim = dir.path().join("victim.txt");
        std::fs::write(&victim, "precious").unwrap();
        let rec = dir.path().join(".review.toml.appraise-recovery");
        std::os::unix::fs::symlink(&victim, &rec).unwrap();
        write_recovery(&rec, SMALL).unwrap();
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious");
        assert!(std::fs::symlink_metadata(&rec).unwrap().is_file());
        assert_eq!(read_recovery(&rec).unwrap(), SMALL);
    }

    #[cfg(unix)]
    #[test]
    fn recovery_files_are_owner_only() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let rec = dir.path().join(".review.toml.appraise-recovery");
        write_recovery(&rec, SMALL).unwrap();
        let mode = std::fs::metadata(&rec).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
        write_recovery(&rec, "again").unwrap();
        let mode = std::fs::metadata(&rec).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }

    #[test]
    fn recovery_files_sit_beside_the_file_and_round_trip() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("review.toml");
        if std::env::var_os("APPRAISE_STATE_DIR").is_none() {
            assert_eq!(
                recovery_path(Some(&file)).unwrap(),
                dir.path().join(".review.toml.appraise-recovery")
            );
        }
        let rec = dir.path().join("sub/.review.toml.appraise-recovery");
        write_recovery(&rec, SMALL).unwrap();
        assert_eq!(read_recovery(&rec).unwrap(), SMALL);
        remove_recovery(&rec).unwrap();
        assert!(read_recovery(&rec).is_none());
        remove_recovery(&rec).unwrap();
    }
}
