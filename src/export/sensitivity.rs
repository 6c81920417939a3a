//! The sensitivity section of a report: key findings, weight stability with
//! its charts, score robustness, leave-one-criterion-out and, when Monte Carlo
//! ran, rank acceptability with its stacked bar chart. The numbers come from
//! [`crate::sensitivity`]; this module only lays them out.

use crate::compute::Results;
use crate::model::Appraisal;
use crate::numbers::{self, WeightRange};
use crate::sensitivity::groups::{Hierarchy, Member};
use crate::sensitivity::{self, Sensitivity, Smaa, SmaaConfig, StatementKind, WeightModel};

use super::doc::{
    Band, Block, Cell, Chart, ChartKind, Column, LineChart, Marker, Report, ReportTable, Row,
    ScatterChart, ScatterPoint, Series, StackedBar, StackedChart, Value,
};
use super::{ExportError, ExportOptions};

/// The Monte Carlo settings for an export: uniform weights over the simplex,
/// scores as given, and the export's samples and seed.
pub fn smaa_config(samples: u64, seed: u64) -> SmaaConfig {
    SmaaConfig {
        samples,
        seed,
        threads: None,
        weights: WeightModel::Uniform,
        score_spread: 0.0,
    }
}

/// Runs the analyses the options ask for on the appraisal as written: the
/// analyses run on its [`Appraisal::for_analysis`] (the shortlist at
/// effective weights), with the group-level and value-for-money analyses
/// and, where the criteria sit in groups, the Monte Carlo drawn level by
/// level through them (the default of `appraise sensitivity`).
pub fn analyse(appraisal: &Appraisal, options: &ExportOptions) -> Result<Sensitivity, ExportError> {
    let analysed = appraisal.for_analysis();
    let s = match options.samples {
        Some(n) => sensitivity::analyse_written(
            appraisal,
            &analysed,
            &smaa_config(n, options.seed),
            &sensitivity::WeightConstraints::new(),
            None,
            &|_| {},
        )?,
        None => sensitivity::analyse_exact(&analysed).with_structure(appraisal, &analysed),
    };
    Ok(s)
}

fn option_name(appraisal: &Appraisal, i: usize) -> String {
    appraisal
        .options()
        .get(i)
        .map_or_else(|| "?".to_string(), |o| o.name().to_string())
}

/// A probability by [`numbers::probability`].
fn probability_cell(p: f64) -> Cell {
    Cell::new(Value::Percent {
        value: 100.0 * p,
        display: numbers::probability(p),
    })
}

/// The share now and the ends of the stable range, each holding the value
/// as shown: the ends are rounded towards caution, which no spreadsheet
/// number format can reproduce from the exact value.
fn range_cells(r: &WeightRange) -> [Cell; 3] {
    let cell = |value: f64, display: String| Cell::new(Value::Percent { value, display });
    [
        cell(r.share, r.share_text()),
        cell(r.from, r.from_text()),
        cell(r.to, r.to_text()),
    ]
}

fn topic(kind: StatementKind) -> &'static str {
    match kind {
        StatementKind::Caveat => "Caveat",
        StatementKind::Ranking => "Ranking",
        StatementKind::Weights => "Weights",
        StatementKind::Scores => "Scores",
        StatementKind::LeaveOneOut => "Leaving a criterion out",
        StatementKind::MonteCarlo => "Any weighting",
        StatementKind::Groups => "Groups",
        StatementKind::ValueForMoney => "Value for money",
    }
}

/// The plain-English findings, one per row, ready to paste into a report.
pub fn findings_table(appraisal: &Appraisal, a: &Sensitivity) -> ReportTable {
    let list = sensitivity::statements(appraisal, a);
    let mut t = ReportTable::new(
        "sensitivity-findings",
        "How sure is the ranking? Key findings",
        vec![Column::text("Topic"), Column::prose("Finding")],
    )
    .with_row_header(0)
    .with_short_name("Findings");
    for s in list {
        t.rows.push(Row::body(vec![
            Cell::text(topic(s.kind)),
            Cell::text(s.text),
        ]));
    }
    t
}

/// The columns of a weight stability table after those naming the row.
fn stability_columns(mut names: Vec<Column>) -> Vec<Column> {
    names.extend([
        Column::number("Share now"),
        Column::number("Leader first from"),
        Column::number("to"),
        Column::text("Leads below that"),
        Column::text("Leads above that"),
    ]);
    names
}

/// A row of a weight stability table: the cells naming it, then the share
/// now, the stable range and who leads below and above it.
fn stability_row(
    appraisal: &Appraisal,
    mut cells: Vec<Cell>,
    cs: &sensitivity::CriterionSensitivity,
) -> Row {
    let who = |i: Option<usize>| match i {
        Some(i) => Cell::text(option_name(appraisal, i)),
        None => Cell::text("nobody"),
    };
    cells.extend(range_cells(&cs.shown()));
    cells.extend([who(cs.below), who(cs.above)]);
    Row::body(cells)
}

