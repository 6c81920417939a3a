//! A small text editor with a cursor, for notes (many lines) and prompts (one line).

/// Text being edited, as lines of characters, with a cursor.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TextInput {
    lines: Vec<Vec<char>>,
    row: usize,
    col: usize,
    multiline: bool,
    /// Whether the whole text is selected, as a pre-filled box is: the first
    /// character typed replaces it, and a cursor key keeps it for editing.
    selected: bool,
}

impl TextInput {
    /// A one-line input holding `text`, cursor at the end.
    pub fn single(text: &str) -> TextInput {
        let line: Vec<char> = text.chars().filter(|c| *c != '\n').collect();
        let col = line.len();
        TextInput {
            lines: vec![line],
            row: 0,
            col,
            multiline: false,
            selected: false,
        }
    }

    /// A one-line input holding `text`, all of it selected, as a spreadsheet
    /// cell or a dialog's pre-filled box is: typing replaces it, Backspace or
    /// Delete clears it, and a cursor key keeps it and moves into it.
    pub fn prefilled(text: &str) -> TextInput {
        let mut t = TextInput::single(text);
        t.selected = !t.text().is_empty();
        t
    }

    /// Whether the whole text is selected (see [`TextInput::prefilled`]).
    pub fn is_selected(&self) -> bool {
        self.selected
    }

    /// Replaces the selected text with nothing, if it is selected.
    fn take_selection(&mut self) -> bool {
        if !self.selected {
            return false;
        }
        self.selected = false;
        self.lines = vec![Vec::new()];
        self.row = 0;
        self.col = 0;
        true
    }

    /// A many-line input holding `text`, cursor at the end.
    pub fn multi(text: &str) -> TextInput {
        let mut lines: Vec<Vec<char>> = text
            .split('\n')
            .map(|l| l.trim_end_matches('\r').chars().collect())
            .collect();
        if lines.is_empty() {
            lines.push(Vec::new());
        }
        let row = lines.len() - 1;
        let col = lines.last().map_or(0, Vec::len);
        TextInput {
            lines,
            row,
            col,
            multiline: true,
            selected: false,
        }
    }

    /// The text, lines joined with `\n`.
    pub fn text(&self) -> String {
        self.lines
            .iter()
            .map(|l| l.iter().collect::<String>())
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// The lines, for drawing.
    pub fn lines(&self) -> impl Iterator<Item = String> + '_ {
        self.lines.iter().map(|l| l.iter().collect())
    }

    /// The cursor as (line, character).
    pub fn cursor(&self) -> (usize, usize) {
        (self.row, self.col)
    }

    fn line(&mut self) -> &mut Vec<char> {
        if self.lines.is_empty() {
            self.lines.push(Vec::new());
        }
        let last = self.lines.len() - 1;
        let row = self.row.min(last);
        &mut self.lines[row]
    }

    /// The line the cursor is on.
    pub fn current_line(&self) -> String {
        self.lines
            .get(self.row)
            .map(|l| l.iter().collect())
            .unwrap_or_default()
    }

    /// Replaces the line the cursor is on with `text` (one line), moving
    /// the cursor by `shift` characters along it.
    pub fn replace_line(&mut self, text: &str, shift: isize) {
        self.selected = false;
        let col = self.col;
        let line = self.line();
        *line = text.chars().filter(|c| *c != '\n').collect();
        let len = line.len();
        self.col = col.saturating_add_signed(shift).min(len);
    }

    /// Types a character at the cursor. Control characters are ignored.
    pub fn insert(&mut self, ch: char) {
        if ch.is_control() {
            return;
        }
        self.take_selection();
        let col = self.col;
        let line = self.line();
        let at = col.min(line.len());
        line.insert(at, ch);
        self.col = at + 1;
    }

    /// Starts a new line at the cursor (ignored in a one-line input).
    pub fn newline(&mut self) {
        if !self.multiline {
            return;
        }
        self.take_selection();
        let col = self.col;
        let line = self.line();
        let rest = line.split_off(col.min(line.len()));
        self.row += 1;
        self.lines.insert(self.row, rest);
        self.col = 0;
    }

