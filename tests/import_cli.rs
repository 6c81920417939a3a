//! `appraise import`: workbooks made here in several layouts (and one
//! written by LibreOffice), CSV, problems named by sheet and cell, and the
//! round trip from `export --format xlsx` back to the same appraisal.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command as Std;

use appraise::model::Appraisal;
use assert_cmd::Command;
use predicates::prelude::*;
use rust_xlsxwriter::{Note, Workbook};

const EXAMPLE: &str = "appraisals/children-services-ama-2017.toml";

fn appraise() -> Command {
    let mut cmd = Command::cargo_bin("appraise").expect("binary built");
    cmd.env("NO_COLOR", "1");
    cmd
}

fn example_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(EXAMPLE)
}

/// Fills a worksheet from rows of cells (numbers where they parse).
fn fill(ws: &mut rust_xlsxwriter::Worksheet, rows: &[&[&str]]) {
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            if cell.is_empty() {
                continue;
            }
            match cell.parse::<f64>() {
                Ok(x) => ws.write_number(r as u32, c as u16, x).unwrap(),
                Err(_) => ws.write_string(r as u32, c as u16, *cell).unwrap(),
            };
        }
    }
}

/// A workbook of named sheets from rows of cells.
fn workbook(path: &Path, sheets: &[(&str, &[&[&str]])]) {
    let mut wb = Workbook::new();
    for (name, rows) in sheets {
        let ws = wb.add_worksheet();
        ws.set_name(*name).unwrap();
        fill(ws, rows);
    }
    wb.save(path).unwrap();
}

fn load(path: &Path) -> Appraisal {
    appraise::load_path(path)
        .unwrap_or_else(|e| panic!("{}", e.render(false)))
        .appraisal
}

/// Writes `source` as `format` (with any `extra` arguments) to `out`; the
/// export must succeed.
fn export_as(source: &Path, format: &str, extra: &[&str], out: &Path) {
    appraise()
        .arg("export")
        .arg(source)
        .args(["--format", format])
        .args(extra)
        .arg("--out")
        .arg(out)
        .assert()
        .success();
}

/// Imports `input` into `out`; the import must succeed.
fn import_into(input: &Path, out: &Path) {
    let run = appraise()
        .arg("import")
        .arg(input)
        .arg("--out")
        .arg(out)
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}: {}",
        input.display(),
        String::from_utf8_lossy(&run.stderr)
    );
}

/// The round trip: `source` exported as the workbook `{stem}.xlsx` in `dir`
/// and imported back into `{stem}-back.toml`, both of which must succeed;
/// the workbook's path and the file written.
fn round_trip(source: &Path, dir: &Path, stem: &str) -> (PathBuf, PathBuf) {
    let xlsx = dir.join(format!("{stem}.xlsx"));
    let back = dir.join(format!("{stem}-back.toml"));
    export_as(source, "xlsx", &[], &xlsx);
    import_into(&xlsx, &back);
    (xlsx, back)
}

/// Every value the round trip must keep, option by option.
fn same_appraisal(a: &Appraisal, b: &Appraisal) {
    assert_eq!(a.meta, b.meta);
    assert_eq!(
        (a.scale().min(), a.scale().max(), a.scale().step()),
        (b.scale().min(), b.scale().max(), b.scale().step())
    );
    assert_eq!(a.scale().labels(), b.scale().labels());
    assert_eq!(a.criteria().len(), b.criteria().len());
    for (x, y) in a.criteria().iter().zip(b.criteria()) {
        assert_eq!(
            (x.id(), x.name(), x.weight(), &x.description),
            (y.id(), y.name(), y.weight(), &y.description)
        );
    }
    assert_eq!(a.options().len(), b.options().len());
    for (x, y) in a.options().iter().zip(b.options()) {
        assert_eq!((x.id(), x.name()), (y.id(), y.name()));
        assert_eq!(x.scores(), y.scores(), "{}", x.name());
        assert_eq!(x.notes(), y.notes(), "{}", x.name());
        assert_eq!(x.published_total(), y.published_total(), "{}", x.name());
        assert_eq!(
            (&x.group, &x.description, &x.strengths, &x.weaknesses),
            (&y.group, &y.description, &y.strengths, &y.weaknesses)
        );
    }
}

#[test]
fn an_exported_workbook_imports_as_the_same_appraisal() {
    let dir = tempfile::tempdir().unwrap();
    export_as(
        &example_path(),
        "xlsx",
        &[],
        &dir.path().join("review.xlsx"),
    );
    let out = appraise()
        .current_dir(dir.path())
        .args(["import", "review.xlsx"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    // What was found is shown before the file is written, and the one
    // published total that differs from the scores is flagged at once.
    let found = err.find("Found in review.xlsx, sheet \"Matrix\":").unwrap();
    let wrote = err.find("wrote review.toml").unwrap();
    assert!(found < wrote, "{err}");
    assert!(err.contains("an appraise workbook"), "{err}");
    assert!(
        err.contains("Shared Service has a published total of 24"),
        "{err}"
    );
    let imported = dir.path().join("review.toml");
    same_appraisal(&load(&example_path()), &load(&imported));
    appraise().arg("check").arg(&imported).assert().success();
    appraise()
        .arg("diff")
        .arg(example_path())
        .arg(&imported)
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "The two versions hold the same appraisal.",
        ));
}

