//! The scoring screen on version-2 appraisals: the commented example of
//! docs/format.md ("Version 2", "A commented example") and the second
//! bundled appraisal, rendered at 80x24 after key presses through the real
//! keymap; the effects `update` asks for; and a save that changes only the
//! edited value.

mod common;

use std::path::{Path, PathBuf};

use appraise::tui::effect::Effect;
use appraise::tui::{Action, App, key_to_action};
use common::screen::{screen, update};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// The commented version-2 example, taken from the docs it is written in.
fn docs_example() -> String {
    let docs =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/format.md"))
            .unwrap();
    let section = docs
        .split("### A commented example")
        .nth(1)
        .expect("the version-2 section has a commented example");
    let start = section.find("```toml\n").unwrap() + "```toml\n".len();
    let end = section[start..].find("```").unwrap() + start;
    section[start..end].to_owned()
}

fn bundled_v2() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("appraisals/social-security-uprating-2024.toml")
}

/// Opens `text` written to a file in `dir`, at 80x24.
fn open(dir: &Path, name: &str, text: &str) -> (App, PathBuf) {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    let mut app = App::open(&path).unwrap();
    app.view.colour = false;
    app.view.message = None;
    update(&mut app, Action::Resize(80, 24));
    (app, path)
}

fn press(app: &mut App, code: KeyCode) -> Vec<Effect> {
    let m = match code {
        KeyCode::Char(c) if c.is_ascii_uppercase() => KeyModifiers::SHIFT,
        _ => KeyModifiers::NONE,
    };
    match key_to_action(app, KeyEvent::new(code, m)) {
        Some(a) => update(app, a),
        None => Vec::new(),
    }
}

fn typed(app: &mut App, text: &str) {
    for ch in text.chars() {
        press(app, KeyCode::Char(ch));
    }
}

fn raw(app: &App, o: usize, c: usize) -> Option<f64> {
    app.doc.appraisal().options()[o].measure(c)
}

#[test]
fn docs_example_opens_with_groups_scales_and_the_long_list() {
    let dir = tempfile::tempdir().unwrap();
    let (app, _) = open(dir.path(), "waste.toml", &docs_example());
    let s = screen(&app);
    assert!(s.contains("Quality"), "{s}");
    assert!(s.contains("Screened out"), "{s}");
    assert!(s.contains("out"), "{s}");
    insta::assert_snapshot!(s);
}

#[test]
fn folding_a_group_shows_its_subtotals() {
    let dir = tempfile::tempdir().unwrap();
    let (mut app, _) = open(dir.path(), "waste.toml", &docs_example());
    // Method statement is in Service delivery, inside Quality: o folds
    // Service delivery, and o again all of Quality.
    press(&mut app, KeyCode::Char('o'));
    assert!(screen(&app).contains("+Service"), "{}", screen(&app));
    press(&mut app, KeyCode::Char('o'));
    let s = screen(&app);
    assert!(s.contains("+Quality"), "{s}");
    // The in-house bid's Quality subtotal, as the file publishes it.
    assert!(s.contains("37.8"), "{s}");
    insta::assert_snapshot!(s);
    // A score typed on the folded column changes nothing and says why.
    let before = app.doc.appraisal().clone();
    press(&mut app, KeyCode::Char('4'));
    assert_eq!(*app.doc.appraisal(), before);
    assert!(screen(&app).contains("subtotal"));
    // o again unfolds it.
    press(&mut app, KeyCode::Char('o'));
    assert!(app.view.folded.is_empty());
    assert!(!screen(&app).contains("+Quality"));
}

#[test]
fn a_raw_value_gives_its_score_and_says_how() {
    let dir = tempfile::tempdir().unwrap();
    let (mut app, _) = open(dir.path(), "waste.toml", &docs_example());
    // Mobilisation time, the second column: 1 month now, type 5.
    press(&mut app, KeyCode::Right);
    let fx = press(&mut app, KeyCode::Char('5'));
    assert!(
        !fx.iter().any(|e| matches!(e, Effect::KeepRecovery)),
        "opening the box changes nothing yet"
    );
    let s = screen(&app);
    assert!(s.contains("Raw value (months)"), "{s}");
    let fx = press(&mut app, KeyCode::Enter);
    assert!(fx.iter().any(|e| matches!(e, Effect::KeepRecovery)));
    assert_eq!(raw(&app, 0, 1), Some(5.0));
    // The band "up to 6" scores 3 of 5.
    assert_eq!(app.doc.appraisal().options()[0].score(1), Some(3.0));
    let s = screen(&app);
    assert!(s.contains("5 months → score 3 of 5"), "{s}");
    insta::assert_snapshot!(s);
    // Undo puts the raw value back.
    press(&mut app, KeyCode::Char('u'));
    assert_eq!(raw(&app, 0, 1), Some(1.0));
    assert_eq!(app.doc.appraisal().options()[0].score(1), Some(5.0));
    assert!(!app.doc.is_dirty());
}

#[test]
fn a_raw_value_that_is_not_a_number_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (mut app, _) = open(dir.path(), "waste.toml", &docs_example());
    // Whole-life cost, relative to the best: it must be above zero.
    for _ in 0..3 {
        press(&mut app, KeyCode::Right);
    }
    press(&mut app, KeyCode::Char('-'));
    typed(&mut app, "2");
    press(&mut app, KeyCode::Enter);
    assert_eq!(raw(&app, 0, 3), Some(10.0), "unchanged");
    assert!(screen(&app).contains("above zero"), "{}", screen(&app));
    // The box stays open with the text, to correct it.
    press(&mut app, KeyCode::Backspace);
    press(&mut app, KeyCode::Backspace);
    typed(&mut app, "£12m");
    press(&mut app, KeyCode::Enter);
    assert_eq!(raw(&app, 0, 3), Some(12.0), "the unit may be typed");
}

