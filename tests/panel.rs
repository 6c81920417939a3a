//! Panels of members' sheets: a merge worked out by hand, member exclusion,
//! rejected sheets, and the JSON report's shape.

use std::path::{Path, PathBuf};

use appraise::load::load_path;
use appraise::panel::{self, MergeOptions, Method};
use assert_cmd::Command;
use predicates::prelude::*;

const APPRAISAL: &str = r#"[appraisal]
title = "Two options"

[scale]
min = 0
max = 5

[[criteria]]
id = "x"
name = "Ex"
weight = 2

[[criteria]]
id = "y"
name = "Why"

[[options]]
id = "a"
name = "Option A"

[[options]]
id = "b"
name = "Option B"
"#;

fn sheet(member: &str, a: (&str, &str), b: (&str, &str)) -> String {
    format!(
        "[sheet]\nappraisal = \"review.toml\"\nmember = \"{member}\"\n\n\
         [scores.a]\nx = {}\ny = {}\n\n[scores.b]\nx = {}\ny = {}\n\n[notes.a]\nx = \"reason from {member}\"\n",
        a.0, a.1, b.0, b.1
    )
}

/// A folder with the appraisal and three members' sheets:
/// M1 a=(4,2) b=(3,5); M2 a=(2,4) b=(3,blank); M3 a=(5,3) b=(1,4).
fn panel_dir() -> (tempfile::TempDir, PathBuf, Vec<PathBuf>) {
    let dir = tempfile::tempdir().expect("tempdir");
    let review = dir.path().join("review.toml");
    std::fs::write(&review, APPRAISAL).expect("write");
    let sheets = [
        ("M1", ("4", "2"), ("3", "5")),
        ("M2", ("2", "4"), ("3", "\"\"")),
        ("M3", ("5", "3"), ("1", "4")),
    ];
    let mut paths = Vec::new();
    for (m, a, b) in sheets {
        let p = dir.path().join(format!("{m}.sheet.toml"));
        std::fs::write(&p, sheet(m, a, b)).expect("write");
        paths.push(p);
    }
    (dir, review, paths)
}

fn merged(method: Method, round: bool) -> panel::Merged {
    let (_dir, review, paths) = panel_dir();
    let a = load_path(&review).expect("appraisal").appraisal;
    let refs: Vec<&Path> = paths.iter().map(PathBuf::as_path).collect();
    let sheets = panel::load_sheets(&refs, &a, Some(&review)).expect("sheets");
    panel::merge(
        &a,
        &sheets,
        MergeOptions {
            method,
            round,
            flag_steps: 2.0,
        },
    )
    .expect("merge")
}

#[test]
fn mean_merge_worked_by_hand() {
    let m = merged(Method::Mean, false);
    let c = &m.cells;
    let near = |x: Option<f64>, want: f64| x.is_some_and(|x| (x - want).abs() < 1e-8);
    // a.x = (4+2+5)/3 = 11/3, exactly (not to a hundredth); a.y = (2+4+3)/3 = 3.
    assert!(
        near(c[0][0].consensus, 11.0 / 3.0),
        "{:?}",
        c[0][0].consensus
    );
    assert_eq!(c[0][1].consensus, Some(3.0));
    // b.x = (3+3+1)/3 = 7/3; b.y = (5+4)/2 = 4.5, from the two members who scored it.
    assert!(
        near(c[1][0].consensus, 7.0 / 3.0),
        "{:?}",
        c[1][0].consensus
    );
    assert_eq!(c[1][1].consensus, Some(4.5));
    assert_eq!(c[1][1].scored, 2);
    assert_eq!(c[1][1].scores, vec![Some(5.0), None, Some(4.0)]);
    // Spreads: 3, 2, 2, 1; flagged at 2 steps or more.
    let spreads: Vec<Option<f64>> = c.iter().flatten().map(|x| x.spread).collect();
    assert_eq!(spreads, [Some(3.0), Some(2.0), Some(2.0), Some(1.0)]);
    assert_eq!(m.flagged(), [(0, 0), (0, 1), (1, 0)]);
    // Totals: a = 2 x 11/3 + 3 = 31/3; b = 2 x 7/3 + 4.5 = 55/6.
    assert!(near(Some(m.results.options[0].total), 31.0 / 3.0));
    assert!(near(Some(m.results.options[1].total), 55.0 / 6.0));
    assert_eq!(m.influence.leaders, [0]);
}

