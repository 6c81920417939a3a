//! `update`: applies one [`Action`] to the [`App`]. No terminal is involved,
//! so every behaviour can be tested directly.
//!
//! A refused edit leaves the appraisal unchanged and explains itself in the
//! message line; nothing a user types can make this panic.

use std::path::{Path, PathBuf};

use crate::model::{AppraisalOption, Criterion, Id, ModelError, RemovedCriterion};
use crate::numbers;
use crate::save::SaveError;

use super::action::{Action, Input};
use super::app::{
    App, Confirm, ExportChooser, Focus, Mode, NoteEditor, Prompt, PromptKind, Showing, Sort,
};
use super::edit::Edit;
use super::export;
use super::keys;
use super::live;
use super::panel::{PanelState, method_words, next_method, spread_text};
use super::swing::{Swing, SwingStep};
use super::text::TextInput;
use super::view;

/// Applies `action` to `app`.
pub fn update(app: &mut App, action: Action) {
    if let Action::Resize(w, h) = action {
        app.view.size = (w.max(1), h.max(1));
        ensure_visible(app);
        return;
    }
    if view::too_small(app.view.size) {
        too_small(app, action);
        return;
    }
    if !matches!(action, Action::Digit(_)) {
        app.view.digits = None;
    }
    if !matches!(action, Action::Scroll(_)) {
        app.view.message = None;
    }
    if let Action::Paste(text) = &action {
        paste(app, text);
        return;
    }
    let mode = std::mem::take(&mut app.view.mode);
    match mode {
        Mode::Normal if app.view.panel => panel_mode(app, action),
        Mode::Normal => normal(app, action),
        Mode::Sensitivity => {
            app.view.mode = Mode::Sensitivity;
            match action {
                Action::Sensitivity | Action::Input(Input::Esc) | Action::Dismiss => {
                    app.view.mode = Mode::Normal;
                    app.view.details_scroll = 0;
                }
                Action::Help => open_help(app, Mode::Sensitivity),
                Action::ToggleShared | Action::Panel if app.doc.member().is_some() => {
                    app.view.error(
                        "The sensitivity view analyses your own scores: press v to close it first",
                    );
                }
                other => {
                    app.view.mode = Mode::Normal;
                    let scroll = app.view.details_scroll;
                    let sideways = matches!(other, Action::Left | Action::Right);
                    normal(app, other);
                    if sideways {
                        // Changing criterion keeps the panel where the user put it.
                        app.view.details_scroll = scroll;
                    }
                    // Stay in the live view unless the action opened something
                    // else (a dialog, or the panel view, which replaces it).
                    if app.view.mode == Mode::Normal && !app.view.panel {
                        app.view.mode = Mode::Sensitivity;
                    }
                }
            }
        }
        Mode::Help { scroll, back } => help(app, scroll, *back, action),
        Mode::Note(editor) => note(app, editor, action),
        Mode::Prompt(prompt) => prompt_input(app, prompt, action),
        Mode::Confirm(confirm) => confirm_input(app, confirm, action),
        Mode::Swing(swing) => swing_input(app, swing, action),
        Mode::Export(chooser) => export_input(app, chooser, action),
    }
    clamp_selection(app);
    ensure_visible(app);
    if app.view.mode == Mode::Sensitivity
        && (live::analyse_in_frame(app.doc.appraisal()) || app.doc.live().is_none())
    {
        // Within the same key press, so the next frame shows the new figures.
        // Large appraisals are brought up to date by the runner once the keys
        // stop, so typing stays quick (the panel says it is updating).
        app.doc.refresh_live();
    }
    if app.view.panel {
        refresh_panel(app);
    }
}

/// While the window is too small to show the grid, no key changes the
/// appraisal: saving and quitting still work, so nothing is trapped.
fn too_small(app: &mut App, action: Action) {
    match action {
        Action::Save if app.doc.path().is_some() => save_to(app, None, false, false),
        Action::Quit if !app.doc.is_dirty() => {
            app.doc.discard_recovery();
            app.quit = true;
        }
        _ => {}
    }
}

/// Opens the help screen over `back`, which closing it returns to.
fn open_help(app: &mut App, back: Mode) {
    app.view.mode = Mode::Help {
        scroll: 0,
        back: Box::new(back),
    };
}

/// Pasted text: typed into an open note or one-line box (a one-line box
/// takes the lines joined by spaces), and refused anywhere else, so that a
/// paste on the grid never runs as a string of commands.
fn paste(app: &mut App, text: &str) {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    match &mut app.view.mode {
        Mode::Note(editor) => {
            for ch in text.chars() {
                match ch {
                    '\n' => editor.input.newline(),
                    '\t' => (0..4).for_each(|_| editor.input.insert(' ')),
                    c => editor.input.insert(c),
                }
            }
        }
        Mode::Prompt(prompt) => {
            let line = text.trim_end_matches('\n').replace(['\n', '\t'], " ");
            for ch in line.chars() {
                prompt.input.insert(ch);
            }
        }
        Mode::Swing(swing) if swing.step == SwingStep::Value => {
            for ch in text.trim().chars() {
                swing.type_char(ch);
            }
        }
        Mode::Normal | Mode::Sensitivity => app.view.error(
            "Pasting does nothing on the grid, so pasted text cannot run as keys: press n to open the cell's note, then paste",
        ),
        _ => app
            .view
            .error("Pasting does nothing here: paste into a note or a text box"),
    }
}

/// Brings the panel's merge up to date with the appraisal.
fn refresh_panel(app: &mut App) {
    if let Some(p) = app.panel.as_mut() {
        p.refresh(app.doc.appraisal(), app.doc.version());
    }
}

/// Why a structural edit is refused in member mode.
fn structure_refusal(action: Action, appraisal: &str) -> String {
    let what = match action {
        Action::EditWeight | Action::NudgeWeight(_) | Action::Swing => "Weights are",
        Action::RenameOption | Action::RenameCriterion => "Names are",
        _ => "Options and criteria are",
    };
    format!("{what} fixed by {appraisal}: in your sheet you score and write notes")
}

/// The panel view: moving, the merge method and flagged cells; nothing that edits.
fn panel_mode(app: &mut App, action: Action) {
    match action {
        Action::Panel | Action::Dismiss => {
            app.view.panel = false;
            app.view.details_scroll = 0;
            app.view.info("Panel view closed: the grid shows the appraisal's own scores");
        }
        Action::CycleMethod => cycle_method(app),
        Action::NextFlagged(d) => next_flagged(app, d),
        Action::Sensitivity => app.view.error(
            "The sensitivity view works on the appraisal's own scores: press p to close the panel first",
        ),
        Action::Export => app.view.error(
            "To export the panel's report, use appraise panel FILE SHEETS --format html --out panel.html",
        ),
        a if a.changes_structure() || a.edits_cell() || matches!(a, Action::Undo | Action::Redo) => {
            app.view.error(
                "The panel view is read-only: press p to go back to the appraisal's own scores",
            );
        }
        other => {
            let sideways = matches!(other, Action::Left | Action::Right);
            normal(app, other);
            if sideways {
                app.view.details_scroll = 0;
            }
        }
    }
}

