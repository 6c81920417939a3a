//! Boxes and dialogs drawn over the grid: a note, a one-line box, a
//! question, the recovered-work chooser, the swing assistant and the export
//! menu. Each takes only what it draws and returns where the terminal's
//! cursor goes (the typing point, or the box), for screen magnifiers.

use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Widget, Wrap};

use crate::model::Appraisal;
use crate::numbers;

use super::super::app::{ChangedBy, Clashes, ExportChooser, NoteEditor, Prompt};
use super::super::export;
use super::super::swing::{Swing, SwingStep};
use super::super::target::Target;
use super::{bold, draw_input, fit, popup};

/// A note, or the points for and against a score, being written in a box
/// titled with its cell, with a dim guide line: under a note its keys
/// (from the key table), over the evidence how a line is read (its keys
/// are on the hint bar).
#[derive(Debug, Clone)]
pub struct TextBox<'a> {
    /// The text and its cursor.
    pub editor: &'a NoteEditor,
    /// The box's title.
    pub title: String,
    /// The guide line.
    pub guide: String,
    /// Where the guide sits.
    pub at: Guide,
}

impl<'a> TextBox<'a> {
    /// A note on the cell of `option` and `criterion`, with the note box's `keys`.
    pub fn note(
        editor: &'a NoteEditor,
        option: &str,
        criterion: &str,
        keys: String,
    ) -> TextBox<'a> {
        TextBox {
            editor,
            title: format!("Note: {option} / {criterion}"),
            guide: keys,
            at: Guide::Below,
        }
    }

    /// The evidence for and against the score of `option` on `criterion`.
    pub fn evidence(editor: &'a NoteEditor, option: &str, criterion: &str) -> TextBox<'a> {
        TextBox {
            editor,
            title: format!("Evidence: {option} / {criterion}"),
            guide: "One point a line: + for the score, − against it. Tab switches a line; an empty line is dropped".to_owned(),
            at: Guide::Above,
        }
    }

    /// Draws the box, and nothing inside it when it is too short to hold
    /// the guide and a line of text (and, over the evidence, one more);
    /// returns where the typing goes.
    pub fn draw(self, area: Rect, buf: &mut Buffer) -> Option<Position> {
        let min_height = match self.at {
            Guide::Below => 2,
            Guide::Above => 3,
        };
        text_box(
            area,
            buf,
            &self.title,
            self.editor,
            (&self.guide, self.at),
            min_height,
        )
    }
}

/// Where a text box's dim guide line sits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Guide {
    /// Above the text: how a line is read.
    Above,
    /// Below the text: the keys.
    Below,
}

/// A box titled with its cell holding a many-line editor and a dim guide
/// line, wrapped to two lines when it does not fit and the box has room.
/// Nothing is drawn inside a box under `min_height` rows. Returns where
/// the typing goes.
fn text_box(
    area: Rect,
    buf: &mut Buffer,
    title: &str,
    editor: &NoteEditor,
    (guide, at): (&str, Guide),
    min_height: u16,
) -> Option<Position> {
    let w = area.width.saturating_sub(4).min(76);
    let h = area.height.saturating_sub(2).min(16);
    let inner = popup(
        area,
        w,
        h,
        &fit(title, usize::from(w.saturating_sub(4))),
        buf,
    );
    if inner.height < min_height {
        return None;
    }
    // Two lines of guide only where two rows are left for the text.
    let guide_h =
        if guide.chars().count() <= usize::from(inner.width) || inner.height < min_height + 2 {
            1
        } else {
            2
        };
    let (guide_y, text_y) = match at {
        Guide::Above => (inner.y, inner.y + guide_h),
        Guide::Below => (inner.bottom() - guide_h, inner.y),
    };
    let text_area = Rect::new(inner.x, text_y, inner.width, inner.height - guide_h);
    let lines: Vec<String> = editor.input.lines().collect();
    let cursor = draw_input(&lines, editor.input.cursor(), text_area, buf);
    Paragraph::new(Line::styled(
        guide,
        Style::default().add_modifier(Modifier::DIM),
    ))
    .wrap(Wrap { trim: true })
    .render(Rect::new(inner.x, guide_y, inner.width, guide_h), buf);
    cursor
}

