use super::*;
use crate::load;

const SMALL: &str = r#"
[appraisal]
title = "Libraries"

[scale]
min = 0
max = 5
step = 1

[[criteria]]
id = "cost"
name = "Cost"
weight = 2

[[criteria]]
id = "access"
name = "Access"
weight = 1

[[options]]
id = "in-house"
name = "Keep in house"
[options.scores]
cost = 3
access = 4
[options.notes]
cost = "Budget held flat."

[[options]]
id = "trust"
name = "Trust"
[options.scores]
cost = 4
access = 3
"#;

fn load(text: &str) -> Appraisal {
    load::load_str("t.toml", text).unwrap().appraisal
}

fn both(new_text: &str) -> Diff {
    diff(&load(SMALL), &load(new_text), &DiffOptions::default())
}

#[test]
fn identical_versions_have_no_changes_and_keep_their_leader() {
    let d = both(SMALL);
    assert!(d.is_empty(), "{:?}", d.changes);
    assert!(!d.leaders.changed());
    assert!(d.standings.iter().all(|s| !s.moved()));
    assert!(d.statements.removed.is_empty() && d.statements.added.is_empty());
}

#[test]
fn scores_weights_and_notes_are_compared_cell_by_cell() {
    let new = SMALL
        .replace("cost = 4\naccess = 3", "cost = 5\naccess = 3")
        .replace("weight = 2", "weight = 3")
        .replace("\"Budget held flat.\"", "\"Budget cut by 5%.\"");
    let d = both(&new);
    let score = d
        .changes
        .iter()
        .find(|c| matches!(c.what, What::Number { field: "score", .. }))
        .unwrap();
    assert_eq!(
        score.subject,
        Subject::Cell {
            option: "trust".into(),
            option_name: "Trust".into(),
            criterion: "cost".into(),
            criterion_name: "Cost".into(),
        }
    );
    assert!(matches!(
        score.what,
        What::Number {
            old: Some(4.0),
            new: Some(5.0),
            ..
        }
    ));
    assert!(d.changes.iter().any(|c| matches!(
        &c.what,
        What::Number { field: "weight", old: Some(o), new: Some(n), .. } if *o == 2.0 && *n == 3.0
    )));
    assert!(d.changes.iter().any(|c| matches!(
        &c.what,
        What::Text { field, old: Some(o), new: Some(n) }
            if field == "note" && o == "Budget held flat." && n == "Budget cut by 5%."
    )));
    assert_eq!(d.changes.len(), 3, "{:?}", d.changes);
    // Trust was 8+3 = 11 against 6+4 = 10; now 15+3 = 18 against 9+4 = 13.
    let trust = d.standings.iter().find(|s| s.id == "trust").unwrap();
    assert_eq!(trust.old.unwrap().total, 11.0);
    assert_eq!(trust.new.unwrap().total, 18.0);
    assert!(!d.leaders.changed());
}

#[test]
fn renames_are_matched_by_id_and_additions_and_removals_are_named() {
    let new = SMALL
        .replace("name = \"Trust\"", "name = \"Charitable trust\"")
        .replace(
            "[[criteria]]\nid = \"access\"\nname = \"Access\"\nweight = 1\n",
            "[[criteria]]\nid = \"reach\"\nname = \"Reach\"\nweight = 1\n",
        )
        .replace("access = 4", "reach = 4")
        .replace("access = 3", "reach = 3");
    let d = both(&new);
    assert!(d.changes.iter().any(|c| matches!(
        (&c.subject, &c.what),
        (Subject::Option { id, .. }, What::Renamed { old, new })
            if id == "trust" && old == "Trust" && new == "Charitable trust"
    )));
    assert!(d.changes.iter().any(|c| matches!(
        (&c.subject, &c.what),
        (Subject::Criterion { id, .. }, What::Removed { .. }) if id == "access"
    )));
    assert!(d.changes.iter().any(|c| matches!(
        (&c.subject, &c.what),
        (Subject::Criterion { id, .. }, What::Added { .. }) if id == "reach"
    )));
    // Scores against a criterion that came or went are not listed one by one.
    assert!(
        !d.changes
            .iter()
            .any(|c| matches!(&c.subject, Subject::Cell { criterion, .. } if criterion == "reach"))
    );
}

