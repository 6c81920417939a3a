//! Renders of the TUI to a `TestBackend`, compared as text snapshots, after
//! simulated key presses through the real keymap.

mod common;

use appraise::tui::{Action, App, key_to_action, update};
use common::screen::{buffer, screen};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::style::Color;

fn app_at(w: u16, h: u16) -> App {
    let mut app = App::new(appraise::load_example().unwrap(), None);
    app.view.colour = true;
    update(&mut app, Action::Resize(w, h));
    app
}

fn press(app: &mut App, code: KeyCode) {
    press_mod(app, code, KeyModifiers::NONE);
}

fn press_mod(app: &mut App, code: KeyCode, m: KeyModifiers) {
    if let Some(a) = key_to_action(app, KeyEvent::new(code, m)) {
        update(app, a);
    }
}

#[test]
fn main_view_80x24() {
    let app = app_at(80, 24);
    insta::assert_snapshot!(screen(&app));
}

#[test]
fn main_view_120x40() {
    let app = app_at(120, 40);
    insta::assert_snapshot!(screen(&app));
}

#[test]
fn main_view_after_edits_80x24() {
    let mut app = app_at(80, 24);
    // Move to Shared Service / Risk, clear it, then score Joint Venture's first cell 5.
    press(&mut app, KeyCode::End);
    press(&mut app, KeyCode::Char('l'));
    press(&mut app, KeyCode::Char('x'));
    press(&mut app, KeyCode::Char('k'));
    press(&mut app, KeyCode::Char('5'));
    press(&mut app, KeyCode::Char('s'));
    insta::assert_snapshot!(screen(&app));
}

#[test]
fn details_view_80x24() {
    let mut app = app_at(80, 24);
    press(&mut app, KeyCode::Down);
    press(&mut app, KeyCode::Right);
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Down);
    press(&mut app, KeyCode::Down);
    press(&mut app, KeyCode::Down);
    insta::assert_snapshot!(screen(&app));
}

#[test]
fn details_view_120x40() {
    let mut app = app_at(120, 40);
    press(&mut app, KeyCode::Down);
    press(&mut app, KeyCode::Right);
    press(&mut app, KeyCode::Tab);
    insta::assert_snapshot!(screen(&app));
}

#[test]
fn help_view_80x24() {
    let mut app = app_at(80, 24);
    press(&mut app, KeyCode::Char('?'));
    insta::assert_snapshot!(screen(&app));
}

#[test]
fn help_view_120x40() {
    let mut app = app_at(120, 40);
    press(&mut app, KeyCode::Char('?'));
    insta::assert_snapshot!(screen(&app));
}

#[test]
fn sensitivity_view_80x24() {
    let mut app = app_at(80, 24);
    press(&mut app, KeyCode::Char('v'));
    insta::assert_snapshot!(screen(&app));
}

#[test]
fn sensitivity_view_scrolled_to_the_chart_80x24() {
    let mut app = app_at(80, 24);
    press(&mut app, KeyCode::Char('v'));
    press(&mut app, KeyCode::Tab);
    for _ in 0..10 {
        press(&mut app, KeyCode::Down);
    }
    insta::assert_snapshot!(screen(&app));
}

#[test]
fn sensitivity_view_120x40() {
    let mut app = app_at(120, 40);
    press(&mut app, KeyCode::Char('v'));
    press(&mut app, KeyCode::Char('>'));
    insta::assert_snapshot!(screen(&app));
}

#[test]
fn sensitivity_view_without_colour_marks_the_lines() {
    let mut app = app_at(120, 40);
    app.view.colour = false;
    press(&mut app, KeyCode::Char('v'));
    press(&mut app, KeyCode::Tab);
    for _ in 0..6 {
        press(&mut app, KeyCode::Down);
    }
    let text = screen(&app);
    assert!(text.contains("• Community Interest Company"), "{text}");
    assert!(text.contains("█ Shared Service"), "{text}");
}

