//! The tables of a Word document (`.docx`), each read as a sheet named
//! "Table 1", "Table 2", ... so that the same layout rules find the matrix.
//!
//! A `.docx` is a zip of XML parts; the body is `word/document.xml`, where a
//! table is `w:tbl`, a row `w:tr` and a cell `w:tc` holding paragraphs of
//! runs of text. A cell spanning columns (`w:gridSpan`) is followed by
//! empty cells so that columns line up; a cell continuing a vertical merge
//! (`w:vMerge` without `restart`) is empty. Tables nested in a cell are read
//! as tables of their own.

use std::io::Read;
use std::path::Path;

use super::ImportError;
use super::read::{Book, Kind, Sheet, Value, put};

/// Largest `word/document.xml` read (a report with many tables is a few MB).
const MAX_DOCUMENT_BYTES: u64 = 256 << 20;

/// Most columns a spanning cell may claim, against a corrupt span.
const MAX_SPAN: usize = 1_000;

/// Reads every table of the Word document at `path`.
pub fn read(path: &Path) -> Result<Book, ImportError> {
    let fail = |reason: String| ImportError::Read {
        path: path.to_path_buf(),
        reason,
    };
    let file = std::fs::File::open(path).map_err(|e| fail(e.to_string()))?;
    let mut zip = zip::ZipArchive::new(std::io::BufReader::new(file))
        .map_err(|e| fail(format!("not a Word document ({e})")))?;
    let mut xml = String::new();
    zip.by_name("word/document.xml")
        .map_err(|_| fail("not a Word document (it has no word/document.xml)".into()))?
        .take(MAX_DOCUMENT_BYTES)
        .read_to_string(&mut xml)
        .map_err(|e| fail(e.to_string()))?;
    let options = roxmltree::ParsingOptions {
        allow_dtd: false,
        ..roxmltree::ParsingOptions::default()
    };
    let doc = roxmltree::Document::parse_with_options(&xml, options)
        .map_err(|e| fail(format!("its text cannot be read ({e})")))?;
    let sheets = doc
        .descendants()
        .filter(|n| is(n, "tbl"))
        .enumerate()
        .map(|(k, tbl)| table(k + 1, tbl))
        .collect();
    Ok(Book {
        kind: Kind::Docx,
        sheets,
    })
}

const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

fn is(n: &roxmltree::Node, name: &str) -> bool {
    n.has_tag_name((W, name))
}

fn val<'a>(n: &roxmltree::Node<'a, '_>) -> Option<&'a str> {
    n.attribute((W, "val"))
}

/// One table as a sheet.
fn table(number: usize, tbl: roxmltree::Node) -> Sheet {
    let mut sheet = Sheet {
        name: format!("Table {number}"),
        table: true,
        ..Sheet::default()
    };
    let rows = tbl.children().filter(|n| is(n, "tr"));
    for (r, tr) in rows.enumerate() {
        let mut c = 0;
        for tc in tr.children().filter(|n| is(n, "tc")) {
            let props = tc.children().find(|n| is(n, "tcPr"));
            let span = props
                .and_then(|p| p.children().find(|n| is(n, "gridSpan")))
                .and_then(|g| val(&g))
                .and_then(|v| v.parse::<usize>().ok())
                .unwrap_or(1)
                .clamp(1, MAX_SPAN);
            let continued = props
                .and_then(|p| p.children().find(|n| is(n, "vMerge")))
                .is_some_and(|m| val(&m) != Some("restart"));
            let text = if continued {
                String::new()
            } else {
                cell_text(tc)
            };
            let value = if text.trim().is_empty() {
                Value::Empty
            } else {
                Value::Text(text.trim().to_string())
            };
            put(&mut sheet.rows, r, c, value);
            c += span;
        }
        if sheet.rows.len() <= r {
            sheet.rows.resize(r + 1, Vec::new());
        }
    }
    sheet
}

/// A cell's text: its paragraphs one per line, tabs as spaces, line breaks
/// kept; the text of tables nested in it left to those tables.
fn cell_text(tc: roxmltree::Node) -> String {
    let mut paragraphs = Vec::new();
    for p in tc.children().filter(|n| is(n, "p")) {
        let mut line = String::new();
        for n in p.descendants() {
            if is(&n, "t") {
                line.push_str(n.text().unwrap_or_default());
            } else if is(&n, "tab") {
                line.push(' ');
            } else if is(&n, "br") || is(&n, "cr") {
                line.push('\n');
            }
        }
        paragraphs.push(line);
    }
    paragraphs.join("\n")
}
