//! `update()` tests: one or more per action, with no terminal.

use std::path::PathBuf;

use super::grid::weight_step;
use super::*;
use crate::load::load_str;
use crate::tui::action::Input;
use crate::tui::app::{Confirm, Focus, Severity, Sort, View};
use crate::tui::effect::Done;
use crate::tui::key_to_action;
use crate::tui::keymap as keys;
use crate::tui::runner::perform_now;
use crate::tui::swing::SwingStep;

/// Applies `action` and performs the effects it asks for in place, as the
/// runner would (without threads), returning them.
pub(super) fn update(app: &mut App, action: Action) -> Effects {
    let fx = super::update(app, action);
    perform_now(app, fx.clone());
    fx
}

fn example() -> App {
    let mut app = App::new(crate::load::load_example().unwrap(), None);
    update(&mut app, Action::Resize(80, 24));
    app
}

fn from_text(text: &str, path: Option<PathBuf>) -> App {
    let loaded = load_str("test.toml", text).unwrap();
    let mut app = App::new(loaded, path);
    update(&mut app, Action::Resize(80, 24));
    app
}

/// A file on disk (in a temp folder) opened in the app.
fn on_disk(text: &str) -> (tempfile::TempDir, PathBuf, App) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("review.toml");
    std::fs::write(&path, text).unwrap();
    let mut app = App::open(&path).unwrap();
    update(&mut app, Action::Resize(80, 24));
    (dir, path, app)
}

/// A file that is never written: the tests that open it assert the
/// effects `update` returns, and perform none of them.
const NOWHERE: &str = "/nonexistent-appraise-test/review.toml";

/// The example opened as if from [`NOWHERE`].
fn example_at_nowhere() -> App {
    from_text(crate::load::EXAMPLE, Some(PathBuf::from(NOWHERE)))
}

/// Applies `action` and returns the effects asked for, performing none.
pub(super) fn pure(app: &mut App, action: Action) -> Effects {
    super::update(app, action)
}

/// Types `s` into whatever box is open, performing no effect.
pub(super) fn pure_text(app: &mut App, s: &str) {
    for ch in s.chars() {
        pure(app, Action::Input(Input::Char(ch)));
    }
}

/// Empties the open one-line box, performing no effect.
pub(super) fn pure_clear(app: &mut App) {
    for _ in 0..200 {
        pure(app, Action::Input(Input::Backspace));
    }
}

/// The save among `fx`, and whether quitting follows it.
pub(super) fn save_asked(fx: &Effects) -> Option<(&crate::tui::doc::SaveJob, bool)> {
    fx.iter().find_map(|e| match e {
        Effect::Save { job, then_quit } => Some((job, *then_quit)),
        _ => None,
    })
}

/// The one save among `fx`: it must be there, and alone.
pub(super) fn the_save(fx: &Effects) -> (&crate::tui::doc::SaveJob, bool) {
    let saves = fx
        .iter()
        .filter(|e| matches!(e, Effect::Save { .. }))
        .count();
    assert_eq!(saves, 1, "one save is asked for: {fx:?}");
    save_asked(fx).unwrap()
}

/// Presses save on an app whose file is [`NOWHERE`], checks that one save
/// of that file is asked for, feeds back that it was written, and returns
/// the text it wrote.
fn save_into_its_file(app: &mut App) -> String {
    let fx = pure(app, Action::Save);
    let (job, then_quit) = the_save(&fx);
    assert_eq!(job.to(), std::path::Path::new(NOWHERE));
    let saved = job.text().unwrap();
    let done = written(job, then_quit);
    finish(app, done);
    saved
}

/// What the runner sends back once `job` is written, made from the job's
/// own text without writing anything. For a save into the document's own
/// file: one that moves it elsewhere also takes a recovery file and a hold
/// there, which only running the job does.
pub(super) fn written(job: &crate::tui::doc::SaveJob, then_quit: bool) -> Done {
    let text = job.text().unwrap();
    Done::Saved {
        outcome: crate::tui::doc::SaveOutcome::Saved(Box::new(crate::tui::doc::SavedFile {
            path: job.to().to_owned(),
            fingerprint: crate::save::Fingerprint::of(text.as_bytes()),
            text,
            appraisal: job.appraisal().clone(),
            recovery: None,
            claim: None,
        })),
        then_quit,
    }
}

/// The export among `fx`.
pub(super) fn export_asked(fx: &Effects) -> Option<crate::tui::export::ExportJob> {
    fx.iter().find_map(|e| match e {
        Effect::Export(job) => Some(job.clone()),
        _ => None,
    })
}

fn score(app: &App, o: usize, c: usize) -> Option<f64> {
    app.doc.appraisal().options()[o].score(c)
}

pub(super) fn message(app: &App) -> String {
    app.view
        .message
        .as_ref()
        .map(|m| m.text.clone())
        .unwrap_or_default()
}

pub(super) fn is_error(app: &App) -> bool {
    app.view
        .message
        .as_ref()
        .is_some_and(|m| m.severity == Severity::Error)
}

pub(super) fn type_text(app: &mut App, s: &str) {
    for ch in s.chars() {
        update(app, Action::Input(Input::Char(ch)));
    }
}

fn clear_prompt(app: &mut App) {
    for _ in 0..200 {
        update(app, Action::Input(Input::Backspace));
    }
}

const HALVES: &str = r#"
[appraisal]
title = "Halves"
[scale]
min = 0
max = 10
step = 0.5
[[criteria]]
id = "a"
name = "A"
[[criteria]]
id = "b"
name = "B"
[[options]]
id = "x"
name = "X"
scores = { a = 3 }
[[options]]
id = "y"
name = "Y"
"#;

#[test]
fn starts_on_the_first_options_first_criterion() {
    let app = example();
    assert_eq!((app.view.option, app.view.criterion), (0, 0));
    assert_eq!(app.view.mode, Mode::Normal);
    assert!(!app.doc.is_dirty());
}

#[test]
fn arrows_move_and_stop_at_the_edges() {
    let mut app = example();
    update(&mut app, Action::Up);
    update(&mut app, Action::Left);
    assert_eq!((app.view.option, app.view.criterion), (0, 0));
    update(&mut app, Action::Down);
    update(&mut app, Action::Right);
    update(&mut app, Action::Right);
    assert_eq!((app.view.option, app.view.criterion), (1, 2));
    for _ in 0..20 {
        update(&mut app, Action::Down);
        update(&mut app, Action::Right);
    }
    assert_eq!((app.view.option, app.view.criterion), (7, 7));
    update(&mut app, Action::First);
    assert_eq!(app.view.option, 0);
    update(&mut app, Action::Last);
    assert_eq!(app.view.option, 7);
    update(&mut app, Action::PageUp);
    assert_eq!(app.view.option, 0);
    update(&mut app, Action::PageDown);
    assert_eq!(app.view.option, 7);
}

#[test]
fn a_click_selects_and_the_wheel_scrolls() {
    let mut app = from_text(
        &crate::synth::appraisal_toml(crate::synth::Spec {
            options: 100,
            criteria: 30,
            notes: false,
            seed: 1,
        }),
        None,
    );
    update(
        &mut app,
        Action::Select {
            option: 5,
            criterion: Some(3),
        },
    );
    assert_eq!((app.view.option, app.view.criterion), (5, 3));
    update(&mut app, Action::Scroll(30));
    assert_eq!(app.view.row_offset, 30);
    // The selection is brought into view.
    assert_eq!(app.view.option, 30);
    update(&mut app, Action::Scroll(-1000));
    assert_eq!(app.view.row_offset, 0);
    update(&mut app, Action::Scroll(10_000));
    let rows = view::grid_geometry(&app).rows_visible;
    assert_eq!(app.view.row_offset, 100 - rows);
    // A click on an option name keeps the criterion.
    update(
        &mut app,
        Action::Select {
            option: 99,
            criterion: None,
        },
    );
    assert_eq!((app.view.option, app.view.criterion), (99, 3));
}

#[test]
fn hit_test_finds_the_cell_under_the_mouse() {
    let app = example();
    let g = view::grid_geometry(&app);
    let y = g.first_row_y() + 2; // third option row
    let x = g.inner.x + g.name_w + g.cell_w * 4 + 2;
    assert_eq!(view::hit_test(&app, x, y), Some((2, Some(4))));
    assert_eq!(view::hit_test(&app, g.inner.x + 1, y), Some((2, None)));
    assert_eq!(
        view::hit_test(&app, x, 0),
        None,
        "the title line is not a cell"
    );
}

#[test]
fn moving_off_screen_scrolls_with_frozen_headers() {
    let mut app = from_text(
        &crate::synth::appraisal_toml(crate::synth::Spec {
            options: 40,
            criteria: 25,
            notes: false,
            seed: 1,
        }),
        None,
    );
    let g = view::grid_geometry(&app);
    assert!(g.rows_visible < 40 && g.cols_visible < 25);
    for _ in 0..39 {
        update(&mut app, Action::Down);
    }
    assert_eq!(app.view.row_offset, 40 - g.rows_visible);
    for _ in 0..24 {
        update(&mut app, Action::Right);
    }
    assert_eq!(app.view.col_offset, 25 - g.cols_visible);
    update(&mut app, Action::First);
    assert_eq!(app.view.row_offset, 0);
}

#[test]
fn resizing_keeps_the_selection_visible() {
    let mut app = from_text(
        &crate::synth::appraisal_toml(crate::synth::Spec {
            options: 60,
            criteria: 10,
            notes: false,
            seed: 1,
        }),
        None,
    );
    update(&mut app, Action::Resize(120, 40));
    update(&mut app, Action::Last);
    update(&mut app, Action::Resize(80, 24));
    let rows = view::grid_geometry(&app).rows_visible;
    assert!(app.view.row_offset + rows > 59);
    assert_eq!(app.view.size, (80, 24));
}

