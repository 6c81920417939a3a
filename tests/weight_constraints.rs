//! Properties of the Monte Carlo run under weight constraints, on random
//! small appraisals and random sets of constraints.

use appraise::sensitivity::{
    ConstraintError, SmaaConfig, SmaaError, WeightConstraint, WeightConstraints, smaa_constrained,
};
use proptest::prelude::*;

fn appraisal(m: usize, rows: &[Vec<u8>]) -> appraise::Appraisal {
    let mut text =
        String::from("[appraisal]\ntitle = \"T\"\n[scale]\nmin = 0\nmax = 5\nstep = 1\n");
    for j in 0..m {
        text += &format!("[[criteria]]\nid = \"c{j}\"\nname = \"C{j}\"\n");
    }
    for (i, row) in rows.iter().enumerate() {
        let cells: Vec<String> = row
            .iter()
            .enumerate()
            .map(|(j, s)| format!("c{j} = {s}"))
            .collect();
        text += &format!(
            "[[options]]\nid = \"o{i}\"\nname = \"O{i}\"\nscores = {{ {} }}\n",
            cells.join(", ")
        );
    }
    appraise::load_str("t.toml", &text).unwrap().appraisal
}

fn constraint(m: usize) -> impl Strategy<Value = WeightConstraint> {
    prop_oneof![
        (0..m, 0..m).prop_map(|(more, less)| WeightConstraint::AtLeastAsImportant { more, less }),
        (0..m, 0u8..5, 0u8..=10).prop_map(|(criterion, lo, width)| {
            let min = f64::from(lo) / 10.0;
            WeightConstraint::Share {
                criterion,
                min,
                max: (min + f64::from(width) / 10.0).min(1.0),
            }
        }),
        (0..m, 1u8..5).prop_map(|(criterion, s)| WeightConstraint::Fixed {
            criterion,
            share: f64::from(s) / 10.0,
        }),
    ]
}

fn case() -> impl Strategy<Value = (usize, Vec<Vec<u8>>, Vec<WeightConstraint>)> {
    (2usize..=5, 2usize..=4).prop_flat_map(|(m, n)| {
        (
            Just(m),
            prop::collection::vec(prop::collection::vec(0u8..=5, m), n),
            prop::collection::vec(constraint(m), 0..=4),
        )
    })
}

/// Whether shares `w` meet `c`, to rounding.
fn meets(w: &[f64], c: &WeightConstraint) -> bool {
    let tol = 1e-5;
    match *c {
        WeightConstraint::AtLeastAsImportant { more, less } => w[more] + tol >= w[less],
        WeightConstraint::Share {
            criterion,
            min,
            max,
        } => w[criterion] + tol >= min && w[criterion] <= max + tol,
        WeightConstraint::Fixed { criterion, share } => (w[criterion] - share).abs() <= tol,
    }
}

fn build(list: &[WeightConstraint]) -> WeightConstraints {
    let mut c = WeightConstraints::new();
    for x in list {
        c.push(x.clone());
    }
    c
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn constrained_runs_meet_their_constraints_or_say_which_conflict((m, rows, list) in case()) {
        let a = appraisal(m, &rows);
        let config = SmaaConfig { samples: 4_096, seed: 3, threads: Some(1), ..SmaaConfig::default() };
        match smaa_constrained(&a, &config, &build(&list)) {
            Ok(run) => {
                for o in &run.options {
                    let total: f64 = o.acceptability.iter().sum();
                    prop_assert!((total - 1.0).abs() < 1e-9);
                    // A central weight vector is a mean of weightings that
                    // meet every constraint; they form a convex set.
                    if let Some(w) = &o.central_weights {
                        let sum: f64 = w.iter().sum();
                        prop_assert!((sum - 1.0).abs() < 1e-5, "{w:?}");
                        for c in &list {
                            prop_assert!(meets(w, c), "{w:?} breaks {c:?}");
                        }
                    }
                }
            }
            Err(SmaaError::Constraints(ConstraintError::Conflict { at, what, .. })) => {
                // The constraints named conflict on their own.
                prop_assert!(!at.is_empty());
                prop_assert_eq!(at.len(), what.len());
                let named: Vec<WeightConstraint> = at.iter().map(|&i| list[i].clone()).collect();
                prop_assert!(smaa_constrained(&a, &config, &build(&named)).is_err());
            }
            Err(SmaaError::Constraints(ConstraintError::Circular { at, .. })) => {
                // Each order constraint's lesser criterion is the next one's greater.
                let steps: Vec<(usize, usize)> = at
                    .iter()
                    .map(|&i| match list[i] {
                        WeightConstraint::AtLeastAsImportant { more, less } => (more, less),
                        ref other => panic!("{other:?} in a circle"),
                    })
                    .collect();
                for k in 0..steps.len() {
                    prop_assert_eq!(steps[k].1, steps[(k + 1) % steps.len()].0);
                }
            }
            Err(SmaaError::Constraints(ConstraintError::TooTight { acceptance })) => {
                prop_assert!(acceptance < appraise::sensitivity::constraints::MIN_ACCEPTANCE);
            }
            Err(e) => prop_assert!(false, "unexpected error {e}"),
        }
    }
}
