//! Scoring into a member's sheet: turning a sheet into an appraisal that holds
//! the member's scores and notes (so every appraisal tool works on it), and
//! writing those scores and notes back into the sheet's text with `toml_edit`,
//! keeping its comments and layout.
//!
//! Only the values that changed are rewritten: a blank `""` becomes a number
//! when scored, a cleared score goes back to `""`, and notes go into the
//! sheet's `[notes.OPTION]` tables. Every other byte stays as it was.

use std::path::{Component, Path, PathBuf};

use toml_edit::{DocumentMut, Item, Table, Value};

use crate::atomic::{self, WriteError};
use crate::document::{DocumentError, num_value, replace_value};
use crate::model::{Appraisal, ModelError};
use crate::panel::sheet::{Sheet, blank_sheet};

/// The appraisal as `sheet`'s member sees it: the shared appraisal's options,
/// criteria, weights and scale, with the member's scores and notes in place of
/// the shared ones.
pub fn member_appraisal(shared: &Appraisal, sheet: &Sheet) -> Result<Appraisal, ModelError> {
    let mut a = shared.clone();
    let n_crit = a.criteria().len();
    for o in 0..a.options().len() {
        let row = sheet.scores.get(o);
        let notes = sheet.notes.get(o);
        for c in 0..n_crit {
            // A measured criterion's scores come from the appraisal's raw
            // values, which a sheet never holds (the sheet reader refuses them).
            if a.criteria().get(c).is_none_or(|k| k.measure().is_none()) {
                let score = row.and_then(|r| r.get(c)).copied().flatten();
                a.set_score(o, c, score)?;
            }
            let note = notes.and_then(|r| r.get(c)).cloned().flatten();
            if let Some(opt) = a.option_mut(o) {
                opt.set_note(c, note)?;
            }
        }
        if let Some(opt) = a.option_mut(o) {
            // A published total belongs to the shared scores, not to the member's.
            opt.set_published(None);
        }
    }
    Ok(a)
}

/// Applies `member` (an appraisal built by [`member_appraisal`], perhaps
/// edited since) to a sheet's text and returns the new text.
///
/// Scores and notes are found by option and criterion id. Unchanged values
/// keep their exact text; changed ones keep their spacing and trailing
/// comment. With `appraisal_ref`, the sheet's `[sheet] appraisal` path is set
/// to it (after a save to another folder). The sheet's byte-order mark and
/// line endings are kept.
pub fn update_sheet(
    original: &str,
    member: &Appraisal,
    appraisal_ref: Option<&str>,
) -> Result<String, DocumentError> {
    crate::document::keeping_layout(original, |body| edit_sheet(body, member, appraisal_ref))
}