#[test]
fn median_and_rounding_worked_by_hand() {
    let m = merged(Method::Median, false);
    // a.x median of 2,4,5 = 4; b.y median of 5,4 = 4.5.
    assert_eq!(m.cells[0][0].consensus, Some(4.0));
    assert_eq!(m.cells[1][1].consensus, Some(4.5));
    let m = merged(Method::Mean, true);
    // Rounded to whole points: 3.67 -> 4, 2.33 -> 2, 4.5 -> 5.
    let v: Vec<Option<f64>> = m.cells.iter().flatten().map(|x| x.consensus).collect();
    assert_eq!(v, [Some(4.0), Some(3.0), Some(2.0), Some(5.0)]);
    assert_eq!(m.consensus.options()[0].score(0), Some(4.0));
}

#[test]
fn each_members_own_ranking_and_agreement() {
    let m = merged(Method::Mean, false);
    // M1: a = 2x4+2 = 10, b = 2x3+5 = 11, so M1 puts b first: the reverse of the consensus.
    assert_eq!(m.views[0].totals, [10.0, 11.0]);
    assert_eq!(m.views[0].ranks, [2, 1]);
    assert_eq!(m.views[0].tau, Some(-1.0));
    // M2: a = 8, b = 6 (blank counts nothing); M3: a = 13, b = 6. Both agree.
    assert_eq!(m.views[1].totals, [8.0, 6.0]);
    assert_eq!(m.views[1].tau, Some(1.0));
    assert_eq!(m.views[2].tau, Some(1.0));
    assert_eq!(m.views[1].scored, 3);
}

#[test]
fn leaving_out_one_member_can_change_the_leader() {
    let m = merged(Method::Mean, false);
    // Without M1: a = 2x3.5+3.5 = 10.5, b = 2x2+4 = 8: a still leads.
    // Without M2: a = 2x4.5+2.5 = 11.5, b = 2x2+4.5 = 8.5: a still leads.
    // Without M3: a = 2x3+3 = 9, b = 2x3+5 = 11: b leads. So M3 is pivotal.
    assert_eq!(m.influence.pivotal, [(2, vec![1])]);
    let text = panel::statements(&load_path(&panel_dir().1).expect("a").appraisal, &m).join("\n");
    assert!(
        text.contains("Without M3's scores, Option B would lead instead."),
        "{text}"
    );
}

fn appraise() -> Command {
    let mut c = Command::cargo_bin("appraise").expect("binary");
    c.env("NO_COLOR", "1");
    c
}

#[test]
fn a_sheet_for_a_different_appraisal_is_rejected() {
    let (dir, review, mut paths) = panel_dir();
    let other = dir.path().join("other.sheet.toml");
    std::fs::write(
        &other,
        sheet("M4", ("1", "1"), ("1", "1")).replace("[scores.b]", "[scores.c]"),
    )
    .expect("write");
    paths.push(other.clone());
    appraise()
        .arg("panel")
        .arg(&review)
        .args(&paths)
        .assert()
        .code(1)
        .stderr(predicate::str::contains(format!("{}:9:9", other.display())))
        .stderr(predicate::str::contains(
            "this sheet names the option `c`, which is not in the appraisal",
        ));
}

#[test]
fn a_criterion_the_appraisal_lacks_is_rejected() {
    let (dir, review, _) = panel_dir();
    let bad = dir.path().join("bad.sheet.toml");
    std::fs::write(
        &bad,
        sheet("M9", ("1", "1"), ("1", "1")).replacen("y = 1", "z = 1", 1),
    )
    .expect("write");
    appraise()
        .arg("panel")
        .arg(&review)
        .arg(&bad)
        .assert()
        .code(1)
        .stderr(predicate::str::contains(format!("{}:7:1", bad.display())))
        .stderr(predicate::str::contains("criterion `z`"));
}

#[test]
fn two_sheets_for_the_same_member_are_rejected() {
    let (dir, review, paths) = panel_dir();
    let again = dir.path().join("again.sheet.toml");
    std::fs::write(&again, sheet("m1", ("1", "1"), ("1", "1"))).expect("write");
    appraise()
        .arg("panel")
        .arg(&review)
        .args(&paths)
        .arg(&again)
        .assert()
        .code(1)
        .stderr(predicate::str::contains(format!(
            "{}:3:10",
            again.display()
        )))
        .stderr(predicate::str::contains(
            "m1 already has a sheet in this panel",
        ))
        .stderr(predicate::str::contains("M1.sheet.toml:3"));
}

#[test]
fn scores_off_the_scale_are_rejected() {
    let (dir, review, _) = panel_dir();
    let bad = dir.path().join("bad.sheet.toml");
    std::fs::write(&bad, sheet("M5", ("6", "1"), ("1", "2.5"))).expect("write");
    appraise()
        .arg("panel")
        .arg(&review)
        .arg(&bad)
        .assert()
        .code(1)
        .stderr(predicate::str::contains(format!("{}:6:5", bad.display())))
        .stderr(predicate::str::contains("6 is outside the scale 0 to 5"))
        .stderr(predicate::str::contains(format!("{}:11:5", bad.display())))
        .stderr(predicate::str::contains("2.5 is not on the scale's steps"));
}

