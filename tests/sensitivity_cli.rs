//! The `appraise sensitivity` command, run as a user would.

use assert_cmd::Command;
use predicates::prelude::*;

fn appraise() -> Command {
    let mut c = Command::cargo_bin("appraise").unwrap();
    c.env("NO_COLOR", "1");
    c
}

#[test]
fn table_output_on_the_example() {
    let out = appraise()
        .args([
            "sensitivity",
            "--samples",
            "20000",
            "--threads",
            "1",
            "--seed",
            "3",
        ])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    insta::assert_snapshot!("sensitivity_example_table", text);
}

#[test]
fn same_seed_same_output_whatever_the_threads() {
    let run = |threads: &str| {
        appraise()
            .args([
                "sensitivity",
                "--samples",
                "70000",
                "--seed",
                "9",
                "--format",
                "json",
                "--threads",
                threads,
            ])
            .assert()
            .success()
            .get_output()
            .stdout
            .clone()
    };
    let one = run("1");
    assert_eq!(one, run("2"));
    assert_eq!(one, run("4"));
}

#[test]
fn json_output_has_the_documented_fields() {
    let out = appraise()
        .args([
            "sensitivity",
            "--samples",
            "10000",
            "--threads",
            "2",
            "--format",
            "json",
        ])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    let w = &v["weights"][0];
    assert_eq!(w["criterion"], "child-focused");
    assert_eq!(w["share"], 0.125);
    assert_eq!(w["stable_from"], 0.0);
    assert!((w["stable_to"].as_f64().unwrap() - 8.0 / 15.0).abs() < 1e-12);
    assert!(w["below"].is_null());
    assert_eq!(w["above"], "community-interest-company");
    assert!(v["weights"][1]["above"].is_null());
    assert_eq!(v["scores"]["leader"], "peer-practice-partner");
    assert_eq!(v["scores"]["min_steps_to_tie"], 7);
    assert_eq!(v["scores"]["min_steps_to_overtake"], 8);
    assert_eq!(v["scores"]["challenger"], "community-interest-company");
    let loo = &v["leave_one_out"][0];
    assert_eq!(loo["criterion"], "child-focused");
    assert_eq!(loo["leader"], "peer-practice-partner");
    assert_eq!(loo["ranking"].as_array().unwrap().len(), 8);
    let mc = &v["monte_carlo"];
    assert_eq!(mc["samples"], 10000);
    assert_eq!(mc["seed"], 1);
    let acc = mc["acceptability"]["peer-practice-partner"]
        .as_array()
        .unwrap();
    assert_eq!(acc.len(), 8);
    let sum: f64 = acc.iter().map(|x| x.as_f64().unwrap()).sum();
    assert!((sum - 1.0).abs() < 1e-9);
    // Keys keep the file's order, and never-first options have null central weights.
    let keys: Vec<&String> = mc["acceptability"].as_object().unwrap().keys().collect();
    assert_eq!(keys.len(), 8);
    assert!(mc["central_weights"]["shared-service"].is_null());
    assert!(mc["confidence"]["shared-service"].is_null());
    assert_eq!(
        mc["central_weights"]["peer-practice-partner"]
            .as_object()
            .unwrap()
            .len(),
        8
    );
    assert!(v["statements"].as_array().unwrap().len() >= 4);
}

#[test]
fn spreads_are_reported() {
    appraise()
        .args(["sensitivity", "--samples", "5000", "--weight-spread", "20", "--score-spread", "1"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "With each weight varied at random within 20% of its current value and every score varied at random by up to 1 point either way, Peer Practice Partner ranks first in",
        ))
        .stdout(predicate::str::contains("Using the weights under which it typically wins"));
}

