//! End-to-end: the real `appraise` binary in a pseudo-terminal (portable-pty),
//! with the screen read back through a terminal emulator (vt100). Keys are
//! typed as a person would; the file on disk is checked afterwards.
//! Pure Rust: nothing needs installing for `cargo test`.
#![cfg(unix)]

mod common;

use std::time::{Duration, Instant};

use common::pty::Session;

const FILE: &str = r#"# Library review: scored at the March panel.

[appraisal]
title = "Library review"   # working title

[scale]
min = 0
max = 5

# Cost matters most.
[[criteria]]
id = "cost"
name = "Cost"
weight = 2

[[criteria]]
id = "reach"
name = "Reach"
weight = 1

[[options]]
id = "keep"
name = "Keep all branches"

[options.scores]
cost = 1    # expensive
reach = 5

[[options]]
id = "merge"
name = "Merge two branches"
scores = { cost = 3, reach = 3 }
"#;

const CTRL_S: &[u8] = b"\x13";
const DOWN: &[u8] = b"\x1b[B";
const RIGHT: &[u8] = b"\x1b[C";

#[test]
fn score_save_and_quit_in_a_real_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("review.toml");
    std::fs::write(&path, FILE).unwrap();
    let mut s = Session::start(&["tui", "review.toml"], dir.path());
    s.wait_for("Scores");
    s.wait_for("Keep all branches");
    // First option, first criterion is selected: score it 2.
    s.keys(b"2");
    s.wait_for("Unsaved changes");
    // Down to Merge, right to Reach, step it up, write a note.
    s.keys(DOWN);
    s.keys(RIGHT);
    s.keys(b"+");
    s.keys(b"n");
    s.wait_for("Note: Merge two branches / Reach");
    s.keys(b"Agreed");
    // Enter keeps the note, as Enter confirms a spreadsheet cell.
    s.keys(b"\r");
    s.keys(CTRL_S);
    s.wait_for("Saved to");
    s.keys(b"q");
    assert!(s.wait_exit(), "exits successfully");

    let saved = std::fs::read_to_string(&path).unwrap();
    let expected = FILE
        .replace("cost = 1    # expensive", "cost = 2    # expensive")
        .replace(
            "scores = { cost = 3, reach = 3 }\n",
            "scores = { cost = 3, reach = 4 }\n\n[options.notes]\nreach = \"Agreed\"\n",
        );
    assert_eq!(saved, expected);
    assert!(
        !dir.path().join(".review.toml.appraise-recovery").exists(),
        "no recovery file after a save"
    );
}

#[test]
fn quit_with_unsaved_changes_asks_then_discards() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("review.toml");
    std::fs::write(&path, FILE).unwrap();
    let mut s = Session::start(&["review.toml"], dir.path());
    s.wait_for("Keep all branches");
    s.keys(b"0");
    s.keys(b"q");
    s.wait_for("You have changes that are not saved");
    s.keys(b"\x1b");
    s.wait_for("nothing was lost");
    s.keys(b"q");
    s.wait_for("You have changes that are not saved");
    s.keys(b"n");
    assert!(s.wait_exit());
    assert_eq!(std::fs::read_to_string(&path).unwrap(), FILE);
    assert!(!dir.path().join(".review.toml.appraise-recovery").exists());
}

#[test]
fn work_survives_a_crash_and_is_offered_next_time() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("review.toml");
    let recovery = dir.path().join(".review.toml.appraise-recovery");
    std::fs::write(&path, FILE).unwrap();
    let mut s = Session::start(&["tui", "review.toml"], dir.path());
    s.wait_for("Keep all branches");
    s.keys(b"4");
    s.keys(RIGHT);
    s.keys(b"x");
    // The recovery file is written within moments of the edits.
    let start = Instant::now();
    while !recovery.exists() && start.elapsed() < Duration::from_secs(10) {
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(recovery.exists(), "recovery file written");
    std::thread::sleep(Duration::from_millis(600));
    // The process dies without saving.
    s.kill().unwrap();
    drop(s);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), FILE);

    let mut s = Session::start(&["tui", "review.toml"], dir.path());
    s.wait_for("Unsaved work found");
    s.keys(b"r");
    s.wait_for("Restored your unsaved work");
    s.keys(CTRL_S);
    s.wait_for("Saved to");
    s.keys(b"q");
    assert!(s.wait_exit());
    let back = appraise::load_path(&path).unwrap().appraisal;
    assert_eq!(back.options()[0].score(0), Some(4.0));
    assert_eq!(back.options()[0].score(1), None);
    assert!(!recovery.exists());
    let saved = std::fs::read_to_string(&path).unwrap();
    assert!(saved.starts_with("# Library review: scored at the March panel."));
    assert!(saved.contains("cost = 4    # expensive"));
}