fn edit_sheet(
    original: &str,
    member: &Appraisal,
    appraisal_ref: Option<&str>,
) -> Result<String, DocumentError> {
    let mut doc: DocumentMut = original.parse()?;
    if let Some(r) = appraisal_ref {
        let sheet = doc
            .as_table_mut()
            .entry("sheet")
            .or_insert_with(|| Item::Table(Table::new()))
            .as_table_like_mut()
            .ok_or_else(|| DocumentError::Layout("`sheet` is not a table".into()))?;
        replace_value(sheet, "appraisal", Value::from(r));
    }
    let crit_ids: Vec<&str> = member.criteria().iter().map(|c| c.id().as_str()).collect();
    for part in [Part::Scores, Part::Notes] {
        let key = part.key();
        let wanted_any = member.options().iter().any(|o| match part {
            Part::Scores => o.scores().iter().any(Option::is_some),
            Part::Notes => o.notes().iter().any(Option::is_some),
        });
        if !doc.as_table().contains_key(key) && !wanted_any {
            continue;
        }
        // A new notes table goes just after its option's scores table.
        let score_positions: Vec<Option<isize>> = member
            .options()
            .iter()
            .map(|o| {
                doc.as_table()
                    .get("scores")
                    .and_then(|s| s.get(o.id().as_str()))
                    .and_then(Item::as_table)
                    .and_then(Table::position)
            })
            .collect();
        let top = doc.as_table_mut().entry(key).or_insert_with(|| {
            let mut t = Table::new();
            t.set_implicit(true);
            Item::Table(t)
        });
        let top = top
            .as_table_like_mut()
            .ok_or_else(|| DocumentError::Layout(format!("`{key}` is not a table")))?;
        for (o, opt) in member.options().iter().enumerate() {
            let cells: Vec<Option<Value>> = (0..crit_ids.len())
                .map(|c| match part {
                    Part::Scores => opt.score(c).map(num_value),
                    Part::Notes => opt.note(c).map(Value::from),
                })
                .collect();
            let id = opt.id().as_str();
            if !top.contains_key(id) {
                if cells.iter().all(Option::is_none) {
                    continue;
                }
                let mut t = Table::new();
                let position = match part {
                    // New option tables go at the end, in option order.
                    Part::Scores => isize::MAX / 2 + o as isize,
                    Part::Notes => score_positions
                        .get(o)
                        .copied()
                        .flatten()
                        .unwrap_or(isize::MAX),
                };
                t.set_position(Some(position));
                // A new scores table lists every criterion, as `sheet new` does,
                // so the member can see what is still to score.
                for (c, cid) in crit_ids.iter().enumerate() {
                    match (part, cells.get(c).cloned().flatten()) {
                        (_, Some(v)) => {
                            t.insert(cid, Item::Value(v));
                        }
                        (Part::Scores, None) => {
                            t.insert(cid, Item::Value(Value::from("")));
                        }
                        (Part::Notes, None) => {}
                    }
                }
                top.insert(id, Item::Table(t));
                continue;
            }
            let table = top
                .get_mut(id)
                .and_then(Item::as_table_like_mut)
                .ok_or_else(|| DocumentError::Layout(format!("`{key}.{id}` is not a table")))?;
            for (c, cid) in crit_ids.iter().enumerate() {
                match (part, cells.get(c).cloned().flatten()) {
                    (_, Some(v)) => replace_value(table, cid, v),
                    (Part::Scores, None) => {
                        // A cleared score goes back to the blank placeholder.
                        if table.contains_key(cid) {
                            replace_value(table, cid, Value::from(""));
                        }
                    }
                    (Part::Notes, None) => {
                        table.remove(cid);
                    }
                }
            }
        }
    }
    Ok(doc.to_string())
}

#[derive(Clone, Copy)]
enum Part {
    Scores,
    Notes,
}

impl Part {
    fn key(self) -> &'static str {
        match self {
            Part::Scores => "scores",
            Part::Notes => "notes",
        }
    }
}

/// `target` written relative to the folder `from_dir`, with forward slashes,
/// so a sheet still finds its appraisal when the two move together; the path
/// as given when no relative path exists (another drive, say).
pub fn relative_path(target: &Path, from_dir: &Path) -> String {
    let (Ok(target_abs), Ok(from)) = (target.canonicalize(), from_dir.canonicalize()) else {
        return target.display().to_string();
    };
    let t: Vec<Component<'_>> = target_abs.components().collect();
    let f: Vec<Component<'_>> = from.components().collect();
    let common = t.iter().zip(&f).take_while(|(a, b)| a == b).count();
    if common == 0 {
        return target_abs.display().to_string();
    }
    let mut rel = PathBuf::new();
    for _ in common..f.len() {
        rel.push("..");
    }
    for c in t.iter().skip(common) {
        rel.push(c.as_os_str());
    }
    // Forward slashes keep the sheet portable between Windows and Unix.
    rel.to_string_lossy().replace('\\', "/")
}

/// The folder a file is in, `.` for a bare file name.
pub fn folder_of(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// Writes a new blank sheet for `member` at `sheet_path`, pointing at
/// `appraisal_path`. Refuses to replace an existing file, and never leaves a
/// partly written sheet.
pub fn create_blank_sheet(
    appraisal: &Appraisal,
    appraisal_path: &Path,
    member: &str,
    sheet_path: &Path,
) -> Result<(), WriteError> {
    let reference = relative_path(appraisal_path, folder_of(sheet_path));
    let text = blank_sheet(appraisal, &reference, member);
    atomic::write_new(sheet_path, text.as_bytes())
}

/// Sheets beside `appraisal_path` with the default names
/// (`<stem>.<member>.sheet.toml`, as `appraise sheet new` writes them), sorted by name.
pub fn find_sheets(appraisal_path: &Path) -> Vec<PathBuf> {
    let Some(stem) = appraisal_path.file_stem().map(|s| s.to_string_lossy()) else {
        return Vec::new();
    };
    let prefix = format!("{stem}.");
    let Ok(entries) = std::fs::read_dir(folder_of(appraisal_path)) else {
        return Vec::new();
    };
    let mut found: Vec<PathBuf> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.file_name().map(|n| n.to_string_lossy()).is_some_and(|n| {
                n.starts_with(&prefix) && n.ends_with(".sheet.toml") && n.len() > prefix.len()
            }) && p.is_file()
        })
        .map(|p| as_given_beside(appraisal_path, p))
        .collect();
    found.sort();
    found
}

