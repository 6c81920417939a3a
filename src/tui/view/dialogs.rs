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

use super::super::app::{Clashes, ExportChooser, NoteEditor, Prompt};
use super::super::export;
use super::super::swing::{Swing, SwingStep};
use super::super::target::Target;
use super::{bold, draw_input, fit, popup};

/// A note being written, in a box titled with its cell.
#[derive(Debug, Clone, Copy)]
pub struct NoteBox<'a> {
    /// The note and its cursor.
    pub editor: &'a NoteEditor,
    /// The cell's option.
    pub option: &'a str,
    /// The cell's criterion.
    pub criterion: &'a str,
}

impl NoteBox<'_> {
    /// Draws the box; returns where the typing goes.
    pub fn draw(self, area: Rect, buf: &mut Buffer) -> Option<Position> {
        let ed = self.editor;
        let title = format!("Note: {} / {}", self.option, self.criterion);
        let w = area.width.saturating_sub(4).min(76);
        let h = area.height.saturating_sub(2).min(16);
        let inner = popup(
            area,
            w,
            h,
            &fit(&title, usize::from(w.saturating_sub(4))),
            buf,
        );
        if inner.height < 2 {
            return None;
        }
        let keys = "Enter keep the note · Esc cancel · Alt-Enter or Ctrl-j new line · Ctrl-s keep and save · F1 help";
        let keys_h = if keys.chars().count() <= usize::from(inner.width) || inner.height < 4 {
            1
        } else {
            2
        };
        let text_area = Rect::new(inner.x, inner.y, inner.width, inner.height - keys_h);
        let lines: Vec<String> = ed.input.lines().collect();
        let at = draw_input(&lines, ed.input.cursor(), text_area, buf);
        Paragraph::new(Line::styled(
            keys,
            Style::default().add_modifier(Modifier::DIM),
        ))
        .wrap(Wrap { trim: true })
        .render(
            Rect::new(inner.x, inner.bottom() - keys_h, inner.width, keys_h),
            buf,
        );
        at
    }
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
        let inner = popup(area, w, 6, &title, buf);
        if inner.height < 3 {
            return None;
        }
        let line: Vec<String> = p.input.lines().collect();
        let field = Rect::new(inner.x, inner.y, inner.width, 1);
        let at = draw_input(&line, p.input.cursor(), field, buf);
        let keys = if p.input.is_selected() {
            // The pre-filled text is selected: shown reversed, replaced by typing.
            let n = line.first().map_or(0, |l| l.chars().count()) as u16;
            buf.set_style(
                Rect::new(field.x, field.y, n.min(field.width), 1),
                Style::default().add_modifier(Modifier::REVERSED),
            );
            "Typing replaces the text · ← → edit it · Enter accept · Esc cancel"
        } else {
            "Enter accept · Esc cancel"
        };
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
        let w = body
            .iter()
            .map(|l| l.chars().count() as u16)
            .max()
            .unwrap_or(20)
            .max(title.len() as u16 + 4)
            + 4;
        let inner = popup(area, w.min(area.width), body.len() as u16 + 2, title, buf);
        Paragraph::new(body.into_iter().map(Line::from).collect::<Vec<_>>())
            .wrap(Wrap { trim: false })
            .render(inner, buf);
        Some(inner.as_position())
    }
}

/// Restored work against the file as it now is: one line per differing
/// cell, saying whose version will be kept.
#[derive(Debug, Clone, Copy)]
pub struct ClashBox<'a> {
    /// The cells and the choices made.
    pub clashes: &'a Clashes,
    /// The appraisal, for the cells' names.
    pub appraisal: &'a Appraisal,
    /// The file's name.
    pub doc_name: &'a str,
}

impl ClashBox<'_> {
    /// Draws the box; returns where the terminal's cursor goes.
    pub fn draw(self, area: Rect, buf: &mut Buffer) -> Option<Position> {
        let (k, a) = (self.clashes, self.appraisal);
        let w = area.width.saturating_sub(2).min(84);
        let inner = popup(
            area,
            w,
            area.height,
            "Unsaved work found, and the file has changed since",
            buf,
        );
        let show = |(s, n): &(Option<f64>, Option<String>)| {
            let score = s.map_or_else(|| "·".to_owned(), crate::numbers::as_given);
            match n {
                Some(_) => format!("{score} + note"),
                None => score,
            }
        };
        let mut lines = vec![
            Line::from(format!(
                "Someone changed {} after this work was kept. {} {}; choose whose version each keeps.",
                self.doc_name,
                numbers::count(k.cells.len() as f64, "cell", "cells"),
                if k.cells.len() == 1 {
                    "differs"
                } else {
                    "differ"
                }
            )),
            Line::styled(
                "↑↓ cell · Space yours/theirs · y all yours · t all theirs · Enter restore as chosen · q quit",
                Style::default().add_modifier(Modifier::DIM),
            ),
        ];
        if k.beyond_cells {
            lines.push(Line::from(
                "Weights, names or other parts differ too: only y (all yours) restores those.",
            ));
        }
        lines.push(Line::from(""));
        let list_h = usize::from(inner.height).saturating_sub(lines.len()).max(1);
        let top = k.selected.saturating_sub(list_h - 1);
        let name_w = usize::from(inner.width).saturating_sub(44).clamp(12, 40);
        for (i, cell) in k.cells.iter().enumerate().skip(top).take(list_h) {
            let opt = a.options().get(cell.o).map_or("", |x| x.name());
            let crit = a.criteria().get(cell.c).map_or("", |x| x.name());
            let yours = k.take_yours.get(i).copied().unwrap_or(true);
            let text = format!(
                "{} {:<name_w$} yours {:<10} theirs {:<10} keep {}",
                if i == k.selected { "▶" } else { " " },
                fit(&format!("{opt} / {crit}"), name_w),
                show(&cell.yours),
                show(&cell.theirs),
                if yours { "YOURS" } else { "THEIRS" }
            );
            lines.push(if i == k.selected {
                Line::styled(text, Style::default().add_modifier(Modifier::REVERSED))
            } else {
                Line::from(text)
            });
        }
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .render(inner, buf);
        Some(inner.as_position())
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
    pub fn draw(self, area: Rect, buf: &mut Buffer) -> Option<Position> {
        let ch = self.chooser;
        let w = area.width.saturating_sub(4).min(76);
        let inner = popup(area, w, export::FORMATS.len() as u16 + 5, "Export", buf);
        let start = ch
            .selected
            .saturating_sub(usize::from(inner.height.saturating_sub(4)).max(1) - 1);
        let mut lines = vec![Line::from("Choose a format:")];
        for (i, f) in export::FORMATS.iter().enumerate().skip(start) {
            let sel = i == ch.selected;
            let ext = if f.is_folder() {
                format!("folder of .{}", f.extension)
            } else {
                format!(".{}", f.extension)
            };
            let text = format!(
                "{} {} ({ext}): {}",
                if sel { "▶" } else { " " },
                export::label(self.target, f),
                f.hint
            );
            lines.push(if sel {
                Line::styled(text, Style::default().add_modifier(Modifier::REVERSED))
            } else {
                Line::from(text)
            });
        }
        lines.push(Line::from(""));
        lines.push(Line::styled(
            "↑↓ choose · Enter pick a file name · Esc cancel · ? help",
            Style::default().add_modifier(Modifier::DIM),
        ));
        Paragraph::new(lines).render(inner, buf);
        let row = inner.y + 1 + (ch.selected - start) as u16;
        (row < inner.bottom()).then_some(Position::new(inner.x, row))
    }
}
