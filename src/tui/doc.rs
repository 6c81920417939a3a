//! The document being edited: the appraisal, its undo history, its file and
//! what it is saved to, with the figures derived from it kept up to date.
//!
//! Nothing here touches the disk during an edit. Saving is a [`SaveJob`],
//! built from the document and run by the runner off the key path, whose
//! result is taken back with [`Doc::saved`]; the recovery file is kept by the
//! writer of [`super::keep`] from the news [`Doc::take_recovery_news`] gives.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::atomic;
use crate::compute::{Results, compute};
use crate::load::Loaded;
use crate::model::{Appraisal, ModelError};
use crate::recovery;
use crate::save::{self, Fingerprint, SaveError};

use super::edit::{Edit, History};
use super::keep::{Keep, Mirror};
use super::live::Live;
use super::member::{self, MemberSheet};
use super::target::Target;

/// Counts the status line and grid layout need, kept with the results so a
/// frame never walks every cell of a large appraisal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    /// Cells not yet scored.
    pub unscored: usize,
    /// Whether any option has an unscored cell.
    pub incomplete: bool,
    /// The longest option name, in characters.
    pub longest_name: usize,
    /// Options whose published total differs from the one worked out.
    pub published_differ: usize,
}

impl Summary {
    /// Counts over every option of the appraisal, with its results.
    pub fn of(a: &Appraisal, results: &Results) -> Summary {
        let mut s = Summary {
            unscored: 0,
            incomplete: false,
            longest_name: 0,
            published_differ: 0,
        };
        for (i, o) in a.options().iter().enumerate() {
            let missing = to_score(o);
            s.unscored += missing;
            s.incomplete |= missing > 0;
            s.longest_name = s.longest_name.max(o.name().chars().count());
            s.published_differ += usize::from(published_differs(a, results, i));
        }
        s
    }
}

/// Cells of an option still to score: none for an option screened out,
/// which takes no part in the ranking.
fn to_score(o: &crate::model::AppraisalOption) -> usize {
    if o.screened_out() { 0 } else { o.unscored() }
}

/// Whether option `o`'s published total (if it has one) differs from the
/// total worked out from its scores.
pub fn published_differs(a: &Appraisal, results: &Results, o: usize) -> bool {
    match (
        a.options().get(o).and_then(|x| x.published()),
        results.options.get(o),
    ) {
        (Some(p), Some(r)) => !p.agrees_with(r.total),
        _ => false,
    }
}

/// The data being edited: the appraisal, its history and its file.
#[derive(Debug, Clone)]
pub struct Doc {
    appraisal: Appraisal,
    results: Results,
    summary: Summary,
    history: History,
    /// The appraisal as last loaded or saved, to tell whether there are unsaved changes.
    saved: Appraisal,
    dirty: bool,
    /// How many options differ from their saved selves, when the two option
    /// lists line up (same length) and nothing outside the options differs;
    /// lets a one-cell edit settle `dirty` by comparing one option.
    differing: Option<usize>,
    path: Option<PathBuf>,
    /// The text on disk as last loaded or saved; saving edits this text.
    /// Shared, not copied, with save jobs and the recovery writer.
    original: Arc<str>,
    fingerprint: Option<Fingerprint>,
    recovery: Option<PathBuf>,
    /// Edits since the recovery writer last heard, in order.
    unsent: Vec<Edit>,
    /// Whether the writer needs the whole document again (on opening, after a save).
    whole_due: Option<WholeDue>,
    /// Counts edits (and undos), so derived data knows when it is stale.
    version: u64,
    /// The live sensitivity analysis, when the view has asked for it.
    live: Option<Live>,
    /// Whether this is the appraisal file or a member's sheet.
    target: Target,
    /// This copy's lock beside the file and its own recovery file, when
    /// opened for real; shared by clones, released with the last.
    claim: Option<Arc<recovery::Claim>>,
    /// What the file's checks say of the weights (a weight too small to
    /// show in a total, some criteria weighted and the rest left to 1), as
    /// of the weights in `weights_checked`.
    weight_notes: Vec<String>,
    /// The weights `weight_notes` was worked out for.
    weights_checked: Vec<f64>,
}

