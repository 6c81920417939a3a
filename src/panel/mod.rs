//! Panels: members score separately in their own sheets; the panel merges them,
//! shows where members disagree, and what it would take to change the result.

pub mod member;
pub mod merge;
pub mod report;
pub mod sheet;
pub mod write;

use std::collections::HashMap;
use std::path::Path;

use serde::Serialize;

use crate::diagnostic::{Diagnostic, Kind};
use crate::load::LoadError;
use crate::model::Appraisal;
use crate::numbers;
use crate::terminal::TextStyle;

pub use merge::{Cell as MergedCell, Influence, MergeError, MergeOptions, Merged, Method, merge};
pub use report::panel_report;
pub use sheet::{Sheet, blank_sheet, default_sheet_path, load_sheet, parse_sheet};
pub use write::{ConsensusChanges, apply_consensus};

/// Loads every sheet against the appraisal, then checks across them (one member per sheet).
///
/// Returns every failing file's diagnostics, so all problems are reported together.
pub fn load_sheets(
    paths: &[&Path],
    appraisal: &Appraisal,
    appraisal_path: Option<&Path>,
) -> Result<Vec<Sheet>, Vec<LoadError>> {
    let (sheets, errors) = load_each_sheet(paths, appraisal, appraisal_path);
    if errors.is_empty() {
        Ok(sheets)
    } else {
        Err(errors)
    }
}

/// Loads every sheet it can, as [`load_sheets`] does, returning the good
/// sheets and, apart, the diagnostics of every sheet that could not be used,
/// so that one bad sheet need not keep the others from being shown.
pub fn load_each_sheet(
    paths: &[&Path],
    appraisal: &Appraisal,
    appraisal_path: Option<&Path>,
) -> (Vec<Sheet>, Vec<LoadError>) {
    let mut sheets = Vec::new();
    let mut errors = Vec::new();
    for path in paths {
        match sheet::load_sheet(path, appraisal, appraisal_path) {
            Ok(s) => sheets.push(s),
            Err(e) => errors.push(e),
        }
    }
    let mut first_by_member: HashMap<String, usize> = HashMap::new();
    let mut keep = Vec::with_capacity(sheets.len());
    for s in sheets {
        let key = s.member.to_lowercase();
        if let Some(&first) = first_by_member.get(&key) {
            let first_sheet: &Sheet = &keep[first];
            let (line, _) = first_sheet.source.line_col(first_sheet.member_span.start);
            errors.push(LoadError {
                diagnostics: vec![
                    Diagnostic::error(
                        Kind::DuplicateMember,
                        format!(
                            "{} already has a sheet in this panel",
                            numbers::shorten(&s.member)
                        ),
                        Some(s.member_span.clone()),
                    )
                    .with_label(format!("also the member in {}:{line}", first_sheet.source.name))
                    .with_help("merge each member's sheet once; if two members share a name, add an initial to tell them apart"),
                ],
                file: s.source.clone(),
            });
            continue;
        }
        first_by_member.insert(key, keep.len());
        keep.push(s);
    }
    (keep, errors)
}

/// Plain-English sentences summarising the panel for a chair or a report.
pub fn statements(appraisal: &Appraisal, merged: &Merged) -> Vec<String> {
    let names = |idx: &[usize]| -> String {
        idx.iter()
            .map(|&i| appraisal.options()[i].name().to_string())
            .collect::<Vec<_>>()
            .join(" and ")
    };
    let mut out = Vec::new();
    let n = merged.members.len();
    let leaders = &merged.influence.leaders;
    out.push(format!(
        "On the {} of {} {}, {} {} first.",
        merged.options.method.words(),
        n,
        if n == 1 {
            "member's scores"
        } else {
            "members' scores"
        },
        names(leaders),
        if leaders.len() == 1 {
            "ranks"
        } else {
            "tie for"
        }
    ));
    let flagged = merged.flagged();
    let cells = appraisal.options().len() * appraisal.criteria().len();
    out.push(format!(
        "{} of {} cells show a spread of {} or more and are flagged for discussion.",
        flagged.len(),
        cells,
        numbers::count(merged.options.flag_steps, "scale step", "scale steps")
    ));
    if n > 1 {
        if merged.influence.pivotal.is_empty() {
            out.push("Leaving out any one member would not change which option leads.".to_string());
        } else {
            for (m, new) in &merged.influence.pivotal {
                out.push(format!(
                    "Without {}'s scores, {} would lead instead.",
                    merged.members[*m],
                    names(new)
                ));
            }
        }
    }
    let blanks: usize = merged.cells.iter().flatten().map(|c| n - c.scored).sum();
    if blanks > 0 {
        let scores = if blanks == 1 {
            "1 individual score is blank"
        } else {
            &format!("{blanks} individual scores are blank")
        };
        out.push(if merged.options.method == Method::Sum {
            format!(
                "{scores} and add nothing to the sums, so an option with blank scores has a lower total than its members' views alone would give it."
            )
        } else {
            format!("{scores}; each consensus uses only the members who scored that cell.")
        });
    }
    out
}

