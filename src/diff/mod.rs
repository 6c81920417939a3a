//! What changed between two versions of an appraisal, over the validated
//! model: criteria and options matched by id, then every value compared.
//!
//! A [`Change`] is a [`Subject`] (the appraisal, the scale, a criterion, an
//! option, or one option's cell against one criterion) and a [`What`]
//! (added, removed, renamed, moved, or a field's text, number or list that
//! differs). New parts of the format slot in as a new field name, or a new
//! subject or kind, without touching the others. Beside the changes,
//! [`Diff`] says how each option's total and rank moved, whether the
//! leading option changed, and which sensitivity statements changed.
//!
//! [`render`] writes a diff as text for the terminal or as Markdown.

pub mod render;

use std::collections::HashMap;

use serde::Serialize;

use crate::compute::{self, Results};
use crate::model::Appraisal;
use crate::sensitivity::{self, SmaaConfig, Statement};

/// What a change is about.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "subject", rename_all = "kebab-case")]
pub enum Subject {
    /// The appraisal's own details (title, source, ...).
    Appraisal,
    /// The scoring scale.
    Scale,
    /// A criterion, by id, with its name (the new one where it has one).
    Criterion {
        /// The criterion's id.
        id: String,
        /// Its name.
        name: String,
    },
    /// An option, by id, with its name.
    Option {
        /// The option's id.
        id: String,
        /// Its name.
        name: String,
    },
    /// A criteria group (version 2), by id, with its name.
    Group {
        /// The group's id.
        id: String,
        /// Its name.
        name: String,
    },
    /// One option's score or note against one criterion.
    Cell {
        /// The option's id.
        option: String,
        /// The option's name.
        option_name: String,
        /// The criterion's id.
        criterion: String,
        /// The criterion's name.
        criterion_name: String,
    },
}

/// How the subject changed.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "change", rename_all = "kebab-case")]
pub enum What {
    /// It is new.
    Added {
        /// A short description of what it holds ("weight 2", "6 of 8 scored").
        summary: String,
    },
    /// It is gone.
    Removed {
        /// A short description of what it held.
        summary: String,
    },
    /// Its name changed (its id did not).
    Renamed {
        /// The old name.
        old: String,
        /// The new name.
        new: String,
    },
    /// It moved in the order criteria or options are listed.
    Moved {
        /// Its old position, from 1.
        from: usize,
        /// Its new position, from 1.
        to: usize,
    },
    /// A number (a score, a weight, a published total, an end of the scale).
    Number {
        /// Which field, as the file names it (`score`, `weight`, `max`).
        field: &'static str,
        /// The old value, if there was one.
        old: Option<f64>,
        /// The new value, if there is one.
        new: Option<f64>,
        /// How the values read (as the file or the reports show them).
        old_text: String,
        /// How the new value reads.
        new_text: String,
    },
    /// A piece of text (a note, a description, a group, a scale label).
    Text {
        /// Which field (`note`, `description`, `label 3`).
        field: String,
        /// The old text, if any.
        old: Option<String>,
        /// The new text, if any.
        new: Option<String>,
    },
    /// A list of short items (strengths, weaknesses).
    List {
        /// Which field.
        field: &'static str,
        /// Items no longer there.
        removed: Vec<String>,
        /// Items that are new.
        added: Vec<String>,
    },
}

/// One change between the two versions.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change {
    /// What it is about.
    #[serde(flatten)]
    pub subject: Subject,
    /// How it changed.
    #[serde(flatten)]
    pub what: What,
}

/// How one option's total and rank moved.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Standing {
    /// The option's id.
    pub id: String,
    /// Its name (the new one where it is still there).
    pub name: String,
    /// Total, highest possible total and rank before, if it was there.
    pub old: Option<Place>,
    /// Total, highest possible total and rank after, if it is still there.
    pub new: Option<Place>,
}