#[test]
fn an_off_scale_score_is_refused_with_the_criterions_own_scale() {
    let dir = tempfile::tempdir().unwrap();
    let (mut app, _) = open(dir.path(), "waste.toml", &docs_example());
    // Staffing plan is scored 1 to 3: 5 is refused, 3 is taken.
    press(&mut app, KeyCode::Right);
    press(&mut app, KeyCode::Right);
    press(&mut app, KeyCode::Char('5'));
    assert_eq!(app.doc.appraisal().options()[0].score(2), Some(2.0));
    let s = screen(&app);
    assert!(s.contains("1 to 3"), "{s}");
    assert!(s.contains("Scale 1 to 3: 1 Weak"), "{s}");
    insta::assert_snapshot!(s);
    press(&mut app, KeyCode::Char('3'));
    assert_eq!(app.doc.appraisal().options()[0].score(2), Some(3.0));
}

#[test]
fn bundled_v2_opens_with_the_long_list_apart() {
    let text = std::fs::read_to_string(bundled_v2()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let (mut app, _) = open(dir.path(), "uprating.toml", &text);
    insta::assert_snapshot!("bundled_v2_opening", screen(&app));
    // The last row is RPI, screened out, under its heading with its reason.
    press(&mut app, KeyCode::End);
    let s = screen(&app);
    assert!(s.contains("RPI"), "{s}");
    assert!(s.contains("screened out"), "{s}");
    insta::assert_snapshot!("bundled_v2_long_list", s);
    // Sorted by rank, it still comes last.
    press(&mut app, KeyCode::Char('s'));
    assert_eq!(app.display_order().last(), Some(&8));
}

#[test]
fn bundled_v2_folds_and_takes_a_raw_value() {
    let text = std::fs::read_to_string(bundled_v2()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let (mut app, _) = open(dir.path(), "uprating.toml", &text);
    // Fold the four scored criteria into their subtotal, then go to the
    // measured real-value column and type a raw value.
    press(&mut app, KeyCode::Char('o'));
    press(&mut app, KeyCode::Right);
    typed(&mut app, "1.5");
    press(&mut app, KeyCode::Enter);
    assert_eq!(raw(&app, 0, 4), Some(1.5));
    insta::assert_snapshot!(screen(&app));
}

#[test]
fn members_cannot_set_measured_values() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("waste.toml");
    std::fs::write(&path, docs_example()).unwrap();
    let mut app = App::open_member(&path, "Cllr A. Clark", None).unwrap();
    update(&mut app, Action::Resize(80, 24));
    press(&mut app, KeyCode::Right);
    press(&mut app, KeyCode::Char('4'));
    assert!(matches!(app.view.mode, appraise::tui::app::Mode::Normal));
    let m = app.view.message.clone().unwrap();
    assert!(m.text.contains("measured"), "{}", m.text);
    assert!(m.text.contains("read-only"), "{}", m.text);
    // A judged criterion is scored on its own scale as usual.
    press(&mut app, KeyCode::Right);
    press(&mut app, KeyCode::Char('3'));
    assert_eq!(app.doc.appraisal().options()[0].score(2), Some(3.0));
}

#[test]
fn saving_a_raw_value_changes_only_that_value() {
    let text = docs_example();
    let dir = tempfile::tempdir().unwrap();
    let (mut app, path) = open(dir.path(), "waste.toml", &text);
    press(&mut app, KeyCode::Right);
    typed(&mut app, "4");
    press(&mut app, KeyCode::Enter);
    let fx = update(&mut app, Action::Save);
    assert!(fx.iter().any(|e| matches!(e, Effect::Save { .. })));
    let saved = std::fs::read_to_string(&path).unwrap();
    let want = text.replace(
        "measures = { mobilisation = 1, cost = 10 }",
        "measures = { mobilisation = 4, cost = 10 }",
    );
    assert_ne!(want, text);
    assert_eq!(saved, want);
    assert!(!app.doc.is_dirty());
}

/// The real binary in a pseudo-terminal: a raw value typed into a measured
/// cell is saved under the option's `measures`, and nothing else changes.
#[cfg(unix)]
#[test]
fn a_raw_value_typed_in_a_real_terminal_is_saved() {
    let text = docs_example();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("waste.toml");
    std::fs::write(&path, &text).unwrap();
    let mut s = common::pty::Session::start(&["tui", "waste.toml"], dir.path());
    s.wait_for("Screened out");
    // Right to Mobilisation time, type 7 months.
    s.keys(b"\x1b[C");
    s.keys(b"7");
    s.wait_for("Raw value (months)");
    s.keys(b"\r");
    s.wait_for("score 0 of 5");
    s.keys(b"\x13");
    s.wait_for("Saved to");
    s.keys(b"q");
    assert!(s.wait_exit(), "exits successfully");
    let saved = std::fs::read_to_string(&path).unwrap();
    assert_eq!(
        saved,
        text.replace(
            "measures = { mobilisation = 1, cost = 10 }",
            "measures = { mobilisation = 7, cost = 10 }",
        )
    );
}