/// A one-line box: its question, a line of help, and the answer typed.
#[derive(Debug, Clone)]
pub struct PromptBox<'a> {
    /// The answer and its cursor.
    pub prompt: &'a Prompt,
    /// What is asked.
    pub title: String,
    /// What may be typed.
    pub help: String,
}

impl PromptBox<'_> {
    /// Draws the box; returns where the typing goes.
    pub fn draw(self, area: Rect, buf: &mut Buffer) -> Option<Position> {
        let p = self.prompt;
        let (title, help) = (self.title, self.help);
        let w = area.width.saturating_sub(4).min(72);
        let keys = if p.input.is_selected() {
            "Typing replaces the text · ← → edit it · Enter accept · Esc cancel"
        } else {
            "Enter accept · Esc cancel"
        };
        // Room for the help and the keys however they wrap, so neither is cut.
        let inner_w = usize::from(w.saturating_sub(2));
        let text_h = wrapped_height(&help, inner_w) + wrapped_height(keys, inner_w);
        let inner = popup(area, w, 4 + text_h as u16, &title, buf);
        if inner.height < 3 {
            return None;
        }
        let line: Vec<String> = p.input.lines().collect();
        let field = Rect::new(inner.x, inner.y, inner.width, 1);
        let at = draw_input(&line, p.input.cursor(), field, buf);
        if p.input.is_selected() {
            // The pre-filled text is selected: shown reversed, replaced by typing.
            let n = line.first().map_or(0, |l| l.chars().count()) as u16;
            buf.set_style(
                Rect::new(field.x, field.y, n.min(field.width), 1),
                Style::default().add_modifier(Modifier::REVERSED),
            );
        }
        let hint = Paragraph::new(vec![
            Line::styled(help, Style::default().add_modifier(Modifier::DIM)),
            Line::styled(keys, Style::default().add_modifier(Modifier::DIM)),
        ])
        .wrap(Wrap { trim: true });
        hint.render(
            Rect::new(inner.x, inner.y + 2, inner.width, inner.height - 2),
            buf,
        );
        at
    }
}

/// A question: what it asks, and its keys, each said.
#[derive(Debug, Clone)]
pub struct QuestionBox {
    /// Its title.
    pub title: &'static str,
    /// What it says, a line each.
    pub body: Vec<String>,
    /// Its keys and what each does.
    pub keys: Vec<(&'static str, &'static str)>,
}

impl QuestionBox {
    /// Draws the box; returns where the terminal's cursor goes.
    pub fn draw(self, area: Rect, buf: &mut Buffer) -> Option<Position> {
        let (title, mut body) = (self.title, self.body);
        // The keys, from the same table that takes them: each one said.
        body.push(String::new());
        let keys = self.keys;
        let key_w = keys
            .iter()
            .map(|(k, _)| k.chars().count())
            .max()
            .unwrap_or(1);
        for (k, d) in keys {
            body.push(format!("{:<key_w$}  {d}", k.replace(' ', ", ")));
        }
        let w = (body
            .iter()
            .map(|l| l.chars().count() as u16)
            .max()
            .unwrap_or(20)
            .max(title.chars().count() as u16 + 4)
            + 4)
        .min(area.width.saturating_sub(4).clamp(20, 76));
        // A long line wraps: the box is as tall as the lines it wraps to.
        let inner_w = usize::from(w.saturating_sub(2)).max(1);
        let h: usize = body.iter().map(|l| wrapped_height(l, inner_w)).sum();
        let inner = popup(area, w.min(area.width), h as u16 + 2, title, buf);
        Paragraph::new(body.into_iter().map(Line::from).collect::<Vec<_>>())
            .wrap(Wrap { trim: false })
            .render(inner, buf);
        Some(inner.as_position())
    }
}

/// Two versions to choose between, one line per differing cell (and one
/// for the weights and names, if those differ), saying whose version will
/// be kept and, where it is known, who changed it: restored work against
/// the file as it now is, or a save against the file changed elsewhere.
#[derive(Debug, Clone)]
pub struct ClashBox<'a> {
    /// The cells and the choices made.
    pub clashes: &'a Clashes,
    /// The appraisal, for the cells' names.
    pub appraisal: &'a Appraisal,
    /// The file's name.
    pub doc_name: &'a str,
    /// Its keys and what each does.
    pub keys: Vec<(&'static str, &'static str)>,
}