#[test]
fn tab_switches_panes_and_arrows_then_scroll_details() {
    let mut app = example();
    update(&mut app, Action::SwitchPane);
    assert_eq!(app.view.focus, Focus::Details);
    update(&mut app, Action::Down);
    update(&mut app, Action::Down);
    assert_eq!(app.view.details_scroll, 2);
    assert_eq!(app.view.option, 0, "the selection stays put");
    update(&mut app, Action::Up);
    assert_eq!(app.view.details_scroll, 1);
    update(&mut app, Action::SwitchPane);
    assert_eq!(app.view.focus, Focus::Grid);
}

#[test]
fn digits_set_scores_and_totals_follow() {
    let mut app = example();
    let before = app.doc.results().options[0].total;
    update(&mut app, Action::Digit(1));
    assert_eq!(score(&app, 0, 0), Some(1.0));
    assert_eq!(app.doc.results().options[0].total, before - 3.0);
    assert!(app.doc.is_dirty());
}

#[test]
fn a_digit_off_the_scale_is_refused_with_a_message() {
    let mut app = example();
    update(&mut app, Action::Digit(7));
    assert_eq!(score(&app, 0, 0), Some(4.0));
    assert!(is_error(&app));
    assert!(
        message(&app).contains("outside the scale 0 to 5"),
        "{}",
        message(&app)
    );
    assert!(!app.doc.is_dirty());
}

#[test]
fn two_digits_make_ten_on_a_ten_point_scale() {
    let mut app = from_text(HALVES, None);
    update(&mut app, Action::Digit(1));
    update(&mut app, Action::Digit(0));
    assert_eq!(score(&app, 0, 0), Some(10.0));
    // Moving away starts afresh.
    update(&mut app, Action::Right);
    update(&mut app, Action::Digit(1));
    update(&mut app, Action::Left);
    update(&mut app, Action::Digit(2));
    assert_eq!(score(&app, 0, 0), Some(2.0));
}

#[test]
fn dot_adds_a_half_on_half_step_scales_only() {
    let mut app = from_text(HALVES, None);
    update(&mut app, Action::Half);
    assert_eq!(score(&app, 0, 0), Some(3.5));
    update(&mut app, Action::Half);
    assert_eq!(score(&app, 0, 0), Some(3.5));
    update(&mut app, Action::Right);
    update(&mut app, Action::Half);
    assert!(is_error(&app), "an empty cell needs a whole number first");
    let mut ex = example();
    update(&mut ex, Action::Half);
    assert!(message(&ex).contains("no half points"));
    assert_eq!(score(&ex, 0, 0), Some(4.0));
}

#[test]
fn plus_and_minus_step_along_the_scale() {
    let mut app = example();
    update(&mut app, Action::Step(1));
    assert_eq!(score(&app, 0, 0), Some(5.0));
    update(&mut app, Action::Step(1));
    assert_eq!(score(&app, 0, 0), Some(5.0));
    assert!(message(&app).contains("top of the scale"));
    update(&mut app, Action::Step(-1));
    update(&mut app, Action::Step(-1));
    assert_eq!(score(&app, 0, 0), Some(3.0));
    let mut halves = from_text(HALVES, None);
    halves.view.option = 1;
    update(&mut halves, Action::Step(1));
    assert_eq!(
        score(&halves, 1, 0),
        Some(0.0),
        "+ on an empty cell starts at the bottom"
    );
    update(&mut halves, Action::Step(1));
    assert_eq!(score(&halves, 1, 0), Some(0.5));
}

#[test]
fn delete_clears_a_score() {
    let mut app = example();
    update(&mut app, Action::Clear);
    assert_eq!(score(&app, 0, 0), None);
    assert!(!app.doc.results().options[0].complete);
    update(&mut app, Action::Clear);
    assert!(message(&app).contains("already empty"));
}

#[test]
fn undo_and_redo_without_limit() {
    let mut app = example();
    let start = app.doc.appraisal().clone();
    for _ in 0..300 {
        update(&mut app, Action::Step(-1));
        update(&mut app, Action::Step(1));
    }
    update(&mut app, Action::Digit(0));
    while app.doc.history().undo_len() > 0 {
        update(&mut app, Action::Undo);
    }
    assert_eq!(app.doc.appraisal(), &start);
    assert!(
        !app.doc.is_dirty(),
        "back where we started: nothing unsaved"
    );
    update(&mut app, Action::Undo);
    assert_eq!(message(&app), "Nothing to undo");
    update(&mut app, Action::Redo);
    assert_eq!(score(&app, 0, 0), Some(3.0));
    while app.doc.history().redo_len() > 0 {
        update(&mut app, Action::Redo);
    }
    assert_eq!(score(&app, 0, 0), Some(0.0));
    update(&mut app, Action::Redo);
    assert_eq!(message(&app), "Nothing to redo");
}

#[test]
fn undo_moves_the_selection_to_the_change() {
    let mut app = example();
    update(&mut app, Action::Down);
    update(&mut app, Action::Right);
    update(&mut app, Action::Digit(0));
    update(&mut app, Action::First);
    update(&mut app, Action::Undo);
    assert_eq!((app.view.option, app.view.criterion), (1, 1));
    assert!(message(&app).starts_with("Undid:"), "{}", message(&app));
}

#[test]
fn save_writes_only_what_changed() {
    let text = crate::load::EXAMPLE;
    let mut app = example_at_nowhere();
    pure(&mut app, Action::Digit(2));
    let saved = save_into_its_file(&mut app);
    assert!(message(&app).starts_with("Saved to"), "{}", message(&app));
    assert!(!app.doc.is_dirty());
    let changed: Vec<_> = text
        .lines()
        .zip(saved.lines())
        .filter(|(a, b)| a != b)
        .collect();
    assert_eq!(changed, vec![("child-focused = 4", "child-focused = 2")]);
}

#[test]
fn saving_the_example_asks_where_and_then_writes_there() {
    let target = PathBuf::from("/nonexistent-appraise-test/copy.toml");
    let mut app = example();
    pure(&mut app, Action::Digit(3));
    let fx = pure(&mut app, Action::Save);
    assert!(save_asked(&fx).is_none(), "no file to save to: {fx:?}");
    assert!(matches!(
        app.view.mode,
        Mode::Prompt(Prompt {
            kind: PromptKind::SaveAs { then_quit: false },
            ..
        })
    ));
    pure_clear(&mut app);
    let fx = pure(&mut app, Action::Input(Input::Enter));
    assert!(is_error(&app), "an empty name is refused");
    assert!(save_asked(&fx).is_none(), "{fx:?}");
    pure_text(&mut app, target.to_str().unwrap());
    let fx = pure(&mut app, Action::Input(Input::Enter));
    assert_eq!(app.view.mode, Mode::Normal);
    let (job, then_quit) = the_save(&fx);
    assert_eq!(job.to(), target.as_path());
    let back = load_str("back.toml", &job.text().unwrap())
        .unwrap()
        .appraisal;
    assert_eq!(&back, app.doc.appraisal());
    let done = written(job, then_quit);
    finish(&mut app, done);
    assert_eq!(app.doc.path(), Some(target.as_path()));
    // Saving again goes straight to the new file.
    pure(&mut app, Action::Digit(1));
    let fx = pure(&mut app, Action::Save);
    assert_eq!(app.view.mode, Mode::Normal);
    let (job, _) = the_save(&fx);
    assert_eq!(job.to(), target.as_path());
    assert_eq!(
        load_str("back.toml", &job.text().unwrap())
            .unwrap()
            .appraisal
            .options()[0]
            .score(0),
        Some(1.0)
    );
}

/// End to end: the save is performed, since it is the save that finds
/// another file at the name.
#[test]
fn end_to_end_save_as_asks_before_replacing_another_file() {
    let (dir, _path, mut app) = on_disk(crate::load::EXAMPLE);
    let other = dir.path().join("other.toml");
    std::fs::write(&other, "keep me").unwrap();
    update(&mut app, Action::SaveAs);
    clear_prompt(&mut app);
    type_text(&mut app, other.to_str().unwrap());
    update(&mut app, Action::Input(Input::Enter));
    assert!(matches!(
        app.view.mode,
        Mode::Confirm(Confirm::Replace { .. })
    ));
    update(&mut app, Action::Input(Input::Char('n')));
    assert!(
        matches!(app.view.mode, Mode::Prompt(_)),
        "back to choosing a name"
    );
    assert_eq!(std::fs::read_to_string(&other).unwrap(), "keep me");
    update(&mut app, Action::Input(Input::Enter));
    update(&mut app, Action::Input(Input::Char('y')));
    assert_ne!(std::fs::read_to_string(&other).unwrap(), "keep me");
    assert_eq!(app.doc.path(), Some(other.as_path()));
}

/// The example on disk, with this copy's score of option 0's first cell
/// set to 1, and a colleague's save since of `partnerships = 0` on option 0.
fn colleague_saved_meanwhile() -> (tempfile::TempDir, PathBuf, App, String) {
    let (dir, path, mut app) = on_disk(crate::load::EXAMPLE);
    update(&mut app, Action::Digit(1));
    let theirs = crate::load::EXAMPLE.replacen("partnerships = 5", "partnerships = 0", 1);
    std::fs::write(&path, &theirs).unwrap();
    assert!(app.doc.changed_on_disk());
    (dir, path, app, theirs)
}

/// What the runner sends back when a save found the file changed on disk
/// to `theirs`, read as [`crate::tui::doc::SaveJob::run`] reads it; nothing
/// is on disk.
fn found_changed(theirs: &str, then_quit: bool) -> Done {
    Done::Saved {
        outcome: crate::tui::doc::SaveOutcome::Changed(Box::new(crate::tui::doc::SaveClash {
            then_quit: false,
            text: theirs.to_owned(),
            fingerprint: crate::save::Fingerprint::of(theirs.as_bytes()),
            theirs: load_str("theirs.toml", theirs).unwrap().appraisal,
        })),
        then_quit,
    }
}

