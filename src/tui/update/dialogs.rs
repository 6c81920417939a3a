//! Questions: each takes the keys its line of [`keymap::confirm_keys`]
//! lists, says so for any other key, and cancels on Esc.

use std::path::PathBuf;

use super::super::action::{Action, Input};
use super::super::app::{App, Clashes, Confirm, Mode, PromptKind, SaveClash};
use super::super::edit::Edit;
use super::super::effect::Effect;
use super::super::keymap;
use super::boxes;
use super::grid::{criterion_column, open_save_as};
use super::{Effects, apply, open_help, open_prompt, pressed, quit_now, save};

/// Removes an option or criterion (`what`, called `name`) by `edit`, and
/// says so. Returns whether it was removed.
fn remove(app: &mut App, edit: Edit, name: &str, what: &str) -> bool {
    let removed = apply(app, edit);
    if removed {
        app.view.info(format!("Removed {what} {name} (u to undo)"));
    }
    removed
}

/// Says that the key named (if it has a name) does nothing in the
/// question, with the keys that do, and keeps the question open.
fn not_taken(app: &mut App, confirm: Confirm, key: Option<String>) {
    if let Some(k) = key {
        app.view.info(format!(
            "{k} does nothing here: {}",
            keymap::confirm_choices(&confirm)
        ));
    }
    app.view.mode = Mode::Confirm(confirm);
}

/// A key in a question: the keys its line of the table lists are
/// answered by the question's own handler below; any other says so.
pub(super) fn confirm(app: &mut App, confirm: Confirm, action: Action, fx: &mut Effects) {
    let confirm = match confirm {
        Confirm::RecoveryClash(k) => return clash(app, k, action, fx),
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
        other => return not_taken(app, confirm, pressed(&other)),
    };
    if let Some(k) = key.filter(|k| !keymap::confirm_takes(&confirm, *k)) {
        let name = if k == '\n' {
            "Enter".to_owned()
        } else {
            k.to_string()
        };
        return not_taken(app, confirm, Some(name));
    }
    match confirm {
        Confirm::Discard { back, .. } => match key {
            Some('y') => app.view.info("Closed: nothing was changed"),
            _ => app.view.mode = *back,
        },
        Confirm::Quit => quit_answer(app, key, fx),
        Confirm::RemoveOption(_) | Confirm::RemoveCriterion(_) => remove_answer(app, confirm, key),
        Confirm::Conflict { .. } | Confirm::Replace { .. } | Confirm::ReplaceExport { .. } => {
            saving_answer(app, confirm, key, fx)
        }
        Confirm::Recovery { .. } => recovery_answer(app, confirm, key, fx),
        c => app.view.mode = Mode::Confirm(c),
    }
}

/// Quit with unsaved changes? Save first, quit losing them, or stay.
fn quit_answer(app: &mut App, key: Option<char>, fx: &mut Effects) {
    match key {
        Some('y' | 's' | '\n') => {
            if app.doc.path().is_some() {
                save(app, None, false, true, fx);
            } else {
                open_save_as(app, true);
            }
        }
        Some('n' | 'd') => quit_now(app, fx),
        _ => app.view.info("Still here: nothing was lost"),
    }
}

/// Remove the option or criterion?
fn remove_answer(app: &mut App, confirm: Confirm, key: Option<char>) {
    match (confirm, key) {
        (Confirm::RemoveOption(o), Some('y')) => {
            if let Some(option) = app.doc.appraisal().options().get(o).cloned() {
                let name = option.name().to_owned();
                let option = Box::new(option);
                if remove(app, Edit::RemoveOption { at: o, option }, &name, "option") {
                    app.view.option = o.saturating_sub(1);
                }
            }
        }
        (Confirm::RemoveCriterion(c), Some('y')) => {
            if let Some(column) = criterion_column(app, c) {
                let name = column.criterion.name().to_owned();
                let column = Box::new(column);
                if remove(
                    app,
                    Edit::RemoveCriterion { at: c, column },
                    &name,
                    "criterion",
                ) {
                    app.view.criterion = c.saturating_sub(1);
                }
            }
        }
        _ => {
            app.view.info("Nothing was removed");
        }
    }
}

