//! The appraisal file as a TOML document: applying an edited [`Appraisal`]
//! to the text it was loaded from without disturbing the rest of it.
//!
//! [`update_document`] edits the text with `toml_edit`: options and criteria
//! are found by id, and only the values that differ are replaced, each keeping
//! its surrounding whitespace and trailing comment. Comments, key order and
//! formatting elsewhere are untouched. [`to_toml`] writes an appraisal afresh
//! when there is no text to edit.
//!
//! The value helpers ([`replace_value`] and friends) are shared with the
//! scoresheet writer (`panel::member`), so both keep decor by the same rules.

use thiserror::Error;
use toml_edit::{Array, ArrayOfTables, DocumentMut, Item, Table, TableLike, Value};

use crate::model::{Appraisal, AppraisalOption, Criterion, Meta, Scale};

/// Why an edited appraisal could not be applied to its text.
#[derive(Debug, Error)]
pub enum DocumentError {
    /// The text the appraisal was loaded from is no longer valid TOML.
    #[error("the original file could not be read as TOML: {0}")]
    Parse(#[from] toml_edit::TomlError),
    /// The file does not have the shape of an appraisal (for example `criteria` is not a list of tables).
    #[error("the file's layout is not one this program can update: {0}")]
    Layout(String),
}

/// Applies `appraisal` to `original` (the text it was loaded from) and returns the new text.
///
/// Values that did not change keep their exact text; changed values keep their
/// decor (spacing and trailing comment). Options and criteria are matched by id:
/// removed ones are dropped with their comments, new ones are added in place,
/// and reordered ones move with their comments and sub-tables.
///
/// The file's byte-order mark and line endings are kept (see [`keeping_layout`]).
pub fn update_document(original: &str, appraisal: &Appraisal) -> Result<String, DocumentError> {
    keeping_layout(original, |body| {
        let mut doc: DocumentMut = body.parse()?;
        apply(&mut doc, appraisal)?;
        Ok(doc.to_string())
    })
}

/// Records what a panel agreed about the weights in `original`'s
/// `[agreed_weights]` table (created at the end, replaced if there, removed
/// when nothing is agreed), leaving the rest of the text as it was.
pub fn set_agreed_weights(
    original: &str,
    agreed: &crate::model::AgreedWeights,
) -> Result<String, DocumentError> {
    keeping_layout(original, |body| {
        let mut doc: DocumentMut = body.parse()?;
        if agreed.is_empty() {
            doc.remove("agreed_weights");
            return Ok(doc.to_string());
        }
        let fresh = !doc.contains_key("agreed_weights");
        let table = doc
            .entry("agreed_weights")
            .or_insert_with(|| Item::Table(Table::new()))
            .as_table_mut()
            .ok_or_else(|| DocumentError::Layout("`agreed_weights` is not a table".into()))?;
        if fresh {
            table.decor_mut().set_prefix(
                "\n# What the panel agreed about the weights; `appraise sensitivity` samples only\n# the weightings that meet it (recorded with --record).\n",
            );
        }
        for key in ["order", "share", "fixed"] {
            table.remove(key);
        }
        if let Some(Value::InlineTable(entries)) = agreed_weights_value(agreed) {
            for (key, value) in entries.iter() {
                table.insert(key, toml_edit::value(value.clone()));
            }
        }
        Ok(doc.to_string())
    })
}

/// What a panel agreed about the weights as the file writes it under
/// `[agreed_weights]`: `order` (text, or a list of text), `share` and
/// `fixed` (criterion = text); `None` when nothing is agreed.
pub(crate) fn agreed_weights_value(agreed: &crate::model::AgreedWeights) -> Option<Value> {
    if agreed.is_empty() {
        return None;
    }
    let mut t = toml_edit::InlineTable::new();
    match agreed.order.as_slice() {
        [] => {}
        [one] => {
            t.insert("order", Value::from(one.as_str()));
        }
        many => {
            let list: Array = many.iter().map(String::as_str).collect();
            t.insert("order", Value::Array(list));
        }
    }
    for (key, entries) in [("share", &agreed.share), ("fixed", &agreed.fixed)] {
        if entries.is_empty() {
            continue;
        }
        let mut inline = toml_edit::InlineTable::new();
        for e in entries {
            let (id, v) = e.split_once('=').unwrap_or((e.as_str(), ""));
            inline.insert(id.trim(), Value::from(v.trim()));
        }
        t.insert(key, Value::InlineTable(inline));
    }
    Some(Value::InlineTable(t))
}

/// The UTF-8 byte-order mark, as some Windows editors start a file with it.
pub const BOM: char = '\u{feff}';

/// Runs `edit` on `original` without its byte-order mark, then gives the
/// result the mark and the line endings `original` had, so that a file
/// written on Windows (a mark, CRLF line endings) keeps them when one value
/// changes. `toml_edit` writes every line with LF; in a file whose lines end
/// mostly with CRLF, every line of the result ends with CRLF again, so a diff
/// shows only the changed values.
pub fn keeping_layout<E>(
    original: &str,
    edit: impl FnOnce(&str) -> Result<String, E>,
) -> Result<String, E> {
    let (bom, body) = match original.strip_prefix(BOM) {
        Some(rest) => (true, rest),
        None => (false, original),
    };
    let out = edit(body)?;
    let crlf = body.matches("\r\n").count();
    let lines = body.matches('\n').count();
    let out = if crlf > 0 && 2 * crlf >= lines {
        to_crlf(&out)
    } else {
        out
    };
    Ok(if bom { format!("{BOM}{out}") } else { out })
}

/// Ends every line with CRLF (lines already ending so are left alone).
fn to_crlf(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 16);
    let mut prev = '\0';
    for ch in text.chars() {
        if ch == '\n' && prev != '\r' {
            out.push('\r');
        }
        out.push(ch);
        prev = ch;
    }
    out
}

