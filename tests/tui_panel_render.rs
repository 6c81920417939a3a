//! Renders of member mode and the panel view to a `TestBackend`, compared as
//! text snapshots, after key presses through the real keymap.

mod common;

use std::path::{Path, PathBuf};

use appraise::panel::MergeOptions;
use appraise::tui::panel::PanelState;
use appraise::tui::{Action, App, key_to_action};
use common::screen::update;
use common::screen::{buffer, screen};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::style::Color;

fn press(app: &mut App, code: KeyCode) {
    let m = if matches!(code, KeyCode::Char(c) if c.is_ascii_uppercase()) {
        KeyModifiers::SHIFT
    } else {
        KeyModifiers::NONE
    };
    if let Some(a) = key_to_action(app, KeyEvent::new(code, m)) {
        update(app, a);
    }
}

/// Member k's score for option o, criterion c: the shared score moved by a
/// fixed pattern, so members agree on some cells and differ on others.
fn member_score(shared: Option<f64>, k: usize, o: usize, c: usize) -> String {
    let Some(s) = shared else {
        return "\"\"".into();
    };
    if k == 2 && (o + c) % 9 == 4 {
        return "\"\"".into();
    }
    let pattern = [[0, 0, 1, 0], [0, -1, 1, 0], [1, 0, -1, 0]];
    let d = pattern[k][(o * 3 + c) % 4];
    format!("{}", (s as i64 + d).clamp(0, 5))
}

const MEMBERS: [&str; 3] = ["Cllr A. Clark", "Cllr B. Shah", "Cllr C. Jones"];

/// The bundled example as review.toml, with three members' sheets beside it.
fn panel_folder() -> (tempfile::TempDir, PathBuf, Vec<PathBuf>) {
    let dir = tempfile::tempdir().unwrap();
    let review = dir.path().join("review.toml");
    std::fs::write(&review, appraise::load::EXAMPLE).unwrap();
    let a = appraise::load_path(&review).unwrap().appraisal;
    let mut paths = Vec::new();
    for (k, member) in MEMBERS.iter().enumerate() {
        let mut text = format!("[sheet]\nappraisal = \"review.toml\"\nmember = \"{member}\"\n");
        for (o, opt) in a.options().iter().enumerate() {
            text.push_str(&format!("\n[scores.{}]\n", opt.id()));
            for (c, crit) in a.criteria().iter().enumerate() {
                text.push_str(&format!(
                    "{} = {}\n",
                    crit.id(),
                    member_score(opt.score(c), k, o, c)
                ));
            }
        }
        text.push_str(match k {
            0 => "\n[notes.peer-practice-partner]\nchild-focused = \"Strong evidence from the Ofsted letters.\"\n",
            1 => "\n[notes.peer-practice-partner]\nchild-focused = \"Depends on which partner is chosen;\\nthe shortlist is weak.\"\n",
            _ => "",
        });
        let p = appraise::panel::default_sheet_path(&review, member);
        std::fs::write(&p, text).unwrap();
        paths.push(p);
    }
    (dir, review, paths)
}

fn panel_app(review: &Path, paths: &[PathBuf], w: u16, h: u16) -> App {
    let mut app = App::open(review).unwrap();
    app.view.colour = true;
    let p = PanelState::load(
        paths,
        app.doc.appraisal(),
        Some(review),
        MergeOptions::default(),
    )
    .unwrap();
    app.set_panel(p);
    update(&mut app, Action::Resize(w, h));
    app.view
        .info("Panel view: f jumps to the next flagged cell, m changes the method, p closes");
    app
}

fn member_app(review: &Path, w: u16, h: u16) -> App {
    let mut app = App::open_member(review, "Cllr D. Khan", None).unwrap();
    app.view.colour = true;
    update(&mut app, Action::Resize(w, h));
    app
}

/// A fresh sheet with a few scores typed and a note written.
fn type_some_scores(app: &mut App) {
    press(app, KeyCode::Char('4'));
    press(app, KeyCode::Right);
    press(app, KeyCode::Char('3'));
    press(app, KeyCode::Down);
    press(app, KeyCode::Char('2'));
    press(app, KeyCode::Char('n'));
    for c in "Weak on partners".chars() {
        press(app, KeyCode::Char(c));
    }
    press(app, KeyCode::Enter);
}

