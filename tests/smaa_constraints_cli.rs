//! `appraise sensitivity` with what the panel agrees on about the weights,
//! run as a user would.

use assert_cmd::Command;
use predicates::prelude::*;

fn appraise() -> Command {
    let mut c = Command::cargo_bin("appraise").unwrap();
    c.env("NO_COLOR", "1");
    c
}

fn run(args: &[&str]) -> String {
    let mut all = vec!["sensitivity", "--samples", "40000", "--threads", "1"];
    all.extend_from_slice(args);
    let out = appraise()
        .args(&all)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    String::from_utf8(out).unwrap()
}

fn json(args: &[&str]) -> serde_json::Value {
    let mut all = args.to_vec();
    all.extend_from_slice(&["--format", "json"]);
    serde_json::from_str(&run(&all)).unwrap()
}

#[test]
fn an_order_is_stated_with_its_result() {
    let text = run(&["--order", "child-focused>rest"]);
    // The leader's share under the constraint, as the JSON gives it.
    let doc = json(&["--order", "child-focused>rest"]);
    let b1 = doc["monte_carlo"]["acceptability"]["peer-practice-partner"][0]
        .as_f64()
        .unwrap();
    let shown = format!("{:.1}%", b1 * 100.0);
    assert!(
        text.contains(&format!(
            "If the panel agrees only that Child focused matters most, Peer Practice Partner ranks first in {shown} of cases"
        )),
        "{text}"
    );
    let mc = &doc["monte_carlo"];
    // One criterion above the rest is a partial order: rejection from the
    // simplex of shares.
    assert_eq!(mc["sampler"]["kind"], "rejection");
    let c = mc["constraints"].as_array().unwrap();
    assert_eq!(c.len(), 7);
    assert_eq!(c[0]["kind"], "at-least-as-important");
    assert_eq!(c[0]["more"], "child-focused");
    assert_eq!(c[0]["less"], "partnerships");
    assert_eq!(
        c[0]["text"],
        "Child focused matters at least as much as Partnerships"
    );
    // Every central weight puts Child focused first.
    for (_, w) in mc["central_weights"].as_object().unwrap() {
        if let Some(w) = w.as_object() {
            let top = w["child-focused"].as_f64().unwrap();
            assert!(
                w.values().all(|x| x.as_f64().unwrap() <= top + 1e-9),
                "{w:?}"
            );
        }
    }
}

#[test]
fn bounds_and_fixed_shares_by_name_or_id_are_met_and_stated() {
    let args = [
        "--share",
        "risk=10%..30%",
        "--fix",
        "Workforce=20%",
        "--order",
        "child-focused,partnerships>commissioning",
    ];
    let text = run(&args);
    assert!(
        text.contains(
            "If the panel agrees only that Child focused matters at least as much as Commissioning, Partnerships matters at least as much as Commissioning, Risk carries between 10% and 30% of the weight and Workforce carries exactly 20% of the weight, Peer Practice Partner ranks first in "
        ),
        "{text}"
    );
    let doc = json(&args);
    let mc = &doc["monte_carlo"];
    assert_eq!(mc["sampler"]["kind"], "rejection");
    for (_, w) in mc["central_weights"].as_object().unwrap() {
        if let Some(w) = w.as_object() {
            let risk = w["risk"].as_f64().unwrap();
            assert!((0.1 - 1e-9..=0.3 + 1e-9).contains(&risk), "{w:?}");
            assert!((w["workforce"].as_f64().unwrap() - 0.2).abs() < 1e-6);
        }
    }
}

#[test]
fn tight_bounds_are_sampled_by_hit_and_run_and_say_how_well_it_mixed() {
    let args = ["--share", "risk=30%..31%", "--share", "workforce=..2%"];
    let text = run(&args);
    assert!(
        text.contains("were sampled by hit-and-run: 2 chains each kept a sample every 32 steps after 6400 steps of burn-in"),
        "{text}"
    );
    assert!(text.contains("and the chains agree"), "{text}");
    let doc = json(&args);
    let s = &doc["monte_carlo"]["sampler"];
    assert_eq!(s["kind"], "hit-and-run");
    assert_eq!(s["chains"], 2);
    assert_eq!(s["thinning"], 32);
    assert!(s["pilot_acceptance"].as_f64().unwrap() < 0.02, "{s}");
    assert!(s["psrf"].as_f64().unwrap() < 1.1, "{s}");
    let ess = s["effective_samples"].as_f64().unwrap();
    assert!(ess > 1_000.0 && ess <= 40_000.0, "{s}");
}

#[test]
fn constraints_that_cannot_be_read_or_met_are_explained() {
    appraise()
        .args(["sensitivity", "--samples", "1000", "--order", "child>rest"])
        .assert()
        .failure()
        .stderr(predicate::str::contains(
            "--order: `child>rest`: there is no criterion `child`; the criteria are child-focused, partnerships",
        ));
    appraise()
        .args([
            "sensitivity",
            "--samples",
            "1000",
            "--share",
            "risk=30%-50%",
        ])
        .assert()
        .failure()
        .stderr(predicate::str::contains("give the range as low..high"));
    appraise()
        .args([
            "sensitivity",
            "--samples",
            "1000",
            "--share",
            "risk=..10%",
            "--order",
            "risk>workforce",
            "--fix",
            "workforce=15%",
        ])
        .assert()
        .failure()
        .stderr(predicate::str::contains(
            "no weighting meets all of these together: Risk matters at least as much as Workforce; Risk between 0% and 10%; Workforce fixed at 15%; together they put the share of Workforce at least 15% and at most 10%",
        ));
    appraise()
        .args([
            "sensitivity",
            "--samples",
            "1000",
            "--weight-spread",
            "10",
            "--fix",
            "risk=10%",
        ])
        .assert()
        .failure()
        .stderr(predicate::str::contains("go with uniform weights"));
}

