//! `update()` tests for member mode (scoring into a member's sheet) and the
//! panel view (members' sheets merged).

use std::path::{Path, PathBuf};

use super::tests::{
    export_asked, is_error, message, pure, pure_clear, pure_text, save_asked, the_save, type_text,
    update, written,
};
use super::*;
use crate::panel::{MergeOptions, Method};
use crate::tui::action::Input;
use crate::tui::app::{Confirm, Showing};
use crate::tui::effect::{Done, PanelJob, PanelLoad};
use crate::tui::panel::PanelState;

const REVIEW: &str = r#"# Library review: the shared scores, agreed in March.

[appraisal]
title = "Library review"

[scale]
min = 0
max = 5

[[criteria]]
id = "cost"
name = "Cost"
weight = 2   # cost counts double

[[criteria]]
id = "reach"
name = "Reach"

[[options]]
id = "keep"
name = "Keep all branches"
scores = { cost = 1, reach = 5 }
notes = { cost = "Shared note on cost." }

[[options]]
id = "merge"
name = "Merge two branches"
scores = { cost = 3, reach = 3 }

[[options]]
id = "hub"
name = "One central hub"
scores = { cost = 5, reach = 1 }
"#;

/// A member's sheet with comments, blanks and a note.
const SHEET: &str = r#"# Scoresheet for Cllr A. Clark
# Written by hand after the site visits.

[sheet]
appraisal = "review.toml"   # beside this sheet
member = "Cllr A. Clark"

# Keep all branches
[scores.keep]
cost = 2      # the leases are cheap
reach = ""    # Reach

[notes.keep]
cost = "Leases run to 2030."

# Merge two branches
[scores.merge]
cost = ""     # Cost
reach = 4     # Reach

[notes.merge]

# One central hub
[scores.hub]
cost = ""
reach = ""
"#;

/// A folder with the appraisal and Cllr A. Clark's sheet at its default path.
fn member_dir() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let review = dir.path().join("review.toml");
    std::fs::write(&review, REVIEW).unwrap();
    let sheet = dir.path().join("review.cllr-a-clark.sheet.toml");
    std::fs::write(&sheet, SHEET).unwrap();
    (dir, review, sheet)
}

fn open_member(review: &Path, sheet: Option<&Path>) -> App {
    let mut app = App::open_member(review, "Cllr A. Clark", sheet).unwrap();
    update(&mut app, Action::Resize(80, 24));
    app
}

fn score(app: &App, o: usize, c: usize) -> Option<f64> {
    app.doc.appraisal().options()[o].score(c)
}

#[test]
fn member_mode_shows_the_members_own_scores() {
    let (_dir, review, _sheet) = member_dir();
    let app = open_member(&review, None);
    assert_eq!(app.doc.member().unwrap().member, "Cllr A. Clark");
    assert_eq!(app.showing(), Showing::Own);
    assert_eq!(score(&app, 0, 0), Some(2.0));
    assert_eq!(score(&app, 0, 1), None);
    assert_eq!(score(&app, 1, 1), Some(4.0));
    assert_eq!(
        app.doc.appraisal().options()[0].note(0),
        Some("Leases run to 2030.")
    );
    // Totals are the member's: keep = 2 x 2, merge = 4.
    assert_eq!(app.doc.results().options[0].total, 4.0);
    assert_eq!(app.doc.display_name(), "review.cllr-a-clark.sheet.toml");
    assert!(!app.doc.is_dirty());
    assert!(message(&app).contains("Scoring as Cllr A. Clark"));
}

/// The sheet's text read as a panel reads it, against the shared appraisal
/// in `review`; `sheet` is where the text is to be, whose folder its
/// `appraisal` path is relative to.
fn read_as_panel(text: &str, sheet: &Path, review: &Path) -> crate::panel::Sheet {
    let a = crate::load::load_path(review).unwrap().appraisal;
    let file = crate::diagnostic::SourceFile::new(sheet.display().to_string(), text);
    crate::panel::parse_sheet(file, &a, Some(review), sheet.parent().unwrap()).unwrap()
}

#[test]
fn member_edits_save_into_the_sheet_keeping_its_comments() {
    let (_dir, review, sheet) = member_dir();
    let mut app = open_member(&review, None);
    // Keep / Reach: the "" placeholder becomes 3.
    pure(&mut app, Action::Right);
    pure(&mut app, Action::Digit(3));
    // Merge / Reach: clear the 4, back to "".
    pure(&mut app, Action::Down);
    pure(&mut app, Action::Clear);
    // Hub / Cost: 5, with a note.
    pure(&mut app, Action::Down);
    pure(&mut app, Action::Left);
    pure(&mut app, Action::Digit(5));
    pure(&mut app, Action::EditNote);
    pure_text(&mut app, "Cheapest to run");
    pure(&mut app, Action::Input(Input::Enter));
    assert!(app.doc.is_dirty());
    let fx = pure(&mut app, Action::Save);
    let (job, then_quit) = the_save(&fx);
    assert!(!then_quit);
    // Into the sheet; the appraisal file itself is not written.
    assert_eq!(job.to(), sheet.as_path());
    assert_ne!(job.to(), review.as_path());
    assert!(!job.force());
    let saved = job.text().unwrap();
    let expected = SHEET
        .replace("reach = \"\"    # Reach", "reach = 3    # Reach")
        .replace("reach = 4     # Reach", "reach = \"\"     # Reach")
        .replace("[scores.hub]\ncost = \"\"\n", "[scores.hub]\ncost = 5\n");
    // The hub had no [notes] table: one is added with the note.
    let expected = format!("{expected}\n[notes.hub]\ncost = \"Cheapest to run\"\n");
    assert_eq!(saved, expected);
    // And the sheet merges as a panel would read it.
    let s = read_as_panel(&saved, &sheet, &review);
    assert_eq!(s.scores[0], vec![Some(2.0), Some(3.0)]);
    assert_eq!(s.scores[1], vec![None, None]);
    assert_eq!(s.scores[2], vec![Some(5.0), None]);
    assert_eq!(s.notes[2][0].as_deref(), Some("Cheapest to run"));
    // Once the runner says it is written, nothing is unsaved.
    let done = written(job, then_quit);
    finish(&mut app, done);
    assert!(!is_error(&app), "{}", message(&app));
    assert!(message(&app).starts_with("Saved to"), "{}", message(&app));
    assert!(!app.doc.is_dirty());
}

