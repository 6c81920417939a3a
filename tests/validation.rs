//! One test per validation rule, asserting the message and its line:column.

use appraise::diagnostic::Diagnostic;
use appraise::load::{load_bytes, load_path, load_str};

/// A valid appraisal that each test breaks in one place.
const VALID: &str = r#"[appraisal]
title = "Test appraisal"

[scale]
min = 0
max = 5
labels = { 0 = "none", 5 = "full" }

[[criteria]]
id = "cost"
name = "Cost"
weight = 2

[[criteria]]
id = "quality"
name = "Quality"
weight = 1
[[options]]
id = "in-house"
name = "In house"
scores = { cost = 3, quality = 4 }
notes = { cost = "cheapest" }

[[options]]
id = "outsource"
name = "Outsource"
[options.scores]
cost = 2
quality = 5
"#;

/// A found problem: kind, "line:column", message, and whether help was given.
#[derive(Debug)]
struct Found {
    kind: &'static str,
    at: String,
    message: String,
    help: bool,
}

fn problems(text: &str) -> Vec<Found> {
    match load_str("t.toml", text) {
        Ok(l) => panic!(
            "expected errors, loaded fine with warnings {:?}",
            l.warnings
        ),
        Err(e) => e.diagnostics.iter().map(|d| found(&e.file, d)).collect(),
    }
}

fn found(file: &appraise::diagnostic::SourceFile, d: &Diagnostic) -> Found {
    let loc = d.location(file);
    Found {
        kind: d.kind.as_str(),
        at: loc.trim_start_matches("t.toml:").to_string(),
        message: d.message.clone(),
        help: d.help.is_some(),
    }
}

/// Asserts exactly one error, of `kind` at `at`, whose message contains `text`.
fn only(text: &str, kind: &str, at: &str, message: &str) {
    let p = problems(text);
    assert_eq!(p.len(), 1, "{p:#?}");
    assert_eq!(p[0].kind, kind, "{p:#?}");
    assert_eq!(p[0].at, at, "{p:#?}");
    assert!(p[0].message.contains(message), "{p:#?}");
    assert!(p[0].help, "every diagnostic says what to do: {p:#?}");
}

fn with(from: &str, to: &str) -> String {
    assert!(VALID.contains(from), "{from}");
    VALID.replacen(from, to, 1)
}

#[test]
fn the_template_is_valid() {
    let l = load_str("t.toml", VALID).expect("valid");
    assert!(l.warnings.is_empty());
}

#[test]
fn toml_syntax_error() {
    only(
        &with("title = \"Test appraisal\"", "title = \"Test appraisal"),
        "syntax",
        "2:24",
        "not valid TOML",
    );
}

#[test]
fn duplicate_table_is_a_syntax_error() {
    let text = format!("{VALID}\n[scale]\nmin = 1\n");
    only(
        &text,
        "syntax",
        &format!("{}:2", VALID.lines().count() + 2),
        "the table [scale] is written twice",
    );
}

#[test]
fn unknown_key_suggests_the_nearest() {
    only(
        &with("weight = 2", "wieght = 2"),
        "unknown-key",
        "12:1",
        "unknown key `wieght` in criterion 1",
    );
    let p = problems(&with("weight = 2", "wieght = 2"));
    let d = load_str("t.toml", &with("weight = 2", "wieght = 2")).expect_err("invalid");
    assert_eq!(
        d.diagnostics[0].label.as_deref(),
        Some("did you mean `weight`?"),
        "{p:?}"
    );
}

#[test]
fn unknown_top_level_key() {
    only(
        &format!("colour = 2\n{VALID}"),
        "unknown-key",
        "1:1",
        "unknown key `colour`",
    );
}

#[test]
fn missing_title() {
    only(
        &with("title = \"Test appraisal\"\n", ""),
        "missing-key",
        "1:1",
        "missing the required key `title`",
    );
}

#[test]
fn missing_scale_max() {
    only(&with("max = 5\n", ""), "missing-key", "4:1", "`max`");
}

#[test]
fn missing_scale_table() {
    let text = with(
        "[scale]\nmin = 0\nmax = 5\nlabels = { 0 = \"none\", 5 = \"full\" }\n",
        "",
    );
    only(&text, "missing-key", "1:1", "no [scale] table");
}

#[test]
fn missing_criterion_name() {
    only(
        &with("name = \"Quality\"\n", ""),
        "missing-key",
        "14:1",
        "criterion 2 is missing the required key `name`",
    );
}