#[test]
fn no_constraints_give_exactly_the_plain_run() {
    let plain = json(&[]);
    let loose = json(&["--share", "risk=0%..100%"]);
    assert_eq!(
        plain["monte_carlo"]["acceptability"],
        loose["monte_carlo"]["acceptability"]
    );
    assert_eq!(plain["monte_carlo"]["constraints"], serde_json::json!([]));
    assert_eq!(plain["monte_carlo"]["sampler"]["kind"], "direct");
}

/// The panel's agreed position, recorded in the file with `--record`, is
/// used by every later run (and says so), kept when the file is read back,
/// left out with `--ignore-agreed`, and cleared by `--record` alone; the
/// rest of the file is untouched.
#[test]
fn agreed_weights_are_recorded_in_the_file_and_used_from_it() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("review.toml");
    let example = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/appraisals/children-services-ama-2017.toml"
    ))
    .unwrap();
    std::fs::write(&file, &example).unwrap();
    let f = file.to_str().unwrap();
    let flags = ["--order", "child-focused>rest", "--share", "risk=10%..30%"];
    // The same constraints given as flags, for comparison.
    let by_flags = run(&[&[f][..], &flags[..]].concat());
    let mut record = vec!["sensitivity", f, "--record"];
    record.extend_from_slice(&flags);
    appraise()
        .args(&record)
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "recorded 2 constraints under [agreed_weights]",
        ));
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(
        text.starts_with(&example),
        "the rest of the file is untouched"
    );
    assert!(
        text.contains(
            "[agreed_weights]\norder = \"child-focused>rest\"\nshare = { risk = \"10%..30%\" }\n"
        ),
        "{text}"
    );
    let from_file = run(&[f]);
    assert_eq!(from_file, by_flags);
    assert!(from_file.contains("If the panel agrees only that Child focused matters most and Risk carries between 10% and 30% of the weight"), "{from_file}");
    let ignored = run(&[f, "--ignore-agreed"]);
    assert!(!ignored.contains("If the panel agrees"), "{ignored}");
    appraise().args(["check", f]).assert().success();
    // Recording nothing clears it, leaving the file as it was.
    appraise()
        .args(["sensitivity", f, "--record"])
        .assert()
        .success()
        .stderr(predicate::str::contains("cleared the agreed weights"));
    assert_eq!(
        std::fs::read_to_string(&file).unwrap().trim_end(),
        example.trim_end()
    );
    // What cannot be read is refused before anything is written.
    appraise()
        .args(["sensitivity", f, "--record", "--order", "nobody>rest"])
        .assert()
        .failure()
        .stderr(predicate::str::contains(
            "--order: `nobody>rest`: there is no criterion `nobody`",
        ));
    assert_eq!(
        std::fs::read_to_string(&file).unwrap().trim_end(),
        example.trim_end()
    );
}

/// The `[agreed_weights]` example in docs/format.md, added to the bundled
/// review, loads with no warning of its own (the review's one published-total
/// warning stays) and is used by the analysis.
#[test]
fn the_agreed_weights_example_in_the_format_docs_is_valid() {
    let doc =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/format.md")).unwrap();
    let block = doc
        .split("```toml\n[agreed_weights]")
        .nth(1)
        .and_then(|b| b.split("```").next())
        .expect("docs/format.md shows an [agreed_weights] block");
    let example = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/appraisals/children-services-ama-2017.toml"
    ))
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("review.toml");
    std::fs::write(&file, format!("{example}\n[agreed_weights]{block}")).unwrap();
    let f = file.to_str().unwrap();
    appraise()
        .args(["check", f])
        .assert()
        .success()
        .stdout(predicate::str::contains("ok (1 warning)"))
        .stderr(predicate::str::contains("agreed").not());
    let out = run(&[f]);
    assert!(out.contains("If the panel agrees"), "{out}");
}

#[test]
fn the_acceptability_table_says_which_weightings_it_sampled() {
    // A constrained run's table is not "under any weighting".
    let text = run(&["--order", "child-focused>rest"]);
    assert!(
        text.contains("Rank acceptability within the weight constraints (Monte Carlo)"),
        "{text}"
    );
    assert!(
        text.contains("drawn uniformly from the weightings that meet the constraints: Child focused matters most"),
        "{text}"
    );
    assert!(!text.contains("under any weighting"), "{text}");
    // Nor is a run with each weight near its value.
    let text = run(&["--weight-spread", "25"]);
    assert!(
        text.contains("Rank acceptability with the weights varied (Monte Carlo)"),
        "{text}"
    );
    assert!(!text.contains("under any weighting"), "{text}");
    // Only a run over every weighting says so.
    let text = run(&[]);
    assert!(
        text.contains("Rank acceptability under any weighting (Monte Carlo)"),
        "{text}"
    );
}
