//! Writing a panel's consensus back into the appraisal.

use crate::model::{Appraisal, ModelError};
use crate::numbers;
use crate::panel::merge::{Cell, Merged};

/// Notes written by the panel start with this, so a later merge replaces the
/// line instead of adding another.
pub const PANEL_NOTE_PREFIX: &str = "Panel: ";

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

/// The panel line for one cell, such as
/// "Panel: mean 3.67 of 3 members (3 scored), range 2-5, spread 3; written as 4."
fn panel_line(cell: &Cell, merged: &Merged, written: f64) -> String {
    let method = merged.options.method.as_str().replace('-', " ");
    let (Some(consensus), Some(min), Some(max), Some(spread)) =
        (cell.consensus, cell.min, cell.max, cell.spread)
    else {
        return format!("{PANEL_NOTE_PREFIX}no member scored this cell.");
    };
    let mut line = format!(
        "{PANEL_NOTE_PREFIX}{method} {} of {} members ({} scored), range {}-{}, spread {}",
        numbers::total(consensus),
        merged.members.len(),
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

/// Replaces any earlier panel line in `note` with `line`, keeping the rest.
fn with_panel_line(note: Option<&str>, line: &str) -> String {
    let kept: Vec<&str> = note
        .unwrap_or("")
        .lines()
        .filter(|l| !l.starts_with(PANEL_NOTE_PREFIX))
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
    fn panel_lines_replace_earlier_ones() {
        assert_eq!(with_panel_line(None, "Panel: x."), "Panel: x.");
        assert_eq!(
            with_panel_line(Some("Reason."), "Panel: x."),
            "Reason.\nPanel: x."
        );
        assert_eq!(
            with_panel_line(Some("Reason.\nPanel: old."), "Panel: new."),
            "Reason.\nPanel: new."
        );
    }
}