/// Ctrl-s, and the save it asks for finding the file changed to `theirs`.
fn save_finds(app: &mut App, theirs: &str) {
    let fx = pure(app, Action::Save);
    let (_, then_quit) = the_save(&fx);
    finish(app, found_changed(theirs, then_quit));
}

/// As [`colleague_saved_meanwhile`] with nothing on disk: the example, this
/// copy's first score set to 1, and Ctrl-s pressed, the save finding a
/// colleague's save of `partnerships = 0` on option 0.
fn colleague_saved_meanwhile_found() -> (App, String) {
    let mut app = example_at_nowhere();
    pure(&mut app, Action::Digit(1));
    let theirs = crate::load::EXAMPLE.replacen("partnerships = 5", "partnerships = 0", 1);
    save_finds(&mut app, &theirs);
    (app, theirs)
}

/// The save's choice open on screen.
fn save_choice(app: &App) -> &crate::tui::app::Clashes {
    match &app.view.mode {
        Mode::Confirm(Confirm::RecoveryClash(k)) if k.save.is_some() => k,
        other => panic!("the save's choice is not open: {other:?}"),
    }
}

/// End to end: the saves are performed, since it is the save that finds
/// the file changed on disk, and reads it.
#[test]
fn end_to_end_saving_over_a_colleagues_save_shows_each_cell_and_keeps_theirs() {
    let (_dir, path, mut app, theirs) = colleague_saved_meanwhile();
    // Ctrl-s asks for a save; the save finds the file changed and reads it.
    let fx = super::update(&mut app, Action::Save);
    assert!(matches!(fx.as_slice(), [Effect::Save { .. }, ..]), "{fx:?}");
    perform_now(&mut app, fx);
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        theirs,
        "nothing written yet"
    );
    let k = save_choice(&app);
    let cells: Vec<_> = k.cells.iter().map(|c| (c.o, c.c, c.changed_by())).collect();
    use crate::tui::app::ChangedBy;
    assert_eq!(
        cells,
        [(0, 0, Some(ChangedBy::You)), (0, 1, Some(ChangedBy::Them))]
    );
    // Each keeps the version of whoever changed it, unless chosen otherwise.
    assert_eq!(k.take_yours, [true, false]);
    assert!(
        message(&app).contains("1 change of theirs"),
        "{}",
        message(&app)
    );
    // Enter saves as chosen: a save (checked again against the file) follows.
    let fx = super::update(&mut app, Action::Input(Input::Enter));
    assert!(
        fx.iter()
            .any(|e| matches!(e, Effect::Save { job, .. } if !job.force())),
        "{fx:?}"
    );
    perform_now(&mut app, fx);
    assert!(message(&app).starts_with("Saved to"), "{}", message(&app));
    let now = crate::load::load_path(&path).unwrap().appraisal;
    assert_eq!(now.options()[0].score(0), Some(1.0), "your edit");
    assert_eq!(now.options()[0].score(1), Some(0.0), "their edit is kept");
    assert!(!app.doc.is_dirty());
    // Only the two values changed from the file as they left it.
    let text = std::fs::read_to_string(&path).unwrap();
    assert_eq!(
        text,
        theirs.replacen("child-focused = 4", "child-focused = 1", 1)
    );
    // One edit: undo gives back the document as it was before the choice.
    update(&mut app, Action::Undo);
    assert_eq!(score(&app, 0, 1), Some(5.0));
}

#[test]
fn a_save_choice_can_take_all_yours_all_theirs_or_cancel() {
    // Esc: nothing saved, nothing changed.
    let (mut app, theirs) = colleague_saved_meanwhile_found();
    save_choice(&app);
    let fx = pure(&mut app, Action::Input(Input::Esc));
    assert!(save_asked(&fx).is_none(), "nothing saved: {fx:?}");
    assert_eq!(app.view.mode, Mode::Normal);
    assert!(message(&app).contains("Not saved"), "{}", message(&app));
    assert!(app.doc.is_dirty());
    // Space switches a cell; the message says which version it keeps now.
    save_finds(&mut app, &theirs);
    pure(&mut app, Action::Input(Input::Down));
    pure(&mut app, Action::Input(Input::Char(' ')));
    assert_eq!(save_choice(&app).take_yours, [true, true]);
    assert!(message(&app).contains("keeps yours"), "{}", message(&app));
    // a: save yours as another file instead.
    let fx = pure(&mut app, Action::Input(Input::Char('a')));
    assert!(save_asked(&fx).is_none(), "{fx:?}");
    assert!(matches!(app.view.mode, Mode::Prompt(_)));
    pure(&mut app, Action::Input(Input::Esc));
    // y: all yours, over theirs (what overwriting did), still one checked save.
    save_finds(&mut app, &theirs);
    let fx = pure(&mut app, Action::Input(Input::Char('y')));
    let (job, then_quit) = the_save(&fx);
    assert!(!job.force());
    assert_eq!(
        job.expected(),
        Some(crate::save::Fingerprint::of(theirs.as_bytes())),
        "checked against the file as it was found"
    );
    let now = load_str("now.toml", &job.text().unwrap())
        .unwrap()
        .appraisal;
    assert_eq!(now.options()[0].score(0), Some(1.0));
    assert_eq!(now.options()[0].score(1), Some(5.0), "your version won");
    let done = written(job, then_quit);
    finish(&mut app, done);
    assert!(!app.doc.is_dirty());

    // t: all theirs: the document becomes the file as it is, undoably.
    let (mut app, theirs) = colleague_saved_meanwhile_found();
    let fx = pure(&mut app, Action::Input(Input::Char('t')));
    assert!(
        save_asked(&fx).is_none(),
        "the file is left as it is: {fx:?}"
    );
    assert_eq!(app.view.mode, Mode::Normal);
    assert!(!app.doc.is_dirty());
    assert_eq!(score(&app, 0, 1), Some(0.0));
    pure(&mut app, Action::Undo);
    assert_eq!(score(&app, 0, 0), Some(1.0), "u brings yours back");
    assert!(app.doc.is_dirty());
    // Saved now, over the file as taken, without asking again.
    let fx = pure(&mut app, Action::Save);
    let (job, then_quit) = the_save(&fx);
    assert!(!job.force());
    assert_eq!(
        job.expected(),
        Some(crate::save::Fingerprint::of(theirs.as_bytes()))
    );
    // Their file, edited back to yours.
    assert_eq!(
        job.text().unwrap(),
        theirs
            .replacen("child-focused = 4", "child-focused = 1", 1)
            .replacen("partnerships = 0", "partnerships = 5", 1)
    );
    let done = written(job, then_quit);
    finish(&mut app, done);
    assert!(message(&app).starts_with("Saved to"), "{}", message(&app));
}

#[test]
fn a_save_over_a_change_only_in_comments_keeps_it_without_asking() {
    let mut app = example_at_nowhere();
    pure(&mut app, Action::Digit(1));
    let theirs = format!("# Checked by the clerk.\n{}", crate::load::EXAMPLE);
    let fx = pure(&mut app, Action::Save);
    let (_, then_quit) = the_save(&fx);
    // The save found their comment: it saves again at once, on top of it.
    let fx = finish(&mut app, found_changed(&theirs, then_quit));
    assert_eq!(app.view.mode, Mode::Normal);
    let (job, then_quit) = the_save(&fx);
    let text = job.text().unwrap();
    assert!(
        text.starts_with("# Checked by the clerk."),
        "their comment is kept"
    );
    assert_eq!(
        load_str("now.toml", &text).unwrap().appraisal.options()[0].score(0),
        Some(1.0)
    );
    let done = written(job, then_quit);
    finish(&mut app, done);
    assert_eq!(app.view.mode, Mode::Normal);
    assert!(message(&app).starts_with("Saved to"), "{}", message(&app));
}

#[test]
fn a_save_choice_offers_the_weights_when_they_differ() {
    let mut app = example_at_nowhere();
    pure(&mut app, Action::Digit(1));
    // They change a weight (and nothing else): it is kept unless chosen.
    let theirs = crate::load::EXAMPLE.replacen("weight = 1", "weight = 3", 1);
    assert_ne!(theirs, crate::load::EXAMPLE);
    save_finds(&mut app, &theirs);
    let k = save_choice(&app);
    assert_eq!(
        k.frame,
        Some(false),
        "their weights, which only they changed"
    );
    assert_eq!(k.rows(), 2);
    let fx = pure(&mut app, Action::Input(Input::Enter));
    let (job, _) = the_save(&fx);
    let now = load_str("now.toml", &job.text().unwrap())
        .unwrap()
        .appraisal;
    assert_eq!(now.criteria()[0].weight(), 3.0);
    assert_eq!(now.options()[0].score(0), Some(1.0));
}

#[test]
fn a_save_whose_options_no_longer_match_asks_to_overwrite_or_save_elsewhere() {
    let mut app = example_at_nowhere();
    pure(&mut app, Action::Digit(1));
    let mut a = load_str("a.toml", crate::load::EXAMPLE).unwrap().appraisal;
    a.move_option(0, 1).unwrap();
    let theirs = crate::document::update_document(crate::load::EXAMPLE, &a).unwrap();
    save_finds(&mut app, &theirs);
    assert!(matches!(
        app.view.mode,
        Mode::Confirm(Confirm::Conflict { then_quit: false })
    ));
    let fx = pure(&mut app, Action::Input(Input::Char('o')));
    let (job, then_quit) = the_save(&fx);
    assert!(job.force(), "overwrites the file whole");
    let now = load_str("now.toml", &job.text().unwrap())
        .unwrap()
        .appraisal;
    assert_eq!(now.options()[0].score(0), Some(1.0));
    let done = written(job, then_quit);
    finish(&mut app, done);
    assert!(!app.doc.is_dirty());
}

