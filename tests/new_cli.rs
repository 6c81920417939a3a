//! `appraise new`: a commented skeleton that `check` accepts, never
//! written over an existing file.

mod common;

use assert_cmd::Command;
use predicates::prelude::*;

fn appraise() -> Command {
    let mut cmd = Command::cargo_bin("appraise").expect("binary built");
    cmd.env("NO_COLOR", "1");
    cmd
}

#[test]
fn new_writes_a_commented_skeleton_that_check_accepts() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("review.toml");
    appraise()
        .current_dir(dir.path())
        .args(["new", "review.toml", "--criteria", "6", "--options", "4"])
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "wrote review.toml with 6 criteria and 4 options",
        ));
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(
        text.starts_with("# New appraisal: a new appraisal"),
        "{text}"
    );
    assert_eq!(text.matches("\n[[criteria]]\n").count(), 6, "{text}");
    assert_eq!(text.matches("\n[[options]]\n").count(), 4, "{text}");
    // Every place to fill in is shown as a comment.
    assert!(text.contains("# criterion-6 = 0   # Criterion 6"), "{text}");
    assert!(text.contains("# organisation = "), "{text}");
    appraise()
        .args(["check"])
        .arg(&file)
        .assert()
        .success()
        .stdout(predicate::str::contains("ok"));
    // Ranking works straight away, every option incomplete.
    appraise()
        .args(["rank"])
        .arg(&file)
        .assert()
        .success()
        .stdout(predicate::str::contains("Option 4"));
}

#[test]
fn new_takes_names_a_title_and_a_scale() {
    let dir = tempfile::tempdir().unwrap();
    appraise()
        .current_dir(dir.path())
        .args([
            "new",
            "libraries.toml",
            "--title",
            "Options for the library service",
            "--criterion",
            "Cost to the council",
            "--criterion",
            "Accès",
            "--criteria",
            "3",
            "--option",
            "Keep in house",
            "--min",
            "1",
            "--max",
            "10",
            "--step",
            "0.5",
        ])
        .assert()
        .success();
    let loaded = appraise::load_path(&dir.path().join("libraries.toml")).expect("loads");
    let a = &loaded.appraisal;
    assert_eq!(a.meta.title, "Options for the library service");
    let ids: Vec<&str> = a.criteria().iter().map(|c| c.id().as_str()).collect();
    assert_eq!(ids, ["cost-to-the-council", "acces", "criterion-3"]);
    assert_eq!(a.options().len(), 1);
    assert_eq!(
        (a.scale().min(), a.scale().max(), a.scale().step()),
        (1.0, 10.0, 0.5)
    );
}

#[test]
fn new_never_replaces_a_file_and_refuses_bad_input() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("review.toml");
    std::fs::write(&file, "# my work\n").unwrap();
    appraise()
        .current_dir(dir.path())
        .args(["new", "review.toml", "--criteria", "2", "--options", "2"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "review.toml already exists, so it was left as it was",
        ));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "# my work\n");
    appraise()
        .current_dir(dir.path())
        .args(["new", "other.toml", "--criteria", "0"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "an appraisal needs from 1 to 1000 criteria",
        ));
    appraise()
        .current_dir(dir.path())
        .args(["new", "other.toml", "--min", "5", "--max", "1"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("must be greater than its min"));
    appraise()
        .current_dir(dir.path())
        .args([
            "new",
            "other.toml",
            "--criteria",
            "1",
            "--criterion",
            "A",
            "--criterion",
            "B",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "--criteria 1 is fewer than the 2 names given",
        ));
    assert!(!dir.path().join("other.toml").exists());
}

const RIGHT: &[u8] = b"\x1b[C";
const ESC: &[u8] = b"\x1b";
const CTRL_S: &[u8] = b"\x13";