/// Opens the panel view, first looking for members' sheets beside the
/// appraisal if none were given. Returns whether it opened.
fn open_panel(app: &mut App) -> bool {
    if app.doc.member().is_some() {
        app.view.error(
            "The panel view is for the chair; members score on their own, without each other's sheets",
        );
        return false;
    }
    if app.panel.is_none() {
        let Some(path) = app.doc.path().map(Path::to_path_buf) else {
            app.view.error(
                "No panel is open: start with the members' sheets, as in appraise tui review.toml --panel sheets/*.toml",
            );
            return false;
        };
        let found = crate::panel::member::find_sheets(&path);
        let others = crate::panel::member::other_sheets(&path);
        if found.is_empty() {
            let stem = path
                .file_stem()
                .map_or_else(String::new, |s| s.to_string_lossy().into_owned());
            let also = match others.len() {
                0 => String::new(),
                n => format!(
                    " ({n} sheet{} with other names, such as {}, can be named that way)",
                    if n == 1 { "" } else { "s" },
                    others[0].display()
                ),
            };
            app.view.error(format!(
                "No panel is open and no {stem}.*.sheet.toml sheets are beside it: use appraise tui FILE --panel SHEETS{also}"
            ));
            return false;
        }
        match PanelState::load(&found, app.doc.appraisal(), Some(&path), Default::default()) {
            Ok(mut p) => {
                p.set_left_out(others);
                let text = super::panel::opened_message(&p, Some(&app.doc.display_name()));
                app.panel = Some(p);
                app.view.info(text);
            }
            Err(errors) => {
                let first = errors.first().map(super::panel::problem_text);
                app.view.error(format!(
                    "The panel could not be opened: no sheet could be used. {}",
                    first.unwrap_or_else(|| "a sheet could not be read".to_owned())
                ));
                return false;
            }
        }
    } else {
        app.view
            .info("Panel view: f jumps to the next flagged cell, m changes the method, p closes");
    }
    app.view.panel = true;
    app.view.shared = false;
    app.view.details_scroll = 0;
    refresh_panel(app);
    true
}

fn cycle_method(app: &mut App) {
    let Some(p) = app.panel.as_mut() else {
        return;
    };
    let method = next_method(p.options().method);
    p.set_method(method);
    refresh_panel(app);
    let leaders = app
        .panel
        .as_ref()
        .and_then(PanelState::merged)
        .map(|m| {
            m.results
                .leaders()
                .iter()
                .filter_map(|&o| app.doc.appraisal().options().get(o).map(|x| x.name()))
                .collect::<Vec<_>>()
                .join(" and ")
        })
        .unwrap_or_default();
    app.view.info(format!(
        "Consensus by the {} of members' scores: {leaders} first (m for the next method)",
        method_words(method)
    ));
}

/// Selects the next (or previous) flagged cell in the order the grid shows them.
fn next_flagged(app: &mut App, d: i8) {
    refresh_panel(app);
    let Some(m) = app.panel.as_ref().and_then(PanelState::merged) else {
        app.view.error("The panel has not been merged");
        return;
    };
    let flagged = m.flagged();
    if flagged.is_empty() {
        app.view.info(format!(
            "No cells are flagged: on every cell the members are less than {} apart",
            numbers::count(m.options.flag_steps, "step", "steps")
        ));
        return;
    }
    let order = app.display_order();
    let row_of = |o: usize| order.iter().position(|&x| x == o).unwrap_or(o);
    let mut keyed: Vec<(usize, usize, usize)> =
        flagged.iter().map(|&(o, c)| (row_of(o), c, o)).collect();
    keyed.sort_unstable();
    let here = (app.selected_row(), app.view.criterion);
    let (found, wrapped) = if d >= 0 {
        match keyed.iter().find(|k| (k.0, k.1) > here) {
            Some(k) => (k, false),
            None => (&keyed[0], true),
        }
    } else {
        match keyed.iter().rev().find(|k| (k.0, k.1) < here) {
            Some(k) => (k, false),
            None => (&keyed[keyed.len() - 1], true),
        }
    };
    let &(_, c, o) = found;
    let index = keyed.iter().position(|k| k == found).unwrap_or(0) + 1;
    let spread = m
        .cells
        .get(o)
        .and_then(|r| r.get(c))
        .and_then(|x| x.spread)
        .unwrap_or(0.0);
    let a = app.doc.appraisal();
    let text = format!(
        "Flagged {index} of {}: {} / {}, spread {}{}",
        keyed.len(),
        a.options().get(o).map_or("", |x| x.name()),
        a.criteria().get(c).map_or("", |x| x.name()),
        spread_text(spread, a.scale()),
        if wrapped { " (round again)" } else { "" }
    );
    app.view.option = o;
    app.view.criterion = c;
    app.view.details_scroll = 0;
    app.view.info(text);
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
    let v = &mut app.view;
    if row < v.row_offset {
        v.row_offset = row;
    } else if row >= v.row_offset + rows {
        v.row_offset = row + 1 - rows;
    }
    let no = app.doc.appraisal().options().len();
    v.row_offset = v.row_offset.min(no.saturating_sub(rows));
    if v.criterion < v.col_offset {
        v.col_offset = v.criterion;
    } else if v.criterion >= v.col_offset + cols {
        v.col_offset = v.criterion + 1 - cols;
    }
    let nc = app.doc.appraisal().criteria().len();
    v.col_offset = v.col_offset.min(nc.saturating_sub(cols));
}

/// Why a move does nothing, when the selection is already at that edge:
/// a key should never seem to do nothing without a word.
fn at_edge(app: &App, action: &Action) -> Option<&'static str> {
    let row = app.selected_row();
    let last_row = n_options(app).saturating_sub(1);
    let grid = app.view.focus == Focus::Grid;
    match action {
        Action::Up | Action::PageUp | Action::First if grid && row == 0 => {
            Some("Already at the first option")
        }
        Action::Down | Action::PageDown | Action::Last if grid && row >= last_row => {
            Some("Already at the last option")
        }
        Action::Left if app.view.criterion == 0 => Some("Already at the first criterion"),
        Action::Right if app.view.criterion + 1 >= n_criteria(app) => {
            Some("Already at the last criterion")
        }
        _ => None,
    }
}