/// The kinds of the file's warnings that are about the weights, which the
/// screen checks again whenever the weights change.
pub const WEIGHT_WARNINGS: &[&str] = &["weight-too-small", "criteria-partly-weighted"];

/// The weights' warnings among `warnings`, as sentences.
pub fn weight_notes(warnings: &[crate::diagnostic::Diagnostic]) -> Vec<String> {
    warnings
        .iter()
        .filter(|d| WEIGHT_WARNINGS.contains(&d.kind.as_str()))
        .map(|d| d.message.clone())
        .collect()
}

/// The criteria's weights, in order.
pub fn weights_of(a: &Appraisal) -> Vec<f64> {
    a.criteria().iter().map(|c| c.weight()).collect()
}

/// When the recovery writer is next sent the whole document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum WholeDue {
    /// On opening: the file is left alone until the first edit.
    Quietly,
    /// After a save: the file is brought in line at once.
    Now,
}

impl Doc {
    /// The document for a loaded appraisal; `path` is `None` for the bundled example.
    pub fn new(loaded: Loaded, path: Option<PathBuf>) -> Doc {
        let notes = weight_notes(&loaded.warnings);
        let (original, fingerprint) = match &path {
            Some(p) => {
                let (text, fp) = save::as_on_disk(p, loaded.source.text);
                (text, Some(fp))
            }
            None => (loaded.source.text, None),
        };
        let mut doc = Doc::with(
            loaded.appraisal,
            original,
            fingerprint,
            path,
            Target::Appraisal,
        );
        doc.weight_notes = notes;
        doc
    }

    /// The document for a member's opened scoresheet.
    pub fn for_sheet(opened: member::Opened) -> Doc {
        let member::Opened {
            member,
            appraisal,
            text,
            sheet_path,
            ..
        } = opened;
        let (text, fingerprint) = save::as_on_disk(&sheet_path, text);
        Doc::with(
            appraisal,
            text,
            Some(fingerprint),
            Some(sheet_path),
            Target::Sheet(Box::new(member)),
        )
    }

    fn with(
        appraisal: Appraisal,
        original: String,
        fingerprint: Option<Fingerprint>,
        path: Option<PathBuf>,
        target: Target,
    ) -> Doc {
        let results = compute(&appraisal);
        Doc {
            weight_notes: Vec::new(),
            weights_checked: weights_of(&appraisal),
            saved: appraisal.clone(),
            summary: Summary::of(&appraisal, &results),
            results,
            appraisal,
            history: History::default(),
            dirty: false,
            differing: Some(0),
            recovery: recovery::recovery_path(path.as_deref()),
            path,
            original: Arc::from(original),
            fingerprint,
            unsent: Vec::new(),
            whole_due: Some(WholeDue::Quietly),
            version: 0,
            live: None,
            target,
            claim: None,
        }
    }

    /// Takes this copy's hold on the file: a lock beside it naming who has it
    /// open, and a recovery file of its own (see [`recovery::Claim`]).
    pub fn claim(&mut self) {
        let Some(plain) = recovery::recovery_path(self.path.as_deref()) else {
            return;
        };
        let claim = recovery::Claim::take(&plain);
        self.recovery = Some(claim.recovery().to_owned());
        self.claim = Some(Arc::new(claim));
        self.whole_due = Some(WholeDue::Quietly);
    }

    /// This copy's hold on the file, if it took one.
    pub fn claim_held(&self) -> Option<&recovery::Claim> {
        self.claim.as_deref()
    }

    /// Other running copies that have this file open, as found on opening it.
    pub fn other_copies(&self) -> Vec<&recovery::OtherCopy> {
        self.claim
            .as_deref()
            .map(|c| c.others().iter().filter(|o| o.live).collect())
            .unwrap_or_default()
    }