/// An option's place in one version.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Place {
    /// Its weighted total.
    pub total: f64,
    /// The highest possible total in that version.
    pub max_total: f64,
    /// Its rank.
    pub rank: usize,
    /// Whether every criterion was scored.
    pub complete: bool,
    /// Whether it failed a screening test (version 2), so it has no rank.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub screened_out: bool,
    /// The range of possible totals in that version, which the tie rule is relative to.
    #[serde(skip)]
    pub span: f64,
}

impl Standing {
    /// Whether the total or rank differ (or the option came or went).
    pub fn moved(&self) -> bool {
        match (&self.old, &self.new) {
            (Some(a), Some(b)) => {
                a.rank != b.rank
                    || !crate::compute::same_total(a.total, b.total, a.span.max(b.span))
                    || a.max_total != b.max_total
                    || a.screened_out != b.screened_out
            }
            _ => true,
        }
    }
}

/// Which options lead in each version.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Leaders {
    /// The names of the options ranked first before (more than one when tied).
    pub old: Vec<String>,
    /// Their ids.
    pub old_ids: Vec<String>,
    /// The names of the options ranked first now.
    pub new: Vec<String>,
    /// Their ids.
    pub new_ids: Vec<String>,
}

impl Leaders {
    /// Whether a different option (or set of tied options) leads.
    pub fn changed(&self) -> bool {
        let mut a = self.old_ids.clone();
        let mut b = self.new_ids.clone();
        a.sort();
        b.sort();
        a != b
    }
}

/// Which sensitivity statements changed: those that no longer hold as
/// written, and those that are new.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct StatementChanges {
    /// Statements of the old version that the new one does not make.
    pub removed: Vec<Statement>,
    /// Statements of the new version that the old one did not make.
    pub added: Vec<Statement>,
    /// How many statements read the same in both.
    pub unchanged: usize,
}

/// What to compare besides the file's contents.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DiffOptions {
    /// Also compare the Monte Carlo statements, from this many samples
    /// (the same seed for both versions, so only the appraisal differs).
    pub samples: Option<u64>,
    /// The Monte Carlo seed.
    pub seed: u64,
}

/// Everything that differs between two versions of an appraisal.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Diff {
    /// The changes, in reading order: details, scale, criteria, options, cells.
    pub changes: Vec<Change>,
    /// Each option's total and rank before and after, in the new ranking's
    /// order and then the removed options.
    pub standings: Vec<Standing>,
    /// The leading options before and after.
    pub leaders: Leaders,
    /// The sensitivity statements that changed.
    pub statements: StatementChanges,
}

impl Diff {
    /// Whether the two versions hold the same appraisal.
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }
}

/// Compares two versions of an appraisal.
pub fn diff(old: &Appraisal, new: &Appraisal, options: &DiffOptions) -> Diff {
    let mut changes = Vec::new();
    details(old, new, &mut changes);
    scale(old, new, &mut changes);
    agreed(old, new, &mut changes);
    groups(old, new, &mut changes);
    criteria(old, new, &mut changes);
    option_changes(old, new, &mut changes);
    cells(old, new, &mut changes);
    let (old_results, new_results) =
        rayon::join(|| compute::compute(old), || compute::compute(new));
    let standings = standings(old, new, &old_results, &new_results);
    let leaders = leaders(old, new, &old_results, &new_results);
    let statements = statement_changes(old, new, options);
    Diff {
        changes,
        standings,
        leaders,
        statements,
    }
}

fn push(changes: &mut Vec<Change>, subject: Subject, what: What) {
    changes.push(Change { subject, what });
}

fn text_change(
    changes: &mut Vec<Change>,
    subject: &Subject,
    field: &str,
    old: Option<&str>,
    new: Option<&str>,
) {
    if old != new {
        push(
            changes,
            subject.clone(),
            What::Text {
                field: field.to_string(),
                old: old.map(str::to_string),
                new: new.map(str::to_string),
            },
        );
    }
}

