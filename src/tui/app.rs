//! The TUI's state: the document being edited ([`Doc`]) kept apart from how it
//! is being looked at ([`View`]) and from what the grid shows ([`Grid`]).

use std::path::{Path, PathBuf};

use crate::compute::Results;
use crate::load::{self, LoadError, Loaded};
use crate::model::Appraisal;
use crate::recovery;

use super::doc::clean_up_after_crashes;
pub use super::doc::{Doc, SaveClash, Summary, published_differs};
use super::member;
use super::panel::PanelState;
use super::swing::Swing;
pub use super::target::Target;
use super::text::TextInput;

/// Everything the TUI knows: the document and the view of it.
#[derive(Debug, Clone)]
pub struct App {
    /// The appraisal being edited and its file.
    pub doc: Doc,
    /// Selection, scrolling, the open dialog and other presentation state.
    pub view: View,
    /// What the grid shows: the document's own scores, the shared ones, or
    /// the panel's consensus.
    pub grid: Grid,
    /// Work under way off the key path, for the screen to show.
    pub jobs: Jobs,
    /// Set when the user has chosen to leave.
    pub quit: bool,
    /// The signal that ended the app (`SIGTERM`, `SIGHUP`), if one did.
    pub stopped_by: Option<&'static str>,
}

/// What the grid shows: one place, so the views cannot disagree.
#[derive(Debug, Clone, Default)]
pub enum Grid {
    /// The document's own scores (the member's, in member mode). A panel
    /// opened before is kept, so that opening it again is instant.
    #[default]
    Own,
    /// [`Grid::Own`], with a panel opened earlier kept to open again.
    OwnKeepingPanel(Box<PanelState>),
    /// The appraisal's shared scores, read-only, in member mode.
    Shared,
    /// The panel's consensus of members' sheets, read-only.
    Panel(Box<PanelState>),
}

impl Grid {
    /// What is showing, without the panel.
    pub fn showing(&self) -> Showing {
        match self {
            Grid::Own | Grid::OwnKeepingPanel(_) => Showing::Own,
            Grid::Shared => Showing::Shared,
            Grid::Panel(_) => Showing::Panel,
        }
    }

    /// The panel, open or kept.
    pub fn panel(&self) -> Option<&PanelState> {
        match self {
            Grid::Panel(p) | Grid::OwnKeepingPanel(p) => Some(p),
            Grid::Own | Grid::Shared => None,
        }
    }

    /// The panel, open or kept, to change.
    pub fn panel_mut(&mut self) -> Option<&mut PanelState> {
        match self {
            Grid::Panel(p) | Grid::OwnKeepingPanel(p) => Some(p),
            Grid::Own | Grid::Shared => None,
        }
    }

    /// Back to the document's own scores, keeping any panel to open again.
    pub fn close(&mut self) {
        *self = match std::mem::take(self) {
            Grid::Panel(p) | Grid::OwnKeepingPanel(p) => Grid::OwnKeepingPanel(p),
            Grid::Own | Grid::Shared => Grid::Own,
        };
    }

    /// Opens the panel view on the panel kept, if there is one.
    pub fn reopen_panel(&mut self) -> bool {
        match std::mem::take(self) {
            Grid::OwnKeepingPanel(p) | Grid::Panel(p) => {
                *self = Grid::Panel(p);
                true
            }
            other => {
                *self = other;
                false
            }
        }
    }
}

/// Work under way off the key path.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Jobs {
    /// A save is being written.
    pub saving: bool,
    /// Members' sheets are being read.
    pub loading_panel: bool,
    /// An export is being written: what, the stage it is at, and for how long.
    pub export: Option<Progress>,
}

/// A long job's progress, as the screen shows it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Progress {
    /// What is being done ("Exporting review.docx").
    pub what: String,
    /// The stage it is at ("working out the tables and the sensitivity").
    pub stage: String,
    /// Seconds since it started.
    pub seconds: u64,
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
    /// The raw value of measured criterion `c` (the second) for option `o`.
    Measure(usize, usize),
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
    /// Two versions of the document to choose between, cell by cell or as
    /// a whole: a recovery file found after the file changed on disk (a
    /// colleague's edits since the work was kept), or a save that found the
    /// file changed since it was loaded ([`Clashes::save`] is then set).
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
    /// The score and note both started from (the file as loaded), when
    /// known: it tells who changed the cell.
    pub base: Option<(Option<f64>, Option<String>)>,
}

