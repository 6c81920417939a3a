//! Version-2 workbooks written by `appraise export --format xlsx`: the
//! Matrix sheet's Group, Weight in group and scale rows give the value tree,
//! each criterion's own scale and the raw values of measured criteria; the
//! Long list gives the screening tests and the options screened out; the
//! annexes give notes and evidence. What a workbook does not hold is listed
//! in the file written (see [`Extra::not_recovered`]), never dropped
//! silently.

use std::collections::{HashMap, HashSet};

pub(super) mod carried;

use super::read::{Book, Sheet, Value};
use super::workbook::Ids;
use super::{Draft, DraftCriterion, DraftOption, ImportError, Problem, ScaleSource, Settings};
use crate::naming;
use crate::numbers;

/// A criteria group as read back.
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    /// Its id, made from its name (the workbook does not hold group ids).
    pub id: String,
    /// Its name.
    pub name: String,
    /// Its weight among its siblings.
    pub weight: f64,
    /// Its description, from the Groups sheet.
    pub description: Option<String>,
    /// The id of the group it sits in.
    pub parent: Option<String>,
}

/// A measured criterion's settings as read back.
#[derive(Debug, Clone, PartialEq)]
pub struct Measured {
    /// The unit of its raw values.
    pub unit: Option<String>,
    /// "higher" or "lower".
    pub better: String,
    /// The value function as a TOML value.
    pub value: String,
    /// Whether the value function was read from the workbook (or assumed).
    pub value_read: bool,
}

/// What a version-2 criterion has beyond a version-1 one.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CriterionExtra {
    /// The id of its group.
    pub group: Option<String>,
    /// Its own scale, where it differs from the appraisal's.
    pub scale: Option<(f64, f64, f64)>,
    /// Set for a measured criterion.
    pub measured: Option<Measured>,
    /// Its own scale as the source file wrote it, with its wording, where
    /// the workbook carries it and the Matrix still shows that scale.
    pub scale_text: Option<String>,
    /// Whether it is the appraisal's cost (`cost = true`).
    pub cost: bool,
}

/// A screening test.
#[derive(Debug, Clone, PartialEq)]
pub struct Screen {
    /// Its id, made from its name.
    pub id: String,
    /// Its name.
    pub name: String,
    /// What an option must do to pass.
    pub description: Option<String>,
}

/// What a version-2 option has beyond a version-1 one.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct OptionExtra {
    /// Its number or letter in the source.
    pub reference: Option<String>,
    /// Whether it is the baseline.
    pub baseline: bool,
    /// A raw value per criterion (measured criteria only).
    pub measures: Vec<Option<f64>>,
    /// A result per screening test: pass, and the reason for a failure.
    pub screening: Vec<Option<(bool, Option<String>)>>,
    /// Evidence for and against, per criterion.
    pub evidence: Vec<(Vec<String>, Vec<String>)>,
    /// Per criterion, a raw value's range as written (`{ low = 2, high = 3 }`),
    /// where the workbook carries one whose point estimate the Matrix shows.
    pub ranges: Vec<Option<String>>,
    /// Published ranks, percentages and subtotals, as (key, value as
    /// written), carried by the workbook.
    pub published: Vec<(String, String)>,
}

/// The version-2 parts of a draft.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Extra {
    /// Criteria groups, parents first.
    pub groups: Vec<Group>,
    /// Per criterion, in the draft's order.
    pub criteria: Vec<CriterionExtra>,
    /// Option groups with their descriptions (when the workbook heads them).
    pub option_groups: Vec<(String, Option<String>)>,
    /// Screening tests.
    pub screens: Vec<Screen>,
    /// Per option, in the draft's order.
    pub options: Vec<OptionExtra>,
    /// What the workbook could not give back, one line each, for the file's
    /// comments.
    pub not_recovered: Vec<String>,
}

/// Whether `book` (an appraise workbook) was exported from a version-2 file.
pub fn is_version_2(book: &Book) -> bool {
    let Some(m) = book.sheets.iter().find(|s| s.name == "Matrix") else {
        return false;
    };
    // The version-2 criteria table has a Scale column, and the matrix of a
    // grouped file a Weight in group row; a version-1 workbook has neither.
    let labelled = (0..m.rows.len())
        .any(|r| (0..m.rows[r].len().min(3)).any(|c| m.get(r, c).shown() == "Weight in group"));
    let scaled = sheet(book, "Criteria")
        .and_then(|s| find_cell(s, "Criterion").map(|(r, _)| (s, r)))
        .is_some_and(|(s, r)| (0..s.rows[r].len()).any(|c| s.get(r, c).shown() == "Scale"));
    labelled
        || scaled
        || book
            .sheets
            .iter()
            .any(|s| s.name == "Groups" || s.name == "Long list")
}

