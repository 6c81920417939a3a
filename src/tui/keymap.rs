//! The one key table: every key the screen takes, where it works, what it
//! does, how the hint bar words it and what the help says of it. Key
//! matching ([`key_to_action`]), the hint bar ([`hints`]) and the help
//! screen ([`help_lines`]) all read this table, as gitui's key config
//! drives its matching and help, so they cannot drift apart.
//!
//! The keys are fixed, so that people and tests can rely on them.

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use crate::model::Scale;
use crate::numbers;

use super::action::{Action, Input};
use super::app::{App, Confirm, Focus, Mode, Showing};
use super::swing::SwingStep;

/// The kind of screen a key is pressed on, which decides what it means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyMode {
    /// The grid, in any view (own scores, shared, panel, live sensitivity).
    Screen,
    /// The help screen.
    Help,
    /// A note being written.
    Note,
    /// A one-line box.
    Prompt,
    /// The swing assistant, step 1.
    SwingOrder,
    /// The swing assistant, step 2.
    SwingValue,
    /// The export menu.
    Export,
    /// A question (its own keys are in [`confirm_keys`]).
    Question,
    /// The guided start of a new appraisal: a text field.
    StartField,
    /// The guided start: a criterion's group, chosen rather than typed.
    StartGroup,
}

/// Where the hint bar is shown, to choose and order its hints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// The grid, with the keyboard.
    Grid,
    /// The grid, scoring as a member.
    MemberGrid,
    /// The details pane, with the keyboard.
    Details,
    /// The live sensitivity view.
    Live,
    /// The panel view.
    Panel,
    /// The shared scores, in member mode.
    Shared,
    /// The help screen.
    Help,
    /// A note.
    Note,
    /// The points for and against a score.
    Evidence,
    /// A one-line box.
    Prompt,
    /// The swing assistant, step 1.
    SwingOrder,
    /// The swing assistant, step 2.
    SwingValue,
    /// The export menu.
    Export,
    /// The guided start: a field of one answer (title, scale, wording).
    StartField,
    /// The guided start: a line of a list (groups, criteria, options).
    StartList,
    /// The guided start: a criterion's name, when there are groups to put it in.
    StartGroupedList,
    /// The guided start: a criterion's group.
    StartGroup,
    /// The guided start: the last step, before the file is written.
    StartReview,
}

/// The places of the guided start, whose hints and help are its own.
const START_PLACES: [Place; 5] = [
    Place::StartField,
    Place::StartList,
    Place::StartGroupedList,
    Place::StartGroup,
    Place::StartReview,
];

/// A key as it is bound.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    /// A character typed plainly (an upper-case letter comes with Shift).
    Char(char),
    /// Ctrl and a letter.
    Ctrl(char),
    /// A named key with no Ctrl, Alt or Shift (Shift-Tab is `BackTab`).
    Code(KeyCode),
    /// A named key with Shift held.
    Shift(KeyCode),
    /// A named key with Alt held.
    Alt(KeyCode),
    /// Any digit.
    Digit,
    /// Any character typed plainly: text for a box.
    Printable,
}

impl Key {
    fn matches(self, key: KeyEvent) -> Option<Option<char>> {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        let alt = key.modifiers.contains(KeyModifiers::ALT);
        let shift = key.modifiers.contains(KeyModifiers::SHIFT);
        let hit = match self {
            Key::Char(c) => key.code == KeyCode::Char(c) && !ctrl && !alt,
            Key::Ctrl(c) => key.code == KeyCode::Char(c) && ctrl,
            Key::Code(KeyCode::BackTab) => key.code == KeyCode::BackTab && !ctrl && !alt,
            Key::Code(code) => key.code == code && !ctrl && !alt && !shift,
            Key::Shift(code) => key.code == code && shift && !ctrl,
            Key::Alt(code) => key.code == code && alt,
            Key::Digit => matches!(key.code, KeyCode::Char('0'..='9')) && !ctrl && !alt,
            Key::Printable => matches!(key.code, KeyCode::Char(_)) && !ctrl,
        };
        hit.then_some(match key.code {
            KeyCode::Char(c) => Some(c),
            _ => None,
        })
    }
}

/// What a binding does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Does {
    /// This action.
    Act(Action),
    /// Scores the digit typed.
    Digit,
    /// Types the character into the box.
    Type,
}

/// When a binding is offered in hints (it is matched wherever its mode is).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum When {
    /// Always.
    Always,
    /// On the appraisal itself, not a member's sheet.
    Appraisal,
    /// Once a panel has been opened.
    PanelKept,
    /// When the appraisal has criteria groups.
    Grouped,
}

/// A heading of the help screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Group {
    /// Moving around.
    Moving,
    /// Scoring.
    Scoring,
    /// Weights.
    Weights,
    /// Options and criteria.
    Structure,
    /// The live sensitivity view.
    Sensitivity,
    /// Members and panels.
    Panels,
    /// Undo, save and leave.
    Files,
    /// Boxes and dialogs.
    Boxes,
    /// The guided start of a new appraisal (its own help, not the grid's).
    Start,
}

impl Group {
    /// The heading.
    pub fn heading(self) -> &'static str {
        match self {
            Group::Moving => "Moving around",
            Group::Scoring => "Scoring",
            Group::Weights => "Weights",
            Group::Structure => "Options and criteria",
            Group::Sensitivity => "Sensitivity",
            Group::Panels => "Members and panels",
            Group::Files => "Undo, save and leave",
            Group::Boxes => "In boxes and dialogs",
            Group::Start => "Starting a new appraisal",
        }
    }
}

/// One line of the key table.
#[derive(Debug, Clone)]
pub struct Binding {
    /// The keys that do it.
    pub keys: &'static [Key],
    /// The keys as the hint bar and the help write them.
    pub label: &'static str,
    /// What it does.
    pub does: Does,
    /// The screens it works on.
    pub modes: &'static [KeyMode],
    /// Where the hint bar shows it: the place, the order there (lower
    /// first) and the word beside the key.
    pub hints: &'static [(Place, u8, &'static str)],
    /// When it is offered in the hints.
    pub when: When,
    /// Its heading in the help, and what the help says ("" for none).
    pub help: (Group, &'static str),
}

use Key::{Char, Code, Ctrl, Shift};
use KeyMode as M;
use Place as P;

const SCREEN: &[KeyMode] = &[M::Screen];
const TEXT: &[KeyMode] = &[M::Note, M::Prompt];
const START: &[KeyMode] = &[M::StartField, M::StartGroup];

/// A key that edits a text field of the guided start, as in any text box:
/// no hint and no line of help of its own.
const fn field_key(keys: &'static [Key], label: &'static str, input: Input) -> Binding {
    Binding {
        keys,
        label,
        does: Does::Act(Action::Input(input)),
        modes: &[M::StartField],
        hints: &[],
        when: When::Always,
        help: (Group::Start, ""),
    }
}

