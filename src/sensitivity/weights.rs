//! Exact one-way weight sensitivity.
//!
//! For criterion `k` with base share `p0 = w_k / W`, the share is moved over
//! `[0, 1]` while the other weights keep their proportions and the total
//! weight stays `W`. Every option's total is then a straight line in the
//! share, so everything here is found from line endpoints and crossings:
//! no grid, no search. See `docs/methods.md` for the derivation.

use serde::Serialize;

use crate::compute::Results;
use crate::model::Appraisal;

/// Relative tolerance for treating two crossing points or shares as the same.
const SHARE_TOL: f64 = 1e-12;

/// One option's total as a straight line in a criterion's share `p`.
///
/// `total(p) = at_zero + slope * p`, in the same units as the appraisal's
/// totals (the weights are rescaled so that they still add up to the total
/// weight), so at the base share the line passes through the option's total.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct OptionLine {
    /// Index of the option in file order.
    pub option: usize,
    /// The total when the criterion carries no weight (`p = 0`).
    pub at_zero: f64,
    /// The total when the criterion carries all the weight (`p = 1`).
    pub at_one: f64,
    /// `at_one - at_zero`: how much the total gains per unit of share.
    pub slope: f64,
}

impl OptionLine {
    /// Option `option`'s line from its total `at_zero` at share 0 to
    /// `at_one` at share 1.
    pub fn new(option: usize, at_zero: f64, at_one: f64) -> OptionLine {
        OptionLine {
            option,
            at_zero,
            at_one,
            slope: at_one - at_zero,
        }
    }

    /// The total at share `p`.
    pub fn at(&self, p: f64) -> f64 {
        // Interpolating between the endpoints keeps both ends exact.
        (1.0 - p) * self.at_zero + p * self.at_one
    }
}

/// A share at which two options change order.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct SwapPoint {
    /// The share of the total weight at which the two totals are equal.
    pub share: f64,
    /// The option ahead just below `share`.
    pub ahead_below: usize,
    /// The option ahead just above `share`.
    pub ahead_above: usize,
}

/// A stretch of shares over which one option leads.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct LeadSegment {
    /// Start of the stretch (share of the total weight, 0-1).
    pub from: f64,
    /// End of the stretch.
    pub to: f64,
    /// The option with the highest total inside the stretch (at the ends it may tie).
    pub leader: usize,
}

/// How the current leader fares as one criterion's share of the weight moves.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CriterionSensitivity {
    /// Index of the criterion in file order.
    pub criterion: usize,
    /// Its current share of the total weight, `p0`.
    pub share: f64,
    /// The option analysed: the leader at the current weights (the first in
    /// file order if several tie).
    pub leader: usize,
    /// Lowest share at which the leader is still first (ties count as first).
    pub stable_from: f64,
    /// Highest share at which the leader is still first (ties count as first).
    pub stable_to: f64,
    /// Who leads just below `stable_from`; `None` when it is 0.
    pub below: Option<usize>,
    /// Who leads just above `stable_to`; `None` when it is 1.
    pub above: Option<usize>,
    /// Every option's total as a line in the share, in file order.
    pub lines: Vec<OptionLine>,
    /// Who leads where, from share 0 to share 1.
    pub segments: Vec<LeadSegment>,
    /// True when every other criterion has zero weight, so they cannot be
    /// rescaled in proportion; they then share the rest of the weight equally.
    pub others_shared_equally: bool,
}

impl CriterionSensitivity {
    /// Whether the leader stays first over the whole range of shares.
    pub fn holds_throughout(&self) -> bool {
        self.below.is_none() && self.above.is_none()
    }

    /// The share now and the stable range as they are shown everywhere
    /// (rounded towards caution; see [`crate::numbers::WeightRange`]).
    pub fn shown(&self) -> crate::numbers::WeightRange {
        crate::numbers::WeightRange::new(self.share, self.stable_from, self.stable_to)
    }

    /// The options worth drawing against this criterion's share: every option
    /// that leads somewhere on the range, then the highest ranked of the rest
    /// (in `rank_order`), up to `max` in all (more only if more options lead).
    /// In file order.
    pub fn chart_options(&self, rank_order: &[usize], max: usize) -> Vec<usize> {
        let mut chosen: Vec<usize> = Vec::new();
        for seg in &self.segments {
            if !chosen.contains(&seg.leader) {
                chosen.push(seg.leader);
            }
        }
        for &i in rank_order {
            if chosen.len() >= max {
                break;
            }
            if i < self.lines.len() && !chosen.contains(&i) {
                chosen.push(i);
            }
        }
        chosen.sort_unstable();
        chosen
    }

    /// Every share strictly between 0 and 1 at which two options change
    /// order, sorted by share, then by option. There can be `n(n-1)/2` of
    /// them, so this is computed on demand rather than stored.
    pub fn swap_points(&self) -> Vec<SwapPoint> {
        self.swap_points_among(&(0..self.lines.len()).collect::<Vec<_>>())
    }

