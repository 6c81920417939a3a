//! Evidence for (+) and against (−) a score, edited on the scoring screen:
//! the box `E` opens on the selected cell (80x24, through the real keymap),
//! adding, changing and removing points, undo and redo, the comment-keeping
//! save, a version-1 file given its first points, members refused, and the
//! real binary in a pseudo-terminal. Also: the hint bar fits 80 columns in
//! every mode.

mod common;

use std::path::{Path, PathBuf};

use appraise::model::Evidence;
use appraise::tui::app::Mode;
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

fn key(app: &mut App, code: KeyCode, m: KeyModifiers) -> Vec<Effect> {
    match key_to_action(app, KeyEvent::new(code, m)) {
        Some(a) => update(app, a),
        None => Vec::new(),
    }
}

fn press(app: &mut App, code: KeyCode) -> Vec<Effect> {
    let m = match code {
        KeyCode::Char(c) if c.is_ascii_uppercase() => KeyModifiers::SHIFT,
        _ => KeyModifiers::NONE,
    };
    key(app, code, m)
}

fn typed(app: &mut App, text: &str) {
    for ch in text.chars() {
        press(app, KeyCode::Char(ch));
    }
}

fn evidence(app: &App, o: usize, c: usize) -> Evidence {
    app.doc.appraisal().options()[o].evidence()[c].clone()
}

fn points(for_: &[&str], against: &[&str]) -> Evidence {
    Evidence {
        for_: for_.iter().map(|s| (*s).to_owned()).collect(),
        against: against.iter().map(|s| (*s).to_owned()).collect(),
    }
}

#[test]
fn points_are_added_changed_and_removed_with_undo() {
    let dir = tempfile::tempdir().unwrap();
    let (mut app, _) = open(dir.path(), "waste.toml", &docs_example());
    let was = evidence(&app, 0, 0);
    assert_eq!(
        was,
        points(&["Existing depot and fleet"], &["Ageing vehicles"])
    );
    // The grid offers the key, and E opens the box on the selected cell.
    assert!(screen(&app).contains("E evidence"), "{}", screen(&app));
    press(&mut app, KeyCode::Char('E'));
    assert!(matches!(app.view.mode, Mode::Evidence(_)));
    let s = screen(&app);
    assert!(
        s.contains("Evidence: Council in-house bid / Method statement"),
        "{s}"
    );
    assert!(s.contains("+ Existing depot and fleet"), "{s}");
    assert!(s.contains("− Ageing vehicles"), "{s}");
    insta::assert_snapshot!("evidence_box_80x24", s);

    // A new point after a point against goes on against (Ctrl-j, as in a
    // note); Tab turns the line into a point for.
    key(&mut app, KeyCode::Char('j'), KeyModifiers::CONTROL);
    typed(&mut app, "Drivers' contracts end in 2027");
    key(&mut app, KeyCode::Enter, KeyModifiers::ALT);
    typed(&mut app, "Local recruitment");
    press(&mut app, KeyCode::Tab);
    // Change the first point.
    for _ in 0..3 {
        press(&mut app, KeyCode::Up);
    }
    press(&mut app, KeyCode::End);
    typed(&mut app, " at Sheffield Road");
    let fx = press(&mut app, KeyCode::Enter);
    assert!(fx.iter().any(|e| matches!(e, Effect::KeepRecovery)));
    assert_eq!(app.view.mode, Mode::Normal);
    let want = points(
        &[
            "Existing depot and fleet at Sheffield Road",
            "Local recruitment",
        ],
        &["Ageing vehicles", "Drivers' contracts end in 2027"],
    );
    assert_eq!(evidence(&app, 0, 0), want);
    assert!(app.doc.is_dirty());
    let s = screen(&app);
    assert!(s.contains("Evidence kept: 2 points for, 2 against"), "{s}");
    insta::assert_snapshot!("evidence_kept_80x24", s);

    // Remove a point: delete its line (the points for come first).
    press(&mut app, KeyCode::Char('E'));
    for _ in 0..2 {
        press(&mut app, KeyCode::Up);
    }
    press(&mut app, KeyCode::End);
    for _ in 0.."+ Local recruitment".chars().count() + 1 {
        press(&mut app, KeyCode::Backspace);
    }
    press(&mut app, KeyCode::Enter);
    assert_eq!(
        evidence(&app, 0, 0),
        points(
            &["Existing depot and fleet at Sheffield Road"],
            &["Ageing vehicles", "Drivers' contracts end in 2027"],
        )
    );

    // Undo takes each change back whole; redo puts it back.
    press(&mut app, KeyCode::Char('u'));
    assert_eq!(evidence(&app, 0, 0), want);
    press(&mut app, KeyCode::Char('u'));
    assert_eq!(evidence(&app, 0, 0), was);
    assert!(!app.doc.is_dirty());
    assert!(screen(&app).contains("Undid: points for and against"));
    key(&mut app, KeyCode::Char('y'), KeyModifiers::CONTROL);
    assert_eq!(evidence(&app, 0, 0), want);
}