    /// Deletes the character before the cursor, joining lines at the start of one.
    pub fn backspace(&mut self) {
        if self.take_selection() {
            return;
        }
        if self.col > 0 {
            let col = self.col;
            let line = self.line();
            if col <= line.len() {
                line.remove(col - 1);
            }
            self.col -= 1;
        } else if self.row > 0 {
            let line = self.lines.remove(self.row);
            self.row -= 1;
            let prev = self.line();
            let at = prev.len();
            prev.extend(line);
            self.col = at;
        }
    }

    /// Deletes the character under the cursor, joining the next line at the end of one.
    pub fn delete(&mut self) {
        if self.take_selection() {
            return;
        }
        let col = self.col;
        let row = self.row;
        let len = self.line().len();
        if col < len {
            self.line().remove(col);
        } else if row + 1 < self.lines.len() {
            let next = self.lines.remove(row + 1);
            self.line().extend(next);
        }
    }

    /// Moves the cursor one character left, to the end of the previous line at a line start.
    pub fn left(&mut self) {
        if std::mem::take(&mut self.selected) {
            return self.home();
        }
        if self.col > 0 {
            self.col -= 1;
        } else if self.row > 0 {
            self.row -= 1;
            self.col = self.line().len();
        }
    }

    /// Moves the cursor one character right, to the next line's start at a line end.
    pub fn right(&mut self) {
        if std::mem::take(&mut self.selected) {
            return self.end();
        }
        let len = self.line().len();
        if self.col < len {
            self.col += 1;
        } else if self.row + 1 < self.lines.len() {
            self.row += 1;
            self.col = 0;
        }
    }

    /// Moves the cursor up a line.
    pub fn up(&mut self) {
        self.selected = false;
        if self.row > 0 {
            self.row -= 1;
            self.col = self.col.min(self.line().len());
        }
    }

    /// Moves the cursor down a line.
    pub fn down(&mut self) {
        self.selected = false;
        if self.row + 1 < self.lines.len() {
            self.row += 1;
            self.col = self.col.min(self.line().len());
        }
    }

    /// Moves the cursor to the start of the line.
    pub fn home(&mut self) {
        self.selected = false;
        self.col = 0;
    }

    /// Moves the cursor to the end of the line.
    pub fn end(&mut self) {
        self.selected = false;
        self.col = self.line().len();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typing_and_moving_edit_at_the_cursor() {
        let mut t = TextInput::multi("ab");
        t.left();
        t.insert('X');
        assert_eq!(t.text(), "aXb");
        t.end();
        t.newline();
        for c in "cd".chars() {
            t.insert(c);
        }
        assert_eq!(t.text(), "aXb\ncd");
        assert_eq!(t.cursor(), (1, 2));
        t.up();
        assert_eq!(t.cursor(), (0, 2));
        t.home();
        t.backspace();
        assert_eq!(
            t.text(),
            "aXb\ncd",
            "backspace at the very start does nothing"
        );
        t.down();
        t.home();
        t.backspace();
        assert_eq!(t.text(), "aXbcd");
        assert_eq!(t.cursor(), (0, 3));
        t.delete();
        assert_eq!(t.text(), "aXbd");
        t.insert('\u{1b}');
        assert_eq!(t.text(), "aXbd", "control characters are not typed");
        t.end();
        t.right();
        t.delete();
        assert_eq!(t.text(), "aXbd");
    }

    #[test]
    fn one_line_inputs_refuse_newlines() {
        let mut t = TextInput::single("name");
        t.newline();
        assert_eq!(t.text(), "name");
        t.backspace();
        assert_eq!(t.text(), "nam");
    }

    #[test]
    fn a_prefilled_box_is_replaced_by_typing_and_kept_by_a_cursor_key() {
        let mut t = TextInput::prefilled("1");
        assert!(t.is_selected());
        t.insert('2');
        assert_eq!(t.text(), "2");
        t.insert('5');
        assert_eq!(t.text(), "25", "only the first key replaces");
        let mut t = TextInput::prefilled("50");
        t.end();
        t.insert('0');
        assert_eq!(t.text(), "500");
        let mut t = TextInput::prefilled("Keep");
        t.left();
        t.insert('X');
        assert_eq!(t.text(), "XKeep");
        let mut t = TextInput::prefilled("gone");
        t.backspace();
        assert_eq!(t.text(), "");
        assert!(!TextInput::prefilled("").is_selected());
    }

    #[test]
    fn multibyte_characters_are_single_steps() {
        let mut t = TextInput::single("£42m");
        t.home();
        t.delete();
        assert_eq!(t.text(), "42m");
    }
}
