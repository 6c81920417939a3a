//! Reversible edits to an appraisal, for unlimited undo and redo.
//!
//! Each edit records what it changes from and to, so undoing is applying its
//! inverse. This costs memory in proportion to the edit, not the appraisal,
//! which matters on large appraisals where a snapshot per keystroke would not.

use crate::model::{Appraisal, AppraisalOption, Evidence, ModelError, RemovedCriterion};
use crate::numbers;

/// One change to an appraisal, with enough detail to reverse it.
#[derive(Debug, Clone, PartialEq)]
pub enum Edit {
    /// A score set, changed or cleared.
    Score {
        /// Option index.
        o: usize,
        /// Criterion index.
        c: usize,
        /// The score before.
        old: Option<f64>,
        /// The score after.
        new: Option<f64>,
    },
    /// A measured criterion's raw value set, changed or cleared (its
    /// derived scores follow).
    Measure {
        /// Option index.
        o: usize,
        /// Criterion index.
        c: usize,
        /// The raw value before.
        old: Option<f64>,
        /// The raw value after.
        new: Option<f64>,
        /// The range the value was given as before, if any (typing a value
        /// over a range replaces it; undo brings the range back).
        old_range: Option<crate::model::value_fn::RawRange>,
        /// The range after, if any.
        new_range: Option<crate::model::value_fn::RawRange>,
    },
    /// A note set, changed or cleared.
    Note {
        /// Option index.
        o: usize,
        /// Criterion index.
        c: usize,
        /// The note before.
        old: Option<String>,
        /// The note after.
        new: Option<String>,
    },
    /// The points for and against on a cell set, changed or cleared.
    Evidence {
        /// Option index.
        o: usize,
        /// Criterion index.
        c: usize,
        /// The points before.
        old: Evidence,
        /// The points after.
        new: Evidence,
        /// The format version before and after: the first evidence given to
        /// a version-1 appraisal makes it version 2, and undoing that puts
        /// version 1 back, so the file saves as it was.
        versions: (u8, u8),
    },
    /// One weight changed.
    Weight {
        /// Criterion index.
        c: usize,
        /// The weight before.
        old: f64,
        /// The weight after.
        new: f64,
    },
    /// Every weight changed at once (the swing-weighting assistant).
    Weights {
        /// The weights before.
        old: Vec<f64>,
        /// The weights after.
        new: Vec<f64>,
    },
    /// The order of importance recorded under `[agreed_weights] order`
    /// (the swing assistant's ranking).
    AgreedOrder {
        /// The orders before.
        old: Vec<String>,
        /// The orders after.
        new: Vec<String>,
    },
    /// An option renamed.
    RenameOption {
        /// Option index.
        o: usize,
        /// The name before.
        old: String,
        /// The name after.
        new: String,
    },
    /// A criterion renamed.
    RenameCriterion {
        /// Criterion index.
        c: usize,
        /// The name before.
        old: String,
        /// The name after.
        new: String,
    },
    /// An option added at a position.
    InsertOption {
        /// Where it goes.
        at: usize,
        /// The option.
        option: Box<AppraisalOption>,
    },
    /// An option removed from a position.
    RemoveOption {
        /// Where it was.
        at: usize,
        /// The option, kept so it can be put back.
        option: Box<AppraisalOption>,
    },
    /// An option moved.
    MoveOption {
        /// Its position before.
        from: usize,
        /// Its position after.
        to: usize,
    },
    /// A criterion (with its column) added at a position.
    InsertCriterion {
        /// Where it goes.
        at: usize,
        /// The criterion and its column.
        column: Box<RemovedCriterion>,
    },
    /// A criterion (with its column) removed.
    RemoveCriterion {
        /// Where it was.
        at: usize,
        /// The criterion and its column, kept so it can be put back.
        column: Box<RemovedCriterion>,
    },
    /// A criterion moved with its column.
    MoveCriterion {
        /// Its position before.
        from: usize,
        /// Its position after.
        to: usize,
    },
    /// The whole appraisal replaced (restoring a recovery file).
    Replace {
        /// The appraisal before.
        old: Box<Appraisal>,
        /// The appraisal after.
        new: Box<Appraisal>,
    },
}

