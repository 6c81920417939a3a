//! The Monte Carlo loop one sample at a time, in double precision: for the
//! weight samplers that draw one weighting at a time (hit-and-run chains,
//! weights level by level through the groups) and for every run that draws
//! raw values from the ranges a file gives.
//!
//! A sample draws a weighting from a [`Weights`] source, then the scores
//! from [`Scores`] (fixed, spread within a band of scale steps, and raw
//! values drawn from their ranges and scored by the criteria's value
//! functions); the two draws are independent, so every weight sampler goes
//! with every way of varying the scores, through this one loop. Totals,
//! ranks and the central weights' batch sums are tallied here once.
//!
//! Only correctly rounded double-precision arithmetic (and square roots) is
//! used, in code that is not dispatched by instruction set, so a sample
//! computes the same on every machine. Callers give each chunk its own
//! stream ([`streams`]) and merge the chunks' tallies in chunk order, so the
//! numbers never depend on the thread count.

use rand_xoshiro::Xoshiro256PlusPlus;
use rand_xoshiro::rand_core::{Rng, SeedableRng};

use super::kernel::{Affine, ChunkTally, Halfspace};
use super::ranges::RangeDraw;
pub(crate) use super::uniform::{simplex, unit};
use crate::model::Appraisal;

/// Consecutive samples in one batch, for the batch-means standard errors.
pub const BATCH: usize = 1_024;

/// Most proposals drawn for one weighting before rejection gives up (far
/// below any acceptance rate rejection is used at).
const MAX_PROPOSALS: usize = 100_000;

/// The criteria a run samples: those with positive weight, in file order.
pub(crate) fn sampled(appraisal: &Appraisal) -> Vec<usize> {
    appraisal
        .criteria()
        .iter()
        .enumerate()
        .filter(|(_, c)| c.weight() > 0.0)
        .map(|(j, _)| j)
        .collect()
}

/// The streams of the chunks of a pass: the seed's stream after
/// `long_jumps` long jumps, then advanced by `jump()` once per chunk, so
/// passes share no numbers and chunks none with each other.
pub(crate) fn streams(seed: u64, long_jumps: usize, chunks: usize) -> Vec<Xoshiro256PlusPlus> {
    let mut base = Xoshiro256PlusPlus::seed_from_u64(seed);
    for _ in 0..long_jumps {
        base.long_jump();
    }
    (0..chunks)
        .map(|_| {
            let g = base.clone();
            base.jump();
            g
        })
        .collect()
}

/// Where the weightings of the per-sample loop come from.
pub(crate) trait Weights {
    /// Draws one weighting of the sampled criteria into `w` (shares adding
    /// up to 1), adding the proposals it took to `proposals`; `false` when
    /// it gives up (rejection far below its expected acceptance).
    fn draw(&mut self, rng: &mut Xoshiro256PlusPlus, w: &mut [f64], proposals: &mut u64) -> bool;
}

/// Flat weightings: uniform over the shares, or over the simplex a set of
/// constraints maps to (with rejection), or each base weight within a band.
pub(crate) struct Flat<'a> {
    /// The shares as a function of the simplex point; `None`: the point.
    pub affine: Option<&'a Affine>,
    /// Conditions the simplex point must meet.
    pub reject: &'a [Halfspace],
    /// Instead of the simplex, each base share times `1 + spread (2u - 1)`
    /// and normalised: the base shares and the spread (a fraction).
    pub spread: Option<(&'a [f64], f64)>,
    /// Scratch for the simplex point.
    pub cuts: Vec<f64>,
}

impl Flat<'_> {
    fn shares(&self, w: &mut [f64]) {
        let g = &self.cuts;
        match self.affine {
            None => w.copy_from_slice(&g[..w.len()]),
            Some(a) => {
                for (j, slot) in w.iter_mut().enumerate() {
                    *slot =
                        a.offset[j] + (0..a.k).map(|q| a.matrix[j * a.k + q] * g[q]).sum::<f64>();
                }
            }
        }
    }
}

