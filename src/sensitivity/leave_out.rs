//! Leave one criterion out: the ranking with each criterion removed in turn.

use rayon::prelude::*;
use serde::Serialize;

use crate::compute::{Results, competition_ranks};
use crate::model::Appraisal;

/// An option whose rank changes when a criterion or a group is left out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct RankMove {
    /// Index of the option.
    pub option: usize,
    /// Its rank with every criterion.
    pub from: usize,
    /// Its rank with the criterion left out.
    pub to: usize,
}

/// The ranking with one criterion left out.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LeaveOneOut {
    /// Index of the criterion left out.
    pub criterion: usize,
    /// The ranking without it (its fields read through this one).
    #[serde(flatten)]
    pub ranked: Reranked,
}

impl std::ops::Deref for LeaveOneOut {
    type Target = Reranked;

    fn deref(&self) -> &Reranked {
        &self.ranked
    }
}

/// The ranking with each criterion left out in turn, in criterion order.
pub fn leave_one_out(appraisal: &Appraisal, results: &Results) -> Vec<LeaveOneOut> {
    (0..appraisal.criteria().len())
        .into_par_iter()
        .map(|k| leave_out(appraisal, results, k))
        .collect()
}

/// The ranking with criterion `k` left out.
pub fn leave_out(appraisal: &Appraisal, results: &Results, k: usize) -> LeaveOneOut {
    let mut weights = appraisal.weights();
    if let Some(w) = weights.get_mut(k) {
        *w = 0.0;
    }
    LeaveOneOut {
        criterion: k,
        ranked: rerank(appraisal, results, &weights),
    }
}

/// A ranking at other weights (with a criterion or a group left out),
/// compared with the ranking now.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reranked {
    /// Totals at those weights, in file order.
    pub totals: Vec<f64>,
    /// Competition ranks, in file order (ties share the better rank).
    pub ranks: Vec<usize>,
    /// Option indices by rank, then file order.
    pub ranking: Vec<usize>,
    /// The options ranked first (more than one when tied).
    pub leaders: Vec<usize>,
    /// Options whose rank changes, in the new ranking's order.
    pub moved: Vec<RankMove>,
    /// True when nothing with weight is left to rank by.
    pub no_weight_left: bool,
}

impl Reranked {
    /// Whether the set of options ranked first is the same as now.
    pub fn same_leaders(&self, results: &Results) -> bool {
        self.leaders == results.leaders()
    }
}

/// The totals and ranks at `weights` (one per criterion, in the
/// appraisal's units), and the options whose rank differs from `results`.
pub(crate) fn rerank(appraisal: &Appraisal, results: &Results, weights: &[f64]) -> Reranked {
    let no_weight_left = !weights.iter().any(|&w| w > 0.0);
    // Summed afresh rather than subtracted, so ties come out exactly as `compute` finds them.
    let totals: Vec<f64> = appraisal
        .options()
        .iter()
        .map(|o| crate::compute::weighted_total(weights, o.scores()))
        .collect();
    // The one tie rule, on the range of possible totals as analysed.
    let ranks = competition_ranks(&totals, results.span());
    let mut ranking: Vec<usize> = (0..totals.len()).collect();
    ranking.sort_by_key(|&i| (ranks[i], i));
    let leaders = ranking.iter().copied().filter(|&i| ranks[i] == 1).collect();
    let moved = ranking
        .iter()
        .filter_map(|&i| {
            let from = results.options.get(i)?.rank;
            (from != ranks[i]).then_some(RankMove {
                option: i,
                from,
                to: ranks[i],
            })
        })
        .collect();
    Reranked {
        totals,
        ranks,
        ranking,
        leaders,
        moved,
        no_weight_left,
    }
}
