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

#[test]
fn on_a_terminal_new_asks_question_by_question_then_opens_the_scoring_screen() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = common::pty::Session::start(&["new", "libraries.toml"], dir.path());
    s.wait_for("Title [New appraisal]:");
    s.keys(b"Library service\r");
    s.wait_for("Lowest score [0]:");
    s.keys(b"\r");
    s.wait_for("Highest score [5]:");
    s.keys(b"ten\r");
    s.wait_for("'ten' is not a number. Try again.");
    s.keys(b"4\r");
    s.wait_for("Step between scores");
    s.keys(b"\r");
    for (point, words) in [
        ("0", "Poor"),
        ("1", ""),
        ("2", ""),
        ("3", ""),
        ("4", "Good"),
    ] {
        s.wait_for(&format!("  {point}: "));
        s.keys(format!("{words}\r").as_bytes());
    }
    s.wait_for("criterion 1:");
    s.keys(b"Cost\r");
    s.keys(b"Access for residents\r");
    s.keys(b"\r");
    s.wait_for("option 1:");
    s.keys(b"Keep in house\r");
    s.keys(b"Charitable trust\r");
    s.keys(b"\r");
    // Straight into scoring.
    s.wait_for("Charitable trust");
    s.wait_for("Access for");
    s.keys(b"q");
    assert!(s.wait_exit(), "{}", s.contents());
    let loaded = appraise::load_path(&dir.path().join("libraries.toml")).expect("loads");
    let a = &loaded.appraisal;
    assert_eq!(a.meta.title, "Library service");
    assert_eq!(a.scale().max(), 4.0);
    assert_eq!(a.scale().label(4.0), Some("Good"));
    let names: Vec<&str> = a.criteria().iter().map(|c| c.name()).collect();
    assert_eq!(names, ["Cost", "Access for residents"]);
    assert_eq!(a.options()[1].id().as_str(), "charitable-trust");
}

#[test]
fn a_guided_start_stopped_part_way_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = common::pty::Session::start(&["new", "review.toml"], dir.path());
    s.wait_for("Title [New appraisal]:");
    s.keys(b"Half done\r");
    s.wait_for("Lowest score [0]:");
    // Ctrl-D: the input ends.
    s.keys(b"\x04");
    s.wait_for("stopped; nothing was written");
    assert!(!s.wait_exit());
    assert!(!dir.path().join("review.toml").exists());
}
