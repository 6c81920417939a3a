//! Terminal and JSON presentations of totals and ranks.

use std::io::{self, Write};

use comfy_table::{Attribute, Cell, CellAlignment, ContentArrangement, Table, presets};
use serde::Serialize;

use crate::compute::{Results, Warning, WarningKind, reconcile, warnings};
use crate::model::Appraisal;
use crate::numbers;

/// How terminal tables are drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TextStyle {
    /// Fit tables to this many columns; `None` means no limit.
    pub width: Option<u16>,
    /// Whether to use bold and colour (off when NO_COLOR is set or output is not a terminal).
    pub color: bool,
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

fn header(style: TextStyle, cells: &[&str]) -> Vec<Cell> {
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

/// A weight's share of the total weight, as [`numbers::share`] shows it.
pub fn share_percent(appraisal: &Appraisal, c: usize) -> String {
    let w = appraisal.criteria()[c].weight();
    numbers::share(w / appraisal.total_weight())
}

/// Remarks for the ranking table: incomplete scoring and published-total mismatches.
pub fn remarks(appraisal: &Appraisal, results: &Results, option: usize) -> Vec<String> {
    let mut out = Vec::new();
    let o = &appraisal.options()[option];
    if !results.options[option].complete {
        let scored = o.scores().iter().filter(|s| s.is_some()).count();
        out.push(format!(
            "incomplete: {scored} of {} scored",
            o.scores().len()
        ));
    }
    if reconcile(appraisal, results).iter().any(|r| r.0 == option)
        && let Some(p) = o.published()
    {
        // As the source printed it: 3.80 keeps both decimals.
        out.push(format!("published as {}", p.text()));
    }
    out
}

/// The ranking as a terminal table: rank, option, total, percent and remarks.
pub fn rank_table(appraisal: &Appraisal, results: &Results, style: TextStyle) -> String {
    let mut t = new_table(style);
    t.set_header(header(style, &["Rank", "Option", "Total", "%", "Remarks"]));
    for i in results.rank_order() {
        let r = &results.options[i];
        t.add_row(vec![
            right(r.rank),
            Cell::new(appraisal.options()[i].name()),
            right(numbers::total_of(r.total, results.max_total)),
            right(numbers::percent_figure(r.percent)),
            Cell::new(remarks(appraisal, results, i).join("; ")),
        ]);
    }
    t.to_string()
}

/// The criteria as a terminal table, numbered to match the score matrix.
pub fn criteria_table(appraisal: &Appraisal, style: TextStyle) -> String {
    let mut t = new_table(style);
    t.set_header(header(style, &["#", "Criterion", "Weight", "Share"]));
    for (c, crit) in appraisal.criteria().iter().enumerate() {
        t.add_row(vec![
            right(format!("C{}", c + 1)),
            Cell::new(crit.name()),
            right(numbers::weight(crit.weight())),
            right(share_percent(appraisal, c)),
        ]);
    }
    t.to_string()
}

/// The full score matrix in rank order, with totals; unscored cells show as `-`.
pub fn matrix_table(appraisal: &Appraisal, results: &Results, style: TextStyle) -> String {
    let mut t = new_table(style);
    let mut head = vec!["Rank".to_string(), "Option".to_string()];
    head.extend((1..=appraisal.criteria().len()).map(|c| format!("C{c}")));
    head.push("Total".into());
    let head_refs: Vec<&str> = head.iter().map(String::as_str).collect();
    t.set_header(header(style, &head_refs));
    for i in results.rank_order() {
        let o = &appraisal.options()[i];
        let mut row = vec![right(results.options[i].rank), Cell::new(o.name())];
        row.extend(
            o.scores()
                .iter()
                .map(|s| right(s.map_or("-".into(), numbers::score))),
        );
        row.push(right(numbers::total_of(
            results.options[i].total,
            results.max_total,
        )));
        t.add_row(row);
    }
    t.to_string()
}

/// Writes the full terminal report: title, scale, criteria, matrix, ranking and warnings.
pub fn write_report(
    out: &mut impl Write,
    appraisal: &Appraisal,
    results: &Results,
    style: TextStyle,
) -> io::Result<()> {
    let meta = &appraisal.meta;
    writeln!(out, "{}", meta.title)?;
    let byline: Vec<&str> = [meta.organisation.as_deref(), meta.date.as_deref()]
        .into_iter()
        .flatten()
        .collect();
    if !byline.is_empty() {
        writeln!(out, "{}", byline.join(", "))?;
    }
    let scale = appraisal.scale();
    write!(
        out,
        "\nScores run from {} to {} in steps of {}.",
        numbers::score(scale.min()),
        numbers::score(scale.max()),
        numbers::score(scale.step())
    )?;
    writeln!(out)?;
    for (v, label) in scale.labels() {
        writeln!(out, "  {} = {}", numbers::score(*v), label)?;
    }
    writeln!(out, "\nCriteria\n{}", criteria_table(appraisal, style))?;
    writeln!(out, "\nScores\n{}", matrix_table(appraisal, results, style))?;
    writeln!(out, "\nRanking\n{}", rank_table(appraisal, results, style))?;
    let warns = warnings(appraisal, results);
    if !warns.is_empty() {
        writeln!(out, "\nWarnings")?;
        for w in summarise_warnings(&warns) {
            writeln!(out, "  ! {w}")?;
        }
    }
    Ok(())
}

/// Collapses warnings for display: published totals in full, unscored cells counted per option.
pub fn summarise_warnings(warns: &[Warning]) -> Vec<String> {
    let mut lines = Vec::new();
    let mut missing: Vec<(&str, usize)> = Vec::new();
    for w in warns {
        match w.kind {
            WarningKind::PublishedTotalMismatch
            | WarningKind::PublishedRoundingHidesOrder
            | WarningKind::PublishedRankMismatch
            | WarningKind::PublishedPercentMismatch
            | WarningKind::PublishedSubtotalMismatch
            | WarningKind::MissingScreening => lines.push(w.message.clone()),
            WarningKind::MissingScore => match missing.iter_mut().find(|(o, _)| *o == w.option) {
                Some(entry) => entry.1 += 1,
                None => missing.push((&w.option, 1)),
            },
        }
    }
    for (option, n) in missing {
        let cells = if n == 1 { "cell" } else { "cells" };
        lines.push(format!(
            "{option}: {n} {cells} not yet scored; its total is incomplete"
        ));
    }
    lines
}

/// One option in the `rank --format json` output.
#[derive(Debug, Serialize)]
pub struct RankedOption<'a> {
    /// The option's id.
    pub id: &'a str,
    /// The option's name.
    pub name: &'a str,
    /// Its strategic group, if any.
    pub group: Option<&'a str>,
    /// Its weighted total.
    pub total: f64,
    /// Its percentage of the possible range.
    pub percent: f64,
    /// Its competition rank.
    pub rank: usize,
    /// Whether every criterion is scored.
    pub complete: bool,
    /// The total the source document states, if any.
    pub published_total: Option<f64>,
    /// Version-2 details (reference, subtotals, derived scores), where used.
    #[serde(flatten)]
    pub detail: crate::detail::OptionDetail<'a>,
}

