//! Workbooks written by `appraise export --format xlsx`: the hidden Ids
//! sheet gives back the ids and details, and the other sheets the
//! descriptions, groups, strengths and weaknesses, scale, labels and notes,
//! matched to the matrix by name (which people may edit in the workbook).

use std::collections::{HashMap, HashSet};

use super::read::{Book, Sheet, Value};
use super::{Draft, ScaleSource, Settings};
use crate::export::xlsx::IDS_SHEET_TITLE;

/// What the Ids sheet holds.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Ids {
    /// The appraisal's details as (key, text).
    pub details: Vec<(String, String)>,
    /// Each criterion's (id, name), in file order.
    pub criteria: Vec<(String, String)>,
    /// Each option's (id, name, annex sheet), in file order.
    pub options: Vec<(String, String, Option<String>)>,
    /// Each criteria group's (id, name), in file order (version 2).
    pub groups: Vec<(String, String)>,
    /// Each screening test's (id, name), in file order (version 2).
    pub screens: Vec<(String, String)>,
    /// The version of the file the workbook was exported from, where the
    /// Ids sheet says (workbooks exported from version-1 files do not).
    pub version: Option<u8>,
    /// What the visible sheets do not hold ([`crate::carried`]): by (kind,
    /// id), the keys and values as written; none in a workbook exported
    /// before it was kept.
    pub carried: HashMap<(String, String), Vec<(String, String)>>,
}

impl Ids {
    /// The keys and values (as written) carried for `id` of `kind`.
    pub fn carried(&self, kind: &str, id: &str) -> Vec<(String, String)> {
        self.carried
            .get(&(kind.to_string(), id.to_string()))
            .cloned()
            .unwrap_or_default()
    }

    /// The value (as written) carried for `key` of `id` of `kind`.
    pub fn carried_value(&self, kind: &str, id: &str, key: &str) -> Option<String> {
        self.carried(kind, id)
            .into_iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v)
    }
}

/// The Ids sheet of an appraise workbook, if `book` is one.
pub fn ids_sheet(book: &Book) -> Option<Ids> {
    let sheet = book
        .sheets
        .iter()
        .find(|s| s.get(0, 0).shown() == IDS_SHEET_TITLE)?;
    let head = (0..sheet.rows.len()).find(|&r| sheet.get(r, 0).shown() == "Kind")?;
    let mut ids = Ids::default();
    for r in head + 1..sheet.rows.len() {
        let text = |c: usize| sheet.get(r, c).shown();
        match text(0).as_str() {
            "appraisal" => ids.details.push((text(1), text(2))),
            "criterion" => ids.criteria.push((text(1), text(2))),
            "group" => ids.groups.push((text(1), text(2))),
            "format" if text(1) == "version" => ids.version = text(2).parse().ok(),
            "screening" => ids.screens.push((text(1), text(2))),
            k if [
                crate::carried::CRITERION,
                crate::carried::OPTION,
                crate::carried::APPRAISAL,
            ]
            .contains(&k) =>
            {
                // A record that does not read (cut, or edited) is left out,
                // and import falls back on the visible sheets.
                if let Some(entries) = crate::carried::entries(&text(2)) {
                    ids.carried
                        .entry((text(0), text(1)))
                        .or_default()
                        .extend(entries);
                }
            }
            "option" => {
                let annex = Some(text(3)).filter(|s| !s.is_empty());
                ids.options.push((text(1), text(2), annex));
            }
            _ => {}
        }
    }
    Some(ids)
}