/// Weight stability: for each criterion, the range of its share of the total
/// weight over which the leader stays first, and who leads outside it.
pub fn weights_table(appraisal: &Appraisal, a: &Sensitivity) -> ReportTable {
    let mut t = ReportTable::new(
        "sensitivity-weights",
        "Weight stability: how far each criterion's weight can move before the leader changes",
        stability_columns(vec![Column::text("Criterion")]),
    )
    .with_row_header(0)
    .with_short_name("Weight stability");
    let mut shared_equally = false;
    for cs in &a.exact.weights {
        let Some(c) = appraisal.criteria().get(cs.criterion) else {
            continue;
        };
        shared_equally |= cs.others_shared_equally;
        t.rows
            .push(stability_row(appraisal, vec![Cell::text(c.name())], cs));
    }
    if let Some(cs) = a.exact.weights.first() {
        t.notes.push(format!(
            "The leader is {}. Each row moves one criterion's share of the total weight from 0% to 100% while the other criteria keep their proportions to each other; the leader stays first (or level first) between the two shares given, and the option named leads just outside them (nobody: the leader holds all the way).",
            option_name(appraisal, cs.leader)
        ));
    }
    if shared_equally {
        t.notes.push(
            "Where every other criterion has no weight, the rest of the weight is shared equally between them.".into(),
        );
    }
    t
}

/// Score robustness: how many single-step score changes each challenger needs.
pub fn scores_table(appraisal: &Appraisal, a: &Sensitivity) -> ReportTable {
    let sr = &a.exact.scores;
    let mut t = ReportTable::new(
        "sensitivity-scores",
        "Score robustness: changes of score needed to catch the leader",
        vec![
            Column::text("Challenger"),
            Column::number("Behind by"),
            Column::number("Changes to draw level"),
            Column::number("Changes to overtake"),
        ],
    )
    .with_row_header(0)
    .with_short_name("Score robustness");
    let steps = |n: Option<u32>| match n {
        Some(n) => Cell::new(Value::Number {
            value: f64::from(n),
            display: n.to_string(),
        }),
        None => Cell::text("not possible"),
    };
    for c in &sr.challenges {
        t.rows.push(Row::body(vec![
            Cell::text(option_name(appraisal, c.challenger)),
            Cell::new(Value::Number {
                value: c.gap,
                display: numbers::total(c.gap),
            }),
            steps(c.steps_to_tie),
            steps(c.steps_to_overtake),
        ]));
    }
    t.notes.push(format!(
        "The leader is {}. A change moves one score by one step of the scale: one of the leader's scores down, or one of the challenger's up. The counts are the fewest changes that would do it.",
        option_name(appraisal, sr.leader)
    ));
    if appraisal.options().iter().any(|o| !o.is_complete()) {
        t.notes
            .push("Unscored cells are left out: a missing score cannot be moved by a step.".into());
    }
    t
}

/// Most rank changes listed per criterion in the leave-one-out table.
pub const MOVES_LISTED: usize = 12;

/// The ranking with each criterion left out in turn.
pub fn leave_one_out_table(appraisal: &Appraisal, a: &Sensitivity) -> ReportTable {
    let mut t = ReportTable::new(
        "sensitivity-leave-one-out",
        "Leaving one criterion out",
        vec![
            Column::text("Criterion left out"),
            Column::text("First"),
            Column::prose("Options whose rank changes"),
        ],
    )
    .with_row_header(0)
    .with_short_name("Leave one out");
    for l in &a.exact.leave_one_out {
        let Some(c) = appraisal.criteria().get(l.criterion) else {
            continue;
        };
        t.rows.push(left_out_row(appraisal, c.name(), l));
    }
    t.notes.push(
        "Each row ranks the options on the other criteria only; \"A 2 → 3\" means A moves from rank 2 to rank 3."
            .into(),
    );
    t
}

/// A row of a leave-one-out table: what was left out (`name`), who is
/// first without it, and whose rank changes.
fn left_out_row(appraisal: &Appraisal, name: &str, r: &sensitivity::Reranked) -> Row {
    let first = if r.no_weight_left {
        "no weight left".to_string()
    } else {
        r.leaders
            .iter()
            .map(|&i| option_name(appraisal, i))
            .collect::<Vec<_>>()
            .join(" and ")
    };
    Row::body(vec![
        Cell::text(name),
        Cell::text(first),
        Cell::text(moves_text(appraisal, &r.moved)),
    ])
}

/// The options whose rank changes, one per line as "A 2 → 3", the biggest
/// moves first when the list is cut at [`MOVES_LISTED`]; "none" for none.
fn moves_text(appraisal: &Appraisal, moved: &[sensitivity::RankMove]) -> String {
    if moved.is_empty() {
        return "none".to_string();
    }
    // The biggest moves first; a long list is cut, since in a large
    // appraisal nearly every option shifts a place or two.
    let mut moves: Vec<_> = moved.iter().collect();
    if moves.len() > MOVES_LISTED {
        moves.sort_by_key(|m| (std::cmp::Reverse(m.from.abs_diff(m.to)), m.from));
    }
    let mut lines: Vec<String> = moves
        .iter()
        .take(MOVES_LISTED)
        .map(|m| format!("{} {} → {}", option_name(appraisal, m.option), m.from, m.to))
        .collect();
    if moves.len() > MOVES_LISTED {
        lines.push(format!("and {} more", moves.len() - MOVES_LISTED));
    }
    lines.join("\n")
}