#[test]
fn quit_asks_only_when_there_are_unsaved_changes() {
    let mut app = example();
    let fx = pure(&mut app, Action::Quit);
    assert!(app.quit);
    assert!(save_asked(&fx).is_none(), "nothing to save: {fx:?}");

    let mut app = example_at_nowhere();
    pure(&mut app, Action::Digit(0));
    pure(&mut app, Action::Quit);
    assert!(!app.quit);
    assert_eq!(app.view.mode, Mode::Confirm(Confirm::Quit));
    pure(&mut app, Action::Input(Input::Esc));
    assert!(!app.quit);
    assert_eq!(app.view.mode, Mode::Normal);
    pure(&mut app, Action::Quit);
    let fx = pure(&mut app, Action::Input(Input::Char('y')));
    let (job, then_quit) = save_asked(&fx).expect("y saves");
    assert!(then_quit, "and quits once it is written");
    assert!(!app.quit, "not before");
    assert_eq!(job.to(), std::path::Path::new(NOWHERE));
    assert_eq!(job.appraisal().options()[0].score(0), Some(0.0));
}

#[test]
fn quitting_without_saving_discards_the_recovery_file() {
    let (_dir, path, mut app) = on_disk(crate::load::EXAMPLE);
    update(&mut app, Action::Digit(0));
    app.doc.flush_recovery().unwrap();
    let rec = app.doc.recovery_path().unwrap().to_owned();
    assert!(rec.exists());
    update(&mut app, Action::Quit);
    update(&mut app, Action::Input(Input::Char('n')));
    assert!(app.quit);
    assert!(!rec.exists());
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        crate::load::EXAMPLE
    );
}

/// The help screen scrolled by `scroll`, over the grid.
fn help_at(scroll: u16) -> Mode {
    Mode::Help {
        scroll,
        back: Box::new(Mode::Normal),
    }
}

#[test]
fn help_opens_scrolls_and_closes() {
    let mut app = example();
    update(&mut app, Action::Help);
    assert_eq!(app.view.mode, help_at(0));
    update(&mut app, Action::Input(Input::Down));
    update(&mut app, Action::PageDown);
    assert_eq!(app.view.mode, help_at(11.min(view::help_max_scroll(&app))));
    for _ in 0..300 {
        update(&mut app, Action::Input(Input::Down));
    }
    assert_eq!(app.view.mode, help_at(view::help_max_scroll(&app)));
    update(&mut app, Action::Input(Input::Esc));
    assert_eq!(app.view.mode, Mode::Normal);
}

#[test]
fn notes_are_edited_over_several_lines() {
    let mut app = example();
    update(&mut app, Action::Right);
    update(&mut app, Action::EditNote);
    let Mode::Note(ed) = &app.view.mode else {
        panic!("note editor should be open");
    };
    assert_eq!(
        ed.input.text(),
        app.doc.appraisal().options()[0].note(1).unwrap()
    );
    for _ in 0..2000 {
        update(&mut app, Action::Input(Input::Backspace));
    }
    type_text(&mut app, "First line");
    update(&mut app, Action::Input(Input::NewLine));
    type_text(&mut app, "second");
    update(&mut app, Action::Input(Input::Left));
    update(&mut app, Action::Input(Input::Up));
    update(&mut app, Action::Input(Input::Home));
    update(&mut app, Action::Input(Input::Delete));
    update(&mut app, Action::Input(Input::End));
    update(&mut app, Action::Input(Input::Down));
    update(&mut app, Action::Input(Input::Right));
    // Enter keeps the note.
    update(&mut app, Action::Input(Input::Enter));
    assert_eq!(app.view.mode, Mode::Normal);
    assert_eq!(
        app.doc.appraisal().options()[0].note(1),
        Some("irst line\nsecond")
    );
    update(&mut app, Action::Undo);
    assert_ne!(
        app.doc.appraisal().options()[0].note(1),
        Some("irst line\nsecond")
    );
}

#[test]
fn ctrl_s_in_a_note_keeps_it_and_saves() {
    let mut app = example_at_nowhere();
    pure(&mut app, Action::EditNote);
    type_text(&mut app, " Checked.");
    let fx = pure(&mut app, Action::Save);
    assert_eq!(app.view.mode, Mode::Normal);
    let (job, then_quit) = save_asked(&fx).expect("saves");
    assert!(!then_quit);
    assert_eq!(job.to(), std::path::Path::new(NOWHERE));
    let note = job.appraisal().options()[0].note(0).unwrap();
    assert!(note.ends_with("stability. Checked."), "{note}");
    assert_eq!(app.doc.appraisal(), job.appraisal(), "the note is kept too");
}

#[test]
fn weights_are_typed_and_checked() {
    let mut app = example();
    update(&mut app, Action::EditWeight);
    clear_prompt(&mut app);
    type_text(&mut app, "three");
    update(&mut app, Action::Input(Input::Enter));
    assert!(is_error(&app));
    assert!(
        matches!(app.view.mode, Mode::Prompt(_)),
        "the prompt stays open to fix it"
    );
    clear_prompt(&mut app);
    type_text(&mut app, "-1");
    update(&mut app, Action::Input(Input::Enter));
    assert!(message(&app).contains("zero or more"), "{}", message(&app));
    clear_prompt(&mut app);
    type_text(&mut app, "2.5");
    update(&mut app, Action::Input(Input::Enter));
    assert_eq!(app.view.mode, Mode::Normal);
    assert_eq!(app.doc.appraisal().criteria()[0].weight(), 2.5);
    assert_eq!(app.doc.results().max_total, 47.5);
}

#[test]
fn typing_into_the_prefilled_weight_replaces_it() {
    let mut app = example();
    update(&mut app, Action::EditWeight);
    // The box holds 1, selected: typing 2 gives 2, not 12.
    type_text(&mut app, "2");
    update(&mut app, Action::Input(Input::Enter));
    assert_eq!(app.doc.appraisal().criteria()[0].weight(), 2.0);
    // A cursor key keeps the value for editing.
    update(&mut app, Action::EditWeight);
    update(&mut app, Action::Input(Input::End));
    type_text(&mut app, "5");
    update(&mut app, Action::Input(Input::Enter));
    assert_eq!(app.doc.appraisal().criteria()[0].weight(), 25.0);
}

#[test]
fn a_weight_typed_as_a_percentage_is_a_share_of_the_total() {
    let mut app = example();
    update(&mut app, Action::EditWeight);
    type_text(&mut app, "12%");
    update(&mut app, Action::Input(Input::Enter));
    let a = app.doc.appraisal();
    let w = a.criteria()[0].weight();
    assert_ne!(w, 12.0, "12% is not a weight of 12");
    let share = w / a.weights().iter().sum::<f64>();
    assert!((share - 0.12).abs() < 1e-4, "share {share}");
    // Shares of 100% or more cannot be had while others keep their weight.
    update(&mut app, Action::EditWeight);
    type_text(&mut app, "100%");
    update(&mut app, Action::Input(Input::Enter));
    assert!(is_error(&app));
    assert!(
        message(&app).contains("less than 100%"),
        "{}",
        message(&app)
    );
    assert!(matches!(app.view.mode, Mode::Prompt(_)));
}

#[test]
fn swing_values_typed_replace_the_value_shown() {
    let mut app = example();
    update(&mut app, Action::Swing);
    update(&mut app, Action::Input(Input::Enter));
    let Mode::Swing(s) = &app.view.mode else {
        panic!("the assistant is open");
    };
    assert_eq!(s.values[1], "100");
    type_text(&mut app, "80");
    let Mode::Swing(s) = &app.view.mode else {
        panic!("the assistant is open");
    };
    assert_eq!(s.values[1], "80", "80 over 100 is 80, not 10080");
}

#[test]
fn the_last_positive_weight_cannot_go_to_zero() {
    let text = HALVES.replace("name = \"B\"", "name = \"B\"\nweight = 0");
    let mut app = from_text(&text, None);
    update(&mut app, Action::EditWeight);
    clear_prompt(&mut app);
    type_text(&mut app, "0");
    update(&mut app, Action::Input(Input::Enter));
    assert!(
        message(&app).contains("At least one criterion"),
        "{}",
        message(&app)
    );
    assert_eq!(app.doc.appraisal().criteria()[0].weight(), 1.0);
}

#[test]
fn options_and_criteria_are_renamed() {
    let mut app = example();
    update(&mut app, Action::RenameOption);
    clear_prompt(&mut app);
    update(&mut app, Action::Input(Input::Enter));
    assert!(message(&app).contains("blank"));
    type_text(&mut app, "Partner in Practice");
    update(&mut app, Action::Input(Input::Enter));
    assert_eq!(
        app.doc.appraisal().options()[0].name(),
        "Partner in Practice"
    );
    update(&mut app, Action::RenameCriterion);
    clear_prompt(&mut app);
    type_text(&mut app, "Children first");
    update(&mut app, Action::Input(Input::Enter));
    assert_eq!(app.doc.appraisal().criteria()[0].name(), "Children first");
    update(&mut app, Action::RenameCriterion);
    update(&mut app, Action::Input(Input::Esc));
    assert_eq!(message(&app), "Cancelled");
}

#[test]
fn options_and_criteria_are_added_with_fresh_ids() {
    let mut app = example();
    update(&mut app, Action::AddOption);
    type_text(&mut app, "Shared Service");
    update(&mut app, Action::Input(Input::Enter));
    let a = app.doc.appraisal();
    assert_eq!(a.options().len(), 9);
    assert_eq!(a.options()[1].name(), "Shared Service");
    assert_eq!(a.options()[1].id().as_str(), "shared-service-2");
    assert_eq!(app.view.option, 1);
    assert_eq!(score(&app, 1, 0), None);
    update(&mut app, Action::AddCriterion);
    type_text(&mut app, "Value for money!");
    update(&mut app, Action::Input(Input::Enter));
    let a = app.doc.appraisal();
    assert_eq!(a.criteria().len(), 9);
    assert_eq!(a.criteria()[1].id().as_str(), "value-for-money");
    assert_eq!(a.criteria()[1].weight(), 1.0);
    assert_eq!(app.view.criterion, 1);
}

