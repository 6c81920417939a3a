//! Hit-and-run sampling of the weightings that meet a set of constraints,
//! for constraints too tight for rejection (Smith 1984; for SMAA, Tervonen,
//! van Valkenhoef, Baştürk and Postmus 2013).
//!
//! A chain walks through the allowed region: from the current weighting it
//! picks a direction, finds the chord of the region through the point in
//! that direction, and moves to a point uniform on the chord. The
//! directions are the differences `e_i - e_j` of two free criteria, one
//! pair chosen uniformly: they keep the shares adding up to 1, `d` and `-d`
//! are equally likely, and they span every direction in which the shares
//! can move, so the chain's stationary distribution is uniform on the
//! region ("coordinate directions" hit-and-run). Each chord is cut out of
//! the bounds and the order's steps that involve the two criteria, so a
//! step costs a few comparisons and needs no logarithm or square root:
//! only correctly rounded double-precision arithmetic, the same on every
//! machine and instruction set.
//!
//! Chunk `c` of the run is one chain, with its own stream (the seed's
//! stream advanced `c` times by `jump()` after a `long_jump()` twice, so
//! it shares no numbers with the other passes), started from the same
//! allowed weighting ([`Region::start`]), run for a burn-in and then
//! thinned. Chains are tallied independently and merged in chunk order, so
//! the numbers depend only on the seed and the sample count.
//!
//! Mixing is reported, not assumed: the run's standard errors come from
//! batch means over consecutive samples, which carry any correlation left
//! between samples; the effective sample size is what those standard
//! errors are worth in independent samples; and the potential scale
//! reduction factor (Gelman and Rubin 1992) compares the chains' means of
//! each share with the spread within them.

use rand_xoshiro::Xoshiro256PlusPlus;
use rand_xoshiro::rand_core::Rng;

use super::constraints::Region;
use super::kernel::{ChunkTally, Problem};

/// Consecutive samples in one batch, for the batch-means standard errors.
pub const BATCH: usize = 1_024;

/// Steps between kept samples, per free criterion: a sample is kept every
/// `THIN_PER_CRITERION * k` steps, `k` the number of free criteria (each
/// step moves two shares, so every share moves several times between kept
/// samples).
pub const THIN_PER_CRITERION: usize = 4;

/// Steps discarded at the start of every chain, as a multiple of the
/// thinning.
pub const BURN_IN_SAMPLES: usize = 200;

/// Steps between samples for `k` free criteria.
pub fn thinning(k: usize) -> usize {
    (THIN_PER_CRITERION * k).max(1)
}

/// One chain's tally, with what the mixing diagnostics need.
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
    fn new(n: usize, m: usize) -> ChainTally {
        ChainTally {
            tally: ChunkTally::new(n, m),
            count_x2: vec![0.0; n * n],
            count_xk: vec![0.0; n * n],
            len2: 0.0,
            batches: 0,
            chains: Vec::new(),
        }
    }

    /// Adds another chain's tally (merged in chunk order).
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

    /// An empty tally to merge chains into.
    pub fn empty(n: usize, m: usize) -> ChainTally {
        ChainTally::new(n, m)
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

/// A uniform on [0, 1) from the top 53 bits.
fn unit(x: u64) -> f64 {
    (x >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
}

/// Order steps at each free criterion: `(other, above)` with `above` true
/// when this criterion's share must be at least the other's.
fn adjacency(region: &Region, m: usize) -> Vec<Vec<(usize, bool)>> {
    let mut adj = vec![Vec::new(); m];
    for &(a, b) in &region.edges {
        adj[a].push((b, true));
        adj[b].push((a, false));
    }
    adj
}

/// The chain's walker: the current shares and what a step needs.
struct Walker<'a> {
    region: &'a Region,
    adj: Vec<Vec<(usize, bool)>>,
    w: Vec<f64>,
}

impl Walker<'_> {
    /// One hit-and-run step in the direction `e_i - e_j` of a random pair.
    #[inline]
    fn step(&mut self, rng: &mut Xoshiro256PlusPlus) {
        let free = &self.region.free;
        let k = free.len();
        if k < 2 {
            return;
        }
        let pairs = (k * (k - 1)) as u128;
        let pick = ((u128::from(rng.next_u64()) * pairs) >> 64) as usize;
        let (a, b) = (pick / (k - 1), pick % (k - 1));
        let (i, j) = (free[a], free[if b >= a { b + 1 } else { b }]);
        let (low, high, w) = (&self.region.low, &self.region.high, &self.w);
        // w_i + t and w_j - t within their bounds.
        let mut lo = (low[i] - w[i]).max(w[j] - high[j]);
        let mut hi = (high[i] - w[i]).min(w[j] - low[j]);
        for &(o, above) in &self.adj[i] {
            let edge = if o == j {
                (w[j] - w[i]) * 0.5
            } else {
                w[o] - w[i]
            };
            if above {
                lo = lo.max(edge);
            } else {
                hi = hi.min(edge);
            }
        }
        for &(o, above) in &self.adj[j] {
            if o == i {
                continue;
            }
            let edge = w[j] - w[o];
            if above {
                hi = hi.min(edge);
            } else {
                lo = lo.max(edge);
            }
        }
        let u = unit(rng.next_u64());
        if hi > lo {
            let t = lo + (hi - lo) * u;
            self.w[i] += t;
            self.w[j] -= t;
        }
    }
}

