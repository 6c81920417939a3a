//! What `update` asks the outside world to do ([`Effect`]), and what comes
//! back when it is done ([`Done`]).
//!
//! `update` never touches the disk or runs slow work itself: it changes the
//! state and returns effects. The runner performs them, the slow ones (saving,
//! exporting, reading members' sheets, the live analysis of a large
//! appraisal) as background jobs whose results come back through
//! [`super::update::finish`], as gitui's async jobs do. Tests assert the
//! effects, or perform them in place with [`super::runner::perform_now`].

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::model::Appraisal;
use crate::panel::MergeOptions;
use crate::recovery;

use super::action::Action;
use super::app::App;
use super::doc::{SaveJob, SaveOutcome};
use super::export::{ExportJob, ExportOutcome};
use super::live::Live;
use super::panel::{DisagreementJob, PanelState};

/// Something for the runner to do.
#[derive(Debug, Clone)]
pub enum Effect {
    /// Write the document to a file.
    Save {
        /// The write.
        job: SaveJob,
        /// Quit once it is written.
        then_quit: bool,
    },
    /// Read members' sheets for the panel view.
    LoadPanel(PanelJob),
    /// Write an export.
    Export(ExportJob),
    /// The live analysis no longer matches the appraisal: work it out again.
    Analyse,
    /// The document changed: the recovery writer has news.
    KeepRecovery,
    /// The user threw the unsaved work away: remove this copy's recovery file.
    DiscardRecovery,
    /// Remove files that are done with: a recovery file whose work was
    /// restored or discarded, the lock of a copy that crashed.
    Remove(Vec<PathBuf>),
    /// Let go of a hold on a file the document has left (its lock goes).
    Release(Arc<recovery::Claim>),
    /// Turn mouse capture on (clicks select cells) or off (the terminal
    /// selects text).
    Mouse(bool),
    /// The weights changed: run the file's checks on them again.
    CheckWeights(CheckJob),
    /// The panel's merge changed: work out how sure its ranking is, given
    /// the members' disagreement.
    PanelDisagreement(DisagreementJob),
}

/// What a job sends back.
#[derive(Debug)]
pub enum Done {
    /// A save ended.
    Saved {
        /// How.
        outcome: SaveOutcome,
        /// Quit if it was written.
        then_quit: bool,
    },
    /// Members' sheets were read.
    PanelLoaded(Box<PanelLoad>),
    /// An export ended.
    Exported {
        /// The export asked for (to ask again about replacing, or retry).
        job: Box<ExportJob>,
        /// How it ended.
        outcome: ExportOutcome,
    },
    /// A job is still at work, at this stage, this long after it started.
    Progress {
        /// What it is doing, in words.
        stage: String,
        /// Seconds since it started.
        seconds: u64,
    },
    /// The live analysis was worked out.
    Analysed(Box<Live>),
    /// The panel's disagreement analysis was worked out, for the merge of
    /// this generation.
    PanelDisagreement {
        /// The merge it was worked out for.
        generation: u64,
        /// The analysis, or why it could not be done.
        result: Result<crate::sensitivity::disagreement::Disagreement, String>,
    },
    /// The weights were checked.
    WeightsChecked {
        /// The weights checked.
        weights: Vec<f64>,
        /// What the checks say of them.
        notes: Vec<String>,
    },
}

/// Running the file's checks on the weights, off the key path: the
/// document as it would be saved is read again as a file is, so the rules
/// are the loader's own (a weight too small to show in a total, some
/// criteria weighted and the rest left to 1).
#[derive(Debug, Clone)]
pub struct CheckJob {
    target: super::target::Target,
    original: Arc<str>,
    appraisal: Appraisal,
    path: Option<PathBuf>,
    name: String,
    weights: Vec<f64>,
}

impl CheckJob {
    /// A check of `app`'s weights as they now stand.
    pub fn of(app: &mut App) -> CheckJob {
        CheckJob {
            weights: app.doc.checking_weights(),
            target: app.doc.target().clone(),
            original: app.doc.original_shared(),
            appraisal: app.doc.appraisal().clone(),
            path: app.doc.path().map(Path::to_path_buf),
            name: app.doc.display_name(),
        }
    }

