use super::*;
use crate::numbers::score;

#[test]
fn slugs_keep_ascii_letters_and_digits_joined_by_single_dashes() {
    assert_eq!(slug("Shared Service (2)"), "shared-service-2");
    assert_eq!(slug("  --Cllr A. Example--  "), "cllr-a-example");
    assert_eq!(slug("Café"), "caf");
    assert_eq!(slug("\u{212a}elvin"), "kelvin");
    assert_eq!(slug("éé"), "");
    assert!(Id::new(&slug("Peer Practice Partner")).is_ok());
}

fn tiny() -> Appraisal {
    let scale = Scale::new(0.0, 5.0, 1.0).unwrap();
    let criteria = vec![
        Criterion::new(Id::new("a").unwrap(), "A", 1.0).unwrap(),
        Criterion::new(Id::new("b").unwrap(), "B", 2.0).unwrap(),
    ];
    let options = vec![
        AppraisalOption::new(Id::new("x").unwrap(), "X", 2).unwrap(),
        AppraisalOption::new(Id::new("y").unwrap(), "Y", 2).unwrap(),
    ];
    let meta = Meta {
        title: "T".into(),
        ..Meta::default()
    };
    Appraisal::new(meta, scale, criteria, options).unwrap()
}

#[test]
fn ids_follow_the_rules() {
    assert!(Id::new("child-focused").is_ok());
    assert!(Id::new("a1").is_ok());
    for bad in ["", "Child", "a b", "a_b", "é", &"x".repeat(MAX_ID_LEN + 1)] {
        assert!(Id::new(bad).is_err(), "{bad:?} should be rejected");
    }
}

#[test]
fn scale_checks_range_and_step() {
    let s = Scale::new(0.0, 5.0, 0.5).unwrap();
    assert!(s.check(2.5).is_ok());
    assert!(matches!(
        s.check(2.25),
        Err(ModelError::ScoreOffStep { .. })
    ));
    assert!(matches!(
        s.check(5.5),
        Err(ModelError::ScoreOutOfRange { .. })
    ));
    assert!(matches!(
        s.check(f64::NAN),
        Err(ModelError::ScoreOutOfRange { .. })
    ));
    assert_eq!(s.step_count(), 10);
    assert_eq!(s.nudge(4.5, 3), 5.0);
    assert_eq!(s.nudge(0.5, -1), 0.0);
    assert!(Scale::new(5.0, 5.0, 1.0).is_err());
    assert!(Scale::new(0.0, 5.0, 2.0).is_err(), "max off the step grid");
    assert!(Scale::new(0.0, 5.0, 0.0).is_err());
    assert!(Scale::new(-1e308, 1e308, 1.0).is_err());
}

#[test]
fn tenth_steps_print_cleanly() {
    let s = Scale::new(0.0, 1.0, 0.1).unwrap();
    assert_eq!(score(s.point(3)), "0.3");
    assert!(s.check(0.3).is_ok());
}

#[test]
fn scores_are_checked_against_the_scale() {
    let mut a = tiny();
    assert!(a.set_score(0, 1, Some(4.0)).is_ok());
    assert_eq!(a.options()[0].score(1), Some(4.0));
    assert!(a.set_score(0, 1, Some(6.0)).is_err());
    assert_eq!(
        a.options()[0].score(1),
        Some(4.0),
        "a rejected edit changes nothing"
    );
    assert!(a.set_score(0, 5, Some(1.0)).is_err());
    assert!(a.set_score(0, 1, None).is_ok());
    assert_eq!(a.options()[0].score(1), None);
}

#[test]
fn weights_cannot_all_be_zero_or_overflow() {
    let mut a = tiny();
    assert!(a.set_weight(0, 0.0).is_ok());
    assert_eq!(a.set_weight(1, 0.0), Err(ModelError::AllWeightsZero));
    assert_eq!(a.criteria()[1].weight(), 2.0);
    assert_eq!(a.set_weight(1, f64::MAX), Err(ModelError::TotalOverflow));
    assert!(matches!(
        a.set_weight(1, -1.0),
        Err(ModelError::InvalidWeight(_))
    ));
    assert!(a.set_weights(&[0.0, 0.0]).is_err());
    assert_eq!(a.weights(), vec![0.0, 2.0]);
}

#[test]
fn criteria_move_with_their_columns() {
    let mut a = tiny();
    a.set_score(0, 0, Some(1.0)).unwrap();
    a.set_score(0, 1, Some(2.0)).unwrap();
    a.move_criterion(0, 1).unwrap();
    assert_eq!(a.criteria()[0].id().as_str(), "b");
    assert_eq!(a.options()[0].scores(), &[Some(2.0), Some(1.0)]);
    let removed = a.remove_criterion(0).unwrap();
    assert_eq!(removed.scores, vec![Some(2.0), None]);
    a.insert_criterion(0, removed.criterion, removed.scores, removed.notes)
        .unwrap();
    assert_eq!(a.options()[0].scores(), &[Some(2.0), Some(1.0)]);
}

