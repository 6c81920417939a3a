//! The `appraise export` command, run as a user would.

use assert_cmd::Command;
use predicates::prelude::*;

fn appraise() -> Command {
    let mut cmd = Command::cargo_bin("appraise").expect("binary built");
    cmd.env("NO_COLOR", "1");
    cmd
}

#[test]
fn text_formats_go_to_stdout() {
    appraise()
        .args(["export", "--format", "md"])
        .assert()
        .success()
        .stdout(predicate::str::starts_with(
            "# Alternative Management Arrangements",
        ))
        .stdout(predicate::str::contains(
            "| 2 | Shared Service | 26/40 (published as 24) | 65.0% |",
        ));
    appraise()
        .args(["export", "--format", "html"])
        .assert()
        .success()
        .stdout(predicate::str::starts_with("<!DOCTYPE html>"));
    let out = appraise()
        .args(["export", "--format", "json"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out).expect("JSON on stdout");
    assert_eq!(v["schema"], "appraise-export/1");
    appraise()
        .args(["export", "-f", "svg", "--tables", "chart-totals"])
        .assert()
        .success()
        .stdout(predicate::str::starts_with("<?xml"));
}

#[test]
fn the_file_argument_is_used() {
    appraise()
        .args([
            "export",
            "tests/fixtures/export/hostile.toml",
            "--format",
            "csv",
            "--tables",
            "ranking",
        ])
        .assert()
        .success()
        .stdout(predicate::str::starts_with(
            "\u{feff}Rank,Option,Total (out of 6),Percent,Remarks\r\n",
        ));
    // Without the byte order mark, for tools that do not expect one.
    appraise()
        .args([
            "export",
            "tests/fixtures/export/hostile.toml",
            "--format",
            "csv",
            "--tables",
            "ranking",
            "--no-bom",
        ])
        .assert()
        .success()
        .stdout(predicate::str::starts_with(
            "Rank,Option,Total (out of 6),Percent,Remarks\r\n",
        ));
    appraise()
        .args(["export", "no-such-file.toml", "--format", "md"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("no-such-file.toml"));
}

#[test]
fn binary_formats_need_out() {
    for format in ["xlsx", "docx"] {
        appraise()
            .args(["export", "--format", format])
            .assert()
            .code(2)
            .stdout("")
            .stderr(predicate::str::contains("--out"));
    }
}

#[test]
fn binary_formats_write_the_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    for format in ["xlsx", "docx"] {
        let path = dir.path().join(format!("report.{format}"));
        appraise()
            .args(["export", "--format", format, "--out"])
            .arg(&path)
            .assert()
            .success()
            .stdout("");
        let bytes = std::fs::read(&path).expect("file written");
        assert!(bytes.starts_with(b"PK"), "{format} is a zip package");
    }
    // Nothing but the two exports is left behind (no temporary files).
    assert_eq!(std::fs::read_dir(dir.path()).expect("dir").count(), 2);
}

#[test]
fn tables_select_what_is_exported() {
    let out = appraise()
        .args(["export", "--format", "md", "--tables", "criteria,ranking"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let md = String::from_utf8(out).expect("UTF-8");
    assert!(
        md.contains("**Table 1: Evaluation criteria and weights**"),
        "{md}"
    );
    assert!(md.contains("**Table 2: Ranking of options**"), "{md}");
    assert!(!md.contains("Full score matrix"));
    assert!(!md.contains("Annex:"));
    let out = appraise()
        .args([
            "export",
            "--format",
            "md",
            "--tables",
            "annex-joint-venture",
        ])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let md = String::from_utf8(out).expect("UTF-8");
    assert_eq!(md.matches("\n### ").count(), 1, "{md}");
    assert!(md.contains("\n### Joint Venture\n"), "{md}");
    assert!(md.contains("**Table 1: Annex: Joint Venture**"), "{md}");
}

#[test]
fn unknown_table_names_are_refused_with_the_choices() {
    appraise()
        .args(["export", "--format", "md", "--tables", "ranking,rankings"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains("no table called `rankings`"))
        .stderr(predicate::str::contains("annex-shared-service"))
        .stderr(predicate::str::contains("chart-totals"));
    appraise()
        .args(["export", "--format", "md", "--tables", ","])
        .assert()
        .code(2);
}

#[test]
fn csv_needs_one_table_or_a_folder() {
    appraise()
        .args(["export", "--format", "csv"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains("--tables"))
        .stderr(predicate::str::contains("folder"));
    let dir = tempfile::tempdir().expect("temp dir");
    let out = format!("{}/tables/", dir.path().display());
    appraise()
        .args(["export", "--format", "csv", "--excel", "--out", &out])
        .assert()
        .success()
        .stderr(predicate::str::contains("wrote 17 files"));
    let ranking = std::fs::read(dir.path().join("tables/ranking.csv")).expect("ranking.csv");
    assert!(
        ranking.starts_with(b"\xEF\xBB\xBFRank,Option"),
        "BOM for Excel"
    );
    assert!(dir.path().join("tables/annex-shared-service.csv").exists());
    let svgs = dir.path().join("charts");
    std::fs::create_dir(&svgs).expect("mkdir");
    appraise()
        .args(["export", "--format", "svg", "--out"])
        .arg(&svgs)
        .assert()
        .success();
    assert!(svgs.join("chart-totals.svg").exists());
    assert!(svgs.join("chart-weight-risk.svg").exists());
}

#[test]
fn excel_applies_only_to_csv() {
    appraise()
        .args(["export", "--format", "md", "--excel"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--excel"));
}

#[test]
fn help_shows_examples_and_tables() {
    appraise()
        .args(["export", "--help"])
        .assert()
        .success()
        .stdout(predicate::str::contains("annex"))
        .stdout(predicate::str::contains("--format docx --out report.docx"));
}

#[test]
fn samples_add_monte_carlo_acceptability() {
    let out = appraise()
        .args([
            "export",
            "--format",
            "json",
            "--samples",
            "20000",
            "--seed",
            "7",
        ])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out).expect("JSON");
    let mc = &v["sensitivity"]["monte_carlo"];
    assert_eq!(mc["samples"], 20000);
    assert_eq!(mc["seed"], 7);
    let ppp = mc["acceptability"]["peer-practice-partner"]
        .as_array()
        .expect("acceptability per rank");
    assert_eq!(ppp.len(), 8);
    assert!(ppp[0].as_f64().expect("a share") > 0.9);
    // Without --samples the exact analyses are there and Monte Carlo is not.
    let out = appraise()
        .args(["export", "--format", "json"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out).expect("JSON");
    assert!(v["sensitivity"]["monte_carlo"].is_null());
    assert_eq!(v["sensitivity"]["weights"][0]["criterion"], "child-focused");
    appraise()
        .args([
            "export",
            "--format",
            "svg",
            "--tables",
            "chart-acceptability",
            "--samples",
            "5000",
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains("Rank acceptability"));
    appraise()
        .args(["export", "--format", "md", "--samples", "0"])
        .assert()
        .code(2);
    appraise()
        .args([
            "export",
            "--format",
            "svg",
            "--tables",
            "chart-acceptability",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--samples"));
}