#[test]
fn removing_asks_first_and_can_be_undone() {
    let mut app = example();
    let name = app.doc.appraisal().options()[0].name().to_owned();
    update(&mut app, Action::RemoveOption);
    assert_eq!(app.view.mode, Mode::Confirm(Confirm::RemoveOption(0)));
    update(&mut app, Action::Input(Input::Char('n')));
    assert_eq!(app.doc.appraisal().options().len(), 8);
    update(&mut app, Action::RemoveOption);
    update(&mut app, Action::Input(Input::Char('y')));
    assert_eq!(app.doc.appraisal().options().len(), 7);
    assert!(message(&app).contains(&name));
    update(&mut app, Action::Right);
    update(&mut app, Action::RemoveCriterion);
    update(&mut app, Action::Input(Input::Char('y')));
    assert_eq!(app.doc.appraisal().criteria().len(), 7);
    assert_eq!(
        app.doc.appraisal().criteria()[1].id().as_str(),
        "commissioning"
    );
    update(&mut app, Action::Undo);
    update(&mut app, Action::Undo);
    assert_eq!(app.doc.appraisal(), example().doc.appraisal());
}

#[test]
fn the_last_option_or_criterion_cannot_be_removed() {
    let text = r#"
[appraisal]
title = "One"
[scale]
min = 0
max = 5
[[criteria]]
id = "a"
name = "A"
[[options]]
id = "x"
name = "X"
"#;
    let mut app = from_text(text, None);
    update(&mut app, Action::RemoveOption);
    assert_eq!(app.view.mode, Mode::Normal);
    assert!(
        message(&app).contains("at least one option"),
        "{}",
        message(&app)
    );
    update(&mut app, Action::RemoveCriterion);
    assert!(message(&app).contains("at least one criterion"));
}

#[test]
fn options_and_criteria_are_reordered() {
    let mut app = example();
    let first = app.doc.appraisal().options()[0].id().clone();
    update(&mut app, Action::MoveOption(1));
    assert_eq!(app.doc.appraisal().options()[1].id(), &first);
    assert_eq!(app.view.option, 1, "the selection moves with the option");
    update(&mut app, Action::MoveOption(-1));
    update(&mut app, Action::MoveOption(-1));
    assert!(message(&app).contains("already at that end"));
    update(&mut app, Action::MoveCriterion(1));
    assert_eq!(
        app.doc.appraisal().criteria()[1].id().as_str(),
        "child-focused"
    );
    assert_eq!(app.view.criterion, 1);
    assert_eq!(
        score(&app, 0, 1),
        Some(4.0),
        "scores move with their column"
    );
}

#[test]
fn sorting_by_rank_keeps_the_selected_option() {
    let mut app = example();
    update(&mut app, Action::Last); // Shared Service, file row 8, rank 2=
    update(&mut app, Action::ToggleSort);
    assert_eq!(app.view.sort, Sort::Rank);
    assert_eq!(app.view.option, 7);
    assert_eq!(app.selected_row(), 2);
    assert_eq!(app.display_order()[0], 0);
    update(&mut app, Action::MoveOption(1));
    assert!(is_error(&app), "no reordering while sorted by rank");
    update(&mut app, Action::First);
    assert_eq!(app.view.option, 0);
    update(&mut app, Action::ToggleSort);
    assert_eq!(app.view.sort, Sort::File);
}

#[test]
fn swing_weighting_writes_weights_and_can_be_undone() {
    let mut app = example();
    update(&mut app, Action::Swing);
    assert!(matches!(app.view.mode, Mode::Swing(_)));
    // Step 1: move "Risk" (last) to the top.
    for _ in 0..7 {
        update(&mut app, Action::Input(Input::Down));
    }
    for _ in 0..7 {
        update(&mut app, Action::Input(Input::MoveUp));
    }
    update(&mut app, Action::Input(Input::Enter));
    // Step 2: value the others; the second gets 50, the rest keep 100.
    update(&mut app, Action::Input(Input::Backspace));
    update(&mut app, Action::Input(Input::Backspace));
    update(&mut app, Action::Input(Input::Backspace));
    type_text(&mut app, "50");
    update(&mut app, Action::Input(Input::Down));
    update(&mut app, Action::Input(Input::Backspace));
    update(&mut app, Action::Input(Input::Backspace));
    update(&mut app, Action::Input(Input::Backspace));
    update(&mut app, Action::Input(Input::Enter));
    assert!(is_error(&app), "an empty value is refused");
    type_text(&mut app, "200");
    update(&mut app, Action::Input(Input::Enter));
    assert!(message(&app).contains("0 to 100"));
    update(&mut app, Action::Input(Input::Backspace));
    update(&mut app, Action::Input(Input::Backspace));
    update(&mut app, Action::Input(Input::Enter));
    assert_eq!(app.view.mode, Mode::Normal);
    let w = app.doc.appraisal().weights();
    assert_eq!(w[7], 100.0, "risk is on top");
    assert_eq!(w[0], 50.0, "child focused came second");
    assert_eq!(w[1], 2.0);
    assert_eq!(w[2], 100.0);
    update(&mut app, Action::Undo);
    assert_eq!(app.doc.appraisal().weights(), vec![1.0; 8]);
}

#[test]
fn swing_weighting_can_go_back_and_cancel() {
    let mut app = example();
    update(&mut app, Action::Swing);
    update(&mut app, Action::Input(Input::Enter));
    update(&mut app, Action::Input(Input::BackTab));
    let Mode::Swing(s) = &app.view.mode else {
        panic!("still in the assistant");
    };
    assert_eq!(s.step, SwingStep::Order);
    // Nothing changed in it: Esc cancels at once.
    update(&mut app, Action::Input(Input::Esc));
    assert_eq!(app.view.mode, Mode::Normal);
    assert!(!app.doc.is_dirty());
}

#[test]
fn esc_cancels_the_swing_assistant_asking_first_if_values_were_typed() {
    let mut app = example();
    update(&mut app, Action::Swing);
    update(&mut app, Action::Input(Input::Enter));
    type_text(&mut app, "40");
    update(&mut app, Action::Input(Input::Esc));
    assert!(
        matches!(app.view.mode, Mode::Confirm(Confirm::Discard { .. })),
        "{:?}",
        app.view.mode
    );
    // n goes back to the assistant, values as typed.
    update(&mut app, Action::Input(Input::Char('n')));
    let Mode::Swing(s) = &app.view.mode else {
        panic!("back in the assistant");
    };
    assert_eq!(s.values[1], "40");
    update(&mut app, Action::Input(Input::Esc));
    update(&mut app, Action::Input(Input::Char('y')));
    assert_eq!(app.view.mode, Mode::Normal);
    assert_eq!(app.doc.appraisal().weights(), vec![1.0; 8]);
}

#[test]
fn export_asks_for_a_format_and_a_file() {
    let mut app = example();
    pure(&mut app, Action::Export);
    assert!(matches!(app.view.mode, Mode::Export(_)));
    // JSON is the eighth format.
    for _ in 0..7 {
        pure(&mut app, Action::Input(Input::Down));
    }
    pure(&mut app, Action::Input(Input::Enter));
    let Mode::Prompt(p) = &app.view.mode else {
        panic!("asks for a file");
    };
    assert_eq!(p.input.text(), "appraisal.json");
    clear_prompt(&mut app);
    type_text(&mut app, "/nonexistent-appraise-test/ranks.json");
    let fx = pure(&mut app, Action::Input(Input::Enter));
    assert_eq!(app.view.mode, Mode::Normal);
    let job = export_asked(&fx).expect("the export is asked of the runner");
    assert_eq!(crate::tui::export::FORMATS[job.format].extension, "json");
    assert_eq!(
        job.path,
        PathBuf::from("/nonexistent-appraise-test/ranks.json")
    );
    // What the runner sends back once it is written.
    let written = vec![job.path.clone()];
    let _ = finish(
        &mut app,
        Done::Exported {
            job: Box::new(job),
            outcome: crate::tui::export::ExportOutcome::Written(written),
        },
    );
    assert_eq!(
        message(&app),
        "Exported to /nonexistent-appraise-test/ranks.json"
    );
    pure(&mut app, Action::Export);
    pure(&mut app, Action::Input(Input::Esc));
    assert_eq!(message(&app), "Nothing exported");
}

/// The export is a job the runner does in the background: the screen
/// shows its stage and time, and takes keys meanwhile.
#[test]
fn an_export_runs_in_the_background_with_its_progress_shown() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = example();
    update(&mut app, Action::Export);
    update(&mut app, Action::Input(Input::Enter)); // Word, the first format
    clear_prompt(&mut app);
    let target = dir.path().join("review.docx");
    type_text(&mut app, target.to_str().unwrap());
    let fx = super::update(&mut app, Action::Input(Input::Enter));
    let job = export_asked(&fx).expect("the export is asked of the runner");
    assert!(!target.exists(), "nothing is written by update itself");
    assert_eq!(app.view.mode, Mode::Normal);
    let line = |app: &App| {
        let mut t = ratatui::Terminal::new(ratatui::backend::TestBackend::new(80, 24)).unwrap();
        t.draw(|f| crate::tui::view::draw(f, app)).unwrap();
        let buf = t.backend().buffer().clone();
        (0..24)
            .map(|y| (0..80).map(|x| buf[(x, y)].symbol()).collect::<String>())
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert!(line(&app).contains("Exporting"), "{}", line(&app));
    // The runner reports the stage and the seconds as the job goes.
    let _ = finish(
        &mut app,
        Done::Progress {
            stage: "writing the word document".into(),
            seconds: 3,
        },
    );
    let screen = line(&app);
    assert!(
        screen.contains("writing the word document… 3 s"),
        "{screen}"
    );
    // Keys are taken meanwhile: a score, and a second export is refused.
    let before = score(&app, 0, 0);
    update(
        &mut app,
        Action::Digit(if before == Some(1.0) { 2 } else { 1 }),
    );
    assert_ne!(score(&app, 0, 0), before, "the grid takes scores meanwhile");
    assert!(app.jobs.export.is_some());
    // The job, run as the runner would, comes back through finish.
    let outcome = job.clone().run(&mut |_| {});
    let _ = finish(
        &mut app,
        Done::Exported {
            job: Box::new(job),
            outcome,
        },
    );
    assert!(app.jobs.export.is_none());
    assert!(
        message(&app).starts_with("Exported to"),
        "{}",
        message(&app)
    );
    assert!(std::fs::metadata(&target).unwrap().len() > 0);
}