#[test]
fn missing_option_id() {
    only(
        &with("id = \"outsource\"\n", ""),
        "missing-key",
        "24:1",
        "option 2 is missing the required key `id`",
    );
}

#[test]
fn duplicate_criterion_id() {
    let p = problems(&with("id = \"quality\"", "id = \"cost\""));
    // The duplicate is reported, and so is the score key that now has no criterion.
    assert_eq!(p[0].kind, "duplicate-id", "{p:#?}");
    assert_eq!(p[0].at, "15:6");
    assert!(p[0].message.contains("`cost` is used twice"));
    let d = load_str("t.toml", &with("id = \"quality\"", "id = \"cost\"")).expect_err("invalid");
    assert_eq!(
        d.diagnostics[0].label.as_deref(),
        Some("already used on line 10")
    );
}

#[test]
fn duplicate_option_id() {
    only(
        &with("id = \"outsource\"", "id = \"in-house\""),
        "duplicate-id",
        "25:6",
        "option id `in-house` is used twice",
    );
}

#[test]
fn id_with_bad_characters() {
    let text = with("id = \"in-house\"", "id = \"In House\"");
    only(&text, "invalid-id", "19:6", "`In House` is not a valid id");
    let d = load_str("t.toml", &text).expect_err("invalid");
    assert!(
        d.diagnostics[0]
            .help
            .as_deref()
            .unwrap_or("")
            .contains("\"in-house\"")
    );
}

#[test]
fn score_names_unknown_criterion() {
    only(
        &with("cost = 3, quality = 4", "cots = 3, quality = 4"),
        "unknown-criterion",
        "21:12",
        "`cots`",
    );
}

#[test]
fn note_names_unknown_criterion() {
    only(
        &with("notes = { cost", "notes = { price"),
        "unknown-criterion",
        "22:11",
        "this note names `price`",
    );
}

#[test]
fn score_outside_the_scale() {
    only(
        &with("quality = 5", "quality = 6"),
        "score-out-of-range",
        "29:11",
        "6 is outside the scale 0 to 5",
    );
    only(
        &with("quality = 5", "quality = -1"),
        "score-out-of-range",
        "29:11",
        "-1 is outside the scale 0 to 5",
    );
}

#[test]
fn score_off_the_step() {
    only(
        &with("cost = 2\n", "cost = 2.5\n"),
        "score-off-step",
        "28:8",
        "2.5 is not on the scale's steps of 1",
    );
}

#[test]
fn half_steps_are_allowed_when_the_scale_says_so() {
    let text = with("max = 5\n", "max = 5\nstep = 0.5\n").replace("cost = 2\n", "cost = 2.5\n");
    let l = load_str("t.toml", &text).expect("half steps are valid");
    assert_eq!(l.appraisal.options()[1].score(0), Some(2.5));
}

#[test]
fn score_that_is_not_a_number() {
    only(
        &with("cost = 2\n", "cost = \"2\"\n"),
        "wrong-type",
        "28:8",
        "a score must be a number, not text",
    );
    only(
        &with("cost = 2\n", "cost = true\n"),
        "wrong-type",
        "28:8",
        "a score must be a number, not true/false",
    );
}

#[test]
fn negative_weight() {
    only(
        &with("weight = 2", "weight = -2"),
        "invalid-weight",
        "12:10",
        "-2 is not allowed",
    );
}

#[test]
fn nan_weight() {
    only(
        &with("weight = 2", "weight = nan"),
        "invalid-weight",
        "12:10",
        "a weight of nan is not allowed",
    );
}

#[test]
fn infinite_weight() {
    only(
        &with("weight = 2", "weight = inf"),
        "invalid-weight",
        "12:10",
        "finite",
    );
}

#[test]
fn weight_that_is_not_a_number() {
    only(
        &with("weight = 2", "weight = \"heavy\""),
        "wrong-type",
        "12:10",
        "`weight` must be a number, not text",
    );
}

#[test]
fn all_weights_zero() {
    let text = with("weight = 2", "weight = 0").replace("weight = 1\n", "weight = 0\n");
    only(
        &text,
        "all-weights-zero",
        "12:10",
        "every criterion has a weight of zero",
    );
}

#[test]
fn weights_that_overflow_a_total() {
    let text = with("weight = 2", "weight = 1e308").replace("weight = 1\n", "weight = 1e308\n");
    let p = problems(&text);
    assert_eq!(p[0].kind, "weight-overflow", "{p:#?}");
}

