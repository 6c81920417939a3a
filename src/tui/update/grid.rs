//! The grid, in its own view or the live sensitivity view: moving, scoring,
//! changing the appraisal's structure, and the files.

use std::path::PathBuf;

use crate::model::{ModelError, RemovedCriterion};
use crate::numbers;

use super::super::action::{Action, Kind};
use super::super::app::{
    App, Confirm, ExportChooser, Focus, Grid, Mode, NoteEditor, PromptKind, Showing, Sort,
};
use super::super::edit::Edit;
use super::super::effect::Effect;
use super::super::export;
use super::super::keymap;
use super::super::swing::Swing;
use super::super::view;
use super::{
    Effects, apply, friendly, n_criteria, n_options, open_help, open_prompt, panel, quit_now, save,
    scale_range,
};

/// The live sensitivity view: the grid's keys, over the live panel, which
/// stays open unless the key opened something else.
pub(super) fn live_view(app: &mut App, action: Action, fx: &mut Effects) {
    app.view.mode = Mode::Sensitivity;
    match action {
        Action::Sensitivity | Action::Dismiss => {
            app.view.mode = Mode::Normal;
            app.view.details_scroll = 0;
        }
        Action::Help => open_help(app, Mode::Sensitivity),
        Action::ToggleShared | Action::Panel if app.doc.member().is_some() => {
            app.view
                .error("The sensitivity view analyses your own scores: press v to close it first");
        }
        other => {
            app.view.mode = Mode::Normal;
            let scroll = app.view.details_scroll;
            let sideways = matches!(other, Action::Left | Action::Right);
            grid(app, other, fx);
            if sideways {
                // Changing criterion keeps the panel where the user put it.
                app.view.details_scroll = scroll;
            }
            // Stay in the live view unless the action opened something
            // else (a dialog, or the panel view, which replaces it).
            if app.view.mode == Mode::Normal && app.showing() != Showing::Panel {
                app.view.mode = Mode::Sensitivity;
            }
        }
    }
}

/// The grid: each kind of action goes to its own handler.
pub(super) fn grid(app: &mut App, action: Action, fx: &mut Effects) {
    if action.changes_structure()
        && let Some(m) = app.doc.member()
    {
        let text = structure_refusal(&action, &m.appraisal_name());
        app.view.error(text);
        return;
    }
    if action == Action::EditEvidence
        && let Some(m) = app.doc.member()
    {
        let text = format!(
            "The evidence for and against is kept in {}: in your sheet you score and write notes (n)",
            m.appraisal_name()
        );
        app.view.error(text);
        return;
    }
    if action.edits_cell()
        && let Some(text) = read_only_cell(app)
    {
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
            app.grid = Grid::Own;
        }
    }
    if let Some(edge) = at_edge(app, &action) {
        app.view.info(edge);
        return;
    }
    match action.kind() {
        Kind::Moving => return moving(app, action),
        Kind::Cell | Kind::History => return scoring(app, action),
        Kind::Structure | Kind::Sort => return structure(app, action),
        Kind::Files => return files(app, action, fx),
        Kind::Views => return views(app, action, fx),
        Kind::Other => {}
    }
    match action {
        Action::Help => open_help(app, Mode::Normal),
        Action::Fold | Action::FoldAll => fold(app, &action),
        Action::ToggleMouse => {
            app.view.mouse = !app.view.mouse;
            fx.push(Effect::Mouse(app.view.mouse));
            app.view.info(if app.view.mouse {
                "Mouse on: click a cell to select it (M turns it off to select and copy text)"
            } else {
                "Mouse off: drag to select and copy text as usual; M turns the mouse back on"
            });
        }
        Action::Unbound(key) => {
            let text = keymap::unbound_hint(app, &key);
            app.view.info(text);
        }
        Action::Dismiss if app.showing() == Showing::Shared => {
            app.grid = Grid::Own;
            app.view.info("Back to your own scores");
        }
        // Taken by their kind's handler above, or nothing to do on the grid.
        _ => {}
    }
}

