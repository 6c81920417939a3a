//! Member mode: one panel member scores into their own scoresheet
//! (`appraise tui review.toml --member NAME`).
//!
//! The document is still an [`Appraisal`], built from the shared appraisal's
//! options, criteria and weights with the member's scores and notes in place
//! of the shared ones, so the grid, undo, notes, totals and the live
//! sensitivity view all work unchanged. Only saving differs: it writes into the
//! sheet with [`crate::panel::member::update_sheet`]. The shared scores are
//! kept here to be shown, read-only, when the member asks.

use std::path::{Path, PathBuf};

use crate::compute::{Results, compute};
use crate::diagnostic::{Diagnostic, Kind, SourceFile};
use crate::load::{self, LoadError};
use crate::model::{Appraisal, check_name};
use crate::panel::member::{create_blank_sheet, folder_of, member_appraisal};
use crate::panel::sheet::{default_sheet_path, load_sheet, parse_sheet};

/// What member mode knows besides the member's own scores.
#[derive(Debug, Clone)]
pub struct MemberSheet {
    /// The member's name, as written in the sheet.
    pub member: String,
    /// The appraisal file the sheet belongs to.
    pub appraisal_path: PathBuf,
    /// The appraisal with its shared scores and notes, shown read-only on request.
    pub shared: Appraisal,
    /// Totals and ranks of the shared scores.
    pub shared_results: Results,
}

impl MemberSheet {
    /// The appraisal file's name, for messages.
    pub fn appraisal_name(&self) -> String {
        self.appraisal_path.file_name().map_or_else(
            || self.appraisal_path.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        )
    }

    /// Reads sheet text (a recovery file's, say) as the member's appraisal.
    /// `base` is the sheet's folder, which its `appraisal` path is relative to.
    pub fn read_text(&self, name: &str, text: &str, base: &Path) -> Result<Appraisal, LoadError> {
        let sheet = parse_sheet(
            SourceFile::new(name, text),
            &self.shared,
            Some(&self.appraisal_path),
            base,
        )?;
        member_appraisal(&self.shared, &sheet).map_err(|e| LoadError {
            file: SourceFile::new(name, text),
            diagnostics: vec![Diagnostic::error(Kind::InvalidScore, e.to_string(), None)],
        })
    }
}

/// A member's sheet, opened and ready to score.
#[derive(Debug, Clone)]
pub struct Opened {
    /// The shared appraisal and who the member is.
    pub member: MemberSheet,
    /// The member's scores and notes on the shared structure.
    pub appraisal: Appraisal,
    /// The sheet's text as read.
    pub text: String,
    /// Where the sheet is.
    pub sheet_path: PathBuf,
    /// Whether the sheet was created just now from a blank one.
    pub created: bool,
    /// Warnings about the sheet (an option it has no scores for, say).
    pub warnings: Vec<String>,
}

fn problem(file: &str, text: &str, d: Diagnostic) -> LoadError {
    LoadError {
        file: SourceFile::new(file, text),
        diagnostics: vec![d],
    }
}