#[test]
fn no_criteria() {
    let start = VALID.find("[[criteria]]").expect("criteria");
    let end = VALID.find("[[options]]").expect("options");
    let text = format!("{}{}", &VALID[..start], &VALID[end..]);
    let p = problems(&text);
    assert_eq!(p[0].kind, "no-criteria", "{p:#?}");
    assert_eq!(p[0].at, "1:1");
    // Scores now name criteria that do not exist; those are reported too.
    assert!(
        p.iter().skip(1).all(|f| f.kind == "unknown-criterion"),
        "{p:#?}"
    );
}

#[test]
fn empty_criteria_list() {
    let start = VALID.find("[[criteria]]").expect("criteria");
    let end = VALID.find("[[options]]").expect("options");
    let text = format!("criteria = []\n{}{}", &VALID[..start], &VALID[end..]);
    let p = problems(&text);
    assert_eq!(p[0].kind, "no-criteria", "{p:#?}");
    assert_eq!(p[0].at, "1:12");
}

#[test]
fn no_options() {
    let start = VALID.find("[[options]]").expect("options");
    only(
        &VALID[..start],
        "no-options",
        "1:1",
        "the file has no options",
    );
}

#[test]
fn single_table_where_a_list_belongs() {
    let text = VALID
        .replacen(
            "[[criteria]]\nid = \"quality\"\nname = \"Quality\"\nweight = 1\n",
            "",
            1,
        )
        .replacen("[[criteria]]", "[criteria]", 1);
    let p = problems(&text);
    assert_eq!(p[0].kind, "wrong-type", "{p:#?}");
    assert!(p[0].message.contains("written [[criteria]]"), "{p:#?}");
}

#[test]
fn scale_max_not_above_min() {
    only(
        &with("max = 5", "max = 0"),
        "invalid-scale",
        "6:7",
        "must be greater than its min",
    );
}

#[test]
fn scale_step_must_be_positive() {
    only(
        &with("max = 5\n", "max = 5\nstep = 0\n"),
        "invalid-scale",
        "7:8",
        "step",
    );
}

#[test]
fn label_key_off_the_scale() {
    only(
        &with("5 = \"full\"", "6 = \"full\""),
        "label-off-scale",
        "7:24",
        "6 is outside the scale",
    );
    only(
        &with("5 = \"full\"", "2.5 = \"half\""),
        "label-off-scale",
        "7:24",
        "not on the scale's steps",
    );
}

#[test]
fn dotted_label_keys_read_as_half_points() {
    let text = with("max = 5\n", "max = 5\nstep = 0.5\n").replace("5 = \"full\"", "2.5 = \"half\"");
    let l = load_str("t.toml", &text).expect("valid");
    assert_eq!(l.appraisal.scale().label(2.5), Some("half"));
}

#[test]
fn control_characters_in_names_are_refused() {
    only(
        &with("name = \"Cost\"", "name = \"Co\\u001bst\""),
        "invalid-text",
        "11:8",
        "escape character (code 0x1b)",
    );
}

#[test]
fn every_problem_is_reported_together() {
    let text = VALID
        .replace("weight = 2", "weight = -2")
        .replace("quality = 5", "quality = 9")
        .replace("id = \"outsource\"", "id = \"Out Source\"");
    let p = problems(&text);
    let kinds: Vec<&str> = p.iter().map(|f| f.kind).collect();
    assert_eq!(
        kinds,
        ["invalid-weight", "invalid-id", "score-out-of-range"],
        "{p:#?}"
    );
}

#[test]
fn empty_file() {
    only("   \n\n", "empty-file", "1:1", "the file is empty");
}

#[test]
fn file_that_is_not_utf8() {
    let mut bytes = VALID.as_bytes().to_vec();
    let at = VALID.find("Cost").expect("present");
    bytes[at] = 0xff;
    let e = load_bytes("t.toml", bytes).expect_err("invalid");
    assert_eq!(e.diagnostics[0].kind, "not-utf8");
    assert_eq!(e.diagnostics[0].location(&e.file), "t.toml:11:9");
}

#[test]
fn missing_file() {
    let e = load_path(std::path::Path::new("/no/such/appraisal.toml")).expect_err("missing");
    assert_eq!(e.diagnostics[0].kind, "unreadable");
    assert!(e.render(false).contains("/no/such/appraisal.toml"));
    assert!(e.diagnostics[0].message.contains("No such file"));
}

