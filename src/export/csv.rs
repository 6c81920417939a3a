//! CSV: RFC 4180, one table per file, written with the csv crate.
//!
//! A CSV file holds data, not a document: it has the header row and the body
//! rows, and no caption or notes. Numbers are written as plain numbers (a
//! "T/max" total as its total, with the maximum moved into the header, since
//! spreadsheets read "3/5" as a date). Remarks go in a final "Remarks"
//! column. Text that a spreadsheet would run as a formula is neutralised with
//! a leading apostrophe; real numbers, negative ones included, are left alone.

use std::io::Write;

use super::doc::{Block, Cell, ReportTable, Value};
use super::stream::ReportStream;
use super::text::neutralise_formula;
use super::{ExportError, Format};
use crate::numbers;

/// The byte order mark that tells Excel a CSV file is UTF-8.
pub const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// A number as CSV text: up to nine decimals, trailing zeros trimmed, so binary
/// noise such as 0.30000000000000004 never reaches the file.
pub fn plain_number(x: f64) -> String {
    numbers::decimals(x, 9)
}

/// The header text for column `c`, with the shared maximum of any "T/max"
/// values appended so the figure keeps its meaning as a bare number.
///
/// The maximum is named only when every figure in the column is a "T/max"
/// with the same maximum; otherwise the column's own unit is named, if it
/// has one (a score column reads "Score (0 to 5)"), and a total row in a
/// column of other figures names its maximum in its own label instead (see
/// [`total_label`]), so no header claims a unit that some rows do not have.
pub fn header_with_max(t: &ReportTable, c: usize) -> String {
    let Some(col) = t.columns.get(c) else {
        return String::new();
    };
    let header = col.header.as_str();
    match shared_max(t, c) {
        Some(m) => format!("{header} (out of {})", numbers::total(m)),
        None => match &col.unit {
            Some(u) => format!("{header} ({u})"),
            None => header.to_string(),
        },
    }
}

/// The maximum shared by every figure of column `c`, when all of them are
/// "T/max" values with one maximum.
pub fn shared_max(t: &ReportTable, c: usize) -> Option<f64> {
    let mut max = None;
    for v in t
        .rows
        .iter()
        .filter_map(|r| r.cells.get(c))
        .map(|cell| &cell.value)
    {
        match v {
            Value::OutOf { max: m, .. } if max.is_none_or(|x| x == *m) => max = Some(*m),
            Value::Empty
            | Value::Missing
            | Value::Text { .. }
            | Value::List { .. }
            | Value::Evidence { .. } => {}
            _ => return None,
        }
    }
    max
}

/// The label of a row holding a "T/max" figure in a column of other
/// figures (an annex's TOTAL row under per-criterion scores): the label with
/// the maximum after it, "TOTAL (out of 40)".
pub fn total_label(t: &ReportTable, cells: &[Cell], label: &str) -> String {
    let max = cells
        .iter()
        .enumerate()
        .find_map(|(c, cell)| match cell.value {
            Value::OutOf { max, .. } if shared_max(t, c).is_none() => Some(max),
            _ => None,
        });
    match max {
        Some(m) => format!("{label} (out of {})", numbers::total(m)),
        None => label.to_string(),
    }
}

/// Whether any cell of the table carries a remark.
pub fn has_remarks(t: &ReportTable) -> bool {
    t.rows
        .iter()
        .any(|r| r.cells.iter().any(|c| c.remark.is_some()))
}

/// A column's header as it names a remark: without any bracketed part such
/// as "(of 40)", which a live workbook would otherwise have to keep current.
pub fn remark_header(header: &str) -> &str {
    header.split(" (").next().unwrap_or(header).trim()
}

/// The remarks of a row, each prefixed by its column's header.
pub fn row_remarks(t: &ReportTable, cells: &[Cell]) -> String {
    cells
        .iter()
        .enumerate()
        .filter_map(|(i, c)| {
            let r = c.remark.as_ref()?;
            let h = remark_header(t.columns.get(i).map_or("", |col| col.header.as_str()));
            Some(if h.is_empty() {
                r.clone()
            } else {
                format!("{h}: {r}")
            })
        })
        .collect::<Vec<_>>()
        .join("; ")
}

fn field(value: &Value) -> String {
    match value {
        Value::Empty | Value::Missing => String::new(),
        Value::Number { value, .. } | Value::Percent { value, .. } | Value::OutOf { value, .. } => {
            plain_number(*value)
        }
        Value::Text { .. } | Value::List { .. } | Value::Evidence { .. } => {
            neutralise_formula(&value.display())
        }
    }
}

