//! The appraisal's report tables and charts, built once as a format-neutral
//! [`Report`] that every writer renders.

use std::fmt;
use std::str::FromStr;

use crate::compute::{Results, reconcile};
use crate::model::{Appraisal, Scale};
use crate::numbers;

use super::doc::{
    Bar, BarChart, Block, Cell, Chart, ChartKind, Column, Live, NoteFigure, Origin, PublishedCheck,
    Report, ReportTable, Row, RowKind, Value, WeightedSum,
};
use super::{ExportError, ExportOptions};

/// The groups of tables that can be selected with `--tables`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TableName {
    /// Criteria with weights, shares and descriptions.
    Criteria,
    /// Options by group, with descriptions.
    Options,
    /// The long list: every option's screening results (version 2).
    LongList,
    /// Strengths, weaknesses and score of each option.
    Summary,
    /// Rank, total and percent, with the totals chart.
    Ranking,
    /// Each option against the baseline (version 2).
    Baseline,
    /// The full score matrix with weights, totals and ranks.
    Matrix,
    /// The sensitivity statements, tables and charts.
    Sensitivity,
    /// One table per option: criterion, evaluation note, score and total.
    Annex,
}

impl TableName {
    /// Every group, in the order a report presents them.
    pub const ALL: [TableName; 9] = [
        TableName::Criteria,
        TableName::Options,
        TableName::LongList,
        TableName::Summary,
        TableName::Ranking,
        TableName::Baseline,
        TableName::Matrix,
        TableName::Sensitivity,
        TableName::Annex,
    ];

    /// The name used on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            TableName::Criteria => "criteria",
            TableName::Options => "options",
            TableName::LongList => "long-list",
            TableName::Baseline => "baseline",
            TableName::Summary => "summary",
            TableName::Ranking => "ranking",
            TableName::Matrix => "matrix",
            TableName::Sensitivity => "sensitivity",
            TableName::Annex => "annex",
        }
    }
}

impl fmt::Display for TableName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for TableName {
    type Err = ();

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        TableName::ALL
            .into_iter()
            .find(|t| t.as_str() == s)
            .ok_or(())
    }
}

/// Whether criteria are scored on scales that differ from the appraisal's
/// (version 2), so each score counts as a fraction of its own scale.
pub fn several_scales(appraisal: &Appraisal) -> bool {
    (0..appraisal.criteria().len()).any(|c| {
        let s = appraisal.scale_of(c);
        s.min() != appraisal.scale().min() || s.max() != appraisal.scale().max()
    })
}

/// The scale in one sentence; [`scale_table`] gives what the scores mean.
pub fn scale_sentence(appraisal: &Appraisal) -> String {
    let s = appraisal.scale();
    if !several_scales(appraisal) {
        return format!(
            "Each option is scored from {} to {} in steps of {} against each criterion.",
            numbers::score(s.min()),
            numbers::score(s.max()),
            numbers::score(s.step())
        );
    }
    let counted = if appraisal.no_common_scale() {
        "and that fraction, from 0 to 1, is what its weight multiplies".to_string()
    } else {
        format!(
            "and that fraction of the appraisal's scale, {} to {}, is what its weight multiplies",
            numbers::score(s.min()),
            numbers::score(s.max())
        )
    };
    format!(
        "Criteria are scored on scales of their own, listed below. Each score counts as the fraction of its own scale it reaches (2 on a scale of 1 to 3 is halfway, 0.5), {counted}."
    )
}

/// The scoring scale: its lowest and highest scores and every anchor, with
/// what each means (the review's scoring key).
pub fn scale_table(appraisal: &Appraisal) -> ReportTable {
    scale_table_of(appraisal.scale(), "scale", "Scoring scale".into())
}

/// Each distinct scale criteria are scored on, with the criteria that use
/// it: one table where every criterion shares the appraisal's scale.
pub fn scale_tables(appraisal: &Appraisal) -> Vec<ReportTable> {
    if !several_scales(appraisal) {
        return vec![scale_table(appraisal)];
    }
    let mut scales: Vec<(&Scale, Vec<String>)> = Vec::new();
    // A measured criterion's scores come from its value function, which
    // the criteria table states; its scale has no wording to list.
    for (c, crit) in appraisal
        .criteria()
        .iter()
        .enumerate()
        .filter(|(_, k)| k.measure().is_none())
    {
        let s = appraisal.scale_of(c);
        match scales.iter_mut().find(|(x, _)| *x == s) {
            Some((_, names)) => names.push(crit.name().to_string()),
            None => scales.push((s, vec![crit.name().to_string()])),
        }
    }
    scales
        .into_iter()
        .enumerate()
        .map(|(k, (s, names))| {
            let key = if k == 0 {
                "scale".to_string()
            } else {
                format!("scale-{}", k + 1)
            };
            let mut t = scale_table_of(
                s,
                &key,
                format!(
                    "Scoring scale {} to {}: {}",
                    numbers::score(s.min()),
                    numbers::score(s.max()),
                    names.join(", ")
                ),
            );
            if k > 0 {
                t.short_name = Some(format!("Scale {}", k + 1));
            }
            t
        })
        .collect()
}

/// The meaning a scale table gives an end of the scale that has no label
/// of its own (`import` knows it is not the file's wording).
pub fn unlabelled_end(highest: bool) -> &'static str {
    if highest {
        "The highest score."
    } else {
        "The lowest score."
    }
}

fn scale_table_of(s: &Scale, key: &str, title: String) -> ReportTable {
    let mut t = ReportTable::new(
        key,
        title,
        vec![Column::number("Score"), Column::prose("Meaning")],
    )
    .with_row_header(0)
    .with_short_name("Scale");
    let mut points: Vec<(f64, String)> = s.labels().to_vec();
    for (end, highest) in [(s.min(), false), (s.max(), true)] {
        if !points.iter().any(|(v, _)| *v == end) {
            points.push((end, unlabelled_end(highest).to_string()));
        }
    }
    points.sort_by(|a, b| a.0.total_cmp(&b.0));
    for (v, label) in points {
        t.rows.push(Row::body(vec![
            Cell::new(number(v, numbers::score)),
            Cell::text(label),
        ]));
    }
    t.notes.push(format!(
        "Scores run from {} to {} in steps of {}; a score between two anchors lies between their meanings.",
        numbers::score(s.min()),
        numbers::score(s.max()),
        numbers::score(s.step())
    ));
    t
}

/// The scale's range, as the unit of a score: "0 to 5".
fn scale_range(appraisal: &Appraisal) -> String {
    let s = appraisal.scale();
    format!("{} to {}", numbers::score(s.min()), numbers::score(s.max()))
}

fn out_of(value: f64, max: f64) -> Value {
    Value::OutOf {
        value,
        max,
        display: numbers::total_of(value, max),
    }
}

/// A number shown by `rule`, one of [`numbers`]' rules for its quantity.
fn number(value: f64, rule: fn(f64) -> String) -> Value {
    Value::Number {
        value,
        display: rule(value),
    }
}

fn percent(value: f64) -> Value {
    Value::Percent {
        value,
        display: numbers::percent(value),
    }
}

fn text_or_empty(s: Option<&str>) -> Cell {
    match s {
        Some(t) => Cell::text(t),
        None => Cell::empty(),
    }
}

/// An option's published total as the source printed it (3.80 keeps both
/// decimals), or an empty cell.
fn published_cell(o: &crate::model::AppraisalOption) -> Cell {
    match o.published() {
        Some(p) => Cell::new(Value::Number {
            value: p.value(),
            display: p.text(),
        }),
        None => Cell::empty(),
    }
}

/// How far each listed option's total may stray from its published figure
/// and still agree with it (the published figure's own rounding).
fn published_allowances(appraisal: &Appraisal, order: &[usize]) -> Vec<f64> {
    order
        .iter()
        .map(|&i| {
            appraisal
                .options()
                .get(i)
                .and_then(|o| o.published())
                .map_or(0.0, |p| p.allowance())
        })
        .collect()
}

fn score_cell(score: Option<f64>) -> Cell {
    match score {
        Some(s) => Cell::new(number(s, numbers::score)),
        None => Cell::new(Value::Missing),
    }
}

/// Criterion `c`'s score cell: exact for a judged score, at most two
/// decimals for one derived from a measured value.
fn criterion_score_cell(appraisal: &Appraisal, c: usize, score: Option<f64>) -> Cell {
    let measured = appraisal
        .criteria()
        .get(c)
        .is_some_and(|k| k.measure().is_some());
    match score {
        Some(s) if measured => Cell::new(number(s, numbers::derived_score)),
        _ => score_cell(score),
    }
}

/// A criterion's share of the total weight, 0-100, at its effective weight
/// (its weight as written where there are no criteria groups).
fn share(appraisal: &Appraisal, c: usize) -> f64 {
    let w = appraisal.effective_weights().get(c).copied().unwrap_or(0.0);
    100.0 * w / appraisal.total_weight()
}

fn all_weights_one(appraisal: &Appraisal) -> bool {
    appraisal.criteria().iter().all(|c| c.weight() == 1.0)
}

/// A group's name with the groups above it, outermost first:
/// "Quality / Service delivery".
pub fn group_path(appraisal: &Appraisal, g: usize) -> String {
    let mut path: Vec<&str> = appraisal
        .group_path(g)
        .into_iter()
        .filter_map(|x| appraisal.groups().get(x).map(|x| x.name()))
        .collect();
    path.reverse();
    path.join(" / ")
}

