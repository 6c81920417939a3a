//! Writing an edited appraisal back to its file without disturbing the rest of it.
//!
//! [`update_document`] applies an [`Appraisal`] to the text it was loaded
//! from with `toml_edit`: options and criteria are found by id, and only the
//! values that differ are replaced, each keeping its surrounding whitespace and
//! trailing comment. Comments, key order and formatting elsewhere are untouched.
//! [`write_atomic`] then replaces the file in one step (temp file in the same
//! folder, fsync, rename), keeping its permissions, so a crash mid-save never
//! leaves half a file. [`save`] refuses to overwrite a file that changed on
//! disk since it was read, unless told to.
//!
//! Recovery files hold unsaved work so that a crash loses nothing: see
//! [`recovery_path`] for where they live.

use std::io::Write;
use std::path::{Path, PathBuf};

use thiserror::Error;
use toml_edit::{Array, ArrayOfTables, DocumentMut, Item, Table, TableLike, Value};

use crate::model::{Appraisal, AppraisalOption, Criterion, Meta, Scale};

/// Why a save did not happen.
#[derive(Debug, Error)]
pub enum SaveError {
    /// The text the appraisal was loaded from is no longer valid TOML.
    #[error("the original file could not be read as TOML: {0}")]
    Parse(#[from] toml_edit::TomlError),
    /// The file does not have the shape of an appraisal (for example `criteria` is not a list of tables).
    #[error("the file's layout is not one this program can update: {0}")]
    Layout(String),
    /// The file on disk changed since it was loaded.
    #[error("{} was changed by something else since it was opened", path.display())]
    Conflict {
        /// The file that changed.
        path: PathBuf,
    },
    /// Reading or writing failed. Atomic writes leave the file on disk as it
    /// was, and the message says so.
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

    /// Fingerprints the file at `path` as it is now; `None` if it cannot be read
    /// (for example because it was deleted).
    pub fn of_file(path: &Path) -> Option<Fingerprint> {
        std::fs::read(path).ok().map(|b| Fingerprint::of(&b))
    }
}

/// Applies `appraisal` to `original` (the text it was loaded from) and returns the new text.
///
/// Values that did not change keep their exact text; changed values keep their
/// decor (spacing and trailing comment). Options and criteria are matched by id:
/// removed ones are dropped with their comments, new ones are added in place,
/// and reordered ones move with their comments and sub-tables.
pub fn update_document(original: &str, appraisal: &Appraisal) -> Result<String, SaveError> {
    let mut doc: DocumentMut = original.parse()?;
    apply(&mut doc, appraisal)?;
    Ok(doc.to_string())
}

/// Writes a whole appraisal as fresh TOML, for when there is no original text.
pub fn to_toml(appraisal: &Appraisal) -> String {
    let mut doc = DocumentMut::new();
    // `apply` only fails on a malformed existing layout, and a new document has none.
    let _ = apply(&mut doc, appraisal);
    doc.to_string()
}

fn apply(doc: &mut DocumentMut, a: &Appraisal) -> Result<(), SaveError> {
    let root = doc.as_table_mut();
    {
        let meta = root
            .entry("appraisal")
            .or_insert_with(|| Item::Table(Table::new()));
        let meta = meta
            .as_table_like_mut()
            .ok_or_else(|| SaveError::Layout("`appraisal` is not a table".into()))?;
        apply_meta(meta, &a.meta);
    }
    {
        let scale = root
            .entry("scale")
            .or_insert_with(|| Item::Table(Table::new()));
        let scale = scale
            .as_table_like_mut()
            .ok_or_else(|| SaveError::Layout("`scale` is not a table".into()))?;
        apply_scale(scale, a.scale());
    }
    {
        let item = root
            .entry("criteria")
            .or_insert_with(|| Item::ArrayOfTables(ArrayOfTables::new()));
        let aot = item.as_array_of_tables_mut().ok_or_else(|| {
            SaveError::Layout("`criteria` is not a list of [[criteria]] tables".into())
        })?;
        let ids: Vec<&str> = a.criteria().iter().map(|c| c.id().as_str()).collect();
        sync_list(aot, &ids, |t, i| {
            if let Some(c) = a.criteria().get(i) {
                apply_criterion(t, c);
            }
        });
    }
    {
        let item = root
            .entry("options")
            .or_insert_with(|| Item::ArrayOfTables(ArrayOfTables::new()));
        let aot = item.as_array_of_tables_mut().ok_or_else(|| {
            SaveError::Layout("`options` is not a list of [[options]] tables".into())
        })?;
        let ids: Vec<&str> = a.options().iter().map(|o| o.id().as_str()).collect();
        sync_list(aot, &ids, |t, i| {
            if let Some(o) = a.options().get(i) {
                apply_option(t, o, a.criteria());
            }
        });
    }
    Ok(())
}

/// Makes an array of tables hold one table per id, in `ids` order, each
/// updated by `fill(table, index)`. Existing tables are matched on their `id`
/// key, so they keep their comments; missing ones are created.
fn sync_list(aot: &mut ArrayOfTables, ids: &[&str], mut fill: impl FnMut(&mut Table, usize)) {
    let old: Vec<Table> = aot.iter().cloned().collect();
    let old_ids: Vec<Option<String>> = old
        .iter()
        .map(|t| t.get("id").and_then(Item::as_str).map(str::to_owned))
        .collect();
    let kept: Vec<&str> = old_ids
        .iter()
        .flatten()
        .map(String::as_str)
        .filter(|id| ids.contains(id))
        .collect();
    let wanted: Vec<&str> = ids.iter().copied().filter(|id| kept.contains(id)).collect();
    let reordered = kept != wanted;
    // Document positions of the kept tables (and their sub-tables), to be shared
    // out again in the new order so that moved tables move in the text as well.
    let mut positions: Vec<isize> = Vec::new();
    if reordered {
        for (t, id) in old.iter().zip(&old_ids) {
            if id.as_deref().is_some_and(|id| ids.contains(&id)) {
                collect_positions(t, &mut positions);
            }
        }
        positions.sort_unstable();
    }
    let mut tables = Vec::with_capacity(ids.len());
    for (i, id) in ids.iter().enumerate() {
        let found = old_ids.iter().position(|o| o.as_deref() == Some(*id));
        let mut t = match found.and_then(|f| old.get(f)) {
            Some(t) => t.clone(),
            None => {
                let mut t = Table::new();
                t.insert("id", Item::Value(Value::from(*id)));
                t
            }
        };
        fill(&mut t, i);
        tables.push(t);
    }
    if reordered {
        let mut next = positions.into_iter();
        for t in &mut tables {
            assign_positions(t, &mut next);
        }
    }
    aot.clear();
    for t in tables {
        aot.push(t);
    }
}

fn collect_positions(t: &Table, out: &mut Vec<isize>) {
    if let Some(p) = t.position() {
        out.push(p);
    }
    for (_, item) in t.iter() {
        if let Item::Table(sub) = item {
            collect_positions(sub, out);
        }
    }
}

fn assign_positions(t: &mut Table, next: &mut impl Iterator<Item = isize>) {
    if t.position().is_some() {
        t.set_position(next.next());
    }
    for (_, item) in t.iter_mut() {
        if let Item::Table(sub) = item {
            assign_positions(sub, next);
        }
    }
}

fn apply_meta(t: &mut dyn TableLike, m: &Meta) {
    set_str(t, "title", Some(&m.title));
    set_str(t, "organisation", m.organisation.as_deref());
    set_str(t, "date", m.date.as_deref());
    set_str(t, "source", m.source.as_deref());
    set_str(t, "description", m.description.as_deref());
}

fn apply_scale(t: &mut dyn TableLike, s: &Scale) {
    set_num(t, "min", Some(s.min()));
    set_num(t, "max", Some(s.max()));
    // A step of 1 is the default, so a file that leaves it out keeps doing so.
    if t.contains_key("step") || s.step() != 1.0 {
        set_num(t, "step", Some(s.step()));
    }
    let labels: Vec<(String, &str)> = s
        .labels()
        .iter()
        .map(|(v, text)| (crate::numbers::decimals(*v, 9), text.as_str()))
        .collect();
    let current = read_labels(t);
    let same = current.len() == labels.len()
        && labels
            .iter()
            .all(|(k, v)| current.iter().any(|(ck, cv)| ck == k && cv == v));
    if same {
        return;
    }
    let mut inline = toml_edit::InlineTable::new();
    for (k, v) in &labels {
        inline.insert(k.as_str(), Value::from(*v));
    }
    if labels.is_empty() {
        t.remove("labels");
    } else {
        replace_value(t, "labels", Value::InlineTable(inline));
    }
}

/// Scale labels as written: key (normalised through a number) and text.
fn read_labels(t: &dyn TableLike) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let Some(labels) = t.get("labels").and_then(Item::as_table_like) else {
        return out;
    };
    for (k, item) in labels.iter() {
        // `2.5 = ".."` parses as table "2" holding "5".
        if let Some(inner) = item.as_table_like() {
            for (frac, v) in inner.iter() {
                if let (Ok(n), Some(s)) = (format!("{k}.{frac}").parse::<f64>(), v.as_str()) {
                    out.push((crate::numbers::decimals(n, 9), s.to_owned()));
                }
            }
        } else if let (Ok(n), Some(s)) = (k.trim().parse::<f64>(), item.as_str()) {
            out.push((crate::numbers::decimals(n, 9), s.to_owned()));
        }
    }
    out
}

