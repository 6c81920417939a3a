//! Version-2 appraisals in every report table, through every writer: the
//! documentation's commented example (`tests/fixtures/v2/waste-contract.toml`:
//! nested groups, own scales, two measured criteria, screening, a baseline,
//! evidence, option groups, a published subtotal) and the second bundled
//! example (groups, a measured criterion, screening, references, evidence).
//!
//! Expected figures are worked out by hand from docs/format.md ("Checking
//! the example by hand") and from the source's Table 10, not read back from
//! the program.

use std::io::{Cursor, Read};

use appraise::compute::{Results, compute};
use appraise::export::{ExportOptions, Format, Selection, export};
use appraise::load::load_path;
use appraise::model::Appraisal;
use appraise::report::{TextStyle, summary_report};
use assert_cmd::Command;

mod common;

const WASTE: &str = "tests/fixtures/v2/waste-contract.toml";
const UPRATING: &str = "appraisals/social-security-uprating-2024.toml";

fn load(file: &str) -> (Appraisal, Results) {
    let a = load_path(std::path::Path::new(file))
        .expect("the file loads")
        .appraisal;
    let r = compute(&a);
    (a, r)
}

fn bytes(file: &str, format: Format, tables: &str) -> Vec<u8> {
    let (a, r) = load(file);
    let opts = ExportOptions {
        tables: Selection::parse(tables).expect("selection"),
        ..ExportOptions::default()
    };
    let mut out = Vec::new();
    export(&a, &r, &opts, format, &mut out).expect("export succeeds");
    out
}

fn text(file: &str, format: Format, tables: &str) -> String {
    String::from_utf8(bytes(file, format, tables)).expect("UTF-8")
}

fn run(args: &[&str]) -> String {
    let out = Command::cargo_bin("appraise")
        .expect("binary")
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8")
}

fn has_line(out: &str, line: &str) {
    assert!(out.lines().any(|l| l == line), "no line\n{line}\nin\n{out}");
}

fn zip_part(docx: &[u8], name: &str) -> String {
    let mut z = zip::ZipArchive::new(Cursor::new(docx)).expect("a zip archive");
    let mut part = z.by_name(name).expect("part present");
    let mut s = String::new();
    part.read_to_string(&mut s).expect("UTF-8 part");
    s
}

/// The text of a Word document's paragraphs and cells, runs joined.
fn docx_text(docx: &[u8]) -> String {
    let xml = zip_part(docx, "word/document.xml");
    let doc = roxmltree::Document::parse(&xml).expect("well-formed document.xml");
    let mut out = String::new();
    for n in doc.descendants() {
        match n.tag_name().name() {
            "t" => out.push_str(n.text().unwrap_or("")),
            "br" => out.push('\n'),
            "p" => out.push('\n'),
            _ => {}
        }
    }
    out
}

// ------------------------------------------------------------ terminal

#[test]
fn report_shows_groups_scales_measures_long_list_and_baseline() {
    let out = run(&["report", WASTE]);
    // The effective weight of the method statement: 60 x 50/100 x 60/100 = 18.
    has_line(
        &out,
        "│ C1 ┆ Method statement  ┆ Service delivery          ┆     60 ┆          60.0% ┆         30.0% ┆               18 ┆                 18.0% ┆ 0 to 5           │",
    );
    has_line(
        &out,
        "│ C2 ┆ Mobilisation time ┆ Service delivery          ┆     40 ┆          40.0% ┆         30.0% ┆               12 ┆                 12.0% ┆ 0 to 5, measured │",
    );
    // Each distinct scale, with the criteria scored on it.
    has_line(&out, "Scoring scale 1 to 3: Staffing plan");
    // Bidder B by hand: Quality 14.4 + 7.2 + 30 = 51.6, Price 40, total 91.6;
    // the published Quality subtotal of 43 is marked.
    has_line(
        &out,
        "│    1 ┆ B. Bidder B             ┆ 51.6 (published as 43) ┆            40 ┆ 91.6/100 ┆   91.6% │",
    );
    // Bidder C failed screening: in the long list, never ranked.
    has_line(
        &out,
        "│ C. Bidder C             ┆ Fail                            ┆ Screened out ┆ Licence lapsed in 2025 and has not been renewed │",
    );
    assert!(
        !out.lines()
            .any(|l| l.contains("┆ C. Bidder C") && l.contains("/100"))
    );
    // Against the baseline (the in-house bid, 37.8 + 32 = 69.8).
    has_line(
        &out,
        "│ B. Bidder B                        ┆ 91.6/100 ┆                    +21.8 ┆                 +13.8 ┆                  +8 │",
    );
}

#[test]
fn report_of_the_second_example_gives_real_shares_and_the_long_list() {
    let out = run(&["report", UPRATING]);
    // The Annex A figure weighs nothing: its share is 0, not a fifth or a quarter.
    assert!(out.contains("┆ Outcomes for clients (Annex A, not weighted) ┆      1 ┆         100.0% ┆          0.0% ┆                0 ┆                  0.0% ┆ 1 to 5, measured │"), "{out}");
    has_line(
        &out,
        "│    1 ┆ A. September CPI                              ┆                                 18 ┆ 18/20 ┆   87.5% │",
    );
    assert!(out.contains("│ RPI (any reference period)                    ┆ Fail "));
    assert!(!out.lines().any(|l| l.contains("RPI") && l.contains("/20")));
}

