//! The workbook is live: a score and a weight changed on the Matrix sheet,
//! then recalculated by a real spreadsheet engine (LibreOffice, headless),
//! give on every sheet exactly what a fresh export of the changed appraisal
//! gives. Also: each score and weight is entered in one cell only, and the
//! score cells refuse entries off the scale.

use std::collections::BTreeMap;
use std::io::{Cursor, Read, Write};
use std::process::Command;

use appraise::compute::compute;
use appraise::export::{ExportOptions, Format, export};
use appraise::load::load_example;
use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};

mod common;

fn xlsx(a: &appraise::model::Appraisal) -> Vec<u8> {
    let r = compute(a);
    let mut out = Vec::new();
    export(a, &r, &ExportOptions::default(), Format::Xlsx, &mut out).expect("export");
    out
}

fn open(bytes: &[u8]) -> Xlsx<Cursor<Vec<u8>>> {
    open_workbook_from_rs(Cursor::new(bytes.to_vec())).expect("a workbook")
}

/// The package with one part's text changed by `edit`.
fn edit_part(bytes: &[u8], part: &str, edit: impl FnOnce(String) -> String) -> Vec<u8> {
    let mut z = zip::ZipArchive::new(Cursor::new(bytes)).expect("zip");
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let mut edit = Some(edit);
    for i in 0..z.len() {
        let mut f = z.by_index(i).expect("entry");
        let name = f.name().expect("name").to_string();
        let mut data = Vec::new();
        f.read_to_end(&mut data).expect("read");
        if name == part
            && let Some(e) = edit.take()
        {
            data = e(String::from_utf8(data).expect("UTF-8")).into_bytes();
        }
        out.start_file(name, zip::write::SimpleFileOptions::default())
            .expect("start");
        out.write_all(&data).expect("write");
    }
    assert!(edit.is_none(), "{part} is in the package");
    out.finish().expect("finish").into_inner()
}

/// Sets the number in cell `at` (such as `C5`) of a worksheet's XML.
fn set_number(sheet: String, at: &str, value: f64) -> String {
    let start = sheet
        .find(&format!("<c r=\"{at}\""))
        .unwrap_or_else(|| panic!("cell {at}"));
    let v = start + sheet[start..].find("<v>").expect("a value") + 3;
    let end = v + sheet[v..].find("</v>").expect("value end");
    format!("{}{value}{}", &sheet[..v], &sheet[end..])
}

/// Recalculates the workbook in LibreOffice, with recalculation on load
/// forced (its default keeps the cached results), and returns the result.
fn recalculate(test: &str, bytes: &[u8]) -> Option<Vec<u8>> {
    let soffice = common::tools::find(test, "soffice", "SOFFICE")?;
    let dir = tempfile::tempdir().expect("temp dir");
    let profile = dir.path().join("profile/user");
    std::fs::create_dir_all(&profile).expect("profile");
    std::fs::write(
        profile.join("registrymodifications.xcu"),
        r#"<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"#,
    )
    .expect("settings");
    let input = dir.path().join("in/edited.xlsx");
    std::fs::create_dir_all(input.parent().expect("parent")).expect("in");
    std::fs::write(&input, bytes).expect("input");
    let out = dir.path().join("out");
    let status = Command::new(soffice)
        .arg(format!(
            "-env:UserInstallation=file://{}",
            dir.path().join("profile").display()
        ))
        .args([
            "--headless",
            "--norestore",
            "--convert-to",
            "xlsx",
            "--outdir",
        ])
        .arg(&out)
        .arg(&input)
        .output()
        .expect("LibreOffice runs");
    let result = out.join("edited.xlsx");
    assert!(
        result.exists(),
        "LibreOffice wrote nothing: {}",
        String::from_utf8_lossy(&status.stderr)
    );
    Some(std::fs::read(result).expect("result"))
}

/// A sheet's cells as text (numbers rounded to 9 decimals), by position.
fn cells(wb: &mut Xlsx<Cursor<Vec<u8>>>, sheet: &str) -> BTreeMap<(u32, u32), String> {
    let range = wb.worksheet_range(sheet).expect("sheet");
    let (r0, c0) = range.start().unwrap_or((0, 0));
    range
        .used_cells()
        .map(|(r, c, d)| {
            let v = match d {
                Data::Float(f) => format!("{:.9}", f),
                Data::Int(i) => format!("{:.9}", *i as f64),
                Data::String(s) => s.clone(),
                Data::Empty => String::new(),
                other => other.to_string(),
            };
            ((r0 + r as u32, c0 + c as u32), v)
        })
        .filter(|(_, v)| !v.is_empty())
        .collect()
}

