//! Recovery files: unsaved work kept on disk while the scoring screen runs,
//! so that a crash, a closed window or a power cut loses at most a moment.
//!
//! See [`recovery_path`] for where they live. They are written with the
//! atomic writer, owner-only, and never through a symbolic link.

use std::path::{Path, PathBuf};
use std::time::Duration;

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
    write_recovery_on(recovery, text, None, None)
}

/// The line that records which version of the file the work was based on.
const BASE_LINE: &str = "# based on the file with fingerprint ";

/// The line after the work that opens the copy of the version it was based
/// on; each line of that copy follows as a comment, so that the recovery
/// file stays an appraisal that loads as the work.
const BASE_TEXT_LINE: &str =
    "# the file as this work found it, kept to tell your changes from later ones made elsewhere:\n";

/// The prefix of each line of the kept copy of the base version.
const BASE_TEXT_PREFIX: &str = "#| ";

/// Unsaved work read back from a recovery file.
#[derive(Debug, Clone, PartialEq)]
pub struct Kept {
    /// The appraisal text of the work.
    pub text: String,
    /// The fingerprint of the version of the file the work was based on.
    pub base: Option<Fingerprint>,
    /// That version's text, when the file kept it (older files did not).
    pub base_text: Option<String>,
}

/// Writes the recovery file for work based on the version of the file with
/// fingerprint `base` and text `base_text`, so that a restore can tell
/// whether the file has changed since (a colleague's edits) and, cell by
/// cell, who changed what.
pub fn write_recovery_on(
    recovery: &Path,
    text: &str,
    base: Option<Fingerprint>,
    base_text: Option<&str>,
) -> Result<(), WriteError> {
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
    let base_len = base_text.map_or(0, |b| b.len() + b.lines().count() * 4);
    let mut body = String::with_capacity(RECOVERY_HEADER.len() + text.len() + base_len + 128);
    body.push_str(RECOVERY_HEADER);
    if let Some(b) = base {
        body.push_str(&format!("{BASE_LINE}{}\n", b.to_text()));
    }
    body.push_str(text);
    if let Some(b) = base_text {
        if !body.ends_with('\n') {
            body.push('\n');
        }
        body.push_str(BASE_TEXT_LINE);
        let b = b.strip_prefix(crate::document::BOM).unwrap_or(b);
        for line in b.split_inclusive('\n') {
            body.push_str(BASE_TEXT_PREFIX);
            body.push_str(line);
        }
        if !body.ends_with('\n') {
            body.push('\n');
        }
    }
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
    read_recovery_on(recovery).map(|k| k.text)
}

/// Reads a recovery file: the work, and what is known of the version of the
/// file it was based on.
pub fn read_recovery_on(recovery: &Path) -> Option<Kept> {
    let text = std::fs::read_to_string(recovery).ok()?;
    let Some(rest) = text.strip_prefix(RECOVERY_HEADER) else {
        return Some(Kept {
            text,
            base: None,
            base_text: None,
        });
    };
    let (base, rest) = match rest
        .strip_prefix(BASE_LINE)
        .and_then(|a| a.split_once('\n'))
    {
        Some((fp, body)) => (Fingerprint::parse(fp.trim()), body),
        None => (None, rest),
    };
    let (work, base_text) = match rest.rfind(BASE_TEXT_LINE) {
        Some(at) if at == 0 || rest[..at].ends_with('\n') => {
            let kept: String = rest[at + BASE_TEXT_LINE.len()..]
                .split_inclusive('\n')
                .map(|l| l.strip_prefix(BASE_TEXT_PREFIX).unwrap_or(l))
                .collect();
            (&rest[..at], Some(kept))
        }
        _ => (rest, None),
    };
    Some(Kept {
        text: work.to_owned(),
        base,
        base_text,
    })
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

// ---------------------------------------------------------------- copies

/// How often a running copy refreshes its lock file's time, so that copies
/// on other machines can tell it is still running.
pub const HEARTBEAT: Duration = Duration::from_secs(30);

/// A lock not refreshed for this long, from another machine, is taken as
/// stale: the copy that wrote it has stopped without removing it (a crash,
/// a power cut, a dropped network drive). Its recovery work is then offered
/// like any other, and the user chooses what to do with it.
pub const STALE_AFTER: Duration = Duration::from_secs(120);

/// Who has a file open: one running copy of the program.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Owner {
    /// The user's login name.
    pub user: String,
    /// The machine's name.
    pub host: String,
    /// The process id on that machine.
    pub pid: u32,
    /// When the copy opened the file, in seconds since 1970.
    pub since: u64,
    /// The name of the recovery file that copy writes (in the same folder).
    pub recovery: String,
}