impl ClashBox<'_> {
    /// Draws the box; returns where the terminal's cursor goes.
    pub fn draw(self, area: Rect, buf: &mut Buffer) -> Option<Position> {
        let (k, a) = (self.clashes, self.appraisal);
        let w = area.width.saturating_sub(2).min(84);
        let title = if k.save.is_some() {
            "The file was changed elsewhere since you opened it"
        } else {
            "Unsaved work found, and the file has changed since"
        };
        let inner = popup(area, w, area.height, title, buf);
        let inner_w = usize::from(inner.width).max(1);
        let show = |(s, n): &(Option<f64>, Option<String>)| {
            let score = s.map_or_else(|| "·".to_owned(), crate::numbers::as_given);
            match n {
                Some(_) => format!("{score} + note"),
                None => score,
            }
        };
        let dim = Style::default().add_modifier(Modifier::DIM);
        let n = k.cells.len();
        let differ = format!(
            "{} {}",
            numbers::count(n as f64, "cell", "cells"),
            if n == 1 { "differs" } else { "differ" }
        );
        let intro = if k.save.is_some() {
            format!(
                "Someone saved {} after you opened it. {differ}{}; choose whose version each keeps, then Enter saves.",
                self.doc_name,
                if k.frame.is_some() {
                    ", and so do weights or names"
                } else {
                    ""
                }
            )
        } else {
            format!(
                "Someone changed {} after this work was kept. {differ}; choose whose version each keeps.",
                self.doc_name
            )
        };
        let keys = self
            .keys
            .iter()
            .map(|(k, d)| format!("{} {d}", k.split(' ').collect::<Vec<_>>().join("/")))
            .collect::<Vec<_>>()
            .join(" · ");
        let mut head = vec![Line::from(intro), Line::styled(keys, dim)];
        if k.beyond_cells && k.save.is_none() {
            head.push(Line::from(
                "Weights, names or other parts differ too: only y (all yours) restores those.",
            ));
        }
        let head_h: usize = head
            .iter()
            .map(|l| wrapped_height(&l.to_string(), inner_w))
            .sum();
        let who_known = k.frame_by.is_some() || k.cells.iter().any(|c| c.base.is_some());
        let who_w = if who_known { 11 } else { 0 };
        let name_w = inner_w
            .saturating_sub(2 + 11 + 11 + 7 + who_w)
            .clamp(10, 44);
        let mut rows = vec![
            Line::from(""),
            Line::styled(
                fit(
                    &format!(
                        "  {:<name_w$} {:<10} {:<10} {:<6}{}",
                        "Cell",
                        "Yours",
                        "Theirs",
                        "Keeps",
                        if who_known { " Changed by" } else { "" }
                    ),
                    inner_w,
                ),
                bold(),
            ),
        ];
        let list_h = usize::from(inner.height)
            .saturating_sub(head_h + rows.len())
            .max(1);
        let top = k.selected.saturating_sub(list_h - 1);
        for row in (0..k.rows()).skip(top).take(list_h) {
            let (name, yours, theirs, keep_yours, who) = match k.cell_at(row) {
                None => (
                    "Weights, names and descriptions".to_owned(),
                    "differ".to_owned(),
                    "differ".to_owned(),
                    k.frame.unwrap_or(false),
                    k.frame_by,
                ),
                Some(i) => {
                    let Some(cell) = k.cells.get(i) else { continue };
                    let opt = a.options().get(cell.o).map_or("", |x| x.name());
                    let crit = a.criteria().get(cell.c).map_or("", |x| x.name());
                    (
                        format!("{opt} / {crit}"),
                        show(&cell.yours),
                        show(&cell.theirs),
                        k.take_yours.get(i).copied().unwrap_or(true),
                        cell.changed_by(),
                    )
                }
            };
            let who = match who {
                Some(ChangedBy::You) => " you",
                Some(ChangedBy::Them) => " them",
                Some(ChangedBy::Both) => " both of you",
                None => "",
            };
            let sel = row == k.selected;
            let text = fit(
                &format!(
                    "{} {:<name_w$} {:<10} {:<10} {:<6}{who}",
                    if sel { "▶" } else { " " },
                    fit(&name, name_w),
                    fit(&yours, 10),
                    fit(&theirs, 10),
                    if keep_yours { "YOURS" } else { "THEIRS" }
                ),
                inner_w,
            );
            rows.push(if sel {
                Line::styled(text, Style::default().add_modifier(Modifier::REVERSED))
            } else {
                Line::from(text)
            });
        }
        let head_area = Rect::new(
            inner.x,
            inner.y,
            inner.width,
            (head_h as u16).min(inner.height),
        );
        Paragraph::new(head)
            .wrap(Wrap { trim: false })
            .render(head_area, buf);
        let list_area = Rect::new(
            inner.x,
            head_area.bottom(),
            inner.width,
            inner.bottom().saturating_sub(head_area.bottom()),
        );
        let cursor_row = 2 + k.selected.saturating_sub(top) as u16;
        Paragraph::new(rows).render(list_area, buf);
        let at = Position::new(list_area.x, list_area.y + cursor_row);
        Some(if at.y < list_area.bottom() {
            at
        } else {
            inner.as_position()
        })
    }
}

