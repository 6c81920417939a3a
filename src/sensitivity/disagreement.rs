//! The panel's own disagreement as score uncertainty: "given how much we
//! disagree, how sure is the ranking?"
//!
//! Each sample draws every cell's score from the members' scores for that
//! cell, one member's score chosen uniformly among those who scored it
//! (the empirical distribution of the panel's scores, cell by cell and
//! independently); a cell nobody scored counts nothing, as everywhere
//! else. The weights are the appraisal's own, so the spread of the ranking
//! comes from the members' disagreement alone. Each option's rank
//! acceptabilities are the shares of samples in which it takes each rank
//! (options that tie share the better rank).
//!
//! Samples are drawn in chunks of [`super::smaa::CHUNK_SAMPLES`]; chunk `c`
//! draws from the seed's stream advanced by `jump()` `c` times, and chunks
//! are tallied independently and merged in chunk order, so the numbers
//! depend only on the seed and the sample count, never on the number of
//! threads. The arithmetic is plain double precision, the same on every
//! machine.

use rand_xoshiro::Xoshiro256PlusPlus;
use rand_xoshiro::rand_core::{Rng, SeedableRng};
use rayon::prelude::*;
use serde::Serialize;

use super::smaa::{CHUNK_SAMPLES, SmaaError};
use super::statements::{Statement, StatementKind};
use crate::model::Appraisal;
use crate::numbers;
use crate::panel::Merged;

/// Settings for a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct DisagreementConfig {
    /// Number of samples.
    pub samples: u64,
    /// Seed of the random streams.
    pub seed: u64,
    /// Worker threads; `None` uses rayon's global pool, `Some(1)` the caller's thread.
    #[serde(skip)]
    pub threads: Option<usize>,
}

impl Default for DisagreementConfig {
    fn default() -> Self {
        DisagreementConfig {
            samples: 100_000,
            seed: 1,
            threads: None,
        }
    }
}

/// One option's ranks over the samples.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DisagreementOption {
    /// Index of the option in file order.
    pub option: usize,
    /// `acceptability[r]`: share of samples in which it ranks `r + 1`.
    pub acceptability: Vec<f64>,
    /// Standard error of each, `sqrt(b (1 - b) / N)` (samples are independent).
    pub acceptability_se: Vec<f64>,
}

/// The result of a run.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Disagreement {
    /// The settings used.
    pub config: DisagreementConfig,
    /// Members on the panel.
    pub members: usize,
    /// Cells scored by two or more members who gave different scores: the
    /// cells that vary.
    pub varying_cells: usize,
    /// One entry per option, in file order.
    pub options: Vec<DisagreementOption>,
}

impl Disagreement {
    /// Share of samples in which option `i` ranks first (0 if out of range).
    pub fn first_share(&self, i: usize) -> f64 {
        super::smaa::first_of(self.options.get(i).map(|o| o.acceptability.as_slice()))
    }
}

/// The members' scores for every cell, option-major (`i * m + j`), blanks
/// left out: what [`disagreement`] draws from.
pub fn member_scores(merged: &Merged) -> Vec<Vec<f64>> {
    merged
        .cells
        .iter()
        .flatten()
        .map(|cell| cell.scores.iter().flatten().copied().collect())
        .collect()
}

