//! The terminal's writer of the format-neutral [`Report`], beside the
//! Markdown, HTML, CSV and other writers in [`crate::export`]. The commands
//! that print to a terminal build the same blocks as the exports and hand
//! them to [`write_report`]. Every cell, heading and note it draws passes
//! through the one sanitiser, [`crate::sanitise`].

use std::borrow::Cow;
use std::io::{self, Write};

use comfy_table::{
    Attribute, CellAlignment, ColumnConstraint, ContentArrangement, Table, Width, presets,
};

use crate::export::doc::{Align, column_parts, repeating};
use crate::export::{Block, Column, Report, ReportTable, RowKind};
use crate::sanitise::{sanitise, sanitise_line};

/// How terminal tables are drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TextStyle {
    /// Fit tables to this many columns; `None` means no limit.
    pub width: Option<u16>,
    /// Whether to use bold and colour (off when NO_COLOR is set or output is not a terminal).
    pub color: bool,
}

/// Width assumed for a table when the output is not a terminal, for the
/// choice between naming criteria in full and by code.
pub const PLAIN_WIDTH: usize = 120;

/// A report as terminal text, as [`write_report`] writes it with notes.
pub fn report_text(report: &Report, style: TextStyle) -> String {
    let mut out = Vec::new();
    // Writing into memory cannot fail.
    let _ = write_report(&mut out, report, style, true);
    String::from_utf8_lossy(&out).into_owned()
}

/// Writes a report for a terminal: the title and byline, then each block.
/// Headings stand on their own line after a blank one; a table's title is
/// shown unless the heading just above says the same, or the table opens a
/// report that has no title (`rank`); charts are left out (the
/// tables hold their figures); table notes are left out unless `notes`.
/// Every piece of text passes through [`sanitise`].
pub fn write_report(
    out: &mut impl Write,
    report: &Report,
    style: TextStyle,
    notes: bool,
) -> io::Result<()> {
    if !report.title.is_empty() {
        writeln!(out, "{}", wrap(&sanitise_line(&report.title), style.width))?;
    }
    for line in &report.byline {
        writeln!(out, "{}", wrap(&sanitise_line(line), style.width))?;
    }
    // The heading just written, if nothing has followed it yet.
    let mut heading: Option<&str> = None;
    let mut first = report.title.is_empty() && report.byline.is_empty();
    for b in &report.blocks {
        match b {
            Block::Heading(h) | Block::Subheading(h) => {
                writeln!(out, "\n{}", sanitise_line(h))?;
                heading = Some(h);
                first = false;
                continue;
            }
            Block::Paragraph(p) => {
                if heading.is_none() && !first {
                    writeln!(out)?;
                }
                writeln!(out, "{}", wrap(&sanitise(p), style.width))?;
            }
            Block::Table(t) => {
                let said = heading.is_some_and(|h| t.title == h) || first;
                if !said {
                    writeln!(out, "{}", sanitise_line(&t.title))?;
                }
                writeln!(out, "{}", table(t, style, notes))?;
            }
            Block::Chart(_) => continue,
        }
        heading = None;
        first = false;
    }
    Ok(())
}

/// A paragraph broken into lines of at most `width` characters at spaces.
fn wrap(text: &str, width: Option<u16>) -> Cow<'_, str> {
    let Some(width) = width.map(usize::from).filter(|&w| w > 20) else {
        return Cow::Borrowed(text);
    };
    let mut out = String::with_capacity(text.len() + text.len() / width + 1);
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let mut used = 0;
        for word in line.split(' ') {
            let n = word.chars().count();
            if used > 0 && used + 1 + n > width {
                out.push('\n');
                used = 0;
            } else if used > 0 {
                out.push(' ');
                used += 1;
            }
            out.push_str(word);
            used += n;
        }
    }
    Cow::Owned(out)
}

/// How many characters across a table needs with every cell on one line.
fn natural_width(t: &ReportTable) -> usize {
    let widest = |s: &str| s.lines().map(|l| l.chars().count()).max().unwrap_or(0);
    let mut widths: Vec<usize> = t.columns.iter().map(|c| widest(&c.header)).collect();
    for row in &t.rows {
        for (w, c) in widths.iter_mut().zip(&row.cells) {
            *w = (*w).max(widest(&c.display()));
        }
    }
    1 + widths.iter().map(|w| w + 3).sum::<usize>()
}