    /// Like [`swap_points`](Self::swap_points) but only between the listed
    /// options (for a chart that shows a few of them).
    pub fn swap_points_among(&self, options: &[usize]) -> Vec<SwapPoint> {
        let mut out = Vec::new();
        for (x, &a) in options.iter().enumerate() {
            let Some(la) = self.lines.get(a) else {
                continue;
            };
            for &b in options.iter().skip(x + 1) {
                let Some(lb) = self.lines.get(b) else {
                    continue;
                };
                let d0 = la.at_zero - lb.at_zero;
                let d1 = la.at_one - lb.at_one;
                if (d0 > 0.0 && d1 < 0.0) || (d0 < 0.0 && d1 > 0.0) {
                    let share = d0 / (d0 - d1);
                    let (ahead_below, ahead_above) = if d0 > 0.0 { (a, b) } else { (b, a) };
                    out.push(SwapPoint {
                        share,
                        ahead_below,
                        ahead_above,
                    });
                }
            }
        }
        out.sort_by(|p, q| {
            p.share
                .total_cmp(&q.share)
                .then(p.ahead_below.cmp(&q.ahead_below))
                .then(p.ahead_above.cmp(&q.ahead_above))
        });
        out
    }
}

/// One-way sensitivity for every criterion, in criterion order.
pub fn weight_sensitivity(appraisal: &Appraisal, results: &Results) -> Vec<CriterionSensitivity> {
    (0..appraisal.criteria().len())
        .map(|k| criterion_sensitivity(appraisal, results, k))
        .collect()
}

/// Every option's line for criterion `k`, and whether the other weights had
/// to be shared equally. Lines are in file order.
pub fn option_lines(appraisal: &Appraisal, results: &Results, k: usize) -> (Vec<OptionLine>, bool) {
    let weights = appraisal.weights();
    let total_weight: f64 = weights.iter().sum();
    let wk = weights.get(k).copied().unwrap_or(0.0);
    let rest_weight = total_weight - wk;
    let others = weights.len().saturating_sub(1);
    // When the other criteria carry no weight at all, "in proportion" has no
    // meaning; sharing equally is the natural neutral choice.
    let equal = rest_weight <= 0.0;
    let lines = appraisal
        .options()
        .iter()
        .zip(&results.options)
        .enumerate()
        .map(|(i, (o, r))| {
            let s = o.score(k).unwrap_or(0.0);
            let at_zero = if !equal {
                // The other criteria's part of the total, scaled up to the full weight.
                (r.total - wk * s) * (total_weight / rest_weight)
            } else if others == 0 {
                0.0
            } else {
                let sum: f64 = (0..weights.len())
                    .filter(|&j| j != k)
                    .filter_map(|j| o.score(j))
                    .sum();
                total_weight * sum / others as f64
            };
            OptionLine::new(i, at_zero, total_weight * s)
        })
        .collect();
    (lines, equal)
}

/// One-way sensitivity for criterion `k`.
///
/// # Panics
/// Never; an out-of-range `k` is treated as a criterion with no weight and no scores.
pub fn criterion_sensitivity(
    appraisal: &Appraisal,
    results: &Results,
    k: usize,
) -> CriterionSensitivity {
    let total_weight = appraisal.total_weight();
    let share = appraisal
        .criteria()
        .get(k)
        .map_or(0.0, |c| c.weight() / total_weight);
    let (lines, equal) = option_lines(appraisal, results, k);
    stability(k, share, lines, equal, results)
}