/// End to end: the save is performed, into a real sheet on disk, which
/// then reads back as the panel reads it.
#[test]
fn end_to_end_a_member_save_writes_the_sheet_and_not_the_appraisal() {
    let (_dir, review, sheet) = member_dir();
    let mut app = open_member(&review, None);
    update(&mut app, Action::Right);
    update(&mut app, Action::Digit(3));
    update(&mut app, Action::Save);
    assert!(message(&app).starts_with("Saved to"), "{}", message(&app));
    assert!(!app.doc.is_dirty());
    let on_disk = std::fs::read_to_string(&sheet).unwrap();
    assert_eq!(
        on_disk,
        SHEET.replace("reach = \"\"    # Reach", "reach = 3    # Reach")
    );
    assert_eq!(std::fs::read_to_string(&review).unwrap(), REVIEW);
    let a = crate::load::load_path(&review).unwrap().appraisal;
    let s = crate::panel::load_sheet(&sheet, &a, Some(&review)).unwrap();
    assert_eq!(s.scores[0], vec![Some(2.0), Some(3.0)]);
}

#[test]
fn member_undo_redo_and_quit_guard_work_as_for_an_appraisal() {
    let (_dir, review, sheet) = member_dir();
    let mut app = open_member(&review, None);
    pure(&mut app, Action::Digit(4));
    pure(&mut app, Action::Step(1));
    assert_eq!(score(&app, 0, 0), Some(5.0));
    pure(&mut app, Action::Undo);
    pure(&mut app, Action::Undo);
    assert_eq!(score(&app, 0, 0), Some(2.0));
    assert!(!app.doc.is_dirty(), "back as loaded");
    pure(&mut app, Action::Redo);
    assert_eq!(score(&app, 0, 0), Some(4.0));
    let fx = pure(&mut app, Action::Quit);
    assert!(save_asked(&fx).is_none(), "asks first: {fx:?}");
    assert!(matches!(app.view.mode, Mode::Confirm(Confirm::Quit)));
    let fx = pure(&mut app, Action::Input(Input::Char('y')));
    let (job, then_quit) = the_save(&fx);
    assert!(then_quit, "saves, then quits");
    assert!(!app.quit, "not before it is written");
    assert_eq!(job.to(), sheet.as_path());
    let saved = job.text().unwrap();
    assert!(
        saved.contains("cost = 4      # the leases are cheap"),
        "{saved}"
    );
    let done = written(job, then_quit);
    finish(&mut app, done);
    assert!(app.quit, "saved, then quit");
}

#[test]
fn member_mode_refuses_structure_edits_and_says_why() {
    let (_dir, review, _sheet) = member_dir();
    let mut app = open_member(&review, None);
    let before = app.doc.appraisal().clone();
    let refused = [
        (Action::EditWeight, "Weights are fixed by review.toml"),
        (Action::NudgeWeight(1), "Weights are fixed by review.toml"),
        (Action::Swing, "Weights are fixed by review.toml"),
        (Action::RenameOption, "Names are fixed by review.toml"),
        (Action::RenameCriterion, "Names are fixed by review.toml"),
        (Action::AddOption, "Options and criteria are fixed"),
        (Action::AddCriterion, "Options and criteria are fixed"),
        (Action::RemoveOption, "Options and criteria are fixed"),
        (Action::RemoveCriterion, "Options and criteria are fixed"),
        (Action::MoveOption(1), "Options and criteria are fixed"),
        (Action::MoveCriterion(1), "Options and criteria are fixed"),
    ];
    for (action, says) in refused {
        update(&mut app, action.clone());
        assert!(is_error(&app), "{action:?}");
        assert!(
            message(&app).starts_with(says),
            "{action:?}: {}",
            message(&app)
        );
        assert!(message(&app).contains("you score and write notes"));
        assert_eq!(app.view.mode, Mode::Normal, "{action:?} opened nothing");
        assert_eq!(app.doc.appraisal(), &before);
    }
    // The live sensitivity view still works, but its weight keys are refused too.
    update(&mut app, Action::Sensitivity);
    update(&mut app, Action::NudgeWeight(-1));
    assert_eq!(app.view.mode, Mode::Sensitivity);
    assert!(message(&app).starts_with("Weights are fixed"));
    assert_eq!(app.doc.appraisal(), &before);
    update(&mut app, Action::Digit(1));
    assert_eq!(score(&app, 0, 0), Some(1.0), "scoring still works there");
    // The panel view is not for members.
    update(&mut app, Action::Sensitivity);
    update(&mut app, Action::Panel);
    assert!(is_error(&app));
    assert_eq!(app.view.mode, Mode::Normal);
}

