//! The sensitivity JSON document and terminal tables.
//!
//! The JSON uses ids, not indices, and `null` where a value does not exist;
//! maps keyed by id keep the appraisal's file order. The schema is in
//! `docs/methods.md`.

use comfy_table::{Attribute, Cell, CellAlignment, ContentArrangement, Table, presets};
use serde::ser::{Serialize, SerializeMap, Serializer};

use super::Sensitivity;
use super::scores::Direction;
use super::smaa::WeightModel;
use super::statements::{Statement, statements};
use crate::model::Appraisal;
use crate::numbers;
use crate::report::TextStyle;

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
    /// Monte Carlo results.
    pub monte_carlo: MonteCarloEntry,
    /// The plain-English statements.
    pub statements: Vec<String>,
}

/// One criterion's weight sensitivity.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct WeightEntry {
    /// Criterion id.
    pub criterion: String,
    /// Current share of the total weight (0-1).
    pub share: f64,
    /// Lowest share at which the leader is still first.
    pub stable_from: f64,
    /// Highest share at which the leader is still first.
    pub stable_to: f64,
    /// Who leads just below `stable_from`, or null.
    pub below: Option<String>,
    /// Who leads just above `stable_to`, or null.
    pub above: Option<String>,
    /// True when the other criteria have no weight and so share the rest equally.
    pub others_shared_equally: bool,
    /// Who leads where over the whole range.
    pub segments: Vec<SegmentEntry>,
    /// Each option's total as a line in the share.
    pub lines: Vec<LineEntry>,
    /// Every share where two options change order.
    pub swaps: Vec<SwapEntry>,
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
    /// True when no weight is left without this criterion.
    pub no_weight_left: bool,
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
    /// Criterion ids whose weights were varied.
    pub sampled_criteria: Vec<String>,
    /// What the panel agrees on about the weights, assumed by the run
    /// (empty for any weighting at all).
    pub constraints: Vec<super::constraints::ConstraintEntry>,
    /// How the weights were sampled, with hit-and-run's mixing diagnostics.
    pub sampler: super::Sampler,
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
                .swap_points_among(&cs.chart_options(&rank_order, super::CHART_OPTIONS))
                .iter()
                .map(|w| SwapEntry {
                    share: w.share,
                    ahead_below: oid(w.ahead_below),
                    ahead_above: oid(w.ahead_above),
                })
                .collect(),
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
            leader: l.leaders.first().map_or(String::new(), |&i| oid(i)),
            leaders: l.leaders.iter().map(|&i| oid(i)).collect(),
            ranking: l.ranking.iter().map(|&i| oid(i)).collect(),
            ranks: l.ranking.iter().map(|&i| l.ranks[i]).collect(),
            moved: l
                .moved
                .iter()
                .map(|mv| MoveEntry {
                    option: oid(mv.option),
                    from: mv.from,
                    to: mv.to,
                })
                .collect(),
            no_weight_left: l.no_weight_left,
        })
        .collect();
    let m = &s.smaa;
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
    let monte_carlo = MonteCarloEntry {
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
        sampled_criteria: m.sampled_criteria.iter().map(|&k| cid(k)).collect(),
        constraints: m.constraints.entries(appraisal),
        sampler: m.sampler.clone(),
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
    };
    let results = &e.results;
    Document {
        title: appraisal.meta.title.clone(),
        leader: oid(sr.leader),
        leaders: results.leaders().into_iter().map(oid).collect(),
        provisional: appraisal.options().iter().any(|o| !o.is_complete()),
        weights,
        scores,
        leave_one_out,
        monte_carlo,
        statements: statements(appraisal, s)
            .into_iter()
            .map(|st| st.text)
            .collect(),
    }
}

fn new_table(style: TextStyle) -> Table {
    let mut t = Table::new();
    t.load_style(presets::UTF8_FULL_CONDENSED);
    t.force_no_tty();
    if style.color {
        t.enforce_styling();
    }
    if let Some(w) = style.width {
        t.set_width(w);
        t.set_content_arrangement(ContentArrangement::Dynamic);
    }
    t
}