fn number_change(
    changes: &mut Vec<Change>,
    subject: &Subject,
    field: &'static str,
    old: Option<f64>,
    new: Option<f64>,
    show: fn(f64) -> String,
) {
    if old != new {
        push(
            changes,
            subject.clone(),
            What::Number {
                field,
                old,
                new,
                old_text: old.map_or_else(|| "none".to_string(), show),
                new_text: new.map_or_else(|| "none".to_string(), show),
            },
        );
    }
}

fn list_change(
    changes: &mut Vec<Change>,
    subject: &Subject,
    field: &'static str,
    old: &[String],
    new: &[String],
) {
    if old == new {
        return;
    }
    let removed: Vec<String> = old.iter().filter(|s| !new.contains(s)).cloned().collect();
    let added: Vec<String> = new.iter().filter(|s| !old.contains(s)).cloned().collect();
    push(
        changes,
        subject.clone(),
        What::List {
            field,
            removed,
            added,
        },
    );
}

fn details(old: &Appraisal, new: &Appraisal, changes: &mut Vec<Change>) {
    let (a, b) = (&old.meta, &new.meta);
    let s = Subject::Appraisal;
    text_change(changes, &s, "title", Some(&a.title), Some(&b.title));
    text_change(
        changes,
        &s,
        "organisation",
        a.organisation.as_deref(),
        b.organisation.as_deref(),
    );
    text_change(changes, &s, "date", a.date.as_deref(), b.date.as_deref());
    text_change(
        changes,
        &s,
        "source",
        a.source.as_deref(),
        b.source.as_deref(),
    );
    text_change(
        changes,
        &s,
        "description",
        a.description.as_deref(),
        b.description.as_deref(),
    );
}

/// What the panel agreed about the weights (`[agreed_weights]`), and
/// whether weights are written as percentages: an appraisal's settings,
/// listed with its details.
fn agreed(old: &Appraisal, new: &Appraisal, changes: &mut Vec<Change>) {
    let (a, b) = (old.agreed_weights(), new.agreed_weights());
    let s = Subject::Appraisal;
    list_change(changes, &s, "agreed order", &a.order, &b.order);
    list_change(changes, &s, "agreed share", &a.share, &b.share);
    list_change(changes, &s, "agreed fixed share", &a.fixed, &b.fixed);
    let percent = |x: &Appraisal| x.percent_weights().then_some("percent");
    text_change(changes, &s, "weights", percent(old), percent(new));
}

fn scale(old: &Appraisal, new: &Appraisal, changes: &mut Vec<Change>) {
    let (a, b) = (old.scale(), new.scale());
    let s = Subject::Scale;
    let show = crate::numbers::score;
    number_change(changes, &s, "min", Some(a.min()), Some(b.min()), show);
    number_change(changes, &s, "max", Some(a.max()), Some(b.max()), show);
    number_change(changes, &s, "step", Some(a.step()), Some(b.step()), show);
    let mut points: Vec<f64> = a
        .labels()
        .iter()
        .chain(b.labels())
        .map(|(v, _)| *v)
        .collect();
    points.sort_by(f64::total_cmp);
    points.dedup();
    for p in points {
        let find =
            |labels: &[(f64, String)]| labels.iter().find(|(v, _)| *v == p).map(|(_, t)| t.clone());
        let field = format!("label {}", crate::numbers::score(p));
        text_change(
            changes,
            &s,
            &field,
            find(a.labels()).as_deref(),
            find(b.labels()).as_deref(),
        );
    }
}

/// Positions of ids in a list, for matching.
fn positions<'a>(ids: impl Iterator<Item = &'a str>) -> HashMap<&'a str, usize> {
    ids.enumerate().map(|(i, id)| (id, i)).collect()
}

/// Ids (with names) in one version's order, for [`matched`].
struct Listed<'a> {
    ids: Vec<&'a str>,
    names: Vec<&'a str>,
}