/// A table in `sheet` under a row holding each of `headers` (a header
/// matches when the cell starts with it, so "Score (out of 40)" is
/// "Score"): its rows below, as the cells under each header, until a row
/// with nothing under the first.
fn table(sheet: &Sheet, headers: &[&str]) -> Vec<Vec<Value>> {
    for r in 0..sheet.rows.len() {
        let cols: Option<Vec<usize>> = headers
            .iter()
            .map(|h| {
                (0..sheet.rows[r].len()).find(|&c| {
                    let t = sheet.get(r, c).shown();
                    t == *h || t.starts_with(&format!("{h} ("))
                })
            })
            .collect();
        let Some(cols) = cols else {
            continue;
        };
        let mut out = Vec::new();
        for row in r + 1..sheet.rows.len() {
            if sheet.get(row, cols[0]).is_empty() {
                break;
            }
            out.push(cols.iter().map(|&c| sheet.get(row, c).clone()).collect());
        }
        return out;
    }
    Vec::new()
}

fn sheet<'a>(book: &'a Book, name: &str) -> Option<&'a Sheet> {
    book.sheets.iter().find(|s| s.name == name)
}

/// Items of a list cell: one per line, without the bullets the export adds.
fn items(v: &Value) -> Vec<String> {
    // Split at bullets too: workbooks exported before lines were kept in
    // cells ran the items together ("one• two").
    v.shown()
        .split(['\n', '•'])
        .map(|l| l.trim().to_string())
        .filter(|l| !l.is_empty())
        .collect()
}

fn text(v: &Value) -> Option<String> {
    Some(v.shown()).filter(|s| !s.is_empty())
}

/// Puts `items` in the order of `order` (by key), the rest after in their order.
fn order_of<T>(
    items: Vec<T>,
    key: impl Fn(&T) -> String,
    order: &[String],
) -> (Vec<T>, Vec<usize>) {
    let at: HashMap<&str, usize> = order
        .iter()
        .enumerate()
        .map(|(i, s)| (s.as_str(), i))
        .collect();
    let mut idx: Vec<usize> = (0..items.len()).collect();
    idx.sort_by_key(|&i| {
        at.get(key(&items[i]).as_str())
            .copied()
            .unwrap_or(usize::MAX - items.len() + i)
    });
    let mut slots: Vec<Option<T>> = items.into_iter().map(Some).collect();
    let sorted = idx.iter().filter_map(|&i| slots[i].take()).collect();
    (sorted, idx)
}

/// Whether `text` at `value` is the wording the export gives an end of the
/// scale that has none ("The lowest score."), which is not the file's own.
pub fn exported_end_label(value: f64, text: &str, (min, max, _): (f64, f64, f64)) -> bool {
    use crate::export::tables::unlabelled_end;
    (value == min && text == unlabelled_end(false))
        || (value == max && text == unlabelled_end(true))
}