/// Writes a whole appraisal as fresh TOML, for when there is no original text.
pub fn to_toml(appraisal: &Appraisal) -> String {
    let mut doc = DocumentMut::new();
    // `apply` only fails on a malformed existing layout, and a new document has none.
    let _ = apply(&mut doc, appraisal);
    doc.to_string()
}

fn apply(doc: &mut DocumentMut, a: &Appraisal) -> Result<(), DocumentError> {
    let root = doc.as_table_mut();
    {
        let meta = root
            .entry("appraisal")
            .or_insert_with(|| Item::Table(Table::new()));
        let meta = meta
            .as_table_like_mut()
            .ok_or_else(|| DocumentError::Layout("`appraisal` is not a table".into()))?;
        apply_meta(meta, &a.meta);
    }
    // A file without [scale] (every criterion has its own) keeps it out.
    if root.contains_key("scale") || !a.no_common_scale() {
        let scale = root
            .entry("scale")
            .or_insert_with(|| Item::Table(Table::new()));
        let scale = scale
            .as_table_like_mut()
            .ok_or_else(|| DocumentError::Layout("`scale` is not a table".into()))?;
        apply_scale(scale, a.scale());
    }
    write_structure(root, a);
    {
        let item = root
            .entry("criteria")
            .or_insert_with(|| Item::ArrayOfTables(ArrayOfTables::new()));
        let aot = item.as_array_of_tables_mut().ok_or_else(|| {
            DocumentError::Layout("`criteria` is not a list of [[criteria]] tables".into())
        })?;
        let ids: Vec<&str> = a.criteria().iter().map(|c| c.id().as_str()).collect();
        sync_list(aot, &ids, |t, i| {
            if let Some(c) = a.criteria().get(i) {
                apply_criterion(t, c);
                add_criterion_v2(t, a, c);
            }
        });
    }
    write_lists(root, a);
    write_agreed_order(root, a);
    {
        let item = root
            .entry("options")
            .or_insert_with(|| Item::ArrayOfTables(ArrayOfTables::new()));
        let aot = item.as_array_of_tables_mut().ok_or_else(|| {
            DocumentError::Layout("`options` is not a list of [[options]] tables".into())
        })?;
        let ids: Vec<&str> = a.options().iter().map(|o| o.id().as_str()).collect();
        sync_list(aot, &ids, |t, i| {
            if let Some(o) = a.options().get(i) {
                apply_option(t, o, a.criteria());
                add_option_v2(t, a, o);
            }
        });
    }
    Ok(())
}

/// The parts of version 2 that sit before the criteria: the version, the
/// way weights are written and the criteria groups. Written where the text
/// does not have them yet (a fresh file); the model cannot change them, so
/// text that has them keeps them as written.
fn write_structure(root: &mut Table, a: &Appraisal) {
    if !a.is_v2() {
        return;
    }
    // A file that said version 1 and has been given what only version 2
    // holds (evidence, on the scoring screen) now says version 2.
    match root.get("version").and_then(Item::as_integer) {
        Some(v) if v >= 2 => {}
        Some(_) => replace_value(root, "version", Value::from(2)),
        None if root.contains_key("version") => {}
        None => {
            root.insert("version", toml_edit::value(2));
        }
    }
    if a.percent_weights()
        && let Some(meta) = root.get_mut("appraisal").and_then(Item::as_table_like_mut)
        && !meta.contains_key("weights")
    {
        meta.insert("weights", toml_edit::value("percent"));
    }
    if !a.groups().is_empty() && !root.contains_key("groups") {
        let mut aot = ArrayOfTables::new();
        for g in a.groups() {
            let mut t = Table::new();
            t.insert("id", toml_edit::value(g.id().as_str()));
            t.insert("name", toml_edit::value(g.name()));
            if let Some(p) = g.parent().and_then(|p| a.groups().get(p)) {
                t.insert("group", toml_edit::value(p.id().as_str()));
            }
            t.insert("weight", Item::Value(num_value(g.weight())));
            if let Some(d) = &g.description {
                t.insert("description", toml_edit::value(d.as_str()));
            }
            aot.push(t);
        }
        root.insert("groups", Item::ArrayOfTables(aot));
    }
}

/// The screening tests and option groups, written where the text has none.
fn write_lists(root: &mut Table, a: &Appraisal) {
    if !a.screens().is_empty() && !root.contains_key("screening") {
        let mut aot = ArrayOfTables::new();
        for x in a.screens() {
            let mut t = Table::new();
            t.insert("id", toml_edit::value(x.id().as_str()));
            t.insert("name", toml_edit::value(x.name()));
            if let Some(d) = &x.description {
                t.insert("description", toml_edit::value(d.as_str()));
            }
            aot.push(t);
        }
        root.insert("screening", Item::ArrayOfTables(aot));
    }
    if !a.option_groups().is_empty() && !root.contains_key("option_groups") {
        let mut aot = ArrayOfTables::new();
        for g in a.option_groups() {
            let mut t = Table::new();
            t.insert("name", toml_edit::value(g.name.as_str()));
            if let Some(d) = &g.description {
                t.insert("description", toml_edit::value(d.as_str()));
            }
            aot.push(t);
        }
        root.insert("option_groups", Item::ArrayOfTables(aot));
    }
}