impl Owner {
    fn this_copy(recovery: &Path) -> Owner {
        let user = ["USER", "LOGNAME", "USERNAME"]
            .iter()
            .find_map(|k| std::env::var(k).ok().filter(|v| !v.is_empty()))
            .or_else(login_name)
            .unwrap_or_else(|| "someone".to_owned());
        Owner {
            user: clean(&user),
            host: clean(&host_name()),
            pid: std::process::id(),
            since: now_secs(),
            recovery: file_name(recovery),
        }
    }

    fn to_text(&self) -> String {
        format!(
            "# appraise lock: this file is open in appraise. It is removed when appraise closes.\n\
             user = {}\nhost = {}\npid = {}\nsince = {}\nrecovery = {}\n",
            self.user, self.host, self.pid, self.since, self.recovery
        )
    }

    fn parse(text: &str) -> Option<Owner> {
        let field = |k: &str| {
            text.lines()
                .filter_map(|l| l.split_once(" = "))
                .find(|(key, _)| *key == k)
                .map(|(_, v)| v.trim().to_owned())
        };
        Some(Owner {
            user: field("user")?,
            host: field("host")?,
            pid: field("pid")?.parse().ok()?,
            since: field("since")?.parse().ok()?,
            recovery: field("recovery")?,
        })
    }

    /// "alice on pc-12 (process 1234), open for 12 minutes".
    pub fn describe(&self) -> String {
        format!(
            "{} on {} (process {}), open for {}",
            self.user,
            self.host,
            self.pid,
            ago(now_secs().saturating_sub(self.since))
        )
    }
}

/// A time span in words: "2 minutes", "3 hours".
pub fn ago(secs: u64) -> String {
    let (n, unit) = match secs {
        0..120 => (secs.max(1), "second"),
        120..7200 => (secs / 60, "minute"),
        7200..172_800 => (secs / 3600, "hour"),
        _ => (secs / 86_400, "day"),
    };
    format!("{n} {unit}{}", if n == 1 { "" } else { "s" })
}

/// Another copy that has (or had) the same file open.
#[derive(Debug, Clone)]
pub struct OtherCopy {
    /// Who it is.
    pub owner: Owner,
    /// Its lock file.
    pub lock: PathBuf,
    /// Whether it is still running, as far as can be told (see [`Claim`]).
    pub live: bool,
    /// Seconds since it last refreshed its lock.
    pub quiet_for: u64,
}

/// This copy's hold on a file: its own lock file beside the file, naming
/// who has it open, and its own recovery file, so that two copies on one
/// file never share (or delete) each other's unsaved work.
///
/// How another copy's lock is judged: on the same machine, it is live while
/// its process runs (a lock left by a process that has ended is removed);
/// from another machine (a shared network drive), it is live while it keeps
/// being refreshed, every [`HEARTBEAT`], and stale once it has been quiet for
/// [`STALE_AFTER`]. A stale copy's recovery work is offered on opening, with
/// who left it and how long ago, and the user decides whether to restore it.
#[derive(Debug)]
pub struct Claim {
    lock: PathBuf,
    recovery: PathBuf,
    others: Vec<OtherCopy>,
}

impl Claim {
    /// Takes a hold on the file whose plain recovery path is `plain` (see
    /// [`recovery_path`]): looks at the other copies' locks, chooses this
    /// copy's recovery file (the plain one unless a live copy has it), and
    /// writes this copy's lock. A lock that cannot be written (a read-only
    /// folder) leaves the claim without one.
    pub fn take(plain: &Path) -> Claim {
        let others = other_copies(plain);
        let taken = others
            .iter()
            .any(|o| o.live && o.owner.recovery == file_name(plain));
        let tag = format!("{}-{}", clean(&host_name()), std::process::id());
        let recovery = if taken {
            with_suffix(plain, &format!(".{tag}"))
        } else {
            plain.to_owned()
        };
        let lock = lock_prefix(plain).map_or_else(
            || with_suffix(plain, ".lock"),
            |p| with_suffix(&p, &format!(".{tag}")),
        );
        let owner = Owner::this_copy(&recovery);
        if let Some(dir) = lock.parent().filter(|d| !d.as_os_str().is_empty()) {
            let _ = std::fs::create_dir_all(dir);
        }
        let _ = write_file(
            &lock,
            owner.to_text().as_bytes(),
            Existing::Replace,
            Access::Private,
        );
        Claim {
            lock,
            recovery,
            others,
        }
    }

    /// This copy's recovery file.
    pub fn recovery(&self) -> &Path {
        &self.recovery
    }

    /// The other copies found when the claim was taken.
    pub fn others(&self) -> &[OtherCopy] {
        &self.others
    }