impl Listed<'_> {
    fn criteria(a: &Appraisal) -> Listed<'_> {
        Listed {
            ids: a.criteria().iter().map(|c| c.id().as_str()).collect(),
            names: a.criteria().iter().map(|c| c.name()).collect(),
        }
    }

    fn groups(a: &Appraisal) -> Listed<'_> {
        Listed {
            ids: a.groups().iter().map(|g| g.id().as_str()).collect(),
            names: a.groups().iter().map(|g| g.name()).collect(),
        }
    }

    fn options(a: &Appraisal) -> Listed<'_> {
        Listed {
            ids: a.options().iter().map(|o| o.id().as_str()).collect(),
            names: a.options().iter().map(|o| o.name()).collect(),
        }
    }
}

/// Matches two versions' criteria or options by id: records each one
/// removed, added, renamed or moved (its place among those kept in both
/// changed), and returns the (old, new) positions of those in both, with
/// their subject, for the caller to compare their fields.
fn matched(
    old: &Listed,
    new: &Listed,
    subject: impl Fn(&str, &str) -> Subject,
    old_summary: impl Fn(usize) -> String,
    new_summary: impl Fn(usize) -> String,
    changes: &mut Vec<Change>,
) -> Vec<(usize, usize, Subject)> {
    let old_at = positions(old.ids.iter().copied());
    let new_at = positions(new.ids.iter().copied());
    for (i, id) in old.ids.iter().enumerate() {
        if !new_at.contains_key(id) {
            let summary = old_summary(i);
            push(
                changes,
                subject(id, old.names[i]),
                What::Removed { summary },
            );
        }
    }
    let kept_old: Vec<&str> = old
        .ids
        .iter()
        .copied()
        .filter(|id| new_at.contains_key(id))
        .collect();
    let kept_new: Vec<&str> = new
        .ids
        .iter()
        .copied()
        .filter(|id| old_at.contains_key(id))
        .collect();
    let mut kept = Vec::new();
    for (j, id) in new.ids.iter().enumerate() {
        let s = subject(id, new.names[j]);
        let Some(&i) = old_at.get(id) else {
            push(
                changes,
                s,
                What::Added {
                    summary: new_summary(j),
                },
            );
            continue;
        };
        if old.names[i] != new.names[j] {
            push(
                changes,
                s.clone(),
                What::Renamed {
                    old: old.names[i].to_string(),
                    new: new.names[j].to_string(),
                },
            );
        }
        let pos_old = kept_old.iter().position(|k| k == id);
        let pos_new = kept_new.iter().position(|k| k == id);
        if pos_old != pos_new {
            push(
                changes,
                s.clone(),
                What::Moved {
                    from: i + 1,
                    to: j + 1,
                },
            );
        }
        kept.push((i, j, s));
    }
    kept
}

/// Matches weighted things (criteria, or criteria groups) by id, as
/// [`matched`] does, each summarised by its weight; for each one kept,
/// records its weight change, and returns it for the caller's other fields.
fn matched_weighted(
    lists: (&Listed, &Listed),
    weights: (&[f64], &[f64]),
    subject: impl Fn(&str, &str) -> Subject,
    changes: &mut Vec<Change>,
) -> Vec<(usize, usize, Subject)> {
    let summary = |w: &[f64], k: usize| format!("weight {}", crate::numbers::weight(w[k]));
    let kept = matched(
        lists.0,
        lists.1,
        subject,
        |k| summary(weights.0, k),
        |k| summary(weights.1, k),
        changes,
    );
    let mut out = Vec::with_capacity(kept.len());
    for (i, j, s) in kept {
        number_change(
            changes,
            &s,
            "weight",
            Some(weights.0[i]),
            Some(weights.1[j]),
            crate::numbers::weight,
        );
        out.push((i, j, s));
    }
    out
}

