//! Exports of the bundled example and of a hostile appraisal, in every format:
//! snapshots of the text formats, the workbook read back with calamine, the
//! Word document unzipped, the HTML parsed, and byte-for-byte determinism.

use std::io::{Cursor, Read};

use appraise::compute::{Results, compute};
use appraise::export::{
    self, ExportFile, ExportOptions, Format, Selection, TableName, export, export_files,
};
use appraise::load::{load_example, load_path};
use appraise::model::Appraisal;
use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
use resvg::usvg::roxmltree;
use scraper::{Html, Selector};

mod common;

fn example() -> (Appraisal, Results) {
    let a = load_example().expect("example loads").appraisal;
    let r = compute(&a);
    (a, r)
}

fn hostile() -> (Appraisal, Results) {
    let a = load_path(std::path::Path::new("tests/fixtures/export/hostile.toml"))
        .expect("hostile fixture loads")
        .appraisal;
    let r = compute(&a);
    (a, r)
}

fn bytes(a: &Appraisal, r: &Results, format: Format, tables: &str) -> Vec<u8> {
    let opts = ExportOptions {
        tables: Selection::parse(tables).expect("selection"),
        ..ExportOptions::default()
    };
    let mut out = Vec::new();
    export(a, r, &opts, format, &mut out).expect("export succeeds");
    out
}

fn text(a: &Appraisal, r: &Results, format: Format, tables: &str) -> String {
    String::from_utf8(bytes(a, r, format, tables)).expect("UTF-8")
}

fn files(a: &Appraisal, r: &Results, format: Format) -> Vec<ExportFile> {
    export_files(a, r, &ExportOptions::default(), format, "report").expect("export succeeds")
}

fn zip_part(docx: &[u8], name: &str) -> String {
    let mut z = zip::ZipArchive::new(Cursor::new(docx)).expect("a zip archive");
    let mut part = z.by_name(name).expect("part present");
    let mut s = String::new();
    part.read_to_string(&mut s).expect("UTF-8 part");
    s
}

// ---------------------------------------------------------------- snapshots

#[test]
fn markdown_snapshot() {
    let (a, r) = example();
    insta::assert_snapshot!("example_md", text(&a, &r, Format::Markdown, "all"));
}

#[test]
fn html_snapshot() {
    let (a, r) = example();
    insta::assert_snapshot!("example_html", text(&a, &r, Format::Html, "all"));
}

#[test]
fn csv_snapshot() {
    let (a, r) = example();
    let mut all = String::new();
    for f in files(&a, &r, Format::Csv) {
        all.push_str(&format!("==> {} <==\n", f.name));
        all.push_str(&String::from_utf8(f.bytes).expect("UTF-8"));
    }
    insta::assert_snapshot!("example_csv", all);
}

#[test]
fn json_snapshot() {
    let (a, r) = example();
    insta::assert_snapshot!("example_json", text(&a, &r, Format::Json, "all"));
}

#[test]
fn svg_snapshots() {
    let (a, r) = example();
    insta::assert_snapshot!(
        "example_svg_totals",
        text(&a, &r, Format::Svg, "chart-totals")
    );
    insta::assert_snapshot!(
        "example_svg_weight",
        text(&a, &r, Format::Svg, "chart-weight-child-focused")
    );
}

#[test]
fn monte_carlo_snapshots() {
    let (a, r) = example();
    let opts = |tables: &str| ExportOptions {
        tables: Selection::parse(tables).expect("selection"),
        samples: Some(20_000),
        ..ExportOptions::default()
    };
    let mut csv = Vec::new();
    export(
        &a,
        &r,
        &opts("sensitivity-acceptability"),
        Format::Csv,
        &mut csv,
    )
    .expect("csv");
    insta::assert_snapshot!(
        "example_csv_acceptability",
        String::from_utf8(csv).expect("UTF-8")
    );
    let mut svg = Vec::new();
    export(&a, &r, &opts("chart-acceptability"), Format::Svg, &mut svg).expect("svg");
    insta::assert_snapshot!(
        "example_svg_acceptability",
        String::from_utf8(svg).expect("UTF-8")
    );
}

// ---------------------------------------------------------------- XLSX

fn workbook(bytes: Vec<u8>) -> Xlsx<Cursor<Vec<u8>>> {
    open_workbook_from_rs(Cursor::new(bytes)).expect("calamine opens the workbook")
}