/// Selects the option shown at display row `row` (clamped).
fn select_row(app: &mut App, row: usize) {
    let order = app.display_order();
    if let Some(&o) = order.get(row.min(order.len().saturating_sub(1))) {
        app.view.option = o;
    }
}

fn move_rows(app: &mut App, delta: isize) {
    let row = app.selected_row().saturating_add_signed(delta);
    select_row(app, row);
}

fn normal(app: &mut App, action: Action) {
    if action.changes_structure()
        && let Some(m) = app.doc.member()
    {
        let text = structure_refusal(action, &m.appraisal_name());
        app.view.error(text);
        return;
    }
    if app.showing() == Showing::Shared {
        if action.edits_cell() {
            app.view
                .error("The shared scores are read-only: press c to go back to yours");
            return;
        }
        if matches!(action, Action::Undo | Action::Redo | Action::Sensitivity) {
            // Undo shows the change it makes, which is to the member's own scores.
            app.view.shared = false;
        }
    }
    let page = view::grid_geometry(app).rows_visible.max(1) as isize;
    if let Some(edge) = at_edge(app, &action) {
        app.view.info(edge);
        return;
    }
    match action {
        Action::Up | Action::Down => {
            let delta = if action == Action::Up { -1 } else { 1 };
            match app.view.focus {
                Focus::Grid => move_rows(app, delta),
                Focus::Details => {
                    app.view.details_scroll =
                        app.view.details_scroll.saturating_add_signed(delta as i16);
                }
            }
        }
        Action::Left => {
            app.view.criterion = app.view.criterion.saturating_sub(1);
            app.view.details_scroll = 0;
        }
        Action::Right => {
            app.view.criterion += 1;
            app.view.details_scroll = 0;
        }
        Action::PageUp => move_rows(app, -page),
        Action::PageDown => move_rows(app, page),
        Action::First => select_row(app, 0),
        Action::Last => select_row(app, usize::MAX),
        Action::Select { option, criterion } => {
            if option < n_options(app) {
                app.view.option = option;
            }
            if let Some(c) = criterion {
                app.view.criterion = c;
            }
            app.view.focus = Focus::Grid;
            app.view.details_scroll = 0;
        }
        Action::Scroll(n) => scroll(app, n),
        Action::SwitchPane => {
            app.view.focus = match app.view.focus {
                Focus::Grid => Focus::Details,
                Focus::Details => Focus::Grid,
            };
        }
        Action::Digit(d) => digit(app, d),
        Action::Half => half(app),
        Action::Step(delta) => step(app, delta),
        Action::Clear => {
            let (o, c) = (app.view.option, app.view.criterion);
            let old = app
                .doc
                .appraisal()
                .options()
                .get(o)
                .and_then(|x| x.score(c));
            if old.is_none() {
                app.view.info("This cell is already empty");
            } else {
                set_score(app, None);
            }
        }
        Action::Undo => match app.doc.undo() {
            None => app.view.info("Nothing to undo"),
            Some(Ok(e)) => {
                let text = e.describe(app.doc.appraisal());
                follow_edit(app, &e.inverse());
                app.view.info(format!("Undid: {text}"));
            }
            Some(Err(e)) => app.view.error(format!("Could not undo: {e}")),
        },
        Action::Redo => match app.doc.redo() {
            None => app.view.info("Nothing to redo"),
            Some(Ok(e)) => {
                follow_edit(app, &e);
                let text = e.describe(app.doc.appraisal());
                app.view.info(format!("Redid: {text}"));
            }
            Some(Err(e)) => app.view.error(format!("Could not redo: {e}")),
        },
        Action::Save => {
            if app.doc.path().is_some() {
                save_to(app, None, false, false);
            } else {
                open_save_as(app, false);
                app.view.info(
                    "The bundled example has no file of its own: choose where to save your copy",
                );
            }
        }
        Action::SaveAs => open_save_as(app, false),
        Action::Quit => {
            if app.doc.is_dirty() {
                app.view.mode = Mode::Confirm(Confirm::Quit);
            } else {
                app.doc.discard_recovery();
                app.quit = true;
            }
        }
        Action::Help => open_help(app, Mode::Normal),
        Action::Confirm => {
            // Enter confirms the score typed and moves down, as in a spreadsheet.
            if app.selected_row() + 1 >= n_options(app) {
                app.view
                    .info("That was the last option: Enter moves down, ↑ goes back up");
            } else {
                move_rows(app, 1);
            }
        }
        Action::ToggleMouse => {
            app.view.mouse = !app.view.mouse;
            app.view.info(if app.view.mouse {
                "Mouse on: click a cell to select it (M turns it off to select and copy text)"
            } else {
                "Mouse off: drag to select and copy text as usual; M turns the mouse back on"
            });
        }
        Action::Unbound(key) => {
            let text = keys::unbound_hint(app, &key);
            app.view.info(text);
        }
        Action::EditNote => {
            let (o, c) = (app.view.option, app.view.criterion);
            let text = app
                .doc
                .appraisal()
                .options()
                .get(o)
                .and_then(|x| x.note(c))
                .unwrap_or("")
                .to_owned();
            app.view.mode = Mode::Note(NoteEditor::open(o, c, &text));
        }
        Action::EditWeight => {
            let c = app.view.criterion;
            let w = app
                .doc
                .appraisal()
                .criteria()
                .get(c)
                .map_or(1.0, |x| x.weight());
            // Written out in full, so editing starts from the exact value.
            open_prompt(app, PromptKind::Weight(c), &numbers::as_given(w));
        }
        Action::RenameOption => {
            let o = app.view.option;
            let name = app
                .doc
                .appraisal()
                .options()
                .get(o)
                .map_or("", |x| x.name())
                .to_owned();
            open_prompt(app, PromptKind::RenameOption(o), &name);
        }
        Action::RenameCriterion => {
            let c = app.view.criterion;
            let name = app
                .doc
                .appraisal()
                .criteria()
                .get(c)
                .map_or("", |x| x.name())
                .to_owned();
            open_prompt(app, PromptKind::RenameCriterion(c), &name);
        }
        Action::AddOption => {
            open_prompt(app, PromptKind::AddOption, "");
        }
        Action::AddCriterion => {
            open_prompt(app, PromptKind::AddCriterion, "");
        }
        Action::RemoveOption => {
            if n_options(app) <= 1 {
                app.view
                    .error(ModelError::WouldBeEmpty("option").to_string());
            } else {
                app.view.mode = Mode::Confirm(Confirm::RemoveOption(app.view.option));
            }
        }
        Action::RemoveCriterion => {
            if n_criteria(app) <= 1 {
                app.view
                    .error(ModelError::WouldBeEmpty("criterion").to_string());
            } else {
                app.view.mode = Mode::Confirm(Confirm::RemoveCriterion(app.view.criterion));
            }
        }
        Action::MoveOption(d) => {
            if app.view.sort == Sort::Rank {
                app.view
                    .error("Options are sorted by rank: press s for file order to move them");
                return;
            }
            let from = app.view.option;
            let Some(to) = from
                .checked_add_signed(isize::from(d))
                .filter(|&t| t < n_options(app))
            else {
                app.view
                    .info("The option is already at that end of the list");
                return;
            };
            if apply(app, Edit::MoveOption { from, to }) {
                app.view.option = to;
            }
        }
        Action::MoveCriterion(d) => {
            let from = app.view.criterion;
            let Some(to) = from
                .checked_add_signed(isize::from(d))
                .filter(|&t| t < n_criteria(app))
            else {
                app.view.info("The criterion is already at that end");
                return;
            };
            if apply(app, Edit::MoveCriterion { from, to }) {
                app.view.criterion = to;
            }
        }
        Action::ToggleSort => {
            app.view.sort = match app.view.sort {
                Sort::File => Sort::Rank,
                Sort::Rank => Sort::File,
            };
            app.view.info(match app.view.sort {
                Sort::File => "Options in file order",
                Sort::Rank => "Options sorted by rank, best first",
            });
        }
        Action::Swing => app.view.mode = Mode::Swing(Swing::start(app.doc.appraisal())),
        Action::Sensitivity => {
            app.view.mode = Mode::Sensitivity;
            app.view.details_scroll = 0;
        }
        Action::NudgeWeight(d) => nudge_weight(app, d),
        Action::Export => {
            if export::FORMATS.is_empty() {
                app.view.error("Export is not available in this build");
            } else {
                app.view.mode = Mode::Export(ExportChooser { selected: 0 });
            }
        }
        Action::ToggleShared => match app.doc.member() {
            None => app.view.error(
                "c shows the shared scores when scoring as a member: appraise tui FILE --member NAME",
            ),
            Some(m) => {
                let name = m.appraisal_name();
                app.view.shared = !app.view.shared;
                if app.view.shared {
                    app.view.info(format!(
                        "Showing the shared scores from {name}, read-only: c goes back to your own"
                    ));
                } else {
                    app.view.info("Back to your own scores");
                }
            }
        },
        Action::Panel => {
            open_panel(app);
        }
        Action::CycleMethod => {
            if open_panel(app) {
                cycle_method(app);
            }
        }
        Action::NextFlagged(d) => {
            if open_panel(app) {
                next_flagged(app, d);
            }
        }
        Action::Dismiss if app.showing() == Showing::Shared => {
            app.view.shared = false;
            app.view.info("Back to your own scores");
        }
        Action::Dismiss => {}
        Action::Resize(..) | Action::Input(_) | Action::Paste(_) => {}
    }
}