/// A scale as an inline table: `{ min = 1, max = 3, labels = { ... } }`.
pub(crate) fn scale_value(s: &Scale) -> Value {
    let mut t = toml_edit::InlineTable::new();
    t.insert("min", num_value(s.min()));
    t.insert("max", num_value(s.max()));
    if s.step() != 1.0 {
        t.insert("step", num_value(s.step()));
    }
    if !s.labels().is_empty() {
        let mut labels = toml_edit::InlineTable::new();
        for (v, text) in s.labels() {
            labels.insert(
                crate::numbers::decimals(*v, 9).as_str(),
                Value::from(text.as_str()),
            );
        }
        t.insert("labels", Value::InlineTable(labels));
    }
    Value::InlineTable(t)
}

/// A value function as the file writes it.
pub(crate) fn function_value(f: &crate::model::value_fn::ValueFunction) -> Value {
    use crate::model::value_fn::ValueFunction;
    let mut t = toml_edit::InlineTable::new();
    t.insert("function", Value::from(f.name()));
    match f {
        ValueFunction::Linear { bounds: None } | ValueFunction::RelativeToBest => {
            return Value::from(f.name());
        }
        ValueFunction::Linear {
            bounds: Some((worst, best)),
        } => {
            t.insert("worst", num_value(*worst));
            t.insert("best", num_value(*best));
        }
        ValueFunction::Piecewise { points } => {
            let mut arr = Array::new();
            for (raw, score) in points {
                let mut p = Array::new();
                p.push(num_value(*raw));
                p.push(num_value(*score));
                arr.push(Value::Array(p));
            }
            t.insert("points", Value::Array(arr));
        }
        ValueFunction::Bands { bands } => {
            let mut arr = Array::new();
            for b in bands {
                let mut bt = toml_edit::InlineTable::new();
                if let Some((c, limit)) = b.test {
                    bt.insert(c.key(), num_value(limit));
                }
                bt.insert("score", num_value(b.score));
                arr.push(Value::InlineTable(bt));
            }
            t.insert("bands", Value::Array(arr));
        }
    }
    Value::InlineTable(t)
}

/// A criterion's group, own scale and measure, where the text lacks them.
fn add_criterion_v2(t: &mut Table, a: &Appraisal, c: &Criterion) {
    if let Some(g) = c.group().and_then(|g| a.groups().get(g))
        && !t.contains_key("group")
    {
        t.insert("group", toml_edit::value(g.id().as_str()));
    }
    if let Some(s) = c.own_scale()
        && !t.contains_key("scale")
    {
        t.insert("scale", Item::Value(scale_value(s)));
    }
    if let Some(m) = c.measure() {
        if let Some(u) = &m.unit
            && !t.contains_key("unit")
        {
            t.insert("unit", toml_edit::value(u.as_str()));
        }
        if !t.contains_key("better") {
            t.insert("better", toml_edit::value(m.better.as_str()));
        }
        if !t.contains_key("value") {
            t.insert("value", Item::Value(function_value(&m.function)));
        }
    }
}

/// `[agreed_weights] order` as the model has it (set by the swing
/// assistant), written only where it differs from the text, so a file whose
/// order did not change keeps every byte; the table's other keys and its
/// comments stay as they are.
fn write_agreed_order(root: &mut Table, a: &Appraisal) {
    let want = &a.agreed_weights().order;
    let written: Vec<String> = match root.get("agreed_weights").and_then(|t| t.get("order")) {
        Some(item) => match item.as_value() {
            Some(Value::String(s)) => vec![s.value().clone()],
            Some(Value::Array(list)) => list
                .iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect(),
            _ => return,
        },
        None => Vec::new(),
    };
    if &written == want {
        return;
    }
    let fresh = !root.contains_key("agreed_weights");
    if want.is_empty() && fresh {
        return;
    }
    let Some(table) = root
        .entry("agreed_weights")
        .or_insert_with(|| Item::Table(Table::new()))
        .as_table_like_mut()
    else {
        return;
    };
    match want.as_slice() {
        [] => {
            table.remove("order");
        }
        [one] => replace_value(table, "order", Value::from(one.as_str())),
        many => replace_value(
            table,
            "order",
            Value::Array(many.iter().map(String::as_str).collect()),
        ),
    }
    if fresh && let Some(t) = root.get_mut("agreed_weights").and_then(Item::as_table_mut) {
        t.decor_mut().set_prefix(
            "\n# What the panel agreed about the weights; `appraise sensitivity` samples only\n# the weightings that meet it (the order from the swing assistant).\n",
        );
    }
}

/// A published figure as written, so 3.80 keeps its two decimals.
pub(crate) fn published_value(p: &crate::model::Published) -> Value {
    p.text()
        .parse::<Value>()
        .unwrap_or_else(|_| num_value(p.value()))
}

