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
            "\u{feff}\"Rank\",\"Option\",\"Total (out of 6)\",\"Percent\",\"Remarks\"\r\n",
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
            "\"Rank\",\"Option\",\"Total (out of 6)\",\"Percent\",\"Remarks\"\r\n",
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
        md.contains("**Table 2: Evaluation criteria and weights**"),
        "{md}"
    );
    assert!(md.contains("**Table 3: Ranking of options**"), "{md}");
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
        .stderr(predicate::str::contains("wrote 18 files"));
    let ranking = std::fs::read(dir.path().join("tables/ranking.csv")).expect("ranking.csv");
    assert!(
        ranking.starts_with(b"\xEF\xBB\xBF\"Rank\",\"Option\""),
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

// ---------------------------------------------------------------- output paths

#[test]
fn a_link_planted_in_an_export_folder_is_replaced_not_followed() {
    let dir = tempfile::tempdir().expect("temp dir");
    let victim = dir.path().join("victim.txt");
    std::fs::write(&victim, "keep me").expect("victim");
    let shared = dir.path().join("shared");
    std::fs::create_dir(&shared).expect("folder");
    std::os::unix::fs::symlink("../victim.txt", shared.join("ranking.csv")).expect("link");
    std::os::unix::fs::symlink("../victim.txt", shared.join("report.docx")).expect("link");
    appraise()
        .args(["export", "--format", "csv", "--out"])
        .arg(format!("{}/", shared.display()))
        .assert()
        .success();
    appraise()
        .args([
            "export",
            "tests/fixtures/export/hostile.toml",
            "--format",
            "docx",
            "--out",
        ])
        .arg(&shared)
        .assert()
        .success();
    assert_eq!(std::fs::read_to_string(&victim).expect("victim"), "keep me");
    let ranking = shared.join("ranking.csv");
    assert!(
        ranking.symlink_metadata().expect("file").is_file(),
        "the link was replaced by the file"
    );
    assert!(
        std::fs::read_to_string(&ranking)
            .expect("csv")
            .contains("Peer Practice Partner")
    );
    assert!(
        std::fs::read(shared.join("hostile.docx"))
            .expect("docx")
            .starts_with(b"PK")
    );
}

#[test]
fn a_link_the_user_names_is_followed_but_a_dangling_one_is_refused() {
    let dir = tempfile::tempdir().expect("temp dir");
    let real = dir.path().join("real.md");
    std::fs::write(&real, "old").expect("file");
    let link = dir.path().join("link.md");
    std::os::unix::fs::symlink(&real, &link).expect("link");
    appraise()
        .args(["export", "--format", "md", "--out"])
        .arg(&link)
        .assert()
        .success();
    assert!(
        link.symlink_metadata()
            .expect("link")
            .file_type()
            .is_symlink()
    );
    assert!(
        std::fs::read_to_string(&real)
            .expect("file")
            .starts_with("# ")
    );

    let dangling = dir.path().join("dangling.md");
    std::os::unix::fs::symlink(dir.path().join("missing/target.md"), &dangling).expect("link");
    appraise()
        .args(["export", "--format", "md", "--out"])
        .arg(&dangling)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("does not exist"))
        .stderr(predicate::str::contains("dangling.md"));
    assert!(
        dangling
            .symlink_metadata()
            .expect("link")
            .file_type()
            .is_symlink()
    );
    assert!(!dir.path().join("missing").exists());
}

#[test]
fn devices_and_pipes_are_written_into_not_replaced() {
    use std::os::unix::fs::FileTypeExt;
    appraise()
        .args(["export", "--format", "md", "--out", "/dev/null"])
        .assert()
        .success();
    assert!(
        std::fs::metadata("/dev/null")
            .expect("null")
            .file_type()
            .is_char_device(),
        "/dev/null is still a device"
    );
    // A full device reports that it is full.
    appraise()
        .args(["export", "--format", "html", "--out", "/dev/full"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("/dev/full"))
        .stderr(predicate::str::contains("No space left on device"));
    // A named pipe: another program reads what the export writes.
    let dir = tempfile::tempdir().expect("temp dir");
    let fifo = dir.path().join("pipe");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo");
    assert!(made.success());
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read_to_string(fifo).expect("read the pipe"))
    };
    appraise()
        .args(["export", "--format", "csv", "--tables", "ranking", "--out"])
        .arg(&fifo)
        .assert()
        .success();
    let got = reader.join().expect("reader");
    assert!(got.starts_with("\u{feff}\"Rank\",\"Option\""), "{got}");
    assert!(
        std::fs::metadata(&fifo)
            .expect("fifo")
            .file_type()
            .is_fifo()
    );
}