#[test]
fn a_line_without_a_sign_keeps_the_box_open_with_the_text() {
    let dir = tempfile::tempdir().unwrap();
    let (mut app, _) = open(dir.path(), "waste.toml", &docs_example());
    press(&mut app, KeyCode::Char('E'));
    key(&mut app, KeyCode::Char('j'), KeyModifiers::CONTROL);
    // Take the sign off the new line and type a point without one.
    press(&mut app, KeyCode::Home);
    press(&mut app, KeyCode::Delete);
    press(&mut app, KeyCode::Delete);
    typed(&mut app, "no sign");
    press(&mut app, KeyCode::Enter);
    let Mode::Evidence(ed) = &app.view.mode else {
        panic!("the box stays open: {:?}", app.view.mode);
    };
    assert!(
        ed.input.text().ends_with("\nno sign"),
        "{}",
        ed.input.text()
    );
    let m = app.view.message.clone().unwrap();
    assert!(m.text.contains("Line 3 needs a sign"), "{}", m.text);
    assert_eq!(
        evidence(&app, 0, 0),
        points(&["Existing depot and fleet"], &["Ageing vehicles"])
    );
    // Esc asks before throwing the typing away; n goes back to it.
    press(&mut app, KeyCode::Esc);
    assert!(screen(&app).contains("Throw away your changes to the evidence?"));
    press(&mut app, KeyCode::Char('n'));
    assert!(matches!(app.view.mode, Mode::Evidence(_)));
    // Tab gives the line a sign, and it is kept.
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Enter);
    assert_eq!(
        evidence(&app, 0, 0),
        points(
            &["Existing depot and fleet", "no sign"],
            &["Ageing vehicles"]
        )
    );
}

#[test]
fn saving_rewrites_only_the_lists_changed_and_keeps_comments() {
    let text = docs_example();
    let dir = tempfile::tempdir().unwrap();
    let (mut app, path) = open(dir.path(), "waste.toml", &text);
    // Method statement of the in-house bid: a second point against.
    press(&mut app, KeyCode::Char('E'));
    key(&mut app, KeyCode::Char('j'), KeyModifiers::CONTROL);
    typed(&mut app, "Depot lease ends in 2028");
    press(&mut app, KeyCode::Enter);
    // Bidder C's staffing plan (row 2, third criterion): a first point for.
    press(&mut app, KeyCode::Down);
    press(&mut app, KeyCode::Right);
    press(&mut app, KeyCode::Right);
    press(&mut app, KeyCode::Char('E'));
    typed(&mut app, "Named site manager");
    press(&mut app, KeyCode::Enter);
    assert_eq!(evidence(&app, 1, 2), points(&["Named site manager"], &[]));
    let fx = update(&mut app, Action::Save);
    assert!(fx.iter().any(|e| matches!(e, Effect::Save { .. })));
    assert!(!app.doc.is_dirty());
    let saved = std::fs::read_to_string(&path).unwrap();
    let want = text
        .replace(
            "against = [\"Ageing vehicles\"]",
            "against = [\"Ageing vehicles\", \"Depot lease ends in 2028\"]",
        )
        .replace(
            "screening = { licence = { pass = false, reason = \"Licence lapsed in 2025 and has not been renewed\" } }\n",
            "screening = { licence = { pass = false, reason = \"Licence lapsed in 2025 and has not been renewed\" } }\n\n[options.evidence]\nstaffing = { for = [\"Named site manager\"] }\n",
        );
    assert_ne!(want, text);
    assert_eq!(saved, want);
    // And it reads back as it was typed.
    let back = appraise::load::load_path(&path).unwrap().appraisal;
    assert_eq!(back.options()[0].evidence()[0], evidence(&app, 0, 0));
    assert_eq!(back.options()[1].evidence()[2], evidence(&app, 1, 2));

    // Every point removed: the section goes, its comment with it, and the
    // rest of the file is as it was.
    let (mut app, path) = open(dir.path(), "waste2.toml", &text);
    press(&mut app, KeyCode::Char('E'));
    for _ in 0..2 {
        press(&mut app, KeyCode::End);
        for _ in 0..40 {
            press(&mut app, KeyCode::Backspace);
        }
    }
    press(&mut app, KeyCode::Enter);
    assert!(evidence(&app, 0, 0).is_empty());
    update(&mut app, Action::Save);
    let saved = std::fs::read_to_string(&path).unwrap();
    assert!(!saved.contains("evidence"), "{saved}");
    assert!(saved.contains("published_subtotals = { quality = 37.8 }"));
    assert!(saved.contains("weight = 60                     # 60% of Service delivery"));
    assert!(appraise::load::load_path(&path).is_ok());
}