#[test]
fn the_shared_scores_are_shown_only_on_request_and_read_only() {
    let (_dir, review, _sheet) = member_dir();
    let mut app = open_member(&review, None);
    assert_eq!(app.shown_appraisal().options()[0].score(0), Some(2.0));
    update(&mut app, Action::ToggleShared);
    assert_eq!(app.showing(), Showing::Shared);
    assert!(message(&app).contains("shared scores from review.toml"));
    assert_eq!(app.shown_appraisal().options()[0].score(0), Some(1.0));
    assert_eq!(app.shown_results().options[0].total, 7.0);
    // Nothing typed in the shared view changes anything.
    let before = app.doc.appraisal().clone();
    for a in [
        Action::Digit(4),
        Action::Half,
        Action::Step(1),
        Action::Clear,
        Action::EditNote,
    ] {
        update(&mut app, a.clone());
        assert!(is_error(&app), "{a:?}");
        assert!(message(&app).contains("press c"), "{}", message(&app));
        assert_eq!(app.view.mode, Mode::Normal);
    }
    assert_eq!(app.doc.appraisal(), &before);
    // Moving and sorting still work.
    update(&mut app, Action::Down);
    assert_eq!(app.view.option, 1);
    update(&mut app, Action::ToggleShared);
    assert_eq!(app.showing(), Showing::Own);
    assert_eq!(message(&app), "Back to your own scores");
    update(&mut app, Action::Digit(4));
    assert_eq!(score(&app, 1, 0), Some(4.0));
    // Undo from the shared view goes back to the member's own scores to show it.
    update(&mut app, Action::ToggleShared);
    update(&mut app, Action::Undo);
    assert_eq!(app.showing(), Showing::Own);
    assert_eq!(score(&app, 1, 0), None);
}

#[test]
fn the_shared_view_is_only_for_members() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("review.toml");
    std::fs::write(&path, REVIEW).unwrap();
    let mut app = App::open(&path).unwrap();
    update(&mut app, Action::ToggleShared);
    assert!(is_error(&app));
    assert!(message(&app).contains("--member"));
    assert_eq!(app.showing(), Showing::Own);
}

/// End to end: the save is performed, since it is the save that finds the
/// sheet changed on disk.
#[test]
fn end_to_end_a_sheet_changed_on_disk_is_not_overwritten_without_asking() {
    let (_dir, review, sheet) = member_dir();
    let mut app = open_member(&review, None);
    update(&mut app, Action::Digit(0));
    let theirs = SHEET.replace("reach = 4     # Reach", "reach = 1     # Reach");
    std::fs::write(&sheet, &theirs).unwrap();
    assert!(app.doc.changed_on_disk());
    let fx = update(&mut app, Action::Save);
    assert_eq!(the_save(&fx).0.to(), sheet.as_path());
    let Mode::Confirm(Confirm::RecoveryClash(k)) = &app.view.mode else {
        panic!("asks first: {:?}", app.view.mode);
    };
    // The member's own cell and the one changed on disk, each as changed.
    assert_eq!(k.cells.len(), 2);
    assert_eq!(k.take_yours, [true, false]);
    assert_eq!(std::fs::read_to_string(&sheet).unwrap(), theirs);
    // All yours, as overwriting did.
    update(&mut app, Action::Input(Input::Char('o')));
    let saved = std::fs::read_to_string(&sheet).unwrap();
    assert!(saved.contains("cost = 0      # the leases are cheap"));
    assert!(saved.contains("reach = 4     # Reach"), "our version won");
}

/// End to end: the recovery file is written and read on disk, and the save
/// that follows is performed, since it is the save that removes it.
#[test]
fn end_to_end_unsaved_member_work_is_recovered_into_the_sheet() {
    let (_dir, review, sheet) = member_dir();
    let mut app = open_member(&review, None);
    update(&mut app, Action::Right);
    update(&mut app, Action::Digit(5));
    app.doc.flush_recovery().unwrap();
    let rec = app.doc.recovery_path().unwrap().to_owned();
    assert_eq!(
        rec.file_name().unwrap().to_str().unwrap(),
        ".review.cllr-a-clark.sheet.toml.appraise-recovery"
    );
    let text = crate::recovery::read_recovery(&rec).unwrap();
    assert!(text.contains("reach = 5    # Reach"), "{text}");
    let edited = app.doc.appraisal().clone();
    drop(app);
    assert_eq!(std::fs::read_to_string(&sheet).unwrap(), SHEET);
    let mut again = App::open_member(&review, "Cllr A. Clark", None).unwrap();
    assert!(matches!(
        again.view.mode,
        Mode::Confirm(Confirm::Recovery { .. })
    ));
    update(&mut again, Action::Input(Input::Char('r')));
    assert_eq!(again.doc.appraisal(), &edited);
    update(&mut again, Action::Save);
    assert!(!rec.exists());
    assert!(
        std::fs::read_to_string(&sheet)
            .unwrap()
            .contains("reach = 5    # Reach")
    );
}

#[test]
fn a_sheet_saved_into_another_folder_still_finds_its_appraisal() {
    let (dir, review, _sheet) = member_dir();
    std::fs::create_dir(dir.path().join("sheets")).unwrap();
    let mut app = open_member(&review, None);
    pure(&mut app, Action::Digit(1));
    pure(&mut app, Action::SaveAs);
    pure_clear(&mut app);
    let target = dir.path().join("sheets").join("clark.toml");
    pure_text(&mut app, &target.display().to_string());
    let fx = pure(&mut app, Action::Input(Input::Enter));
    let (job, _) = the_save(&fx);
    assert_eq!(job.to(), target.as_path());
    let text = job.text().unwrap();
    assert!(
        text.contains("appraisal = \"../review.toml\"   # beside this sheet"),
        "{text}"
    );
    let s = read_as_panel(&text, &target, &review);
    assert_eq!(s.scores[0][0], Some(1.0));
}