/// The scale's bounds in the JSON output.
#[derive(Debug, Serialize)]
pub struct ScaleJson {
    /// Lowest score.
    pub min: f64,
    /// Highest score.
    pub max: f64,
    /// Step between scores.
    pub step: f64,
}

/// The document printed by `rank --format json`.
#[derive(Debug, Serialize)]
pub struct RankJson<'a> {
    /// The appraisal's title.
    pub title: &'a str,
    /// The scale.
    pub scale: ScaleJson,
    /// The highest total possible.
    pub max_total: f64,
    /// Options in rank order (the shortlist, where options are screened out).
    pub options: Vec<RankedOption<'a>>,
    /// Every warning.
    pub warnings: Vec<Warning>,
    /// Version-2 details (groups, criteria, the long list), where used.
    #[serde(flatten)]
    pub detail: crate::detail::StructureDetail<'a>,
}

/// Builds the `rank --format json` document.
pub fn rank_json<'a>(appraisal: &'a Appraisal, results: &Results) -> RankJson<'a> {
    let options = results
        .rank_order()
        .into_iter()
        .map(|i| {
            let o = &appraisal.options()[i];
            let r = &results.options[i];
            RankedOption {
                id: o.id().as_str(),
                name: o.name(),
                group: o.group.as_deref(),
                total: r.total,
                percent: r.percent,
                rank: r.rank,
                complete: r.complete,
                published_total: o.published_total(),
                detail: crate::detail::option(appraisal, results, i),
            }
        })
        .collect();
    RankJson {
        title: &appraisal.meta.title,
        scale: ScaleJson {
            min: appraisal.scale().min(),
            max: appraisal.scale().max(),
            step: appraisal.scale().step(),
        },
        max_total: results.max_total,
        options,
        warnings: warnings(appraisal, results),
        detail: crate::detail::structure(appraisal, results),
    }
}