#[test]
fn the_bundled_example_asks_where_to_save() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("state");
    let recovery = state.join("example.appraise-recovery");
    let mut s = Session::start_with(&[], dir.path(), Some(&state), 80);
    s.wait_for("bundled example");
    s.wait_for("Peer Practi");
    s.keys(b"1");
    let start = Instant::now();
    while !recovery.exists() && start.elapsed() < Duration::from_secs(10) {
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(recovery.exists(), "unsaved work on the example is kept too");
    s.keys(CTRL_S);
    s.wait_for("Save as");
    s.wait_for("my-appraisal.toml");
    s.keys(b"\r");
    s.wait_for("Saved to my-appraisal.toml");
    s.wait_for("my-appraisal.toml");
    s.keys(b"q");
    assert!(s.wait_exit());
    let saved = dir.path().join("my-appraisal.toml");
    let back = appraise::load_path(&saved).unwrap().appraisal;
    assert_eq!(back.options()[0].score(0), Some(1.0));
    let text = std::fs::read_to_string(&saved).unwrap();
    assert!(
        text.starts_with("# Bundled example appraisal"),
        "the example's comments are kept"
    );
    assert!(!recovery.exists());
}

#[test]
fn plain_appraise_outside_a_terminal_still_prints_the_report() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_appraise"))
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("Peer Practice Partner"));
    let tui = std::process::Command::new(env!("CARGO_BIN_EXE_appraise"))
        .arg("tui")
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert_eq!(tui.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&tui.stderr).contains("needs a terminal"));
}

#[test]
fn a_member_scores_into_their_sheet_and_the_panel_merges_it() {
    let dir = tempfile::tempdir().unwrap();
    let review = dir.path().join("review.toml");
    std::fs::write(&review, FILE).unwrap();
    let mut s = Session::start(
        &["tui", "review.toml", "--member", "Cllr A. Clark"],
        dir.path(),
    );
    s.wait_for("Cllr A. Clark's scores");
    s.wait_for("New sheet review.cllr-a-clark.sheet.toml for Cllr A. Clark");
    // Keep all branches: cost 4, reach 2 with a note.
    s.keys(b"4");
    s.keys(RIGHT);
    s.keys(b"2");
    s.keys(b"n");
    s.wait_for("Note: Keep all branches / Reach");
    s.keys(b"Well used");
    s.keys(b"\r");
    // Weights belong to the appraisal: refused, with the reason.
    s.keys(b"w");
    s.wait_for("Weights are fixed by review.toml");
    // The shared scores, on request, read-only.
    s.keys(b"c");
    s.wait_for("SHARED scores from review.toml");
    s.keys(b"0");
    s.wait_for("The shared scores are read-only");
    s.keys(b"c");
    s.wait_for("Back to your own scores");
    s.keys(CTRL_S);
    s.wait_for("Saved to review.cllr-a-clark.sheet.toml");
    s.keys(b"q");
    assert!(s.wait_exit(), "exits successfully");

    let appraisal = appraise::load_path(&review).unwrap().appraisal;
    let blank = appraise::panel::blank_sheet(&appraisal, "review.toml", "Cllr A. Clark");
    let expected = blank
        .replacen("cost = \"\"  # Cost", "cost = 4  # Cost", 1)
        .replacen("reach = \"\"  # Reach", "reach = 2  # Reach", 1)
        .replacen("[notes.keep]\n", "[notes.keep]\nreach = \"Well used\"\n", 1);
    let sheet = dir.path().join("review.cllr-a-clark.sheet.toml");
    assert_eq!(std::fs::read_to_string(&sheet).unwrap(), expected);
    assert_eq!(
        std::fs::read_to_string(&review).unwrap(),
        FILE,
        "the appraisal is untouched"
    );
    assert!(
        !dir.path()
            .join(".review.cllr-a-clark.sheet.toml.appraise-recovery")
            .exists()
    );

    // The sheet merges: keep scores 4 x 2 + 2 = 10 of 15; merge is blank.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_appraise"))
        .args([
            "panel",
            "review.toml",
            "review.cllr-a-clark.sheet.toml",
            "--format",
            "json",
        ])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["members"], serde_json::json!(["Cllr A. Clark"]));
    assert_eq!(json["consensus"][0]["option"], "keep");
    assert_eq!(json["consensus"][0]["total"], 10.0);
    assert_eq!(json["cells"][0]["scores"][0]["score"], 4.0);
    assert_eq!(json["cells"][2]["scored"], 0, "merge / cost left blank");
}