/// Converts `input` with LibreOffice to `ext` in `out`; `None` (a visible
/// skip) where LibreOffice is not installed.
fn libreoffice(test: &str, input: &Path, ext: &str, out: &Path) -> Option<PathBuf> {
    let soffice = common::tools::find(test, "soffice", "SOFFICE")?;
    let profile = out.join("profile");
    let status = Std::new(soffice)
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.display()
        ))
        .args(["--headless", "--norestore", "--convert-to", ext, "--outdir"])
        .arg(out)
        .arg(input)
        .output()
        .expect("LibreOffice runs");
    let stem = input.file_stem().unwrap().to_string_lossy().into_owned();
    // "docx:MS Word 2007 XML" names a filter after the extension.
    let result = out.join(format!("{stem}.{}", ext.split(':').next().unwrap_or(ext)));
    assert!(
        result.exists(),
        "LibreOffice wrote nothing: {}",
        String::from_utf8_lossy(&status.stderr)
    );
    Some(result)
}

#[test]
fn a_workbook_saved_by_libreoffice_imports_as_the_same_appraisal() {
    let test = "a_workbook_saved_by_libreoffice_imports_as_the_same_appraisal";
    let dir = tempfile::tempdir().unwrap();
    let xlsx = dir.path().join("review.xlsx");
    export_as(&example_path(), "xlsx", &[], &xlsx);
    let out = dir.path().join("lo");
    std::fs::create_dir_all(&out).unwrap();
    let Some(ods) = libreoffice(test, &xlsx, "ods", &out) else {
        return;
    };
    let imported = dir.path().join("from-ods.toml");
    import_into(&ods, &imported);
    same_appraisal(&load(&example_path()), &load(&imported));
}

const ROWS: &[&[&str]] = &[
    &["Library service: options appraisal"],
    &[],
    &[
        "Rank",
        "Option",
        "Cost",
        "Access",
        "Quality",
        "Cost notes",
        "Total",
    ],
    &["", "Weight", "3", "2", "1"],
    &[
        "1",
        "Keep in house",
        "4",
        "4",
        "3",
        "Budget held flat",
        "23",
    ],
    &["2", "Charitable trust", "3", "4", "4", "", "21"],
    &[
        "3",
        "Community library",
        "2",
        "3",
        "5",
        "Volunteers needed",
        "20",
    ],
];