fn header(style: TextStyle, cells: &[String]) -> Vec<Cell> {
    cells
        .iter()
        .map(|h| {
            let c = Cell::new(h);
            if style.color {
                c.add_attribute(Attribute::Bold)
            } else {
                c
            }
        })
        .collect()
}

fn right(text: impl ToString) -> Cell {
    Cell::new(text).set_alignment(CellAlignment::Right)
}

/// The weight stability table: one row per criterion.
pub fn weights_table(appraisal: &Appraisal, s: &Sensitivity, style: TextStyle) -> String {
    let name = |i: Option<usize>| {
        i.and_then(|i| appraisal.options().get(i))
            .map_or("-".to_string(), |o| o.name().to_string())
    };
    let mut t = new_table(style);
    t.set_header(header(
        style,
        &[
            "Criterion".into(),
            "Share now".into(),
            "Leader first from".into(),
            "to".into(),
            "Leads below".into(),
            "Leads above".into(),
        ],
    ));
    for cs in &s.exact.weights {
        let c = &appraisal.criteria()[cs.criterion];
        let shown = cs.shown();
        t.add_row(vec![
            Cell::new(c.name()),
            right(shown.share_text()),
            right(shown.from_text()),
            right(shown.to_text()),
            Cell::new(name(cs.below)),
            Cell::new(name(cs.above)),
        ]);
    }
    t.to_string()
}

/// The score robustness table: one row per challenger.
pub fn scores_table(appraisal: &Appraisal, s: &Sensitivity, style: TextStyle) -> String {
    let mut t = new_table(style);
    t.set_header(header(
        style,
        &[
            "Challenger".into(),
            "Behind by".into(),
            "Changes to draw level".into(),
            "Changes to overtake".into(),
        ],
    ));
    let steps = |x: Option<u32>| x.map_or("impossible".to_string(), |k| k.to_string());
    for c in &s.exact.scores.challenges {
        t.add_row(vec![
            Cell::new(appraisal.options()[c.challenger].name()),
            right(numbers::total(c.gap)),
            right(steps(c.steps_to_tie)),
            right(steps(c.steps_to_overtake)),
        ]);
    }
    t.to_string()
}

/// The leave-one-out table: one row per criterion left out.
pub fn leave_out_table(appraisal: &Appraisal, s: &Sensitivity, style: TextStyle) -> String {
    let mut t = new_table(style);
    t.set_header(header(
        style,
        &[
            "Left out".into(),
            "First".into(),
            "Options that change rank".into(),
        ],
    ));
    for l in &s.exact.leave_one_out {
        let first: Vec<String> = l
            .leaders
            .iter()
            .map(|&i| appraisal.options()[i].name().to_string())
            .collect();
        let moved: Vec<String> = l
            .moved
            .iter()
            .map(|mv| {
                format!(
                    "{} {}→{}",
                    appraisal.options()[mv.option].name(),
                    mv.from,
                    mv.to
                )
            })
            .collect();
        t.add_row(vec![
            Cell::new(appraisal.criteria()[l.criterion].name()),
            Cell::new(if l.no_weight_left {
                "(no weight left)".to_string()
            } else {
                first.join(" = ")
            }),
            Cell::new(if moved.is_empty() {
                "none".to_string()
            } else {
                moved.join("; ")
            }),
        ]);
    }
    t.to_string()
}

/// Rank acceptability table: percentage of samples at each rank, with the confidence factor.
pub fn acceptability_table(appraisal: &Appraisal, s: &Sensitivity, style: TextStyle) -> String {
    let m = &s.smaa;
    let n = m.options.len();
    let mut head = vec!["Option".to_string()];
    head.extend((1..=n).map(|r| format!("Rank {r} %")));
    head.push("Confidence %".into());
    let mut t = new_table(style);
    t.set_header(header(style, &head));
    for i in s.exact.results.rank_order() {
        let o = &m.options[i];
        let mut row = vec![Cell::new(appraisal.options()[i].name())];
        row.extend(
            o.acceptability
                .iter()
                .map(|&b| right(numbers::probability_figure(b))),
        );
        row.push(right(
            o.confidence
                .map_or("-".to_string(), numbers::probability_figure),
        ));
        t.add_row(row);
    }
    t.to_string()
}

