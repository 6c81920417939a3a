//! Merging members' sheets: consensus per cell, disagreement, each member's
//! own ranking against the consensus, and whether any one member decides the leader.

use serde::Serialize;

use crate::compute::{Results, competition_ranks, compute, settle_ties, weighted_total};
use crate::model::{Appraisal, ModelError, Scale, snap};
use crate::panel::sheet::Sheet;

/// How the members' scores for a cell are combined.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum Method {
    /// The arithmetic mean of the scores given.
    #[default]
    Mean,
    /// The middle score (the mean of the middle two for an even count).
    Median,
    /// The mean after dropping the highest and lowest fifth of the scores
    /// (at least one at each end once three or more members scored the cell).
    TrimmedMean,
    /// The members' scores added up, as panels that total their points do;
    /// totals then run up to the number of members times the usual maximum.
    Sum,
}

impl Method {
    /// The name used on the command line and in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Mean => "mean",
            Method::Median => "median",
            Method::TrimmedMean => "trimmed-mean",
            Method::Sum => "sum",
        }
    }

    /// The method in words for a sentence or a heading: "mean", "trimmed mean", "sum".
    pub fn words(self) -> &'static str {
        match self {
            Method::Mean => "mean",
            Method::Median => "median",
            Method::TrimmedMean => "trimmed mean",
            Method::Sum => "sum",
        }
    }
}

/// Settings for a merge.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct MergeOptions {
    /// How scores are combined.
    pub method: Method,
    /// Round each consensus to the nearest point on the scale (halves up).
    /// Without it the consensus is exact.
    pub round: bool,
    /// Cells whose spread is at least this many scale steps are flagged for discussion.
    pub flag_steps: f64,
}

impl Default for MergeOptions {
    fn default() -> Self {
        MergeOptions {
            method: Method::Mean,
            round: false,
            flag_steps: 2.0,
        }
    }
}

/// Combines the scores given (blanks already removed) by `method`.
pub fn combine(scores: &[f64], method: Method) -> Option<f64> {
    if scores.is_empty() {
        return None;
    }
    let mut v = scores.to_vec();
    v.sort_by(f64::total_cmp);
    let n = v.len();
    let value = match method {
        Method::Mean => v.iter().sum::<f64>() / n as f64,
        Method::Median => {
            if n % 2 == 1 {
                v[n / 2]
            } else {
                (v[n / 2 - 1] + v[n / 2]) / 2.0
            }
        }
        Method::TrimmedMean => {
            let k = if n >= 3 { (n / 5).max(1) } else { 0 };
            let kept = &v[k..n - k];
            kept.iter().sum::<f64>() / kept.len() as f64
        }
        Method::Sum => v.iter().sum::<f64>(),
    };
    // Binary noise removed as the model removes it from every score.
    Some(snap(value))
}

/// One cell of the merged grid.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Cell {
    /// Each member's score, in sheet order; `None` where the member left it blank.
    pub scores: Vec<Option<f64>>,
    /// How many members scored the cell.
    pub scored: usize,
    /// The combined score, if anyone scored the cell: exact unless rounding
    /// was asked for; for [`Method::Sum`], the members' scores added up.
    pub consensus: Option<f64>,
    /// The lowest score given.
    pub min: Option<f64>,
    /// The highest score given.
    pub max: Option<f64>,
    /// `max - min`, in score points.
    pub spread: Option<f64>,
    /// Whether the spread reaches the discussion threshold.
    pub flagged: bool,
}

/// One member's own view of the appraisal.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MemberView {
    /// The member's name.
    pub member: String,
    /// The sheet file it came from.
    pub sheet: String,
    /// Totals from this member's scores alone, per option in file order (blanks count nothing).
    pub totals: Vec<f64>,
    /// Competition ranks from those totals.
    pub ranks: Vec<usize>,
    /// How many cells the member scored, out of options × criteria.
    pub scored: usize,
    /// Kendall's tau-b between this member's totals and the consensus totals;
    /// `None` where it is undefined (for example every total tied).
    pub tau: Option<f64>,
}