/// An option's reference, baseline mark, raw values, screening results,
/// evidence and published figures. Raw values follow the model (they can
/// be edited); the rest is written where the text lacks it.
fn add_option_v2(t: &mut Table, a: &Appraisal, o: &AppraisalOption) {
    let criteria = a.criteria();
    sync_cells(t, "measures", criteria, |c| {
        criteria[c].measure()?;
        // A range stays a range; its point estimate is not written over it.
        match o.range(c) {
            Some(r) => Some(range_value(&r)),
            None => o.measure(c).map(num_value),
        }
    });
    if let Some(r) = o.reference()
        && !t.contains_key("ref")
    {
        t.insert("ref", toml_edit::value(r));
    }
    if o.is_baseline() && !t.contains_key("baseline") {
        t.insert("baseline", toml_edit::value(true));
    }
    if let Some(r) = o.published_rank
        && !t.contains_key("published_rank")
    {
        t.insert("published_rank", toml_edit::value(i64::from(r)));
    }
    if let Some(p) = &o.published_percent
        && !t.contains_key("published_percent")
    {
        t.insert("published_percent", Item::Value(published_value(p)));
    }
    if !o.published_subtotals().is_empty() && !t.contains_key("published_subtotals") {
        let mut sub = toml_edit::InlineTable::new();
        for (g, p) in o.published_subtotals() {
            if let Some(g) = a.groups().get(*g) {
                sub.insert(g.id().as_str(), published_value(p));
            }
        }
        t.insert("published_subtotals", Item::Value(Value::InlineTable(sub)));
    }
    if o.screening().iter().any(Option::is_some) && !t.contains_key("screening") {
        let mut sub = toml_edit::InlineTable::new();
        for (x, r) in a.screens().iter().zip(o.screening()) {
            let Some(r) = r else { continue };
            let v = match (&r.reason, r.pass) {
                (None, pass) => Value::from(pass),
                (Some(reason), pass) => {
                    let mut rt = toml_edit::InlineTable::new();
                    rt.insert("pass", Value::from(pass));
                    rt.insert("reason", Value::from(reason.as_str()));
                    Value::InlineTable(rt)
                }
            };
            sub.insert(x.id().as_str(), v);
        }
        t.insert("screening", Item::Value(Value::InlineTable(sub)));
    }
    sync_evidence(t, criteria, o);
}

/// Removes every key of `sub` that is not among `keep` (criteria the model
/// no longer has, or renamed), keeping the rest as written.
fn drop_keys_but<'a>(sub: &mut dyn TableLike, keep: impl Iterator<Item = &'a str> + Clone) {
    let stale: Vec<String> = sub
        .iter()
        .map(|(k, _)| k.to_owned())
        .filter(|k| !keep.clone().any(|id| id == k))
        .collect();
    for k in stale {
        sub.remove(&k);
    }
}

/// Brings an option's `evidence` table in line with the model, which the
/// scoring screen edits: one entry per criterion with points, its `for` and
/// `against` lists changed only where they differ (so the rest of the text
/// keeps its comments and layout), entries without points removed. New
/// entries follow the table's own form: `[options.evidence.id]` sections
/// beside sections, `id = { for = [...] }` lines otherwise.
fn sync_evidence(t: &mut Table, criteria: &[Criterion], o: &AppraisalOption) {
    let wanted: Vec<(&str, &crate::model::Evidence)> = criteria
        .iter()
        .zip(o.evidence())
        .map(|(c, e)| (c.id().as_str(), e))
        .collect();
    if !t.contains_key("evidence") {
        if wanted.iter().all(|(_, e)| e.is_empty()) {
            return;
        }
        t.insert("evidence", Item::Table(Table::new()));
    }
    let Some(item) = t.get_mut("evidence") else {
        return;
    };
    let as_sections = item
        .as_table()
        .is_some_and(|x| x.iter().next().is_some_and(|(_, v)| v.is_table()));
    let Some(sub) = item.as_table_like_mut() else {
        return;
    };
    drop_keys_but(sub, wanted.iter().map(|(id, _)| *id));
    for (id, e) in wanted {
        if e.is_empty() {
            sub.remove(id);
            continue;
        }
        if let Some(et) = sub.get_mut(id).and_then(Item::as_table_like_mut) {
            set_list(et, "for", &e.for_);
            set_list(et, "against", &e.against);
            continue;
        }
        let mut et = toml_edit::InlineTable::new();
        for (key, items) in [("for", &e.for_), ("against", &e.against)] {
            if !items.is_empty() {
                let mut arr = Array::new();
                for s in items {
                    arr.push(s.as_str());
                }
                et.insert(key, Value::Array(arr));
            }
        }
        let entry = if as_sections {
            Item::Table(et.into_table())
        } else {
            Item::Value(Value::InlineTable(et))
        };
        sub.insert(id, entry);
    }
    if sub.is_empty() {
        t.remove("evidence");
    }
}

