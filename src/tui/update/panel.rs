//! The panel view: moving, the merge method and flagged cells; nothing that
//! edits. Opening it reads members' sheets, which is a job for the runner.

use crate::numbers;

use super::super::action::Action;
use super::super::app::{App, Grid};
use super::super::effect::{Effect, PanelJob};
use super::super::panel::{PanelState, method_words, next_method, spread_text};
use super::{Effects, grid};

pub(super) fn panel_view(app: &mut App, action: Action, fx: &mut Effects) {
    match action {
        Action::Panel | Action::Dismiss => {
            app.grid.close();
            app.view.details_scroll = 0;
            app.view
                .info("Panel view closed: the grid shows the appraisal's own scores");
        }
        Action::CycleMethod => cycle_method(app),
        Action::NextFlagged(d) => next_flagged(app, d),
        Action::Sensitivity => app.view.error(
            "The sensitivity view works on the appraisal's own scores: press p to close the panel first",
        ),
        Action::Export => app.view.error(
            "To export the panel's report, use appraise panel FILE SHEETS --format html --out panel.html",
        ),
        a if a.changes_structure()
            || a.edits_cell()
            || matches!(a, Action::Undo | Action::Redo) =>
        {
            app.view.error(
                "The panel view is read-only: press p to go back to the appraisal's own scores",
            );
        }
        other => {
            let sideways = matches!(other, Action::Left | Action::Right);
            grid::grid(app, other, fx);
            if sideways {
                app.view.details_scroll = 0;
            }
        }
    }
}

/// Opens the panel view: at once on a panel read before, or else by asking
/// for the members' sheets beside the appraisal to be read; `then` is the
/// key that asked for it (the method, the next flagged cell), done once open.
pub(super) fn open(app: &mut App, then: Option<Action>, fx: &mut Effects) {
    if app.doc.member().is_some() {
        app.view.error(
            "The panel view is for the chair; members score on their own, without each other's sheets",
        );
        return;
    }
    if app.grid.reopen_panel() {
        app.view.details_scroll = 0;
        refresh(app);
        match then {
            Some(Action::CycleMethod) => cycle_method(app),
            Some(Action::NextFlagged(d)) => next_flagged(app, d),
            _ => app.view.info(
                "Panel view: f jumps to the next flagged cell, m changes the method, p closes",
            ),
        }
        return;
    }
    let Some(path) = app.doc.path().map(std::path::Path::to_path_buf) else {
        app.view.error(
            "No panel is open: start with the members' sheets, as in appraise tui review.toml --panel sheets/*.toml",
        );
        return;
    };
    if app.jobs.loading_panel {
        app.view.info("Still reading the members' sheets…");
        return;
    }
    app.jobs.loading_panel = true;
    app.view.info(format!(
        "Reading the members' sheets beside {}…",
        app.doc.display_name()
    ));
    fx.push(Effect::LoadPanel(PanelJob {
        sheets: None,
        appraisal_path: path,
        appraisal: app.doc.appraisal().clone(),
        options: Default::default(),
        then,
    }));
}

/// Takes in a panel that was read, and opens the view on it.
pub(super) fn opened(app: &mut App, mut panel: PanelState, beside: bool) {
    panel.refresh(app.doc.appraisal(), app.doc.version());
    let name = app.doc.display_name();
    let text = super::super::panel::opened_message(&panel, beside.then_some(name.as_str()));
    app.grid = Grid::Panel(Box::new(panel));
    app.view.details_scroll = 0;
    app.view.info(text);
}

/// Brings the panel's merge up to date with the appraisal.
pub(super) fn refresh(app: &mut App) {
    let (a, v) = (app.doc.appraisal(), app.doc.version());
    if let Some(p) = app.grid.panel_mut() {
        p.refresh(a, v);
    }
}

/// Asks for the panel's disagreement analysis, off the key path, if the
/// merge as it stands has none yet.
pub(super) fn analyse(app: &mut App, fx: &mut Effects) {
    if let Some(job) = app.grid.panel_mut().and_then(PanelState::disagreement_job) {
        fx.push(Effect::PanelDisagreement(job));
    }
}

fn cycle_method(app: &mut App) {
    let Some(p) = app.grid.panel_mut() else {
        return;
    };
    let method = next_method(p.options().method);
    p.set_method(method);
    refresh(app);
    let leaders = app
        .panel()
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
    refresh(app);
    let Some(m) = app.panel().and_then(PanelState::merged) else {
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