    /// Refreshes this copy's lock, so copies elsewhere see it is still open.
    pub fn heartbeat(&self) {
        if let Some(c) = &self.claim {
            c.heartbeat();
        }
    }

    /// Whether this is the appraisal file or a member's sheet.
    pub fn target(&self) -> &Target {
        &self.target
    }

    /// In member mode, the member and the shared appraisal.
    pub fn member(&self) -> Option<&MemberSheet> {
        self.target.member()
    }

    /// The file's text as it would be saved now: the original with the
    /// changes applied, comments and layout kept. If the original cannot be
    /// edited, the text is written afresh.
    pub fn text_now(&self) -> String {
        self.target
            .render(&self.original, &self.appraisal, self.path.as_deref())
    }

    /// The appraisal as it now stands.
    pub fn appraisal(&self) -> &Appraisal {
        &self.appraisal
    }

    /// Totals, percentages and ranks, kept up to date with every edit.
    pub fn results(&self) -> &Results {
        &self.results
    }

    /// Unscored cells and the longest option name, kept up to date with every edit.
    pub fn summary(&self) -> &Summary {
        &self.summary
    }

    /// Undo and redo stacks.
    pub fn history(&self) -> &History {
        &self.history
    }

    /// Whether there are changes not yet saved.
    pub fn is_dirty(&self) -> bool {
        self.dirty
    }

    /// The file being edited; `None` for the bundled example.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// The text on disk as last loaded or saved.
    pub fn original(&self) -> &str {
        &self.original
    }

    /// The same, shared rather than copied, for work off the key path.
    pub fn original_shared(&self) -> Arc<str> {
        Arc::clone(&self.original)
    }

    /// What the file's checks say of the weights as they were last checked.
    pub fn weight_notes(&self) -> &[String] {
        &self.weight_notes
    }

    /// Whether the weights have changed since they were last checked (only
    /// the appraisal file's weights are checked: a member cannot change them).
    pub fn weights_unchecked(&self) -> bool {
        self.target.member().is_none()
            && (self.weights_checked.len() != self.appraisal.criteria().len()
                || self
                    .weights_checked
                    .iter()
                    .zip(self.appraisal.criteria())
                    .any(|(w, c)| *w != c.weight()))
    }

    /// Takes in what the checks say of `weights`; returns whether that
    /// changed what is known. Ignored if the weights have moved on since
    /// (another check is then on its way).
    pub fn weights_checked(&mut self, weights: &[f64], notes: Vec<String>) -> bool {
        if weights != weights_of(&self.appraisal).as_slice() || notes == self.weight_notes {
            return false;
        }
        self.weight_notes = notes;
        true
    }

    /// Notes that the weights as they stand are being checked.
    pub fn checking_weights(&mut self) -> Vec<f64> {
        self.weights_checked = weights_of(&self.appraisal);
        self.weights_checked.clone()
    }

    /// The fingerprint of the file as last loaded or saved.
    pub fn fingerprint(&self) -> Option<Fingerprint> {
        self.fingerprint
    }

    /// Where unsaved work is kept in case of a crash.
    pub fn recovery_path(&self) -> Option<&Path> {
        self.recovery.as_deref()
    }

    /// A name for the document in titles and messages.
    pub fn display_name(&self) -> String {
        match &self.path {
            Some(p) => p
                .file_name()
                .map_or_else(|| p.display().to_string(), |n| n.to_string_lossy().into()),
            None => "bundled example".to_owned(),
        }
    }

    /// Counts changes to the appraisal; derived data compares against it.
    pub fn version(&self) -> u64 {
        self.version
    }

    /// The live sensitivity analysis, if it has been worked out.
    pub fn live(&self) -> Option<&Live> {
        self.live.as_ref()
    }

    /// Whether the live sensitivity analysis matches the appraisal as it stands.
    pub fn live_is_current(&self) -> bool {
        self.live
            .as_ref()
            .is_some_and(|l| l.is_current(self.version))
    }

