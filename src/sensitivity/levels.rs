//! Monte Carlo weights drawn level by level through the value tree: at the
//! top level and inside every group, the members' shares are uniform over
//! the simplex (the spacings of sorted uniforms), independently, and a
//! criterion's weight is the product of the shares on its path.
//!
//! The sampler is plain correctly rounded double precision (no logarithm),
//! so every machine gives the same numbers. Chunk `c` of a run draws from
//! its own stream (the seed's stream after three long jumps, so it shares
//! nothing with the other passes, then `c` jumps); chunks are tallied on
//! their own and merged in chunk order, so the thread count does not change
//! a figure. The rank counts and central weights go into the same tally as
//! the other samplers', and [`super::smaa`] turns them into results.

use rand_xoshiro::Xoshiro256PlusPlus;
use rand_xoshiro::rand_core::Rng;

use super::groups::{Member, Tree};
use super::kernel::ChunkTally;

/// Samples per batch for the central weights' standard errors.
pub const BATCH: usize = 1_024;

/// Where a drawn share goes.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Target {
    /// The share of a node (a group) further down, by node index.
    Node(usize),
    /// The weight of sampled criterion `jj`.
    Weight(usize),
}

/// One level: the members whose shares are drawn together.
#[derive(Debug, Clone, PartialEq)]
struct Node {
    targets: Vec<Target>,
}

/// The tree as the sampler walks it: nodes in an order where a group comes
/// after the node it sits in (the top level first), holding only members
/// that carry weight.
#[derive(Debug, Clone, PartialEq)]
pub struct LevelPlan {
    nodes: Vec<Node>,
    m: usize,
}

impl LevelPlan {
    /// The plan for `tree`, sampling the criteria `crit` (those that carry
    /// weight, in file order; `crit[jj]` is criterion `j`). A member whose
    /// effective weight is zero is left at zero, as a flat run leaves an
    /// unweighted criterion.
    pub fn new(tree: &Tree, crit: &[usize]) -> LevelPlan {
        let (ceff, geff) = tree.effective();
        let weighted = |m: Member| match m {
            Member::Criterion(c) => ceff.get(c).is_some_and(|&w| w > 0.0),
            Member::Group(g) => geff.get(g).is_some_and(|&w| w > 0.0),
        };
        let mut nodes: Vec<Node> = Vec::new();
        let mut queue: Vec<Option<usize>> = vec![None];
        let mut at = 0;
        while at < queue.len() && at <= tree.groups.len() {
            let parent = queue[at];
            at += 1;
            let mut targets = Vec::new();
            for m in tree.members(parent) {
                if !weighted(m) {
                    continue;
                }
                match m {
                    Member::Criterion(c) => {
                        if let Some(jj) = crit.iter().position(|&j| j == c) {
                            targets.push(Target::Weight(jj));
                        }
                    }
                    Member::Group(g) => {
                        queue.push(Some(g));
                        targets.push(Target::Node(queue.len() - 1));
                    }
                }
            }
            nodes.push(Node { targets });
        }
        LevelPlan {
            nodes,
            m: crit.len(),
        }
    }

    /// The most members any one level draws shares for.
    fn widest(&self) -> usize {
        self.nodes
            .iter()
            .map(|n| n.targets.len())
            .max()
            .unwrap_or(0)
    }

    /// Draws one weighting into `w` (one weight per sampled criterion,
    /// adding up to 1), using `share` and `u` as scratch.
    fn draw(
        &self,
        rng: &mut Xoshiro256PlusPlus,
        w: &mut [f64],
        share: &mut [f64],
        u: &mut Vec<f64>,
    ) {
        share[0] = 1.0;
        for (k, node) in self.nodes.iter().enumerate() {
            let whole = share[k];
            let count = node.targets.len();
            // Spacings of count - 1 sorted uniforms, inserted in order.
            u.clear();
            u.push(0.0);
            for _ in 1..count {
                let x = unit(rng.next_u64());
                let mut p = u.len();
                while p > 1 && u[p - 1] > x {
                    p -= 1;
                }
                u.insert(p, x);
            }
            u.push(1.0);
            for (t, gap) in node.targets.iter().zip(u.windows(2)) {
                let s = whole * (gap[1] - gap[0]);
                match *t {
                    Target::Node(child) => share[child] = s,
                    Target::Weight(jj) => w[jj] = s,
                }
            }
        }
    }
}