/// The sum of the weights of group `g`'s members (its criteria and the
/// groups directly inside it), or of the top level for `None`.
fn members_weight(appraisal: &Appraisal, g: Option<usize>) -> f64 {
    let criteria: f64 = appraisal
        .criteria()
        .iter()
        .filter(|c| c.group() == g)
        .map(|c| c.weight())
        .sum();
    let groups: f64 = appraisal
        .groups()
        .iter()
        .filter(|x| x.parent() == g)
        .map(|x| x.weight())
        .sum();
    criteria + groups
}

/// A member's weight as a share of its siblings' (0-1; 0 when they all weigh nothing).
fn share_of_siblings(appraisal: &Appraisal, weight: f64, parent: Option<usize>) -> f64 {
    let sum = members_weight(appraisal, parent);
    if sum > 0.0 { weight / sum } else { 0.0 }
}

/// Criterion `c`'s scale as the criteria table's Scale column shows it:
/// "0 to 5", with "measured" for a criterion whose scores are derived.
pub fn scale_cell(appraisal: &Appraisal, c: usize) -> String {
    let s = appraisal.scale_of(c);
    let range = format!("{} to {}", numbers::score(s.min()), numbers::score(s.max()));
    match appraisal.criteria().get(c).and_then(|k| k.measure()) {
        Some(_) => format!("{range}, measured"),
        None => range,
    }
}

/// How a measured criterion is scored, in a sentence: its unit, which way
/// is better and its value function ([`Appraisal::value_rule`]). The
/// criteria section and the score matrix's notes both say it so.
pub fn measured_sentence(appraisal: &Appraisal, c: usize) -> Option<String> {
    let k = appraisal.criteria().get(c)?;
    let m = k.measure()?;
    let unit = m
        .unit
        .as_deref()
        .map_or(String::new(), |u| format!(" in {u}"));
    Some(format!(
        "{} is measured{unit} ({} is better); its score comes from {}.",
        k.name(),
        m.better.as_str(),
        appraisal.value_rule(c)?
    ))
}

/// The criteria with weights, shares and descriptions (the review's Table 3).
/// With criteria groups it shows each criterion's group, its share of the
/// group, the group's share and the effective weight; with scales that
/// differ, or measured criteria, how each is scored.
pub fn criteria_table(appraisal: &Appraisal) -> ReportTable {
    let grouped = !appraisal.groups().is_empty();
    let scales =
        several_scales(appraisal) || appraisal.criteria().iter().any(|c| c.measure().is_some());
    let mut columns = vec![Column::text("#"), Column::text("Criterion")];
    if grouped {
        columns.push(Column::text("Group"));
    }
    columns.push(Column::number("Weight"));
    if grouped {
        columns.push(Column::number("Share of group").as_working());
        columns.push(Column::number("Group's share").as_working());
        columns.push(Column::number("Effective weight"));
    }
    columns.push(Column::number("Share of total weight"));
    if scales {
        columns.push(Column::text("Scale"));
    }
    columns.push(Column::prose("Description"));
    let mut t = ReportTable::new("criteria", "Evaluation criteria and weights", columns)
        .with_row_header(1)
        .with_short_name("Criteria");
    let eff = appraisal.effective_weights();
    let gw = appraisal.group_weights();
    let total_weight = appraisal.total_weight();
    let mut example = None;
    for (c, crit) in appraisal.criteria().iter().enumerate() {
        let mut cells = vec![Cell::text(format!("C{}", c + 1)), Cell::text(crit.name())];
        let weight = Cell::new(number(crit.weight(), numbers::weight));
        if !grouped {
            cells.push(weight.with_live(Live::Weight { criterion: c }));
            cells.push(
                Cell::new(percent(share(appraisal, c))).with_live(Live::Share { criterion: c }),
            );
        } else {
            let e = eff.get(c).copied().unwrap_or(0.0);
            match crit.group() {
                Some(g) => {
                    let within = share_of_siblings(appraisal, crit.weight(), Some(g));
                    let gshare = gw.get(g).copied().unwrap_or(0.0) / total_weight;
                    if example.is_none() && e > 0.0 {
                        example = Some((c, g, within, gshare, e));
                    }
                    cells.push(text_or_empty(appraisal.groups().get(g).map(|x| x.name())));
                    cells.push(weight.with_live(Live::Weight { criterion: c }));
                    cells.push(
                        Cell::new(percent(100.0 * within))
                            .with_live(Live::ShareOfGroup { criterion: c }),
                    );
                    cells.push(
                        Cell::new(percent(100.0 * gshare)).with_live(Live::GroupShare { group: g }),
                    );
                }
                None => {
                    cells.push(Cell::empty());
                    cells.push(weight.with_live(Live::Weight { criterion: c }));
                    cells.push(Cell::empty());
                    cells.push(Cell::empty());
                }
            }
            cells.push(
                Cell::new(number(e, numbers::weight))
                    .with_live(Live::EffectiveWeight { criterion: c }),
            );
            cells.push(
                Cell::new(percent(share(appraisal, c))).with_live(Live::Share { criterion: c }),
            );
        }
        if scales {
            cells.push(Cell::text(scale_cell(appraisal, c)));
        }
        cells.push(text_or_empty(crit.description.as_deref()));
        t.rows.push(Row::body(cells));
    }
    let total = numbers::weight(total_weight);
    if !grouped {
        t.note_figures.push(NoteFigure {
            note: t.notes.len(),
            shown: total.clone(),
            live: Live::TotalWeight,
        });
        t.notes.push(format!(
            "The weights add up to {total}. A criterion's share is its weight divided by that sum."
        ));
    } else {
        t.note_figures.push(NoteFigure {
            note: t.notes.len(),
            shown: total.clone(),
            live: Live::TotalWeight,
        });
        t.notes.push(format!(
            "A criterion's weight counts within its group: its share of the group is its weight divided by the sum of the weights in the group (its criteria and the groups inside it). Its effective weight is that share times the group's effective weight, so its share of the total weight is its share of the group times the group's share. The effective weights add up to {total}."
        ));
        if let Some((c, g, within, gshare, e)) = example {
            let name = appraisal.criteria().get(c).map_or("", |k| k.name());
            let group = appraisal.groups().get(g).map_or("", |x| x.name());
            t.notes.push(format!(
                "For example, {name} has {} of {group}, which has {} of the total weight: {} × {} = {}, an effective weight of {} of {total}.",
                numbers::share(within),
                numbers::share(gshare),
                numbers::share(within),
                numbers::share(gshare),
                numbers::share(within * gshare),
                numbers::weight(e)
            ));
        }
    }
    if appraisal.percent_weights() {
        t.notes
            .push("Weights are written as percentages: each set of weights adds up to 100.".into());
    }
    t.notes
        .extend((0..appraisal.criteria().len()).filter_map(|c| measured_sentence(appraisal, c)));
    t
}

/// The criteria groups (the value tree): each group's weight, its share of
/// the group it sits in, its share of the total weight and its highest
/// possible subtotal. `None` without groups.
pub fn groups_table(appraisal: &Appraisal, results: &Results) -> Option<ReportTable> {
    if appraisal.groups().is_empty() {
        return None;
    }
    let mut t = ReportTable::new(
        "groups",
        "Criteria groups and weights",
        vec![
            Column::text("Group"),
            Column::number("Weight"),
            Column::number("Share of parent"),
            Column::number("Share of total weight"),
            Column::number("Highest subtotal"),
            Column::prose("Description"),
        ],
    )
    .with_row_header(0)
    .with_short_name("Groups");
    let gw = appraisal.group_weights();
    let total_weight = appraisal.total_weight();
    for (g, x) in appraisal.groups().iter().enumerate() {
        t.rows.push(Row::body(vec![
            Cell::text(group_path(appraisal, g)),
            Cell::new(number(x.weight(), numbers::weight))
                .with_live(Live::GroupWeight { group: g }),
            Cell::new(percent(
                100.0 * share_of_siblings(appraisal, x.weight(), x.parent()),
            ))
            .with_live(Live::GroupShareOfParent { group: g }),
            Cell::new(percent(
                100.0 * gw.get(g).copied().unwrap_or(0.0) / total_weight,
            ))
            .with_live(Live::GroupShare { group: g }),
            Cell::new(number(
                results.max_subtotals.get(g).copied().unwrap_or(0.0),
                numbers::total,
            ))
            .with_live(Live::MaxSubtotal { group: g }),
            text_or_empty(x.description.as_deref()),
        ]));
    }
    t.notes.push(
        "A group's weight counts against the other members of the group it sits in (or the other top-level groups and criteria). Its share of the total weight is its share of its parent times the parent's share; its highest subtotal is that share of the highest possible total.".into(),
    );
    Some(t)
}