    /// Takes in a worked-out live analysis, if it is for the appraisal as
    /// it now stands (one worked out for an earlier version is dropped).
    pub fn set_live(&mut self, live: Live) -> bool {
        let current = live.is_current(self.version);
        if current {
            self.live = Some(live);
        }
        current
    }

    fn refresh(&mut self) {
        self.version += 1;
        self.results = compute(&self.appraisal);
        self.summary = Summary::of(&self.appraisal, &self.results);
        self.settle_dirty();
    }

    fn settle_dirty(&mut self) {
        self.differing = self.count_differing();
        self.dirty = match self.differing {
            Some(k) => k > 0,
            None => self.appraisal != self.saved,
        };
    }

    /// Options that differ from the saved ones, if nothing else differs and
    /// the two option lists line up.
    fn count_differing(&self) -> Option<usize> {
        let (a, s) = (&self.appraisal, &self.saved);
        let lined_up = a.options().len() == s.options().len()
            && a.meta == s.meta
            && a.scale() == s.scale()
            && a.criteria() == s.criteria();
        lined_up.then(|| {
            a.options()
                .iter()
                .zip(s.options())
                .filter(|(x, y)| x != y)
                .count()
        })
    }

    /// The option a score or note edit touched, whose change leaves
    /// everything else as it was.
    fn cell_edit_option(edit: &Edit) -> Option<usize> {
        match edit {
            Edit::Score { o, .. } | Edit::Note { o, .. } => Some(*o),
            _ => None,
        }
    }

    /// Runs `change` (which edits at most option `o`'s cells when `o` is
    /// given), then brings the derived data up to date: for a one-cell edit
    /// only that option is recomputed and compared, so a key costs the same
    /// on a large appraisal as on a small one.
    fn changing<T>(&mut self, o: Option<usize>, change: impl FnOnce(&mut Self) -> T) -> T {
        let before = o.and_then(|o| {
            let differing = self.differing?;
            let a = self.appraisal.options().get(o)?;
            let s = self.saved.options().get(o)?;
            let differs = published_differs(&self.appraisal, &self.results, o);
            Some((o, differing, a != s, to_score(a), differs))
        });
        let out = change(self);
        let Some((o, differing, was_different, was_unscored, was_published_differ)) = before else {
            self.refresh();
            return out;
        };
        let (Some(a), Some(s)) = (self.appraisal.options().get(o), self.saved.options().get(o))
        else {
            self.refresh();
            return out;
        };
        let is_different = a != s;
        let unscored = to_score(a);
        self.version += 1;
        crate::compute::recompute_option(&mut self.results, &self.appraisal, o);
        self.summary.unscored = self.summary.unscored + unscored - was_unscored;
        self.summary.incomplete = self.summary.unscored > 0;
        self.summary.published_differ = self.summary.published_differ
            + usize::from(published_differs(&self.appraisal, &self.results, o))
            - usize::from(was_published_differ);
        let differing = differing + usize::from(is_different) - usize::from(was_different);
        self.differing = Some(differing);
        self.dirty = differing > 0;
        out
    }

    /// Applies and records an edit.
    pub fn apply(&mut self, edit: Edit) -> Result<(), ModelError> {
        let o = Self::cell_edit_option(&edit);
        let sent = edit.clone();
        let done = self.changing(o, |d| d.history.apply(&mut d.appraisal, edit));
        if done.is_ok() {
            self.unsent.push(sent);
        }
        done
    }

    /// Undoes the latest edit, if any.
    pub fn undo(&mut self) -> Option<Result<Edit, ModelError>> {
        let o = self.history.next_undo().and_then(Self::cell_edit_option);
        let done = self.changing(o, |d| d.history.undo(&mut d.appraisal));
        if let Some(Ok(e)) = &done {
            self.unsent.push(e.inverse());
        }
        done
    }