impl Edit {
    /// Applies the edit; on error the appraisal is unchanged.
    pub fn apply(&self, a: &mut Appraisal) -> Result<(), ModelError> {
        match self {
            Edit::Score { o, c, new, .. } => a.set_score(*o, *c, *new),
            Edit::Measure {
                o,
                c,
                new,
                new_range,
                ..
            } => a.set_raw(*o, *c, *new, *new_range),
            Edit::Note { o, c, new, .. } => a
                .option_mut(*o)
                .ok_or(ModelError::NoSuchIndex("option", *o))?
                .set_note(*c, new.clone()),
            Edit::Evidence {
                o,
                c,
                new,
                versions,
                ..
            } => a
                .set_evidence(*o, *c, new.clone(), Some(versions.1))
                .map(|_| ()),
            Edit::Weight { c, new, .. } => a.set_weight(*c, *new),
            Edit::Weights { new, .. } => a.set_weights(new),
            Edit::AgreedOrder { new, .. } => {
                a.set_agreed_order(new.clone());
                Ok(())
            }
            Edit::RenameOption { o, new, .. } => a
                .option_mut(*o)
                .ok_or(ModelError::NoSuchIndex("option", *o))?
                .set_name(new),
            Edit::RenameCriterion { c, new, .. } => a
                .criterion_mut(*c)
                .ok_or(ModelError::NoSuchIndex("criterion", *c))?
                .set_name(new),
            Edit::InsertOption { at, option } => {
                a.insert_option(*at, (**option).clone()).map(|_| ())
            }
            Edit::RemoveOption { at, .. } => a.remove_option(*at).map(|_| ()),
            Edit::MoveOption { from, to } => a.move_option(*from, *to),
            Edit::InsertCriterion { at, column } => {
                let RemovedCriterion {
                    criterion,
                    scores,
                    notes,
                } = (**column).clone();
                a.insert_criterion(*at, criterion, scores, notes)
                    .map(|_| ())
            }
            Edit::RemoveCriterion { at, .. } => a.remove_criterion(*at).map(|_| ()),
            Edit::MoveCriterion { from, to } => a.move_criterion(*from, *to),
            Edit::Replace { new, .. } => {
                *a = (**new).clone();
                Ok(())
            }
        }
    }

    /// The edit that undoes this one.
    pub fn inverse(&self) -> Edit {
        match self.clone() {
            Edit::Score { o, c, old, new } => Edit::Score {
                o,
                c,
                old: new,
                new: old,
            },
            Edit::Note { o, c, old, new } => Edit::Note {
                o,
                c,
                old: new,
                new: old,
            },
            Edit::Measure {
                o,
                c,
                old,
                new,
                old_range,
                new_range,
            } => Edit::Measure {
                o,
                c,
                old: new,
                new: old,
                old_range: new_range,
                new_range: old_range,
            },
            Edit::Evidence {
                o,
                c,
                old,
                new,
                versions: (before, after),
            } => Edit::Evidence {
                o,
                c,
                old: new,
                new: old,
                versions: (after, before),
            },
            Edit::Weight { c, old, new } => Edit::Weight {
                c,
                old: new,
                new: old,
            },
            Edit::Weights { old, new } => Edit::Weights { old: new, new: old },
            Edit::AgreedOrder { old, new } => Edit::AgreedOrder { old: new, new: old },
            Edit::RenameOption { o, old, new } => Edit::RenameOption {
                o,
                old: new,
                new: old,
            },
            Edit::RenameCriterion { c, old, new } => Edit::RenameCriterion {
                c,
                old: new,
                new: old,
            },
            Edit::InsertOption { at, option } => Edit::RemoveOption { at, option },
            Edit::RemoveOption { at, option } => Edit::InsertOption { at, option },
            Edit::MoveOption { from, to } => Edit::MoveOption { from: to, to: from },
            Edit::InsertCriterion { at, column } => Edit::RemoveCriterion { at, column },
            Edit::RemoveCriterion { at, column } => Edit::InsertCriterion { at, column },
            Edit::MoveCriterion { from, to } => Edit::MoveCriterion { from: to, to: from },
            Edit::Replace { old, new } => Edit::Replace { old: new, new: old },
        }
    }