#[test]
fn a_folder_is_not_a_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let e = load_path(dir.path()).expect_err("folder");
    assert_eq!(e.diagnostics[0].kind, "unreadable");
    assert!(e.diagnostics[0].message.contains("folder"));
}

#[test]
fn byte_order_mark_crlf_and_tabs_load() {
    let text = format!(
        "\u{feff}{}",
        VALID.replace('\n', "\r\n").replace("min = 0", "min\t=\t0")
    );
    let l = load_str("t.toml", &text).expect("valid");
    assert_eq!(l.appraisal.criteria().len(), 2);
}

#[test]
fn rendered_diagnostics_show_path_line_text_and_caret() {
    let e = load_str("t.toml", &with("weight = 2", "weight = -2")).expect_err("invalid");
    let out = e.render(false);
    assert!(out.contains("t.toml:12:10"), "{out}");
    assert!(out.contains("12 | weight = -2"), "{out}");
    assert!(out.contains("^^"), "{out}");
    assert!(out.contains("help:"), "{out}");
}

#[test]
fn unscored_cells_are_warnings_not_errors() {
    let l = load_str("t.toml", &with("quality = 5\n", "")).expect("loads");
    assert_eq!(l.warnings.len(), 1);
    assert_eq!(l.warnings[0].kind, "missing-score");
    assert_eq!(l.warnings[0].location(&l.source), "t.toml:27:1");
    assert!(!l.appraisal.options()[1].is_complete());
}

#[test]
fn published_total_mismatch_is_a_warning() {
    let text = with(
        "name = \"Outsource\"\n",
        "name = \"Outsource\"\npublished_total = 11\n",
    );
    let l = load_str("t.toml", &text).expect("loads");
    assert_eq!(l.warnings.len(), 1);
    assert_eq!(l.warnings[0].kind, "published-total-mismatch");
    assert_eq!(l.warnings[0].location(&l.source), "t.toml:27:19");
    assert!(
        l.warnings[0]
            .message
            .contains("published total of 11 but its weighted total is 9")
    );
}

/// Every warning a file loads with: kind, "line:column", message.
fn warnings_of(text: &str) -> Vec<(&'static str, String, String)> {
    let l = load_str("t.toml", text).unwrap_or_else(|e| panic!("{}", e.render(false)));
    l.warnings
        .iter()
        .map(|d| {
            let f = found(&l.source, d);
            assert!(f.help, "every warning says what to do: {f:#?}");
            (f.kind, f.at, f.message)
        })
        .collect()
}

#[test]
fn a_weighted_mismatch_names_the_weighted_total() {
    // Cost weighs 2: the scores 2 and 5 add up to 7, the weighted total is 9.
    let text = with(
        "name = \"Outsource\"\n",
        "name = \"Outsource\"\npublished_total = 11\n",
    );
    let w = warnings_of(&text);
    assert!(w[0].2.contains("its weighted total is 9"), "{w:#?}");
    assert!(!w[0].2.contains("add up to"), "{w:#?}");
    let l = load_str("t.toml", &text).expect("loads");
    let r = appraise::compute::compute(&l.appraisal);
    let ranking = appraise::export::tables::ranking_table(&l.appraisal, &r);
    assert!(
        ranking.notes.contains(&"Outsource: the source document gives a total of 11, but its weighted total from the scores recorded is 9. The total shown is the weighted total.".to_string()),
        "{:#?}",
        ranking.notes
    );
    // With every weight 1 the plain wording stays.
    let plain = text.replace("weight = 2", "weight = 1");
    let w = warnings_of(&plain);
    assert!(w[0].2.contains("its scores add up to 7"), "{w:#?}");
}

/// Two options, weights 0.5 and 0.5, scores given, published totals given.
fn two_published(a: (&str, &str, &str), b: (&str, &str, &str)) -> String {
    format!(
        "[appraisal]\ntitle = \"T\"\n[scale]\nmin = 0\nmax = 10\nstep = 0.1\n\
         [[criteria]]\nid = \"x\"\nname = \"X\"\nweight = 0.5\n\
         [[criteria]]\nid = \"y\"\nname = \"Y\"\nweight = 0.5\n\
         [[options]]\nid = \"a\"\nname = \"A\"\npublished_total = {}\nscores = {{ x = {}, y = {} }}\n\
         [[options]]\nid = \"b\"\nname = \"B\"\npublished_total = {}\nscores = {{ x = {}, y = {} }}\n",
        a.0, a.1, a.2, b.0, b.1, b.2
    )
}

