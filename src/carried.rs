//! What an exported workbook carries for `appraise import` beyond its
//! visible tables: each measured criterion's value function, a criterion's
//! own scale with its wording, the cost marking, published ranks,
//! percentages and subtotals, raw values given as ranges, percentage
//! weights and `[agreed_weights]`. The workbook keeps them on its hidden Ids
//! sheet as records, each an inline TOML table written with the same rules
//! as a saved file ([`crate::document`]), so that import gives them back
//! exactly. Names, scores, weights and notes stay on the visible sheets,
//! where people edit them.

use crate::document;
use crate::model::Appraisal;

/// The kind of a record about a criterion (keyed by its id).
pub const CRITERION: &str = "criterion-data";
/// The kind of a record about an option (keyed by its id).
pub const OPTION: &str = "option-data";
/// The kind of the record about the whole appraisal (keyed `appraisal`).
pub const APPRAISAL: &str = "appraisal-data";

/// One record: its kind, the id it is about, and an inline TOML table of
/// the keys the file gives it (`{ value = { function = "bands", ... } }`).
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    /// [`CRITERION`], [`OPTION`] or [`APPRAISAL`].
    pub kind: &'static str,
    /// The criterion's or option's id, or `appraisal`.
    pub id: String,
    /// The keys and values, as an inline TOML table.
    pub toml: String,
}

/// The records for `appraisal`, in file order; an item with nothing to
/// carry has none, so a version-1 workbook without these is as before.
pub fn records(a: &Appraisal) -> Vec<Record> {
    let mut out = Vec::new();
    let mut push = |kind, id: &str, t: toml_edit::InlineTable| {
        if !t.is_empty() {
            let mut t = t;
            t.fmt();
            out.push(Record {
                kind,
                id: id.to_string(),
                toml: t.to_string().trim().to_string(),
            });
        }
    };
    let mut t = toml_edit::InlineTable::new();
    if a.percent_weights() {
        t.insert("weights", "percent".into());
    }
    // Version 2 only (a version-1 workbook's Scale sheet gives its scale
    // back, and its workbook stays byte for byte as before).
    if a.version() >= 2 {
        if a.no_common_scale() {
            t.insert("scale", false.into());
        } else {
            t.insert("scale", document::scale_value(a.scale()));
        }
    }
    if let Some(agreed) = document::agreed_weights_value(a.agreed_weights()) {
        t.insert("agreed_weights", agreed);
    }
    push(APPRAISAL, "appraisal", t);
    for c in a.criteria() {
        let mut t = toml_edit::InlineTable::new();
        if let Some(m) = c.measure() {
            t.insert("value", document::function_value(&m.function));
        }
        if c.is_cost() {
            t.insert("cost", true.into());
        }
        if let Some(s) = c.own_scale() {
            t.insert("scale", document::scale_value(s));
        }
        push(CRITERION, c.id().as_str(), t);
    }
    for o in a.options() {
        let mut t = toml_edit::InlineTable::new();
        if let Some(r) = o.published_rank {
            t.insert("published_rank", i64::from(r).into());
        }
        if let Some(p) = &o.published_percent {
            t.insert("published_percent", document::published_value(p));
        }
        if !o.published_subtotals().is_empty() {
            let mut s = toml_edit::InlineTable::new();
            for (g, p) in o.published_subtotals() {
                if let Some(g) = a.groups().get(*g) {
                    s.insert(g.id().as_str(), document::published_value(p));
                }
            }
            t.insert("published_subtotals", s.into());
        }
        // An option screened out is not on the Matrix, so its scores and
        // raw values travel here.
        if o.screened_out() {
            let mut scores = toml_edit::InlineTable::new();
            let mut measures = toml_edit::InlineTable::new();
            for (k, c) in a.criteria().iter().enumerate() {
                if c.measure().is_some() {
                    if let Some(v) = o.measure(k).filter(|_| o.range(k).is_none()) {
                        measures.insert(c.id().as_str(), document::num_value(v));
                    }
                } else if let Some(s) = o.score(k) {
                    scores.insert(c.id().as_str(), document::num_value(s));
                }
            }
            for (key, t2) in [("scores", scores), ("measures", measures)] {
                if !t2.is_empty() {
                    t.insert(key, t2.into());
                }
            }
        }
        let mut ranges = toml_edit::InlineTable::new();
        for (k, c) in a.criteria().iter().enumerate() {
            if let Some(r) = o.range(k) {
                ranges.insert(c.id().as_str(), document::range_value(&r));
            }
        }
        if !ranges.is_empty() {
            t.insert("ranges", ranges.into());
        }
        push(OPTION, o.id().as_str(), t);
    }
    out
}

