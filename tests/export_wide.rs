//! Exports whose size changes how they are written: a score matrix too wide
//! for one Word table, and a workbook written a row at a time on disk.

use std::io::{Cursor, Read};

use appraise::compute::compute;
use appraise::export::stream::ReportStream;
use appraise::export::{self, ExportOptions, Format, Selection, xlsx};
use appraise::load::load_example;
use appraise::synth::{self, Spec};
use calamine::{Reader, Xlsx, open_workbook_from_rs};
use resvg::usvg::roxmltree;

mod common;

const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

fn zip_part(bytes: &[u8], name: &str) -> String {
    let mut z = zip::ZipArchive::new(Cursor::new(bytes)).expect("a zip archive");
    let mut part = z.by_name(name).expect("part present");
    let mut s = String::new();
    part.read_to_string(&mut s).expect("UTF-8 part");
    s
}

fn spec(criteria: usize) -> appraise::Appraisal {
    synth::appraisal(Spec {
        options: 6,
        criteria,
        notes: false,
        seed: 3,
    })
}

fn docx(criteria: usize, tables: &str) -> Vec<u8> {
    let a = spec(criteria);
    let r = compute(&a);
    let opts = ExportOptions {
        tables: Selection::parse(tables).expect("selection"),
        ..ExportOptions::default()
    };
    let mut out = Vec::new();
    export::export(&a, &r, &opts, Format::Docx, &mut out).expect("export");
    out
}

/// The text of every paragraph under `node`, one string per cell or paragraph.
fn text(node: roxmltree::Node) -> String {
    node.descendants()
        .filter(|n| n.has_tag_name((W, "t")))
        .filter_map(|n| n.text())
        .collect()
}

/// Each table of the score matrix in a Word document: its caption's field
/// instruction and text, and its header cells.
fn matrix_parts(doc: &roxmltree::Document) -> Vec<(String, String, Vec<String>)> {
    let body = doc
        .descendants()
        .find(|n| n.has_tag_name((W, "body")))
        .expect("a body");
    let mut parts = Vec::new();
    let mut caption = None;
    for n in body.children().filter(|n| n.is_element()) {
        if n.has_tag_name((W, "p")) {
            let style = n
                .descendants()
                .find(|d| d.has_tag_name((W, "pStyle")))
                .and_then(|d| d.attribute((W, "val")));
            if style == Some("Caption") {
                let instr = n
                    .descendants()
                    .find(|d| d.has_tag_name((W, "fldSimple")))
                    .and_then(|d| d.attribute((W, "instr")))
                    .unwrap_or("")
                    .to_string();
                caption = Some((instr, text(n)));
            }
        } else if n.has_tag_name((W, "tbl")) {
            let Some((instr, title)) = caption.take() else {
                continue;
            };
            if !title.contains("Full score matrix") {
                continue;
            }
            let header = n
                .children()
                .find(|c| c.has_tag_name((W, "tr")))
                .expect("a header row");
            let cells = header
                .children()
                .filter(|c| c.has_tag_name((W, "tc")))
                .map(text)
                .collect();
            parts.push((instr, title, cells));
        }
    }
    parts
}

/// No table in the document has more columns than Word allows, in its grid
/// or in any row.
fn assert_word_can_open(doc: &roxmltree::Document) {
    for tbl in doc.descendants().filter(|n| n.has_tag_name((W, "tbl"))) {
        let grid = tbl
            .descendants()
            .filter(|n| n.has_tag_name((W, "gridCol")))
            .count();
        assert!(grid <= 63, "a table with {grid} grid columns");
        for tr in tbl.children().filter(|n| n.has_tag_name((W, "tr"))) {
            let cells = tr.children().filter(|n| n.has_tag_name((W, "tc"))).count();
            assert!(cells <= 63, "a row with {cells} cells");
        }
    }
}

