//! Invariants of the computation, checked on random appraisals.

use appraise::compute::{compute, recompute_option};
use appraise::model::{Appraisal, AppraisalOption, Criterion, Id, Meta, Scale};
use proptest::prelude::*;

/// A random appraisal: integer weights (at least one positive) and half-step
/// scores, so every total is exact in floating point and ties are real ties.
#[derive(Debug, Clone)]
struct Case {
    weights: Vec<u32>,
    scores: Vec<Vec<Option<u32>>>, // in half points, 0..=10 on a 0-5 scale
}

fn case() -> impl Strategy<Value = Case> {
    (1usize..7, 1usize..9).prop_flat_map(|(m, n)| {
        (
            prop::collection::vec(0u32..10, m).prop_map(|mut w| {
                if w.iter().all(|&x| x == 0) {
                    w[0] = 1;
                }
                w
            }),
            prop::collection::vec(
                prop::collection::vec(prop::option::weighted(0.9, 0u32..=10), m),
                n,
            ),
        )
            .prop_map(|(weights, scores)| Case { weights, scores })
    })
}

fn build(
    weights: &[f64],
    scores: &[Vec<Option<u32>>],
    crit_order: &[usize],
    opt_order: &[usize],
) -> Appraisal {
    let scale = Scale::new(0.0, 5.0, 0.5).expect("scale");
    let criteria = crit_order
        .iter()
        .map(|&c| {
            Criterion::new(Id::new(&format!("c{c}")).expect("id"), "C", weights[c])
                .expect("criterion")
        })
        .collect();
    let options = opt_order
        .iter()
        .map(|&o| {
            AppraisalOption::new(
                Id::new(&format!("o{o}")).expect("id"),
                "O",
                crit_order.len(),
            )
            .expect("option")
        })
        .collect();
    let meta = Meta {
        title: "P".into(),
        ..Meta::default()
    };
    let mut a = Appraisal::new(meta, scale, criteria, options).expect("appraisal");
    for (oi, &o) in opt_order.iter().enumerate() {
        for (ci, &c) in crit_order.iter().enumerate() {
            a.set_score(oi, ci, scores[o][c].map(|h| f64::from(h) / 2.0))
                .expect("on scale");
        }
    }
    a
}

fn identity(n: usize) -> Vec<usize> {
    (0..n).collect()
}

fn as_f64(w: &[u32]) -> Vec<f64> {
    w.iter().map(|&x| f64::from(x)).collect()
}

/// Totals and ranks keyed by option id, so reorderings can be compared.
fn by_id(a: &Appraisal) -> Vec<(String, f64, usize)> {
    let r = compute(a);
    let mut v: Vec<(String, f64, usize)> = a
        .options()
        .iter()
        .zip(&r.options)
        .map(|(o, r)| (o.id().to_string(), r.total, r.rank))
        .collect();
    v.sort_by(|x, y| x.0.cmp(&y.0));
    v
}