/// A save or export that needs a word first: the file changed on disk, or
/// another file is there.
fn saving_answer(app: &mut App, confirm: Confirm, key: Option<char>, fx: &mut Effects) {
    match (confirm, key) {
        (Confirm::Conflict { then_quit }, Some('o')) => save(app, None, true, then_quit, fx),
        (Confirm::Conflict { then_quit }, Some('a')) => open_save_as(app, then_quit),
        (Confirm::Conflict { .. }, _) => {
            app.view
                .info("Not saved. Your changes are still here; Ctrl-s to try again");
        }
        (Confirm::Replace { path, then_quit }, Some('y')) => {
            save(app, Some(path), false, then_quit, fx)
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
            boxes::export(app, format, path, true, fx);
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
        (c, _) => app.view.mode = Mode::Confirm(c),
    }
}

/// Unsaved work from last time: restore it, discard it, or quit.
fn recovery_answer(app: &mut App, confirm: Confirm, key: Option<char>, fx: &mut Effects) {
    match (confirm, key) {
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
                fx.push(Effect::Remove(
                    app.settled_files(&from, stale_lock.as_deref()),
                ));
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
            fx.push(Effect::Remove(discarded(from, stale_lock)));
            app.view.info("Discarded the unsaved work from last time");
        }
        (Confirm::Recovery { .. }, Some('q')) => app.quit = true,
        (c, _) => {
            app.view.mode = Mode::Confirm(c);
            app.view
                .error("Press r to restore the unsaved work, or d to discard it");
        }
    }
}

/// The files to remove when kept work is thrown away: the recovery file
/// and the lock of the copy that left it.
fn discarded(from: PathBuf, stale_lock: Option<PathBuf>) -> Vec<PathBuf> {
    std::iter::once(from).chain(stale_lock).collect()
}

