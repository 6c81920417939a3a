//! The words for the keys: the hints on the bottom line and the help screen.
//! Kept beside each other so that help lists every key the keymap knows.

use crate::numbers;

use super::app::{App, Confirm, Focus, Mode, Showing};
use super::swing::SwingStep;

/// Key hints for the bottom line, most useful first; as many as fit are shown.
pub fn hints(app: &App) -> Vec<(String, &'static str)> {
    let member = app.doc.member().is_some();
    let h: Vec<(&str, &'static str)> = match &app.view.mode {
        Mode::Sensitivity => {
            let mut h = vec![("v", "close"), ("←→", "criterion")];
            if !member {
                h.push(("< >", "weight"));
            }
            h.extend([
                ("Tab", "scroll"),
                ("DIGITS", "score"),
                ("u", "undo"),
                ("^S", "save"),
                ("q", "quit"),
                ("?", "help"),
            ]);
            h
        }
        Mode::Normal if app.showing() == Showing::Panel => vec![
            ("p", "close"),
            ("f F", "next/prev flagged"),
            ("m", "method"),
            ("←↑↓→", "move"),
            ("Tab", "details"),
            ("s", "sort"),
            ("q", "quit"),
            ("?", "help"),
        ],
        Mode::Normal if app.showing() == Showing::Shared => vec![
            ("c", "back to your scores"),
            ("←↑↓→", "move"),
            ("Tab", "details"),
            ("u", "undo"),
            ("^S", "save"),
            ("q", "quit"),
            ("?", "help"),
        ],
        Mode::Normal if member => {
            let mut h = vec![("?", "help")];
            match app.view.focus {
                Focus::Grid => h.extend([
                    ("←↑↓→", "move"),
                    ("DIGITS", "score"),
                    ("n", "note"),
                    ("c", "shared scores"),
                    ("u", "undo"),
                    ("^S", "save"),
                    ("q", "quit"),
                    ("x", "clear"),
                    ("Tab", "details"),
                    ("s", "sort"),
                    ("v", "sensitivity"),
                    ("e", "export"),
                ]),
                Focus::Details => h.extend([
                    ("↑↓", "scroll"),
                    ("Tab", "back to grid"),
                    ("n", "note"),
                    ("^S", "save"),
                    ("q", "quit"),
                ]),
            }
            h
        }
        Mode::Normal => {
            let mut h = vec![("?", "help")];
            match app.view.focus {
                Focus::Grid if app.panel.is_some() => h.extend([
                    ("←↑↓→", "move"),
                    ("DIGITS", "score"),
                    ("p", "panel"),
                    ("u", "undo"),
                    ("^S", "save"),
                    ("q", "quit"),
                    ("n", "note"),
                    ("x", "clear"),
                    ("w", "weight"),
                    ("Tab", "details"),
                    ("s", "sort"),
                    ("v", "sensitivity"),
                    ("e", "export"),
                ]),
                Focus::Grid => h.extend([
                    ("←↑↓→", "move"),
                    ("DIGITS", "score"),
                    ("u", "undo"),
                    ("^S", "save"),
                    ("q", "quit"),
                    ("n", "note"),
                    ("x", "clear"),
                    ("w", "weight"),
                    ("Tab", "details"),
                    ("s", "sort"),
                    ("W", "swing weights"),
                    ("v", "sensitivity"),
                    ("e", "export"),
                ]),
                Focus::Details => h.extend([
                    ("↑↓", "scroll"),
                    ("Tab", "back to grid"),
                    ("n", "note"),
                    ("^S", "save"),
                    ("q", "quit"),
                ]),
            }
            h
        }
        Mode::Help(_) => vec![("↑↓", "scroll"), ("Esc", "close")],
        Mode::Note(_) => vec![
            ("Esc", "done"),
            ("Enter", "new line"),
            ("←↑↓→", "move"),
            ("^S", "done and save"),
        ],
        Mode::Prompt(_) => vec![("Enter", "accept"), ("Esc", "cancel"), ("←→", "move")],
        Mode::Confirm(c) => match c {
            Confirm::Quit => vec![
                ("y", "save and quit"),
                ("n", "quit, discard"),
                ("Esc", "stay"),
            ],
            Confirm::RemoveOption(_)
            | Confirm::RemoveCriterion(_)
            | Confirm::Replace { .. }
            | Confirm::ReplaceExport { .. } => {
                vec![("y", "yes"), ("n", "no")]
            }
            Confirm::Conflict { .. } => {
                vec![("o", "overwrite"), ("a", "save as"), ("Esc", "cancel")]
            }
            Confirm::RecoveryClash(_) => vec![
                ("↑↓", "cell"),
                ("Space", "yours/theirs"),
                ("Enter", "restore as chosen"),
                ("y", "all yours"),
                ("t", "all theirs"),
            ],
            Confirm::Recovery { .. } => {
                vec![("r", "restore"), ("d", "discard"), ("q", "quit")]
            }
        },
        Mode::Swing(s) => match s.step {
            SwingStep::Order => vec![
                ("↑↓", "choose"),
                ("J/K", "move"),
                ("Enter", "next"),
                ("Esc", "cancel"),
            ],
            SwingStep::Value => vec![
                ("↑↓", "choose"),
                ("0-9", "value"),
                ("Enter", "write weights"),
                ("Esc", "back"),
            ],
        },
        Mode::Export(_) => vec![("↑↓", "choose"), ("Enter", "next"), ("Esc", "cancel")],
    };
    h.into_iter()
        .map(|(k, d)| {
            let k = if k == "DIGITS" {
                digits_hint(app)
            } else {
                k.to_owned()
            };
            (k, d)
        })
        .collect()
}