/// Group weight stability: for each group, its share of its parent's
/// weight (of the total weight at the top level), and for each criterion
/// in a group its share of the group's weight, with the range over which
/// the leader stays first and who leads outside it.
pub fn group_weights_table(
    appraisal: &Appraisal,
    g: &sensitivity::groups::GroupAnalysis,
) -> ReportTable {
    let tree = &g.tree;
    let mut t = ReportTable::new(
        "sensitivity-group-weights",
        "Group weight stability: how far each group's share, and each criterion's share of its group, can move before the leader changes",
        stability_columns(vec![Column::text("Group or criterion"), Column::text("Share of")]),
    )
    .with_row_header(0)
    .with_short_name("Group weight stability");
    let mut shared_equally = false;
    for m in &g.weights {
        let cs = &m.within;
        shared_equally |= cs.others_shared_equally;
        let of = match m.parent {
            Some(p) => tree.name(Member::Group(p), appraisal),
            None => "the total weight".to_string(),
        };
        let names = vec![Cell::text(tree.name(m.member, appraisal)), Cell::text(of)];
        t.rows.push(stability_row(appraisal, names, cs));
    }
    if let Some(m) = g.weights.first() {
        t.notes.push(format!(
            "The leader is {}. Each row moves one share from 0% to 100%: a top-level group's share of the total weight, or a member's share of its group's weight with the group's own weight fixed; the other members keep their proportions to each other.",
            option_name(appraisal, m.within.leader)
        ));
    }
    if shared_equally {
        t.notes.push(
            "Where a member's siblings all have no weight, the rest of the weight is shared equally between them.".into(),
        );
    }
    t
}

/// The ranking with each group left out in turn: its weight set to zero,
/// so its siblings share its parent's weight in their proportions.
pub fn group_leave_out_table(
    appraisal: &Appraisal,
    g: &sensitivity::groups::GroupAnalysis,
) -> ReportTable {
    let tree = &g.tree;
    let mut t = ReportTable::new(
        "sensitivity-group-leave-one-out",
        "Leaving one group out",
        vec![
            Column::text("Group left out"),
            Column::text("First"),
            Column::prose("Options whose rank changes"),
        ],
    )
    .with_row_header(0)
    .with_short_name("Leave a group out");
    for l in &g.leave_one_out {
        let name = tree.name(Member::Group(l.group), appraisal);
        t.rows.push(left_out_row(appraisal, &name, l));
    }
    t.notes.push(
        "Each row ranks the options with one group's weight set to zero; the other members of its parent group share the parent's weight in their proportions."
            .into(),
    );
    t
}

/// Value for money: each option's cost and its benefit (the total without
/// the cost), cheapest first, whether it is efficient or which option
/// dominates it, and the extra cost per extra benefit point from the
/// previous option along the frontier.
pub fn value_table(appraisal: &Appraisal, v: &sensitivity::value::ValueForMoney) -> ReportTable {
    let cost_name = appraisal
        .criteria()
        .get(v.cost_criterion)
        .map_or("Cost".to_string(), |c| c.name().to_string());
    let cost_header = match &v.unit {
        Some(u) => format!("{cost_name} ({u})"),
        None => cost_name.clone(),
    };
    let mut t = ReportTable::new(
        "sensitivity-value-for-money",
        "Value for money: benefit against cost",
        vec![
            Column::text("Option"),
            Column::number(cost_header),
            Column::number(format!(
                "Benefit (out of {})",
                numbers::total(v.benefit_max)
            )),
            Column::text("Efficient"),
            Column::text("Dominated by"),
            Column::number("Extra cost per extra benefit point"),
        ],
    )
    .with_row_header(0)
    .with_short_name("Value for money");
    let mut order: Vec<&sensitivity::value::OptionValue> = v.options.iter().collect();
    order.sort_by(|a, b| match (a.cost, b.cost) {
        (Some(x), Some(y)) => x
            .total_cmp(&y)
            .then(b.benefit.total_cmp(&a.benefit))
            .then(a.option.cmp(&b.option)),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => a.option.cmp(&b.option),
    });
    for o in order {
        let step = v.steps.iter().find(|s| s.to == o.option);
        let per_point = match step.and_then(|s| s.cost_per_point) {
            Some(r) => {
                let shown = sensitivity::statements::per_point(r);
                Cell::new(Value::Number {
                    value: shown,
                    display: numbers::as_given(shown),
                })
            }
            None => Cell::new(Value::Missing),
        };
        t.rows.push(Row::body(vec![
            Cell::text(option_name(appraisal, o.option)),
            match o.cost {
                Some(c) => Cell::new(Value::Number {
                    value: c,
                    display: numbers::as_given(c),
                }),
                None => Cell::new(Value::Missing),
            },
            Cell::new(Value::Number {
                value: o.benefit,
                display: numbers::total(o.benefit),
            }),
            Cell::text(if o.efficient {
                "yes"
            } else if o.cost.is_none() {
                "no cost recorded"
            } else {
                "no"
            }),
            Cell::text(
                o.dominated_by
                    .map_or(String::new(), |k| option_name(appraisal, k)),
            ),
            per_point,
        ]));
    }
    t.notes.push(format!(
        "Benefit is each option's weighted total without {cost_name}. An option is dominated when another costs no more and gives at least as much benefit, and is better on one; the efficient options are the rest, and each step along them is priced per extra benefit point, from the next cheaper efficient option."
    ));
    t
}

