//! Totals, percentages, ranks and reconciliation against published totals.

use serde::Serialize;

use crate::model::{Appraisal, Published};
use crate::numbers;

/// The computed result for one option.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OptionResult {
    /// Index of the option in the appraisal's file order.
    pub index: usize,
    /// Weighted total over the scored criteria.
    pub total: f64,
    /// Where the total sits between the lowest and highest possible, 0-100.
    pub percent: f64,
    /// Competition rank among the shortlisted options: ties share the
    /// better rank (1, 2, 2, 4). 0 for an option screened out, which is not ranked.
    pub rank: usize,
    /// Whether every criterion has a score.
    pub complete: bool,
    /// Whether the option failed a screening test (it is then not ranked).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub screened_out: bool,
    /// The total of each criteria group, in group order (empty without groups).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub subtotals: Vec<f64>,
    /// The total less the baseline option's total, where there is a baseline.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vs_baseline: Option<f64>,
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
    /// The highest subtotal possible for each criteria group (empty without groups).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub max_subtotals: Vec<f64>,
}

impl Results {
    /// Shortlisted option indices ordered by rank, then by file order
    /// within a tie; options screened out are left out (see [`Results::long_list`]).
    pub fn rank_order(&self) -> Vec<usize> {
        let mut order: Vec<usize> = (0..self.options.len())
            .filter(|&i| !self.options[i].screened_out)
            .collect();
        order.sort_by_key(|&i| (self.options[i].rank, i));
        order
    }

    /// Options screened out, in file order.
    pub fn long_list(&self) -> Vec<usize> {
        (0..self.options.len())
            .filter(|&i| self.options[i].screened_out)
            .collect()
    }

    /// Option `i`'s subtotal for group `g` less the baseline option's,
    /// where there is a baseline.
    pub fn subtotal_vs_baseline(&self, i: usize, g: usize, baseline: usize) -> Option<f64> {
        let own = self.options.get(i)?.subtotals.get(g)?;
        let base = self.options.get(baseline)?.subtotals.get(g)?;
        Some(own - base)
    }

    /// The range of possible totals (highest possible less lowest), which
    /// the tie rule is relative to.
    pub fn span(&self) -> f64 {
        self.max_total - self.min_total
    }