    /// Redoes the latest undone edit, if any.
    pub fn redo(&mut self) -> Option<Result<Edit, ModelError>> {
        let o = self.history.next_redo().and_then(Self::cell_edit_option);
        let done = self.changing(o, |d| d.history.redo(&mut d.appraisal));
        if let Some(Ok(e)) = &done {
            self.unsent.push(e.clone());
        }
        done
    }

    /// A save of the document as it stands to `to` (or its own file), for
    /// the runner to run off the key path. A file changed on disk since it
    /// was loaded is not overwritten unless `force`; with `ask_replace`, the
    /// save stops to ask before replacing another file already at `to`.
    pub fn save_job(
        &self,
        to: Option<&Path>,
        force: bool,
        ask_replace: bool,
    ) -> Result<SaveJob, SaveError> {
        let target = to
            .or(self.path.as_deref())
            .ok_or(SaveError::NoFile)?
            .to_owned();
        let same_file = self.path.as_deref() == Some(target.as_path());
        Ok(SaveJob {
            target: self.target.clone(),
            from: self.path.clone(),
            // Only the file we loaded is checked for outside changes; a
            // save-as target is confirmed by the user instead.
            expected: if same_file { self.fingerprint } else { None },
            to: target,
            original: Arc::clone(&self.original),
            appraisal: self.appraisal.clone(),
            force,
            ask_replace: ask_replace && !same_file,
            old_recovery: self.recovery.clone(),
            claim: self.claim.is_some(),
        })
    }

    /// Takes in a finished save: the document now belongs to the file it
    /// went to, and is unsaved only in edits made while it was written.
    /// Returns the hold on the file it was in before, if the save moved it,
    /// for the caller to let go of.
    pub fn saved(&mut self, file: SavedFile) -> Option<Arc<recovery::Claim>> {
        self.original = Arc::from(file.text);
        self.fingerprint = Some(file.fingerprint);
        self.saved = file.appraisal;
        self.settle_dirty();
        let moved = self.path.as_deref() != Some(file.path.as_path());
        self.path = Some(file.path);
        self.whole_due = Some(WholeDue::Now);
        self.unsent.clear();
        if !moved {
            return None;
        }
        self.recovery = file.recovery;
        match file.claim {
            Some(c) => self.claim.replace(Arc::new(c)),
            None => None,
        }
    }

    /// Takes the file as it now is on disk (`text`, `fingerprint`, read as
    /// `theirs`) as the version the document was loaded from, so that the
    /// next save edits that text and expects that file: after a save found
    /// the file changed elsewhere and the user chose what to keep. The
    /// document itself is left as it is (changed with an undoable edit).
    pub fn rebase(&mut self, text: String, fingerprint: Fingerprint, theirs: Appraisal) {
        self.original = Arc::from(text);
        self.fingerprint = Some(fingerprint);
        self.saved = theirs;
        self.settle_dirty();
        self.whole_due = Some(WholeDue::Now);
    }

    /// The appraisal as last loaded or saved.
    pub fn saved_appraisal(&self) -> &Appraisal {
        &self.saved
    }

    /// What the recovery writer has not heard yet: the whole document (on
    /// opening and after a save) or the edits since it last heard. `None`
    /// when it is up to date, or there is nowhere to keep the work.
    pub fn take_recovery_news(&mut self) -> Option<Keep> {
        self.recovery.as_ref()?;
        if let Some(due) = self.whole_due.take() {
            // Edits not sent yet are in the whole copy; they call for a write.
            let edited = !std::mem::take(&mut self.unsent).is_empty();
            return Some(Keep::Whole {
                mirror: Box::new(self.mirror()?),
                write: due == WholeDue::Now || edited,
            });
        }
        if self.unsent.is_empty() {
            return None;
        }
        Some(Keep::Edits {
            edits: std::mem::take(&mut self.unsent),
            dirty: self.dirty,
        })
    }

    /// Writes (or, with nothing unsaved, removes) the recovery file here and
    /// now, if edits (or a save) since it was last written call for it: for
    /// use where no recovery writer runs (tests, and work done in place).
    pub fn flush_recovery(&mut self) -> Result<(), atomic::WriteError> {
        let due = !self.unsent.is_empty() || self.whole_due == Some(WholeDue::Now);
        self.unsent.clear();
        self.whole_due = None;
        match self.mirror() {
            Some(m) if due => m.write(),
            _ => Ok(()),
        }
    }