/// The stability interval, who leads beyond it and the upper envelope, from
/// every option's line in a share whose current value is `share`; `index`
/// names what moves (a criterion, or for group-level analysis a group or a
/// criterion within its group).
pub(crate) fn stability(
    index: usize,
    share: f64,
    lines: Vec<OptionLine>,
    equal: bool,
    results: &Results,
) -> CriterionSensitivity {
    let k = index;
    let leader = results.rank_order().first().copied().unwrap_or(0);
    let segments = upper_envelope(&lines, results);

    let mut stable_from: f64 = 0.0;
    let mut stable_to: f64 = 1.0;
    // (crossing share, option, slope of the leader's advantage) for each binding constraint
    let mut lower: Vec<(f64, usize, f64)> = Vec::new();
    let mut upper: Vec<(f64, usize, f64)> = Vec::new();
    if let Some(l) = lines.get(leader) {
        for line in &lines {
            if line.option == leader {
                continue;
            }
            // The leader's advantage over this option, at each end of the range.
            let a = l.at_zero - line.at_zero;
            let b = l.at_one - line.at_one;
            let tied_now = results.tied(line.option, leader);
            if a >= 0.0 && b >= 0.0 {
                continue;
            }
            let cross = if a < 0.0 && b < 0.0 {
                // Only possible through rounding when the two are tied now.
                share
            } else {
                a / (a - b)
            };
            // A tie at the base share is exact, whatever the rounding of the lines says.
            let cross = if tied_now { share } else { cross };
            if b < 0.0 {
                upper.push((cross.max(share), line.option, b - a));
            } else {
                lower.push((cross.min(share), line.option, b - a));
            }
        }
    }
    for &(p, _, _) in &upper {
        stable_to = stable_to.min(p);
    }
    for &(p, _, _) in &lower {
        stable_from = stable_from.max(p);
    }
    let rank_of = |i: usize| results.options.get(i).map_or(usize::MAX, |r| r.rank);
    // Just above `stable_to`, the option gaining fastest on the leader leads.
    let above = (stable_to < 1.0)
        .then(|| {
            upper
                .iter()
                .filter(|(p, _, _)| same_share(*p, stable_to))
                .min_by(|x, y| {
                    x.2.total_cmp(&y.2)
                        .then(rank_of(x.1).cmp(&rank_of(y.1)))
                        .then(x.1.cmp(&y.1))
                })
                .map(|x| x.1)
        })
        .flatten();
    let below = (stable_from > 0.0)
        .then(|| {
            lower
                .iter()
                .filter(|(p, _, _)| same_share(*p, stable_from))
                .max_by(|x, y| {
                    x.2.total_cmp(&y.2)
                        .then(rank_of(y.1).cmp(&rank_of(x.1)))
                        .then(y.1.cmp(&x.1))
                })
                .map(|x| x.1)
        })
        .flatten();
    CriterionSensitivity {
        criterion: k,
        share,
        leader,
        stable_from,
        stable_to,
        below,
        above,
        lines,
        segments,
        others_shared_equally: equal,
    }
}

fn same_share(p: f64, q: f64) -> bool {
    (p - q).abs() <= SHARE_TOL
}

/// Who leads where over `[0, 1]`: the upper envelope of the lines, walked
/// from share 0 by always jumping to the earliest crossing by a steeper line.
fn upper_envelope(lines: &[OptionLine], results: &Results) -> Vec<LeadSegment> {
    let rank_of = |i: usize| results.options.get(i).map_or(usize::MAX, |r| r.rank);
    // At share 0, the highest total leads; among equals, the one rising fastest.
    let Some(mut cur) = lines.iter().max_by(|x, y| {
        x.at_zero
            .total_cmp(&y.at_zero)
            .then(x.slope.total_cmp(&y.slope))
            .then(rank_of(y.option).cmp(&rank_of(x.option)))
            .then(y.option.cmp(&x.option))
    }) else {
        return Vec::new();
    };
    let mut from = 0.0;
    let mut out = Vec::new();
    // Each step moves to a strictly steeper line, so this ends within n steps.
    for _ in 0..=lines.len() {
        let mut next: Option<(f64, &OptionLine)> = None;
        for line in lines {
            let a = cur.at_zero - line.at_zero;
            let b = cur.at_one - line.at_one;
            if line.slope <= cur.slope || b >= 0.0 {
                continue;
            }
            let q = if a <= 0.0 {
                from
            } else {
                (a / (a - b)).max(from)
            };
            let better = match next {
                None => true,
                Some((nq, nl)) => {
                    q < nq - SHARE_TOL
                        || (same_share(q, nq)
                            && (line.slope > nl.slope
                                || (line.slope == nl.slope
                                    && (rank_of(line.option), line.option)
                                        < (rank_of(nl.option), nl.option))))
                }
            };
            if better {
                next = Some((q, line));
            }
        }
        match next {
            Some((q, line)) if q < 1.0 => {
                if q > from {
                    out.push(LeadSegment {
                        from,
                        to: q,
                        leader: cur.option,
                    });
                    from = q;
                }
                cur = line;
            }
            _ => break,
        }
    }
    out.push(LeadSegment {
        from,
        to: 1.0,
        leader: cur.option,
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compute::compute;
    use crate::load::load_example;

    #[test]
    fn lines_pass_through_the_current_totals() {
        let a = load_example().unwrap().appraisal;
        let r = compute(&a);
        for cs in weight_sensitivity(&a, &r) {
            for (line, res) in cs.lines.iter().zip(&r.options) {
                assert!((line.at(cs.share) - res.total).abs() < 1e-9);
            }
        }
    }

    #[test]
    fn envelope_covers_the_whole_range() {
        let a = load_example().unwrap().appraisal;
        let r = compute(&a);
        for cs in weight_sensitivity(&a, &r) {
            assert_eq!(cs.segments.first().unwrap().from, 0.0);
            assert_eq!(cs.segments.last().unwrap().to, 1.0);
            for w in cs.segments.windows(2) {
                assert_eq!(w[0].to, w[1].from);
                assert_ne!(w[0].leader, w[1].leader);
            }
        }
    }
}