/// The step `<` and `>` move a weight by: a tenth of the largest weight,
/// rounded to 1, 2 or 5 times a power of ten, so weights stay tidy.
fn weight_step(max_weight: f64) -> f64 {
    let raw = (max_weight / 10.0).max(1e-6);
    let p = 10f64.powf(raw.log10().floor());
    let m = raw / p;
    let nice = if m < 1.5 {
        1.0
    } else if m < 3.5 {
        2.0
    } else if m < 7.5 {
        5.0
    } else {
        10.0
    };
    nice * p
}

fn nudge_weight(app: &mut App, d: i8) {
    let c = app.view.criterion;
    let a = app.doc.appraisal();
    let Some(old) = a.criteria().get(c).map(|x| x.weight()) else {
        return;
    };
    let max = a.weights().into_iter().fold(0.0, f64::max);
    let step = weight_step(max);
    // Round to the step so repeated presses land on tidy values.
    let new = (((old / step).round() + f64::from(d)) * step).max(0.0);
    let new = (new * 1e9).round() / 1e9;
    if new == old {
        app.view.info("The weight is already zero");
        return;
    }
    if apply(app, Edit::Weight { c, old, new }) {
        let name = app
            .doc
            .appraisal()
            .criteria()
            .get(c)
            .map_or("", |x| x.name())
            .to_owned();
        app.view.info(format!(
            "Weight of {name}: {} → {}",
            numbers::weight(old),
            numbers::weight(new)
        ));
    }
}

/// Moves the selection to where an undone or redone edit happened, so the
/// user sees what changed.
fn follow_edit(app: &mut App, e: &Edit) {
    match e {
        Edit::Score { o, c, .. } | Edit::Note { o, c, .. } => {
            app.view.option = *o;
            app.view.criterion = *c;
        }
        Edit::Weight { c, .. } | Edit::RenameCriterion { c, .. } => app.view.criterion = *c,
        Edit::RenameOption { o, .. } => app.view.option = *o,
        Edit::InsertOption { at, .. } => app.view.option = *at,
        Edit::RemoveOption { at, .. } => app.view.option = at.saturating_sub(1),
        Edit::MoveOption { to, .. } => app.view.option = *to,
        Edit::InsertCriterion { at, .. } => app.view.criterion = *at,
        Edit::RemoveCriterion { at, .. } => app.view.criterion = at.saturating_sub(1),
        Edit::MoveCriterion { to, .. } => app.view.criterion = *to,
        Edit::Weights { .. } | Edit::Replace { .. } => {}
    }
}