/// Rows keyed by the text in `key_col`, for sheets whose row order follows the ranking.
fn rows_by(
    cells: &BTreeMap<(u32, u32), String>,
    key_col: u32,
    from: u32,
) -> BTreeMap<String, Vec<String>> {
    let mut rows: BTreeMap<u32, Vec<(u32, String)>> = BTreeMap::new();
    for (&(r, c), v) in cells.iter().filter(|((r, _), _)| *r >= from) {
        rows.entry(r).or_default().push((c, v.clone()));
    }
    rows.into_values()
        .filter_map(|row| {
            let key = row.iter().find(|(c, _)| *c == key_col)?.1.clone();
            Some((
                key,
                row.into_iter()
                    .filter(|(c, _)| *c != key_col)
                    .map(|(_, v)| v)
                    .collect(),
            ))
        })
        .collect()
}

/// An annex sheet's scores by criterion, and its total.
fn annex_figures(c: &BTreeMap<(u32, u32), String>) -> BTreeMap<String, String> {
    let score_col = c
        .iter()
        .find(|((r, _), v)| *r == 2 && v.starts_with("Score"))
        .map(|((_, col), _)| *col)
        .expect("a Score column");
    let mut out = BTreeMap::new();
    for (&(r, col), v) in c.iter().filter(|((r, col), _)| *r > 2 && *col == 0) {
        let _ = col;
        let figure = if v.starts_with("TOTAL") {
            c.range((r, 1)..(r + 1, 0))
                .rfind(|(_, x)| x.parse::<f64>().is_ok())
                .map(|(_, x)| x.clone())
        } else {
            c.get(&(r, score_col)).cloned()
        };
        out.insert(v.clone(), figure.unwrap_or_default());
    }
    out
}

/// Sheets that show the analysis as exported rather than following edits.
const SNAPSHOT_SHEETS: [&str; 4] = [
    "Findings",
    "Weight stability",
    "Score robustness",
    "Leave one out",
];

#[test]
fn a_changed_score_and_weight_flow_through_every_sheet() {
    let test = "a_changed_score_and_weight_flow_through_every_sheet";
    let a = load_example().expect("example").appraisal;
    let before = xlsx(&a);
    let mut wb = open(&before);
    let names = wb.sheet_names();
    let matrix_index = names
        .iter()
        .position(|n| n == "Matrix")
        .expect("a Matrix sheet");
    let matrix = cells(&mut wb, "Matrix");
    // Shared Service's row on the Matrix sheet, and Child focused's column (C).
    let shared = a.option_index("shared-service").expect("option");
    let row = matrix
        .iter()
        .find(|(_, v)| *v == "Shared Service")
        .map(|((r, _), _)| r + 1)
        .expect("Shared Service row");
    let weight_row = matrix
        .iter()
        .find(|(_, v)| *v == "Weight")
        .map(|((r, _), _)| r + 1)
        .expect("weight row");
    let part = format!("xl/worksheets/sheet{}.xml", matrix_index + 1);
    let edited = edit_part(&before, &part, |s| {
        let s = set_number(s, &format!("C{row}"), 1.0);
        set_number(s, &format!("D{weight_row}"), 3.0)
    });
    let Some(recalculated) = recalculate(test, &edited) else {
        return;
    };
    // What the changed appraisal exports afresh.
    let mut changed = a.clone();
    changed.set_score(shared, 0, Some(1.0)).expect("score");
    changed.set_weight(1, 3.0).expect("weight");
    let fresh = xlsx(&changed);
    let (mut got, mut want) = (open(&recalculated), open(&fresh));
    assert_eq!(got.sheet_names(), want.sheet_names());
    let mut compared = 0;
    for name in want.sheet_names() {
        if SNAPSHOT_SHEETS.contains(&name.as_str()) {
            continue;
        }
        let (g, w) = (cells(&mut got, &name), cells(&mut want, &name));
        // Notes are prose written at export; the table above them is compared.
        let notes_from = |c: &BTreeMap<(u32, u32), String>| {
            c.iter()
                .find(|(_, v)| v.starts_with("Note: ") || *v == "Scale and possible totals")
                .map_or(u32::MAX, |((r, _), _)| *r)
        };
        let cut = notes_from(&w);
        let keep = |c: BTreeMap<(u32, u32), String>| -> BTreeMap<(u32, u32), String> {
            c.into_iter().filter(|((r, _), _)| *r < cut).collect()
        };
        let (g, w) = (keep(g), keep(w));
        if name.starts_with("Annex - ") {
            // Weight columns appear in the annex only when weights differ,
            // so compare each criterion's score and the total.
            assert_eq!(annex_figures(&g), annex_figures(&w), "{name}");
        } else if name == "Ranking" || name == "Matrix" {
            // Rows follow the ranking at export; compare them by option.
            assert_eq!(rows_by(&g, 1, 0), rows_by(&w, 1, 0), "{name}");
        } else {
            assert_eq!(g, w, "{name}");
        }
        compared += 1;
    }
    assert!(compared >= 5 + 8, "{compared} sheets compared");
    // The sum of the weights in the Criteria sheet's note follows them too.
    let note = |c: BTreeMap<(u32, u32), String>| {
        c.into_values()
            .find(|v| v.starts_with("Note: The weights add up to"))
    };
    let (g, w) = (
        note(cells(&mut got, "Criteria")),
        note(cells(&mut want, "Criteria")),
    );
    assert_eq!(g, w);
    assert!(g.is_some_and(|n| n.contains("add up to 10.")), "{w:?}");
    // The possible totals follow the weights too.
    let m = cells(&mut got, "Matrix");
    let highest = m
        .iter()
        .find(|(_, v)| *v == "Highest possible total")
        .and_then(|((r, _), _)| m.get(&(*r, 2)).cloned());
    assert_eq!(highest.as_deref(), Some("50.000000000"));
}