fn apply_criterion(t: &mut Table, c: &Criterion) {
    set_str(t, "name", Some(c.name()));
    if t.contains_key("weight") || c.weight() != 1.0 {
        set_num(t, "weight", Some(c.weight()));
    }
    set_str(t, "description", c.description.as_deref());
}

fn apply_option(t: &mut Table, o: &AppraisalOption, criteria: &[Criterion]) {
    set_str(t, "name", Some(o.name()));
    set_str(t, "group", o.group.as_deref());
    set_str(t, "description", o.description.as_deref());
    set_list(t, "strengths", &o.strengths);
    set_list(t, "weaknesses", &o.weaknesses);
    set_num(t, "published_total", o.published_total);
    sync_cells(t, "scores", criteria, |c| o.score(c).map(num_value));
    sync_cells(t, "notes", criteria, |c| o.note(c).map(Value::from));
}

/// Brings a `scores` or `notes` table in line: one key per criterion id with a
/// value, keys for other ids removed. Works for `[options.scores]`, inline
/// `scores = { .. }` and dotted `scores.x = ..` forms alike.
fn sync_cells(
    t: &mut Table,
    key: &str,
    criteria: &[Criterion],
    value: impl Fn(usize) -> Option<Value>,
) {
    let wanted: Vec<(&str, Option<Value>)> = criteria
        .iter()
        .enumerate()
        .map(|(i, c)| (c.id().as_str(), value(i)))
        .collect();
    let any = wanted.iter().any(|(_, v)| v.is_some());
    if !t.contains_key(key) {
        if !any {
            return;
        }
        let mut sub = Table::new();
        for (id, v) in &wanted {
            if let Some(v) = v {
                sub.insert(id, Item::Value(v.clone()));
            }
        }
        t.insert(key, Item::Table(sub));
        return;
    }
    let Some(sub) = t.get_mut(key).and_then(Item::as_table_like_mut) else {
        return;
    };
    let stale: Vec<String> = sub
        .iter()
        .map(|(k, _)| k.to_owned())
        .filter(|k| !wanted.iter().any(|(id, _)| id == k))
        .collect();
    for k in stale {
        sub.remove(&k);
    }
    for (id, v) in wanted {
        match v {
            Some(v) => replace_value(sub, id, v),
            None => {
                sub.remove(id);
            }
        }
    }
}