/// Makes an array of tables hold one table per id, in `ids` order, each
/// updated by `fill(table, index)`. Existing tables are matched on their `id`
/// key, so they keep their comments; missing ones are created.
fn sync_list(aot: &mut ArrayOfTables, ids: &[&str], mut fill: impl FnMut(&mut Table, usize)) {
    let old: Vec<Table> = aot.iter().cloned().collect();
    let old_ids: Vec<Option<String>> = old
        .iter()
        .map(|t| t.get("id").and_then(Item::as_str).map(str::to_owned))
        .collect();
    let kept: Vec<&str> = old_ids
        .iter()
        .flatten()
        .map(String::as_str)
        .filter(|id| ids.contains(id))
        .collect();
    let wanted: Vec<&str> = ids.iter().copied().filter(|id| kept.contains(id)).collect();
    let reordered = kept != wanted;
    // Document positions of the kept tables (and their sub-tables), to be shared
    // out again in the new order so that moved tables move in the text as well.
    let mut positions: Vec<isize> = Vec::new();
    if reordered {
        for (t, id) in old.iter().zip(&old_ids) {
            if id.as_deref().is_some_and(|id| ids.contains(&id)) {
                collect_positions(t, &mut positions);
            }
        }
        positions.sort_unstable();
    }
    let mut tables = Vec::with_capacity(ids.len());
    for (i, id) in ids.iter().enumerate() {
        let found = old_ids.iter().position(|o| o.as_deref() == Some(*id));
        let mut t = match found.and_then(|f| old.get(f)) {
            Some(t) => t.clone(),
            None => {
                let mut t = Table::new();
                t.insert("id", Item::Value(Value::from(*id)));
                t
            }
        };
        fill(&mut t, i);
        tables.push(t);
    }
    if reordered {
        let mut next = positions.into_iter();
        for t in &mut tables {
            assign_positions(t, &mut next);
        }
    }
    aot.clear();
    for t in tables {
        aot.push(t);
    }
}

fn collect_positions(t: &Table, out: &mut Vec<isize>) {
    if let Some(p) = t.position() {
        out.push(p);
    }
    for (_, item) in t.iter() {
        if let Item::Table(sub) = item {
            collect_positions(sub, out);
        }
    }
}

fn assign_positions(t: &mut Table, next: &mut impl Iterator<Item = isize>) {
    if t.position().is_some() {
        t.set_position(next.next());
    }
    for (_, item) in t.iter_mut() {
        if let Item::Table(sub) = item {
            assign_positions(sub, next);
        }
    }
}

fn apply_meta(t: &mut dyn TableLike, m: &Meta) {
    set_str(t, "title", Some(&m.title));
    set_str(t, "organisation", m.organisation.as_deref());
    set_str(t, "date", m.date.as_deref());
    set_str(t, "source", m.source.as_deref());
    set_str(t, "description", m.description.as_deref());
}

fn apply_scale(t: &mut dyn TableLike, s: &Scale) {
    set_num(t, "min", Some(s.min()));
    set_num(t, "max", Some(s.max()));
    // A step of 1 is the default, so a file that leaves it out keeps doing so.
    if t.contains_key("step") || s.step() != 1.0 {
        set_num(t, "step", Some(s.step()));
    }
    let labels: Vec<(String, &str)> = s
        .labels()
        .iter()
        .map(|(v, text)| (crate::numbers::decimals(*v, 9), text.as_str()))
        .collect();
    let current = read_labels(t);
    let same = current.len() == labels.len()
        && labels
            .iter()
            .all(|(k, v)| current.iter().any(|(ck, cv)| ck == k && cv == v));
    if same {
        return;
    }
    let mut inline = toml_edit::InlineTable::new();
    for (k, v) in &labels {
        inline.insert(k.as_str(), Value::from(*v));
    }
    if labels.is_empty() {
        t.remove("labels");
    } else {
        replace_value(t, "labels", Value::InlineTable(inline));
    }
}

/// Scale labels as written: key (normalised through a number) and text.
fn read_labels(t: &dyn TableLike) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let Some(labels) = t.get("labels").and_then(Item::as_table_like) else {
        return out;
    };
    for (k, item) in labels.iter() {
        // `2.5 = ".."` parses as table "2" holding "5".
        if let Some(inner) = item.as_table_like() {
            for (frac, v) in inner.iter() {
                if let (Ok(n), Some(s)) = (format!("{k}.{frac}").parse::<f64>(), v.as_str()) {
                    out.push((crate::numbers::decimals(n, 9), s.to_owned()));
                }
            }
        } else if let (Ok(n), Some(s)) = (k.trim().parse::<f64>(), item.as_str()) {
            out.push((crate::numbers::decimals(n, 9), s.to_owned()));
        }
    }
    out
}

fn apply_criterion(t: &mut Table, c: &Criterion) {
    set_str(t, "name", Some(c.name()));
    if t.contains_key("weight") || c.weight() != 1.0 {
        set_num(t, "weight", Some(c.weight()));
    }
    set_str(t, "description", c.description.as_deref());
}

fn apply_option(t: &mut Table, o: &AppraisalOption, criteria: &[Criterion]) {
    set_str(t, "name", Some(o.name()));
    set_str(t, "group", o.group.as_deref());
    set_str(t, "description", o.description.as_deref());
    set_list(t, "strengths", &o.strengths);
    set_list(t, "weaknesses", &o.weaknesses);
    match o.published() {
        // As written, so a figure printed as 3.80 keeps its two decimals.
        Some(p) => replace_value(
            t,
            "published_total",
            p.text()
                .parse::<Value>()
                .unwrap_or_else(|_| num_value(p.value())),
        ),
        None => {
            t.remove("published_total");
        }
    }
    // A measured criterion's score is derived from its raw value, never written.
    sync_cells(t, "scores", criteria, |c| {
        if criteria[c].measure().is_some() {
            None
        } else {
            o.score(c).map(num_value)
        }
    });
    sync_cells(t, "notes", criteria, |c| o.note(c).map(Value::from));
}

