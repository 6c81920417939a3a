//! The TUI's state: the document being edited ([`Doc`]) kept apart from how it
//! is being looked at ([`View`]).

use std::path::{Path, PathBuf};

use crate::atomic;
use crate::compute::{Results, compute};
use crate::document;
use crate::load::{self, LoadError, Loaded};
use crate::model::{Appraisal, ModelError};
use crate::recovery;
use crate::save::{self, Fingerprint, SaveError};

use super::edit::{Edit, History};
use super::live::Live;
use super::member::{self, MemberSheet};
use super::panel::PanelState;
use super::swing::Swing;
use super::text::TextInput;

/// Everything the TUI knows: the document and the view of it.
#[derive(Debug, Clone)]
pub struct App {
    /// The appraisal being edited and its file.
    pub doc: Doc,
    /// Selection, scrolling, the open dialog and other presentation state.
    pub view: View,
    /// Set when the user has chosen to leave.
    pub quit: bool,
    /// Members' sheets merged for the panel view, when a panel was opened.
    pub panel: Option<PanelState>,
    /// The signal that ended the app (`SIGTERM`, `SIGHUP`), if one did.
    pub stopped_by: Option<&'static str>,
}

/// Which file the document is saved to.
#[derive(Debug, Clone)]
pub enum Target {
    /// The appraisal file itself (or the bundled example).
    Appraisal,
    /// A member's scoresheet: the document holds the member's scores and notes
    /// on the shared appraisal's options and criteria, and saving writes them
    /// into the sheet.
    Sheet(Box<MemberSheet>),
}

/// What the grid is showing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Showing {
    /// The document's own scores (the member's, in member mode).
    Own,
    /// The appraisal's shared scores, read-only, in member mode.
    Shared,
    /// The panel's consensus, read-only.
    Panel,
}

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
            let missing = o.unscored();
            s.unscored += missing;
            s.incomplete |= missing > 0;
            s.longest_name = s.longest_name.max(o.name().chars().count());
            s.published_differ += usize::from(published_differs(a, results, i));
        }
        s
    }
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
    original: String,
    fingerprint: Option<Fingerprint>,
    recovery: Option<PathBuf>,
    recovery_stale: bool,
    /// Counts edits (and undos), so derived data knows when it is stale.
    version: u64,
    /// The live sensitivity analysis, when the view has asked for it.
    live: Option<Live>,
    /// Whether this is the appraisal file or a member's sheet.
    target: Target,
    /// This copy's lock beside the file and its own recovery file, when
    /// opened for real ([`App::open`]); shared by clones, released with the last.
    claim: Option<std::sync::Arc<recovery::Claim>>,
}

impl Doc {
    fn new(loaded: Loaded, path: Option<PathBuf>) -> Doc {
        let (original, fingerprint) = match &path {
            Some(p) => {
                let (text, fp) = save::as_on_disk(p, loaded.source.text);
                (text, Some(fp))
            }
            None => (loaded.source.text, None),
        };
        let recovery = recovery::recovery_path(path.as_deref());
        let results = compute(&loaded.appraisal);
        Doc {
            saved: loaded.appraisal.clone(),
            summary: Summary::of(&loaded.appraisal, &results),
            appraisal: loaded.appraisal,
            results,
            history: History::default(),
            dirty: false,
            differing: Some(0),
            path,
            original,
            fingerprint,
            recovery,
            recovery_stale: false,
            version: 0,
            live: None,
            target: Target::Appraisal,
            claim: None,
        }
    }

    fn for_sheet(opened: member::Opened) -> Doc {
        let member::Opened {
            member,
            appraisal,
            text,
            sheet_path,
            ..
        } = opened;
        let (text, fingerprint) = save::as_on_disk(&sheet_path, text);
        let fingerprint = Some(fingerprint);
        let recovery = recovery::recovery_path(Some(&sheet_path));
        let results = compute(&appraisal);
        Doc {
            saved: appraisal.clone(),
            summary: Summary::of(&appraisal, &results),
            results,
            appraisal,
            history: History::default(),
            dirty: false,
            differing: Some(0),
            path: Some(sheet_path),
            original: text,
            fingerprint,
            recovery,
            recovery_stale: false,
            version: 0,
            live: None,
            target: Target::Sheet(Box::new(member)),
            claim: None,
        }
    }