fn criteria(old: &Appraisal, new: &Appraisal, changes: &mut Vec<Change>) {
    let w = |a: &Appraisal| -> Vec<f64> { a.criteria().iter().map(|c| c.weight()).collect() };
    let kept = matched_weighted(
        (&Listed::criteria(old), &Listed::criteria(new)),
        (&w(old), &w(new)),
        |id, name| Subject::Criterion {
            id: id.to_string(),
            name: name.to_string(),
        },
        changes,
    );
    for (i, j, s) in kept {
        let (was, c) = (&old.criteria()[i], &new.criteria()[j]);
        text_change(
            changes,
            &s,
            "description",
            was.description.as_deref(),
            c.description.as_deref(),
        );
        let group = |a: &Appraisal, g: Option<usize>| {
            g.and_then(|g| a.groups().get(g))
                .map(|g| g.name().to_string())
        };
        text_change(
            changes,
            &s,
            "group",
            group(old, was.group()).as_deref(),
            group(new, c.group()).as_deref(),
        );
        let scale = |x: &crate::model::Criterion| {
            x.own_scale().map(|k| {
                format!(
                    "{} to {} in steps of {}",
                    crate::numbers::score(k.min()),
                    crate::numbers::score(k.max()),
                    crate::numbers::score(k.step())
                )
            })
        };
        text_change(
            changes,
            &s,
            "own scale",
            scale(was).as_deref(),
            scale(c).as_deref(),
        );
        let measured = |x: &crate::model::Criterion| {
            x.measure().map(|m| {
                let unit = m
                    .unit
                    .as_deref()
                    .map(|u| format!(" in {u}"))
                    .unwrap_or_default();
                format!(
                    "measured{unit}, {} is better, {}",
                    m.better.as_str(),
                    m.function.name()
                )
            })
        };
        text_change(
            changes,
            &s,
            "measured",
            measured(was).as_deref(),
            measured(c).as_deref(),
        );
    }
}

/// Criteria groups (version 2): added, removed, renamed, moved, reweighted,
/// moved to another parent, redescribed.
fn groups(old: &Appraisal, new: &Appraisal, changes: &mut Vec<Change>) {
    if old.groups().is_empty() && new.groups().is_empty() {
        return;
    }
    let w = |a: &Appraisal| -> Vec<f64> { a.groups().iter().map(|g| g.weight()).collect() };
    let kept = matched_weighted(
        (&Listed::groups(old), &Listed::groups(new)),
        (&w(old), &w(new)),
        |id, name| Subject::Group {
            id: id.to_string(),
            name: name.to_string(),
        },
        changes,
    );
    for (i, j, s) in kept {
        let (was, g) = (&old.groups()[i], &new.groups()[j]);
        let parent = |a: &Appraisal, p: Option<usize>| {
            p.and_then(|p| a.groups().get(p))
                .map(|p| p.name().to_string())
        };
        text_change(
            changes,
            &s,
            "inside group",
            parent(old, was.parent()).as_deref(),
            parent(new, g.parent()).as_deref(),
        );
        text_change(
            changes,
            &s,
            "description",
            was.description.as_deref(),
            g.description.as_deref(),
        );
    }
}

fn scored_summary(a: &Appraisal, o: usize) -> String {
    let opt = &a.options()[o];
    let n = opt.scores().len();
    let scored = n - opt.unscored();
    format!("{scored} of {n} criteria scored")
}