/// What happens to the leading option when each member is left out in turn.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Influence {
    /// Option indices ranked first on the full panel's consensus.
    pub leaders: Vec<usize>,
    /// For each member whose absence changes the leader: (member index, leaders without them).
    pub pivotal: Vec<(usize, Vec<usize>)>,
}

/// The merged panel.
#[derive(Debug, Clone)]
pub struct Merged {
    /// The settings used.
    pub options: MergeOptions,
    /// Member names in sheet order.
    pub members: Vec<String>,
    /// Cells by option then criterion, in the appraisal's order.
    pub cells: Vec<Vec<Cell>>,
    /// The appraisal with the consensus as its scores, ready for every analysis.
    pub consensus: Appraisal,
    /// Totals and ranks of the consensus.
    pub results: Results,
    /// Each member's own ranking and its agreement with the consensus.
    pub views: Vec<MemberView>,
    /// Whether one member's absence would change the leader.
    pub influence: Influence,
}

impl Merged {
    /// Flagged cells as (option, criterion), in grid order.
    pub fn flagged(&self) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        for (o, row) in self.cells.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                if cell.flagged {
                    out.push((o, c));
                }
            }
        }
        out
    }
}

/// Errors from merging sheets.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum MergeError {
    /// There were no sheets to merge.
    #[error("no scoresheets to merge")]
    NoSheets,
    /// The consensus could not be stored in the appraisal.
    #[error("the consensus could not be applied: {0}")]
    Model(#[from] ModelError),
}

/// Merges `sheets` (already checked against `appraisal`) into a consensus.
pub fn merge(
    appraisal: &Appraisal,
    sheets: &[Sheet],
    options: MergeOptions,
) -> Result<Merged, MergeError> {
    if sheets.is_empty() {
        return Err(MergeError::NoSheets);
    }
    let n_opt = appraisal.options().len();
    let n_crit = appraisal.criteria().len();
    let scale = consensus_scale(appraisal.scale(), options.method, sheets.len())?;
    let grid = |o: usize, c: usize| -> Vec<Option<f64>> {
        sheets
            .iter()
            .map(|s| s.scores.get(o).and_then(|r| r.get(c)).copied().flatten())
            .collect()
    };
    let mut cells = Vec::with_capacity(n_opt);
    for o in 0..n_opt {
        let mut row = Vec::with_capacity(n_crit);
        for c in 0..n_crit {
            row.push(cell(grid(o, c), appraisal.scale(), &scale, options));
        }
        cells.push(row);
    }
    let consensus = consensus_appraisal(appraisal, &cells, scale)?;
    let results = with_exact_ties(compute(&consensus));

    let weights = appraisal.weights();
    // Members score on the appraisal's own scale: its range of possible totals.
    let member_span =
        weights.iter().sum::<f64>() * (appraisal.scale().max() - appraisal.scale().min());
    let views = sheets
        .iter()
        .map(|s| {
            let totals: Vec<f64> = s
                .scores
                .iter()
                .map(|row| weighted_total(&weights, row))
                .collect();
            let ranks = competition_ranks(&totals, member_span);
            let consensus_totals: Vec<f64> = results.options.iter().map(|r| r.total).collect();
            MemberView {
                member: s.member.clone(),
                sheet: s.source.name.clone(),
                tau: kendall_tau_b(&totals, &consensus_totals),
                totals,
                ranks,
                scored: s.scored(),
            }
        })
        .collect();

    let leaders = results.leaders();
    let mut pivotal = Vec::new();
    if sheets.len() > 1 {
        for m in 0..sheets.len() {
            let totals = consensus_totals(appraisal, sheets, Some(m), &consensus, options);
            let ranks = competition_ranks(&totals, results.span());
            let new_leaders: Vec<usize> = (0..ranks.len()).filter(|&i| ranks[i] == 1).collect();
            if new_leaders != leaders {
                pivotal.push((m, new_leaders));
            }
        }
    }

    Ok(Merged {
        options,
        members: sheets.iter().map(|s| s.member.clone()).collect(),
        cells,
        consensus,
        results,
        views,
        influence: Influence { leaders, pivotal },
    })
}