/// The swing-weighting assistant, at its step.
#[derive(Debug, Clone, Copy)]
pub struct SwingBox<'a> {
    /// Its working state.
    pub swing: &'a Swing,
    /// The appraisal, for the criteria's names and weights now.
    pub appraisal: &'a Appraisal,
}

impl SwingBox<'_> {
    /// Draws the box; returns where the terminal's cursor goes.
    pub fn draw(self, area: Rect, buf: &mut Buffer) -> Option<Position> {
        let (s, a) = (self.swing, self.appraisal);
        let w = area.width.saturating_sub(2).min(84);
        let h = area.height;
        let inner = popup(area, w, h, "Swing weighting", buf);
        let mut lines: Vec<Line> = Vec::new();
        let dim = Style::default().add_modifier(Modifier::DIM);
        match s.step {
            SwingStep::Order => {
                lines.push(Line::styled("Step 1 of 2: order the criteria", bold()));
                lines.push(Line::from(
                "Imagine each criterion moving from its worst to its best score. Put the swing that matters most at the top.",
            ));
                lines.push(Line::styled(
                    "↑↓ choose · J/K or Shift-↑↓ move · Enter next · Esc cancel · ? help",
                    dim,
                ));
            }
            SwingStep::Value => {
                lines.push(Line::styled(
                    "Step 2 of 2: value each swing against the top one",
                    bold(),
                ));
                lines.push(Line::from(
                "The top swing is worth 100. Type what each other swing is worth compared with it (0-100).",
            ));
                lines.push(Line::styled(
                "↑↓ choose · type a number · Backspace delete · Enter write weights · Shift-Tab back · Esc cancel · ? help",
                dim,
            ));
            }
        }
        lines.push(Line::from(""));
        let total: f64 = s
            .values
            .iter()
            .enumerate()
            .map(|(i, v)| {
                if i == 0 {
                    100.0
                } else {
                    v.parse().unwrap_or(0.0)
                }
            })
            .sum();
        let out_of_order = s.out_of_order();
        let header_lines = lines.len();
        let list_h = usize::from(inner.height)
            .saturating_sub(header_lines + 5)
            .max(1);
        let top = s.selected.saturating_sub(list_h - 1);
        for (pos, &c) in s.order.iter().enumerate().skip(top).take(list_h) {
            let name = a.criteria().get(c).map_or("", |x| x.name());
            let value = s.values.get(pos).map_or("", String::as_str);
            let v: f64 = if pos == 0 {
                100.0
            } else {
                value.parse().unwrap_or(0.0)
            };
            let share = if total > 0.0 { 100.0 * v / total } else { 0.0 };
            let sel = pos == s.selected;
            let flag = if out_of_order.contains(&pos) {
                " ⚠"
            } else {
                ""
            };
            let name_w = usize::from(inner.width).saturating_sub(42).clamp(10, 40);
            let text = format!(
                "{} {:>2}. {:<name_w$} {:>6}  {:>5}%  now w{}{}",
                if sel { "▶" } else { " " },
                pos + 1,
                fit(name, name_w),
                value,
                numbers::percent_figure(share),
                numbers::weight(a.criteria().get(c).map_or(0.0, |x| x.weight())),
                flag
            );
            let style = if sel {
                Style::default().add_modifier(Modifier::REVERSED)
            } else {
                Style::default()
            };
            lines.push(Line::styled(text, style));
        }
        if !out_of_order.is_empty() {
            lines.push(Line::from(""));
            lines.push(Line::from(
            "⚠ valued above the swing ranked before it: check the order (Shift-Tab goes back to step 1)",
        ));
        }
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .render(inner, buf);
        Some(inner.as_position())
    }
}

