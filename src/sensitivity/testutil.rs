//! Small appraisals built in code, for the unit tests.

use crate::model::{Appraisal, AppraisalOption, Criterion, Id, Meta, Scale};

/// An appraisal on a 0-5 scale in steps of `step`, with the given weights and
/// score rows; `None` leaves a cell unscored. Options are named "Option 1", ...
/// and criteria "Criterion 1", ...
pub fn build(weights: &[f64], rows: &[&[Option<f64>]], step: f64) -> Appraisal {
    let scale = Scale::new(0.0, 5.0, step).unwrap();
    let criteria = weights
        .iter()
        .enumerate()
        .map(|(j, w)| {
            Criterion::new(
                Id::new(&format!("c{}", j + 1)).unwrap(),
                &format!("Criterion {}", j + 1),
                *w,
            )
            .unwrap()
        })
        .collect();
    let options = (0..rows.len())
        .map(|i| {
            AppraisalOption::new(
                Id::new(&format!("o{}", i + 1)).unwrap(),
                &format!("Option {}", i + 1),
                weights.len(),
            )
            .unwrap()
        })
        .collect();
    let meta = Meta {
        title: "Test".into(),
        ..Meta::default()
    };
    let mut a = Appraisal::new(meta, scale, criteria, options).unwrap();
    for (i, row) in rows.iter().enumerate() {
        for (j, s) in row.iter().enumerate() {
            a.set_score(i, j, *s).unwrap();
        }
    }
    a
}

/// Like [`build`] with every cell scored and a step of 1.
pub fn full(weights: &[f64], rows: &[&[f64]]) -> Appraisal {
    let rows: Vec<Vec<Option<f64>>> = rows
        .iter()
        .map(|r| r.iter().map(|&s| Some(s)).collect())
        .collect();
    let refs: Vec<&[Option<f64>]> = rows.iter().map(|r| r.as_slice()).collect();
    build(weights, &refs, 1.0)
}

/// Monte Carlo settings: `samples` samples, `seed`, on `threads` threads,
/// uniform weights and no score spread.
pub fn cfg(samples: u64, seed: u64, threads: usize) -> crate::sensitivity::SmaaConfig {
    crate::sensitivity::SmaaConfig {
        samples,
        seed,
        threads: Some(threads),
        ..crate::sensitivity::SmaaConfig::default()
    }
}

/// Asserts that a Monte Carlo estimate `x` is within 4 standard errors
/// `se` of the exact `want`.
pub fn within(x: f64, want: f64, se: f64) {
    assert!(
        (x - want).abs() <= 4.0 * se,
        "{x} is not within 4 standard errors ({se}) of {want}"
    );
}
