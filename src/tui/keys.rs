//! The words for the keys: the hints on the bottom line and the help screen.
//! Kept beside each other so that help lists every key the keymap knows.

use crate::numbers;

use crate::model::Scale;

use super::app::{App, Confirm, Focus, Mode, Showing};
use super::swing::SwingStep;

/// The keys a question takes: (keys as shown, what they do, the characters
/// accepted, with `\n` for Enter). Esc is always taken; what it does is
/// listed like any other key.
pub fn confirm_keys(c: &Confirm) -> Vec<(&'static str, &'static str, &'static [char])> {
    match c {
        Confirm::Quit => vec![
            ("y Enter", "save, then quit", &['y', 's', '\n']),
            (
                "n",
                "quit without saving (the changes are lost)",
                &['n', 'd'],
            ),
            ("Esc", "keep working", &['c']),
        ],
        Confirm::RemoveOption(_) | Confirm::RemoveCriterion(_) => vec![
            ("y", "remove it (u undoes this)", &['y']),
            ("n Enter Esc", "keep it", &['n', '\n']),
        ],
        Confirm::Conflict { .. } => vec![
            ("o", "overwrite it with your version", &['o']),
            ("a", "save your version as another file", &['a']),
            ("n Enter Esc", "don't save yet", &['n', '\n']),
        ],
        Confirm::Replace { .. } => vec![
            ("y", "replace it", &['y']),
            ("n Enter Esc", "choose another name", &['n', '\n']),
        ],
        Confirm::ReplaceExport { .. } => vec![
            ("y", "replace it with this export", &['y']),
            ("n Enter Esc", "choose another name", &['n', '\n']),
        ],
        Confirm::Discard { .. } => vec![
            ("y", "discard them and close the box", &['y']),
            ("n Enter Esc", "go back to the box", &['n', '\n']),
        ],
        Confirm::Recovery { .. } => vec![
            ("r", "restore them (then Ctrl-s to save)", &['r', 'y']),
            ("d", "discard them and open the file as saved", &['d', 'n']),
            ("q", "quit and decide later", &['q']),
        ],
        Confirm::RecoveryClash(_) => vec![
            ("↑↓", "cell", &[]),
            ("Space", "yours/theirs", &[' ']),
            ("Enter", "restore as chosen", &['\n']),
            ("y", "all yours", &['y', 'r']),
            ("t", "all theirs", &['t']),
            ("q", "quit and decide later", &['q']),
        ],
    }
}

/// Whether the question `c` takes the key `k` (a lower-case letter, or `\n`).
pub fn confirm_takes(c: &Confirm, k: char) -> bool {
    confirm_keys(c).iter().any(|(_, _, cs)| cs.contains(&k))
}

/// The question's keys in a sentence: "y or Enter: save, then quit; ...".
pub fn confirm_choices(c: &Confirm) -> String {
    confirm_keys(c)
        .iter()
        .map(|(k, d, _)| format!("{}: {d}", k.split(' ').collect::<Vec<_>>().join(" or ")))
        .collect::<Vec<_>>()
        .join("; ")
}

/// The swing assistant's keys in a sentence, for the step shown.
pub fn swing_choices(step: SwingStep) -> &'static str {
    match step {
        SwingStep::Order => {
            "↑↓ choose a criterion, J/K move it, Enter goes on to the values, Esc cancels, ? help"
        }
        SwingStep::Value => {
            "↑↓ choose, type a number from 0 to 100, Enter writes the weights, Shift-Tab goes back, Esc cancels, ? help"
        }
    }
}

