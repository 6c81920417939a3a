//! HTML: one self-contained page with accessible tables and inline SVG charts.
//!
//! The page has no scripts and no external assets; a Content-Security-Policy
//! forbids loading anything, so even a mistake in escaping could not make it
//! fetch or run anything. The print stylesheet targets A4, repeats table
//! headers on each page and keeps rows, charts and headings from splitting.

use std::io::Write;

use rayon::prelude::*;

use super::ExportError;
use super::doc::{Align, Block, Cell, Chart, Report, ReportTable, RowKind, Value};
use super::stream::ReportStream;
use super::svg::chart_svg;
use super::text::xml;

const STYLE: &str = r#"
:root { color-scheme: light; }
body { font-family: "DejaVu Sans", "Liberation Sans", Arial, Helvetica, sans-serif; font-size: 15px; line-height: 1.45; color: #111; background: #fff; margin: 0; }
main, header { max-width: 62rem; margin: 0 auto; padding: 0 1.25rem; }
header { padding-top: 1.5rem; }
h1 { font-size: 1.6rem; margin: 0 0 0.5rem; }
h2 { font-size: 1.3rem; margin: 2rem 0 0.75rem; border-bottom: 2px solid #333; padding-bottom: 0.2rem; }
h3 { font-size: 1.12rem; margin: 1.6rem 0 0.5rem; }
p, li, caption, figcaption { overflow-wrap: anywhere; }
th, td { overflow-wrap: break-word; }
td.prose { overflow-wrap: anywhere; min-width: 12rem; }
abbr { text-decoration: none; }
.byline { color: #333; margin: 0.2rem 0; }
.table-wrap { overflow-x: auto; margin: 1rem 0 0.5rem; }
.table-wrap:focus { outline: 3px solid #1f5f9f; outline-offset: 2px; }
table { border-collapse: collapse; width: 100%; font-size: 0.9rem; }
table.matrix td.num, table.matrix thead th.num { padding-left: 0.3rem; padding-right: 0.3rem; }
caption { text-align: left; font-weight: bold; font-size: 1.05rem; padding: 0 0 0.4rem; }
th, td { border: 1px solid #888; padding: 0.3rem 0.45rem; vertical-align: top; text-align: left; }
thead th { background: #e6e6e6; border-bottom: 2px solid #333; vertical-align: bottom; }
tbody th { font-weight: normal; }
.num { text-align: right; font-variant-numeric: tabular-nums; }
td.num { white-space: nowrap; }
.remark { white-space: normal; font-size: 0.85em; }
tr.total th, tr.total td { font-weight: bold; border-top: 2px solid #333; }
tr.parameters th, tr.parameters td { font-style: italic; background: #f4f4f4; }
td ul { margin: 0; padding-left: 1.1rem; }
.intro { margin: 1rem 0 0.25rem; }
.note { font-size: 0.85rem; color: #222; margin: 0.25rem 0; }
figure.chart { margin: 1.25rem 0; }
figcaption { font-weight: bold; margin: 0 0 0.4rem; }
@media (max-width: 40rem) {
  body { font-size: 16px; }
  main, header { padding: 0 0.6rem; }
  table { font-size: 0.95rem; }
  th, td { padding: 0.25rem 0.3rem; }
  td.num { white-space: normal; }
}
figure.chart svg { max-width: 100%; height: auto; }
@page { size: A4; margin: 15mm 14mm; }
@page wide { size: A4 landscape; margin: 15mm 14mm; }
@media print {
  section.wide { page: wide; }
  body { font-size: 10pt; }
  main, header { max-width: none; padding: 0; }
  .table-wrap { overflow: visible; }
  table { font-size: 10pt; }
  thead { display: table-header-group; }
  tr, figure.chart, .note { break-inside: avoid; page-break-inside: avoid; }
  h2, caption, .intro { break-after: avoid; page-break-after: avoid; }
  .note { break-before: avoid; page-break-before: avoid; }
  thead th, tr.parameters td, tr.parameters th { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"#;

/// Writes the whole report as one HTML page.
pub fn write(report: &Report, out: &mut impl Write) -> Result<(), ExportError> {
    write_stream(&ReportStream::from(report), out)
}

/// Writes the whole report as one HTML page, the annex as the report
/// streams it.
pub fn write_stream(report: &ReportStream<'_>, out: &mut impl Write) -> Result<(), ExportError> {
    let title = xml(report.title());
    write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"generator\" content=\"appraise\">\n<title>{title}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n\
         <header>\n<h1>{title}</h1>\n"
    )?;
    for line in report.byline() {
        writeln!(out, "<p class=\"byline\">{}</p>", xml(line))?;
    }
    writeln!(out, "</header>\n<main>")?;
    // Each heading opens a section; a section with a wide table prints landscape.
    let wide = report.wide_sections();
    let mut section = 0;
    let mut open = false;
    report.runs(|blocks| {
        // Tables and charts are made on every core, then written in order.
        let made: Vec<Option<Result<Vec<u8>, ExportError>>> = blocks
            .par_iter()
            .map(|b| {
                let mut s = Vec::new();
                let r = match b {
                    Block::Table(t) => write_table(t, &mut s),
                    Block::Chart(c) => write_chart(c, &mut s),
                    _ => return None,
                };
                Some(r.map(|()| s))
            })
            .collect();
        for (block, made) in blocks.iter().zip(made) {
            match block {
                Block::Heading(h) => {
                    if open {
                        writeln!(out, "</section>")?;
                    }
                    section += 1;
                    let class = if wide.get(section).copied().unwrap_or(false) {
                        " class=\"wide\""
                    } else {
                        ""
                    };
                    writeln!(out, "<section{class}>\n<h2>{}</h2>", xml(h))?;
                    open = true;
                }
                Block::Subheading(h) => writeln!(out, "<h3>{}</h3>", xml(h))?,
                Block::Paragraph(p) => writeln!(out, "<p>{}</p>", with_breaks(p))?,
                Block::Table(_) | Block::Chart(_) => {
                    if let Some(made) = made {
                        out.write_all(&made?)?;
                    }
                }
            }
        }
        Ok::<(), ExportError>(())
    })?;
    if open {
        writeln!(out, "</section>")?;
    }
    writeln!(out, "</main>\n</body>\n</html>")?;
    Ok(())
}

/// Writes one chart as a figure with its caption.
fn write_chart(c: &Chart, out: &mut impl Write) -> Result<(), ExportError> {
    writeln!(
        out,
        "<figure class=\"chart\" id=\"{}\">\n<figcaption>{}</figcaption>",
        id_of(&c.key),
        xml(&c.caption())
    )?;
    out.write_all(chart_svg(c).as_bytes())?;
    writeln!(out, "</figure>")?;
    Ok(())
}

/// An id attribute value made from a key.
fn id_of(key: &str) -> String {
    let s: String = key
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    format!("t-{s}")
}

/// Escaped text with newlines as `<br>`.
fn with_breaks(s: &str) -> String {
    let escaped = xml(s);
    // `xml` drops carriage returns, so `\r\n` breaks a line as `\n` does.
    if escaped.contains('\n') {
        escaped.replace('\n', "<br>\n")
    } else {
        escaped
    }
}

/// The inner HTML of a cell.
fn cell_html(cell: &Cell) -> String {
    let mut s = match &cell.value {
        Value::List { items } if items.len() > 1 => {
            let lis: Vec<String> = items
                .iter()
                .map(|i| format!("<li>{}</li>", with_breaks(i)))
                .collect();
            format!("<ul>{}</ul>", lis.join(""))
        }
        Value::Evidence {
            note,
            for_,
            against,
        } => {
            // The + and – stay in the text, so the points read the same
            // without the style sheet and to a screen reader.
            let lis: Vec<String> = for_
                .iter()
                .map(|p| format!("<li>+ {}</li>", with_breaks(p)))
                .chain(
                    against
                        .iter()
                        .map(|p| format!("<li>– {}</li>", with_breaks(p))),
                )
                .collect();
            let note = note.as_deref().map_or(String::new(), |n| {
                format!("<p style=\"margin:0 0 0.3em\">{}</p>", with_breaks(n))
            });
            format!(
                "{note}<ul class=\"evidence\" style=\"list-style:none;padding-left:0\">{}</ul>",
                lis.join("")
            )
        }
        v => with_breaks(&v.display()),
    };
    if let Some(r) = &cell.remark {
        if !s.is_empty() {
            s.push(' ');
        }
        s.push_str(&format!("<span class=\"remark\">({})</span>", xml(r)));
    }
    s
}

fn align_class(a: Align) -> &'static str {
    match a {
        Align::Left => "",
        Align::Right => " class=\"num\"",
        Align::Centre => " style=\"text-align:center\"",
    }
}

/// Writes one table with its caption, intro and notes.
pub fn write_table(t: &ReportTable, out: &mut impl Write) -> Result<(), ExportError> {
    if let Some(intro) = &t.intro {
        writeln!(out, "<p class=\"intro\">{}</p>", with_breaks(intro))?;
    }
    // The wrapper scrolls when a table is wider than the screen; it can take
    // the keyboard's focus (so it can be scrolled without a mouse) and is
    // named by the table's caption.
    let id = id_of(&t.key);
    let class = if t.weighted_sum.is_some() {
        " class=\"matrix\""
    } else {
        ""
    };
    writeln!(
        out,
        "<div class=\"table-wrap\" role=\"region\" tabindex=\"0\" aria-labelledby=\"{id}-caption\"><table id=\"{id}\"{class}>\n<caption id=\"{id}-caption\">{}</caption>\n<thead><tr>",
        xml(&t.caption())
    )?;
    // A matrix names its criteria by code (C1, C2, ... as in the criteria
    // table), with the full name as the code's title and a key under the
    // table, so its score columns stay as narrow as their figures.
    let coded = t.weighted_sum.as_ref().map(|w| w.columns.clone());
    // A grouped matrix's columns carry their own codes (not in criterion order).
    let own_codes = t.columns.iter().any(|c| c.code.is_some());
    let code = |i: usize| {
        if own_codes {
            return t.columns.get(i).and_then(|c| c.code.clone());
        }
        coded
            .as_ref()
            .filter(|r| r.contains(&i))
            .map(|r| format!("C{}", i - r.start + 1))
    };
    for (i, c) in t.columns.iter().enumerate() {
        let header = match code(i) {
            Some(k) => format!("<abbr title=\"{}\">{k}</abbr>", xml(&c.header)),
            None => xml(&c.header),
        };
        writeln!(
            out,
            "<th scope=\"col\"{}>{header}</th>",
            align_class(c.align)
        )?;
    }
    writeln!(out, "</tr></thead>\n<tbody>")?;
    for row in &t.rows {
        let class = match row.kind {
            RowKind::Body => "",
            RowKind::Total => " class=\"total\"",
            RowKind::Parameters => " class=\"parameters\"",
            // Styled inline: the shared stylesheet stays as it was for
            // tables that have no heading rows.
            RowKind::Heading => " class=\"heading\" style=\"font-weight:bold;background:#deeaf6\"",
        };
        write!(out, "<tr{class}>")?;
        let heading = row.kind == RowKind::Heading;
        for (i, col) in t.columns.iter().enumerate() {
            let html = row.cells.get(i).map(cell_html).unwrap_or_default();
            // A heading row's first cell heads the group of rows below it.
            let tag = if t.row_header == Some(i) || (heading && i == 0) {
                "th"
            } else {
                "td"
            };
            let scope = match tag {
                "th" if heading => " scope=\"rowgroup\"",
                "th" => " scope=\"row\"",
                _ => "",
            };
            let class = if col.wide && tag == "td" {
                " class=\"prose\""
            } else {
                align_class(col.align)
            };
            write!(out, "<{tag}{scope}{class}>{html}</{tag}>")?;
        }
        writeln!(out, "</tr>")?;
    }
    writeln!(out, "</tbody>\n</table></div>")?;
    if let Some(r) = &coded {
        let key: Vec<String> = if own_codes {
            t.columns
                .iter()
                .filter_map(|c| Some(format!("{} {}", c.code.as_ref()?, xml(&c.header))))
                .collect()
        } else {
            t.columns
                .get(r.clone())
                .unwrap_or_default()
                .iter()
                .enumerate()
                .map(|(k, c)| format!("C{} {}", k + 1, xml(&c.header)))
                .collect()
        };
        writeln!(out, "<p class=\"note\">Key: {}.</p>", key.join("; "))?;
    }
    for note in &t.notes {
        writeln!(out, "<p class=\"note\">Note: {}</p>", with_breaks(note))?;
    }
    Ok(())
}