/// Runs one chain of `samples` kept samples of the rank acceptability
/// simulation (fixed scores, or scores spread as the kernel spreads them).
pub(crate) fn chain(
    p: &Problem,
    region: &Region,
    rng: &mut Xoshiro256PlusPlus,
    samples: usize,
) -> ChainTally {
    let (n, m) = (p.n, p.m);
    let thin = thinning(region.free.len());
    let mut walker = Walker {
        region,
        adj: adjacency(region, m),
        w: region.start(),
    };
    for _ in 0..BURN_IN_SAMPLES * thin {
        walker.step(rng);
    }
    let mut out = ChainTally::new(n, m);
    let base: Vec<f64> = p.scores.iter().map(|&x| f64::from(x)).collect();
    let mut s = base.clone();
    let spread = f64::from(p.score_spread);
    let (slo, shi) = (f64::from(p.lo), f64::from(p.hi));
    let mut totals = vec![0.0; n];
    // This batch's counts and central weight sums.
    let mut counts = vec![0u64; n * n];
    let mut cw = vec![0.0; n * m];
    let mut firsts = vec![0u64; n];
    let mut in_batch = 0usize;
    let mut sum = vec![0.0; m];
    let mut sum2 = vec![0.0; m];
    let close = |out: &mut ChainTally,
                 counts: &mut [u64],
                 cw: &mut [f64],
                 firsts: &mut [u64],
                 len: usize| {
        let len = len as f64;
        out.len2 += len * len;
        out.batches += 1;
        for (at, c) in counts.iter_mut().enumerate() {
            let x = *c as f64;
            out.tally.counts[at] += *c;
            out.count_x2[at] += x * x;
            out.count_xk[at] += x * len;
            *c = 0;
        }
        for (i, first) in firsts.iter_mut().enumerate() {
            let kk = *first as f64;
            out.tally.k2[i] += kk * kk;
            for j in 0..m {
                let at = i * m + j;
                let x = cw[at];
                out.tally.cw[at] += x;
                out.tally.cw_x2[at] += x * x;
                out.tally.cw_xk[at] += x * kk;
                cw[at] = 0.0;
            }
            *first = 0;
        }
    };
    for _ in 0..samples {
        for _ in 0..thin {
            walker.step(rng);
        }
        let w = &walker.w;
        if spread > 0.0 {
            for (at, x) in s.iter_mut().enumerate() {
                *x = if p.present[at] {
                    let u = unit(rng.next_u64());
                    (base[at] + spread * (2.0 * u - 1.0)).clamp(slo, shi)
                } else {
                    0.0
                };
            }
        }
        for (i, t) in totals.iter_mut().enumerate() {
            *t = s[i * m..(i + 1) * m]
                .iter()
                .zip(w)
                .map(|(a, b)| a * b)
                .sum();
        }
        for i in 0..n {
            let ti = totals[i];
            let rank = totals.iter().filter(|&&t| t > ti).count();
            counts[i * n + rank] += 1;
            if rank == 0 {
                firsts[i] += 1;
                for (acc, &x) in cw[i * m..(i + 1) * m].iter_mut().zip(w) {
                    *acc += x;
                }
            }
        }
        for j in 0..m {
            sum[j] += w[j];
            sum2[j] += w[j] * w[j];
        }
        in_batch += 1;
        if in_batch == BATCH {
            close(&mut out, &mut counts, &mut cw, &mut firsts, in_batch);
            in_batch = 0;
        }
    }
    if in_batch > 0 {
        close(&mut out, &mut counts, &mut cw, &mut firsts, in_batch);
    }
    out.tally.samples = samples as u64;
    out.tally.proposals = samples as u64;
    let ns = samples as f64;
    out.chains.push(ChainMoments {
        samples,
        mean: sum.iter().map(|x| x / ns).collect(),
        var: sum
            .iter()
            .zip(&sum2)
            .map(|(s1, s2)| {
                if samples > 1 {
                    ((s2 - s1 * s1 / ns) / (ns - 1.0)).max(0.0)
                } else {
                    0.0
                }
            })
            .collect(),
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand_xoshiro::rand_core::SeedableRng;

    fn region(low: &[f64], high: &[f64], edges: &[(usize, usize)]) -> Region {
        Region {
            low: low.to_vec(),
            high: high.to_vec(),
            pinned: vec![None; low.len()],
            free: (0..low.len()).collect(),
            edges: edges.to_vec(),
        }
    }

    fn walk(r: &Region, steps: usize, seed: u64) -> Vec<Vec<f64>> {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
        let mut walker = Walker {
            region: r,
            adj: adjacency(r, r.low.len()),
            w: r.start(),
        };
        (0..steps)
            .map(|_| {
                walker.step(&mut rng);
                walker.w.clone()
            })
            .collect()
    }

    #[test]
    fn every_step_stays_in_the_region_and_on_the_simplex() {
        let r = region(
            &[0.1, 0.0, 0.05, 0.0],
            &[0.5, 0.3, 1.0, 0.2],
            &[(0, 1), (1, 3), (2, 3)],
        );
        for w in walk(&r, 20_000, 3) {
            assert!((w.iter().sum::<f64>() - 1.0).abs() < 1e-12, "{w:?}");
            for j in 0..4 {
                assert!(
                    w[j] >= r.low[j] - 1e-12 && w[j] <= r.high[j] + 1e-12,
                    "{w:?}"
                );
            }
            assert!(w[0] >= w[1] - 1e-12 && w[1] >= w[3] - 1e-12 && w[2] >= w[3] - 1e-12);
        }
    }

    #[test]
    fn a_chain_is_uniform_on_a_triangle_cut_by_bounds() {
        // Two shares between 45% and 55% and a third free: the third's
        // share is at least 0, so (w1, w2) is uniform on the triangle
        // (0.45, 0.45), (0.55, 0.45), (0.45, 0.55), about 1% of the simplex.
        // The mean of w1 is the vertices' mean, 0.45 + 0.1 / 3, and w1 is
        // below 0.5 in three quarters of the triangle.
        let r = region(&[0.45, 0.45, 0.0], &[0.55, 0.55, 1.0], &[]);
        let ws = walk(&r, 400_000, 9);
        let mean = ws.iter().map(|w| w[0]).sum::<f64>() / ws.len() as f64;
        assert!((mean - (0.45 + 0.1 / 3.0)).abs() < 1e-3, "{mean}");
        let below = ws.iter().filter(|w| w[0] < 0.5).count() as f64 / ws.len() as f64;
        assert!((below - 0.75).abs() < 0.01, "{below}");
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