#[test]
fn scores_and_weights_are_entered_once_and_checked() {
    let a = load_example().expect("example").appraisal;
    let bytes = xlsx(&a);
    let mut wb = open(&bytes);
    // Outside the Matrix and the sensitivity sheets, every figure is a formula.
    for name in wb.sheet_names() {
        if name == "Matrix" || name == "Scale" || SNAPSHOT_SHEETS.contains(&name.as_str()) {
            continue;
        }
        let values = wb.worksheet_range(&name).expect("sheet");
        let formulas = wb.worksheet_formula(&name).expect("formulas");
        for (r, c, d) in values.used_cells() {
            if matches!(d, Data::Float(_) | Data::Int(_)) {
                let (r0, c0) = values.start().unwrap_or((0, 0));
                let at = (r0 + r as u32, c0 + c as u32);
                let f = formulas.get_value(at).cloned().unwrap_or_default();
                assert!(!f.is_empty(), "{name} {at:?} holds a number, not a formula");
            }
        }
    }
    let m = zip_text(&bytes, "xl/worksheets/sheet6.xml");
    assert!(
        m.contains("<dataValidation type=\"custom\""),
        "score cells are checked"
    );
    assert!(
        m.contains("sqref=\"C5:J12\""),
        "{}",
        &m[m.find("<dataValidations").unwrap_or(0)..]
    );
    assert!(wb.sheet_names().iter().any(|n| n == "Scale"));
    let scale = cells(&mut wb, "Scale");
    assert!(
        scale.values().any(|v| v.starts_with("Unsatisfactory")),
        "{scale:?}"
    );
    let matrix = cells(&mut wb, "Matrix");
    assert!(matrix.values().any(|v| v == "Published total"));
    common::ooxml::validate(
        "scores_and_weights_are_entered_once_and_checked",
        &[("live.xlsx".into(), bytes)],
    );
}

fn zip_text(bytes: &[u8], name: &str) -> String {
    let mut z = zip::ZipArchive::new(Cursor::new(bytes)).expect("zip");
    let mut s = String::new();
    z.by_name(name)
        .expect("part")
        .read_to_string(&mut s)
        .expect("text");
    s
}

