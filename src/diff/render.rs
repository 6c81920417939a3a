//! A [`Diff`] as a report: built once as export blocks ([`report`]), then
//! written as text for the terminal ([`write_text`]) or as Markdown for a
//! committee update ([`write_markdown`], the export's own Markdown writer).

use std::io::Write;

use super::{Change, Diff, Place, Standing, Subject, What};
use crate::export::ExportError;
use crate::export::doc::{Block, Cell, Column, Report, ReportTable, Row, Value};
use crate::numbers;
use crate::report::TextStyle;

/// Width of text written to a pipe or file, where there is no terminal to fit.
const TEXT_WIDTH: usize = 100;

/// How the two versions are named in the report (file names, or git's
/// `a/` and `b/` paths).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Labels {
    /// The old version.
    pub old: String,
    /// The new version.
    pub new: String,
    /// The appraisal's title (the new version's).
    pub title: String,
}

/// The diff as a format-neutral report: a summary, the totals and ranks
/// that moved, every change, and the sensitivity statements that changed.
pub fn report(diff: &Diff, labels: &Labels) -> Report {
    let mut blocks = vec![Block::Heading("Summary".into())];
    for line in summary(diff) {
        blocks.push(Block::Paragraph(line));
    }
    if diff.is_empty() {
        return Report {
            title: format!("Changes to {}", labels.title),
            byline: vec![format!("From {} to {}", labels.old, labels.new)],
            blocks,
            origin: None,
        };
    }
    let moved: Vec<&Standing> = diff.standings.iter().filter(|s| s.moved()).collect();
    blocks.push(Block::Heading("Totals and ranks".into()));
    if moved.is_empty() {
        blocks.push(Block::Paragraph(
            "No option's total or rank moved.".to_string(),
        ));
    } else {
        blocks.push(Block::Table(standings_table(&diff.standings)));
    }
    blocks.push(Block::Heading("What changed".into()));
    for (key, title, changes) in grouped(&diff.changes) {
        blocks.push(Block::Table(changes_table(key, title, &changes)));
    }
    let st = &diff.statements;
    if !st.removed.is_empty() || !st.added.is_empty() {
        blocks.push(Block::Heading("Sensitivity".into()));
        let mut t = ReportTable::new(
            "sensitivity-changes",
            "Sensitivity statements that changed",
            vec![Column::text("Change"), Column::prose("Statement")],
        );
        for s in &st.removed {
            t.rows.push(Row::body(vec![
                Cell::text("no longer holds"),
                Cell::text(&s.text),
            ]));
        }
        for s in &st.added {
            t.rows
                .push(Row::body(vec![Cell::text("new"), Cell::text(&s.text)]));
        }
        if st.unchanged > 0 {
            t.notes.push(format!(
                "{} read the same in both versions.",
                numbers::count(st.unchanged as f64, "other statement", "other statements")
            ));
        }
        blocks.push(Block::Table(t));
    }
    Report {
        title: format!("Changes to {}", labels.title),
        byline: vec![format!("From {} to {}", labels.old, labels.new)],
        blocks,
        origin: None,
    }
}

