//! Renders of the TUI to a `TestBackend`, compared as text snapshots, after
//! simulated key presses through the real keymap.

mod common;

use appraise::tui::{Action, App, key_to_action};
use common::screen::update;
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
    press_mod(&mut app, KeyCode::Enter, KeyModifiers::ALT);
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
    let x = g.inner.x + g.name_w + g.cell_w + 1;
    let y = g.first_row_y();
    let coloured = buffer(&app);
    assert_eq!(coloured[(x, y)].symbol(), "5");
    assert_eq!(
        coloured[(x, y)].bg,
        Color::Indexed(28),
        "the top of the scale is green"
    );
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
    let row = row_with(&text, "Peer Practice Partner").unwrap();
    assert!(row.contains('·'), "{row}");
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

/// The screen line that starts (after the selection marker) with `name`.
fn row_with<'a>(text: &'a str, name: &str) -> Option<&'a str> {
    text.lines().find(|l| {
        l.strip_prefix("▶ ")
            .or_else(|| l.strip_prefix("  "))
            .is_some_and(|r| r.starts_with(name))
    })
}

#[test]
fn the_scale_anchors_are_on_the_first_screen() {
    let app = app_at(80, 24);
    let text = screen(&app);
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for (_, anchor) in app.doc.appraisal().scale().labels() {
        assert!(flat.contains(anchor.as_str()), "{anchor:?} in\n{text}");
    }
    assert!(flat.contains("Scale 0 to 5"), "{text}");
}

#[test]
fn the_help_explains_the_scale() {
    let mut app = app_at(80, 24);
    press(&mut app, KeyCode::Char('?'));
    let text = screen(&app);
    assert!(text.contains("The scale"), "{text}");
    assert!(text.contains("0 to 5"), "{text}");
    assert!(text.contains("Unsatisfactory: meets none"), "{text}");
}

#[test]
fn every_option_shows_24_characters_of_its_name_at_80x24() {
    let app = app_at(80, 24);
    let text = screen(&app);
    for o in app.doc.appraisal().options() {
        let first: String = o.name().chars().take(24).collect();
        assert!(row_with(&text, &first).is_some(), "{first:?} in\n{text}");
    }
    // All eight criteria are still on screen, by code, with the selected one named.
    for c in 1..=8 {
        assert!(text.contains(&format!("C{c} ")), "C{c} in\n{text}");
    }
    assert!(text.contains("C1 Child focused"), "{text}");
}

#[test]
fn criteria_shown_by_code_are_listed_in_a_key() {
    let mut app = app_at(80, 24);
    press(&mut app, KeyCode::Tab);
    for _ in 0..30 {
        press(&mut app, KeyCode::Down);
    }
    let text = screen(&app);
    assert!(
        text.contains("C4   Political oversight and governance arrangements (w1)"),
        "{text}"
    );
    assert!(text.contains("C8   Risk (w1)"), "{text}");
}

/// The example's options with `n` criteria named "Measure 1", "Measure 2"...
fn many_criteria(n: usize) -> App {
    let mut t = String::from("[appraisal]\ntitle = \"Many\"\n[scale]\nmin = 0\nmax = 5\n");
    for c in 1..=n {
        t.push_str(&format!(
            "[[criteria]]\nid = \"m{c}\"\nname = \"Measure {c}\"\n"
        ));
    }
    let example = appraise::load_example().unwrap().appraisal;
    for (i, o) in example.options().iter().enumerate() {
        t.push_str(&format!(
            "[[options]]\nid = \"{}\"\nname = \"{}\"\nscores = {{ m1 = {} }}\n",
            o.id(),
            o.name(),
            i % 6
        ));
    }
    t.push_str(
        "[[options]]\nid = \"long\"\nname = \"A very long option name that goes on well past any column width\"\n",
    );
    App::new(appraise::load_str("many.toml", &t).unwrap(), None)
}

#[test]
fn with_many_criteria_names_keep_24_characters_at_120_columns() {
    let mut app = many_criteria(40);
    update(&mut app, Action::Resize(120, 40));
    let text = screen(&app);
    for o in app.doc.appraisal().options() {
        let first: String = o.name().chars().take(24).collect();
        assert!(row_with(&text, &first).is_some(), "{first:?} in\n{text}");
    }
    // The criteria scroll instead.
    assert!(text.contains("columns 1-"), "{text}");
}

#[test]
fn the_selected_options_full_name_is_always_shown() {
    let mut app = many_criteria(12);
    update(&mut app, Action::Resize(80, 24));
    press(&mut app, KeyCode::End);
    let full = "A very long option name that goes on well past any column width";
    assert!(screen(&app).contains(full), "{}", screen(&app));
    press(&mut app, KeyCode::Char('v'));
    assert!(screen(&app).contains(full), "in the live view too");
}

#[test]
fn the_live_view_fits_80_columns() {
    let mut app = app_at(80, 24);
    press(&mut app, KeyCode::Char('v'));
    // A tall window, so the whole live panel is on screen at once.
    update(&mut app, Action::Resize(80, 160));
    let text = screen(&app);
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for c in app.doc.appraisal().criteria() {
        assert!(flat.contains(c.name()), "{} in\n{text}", c.name());
    }
    for o in app.doc.appraisal().options() {
        assert!(flat.contains(o.name()), "{} in\n{text}", o.name());
    }
    assert!(
        flat.contains("with Peer Practice Partner still first"),
        "{text}"
    );
    assert!(flat.contains("then ↑ Community Interest Company"), "{text}");
    assert!(flat.contains("samples each)"), "{text}");
}