    /// Takes this copy's hold on the file: a lock beside it naming who has it
    /// open, and a recovery file of its own (see [`recovery::Claim`]).
    fn claim(&mut self) {
        let Some(plain) = recovery::recovery_path(self.path.as_deref()) else {
            return;
        };
        let claim = recovery::Claim::take(&plain);
        self.recovery = Some(claim.recovery().to_owned());
        self.claim = Some(std::sync::Arc::new(claim));
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
        match &self.target {
            Target::Sheet(m) => Some(m),
            Target::Appraisal => None,
        }
    }

    /// The file's text as it would be saved now: the original with the
    /// changes applied, comments and layout kept. If the original cannot be
    /// edited, the text is written afresh.
    pub fn text_now(&self) -> String {
        text_of(
            &self.target,
            &self.original,
            &self.appraisal,
            self.path.as_deref(),
        )
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

    /// Brings the live sensitivity analysis up to date with the appraisal.
    pub fn refresh_live(&mut self) {
        if !self.live_is_current() {
            self.live = Some(Live::compute(&self.appraisal, self.version));
        }
    }

    fn refresh(&mut self) {
        self.version += 1;
        self.results = compute(&self.appraisal);
        self.summary = Summary::of(&self.appraisal, &self.results);
        self.differing = self.count_differing();
        self.dirty = match self.differing {
            Some(k) => k > 0,
            None => self.appraisal != self.saved,
        };
        self.recovery_stale = true;
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
            Some((o, differing, a != s, a.unscored(), differs))
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
        let unscored = a.unscored();
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
        self.recovery_stale = true;
        out
    }

    /// Applies and records an edit.
    pub fn apply(&mut self, edit: Edit) -> Result<(), ModelError> {
        let o = Self::cell_edit_option(&edit);
        self.changing(o, |d| d.history.apply(&mut d.appraisal, edit))
    }

    /// Undoes the latest edit, if any.
    pub fn undo(&mut self) -> Option<Result<Edit, ModelError>> {
        let o = self.history.next_undo().and_then(Self::cell_edit_option);
        self.changing(o, |d| d.history.undo(&mut d.appraisal))
    }

    /// Redoes the latest undone edit, if any.
    pub fn redo(&mut self) -> Option<Result<Edit, ModelError>> {
        let o = self.history.next_redo().and_then(Self::cell_edit_option);
        self.changing(o, |d| d.history.redo(&mut d.appraisal))
    }

    /// Saves to the current file (or `path` for save-as), refusing to
    /// overwrite a file changed on disk unless `force`.
    pub fn save(&mut self, path: Option<&Path>, force: bool) -> Result<PathBuf, SaveError> {
        let target = match path.or(self.path.as_deref()) {
            Some(p) => p.to_owned(),
            None => {
                return Err(SaveError::NoFile);
            }
        };
        let same_file = self.path.as_deref() == Some(target.as_path());
        // Only the file we loaded is checked for outside changes; a save-as
        // target is confirmed by the user before we get here.
        let expected = if same_file { self.fingerprint } else { None };
        let saved = match &self.target {
            Target::Appraisal => save::save(
                &target,
                Some(&self.original),
                &self.appraisal,
                expected,
                force,
            )?,
            Target::Sheet(m) => save_sheet(
                m,
                self.path.as_deref(),
                &target,
                &self.original,
                &self.appraisal,
                expected,
                force,
            )?,
        };
        let old_recovery = self.recovery.clone();
        self.original = saved.text;
        self.fingerprint = Some(saved.fingerprint);
        self.saved = self.appraisal.clone();
        self.dirty = false;
        self.differing = Some(0);
        let moved = self.path.as_deref() != Some(target.as_path());
        self.path = Some(target.clone());
        if moved {
            // A new file: a recovery file (and a hold) of its own there.
            self.recovery = recovery::recovery_path(Some(&target));
            if self.claim.is_some() {
                self.claim();
            }
        }
        for r in [old_recovery, self.recovery.clone()].into_iter().flatten() {
            let _ = recovery::remove_recovery(&r);
        }
        // A recovery write still under way elsewhere may land after the
        // removal above; the next job (nothing unsaved) removes it again.
        self.recovery_stale = true;
        Ok(target)
    }

    /// Writes (or, with nothing unsaved, removes) the recovery file if edits
    /// happened since it was last written. Errors are returned for a message,
    /// and the write is tried again after the next edit.
    pub fn flush_recovery(&mut self) -> Result<(), atomic::WriteError> {
        self.take_recovery_job().map_or(Ok(()), RecoveryJob::run)
    }

    /// The recovery write that edits since the last one call for, to be run
    /// off the key path ([`RecoveryJob::run`]); `None` if nothing changed.
    /// Taking it counts as writing: a failed job should be reported, and the
    /// next edit brings a new one.
    pub fn take_recovery_job(&mut self) -> Option<RecoveryJob> {
        if !std::mem::take(&mut self.recovery_stale) {
            return None;
        }
        let path = self.recovery.clone()?;
        let text = self.dirty.then(|| RecoveryText {
            base: self.fingerprint,
            target: self.target.clone(),
            original: self.original.clone(),
            appraisal: self.appraisal.clone(),
            doc_path: self.path.clone(),
        });
        Some(RecoveryJob { path, text })
    }

    /// Whether edits have happened since the recovery file was last written.
    pub fn recovery_is_stale(&self) -> bool {
        self.recovery_stale
    }

    /// Throws away the recovery file (the user chose to discard unsaved work).
    pub fn discard_recovery(&mut self) {
        if let Some(r) = &self.recovery {
            let _ = recovery::remove_recovery(r);
        }
        self.recovery_stale = false;
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
fn clean_up_after_crashes(file: &Path) {
    atomic::remove_leftovers(crate::panel::member::folder_of(file));
    if let Some(dir) = recovery::recovery_path(Some(file))
        .as_deref()
        .and_then(Path::parent)
        .filter(|d| !d.as_os_str().is_empty())
    {
        atomic::remove_leftovers(dir);
    }
}

/// The text `appraisal` would be saved as: `original` with the changes
/// applied (into the sheet, for a member), or written afresh if it cannot be edited.
fn text_of(target: &Target, original: &str, appraisal: &Appraisal, path: Option<&Path>) -> String {
    match target {
        Target::Appraisal => document::update_document(original, appraisal)
            .unwrap_or_else(|_| document::to_toml(appraisal)),
        Target::Sheet(m) => crate::panel::member::update_sheet(original, appraisal, None)
            .unwrap_or_else(|_| {
                let reference = path.map(crate::panel::member::folder_of).map_or_else(
                    || m.appraisal_path.display().to_string(),
                    |dir| crate::panel::member::relative_path(&m.appraisal_path, dir),
                );
                let blank = crate::panel::blank_sheet(&m.shared, &reference, &m.member);
                crate::panel::member::update_sheet(&blank, appraisal, None).unwrap_or(blank)
            }),
    }
}

/// One write (or removal) of a recovery file, for one state of the
/// document, self-contained so that it can run on another thread.
#[derive(Debug, Clone)]
pub struct RecoveryJob {
    path: PathBuf,
    /// What to write; `None` when nothing is unsaved, so the file goes.
    text: Option<RecoveryText>,
}

#[derive(Debug, Clone)]
struct RecoveryText {
    base: Option<Fingerprint>,
    target: Target,
    original: String,
    appraisal: Appraisal,
    doc_path: Option<PathBuf>,
}

impl RecoveryJob {
    /// Where the job writes.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Works out the text and writes the recovery file, or removes it when
    /// nothing is unsaved.
    pub fn run(self) -> Result<(), atomic::WriteError> {
        match self.text {
            None => recovery::remove_recovery(&self.path),
            Some(t) => {
                let text = text_of(&t.target, &t.original, &t.appraisal, t.doc_path.as_deref());
                recovery::write_recovery_on(&self.path, &text, t.base)
            }
        }
    }
}

/// Saves a member's scores and notes into their sheet at `target`, refusing
/// to overwrite a sheet changed on disk unless `force`, as [`save::save`] does
/// for appraisals. A sheet saved into another folder has its `appraisal` path
/// rewritten so that it still finds the appraisal.
fn save_sheet(
    member: &MemberSheet,
    from: Option<&Path>,
    target: &Path,
    original: &str,
    appraisal: &Appraisal,
    expected: Option<Fingerprint>,
    force: bool,
) -> Result<save::Saved, SaveError> {
    if let (Some(expected), false) = (expected, force)
        && Fingerprint::of_file(target).is_some_and(|now| now != expected)
    {
        return Err(SaveError::Conflict {
            path: target.to_owned(),
        });
    }
    let reference = member::moves_folder(from, target).then(|| {
        crate::panel::member::relative_path(
            &member.appraisal_path,
            crate::panel::member::folder_of(target),
        )
    });
    let text = crate::panel::member::update_sheet(original, appraisal, reference.as_deref())?;
    atomic::write(target, text.as_bytes())?;
    Ok(save::Saved {
        fingerprint: Fingerprint::of(text.as_bytes()),
        text,
    })
}

/// Which pane has the keyboard.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Focus {
    /// The score grid: arrows move between cells.
    #[default]
    Grid,
    /// The details pane: arrows scroll it.
    Details,
}

/// The order options are listed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sort {
    /// As in the file.
    #[default]
    File,
    /// Best total first.
    Rank,
}

/// What a one-line prompt is asking for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PromptKind {
    /// A new weight for criterion `c`.
    Weight(usize),
    /// A new name for option `o`.
    RenameOption(usize),
    /// A new name for criterion `c`.
    RenameCriterion(usize),
    /// The name of a new option.
    AddOption,
    /// The name of a new criterion.
    AddCriterion,
    /// A file to save to.
    SaveAs {
        /// Quit once saved.
        then_quit: bool,
    },
    /// A file to export to, in the given format.
    ExportPath(usize),
}