#[test]
fn options_as_rows_with_weights_totals_and_notes() {
    let dir = tempfile::tempdir().unwrap();
    workbook(&dir.path().join("scores.xlsx"), &[("Matrix", ROWS)]);
    let out = appraise()
        .current_dir(dir.path())
        .args(["import", "scores.xlsx"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    for needle in [
        "layout: options as rows, criteria as columns",
        "3 criteria: Cost, Access, Quality in C3:E3",
        "3 options: Keep in house, Charitable trust, Community library in B5:B7",
        "weights: C4:E4",
        "totals: column G (\"Total\")",
        "notes for Cost: column F",
        "not imported (worked out again): column A (\"Rank\")",
        "scale: 1 to 5 in steps of 1, inferred from the scores: check it",
        // 2x3 + 3x2 + 5 = 17, not 20: flagged by the first check.
        "Community library has a published total of 20 but its weighted total is 17",
    ] {
        assert!(err.contains(needle), "{needle}\n{err}");
    }
    // Piped: no spinner, no control characters.
    assert!(!err.contains('\r') && !err.contains('\u{1b}'), "{err:?}");
    let text = std::fs::read_to_string(dir.path().join("scores.toml")).unwrap();
    assert!(
        text.contains("# Inferred from the scores, which run from 2 to 5 in whole points: CHECK"),
        "{text}"
    );
    assert!(
        text.contains("published_total = 20   # the spreadsheet's total, Matrix!G7"),
        "{text}"
    );
    let a = load(&dir.path().join("scores.toml"));
    assert_eq!(a.meta.title, "Library service: options appraisal");
    assert_eq!(a.criteria()[0].weight(), 3.0);
    assert_eq!(a.options()[2].id().as_str(), "community-library");
    assert_eq!(a.options()[2].note(0), Some("Volunteers needed"));
    appraise()
        .current_dir(dir.path())
        .args(["check", "scores.toml"])
        .assert()
        .success();
}

#[test]
fn options_as_columns_from_a_sheet_written_by_libreoffice() {
    let test = "options_as_columns_from_a_sheet_written_by_libreoffice";
    let dir = tempfile::tempdir().unwrap();
    let rows: &[&[&str]] = &[
        &["Criterion", "Weight", "Keep in house", "Trust", "Community"],
        &["Cost", "30", "4", "3", "2"],
        &["Access", "50", "4", "4", "3"],
        &["Quality", "20", "3", "4", "5"],
        &["Total", "", "3.9", "3.7", "3.1"],
    ];
    let xlsx = dir.path().join("columns.xlsx");
    workbook(&xlsx, &[("Scores", rows)]);
    let out = dir.path().join("lo");
    std::fs::create_dir_all(&out).unwrap();
    let Some(ods) = libreoffice(test, &xlsx, "ods", &out) else {
        return;
    };
    let toml = dir.path().join("columns.toml");
    let run = appraise()
        .arg("import")
        .arg(&ods)
        .arg("--out")
        .arg(&toml)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "{err}");
    assert!(
        err.contains("layout: options as columns, criteria as rows"),
        "{err}"
    );
    let a = load(&toml);
    let names: Vec<&str> = a.options().iter().map(|o| o.name()).collect();
    assert_eq!(names, ["Keep in house", "Trust", "Community"]);
    assert_eq!(a.criteria()[1].weight(), 50.0);
    assert_eq!(a.options()[1].scores(), [Some(3.0), Some(4.0), Some(4.0)]);
    // The sheet's totals are weighted averages, not sums: kept as published,
    // so check flags every one for the officer to look at.
    assert_eq!(a.options()[0].published_total(), Some(3.9));
}

#[test]
fn problems_name_the_sheet_and_cell_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let mut rows: Vec<Vec<&str>> = ROWS.iter().map(|r| r.to_vec()).collect();
    rows[6][3] = "four";
    rows[4][4] = "#N/A";
    let rows: Vec<&[&str]> = rows.iter().map(Vec::as_slice).collect();
    workbook(&dir.path().join("scores.xlsx"), &[("Matrix", &rows)]);
    appraise()
        .current_dir(dir.path())
        .args(["import", "scores.xlsx"])
        .assert()
        .code(1)
        .stderr(
            predicate::str::contains("error: scores.xlsx: Matrix!E5: '#N/A' is not a number")
                .and(predicate::str::contains(
                    "error: scores.xlsx: Matrix!D7: 'four' is not a number",
                ))
                .and(predicate::str::contains(
                    "2 problems found; nothing was written",
                )),
        );
    assert!(!dir.path().join("scores.toml").exists());
}

#[test]
fn csv_problems_name_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("scores.csv"),
        "Option,Cost,Access,Quality\n\"Keep\nin house\",4,4,3\nTrust,four,3,2\n",
    )
    .unwrap();
    appraise()
        .current_dir(dir.path())
        .args(["import", "scores.csv"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "scores.csv: 4:2 (cell B3): 'four' is not a number",
        ));
    std::fs::write(
        dir.path().join("scores.csv"),
        "Option,Cost,Access,Quality\nKeep in house,4,4,3\nTrust,5,n/a,2\n",
    )
    .unwrap();
    appraise()
        .current_dir(dir.path())
        .args(["import", "scores.csv", "--scale", "0-5"])
        .assert()
        .success()
        .stderr(predicate::str::contains("1 cell marked as not scored"));
    let a = load(&dir.path().join("scores.toml"));
    assert_eq!(a.options()[1].score(1), None);
    assert_eq!(a.scale().min(), 0.0);
}

#[test]
fn an_ambiguous_layout_is_refused_off_a_terminal_with_the_flag_that_settles_it() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("plain.csv"),
        ",Cost,Access,Quality\nKeep,4,4,3\nTrust,3,3,2\n",
    )
    .unwrap();
    appraise()
        .current_dir(dir.path())
        .args(["import", "plain.csv"])
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("--options rows or --options columns")
                .and(predicate::str::contains("nothing was written")),
        );
    assert!(!dir.path().join("plain.toml").exists());
    appraise()
        .current_dir(dir.path())
        .args(["import", "plain.csv", "--options", "columns"])
        .assert()
        .success();
    let a = load(&dir.path().join("plain.toml"));
    let names: Vec<&str> = a.options().iter().map(|o| o.name()).collect();
    assert_eq!(names, ["Cost", "Access", "Quality"]);
    // Two sheets with a matrix each: the sheet must be named.
    workbook(
        &dir.path().join("two.xlsx"),
        &[("March", ROWS), ("April", ROWS)],
    );
    appraise()
        .current_dir(dir.path())
        .args(["import", "two.xlsx"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("choose one with --sheet NAME"));
    appraise()
        .current_dir(dir.path())
        .args(["import", "two.xlsx", "--sheet", "April"])
        .assert()
        .success();
}