/// Opens `member`'s sheet for the appraisal at `appraisal_path`: the sheet at
/// `sheet` if given, else the default path beside the appraisal. A missing
/// sheet is created blank first.
pub fn open(
    appraisal_path: &Path,
    member: &str,
    sheet: Option<&Path>,
) -> Result<Opened, LoadError> {
    if let Err(e) = check_name(member) {
        return Err(problem(
            "--member",
            member,
            Diagnostic::error(
                Kind::InvalidText,
                format!("the member name is not usable: {e}"),
                None,
            )
            .with_help("give the member's name on one line, such as --member \"Cllr A. Clark\""),
        ));
    }
    let member = member.trim();
    let loaded = load::load_path(appraisal_path)?;
    let shared = loaded.appraisal;
    let sheet_path = sheet.map_or_else(
        || default_sheet_path(appraisal_path, member),
        Path::to_path_buf,
    );
    let created = !sheet_path.exists();
    if created && let Err(e) = create_blank_sheet(&shared, appraisal_path, member, &sheet_path) {
        return Err(problem(
            &sheet_path.display().to_string(),
            "",
            Diagnostic::error(
                Kind::Unwritable,
                format!("cannot create the scoresheet: {e}"),
                None,
            )
            .with_help("check that the folder exists and can be written to, or name another file with --sheet"),
        ));
    }
    let sheet = load_sheet(&sheet_path, &shared, Some(appraisal_path))?;
    if sheet.member.to_lowercase() != member.to_lowercase() {
        return Err(LoadError {
            diagnostics: vec![
                Diagnostic::error(
                    Kind::WrongMember,
                    format!(
                        "this scoresheet belongs to {}, not to {member}",
                        sheet.member
                    ),
                    Some(sheet.member_span.clone()),
                )
                .with_help(format!(
                    "open it with --member \"{}\", or give {member}'s own sheet with --sheet",
                    sheet.member
                )),
            ],
            file: sheet.source.clone(),
        });
    }
    let appraisal = member_appraisal(&shared, &sheet).map_err(|e| {
        problem(
            &sheet.source.name,
            &sheet.source.text,
            Diagnostic::error(Kind::InvalidScore, e.to_string(), None),
        )
    })?;
    let warnings = sheet
        .warnings
        .iter()
        .map(|w| format!("{}: {}", sheet.source.name, w.message))
        .collect();
    Ok(Opened {
        member: MemberSheet {
            member: sheet.member.clone(),
            appraisal_path: appraisal_path.to_owned(),
            shared_results: compute(&shared),
            shared,
        },
        appraisal,
        text: sheet.source.text,
        sheet_path,
        created,
        warnings,
    })
}

/// Whether saving to `to` moves the sheet to another folder, so that its
/// `appraisal` path has to be written again relative to the new one.
pub fn moves_folder(from: Option<&Path>, to: &Path) -> bool {
    let canon = |p: &Path| folder_of(p).canonicalize().ok();
    match from {
        Some(f) => canon(f) != canon(to) || canon(to).is_none(),
        None => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const REVIEW: &str = "[appraisal]\ntitle = \"T\"\n[scale]\nmin = 0\nmax = 5\n\
        [[criteria]]\nid = \"c\"\nname = \"C\"\n[[options]]\nid = \"o\"\nname = \"O\"\nscores = { c = 2 }\n";

    #[test]
    fn a_missing_sheet_is_created_then_reopened() {
        let dir = tempfile::tempdir().unwrap();
        let review = dir.path().join("review.toml");
        std::fs::write(&review, REVIEW).unwrap();
        let first = open(&review, "Cllr A", None).unwrap();
        assert!(first.created);
        assert_eq!(
            first.sheet_path,
            dir.path().join("review.cllr-a.sheet.toml")
        );
        assert_eq!(first.appraisal.options()[0].score(0), None);
        assert_eq!(first.member.shared.options()[0].score(0), Some(2.0));
        let again = open(&review, "cllr a", None).unwrap();
        assert!(!again.created, "the same member, in any case");
        assert_eq!(again.text, first.text);
    }

    #[test]
    fn someone_elses_sheet_is_refused_with_its_position() {
        let dir = tempfile::tempdir().unwrap();
        let review = dir.path().join("review.toml");
        std::fs::write(&review, REVIEW).unwrap();
        let theirs = open(&review, "Cllr B", None).unwrap().sheet_path;
        let e = open(&review, "Cllr A", Some(&theirs)).unwrap_err();
        assert_eq!(e.diagnostics[0].kind, "wrong-member");
        assert!(
            e.diagnostics[0].location(&e.file).ends_with(":8:10"),
            "{}",
            e.diagnostics[0].location(&e.file)
        );
        let e = open(&review, "bad\nname", None).unwrap_err();
        assert!(e.diagnostics[0].message.contains("member name"));
        let e = open(
            &review,
            "Cllr C",
            Some(&dir.path().join("no/such/dir.toml")),
        )
        .unwrap_err();
        assert!(
            e.diagnostics[0].message.contains("cannot create"),
            "{:?}",
            e.diagnostics
        );
    }

    #[test]
    fn moving_folders_is_noticed() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.toml");
        let sub = dir.path().join("sub");
        std::fs::create_dir(&sub).unwrap();
        assert!(!moves_folder(Some(&a), &dir.path().join("b.toml")));
        assert!(moves_folder(Some(&a), &sub.join("b.toml")));
    }
}
