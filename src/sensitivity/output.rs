//! The sensitivity JSON document.
//!
//! The JSON uses ids, not indices, and `null` where a value does not exist;
//! maps keyed by id keep the appraisal's file order. The schema is in
//! `docs/methods.md`.

use serde::ser::{Serialize, SerializeMap, Serializer};

use super::Sensitivity;
use super::scores::Direction;
use super::smaa::WeightModel;
use super::statements::statements;
use crate::model::Appraisal;

/// A JSON object whose keys keep the order they were added in.
#[derive(Debug, Clone, PartialEq)]
pub struct Ordered<V>(pub Vec<(String, V)>);

impl<V: Serialize> Serialize for Ordered<V> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

/// The whole JSON document of `appraise sensitivity --format json`.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Document {
    /// The appraisal's title.
    pub title: String,
    /// The leader analysed (first in file order if several tie).
    pub leader: String,
    /// Every option ranked first now.
    pub leaders: Vec<String>,
    /// True when some cells are unscored.
    pub provisional: bool,
    /// One-way weight sensitivity per criterion.
    pub weights: Vec<WeightEntry>,
    /// Score robustness.
    pub scores: ScoresEntry,
    /// Leave-one-criterion-out rankings.
    pub leave_one_out: Vec<LeaveOutEntry>,
    /// Group-level analyses; absent when the criteria have no groups.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub groups: Option<GroupsEntry>,
    /// Monte Carlo results; null when no Monte Carlo run was asked for.
    pub monte_carlo: Option<MonteCarloEntry>,
    /// Value for money; absent when no criterion is the cost.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value_for_money: Option<ValueEntry>,
    /// The plain-English statements.
    pub statements: Vec<String>,
}

/// One criterion's weight sensitivity.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct WeightEntry {
    /// Criterion id.
    pub criterion: String,
    /// Its share of the total weight and how far it can move.
    #[serde(flatten)]
    pub stability: StabilityEntry,
}

/// How far a share (of the total weight, or of a group's) can move before
/// the leader changes, keyed by option ids.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct StabilityEntry {
    /// The share now (0-1).
    pub share: f64,
    /// Lowest share at which the leader is still first.
    pub stable_from: f64,
    /// Highest share at which the leader is still first.
    pub stable_to: f64,
    /// Who leads just below `stable_from`, or null.
    pub below: Option<String>,
    /// Who leads just above `stable_to`, or null.
    pub above: Option<String>,
    /// True when the others sharing the weight have none, and so share the rest equally.
    pub others_shared_equally: bool,
    /// Who leads where as the share runs from 0 to 1.
    pub segments: Vec<SegmentEntry>,
    /// Each option's total as a line in the share.
    pub lines: Vec<LineEntry>,
    /// Every share where two charted options change order.
    pub swaps: Vec<SwapEntry>,
}

impl StabilityEntry {
    /// `cs` with options named by `oid`, swaps among the options charted
    /// for the ranking `rank_order`.
    fn of(
        cs: &super::CriterionSensitivity,
        rank_order: &[usize],
        oid: &dyn Fn(usize) -> String,
    ) -> StabilityEntry {
        StabilityEntry {
            share: cs.share,
            stable_from: cs.stable_from,
            stable_to: cs.stable_to,
            below: cs.below.map(oid),
            above: cs.above.map(oid),
            others_shared_equally: cs.others_shared_equally,
            segments: cs
                .segments
                .iter()
                .map(|g| SegmentEntry {
                    from: g.from,
                    to: g.to,
                    leader: oid(g.leader),
                })
                .collect(),
            lines: cs
                .lines
                .iter()
                .map(|l| LineEntry {
                    option: oid(l.option),
                    at_zero: l.at_zero,
                    at_one: l.at_one,
                    slope: l.slope,
                })
                .collect(),
            swaps: cs
                .swap_points_among(&cs.chart_options(rank_order, super::CHART_OPTIONS))
                .iter()
                .map(|w| SwapEntry {
                    share: w.share,
                    ahead_below: oid(w.ahead_below),
                    ahead_above: oid(w.ahead_above),
                })
                .collect(),
        }
    }
}

