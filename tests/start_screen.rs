//! The guided start of `appraise new`: each step drawn at 80 x 24 after
//! keys through the real key table, and, whatever is typed, a file that
//! loads with exactly what was typed.

use std::path::Path;

use appraise::tui::Action;
use appraise::tui::action::Input;
use appraise::tui::keymap::start_action;
use appraise::tui::start::{Start, StartEffect, Step, update, view};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use proptest::prelude::*;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

fn screen(s: &Start) -> String {
    let mut t = Terminal::new(TestBackend::new(s.size.0, s.size.1)).unwrap();
    t.draw(|f| view::draw(f, s)).unwrap();
    let buf = t.backend().buffer().clone();
    let w = buf.area.width as usize;
    let mut out = String::new();
    for row in buf.content.chunks(w) {
        let line: String = row.iter().map(|c| c.symbol()).collect();
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

fn press_mod(s: &mut Start, code: KeyCode, m: KeyModifiers) -> Vec<StartEffect> {
    match start_action(s.key_mode(), KeyEvent::new(code, m)) {
        Some(a) => update(s, a),
        None => Vec::new(),
    }
}

fn press(s: &mut Start, code: KeyCode) -> Vec<StartEffect> {
    press_mod(s, code, KeyModifiers::NONE)
}

fn typed(s: &mut Start, text: &str) {
    for c in text.chars() {
        press(s, KeyCode::Char(c));
    }
}

fn at_80x24(existed: bool) -> Start {
    let mut s = Start::new(Path::new("review.toml"), existed);
    update(&mut s, Action::Resize(80, 24));
    s
}

/// Walks to `step` the way a person would, typing a small appraisal.
fn walk_to(step: Step) -> Start {
    let mut s = at_80x24(false);
    let steps = [
        (Step::Title, "Options for the library service\r"),
        (Step::Scale, "\r"),
        (Step::Wording, "\r"),
        (Step::Groups, "Quality\rCost\r\r"),
        (
            Step::Criteria,
            "Service quality\t→\rAccess for residents\rFive-year cost\t2\r\r",
        ),
        (
            Step::Options,
            "Keep in house\rCharitable trust\rShared service\r\r",
        ),
    ];
    for (at, keys) in steps {
        if s.step == step {
            break;
        }
        assert_eq!(s.step, at, "{}", screen(&s));
        for c in keys.chars() {
            match c {
                '\r' => press(&mut s, KeyCode::Enter),
                '\t' => press(&mut s, KeyCode::Tab),
                '→' => press(&mut s, KeyCode::Right),
                c => press(&mut s, KeyCode::Char(c)),
            };
        }
    }
    assert_eq!(s.step, step, "{}", screen(&s));
    s
}

#[test]
fn step_1_title_80x24() {
    insta::assert_snapshot!(screen(&at_80x24(false)));
}

#[test]
fn step_1_title_when_the_file_exists_80x24() {
    insta::assert_snapshot!(screen(&at_80x24(true)));
}

#[test]
fn step_2_scale_80x24() {
    let mut s = walk_to(Step::Scale);
    press(&mut s, KeyCode::Tab);
    typed(&mut s, "ten");
    press(&mut s, KeyCode::Enter);
    insta::assert_snapshot!(screen(&s));
}

#[test]
fn step_3_wording_80x24() {
    insta::assert_snapshot!(screen(&walk_to(Step::Wording)));
}

#[test]
fn step_4_groups_80x24() {
    let mut s = walk_to(Step::Groups);
    typed(&mut s, "Quality");
    press(&mut s, KeyCode::Enter);
    insta::assert_snapshot!(screen(&s));
}

#[test]
fn step_5_criteria_with_groups_80x24() {
    let mut s = walk_to(Step::Criteria);
    typed(&mut s, "Service quality");
    press(&mut s, KeyCode::Tab);
    press(&mut s, KeyCode::Right);
    insta::assert_snapshot!(screen(&s));
}

#[test]
fn step_6_options_80x24() {
    let mut s = walk_to(Step::Options);
    typed(&mut s, "Keep in house");
    press(&mut s, KeyCode::Enter);
    typed(&mut s, "Keep in house");
    press(&mut s, KeyCode::Enter);
    press(&mut s, KeyCode::Enter);
    insta::assert_snapshot!(screen(&s));
}

#[test]
fn step_7_write_80x24() {
    insta::assert_snapshot!(screen(&walk_to(Step::Review)));
}

#[test]
fn leaving_asks_first_80x24() {
    let mut s = walk_to(Step::Scale);
    press_mod(&mut s, KeyCode::Char('c'), KeyModifiers::CONTROL);
    insta::assert_snapshot!(screen(&s));
}

#[test]
fn help_80x24() {
    let mut s = walk_to(Step::Criteria);
    press(&mut s, KeyCode::F(1));
    insta::assert_snapshot!(screen(&s));
}

#[test]
fn the_last_step_writes_a_file_that_check_accepts() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("review.toml");
    let mut s = walk_to(Step::Review);
    s.file = appraise::tui::text::TextInput::single(&path.display().to_string());
    let fx = press(&mut s, KeyCode::Enter);
    appraise::tui::start::run::perform(&mut s, fx);
    assert_eq!(s.written.as_deref(), Some(path.as_path()));
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.starts_with("version = 2\n"), "{text}");
    assert!(
        text.contains("# description = \"What the group covers.\""),
        "{text}"
    );
    appraise::load_path(&path).expect("loads");
    // Written again, the file is there: asked, not replaced.
    let mut again = walk_to(Step::Review);
    again.file = s.file.clone();
    let fx = press(&mut again, KeyCode::Enter);
    appraise::tui::start::run::perform(&mut again, fx);
    assert!(again.written.is_none());
    assert!(screen(&again).contains("keep it and choose another name"));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), text);
}