#[test]
fn each_sheet_says_what_follows_the_matrix_and_what_does_not() {
    let a = load_example().expect("example").appraisal;
    let mut wb = open(&xlsx(&a));
    let says =
        |c: &BTreeMap<(u32, u32), String>, words: &str| c.values().any(|v| v.contains(words));
    for name in wb.sheet_names() {
        let c = cells(&mut wb, &name);
        let sorted = says(&c, "sort the rows by rank");
        assert_eq!(sorted, name == "Ranking" || name == "Matrix", "{name}");
        let frozen = says(&c, "worked out when the workbook was exported");
        let sensitivity = [
            "Findings",
            "Weight stability",
            "Score robustness",
            "Leave one out",
        ];
        assert_eq!(frozen, sensitivity.contains(&name.as_str()), "{name}");
        // The example's weights are all 1, so its annex sheets show none.
        let unweighted = says(&c, "Every weight was 1 when the workbook was exported");
        assert_eq!(unweighted, name.starts_with("Annex - "), "{name}");
    }
    // With unequal weights the annex has its weight columns and no such note.
    let mut weighted = a.clone();
    weighted.set_weight(1, 3.0).expect("weight");
    let mut wb = open(&xlsx(&weighted));
    let c = cells(&mut wb, "Annex - Shared Service");
    assert!(c.values().any(|v| v == "Weight"));
    assert!(!c.values().any(|v| v.contains("Every weight was 1")));
}

/// One change made on a version-2 Matrix sheet, and the same change made
/// to the appraisal file's text.
struct Change {
    /// What the change is, for messages.
    what: &'static str,
    /// The Matrix cell: the row whose column B reads this (an option's
    /// label, or "Weight in group"), and the column whose header starts so.
    row: String,
    column: String,
    /// The new value.
    value: f64,
    /// The same change in the file: after `anchor`, `old` becomes `new`.
    anchor: &'static str,
    old: &'static str,
    new: &'static str,
}

/// `text` with each change made after its anchor.
fn changed_file(text: &str, changes: &[Change]) -> String {
    let mut text = text.to_string();
    for c in changes {
        let at = text
            .find(c.anchor)
            .unwrap_or_else(|| panic!("{}", c.anchor));
        let from = at
            + text[at..]
                .find(c.old)
                .unwrap_or_else(|| panic!("{}", c.old));
        text.replace_range(from..from + c.old.len(), c.new);
    }
    text
}

/// The Matrix sheet's cell reference (such as `D7`) for a change.
fn cell_of(matrix: &BTreeMap<(u32, u32), String>, c: &Change) -> String {
    let row = matrix
        .iter()
        .find(|((_, col), v)| *col == 1 && **v == c.row)
        .map(|((r, _), _)| r + 1)
        .unwrap_or_else(|| panic!("no row {:?}", c.row));
    let col = matrix
        .iter()
        .find(|((r, _), v)| *r == 2 && v.starts_with(&c.column))
        .map(|((_, col), _)| *col)
        .unwrap_or_else(|| panic!("no column {:?}", c.column));
    let mut name = String::new();
    let mut n = col + 1;
    while n > 0 {
        name.insert(0, (b'A' + ((n - 1) % 26) as u8) as char);
        n = (n - 1) / 26;
    }
    format!("{name}{row}")
}

/// What `appraise rank --format json` says of the file.
fn rank_json(text: &str) -> serde_json::Value {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("changed.toml");
    std::fs::write(&path, text).expect("file");
    let out = assert_cmd::Command::cargo_bin("appraise")
        .expect("binary")
        .args(["rank", "--format", "json"])
        .arg(&path)
        .output()
        .expect("runs");
    serde_json::from_slice(&out.stdout).expect("JSON")
}

fn figure(v: &serde_json::Value) -> String {
    format!("{:.9}", v.as_f64().unwrap_or(f64::NAN))
}