    /// Everything the recovery file is built from, as the document stands.
    fn mirror(&self) -> Option<Mirror> {
        Some(Mirror {
            path: self.recovery.clone()?,
            base: self.fingerprint,
            target: self.target.clone(),
            original: Arc::clone(&self.original),
            appraisal: self.appraisal.clone(),
            doc_path: self.path.clone(),
            dirty: self.dirty,
        })
    }

    /// Whether the recovery writer has news to hear.
    pub fn recovery_news_due(&self) -> bool {
        self.recovery.is_some() && (self.whole_due.is_some() || !self.unsent.is_empty())
    }

    /// Forgets the unsaved work (the user chose to discard it): nothing more
    /// is sent to the recovery writer until the next edit.
    pub fn forget_unsaved(&mut self) {
        self.unsent.clear();
    }

    /// Whether the file that was loaded or last saved is no longer there
    /// (deleted, or moved away); saving will create it again.
    pub fn missing_on_disk(&self) -> bool {
        self.path
            .as_deref()
            .is_some_and(|p| self.fingerprint.is_some() && !p.exists())
    }

    /// Whether the file on disk differs from what was loaded or last saved.
    pub fn changed_on_disk(&self) -> bool {
        match (&self.path, self.fingerprint) {
            (Some(p), Some(fp)) => Fingerprint::of_file(p).is_some_and(|now| now != fp),
            _ => false,
        }
    }
}

/// Removes temporary files that a crash part-way through a save left beside
/// `file` or its recovery file, where that is safe ([`atomic::remove_leftovers`]).
pub fn clean_up_after_crashes(file: &Path) {
    atomic::remove_leftovers(crate::panel::member::folder_of(file));
    if let Some(dir) = recovery::recovery_path(Some(file))
        .as_deref()
        .and_then(Path::parent)
        .filter(|d| !d.as_os_str().is_empty())
    {
        atomic::remove_leftovers(dir);
    }
}

/// One save of the document as it stood, self-contained so that it can run
/// on another thread ([`SaveJob::run`]).
#[derive(Debug, Clone)]
pub struct SaveJob {
    target: Target,
    from: Option<PathBuf>,
    to: PathBuf,
    original: Arc<str>,
    appraisal: Appraisal,
    expected: Option<Fingerprint>,
    force: bool,
    ask_replace: bool,
    old_recovery: Option<PathBuf>,
    claim: bool,
}

impl SaveJob {
    /// Where the save goes.
    pub fn to(&self) -> &Path {
        &self.to
    }

    /// Whether it overwrites a file changed on disk.
    pub fn force(&self) -> bool {
        self.force
    }

    /// The fingerprint the file must still have for the save to go ahead
    /// (unless forced): the file as loaded or last taken, if it is the
    /// document's own.
    pub fn expected(&self) -> Option<Fingerprint> {
        self.expected
    }

    /// The appraisal it writes.
    pub fn appraisal(&self) -> &Appraisal {
        &self.appraisal
    }

    /// The text it writes, worked out without writing it (so that `update`'s
    /// saves can be checked without a disk).
    pub fn text(&self) -> Result<String, SaveError> {
        self.target.saved_text(
            self.from.as_deref(),
            &self.to,
            &self.original,
            &self.appraisal,
        )
    }