    /// A short description for messages such as "Undid: score 4 to 3".
    pub fn describe(&self, a: &Appraisal) -> String {
        let oname = |o: &usize| {
            a.options()
                .get(*o)
                .map_or_else(|| "an option".to_owned(), |x| x.name().to_owned())
        };
        let cname = |c: &usize| {
            a.criteria()
                .get(*c)
                .map_or_else(|| "a criterion".to_owned(), |x| x.name().to_owned())
        };
        let score = |s: &Option<f64>| s.map_or_else(|| "empty".to_owned(), numbers::score);
        match self {
            Edit::Score { o, c, old, new } => format!(
                "{} on {}: {} → {}",
                oname(o),
                cname(c),
                score(old),
                score(new)
            ),
            Edit::Note { o, c, .. } => format!("note on {} / {}", oname(o), cname(c)),
            Edit::Evidence { o, c, .. } => {
                format!("points for and against on {} / {}", oname(o), cname(c))
            }
            Edit::Measure { o, c, old, new, .. } => {
                let raw = |v: &Option<f64>| {
                    let m = a.criteria().get(*c).and_then(|k| k.measure());
                    match (v, m) {
                        (Some(v), Some(m)) => m.with_unit(*v),
                        (Some(v), None) => numbers::as_given(*v),
                        (None, _) => "empty".to_owned(),
                    }
                };
                format!("{} on {}: {} → {}", oname(o), cname(c), raw(old), raw(new))
            }
            Edit::Weight { c, old, new } => format!(
                "weight of {}: {} → {}",
                cname(c),
                numbers::weight(*old),
                numbers::weight(*new)
            ),
            Edit::Weights { .. } => "all weights".to_owned(),
            Edit::AgreedOrder { .. } => "the agreed order of importance".to_owned(),
            Edit::RenameOption { old, new, .. } | Edit::RenameCriterion { old, new, .. } => {
                format!("rename {old} → {new}")
            }
            Edit::InsertOption { option, .. } => format!("add option {}", option.name()),
            Edit::RemoveOption { option, .. } => format!("remove option {}", option.name()),
            Edit::MoveOption { .. } => "move option".to_owned(),
            Edit::InsertCriterion { column, .. } => {
                format!("add criterion {}", column.criterion.name())
            }
            Edit::RemoveCriterion { column, .. } => {
                format!("remove criterion {}", column.criterion.name())
            }
            Edit::MoveCriterion { .. } => "move criterion".to_owned(),
            Edit::Replace { .. } => "restore recovered work".to_owned(),
        }
    }
}

/// Undo and redo stacks without a length limit.
#[derive(Debug, Clone, Default)]
pub struct History {
    undo: Vec<Edit>,
    redo: Vec<Edit>,
}

impl History {
    /// Applies `edit` and records it; a new edit clears the redo stack.
    pub fn apply(&mut self, a: &mut Appraisal, edit: Edit) -> Result<(), ModelError> {
        edit.apply(a)?;
        self.undo.push(edit);
        self.redo.clear();
        Ok(())
    }

    /// Undoes the latest edit, returning it; `None` if there is nothing to undo.
    pub fn undo(&mut self, a: &mut Appraisal) -> Option<Result<Edit, ModelError>> {
        let edit = self.undo.pop()?;
        Some(match edit.inverse().apply(a) {
            Ok(()) => {
                self.redo.push(edit.clone());
                Ok(edit)
            }
            Err(e) => {
                self.undo.push(edit);
                Err(e)
            }
        })
    }

    /// Redoes the latest undone edit, returning it; `None` if there is nothing to redo.
    pub fn redo(&mut self, a: &mut Appraisal) -> Option<Result<Edit, ModelError>> {
        let edit = self.redo.pop()?;
        Some(match edit.apply(a) {
            Ok(()) => {
                self.undo.push(edit.clone());
                Ok(edit)
            }
            Err(e) => {
                self.redo.push(edit);
                Err(e)
            }
        })
    }