    /// Whether options `a` and `b` have the same total by the one tie rule
    /// ([`TIE`]); false for an index out of range.
    pub fn tied(&self, a: usize, b: usize) -> bool {
        match (self.options.get(a), self.options.get(b)) {
            (Some(x), Some(y)) => same_total(x.total, y.total, self.span()),
            _ => false,
        }
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

/// Totals closer than this share of the range of possible totals are the
/// same total. This is the one tie rule: ranks, leaders, a panel's consensus,
/// the sensitivity analyses and every export decide ties by it (through
/// [`same_total`], [`settle_ties`] and [`competition_ranks`]). Totals that
/// exact arithmetic makes equal can differ in their last bits (0.1 + 0.2
/// against 0.3, or a mean of 5/3 summed as 0 + 0 + 5/3 and 0 + 1/3 + 4/3),
/// while totals that really differ do so by at least one weight times one
/// step, far more than this.
pub const TIE: f64 = 1e-9;

/// How far apart two totals may be and still tie, on a range of possible
/// totals `span` (the highest possible total less the lowest).
pub fn tie_margin(span: f64) -> f64 {
    let span = span.abs();
    TIE * if span.is_finite() && span > 0.0 {
        span
    } else {
        f64::MIN_POSITIVE
    }
}

/// Whether totals `a` and `b` are the same total, by the one tie rule, on a
/// range of possible totals `span`.
pub fn same_total(a: f64, b: f64, span: f64) -> bool {
    (a - b).abs() <= tie_margin(span)
}

/// Gives totals that tie by the one rule (in a run, highest first, each
/// within the margin of the run's first) that first total, so that they are
/// exactly equal. A run is anchored at its first total, so a long chain of
/// near values cannot drift into a tie with a clearly lower one.
pub fn settle_ties(totals: &mut [f64], span: f64) {
    let mut order: Vec<usize> = (0..totals.len()).collect();
    order.sort_by(|&a, &b| totals[b].total_cmp(&totals[a]));
    let margin = tie_margin(span);
    let mut anchor: Option<f64> = None;
    for &i in &order {
        match anchor {
            Some(a) if a - totals[i] <= margin => totals[i] = a,
            _ => anchor = Some(totals[i]),
        }
    }
}

/// Competition ranks of `totals`, highest first, on a range of possible
/// totals `span`; totals that tie by the one rule ([`TIE`]) share the better
/// rank (1, 2, 2, 4).
pub fn competition_ranks(totals: &[f64], span: f64) -> Vec<usize> {
    let mut settled = totals.to_vec();
    settle_ties(&mut settled, span);
    let mut order: Vec<usize> = (0..settled.len()).collect();
    order.sort_by(|&a, &b| settled[b].total_cmp(&settled[a]));
    let mut ranks = vec![0; settled.len()];
    for (pos, &i) in order.iter().enumerate() {
        ranks[i] = if pos > 0 && settled[order[pos - 1]] == settled[i] {
            ranks[order[pos - 1]]
        } else {
            pos + 1
        };
    }
    ranks
}

/// One option's total: the sum over its scored criteria of effective weight
/// × the score as points on the appraisal's scale.
fn option_total(appraisal: &Appraisal, weights: &[f64], o: usize) -> f64 {
    match appraisal.options().get(o) {
        Some(opt) if appraisal.is_flat() => weighted_total(weights, opt.scores()),
        Some(_) => weighted_total(weights, &appraisal.points_row(o)),
        None => 0.0,
    }
}

/// Competition ranks of the shortlisted options; 0 for those screened out.
fn shortlist_ranks(totals: &[f64], shortlisted: &[bool], span: f64) -> Vec<usize> {
    let kept: Vec<usize> = (0..totals.len()).filter(|&i| shortlisted[i]).collect();
    let ranks = competition_ranks(&kept.iter().map(|&i| totals[i]).collect::<Vec<_>>(), span);
    let mut out = vec![0; totals.len()];
    for (&i, r) in kept.iter().zip(ranks) {
        out[i] = r;
    }
    out
}

/// Each group's subtotal for option `o`: the criteria under it, directly
/// or through subgroups, as in the total.
fn subtotals(appraisal: &Appraisal, weights: &[f64], points: &[Option<f64>]) -> Vec<f64> {
    (0..appraisal.groups().len())
        .map(|g| {
            (0..appraisal.criteria().len())
                .filter(|&c| appraisal.in_group(c, g))
                .filter_map(|c| contribution(weights, points, c))
                .sum()
        })
        .collect()
}

/// What criterion `c` adds to a total: its effective weight × its points
/// on the appraisal's scale; `None` where it is not scored.
fn contribution(weights: &[f64], points: &[Option<f64>], c: usize) -> Option<f64> {
    Some(weights.get(c)? * (*points.get(c)?)?)
}

/// What each criterion adds to option `o`'s total, in criterion order
/// (`None` where unscored): the terms of the sum [`compute`] adds up, for
/// tables that show them.
pub fn contributions(appraisal: &Appraisal, o: usize) -> Vec<Option<f64>> {
    let weights = appraisal.weights();
    let points = appraisal.points_row(o);
    (0..appraisal.criteria().len())
        .map(|c| contribution(&weights, &points, c))
        .collect()
}

/// Computes totals, percentages and ranks for every option.
pub fn compute(appraisal: &Appraisal) -> Results {
    let weights = appraisal.weights();
    let scale = appraisal.scale();
    let wsum: f64 = weights.iter().sum();
    let max_total = wsum * scale.max();
    let min_total = wsum * scale.min();
    let span = max_total - min_total;
    let n = appraisal.options().len();
    let totals: Vec<f64> = (0..n)
        .map(|o| option_total(appraisal, &weights, o))
        .collect();
    let shortlisted = appraisal.shortlisted();
    let ranks = shortlist_ranks(&totals, &shortlisted, span);
    let grouped = !appraisal.groups().is_empty();
    let baseline = appraisal.baseline().map(|b| totals[b]);
    let max_points: Vec<Option<f64>> = vec![Some(scale.max()); appraisal.criteria().len()];
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
            screened_out: !shortlisted[i],
            subtotals: if grouped {
                subtotals(appraisal, &weights, &appraisal.points_row(i))
            } else {
                Vec::new()
            },
            vs_baseline: baseline.map(|b| totals[i] - b),
        })
        .collect();
    Results {
        max_total,
        min_total,
        options,
        max_subtotals: if grouped {
            subtotals(appraisal, &weights, &max_points)
        } else {
            Vec::new()
        },
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
    // Measured scores on a local scale, screening and baselines reach
    // other options: recompute them all.
    if !appraisal.is_flat() || appraisal.baseline().is_some() {
        *results = compute(appraisal);
        return;
    }
    let total = weighted_total(&appraisal.weights(), option.scores());
    let span = results.max_total - results.min_total;
    if let Some(r) = results.options.get_mut(o) {
        r.total = total;
        r.percent = 100.0 * (total - results.min_total) / span;
        r.complete = option.is_complete();
    }
    let totals: Vec<f64> = results.options.iter().map(|r| r.total).collect();
    for (r, rank) in results
        .options
        .iter_mut()
        .zip(competition_ranks(&totals, span))
    {
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
    /// The source's rounding hides or reverses the order of some options.
    PublishedRoundingHidesOrder,
    /// The source's rank differs from the computed one.
    PublishedRankMismatch,
    /// The source's percentage differs from the computed one.
    PublishedPercentMismatch,
    /// The source's subtotal for a criteria group differs from the computed one.
    PublishedSubtotalMismatch,
    /// An option has no result yet on a screening test.
    MissingScreening,
}

impl WarningKind {
    /// The stable kebab-case name used in JSON and messages.
    pub fn as_str(self) -> &'static str {
        match self {
            WarningKind::MissingScore => "missing-score",
            WarningKind::PublishedTotalMismatch => "published-total-mismatch",
            WarningKind::PublishedRoundingHidesOrder => "published-rounding-hides-order",
            WarningKind::PublishedRankMismatch => "published-rank-mismatch",
            WarningKind::PublishedPercentMismatch => "published-percent-mismatch",
            WarningKind::PublishedSubtotalMismatch => "published-subtotal-mismatch",
            WarningKind::MissingScreening => "missing-screening",
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
    /// The criterion's id, where the warning is about one cell (or the
    /// group's id for a subtotal, or the screening test's).
    pub criterion: Option<String>,
    /// A sentence saying what is wrong and what to do.
    pub message: String,
}

/// Options whose published total disagrees with the computed one at the
/// precision the source printed it with (see [`crate::model::Published`]):
/// (option index, published, computed).
pub fn reconcile(appraisal: &Appraisal, results: &Results) -> Vec<(usize, f64, f64)> {
    appraisal
        .options()
        .iter()
        .zip(&results.options)
        .filter_map(|(o, r)| {
            let p = o.published()?;
            (!p.agrees_with(r.total)).then_some((r.index, p.value(), r.total))
        })
        .collect()
}

/// Whether every weight is 1, so a total is a plain sum of scores.
fn unweighted(appraisal: &Appraisal) -> bool {
    appraisal.criteria().iter().all(|c| c.weight() == 1.0)
}

/// How an option's total is named beside a published figure: "its scores
/// add up to" where every weight is 1, else "its weighted total is" (the
/// plain scores of a weighted option add up to something else).
pub fn total_phrase(appraisal: &Appraisal) -> &'static str {
    if unweighted(appraisal) {
        "its scores add up to"
    } else {
        "its weighted total is"
    }
}

/// "26", or "3.65 (3.7 to one decimal, as the source prints it)" where the
/// published figure's precision shows the total differently.
fn computed_words(published: &Published, computed: f64) -> String {
    let at = published.rounded(computed);
    let shown = numbers::total(computed);
    if at == shown || at.parse::<f64>().ok() == shown.parse::<f64>().ok() {
        shown
    } else {
        let precision = match published.decimals() {
            0 => "to the nearest whole number".to_string(),
            1 => "to one decimal".to_string(),
            d => format!("to {d} decimals"),
        };
        format!("{shown} ({at} {precision}, as the source prints it)")
    }
}

/// The sentence for an option whose published total disagrees, as warnings
/// and the scoring screen say it.
pub fn mismatch_sentence(appraisal: &Appraisal, results: &Results, i: usize) -> Option<String> {
    let o = appraisal.options().get(i)?;
    let p = o.published()?;
    let computed = results.options.get(i)?.total;
    Some(format!(
        "{} has a published total of {} but {} {}",
        o.name(),
        p.text(),
        total_phrase(appraisal),
        computed_words(&p, computed)
    ))
}

/// The note an export puts under a table whose total disagrees with the
/// published one, saying which figure the table shows.
pub fn mismatch_note(appraisal: &Appraisal, results: &Results, i: usize) -> Option<String> {
    let o = appraisal.options().get(i)?;
    let p = o.published()?;
    let computed = results.options.get(i)?.total;
    let (gives, shown) = if unweighted(appraisal) {
        (
            "the scores recorded for it add up to",
            "the sum of the scores",
        )
    } else {
        (
            "its weighted total from the scores recorded is",
            "the weighted total",
        )
    };
    Some(format!(
        "{}: the source document gives a total of {}, but {gives} {}. The total shown is {shown}.",
        o.name(),
        p.text(),
        computed_words(&p, computed)
    ))
}

/// Totals with as many decimals (two to six, all alike) as different totals
/// need to read differently: 6.00 and 5.95.
fn distinct_totals(values: &[f64]) -> Vec<String> {
    let mut dp = 2;
    loop {
        let texts: Vec<String> = values.iter().map(|&v| numbers::fixed(v, dp)).collect();
        let clash = values.iter().enumerate().any(|(a, &x)| {
            values
                .iter()
                .enumerate()
                .any(|(b, &y)| a != b && x != y && texts[a] == texts[b])
        });
        if !clash || dp >= 6 {
            return texts;
        }
        dp += 1;
    }
}

/// Where the rounding of published figures hides or reverses the order of
/// options whose figures agree with their totals: (option to point at, sentence).
pub fn rounding_notes(appraisal: &Appraisal, results: &Results) -> Vec<(usize, String)> {
    let span = results.span();
    let agreeing: Vec<(usize, Published, f64)> = appraisal
        .options()
        .iter()
        .zip(&results.options)
        .filter_map(|(o, r)| {
            let p = o.published()?;
            p.agrees_with(r.total).then_some((r.index, p, r.total))
        })
        .collect();
    let name = |i: usize| appraisal.options()[i].name().to_string();
    let mut out = Vec::new();
    // Options printed with the same figure but with different totals.
    let mut seen = vec![false; agreeing.len()];
    for a in 0..agreeing.len() {
        if seen[a] {
            continue;
        }
        let mut group: Vec<&(usize, Published, f64)> = agreeing
            .iter()
            .enumerate()
            .filter(|(b, x)| *b >= a && x.1.value() == agreeing[a].1.value())
            .map(|(b, x)| {
                seen[b] = true;
                x
            })
            .collect();
        let spread = group
            .iter()
            .map(|x| x.2)
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), t| {
                (lo.min(t), hi.max(t))
            });
        if group.len() < 2 || same_total(spread.1, spread.0, span) {
            continue;
        }
        group.sort_by(|x, y| y.2.total_cmp(&x.2).then(x.0.cmp(&y.0)));
        let figure = agreeing[a].1.text();
        let totals = distinct_totals(&group.iter().map(|x| x.2).collect::<Vec<_>>());
        let at = group.iter().map(|x| x.0).max().unwrap_or(agreeing[a].0);
        let text = if group.len() == 2 {
            format!(
                "{} and {} were both published as {figure}, but {}'s total ({}) is ahead of {}'s ({}); the rounding in the source hides the order",
                name(group[0].0),
                name(group[1].0),
                name(group[0].0),
                totals[0],
                name(group[1].0),
                totals[1]
            )
        } else {
            let listed: Vec<String> = group
                .iter()
                .zip(&totals)
                .map(|(x, t)| format!("{} {t}", name(x.0)))
                .collect();
            let names: Vec<String> = group.iter().map(|x| name(x.0)).collect();
            format!(
                "{} were all published as {figure}, but their totals differ ({}); the rounding in the source hides the order",
                numbers::join_and(&names),
                listed.join(", ")
            )
        };
        out.push((at, text));
    }
    // Figures printed in one order whose totals run the other way (possible
    // when the figures were printed with different precisions).
    for x in &agreeing {
        for y in &agreeing {
            if x.1.value() > y.1.value() && x.2 < y.2 && !same_total(x.2, y.2, span) {
                let totals = distinct_totals(&[y.2, x.2]);
                out.push((
                    x.0.max(y.0),
                    format!(
                        "{} was published as {}, ahead of {} at {}, but {}'s total ({}) is higher than {}'s ({}); the rounding in the source reverses the order",
                        name(x.0),
                        x.1.text(),
                        name(y.0),
                        y.1.text(),
                        name(y.0),
                        totals[0],
                        name(x.0),
                        totals[1]
                    ),
                ));
            }
        }
    }
    out
}

