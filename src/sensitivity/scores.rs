//! Score robustness: how many single-step score changes would let another
//! option catch or pass the leader.
//!
//! A step moves one score by one scale step, within the scale: the leader's
//! score down, or a challenger's score up. Each such step closes the gap by
//! `weight * step` for its criterion, independently of every other step, so
//! taking the largest-weight steps first is exact (proof in `docs/methods.md`).

use std::cmp::Ordering;

use serde::Serialize;

use crate::compute::Results;
use crate::model::Appraisal;

/// Which way a score is moved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    /// The leader's score is lowered.
    Down,
    /// The challenger's score is raised.
    Up,
}

/// Moving one cell's score by some steps.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ScoreChange {
    /// Index of the option whose score moves.
    pub option: usize,
    /// Index of the criterion.
    pub criterion: usize,
    /// Down for the leader, up for the challenger.
    pub direction: Direction,
    /// How many scale steps the score moves.
    pub steps: u32,
    /// The score now.
    pub from: f64,
    /// The score after the change.
    pub to: f64,
}

/// The cheapest ways for one challenger to draw level with, and to pass, the leader.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Challenge {
    /// Index of the challenging option.
    pub challenger: usize,
    /// The leader's total minus the challenger's (zero or more).
    pub gap: f64,
    /// Fewest single-step changes that bring the challenger level with the
    /// leader or ahead of it; `None` if no changes within the scale can.
    pub steps_to_tie: Option<u32>,
    /// The changes that achieve `steps_to_tie`.
    pub tie_changes: Vec<ScoreChange>,
    /// Fewest single-step changes that put the challenger strictly ahead; `None` if impossible.
    pub steps_to_overtake: Option<u32>,
    /// The changes that achieve `steps_to_overtake`.
    pub overtake_changes: Vec<ScoreChange>,
}

/// Score robustness of the current leader against every other option.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScoreRobustness {
    /// The option analysed: the leader (the first in file order if several tie).
    pub leader: usize,
    /// Fewest changes that let any challenger draw level; `None` if none can
    /// (or there is no other option).
    pub min_steps_to_tie: Option<u32>,
    /// The challenger that needs `min_steps_to_tie`.
    pub tie_challenger: Option<usize>,
    /// Fewest changes that let any challenger overtake; `None` if none can.
    pub min_steps_to_overtake: Option<u32>,
    /// The challenger that needs `min_steps_to_overtake`.
    pub challenger: Option<usize>,
    /// Every challenger, easiest to overtake first (then by rank and file order).
    pub challenges: Vec<Challenge>,
    /// True when some cells are unscored: they are left out of the search,
    /// because a missing score cannot be moved by a step.
    pub has_unscored: bool,
}

impl ScoreRobustness {
    /// The challenge that needs the fewest changes to overtake.
    pub fn easiest(&self) -> Option<&Challenge> {
        let c = self.challenger?;
        self.challenges.iter().find(|x| x.challenger == c)
    }
}

/// One cell that can move, with how far and what each step is worth.
#[derive(Debug, Clone, Copy)]
struct Cell {
    option: usize,
    criterion: usize,
    direction: Direction,
    /// Gap closed by one step: weight times the scale step.
    value: f64,
    /// How many steps the scale allows.
    headroom: u32,
    score: f64,
}