/// A stretch of shares with one leader.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct SegmentEntry {
    /// Start share.
    pub from: f64,
    /// End share.
    pub to: f64,
    /// Option id.
    pub leader: String,
}

/// An option's total as a line: `total(p) = at_zero + slope * p`.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct LineEntry {
    /// Option id.
    pub option: String,
    /// Total at share 0.
    pub at_zero: f64,
    /// Total at share 1.
    pub at_one: f64,
    /// Gain per unit of share.
    pub slope: f64,
}

/// Two options changing order.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct SwapEntry {
    /// The share where their totals are equal.
    pub share: f64,
    /// Option ahead below it.
    pub ahead_below: String,
    /// Option ahead above it.
    pub ahead_above: String,
}

/// Score robustness.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ScoresEntry {
    /// The leader analysed.
    pub leader: String,
    /// Fewest single-step changes letting any option draw level, or null.
    pub min_steps_to_tie: Option<u32>,
    /// The option that needs them, or null.
    pub tie_challenger: Option<String>,
    /// Fewest single-step changes letting any option overtake, or null.
    pub min_steps_to_overtake: Option<u32>,
    /// The option that needs them, or null.
    pub challenger: Option<String>,
    /// The changes that would let `challenger` overtake.
    pub changes: Vec<ChangeEntry>,
    /// Every challenger.
    pub challengers: Vec<ChallengerEntry>,
}

/// One cell's change of score.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ChangeEntry {
    /// Option id.
    pub option: String,
    /// Criterion id.
    pub criterion: String,
    /// "down" (the leader) or "up" (the challenger).
    pub direction: Direction,
    /// Scale steps moved.
    pub steps: u32,
    /// Score now.
    pub from: f64,
    /// Score after.
    pub to: f64,
}

/// One challenger's distance from the leader.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ChallengerEntry {
    /// Option id.
    pub challenger: String,
    /// Leader's total minus this option's.
    pub gap: f64,
    /// Fewest changes to draw level, or null.
    pub steps_to_tie: Option<u32>,
    /// Fewest changes to overtake, or null.
    pub steps_to_overtake: Option<u32>,
}

/// The ranking with one criterion left out.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct LeaveOutEntry {
    /// Criterion id left out.
    pub criterion: String,
    /// The ranking without it.
    #[serde(flatten)]
    pub ranked: RerankedEntry,
}

/// A ranking with a criterion or a group left out, keyed by option ids.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct RerankedEntry {
    /// The first-ranked option (first in file order if tied).
    pub leader: String,
    /// Every option ranked first.
    pub leaders: Vec<String>,
    /// Option ids by rank.
    pub ranking: Vec<String>,
    /// Competition ranks in `ranking` order.
    pub ranks: Vec<usize>,
    /// Options whose rank changes.
    pub moved: Vec<MoveEntry>,
    /// True when no weight is left without what was left out.
    pub no_weight_left: bool,
}

impl RerankedEntry {
    /// `r` with options named by `oid`.
    fn of(r: &super::Reranked, oid: &dyn Fn(usize) -> String) -> RerankedEntry {
        RerankedEntry {
            leader: r.leaders.first().map_or(String::new(), |&i| oid(i)),
            leaders: r.leaders.iter().map(|&i| oid(i)).collect(),
            ranking: r.ranking.iter().map(|&i| oid(i)).collect(),
            ranks: r.ranking.iter().map(|&i| r.ranks[i]).collect(),
            moved: r
                .moved
                .iter()
                .map(|mv| MoveEntry {
                    option: oid(mv.option),
                    from: mv.from,
                    to: mv.to,
                })
                .collect(),
            no_weight_left: r.no_weight_left,
        }
    }
}

/// An option's change of rank.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct MoveEntry {
    /// Option id.
    pub option: String,
    /// Rank with every criterion.
    pub from: usize,
    /// Rank with the criterion left out.
    pub to: usize,
}

