//! Reading a spreadsheet into plain grids of cells: XLSX, XLSM, XLS and ODS
//! with `calamine`, CSV with `csv`, and the tables of a Word document
//! ([`super::docx`]).

use std::collections::HashMap;
use std::fmt;
use std::path::Path;

use calamine::{Data, Reader};

use super::ImportError;

/// What one cell holds, as the importer sees it.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// Nothing.
    Empty,
    /// A number.
    Number(f64),
    /// Text (trimmed).
    Text(String),
    /// Anything else (a date, a truth value, an error such as `#REF!`),
    /// as the spreadsheet shows it.
    Other(String),
}

impl Value {
    /// The number, if the cell holds one (text such as " 4 " counts).
    pub fn number(&self) -> Option<f64> {
        match self {
            Value::Number(x) => Some(*x),
            Value::Text(t) => parse_number(t),
            _ => None,
        }
    }

    /// The text, if the cell holds text that is not a number.
    pub fn text(&self) -> Option<&str> {
        match self {
            Value::Text(t) if parse_number(t).is_none() => Some(t),
            _ => None,
        }
    }

    /// Whether the cell is empty.
    pub fn is_empty(&self) -> bool {
        matches!(self, Value::Empty)
    }

    /// How the cell reads, for messages and names.
    pub fn shown(&self) -> String {
        match self {
            Value::Empty => String::new(),
            Value::Number(x) => crate::numbers::as_given(*x),
            Value::Text(t) | Value::Other(t) => t.clone(),
        }
    }
}

/// A number as people type it in a cell: "4", "4.5", "4,5" is not one.
fn parse_number(t: &str) -> Option<f64> {
    let t = t.trim();
    if t.is_empty() {
        return None;
    }
    t.parse::<f64>().ok().filter(|x| x.is_finite())
}

/// One sheet (or CSV file, or Word table) as a grid from its first cell A1.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Sheet {
    /// Its name as the workbook shows it (a CSV file's is its file name).
    pub name: String,
    /// Rows of cells.
    pub rows: Vec<Vec<Value>>,
    /// Cells whose value a formula computes, by (row, column).
    pub formulas: std::collections::HashSet<(usize, usize)>,
    /// Comments on cells, by (row, column).
    pub comments: HashMap<(usize, usize), String>,
    /// For CSV: the line each row starts on, so problems name line and column.
    pub lines: Option<Vec<u64>>,
    /// Whether the workbook hides the sheet.
    pub hidden: bool,
    /// Whether it is a table in a document, where cells are told by row and
    /// column rather than by A1 name.
    pub table: bool,
}

impl Sheet {
    /// The cell at (row, column), empty beyond the grid.
    pub fn get(&self, row: usize, col: usize) -> &Value {
        const EMPTY: Value = Value::Empty;
        self.rows
            .get(row)
            .and_then(|r| r.get(col))
            .unwrap_or(&EMPTY)
    }

    /// The number of columns of the widest row.
    pub fn width(&self) -> usize {
        self.rows.iter().map(Vec::len).max().unwrap_or(0)
    }

    /// Where a cell is, for messages: `Matrix!C7`, or for CSV `line 7, column 3 (C7)`.
    pub fn at(&self, row: usize, col: usize) -> Place {
        Place {
            sheet: self.name.clone(),
            cell: cell_name(row, col),
            line: self
                .lines
                .as_ref()
                .map(|l| (l.get(row).copied().unwrap_or(row as u64 + 1), col + 1)),
            table: self.table.then_some((row + 1, col + 1)),
        }
    }
}

/// Where a cell is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    /// The sheet's name.
    pub sheet: String,
    /// The cell in A1 form.
    pub cell: String,
    /// For CSV, the line and column (from 1).
    pub line: Option<(u64, usize)>,
    /// For a table in a document, the row and column (from 1).
    pub table: Option<(usize, usize)>,
}

impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.line, self.table) {
            (Some((line, col)), _) => write!(f, "{line}:{col} (cell {})", self.cell),
            (None, Some((row, col))) => write!(f, "{}, row {row}, column {col}", self.sheet),
            (None, None) => write!(f, "{}!{}", self.sheet, self.cell),
        }
    }
}

/// A cell's name in A1 form: column letters, then the row from 1.
pub fn cell_name(row: usize, col: usize) -> String {
    format!("{}{}", column_name(col), row + 1)
}

/// A column's letters: 0 is A, 25 is Z, 26 is AA.
pub fn column_name(col: usize) -> String {
    let mut n = col + 1;
    let mut out = Vec::new();
    while n > 0 {
        let r = (n - 1) % 26;
        out.push(b'A' + r as u8);
        n = (n - 1) / 26;
    }
    out.reverse();
    String::from_utf8_lossy(&out).into_owned()
}

/// The kinds of file the importer reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// An Excel or OpenDocument workbook.
    Workbook,
    /// A CSV file.
    Csv,
    /// A Word document's tables.
    Docx,
}

/// Every sheet of a file.
#[derive(Debug, Clone, PartialEq)]
pub struct Book {
    /// What kind of file it is.
    pub kind: Kind,
    /// The sheets in workbook order.
    pub sheets: Vec<Sheet>,
}

/// A file's extension, lowercased ("" when it has none).
fn extension(path: &Path) -> String {
    path.extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default()
}

/// Reads every sheet of the file at `path`, choosing the reader by extension.
pub fn read(path: &Path) -> Result<Book, ImportError> {
    let ext = extension(path);
    match ext.as_str() {
        "csv" | "tsv" | "txt" => read_csv(path, if ext == "tsv" { b'\t' } else { b',' }),
        "xlsx" | "xlsm" | "xlsb" | "xls" | "ods" => read_workbook(path),
        "docx" => super::docx::read(path),
        _ => Err(ImportError::Unsupported {
            path: path.to_path_buf(),
        }),
    }
}

fn read_workbook(path: &Path) -> Result<Book, ImportError> {
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

/// Puts `value` at (row, col), growing the grid as needed.
pub fn put(rows: &mut Vec<Vec<Value>>, row: usize, col: usize, value: Value) {
    if rows.len() <= row {
        rows.resize(row + 1, Vec::new());
    }
    let r = &mut rows[row];
    if r.len() <= col {
        r.resize(col + 1, Value::Empty);
    }
    r[col] = value;
}

fn read_csv(path: &Path, delimiter: u8) -> Result<Book, ImportError> {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_named_as_spreadsheets_name_them() {
        assert_eq!(cell_name(0, 0), "A1");
        assert_eq!(cell_name(6, 2), "C7");
        assert_eq!(column_name(25), "Z");
        assert_eq!(column_name(26), "AA");
        assert_eq!(column_name(701), "ZZ");
        assert_eq!(column_name(702), "AAA");
    }

    #[test]
    fn numbers_typed_as_text_count_and_words_do_not() {
        assert_eq!(Value::Text(" 4 ".into()).number(), Some(4.0));
        assert_eq!(Value::Text("four".into()).number(), None);
        assert_eq!(Value::Text("four".into()).text(), Some("four"));
        assert_eq!(Value::Text("NaN".into()).number(), None);
    }
}