/// Options by group, with descriptions (the review's Table 4). Options keep
/// file order within each group; groups appear in order of first use. Where
/// the file declares option groups (version 2), each group is a heading row
/// with its description over its options, instead of a column repeated on
/// every row.
pub fn options_table(appraisal: &Appraisal) -> ReportTable {
    let grouped = appraisal.options().iter().any(|o| o.group.is_some());
    let headed = grouped && !appraisal.option_groups().is_empty();
    let mut columns = Vec::new();
    if grouped && !headed {
        columns.push(Column::text("Group"));
    }
    columns.push(Column::text("Option"));
    columns.push(Column::prose("Description"));
    let mut t = ReportTable::new("options", "Options by group", columns)
        .with_row_header(usize::from(grouped && !headed))
        .with_short_name("Options");
    let mut groups: Vec<Option<&str>> = Vec::new();
    for o in appraisal.options() {
        if !groups.contains(&o.group.as_deref()) {
            groups.push(o.group.as_deref());
        }
    }
    for g in groups {
        if headed {
            let described = appraisal
                .option_groups()
                .iter()
                .find(|x| Some(x.name.as_str()) == g);
            t.rows.push(Row::heading(vec![
                Cell::text(g.unwrap_or("Not in a group")),
                text_or_empty(described.and_then(|x| x.description.as_deref())),
            ]));
        }
        for o in appraisal
            .options()
            .iter()
            .filter(|o| o.group.as_deref() == g)
        {
            let mut cells = Vec::new();
            if grouped && !headed {
                cells.push(text_or_empty(g));
            }
            let mut name = Cell::text(o.label());
            if o.screened_out() {
                name.remark = Some("screened out".into());
            } else if o.is_baseline() {
                name.remark = Some("baseline".into());
            }
            cells.push(name);
            cells.push(text_or_empty(o.description.as_deref()));
            t.rows.push(Row::body(cells));
        }
    }
    if !grouped {
        t.title = "Options".into();
    }
    if headed {
        t.notes.push(
            "Each group's row gives what its options have in common; its options follow it.".into(),
        );
    }
    if appraisal.options().iter().any(|o| o.screened_out()) {
        t.notes.push(
            "An option marked screened out failed a screening test and is not ranked; the long list gives the reasons.".into(),
        );
    }
    t
}

/// The long list: every option with its result on each screening test
/// (pass or fail), whether it went on to the shortlist, and the reason
/// recorded for each failure. `None` without screening tests.
pub fn long_list_table(appraisal: &Appraisal) -> Option<ReportTable> {
    let screens = appraisal.screens();
    if screens.is_empty() {
        return None;
    }
    let mut columns = vec![Column::text("Option")];
    columns.extend(screens.iter().map(|s| Column::text(s.name())));
    columns.push(Column::text("Outcome"));
    columns.push(Column::prose("Reasons for failing"));
    let mut t = ReportTable::new("long-list", "Long list: screening of options", columns)
        .with_row_header(0)
        .with_short_name("Long list");
    let mut untested = false;
    for o in appraisal.options() {
        let mut cells = vec![Cell::text(o.label())];
        let mut reasons = Vec::new();
        for (k, screen) in screens.iter().enumerate() {
            cells.push(match o.screening().get(k).and_then(Option::as_ref) {
                Some(r) if r.pass => Cell::text("Pass"),
                Some(r) => {
                    let reason = r.reason.as_deref().unwrap_or("");
                    reasons.push(if screens.len() > 1 {
                        format!("{}: {reason}", screen.name())
                    } else {
                        reason.to_string()
                    });
                    Cell::text("Fail")
                }
                None => {
                    untested = true;
                    Cell::new(Value::Missing)
                }
            });
        }
        cells.push(Cell::text(if o.screened_out() {
            "Screened out"
        } else {
            "Shortlisted"
        }));
        cells.push(Cell::new(Value::List { items: reasons }));
        t.rows.push(Row::body(cells));
    }
    for s in screens {
        if let Some(d) = &s.description {
            t.notes.push(format!("{}: {d}", s.name()));
        }
    }
    t.notes.push(
        "An option that fails any test is screened out: it takes no part in ranking, in the local scales of measured criteria, or in sensitivity.".into(),
    );
    if untested {
        t.notes.push(
            "– marks a test with no result yet; the option stays on the shortlist until it has one.".into(),
        );
    }
    Some(t)
}

/// The remark and note for an option's total: incomplete scoring and
/// published-total mismatches.
fn total_remark(
    appraisal: &Appraisal,
    results: &Results,
    i: usize,
) -> (Option<String>, Vec<String>) {
    let mut remarks = Vec::new();
    let mut notes = Vec::new();
    let (Some(o), Some(r)) = (appraisal.options().get(i), results.options.get(i)) else {
        return (None, notes);
    };
    if !r.complete {
        let scored = o.scores().iter().filter(|s| s.is_some()).count();
        let n = o.scores().len();
        remarks.push(format!("incomplete: {scored} of {n} scored"));
        notes.push(format!(
            "{} is incomplete: {scored} of {n} criteria are scored, so its total counts only those and may rise when scoring is finished.",
            o.name()
        ));
    }
    // The rule of `reconcile`, for this option alone: looking it up in a
    // list of mismatches made a table of n options cost up to n².
    if let Some(p) = o.published()
        && !p.agrees_with(r.total)
    {
        remarks.push(format!("published as {}", p.text()));
        notes.extend(crate::compute::mismatch_note(appraisal, results, i));
    }
    let remark = (!remarks.is_empty()).then(|| remarks.join("; "));
    (remark, notes)
}

fn push_unique(notes: &mut Vec<String>, new: Vec<String>) {
    for n in new {
        if !notes.contains(&n) {
            notes.push(n);
        }
    }
}

/// Strengths, weaknesses and score of each option, in file order (the review's Table 5).
/// An option screened out shows that instead of a score.
pub fn summary_table(appraisal: &Appraisal, results: &Results) -> ReportTable {
    let mut t = ReportTable::new(
        "summary",
        "Summary of options: strengths, weaknesses and score",
        vec![
            Column::text("Option"),
            Column::prose("Main strengths"),
            Column::prose("Main weaknesses"),
            Column::number("Score"),
        ],
    )
    .with_row_header(0)
    .with_short_name("Summary");
    let mut screened = false;
    for (i, (o, r)) in appraisal.options().iter().zip(&results.options).enumerate() {
        let score = if r.screened_out {
            screened = true;
            Cell::text("screened out")
        } else {
            let (remark, notes) = total_remark(appraisal, results, i);
            push_unique(&mut t.notes, notes);
            let mut score =
                Cell::new(out_of(r.total, results.max_total)).with_live(Live::Total { option: i });
            score.remark = remark;
            score
        };
        t.rows.push(Row::body(vec![
            Cell::text(o.label()),
            Cell::new(Value::List {
                items: o.strengths.clone(),
            }),
            Cell::new(Value::List {
                items: o.weaknesses.clone(),
            }),
            score,
        ]));
    }
    if screened {
        t.notes.push(screened_note());
    }
    t
}

fn screened_note() -> String {
    "An option screened out failed a screening test, so it is not scored against the shortlist or ranked; the long list gives the reasons.".into()
}

/// The top-level criteria groups that carry weight, in file order: the
/// groups a ranking shows subtotals for.
pub fn top_groups(appraisal: &Appraisal) -> Vec<usize> {
    let gw = appraisal.group_weights();
    appraisal
        .groups()
        .iter()
        .enumerate()
        .filter(|(g, x)| x.parent().is_none() && gw.get(*g).is_some_and(|w| *w > 0.0))
        .map(|(g, _)| g)
        .collect()
}

/// A difference from the baseline, signed: "+21.8", "-3", "0".
fn difference(d: f64) -> Value {
    let shown = numbers::total(d);
    Value::Number {
        value: d,
        display: if d > 0.0 && shown != "0" {
            format!("+{shown}")
        } else {
            shown
        },
    }
}

/// The remark on a figure the source published differently: "published as 2".
fn published_as(text: String) -> String {
    format!("published as {text}")
}

/// Rank, option, total and percent, best first (the review's Table 6), with
/// each top-level criteria group's subtotal beside the total where there
/// are groups. Options screened out are not ranked and are left out.
pub fn ranking_table(appraisal: &Appraisal, results: &Results) -> ReportTable {
    let tops = top_groups(appraisal);
    let mut columns = vec![Column::number("Rank"), Column::text("Option")];
    for &g in &tops {
        let name = appraisal.groups().get(g).map_or("", |x| x.name());
        let max = results.max_subtotals.get(g).copied().unwrap_or(0.0);
        columns.push(Column::number(format!(
            "{name} (of {})",
            numbers::total(max)
        )));
    }
    columns.push(Column::number("Total"));
    columns.push(Column::number("Percent"));
    let mut t = ReportTable::new("ranking", "Ranking of options", columns)
        .with_row_header(1)
        .with_short_name("Ranking");
    for i in results.rank_order() {
        let (Some(o), Some(r)) = (appraisal.options().get(i), results.options.get(i)) else {
            continue;
        };
        let (remark, notes) = total_remark(appraisal, results, i);
        push_unique(&mut t.notes, notes);
        let mut total =
            Cell::new(out_of(r.total, results.max_total)).with_live(Live::Total { option: i });
        total.remark = remark;
        let mut rank = Cell::new(Value::Number {
            value: r.rank as f64,
            display: r.rank.to_string(),
        })
        .with_live(Live::Rank { option: i });
        if let Some(p) = o.published_rank {
            if p as usize != r.rank {
                rank.remark = Some(published_as(p.to_string()));
            }
            rank = rank.with_published(PublishedCheck {
                value: f64::from(p),
                allowance: 0.0,
                scale: 1.0,
                remark: published_as(p.to_string()),
            });
        }
        let mut cells = vec![rank, Cell::text(o.label())];
        for &g in &tops {
            let value = r.subtotals.get(g).copied().unwrap_or(0.0);
            let mut cell = Cell::new(number(value, numbers::total)).with_live(Live::Subtotal {
                option: i,
                group: g,
            });
            if let Some((_, p)) = o.published_subtotals().iter().find(|(x, _)| *x == g) {
                if !p.agrees_with(value) {
                    cell.remark = Some(published_as(p.text()));
                }
                cell = cell.with_published(PublishedCheck {
                    value: p.value(),
                    allowance: p.allowance(),
                    scale: 1.0,
                    remark: published_as(p.text()),
                });
            }
            cells.push(cell);
        }
        cells.push(total);
        let mut pct = Cell::new(percent(r.percent)).with_live(Live::Percent { option: i });
        if let Some(p) = o.published_percent {
            if !p.agrees_with(r.percent) {
                pct.remark = Some(published_as(format!("{}%", p.text())));
            }
            pct = pct.with_published(PublishedCheck {
                value: p.value(),
                allowance: p.allowance(),
                scale: 100.0,
                remark: published_as(format!("{}%", p.text())),
            });
        }
        cells.push(pct);
        t.rows.push(Row::body(cells));
    }
    let mut ranks: Vec<usize> = results
        .rank_order()
        .into_iter()
        .filter_map(|i| results.options.get(i).map(|r| r.rank))
        .collect();
    ranks.sort_unstable();
    if ranks.windows(2).any(|w| w[0] == w[1]) {
        t.notes.push(
            "Options with equal totals share the higher rank; the next rank is skipped.".into(),
        );
    }
    if results.min_total != 0.0 {
        t.notes.push(format!(
            "Percent shows where the total sits between the lowest possible total ({}) and the highest ({}).",
            numbers::total(results.min_total),
            numbers::total(results.max_total)
        ));
    } else {
        t.notes
            .push("Percent is the total as a share of the highest possible total.".into());
    }
    for (_, note) in crate::compute::rounding_notes(appraisal, results) {
        t.notes.push(format!("{note}."));
    }
    if !tops.is_empty() {
        let ungrouped = appraisal
            .criteria()
            .iter()
            .zip(appraisal.effective_weights())
            .any(|(c, w)| c.group().is_none() && w > 0.0);
        t.notes.push(format!(
            "Each group's subtotal is what the criteria in it add to the total{}.",
            if ungrouped {
                "; criteria outside any group add to the total directly"
            } else {
                ", and the subtotals add up to the total"
            }
        ));
    }
    // Published ranks, percentages and subtotals, checked as totals are.
    for w in crate::compute::published_figures(appraisal, results) {
        t.notes.push(format!("{}.", w.message));
    }
    let agreeing = published_agreeing(appraisal, results);
    if !agreeing.is_empty() {
        t.notes.push(format!(
            "Figures the source published that these results reproduce: {}.",
            agreeing.join("; ")
        ));
    }
    let out: Vec<String> = results
        .long_list()
        .into_iter()
        .filter_map(|i| appraisal.options().get(i).map(|o| o.label()))
        .collect();
    if !out.is_empty() {
        t.notes.push(format!(
            "Not ranked, as screened out: {} (the long list gives the reasons).",
            numbers::join_and(&out)
        ));
    }
    t
}

