//! Invariants of the exact analyses, checked against brute force on random appraisals.

use appraise::compute::weighted_total;
use appraise::model::{Appraisal, AppraisalOption, Criterion, Id, Meta, Scale};
use appraise::sensitivity;
use proptest::prelude::*;

fn build(weights: &[u8], rows: &[Vec<Option<u8>>]) -> Option<Appraisal> {
    let scale = Scale::new(0.0, 5.0, 1.0).ok()?;
    let criteria = weights
        .iter()
        .enumerate()
        .map(|(j, &w)| {
            Criterion::new(
                Id::new(&format!("c{j}")).unwrap(),
                &format!("C{j}"),
                f64::from(w),
            )
            .unwrap()
        })
        .collect();
    let options = rows
        .iter()
        .enumerate()
        .map(|(i, _)| {
            AppraisalOption::new(
                Id::new(&format!("o{i}")).unwrap(),
                &format!("O{i}"),
                weights.len(),
            )
            .unwrap()
        })
        .collect();
    let meta = Meta {
        title: "P".into(),
        ..Meta::default()
    };
    let mut a = Appraisal::new(meta, scale, criteria, options).ok()?;
    for (i, row) in rows.iter().enumerate() {
        for (j, s) in row.iter().enumerate() {
            a.set_score(i, j, s.map(f64::from)).unwrap();
        }
    }
    Some(a)
}

/// Totals at share `p` of criterion `k`, straight from the definition.
fn totals_at(a: &Appraisal, k: usize, p: f64) -> Vec<f64> {
    let w = a.weights();
    let total: f64 = w.iter().sum();
    let rest = total - w[k];
    let others = w.len() - 1;
    let ws: Vec<f64> = (0..w.len())
        .map(|j| {
            if j == k {
                p * total
            } else if rest > 0.0 {
                (1.0 - p) * w[j] * total / rest
            } else {
                (1.0 - p) * total / others as f64
            }
        })
        .collect();
    a.options()
        .iter()
        .map(|o| weighted_total(&ws, o.scores()))
        .collect()
}

fn appraisal_strategy() -> impl Strategy<Value = Appraisal> {
    strategy(2..6, 1..5)
}

