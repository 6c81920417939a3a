//! The bundled example reproduces the reference review's Annex 1.

use appraise::compute::{WarningKind, compute, warnings};
use appraise::load::load_example;

/// Annex 1 scores, typed in from the review independently of the TOML file,
/// in criterion order: child focus, partnerships, commissioning, political
/// oversight, financial viability, workforce, integration, risk.
const ANNEX: [(&str, [f64; 8], f64); 8] = [
    (
        "peer-practice-partner",
        [4.0, 5.0, 4.0, 4.0, 3.0, 4.0, 5.0, 4.0],
        33.0,
    ),
    (
        "commission-by-contract",
        [4.0, 2.0, 3.0, 3.0, 3.0, 2.0, 2.0, 3.0],
        22.0,
    ),
    (
        "wholly-owned-company",
        [4.0, 2.0, 4.0, 3.0, 2.0, 5.0, 2.0, 3.0],
        25.0,
    ),
    (
        "community-interest-company",
        [5.0, 2.0, 4.0, 3.0, 2.0, 5.0, 2.0, 3.0],
        26.0,
    ),
    (
        "employee-mutual",
        [4.0, 2.0, 1.0, 1.0, 1.0, 3.0, 2.0, 2.0],
        16.0,
    ),
    (
        "managing-agent",
        [3.0, 2.0, 2.0, 2.0, 3.0, 2.0, 2.0, 2.0],
        18.0,
    ),
    (
        "joint-venture",
        [3.0, 2.0, 2.0, 1.0, 2.0, 2.0, 1.0, 2.0],
        15.0,
    ),
    (
        "shared-service",
        [4.0, 3.0, 3.0, 3.0, 3.0, 3.0, 3.0, 4.0],
        24.0,
    ),
];

const CRITERIA: [&str; 8] = [
    "child-focused",
    "partnerships",
    "commissioning",
    "political-oversight",
    "financial-viability",
    "workforce",
    "integration",
    "risk",
];

#[test]
fn example_has_the_reviews_criteria_and_options() {
    let a = load_example().expect("the bundled example loads").appraisal;
    let ids: Vec<&str> = a.criteria().iter().map(|c| c.id().as_str()).collect();
    assert_eq!(ids, CRITERIA);
    let ids: Vec<&str> = a.options().iter().map(|o| o.id().as_str()).collect();
    let expected: Vec<&str> = ANNEX.iter().map(|r| r.0).collect();
    assert_eq!(ids, expected);
    assert!(
        a.criteria()
            .iter()
            .all(|c| c.weight() == 1.0 && c.description.is_some())
    );
    assert_eq!(
        (a.scale().min(), a.scale().max(), a.scale().step()),
        (0.0, 5.0, 1.0)
    );
    let anchors: Vec<f64> = a.scale().labels().iter().map(|l| l.0).collect();
    assert_eq!(anchors, [0.0, 3.0, 5.0]);
    for o in a.options() {
        assert!(o.group.is_some() && o.description.is_some(), "{}", o.id());
        assert!(
            !o.strengths.is_empty() && !o.weaknesses.is_empty(),
            "{}",
            o.id()
        );
        assert!(
            o.notes().iter().all(Option::is_some),
            "{} lacks a note",
            o.id()
        );
    }
    assert!(a.meta.source.is_some());
}

#[test]
fn example_scores_match_annex_one() {
    let a = load_example().expect("loads").appraisal;
    for (id, scores, published) in ANNEX {
        let o = &a.options()[a.option_index(id).expect("option exists")];
        let got: Vec<f64> = o.scores().iter().map(|s| s.expect("scored")).collect();
        assert_eq!(got, scores, "{id}");
        assert_eq!(o.published_total(), Some(published), "{id}");
    }
}

#[test]
fn example_totals_and_ranks_follow_from_the_scores() {
    let a = load_example().expect("loads").appraisal;
    let r = compute(&a);
    assert_eq!(r.max_total, 40.0);
    // Sums of the Annex rows above, worked by hand. Shared Service's row sums
    // to 26, so it ties the Community Interest Company for second place.
    let expected = [
        ("peer-practice-partner", 33.0, 1, 82.5),
        ("community-interest-company", 26.0, 2, 65.0),
        ("shared-service", 26.0, 2, 65.0),
        ("wholly-owned-company", 25.0, 4, 62.5),
        ("commission-by-contract", 22.0, 5, 55.0),
        ("managing-agent", 18.0, 6, 45.0),
        ("employee-mutual", 16.0, 7, 40.0),
        ("joint-venture", 15.0, 8, 37.5),
    ];
    let order = r.rank_order();
    for ((id, total, rank, percent), i) in expected.iter().zip(order) {
        let got = &r.options[i];
        assert_eq!(a.options()[i].id().as_str(), *id);
        assert_eq!(
            (got.total, got.rank, got.percent),
            (*total, *rank, *percent),
            "{id}"
        );
        assert!(got.complete);
    }
}

#[test]
fn the_published_shared_service_total_is_reported_as_wrong() {
    let loaded = load_example().expect("loads");
    let r = compute(&loaded.appraisal);
    let w = warnings(&loaded.appraisal, &r);
    assert_eq!(w.len(), 1, "{w:#?}");
    assert_eq!(w[0].kind, WarningKind::PublishedTotalMismatch);
    assert_eq!(w[0].option, "shared-service");
    assert!(
        w[0].message.contains("published total of 24"),
        "{}",
        w[0].message
    );
    assert!(w[0].message.contains("add up to 26"), "{}", w[0].message);
    // The loader places it on the published_total line.
    assert_eq!(loaded.warnings.len(), 1);
    let location = loaded.warnings[0].location(&loaded.source);
    let line: usize = location
        .split(':')
        .nth(1)
        .and_then(|l| l.parse().ok())
        .expect("line");
    let text = loaded
        .source
        .text
        .lines()
        .nth(line - 1)
        .expect("line exists");
    assert!(text.starts_with("published_total = 24"), "{text}");
}

#[test]
fn the_example_in_the_format_docs_is_valid() {
    let doc = std::fs::read_to_string("docs/format.md").expect("docs/format.md");
    let start = doc.find("```toml\n").expect("a toml block") + "```toml\n".len();
    let end = start + doc[start..].find("```").expect("block end");
    let loaded = appraise::load::load_str("docs/format.md", &doc[start..end])
        .expect("the documented example loads");
    let kinds: Vec<&str> = loaded.warnings.iter().map(|w| w.kind.as_str()).collect();
    assert_eq!(kinds, ["missing-score"]);
    assert_eq!(loaded.appraisal.criteria()[0].weight(), 2.0);
    assert_eq!(
        loaded.appraisal.criteria()[1].weight(),
        1.0,
        "weight defaults to 1"
    );
}
