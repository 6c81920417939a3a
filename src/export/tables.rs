//! The appraisal's report tables and charts, built once as a format-neutral
//! [`Report`] that every writer renders.

use std::fmt;
use std::str::FromStr;

use crate::compute::{Results, reconcile};
use crate::model::Appraisal;
use crate::numbers;

use super::doc::{
    Bar, BarChart, Block, Cell, Chart, ChartKind, Column, Live, NoteFigure, Origin, Report,
    ReportTable, Row, RowKind, Value, WeightedSum,
};
use super::{ExportError, ExportOptions};

/// The groups of tables that can be selected with `--tables`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TableName {
    /// Criteria with weights, shares and descriptions.
    Criteria,
    /// Options by group, with descriptions.
    Options,
    /// Strengths, weaknesses and score of each option.
    Summary,
    /// Rank, total and percent, with the totals chart.
    Ranking,
    /// The full score matrix with weights, totals and ranks.
    Matrix,
    /// The sensitivity statements, tables and charts.
    Sensitivity,
    /// One table per option: criterion, evaluation note, score and total.
    Annex,
}

impl TableName {
    /// Every group, in the order a report presents them.
    pub const ALL: [TableName; 7] = [
        TableName::Criteria,
        TableName::Options,
        TableName::Summary,
        TableName::Ranking,
        TableName::Matrix,
        TableName::Sensitivity,
        TableName::Annex,
    ];

