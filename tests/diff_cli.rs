//! `appraise diff`: what changed between two versions, as text, Markdown and
//! JSON, and as git's diff driver inside a real repository.

mod common;

use std::path::Path;
use std::process::Command as Std;

use assert_cmd::Command;
use predicates::prelude::*;

const EXAMPLE: &str = "appraisals/children-services-ama-2017.toml";

fn appraise() -> Command {
    let mut cmd = Command::cargo_bin("appraise").expect("binary built");
    cmd.env("NO_COLOR", "1");
    cmd
}

fn example() -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(EXAMPLE)).unwrap()
}

/// The example after a meeting: Shared Service's Partnerships score raised
/// from 3 to 5, Child focused weighted 3, and Risk renamed.
fn edited() -> String {
    let text = example();
    let at = text.find("id = \"shared-service\"").unwrap();
    let scores = at + text[at..].find("partnerships = 3").unwrap();
    let mut out = text[..scores].to_string();
    out.push_str("partnerships = 5");
    out.push_str(&text[scores + "partnerships = 3".len()..]);
    out.replacen("weight = 1", "weight = 3", 1).replacen(
        "name = \"Risk\"",
        "name = \"Risk and resilience\"",
        1,
    )
}

#[test]
fn diff_names_each_change_and_how_totals_and_ranks_moved() {
    let dir = tempfile::tempdir().unwrap();
    let new = dir.path().join("new.toml");
    std::fs::write(&new, edited()).unwrap();
    let out = appraise()
        .arg("diff")
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join(EXAMPLE))
        .arg(&new)
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    for needle in [
        "3 things changed: 1 score, 1 weight and 1 rename.",
        "Peer Practice Partner still leads.",
        "Shared Service: Partnerships",
        "Risk and resilience (risk)",
        "Child focused (child-focused)",
        "Totals and ranks, before and now",
        "Sensitivity statements that changed",
    ] {
        assert!(text.contains(needle), "{needle}\n{text}");
    }
    // Shared Service moves from 26/40 (tied second) to 36/50.
    let row = text
        .lines()
        .find(|l| l.contains("Shared Service") && l.contains("/50"))
        .unwrap();
    assert!(row.contains("26/40") && row.contains("36/50"), "{row}");
    // Tables fit 100 columns when piped.
    assert!(
        text.lines()
            .filter(|l| l.starts_with(['│', '┌', '└', '╞']))
            .all(|l| l.chars().count() <= 100),
        "{text}"
    );
}

#[test]
fn diff_writes_markdown_for_a_committee_update_and_json_for_programs() {
    let dir = tempfile::tempdir().unwrap();
    let (old, new) = (dir.path().join("old.toml"), dir.path().join("new.toml"));
    std::fs::write(&old, example()).unwrap();
    std::fs::write(&new, edited()).unwrap();
    let md = appraise()
        .current_dir(dir.path())
        .args(["diff", "old.toml", "new.toml", "--format", "md"])
        .output()
        .unwrap();
    let md = String::from_utf8(md.stdout).unwrap();
    assert!(
        md.starts_with("# Changes to Alternative Management"),
        "{md}"
    );
    assert!(md.contains("From old.toml to new.toml"), "{md}");
    assert!(md.contains("| Option | Total before | Total now | Change | Rank before | Rank now |"));
    assert!(
        md.contains("| Shared Service: Partnerships | score | 3 | 5 |"),
        "{md}"
    );
    let json = appraise()
        .current_dir(dir.path())
        .args(["diff", "old.toml", "new.toml", "--format", "json"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let changes = v["changes"].as_array().unwrap();
    assert_eq!(changes.len(), 3, "{v}");
    assert!(changes.iter().any(|c| c["subject"] == "cell"
        && c["option"] == "shared-service"
        && c["criterion"] == "partnerships"
        && c["old"] == 3.0
        && c["new"] == 5.0));
    assert_eq!(v["leaders"]["new_ids"][0], "peer-practice-partner");
}

#[test]
fn diff_of_the_same_file_says_so_and_exit_code_tells_a_script() {
    appraise()
        .args(["diff", EXAMPLE, EXAMPLE, "--exit-code"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "The two versions hold the same appraisal.",
        ));
    let dir = tempfile::tempdir().unwrap();
    let new = dir.path().join("new.toml");
    std::fs::write(&new, edited()).unwrap();
    appraise()
        .args(["diff", EXAMPLE, "--exit-code"])
        .arg(&new)
        .assert()
        .code(1);
}

#[test]
fn diff_of_a_broken_file_names_file_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.toml");
    std::fs::write(
        &bad,
        example().replacen("weight = 1", "weight = \"one\"", 1),
    )
    .unwrap();
    appraise()
        .current_dir(dir.path())
        .args(["diff"])
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join(EXAMPLE))
        .arg("bad.toml")
        .assert()
        .code(1)
        .stderr(predicate::str::contains("bad.toml:26:"));
}