/// Monte Carlo results keyed by option id.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct MonteCarloEntry {
    /// Number of samples.
    pub samples: u64,
    /// Seed.
    pub seed: u64,
    /// How weights were varied: "uniform" or "spread".
    pub weights: &'static str,
    /// For "spread", the half-width in percent of each base weight; otherwise null.
    pub weight_spread_percent: Option<f64>,
    /// Score perturbation half-width in scale steps (0 for none).
    pub score_spread_steps: f64,
    /// With criteria groups, "level" (uniform shares at each level of the
    /// tree) or "flat" (uniform over the effective weights); absent without groups.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hierarchy: Option<&'static str>,
    /// Criterion ids whose weights were varied.
    pub sampled_criteria: Vec<String>,
    /// What the panel agrees on about the weights, assumed by the run
    /// (empty for any weighting at all).
    pub constraints: Vec<super::constraints::ConstraintEntry>,
    /// How the weights were sampled, with hit-and-run's mixing diagnostics.
    pub sampler: super::Sampler,
    /// Ids of the measured criteria whose raw values were drawn from the
    /// ranges the file gives (uniform from low to high, triangular through
    /// a likely value); absent when none were.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub drawn_ranges: Vec<String>,
    /// b_i^r per option: share of samples at rank 1, 2, ...
    pub acceptability: Ordered<Vec<f64>>,
    /// Standard errors of the acceptabilities.
    pub acceptability_se: Ordered<Vec<f64>>,
    /// Central weight vectors (normalised), or null if never first.
    pub central_weights: Ordered<Option<Ordered<f64>>>,
    /// Standard errors of the central weights.
    pub central_weights_se: Ordered<Option<Ordered<f64>>>,
    /// Confidence factors, or null without central weights.
    pub confidence: Ordered<Option<f64>>,
    /// Standard errors of the confidence factors.
    pub confidence_se: Ordered<Option<f64>>,
}

/// Builds the JSON document.
pub fn document(appraisal: &Appraisal, s: &Sensitivity) -> Document {
    let oid = |i: usize| {
        appraisal
            .options()
            .get(i)
            .map_or(String::new(), |o| o.id().to_string())
    };
    let cid = |k: usize| {
        appraisal
            .criteria()
            .get(k)
            .map_or(String::new(), |c| c.id().to_string())
    };
    let e = &s.exact;
    let rank_order = e.results.rank_order();
    let weights = e
        .weights
        .iter()
        .map(|cs| WeightEntry {
            criterion: cid(cs.criterion),
            stability: StabilityEntry::of(cs, &rank_order, &oid),
        })
        .collect();
    let sr = &e.scores;
    let scores = ScoresEntry {
        leader: oid(sr.leader),
        min_steps_to_tie: sr.min_steps_to_tie,
        tie_challenger: sr.tie_challenger.map(oid),
        min_steps_to_overtake: sr.min_steps_to_overtake,
        challenger: sr.challenger.map(oid),
        changes: sr
            .easiest()
            .map(|c| {
                c.overtake_changes
                    .iter()
                    .map(|x| ChangeEntry {
                        option: oid(x.option),
                        criterion: cid(x.criterion),
                        direction: x.direction,
                        steps: x.steps,
                        from: x.from,
                        to: x.to,
                    })
                    .collect()
            })
            .unwrap_or_default(),
        challengers: sr
            .challenges
            .iter()
            .map(|c| ChallengerEntry {
                challenger: oid(c.challenger),
                gap: c.gap,
                steps_to_tie: c.steps_to_tie,
                steps_to_overtake: c.steps_to_overtake,
            })
            .collect(),
    };
    let leave_one_out = e
        .leave_one_out
        .iter()
        .map(|l| LeaveOutEntry {
            criterion: cid(l.criterion),
            ranked: RerankedEntry::of(l, &oid),
        })
        .collect();
    let monte_carlo = s
        .smaa
        .as_ref()
        .map(|m| monte_carlo(appraisal, m, &oid, &cid));
    let results = &e.results;
    Document {
        title: appraisal.meta.title.clone(),
        leader: oid(sr.leader),
        leaders: results.leaders().into_iter().map(oid).collect(),
        provisional: appraisal.options().iter().any(|o| !o.is_complete()),
        weights,
        scores,
        leave_one_out,
        groups: s
            .groups
            .as_ref()
            .map(|g| groups_entry(appraisal, g, &rank_order, &oid)),
        monte_carlo,
        value_for_money: s
            .value
            .as_ref()
            .map(|v| value_entry(appraisal, v, &oid, &cid)),
        statements: statements(appraisal, s)
            .into_iter()
            .map(|st| st.text)
            .collect(),
    }
}