#[test]
fn a_version_1_file_given_points_is_saved_as_version_2_with_the_same_totals() {
    let text = "version = 1\n\n[appraisal]\ntitle = \"Library review\"  # working title\n\n[scale]\nmin = 0\nmax = 5\n\n[[criteria]]\nid = \"cost\"\nname = \"Cost\"\n\n[[criteria]]\nid = \"reach\"\nname = \"Reach\"\n\n[[options]]\nid = \"keep\"\nname = \"Keep as is\"\nscores = { cost = 3, reach = 4 }\n";
    let dir = tempfile::tempdir().unwrap();
    let (mut app, path) = open(dir.path(), "library.toml", text);
    assert_eq!(app.doc.appraisal().version(), 1);
    let totals = app.doc.results().options[0].total;
    press(&mut app, KeyCode::Char('E'));
    typed(&mut app, "No new building needed");
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.doc.appraisal().version(), 2);
    assert!(
        app.view
            .message
            .as_ref()
            .unwrap()
            .text
            .contains("format version 2")
    );
    // Undone before saving, the file is as it was, version 1.
    press(&mut app, KeyCode::Char('u'));
    assert_eq!(app.doc.appraisal().version(), 1);
    assert!(!app.doc.is_dirty());
    key(&mut app, KeyCode::Char('y'), KeyModifiers::CONTROL);
    update(&mut app, Action::Save);
    let saved = std::fs::read_to_string(&path).unwrap();
    assert_eq!(
        saved,
        text.replace("version = 1\n", "version = 2\n")
            + "\n[options.evidence]\ncost = { for = [\"No new building needed\"] }\n"
    );
    let back = appraise::load::load_path(&path).unwrap();
    assert_eq!(back.appraisal.version(), 2);
    let results = appraise::compute::compute(&back.appraisal);
    assert_eq!(results.options[0].total, totals);
}

#[test]
fn members_are_told_the_evidence_belongs_to_the_appraisal() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("waste.toml");
    std::fs::write(&path, docs_example()).unwrap();
    let mut app = App::open_member(&path, "Cllr A. Clark", None).unwrap();
    update(&mut app, Action::Resize(80, 24));
    press(&mut app, KeyCode::Char('E'));
    assert_eq!(app.view.mode, Mode::Normal);
    let m = app.view.message.clone().unwrap();
    assert!(
        m.text.contains("evidence for and against is kept in"),
        "{}",
        m.text
    );
    assert!(!screen(&app).contains("E evidence"));
}

/// The bottom line at 80 columns, in every mode the scoring screen has:
/// whole hints, from the first, never cut and never past the edge, and at
/// least the three most useful.
#[test]
fn the_hint_bar_fits_80_columns_in_every_mode() {
    let dir = tempfile::tempdir().unwrap();
    let (base, _) = open(dir.path(), "waste.toml", &docs_example());
    let opens: &[(&str, &[KeyCode])] = &[
        ("grid", &[]),
        ("details", &[KeyCode::Tab]),
        ("note", &[KeyCode::Char('n')]),
        ("evidence", &[KeyCode::Char('E')]),
        ("prompt", &[KeyCode::Char('w')]),
        ("raw value", &[KeyCode::Right, KeyCode::Char('4')]),
        ("swing, step 1", &[KeyCode::Char('W')]),
        ("swing, step 2", &[KeyCode::Char('W'), KeyCode::Enter]),
        ("export", &[KeyCode::Char('e')]),
        ("help", &[KeyCode::Char('?')]),
        ("live", &[KeyCode::Char('v')]),
        ("folded", &[KeyCode::Char('o')]),
        ("quit?", &[KeyCode::Char('x'), KeyCode::Char('q')]),
    ];
    for (name, keys) in opens {
        let mut app = base.clone();
        for k in *keys {
            press(&mut app, *k);
        }
        let hints = appraise::tui::keymap::hints(&app);
        let s = screen(&app);
        let bottom = s.lines().last().unwrap_or("");
        assert!(bottom.chars().count() <= 80, "{name}: {bottom}");
        let mut line = String::new();
        let mut shown = 0;
        for (k, word) in &hints {
            let next = format!("{line} {k} {word}");
            if next.chars().count() + 1 > 80 {
                break;
            }
            line = format!("{next} ");
            shown += 1;
        }
        assert_eq!(bottom, line.trim_end(), "{name}");
        assert!(shown >= 3.min(hints.len()), "{name}: {bottom}");
    }
}

/// The real binary in a pseudo-terminal: a point against typed into the
/// evidence box is saved under the option's `evidence`, and nothing else
/// changes.
#[cfg(unix)]
#[test]
fn a_point_typed_in_a_real_terminal_is_saved() {
    let text = docs_example();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("waste.toml");
    std::fs::write(&path, &text).unwrap();
    let mut s = common::pty::Session::start(&["tui", "waste.toml"], dir.path());
    s.wait_for("Screened out");
    s.keys(b"E");
    s.wait_for("One point a line");
    // Ctrl-j: a new point, against as the line above is.
    s.keys(b"\n");
    s.keys(b"Fleet replacement unfunded");
    s.wait_for("Fleet replacement unfunded");
    s.keys(b"\r");
    s.wait_for("Evidence kept");
    s.keys(b"\x13");
    s.wait_for("Saved to");
    s.keys(b"q");
    assert!(s.wait_exit(), "exits successfully");
    let saved = std::fs::read_to_string(&path).unwrap();
    assert_eq!(
        saved,
        text.replace(
            "against = [\"Ageing vehicles\"]",
            "against = [\"Ageing vehicles\", \"Fleet replacement unfunded\"]",
        )
    );
}