#[test]
fn a_sheet_pointing_at_a_missing_appraisal_is_rejected() {
    let (dir, review, _) = panel_dir();
    let bad = dir.path().join("lost.sheet.toml");
    std::fs::write(
        &bad,
        sheet("M6", ("1", "1"), ("1", "1")).replace("review.toml", "old/elsewhere.toml"),
    )
    .expect("write");
    appraise()
        .arg("panel")
        .arg(&review)
        .arg(&bad)
        .assert()
        .code(1)
        .stderr(predicate::str::contains(format!("{}:2:13", bad.display())))
        .stderr(predicate::str::contains(
            "this sheet points at old/elsewhere.toml, which does not exist",
        ));
}

#[test]
fn a_sheet_moved_away_from_its_appraisal_is_still_accepted() {
    // Sheets are emailed around: the name still matches the appraisal given.
    let (_dir, review, _) = panel_dir();
    let elsewhere = tempfile::tempdir().expect("tempdir");
    let moved = elsewhere.path().join("M1.sheet.toml");
    std::fs::write(&moved, sheet("M1", ("4", "2"), ("3", "5"))).expect("write");
    appraise()
        .arg("panel")
        .arg(&review)
        .arg(&moved)
        .assert()
        .success();
}

#[test]
fn sheet_new_writes_a_blank_sheet_that_merges() {
    let (dir, review, _) = panel_dir();
    appraise()
        .args(["sheet", "new"])
        .arg(&review)
        .args(["--member", "Cllr New Member"])
        .assert()
        .success();
    let made = dir.path().join("review.cllr-new-member.sheet.toml");
    let text = std::fs::read_to_string(&made).expect("sheet written");
    assert!(
        text.contains("[scores.a]\nx = \"\"  # Ex\ny = \"\"  # Why\n"),
        "{text}"
    );
    assert!(text.contains("appraisal = \"review.toml\""));
    // Refuses to overwrite.
    appraise()
        .args(["sheet", "new"])
        .arg(&review)
        .args(["--member", "Cllr New Member"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("already exists"));
    // A blank sheet merges: every cell unscored.
    let out = appraise()
        .arg("panel")
        .arg(&review)
        .arg(&made)
        .args(["--format", "json"])
        .assert()
        .success();
    let v: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).expect("json");
    assert!(
        v["cells"]
            .as_array()
            .expect("cells")
            .iter()
            .all(|c| c["scored"] == 0)
    );
}

#[test]
fn panel_json_has_the_documented_shape() {
    let (_dir, review, paths) = panel_dir();
    let out = appraise()
        .arg("panel")
        .arg(&review)
        .args(&paths)
        .args(["--format", "json"])
        .assert()
        .success();
    let v: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).expect("json");
    assert_eq!(v["title"], "Two options");
    assert_eq!(v["method"], "mean");
    assert_eq!(v["rounded"], false);
    assert_eq!(v["flag_steps"], 2.0);
    assert_eq!(v["members"], serde_json::json!(["M1", "M2", "M3"]));
    let cells = v["cells"].as_array().expect("cells");
    assert_eq!(cells.len(), 4);
    let first = &cells[0];
    for key in [
        "option",
        "criterion",
        "scores",
        "consensus",
        "min",
        "max",
        "spread",
        "scored",
        "flagged",
    ] {
        assert!(first.get(key).is_some(), "cell lacks {key}");
    }
    assert_eq!(
        first["scores"][1],
        serde_json::json!({"member": "M2", "score": 2.0})
    );
    assert_eq!(cells[3]["scores"][1]["score"], serde_json::Value::Null);
    assert_eq!(v["consensus"][0]["option"], "a");
    assert_eq!(v["consensus"][0]["rank"], 1);
    assert_eq!(
        v["member_views"][0]["ranking"],
        serde_json::json!(["b", "a"])
    );
    assert_eq!(v["member_views"][0]["tau"], -1.0);
    assert_eq!(v["leaders"], serde_json::json!(["a"]));
    assert_eq!(v["pivotal_members"][0]["member"], "M3");
    assert_eq!(
        v["pivotal_members"][0]["leaders_without"],
        serde_json::json!(["b"])
    );
    assert!(v["statements"].as_array().expect("statements").len() >= 3);
}