#[test]
fn export_to_a_bad_path_explains_and_stays_open() {
    let mut app = example();
    update(&mut app, Action::Export);
    update(&mut app, Action::Input(Input::Enter));
    clear_prompt(&mut app);
    type_text(&mut app, "/nonexistent-folder/x/report.txt");
    update(&mut app, Action::Input(Input::Enter));
    assert!(is_error(&app));
    assert!(matches!(app.view.mode, Mode::Prompt(_)));
}

#[test]
fn the_live_sensitivity_view_follows_every_edit() {
    let mut app = example();
    assert!(
        app.doc.live().is_none(),
        "nothing is worked out until asked for"
    );
    update(&mut app, Action::Sensitivity);
    assert_eq!(app.view.mode, Mode::Sensitivity);
    let live = app.doc.live().unwrap();
    assert!(live.is_current(app.doc.version()));
    let leader_share = live.smaa.as_ref().unwrap().first_share(0);
    assert!(
        leader_share > 0.9,
        "Peer Practice Partner leads in most samples"
    );
    // Scoring still works in the grid, and the analysis keeps up.
    update(&mut app, Action::Digit(0));
    update(&mut app, Action::Right);
    update(&mut app, Action::Digit(0));
    assert_eq!(app.view.mode, Mode::Sensitivity);
    let live = app.doc.live().unwrap();
    assert!(live.is_current(app.doc.version()));
    assert!(live.smaa.as_ref().unwrap().first_share(0) < leader_share);
    // The selected criterion's line data is there for the chart.
    assert_eq!(live.exact.weights[1].lines.len(), 8);
    // Help opened from the view goes back to it when closed.
    update(&mut app, Action::Help);
    assert_eq!(
        app.view.mode,
        Mode::Help {
            scroll: 0,
            back: Box::new(Mode::Sensitivity)
        }
    );
    update(&mut app, Action::Input(Input::Esc));
    assert_eq!(app.view.mode, Mode::Sensitivity);
    update(&mut app, Action::Sensitivity);
    assert_eq!(app.view.mode, Mode::Normal, "v toggles the view");
    update(&mut app, Action::Sensitivity);
    update(&mut app, Action::Sensitivity);
    assert_eq!(app.view.mode, Mode::Normal);
    update(&mut app, Action::Sensitivity);
    update(&mut app, Action::Dismiss);
    assert_eq!(app.view.mode, Mode::Normal, "Esc closes it");
}

#[test]
fn the_live_panel_scrolls_and_keeps_its_place_across_criteria() {
    let mut app = example();
    update(&mut app, Action::Sensitivity);
    update(&mut app, Action::SwitchPane);
    update(&mut app, Action::Down);
    update(&mut app, Action::Down);
    assert_eq!(app.view.details_scroll, 2);
    update(&mut app, Action::Right);
    assert_eq!(app.view.criterion, 1);
    assert_eq!(app.view.details_scroll, 2);
}

#[test]
fn large_appraisals_are_analysed_when_the_keys_stop() {
    let text = crate::synth::appraisal_toml(crate::synth::Spec {
        options: 200,
        criteria: 20,
        notes: false,
        seed: 3,
    });
    let mut app = from_text(&text, None);
    update(&mut app, Action::Sensitivity);
    assert!(
        app.doc.live_is_current(),
        "opening the view works it out once"
    );
    let fx = super::update(&mut app, Action::Digit(5));
    assert!(!app.doc.live_is_current(), "typing does not wait for it");
    assert!(
        fx.iter().any(|e| matches!(e, Effect::Analyse)),
        "it asks for the analysis to be worked out again"
    );
    perform_now(&mut app, fx);
    assert!(app.doc.live_is_current());
}

#[test]
fn angle_brackets_nudge_the_weight_by_tidy_steps() {
    let mut app = example();
    update(&mut app, Action::NudgeWeight(1));
    assert_eq!(app.doc.appraisal().criteria()[0].weight(), 1.1);
    update(&mut app, Action::NudgeWeight(-1));
    update(&mut app, Action::NudgeWeight(-1));
    assert_eq!(app.doc.appraisal().criteria()[0].weight(), 0.9);
    for _ in 0..20 {
        update(&mut app, Action::NudgeWeight(-1));
    }
    assert_eq!(app.doc.appraisal().criteria()[0].weight(), 0.0);
    assert!(message(&app).contains("already zero"));
    assert_eq!(weight_step(100.0), 10.0);
    assert_eq!(weight_step(30.0), 2.0);
    assert_eq!(weight_step(5.0), 0.5);
}

#[test]
fn escape_dismisses_the_message() {
    let mut app = example();
    update(&mut app, Action::Digit(9));
    assert!(app.view.message.is_some());
    update(&mut app, Action::Dismiss);
    assert!(app.view.message.is_none());
}

#[test]
fn text_input_is_ignored_outside_editors() {
    let mut app = example();
    let before = app.doc.appraisal().clone();
    update(&mut app, Action::Input(Input::Char('5')));
    update(&mut app, Action::Input(Input::Enter));
    assert_eq!(app.doc.appraisal(), &before);
    assert_eq!(app.view.mode, Mode::Normal);
}

#[test]
fn recovery_file_is_written_offered_and_restored() {
    let (_dir, path, mut app) = on_disk(crate::load::EXAMPLE);
    update(&mut app, Action::Digit(0));
    update(&mut app, Action::Right);
    update(&mut app, Action::Digit(1));
    app.doc.flush_recovery().unwrap();
    let rec = app.doc.recovery_path().unwrap().to_owned();
    assert_eq!(
        rec.file_name().unwrap().to_str().unwrap(),
        ".review.toml.appraise-recovery"
    );
    let edited = app.doc.appraisal().clone();
    // The process dies here: nothing saved, the file untouched.
    drop(app);
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        crate::load::EXAMPLE
    );
    let mut again = App::open(&path).unwrap();
    assert!(matches!(
        again.view.mode,
        Mode::Confirm(Confirm::Recovery { .. })
    ));
    update(&mut again, Action::Input(Input::Esc));
    assert!(
        matches!(again.view.mode, Mode::Confirm(Confirm::Recovery { .. })),
        "a choice must be made"
    );
    update(&mut again, Action::Input(Input::Char('r')));
    assert_eq!(again.doc.appraisal(), &edited);
    assert!(again.doc.is_dirty());
    update(&mut again, Action::Save);
    assert!(!rec.exists(), "a successful save removes the recovery file");
    assert_eq!(crate::load::load_path(&path).unwrap().appraisal, edited);
}

/// Pretends a copy on another machine (a shared network drive) had the
/// file open, writing to `rec`, and last refreshed its lock `quiet` seconds ago.
fn lock_from_another_machine(rec: &std::path::Path, quiet: u64) -> PathBuf {
    let name = rec.file_name().unwrap().to_string_lossy().into_owned();
    let lock = rec.with_file_name(format!(
        "{}.other-pc-4242",
        name.replace(".appraise-recovery", ".appraise-lock")
    ));
    std::fs::write(
        &lock,
        format!(
            "user = alice\nhost = other-pc\npid = 4242\nsince = 1700000000\nrecovery = {name}\n"
        ),
    )
    .unwrap();
    let then = std::time::SystemTime::now() - std::time::Duration::from_secs(quiet);
    std::fs::File::options()
        .write(true)
        .open(&lock)
        .unwrap()
        .set_modified(then)
        .unwrap();
    lock
}

#[test]
fn work_left_on_another_machine_is_offered_only_once_its_lock_is_stale() {
    let (_dir, path, mut app) = on_disk(crate::load::EXAMPLE);
    update(&mut app, Action::Digit(0));
    app.doc.flush_recovery().unwrap();
    let rec = app.doc.recovery_path().unwrap().to_owned();
    let edited = app.doc.appraisal().clone();
    drop(app);
    // Alice's copy on another machine refreshed its lock a minute ago: it
    // is still running, so its work is neither offered nor touched.
    let lock = lock_from_another_machine(&rec, 60);
    let fresh = App::open(&path).unwrap();
    assert_eq!(fresh.view.mode, Mode::Normal);
    assert!(
        message(&fresh).contains("Also open by alice on other-pc"),
        "{}",
        message(&fresh)
    );
    assert_ne!(fresh.doc.recovery_path(), Some(rec.as_path()));
    drop(fresh);
    assert!(rec.exists() && lock.exists());
    // Quiet for longer than the heartbeat rule allows: stale.
    let quiet = crate::recovery::STALE_AFTER.as_secs() + 60;
    let lock = lock_from_another_machine(&rec, quiet);
    let mut stale = App::open(&path).unwrap();
    match &stale.view.mode {
        Mode::Confirm(Confirm::Recovery { left_by, .. }) => {
            let who = left_by.as_deref().unwrap_or_default();
            assert!(
                who.contains("alice on other-pc, last seen 3 minutes ago"),
                "{who}"
            );
        }
        other => panic!("not offered: {other:?}"),
    }
    update(&mut stale, Action::Input(Input::Char('r')));
    assert_eq!(stale.doc.appraisal(), &edited);
    assert!(
        !lock.exists(),
        "the stale lock goes once its work is dealt with"
    );
}