/// Runs the simulation for `appraisal` (for its weights and shape) with
/// each cell's score drawn from `scores[i * m + j]`, the members' scores
/// for it (an empty list counts nothing).
pub fn disagreement(
    appraisal: &Appraisal,
    scores: &[Vec<f64>],
    members: usize,
    config: &DisagreementConfig,
) -> Result<Disagreement, SmaaError> {
    let n = appraisal.options().len();
    let m = appraisal.criteria().len();
    super::smaa::check_size(n, config.samples, config.threads)?;
    let weights = appraisal.weights();
    let cells: Vec<&[f64]> = (0..n * m)
        .map(|at| scores.get(at).map_or(&[][..], Vec::as_slice))
        .collect();
    let varying_cells = cells
        .iter()
        .filter(|c| c.iter().any(|&x| x != c[0]))
        .count();
    let full = (config.samples / CHUNK_SAMPLES as u64) as usize;
    let rest = (config.samples % CHUNK_SAMPLES as u64) as usize;
    let mut sizes = vec![CHUNK_SAMPLES; full];
    if rest > 0 {
        sizes.push(rest);
    }
    let mut base = Xoshiro256PlusPlus::seed_from_u64(config.seed);
    let work: Vec<(usize, Xoshiro256PlusPlus)> = sizes
        .iter()
        .map(|&s| {
            let g = base.clone();
            base.jump();
            (s, g)
        })
        .collect();
    let chunk = |(size, mut rng): (usize, Xoshiro256PlusPlus)| -> Vec<u64> {
        let mut counts = vec![0u64; n * n];
        let mut totals = vec![0.0; n];
        for _ in 0..size {
            for (i, t) in totals.iter_mut().enumerate() {
                let mut sum = 0.0;
                for j in 0..m {
                    let cell = cells[i * m + j];
                    let s = match cell.len() {
                        0 => 0.0,
                        1 => cell[0],
                        k => {
                            let pick = ((u128::from(rng.next_u64()) * k as u128) >> 64) as usize;
                            cell[pick]
                        }
                    };
                    sum += weights[j] * s;
                }
                *t = sum;
            }
            for i in 0..n {
                let ti = totals[i];
                let rank = totals.iter().filter(|&&t| t > ti).count();
                counts[i * n + rank] += 1;
            }
        }
        counts
    };
    let parts: Vec<Vec<u64>> = match config.threads {
        Some(1) => work.into_iter().map(chunk).collect(),
        None => work.into_par_iter().map(chunk).collect(),
        Some(t) => rayon::ThreadPoolBuilder::new()
            .num_threads(t)
            .build()
            .map_err(|_| SmaaError::Pool(t))?
            .install(|| work.into_par_iter().map(chunk).collect()),
    };
    let mut counts = vec![0u64; n * n];
    for part in &parts {
        for (a, b) in counts.iter_mut().zip(part) {
            *a += b;
        }
    }
    let total = config.samples as f64;
    let options = (0..n)
        .map(|i| {
            let acceptability: Vec<f64> = counts[i * n..(i + 1) * n]
                .iter()
                .map(|&c| c as f64 / total)
                .collect();
            let acceptability_se = acceptability
                .iter()
                .map(|&b| (b * (1.0 - b) / total).sqrt())
                .collect();
            DisagreementOption {
                option: i,
                acceptability,
                acceptability_se,
            }
        })
        .collect();
    Ok(Disagreement {
        config: *config,
        members,
        varying_cells,
        options,
    })
}

/// [`disagreement`] for a merged panel: the consensus appraisal's weights,
/// the members' scores.
pub fn panel_disagreement(
    merged: &Merged,
    config: &DisagreementConfig,
) -> Result<Disagreement, SmaaError> {
    disagreement(
        &merged.consensus,
        &member_scores(merged),
        merged.members.len(),
        config,
    )
}

/// Plain-English statements about a run, following `leader` (the
/// consensus's first option).
pub fn statements(appraisal: &Appraisal, d: &Disagreement, leader: usize) -> Vec<Statement> {
    let opt = |i: usize| {
        appraisal
            .options()
            .get(i)
            .map_or("?".to_string(), |o| o.name().to_string())
    };
    let mut out = Vec::new();
    if appraisal.options().len() < 2 {
        return out;
    }
    let st = |text: String| Statement {
        kind: StatementKind::MonteCarlo,
        text,
    };
    if d.varying_cells == 0 {
        out.push(st(format!(
            "The {} agree on every score they share, so their scores leave the ranking as it is: {} is first.",
            numbers::count(d.members as f64, "member", "members"),
            opt(leader)
        )));
        return out;
    }
    let Some(lo) = d.options.get(leader) else {
        return out;
    };
    out.push(st(format!(
        "Given how much the {} disagree (each score drawn from the members' own scores for that cell, {} of which differ, with the weights as they are), {} ranks first in {} of cases (standard error {}).",
        numbers::count(d.members as f64, "member", "members"),
        numbers::count(d.varying_cells as f64, "cell", "cells"),
        opt(leader),
        numbers::probability_words(lo.acceptability[0]),
        numbers::standard_error(lo.acceptability_se[0])
    )));
    let firsts = d
        .options
        .iter()
        .map(|o| (o.option, o.acceptability[0], o.acceptability_se[0]));
    if let Some(text) = super::statements::strongest_alternative(
        appraisal,
        leader,
        lo.acceptability[0],
        firsts,
        d.config.samples,
    ) {
        out.push(st(text));
    }
    out
}

