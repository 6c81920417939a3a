//! The second bundled example reproduces the Scottish Government's January
//! 2024 multi-criteria analysis of how to uprate devolved social security
//! assistance, run through the built binary as a user would.
//!
//! Every expected figure below is typed in from the source, independently of
//! the TOML file, with the table or paragraph it comes from.

use assert_cmd::Command;
use serde_json::Value;

const FILE: &str = "appraisals/social-security-uprating-2024.toml";

/// Table 10 ("Scoring of Options"), row by row: reference, option id,
/// robustness, relevance, delivery, transparency.
const TABLE_10: [(&str, &str, [f64; 4]); 8] = [
    ("A", "september-cpi", [5.0, 3.0, 5.0, 5.0]),
    ("B", "january-cpi", [5.0, 3.0, 1.0, 5.0]),
    ("C", "forecast-cpi", [2.0, 3.0, 5.0, 4.0]),
    ("D", "forecast-rebase-cpi", [3.0, 4.0, 5.0, 3.0]),
    ("E", "september-cpih", [5.0, 3.0, 4.0, 5.0]),
    ("F", "january-cpih", [5.0, 3.0, 1.0, 5.0]),
    ("G", "september-hci", [4.0, 4.0, 2.0, 4.0]),
    ("H", "december-hci", [4.0, 4.0, 1.0, 4.0]),
];

/// Annex A, Table A1: change in real value April 2020 to April 2024 (%),
/// in the order of Table 10.
const TABLE_A1: [f64; 8] = [0.9, -1.1, -2.0, -2.2, 0.5, -1.1, 2.3, -0.9];

fn appraise() -> Command {
    Command::cargo_bin("appraise").expect("the appraise binary")
}

fn rank_json(file: &str) -> Value {
    let out = appraise()
        .args(["rank", file, "--format", "json"])
        .output()
        .expect("rank runs");
    assert!(
        out.status.success(),
        "rank failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("rank prints JSON")
}

fn option<'a>(json: &'a Value, id: &str) -> &'a Value {
    json["options"]
        .as_array()
        .expect("options")
        .iter()
        .find(|o| o["id"] == id)
        .unwrap_or_else(|| panic!("{id} is not on the shortlist"))
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