/// Every key.
pub static KEYS: &[Binding] = &[
    // Moving around.
    Binding {
        keys: &[Shift(KeyCode::Up), Char('K')],
        label: "J K",
        does: Does::Act(Action::MoveOption(-1)),
        modes: SCREEN,
        hints: &[],
        when: When::Appraisal,
        help: (
            Group::Structure,
            "move the option up or down (also Shift-↑ Shift-↓)",
        ),
    },
    Binding {
        keys: &[Char('o')],
        label: "o",
        does: Does::Act(Action::Input(Input::Char('o'))),
        modes: &[M::SwingOrder],
        hints: &[(P::SwingOrder, 2, "record order")],
        when: When::Always,
        help: (
            Group::Boxes,
            "swing assistant, step 1: record this ranking as the panel's agreed order of importance ([agreed_weights] order, saved with the file)",
        ),
    },
    Binding {
        keys: &[Shift(KeyCode::Down), Char('J')],
        label: "J",
        does: Does::Act(Action::MoveOption(1)),
        modes: SCREEN,
        hints: &[],
        when: When::Appraisal,
        help: (Group::Structure, ""),
    },
    Binding {
        keys: &[Shift(KeyCode::Left), Char('H')],
        label: "H L",
        does: Does::Act(Action::MoveCriterion(-1)),
        modes: SCREEN,
        hints: &[],
        when: When::Appraisal,
        help: (
            Group::Structure,
            "move the criterion left or right (also Shift-← Shift-→)",
        ),
    },
    Binding {
        keys: &[Shift(KeyCode::Right), Char('L')],
        label: "L",
        does: Does::Act(Action::MoveCriterion(1)),
        modes: SCREEN,
        hints: &[],
        when: When::Appraisal,
        help: (Group::Structure, ""),
    },
    Binding {
        keys: &[Code(KeyCode::Up), Char('k')],
        label: "← ↑ ↓ →",
        does: Does::Act(Action::Up),
        modes: SCREEN,
        hints: &[
            (P::Grid, 1, "move"),
            (P::MemberGrid, 1, "move"),
            (P::Panel, 3, "move"),
            (P::Shared, 1, "move"),
            (P::Details, 1, "scroll"),
        ],
        when: When::Always,
        help: (Group::Moving, "move between cells (also h j k l)"),
    },
    Binding {
        keys: &[Code(KeyCode::Down), Char('j')],
        label: "↓",
        does: Does::Act(Action::Down),
        modes: SCREEN,
        hints: &[],
        when: When::Always,
        help: (Group::Moving, ""),
    },
    Binding {
        keys: &[Code(KeyCode::Left), Char('h')],
        label: "←",
        does: Does::Act(Action::Left),
        modes: SCREEN,
        hints: &[(P::Live, 1, "criterion")],
        when: When::Always,
        help: (Group::Moving, ""),
    },
    Binding {
        keys: &[Code(KeyCode::Right), Char('l')],
        label: "→",
        does: Does::Act(Action::Right),
        modes: SCREEN,
        hints: &[],
        when: When::Always,
        help: (Group::Moving, ""),
    },
    Binding {
        keys: &[Code(KeyCode::PageUp)],
        label: "PgUp PgDn",
        does: Does::Act(Action::PageUp),
        modes: &[M::Screen, M::Help],
        hints: &[],
        when: When::Always,
        help: (Group::Moving, "a page of options (or of help) up or down"),
    },
    Binding {
        keys: &[Code(KeyCode::PageDown)],
        label: "PgDn",
        does: Does::Act(Action::PageDown),
        modes: &[M::Screen, M::Help],
        hints: &[],
        when: When::Always,
        help: (Group::Moving, ""),
    },
    Binding {
        keys: &[Code(KeyCode::Home), Char('g')],
        label: "Home End",
        does: Does::Act(Action::First),
        modes: SCREEN,
        hints: &[],
        when: When::Always,
        help: (Group::Moving, "first or last option (also g G)"),
    },
    Binding {
        keys: &[Code(KeyCode::End), Char('G')],
        label: "End",
        does: Does::Act(Action::Last),
        modes: SCREEN,
        hints: &[],
        when: When::Always,
        help: (Group::Moving, ""),
    },
    Binding {
        keys: &[Code(KeyCode::Tab), Code(KeyCode::BackTab)],
        label: "Tab",
        does: Does::Act(Action::SwitchPane),
        modes: SCREEN,
        hints: &[
            (P::Grid, 20, "details"),
            (P::MemberGrid, 20, "details"),
            (P::Panel, 4, "details"),
            (P::Shared, 2, "details"),
            (P::Details, 2, "back to grid"),
            (P::Live, 3, "scroll"),
        ],
        when: When::Always,
        help: (
            Group::Moving,
            "switch between the grid and the details pane (or the live view, to scroll it)",
        ),
    },
    Binding {
        keys: &[Char('M')],
        label: "M",
        does: Does::Act(Action::ToggleMouse),
        modes: SCREEN,
        hints: &[],
        when: When::Always,
        help: (
            Group::Moving,
            "mouse off (or on again): with it off, drag to select and copy text \
             as in any terminal. With it on, a click selects a cell, the wheel \
             scrolls, and most terminals still copy with Shift held while dragging",
        ),
    },
    // Scoring.
    Binding {
        keys: &[Key::Digit],
        label: "0-9",
        does: Does::Digit,
        modes: SCREEN,
        hints: &[
            (P::Grid, 2, "score"),
            (P::MemberGrid, 2, "score"),
            (P::Live, 5, "score"),
        ],
        when: When::Always,
        help: (
            Group::Scoring,
            "set the selected score (1 then 0 gives 10 on a 0-10 scale; a \
             number off the scale is refused and the score stays)",
        ),
    },
    Binding {
        keys: &[Code(KeyCode::Enter)],
        label: "Enter",
        does: Does::Act(Action::Confirm),
        modes: SCREEN,
        hints: &[],
        when: When::Always,
        help: (
            Group::Scoring,
            "confirm and move down to the next option, as in a spreadsheet",
        ),
    },
    Binding {
        keys: &[Char('.')],
        label: ".",
        does: Does::Act(Action::Half),
        modes: SCREEN,
        hints: &[],
        when: When::Always,
        help: (
            Group::Scoring,
            "add a half (on scales with half points): 3 then . gives 3.5",
        ),
    },
    Binding {
        keys: &[Char('+'), Char('=')],
        label: "+ -",
        does: Does::Act(Action::Step(1)),
        modes: SCREEN,
        hints: &[],
        when: When::Always,
        help: (Group::Scoring, "step the score up or down the scale"),
    },
    Binding {
        keys: &[Char('-')],
        label: "-",
        does: Does::Act(Action::Step(-1)),
        modes: SCREEN,
        hints: &[],
        when: When::Always,
        help: (Group::Scoring, ""),
    },
    Binding {
        keys: &[Code(KeyCode::Delete), Code(KeyCode::Backspace), Char('x')],
        label: "x Delete",
        does: Does::Act(Action::Clear),
        modes: SCREEN,
        hints: &[(P::Grid, 8, "clear"), (P::MemberGrid, 8, "clear")],
        when: When::Always,
        help: (Group::Scoring, "clear the score (an empty cell shows ·)"),
    },
    Binding {
        keys: &[Char('n')],
        label: "n",
        does: Does::Act(Action::EditNote),
        modes: SCREEN,
        hints: &[
            (P::Grid, 7, "note"),
            (P::MemberGrid, 3, "note"),
            (P::Details, 3, "note"),
        ],
        when: When::Always,
        help: (
            Group::Scoring,
            "write or edit the cell's note (¶ marks cells with notes)",
        ),
    },
    Binding {
        keys: &[Char('E')],
        label: "E",
        does: Does::Act(Action::EditEvidence),
        modes: SCREEN,
        hints: &[(P::Grid, 7, "evidence"), (P::Details, 3, "evidence")],
        when: When::Appraisal,
        help: (
            Group::Scoring,
            "the evidence for (+) and against (−) the selected score: add, \
             change or remove points, one a line (Tab switches a line between \
             for and against; u undoes it all)",
        ),
    },
    // Weights.
    Binding {
        keys: &[Char('w')],
        label: "w",
        does: Does::Act(Action::EditWeight),
        modes: SCREEN,
        hints: &[(P::Grid, 9, "weight")],
        when: When::Appraisal,
        help: (
            Group::Weights,
            "type a new weight for the selected criterion (20% is a share of the total)",
        ),
    },
    Binding {
        keys: &[Char('<')],
        label: "< >",
        does: Does::Act(Action::NudgeWeight(-1)),
        modes: SCREEN,
        hints: &[(P::Live, 2, "weight")],
        when: When::Appraisal,
        help: (
            Group::Weights,
            "move the selected criterion's weight down or up a step",
        ),
    },
    Binding {
        keys: &[Char('>')],
        label: ">",
        does: Does::Act(Action::NudgeWeight(1)),
        modes: SCREEN,
        hints: &[],
        when: When::Appraisal,
        help: (Group::Weights, ""),
    },
    Binding {
        keys: &[Char('W')],
        label: "W",
        does: Does::Act(Action::Swing),
        modes: SCREEN,
        hints: &[(P::Grid, 22, "swing weights")],
        when: When::Appraisal,
        help: (
            Group::Weights,
            "swing-weighting assistant: order the criteria, value each swing",
        ),
    },
    // Options and criteria.
    Binding {
        keys: &[Char('r')],
        label: "r",
        does: Does::Act(Action::RenameOption),
        modes: SCREEN,
        hints: &[],
        when: When::Appraisal,
        help: (Group::Structure, "rename the selected option"),
    },
    Binding {
        keys: &[Char('R')],
        label: "R",
        does: Does::Act(Action::RenameCriterion),
        modes: SCREEN,
        hints: &[],
        when: When::Appraisal,
        help: (Group::Structure, "rename the selected criterion"),
    },
    Binding {
        keys: &[Char('a')],
        label: "a",
        does: Does::Act(Action::AddOption),
        modes: SCREEN,
        hints: &[],
        when: When::Appraisal,
        help: (Group::Structure, "add an option below the selected one"),
    },
    Binding {
        keys: &[Char('A')],
        label: "A",
        does: Does::Act(Action::AddCriterion),
        modes: SCREEN,
        hints: &[],
        when: When::Appraisal,
        help: (
            Group::Structure,
            "add a criterion right of the selected one",
        ),
    },
    Binding {
        keys: &[Char('d')],
        label: "d",
        does: Does::Act(Action::RemoveOption),
        modes: SCREEN,
        hints: &[],
        when: When::Appraisal,
        help: (Group::Structure, "remove the selected option (asks first)"),
    },
    Binding {
        keys: &[Char('D')],
        label: "D",
        does: Does::Act(Action::RemoveCriterion),
        modes: SCREEN,
        hints: &[],
        when: When::Appraisal,
        help: (
            Group::Structure,
            "remove the selected criterion (asks first)",
        ),
    },
    Binding {
        keys: &[Char('o')],
        label: "o O",
        does: Does::Act(Action::Fold),
        modes: SCREEN,
        hints: &[
            (P::Grid, 9, "fold"),
            (P::MemberGrid, 9, "fold"),
            (P::Panel, 6, "fold"),
        ],
        when: When::Grouped,
        help: (
            Group::Moving,
            "fold the selected criterion's group into one column of subtotals; \
             on a folded group, fold the group around it, or unfold a top-level \
             one (O folds or unfolds every group)",
        ),
    },
    Binding {
        keys: &[Char('O')],
        label: "O",
        does: Does::Act(Action::FoldAll),
        modes: SCREEN,
        hints: &[],
        when: When::Grouped,
        help: (Group::Moving, ""),
    },
    Binding {
        keys: &[Char('s')],
        label: "s",
        does: Does::Act(Action::ToggleSort),
        modes: SCREEN,
        hints: &[
            (P::Grid, 21, "sort"),
            (P::MemberGrid, 21, "sort"),
            (P::Panel, 5, "sort"),
        ],
        when: When::Always,
        help: (
            Group::Structure,
            "sort options by rank, or back to file order",
        ),
    },
    // Sensitivity.
    Binding {
        keys: &[Char('v')],
        label: "v",
        does: Does::Act(Action::Sensitivity),
        modes: SCREEN,
        hints: &[
            (P::Grid, 23, "sensitivity"),
            (P::MemberGrid, 23, "sensitivity"),
            (P::Live, 0, "close"),
        ],
        when: When::Always,
        help: (
            Group::Sensitivity,
            "live sensitivity: how sure is the ranking? (v again, or Esc, to \
             close). It shows the robustness statement, the selected \
             criterion's chart of totals against its share of the weight, each \
             option's chance of ranking first, and how far each weight can \
             move; all of it is worked out again as you change scores and weights",
        ),
    },
    // Members and panels.
    Binding {
        keys: &[Char('c')],
        label: "c",
        does: Does::Act(Action::ToggleShared),
        modes: SCREEN,
        hints: &[
            (P::MemberGrid, 4, "shared scores"),
            (P::Shared, 0, "back to your scores"),
        ],
        when: When::Always,
        help: (
            Group::Panels,
            "member mode: show the shared scores, read-only (c again, or Esc: \
             yours). A member scores and writes notes; weights, names, options \
             and criteria stay as the appraisal has them",
        ),
    },
    Binding {
        keys: &[Char('p')],
        label: "p",
        does: Does::Act(Action::Panel),
        modes: SCREEN,
        hints: &[(P::Grid, 3, "panel"), (P::Panel, 0, "close")],
        when: When::PanelKept,
        help: (
            Group::Panels,
            "panel view: members' sheets merged, shaded by disagreement (p \
             again, or Esc, to close)",
        ),
    },
    Binding {
        keys: &[Char('f')],
        label: "f F",
        does: Does::Act(Action::NextFlagged(1)),
        modes: SCREEN,
        hints: &[(P::Panel, 1, "next/prev flagged")],
        when: When::Always,
        help: (Group::Panels, "panel view: next or previous flagged cell"),
    },
    Binding {
        keys: &[Char('F')],
        label: "F",
        does: Does::Act(Action::NextFlagged(-1)),
        modes: SCREEN,
        hints: &[],
        when: When::Always,
        help: (Group::Panels, ""),
    },
    Binding {
        keys: &[Char('m')],
        label: "m",
        does: Does::Act(Action::CycleMethod),
        modes: SCREEN,
        hints: &[(P::Panel, 2, "method")],
        when: When::Always,
        help: (
            Group::Panels,
            "panel view: combine by mean, median, trimmed mean or sum",
        ),
    },
    // Undo, save and leave.
    Binding {
        keys: &[Char('u'), Ctrl('z')],
        label: "u Ctrl-z",
        does: Does::Act(Action::Undo),
        modes: SCREEN,
        hints: &[
            (P::Grid, 4, "undo"),
            (P::MemberGrid, 5, "undo"),
            (P::Shared, 3, "undo"),
            (P::Live, 6, "undo"),
        ],
        when: When::Always,
        help: (Group::Files, "undo (as far back as the session goes)"),
    },
    Binding {
        keys: &[Ctrl('y'), Ctrl('r')],
        label: "Ctrl-y Ctrl-r",
        does: Does::Act(Action::Redo),
        modes: SCREEN,
        hints: &[],
        when: When::Always,
        help: (Group::Files, "redo"),
    },
    Binding {
        keys: &[Ctrl('s')],
        label: "Ctrl-s",
        does: Does::Act(Action::Save),
        modes: &[
            M::Screen,
            M::Help,
            M::Note,
            M::SwingOrder,
            M::SwingValue,
            M::Export,
        ],
        hints: &[
            (P::Grid, 5, "save"),
            (P::MemberGrid, 6, "save"),
            (P::Details, 4, "save"),
            (P::Shared, 4, "save"),
            (P::Live, 7, "save"),
            (P::Note, 3, "keep and save"),
            (P::Evidence, 4, "save"),
        ],
        when: When::Always,
        help: (
            Group::Files,
            "save to the file (asks where for the bundled example); in a note, \
             keeps the note and saves",
        ),
    },
    Binding {
        keys: &[Char('S')],
        label: "S",
        does: Does::Act(Action::SaveAs),
        modes: SCREEN,
        hints: &[],
        when: When::Always,
        help: (Group::Files, "save as another file"),
    },
    Binding {
        keys: &[Char('e')],
        label: "e",
        does: Does::Act(Action::Export),
        modes: SCREEN,
        hints: &[(P::Grid, 24, "export"), (P::MemberGrid, 24, "export")],
        when: When::Always,
        help: (
            Group::Files,
            "export: Word, Excel, web page, Markdown, CSV, SVG charts, JSON, a \
             text report, or a copy of the appraisal file. It is written in the \
             background, with its progress on the message line",
        ),
    },
    Binding {
        keys: &[Char('q'), Ctrl('c'), Ctrl('q')],
        label: "q Ctrl-c",
        does: Does::Act(Action::Quit),
        modes: SCREEN,
        hints: &[
            (P::Grid, 6, "quit"),
            (P::MemberGrid, 7, "quit"),
            (P::Details, 5, "quit"),
            (P::Panel, 6, "quit"),
            (P::Shared, 5, "quit"),
            (P::Live, 8, "quit"),
        ],
        when: When::Always,
        help: (
            Group::Files,
            "quit (asks first if there are unsaved changes)",
        ),
    },
    Binding {
        keys: &[Code(KeyCode::Esc)],
        label: "Esc",
        does: Does::Act(Action::Dismiss),
        modes: SCREEN,
        hints: &[
            (P::Panel, 0, "close"),
            (P::Shared, 0, "back to your scores"),
        ],
        when: When::Always,
        help: (
            Group::Files,
            "close the live view, the panel view or the shared scores; clear the message line",
        ),
    },
    Binding {
        keys: &[Char('?'), Code(KeyCode::F(1))],
        label: "? F1",
        does: Does::Act(Action::Help),
        modes: &[
            M::Screen,
            M::SwingOrder,
            M::SwingValue,
            M::Export,
            M::Question,
        ],
        hints: &[
            (P::Grid, 0, "help"),
            (P::MemberGrid, 0, "help"),
            (P::Details, 0, "help"),
            (P::Panel, 7, "help"),
            (P::Shared, 6, "help"),
            (P::Live, 9, "help"),
            (P::SwingOrder, 9, "help"),
            (P::SwingValue, 9, "help"),
            (P::Export, 9, "help"),
        ],
        when: When::Always,
        help: (
            Group::Files,
            "this help, from anywhere (F1 in a text box, where ? is typed); any \
             other key closes it and goes back to what was open",
        ),
    },
    // Boxes and dialogs.
    Binding {
        keys: &[Code(KeyCode::F(1))],
        label: "F1",
        does: Does::Act(Action::Help),
        modes: TEXT,
        hints: &[
            (P::Note, 9, "help"),
            (P::Evidence, 9, "help"),
            (P::Prompt, 9, "help"),
        ],
        when: When::Always,
        help: (Group::Boxes, ""),
    },
    Binding {
        keys: &[Code(KeyCode::Enter)],
        label: "Enter",
        does: Does::Act(Action::Input(Input::Enter)),
        modes: &[
            M::Note,
            M::Prompt,
            M::SwingOrder,
            M::SwingValue,
            M::Export,
            M::Question,
        ],
        hints: &[
            (P::Note, 0, "keep"),
            (P::Evidence, 0, "keep"),
            (P::Prompt, 0, "accept"),
            (P::SwingOrder, 3, "next"),
            (P::SwingValue, 3, "write weights"),
            (P::Export, 2, "next"),
        ],
        when: When::Always,
        help: (
            Group::Boxes,
            "accept: keep the note, take the answer, go on to the next step \
             (each dialog lists its keys)",
        ),
    },
    Binding {
        keys: &[Code(KeyCode::Esc), Ctrl('c')],
        label: "Esc",
        does: Does::Act(Action::Input(Input::Esc)),
        modes: &[
            M::Note,
            M::Prompt,
            M::SwingOrder,
            M::SwingValue,
            M::Export,
            M::Question,
            M::Help,
        ],
        hints: &[
            (P::Note, 1, "cancel"),
            (P::Evidence, 1, "cancel"),
            (P::Prompt, 1, "cancel"),
            (P::SwingOrder, 4, "cancel"),
            (P::SwingValue, 5, "cancel"),
            (P::Export, 3, "cancel"),
            (P::Help, 1, "close"),
        ],
        when: When::Always,
        help: (
            Group::Boxes,
            "cancel, in every box and dialog; a note or the swing assistant \
             holding changes asks first",
        ),
    },
    Binding {
        keys: &[Key::Alt(KeyCode::Enter), Ctrl('j')],
        label: "Alt-Enter Ctrl-j",
        does: Does::Act(Action::Input(Input::NewLine)),
        modes: &[M::Note],
        hints: &[(P::Note, 2, "new line"), (P::Evidence, 2, "new point")],
        when: When::Always,
        help: (
            Group::Boxes,
            "in a note: start a new line; in the evidence: a new point",
        ),
    },
    Binding {
        keys: &[Shift(KeyCode::Up), Char('K')],
        label: "J K",
        does: Does::Act(Action::Input(Input::MoveUp)),
        modes: &[M::SwingOrder],
        hints: &[(P::SwingOrder, 1, "move")],
        when: When::Always,
        help: (
            Group::Boxes,
            "swing assistant, step 1: move the criterion up or down (also Shift-↑ Shift-↓)",
        ),
    },
    Binding {
        keys: &[Shift(KeyCode::Down), Char('J')],
        label: "J",
        does: Does::Act(Action::Input(Input::MoveDown)),
        modes: &[M::SwingOrder],
        hints: &[],
        when: When::Always,
        help: (Group::Boxes, ""),
    },
    Binding {
        keys: &[Code(KeyCode::BackTab)],
        label: "Shift-Tab",
        does: Does::Act(Action::Input(Input::BackTab)),
        modes: &[M::SwingValue, M::Note, M::Prompt],
        hints: &[(P::SwingValue, 4, "back")],
        when: When::Always,
        help: (Group::Boxes, "swing assistant, step 2: back to step 1"),
    },
    Binding {
        keys: &[Code(KeyCode::Up), Char('k')],
        label: "↑↓",
        does: Does::Act(Action::Input(Input::Up)),
        modes: &[
            M::Help,
            M::SwingOrder,
            M::SwingValue,
            M::Export,
            M::Question,
        ],
        hints: &[
            (P::Help, 0, "scroll"),
            (P::SwingOrder, 0, "choose"),
            (P::SwingValue, 0, "choose"),
            (P::Export, 0, "choose"),
        ],
        when: When::Always,
        help: (Group::Boxes, "choose in a list; scroll the help"),
    },
    Binding {
        keys: &[Code(KeyCode::Down), Char('j'), Char(' ')],
        label: "↓",
        does: Does::Act(Action::Input(Input::Down)),
        modes: &[M::Help],
        hints: &[],
        when: When::Always,
        help: (Group::Boxes, ""),
    },
    Binding {
        keys: &[Code(KeyCode::Down), Char('j')],
        label: "↓",
        does: Does::Act(Action::Input(Input::Down)),
        modes: &[M::SwingOrder, M::SwingValue, M::Export, M::Question],
        hints: &[],
        when: When::Always,
        help: (Group::Boxes, ""),
    },
    Binding {
        keys: &[Key::Digit],
        label: "0-9",
        does: Does::Type,
        modes: &[M::SwingValue],
        hints: &[(P::SwingValue, 1, "value")],
        when: When::Always,
        help: (Group::Boxes, ""),
    },
    // Editing text, in boxes (and the keys menus read as inputs).
    Binding {
        keys: &[Key::Printable],
        label: "",
        does: Does::Type,
        modes: &[M::Note, M::Prompt, M::SwingValue, M::Question, M::Export],
        hints: &[],
        when: When::Always,
        help: (Group::Boxes, ""),
    },
    Binding {
        keys: &[Code(KeyCode::Left)],
        label: "←→",
        does: Does::Act(Action::Input(Input::Left)),
        modes: TEXT,
        hints: &[(P::Prompt, 2, "move")],
        when: When::Always,
        help: (Group::Boxes, ""),
    },
    Binding {
        keys: &[Code(KeyCode::Right)],
        label: "→",
        does: Does::Act(Action::Input(Input::Right)),
        modes: TEXT,
        hints: &[],
        when: When::Always,
        help: (Group::Boxes, ""),
    },
    Binding {
        keys: &[Code(KeyCode::Up)],
        label: "↑",
        does: Does::Act(Action::Input(Input::Up)),
        modes: TEXT,
        hints: &[],
        when: When::Always,
        help: (Group::Boxes, ""),
    },
    Binding {
        keys: &[Code(KeyCode::Down)],
        label: "↓",
        does: Does::Act(Action::Input(Input::Down)),
        modes: TEXT,
        hints: &[],
        when: When::Always,
        help: (Group::Boxes, ""),
    },
    Binding {
        keys: &[Code(KeyCode::Home)],
        label: "Home",
        does: Does::Act(Action::Input(Input::Home)),
        modes: TEXT,
        hints: &[],
        when: When::Always,
        help: (Group::Boxes, ""),
    },
    Binding {
        keys: &[Code(KeyCode::End)],
        label: "End",
        does: Does::Act(Action::Input(Input::End)),
        modes: TEXT,
        hints: &[],
        when: When::Always,
        help: (Group::Boxes, ""),
    },
    Binding {
        keys: &[Code(KeyCode::Backspace)],
        label: "Backspace",
        does: Does::Act(Action::Input(Input::Backspace)),
        modes: &[M::Note, M::Prompt, M::SwingValue],
        hints: &[],
        when: When::Always,
        help: (Group::Boxes, ""),
    },
    Binding {
        keys: &[Code(KeyCode::Delete)],
        label: "Delete",
        does: Does::Act(Action::Input(Input::Delete)),
        modes: &[M::Note, M::Prompt, M::SwingValue],
        hints: &[],
        when: When::Always,
        help: (Group::Boxes, ""),
    },
    Binding {
        keys: &[Code(KeyCode::Tab)],
        label: "Tab",
        does: Does::Act(Action::Input(Input::Tab)),
        modes: &[M::Note, M::Prompt, M::SwingOrder],
        hints: &[(P::Evidence, 3, "+/−")],
        when: When::Always,
        help: (
            Group::Boxes,
            "in the evidence: switch the line between for (+) and against (−)",
        ),
    },
    // The guided start of a new appraisal (`appraise new`).
    Binding {
        keys: &[Code(KeyCode::Enter)],
        label: "Enter",
        does: Does::Act(Action::Input(Input::Enter)),
        modes: START,
        hints: &[
            (P::StartField, 0, "next step"),
            (P::StartList, 0, "next line"),
            (P::StartGroupedList, 0, "next line"),
            (P::StartGroup, 0, "next line"),
            (P::StartReview, 0, "write the file and start scoring"),
        ],
        when: When::Always,
        help: (
            Group::Start,
            "go on to the next step. In a list, go to the next line (a new \
             one at the end); Enter on the empty last line goes on to the next step",
        ),
    },
    Binding {
        keys: &[Code(KeyCode::Esc)],
        label: "Esc",
        does: Does::Act(Action::Input(Input::Esc)),
        modes: START,
        hints: &[
            (P::StartField, 1, "back"),
            (P::StartList, 1, "back"),
            (P::StartGroupedList, 1, "back"),
            (P::StartGroup, 1, "back"),
            (P::StartReview, 1, "back"),
        ],
        when: When::Always,
        help: (
            Group::Start,
            "back a step; everything typed is kept. On the first step, leave (asks first)",
        ),
    },
    Binding {
        keys: &[Code(KeyCode::Tab)],
        label: "Tab Shift-Tab",
        does: Does::Act(Action::Input(Input::Tab)),
        modes: START,
        hints: &[
            (P::StartField, 2, "field"),
            (P::StartGroupedList, 2, "group"),
            (P::StartGroup, 2, "name"),
        ],
        when: When::Always,
        help: (Group::Start, "the next or previous field"),
    },
    Binding {
        keys: &[Code(KeyCode::BackTab)],
        label: "Shift-Tab",
        does: Does::Act(Action::Input(Input::BackTab)),
        modes: START,
        hints: &[],
        when: When::Always,
        help: (Group::Start, ""),
    },
    Binding {
        keys: &[Shift(KeyCode::Up)],
        label: "Shift-↑ Shift-↓",
        does: Does::Act(Action::Input(Input::MoveUp)),
        modes: START,
        hints: &[],
        when: When::Always,
        help: (Group::Start, "in a list: move the line up or down"),
    },
    Binding {
        keys: &[Shift(KeyCode::Down)],
        label: "Shift-↓",
        does: Does::Act(Action::Input(Input::MoveDown)),
        modes: START,
        hints: &[],
        when: When::Always,
        help: (Group::Start, ""),
    },
    Binding {
        keys: &[Code(KeyCode::Up)],
        label: "↑ ↓",
        does: Does::Act(Action::Input(Input::Up)),
        modes: START,
        hints: &[
            (P::StartField, 3, "field"),
            (P::StartList, 2, "line"),
            (P::StartGroupedList, 3, "line"),
        ],
        when: When::Always,
        help: (Group::Start, "the field or line above or below"),
    },
    Binding {
        keys: &[Code(KeyCode::Down)],
        label: "↓",
        does: Does::Act(Action::Input(Input::Down)),
        modes: START,
        hints: &[],
        when: When::Always,
        help: (Group::Start, ""),
    },
    Binding {
        keys: &[Ctrl('d')],
        label: "Ctrl-d",
        does: Does::Act(Action::Input(Input::Remove)),
        modes: START,
        hints: &[
            (P::StartList, 3, "remove"),
            (P::StartGroupedList, 4, "remove"),
            (P::StartGroup, 5, "remove"),
        ],
        when: When::Always,
        help: (
            Group::Start,
            "in a list: remove the line (a line left empty is dropped too)",
        ),
    },
    Binding {
        keys: &[Code(KeyCode::Left)],
        label: "← →",
        does: Does::Act(Action::Input(Input::Left)),
        modes: START,
        hints: &[(P::StartGroup, 4, "group")],
        when: When::Always,
        help: (
            Group::Start,
            "move in the text; in a criterion's group column, choose its group (also Space)",
        ),
    },
    Binding {
        keys: &[Code(KeyCode::Right)],
        label: "→",
        does: Does::Act(Action::Input(Input::Right)),
        modes: START,
        hints: &[],
        when: When::Always,
        help: (Group::Start, ""),
    },
    field_key(&[Code(KeyCode::Home)], "Home", Input::Home),
    field_key(&[Code(KeyCode::End)], "End", Input::End),
    field_key(&[Code(KeyCode::Backspace)], "Backspace", Input::Backspace),
    field_key(&[Code(KeyCode::Delete)], "Delete", Input::Delete),
    Binding {
        keys: &[Code(KeyCode::F(1))],
        label: "F1",
        does: Does::Act(Action::Help),
        modes: START,
        hints: &[
            (P::StartField, 9, "help"),
            (P::StartList, 9, "help"),
            (P::StartGroupedList, 9, "help"),
            (P::StartGroup, 9, "help"),
            (P::StartReview, 9, "help"),
        ],
        when: When::Always,
        help: (Group::Start, "this help (any key closes it)"),
    },
    Binding {
        keys: &[Ctrl('c'), Ctrl('q')],
        label: "Ctrl-c",
        does: Does::Act(Action::Quit),
        modes: START,
        hints: &[
            (P::StartField, 8, "leave"),
            (P::StartList, 8, "leave"),
            (P::StartGroupedList, 8, "leave"),
            (P::StartGroup, 8, "leave"),
            (P::StartReview, 8, "leave"),
        ],
        when: When::Always,
        help: (Group::Start, "leave without writing anything (asks first)"),
    },
    Binding {
        keys: &[Key::Printable],
        label: "",
        does: Does::Type,
        modes: START,
        hints: &[],
        when: When::Always,
        help: (Group::Start, ""),
    },
];