/// Writes one table as CSV, with a UTF-8 byte order mark first when `bom` is set.
pub fn write_table(t: &ReportTable, bom: bool, out: &mut impl Write) -> Result<(), ExportError> {
    if bom {
        out.write_all(UTF8_BOM)?;
    }
    // Every text field is quoted, numbers are not: a spreadsheet in a
    // locale whose list separator is `;` (or a tab) then never splits a text
    // field such as `x;=2+5` into a formula, and numbers stay numbers.
    let mut w = csv::WriterBuilder::new()
        .quote_style(csv::QuoteStyle::NonNumeric)
        .terminator(csv::Terminator::CRLF)
        .flexible(false)
        .from_writer(out);
    let remarks = has_remarks(t);
    let n = t.columns.len();
    let mut header: Vec<String> = (0..n)
        .map(|c| neutralise_formula(&header_with_max(t, c)))
        .collect();
    if remarks {
        header.push("Remarks".into());
    }
    w.write_record(&header).map_err(csv_error)?;
    let label_column = t.row_header.unwrap_or(0);
    for row in &t.rows {
        let mut rec: Vec<String> = (0..n)
            .map(|c| {
                row.cells
                    .get(c)
                    .map(|cell| field(&cell.value))
                    .unwrap_or_default()
            })
            .collect();
        if let Some(label) = rec.get_mut(label_column) {
            *label = total_label(t, &row.cells, label);
        }
        if remarks {
            rec.push(neutralise_formula(&row_remarks(t, &row.cells)));
        }
        w.write_record(&rec).map_err(csv_error)?;
    }
    w.flush()?;
    Ok(())
}

/// Writes the report's one table as CSV. A selection of no table or of
/// several is refused, naming them, without building the annex.
pub fn write_stream(
    report: &ReportStream<'_>,
    bom: bool,
    out: &mut impl Write,
) -> Result<(), ExportError> {
    match report.table_count() {
        0 => Err(ExportError::NothingToWrite {
            format: Format::Csv,
            what: "tables",
            hint: "choose a group such as `ranking` with --tables",
        }),
        1 => report.runs(|blocks| {
            for b in blocks {
                if let Block::Table(t) = b {
                    write_table(t, bom, out)?;
                }
            }
            Ok(())
        }),
        count => Err(ExportError::NeedsOneItem {
            format: Format::Csv,
            what: "table",
            count,
            keys: report.table_keys(),
        }),
    }
}

fn csv_error(e: csv::Error) -> ExportError {
    match e.into_kind() {
        csv::ErrorKind::Io(io) => ExportError::Io(io),
        other => ExportError::Io(std::io::Error::other(format!("{other:?}"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::doc::{Column, Row};

    #[test]
    fn numbers_stay_numbers_and_formulas_are_neutralised() {
        let mut t = ReportTable::new("t", "T", vec![Column::text("Name"), Column::number("N")]);
        t.rows.push(Row::body(vec![
            Cell::text("=HYPERLINK(\"http://x\")"),
            Cell::new(Value::Number {
                value: -2.0,
                display: "-2".into(),
            }),
        ]));
        t.rows.push(Row::body(vec![
            Cell::text("a,\"b\"\nc"),
            Cell::new(Value::OutOf {
                value: 26.0,
                max: 40.0,
                display: "26/40".into(),
            })
            .with_remark("published as 24"),
        ]));
        let mut out = Vec::new();
        write_table(&t, true, &mut out).unwrap();
        let s = String::from_utf8(out).unwrap();
        assert_eq!(
            s,
            "\u{feff}\"Name\",\"N\",\"Remarks\"\r\n\"'=HYPERLINK(\"\"http://x\"\")\",-2,\"\"\r\n\"a,\"\"b\"\"\nc (out of 40)\",26,\"N: published as 24\"\r\n"
        );
    }

    #[test]
    fn text_holding_either_separator_is_quoted() {
        let mut t = ReportTable::new("t", "T", vec![Column::text("A"), Column::number("B")]);
        t.rows.push(Row::body(vec![
            Cell::text("x;=2+5"),
            Cell::new(Value::Number {
                value: 1.5,
                display: "1.5".into(),
            }),
        ]));
        let mut out = Vec::new();
        write_table(&t, false, &mut out).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "\"A\",\"B\"\r\n\"x;=2+5\",1.5\r\n"
        );
    }

    #[test]
    fn out_of_headers_name_the_maximum() {
        let mut t = ReportTable::new("t", "T", vec![Column::number("Total")]);
        t.rows.push(Row::body(vec![Cell::new(Value::OutOf {
            value: 1.0,
            max: 5.0,
            display: "1/5".into(),
        })]));
        assert_eq!(header_with_max(&t, 0), "Total (out of 5)");
        assert_eq!(plain_number(0.1 + 0.2), "0.3");
    }
}