/// A one-line question with its answer being typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prompt {
    /// What is being asked.
    pub kind: PromptKind,
    /// The answer so far.
    pub input: TextInput,
}

/// A yes/no (or similar) question.
#[derive(Debug, Clone, PartialEq)]
pub enum Confirm {
    /// Unsaved changes: save, discard or stay?
    Quit,
    /// Remove option `o`?
    RemoveOption(usize),
    /// Remove criterion `c`?
    RemoveCriterion(usize),
    /// The file changed on disk: overwrite, save elsewhere or cancel?
    Conflict {
        /// Quit once saved.
        then_quit: bool,
    },
    /// A save-as target exists already: replace it?
    Replace {
        /// The target.
        path: PathBuf,
        /// Quit once saved.
        then_quit: bool,
    },
    /// An export would replace files already there: replace them?
    ReplaceExport {
        /// The export format (an index into the export menu).
        format: usize,
        /// The file or folder typed.
        path: PathBuf,
        /// What is there already, in words ("review.md", "3 .csv files").
        existing: String,
    },
    /// A recovery file was found, but the file changed on disk after the
    /// work was kept (a colleague's edits): choose, cell by cell or as a
    /// whole, between the restored work and the file as it is now.
    RecoveryClash(Box<Clashes>),
    /// Esc in a box holding changes: throw them away?
    Discard {
        /// What would be thrown away, in words ("your changes to this note").
        what: String,
        /// The box, as it was, to go back to.
        back: Box<Mode>,
    },
    /// A recovery file was found: restore or discard it?
    Recovery {
        /// The recovered appraisal.
        recovered: Box<Appraisal>,
        /// The recovery file it came from.
        from: PathBuf,
        /// Who left it, if another copy's stale lock names it.
        left_by: Option<String>,
        /// That copy's lock, to remove once the work is dealt with.
        stale_lock: Option<PathBuf>,
    },
}

