//! `update`: applies one [`Action`] to the [`App`] and returns the effects
//! (save, load the panel, export, work out the live analysis, keep the
//! recovery file) for the runner to perform; [`finish`] takes back what
//! those jobs found. Neither touches the disk or a terminal, so every
//! behaviour can be tested directly, by the effects it asks for.
//!
//! A refused edit leaves the appraisal unchanged and explains itself in the
//! message line; nothing a user types can make this panic.
//!
//! One module per kind of screen: [`grid`] (moving, scoring, the structure
//! of the appraisal, files), [`panel`] (the panel view), [`boxes`] (notes
//! and one-line boxes), [`dialogs`] (questions), [`menus`] (the swing
//! assistant, the export menu, help) and [`done`] (jobs' results).

mod boxes;
mod dialogs;
mod done;
mod grid;
mod menus;
mod panel;

use std::path::PathBuf;

use crate::model::ModelError;
use crate::numbers;

use super::action::Action;
use super::app::{App, Mode, Prompt, PromptKind};
use super::edit::Edit;
use super::effect::Effect;
use super::text::TextInput;
use super::view;

pub use done::finish;

/// What `update` asks the runner to do, in order.
pub type Effects = Vec<Effect>;

/// Applies `action` to `app`, returning what the runner is to do about it.
pub fn update(app: &mut App, action: Action) -> Effects {
    let mut fx = Effects::new();
    step(app, action, &mut fx);
    fx
}

/// One action, its effects added to `fx`.
fn step(app: &mut App, action: Action, fx: &mut Effects) {
    if let Action::Resize(w, h) = action {
        app.view.size = (w.max(1), h.max(1));
        ensure_visible(app);
        return;
    }
    if view::too_small(app.view.size) {
        too_small(app, action, fx);
        return;
    }
    if !matches!(action, Action::Digit(_)) {
        app.view.digits = None;
    }
    if !matches!(action, Action::Scroll(_)) {
        app.view.message = None;
    }
    if let Action::Paste(text) = &action {
        boxes::paste(app, text);
        return;
    }
    let mode = std::mem::take(&mut app.view.mode);
    match mode {
        Mode::Normal if app.showing() == super::app::Showing::Panel => {
            panel::panel_view(app, action, fx)
        }
        Mode::Normal => grid::grid(app, action, fx),
        Mode::Sensitivity => grid::live_view(app, action, fx),
        Mode::Help { scroll, back } => menus::help(app, scroll, *back, action, fx),
        Mode::Note(editor) => boxes::text_box(app, boxes::TextBox::Note, editor, action, fx),
        Mode::Evidence(editor) => {
            boxes::text_box(app, boxes::TextBox::Evidence, editor, action, fx)
        }
        Mode::Prompt(prompt) => boxes::prompt(app, prompt, action, fx),
        Mode::Confirm(confirm) => dialogs::confirm(app, confirm, action, fx),
        Mode::Swing(swing) => menus::swing(app, swing, action),
        Mode::Export(chooser) => menus::export(app, chooser, action),
    }
    settle(app, fx);
}

/// After any change: the selection in range and on screen, the panel's
/// consensus worked out again if it shows, and the effects that keep the
/// live analysis and the recovery file up to date.
fn settle(app: &mut App, fx: &mut Effects) {
    clamp_selection(app);
    ensure_visible(app);
    if app.view.mode == Mode::Sensitivity && !app.doc.live_is_current() {
        fx.push(Effect::Analyse);
    }
    if app.showing() == super::app::Showing::Panel {
        panel::refresh(app);
        panel::analyse(app, fx);
    }
    if app.doc.weights_unchecked() {
        fx.push(Effect::CheckWeights(super::effect::CheckJob::of(app)));
    }
    if app.doc.recovery_news_due() && !fx.iter().any(|e| matches!(e, Effect::KeepRecovery)) {
        fx.push(Effect::KeepRecovery);
    }
}

/// While the window is too small to show the grid, no key changes the
/// appraisal: saving and quitting still work, so nothing is trapped.
fn too_small(app: &mut App, action: Action, fx: &mut Effects) {
    match action {
        Action::Save if app.doc.path().is_some() => save(app, None, false, false, fx),
        Action::Quit if !app.doc.is_dirty() => quit_now(app, fx),
        _ => {}
    }
}

/// Leaves, throwing away the recovery file (nothing is unsaved, or the
/// user chose to lose it).
fn quit_now(app: &mut App, fx: &mut Effects) {
    app.doc.forget_unsaved();
    fx.push(Effect::DiscardRecovery);
    app.quit = true;
}

