//! The guided start's states and effects, driven by actions.

use std::path::{Path, PathBuf};

use super::*;
use crate::tui::action::{Action, Input};

fn start() -> Start {
    Start::new(Path::new("review.toml"), false)
}

fn typed(s: &mut Start, text: &str) {
    for c in text.chars() {
        assert!(update(s, Action::Input(Input::Char(c))).is_empty());
    }
}

fn key(s: &mut Start, i: Input) -> Vec<StartEffect> {
    update(s, Action::Input(i))
}

/// Types each name and Enter, then Enter on the empty line.
fn list(s: &mut Start, names: &[&str]) {
    for n in names {
        typed(s, n);
        key(s, Input::Enter);
    }
    key(s, Input::Enter);
}

#[test]
fn the_defaults_alone_make_a_file_once_the_lists_are_typed() {
    let mut s = start();
    assert_eq!(s.step, Step::Title);
    key(&mut s, Input::Enter);
    assert_eq!(s.step, Step::Scale);
    key(&mut s, Input::Enter);
    assert_eq!(s.step, Step::Wording);
    assert_eq!(s.wording.len(), 6);
    assert_eq!(
        s.wording[3].1.text(),
        "Meets it adequately, with some concerns"
    );
    key(&mut s, Input::Enter);
    assert_eq!(s.step, Step::Groups);
    key(&mut s, Input::Enter);
    assert_eq!(s.step, Step::Criteria);
    // An empty list does not go on, and says why.
    key(&mut s, Input::Enter);
    assert_eq!(s.step, Step::Criteria);
    assert!(
        s.note
            .as_ref()
            .is_some_and(|n| n.error && n.text.contains("at least one criterion"))
    );
    list(&mut s, &["Cost", "Access"]);
    assert_eq!(s.step, Step::Options);
    list(&mut s, &["Keep", "Trust"]);
    assert_eq!(s.step, Step::Review);
    let fx = key(&mut s, Input::Enter);
    let [
        StartEffect::Write {
            path,
            plan,
            replace,
        },
    ] = fx.as_slice()
    else {
        panic!("{fx:?}");
    };
    assert_eq!(path, &PathBuf::from("review.toml"));
    assert!(!replace);
    assert_eq!(plan.title, "New appraisal");
    assert_eq!(plan.scale, (0.0, 5.0, 1.0));
    assert_eq!(plan.labels.len(), 6);
    assert_eq!(plan.criteria, ["Cost", "Access"]);
    assert_eq!(plan.options, ["Keep", "Trust"]);
    assert!(plan.groups.is_empty());
    crate::skeleton::skeleton(plan).unwrap();
}

#[test]
fn esc_goes_back_a_step_keeping_what_was_typed() {
    let mut s = start();
    typed(&mut s, "Library review");
    key(&mut s, Input::Enter);
    // The scale: 1 to 3.
    typed(&mut s, "1");
    key(&mut s, Input::Tab);
    typed(&mut s, "3");
    key(&mut s, Input::Enter);
    assert_eq!(s.step, Step::Wording);
    let points: Vec<f64> = s.wording.iter().map(|(p, _)| *p).collect();
    assert_eq!(points, [1.0, 2.0, 3.0]);
    // Typed wording for 2 survives going back to the scale and forward again.
    key(&mut s, Input::Down);
    typed(&mut s, "Adequate");
    key(&mut s, Input::Esc);
    assert_eq!(s.step, Step::Scale);
    assert_eq!(s.scale[1].text(), "3");
    key(&mut s, Input::Esc);
    assert_eq!(s.step, Step::Title);
    assert_eq!(s.title.text(), "Library review");
    key(&mut s, Input::Enter);
    key(&mut s, Input::Enter);
    assert_eq!(s.wording[1].1.text(), "Adequate");
    // On the first step, Esc asks before leaving; n stays.
    for _ in 0..2 {
        key(&mut s, Input::Esc);
    }
    key(&mut s, Input::Esc);
    assert_eq!(s.question, Some(StartQuestion::Leave));
    key(&mut s, Input::Char('n'));
    assert_eq!(s.question, None);
    assert!(!s.left);
    update(&mut s, Action::Quit);
    key(&mut s, Input::Char('y'));
    assert!(s.left);
}