/// A score as TOML: whole numbers as integers, so `4` stays `4` and not `4.0`.
fn num_value(x: f64) -> Value {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        Value::from(x as i64)
    } else {
        Value::from(x)
    }
}

/// Whether an existing value already says `new`, so it can be left as written.
fn same_value(old: &Value, new: &Value) -> bool {
    match (old, new) {
        (Value::String(a), Value::String(b)) => a.value() == b.value(),
        (a, b) => match (as_number(a), as_number(b)) {
            (Some(x), Some(y)) => x == y,
            _ => match (a.as_array(), b.as_array()) {
                (Some(x), Some(y)) => {
                    x.len() == y.len() && x.iter().zip(y.iter()).all(|(p, q)| same_value(p, q))
                }
                _ => false,
            },
        },
    }
}

fn as_number(v: &Value) -> Option<f64> {
    v.as_float().or_else(|| v.as_integer().map(|i| i as f64))
}

/// Sets `key` to `new`, keeping the old value's decor; leaves it alone if equal.
fn replace_value(t: &mut dyn TableLike, key: &str, mut new: Value) {
    match t.get_mut(key) {
        Some(Item::Value(old)) => {
            if same_value(old, &new) {
                return;
            }
            *new.decor_mut() = old.decor().clone();
            *old = new;
        }
        Some(item) => *item = Item::Value(new),
        None => {
            t.insert(key, Item::Value(new));
        }
    }
}