/// One table as terminal text, fitted to the style's width. A table too
/// wide for the terminal first leaves out its working columns
/// ([`Column::working`]); a score matrix still too wide to name its
/// criteria in full names them (and its groups) by code, with the key
/// beneath, as the Word export does. With a width set, a table still too
/// wide heads the columns that have one with their short header
/// ([`Column::short`]), the key saying what the full one did, and leaves
/// out the columns that repeat other cells ([`Column::repeats`]) when it
/// could not otherwise be drawn without breaking words.
pub fn table(t: &ReportTable, style: TextStyle, notes: bool) -> String {
    let limit = style.width.map_or(PLAIN_WIDTH, usize::from);
    let narrow = |t: &ReportTable| style.width.is_some() && natural_width(t) > limit;
    let mut t = Cow::Borrowed(t);
    // Too wide for a terminal: the steps of the working (a criterion's share
    // of its group, the group's share) go first; the result stays.
    if narrow(&t) && t.columns.iter().any(|c| c.working) {
        t = Cow::Owned(without_columns(&t, |c| c.working));
    }
    // The key, when there is one, is the table's first note.
    let mut keyed = false;
    if natural_width(&t) > limit
        && let Some(coded) = t.with_coded_criteria()
    {
        t = Cow::Owned(coded);
        keyed = true;
    }
    if narrow(&t) && t.columns.iter().any(|c| c.short.is_some()) {
        let mut short = t.into_owned();
        let said = shorten_headers(&mut short);
        match short.notes.first_mut() {
            Some(key) if keyed => {
                key.push(' ');
                key.push_str(&said);
            }
            _ => short.notes.insert(0, said),
        }
        keyed = true;
        t = Cow::Owned(short);
    }
    if narrow(&t) && !words_fit(&t, limit) && t.columns.iter().any(|c| c.repeats) {
        t = Cow::Owned(without_columns(&t, |c| c.repeats));
    }
    let mut out = match parts_to_fit(&t, style) {
        Some(parts) => {
            let headers: Vec<String> = t.columns.iter().map(|c| c.header.clone()).collect();
            let note = format!(
                "Shown in {} parts{}, to fit {limit} columns.",
                parts.len(),
                repeating(&t, &headers)
            );
            let mut out = wrap(&sanitise(&note), style.width).into_owned();
            for part in &parts {
                let mut keep = vec![false; t.columns.len()];
                for &c in part {
                    if let Some(k) = keep.get_mut(c) {
                        *k = true;
                    }
                }
                out.push('\n');
                out.push_str(&draw(&keep_columns(&t, &keep), style));
            }
            out
        }
        None => draw(&t, style),
    };
    let shown: Vec<&String> = if notes {
        t.notes.iter().collect()
    } else {
        t.notes.iter().take(usize::from(keyed)).collect()
    };
    for n in shown {
        out.push('\n');
        out.push_str(&wrap(&sanitise(n), style.width));
    }
    out
}

/// The parts a table with a row header is drawn in when, with a width set,
/// its columns cannot all be as wide as their longest words side by side
/// (see [`column_parts`]); `None` when it fits whole, or when parts would
/// not fit either.
fn parts_to_fit(t: &ReportTable, style: TextStyle) -> Option<Vec<Vec<usize>>> {
    let width = usize::from(style.width?);
    if words_fit(t, width) {
        return None;
    }
    let lead = t.row_header? + 1;
    // A rule at each side and between columns, and a space each side of each.
    let least: Vec<f64> = longest_words(t).iter().map(|&n| (n + 3) as f64).collect();
    let room = width as f64 - 1.0 - least.iter().take(lead).sum::<f64>();
    if lead >= least.len() || least.iter().skip(lead).any(|&w| w > room) {
        return None;
    }
    let parts = column_parts(&least, lead, room, usize::MAX);
    (parts.len() > 1).then_some(parts)
}