/// The panel report for a terminal: the report's blocks without the
/// consensus grid, which a terminal has no room for (the cells to discuss
/// show every member's score where it matters).
pub fn terminal_report(appraisal: &Appraisal, merged: &Merged) -> crate::export::Report {
    use crate::export::Block;
    let mut report = panel_report(appraisal, merged);
    report
        .blocks
        .retain(|b| !matches!(b, Block::Table(t) if t.key == "panel-consensus"));
    // The summary's sentences as one list.
    let sentences: Vec<String> = report
        .blocks
        .iter()
        .take_while(|b| !matches!(b, Block::Table(_)))
        .filter_map(|b| match b {
            Block::Paragraph(p) => Some(p.clone()),
            _ => None,
        })
        .collect();
    report
        .blocks
        .retain(|b| !matches!(b, Block::Paragraph(p) if sentences.contains(p)));
    if let Some(i) = report
        .blocks
        .iter()
        .position(|b| matches!(b, Block::Heading(_)))
    {
        report.blocks.insert(
            i + 1,
            Block::Paragraph(crate::export::sensitivity::bullets(sentences)),
        );
    }
    report
}

/// The panel report as terminal text (see [`terminal_report`]).
pub fn text_report(appraisal: &Appraisal, merged: &Merged, style: TextStyle) -> String {
    let mut out = Vec::new();
    // Writing into memory cannot fail.
    let _ =
        crate::terminal::write_report(&mut out, &terminal_report(appraisal, merged), style, false);
    String::from_utf8_lossy(&out).into_owned()
}

/// One cell in the JSON report.
#[derive(Debug, Serialize)]
pub struct CellJson<'a> {
    /// Option id.
    pub option: &'a str,
    /// Criterion id.
    pub criterion: &'a str,
    /// Each member's score (null where blank), in sheet order.
    pub scores: Vec<MemberScore<'a>>,
    /// Combined score.
    pub consensus: Option<f64>,
    /// Lowest score given.
    pub min: Option<f64>,
    /// Highest score given.
    pub max: Option<f64>,
    /// Highest minus lowest.
    pub spread: Option<f64>,
    /// How many members scored it.
    pub scored: usize,
    /// Whether it is flagged for discussion.
    pub flagged: bool,
}

/// One member's score for a cell.
#[derive(Debug, Serialize)]
pub struct MemberScore<'a> {
    /// The member's name.
    pub member: &'a str,
    /// Their score, or null where blank.
    pub score: Option<f64>,
}

/// An option's total.
#[derive(Debug, Serialize)]
pub struct OptionTotal<'a> {
    /// Option id.
    pub option: &'a str,
    /// Weighted total.
    pub total: f64,
}

/// One member in the JSON report.
#[derive(Debug, Serialize)]
pub struct MemberJson<'a> {
    /// The member's name.
    pub member: &'a str,
    /// The sheet it came from.
    pub sheet: &'a str,
    /// Option ids in the member's own rank order.
    pub ranking: Vec<&'a str>,
    /// The member's totals, in the appraisal's option order.
    pub totals: Vec<OptionTotal<'a>>,
    /// Kendall's tau-b against the consensus.
    pub tau: Option<f64>,
    /// Cells scored.
    pub scored: usize,
}

