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
use super::draws::Weights;
use super::uniform::unit;

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

/// A hit-and-run chain as a source of weightings: started at
/// [`Region::start`] and run for the burn-in when made, then
/// [`thinning`] steps between the weightings it gives.
pub(crate) struct Chain<'a> {
    walker: Walker<'a>,
    thin: usize,
}

impl<'a> Chain<'a> {
    /// A chain through `region` for `m` sampled criteria, burnt in with `rng`.
    pub fn new(region: &'a Region, m: usize, rng: &mut Xoshiro256PlusPlus) -> Chain<'a> {
        let thin = thinning(region.free.len());
        let mut walker = Walker {
            region,
            adj: adjacency(region, m),
            w: region.start(),
        };
        for _ in 0..BURN_IN_SAMPLES * thin {
            walker.step(rng);
        }
        Chain { walker, thin }
    }
}

impl Weights for Chain<'_> {
    fn draw(&mut self, rng: &mut Xoshiro256PlusPlus, w: &mut [f64], proposals: &mut u64) -> bool {
        for _ in 0..self.thin {
            self.walker.step(rng);
        }
        w.copy_from_slice(&self.walker.w);
        *proposals += 1;
        true
    }
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
}