/// One cell on which restored work and the file as it now is disagree.
#[derive(Debug, Clone, PartialEq)]
pub struct Clash {
    /// Option index.
    pub o: usize,
    /// Criterion index.
    pub c: usize,
    /// The restored work's score and note.
    pub yours: (Option<f64>, Option<String>),
    /// The score and note in the file now.
    pub theirs: (Option<f64>, Option<String>),
}

/// Restored work set against the file as it now is.
#[derive(Debug, Clone, PartialEq)]
pub struct Clashes {
    /// The restored work, whole.
    pub recovered: Appraisal,
    /// The recovery file it came from.
    pub from: PathBuf,
    /// A stale lock of the copy that left it, to remove once dealt with.
    pub stale_lock: Option<PathBuf>,
    /// The cells that differ.
    pub cells: Vec<Clash>,
    /// For each cell, whether to take the restored work's version.
    pub take_yours: Vec<bool>,
    /// The highlighted cell.
    pub selected: usize,
    /// Whether more than cells differ (weights, names, options, criteria).
    pub beyond_cells: bool,
}

impl Clashes {
    /// Sets `recovered` against `now` (the file as loaded), or `None` if
    /// their options or criteria differ, so cells cannot be matched.
    pub fn between(recovered: Appraisal, now: &Appraisal, from: PathBuf) -> Option<Clashes> {
        let ids = |a: &Appraisal| {
            (
                a.options()
                    .iter()
                    .map(|o| o.id().clone())
                    .collect::<Vec<_>>(),
                a.criteria()
                    .iter()
                    .map(|c| c.id().clone())
                    .collect::<Vec<_>>(),
            )
        };
        if ids(&recovered) != ids(now) {
            return None;
        }
        let mut cells = Vec::new();
        for (o, (mine, theirs)) in recovered.options().iter().zip(now.options()).enumerate() {
            for c in 0..now.criteria().len() {
                let y = (mine.score(c), mine.note(c).map(str::to_owned));
                let t = (theirs.score(c), theirs.note(c).map(str::to_owned));
                if y != t {
                    cells.push(Clash {
                        o,
                        c,
                        yours: y,
                        theirs: t,
                    });
                }
            }
        }
        let mut merged = now.clone();
        for cell in &cells {
            set_cell(&mut merged, cell.o, cell.c, &cell.yours);
        }
        let beyond_cells = merged != recovered;
        Some(Clashes {
            take_yours: vec![true; cells.len()],
            recovered,
            from,
            stale_lock: None,
            cells,
            selected: 0,
            beyond_cells,
        })
    }