#[test]
fn the_panel_view_opens_from_the_command_line_and_leaves_sheets_alone() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("review.toml"), FILE).unwrap();
    let sheet = |m: &str, cost: u8| {
        format!(
            "[sheet]\nappraisal = \"review.toml\"\nmember = \"{m}\"\n\n\
             [scores.keep]\ncost = {cost}\nreach = 5\n\n[notes.keep]\ncost = \"{m} thinks so\"\n"
        )
    };
    let sheets = [
        ("a.toml", sheet("Cllr A", 1)),
        ("b.toml", sheet("Cllr B", 4)),
    ];
    for (name, text) in &sheets {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    let mut s = Session::start(
        &[
            "tui",
            "review.toml",
            "--panel",
            "a.toml",
            "b.toml",
            "--method",
            "median",
        ],
        dir.path(),
    );
    // Neither sheet scores Merge two branches: the title counts the warnings.
    s.wait_for("Panel consensus · median of 2 members · ⚠ 2 warnings · 1 flagged");
    // Located at the end of the sheet, where its scores would go.
    s.wait_for("the sheet has no scores for Merge two branches");
    s.keys(b"f");
    s.wait_for("Flagged 1 of 1: Keep all branches / Cost, spread 3 steps");
    s.wait_for("Cllr B thinks so");
    s.keys(b"m");
    s.wait_for("Consensus by the trimmed mean");
    s.keys(b"3");
    s.wait_for("The panel view is read-only");
    s.keys(b"q");
    assert!(s.wait_exit());
    for (name, text) in &sheets {
        assert_eq!(
            &std::fs::read_to_string(dir.path().join(name)).unwrap(),
            text
        );
    }
}

#[test]
fn a_mismatched_sheet_stops_the_panel_view_with_its_position() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("review.toml"), FILE).unwrap();
    std::fs::write(
        dir.path().join("a.toml"),
        "[sheet]\nappraisal = \"review.toml\"\nmember = \"A\"\n\n[scores.close]\ncost = 1\n",
    )
    .unwrap();
    let mut s = Session::start(&["tui", "review.toml", "--panel", "a.toml"], dir.path());
    s.wait_for("which is not in the appraisal");
    s.wait_for("a.toml:5:");
    assert!(!s.wait_exit(), "exits with a failure");
}

/// The screen's row that holds `text`, if one does.
fn row_with(s: &Session, text: &str) -> Option<String> {
    s.contents()
        .lines()
        .find(|l| l.contains(text))
        .map(str::to_owned)
}