/// The criteria `option` still has no score (or value) for, each a
/// `missing-score` warning; none for an option screened out, which is not
/// scored.
pub fn unscored<'a>(
    appraisal: &'a Appraisal,
    option: &'a crate::model::AppraisalOption,
) -> impl Iterator<Item = usize> + 'a {
    let n = if option.screened_out() {
        0
    } else {
        appraisal.criteria().len()
    };
    (0..n).filter(|&c| option.score(c).is_none())
}

/// Every warning for the appraisal: unscored cells, then published totals
/// that disagree, then published figures whose rounding hides an order.
pub fn warnings(appraisal: &Appraisal, results: &Results) -> Vec<Warning> {
    let mut out = Vec::new();
    for o in appraisal.options() {
        for c in unscored(appraisal, o) {
            let crit = &appraisal.criteria()[c];
            let what = if crit.measure().is_some() {
                "value"
            } else {
                "score"
            };
            out.push(Warning {
                kind: WarningKind::MissingScore,
                option: o.id().to_string(),
                criterion: Some(crit.id().to_string()),
                message: format!(
                    "{} has no {what} for {} yet; its total counts only the criteria that are scored",
                    o.name(),
                    crit.name()
                ),
            });
        }
        for (s, screen) in appraisal.screens().iter().enumerate() {
            if o.screening().get(s).is_none_or(Option::is_none) {
                out.push(Warning {
                    kind: WarningKind::MissingScreening,
                    option: o.id().to_string(),
                    criterion: Some(screen.id().to_string()),
                    message: format!(
                        "{} has no result yet for the screening test {}; until it has, it stays on the shortlist",
                        o.name(),
                        screen.name()
                    ),
                });
            }
        }
    }
    for (i, _, _) in reconcile(appraisal, results) {
        let Some(sentence) = mismatch_sentence(appraisal, results, i) else {
            continue;
        };
        out.push(Warning {
            kind: WarningKind::PublishedTotalMismatch,
            option: appraisal.options()[i].id().to_string(),
            criterion: None,
            message: format!("{sentence}; check the scores or correct the published figure"),
        });
    }
    for (i, message) in rounding_notes(appraisal, results) {
        out.push(Warning {
            kind: WarningKind::PublishedRoundingHidesOrder,
            option: appraisal.options()[i].id().to_string(),
            criterion: None,
            message,
        });
    }
    out.extend(published_figures(appraisal, results));
    out
}