#[test]
fn an_untouched_start_leaves_without_asking() {
    let mut s = start();
    update(&mut s, Action::Quit);
    assert!(s.left);
    assert_eq!(s.question, None);
}

#[test]
fn a_scale_that_is_not_one_is_refused_on_its_step() {
    let mut s = start();
    key(&mut s, Input::Enter);
    key(&mut s, Input::Tab);
    typed(&mut s, "ten");
    key(&mut s, Input::Enter);
    assert_eq!(s.step, Step::Scale);
    let note = s.note.clone().unwrap();
    assert!(
        note.error && note.text.contains("'ten' is not a number"),
        "{note:?}"
    );
    // Backspace clears, a real number goes on.
    for _ in 0..3 {
        key(&mut s, Input::Backspace);
    }
    typed(&mut s, "10");
    key(&mut s, Input::Enter);
    assert_eq!(s.step, Step::Wording);
    // Eleven points are each asked about; the ends have standard words.
    assert_eq!(s.wording.len(), 11);
    assert_eq!(s.wording[0].1.text(), "Does not meet the criterion");
    assert_eq!(s.wording[5].1.text(), "");
}

#[test]
fn names_can_be_edited_moved_and_removed() {
    let mut s = start();
    for _ in 0..4 {
        key(&mut s, Input::Enter);
    }
    assert_eq!(s.step, Step::Criteria);
    for n in ["Cost", "Acess", "Risk"] {
        typed(&mut s, n);
        key(&mut s, Input::Enter);
    }
    // Back up to the typo and mend it.
    key(&mut s, Input::Up);
    key(&mut s, Input::Up);
    key(&mut s, Input::Home);
    key(&mut s, Input::Right);
    typed(&mut s, "c");
    // Move it to the top, remove Risk.
    key(&mut s, Input::MoveUp);
    key(&mut s, Input::Down);
    key(&mut s, Input::Down);
    key(&mut s, Input::Remove);
    let names: Vec<String> = s.criteria.names().into_iter().map(|(n, _)| n).collect();
    assert_eq!(names, ["Access", "Cost"]);
    // A name typed twice is refused, with the line shown.
    typed(&mut s, "cost");
    key(&mut s, Input::Enter);
    key(&mut s, Input::Enter);
    assert_eq!(s.step, Step::Criteria);
    assert!(s.note.as_ref().unwrap().text.contains("on lines 2 and 3"));
    assert_eq!(s.criteria.at, 2);
    key(&mut s, Input::Remove);
    key(&mut s, Input::Enter);
    assert_eq!(s.step, Step::Options);
}

#[test]
fn criteria_are_put_in_groups_and_a_group_without_any_is_refused() {
    let mut s = start();
    for _ in 0..3 {
        key(&mut s, Input::Enter);
    }
    list(&mut s, &["Quality", "Cost"]);
    assert_eq!(s.step, Step::Criteria);
    typed(&mut s, "Method");
    // Tab to the group, choose Quality.
    key(&mut s, Input::Tab);
    assert_eq!(s.key_mode(), KeyMode::StartGroup);
    key(&mut s, Input::Right);
    key(&mut s, Input::Enter);
    // The next line starts in the same group.
    typed(&mut s, "Staffing");
    key(&mut s, Input::Enter);
    key(&mut s, Input::Enter);
    assert_eq!(s.step, Step::Criteria);
    assert!(
        s.note
            .as_ref()
            .unwrap()
            .text
            .contains("\"Cost\" has no criteria")
    );
    typed(&mut s, "Price");
    key(&mut s, Input::Tab);
    key(&mut s, Input::Char('2'));
    key(&mut s, Input::Enter);
    key(&mut s, Input::Enter);
    assert_eq!(s.step, Step::Options);
    let plan = s.plan();
    let Err((Step::Options, _)) = plan else {
        panic!("{plan:?}");
    };
    list(&mut s, &["A", "B"]);
    let plan = s.plan().unwrap();
    assert_eq!(plan.groups, ["Quality", "Cost"]);
    assert_eq!(plan.criterion_groups, [Some(0), Some(0), Some(1)]);
    // Removing a group takes its criteria out of it and renumbers the rest.
    for _ in 0..3 {
        key(&mut s, Input::Esc);
    }
    assert_eq!(s.step, Step::Groups);
    key(&mut s, Input::Up);
    key(&mut s, Input::Up);
    key(&mut s, Input::Remove);
    let plan = s.plan().unwrap();
    assert_eq!(plan.groups, ["Cost"]);
    assert_eq!(plan.criterion_groups, [None, None, Some(0)]);
}

