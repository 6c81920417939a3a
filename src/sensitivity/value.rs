//! Value for money: where an appraisal has a cost (a measured criterion
//! marked `cost = true`), each option's benefit (its total without the
//! cost criterion) against its cost; the options another beats on both
//! (dominated); the efficient frontier; and what each step along the
//! frontier costs per extra point of benefit. The rules are in
//! `docs/methods.md`, "Value for money".

use serde::Serialize;

use crate::compute::weighted_total;
use crate::model::Appraisal;

/// One option's cost and benefit.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OptionValue {
    /// The option, by index among the options analysed (the shortlist).
    pub option: usize,
    /// Its raw cost, in the cost criterion's unit; `None` when not given.
    pub cost: Option<f64>,
    /// Its weighted total over every criterion but the cost.
    pub benefit: f64,
    /// The option that dominates it (cheaper or as cheap, and at least as
    /// good, better in one): the cheapest such, then the best, then the
    /// first listed. `None` when nothing dominates it.
    pub dominated_by: Option<usize>,
    /// Whether it is on the efficient frontier.
    pub efficient: bool,
}

/// One step along the frontier, from a cheaper option to the next.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FrontierStep {
    /// The cheaper option.
    pub from: usize,
    /// The next option along the frontier.
    pub to: usize,
    /// How much more it costs.
    pub extra_cost: f64,
    /// How many more benefit points it gives.
    pub extra_benefit: f64,
    /// Extra cost per extra benefit point; `None` when both are the same.
    pub cost_per_point: Option<f64>,
}

/// The value-for-money analysis.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ValueForMoney {
    /// The cost criterion, by index.
    pub cost_criterion: usize,
    /// Its unit, such as "£m".
    pub unit: Option<String>,
    /// The most benefit an option could score (every other criterion at
    /// the scale's maximum).
    pub benefit_max: f64,
    /// The least (every other criterion at the scale's minimum).
    pub benefit_min: f64,
    /// Every option analysed, in order.
    pub options: Vec<OptionValue>,
    /// The efficient options, cheapest first (equal costs: least benefit first).
    pub frontier: Vec<usize>,
    /// Each step between successive frontier options.
    pub steps: Vec<FrontierStep>,
}

impl ValueForMoney {
    /// A cost with its unit, as derivations show it ("£8m", "12 months").
    pub fn with_unit(&self, raw: f64) -> String {
        crate::model::value_fn::with_unit(self.unit.as_deref(), raw)
    }
}

/// The analysis for `original` (the appraisal as written, which holds the
/// raw costs) and `analysed` (its [`Appraisal::for_analysis`], whose
/// options are the shortlist in the same order); `None` without a cost.
pub fn value_for_money(original: &Appraisal, analysed: &Appraisal) -> Option<ValueForMoney> {
    let cost = original.criteria().iter().position(|c| c.is_cost())?;
    let unit = original.criteria()[cost]
        .measure()
        .and_then(|m| m.unit.clone());
    let costs: Vec<Option<f64>> = original
        .options()
        .iter()
        .filter(|o| !o.screened_out())
        .map(|o| o.measure(cost))
        .collect();
    if costs.len() != analysed.options().len() {
        return None;
    }
    let mut weights = analysed.weights();
    if let Some(w) = weights.get_mut(cost) {
        *w = 0.0;
    }
    let rest: f64 = weights.iter().sum();
    let scale = analysed.scale();
    let benefits: Vec<f64> = analysed
        .options()
        .iter()
        .map(|o| weighted_total(&weights, o.scores()))
        .collect();
    Some(assess(
        cost,
        unit,
        (rest * scale.min(), rest * scale.max()),
        &costs,
        &benefits,
    ))
}