/// The value-for-money chart: each option's benefit against its cost, the
/// efficient options filled and joined by the frontier; `None` when no
/// option has a cost.
pub fn value_chart(appraisal: &Appraisal, v: &sensitivity::value::ValueForMoney) -> Option<Chart> {
    let priced: Vec<&sensitivity::value::OptionValue> =
        v.options.iter().filter(|o| o.cost.is_some()).collect();
    let costs: Vec<f64> = priced.iter().filter_map(|o| o.cost).collect();
    let lo = costs.iter().copied().reduce(f64::min)?;
    let hi = costs.iter().copied().reduce(f64::max)?;
    let margin = if hi > lo {
        (hi - lo) * 0.1
    } else {
        lo.abs().max(1.0) * 0.1
    };
    let cost_name = appraisal
        .criteria()
        .get(v.cost_criterion)
        .map_or("Cost".to_string(), |c| c.name().to_string());
    let x_label = match &v.unit {
        Some(u) => format!("{cost_name} ({u})"),
        None => cost_name.clone(),
    };
    let frontier: Vec<(f64, f64)> = v
        .frontier
        .iter()
        .filter_map(|&i| {
            let o = v.options.get(i)?;
            Some((o.cost?, o.benefit))
        })
        .collect();
    let efficient: Vec<String> = v
        .frontier
        .iter()
        .map(|&i| option_name(appraisal, i))
        .collect();
    Some(Chart {
        key: "chart-value-for-money".into(),
        title: "Value for money: benefit against cost".into(),
        description: format!(
            "Scatter chart of each option's benefit (its total without {cost_name}) against its {}; the efficient options, {}, are filled and joined by the efficient frontier.",
            cost_name.to_lowercase(),
            numbers::join_and(&efficient)
        ),
        number: None,
        kind: ChartKind::Scatter(ScatterChart {
            x_label,
            y_label: format!("Benefit (out of {})", numbers::total(v.benefit_max)),
            x_range: (
                (lo - margin).max(if lo >= 0.0 { 0.0 } else { f64::MIN }),
                hi + margin,
            ),
            y_range: (v.benefit_min, v.benefit_max),
            points: priced
                .iter()
                .map(|o| ScatterPoint {
                    label: option_name(appraisal, o.option),
                    x: o.cost.unwrap_or(0.0),
                    y: o.benefit,
                    highlight: o.efficient,
                })
                .collect(),
            line: (frontier.len() > 1).then(|| Series {
                label: "Efficient frontier".into(),
                points: frontier,
            }),
        }),
    })
}

/// Ordinal names for ranks: 1st, 2nd, 3rd, 4th, … 11th, 12th, 13th, 21st.
pub fn ordinal(n: usize) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

/// Ranks given a column of their own in acceptability tables and charts; lower
/// ranks share one "or lower" column, so a long list stays readable.
pub const ACCEPTABILITY_RANKS: usize = 10;

/// The acceptability shares to show: ranks 1..k-1 each, then rank k or lower
/// together (all ranks separately when there are few options).
fn shown_shares(shares: &[f64], n: usize) -> Vec<f64> {
    let get = |r: usize| shares.get(r).copied().unwrap_or(0.0);
    if n <= ACCEPTABILITY_RANKS {
        return (0..n).map(get).collect();
    }
    let mut out: Vec<f64> = (0..ACCEPTABILITY_RANKS - 1).map(get).collect();
    out.push((ACCEPTABILITY_RANKS - 1..n).map(get).sum());
    out
}

/// Headers for [`shown_shares`].
fn shown_ranks(n: usize) -> Vec<String> {
    if n <= ACCEPTABILITY_RANKS {
        return (1..=n).map(ordinal).collect();
    }
    let mut out: Vec<String> = (1..ACCEPTABILITY_RANKS).map(ordinal).collect();
    out.push(format!("{} or lower", ordinal(ACCEPTABILITY_RANKS)));
    out
}

/// The Monte Carlo run's result for option `i`.
fn acceptability_of(m: &Smaa, i: usize) -> Option<&sensitivity::OptionAcceptability> {
    // Options are held in file order; look further only if they are not.
    m.options
        .get(i)
        .filter(|o| o.option == i)
        .or_else(|| m.options.iter().find(|o| o.option == i))
}

/// How a Monte Carlo run drew its weightings and scores, in words: "drawn
/// uniformly from all possible weightings", "with each weight within 20% of
/// its value and each score within 1 step".
pub fn sampling_words(appraisal: &Appraisal, m: &Smaa) -> String {
    let weights = match m.config.weights {
        WeightModel::Uniform if !m.constraints.is_empty() => format!(
            "drawn uniformly from the weightings that meet the constraints: {}",
            m.constraints.clause(appraisal)
        ),
        WeightModel::Uniform if m.hierarchy == Some(Hierarchy::Level) => {
            "drawn level by level: the groups' shares uniformly from every split, and each group's criteria likewise within it".to_string()
        }
        WeightModel::Uniform if m.hierarchy == Some(Hierarchy::Flat) => {
            "drawn uniformly from all possible weightings of the criteria, the groups set aside".to_string()
        }
        WeightModel::Uniform => "drawn uniformly from all possible weightings".to_string(),
        WeightModel::Spread { percent } if percent > 0.0 => format!(
            "with each weight drawn within {}% of its value",
            numbers::weight(percent)
        ),
        WeightModel::Spread { .. } => "with the weights held at their values".to_string(),
    };
    let ranged = !m.drawn_ranges.is_empty();
    let mut words = weights;
    if m.config.score_spread > 0.0 {
        words.push_str(&format!(
            ", and each score{} within {} of its value",
            if ranged {
                " not drawn from a range"
            } else {
                ""
            },
            numbers::count(m.config.score_spread, "scale step", "scale steps")
        ));
    }
    if ranged {
        words.push_str(", and raw values given as ranges drawn from them");
    }
    words
}