    /// The file as it now is, with the cells chosen from the restored work.
    pub fn merged(&self, now: &Appraisal) -> Appraisal {
        let mut out = now.clone();
        for (cell, &yours) in self.cells.iter().zip(&self.take_yours) {
            if yours {
                set_cell(&mut out, cell.o, cell.c, &cell.yours);
            }
        }
        out
    }
}

fn set_cell(a: &mut Appraisal, o: usize, c: usize, (score, note): &(Option<f64>, Option<String>)) {
    let _ = a.set_score(o, c, *score);
    if let Some(opt) = a.option_mut(o) {
        let _ = opt.set_note(c, note.clone());
    }
}

/// The note being edited for one cell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoteEditor {
    /// Option index.
    pub o: usize,
    /// Criterion index.
    pub c: usize,
    /// The text and cursor.
    pub input: TextInput,
    /// The note as it was when the box opened, to tell whether it changed.
    pub was: String,
}

impl NoteEditor {
    /// Opens the note of cell (`o`, `c`), holding `text`.
    pub fn open(o: usize, c: usize, text: &str) -> NoteEditor {
        NoteEditor {
            o,
            c,
            input: TextInput::multi(text),
            was: text.to_owned(),
        }
    }

    /// Whether the text differs from the note as it was.
    pub fn changed(&self) -> bool {
        self.input.text() != self.was
    }
}

/// Choosing an export format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExportChooser {
    /// The highlighted format.
    pub selected: usize,
}