/// Fills `draft` from the rest of an appraise workbook.
pub fn enrich(book: &Book, ids: Ids, draft: &mut Draft, settings: &Settings) {
    draft.from_appraise = true;
    draft.carried = ids.carried(crate::carried::APPRAISAL, "appraisal");
    for (key, value) in ids.details {
        if key == "title" {
            draft.title = value;
        } else {
            draft.details.push((key, value));
        }
    }
    // Ids by name; a criterion or option added in the workbook keeps the id
    // made from its name, unless that is taken.
    let by_name: HashMap<&str, &str> = ids
        .criteria
        .iter()
        .map(|(id, name)| (name.as_str(), id.as_str()))
        .collect();
    let taken: HashSet<&str> = ids.criteria.iter().map(|(id, _)| id.as_str()).collect();
    for c in &mut draft.criteria {
        match by_name.get(c.name.as_str()) {
            Some(id) => c.id = (*id).to_string(),
            None if taken.contains(c.id.as_str()) => c.id = format!("{}-new", c.id),
            None => {}
        }
    }
    let by_name: HashMap<&str, (&str, Option<&str>)> = ids
        .options
        .iter()
        .map(|(id, name, annex)| (name.as_str(), (id.as_str(), annex.as_deref())))
        .collect();
    let taken: HashSet<&str> = ids.options.iter().map(|(id, _, _)| id.as_str()).collect();
    let mut annexes = HashMap::new();
    for o in &mut draft.options {
        match by_name.get(o.name.as_str()) {
            Some((id, annex)) => {
                o.id = (*id).to_string();
                if let Some(a) = annex {
                    annexes.insert(o.id.clone(), (*a).to_string());
                }
            }
            None if taken.contains(o.id.as_str()) => o.id = format!("{}-new", o.id),
            None => {}
        }
    }
    // File order, as the Ids sheet lists it (the matrix is in rank order).
    let order: Vec<String> = ids.criteria.iter().map(|(id, _)| id.clone()).collect();
    let criteria = std::mem::take(&mut draft.criteria);
    let (criteria, moved) = order_of(criteria, |c| c.id.clone(), &order);
    draft.criteria = criteria;
    for o in &mut draft.options {
        o.scores = moved.iter().map(|&i| o.scores[i]).collect();
        o.notes = moved.iter().map(|&i| o.notes[i].clone()).collect();
    }
    let order: Vec<String> = ids.options.iter().map(|(id, _, _)| id.clone()).collect();
    let options = std::mem::take(&mut draft.options);
    draft.options = order_of(options, |o| o.id.clone(), &order).0;

    if let Some(s) = sheet(book, "Criteria") {
        for row in table(s, &["Criterion", "Description"]) {
            if let Some(c) = draft.criteria.iter_mut().find(|c| c.name == row[0].shown()) {
                c.description = text(&row[1]);
            }
        }
    }
    if let Some(s) = sheet(book, "Options") {
        for row in table(s, &["Option", "Group", "Description"]) {
            if let Some(o) = draft.options.iter_mut().find(|o| o.name == row[0].shown()) {
                o.group = text(&row[1]);
                o.description = text(&row[2]);
            }
        }
    }
    if let Some(s) = sheet(book, "Summary") {
        for row in table(s, &["Option", "Main strengths", "Main weaknesses"]) {
            if let Some(o) = draft.options.iter_mut().find(|o| o.name == row[0].shown()) {
                o.strengths = items(&row[1]);
                o.weaknesses = items(&row[2]);
            }
        }
    }
    if let Some(s) = sheet(book, "Scale") {
        draft.labels = table(s, &["Score", "Meaning"])
            .iter()
            .filter_map(|row| Some((row[0].number()?, text(&row[1])?)))
            .collect();
    }
    if settings.scale.is_none()
        && let Some(s) = sheet(book, &draft.sheet)
    {
        let value = |label: &str| {
            (0..s.rows.len()).find_map(|r| {
                let c = (0..s.rows[r].len()).find(|&c| s.get(r, c).shown() == label)?;
                s.get(r, c + 1).number()
            })
        };
        if let (Some(min), Some(max), Some(step)) = (
            value("Lowest score"),
            value("Highest score"),
            value("Step between scores"),
        ) {
            draft.scale = (min, max, step);
            draft.scale_source = ScaleSource::Read;
        }
    }
    let scale = draft.scale;
    draft
        .labels
        .retain(|(v, t)| !exported_end_label(*v, t, scale));
    let criterion_at: HashMap<String, usize> = draft
        .criteria
        .iter()
        .enumerate()
        .map(|(i, c)| (c.name.clone(), i))
        .collect();
    let mut notes = 0;
    for o in &mut draft.options {
        let Some(s) = annexes.get(&o.id).and_then(|name| sheet(book, name)) else {
            continue;
        };
        for row in table(s, &["Criterion", "Evaluation"]) {
            if let (Some(&c), Some(note)) = (criterion_at.get(&row[0].shown()), text(&row[1])) {
                o.notes[c] = Some(note);
                notes += 1;
            }
        }
    }
    draft.found.insert(
        1,
        format!(
            "an appraise workbook: ids and details from its Ids sheet; descriptions, groups, strengths, weaknesses, scale and {} from its other sheets",
            crate::numbers::count(notes as f64, "note", "notes")
        ),
    );
}
