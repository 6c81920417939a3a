//! What `report` and `rank` print: the summary and the ranking as report
//! blocks for the terminal writer, the warnings, and the ranking as JSON.

use std::collections::HashMap;
use std::io::{self, Write};

use serde::Serialize;

use crate::compute::{Results, Warning, WarningKind, warnings};
use crate::export::{Block, Report, tables};
use crate::model::Appraisal;
use crate::{sanitise, terminal};

pub use crate::terminal::TextStyle;

/// The readable summary as report blocks, built by the same table builders
/// as the exports: the frame (title, byline, description), the scale and
/// criteria (without the criteria's descriptions, which the terminal has no
/// room for), the score matrix and the ranking.
pub fn summary_report(appraisal: &Appraisal, results: &Results) -> Report {
    let mut report = tables::frame(appraisal);
    let narrow = |t: &crate::export::ReportTable| terminal::without_columns(t, |c| c.wide);
    let criteria = narrow(&tables::criteria_table(appraisal));
    report.blocks.extend([
        Block::Heading("Criteria".into()),
        Block::Paragraph(tables::scale_sentence(appraisal)),
    ]);
    report.blocks.extend(
        tables::scale_tables(appraisal)
            .into_iter()
            .map(Block::Table),
    );
    report.blocks.push(Block::Table(criteria));
    report
        .blocks
        .extend(tables::groups_table(appraisal, results).map(|t| Block::Table(narrow(&t))));
    if let Some(t) = tables::long_list_table(appraisal) {
        report
            .blocks
            .extend([Block::Heading("Long list".into()), Block::Table(t)]);
    }
    report.blocks.extend([
        Block::Heading("Scores".into()),
        Block::Table(tables::matrix_table(appraisal, results)),
        Block::Heading("Ranking".into()),
        Block::Table(tables::ranking_table(appraisal, results)),
    ]);
    if let Some(t) = tables::baseline_table(appraisal, results) {
        report.blocks.extend([
            Block::Heading("Against the baseline".into()),
            Block::Table(t),
        ]);
    }
    report
}

/// The ranking alone, as `appraise rank` prints it.
pub fn ranking_report(appraisal: &Appraisal, results: &Results) -> Report {
    Report {
        blocks: vec![Block::Table(tables::ranking_table(appraisal, results))],
        ..Report::default()
    }
}

/// Writes the ranking for a terminal.
pub fn write_ranking(
    out: &mut impl Write,
    appraisal: &Appraisal,
    results: &Results,
    style: TextStyle,
) -> io::Result<()> {
    terminal::write_report(out, &ranking_report(appraisal, results), style, false)
}

/// Writes the full terminal report: the summary's blocks, then the warnings.
pub fn write_report(
    out: &mut impl Write,
    appraisal: &Appraisal,
    results: &Results,
    style: TextStyle,
) -> io::Result<()> {
    terminal::write_report(out, &summary_report(appraisal, results), style, false)?;
    let warns = warnings(appraisal, results);
    if !warns.is_empty() {
        writeln!(out, "\nWarnings")?;
        for w in summarise_warnings(&warns) {
            writeln!(out, "  ! {}", sanitise::sanitise(&w))?;
        }
    }
    Ok(())
}

/// Collapses warnings for display: published totals in full, unscored cells counted per option.
pub fn summarise_warnings(warns: &[Warning]) -> Vec<String> {
    let mut lines = Vec::new();
    // Counts in order of first appearance, found by option id in constant
    // time so that many incomplete options cost linear time.
    let mut missing: Vec<(&str, usize)> = Vec::new();
    let mut at: HashMap<&str, usize> = HashMap::new();
    for w in warns {
        match w.kind {
            WarningKind::PublishedTotalMismatch
            | WarningKind::PublishedRoundingHidesOrder
            | WarningKind::PublishedRankMismatch
            | WarningKind::PublishedPercentMismatch
            | WarningKind::PublishedSubtotalMismatch
            | WarningKind::MissingScreening => lines.push(w.message.clone()),
            WarningKind::MissingScore => match at.get(w.option.as_str()) {
                Some(&k) => missing[k].1 += 1,
                None => {
                    at.insert(&w.option, missing.len());
                    missing.push((&w.option, 1));
                }
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
    /// How many decimals the source printed it with (`3.8` has 1, `24` none):
    /// the precision it is compared at.
    pub published_decimals: Option<u32>,
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
                published_decimals: o.published().map(|p| p.decimals()),
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
