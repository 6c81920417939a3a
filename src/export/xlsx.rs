//! XLSX: one worksheet per table, written with rust_xlsxwriter.
//!
//! Numbers are stored as numbers: percentages as fractions formatted `0.0%`,
//! "T/max" totals as the total with a number format that shows "/max". A
//! table with a [`WeightedSum`](super::doc::WeightedSum) (the score matrix)
//! gets live `SUMPRODUCT` totals over its weight row and live `RANK`s, so an
//! officer who edits a score sees the total and rank follow. Headers are
//! bold and shaded, panes are frozen below the header and beside the row
//! names, and pages print on A4 with the header repeated.
//!
//! Text that Excel would run as a formula is stored as text with Excel's
//! "quote prefix" flag, which shows it exactly as written and keeps it text
//! even when the cell is edited. No cell is ever written as a formula except
//! the matrix's own totals and ranks.
//!
//! The file's creation time is fixed, so the same report gives the same bytes.

use std::collections::HashSet;
use std::io::Write;

use rayon::prelude::*;

use rust_xlsxwriter::{
    DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Formula, Workbook, Worksheet,
    XlsxError, utility::column_number_to_name,
};

use super::ExportError;
use super::csv::{has_remarks, plain_number, row_remarks};
use super::doc::{Report, ReportTable, RowKind, Value};
use super::text::{is_formula_like, is_xml_char};

fn xerr(e: XlsxError) -> ExportError {
    ExportError::Xlsx(e.to_string())
}

/// Writes every table of the report as one workbook.
pub fn write(report: &Report, out: &mut impl Write) -> Result<(), ExportError> {
    let bytes = workbook_bytes(report)?;
    out.write_all(&bytes)?;
    Ok(())
}

/// The workbook's bytes.
pub fn workbook_bytes(report: &Report) -> Result<Vec<u8>, ExportError> {
    let mut wb = Workbook::new();
    let created = ExcelDateTime::from_ymd(2000, 1, 1).map_err(xerr)?;
    let props = DocProperties::new()
        .set_title(clean(&report.title))
        .set_comment("Made with appraise")
        .set_creation_datetime(&created);
    wb.set_properties(&props);
    let mut used = HashSet::new();
    let tables: Vec<(&ReportTable, String)> = report
        .tables()
        .map(|t| {
            let name = sheet_name(t.short_name.as_deref().unwrap_or(&t.title), &mut used);
            (t, name)
        })
        .collect();
    // Sheets are built on every core (a large appraisal has one annex sheet
    // per option) and added in report order, so the bytes do not depend on
    // the thread count.
    let sheets: Vec<Result<Worksheet, ExportError>> = tables
        .par_iter()
        .map(|(t, name)| {
            let mut ws = Worksheet::new();
            ws.set_name(name).map_err(xerr)?;
            write_sheet(&mut ws, t)?;
            Ok(ws)
        })
        .collect();
    for ws in sheets {
        wb.push_worksheet(ws?);
    }
    if tables.is_empty() {
        // A workbook needs a sheet; say why it is empty rather than fail.
        let ws = wb.add_worksheet();
        ws.write_string(0, 0, "No tables were selected.")
            .map_err(xerr)?;
    }
    // Compressing dominates saving a large workbook: past a million cells,
    // the fastest level saves seconds for a file about half as large again.
    let cells: usize = tables
        .iter()
        .map(|(t, _)| t.rows.len() * t.columns.len())
        .sum();
    if cells > FAST_DEFLATE_CELLS {
        wb.set_zip_compression_level(1);
    }
    wb.save_to_buffer().map_err(xerr)
}

/// Cells above which the workbook is compressed at the fastest level.
const FAST_DEFLATE_CELLS: usize = 1_000_000;