/// The acceptability table's title: "under any weighting" only where
/// every weighting was open to the run.
fn acceptability_title(m: &Smaa) -> &'static str {
    match m.config.weights {
        WeightModel::Uniform if m.constraints.is_empty() => {
            "Rank acceptability under any weighting (Monte Carlo)"
        }
        WeightModel::Uniform => "Rank acceptability within the weight constraints (Monte Carlo)",
        WeightModel::Spread { .. } => "Rank acceptability with the weights varied (Monte Carlo)",
    }
}

/// Whether a Monte Carlo run varied the scores (a score spread, or raw
/// values drawn from ranges), so that its confidence factors say something.
fn scores_varied(m: &Smaa) -> bool {
    m.config.score_spread > 0.0 || !m.drawn_ranges.is_empty()
}

/// The table of rank acceptability: each option's share of random
/// weightings at each rank, with the confidence factor where scores were
/// varied too.
pub fn acceptability_table(appraisal: &Appraisal, results: &Results, m: &Smaa) -> ReportTable {
    let n = appraisal.options().len();
    let mut columns = vec![Column::text("Option")];
    columns.extend(shown_ranks(n).into_iter().map(Column::number));
    // With the scores held as given the confidence factor is always 0 or
    // 100%, which says nothing a reader could use.
    let confidence = scores_varied(m);
    if confidence {
        columns.push(Column::number("Confidence"));
    }
    let mut t = ReportTable::new("sensitivity-acceptability", acceptability_title(m), columns)
        .with_row_header(0)
        .with_short_name("Rank acceptability");
    let mut max_se: f64 = 0.0;
    for i in results.rank_order() {
        let Some(o) = acceptability_of(m, i) else {
            continue;
        };
        let mut cells = vec![Cell::text(option_name(appraisal, i))];
        cells.extend(
            shown_shares(&o.acceptability, n)
                .into_iter()
                .map(probability_cell),
        );
        if confidence {
            cells.push(
                o.confidence
                    .map_or(Cell::new(Value::Missing), probability_cell),
            );
        }
        max_se = o.acceptability_se.iter().copied().fold(max_se, f64::max);
        t.rows.push(Row::body(cells));
    }
    t.notes.push(format!(
        "Each column is the share of {} random weightings ({}, seed {}) in which the option takes that rank; ties share the better rank. The largest standard error is {}.",
        group_thousands(m.config.samples),
        sampling_words(appraisal, m),
        m.config.seed,
        numbers::standard_error(max_se)
    ));
    if confidence {
        t.notes.push(
            "The confidence factor is the share of the scores drawn under which the option ranks first with its central weights.".into(),
        );
    }
    t
}

/// The central weights: for each option that ranks first under some
/// weighting, the average of those weightings, as shares of the total weight.
pub fn central_weights_table(appraisal: &Appraisal, results: &Results, m: &Smaa) -> ReportTable {
    let mut columns = vec![Column::text("Option")];
    columns.extend(
        appraisal
            .criteria()
            .iter()
            .map(|c| Column::number(c.name())),
    );
    let mut t = ReportTable::new(
        "sensitivity-central-weights",
        "Central weights: the average weights under which each option ranks first",
        columns,
    )
    .with_row_header(0)
    .with_short_name("Central weights")
    .with_criteria_columns(1..1 + appraisal.criteria().len());
    for i in results.rank_order() {
        let Some(cw) = acceptability_of(m, i).and_then(|o| o.central_weights.as_ref()) else {
            continue;
        };
        let mut cells = vec![Cell::text(option_name(appraisal, i))];
        cells.extend(cw.iter().map(|&w| {
            Cell::new(Value::Percent {
                value: 100.0 * w,
                display: numbers::percent(100.0 * w),
            })
        }));
        t.rows.push(Row::body(cells));
    }
    t.notes
        .push("Options that never rank first have no central weights and are not listed.".into());
    t
}