#[test]
fn an_ambiguous_layout_is_asked_about_on_a_terminal() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("plain.csv"),
        ",Cost,Access,Quality\nKeep,4,4,3\nTrust,3,3,2\n",
    )
    .unwrap();
    let mut s = common::pty::Session::start(&["import", "plain.csv"], dir.path());
    s.wait_for("Are the options the rows or the columns? [r/c]");
    assert!(s.contents().contains("the rows are named Keep, Trust"));
    s.keys(b"r\r");
    s.wait_for("wrote plain.toml");
    assert_eq!(s.wait_code(), 0);
    let a = load(&dir.path().join("plain.toml"));
    let names: Vec<&str> = a.options().iter().map(|o| o.name()).collect();
    assert_eq!(names, ["Keep", "Trust"]);
}

#[test]
fn an_existing_file_is_kept_unless_force_is_given_and_dry_run_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    workbook(&dir.path().join("scores.xlsx"), &[("Matrix", ROWS)]);
    std::fs::write(dir.path().join("scores.toml"), "# mine\n").unwrap();
    appraise()
        .current_dir(dir.path())
        .args(["import", "scores.xlsx"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("scores.toml already exists"));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("scores.toml")).unwrap(),
        "# mine\n"
    );
    appraise()
        .current_dir(dir.path())
        .args(["import", "scores.xlsx", "--dry-run", "--out", "new.toml"])
        .assert()
        .success()
        .stdout(predicate::str::contains("[[criteria]]"));
    assert!(!dir.path().join("new.toml").exists());
    appraise()
        .current_dir(dir.path())
        .args(["import", "scores.xlsx", "--force"])
        .assert()
        .success();
    assert!(
        std::fs::read_to_string(dir.path().join("scores.toml"))
            .unwrap()
            .contains("[[options]]")
    );
}

#[test]
fn cell_comments_on_scores_become_notes() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("commented.xlsx");
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("Matrix").unwrap();
    fill(ws, ROWS);
    ws.insert_note(
        5,
        3,
        &Note::new("Two branches close on Sundays").set_author("Officer"),
    )
    .unwrap();
    wb.save(&path).unwrap();
    appraise()
        .current_dir(dir.path())
        .args(["import", "commented.xlsx"])
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "1 cell comment on scores, kept as notes",
        ));
    let a = load(&dir.path().join("commented.toml"));
    assert_eq!(
        a.options()[1].note(1),
        Some("Two branches close on Sundays")
    );
}

#[test]
fn notes_on_several_lines_keep_their_lines_through_a_workbook() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(example_path()).unwrap();
    let at = text.find("[options.notes]").unwrap();
    let end = at + text[at..].find('\n').unwrap() + 1;
    let line_end = end + text[end..].find('\n').unwrap();
    let (key, _) = text[end..line_end].split_once(" = ").unwrap();
    let edited = format!(
        "{}{key} = \"First point.\\nSecond point.\"{}",
        &text[..end],
        &text[line_end..]
    );
    let source = dir.path().join("lines.toml");
    std::fs::write(&source, edited).unwrap();
    let (_, back) = round_trip(&source, dir.path(), "lines");
    same_appraisal(&load(&source), &load(&back));
    assert_eq!(
        load(&back).options()[0].note(load(&back).criterion_index(key.trim()).unwrap()),
        Some("First point.\nSecond point.")
    );
}

#[test]
fn the_scoring_table_of_a_word_document_written_by_libreoffice() {
    let test = "the_scoring_table_of_a_word_document_written_by_libreoffice";
    let dir = tempfile::tempdir().unwrap();
    // A report with a table of contents-like table first, then the scoring
    // table, whose heading spans two columns as committee tables often do.
    let html = dir.path().join("report.html");
    std::fs::write(
        &html,
        "<html><body><h1>Library service review</h1>\
         <table border=1><tr><td>Section</td><td>Page</td></tr><tr><td>Summary</td><td>2</td></tr></table>\
         <p>Table 2: scores</p>\
         <table border=1>\
         <tr><th>Option</th><th>Cost</th><th>Access</th><th>Quality</th><th>Total</th></tr>\
         <tr><td>Weight</td><td>3</td><td>2</td><td>1</td><td></td></tr>\
         <tr><td>Keep in house</td><td>4</td><td>4</td><td>3</td><td>23</td></tr>\
         <tr><td>Charitable trust</td><td>3</td><td>4</td><td>4</td><td>21</td></tr>\
         <tr><td>Community library</td><td>2</td><td>3</td><td>5</td><td>17</td></tr>\
         <tr><td colspan=2>Source: officers' scoring, March</td><td></td><td></td><td></td></tr>\
         </table></body></html>",
    )
    .unwrap();
    let out = dir.path().join("lo");
    std::fs::create_dir_all(&out).unwrap();
    let Some(docx) = libreoffice(test, &html, "docx:MS Word 2007 XML", &out) else {
        return;
    };
    let run = appraise()
        .current_dir(dir.path())
        .arg("import")
        .arg(&docx)
        .args(["--out", "review.toml"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "{err}");
    assert!(err.contains("sheet \"Table 2\""), "{err}");
    let a = load(&dir.path().join("review.toml"));
    let names: Vec<&str> = a.options().iter().map(|o| o.name()).collect();
    assert_eq!(
        names,
        ["Keep in house", "Charitable trust", "Community library"]
    );
    assert_eq!(a.criteria()[0].weight(), 3.0);
    assert_eq!(a.options()[2].published_total(), Some(17.0));
    // A problem in a Word table is named by table, row and column.
    std::fs::write(
        &html,
        std::fs::read_to_string(&html).unwrap().replace(
            "<td>3</td><td>4</td><td>4</td>",
            "<td>3</td><td>four</td><td>4</td>",
        ),
    )
    .unwrap();
    let docx = libreoffice(test, &html, "docx:MS Word 2007 XML", &out).unwrap();
    appraise()
        .arg("import")
        .arg(&docx)
        .arg("--dry-run")
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "Table 2, row 4, column 3: 'four' is not a number",
        ));
}