/// Score robustness of the leader in `results` against every other option.
pub fn score_robustness(appraisal: &Appraisal, results: &Results) -> ScoreRobustness {
    let order = results.rank_order();
    let leader = order.first().copied().unwrap_or(0);
    let has_unscored = appraisal.options().iter().any(|o| !o.is_complete());
    // A gap is closed when the totals tie by the one rule.
    let tol = crate::compute::tie_margin(results.span());
    let leader_cells = cells(appraisal, leader, Direction::Down);
    let rank_of = |i: usize| results.options.get(i).map_or(usize::MAX, |r| r.rank);

    let mut challenges: Vec<Challenge> = order
        .iter()
        .copied()
        .filter(|&c| c != leader)
        .map(|c| {
            let gap = (results.options[leader].total - results.options[c].total).max(0.0);
            let mut all = leader_cells.clone();
            all.extend(cells(appraisal, c, Direction::Up));
            // Largest value first; among equals, cells with more room first (so
            // fewer cells are named), then the leader's, then criterion order.
            all.sort_by(|x, y| {
                y.value
                    .total_cmp(&x.value)
                    .then(y.headroom.cmp(&x.headroom))
                    .then((x.direction == Direction::Up).cmp(&(y.direction == Direction::Up)))
                    .then(x.criterion.cmp(&y.criterion))
            });
            let (steps_to_tie, tie_changes) = fewest_steps(appraisal, &all, gap - tol, false);
            let (steps_to_overtake, overtake_changes) =
                fewest_steps(appraisal, &all, gap + tol, true);
            Challenge {
                challenger: c,
                gap,
                steps_to_tie,
                tie_changes,
                steps_to_overtake,
                overtake_changes,
            }
        })
        .collect();
    // None sorts after every number.
    let key = |s: Option<u32>| s.map_or(u64::MAX, u64::from);
    challenges.sort_by(|x, y| {
        key(x.steps_to_overtake)
            .cmp(&key(y.steps_to_overtake))
            .then(key(x.steps_to_tie).cmp(&key(y.steps_to_tie)))
            .then(rank_of(x.challenger).cmp(&rank_of(y.challenger)))
            .then(x.challenger.cmp(&y.challenger))
    });
    let challenger = challenges
        .first()
        .filter(|c| c.steps_to_overtake.is_some())
        .map(|c| c.challenger);
    let min_steps_to_overtake = challenges.first().and_then(|c| c.steps_to_overtake);
    let tie_best = challenges
        .iter()
        .filter(|c| c.steps_to_tie.is_some())
        .min_by(|x, y| {
            key(x.steps_to_tie)
                .cmp(&key(y.steps_to_tie))
                .then(rank_of(x.challenger).cmp(&rank_of(y.challenger)))
                .then(x.challenger.cmp(&y.challenger))
        });
    ScoreRobustness {
        leader,
        min_steps_to_tie: tie_best.and_then(|c| c.steps_to_tie),
        tie_challenger: tie_best.map(|c| c.challenger),
        min_steps_to_overtake,
        challenger,
        challenges,
        has_unscored,
    }
}

/// The cells of option `o` that can move in `direction`, with positive weight and a score.
fn cells(appraisal: &Appraisal, o: usize, direction: Direction) -> Vec<Cell> {
    let scale = appraisal.scale();
    let Some(opt) = appraisal.options().get(o) else {
        return Vec::new();
    };
    appraisal
        .criteria()
        .iter()
        .enumerate()
        .filter(|(_, c)| c.weight() > 0.0)
        .filter_map(|(j, c)| {
            let score = opt.score(j)?;
            // Whole steps within the scale; a consensus between steps keeps its offset.
            let headroom = match direction {
                Direction::Down => scale.steps_down(score),
                Direction::Up => scale.steps_up(score),
            };
            (headroom > 0).then_some(Cell {
                option: o,
                criterion: j,
                direction,
                value: c.weight() * scale.step(),
                headroom,
                score,
            })
        })
        .collect()
}

