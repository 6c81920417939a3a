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