#[test]
fn a_paste_on_the_grid_runs_no_keys_and_in_a_note_is_text() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("review.toml");
    std::fs::write(&path, FILE).unwrap();
    let mut s = Session::start(&["tui", "review.toml"], dir.path());
    s.wait_for("Keep all branches");
    // As a right-click paste in PuTTY: "dy" would remove the option, "Sx"
    // and a newline would save to a new file.
    s.paste("dy");
    s.wait_for("Pasting does nothing on the grid");
    s.paste("Sx\r");
    assert!(
        row_with(&s, "Keep all branches").is_some(),
        "no option removed"
    );
    assert!(!s.contents().contains("Save as"), "no save dialog opened");
    assert!(!s.contents().contains("Unsaved changes"), "nothing changed");
    // In a note, a paste is text, newlines and all.
    s.keys(b"n");
    s.wait_for("Note: Keep all branches / Cost");
    s.paste("Costs rise\r\nin 2027 q");
    s.keys(b"\r");
    s.keys(CTRL_S);
    s.wait_for("Saved to");
    s.keys(b"q");
    assert!(s.wait_exit());
    let back = appraise::load_path(&path).unwrap().appraisal;
    assert_eq!(back.options()[0].note(0), Some("Costs rise\nin 2027 q"));
    assert_eq!(back.options().len(), 2);
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(!names.iter().any(|n| n.contains("tomlx")), "{names:?}");
}

/// SIGTERM or SIGHUP just after an edit: the edit reaches the recovery
/// file, the terminal is put back, and the next start offers the work.
fn a_signal_keeps_the_edit_and_restores_the_terminal(signal: &str, code: u32) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("review.toml");
    let recovery = dir.path().join(".review.toml.appraise-recovery");
    std::fs::write(&path, FILE).unwrap();
    let mut s = Session::start(&["tui", "review.toml"], dir.path());
    s.wait_for("Keep all branches");
    s.wait_for("All changes saved");
    // No pause after the key: the signal comes straight after it.
    s.keys_now(b"4");
    s.signal(signal);
    assert_eq!(s.wait_code(), code, "ends as a shell expects for {signal}");
    assert!(
        s.on_main_screen(),
        "off the alternate screen after {signal}"
    );
    assert!(
        s.terminal_is_cooked(),
        "raw mode is switched off after {signal}"
    );
    assert_eq!(std::fs::read_to_string(&path).unwrap(), FILE);
    let kept = appraise::recovery::read_recovery(&recovery).expect("a recovery file");
    let a = appraise::load_str("r", &kept).unwrap().appraisal;
    assert_eq!(a.options()[0].score(0), Some(4.0), "the edit was kept");
    drop(s);
    let mut s = Session::start(&["tui", "review.toml"], dir.path());
    s.wait_for("Unsaved work found");
    s.keys(b"d");
    s.keys(b"q");
    assert!(s.wait_exit());
}

#[test]
fn sigterm_just_after_an_edit_keeps_it_and_restores_the_terminal() {
    a_signal_keeps_the_edit_and_restores_the_terminal("TERM", 143);
}

#[test]
fn sighup_just_after_an_edit_keeps_it_and_restores_the_terminal() {
    a_signal_keeps_the_edit_and_restores_the_terminal("HUP", 129);
}

/// The terminal goes away with no SIGHUP reaching appraise (a tmux server
/// or terminal emulator killed, with appraise started from a script): it
/// notices, keeps the unsaved edit in the recovery file and ends with the
/// hang-up code within moments, rather than reading the dead terminal
/// forever.
#[test]
fn a_terminal_that_goes_away_ends_the_program_and_keeps_the_edit() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("review.toml");
    let recovery = dir.path().join(".review.toml.appraise-recovery");
    let status = dir.path().join("status");
    std::fs::write(&path, FILE).unwrap();
    let mut s = Session::start_under_shell(&["tui", "review.toml"], dir.path(), &status);
    s.wait_for("Keep all branches");
    s.wait_for("All changes saved");
    s.keys(b"4");
    s.wait_for("Unsaved changes");
    s.close_terminal();
    let closed = std::time::Instant::now();
    while !status.exists() {
        assert!(
            closed.elapsed() < std::time::Duration::from_secs(5),
            "appraise still runs 5 s after its terminal went away"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let code = std::fs::read_to_string(&status).unwrap();
    assert_eq!(code.trim(), "129", "ends as after a hang-up");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), FILE);
    let kept = appraise::recovery::read_recovery(&recovery).expect("a recovery file");
    let a = appraise::load_str("r", &kept).unwrap().appraisal;
    assert_eq!(a.options()[0].score(0), Some(4.0), "the edit was kept");
}