/// Changes one score, one weight, one group weight and one raw value on
/// the Matrix sheet of a version-2 workbook, recalculates it, and checks
/// every sheet against a fresh export of the changed file and the Matrix
/// against `appraise rank --format json` of it.
fn version_2_changes_flow(test: &str, file: &str, changes: &[Change], relative: bool) {
    let text = std::fs::read_to_string(file).expect("file");
    let a = appraise::load::load_str(file, &text)
        .expect("loads")
        .appraisal;
    let before = xlsx(&a);
    let mut wb = open(&before);
    let names = wb.sheet_names();
    let matrix_index = names.iter().position(|n| n == "Matrix").expect("Matrix");
    let matrix = cells(&mut wb, "Matrix");
    let at: Vec<String> = changes.iter().map(|c| cell_of(&matrix, c)).collect();
    let part = format!("xl/worksheets/sheet{}.xml", matrix_index + 1);
    let edited = edit_part(&before, &part, |mut s| {
        for (c, at) in changes.iter().zip(&at) {
            s = set_number(s, at, c.value);
        }
        s
    });
    let Some(recalculated) = recalculate(test, &edited) else {
        return;
    };
    let mut new_text = changed_file(&text, changes);
    if relative {
        // Percentages that no longer add up to 100 are the same
        // proportions written as relative weights.
        new_text = new_text.replace("weights = \"percent\"", "weights = \"relative\"");
    }
    let changed = appraise::load::load_str(file, &new_text)
        .expect("the changed file loads")
        .appraisal;
    let fresh = xlsx(&changed);
    let (mut got, mut want) = (open(&recalculated), open(&fresh));
    assert_eq!(got.sheet_names(), want.sheet_names());
    // The Matrix against the JSON: each shortlisted option's rank, total
    // and subtotals, found by the option's label.
    let json = rank_json(&new_text);
    let m = cells(&mut got, "Matrix");
    let header = |starts: &str| {
        m.iter()
            .find(|((r, _), v)| *r == 2 && v.starts_with(starts))
            .map(|((_, c), _)| *c)
            .unwrap_or_else(|| panic!("no column {starts}"))
    };
    let total_col = header("Total (of ");
    let mut checked = 0;
    for o in json["options"].as_array().expect("options") {
        if o["rank"].as_u64() == Some(0) {
            continue;
        }
        let name = o["name"].as_str().unwrap_or_default();
        let label = match o["ref"].as_str() {
            Some(r) => format!("{r}. {name}"),
            None => name.to_string(),
        };
        let row = m
            .iter()
            .find(|((_, c), v)| *c == 1 && **v == label)
            .map(|((r, _), _)| *r)
            .unwrap_or_else(|| panic!("no row for {label}"));
        assert_eq!(
            m.get(&(row, total_col)),
            Some(&figure(&o["total"])),
            "{label} total"
        );
        assert_eq!(
            m.get(&(row, 0)),
            Some(&format!("{:.9}", o["rank"].as_f64().unwrap_or(0.0))),
            "{label} rank"
        );
        for s in o["subtotals"].as_array().into_iter().flatten() {
            let g = s["group"].as_str().unwrap_or_default();
            let gname = changed
                .groups()
                .iter()
                .find(|x| x.id().as_str() == g)
                .map(|x| x.name().to_string())
                .expect("group");
            let col = header(&format!("{gname} subtotal"));
            assert_eq!(
                m.get(&(row, col)),
                Some(&figure(&s["subtotal"])),
                "{label} subtotal {g}"
            );
        }
        checked += 1;
    }
    assert!(checked >= 2, "{checked} options checked");
    // Every other sheet against a fresh export of the changed file.
    let mut compared = 0;
    let mut differ = Vec::new();
    for name in want.sheet_names() {
        let (g, w) = (cells(&mut got, &name), cells(&mut want, &name));
        if w.values()
            .any(|v| v.contains("worked out when the workbook was exported"))
        {
            continue;
        }
        let notes_from = |c: &BTreeMap<(u32, u32), String>| {
            c.iter()
                .find(|(_, v)| v.starts_with("Note: ") || *v == "Each criterion's scale")
                .map_or(u32::MAX, |((r, _), _)| *r)
        };
        let cut = notes_from(&w);
        let keep = |c: BTreeMap<(u32, u32), String>| -> BTreeMap<(u32, u32), String> {
            c.into_iter().filter(|((r, _), _)| *r < cut).collect()
        };
        let (mut g, w) = (keep(g), keep(w));
        // The Ids sheet carries the source file's settings for import, not
        // figures worked out from the cells: the edited workbook still says
        // its weights were percentages (import leaves that out, and says so,
        // once they no longer add up to 100), where the changed file says
        // relative.
        if name == "Ids" && relative {
            for v in g.values_mut() {
                *v = v.replace("weights = \"percent\", ", "");
            }
        }
        // An annex's measured values and how they are scored are prose
        // written at export, as its notes say; the figures beside them
        // are compared.
        let prose = w
            .iter()
            .find(|((r, _), v)| *r == 2 && *v == "Measured value and how it is scored")
            .map(|((_, c), _)| *c);
        if prose.is_some() {
            assert!(
                cells(&mut want, &name)
                    .values()
                    .any(|v| v.contains("how they are scored are written as exported")),
                "{name} says its derivations are as exported"
            );
        }
        let figures = |c: BTreeMap<(u32, u32), String>| -> BTreeMap<(u32, u32), String> {
            c.into_iter()
                .filter(|((r, col), _)| *r == 2 || Some(*col) != prose)
                .collect()
        };
        let (g, w) = (figures(g), figures(w));
        // Rows follow the ranking at export; compare them by option.
        let same = if name == "Ranking" || name == "Matrix" {
            rows_by(&g, 1, 0) == rows_by(&w, 1, 0)
        } else if name == "Baseline" {
            rows_by(&g, 0, 0) == rows_by(&w, 0, 0)
        } else {
            g == w
        };
        if !same {
            eprintln!("{name} differs:\n got {g:?}\nwant {w:?}");
            differ.push(name.clone());
        }
        compared += 1;
    }
    assert!(differ.is_empty(), "sheets that differ: {differ:?}");
    assert!(compared >= 5, "{compared} sheets compared");
    common::ooxml::validate(test, &[("before.xlsx".into(), before)]);
}