/// Random appraisals with `options` options and `criteria` criteria: weights
/// 0-3 (at least one positive), scores 0-5 with about one cell in ten unscored.
fn strategy(
    options: std::ops::Range<usize>,
    criteria: std::ops::Range<usize>,
) -> impl Strategy<Value = Appraisal> {
    (options, criteria)
        .prop_flat_map(|(n, m)| {
            (
                proptest::collection::vec(0u8..4, m),
                proptest::collection::vec(
                    proptest::collection::vec(proptest::option::weighted(0.9, 0u8..6), m),
                    n,
                ),
            )
        })
        .prop_filter_map("needs a positive weight", |(w, rows)| build(&w, &rows))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn stability_interval_agrees_with_a_grid(a in appraisal_strategy()) {
        let e = sensitivity::exact(&a);
        for cs in &e.weights {
            let leader = cs.leader;
            for step in 0..=2000 {
                let p = f64::from(step) / 2000.0;
                let t = totals_at(&a, cs.criterion, p);
                let best = t.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
                let first = t[leader] >= best - 1e-9;
                let near_edge = (p - cs.stable_from).abs() < 1e-6 || (p - cs.stable_to).abs() < 1e-6;
                if near_edge {
                    continue;
                }
                let inside = p >= cs.stable_from && p <= cs.stable_to;
                prop_assert_eq!(first, inside, "criterion {} share {}: {:?}", cs.criterion, p, cs);
            }
            // Who leads just outside the interval.
            let d = 1e-7;
            if let Some(above) = cs.above {
                let t = totals_at(&a, cs.criterion, cs.stable_to + d);
                let best = t.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
                prop_assert!(t[above] >= best - 1e-9);
                prop_assert!(t[leader] < best);
            } else {
                prop_assert!((cs.stable_to - 1.0).abs() < 1e-12);
            }
            if let Some(below) = cs.below {
                let t = totals_at(&a, cs.criterion, cs.stable_from - d);
                let best = t.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
                prop_assert!(t[below] >= best - 1e-9);
                prop_assert!(t[leader] < best);
            } else {
                prop_assert!(cs.stable_from.abs() < 1e-12);
            }
            // Lines are exact, and every swap point is a real crossing.
            for p in [0.0, 0.25, 0.5, 1.0] {
                let t = totals_at(&a, cs.criterion, p);
                for line in &cs.lines {
                    prop_assert!((line.at(p) - t[line.option]).abs() < 1e-9);
                }
            }
            for s in cs.swap_points() {
                let lo = totals_at(&a, cs.criterion, s.share - d);
                let hi = totals_at(&a, cs.criterion, s.share + d);
                prop_assert!(lo[s.ahead_below] > lo[s.ahead_above]);
                prop_assert!(hi[s.ahead_above] > hi[s.ahead_below]);
            }
            // The envelope's leader really is (weakly) first inside each segment.
            for seg in &cs.segments {
                let mid = 0.5 * (seg.from + seg.to);
                let t = totals_at(&a, cs.criterion, mid);
                let best = t.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
                prop_assert!(t[seg.leader] >= best - 1e-9);
            }
        }
    }

    #[test]
    fn score_steps_are_minimal(a in appraisal_strategy()) {
        // Applying the named changes really closes the gap, and one fewer
        // step of the cheapest kind would not (greedy optimality, spot-checked).
        let e = sensitivity::exact(&a);
        let s = &e.scores;
        for ch in &s.challenges {
            for (changes, strict, steps) in [
                (&ch.tie_changes, false, ch.steps_to_tie),
                (&ch.overtake_changes, true, ch.steps_to_overtake),
            ] {
                let Some(k) = steps else { continue };
                let mut b = a.clone();
                for c in changes.iter() {
                    b.set_score(c.option, c.criterion, Some(c.to)).unwrap();
                }
                let r = appraise::compute(&b);
                let lt = r.options[s.leader].total;
                let ct = r.options[ch.challenger].total;
                let reached = if strict { ct > lt } else { ct >= lt };
                prop_assert!(reached);
                prop_assert_eq!(changes.iter().map(|c| c.steps).sum::<u32>(), k);
                if k > 0 {
                    // Without the last step the target is missed.
                    let mut b = a.clone();
                    let mut rest: Vec<_> = changes.clone();
                    let last = rest.last_mut().unwrap();
                    let delta = if last.to > last.from { -1 } else { 1 };
                    last.to = a.scale().nudge(last.to, delta);
                    for c in &rest {
                        b.set_score(c.option, c.criterion, Some(c.to)).unwrap();
                    }
                    let r = appraise::compute(&b);
                    let lt = r.options[s.leader].total;
                    let ct = r.options[ch.challenger].total;
                    let missed = if strict { ct <= lt } else { ct < lt };
                    prop_assert!(missed);
                }
            }
        }
    }
}

fn small_strategy() -> impl Strategy<Value = Appraisal> {
    strategy(2..4, 1..3)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(100))]

    /// Brute force over every possible pair of score rows (any direction, any
    /// size of change) for the leader and each challenger: the fewest steps
    /// found must equal the greedy answer.
    #[test]
    fn greedy_matches_exhaustive_search(a in small_strategy()) {
        let e = sensitivity::exact(&a);
        let s = &e.scores;
        let m = a.criteria().len();
        let w = a.weights();
        let lrow = a.options()[s.leader].scores().to_vec();
        for ch in &s.challenges {
            let crow = a.options()[ch.challenger].scores().to_vec();
            let mut best_tie: Option<u32> = None;
            let mut best_over: Option<u32> = None;
            let combos = 6usize.pow(2 * m as u32);
            for code in 0..combos {
                let mut c = code;
                let mut steps = 0u32;
                let mut lt = 0.0;
                let mut ct = 0.0;
                let mut ok = true;
                for j in 0..m {
                    let nl = (c % 6) as f64;
                    c /= 6;
                    let nc = (c % 6) as f64;
                    c /= 6;
                    // Unscored cells cannot move.
                    match lrow[j] {
                        Some(v) => { steps += (v - nl).abs() as u32; lt += w[j] * nl; }
                        None => if nl != 0.0 { ok = false; },
                    }
                    match crow[j] {
                        Some(v) => { steps += (v - nc).abs() as u32; ct += w[j] * nc; }
                        None => if nc != 0.0 { ok = false; },
                    }
                }
                if !ok { continue; }
                if ct >= lt && best_tie.is_none_or(|b| steps < b) { best_tie = Some(steps); }
                if ct > lt && best_over.is_none_or(|b| steps < b) { best_over = Some(steps); }
            }
            prop_assert_eq!(ch.steps_to_tie, best_tie, "tie, challenger {}", ch.challenger);
            prop_assert_eq!(ch.steps_to_overtake, best_over, "overtake, challenger {}", ch.challenger);
        }
    }
}