/// `p`, found in the appraisal's folder, named as the user named the
/// appraisal: a bare file name when the appraisal was given without a
/// folder, so messages name files as the user knows them.
fn as_given_beside(appraisal_path: &Path, p: PathBuf) -> PathBuf {
    match appraisal_path.parent() {
        Some(dir) if dir.as_os_str().is_empty() => p.file_name().map_or(p.clone(), PathBuf::from),
        _ => p,
    }
}

/// Scoresheets for the appraisal at `appraisal_path` that sit beside it
/// under other names than [`find_sheets`] looks for (`clark.toml`, say):
/// TOML files with a `[sheet]` table whose `appraisal` names this file.
/// They are not opened on their own, but a user should be told they exist.
pub fn other_sheets(appraisal_path: &Path) -> Vec<PathBuf> {
    /// Larger files are appraisals, not sheets; skip reading them.
    const MOST: u64 = 4 << 20;
    let Some(own) = appraisal_path.file_name() else {
        return Vec::new();
    };
    let named = find_sheets(appraisal_path);
    let Ok(entries) = std::fs::read_dir(folder_of(appraisal_path)) else {
        return Vec::new();
    };
    let mut found: Vec<PathBuf> = entries
        .flatten()
        .filter(|e| e.metadata().is_ok_and(|m| m.is_file() && m.len() <= MOST))
        .map(|e| e.path())
        .filter(|p| {
            p.extension().is_some_and(|x| x == "toml")
                && p.file_name() != Some(own)
                && !named.iter().any(|n| n.file_name() == p.file_name())
        })
        .filter(|p| {
            let Ok(text) = std::fs::read_to_string(p) else {
                return false;
            };
            let Ok(table) = text.parse::<toml::Table>() else {
                return false;
            };
            table
                .get("sheet")
                .and_then(|s| s.get("appraisal"))
                .and_then(|a| a.as_str())
                .and_then(|a| Path::new(a).file_name().map(|n| n == own))
                .unwrap_or(false)
        })
        .map(|p| as_given_beside(appraisal_path, p))
        .collect();
    found.sort();
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::SourceFile;
    use crate::load::load_str;
    use crate::panel::sheet::parse_sheet;

    const APPRAISAL: &str = r#"[appraisal]
title = "Library review"

[scale]
min = 0
max = 5

[[criteria]]
id = "cost"
name = "Cost"
weight = 2

[[criteria]]
id = "reach"
name = "Reach"

[[options]]
id = "keep"
name = "Keep all branches"
scores = { cost = 1, reach = 5 }
published_total = 7

[[options]]
id = "merge"
name = "Merge two branches"
scores = { cost = 3, reach = 3 }
"#;

    const SHEET: &str = r#"# Scoresheet for Cllr A. Clark
# Comments stay where they are.

[sheet]
appraisal = "review.toml"   # beside this sheet
member = "Cllr A. Clark"

# Keep all branches
[scores.keep]
cost = 4      # after the site visit
reach = ""    # Reach

[notes.keep]
cost = "Leases are cheap."

# Merge two branches
[scores.merge]
cost = ""  # Cost
reach = 2  # Reach

[notes.merge]
"#;

    fn shared() -> Appraisal {
        load_str("review.toml", APPRAISAL).unwrap().appraisal
    }

    fn sheet(text: &str) -> Sheet {
        parse_sheet(
            SourceFile::new("s.toml", text),
            &shared(),
            None,
            Path::new("."),
        )
        .unwrap()
    }

    #[test]
    fn the_member_appraisal_holds_the_members_scores_and_notes() {
        let a = member_appraisal(&shared(), &sheet(SHEET)).unwrap();
        assert_eq!(a.options()[0].scores(), &[Some(4.0), None]);
        assert_eq!(a.options()[1].scores(), &[None, Some(2.0)]);
        assert_eq!(a.options()[0].note(0), Some("Leases are cheap."));
        assert_eq!(a.options()[0].published_total(), None);
        assert_eq!(a.criteria(), shared().criteria());
    }

    #[test]
    fn unchanged_scores_write_identical_bytes() {
        let a = member_appraisal(&shared(), &sheet(SHEET)).unwrap();
        assert_eq!(update_sheet(SHEET, &a, None).unwrap(), SHEET);
    }

    #[test]
    fn placeholders_become_numbers_and_cleared_scores_go_back_to_blank() {
        let mut a = member_appraisal(&shared(), &sheet(SHEET)).unwrap();
        a.set_score(0, 1, Some(3.0)).unwrap();
        a.set_score(1, 1, None).unwrap();
        a.set_score(0, 0, Some(5.0)).unwrap();
        a.option_mut(1)
            .unwrap()
            .set_note(1, Some("Two \"hubs\"\nsecond line".into()))
            .unwrap();
        a.option_mut(0).unwrap().set_note(0, None).unwrap();
        let out = update_sheet(SHEET, &a, None).unwrap();
        let expected = SHEET
            .replace("cost = 4      # after", "cost = 5      # after")
            .replace("reach = \"\"    # Reach", "reach = 3    # Reach")
            .replace("reach = 2  # Reach", "reach = \"\"  # Reach")
            .replace("cost = \"Leases are cheap.\"\n", "")
            .replace(
                "[notes.merge]\n",
                "[notes.merge]\nreach = \"\"\"\nTwo \"hubs\"\nsecond line\"\"\"\n",
            );
        assert_eq!(out, expected);
        let back = member_appraisal(&shared(), &sheet(&out)).unwrap();
        assert_eq!(back, a);
    }

    #[test]
    fn missing_tables_are_added_beside_their_option() {
        let text =
            "[sheet]\nappraisal = \"review.toml\"\nmember = \"M\"\n\n[scores.keep]\ncost = 1\n";
        let mut a = member_appraisal(&shared(), &sheet(text)).unwrap();
        a.set_score(1, 0, Some(2.0)).unwrap();
        a.option_mut(0)
            .unwrap()
            .set_note(1, Some("why".into()))
            .unwrap();
        let out = update_sheet(text, &a, Some("../review.toml")).unwrap();
        assert_eq!(
            out,
            "[sheet]\nappraisal = \"../review.toml\"\nmember = \"M\"\n\n[scores.keep]\ncost = 1\n\n\
             [notes.keep]\nreach = \"why\"\n\n[scores.merge]\ncost = 2\nreach = \"\"\n"
        );
        let back = member_appraisal(&shared(), &sheet(&out)).unwrap();
        assert_eq!(back, a);
    }

    #[test]
    fn a_blank_sheet_round_trips_any_scores() {
        let shared = shared();
        let blank = blank_sheet(&shared, "review.toml", "Cllr B");
        let mut a = member_appraisal(&shared, &sheet(&blank)).unwrap();
        a.set_score(0, 0, Some(0.0)).unwrap();
        a.set_score(1, 1, Some(5.0)).unwrap();
        let out = update_sheet(&blank, &a, None).unwrap();
        assert_eq!(out.lines().count(), blank.lines().count());
        assert!(out.contains("cost = 0  # Cost"), "{out}");
        assert_eq!(member_appraisal(&shared, &sheet(&out)).unwrap(), a);
    }

    #[test]
    fn relative_paths_climb_and_descend() {
        let dir = tempfile::tempdir().unwrap();
        let sub = dir.path().join("sheets");
        std::fs::create_dir(&sub).unwrap();
        let review = dir.path().join("review.toml");
        std::fs::write(&review, APPRAISAL).unwrap();
        assert_eq!(relative_path(&review, &sub), "../review.toml");
        assert_eq!(relative_path(&review, dir.path()), "review.toml");
        let missing = dir.path().join("nope.toml");
        assert_eq!(relative_path(&missing, &sub), missing.display().to_string());
    }

    #[test]
    fn blank_sheets_are_created_once_and_found_by_name() {
        let dir = tempfile::tempdir().unwrap();
        let review = dir.path().join("review.toml");
        std::fs::write(&review, APPRAISAL).unwrap();
        let a = shared();
        let p = crate::panel::default_sheet_path(&review, "Cllr A. Clark");
        create_blank_sheet(&a, &review, "Cllr A. Clark", &p).unwrap();
        let text = std::fs::read_to_string(&p).unwrap();
        assert!(text.contains("appraisal = \"review.toml\""), "{text}");
        assert!(create_blank_sheet(&a, &review, "Cllr A. Clark", &p).is_err());
        assert_eq!(std::fs::read_to_string(&p).unwrap(), text, "not replaced");
        let q = crate::panel::default_sheet_path(&review, "Cllr B");
        create_blank_sheet(&a, &review, "Cllr B", &q).unwrap();
        std::fs::write(dir.path().join("other.x.sheet.toml"), "").unwrap();
        std::fs::write(dir.path().join("review.toml.bak"), "").unwrap();
        assert_eq!(find_sheets(&review), vec![p, q]);
    }
}