/// The consensus results with binary noise kept out of the totals as well
/// as the ranks: totals that tie by the one rule ([`crate::compute::TIE`])
/// are made equal here, with the same percentage, so a reader of the
/// consensus sees the same figure beside the shared rank.
fn with_exact_ties(mut results: Results) -> Results {
    let mut totals: Vec<f64> = results.options.iter().map(|r| r.total).collect();
    settle_ties(&mut totals, results.span());
    let ranks = competition_ranks(&totals, results.span());
    let by_total: Vec<(f64, f64)> = results
        .options
        .iter()
        .map(|r| (r.total, r.percent))
        .collect();
    for (r, (&t, rank)) in results.options.iter_mut().zip(totals.iter().zip(ranks)) {
        if t != r.total {
            // Take the percentage of the option whose total this is.
            if let Some(&(_, p)) = by_total.iter().find(|(total, _)| *total == t) {
                r.percent = p;
            }
            r.total = t;
        }
        r.rank = rank;
    }
    results
}

/// The scale a consensus lives on: the appraisal's own range (its steps
/// still the unit of change, its labels still meaningful), or for a sum the
/// range of `members` scores added up; either way any value in range is allowed.
fn consensus_scale(scale: &Scale, method: Method, members: usize) -> Result<Scale, ModelError> {
    match method {
        Method::Sum => {
            let n = members as f64;
            Scale::for_consensus(n * scale.min(), n * scale.max(), scale.step())
        }
        _ => {
            let mut out = Scale::for_consensus(scale.min(), scale.max(), scale.step())?;
            for (v, text) in scale.labels() {
                out.set_label(*v, text.clone())?;
            }
            Ok(out)
        }
    }
}

/// One cell: `member` scale for the spread, `consensus` scale for the result.
fn cell(
    scores: Vec<Option<f64>>,
    member: &Scale,
    consensus: &Scale,
    options: MergeOptions,
) -> Cell {
    let given: Vec<f64> = scores.iter().flatten().copied().collect();
    let min = given.iter().copied().min_by(f64::total_cmp);
    let max = given.iter().copied().max_by(f64::total_cmp);
    let spread = min.zip(max).map(|(a, b)| b - a);
    let consensus = combine(&given, options.method).map(|v| settle(v, consensus, options.round));
    Cell {
        scored: given.len(),
        flagged: spread.is_some_and(|s| s + 1e-9 >= options.flag_steps * member.step()),
        scores,
        consensus,
        min,
        max,
        spread,
    }
}

/// A combined score as the panel reports it: exact, or the nearest point on
/// the scale when rounding was asked for (halves up).
fn settle(v: f64, scale: &Scale, round: bool) -> f64 {
    if !round {
        return v;
    }
    let k = ((v - scale.min()) / scale.step() + 1e-9).round();
    scale
        .point(k.max(0.0) as u32)
        .clamp(scale.min(), scale.max())
}

/// The consensus totals, leaving out member `skip`, without building a whole appraisal.
fn consensus_totals(
    appraisal: &Appraisal,
    sheets: &[Sheet],
    skip: Option<usize>,
    consensus: &Appraisal,
    options: MergeOptions,
) -> Vec<f64> {
    let weights = appraisal.weights();
    let scale = consensus.scale();
    (0..appraisal.options().len())
        .map(|o| {
            let row: Vec<Option<f64>> = (0..weights.len())
                .map(|c| {
                    let given: Vec<f64> = sheets
                        .iter()
                        .enumerate()
                        .filter(|(m, _)| Some(*m) != skip)
                        .filter_map(|(_, s)| {
                            s.scores.get(o).and_then(|r| r.get(c)).copied().flatten()
                        })
                        .collect();
                    combine(&given, options.method).map(|v| settle(v, scale, options.round))
                })
                .collect();
            weighted_total(&weights, &row)
        })
        .collect()
}