#[test]
fn note_editor_80x24() {
    let mut app = app_at(80, 24);
    press(&mut app, KeyCode::Char('n'));
    for c in " Agreed at the panel.".chars() {
        press(&mut app, KeyCode::Char(c));
    }
    press(&mut app, KeyCode::Enter);
    for c in "Second line".chars() {
        press(&mut app, KeyCode::Char(c));
    }
    insta::assert_snapshot!(screen(&app));
}

#[test]
fn swing_assistant_80x24() {
    let mut app = app_at(80, 24);
    press(&mut app, KeyCode::Char('W'));
    press(&mut app, KeyCode::Down);
    press(&mut app, KeyCode::Char('K'));
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Backspace);
    press(&mut app, KeyCode::Backspace);
    press(&mut app, KeyCode::Backspace);
    press(&mut app, KeyCode::Char('6'));
    press(&mut app, KeyCode::Char('0'));
    insta::assert_snapshot!(screen(&app));
}

#[test]
fn quit_confirmation_80x24() {
    let mut app = app_at(80, 24);
    press(&mut app, KeyCode::Char('3'));
    press(&mut app, KeyCode::Char('q'));
    insta::assert_snapshot!(screen(&app));
}

#[test]
fn large_appraisal_scrolls_with_frozen_headers_80x24() {
    let loaded = appraise::load_str(
        "big.toml",
        &appraise::synth::appraisal_toml(appraise::synth::Spec {
            options: 1000,
            criteria: 50,
            notes: false,
            seed: 1,
        }),
    )
    .unwrap();
    let mut app = App::new(loaded, None);
    update(&mut app, Action::Resize(80, 24));
    press(&mut app, KeyCode::PageDown);
    press(&mut app, KeyCode::PageDown);
    for _ in 0..12 {
        press(&mut app, KeyCode::Right);
    }
    let text = screen(&app);
    insta::assert_snapshot!(text);
}

#[test]
fn cells_are_shaded_with_colour_and_marked_without() {
    let mut app = app_at(80, 24);
    let g = appraise::tui::view::grid_geometry(&app);
    // The first option's second cell: a 5, away from the selection.
    let x = g.inner.x + g.name_w + g.cell_w + 3;
    let y = g.inner.y + 3;
    let coloured = buffer(&app);
    assert_eq!(coloured[(x, y)].bg, Color::Green);
    app.view.colour = false;
    let plain = buffer(&app);
    assert!(
        plain
            .content
            .iter()
            .all(|c| c.bg == Color::Reset && c.fg == Color::Reset),
        "NO_COLOR: no colours at all"
    );
    // The marks are still there to read the scores by.
    let text = screen(&app);
    assert!(text.contains("5 █"));
    assert!(text.contains("1 ▂"));
}

#[test]
fn an_empty_cell_is_visibly_empty() {
    let mut app = app_at(80, 24);
    press(&mut app, KeyCode::Char('x'));
    press(&mut app, KeyCode::Down);
    let text = screen(&app);
    let row = text.lines().nth(5).unwrap();
    assert!(
        row.starts_with("  Peer Practi") && row.contains('·'),
        "{row}"
    );
    assert!(row.contains("29*"), "incomplete total is marked: {row}");
}

#[test]
fn tiny_terminals_do_not_panic() {
    let mut app = app_at(80, 24);
    for (w, h) in [(1, 1), (10, 3), (20, 5), (40, 10), (200, 60)] {
        update(&mut app, Action::Resize(w, h));
        let _ = screen(&app);
        press(&mut app, KeyCode::Char('?'));
        let _ = screen(&app);
        press(&mut app, KeyCode::Esc);
        press(&mut app, KeyCode::Char('W'));
        let _ = screen(&app);
        press(&mut app, KeyCode::Esc);
        press(&mut app, KeyCode::Char('n'));
        let _ = screen(&app);
        press(&mut app, KeyCode::Esc);
        press(&mut app, KeyCode::Char('v'));
        let _ = screen(&app);
        press(&mut app, KeyCode::Char('e'));
        let _ = screen(&app);
        press(&mut app, KeyCode::Esc);
        press(&mut app, KeyCode::Char('v'));
        press_mod(&mut app, KeyCode::Char('z'), KeyModifiers::CONTROL);
    }
}