/// The group-level analyses, keyed by group and criterion ids.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct GroupsEntry {
    /// Every group, in file order.
    pub tree: Vec<TreeEntry>,
    /// Weight stability of every group, and of every criterion within its group.
    pub weights: Vec<MemberEntry>,
    /// The ranking with each group left out, in file order.
    pub leave_one_out: Vec<GroupOutEntry>,
}

/// One group of the tree.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct TreeEntry {
    /// Group id.
    pub group: String,
    /// Its name.
    pub name: String,
    /// The group it sits in, or null at the top level.
    pub parent: Option<String>,
    /// Its weight as written.
    pub weight: f64,
    /// Its share of its parent's weight (of the total at the top level).
    pub share_of_parent: f64,
    /// Its effective share of the total weight.
    pub share: f64,
}

/// One member's weight stability within its parent.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct MemberEntry {
    /// The group's or criterion's id.
    pub member: String,
    /// "group" or "criterion".
    pub kind: &'static str,
    /// The group whose weight it shares; null for the total weight.
    pub parent: Option<String>,
    /// That group's share of the total weight (1 at the top level).
    pub parent_share: f64,
    /// Its share of the parent's weight and how far it can move.
    #[serde(flatten)]
    pub stability: StabilityEntry,
}

/// The ranking with one group left out.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct GroupOutEntry {
    /// Group id left out.
    pub group: String,
    /// The ranking without it.
    #[serde(flatten)]
    pub ranked: RerankedEntry,
}

/// Value for money, keyed by option ids.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ValueEntry {
    /// The criterion that is the cost.
    pub cost_criterion: String,
    /// Its unit, or null.
    pub unit: Option<String>,
    /// The least benefit possible.
    pub benefit_min: f64,
    /// The most benefit possible.
    pub benefit_max: f64,
    /// Every option, in order.
    pub options: Vec<ValueOptionEntry>,
    /// The efficient options, cheapest first.
    pub frontier: Vec<String>,
    /// Each step between successive frontier options.
    pub steps: Vec<StepEntry>,
}

/// One option's cost and benefit.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ValueOptionEntry {
    /// Option id.
    pub option: String,
    /// Raw cost, or null when none is recorded.
    pub cost: Option<f64>,
    /// The weighted total without the cost criterion.
    pub benefit: f64,
    /// The option that dominates it, or null.
    pub dominated_by: Option<String>,
    /// Whether it is on the efficient frontier.
    pub efficient: bool,
}

/// One step along the frontier.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct StepEntry {
    /// The cheaper option.
    pub from: String,
    /// The next option along the frontier.
    pub to: String,
    /// Extra cost.
    pub extra_cost: f64,
    /// Extra benefit points.
    pub extra_benefit: f64,
    /// Extra cost per extra benefit point, or null when both are equal.
    pub cost_per_point: Option<f64>,
}