fn git(dir: &Path, args: &[&str]) -> String {
    let program = std::env::var_os("GIT").unwrap_or_else(|| "git".into());
    let out = Std::new(program)
        .current_dir(dir)
        .args(args)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("HOME", dir)
        .env("GIT_PAGER", "cat")
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn git_diff_shows_the_appraisal_diff_with_the_documented_set_up() {
    if common::tools::find(
        "git_diff_shows_the_appraisal_diff_with_the_documented_set_up",
        "git",
        "GIT",
    )
    .is_none()
    {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path();
    git(repo, &["init", "-q", "-b", "main"]);
    git(repo, &["config", "user.name", "Officer"]);
    git(repo, &["config", "user.email", "officer@example.org"]);
    // The lines docs/format.md gives, with the built binary for `appraise`.
    std::fs::write(
        repo.join(".gitattributes"),
        "*.appraisal.toml diff=appraise\n",
    )
    .unwrap();
    let bin = env!("CARGO_BIN_EXE_appraise");
    git(
        repo,
        &["config", "diff.appraise.command", &format!("'{bin}' diff")],
    );
    std::fs::write(repo.join("review.appraisal.toml"), example()).unwrap();
    std::fs::write(repo.join("notes.txt"), "first\n").unwrap();
    git(repo, &["add", "."]);
    git(repo, &["commit", "-q", "-m", "March"]);
    std::fs::write(repo.join("review.appraisal.toml"), edited()).unwrap();
    std::fs::write(repo.join("notes.txt"), "second\n").unwrap();
    let out = git(repo, &["diff"]);
    assert!(
        out.contains("appraise diff a/review.appraisal.toml b/review.appraisal.toml"),
        "{out}"
    );
    assert!(
        out.contains("3 things changed: 1 score, 1 weight and 1 rename."),
        "{out}"
    );
    assert!(out.contains("From a/review.appraisal.toml to b/review.appraisal.toml"));
    // Other files keep git's own diff.
    assert!(out.contains("-first\n+second"), "{out}");
    // After a commit, the history shows it too.
    git(repo, &["commit", "-q", "-am", "April"]);
    let log = git(repo, &["log", "-p", "--ext-diff", "-1"]);
    assert!(log.contains("Shared Service: Partnerships"), "{log}");
    // A new appraisal and a deleted one are named, not compared.
    std::fs::write(repo.join("second.appraisal.toml"), example()).unwrap();
    git(repo, &["add", "second.appraisal.toml"]);
    let added = git(repo, &["diff", "--cached"]);
    assert!(
        added.contains("new file b/second.appraisal.toml"),
        "{added}"
    );
}

#[test]
fn diff_compares_the_monte_carlo_statements_when_asked() {
    let dir = tempfile::tempdir().unwrap();
    let new = dir.path().join("new.toml");
    std::fs::write(&new, edited()).unwrap();
    let statements = |extra: &[&str]| -> usize {
        let out = appraise()
            .arg("diff")
            .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join(EXAMPLE))
            .arg(&new)
            .args(["--format", "json"])
            .args(extra)
            .output()
            .unwrap();
        assert!(out.status.success());
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let s = &v["statements"];
        s["removed"].as_array().unwrap().len()
            + s["added"].as_array().unwrap().len()
            + s["unchanged"].as_u64().unwrap() as usize
    };
    let exact = statements(&[]);
    let with_samples = statements(&["--samples", "2000", "--seed", "7"]);
    assert!(with_samples > exact, "{exact} then {with_samples}");
    // The same seed gives the same answer.
    assert_eq!(
        with_samples,
        statements(&["--samples", "2000", "--seed", "7"])
    );
}

/// The version-2 example after a meeting: Quality reweighted 70/30, Bidder
/// B's cost revised to £7.5m, new and withdrawn evidence, Bidder C
/// renumbered and its licence now accepted.
fn v2_pair(dir: &Path) -> (std::path::PathBuf, std::path::PathBuf) {
    let fixture =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/v2/waste-contract.toml");
    let old = std::fs::read_to_string(fixture).unwrap();
    let swap = |s: String, a: &str, b: &str| {
        assert!(s.contains(a), "{a}");
        s.replacen(a, b, 1)
    };
    let mut new = swap(
        old.clone(),
        "weight = 60\ndescription = \"How well",
        "weight = 70\ndescription = \"How well",
    );
    new = swap(
        new,
        "name = \"Price\"\nweight = 40",
        "name = \"Price\"\nweight = 30",
    );
    new = swap(new, "cost = 8 }", "cost = 7.5 }");
    new = swap(
        new,
        "for = [\"Existing depot and fleet\"], against = [\"Ageing vehicles\"]",
        "for = [\"Existing depot and fleet\", \"Staff already trained\"], against = []",
    );
    new = swap(new, "ref = \"C\"", "ref = \"3\"");
    new = swap(
        new,
        "screening = { licence = { pass = false, reason = \"Licence lapsed in 2025 and has not been renewed\" } }",
        "screening = { licence = true }",
    );
    let (a, b) = (dir.join("old.toml"), dir.join("new.toml"));
    std::fs::write(&a, old).unwrap();
    std::fs::write(&b, new).unwrap();
    (a, b)
}

#[test]
fn diff_of_version_2_files_names_groups_evidence_measures_screening_and_refs() {
    let dir = tempfile::tempdir().unwrap();
    let (old, new) = v2_pair(dir.path());
    let out = appraise()
        .args(["diff", "--format", "md"])
        .arg(&old)
        .arg(&new)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let md = String::from_utf8(out).unwrap();
    for want in [
        "| group Quality (quality) | weight | 60 | 70 |",
        "| group Price (price) | weight | 40 | 30 |",
        "| Bidder B: Whole-life cost | measured value | £8m | £7.5m |",
        "| Bidder B: Whole-life cost | derived score | 1 | 0.8 |",
        "| Council in-house bid: Method statement | evidence for |  | added: Staff already trained |",
        "| Council in-house bid: Method statement | evidence against | removed: Ageing vehicles |  |",
        "| Bidder C (bidder-c) | ref | C | 3 |",
        "| Bidder C (bidder-c) | screening: Holds a waste carrier's licence | fails: Licence lapsed in 2025 and has not been renewed | passes |",
        // Screened out before: no rank, and its total is marked.
        "| Bidder C | 58/100 (screened out) | 51/100 | −7 | screened out | 3 |",
    ] {
        assert!(md.contains(want), "missing {want:?} in:\n{md}");
    }
    // The sensitivity statements are those of the shortlist at effective
    // weights: Staffing plan carries 30% of the weight (60% x 50%), not
    // 100% (its weight inside its own group), and before the change the
    // screened-out Bidder C leads nowhere.
    assert!(
        md.contains("unless Mobilisation time carries more than 43.0% of the total weight (it now carries 12.0%)"),
        "{md}"
    );
    assert!(!md.contains("it now carries 100.0%"), "{md}");
}
