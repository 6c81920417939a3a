//! Saving an edited appraisal to its file: the text is edited so that only
//! changed values are rewritten ([`crate::document`]), a file changed on disk
//! since it was read is not overwritten unless asked, and the file is
//! replaced in one step ([`crate::atomic`]).

use std::path::{Path, PathBuf};

use thiserror::Error;

use crate::atomic::{self, WriteError};
use crate::document::{self, DocumentError};
use crate::model::Appraisal;

/// Why a save did not happen. In every case the file on disk is as it was.
#[derive(Debug, Error)]
pub enum SaveError {
    /// The edits could not be applied to the file's text.
    #[error(transparent)]
    Document(#[from] DocumentError),
    /// Writing the file failed.
    #[error(transparent)]
    Write(#[from] WriteError),
    /// The file on disk changed since it was loaded.
    #[error("{} was changed by something else since it was opened", path.display())]
    Conflict {
        /// The file that changed.
        path: PathBuf,
    },
    /// There is no file to save to (the bundled example): a name must be chosen.
    #[error("the bundled example has no file of its own; choose where to save")]
    NoFile,
}

/// A cheap, stable fingerprint of a file's bytes (64-bit FNV-1a plus length),
/// used to notice that a file changed on disk. Stable across runs and builds,
/// unlike `std`'s hasher, so it can be stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Fingerprint {
    hash: u64,
    len: u64,
}

impl Fingerprint {
    /// Fingerprints some bytes.
    pub fn of(bytes: &[u8]) -> Fingerprint {
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        for b in bytes {
            hash ^= u64::from(*b);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
        Fingerprint {
            hash,
            len: bytes.len() as u64,
        }
    }

    /// The fingerprint as text, to be stored: `HASH-LENGTH` in hex and decimal.
    pub fn to_text(&self) -> String {
        format!("{:016x}-{}", self.hash, self.len)
    }

    /// Reads a fingerprint written by [`Fingerprint::to_text`].
    pub fn parse(text: &str) -> Option<Fingerprint> {
        let (hash, len) = text.split_once('-')?;
        Some(Fingerprint {
            hash: u64::from_str_radix(hash, 16).ok()?,
            len: len.parse().ok()?,
        })
    }

    /// The 64-bit hash alone, for naming things after a fingerprint.
    pub fn hash(&self) -> u64 {
        self.hash
    }

    /// Fingerprints the file at `path` as it is now; `None` if it cannot be read
    /// (for example because it was deleted).
    pub fn of_file(path: &Path) -> Option<Fingerprint> {
        std::fs::read(path).ok().map(|b| Fingerprint::of(&b))
    }
}

/// `text` with a byte-order mark in front if the file at `path` starts with
/// one and `text` does not (the loader drops the mark), so a save keeps it.
pub fn with_mark_on_disk<'a>(path: &Path, text: &'a str) -> std::borrow::Cow<'a, str> {
    let marked = || {
        use std::io::Read;
        let mut head = [0u8; 3];
        std::fs::File::open(path)
            .and_then(|mut f| f.read_exact(&mut head))
            .is_ok_and(|()| head == [0xef, 0xbb, 0xbf])
    };
    if !text.starts_with(document::BOM) && marked() {
        std::borrow::Cow::Owned(format!("{}{text}", document::BOM))
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

/// The text a file was loaded as, and its fingerprint, as they are on disk:
/// the loader drops a byte-order mark, which is put back here so that the
/// file is not taken for changed and a save keeps the mark. If the file on
/// disk is not (any longer) the text given, the text's own fingerprint is
/// kept, so a later save notices the change.
pub fn as_on_disk(path: &Path, text: String) -> (String, Fingerprint) {
    let own = Fingerprint::of(text.as_bytes());
    let Ok(bytes) = std::fs::read(path) else {
        return (text, own);
    };
    let disk = Fingerprint::of(&bytes);
    if disk == own {
        return (text, own);
    }
    match bytes.strip_prefix(&[0xef, 0xbb, 0xbf]) {
        Some(rest) if rest == text.as_bytes() => (format!("{}{text}", document::BOM), disk),
        _ => (text, own),
    }
}

/// What a successful [`save`] wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Saved {
    /// The text now on disk.
    pub text: String,
    /// Its fingerprint, to compare against on the next save.
    pub fingerprint: Fingerprint,
}

/// The text [`save`] writes for `appraisal` at `path`: `original` edited,
/// keeping the byte-order mark of the file there, or written afresh.
pub fn text(
    path: &Path,
    original: Option<&str>,
    appraisal: &Appraisal,
) -> Result<String, SaveError> {
    Ok(match original {
        Some(o) => document::update_document(&with_mark_on_disk(path, o), appraisal)?,
        None => document::to_toml(appraisal),
    })
}

/// Saves `appraisal` to `path`, editing `original` (the text it was loaded
/// from, if any) so that untouched parts stay byte-identical.
///
/// If `expected` is given and the file on disk no longer matches it,
/// nothing is written and [`SaveError::Conflict`] is returned, unless `force`.
pub fn save(
    path: &Path,
    original: Option<&str>,
    appraisal: &Appraisal,
    expected: Option<Fingerprint>,
    force: bool,
) -> Result<Saved, SaveError> {
    if let (Some(expected), false) = (expected, force) {
        let now = Fingerprint::of_file(path);
        // A file that has vanished is not a conflict: saving recreates it.
        if now.is_some_and(|now| now != expected) {
            return Err(SaveError::Conflict {
                path: path.to_owned(),
            });
        }
    }
    let text = text(path, original, appraisal)?;
    atomic::write(path, text.as_bytes())?;
    let fingerprint = Fingerprint::of(text.as_bytes());
    Ok(Saved { text, fingerprint })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::tests::{SMALL, loaded};
    use crate::load::load_str;

    #[test]
    fn atomic_write_keeps_permissions_and_detects_conflicts() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("small.toml");
        std::fs::write(&path, SMALL).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
        }
        let fp = Fingerprint::of(SMALL.as_bytes());
        let mut a = loaded();
        a.set_score(0, 0, Some(0.0)).unwrap();
        let saved = save(&path, Some(SMALL), &a, Some(fp), false).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), saved.text);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o640);
        }
        // No temp files are left behind.
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(names.len(), 1);
        // A new file is not left owner-only, as temp files are.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let fresh = dir.path().join("fresh.toml");
            atomic::write(&fresh, b"x").unwrap();
            let mode = std::fs::metadata(&fresh).unwrap().permissions().mode();
            // The same as any newly created file under the current umask.
            let plain = dir.path().join("plain.toml");
            std::fs::write(&plain, b"x").unwrap();
            let want = std::fs::metadata(&plain).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, want & 0o777);
            std::fs::remove_file(&fresh).unwrap();
            std::fs::remove_file(&plain).unwrap();
        }
        // Someone else edits the file: the old fingerprint no longer matches.
        std::fs::write(&path, "# changed elsewhere\n").unwrap();
        let err = save(&path, Some(SMALL), &a, Some(saved.fingerprint), false).unwrap_err();
        assert!(matches!(err, SaveError::Conflict { .. }));
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            "# changed elsewhere\n"
        );
        save(&path, Some(SMALL), &a, Some(saved.fingerprint), true).unwrap();
        assert_eq!(load_str("p", &saved.text).unwrap().appraisal, a);
    }

    #[test]
    fn fingerprints_are_stable() {
        assert_eq!(Fingerprint::of(b"").hash, 0xcbf2_9ce4_8422_2325);
        assert_ne!(Fingerprint::of(b"a"), Fingerprint::of(b"b"));
        assert_eq!(Fingerprint::of(b"abc"), Fingerprint::of(b"abc"));
    }
}