/// Removes characters that cannot appear in worksheet XML (the model already
/// refuses most control characters; this is a last line of defence).
fn clean(s: &str) -> String {
    let mut out: String = s
        .chars()
        .filter(|&c| (!c.is_control() || matches!(c, '\n' | '\t')) && is_xml_char(c))
        .take(CELL_CHARS + 1)
        .collect();
    if out.chars().count() > CELL_CHARS {
        // Excel refuses longer cells outright; say where the text was cut.
        out = out
            .chars()
            .take(CELL_CHARS - CUT_MARK.chars().count())
            .collect();
        out.push_str(CUT_MARK);
    }
    out
}

/// Most characters Excel keeps in one cell.
const CELL_CHARS: usize = 32_767;

/// Appended where text was cut to fit a cell.
const CUT_MARK: &str = " … [cut: an Excel cell holds at most 32,767 characters]";

/// A valid, unique worksheet name: at most 31 UTF-16 units, none of `[]:*?/\`,
/// no apostrophe at either end, not "History", unique ignoring case.
pub fn sheet_name(wanted: &str, used: &mut HashSet<String>) -> String {
    let base: String = wanted
        .chars()
        .map(|c| {
            if matches!(c, '[' | ']' | ':' | '*' | '?' | '/' | '\\')
                || c.is_control()
                || !is_xml_char(c)
            {
                ' '
            } else {
                c
            }
        })
        .collect();
    let base = base.trim().trim_matches('\'').trim().to_string();
    let base = if base.is_empty() || base.eq_ignore_ascii_case("history") {
        format!("Sheet {}", used.len() + 1)
    } else {
        base
    };
    let mut k = 1;
    loop {
        let suffix = if k == 1 {
            String::new()
        } else {
            format!(" ({k})")
        };
        // Excel counts the 31 in UTF-16 units, so an emoji takes two.
        let room = 31 - suffix.encode_utf16().count();
        let stem = shorten_at_word(&base, room);
        let name = format!("{stem}{suffix}");
        if used.insert(name.to_lowercase()) {
            return name;
        }
        k += 1;
    }
}

/// `s` in at most `room` UTF-16 units: whole if it fits, otherwise cut at
/// the last word boundary that leaves room for "…" (or mid-word when the
/// first word alone is too long).
fn shorten_at_word(s: &str, room: usize) -> String {
    let tidy = |t: &str| {
        t.trim_end()
            .trim_end_matches(['\'', '-', ',', '(', ':', ';'])
            .trim_end()
            .to_string()
    };
    if s.encode_utf16().count() <= room {
        return tidy(s);
    }
    let room = room.saturating_sub(1);
    let mut cut = String::new();
    let mut last_word_end = None;
    for c in s.chars() {
        if cut.encode_utf16().count() + c.len_utf16() > room {
            break;
        }
        if c.is_whitespace() {
            last_word_end = Some(cut.len());
        }
        cut.push(c);
    }
    if let Some(end) = last_word_end.filter(|&e| !tidy(&cut[..e]).is_empty()) {
        cut.truncate(end);
    }
    format!("{}…", tidy(&cut))
}

/// Column width in Excel character units from the text it must show.
fn width_for(t: &ReportTable, c: usize) -> f64 {
    let col_wide = t.columns.get(c).is_some_and(|col| col.wide);
    if col_wide {
        return 50.0;
    }
    let longest_cell = t
        .rows
        .iter()
        .filter_map(|r| r.cells.get(c))
        .map(|cell| {
            cell.value
                .display()
                .lines()
                .map(|l| l.chars().count())
                .max()
                .unwrap_or(0)
        })
        .max()
        .unwrap_or(0);
    // Headers wrap, so only their longest word must fit.
    let header_word = t
        .columns
        .get(c)
        .map(|col| {
            col.header
                .split_whitespace()
                .map(|w| w.chars().count())
                .max()
                .unwrap_or(0)
        })
        .unwrap_or(0);
    (longest_cell.max(header_word).max(4) as f64 + 2.0).min(45.0)
}

fn base_format() -> Format {
    Format::new()
        .set_border(FormatBorder::Thin)
        .set_border_color("#808080")
        .set_align(FormatAlign::Top)
}