/// SIGTERM while the screen waits for keys, some time after an edit.
#[test]
fn sigterm_while_idle_keeps_the_edit_and_ends_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("review.toml");
    let recovery = dir.path().join(".review.toml.appraise-recovery");
    std::fs::write(&path, FILE).unwrap();
    let mut s = Session::start(&["tui", "review.toml"], dir.path());
    s.wait_for("All changes saved");
    s.keys(b"4");
    s.wait_for("Unsaved changes");
    std::thread::sleep(std::time::Duration::from_secs(1));
    let sent = std::time::Instant::now();
    s.signal("TERM");
    assert_eq!(s.wait_code(), 143);
    assert!(
        sent.elapsed() < std::time::Duration::from_secs(2),
        "took {:?}",
        sent.elapsed()
    );
    assert!(s.on_main_screen() && s.terminal_is_cooked());
    let kept = appraise::recovery::read_recovery(&recovery).expect("a recovery file");
    let a = appraise::load_str("r", &kept).unwrap().appraisal;
    assert_eq!(a.options()[0].score(0), Some(4.0), "the edit was kept");
}

/// In a shared folder (anyone may write it), another user's file: the
/// scoring screen asks the system whether this user may write it, not the
/// mode bits, and does not save over it; where an ACL lets this user write
/// it but saving would make the file theirs, it says so and does not save.
#[test]
fn the_screen_does_not_save_over_another_users_file() {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let test = "the_screen_does_not_save_over_another_users_file";
    let Some(runuser) = common::users::second_user(test) else {
        return;
    };
    let Some(setfacl) = common::tools::find(test, "setfacl", "APPRAISE_TEST_SETFACL") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o777)).unwrap();
    let path = dir.path().join("review.toml");
    std::fs::write(&path, FILE).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    let owner = std::fs::metadata(&path).unwrap().uid();
    let mut s = Session::start_as(
        &runuser,
        common::users::OTHER_USER,
        &["tui", "review.toml"],
        dir.path(),
    );
    s.wait_for("Keep all branches");
    s.keys(b"4");
    s.keys(CTRL_S);
    s.wait_for_words("review.toml is read-only");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), FILE);
    // An ACL lets this user write the file, but replacing it would hand it
    // to them: refused, with the reason.
    let acl = format!("u:{}:rw", common::users::OTHER_USER);
    assert!(
        std::process::Command::new(&setfacl)
            .args(["-m", &acl])
            .arg(&path)
            .status()
            .unwrap()
            .success()
    );
    s.keys(b"\x1b");
    s.keys(CTRL_S);
    s.wait_for_words("belongs to another user");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), FILE);
    assert_eq!(
        std::fs::metadata(&path).unwrap().uid(),
        owner,
        "still theirs"
    );
    s.keys(b"q");
    s.wait_for("Unsaved changes");
    s.keys(b"n");
    assert!(s.wait_exit());
}

#[test]
fn export_asks_before_replacing_a_file() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("review.toml"), FILE).unwrap();
    let report = dir.path().join("review.md");
    std::fs::write(&report, "an earlier report\n").unwrap();
    let mut s = Session::start(&["tui", "review.toml"], dir.path());
    s.wait_for("Keep all branches");
    s.keys(b"e");
    s.wait_for("Choose a format");
    // Markdown is the fourth format.
    s.keys(DOWN);
    s.keys(DOWN);
    s.keys(DOWN);
    s.keys(b"\r");
    s.wait_for("review.md");
    s.keys(b"\r");
    s.wait_for("Replace file?");
    s.keys(b"n");
    s.wait_for("Nothing was replaced");
    assert_eq!(
        std::fs::read_to_string(&report).unwrap(),
        "an earlier report\n"
    );
    s.keys(b"\r");
    s.wait_for("Replace file?");
    s.keys(b"y");
    s.wait_for("Exported to review.md");
    s.keys(b"q");
    assert!(s.wait_exit());
    assert!(
        std::fs::read_to_string(&report)
            .unwrap()
            .contains("Keep all branches")
    );
}