/// The export menu.
#[derive(Debug, Clone, Copy)]
pub struct ExportMenu<'a> {
    /// The highlighted format.
    pub chooser: &'a ExportChooser,
    /// What the document is saved to, for the name of its copy.
    pub target: &'a Target,
}

impl ExportMenu<'_> {
    /// Draws the menu; returns where the terminal's cursor goes.
    ///
    /// Each line names a format and what it writes; what the highlighted
    /// format is for is said, wrapped, under the list, so that nothing is
    /// cut off however narrow the window.
    pub fn draw(self, area: Rect, buf: &mut Buffer) -> Option<Position> {
        let ch = self.chooser;
        let w = area.width.saturating_sub(4).min(76);
        let inner_w = usize::from(w.saturating_sub(2)).max(1);
        let dim = Style::default().add_modifier(Modifier::DIM);
        let keys = "↑↓ choose · Enter pick a file name · Esc cancel · ? help";
        let about = export::FORMATS.get(ch.selected).map(|f| {
            let mut about = f.hint.to_owned();
            if let Some(first) = about.get(..1) {
                let upper = first.to_uppercase();
                about.replace_range(..1, &upper);
            }
            about
        });
        let about_h = about
            .as_deref()
            .map_or(0, |t| wrapped_height(t, inner_w) as u16);
        let keys_h = wrapped_height(keys, inner_w) as u16;
        let n = export::FORMATS.len() as u16;
        // "Choose a format:", the list, a blank line, what it is for, the keys.
        let want = 1 + n + 1 + about_h + keys_h + 2;
        let inner = popup(area, w, want, "Export", buf);
        let list_h = inner.height.saturating_sub(2 + about_h + keys_h).max(1);
        let start = ch
            .selected
            .saturating_sub(usize::from(list_h).saturating_sub(1));
        let label_w = export::FORMATS
            .iter()
            .map(|f| export::label(self.target, f).chars().count())
            .max()
            .unwrap_or(10);
        let mut lines = vec![Line::from("Choose a format:")];
        for (i, f) in export::FORMATS
            .iter()
            .enumerate()
            .skip(start)
            .take(usize::from(list_h))
        {
            let sel = i == ch.selected;
            let ext = if f.is_folder() {
                format!("a folder of .{} files", f.extension)
            } else {
                format!(".{}", f.extension)
            };
            let text = fit(
                &format!(
                    "{} {:<label_w$}  {ext}",
                    if sel { "▶" } else { " " },
                    export::label(self.target, f),
                ),
                inner_w,
            );
            lines.push(if sel {
                Line::styled(text, Style::default().add_modifier(Modifier::REVERSED))
            } else {
                Line::from(text)
            });
        }
        lines.push(Line::from(""));
        let list = Rect::new(inner.x, inner.y, inner.width, lines.len() as u16);
        Paragraph::new(lines).render(list.intersection(inner), buf);
        let below = Rect::new(
            inner.x,
            list.bottom(),
            inner.width,
            inner.bottom().saturating_sub(list.bottom()),
        );
        let mut tail = Vec::new();
        if let Some(a) = about {
            tail.push(Line::from(a));
        }
        tail.push(Line::styled(keys, dim));
        Paragraph::new(tail)
            .wrap(Wrap { trim: true })
            .render(below, buf);
        let row = inner.y + 1 + (ch.selected - start) as u16;
        (row < inner.bottom()).then_some(Position::new(inner.x, row))
    }
}

/// How many lines `text` takes wrapped word by word at `width`.
fn wrapped_height(text: &str, width: usize) -> usize {
    let chars: Vec<char> = text.chars().collect();
    super::segments(&chars, width.max(1)).len()
}