/// Excel's default row height in points (Calibri 11).
const LINE_HEIGHT: f64 = 15.0;
/// The tallest row Excel allows, in points.
const MAX_ROW_HEIGHT: f64 = 409.0;

/// How many lines `text` takes when wrapped in a column `width` characters wide.
fn wrapped_lines(text: &str, width: f64) -> usize {
    // Proportional text fits a little more than the width in digits; keep a margin.
    let per_line = (width - 1.5).max(1.0);
    text.lines()
        .map(|l| ((l.chars().count() as f64) / per_line).ceil().max(1.0) as usize)
        .sum::<usize>()
        .max(1)
}

/// Sets a row's height to fit its wrapped text. Excel fits rows itself when
/// it opens a file, but LibreOffice and printing do not, so it is set here.
fn fit_row(ws: &mut Worksheet, row: u32, lines: usize) -> Result<(), ExportError> {
    if lines > 1 {
        let h = (lines as f64 * LINE_HEIGHT).min(MAX_ROW_HEIGHT);
        ws.set_row_height(row, h).map_err(xerr)?;
    }
    Ok(())
}

/// Writes a paragraph (intro or note) merged across the table's width, wrapped.
fn write_paragraph(
    ws: &mut Worksheet,
    row: u32,
    widths: &[f64],
    text: &str,
    format: &Format,
) -> Result<(), ExportError> {
    let text = clean(text);
    let format = format.clone().set_text_wrap().set_align(FormatAlign::Top);
    let format = if is_formula_like(&text) {
        format.set_quote_prefix()
    } else {
        format
    };
    let last = widths.len().saturating_sub(1) as u16;
    if last == 0 {
        ws.write_string_with_format(row, 0, &text, &format)
            .map_err(xerr)?;
    } else {
        ws.merge_range(row, 0, row, last, &text, &format)
            .map_err(xerr)?;
    }
    let total: f64 = widths.iter().sum();
    fit_row(ws, row, wrapped_lines(&text, total))
}