#[test]
fn on_a_terminal_new_guides_each_step_then_opens_the_scoring_screen() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = common::pty::Session::start(&["new", "libraries.toml"], dir.path());
    s.wait_for("What is this appraisal called?");
    s.wait_for("step 1 of 7");
    // Typing replaces the suggested title.
    s.keys(b"Library service\r");
    s.wait_for("What scale is each option scored on?");
    s.keys(b"\t");
    s.keys(b"ten\r");
    s.wait_for("'ten' is not a number");
    // Backspace clears the word, then a number.
    for _ in 0.."ten".len() {
        s.keys(b"\x7f");
    }
    s.keys(b"4\r");
    s.wait_for("What does each point of the scale mean?");
    s.wait_for("Fully meets it, with no concerns");
    // Esc goes back a step, and what was typed is still there.
    s.keys(ESC);
    s.wait_for("A score can be 0, 1, 2, 3 or 4.");
    s.keys(b"\r");
    s.wait_for("What does each point of the scale mean?");
    s.keys(b"\r");
    s.wait_for("Should the criteria be grouped under headings?");
    s.keys(b"Quality\r");
    s.keys(b"Cost\r");
    s.keys(b"\r");
    s.wait_for("What is each option judged against?");
    // Method in Quality; Staffing follows it there; Price in group 2, Cost.
    s.keys(b"Method\t");
    s.keys(RIGHT);
    s.wait_for("Quality");
    s.keys(b"\r");
    s.keys(b"Staffing\r");
    s.keys(b"Price\t");
    s.keys(b"2\r");
    s.keys(b"\r");
    s.wait_for("What are the options?");
    s.keys(b"Keep in house\r");
    s.keys(b"Charitable trust\r");
    s.keys(b"\r");
    s.wait_for("Ready to write the appraisal");
    s.wait_for("Quality (2), Cost (1)");
    assert!(
        !dir.path().join("libraries.toml").exists(),
        "nothing is written before the last step"
    );
    s.keys(b"\r");
    // Straight into scoring: score the first cell and save. The key is
    // typed at once, as the screens change over, and still reaches the grid.
    s.keys_now(b"3");
    s.wait_for("Scores · 2 options × 3 criteria");
    s.wait_for("Library service");
    s.wait_for("Unsaved changes");
    s.keys(CTRL_S);
    s.wait_for("Saved to");
    s.keys(b"q");
    assert!(s.wait_exit(), "{}", s.contents());
    assert!(s.terminal_is_cooked() && s.on_main_screen());
    let file = dir.path().join("libraries.toml");
    let loaded = appraise::load_path(&file).expect("loads");
    let a = &loaded.appraisal;
    assert_eq!(a.meta.title, "Library service");
    assert_eq!((a.scale().min(), a.scale().max()), (0.0, 4.0));
    assert_eq!(
        a.scale().label(4.0),
        Some("Fully meets it, with no concerns")
    );
    assert_eq!(a.scale().label(0.0), Some("Does not meet the criterion"));
    let groups: Vec<&str> = a.groups().iter().map(|g| g.name()).collect();
    assert_eq!(groups, ["Quality", "Cost"]);
    let criteria: Vec<(&str, Option<usize>)> =
        a.criteria().iter().map(|c| (c.name(), c.group())).collect();
    assert_eq!(
        criteria,
        [
            ("Method", Some(0)),
            ("Staffing", Some(0)),
            ("Price", Some(1))
        ]
    );
    let options: Vec<&str> = a.options().iter().map(|o| o.name()).collect();
    assert_eq!(options, ["Keep in house", "Charitable trust"]);
    assert_eq!(a.options()[0].score(0), Some(3.0));
    appraise().args(["check"]).arg(&file).assert().success();
}

#[test]
fn the_guided_start_asks_before_replacing_a_file_and_leaving_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mine = dir.path().join("review.toml");
    std::fs::write(&mine, "# my work\n").unwrap();
    let mut s = common::pty::Session::start(&["new", "review.toml"], dir.path());
    s.wait_for_words("review.toml already exists. It is kept");
    for _ in 0..4 {
        s.keys(b"\r");
    }
    s.wait_for("What is each option judged against?");
    s.keys(b"Cost\r\r");
    s.wait_for("What are the options?");
    s.keys(b"Keep\r\r");
    s.wait_for("Ready to write the appraisal");
    s.keys(b"\r");
    s.wait_for("review.toml already exists");
    s.wait_for("keep it and choose another name");
    s.keys(b"n");
    s.wait_for("Type another name for the file");
    assert_eq!(std::fs::read_to_string(&mine).unwrap(), "# my work\n");
    // Another name: clear the field and type it.
    for _ in 0.."review.toml".len() {
        s.keys(b"\x7f");
    }
    s.keys(b"other.toml\r");
    s.wait_for("Scores · 1 option × 1 criterion");
    s.keys(b"q");
    assert!(s.wait_exit(), "{}", s.contents());
    assert_eq!(std::fs::read_to_string(&mine).unwrap(), "# my work\n");
    let other = appraise::load_path(&dir.path().join("other.toml")).expect("loads");
    assert_eq!(other.appraisal.criteria()[0].name(), "Cost");

    // Ctrl-c part way asks, and leaving writes nothing.
    let mut s = common::pty::Session::start(&["new", "third.toml"], dir.path());
    s.wait_for("What is this appraisal called?");
    s.keys(b"Half done\r");
    s.wait_for("What scale is each option scored on?");
    s.keys(b"\x03");
    s.wait_for("Leave without writing anything?");
    s.keys(b"y");
    assert!(!s.wait_exit());
    assert!(s.terminal_is_cooked() && s.on_main_screen());
    assert!(
        s.contents().contains("nothing was written"),
        "{}",
        s.contents()
    );
    assert!(!dir.path().join("third.toml").exists());
}