/// What is on screen besides the grid.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Mode {
    /// The grid and details, ready for keys.
    #[default]
    Normal,
    /// The help screen over what was open before it.
    Help {
        /// Lines scrolled.
        scroll: u16,
        /// What closing the help goes back to (a dialog, the live view, the grid).
        back: Box<Mode>,
    },
    /// Editing a note.
    Note(NoteEditor),
    /// Asking for a line of text.
    Prompt(Prompt),
    /// Asking a question.
    Confirm(Confirm),
    /// The swing-weighting assistant.
    Swing(Swing),
    /// The live sensitivity view.
    Sensitivity,
    /// Choosing an export format.
    Export(ExportChooser),
}

/// How important a status message is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    /// Something done ("Saved").
    Info,
    /// Something refused, with the reason.
    Error,
}

/// A one-line message under the grid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    /// How it is shown.
    pub severity: Severity,
    /// The text.
    pub text: String,
}

/// How the document is being looked at: nothing here is saved.
#[derive(Debug, Clone, PartialEq)]
pub struct View {
    /// Terminal size (columns, rows), from the last resize.
    pub size: (u16, u16),
    /// Selected option, as an index in file order (so it survives re-sorting).
    pub option: usize,
    /// Selected criterion index.
    pub criterion: usize,
    /// First option row shown (in display order).
    pub row_offset: usize,
    /// First criterion column shown.
    pub col_offset: usize,
    /// Which pane has the keyboard.
    pub focus: Focus,
    /// Lines the details pane is scrolled by.
    pub details_scroll: u16,
    /// Order of the option rows.
    pub sort: Sort,
    /// The open dialog or screen.
    pub mode: Mode,
    /// The latest message.
    pub message: Option<Message>,
    /// Digits typed into the selected cell so far, so `1` then `0` gives 10 on a 0-10 scale.
    pub digits: Option<(usize, usize, String)>,
    /// Whether colour may be used (off when NO_COLOR is set).
    pub colour: bool,
    /// In member mode, whether the grid shows the shared scores (read-only)
    /// instead of the member's own.
    pub shared: bool,
    /// Whether the panel view is open: the grid shows the consensus of the
    /// members' sheets, read-only. Dialogs such as help open over it.
    pub panel: bool,
    /// Whether the mouse selects cells (on) or is left to the terminal for
    /// selecting and copying text (off).
    pub mouse: bool,
}

impl Default for View {
    fn default() -> View {
        View {
            size: (80, 24),
            option: 0,
            criterion: 0,
            row_offset: 0,
            col_offset: 0,
            focus: Focus::Grid,
            details_scroll: 0,
            sort: Sort::File,
            mode: Mode::Normal,
            message: None,
            digits: None,
            colour: true,
            shared: false,
            panel: false,
            mouse: true,
        }
    }
}

impl View {
    /// Shows an informational message.
    pub fn info(&mut self, text: impl Into<String>) {
        self.message = Some(Message {
            severity: Severity::Info,
            text: text.into(),
        });
    }

    /// Shows an error message.
    pub fn error(&mut self, text: impl Into<String>) {
        self.message = Some(Message {
            severity: Severity::Error,
            text: text.into(),
        });
    }
}

impl App {
    /// Wraps a loaded appraisal; `path` is `None` for the bundled example.
    /// Unlike [`App::open`], this does not look for a recovery file.
    pub fn new(loaded: Loaded, path: Option<PathBuf>) -> App {
        App {
            doc: Doc::new(loaded, path),
            view: View::default(),
            quit: false,
            panel: None,
            stopped_by: None,
        }
    }

    /// Opens `member`'s scoresheet for the appraisal at `appraisal_path` (the
    /// sheet at `sheet`, or the default path beside the appraisal), creating it
    /// blank if it does not exist yet. As with [`App::open`], unsaved work in a
    /// recovery file is offered first.
    pub fn open_member(
        appraisal_path: &Path,
        member: &str,
        sheet: Option<&Path>,
    ) -> Result<App, LoadError> {
        let opened = member::open(appraisal_path, member, sheet)?;
        clean_up_after_crashes(&opened.sheet_path);
        let created = opened.created;
        let warning = opened.warnings.first().cloned();
        let mut app = App {
            doc: Doc::for_sheet(opened),
            view: View::default(),
            quit: false,
            panel: None,
            stopped_by: None,
        };
        let name = app.doc.display_name();
        let who = app
            .doc
            .member()
            .map_or("", |m| m.member.as_str())
            .to_owned();
        if created {
            app.view
                .info(format!("New sheet {name} for {who}; Ctrl-s saves"));
        } else if let Some(w) = warning {
            app.view.info(w);
        } else {
            app.view.info(format!(
                "Scoring as {who} into {name}; c shows the shared scores"
            ));
        }
        app.doc.claim();
        app.note_other_copies();
        app.offer_recovery();
        Ok(app)
    }

