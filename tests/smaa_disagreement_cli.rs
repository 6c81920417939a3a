//! `appraise panel --disagreement`: how sure the ranking is given how much
//! the members disagree, on a panel worked out by hand.

use std::path::PathBuf;

use assert_cmd::Command;

const APPRAISAL: &str = "[appraisal]\ntitle = \"Two options\"\n\n[scale]\nmin = 0\nmax = 5\n\n\
[[criteria]]\nid = \"x\"\nname = \"Ex\"\nweight = 2\n\n[[criteria]]\nid = \"y\"\nname = \"Why\"\n\n\
[[options]]\nid = \"a\"\nname = \"Option A\"\n\n[[options]]\nid = \"b\"\nname = \"Option B\"\n";

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
        let text = format!(
            "[sheet]\nappraisal = \"review.toml\"\nmember = \"{m}\"\n\n\
             [scores.a]\nx = {}\ny = {}\n\n[scores.b]\nx = {}\ny = {}\n",
            a.0, a.1, b.0, b.1
        );
        std::fs::write(&p, text).expect("write");
        paths.push(p);
    }
    (dir, review, paths)
}

/// Option A's chance of ranking first (ties sharing it), every combination
/// of the members' scores counted: x weighs 2, y 1.
fn exact_a_first() -> f64 {
    let (ax, ay, bx, by) = (
        [4.0, 2.0, 5.0],
        [2.0, 4.0, 3.0],
        [3.0, 3.0, 1.0],
        [5.0, 4.0],
    );
    let mut first = 0;
    let mut all = 0;
    for x in ax {
        for y in ay {
            for u in bx {
                for v in by {
                    all += 1;
                    if 2.0 * x + y >= 2.0 * u + v {
                        first += 1;
                    }
                }
            }
        }
    }
    f64::from(first) / f64::from(all)
}

fn panel(args: &[&str]) -> String {
    let (_dir, review, paths) = panel_dir();
    let mut cmd = Command::cargo_bin("appraise").unwrap();
    cmd.env("NO_COLOR", "1")
        .arg("panel")
        .arg(&review)
        .args(&paths);
    cmd.args(["--disagreement", "--samples", "200000"])
        .args(args);
    String::from_utf8(cmd.assert().success().get_output().stdout.clone()).unwrap()
}

#[test]
fn the_chance_of_first_place_matches_every_combination_counted() {
    let doc: serde_json::Value = serde_json::from_str(&panel(&["--format", "json"])).unwrap();
    let d = &doc["disagreement"];
    assert_eq!(d["members"], 3);
    assert_eq!(d["varying_cells"], 4);
    let b = d["acceptability"]["a"][0].as_f64().unwrap();
    let se = d["acceptability_se"]["a"][0].as_f64().unwrap();
    let want = exact_a_first();
    assert!((b - want).abs() <= 4.0 * se, "{b} against {want} (se {se})");
    let text = d["statements"][0].as_str().unwrap();
    assert!(
        text.starts_with("Given how much the 3 members disagree (each score drawn from the members' own scores for that cell, 4 cells of which differ, with the weights as they are), Option A ranks first in "),
        "{text}"
    );
}

#[test]
fn the_terminal_shows_the_statements_and_the_ranks() {
    let text = panel(&[]);
    assert!(
        text.contains("How sure, given how much the members disagree"),
        "{text}"
    );
    assert!(
        text.contains("- The option most often first otherwise is Option B"),
        "{text}"
    );
    assert!(text.contains("Rank 1 %"), "{text}");
}
