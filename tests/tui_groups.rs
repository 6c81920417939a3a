//! Criteria groups two levels deep on the scoring screen (the commented
//! example of docs/format.md: Quality holds Service delivery and Staffing
//! and social value): folding and unfolding, the subtotals a folded column
//! shows, and the live view's weight table with a subtotal for each group.

mod common;

use std::path::Path;

use appraise::tui::{Action, App, key_to_action};
use common::screen::{screen, update};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

fn docs_example() -> String {
    let docs =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/format.md"))
            .unwrap();
    let section = docs.split("### A commented example").nth(1).unwrap();
    let start = section.find("```toml\n").unwrap() + "```toml\n".len();
    let end = section[start..].find("```").unwrap() + start;
    section[start..end].to_owned()
}

fn open(dir: &Path, w: u16, h: u16) -> App {
    let path = dir.join("waste.toml");
    std::fs::write(&path, docs_example()).unwrap();
    let mut app = App::open(&path).unwrap();
    app.view.colour = false;
    app.view.message = None;
    update(&mut app, Action::Resize(w, h));
    app
}

fn press(app: &mut App, code: KeyCode) {
    let m = match code {
        KeyCode::Char(c) if c.is_ascii_uppercase() => KeyModifiers::SHIFT,
        _ => KeyModifiers::NONE,
    };
    if let Some(a) = key_to_action(app, KeyEvent::new(code, m)) {
        update(app, a);
    }
}

fn group(app: &App, id: &str) -> usize {
    app.doc
        .appraisal()
        .groups()
        .iter()
        .position(|g| g.id().as_str() == id)
        .unwrap()
}

#[test]
fn a_group_of_groups_folds_into_its_subtotal_and_unfolds_whole() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = open(dir.path(), 80, 24);
    let (quality, delivery, people, price) = (
        group(&app, "quality"),
        group(&app, "delivery"),
        group(&app, "people"),
        group(&app, "price"),
    );
    // The folded column's figure is the sum of its two groups' subtotals.
    let r = &app.doc.results().options[0];
    assert!((r.subtotals[quality] - r.subtotals[delivery] - r.subtotals[people]).abs() < 1e-9);
    assert_eq!(app.columns().len(), 4);

    // o on Staffing plan (in Staffing and social value, inside Quality)
    // folds its own group alone; o again folds the group around it, all
    // of Quality: its three criteria become one column.
    press(&mut app, KeyCode::Right);
    press(&mut app, KeyCode::Right);
    press(&mut app, KeyCode::Char('o'));
    assert_eq!(app.view.folded, vec![people]);
    assert_eq!(app.columns().len(), 4);
    let s = screen(&app);
    assert!(s.contains("+Staffing"), "{s}");
    assert!(s.contains("o folds the group around it"), "{s}");
    press(&mut app, KeyCode::Char('o'));
    assert_eq!(app.view.folded, vec![quality]);
    assert_eq!(app.columns().len(), 2);
    let s = screen(&app);
    assert!(s.contains("+Quality"), "{s}");
    assert!(s.contains("37.8"), "{s}");
    assert!(s.contains("subtotal 37.8 of 60 over 3"), "{s}");
    // Right from the folded column goes to Price's criterion, and back.
    press(&mut app, KeyCode::Right);
    assert_eq!(app.view.criterion, 3);
    assert!(app.selected_fold().is_none());
    press(&mut app, KeyCode::Left);
    assert_eq!(app.selected_fold(), Some(quality));
    // o on the folded column unfolds it, sub-groups and all.
    press(&mut app, KeyCode::Char('o'));
    assert!(app.view.folded.is_empty());
    assert_eq!(app.columns().len(), 4);

    // O folds every top-level group; each column is its subtotal.
    press(&mut app, KeyCode::Char('O'));
    assert_eq!(app.view.folded, vec![quality, price]);
    assert_eq!(app.columns().len(), 2);
    let s = screen(&app);
    assert!(s.contains("+Quality") && s.contains("+Price"), "{s}");
    press(&mut app, KeyCode::Char('O'));
    assert!(app.view.folded.is_empty());
    assert!(!screen(&app).contains("+Quality"));
}

#[test]
fn the_live_weight_table_shows_each_groups_share() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = open(dir.path(), 200, 60);
    press(&mut app, KeyCode::Char('v'));
    // Scroll the live view down through its weight table, keeping every
    // line seen on the way.
    press(&mut app, KeyCode::Tab);
    let mut seen = String::new();
    for _ in 0..40 {
        seen.push_str(&screen(&app));
        press(&mut app, KeyCode::Down);
    }
    let s = screen(&app);
    let rows: Vec<&str> = seen
        .lines()
        .filter(|l| {
            [
                "Quality",
                "Service delivery",
                "Staffing and social",
                "Price",
            ]
            .iter()
            .any(|g| l.contains(g))
                && l.contains('%')
        })
        .collect();
    let joined = rows.join("\n");
    // Each group with its weight as written and its share of the total:
    // Quality 60 (60%), its two halves 30% each, Price 40.
    for (name, weight, share) in [
        ("Quality", "60", "60.0%"),
        ("Service delivery", "50", "30.0%"),
        ("Staffing and social value", "50", "30.0%"),
        ("Price", "40", "40.0%"),
    ] {
        assert!(
            rows.iter().any(|l| {
                let words: Vec<&str> = l.split_whitespace().collect();
                l.contains(name) && words.contains(&weight) && words.contains(&share)
            }),
            "{name} {weight} {share} in:\n{joined}\n\n{s}"
        );
    }
}