/// Three members' sheets: on keep/cost they give 1, 4 and 5 (flagged);
/// on merge/reach 3, 4 and blank; everything else they agree on, or leave.
fn panel_dir() -> (tempfile::TempDir, PathBuf, Vec<PathBuf>) {
    let dir = tempfile::tempdir().unwrap();
    let review = dir.path().join("review.toml");
    std::fs::write(&review, REVIEW).unwrap();
    let sheets = [
        ("M1", "1", "3", "5", "Too dear."),
        ("M2", "4", "4", "5", ""),
        ("M3", "5", "\"\"", "0", "Cheap enough."),
    ];
    let mut paths = Vec::new();
    for (m, keep_cost, merge_reach, hub_cost, note) in sheets {
        let p = dir
            .path()
            .join(format!("review.{}.sheet.toml", m.to_lowercase()));
        std::fs::write(
            &p,
            format!(
                "[sheet]\nappraisal = \"review.toml\"\nmember = \"{m}\"\n\n\
                 [scores.keep]\ncost = {keep_cost}\nreach = 2\n\n[notes.keep]\ncost = \"{note}\"\n\n\
                 [scores.merge]\ncost = 3\nreach = {merge_reach}\n\n[scores.hub]\ncost = {hub_cost}\nreach = 1\n"
            ),
        )
        .unwrap();
        paths.push(p);
    }
    (dir, review, paths)
}

fn panel_app(review: &Path, paths: &[PathBuf]) -> App {
    let mut app = App::open(review).unwrap();
    let p = PanelState::load(
        paths,
        app.doc.appraisal(),
        Some(review),
        MergeOptions::default(),
    )
    .unwrap();
    app.set_panel(p);
    assert_eq!(
        app.showing(),
        Showing::Panel,
        "attaching a panel opens its view"
    );
    // Start from the appraisal's own scores, as after pressing p.
    update(&mut app, Action::Panel);
    assert_eq!(app.showing(), Showing::Own);
    update(&mut app, Action::Resize(80, 24));
    app
}

fn merged(app: &App) -> &crate::panel::Merged {
    app.panel().unwrap().merged().unwrap()
}

#[test]
fn the_panel_view_opens_closes_and_shows_the_consensus() {
    let (_dir, review, paths) = panel_dir();
    let mut app = panel_app(&review, &paths);
    update(&mut app, Action::Panel);
    assert_eq!(app.showing(), Showing::Panel);
    let m = merged(&app);
    let cell = &m.cells[0][0];
    assert_eq!(cell.scores, vec![Some(1.0), Some(4.0), Some(5.0)]);
    assert!(cell.flagged);
    assert_eq!(m.cells[1][1].scored, 2);
    // The grid shows the consensus: keep/cost = (1 + 4 + 5) / 3.
    assert!((app.shown_appraisal().options()[0].score(0).unwrap() - 10.0 / 3.0).abs() < 0.01);
    update(&mut app, Action::Panel);
    assert_eq!(app.showing(), Showing::Own);
    assert_eq!(app.shown_appraisal().options()[0].score(0), Some(1.0));
    update(&mut app, Action::Panel);
    update(&mut app, Action::Dismiss);
    assert_eq!(app.showing(), Showing::Own, "Esc closes it too");
    // Help opens over the panel view and closes back to it.
    update(&mut app, Action::Panel);
    update(&mut app, Action::Help);
    assert!(matches!(app.view.mode, Mode::Help { .. }));
    update(&mut app, Action::Input(Input::Esc));
    assert_eq!(app.showing(), Showing::Panel);
}

#[test]
fn the_method_key_cycles_the_consensus() {
    let (_dir, review, paths) = panel_dir();
    let mut app = panel_app(&review, &paths);
    update(&mut app, Action::Panel);
    update(&mut app, Action::CycleMethod);
    assert_eq!(app.panel().unwrap().options().method, Method::Median);
    assert_eq!(merged(&app).cells[0][0].consensus, Some(4.0));
    assert!(
        message(&app).starts_with("Consensus by the median"),
        "{}",
        message(&app)
    );
    update(&mut app, Action::CycleMethod);
    assert_eq!(app.panel().unwrap().options().method, Method::TrimmedMean);
    // Three scores: the trimmed mean drops the highest and lowest.
    assert_eq!(merged(&app).cells[0][0].consensus, Some(4.0));
    update(&mut app, Action::CycleMethod);
    assert_eq!(app.panel().unwrap().options().method, Method::Sum);
    // The members' points added up.
    assert_eq!(merged(&app).cells[0][0].consensus, Some(10.0));
    update(&mut app, Action::CycleMethod);
    assert_eq!(app.panel().unwrap().options().method, Method::Mean);
}

