//! What a panel agrees on about the weights, for the Monte Carlo run: an
//! order of importance (complete or partial), bounds on shares, and fixed
//! shares.
//!
//! The weights are sampled exactly and uniformly over the shares that meet
//! every constraint (`docs/methods.md`, "Partial weight information"):
//!
//! - fixed shares are taken out, and the other criteria share what is left;
//! - the region is mapped onto the smallest simplex that holds it and that
//!   is cheap to sample: shares shifted up by their lower bounds or, when
//!   the order ranks every varied criterion, the *ordered simplex*, whose
//!   vertices give equal shares to the first 1, 2, ... criteria in the order;
//! - whatever that simplex does not already guarantee (an upper bound, or
//!   the rest of a partial order) is checked sample by sample, and samples
//!   that fail are rejected. Rejection keeps the draws exact and uniform;
//!   it is used only while enough samples pass ([`MIN_ACCEPTANCE`]).
//!
//! A set of constraints that no weighting meets is refused with the
//! constraints that conflict.

use serde::Serialize;
use thiserror::Error;

use super::kernel::{Affine, Halfspace};
use crate::model::Appraisal;

/// Fewest samples in a hundred that must pass the checks for rejection to
/// be used; below it the constraints are refused as too tight to sample
/// this way (see [`ConstraintError::TooTight`]).
pub const MIN_ACCEPTANCE: f64 = 0.02;

/// Shares closer than this are treated as equal when constraints are checked
/// against each other (shares are fractions of 1).
const EPS: f64 = 1e-12;

/// One thing the panel agrees on. Criteria are indices into
/// [`Appraisal::criteria`]; shares are fractions of the total weight.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum WeightConstraint {
    /// Criterion `more` matters at least as much as criterion `less`.
    AtLeastAsImportant {
        /// The criterion that matters more (or as much).
        more: usize,
        /// The criterion that matters less (or as much).
        less: usize,
    },
    /// The share of `criterion` is between `min` and `max`, inclusive.
    Share {
        /// The criterion.
        criterion: usize,
        /// Smallest share, 0 to 1.
        min: f64,
        /// Largest share, 0 to 1.
        max: f64,
    },
    /// The share of `criterion` is exactly `share`.
    Fixed {
        /// The criterion.
        criterion: usize,
        /// The share, 0 to 1.
        share: f64,
    },
}

impl WeightConstraint {
    /// The constraint in words, with the appraisal's criterion names (or
    /// numbers, for a criterion that does not exist).
    pub fn describe(&self, appraisal: &Appraisal) -> String {
        let name = |j: usize| {
            appraisal
                .criteria()
                .get(j)
                .map_or_else(|| format!("criterion {}", j + 1), |c| c.name().to_string())
        };
        match *self {
            WeightConstraint::AtLeastAsImportant { more, less } => {
                format!("{} matters at least as much as {}", name(more), name(less))
            }
            WeightConstraint::Share {
                criterion,
                min,
                max,
            } => {
                format!("{} between {} and {}", name(criterion), pct(min), pct(max))
            }
            WeightConstraint::Fixed { criterion, share } => {
                format!("{} fixed at {}", name(criterion), pct(share))
            }
        }
    }

    fn criteria(&self) -> [usize; 2] {
        match *self {
            WeightConstraint::AtLeastAsImportant { more, less } => [more, less],
            WeightConstraint::Share { criterion, .. }
            | WeightConstraint::Fixed { criterion, .. } => [criterion, criterion],
        }
    }
}

/// A share as a percentage, without trailing zeros.
fn pct(x: f64) -> String {
    let s = format!("{:.4}", x * 100.0);
    let s = s.trim_end_matches('0').trim_end_matches('.');
    format!("{s}%")
}

/// The constraints a Monte Carlo run assumes, in the order given.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(transparent)]
pub struct WeightConstraints {
    list: Vec<WeightConstraint>,
}

impl WeightConstraints {
    /// No constraints: any weighting at all.
    pub fn new() -> WeightConstraints {
        WeightConstraints::default()
    }