#[test]
fn xlsx_holds_numbers_and_live_formulas() {
    let (a, r) = example();
    let mut wb = workbook(bytes(&a, &r, Format::Xlsx, "all"));
    let names = wb.sheet_names();
    assert_eq!(
        &names[..6],
        [
            "Scale", "Criteria", "Options", "Summary", "Ranking", "Matrix"
        ]
    );
    assert_eq!(
        &names[6..10],
        [
            "Findings",
            "Weight stability",
            "Score robustness",
            "Leave one out"
        ]
    );
    // Six tables, four of sensitivity, eight annexes and the hidden ids sheet.
    assert_eq!(names.len(), 6 + 4 + 8 + 1, "{names:?}");
    assert_eq!(names.last().map(String::as_str), Some("Ids"));
    assert!(names.contains(&"Annex - Shared Service".to_string()));

    // Ranking: title, then header at row 3 (index 2), body from index 3.
    let ranking = wb.worksheet_range("Ranking").expect("Ranking sheet");
    assert_eq!(
        ranking.get_value((0, 0)),
        Some(&Data::String("Ranking of options".into()))
    );
    assert_eq!(
        ranking.get_value((2, 2)),
        Some(&Data::String("Total (out of 40)".into()))
    );
    assert_eq!(ranking.get_value((3, 0)), Some(&Data::Float(1.0)));
    assert_eq!(
        ranking.get_value((3, 1)),
        Some(&Data::String("Peer Practice Partner".into()))
    );
    assert_eq!(ranking.get_value((3, 2)), Some(&Data::Float(33.0)));
    assert_eq!(ranking.get_value((3, 3)), Some(&Data::Float(0.825)));
    // The mismatch is explained in a Remarks column, the total stays a number.
    assert_eq!(
        ranking.get_value((2, 4)),
        Some(&Data::String("Remarks".into()))
    );
    assert_eq!(
        ranking.get_value((5, 1)),
        Some(&Data::String("Shared Service".into()))
    );
    assert_eq!(ranking.get_value((5, 2)), Some(&Data::Float(26.0)));
    assert_eq!(
        ranking.get_value((5, 4)),
        Some(&Data::String("Total: published as 24".into()))
    );

    // Matrix: weight row at index 3, options from index 4, totals in K, ranks in A.
    let matrix = wb.worksheet_range("Matrix").expect("Matrix sheet");
    assert_eq!(
        matrix.get_value((3, 1)),
        Some(&Data::String("Weight".into()))
    );
    for c in 2..10 {
        assert_eq!(matrix.get_value((3, c)), Some(&Data::Float(1.0)));
    }
    assert_eq!(
        matrix.get_value((4, 1)),
        Some(&Data::String("Peer Practice Partner".into()))
    );
    assert_eq!(matrix.get_value((4, 2)), Some(&Data::Float(4.0)));
    assert_eq!(matrix.get_value((4, 10)), Some(&Data::Float(33.0)));
    assert_eq!(matrix.get_value((11, 10)), Some(&Data::Float(15.0)));
    let formulas = wb.worksheet_formula("Matrix").expect("formulas");
    assert_eq!(
        formulas.get_value((4, 10)).map(String::as_str),
        Some("SUMPRODUCT($C$4:$J$4,C5:J5)")
    );
    assert_eq!(
        formulas.get_value((11, 10)).map(String::as_str),
        Some("SUMPRODUCT($C$4:$J$4,C12:J12)")
    );
    assert_eq!(
        formulas.get_value((4, 0)).map(String::as_str),
        Some("RANK(K5,$K$5:$K$12)")
    );
    // Shared Service ties for second: the cached rank says so too.
    assert_eq!(matrix.get_value((6, 0)), Some(&Data::Float(2.0)));

    // Annex: a TOTAL row under the criteria.
    let annex = wb
        .worksheet_range("Annex - Peer Practice Partner")
        .expect("annex sheet");
    assert_eq!(
        annex.get_value((11, 0)),
        Some(&Data::String("TOTAL (out of 40)".into()))
    );
    assert_eq!(annex.get_value((11, 2)), Some(&Data::Float(33.0)));

    // Frozen panes and the "/40" number format are in the sheet XML.
    let xlsx = bytes(&a, &r, Format::Xlsx, "ranking");
    let sheet = zip_part(&xlsx, "xl/worksheets/sheet1.xml");
    assert!(sheet.contains("state=\"frozen\""), "{sheet}");
    let styles = zip_part(&xlsx, "xl/styles.xml");
    assert!(styles.contains("General&quot;/40&quot;"), "{styles}");
    let core = zip_part(&xlsx, "docProps/core.xml");
    assert!(core.contains("2000-01-01T00:00:00Z"), "{core}");
}

// ---------------------------------------------------------------- DOCX