/// The choice between restored work and the file as it now is.
fn clash(app: &mut App, mut k: Box<Clashes>, action: Action, fx: &mut Effects) {
    if k.save.is_some() {
        return save_clash(app, k, action, fx);
    }
    let n = k.cells.len();
    match action {
        Action::Input(Input::Up) => k.selected = k.selected.saturating_sub(1),
        Action::Input(Input::Down) => k.selected = (k.selected + 1).min(k.rows().saturating_sub(1)),
        Action::Input(Input::Char(' ') | Input::Tab) => k.toggle(),
        Action::Input(Input::Char('t' | 'T')) => {
            // All theirs: the file as it is; the kept work is no longer needed.
            fx.push(Effect::Remove(discarded(k.from, k.stale_lock)));
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
            fx.push(Effect::Remove(
                app.settled_files(&k.from, k.stale_lock.as_deref()),
            ));
            let kept = if whole {
                n
            } else {
                k.take_yours.iter().filter(|&&t| t).count()
            };
            app.view.info(format!(
                "Restored your unsaved work on {kept} of {} over the file as it now is: Ctrl-s to save, u to undo",
                crate::numbers::count(n as f64, "cell", "cells")
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
        Action::Help => {
            open_help(app, Mode::Confirm(Confirm::RecoveryClash(k)));
            return;
        }
        _ => {}
    }
    if let Some(t) = k.selected_yours() {
        let what = if t { "yours" } else { "theirs" };
        if !matches!(action, Action::Input(Input::Esc)) {
            app.view.info(format!("This cell keeps {what}"));
        }
    }
    app.view.mode = Mode::Confirm(Confirm::RecoveryClash(k));
}

/// A save found the file changed on disk since it was loaded: unless the
/// cells cannot be matched (options or criteria added, removed or moved),
/// show what differs and let the user choose, rather than overwrite it.
pub(super) fn changed_on_disk(app: &mut App, theirs: SaveClash, fx: &mut Effects) {
    let then_quit = theirs.then_quit;
    let yours = app.doc.appraisal().clone();
    match Clashes::for_save(yours, app.doc.saved_appraisal(), theirs) {
        Some(k) if k.their_changes == 0 => {
            // Their change is not in the scores, notes, weights or names
            // (comments, layout), so nothing of theirs is at stake: keep it,
            // and save on top of it.
            save_merged(app, k, Whole::AsChosen, fx);
        }
        Some(k) => {
            let theirs = k.their_changes;
            app.view.mode = Mode::Confirm(Confirm::RecoveryClash(Box::new(k)));
            app.view.error(format!(
                "Not saved yet: {} was changed elsewhere ({} of theirs); choose what to keep",
                app.doc.display_name(),
                crate::numbers::count(theirs as f64, "change", "changes")
            ));
        }
        None => app.view.mode = Mode::Confirm(Confirm::Conflict { then_quit }),
    }
}

/// Which version a save's choice takes as a whole, if it does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Whole {
    /// Each line as chosen.
    AsChosen,
    /// Everything yours.
    Yours,
    /// Everything theirs: the file as it is.
    Theirs,
}

/// The keys of a save's choice between the document and the file.
fn save_clash(app: &mut App, mut k: Box<Clashes>, action: Action, fx: &mut Effects) {
    let then_quit = k.save.as_ref().is_some_and(|s| s.then_quit);
    match action {
        Action::Input(Input::Up) => k.selected = k.selected.saturating_sub(1),
        Action::Input(Input::Down) => k.selected = (k.selected + 1).min(k.rows().saturating_sub(1)),
        Action::Input(Input::Char(' ') | Input::Tab) => k.toggle(),
        Action::Input(Input::Enter) => return save_merged(app, *k, Whole::AsChosen, fx),
        Action::Input(Input::Char('y' | 'Y' | 'o' | 'O')) => {
            return save_merged(app, *k, Whole::Yours, fx);
        }
        Action::Input(Input::Char('t' | 'T')) => return save_merged(app, *k, Whole::Theirs, fx),
        Action::Input(Input::Char('a' | 'A')) => return open_save_as(app, then_quit),
        Action::Input(Input::Esc | Input::Char('n' | 'N')) => {
            app.view
                .info("Not saved. Your changes are still here; Ctrl-s to try again");
            return;
        }
        Action::Help => {
            open_help(app, Mode::Confirm(Confirm::RecoveryClash(k)));
            return;
        }
        other => {
            if let Some(key) = pressed(&other) {
                app.view.info(format!(
                    "{key} does nothing here: {}",
                    keymap::confirm_choices(&Confirm::RecoveryClash(k.clone()))
                ));
            }
            app.view.mode = Mode::Confirm(Confirm::RecoveryClash(k));
            return;
        }
    }
    if let Some(t) = k.selected_yours() {
        let what = match (k.cell_at(k.selected), t) {
            (None, true) => "The weights and names keep yours",
            (None, false) => "The weights and names keep theirs",
            (Some(_), true) => "This cell keeps yours",
            (Some(_), false) => "This cell keeps theirs",
        };
        app.view.info(what);
    }
    app.view.mode = Mode::Confirm(Confirm::RecoveryClash(k));
}

/// Takes the file as it now is as the document's base, puts the chosen
/// version in the document (one edit: `u` undoes it) and saves it, where
/// the save again checks that nobody changed the file meanwhile.
fn save_merged(app: &mut App, k: Clashes, whole: Whole, fx: &mut Effects) {
    let Some(file) = k.save.clone() else {
        return;
    };
    let new = match whole {
        Whole::Yours => k.recovered.clone(),
        Whole::Theirs => file.theirs.clone(),
        Whole::AsChosen => k.merged(&file.theirs),
    };
    let old = app.doc.appraisal().clone();
    if new != old
        && !apply(
            app,
            Edit::Replace {
                old: Box::new(old),
                new: Box::new(new),
            },
        )
    {
        return;
    }
    let SaveClash {
        then_quit,
        text,
        fingerprint,
        theirs,
    } = *file;
    app.doc.rebase(text, fingerprint, theirs);
    if whole == Whole::Theirs {
        app.view.info(
            "Took the file as it was saved elsewhere: your changes are undone (u brings them back)",
        );
        return;
    }
    save(app, None, false, then_quit, fx);
}