const PARTLY_WEIGHTED: &str = r#"
[appraisal]
title = "Partly weighted"
[scale]
min = 0
max = 5
[[criteria]]
id = "cost"
name = "Cost"
weight = 2
[[criteria]]
id = "reach"
name = "Reach"
[[options]]
id = "x"
name = "X"
scores = { cost = 3, reach = 4 }
"#;

#[test]
fn the_weights_warnings_are_checked_again_as_the_weights_change() {
    let (_dir, _path, mut app) = on_disk(PARTLY_WEIGHTED);
    let opened = App::open(&_path).unwrap();
    assert!(
        message(&opened).contains(
            "Weights: 1 of 2 criteria has a weight (2) and the other (Reach) weighs 1 by default"
        ),
        "{}",
        message(&opened)
    );
    // Giving Reach a weight of its own: the check runs again, off the key
    // path, and the warning goes.
    update(&mut app, Action::Right);
    update(&mut app, Action::EditWeight);
    let fx = super::update(&mut app, Action::Input(Input::Char('3')));
    assert!(!fx.iter().any(|e| matches!(e, Effect::CheckWeights(_))));
    let fx = super::update(&mut app, Action::Input(Input::Enter));
    assert!(
        fx.iter().any(|e| matches!(e, Effect::CheckWeights(_))),
        "a weight edit asks for the check: {fx:?}"
    );
    perform_now(&mut app, fx);
    assert!(
        app.doc.weight_notes().is_empty(),
        "{:?}",
        app.doc.weight_notes()
    );
    assert_eq!(
        message(&app),
        "Weights: the warning about them no longer applies"
    );
    // A weight too small to show in a total.
    update(&mut app, Action::EditWeight);
    type_text(&mut app, "0.0001");
    update(&mut app, Action::Input(Input::Enter));
    assert!(
        message(&app).starts_with("Weights: a weight of 0.0001 is too small to show"),
        "{}",
        message(&app)
    );
    assert!(is_error(&app));
    // Undone, the check runs again.
    update(&mut app, Action::Undo);
    assert!(
        app.doc.weight_notes().is_empty(),
        "{:?}",
        app.doc.weight_notes()
    );
    // A score changes no weight: no check.
    let fx = super::update(&mut app, Action::Digit(2));
    assert!(!fx.iter().any(|e| matches!(e, Effect::CheckWeights(_))));
}

#[test]
fn recovery_can_be_discarded() {
    let (_dir, path, mut app) = on_disk(crate::load::EXAMPLE);
    update(&mut app, Action::Digit(0));
    app.doc.flush_recovery().unwrap();
    let rec = app.doc.recovery_path().unwrap().to_owned();
    drop(app);
    let mut again = App::open(&path).unwrap();
    update(&mut again, Action::Input(Input::Char('d')));
    assert_eq!(again.view.mode, Mode::Normal);
    assert!(!rec.exists());
    assert!(!again.doc.is_dirty());
    assert_eq!(score(&again, 0, 0), Some(4.0));
}

#[test]
fn undoing_every_edit_removes_the_recovery_file() {
    let (_dir, _path, mut app) = on_disk(crate::load::EXAMPLE);
    update(&mut app, Action::Digit(0));
    app.doc.flush_recovery().unwrap();
    let rec = app.doc.recovery_path().unwrap().to_owned();
    assert!(rec.exists());
    update(&mut app, Action::Undo);
    app.doc.flush_recovery().unwrap();
    assert!(!rec.exists());
}

#[test]
fn a_corrupt_recovery_file_is_reported_not_fatal() {
    let (_dir, path, app) = on_disk(crate::load::EXAMPLE);
    let rec = app.doc.recovery_path().unwrap().to_owned();
    std::fs::write(&rec, "this is [not toml").unwrap();
    let again = App::open(&path).unwrap();
    assert_eq!(again.view.mode, Mode::Normal);
    assert!(
        again
            .view
            .message
            .as_ref()
            .unwrap()
            .text
            .contains("could not be read")
    );
    assert!(rec.exists(), "left in place for the user");
}

/// End to end: the save is performed, since it is the write that fails.
#[test]
fn end_to_end_an_unwritable_folder_gives_a_message_not_a_crash() {
    let (dir, path, mut app) = on_disk(crate::load::EXAMPLE);
    update(&mut app, Action::Digit(0));
    // Make saving impossible by replacing the file with a folder.
    std::fs::remove_file(&path).unwrap();
    std::fs::create_dir(&path).unwrap();
    update(&mut app, Action::Save);
    assert!(is_error(&app), "{}", message(&app));
    assert!(app.doc.is_dirty());
    drop(dir);
}

#[test]
fn opening_mentions_published_totals_that_differ() {
    let (_dir, _path, app) = on_disk(crate::load::EXAMPLE);
    assert_eq!(
        message(&app),
        "Note: Shared Service's published total is 24 but its scores add up to 26"
    );
}

#[test]
fn view_defaults_are_sensible() {
    let v = View::default();
    assert_eq!(v.size, (80, 24));
    assert_eq!(v.sort, Sort::File);
    assert_eq!(v.focus, Focus::Grid);
}

#[test]
fn the_status_counts_follow_every_edit_undo_and_redo() {
    let mut app = example();
    let start = app.doc.summary().clone();
    assert_eq!(
        start,
        crate::tui::app::Summary::of(app.doc.appraisal(), app.doc.results())
    );
    assert_eq!(start.unscored, 0);
    update(&mut app, Action::Clear);
    assert_eq!(app.doc.summary().unscored, 1);
    assert!(app.doc.summary().incomplete);
    update(&mut app, Action::Undo);
    assert_eq!(*app.doc.summary(), start);
    update(&mut app, Action::Redo);
    assert_eq!(app.doc.summary().unscored, 1);
    let longest = app
        .doc
        .appraisal()
        .options()
        .iter()
        .map(|o| o.name().chars().count())
        .max();
    assert_eq!(Some(app.doc.summary().longest_name), longest);
}

#[test]
fn one_cell_edits_keep_results_counts_and_unsaved_state_exact() {
    let mut app = example();
    let original = score(&app, 0, 0).unwrap() as u8;
    let other = if original == 5 { 4 } else { original + 1 };
    let check = |app: &App| {
        assert_eq!(
            *app.doc.results(),
            crate::compute::compute(app.doc.appraisal())
        );
        assert_eq!(
            *app.doc.summary(),
            crate::tui::app::Summary::of(app.doc.appraisal(), app.doc.results())
        );
    };
    // Each step, and whether the appraisal then differs from the saved one.
    // Typing the saved value back leaves nothing unsaved, though there is history.
    for (action, dirty) in [
        (Action::Digit(other), true),
        (Action::Dismiss, true),
        (Action::Digit(original), false),
        (Action::Clear, true),
        (Action::Undo, false),
        (Action::Undo, true),
        (Action::Redo, false),
    ] {
        update(&mut app, action.clone());
        check(&app);
        assert_eq!(app.doc.is_dirty(), dirty, "after {action:?}");
    }
}

#[test]
fn a_second_digit_off_the_scale_is_refused_not_taken_as_a_new_score() {
    let mut app = example();
    update(&mut app, Action::Digit(1));
    update(&mut app, Action::Digit(0));
    assert_eq!(score(&app, 0, 0), Some(1.0), "1 then 0 on 0-5 is not 0");
    assert!(is_error(&app));
    assert!(
        message(&app).contains("10 is not on the scale (0 to 5)"),
        "{}",
        message(&app)
    );
    assert!(message(&app).contains("press 0 again"), "{}", message(&app));
    // Pressed again, it is a fresh score.
    update(&mut app, Action::Digit(0));
    assert_eq!(score(&app, 0, 0), Some(0.0));
}

#[test]
fn enter_confirms_the_score_and_moves_down_and_n_opens_notes() {
    let mut app = example();
    update(&mut app, Action::Digit(2));
    update(&mut app, Action::Confirm);
    assert_eq!(app.view.mode, Mode::Normal, "Enter opens no note");
    assert_eq!(app.view.option, 1, "Enter moves down");
    // The next digits score the next option, not a note.
    update(&mut app, Action::Digit(3));
    assert_eq!(score(&app, 0, 0), Some(2.0));
    assert_eq!(score(&app, 1, 0), Some(3.0));
    assert_eq!(
        key_to_action(
            &app,
            crossterm::event::KeyEvent::from(crossterm::event::KeyCode::Enter)
        ),
        Some(Action::Confirm)
    );
    update(&mut app, Action::EditNote);
    assert!(matches!(app.view.mode, Mode::Note(_)), "n opens the note");
    // At the last option Enter stays and says so.
    update(&mut app, Action::Input(Input::Esc));
    update(&mut app, Action::Last);
    update(&mut app, Action::Confirm);
    assert_eq!(app.view.option, 7);
    assert!(message(&app).contains("last option"), "{}", message(&app));
}

