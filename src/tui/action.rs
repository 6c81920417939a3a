//! What the user asked for ([`Action`]) and the keymap that turns key and mouse
//! events into it. The keys are fixed so that people and tests can rely on them.

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseEvent, MouseEventKind};

use super::app::{App, Mode};
use super::view;

/// A key typed into an open editor, prompt or dialog.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Input {
    /// A printable character.
    Char(char),
    /// Enter: accept (a note, a prompt, a choice).
    Enter,
    /// A new line in a note: Alt-Enter, or Ctrl-j in any terminal.
    NewLine,
    /// Escape: cancel, asking first if a box holds changes.
    Esc,
    /// Delete the character before the cursor.
    Backspace,
    /// Delete the character under the cursor.
    Delete,
    /// Cursor or highlight left.
    Left,
    /// Cursor or highlight right.
    Right,
    /// Cursor or highlight up.
    Up,
    /// Cursor or highlight down.
    Down,
    /// Start of line.
    Home,
    /// End of line.
    End,
    /// Move the highlighted item up (Shift-Up or `K`).
    MoveUp,
    /// Move the highlighted item down (Shift-Down or `J`).
    MoveDown,
    /// Tab: next step or field.
    Tab,
    /// Shift-Tab: previous step or field.
    BackTab,
}

impl Input {
    /// The key's name, for hints.
    pub fn name(self) -> String {
        match self {
            Input::Char(' ') => "Space",
            Input::Char(c) => return c.to_string(),
            Input::Enter => "Enter",
            Input::NewLine => "Alt-Enter",
            Input::Esc => "Esc",
            Input::Backspace => "Backspace",
            Input::Delete => "Delete",
            Input::Left => "←",
            Input::Right => "→",
            Input::Up => "↑",
            Input::Down => "↓",
            Input::Home => "Home",
            Input::End => "End",
            Input::MoveUp => "K",
            Input::MoveDown => "J",
            Input::Tab => "Tab",
            Input::BackTab => "Shift-Tab",
        }
        .to_owned()
    }
}

/// Everything the user can ask the TUI to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Move the selection (or scroll the details pane) up.
    Up,
    /// Move the selection (or scroll the details pane) down.
    Down,
    /// Move the selection left.
    Left,
    /// Move the selection right.
    Right,
    /// Up a page of options.
    PageUp,
    /// Down a page of options.
    PageDown,
    /// First option.
    First,
    /// Last option.
    Last,
    /// Select a cell (a mouse click): option index, and criterion index if on a score.
    Select {
        /// Option index in file order.
        option: usize,
        /// Criterion index, if the click was on a score cell.
        criterion: Option<usize>,
    },
    /// Scroll the grid by this many rows (the mouse wheel).
    Scroll(i32),
    /// Switch between the grid and the details pane.
    SwitchPane,
    /// Type a digit into the selected score.
    Digit(u8),
    /// Add a half to the selected score (half-step scales).
    Half,
    /// Step the selected score up or down by this many scale steps.
    Step(i64),
    /// Clear the selected score.
    Clear,
    /// Undo the latest edit.
    Undo,
    /// Redo the latest undone edit.
    Redo,
    /// Save to the file.
    Save,
    /// Save to another file.
    SaveAs,
    /// Quit, asking first if there are unsaved changes.
    Quit,
    /// Open or close help.
    Help,
    /// Edit the selected cell's note.
    EditNote,
    /// Edit the selected criterion's weight.
    EditWeight,
    /// Rename the selected option.
    RenameOption,
    /// Rename the selected criterion.
    RenameCriterion,
    /// Add an option after the selected one.
    AddOption,
    /// Add a criterion after the selected one.
    AddCriterion,
    /// Remove the selected option (asks first).
    RemoveOption,
    /// Remove the selected criterion (asks first).
    RemoveCriterion,
    /// Move the selected option up (-1) or down (+1) the file order.
    MoveOption(i8),
    /// Move the selected criterion left (-1) or right (+1).
    MoveCriterion(i8),
    /// Switch between file order and rank order.
    ToggleSort,
    /// Open the swing-weighting assistant.
    Swing,
    /// Open or close the live sensitivity view.
    Sensitivity,
    /// Move the selected criterion's weight down (-1) or up (+1) by a tidy step.
    NudgeWeight(i8),
    /// Export the appraisal.
    Export,
    /// In member mode, show the shared scores (read-only) or go back to the member's own.
    ToggleShared,
    /// Open or close the panel view.
    Panel,
    /// In the panel view, combine the members' scores by the next method.
    CycleMethod,
    /// In the panel view, jump to the next (+1) or previous (-1) flagged cell.
    NextFlagged(i8),
    /// Enter on the grid: confirm the score typed and move down, as in a spreadsheet.
    Confirm,
    /// Turn the mouse on (clicks select cells) or off (the terminal's own
    /// selection, for copying text).
    ToggleMouse,
    /// A key that does nothing where it was pressed, by name, so the screen
    /// can say so.
    Unbound(String),
    /// Clear the message line.
    Dismiss,
    /// The terminal was resized to (columns, rows).
    Resize(u16, u16),
    /// A key for the open editor, prompt or dialog.
    Input(Input),
    /// Text pasted into the terminal, as one event (bracketed paste): typed
    /// into an open text box, refused on the grid so that it cannot run as keys.
    Paste(String),
}