    /// Attaches members' sheets and opens the panel view on them.
    pub fn set_panel(&mut self, mut panel: PanelState) {
        panel.refresh(&self.doc.appraisal, self.doc.version);
        self.panel = Some(panel);
        self.view.panel = true;
        self.view.shared = false;
    }

    /// What the grid is showing: the document's own scores, the shared
    /// scores (member mode) or the panel's consensus (panel view).
    pub fn showing(&self) -> Showing {
        if self.view.panel && self.panel.is_some() {
            Showing::Panel
        } else if self.view.shared && self.doc.member().is_some() {
            Showing::Shared
        } else {
            Showing::Own
        }
    }

    /// The appraisal whose scores the grid is showing.
    pub fn shown_appraisal(&self) -> &Appraisal {
        match self.showing() {
            Showing::Own => self.doc.appraisal(),
            Showing::Shared => self
                .doc
                .member()
                .map_or(self.doc.appraisal(), |m| &m.shared),
            Showing::Panel => self
                .panel
                .as_ref()
                .and_then(PanelState::merged)
                .map_or(self.doc.appraisal(), |m| &m.consensus),
        }
    }

    /// Totals and ranks of what the grid is showing.
    pub fn shown_results(&self) -> &Results {
        match self.showing() {
            Showing::Own => self.doc.results(),
            Showing::Shared => self
                .doc
                .member()
                .map_or(self.doc.results(), |m| &m.shared_results),
            Showing::Panel => self
                .panel
                .as_ref()
                .and_then(PanelState::merged)
                .map_or(self.doc.results(), |m| &m.results),
        }
    }

    /// Opens the file at `path`. If a recovery file from an earlier session
    /// holds different work, the app starts by offering to restore it.
    pub fn open(path: &Path) -> Result<App, LoadError> {
        let loaded = load::load_path(path)?;
        clean_up_after_crashes(path);
        let mut app = App::new(loaded, Some(path.to_owned()));
        app.doc.claim();
        app.note_other_copies();
        app.offer_recovery();
        app.note_published_totals();
        Ok(app)
    }

    /// Opens the bundled example, offering any recovery file as [`App::open`] does.
    pub fn example() -> Result<App, LoadError> {
        let mut app = App::new(load::load_example()?, None);
        app.doc.claim();
        app.offer_recovery();
        app.note_published_totals();
        Ok(app)
    }

    /// Mentions, in the message line, options whose published total differs
    /// from the sum of their scores, since the grid shows only the latter.
    pub fn note_published_totals(&mut self) {
        if self.view.message.is_some() {
            return;
        }
        let a = &self.doc.appraisal;
        let found = crate::compute::reconcile(a, &self.doc.results);
        let Some(&(o, _, computed)) = found.first() else {
            return;
        };
        let name = a.options().get(o).map_or("", |x| x.name());
        let published = a
            .options()
            .get(o)
            .and_then(|x| x.published())
            .map_or_else(String::new, |p| p.text());
        let more = match found.len() {
            1 => String::new(),
            n => format!(" (and {} more)", n - 1),
        };
        self.view.info(format!(
            "Note: {name}'s published total is {published} but {} {}{more}",
            crate::compute::total_phrase(a),
            crate::numbers::total(computed)
        ));
    }

    /// Says, in the message line, who else has the file open.
    fn note_other_copies(&mut self) {
        let others = self.doc.other_copies();
        let Some(first) = others.first() else {
            return;
        };
        let more = match others.len() {
            1 => String::new(),
            n => format!(" and {} more", n - 1),
        };
        let text = format!(
            "Also open by {}{more}; each copy keeps its own unsaved work, and Ctrl-s asks before overwriting the other's saves",
            first.owner.describe()
        );
        self.view.error(text);
    }

