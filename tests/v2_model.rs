//! Format version 2 through load and compute: groups and effective
//! weights, scales of their own, measured criteria, screening, baseline,
//! references, evidence and published figures.

use appraise::compute::{compute, warnings};
use appraise::load::{load_path, load_str};

const CONTRACT: &str = "tests/fixtures/v2/waste-contract.toml";

fn contract() -> appraise::load::Loaded {
    load_path(std::path::Path::new(CONTRACT)).unwrap_or_else(|e| panic!("{}", e.render(false)))
}

#[test]
fn effective_weights_share_each_group_among_its_members() {
    let l = contract();
    let a = &l.appraisal;
    assert_eq!(a.version(), 2);
    assert!(a.percent_weights());
    // Quality 60 (delivery 50: method 60, mobilisation 40; people 50:
    // staffing 100), price 40 (cost 100).
    assert_eq!(a.effective_weights(), vec![18.0, 12.0, 30.0, 40.0]);
    assert_eq!(a.group_weights(), vec![60.0, 30.0, 30.0, 40.0]);
    assert_eq!(a.total_weight(), 100.0);
}

#[test]
fn totals_are_weight_times_each_score_as_a_fraction_of_its_own_scale() {
    let l = contract();
    let a = &l.appraisal;
    let r = compute(a);
    // No common scale: each score is a 0-1 value, so totals are out of 100.
    assert!(a.no_common_scale());
    assert_eq!(r.max_total, 100.0);
    let total = |i: usize| (r.options[i].total * 1e9).round() / 1e9;
    // In house: method 3/5 x 18 + mobilisation 1 month (band: 5/5) x 12
    // + staffing 2 on 1-3 (halfway) x 30 + cost 8/10 of the best x 40.
    assert_eq!(total(0), 10.8 + 12.0 + 15.0 + 32.0);
    // Bidder B: 4/5 x 18 + 5 months (3/5) x 12 + 3 on 1-3 x 30 + best price x 40.
    assert_eq!(total(1), 14.4 + 7.2 + 30.0 + 40.0);
    let sub = |i: usize, g: usize| (r.options[i].subtotals[g] * 1e9).round() / 1e9;
    assert_eq!(sub(1, 0), 51.6, "quality");
    assert_eq!(sub(1, 1), 21.6, "delivery, inside quality");
    assert_eq!(sub(1, 3), 40.0, "price");
    assert_eq!(r.max_subtotals, vec![60.0, 30.0, 30.0, 40.0]);
}

#[test]
fn screened_out_options_are_not_ranked_and_do_not_set_the_best_price() {
    let l = contract();
    let a = &l.appraisal;
    let r = compute(a);
    assert!(a.options()[2].screened_out());
    assert!(r.options[2].screened_out);
    assert_eq!(r.options[2].rank, 0);
    assert_eq!(r.rank_order(), vec![1, 0]);
    assert_eq!(r.long_list(), vec![2]);
    // Bidder C's lower price (6) is not the best: it is screened out.
    assert_eq!(a.options()[1].score(3), Some(1.0));
    assert_eq!(a.options()[0].score(3), Some(0.8));
    let d = a.derivations(3);
    assert_eq!(
        d[0].as_ref().map(|d| d.derivation.as_str()),
        Some("£10m: relative to the best, £8m: 1 × 8 ÷ 10")
    );
    // The analyses see the shortlist only, at effective weights.
    let view = a.for_analysis();
    assert_eq!(view.options().len(), 2);
    assert_eq!(view.weights(), vec![18.0, 12.0, 30.0, 40.0]);
    let rv = compute(&view);
    assert_eq!(rv.options[0].total, r.options[0].total);
    assert_eq!(rv.options[1].total, r.options[1].total);
}

#[test]
fn baseline_references_groups_and_evidence_are_kept() {
    let l = contract();
    let a = &l.appraisal;
    let r = compute(a);
    assert_eq!(a.baseline(), Some(0));
    assert_eq!(r.options[0].vs_baseline, Some(0.0));
    let gap = r.options[1].vs_baseline.expect("a baseline");
    assert!((gap - 21.8).abs() < 1e-9, "{gap}");
    assert_eq!(a.options()[1].label(), "B. Bidder B");
    assert_eq!(a.option_groups().len(), 2);
    assert_eq!(
        a.option_groups()[0].description.as_deref(),
        Some("The council runs the service itself.")
    );
    let e = &a.options()[0].evidence()[0];
    assert_eq!(e.for_, vec!["Existing depot and fleet"]);
    assert_eq!(e.against, vec!["Ageing vehicles"]);
    let reason = a.options()[2].screening()[0]
        .as_ref()
        .and_then(|s| s.reason.as_deref());
    assert_eq!(
        reason,
        Some("Licence lapsed in 2025 and has not been renewed")
    );
}