    /// Refreshes the lock's time, so other machines see this copy is running.
    pub fn heartbeat(&self) {
        if let Ok(f) = std::fs::File::options().write(true).open(&self.lock) {
            let _ = f.set_modified(std::time::SystemTime::now());
        }
    }
}

impl Drop for Claim {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.lock);
    }
}

/// Recovery files for the file whose plain recovery path is `plain` that
/// belong to no running copy, newest first: work left by a copy that ended
/// without saving. Each comes with the copy that left it, when its lock is
/// still there (a stale one).
pub fn orphans(plain: &Path, others: &[OtherCopy]) -> Vec<(PathBuf, Option<OtherCopy>)> {
    let Some(dir) = plain.parent() else {
        return Vec::new();
    };
    let dir = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    let base = file_name(plain);
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut found: Vec<(std::time::SystemTime, PathBuf, Option<OtherCopy>)> = entries
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            let ours = name == base || name.strip_prefix(&base).is_some_and(|t| t.starts_with('.'));
            if !ours {
                return None;
            }
            let owner = others.iter().find(|o| o.owner.recovery == name);
            if owner.is_some_and(|o| o.live) {
                return None;
            }
            let path = e.path();
            let m = std::fs::symlink_metadata(&path)
                .ok()
                .filter(|m| m.is_file())?;
            Some((m.modified().ok()?, path, owner.cloned()))
        })
        .collect();
    found.sort_by_key(|f| std::cmp::Reverse(f.0));
    found.into_iter().map(|(_, p, o)| (p, o)).collect()
}

/// The locks of other copies of the file whose plain recovery path is
/// `plain`. Locks of ended processes on this machine are removed on the way.
fn other_copies(plain: &Path) -> Vec<OtherCopy> {
    let Some(prefix) = lock_prefix(plain) else {
        return Vec::new();
    };
    let (Some(dir), Some(start)) = (prefix.parent(), prefix.file_name()) else {
        return Vec::new();
    };
    let dir = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    let start = format!("{}.", start.to_string_lossy());
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let host = clean(&host_name());
    let me = std::process::id();
    let mut out = Vec::new();
    for e in entries.flatten() {
        if !e.file_name().to_string_lossy().starts_with(&start) {
            continue;
        }
        let path = e.path();
        let Some(owner) = std::fs::read_to_string(&path)
            .ok()
            .and_then(|t| Owner::parse(&t))
        else {
            continue;
        };
        if owner.host == host && owner.pid == me {
            continue;
        }
        let quiet_for = std::fs::metadata(&path)
            .ok()
            .and_then(|m| m.modified().ok())
            .and_then(|t| t.elapsed().ok())
            .map_or(u64::MAX, |d| d.as_secs());
        let live = if owner.host == host {
            let running = process_runs(owner.pid);
            if !running {
                // Its process has ended on this machine: the lock is stale for sure.
                let _ = std::fs::remove_file(&path);
            }
            running
        } else {
            quiet_for < STALE_AFTER.as_secs()
        };
        out.push(OtherCopy {
            owner,
            lock: path,
            live,
            quiet_for,
        });
    }
    out
}

/// `.review.toml.appraise-lock` for `.review.toml.appraise-recovery`.
fn lock_prefix(plain: &Path) -> Option<PathBuf> {
    let name = file_name(plain);
    let stem = name.strip_suffix(".appraise-recovery")?;
    Some(plain.with_file_name(format!("{stem}.appraise-lock")))
}

fn with_suffix(p: &Path, suffix: &str) -> PathBuf {
    p.with_file_name(format!("{}{suffix}", file_name(p)))
}

fn file_name(p: &Path) -> String {
    p.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Letters, digits, `-`, `_` and `.` only, so a name can go in a file name
/// and on one line of a lock file.
fn clean(s: &str) -> String {
    let out: String = s
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '_'
            }
        })
        .take(64)
        .collect();
    if out.is_empty() {
        "unknown".to_owned()
    } else {
        out
    }
}

/// This user's login name from the password file, when the environment
/// does not say (a service, or a terminal started without a login).
fn login_name() -> Option<String> {
    #[cfg(unix)]
    {
        let uid = rustix::process::geteuid().as_raw().to_string();
        let passwd = std::fs::read_to_string("/etc/passwd").ok()?;
        passwd.lines().find_map(|l| {
            let mut f = l.split(':');
            let name = f.next()?;
            (f.nth(1)? == uid).then(|| name.to_owned())
        })
    }
    #[cfg(not(unix))]
    {
        None
    }
}

fn host_name() -> String {
    #[cfg(unix)]
    {
        rustix::system::uname()
            .nodename()
            .to_string_lossy()
            .into_owned()
    }
    #[cfg(not(unix))]
    {
        std::env::var("COMPUTERNAME").unwrap_or_default()
    }
}