fn write_sheet(ws: &mut Worksheet, t: &ReportTable) -> Result<(), ExportError> {
    let remarks = has_remarks(t);
    let n = t.columns.len();
    let mut widths: Vec<f64> = (0..n).map(|c| width_for(t, c)).collect();
    if remarks {
        widths.push(REMARKS_WIDTH);
    }
    for (c, w) in widths.iter().enumerate() {
        ws.set_column_width(c as u16, *w).map_err(xerr)?;
    }
    let title_fmt = Format::new().set_bold().set_font_size(14);
    ws.write_string_with_format(0, 0, clean(&t.title), &title_fmt)
        .map_err(xerr)?;
    if let Some(intro) = &t.intro {
        write_paragraph(ws, 1, &widths, intro, &Format::new())?;
    }
    let header_row: u32 = 2;
    let body_row = header_row + 1;
    let header_fmt = Format::new()
        .set_bold()
        .set_background_color("#D9D9D9")
        .set_border(FormatBorder::Thin)
        .set_border_color("#808080")
        .set_border_bottom(FormatBorder::Medium)
        .set_border_bottom_color("#000000")
        .set_text_wrap()
        .set_align(FormatAlign::Bottom);
    let mut header_lines = 1;
    for (c, col) in t.columns.iter().enumerate() {
        let mut f = header_fmt.clone();
        if col.align == super::doc::Align::Right {
            f = f.set_align(FormatAlign::Right);
        }
        write_text(ws, header_row, c as u16, &col.header, &f)?;
        // Headers wrap at word boundaries, which can take an extra line.
        let lines = wrapped_lines(&col.header, widths.get(c).copied().unwrap_or(10.0) - 1.0);
        header_lines = header_lines.max(lines);
    }
    fit_row(ws, header_row, header_lines)?;
    if remarks {
        write_text(ws, header_row, n as u16, "Remarks", &header_fmt)?;
    }
    for (r, row) in t.rows.iter().enumerate() {
        let xr = body_row + r as u32;
        let mut f = base_format();
        match row.kind {
            RowKind::Body => {}
            RowKind::Total => {
                f = f
                    .set_bold()
                    .set_border_top(FormatBorder::Medium)
                    .set_border_top_color("#000000");
            }
            RowKind::Parameters => {
                f = f.set_italic().set_background_color("#F2F2F2");
            }
        }
        let mut lines = 1;
        for (c, &width) in widths.iter().enumerate().take(n) {
            let xc = c as u16;
            let wrap = t.columns.get(c).is_some_and(|col| col.wide);
            let cell = row.cells.get(c);
            let value = cell.map_or(&Value::Empty, |cell| &cell.value);
            let mut cf = f.clone();
            if wrap || matches!(value, Value::List { .. }) {
                cf = cf.set_text_wrap();
            }
            match value {
                Value::Empty | Value::Missing => {
                    ws.write_blank(xr, xc, &cf).map_err(xerr)?;
                }
                Value::Text { .. } | Value::List { .. } => {
                    let text = value.display();
                    if text.contains('\n') {
                        cf = cf.set_text_wrap();
                    }
                    lines = lines.max(wrapped_lines(&text, width));
                    write_text(ws, xr, xc, &text, &cf)?;
                }
                Value::Number { value, .. } => {
                    ws.write_number_with_format(xr, xc, *value, &cf)
                        .map_err(xerr)?;
                }
                Value::Percent { value, .. } => {
                    ws.write_number_with_format(xr, xc, value / 100.0, &cf.set_num_format("0.0%"))
                        .map_err(xerr)?;
                }
                Value::OutOf { value, max, .. } => {
                    let fmt = format!("General\"/{}\"", plain_number(*max));
                    ws.write_number_with_format(xr, xc, *value, &cf.set_num_format(fmt))
                        .map_err(xerr)?;
                }
            }
        }
        if remarks {
            let text = row_remarks(t, &row.cells);
            lines = lines.max(wrapped_lines(&text, REMARKS_WIDTH));
            write_text(ws, xr, n as u16, &text, &f.clone().set_text_wrap())?;
        }
        fit_row(ws, xr, lines)?;
    }
    if let Some(ws_spec) = &t.weighted_sum {
        write_weighted_sum(ws, t, ws_spec, body_row)?;
    }
    let first_note = body_row + t.rows.len() as u32 + 1;
    for (note_row, note) in (first_note..).zip(&t.notes) {
        write_paragraph(
            ws,
            note_row,
            &widths,
            &format!("Note: {note}"),
            &Format::new(),
        )?;
    }
    let freeze_col = t.row_header.map_or(0, |c| (c + 1) as u16);
    ws.set_freeze_panes(body_row, freeze_col).map_err(xerr)?;
    ws.set_paper_size(9);
    if widths.iter().sum::<f64>() > PORTRAIT_WIDTH {
        ws.set_landscape();
    }
    ws.set_print_fit_to_pages(1, 0);
    ws.set_repeat_rows(header_row, header_row).map_err(xerr)?;
    Ok(())
}

/// Width of the Remarks column, in characters.
const REMARKS_WIDTH: f64 = 30.0;

/// About how many characters of column width fit across A4 portrait.
const PORTRAIT_WIDTH: f64 = 100.0;

/// Writes text as text: formula-like text gets Excel's quote prefix so it is
/// shown as written and never run.
fn write_text(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    text: &str,
    format: &Format,
) -> Result<(), ExportError> {
    let text = clean(text);
    let f = if is_formula_like(&text) {
        format.clone().set_quote_prefix()
    } else {
        format.clone()
    };
    ws.write_string_with_format(row, col, text, &f)
        .map_err(xerr)?;
    Ok(())
}