/// The score keys for this scale: "0-5", or "0-5 ." with half points.
fn digits_hint(app: &App) -> String {
    let s = app.doc.appraisal().scale();
    let range = if s.max() <= 9.0 && s.min() >= 0.0 {
        format!(
            "{}-{}",
            numbers::score(s.min().ceil()),
            numbers::score(s.max().floor())
        )
    } else {
        "0-9".to_owned()
    };
    if s.step() < 1.0 {
        format!("{range} .")
    } else {
        range
    }
}

/// Every key, grouped, for the help screen: (key, what it does). A line with
/// an empty description is a heading.
pub fn help_lines() -> Vec<(&'static str, &'static str)> {
    vec![
        ("Moving around", ""),
        ("← ↑ ↓ →", "move between cells (also h j k l)"),
        ("PgUp PgDn", "a page of options up or down"),
        ("Home End", "first or last option (also g G)"),
        ("Tab", "switch between the grid and the details pane"),
        ("mouse", "click a cell to select it; the wheel scrolls"),
        ("", ""),
        ("Scoring", ""),
        (
            "0-9",
            "set the selected score (1 then 0 gives 10 on a 0-10 scale)",
        ),
        (
            ".",
            "add a half (on scales with half points): 3 then . gives 3.5",
        ),
        ("+ -", "step the score up or down the scale"),
        ("Delete x", "clear the score (an empty cell shows ·)"),
        (
            "n Enter",
            "write or edit the cell's note (¶ marks cells with notes)",
        ),
        ("", ""),
        ("Weights", ""),
        ("w", "type a new weight for the selected criterion"),
        (
            "< >",
            "move the selected criterion's weight down or up a step",
        ),
        (
            "W",
            "swing-weighting assistant: order the criteria, value each swing",
        ),
        ("", ""),
        ("Options and criteria", ""),
        ("r", "rename the selected option"),
        ("R", "rename the selected criterion"),
        ("a", "add an option below the selected one"),
        ("A", "add a criterion right of the selected one"),
        ("d", "remove the selected option (asks first)"),
        ("D", "remove the selected criterion (asks first)"),
        ("J K", "move the option down or up (also Shift-↓ Shift-↑)"),
        (
            "H L",
            "move the criterion left or right (also Shift-← Shift-→)",
        ),
        ("s", "sort options by rank, or back to file order"),
        ("", ""),
        ("Sensitivity", ""),
        (
            "v",
            "live sensitivity: how sure is the ranking? (v again to close). \
             It shows the robustness statement, the selected criterion's chart of \
             totals against its share of the weight, each option's chance of \
             ranking first, and how far each weight can move; all of it is \
             worked out again as you change scores and weights",
        ),
        ("", ""),
        ("Members and panels", ""),
        (
            "c",
            "member mode: show the shared scores, read-only (c again: yours). \
             A member scores and writes notes; weights, names, options and \
             criteria stay as the appraisal has them",
        ),
        (
            "p",
            "panel view: members' sheets merged, shaded by disagreement",
        ),
        ("f F", "panel view: next or previous flagged cell"),
        ("m", "panel view: combine by mean, median or trimmed mean"),
        ("", ""),
        ("Undo, save and leave", ""),
        ("u Ctrl-z", "undo (as far back as the session goes)"),
        ("Ctrl-y Ctrl-r", "redo"),
        (
            "Ctrl-s",
            "save to the file (asks where for the bundled example)",
        ),
        ("S", "save as another file"),
        (
            "e",
            "export: Word, Excel, web page, Markdown, CSV, SVG charts, JSON, \
             a text report, or a copy of the appraisal file",
        ),
        ("q Ctrl-c", "quit (asks first if there are unsaved changes)"),
        ("Esc", "clear the message line; cancel a dialog"),
        ("? F1", "this help"),
        ("", ""),
        ("In the grid", ""),
        (
            "▁▂▃▄▅▆▇█",
            "the bar rises with the score, so the grid reads without colour",
        ),
        ("·", "not scored yet"),
        ("¶", "the cell has a note"),
        (
            "Total *",
            "some cells unscored: the total counts the scored ones only",
        ),
        ("Rank 3=", "tied with another option"),
        (
            "! ~",
            "panel view: ! members 2 or more steps apart (flagged), ~ a smaller spread",
        ),
        ("", ""),
        ("Your work is safe", ""),
        (
            "recovery",
            "unsaved changes are kept in a recovery file as you work;",
        ),
        (
            "",
            "if appraise closes unexpectedly, they are offered next time",
        ),
    ]
}