#[test]
fn the_matrix_exported_as_csv_imports_with_its_scale_scores_and_totals() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("matrix.csv");
    export_as(&example_path(), "csv", &["--tables", "matrix"], &csv);
    appraise()
        .current_dir(dir.path())
        .args(["import", "matrix.csv"])
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "scale: 0 to 5 in steps of 1, from the criterion headings",
        ));
    let (a, b) = (load(&example_path()), load(&dir.path().join("matrix.toml")));
    assert_eq!((b.scale().min(), b.scale().max()), (0.0, 5.0));
    let names = |x: &Appraisal| -> Vec<String> {
        x.criteria().iter().map(|c| c.name().to_string()).collect()
    };
    assert_eq!(names(&a), names(&b));
    // The CSV is in rank order; match options by name.
    for o in a.options() {
        let i = b
            .options()
            .iter()
            .position(|p| p.name() == o.name())
            .unwrap();
        assert_eq!(o.scores(), b.options()[i].scores(), "{}", o.name());
        assert_eq!(o.published_total(), b.options()[i].published_total());
    }
}

#[test]
fn csv_weights_written_as_percentages_are_read_as_weights() {
    // A spreadsheet saved as CSV writes a percentage-formatted weight as "30%".
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("w.csv"),
        "Option,Cost,Quality,Risk\nWeight,30%,50%,20%\nA,3,4,2\nB,5,2,3\n",
    )
    .unwrap();
    appraise()
        .current_dir(dir.path())
        .args(["import", "w.csv", "--scale", "0-5"])
        .assert()
        .success()
        .stderr(predicate::str::contains("row 2 holds weights"));
    let a = load(&dir.path().join("w.toml"));
    let weights: Vec<f64> = a.criteria().iter().map(|c| c.weight()).collect();
    assert_eq!(weights, [30.0, 50.0, 20.0]);
    assert_eq!(a.options()[0].score(1), Some(4.0));

    // A score typed as a percentage is refused, saying why, and nothing is written.
    std::fs::write(
        dir.path().join("s.csv"),
        "Option,Cost,Quality,Risk\nWeight,30%,50%,20%\nA,3,40%,2\nB,5,2,3\n",
    )
    .unwrap();
    appraise()
        .current_dir(dir.path())
        .args(["import", "s.csv", "--scale", "0-5"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "s.csv: 3:3 (cell C3): '40%' is a percentage, not a score",
        ));
    assert!(!dir.path().join("s.toml").exists());
}

#[test]
fn an_exported_word_report_imports_with_criterion_names_not_codes() {
    // The Word export heads the matrix's criteria C1...C8 with a key under
    // the table; the import reads the key, and picks the matrix (the one
    // table with a weight row) from the report's other tables by itself.
    let dir = tempfile::tempdir().unwrap();
    export_as(
        &example_path(),
        "docx",
        &[],
        &dir.path().join("review.docx"),
    );
    appraise()
        .current_dir(dir.path())
        .args(["import", "review.docx", "--scale", "0-5"])
        .assert()
        .success()
        .stderr(predicate::str::contains("sheet \"Table 6\""));
    let back = load(&dir.path().join("review.toml"));
    let example = load(&example_path());
    let names = |a: &Appraisal| -> Vec<(String, f64)> {
        a.criteria()
            .iter()
            .map(|c| (c.name().to_string(), c.weight()))
            .collect()
    };
    assert_eq!(names(&back), names(&example));
    for o in example.options() {
        let b = back
            .options()
            .iter()
            .find(|b| b.name() == o.name())
            .unwrap_or_else(|| panic!("{} imported", o.name()));
        assert_eq!(b.scores(), o.scores(), "{}", o.name());
        assert_eq!(b.published_total(), o.published_total(), "{}", o.name());
    }
}