/// Published ranks, percentages and group subtotals that disagree with the
/// computed ones, each at the precision the source printed it with.
pub fn published_figures(appraisal: &Appraisal, results: &Results) -> Vec<Warning> {
    let mut out = Vec::new();
    for (o, r) in appraisal.options().iter().zip(&results.options) {
        let id = o.id().to_string();
        if let Some(rank) = o.published_rank {
            let message = if r.screened_out {
                Some(format!(
                    "{} has a published rank of {rank} but is screened out, so it is not ranked",
                    o.name()
                ))
            } else if rank as usize != r.rank {
                Some(format!(
                    "{} has a published rank of {rank} but ranks {} on its total; check the scores or correct the published rank",
                    o.name(),
                    r.rank
                ))
            } else {
                None
            };
            if let Some(message) = message {
                out.push(Warning {
                    kind: WarningKind::PublishedRankMismatch,
                    option: id.clone(),
                    criterion: None,
                    message,
                });
            }
        }
        if let Some(p) = o.published_percent
            && !p.agrees_with(r.percent)
        {
            out.push(Warning {
                kind: WarningKind::PublishedPercentMismatch,
                option: id.clone(),
                criterion: None,
                message: format!(
                    "{} has a published percentage of {} but its total is {} of the possible range{}; check the scores or correct the published figure",
                    o.name(),
                    p.text(),
                    numbers::share(r.percent / 100.0),
                    {
                        let at = p.rounded(r.percent);
                        if format!("{at}%") == numbers::share(r.percent / 100.0) {
                            String::new()
                        } else {
                            format!(" ({at}% as the source prints figures)")
                        }
                    }
                ),
            });
        }
        for (g, p) in o.published_subtotals() {
            let Some(&computed) = r.subtotals.get(*g) else {
                continue;
            };
            if !p.agrees_with(computed) {
                let group = &appraisal.groups()[*g];
                out.push(Warning {
                    kind: WarningKind::PublishedSubtotalMismatch,
                    option: id.clone(),
                    criterion: Some(group.id().to_string()),
                    message: format!(
                        "{} has a published subtotal for {} of {} but its subtotal is {}; check the scores or correct the published figure",
                        o.name(),
                        group.name(),
                        p.text(),
                        computed_words(p, computed)
                    ),
                });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ties_share_the_better_rank() {
        assert_eq!(
            competition_ranks(&[10.0, 20.0, 20.0, 5.0], 40.0),
            vec![3, 1, 1, 4]
        );
        assert_eq!(competition_ranks(&[3.0, 3.0, 3.0], 40.0), vec![1, 1, 1]);
        assert_eq!(competition_ranks(&[], 40.0), Vec::<usize>::new());
    }

    #[test]
    fn totals_equal_in_exact_arithmetic_tie_by_the_one_rule() {
        // 0.1 + 0.2 is 0.30000000000000004 in binary, 0.3 is 0.3.
        let noisy: f64 = 0.1 + 0.2;
        assert_ne!(noisy, 0.3, "the case needs binary noise");
        assert!(same_total(noisy, 0.3, 3.0));
        assert_eq!(competition_ranks(&[0.3, noisy, 0.0], 3.0), [1, 1, 3]);
        // 0 + 0 + 5/3 and 0 + 1/3 + 4/3.
        let a: f64 = 0.0 + 0.0 + 5.0 / 3.0;
        let b: f64 = 0.0 + 1.0 / 3.0 + 4.0 / 3.0;
        assert_ne!(a, b, "the case needs binary noise");
        let mut totals = vec![b, a, 1.0];
        settle_ties(&mut totals, 5.0);
        assert_eq!(totals[0], totals[1]);
        assert_eq!(competition_ranks(&[b, a, 1.0], 5.0), [1, 1, 3]);
        // Totals that really differ, even by a millionth of a point, keep their order.
        assert_eq!(competition_ranks(&[1.0, 1.0 + 1e-6, 0.5], 5.0), [2, 1, 3]);
        assert!(!same_total(1.0, 1.0 + 1e-6, 5.0));
        // A run is anchored at its first total: a chain of near values does not drift.
        let m = tie_margin(1.0);
        let chain = [1.0, 1.0 - 0.6 * m, 1.0 - 1.2 * m];
        assert_eq!(competition_ranks(&chain, 1.0), [1, 1, 3]);
        // A zero or non-finite range still gives a usable margin.
        assert!(same_total(0.0, 0.0, 0.0));
        assert!(!same_total(0.0, 1e-300, f64::NAN));
    }

    #[test]
    fn an_appraisal_with_noisy_equal_totals_ranks_them_together() {
        // Weights 0.1, 0.2, 0.3: A scores (0, 0, 1) = 0.3, B (1, 1, 0) = 0.1 + 0.2.
        let text = "[appraisal]\ntitle = \"Noise\"\n\n[scale]\nmin = 0\nmax = 5\n\n\
            [[criteria]]\nid = \"x\"\nname = \"Ex\"\nweight = 0.1\n\n\
            [[criteria]]\nid = \"y\"\nname = \"Why\"\nweight = 0.2\n\n\
            [[criteria]]\nid = \"z\"\nname = \"Zed\"\nweight = 0.3\n\n\
            [[options]]\nid = \"a\"\nname = \"A\"\nscores = { x = 0, y = 0, z = 1 }\n\n\
            [[options]]\nid = \"b\"\nname = \"B\"\nscores = { x = 1, y = 1, z = 0 }\n";
        let a = crate::load::load_str("noise.toml", text)
            .expect("valid")
            .appraisal;
        let mut r = compute(&a);
        assert_ne!(
            r.options[0].total, r.options[1].total,
            "the case needs binary noise"
        );
        assert_eq!((r.options[0].rank, r.options[1].rank), (1, 1));
        assert_eq!(r.leaders(), [0, 1]);
        assert!(r.tied(0, 1));
        // Recomputing one option ranks by the same rule.
        recompute_option(&mut r, &a, 1);
        assert_eq!((r.options[0].rank, r.options[1].rank), (1, 1));
    }

    #[test]
    fn unscored_cells_count_nothing() {
        assert_eq!(
            weighted_total(&[1.0, 2.0, 3.0], &[Some(4.0), None, Some(1.0)]),
            7.0
        );
    }
}