#[test]
fn docx_has_real_tables_with_repeating_headers_and_charts() {
    let (a, r) = example();
    let docx = bytes(&a, &r, Format::Docx, "all");
    let doc = zip_part(&docx, "word/document.xml");
    let tree = roxmltree::Document::parse(&doc).expect("document.xml is well-formed XML");
    let w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
    let tables: Vec<_> = tree
        .descendants()
        .filter(|n| n.has_tag_name((w, "tbl")))
        .collect();
    assert_eq!(tables.len(), 6 + 4 + 8, "one Word table per report table");
    for t in &tables {
        let first_row = t
            .children()
            .find(|n| n.has_tag_name((w, "tr")))
            .expect("a row");
        assert!(
            first_row
                .descendants()
                .any(|n| n.has_tag_name((w, "tblHeader"))),
            "the header row repeats across pages"
        );
    }
    let text_of = |node: roxmltree::Node| -> String {
        node.descendants()
            .filter(|n| n.has_tag_name((w, "t")))
            .filter_map(|n| n.text())
            .collect::<Vec<_>>()
            .join("")
    };
    // The ranking table: 1 header + 8 rows, Shared Service marked.
    let ranking = tables
        .iter()
        .find(|t| text_of(**t).contains("RankOptionTotalPercent"))
        .expect("ranking table");
    let rows: Vec<_> = ranking
        .children()
        .filter(|n| n.has_tag_name((w, "tr")))
        .collect();
    assert_eq!(rows.len(), 9);
    assert_eq!(text_of(rows[1]), "1Peer Practice Partner33/4082.5%");
    assert_eq!(
        text_of(rows[3]),
        "2Shared Service26/40 (published as 24)65.0%"
    );
    // Charts: PNG with the SVG original beside it, both in the package.
    let pictures = tree
        .descendants()
        .filter(|n| n.tag_name().name() == "svgBlip")
        .count();
    assert_eq!(pictures, 1 + 8, "the totals chart and one per criterion");
    let mut z = zip::ZipArchive::new(Cursor::new(&docx)).expect("zip");
    let mut png = Vec::new();
    z.by_name("word/media/chart1.png")
        .expect("png")
        .read_to_end(&mut png)
        .expect("read");
    assert!(png.starts_with(b"\x89PNG"));
    assert!(z.by_name("word/media/chart1.svg").is_ok());
    // A landscape section holds the score matrix.
    assert!(doc.contains("w:orient=\"landscape\""));
    let core = zip_part(&docx, "docProps/core.xml");
    assert!(!core.contains("dcterms:created"), "no timestamp: {core}");
}

/// The paragraphs of a Word document with their style ids and text.
fn word_paragraphs(doc: &str) -> Vec<(String, String)> {
    let tree = roxmltree::Document::parse(doc).expect("well-formed");
    let w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
    tree.descendants()
        .filter(|n| n.has_tag_name((w, "p")))
        .map(|p| {
            let style = p
                .descendants()
                .find(|n| n.has_tag_name((w, "pStyle")))
                .and_then(|n| n.attribute((w, "val")))
                .unwrap_or("")
                .to_string();
            let text: String = p
                .descendants()
                .filter(|n| n.has_tag_name((w, "t")))
                .filter_map(|n| n.text())
                .collect();
            (style, text)
        })
        .collect()
}

#[test]
fn docx_has_numbered_captions_navigable_headings_and_page_numbers() {
    let (a, r) = example();
    let docx = bytes(&a, &r, Format::Docx, "all");
    let doc = zip_part(&docx, "word/document.xml");
    let paras = word_paragraphs(&doc);
    let captions: Vec<&str> = paras
        .iter()
        .filter(|(s, _)| s == "Caption")
        .map(|(_, t)| t.as_str())
        .collect();
    assert_eq!(captions[0], "Table 1: Scoring scale");
    assert_eq!(captions[1], "Table 2: Evaluation criteria and weights");
    assert!(
        captions.contains(&"Table 5: Ranking of options"),
        "{captions:?}"
    );
    assert!(
        captions.contains(&"Figure 1: Total score of each option"),
        "{captions:?}"
    );
    // Every caption's number is a SEQ field, so Word renumbers them.
    assert_eq!(doc.matches("SEQ Table").count(), 18);
    assert_eq!(doc.matches("SEQ Figure").count(), 9);
    // Each annex option and each part of the sensitivity section is a Heading 2.
    let h2: Vec<&str> = paras
        .iter()
        .filter(|(s, _)| s == "Heading2")
        .map(|(_, t)| t.as_str())
        .collect();
    assert!(h2.contains(&"Shared Service"), "{h2:?}");
    assert!(h2.contains(&"Weight stability"), "{h2:?}");
    assert_eq!(h2.len(), 8 + 4, "{h2:?}");
    // An annex option's description follows its heading, before its caption.
    let at = paras
        .iter()
        .position(|(s, t)| s == "Heading2" && t == "Shared Service")
        .expect("heading");
    assert_eq!(paras[at + 1].0, "", "the description: {:?}", paras[at + 1]);
    assert!(
        paras[at + 2]
            .1
            .starts_with("Table 18: Annex: Shared Service"),
        "{:?}",
        paras[at + 2]
    );
    // Page numbers in the footer of every section.
    let footer = zip_part(&docx, "word/footer1.xml");
    assert!(
        footer.contains(" PAGE ") && footer.contains(" NUMPAGES "),
        "{footer}"
    );
    assert_eq!(
        doc.matches("<w:footerReference").count(),
        doc.matches("<w:sectPr>").count()
    );
    // Table text and notes are at least 10 pt (20 half-points).
    let styles = zip_part(&docx, "word/styles.xml");
    for id in ["TableText", "TableNote"] {
        let at = styles.find(&format!("w:styleId=\"{id}\"")).expect("style");
        let rest = &styles[at..];
        let sz = rest.find("<w:sz w:val=\"").expect("size") + 13;
        let half_points: u32 = rest[sz..sz + 2].parse().expect("number");
        assert!(half_points >= 20, "{id} is {half_points} half-points");
    }
    // The parts Word expects are there and related.
    let rels = zip_part(&docx, "word/_rels/document.xml.rels");
    assert!(rels.contains("relationships/fontTable") && rels.contains("relationships/theme"));
}