fn set_str(t: &mut dyn TableLike, key: &str, value: Option<&str>) {
    match value {
        Some(v) => replace_value(t, key, Value::from(v)),
        None => {
            t.remove(key);
        }
    }
}

fn set_num(t: &mut dyn TableLike, key: &str, value: Option<f64>) {
    match value {
        Some(v) => replace_value(t, key, num_value(v)),
        None => {
            t.remove(key);
        }
    }
}

fn set_list(t: &mut dyn TableLike, key: &str, items: &[String]) {
    if items.is_empty() {
        t.remove(key);
        return;
    }
    let mut arr = Array::new();
    for s in items {
        arr.push(s.as_str());
    }
    replace_value(t, key, Value::Array(arr));
}

/// How [`write_file`] treats a file already at the path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Existing {
    /// Replace it in one step, keeping its permissions (and, where allowed,
    /// its owner). A read-only file is refused with [`SaveError::ReadOnly`].
    Replace,
    /// Leave it alone and fail with [`SaveError::Exists`]; the check and the
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
/// [`write_file`]. This is the one writer behind saving, exports, panel
/// reports, scoresheets and recovery files.
pub fn write_atomic(path: &Path, contents: &[u8]) -> Result<(), SaveError> {
    write_file(path, contents, Existing::Replace, Access::Usual)
}

/// Creates `path` with `contents`, failing with [`SaveError::Exists`] rather
/// than touching a file that is already there. Atomic like [`write_atomic`]:
/// a failure never leaves a partly written file under the name.
pub fn write_new(path: &Path, contents: &[u8]) -> Result<(), SaveError> {
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
) -> Result<(), SaveError> {
    write_with(path, existing, access, |f| f.write_all(contents))
}