/// A name as a person might type it: letters (some accented), digits,
/// spaces and punctuation, with no space at either end.
fn name() -> impl Strategy<Value = String> {
    "[A-Za-zÀ-ÖØ-öø-ÿ0-9][A-Za-zÀ-ÖØ-öø-ÿ0-9 '&,.()/-]{0,24}[A-Za-z0-9)]?"
        .prop_map(|s| s.trim().to_owned())
        .prop_filter("a name", |s| !s.is_empty())
}

/// Names, none the same as another whatever their case.
fn names(max: usize) -> impl Strategy<Value = Vec<String>> {
    prop::collection::vec(name(), 1..max).prop_map(|v| {
        let mut seen = std::collections::HashSet::new();
        v.into_iter()
            .filter(|n| seen.insert(n.to_lowercase()))
            .collect()
    })
}

fn key(s: &mut Start, i: Input) {
    let fx = update(s, Action::Input(i));
    assert!(fx.is_empty(), "{fx:?}");
}

fn type_in(s: &mut Start, text: &str) {
    for c in text.chars() {
        key(s, Input::Char(c));
    }
}

/// Replaces a field's text: selects nothing, clears it, types.
fn retype(s: &mut Start, text: &str) {
    key(s, Input::End);
    for _ in 0..64 {
        key(s, Input::Backspace);
    }
    type_in(s, text);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Whatever is typed, the file written loads with exactly those names,
    /// that scale and its wording, those groups and each criterion's group.
    #[test]
    fn what_is_typed_is_what_the_file_holds(
        title in name(),
        (lo, points, half) in (0i32..3, 2usize..12, any::<bool>()),
        words in prop::collection::vec(prop::option::of(name()), 12),
        groups in prop::option::of(names(4)),
        criteria in names(8),
        choice in prop::collection::vec(any::<u8>(), 8),
        options in names(6),
    ) {
        let step = if half { 0.5 } else { 1.0 };
        let hi = f64::from(lo) + step * (points as f64 - 1.0);
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("new.toml");
        let mut s = Start::new(&path, false);
        retype(&mut s, &title);
        key(&mut s, Input::Enter);
        prop_assert_eq!(s.step, Step::Scale);
        for (k, v) in [f64::from(lo), hi, step].into_iter().enumerate() {
            if k > 0 {
                key(&mut s, Input::Tab);
            }
            retype(&mut s, &v.to_string());
        }
        key(&mut s, Input::Enter);
        prop_assert_eq!(s.step, Step::Wording);
        // Each point asked about: typed wording, or none (cleared).
        let asked: Vec<f64> = s.wording.iter().map(|(p, _)| *p).collect();
        let mut labels = Vec::new();
        for (k, p) in asked.iter().enumerate() {
            if k > 0 {
                key(&mut s, Input::Down);
            }
            let w = words[k].clone().unwrap_or_default();
            retype(&mut s, &w);
            if !w.is_empty() {
                labels.push((*p, w));
            }
        }
        key(&mut s, Input::Enter);
        prop_assert_eq!(s.step, Step::Groups);
        let groups = groups.unwrap_or_default();
        for g in &groups {
            type_in(&mut s, g);
            key(&mut s, Input::Enter);
        }
        key(&mut s, Input::Enter);
        prop_assert_eq!(s.step, Step::Criteria);
        // Each criterion's group: none, or one of the groups; every group
        // gets at least its own criterion so that none is empty.
        let mut in_group: Vec<Option<usize>> = criteria
            .iter()
            .zip(&choice)
            .map(|(_, c)| (!groups.is_empty() && c % 3 != 0).then(|| usize::from(*c) % groups.len().max(1)))
            .collect();
        let mut criteria = criteria.clone();
        for g in 0..groups.len() {
            if !in_group.contains(&Some(g)) {
                criteria.push(format!("Criterion for group {g}"));
                in_group.push(Some(g));
            }
        }
        for (c, g) in criteria.iter().zip(&in_group) {
            type_in(&mut s, c);
            if !groups.is_empty() {
                key(&mut s, Input::Tab);
                // Back to no group, then forward to the one wanted.
                while s.criteria.rows[s.criteria.at].group.is_some() {
                    key(&mut s, Input::Right);
                }
                for _ in 0..g.map_or(0, |g| g + 1) {
                    key(&mut s, Input::Right);
                }
            }
            key(&mut s, Input::Enter);
        }
        key(&mut s, Input::Enter);
        prop_assert_eq!(s.step, Step::Options, "{:?}", s.note);
        for o in &options {
            type_in(&mut s, o);
            key(&mut s, Input::Enter);
        }
        key(&mut s, Input::Enter);
        prop_assert_eq!(s.step, Step::Review, "{:?}", s.note);
        let fx = update(&mut s, Action::Input(Input::Enter));
        appraise::tui::start::run::perform(&mut s, fx);
        prop_assert_eq!(s.written.as_deref(), Some(path.as_path()), "{:?}", s.note);

        let loaded = appraise::load_path(&path).map_err(|e| TestCaseError::fail(e.render(false)))?;
        let a = &loaded.appraisal;
        prop_assert_eq!(&a.meta.title, &title);
        prop_assert_eq!((a.scale().min(), a.scale().max(), a.scale().step()), (f64::from(lo), hi, step));
        prop_assert_eq!(a.scale().labels(), labels.as_slice());
        let got: Vec<&str> = a.criteria().iter().map(|c| c.name()).collect();
        prop_assert_eq!(got, criteria.iter().map(String::as_str).collect::<Vec<_>>());
        let got: Vec<&str> = a.options().iter().map(|o| o.name()).collect();
        prop_assert_eq!(got, options.iter().map(String::as_str).collect::<Vec<_>>());
        let got: Vec<&str> = a.groups().iter().map(|g| g.name()).collect();
        prop_assert_eq!(got, groups.iter().map(String::as_str).collect::<Vec<_>>());
        let got: Vec<Option<usize>> = a.criteria().iter().map(|c| c.group()).collect();
        let want: Vec<Option<usize>> = if groups.is_empty() { vec![None; criteria.len()] } else { in_group };
        prop_assert_eq!(got, want);
        // Equal weights: every criterion counts the same.
        let eff = a.effective_weights();
        prop_assert!(eff.iter().all(|w| (w - eff[0]).abs() < 1e-9), "{:?}", eff);
        prop_assert!(a.options().iter().all(|o| o.unscored() == criteria.len()));
    }
}