#[test]
fn published_figures_are_compared_at_the_precision_they_were_written_with() {
    // 3.75 printed to one decimal is 3.8; 5.95 is 6.0. Both are right.
    assert_eq!(
        warnings_of(&two_published(("3.8", "3.5", "4"), ("6.0", "5.9", "6"))),
        []
    );
    // Printed with two decimals, 3.80 is not 3.75.
    let w = warnings_of(&two_published(("3.80", "3.5", "4"), ("6.0", "5.9", "6")));
    assert_eq!(w.len(), 1, "{w:#?}");
    assert_eq!(w[0].0, "published-total-mismatch");
    assert_eq!(w[0].1, "18:19");
    assert!(
        w[0].2
            .contains("A has a published total of 3.80 but its weighted total is 3.75"),
        "{w:#?}"
    );
    // Printed as whole numbers, 4 stands for anything from 3.5 to 4.5.
    assert_eq!(
        warnings_of(&two_published(("4", "4.8", "4"), ("6", "5.9", "6"))),
        []
    );
    let w = warnings_of(&two_published(("5", "4.8", "4"), ("6", "5.9", "6")));
    assert_eq!(
        w[0].2,
        "A has a published total of 5 but its weighted total is 4.4 (4 to the nearest whole number, as the source prints it); check the scores or correct the published figure"
    );
}

#[test]
fn rounding_in_the_source_that_hides_an_order_is_noted() {
    // A is 6.0 exactly, B 5.95: both print as 6.0, but A is ahead.
    let w = warnings_of(&two_published(("6.0", "6", "6"), ("6.0", "5.9", "6")));
    assert_eq!(w.len(), 1, "{w:#?}");
    assert_eq!(w[0].0, "published-rounding-hides-order");
    assert_eq!(w[0].1, "23:19", "placed on the second figure");
    assert_eq!(
        w[0].2,
        "A and B were both published as 6.0, but A's total (6.00) is ahead of B's (5.95); the rounding in the source hides the order"
    );
    // Equal totals printed equally hide nothing.
    assert_eq!(
        warnings_of(&two_published(("6.0", "6", "6"), ("6.0", "6", "6"))),
        []
    );
    // Different precisions can even reverse the order: 6 (for 5.6) above 5.9 (for 5.95).
    let w = warnings_of(&two_published(("6", "5.6", "5.6"), ("5.9", "5.9", "6")));
    assert_eq!(w.len(), 1, "{w:#?}");
    assert!(w[0].2.contains("reverses the order"), "{w:#?}");
}

/// The help of the only error in `text`.
fn help_of(text: &str) -> String {
    match load_str("t.toml", text) {
        Ok(_) => panic!("expected an error"),
        Err(e) => {
            assert_eq!(e.diagnostics.len(), 1, "{}", e.render(false));
            e.diagnostics[0].help.clone().unwrap_or_default()
        }
    }
}

#[test]
fn an_integer_beyond_64_bits_is_an_error_at_load() {
    // TOML requires an error here; accepting it gave a file that could never be saved.
    for big in [
        "18446744073709551616",
        "-9223372036854775809",
        "99999999999999999999999999",
        "0xFFFFFFFFFFFFFFFFFF",
    ] {
        let text = with(
            "name = \"Outsource\"\n",
            &format!("name = \"Outsource\"\npublished_total = {big}\n"),
        );
        only(&text, "number-too-large", "27:19", "too large");
    }
    only(
        &with("cost = 2\n", "cost = 99999999999999999999\n"),
        "number-too-large",
        "28:8",
        "99999999999999999999 is too large",
    );
    only(
        &with("weight = 2", "weight = 18446744073709551616"),
        "number-too-large",
        "12:10",
        "too large",
    );
    // The largest 64-bit integer is an ordinary (out-of-range) score.
    let p = problems(&with("cost = 2\n", "cost = 9223372036854775807\n"));
    assert_eq!(p[0].kind, "score-out-of-range", "{p:#?}");
}

#[test]
fn a_doubled_byte_order_mark_is_warned_about() {
    let text = format!("\u{feff}\u{feff}{VALID}");
    let w = warnings_of(&text);
    assert_eq!(w.len(), 1, "{w:#?}");
    assert_eq!(w[0].0, "doubled-byte-order-mark");
    assert_eq!(w[0].1, "1:1");
    // One mark is ordinary and says nothing.
    assert_eq!(warnings_of(&format!("\u{feff}{VALID}")), []);
}