#[test]
fn rank_leaves_screened_out_options_unranked() {
    let out = run(&["rank", WASTE]);
    assert!(out.contains("B. Bidder B"), "{out}");
    assert!(!out.contains("Bidder C"), "{out}");
    assert!(
        !out.lines().any(|l| l.contains("│    0 ┆")),
        "no rank 0: {out}"
    );
    let out = run(&["rank", UPRATING]);
    assert!(!out.contains("RPI"), "{out}");
    // The eight shortlisted options, by reference.
    for r in ["A", "B", "C", "D", "E", "F", "G", "H"] {
        assert!(out.contains(&format!("┆ {r}. ")), "{r} in {out}");
    }
}

#[test]
fn the_terminal_report_fits_80_columns() {
    for file in [WASTE, UPRATING] {
        let (a, r) = load(file);
        let style = TextStyle {
            width: Some(80),
            color: false,
        };
        let out = appraise::terminal::report_text(&summary_report(&a, &r), style);
        // A word longer than the width (the source's web address) stands
        // on a line of its own; nothing else may pass 80 columns.
        for line in out.lines() {
            assert!(
                line.chars().count() <= 80 || !line.contains(' '),
                "{file}: {} characters:\n{line}",
                line.chars().count()
            );
        }
        insta::assert_snapshot!(
            format!(
                "v2_report_80_{}",
                if file == WASTE { "waste" } else { "uprating" }
            ),
            out
        );
    }
}

// ------------------------------------------------------------ markdown

#[test]
fn markdown_has_heading_rows_evidence_and_the_long_list() {
    let md = text(UPRATING, Format::Markdown, "all");
    // Table 4: the group once, as a heading row with its description.
    assert!(
        md.contains("| **CPI** | **Consumer Prices Index: a National Statistic"),
        "{md}"
    );
    assert_eq!(md.matches("| **CPI** |").count(), 1);
    has_line(
        &md,
        "| A. September CPI | Uprate by CPI for the twelve months to September 2023: 6.7%, so each £1 becomes about £1.07 (Annex A). |",
    );
    // The annex's evidence, for (+) and against (–).
    assert!(md.contains("+ An established headline measure with a long record as a National Statistic<br>+ A rate already measured, not a forecast"), "{md}");
    assert!(md.contains("– Leaves out owner occupiers' housing costs"));
    // The long list with its reason.
    assert!(md.contains("| RPI (any reference period) | Fail | Screened out | Lost its National Statistic status in 2013"));
    // The measured value beside its derived score, with how it was derived.
    assert!(md.contains("| 0.9%: linear from the options' worst, -2.2% (scores 1), to the options' best, 2.3% (scores 5) |"), "{md}");
    has_line(
        &md,
        "Note: Change in real value, April 2020 to April 2024 is measured in % (higher is better); its score comes from a straight line from the shortlist's worst value, -2.2% (scores 1), to its best, 2.3% (scores 5).",
    );
    // The published rank is reconciled.
    assert!(md.contains(
        "Figures the source published that these results reproduce: A. September CPI: rank 1."
    ));
    insta::assert_snapshot!("v2_uprating_md", md);
}

#[test]
fn markdown_of_the_format_example() {
    let md = text(WASTE, Format::Markdown, "all");
    assert!(md.contains("For example, Method statement has 60.0% of Service delivery, which has 30.0% of the total weight: 60.0% × 30.0% = 18.0%, an effective weight of 18 of 100."), "{md}");
    // The annex: the staffing score of 2 on 1 to 3 is halfway, 0.5 of the
    // 0-1 basis, times 30 = 15.
    has_line(
        &md,
        "| Staffing plan |  |  | 1 to 3 | 30 | 2.0 | 0.5 | 15.0 |",
    );
    has_line(
        &md,
        "| Whole-life cost |  | £10m: relative to the best, £8m: 1 × 8 ÷ 10 | 0 to 1 | 40 | 0.8 | 0.8 | 32.0 |",
    );
    has_line(
        &md,
        "Note: Mobilisation time is measured in months (lower is better); its score comes from bands, the first that holds: up to 3 months scores 5; up to 6 months scores 3; any other value scores 0.",
    );
    has_line(
        &md,
        "Note: Whole-life cost is measured in £m (lower is better); its score comes from its value relative to the best: 1 × the lowest value on the shortlist (£8m) ÷ this value.",
    );
    // Bidder C failed screening: its annex says so, and it is not ranked.
    assert!(md.contains("| **TOTAL** |  |  |  |  |  |  | **58/100 (screened out, not ranked)** |"));
    has_line(
        &md,
        "Note: Not ranked, as screened out: C. Bidder C (the long list gives the reasons).",
    );
    has_line(
        &md,
        "| **Subtotal: Quality** |  |  |  |  |  |  | **37.8/60** |",
    );
    assert!(md.contains("| Method statement | + Existing depot and fleet<br>– Ageing vehicles |"));
    insta::assert_snapshot!("v2_waste_md", md);
}