impl Clash {
    /// Who changed the cell since the version both started from, if known.
    pub fn changed_by(&self) -> Option<ChangedBy> {
        let base = self.base.as_ref()?;
        Some(match (self.yours != *base, self.theirs != *base) {
            (true, false) => ChangedBy::You,
            (false, true) => ChangedBy::Them,
            _ => ChangedBy::Both,
        })
    }
}

/// Who changed a cell since the version both sides started from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangedBy {
    /// Only this copy.
    You,
    /// Only whoever saved the file since.
    Them,
    /// Both, differently.
    Both,
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
    /// For a save: the file as it now is (the choice is then saved).
    pub save: Option<Box<SaveClash>>,
    /// For a save: how many lines hold a change made on disk (a cell
    /// changed by them, or by both; the weights and names, if they changed
    /// them). With none, nothing of theirs is at stake.
    pub their_changes: usize,
    /// For a save whose weights, names or descriptions differ from the
    /// file's: whether to keep yours (`Some(true)`) or theirs. It is the
    /// first line of the list, chosen as a cell is.
    pub frame: Option<bool>,
    /// Who changed the weights and names, when they differ and that is known.
    pub frame_by: Option<ChangedBy>,
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
                        base: None,
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
            save: None,
            frame: None,
            frame_by: None,
            their_changes: 0,
        })
    }

    /// Restored work (`recovered`) against the file as it now is (`now`).
    /// With `base`, the version the work started from, each cell keeps by
    /// default the version of whoever changed it (yours where both did), so
    /// that a restore never silently undoes a colleague's later edit;
    /// without it, every cell keeps yours. `None` if the options or
    /// criteria differ.
    pub fn for_restore(
        recovered: Appraisal,
        base: Option<&Appraisal>,
        now: &Appraisal,
        from: PathBuf,
    ) -> Option<Clashes> {
        let mut k = Clashes::between(recovered, now, from)?;
        let Some(base) =
            base.filter(|b| Clashes::between((*b).clone(), now, PathBuf::new()).is_some())
        else {
            return Some(k);
        };
        for (cell, take) in k.cells.iter_mut().zip(k.take_yours.iter_mut()) {
            cell.base = Some(cell_of(base, cell.o, cell.c));
            *take = cell.changed_by() != Some(ChangedBy::Them);
        }
        Some(k)
    }

    /// A save's choice: the document (`yours`) against the file as it now
    /// is (`save.theirs`), both from `base`, the file as loaded. Each cell
    /// keeps by default the version of whoever changed it, yours where both
    /// did; so does the rest (weights, names), so that nobody's change is
    /// undone unless chosen. `None` if the options or criteria differ, so
    /// that cells cannot be matched.
    pub fn for_save(yours: Appraisal, base: &Appraisal, save: SaveClash) -> Option<Clashes> {
        let mut k = Clashes::between(yours, &save.theirs, PathBuf::new())?;
        let shaped = Clashes::between(base.clone(), &save.theirs, PathBuf::new()).is_some();
        for (cell, take) in k.cells.iter_mut().zip(k.take_yours.iter_mut()) {
            if shaped {
                cell.base = Some(cell_of(base, cell.o, cell.c));
            }
            *take = cell.changed_by() != Some(ChangedBy::Them);
            k.their_changes += usize::from(cell.changed_by() != Some(ChangedBy::You));
        }
        if k.beyond_cells {
            // Yours unless only they changed the rest.
            let yours_changed = !shaped || !same_frame(&k.recovered, base);
            let theirs_changed = !shaped || !same_frame(&save.theirs, base);
            k.frame = Some(yours_changed || !theirs_changed);
            k.their_changes += usize::from(theirs_changed);
            k.frame_by = shaped.then_some(match (yours_changed, theirs_changed) {
                (true, false) => ChangedBy::You,
                (false, true) => ChangedBy::Them,
                _ => ChangedBy::Both,
            });
        }
        k.save = Some(Box::new(save));
        Some(k)
    }

    /// Lines in the list: the rest (weights, names) if it differs, then the cells.
    pub fn rows(&self) -> usize {
        self.cells.len() + usize::from(self.frame.is_some())
    }

    /// The cell on list line `row`, or `None` for the line of the rest.
    pub fn cell_at(&self, row: usize) -> Option<usize> {
        match self.frame {
            Some(_) => row.checked_sub(1),
            None => Some(row),
        }
    }

    /// Switches the selected line between yours and theirs.
    pub fn toggle(&mut self) {
        match self.cell_at(self.selected) {
            None => self.frame = self.frame.map(|f| !f),
            Some(i) => {
                if let Some(t) = self.take_yours.get_mut(i) {
                    *t = !*t;
                }
            }
        }
    }

    /// Whether the selected line keeps yours.
    pub fn selected_yours(&self) -> Option<bool> {
        match self.cell_at(self.selected) {
            None => self.frame,
            Some(i) => self.take_yours.get(i).copied(),
        }
    }

    /// The file as it now is, with the cells chosen from the restored work
    /// (for a save, the choice between the document and `save.theirs`,
    /// `now` being ignored).
    pub fn merged(&self, now: &Appraisal) -> Appraisal {
        let mut out = match (&self.save, self.frame) {
            (Some(_), Some(true)) => self.recovered.clone(),
            (Some(s), _) => s.theirs.clone(),
            (None, _) => now.clone(),
        };
        for (cell, &yours) in self.cells.iter().zip(&self.take_yours) {
            set_cell(
                &mut out,
                cell.o,
                cell.c,
                if yours { &cell.yours } else { &cell.theirs },
            );
        }
        out
    }
}

