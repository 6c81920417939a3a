//! Writing a panel's consensus back into the appraisal.

use crate::model::{Appraisal, ModelError};
use crate::numbers;
use crate::panel::merge::{Cell, Merged};

/// Starts every line the panel writes into a note. Only a line with the
/// whole shape of a written line, from this mark to its full stop, is ever
/// replaced, so a person's own note (even one starting "Panel consensus")
/// is never taken for one.
pub const PANEL_LINE_MARK: &str = "Panel consensus (written by appraise): ";

/// What earlier versions started their panel lines with; such lines are
/// replaced only when they have the exact shape those versions wrote.
const LEGACY_MARK: &str = "Panel: ";

const METHODS: &[&str] = &["trimmed mean", "mean", "median"];

/// A piece of the shape of a written line.
enum Piece {
    /// This text exactly.
    Text(&'static str),
    /// One of these texts.
    OneOf(&'static [&'static str]),
    /// A number as the panel writes one: `-2`, `3.67`, `1e20`.
    Number,
}

use Piece::{Number, OneOf, Text};

/// The shapes of every line the panel has written, with and without the
/// "written as" part.
const SHAPES: &[&[Piece]] = &[
    &[Text(PANEL_LINE_MARK), Text("no member scored this cell.")],
    &[
        Text(PANEL_LINE_MARK),
        OneOf(METHODS),
        Text(" "),
        Number,
        Text(" of "),
        Number,
        OneOf(&[" members (", " member ("]),
        Number,
        Text(" scored), range "),
        Number,
        Text(" to "),
        Number,
        Text(", spread "),
        Number,
        OneOf(&[".", "; written as "]),
    ],
    &[Text(LEGACY_MARK), Text("no member scored this cell.")],
    &[
        Text(LEGACY_MARK),
        OneOf(METHODS),
        Text(" "),
        Number,
        Text(" of "),
        Number,
        Text(" members ("),
        Number,
        Text(" scored), range "),
        Number,
        Text("-"),
        Number,
        Text(", spread "),
        Number,
        OneOf(&[".", "; written as "]),
    ],
];

/// Bytes at the start of `s` that form a number.
fn number_len(s: &str) -> usize {
    let b = s.as_bytes();
    let digits = |from: usize| from + b[from..].iter().take_while(|c| c.is_ascii_digit()).count();
    let start = usize::from(b.first() == Some(&b'-'));
    let mut end = digits(start);
    if end == start {
        return 0;
    }
    if b.get(end) == Some(&b'.') && digits(end + 1) > end + 1 {
        end = digits(end + 1);
    }
    if b.get(end) == Some(&b'e') {
        let sign = usize::from(matches!(b.get(end + 1), Some(b'-' | b'+')));
        let after = digits(end + 1 + sign);
        if after > end + 1 + sign {
            end = after;
        }
    }
    end
}

/// Whether `s` has exactly the shape `pieces`; a shape ending in "written as"
/// takes a final number and full stop.
fn has_shape(s: &str, pieces: &[Piece]) -> bool {
    match pieces.split_first() {
        None => s.is_empty(),
        Some((Text(t), rest)) => s.strip_prefix(t).is_some_and(|s| has_shape(s, rest)),
        Some((OneOf(alts), rest)) => alts.iter().any(|a| {
            s.strip_prefix(a).is_some_and(|after| {
                if rest.is_empty() && a.ends_with("written as ") {
                    has_shape(after, &[Number, Text(".")])
                } else {
                    has_shape(after, rest)
                }
            })
        }),
        Some((Number, rest)) => {
            let n = number_len(s);
            n > 0 && has_shape(&s[n..], rest)
        }
    }
}

/// Whether `line` is one the panel wrote (now or in an earlier version).
pub fn is_panel_line(line: &str) -> bool {
    SHAPES.iter().any(|shape| has_shape(line, shape))
}

/// What writing the consensus changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ConsensusChanges {
    /// Scores that now differ from before.
    pub scores_changed: usize,
    /// Cells that no member scored, left as they were.
    pub cells_unscored: usize,
    /// Notes that gained or updated their panel line.
    pub notes_updated: usize,
}