#[test]
fn a_matrix_wider_than_word_allows_is_split_into_parts_that_repeat_the_option_names() {
    // 70 criteria: 74 columns with rank, option and total.
    let bytes = docx(70, "all");
    let xml = zip_part(&bytes, "word/document.xml");
    let doc = roxmltree::Document::parse(&xml).expect("well-formed document.xml");
    assert_word_can_open(&doc);
    let parts = matrix_parts(&doc);
    assert!(parts.len() >= 2, "{parts:?}");
    let count = parts.len();
    let mut codes = Vec::new();
    for (k, (instr, title, header)) in parts.iter().enumerate() {
        assert!(
            title.starts_with("Table ") && title.ends_with(&format!("(part {} of {count})", k + 1)),
            "{title}"
        );
        // One table number for all the parts: the later ones repeat it.
        assert!(instr.contains("SEQ Table"), "{instr}");
        assert_eq!(instr.contains("\\c"), k > 0, "{instr}");
        assert_eq!(&header[..2], ["Rank", "Option"], "part {k}");
        codes.extend(header[2..].iter().cloned());
    }
    // Every criterion once, in order, and the total once, at the end.
    let max = spec(70).total_weight() * 5.0;
    let expected: Vec<String> = (1..=70)
        .map(|c| format!("C{c}"))
        .chain([format!("Total (of {max})")])
        .collect();
    assert_eq!(codes, expected);
    // The parts are about as wide as each other.
    let widths: Vec<usize> = parts.iter().map(|p| p.2.len()).collect();
    let (lo, hi) = (widths.iter().min(), widths.iter().max());
    assert!(hi.zip(lo).is_some_and(|(h, l)| h - l <= 1), "{widths:?}");
    // The reader is told why, before the first part.
    assert!(
        xml.contains("shown in") && xml.contains("more than the 63 a Word table can have"),
        "no note says why the table is split"
    );
    let converted = [("wide-70.docx".to_string(), bytes)];
    common::ooxml::validate(
        "a_matrix_wider_than_word_allows_is_split_into_parts_that_repeat_the_option_names",
        &converted,
    );
}

#[test]
fn a_matrix_too_wide_for_the_page_is_split_and_a_narrow_one_is_not() {
    // 25 criteria fit Word's column limit but not a landscape page at 10 pt.
    let wide = zip_part(&docx(25, "matrix"), "word/document.xml");
    let doc = roxmltree::Document::parse(&wide).expect("well-formed");
    let parts = matrix_parts(&doc);
    assert_eq!(parts.len(), 2, "{parts:?}");
    assert!(wide.contains("do not fit across the page"));
    // 8 criteria, as in the bundled example: one table, no note.
    let narrow = zip_part(&docx(8, "matrix"), "word/document.xml");
    let doc = roxmltree::Document::parse(&narrow).expect("well-formed");
    let parts = matrix_parts(&doc);
    assert_eq!(parts.len(), 1, "{parts:?}");
    assert!(!parts[0].1.contains("part"), "{}", parts[0].1);
    assert!(!narrow.contains("This table is shown in"));
}

#[test]
fn a_workbook_written_a_row_at_a_time_holds_what_one_built_in_memory_holds() {
    let a = load_example().expect("example").appraisal;
    let r = compute(&a);
    let opts = ExportOptions::default();
    let write = |constant: bool| {
        let report = ReportStream::new(&a, &r, &opts).expect("report");
        let settings = xlsx::Settings {
            constant_memory: Some(constant),
            tempdir: None,
        };
        let mut out = Vec::new();
        xlsx::write_stream(&report, &settings, &mut out).expect("workbook");
        out
    };
    let memory = write(false);
    let disk = write(true);
    let mut m: Xlsx<_> = open_workbook_from_rs(Cursor::new(memory.clone())).expect("xlsx");
    let mut d: Xlsx<_> = open_workbook_from_rs(Cursor::new(disk.clone())).expect("xlsx");
    assert_eq!(m.sheet_names(), d.sheet_names());
    for name in m.sheet_names() {
        let mv = m.worksheet_range(&name).expect("sheet");
        let dv = d.worksheet_range(&name).expect("sheet");
        assert_eq!(mv, dv, "values of {name}");
        let mf = m.worksheet_formula(&name).expect("formulas");
        let df = d.worksheet_formula(&name).expect("formulas");
        assert_eq!(mf, df, "formulas of {name}");
    }
    // Both keep every check (validation of score cells, frozen panes,
    // merged notes) and every row, each once.
    let sheet = |bytes: &[u8], n: usize| zip_part(bytes, &format!("xl/worksheets/sheet{n}.xml"));
    let rows = |xml: &str| -> Vec<String> {
        xml.split("<row r=\"")
            .skip(1)
            .filter_map(|r| r.split('"').next())
            .map(str::to_string)
            .collect()
    };
    for n in 1..=m.sheet_names().len() {
        let (ms, ds) = (sheet(&memory, n), sheet(&disk, n));
        for tag in ["<dataValidation ", "<pane ", "<mergeCell "] {
            assert_eq!(
                ms.matches(tag).count(),
                ds.matches(tag).count(),
                "{tag} in sheet {n}"
            );
        }
        let (mr, dr) = (rows(&ms), rows(&ds));
        let mut unique = dr.clone();
        unique.dedup();
        assert_eq!(unique, dr, "a row written twice in sheet {n}");
        assert!(
            mr.iter().all(|r| dr.contains(r)),
            "sheet {n}: {mr:?} {dr:?}"
        );
    }
    common::ooxml::validate(
        "a_workbook_written_a_row_at_a_time_holds_what_one_built_in_memory_holds",
        &[("constant-memory.xlsx".to_string(), disk)],
    );
}