/// Takes steps from `cells` (sorted best first) until the gap closed reaches
/// `target` (strictly passes it when `strict`). Returns the number of steps
/// and the changes, or `None` if every step together falls short.
fn fewest_steps(
    appraisal: &Appraisal,
    cells: &[Cell],
    target: f64,
    strict: bool,
) -> (Option<u32>, Vec<ScoreChange>) {
    let reached = |closed: f64| match closed.partial_cmp(&target) {
        Some(Ordering::Greater) => true,
        Some(Ordering::Equal) => !strict,
        _ => false,
    };
    let scale = appraisal.scale();
    let mut closed = 0.0;
    let mut steps: u32 = 0;
    let mut changes = Vec::new();
    if reached(closed) {
        return (Some(0), changes);
    }
    for cell in cells {
        let need = (target - closed) / cell.value;
        // Steps from this cell that reach the target, if its headroom allows.
        let take = if strict {
            need.floor() + 1.0
        } else {
            need.ceil().max(1.0)
        };
        let take = if take <= f64::from(cell.headroom) {
            take as u32
        } else {
            cell.headroom
        };
        closed += f64::from(take) * cell.value;
        steps += take;
        let delta = match cell.direction {
            Direction::Down => -i64::from(take),
            Direction::Up => i64::from(take),
        };
        changes.push(ScoreChange {
            option: cell.option,
            criterion: cell.criterion,
            direction: cell.direction,
            steps: take,
            from: cell.score,
            to: scale.shifted(cell.score, delta),
        });
        if reached(closed) {
            return (Some(steps), changes);
        }
    }
    (None, Vec::new())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compute::compute;
    use crate::model::Appraisal;

    fn appraisal(weights: &[f64], rows: &[&[f64]], step: f64) -> Appraisal {
        let rows: Vec<Vec<Option<f64>>> = rows
            .iter()
            .map(|r| r.iter().map(|&s| Some(s)).collect())
            .collect();
        let refs: Vec<&[Option<f64>]> = rows.iter().map(|r| r.as_slice()).collect();
        crate::sensitivity::testutil::build(weights, &refs, step)
    }

    #[test]
    fn heavy_criteria_are_used_first_and_headroom_is_respected() {
        // Gap = 3*5 + 1*0 - (3*4 + 1*0) = 3. Weight-3 cell: leader can drop 5
        // steps, challenger can rise 1. One weight-3 step closes the gap exactly.
        let a = appraisal(&[3.0, 1.0], &[&[5.0, 0.0], &[4.0, 0.0]], 1.0);
        let r = compute(&a);
        let s = score_robustness(&a, &r);
        assert_eq!(s.min_steps_to_tie, Some(1));
        assert_eq!(s.min_steps_to_overtake, Some(2));
        let ch = s.easiest().unwrap();
        assert_eq!(ch.overtake_changes.len(), 1);
        assert_eq!(ch.overtake_changes[0].direction, Direction::Down);
        assert_eq!(ch.overtake_changes[0].to, 3.0);
    }

    #[test]
    fn impossible_when_the_scale_runs_out() {
        // Leader 5,5 with weight 1; challenger 0,0. Gap 10; moves available: 10 down + 10 up.
        let a = appraisal(&[1.0, 1.0], &[&[5.0, 5.0], &[0.0, 0.0]], 1.0);
        let r = compute(&a);
        let s = score_robustness(&a, &r);
        assert_eq!(s.min_steps_to_tie, Some(10));
        assert_eq!(s.min_steps_to_overtake, Some(11));
        // A gap can always be closed when every cell is scored (see docs/methods.md);
        // an unscored challenger cannot move, so here the leader's fall only ties.
        let a = crate::sensitivity::testutil::build(&[1.0], &[&[Some(5.0)], &[None]], 1.0);
        let r = compute(&a);
        let s = score_robustness(&a, &r);
        assert!(s.has_unscored);
        assert_eq!(s.min_steps_to_tie, Some(5));
        assert_eq!(s.min_steps_to_overtake, None);
        assert_eq!(s.challenger, None);
    }

    #[test]
    fn fractional_weights_do_not_trip_on_rounding() {
        // Gap = 0.3*2 = 0.6, each step worth 0.3: exactly two steps to tie.
        let a = appraisal(&[0.3, 0.7], &[&[3.0, 1.0], &[1.0, 1.0]], 1.0);
        let r = compute(&a);
        let s = score_robustness(&a, &r);
        assert_eq!(s.min_steps_to_tie, Some(1), "one 0.7 step covers 0.6");
        assert_eq!(s.min_steps_to_overtake, Some(1));
        let a = appraisal(&[0.3, 0.3], &[&[3.0, 1.0], &[1.0, 1.0]], 1.0);
        let r = compute(&a);
        let s = score_robustness(&a, &r);
        assert_eq!(s.min_steps_to_tie, Some(2));
        assert_eq!(s.min_steps_to_overtake, Some(3));
    }

    #[test]
    fn a_tie_for_first_needs_no_steps() {
        let a = appraisal(&[1.0], &[&[3.0], &[3.0]], 1.0);
        let r = compute(&a);
        let s = score_robustness(&a, &r);
        assert_eq!(s.min_steps_to_tie, Some(0));
        assert_eq!(s.min_steps_to_overtake, Some(1));
    }
}
