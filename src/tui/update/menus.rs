//! The swing-weighting assistant, the export menu and the help screen.

use super::super::action::{Action, Input};
use super::super::app::{App, Confirm, ExportChooser, Mode, PromptKind};
use super::super::edit::Edit;
use super::super::export;
use super::super::keymap;
use super::super::swing::{Swing, SwingStep};
use super::super::view;
use super::{Effects, apply, n_criteria, open_help, open_prompt, pressed, step};

/// A key in the swing-weighting assistant: step 1 orders the criteria,
/// step 2 values each swing against the top one.
pub(super) fn swing(app: &mut App, mut swing: Swing, action: Action) {
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
                    keymap::swing_choices(swing.step)
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
        // Record the ranking as the panel's agreed order of importance,
        // saved with the file under [agreed_weights] order.
        (SwingStep::Order, Input::Char('o')) => record_order(app, &swing),
        (SwingStep::Order, Input::Enter | Input::Tab) => {
            swing.step = SwingStep::Value;
            swing.selected = usize::from(swing.order.len() > 1);
            swing.fresh = true;
        }
        // Esc cancels the assistant, as it cancels every box, asking first
        // if anything was changed in it.
        (_, Input::Esc) => return cancel_swing(app, swing),
        (SwingStep::Value, Input::BackTab) => {
            swing.step = SwingStep::Order;
            swing.selected = 0;
        }
        (SwingStep::Value, Input::Char(ch)) if ch.is_ascii_digit() || ch == '.' => {
            swing.type_char(ch)
        }
        (SwingStep::Value, Input::Backspace | Input::Delete) => swing.backspace(),
        (SwingStep::Value, Input::Enter) => {
            if write_weights(app, &swing) {
                return;
            }
        }
        (step, other) => app.view.info(format!(
            "{} does nothing here: {}",
            other.name(),
            keymap::swing_choices(step)
        )),
    }
    app.view.mode = Mode::Swing(swing);
}

/// Records the assistant's ranking as the panel's agreed order of
/// importance, saved with the file under `[agreed_weights] order`.
fn record_order(app: &mut App, swing: &Swing) {
    match swing.order_text(app.doc.appraisal()) {
        Some(text) => {
            let old = app.doc.appraisal().agreed_weights().order.clone();
            let new = vec![text.clone()];
            if old == new {
                app.view.info(format!("The agreed order is already {text}"));
            } else if apply(app, Edit::AgreedOrder { old, new }) {
                app.view.info(format!(
                    "Agreed order recorded: {text} (saved under [agreed_weights] with the file; u to undo)"
                ));
            }
        }
        None => app.view.error("An order needs at least two criteria"),
    }
}

/// Esc in the assistant: cancels it, as it cancels every box, asking first
/// if anything was changed in it.
fn cancel_swing(app: &mut App, swing: Swing) {
    let a = app.doc.appraisal();
    let fresh = Swing::start(a);
    // An order just recorded is kept, not a change to discard.
    let recorded = swing
        .order_text(a)
        .is_some_and(|t| a.agreed_weights().order == [t]);
    if recorded && swing.values == fresh.values {
        app.view
            .info("Weights unchanged; the agreed order stays recorded (u to undo)");
    } else if swing.order != fresh.order || swing.values != fresh.values {
        app.view.mode = Mode::Confirm(Confirm::Discard {
            what: "the order and values set in the swing assistant".to_owned(),
            back: Box::new(Mode::Swing(swing)),
        });
    } else {
        app.view.info("Weights unchanged");
    }
}

/// Writes the swing values as the criteria's weights; `false` (the
/// assistant stays open) when they cannot be.
fn write_weights(app: &mut App, swing: &Swing) -> bool {
    let n = n_criteria(app);
    match swing.weights(n) {
        Ok(new) => {
            let old = app.doc.appraisal().weights();
            if old == new || apply(app, Edit::Weights { old, new }) {
                app.view
                    .info("Weights set from the swing values (u to undo)");
                return true;
            }
        }
        Err(msg) => app.view.error(msg),
    }
    false
}

pub(super) fn export(app: &mut App, mut chooser: ExportChooser, action: Action) {
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
            let name = export::default_file_name(app.doc.path(), chooser.selected);
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

pub(super) fn help(app: &mut App, scroll: u16, back: Mode, action: Action, fx: &mut Effects) {
    let scroll = match action {
        Action::Input(Input::Up) | Action::Up => scroll.saturating_sub(1),
        Action::Input(Input::Down) | Action::Down => scroll.saturating_add(1),
        Action::PageUp => scroll.saturating_sub(10),
        Action::PageDown => scroll.saturating_add(10),
        Action::Scroll(n) => scroll.saturating_add_signed(n.clamp(-100, 100) as i16),
        Action::Save => {
            app.view.mode = back;
            step(app, Action::Save, fx);
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