/// A run as the JSON document gives it: options by id.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DisagreementJson {
    /// Number of samples.
    pub samples: u64,
    /// Seed.
    pub seed: u64,
    /// Members on the panel.
    pub members: usize,
    /// Cells whose members' scores differ.
    pub varying_cells: usize,
    /// Share of samples at rank 1, 2, ... per option id, in file order.
    pub acceptability: Vec<(String, Vec<f64>)>,
    /// Their standard errors.
    pub acceptability_se: Vec<(String, Vec<f64>)>,
    /// The statements.
    pub statements: Vec<String>,
}

/// The JSON document for a run, with statements following `leader`.
pub fn json(appraisal: &Appraisal, d: &Disagreement, leader: usize) -> serde_json::Value {
    let id = |i: usize| {
        appraisal
            .options()
            .get(i)
            .map_or_else(String::new, |o| o.id().to_string())
    };
    let map = |f: &dyn Fn(&DisagreementOption) -> Vec<f64>| {
        serde_json::Value::Object(
            d.options
                .iter()
                .map(|o| (id(o.option), serde_json::json!(f(o))))
                .collect(),
        )
    };
    serde_json::json!({
        "samples": d.config.samples,
        "seed": d.config.seed,
        "members": d.members,
        "varying_cells": d.varying_cells,
        "acceptability": map(&|o| o.acceptability.clone()),
        "acceptability_se": map(&|o| o.acceptability_se.clone()),
        "statements": statements(appraisal, d, leader)
            .into_iter()
            .map(|s| s.text)
            .collect::<Vec<_>>(),
    })
}

