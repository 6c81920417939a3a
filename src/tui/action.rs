//! What the user asked for ([`Action`]). Keys are turned into actions by
//! the key table in [`super::keymap`], the mouse by
//! [`super::view::mouse_to_action`], which knows where things are drawn.

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
    /// Remove the line (Ctrl-d), in a list of the guided start.
    Remove,
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
            Input::Remove => "Ctrl-d",
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
    /// Edit the points for and against the selected score.
    EditEvidence,
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
    /// Fold the selected criterion's group into one column of subtotals,
    /// or unfold the folded group selected.
    Fold,
    /// Fold every top-level criteria group, or unfold them all.
    FoldAll,
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

/// What an action on the grid is about, which decides the handler that
/// takes it and the rules that apply (a member's sheet holds no structure;
/// a read-only cell takes no score).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Moving the selection, scrolling, switching pane, confirming a score.
    Moving,
    /// The selected cell's score, note or evidence.
    Cell,
    /// Undo and redo.
    History,
    /// The appraisal's weights, names, options and criteria.
    Structure,
    /// The order the options are listed in.
    Sort,
    /// Saving, exporting, quitting.
    Files,
    /// What the grid shows: the live view, the shared scores, the panel.
    Views,
    /// Anything else (help, folding, the mouse, keys for a box or dialog).
    Other,
}

impl Action {
    /// What the action is about.
    pub fn kind(&self) -> Kind {
        match self {
            Action::Up
            | Action::Down
            | Action::Left
            | Action::Right
            | Action::PageUp
            | Action::PageDown
            | Action::First
            | Action::Last
            | Action::Select { .. }
            | Action::Scroll(_)
            | Action::SwitchPane
            | Action::Confirm => Kind::Moving,
            Action::Digit(_)
            | Action::Half
            | Action::Step(_)
            | Action::Clear
            | Action::EditNote
            | Action::EditEvidence => Kind::Cell,
            Action::Undo | Action::Redo => Kind::History,
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
            | Action::MoveCriterion(_) => Kind::Structure,
            Action::ToggleSort => Kind::Sort,
            Action::Save | Action::SaveAs | Action::Quit | Action::Export => Kind::Files,
            Action::Sensitivity
            | Action::ToggleShared
            | Action::Panel
            | Action::CycleMethod
            | Action::NextFlagged(_) => Kind::Views,
            Action::Help
            | Action::Fold
            | Action::FoldAll
            | Action::ToggleMouse
            | Action::Unbound(_)
            | Action::Dismiss
            | Action::Resize(..)
            | Action::Input(_)
            | Action::Paste(_) => Kind::Other,
        }
    }

    /// Whether the action changes the appraisal's weights, names, options or
    /// criteria, which a member's scoresheet does not hold.
    pub fn changes_structure(&self) -> bool {
        self.kind() == Kind::Structure
    }

    /// Whether the action changes the selected cell's score or note.
    pub fn edits_cell(&self) -> bool {
        self.kind() == Kind::Cell
    }
}