/// 1000000 as "1,000,000".
fn group_thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The weight-sensitivity chart for one criterion, from the exact analysis:
/// every option's total as a line, the current share marked, and the range
/// over which the leader stays first shaded.
pub fn weight_chart(
    appraisal: &Appraisal,
    results: &Results,
    cs: &sensitivity::CriterionSensitivity,
) -> Option<Chart> {
    let crit = appraisal.criteria().get(cs.criterion)?;
    if appraisal.criteria().len() < 2 {
        return None;
    }
    let shown = cs.chart_options(&results.rank_order(), sensitivity::CHART_OPTIONS);
    let series: Vec<Series> = shown
        .iter()
        .filter_map(|&i| cs.lines.iter().find(|l| l.option == i))
        .map(|l| Series {
            label: option_name(appraisal, l.option),
            points: vec![(0.0, l.at_zero), (1.0, l.at_one)],
        })
        .collect();
    let omitted = cs.lines.len() - series.len();
    let scope = if omitted > 0 {
        format!(
            " It shows the {} options that lead somewhere or rank highest; {} others are left out.",
            series.len(),
            omitted
        )
    } else {
        String::new()
    };
    let p0 = cs.share;
    let shown = cs.shown();
    let leader = option_name(appraisal, cs.leader);
    Some(Chart {
        key: format!("chart-weight-{}", crit.id()),
        title: format!("Sensitivity to the weight of {}", crit.name()),
        description: format!(
            "Line chart of each option's total as {} share of the total weight runs from 0% to 100%, the other weights keeping their proportions; its current share is {}, and {} stays first from {} to {} (shaded).{scope}",
            possessive(crit.name()),
            shown.share_text(),
            leader,
            shown.from_text(),
            shown.to_text()
        ),
        number: None,
        kind: ChartKind::Lines(LineChart {
            x_label: format!("{} share of the total weight", possessive(crit.name())),
            y_label: "Weighted total".into(),
            x_percent: true,
            x_range: (0.0, 1.0),
            y_range: (results.min_total, results.max_total),
            series,
            marker: Some(Marker {
                x: p0,
                label: format!("now {}", shown.share_text()),
            }),
            band: Some(Band {
                from: cs.stable_from,
                to: cs.stable_to,
                label: format!("{leader} first"),
            }),
        }),
    })
}

pub use crate::sensitivity::statements::possessive;

/// The stacked bar chart of rank acceptability.
pub fn acceptability_chart(appraisal: &Appraisal, results: &Results, m: &Smaa) -> Chart {
    let n = appraisal.options().len();
    let bars = results
        .rank_order()
        .into_iter()
        .filter_map(|i| {
            let o = m.options.iter().find(|o| o.option == i)?;
            Some(StackedBar {
                label: option_name(appraisal, i),
                shares: shown_shares(&o.acceptability, n),
            })
        })
        .take(sensitivity::CHART_OPTIONS)
        .collect();
    Chart {
        key: "chart-acceptability".into(),
        title: acceptability_title(m)
            .trim_end_matches(" (Monte Carlo)")
            .into(),
        description: format!(
            "Stacked bar chart: for each option, the share of {} random weightings in which it ranks 1st, 2nd and so on.",
            group_thousands(m.config.samples)
        ),
        number: None,
        kind: ChartKind::Stacked(StackedChart {
            axis_label: "Share of random weightings".into(),
            segments: shown_ranks(n),
            bars,
        }),
    }
}

/// Most weight charts in a report: past this many criteria, a chart each
/// would bury the few that matter (and take minutes to draw).
pub const WEIGHT_CHARTS: usize = 30;

/// The criteria that get a weight chart: all of them up to
/// [`WEIGHT_CHARTS`], otherwise those whose share can move least before the
/// leader changes (ties in file order).
fn charted_criteria(weights: &[sensitivity::CriterionSensitivity]) -> Vec<usize> {
    if weights.len() <= WEIGHT_CHARTS {
        return weights.iter().map(|cs| cs.criterion).collect();
    }
    let mut order: Vec<(f64, usize)> = weights
        .iter()
        .map(|cs| {
            let room = (cs.share - cs.stable_from).min(cs.stable_to - cs.share);
            (
                if room.is_finite() {
                    room
                } else {
                    f64::INFINITY
                },
                cs.criterion,
            )
        })
        .collect();
    order.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    order.truncate(WEIGHT_CHARTS);
    order.into_iter().map(|(_, c)| c).collect()
}

/// The whole sensitivity section, running the analyses the options ask
/// for, for the appraisal as written and its results: the analyses run on
/// the appraisal as analysed ([`Appraisal::for_analysis`]: the shortlist at
/// effective weights), so that a version-2 file's shares and leaders are
/// those `appraise sensitivity` gives.
pub fn blocks(
    appraisal: &Appraisal,
    results: &Results,
    options: &ExportOptions,
) -> Result<Vec<Block>, ExportError> {
    let a = analyse(appraisal, options)?;
    let analysed = appraisal.for_analysis();
    Ok(match &analysed {
        std::borrow::Cow::Borrowed(_) => section(appraisal, results, &a),
        // The shortlist at effective weights: its own results, so that
        // option indices agree with the analyses.
        std::borrow::Cow::Owned(an) => section(an, &a.exact.results, &a),
    })
}