#[test]
fn the_flag_keys_step_through_flagged_cells_and_wrap() {
    let (_dir, review, paths) = panel_dir();
    let mut app = panel_app(&review, &paths);
    // From the normal view, f opens the panel and jumps.
    update(&mut app, Action::Down);
    update(&mut app, Action::NextFlagged(1));
    assert_eq!(app.showing(), Showing::Panel);
    // Flagged: keep/cost (1..5) and hub/cost (0..5).
    assert_eq!(merged(&app).flagged(), vec![(0, 0), (2, 0)]);
    assert_eq!((app.view.option, app.view.criterion), (2, 0));
    assert!(message(&app).starts_with("Flagged 2 of 2: One central hub / Cost, spread 5 steps"));
    update(&mut app, Action::NextFlagged(1));
    assert_eq!((app.view.option, app.view.criterion), (0, 0));
    assert!(
        message(&app).ends_with("(round again)"),
        "{}",
        message(&app)
    );
    update(&mut app, Action::NextFlagged(-1));
    assert_eq!((app.view.option, app.view.criterion), (2, 0));
    // In rank order, "next" follows the rows as shown.
    update(&mut app, Action::ToggleSort);
    assert_eq!(
        app.showing(),
        Showing::Panel,
        "sorting keeps the panel view"
    );
    let order = app.display_order();
    assert_eq!(order, merged(&app).results.rank_order());
    update(&mut app, Action::First);
    update(&mut app, Action::NextFlagged(1));
    let first_flagged_row = order.iter().position(|&o| o == 0 || o == 2).unwrap();
    assert_eq!(app.view.option, order[first_flagged_row]);
}

#[test]
fn no_flagged_cells_is_said_plainly() {
    let (_dir, review, paths) = panel_dir();
    let mut app = panel_app(&review, &paths);
    app.set_panel(
        PanelState::load(
            &paths,
            app.doc.appraisal(),
            Some(&review),
            MergeOptions {
                flag_steps: 6.0,
                ..MergeOptions::default()
            },
        )
        .unwrap(),
    );
    update(&mut app, Action::NextFlagged(1));
    assert_eq!(app.showing(), Showing::Panel);
    assert!(
        message(&app).starts_with("No cells are flagged"),
        "{}",
        message(&app)
    );
    assert_eq!((app.view.option, app.view.criterion), (0, 0));
}

#[test]
fn the_panel_view_is_read_only() {
    let (_dir, review, paths) = panel_dir();
    let mut app = panel_app(&review, &paths);
    pure(&mut app, Action::Panel);
    let appraisal = app.doc.appraisal().clone();
    // Nothing asks for a file to be written: no save, export or removal.
    let writes_nothing = |fx: &Effects, what: &Action| {
        assert!(
            !fx.iter().any(|e| matches!(
                e,
                Effect::Save { .. } | Effect::Export(_) | Effect::Remove(_)
            )),
            "{what:?}: {fx:?}"
        );
    };
    for a in [
        Action::Digit(3),
        Action::Clear,
        Action::Step(1),
        Action::EditNote,
        Action::EditWeight,
        Action::NudgeWeight(1),
        Action::AddOption,
        Action::RemoveCriterion,
        Action::Undo,
    ] {
        let fx = pure(&mut app, a.clone());
        writes_nothing(&fx, &a);
        assert!(is_error(&app), "{a:?}");
        assert!(
            message(&app).contains("read-only"),
            "{a:?}: {}",
            message(&app)
        );
        assert_eq!(app.showing(), Showing::Panel, "{a:?}");
    }
    let fx = pure(&mut app, Action::Sensitivity);
    writes_nothing(&fx, &Action::Sensitivity);
    assert!(is_error(&app));
    assert_eq!(app.showing(), Showing::Panel);
    // Ctrl-s still saves the appraisal's own file, unchanged; no sheet.
    let fx = pure(&mut app, Action::Save);
    let (job, _) = the_save(&fx);
    assert_eq!(job.to(), review.as_path(), "sheets untouched");
    assert_eq!(job.appraisal(), &appraisal);
    assert_eq!(job.text().unwrap(), REVIEW);
    let done = written(job, false);
    let fx = finish(&mut app, done);
    writes_nothing(&fx, &Action::Save);
    assert_eq!(app.showing(), Showing::Panel);
    assert_eq!(app.doc.appraisal(), &appraisal);
    // Moving, help and quitting still work.
    let fx = pure(&mut app, Action::Right);
    writes_nothing(&fx, &Action::Right);
    assert_eq!(app.view.criterion, 1);
    assert_eq!(app.showing(), Showing::Panel);
    let fx = pure(&mut app, Action::Quit);
    writes_nothing(&fx, &Action::Quit);
    assert!(app.quit, "nothing unsaved");
}

#[test]
fn the_panel_follows_weights_changed_outside_it() {
    let (_dir, review, paths) = panel_dir();
    let mut app = panel_app(&review, &paths);
    update(&mut app, Action::Panel);
    let before = merged(&app).results.options[0].total;
    update(&mut app, Action::Panel);
    update(&mut app, Action::EditWeight);
    for _ in 0..10 {
        update(&mut app, Action::Input(Input::Backspace));
    }
    type_text(&mut app, "4");
    update(&mut app, Action::Input(Input::Enter));
    update(&mut app, Action::Panel);
    let after = merged(&app).results.options[0].total;
    // keep/cost's consensus (exactly 10/3) now weighs 4 rather than 2.
    assert!(
        (after - before - 2.0 * 10.0 / 3.0).abs() < 1e-8,
        "{before} -> {after}"
    );
    // A removed option is followed by id.
    update(&mut app, Action::Panel);
    update(&mut app, Action::RemoveOption);
    update(&mut app, Action::Input(Input::Char('y')));
    update(&mut app, Action::Panel);
    assert_eq!(merged(&app).cells.len(), 2);
    assert_eq!(
        merged(&app).cells[0][1].scores,
        vec![Some(3.0), Some(4.0), None],
        "merge / reach, now the first row"
    );
}

