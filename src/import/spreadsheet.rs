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

/// Reads a CSV (or, with a tab, TSV) file as one sheet, remembering the
/// line each row starts on.
pub fn read_csv(path: &Path, delimiter: u8) -> Result<Book, ImportError> {
    let bytes = std::fs::read(path).map_err(|e| ImportError::Read {
        path: path.to_path_buf(),
        reason: e.to_string(),
    })?;
    // Excel writes CSV with a byte-order mark.
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
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
        kind: Kind::Csv,
        sheets: vec![sheet],
    })
}