#[test]
fn cell_comments_survive_libreoffice_as_ods_and_an_xls_imports_its_scores() {
    let test = "cell_comments_survive_libreoffice_as_ods_and_an_xls_imports_its_scores";
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("commented.xlsx");
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("Matrix").unwrap();
    fill(ws, ROWS);
    ws.insert_note(
        5,
        3,
        &Note::new("Two branches close on Sundays").set_author("Officer"),
    )
    .unwrap();
    wb.save(&path).unwrap();
    let out = dir.path().join("lo");
    std::fs::create_dir_all(&out).unwrap();
    let Some(ods) = libreoffice(test, &path, "ods", &out) else {
        return;
    };
    appraise()
        .current_dir(dir.path())
        .arg("import")
        .arg(&ods)
        .args(["--out", "from-ods.toml"])
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "1 cell comment on scores, kept as notes",
        ));
    let a = load(&dir.path().join("from-ods.toml"));
    // LibreOffice keeps the author line Excel starts a note with as text of
    // the note, without saying who the author is, so it stays in the note.
    assert_eq!(
        a.options()[1].note(1),
        Some("Officer:\nTwo branches close on Sundays")
    );
    // The old binary format: calamine reads its cells (not its comments).
    let Some(xls) = libreoffice(test, &path, "xls:MS Excel 97", &out) else {
        return;
    };
    appraise()
        .current_dir(dir.path())
        .arg("import")
        .arg(&xls)
        .args(["--out", "from-xls.toml"])
        .assert()
        .success();
    let b = load(&dir.path().join("from-xls.toml"));
    assert_eq!(b.options().len(), 3);
    for (x, y) in a.options().iter().zip(b.options()) {
        assert_eq!((x.name(), x.scores()), (y.name(), y.scores()));
        assert_eq!(x.published_total(), y.published_total());
    }
    let weights = |a: &Appraisal| a.criteria().iter().map(|c| c.weight()).collect::<Vec<_>>();
    assert_eq!(weights(&a), weights(&b));
}

/// `rank --format json` of a file, parsed.
fn rank_json(path: &Path) -> serde_json::Value {
    let out = appraise()
        .args(["rank", "--format", "json"])
        .arg(path)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// Each option's (id, total, rank), by id.
fn totals_and_ranks(json: &serde_json::Value) -> Vec<(String, f64, u64)> {
    let mut rows: Vec<(String, f64, u64)> = json["options"]
        .as_array()
        .expect("options")
        .iter()
        .map(|o| {
            (
                o["id"].as_str().unwrap().to_string(),
                o["total"].as_f64().unwrap_or(f64::NAN),
                o["rank"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    rows.sort_by(|a, b| a.0.cmp(&b.0));
    rows
}

/// Every file in appraisals/ and tests/fixtures/v2/ (read from the
/// folders, so a new example is covered without touching this test), among
/// them one with every kind of value function, ranges of raw values, percentage and agreed weights,
/// own scales with wording and published ranks, percentages and subtotals:
/// exported as a workbook and imported again, each passes `check`, gives
/// the same `rank --format json`, and loads as the same appraisal (names,
/// references, weights, scores, notes, evidence, raw values and their
/// ranges, value functions, scales, published figures, agreed weights).
#[test]
fn every_bundled_example_comes_back_from_its_workbook_as_the_same_appraisal() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let tomls = |folder: &str| {
        let mut files: Vec<PathBuf> = std::fs::read_dir(root.join(folder))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "toml"))
            .collect();
        files.sort();
        files
    };
    let mut files = tomls("appraisals");
    assert!(files.len() >= 2, "{files:?}");
    let fixtures = tomls("tests/fixtures/v2");
    assert!(
        fixtures
            .iter()
            .any(|f| f.ends_with("every-value-function.toml")),
        "{fixtures:?}"
    );
    files.extend(fixtures);
    let dir = tempfile::tempdir().unwrap();
    for (k, file) in files.iter().enumerate() {
        let (_, back) = round_trip(file, dir.path(), &k.to_string());
        appraise().arg("check").arg(&back).assert().success();
        let text = std::fs::read_to_string(&back).unwrap();
        assert!(!text.contains("CHECK: the value function"), "{text}");
        assert_eq!(rank_json(file), rank_json(&back), "{}", file.display());
        let (a, b) = (load(file), load(&back));
        let shown = file.display();
        assert_eq!(a.meta, b.meta, "{shown}");
        assert_eq!(a.scale(), b.scale(), "{shown}");
        assert_eq!(a.groups(), b.groups(), "{shown}");
        assert_eq!(a.criteria(), b.criteria(), "{shown}");
        assert_eq!(a.screens(), b.screens(), "{shown}");
        assert_eq!(a.option_groups(), b.option_groups(), "{shown}");
        assert_eq!(a.percent_weights(), b.percent_weights(), "{shown}");
        assert_eq!(a.agreed_weights(), b.agreed_weights(), "{shown}");
        assert_eq!(a.options().len(), b.options().len(), "{shown}");
        for (x, y) in a.options().iter().zip(b.options()) {
            assert_eq!(x, y, "{shown}: {}", x.id());
        }
    }
}

/// A workbook whose weights were changed so that they no longer add up to
/// 100 still imports: the percentage setting is left out, and the file
/// says so.
#[test]
fn carried_settings_that_no_longer_fit_the_workbook_are_left_out_and_said_so() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    let xlsx = dir.path().join("w.xlsx");
    let fixture = root.join("tests/fixtures/v2/every-value-function.toml");
    export_as(&fixture, "xlsx", &[], &xlsx);
    // Change the first criterion's weight in group on the Matrix sheet, as
    // an officer would in Excel, by rewriting the cell in the sheet's XML.
    let edited = dir.path().join("edited.xlsx");
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&xlsx).unwrap()).unwrap();
    let mut out = zip::ZipWriter::new(std::fs::File::create(&edited).unwrap());
    let book = calamine::open_workbook_auto(&xlsx).unwrap();
    let names = calamine::Reader::sheet_names(&book);
    let matrix = names.iter().position(|n| n == "Matrix").unwrap() + 1;
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).unwrap();
        let name = f.name().unwrap().to_string();
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut f, &mut bytes).unwrap();
        if name == format!("xl/worksheets/sheet{matrix}.xml") {
            let text = String::from_utf8(bytes).unwrap();
            // The weight in group of "Quality of the site" is 30.
            let cell = "<v>30</v>";
            assert!(text.contains(cell), "{text}");
            bytes = text.replacen(cell, "<v>35</v>", 1).into_bytes();
        }
        out.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        std::io::Write::write_all(&mut out, &bytes).unwrap();
    }
    out.finish().unwrap();
    let back = dir.path().join("back.toml");
    import_into(&edited, &back);
    let text = std::fs::read_to_string(&back).unwrap();
    assert!(
        text.contains(
            "weights and agreed_weights from the workbook: the file would not load with them"
        ),
        "{text}"
    );
    assert!(!text.contains("weights = \"percent\""), "{text}");
    let b = load(&back);
    assert!(!b.percent_weights());
    assert_eq!(b.criteria()[0].weight(), 35.0);
}

