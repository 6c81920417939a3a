use super::*;

/// A sheet from rows of cells: numbers where they parse, text otherwise.
fn sheet(name: &str, rows: &[&[&str]]) -> Sheet {
    let mut s = Sheet {
        name: name.into(),
        ..Sheet::default()
    };
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            let v = if cell.is_empty() {
                Value::Empty
            } else if let Ok(x) = cell.parse::<f64>() {
                Value::Number(x)
            } else {
                Value::Text((*cell).to_string())
            };
            read::put(&mut s.rows, r, c, v);
        }
    }
    s
}

fn book(sheets: Vec<Sheet>) -> Book {
    Book {
        kind: read::Kind::Workbook,
        sheets,
    }
}

fn draft(b: &Book, settings: &Settings) -> Result<Draft, ImportError> {
    find("scores.xlsx", b, settings, Path::new("scores.xlsx"))
}

const ROWS: &[&[&str]] = &[
    &["Library service options"],
    &[],
    &["Option", "Cost", "Access", "Cost notes", "Total"],
    &["Weight", "2", "1"],
    &["Keep in house", "3", "4", "Budget held flat", "10"],
    &["Trust", "4", "3", "", "11"],
];

#[test]
fn options_as_rows_with_weights_notes_and_totals() {
    let d = draft(&book(vec![sheet("Matrix", ROWS)]), &Settings::default()).unwrap();
    assert_eq!(d.title, "Library service options");
    assert_eq!(d.sheet, "Matrix");
    let names: Vec<&str> = d.criteria.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["Cost", "Access"]);
    let weights: Vec<f64> = d.criteria.iter().map(|c| c.weight).collect();
    assert_eq!(weights, [2.0, 1.0]);
    assert_eq!(d.options.len(), 2);
    assert_eq!(d.options[0].id, "keep-in-house");
    assert_eq!(d.options[0].scores, [Some(3.0), Some(4.0)]);
    assert_eq!(d.options[0].notes[0].as_deref(), Some("Budget held flat"));
    assert_eq!(d.options[1].published, Some((11.0, "Matrix!E6".into())));
    assert!(
        d.found[0].starts_with("layout: options as rows"),
        "{:?}",
        d.found
    );
    let text = write::to_toml(&d).unwrap();
    let loaded = crate::load::load_str("t.toml", &text).unwrap();
    assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
}

#[test]
fn options_as_columns_are_read_transposed() {
    let rows: &[&[&str]] = &[
        &["Criterion", "Weight", "Keep in house", "Trust"],
        &["Cost", "2", "3", "4"],
        &["Access", "1", "4", "3"],
        &["Total", "", "10", "12"],
    ];
    let d = draft(&book(vec![sheet("Sheet1", rows)]), &Settings::default()).unwrap();
    let names: Vec<&str> = d.options.iter().map(|o| o.name.as_str()).collect();
    assert_eq!(names, ["Keep in house", "Trust"]);
    assert_eq!(d.criteria[0].weight, 2.0);
    assert_eq!(d.options[1].scores, [Some(4.0), Some(3.0)]);
    assert_eq!(d.options[1].published, Some((12.0, "Sheet1!D4".into())));
    assert!(
        d.found[0].starts_with("layout: options as columns"),
        "{:?}",
        d.found
    );
    // The wrong total is kept, so check flags it.
    let text = write::to_toml(&d).unwrap();
    let loaded = crate::load::load_str("t.toml", &text).unwrap();
    assert_eq!(loaded.warnings.len(), 1, "{:?}", loaded.warnings);
}

#[test]
fn a_matrix_with_no_clue_to_its_orientation_asks() {
    let rows: &[&[&str]] = &[
        &["", "Cost", "Access"],
        &["Keep", "3", "4"],
        &["Trust", "4", "3"],
    ];
    let b = book(vec![sheet("Sheet1", rows)]);
    let err = draft(&b, &Settings::default()).unwrap_err();
    assert!(matches!(
        err,
        ImportError::Ambiguous {
            question: Question::Orientation { .. },
            ..
        }
    ));
    assert!(err.to_string().contains("--options rows"), "{err}");
    let settled = Settings {
        orientation: Some(Orientation::OptionsAsColumns),
        ..Settings::default()
    };
    let d = draft(&b, &settled).unwrap();
    let names: Vec<&str> = d.options.iter().map(|o| o.name.as_str()).collect();
    assert_eq!(names, ["Cost", "Access"]);
}