proptest! {
    #[test]
    fn recomputing_one_option_matches_computing_everything(
        c in case(),
        at in any::<prop::sample::Index>(),
        crit in any::<prop::sample::Index>(),
        half_points in prop::option::of(0u32..=10),
    ) {
        let m = c.weights.len();
        let n = c.scores.len();
        let mut a = build(&as_f64(&c.weights), &c.scores, &identity(m), &identity(n));
        let mut results = compute(&a);
        let (o, j) = (at.index(n), crit.index(m));
        a.set_score(o, j, half_points.map(|h| f64::from(h) / 2.0)).expect("on scale");
        recompute_option(&mut results, &a, o);
        prop_assert_eq!(results, compute(&a));
    }

    #[test]
    fn scaling_all_weights_never_changes_ranks(c in case(), k in 1u32..800) {
        let m = c.weights.len();
        let n = c.scores.len();
        let base = build(&as_f64(&c.weights), &c.scores, &identity(m), &identity(n));
        // k/8 is exact in binary, so products stay exact and ties stay ties.
        let factor = f64::from(k) / 8.0;
        let scaled: Vec<f64> = as_f64(&c.weights).iter().map(|w| w * factor).collect();
        let other = build(&scaled, &c.scores, &identity(m), &identity(n));
        let ranks = |a: &Appraisal| compute(a).options.iter().map(|r| r.rank).collect::<Vec<_>>();
        prop_assert_eq!(ranks(&base), ranks(&other));
    }

    #[test]
    fn permuting_options_or_criteria_never_changes_a_total(
        c in case(),
        crit_seed in any::<u64>(),
        opt_seed in any::<u64>(),
    ) {
        let m = c.weights.len();
        let n = c.scores.len();
        let base = build(&as_f64(&c.weights), &c.scores, &identity(m), &identity(n));
        let shuffle = |len: usize, seed: u64| {
            let mut v = identity(len);
            let mut s = seed;
            for i in (1..len).rev() {
                s = s.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                let j = (s >> 33) as usize % (i + 1);
                v.swap(i, j);
            }
            v
        };
        let other = build(&as_f64(&c.weights), &c.scores, &shuffle(m, crit_seed), &shuffle(n, opt_seed));
        prop_assert_eq!(by_id(&base), by_id(&other));
    }

    #[test]
    fn raising_a_score_never_worsens_that_options_rank(
        c in case(),
        pick in any::<(prop::sample::Index, prop::sample::Index)>(),
        raise in 1u32..=10,
    ) {
        let m = c.weights.len();
        let n = c.scores.len();
        let (o, k) = (pick.0.index(n), pick.1.index(m));
        let before = compute(&build(&as_f64(&c.weights), &c.scores, &identity(m), &identity(n)));
        let mut raised = c.scores.clone();
        raised[o][k] = Some((raised[o][k].unwrap_or(0) + raise).min(10));
        let after = compute(&build(&as_f64(&c.weights), &raised, &identity(m), &identity(n)));
        prop_assert!(after.options[o].rank <= before.options[o].rank);
    }

    #[test]
    fn percent_lies_between_zero_and_one_hundred(c in case()) {
        let a = build(&as_f64(&c.weights), &c.scores, &identity(c.weights.len()), &identity(c.scores.len()));
        for r in compute(&a).options {
            prop_assert!((0.0..=100.0).contains(&r.percent), "{}", r.percent);
        }
    }
}

// ---------------------------------------------------------------------------
// Every figure the terminal prints is the JSON's, rounded by the documented
// rule (docs/format.md, "How numbers are shown").

use appraise::numbers::{self, WeightRange};
use appraise::report::TextStyle;
use appraise::sensitivity::{self, SmaaConfig, WeightModel};

/// A random appraisal with named options and criteria, weights that are
/// fractions as often as whole numbers, and a score spread in some runs.
#[derive(Debug, Clone)]
struct Shown {
    weights: Vec<u32>,
    tenths: bool,
    scores: Vec<Vec<Option<u32>>>,
    score_spread: bool,
}

fn shown_case() -> impl Strategy<Value = Shown> {
    (2usize..6, 1usize..6).prop_flat_map(|(n, m)| {
        (
            prop::collection::vec(0u32..12, m).prop_map(|mut w| {
                if w.iter().all(|&x| x == 0) {
                    w[0] = 3;
                }
                w
            }),
            any::<bool>(),
            prop::collection::vec(
                prop::collection::vec(prop::option::weighted(0.95, 0u32..=10), m),
                n,
            ),
            prop::bool::weighted(0.25),
        )
            .prop_map(|(weights, tenths, scores, score_spread)| Shown {
                weights,
                tenths,
                scores,
                score_spread,
            })
    })
}