    /// The constraints, in the order given.
    pub fn list(&self) -> &[WeightConstraint] {
        &self.list
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// Adds a constraint.
    pub fn push(&mut self, c: WeightConstraint) -> &mut WeightConstraints {
        self.list.push(c);
        self
    }

    /// Adds an order of importance in tiers: every criterion in a tier
    /// matters at least as much as every criterion in the next. One
    /// criterion per tier is a complete order; `[[a], [b, c, d]]` says only
    /// that `a` matters most.
    pub fn order(&mut self, tiers: &[&[usize]]) -> &mut WeightConstraints {
        for pair in tiers.windows(2) {
            for &more in pair[0] {
                for &less in pair[1] {
                    self.list
                        .push(WeightConstraint::AtLeastAsImportant { more, less });
                }
            }
        }
        self
    }

    /// Adds bounds on a criterion's share.
    pub fn share(&mut self, criterion: usize, min: f64, max: f64) -> &mut WeightConstraints {
        self.push(WeightConstraint::Share {
            criterion,
            min,
            max,
        })
    }

    /// Fixes a criterion's share.
    pub fn fixed(&mut self, criterion: usize, share: f64) -> &mut WeightConstraints {
        self.push(WeightConstraint::Fixed { criterion, share })
    }
}

/// Why a set of constraints cannot be sampled. Every variant lists the
/// constraints at fault by position in [`WeightConstraints::list`], and
/// says what they are in words.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum ConstraintError {
    /// A constraint names a criterion the appraisal does not have.
    #[error("{what}: the appraisal has {criteria} criteria")]
    UnknownCriterion {
        /// Position of the constraint.
        at: usize,
        /// The constraint in words.
        what: String,
        /// Number of criteria.
        criteria: usize,
    },
    /// A constraint is on a criterion weighted zero, which the Monte Carlo
    /// leaves out.
    #[error(
        "{what}: {criterion} has no weight, so the Monte Carlo leaves it out; give it a weight or drop the constraint"
    )]
    Unweighted {
        /// Position of the constraint.
        at: usize,
        /// The constraint in words.
        what: String,
        /// The criterion's name.
        criterion: String,
    },
    /// A share that is not a number from 0 to 1, or a lower bound above
    /// the upper.
    #[error("{what}: shares must be from 0% to 100%, the smaller first")]
    BadShare {
        /// Position of the constraint.
        at: usize,
        /// The constraint in words.
        what: String,
    },
    /// The order of importance goes round in a circle.
    #[error("the order of importance goes round in a circle: {}; if these matter equally, say so with bounds or fixed shares", .what.join(", "))]
    Circular {
        /// Positions of the constraints in the circle.
        at: Vec<usize>,
        /// Those constraints in words.
        what: Vec<String>,
    },
    /// No weighting meets every constraint.
    #[error("no weighting meets all of these together: {}; {reason}", .what.join("; "))]
    Conflict {
        /// Positions of the constraints that conflict.
        at: Vec<usize>,
        /// Those constraints in words.
        what: Vec<String>,
        /// Why, in words.
        reason: String,
    },
    /// Too few weightings meet the constraints for rejection sampling.
    #[error(
        "the constraints are met by only about {} of all weightings that the sampler proposes, too few to sample exactly this way; loosen them, or fix the shares that are nearly determined", pct(*.acceptance))]
    TooTight {
        /// Share of proposals that pass.
        acceptance: f64,
    },
}

/// How the weights are sampled under a set of constraints.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Sampler {
    /// Directly, uniform on the simplex the constraints map to: no sample
    /// is rejected.
    Direct,
    /// Uniform on a simplex holding the region, rejecting samples outside it.
    Rejection {
        /// Share of proposals that passed in the run.
        acceptance: f64,
    },
}

/// The plan for sampling under constraints: the shares of the sampled
/// criteria as an affine function of a uniform simplex point, and the
/// conditions that point must meet.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Plan {
    /// `None` when the constraints change nothing: the shares are uniform
    /// on the whole simplex, exactly as without them.
    pub affine: Option<Affine>,
    /// Conditions checked sample by sample.
    pub reject: Vec<Halfspace>,
}

/// Where a bound on one criterion's share comes from.
#[derive(Debug, Clone, Copy)]
struct Source {
    /// The share.
    value: f64,
    /// The constraint that sets it (`None`: the natural 0 or 1).
    at: Option<usize>,
    /// The criterion the constraint is on (through the order, it bounds others).
    on: usize,
}