#[test]
fn bad_arguments_are_usage_errors() {
    for args in [
        vec!["sensitivity", "--samples", "0"],
        vec!["sensitivity", "--samples", "lots"],
        vec!["sensitivity", "--threads", "0"],
        vec!["sensitivity", "--weight-spread", "150"],
        vec!["sensitivity", "--weight-spread", "-5"],
        vec!["sensitivity", "--score-spread", "-1"],
        vec!["sensitivity", "--score-spread", "NaN"],
        vec!["sensitivity", "--format", "xml"],
        vec!["sensitivity", "--seed", "-1"],
    ] {
        appraise().args(&args).assert().code(2);
    }
}

#[test]
fn a_missing_file_fails_cleanly() {
    appraise()
        .args(["sensitivity", "no-such-file.toml"])
        .assert()
        .code(1)
        .stdout(predicate::str::is_empty());
}

#[test]
fn provisional_results_say_so() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("partial.toml");
    let example = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/appraisals/children-services-ama-2017.toml"
    ))
    .unwrap();
    // Drop the first option's Risk score.
    let partial = example.replacen("risk = 4\n", "", 1);
    assert_ne!(partial, example);
    std::fs::write(&path, partial).unwrap();
    appraise()
        .args(["sensitivity", "--samples", "2000"])
        .arg(&path)
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "These results are provisional: 1 score is not yet scored",
        ));
}

/// Two criteria of equal weight; A (4, 2) and B (2, 3) are level when the
/// first criterion carries a third of the weight, so A is first from 33.3...%.
const THIRD: &str = "[appraisal]\ntitle = \"A third\"\n[scale]\nmin = 0\nmax = 5\n\
    [[criteria]]\nid = \"x\"\nname = \"Ex\"\nweight = 1\n\
    [[criteria]]\nid = \"y\"\nname = \"Why\"\nweight = 1\n\
    [[options]]\nid = \"a\"\nname = \"A\"\nscores = { x = 4, y = 2 }\n\
    [[options]]\nid = \"b\"\nname = \"B\"\nscores = { x = 2, y = 3 }\n";

#[test]
fn a_boundary_reads_the_same_in_the_sentence_and_the_table() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("third.toml");
    std::fs::write(&path, THIRD).unwrap();
    let out = appraise()
        .arg("sensitivity")
        .arg(&path)
        .args(["--samples", "2000", "--threads", "1"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    // Rounded up, so "first from 33.4%" is true; never 33.3% in one place and 33.4% in another.
    assert!(
        text.contains("A stays first unless Ex carries less than 33.4% of the total weight (it now carries 50.0%); then B leads."),
        "{text}"
    );
    let row = text
        .lines()
        .find(|l| l.starts_with("│ Ex "))
        .expect("the weight table's row for Ex");
    assert!(row.contains("33.4%"), "{row}");
    assert!(!text.contains("33.3%"), "{text}");
}

#[test]
fn spreads_are_worded_in_the_right_number() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("third.toml");
    std::fs::write(&path, THIRD).unwrap();
    let run = |args: &[&str]| {
        let out = appraise()
            .arg("sensitivity")
            .arg(&path)
            .args(["--samples", "2000", "--threads", "1"])
            .args(args)
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        String::from_utf8(out).unwrap()
    };
    let zero = run(&["--weight-spread", "0"]);
    assert!(
        zero.contains("With the weights held at their current values,"),
        "{zero}"
    );
    assert!(zero.contains("weights held at their values"), "{zero}");
    assert!(!zero.contains("within 0%"), "{zero}");
    let one = run(&["--score-spread", "1"]);
    assert!(
        one.contains("each score within 1 scale step of its value"),
        "{one}"
    );
    assert!(one.contains("by up to 1 point either way"), "{one}");
    let two = run(&["--score-spread", "2", "--weight-spread", "20"]);
    assert!(
        two.contains("each score within 2 scale steps of its value"),
        "{two}"
    );
    assert!(two.contains("by up to 2 points either way"), "{two}");
    assert!(two.contains("within 20% of its current value"), "{two}");
}