/// Legends of the grid's marks, for the help screen after the keys.
pub const LEGEND: &[(&str, &str)] = &[
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
];

/// What the screen means by a key now.
pub fn key_mode(app: &App) -> KeyMode {
    match &app.view.mode {
        Mode::Normal | Mode::Sensitivity => KeyMode::Screen,
        Mode::Help { .. } => KeyMode::Help,
        Mode::Note(_) | Mode::Evidence(_) => KeyMode::Note,
        Mode::Prompt(_) => KeyMode::Prompt,
        Mode::Swing(s) if s.step == SwingStep::Order => KeyMode::SwingOrder,
        Mode::Swing(_) => KeyMode::SwingValue,
        Mode::Export(_) => KeyMode::Export,
        Mode::Confirm(_) => KeyMode::Question,
    }
}

/// Where the hint bar is, for its hints.
pub fn place(app: &App) -> Place {
    match &app.view.mode {
        Mode::Sensitivity => Place::Live,
        Mode::Normal => match (app.showing(), app.view.focus) {
            (Showing::Panel, _) => Place::Panel,
            (Showing::Shared, _) => Place::Shared,
            (Showing::Own, Focus::Details) => Place::Details,
            (Showing::Own, Focus::Grid) if app.doc.member().is_some() => Place::MemberGrid,
            (Showing::Own, Focus::Grid) => Place::Grid,
        },
        Mode::Help { .. } => Place::Help,
        Mode::Note(_) => Place::Note,
        Mode::Evidence(_) => Place::Evidence,
        Mode::Prompt(_) => Place::Prompt,
        Mode::Swing(s) if s.step == SwingStep::Order => Place::SwingOrder,
        Mode::Swing(_) => Place::SwingValue,
        Mode::Export(_) => Place::Export,
        // A question's keys come from the question.
        Mode::Confirm(_) => Place::Help,
    }
}