fn now_secs() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// Whether a process with this id runs on this machine.
fn process_runs(pid: u32) -> bool {
    #[cfg(unix)]
    {
        let Some(pid) = i32::try_from(pid)
            .ok()
            .and_then(rustix::process::Pid::from_raw)
        else {
            return false;
        };
        // A process of another user answers "not permitted": it runs.
        !matches!(
            rustix::process::test_kill_process(pid),
            Err(rustix::io::Errno::SRCH)
        )
    }
    #[cfg(not(unix))]
    {
        let _ = pid;
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SMALL: &str = "[appraisal]\ntitle = \"Library review\"\n";

    /// Writes another machine's lock beside `plain`, last refreshed
    /// `quiet` seconds ago; returns its path.
    fn lock_from_another_machine(plain: &Path, quiet: u64) -> PathBuf {
        let lock = with_suffix(&lock_prefix(plain).unwrap(), ".other-pc-4242");
        let owner = Owner {
            user: "alice".to_owned(),
            host: "other-pc".to_owned(),
            pid: 4242,
            since: now_secs() - quiet - 600,
            recovery: file_name(plain),
        };
        std::fs::write(&lock, owner.to_text()).unwrap();
        let then = std::time::SystemTime::now() - Duration::from_secs(quiet);
        std::fs::File::options()
            .write(true)
            .open(&lock)
            .unwrap()
            .set_modified(then)
            .unwrap();
        lock
    }

    #[test]
    fn another_machines_lock_is_live_while_refreshed_and_stale_after_two_minutes() {
        let dir = tempfile::tempdir().unwrap();
        let plain = dir.path().join(".review.toml.appraise-recovery");
        // Alice, on another machine, has unsaved work in the plain recovery file.
        write_recovery(&plain, SMALL).unwrap();

        // Refreshed 90 s ago (heartbeats every 30 s can be late on a slow
        // share): she is taken to be still working.
        let lock = lock_from_another_machine(&plain, 90);
        let claim = Claim::take(&plain);
        let alice = &claim.others()[0];
        assert!(alice.live, "quiet for {} s", alice.quiet_for);
        assert_ne!(claim.recovery(), plain, "her recovery file is left to her");
        assert!(
            orphans(&plain, claim.others()).is_empty(),
            "her work is not offered while she works"
        );
        drop(claim);

        // Quiet for longer than STALE_AFTER: her copy stopped without
        // removing its lock (a crash, a dropped network drive).
        let lock = {
            std::fs::remove_file(&lock).unwrap();
            lock_from_another_machine(&plain, STALE_AFTER.as_secs() + 5)
        };
        let claim = Claim::take(&plain);
        let alice = &claim.others()[0];
        assert!(!alice.live, "quiet for {} s", alice.quiet_for);
        assert!(alice.quiet_for >= STALE_AFTER.as_secs());
        assert_eq!(claim.recovery(), plain, "the plain recovery file is free");
        let found = orphans(&plain, claim.others());
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].0, plain);
        let left_by = found[0].1.as_ref().expect("who left it");
        assert_eq!(left_by.owner.user, "alice");
        assert_eq!(left_by.owner.host, "other-pc");
        assert!(
            lock.exists(),
            "a lock from another machine is only judged, never removed, until the work is dealt with"
        );
    }

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
    fn the_base_version_kept_beside_the_work_reads_back_apart_from_it() {
        let dir = tempfile::tempdir().unwrap();
        let rec = dir.path().join(".review.toml.appraise-recovery");
        let base =
            "\u{feff}[appraisal]\r\ntitle = \"T\"\r\n#| a comment that looks like ours\r\nlast = 1";
        let fp = Fingerprint::of(base.as_bytes());
        write_recovery_on(&rec, SMALL, Some(fp), Some(base)).unwrap();
        let kept = read_recovery_on(&rec).unwrap();
        assert_eq!(kept.text, SMALL);
        assert_eq!(kept.base, Some(fp));
        assert_eq!(
            kept.base_text.as_deref(),
            Some("[appraisal]\r\ntitle = \"T\"\r\n#| a comment that looks like ours\r\nlast = 1\n")
        );
        // The file as a whole still reads as the work, the copy being comments.
        let whole = std::fs::read_to_string(&rec).unwrap();
        let whole: toml::Table = toml::from_str(&whole).unwrap();
        assert_eq!(whole, toml::from_str::<toml::Table>(SMALL).unwrap());
        // A file written without the copy (as older versions did) reads as before.
        write_recovery_on(&rec, SMALL, Some(fp), None).unwrap();
        let old = read_recovery_on(&rec).unwrap();
        assert_eq!((old.text.as_str(), old.base_text), (SMALL, None));
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