/// The one panel load among `fx`.
fn the_panel_load(fx: &Effects) -> PanelJob {
    let mut jobs = fx.iter().filter_map(|e| match e {
        Effect::LoadPanel(job) => Some(job.clone()),
        _ => None,
    });
    let job = jobs
        .next()
        .unwrap_or_else(|| panic!("a panel load: {fx:?}"));
    assert!(jobs.next().is_none(), "one panel load: {fx:?}");
    job
}

/// Runs the panel load `job` (which reads the folder, as the runner's job
/// does) and gives `app` what it found.
fn read_sheets(app: &mut App, job: PanelJob) -> Effects {
    finish(app, Done::PanelLoaded(Box::new(job.run())))
}

#[test]
fn p_asks_for_the_sheets_beside_the_appraisal_to_be_read() {
    let (_dir, review, paths) = panel_dir();
    let mut app = App::open(&review).unwrap();
    pure(&mut app, Action::Resize(80, 24));
    let fx = pure(&mut app, Action::Panel);
    let job = the_panel_load(&fx);
    assert_eq!(job.sheets, None, "the sheets beside the appraisal");
    assert_eq!(job.appraisal_path, review);
    assert_eq!(&job.appraisal, app.doc.appraisal());
    assert_eq!(job.options, MergeOptions::default());
    assert_eq!(job.then, None);
    assert!(
        message(&app).starts_with("Reading the members' sheets beside review.toml"),
        "{}",
        message(&app)
    );
    // Asked for once: p again while they are read waits.
    let fx = pure(&mut app, Action::Panel);
    assert!(
        !fx.iter().any(|e| matches!(e, Effect::LoadPanel(_))),
        "{fx:?}"
    );
    assert!(
        message(&app).starts_with("Still reading"),
        "{}",
        message(&app)
    );
    // What the job sends back: the three sheets, found beside it.
    let panel = PanelState::load(
        &paths,
        &job.appraisal,
        Some(&review),
        MergeOptions::default(),
    )
    .unwrap();
    let load = PanelLoad {
        panel: Ok(panel),
        found_beside: true,
        then: None,
    };
    finish(&mut app, Done::PanelLoaded(Box::new(load)));
    assert_eq!(app.showing(), Showing::Panel, "{}", message(&app));
    assert!(message(&app).starts_with("Opened the panel: 3 members' sheets"));
    assert_eq!(merged(&app).members, vec!["M1", "M2", "M3"]);
}

/// End to end: p's panel load is performed, finding and reading the
/// sheets beside the appraisal on disk.
#[test]
fn end_to_end_p_finds_sheets_beside_the_appraisal() {
    let (_dir, review, _paths) = panel_dir();
    let mut app = App::open(&review).unwrap();
    update(&mut app, Action::Resize(80, 24));
    update(&mut app, Action::Panel);
    assert_eq!(app.showing(), Showing::Panel, "{}", message(&app));
    assert!(message(&app).starts_with("Opened the panel: 3 members' sheets"));
    assert_eq!(merged(&app).members, vec!["M1", "M2", "M3"]);
}

#[test]
fn p_without_sheets_or_with_a_bad_one_explains() {
    let dir = tempfile::tempdir().unwrap();
    let review = dir.path().join("review.toml");
    std::fs::write(&review, REVIEW).unwrap();
    let mut app = App::open(&review).unwrap();
    let job = the_panel_load(&pure(&mut app, Action::Panel));
    read_sheets(&mut app, job);
    assert!(is_error(&app));
    assert!(message(&app).contains("--panel"), "{}", message(&app));
    assert_eq!(app.view.mode, Mode::Normal);
    std::fs::write(
        dir.path().join("review.x.sheet.toml"),
        "[sheet]\nappraisal = \"review.toml\"\nmember = \"X\"\n[scores.keep]\ncost = 9\n",
    )
    .unwrap();
    let job = the_panel_load(&pure(&mut app, Action::CycleMethod));
    assert_eq!(job.then, Some(Action::CycleMethod), "done once it is open");
    read_sheets(&mut app, job);
    assert!(is_error(&app));
    assert!(
        message(&app).contains("review.x.sheet.toml:5:8"),
        "{}",
        message(&app)
    );
    assert!(app.panel().is_none());
    // With no file of its own there is nowhere to look: nothing is asked for.
    let mut example = App::new(crate::load::load_example().unwrap(), None);
    let fx = pure(&mut example, Action::Panel);
    assert!(
        !fx.iter().any(|e| matches!(e, Effect::LoadPanel(_))),
        "{fx:?}"
    );
    assert!(message(&example).contains("--panel"));
}

#[test]
fn a_sheet_missing_an_option_says_so_and_gains_it_when_scored() {
    let (_dir, review, sheet) = member_dir();
    let short = SHEET.replace(
        "# One central hub\n[scores.hub]\ncost = \"\"\nreach = \"\"\n",
        "",
    );
    std::fs::write(&sheet, &short).unwrap();
    let mut app = open_member(&review, None);
    assert!(
        message(&app).contains("the sheet has no scores for One central hub"),
        "{}",
        message(&app)
    );
    pure(&mut app, Action::Last);
    pure(&mut app, Action::Digit(2));
    let fx = pure(&mut app, Action::Save);
    let (job, _) = the_save(&fx);
    assert_eq!(job.to(), sheet.as_path());
    let saved = job.text().unwrap();
    // The new table goes after the others; the sheet's closing blank line stays last.
    assert_eq!(
        saved,
        format!("{short}[scores.hub]\ncost = 2\nreach = \"\"\n\n")
    );
}