/// Each row's height in a worksheet's XML, by row number: its own, or
/// the sheet's default.
fn row_heights(xml: &str) -> (f64, Vec<(String, f64)>) {
    let doc = roxmltree::Document::parse(xml).expect("well-formed sheet");
    let default = doc
        .descendants()
        .find(|n| n.has_tag_name("sheetFormatPr"))
        .and_then(|n| n.attribute("defaultRowHeight"))
        .and_then(|h| h.parse().ok())
        .unwrap_or(15.0);
    let rows = doc
        .descendants()
        .filter(|n| n.has_tag_name("row"))
        .map(|n| {
            let r = n.attribute("r").unwrap_or("?").to_string();
            let h = n.attribute("ht").and_then(|h| h.parse().ok());
            (r, h.unwrap_or(default))
        })
        .collect();
    (default, rows)
}

#[test]
fn a_sheet_written_a_row_at_a_time_gives_its_rows_the_heights_of_one_built_in_memory() {
    // Every cell has a note, so every annex row wraps onto two lines.
    let a = synth::appraisal(Spec {
        options: 4,
        criteria: 12,
        notes: true,
        seed: 1,
    });
    let r = compute(&a);
    let opts = ExportOptions::default();
    let write = |constant: bool| {
        let report = ReportStream::new(&a, &r, &opts).expect("report");
        let settings = xlsx::Settings {
            constant_memory: Some(constant),
            tempdir: None,
        };
        let mut out = Vec::new();
        xlsx::write_stream(&report, &settings, &mut out).expect("workbook");
        out
    };
    let (memory, disk) = (write(false), write(true));
    let sheets = zip::ZipArchive::new(Cursor::new(&memory))
        .expect("zip")
        .file_names_raw()
        .filter(|n| n.starts_with(b"xl/worksheets/sheet"))
        .count();
    let mut two_line_default = 0;
    for n in 1..=sheets {
        let name = format!("xl/worksheets/sheet{n}.xml");
        let (_, m) = row_heights(&zip_part(&memory, &name));
        let (default, d) = row_heights(&zip_part(&disk, &name));
        // The blank row written after a sheet on disk (see `write_stream`) is extra.
        let d: Vec<_> = d.into_iter().take(m.len()).collect();
        assert_eq!(m, d, "row heights of sheet {n}");
        // Such a sheet keeps no height of its own for its two-line rows
        // until it is saved: 280 MB for 10,000 options of 100 criteria.
        if default == 30.0 {
            two_line_default += 1;
        }
    }
    // The annex sheets (one per option) hold their rows' usual height once.
    assert!(
        two_line_default >= 4,
        "{two_line_default} sheets with a two-line default"
    );
}

/// The workbook of `a` written a row at a time on disk, on a pool of
/// `threads` threads.
fn workbook_on(a: &appraise::Appraisal, threads: usize) -> Vec<u8> {
    let r = compute(a);
    let opts = ExportOptions::default();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .expect("a thread pool");
    pool.install(|| {
        let report = ReportStream::new(a, &r, &opts).expect("report");
        let settings = xlsx::Settings {
            constant_memory: Some(true),
            tempdir: None,
        };
        let mut out = Vec::new();
        xlsx::write_stream(&report, &settings, &mut out).expect("workbook");
        out
    })
}

#[test]
fn sheets_on_disk_written_side_by_side_give_the_bytes_of_one_thread() {
    // Each appraisal brings its own formats: published totals that differ,
    // groups, value functions with raw values, screening, notes that look
    // like formulas. A format first used by a later sheet must still get
    // the number it gets when the sheets are written one after another.
    let mut appraisals = vec![
        load_example().expect("example").appraisal,
        synth::appraisal(Spec {
            options: 40,
            criteria: 12,
            notes: true,
            seed: 7,
        }),
    ];
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    for file in [
        "appraisals/social-security-uprating-2024.toml",
        "tests/fixtures/v2/every-value-function.toml",
        "tests/fixtures/v2/waste-contract.toml",
    ] {
        let loaded = appraise::load::load_path(&dir.join(file)).expect(file);
        appraisals.push(loaded.appraisal);
    }
    for a in &appraisals {
        let one = workbook_on(a, 1);
        for threads in [2, 3, 4, 2] {
            assert!(
                workbook_on(a, threads) == one,
                "{}: {threads} threads wrote other bytes than one",
                a.meta.title
            );
        }
    }
}