impl Weights for Flat<'_> {
    fn draw(&mut self, rng: &mut Xoshiro256PlusPlus, w: &mut [f64], proposals: &mut u64) -> bool {
        if let Some((base, spread)) = self.spread {
            *proposals += 1;
            for (slot, b) in w.iter_mut().zip(base) {
                *slot = b * (1.0 + spread * (2.0 * unit(rng.next_u64()) - 1.0));
            }
            let sum: f64 = w.iter().sum();
            w.iter_mut().for_each(|x| *x /= sum);
            return true;
        }
        let k = self.affine.map_or(w.len(), |a| a.k);
        for _ in 0..MAX_PROPOSALS {
            *proposals += 1;
            simplex(rng, k, &mut self.cuts);
            let g = &self.cuts;
            let inside = self
                .reject
                .iter()
                .all(|h| h.coeffs.iter().zip(g).map(|(c, x)| c * x).sum::<f64>() <= h.bound);
            if inside {
                self.shares(w);
                return true;
            }
        }
        false
    }
}

/// How the scores of a sample are drawn.
pub(crate) struct Scores<'a> {
    /// Options.
    pub n: usize,
    /// Sampled criteria.
    pub m: usize,
    /// Scores of the sampled criteria, `i * m + j` (unscored cells 0).
    pub base: Vec<f64>,
    /// Whether each cell is scored (unscored cells are never perturbed).
    pub present: Vec<bool>,
    /// Half-width of the uniform score perturbation (0: none), applied to
    /// the criteria whose raw values are not drawn.
    pub spread: f64,
    /// The scale's lowest score.
    pub lo: f64,
    /// The scale's highest score.
    pub hi: f64,
    /// Raw values drawn from ranges, if any.
    pub ranges: Option<&'a RangeDraw<'a>>,
}

impl Scores<'_> {
    /// One sample's scores into `s` (`i * m + j`), `raws` scratch. The
    /// spread's uniforms come first, cell by cell, then the raw values.
    fn draw(&self, rng: &mut Xoshiro256PlusPlus, s: &mut [f64], raws: &mut Vec<Option<f64>>) {
        if self.spread > 0.0 {
            let m = self.m.max(1);
            for (at, x) in s.iter_mut().enumerate() {
                if self.ranges.is_some_and(|r| r.draws(at % m)) {
                    continue;
                }
                *x = if self.present[at] {
                    let u = unit(rng.next_u64());
                    (self.base[at] + self.spread * (2.0 * u - 1.0)).clamp(self.lo, self.hi)
                } else {
                    0.0
                };
            }
        }
        if let Some(r) = self.ranges {
            r.points(rng, raws, s, self.m);
        }
    }
}

/// One chain's or chunk's tally: the kernel's counts and central weight
/// sums, with what batch-means standard errors and the chains' mixing
/// diagnostics need.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ChainTally {
    /// Rank counts and central weight sums, batch by batch as the kernel's.
    pub tally: ChunkTally,
    /// `count_x2[i * n + r]`: sum over batches of the squared count.
    pub count_x2: Vec<f64>,
    /// `count_xk[i * n + r]`: sum over batches of the count times the batch size.
    pub count_xk: Vec<f64>,
    /// Sum over batches of the squared batch size.
    pub len2: f64,
    /// Number of batches.
    pub batches: usize,
    /// Per chain: samples, and the mean and sample variance of each share.
    pub chains: Vec<ChainMoments>,
}

/// One chain's samples, mean and variance of each sampled share.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ChainMoments {
    /// Samples kept.
    pub samples: usize,
    /// Mean of each share.
    pub mean: Vec<f64>,
    /// Sample variance of each share.
    pub var: Vec<f64>,
}

impl ChainTally {
    /// An empty tally for `n` options and `m` sampled criteria, to merge
    /// chunks into.
    pub fn new(n: usize, m: usize) -> ChainTally {
        ChainTally {
            tally: ChunkTally::new(n, m),
            count_x2: vec![0.0; n * n],
            count_xk: vec![0.0; n * n],
            len2: 0.0,
            batches: 0,
            chains: Vec::new(),
        }
    }

    /// Adds another chunk's tally (merged in chunk order).
    pub fn add(&mut self, other: &ChainTally) {
        self.tally.add(&other.tally);
        for (a, b) in self.count_x2.iter_mut().zip(&other.count_x2) {
            *a += b;
        }
        for (a, b) in self.count_xk.iter_mut().zip(&other.count_xk) {
            *a += b;
        }
        self.len2 += other.len2;
        self.batches += other.batches;
        self.chains.extend(other.chains.iter().cloned());
    }