// ------------------------------------------------------------ html

#[test]
fn html_marks_heading_rows_as_row_groups() {
    let html = text(UPRATING, Format::Html, "options,long-list");
    assert!(html.contains("<tr class=\"heading\" style=\"font-weight:bold;background:#deeaf6\"><th scope=\"rowgroup\">CPIH</th>"), "{html}");
    assert!(html.contains("Long list: screening of options</caption>"));
    let html = text(WASTE, Format::Html, "ranking,baseline");
    assert!(
        html.contains("<th scope=\"col\" class=\"num\">Quality (of 60)</th>"),
        "{html}"
    );
    assert!(html.contains("51.6 <span class=\"remark\">(published as 43)</span>"));
    assert!(html.contains("Options against the baseline"));
}

#[test]
fn html_gives_the_evidence_for_and_against_as_a_list_after_the_note() {
    let html = text(UPRATING, Format::Html, "annex");
    assert!(
        html.contains("<ul class=\"evidence\" style=\"list-style:none;padding-left:0\"><li>+ An established headline measure with a long record as a National Statistic</li><li>+ A rate already measured, not a forecast</li>"),
        "{html}"
    );
    assert!(
        html.contains("<li>– Leaves out owner occupiers&#39; housing costs such as council tax"),
        "{html}"
    );
    // A point is one list item, not a line broken inside a paragraph.
    assert!(!html.contains("<br>\n+ "), "{html}");
}

// ------------------------------------------------------------ csv

#[test]
fn csv_ranking_and_long_list() {
    let csv = text(WASTE, Format::Csv, "ranking");
    let lines: Vec<&str> = csv.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(
        lines[0],
        "\"Rank\",\"Option\",\"Quality (of 60)\",\"Price (of 40)\",\"Total (out of 100)\",\"Percent\",\"Remarks\""
    );
    assert_eq!(
        lines[1],
        "1,\"B. Bidder B\",51.6,40,91.6,91.6,\"Quality: published as 43\""
    );
    assert_eq!(lines.len(), 3, "{csv}");
    let csv = text(UPRATING, Format::Csv, "long-list");
    assert!(csv.contains("\"RPI (any reference period)\",\"Fail\",\"Screened out\",\"Lost its National Statistic status"), "{csv}");
    let csv = text(WASTE, Format::Csv, "baseline");
    assert!(csv.contains("\"B. Bidder B\",91.6,21.8,13.8,8"), "{csv}");
}

// ------------------------------------------------------------ json

#[test]
fn json_export_carries_the_version_2_parts() {
    let doc: serde_json::Value =
        serde_json::from_slice(&bytes(WASTE, Format::Json, "all")).expect("JSON");
    assert_eq!(doc["version"], 2);
    assert_eq!(doc["long_list"][0]["id"], "bidder-c");
    let method = &doc["criteria"][0];
    assert_eq!(method["share"], 0.18);
    assert_eq!(method["version_2"]["effective_weight"], 18.0);
    let first = &doc["results"]["ranking"][0];
    assert_eq!(first["ref"], "B");
    assert_eq!(first["subtotals"][0]["subtotal"], 51.6);
    assert_eq!(
        first["measured"][1]["derivation"],
        "£8m: relative to the best, £8m: 1 × 8 ÷ 8"
    );
    assert_eq!(doc["results"]["ranking"].as_array().map(Vec::len), Some(2));
    let evidence = &doc["options"][0]["scores"][0]["evidence"];
    assert_eq!(evidence["for"][0], "Existing depot and fleet");
    assert_eq!(evidence["against"][0], "Ageing vehicles");
    let doc: serde_json::Value =
        serde_json::from_slice(&bytes(UPRATING, Format::Json, "all")).expect("JSON");
    // The Annex A criterion weighs nothing.
    assert_eq!(doc["criteria"][4]["share"], 0.0);
}

// ------------------------------------------------------------ docx

#[test]
fn docx_shows_every_version_2_table_and_passes_the_validator() {
    let mut files = Vec::new();
    for (name, file) in [("waste.docx", WASTE), ("uprating.docx", UPRATING)] {
        let docx = bytes(file, Format::Docx, "all");
        let t = docx_text(&docx);
        for want in [
            "Long list: screening of options",
            "Criteria groups and weights",
            "Effective weight",
        ] {
            assert!(t.contains(want), "{name}: {want}");
        }
        files.push((name.to_string(), docx));
    }
    let t = docx_text(&files[1].1);
    assert!(t.contains("A. September CPI"));
    assert!(t.contains("+ A rate already measured, not a forecast"));
    assert!(t.contains("Annex: A. September CPI"));
    let t = docx_text(&files[0].1);
    assert!(t.contains("Options against the baseline"));
    assert!(t.contains("£10m: relative to the best, £8m: 1 × 8 ÷ 10"));
    common::ooxml::validate(
        "docx_shows_every_version_2_table_and_passes_the_validator",
        &files,
    );
}
