//! What the document is saved to: the appraisal file itself, or one
//! member's scoresheet. Each target renders the document as its own file's
//! text (for saving, recovery files and copies) and saves it, so that the
//! document ([`super::doc::Doc`]) never asks which one it is.

use std::path::Path;

use crate::atomic;
use crate::document;
use crate::load::{self, LoadError};
use crate::model::Appraisal;
use crate::panel::member as sheets;
use crate::save::{self, Fingerprint, SaveError, Saved};

use super::member::{self, MemberSheet};

/// Which file the document is saved to.
#[derive(Debug, Clone)]
pub enum Target {
    /// The appraisal file itself (or the bundled example).
    Appraisal,
    /// A member's scoresheet: the document holds the member's scores and notes
    /// on the shared appraisal's options and criteria, and saving writes them
    /// into the sheet.
    Sheet(Box<MemberSheet>),
}

impl Target {
    /// In member mode, the member and the shared appraisal.
    pub fn member(&self) -> Option<&MemberSheet> {
        match self {
            Target::Sheet(m) => Some(m),
            Target::Appraisal => None,
        }
    }

    /// The text `appraisal` would be saved as at `path`: `original` with the
    /// changes applied, comments and layout kept, or written afresh if
    /// `original` cannot be edited.
    pub fn render(&self, original: &str, appraisal: &Appraisal, path: Option<&Path>) -> String {
        match self {
            Target::Appraisal => document::update_document(original, appraisal)
                .unwrap_or_else(|_| document::to_toml(appraisal)),
            Target::Sheet(m) => {
                sheets::update_sheet(original, appraisal, None).unwrap_or_else(|_| {
                    let reference = path.map(sheets::folder_of).map_or_else(
                        || m.appraisal_path.display().to_string(),
                        |dir| sheets::relative_path(&m.appraisal_path, dir),
                    );
                    let blank = crate::panel::blank_sheet(&m.shared, &reference, &m.member);
                    sheets::update_sheet(&blank, appraisal, None).unwrap_or(blank)
                })
            }
        }
    }

    /// The text [`Target::save`] writes: `original` with `appraisal`'s
    /// changes applied, and a sheet's `appraisal` path rewritten if it moves
    /// to another folder. Nothing is written.
    pub fn saved_text(
        &self,
        from: Option<&Path>,
        to: &Path,
        original: &str,
        appraisal: &Appraisal,
    ) -> Result<String, SaveError> {
        match self {
            Target::Appraisal => save::text(to, Some(original), appraisal),
            Target::Sheet(m) => {
                let reference = member::moves_folder(from, to)
                    .then(|| sheets::relative_path(&m.appraisal_path, sheets::folder_of(to)));
                Ok(sheets::update_sheet(
                    original,
                    appraisal,
                    reference.as_deref(),
                )?)
            }
        }
    }

    /// Saves `appraisal` to `to` (the document was read from `from`),
    /// editing `original`, and refusing to overwrite a file changed on disk
    /// since it matched `expected` unless `force`. A sheet saved into another
    /// folder has its `appraisal` path rewritten so that it still finds the
    /// appraisal.
    pub fn save(
        &self,
        from: Option<&Path>,
        to: &Path,
        original: &str,
        appraisal: &Appraisal,
        expected: Option<Fingerprint>,
        force: bool,
    ) -> Result<Saved, SaveError> {
        match self {
            Target::Appraisal => save::save(to, Some(original), appraisal, expected, force),
            Target::Sheet(_) => {
                if let (Some(expected), false) = (expected, force)
                    && Fingerprint::of_file(to).is_some_and(|now| now != expected)
                {
                    return Err(SaveError::Conflict {
                        path: to.to_owned(),
                    });
                }
                let text = self.saved_text(from, to, original, appraisal)?;
                atomic::write(to, text.as_bytes())?;
                Ok(Saved {
                    fingerprint: Fingerprint::of(text.as_bytes()),
                    text,
                })
            }
        }
    }

    /// Reads text written for this target (a recovery file's, say) back as
    /// the document's appraisal; `path` is the document's own file.
    pub fn read(
        &self,
        name: &str,
        text: &str,
        path: Option<&Path>,
    ) -> Result<Appraisal, LoadError> {
        match (self, path) {
            (Target::Sheet(m), Some(sheet)) => m.read_text(name, text, sheets::folder_of(sheet)),
            _ => load::load_str(name, text).map(|l| l.appraisal),
        }
    }

    /// What a copy of the document is called in the export menu.
    pub fn copy_label(&self) -> &'static str {
        match self {
            Target::Appraisal => "Copy of the appraisal file",
            Target::Sheet(_) => "Copy of your scoresheet",
        }
    }
}