/// Folds or unfolds criteria groups: the view changes, the document does not.
fn fold(app: &mut App, action: &Action) {
    let a = app.doc.appraisal();
    if a.groups().is_empty() {
        app.view
            .info("This appraisal has no criteria groups to fold");
        return;
    }
    let name = |a: &crate::model::Appraisal, g: usize| {
        a.groups().get(g).map_or("", |x| x.name()).to_owned()
    };
    if *action == Action::FoldAll {
        if app.view.folded.is_empty() {
            app.view.folded = (0..a.groups().len())
                .filter(|&g| a.groups()[g].parent().is_none())
                .collect();
            app.view
                .info("Every group folded into its subtotals: O unfolds them all");
        } else {
            app.view.folded.clear();
            app.view.info("Every group unfolded");
        }
        return;
    }
    // On a folded group, o widens the fold to the group around it; on a
    // folded top-level group it unfolds it, sub-groups and all. So o
    // pressed again and again folds a criterion's groups from the inside
    // out, then opens them up.
    let c = app.view.criterion;
    let to_fold = match app.selected_fold() {
        Some(g) => match a.groups().get(g).and_then(|x| x.parent()) {
            Some(parent) => parent,
            None => {
                app.view.folded.retain(|&f| f != g && !within(a, f, g));
                let text = format!("{} unfolded: o folds it again", name(a, g));
                app.view.info(text);
                return;
            }
        },
        None => match a.criteria().get(c).and_then(|k| k.group()) {
            Some(inner) => inner,
            None => {
                let text = format!(
                    "{} is in no group: o folds a group of criteria into its subtotals",
                    a.criteria().get(c).map_or("", |k| k.name())
                );
                app.view.info(text);
                return;
            }
        },
    };
    let g = to_fold;
    let text = format!(
        "{} folded: the column shows each option's subtotal; {}",
        name(a, g),
        super::super::v2::fold_key_words(a, g)
    );
    // The groups inside it are now hidden in its one column.
    app.view.folded.retain(|&f| !within(a, f, g));
    app.view.folded.push(g);
    // The selection stays on the group's column, held by its first criterion.
    if let Some(first) = (0..a.criteria().len()).find(|&k| a.in_group(k, g)) {
        app.view.criterion = first;
    }
    app.view.info(text);
}

/// Whether group `inner` sits inside group `outer` (at any depth, not itself).
fn within(a: &crate::model::Appraisal, inner: usize, outer: usize) -> bool {
    inner != outer && a.group_path(inner).contains(&outer)
}

/// Why the selected cell cannot be edited here, if it cannot: a folded
/// group's subtotal, or in member mode a measured criterion's raw value,
/// which belongs to the appraisal.
fn read_only_cell(app: &App) -> Option<String> {
    let a = app.doc.appraisal();
    if let Some(g) = app.selected_fold() {
        return Some(format!(
            "This column is {}'s subtotal, worked out from its criteria: o unfolds the group to score them",
            a.groups().get(g).map_or("", |x| x.name())
        ));
    }
    let crit = a.criteria().get(app.view.criterion)?;
    crit.measure()?;
    let m = app.doc.member()?;
    Some(format!(
        "{} is measured: its raw values belong to {}, not to members' sheets, so here it is read-only",
        crit.name(),
        m.appraisal_name()
    ))
}

/// Why a structural edit is refused in member mode.
fn structure_refusal(action: &Action, appraisal: &str) -> String {
    let what = match action {
        Action::EditWeight | Action::NudgeWeight(_) | Action::Swing => "Weights are",
        Action::RenameOption | Action::RenameCriterion => "Names are",
        _ => "Options and criteria are",
    };
    format!("{what} fixed by {appraisal}: in your sheet you score and write notes")
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
        Action::Left if app.selected_column() == 0 => Some("Already at the first criterion"),
        Action::Right if app.selected_column() + 1 >= app.columns().len() => {
            Some("Already at the last criterion")
        }
        _ => None,
    }
}

/// Moving the selection, scrolling, and switching panes.
fn moving(app: &mut App, action: Action) {
    let page = view::grid_geometry(app).rows_visible.max(1) as isize;
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
        Action::Left | Action::Right => {
            // By column, so a folded group is one step.
            let cols = app.columns();
            let at = app.selected_column();
            let to = if action == Action::Left {
                at.saturating_sub(1)
            } else {
                at + 1
            };
            if let Some(&c) = cols.get(to) {
                app.view.criterion = c;
            }
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
        Action::Confirm => {
            // Enter confirms the score typed and moves down, as in a spreadsheet.
            if app.selected_row() + 1 >= n_options(app) {
                app.view
                    .info("That was the last option: Enter moves down, ↑ goes back up");
            } else {
                move_rows(app, 1);
            }
        }
        _ => {}
    }
}