#[test]
fn panel_table_names_the_cells_to_discuss() {
    let (_dir, review, paths) = panel_dir();
    appraise()
        .arg("panel")
        .arg(&review)
        .args(&paths)
        .assert()
        .success()
        .stdout(predicate::str::contains("Cells to discuss"))
        .stdout(predicate::str::contains("3 of 4 cells show a spread"))
        .stdout(predicate::str::contains("Without M3's scores"));
}

#[test]
fn the_sheet_example_in_the_format_docs_is_valid() {
    let doc = std::fs::read_to_string("docs/format.md").expect("docs/format.md");
    let blocks: Vec<&str> = doc
        .split("```toml\n")
        .skip(1)
        .map(|b| b.split("```").next().unwrap_or(""))
        .collect();
    // The first two blocks are the appraisal and the sheet examples; the
    // later ones (version 2, agreed weights) are tested beside their features.
    assert!(
        blocks.len() >= 2 && blocks[1].contains("member ="),
        "docs/format.md should open with an appraisal example and then a sheet example"
    );
    let a = appraise::load::load_str("format.md", blocks[0])
        .expect("appraisal")
        .appraisal;
    let file = appraise::diagnostic::SourceFile::new("sheet", blocks[1]);
    let s =
        panel::parse_sheet(file, &a, None, Path::new(".")).expect("the documented sheet parses");
    assert_eq!(s.member, "Cllr A. Clark");
    assert_eq!(s.scores[0], [Some(4.0), None]);
    assert!(s.notes[0][0].is_some());
}

#[test]
fn panel_renders_through_the_report_writers() {
    let (dir, review, paths) = panel_dir();
    let md = appraise()
        .arg("panel")
        .arg(&review)
        .args(&paths)
        .args(["--format", "md"])
        .assert()
        .success();
    let md = String::from_utf8(md.get_output().stdout.clone()).expect("utf8");
    assert!(
        md.contains("**Cells to discuss (spread of 2 steps or more)**"),
        "{md}"
    );
    assert!(
        md.contains("| Option A | Ex | 4 | 2 | 5 | 3.67 | 3 | 3 of 3 |"),
        "{md}"
    );
    assert!(
        md.contains("| Option A | 3.67 (spread 3 steps) | 3 (spread 2 steps) |"),
        "{md}"
    );

    let html = appraise()
        .arg("panel")
        .arg(&review)
        .args(&paths)
        .args(["--format", "html"])
        .assert()
        .success();
    let html = String::from_utf8(html.get_output().stdout.clone()).expect("utf8");
    assert!(
        html.contains("\">Cells to discuss (spread of 2 steps or more)</caption>"),
        "{html}"
    );
    assert!(!html.contains("<script"));

    appraise()
        .arg("panel")
        .arg(&review)
        .args(&paths)
        .args(["--format", "xlsx"])
        .assert()
        .code(2);
    let out = dir.path().join("panel.xlsx");
    appraise()
        .arg("panel")
        .arg(&review)
        .args(&paths)
        .args(["--format", "xlsx", "--out"])
        .arg(&out)
        .assert()
        .success();
    use calamine::Reader;
    let mut wb: calamine::Xlsx<_> = calamine::open_workbook(&out).expect("workbook");
    let names = wb.sheet_names();
    assert!(names.iter().any(|n| n == "Consensus ranking"), "{names:?}");
    let range = wb.worksheet_range("To discuss").expect("sheet");
    let values: Vec<String> = range
        .rows()
        .flat_map(|r| r.iter().map(|c| c.to_string()))
        .collect();
    assert!(values.iter().any(|v| v == "Option A"), "{values:?}");
}

#[test]
fn write_consensus_updates_scores_and_notes_keeping_comments() {
    let (_dir, review, paths) = panel_dir();
    let original = std::fs::read_to_string(&review).expect("read");
    let commented = original.replace(
        "[[options]]\nid = \"a\"",
        "# The first option.\n[[options]]\nid = \"a\"  # keep this id",
    );
    std::fs::write(&review, &commented).expect("write");
    appraise()
        .arg("panel")
        .arg(&review)
        .args(&paths)
        .arg("--write-consensus")
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "4 scores changed, 4 notes updated, 0 cells left",
        ));
    let written = std::fs::read_to_string(&review).expect("read");
    assert!(
        written.contains("# The first option.\n[[options]]\nid = \"a\"  # keep this id"),
        "{written}"
    );
    let loaded = appraise::load::load_str("r", &written).expect("still valid");
    let a = &loaded.appraisal;
    // Consensus 3.67, 3, 2.33, 4.5, rounded to whole points: 4, 3, 2, 5.
    assert_eq!(a.options()[0].scores(), [Some(4.0), Some(3.0)]);
    assert_eq!(a.options()[1].scores(), [Some(2.0), Some(5.0)]);
    assert_eq!(
        a.options()[0].note(0),
        Some(
            "Panel consensus (written by appraise): mean 3.67 of 3 members (3 scored), range 2 to 5, spread 3; written as 4."
        )
    );
    assert_eq!(
        a.options()[1].note(1),
        Some(
            "Panel consensus (written by appraise): mean 4.5 of 3 members (2 scored), range 4 to 5, spread 1; written as 5."
        )
    );
    // A second run replaces the panel lines rather than adding more.
    appraise()
        .arg("panel")
        .arg(&review)
        .args(&paths)
        .arg("--write-consensus")
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "0 scores changed, 0 notes updated",
        ));
    assert_eq!(std::fs::read_to_string(&review).expect("read"), written);
}