    /// Runs the checks.
    pub fn run(self) -> Done {
        let text = self
            .target
            .render(&self.original, &self.appraisal, self.path.as_deref());
        let notes = crate::load::load_str(&self.name, &text)
            .map(|l| super::doc::weight_notes(&l.warnings))
            .unwrap_or_default();
        Done::WeightsChecked {
            weights: self.weights,
            notes,
        }
    }
}

/// Reading members' sheets for the panel view, off the key path.
#[derive(Debug, Clone)]
pub struct PanelJob {
    /// The sheets to read; `None` to look for them beside the appraisal.
    pub sheets: Option<Vec<PathBuf>>,
    /// The appraisal file.
    pub appraisal_path: PathBuf,
    /// The appraisal, to check the sheets against.
    pub appraisal: Appraisal,
    /// How scores are combined.
    pub options: MergeOptions,
    /// What to do once the panel is open (the key that asked for it).
    pub then: Option<Action>,
}

/// The sheets read for the panel view, or why none could be.
#[derive(Debug)]
pub struct PanelLoad {
    /// The panel (with any sheets that could not be used listed in it), or a message.
    pub panel: Result<PanelState, String>,
    /// Whether the sheets were found beside the appraisal (not named).
    pub found_beside: bool,
    /// What to do once the panel is open.
    pub then: Option<Action>,
}

impl PanelJob {
    /// Reads the sheets: those named, or those found beside the appraisal
    /// (noting others there under other names).
    pub fn run(self) -> PanelLoad {
        let found_beside = self.sheets.is_none();
        let (paths, others) = match self.sheets {
            Some(p) => (p, Vec::new()),
            None => (
                crate::panel::member::find_sheets(&self.appraisal_path),
                crate::panel::member::other_sheets(&self.appraisal_path),
            ),
        };
        let panel = if paths.is_empty() {
            Err(no_sheets_message(&self.appraisal_path, &others))
        } else {
            PanelState::load(
                &paths,
                &self.appraisal,
                Some(&self.appraisal_path),
                self.options,
            )
            .map(|mut p| {
                p.set_left_out(others);
                p
            })
            .map_err(|errors| {
                let first = errors.first().map(super::panel::problem_text);
                format!(
                    "The panel could not be opened: no sheet could be used. {}",
                    first.unwrap_or_else(|| "a sheet could not be read".to_owned())
                )
            })
        };
        PanelLoad {
            panel,
            found_beside,
            then: self.then,
        }
    }
}

/// What to say when no sheets with the usual names are beside the appraisal.
fn no_sheets_message(appraisal_path: &Path, others: &[PathBuf]) -> String {
    let stem = appraisal_path
        .file_stem()
        .map_or_else(String::new, |s| s.to_string_lossy().into_owned());
    let also = match others {
        [] => String::new(),
        [first, rest @ ..] => format!(
            " ({} sheet{} with other names, such as {}, can be named that way)",
            rest.len() + 1,
            if rest.is_empty() { "" } else { "s" },
            first.display()
        ),
    };
    format!(
        "No panel is open and no {stem}.*.sheet.toml sheets are beside it: use appraise tui FILE --panel SHEETS{also}"
    )
}

/// The live analysis of one state of the appraisal, off the key path.
#[derive(Debug, Clone)]
pub struct LiveJob {
    appraisal: Appraisal,
    version: u64,
}

impl LiveJob {
    /// The analysis of `app`'s appraisal as it now stands.
    pub fn of(app: &App) -> LiveJob {
        LiveJob {
            appraisal: app.doc.appraisal().clone(),
            version: app.doc.version(),
        }
    }

    /// Works it out.
    pub fn run(self) -> Live {
        Live::compute(self.appraisal, self.version)
    }
}

impl DisagreementJob {
    /// Runs it, as the news a job sends back. (Here rather than beside the
    /// job in `panel`, so that `panel` need not know the effects.)
    pub fn done(self) -> Done {
        let (generation, result) = self.run();
        Done::PanelDisagreement { generation, result }
    }
}