/// A key's name as the screen and help write it: `z`, `Ctrl-b`, `F5`, `Insert`.
pub fn key_name(key: KeyEvent) -> String {
    let mut name = String::new();
    if key.modifiers.contains(KeyModifiers::CONTROL) {
        name.push_str("Ctrl-");
    }
    if key.modifiers.contains(KeyModifiers::ALT) {
        name.push_str("Alt-");
    }
    match key.code {
        KeyCode::Char(' ') => name.push_str("Space"),
        KeyCode::Char(c) => name.push(c),
        KeyCode::F(n) => name.push_str(&format!("F{n}")),
        KeyCode::Enter => name.push_str("Enter"),
        KeyCode::Esc => name.push_str("Esc"),
        KeyCode::Tab => name.push_str("Tab"),
        KeyCode::BackTab => name.push_str("Shift-Tab"),
        KeyCode::Insert => name.push_str("Insert"),
        KeyCode::Backspace => name.push_str("Backspace"),
        KeyCode::Delete => name.push_str("Delete"),
        other => name.push_str(&format!("{other:?}")),
    }
    name
}

/// Turns a key press into an action for the app as it stands, from the key
/// table. A key that means nothing there becomes [`Action::Unbound`], so
/// the screen can say so rather than ignore it.
pub fn key_to_action(app: &App, key: KeyEvent) -> Option<Action> {
    if key.kind == KeyEventKind::Release
        || matches!(
            key.code,
            KeyCode::Modifier(_) | KeyCode::Null | KeyCode::CapsLock | KeyCode::NumLock
        )
    {
        return None;
    }
    Some(action_for(key_mode(app), key).unwrap_or_else(|| Action::Unbound(key_name(key))))
}