fn sheet<'a>(book: &'a Book, name: &str) -> Option<&'a Sheet> {
    book.sheets.iter().find(|s| s.name == name)
}

fn text(v: &Value) -> Option<String> {
    Some(v.shown()).filter(|s| !s.is_empty())
}

/// The row and column of the first cell reading `want`.
fn find_cell(s: &Sheet, want: &str) -> Option<(usize, usize)> {
    (0..s.rows.len()).find_map(|r| {
        (0..s.rows[r].len())
            .find(|&c| s.get(r, c).shown() == want)
            .map(|c| (r, c))
    })
}

/// The notes under a sheet's table ("Note: ..."), without the prefix.
fn notes(s: &Sheet) -> Vec<String> {
    (0..s.rows.len())
        .filter_map(|r| {
            s.get(r, 0)
                .shown()
                .strip_prefix("Note: ")
                .map(str::to_string)
        })
        .collect()
}

/// "(of 5)" or "(1 to 5)" at the end of a header, as (min, max).
fn scale_words(rest: &str) -> Option<(f64, f64)> {
    let inner = rest.trim().strip_prefix('(')?.strip_suffix(')')?;
    let inner = inner.strip_suffix(", measured").unwrap_or(inner);
    if let Some(max) = inner.strip_prefix("of ") {
        return Some((0.0, max.trim().parse().ok()?));
    }
    let (a, b) = inner.split_once(" to ")?;
    Some((a.trim().parse().ok()?, b.trim().parse().ok()?))
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Col {
    /// A criterion's score, by index into the Ids criteria (or new ones).
    Score(usize),
    /// A measured criterion's raw value.
    Raw(usize),
    /// A group's subtotal.
    Subtotal,
    Total,
    Published,
    Other,
}

/// The option named by a matrix label: "A. Name" or "Name", matched to the
/// Ids sheet's names (the longest that fits).
fn split_label(label: &str, names: &[String]) -> (Option<String>, String) {
    let mut best: Option<&String> = None;
    for n in names {
        let fits = label == n
            || label
                .strip_suffix(n.as_str())
                .and_then(|p| p.strip_suffix(". "))
                .is_some_and(|r| !r.is_empty() && r.chars().count() <= 12);
        if fits && best.is_none_or(|b| n.len() > b.len()) {
            best = Some(n);
        }
    }
    match best {
        Some(n) if label == n => (None, n.clone()),
        Some(n) => {
            let r = &label[..label.len() - n.len() - 2];
            (Some(r.to_string()), n.clone())
        }
        None => (None, label.to_string()),
    }
}

/// The (name, description) pairs of a sheet's table headed `heading` and
/// `Description` (the Groups and Criteria sheets), down to the first blank
/// name.
fn described(book: &Book, sheet_name: &str, heading: &str) -> Vec<(String, Option<String>)> {
    let Some(s) = sheet(book, sheet_name) else {
        return Vec::new();
    };
    let Some((r, c)) = find_cell(s, heading) else {
        return Vec::new();
    };
    let Some(d) = (c..s.rows[r].len()).find(|&x| s.get(r, x).shown() == "Description") else {
        return Vec::new();
    };
    (r + 1..s.rows.len())
        .map(|row| {
            (
                s.get(row, c).shown().trim().to_string(),
                text(s.get(row, d)),
            )
        })
        .take_while(|(name, _)| !name.is_empty())
        .collect()
}

/// Reads a version-2 appraise workbook.
pub fn read(file: &str, book: &Book, ids: Ids, settings: &Settings) -> Result<Draft, ImportError> {
    let no_matrix = || ImportError::NoMatrix {
        file: file.to_string(),
        sheets: vec!["Matrix".into()],
        separator: None,
    };
    let m = sheet(book, "Matrix").ok_or_else(no_matrix)?;
    let (header, name_at) = find_cell(m, "Option").ok_or_else(no_matrix)?;
    let label = |r: usize| m.get(r, name_at).shown();
    let row_of = |want: &str| (header + 1..m.rows.len()).find(|&r| label(r) == want);
    let group_row = row_of("Group");
    let weight_row = row_of("Weight in group").or_else(|| row_of("Weight"));
    let lowest_row = row_of("Lowest score");
    let highest_row = row_of("Highest score");
    let step_row = row_of("Step between scores");
    let params = [group_row, weight_row, row_of("Effective weight")];
    let first_body = params.iter().flatten().max().map_or(header + 1, |r| r + 1);
    let body: Vec<usize> = (first_body..m.rows.len())
        .take_while(|&r| !m.get(r, name_at).is_empty())
        .collect();
    let mut problems = Vec::new();
    let mut not_recovered = Vec::new();

    // Columns.
    let crit_names: Vec<String> = ids.criteria.iter().map(|(_, n)| n.clone()).collect();
    let mut new_criteria: Vec<String> = Vec::new();
    let width = m.rows.get(header).map_or(0, Vec::len);
    let mut cols: Vec<(usize, Col)> = Vec::new();
    let heads: Vec<String> = (0..width).map(|c| m.get(header, c).shown()).collect();
    for c in name_at + 1..width {
        let h = heads[c].as_str();
        if h.is_empty() {
            continue;
        }
        let kind = if h.starts_with("Total (") || h == "Total" {
            Col::Total
        } else if h == "Published total" {
            Col::Published
        } else if h == "Remarks" {
            Col::Other
        } else if h.contains(" subtotal (of ") || h.ends_with(" subtotal") {
            Col::Subtotal
        } else {
            let matched = crit_names
                .iter()
                .enumerate()
                .filter(|(_, n)| {
                    h.strip_prefix(n.as_str()).is_some_and(|r| {
                        r.is_empty() || r.starts_with(" (") || r.starts_with(": score (")
                    })
                })
                .max_by_key(|(_, n)| n.len());
            match matched {
                Some((k, n)) => {
                    let rest = &h[n.len()..];
                    let measured = heads.iter().any(|x| {
                        x.strip_prefix(n.as_str())
                            .is_some_and(|r| r.starts_with(": score ("))
                    });
                    if rest.starts_with(": score (") || !measured {
                        Col::Score(k)
                    } else {
                        Col::Raw(k)
                    }
                }
                None => {
                    // A criterion added in the workbook.
                    let name = match h.rfind(" (") {
                        Some(i) if h.ends_with(')') => &h[..i],
                        _ => h,
                    };
                    new_criteria.push(name.to_string());
                    Col::Score(crit_names.len() + new_criteria.len() - 1)
                }
            }
        };
        cols.push((c, kind));
    }
    let all_names: Vec<String> = crit_names.iter().chain(&new_criteria).cloned().collect();
    let score_col = |k: usize| {
        cols.iter()
            .find(|(_, x)| *x == Col::Score(k))
            .map(|(c, _)| *c)
    };
    let raw_col = |k: usize| {
        cols.iter()
            .find(|(_, x)| *x == Col::Raw(k))
            .map(|(c, _)| *c)
    };

    // Groups: each subtotal column's path in the Group row, its weight above it.
    let path_at = |c: usize| -> Vec<String> {
        group_row
            .map(|r| m.get(r, c).shown())
            .filter(|s| !s.is_empty())
            .map(|s| s.split(" > ").map(|p| p.trim().to_string()).collect())
            .unwrap_or_default()
    };
    let mut groups: Vec<Group> = Vec::new();
    let mut used: HashSet<String> = ids.groups.iter().map(|(id, _)| id.clone()).collect();
    let mut made_ids = 0;
    let mut claimed: HashSet<String> = HashSet::new();
    let mut group_id: HashMap<Vec<String>, String> = HashMap::new();
    let mut add_path = |path: &[String], groups: &mut Vec<Group>| -> Option<String> {
        let mut parent = None;
        for depth in 1..=path.len() {
            let key = path[..depth].to_vec();
            let id = match group_id.get(&key) {
                Some(id) => id.clone(),
                None => {
                    let name = path[depth - 1].clone();
                    let id = match ids
                        .groups
                        .iter()
                        .find(|(id, n)| *n == name && !claimed.contains(id))
                    {
                        Some((id, _)) => {
                            claimed.insert(id.clone());
                            id.clone()
                        }
                        None => {
                            made_ids += 1;
                            naming::unique_id(&name, "group", groups.len() + 1, &mut used)
                                .to_string()
                        }
                    };
                    group_id.insert(key, id.clone());
                    groups.push(Group {
                        id: id.clone(),
                        name,
                        weight: 1.0,
                        description: None,
                        parent: parent.clone(),
                    });
                    id
                }
            };
            parent = Some(id);
        }
        parent
    };
    for &(c, kind) in &cols {
        if kind == Col::Subtotal {
            let path = path_at(c);
            if path.is_empty() {
                continue;
            }
            let id = add_path(&path, &mut groups);
            let weight = weight_row.and_then(|r| m.get(r, c).number());
            if let (Some(id), Some(w)) = (id, weight)
                && let Some(g) = groups.iter_mut().find(|g| g.id == id)
            {
                g.weight = w;
            }
        }
    }
    for (name, description) in described(book, "Groups", "Group") {
        if let Some(g) = groups.iter_mut().find(|g| g.name == name) {
            g.description = description;
        }
    }

    // Criteria and their scales.
    let total_min =
        find_cell(m, "Lowest point (totals)").and_then(|(r, c)| m.get(r, c + 1).number());
    let total_max =
        find_cell(m, "Highest point (totals)").and_then(|(r, c)| m.get(r, c + 1).number());
    let mut criteria = Vec::new();
    let mut extras = Vec::new();
    let mut scales = Vec::new();
    let matrix_notes = notes(m);
    let mut used = HashSet::new();
    for (k, name) in all_names.iter().enumerate() {
        let Some(sc) = score_col(k) else {
            not_recovered.push(format!(
                "the criterion \"{name}\" is not on the Matrix sheet, so it is left out"
            ));
            continue;
        };
        let id = match ids.criteria.get(k) {
            Some((id, _)) => {
                used.insert(id.clone());
                id.clone()
            }
            None => naming::unique_id(name, "criterion", k + 1, &mut used).to_string(),
        };
        let weight = match weight_row.map(|r| (r, m.get(r, sc))) {
            Some((_, v)) if v.number().is_some() => v.number().unwrap_or(1.0),
            Some((r, v)) => {
                problems.push(Problem {
                    place: m.at(r, sc),
                    message: if v.is_empty() {
                        format!("no weight for \"{name}\"")
                    } else {
                        format!("'{}' is not a number", v.shown())
                    },
                    help: "type its weight in its group (0 leaves it out of the totals)".into(),
                });
                1.0
            }
            None => 1.0,
        };
        let headed = heads[sc]
            .rfind(" (")
            .and_then(|i| scale_words(&heads[sc][i + 1..]));
        let read_at = |row: Option<usize>| row.and_then(|r| m.get(r, sc).number());
        let min = read_at(lowest_row).or(headed.map(|h| h.0));
        let max = read_at(highest_row).or(headed.map(|h| h.1));
        let step = read_at(step_row).unwrap_or(1.0);
        scales.push((min, max, step));
        let path = path_at(sc);
        let group = if path.is_empty() {
            None
        } else {
            add_path(&path, &mut groups)
        };
        let measured = raw_col(k).map(|rc| {
            let rest = heads[rc][name.len()..].trim();
            let unit = rest
                .strip_prefix('(')
                .and_then(|r| r.strip_suffix(')'))
                .filter(|u| *u != "raw value")
                .map(str::to_string);
            let lead = format!("{name} is measured");
            let note = matrix_notes.iter().find(|n| n.starts_with(&lead));
            let better = match note {
                Some(n) if n.contains("(lower is better)") => "lower",
                Some(n) if n.contains("(higher is better)") => "higher",
                _ => {
                    not_recovered.push(format!(
                        "which way \"{name}\" improves: the Matrix sheet's note on it is missing, so higher is assumed: CHECK `better`"
                    ));
                    "higher"
                }
            };
            let rule = note.and_then(|n| n.split_once("its score comes from ").map(|(_, r)| r));
            let carried = ids.carried_value(crate::carried::CRITERION, &id, "value");
            let (value, value_read) = match (carried, rule) {
                // The function exactly as the file wrote it.
                (Some(v), _) => (v, true),
                (None, rule) => match rule {
                // The wording of main since the one value-function rule, and before.
                Some(r)
                    if r.starts_with("a straight line from the shortlist's worst value")
                        || r.starts_with("a straight line from the shortlisted options' worst value") => ("\"linear\"".to_string(), true),
                Some(r) if r.starts_with("its value relative to the best") => ("\"relative-to-best\"".to_string(), true),
                other => {
                    not_recovered.push(format!(
                        "the value function of \"{name}\" ({}): import reads back only \"linear\" and \"relative-to-best\", so \"linear\" is written in its place: CHECK `value`, and the totals, against the source",
                        other.map_or("its note is missing".to_string(), |r| r.trim_end_matches('.').to_string())
                    ));
                    ("\"linear\"".to_string(), false)
                }
                },
            };
            Measured {
                unit,
                better: better.to_string(),
                value,
                value_read,
            }
        });
        let cost = ids
            .carried_value(crate::carried::CRITERION, &id, "cost")
            .is_some_and(|v| v == "true");
        let scale_text = ids.carried_value(crate::carried::CRITERION, &id, "scale");
        criteria.push(DraftCriterion {
            id,
            name: name.clone(),
            weight,
            description: None,
        });
        extras.push(CriterionExtra {
            group,
            scale: None,
            measured,
            cost,
            scale_text,
        });
    }
    for (name, description) in described(book, "Criteria", "Criterion") {
        if let Some(k) = criteria.iter_mut().find(|k| k.name == name) {
            k.description = description;
        }
    }
    // The appraisal's scale: the totals' range, in the step most criteria on
    // that range use.
    let (min, max) = match (total_min, total_max) {
        (Some(a), Some(b)) => (a, b),
        _ => scales
            .iter()
            .find_map(|&(a, b, _)| Some((a?, b?)))
            .unwrap_or((0.0, 5.0)),
    };
    let step = scales
        .iter()
        .find(|&&(a, b, _)| a == Some(min) && b == Some(max))
        .map_or(1.0, |s| s.2);
    for (x, &(a, b, s)) in extras.iter_mut().zip(&scales) {
        let own = (a.unwrap_or(min), b.unwrap_or(max), s);
        if own != (min, max, step) {
            x.scale = Some(own);
        }
        // The file's own scale, with its wording, where the Matrix still
        // shows it; a scale changed in the workbook is taken as shown.
        match x.scale_text.as_deref().and_then(carried::scale_of) {
            Some(written) if written == own => x.scale = Some(own),
            _ => x.scale_text = None,
        }
    }

    // Options: the matrix's shortlist, then the long list's others.
    let opt_names: Vec<String> = ids.options.iter().map(|(_, n, _)| n.clone()).collect();
    let mut options: Vec<DraftOption> = Vec::new();
    let mut opt_extra: Vec<OptionExtra> = Vec::new();
    let ncrit = criteria.len();
    let kept: Vec<usize> = (0..all_names.len())
        .filter(|&k| score_col(k).is_some())
        .collect();
    let published_col = cols
        .iter()
        .find(|(_, k)| *k == Col::Published)
        .map(|(c, _)| *c);
    for &r in &body {
        let (reference, name) = split_label(&label(r), &opt_names);
        let mut scores = Vec::new();
        let mut places = Vec::new();
        let mut measures = Vec::new();
        for (j, &k) in kept.iter().enumerate() {
            let sc = score_col(k).unwrap_or(0);
            places.push(m.at(r, sc));
            if extras[j].measured.is_some() {
                scores.push(None);
                let rc = raw_col(k).unwrap_or(0);
                measures.push(match m.get(r, rc) {
                    Value::Empty => None,
                    v => match v.number() {
                        Some(x) => Some(x),
                        None => {
                            problems.push(Problem {
                                place: m.at(r, rc),
                                message: format!("'{}' is not a number", v.shown()),
                                help: "type the raw value as a figure, or leave the cell empty"
                                    .into(),
                            });
                            None
                        }
                    },
                });
                continue;
            }
            measures.push(None);
            let v = m.get(r, sc);
            scores.push(match v {
                Value::Empty => None,
                Value::Text(t) if super::means_unscored(t) => None,
                v => match v.number() {
                    Some(s) => {
                        let (lo, hi, st) = extras[j].scale.unwrap_or((min, max, step));
                        if let Ok(scale) = crate::model::Scale::new(lo, hi, st)
                            && let Err(e) = scale.check(s)
                        {
                            problems.push(Problem {
                                place: m.at(r, sc),
                                message: format!("the score {} does not fit the scale: {e}", numbers::as_given(s)),
                                help: "correct the score, or the criterion's lowest and highest score and step below the matrix".into(),
                            });
                        }
                        Some(s)
                    }
                    None => {
                        problems.push(Problem {
                            place: m.at(r, sc),
                            message: format!("'{}' is not a number", v.shown()),
                            help: "type the score as a figure, or leave the cell empty if it is not scored yet".into(),
                        });
                        None
                    }
                },
            });
        }
        let published =
            published_col.and_then(|c| m.get(r, c).number().map(|t| (t, m.at(r, c).to_string())));
        options.push(DraftOption {
            published,
            scores,
            score_places: places,
            ..DraftOption::named(name, ncrit)
        });
        opt_extra.push(OptionExtra {
            reference,
            measures,
            evidence: vec![(Vec::new(), Vec::new()); ncrit],
            ..OptionExtra::default()
        });
    }
    // Screening, from the long list.
    let mut screens = Vec::new();
    let mut made_screen_ids = 0;
    if let Some(s) = sheet(book, "Long list")
        && let Some((r, c)) = find_cell(s, "Option")
    {
        let w = s.rows[r].len();
        let outcome = (c + 1..w)
            .find(|&x| s.get(r, x).shown() == "Outcome")
            .unwrap_or(w);
        let reasons_at = (c + 1..w).find(|&x| s.get(r, x).shown() == "Reasons for failing");
        let mut used: HashSet<String> = ids.screens.iter().map(|(id, _)| id.clone()).collect();
        let long_notes = notes(s);
        for x in c + 1..outcome {
            let name = s.get(r, x).shown();
            let description = long_notes
                .iter()
                .find_map(|n| n.strip_prefix(&format!("{name}: ")).map(str::to_string));
            let id = match ids.screens.iter().find(|(_, n)| *n == name) {
                Some((id, _)) => id.clone(),
                None => {
                    made_screen_ids += 1;
                    naming::unique_id(&name, "test", screens.len() + 1, &mut used).to_string()
                }
            };
            screens.push(Screen {
                id,
                name,
                description,
            });
        }
        for row in r + 1..s.rows.len() {
            let lab = s.get(row, c).shown();
            if lab.is_empty() {
                break;
            }
            let (reference, name) = split_label(&lab, &opt_names);
            let at = match options.iter().position(|o| o.name == name) {
                Some(i) => i,
                None => {
                    options.push(DraftOption {
                        score_places: vec![s.at(row, c); ncrit],
                        ..DraftOption::named(name, ncrit)
                    });
                    opt_extra.push(OptionExtra {
                        reference,
                        measures: vec![None; ncrit],
                        evidence: vec![(Vec::new(), Vec::new()); ncrit],
                        ..OptionExtra::default()
                    });
                    options.len() - 1
                }
            };
            let reasons: Vec<String> = reasons_at
                .map(|x| s.get(row, x).shown())
                .unwrap_or_default()
                .lines()
                .map(|l| l.trim().trim_start_matches("• ").to_string())
                .filter(|l| !l.is_empty())
                .collect();
            let failing = (0..screens.len())
                .filter(|&k| s.get(row, c + 1 + k).shown() == "Fail")
                .count();
            opt_extra[at].screening = (0..screens.len())
                .map(|k| match s.get(row, c + 1 + k).shown().as_str() {
                    "Pass" => Some((true, None)),
                    "Fail" => {
                        let prefix = format!("{}: ", screens[k].name);
                        let reason = if failing == 1 && screens.len() == 1 {
                            Some(reasons.join("\n"))
                        } else {
                            reasons
                                .iter()
                                .find_map(|l| l.strip_prefix(&prefix).map(str::to_string))
                                .or_else(|| (failing == 1).then(|| reasons.join("\n")))
                        };
                        Some((
                            false,
                            reason
                                .filter(|r| !r.is_empty())
                                .or(Some("(reason not found in the workbook)".into())),
                        ))
                    }
                    _ => None,
                })
                .collect();
        }
    }
    if !problems.is_empty() {
        return Err(ImportError::Problems {
            file: file.to_string(),
            problems,
        });
    }

    // Ids, in file order.
    let mut used: HashSet<String> = ids.options.iter().map(|(id, _, _)| id.clone()).collect();
    let mut annexes = HashMap::new();
    for (k, o) in options.iter_mut().enumerate() {
        match ids.options.iter().find(|(_, n, _)| *n == o.name) {
            Some((id, _, annex)) => {
                o.id = id.clone();
                if let Some(a) = annex {
                    annexes.insert(id.clone(), a.clone());
                }
            }
            None => o.id = naming::unique_id(&o.name, "option", k + 1, &mut used).to_string(),
        }
    }
    let order: HashMap<&str, usize> = ids
        .options
        .iter()
        .enumerate()
        .map(|(i, (id, _, _))| (id.as_str(), i))
        .collect();
    let mut idx: Vec<usize> = (0..options.len()).collect();
    idx.sort_by_key(|&i| {
        order
            .get(options[i].id.as_str())
            .copied()
            .unwrap_or(usize::MAX - options.len() + i)
    });
    let mut options: Vec<DraftOption> = idx.iter().map(|&i| options[i].clone()).collect();
    let mut opt_extra: Vec<OptionExtra> = idx.iter().map(|&i| opt_extra[i].clone()).collect();

    // Option groups, descriptions and baseline, from the Options sheet.
    let mut option_groups = Vec::new();
    if let Some(s) = sheet(book, "Options")
        && let Some((r, c)) = find_cell(s, "Option")
    {
        let w = s.rows[r].len();
        let find = |h: &str| (0..w).find(|&x| s.get(r, x).shown() == h);
        let (group_col, desc_col, remark_col) =
            (find("Group"), find("Description"), find("Remarks"));
        let mut heading: Option<String> = None;
        for row in r + 1..s.rows.len() {
            let lab = s.get(row, c).shown();
            if lab.is_empty() && group_col.is_none_or(|g| s.get(row, g).is_empty()) {
                break;
            }
            let (_, name) = split_label(&lab, &opt_names);
            let desc = desc_col.and_then(|d| text(s.get(row, d)));
            match options.iter().position(|o| o.name == name) {
                Some(i) => {
                    options[i].description = desc;
                    options[i].group = match group_col {
                        Some(g) => text(s.get(row, g)),
                        None => heading.clone().filter(|h| h != "Not in a group"),
                    };
                    opt_extra[i].baseline =
                        remark_col.is_some_and(|x| s.get(row, x).shown().contains("baseline"));
                }
                None if group_col.is_none() => {
                    if lab != "Not in a group" {
                        option_groups.push((lab.clone(), desc));
                    }
                    heading = Some(lab);
                }
                None => {}
            }
        }
    }

    // Notes and evidence from the annexes.
    let mut noted = 0;
    for (o, x) in options.iter_mut().zip(&mut opt_extra) {
        let Some(s) = annexes.get(&o.id).and_then(|a| sheet(book, a)) else {
            continue;
        };
        let Some((r, c)) = find_cell(s, "Criterion") else {
            continue;
        };
        let Some(e) = (c..s.rows[r].len()).find(|&y| s.get(r, y).shown() == "Evaluation") else {
            continue;
        };
        for row in r + 1..s.rows.len() {
            let name = s.get(row, c).shown();
            let Some(k) = criteria.iter().position(|k| k.name == name) else {
                continue;
            };
            let body = s.get(row, e).shown();
            let lines: Vec<&str> = body.lines().collect();
            let is_ev = |l: &str| l.starts_with("+ ") || l.starts_with("– ");
            let start = (0..=lines.len())
                .find(|&i| lines[i..].iter().all(|l| is_ev(l)))
                .unwrap_or(lines.len());
            let note = lines[..start].join("\n").trim().to_string();
            if !note.is_empty() {
                o.notes[k] = Some(note);
                noted += 1;
            }
            for l in &lines[start..] {
                if let Some(t) = l.strip_prefix("+ ") {
                    x.evidence[k].0.push(t.to_string());
                } else if let Some(t) = l.strip_prefix("– ") {
                    x.evidence[k].1.push(t.to_string());
                }
            }
        }
    }

    // Published figures and ranges of raw values, as the file wrote them.
    let crit_ids: Vec<String> = criteria.iter().map(|c| c.id.clone()).collect();
    for (o, x) in options.iter_mut().zip(&mut opt_extra) {
        let carried = ids.carried(crate::carried::OPTION, &o.id);
        carried::apply_to_option(&carried, &crit_ids, o, x);
    }
    let carried = ids.carried(crate::carried::APPRAISAL, "appraisal");
    let mut draft = Draft {
        carried,
        file: file.to_string(),
        sheet: m.name.clone(),
        from_appraise: true,
        found: vec![
            "layout: options as rows, criteria under their groups (an appraise version-2 workbook)"
                .into(),
            format!(
                "an appraise workbook: ids and details from its Ids sheet{}; groups, weights in group, scales and raw values from its Matrix sheet; screening from its Long list; descriptions, option groups, strengths, weaknesses and {} with evidence from its other sheets",
                if ids.carried.is_empty() {
                    ""
                } else {
                    ", with the value functions, own scales, published figures, ranges and weight settings of the source file"
                },
                numbers::count(f64::from(noted), "note", "notes")
            ),
            format!(
                "{} in {}, {} ({} screened out)",
                numbers::count(criteria.len() as f64, "criterion", "criteria"),
                numbers::count(groups.len() as f64, "group", "groups"),
                numbers::count(options.len() as f64, "option", "options"),
                opt_extra
                    .iter()
                    .filter(|x| x.screening.iter().flatten().any(|(p, _)| !p))
                    .count()
            ),
        ],
        title: String::new(),
        details: Vec::new(),
        scale: (min, max, step),
        scale_source: if settings.scale.is_some() {
            ScaleSource::Given
        } else {
            ScaleSource::Read
        },
        labels: Vec::new(),
        criteria,
        options,
        weights_found: weight_row.is_some(),
        version2: None,
    };
    if let Some(s) = settings.scale {
        draft.scale = s;
    }
    for (key, value) in ids.details {
        if key == "title" {
            draft.title = value;
        } else {
            draft.details.push((key, value));
        }
    }
    if let Some(s) = sheet(book, "Scale")
        && let Some((r, c)) = find_cell(s, "Score")
    {
        for row in r + 1..s.rows.len() {
            let (Some(v), Some(t)) = (s.get(row, c).number(), text(s.get(row, c + 1))) else {
                break;
            };
            if !super::workbook::exported_end_label(v, &t, draft.scale) {
                draft.labels.push((v, t));
            }
        }
    }
    if let Some(s) = sheet(book, "Summary")
        && let Some((r, c)) = find_cell(s, "Option")
    {
        for row in r + 1..s.rows.len() {
            let (_, name) = split_label(&s.get(row, c).shown(), &opt_names);
            if let Some(o) = draft.options.iter_mut().find(|o| o.name == name) {
                let items = |v: &Value| -> Vec<String> {
                    v.shown()
                        .split(['\n', '•'])
                        .map(|l| l.trim().to_string())
                        .filter(|l| !l.is_empty())
                        .collect()
                };
                o.strengths = items(s.get(row, c + 1));
                o.weaknesses = items(s.get(row, c + 2));
            }
        }
    }
    // What a workbook does not hold.
    if made_ids > 0 {
        not_recovered.push(format!(
            "the id of {}: the Ids sheet does not name it (a workbook exported before it kept group ids, or a group added in the workbook), so the id is made from the name",
            numbers::count(f64::from(made_ids), "group", "groups")
        ));
    }
    if made_screen_ids > 0 {
        not_recovered.push(format!(
            "the id of {}: made from the name, as the Ids sheet does not name it",
            numbers::count(
                f64::from(made_screen_ids),
                "screening test",
                "screening tests"
            )
        ));
    }
    not_recovered.push(if ids.carried.is_empty() {
        // A workbook exported before its Ids sheet carried these.
        "published ranks, percentages and subtotals (published_rank, published_percent, published_subtotals), agreed weights, a cost marking (cost = true), labels of a criterion's own scale, an own scale that is the same as the appraisal's (it is left out, which changes no score), whether a weight was written as a percentage, ranges of raw values (their point estimates are kept), and comments in the source file: this workbook does not hold them in a form that reads back (export it again with this version to keep them); add them again from the source".into()
    } else {
        "comments in the source file: a workbook does not hold them".into()
    });
    // Groups that hold no criterion would not load; a subtotal column of a
    // group all of whose criteria were removed in the workbook.
    let holding: HashSet<&str> = extras.iter().filter_map(|x| x.group.as_deref()).collect();
    let parents: HashSet<String> = groups.iter().filter_map(|g| g.parent.clone()).collect();
    groups.retain(|g| holding.contains(g.id.as_str()) || parents.contains(&g.id));
    draft.version2 = Some(Box::new(Extra {
        groups,
        criteria: extras,
        option_groups,
        screens,
        options: opt_extra,
        not_recovered,
    }));
    Ok(draft)
}