/// The sensitivity section for analyses already run: key findings, weight
/// stability with its charts, score robustness, leave-one-out and, with
/// Monte Carlo, rank acceptability with its chart.
pub fn section(appraisal: &Appraisal, results: &Results, a: &Sensitivity) -> Vec<Block> {
    let mut out = vec![
        Block::Heading("Sensitivity".into()),
        Block::Subheading("Key findings".into()),
        Block::Table(findings_table(appraisal, a)),
        Block::Subheading("Weight stability".into()),
        Block::Table(weights_table(appraisal, a)),
    ];
    let charted = charted_criteria(&a.exact.weights);
    if charted.len() < a.exact.weights.len() {
        out.push(Block::Paragraph(format!(
            "Charts follow for the {} criteria whose weight can move least before the leader changes; the table above covers all {}.",
            charted.len(),
            a.exact.weights.len()
        )));
    }
    for cs in a
        .exact
        .weights
        .iter()
        .filter(|cs| charted.contains(&cs.criterion))
    {
        if let Some(c) = weight_chart(appraisal, results, cs) {
            out.push(Block::Chart(c));
        }
    }
    if appraisal.options().len() > 1 {
        out.push(Block::Subheading("Score robustness".into()));
        out.push(Block::Table(scores_table(appraisal, a)));
    }
    if appraisal.criteria().len() > 1 {
        out.push(Block::Subheading("Leaving one criterion out".into()));
        out.push(Block::Table(leave_one_out_table(appraisal, a)));
    }
    if let Some(g) = &a.groups
        && appraisal.options().len() > 1
    {
        out.push(Block::Subheading("Groups".into()));
        if !g.weights.is_empty() {
            out.push(Block::Table(group_weights_table(appraisal, g)));
        }
        out.push(Block::Table(group_leave_out_table(appraisal, g)));
    }
    if let Some(m) = &a.smaa {
        out.push(Block::Subheading("Rank acceptability".into()));
        out.push(Block::Table(acceptability_table(appraisal, results, m)));
        out.push(Block::Chart(acceptability_chart(appraisal, results, m)));
    }
    if let Some(v) = &a.value {
        out.push(Block::Subheading("Value for money".into()));
        out.push(Block::Table(value_table(appraisal, v)));
        if let Some(c) = value_chart(appraisal, v) {
            out.push(Block::Chart(c));
        }
    }
    out
}

/// The sensitivity report for a terminal: the section, its findings as a
/// list under "In plain English" rather than a table, and the central
/// weights after the acceptability when Monte Carlo ran.
pub fn terminal_report(appraisal: &Appraisal, a: &Sensitivity) -> Report {
    let results = &a.exact.results;
    let mut blocks = vec![
        Block::Heading("In plain English".into()),
        Block::Paragraph(bullets(
            sensitivity::statements(appraisal, a)
                .into_iter()
                .map(|s| s.text),
        )),
    ];
    blocks.extend(
        section(appraisal, results, a)
            .into_iter()
            .skip_while(|b| !matches!(b, Block::Subheading(h) if h == "Weight stability")),
    );
    if let Some(m) = &a.smaa {
        blocks.push(Block::Subheading("Central weights".into()));
        blocks.push(Block::Table(central_weights_table(appraisal, results, m)));
    }
    Report {
        title: format!("Sensitivity of {}", appraisal.meta.title),
        blocks,
        ..Report::default()
    }
}