#[test]
fn a_signal_during_the_guided_start_restores_the_terminal_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = common::pty::Session::start(&["new", "review.toml"], dir.path());
    s.wait_for("What is this appraisal called?");
    s.keys(b"Half done\r");
    s.wait_for("What scale is each option scored on?");
    s.signal("TERM");
    assert_eq!(s.wait_code(), 143);
    assert!(s.terminal_is_cooked() && s.on_main_screen());
    assert!(!dir.path().join("review.toml").exists());
}

/// A skeleton of `options` × `criteria` with no scores, in `dir`.
fn skeleton(dir: &std::path::Path, criteria: &str, options: &str) -> std::path::PathBuf {
    appraise()
        .current_dir(dir)
        .args(["new", "skeleton.toml", "--criteria", criteria])
        .args(["--options", options])
        .assert()
        .success();
    dir.join("skeleton.toml")
}

/// What `appraise ARGS FILE` writes to stdout and stderr, with its exit code.
fn run(args: &[&str], file: &std::path::Path) -> (String, String, Option<i32>) {
    let out = appraise().args(args).arg(file).output().unwrap();
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.status.code(),
    )
}

#[test]
fn check_on_a_new_skeleton_shows_a_few_unscored_cells_and_sums_up_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    let file = skeleton(dir.path(), "4", "6");
    let (out, err, code) = run(&["check"], &file);
    assert_eq!(code, Some(0), "{err}");
    // Every warning still counts.
    assert!(out.ends_with("skeleton.toml: ok (24 warnings)\n"), "{out}");
    // The first three in full, with place, text and help as ever.
    assert_eq!(
        err.matches("warning[missing-score]: Option").count(),
        3,
        "{err}"
    );
    assert_eq!(
        err.matches("help: add the score when it is agreed").count(),
        3
    );
    assert!(err.contains("skeleton.toml:"), "{err}");
    assert!(
        err.contains("Option 1 has no score for Criterion 3 yet")
            && !err.contains("for Criterion 4 yet"),
        "{err}"
    );
    // Then one line for the rest, and how to see them all.
    assert!(
        err.contains(
            "warning[missing-score]: … and 21 more missing scores (24 in all, across 6 options and 4 criteria)"
        ),
        "{err}"
    );
    let all = format!(
        "help: `appraise check --all {}` lists every one",
        file.display()
    );
    assert_eq!(err.matches(&all).count(), 1, "{err}");

    // --all lists every one, and sums nothing up.
    let (out, err, code) = run(&["check", "--all"], &file);
    assert_eq!(code, Some(0), "{err}");
    assert!(out.ends_with("skeleton.toml: ok (24 warnings)\n"), "{out}");
    assert_eq!(
        err.matches("warning[missing-score]: Option").count(),
        24,
        "{err}"
    );
    assert!(!err.contains("more missing scores"), "{err}");

    // The other commands sum up the same way; JSON lists everything.
    let (_, err, code) = run(&["rank"], &file);
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(
        err.matches("warning[missing-score]: Option").count(),
        3,
        "{err}"
    );
    assert!(err.contains("… and 21 more missing scores"), "{err}");
    let (json, _, _) = run(&["rank", "--format", "json"], &file);
    let v: serde_json::Value = serde_json::from_str(&json).expect("valid JSON");
    let warnings = v["warnings"].as_array().expect("a list of warnings");
    assert_eq!(warnings.len(), 24);
    assert!(warnings.iter().all(|w| w["kind"] == "missing-score"));
}

#[test]
fn check_shows_up_to_five_warnings_of_a_kind_in_full() {
    let dir = tempfile::tempdir().unwrap();
    let file = skeleton(dir.path(), "5", "1");
    let (out, err, code) = run(&["check"], &file);
    assert_eq!(code, Some(0), "{err}");
    assert!(out.ends_with("skeleton.toml: ok (5 warnings)\n"), "{out}");
    assert_eq!(
        err.matches("warning[missing-score]: Option").count(),
        5,
        "{err}"
    );
    assert!(!err.contains("more missing scores"), "{err}");
    assert!(!err.contains("--all"), "{err}");
}