#[test]
fn a_removed_column_comes_back_whole_with_evidence_raw_values_and_ranges() {
    let text = std::fs::read_to_string("tests/fixtures/v2/waste-contract.toml").unwrap();
    let mut a = crate::load::load_str("w.toml", &text).unwrap().appraisal;
    let before = a.clone();
    let (mut evidence, mut measured) = (false, false);
    for c in 0..a.criteria().len() {
        let copy = a.criterion_column(c).unwrap();
        // The last criterion of a group cannot go; the others can.
        let Ok(removed) = a.remove_criterion(c) else {
            continue;
        };
        assert_eq!(removed, copy, "criterion {c}");
        evidence |= removed.evidence.iter().any(|e| !e.is_empty());
        measured |= removed.measures.iter().any(Option::is_some);
        a.restore_criterion(c, removed).unwrap();
        assert_eq!(a, before, "criterion {c}");
    }
    // Columns holding each kind went out and came back.
    assert!(
        evidence && measured,
        "evidence {evidence}, measured {measured}"
    );
    let text = std::fs::read_to_string("tests/fixtures/v2/ranges-closed-form.toml").unwrap();
    let mut r = crate::load::load_str("r.toml", &text).unwrap().appraisal;
    let before = r.clone();
    // The only criterion cannot go; add one, then take the ranged one out and back.
    let extra =
        crate::model::Criterion::new(crate::model::Id::new("q").unwrap(), "Q", 1.0).unwrap();
    r.insert_criterion(1, extra, Vec::new(), Vec::new())
        .unwrap();
    let with = r.clone();
    let removed = r.remove_criterion(0).unwrap();
    assert!(removed.ranges.iter().all(Option::is_some));
    r.restore_criterion(0, removed).unwrap();
    assert_eq!(r, with);
    assert_eq!(r.options()[0].range(0), before.options()[0].range(0));
}

#[test]
fn the_last_option_and_duplicates_are_refused() {
    let mut a = tiny();
    let dup = AppraisalOption::new(Id::new("x").unwrap(), "X again", 2).unwrap();
    assert_eq!(
        a.insert_option(0, dup),
        Err(ModelError::DuplicateId("x".into()))
    );
    a.remove_option(0).unwrap();
    assert_eq!(a.remove_option(0), Err(ModelError::WouldBeEmpty("option")));
}

#[test]
fn names_and_text_refuse_control_characters() {
    assert!(check_name("Fine name").is_ok());
    assert_eq!(check_name("  "), Err(ModelError::BlankName));
    assert!(check_name("two\nlines").is_err());
    assert!(check_text("two\nlines\tok").is_ok());
    assert!(check_text("bell\u{7}").is_err());
    assert!(check_text("escape\u{1b}[2J").is_err());
}

#[test]
fn names_refuse_direction_overrides_but_not_right_to_left_text() {
    for c in ('\u{202A}'..='\u{202E}').chain('\u{2066}'..='\u{2069}') {
        assert_eq!(
            check_name(&format!("Option{c}A")),
            Err(ModelError::BidiControl(c as u32))
        );
    }
    assert!(check_name("خيار أ").is_ok());
    assert!(check_name("אפשרות \u{200F}ב").is_ok());
}

#[test]
fn published_figures_keep_their_precision() {
    assert_eq!(written_decimals("3.8"), 1);
    assert_eq!(written_decimals("24"), 0);
    assert_eq!(written_decimals("3.80"), 2);
    assert_eq!(written_decimals("-1_000.5"), 1);
    assert_eq!(written_decimals("3.8e1"), 0);
    assert_eq!(written_decimals("1.25E-1"), 3);
    assert_eq!(written_decimals("0x1F"), 0);
    let p = Published::written(3.8, "3.8");
    assert!(p.agrees_with(3.75), "3.75 prints as 3.8");
    assert!(p.agrees_with(3.85), "either way at an exact half");
    assert!(!p.agrees_with(3.7));
    assert!(Published::written(6.0, "6.0").agrees_with(5.95));
    assert!(!Published::written(24.0, "24").agrees_with(26.0));
    assert!(Published::written(24.0, "24").agrees_with(24.4));
    assert!(!Published::written(3.80, "3.80").agrees_with(3.75 + 0.001));
    assert_eq!(Published::written(3.8, "3.80").text(), "3.80");
    assert_eq!(Published::new(3.75).decimals(), 2);
    assert_eq!(Published::new(33.0).text(), "33");
    assert_eq!(Published::written(3.8, "3.8").rounded(3.75), "3.8");
}