#[test]
fn sensitivity_runs_on_the_consensus() {
    let (_dir, review, paths) = panel_dir();
    appraise()
        .arg("panel")
        .arg(&review)
        .args(&paths)
        .args(["--sensitivity", "--samples", "20000"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Sensitivity of the consensus"))
        .stdout(predicate::str::contains("Option A stays first unless"));
    let out = appraise()
        .arg("panel")
        .arg(&review)
        .args(&paths)
        .args(["--sensitivity", "--samples", "20000", "--format", "json"])
        .assert()
        .success();
    let v: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).expect("json");
    assert_eq!(v["sensitivity"]["leader"], "a");
    assert_eq!(v["sensitivity"]["monte_carlo"]["samples"], 20000);
    let md = appraise()
        .arg("panel")
        .arg(&review)
        .args(&paths)
        .args(["--sensitivity", "--format", "md"])
        .assert()
        .success();
    assert!(
        String::from_utf8_lossy(&md.get_output().stdout)
            .contains("## Sensitivity of the consensus")
    );
}

/// One member's cells: (option id, criterion id, score as written).
type Cells<'a> = &'a [(&'a str, &'a str, &'a str)];

/// A folder with `appraisal` as review.toml and one sheet per member.
fn custom_panel(
    appraisal: &str,
    members: &[(&str, Cells<'_>)],
) -> (tempfile::TempDir, PathBuf, Vec<PathBuf>) {
    let dir = tempfile::tempdir().expect("tempdir");
    let review = dir.path().join("review.toml");
    std::fs::write(&review, appraisal).expect("write");
    let mut paths = Vec::new();
    for (m, cells) in members {
        let mut text = format!("[sheet]\nappraisal = \"review.toml\"\nmember = \"{m}\"\n");
        let mut options: Vec<&str> = cells.iter().map(|c| c.0).collect();
        options.dedup();
        for o in options {
            text.push_str(&format!("\n[scores.{o}]\n"));
            for (_, c, s) in cells.iter().filter(|c| c.0 == o) {
                text.push_str(&format!("{c} = {s}\n"));
            }
        }
        let p = dir.path().join(format!("{m}.sheet.toml"));
        std::fs::write(&p, text).expect("write");
        paths.push(p);
    }
    (dir, review, paths)
}

fn half_point_scale(max: &str) -> String {
    format!(
        "[appraisal]\ntitle = \"Fine scale\"\n\n[scale]\nmin = 0\nmax = {max}\nstep = 0.5\n\n\
         [[criteria]]\nid = \"q\"\nname = \"Quality\"\n\n\
         [[options]]\nid = \"a\"\nname = \"A\"\n\n[[options]]\nid = \"b\"\nname = \"B\"\n"
    )
}

fn panel_json(review: &Path, paths: &[PathBuf], extra: &[&str]) -> serde_json::Value {
    let out = appraise()
        .arg("panel")
        .arg(review)
        .args(paths)
        .args(["--format", "json"])
        .args(extra)
        .assert()
        .success();
    serde_json::from_slice(&out.get_output().stdout).expect("json")
}

#[test]
fn the_consensus_is_exact_on_a_scale_of_any_size() {
    // A: 70, 71, 70.5, 70 (mean 70.375); B: 70.5, 70.5, 70.5, 71 (mean 70.625).
    let a = ["70", "71", "70.5", "70"];
    let b = ["70.5", "70.5", "70.5", "71"];
    for max in ["100", "101", "5000"] {
        let cells: Vec<[(&str, &str, &str); 2]> = (0..4)
            .map(|m| [("a", "q", a[m]), ("b", "q", b[m])])
            .collect();
        let members: Vec<(&str, Cells<'_>)> = ["M1", "M2", "M3", "M4"]
            .iter()
            .zip(&cells)
            .map(|(m, c)| (*m, c.as_slice()))
            .collect();
        let (_dir, review, paths) = custom_panel(&half_point_scale(max), &members);
        let v = panel_json(&review, &paths, &[]);
        assert_eq!(v["rounded"], false);
        assert_eq!(v["cells"][0]["consensus"], 70.375, "max {max}");
        assert_eq!(v["cells"][1]["consensus"], 70.625, "max {max}");
        let ranking: Vec<(String, f64, u64)> = v["consensus"]
            .as_array()
            .expect("ranking")
            .iter()
            .map(|r| {
                (
                    r["option"].as_str().expect("id").to_string(),
                    r["total"].as_f64().expect("total"),
                    r["rank"].as_u64().expect("rank"),
                )
            })
            .collect();
        assert_eq!(
            ranking,
            [("b".to_string(), 70.625, 1), ("a".to_string(), 70.375, 2)],
            "max {max}: no tie, B ahead"
        );
        assert_eq!(v["leaders"], serde_json::json!(["b"]), "max {max}");
        // Rounded on request: both to the nearest half point, 70.5, and tied.
        let v = panel_json(&review, &paths, &["--round"]);
        assert_eq!(v["rounded"], true);
        assert_eq!(v["cells"][0]["consensus"], 70.5);
        assert_eq!(v["leaders"], serde_json::json!(["a", "b"]));
    }
}

#[test]
fn a_panel_can_total_its_members_points() {
    let (_dir, review, paths) = panel_dir();
    // M1 a=(4,2) b=(3,5); M2 a=(2,4) b=(3,blank); M3 a=(5,3) b=(1,4); weights x 2, y 1.
    let v = panel_json(&review, &paths, &["--method", "sum"]);
    assert_eq!(v["method"], "sum");
    let cells: Vec<f64> = v["cells"]
        .as_array()
        .expect("cells")
        .iter()
        .map(|c| c["consensus"].as_f64().expect("scored"))
        .collect();
    assert_eq!(cells, [11.0, 9.0, 7.0, 9.0]);
    // a = 2 x 11 + 9 = 31; b = 2 x 7 + 9 = 23; out of 3 members x (2 + 1) x 5 = 45.
    assert_eq!(v["consensus"][0]["option"], "a");
    assert_eq!(v["consensus"][0]["total"], 31.0);
    assert_eq!(v["consensus"][1]["total"], 23.0);
    assert_eq!(v["max_total"], 45.0);
    let statements = v["statements"].as_array().expect("statements");
    assert_eq!(
        statements[0],
        "On the sum of 3 members' scores, Option A ranks first."
    );
    assert!(
        statements.iter().any(|s| s
            .as_str()
            .is_some_and(|s| s.contains("add nothing to the sums"))),
        "{statements:?}"
    );
    // Every output says which method was used.
    appraise()
        .arg("panel")
        .arg(&review)
        .args(&paths)
        .args(["--method", "sum"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "Consensus ranking (sum of members' scores)",
        ))
        .stdout(predicate::str::contains("31/45"));
    appraise()
        .arg("panel")
        .arg(&review)
        .args(&paths)
        .args(["--method", "sum", "--format", "md"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "Consensus ranking (sum of members' scores)",
        ));
    appraise()
        .arg("panel")
        .arg(&review)
        .args(&paths)
        .args(["--method", "sum", "--format", "html"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "Consensus ranking (sum of members&#39; scores)",
        ))
        .stdout(predicate::str::contains(
            "On the sum of 3 members&#39; scores",
        ));
    let dir = tempfile::tempdir().expect("tempdir");
    let book = dir.path().join("sum.xlsx");
    appraise()
        .arg("panel")
        .arg(&review)
        .args(&paths)
        .args(["--method", "sum", "--format", "xlsx", "--out"])
        .arg(&book)
        .assert()
        .success();
    use calamine::Reader;
    let mut wb: calamine::Xlsx<_> = calamine::open_workbook(&book).expect("workbook");
    let names = wb.sheet_names();
    let named = names.iter().any(|n| {
        wb.worksheet_range(n).is_ok_and(|r| {
            r.rows()
                .flatten()
                .any(|c| c.to_string().contains("sum of members' scores"))
        })
    });
    assert!(named, "the workbook names the method");
    // A sum is not on the appraisal's scale, so it cannot be written into it.
    let before = std::fs::read(&review).expect("read");
    appraise()
        .arg("panel")
        .arg(&review)
        .args(&paths)
        .args(["--method", "sum", "--write-consensus"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--method mean"));
    assert_eq!(std::fs::read(&review).expect("read"), before);
}

#[test]
fn write_consensus_never_removes_what_a_person_wrote() {
    let (_dir, review, paths) = panel_dir();
    let original = std::fs::read_to_string(&review).expect("read");
    // A councillor's own "Panel:" line, and a line an earlier version wrote.
    let noted = original.replace(
        "[[options]]\nid = \"a\"\nname = \"Option A\"\n",
        "[[options]]\nid = \"a\"\nname = \"Option A\"\n\
         notes = { x = \"Site visit.\\nPanel: we visited the site on 3 May and saw the new rooms.\\nPanel: mean 3 of 2 members (2 scored), range 2-4, spread 2.\" }\n",
    );
    assert_ne!(noted, original);
    std::fs::write(&review, &noted).expect("write");
    appraise()
        .arg("panel")
        .arg(&review)
        .args(&paths)
        .arg("--write-consensus")
        .assert()
        .success();
    let written = std::fs::read_to_string(&review).expect("read");
    let a = appraise::load::load_str("r", &written)
        .expect("still valid")
        .appraisal;
    let note = a.options()[0].note(0).expect("note");
    assert_eq!(
        note,
        "Site visit.\nPanel: we visited the site on 3 May and saw the new rooms.\n\
         Panel consensus (written by appraise): mean 3.67 of 3 members (3 scored), range 2 to 5, spread 3; written as 4.",
        "the person's lines stay, the old generated line is replaced"
    );
    // Merging again replaces only the generated line.
    appraise()
        .arg("panel")
        .arg(&review)
        .args(&paths)
        .arg("--write-consensus")
        .assert()
        .success()
        .stderr(predicate::str::contains("0 notes updated"));
    assert_eq!(std::fs::read_to_string(&review).expect("read"), written);
}

#[test]
fn spaces_in_quotes_are_a_blank_score_with_a_warning() {
    let (dir, review, _) = panel_dir();
    let spaced = dir.path().join("spaced.sheet.toml");
    std::fs::write(&spaced, sheet("M7", ("4", "\" \""), ("3", "5"))).expect("write");
    let out = appraise()
        .arg("panel")
        .arg(&review)
        .arg(&spaced)
        .args(["--format", "json"])
        .assert()
        .success()
        .stderr(predicate::str::contains(format!("{}:7:5", spaced.display())))
        .stderr(predicate::str::contains(
            "warning[blank-score-with-spaces]: the score for `y` is \" \", spaces in quotes; it is read as blank (not scored)",
        ))
        .stderr(predicate::str::contains("write \"\" to leave the score blank"));
    let v: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).expect("json");
    assert_eq!(v["cells"][1]["scored"], 0);
    // "" itself is the ordinary blank and says nothing.
    let blank = dir.path().join("blank.sheet.toml");
    std::fs::write(&blank, sheet("M8", ("4", "\"\""), ("3", "5"))).expect("write");
    appraise()
        .arg("panel")
        .arg(&review)
        .arg(&blank)
        .assert()
        .success()
        .stderr(predicate::str::contains("warning").not());
}

#[test]
fn counts_in_panel_messages_agree_in_number() {
    let (_dir, review, paths) = panel_dir();
    appraise()
        .arg("panel")
        .arg(&review)
        .args(&paths)
        .args(["--flag-spread", "1"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "Cells to discuss (spread of 1 step or more)",
        ))
        .stdout(predicate::str::contains(
            "show a spread of 1 scale step or more",
        ));
    appraise()
        .arg("panel")
        .arg(&review)
        .arg(&paths[0])
        .assert()
        .success()
        .stdout(predicate::str::contains("Panel of 1 member: M1\n"));
    // One sheet, written twice: the second run changes nothing and says so.
    appraise()
        .arg("panel")
        .arg(&review)
        .arg(&paths[0])
        .arg("--write-consensus")
        .assert()
        .success();
    appraise()
        .arg("panel")
        .arg(&review)
        .arg(&paths[0])
        .arg("--write-consensus")
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "0 scores changed, 0 notes updated, 0 cells left",
        ));
}

/// Means that exact arithmetic makes equal (0 + 0 + 5/3 and 0 + 1/3 + 4/3)
/// differ in floating point; the consensus must still tie them.
#[test]
fn consensus_totals_equal_in_exact_arithmetic_tie() {
    let dir = tempfile::tempdir().expect("tempdir");
    let review = dir.path().join("review.toml");
    std::fs::write(
        &review,
        "[appraisal]\ntitle = \"Thirds\"\n\n[scale]\nmin = 0\nmax = 5\n\n\
         [[criteria]]\nid = \"x\"\nname = \"Ex\"\n\n[[criteria]]\nid = \"y\"\nname = \"Why\"\n\n\
         [[criteria]]\nid = \"z\"\nname = \"Zed\"\n\n\
         [[options]]\nid = \"a\"\nname = \"Option A\"\n\n[[options]]\nid = \"b\"\nname = \"Option B\"\n",
    )
    .expect("write");
    let members = [("M1", [1, 1], 0), ("M2", [2, 1], 0), ("M3", [2, 2], 1)];
    let mut paths = Vec::new();
    for (m, [az, bz], by) in members {
        let p = dir.path().join(format!("{m}.sheet.toml"));
        std::fs::write(
            &p,
            format!(
                "[sheet]\nappraisal = \"review.toml\"\nmember = \"{m}\"\n\n\
                 [scores.a]\nx = 0\ny = 0\nz = {az}\n\n[scores.b]\nx = 0\ny = {by}\nz = {bz}\n"
            ),
        )
        .expect("write");
        paths.push(p);
    }
    let out = appraise()
        .arg("panel")
        .arg(&review)
        .args(&paths)
        .args(["--format", "json"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let doc: serde_json::Value = serde_json::from_slice(&out).expect("json");
    let consensus = doc["consensus"].as_array().expect("consensus");
    assert_eq!(consensus[0]["rank"], 1, "{doc}");
    assert_eq!(consensus[1]["rank"], 1, "{doc}");
    assert_eq!(consensus[0]["total"], consensus[1]["total"], "{doc}");
    assert_eq!(doc["leaders"].as_array().expect("leaders").len(), 2);
}

/// A sheet saved by two programs that each added a byte-order mark is
/// warned about at 1:1, as an appraisal file is; an option the sheet leaves
/// out is warned about at the end of the sheet, where its scores would go.
#[test]
fn a_sheets_doubled_byte_order_mark_and_missing_option_are_located() {
    let (dir, review, _) = panel_dir();
    let doubled = dir.path().join("doubled.sheet.toml");
    let text = sheet("M9", ("4", "2"), ("3", "5"));
    std::fs::write(&doubled, format!("\u{feff}\u{feff}{text}")).expect("write");
    appraise()
        .arg("panel")
        .arg(&review)
        .arg(&doubled)
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "warning[doubled-byte-order-mark]: the file starts with two byte-order marks",
        ))
        .stderr(predicate::str::contains(format!(
            "{}:1:1",
            doubled.display()
        )));
    let partial = dir.path().join("partial.sheet.toml");
    let only_a = text
        .split("\n[scores.b]")
        .next()
        .expect("a first")
        .to_string();
    std::fs::write(&partial, &only_a).expect("write");
    let last_line = only_a.trim_end().lines().count();
    let last_col = only_a
        .trim_end()
        .lines()
        .last()
        .expect("a line")
        .chars()
        .count()
        + 1;
    appraise()
        .arg("panel")
        .arg(&review)
        .arg(&partial)
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "warning[missing-option]: the sheet has no scores for Option B (`b`)",
        ))
        .stderr(predicate::str::contains(format!(
            "{}:{last_line}:{last_col}",
            partial.display()
        )))
        .stderr(predicate::str::contains("[scores.b]"));
}

/// On a half-point scale a spread of 1 point is 2 steps: the cells to
/// discuss count it in steps, as their title and the threshold do.
#[test]
fn spreads_are_shown_in_the_steps_the_threshold_counts() {
    let a = ["70", "71", "70.5", "70"];
    let b = ["70.5", "70.5", "70.5", "71"];
    let cells: Vec<[(&str, &str, &str); 2]> = (0..4)
        .map(|m| [("a", "q", a[m]), ("b", "q", b[m])])
        .collect();
    let members: Vec<(&str, Cells<'_>)> = ["M1", "M2", "M3", "M4"]
        .iter()
        .zip(&cells)
        .map(|(m, c)| (*m, c.as_slice()))
        .collect();
    let (_dir, review, paths) = custom_panel(&half_point_scale("100"), &members);
    let out = appraise()
        .arg("panel")
        .arg(&review)
        .args(&paths)
        .args(["--format", "md"])
        .assert()
        .success();
    let md = String::from_utf8(out.get_output().stdout.clone()).expect("utf8");
    assert!(
        md.contains("**Cells to discuss (spread of 2 steps or more)**"),
        "{md}"
    );
    assert!(
        md.contains(
            "| Option | Criterion | M1 | M2 | M3 | M4 | Consensus | Spread (steps) | Scored by |"
        ),
        "{md}"
    );
    assert!(
        md.contains("| A | Quality | 70 | 71 | 70.5 | 70 | 70.38 | 2 | 4 of 4 |"),
        "{md}"
    );
    assert!(md.contains("| A | 70.38 (spread 2 steps) |"), "{md}");
    // The JSON keeps the spread in points.
    let v = panel_json(&review, &paths, &[]);
    assert_eq!(v["cells"][0]["spread"], 1.0);
}