    /// Batch-means standard error of every acceptability, `i * n + r`.
    pub fn acceptability_se(&self, n: usize) -> Vec<f64> {
        let total = self.tally.samples as f64;
        let b = self.batches as f64;
        let correction = if b > 1.0 { b / (b - 1.0) } else { 0.0 };
        (0..n * n)
            .map(|at| {
                let p = self.tally.counts[at] as f64 / total;
                // Sum over batches of (C_b - p K_b)^2.
                let ss =
                    (self.count_x2[at] - 2.0 * p * self.count_xk[at] + p * p * self.len2).max(0.0);
                (ss * correction).sqrt() / total
            })
            .collect()
    }

    /// The largest potential scale reduction factor over the shares that
    /// vary; 1 when there is one chain or nothing varies.
    pub fn psrf(&self) -> f64 {
        let chains = &self.chains;
        let c = chains.len();
        let len = chains.iter().map(|x| x.samples).min().unwrap_or(0);
        if c < 2 || len < 2 {
            return 1.0;
        }
        let (cf, nf) = (c as f64, len as f64);
        let shares = chains[0].mean.len();
        let mut worst: f64 = 1.0;
        for j in 0..shares {
            let w = chains.iter().map(|x| x.var[j]).sum::<f64>() / cf;
            if w <= 1e-24 {
                continue;
            }
            let grand = chains.iter().map(|x| x.mean[j]).sum::<f64>() / cf;
            let between = chains
                .iter()
                .map(|x| (x.mean[j] - grand).powi(2))
                .sum::<f64>()
                / (cf - 1.0);
            let pooled = (nf - 1.0) / nf * w + between;
            worst = worst.max((pooled / w).sqrt());
        }
        worst
    }
}

/// The counts of the batch under way, moved into the tally when it closes.
struct Batch {
    counts: Vec<u64>,
    cw: Vec<f64>,
    firsts: Vec<u64>,
    len: usize,
}

impl Batch {
    fn close(&mut self, out: &mut ChainTally, m: usize) {
        if self.len == 0 {
            return;
        }
        let len = self.len as f64;
        out.len2 += len * len;
        out.batches += 1;
        for (at, c) in self.counts.iter_mut().enumerate() {
            let x = *c as f64;
            out.tally.counts[at] += *c;
            out.count_x2[at] += x * x;
            out.count_xk[at] += x * len;
            *c = 0;
        }
        for (i, first) in self.firsts.iter_mut().enumerate() {
            let kk = *first as f64;
            out.tally.k2[i] += kk * kk;
            for j in 0..m {
                let at = i * m + j;
                let x = self.cw[at];
                out.tally.cw[at] += x;
                out.tally.cw_x2[at] += x * x;
                out.tally.cw_xk[at] += x * kk;
                self.cw[at] = 0.0;
            }
            *first = 0;
        }
        self.len = 0;
    }
}

/// Runs one chunk of `samples` samples (fewer if `weights` gives up),
/// tallied in batches of [`BATCH`] consecutive samples, with the mean and
/// variance of each share for the mixing diagnostics.
pub(crate) fn chunk(
    weights: &mut impl Weights,
    scores: &Scores,
    rng: &mut Xoshiro256PlusPlus,
    samples: usize,
) -> ChainTally {
    let (n, m) = (scores.n, scores.m);
    let mut out = ChainTally::new(n, m);
    let mut batch = Batch {
        counts: vec![0; n * n],
        cw: vec![0.0; n * m],
        firsts: vec![0; n],
        len: 0,
    };
    let mut w = vec![0.0; m];
    let mut s = scores.base.clone();
    let mut raws = Vec::new();
    let mut totals = vec![0.0; n];
    let (mut sum, mut sum2) = (vec![0.0; m], vec![0.0; m]);
    let mut done = 0;
    while done < samples {
        if !weights.draw(rng, &mut w, &mut out.tally.proposals) {
            break;
        }
        scores.draw(rng, &mut s, &mut raws);
        for (i, t) in totals.iter_mut().enumerate() {
            *t = s[i * m..(i + 1) * m]
                .iter()
                .zip(&w)
                .map(|(a, b)| a * b)
                .sum();
        }
        for i in 0..n {
            let ti = totals[i];
            let rank = totals.iter().filter(|&&t| t > ti).count();
            batch.counts[i * n + rank] += 1;
            if rank == 0 {
                batch.firsts[i] += 1;
                for (acc, &x) in batch.cw[i * m..(i + 1) * m].iter_mut().zip(&w) {
                    *acc += x;
                }
            }
        }
        for j in 0..m {
            sum[j] += w[j];
            sum2[j] += w[j] * w[j];
        }
        done += 1;
        batch.len += 1;
        if batch.len == BATCH {
            batch.close(&mut out, m);
        }
    }
    batch.close(&mut out, m);
    out.tally.samples = done as u64;
    let ns = done as f64;
    out.chains.push(ChainMoments {
        samples: done,
        mean: sum.iter().map(|x| x / ns).collect(),
        var: sum
            .iter()
            .zip(&sum2)
            .map(|(s1, s2)| {
                if done > 1 {
                    ((s2 - s1 * s1 / ns) / (ns - 1.0)).max(0.0)
                } else {
                    0.0
                }
            })
            .collect(),
    });
    out
}