#[test]
fn officers_set_caption_numbers_and_titles() {
    let (a, r) = example();
    let opts = ExportOptions {
        tables: Selection::parse("summary,ranking").expect("selection"),
        captions: vec![
            export::CaptionSetting::parse("summary=5:Summary of options").expect("caption"),
            export::CaptionSetting::parse("chart-totals=3").expect("caption"),
        ],
        ..ExportOptions::default()
    };
    let mut md = Vec::new();
    export(&a, &r, &opts, Format::Markdown, &mut md).expect("export");
    let md = String::from_utf8(md).expect("UTF-8");
    assert!(md.contains("**Table 5: Summary of options**"), "{md}");
    assert!(md.contains("**Table 6: Ranking of options**"), "{md}");
    assert!(md.contains("Figure 3: Total score of each option"), "{md}");
    let mut docx = Vec::new();
    export(&a, &r, &opts, Format::Docx, &mut docx).expect("export");
    let doc = zip_part(&docx, "word/document.xml");
    assert!(
        doc.contains("SEQ Table \\* ARABIC \\r 5 "),
        "the count restarts at 5"
    );
    assert!(
        doc.contains("SEQ Table \\* ARABIC \"><w:r><w:t>6<"),
        "then goes on to 6"
    );
    // A caption for a table that does not exist is refused.
    let bad = ExportOptions {
        captions: vec![export::CaptionSetting::parse("rankings=2").expect("caption")],
        ..opts
    };
    assert!(matches!(
        export(&a, &r, &bad, Format::Markdown, &mut Vec::new()),
        Err(export::ExportError::UnknownTable { .. })
    ));
    for wrong in ["ranking", "=3", "ranking=", "ranking=0"] {
        assert!(export::CaptionSetting::parse(wrong).is_err(), "{wrong}");
    }
}

// ---------------------------------------------------------------- HTML

#[test]
fn html_tables_are_accessible_and_self_contained() {
    let (a, r) = example();
    let html = Html::parse_document(&text(&a, &r, Format::Html, "all"));
    let sel = |s: &str| Selector::parse(s).expect("selector");
    let tables: Vec<_> = html.select(&sel("table")).collect();
    assert_eq!(tables.len(), 6 + 4 + 8);
    for t in &tables {
        let caption = t.select(&sel("caption")).next().expect("caption");
        assert!(!caption.text().collect::<String>().trim().is_empty());
        let heads: Vec<_> = t.select(&sel("thead th")).collect();
        assert!(!heads.is_empty());
        assert!(heads.iter().all(|h| h.value().attr("scope") == Some("col")));
        for row in t.select(&sel("tbody tr")) {
            let row_heads: Vec<_> = row.select(&sel("th")).collect();
            assert_eq!(row_heads.len(), 1, "each body row names itself");
            assert_eq!(row_heads[0].value().attr("scope"), Some("row"));
        }
    }
    let ranking = html
        .select(&sel("table#t-ranking"))
        .next()
        .expect("ranking");
    let rows: Vec<_> = ranking.select(&sel("tbody tr")).collect();
    assert_eq!(rows.len(), 8);
    let cells: Vec<String> = rows[2]
        .select(&sel("th, td"))
        .map(|c| c.text().collect::<String>())
        .collect();
    assert_eq!(
        cells,
        ["2", "Shared Service", "26/40 (published as 24)", "65.0%"]
    );
    assert_eq!(html.select(&sel("script")).count(), 0);
    assert_eq!(html.select(&sel("link, img, iframe, object")).count(), 0);
    assert_eq!(html.select(&sel("figure.chart svg")).count(), 1 + 8);
    let csp = html
        .select(&sel("meta[http-equiv=Content-Security-Policy]"))
        .next()
        .expect("a content security policy");
    assert!(
        csp.value()
            .attr("content")
            .is_some_and(|c| c.starts_with("default-src 'none'"))
    );
}