impl Action {
    /// Whether the action changes the appraisal's weights, names, options or
    /// criteria, which a member's scoresheet does not hold.
    pub fn changes_structure(&self) -> bool {
        matches!(
            self,
            Action::EditWeight
                | Action::NudgeWeight(_)
                | Action::Swing
                | Action::RenameOption
                | Action::RenameCriterion
                | Action::AddOption
                | Action::AddCriterion
                | Action::RemoveOption
                | Action::RemoveCriterion
                | Action::MoveOption(_)
                | Action::MoveCriterion(_)
        )
    }

    /// Whether the action changes the selected cell's score or note.
    pub fn edits_cell(&self) -> bool {
        matches!(
            self,
            Action::Digit(_) | Action::Half | Action::Step(_) | Action::Clear | Action::EditNote
        )
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

/// Turns a key press into an action for the app in its current mode. A key
/// that means nothing there becomes [`Action::Unbound`], so the screen can
/// say so rather than ignore it.
pub fn key_to_action(app: &App, key: KeyEvent) -> Option<Action> {
    if key.kind == KeyEventKind::Release {
        return None;
    }
    if matches!(
        key.code,
        KeyCode::Modifier(_) | KeyCode::Null | KeyCode::CapsLock | KeyCode::NumLock
    ) {
        return None;
    }
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    let shift = key.modifiers.contains(KeyModifiers::SHIFT);
    // Saving works from anywhere except while answering a question.
    if ctrl && matches!(key.code, KeyCode::Char('s')) {
        return match &app.view.mode {
            Mode::Prompt(_) | Mode::Confirm(_) => Some(Action::Unbound(key_name(key))),
            _ => Some(Action::Save),
        };
    }
    // F1 is help everywhere, even in a text box, where ? is typed.
    if key.code == KeyCode::F(1) {
        return Some(Action::Help);
    }
    let action = match &app.view.mode {
        Mode::Normal | Mode::Sensitivity => normal_key(key, ctrl, shift),
        Mode::Help { .. } => match key.code {
            KeyCode::Up | KeyCode::Char('k') => Some(Action::Input(Input::Up)),
            KeyCode::Down | KeyCode::Char('j') => Some(Action::Input(Input::Down)),
            KeyCode::PageUp => Some(Action::PageUp),
            KeyCode::PageDown | KeyCode::Char(' ') => Some(Action::PageDown),
            _ => Some(Action::Input(Input::Esc)),
        },
        Mode::Swing(_) => match key.code {
            KeyCode::Char('?') => Some(Action::Help),
            KeyCode::Char('K') => Some(Action::Input(Input::MoveUp)),
            KeyCode::Char('J') => Some(Action::Input(Input::MoveDown)),
            KeyCode::Up if shift => Some(Action::Input(Input::MoveUp)),
            KeyCode::Down if shift => Some(Action::Input(Input::MoveDown)),
            KeyCode::Char('k') => Some(Action::Input(Input::Up)),
            KeyCode::Char('j') => Some(Action::Input(Input::Down)),
            _ => text_key(key, ctrl),
        },
        Mode::Confirm(_) | Mode::Export(_) => {
            if ctrl && matches!(key.code, KeyCode::Char('c')) {
                return Some(Action::Input(Input::Esc));
            }
            match key.code {
                KeyCode::Char('?') => Some(Action::Help),
                _ => text_key(key, ctrl),
            }
        }
        Mode::Note(_) | Mode::Prompt(_) => {
            if ctrl && matches!(key.code, KeyCode::Char('c')) {
                return Some(Action::Input(Input::Esc));
            }
            text_key(key, ctrl)
        }
    };
    Some(action.unwrap_or_else(|| Action::Unbound(key_name(key))))
}

fn text_key(key: KeyEvent, ctrl: bool) -> Option<Action> {
    let alt = key.modifiers.contains(KeyModifiers::ALT);
    let input = match key.code {
        KeyCode::Char('j') if ctrl => Input::NewLine,
        KeyCode::Char(c) if !ctrl => Input::Char(c),
        KeyCode::Enter if alt => Input::NewLine,
        KeyCode::Enter => Input::Enter,
        KeyCode::Esc => Input::Esc,
        KeyCode::Backspace => Input::Backspace,
        KeyCode::Delete => Input::Delete,
        KeyCode::Left => Input::Left,
        KeyCode::Right => Input::Right,
        KeyCode::Up => Input::Up,
        KeyCode::Down => Input::Down,
        KeyCode::Home => Input::Home,
        KeyCode::End => Input::End,
        KeyCode::Tab => Input::Tab,
        KeyCode::BackTab => Input::BackTab,
        _ => return None,
    };
    Some(Action::Input(input))
}

fn normal_key(key: KeyEvent, ctrl: bool, shift: bool) -> Option<Action> {
    use Action as A;
    if ctrl {
        return match key.code {
            KeyCode::Char('z') => Some(A::Undo),
            KeyCode::Char('y') | KeyCode::Char('r') => Some(A::Redo),
            KeyCode::Char('c') | KeyCode::Char('q') => Some(A::Quit),
            _ => None,
        };
    }
    Some(match key.code {
        KeyCode::Up if shift => A::MoveOption(-1),
        KeyCode::Down if shift => A::MoveOption(1),
        KeyCode::Left if shift => A::MoveCriterion(-1),
        KeyCode::Right if shift => A::MoveCriterion(1),
        KeyCode::Up | KeyCode::Char('k') => A::Up,
        KeyCode::Down | KeyCode::Char('j') => A::Down,
        KeyCode::Left | KeyCode::Char('h') => A::Left,
        KeyCode::Right | KeyCode::Char('l') => A::Right,
        KeyCode::Char('K') => A::MoveOption(-1),
        KeyCode::Char('J') => A::MoveOption(1),
        KeyCode::Char('H') => A::MoveCriterion(-1),
        KeyCode::Char('L') => A::MoveCriterion(1),
        KeyCode::PageUp => A::PageUp,
        KeyCode::PageDown => A::PageDown,
        KeyCode::Home | KeyCode::Char('g') => A::First,
        KeyCode::End | KeyCode::Char('G') => A::Last,
        KeyCode::Tab | KeyCode::BackTab => A::SwitchPane,
        KeyCode::Char(c @ '0'..='9') => A::Digit(c as u8 - b'0'),
        KeyCode::Char('.') => A::Half,
        KeyCode::Char('+') | KeyCode::Char('=') => A::Step(1),
        KeyCode::Char('-') => A::Step(-1),
        KeyCode::Delete | KeyCode::Backspace | KeyCode::Char('x') => A::Clear,
        KeyCode::Char('u') => A::Undo,
        KeyCode::Char('S') => A::SaveAs,
        KeyCode::Char('q') => A::Quit,
        KeyCode::Char('?') => A::Help,
        KeyCode::Enter => A::Confirm,
        KeyCode::Char('n') => A::EditNote,
        KeyCode::Char('w') => A::EditWeight,
        KeyCode::Char('r') => A::RenameOption,
        KeyCode::Char('R') => A::RenameCriterion,
        KeyCode::Char('a') => A::AddOption,
        KeyCode::Char('A') => A::AddCriterion,
        KeyCode::Char('d') => A::RemoveOption,
        KeyCode::Char('D') => A::RemoveCriterion,
        KeyCode::Char('s') => A::ToggleSort,
        KeyCode::Char('W') => A::Swing,
        KeyCode::Char('v') => A::Sensitivity,
        KeyCode::Char('<') => A::NudgeWeight(-1),
        KeyCode::Char('>') => A::NudgeWeight(1),
        KeyCode::Char('e') => A::Export,
        KeyCode::Char('c') => A::ToggleShared,
        KeyCode::Char('p') => A::Panel,
        KeyCode::Char('m') => A::CycleMethod,
        KeyCode::Char('M') => A::ToggleMouse,
        KeyCode::Char('f') => A::NextFlagged(1),
        KeyCode::Char('F') => A::NextFlagged(-1),
        KeyCode::Esc => A::Dismiss,
        _ => return None,
    })
}

/// Turns a mouse event into an action: a click selects the cell under it,
/// the wheel scrolls the grid.
pub fn mouse_to_action(app: &App, mouse: MouseEvent) -> Option<Action> {
    match mouse.kind {
        MouseEventKind::ScrollDown => Some(Action::Scroll(3)),
        MouseEventKind::ScrollUp => Some(Action::Scroll(-3)),
        MouseEventKind::Down(crossterm::event::MouseButton::Left) => {
            if !matches!(app.view.mode, Mode::Normal | Mode::Sensitivity) || !app.view.mouse {
                return None;
            }
            view::hit_test(app, mouse.column, mouse.row)
                .map(|(option, criterion)| Action::Select { option, criterion })
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode, m: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, m)
    }

    #[test]
    fn the_fixed_keys_map_as_documented() {
        let app = App::new(crate::load::load_example().unwrap(), None);
        let none = KeyModifiers::NONE;
        let ctrl = KeyModifiers::CONTROL;
        let cases = [
            (key(KeyCode::Up, none), Action::Up),
            (key(KeyCode::Char('k'), none), Action::Up),
            (key(KeyCode::Char('j'), none), Action::Down),
            (key(KeyCode::Char('h'), none), Action::Left),
            (key(KeyCode::Char('l'), none), Action::Right),
            (key(KeyCode::Tab, none), Action::SwitchPane),
            (key(KeyCode::Char('4'), none), Action::Digit(4)),
            (key(KeyCode::Char('.'), none), Action::Half),
            (key(KeyCode::Char('+'), none), Action::Step(1)),
            (key(KeyCode::Char('-'), none), Action::Step(-1)),
            (key(KeyCode::Delete, none), Action::Clear),
            (key(KeyCode::Char('x'), none), Action::Clear),
            (key(KeyCode::Char('u'), none), Action::Undo),
            (key(KeyCode::Char('z'), ctrl), Action::Undo),
            (key(KeyCode::Char('y'), ctrl), Action::Redo),
            (key(KeyCode::Char('s'), ctrl), Action::Save),
            (key(KeyCode::Char('q'), none), Action::Quit),
            (key(KeyCode::Char('?'), none), Action::Help),
            (key(KeyCode::Char('c'), none), Action::ToggleShared),
            (key(KeyCode::Char('p'), none), Action::Panel),
            (key(KeyCode::Char('m'), none), Action::CycleMethod),
            (key(KeyCode::Char('f'), none), Action::NextFlagged(1)),
            (
                key(KeyCode::Char('F'), KeyModifiers::SHIFT),
                Action::NextFlagged(-1),
            ),
        ];
        for (k, want) in cases {
            assert_eq!(key_to_action(&app, k), Some(want), "{k:?}");
        }
    }

    #[test]
    fn in_a_note_letters_are_typed_not_commands() {
        let mut app = App::new(crate::load::load_example().unwrap(), None);
        app.view.mode = Mode::Note(super::super::app::NoteEditor::open(0, 0, ""));
        assert_eq!(
            key_to_action(&app, key(KeyCode::Char('q'), KeyModifiers::NONE)),
            Some(Action::Input(Input::Char('q')))
        );
        assert_eq!(
            key_to_action(&app, key(KeyCode::Char('s'), KeyModifiers::CONTROL)),
            Some(Action::Save)
        );
    }
}