#[test]
fn a_windows_file_keeps_its_byte_order_mark_and_line_endings() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("review.toml");
    let windows = format!("\u{feff}{}", FILE.replace('\n', "\r\n"));
    std::fs::write(&path, &windows).unwrap();
    let mut s = Session::start(&["tui", "review.toml"], dir.path());
    s.wait_for("Keep all branches");
    // The disk is checked every three idle seconds: no false alarm.
    std::thread::sleep(Duration::from_millis(3600));
    assert!(
        !s.contents().contains("changed elsewhere"),
        "{}",
        s.contents()
    );
    s.keys(b"2");
    s.keys(CTRL_S);
    s.wait_for("Saved to");
    s.keys(b"q");
    assert!(s.wait_exit());
    let saved = std::fs::read_to_string(&path).unwrap();
    assert_eq!(
        saved,
        windows.replace("cost = 1    # expensive", "cost = 2    # expensive"),
        "only the score changed: the mark and every CRLF are kept"
    );
}

/// Recovery files for review.toml in `dir`: the plain one and any copy's own.
fn recovery_files(dir: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".review.toml.appraise-recovery"))
        .collect();
    names.sort();
    names
}

#[test]
fn two_copies_on_one_file_keep_their_own_work_and_warn() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("review.toml");
    std::fs::write(&path, FILE).unwrap();
    let mut first = Session::start(&["tui", "review.toml"], dir.path());
    first.wait_for("Keep all branches");
    let mut second = Session::start(&["tui", "review.toml"], dir.path());
    second.wait_for("Also open by");
    // Each scores a different cell; each keeps its own recovery file.
    first.keys(b"4");
    second.keys(RIGHT);
    second.keys(b"0");
    let start = Instant::now();
    while recovery_files(dir.path()).len() < 2 && start.elapsed() < Duration::from_secs(10) {
        std::thread::sleep(Duration::from_millis(50));
    }
    let files = recovery_files(dir.path());
    assert_eq!(files.len(), 2, "one recovery file each: {files:?}");
    // The second saves and quits: the first copy's unsaved work stays.
    second.keys(CTRL_S);
    second.wait_for("Saved to");
    second.keys(b"q");
    assert!(second.wait_exit());
    assert_eq!(
        recovery_files(dir.path()),
        [".review.toml.appraise-recovery"],
        "the first copy's work is kept"
    );
    // Then the first crashes: its work is offered next time.
    first.kill().unwrap();
    drop(first);
    let kept =
        appraise::recovery::read_recovery(&dir.path().join(".review.toml.appraise-recovery"))
            .expect("the first copy's recovery file");
    let kept = appraise::load_str("r", &kept).unwrap().appraisal;
    assert_eq!(
        kept.options()[0].score(0),
        Some(4.0),
        "the first copy's edit"
    );
    let mut third = Session::start(&["tui", "review.toml"], dir.path());
    third.wait_for("Unsaved work found");
    assert!(
        !third.contents().contains("also open"),
        "a crashed copy is not taken for a running one"
    );
    third.keys(b"q");
    assert!(third.wait_exit());
    let locks: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("appraise-lock"))
        .collect();
    assert!(locks.is_empty(), "no lock is left: {locks:?}");
}

#[test]
fn m_lets_the_terminal_select_text_and_the_cursor_follows_the_selection() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("review.toml"), FILE).unwrap();
    let mut s = Session::start(&["tui", "review.toml"], dir.path());
    s.wait_for("Keep all branches");
    assert!(s.mouse_captured(), "clicks select cells at first");
    // The cursor sits on the selected cell, for screen magnifiers: the
    // first option's row, and one column further right after →.
    let row = s
        .contents()
        .lines()
        .position(|l| l.starts_with("▶ Keep all branches"))
        .unwrap() as u16;
    let first = s.cursor().expect("the cursor is shown");
    assert_eq!(first.0, row);
    s.keys(RIGHT);
    let next = s.cursor().expect("the cursor is shown");
    assert!(next.0 == row && next.1 > first.1, "{first:?} then {next:?}");
    s.keys(b"M");
    s.wait_for("Mouse off");
    assert!(
        !s.mouse_captured(),
        "M gives the mouse back to the terminal"
    );
    s.keys(b"M");
    s.wait_for("Mouse on");
    assert!(s.mouse_captured());
    s.keys(b"q");
    assert!(s.wait_exit());
}