#[test]
fn member_mode_80x24() {
    let (_dir, review, _paths) = panel_folder();
    let mut app = member_app(&review, 80, 24);
    insta::assert_snapshot!("member_mode_new_sheet_80x24", screen(&app));
    type_some_scores(&mut app);
    press(&mut app, KeyCode::Char('w'));
    insta::assert_snapshot!("member_mode_after_scoring_80x24", screen(&app));
}

#[test]
fn member_mode_120x40() {
    let (_dir, review, _paths) = panel_folder();
    let mut app = member_app(&review, 120, 40);
    type_some_scores(&mut app);
    insta::assert_snapshot!(screen(&app));
}

#[test]
fn member_mode_shared_scores_80x24() {
    let (_dir, review, _paths) = panel_folder();
    let mut app = member_app(&review, 80, 24);
    type_some_scores(&mut app);
    press(&mut app, KeyCode::Char('c'));
    insta::assert_snapshot!(screen(&app));
}

#[test]
fn member_mode_shared_scores_120x40() {
    let (_dir, review, _paths) = panel_folder();
    let mut app = member_app(&review, 120, 40);
    type_some_scores(&mut app);
    press(&mut app, KeyCode::Char('c'));
    insta::assert_snapshot!(screen(&app));
}

#[test]
fn panel_view_80x24() {
    let (_dir, review, paths) = panel_folder();
    let app = panel_app(&review, &paths, 80, 24);
    insta::assert_snapshot!(screen(&app));
}

#[test]
fn panel_view_next_flagged_median_80x24() {
    let (_dir, review, paths) = panel_folder();
    let mut app = panel_app(&review, &paths, 80, 24);
    press(&mut app, KeyCode::Char('m'));
    press(&mut app, KeyCode::Char('f'));
    press(&mut app, KeyCode::Char('f'));
    insta::assert_snapshot!(screen(&app));
}

#[test]
fn panel_view_120x40() {
    let (_dir, review, paths) = panel_folder();
    let mut app = panel_app(&review, &paths, 120, 40);
    press(&mut app, KeyCode::Char('s'));
    insta::assert_snapshot!(screen(&app));
}

#[test]
fn panel_help_lists_the_panel_keys_120x40() {
    let (_dir, review, paths) = panel_folder();
    let mut app = panel_app(&review, &paths, 120, 40);
    press(&mut app, KeyCode::Char('?'));
    for _ in 0..30 {
        press(&mut app, KeyCode::Down);
    }
    let text = screen(&app);
    for key in ["Members and panels", "f F", "next or previous flagged cell"] {
        assert!(text.contains(key), "{key}: {text}");
    }
}

#[test]
fn panel_view_is_shaded_in_colour_and_marked_without() {
    let (_dir, review, paths) = panel_folder();
    let mut app = panel_app(&review, &paths, 80, 24);
    let g = appraise::tui::view::grid_geometry(&app);
    let flagged = app.panel().unwrap().merged().unwrap().flagged();
    let &(o, c) = flagged
        .iter()
        .find(|&&(o, c)| (o, c) != (0, 0) && c < g.cols_visible)
        .unwrap();
    let x = g.inner.x + g.name_w + g.cell_w * c as u16 + 2;
    let y = g.first_row_y() + o as u16;
    assert_eq!(buffer(&app)[(x, y)].bg, Color::Red, "flagged cells are red");
    app.view.colour = false;
    let plain = buffer(&app);
    assert!(
        plain
            .content
            .iter()
            .all(|c| c.bg == Color::Reset && c.fg == Color::Reset),
        "NO_COLOR: no colours at all"
    );
    let text = screen(&app);
    let row = text.lines().nth(usize::from(y)).unwrap();
    assert!(row.contains('!'), "flagged cells are marked: {row}");
    assert!(text.contains('~'), "smaller spreads are marked");
}

#[test]
fn tiny_terminals_do_not_panic_in_member_mode_or_the_panel() {
    let (_dir, review, paths) = panel_folder();
    let mut member = member_app(&review, 80, 24);
    let mut panel = panel_app(&review, &paths, 80, 24);
    for (w, h) in [(1, 1), (10, 3), (20, 5), (40, 10), (200, 60)] {
        for app in [&mut member, &mut panel] {
            update(app, Action::Resize(w, h));
            let _ = screen(app);
            press(app, KeyCode::Char('c'));
            let _ = screen(app);
            press(app, KeyCode::Char('f'));
            let _ = screen(app);
            press(app, KeyCode::Char('m'));
            let _ = screen(app);
            press(app, KeyCode::Char('?'));
            let _ = screen(app);
            press(app, KeyCode::Esc);
        }
    }
}