    /// Offers to restore unsaved work that a copy which ended without saving
    /// left in a recovery file, if there is any (the newest first). Work that
    /// belongs to another running copy is never offered or touched.
    pub fn offer_recovery(&mut self) {
        let Some(plain) = recovery::recovery_path(self.doc.path.as_deref()) else {
            return;
        };
        let others = self
            .doc
            .claim
            .as_deref()
            .map(|c| c.others().to_vec())
            .unwrap_or_default();
        let mut found = recovery::orphans(&plain, &others);
        if self.doc.claim.is_none() {
            // Without a claim, only this copy's own file counts.
            found.retain(|(p, _)| Some(p.as_path()) == self.doc.recovery.as_deref());
        }
        for (rec, left_by) in found {
            let Some((text, base)) = recovery::read_recovery_on(&rec) else {
                continue;
            };
            let name = rec.display().to_string();
            let read = match (&self.doc.target, &self.doc.path) {
                (Target::Sheet(m), Some(sheet)) => {
                    m.read_text(&name, &text, crate::panel::member::folder_of(sheet))
                }
                _ => load::load_str(&name, &text).map(|l| l.appraisal),
            };
            match read {
                Ok(recovered)
                    if recovered != self.doc.appraisal
                        && base.is_some()
                        && base != self.doc.fingerprint =>
                {
                    // The file changed after the work was kept: show what differs.
                    match Clashes::between(recovered.clone(), &self.doc.appraisal, rec.clone()) {
                        Some(mut clashes) => {
                            clashes.stale_lock = left_by.map(|o| o.lock);
                            self.view.mode =
                                Mode::Confirm(Confirm::RecoveryClash(Box::new(clashes)));
                        }
                        None => {
                            self.view.mode = Mode::Confirm(Confirm::Recovery {
                                recovered: Box::new(recovered),
                                from: rec,
                                left_by: Some(
                                    "the file has changed since, and restoring replaces it as a whole"
                                        .to_owned(),
                                ),
                                stale_lock: left_by.map(|o| o.lock),
                            });
                        }
                    }
                    return;
                }
                Ok(recovered) if recovered != self.doc.appraisal => {
                    self.view.mode = Mode::Confirm(Confirm::Recovery {
                        recovered: Box::new(recovered),
                        from: rec,
                        left_by: left_by.as_ref().map(|o| {
                            format!(
                                "{} on {}, last seen {} ago",
                                o.owner.user,
                                o.owner.host,
                                recovery::ago(o.quiet_for)
                            )
                        }),
                        stale_lock: left_by.map(|o| o.lock),
                    });
                    return;
                }
                Ok(_) => {
                    // Same as the file: nothing to recover.
                    let _ = recovery::remove_recovery(&rec);
                }
                Err(_) => {
                    self.view.error(format!(
                        "a recovery file at {} could not be read; it was left in place",
                        rec.display()
                    ));
                    return;
                }
            }
        }
    }

    /// Removes a recovery file whose work was restored or discarded (not
    /// this copy's own, which follows the document).
    pub fn settle_recovery(&mut self, from: &Path) {
        if Some(from) != self.doc.recovery.as_deref() {
            let _ = recovery::remove_recovery(from);
        }
    }

    /// The option indices in the order the rows are shown.
    pub fn display_order(&self) -> Vec<usize> {
        match self.view.sort {
            Sort::File => (0..self.doc.appraisal.options().len()).collect(),
            Sort::Rank => {
                let order = self.shown_results().rank_order();
                // The shown results cover the same options; fall back if not.
                if order.len() == self.doc.appraisal.options().len() {
                    order
                } else {
                    self.doc.results.rank_order()
                }
            }
        }
    }

    /// The display row of the selected option.
    pub fn selected_row(&self) -> usize {
        match self.view.sort {
            Sort::File => self.view.option,
            Sort::Rank => self
                .display_order()
                .iter()
                .position(|&o| o == self.view.option)
                .unwrap_or(0),
        }
    }
}