    /// The name used on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            TableName::Criteria => "criteria",
            TableName::Options => "options",
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

/// The scale in one sentence; [`scale_table`] gives what the scores mean.
pub fn scale_sentence(appraisal: &Appraisal) -> String {
    let s = appraisal.scale();
    format!(
        "Each option is scored from {} to {} in steps of {} against each criterion.",
        numbers::score(s.min()),
        numbers::score(s.max()),
        numbers::score(s.step())
    )
}

/// The scoring scale: its lowest and highest scores and every anchor, with
/// what each means (the review's scoring key).
pub fn scale_table(appraisal: &Appraisal) -> ReportTable {
    let s = appraisal.scale();
    let mut t = ReportTable::new(
        "scale",
        "Scoring scale",
        vec![Column::number("Score"), Column::prose("Meaning")],
    )
    .with_row_header(0)
    .with_short_name("Scale");
    let mut points: Vec<(f64, String)> = s.labels().to_vec();
    for (end, word) in [(s.min(), "lowest score"), (s.max(), "highest score")] {
        if !points.iter().any(|(v, _)| *v == end) {
            points.push((end, format!("The {word}.")));
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

fn score_cell(score: Option<f64>) -> Cell {
    match score {
        Some(s) => Cell::new(number(s, numbers::score)),
        None => Cell::new(Value::Missing),
    }
}

/// A weight's share of the total weight, 0-100.
fn share(appraisal: &Appraisal, c: usize) -> f64 {
    let w = appraisal.criteria().get(c).map_or(0.0, |c| c.weight());
    100.0 * w / appraisal.total_weight()
}

fn all_weights_one(appraisal: &Appraisal) -> bool {
    appraisal.criteria().iter().all(|c| c.weight() == 1.0)
}

/// The criteria with weights, shares and descriptions (the review's Table 3).
pub fn criteria_table(appraisal: &Appraisal) -> ReportTable {
    let mut t = ReportTable::new(
        "criteria",
        "Evaluation criteria and weights",
        vec![
            Column::text("#"),
            Column::text("Criterion"),
            Column::number("Weight"),
            Column::number("Share of total weight"),
            Column::prose("Description"),
        ],
    )
    .with_row_header(1)
    .with_short_name("Criteria");
    for (c, crit) in appraisal.criteria().iter().enumerate() {
        t.rows.push(Row::body(vec![
            Cell::text(format!("C{}", c + 1)),
            Cell::text(crit.name()),
            Cell::new(number(crit.weight(), numbers::weight))
                .with_live(Live::Weight { criterion: c }),
            Cell::new(percent(share(appraisal, c))).with_live(Live::Share { criterion: c }),
            text_or_empty(crit.description.as_deref()),
        ]));
    }
    let total = numbers::weight(appraisal.total_weight());
    t.note_figures.push(NoteFigure {
        note: t.notes.len(),
        shown: total.clone(),
        live: Live::TotalWeight,
    });
    t.notes.push(format!(
        "The weights add up to {total}. A criterion's share is its weight divided by that sum."
    ));
    t
}

/// Options by group, with descriptions (the review's Table 4). Options keep
/// file order within each group; groups appear in order of first use.
pub fn options_table(appraisal: &Appraisal) -> ReportTable {
    let grouped = appraisal.options().iter().any(|o| o.group.is_some());
    let mut columns = Vec::new();
    if grouped {
        columns.push(Column::text("Group"));
    }
    columns.push(Column::text("Option"));
    columns.push(Column::prose("Description"));
    let mut t = ReportTable::new("options", "Options by group", columns)
        .with_row_header(usize::from(grouped))
        .with_short_name("Options");
    let mut groups: Vec<Option<&str>> = Vec::new();
    for o in appraisal.options() {
        if !groups.contains(&o.group.as_deref()) {
            groups.push(o.group.as_deref());
        }
    }
    for g in groups {
        for o in appraisal
            .options()
            .iter()
            .filter(|o| o.group.as_deref() == g)
        {
            let mut cells = Vec::new();
            if grouped {
                cells.push(text_or_empty(g));
            }
            cells.push(Cell::text(o.name()));
            cells.push(text_or_empty(o.description.as_deref()));
            t.rows.push(Row::body(cells));
        }
    }
    if !grouped {
        t.title = "Options".into();
    }
    t
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
    for (i, (o, r)) in appraisal.options().iter().zip(&results.options).enumerate() {
        let (remark, notes) = total_remark(appraisal, results, i);
        push_unique(&mut t.notes, notes);
        let mut score =
            Cell::new(out_of(r.total, results.max_total)).with_live(Live::Total { option: i });
        score.remark = remark;
        t.rows.push(Row::body(vec![
            Cell::text(o.name()),
            Cell::new(Value::List {
                items: o.strengths.clone(),
            }),
            Cell::new(Value::List {
                items: o.weaknesses.clone(),
            }),
            score,
        ]));
    }
    t
}

/// Rank, option, total and percent, best first (the review's Table 6).
pub fn ranking_table(appraisal: &Appraisal, results: &Results) -> ReportTable {
    let mut t = ReportTable::new(
        "ranking",
        "Ranking of options",
        vec![
            Column::number("Rank"),
            Column::text("Option"),
            Column::number("Total"),
            Column::number("Percent"),
        ],
    )
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
        t.rows.push(Row::body(vec![
            Cell::new(Value::Number {
                value: r.rank as f64,
                display: r.rank.to_string(),
            })
            .with_live(Live::Rank { option: i }),
            Cell::text(o.name()),
            total,
            Cell::new(percent(r.percent)).with_live(Live::Percent { option: i }),
        ]));
    }
    let mut ranks: Vec<usize> = results.options.iter().map(|r| r.rank).collect();
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
    t
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
    columns.push(Column::number(format!(
        "Total (of {})",
        numbers::total(results.max_total)
    )));
    debug_assert!(
        columns
            .last()
            .is_some_and(|c| c.header.starts_with("Total (of "))
    );
    // The totals a source document printed, beside the ones the scores give.
    let published = appraisal
        .options()
        .iter()
        .any(|o| o.published_total().is_some());
    if published {
        columns.push(Column::number("Published total"));
    }
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
    let mut order = Vec::new();
    let mut any_missing = false;
    let mut remarks = Vec::new();
    for i in results.rank_order() {
        let (Some(o), Some(r)) = (appraisal.options().get(i), results.options.get(i)) else {
            continue;
        };
        any_missing |= !r.complete;
        let (remark, notes) = total_remark(appraisal, results, i);
        push_unique(&mut remarks, notes);
        let mut cells = vec![
            Cell::new(Value::Number {
                value: r.rank as f64,
                display: r.rank.to_string(),
            }),
            Cell::text(o.name()),
        ];
        cells.extend(o.scores().iter().map(|s| score_cell(*s)));
        let mut total = Cell::new(number(r.total, numbers::total));
        total.remark = remark;
        cells.push(total);
        if published {
            cells.push(match o.published() {
                // As the source printed it: 3.80 keeps both decimals.
                Some(p) => Cell::new(Value::Number {
                    value: p.value(),
                    display: p.text(),
                }),
                None => Cell::empty(),
            });
        }
        t.rows.push(Row::body(cells));
        order.push(i);
    }
    let published_allowance = order
        .iter()
        .map(|&i| {
            appraisal
                .options()
                .get(i)
                .and_then(|o| o.published())
                .map_or(0.0, |p| p.allowance())
        })
        .collect();
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

/// How a measured criterion's score is found from its raw value, in words
/// a reader can check by hand.
fn value_rule(appraisal: &Appraisal, c: usize) -> Option<String> {
    use crate::model::value_fn::{Better, ValueFunction};
    let k = appraisal.criteria().get(c)?;
    let m = k.measure()?;
    let s = appraisal.scale_of(c);
    let (lo, hi) = (numbers::score(s.min()), numbers::score(s.max()));
    let u = |x: f64| m.with_unit(x);
    let better = match m.better {
        Better::Lower => "lower is better",
        Better::Higher => "higher is better",
    };
    let rule = match &m.function {
        ValueFunction::Linear { bounds: None } => format!(
            "a straight line from the shortlisted options' worst value (scores {lo}) to their best (scores {hi}); if every value is the same, each scores {hi}"
        ),
        ValueFunction::Linear {
            bounds: Some((w, b)),
        } => format!(
            "a straight line from {} (scores {lo}) to {} (scores {hi}), values beyond them held at the ends",
            u(*w),
            u(*b)
        ),
        ValueFunction::Piecewise { points } => {
            let pts: Vec<String> = points
                .iter()
                .map(|(x, y)| format!("{} scores {}", u(*x), numbers::score(*y)))
                .collect();
            format!(
                "straight lines through the points {}; values beyond the first or last point take its score",
                pts.join(", ")
            )
        }
        ValueFunction::Bands { bands } => {
            let words: Vec<String> = bands
                .iter()
                .map(|b| match b.test {
                    Some((cmp, limit)) => {
                        let test = match cmp {
                            crate::model::value_fn::Comparison::Below => "under",
                            crate::model::value_fn::Comparison::UpTo => "up to",
                            crate::model::value_fn::Comparison::Above => "over",
                            crate::model::value_fn::Comparison::AtLeast => "at least",
                        };
                        format!("{test} {} scores {}", u(limit), numbers::score(b.score))
                    }
                    None => format!("any other value scores {}", numbers::score(b.score)),
                })
                .collect();
            format!("bands, the first that holds: {}", words.join("; "))
        }
        ValueFunction::RelativeToBest => {
            let lead = if s.min() == 0.0 {
                hi.clone()
            } else {
                format!("{lo} + ({hi} − {lo}) ×")
            };
            let lead = if s.min() == 0.0 {
                format!("{lead} ×")
            } else {
                lead
            };
            match m.better {
                Better::Lower => format!(
                    "its value relative to the best: {lead} the lowest value on the shortlist ÷ this value"
                ),
                Better::Higher => format!(
                    "its value relative to the best: {lead} this value ÷ the highest value on the shortlist"
                ),
            }
        }
    };
    let unit = m
        .unit
        .as_deref()
        .map_or(String::new(), |u| format!(" in {u}"));
    Some(format!(
        "{} is measured{unit} ({better}); its score comes from {rule}.",
        k.name()
    ))
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
    columns.push(Column::number(format!(
        "Total (of {})",
        numbers::total(results.max_total)
    )));
    let published = appraisal
        .options()
        .iter()
        .any(|o| o.published_total().is_some());
    if published {
        columns.push(Column::number("Published total"));
    }
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
    let mut order = Vec::new();
    let mut any_missing = false;
    let mut remarks = Vec::new();
    for i in results.rank_order() {
        let (Some(o), Some(r)) = (appraisal.options().get(i), results.options.get(i)) else {
            continue;
        };
        any_missing |= !r.complete;
        let (remark, notes) = total_remark(appraisal, results, i);
        push_unique(&mut remarks, notes);
        let mut cells = vec![
            Cell::new(Value::Number {
                value: r.rank as f64,
                display: r.rank.to_string(),
            }),
            Cell::text(o.label()),
        ];
        for col in &layout {
            cells.push(match *col {
                MatrixColumn::Raw(c) => match (o.measure(c), appraisal.criteria()[c].measure()) {
                    (Some(v), Some(m)) => Cell::new(Value::Number {
                        value: v,
                        display: m.with_unit(v),
                    }),
                    _ => Cell::new(Value::Missing),
                },
                MatrixColumn::Score(c) => score_cell(o.score(c)),
                MatrixColumn::Subtotal(g) => Cell::new(number(
                    r.subtotals.get(g).copied().unwrap_or(0.0),
                    numbers::total,
                )),
            });
        }
        let mut total = Cell::new(number(r.total, numbers::total));
        total.remark = remark;
        cells.push(total);
        if published {
            cells.push(match o.published() {
                Some(p) => Cell::new(Value::Number {
                    value: p.value(),
                    display: p.text(),
                }),
                None => Cell::empty(),
            });
        }
        t.rows.push(Row::body(cells));
        order.push(i);
    }
    let published_allowance = order
        .iter()
        .map(|&i| {
            appraisal
                .options()
                .get(i)
                .and_then(|o| o.published())
                .map_or(0.0, |p| p.allowance())
        })
        .collect();
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
        if let Some(rule) = value_rule(appraisal, c) {
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
}

impl<'a> Annex<'a> {
    /// The annex of `appraisal`, with its `results`.
    pub fn new(appraisal: &'a Appraisal, results: &'a Results) -> Annex<'a> {
        Annex {
            appraisal,
            results,
            weighted: !all_weights_one(appraisal),
            score_unit: scale_range(appraisal),
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
        Some([
            Block::Subheading(o.name().to_string()),
            Block::Table(self.table(i)?),
        ])
    }

    /// Option `i`'s table: criterion, evaluation note, score and a TOTAL
    /// row (the review's Annex 1), with weight columns when any weight is
    /// not 1.
    pub fn table(&self, i: usize) -> Option<ReportTable> {
        let appraisal = self.appraisal;
        let results = self.results;
        let weighted = self.weighted;
        let o = appraisal.options().get(i)?;
        let r = results.options.get(i)?;
        let mut columns = vec![Column::text("Criterion"), Column::prose("Evaluation")];
        if weighted {
            columns.push(Column::number("Weight"));
        }
        columns.push(Column::number("Score").with_unit(self.score_unit.clone()));
        if weighted {
            columns.push(Column::number("Weighted score").with_unit("weight × score"));
        }
        let mut t = ReportTable::new(
            annex_key(o.id().as_str()),
            format!("Annex: {}", o.name()),
            columns,
        )
        .with_row_header(0)
        .with_short_name(format!("Annex - {}", o.name()));
        t.intro = o.description.clone();
        t.rows.reserve(appraisal.criteria().len() + 1);
        let mut any_missing = false;
        for (c, crit) in appraisal.criteria().iter().enumerate() {
            let score = o.score(c);
            any_missing |= score.is_none();
            let mut cells = Vec::with_capacity(t.columns.len());
            cells.push(Cell::text(crit.name()));
            cells.push(text_or_empty(o.note(c)));
            if weighted {
                cells.push(
                    Cell::new(number(crit.weight(), numbers::weight))
                        .with_live(Live::Weight { criterion: c }),
                );
            }
            cells.push(score_cell(score).with_live(Live::Score {
                option: i,
                criterion: c,
            }));
            if weighted {
                let weighted = match score {
                    Some(s) => Cell::new(number(s * crit.weight(), numbers::total)),
                    None => Cell::new(Value::Missing),
                };
                cells.push(weighted.with_live(Live::WeightedScore {
                    option: i,
                    criterion: c,
                }));
            }
            t.rows.push(Row::body(cells));
        }
        let (remark, notes) = total_remark(appraisal, results, i);
        t.notes = notes;
        let mut total =
            Cell::new(out_of(r.total, results.max_total)).with_live(Live::Total { option: i });
        total.remark = remark;
        let mut cells = vec![Cell::text("TOTAL"), Cell::empty()];
        if weighted {
            cells.push(Cell::empty());
            cells.push(Cell::empty());
        }
        cells.push(total);
        t.rows.push(Row {
            kind: RowKind::Total,
            cells,
        });
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
                label: o.name().to_string(),
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
            blocks.push(Block::Table(scale_table(appraisal)));
            blocks.push(Block::Table(criteria_table(appraisal)));
        }
        TableName::Options => {
            blocks.push(Block::Heading("Options".into()));
            blocks.push(Block::Table(options_table(appraisal)));
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
    use crate::load::load_example;

    fn example() -> (Appraisal, Results) {
        let a = load_example().unwrap().appraisal;
        let r = crate::compute(&a);
        (a, r)
    }

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
}