/// The published ranks, percentages and subtotals that agree with the
/// results, each as "A. Name: rank 1".
fn published_agreeing(appraisal: &Appraisal, results: &Results) -> Vec<String> {
    let mut out = Vec::new();
    for (o, r) in appraisal.options().iter().zip(&results.options) {
        if r.screened_out {
            continue;
        }
        let mut figures = Vec::new();
        if o.published_rank.is_some_and(|p| p as usize == r.rank) {
            figures.push(format!("rank {}", r.rank));
        }
        if let Some(p) = o.published_percent
            && p.agrees_with(r.percent)
        {
            figures.push(format!("{}%", p.text()));
        }
        for (g, p) in o.published_subtotals() {
            if r.subtotals.get(*g).is_some_and(|v| p.agrees_with(*v)) {
                let name = appraisal.groups().get(*g).map_or("", |x| x.name());
                figures.push(format!("{name} subtotal {}", p.text()));
            }
        }
        if !figures.is_empty() {
            out.push(format!("{}: {}", o.label(), figures.join(", ")));
        }
    }
    out
}

/// Each shortlisted option against the baseline (business as usual or do
/// minimum), as the Green Book asks: its total and its difference from the
/// baseline's, in total and for each top-level criteria group. `None`
/// without a baseline.
pub fn baseline_table(appraisal: &Appraisal, results: &Results) -> Option<ReportTable> {
    let b = appraisal.baseline()?;
    let base = appraisal.options().get(b)?;
    let tops = top_groups(appraisal);
    let mut columns = vec![
        Column::text("Option"),
        Column::number("Total"),
        Column::number("Difference from baseline"),
    ];
    for &g in &tops {
        let name = appraisal.groups().get(g).map_or("", |x| x.name());
        columns.push(Column::number(format!("Difference in {name}")));
    }
    let mut t = ReportTable::new("baseline", "Options against the baseline", columns)
        .with_row_header(0)
        .with_short_name("Baseline");
    for i in results.rank_order() {
        let (Some(o), Some(r)) = (appraisal.options().get(i), results.options.get(i)) else {
            continue;
        };
        let mut name = Cell::text(o.label());
        if i == b {
            name.remark = Some("baseline".into());
        }
        let mut cells = vec![
            name,
            Cell::new(out_of(r.total, results.max_total)).with_live(Live::Total { option: i }),
            match r.vs_baseline {
                Some(d) => Cell::new(difference(d)).with_live(Live::VsBaseline {
                    option: i,
                    baseline: b,
                }),
                None => Cell::new(Value::Missing),
            },
        ];
        for &g in &tops {
            cells.push(match results.subtotal_vs_baseline(i, g, b) {
                Some(d) => Cell::new(difference(d)).with_live(Live::SubtotalVsBaseline {
                    option: i,
                    group: g,
                    baseline: b,
                }),
                None => Cell::new(Value::Missing),
            });
        }
        t.rows.push(Row::body(cells));
    }
    t.notes.push(format!(
        "The baseline is {}. Each difference is the option's total (or group subtotal) less the baseline's: above zero scores better than the baseline.",
        base.label()
    ));
    if base.screened_out() {
        t.notes.push(
            "The baseline is screened out, so it is not ranked, but the shortlist is still compared with it.".into(),
        );
    }
    Some(t)
}

/// A score matrix's totals column, which a narrow terminal heads "Total"
/// and says what the totals are out of in its key.
fn total_column(results: &Results) -> Column {
    let max = numbers::total(results.max_total);
    Column::number(format!("Total (of {max})"))
        .with_short("Total", format!("Totals are out of {max}."))
}

/// A score matrix's column of the totals a source document printed, beside
/// the ones the scores give, when any option has one. A terminal short of
/// room leaves it out: the totals' remarks say wherever they differ.
fn published_column(appraisal: &Appraisal) -> Option<Column> {
    let any = appraisal
        .options()
        .iter()
        .any(|o| o.published_total().is_some());
    any.then(|| Column::number("Published total").as_repeating())
}

/// The full score matrix in rank order: a weight row, one row per option,
/// totals and ranks. Spreadsheets keep the totals and ranks live.
pub fn matrix_table(appraisal: &Appraisal, results: &Results) -> ReportTable {
    if appraisal.is_v2() {
        return grouped_matrix(appraisal, results);
    }
    let n = appraisal.criteria().len();
    let mut columns = vec![Column::number("Rank"), Column::text("Option")];
    columns.extend(
        appraisal
            .criteria()
            .iter()
            .map(|c| Column::number(c.name()).with_unit(scale_range(appraisal))),
    );
    columns.push(total_column(results));
    debug_assert!(
        columns
            .last()
            .is_some_and(|c| c.header.starts_with("Total (of "))
    );
    let published_col = published_column(appraisal);
    let published = published_col.is_some();
    columns.extend(published_col);
    let mut t = ReportTable::new(
        "matrix",
        "Full score matrix: weights, scores, totals and ranks",
        columns,
    )
    .with_row_header(1)
    .with_short_name("Matrix");
    let mut weights = vec![Cell::empty(), Cell::text("Weight")];
    weights.extend(
        appraisal
            .criteria()
            .iter()
            .map(|c| Cell::new(number(c.weight(), numbers::weight))),
    );
    weights.push(Cell::empty());
    if published {
        weights.push(Cell::empty());
    }
    t.rows.push(Row {
        kind: RowKind::Parameters,
        cells: weights,
    });
    let MatrixBody {
        rows,
        order,
        any_missing,
        remarks,
    } = matrix_body(appraisal, results, published, |o, _| {
        o.scores().iter().map(|s| score_cell(*s)).collect()
    });
    t.rows.extend(rows);
    let published_allowance = published_allowances(appraisal, &order);
    t.weighted_sum = Some(WeightedSum {
        weight_row: 0,
        rows: 1..t.rows.len(),
        columns: 2..2 + n,
        total_column: 2 + n,
        rank_column: Some(0),
        options: order,
        scale: (
            appraisal.scale().min(),
            appraisal.scale().max(),
            appraisal.scale().step(),
        ),
        totals: (results.min_total, results.max_total),
        total_label: "Total".into(),
        published_column: published.then_some(3 + n),
        published_allowance,
        grouped: None,
    });
    t.notes
        .push("Each total is the sum of every score multiplied by its criterion's weight.".into());
    t.notes.extend(remarks);
    if any_missing {
        t.notes
            .push("– marks a score not yet given; it counts as nothing in the total.".into());
    }
    t
}

/// One column of a version-2 score matrix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum MatrixColumn {
    /// A measured criterion's raw values.
    Raw(usize),
    /// A criterion's scores (derived, for a measured criterion).
    Score(usize),
    /// A criteria group's subtotals.
    Subtotal(usize),
}

