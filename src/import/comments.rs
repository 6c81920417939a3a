//! Cell comments, which `calamine` does not read: from an XLSX's comment
//! parts (`xl/commentsN.xml`, found through each sheet's relationships) and
//! from an ODS's `office:annotation` elements. A comment the importer cannot
//! read is left out; the cell values are what matter.

use std::collections::HashMap;
use std::io::Read;
use std::path::Path;

use super::read::Sheet;

/// Reads a part of a zip archive as text; `None` when it is not there.
fn part<R: Read + std::io::Seek>(zip: &mut zip::ZipArchive<R>, name: &str) -> Option<String> {
    let mut f = zip.by_name(name).ok()?;
    let mut text = String::new();
    // Comment parts are small; a huge one is not worth reading.
    f.by_ref().take(64 << 20).read_to_string(&mut text).ok()?;
    Some(text)
}

/// A relative target resolved against the folder of the part that names it.
fn resolve(base_dir: &str, target: &str) -> String {
    if let Some(abs) = target.strip_prefix('/') {
        return abs.to_string();
    }
    let mut parts: Vec<&str> = base_dir.split('/').filter(|s| !s.is_empty()).collect();
    for piece in target.split('/') {
        match piece {
            ".." => {
                parts.pop();
            }
            "." | "" => {}
            p => parts.push(p),
        }
    }
    parts.join("/")
}

/// Relationship targets of a `.rels` part, by id, with their types.
fn relationships(xml: &str) -> HashMap<String, (String, String)> {
    let Ok(doc) = roxmltree::Document::parse(xml) else {
        return HashMap::new();
    };
    doc.descendants()
        .filter(|n| n.has_tag_name("Relationship"))
        .filter_map(|n| {
            Some((
                n.attribute("Id")?.to_string(),
                (
                    n.attribute("Type").unwrap_or_default().to_string(),
                    n.attribute("Target")?.to_string(),
                ),
            ))
        })
        .collect()
}

/// A cell reference such as `D6` as (row, column) from zero.
fn parse_ref(r: &str) -> Option<(usize, usize)> {
    let letters: String = r.chars().take_while(|c| c.is_ascii_alphabetic()).collect();
    let digits = &r[letters.len()..];
    let mut col = 0usize;
    for c in letters.chars() {
        col = col * 26 + (c.to_ascii_uppercase() as usize - 'A' as usize + 1);
    }
    let row: usize = digits.parse().ok()?;
    Some((row.checked_sub(1)?, col.checked_sub(1)?))
}

/// Adds the comments of an XLSX workbook to its sheets, matched by name.
pub fn read_xlsx(path: &Path, sheets: &mut [Sheet]) {
    let Ok(file) = std::fs::File::open(path) else {
        return;
    };
    let Ok(mut zip) = zip::ZipArchive::new(std::io::BufReader::new(file)) else {
        return;
    };
    let (Some(workbook), Some(rels)) = (
        part(&mut zip, "xl/workbook.xml"),
        part(&mut zip, "xl/_rels/workbook.xml.rels"),
    ) else {
        return;
    };
    let rels = relationships(&rels);
    let Ok(doc) = roxmltree::Document::parse(&workbook) else {
        return;
    };
    let sheet_parts: Vec<(String, String)> = doc
        .descendants()
        .filter(|n| n.has_tag_name("sheet"))
        .filter_map(|n| {
            let name = n.attribute("name")?;
            let id = n.attributes().find(|a| a.name() == "id")?.value();
            let (_, target) = rels.get(id)?;
            Some((name.to_string(), resolve("xl", target)))
        })
        .collect();
    for (name, sheet_part) in sheet_parts {
        let Some(sheet) = sheets.iter_mut().find(|s| s.name == name) else {
            continue;
        };
        let (dir, file) = sheet_part.rsplit_once('/').unwrap_or(("", &sheet_part));
        let Some(sheet_rels) = part(&mut zip, &format!("{dir}/_rels/{file}.rels")) else {
            continue;
        };
        for (kind, target) in relationships(&sheet_rels).values() {
            if !kind.ends_with("/comments") {
                continue;
            }
            let Some(xml) = part(&mut zip, &resolve(dir, target)) else {
                continue;
            };
            let Ok(doc) = roxmltree::Document::parse(&xml) else {
                continue;
            };
            let authors: Vec<String> = doc
                .descendants()
                .filter(|n| n.has_tag_name("author"))
                .map(|n| n.text().unwrap_or_default().to_string())
                .collect();
            for c in doc.descendants().filter(|n| n.has_tag_name("comment")) {
                let Some(at) = c.attribute("ref").and_then(parse_ref) else {
                    continue;
                };
                let text: String = c
                    .descendants()
                    .filter(|n| n.has_tag_name("t"))
                    .filter_map(|n| n.text())
                    .collect();
                // Excel starts a note with its author's name ("Officer:").
                let author = c
                    .attribute("authorId")
                    .and_then(|i| i.parse::<usize>().ok())
                    .and_then(|i| authors.get(i));
                let text = match author {
                    Some(a) if !a.is_empty() => text
                        .strip_prefix(&format!("{a}:"))
                        .map(str::to_string)
                        .unwrap_or(text),
                    _ => text,
                };
                let text = threaded(text.trim()).replace("\r\n", "\n");
                if !text.is_empty() {
                    sheet.comments.insert(at, text);
                }
            }
        }
    }
}