#[test]
fn exporting_a_copy_in_member_mode_copies_the_sheet() {
    let (dir, review, _sheet) = member_dir();
    let mut app = open_member(&review, None);
    pure(&mut app, Action::Digit(5));
    let copy = crate::tui::export::FORMATS
        .iter()
        .position(|f| f.kind == crate::tui::export::Kind::Copy)
        .unwrap();
    assert_eq!(
        crate::tui::export::label(app.doc.target(), &crate::tui::export::FORMATS[copy]),
        "Copy of your scoresheet"
    );
    // Chosen from the menu, as a user does.
    pure(&mut app, Action::Export);
    for _ in 0..copy {
        pure(&mut app, Action::Input(Input::Down));
    }
    pure(&mut app, Action::Input(Input::Enter));
    let Mode::Prompt(p) = &app.view.mode else {
        panic!("asks for a file: {:?}", app.view.mode);
    };
    assert_eq!(p.input.text(), "review.cllr-a-clark.sheet-copy.toml");
    pure_clear(&mut app);
    let target = dir.path().join("copy.toml");
    pure_text(&mut app, &target.display().to_string());
    let fx = pure(&mut app, Action::Input(Input::Enter));
    assert!(save_asked(&fx).is_none(), "a copy, not a save: {fx:?}");
    let job = export_asked(&fx).expect("the export is asked of the runner");
    assert_eq!(job.format, copy);
    assert_eq!(job.path, target);
    assert_eq!(job.label(), "Copy of your scoresheet");
    assert_eq!(
        job.copy_text(),
        SHEET.replace("cost = 2      # the leases", "cost = 5      # the leases")
    );
    // The job, run as the runner runs it, writes exactly that text.
    let outcome = job.clone().run(&mut |_| {});
    assert!(
        matches!(&outcome, crate::tui::export::ExportOutcome::Written(f) if f == std::slice::from_ref(&target)),
        "{outcome:?}"
    );
    assert_eq!(std::fs::read_to_string(&target).unwrap(), job.copy_text());
    // And what it sends back is reported.
    finish(
        &mut app,
        Done::Exported {
            job: Box::new(job),
            outcome,
        },
    );
    assert_eq!(message(&app), format!("Exported to {}", target.display()));
    assert!(app.doc.is_dirty(), "a copy leaves the sheet unsaved");
}

#[test]
fn opening_the_panel_from_the_sensitivity_view_replaces_it() {
    let (_dir, review, paths) = panel_dir();
    let mut app = panel_app(&review, &paths);
    update(&mut app, Action::Sensitivity);
    assert_eq!(app.view.mode, Mode::Sensitivity);
    update(&mut app, Action::Panel);
    assert_eq!(app.view.mode, Mode::Normal);
    assert_eq!(app.showing(), Showing::Panel);
    update(&mut app, Action::Panel);
    update(&mut app, Action::Sensitivity);
    update(&mut app, Action::NextFlagged(1));
    assert_eq!(app.view.mode, Mode::Normal);
    assert_eq!(app.showing(), Showing::Panel);
    assert_eq!((app.view.option, app.view.criterion), (2, 0));
}

#[test]
fn esc_leaves_the_shared_scores_view() {
    let (_dir, review, _sheet) = member_dir();
    let mut app = open_member(&review, None);
    update(&mut app, Action::ToggleShared);
    assert_eq!(app.showing(), Showing::Shared);
    update(&mut app, Action::Dismiss);
    assert_eq!(app.showing(), Showing::Own);
    assert_eq!(message(&app), "Back to your own scores");
}

#[test]
fn one_bad_sheet_leaves_the_others_shown_with_its_error() {
    let (dir, review, mut paths) = panel_dir();
    let bad = dir.path().join("review.m4.sheet.toml");
    std::fs::write(
        &bad,
        "[sheet]\nappraisal = \"review.toml\"\nmember = \"M4\"\n[scores.keep]\ncost = 9\n",
    )
    .unwrap();
    paths.push(bad);
    // Named on the command line, and found by p: the good three open.
    let p = PanelState::load(
        &paths,
        &crate::load::load_path(&review).unwrap().appraisal,
        Some(&review),
        MergeOptions::default(),
    )
    .unwrap();
    assert_eq!(p.sheets().len(), 3);
    assert_eq!(p.problems().len(), 1);
    assert!(
        p.problems()[0].contains("review.m4.sheet.toml:5:8"),
        "{:?}",
        p.problems()
    );
    let mut app = App::open(&review).unwrap();
    pure(&mut app, Action::Resize(80, 24));
    let job = the_panel_load(&pure(&mut app, Action::Panel));
    read_sheets(&mut app, job);
    assert_eq!(app.showing(), Showing::Panel, "{}", message(&app));
    assert_eq!(merged(&app).members, vec!["M1", "M2", "M3"]);
    assert!(
        message(&app).contains("1 sheet could not be used"),
        "{}",
        message(&app)
    );
    let details: String = crate::tui::panel::details_lines(
        app.panel().unwrap(),
        app.doc.appraisal(),
        (app.view.option, app.view.criterion),
        &app.doc.display_name(),
    )
    .iter()
    .map(|l| l.to_string() + "\n")
    .collect();
    assert!(details.contains("review.m4.sheet.toml:5:8"), "{details}");
    assert!(details.contains("left out"), "{details}");
}