/// The columns of a version-2 matrix in the value tree's order: at each
/// level the criteria outside any deeper group (a measured one's raw value
/// just before its score), then each group in turn, its subtotal after its
/// own columns, so a group's columns sit together under it.
fn matrix_columns(appraisal: &Appraisal) -> Vec<MatrixColumn> {
    fn walk(a: &Appraisal, parent: Option<usize>, depth: usize, out: &mut Vec<MatrixColumn>) {
        for (c, k) in a.criteria().iter().enumerate() {
            if k.group() == parent {
                if k.measure().is_some() {
                    out.push(MatrixColumn::Raw(c));
                }
                out.push(MatrixColumn::Score(c));
            }
        }
        // The depth bound guards against a cycle, which loading rejects.
        if depth > a.groups().len() {
            return;
        }
        for (g, group) in a.groups().iter().enumerate() {
            if group.parent() == parent {
                walk(a, Some(g), depth + 1, out);
                out.push(MatrixColumn::Subtotal(g));
            }
        }
    }
    let mut out = Vec::new();
    walk(appraisal, None, 0, &mut out);
    out
}

/// A group's name with the groups above it: "Quality > Service delivery".
fn matrix_group_path(appraisal: &Appraisal, g: usize) -> String {
    let mut path: Vec<&str> = appraisal
        .group_path(g)
        .into_iter()
        .filter_map(|x| appraisal.groups().get(x).map(|x| x.name()))
        .collect();
    path.reverse();
    path.join(" > ")
}

/// A criterion's scale as a column unit: "of 5" from zero, else "1 to 3".
fn scale_words(s: &crate::model::Scale) -> String {
    if s.min() == 0.0 {
        format!("of {}", numbers::score(s.max()))
    } else {
        format!("{} to {}", numbers::score(s.min()), numbers::score(s.max()))
    }
}

/// The score matrix's body, as both versions' matrices build it.
struct MatrixBody {
    /// A row per ranked option, best first.
    rows: Vec<Row>,
    /// The options in row order.
    order: Vec<usize>,
    /// Whether any option still has scores to give.
    any_missing: bool,
    /// The notes the totals' remarks need, once each.
    remarks: Vec<String>,
}

/// The score matrix's body rows, one per ranked option in rank order: its
/// rank, the option as tables name it, the cells `scores` gives for it, its
/// total with any remark, and its published total when the table has that
/// column. The two matrices differ only in `scores`.
fn matrix_body(
    appraisal: &Appraisal,
    results: &Results,
    published: bool,
    scores: impl Fn(&crate::model::AppraisalOption, &crate::compute::OptionResult) -> Vec<Cell>,
) -> MatrixBody {
    let mut body = MatrixBody {
        rows: Vec::new(),
        order: Vec::new(),
        any_missing: false,
        remarks: Vec::new(),
    };
    for i in results.rank_order() {
        let (Some(o), Some(r)) = (appraisal.options().get(i), results.options.get(i)) else {
            continue;
        };
        body.any_missing |= !r.complete;
        let (remark, notes) = total_remark(appraisal, results, i);
        push_unique(&mut body.remarks, notes);
        let scored = scores(o, r);
        // Exactly the row's cells: a row grown by pushing doubles its room,
        // which for 10,000 options of 100 criteria held 140 MB unused.
        let mut cells = Vec::with_capacity(scored.len() + 3 + usize::from(published));
        cells.push(Cell::new(Value::Number {
            value: r.rank as f64,
            display: r.rank.to_string(),
        }));
        cells.push(Cell::text(o.label()));
        cells.extend(scored);
        let mut total = Cell::new(number(r.total, numbers::total));
        total.remark = remark;
        cells.push(total);
        if published {
            cells.push(published_cell(o));
        }
        body.rows.push(Row::body(cells));
        body.order.push(i);
    }
    body
}

/// The version-2 score matrix: criteria under their groups with a subtotal
/// column per group, each criterion's own scale in its header, a measured
/// criterion's raw value beside its derived score, the shortlist only (the
/// long list holds the options screened out), options named "3. Name".
fn grouped_matrix(appraisal: &Appraisal, results: &Results) -> ReportTable {
    let layout = matrix_columns(appraisal);
    let grouped = !appraisal.groups().is_empty();
    let first = 2;
    let total_col = first + layout.len();
    let eff = appraisal.effective_weights();
    let group_eff = appraisal.group_weights();
    let scale = appraisal.scale();
    let mut columns = vec![Column::number("Rank"), Column::text("Option")];
    for col in &layout {
        columns.push(match *col {
            MatrixColumn::Raw(c) => {
                let k = &appraisal.criteria()[c];
                let unit = k.measure().and_then(|m| m.unit.clone());
                let what = unit.clone().unwrap_or_else(|| "raw value".into());
                Column::number(format!("{} ({what})", k.name())).with_code(format!(
                    "C{} {}",
                    c + 1,
                    unit.unwrap_or_else(|| "value".into())
                ))
            }
            MatrixColumn::Score(c) => {
                let k = &appraisal.criteria()[c];
                let words = scale_words(appraisal.scale_of(c));
                let header = if k.measure().is_some() {
                    format!("{}: score ({words})", k.name())
                } else {
                    format!("{} ({words})", k.name())
                };
                Column::number(header).with_code(format!("C{}", c + 1))
            }
            MatrixColumn::Subtotal(g) => {
                let max = results.max_subtotals.get(g).copied().unwrap_or(0.0);
                Column::number(format!(
                    "{} subtotal (of {})",
                    appraisal.groups()[g].name(),
                    numbers::total(max)
                ))
                .with_code(format!("G{}", g + 1))
            }
        });
    }
    columns.push(total_column(results));
    let published_col = published_column(appraisal);
    let published = published_col.is_some();
    columns.extend(published_col);
    let width = columns.len();
    let mut t = ReportTable::new(
        "matrix",
        "Full score matrix: weights, scores, totals and ranks",
        columns,
    )
    .with_row_header(1)
    .with_short_name("Matrix");
    let parameters = |label: &str, cell: &dyn Fn(MatrixColumn) -> Cell| {
        let mut cells = vec![Cell::empty(), Cell::text(label)];
        cells.extend(layout.iter().map(|&col| cell(col)));
        cells.resize(width, Cell::empty());
        Row {
            kind: RowKind::Parameters,
            cells,
        }
    };
    let group_row = grouped.then_some(t.rows.len());
    if grouped {
        t.rows.push(parameters("Group", &|col| {
            let g = match col {
                MatrixColumn::Raw(c) | MatrixColumn::Score(c) => appraisal.criteria()[c].group(),
                MatrixColumn::Subtotal(g) => Some(g),
            };
            g.map_or(Cell::empty(), |g| {
                Cell::text(matrix_group_path(appraisal, g))
            })
        }));
    }
    let weight_row = t.rows.len();
    t.rows.push(parameters(
        if grouped { "Weight in group" } else { "Weight" },
        &|col| match col {
            MatrixColumn::Score(c) => {
                Cell::new(number(appraisal.criteria()[c].weight(), numbers::weight))
            }
            MatrixColumn::Subtotal(g) => {
                Cell::new(number(appraisal.groups()[g].weight(), numbers::weight))
            }
            MatrixColumn::Raw(_) => Cell::empty(),
        },
    ));
    let effective_row = grouped.then_some(t.rows.len());
    if grouped {
        t.rows
            .push(parameters("Effective weight", &|col| match col {
                MatrixColumn::Score(c) => Cell::new(number(eff[c], numbers::weight)),
                MatrixColumn::Subtotal(g) => Cell::new(number(group_eff[g], numbers::weight)),
                MatrixColumn::Raw(_) => Cell::empty(),
            }));
    }
    let body_start = t.rows.len();
    let MatrixBody {
        rows,
        order,
        any_missing,
        remarks,
    } = matrix_body(appraisal, results, published, |o, r| {
        layout
            .iter()
            .map(|col| match *col {
                MatrixColumn::Raw(c) => match (o.measure(c), appraisal.criteria()[c].measure()) {
                    (Some(v), Some(m)) => Cell::new(Value::Number {
                        value: v,
                        display: match o.range(c) {
                            Some(r) => {
                                format!("{} ({})", m.with_unit(v), r.words(m.unit.as_deref()))
                            }
                            None => m.with_unit(v),
                        },
                    }),
                    _ => Cell::new(Value::Missing),
                },
                MatrixColumn::Score(c) => criterion_score_cell(appraisal, c, o.score(c)),
                MatrixColumn::Subtotal(g) => Cell::new(number(
                    r.subtotals.get(g).copied().unwrap_or(0.0),
                    numbers::total,
                )),
            })
            .collect()
    });
    t.rows.extend(rows);
    let published_allowance = published_allowances(appraisal, &order);
    let column_of = |want: MatrixColumn| {
        layout
            .iter()
            .position(|&c| c == want)
            .map_or(0, |p| first + p)
    };
    let sum_criteria = appraisal
        .criteria()
        .iter()
        .enumerate()
        .map(|(c, k)| {
            let s = appraisal.scale_of(c);
            super::doc::SumCriterion {
                name: k.name().to_string(),
                column: column_of(MatrixColumn::Score(c)),
                raw_column: k.measure().map(|_| column_of(MatrixColumn::Raw(c))),
                scale: (s.min(), s.max(), s.step()),
                group: k.group(),
                measure: k.measure().cloned(),
            }
        })
        .collect();
    let sum_groups = appraisal
        .groups()
        .iter()
        .enumerate()
        .map(|(g, group)| super::doc::SumGroup {
            name: group.name().to_string(),
            parent: group.parent(),
            weight: group.weight(),
            column: column_of(MatrixColumn::Subtotal(g)),
        })
        .collect();
    t.weighted_sum = Some(WeightedSum {
        weight_row,
        rows: body_start..t.rows.len(),
        columns: first..total_col,
        total_column: total_col,
        rank_column: Some(0),
        options: order,
        scale: (scale.min(), scale.max(), scale.step()),
        totals: (results.min_total, results.max_total),
        total_label: "Total".into(),
        published_column: published.then_some(total_col + 1),
        published_allowance,
        grouped: Some(Box::new(super::doc::GroupedSum {
            criteria: sum_criteria,
            groups: sum_groups,
            effective_row,
            group_row,
            points: (scale.min(), scale.max()),
        })),
    });
    let own_scales = (0..appraisal.criteria().len()).any(|c| {
        let s = appraisal.scale_of(c);
        s.min() != scale.min() || s.max() != scale.max()
    });
    let mut note = if own_scales && appraisal.no_common_scale() {
        "Each total adds up, over the criteria, the score as a value from 0 to 1 on the criterion's own scale ((score − lowest) ÷ (highest − lowest)) multiplied by the criterion's effective weight".to_string()
    } else if own_scales {
        format!(
            "Each total adds up, over the criteria, the score as a value from 0 to 1 on the criterion's own scale ((score − lowest) ÷ (highest − lowest)), taken as points on the appraisal's scale from {} to {}, multiplied by the criterion's effective weight",
            numbers::score(scale.min()),
            numbers::score(scale.max())
        )
    } else {
        "Each total is the sum of every score multiplied by its criterion's effective weight"
            .to_string()
    };
    if !grouped {
        note = note.replace("effective weight", "weight");
    }
    t.notes.push(format!("{note}."));
    if grouped {
        t.notes.push(
            "A criterion's effective weight is its weight in its group × the group's effective weight ÷ the sum of the weights in the group (its criteria and the groups inside it); a top-level group's effective weight is its own weight. A group's subtotal is the same sum over the criteria inside it.".into(),
        );
    }
    for c in 0..appraisal.criteria().len() {
        if let Some(rule) = measured_sentence(appraisal, c) {
            t.notes.push(rule);
        }
    }
    let out = results.long_list().len();
    if out > 0 {
        t.notes.push(format!(
            "{} screened out on a pass/fail test {} not in the matrix and not ranked: the long list says why.",
            numbers::count(out as f64, "option", "options"),
            if out == 1 { "is" } else { "are" }
        ));
    }
    t.notes.extend(remarks);
    if any_missing {
        t.notes
            .push("– marks a score not yet given; it counts as nothing in the total.".into());
    }
    t
}