// ---------------------------------------------------------------- hostile text

const EVIL_SCRIPT: &str = "<script>alert(1)</script>";
const EVIL_LINK: &str = "=HYPERLINK(\"http://x\",\"click\")";

#[test]
fn hostile_markdown_keeps_every_cell_in_place() {
    let (a, r) = hostile();
    let md = text(&a, &r, Format::Markdown, "all");
    assert!(!md.contains("<script"), "raw markup leaked:\n{md}");
    assert!(!md.contains("<img"));
    assert!(md.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    // Every table line has exactly as many unescaped pipes as its header.
    let mut expected = None;
    for line in md.lines() {
        if !line.starts_with('|') {
            expected = None;
            continue;
        }
        let mut pipes = 0;
        let mut escaped = false;
        for c in line.chars() {
            if c == '|' && !escaped {
                pipes += 1;
            }
            escaped = c == '\\' && !escaped;
        }
        match expected {
            None => expected = Some(pipes),
            Some(n) => assert_eq!(pipes, n, "a pipe escaped its cell: {line}"),
        }
    }
    assert!(md.contains("\\- not a list"), "a list was not escaped");
}

#[test]
fn hostile_html_is_inert() {
    let (a, r) = hostile();
    let raw = text(&a, &r, Format::Html, "all");
    let html = Html::parse_document(&raw);
    let sel = |s: &str| Selector::parse(s).expect("selector");
    assert_eq!(html.select(&sel("script")).count(), 0);
    assert_eq!(html.select(&sel("img, a, iframe, object")).count(), 0);
    for el in html
        .root_element()
        .descendants()
        .filter_map(scraper::ElementRef::wrap)
    {
        for (name, _) in el.value().attrs() {
            assert!(!name.starts_with("on"), "event handler attribute {name}");
        }
    }
    let title = html.select(&sel("h1")).next().expect("h1");
    assert!(title.text().collect::<String>().contains(EVIL_SCRIPT));
    // The closing-tag note stays inside its cell.
    let annex = html
        .select(&sel("table#t-annex-o1"))
        .next()
        .expect("annex table");
    assert_eq!(annex.select(&sel("tbody tr")).count(), 3);
    let cell = annex
        .select(&sel("tbody tr td"))
        .find(|c| c.text().collect::<String>().contains("alert(2)"))
        .expect("the note");
    assert_eq!(
        cell.text().collect::<String>(),
        "</td></tr></table><script>alert(2)</script>"
    );
    // Emoji and quotes survive.
    assert!(raw.contains("🙂") && raw.contains("&quot;double&quot;"));
}

#[test]
fn hostile_csv_neutralises_formulas_but_keeps_numbers() {
    let (a, r) = hostile();
    let mut seen_negative = false;
    for f in files(&a, &r, Format::Csv) {
        let mut rdr = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(f.bytes.as_slice());
        for rec in rdr.records() {
            let rec = rec.expect("valid CSV");
            for field in rec.iter() {
                if field.parse::<f64>().is_ok() {
                    seen_negative |= field.starts_with('-');
                    continue;
                }
                assert!(
                    !field.starts_with(['=', '+', '-', '@', '\t', '\r']),
                    "{}: formula-like field {field:?}",
                    f.name
                );
            }
        }
    }
    assert!(seen_negative, "negative scores stay plain numbers");
    let matrix = files(&a, &r, Format::Csv)
        .into_iter()
        .find(|f| f.name == "matrix.csv")
        .expect("matrix.csv");
    let s = String::from_utf8(matrix.bytes).expect("UTF-8");
    assert!(
        s.contains("\"'=HYPERLINK(\"\"http://x\"\",\"\"click\"\") (-2 to 2)\""),
        "{s}"
    );
    assert!(s.contains(",-2,1,-3,"), "{s}");
}

#[test]
fn hostile_xlsx_stores_text_as_text() {
    let (a, r) = hostile();
    let xlsx = bytes(&a, &r, Format::Xlsx, "all");
    let mut wb = workbook(xlsx.clone());
    for name in wb.sheet_names() {
        let formulas = wb.worksheet_formula(&name).expect("formulas");
        for f in formulas.used_cells().map(|(_, _, f)| f) {
            if f.is_empty() {
                continue;
            }
            // Only the workbook's own formulas: totals, ranks, references to
            // the matrix, and labels that name the highest possible total.
            assert!(
                ["SUMPRODUCT(", "RANK(", "IF(", "SUM(", "'Matrix'!", "\""]
                    .iter()
                    .any(|p| f.starts_with(p)),
                "{name}: unexpected formula {f}"
            );
            // No text from the appraisal ever becomes part of a formula.
            for evil in ["HYPERLINK", "alert", "cmd", "SUM(A1)", "script"] {
                assert!(!f.contains(evil), "{name}: {f}");
            }
        }
    }
    let matrix = wb.worksheet_range("Matrix").expect("Matrix");
    assert_eq!(
        matrix.get_value((2, 2)),
        Some(&Data::String(EVIL_LINK.into()))
    );
    // The negative score is a number; the hostile total formula still computes -3.
    assert_eq!(matrix.get_value((5, 2)), Some(&Data::Float(-2.0)));
    assert_eq!(matrix.get_value((5, 4)), Some(&Data::Float(-3.0)));
    // Formula-like text carries Excel's quote prefix, so editing cannot run it.
    let styles = zip_part(&xlsx, "xl/styles.xml");
    assert!(styles.contains("quotePrefix=\"1\""), "{styles}");
    let strings = zip_part(&xlsx, "xl/sharedStrings.xml");
    assert!(strings.contains("&lt;script&gt;"));
    assert!(!strings.contains("<script"));
}

#[test]
fn hostile_docx_is_well_formed_and_escaped() {
    let (a, r) = hostile();
    let docx = bytes(&a, &r, Format::Docx, "all");
    let doc = zip_part(&docx, "word/document.xml");
    let tree = roxmltree::Document::parse(&doc).expect("well-formed document.xml");
    assert!(!doc.contains("<script"));
    let all_text: String = tree
        .descendants()
        .filter(|n| n.tag_name().name() == "t")
        .filter_map(|n| n.text())
        .collect();
    assert!(all_text.contains(EVIL_SCRIPT));
    assert!(all_text.contains(EVIL_LINK));
    assert!(all_text.contains("🙂"));
    for part in ["docProps/core.xml", "word/_rels/document.xml.rels"] {
        roxmltree::Document::parse(&zip_part(&docx, part)).expect("well-formed part");
    }
    let svg = zip_part(&docx, "word/media/chart1.svg");
    roxmltree::Document::parse(&svg).expect("well-formed SVG");
    assert!(!svg.contains("<script"));
}

#[test]
fn hostile_json_and_svg_round_trip_the_text() {
    let (a, r) = hostile();
    let json: serde_json::Value =
        serde_json::from_str(&text(&a, &r, Format::Json, "all")).expect("valid JSON");
    assert_eq!(json["options"][0]["name"], EVIL_SCRIPT);
    assert_eq!(json["criteria"][0]["name"], EVIL_LINK);
    assert_eq!(json["options"][0]["scores"][0]["score"], -2.0);
    for f in files(&a, &r, Format::Svg) {
        let s = String::from_utf8(f.bytes).expect("UTF-8");
        let tree = roxmltree::Document::parse(&s).expect("well-formed SVG");
        assert!(!s.contains("<script"), "{}", f.name);
        assert!(
            tree.descendants().all(|n| n
                .attributes()
                .all(|at| !at.name().starts_with("on") && at.name() != "href")),
            "{}",
            f.name
        );
        let texts: String = tree
            .descendants()
            .filter(|n| n.has_tag_name("text") || n.has_tag_name("title"))
            .flat_map(|n| n.descendants().filter_map(|d| d.text()))
            .collect();
        assert!(texts.contains(EVIL_SCRIPT), "{}: {texts}", f.name);
    }
}

// ---------------------------------------------------------------- determinism

#[test]
fn every_format_is_byte_for_byte_repeatable() {
    for (a, r) in [example(), hostile()] {
        for format in Format::ALL {
            let first =
                export_files(&a, &r, &ExportOptions::default(), format, "x").expect("export");
            let second =
                export_files(&a, &r, &ExportOptions::default(), format, "x").expect("export");
            assert_eq!(first, second, "{format} differs between runs");
        }
    }
}

#[test]
fn every_selection_exports_in_every_format_without_failing() {
    let (a, r) = example();
    for g in TableName::ALL {
        for format in Format::ALL {
            let opts = ExportOptions {
                tables: Selection::groups(&[g]),
                ..ExportOptions::default()
            };
            let result = export_files(&a, &r, &opts, format, "x");
            match (format, g) {
                // SVG has nothing to draw for the groups without charts.
                (
                    Format::Svg | Format::Png,
                    TableName::Criteria
                    | TableName::Options
                    | TableName::Summary
                    | TableName::Matrix
                    | TableName::Annex,
                ) => assert!(
                    matches!(result, Err(export::ExportError::NothingToWrite { .. })),
                    "{format} {g}"
                ),
                _ => assert!(result.is_ok(), "{format} {g}: {:?}", result.err()),
            }
        }
    }
}

// ---------------------------------------------------------------- OOXML validity

/// Every Word and Excel file these tests make, for the validator: the example
/// and the hostile appraisal, whole and by group, and with Monte Carlo.
fn office_files() -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut selections: Vec<String> = vec!["all".into(), "annex-shared-service".into()];
    selections.extend(TableName::ALL.iter().map(|g| g.as_str().to_string()));
    for (label, (a, r)) in [("example", example()), ("hostile", hostile())] {
        for sel in &selections {
            let Ok(tables) = Selection::parse(sel) else {
                continue;
            };
            let opts = ExportOptions {
                tables,
                ..ExportOptions::default()
            };
            for format in [Format::Docx, Format::Xlsx] {
                let mut bytes = Vec::new();
                if export(&a, &r, &opts, format, &mut bytes).is_ok() {
                    out.push((format!("{label}-{sel}.{format}"), bytes));
                }
            }
        }
    }
    let (a, r) = example();
    let opts = ExportOptions {
        samples: Some(2_000),
        ..ExportOptions::default()
    };
    for format in [Format::Docx, Format::Xlsx] {
        let mut bytes = Vec::new();
        export(&a, &r, &opts, format, &mut bytes).expect("export");
        out.push((format!("example-monte-carlo.{format}"), bytes));
    }
    out
}