/// Selects the option shown at display row `row` (clamped).
pub(super) fn select_row(app: &mut App, row: usize) {
    let order = app.display_order();
    if let Some(&o) = order.get(row.min(order.len().saturating_sub(1))) {
        app.view.option = o;
    }
}

fn move_rows(app: &mut App, delta: isize) {
    let row = app.selected_row().saturating_add_signed(delta);
    select_row(app, row);
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

/// Scores, notes, undo and redo.
fn scoring(app: &mut App, action: Action) {
    if matches!(
        action,
        Action::Digit(_) | Action::Half | Action::Step(_) | Action::Clear
    ) && measured(app)
    {
        raw_value(app, &action);
        return;
    }
    match action {
        Action::Digit(d) => digit(app, d),
        Action::Half => half(app),
        Action::Step(delta) => step(app, delta),
        Action::Clear => {
            if selected_score(app).is_none() {
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
        Action::EditEvidence => {
            let (o, c) = (app.view.option, app.view.criterion);
            let none = crate::model::Evidence::default();
            let e = app
                .doc
                .appraisal()
                .options()
                .get(o)
                .and_then(|x| x.evidence().get(c))
                .unwrap_or(&none);
            app.view.mode = Mode::Evidence(NoteEditor::evidence(o, c, e));
        }
        _ => {}
    }
}

/// Whether the selected criterion is measured: its cells take raw values.
fn measured(app: &App) -> bool {
    app.doc
        .appraisal()
        .criteria()
        .get(app.view.criterion)
        .is_some_and(|k| k.measure().is_some())
}

/// A scoring key on a measured cell: a digit, `-` or `.` starts typing the
/// raw value in a box (it may be negative, large or have decimals, so it
/// cannot be one keystroke), `+` opens the box on the value as it is, and
/// clearing clears the raw value.
fn raw_value(app: &mut App, action: &Action) {
    let (o, c) = (app.view.option, app.view.criterion);
    let old = app
        .doc
        .appraisal()
        .options()
        .get(o)
        .and_then(|x| x.measure(c));
    let start = match action {
        Action::Clear => {
            if old.is_none() {
                app.view.info("This cell has no raw value");
            } else {
                apply(
                    app,
                    Edit::Measure {
                        o,
                        c,
                        old,
                        new: None,
                        old_range: app
                            .doc
                            .appraisal()
                            .options()
                            .get(o)
                            .and_then(|x| x.range(c)),
                        new_range: None,
                    },
                );
            }
            return;
        }
        Action::Digit(d) => d.to_string(),
        Action::Step(d) if *d < 0 => "-".to_owned(),
        Action::Half => ".".to_owned(),
        _ => {
            let text = old.map(numbers::as_given).unwrap_or_default();
            open_prompt(app, PromptKind::Measure(o, c), &text);
            return;
        }
    };
    app.view.mode = Mode::Prompt(super::super::app::Prompt {
        kind: PromptKind::Measure(o, c),
        input: super::super::text::TextInput::single(&start),
    });
}

/// The selected cell's score.
fn selected_score(app: &App) -> Option<f64> {
    app.doc
        .appraisal()
        .options()
        .get(app.view.option)
        .and_then(|x| x.score(app.view.criterion))
}

/// Moves the selection to where an undone or redone edit happened, so the
/// user sees what changed.
fn follow_edit(app: &mut App, e: &Edit) {
    match e {
        Edit::Score { o, c, .. }
        | Edit::Note { o, c, .. }
        | Edit::Evidence { o, c, .. }
        | Edit::Measure { o, c, .. } => {
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
        Edit::Weights { .. } | Edit::AgreedOrder { .. } | Edit::Replace { .. } => {}
    }
}

fn set_score(app: &mut App, new: Option<f64>) -> bool {
    let (o, c) = (app.view.option, app.view.criterion);
    let Some(opt) = app.doc.appraisal().options().get(o) else {
        return false;
    };
    let old = opt.score(c);
    if let Some(v) = new
        && let Err(e) = app.doc.appraisal().scale_of(c).check(v)
    {
        app.view
            .error(format!("{}: {}", friendly(&e), scale_range(app)));
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
    let scale = app.doc.appraisal().scale_of(c).clone();
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
    let scale = app.doc.appraisal().scale_of(app.view.criterion).clone();
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
    let Some(current) = selected_score(app) else {
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
    let scale = app.doc.appraisal().scale_of(app.view.criterion).clone();
    let new = match selected_score(app) {
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

/// Weights, names, options and criteria, and their order.
fn structure(app: &mut App, action: Action) {
    match action {
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
        Action::NudgeWeight(d) => nudge_weight(app, d),
        Action::Swing => app.view.mode = Mode::Swing(Swing::start(app.doc.appraisal())),
        Action::RenameOption | Action::RenameCriterion => {
            let a = app.doc.appraisal();
            let (kind, name) = if action == Action::RenameOption {
                let o = app.view.option;
                let name = a.options().get(o).map(|x| x.name());
                (PromptKind::RenameOption(o), name)
            } else {
                let c = app.view.criterion;
                let name = a.criteria().get(c).map(|x| x.name());
                (PromptKind::RenameCriterion(c), name)
            };
            let name = name.unwrap_or_default().to_owned();
            open_prompt(app, kind, &name);
        }
        Action::AddOption => open_prompt(app, PromptKind::AddOption, ""),
        Action::AddCriterion => open_prompt(app, PromptKind::AddCriterion, ""),
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
        _ => {}
    }
}

/// The step `<` and `>` move a weight by: a tenth of the largest weight,
/// rounded to 1, 2 or 5 times a power of ten, so weights stay tidy.
pub(super) fn weight_step(max_weight: f64) -> f64 {
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

/// The removed criterion `c` of `app`'s appraisal, with its column, so the
/// removal can be undone.
pub(super) fn criterion_column(app: &App, c: usize) -> Option<RemovedCriterion> {
    app.doc.appraisal().criterion_column(c)
}

/// Saving, exporting and leaving.
fn files(app: &mut App, action: Action, fx: &mut Effects) {
    match action {
        Action::Save => save(app, None, false, false, fx),
        Action::SaveAs => open_save_as(app, false),
        Action::Quit => {
            if app.jobs.saving {
                app.view.info("Saving: q again in a moment");
            } else if app.doc.is_dirty() {
                app.view.mode = Mode::Confirm(Confirm::Quit);
            } else {
                quit_now(app, fx);
            }
        }
        Action::Export => {
            if export::FORMATS.is_empty() {
                app.view.error("Export is not available in this build");
            } else {
                app.view.mode = Mode::Export(ExportChooser { selected: 0 });
            }
        }
        _ => {}
    }
}

/// Opens the Save As box, holding the file's own name (or a suggestion).
pub(super) fn open_save_as(app: &mut App, then_quit: bool) {
    let suggestion = match app.doc.path() {
        Some(p) => p.display().to_string(),
        None => "my-appraisal.toml".to_owned(),
    };
    open_prompt(app, PromptKind::SaveAs { then_quit }, &suggestion);
}

/// The views of the grid: the live analysis, the shared scores, the panel.
fn views(app: &mut App, action: Action, fx: &mut Effects) {
    match action {
        Action::Sensitivity => {
            app.view.mode = Mode::Sensitivity;
            app.view.details_scroll = 0;
        }
        Action::ToggleShared => match app.doc.member() {
            None => app.view.error(
                "c shows the shared scores when scoring as a member: appraise tui FILE --member NAME",
            ),
            Some(m) => {
                let name = m.appraisal_name();
                if app.showing() == Showing::Shared {
                    app.grid = Grid::Own;
                    app.view.info("Back to your own scores");
                } else {
                    app.grid = Grid::Shared;
                    app.view.info(format!(
                        "Showing the shared scores from {name}, read-only: c goes back to your own"
                    ));
                }
            }
        },
        Action::Panel | Action::CycleMethod | Action::NextFlagged(_) => {
            let then = (action != Action::Panel).then_some(action);
            panel::open(app, then, fx);
        }
        _ => {}
    }
}

/// The path typed for a save or an export, with `~/` for the home folder.
pub(super) fn typed_path(answer: &str) -> PathBuf {
    super::expand_home(answer)
}