/// A table key part made from an id: ids are already lowercase and dashed.
fn annex_key(id: &str) -> String {
    format!("annex-{id}")
}

/// The header of an annex's column of measured values and how each is scored.
pub const MEASURED_HEADER: &str = "Measured value and how it is scored";

/// The heading of the annex section.
pub const ANNEX_HEADING: &str = "Annex: full option appraisal";

/// Builds the annex one option at a time: what every option's table shares
/// is worked out once, so a writer can ask for the tables a few at a time
/// (see [`super::stream`]) instead of holding thousands of them at once.
#[derive(Debug, Clone)]
pub struct Annex<'a> {
    appraisal: &'a Appraisal,
    results: &'a Results,
    weighted: bool,
    score_unit: String,
    grouped: bool,
    several_scales: bool,
    measured: bool,
    derivations: Vec<Vec<Option<crate::model::value_fn::Derived>>>,
    top_groups: Vec<usize>,
}

impl<'a> Annex<'a> {
    /// The annex of `appraisal`, with its `results`.
    pub fn new(appraisal: &'a Appraisal, results: &'a Results) -> Annex<'a> {
        let grouped = !appraisal.groups().is_empty();
        let several = several_scales(appraisal);
        let measured = appraisal.criteria().iter().any(|c| c.measure().is_some());
        Annex {
            appraisal,
            results,
            weighted: !all_weights_one(appraisal) || grouped || several,
            score_unit: scale_range(appraisal),
            grouped,
            several_scales: several,
            measured,
            derivations: if measured {
                (0..appraisal.criteria().len())
                    .map(|c| appraisal.derivations(c))
                    .collect()
            } else {
                Vec::new()
            },
            top_groups: top_groups(appraisal),
        }
    }

    /// How many options, and so tables, the annex has.
    pub fn len(&self) -> usize {
        self.appraisal
            .options()
            .len()
            .min(self.results.options.len())
    }

    /// Whether the annex has no tables.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The key of option `i`'s table, such as `annex-shared-service`.
    pub fn key(&self, i: usize) -> Option<String> {
        self.appraisal
            .options()
            .get(i)
            .map(|o| annex_key(o.id().as_str()))
    }

    /// Option `i`'s sub-heading and table: each option under its own
    /// heading, so its description (the table's intro) follows its name, not
    /// the previous table.
    pub fn blocks(&self, i: usize) -> Option<[Block; 2]> {
        let o = self.appraisal.options().get(i)?;
        Some([Block::Subheading(o.label()), Block::Table(self.table(i)?)])
    }

    /// The evaluation cell: the note, then the evidence for (+) and
    /// against (–) the score, one point a line.
    fn evaluation(&self, i: usize, c: usize) -> Cell {
        let Some(o) = self.appraisal.options().get(i) else {
            return Cell::empty();
        };
        let evidence = o.evidence().get(c).filter(|e| !e.is_empty());
        let Some(e) = evidence else {
            return text_or_empty(o.note(c));
        };
        Cell::new(Value::Evidence {
            note: o.note(c).map(str::to_string),
            for_: e.for_.clone(),
            against: e.against.clone(),
        })
    }

    /// Option `i`'s table: criterion, evaluation note, score and a TOTAL
    /// row (the review's Annex 1), with weight columns when any weight is
    /// not 1. Version 2 adds, where used: the measured value and how its
    /// score was derived, each criterion's scale and the points its score
    /// counts as, effective weights, and each top-level group's subtotal.
    pub fn table(&self, i: usize) -> Option<ReportTable> {
        let appraisal = self.appraisal;
        let results = self.results;
        let weighted = self.weighted;
        let o = appraisal.options().get(i)?;
        let r = results.options.get(i)?;
        let mut columns = vec![Column::text("Criterion"), Column::prose("Evaluation")];
        if self.measured {
            columns.push(Column::prose(MEASURED_HEADER));
        }
        if self.several_scales {
            columns.push(Column::text("Scale"));
        }
        if weighted {
            columns.push(Column::number(if self.grouped {
                "Effective weight"
            } else {
                "Weight"
            }));
        }
        let mut score = Column::number("Score");
        if !self.several_scales {
            score = score.with_unit(self.score_unit.clone());
        }
        columns.push(score);
        if self.several_scales {
            let unit = if appraisal.no_common_scale() {
                "0 to 1".to_string()
            } else {
                self.score_unit.clone()
            };
            columns.push(Column::number("Points").with_unit(unit));
        }
        if weighted {
            columns.push(
                Column::number("Weighted score").with_unit(if self.several_scales {
                    "weight × points"
                } else {
                    "weight × score"
                }),
            );
        }
        let v2 = self.grouped || self.several_scales || self.measured;
        let mut t = ReportTable::new(
            annex_key(o.id().as_str()),
            format!("Annex: {}", o.label()),
            columns,
        )
        .with_row_header(0)
        .with_short_name(format!("Annex - {}", o.label()));
        t.intro = o.description.clone();
        t.rows.reserve(appraisal.criteria().len() + 1);
        let mut any_missing = false;
        let contributions = if v2 {
            crate::compute::contributions(appraisal, i)
        } else {
            Vec::new()
        };
        let eff = appraisal.effective_weights();
        for (c, crit) in appraisal.criteria().iter().enumerate() {
            let score = o.score(c);
            any_missing |= score.is_none();
            let mut cells = Vec::with_capacity(t.columns.len());
            cells.push(Cell::text(crit.name()));
            cells.push(self.evaluation(i, c));
            if self.measured {
                let derived = self
                    .derivations
                    .get(c)
                    .and_then(|d| d.get(i))
                    .and_then(Option::as_ref);
                cells.push(match (crit.measure(), derived) {
                    (Some(m), Some(d)) => Cell::text(match o.range(c) {
                        Some(r) => format!("{}; {}", r.described(m.unit.as_deref()), d.derivation),
                        None => d.derivation.clone(),
                    }),
                    (Some(_), None) => Cell::new(Value::Missing),
                    (None, _) => Cell::empty(),
                });
            }
            if self.several_scales {
                let s = appraisal.scale_of(c);
                cells.push(Cell::text(format!(
                    "{} to {}",
                    numbers::score(s.min()),
                    numbers::score(s.max())
                )));
            }
            if weighted {
                let w = if v2 {
                    Cell::new(number(eff.get(c).copied().unwrap_or(0.0), numbers::weight))
                        .with_live(Live::EffectiveWeight { criterion: c })
                } else {
                    Cell::new(number(crit.weight(), numbers::weight))
                        .with_live(Live::Weight { criterion: c })
                };
                cells.push(w);
            }
            cells.push(
                criterion_score_cell(appraisal, c, score).with_live(Live::Score {
                    option: i,
                    criterion: c,
                }),
            );
            if self.several_scales {
                let points = Live::Points {
                    option: i,
                    criterion: c,
                };
                cells.push(match appraisal.points(i, c) {
                    Some(p) => Cell::new(number(p, numbers::total)).with_live(points),
                    None => Cell::new(Value::Missing).with_live(points),
                });
            }
            if weighted {
                let weighted = if v2 {
                    let live = Live::WeightedScore {
                        option: i,
                        criterion: c,
                    };
                    match contributions.get(c).copied().flatten() {
                        Some(x) => Cell::new(number(x, numbers::total)).with_live(live),
                        None => Cell::new(Value::Missing).with_live(live),
                    }
                } else {
                    match score {
                        Some(s) => Cell::new(number(s * crit.weight(), numbers::total)).with_live(
                            Live::WeightedScore {
                                option: i,
                                criterion: c,
                            },
                        ),
                        None => Cell::new(Value::Missing).with_live(Live::WeightedScore {
                            option: i,
                            criterion: c,
                        }),
                    }
                };
                cells.push(weighted);
            }
            t.rows.push(Row::body(cells));
        }
        let (remark, notes) = total_remark(appraisal, results, i);
        t.notes = notes;
        let width = t.columns.len();
        for &g in &self.top_groups {
            let Some(group) = appraisal.groups().get(g) else {
                continue;
            };
            let value = r.subtotals.get(g).copied().unwrap_or(0.0);
            let max = results.max_subtotals.get(g).copied().unwrap_or(0.0);
            let mut cells = vec![Cell::text(format!("Subtotal: {}", group.name()))];
            cells.resize(width - 1, Cell::empty());
            cells.push(Cell::new(out_of(value, max)).with_live(Live::Subtotal {
                option: i,
                group: g,
            }));
            t.rows.push(Row {
                kind: RowKind::Total,
                cells,
            });
        }
        let mut total =
            Cell::new(out_of(r.total, results.max_total)).with_live(Live::Total { option: i });
        total.remark = remark;
        if r.screened_out {
            total.remark = Some(match total.remark.take() {
                Some(x) => format!("{x}; screened out, not ranked"),
                None => "screened out, not ranked".into(),
            });
        }
        let mut cells = vec![Cell::text("TOTAL")];
        cells.resize(width - 1, Cell::empty());
        cells.push(total);
        t.rows.push(Row {
            kind: RowKind::Total,
            cells,
        });
        if r.screened_out {
            let reasons: Vec<String> = appraisal
                .screens()
                .iter()
                .zip(o.screening())
                .filter_map(|(s, x)| {
                    let x = x.as_ref().filter(|x| !x.pass)?;
                    Some(format!(
                        "{} ({})",
                        s.name(),
                        x.reason.as_deref().unwrap_or("no reason given")
                    ))
                })
                .collect();
            t.notes.push(format!(
                "{} is screened out: it failed {}. Its total is shown for the record; it is not ranked.",
                o.label(),
                reasons.join("; ")
            ));
        }
        if self.several_scales {
            t.notes.push(format!(
                "Each score counts as the same fraction of {} as it is of its own scale (its points); the weighted score is the weight times the points.",
                if appraisal.no_common_scale() {
                    "0 to 1".to_string()
                } else {
                    format!("the appraisal's scale, {}", self.score_unit)
                }
            ));
        }
        if o.evidence().iter().any(|e| !e.is_empty()) {
            t.notes.push(
                "+ marks evidence for a score and – evidence against it, after the evaluation note."
                    .into(),
            );
        }
        if any_missing {
            t.notes
                .push("– marks a score not yet given; it counts as nothing in the total.".into());
        }
        Some(t)
    }
}