#[test]
fn every_word_and_excel_file_passes_an_independent_ooxml_validator() {
    let files = office_files();
    assert!(files.len() >= 30, "{}", files.len());
    common::ooxml::validate(
        "every_word_and_excel_file_passes_an_independent_ooxml_validator",
        &files,
    );
}

// ---------------------------------------------------------------- characters XML forbids

/// Every part of a zip package, by name.
fn zip_parts(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut z = zip::ZipArchive::new(Cursor::new(bytes)).expect("a zip archive");
    (0..z.len())
        .map(|i| {
            let mut f = z.by_index(i).expect("entry");
            let mut b = Vec::new();
            f.read_to_end(&mut b).expect("read");
            (f.name().expect("entry name").to_string(), b)
        })
        .collect()
}

#[test]
fn characters_xml_forbids_never_reach_an_xml_part() {
    let a = load_path(std::path::Path::new(
        "tests/fixtures/export/xml-invalid.toml",
    ))
    .expect("fixture loads")
    .appraisal;
    let r = compute(&a);
    let mut office = Vec::new();
    for format in [Format::Docx, Format::Xlsx] {
        let b = bytes(&a, &r, format, "all");
        for (name, part) in zip_parts(&b) {
            if name.ends_with(".xml") || name.ends_with(".rels") || name.ends_with(".svg") {
                let text = String::from_utf8(part).expect("UTF-8 part");
                assert!(
                    !text.contains(['\u{FFFE}', '\u{FFFF}']),
                    "{format} {name} holds a character XML forbids"
                );
                roxmltree::Document::parse(&text)
                    .unwrap_or_else(|e| panic!("{format} {name} is not well-formed: {e}"));
            }
        }
        office.push((format!("xml-invalid.{format}"), b));
    }
    let wb = workbook(office[1].1.clone());
    assert!(
        wb.sheet_names().iter().any(|n| n == "Annex - Option"),
        "{:?}",
        wb.sheet_names()
    );
    for format in [Format::Html, Format::Markdown, Format::Json] {
        let t = text(&a, &r, format, "all");
        if format != Format::Json {
            assert!(!t.contains(['\u{FFFE}', '\u{FFFF}']), "{format}");
        }
    }
    for f in files(&a, &r, Format::Svg) {
        let s = String::from_utf8(f.bytes).expect("UTF-8");
        roxmltree::Document::parse(&s).expect("well-formed SVG");
    }
    common::ooxml::validate("characters_xml_forbids_never_reach_an_xml_part", &office);
}