    /// Writes the file: checks first that it may (a folder, another file to
    /// be replaced, a change on disk since loading), then writes it safely,
    /// takes a hold on the new file if the save moved the document, and
    /// removes the recovery files the saved work no longer needs.
    pub fn run(self) -> SaveOutcome {
        if self.to.is_dir() {
            return SaveOutcome::IsFolder(self.to);
        }
        if self.ask_replace && self.to.exists() {
            return SaveOutcome::AskReplace(self.to);
        }
        let saved = match self.target.save(
            self.from.as_deref(),
            &self.to,
            &self.original,
            &self.appraisal,
            self.expected,
            self.force,
        ) {
            Ok(s) => s,
            Err(SaveError::Conflict { path }) => {
                // Read what is there now, here off the key path, so that the
                // user can choose between it and the document cell by cell.
                return match self.read_theirs(&path) {
                    Some(theirs) => SaveOutcome::Changed(Box::new(theirs)),
                    None => SaveOutcome::Failed(SaveError::Conflict { path }),
                };
            }
            Err(e) => return SaveOutcome::Failed(e),
        };
        let moved = self.from.as_deref() != Some(self.to.as_path());
        let (recovery, claim) = if moved {
            // A new file: a recovery file (and a hold) of its own there.
            let plain = recovery::recovery_path(Some(&self.to));
            match plain.filter(|_| self.claim) {
                Some(p) => {
                    let c = recovery::Claim::take(&p);
                    (Some(c.recovery().to_owned()), Some(c))
                }
                None => (recovery::recovery_path(Some(&self.to)), None),
            }
        } else {
            (self.old_recovery.clone(), None)
        };
        // The saved work needs no recovery file, here or where it was. A
        // write still under way may land after this; the writer is told of
        // the save and brings its file in line again.
        for r in [self.old_recovery, recovery.clone()].into_iter().flatten() {
            let _ = recovery::remove_recovery(&r);
        }
        SaveOutcome::Saved(Box::new(SavedFile {
            path: self.to,
            text: saved.text,
            fingerprint: saved.fingerprint,
            appraisal: self.appraisal,
            recovery,
            claim,
        }))
    }
}

impl SaveJob {
    /// The file at `path` as it now is, read as the document's kind of
    /// file; `None` if it cannot be read (then only overwriting it whole,
    /// or saving elsewhere, is offered).
    fn read_theirs(&self, path: &Path) -> Option<SaveClash> {
        let bytes = std::fs::read(path).ok()?;
        let fingerprint = Fingerprint::of(&bytes);
        let text = String::from_utf8(bytes).ok()?;
        let body = text.strip_prefix(crate::document::BOM).unwrap_or(&text);
        let name = path.display().to_string();
        let theirs = self.target.read(&name, body, Some(path)).ok()?;
        Some(SaveClash {
            then_quit: false,
            text,
            fingerprint,
            theirs,
        })
    }
}

/// A save that found the file changed on disk: the file as it now is,
/// for the choice between it and the document.
#[derive(Debug, Clone, PartialEq)]
pub struct SaveClash {
    /// Quit once saved.
    pub then_quit: bool,
    /// The file's text as it now is, byte-order mark and line endings kept.
    pub text: String,
    /// Its fingerprint, which the merged save expects to find.
    pub fingerprint: crate::save::Fingerprint,
    /// The file as it now is, read.
    pub theirs: Appraisal,
}

/// How a save ended.
#[derive(Debug)]
pub enum SaveOutcome {
    /// Not written: the file changed on disk since it was loaded; here it
    /// is as it now is, to choose between.
    Changed(Box<SaveClash>),
    /// Written.
    Saved(Box<SavedFile>),
    /// Another file is there: ask before replacing it.
    AskReplace(PathBuf),
    /// The name is a folder.
    IsFolder(PathBuf),
    /// Not written, and why (a change on disk, a permission, a full disk).
    Failed(SaveError),
}

/// What a save wrote.
#[derive(Debug)]
pub struct SavedFile {
    /// The file written.
    pub path: PathBuf,
    /// The text now on disk.
    pub text: String,
    /// Its fingerprint.
    pub fingerprint: Fingerprint,
    /// The appraisal as saved.
    pub appraisal: Appraisal,
    /// The recovery file for the file written.
    pub recovery: Option<PathBuf>,
    /// A hold on the file written, when the save moved the document there.
    pub claim: Option<recovery::Claim>,
}