#[test]
fn published_subtotals_are_reconciled_at_their_precision() {
    let l = contract();
    let w = warnings(&l.appraisal, &compute(&l.appraisal));
    assert_eq!(w.len(), 1, "{w:?}");
    assert_eq!(w[0].kind.as_str(), "published-subtotal-mismatch");
    // 51.6 printed as 52 would agree; 43 does not.
    let fixed = std::fs::read_to_string(CONTRACT)
        .expect("fixture")
        .replace("quality = 43", "quality = 52");
    let l = load_str("fixed.toml", &fixed).expect("loads");
    assert!(warnings(&l.appraisal, &compute(&l.appraisal)).is_empty());
}

#[test]
fn a_measured_value_can_be_changed_and_every_local_score_follows() {
    let mut a = contract().appraisal;
    // Bidder B's price rises above the in-house bid's: the in-house bid is now best.
    a.set_measure(1, 3, Some(12.0)).expect("a valid price");
    assert_eq!(a.options()[0].score(3), Some(1.0));
    assert!(
        a.set_score(0, 3, Some(1.0)).is_err(),
        "a measured score is not set by hand"
    );
    assert!(
        a.set_measure(0, 0, Some(1.0)).is_err(),
        "the method statement is not measured"
    );
    assert!(
        a.set_score(0, 2, Some(4.0)).is_err(),
        "staffing is scored 1 to 3"
    );
    assert!(a.set_score(0, 2, Some(3.0)).is_ok());
}

#[test]
fn the_rank_json_of_a_version_1_file_has_no_version_2_fields() {
    let out = assert_cmd::Command::cargo_bin("appraise")
        .expect("binary")
        .args(["rank", "--format", "json"])
        .output()
        .expect("runs");
    let text = String::from_utf8(out.stdout).expect("utf-8");
    for field in ["subtotals", "screened_out", "vs_baseline"] {
        assert!(!text.contains(field), "{field} in v1 output");
    }
}

#[test]
fn a_version_2_file_saves_back_unchanged_and_writes_afresh_in_full() {
    let l = contract();
    let a = &l.appraisal;
    let same = appraise::document::update_document(&l.source.text, a).expect("saves");
    assert_eq!(same, l.source.text, "an edit-free save changes nothing");
    let fresh = appraise::document::to_toml(a);
    let back =
        load_str("fresh.toml", &fresh).unwrap_or_else(|e| panic!("{}\n{fresh}", e.render(false)));
    assert_eq!(
        &back.appraisal, a,
        "fresh TOML keeps every version-2 part:\n{fresh}"
    );
    // A raw value edited in the model is written back, and no score with it.
    let mut edited = a.clone();
    edited.set_measure(1, 3, Some(9.5)).expect("valid");
    let text = appraise::document::update_document(&l.source.text, &edited).expect("saves");
    assert!(text.contains("cost = 9.5"), "{text}");
    let back = load_str("edited.toml", &text).expect("loads");
    assert_eq!(back.appraisal, edited);
}

#[test]
fn the_version_2_example_in_the_format_docs_is_valid_and_adds_up_as_it_says() {
    let doc = std::fs::read_to_string("docs/format.md").expect("docs/format.md");
    let v2 = doc
        .split("### A commented example")
        .nth(1)
        .expect("the version-2 example");
    let block = v2
        .split("```toml\n")
        .nth(1)
        .and_then(|b| b.split("```").next())
        .expect("a block");
    let l = load_str("format.md", block).unwrap_or_else(|e| panic!("{}", e.render(false)));
    let r = compute(&l.appraisal);
    assert!(l.warnings.is_empty(), "{:?}", l.warnings);
    // The in-house bid's quality subtotal, as the example publishes it: 37.8.
    assert!((r.options[0].subtotals[0] - 37.8).abs() < 1e-9);
    assert!(r.options[1].screened_out);
}

#[test]
fn an_option_screened_out_unscored_raises_no_missing_score_warning() {
    // Bidder C fails screening; take its scores away, as a long list that
    // was never scored would have them.
    let text = std::fs::read_to_string(CONTRACT).unwrap().replace(
        "scores = { method = 5, staffing = 1 }\nmeasures = { mobilisation = 9, cost = 6 }\n",
        "",
    );
    assert!(!text.contains("method = 5"), "the scores were taken out");
    let l = load_str("contract.toml", &text).unwrap_or_else(|e| panic!("{}", e.render(false)));
    let r = compute(&l.appraisal);
    let w = warnings(&l.appraisal, &r);
    assert!(
        w.iter().all(|w| w.option != "bidder-c"),
        "{:?}",
        w.iter().map(|w| &w.message).collect::<Vec<_>>()
    );
    // A shortlisted option with a gap is still warned about.
    let gap = text.replace(
        "scores = { method = 4, staffing = 3 }",
        "scores = { method = 4 }",
    );
    let l = load_str("contract.toml", &gap).unwrap_or_else(|e| panic!("{}", e.render(false)));
    let r = compute(&l.appraisal);
    assert!(warnings(&l.appraisal, &r).iter().any(|w| w.option == "bidder-b"
        && w.message.contains("has no score for Staffing plan")));
}