/// Turns constraints into a sampling plan for the sampled criteria `crit`
/// (indices into the appraisal's criteria, in order).
pub(crate) fn plan(
    appraisal: &Appraisal,
    crit: &[usize],
    constraints: &WeightConstraints,
) -> Result<Plan, ConstraintError> {
    let list = constraints.list();
    let describe = |at: usize| list[at].describe(appraisal);
    let m = crit.len();
    let all = appraisal.criteria().len();
    // Sampled position of each criterion.
    let mut pos = vec![None; all];
    for (j, &c) in crit.iter().enumerate() {
        pos[c] = Some(j);
    }
    let place = |at: usize, c: usize| -> Result<usize, ConstraintError> {
        if c >= all {
            return Err(ConstraintError::UnknownCriterion {
                at,
                what: describe(at),
                criteria: all,
            });
        }
        pos[c].ok_or_else(|| ConstraintError::Unweighted {
            at,
            what: describe(at),
            criterion: appraisal.criteria()[c].name().to_string(),
        })
    };
    let share_ok = |x: f64| (0.0..=1.0).contains(&x);

    // Bounds of each criterion's own, and the order's edges.
    let mut lo: Vec<Source> = (0..m)
        .map(|j| Source {
            value: 0.0,
            at: None,
            on: j,
        })
        .collect();
    let mut hi: Vec<Source> = (0..m)
        .map(|j| Source {
            value: 1.0,
            at: None,
            on: j,
        })
        .collect();
    let mut fixed: Vec<Option<(f64, usize)>> = vec![None; m];
    // `edges[a]`: (b, constraint) with a at least as important as b.
    let mut edges: Vec<Vec<(usize, usize)>> = vec![Vec::new(); m];
    for (at, c) in list.iter().enumerate() {
        let [x, y] = c.criteria();
        let (a, b) = (place(at, x)?, place(at, y)?);
        match *c {
            WeightConstraint::AtLeastAsImportant { .. } => {
                if a != b && !edges[a].iter().any(|&(t, _)| t == b) {
                    edges[a].push((b, at));
                }
            }
            WeightConstraint::Share { min, max, .. } => {
                if !(share_ok(min) && share_ok(max) && min <= max) {
                    return Err(ConstraintError::BadShare {
                        at,
                        what: describe(at),
                    });
                }
                if min > lo[a].value {
                    lo[a] = Source {
                        value: min,
                        at: Some(at),
                        on: a,
                    };
                }
                if max < hi[a].value {
                    hi[a] = Source {
                        value: max,
                        at: Some(at),
                        on: a,
                    };
                }
            }
            WeightConstraint::Fixed { share, .. } => {
                if !share_ok(share) {
                    return Err(ConstraintError::BadShare {
                        at,
                        what: describe(at),
                    });
                }
                if let Some((other, first)) = fixed[a]
                    && (other - share).abs() > EPS
                {
                    return Err(ConstraintError::Conflict {
                        at: vec![first, at],
                        what: vec![describe(first), describe(at)],
                        reason: "a share cannot be fixed at two values".to_string(),
                    });
                }
                fixed[a] = Some((share, at));
                if share > lo[a].value {
                    lo[a] = Source {
                        value: share,
                        at: Some(at),
                        on: a,
                    };
                }
                if share < hi[a].value {
                    hi[a] = Source {
                        value: share,
                        at: Some(at),
                        on: a,
                    };
                }
            }
        }
    }
    if let Some(cycle) = find_cycle(&edges) {
        return Err(ConstraintError::Circular {
            what: cycle.iter().map(|&at| describe(at)).collect(),
            at: cycle,
        });
    }

    // Through the order, a criterion's lower bound is at least every
    // lower bound below it, and its upper bound at most every upper bound
    // above it.
    let below = reach(&edges);
    let mut low = lo.clone();
    let mut high = hi.clone();
    for a in 0..m {
        for b in 0..m {
            if below[a][b] {
                if lo[b].value > low[a].value {
                    low[a] = lo[b];
                }
                if hi[a].value < high[b].value {
                    high[b] = hi[a];
                }
            }
        }
    }
    // The constraints behind a criterion's bound: the bound's own, and the
    // order that carries it there.
    let behind = |j: usize, s: &Source, out: &mut Vec<usize>| {
        out.extend(s.at);
        let path = if s.on == j {
            Vec::new()
        } else if below[j][s.on] {
            path(&edges, j, s.on)
        } else {
            path(&edges, s.on, j)
        };
        out.extend(path);
    };
    let conflict = |mut at: Vec<usize>, reason: String| {
        at.sort_unstable();
        at.dedup();
        ConstraintError::Conflict {
            what: at.iter().map(|&a| describe(a)).collect(),
            at,
            reason,
        }
    };
    for j in 0..m {
        if low[j].value > high[j].value + EPS {
            let mut at = Vec::new();
            behind(j, &low[j], &mut at);
            behind(j, &high[j], &mut at);
            let name = appraisal.criteria()[crit[j]].name();
            return Err(conflict(
                at,
                format!(
                    "together they put the share of {name} at least {} and at most {}",
                    pct(low[j].value),
                    pct(high[j].value)
                ),
            ));
        }
    }
    let sum_low: f64 = low.iter().map(|s| s.value).sum();
    if sum_low > 1.0 + EPS {
        let mut at = Vec::new();
        for (j, s) in low.iter().enumerate() {
            behind(j, s, &mut at);
        }
        return Err(conflict(
            at,
            format!("the smallest shares they allow add up to {}", pct(sum_low)),
        ));
    }
    let sum_high: f64 = high.iter().map(|s| s.value).sum();
    if sum_high < 1.0 - EPS {
        let mut at = Vec::new();
        for (j, s) in high.iter().enumerate() {
            behind(j, s, &mut at);
        }
        return Err(conflict(
            at,
            format!(
                "the largest shares they allow add up to only {}",
                pct(sum_high)
            ),
        ));
    }

    // Criteria whose share is determined: fixed, bounded to one value, or
    // every one when the bounds leave no room at all.
    let (l, u): (Vec<f64>, Vec<f64>) = (
        low.iter().map(|s| s.value).collect(),
        high.iter().map(|s| s.value).collect(),
    );
    let pinned: Vec<Option<f64>> = if sum_low >= 1.0 - EPS {
        l.iter().map(|&x| Some(x)).collect()
    } else if sum_high <= 1.0 + EPS {
        u.iter().map(|&x| Some(x)).collect()
    } else {
        (0..m)
            .map(|j| (u[j] - l[j] <= EPS).then_some(l[j]))
            .collect()
    };
    let free: Vec<usize> = (0..m).filter(|&j| pinned[j].is_none()).collect();
    let left = 1.0 - pinned.iter().flatten().sum::<f64>();
    let k = free.len();
    if list.is_empty()
        || (k == m
            && l.iter().all(|&x| x <= 0.0)
            && u.iter().all(|&x| x >= 1.0)
            && edges.iter().all(Vec::is_empty))
    {
        // Nothing binds: the plain simplex.
        return Ok(Plan {
            affine: None,
            reject: Vec::new(),
        });
    }

    // The simplex to sample: the order's ordered simplex when it ranks
    // every free criterion, else the free shares shifted by their lower
    // bounds.
    let chain = complete_order(&below, &free);
    let mut offset: Vec<f64> = pinned.iter().map(|p| p.unwrap_or(0.0)).collect();
    let mut matrix = vec![0.0; m * k.max(1)];
    if k == 0 {
        // Every share is determined; one coordinate that moves nothing.
        return Ok(Plan {
            affine: Some(Affine {
                k: 1,
                offset,
                matrix: vec![0.0; m],
            }),
            reject: Vec::new(),
        });
    }
    match &chain {
        Some(chain) => {
            // w = c + (left - k c) sum_q g_q v_q, v_q equal shares on the
            // first q criteria of the chain; c the lowest lower bound, that
            // of the last criterion.
            let c = chain.last().map_or(0.0, |&j| l[j]);
            let scale = left - k as f64 * c;
            for (rank, &j) in chain.iter().enumerate() {
                offset[j] = c;
                for q in rank..k {
                    matrix[j * k + q] = scale / (q + 1) as f64;
                }
            }
        }
        None => {
            let scale = left - free.iter().map(|&j| l[j]).sum::<f64>();
            for (q, &j) in free.iter().enumerate() {
                offset[j] = l[j];
                matrix[j * k + q] = scale;
            }
        }
    }
    let affine = Affine { k, offset, matrix };

    // Whatever the simplex does not guarantee is checked: lower and upper
    // bounds and the order's steps, each kept only if some vertex of the
    // simplex breaks it (a linear condition holds on a simplex when it
    // holds at every vertex).
    let row = |j: usize| &affine.matrix[j * k..(j + 1) * k];
    let mut reject = Vec::new();
    let mut keep = |coeffs: Vec<f64>, bound: f64| {
        if coeffs.iter().any(|&c| c > bound + EPS) {
            reject.push(Halfspace { coeffs, bound });
        }
    };
    for &j in &free {
        // w_j <= u_j and -w_j <= -l_j.
        keep(row(j).to_vec(), u[j] - affine.offset[j]);
        keep(row(j).iter().map(|x| -x).collect(), affine.offset[j] - l[j]);
    }
    for &a in &free {
        for &(b, _) in &edges[a] {
            if pinned[b].is_none() {
                // w_b - w_a <= 0.
                let coeffs = row(b).iter().zip(row(a)).map(|(x, y)| x - y).collect();
                keep(coeffs, affine.offset[a] - affine.offset[b]);
            }
        }
    }
    Ok(Plan {
        affine: Some(affine),
        reject,
    })
}