#[test]
fn a_long_message_wraps_rather_than_being_cut_off() {
    let mut app = app_at(80, 24);
    update(&mut app, Action::Paste("dy".into()));
    let text = screen(&app);
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(flat.contains("then paste"), "{text}");
}

#[test]
fn a_window_too_small_says_so_and_takes_no_scores() {
    let mut app = app_at(40, 12);
    let text = screen(&app);
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(flat.contains("Make the window larger"), "{text}");
    assert!(flat.contains("60 columns and 16 rows"), "{text}");
    let before = app.doc.appraisal().clone();
    for key in ['3', 'd', 'x', 'n', 'a', 'W'] {
        press(&mut app, KeyCode::Char(key));
    }
    press(&mut app, KeyCode::Delete);
    update(&mut app, Action::Paste("dy".into()));
    assert_eq!(*app.doc.appraisal(), before, "nothing changed");
    assert!(!app.doc.is_dirty());
    update(&mut app, Action::Resize(80, 24));
    let text = screen(&app);
    assert!(text.contains("Peer Practice Partner"), "{text}");
    assert_eq!(
        app.view.mode,
        appraise::tui::app::Mode::Normal,
        "no box opened"
    );
    update(&mut app, Action::Resize(40, 12));
    press(&mut app, KeyCode::Char('q'));
    assert!(app.quit, "q still quits when nothing is unsaved");
}

#[test]
fn a_published_total_that_differs_stays_marked() {
    let mut app = app_at(80, 24);
    let marked = |app: &App| {
        row_with(&screen(app), "Shared Service")
            .unwrap_or_default()
            .contains("26≠")
    };
    assert!(marked(&app), "{}", screen(&app));
    for key in [
        KeyCode::Down,
        KeyCode::Right,
        KeyCode::Char('4'),
        KeyCode::Esc,
    ] {
        press(&mut app, key);
        assert!(marked(&app), "after {key:?}:\n{}", screen(&app));
    }
    // Selected, the line under the grid says what was published.
    press(&mut app, KeyCode::End);
    assert!(
        screen(&app).contains("≠ published total 24"),
        "{}",
        screen(&app)
    );
    // Scores that add up to the published 24 (C2 and C3 from 3 to 2): the mark goes.
    press(&mut app, KeyCode::Char('2'));
    press(&mut app, KeyCode::Right);
    press(&mut app, KeyCode::Char('2'));
    let row = row_with(&screen(&app), "Shared Service")
        .unwrap_or_default()
        .to_owned();
    assert!(row.contains(" 24 ") && !row.contains('≠'), "{row}");
}

#[test]
fn scores_four_and_five_have_colours_of_their_own() {
    let app = app_at(80, 24);
    let buf = buffer(&app);
    let g = appraise::tui::view::grid_geometry(&app);
    let y = g.first_row_y() + 1; // Commission by contract, away from the selection
    let mut by_score = std::collections::BTreeMap::new();
    for c in 0..8u16 {
        let x = g.inner.x + g.name_w + g.cell_w * c + 1;
        let score = buf[(x, y)].symbol().to_owned();
        by_score.insert(score, buf[(x, y)].bg);
    }
    let shared_service = g.first_row_y() + 7;
    let x = g.inner.x + g.name_w + 1;
    by_score.insert(
        buf[(x, shared_service)].symbol().to_owned(),
        buf[(x, shared_service)].bg,
    );
    let peer = g.first_row_y();
    let x5 = g.inner.x + g.name_w + g.cell_w + 1;
    by_score.insert(buf[(x5, peer)].symbol().to_owned(), buf[(x5, peer)].bg);
    let four = by_score.get("4").copied();
    let five = by_score.get("5").copied();
    assert!(four.is_some() && five.is_some(), "{by_score:?}");
    assert_ne!(four, five, "4 and 5 differ: {by_score:?}");
    let colours: std::collections::BTreeSet<String> =
        by_score.values().map(|c| format!("{c:?}")).collect();
    assert_eq!(
        colours.len(),
        by_score.len(),
        "one colour per score: {by_score:?}"
    );
}

#[test]
fn the_terminal_cursor_sits_on_the_selected_cell() {
    let mut app = app_at(80, 24);
    let at = |app: &App| common::screen::terminal(app).get_cursor_position().unwrap();
    let g = appraise::tui::view::grid_geometry(&app);
    let first = ratatui::layout::Position::new(g.inner.x + g.name_w + 1, g.first_row_y());
    assert_eq!(at(&app), first);
    press(&mut app, KeyCode::Down);
    press(&mut app, KeyCode::Right);
    assert_eq!(
        at(&app),
        ratatui::layout::Position::new(first.x + g.cell_w, first.y + 1)
    );
    // In a note, the cursor is where the typing goes.
    press(&mut app, KeyCode::Char('n'));
    let mut t = common::screen::terminal(&app);
    let pos = t.get_cursor_position().unwrap();
    assert!(
        t.backend().buffer()[pos]
            .modifier
            .contains(ratatui::style::Modifier::REVERSED)
    );
}

#[test]
fn every_dialog_says_its_keys() {
    let mut app = app_at(80, 24);
    press(&mut app, KeyCode::Char('3'));
    press(&mut app, KeyCode::Char('q'));
    let text = screen(&app);
    assert!(text.contains("y, Enter  save, then quit"), "{text}");
    assert!(text.contains("Esc"), "{text}");
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Char('d'));
    assert!(
        screen(&app).contains("n, Enter, Esc  keep it"),
        "{}",
        screen(&app)
    );
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Char('n'));
    let text = screen(&app);
    assert!(text.contains("Enter keep · Esc cancel"), "{text}");
    assert!(text.contains("Esc cancel"), "{text}");
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Char('W'));
    assert!(screen(&app).contains("? help"), "{}", screen(&app));
}