#[test]
fn a_change_of_lead_and_of_scale_are_reported() {
    let new = SMALL
        .replace("max = 5", "max = 10")
        .replace("cost = 3\naccess = 4", "cost = 9\naccess = 4");
    let d = both(&new);
    assert!(d.leaders.changed());
    assert_eq!(d.leaders.old, ["Trust"]);
    assert_eq!(d.leaders.new, ["Keep in house"]);
    assert!(d.changes.iter().any(|c| matches!(
        (&c.subject, &c.what),
        (Subject::Scale, What::Number { field: "max", .. })
    )));
    let first = &d.standings[0];
    assert_eq!(first.id, "in-house");
    assert_eq!(first.old.unwrap().rank, 2);
    assert_eq!(first.new.unwrap().rank, 1);
    // The exact sensitivity statements name the leader, so they change too.
    assert!(!d.statements.removed.is_empty());
    assert!(!d.statements.added.is_empty());
}

#[test]
fn a_swap_in_the_order_is_reported_for_both_options() {
    let (a, b) = SMALL.split_at(SMALL.find("[[options]]\nid = \"trust\"").unwrap());
    let (head, first) = a.split_at(a.find("[[options]]").unwrap());
    let new = format!("{head}{b}\n{first}");
    let d = both(&new);
    let moves: Vec<&Change> = d
        .changes
        .iter()
        .filter(|c| matches!(c.what, What::Moved { .. }))
        .collect();
    assert_eq!(moves.len(), 2, "{:?}", d.changes);
    assert!(
        d.changes
            .iter()
            .all(|c| matches!(c.what, What::Moved { .. })),
        "{:?}",
        d.changes
    );
}

#[test]
fn the_text_and_markdown_say_the_same_things() {
    let new = SMALL
        .replace("cost = 4\naccess = 3", "cost = 1\naccess = 3")
        .replace("name = \"Trust\"", "name = \"Trust | charity\"");
    let d = both(&new);
    let labels = render::Labels {
        old: "old.toml".into(),
        new: "new.toml".into(),
        title: "Libraries".into(),
    };
    let report = render::report(&d, &labels);
    let mut text = Vec::new();
    render::write_text(&report, crate::report::TextStyle::default(), &mut text).unwrap();
    let text = String::from_utf8(text).unwrap();
    let mut md = Vec::new();
    render::write_markdown(&report, &mut md).unwrap();
    let md = String::from_utf8(md).unwrap();
    for needle in [
        "2 things changed: 1 score and 1 rename.",
        "The lead changed: Trust led before; Keep in house leads now.",
        "From old.toml to new.toml",
    ] {
        assert!(text.contains(needle), "{needle}\n{text}");
        assert!(md.contains(needle), "{needle}\n{md}");
    }
    assert!(text.contains("Trust | charity: Cost"), "{text}");
    // A pipe in a name stays inside its Markdown cell.
    assert!(md.contains("Trust \\| charity: Cost"), "{md}");
    assert!(md.contains("| What | Change | Before | Now |"), "{md}");
}

#[test]
fn agreed_weights_alone_are_a_change() {
    let agreed = |body: &str| SMALL.replacen("[[criteria]]", &format!("{body}\n\n[[criteria]]"), 1);
    let old = agreed("[agreed_weights]\norder = \"cost > access\"");
    let new =
        agreed("[agreed_weights]\norder = \"access > cost\"\nshare = { cost = \"40%..70%\" }");
    let d = diff(&load(&old), &load(&new), &DiffOptions::default());
    assert!(!d.is_empty(), "only the agreed weights changed");
    let lists: Vec<_> = d
        .changes
        .iter()
        .filter_map(|c| match (&c.subject, &c.what) {
            (
                Subject::Appraisal,
                What::List {
                    field,
                    removed,
                    added,
                },
            ) => Some((*field, removed.clone(), added.clone())),
            _ => None,
        })
        .collect();
    assert_eq!(
        lists,
        [
            (
                "agreed order",
                vec!["cost > access".to_string()],
                vec!["access > cost".to_string()]
            ),
            ("agreed share", vec![], vec!["cost=40%..70%".to_string()]),
        ]
    );
    // Dropping them is a change too, and the same file has none.
    assert!(!diff(&load(&old), &load(SMALL), &DiffOptions::default()).is_empty());
    assert!(diff(&load(&new), &load(&new), &DiffOptions::default()).is_empty());
}