/// Brings a `scores` or `notes` table in line: one key per criterion id with a
/// value, keys for other ids removed. Works for `[options.scores]`, inline
/// `scores = { .. }` and dotted `scores.x = ..` forms alike.
fn sync_cells(
    t: &mut Table,
    key: &str,
    criteria: &[Criterion],
    value: impl Fn(usize) -> Option<Value>,
) {
    let wanted: Vec<(&str, Option<Value>)> = criteria
        .iter()
        .enumerate()
        .map(|(i, c)| (c.id().as_str(), value(i)))
        .collect();
    let any = wanted.iter().any(|(_, v)| v.is_some());
    if !t.contains_key(key) {
        if !any {
            return;
        }
        let mut sub = Table::new();
        for (id, v) in &wanted {
            if let Some(v) = v {
                sub.insert(id, Item::Value(v.clone()));
            }
        }
        t.insert(key, Item::Table(sub));
        return;
    }
    let Some(sub) = t.get_mut(key).and_then(Item::as_table_like_mut) else {
        return;
    };
    drop_keys_but(sub, wanted.iter().map(|(id, _)| *id));
    for (id, v) in wanted {
        match v {
            Some(v) => replace_value(sub, id, v),
            None => {
                sub.remove(id);
            }
        }
    }
}

/// A number as TOML: whole numbers as integers, so `4` stays `4` and not `4.0`.
pub(crate) fn num_value(x: f64) -> Value {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        Value::from(x as i64)
    } else {
        Value::from(x)
    }
}

/// A range of raw values as its inline table, `{ low = 2, likely = 2.4, high = 3 }`.
pub(crate) fn range_value(r: &crate::model::value_fn::RawRange) -> Value {
    let mut t = toml_edit::InlineTable::new();
    t.insert("low", num_value(r.low));
    if let Some(c) = r.likely {
        t.insert("likely", num_value(c));
    }
    t.insert("high", num_value(r.high));
    t.fmt();
    Value::InlineTable(t)
}

/// Whether an existing value already says `new`, so it can be left as
/// written: equal numbers (`4` and `4.0`), equal strings, equal arrays, and a
/// blank string however many spaces it holds (a scoresheet's `""` placeholder).
pub(crate) fn same_value(old: &Value, new: &Value) -> bool {
    match (old, new) {
        (Value::String(a), Value::String(b)) => {
            a.value() == b.value() || (a.value().trim().is_empty() && b.value().is_empty())
        }
        (a, b) => match (as_number(a), as_number(b)) {
            (Some(x), Some(y)) => x == y,
            _ => match (a.as_array(), b.as_array()) {
                (Some(x), Some(y)) => {
                    x.len() == y.len() && x.iter().zip(y.iter()).all(|(p, q)| same_value(p, q))
                }
                _ => match (a.as_inline_table(), b.as_inline_table()) {
                    // A range, `{ low = 2, high = 3 }`, in any key order.
                    (Some(x), Some(y)) => {
                        x.len() == y.len()
                            && x.iter()
                                .all(|(k, p)| y.get(k).is_some_and(|q| same_value(p, q)))
                    }
                    _ => false,
                },
            },
        },
    }
}

fn as_number(v: &Value) -> Option<f64> {
    v.as_float().or_else(|| v.as_integer().map(|i| i as f64))
}

/// Sets `key` to `new`, keeping the old value's decor (spacing and trailing
/// comment); leaves it alone if it already says the same.
pub(crate) fn replace_value(t: &mut dyn TableLike, key: &str, mut new: Value) {
    match t.get_mut(key) {
        Some(Item::Value(old)) => {
            if same_value(old, &new) {
                return;
            }
            *new.decor_mut() = old.decor().clone();
            *old = new;
        }
        Some(item) => *item = Item::Value(new),
        None => {
            t.insert(key, Item::Value(new));
        }
    }
}

fn set_str(t: &mut dyn TableLike, key: &str, value: Option<&str>) {
    match value {
        Some(v) => replace_value(t, key, Value::from(v)),
        None => {
            t.remove(key);
        }
    }
}

fn set_num(t: &mut dyn TableLike, key: &str, value: Option<f64>) {
    match value {
        Some(v) => replace_value(t, key, num_value(v)),
        None => {
            t.remove(key);
        }
    }
}