/// Heads each column that has a short header with it, and returns the
/// sentences that say what the full headers did.
fn shorten_headers(t: &mut ReportTable) -> String {
    let mut said = Vec::new();
    for c in &mut t.columns {
        if let Some((header, key)) = c.short.take() {
            c.header = header;
            said.push(key);
        }
    }
    said.join(" ")
}

/// Whether every column can be as wide as its longest word within `width`.
fn words_fit(t: &ReportTable, width: usize) -> bool {
    // A rule at each side and between columns, and a space each side of each.
    let drawn = 1 + longest_words(t).iter().map(|n| n + 3).sum::<usize>();
    drawn <= width
}

/// The longest word of each column, header and cells alike: the narrowest
/// the column can be without breaking a word.
fn longest_words(t: &ReportTable) -> Vec<usize> {
    let longest = |s: &str| {
        s.split_whitespace()
            .map(|w| w.chars().count())
            .max()
            .unwrap_or(0)
    };
    let mut widths: Vec<usize> = t.columns.iter().map(|c| longest(&c.header)).collect();
    for row in &t.rows {
        for (w, c) in widths.iter_mut().zip(&row.cells) {
            *w = (*w).max(longest(&c.display()));
        }
    }
    widths
}

fn draw(t: &ReportTable, style: TextStyle) -> String {
    let mut table = Table::new();
    table.load_style(presets::UTF8_FULL_CONDENSED);
    table.force_no_tty();
    if style.color {
        table.enforce_styling();
    }
    if let Some(w) = style.width {
        table.set_width(w);
        table.set_content_arrangement(ContentArrangement::Dynamic);
    }
    let styled = |cell: comfy_table::Cell, bold: bool| {
        if bold && style.color {
            cell.add_attribute(Attribute::Bold)
        } else {
            cell
        }
    };
    table.set_header(
        t.columns
            .iter()
            .map(|c| styled(comfy_table::Cell::new(sanitise(&c.header)), true)),
    );
    let align = |c: Option<&Column>| match c.map(|c| c.align) {
        Some(Align::Right) => CellAlignment::Right,
        Some(Align::Centre) => CellAlignment::Center,
        _ => CellAlignment::Left,
    };
    for row in &t.rows {
        let bold = matches!(row.kind, RowKind::Total | RowKind::Heading);
        table.add_row(row.cells.iter().enumerate().map(|(i, c)| {
            styled(
                comfy_table::Cell::new(sanitise(&c.display()))
                    .set_alignment(align(t.columns.get(i))),
                bold,
            )
        }));
    }
    // Where every column can be as wide as its longest word, none is made
    // narrower, so no word is broken across lines (comfy-table would split
    // "Transparency" to share the width evenly).
    if let Some(w) = style.width
        && words_fit(t, usize::from(w))
    {
        for (column, n) in table.column_iter_mut().zip(longest_words(t)) {
            // The boundary counts the column's padding, one space each side.
            let n = u16::try_from(n + 2).unwrap_or(u16::MAX);
            column.set_constraint(ColumnConstraint::LowerBoundary(Width::Fixed(n)));
        }
    }
    table.to_string()
}

/// The table without the columns `drop` picks, for a terminal view that
/// leaves out what it has no room for (a criteria table's descriptions).
pub fn without_columns(t: &ReportTable, drop: impl Fn(&Column) -> bool) -> ReportTable {
    let keep: Vec<bool> = t.columns.iter().map(|c| !drop(c)).collect();
    keep_columns(t, &keep)
}

/// The table with only the columns `keep` marks.
fn keep_columns(t: &ReportTable, keep: &[bool]) -> ReportTable {
    fn kept<T>(v: &mut Vec<T>, keep: &[bool]) {
        let mut i = 0;
        v.retain(|_| {
            i += 1;
            keep.get(i - 1).copied().unwrap_or(true)
        });
    }
    let mut out = t.clone();
    kept(&mut out.columns, keep);
    for row in &mut out.rows {
        kept(&mut row.cells, keep);
    }
    // Formulas and row headers refer to column positions that have moved.
    out.weighted_sum = None;
    out.row_header = t
        .row_header
        .filter(|&h| keep.get(h).copied().unwrap_or(false))
        .map(|h| keep[..h].iter().filter(|&&k| k).count());
    out
}