/// Sentences as a list, one per line, each after "- ".
pub fn bullets(items: impl IntoIterator<Item = String>) -> String {
    items
        .into_iter()
        .map(|s| format!("- {s}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The sensitivity part of the JSON export: the document
/// `appraise sensitivity --format json` prints, field for field, with
/// `monte_carlo` null when no samples were asked for.
pub fn json(appraisal: &Appraisal, a: &Sensitivity) -> sensitivity::output::Document {
    // The analyses ran on the shortlist at effective weights.
    sensitivity::output::document(&appraisal.for_analysis(), a)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::load_example;

    #[test]
    fn ordinals_read_naturally() {
        let got: Vec<String> = [1, 2, 3, 4, 11, 12, 13, 21, 22, 101, 111]
            .into_iter()
            .map(ordinal)
            .collect();
        assert_eq!(
            got,
            [
                "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "101st",
                "111th"
            ]
        );
        assert_eq!(group_thousands(1_000_000), "1,000,000");
        assert_eq!(group_thousands(999), "999");
    }

    #[test]
    fn example_weight_table_and_chart_agree_with_the_engine() {
        let a = load_example().unwrap().appraisal;
        let r = crate::compute(&a);
        let an = analyse(&a, &ExportOptions::default()).unwrap();
        assert!(an.smaa.is_none());
        let t = weights_table(&a, &an);
        assert_eq!(t.rows.len(), 8);
        // Every chart line passes through the option's current total at the current share.
        for cs in &an.exact.weights {
            let chart = weight_chart(&a, &r, cs).unwrap();
            let ChartKind::Lines(l) = chart.kind else {
                panic!("a line chart")
            };
            for (s, res) in l.series.iter().zip(&r.options) {
                let (x0, y0) = s.points[0];
                let (x1, y1) = s.points[1];
                let at = y0 + (y1 - y0) * (cs.share - x0) / (x1 - x0);
                assert!((at - res.total).abs() < 1e-9);
            }
            let band = l.band.unwrap();
            assert!(band.from <= cs.share && cs.share <= band.to);
        }
    }

    #[test]
    fn many_criteria_chart_only_the_most_sensitive() {
        let a = crate::synth::appraisal(crate::synth::Spec {
            options: 4,
            criteria: 80,
            notes: false,
            seed: 3,
        });
        let r = crate::compute(&a);
        let blocks = blocks(&a, &r, &ExportOptions::default()).unwrap();
        let charts = blocks
            .iter()
            .filter(|b| matches!(b, Block::Chart(_)))
            .count();
        assert_eq!(charts, WEIGHT_CHARTS);
        assert!(
            blocks
                .iter()
                .any(|b| matches!(b, Block::Paragraph(p) if p.contains("covers all 80")))
        );
    }

    #[test]
    fn monte_carlo_adds_acceptability() {
        let a = load_example().unwrap().appraisal;
        let r = crate::compute(&a);
        let opts = ExportOptions {
            samples: Some(20_000),
            ..ExportOptions::default()
        };
        let blocks = blocks(&a, &r, &opts).unwrap();
        let table = blocks
            .iter()
            .find_map(|b| match b {
                Block::Table(t) if t.key == "sensitivity-acceptability" => Some(t),
                _ => None,
            })
            .unwrap();
        assert_eq!(table.rows.len(), 8);
        assert_eq!(table.columns.len(), 1 + 8);
        for row in &table.rows {
            let sum: f64 = row.cells[1..].iter().filter_map(|c| c.value.number()).sum();
            assert!((sum - 100.0).abs() < 1e-6, "shares add up to 100%: {sum}");
        }
        assert!(
            blocks
                .iter()
                .any(|b| matches!(b, Block::Chart(c) if c.key == "chart-acceptability"))
        );
        let again = super::blocks(&a, &r, &opts).unwrap();
        assert_eq!(blocks, again, "the same seed gives the same numbers");
    }

    #[test]
    fn groups_and_value_for_money_come_in_every_export() {
        let text = include_str!("../../tests/fixtures/v2/bridge-value.toml");
        let a = crate::load::load_str("bridge.toml", text)
            .unwrap()
            .appraisal;
        let r = crate::compute(&a);
        let blocks = blocks(&a, &r, &ExportOptions::default()).unwrap();
        let table = |key: &str| {
            blocks.iter().find_map(|b| match b {
                Block::Table(t) if t.key == key => Some(t.clone()),
                _ => None,
            })
        };
        let v = table("sensitivity-value-for-money").expect("value for money");
        // Cheapest first: Do minimum, Repair, Repair and widen, Replace, Rebuild.
        let names: Vec<String> = v.rows.iter().map(|r| r.cells[0].value.display()).collect();
        assert_eq!(
            names,
            [
                "Do minimum",
                "Repair",
                "Repair and widen",
                "Replace",
                "Rebuild downstream"
            ]
        );
        assert_eq!(v.rows[2].cells[4].value.display(), "Repair");
        assert_eq!(v.rows[1].cells[5].value.display(), "0.0952");
        let groups = table("sensitivity-group-weights").expect("group weights");
        assert!(
            groups
                .rows
                .iter()
                .any(|r| r.cells[0].value.display() == "Benefits")
        );
        assert!(table("sensitivity-group-leave-one-out").is_some());
        let chart = blocks
            .iter()
            .find_map(|b| match b {
                Block::Chart(c) if c.key == "chart-value-for-money" => Some(c),
                _ => None,
            })
            .expect("a scatter chart");
        let ChartKind::Scatter(sc) = &chart.kind else {
            panic!("a scatter chart")
        };
        assert_eq!(sc.points.len(), 5);
        assert_eq!(sc.line.as_ref().map(|l| l.points.len()), Some(3));
        let svg = super::super::svg::chart_svg(chart);
        assert_eq!(
            svg.matches("<circle").count(),
            5 + 2,
            "five points and two in the key"
        );
        assert!(svg.contains("Efficient frontier"));
    }

    #[test]
    fn json_has_no_monte_carlo_without_samples() {
        let a = load_example().unwrap().appraisal;
        let an = analyse(&a, &ExportOptions::default()).unwrap();
        let v = serde_json::to_value(json(&a, &an)).unwrap();
        assert!(v["monte_carlo"].is_null());
        assert_eq!(v["weights"].as_array().unwrap().len(), 8);
        assert!(!v["statements"].as_array().unwrap().is_empty());
    }

    #[test]
    fn json_matches_the_sensitivity_command_field_for_field() {
        let a = load_example().unwrap().appraisal;
        let opts = ExportOptions {
            samples: Some(5_000),
            ..ExportOptions::default()
        };
        let an = analyse(&a, &opts).unwrap();
        let full = sensitivity::analyse(&a, &smaa_config(5_000, opts.seed)).unwrap();
        let expected = serde_json::to_string(&sensitivity::output::document(&a, &full)).unwrap();
        assert_eq!(serde_json::to_string(&json(&a, &an)).unwrap(), expected);
        // Without samples, the same fields in the same order, Monte Carlo null.
        let exact = analyse(&a, &ExportOptions::default()).unwrap();
        let without = serde_json::to_string(&json(&a, &exact)).unwrap();
        let keys = |s: &str| -> Vec<String> {
            let v: serde_json::Value = serde_json::from_str(s).unwrap();
            v.as_object().unwrap().keys().cloned().collect()
        };
        assert_eq!(
            keys(&without),
            keys(&expected),
            "a field was added to the engine's document"
        );
        let order = |s: &str| -> Vec<usize> {
            [
                "\"title\"",
                "\"weights\"",
                "\"monte_carlo\"",
                "\"statements\"",
            ]
            .iter()
            .map(|k| s.find(k).unwrap())
            .collect()
        };
        assert!(order(&without).windows(2).all(|w| w[0] < w[1]));
    }
}