#[test]
fn line_and_paragraph_separators_are_refused_in_one_line_names() {
    for (sep, words) in [
        ("\\u2028", "line separator"),
        ("\\u2029", "paragraph separator"),
    ] {
        only(
            &with(
                "name = \"Outsource\"",
                &format!("name = \"Out{sep}source\""),
            ),
            "invalid-text",
            "26:8",
            words,
        );
        only(
            &with(
                "title = \"Test appraisal\"",
                &format!("title = \"Test{sep}\""),
            ),
            "invalid-text",
            "2:9",
            words,
        );
    }
    // Longer text may hold them.
    let l = load_str(
        "t.toml",
        &with(
            "notes = { cost = \"cheapest\" }",
            "notes = { cost = \"one\\u2028two\" }",
        ),
    );
    assert!(l.is_ok());
}

#[test]
fn weights_too_small_for_the_totals_to_show_are_warned_about() {
    let text =
        with("weight = 2", "weight = 0.000001").replace("weight = 1\n", "weight = 0.000001\n");
    let w = warnings_of(&text);
    assert_eq!(w.len(), 2, "{w:#?}");
    assert_eq!(w[0].0, "weight-too-small");
    assert_eq!(w[0].1, "12:10");
    assert!(w[0].2.contains("0.000001"), "{w:#?}");
    // A small weight beside ordinary ones is fine when a step still shows.
    assert_eq!(warnings_of(&with("weight = 2", "weight = 0.01")), []);
}

#[test]
fn some_criteria_weighted_and_the_rest_left_at_one_is_warned_about() {
    let text = with("weight = 2", "weight = 0.1").replace("weight = 1\n", "\n");
    let w = warnings_of(&text);
    assert_eq!(w.len(), 1, "{w:#?}");
    assert_eq!(w[0].0, "criteria-partly-weighted");
    assert_eq!(w[0].1, "14:1", "at the criterion left without a weight");
    assert!(
        w[0].2.contains(
            "1 of 2 criteria has a weight (0.1) and the other (Quality) weighs 1 by default"
        ),
        "{w:#?}"
    );
    // No weights at all means equal weights, on purpose.
    let none = with("weight = 2\n", "").replace("weight = 1\n", "\n");
    assert_eq!(warnings_of(&none), []);
    // Nor do weights of 1 beside a default of 1: the weights are equal, as meant.
    let ones = with("weight = 2", "weight = 1").replacen("weight = 1\n", "\n", 1);
    assert_ne!(
        ones,
        with("weight = 2", "weight = 1"),
        "one weight left out"
    );
    assert_eq!(warnings_of(&ones), []);
}

#[test]
fn a_percentage_weight_is_explained() {
    let help = help_of(&with("weight = 2", "weight = 40%"));
    assert!(
        help.contains("a weight is a number, as in `weight = 40` or `weight = 0.4`"),
        "{help}"
    );
    let help = help_of(&with("weight = 2", "weight = \"40%\""));
    assert!(
        help.contains("a weight is a number, as in `weight = 40` or `weight = 0.4`"),
        "{help}"
    );
    let help = help_of(&with("cost = 2\n", "cost = 40%\n"));
    assert!(help.contains("without the % sign"), "{help}");
}

#[test]
fn a_scale_with_too_many_steps_says_why_and_what_to_do() {
    let text = with("max = 5\n", "max = 250000\n");
    let p = problems(&text);
    assert_eq!(p[0].kind, "invalid-scale", "{p:#?}");
    assert_eq!(p[0].at, "6:7");
    assert!(p[0].message.contains("250000 steps"), "{p:#?}");
    let help = help_of(&text);
    assert!(help.contains("10,000"), "{help}");
    assert!(help.contains("cost in pounds"), "{help}");
    // The way to hold such a measure: a measured criterion with a value function.
    assert!(
        help.contains("better = \"lower\" and value = \"linear\""),
        "{help}"
    );
    assert!(help.contains("`measures`"), "{help}");
}

#[test]
fn a_score_between_steps_is_quoted_as_written() {
    only(
        &with("cost = 2\n", "cost = 4.0000001\n"),
        "score-off-step",
        "28:8",
        "4.0000001 is not on the scale's steps of 1",
    );
    only(
        &with("cost = 2\n", "cost = 5.0001\n"),
        "score-out-of-range",
        "28:8",
        "5.0001 is outside the scale 0 to 5",
    );
}