#[test]
fn version_2_changes_flow_through_the_waste_contract_workbook() {
    let changes = [
        Change {
            what: "a score",
            row: "B. Bidder B".into(),
            column: "Method statement (".into(),
            value: 2.0,
            anchor: "id = \"bidder-b\"",
            old: "method = 4",
            new: "method = 2",
        },
        Change {
            what: "a weight within a group",
            row: "Weight in group".into(),
            column: "Method statement (".into(),
            value: 30.0,
            anchor: "id = \"method\"",
            old: "weight = 60",
            new: "weight = 30",
        },
        Change {
            what: "a group's weight",
            row: "Weight in group".into(),
            column: "Quality subtotal".into(),
            value: 30.0,
            anchor: "id = \"quality\"",
            old: "weight = 60",
            new: "weight = 30",
        },
        Change {
            what: "a raw value",
            row: "A. Council in-house bid".into(),
            column: "Whole-life cost (£m)".into(),
            value: 7.0,
            anchor: "id = \"in-house\"",
            old: "cost = 10",
            new: "cost = 7",
        },
    ];
    assert!(changes.iter().all(|c| !c.what.is_empty()));
    version_2_changes_flow(
        "version_2_changes_flow_through_the_waste_contract_workbook",
        "tests/fixtures/v2/waste-contract.toml",
        &changes,
        true,
    );
}

#[test]
fn version_2_changes_flow_through_the_uprating_workbook() {
    let changes = [
        Change {
            what: "a score",
            row: "B. January CPI".into(),
            column: "Delivery (".into(),
            value: 4.0,
            anchor: "id = \"january-cpi\"",
            old: "delivery = 1",
            new: "delivery = 4",
        },
        Change {
            what: "a weight within a group",
            row: "Weight in group".into(),
            column: "Relevance (".into(),
            value: 2.0,
            anchor: "id = \"relevance\"",
            old: "weight = 1",
            new: "weight = 2",
        },
        Change {
            // A group that weighs nothing at export has no subtotal column
            // outside the Matrix (the workbook's notes say so), so the
            // weighted group is changed.
            what: "a group's weight",
            row: "Weight in group".into(),
            column: "Scored criteria (Table 10) subtotal".into(),
            value: 2.0,
            anchor: "id = \"scored\"",
            old: "weight = 4",
            new: "weight = 2",
        },
        Change {
            what: "a raw value",
            row: "G. September Household Costs Index (decile 2)".into(),
            column: "Change in real value, April 2020 to April 2024 (%)".into(),
            value: 1.5,
            anchor: "id = \"september-hci\"",
            old: "real-value = 2.3",
            new: "real-value = 1.5",
        },
    ];
    version_2_changes_flow(
        "version_2_changes_flow_through_the_uprating_workbook",
        "appraisals/social-security-uprating-2024.toml",
        &changes,
        false,
    );
}

/// Every value function, with raw values inside and beyond its bounds.
const EVERY_FUNCTION: &str = r#"version = 2

[appraisal]
title = "Every value function"

[[criteria]]
id = "judged"
name = "Judged"
scale = { min = 0, max = 5 }

[[criteria]]
id = "fixed"
name = "Fixed bounds"
unit = "£m"
better = "lower"
value = { function = "linear", worst = 12, best = 4 }
scale = { min = 0, max = 10 }

[[criteria]]
id = "points"
name = "Piecewise"
unit = "weeks"
better = "lower"
value = { function = "piecewise", points = [[0, 5], [10, 3], [20, 0]] }
scale = { min = 0, max = 5 }