/// The free criteria in order of importance, if the order ranks every pair.
fn complete_order(below: &[Vec<bool>], free: &[usize]) -> Option<Vec<usize>> {
    let mut chain = free.to_vec();
    // Above more of the others means earlier; in a complete order the
    // counts are k - 1, ..., 0.
    let above = |a: usize| free.iter().filter(|&&b| below[a][b]).count();
    chain.sort_by_key(|&a| std::cmp::Reverse(above(a)));
    chain.windows(2).all(|w| below[w[0]][w[1]]).then_some(chain)
}

/// `reach[a][b]`: some chain of constraints puts `a` at least as high as `b`.
fn reach(edges: &[Vec<(usize, usize)>]) -> Vec<Vec<bool>> {
    let m = edges.len();
    let mut r = vec![vec![false; m]; m];
    for a in 0..m {
        let mut stack: Vec<usize> = edges[a].iter().map(|&(b, _)| b).collect();
        while let Some(b) = stack.pop() {
            if !r[a][b] {
                r[a][b] = true;
                stack.extend(edges[b].iter().map(|&(c, _)| c));
            }
        }
    }
    r
}

/// The constraints along a chain from `a` down to `b` (breadth first).
fn path(edges: &[Vec<(usize, usize)>], a: usize, b: usize) -> Vec<usize> {
    let m = edges.len();
    let mut from: Vec<Option<(usize, usize)>> = vec![None; m];
    let mut queue = std::collections::VecDeque::from([a]);
    let mut seen = vec![false; m];
    seen[a] = true;
    while let Some(x) = queue.pop_front() {
        if x == b {
            break;
        }
        for &(y, at) in &edges[x] {
            if !seen[y] {
                seen[y] = true;
                from[y] = Some((x, at));
                queue.push_back(y);
            }
        }
    }
    let mut out = Vec::new();
    let mut x = b;
    while let Some((prev, at)) = from[x] {
        out.push(at);
        x = prev;
    }
    out.reverse();
    out
}

/// The constraints of one circle in the order, if there is one.
fn find_cycle(edges: &[Vec<(usize, usize)>]) -> Option<Vec<usize>> {
    let m = edges.len();
    // 0 unvisited, 1 on the current path, 2 done.
    let mut state = vec![0u8; m];
    let mut via: Vec<Option<(usize, usize)>> = vec![None; m];
    for root in 0..m {
        if state[root] != 0 {
            continue;
        }
        let mut stack = vec![(root, 0usize)];
        state[root] = 1;
        while let Some(&mut (x, ref mut next)) = stack.last_mut() {
            if let Some(&(y, at)) = edges[x].get(*next) {
                *next += 1;
                match state[y] {
                    0 => {
                        state[y] = 1;
                        via[y] = Some((x, at));
                        stack.push((y, 0));
                    }
                    1 => {
                        // Back to y: the circle is y -> ... -> x -> y.
                        let mut out = vec![at];
                        let mut z = x;
                        while z != y {
                            let Some((prev, a)) = via[z] else { break };
                            out.push(a);
                            z = prev;
                        }
                        out.reverse();
                        return Some(out);
                    }
                    _ => {}
                }
            } else {
                state[x] = 2;
                stack.pop();
            }
        }
    }
    None
}