/// Dominance, frontier and steps for given costs and benefits.
pub fn assess(
    cost_criterion: usize,
    unit: Option<String>,
    (benefit_min, benefit_max): (f64, f64),
    costs: &[Option<f64>],
    benefits: &[f64],
) -> ValueForMoney {
    let n = costs.len().min(benefits.len());
    // k dominates i: no dearer, no worse, and better in one.
    let dominates = |k: usize, i: usize| match (costs[k], costs[i]) {
        (Some(ck), Some(ci)) => {
            ck <= ci && benefits[k] >= benefits[i] && (ck < ci || benefits[k] > benefits[i])
        }
        _ => false,
    };
    let options: Vec<OptionValue> = (0..n)
        .map(|i| {
            let dominated_by = (0..n)
                .filter(|&k| k != i && dominates(k, i))
                .min_by(|&x, &y| {
                    let (cx, cy) = (costs[x].unwrap_or(0.0), costs[y].unwrap_or(0.0));
                    cx.total_cmp(&cy)
                        .then(benefits[y].total_cmp(&benefits[x]))
                        .then(x.cmp(&y))
                });
            OptionValue {
                option: i,
                cost: costs[i],
                benefit: benefits[i],
                dominated_by,
                efficient: costs[i].is_some() && dominated_by.is_none(),
            }
        })
        .collect();
    let mut frontier: Vec<usize> = options
        .iter()
        .filter(|o| o.efficient)
        .map(|o| o.option)
        .collect();
    frontier.sort_by(|&x, &y| {
        let (cx, cy) = (costs[x].unwrap_or(0.0), costs[y].unwrap_or(0.0));
        cx.total_cmp(&cy)
            .then(benefits[x].total_cmp(&benefits[y]))
            .then(x.cmp(&y))
    });
    let steps = frontier
        .windows(2)
        .map(|w| {
            let (a, b) = (w[0], w[1]);
            let extra_cost = costs[b].unwrap_or(0.0) - costs[a].unwrap_or(0.0);
            let extra_benefit = benefits[b] - benefits[a];
            FrontierStep {
                from: a,
                to: b,
                extra_cost,
                extra_benefit,
                cost_per_point: (extra_benefit > 0.0).then(|| extra_cost / extra_benefit),
            }
        })
        .collect();
    ValueForMoney {
        cost_criterion,
        unit,
        benefit_max,
        benefit_min,
        options,
        frontier,
        steps,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(costs: &[Option<f64>], benefits: &[f64]) -> ValueForMoney {
        assess(0, Some("£m".into()), (0.0, 100.0), costs, benefits)
    }

    #[test]
    fn dominance_and_the_frontier_by_hand() {
        // A £2m 40, B £3m 55, C £4m 50 (B is cheaper and better), D £5m 70,
        // E £3m 55 (B's twin: neither dominates the other), F no cost.
        let v = run(
            &[Some(2.0), Some(3.0), Some(4.0), Some(5.0), Some(3.0), None],
            &[40.0, 55.0, 50.0, 70.0, 55.0, 90.0],
        );
        let by: Vec<Option<usize>> = v.options.iter().map(|o| o.dominated_by).collect();
        assert_eq!(by, [None, None, Some(1), None, None, None]);
        assert_eq!(v.frontier, [0, 1, 4, 3]);
        assert!(!v.options[5].efficient, "no cost, no place on the frontier");
        let s = &v.steps;
        assert_eq!((s[0].from, s[0].to), (0, 1));
        // £1m for 15 points; nothing for nothing; £2m for 15 points.
        assert!((s[0].cost_per_point.unwrap() - 1.0 / 15.0).abs() < 1e-15);
        assert_eq!(s[1].cost_per_point, None);
        assert!((s[2].cost_per_point.unwrap() - 2.0 / 15.0).abs() < 1e-15);
    }

    #[test]
    fn equal_cost_and_more_benefit_dominates() {
        let v = run(&[Some(3.0), Some(3.0)], &[50.0, 60.0]);
        assert_eq!(v.options[0].dominated_by, Some(1));
        assert_eq!(v.frontier, [1]);
        assert!(v.steps.is_empty());
    }

    #[test]
    fn the_cheapest_dominator_is_named() {
        // A is beaten by B (£2m, 60) and by C (£1m, 55): C is named.
        let v = run(&[Some(3.0), Some(2.0), Some(1.0)], &[50.0, 60.0, 55.0]);
        assert_eq!(v.options[0].dominated_by, Some(2));
        assert_eq!(v.frontier, [2, 1]);
    }
}
