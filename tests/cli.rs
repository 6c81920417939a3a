//! The built `appraise` binary, run as a user would.

use assert_cmd::Command;
use predicates::prelude::*;

const EXAMPLE: &str = "appraisals/children-services-ama-2017.toml";

fn appraise() -> Command {
    let mut cmd = Command::cargo_bin("appraise").expect("binary built");
    cmd.env("NO_COLOR", "1");
    cmd
}

fn write_temp(text: &str) -> tempfile::NamedTempFile {
    let mut f = tempfile::Builder::new()
        .suffix(".toml")
        .tempfile()
        .expect("temp file");
    std::io::Write::write_all(&mut f, text.as_bytes()).expect("write");
    f
}

#[test]
fn no_arguments_reports_on_the_bundled_example() {
    appraise()
        .assert()
        .success()
        .stdout(predicate::str::contains("Peer Practice Partner"))
        .stdout(predicate::str::contains("33/40"))
        .stdout(predicate::str::contains(
            "published total of 24 but its scores add up to 26",
        ));
}

#[test]
fn a_file_argument_reports_on_that_file() {
    appraise()
        .arg(EXAMPLE)
        .assert()
        .success()
        .stdout(predicate::str::contains("Ranking"));
}

#[test]
fn check_passes_a_valid_file_with_warnings_on_stderr() {
    appraise()
        .args(["check", EXAMPLE])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("ok (1 warning)"))
        .stderr(predicate::str::contains(
            "warning[published-total-mismatch]",
        ))
        .stderr(
            predicate::str::is_match(r"children-services-ama-2017\.toml:\d+:\d+").expect("regex"),
        );
}

#[test]
fn check_fails_an_invalid_file_with_every_problem_located() {
    let bad = write_temp(
        "[appraisal]\ntitle = \"T\"\n[scale]\nmin = 0\nmax = 5\n[[criteria]]\nid = \"a\"\nname = \"A\"\nweight = -1\n\
         [[options]]\nid = \"x\"\nname = \"X\"\nscores = { a = 7, b = 1 }\n",
    );
    let path = bad.path().display().to_string();
    appraise()
        .args(["check", &path])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(format!("{path}:9:10")))
        .stderr(predicate::str::contains(format!("{path}:13:16")))
        .stderr(predicate::str::contains(format!("{path}:13:19")))
        .stderr(predicate::str::contains("3 problems found"));
}

#[test]
fn check_fails_if_any_file_is_invalid() {
    appraise()
        .args(["check", EXAMPLE, "/no/such/file.toml"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("ok"))
        .stderr(predicate::str::contains("/no/such/file.toml"));
}

#[test]
fn usage_errors_exit_two() {
    appraise().arg("check").assert().code(2);
    appraise()
        .args(["rank", "--format", "yaml"])
        .assert()
        .code(2);
    appraise().args(["rank", "--no-such-flag"]).assert().code(2);
}

#[test]
fn rank_prints_a_table_in_rank_order() {
    let out = appraise()
        .args(["rank", EXAMPLE])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).expect("utf8");
    let ppp = text.find("Peer Practice Partner").expect("leader");
    let jv = text.find("Joint Venture").expect("last");
    assert!(ppp < jv);
    assert!(text.contains("published as 24"), "{text}");
}

#[test]
fn rank_json_has_the_documented_fields() {
    let out = appraise()
        .args(["rank", EXAMPLE, "--format", "json"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out).expect("valid JSON");
    assert!(v["title"].as_str().expect("title").contains("Rotherham"));
    assert_eq!(v["scale"]["min"], 0.0);
    assert_eq!(v["scale"]["max"], 5.0);
    assert_eq!(v["max_total"], 40.0);
    let options = v["options"].as_array().expect("options");
    assert_eq!(options.len(), 8);
    assert_eq!(options[0]["id"], "peer-practice-partner");
    assert_eq!(options[0]["total"], 33.0);
    assert_eq!(options[0]["percent"], 82.5);
    assert_eq!(options[0]["rank"], 1);
    assert_eq!(options[0]["complete"], true);
    assert_eq!(options[0]["published_total"], 33.0);
    assert_eq!(options[0]["published_decimals"], 0);
    let ranks: Vec<u64> = options
        .iter()
        .map(|o| o["rank"].as_u64().expect("rank"))
        .collect();
    assert_eq!(ranks, [1, 2, 2, 4, 5, 6, 7, 8]);
    let warnings = v["warnings"].as_array().expect("warnings");
    assert_eq!(warnings.len(), 1);
    assert_eq!(warnings[0]["kind"], "published-total-mismatch");
    assert_eq!(warnings[0]["option"], "shared-service");
    assert!(warnings[0]["criterion"].is_null());
    assert!(
        warnings[0]["message"]
            .as_str()
            .expect("message")
            .contains("26")
    );
}

#[test]
fn rank_json_reports_missing_scores() {
    let f = write_temp(
        "[appraisal]\ntitle = \"T\"\n[scale]\nmin = 0\nmax = 5\n[[criteria]]\nid = \"a\"\nname = \"A\"\n\
         [[criteria]]\nid = \"b\"\nname = \"B\"\n[[options]]\nid = \"x\"\nname = \"X\"\nscores = { a = 3 }\n",
    );
    let out = appraise()
        .args(["rank", &f.path().display().to_string(), "--format", "json"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out).expect("valid JSON");
    assert_eq!(v["options"][0]["complete"], false);
    assert_eq!(v["options"][0]["total"], 3.0);
    assert_eq!(v["warnings"][0]["kind"], "missing-score");
    assert_eq!(v["warnings"][0]["criterion"], "b");
}

#[test]
fn report_shows_criteria_matrix_ranking_and_warnings() {
    appraise()
        .args(["report", EXAMPLE])
        .assert()
        .success()
        .stdout(predicate::str::contains("Criteria"))
        .stdout(predicate::str::contains(
            "Political oversight and governance arrangements",
        ))
        .stdout(predicate::str::contains("Scores"))
        .stdout(predicate::str::contains("Ranking"))
        .stdout(predicate::str::contains("Warnings"));
}

#[test]
fn report_fits_a_narrow_terminal_width_when_asked() {
    // Piped output is not wrapped; the report must still be plain text without colour codes.
    let out = appraise()
        .args(["report", EXAMPLE])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    assert!(!out.contains(&0x1b), "NO_COLOR output has no escape codes");
}

#[test]
fn every_command_has_help_with_examples() {
    for cmd in [
        vec!["--help"],
        vec!["check", "--help"],
        vec!["rank", "--help"],
        vec!["report", "--help"],
    ] {
        appraise()
            .args(&cmd)
            .assert()
            .success()
            .stdout(predicate::str::contains("Examples:"));
    }
}