// ---------------------------------------------------------------- CSV units

#[test]
fn csv_headers_name_each_column_s_real_unit() {
    let (a, r) = example();
    let annex = text(&a, &r, Format::Csv, "annex-shared-service");
    let mut lines = annex.lines();
    assert_eq!(
        lines.next(),
        Some("\u{feff}\"Criterion\",\"Evaluation\",\"Score (0 to 5)\",\"Remarks\"")
    );
    assert!(
        annex.contains("\r\n\"TOTAL (out of 40)\",\"\",26,"),
        "{annex}"
    );
    // Unequal weights: the weighted score is not out of the total's maximum.
    let mut weighted = a.clone();
    weighted.set_weight(0, 3.0).expect("weight");
    let wr = compute(&weighted);
    let annex = text(&weighted, &wr, Format::Csv, "annex-shared-service");
    let header = annex.lines().next().expect("header");
    assert_eq!(
        header,
        "\u{feff}\"Criterion\",\"Evaluation\",\"Weight\",\"Score (0 to 5)\",\"Weighted score (weight × score)\",\"Remarks\""
    );
    assert!(annex.contains("\"TOTAL (out of 50)\""), "{annex}");
    assert!(
        !annex.contains("out of 25") && !header.contains("out of"),
        "{annex}"
    );
    // A column that is all "T/max" still names its maximum.
    let ranking = text(&a, &r, Format::Csv, "ranking");
    assert!(
        ranking.starts_with(
            "\u{feff}\"Rank\",\"Option\",\"Total (out of 40)\",\"Percent\",\"Remarks\"\r\n"
        ),
        "{ranking}"
    );
}