/// The consensus ranking in the JSON report.
#[derive(Debug, Serialize)]
pub struct RankJson<'a> {
    /// Option id.
    pub option: &'a str,
    /// Consensus total.
    pub total: f64,
    /// Percent of the possible range.
    pub percent: f64,
    /// Competition rank.
    pub rank: usize,
}

/// The document printed by `panel --format json`.
#[derive(Debug, Serialize)]
pub struct PanelJson<'a> {
    /// The appraisal's title.
    pub title: &'a str,
    /// How scores were combined.
    pub method: Method,
    /// Whether consensus values were rounded to the scale.
    pub rounded: bool,
    /// The spread, in scale steps, at which a cell is flagged.
    pub flag_steps: f64,
    /// Member names in sheet order.
    pub members: Vec<&'a str>,
    /// Every cell, by option then criterion.
    pub cells: Vec<CellJson<'a>>,
    /// Consensus ranking, best first.
    pub consensus: Vec<RankJson<'a>>,
    /// The highest possible total.
    pub max_total: f64,
    /// Each member's view.
    pub member_views: Vec<MemberJson<'a>>,
    /// Option ids leading on the full panel.
    pub leaders: Vec<&'a str>,
    /// Members whose absence would change the leader, with the leaders without them.
    pub pivotal_members: Vec<PivotalJson<'a>>,
    /// Plain-English summary.
    pub statements: Vec<String>,
}

/// A member whose absence changes the leader.
#[derive(Debug, Serialize)]
pub struct PivotalJson<'a> {
    /// The member's name.
    pub member: &'a str,
    /// Option ids that would lead without them.
    pub leaders_without: Vec<&'a str>,
}

/// Builds the `panel --format json` document.
pub fn json_report<'a>(appraisal: &'a Appraisal, merged: &'a Merged) -> PanelJson<'a> {
    let oid = |i: usize| appraisal.options()[i].id().as_str();
    let mut cells = Vec::new();
    for (o, row) in merged.cells.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            cells.push(CellJson {
                option: oid(o),
                criterion: appraisal.criteria()[c].id().as_str(),
                scores: merged
                    .members
                    .iter()
                    .zip(&cell.scores)
                    .map(|(m, s)| MemberScore {
                        member: m,
                        score: *s,
                    })
                    .collect(),
                consensus: cell.consensus,
                min: cell.min,
                max: cell.max,
                spread: cell.spread,
                scored: cell.scored,
                flagged: cell.flagged,
            });
        }
    }
    let consensus = merged
        .results
        .rank_order()
        .into_iter()
        .map(|i| {
            let r = &merged.results.options[i];
            RankJson {
                option: oid(i),
                total: r.total,
                percent: r.percent,
                rank: r.rank,
            }
        })
        .collect();
    let member_views = merged
        .views
        .iter()
        .map(|v| {
            let mut order: Vec<usize> = (0..v.ranks.len()).collect();
            order.sort_by_key(|&i| (v.ranks[i], i));
            MemberJson {
                member: &v.member,
                sheet: &v.sheet,
                ranking: order.into_iter().map(oid).collect(),
                totals: v
                    .totals
                    .iter()
                    .enumerate()
                    .map(|(i, t)| OptionTotal {
                        option: oid(i),
                        total: *t,
                    })
                    .collect(),
                tau: v.tau,
                scored: v.scored,
            }
        })
        .collect();
    PanelJson {
        title: &appraisal.meta.title,
        method: merged.options.method,
        rounded: merged.options.round,
        flag_steps: merged.options.flag_steps,
        members: merged.members.iter().map(String::as_str).collect(),
        cells,
        consensus,
        max_total: merged.results.max_total,
        member_views,
        leaders: merged.influence.leaders.iter().map(|&i| oid(i)).collect(),
        pivotal_members: merged
            .influence
            .pivotal
            .iter()
            .map(|(m, l)| PivotalJson {
                member: &merged.members[*m],
                leaders_without: l.iter().map(|&i| oid(i)).collect(),
            })
            .collect(),
        statements: statements(appraisal, merged),
    }
}