/// The panel line for one cell, such as "Panel consensus (written by
/// appraise): mean 3.67 of 3 members (3 scored), range 2 to 5, spread 3; written as 4."
fn panel_line(cell: &Cell, merged: &Merged, written: f64) -> String {
    let method = merged.options.method.words();
    let (Some(consensus), Some(min), Some(max), Some(spread)) =
        (cell.consensus, cell.min, cell.max, cell.spread)
    else {
        return format!("{PANEL_LINE_MARK}no member scored this cell.");
    };
    let mut line = format!(
        "{PANEL_LINE_MARK}{method} {} of {} ({} scored), range {} to {}, spread {}",
        numbers::total(consensus),
        numbers::count(merged.members.len() as f64, "member", "members"),
        cell.scored,
        numbers::score(min),
        numbers::score(max),
        numbers::score(spread)
    );
    if (written - consensus).abs() > 1e-9 {
        line.push_str(&format!("; written as {}", numbers::score(written)));
    }
    line.push('.');
    line
}

/// Replaces any line the panel wrote earlier in `note` with `line`, keeping
/// everything a person wrote.
fn with_panel_line(note: Option<&str>, line: &str) -> String {
    let kept: Vec<&str> = note
        .unwrap_or("")
        .lines()
        .filter(|l| !is_panel_line(l))
        .collect();
    let kept = kept.join("\n");
    let kept = kept.trim_end();
    if kept.is_empty() {
        line.to_string()
    } else {
        format!("{kept}\n{line}")
    }
}

/// A copy of `appraisal` holding the consensus: each cell someone scored gets
/// the consensus rounded to the scale's step (the file's scale allows nothing
/// finer), and its note gains a line with the spread. Unscored cells are left alone.
pub fn apply_consensus(
    appraisal: &Appraisal,
    merged: &Merged,
) -> Result<(Appraisal, ConsensusChanges), ModelError> {
    let mut out = appraisal.clone();
    let mut changes = ConsensusChanges::default();
    let scale = appraisal.scale().clone();
    for (o, row) in merged.cells.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            let Some(consensus) = cell.consensus else {
                changes.cells_unscored += 1;
                continue;
            };
            let written = scale.point(scale.index_of(consensus));
            if out.options()[o].score(c) != Some(written) {
                changes.scores_changed += 1;
            }
            out.set_score(o, c, Some(written))?;
            let line = panel_line(cell, merged, written);
            let option = out
                .option_mut(o)
                .ok_or(ModelError::NoSuchIndex("option", o))?;
            let note = with_panel_line(option.note(c), &line);
            if option.note(c) != Some(note.as_str()) {
                changes.notes_updated += 1;
            }
            option.set_note(c, Some(note))?;
        }
    }
    Ok((out, changes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn panel_lines_replace_earlier_ones_and_nothing_else() {
        let new =
            format!("{PANEL_LINE_MARK}mean 4 of 2 members (2 scored), range 3 to 5, spread 2.");
        assert_eq!(with_panel_line(None, &new), new);
        assert_eq!(
            with_panel_line(Some("Reason."), &new),
            format!("Reason.\n{new}")
        );
        let old = format!(
            "{PANEL_LINE_MARK}median 3.5 of 1 member (1 scored), range -2 to 5, spread 7; written as 4."
        );
        assert!(is_panel_line(&old));
        assert_eq!(
            with_panel_line(Some(&format!("Reason.\n{old}")), &new),
            format!("Reason.\n{new}")
        );
        for legacy in [
            "Panel: mean 3.67 of 3 members (3 scored), range 2-5, spread 3; written as 4.",
            "Panel: trimmed mean 2 of 5 members (4 scored), range -1-3, spread 4.",
            "Panel: no member scored this cell.",
        ] {
            assert!(is_panel_line(legacy), "{legacy}");
        }
        for person in [
            "Panel: we visited the site on 3 May.",
            "Panel: mean 3.67 of 3 members (3 scored), range 2-5, spread 3; written as 4. We disagree.",
            "Panel consensus (written by appraise): we agreed to revisit this.",
            "Panel consensus (written by appraise): mean 3.67 of 3 members",
            "panel: mean 3 of 2 members (2 scored), range 2-4, spread 2.",
            "Panel: mean 3.67 of 3 members (3 scored), range 2-5, spread 3; written as .",
        ] {
            assert!(!is_panel_line(person), "{person}");
            assert_eq!(
                with_panel_line(Some(person), &new),
                format!("{person}\n{new}")
            );
        }
    }
}