// ---------------------------------------------------------------- charts

#[test]
fn charts_read_well_and_say_their_values() {
    let (a, r) = example();
    let svg = text(&a, &r, Format::Svg, "chart-weight-partnerships").replace("&#39;", "'");
    assert!(
        svg.contains("Partnerships' share of the total weight"),
        "{svg}"
    );
    assert!(!svg.contains("s's share"), "{svg}");
    // Screen readers hear the description: it holds the figures.
    let tree = roxmltree::Document::parse(&svg).expect("SVG");
    let desc = tree
        .descendants()
        .find(|n| n.has_tag_name("desc"))
        .and_then(|n| n.text())
        .expect("a description");
    assert!(desc.contains("Peer Practice Partner 33"), "{desc}");
    let totals = text(&a, &r, Format::Svg, "chart-totals");
    let tree = roxmltree::Document::parse(&totals).expect("SVG");
    let desc = tree
        .descendants()
        .find(|n| n.has_tag_name("desc"))
        .and_then(|n| n.text())
        .expect("a description");
    assert!(
        desc.contains("Shared Service 26/40 (published as 24)"),
        "{desc}"
    );
    // The published figure is drawn on the chart too.
    assert!(
        totals.contains(">26/40 (published as 24)</text>"),
        "{totals}"
    );
    // Every chart comes as a PNG picture as well.
    let pngs = files(&a, &r, Format::Png);
    assert_eq!(pngs.len(), 1 + 8);
    assert!(
        pngs.iter()
            .all(|f| f.bytes.starts_with(b"\x89PNG") && f.name.ends_with(".png"))
    );
    assert!(pngs.iter().any(|f| f.name == "chart-totals.png"));
}

/// Charts in the Word document are laid out for the page: fitted to its text
/// width, their 12-pixel labels print at 10 pt or more (clear-print guidance),
/// not the 7.6 pt the web page's 760-pixel layout would give.
#[test]
fn word_charts_print_their_labels_at_ten_points_or_more() {
    let (a, r) = example();
    let docx = bytes(&a, &r, Format::Docx, "all");
    let doc = zip_part(&docx, "word/document.xml");
    let widths: Vec<f64> = doc
        .match_indices("<wp:extent cx=\"")
        .map(|(i, m)| {
            let rest = &doc[i + m.len()..];
            rest[..rest.find('"').unwrap()].parse::<f64>().unwrap()
        })
        .collect();
    assert_eq!(widths.len(), 9, "the totals chart and one per criterion");
    for (i, cx) in widths.iter().enumerate() {
        let svg = zip_part(&docx, &format!("word/media/chart{}.svg", i + 1));
        let at = svg.find(" width=\"").unwrap() + 8;
        let px: f64 = svg[at..at + svg[at..].find('"').unwrap()].parse().unwrap();
        assert!(svg.contains("font-size=\"12\""), "labels are 12 px");
        // EMU to points: 914,400 per inch, 72 points per inch.
        let pt_per_px = cx / 914_400.0 * 72.0 / px;
        assert!(
            12.0 * pt_per_px >= 10.0,
            "chart {}: {:.1} pt",
            i + 1,
            12.0 * pt_per_px
        );
    }
}
