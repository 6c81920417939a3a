//! The scoring screen's dialogs at the smallest supported size (80x24),
//! rendered to a `TestBackend` after keys through the real keymap: nothing
//! cut off, and each says what may be typed.

mod common;

use appraise::tui::{App, key_to_action};
use common::screen::{screen, update};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

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

fn example_at(w: u16, h: u16) -> App {
    let mut app = App::new(appraise::load::load_example().unwrap(), None);
    update(&mut app, appraise::tui::Action::Resize(w, h));
    app
}

/// The lines of the box drawn over the grid whose top border carries `title`.
fn box_lines(text: &str, title: &str) -> Vec<String> {
    let lines: Vec<&str> = text.lines().collect();
    let top = lines
        .iter()
        .position(|l| l.contains(&format!("┌ {title} ")))
        .unwrap_or_else(|| panic!("no box {title:?} in\n{text}"));
    let top_chars: Vec<char> = lines[top].chars().collect();
    let col = top_chars.iter().position(|&c| c == '┌').unwrap();
    let end = col + top_chars[col..].iter().position(|&c| c == '┐').unwrap() + 1;
    let mut out = Vec::new();
    for l in &lines[top..] {
        let chars: Vec<char> = l.chars().collect();
        out.push(chars[col..end.min(chars.len())].iter().collect::<String>());
        if chars.get(col) == Some(&'└') {
            break;
        }
    }
    out
}

/// Every line of a box ends with its right border: nothing ran past it.
fn assert_closed(lines: &[String]) {
    let w = lines[0].chars().count();
    for l in lines {
        let chars: Vec<char> = l.chars().collect();
        assert!(
            matches!(chars.get(w - 1), Some('│' | '┐' | '┘')),
            "a line runs into the border:\n{}",
            lines.join("\n")
        );
    }
}

#[test]
fn the_export_menu_fits_80_columns_and_offers_png() {
    let mut app = example_at(80, 24);
    press(&mut app, KeyCode::Char('e'));
    let text = screen(&app);
    let menu = box_lines(&text, "Export");
    assert_closed(&menu);
    insta::assert_snapshot!("export_menu_80x24", menu.join("\n"));
    for label in [
        "Word document",
        "PNG pictures",
        "Copy of the appraisal file",
    ] {
        assert!(text.contains(label), "{label} is offered:\n{text}");
    }
    // What the highlighted format is for is said in full, whichever it is.
    for _ in 0..appraise::tui::export::FORMATS.len() {
        press(&mut app, KeyCode::Down);
        let text = screen(&app);
        assert_closed(&box_lines(&text, "Export"));
        assert!(text.contains("Esc cancel"), "{text}");
    }
    assert!(screen(&app).contains("Copy of the appraisal file"));
}

#[test]
fn png_from_the_menu_writes_a_folder_of_pictures() {
    let mut app = example_at(80, 24);
    let dir = tempfile::tempdir().unwrap();
    let png = appraise::tui::export::FORMATS
        .iter()
        .position(|f| f.extension == "png")
        .expect("PNG is in the menu");
    press(&mut app, KeyCode::Char('e'));
    for _ in 0..png {
        press(&mut app, KeyCode::Down);
    }
    press(&mut app, KeyCode::Enter);
    assert!(
        screen(&app).contains("Export: PNG pictures"),
        "{}",
        screen(&app)
    );
    let to = dir.path().join("charts");
    update(
        &mut app,
        appraise::tui::Action::Paste(to.display().to_string()),
    );
    press(&mut app, KeyCode::Enter);
    let pictures: Vec<_> = std::fs::read_dir(&to)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert!(pictures.len() > 1, "{pictures:?}");
    for p in &pictures {
        assert_eq!(p.extension().unwrap(), "png");
        let bytes = std::fs::read(p).unwrap();
        assert!(
            bytes.starts_with(b"\x89PNG\r\n\x1a\n"),
            "{} is a PNG",
            p.display()
        );
    }
    assert!(screen(&app).contains("Exported to"), "{}", screen(&app));
}

#[test]
fn the_weight_box_says_a_share_may_be_typed_with_percent() {
    let mut app = example_at(80, 24);
    press(&mut app, KeyCode::Char('w'));
    let text = screen(&app);
    let b = box_lines(&text, "Weight of Child focused");
    assert_closed(&b);
    let all = b.join(" ");
    assert!(all.contains("20%"), "{}", b.join("\n"));
    assert!(
        all.contains("Esc cancel"),
        "the keys are not cut off:\n{}",
        b.join("\n")
    );
    // And it does as it says.
    press(&mut app, KeyCode::Char('5'));
    press(&mut app, KeyCode::Char('0'));
    press(&mut app, KeyCode::Char('%'));
    press(&mut app, KeyCode::Enter);
    let a = app.doc.appraisal();
    let total: f64 = a.criteria().iter().map(|c| c.weight()).sum();
    assert!((a.criteria()[0].weight() / total - 0.5).abs() < 1e-9);
}