/// [`write_file`] with the body written by `fill`, so tests can make the
/// writing fail part-way as a full disk would.
fn write_with(
    path: &Path,
    existing: Existing,
    access: Access,
    fill: impl FnOnce(&mut std::fs::File) -> std::io::Result<()>,
) -> Result<(), SaveError> {
    // A file the user named is written through a symbolic link to the file
    // it points at. A private file (a recovery file, whose name is derived,
    // in a folder others may write to) never is: a link planted there is
    // replaced, not followed, so it cannot redirect the write elsewhere.
    let follow = access == Access::Usual;
    let is_link = std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
    let target = match (follow && is_link).then(|| std::fs::canonicalize(path)) {
        Some(Ok(real)) => real,
        _ => path.to_owned(),
    };
    let io = |source| SaveError::Io {
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
                return Err(SaveError::Exists {
                    path: path.to_owned(),
                });
            }
            Existing::Replace if m.permissions().readonly() => {
                return Err(SaveError::ReadOnly {
                    path: path.to_owned(),
                });
            }
            Existing::Replace => {}
        }
    }
    let mut builder = tempfile::Builder::new();
    builder.prefix(".appraise-save-");
    #[cfg(unix)]
    if access == Access::Usual && old.is_none() {
        use std::os::unix::fs::PermissionsExt;
        // Temp files are owner-only by default; a new saved file should not be.
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    let mut tmp = builder.tempfile_in(&dir).map_err(io)?;
    fill(tmp.as_file_mut()).map_err(io)?;
    tmp.as_file().sync_all().map_err(io)?;
    if let Some(m) = &old {
        tmp.as_file().set_permissions(m.permissions()).map_err(io)?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            // Keep the owner when saving someone else's file (only root may);
            // failing to is harmless.
            let _ = std::os::unix::fs::fchown(tmp.as_file(), Some(m.uid()), Some(m.gid()));
        }
    }
    match existing {
        Existing::Replace => tmp.persist(&target).map(drop).map_err(|e| io(e.error))?,
        Existing::Keep => match tmp.persist_noclobber(&target) {
            Ok(_) => {}
            Err(e) if e.error.kind() == std::io::ErrorKind::AlreadyExists => {
                return Err(SaveError::Exists {
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
                        return Err(SaveError::Exists {
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

/// A write failure in plain words, with the system's own wording after it.
fn describe(e: &std::io::Error) -> String {
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

/// What a successful [`save`] wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Saved {
    /// The text now on disk.
    pub text: String,
    /// Its fingerprint, to compare against on the next save.
    pub fingerprint: Fingerprint,
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
    let text = match original {
        Some(o) => update_document(o, appraisal)?,
        None => to_toml(appraisal),
    };
    write_atomic(path, text.as_bytes())?;
    let fingerprint = Fingerprint::of(text.as_bytes());
    Ok(Saved { text, fingerprint })
}

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
                    let tag = Fingerprint::of(full.to_string_lossy().as_bytes()).hash;
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
pub fn write_recovery(recovery: &Path, text: &str) -> Result<(), SaveError> {
    if let Some(dir) = recovery.parent()
        && !dir.as_os_str().is_empty()
    {
        std::fs::create_dir_all(dir).map_err(|source| SaveError::Io {
            path: dir.to_owned(),
            source,
        })?;
    }
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
pub fn remove_recovery(recovery: &Path) -> Result<(), SaveError> {
    match std::fs::remove_file(recovery) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(source) => Err(SaveError::Io {
            path: recovery.to_owned(),
            source,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::load_str;
    use crate::model::{Id, RemovedCriterion};

    const SMALL: &str = r#"# Budget options, scored by the panel.

[appraisal]
title = "Library review"   # working title

[scale]
min = 0
max = 5
labels = { 0 = "None", 5 = "Full" }

# The criteria, most important first.
[[criteria]]
id = "cost"
name = "Cost"
weight = 2   # doubled after the March meeting

[[criteria]]
id = "reach"
name = "Reach"
weight = 1

# -- options --

[[options]]
id = "keep"
name = "Keep all branches"
scores = { cost = 1, reach = 5 }   # inline form

[[options]]
id = "merge"
name = "Merge two branches"

[options.scores]
cost = 3    # estimate
reach = 3

[options.notes]
cost = "Saves one lease."
"#;

    fn loaded() -> Appraisal {
        load_str("small.toml", SMALL).unwrap().appraisal
    }

    fn changed_lines(a: &str, b: &str) -> Vec<(String, String)> {
        a.lines()
            .zip(b.lines())
            .filter(|(x, y)| x != y)
            .map(|(x, y)| (x.to_owned(), y.to_owned()))
            .collect()
    }

    #[test]
    fn unchanged_appraisal_writes_identical_bytes() {
        let a = loaded();
        assert_eq!(update_document(SMALL, &a).unwrap(), SMALL);
        let example = crate::load::load_example().unwrap();
        assert_eq!(
            update_document(crate::load::EXAMPLE, &example.appraisal).unwrap(),
            crate::load::EXAMPLE
        );
    }

    #[test]
    fn only_edited_values_change_and_keep_their_comments() {
        let mut a = loaded();
        a.set_score(0, 0, Some(2.0)).unwrap();
        a.set_score(1, 0, Some(4.0)).unwrap();
        a.set_weight(0, 2.5).unwrap();
        let out = update_document(SMALL, &a).unwrap();
        assert_eq!(out.lines().count(), SMALL.lines().count());
        assert_eq!(
            changed_lines(SMALL, &out),
            vec![
                (
                    "weight = 2   # doubled after the March meeting".into(),
                    "weight = 2.5   # doubled after the March meeting".into()
                ),
                (
                    "scores = { cost = 1, reach = 5 }   # inline form".into(),
                    "scores = { cost = 2, reach = 5 }   # inline form".into()
                ),
                (
                    "cost = 3    # estimate".into(),
                    "cost = 4    # estimate".into()
                ),
            ]
        );
        let back = load_str("out.toml", &out).unwrap().appraisal;
        assert_eq!(back, a);
    }

    #[test]
    fn clearing_a_score_and_adding_a_note_round_trip() {
        let mut a = loaded();
        a.set_score(0, 1, None).unwrap();
        a.option_mut(0)
            .unwrap()
            .set_note(1, Some("Two lines\nof note".into()))
            .unwrap();
        a.option_mut(1).unwrap().set_note(0, None).unwrap();
        let out = update_document(SMALL, &a).unwrap();
        let back = load_str("out.toml", &out).unwrap().appraisal;
        assert_eq!(back, a);
        assert!(out.contains("# Budget options, scored by the panel."));
        assert!(!out.contains("Saves one lease."));
    }

    #[test]
    fn added_removed_and_moved_items_round_trip_with_their_comments() {
        let mut a = loaded();
        a.move_option(1, 0).unwrap();
        let mut extra = AppraisalOption::new(Id::new("close").unwrap(), "Close", 2).unwrap();
        extra.strengths = vec!["Cheapest".into()];
        a.insert_option(1, extra).unwrap();
        a.set_score(1, 1, Some(0.0)).unwrap();
        let RemovedCriterion {
            criterion,
            scores,
            notes,
        } = a.remove_criterion(0).unwrap();
        a.insert_criterion(1, criterion, scores, notes).unwrap();
        let c = Criterion::new(Id::new("speed").unwrap(), "Speed", 0.5).unwrap();
        a.insert_criterion(0, c, Vec::new(), Vec::new()).unwrap();
        let out = update_document(SMALL, &a).unwrap();
        let back = load_str("out.toml", &out).unwrap().appraisal;
        assert_eq!(back, a, "{out}");
        // The estimate comment travels with the merge option, which now comes first.
        let merge = out.find("Merge two branches").unwrap();
        let keep = out.find("Keep all branches").unwrap();
        assert!(merge < keep, "{out}");
        assert!(out.contains("cost = 3    # estimate"));
        assert!(out.contains("weight = 2   # doubled after the March meeting"));
        assert!(out.starts_with("# Budget options, scored by the panel."));
    }

    #[test]
    fn removing_an_option_drops_only_its_text() {
        let mut a = loaded();
        a.remove_option(1).unwrap();
        let out = update_document(SMALL, &a).unwrap();
        assert!(!out.contains("Merge two branches"));
        assert!(!out.contains("Saves one lease"));
        assert!(out.contains("# -- options --"));
        assert_eq!(load_str("o", &out).unwrap().appraisal, a);
    }

    #[test]
    fn fresh_toml_loads_back() {
        let a = crate::load::load_example().unwrap().appraisal;
        let text = to_toml(&a);
        assert_eq!(load_str("fresh.toml", &text).unwrap().appraisal, a);
    }

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
            write_atomic(&fresh, b"x").unwrap();
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
        let err = write_atomic(&path, b"new").unwrap_err();
        assert!(matches!(err, SaveError::ReadOnly { .. }), "{err}");
        assert!(
            err.to_string()
                .contains("is read-only, so it was not changed")
        );
        assert_eq!(std::fs::read_to_string(&path).unwrap(), SMALL);
        assert_eq!(listing(dir.path()), ["review.toml"]);
    }

    #[test]
    fn write_new_never_replaces_a_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sheet.toml");
        write_new(&path, b"first").unwrap();
        let err = write_new(&path, b"second").unwrap_err();
        assert!(matches!(err, SaveError::Exists { .. }), "{err}");
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
        let err = write_atomic(dir.path(), b"x").unwrap_err();
        assert!(err.to_string().contains("it is a folder"), "{err}");
        let err = write_atomic(&dir.path().join("no/such.toml"), b"x").unwrap_err();
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
        write_atomic(&link, b"new").unwrap();
        assert!(
            std::fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(std::fs::read(&real).unwrap(), b"new");
        assert_eq!(listing(dir.path()), ["link.toml", "real.toml"]);
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

    /// One random change to an appraisal, for the round-trip property.
    #[derive(Debug, Clone)]
    enum Op {
        Score(usize, usize, Option<u8>),
        Note(usize, usize, Option<String>),
        Weight(usize, u8),
        MoveOption(usize, usize),
        MoveCriterion(usize, usize),
        AddOption(usize),
        RemoveOption(usize),
        AddCriterion(usize),
        RemoveCriterion(usize),
        Rename(usize, String),
    }

    fn op() -> impl proptest::strategy::Strategy<Value = Op> {
        use proptest::prelude::*;
        let text = "[a-zA-Z0-9 '\"\n#=.,£-]{0,30}";
        prop_oneof![
            (0..6usize, 0..6usize, proptest::option::of(0..6u8))
                .prop_map(|(o, c, v)| Op::Score(o, c, v)),
            (0..6usize, 0..6usize, proptest::option::of(text))
                .prop_map(|(o, c, t)| Op::Note(o, c, t)),
            (0..6usize, 0..5u8).prop_map(|(c, w)| Op::Weight(c, w)),
            (0..6usize, 0..6usize).prop_map(|(a, b)| Op::MoveOption(a, b)),
            (0..6usize, 0..6usize).prop_map(|(a, b)| Op::MoveCriterion(a, b)),
            (0..6usize).prop_map(Op::AddOption),
            (0..6usize).prop_map(Op::RemoveOption),
            (0..6usize).prop_map(Op::AddCriterion),
            (0..6usize).prop_map(Op::RemoveCriterion),
            (0..6usize, "[A-Za-z][A-Za-z \"#]{0,20}").prop_map(|(o, n)| Op::Rename(o, n)),
        ]
    }

    fn apply_op(a: &mut Appraisal, op: &Op, fresh: &mut usize) {
        let n = a.criteria().len();
        match op {
            Op::Score(o, c, v) => {
                let _ = a.set_score(*o, *c, v.map(f64::from));
            }
            Op::Note(o, c, t) => {
                if let Some(opt) = a.option_mut(*o) {
                    let _ = opt.set_note(*c, t.clone());
                }
            }
            Op::Weight(c, w) => {
                let _ = a.set_weight(*c, f64::from(*w) / 2.0);
            }
            Op::MoveOption(x, y) => {
                let _ = a.move_option(*x, *y);
            }
            Op::MoveCriterion(x, y) => {
                let _ = a.move_criterion(*x, *y);
            }
            Op::AddOption(at) => {
                *fresh += 1;
                let id = Id::new(&format!("new-{fresh}")).unwrap();
                let _ = a.insert_option(*at, AppraisalOption::new(id, "New", n).unwrap());
            }
            Op::RemoveOption(o) => {
                let _ = a.remove_option(*o);
            }
            Op::AddCriterion(at) => {
                *fresh += 1;
                let id = Id::new(&format!("crit-{fresh}")).unwrap();
                let c = Criterion::new(id, "Added", 1.0).unwrap();
                let _ = a.insert_criterion(*at, c, Vec::new(), Vec::new());
            }
            Op::RemoveCriterion(c) => {
                let _ = a.remove_criterion(*c);
            }
            Op::Rename(o, name) => {
                if let Some(opt) = a.option_mut(*o) {
                    let _ = opt.set_name(name);
                }
            }
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(200))]
        /// Whatever is edited, the saved text loads back as the edited
        /// appraisal, and the leading comment survives.
        #[test]
        fn any_edits_round_trip(ops in proptest::collection::vec(op(), 0..12)) {
            let mut a = loaded();
            let mut fresh = 0;
            for op in &ops {
                apply_op(&mut a, op, &mut fresh);
            }
            let out = update_document(SMALL, &a).unwrap();
            let back = load_str("out.toml", &out).unwrap().appraisal;
            proptest::prop_assert_eq!(back, a);
            proptest::prop_assert!(out.starts_with("# Budget options, scored by the panel."));
            // Saving again with no further change alters nothing.
            let again = update_document(&out, &load_str("o", &out).unwrap().appraisal).unwrap();
            proptest::prop_assert_eq!(again, out);
        }
    }

    #[test]
    fn fingerprints_are_stable() {
        assert_eq!(Fingerprint::of(b"").hash, 0xcbf2_9ce4_8422_2325);
        assert_ne!(Fingerprint::of(b"a"), Fingerprint::of(b"b"));
        assert_eq!(Fingerprint::of(b"abc"), Fingerprint::of(b"abc"));
    }
}