fn named(case: &Shown) -> Appraisal {
    let scale = Scale::new(0.0, 5.0, 0.5).expect("scale");
    let criteria = case
        .weights
        .iter()
        .enumerate()
        .map(|(c, &w)| {
            let w = if case.tenths {
                f64::from(w) / 10.0
            } else {
                f64::from(w)
            };
            Criterion::new(
                Id::new(&format!("c{c}")).expect("id"),
                &format!("Criterion {}", c + 1),
                w,
            )
            .expect("criterion")
        })
        .collect();
    let options = (0..case.scores.len())
        .map(|o| {
            AppraisalOption::new(
                Id::new(&format!("o{o}")).expect("id"),
                &format!("Option {}", o + 1),
                case.weights.len(),
            )
            .expect("option")
        })
        .collect();
    let meta = Meta {
        title: "Shown".into(),
        ..Meta::default()
    };
    let mut a = Appraisal::new(meta, scale, criteria, options).expect("appraisal");
    for (o, row) in case.scores.iter().enumerate() {
        for (c, s) in row.iter().enumerate() {
            a.set_score(o, c, s.map(|h| f64::from(h) / 2.0))
                .expect("on scale");
        }
    }
    a
}

/// The cells of each row of the terminal table that follows the line
/// starting with `title`, keyed by the row's first cell.
fn table_rows(text: &str, title: &str) -> Vec<Vec<String>> {
    let Some(start) = text.find(&format!("\n{title}")) else {
        return Vec::new();
    };
    let mut rows = Vec::new();
    let mut header_done = false;
    for line in text[start + 1..].lines().skip(1) {
        if line.starts_with('╞') {
            header_done = true;
            continue;
        }
        if line.starts_with('└') {
            break;
        }
        if header_done && line.starts_with('│') {
            let inner = line.trim_start_matches('│').trim_end_matches('│');
            rows.push(inner.split('┆').map(|c| c.trim().to_string()).collect());
        }
    }
    rows
}

/// Every figure followed by `%` in `text`: "53.3", "<0.1".
fn percentages(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (i, _) in text.match_indices('%') {
        let start = text[..i]
            .rfind(|c: char| !(c.is_ascii_digit() || c == '.'))
            .map_or(0, |p| p + 1);
        if start < i {
            out.push(text[start..i].to_string());
        }
    }
    out
}

fn json<T: serde::Serialize>(v: &T) -> serde_json::Value {
    // Through text, as a reader of the JSON gets it.
    serde_json::from_str(&serde_json::to_string(v).expect("json")).expect("parse")
}