/// Opens the help screen over `back`, which closing it returns to.
fn open_help(app: &mut App, back: Mode) {
    app.view.mode = Mode::Help {
        scroll: 0,
        back: Box::new(back),
    };
}

/// Asks for the document to be saved to `to` (or its own file), off the
/// key path; with no file to save to (the bundled example), asks where.
fn save(app: &mut App, to: Option<PathBuf>, force: bool, then_quit: bool, fx: &mut Effects) {
    save_asking(app, to, force, then_quit, false, fx);
}

/// As [`save`]; with `ask_replace`, a file already at `to` is not replaced
/// without asking.
fn save_asking(
    app: &mut App,
    to: Option<PathBuf>,
    force: bool,
    then_quit: bool,
    ask_replace: bool,
    fx: &mut Effects,
) {
    if app.jobs.saving {
        app.view
            .info("Still saving the last change: Ctrl-s again in a moment");
        return;
    }
    match app.doc.save_job(to.as_deref(), force, ask_replace) {
        Ok(job) => {
            app.jobs.saving = true;
            app.view.info(format!("Saving to {}…", job.to().display()));
            fx.push(Effect::Save { job, then_quit });
        }
        Err(_) => {
            grid::open_save_as(app, then_quit);
            app.view
                .info("The bundled example has no file of its own: choose where to save your copy");
        }
    }
}

fn n_options(app: &App) -> usize {
    app.doc.appraisal().options().len()
}

fn n_criteria(app: &App) -> usize {
    app.doc.appraisal().criteria().len()
}

fn clamp_selection(app: &mut App) {
    let (no, nc) = (n_options(app), n_criteria(app));
    app.view.option = app.view.option.min(no.saturating_sub(1));
    app.view.criterion = app.view.criterion.min(nc.saturating_sub(1));
}

/// Scrolls so that the selected cell is on screen.
fn ensure_visible(app: &mut App) {
    let g = view::grid_geometry(app);
    let rows = g.rows_visible.max(1);
    let cols = g.cols_visible.max(1);
    let row = app.selected_row();
    let no = n_options(app);
    let nc = app.columns().len();
    let col = app.selected_column();
    let v = &mut app.view;
    if row < v.row_offset {
        v.row_offset = row;
    } else if row >= v.row_offset + rows {
        v.row_offset = row + 1 - rows;
    }
    v.row_offset = v.row_offset.min(no.saturating_sub(rows));
    if col < v.col_offset {
        v.col_offset = col;
    } else if col >= v.col_offset + cols {
        v.col_offset = col + 1 - cols;
    }
    v.col_offset = v.col_offset.min(nc.saturating_sub(cols));
}

/// Applies an edit, reporting a refusal in the message line. Returns whether it applied.
fn apply(app: &mut App, edit: Edit) -> bool {
    match app.doc.apply(edit) {
        Ok(()) => true,
        Err(e) => {
            app.view.error(friendly(&e));
            false
        }
    }
}

/// A model error as a sentence for the message line.
fn friendly(e: &ModelError) -> String {
    let mut s = e.to_string();
    if let Some(first) = s.get(..1) {
        let upper = first.to_uppercase();
        s.replace_range(..1, &upper);
    }
    s
}

/// Opens a one-line prompt of the given kind, its text box holding `text`.
fn open_prompt(app: &mut App, kind: PromptKind, text: &str) {
    app.view.mode = Mode::Prompt(Prompt {
        kind,
        input: TextInput::prefilled(text),
    });
}

/// The key behind an action that does nothing where it was pressed, by
/// name, for a hint; `None` for what is not a key (a resize, a paste).
fn pressed(action: &Action) -> Option<String> {
    match action {
        Action::Unbound(k) => Some(k.clone()),
        Action::Input(i) => Some(i.name()),
        _ => None,
    }
}

/// A path as typed, with `~/` standing for the home folder.
fn expand_home(p: &str) -> PathBuf {
    if let Some(rest) = p.strip_prefix("~/")
        && let Some(home) = std::env::var_os("HOME")
    {
        return PathBuf::from(home).join(rest);
    }
    PathBuf::from(p)
}

/// "use 0 to 5 in steps of 1": what a scale allows, for refusals.
fn scale_range(app: &App) -> String {
    let scale = app.doc.appraisal().scale_of(app.view.criterion);
    format!(
        "use {} to {} in steps of {}",
        numbers::score(scale.min()),
        numbers::score(scale.max()),
        numbers::score(scale.step())
    )
}

/// Whether a finished job may open its dialog now: only over the grid, so
/// that it never takes the place of a box the user is typing in.
fn may_interrupt(app: &App) -> bool {
    matches!(app.view.mode, Mode::Normal | Mode::Sensitivity)
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod panel_tests;