/// The second bundled example (version 2): what its workbook holds comes
/// back as it was (references, option groups, notes, evidence for and
/// against, raw values, screening with its reason, group ids), and what a
/// workbook cannot hold is listed at the top of the file written.
#[test]
fn a_version_2_workbook_gives_back_its_evidence_screening_and_groups() {
    let original =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("appraisals/social-security-uprating-2024.toml");
    let dir = tempfile::tempdir().unwrap();
    let xlsx = dir.path().join("v2.xlsx");
    export_as(&original, "xlsx", &[], &xlsx);
    appraise()
        .current_dir(dir.path())
        .args(["import", "v2.xlsx"])
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "5 criteria in 2 groups, 9 options (1 screened out)",
        ));
    let back = dir.path().join("v2.toml");
    let text = std::fs::read_to_string(&back).unwrap();
    assert!(text.contains("version = 2"), "{text}");
    assert!(
        text.contains("# Not recovered from the workbook")
            && text.contains("comments in the source file"),
        "{text}"
    );
    let (a, b) = (load(&original), load(&back));
    let ids =
        |x: &Appraisal| -> Vec<String> { x.groups().iter().map(|g| g.id().to_string()).collect() };
    assert_eq!(ids(&a), ids(&b));
    assert_eq!(a.option_groups(), b.option_groups());
    assert_eq!(a.screens(), b.screens());
    assert_eq!(a.options().len(), b.options().len());
    for (x, y) in a.options().iter().zip(b.options()) {
        assert_eq!(x.id(), y.id());
        assert_eq!(x.reference(), y.reference());
        assert_eq!(x.group, y.group);
        assert_eq!(x.description, y.description);
        assert_eq!(x.notes(), y.notes(), "{}", x.name());
        assert_eq!(x.evidence(), y.evidence(), "{}", x.name());
        assert_eq!(x.measures(), y.measures(), "{}", x.name());
        assert_eq!(x.screening(), y.screening(), "{}", x.name());
        assert_eq!(x.scores(), y.scores(), "{}", x.name());
    }
    // The same workbook saved by LibreOffice as ODS reads back the same.
    let test = "a_version_2_workbook_gives_back_its_evidence_screening_and_groups";
    if let Some(ods) = libreoffice(test, &xlsx, "ods", dir.path()) {
        let again = dir.path().join("from-ods.toml");
        import_into(&ods, &again);
        let c = load(&again);
        for (x, y) in b.options().iter().zip(c.options()) {
            assert_eq!(
                (
                    x.id(),
                    x.scores(),
                    x.measures(),
                    x.evidence(),
                    x.screening()
                ),
                (
                    y.id(),
                    y.scores(),
                    y.measures(),
                    y.evidence(),
                    y.screening()
                )
            );
        }
        assert_eq!(
            totals_and_ranks(&rank_json(&back)),
            totals_and_ranks(&rank_json(&again))
        );
    }
    for (x, y) in a.criteria().iter().zip(b.criteria()) {
        assert_eq!(
            (x.id(), x.name(), x.weight(), x.group(), &x.description),
            (y.id(), y.name(), y.weight(), y.group(), &y.description)
        );
        assert_eq!(
            x.measure().map(|m| (&m.unit, &m.better)),
            y.measure().map(|m| (&m.unit, &m.better))
        );
    }
}