#[test]
fn saving_over_a_colleagues_save_lets_you_keep_their_cells() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("review.toml");
    std::fs::write(&path, FILE).unwrap();
    let mut s = Session::start(&["tui", "review.toml"], dir.path());
    s.wait_for("Keep all branches");
    // This copy scores Keep all branches / Cost 2.
    s.keys(b"2");
    s.wait_for("Unsaved changes");
    // Meanwhile a colleague changes Merge two branches / Reach and saves.
    let theirs = FILE.replace(
        "scores = { cost = 3, reach = 3 }",
        "scores = { cost = 3, reach = 4 }",
    );
    std::fs::write(&path, &theirs).unwrap();
    s.keys(CTRL_S);
    s.wait_for("The file was changed elsewhere since you opened it");
    s.wait_for_words("1 change of theirs");
    // Both cells are listed, each keeping the version of whoever changed it.
    s.wait_for("Keep all branches / Cost");
    s.wait_for("Merge two branches / Reach");
    let screen = s.contents();
    let line = |cell: &str| {
        screen
            .lines()
            .find(|l| l.contains(cell))
            .unwrap_or_else(|| panic!("{cell} is listed:\n{screen}"))
            .to_owned()
    };
    assert!(
        line("Keep all branches / Cost").contains("YOURS"),
        "{screen}"
    );
    assert!(
        line("Merge two branches / Reach").contains("THEIRS"),
        "{screen}"
    );
    for l in screen.lines() {
        assert!(l.chars().count() <= 80, "{l}");
    }
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        theirs,
        "nothing written yet"
    );
    // Enter saves as chosen.
    s.keys(b"\r");
    s.wait_for("Saved to");
    s.keys(b"q");
    assert!(s.wait_exit());
    let saved = std::fs::read_to_string(&path).unwrap();
    assert_eq!(
        saved,
        theirs.replace("cost = 1    # expensive", "cost = 2    # expensive"),
        "your score and their score, and nothing else changed"
    );
}

#[test]
fn export_from_the_screen_shows_progress_and_replaces_only_when_asked() {
    let dir = tempfile::tempdir().unwrap();
    // Large enough that writing the document takes a visible moment.
    let text = appraise::synth::appraisal_toml(appraise::synth::Spec {
        options: 200,
        criteria: 12,
        notes: true,
        seed: 3,
    });
    std::fs::write(dir.path().join("review.toml"), &text).unwrap();
    let out = dir.path().join("review.docx");
    std::fs::write(&out, "an earlier paper\n").unwrap();
    let mut s = Session::start(&["tui", "review.toml"], dir.path());
    s.wait_for("Scores");
    s.keys(b"e");
    s.wait_for("Choose a format");
    // Word is the first format.
    s.wait_for("▶ Word document");
    s.keys(b"\r");
    s.wait_for("Export: Word document");
    s.wait_for("review.docx");
    s.keys(b"\r");
    s.wait_for("Replace file?");
    s.wait_for_words("review.docx already holds a file of that name");
    s.keys(b"\x1b");
    s.wait_for("Nothing was replaced");
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "an earlier paper\n");
    s.keys(b"\r");
    s.wait_for("Replace file?");
    s.keys(b"y");
    // The message line says what it is doing while it works, and keys still work.
    s.wait_for("Exporting review.docx");
    s.keys(DOWN);
    // A busy machine may take a while over the document itself.
    let start = Instant::now();
    while !s.contents().contains("Exported to review.docx") {
        assert!(
            start.elapsed() < Duration::from_secs(180),
            "never exported:\n{}",
            s.contents()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    s.keys(b"q");
    assert!(s.wait_exit());
    let bytes = std::fs::read(&out).unwrap();
    assert!(
        bytes.starts_with(b"PK"),
        "a Word package, not the earlier file"
    );
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(&bytes)).unwrap();
    let mut body = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("word/document.xml").unwrap(), &mut body)
        .unwrap();
    let first = appraise::load_str("r", &text).unwrap().appraisal.options()[0]
        .name()
        .to_owned();
    assert!(body.contains(&first), "the document lists {first}");
    common::ooxml::validate(
        "export_from_the_screen_shows_progress_and_replaces_only_when_asked",
        &[("review.docx".to_owned(), bytes)],
    );
}