/// Counts, for each option with central weights (`central[i]`, one share
/// per sampled criterion), the samples of `samples` drawn scores in which
/// it ranks first (ties count) under those weights.
pub(crate) fn confidence(
    scores: &Scores,
    central: &[Option<Vec<f64>>],
    rng: &mut Xoshiro256PlusPlus,
    samples: usize,
) -> Vec<u64> {
    let (n, m) = (scores.n, scores.m);
    let mut firsts = vec![0u64; n];
    let mut s = scores.base.clone();
    let mut raws = Vec::new();
    let mut totals = vec![0.0; n];
    for _ in 0..samples {
        scores.draw(rng, &mut s, &mut raws);
        for (i, cw) in central.iter().enumerate() {
            let Some(cw) = cw else { continue };
            for (k, t) in totals.iter_mut().enumerate() {
                *t = (0..m).map(|j| cw[j] * s[k * m + j]).sum::<f64>();
            }
            let ti = totals[i];
            if totals.iter().all(|&t| t <= ti) {
                firsts[i] += 1;
            }
        }
    }
    firsts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_simplex_point_is_the_gaps_between_sorted_uniforms() {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(4);
        let mut copy = rng.clone();
        let mut cuts = Vec::new();
        simplex(&mut rng, 4, &mut cuts);
        let mut u: Vec<f64> = (0..3).map(|_| unit(copy.next_u64())).collect();
        u.sort_by(f64::total_cmp);
        let want = [u[0], u[1] - u[0], u[2] - u[1], 1.0 - u[2]];
        assert_eq!(cuts, want);
        simplex(&mut rng, 1, &mut cuts);
        assert_eq!(cuts, [1.0]);
        simplex(&mut rng, 0, &mut cuts);
        assert!(cuts.is_empty());
    }

    #[test]
    fn a_weight_spread_keeps_the_shares_adding_up_to_one_within_the_band() {
        let base = [0.5, 0.3, 0.2];
        let mut flat = Flat {
            affine: None,
            reject: &[],
            spread: Some((&base, 0.2)),
            cuts: Vec::new(),
        };
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(2);
        let (mut w, mut proposals) = (vec![0.0; 3], 0);
        for _ in 0..1000 {
            assert!(flat.draw(&mut rng, &mut w, &mut proposals));
            assert!((w.iter().sum::<f64>() - 1.0).abs() < 1e-12);
            // Each unnormalised weight within 20% of its base; the sum within
            // 20% of 1.
            assert!(w[0] / w[2] <= 0.5 * 1.2 / (0.2 * 0.8) + 1e-12, "{w:?}");
        }
        assert_eq!(proposals, 1000);
    }

    #[test]
    fn batch_means_and_psrf_on_known_numbers() {
        // Two batches of 2 samples; option 0 first in 2 then 0.
        let mut t = ChainTally::new(1, 1);
        t.tally.samples = 4;
        t.tally.counts = vec![2];
        t.count_x2 = vec![4.0];
        t.count_xk = vec![4.0];
        t.len2 = 8.0;
        t.batches = 2;
        // p = 0.5: ss = 4 - 2 * 0.5 * 4 + 0.25 * 8 = 2; se = sqrt(2 * 2) / 4.
        assert!((t.acceptability_se(1)[0] - 0.5).abs() < 1e-12);
        // Two chains with the same variance 1 and means 0 and 2, 3 samples each:
        // W = 1, B/n = 2, pooled = 2/3 + 2: PSRF = sqrt(8/3).
        t.chains = vec![
            ChainMoments {
                samples: 3,
                mean: vec![0.0],
                var: vec![1.0],
            },
            ChainMoments {
                samples: 3,
                mean: vec![2.0],
                var: vec![1.0],
            },
        ];
        assert!((t.psrf() - (8.0f64 / 3.0).sqrt()).abs() < 1e-12);
    }
}