fn f(v: &serde_json::Value) -> f64 {
    v.as_f64().expect("a number")
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn every_percentage_and_boundary_in_the_terminal_is_the_jsons_rounded_by_the_rule(
        case in shown_case()
    ) {
        let a = named(&case);
        let style = TextStyle::default();

        // The ranking.
        let results = compute(&a);
        let rank = json(&appraise::report::rank_json(&a, &results));
        let mut ranking = Vec::new();
        appraise::report::write_ranking(&mut ranking, &a, &results, style).expect("ranking");
        let rank_rows = table_rows(
            &format!("\nRanking\n{}", String::from_utf8(ranking).expect("utf8")),
            "Ranking",
        );
        let options = rank["options"].as_array().expect("options");
        prop_assert_eq!(rank_rows.len(), options.len());
        for (row, o) in rank_rows.iter().zip(options) {
            prop_assert_eq!(&row[1], o["name"].as_str().expect("name"));
            // Any remark ("(incomplete: 2 of 3 scored)") follows the figure.
            let total = row[2].split(" (").next().unwrap_or_default();
            prop_assert_eq!(total, numbers::total_of(f(&o["total"]), f(&rank["max_total"])));
            prop_assert_eq!(&row[3], &numbers::percent(f(&o["percent"])));
        }

        // The sensitivity report.
        let config = SmaaConfig {
            samples: 3_000,
            seed: 7,
            threads: Some(1),
            weights: WeightModel::Uniform,
            score_spread: if case.score_spread { 1.0 } else { 0.0 },
        };
        let s = sensitivity::analyse(&a, &config).expect("analysis");
        let text = appraise::terminal::report_text(
            &appraise::export::sensitivity::terminal_report(&a, &s),
            style,
        );
        let doc = json(&sensitivity::output::document(&a, &s));
        let ranges: Vec<(String, WeightRange)> = doc["weights"]
            .as_array()
            .expect("weights")
            .iter()
            .map(|w| {
                let c = a.criterion_index(w["criterion"].as_str().expect("id")).expect("criterion");
                (
                    a.criteria()[c].name().to_string(),
                    WeightRange::new(f(&w["share"]), f(&w["stable_from"]), f(&w["stable_to"])),
                )
            })
            .collect();
        let weights = table_rows(&text, "Weight stability");
        prop_assert_eq!(weights.len(), ranges.len());
        for (row, (name, r)) in weights.iter().zip(&ranges) {
            prop_assert_eq!(&row[0], name);
            prop_assert_eq!(&row[1], &r.share_text());
            prop_assert_eq!(&row[2], &r.from_text());
            prop_assert_eq!(&row[3], &r.to_text());
            prop_assert!(r.from <= r.share && r.share <= r.to, "{:?}", r);
        }

        // The statements are the JSON's, and every share in one about a
        // criterion's weight is that criterion's, as the table shows it.
        let statements: Vec<&str> = text
            .split("In plain English\n")
            .nth(1)
            .expect("statements")
            .lines()
            .take_while(|l| l.starts_with("- "))
            .map(|l| &l[2..])
            .collect();
        let in_json: Vec<&str> = doc["statements"]
            .as_array()
            .expect("statements")
            .iter()
            .map(|v| v.as_str().expect("text"))
            .collect();
        prop_assert_eq!(&statements, &in_json);
        for st in &statements {
            let about = ranges.iter().find(|(name, _)| {
                st.contains(&format!("unless {name} carries"))
                    || st.contains(&format!("while {name} carries"))
                    || st.contains(&format!("Giving {name} any"))
            });
            if let Some((_, r)) = about {
                for p in percentages(st) {
                    let allowed = [r.share_figure(), r.from_figure(), r.to_figure()];
                    prop_assert!(allowed.contains(&p), "{} in {:?}: {:?}", p, st, r);
                }
            }
        }

        // Rank acceptability, confidence and central weights.
        let mc = &doc["monte_carlo"];
        let accept = table_rows(&text, "Rank acceptability");
        for row in &accept {
            let o = a.options().iter().find(|o| o.name() == row[0]).expect("option");
            let id = o.id().as_str();
            let shares = mc["acceptability"][id].as_array().expect("shares");
            for (cell, b) in row[1..=shares.len()].iter().zip(shares) {
                prop_assert_eq!(cell, &numbers::probability(f(b)));
            }
            // The confidence factor says something only when scores vary.
            if case.score_spread {
                let conf = &mc["confidence"][id];
                let want = if conf.is_null() {
                    "–".to_string()
                } else {
                    numbers::probability(f(conf))
                };
                prop_assert_eq!(&row[shares.len() + 1], &want);
            } else {
                prop_assert_eq!(row.len(), shares.len() + 1);
            }
        }
        prop_assert_eq!(accept.len(), a.options().len());
        for row in table_rows(&text, "Central weights") {
            let o = a.options().iter().find(|o| o.name() == row[0]).expect("option");
            let cw = &mc["central_weights"][o.id().as_str()];
            for (cell, c) in row[1..].iter().zip(a.criteria()) {
                prop_assert_eq!(cell, &numbers::percent(100.0 * f(&cw[c.id().as_str()])));
            }
        }
        let leader = doc["leader"].as_str().expect("leader");
        if a.options().len() > 1 {
            let b1 = f(&mc["acceptability"][leader][0]);
            let se1 = f(&mc["acceptability_se"][leader][0]);
            let phrase = format!(
                "ranks first in {} of cases (standard error {})",
                numbers::probability_words(b1),
                numbers::standard_error(se1)
            );
            prop_assert!(statements.iter().any(|s| s.contains(&phrase)), "{}", phrase);
        }
    }
}