fn groups_entry(
    appraisal: &Appraisal,
    g: &super::groups::GroupAnalysis,
    rank_order: &[usize],
    oid: &dyn Fn(usize) -> String,
) -> GroupsEntry {
    use super::groups::Member;
    let tree = &g.tree;
    let gid = |k: usize| tree.groups.get(k).map_or(String::new(), |x| x.id.clone());
    GroupsEntry {
        tree: tree
            .groups
            .iter()
            .enumerate()
            .map(|(k, x)| TreeEntry {
                group: x.id.clone(),
                name: x.name.clone(),
                parent: x.parent.map(gid),
                weight: x.weight,
                share_of_parent: tree.local_share(Member::Group(k)),
                share: g.group_shares.get(k).copied().unwrap_or(0.0),
            })
            .collect(),
        weights: g
            .weights
            .iter()
            .map(|m| MemberEntry {
                member: tree.id(m.member, appraisal),
                kind: match m.member {
                    Member::Group(_) => "group",
                    Member::Criterion(_) => "criterion",
                },
                parent: m.parent.map(gid),
                parent_share: m.parent_share,
                stability: StabilityEntry::of(&m.within, rank_order, &oid),
            })
            .collect(),
        leave_one_out: g
            .leave_one_out
            .iter()
            .map(|l| GroupOutEntry {
                group: gid(l.group),
                ranked: RerankedEntry::of(l, &oid),
            })
            .collect(),
    }
}

fn value_entry(
    _appraisal: &Appraisal,
    v: &super::value::ValueForMoney,
    oid: &dyn Fn(usize) -> String,
    cid: &dyn Fn(usize) -> String,
) -> ValueEntry {
    ValueEntry {
        cost_criterion: cid(v.cost_criterion),
        unit: v.unit.clone(),
        benefit_min: v.benefit_min,
        benefit_max: v.benefit_max,
        options: v
            .options
            .iter()
            .map(|o| ValueOptionEntry {
                option: oid(o.option),
                cost: o.cost,
                benefit: o.benefit,
                dominated_by: o.dominated_by.map(oid),
                efficient: o.efficient,
            })
            .collect(),
        frontier: v.frontier.iter().map(|&i| oid(i)).collect(),
        steps: v
            .steps
            .iter()
            .map(|s| StepEntry {
                from: oid(s.from),
                to: oid(s.to),
                extra_cost: s.extra_cost,
                extra_benefit: s.extra_benefit,
                cost_per_point: s.cost_per_point,
            })
            .collect(),
    }
}

/// The Monte Carlo part of the document.
fn monte_carlo(
    appraisal: &Appraisal,
    m: &super::Smaa,
    oid: &dyn Fn(usize) -> String,
    cid: &dyn Fn(usize) -> String,
) -> MonteCarloEntry {
    let per_option = |f: &dyn Fn(&super::OptionAcceptability) -> Option<Vec<f64>>| {
        Ordered(
            m.options
                .iter()
                .map(|o| {
                    (
                        oid(o.option),
                        f(o).map(|v| {
                            Ordered(v.iter().enumerate().map(|(k, w)| (cid(k), *w)).collect())
                        }),
                    )
                })
                .collect(),
        )
    };
    MonteCarloEntry {
        samples: m.config.samples,
        seed: m.config.seed,
        weights: match m.config.weights {
            WeightModel::Uniform => "uniform",
            WeightModel::Spread { .. } => "spread",
        },
        weight_spread_percent: match m.config.weights {
            WeightModel::Uniform => None,
            WeightModel::Spread { percent } => Some(percent),
        },
        score_spread_steps: m.config.score_spread,
        hierarchy: m.hierarchy.map(|h| h.as_str()),
        sampled_criteria: m.sampled_criteria.iter().map(|&k| cid(k)).collect(),
        constraints: m.constraints.entries(appraisal),
        sampler: m.sampler.clone(),
        drawn_ranges: m.drawn_ranges.iter().map(|&k| cid(k)).collect(),
        acceptability: Ordered(
            m.options
                .iter()
                .map(|o| (oid(o.option), o.acceptability.clone()))
                .collect(),
        ),
        acceptability_se: Ordered(
            m.options
                .iter()
                .map(|o| (oid(o.option), o.acceptability_se.clone()))
                .collect(),
        ),
        central_weights: per_option(&|o| o.central_weights.clone()),
        central_weights_se: per_option(&|o| o.central_weights_se.clone()),
        confidence: Ordered(
            m.options
                .iter()
                .map(|o| (oid(o.option), o.confidence))
                .collect(),
        ),
        confidence_se: Ordered(
            m.options
                .iter()
                .map(|o| (oid(o.option), o.confidence_se))
                .collect(),
        ),
    }
}