/// The opening lines: how much changed, and whether the lead changed.
fn summary(diff: &Diff) -> Vec<String> {
    if diff.is_empty() {
        return vec!["The two versions hold the same appraisal.".to_string()];
    }
    let mut counts: Vec<(&str, &str, usize)> = vec![
        ("score", "scores", 0),
        ("weight", "weights", 0),
        ("note", "notes", 0),
        ("criterion added or removed", "criteria added or removed", 0),
        ("option added or removed", "options added or removed", 0),
        ("rename", "renames", 0),
        ("other change", "other changes", 0),
    ];
    for c in &diff.changes {
        let k = match (&c.subject, &c.what) {
            (Subject::Cell { .. }, What::Number { field: "score", .. }) => 0,
            (
                _,
                What::Number {
                    field: "weight", ..
                },
            ) => 1,
            (Subject::Cell { .. }, What::Text { .. }) => 2,
            (Subject::Criterion { .. }, What::Added { .. } | What::Removed { .. }) => 3,
            (Subject::Option { .. }, What::Added { .. } | What::Removed { .. }) => 4,
            (_, What::Renamed { .. }) => 5,
            _ => 6,
        };
        counts[k].2 += 1;
    }
    let parts: Vec<String> = counts
        .iter()
        .filter(|(_, _, n)| *n > 0)
        .map(|(one, many, n)| numbers::count(*n as f64, one, many))
        .collect();
    let mut out = vec![format!(
        "{} changed: {}.",
        numbers::count(diff.changes.len() as f64, "thing", "things"),
        numbers::join_and(&parts)
    )];
    let l = &diff.leaders;
    let names = |v: &[String]| {
        if v.is_empty() {
            "no option".to_string()
        } else {
            numbers::join_and(v)
        }
    };
    out.push(if l.changed() {
        format!(
            "The lead changed: {} led before; {} {} now.",
            names(&l.old),
            names(&l.new),
            if l.new.len() > 1 { "lead" } else { "leads" }
        )
    } else if l.new.len() > 1 {
        format!("{} still lead, tied.", names(&l.new))
    } else {
        format!("{} still leads.", names(&l.new))
    });
    let st = &diff.statements;
    out.push(if st.removed.is_empty() && st.added.is_empty() {
        "No sensitivity statement changed.".to_string()
    } else {
        format!(
            "Sensitivity: {} no longer {}, and {} new.",
            numbers::count(st.removed.len() as f64, "statement", "statements"),
            if st.removed.len() == 1 {
                "holds"
            } else {
                "hold"
            },
            st.added.len()
        )
    });
    out
}

fn place_total(p: &Option<Place>) -> Cell {
    match p {
        Some(p) => {
            let mut c = Cell::new(Value::OutOf {
                value: p.total,
                max: p.max_total,
                display: numbers::total_of(p.total, p.max_total),
            });
            if p.screened_out {
                c = c.with_remark("screened out");
            } else if !p.complete {
                c = c.with_remark("incomplete");
            }
            c
        }
        None => Cell::new(Value::Missing),
    }
}

fn place_rank(p: &Option<Place>) -> Cell {
    match p {
        Some(p) if p.screened_out => Cell::text("screened out"),
        Some(p) => Cell::new(Value::Number {
            value: p.rank as f64,
            display: p.rank.to_string(),
        }),
        None => Cell::new(Value::Missing),
    }
}

/// Every option's total and rank before and after, in the new order.
fn standings_table(standings: &[Standing]) -> ReportTable {
    let mut t = ReportTable::new(
        "totals-and-ranks",
        "Totals and ranks, before and now",
        vec![
            Column::text("Option"),
            Column::number("Total before"),
            Column::number("Total now"),
            Column::number("Change"),
            Column::number("Rank before"),
            Column::number("Rank now"),
        ],
    )
    .with_row_header(0);
    for s in standings {
        let change = match (&s.old, &s.new) {
            (Some(a), Some(b)) => {
                let d = b.total - a.total;
                let text = if d > 0.0 {
                    format!("+{}", numbers::total(d))
                } else if d < 0.0 {
                    format!("−{}", numbers::total(-d))
                } else {
                    "0".to_string()
                };
                Cell::new(Value::Number {
                    value: d,
                    display: text,
                })
            }
            (None, Some(_)) => Cell::text("added"),
            (Some(_), None) => Cell::text("removed"),
            (None, None) => Cell::empty(),
        };
        t.rows.push(Row::body(vec![
            Cell::text(&s.name),
            place_total(&s.old),
            place_total(&s.new),
            change,
            place_rank(&s.old),
            place_rank(&s.new),
        ]));
    }
    t
}