#[test]
fn central_weights_are_headed_by_criterion_names_where_they_fit() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("third.toml");
    std::fs::write(&path, THIRD).unwrap();
    let out = appraise()
        .arg("sensitivity")
        .arg(&path)
        .args(["--samples", "2000", "--threads", "1"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    let central = text
        .split("Central weights")
        .last()
        .expect("central weights");
    assert!(
        central.contains("Ex") && central.contains("Why"),
        "{central}"
    );
    assert!(!central.contains("C1"), "{central}");
    // Long names that do not fit get numbers and a key.
    let long = appraise()
        .args(["sensitivity", "--samples", "2000", "--threads", "1"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let long = String::from_utf8(long).unwrap();
    let central = long
        .split("Central weights")
        .last()
        .expect("central weights");
    assert!(central.contains("┆ C1 "), "{central}");
    assert!(
        central.contains("Key: C1 Child focused; C2 Partnerships;"),
        "{central}"
    );
}

/// Weights 0.1, 0.2 and 0.3: A scores (0, 0, 1), a total of 0.3, and B
/// (1, 1, 0), a total of 0.1 + 0.2, which binary arithmetic makes
/// 0.30000000000000004. The one tie rule makes them tie in every output.
const NOISY_TIE: &str = "[appraisal]\ntitle = \"Noise\"\n\n[scale]\nmin = 0\nmax = 5\n\n\
    [[criteria]]\nid = \"x\"\nname = \"Ex\"\nweight = 0.1\n\n\
    [[criteria]]\nid = \"y\"\nname = \"Why\"\nweight = 0.2\n\n\
    [[criteria]]\nid = \"z\"\nname = \"Zed\"\nweight = 0.3\n\n\
    [[options]]\nid = \"a\"\nname = \"Option A\"\nscores = { x = 0, y = 0, z = 1 }\n\n\
    [[options]]\nid = \"b\"\nname = \"Option B\"\nscores = { x = 1, y = 1, z = 0 }\n\n\
    [[options]]\nid = \"c\"\nname = \"Option C\"\nscores = { x = 0, y = 0, z = 0 }\n";

#[test]
fn totals_equal_in_exact_arithmetic_tie_in_every_output() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("noise.toml");
    std::fs::write(&file, NOISY_TIE).unwrap();
    let out = appraise()
        .arg("rank")
        .arg(&file)
        .args(["--format", "json"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    let ranks: Vec<(String, u64)> = v["options"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| {
            (
                o["id"].as_str().unwrap().to_string(),
                o["rank"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        ranks,
        [("a".into(), 1), ("b".into(), 1), ("c".into(), 3)],
        "tied, in file order"
    );
    let totals: Vec<f64> = v["options"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["total"].as_f64().unwrap())
        .collect();
    assert_ne!(totals[0], totals[1], "the case needs binary noise");
    appraise()
        .arg("rank")
        .arg(&file)
        .assert()
        .success()
        .stdout(predicate::str::contains("│    1 ┆ Option A ┆ 0.3/3"))
        .stdout(predicate::str::contains("│    1 ┆ Option B ┆ 0.3/3"));
    let text = appraise()
        .arg("sensitivity")
        .arg(&file)
        .args(["--samples", "2000", "--threads", "1"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(text).unwrap();
    assert!(
        text.contains(
            "- Option A and Option B are tied for first with 0.3 each; the analysis below follows Option A, the first listed."
        ),
        "{text}"
    );
    assert!(text.contains("Option B is already level with it"), "{text}");
    // Criterion Zed: a tie now, so the leader's range ends at the share now.
    assert!(
        text.contains("Giving Zed any less weight (it now carries 50.0%) would put Option B ahead of Option A."),
        "{text}"
    );
    appraise()
        .args([
            "export", "--format", "csv", "--tables", "ranking", "--out", "-",
        ])
        .arg(&file)
        .assert()
        .success()
        .stdout(predicate::str::contains("1,\"Option A\",0.3,"))
        .stdout(predicate::str::contains("1,\"Option B\",0.3,"));
}