/// What `key` does in `mode`, by the table: the first binding that takes it.
pub fn action_for(mode: KeyMode, key: KeyEvent) -> Option<Action> {
    KEYS.iter()
        .filter(|b| b.modes.contains(&mode))
        .find_map(|b| {
            let ch = b.keys.iter().find_map(|k| k.matches(key))?;
            Some(match (&b.does, ch) {
                (Does::Act(a), _) => a.clone(),
                (Does::Digit, Some(c)) => Action::Digit(c.to_digit(10).unwrap_or(0) as u8),
                (Does::Type, Some(c)) => Action::Input(Input::Char(c)),
                (Does::Digit | Does::Type, None) => return None,
            })
        })
}

fn offered(b: &Binding, app: &App) -> bool {
    match b.when {
        When::Always => true,
        When::Appraisal => app.doc.member().is_none(),
        When::PanelKept => app.panel().is_some(),
        When::Grouped => !app.doc.appraisal().groups().is_empty(),
    }
}

/// Whether the selected criterion is measured, so digits type a raw value.
fn measured_selected(app: &App) -> bool {
    app.doc
        .appraisal()
        .criteria()
        .get(app.view.criterion)
        .is_some_and(|k| k.measure().is_some())
}

/// The table's hints at `place`, in their order there (the table's order
/// among equals): each binding with the word beside its key. The hint bar,
/// the note box's key line, the swing assistant's sentence and the guided
/// start all read their keys from here, so they cannot order them apart.
fn hints_at(place: Place) -> Vec<(&'static Binding, &'static str)> {
    let mut found: Vec<(u8, &'static Binding, &'static str)> = KEYS
        .iter()
        .flat_map(|b| {
            b.hints
                .iter()
                .filter(move |(p, _, _)| *p == place)
                .map(move |&(_, order, word)| (order, b, word))
        })
        .collect();
    found.sort_by_key(|(order, _, _)| *order);
    found.into_iter().map(|(_, b, word)| (b, word)).collect()
}