#[test]
fn every_bad_cell_is_named_and_nothing_is_made() {
    let rows: &[&[&str]] = &[
        &["Option", "Cost", "Access", "Quality"],
        &["Weight", "2", "heavy", "1"],
        &["Keep in house", "four", "4", "3"],
        &["Trust", "4", "-", "2"],
    ];
    let err = draft(&book(vec![sheet("Matrix", rows)]), &Settings::default()).unwrap_err();
    let ImportError::Problems { problems, .. } = err else {
        panic!("{err}");
    };
    let said: Vec<String> = problems
        .iter()
        .map(|p| format!("{}: {}", p.place, p.message))
        .collect();
    assert_eq!(
        said,
        [
            "Matrix!C2: 'heavy' is not a number",
            "Matrix!B3: 'four' is not a number",
        ]
    );
}

#[test]
fn scores_off_the_scale_given_are_named_at_their_cells() {
    let settings = Settings {
        scale: Some((0.0, 3.0, 1.0)),
        ..Settings::default()
    };
    let err = draft(&book(vec![sheet("Matrix", ROWS)]), &settings).unwrap_err();
    let ImportError::Problems { problems, .. } = err else {
        panic!("{err}");
    };
    let at: Vec<String> = problems.iter().map(|p| p.place.to_string()).collect();
    assert_eq!(at, ["Matrix!C5", "Matrix!B6"]);
}

#[test]
fn several_matrices_need_a_sheet_named() {
    let b = book(vec![sheet("March", ROWS), sheet("April", ROWS)]);
    let err = draft(&b, &Settings::default()).unwrap_err();
    assert!(
        err.to_string().contains("choose one with --sheet NAME"),
        "{err}"
    );
    let d = draft(
        &b,
        &Settings {
            sheet: Some("april".into()),
            ..Settings::default()
        },
    )
    .unwrap();
    assert_eq!(d.sheet, "April");
}

#[test]
fn the_scale_is_inferred_from_the_scores() {
    assert_eq!(infer_scale(&[0.0, 3.0, 5.0]).0, (0.0, 5.0, 1.0));
    assert_eq!(infer_scale(&[1.0, 4.0]).0, (1.0, 4.0, 1.0));
    assert_eq!(infer_scale(&[2.0, 7.5]).0, (1.0, 10.0, 0.5));
    assert_eq!(infer_scale(&[-2.0, 1.0]).0, (-3.0, 3.0, 1.0));
    assert_eq!(infer_scale(&[]).1, ScaleSource::Default);
}

#[test]
fn csv_places_are_lines_and_columns() {
    let s = Sheet {
        name: "scores.csv".into(),
        lines: Some(vec![1, 2, 4]),
        ..Sheet::default()
    };
    assert_eq!(s.at(2, 1).to_string(), "4:2 (cell B3)");
}

#[test]
fn a_range_in_every_heading_gives_the_scale_and_leaves_the_names() {
    let rows: &[&[&str]] = &[
        &["Option", "Cost (0 to 5)", "Access (0 to 5)"],
        &["Keep", "3", "4"],
        &["Trust", "2.5", "3"],
    ];
    let d = draft(&book(vec![sheet("Matrix", rows)]), &Settings::default()).unwrap();
    assert_eq!(d.criteria[0].name, "Cost");
    assert_eq!(d.scale, (0.0, 5.0, 0.5));
    assert_eq!(d.scale_source, ScaleSource::Headed);
    assert_eq!(
        heading_range("Cost (1-10)"),
        Some(("Cost".into(), (1.0, 10.0)))
    );
    assert_eq!(
        heading_range("Risk (-2 to 2)"),
        Some(("Risk".into(), (-2.0, 2.0)))
    );
    assert_eq!(heading_range("Value (VfM)"), None);
}