    /// How many edits can be undone.
    pub fn undo_len(&self) -> usize {
        self.undo.len()
    }

    /// The edit that [`History::undo`] would undo next.
    pub fn next_undo(&self) -> Option<&Edit> {
        self.undo.last()
    }

    /// The edit that [`History::redo`] would redo next.
    pub fn next_redo(&self) -> Option<&Edit> {
        self.redo.last()
    }

    /// How many edits can be redone.
    pub fn redo_len(&self) -> usize {
        self.redo.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::load_example;
    use crate::model::{Criterion, Id};

    #[test]
    fn every_edit_undoes_to_the_start() {
        let start = load_example().unwrap().appraisal;
        let mut a = start.clone();
        let mut h = History::default();
        let n = a.criteria().len();
        let edits = vec![
            Edit::Score {
                o: 0,
                c: 0,
                old: Some(4.0),
                new: None,
            },
            Edit::Note {
                o: 1,
                c: 2,
                old: a.options()[1].note(2).map(str::to_owned),
                new: Some("x\ny".into()),
            },
            Edit::Weight {
                c: 1,
                old: 1.0,
                new: 3.0,
            },
            Edit::Weights {
                old: vec![1.0, 3.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0],
                new: vec![2.0; n],
            },
            Edit::RenameOption {
                o: 2,
                old: a.options()[2].name().into(),
                new: "New".into(),
            },
            Edit::RenameCriterion {
                c: 0,
                old: a.criteria()[0].name().into(),
                new: "Kids".into(),
            },
            Edit::InsertOption {
                at: 3,
                option: Box::new(AppraisalOption::new(Id::new("zz").unwrap(), "Z", n).unwrap()),
            },
            Edit::RemoveOption {
                at: 0,
                option: Box::new(a.options()[0].clone()),
            },
            Edit::MoveOption { from: 0, to: 4 },
            Edit::InsertCriterion {
                at: 1,
                column: Box::new(RemovedCriterion {
                    criterion: Criterion::new(Id::new("new").unwrap(), "New", 1.0).unwrap(),
                    scores: Vec::new(),
                    notes: Vec::new(),
                }),
            },
            Edit::MoveCriterion { from: 1, to: 5 },
        ];
        let mut states = vec![a.clone()];
        for e in edits {
            // Removing option 0 must carry the option as it is at that moment.
            let e = match e {
                Edit::RemoveOption { at, .. } => Edit::RemoveOption {
                    at,
                    option: Box::new(a.options()[at].clone()),
                },
                e => e,
            };
            h.apply(&mut a, e).unwrap();
            states.push(a.clone());
        }
        let removed = Edit::RemoveCriterion {
            at: 5,
            column: Box::new(RemovedCriterion {
                criterion: a.criteria()[5].clone(),
                scores: a.options().iter().map(|o| o.score(5)).collect(),
                notes: a
                    .options()
                    .iter()
                    .map(|o| o.note(5).map(str::to_owned))
                    .collect(),
            }),
        };
        h.apply(&mut a, removed).unwrap();
        states.push(a.clone());
        let replaced = Edit::Replace {
            old: Box::new(a.clone()),
            new: Box::new(start.clone()),
        };
        h.apply(&mut a, replaced).unwrap();
        assert_eq!(a, start);
        // Undo walks back through every state, redo walks forward again.
        while let Some(r) = h.undo(&mut a) {
            r.unwrap();
            assert_eq!(a, states[h.undo_len()]);
        }
        assert_eq!(a, start);
        while let Some(r) = h.redo(&mut a) {
            r.unwrap();
        }
        assert_eq!(a, start, "the last edit restored the start");
        assert_eq!(h.redo_len(), 0);
    }

    #[test]
    fn a_failed_edit_is_not_recorded() {
        let mut a = load_example().unwrap().appraisal;
        let mut h = History::default();
        let bad = Edit::Score {
            o: 0,
            c: 0,
            old: Some(4.0),
            new: Some(9.0),
        };
        assert!(h.apply(&mut a, bad).is_err());
        assert_eq!(h.undo_len(), 0);
    }
}