/// A uniform on [0, 1) from the top 53 bits.
fn unit(x: u64) -> f64 {
    (x >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
}

/// What a chunk needs besides the plan: the scores of the sampled
/// criteria (`n` rows of `m`, unscored cells 0 and not present) and the
/// score spread in points, with the scale's ends.
#[derive(Debug, Clone, PartialEq)]
pub struct LevelScores {
    /// Options.
    pub n: usize,
    /// Sampled criteria.
    pub m: usize,
    /// `scores[i * m + jj]`.
    pub scores: Vec<f64>,
    /// Whether each cell is scored.
    pub present: Vec<bool>,
    /// Half-width of the uniform score perturbation, in points (0: none).
    pub spread: f64,
    /// The scale's minimum, in points.
    pub lo: f64,
    /// The scale's maximum, in points.
    pub hi: f64,
}

/// One chunk of `samples` samples, tallied as the kernel tallies (batches
/// of [`BATCH`] consecutive samples for the central weights), with the
/// number of batches.
pub fn chunk(
    plan: &LevelPlan,
    p: &LevelScores,
    rng: &mut Xoshiro256PlusPlus,
    samples: usize,
) -> (ChunkTally, usize) {
    let (n, m) = (p.n, p.m.min(plan.m));
    let mut out = ChunkTally::new(n, m);
    let mut w = vec![0.0; m];
    let mut share = vec![0.0; plan.nodes.len().max(1)];
    let mut u = Vec::with_capacity(plan.widest() + 1);
    let mut s = p.scores.clone();
    let mut totals = vec![0.0; n];
    let mut cw = vec![0.0; n * m];
    let mut firsts = vec![0u64; n];
    let mut batches = 0;
    let mut in_batch = 0;
    let close = |out: &mut ChunkTally, cw: &mut [f64], firsts: &mut [u64]| {
        for (i, first) in firsts.iter_mut().enumerate() {
            let kk = *first as f64;
            out.k2[i] += kk * kk;
            for j in 0..m {
                let at = i * m + j;
                let x = cw[at];
                out.cw[at] += x;
                out.cw_x2[at] += x * x;
                out.cw_xk[at] += x * kk;
                cw[at] = 0.0;
            }
            *first = 0;
        }
    };
    for _ in 0..samples {
        plan.draw(rng, &mut w, &mut share, &mut u);
        if p.spread > 0.0 {
            for (at, x) in s.iter_mut().enumerate() {
                *x = if p.present[at] {
                    let v = unit(rng.next_u64());
                    (p.scores[at] + p.spread * (2.0 * v - 1.0)).clamp(p.lo, p.hi)
                } else {
                    0.0
                };
            }
        }
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
            out.counts[i * n + rank] += 1;
            if rank == 0 {
                firsts[i] += 1;
                for (acc, &x) in cw[i * m..(i + 1) * m].iter_mut().zip(&w) {
                    *acc += x;
                }
            }
        }
        in_batch += 1;
        if in_batch == BATCH {
            close(&mut out, &mut cw, &mut firsts);
            batches += 1;
            in_batch = 0;
        }
    }
    if in_batch > 0 {
        close(&mut out, &mut cw, &mut firsts);
        batches += 1;
    }
    out.samples = samples as u64;
    out.proposals = samples as u64;
    (out, batches)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand_xoshiro::rand_core::SeedableRng;

    fn tree(groups: &[(Option<usize>, f64)], criteria: &[(Option<usize>, f64)]) -> Tree {
        Tree {
            groups: groups
                .iter()
                .enumerate()
                .map(|(i, &(parent, weight))| super::super::groups::TreeGroup {
                    id: format!("g{i}"),
                    name: format!("G{i}"),
                    parent,
                    weight,
                })
                .collect(),
            criterion_group: criteria.iter().map(|c| c.0).collect(),
            criterion_weight: criteria.iter().map(|c| c.1).collect(),
        }
    }

    #[test]
    fn each_level_is_uniform_and_weights_add_up_to_one() {
        // Top level: group 0 and criterion 2; group 0 holds criteria 0, 1.
        let t = tree(
            &[(None, 1.0)],
            &[(Some(0), 1.0), (Some(0), 1.0), (None, 1.0)],
        );
        let plan = LevelPlan::new(&t, &[0, 1, 2]);
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(5);
        let (mut w, mut share, mut u) = (vec![0.0; 3], vec![0.0; 2], Vec::new());
        let draws = 200_000;
        let (mut top, mut inside, mut below) = (0.0, 0.0, 0usize);
        for _ in 0..draws {
            plan.draw(&mut rng, &mut w, &mut share, &mut u);
            assert!((w.iter().sum::<f64>() - 1.0).abs() < 1e-12);
            top += w[2];
            inside += w[0] / (w[0] + w[1]);
            below += usize::from(w[2] < 0.25);
        }
        // Criterion 2's share is uniform on [0, 1] (mean 1/2, below 1/4 a
        // quarter of the time), and so is criterion 0's share of group 0,
        // where a flat draw would give criterion 2 a mean of 1/3.
        let d = f64::from(draws);
        assert!((top / d - 0.5).abs() < 0.005);
        assert!((inside / d - 0.5).abs() < 0.005);
        assert!((below as f64 / d - 0.25).abs() < 0.005);
    }

    #[test]
    fn unweighted_members_stay_at_zero() {
        let t = tree(
            &[(None, 1.0), (None, 0.0)],
            &[(Some(0), 1.0), (Some(1), 1.0), (None, 1.0)],
        );
        let plan = LevelPlan::new(&t, &[0, 2]);
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(1);
        let (mut w, mut share, mut u) = (vec![0.0; 2], vec![0.0; 3], Vec::new());
        for _ in 0..1000 {
            plan.draw(&mut rng, &mut w, &mut share, &mut u);
            assert!((w[0] + w[1] - 1.0).abs() < 1e-12);
        }
    }
}
