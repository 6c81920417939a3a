//! Spreadsheet files read into sheets of cells: workbooks (Excel and
//! OpenDocument, through `calamine`, with cell comments) and CSV.

use std::collections::HashMap;
use std::path::Path;

use calamine::{Data, Reader};

use super::ImportError;
use super::read::{Book, Kind, Sheet, Value, extension, put};

/// Reads every sheet of an Excel or OpenDocument workbook, with its cell
/// comments where the format has them.
pub fn read_workbook(path: &Path) -> Result<Book, ImportError> {
    let open_error = |e: calamine::Error| ImportError::Read {
        path: path.to_path_buf(),
        reason: e.to_string(),
    };
    let mut wb = calamine::open_workbook_auto(path).map_err(open_error)?;
    let hidden: HashMap<String, bool> = wb
        .sheets_metadata()
        .iter()
        .map(|s| (s.name.clone(), s.visible != calamine::SheetVisible::Visible))
        .collect();
    let mut sheets = Vec::new();
    for name in wb.sheet_names() {
        let range = wb.worksheet_range(&name).map_err(open_error)?;
        let mut sheet = Sheet {
            hidden: hidden.get(&name).copied().unwrap_or(false),
            name: name.clone(),
            ..Sheet::default()
        };
        if let Some((r0, c0)) = range.start() {
            let (r0, c0) = (r0 as usize, c0 as usize);
            for (r, c, data) in range.used_cells() {
                let (row, col) = (r0 + r, c0 + c);
                let value = match data {
                    Data::Int(i) => Value::Number(*i as f64),
                    Data::Float(x) => Value::Number(*x),
                    Data::String(s) => {
                        let t = s.trim();
                        if t.is_empty() {
                            Value::Empty
                        } else {
                            Value::Text(t.replace("\r\n", "\n"))
                        }
                    }
                    Data::Empty => Value::Empty,
                    other => Value::Other(other.to_string()),
                };
                put(&mut sheet.rows, row, col, value);
            }
        }
        // Which values a formula computes: an appraise workbook's totals are
        // formulas, its published totals are typed.
        if let Ok(formulas) = wb.worksheet_formula(&name)
            && let Some((r0, c0)) = formulas.start()
        {
            for (r, c, f) in formulas.used_cells() {
                if !f.is_empty() {
                    sheet.formulas.insert((r0 as usize + r, c0 as usize + c));
                }
            }
        }
        sheets.push(sheet);
    }
    match extension(path).as_str() {
        "xlsx" | "xlsm" => super::comments::read_xlsx(path, &mut sheets),
        "ods" => super::comments::read_ods(path, &mut sheets),
        _ => {}
    }
    Ok(Book {
        kind: Kind::Workbook,
        sheets,
    })
}

/// The separators a CSV file is tried with when none is given: a comma, a
/// semicolon (as Excel writes CSV where the comma is the decimal mark) and
/// a tab.
pub const SEPARATORS: [u8; 3] = [b',', b';', b'\t'];

/// The separator that splits `bytes` most evenly: the one whose commonest
/// count of fields (more than one) the most records share. A semicolon file
/// read with commas splits only where a decimal comma falls, unevenly; a
/// comma file read with semicolons does not split at all. A tie keeps the
/// earlier of [`SEPARATORS`].
pub fn detect_separator(bytes: &[u8]) -> u8 {
    let mut best = (b',', 0usize, 0usize);
    for &sep in &SEPARATORS {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(sep)
            .from_reader(bytes);
        let mut counts: HashMap<usize, usize> = HashMap::new();
        let mut record = csv::ByteRecord::new();
        // Enough lines to see the matrix; a long file need not be read twice.
        for _ in 0..200 {
            match reader.read_byte_record(&mut record) {
                Ok(true) if record.len() > 1 => *counts.entry(record.len()).or_default() += 1,
                Ok(true) => {}
                Ok(false) | Err(_) => break,
            }
        }
        let (fields, records) = counts
            .into_iter()
            .max_by_key(|&(fields, records)| (records, fields))
            .unwrap_or((0, 0));
        if (records, fields) > (best.1, best.2) {
            best = (sep, records, fields);
        }
    }
    best.0
}

/// A field of a semicolon-separated file with a decimal comma (`4,5`,
/// `-0,25`), as the figure it is (`4.5`); other text as it is.
fn decimal_comma(t: &str) -> std::borrow::Cow<'_, str> {
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let figure = t.strip_prefix('-').unwrap_or(t);
    let figure = figure.strip_suffix('%').unwrap_or(figure);
    match figure.split_once(',') {
        Some((whole, part)) if digits(whole) && digits(part) => t.replacen(',', ".", 1).into(),
        _ => t.into(),
    }
}

/// Reads a CSV (or TSV) file as one sheet, remembering the line each row
/// starts on. With no `delimiter` the separator is found from the file
/// ([`detect_separator`]); in a semicolon-separated file a decimal comma
/// (`4,5`) is read as a decimal point.
pub fn read_csv(path: &Path, delimiter: Option<u8>) -> Result<Book, ImportError> {
    let bytes = std::fs::read(path).map_err(|e| ImportError::Read {
        path: path.to_path_buf(),
        reason: e.to_string(),
    })?;
    // Excel writes CSV with a byte-order mark.
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    let delimiter = delimiter.unwrap_or_else(|| detect_separator(bytes));
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(bytes);
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut sheet = Sheet {
        name,
        lines: Some(Vec::new()),
        ..Sheet::default()
    };
    let mut record = csv::ByteRecord::new();
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                return Err(ImportError::Read {
                    path: path.to_path_buf(),
                    reason: e.to_string(),
                });
            }
        }
        let line = record.position().map_or(0, |p| p.line());
        let row: Vec<Value> = record
            .iter()
            .map(|field| {
                let text = String::from_utf8_lossy(field);
                let t = text.trim();
                if t.is_empty() {
                    Value::Empty
                } else if delimiter == b';' {
                    Value::Text(decimal_comma(t).replace("\r\n", "\n"))
                } else {
                    Value::Text(t.replace("\r\n", "\n"))
                }
            })
            .collect();
        if let Some(lines) = sheet.lines.as_mut() {
            lines.push(line);
        }
        sheet.rows.push(row);
    }
    Ok(Book {
        kind: Kind::Csv { delimiter },
        sheets: vec![sheet],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_separator_is_the_one_that_splits_the_lines_evenly() {
        assert_eq!(
            detect_separator(b"Option,Cost,Access\nA,4,5\nB,3,2\n"),
            b','
        );
        assert_eq!(
            detect_separator(b"Option;Cost;Access\nA;4,5;5\nB;3;2,5\n"),
            b';'
        );
        assert_eq!(detect_separator(b"Option\tCost\tAccess\nA\t4\t5\n"), b'\t');
        // A note with a semicolon in a comma file does not sway it.
        assert_eq!(
            detect_separator(b"Option,Cost,Notes\nA,4,\"dear; late\"\nB,3,ok\n"),
            b','
        );
        assert_eq!(detect_separator(b""), b',');
    }

    #[test]
    fn decimal_commas_are_figures_and_other_commas_are_text() {
        assert_eq!(decimal_comma("4,5"), "4.5");
        assert_eq!(decimal_comma("-0,25"), "-0.25");
        assert_eq!(decimal_comma("12,5%"), "12.5%");
        assert_eq!(decimal_comma("Cost, capital"), "Cost, capital");
        assert_eq!(decimal_comma("1,2,3"), "1,2,3");
        assert_eq!(decimal_comma(",5"), ",5");
    }
}