/// One table per option: criterion, evaluation note, score and a TOTAL row
/// (the review's Annex 1). Weight columns appear when any weight is not 1.
pub fn annex_tables(appraisal: &Appraisal, results: &Results) -> Vec<ReportTable> {
    let annex = Annex::new(appraisal, results);
    (0..annex.len()).filter_map(|i| annex.table(i)).collect()
}

/// Most bars in the totals chart; the ranking table lists every option.
pub const TOTALS_CHART_BARS: usize = 30;

/// The horizontal bar chart of totals in rank order.
pub fn totals_chart(appraisal: &Appraisal, results: &Results) -> Chart {
    let n = results.options.len();
    let mismatches = reconcile(appraisal, results);
    let bars = results
        .rank_order()
        .into_iter()
        .take(TOTALS_CHART_BARS)
        .filter_map(|i| {
            let o = appraisal.options().get(i)?;
            let r = results.options.get(i)?;
            let published = mismatches
                .iter()
                .any(|m| m.0 == i)
                .then(|| o.published())
                .flatten();
            Some(Bar {
                label: o.label(),
                value: r.total,
                display: match published {
                    // Marked here too: the chart is often pasted on its own.
                    Some(p) => format!(
                        "{} (published as {})",
                        numbers::total_of(r.total, results.max_total),
                        p.text()
                    ),
                    None => numbers::total_of(r.total, results.max_total),
                },
            })
        })
        .collect();
    Chart {
        key: "chart-totals".into(),
        title: if n > TOTALS_CHART_BARS {
            format!("Total score of the {TOTALS_CHART_BARS} highest-ranked options (of {n})")
        } else {
            "Total score of each option".into()
        },
        description: format!(
            "Horizontal bar chart of each option's weighted total out of {}, highest first{}.",
            numbers::total(results.max_total),
            if n > TOTALS_CHART_BARS {
                format!("; the ranking table lists all {n}")
            } else {
                String::new()
            }
        ),
        number: None,
        kind: ChartKind::Bars(BarChart {
            axis_label: format!("Weighted total (of {})", numbers::total(results.max_total)),
            min: results.min_total.min(0.0),
            max: results.max_total,
            bars,
        }),
    }
}

/// The report's frame: title, byline and the appraisal's description, with
/// no tables yet.
pub fn frame(appraisal: &Appraisal) -> Report {
    let meta = &appraisal.meta;
    let mut byline = Vec::new();
    let org_date: Vec<&str> = [meta.organisation.as_deref(), meta.date.as_deref()]
        .into_iter()
        .flatten()
        .collect();
    if !org_date.is_empty() {
        byline.push(org_date.join(", "));
    }
    if let Some(s) = &meta.source {
        byline.push(format!("Source: {s}"));
    }
    let mut blocks = Vec::new();
    if let Some(d) = &meta.description {
        blocks.push(Block::Paragraph(d.clone()));
    }
    let mut details = vec![("title".to_string(), meta.title.clone())];
    for (key, value) in [
        ("organisation", &meta.organisation),
        ("date", &meta.date),
        ("source", &meta.source),
        ("description", &meta.description),
    ] {
        if let Some(v) = value {
            details.push((key.to_string(), v.clone()));
        }
    }
    let origin = Origin {
        details,
        criteria: appraisal
            .criteria()
            .iter()
            .map(|c| (c.id().to_string(), c.name().to_string()))
            .collect(),
        options: appraisal
            .options()
            .iter()
            .map(|o| (o.id().to_string(), o.name().to_string()))
            .collect(),
        groups: appraisal
            .groups()
            .iter()
            .map(|g| (g.id().to_string(), g.name().to_string()))
            .collect(),
        screens: appraisal
            .screens()
            .iter()
            .map(|s| (s.id().to_string(), s.name().to_string()))
            .collect(),
        version: appraisal.version(),
        carried: crate::carried::records(appraisal),
    };
    Report {
        title: meta.title.clone(),
        byline,
        blocks,
        origin: Some(origin),
    }
}

/// The blocks of one group: its heading, any text, its tables and charts.
pub fn group_blocks(
    appraisal: &Appraisal,
    results: &Results,
    group: TableName,
    options: &ExportOptions,
) -> Result<Vec<Block>, ExportError> {
    let mut blocks = Vec::new();
    match group {
        TableName::Criteria => {
            blocks.push(Block::Heading("Criteria".into()));
            blocks.push(Block::Paragraph(scale_sentence(appraisal)));
            blocks.extend(scale_tables(appraisal).into_iter().map(Block::Table));
            blocks.push(Block::Table(criteria_table(appraisal)));
            blocks.extend(groups_table(appraisal, results).map(Block::Table));
        }
        TableName::Options => {
            blocks.push(Block::Heading("Options".into()));
            blocks.push(Block::Table(options_table(appraisal)));
        }
        TableName::LongList => {
            if let Some(t) = long_list_table(appraisal) {
                blocks.push(Block::Heading("Long list".into()));
                blocks.push(Block::Table(t));
            }
        }
        TableName::Baseline => {
            if let Some(t) = baseline_table(appraisal, results) {
                blocks.push(Block::Heading("Against the baseline".into()));
                blocks.push(Block::Table(t));
            }
        }
        TableName::Summary => {
            blocks.push(Block::Heading("Summary".into()));
            blocks.push(Block::Table(summary_table(appraisal, results)));
        }
        TableName::Ranking => {
            blocks.push(Block::Heading("Ranking".into()));
            blocks.push(Block::Table(ranking_table(appraisal, results)));
            blocks.push(Block::Chart(totals_chart(appraisal, results)));
        }
        TableName::Matrix => {
            blocks.push(Block::Heading("Score matrix".into()));
            blocks.push(Block::Table(matrix_table(appraisal, results)));
        }
        TableName::Sensitivity => {
            blocks.extend(super::sensitivity::blocks(appraisal, results, options)?);
        }
        TableName::Annex => {
            blocks.push(Block::Heading(ANNEX_HEADING.into()));
            let annex = Annex::new(appraisal, results);
            for i in 0..annex.len() {
                blocks.extend(annex.blocks(i).into_iter().flatten());
            }
        }
    }
    Ok(blocks)
}

