//! `finish`: takes back what a job found (a save written or refused,
//! members' sheets read, an export written, the live analysis worked out)
//! and returns any effects that follow.

use crate::save::SaveError;

use super::super::app::{App, Confirm, Mode, PromptKind};
use super::super::doc::SaveOutcome;
use super::super::effect::{Done, Effect};
use super::super::export::ExportOutcome;
use super::{Effects, dialogs, may_interrupt, open_prompt, panel, settle, step};

/// Takes in a job's result, returning what follows from it.
pub fn finish(app: &mut App, done: Done) -> Effects {
    let mut fx = Effects::new();
    match done {
        Done::Saved { outcome, then_quit } => saved(app, outcome, then_quit, &mut fx),
        Done::PanelLoaded(load) => {
            app.jobs.loading_panel = false;
            match load.panel {
                Ok(p) => {
                    panel::opened(app, p, load.found_beside);
                    if let Some(then) = load.then {
                        step(app, then, &mut fx);
                    }
                }
                Err(msg) => app.view.error(msg),
            }
        }
        Done::Exported { job, outcome } => {
            app.jobs.export = None;
            match outcome {
                ExportOutcome::Written(files) => {
                    let what = match files.len() {
                        1 => String::new(),
                        n => format!(" ({n} files)"),
                    };
                    app.view
                        .info(format!("Exported to {}{what}", job.path.display()));
                }
                ExportOutcome::WouldReplace(existing) if may_interrupt(app) => {
                    app.view.mode = Mode::Confirm(Confirm::ReplaceExport {
                        format: job.format,
                        path: job.path,
                        existing,
                    });
                }
                ExportOutcome::WouldReplace(existing) => app.view.error(format!(
                    "Not exported: {} already holds {existing}; press e to export again",
                    job.path.display()
                )),
                ExportOutcome::Failed(e) => {
                    let path = job.path.display().to_string();
                    if may_interrupt(app) {
                        // Back to the name, to change it.
                        open_prompt(app, PromptKind::ExportPath(job.format), &path);
                    }
                    app.view.error(format!("Not exported: {e}"));
                }
            }
        }
        Done::Progress { stage, seconds } => {
            if let Some(p) = app.jobs.export.as_mut() {
                p.stage = stage;
                p.seconds = seconds;
            }
        }
        Done::PanelDisagreement { generation, result } => {
            if let Some(p) = app.grid.panel_mut() {
                // One for an earlier merge is dropped; settling asks again.
                p.set_disagreement(generation, result);
            }
        }
        Done::WeightsChecked { weights, notes } => {
            let had = !app.doc.weight_notes().is_empty();
            if app.doc.weights_checked(&weights, notes) {
                match app.doc.weight_notes().first() {
                    Some(first) => app.view.error(format!("Weights: {first}")),
                    None if had => app
                        .view
                        .info("Weights: the warning about them no longer applies"),
                    None => {}
                }
            }
        }
        Done::Analysed(live) => {
            if !app.doc.set_live(*live) && app.view.mode == Mode::Sensitivity {
                // Worked out for a state that has changed since: again.
                fx.push(Effect::Analyse);
            }
        }
    }
    settle(app, &mut fx);
    fx
}

fn saved(app: &mut App, outcome: SaveOutcome, then_quit: bool, fx: &mut Effects) {
    app.jobs.saving = false;
    match outcome {
        SaveOutcome::Saved(file) => {
            let path = file.path.clone();
            if let Some(old) = app.doc.saved(*file) {
                fx.push(Effect::Release(old));
            }
            app.view.info(format!("Saved to {}", path.display()));
            if then_quit {
                app.quit = true;
            }
        }
        SaveOutcome::AskReplace(path) if may_interrupt(app) => {
            app.view.mode = Mode::Confirm(Confirm::Replace { path, then_quit });
        }
        SaveOutcome::IsFolder(path) if may_interrupt(app) => {
            open_prompt(
                app,
                PromptKind::SaveAs { then_quit },
                &path.display().to_string(),
            );
            app.view
                .error(format!("{} is a folder: add a file name", path.display()));
        }
        SaveOutcome::Changed(mut theirs) if may_interrupt(app) => {
            theirs.then_quit = then_quit;
            dialogs::changed_on_disk(app, *theirs, fx);
        }
        SaveOutcome::Changed(_) => app.view.error(
            "Not saved: the file was changed elsewhere; press Ctrl-s to choose what to keep",
        ),
        SaveOutcome::Failed(SaveError::Conflict { .. }) if may_interrupt(app) => {
            app.view.mode = Mode::Confirm(Confirm::Conflict { then_quit });
        }
        SaveOutcome::AskReplace(path) | SaveOutcome::IsFolder(path) => app.view.error(format!(
            "Not saved: {} is already there; press S to choose another name",
            path.display()
        )),
        SaveOutcome::Failed(SaveError::Conflict { .. }) => app
            .view
            .error("Not saved: the file was changed elsewhere; press Ctrl-s to choose what to do"),
        SaveOutcome::Failed(e) => app.view.error(format!("Not saved: {e}")),
    }
}