/// A binding's keys as short as the hint bar writes them.
fn short_label(label: &'static str, here: Place) -> String {
    match label {
        "← ↑ ↓ →" if here == Place::Details => "↑↓",
        "← ↑ ↓ →" => "←↑↓→",
        "←" if here == Place::Live => "←→",
        "u Ctrl-z" => "u",
        "q Ctrl-c" => "q",
        "? F1" => "?",
        "Ctrl-s" => "^S",
        "Alt-Enter Ctrl-j" => "Alt-Enter ^J",
        "x Delete" => "x",
        "Tab Shift-Tab" => "Tab",
        "↑ ↓" => "↑↓",
        "← →" => "←→",
        "Ctrl-d" => "^D",
        "Ctrl-c" => "^C",
        l => l,
    }
    .to_owned()
}

/// Hints with one word for two keys (p and Esc to close) shown together.
fn merge_words(
    found: impl IntoIterator<Item = (String, &'static str)>,
) -> Vec<(String, &'static str)> {
    let mut out: Vec<(String, &'static str)> = Vec::new();
    for (label, word) in found {
        match out.iter_mut().find(|(_, w)| *w == word) {
            Some((l, _)) => {
                l.push(' ');
                l.push_str(&label);
            }
            None => out.push((label, word)),
        }
    }
    out
}

/// Key hints for the bottom line, most useful first; as many as fit are shown.
pub fn hints(app: &App) -> Vec<(String, &'static str)> {
    if let Mode::Confirm(c) = &app.view.mode {
        return confirm_keys(c)
            .into_iter()
            .map(|(k, d, _)| (k.to_owned(), d))
            .collect();
    }
    let here = place(app);
    let found = hints_at(here)
        .into_iter()
        .filter(|(b, _)| offered(b, app))
        .map(|(b, word)| {
            if b.does == Does::Digit && here != Place::SwingValue && measured_selected(app) {
                return ("0-9".to_owned(), "raw value");
            }
            let label = match b.does {
                Does::Digit if here != Place::SwingValue => {
                    digits_hint(app.doc.appraisal().scale_of(app.view.criterion))
                }
                _ => short_label(b.label, here),
            };
            (label, word)
        });
    merge_words(found)
}

/// The keys of a box at `place` written out in full, for a line inside the
/// box: "Enter keep · Esc cancel · Alt-Enter or Ctrl-j new line · …".
pub fn box_keys(place: Place) -> String {
    hints_at(place)
        .into_iter()
        .map(|(b, word)| {
            format!(
                "{} {word}",
                b.label.split(' ').collect::<Vec<_>>().join(" or ")
            )
        })
        .collect::<Vec<_>>()
        .join(" · ")
}

/// The score keys for this scale: "0-5", or "0-5 ." with half points.
fn digits_hint(s: &Scale) -> String {
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

/// Every key with something to say, grouped, for the help screen: (key,
/// what it does). A line with an empty description is a heading; an empty
/// line separates groups.
pub fn help_lines() -> Vec<(&'static str, &'static str)> {
    help_lines_for(true)
}

/// The help's lines for an appraisal with or without criteria groups (the
/// keys that fold groups are left out without them).
pub fn help_lines_for(grouped: bool) -> Vec<(&'static str, &'static str)> {
    let mut out = Vec::new();
    let mut groups: Vec<Group> = KEYS
        .iter()
        .map(|b| b.help.0)
        .filter(|g| *g != Group::Start)
        .collect();
    groups.sort();
    groups.dedup();
    for g in groups {
        if !out.is_empty() {
            out.push(("", ""));
        }
        out.push((g.heading(), ""));
        for b in KEYS
            .iter()
            .filter(|b| b.help.0 == g && !b.help.1.is_empty())
            .filter(|b| grouped || b.when != When::Grouped)
        {
            out.push((b.label, b.help.1));
        }
    }
    out.push(("", ""));
    out.push(("In the grid", ""));
    out.extend(LEGEND.iter().copied());
    out.push(("", ""));
    out.push(("Your work is safe", ""));
    out.push((
        "recovery",
        "unsaved changes are kept in a recovery file as you work; if appraise \
         closes unexpectedly, they are offered next time",
    ));
    out
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

/// The keys a question takes: (keys as shown, what they do, the characters
/// accepted, with `\n` for Enter). Esc is always taken; what it does is
/// listed like any other key.
pub fn confirm_keys(c: &Confirm) -> Vec<(&'static str, &'static str, &'static [char])> {
    match c {
        Confirm::Quit => vec![
            ("y Enter", "save, then quit", &['y', 's', '\n']),
            ("n", "quit, losing the changes", &['n', 'd']),
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
        Confirm::RecoveryClash(k) if k.save.is_some() => vec![
            ("↑↓", "line", &[]),
            ("Space", "yours/theirs", &[' ']),
            ("Enter", "save as chosen", &['\n']),
            ("y", "all yours", &['y', 'o']),
            ("t", "all theirs (take the file as it is)", &['t']),
            ("a", "save yours as another file", &['a']),
            ("Esc", "don't save yet", &['n']),
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

/// The swing assistant's keys in a sentence, for the step shown, from the table.
pub fn swing_choices(step: SwingStep) -> String {
    let place = match step {
        SwingStep::Order => Place::SwingOrder,
        SwingStep::Value => Place::SwingValue,
    };
    hints_at(place)
        .iter()
        .map(|(b, w)| format!("{} {w}", b.label))
        .collect::<Vec<_>>()
        .join(", ")
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

/// What a key does on the guided start of a new appraisal, in `mode`
/// (a field, a criterion's group, a question or its help), from the table.
pub fn start_action(mode: KeyMode, key: KeyEvent) -> Option<Action> {
    if key.kind == KeyEventKind::Release
        || matches!(
            key.code,
            KeyCode::Modifier(_) | KeyCode::Null | KeyCode::CapsLock | KeyCode::NumLock
        )
    {
        return None;
    }
    Some(action_for(mode, key).unwrap_or_else(|| Action::Unbound(key_name(key))))
}

/// The hint bar of the guided start at `place`, most useful first.
pub fn start_hints(place: Place) -> Vec<(String, &'static str)> {
    if !START_PLACES.contains(&place) {
        return Vec::new();
    }
    merge_words(
        hints_at(place)
            .into_iter()
            .map(|(b, word)| (short_label(b.label, place), word)),
    )
}

/// The guided start's help: (key, what it does), from the table.
pub fn start_help_lines() -> Vec<(&'static str, &'static str)> {
    let mut out = vec![(Group::Start.heading(), "")];
    out.extend(
        KEYS.iter()
            .filter(|b| b.help.0 == Group::Start && !b.help.1.is_empty())
            .map(|b| (b.label, b.help.1)),
    );
    out
}

/// A question the guided start asks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StartQuestion {
    /// Leave without writing anything?
    Leave,
    /// The file is there already: replace it?
    Replace,
}

/// The keys a question of the guided start takes, as [`confirm_keys`]
/// gives them: (keys as shown, what they do, the characters accepted, with
/// `\n` for Enter and `\x1b` for Esc).
pub fn start_question_keys(q: StartQuestion) -> Vec<(&'static str, &'static str, &'static [char])> {
    match q {
        StartQuestion::Leave => vec![
            ("y", "leave; nothing is written", &['y']),
            ("n Enter Esc", "go back to the start", &['n', '\n', '\x1b']),
        ],
        StartQuestion::Replace => vec![
            ("y", "replace it with the new appraisal", &['y']),
            (
                "n Enter Esc",
                "keep it and choose another name",
                &['n', '\n', '\x1b'],
            ),
        ],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode, m: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, m)
    }

    #[test]
    fn the_note_box_lists_the_table_s_note_keys_in_full() {
        assert_eq!(
            box_keys(Place::Note),
            "Enter keep · Esc cancel · Alt-Enter or Ctrl-j new line · Ctrl-s keep and save · F1 help"
        );
    }

    #[test]
    fn every_binding_is_matched_as_the_table_says() {
        // Each key of each binding, pressed in each of its modes, gives the
        // binding's action, unless an earlier line of the table takes it.
        for (i, b) in KEYS.iter().enumerate() {
            for &mode in b.modes {
                for &k in b.keys {
                    let ev = match k {
                        Key::Char(c) if c.is_ascii_uppercase() => {
                            key(KeyCode::Char(c), KeyModifiers::SHIFT)
                        }
                        Key::Char(c) => key(KeyCode::Char(c), KeyModifiers::NONE),
                        Key::Ctrl(c) => key(KeyCode::Char(c), KeyModifiers::CONTROL),
                        Key::Code(code) => key(code, KeyModifiers::NONE),
                        Key::Shift(code) => key(code, KeyModifiers::SHIFT),
                        Key::Alt(code) => key(code, KeyModifiers::ALT),
                        Key::Digit => key(KeyCode::Char('7'), KeyModifiers::NONE),
                        Key::Printable => key(KeyCode::Char('é'), KeyModifiers::NONE),
                    };
                    let first = KEYS
                        .iter()
                        .position(|x| {
                            x.modes.contains(&mode)
                                && x.keys.iter().any(|k| k.matches(ev).is_some())
                        })
                        .unwrap();
                    let got = action_for(mode, ev);
                    let want = match &KEYS[first].does {
                        Does::Act(a) => Some(a.clone()),
                        Does::Digit => Some(Action::Digit(7)),
                        Does::Type => match ev.code {
                            KeyCode::Char(c) => Some(Action::Input(Input::Char(c))),
                            _ => None,
                        },
                    };
                    assert_eq!(got, want, "{k:?} in {mode:?} (line {i}, {})", b.label);
                }
            }
        }
    }

    #[test]
    fn keys_on_the_grid_mean_what_the_docs_say() {
        let app = App::new(crate::load::load_example().unwrap(), None);
        let none = KeyModifiers::NONE;
        let ctrl = KeyModifiers::CONTROL;
        let cases = [
            (key(KeyCode::Up, none), Action::Up),
            (key(KeyCode::Char('k'), none), Action::Up),
            (key(KeyCode::Tab, none), Action::SwitchPane),
            (key(KeyCode::Char('4'), none), Action::Digit(4)),
            (key(KeyCode::Enter, none), Action::Confirm),
            (key(KeyCode::Char('n'), none), Action::EditNote),
            (key(KeyCode::Char('z'), ctrl), Action::Undo),
            (key(KeyCode::Char('s'), ctrl), Action::Save),
            (key(KeyCode::Char('q'), none), Action::Quit),
            (key(KeyCode::Char('?'), none), Action::Help),
            (
                key(KeyCode::Char('F'), KeyModifiers::SHIFT),
                Action::NextFlagged(-1),
            ),
            (
                key(KeyCode::Up, KeyModifiers::SHIFT),
                Action::MoveOption(-1),
            ),
            (key(KeyCode::Char('z'), none), Action::Unbound("z".into())),
        ];
        for (k, want) in cases {
            assert_eq!(key_to_action(&app, k), Some(want), "{k:?}");
        }
    }

    #[test]
    fn in_a_note_letters_are_typed_and_its_own_keys_work() {
        let mut app = App::new(crate::load::load_example().unwrap(), None);
        app.view.mode = Mode::Note(super::super::app::NoteEditor::open(0, 0, ""));
        let k = |code, m| key_to_action(&app, key(code, m));
        assert_eq!(
            k(KeyCode::Char('q'), KeyModifiers::NONE),
            Some(Action::Input(Input::Char('q')))
        );
        assert_eq!(
            k(KeyCode::Char('s'), KeyModifiers::CONTROL),
            Some(Action::Save)
        );
        assert_eq!(
            k(KeyCode::Enter, KeyModifiers::ALT),
            Some(Action::Input(Input::NewLine))
        );
        assert_eq!(
            k(KeyCode::Char('j'), KeyModifiers::CONTROL),
            Some(Action::Input(Input::NewLine))
        );
        assert_eq!(k(KeyCode::F(1), KeyModifiers::NONE), Some(Action::Help));
    }

    #[test]
    fn hints_and_help_come_from_the_table() {
        let app = App::new(crate::load::load_example().unwrap(), None);
        let labels: Vec<&str> = KEYS.iter().map(|b| b.label).collect();
        let help = help_lines();
        // Every hint's word is one the table gives for this place.
        for (_, word) in hints(&app) {
            assert!(
                KEYS.iter().any(|b| b
                    .hints
                    .iter()
                    .any(|(p, _, w)| *p == Place::Grid && *w == word)),
                "{word}"
            );
        }
        // Every binding with help is in the help, under its own label: the
        // grid's help, or the guided start's.
        let start = start_help_lines();
        for b in KEYS.iter().filter(|b| !b.help.1.is_empty()) {
            let (shown, other) = if b.help.0 == Group::Start {
                (&start, &help)
            } else {
                (&help, &start)
            };
            assert!(shown.contains(&(b.label, b.help.1)), "{}", b.label);
            assert!(!other.contains(&(b.label, b.help.1)), "{}", b.label);
        }
        // And the help lists no key the table does not have.
        let legend: Vec<&str> = LEGEND.iter().map(|(k, _)| *k).collect();
        for (k, d) in help {
            if !k.is_empty() && !d.is_empty() && k != "recovery" {
                assert!(labels.contains(&k) || legend.contains(&k), "{k}");
            }
        }
    }

    #[test]
    fn the_user_guide_names_every_key_the_help_lists() {
        let guide = include_str!("../../docs/tui.md");
        let mut missing = Vec::new();
        for b in KEYS.iter().filter(|b| !b.help.1.is_empty()) {
            for part in b.label.split(' ') {
                let shown = format!("`{part}`");
                if !(guide.contains(&shown) || (part.chars().count() == 1 && guide.contains(part)))
                {
                    missing.push(format!("{shown} ({})", b.help.1));
                }
            }
        }
        assert!(
            missing.is_empty(),
            "docs/tui.md should mention:\n{}",
            missing.join("\n")
        );
    }
}
