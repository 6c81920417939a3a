//! Totals, percentages, ranks and reconciliation against published totals.

use serde::Serialize;

use crate::model::Appraisal;
use crate::numbers;

/// How close a computed total must be to a published one to count as equal.
pub(crate) const RECONCILE_TOLERANCE: f64 = 1e-6;

/// The computed result for one option.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OptionResult {
    /// Index of the option in the appraisal's file order.
    pub index: usize,
    /// Weighted total over the scored criteria.
    pub total: f64,
    /// Where the total sits between the lowest and highest possible, 0-100.
    pub percent: f64,
    /// Competition rank: ties share the better rank (1, 2, 2, 4).
    pub rank: usize,
    /// Whether every criterion has a score.
    pub complete: bool,
}

/// Totals and ranks for every option.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Results {
    /// The highest total possible: every score at the scale maximum.
    pub max_total: f64,
    /// The lowest total possible: every score at the scale minimum.
    pub min_total: f64,
    /// One result per option, in the appraisal's file order.
    pub options: Vec<OptionResult>,
}

impl Results {
    /// Option indices ordered by rank, then by file order within a tie.
    pub fn rank_order(&self) -> Vec<usize> {
        let mut order: Vec<usize> = (0..self.options.len()).collect();
        order.sort_by_key(|&i| (self.options[i].rank, i));
        order
    }

    /// The options ranked first (more than one when tied).
    pub fn leaders(&self) -> Vec<usize> {
        self.options
            .iter()
            .filter(|r| r.rank == 1)
            .map(|r| r.index)
            .collect()
    }
}

/// Weighted total of one row of scores: the sum of weight times score over scored cells.
pub fn weighted_total(weights: &[f64], scores: &[Option<f64>]) -> f64 {
    weights
        .iter()
        .zip(scores)
        .filter_map(|(w, s)| s.map(|s| w * s))
        .sum()
}

/// Competition ranks of `totals`, highest first; ties share the better rank.
pub fn competition_ranks(totals: &[f64]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..totals.len()).collect();
    order.sort_by(|&a, &b| totals[b].total_cmp(&totals[a]));
    let mut ranks = vec![0; totals.len()];
    for (pos, &i) in order.iter().enumerate() {
        ranks[i] = if pos > 0 && totals[order[pos - 1]] == totals[i] {
            ranks[order[pos - 1]]
        } else {
            pos + 1
        };
    }
    ranks
}

/// Computes totals, percentages and ranks for every option.
pub fn compute(appraisal: &Appraisal) -> Results {
    let weights = appraisal.weights();
    let scale = appraisal.scale();
    let wsum: f64 = weights.iter().sum();
    let max_total = wsum * scale.max();
    let min_total = wsum * scale.min();
    let span = max_total - min_total;
    let totals: Vec<f64> = appraisal
        .options()
        .iter()
        .map(|o| weighted_total(&weights, o.scores()))
        .collect();
    let ranks = competition_ranks(&totals);
    let options = appraisal
        .options()
        .iter()
        .enumerate()
        .map(|(i, o)| OptionResult {
            index: i,
            total: totals[i],
            // The model guarantees a positive weight and max > min, so span > 0.
            percent: 100.0 * (totals[i] - min_total) / span,
            rank: ranks[i],
            complete: o.is_complete(),
        })
        .collect();
    Results {
        max_total,
        min_total,
        options,
    }
}

/// Brings `results` up to date after only option `o`'s scores changed:
/// its total, share and completeness, then every rank. The same numbers as
/// [`compute`], without re-adding every other option's row.
pub fn recompute_option(results: &mut Results, appraisal: &Appraisal, o: usize) {
    let (Some(option), true) = (
        appraisal.options().get(o),
        results.options.len() == appraisal.options().len(),
    ) else {
        *results = compute(appraisal);
        return;
    };
    let total = weighted_total(&appraisal.weights(), option.scores());
    let span = results.max_total - results.min_total;
    if let Some(r) = results.options.get_mut(o) {
        r.total = total;
        r.percent = 100.0 * (total - results.min_total) / span;
        r.complete = option.is_complete();
    }
    let totals: Vec<f64> = results.options.iter().map(|r| r.total).collect();
    for (r, rank) in results.options.iter_mut().zip(competition_ranks(&totals)) {
        r.rank = rank;
    }
}

/// What a warning is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum WarningKind {
    /// A cell has no score yet.
    MissingScore,
    /// The source document's total differs from the computed one.
    PublishedTotalMismatch,
}

impl WarningKind {
    /// The stable kebab-case name used in JSON and messages.
    pub fn as_str(self) -> &'static str {
        match self {
            WarningKind::MissingScore => "missing-score",
            WarningKind::PublishedTotalMismatch => "published-total-mismatch",
        }
    }
}

/// Something worth a reader's attention that does not stop the appraisal being used.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Warning {
    /// What kind of warning this is.
    pub kind: WarningKind,
    /// The option's id.
    pub option: String,
    /// The criterion's id, where the warning is about one cell.
    pub criterion: Option<String>,
    /// A sentence saying what is wrong and what to do.
    pub message: String,
}

/// Options whose published total differs from the computed one: (option index, published, computed).
pub fn reconcile(appraisal: &Appraisal, results: &Results) -> Vec<(usize, f64, f64)> {
    appraisal
        .options()
        .iter()
        .zip(&results.options)
        .filter_map(|(o, r)| {
            let p = o.published_total?;
            let tol = RECONCILE_TOLERANCE * p.abs().max(1.0);
            ((p - r.total).abs() > tol).then_some((r.index, p, r.total))
        })
        .collect()
}

/// Every warning for the appraisal: unscored cells, then published-total mismatches.
pub fn warnings(appraisal: &Appraisal, results: &Results) -> Vec<Warning> {
    let mut out = Vec::new();
    for o in appraisal.options() {
        for (c, crit) in appraisal.criteria().iter().enumerate() {
            if o.score(c).is_none() {
                out.push(Warning {
                    kind: WarningKind::MissingScore,
                    option: o.id().to_string(),
                    criterion: Some(crit.id().to_string()),
                    message: format!(
                        "{} has no score for {} yet; its total counts only the criteria that are scored",
                        o.name(),
                        crit.name()
                    ),
                });
            }
        }
    }
    for (i, published, computed) in reconcile(appraisal, results) {
        let o = &appraisal.options()[i];
        out.push(Warning {
            kind: WarningKind::PublishedTotalMismatch,
            option: o.id().to_string(),
            criterion: None,
            message: format!(
                "{} has a published total of {} but its scores add up to {}; check the scores or correct the published figure",
                o.name(),
                numbers::as_given(published),
                numbers::total(computed)
            ),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ties_share_the_better_rank() {
        assert_eq!(
            competition_ranks(&[10.0, 20.0, 20.0, 5.0]),
            vec![3, 1, 1, 4]
        );
        assert_eq!(competition_ranks(&[3.0, 3.0, 3.0]), vec![1, 1, 1]);
        assert_eq!(competition_ranks(&[]), Vec::<usize>::new());
    }

    #[test]
    fn unscored_cells_count_nothing() {
        assert_eq!(
            weighted_total(&[1.0, 2.0, 3.0], &[Some(4.0), None, Some(1.0)]),
            7.0
        );
    }
}