fn set_list(t: &mut dyn TableLike, key: &str, items: &[String]) {
    if items.is_empty() {
        t.remove(key);
        return;
    }
    let mut arr = Array::new();
    for s in items {
        arr.push(s.as_str());
    }
    replace_value(t, key, Value::Array(arr));
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::load::load_str;
    use crate::model::{Id, RemovedCriterion};

    pub(crate) const SMALL: &str = r#"# Budget options, scored by the panel.

[appraisal]
title = "Library review"   # working title

[scale]
min = 0
max = 5
labels = { 0 = "None", 5 = "Full" }

# The criteria, most important first.
[[criteria]]
id = "cost"
name = "Cost"
weight = 2   # doubled after the March meeting

[[criteria]]
id = "reach"
name = "Reach"
weight = 1

# -- options --

[[options]]
id = "keep"
name = "Keep all branches"
scores = { cost = 1, reach = 5 }   # inline form

[[options]]
id = "merge"
name = "Merge two branches"

[options.scores]
cost = 3    # estimate
reach = 3

[options.notes]
cost = "Saves one lease."
"#;

    pub(crate) fn loaded() -> Appraisal {
        load_str("small.toml", SMALL).unwrap().appraisal
    }

    fn changed_lines(a: &str, b: &str) -> Vec<(String, String)> {
        a.lines()
            .zip(b.lines())
            .filter(|(x, y)| x != y)
            .map(|(x, y)| (x.to_owned(), y.to_owned()))
            .collect()
    }

    #[test]
    fn agreed_weights_replace_their_table_keeping_its_comment_and_line_endings() {
        let agreed = crate::model::AgreedWeights {
            order: vec!["a>rest".into(), "b>c".into()],
            share: vec!["c=10%..30%".into()],
            fixed: Vec::new(),
        };
        let crlf = SMALL.replace('\n', "\r\n")
            + "\r\n# Agreed at the March meeting.\r\n[agreed_weights]\r\norder = \"x>rest\"\r\nfixed = { x = \"5%\" }\r\n";
        let out = set_agreed_weights(&crlf, &agreed).unwrap();
        assert!(out.starts_with(&SMALL.replace('\n', "\r\n")), "{out}");
        assert!(
            out.ends_with("# Agreed at the March meeting.\r\n[agreed_weights]\r\norder = [\"a>rest\", \"b>c\"]\r\nshare = { c = \"10%..30%\" }\r\n"),
            "{out:?}"
        );
        let cleared = set_agreed_weights(&out, &crate::model::AgreedWeights::default()).unwrap();
        assert!(!cleared.contains("agreed_weights"), "{cleared}");
    }

    #[test]
    fn unchanged_appraisal_writes_identical_bytes() {
        let a = loaded();
        assert_eq!(update_document(SMALL, &a).unwrap(), SMALL);
        let example = crate::load::load_example().unwrap();
        assert_eq!(
            update_document(crate::load::EXAMPLE, &example.appraisal).unwrap(),
            crate::load::EXAMPLE
        );
    }

    #[test]
    fn only_edited_values_change_and_keep_their_comments() {
        let mut a = loaded();
        a.set_score(0, 0, Some(2.0)).unwrap();
        a.set_score(1, 0, Some(4.0)).unwrap();
        a.set_weight(0, 2.5).unwrap();
        let out = update_document(SMALL, &a).unwrap();
        assert_eq!(out.lines().count(), SMALL.lines().count());
        assert_eq!(
            changed_lines(SMALL, &out),
            vec![
                (
                    "weight = 2   # doubled after the March meeting".into(),
                    "weight = 2.5   # doubled after the March meeting".into()
                ),
                (
                    "scores = { cost = 1, reach = 5 }   # inline form".into(),
                    "scores = { cost = 2, reach = 5 }   # inline form".into()
                ),
                (
                    "cost = 3    # estimate".into(),
                    "cost = 4    # estimate".into()
                ),
            ]
        );
        let back = load_str("out.toml", &out).unwrap().appraisal;
        assert_eq!(back, a);
    }

    #[test]
    fn clearing_a_score_and_adding_a_note_round_trip() {
        let mut a = loaded();
        a.set_score(0, 1, None).unwrap();
        a.option_mut(0)
            .unwrap()
            .set_note(1, Some("Two lines\nof note".into()))
            .unwrap();
        a.option_mut(1).unwrap().set_note(0, None).unwrap();
        let out = update_document(SMALL, &a).unwrap();
        let back = load_str("out.toml", &out).unwrap().appraisal;
        assert_eq!(back, a);
        assert!(out.contains("# Budget options, scored by the panel."));
        assert!(!out.contains("Saves one lease."));
    }

    #[test]
    fn added_removed_and_moved_items_round_trip_with_their_comments() {
        let mut a = loaded();
        a.move_option(1, 0).unwrap();
        let mut extra = AppraisalOption::new(Id::new("close").unwrap(), "Close", 2).unwrap();
        extra.strengths = vec!["Cheapest".into()];
        a.insert_option(1, extra).unwrap();
        a.set_score(1, 1, Some(0.0)).unwrap();
        let RemovedCriterion {
            criterion,
            scores,
            notes,
            ..
        } = a.remove_criterion(0).unwrap();
        a.insert_criterion(1, criterion, scores, notes).unwrap();
        let c = Criterion::new(Id::new("speed").unwrap(), "Speed", 0.5).unwrap();
        a.insert_criterion(0, c, Vec::new(), Vec::new()).unwrap();
        let out = update_document(SMALL, &a).unwrap();
        let back = load_str("out.toml", &out).unwrap().appraisal;
        assert_eq!(back, a, "{out}");
        // The estimate comment travels with the merge option, which now comes first.
        let merge = out.find("Merge two branches").unwrap();
        let keep = out.find("Keep all branches").unwrap();
        assert!(merge < keep, "{out}");
        assert!(out.contains("cost = 3    # estimate"));
        assert!(out.contains("weight = 2   # doubled after the March meeting"));
        assert!(out.starts_with("# Budget options, scored by the panel."));
    }

    #[test]
    fn removing_an_option_drops_only_its_text() {
        let mut a = loaded();
        a.remove_option(1).unwrap();
        let out = update_document(SMALL, &a).unwrap();
        assert!(!out.contains("Merge two branches"));
        assert!(!out.contains("Saves one lease"));
        assert!(out.contains("# -- options --"));
        assert_eq!(load_str("o", &out).unwrap().appraisal, a);
    }

    #[test]
    fn a_byte_order_mark_and_windows_line_endings_are_kept() {
        let windows = format!("{BOM}{}", SMALL.replace('\n', "\r\n"));
        let mut a = load_str("w.toml", &windows).unwrap().appraisal;
        assert_eq!(update_document(&windows, &a).unwrap(), windows);
        a.set_score(0, 0, Some(2.0)).unwrap();
        let out = update_document(&windows, &a).unwrap();
        assert!(out.starts_with(BOM), "the mark is kept");
        assert_eq!(out.matches('\n').count(), out.matches("\r\n").count());
        let changed: Vec<_> = windows
            .split("\r\n")
            .zip(out.split("\r\n"))
            .filter(|(x, y)| x != y)
            .collect();
        assert_eq!(
            changed,
            [(
                "scores = { cost = 1, reach = 5 }   # inline form",
                "scores = { cost = 2, reach = 5 }   # inline form"
            )]
        );
        // A file with LF line endings keeps them.
        let plain = update_document(SMALL, &a).unwrap();
        assert!(!plain.contains('\r') && !plain.starts_with(BOM));
    }

    #[test]
    fn fresh_toml_loads_back() {
        let a = crate::load::load_example().unwrap().appraisal;
        let text = to_toml(&a);
        assert_eq!(load_str("fresh.toml", &text).unwrap().appraisal, a);
    }

    /// One random change to an appraisal, for the round-trip property.
    #[derive(Debug, Clone)]
    enum Op {
        Score(usize, usize, Option<u8>),
        Note(usize, usize, Option<String>),
        Weight(usize, u8),
        MoveOption(usize, usize),
        MoveCriterion(usize, usize),
        AddOption(usize),
        RemoveOption(usize),
        AddCriterion(usize),
        RemoveCriterion(usize),
        Rename(usize, String),
    }

    fn op() -> impl proptest::strategy::Strategy<Value = Op> {
        use proptest::prelude::*;
        let text = "[a-zA-Z0-9 '\"\n#=.,£-]{0,30}";
        prop_oneof![
            (0..6usize, 0..6usize, proptest::option::of(0..6u8))
                .prop_map(|(o, c, v)| Op::Score(o, c, v)),
            (0..6usize, 0..6usize, proptest::option::of(text))
                .prop_map(|(o, c, t)| Op::Note(o, c, t)),
            (0..6usize, 0..5u8).prop_map(|(c, w)| Op::Weight(c, w)),
            (0..6usize, 0..6usize).prop_map(|(a, b)| Op::MoveOption(a, b)),
            (0..6usize, 0..6usize).prop_map(|(a, b)| Op::MoveCriterion(a, b)),
            (0..6usize).prop_map(Op::AddOption),
            (0..6usize).prop_map(Op::RemoveOption),
            (0..6usize).prop_map(Op::AddCriterion),
            (0..6usize).prop_map(Op::RemoveCriterion),
            (0..6usize, "[A-Za-z][A-Za-z \"#]{0,20}").prop_map(|(o, n)| Op::Rename(o, n)),
        ]
    }

    fn apply_op(a: &mut Appraisal, op: &Op, fresh: &mut usize) {
        let n = a.criteria().len();
        match op {
            Op::Score(o, c, v) => {
                let _ = a.set_score(*o, *c, v.map(f64::from));
            }
            Op::Note(o, c, t) => {
                if let Some(opt) = a.option_mut(*o) {
                    let _ = opt.set_note(*c, t.clone());
                }
            }
            Op::Weight(c, w) => {
                let _ = a.set_weight(*c, f64::from(*w) / 2.0);
            }
            Op::MoveOption(x, y) => {
                let _ = a.move_option(*x, *y);
            }
            Op::MoveCriterion(x, y) => {
                let _ = a.move_criterion(*x, *y);
            }
            Op::AddOption(at) => {
                *fresh += 1;
                let id = Id::new(&format!("new-{fresh}")).unwrap();
                let _ = a.insert_option(*at, AppraisalOption::new(id, "New", n).unwrap());
            }
            Op::RemoveOption(o) => {
                let _ = a.remove_option(*o);
            }
            Op::AddCriterion(at) => {
                *fresh += 1;
                let id = Id::new(&format!("crit-{fresh}")).unwrap();
                let c = Criterion::new(id, "Added", 1.0).unwrap();
                let _ = a.insert_criterion(*at, c, Vec::new(), Vec::new());
            }
            Op::RemoveCriterion(c) => {
                let _ = a.remove_criterion(*c);
            }
            Op::Rename(o, name) => {
                if let Some(opt) = a.option_mut(*o) {
                    let _ = opt.set_name(name);
                }
            }
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(200))]
        /// Whatever is edited, the saved text loads back as the edited
        /// appraisal, and the leading comment survives.
        #[test]
        fn any_edits_round_trip(ops in proptest::collection::vec(op(), 0..12)) {
            let mut a = loaded();
            let mut fresh = 0;
            for op in &ops {
                apply_op(&mut a, op, &mut fresh);
            }
            let out = update_document(SMALL, &a).unwrap();
            let back = load_str("out.toml", &out).unwrap().appraisal;
            proptest::prop_assert_eq!(back, a);
            proptest::prop_assert!(out.starts_with("# Budget options, scored by the panel."));
            // Saving again with no further change alters nothing.
            let again = update_document(&out, &load_str("o", &out).unwrap().appraisal).unwrap();
            proptest::prop_assert_eq!(again, out);
        }
    }
}