fn scroll(app: &mut App, n: i32) {
    let rows = view::grid_geometry(app).rows_visible.max(1);
    let total = n_options(app);
    let max_offset = total.saturating_sub(rows);
    let off = (app.view.row_offset as i64 + i64::from(n)).clamp(0, max_offset as i64) as usize;
    app.view.row_offset = off;
    let row = app.selected_row();
    if row < off {
        select_row(app, off);
    } else if row >= off + rows {
        select_row(app, off + rows - 1);
    }
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

fn set_score(app: &mut App, new: Option<f64>) -> bool {
    let (o, c) = (app.view.option, app.view.criterion);
    let Some(opt) = app.doc.appraisal().options().get(o) else {
        return false;
    };
    let old = opt.score(c);
    if let Some(v) = new
        && let Err(e) = app.doc.appraisal().scale().check(v)
    {
        let scale = app.doc.appraisal().scale();
        app.view.error(format!(
            "{}: use {} to {} in steps of {}",
            friendly(&e),
            numbers::score(scale.min()),
            numbers::score(scale.max()),
            numbers::score(scale.step())
        ));
        return false;
    }
    if old == new {
        return true;
    }
    apply(app, Edit::Score { o, c, old, new })
}

fn digit(app: &mut App, d: u8) {
    let (o, c) = (app.view.option, app.view.criterion);
    let typed = match app.view.digits.take() {
        Some((po, pc, s)) if po == o && pc == c => s,
        _ => String::new(),
    };
    let scale = app.doc.appraisal().scale().clone();
    let next = format!("{typed}{d}");
    if !typed.is_empty() {
        // A second digit on the same cell: "1" then "0" makes 10 where the
        // scale allows it. Where it does not, the score stays as it was and
        // the screen says so, rather than the second digit silently
        // replacing the first.
        match next.parse::<f64>() {
            Ok(v) if scale.check(v).is_ok() => {
                if set_score(app, Some(v)) {
                    app.view.digits = Some((o, c, next));
                }
            }
            _ => app.view.error(format!(
                "{next} is not on the scale ({} to {}): the score stays {typed}; press {d} again to score {d}",
                numbers::score(scale.min()),
                numbers::score(scale.max()),
            )),
        }
        return;
    }
    if set_score(app, Some(f64::from(d))) {
        app.view.digits = Some((o, c, next));
    }
}

fn half(app: &mut App) {
    let scale = app.doc.appraisal().scale().clone();
    let halves = 0.5 / scale.step();
    if (halves - halves.round()).abs() > 1e-9 || halves < 1.0 - 1e-9 {
        app.view.error(format!(
            "This scale has no half points: it runs from {} to {} in steps of {}",
            numbers::score(scale.min()),
            numbers::score(scale.max()),
            numbers::score(scale.step())
        ));
        return;
    }
    let (o, c) = (app.view.option, app.view.criterion);
    let Some(current) = app
        .doc
        .appraisal()
        .options()
        .get(o)
        .and_then(|x| x.score(c))
    else {
        app.view
            .error("Type a whole number first, then . to add a half");
        return;
    };
    let base = current.floor();
    if current - base > 1e-9 {
        app.view
            .info(format!("{} already has a half", numbers::score(current)));
        return;
    }
    set_score(app, Some(base + 0.5));
}

fn step(app: &mut App, delta: i64) {
    let (o, c) = (app.view.option, app.view.criterion);
    let scale = app.doc.appraisal().scale().clone();
    let current = app
        .doc
        .appraisal()
        .options()
        .get(o)
        .and_then(|x| x.score(c));
    let new = match current {
        None if delta > 0 => scale.min(),
        None => scale.max(),
        Some(v) => {
            let n = scale.nudge(v, delta);
            if n == v {
                let end = if delta > 0 { "top" } else { "bottom" };
                app.view.info(format!(
                    "{} is already the {end} of the scale",
                    numbers::score(v)
                ));
                return;
            }
            n
        }
    };
    set_score(app, Some(new));
}

fn open_save_as(app: &mut App, then_quit: bool) {
    let suggestion = match app.doc.path() {
        Some(p) => p.display().to_string(),
        None => "my-appraisal.toml".to_owned(),
    };
    open_prompt(app, PromptKind::SaveAs { then_quit }, &suggestion);
}

fn save_to(app: &mut App, path: Option<PathBuf>, force: bool, then_quit: bool) {
    match app.doc.save(path.as_deref(), force) {
        Ok(p) => {
            app.view.info(format!("Saved to {}", p.display()));
            if then_quit {
                app.quit = true;
            }
        }
        Err(SaveError::Conflict { .. }) => {
            app.view.mode = Mode::Confirm(Confirm::Conflict { then_quit });
        }
        Err(e) => app.view.error(format!("Not saved: {e}")),
    }
}

fn help(app: &mut App, scroll: u16, back: Mode, action: Action) {
    let scroll = match action {
        Action::Input(Input::Up) | Action::Up => scroll.saturating_sub(1),
        Action::Input(Input::Down) | Action::Down => scroll.saturating_add(1),
        Action::PageUp => scroll.saturating_sub(10),
        Action::PageDown => scroll.saturating_add(10),
        Action::Scroll(n) => scroll.saturating_add_signed(n.clamp(-100, 100) as i16),
        Action::Save => {
            app.view.mode = back;
            update(app, Action::Save);
            return;
        }
        _ => {
            // Back to what was open, as it was.
            app.view.mode = back;
            return;
        }
    };
    let scroll = scroll.min(view::help_max_scroll(app));
    app.view.mode = Mode::Help {
        scroll,
        back: Box::new(back),
    };
}

fn commit_note(app: &mut App, editor: &NoteEditor) {
    let old = app
        .doc
        .appraisal()
        .options()
        .get(editor.o)
        .and_then(|x| x.note(editor.c))
        .map(str::to_owned);
    let text = editor.input.text();
    let new = (!text.trim().is_empty()).then_some(text);
    if old == new {
        app.view.info("Note closed, unchanged");
        return;
    }
    let removed = new.is_none();
    if apply(
        app,
        Edit::Note {
            o: editor.o,
            c: editor.c,
            old,
            new,
        },
    ) {
        app.view.info(if removed {
            "Note removed (u to undo)"
        } else {
            "Note kept (u to undo)"
        });
    }
}

fn note(app: &mut App, mut editor: NoteEditor, action: Action) {
    match action {
        Action::Input(i) => match i {
            Input::Char(ch) => editor.input.insert(ch),
            Input::Tab => {
                for _ in 0..4 {
                    editor.input.insert(' ');
                }
            }
            Input::NewLine => editor.input.newline(),
            Input::Backspace => editor.input.backspace(),
            Input::Delete => editor.input.delete(),
            Input::Left => editor.input.left(),
            Input::Right => editor.input.right(),
            Input::Up | Input::MoveUp => editor.input.up(),
            Input::Down | Input::MoveDown => editor.input.down(),
            Input::Home => editor.input.home(),
            Input::End => editor.input.end(),
            Input::BackTab => {}
            // Enter keeps the note, as Enter confirms a spreadsheet cell.
            Input::Enter => {
                commit_note(app, &editor);
                return;
            }
            // Esc cancels, as in every box; typed changes are not thrown
            // away without asking.
            Input::Esc => {
                if editor.changed() {
                    app.view.mode = Mode::Confirm(Confirm::Discard {
                        what: "your changes to this note".to_owned(),
                        back: Box::new(Mode::Note(editor)),
                    });
                } else {
                    app.view.info("Note closed, unchanged");
                }
                return;
            }
        },
        Action::Save => {
            commit_note(app, &editor);
            normal(app, Action::Save);
            return;
        }
        Action::Help => {
            open_help(app, Mode::Note(editor));
            return;
        }
        _ => {}
    }
    app.view.mode = Mode::Note(editor);
}

/// Makes an id from a name, unique among `taken`: "Shared Service" -> "shared-service".
fn id_from_name(name: &str, taken: &[&str], fallback: &str) -> Option<Id> {
    let slug = crate::model::slug(name);
    let mut base: String = if slug.is_empty() {
        fallback.to_owned()
    } else {
        slug
    };
    base.truncate(crate::model::MAX_ID_LEN - 4);
    let base = base.trim_end_matches('-').to_owned();
    let mut candidate = base.clone();
    let mut n = 2;
    while taken.contains(&candidate.as_str()) {
        candidate = format!("{base}-{n}");
        n += 1;
    }
    Id::new(&candidate).ok()
}

fn prompt_input(app: &mut App, mut prompt: Prompt, action: Action) {
    let input = match action {
        Action::Input(i) => i,
        Action::Help => {
            open_help(app, Mode::Prompt(prompt));
            return;
        }
        _ => {
            app.view.mode = Mode::Prompt(prompt);
            return;
        }
    };
    match input {
        Input::Char(ch) => prompt.input.insert(ch),
        Input::Backspace => prompt.input.backspace(),
        Input::Delete => prompt.input.delete(),
        Input::Left => prompt.input.left(),
        Input::Right => prompt.input.right(),
        Input::Home | Input::Up => prompt.input.home(),
        Input::End | Input::Down => prompt.input.end(),
        Input::Esc => {
            app.view.info("Cancelled");
            return;
        }
        Input::Enter if submit_prompt(app, &prompt) => return,
        _ => {}
    }
    app.view.mode = Mode::Prompt(prompt);
}

/// The weight a typed answer asks for: a number, or a share of the total
/// weight such as `12%` (the other weights stay as they are, so the criterion
/// gets the weight that makes its share 12%).
fn weight_from_answer(a: &crate::model::Appraisal, c: usize, answer: &str) -> Result<f64, String> {
    let not_a_number = || {
        format!(
            "{answer:?} is not a number: type a weight such as 1, 2 or 0.5, or a share such as 20%"
        )
    };
    let Some(share) = answer.strip_suffix('%') else {
        return answer.parse::<f64>().map_err(|_| not_a_number());
    };
    let share: f64 = share.trim().parse().map_err(|_| not_a_number())?;
    let others: f64 = a
        .weights()
        .iter()
        .enumerate()
        .filter(|&(i, _)| i != c)
        .map(|(_, w)| w)
        .sum();
    if !(0.0..100.0).contains(&share) {
        return Err(format!(
            "A share must be from 0% to less than 100% of the total weight; {answer} is not"
        ));
    }
    if others <= 0.0 {
        return Err(
            "The other criteria have no weight, so a share cannot be set: type a weight such as 1"
                .to_owned(),
        );
    }
    // share / 100 = w / (w + others), so w = others * share / (100 - share).
    let w = others * share / (100.0 - share);
    Ok((w * 1e4).round() / 1e4)
}

/// Acts on a prompt's answer. Returns true when the prompt should close.
fn submit_prompt(app: &mut App, prompt: &Prompt) -> bool {
    let text = prompt.input.text();
    let answer = text.trim();
    match &prompt.kind {
        PromptKind::Weight(c) => {
            let c = *c;
            let Some(old) = app.doc.appraisal().criteria().get(c).map(|x| x.weight()) else {
                return true;
            };
            let new = match weight_from_answer(app.doc.appraisal(), c, answer) {
                Ok(w) => w,
                Err(msg) => {
                    app.view.error(msg);
                    return false;
                }
            };
            if old == new {
                return true;
            }
            apply(app, Edit::Weight { c, old, new })
        }
        PromptKind::RenameOption(o) => {
            let Some(old) = app
                .doc
                .appraisal()
                .options()
                .get(*o)
                .map(|x| x.name().to_owned())
            else {
                return true;
            };
            if old == answer {
                return true;
            }
            apply(
                app,
                Edit::RenameOption {
                    o: *o,
                    old,
                    new: answer.to_owned(),
                },
            )
        }
        PromptKind::RenameCriterion(c) => {
            let Some(old) = app
                .doc
                .appraisal()
                .criteria()
                .get(*c)
                .map(|x| x.name().to_owned())
            else {
                return true;
            };
            if old == answer {
                return true;
            }
            apply(
                app,
                Edit::RenameCriterion {
                    c: *c,
                    old,
                    new: answer.to_owned(),
                },
            )
        }
        PromptKind::AddOption => {
            let a = app.doc.appraisal();
            let taken: Vec<&str> = a.options().iter().map(|o| o.id().as_str()).collect();
            let Some(id) = id_from_name(answer, &taken, "option") else {
                app.view
                    .error("Could not make an id from that name; try a shorter one");
                return false;
            };
            let option = match AppraisalOption::new(id, answer, a.criteria().len()) {
                Ok(o) => o,
                Err(e) => {
                    app.view.error(friendly(&e));
                    return false;
                }
            };
            let at = (app.view.option + 1).min(a.options().len());
            if apply(
                app,
                Edit::InsertOption {
                    at,
                    option: Box::new(option),
                },
            ) {
                app.view.option = at;
                app.view.criterion = 0;
                app.view
                    .info(format!("Added option {answer}: type its scores"));
                true
            } else {
                false
            }
        }
        PromptKind::AddCriterion => {
            let a = app.doc.appraisal();
            let taken: Vec<&str> = a.criteria().iter().map(|c| c.id().as_str()).collect();
            let Some(id) = id_from_name(answer, &taken, "criterion") else {
                app.view
                    .error("Could not make an id from that name; try a shorter one");
                return false;
            };
            let criterion = match Criterion::new(id, answer, 1.0) {
                Ok(c) => c,
                Err(e) => {
                    app.view.error(friendly(&e));
                    return false;
                }
            };
            let at = (app.view.criterion + 1).min(a.criteria().len());
            if apply(
                app,
                Edit::InsertCriterion {
                    at,
                    column: Box::new(RemovedCriterion {
                        criterion,
                        scores: Vec::new(),
                        notes: Vec::new(),
                    }),
                },
            ) {
                app.view.criterion = at;
                app.view.info(format!(
                    "Added criterion {answer} with weight 1 (w to change)"
                ));
                true
            } else {
                false
            }
        }
        PromptKind::SaveAs { then_quit } => {
            if answer.is_empty() {
                app.view
                    .error("Type a file name, such as my-appraisal.toml");
                return false;
            }
            let path = expand_home(answer);
            if path.is_dir() {
                app.view
                    .error(format!("{} is a folder: add a file name", path.display()));
                return false;
            }
            let same = app.doc.path() == Some(path.as_path());
            if !same && path.exists() {
                app.view.mode = Mode::Confirm(Confirm::Replace {
                    path,
                    then_quit: *then_quit,
                });
                return true;
            }
            save_to(app, Some(path), false, *then_quit);
            true
        }
        PromptKind::ExportPath(format) => {
            if answer.is_empty() {
                app.view.error("Type a file name for the export");
                return false;
            }
            let path = expand_home(answer);
            if let Some(existing) = export::would_replace(*format, &path) {
                app.view.mode = Mode::Confirm(Confirm::ReplaceExport {
                    format: *format,
                    path,
                    existing,
                });
                return true;
            }
            export_now(app, *format, &path)
        }
    }
}

/// Writes the export and says so; returns whether it was written.
fn export_now(app: &mut App, format: usize, path: &Path) -> bool {
    match export::export_to(app, format, path) {
        Ok(files) => {
            let what = match files.len() {
                1 => String::new(),
                n => format!(" ({n} files)"),
            };
            app.view
                .info(format!("Exported to {}{what}", path.display()));
            true
        }
        Err(e) => {
            app.view.error(format!("Not exported: {e}"));
            false
        }
    }
}

fn expand_home(p: &str) -> PathBuf {
    if let Some(rest) = p.strip_prefix("~/")
        && let Some(home) = std::env::var_os("HOME")
    {
        return PathBuf::from(home).join(rest);
    }
    PathBuf::from(p)
}

/// The choice between restored work and the file as it now is.
fn clash_input(app: &mut App, mut k: Box<super::app::Clashes>, action: Action) {
    let n = k.cells.len();
    match action {
        Action::Input(Input::Up) => k.selected = k.selected.saturating_sub(1),
        Action::Input(Input::Down) => k.selected = (k.selected + 1).min(n.saturating_sub(1)),
        Action::Input(Input::Char(' ') | Input::Tab) => {
            if let Some(t) = k.take_yours.get_mut(k.selected) {
                *t = !*t;
            }
        }
        Action::Input(Input::Char('t' | 'T')) => {
            // All theirs: the file as it is; the kept work is no longer needed.
            let _ = crate::recovery::remove_recovery(&k.from);
            if let Some(lock) = &k.stale_lock {
                let _ = std::fs::remove_file(lock);
            }
            app.view
                .info("Kept the file as it now is; the earlier unsaved work was discarded");
            return;
        }
        Action::Input(Input::Char('y' | 'Y' | 'r' | 'R')) | Action::Input(Input::Enter) => {
            let whole = matches!(action, Action::Input(Input::Char(_)));
            let new = if whole {
                k.recovered.clone()
            } else {
                k.merged(app.doc.appraisal())
            };
            let old = Box::new(app.doc.appraisal().clone());
            if new != *old
                && !apply(
                    app,
                    Edit::Replace {
                        old,
                        new: Box::new(new),
                    },
                )
            {
                app.view.mode = Mode::Confirm(Confirm::RecoveryClash(k));
                return;
            }
            app.settle_recovery(&k.from);
            if let Some(lock) = &k.stale_lock {
                let _ = std::fs::remove_file(lock);
            }
            let kept = if whole {
                n
            } else {
                k.take_yours.iter().filter(|&&t| t).count()
            };
            app.view.info(format!(
                "Restored your unsaved work on {kept} of {n} cells over the file as it now is: Ctrl-s to save, u to undo"
            ));
            return;
        }
        Action::Input(Input::Char('q' | 'Q')) => {
            app.quit = true;
            return;
        }
        Action::Input(Input::Esc) => app.view.error(
            "Choose whose version each cell keeps and press Enter, or t to keep the file as it is",
        ),
        _ => {}
    }
    if let Some(t) = k.take_yours.get(k.selected) {
        let what = if *t { "yours" } else { "theirs" };
        if !matches!(action, Action::Input(Input::Esc)) {
            app.view.info(format!("This cell keeps {what}"));
        }
    }
    app.view.mode = Mode::Confirm(Confirm::RecoveryClash(k));
}

fn confirm_input(app: &mut App, confirm: Confirm, action: Action) {
    let confirm = match confirm {
        Confirm::RecoveryClash(k) => return clash_input(app, k, action),
        other => other,
    };
    if action == Action::Help {
        open_help(app, Mode::Confirm(confirm));
        return;
    }
    let key = match action {
        Action::Input(Input::Char(c)) => Some(c.to_ascii_lowercase()),
        Action::Input(Input::Esc) => None,
        Action::Input(Input::Enter) => Some('\n'),
        other => {
            if let Some(k) = pressed(&other) {
                app.view.info(format!(
                    "{k} does nothing here: {}",
                    keys::confirm_choices(&confirm)
                ));
            }
            app.view.mode = Mode::Confirm(confirm);
            return;
        }
    };
    if let Some(k) = key.filter(|k| !keys::confirm_takes(&confirm, *k)) {
        let name = if k == '\n' {
            "Enter".to_owned()
        } else {
            k.to_string()
        };
        app.view.info(format!(
            "{name} does nothing here: {}",
            keys::confirm_choices(&confirm)
        ));
        app.view.mode = Mode::Confirm(confirm);
        return;
    }
    match (confirm, key) {
        (Confirm::Discard { .. }, Some('y')) => app.view.info("Closed: nothing was changed"),
        (Confirm::Discard { back, .. }, _) => app.view.mode = *back,
        (Confirm::Quit, Some('y' | 's' | '\n')) => {
            if app.doc.path().is_some() {
                save_to(app, None, false, true);
            } else {
                open_save_as(app, true);
            }
        }
        (Confirm::Quit, Some('n' | 'd')) => {
            app.doc.discard_recovery();
            app.quit = true;
        }
        (Confirm::Quit, None | Some('c')) => app.view.info("Still here: nothing was lost"),
        (Confirm::RemoveOption(o), Some('y')) => {
            if let Some(option) = app.doc.appraisal().options().get(o).cloned() {
                let name = option.name().to_owned();
                if apply(
                    app,
                    Edit::RemoveOption {
                        at: o,
                        option: Box::new(option),
                    },
                ) {
                    app.view.option = o.saturating_sub(1);
                    app.view.info(format!("Removed option {name} (u to undo)"));
                }
            }
        }
        (Confirm::RemoveCriterion(c), Some('y')) => {
            let a = app.doc.appraisal();
            if let Some(criterion) = a.criteria().get(c).cloned() {
                let name = criterion.name().to_owned();
                let column = RemovedCriterion {
                    criterion,
                    scores: a.options().iter().map(|o| o.score(c)).collect(),
                    notes: a
                        .options()
                        .iter()
                        .map(|o| o.note(c).map(str::to_owned))
                        .collect(),
                };
                if apply(
                    app,
                    Edit::RemoveCriterion {
                        at: c,
                        column: Box::new(column),
                    },
                ) {
                    app.view.criterion = c.saturating_sub(1);
                    app.view
                        .info(format!("Removed criterion {name} (u to undo)"));
                }
            }
        }
        (Confirm::RemoveOption(_) | Confirm::RemoveCriterion(_), _) => {
            app.view.info("Nothing was removed");
        }
        (Confirm::Conflict { then_quit }, Some('o')) => save_to(app, None, true, then_quit),
        (Confirm::Conflict { then_quit }, Some('a')) => open_save_as(app, then_quit),
        (Confirm::Conflict { .. }, _) => {
            app.view
                .info("Not saved. Your changes are still here; Ctrl-s to try again");
        }
        (Confirm::Replace { path, then_quit }, Some('y')) => {
            save_to(app, Some(path), true, then_quit)
        }
        (Confirm::Replace { path, then_quit }, _) => {
            // Back to the name as typed, to change it.
            open_prompt(
                app,
                PromptKind::SaveAs { then_quit },
                &path.display().to_string(),
            );
        }
        (Confirm::ReplaceExport { format, path, .. }, Some('y')) => {
            if !export_now(app, format, &path) {
                open_prompt(
                    app,
                    PromptKind::ExportPath(format),
                    &path.display().to_string(),
                );
            }
        }
        (Confirm::ReplaceExport { format, path, .. }, _) => {
            // Back to the name as typed, to change it.
            open_prompt(
                app,
                PromptKind::ExportPath(format),
                &path.display().to_string(),
            );
            app.view
                .info("Nothing was replaced: type another name, or Esc");
        }
        (
            Confirm::Recovery {
                recovered,
                from,
                stale_lock,
                ..
            },
            Some('r' | 'y'),
        ) => {
            let old = Box::new(app.doc.appraisal().clone());
            if apply(
                app,
                Edit::Replace {
                    old,
                    new: recovered,
                },
            ) {
                // The work now lives in this copy (and its own recovery file).
                app.settle_recovery(&from);
                if let Some(lock) = stale_lock {
                    let _ = std::fs::remove_file(lock);
                }
                app.view.info(
                    "Restored your unsaved work from last time: Ctrl-s to save it, u to undo the restore",
                );
            }
        }
        (
            Confirm::Recovery {
                from, stale_lock, ..
            },
            Some('d' | 'n'),
        ) => {
            let _ = crate::recovery::remove_recovery(&from);
            if let Some(lock) = stale_lock {
                let _ = std::fs::remove_file(lock);
            }
            app.view.info("Discarded the unsaved work from last time");
        }
        (Confirm::Recovery { .. }, Some('q')) => app.quit = true,
        (c @ Confirm::Recovery { .. }, _) => {
            app.view.mode = Mode::Confirm(c);
            app.view
                .error("Press r to restore the unsaved work, or d to discard it");
        }
        (c, _) => app.view.mode = Mode::Confirm(c),
    }
}

fn swing_input(app: &mut App, mut swing: Swing, action: Action) {
    let input = match action {
        Action::Input(input) => input,
        Action::Help => {
            open_help(app, Mode::Swing(swing));
            return;
        }
        other => {
            if let Some(k) = pressed(&other) {
                app.view.info(format!(
                    "{k} does nothing here: {}",
                    keys::swing_choices(swing.step)
                ));
            }
            app.view.mode = Mode::Swing(swing);
            return;
        }
    };
    match (swing.step, input) {
        (_, Input::Up) => swing.select(-1),
        (_, Input::Down) => swing.select(1),
        (SwingStep::Order, Input::MoveUp) => swing.move_selected(-1),
        (SwingStep::Order, Input::MoveDown) => swing.move_selected(1),
        (SwingStep::Order, Input::Enter | Input::Tab) => {
            swing.step = SwingStep::Value;
            swing.selected = usize::from(swing.order.len() > 1);
            swing.fresh = true;
        }
        // Esc cancels the assistant, as it cancels every box, asking first
        // if anything was changed in it.
        (_, Input::Esc) => {
            let fresh = Swing::start(app.doc.appraisal());
            if swing.order != fresh.order || swing.values != fresh.values {
                app.view.mode = Mode::Confirm(Confirm::Discard {
                    what: "the order and values set in the swing assistant".to_owned(),
                    back: Box::new(Mode::Swing(swing)),
                });
            } else {
                app.view.info("Weights unchanged");
            }
            return;
        }
        (SwingStep::Value, Input::BackTab) => {
            swing.step = SwingStep::Order;
            swing.selected = 0;
        }
        (SwingStep::Value, Input::Char(ch)) if ch.is_ascii_digit() || ch == '.' => {
            swing.type_char(ch)
        }
        (SwingStep::Value, Input::Backspace | Input::Delete) => swing.backspace(),
        (SwingStep::Value, Input::Enter) => {
            let n = n_criteria(app);
            match swing.weights(n) {
                Ok(new) => {
                    let old = app.doc.appraisal().weights();
                    if old == new || apply(app, Edit::Weights { old, new }) {
                        app.view
                            .info("Weights set from the swing values (u to undo)");
                        return;
                    }
                }
                Err(msg) => app.view.error(msg),
            }
        }
        (step, other) => app.view.info(format!(
            "{} does nothing here: {}",
            other.name(),
            keys::swing_choices(step)
        )),
    }
    app.view.mode = Mode::Swing(swing);
}

fn export_input(app: &mut App, mut chooser: ExportChooser, action: Action) {
    let n = export::FORMATS.len();
    match action {
        Action::Input(Input::Up) => chooser.selected = chooser.selected.saturating_sub(1),
        Action::Input(Input::Down) => {
            chooser.selected = (chooser.selected + 1).min(n.saturating_sub(1));
        }
        Action::Input(Input::Esc) => {
            app.view.info("Nothing exported");
            return;
        }
        Action::Input(Input::Enter) => {
            let name = export::default_file_name(app, chooser.selected);
            open_prompt(app, PromptKind::ExportPath(chooser.selected), &name);
            return;
        }
        Action::Help => {
            open_help(app, Mode::Export(chooser));
            return;
        }
        other => {
            if let Some(k) = pressed(&other) {
                app.view.info(format!(
                    "{k} does nothing here: ↑↓ choose a format, Enter picks it, Esc cancels"
                ));
            }
        }
    }
    app.view.mode = Mode::Export(chooser);
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

#[cfg(test)]
mod tests;

#[cfg(test)]
mod panel_tests;
