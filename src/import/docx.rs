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
        .map(|(k, tbl)| {
            let mut sheet = table(k + 1, tbl);
            decode_headers(&mut sheet, &key_after(tbl));
            sheet
        })
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

/// The key to a table's coded headers, from the paragraphs just after it:
/// a wide matrix heads its criteria `C1`, `C2`, ... and gives a note such as
/// "Key: C1 Child focused; C2 Partnerships." (as `appraise export` writes
/// it), so the names come back instead of the codes.
fn key_after(tbl: roxmltree::Node) -> Vec<(String, String)> {
    let mut next = tbl.next_sibling_element();
    for _ in 0..4 {
        let Some(p) = next.filter(|n| is(n, "p")) else {
            break;
        };
        let text: String = p
            .descendants()
            .filter(|n| is(n, "t"))
            .filter_map(|n| n.text())
            .collect();
        let key = parse_key(&text);
        if !key.is_empty() {
            return key;
        }
        next = p.next_sibling_element();
    }
    Vec::new()
}

/// The codes and names of a key "Key: C1 name; C2 name; ... Cn name.", in
/// order; empty unless the codes run C1, C2, ... with none missing.
fn parse_key(text: &str) -> Vec<(String, String)> {
    let Some(start) = text.find("Key: C1 ") else {
        return Vec::new();
    };
    let mut rest = &text[start + "Key: ".len()..];
    let mut key = Vec::new();
    for k in 1.. {
        let code = format!("C{k}");
        let Some(after) = rest.strip_prefix(&format!("{code} ")) else {
            break;
        };
        let next = format!("; C{} ", k + 1);
        let (name, tail) = match after.find(&next) {
            Some(i) => (&after[..i], &after[i + 2..]),
            None => (after.trim_end().strip_suffix('.').unwrap_or(after), ""),
        };
        key.push((code, name.trim().to_string()));
        rest = tail;
        if rest.is_empty() {
            break;
        }
    }
    key
}

/// Replaces header cells that hold exactly a code of `key` with its name.
fn decode_headers(sheet: &mut Sheet, key: &[(String, String)]) {
    if key.is_empty() {
        return;
    }
    for row in sheet.rows.iter_mut().take(3) {
        for cell in row.iter_mut() {
            if let Value::Text(t) = cell
                && let Some((_, name)) = key.iter().find(|(code, _)| code == t)
            {
                *t = name.clone();
            }
        }
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_gives_each_code_its_name_even_with_semicolons_in_names() {
        let key = parse_key("Note: Key: C1 Child focused; C2 Cost; risk and return; C3 Risk.");
        assert_eq!(
            key,
            [
                ("C1".to_string(), "Child focused".to_string()),
                ("C2".to_string(), "Cost; risk and return".to_string()),
                ("C3".to_string(), "Risk".to_string()),
            ]
        );
        assert!(parse_key("Key: C2 Cost.").is_empty());
        assert!(parse_key("No key here.").is_empty());
    }
}