/// What to say when `key` does nothing where it was pressed: where it does
/// work, if anywhere, and how to find the keys that work here.
pub fn unbound_hint(app: &App, key: &str) -> String {
    let here = match app.showing() {
        Showing::Panel => "in the panel view",
        Showing::Shared => "on the shared scores",
        Showing::Own if app.view.mode == Mode::Sensitivity => "in the sensitivity view",
        Showing::Own => "on the grid",
    };
    format!("{key} does nothing {here}: ? lists every key")
}

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
            ("p Esc", "close"),
            ("f F", "next/prev flagged"),
            ("m", "method"),
            ("←↑↓→", "move"),
            ("Tab", "details"),
            ("s", "sort"),
            ("q", "quit"),
            ("?", "help"),
        ],
        Mode::Normal if app.showing() == Showing::Shared => vec![
            ("c Esc", "back to your scores"),
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
        Mode::Help { .. } => vec![("↑↓", "scroll"), ("Esc", "close")],
        Mode::Note(_) => vec![
            ("Enter", "keep"),
            ("Esc", "cancel"),
            ("Alt-Enter ^J", "new line"),
            ("^S", "keep and save"),
            ("F1", "help"),
        ],
        Mode::Prompt(_) => vec![
            ("Enter", "accept"),
            ("Esc", "cancel"),
            ("←→", "move"),
            ("F1", "help"),
        ],
        Mode::Confirm(c) => confirm_keys(c)
            .into_iter()
            .map(|(k, d, _)| (k, d))
            .collect(),
        Mode::Swing(s) => match s.step {
            SwingStep::Order => vec![
                ("↑↓", "choose"),
                ("J/K", "move"),
                ("Enter", "next"),
                ("Esc", "cancel"),
                ("?", "help"),
            ],
            SwingStep::Value => vec![
                ("↑↓", "choose"),
                ("0-9", "value"),
                ("Enter", "write weights"),
                ("Shift-Tab", "back"),
                ("Esc", "cancel"),
                ("?", "help"),
            ],
        },
        Mode::Export(_) => vec![
            ("↑↓", "choose"),
            ("Enter", "next"),
            ("Esc", "cancel"),
            ("?", "help"),
        ],
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

/// What the scale means, for the help screen: (key column, text) lines as
/// [`help_lines`] gives them.
pub fn scale_help(scale: &Scale) -> Vec<(String, String)> {
    let mut out = vec![
        ("The scale".to_owned(), String::new()),
        (
            format!(
                "{} to {}",
                numbers::score(scale.min()),
                numbers::score(scale.max())
            ),
            format!(
                "every cell is scored on this scale{}: higher is better. An option's total adds its scores, each times its criterion's weight",
                if scale.step() == 1.0 {
                    String::new()
                } else {
                    format!(", in steps of {}", numbers::score(scale.step()))
                }
            ),
        ),
    ];
    if scale.labels().is_empty() {
        out.push((
            String::new(),
            "the file gives no wording for the points of the scale".to_owned(),
        ));
    }
    for (v, text) in scale.labels() {
        out.push((numbers::score(*v), text.clone()));
    }
    out.push((
        String::new(),
        "the line under the grid and the top of the details pane show these for the selected cell"
            .to_owned(),
    ));
    out
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
        (
            "M",
            "mouse off (or on again): with it off, drag to select and copy text \
             as in any terminal. With it on, most terminals still copy with Shift held while dragging",
        ),
        ("", ""),
        ("Scoring", ""),
        (
            "0-9",
            "set the selected score (1 then 0 gives 10 on a 0-10 scale; \
             a number off the scale is refused and the score stays)",
        ),
        (
            "Enter",
            "confirm and move down to the next option, as in a spreadsheet",
        ),
        (
            ".",
            "add a half (on scales with half points): 3 then . gives 3.5",
        ),
        ("+ -", "step the score up or down the scale"),
        ("Delete x", "clear the score (an empty cell shows ·)"),
        (
            "n",
            "write or edit the cell's note (¶ marks cells with notes). In the \
             note: Enter keeps it, Alt-Enter or Ctrl-j starts a new line, Esc \
             cancels (asking first if you changed it), Ctrl-s keeps it and saves",
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
        (
            "Esc",
            "cancel a box or dialog (a box with changes asks first); close the \
             live view, the panel view or the shared scores; clear the message line",
        ),
        (
            "Enter",
            "in a box or dialog: accept (each dialog lists its keys)",
        ),
        (
            "? F1",
            "this help, from anywhere (F1 in a text box); any key closes it",
        ),
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
        (
            "Total ≠",
            "the option's published total differs from its scores' total (the details say by how much)",
        ),
        (
            "C1 C2",
            "criteria by number when their names do not fit; the line under the grid names the selected one, and the details list them all",
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