/// A copy of `appraisal` whose scores are the consensus, on `scale`.
fn consensus_appraisal(
    appraisal: &Appraisal,
    cells: &[Vec<Cell>],
    scale: Scale,
) -> Result<Appraisal, MergeError> {
    // Cleared first: the file's own scores need not lie on a summed scale.
    let options = appraisal
        .options()
        .iter()
        .map(|o| {
            let mut o = o.clone();
            o.set_scores_unchecked(vec![None; appraisal.criteria().len()]);
            o
        })
        .collect();
    let mut out = Appraisal::new(
        appraisal.meta.clone(),
        scale,
        appraisal.criteria().to_vec(),
        options,
    )?;
    for (o, row) in cells.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            out.set_score(o, c, cell.consensus)?;
        }
    }
    Ok(out)
}

/// Kendall's tau-b rank correlation between two sets of totals (ties handled).
pub fn kendall_tau_b(x: &[f64], y: &[f64]) -> Option<f64> {
    let n = x.len().min(y.len());
    let (mut concordant, mut discordant, mut ties_x, mut ties_y) = (0i64, 0i64, 0i64, 0i64);
    for i in 0..n {
        for j in i + 1..n {
            let dx = (x[i] - x[j]).partial_cmp(&0.0);
            let dy = (y[i] - y[j]).partial_cmp(&0.0);
            match (dx, dy) {
                (Some(std::cmp::Ordering::Equal), Some(std::cmp::Ordering::Equal)) => {
                    ties_x += 1;
                    ties_y += 1;
                }
                (Some(std::cmp::Ordering::Equal), _) => ties_x += 1,
                (_, Some(std::cmp::Ordering::Equal)) => ties_y += 1,
                (a, b) if a == b => concordant += 1,
                _ => discordant += 1,
            }
        }
    }
    let pairs = (n * n.saturating_sub(1) / 2) as i64;
    let denom = (((pairs - ties_x) * (pairs - ties_y)) as f64).sqrt();
    (denom > 0.0).then(|| (concordant - discordant) as f64 / denom)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn methods_combine_as_documented() {
        let s = [1.0, 2.0, 2.0, 5.0];
        assert_eq!(combine(&s, Method::Mean), Some(2.5));
        assert_eq!(combine(&s, Method::Median), Some(2.0));
        assert_eq!(combine(&[4.0, 1.0, 3.0], Method::Median), Some(3.0));
        // Five scores: one dropped at each end, mean of 2, 3, 4.
        assert_eq!(
            combine(&[0.0, 2.0, 3.0, 4.0, 5.0], Method::TrimmedMean),
            Some(3.0)
        );
        // Two scores: nothing to trim.
        assert_eq!(combine(&[1.0, 4.0], Method::TrimmedMean), Some(2.5));
        // Ten scores: two dropped at each end.
        let ten = [0.0, 0.0, 1.0, 2.0, 2.0, 3.0, 3.0, 4.0, 5.0, 5.0];
        assert_eq!(combine(&ten, Method::TrimmedMean), Some(2.5));
        assert_eq!(combine(&[], Method::Mean), None);
    }

    #[test]
    fn tau_b_by_hand() {
        // Identical order: +1; reversed: -1.
        assert_eq!(
            kendall_tau_b(&[1.0, 2.0, 3.0], &[10.0, 20.0, 30.0]),
            Some(1.0)
        );
        assert_eq!(
            kendall_tau_b(&[1.0, 2.0, 3.0], &[3.0, 2.0, 1.0]),
            Some(-1.0)
        );
        // x = 1,2,3,4; y = 1,3,2,4: pairs 6, one discordant (2,3): (5-1)/6.
        let t = kendall_tau_b(&[1.0, 2.0, 3.0, 4.0], &[1.0, 3.0, 2.0, 4.0]).unwrap();
        assert!((t - 4.0 / 6.0).abs() < 1e-12);
        // With a tie in x: x = 1,1,2; y = 1,2,3. Pairs 3; ties_x 1; concordant 2.
        // tau_b = 2 / sqrt((3-1)(3-0)) = 2/sqrt(6).
        let t = kendall_tau_b(&[1.0, 1.0, 2.0], &[1.0, 2.0, 3.0]).unwrap();
        assert!((t - 2.0 / 6f64.sqrt()).abs() < 1e-12);
        assert_eq!(kendall_tau_b(&[1.0, 1.0], &[1.0, 2.0]), None);
    }
}