[[criteria]]
id = "output"
name = "Output"
unit = "t"
better = "higher"
value = "relative-to-best"
scale = { min = 1, max = 5 }
weight = 2

[[criteria]]
id = "banded"
name = "Banded"
unit = "km"
better = "lower"
value = { function = "bands", bands = [{ below = 1, score = 5 }, { at_least = 3, score = 1 }, { score = 3 }] }
scale = { min = 0, max = 5 }

[[criteria]]
id = "local"
name = "Local"
unit = "days"
better = "lower"
value = "linear"
scale = { min = 1, max = 3, step = 1 }

[[options]]
id = "a"
name = "A"
scores = { judged = 4 }
measures = { fixed = 2, points = 5, output = 30, banded = 0.5, local = 10 }

[[options]]
id = "b"
name = "B"
scores = { judged = 1 }
measures = { fixed = 14, points = 15, output = 12, banded = 1, local = 25 }

[[options]]
id = "c"
name = "C"
measures = { fixed = 7, points = 25, output = 0, banded = 3, local = 16 }
"#;

#[test]
fn derived_scores_in_the_workbook_follow_every_value_function() {
    let test = "derived_scores_in_the_workbook_follow_every_value_function";
    let a = appraise::load::load_str("every.toml", EVERY_FUNCTION)
        .expect("loads")
        .appraisal;
    let bytes = xlsx(&a);
    let Some(recalculated) = recalculate(test, &bytes) else {
        return;
    };
    // The cached figures are appraise's own; LibreOffice's come from the formulas.
    let (mut got, mut want) = (open(&recalculated), open(&bytes));
    let (g, w) = (cells(&mut got, "Matrix"), cells(&mut want, "Matrix"));
    // Every figure up to the totals (the remarks after them are text).
    let total_col = w
        .iter()
        .find(|((r, _), v)| *r == 2 && v.starts_with("Total (of "))
        .map(|((_, c), _)| *c)
        .expect("a Total column");
    // The matrix itself, above its notes (an empty result cached in the
    // block below reads back as 0 in calamine).
    let notes = w
        .iter()
        .find(|(_, v)| v.starts_with("Note: "))
        .map_or(u32::MAX, |((r, _), _)| *r);
    let scores = |c: &BTreeMap<(u32, u32), String>| -> BTreeMap<(u32, u32), String> {
        c.iter()
            .filter(|((r, col), v)| *r < notes && *col <= total_col && v.parse::<f64>().is_ok())
            .map(|(k, v)| (*k, v.clone()))
            .collect()
    };
    let (g, w) = (scores(&g), scores(&w));
    assert!(w.len() > 30, "{w:?}");
    let differ: Vec<_> = w
        .iter()
        .filter(|(k, v)| g.get(k) != Some(v))
        .map(|(k, v)| (k, v, g.get(k)))
        .collect();
    assert!(
        differ.is_empty(),
        "(cell, appraise, LibreOffice): {differ:?}"
    );
    assert_eq!(g.len(), w.len());
    // Spot checks against the rules in docs/format.md.
    let matrix = cells(&mut want, "Matrix");
    let row = |name: &str| {
        matrix
            .iter()
            .find(|((_, c), v)| *c == 1 && **v == name)
            .map(|((r, _), _)| *r)
            .expect("row")
    };
    let col = |head: &str| {
        matrix
            .iter()
            .find(|((r, _), v)| *r == 2 && v.starts_with(head))
            .map(|((_, c), _)| *c)
            .expect("column")
    };
    let at = |o: &str, h: &str| g.get(&(row(o), col(h))).cloned().unwrap_or_default();
    assert_eq!(
        at("B", "Fixed bounds: score"),
        "0.000000000",
        "held at the worst"
    );
    assert_eq!(
        at("A", "Fixed bounds: score"),
        "10.000000000",
        "held at the best"
    );
    assert_eq!(at("B", "Piecewise: score"), "1.500000000");
    assert_eq!(at("C", "Output: score"), "1.000000000");
    assert_eq!(at("B", "Output: score"), "2.600000000");
    assert_eq!(at("B", "Banded: score"), "3.000000000");
    assert_eq!(at("C", "Banded: score"), "1.000000000");
    assert_eq!(at("C", "Local: score"), "2.200000000");
    common::ooxml::validate(test, &[("every.xlsx".into(), bytes)]);
}