/// Width assumed for a table when the output is not a terminal.
const PLAIN_WIDTH: usize = 120;

/// Central weights table: for each option ever ranked first, its mean
/// winning weights. Criteria are headed by name where the names fit the
/// width; otherwise by number (C1, C2, ...) with a key beneath.
pub fn central_weights_table(appraisal: &Appraisal, s: &Sensitivity, style: TextStyle) -> String {
    let rows: Vec<usize> = s
        .exact
        .results
        .rank_order()
        .into_iter()
        .filter(|&i| s.smaa.options[i].central_weights.is_some())
        .collect();
    let option_w = rows
        .iter()
        .map(|&i| appraisal.options()[i].name().chars().count())
        .chain(["Option".len()])
        .max()
        .unwrap_or(0);
    let named: Vec<String> = appraisal
        .criteria()
        .iter()
        .map(|c| format!("{} %", c.name()))
        .collect();
    // Each column is its header or a figure such as "100.0", plus its borders.
    let width = option_w
        + 4
        + named
            .iter()
            .map(|h| h.chars().count().max(5) + 3)
            .sum::<usize>();
    let limit = style.width.map_or(PLAIN_WIDTH, usize::from);
    let fits = width <= limit;
    let mut head = vec!["Option".to_string()];
    if fits {
        head.extend(named);
    } else {
        head.extend((1..=appraisal.criteria().len()).map(|c| format!("C{c} %")));
    }
    let mut t = new_table(style);
    t.set_header(header(style, &head));
    for i in rows {
        let Some(cw) = &s.smaa.options[i].central_weights else {
            continue;
        };
        let mut row = vec![Cell::new(appraisal.options()[i].name())];
        row.extend(
            cw.iter()
                .map(|&w| right(numbers::percent_figure(100.0 * w))),
        );
        t.add_row(row);
    }
    let mut out = t.to_string();
    if !fits {
        let key: Vec<String> = appraisal
            .criteria()
            .iter()
            .enumerate()
            .map(|(k, c)| format!("C{} {}", k + 1, c.name()))
            .collect();
        out.push_str(&format!("\nKey: {}", key.join("; ")));
    }
    out
}

/// The statements as a bulleted list.
pub fn statements_text(list: &[Statement]) -> String {
    let mut out = String::new();
    for s in list {
        out.push_str("- ");
        out.push_str(&s.text);
        out.push('\n');
    }
    out
}

/// The whole terminal report of `appraise sensitivity`.
pub fn text_report(appraisal: &Appraisal, s: &Sensitivity, style: TextStyle) -> String {
    let m = &s.smaa;
    let mut out = String::new();
    out.push_str(&format!("Sensitivity of {}\n\n", appraisal.meta.title));
    out.push_str("In plain English\n");
    out.push_str(&statements_text(&statements(appraisal, s)));
    out.push_str("\nWeight sensitivity: each criterion's share of the total weight moved from 0% to 100%, the others keeping their proportions\n");
    out.push_str(&weights_table(appraisal, s, style));
    out.push_str("\n\nScore changes needed: one change moves one score by one scale step\n");
    out.push_str(&scores_table(appraisal, s, style));
    out.push_str("\n\nLeave one criterion out\n");
    out.push_str(&leave_out_table(appraisal, s, style));
    let how = match m.config.weights {
        WeightModel::Uniform => "weights uniform over all weightings".to_string(),
        WeightModel::Spread { percent } if percent > 0.0 => {
            format!(
                "weights within {}% of their values",
                numbers::weight(percent)
            )
        }
        WeightModel::Spread { .. } => "weights held at their values".to_string(),
    };
    let scores = if m.config.score_spread > 0.0 {
        format!(
            ", scores within {}",
            numbers::count(m.config.score_spread, "step", "steps")
        )
    } else {
        String::new()
    };
    out.push_str(&format!(
        "\n\nRank acceptability: {} samples, seed {}, {how}{scores}\n",
        m.config.samples, m.config.seed
    ));
    out.push_str(&acceptability_table(appraisal, s, style));
    out.push_str("\n\nCentral weights: the average weights under which each option ranks first\n");
    out.push_str(&central_weights_table(appraisal, s, style));
    out.push('\n');
    out
}
