//! Plain grids of cells, as every file the importer reads becomes: the
//! values, sheets and books that the readers ([`super::spreadsheet`] for
//! workbooks and CSV, [`super::docx`] for Word tables) fill in and the layout
//! rules read.

use std::collections::HashMap;
use std::fmt;
use std::path::Path;

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
    /// A CSV file, with the separator its fields were read with.
    Csv {
        /// The separator (`,`, `;`, a tab, ...).
        delimiter: u8,
    },
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
pub(super) fn extension(path: &Path) -> String {
    path.extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default()
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