/// The whole report for the chosen groups, in report order.
pub fn build_report(
    appraisal: &Appraisal,
    results: &Results,
    groups: &[TableName],
    options: &ExportOptions,
) -> Result<Report, ExportError> {
    let mut report = frame(appraisal);
    for g in TableName::ALL {
        if groups.contains(&g) {
            report
                .blocks
                .extend(group_blocks(appraisal, results, g, options)?);
        }
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::tests::example;

    #[test]
    fn ranking_marks_the_published_mismatch() {
        let (a, r) = example();
        let t = ranking_table(&a, &r);
        assert_eq!(t.rows.len(), 8);
        let shared = t
            .rows
            .iter()
            .find(|row| row.cells[1].display() == "Shared Service")
            .unwrap();
        assert_eq!(shared.cells[2].display(), "26/40 (published as 24)");
        assert!(t.notes.iter().any(|n| n.contains("gives a total of 24")));
        assert_eq!(t.rows[0].cells[0].display(), "1");
    }

    #[test]
    fn matrix_describes_its_weighted_sum() {
        let (a, r) = example();
        let t = matrix_table(&a, &r);
        let ws = t.weighted_sum.clone().unwrap();
        assert_eq!(ws.columns, 2..10);
        assert_eq!(ws.total_column, 10);
        assert_eq!(t.rows[0].kind, RowKind::Parameters);
        for row in &t.rows[ws.rows.clone()] {
            let sum: f64 = row.cells[ws.columns.clone()]
                .iter()
                .filter_map(|c| c.value.number())
                .sum();
            assert_eq!(row.cells[ws.total_column].value.number(), Some(sum));
        }
    }

    #[test]
    fn annex_has_a_total_row_per_option() {
        let (a, r) = example();
        let tables = annex_tables(&a, &r);
        assert_eq!(tables.len(), 8);
        for t in &tables {
            assert_eq!(t.rows.len(), 9);
            let last = t.rows.last().unwrap();
            assert_eq!(last.kind, RowKind::Total);
            assert_eq!(last.cells[0].display(), "TOTAL");
        }
        assert_eq!(tables[0].key, "annex-peer-practice-partner");
    }

    #[test]
    fn only_the_matrix_needs_a_landscape_page() {
        let (a, r) = example();
        assert!(matrix_table(&a, &r).is_wide());
        assert!(!ranking_table(&a, &r).is_wide());
        assert!(!summary_table(&a, &r).is_wide());
        assert!(!criteria_table(&a).is_wide());
        assert!(annex_tables(&a, &r).iter().all(|t| !t.is_wide()));
    }

    #[test]
    fn table_names_round_trip() {
        for t in TableName::ALL {
            assert_eq!(t.as_str().parse::<TableName>(), Ok(t));
        }
        assert!("tables".parse::<TableName>().is_err());
    }

    fn v2(text: &str) -> (Appraisal, Results) {
        let a = crate::load::load_str("t.toml", text).unwrap().appraisal;
        let r = crate::compute(&a);
        (a, r)
    }

    /// Two options on one measured criterion with the value function `value`.
    fn measured(value: &str, better: &str) -> (Appraisal, Results) {
        v2(&format!(
            "version = 2\n[appraisal]\ntitle = \"T\"\n[scale]\nmin = 0\nmax = 5\n\
             [[criteria]]\nid = \"time\"\nname = \"Time\"\nunit = \"months\"\nbetter = \"{better}\"\nvalue = {value}\n\
             [[criteria]]\nid = \"q\"\nname = \"Quality\"\n\
             [[options]]\nid = \"a\"\nname = \"A\"\nscores = {{ q = 3 }}\nmeasures = {{ time = 4 }}\n\
             [[options]]\nid = \"b\"\nname = \"B\"\nscores = {{ q = 4 }}\nmeasures = {{ time = 10 }}\n"
        ))
    }

    #[test]
    fn each_value_function_reads_in_words() {
        let cases = [
            (
                "\"linear\"",
                "lower",
                "a straight line from the shortlist's worst value, 10 months (scores 0), to its best, 4 months (scores 5)",
            ),
            (
                "\"linear\"",
                "higher",
                "a straight line from the shortlist's worst value, 4 months (scores 0), to its best, 10 months (scores 5)",
            ),
            (
                "{ function = \"linear\", worst = 12, best = 2 }",
                "lower",
                "a straight line from 12 months (scores 0) to 2 months (scores 5), values beyond them held at the ends",
            ),
            (
                "{ function = \"piecewise\", points = [[2, 5], [6, 3], [12, 0]] }",
                "lower",
                "straight lines through the points 2 months scores 5, 6 months scores 3 and 12 months scores 0; values beyond the first or last point take its score",
            ),
            (
                "{ function = \"bands\", bands = [{ below = 6, score = 5 }, { at_least = 6, score = 1 }] }",
                "lower",
                "bands, the first that holds: under 6 months scores 5; at least 6 months scores 1",
            ),
            (
                "\"relative-to-best\"",
                "lower",
                "its value relative to the best: 5 × the lowest value on the shortlist (4 months) ÷ this value",
            ),
            (
                "\"relative-to-best\"",
                "higher",
                "its value relative to the best: 5 × this value ÷ the highest value on the shortlist (10 months)",
            ),
        ];
        for (value, better, words) in cases {
            let (a, _) = measured(value, better);
            assert_eq!(a.value_rule(0).as_deref(), Some(words), "{value}");
            assert_eq!(a.value_rule(1), None);
            // The criteria section and the matrix notes say it in one sentence.
            let sentence = measured_sentence(&a, 0).unwrap();
            assert_eq!(
                sentence,
                format!(
                    "Time is measured in months ({better} is better); its score comes from {words}."
                )
            );
        }
    }

    #[test]
    fn a_version_2_criteria_table_shows_groups_and_effective_weights() {
        let (a, r) = v2(include_str!("../../tests/fixtures/v2/waste-contract.toml"));
        let t = criteria_table(&a);
        let headers: Vec<&str> = t.columns.iter().map(|c| c.header.as_str()).collect();
        assert_eq!(
            headers,
            [
                "#",
                "Criterion",
                "Group",
                "Weight",
                "Share of group",
                "Group's share",
                "Effective weight",
                "Share of total weight",
                "Scale",
                "Description"
            ]
        );
        let row: Vec<String> = t.rows[0].cells.iter().map(Cell::display).collect();
        assert_eq!(
            row,
            [
                "C1",
                "Method statement",
                "Service delivery",
                "60",
                "60.0%",
                "30.0%",
                "18",
                "18.0%",
                "0 to 5",
                ""
            ]
        );
        assert!(t.notes.iter().any(|n| n.contains("60.0% × 30.0% = 18.0%")));
        let g = groups_table(&a, &r).unwrap();
        assert_eq!(g.rows[1].cells[0].display(), "Quality / Service delivery");
        assert_eq!(g.rows[1].cells[4].display(), "30");
    }

    #[test]
    fn screened_out_options_are_not_ranked_and_the_long_list_says_why() {
        let (a, r) = v2(include_str!("../../tests/fixtures/v2/waste-contract.toml"));
        let t = ranking_table(&a, &r);
        let names: Vec<String> = t.rows.iter().map(|row| row.cells[1].display()).collect();
        assert_eq!(names, ["B. Bidder B", "A. Council in-house bid"]);
        assert!(t.rows.iter().all(|row| row.cells[0].display() != "0"));
        let l = long_list_table(&a).unwrap();
        let c: Vec<String> = l.rows[2].cells.iter().map(Cell::display).collect();
        assert_eq!(
            c,
            [
                "C. Bidder C",
                "Fail",
                "Screened out",
                "Licence lapsed in 2025 and has not been renewed"
            ]
        );
        let s = summary_table(&a, &r);
        assert_eq!(s.rows[2].cells[3].display(), "screened out");
    }

    #[test]
    fn option_groups_are_heading_rows() {
        let (a, _) = v2(include_str!("../../tests/fixtures/v2/waste-contract.toml"));
        let t = options_table(&a);
        let kinds: Vec<RowKind> = t.rows.iter().map(|r| r.kind).collect();
        assert_eq!(
            kinds,
            [
                RowKind::Heading,
                RowKind::Body,
                RowKind::Heading,
                RowKind::Body,
                RowKind::Body
            ]
        );
        assert_eq!(
            t.columns.len(),
            2,
            "no Group column beside the heading rows"
        );
        assert_eq!(
            t.rows[0].cells[1].display(),
            "The council runs the service itself."
        );
        assert_eq!(
            t.rows[1].cells[0].display(),
            "A. Council in-house bid (baseline)"
        );
    }

    #[test]
    fn the_baseline_table_subtracts_totals_and_subtotals() {
        let (a, r) = v2(include_str!("../../tests/fixtures/v2/waste-contract.toml"));
        let t = baseline_table(&a, &r).unwrap();
        // Bidder B: 91.6 - 69.8; Quality 51.6 - 37.8; Price 40 - 32.
        let row: Vec<String> = t.rows[0].cells.iter().map(Cell::display).collect();
        assert_eq!(row, ["B. Bidder B", "91.6/100", "+21.8", "+13.8", "+8"]);
        assert!(baseline_table(&example().0, &example().1).is_none());
    }

    #[test]
    fn the_annex_shows_evidence_points_and_subtotals() {
        let (a, r) = v2(include_str!("../../tests/fixtures/v2/waste-contract.toml"));
        let t = Annex::new(&a, &r).table(0).unwrap();
        assert_eq!(
            t.rows[0].cells[1].display(),
            "+ Existing depot and fleet\n– Ageing vehicles"
        );
        let labels: Vec<String> = t.rows[4..]
            .iter()
            .map(|row| row.cells[0].display())
            .collect();
        assert_eq!(labels, ["Subtotal: Quality", "Subtotal: Price", "TOTAL"]);
        // The staffing score 2 on 1 to 3 counts as 0.5, times 30.
        let staffing: Vec<String> = t.rows[2].cells.iter().map(Cell::display).collect();
        assert_eq!(
            staffing,
            ["Staffing plan", "", "", "1 to 3", "30", "2", "0.5", "15"]
        );
    }
}