#[test]
fn esc_cancels_a_note_asking_first_when_it_was_changed() {
    let mut app = example();
    let before = app.doc.appraisal().options()[0].note(0).map(str::to_owned);
    // Unchanged: Esc closes at once.
    update(&mut app, Action::EditNote);
    update(&mut app, Action::Input(Input::Esc));
    assert_eq!(app.view.mode, Mode::Normal);
    // Changed: Esc asks; n (or Esc) goes back to the note as typed.
    update(&mut app, Action::EditNote);
    type_text(&mut app, " More.");
    update(&mut app, Action::Input(Input::Esc));
    assert!(matches!(
        app.view.mode,
        Mode::Confirm(Confirm::Discard { .. })
    ));
    update(&mut app, Action::Input(Input::Esc));
    let Mode::Note(ed) = &app.view.mode else {
        panic!("back in the note: {:?}", app.view.mode);
    };
    assert!(ed.input.text().ends_with(" More."));
    // y discards: the note is as it was, and nothing is unsaved.
    update(&mut app, Action::Input(Input::Esc));
    update(&mut app, Action::Input(Input::Char('y')));
    assert_eq!(app.view.mode, Mode::Normal);
    assert_eq!(
        app.doc.appraisal().options()[0].note(0).map(str::to_owned),
        before
    );
    assert!(!app.doc.is_dirty());
}

#[test]
fn help_opens_over_the_swing_assistant_and_returns_to_it() {
    let mut app = example();
    update(&mut app, Action::Swing);
    update(&mut app, Action::Input(Input::Enter));
    type_text(&mut app, "70");
    let key = crossterm::event::KeyEvent::from(crossterm::event::KeyCode::Char('?'));
    assert_eq!(key_to_action(&app, key), Some(Action::Help));
    update(&mut app, Action::Help);
    assert!(matches!(app.view.mode, Mode::Help { .. }));
    update(&mut app, Action::Input(Input::Esc));
    let Mode::Swing(s) = &app.view.mode else {
        panic!("back in the assistant: {:?}", app.view.mode);
    };
    assert_eq!(s.values[1], "70", "as it was left");
}

#[test]
fn a_key_that_does_nothing_says_so() {
    let mut app = example();
    let z = crossterm::event::KeyEvent::from(crossterm::event::KeyCode::Char('z'));
    let action = key_to_action(&app, z).unwrap();
    assert_eq!(action, Action::Unbound("z".into()));
    update(&mut app, action);
    assert!(
        message(&app).contains("z does nothing on the grid"),
        "{}",
        message(&app)
    );
    assert!(
        message(&app).contains('?'),
        "points to help: {}",
        message(&app)
    );
    // A move past the edge says so too.
    update(&mut app, Action::Up);
    assert_eq!(message(&app), "Already at the first option");
    update(&mut app, Action::Left);
    assert_eq!(message(&app), "Already at the first criterion");
    // In a dialog, a key it does not take names the keys it does.
    update(&mut app, Action::Digit(3));
    update(&mut app, Action::Quit);
    update(&mut app, Action::Input(Input::Char('x')));
    assert!(
        matches!(app.view.mode, Mode::Confirm(Confirm::Quit)),
        "still asking"
    );
    assert!(
        message(&app).contains("x does nothing here"),
        "{}",
        message(&app)
    );
    assert!(
        message(&app).contains("y or Enter: save, then quit"),
        "{}",
        message(&app)
    );
}

#[test]
fn the_mouse_can_be_turned_off_for_copying_text() {
    let mut app = example();
    let click = crossterm::event::MouseEvent {
        kind: crossterm::event::MouseEventKind::Down(crossterm::event::MouseButton::Left),
        column: 40,
        row: 6,
        modifiers: crossterm::event::KeyModifiers::NONE,
    };
    assert!(crate::tui::mouse_to_action(&app, click).is_some());
    let m = crossterm::event::KeyEvent::new(
        crossterm::event::KeyCode::Char('M'),
        crossterm::event::KeyModifiers::SHIFT,
    );
    let toggle = key_to_action(&app, m).unwrap();
    assert_eq!(toggle, Action::ToggleMouse);
    update(&mut app, toggle.clone());
    assert!(!app.view.mouse);
    assert!(message(&app).contains("copy"), "{}", message(&app));
    assert_eq!(crate::tui::mouse_to_action(&app, click), None);
    update(&mut app, toggle);
    assert!(app.view.mouse);
}

#[test]
fn the_quit_dialog_saves_and_quits_on_enter() {
    let mut app = example_at_nowhere();
    pure(&mut app, Action::Digit(2));
    pure(&mut app, Action::Quit);
    assert!(keys::confirm_takes(&Confirm::Quit, '\n'));
    let fx = pure(&mut app, Action::Input(Input::Enter));
    let (job, then_quit) = the_save(&fx);
    assert!(then_quit);
    assert_eq!(job.to(), std::path::Path::new(NOWHERE));
    let back = load_str("back.toml", &job.text().unwrap())
        .unwrap()
        .appraisal;
    assert_eq!(back.options()[0].score(0), Some(2.0));
    let done = written(job, then_quit);
    finish(&mut app, done);
    assert!(app.quit);
}

#[test]
fn the_swing_ranking_is_saved_as_the_agreed_order_keeping_comments() {
    let text = crate::load::EXAMPLE;
    let mut app = example_at_nowhere();
    pure(&mut app, Action::Swing);
    // Step 1: move the last criterion (Risk) to the top, then record.
    for _ in 0..7 {
        pure(&mut app, Action::Input(Input::Down));
    }
    for _ in 0..7 {
        pure(&mut app, Action::Input(Input::MoveUp));
    }
    pure(&mut app, Action::Input(Input::Char('o')));
    assert!(
        message(&app).starts_with("Agreed order recorded"),
        "{}",
        message(&app)
    );
    assert!(
        matches!(app.view.mode, Mode::Swing(_)),
        "still in the assistant"
    );
    let ids: Vec<String> = app
        .doc
        .appraisal()
        .criteria()
        .iter()
        .map(|c| c.id().to_string())
        .collect();
    let order = app.doc.appraisal().agreed_weights().order.clone();
    assert_eq!(order.len(), 1);
    assert!(
        order[0].starts_with(&format!("{} > {} > ", ids[7], ids[0])),
        "{order:?}"
    );
    // Leave the assistant without changing weights, and save.
    pure(&mut app, Action::Input(Input::Esc));
    assert_eq!(app.view.mode, Mode::Normal);
    assert!(
        message(&app).contains("agreed order stays recorded"),
        "{}",
        message(&app)
    );
    let saved = save_into_its_file(&mut app);
    assert!(
        message(&app).starts_with("Saved to"),
        "{} {:?}",
        message(&app),
        app.view.mode
    );
    // Every line of the file is kept, comments too; the table is added.
    assert!(
        saved.starts_with(text.trim_end()),
        "the rest of the file is as it was"
    );
    assert!(saved.contains("[agreed_weights]"), "{saved}");
    assert!(
        saved.contains(&format!("order = \"{}\"", order[0])),
        "{saved}"
    );
    // It loads back as the same order, which the sensitivity analysis reads.
    let back = load_str("back.toml", &saved).unwrap();
    assert_eq!(back.appraisal.agreed_weights().order, order);
    let analysed = back.appraisal.for_analysis();
    let c =
        crate::sensitivity::WeightConstraints::agreed(&analysed, back.appraisal.agreed_weights())
            .unwrap();
    assert!(!c.is_empty());
    // Undo takes it away again; saving then removes the order.
    pure(&mut app, Action::Undo);
    assert!(app.doc.appraisal().agreed_weights().order.is_empty());
}

#[test]
fn saving_a_file_with_ranges_keeps_them_as_written() {
    let text = std::fs::read_to_string("tests/fixtures/v2/ranges-closed-form.toml").unwrap();
    let text = text.replace(
        "measures = { cost = { low = 2.5, high = 3.5 } }",
        "measures = { cost = { low = 2.5, high = 3.5 } }   # the second quote",
    );
    let mut a = load_str("r.toml", &text).unwrap().appraisal;
    // Change a note elsewhere: the ranges stay byte for byte.
    a.option_mut(0)
        .unwrap()
        .set_note(0, Some("checked".into()))
        .unwrap();
    let saved = crate::document::update_document(&text, &a).unwrap();
    assert!(
        saved.contains("measures = { cost = { low = 2, high = 3 } }"),
        "{saved}"
    );
    assert!(
        saved.contains("measures = { cost = { low = 2.5, high = 3.5 } }   # the second quote"),
        "{saved}"
    );
    let back = load_str("back.toml", &saved).unwrap();
    assert_eq!(
        back.appraisal.options()[0]
            .range(0)
            .map(|r| (r.low, r.high)),
        Some((2.0, 3.0))
    );
    // Typing a raw value over a range replaces it with that figure.
    a.set_measure(1, 0, Some(3.2)).unwrap();
    let saved = crate::document::update_document(&text, &a).unwrap();
    assert!(
        saved.contains("measures = { cost = 3.2 }   # the second quote"),
        "{saved}"
    );
}

#[test]
fn undoing_a_cleared_range_brings_the_range_back() {
    let text = std::fs::read_to_string("tests/fixtures/v2/ranges-closed-form.toml").unwrap();
    let mut app = from_text(&text, None);
    let range = |app: &App| {
        app.doc.appraisal().options()[0]
            .range(0)
            .map(|r| (r.low, r.high))
    };
    assert_eq!(range(&app), Some((2.0, 3.0)));
    let before = app.doc.appraisal().options()[0].measure(0);
    // Clearing the cell takes the range away; undo restores it, not just
    // its midpoint, and redo clears it again.
    update(&mut app, Action::Clear);
    assert_eq!(range(&app), None);
    assert_eq!(app.doc.appraisal().options()[0].measure(0), None);
    update(&mut app, Action::Undo);
    assert_eq!(range(&app), Some((2.0, 3.0)));
    assert_eq!(app.doc.appraisal().options()[0].measure(0), before);
    update(&mut app, Action::Redo);
    assert_eq!(range(&app), None);
    update(&mut app, Action::Undo);
    // Saving after the undo writes the range as it was written.
    let saved = crate::document::update_document(&text, app.doc.appraisal()).unwrap();
    assert!(
        saved.contains("measures = { cost = { low = 2, high = 3 } }"),
        "{saved}"
    );
}
