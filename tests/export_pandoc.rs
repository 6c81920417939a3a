//! The documented pandoc route to Word: `pandoc report.html -o report.docx`
//! keeps every line break and list inside table cells (the Markdown route
//! cannot: pandoc drops the `<br>` that pipe tables need for them).

use std::io::{Cursor, Read};
use std::process::Command;

use appraise::compute::compute;
use appraise::export::{ExportOptions, Format, Selection, export};
use appraise::load::load_example;

mod common;

#[test]
fn pandoc_turns_the_html_export_into_word_with_its_lists_intact() {
    let test = "pandoc_turns_the_html_export_into_word_with_its_lists_intact";
    let Some(pandoc) = common::tools::find(test, "pandoc", "PANDOC") else {
        return;
    };
    let a = load_example().expect("example").appraisal;
    let r = compute(&a);
    let opts = ExportOptions {
        tables: Selection::parse("summary,annex-shared-service").expect("selection"),
        ..ExportOptions::default()
    };
    let mut html = Vec::new();
    export(&a, &r, &opts, Format::Html, &mut html).expect("export");
    let dir = tempfile::tempdir().expect("temp dir");
    let (page, docx) = (
        dir.path().join("report.html"),
        dir.path().join("report.docx"),
    );
    std::fs::write(&page, html).expect("page");
    let out = Command::new(pandoc)
        .arg(&page)
        .arg("-o")
        .arg(&docx)
        .output()
        .expect("pandoc runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let bytes = std::fs::read(&docx).expect("docx");
    let mut z = zip::ZipArchive::new(Cursor::new(bytes)).expect("zip");
    let mut doc = String::new();
    z.by_name("word/document.xml")
        .expect("document")
        .read_to_string(&mut doc)
        .expect("text");
    let tree = roxmltree::Document::parse(&doc).expect("XML");
    let w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
    // Each strength is its own list paragraph, not run into the one before.
    let para = |text: &str| {
        tree.descendants()
            .filter(|n| n.has_tag_name((w, "p")))
            .find(|p| {
                p.descendants()
                    .filter_map(|t| t.text())
                    .collect::<String>()
                    .starts_with(text)
            })
            .unwrap_or_else(|| panic!("a paragraph starting {text:?}"))
    };
    for strength in [
        "Extends the peer arrangement already in place",
        "Builds on existing work with partners",
    ] {
        let p = para(strength);
        assert!(
            p.descendants().any(|n| n.has_tag_name((w, "numPr"))),
            "{strength:?} is a list item of its own"
        );
    }
    // Tables stay tables, with their captions.
    assert!(
        tree.descendants()
            .filter(|n| n.has_tag_name((w, "tbl")))
            .count()
            >= 2
    );
    assert!(doc.contains("Table 1: Summary of options"));
}