/// The changes in reading order, split into tables by what they are about.
fn grouped(changes: &[Change]) -> Vec<(&'static str, &'static str, Vec<&Change>)> {
    let mut groups: Vec<(&'static str, &'static str, Vec<&Change>)> = vec![
        ("details-changes", "The appraisal's details", Vec::new()),
        ("scale-changes", "The scale", Vec::new()),
        ("criteria-changes", "Criteria", Vec::new()),
        ("options-changes", "Options", Vec::new()),
        ("score-changes", "Scores and notes", Vec::new()),
    ];
    for c in changes {
        let k = match c.subject {
            Subject::Appraisal => 0,
            Subject::Scale => 1,
            Subject::Criterion { .. } | Subject::Group { .. } => 2,
            Subject::Option { .. } => 3,
            Subject::Cell { .. } => 4,
        };
        groups[k].2.push(c);
    }
    groups.retain(|(_, _, v)| !v.is_empty());
    groups
}

fn optional(text: &Option<String>) -> Cell {
    match text {
        Some(t) => Cell::text(t),
        None => Cell::new(Value::Missing),
    }
}

/// One group of changes: what, which change, before, now.
fn changes_table(key: &str, title: &str, changes: &[&Change]) -> ReportTable {
    let mut t = ReportTable::new(
        key,
        title,
        vec![
            Column::text("What"),
            Column::text("Change"),
            Column::prose("Before"),
            Column::prose("Now"),
        ],
    )
    .with_row_header(0);
    for c in changes {
        let what = match &c.subject {
            Subject::Appraisal => "Appraisal".to_string(),
            Subject::Scale => "Scale".to_string(),
            Subject::Criterion { id, name } | Subject::Option { id, name } => {
                format!("{name} ({id})")
            }
            Subject::Group { id, name } => format!("group {name} ({id})"),
            Subject::Cell {
                option_name,
                criterion_name,
                ..
            } => format!("{option_name}: {criterion_name}"),
        };
        let (change, before, now) = match &c.what {
            What::Added { summary } => ("added".to_string(), Cell::empty(), Cell::text(summary)),
            What::Removed { summary } => {
                ("removed".to_string(), Cell::text(summary), Cell::empty())
            }
            What::Renamed { old, new } => ("renamed".to_string(), Cell::text(old), Cell::text(new)),
            What::Moved { from, to } => (
                "moved".to_string(),
                Cell::text(format!("position {from}")),
                Cell::text(format!("position {to}")),
            ),
            What::Number {
                field,
                old_text,
                new_text,
                old,
                new,
            } => (
                field.replace('_', " "),
                if old.is_some() {
                    Cell::text(old_text)
                } else {
                    Cell::new(Value::Missing)
                },
                if new.is_some() {
                    Cell::text(new_text)
                } else {
                    Cell::new(Value::Missing)
                },
            ),
            What::Text { field, old, new } => (field.clone(), optional(old), optional(new)),
            What::List {
                field,
                removed,
                added,
            } => (
                field.to_string(),
                Cell::new(Value::List {
                    items: removed.iter().map(|s| format!("removed: {s}")).collect(),
                }),
                Cell::new(Value::List {
                    items: added.iter().map(|s| format!("added: {s}")).collect(),
                }),
            ),
        };
        t.rows.push(Row::body(vec![
            Cell::text(what),
            Cell::text(change),
            before,
            now,
        ]));
    }
    t
}

/// Writes the report as Markdown, with pipe tables, for a committee update.
pub fn write_markdown(report: &Report, out: &mut impl Write) -> Result<(), ExportError> {
    crate::export::markdown::write(report, out)
}

/// Writes the report as text for the terminal, through the terminal's
/// writer of reports (tables drawn and text sanitised as every command's
/// are), fitted to the terminal or, when piped, to [`TEXT_WIDTH`] columns so
/// the statements do not run to hundreds.
pub fn write_text(report: &Report, style: TextStyle, out: &mut impl Write) -> std::io::Result<()> {
    let style = TextStyle {
        width: style.width.or(Some(TEXT_WIDTH as u16)),
        ..style
    };
    crate::terminal::write_report(out, report, style, true)
}