/// The statements and a table of rank acceptabilities for the terminal,
/// options in `order` (the consensus ranking), following its first.
pub fn text_report(
    appraisal: &Appraisal,
    d: &Disagreement,
    order: &[usize],
    style: crate::report::TextStyle,
) -> String {
    use comfy_table::{Cell, CellAlignment, ContentArrangement, Table, presets};
    let leader = order.first().copied().unwrap_or(0);
    let mut out = String::new();
    for s in statements(appraisal, d, leader) {
        out.push_str(&format!("- {}\n", s.text));
    }
    let n = d.options.len();
    let mut t = Table::new();
    t.load_style(presets::UTF8_FULL_CONDENSED).force_no_tty();
    if let Some(w) = style.width {
        t.set_width(w)
            .set_content_arrangement(ContentArrangement::Dynamic);
    }
    let mut head = vec![Cell::new("Option")];
    head.extend((1..=n).map(|r| Cell::new(format!("Rank {r} %"))));
    t.set_header(head);
    for &i in order {
        let Some(o) = d.options.get(i) else { continue };
        let mut row = vec![Cell::new(appraisal.options()[i].name())];
        row.extend(o.acceptability.iter().map(|&b| {
            Cell::new(numbers::probability_figure(b)).set_alignment(CellAlignment::Right)
        }));
        t.add_row(row);
    }
    out.push_str(&t.to_string());
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sensitivity::testutil::full;

    fn cfg(samples: u64, threads: usize) -> DisagreementConfig {
        DisagreementConfig {
            samples,
            seed: 5,
            threads: Some(threads),
        }
    }

    fn within(x: f64, want: f64, se: f64) {
        assert!(
            (x - want).abs() <= 4.0 * se.max(1e-4),
            "{x} is not within 4 standard errors ({se}) of {want}"
        );
    }

    /// Every combination of members' scores, equally likely per cell:
    /// the exact rank acceptabilities.
    fn exact(weights: &[f64], cells: &[Vec<f64>], n: usize) -> Vec<Vec<f64>> {
        let m = weights.len();
        let mut acc = vec![vec![0.0; n]; n];
        let combos: usize = cells.iter().map(|c| c.len().max(1)).product();
        for mut code in 0..combos {
            let mut totals = vec![0.0; n];
            for (at, cell) in cells.iter().enumerate() {
                let k = cell.len().max(1);
                let s = cell.get(code % k).copied().unwrap_or(0.0);
                code /= k;
                totals[at / m] += weights[at % m] * s;
            }
            for i in 0..n {
                let rank = totals.iter().filter(|&&t| t > totals[i]).count();
                acc[i][rank] += 1.0 / combos as f64;
            }
        }
        acc
    }

    #[test]
    fn hand_worked_panels() {
        // One criterion: A scored 4 and 2 by two members, B 3 by both. A is
        // first when the 4 is drawn: half the time.
        let a = full(&[1.0], &[&[3.0], &[3.0]]);
        let d = disagreement(&a, &[vec![4.0, 2.0], vec![3.0, 3.0]], 2, &cfg(100_000, 1)).unwrap();
        within(d.first_share(0), 0.5, d.options[0].acceptability_se[0]);
        within(d.options[0].acceptability[1], 0.5, 0.002);
        assert!((d.first_share(1) + d.first_share(0) - 1.0).abs() < 1e-12);
        assert_eq!(d.varying_cells, 1);
        // Ties share the better rank: A 3 or 5, B 3: A always first, B
        // first half the time.
        let d = disagreement(&a, &[vec![3.0, 5.0], vec![3.0]], 2, &cfg(100_000, 2)).unwrap();
        assert_eq!(d.first_share(0), 1.0);
        within(d.first_share(1), 0.5, d.options[1].acceptability_se[0]);
        // Two criteria, weights 1 and 1: A (1 or 3, 2), B (2, 1 or 3):
        // both totals 3 or 5, each half the time; A first unless it has 3
        // and B 5, so 3/4.
        let a = full(&[1.0, 1.0], &[&[2.0, 2.0], &[2.0, 2.0]]);
        let cells = vec![vec![1.0, 3.0], vec![2.0], vec![2.0], vec![1.0, 3.0]];
        let d = disagreement(&a, &cells, 2, &cfg(100_000, 1)).unwrap();
        within(d.first_share(0), 0.75, d.options[0].acceptability_se[0]);
        within(d.first_share(1), 0.75, d.options[1].acceptability_se[0]);
    }

    #[test]
    fn agrees_with_every_combination_counted() {
        // Three options, two criteria weighted 2 and 1, three members,
        // some blanks (a cell one member left blank draws from the other
        // two; a cell nobody scored counts nothing).
        let weights = [2.0, 1.0];
        let a = full(&weights, &[&[0.0, 0.0], &[0.0, 0.0], &[0.0, 0.0]]);
        let cells = vec![
            vec![3.0, 4.0, 2.0],
            vec![1.0, 5.0],
            vec![4.0, 3.0, 3.0],
            vec![2.0, 2.0, 0.0],
            vec![],
            vec![5.0, 4.0, 1.0],
        ];
        let want = exact(&weights, &cells, 3);
        let d = disagreement(&a, &cells, 3, &cfg(300_000, 2)).unwrap();
        for (o, w) in d.options.iter().zip(&want) {
            for ((&b, &se), &x) in o.acceptability.iter().zip(&o.acceptability_se).zip(w) {
                within(b, x, se);
            }
        }
    }

    #[test]
    fn same_numbers_whatever_the_threads_and_agreement_changes_nothing() {
        let a = full(&[1.0, 2.0], &[&[0.0, 0.0], &[0.0, 0.0], &[0.0, 0.0]]);
        let cells = vec![
            vec![3.0, 4.0],
            vec![1.0, 5.0],
            vec![4.0, 3.0],
            vec![2.0, 2.0],
            vec![3.0],
            vec![5.0, 1.0],
        ];
        let samples = 2 * CHUNK_SAMPLES as u64 + 17;
        let one = disagreement(&a, &cells, 2, &cfg(samples, 1)).unwrap();
        for t in [2, 3] {
            assert_eq!(
                disagreement(&a, &cells, 2, &cfg(samples, t))
                    .unwrap()
                    .options,
                one.options
            );
        }
        // Members who agree everywhere: the consensus ranking, every time.
        let same = vec![
            vec![3.0, 3.0],
            vec![2.0],
            vec![4.0, 4.0],
            vec![1.0],
            vec![],
            vec![5.0],
        ];
        let d = disagreement(&a, &same, 2, &cfg(5_000, 1)).unwrap();
        assert_eq!(d.varying_cells, 0);
        // Totals 3 + 4 = 7, 4 + 2 = 6, 0 + 10 = 10.
        assert_eq!(d.options[2].acceptability[0], 1.0);
        assert_eq!(d.options[0].acceptability[1], 1.0);
        assert_eq!(d.options[1].acceptability[2], 1.0);
        let t = statements(&a, &d, 2);
        assert_eq!(
            t[0].text,
            "The 2 members agree on every score they share, so their scores leave the ranking as it is: Option 3 is first."
        );
        assert_eq!(
            disagreement(&a, &cells, 2, &cfg(0, 1)),
            Err(SmaaError::Samples(0))
        );
    }
}
