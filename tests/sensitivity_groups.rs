//! `appraise sensitivity` on appraisals with criteria groups and a cost:
//! group-level weight stability, leaving a group out, the Monte Carlo over
//! the hierarchy and value for money, against values worked out by hand or
//! in closed form (docs/methods.md, sections 7 and 8).

use assert_cmd::Command;
use serde_json::Value;

fn appraise() -> Command {
    let mut c = Command::cargo_bin("appraise").expect("binary");
    c.env("NO_COLOR", "1").env("COLUMNS", "120");
    c
}

fn json(args: &[&str]) -> Value {
    let out = appraise()
        .arg("sensitivity")
        .args(args)
        .args(["--format", "json"])
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("JSON")
}

fn close(x: &Value, want: f64) {
    let x = x.as_f64().expect("a number");
    assert!((x - want).abs() < 1e-12, "{x} against {want}");
}

const GROUPS: &str = "tests/fixtures/v2/groups-by-hand.toml";
const LEVELS: &str = "tests/fixtures/v2/levels-closed-form.toml";
const BRIDGE: &str = "tests/fixtures/v2/bridge-value.toml";

#[test]
fn group_weight_stability_by_hand() {
    let v = json(&[GROUPS, "--samples", "1000"]);
    let w = v["groups"]["weights"].as_array().expect("group weights");
    let find = |id: &str| {
        w.iter()
            .find(|m| m["member"] == id)
            .unwrap_or_else(|| panic!("{id} analysed"))
    };
    // Quality's share q: B = 100 (10 - 6q), C = 100 (3 + 5q), equal at 7/11.
    let q = find("quality");
    assert_eq!(q["kind"], "group");
    assert!(q["parent"].is_null());
    close(&q["share"], 0.6);
    close(&q["stable_to"], 7.0 / 11.0);
    assert_eq!(q["above"], "c");
    close(&find("price")["stable_from"], 4.0 / 11.0);
    // Q1's share of Quality: A = 440 + 240 r passes B's 640 at 5/6.
    let q1 = find("q1");
    assert_eq!(q1["parent"], "quality");
    close(&q1["parent_share"], 0.6);
    close(&q1["stable_to"], 5.0 / 6.0);
    assert_eq!(q1["above"], "a");
    assert!(
        w.iter().all(|m| m["member"] != "p"),
        "P is alone in Price, so its share cannot move"
    );
    let statements: Vec<&str> = v["statements"]
        .as_array()
        .expect("statements")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    for want in [
        "B stays first unless Quality carries more than 63.6% of the total weight (it now carries 60.0%); then C leads.",
        "B stays first unless Price carries less than 36.4% of the total weight (it now carries 40.0%); then C leads.",
        "B stays first unless Q1 carries more than 83.3% of Quality's weight (it now carries 50.0%); then A leads.",
        "Leaving out the group Price leaves A and C tied for first.",
    ] {
        assert!(statements.contains(&want), "{want}\n{statements:#?}");
    }
}

#[test]
fn leaving_each_group_out_by_hand() {
    let v = json(&[GROUPS, "--samples", "1000"]);
    let out = v["groups"]["leave_one_out"]
        .as_array()
        .expect("groups left out");
    assert_eq!(out[0]["group"], "quality");
    assert_eq!(out[0]["leaders"], serde_json::json!(["b"]));
    assert_eq!(out[1]["group"], "price");
    assert_eq!(out[1]["leaders"], serde_json::json!(["a", "c"]));
}

#[test]
fn level_by_level_weights_match_the_closed_form() {
    let v = json(&[LEVELS, "--samples", "400000", "--seed", "11"]);
    let mc = &v["monte_carlo"];
    assert_eq!(mc["hierarchy"], "level", "level by level is the default");
    let b = mc["acceptability"]["x"][0].as_f64().expect("b");
    let se = mc["acceptability_se"]["x"][0].as_f64().expect("se");
    let want = 2.0 * (4.0f64 / 3.0).ln();
    assert!((b - want).abs() < 4.0 * se, "{b} against {want} (se {se})");
    // Y and Z share the rest equally.
    let y = mc["acceptability"]["y"][0].as_f64().expect("b");
    assert!((y - (1.0 - want) / 2.0).abs() < 4.0 * se, "{y}");
    // The central weight of X on A: E[u | X first] = ∫ ∫_{M/(1+M)}^1 u du dM / P.
    // ∫_{1/2}^1 2 (1 - (M/(1+M))^2) / 2 dM = ∫ (1 + 2M) / (1 + M)^2 dM.
    let m = |x: f64| 2.0 * (1.0 + x).ln() + 1.0 / (1.0 + x);
    let cw_want = (m(1.0) - m(0.5)) / want;
    let cw = mc["central_weights"]["x"]["a"].as_f64().expect("cw");
    let cw_se = mc["central_weights_se"]["x"]["a"].as_f64().expect("se");
    assert!(
        (cw - cw_want).abs() < 4.0 * cw_se,
        "{cw} against {cw_want} ({cw_se})"
    );
}