#[test]
fn the_file_checks_and_warns_of_nothing_but_the_unscored_long_list() {
    let out = appraise()
        .args(["check", FILE])
        .output()
        .expect("check runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json = rank_json(FILE);
    let warnings = json["warnings"].as_array().expect("warnings");
    // RPI was ruled out before anything was scored, so it has no scores. The
    // loader still warns that its cells are unscored (reported as a bug:
    // missing-score is raised for screened-out options); those warnings are
    // tolerated here, and nothing else is.
    let (long_list, rest): (Vec<&Value>, Vec<&Value>) = warnings
        .iter()
        .partition(|w| w["kind"] == "missing-score" && w["option"] == "rpi");
    assert!(rest.is_empty(), "unexpected warnings: {rest:?}");
    if !long_list.is_empty() {
        eprintln!(
            "note: {} missing-score warnings for the screened-out RPI option (known loader bug)",
            long_list.len()
        );
    }
}

#[test]
fn totals_are_table_10_added_up_with_equal_weights() {
    let json = rank_json(FILE);
    // Annex C paragraph 2: the criteria are weighted equally, so on the 1-5
    // scale of Table 10 a total runs from 4 to 20.
    assert_eq!(json["max_total"], 20.0);
    let options = json["options"].as_array().expect("options");
    assert_eq!(options.len(), 8, "the eight options of Table 10");
    for (reference, id, scores) in TABLE_10 {
        let o = option(&json, id);
        let total: f64 = scores.iter().sum();
        assert_eq!(o["ref"], reference, "{id}");
        assert!(
            close(o["total"].as_f64().expect("total"), total),
            "{id}: {o}"
        );
        assert!(
            close(
                o["percent"].as_f64().expect("percent"),
                (total - 4.0) / 16.0 * 100.0
            ),
            "{id}: {o}"
        );
        assert_eq!(o["complete"], true, "{id}");
    }
}

#[test]
fn september_cpi_ranks_first_as_paragraph_58_says() {
    let json = rank_json(FILE);
    let ranks: Vec<(&str, u64)> = json["options"]
        .as_array()
        .expect("options")
        .iter()
        .map(|o| {
            (
                o["id"].as_str().expect("id"),
                o["rank"].as_u64().expect("rank"),
            )
        })
        .collect();
    // Totals from Table 10: A 18, E 17, D 15, B C F G 14, H 13.
    assert_eq!(
        ranks,
        vec![
            ("september-cpi", 1),
            ("september-cpih", 2),
            ("forecast-rebase-cpi", 3),
            ("january-cpi", 4),
            ("forecast-cpi", 4),
            ("january-cpih", 4),
            ("september-hci", 4),
            ("december-hci", 8),
        ]
    );
    // The published rank is reconciled, and agrees.
    let kinds: Vec<&str> = json["warnings"]
        .as_array()
        .expect("warnings")
        .iter()
        .filter_map(|w| w["kind"].as_str())
        .collect();
    assert!(!kinds.contains(&"published-rank-mismatch"), "{kinds:?}");
}

#[test]
fn a_wrong_published_rank_would_be_flagged() {
    // The reconciliation is live: were the file to say option A came second,
    // loading it would say so.
    let text = std::fs::read_to_string(FILE).expect("the example");
    assert_eq!(text.matches("published_rank = 1").count(), 1);
    let dir = tempfile::tempdir().expect("a temp dir");
    let path = dir.path().join("wrong-rank.toml");
    std::fs::write(
        &path,
        text.replace("published_rank = 1", "published_rank = 2"),
    )
    .expect("writes");
    let json = rank_json(path.to_str().expect("utf-8 path"));
    let w: Vec<&Value> = json["warnings"]
        .as_array()
        .expect("warnings")
        .iter()
        .filter(|w| w["kind"] == "published-rank-mismatch")
        .collect();
    assert_eq!(w.len(), 1, "{}", json["warnings"]);
    assert_eq!(w[0]["option"], "september-cpi");
}

#[test]
fn subtotals_put_every_point_under_the_scored_criteria() {
    let json = rank_json(FILE);
    let groups = json["groups"].as_array().expect("groups");
    let g: Vec<(&str, f64, f64)> = groups
        .iter()
        .map(|g| {
            (
                g["id"].as_str().expect("id"),
                g["effective_weight"].as_f64().expect("weight"),
                g["max_subtotal"].as_f64().expect("max"),
            )
        })
        .collect();
    assert_eq!(g, vec![("scored", 4.0, 20.0), ("outcomes", 0.0, 0.0)]);
    for (_, id, scores) in TABLE_10 {
        let o = option(&json, id);
        let subs: Vec<(&str, f64)> = o["subtotals"]
            .as_array()
            .expect("subtotals")
            .iter()
            .map(|s| {
                (
                    s["group"].as_str().expect("group"),
                    s["subtotal"].as_f64().expect("subtotal"),
                )
            })
            .collect();
        let total: f64 = scores.iter().sum();
        assert_eq!(subs.len(), 2, "{id}");
        assert_eq!(subs[0].0, "scored");
        assert!(close(subs[0].1, total), "{id}: {subs:?}");
        assert_eq!(subs[1].0, "outcomes");
        assert!(close(subs[1].1, 0.0), "{id}: {subs:?}");
    }
}

#[test]
fn annex_a_values_travel_with_the_options_and_weigh_nothing() {
    let json = rank_json(FILE);
    let (worst, best) = (-2.2, 2.3); // Table A1: options D and G
    for ((_, id, _), raw) in TABLE_10.iter().zip(TABLE_A1) {
        let o = option(&json, id);
        let m = o["measured"].as_array().expect("measured");
        assert_eq!(m.len(), 1, "{id}");
        assert_eq!(m[0]["criterion"], "real-value");
        assert_eq!(m[0]["unit"], "%");
        assert!(close(m[0]["value"].as_f64().expect("value"), raw), "{id}");
        // Shown on a local 1-5 line between the shortlist's extremes.
        let score = 1.0 + 4.0 * (raw - worst) / (best - worst);
        assert!(
            close(m[0]["score"].as_f64().expect("score"), score),
            "{id}: {}",
            m[0]
        );
    }
    let real = json["criteria"]
        .as_array()
        .expect("criteria")
        .iter()
        .find(|c| c["id"] == "real-value")
        .expect("the measured criterion");
    assert_eq!(real["effective_weight"], 0.0);
}

#[test]
fn rpi_is_screened_out_before_scoring_with_the_reports_reason() {
    let json = rank_json(FILE);
    let long = json["long_list"].as_array().expect("the long list");
    assert_eq!(long.len(), 1, "{long:?}");
    assert_eq!(long[0]["id"], "rpi");
    let failed = long[0]["failed"].as_array().expect("failed tests");
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0][0], "sound-measure");
    let reason = failed[0][1].as_str().expect("a reason");
    // "Defining the Options": lost National Statistic status in 2013; the
    // National Statistician calls it a very poor measure of general inflation.
    assert!(reason.contains("2013"), "{reason}");
    assert!(reason.contains("very poor measure"), "{reason}");
    assert!(
        json["options"]
            .as_array()
            .expect("options")
            .iter()
            .all(|o| o["id"] != "rpi"),
        "a screened-out option is not ranked"
    );
}

#[test]
fn the_report_runs_and_names_the_source() {
    let out = appraise()
        .args(["report", FILE])
        .output()
        .expect("report runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("September CPI"), "{text}");
    assert!(
        text.contains("https://www.gov.scot/publications/multi-criteria-decision-analysis"),
        "{text}"
    );
}
