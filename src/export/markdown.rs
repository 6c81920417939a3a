//! Markdown: GitHub and pandoc pipe tables, each under its numbered caption
//! in bold; sections are `##` headings and sub-sections `###`.
//!
//! Every piece of text is escaped (see [`super::text::markdown`]) so that a
//! pipe stays inside its cell, a newline becomes `<br>`, and nothing in the
//! appraisal becomes a link, emphasis or raw HTML. Markdown cannot draw, so
//! each chart is named in one line; export charts with `--format svg`.

use std::io::Write;

use rayon::prelude::*;

use super::ExportError;
use super::doc::{Align, Block, Report, ReportTable, RowKind};
use super::stream::ReportStream;
use super::text::{markdown as esc, markdown_heading as heading, markdown_paragraph as para};

/// Writes the whole report as Markdown.
pub fn write(report: &Report, out: &mut impl Write) -> Result<(), ExportError> {
    write_stream(&ReportStream::from(report), out)
}

/// Writes the whole report as Markdown, the annex as the report streams it.
pub fn write_stream(report: &ReportStream<'_>, out: &mut impl Write) -> Result<(), ExportError> {
    writeln!(out, "# {}", heading(report.title()))?;
    if !report.byline().is_empty() {
        writeln!(out)?;
        let lines: Vec<String> = report.byline().iter().map(|l| para(l)).collect();
        writeln!(out, "{}", lines.join("  \n"))?;
    }
    report.runs(|blocks| {
        // Each block's text is made on every core, then written in order.
        let texts: Vec<Result<Vec<u8>, ExportError>> = blocks
            .par_iter()
            .map(|b| {
                let mut s = Vec::new();
                write_block(b, &mut s)?;
                Ok(s)
            })
            .collect();
        for t in texts {
            out.write_all(&t?)?;
        }
        Ok(())
    })
}

/// Writes one block, after the blank line that separates it from the last.
fn write_block(block: &Block, out: &mut impl Write) -> Result<(), ExportError> {
    writeln!(out)?;
    match block {
        Block::Heading(h) => writeln!(out, "## {}", heading(h))?,
        Block::Subheading(h) => writeln!(out, "### {}", heading(h))?,
        Block::Paragraph(p) => writeln!(out, "{}", para(p))?,
        Block::Table(t) => write_table(t, out)?,
        // Markdown cannot draw; point the reader to the formats that do.
        Block::Chart(c) => writeln!(
            out,
            "{} (drawn in the HTML, Word, SVG and PNG exports).",
            para(&c.caption())
        )?,
    }
    Ok(())
}

/// Writes one table with its heading, intro and notes.
pub fn write_table(t: &ReportTable, out: &mut impl Write) -> Result<(), ExportError> {
    writeln!(out, "**{}**", esc(&t.caption()))?;
    writeln!(out)?;
    if let Some(intro) = &t.intro {
        writeln!(out, "{}", para(intro))?;
        writeln!(out)?;
    }
    let n = t.columns.len();
    let head: Vec<String> = t
        .columns
        .iter()
        .map(|c| {
            let h = esc(&c.header);
            // An empty header cell would not make a valid pipe table row in every reader.
            if h.is_empty() { " ".into() } else { h }
        })
        .collect();
    writeln!(out, "| {} |", head.join(" | "))?;
    let rule: Vec<&str> = t
        .columns
        .iter()
        .map(|c| match c.align {
            Align::Left => ":---",
            Align::Right => "---:",
            Align::Centre => ":---:",
        })
        .collect();
    writeln!(out, "| {} |", rule.join(" | "))?;
    for row in &t.rows {
        let cells: Vec<String> = (0..n)
            .map(|i| {
                let text = row
                    .cells
                    .get(i)
                    .map(|c| esc(&c.display()))
                    .unwrap_or_default();
                match row.kind {
                    _ if text.is_empty() => text,
                    RowKind::Total | RowKind::Heading => format!("**{text}**"),
                    RowKind::Parameters => format!("*{text}*"),
                    RowKind::Body => text,
                }
            })
            .collect();
        writeln!(out, "| {} |", cells.join(" | "))?;
    }
    for note in &t.notes {
        writeln!(out)?;
        writeln!(out, "Note: {}", para(note))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::doc::{Cell, Column, Row};

    #[test]
    fn pipes_and_newlines_stay_in_the_cell() {
        let mut t = ReportTable::new("t", "A | B", vec![Column::text("x|y"), Column::number("n")]);
        t.rows.push(Row::body(vec![Cell::text("one\ntwo | three")]));
        let mut out = Vec::new();
        write_table(&t, &mut out).unwrap();
        let s = String::from_utf8(out).unwrap();
        assert_eq!(
            s,
            "**A \\| B**\n\n| x\\|y | n |\n| :--- | ---: |\n| one<br>two \\| three |  |\n"
        );
    }
}