/// Whether `a` and `b` (with the same options and criteria) differ only in
/// their scores and notes.
fn same_frame(a: &Appraisal, b: &Appraisal) -> bool {
    let mut x = b.clone();
    for (o, opt) in a.options().iter().enumerate() {
        for c in 0..a.criteria().len() {
            let cell = (opt.score(c), opt.note(c).map(str::to_owned));
            set_cell(&mut x, o, c, &cell);
        }
    }
    x == *a
}

/// A cell's score and note in `a`.
fn cell_of(a: &Appraisal, o: usize, c: usize) -> (Option<f64>, Option<String>) {
    let opt = a.options().get(o);
    (
        opt.and_then(|x| x.score(c)),
        opt.and_then(|x| x.note(c)).map(str::to_owned),
    )
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

    /// Opens the points for and against on cell (`o`, `c`), one a line.
    pub fn evidence(o: usize, c: usize, e: &crate::model::Evidence) -> NoteEditor {
        NoteEditor::open(o, c, &super::evidence::to_text(e))
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
    /// Editing the points for and against a score, one a line
    /// ([`super::evidence`]).
    Evidence(NoteEditor),
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
    /// Whether the mouse selects cells (on) or is left to the terminal for
    /// selecting and copying text (off).
    pub mouse: bool,
    /// Criteria groups folded into one column of subtotals, by index.
    pub folded: Vec<usize>,
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
            mouse: true,
            folded: Vec::new(),
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
        App::with(Doc::new(loaded, path))
    }

    fn with(doc: Doc) -> App {
        App {
            doc,
            view: View::default(),
            grid: Grid::Own,
            jobs: Jobs::default(),
            quit: false,
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
        let mut app = App::with(Doc::for_sheet(opened));
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
        panel.refresh(self.doc.appraisal(), self.doc.version());
        self.grid = Grid::Panel(Box::new(panel));
    }

    /// The members' sheets, if a panel has been opened (whether or not the
    /// panel view is showing now).
    pub fn panel(&self) -> Option<&PanelState> {
        self.grid.panel()
    }

    /// What the grid is showing: the document's own scores, the shared
    /// scores (member mode) or the panel's consensus (panel view).
    pub fn showing(&self) -> Showing {
        self.grid.showing()
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
                .panel()
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
                .panel()
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
        app.note_weights();
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
        let a = self.doc.appraisal();
        let found = crate::compute::reconcile(a, self.doc.results());
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

    /// Mentions, in the message line, what the file's checks say of the
    /// weights (checked again whenever they change).
    pub fn note_weights(&mut self) {
        if self.view.message.is_some() {
            return;
        }
        if let Some(first) = self.doc.weight_notes().first() {
            self.view.info(format!("Weights: {first}"));
        }
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
        let Some(plain) = recovery::recovery_path(self.doc.path()) else {
            return;
        };
        let others = self
            .doc
            .claim_held()
            .map(|c| c.others().to_vec())
            .unwrap_or_default();
        let mut found = recovery::orphans(&plain, &others);
        if self.doc.claim_held().is_none() {
            // Without a claim, only this copy's own file counts.
            found.retain(|(p, _)| Some(p.as_path()) == self.doc.recovery_path());
        }
        for (rec, left_by) in found {
            let Some(kept) = recovery::read_recovery_on(&rec) else {
                continue;
            };
            let base = kept.base;
            let name = rec.display().to_string();
            let read = self.doc.target().read(&name, &kept.text, self.doc.path());
            // The version the work started from, kept in the same file as
            // the work: it tells your changes from those made on disk since.
            let started_from = kept
                .base_text
                .and_then(|t| self.doc.target().read(&name, &t, self.doc.path()).ok());
            match read {
                Ok(recovered)
                    if recovered != *self.doc.appraisal()
                        && base.is_some()
                        && base != self.doc.fingerprint() =>
                {
                    // The file changed after the work was kept: show what differs.
                    match Clashes::for_restore(
                        recovered.clone(),
                        started_from.as_ref(),
                        self.doc.appraisal(),
                        rec.clone(),
                    ) {
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
                Ok(recovered) if recovered != *self.doc.appraisal() => {
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

    /// The files to remove once recovered work was restored or discarded:
    /// the recovery file it came from (unless it is this copy's own, which
    /// follows the document) and the lock of the copy that left it.
    pub fn settled_files(&self, from: &Path, stale_lock: Option<&Path>) -> Vec<PathBuf> {
        let mut out = Vec::new();
        if Some(from) != self.doc.recovery_path() {
            out.push(from.to_owned());
        }
        out.extend(stale_lock.map(Path::to_path_buf));
        out
    }

    /// The option indices in the order the rows are shown: options screened
    /// out come last, apart from the shortlist.
    pub fn display_order(&self) -> Vec<usize> {
        let a = self.doc.appraisal();
        let order = match self.view.sort {
            Sort::File => (0..a.options().len()).collect(),
            Sort::Rank => {
                let shown = self.shown_results();
                // The shown results cover the same options; fall back if not.
                if shown.options.len() == a.options().len() {
                    shown.rank_order()
                } else {
                    self.doc.results().rank_order()
                }
            }
        };
        super::v2::shortlist_first(a, order, self.doc.results())
    }

    /// The grid's columns, as criterion indices (a folded group shows as
    /// one column, held by its first criterion).
    pub fn columns(&self) -> Vec<usize> {
        super::v2::columns(self.doc.appraisal(), &self.view.folded)
    }

    /// The column position of the selected criterion (that of its folded
    /// group, if it is in one).
    pub fn selected_column(&self) -> usize {
        let cols = self.columns();
        let c = self.view.criterion;
        let a = self.doc.appraisal();
        let at = match super::v2::folded_group_of(a, c, &self.view.folded) {
            Some(g) => cols
                .iter()
                .position(|&k| super::v2::folded_group_of(a, k, &self.view.folded) == Some(g)),
            None => cols.iter().position(|&k| k == c),
        };
        at.unwrap_or(0)
    }

    /// The folded group the selection is on, if it is on one.
    pub fn selected_fold(&self) -> Option<usize> {
        super::v2::folded_group_of(self.doc.appraisal(), self.view.criterion, &self.view.folded)
    }

    /// The display row of the selected option.
    pub fn selected_row(&self) -> usize {
        self.display_order()
            .iter()
            .position(|&o| o == self.view.option)
            .unwrap_or(0)
    }
}