/// The words of a comment that newer Excel writes as a thread: older
/// readers get the thread as text behind an explanation, with the comment
/// after "Comment:" and each answer after "Reply:".
fn threaded(text: &str) -> String {
    let Some(rest) = text.strip_prefix("[Threaded comment]") else {
        return text.to_string();
    };
    let Some(start) = rest.find("Comment:") else {
        return text.to_string();
    };
    rest[start + "Comment:".len()..]
        .split("Reply:")
        .map(|part| {
            part.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .collect::<Vec<_>>()
                .join("\n")
        })
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// Adds the comments (annotations) of an ODS workbook to its sheets.
pub fn read_ods(path: &Path, sheets: &mut [Sheet]) {
    let Ok(file) = std::fs::File::open(path) else {
        return;
    };
    let Ok(mut zip) = zip::ZipArchive::new(std::io::BufReader::new(file)) else {
        return;
    };
    let Some(content) = part(&mut zip, "content.xml") else {
        return;
    };
    let Ok(doc) = roxmltree::Document::parse(&content) else {
        return;
    };
    // The repeat counts can be huge for empty space; a comment never sits there.
    const MAX_REPEAT: usize = 1 << 20;
    let repeat = |n: roxmltree::Node, attr: &str| {
        n.attributes()
            .find(|a| a.name() == attr)
            .and_then(|a| a.value().parse::<usize>().ok())
            .unwrap_or(1)
            .min(MAX_REPEAT)
    };
    for table in doc.descendants().filter(|n| n.has_tag_name("table")) {
        let Some(name) = table
            .attributes()
            .find(|a| a.name() == "name")
            .map(|a| a.value())
        else {
            continue;
        };
        let Some(sheet) = sheets.iter_mut().find(|s| s.name == name) else {
            continue;
        };
        let mut row = 0usize;
        for r in table.descendants().filter(|n| n.has_tag_name("table-row")) {
            let mut col = 0usize;
            for c in r
                .children()
                .filter(|n| n.has_tag_name("table-cell") || n.has_tag_name("covered-table-cell"))
            {
                if let Some(note) = c.children().find(|n| n.has_tag_name("annotation")) {
                    let text: Vec<String> = note
                        .children()
                        .filter(|n| n.has_tag_name("p"))
                        .map(|p| {
                            p.descendants()
                                .filter(|n| n.is_text())
                                .filter_map(|n| n.text())
                                .collect::<String>()
                        })
                        .collect();
                    let text = text.join("\n").trim().to_string();
                    if !text.is_empty() {
                        sheet.comments.insert((row, col), text);
                    }
                }
                col += repeat(c, "number-columns-repeated");
            }
            row += repeat(r, "number-rows-repeated");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_threaded_comment_keeps_its_words_and_replies() {
        let legacy = "[Threaded comment]\n\nYour version of Excel allows you to read this threaded comment; however, any edits to it will get removed.\n\nComment:\n    Two branches close on Sundays\nReply:\n    Checked with the service";
        assert_eq!(
            threaded(legacy),
            "Two branches close on Sundays\n\nChecked with the service"
        );
        assert_eq!(threaded("Plain note"), "Plain note");
    }

    #[test]
    fn references_and_targets_resolve() {
        assert_eq!(parse_ref("D6"), Some((5, 3)));
        assert_eq!(parse_ref("AA10"), Some((9, 26)));
        assert_eq!(parse_ref("A0"), None);
        assert_eq!(
            resolve("xl/worksheets", "../comments1.xml"),
            "xl/comments1.xml"
        );
        assert_eq!(
            resolve("xl", "worksheets/sheet1.xml"),
            "xl/worksheets/sheet1.xml"
        );
        assert_eq!(
            resolve("xl", "/xl/worksheets/sheet1.xml"),
            "xl/worksheets/sheet1.xml"
        );
    }
}