#[test]
fn flat_weights_give_the_dirichlet_answer() {
    let v = json(&[LEVELS, "--samples", "200000", "--hierarchy", "flat"]);
    let mc = &v["monte_carlo"];
    assert_eq!(mc["hierarchy"], "flat");
    let b = mc["acceptability"]["x"][0].as_f64().expect("b");
    let se = mc["acceptability_se"]["x"][0].as_f64().expect("se");
    assert!((b - 1.0 / 3.0).abs() < 4.0 * se, "{b}");
}

#[test]
fn level_by_level_is_the_same_whatever_the_threads() {
    let run = |t: &str| {
        let out = appraise()
            .args(["sensitivity", GROUPS, "--samples", "70000", "--seed", "5"])
            .args(["--threads", t, "--format", "json", "--score-spread", "1"])
            .output()
            .expect("runs");
        assert!(out.status.success());
        out.stdout
    };
    let one = run("1");
    assert_eq!(one, run("2"));
    assert_eq!(one, run("3"));
}

#[test]
fn level_by_level_refuses_constraints_and_spreads() {
    let out = appraise()
        .args(["sensitivity", GROUPS, "--samples", "1000"])
        .args(["--hierarchy", "level", "--order", "q1>rest"])
        .output()
        .expect("runs");
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--hierarchy flat"), "{err}");
    // Without --hierarchy, constraints are drawn flat, and the JSON says so.
    let v = json(&[GROUPS, "--samples", "1000", "--order", "q1>rest"]);
    assert_eq!(v["monte_carlo"]["hierarchy"], "flat");
    let out = appraise()
        .args(["sensitivity", "--samples", "1000", "--hierarchy", "flat"])
        .output()
        .expect("runs");
    assert!(!out.status.success(), "the example has no groups");
    assert!(String::from_utf8_lossy(&out.stderr).contains("no criteria groups"));
}

#[test]
fn value_for_money_by_hand() {
    let v = json(&[BRIDGE, "--samples", "1000"]);
    let vf = &v["value_for_money"];
    assert_eq!(vf["cost_criterion"], "cost");
    assert_eq!(vf["unit"], "£m");
    close(&vf["benefit_max"], 70.0);
    let options = vf["options"].as_array().expect("options");
    let benefit: Vec<f64> = options
        .iter()
        .map(|o| o["benefit"].as_f64().expect("benefit"))
        .collect();
    for (b, want) in benefit.iter().zip([21.0, 42.0, 59.5, 38.5, 59.5]) {
        assert!((b - want).abs() < 1e-9, "{benefit:?}");
    }
    assert_eq!(options[3]["dominated_by"], "repair");
    assert_eq!(options[4]["dominated_by"], "replace");
    assert_eq!(
        vf["frontier"],
        serde_json::json!(["minimum", "repair", "replace"])
    );
    let steps = vf["steps"].as_array().expect("steps");
    assert!((steps[0]["cost_per_point"].as_f64().expect("ratio") - 2.0 / 21.0).abs() < 1e-12);
    assert!((steps[1]["cost_per_point"].as_f64().expect("ratio") - 3.0 / 17.5).abs() < 1e-12);
    let statements: Vec<&str> = v["statements"]
        .as_array()
        .expect("statements")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    for want in [
        "Choosing Repair over Do minimum costs £2m more for 21 more benefit points: £0.0952m a point.",
        "Choosing Replace over Repair costs £3m more for 17.5 more benefit points: £0.171m a point.",
        "Repair and widen is dominated: Repair costs less (£3m against £4m) and gives more benefit (42 against 38.5).",
        "Rebuild downstream is dominated: Replace costs less (£6m against £7m) and gives as much benefit (59.5).",
    ] {
        assert!(statements.contains(&want), "{want}\n{statements:#?}");
    }
}

#[test]
fn the_terminal_shows_groups_and_value_for_money() {
    let out = appraise()
        .args(["sensitivity", BRIDGE, "--samples", "2000", "--threads", "1"])
        .output()
        .expect("runs");
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    for want in [
        "Group weight stability",
        "Leaving one group out",
        "Value for money: benefit against cost",
        "Rebuild downstream",
        "level by level",
    ] {
        assert!(text.contains(want), "{want} missing:\n{text}");
    }
}

#[test]
fn a_version_1_file_gains_no_new_fields() {
    let v = json(&["--samples", "1000"]);
    let keys: Vec<&String> = v.as_object().expect("object").keys().collect();
    assert!(
        !keys
            .iter()
            .any(|k| *k == "groups" || *k == "value_for_money"),
        "{keys:?}"
    );
    assert!(v["monte_carlo"].get("hierarchy").is_none());
}