/// A record's keys and their values as written (`3.80` keeps its
/// decimals), or `None` when the text is not an inline table.
pub fn entries(toml: &str) -> Option<Vec<(String, String)>> {
    let t: toml_edit::InlineTable = toml
        .parse::<toml_edit::Value>()
        .ok()?
        .as_inline_table()?
        .clone();
    Some(
        t.iter()
            .map(|(k, v)| (k.to_string(), v.to_string().trim().to_string()))
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_kind_of_record_reads_back_as_written() {
        let text = r#"version = 2
[appraisal]
title = "T"
weights = "percent"
[agreed_weights]
order = "a > rest"
share = { b = "10%..60%" }
[[groups]]
id = "g"
name = "G"
weight = 100
[[criteria]]
id = "a"
name = "A"
group = "g"
weight = 50
unit = "£m"
better = "lower"
cost = true
value = { function = "piecewise", points = [[4, 5], [8, 3], [12.5, 0]] }
scale = { min = 0, max = 5, labels = { 0 = "None" } }
[[criteria]]
id = "b"
name = "B"
group = "g"
weight = 50
scale = { min = 0, max = 5 }
[[options]]
id = "x"
name = "X"
scores = { b = 3 }
measures = { a = { low = 4, likely = 5, high = 7.5 } }
published_rank = 1
published_percent = 62.50
published_subtotals = { g = 3.10 }
"#;
        let a = crate::load::load_str("t.toml", text)
            .unwrap_or_else(|e| panic!("{}", e.render(false)))
            .appraisal;
        let r = records(&a);
        let find = |kind, id: &str| {
            r.iter()
                .find(|x| x.kind == kind && x.id == id)
                .map(|x| entries(&x.toml).unwrap())
                .unwrap_or_default()
        };
        let get = |e: &[(String, String)], k: &str| {
            e.iter().find(|(key, _)| key == k).map(|(_, v)| v.clone())
        };
        let app = find(APPRAISAL, "appraisal");
        assert_eq!(get(&app, "weights").as_deref(), Some("\"percent\""));
        assert_eq!(
            get(&app, "agreed_weights").as_deref(),
            Some("{ order = \"a > rest\", share = { b = \"10%..60%\" } }")
        );
        let ca = find(CRITERION, "a");
        assert_eq!(
            get(&ca, "value").as_deref(),
            Some("{ function = \"piecewise\", points = [[4, 5], [8, 3], [12.5, 0]] }")
        );
        assert_eq!(get(&ca, "cost").as_deref(), Some("true"));
        assert_eq!(
            get(&ca, "scale").as_deref(),
            Some("{ min = 0, max = 5, labels = { 0 = \"None\" } }")
        );
        let ox = find(OPTION, "x");
        assert_eq!(get(&ox, "published_rank").as_deref(), Some("1"));
        assert_eq!(get(&ox, "published_percent").as_deref(), Some("62.50"));
        assert_eq!(
            get(&ox, "published_subtotals").as_deref(),
            Some("{ g = 3.10 }")
        );
        assert_eq!(
            get(&ox, "ranges").as_deref(),
            Some("{ a = { low = 4, likely = 5, high = 7.5 } }")
        );
        assert!(entries("not a table").is_none());
    }
}