fn option_changes(old: &Appraisal, new: &Appraisal, changes: &mut Vec<Change>) {
    let kept = matched(
        &Listed::options(old),
        &Listed::options(new),
        |id, name| Subject::Option {
            id: id.to_string(),
            name: name.to_string(),
        },
        |k| scored_summary(old, k),
        |k| scored_summary(new, k),
        changes,
    );
    for (i, j, s) in kept {
        let (was, o) = (&old.options()[i], &new.options()[j]);
        text_change(
            changes,
            &s,
            "group",
            was.group.as_deref(),
            o.group.as_deref(),
        );
        text_change(
            changes,
            &s,
            "description",
            was.description.as_deref(),
            o.description.as_deref(),
        );
        text_change(changes, &s, "ref", was.reference(), o.reference());
        let baseline = |x: &crate::model::AppraisalOption| x.is_baseline().then_some("baseline");
        text_change(changes, &s, "baseline", baseline(was), baseline(o));
        screening_changes(old, new, i, j, &s, changes);
        list_change(changes, &s, "strengths", &was.strengths, &o.strengths);
        list_change(changes, &s, "weaknesses", &was.weaknesses, &o.weaknesses);
        let (p, q) = (was.published(), o.published());
        if p.map(|p| (p.value(), p.text())) != q.map(|q| (q.value(), q.text())) {
            push(
                changes,
                s.clone(),
                What::Number {
                    field: "published_total",
                    old: p.map(|p| p.value()),
                    new: q.map(|q| q.value()),
                    old_text: p.map_or_else(|| "none".to_string(), |p| p.text()),
                    new_text: q.map_or_else(|| "none".to_string(), |q| q.text()),
                },
            );
        }
    }
}

/// One option's screening results (version 2), test by test, matched by
/// the test's id.
fn screening_changes(
    old: &Appraisal,
    new: &Appraisal,
    i: usize,
    j: usize,
    s: &Subject,
    changes: &mut Vec<Change>,
) {
    let result = |a: &Appraisal, o: usize, t: usize| {
        a.options()[o]
            .screening()
            .get(t)
            .and_then(Option::as_ref)
            .map(|r| match (r.pass, r.reason.as_deref()) {
                (true, None) => "passes".to_string(),
                (true, Some(why)) => format!("passes: {why}"),
                (false, why) => format!("fails: {}", why.unwrap_or_default()),
            })
    };
    let old_at = positions(old.screens().iter().map(|t| t.id().as_str()));
    for (tj, test) in new.screens().iter().enumerate() {
        let was = old_at
            .get(test.id().as_str())
            .and_then(|&ti| result(old, i, ti));
        let now = result(new, j, tj);
        text_change(
            changes,
            s,
            &format!("screening: {}", test.name()),
            was.as_deref(),
            now.as_deref(),
        );
    }
    let new_at = positions(new.screens().iter().map(|t| t.id().as_str()));
    for (ti, test) in old.screens().iter().enumerate() {
        if !new_at.contains_key(test.id().as_str()) {
            let was = result(old, i, ti);
            text_change(
                changes,
                s,
                &format!("screening: {}", test.name()),
                was.as_deref(),
                None,
            );
        }
    }
}

/// Scores and notes of the options and criteria in both versions.
fn cells(old: &Appraisal, new: &Appraisal, changes: &mut Vec<Change>) {
    let old_opt = positions(old.options().iter().map(|o| o.id().as_str()));
    let old_crit = positions(old.criteria().iter().map(|c| c.id().as_str()));
    for o in new.options() {
        let Some(&oi) = old_opt.get(o.id().as_str()) else {
            continue;
        };
        let was = &old.options()[oi];
        for (cj, c) in new.criteria().iter().enumerate() {
            let Some(&ci) = old_crit.get(c.id().as_str()) else {
                continue;
            };
            let s = Subject::Cell {
                option: o.id().to_string(),
                option_name: o.name().to_string(),
                criterion: c.id().to_string(),
                criterion_name: c.name().to_string(),
            };
            // A measured criterion's score is derived from raw values (and,
            // on a local scale, from the other options' values), so it is
            // told apart from a score someone typed.
            let field = if c.measure().is_some() {
                "derived score"
            } else {
                "score"
            };
            number_change(
                changes,
                &s,
                field,
                was.score(ci),
                o.score(cj),
                crate::numbers::score,
            );
            text_change(changes, &s, "note", was.note(ci), o.note(cj));
            let none = crate::model::Evidence::default();
            let (e0, e1) = (
                was.evidence().get(ci).unwrap_or(&none),
                o.evidence().get(cj).unwrap_or(&none),
            );
            list_change(changes, &s, "evidence for", &e0.for_, &e1.for_);
            list_change(changes, &s, "evidence against", &e0.against, &e1.against);
            let (m0, m1) = (was.measure(ci), o.measure(cj));
            if m0 != m1 {
                let unit = c.measure().and_then(|m| m.unit.as_deref());
                let show = |v: Option<f64>| {
                    v.map_or_else(
                        || "none".to_string(),
                        |v| crate::model::value_fn::with_unit(unit, v),
                    )
                };
                push(
                    changes,
                    s.clone(),
                    What::Number {
                        field: "measured value",
                        old: m0,
                        new: m1,
                        old_text: show(m0),
                        new_text: show(m1),
                    },
                );
            }
        }
    }
}