#[test]
fn a_paste_of_many_lines_makes_a_line_each() {
    let mut s = start();
    for _ in 0..5 {
        key(&mut s, Input::Enter);
    }
    assert_eq!(s.step, Step::Criteria);
    update(
        &mut s,
        Action::Paste("Cost\n\nAccess for residents\r\n Risk \n".into()),
    );
    let names: Vec<String> = s.criteria.names().into_iter().map(|(n, _)| n).collect();
    assert_eq!(names, ["Cost", "Access for residents", "Risk"]);
    // In a one-line field a paste is one line.
    let mut t = start();
    update(&mut t, Action::Paste("Library\nreview".into()));
    assert_eq!(t.title.text(), "Library review");
}

#[test]
fn an_existing_file_is_replaced_only_when_asked() {
    let mut s = Start::new(Path::new("review.toml"), true);
    assert!(s.note.as_ref().unwrap().text.contains("already exists"));
    s.step = Step::Review;
    s.criteria = List::of(&["Cost"]);
    s.options = List::of(&["Keep"]);
    let fx = key(&mut s, Input::Enter);
    assert!(matches!(
        fx.as_slice(),
        [StartEffect::Write { replace: false, .. }]
    ));
    s.finished(
        Path::new("review.toml"),
        Err(crate::skeleton::SkeletonError::Exists {
            path: "review.toml".into(),
        }),
    );
    assert_eq!(s.question, Some(StartQuestion::Replace));
    assert_eq!(s.written, None);
    // n: keep it, and type another name.
    key(&mut s, Input::Char('n'));
    assert_eq!(s.question, None);
    assert!(s.written.is_none());
    key(&mut s, Input::Enter);
    s.finished(
        Path::new("review.toml"),
        Err(crate::skeleton::SkeletonError::Exists {
            path: "review.toml".into(),
        }),
    );
    let fx = key(&mut s, Input::Char('y'));
    assert!(matches!(
        fx.as_slice(),
        [StartEffect::Write { replace: true, .. }]
    ));
    s.finished(Path::new("review.toml"), Ok(String::new()));
    assert_eq!(s.written, Some(PathBuf::from("review.toml")));
}

#[test]
fn keys_come_from_the_table_in_each_mode() {
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    let k = |code, m| KeyEvent::new(code, m);
    let none = KeyModifiers::NONE;
    let s = start();
    let mode = s.key_mode();
    assert_eq!(mode, KeyMode::StartField);
    let act = |c, m| super::super::keymap::start_action(mode, k(c, m));
    assert_eq!(
        act(KeyCode::Char('q'), none),
        Some(Action::Input(Input::Char('q')))
    );
    assert_eq!(
        act(KeyCode::Char('?'), none),
        Some(Action::Input(Input::Char('?')))
    );
    assert_eq!(act(KeyCode::F(1), none), Some(Action::Help));
    assert_eq!(
        act(KeyCode::Char('c'), KeyModifiers::CONTROL),
        Some(Action::Quit)
    );
    assert_eq!(
        act(KeyCode::Char('d'), KeyModifiers::CONTROL),
        Some(Action::Input(Input::Remove))
    );
    assert_eq!(act(KeyCode::Esc, none), Some(Action::Input(Input::Esc)));
    assert_eq!(
        act(KeyCode::Up, KeyModifiers::SHIFT),
        Some(Action::Input(Input::MoveUp))
    );
    assert_eq!(act(KeyCode::F(5), none), Some(Action::Unbound("F5".into())));
    // Every hint shown is a key of the table at this place.
    // On the first step Esc leaves, so it is not offered as "back"; there
    // is one field, so no key moves between fields.
    let words: Vec<&str> = s.hints().into_iter().map(|(_, w)| w).collect();
    assert_eq!(words, ["next step", "leave", "help"]);
    let mut s = s;
    update(&mut s, Action::Input(Input::Enter));
    let words: Vec<&str> = s.hints().into_iter().map(|(_, w)| w).collect();
    assert_eq!(words[..3], ["next step", "back", "field"]);
}