#[test]
fn dash_means_standard_output() {
    let dir = tempfile::tempdir().expect("temp dir");
    appraise()
        .current_dir(dir.path())
        .args(["export", "--format", "md", "--out", "-"])
        .assert()
        .success()
        .stdout(predicate::str::starts_with("# Alternative"));
    let out = appraise()
        .current_dir(dir.path())
        .args(["export", "--format", "docx", "--out", "-"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    assert!(out.starts_with(b"PK"), "a Word file on a pipe");
    assert_eq!(
        std::fs::read_dir(dir.path()).expect("dir").count(),
        0,
        "no file named -"
    );
}

/// The sensitivity section of a version-2 export analyses what `appraise
/// sensitivity` analyses: the shortlist, each criterion at its effective
/// weight. Before, it used the weights inside each group (Staffing plan
/// "carries 100%") and let the screened-out Bidder C lead.
#[test]
fn a_version_2_export_analyses_the_shortlist_at_effective_weights() {
    let file = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/v2/waste-contract.toml"
    );
    let md = appraise()
        .args(["export", file, "--format", "md"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let md = String::from_utf8(md).unwrap();
    let at = md
        .find("\n## Sensitivity\n")
        .expect("a sensitivity section")
        + 1;
    let end = md[at + 3..].find("\n## ").map_or(md.len(), |e| at + 3 + e);
    let section = &md[at..end];
    assert!(
        section.contains("Bidder B stays first unless Mobilisation time carries more than 43.0% of the total weight (it now carries 12.0%); then Council in-house bid leads."),
        "{section}"
    );
    assert!(!section.contains("it now carries 100.0%"), "{section}");
    assert!(
        !section.contains("Bidder C"),
        "a screened-out option in the analysis:\n{section}"
    );
    let json = appraise()
        .args(["export", file, "--format", "json"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&json).unwrap();
    let shares: Vec<f64> = v["sensitivity"]["weights"]
        .as_array()
        .map(|rows| rows.iter().filter_map(|r| r["share"].as_f64()).collect())
        .unwrap_or_default();
    assert_eq!(shares.len(), 4, "{}", v["sensitivity"]);
    let expect = [0.18, 0.12, 0.30, 0.40];
    for (got, want) in shares.iter().zip(expect) {
        assert!((got - want).abs() < 1e-9, "{shares:?}");
    }
}

/// A published total beside weights that are not all 1: every export names
/// the figure it shows as the weighted total, not "the sum of the scores".
#[test]
fn a_weighted_mismatch_is_named_as_the_weighted_total_in_exports() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("weighted.toml");
    std::fs::write(
        &file,
        "[appraisal]\ntitle = \"Weighted\"\n\n[scale]\nmin = 0\nmax = 5\n\n\
         [[criteria]]\nid = \"x\"\nname = \"Ex\"\nweight = 0.25\n\n\
         [[criteria]]\nid = \"y\"\nname = \"Why\"\nweight = 3\n\n\
         [[options]]\nid = \"a\"\nname = \"Option A\"\nscores = { x = 4, y = 5 }\npublished_total = 3.0\n\n\
         [[options]]\nid = \"b\"\nname = \"Option B\"\nscores = { x = 2, y = 4 }\n",
    )
    .expect("write");
    for format in ["md", "html"] {
        appraise()
            .args(["export", "--format", format])
            .arg(&file)
            .assert()
            .success()
            .stdout(predicate::str::contains(
                "the source document gives a total of 3.0, but its weighted total from the scores recorded is 16. The total shown is the weighted total.",
            ))
            .stdout(predicate::str::contains("sum of the scores").not());
    }
}

/// Characters the bundled font cannot draw are named when an export draws
/// PNG pictures of the charts, since they show there as empty boxes; the
/// bundled example, all in Latin script, raises no such warning.
#[test]
fn png_pictures_name_the_characters_they_cannot_draw() {
    let dir = tempfile::tempdir().unwrap();
    let example = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/appraisals/children-services-ama-2017.toml"
    ))
    .unwrap();
    let file = dir.path().join("review.toml");
    std::fs::write(
        &file,
        example.replacen(
            "name = \"Joint Venture\"",
            "name = \"Joint Venture 🚀 日本語\"",
            1,
        ),
    )
    .unwrap();
    appraise()
        .arg("export")
        .arg(&file)
        .args(["-f", "png", "--out"])
        .arg(format!("{}/png/", dir.path().display()))
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "warning: the PNG pictures cannot draw 🚀 日 本 語: the bundled font has no such characters",
        ));
    appraise()
        .args(["export", "-f", "docx", "--out"])
        .arg(dir.path().join("r.docx"))
        .assert()
        .success()
        .stderr(predicate::str::contains("cannot draw").not());
}
