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

use super::draws::Weights;
use super::groups::{Member, Tree};
use super::uniform::simplex;

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
    /// adding up to 1), using `share` (one per node) and `gaps` as scratch.
    fn draw(
        &self,
        rng: &mut Xoshiro256PlusPlus,
        w: &mut [f64],
        share: &mut [f64],
        gaps: &mut Vec<f64>,
    ) {
        share[0] = 1.0;
        for (k, node) in self.nodes.iter().enumerate() {
            let whole = share[k];
            simplex(rng, node.targets.len(), gaps);
            for (t, gap) in node.targets.iter().zip(gaps.iter()) {
                let s = whole * gap;
                match *t {
                    Target::Node(child) => share[child] = s,
                    Target::Weight(jj) => w[jj] = s,
                }
            }
        }
    }
}

/// A [`LevelPlan`] as a source of weightings, with its scratch.
pub(crate) struct LevelDraw<'a> {
    plan: &'a LevelPlan,
    share: Vec<f64>,
    gaps: Vec<f64>,
}

impl<'a> LevelDraw<'a> {
    /// Draws weightings from `plan`.
    pub fn new(plan: &'a LevelPlan) -> LevelDraw<'a> {
        LevelDraw {
            plan,
            share: vec![0.0; plan.nodes.len().max(1)],
            gaps: Vec::with_capacity(plan.widest()),
        }
    }
}

impl Weights for LevelDraw<'_> {
    fn draw(&mut self, rng: &mut Xoshiro256PlusPlus, w: &mut [f64], proposals: &mut u64) -> bool {
        self.plan.draw(rng, w, &mut self.share, &mut self.gaps);
        *proposals += 1;
        true
    }
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
