//! Raw values given as ranges (docs/format.md, "Uncertain raw values";
//! docs/methods.md, "Uncertain raw values"): the point estimate ranks, the
//! Monte Carlo draws from the ranges, checked against acceptabilities
//! worked out by hand, and the numbers are the same whatever the thread
//! count or instruction set.

use assert_cmd::Command;
use serde_json::Value;

fn appraise() -> Command {
    let mut c = Command::cargo_bin("appraise").expect("binary");
    c.env("NO_COLOR", "1").env("COLUMNS", "120");
    c
}

fn run(args: &[&str], env: &[(&str, &str)]) -> Vec<u8> {
    let mut c = appraise();
    for (k, v) in env {
        c.env(k, v);
    }
    let out = c.args(args).output().expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

fn json(file: &str, extra: &[&str]) -> Value {
    let mut args = vec!["sensitivity", file, "--format", "json"];
    args.extend_from_slice(extra);
    serde_json::from_slice(&run(&args, &[])).expect("JSON")
}

const UNIFORM: &str = "tests/fixtures/v2/ranges-closed-form.toml";
const TRIANGULAR: &str = "tests/fixtures/v2/ranges-triangular.toml";

/// Option `id`'s share of samples at rank 1, and its standard error.
fn first(v: &Value, id: &str) -> (f64, f64) {
    let mc = &v["monte_carlo"];
    let b = mc["acceptability"][id][0].as_f64().expect("acceptability");
    let se = mc["acceptability_se"][id][0]
        .as_f64()
        .expect("standard error");
    (b, se)
}

#[test]
fn uniform_ranges_on_a_local_scale_give_the_acceptability_worked_out_by_hand() {
    let v = json(UNIFORM, &["--samples", "400000"]);
    let (b, se) = first(&v, "a");
    assert!(se > 0.0 && se < 1e-3, "standard error {se}");
    assert!((b - 7.0 / 8.0).abs() < 4.0 * se, "A first in {b}, want 7/8");
    let (bb, _) = first(&v, "b");
    assert!((b + bb - 1.0).abs() < 1e-12, "two options share rank 1");
    assert_eq!(
        v["monte_carlo"]["drawn_ranges"],
        serde_json::json!(["cost"])
    );
}

#[test]
fn a_triangular_range_relative_to_the_best_gives_the_acceptability_worked_out_by_hand() {
    let v = json(TRIANGULAR, &["--samples", "400000"]);
    let (b, se) = first(&v, "a");
    assert!((b - 0.75).abs() < 4.0 * se, "A first in {b}, want 3/4");
}

#[test]
fn the_numbers_do_not_depend_on_threads_or_the_instruction_set() {
    let args = |t: &str| {
        vec![
            "sensitivity".to_string(),
            UNIFORM.to_string(),
            "--format".into(),
            "json".into(),
            "--samples".into(),
            "100000".into(),
            "--threads".into(),
            t.to_string(),
        ]
    };
    let one = args("1");
    let two = args("2");
    let one: Vec<&str> = one.iter().map(String::as_str).collect();
    let two: Vec<&str> = two.iter().map(String::as_str).collect();
    let base = run(&one, &[]);
    assert_eq!(base, run(&two, &[]), "one thread against two");
    assert_eq!(
        base,
        run(&one, &[("APPRAISE_SIMD", "scalar")]),
        "the portable path"
    );
}

#[test]
fn statements_say_the_ranges_were_drawn_and_the_point_estimate_ranks() {
    let text =
        String::from_utf8(run(&["sensitivity", UNIFORM, "--samples", "1000"], &[])).expect("text");
    assert!(
        text.contains("with the raw values of Cost drawn from the ranges the file gives"),
        "{text}"
    );
    // The point estimates are the midpoints, £2.5m and £3m: A leads.
    let rank: Value =
        serde_json::from_slice(&run(&["rank", UNIFORM, "--format", "json"], &[])).expect("JSON");
    let text = rank.to_string();
    let a = text.find("\"a\"").expect("a ranked");
    let b = text.find("\"b\"").expect("b ranked");
    assert!(a < b, "{text}");
}

#[test]
fn the_report_shows_the_range_beside_the_raw_value() {
    let text = String::from_utf8(run(&["report", UNIFORM], &[])).expect("text");
    assert!(text.contains("£2.5m (£2m–£3m)"), "{text}");
    // The annex says which point of the range was scored.
    let md =
        String::from_utf8(run(&["export", UNIFORM, "-f", "md", "--out", "-"], &[])).expect("text");
    assert!(
        md.contains("£2m–£3m, scored at its midpoint, £2.5m; £2.5m: linear"),
        "{md}"
    );
}

/// A panel that records "cost is £2m–£3m" and agrees "price between 30%
/// and 50%", or varies the weights or scores, gets an answer, the same
/// whatever the thread count or instruction set.
#[test]
fn ranges_go_with_constraints_spreads_and_level_by_level_weights() {
    let cases: [&[&str]; 4] = [
        &["--share", "cost=30%..50%", "--score-spread", "1"],
        &["--weight-spread", "20", "--score-spread", "1"],
        &["--share", "cost=39.5%..40.5%"],
        &["--hierarchy", "level"],
    ];
    // The waste contract with the middle tender's cost known only as £7m–£9.5m.
    let text = std::fs::read_to_string("tests/fixtures/v2/waste-contract.toml").expect("fixture");
    assert!(text.contains("cost = 8 }"));
    let dir = tempfile::tempdir().expect("temporary directory");
    let file = dir.path().join("waste.toml");
    std::fs::write(
        &file,
        text.replace("cost = 8 }", "cost = { low = 7, high = 9.5 } }"),
    )
    .expect("written");
    let file = file.to_str().expect("a UTF-8 path");
    for extra in cases {
        let mut args = vec![
            "sensitivity",
            file,
            "--format",
            "json",
            "--samples",
            "70000",
        ];
        args.extend_from_slice(extra);
        let with = |threads: &'static str| {
            let mut a = args.clone();
            a.extend_from_slice(&["--threads", threads]);
            a
        };
        let base = run(&with("1"), &[]);
        assert_eq!(
            base,
            run(&with("2"), &[]),
            "{extra:?}: one thread against two"
        );
        assert_eq!(
            base,
            run(&with("1"), &[("APPRAISE_SIMD", "scalar")]),
            "{extra:?}: the portable path"
        );
        let v: Value = serde_json::from_slice(&base).expect("JSON");
        assert_eq!(
            v["monte_carlo"]["drawn_ranges"],
            serde_json::json!(["cost"]),
            "{extra:?}"
        );
    }
}