fn place(r: &Results, i: usize) -> Option<Place> {
    let o = r.options.get(i)?;
    Some(Place {
        total: o.total,
        max_total: r.max_total,
        rank: o.rank,
        complete: o.complete,
        screened_out: o.screened_out,
        span: r.span(),
    })
}

fn standings(old: &Appraisal, new: &Appraisal, a: &Results, b: &Results) -> Vec<Standing> {
    let old_at = positions(old.options().iter().map(|o| o.id().as_str()));
    let new_at = positions(new.options().iter().map(|o| o.id().as_str()));
    let mut out = Vec::new();
    for j in b.rank_order() {
        let o = &new.options()[j];
        out.push(Standing {
            id: o.id().to_string(),
            name: o.name().to_string(),
            old: old_at.get(o.id().as_str()).and_then(|&i| place(a, i)),
            new: place(b, j),
        });
    }
    for i in a.rank_order() {
        let o = &old.options()[i];
        if !new_at.contains_key(o.id().as_str()) {
            out.push(Standing {
                id: o.id().to_string(),
                name: o.name().to_string(),
                old: place(a, i),
                new: None,
            });
        }
    }
    out
}

fn leaders(old: &Appraisal, new: &Appraisal, a: &Results, b: &Results) -> Leaders {
    let names = |ap: &Appraisal, r: &Results| -> (Vec<String>, Vec<String>) {
        r.leaders()
            .into_iter()
            .filter_map(|i| ap.options().get(i))
            .map(|o| (o.name().to_string(), o.id().to_string()))
            .unzip()
    };
    let (old_names, old_ids) = names(old, a);
    let (new_names, new_ids) = names(new, b);
    Leaders {
        old: old_names,
        old_ids,
        new: new_names,
        new_ids,
    }
}

fn all_statements(a: &Appraisal, options: &DiffOptions) -> Vec<Statement> {
    // As `appraise sensitivity` sees it: the shortlist at effective weights.
    let analysed = a.for_analysis();
    let a: &Appraisal = &analysed;
    let exact = sensitivity::exact(a);
    let mut out = sensitivity::statements::exact_statements(a, &exact);
    if let Some(samples) = options.samples {
        let config = SmaaConfig {
            samples,
            seed: options.seed,
            ..SmaaConfig::default()
        };
        if let Ok(smaa) = sensitivity::smaa(a, &config) {
            out.extend(sensitivity::statements::smaa_statements(
                a,
                &exact.results,
                &smaa,
            ));
        }
    }
    out
}

fn statement_changes(old: &Appraisal, new: &Appraisal, options: &DiffOptions) -> StatementChanges {
    let (a, b) = rayon::join(
        || all_statements(old, options),
        || all_statements(new, options),
    );
    let removed: Vec<Statement> = a.iter().filter(|s| !b.contains(s)).cloned().collect();
    let added: Vec<Statement> = b.iter().filter(|s| !a.contains(s)).cloned().collect();
    let unchanged = a.iter().filter(|s| b.contains(s)).count();
    StatementChanges {
        removed,
        added,
        unchanged,
    }
}

#[cfg(test)]
mod tests;