#[test]
fn p_says_when_sheets_with_other_names_were_not_opened() {
    let (dir, review, _paths) = panel_dir();
    std::fs::write(
        dir.path().join("clark.toml"),
        "[sheet]\nappraisal = \"review.toml\"\nmember = \"Clark\"\n[scores.keep]\ncost = 2\n",
    )
    .unwrap();
    // Another appraisal's sheet, and a file that is no sheet, are not mentioned.
    std::fs::write(
        dir.path().join("other.toml"),
        "[sheet]\nappraisal = \"other-review.toml\"\nmember = \"Oz\"\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("notes.toml"), "title = \"x\"\n").unwrap();
    let mut app = App::open(&review).unwrap();
    pure(&mut app, Action::Resize(80, 24));
    let job = the_panel_load(&pure(&mut app, Action::Panel));
    read_sheets(&mut app, job);
    assert_eq!(app.showing(), Showing::Panel);
    assert!(
        message(&app).contains("1 more with another file name was not opened"),
        "{}",
        message(&app)
    );
    let details: String = crate::tui::panel::details_lines(
        app.panel().unwrap(),
        app.doc.appraisal(),
        (app.view.option, app.view.criterion),
        &app.doc.display_name(),
    )
    .iter()
    .map(|l| l.to_string() + "\n")
    .collect();
    assert!(details.contains("clark.toml"), "{details}");
    assert!(
        !details.contains("other.toml") && !details.contains("notes.toml"),
        "{details}"
    );
}

/// The details pane's text for the selected cell.
fn details_text(app: &App) -> String {
    crate::tui::panel::details_lines(
        app.panel().unwrap(),
        app.doc.appraisal(),
        (app.view.option, app.view.criterion),
        &app.doc.display_name(),
    )
    .iter()
    .map(|l| l.to_string() + "\n")
    .collect()
}

#[test]
fn the_panel_view_shows_what_reading_the_sheets_warned_of() {
    let (_dir, review, paths) = panel_dir();
    // A score of spaces in quotes is read as blank, with a warning.
    let text = std::fs::read_to_string(&paths[1]).unwrap();
    std::fs::write(&paths[1], text.replace("reach = 2", "reach = \"  \"")).unwrap();
    let mut app = App::open(&review).unwrap();
    pure(&mut app, Action::Resize(80, 24));
    let job = the_panel_load(&pure(&mut app, Action::Panel));
    read_sheets(&mut app, job);
    assert_eq!(app.showing(), Showing::Panel, "{}", message(&app));
    let p = app.panel().unwrap();
    assert_eq!(p.warning_count(), 1);
    let title = crate::tui::panel::grid_title(p);
    assert!(title.contains("⚠ 1 warning"), "{title}");
    // Counted before the flags, so that it is on screen at 80 columns.
    assert!(title.find("warning") < title.find("flagged"), "{title}");
    let details = details_text(&app);
    assert!(details.contains("review.m2.sheet.toml:7:9"), "{details}");
    assert!(details.contains("read as blank"), "{details}");
}

#[test]
fn the_panel_views_disagreement_analysis_is_worked_out_off_the_key_path() {
    let (_dir, review, paths) = panel_dir();
    let mut app = panel_app(&review, &paths);
    // Opening the panel asks for the analysis as an effect, and once only.
    let fx = super::update(&mut app, Action::Panel);
    assert_eq!(app.showing(), Showing::Panel);
    let job = fx.iter().find_map(|e| match e {
        Effect::PanelDisagreement(job) => Some(job.clone()),
        _ => None,
    });
    let job = job.expect("the analysis is asked for");
    assert!(
        details_text(&app).contains("Working it out"),
        "{}",
        details_text(&app)
    );
    let again = super::update(&mut app, Action::Down);
    assert!(
        !again
            .iter()
            .any(|e| matches!(e, Effect::PanelDisagreement(_))),
        "not asked for twice: {again:?}"
    );
    // Its result, once in, is in the details: statements and the table.
    let fx = finish(&mut app, job.clone().done());
    assert!(
        fx.iter()
            .all(|e| !matches!(e, Effect::PanelDisagreement(_)))
    );
    let details = details_text(&app);
    assert!(
        details.contains("How sure is the ranking, given how much the members disagree?"),
        "{details}"
    );
    let d = app
        .panel()
        .unwrap()
        .disagreement()
        .unwrap()
        .as_ref()
        .unwrap()
        .clone();
    let a = &merged(&app).consensus;
    let leader = merged(&app).results.rank_order()[0];
    for s in crate::sensitivity::disagreement::statements(a, &d, leader) {
        assert!(details.contains(&s.text), "{} in\n{details}", s.text);
    }
    assert!(details.contains("Chance of each rank (%)"), "{details}");
    let first = crate::numbers::probability_figure(d.first_share(leader));
    let leader_name = app.doc.appraisal().options()[leader].name();
    let row = details
        .lines()
        .skip_while(|l| !l.starts_with("Chance of each rank"))
        .find(|l| l.starts_with(leader_name))
        .unwrap_or_else(|| panic!("{leader_name}'s row in\n{details}"));
    assert!(row.contains(&first), "{row}");
    assert_eq!(d.config.samples, 5_000);
    // A change of weight is a new merge: the analysis is asked for again, and
    // an answer for the old merge is dropped.
    let old = job;
    update(&mut app, Action::Panel);
    update(&mut app, Action::EditWeight);
    type_text(&mut app, "3");
    let fx = super::update(&mut app, Action::Input(Input::Enter));
    let _ = fx;
    let fx = super::update(&mut app, Action::Panel);
    assert!(
        fx.iter().any(|e| matches!(e, Effect::PanelDisagreement(_))),
        "{fx:?}"
    );
    finish(&mut app, old.done());
    assert!(
        app.panel().unwrap().disagreement().is_none(),
        "stale result dropped"
    );
}