#[test]
fn a_semicolon_csv_with_decimal_commas_imports_as_excel_wrote_it() {
    // Excel in many European locales writes CSV with semicolons between the
    // fields and a comma as the decimal mark.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("eu.csv"),
        "\u{feff}Option;Cost;Quality;Risk;Total\nWeight;30%;50%;20%;\nA;3;4,5;2;\"3,65\"\nB;5;2;3;3,1\n",
    )
    .unwrap();
    appraise()
        .current_dir(dir.path())
        .args(["import", "eu.csv", "--scale", "0-5/0.5"])
        .assert()
        .success()
        .stderr(predicate::str::contains("row 2 holds weights"));
    let a = load(&dir.path().join("eu.toml"));
    let names: Vec<&str> = a.criteria().iter().map(|c| c.name()).collect();
    assert_eq!(names, ["Cost", "Quality", "Risk"]);
    let weights: Vec<f64> = a.criteria().iter().map(|c| c.weight()).collect();
    assert_eq!(weights, [30.0, 50.0, 20.0]);
    assert_eq!(a.options()[0].score(1), Some(4.5));
    assert_eq!(a.options()[1].score(2), Some(3.0));
    assert_eq!(a.options()[1].published_total(), Some(3.1));
}

#[test]
fn a_csv_with_another_separator_names_the_delimiter_flag() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("bar.csv"),
        "Option|Cost|Quality\nWeight|1|2\nA|3|4\nB|5|2\n",
    )
    .unwrap();
    appraise()
        .current_dir(dir.path())
        .args(["import", "bar.csv", "--scale", "0-5"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("no score matrix found"))
        .stderr(predicate::str::contains(
            "its fields were read as separated by commas; if they are separated otherwise, say how with --delimiter",
        ));
    assert!(!dir.path().join("bar.toml").exists());
    appraise()
        .current_dir(dir.path())
        .args(["import", "bar.csv", "--scale", "0-5", "--delimiter", "|"])
        .assert()
        .success();
    let a = load(&dir.path().join("bar.toml"));
    assert_eq!(a.options()[1].score(0), Some(5.0));
    // A tab is named as a word; a letter is refused with what to give.
    std::fs::write(
        dir.path().join("tab.txt"),
        "Option\tCost\tQuality\nWeight\t1\t2\nA\t3\t4\nB\t5\t2\n",
    )
    .unwrap();
    appraise()
        .current_dir(dir.path())
        .args(["import", "tab.txt", "--scale", "0-5", "--delimiter", "tab"])
        .assert()
        .success();
    appraise()
        .current_dir(dir.path())
        .args(["import", "bar.csv", "--delimiter", "x"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("the word tab"));
}

/// A version-1 file's `[agreed_weights]` come back from its workbook as
/// they were written.
#[test]
fn a_version_1_workbook_gives_back_its_agreed_weights() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("v1.toml");
    let mut text = std::fs::read_to_string(example_path()).unwrap();
    text.push_str(
        "\n[agreed_weights]\norder = \"child-focused > rest\"\nshare = { partnerships = \"5%..30%\" }\n",
    );
    std::fs::write(&file, text).unwrap();
    let (_, back) = round_trip(&file, dir.path(), "v1");
    let (a, b) = (load(&file), load(&back));
    assert!(!a.agreed_weights().is_empty());
    assert_eq!(a.agreed_weights(), b.agreed_weights());
    same_appraisal(&a, &b);
}

/// The workbook of the fixture with every kind of value function, saved by
/// LibreOffice as ODS, still carries what its Ids sheet holds: the import
/// ranks as the original does and loads as the same appraisal.
#[test]
fn every_value_function_survives_libreoffice_as_ods() {
    let test = "every_value_function_survives_libreoffice_as_ods";
    let original =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/v2/every-value-function.toml");
    let dir = tempfile::tempdir().unwrap();
    let xlsx = dir.path().join("every.xlsx");
    export_as(&original, "xlsx", &[], &xlsx);
    let Some(ods) = libreoffice(test, &xlsx, "ods", dir.path()) else {
        return;
    };
    let back = dir.path().join("back.toml");
    import_into(&ods, &back);
    assert_eq!(rank_json(&original), rank_json(&back));
    let (a, b) = (load(&original), load(&back));
    assert_eq!(a.criteria(), b.criteria());
    assert_eq!(a.options(), b.options());
    assert_eq!(a.agreed_weights(), b.agreed_weights());
    assert!(b.percent_weights());
}