fn write_weighted_sum(
    ws: &mut Worksheet,
    t: &ReportTable,
    spec: &super::doc::WeightedSum,
    body_row: u32,
) -> Result<(), ExportError> {
    let n = t.columns.len();
    let valid = spec.columns.start < spec.columns.end
        && spec.columns.end <= n
        && spec.total_column < n
        && spec.weight_row < t.rows.len()
        && spec.rows.end <= t.rows.len()
        && spec.rank_column.is_none_or(|c| c < n);
    if !valid || spec.rows.is_empty() {
        return Ok(());
    }
    let first = column_number_to_name(spec.columns.start as u16);
    let last = column_number_to_name((spec.columns.end - 1) as u16);
    let wr = body_row + spec.weight_row as u32 + 1;
    let total_col = column_number_to_name(spec.total_column as u16);
    let top = body_row + spec.rows.start as u32 + 1;
    let bottom = body_row + spec.rows.end as u32;
    for r in spec.rows.clone() {
        let Some(row) = t.rows.get(r) else { continue };
        let xr = body_row + r as u32;
        let er = xr + 1;
        let total = row
            .cells
            .get(spec.total_column)
            .and_then(|c| c.value.number())
            .unwrap_or(0.0);
        let f = base_format();
        let formula = Formula::new(format!(
            "=SUMPRODUCT(${first}${wr}:${last}${wr},{first}{er}:{last}{er})"
        ))
        .set_result(plain_number(total));
        ws.write_formula_with_format(xr, spec.total_column as u16, formula, &f)
            .map_err(xerr)?;
        if let Some(rc) = spec.rank_column {
            let rank = row
                .cells
                .get(rc)
                .and_then(|c| c.value.number())
                .unwrap_or(0.0);
            let formula = Formula::new(format!(
                "=RANK({total_col}{er},${total_col}${top}:${total_col}${bottom})"
            ))
            .set_result(plain_number(rank));
            ws.write_formula_with_format(xr, rc as u16, formula, &f)
                .map_err(xerr)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn overlong_text_is_cut_to_fit_a_cell() {
        let long = "x".repeat(40_000);
        let cut = super::clean(&long);
        assert_eq!(cut.chars().count(), super::CELL_CHARS);
        assert!(cut.ends_with(super::CUT_MARK));
        assert_eq!(super::clean("short"), "short");
    }

    use super::*;

    #[test]
    fn sheet_names_are_valid_and_unique() {
        let mut used = HashSet::new();
        assert_eq!(sheet_name("Ranking", &mut used), "Ranking");
        assert_eq!(sheet_name("ranking", &mut used), "ranking (2)");
        assert_eq!(sheet_name("'a/b[c]'", &mut used), "a b c");
        assert_eq!(sheet_name("History", &mut used), "Sheet 4");
        let long = "x".repeat(40);
        let a = sheet_name(&long, &mut used);
        let b = sheet_name(&long, &mut used);
        assert_eq!(a.chars().count(), 31);
        assert_eq!(b.chars().count(), 31);
        assert_ne!(a, b);
        assert_eq!(sheet_name("  ", &mut used), "Sheet 7");
        let emoji = "🙂".repeat(20);
        assert_eq!(sheet_name(&emoji, &mut used).encode_utf16().count(), 31);
        // Characters XML cannot hold never reach a sheet name.
        assert_eq!(sheet_name("a\u{FFFE}b\u{FFFF}", &mut used), "a b");
    }

    #[test]
    fn long_sheet_names_are_cut_between_words_and_stay_unique() {
        let mut used = HashSet::new();
        let a = sheet_name("Annex - Wholly owned company (Trust)", &mut used);
        assert_eq!(a, "Annex - Wholly owned company…");
        let b = sheet_name("Annex - Wholly owned company (Trust) two", &mut used);
        assert_eq!(b, "Annex - Wholly owned… (2)");
        assert!(b.encode_utf16().count() <= 31);
        let c = sheet_name("Annex - Political oversight and governance", &mut used);
        assert_eq!(c, "Annex - Political oversight…");
    }
}
