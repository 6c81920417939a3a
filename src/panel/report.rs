//! The panel as a format-neutral report, so it renders to Markdown, HTML and
//! XLSX through the same writers as the appraisal's own tables.

use crate::export::{Block, Cell, Column, Report, ReportTable, Row, Value};
use crate::model::Appraisal;
use crate::numbers;
use crate::panel::merge::Merged;
use crate::panel::statements;

/// A number shown by `rule`, one of [`numbers`]' rules for its quantity.
fn number(v: f64, rule: fn(f64) -> String) -> Value {
    Value::Number {
        value: v,
        display: rule(v),
    }
}

fn maybe(v: Option<f64>, rule: fn(f64) -> String) -> Value {
    v.map_or(Value::Missing, |v| number(v, rule))
}

/// Builds the panel report: summary, consensus ranking, consensus grid,
/// cells to discuss with every member's score, and each member's view.
pub fn panel_report(appraisal: &Appraisal, merged: &Merged) -> Report {
    let mut blocks = Vec::new();
    blocks.push(Block::Heading("Summary".to_string()));
    for s in statements(appraisal, merged) {
        blocks.push(Block::Paragraph(s));
    }

    let mut ranking = ReportTable::new(
        "panel-ranking",
        format!(
            "Consensus ranking ({} of members' scores)",
            merged.options.method.words()
        ),
        vec![
            Column::number("Rank"),
            Column::text("Option"),
            Column::number("Total"),
            Column::number("%"),
        ],
    )
    .with_short_name("Consensus ranking")
    .with_row_header(1);
    for i in merged.results.rank_order() {
        let r = &merged.results.options[i];
        ranking.rows.push(Row::body(vec![
            Cell::new(Value::Number {
                value: r.rank as f64,
                display: r.rank.to_string(),
            }),
            Cell::text(appraisal.options()[i].name()),
            Cell::new(Value::OutOf {
                value: r.total,
                max: merged.results.max_total,
                display: numbers::total_of(r.total, merged.results.max_total),
            }),
            Cell::new(Value::Percent {
                value: r.percent,
                display: numbers::percent(r.percent),
            }),
        ]));
    }
    blocks.push(Block::Table(ranking));

    let mut columns = vec![Column::text("Option")];
    columns.extend(
        appraisal
            .criteria()
            .iter()
            .map(|c| Column::number(c.name())),
    );
    let mut grid = ReportTable::new("panel-consensus", "Consensus score per cell", columns)
        .with_short_name("Consensus grid")
        .with_row_header(0);
    // Spreads are shown in the scale's steps, the unit of the threshold.
    let step = appraisal.scale().step();
    for (o, row) in merged.cells.iter().enumerate() {
        let mut cells = vec![Cell::text(appraisal.options()[o].name())];
        for cell in row {
            let c = Cell::new(maybe(cell.consensus, numbers::total));
            cells.push(if cell.flagged {
                // In steps, as the note and the threshold count them.
                c.with_remark(format!(
                    "spread {}",
                    numbers::count(cell.spread.unwrap_or(0.0) / step, "step", "steps")
                ))
            } else {
                c
            });
        }
        grid.rows.push(Row::body(cells));
    }
    grid.notes.push(format!(
        "A bracketed spread marks a cell whose highest and lowest scores are {} or more scale steps apart; a dash marks a cell no member has scored.",
        numbers::score(merged.options.flag_steps)
    ));
    blocks.push(Block::Table(grid));

    let flagged = merged.flagged();
    if !flagged.is_empty() {
        let mut columns = vec![Column::text("Option"), Column::text("Criterion")];
        columns.extend(merged.members.iter().map(|m| Column::number(m.as_str())));
        columns.extend([
            Column::number("Consensus"),
            Column::number("Spread (steps)"),
            Column::number("Scored by"),
        ]);
        let title = format!(
            "Cells to discuss (spread of {} or more)",
            numbers::count(merged.options.flag_steps, "step", "steps")
        );
        let mut discuss = ReportTable::new("panel-discuss", title, columns)
            .with_short_name("To discuss")
            .with_row_header(0);
        for (o, c) in flagged {
            let cell = &merged.cells[o][c];
            let mut cells = vec![
                Cell::text(appraisal.options()[o].name()),
                Cell::text(appraisal.criteria()[c].name()),
            ];
            cells.extend(
                cell.scores
                    .iter()
                    .map(|s| Cell::new(maybe(*s, numbers::score))),
            );
            cells.push(Cell::new(maybe(cell.consensus, numbers::total)));
            cells.push(Cell::new(maybe(
                cell.spread.map(|x| x / step),
                numbers::score,
            )));
            cells.push(Cell::text(format!(
                "{} of {}",
                cell.scored,
                merged.members.len()
            )));
            discuss.rows.push(Row::body(cells));
        }
        blocks.push(Block::Table(discuss));
    }

    let cells_total = appraisal.options().len() * appraisal.criteria().len();
    let mut members = ReportTable::new(
        "panel-members",
        "Each member's own ranking against the consensus",
        vec![
            Column::text("Member"),
            Column::text("Ranks first"),
            Column::number("Kendall tau"),
            Column::number("Cells scored"),
        ],
    )
    .with_short_name("Members")
    .with_row_header(0);
    for v in &merged.views {
        let leads: Vec<String> = v
            .ranks
            .iter()
            .enumerate()
            .filter(|(_, r)| **r == 1)
            .map(|(i, _)| appraisal.options()[i].name().to_string())
            .collect();
        members.rows.push(Row::body(vec![
            Cell::text(&v.member),
            if v.scored == 0 {
                Cell::new(Value::Missing)
            } else {
                Cell::new(Value::List { items: leads })
            },
            Cell::new(v.tau.map_or(Value::Missing, |t| Value::Number {
                value: t,
                display: numbers::correlation(t),
            })),
            Cell::text(format!("{} of {cells_total}", v.scored)),
        ]));
    }
    members.notes.push(
        "Kendall tau compares the order of a member's own totals with the consensus: 1 is the same order, 0 no relation, -1 the reverse."
            .to_string(),
    );
    blocks.push(Block::Table(members));

    Report {
        title: appraisal.meta.title.clone(),
        byline: vec![format!(
            "Panel of {}: {}",
            numbers::count(merged.members.len() as f64, "member", "members"),
            merged.members.join(", ")
        )],
        blocks,
        origin: None,
    }
}
