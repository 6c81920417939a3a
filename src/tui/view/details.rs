//! The details pane: everything about the selected cell that the grid has
//! no room for.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};

use crate::compute::Results;
use crate::model::{Appraisal, Scale};
use crate::numbers;
use crate::report::share_percent;

use super::super::doc::published_differs;
use super::{bold, code, pane_title};

/// A pane of lines under a title, scrolled: the details, or the members on
/// the selected cell in the panel view.
#[derive(Debug, Clone)]
pub struct DetailsPane {
    /// Its title.
    pub title: String,
    /// Whether it has the keyboard.
    pub focused: bool,
    /// What it says.
    pub lines: Vec<Line<'static>>,
    /// Lines scrolled.
    pub scroll: u16,
}

impl Widget for DetailsPane {
    fn render(self, pane: Rect, buf: &mut Buffer) {
        if pane.height == 0 {
            return;
        }
        pane_title(pane, buf, &self.title, self.focused);
        Paragraph::new(self.lines)
            .wrap(Wrap { trim: false })
            .scroll((self.scroll, 0))
            .render(inner(pane), buf);
    }
}

/// A pane below its title line, with a column of margin each side.
pub fn inner(pane: Rect) -> Rect {
    Rect::new(
        pane.x + 1.min(pane.width),
        pane.y + 1.min(pane.height),
        pane.width.saturating_sub(2),
        pane.height.saturating_sub(1),
    )
}

/// The scale's anchors in a line or two: "Scale 0 to 5: 0 Unsatisfactory … ·
/// 3 Partly meets … · 5 Meets every …", the selected score's in bold.
pub fn scale_line(scale: &Scale, score: Option<f64>) -> Line<'static> {
    let steps = if scale.step() == 1.0 {
        String::new()
    } else {
        format!(" in steps of {}", numbers::score(scale.step()))
    };
    let mut spans = vec![Span::styled(
        format!(
            "Scale {} to {}{steps}",
            numbers::score(scale.min()),
            numbers::score(scale.max())
        ),
        bold(),
    )];
    if scale.labels().is_empty() {
        spans.push(Span::raw(format!(
            ": {} is the lowest, {} the highest (the file gives no wording for the points)",
            numbers::score(scale.min()),
            numbers::score(scale.max())
        )));
        return Line::from(spans);
    }
    spans.push(Span::raw(": "));
    for (i, (v, text)) in scale.labels().iter().enumerate() {
        if i > 0 {
            spans.push(Span::raw(" · "));
        }
        let here = score.is_some_and(|s| (s - v).abs() < 1e-9);
        let item = format!(
            "{}{} {text}",
            if here { "▶" } else { "" },
            numbers::score(*v)
        );
        spans.push(if here {
            Span::styled(item, bold().add_modifier(Modifier::UNDERLINED))
        } else {
            Span::raw(item)
        });
    }
    Line::from(spans)
}

/// The details of cell (`o`, `c`) of `a`, the appraisal shown: what the
/// scale's points mean, the note, a published total that differs, the
/// criterion, the option's strengths and weaknesses, and, with criteria
/// shown by `codes`, the key to them. `shared` says these are the shared
/// scores, shown beside a member's own.
pub fn cell_details(
    a: &Appraisal,
    results: &Results,
    (o, c): (usize, usize),
    shared: bool,
    codes: bool,
) -> Vec<Line<'static>> {
    let (Some(opt), Some(crit)) = (a.options().get(o), a.criteria().get(c)) else {
        return Vec::new();
    };
    let scale = a.scale();
    let mut lines = Vec::new();
    let score = opt.score(c);
    // What the points of the scale mean, first: it is what a score is given by.
    lines.push(scale_line(scale, score));
    match opt.note(c) {
        Some(n) => {
            for (i, l) in n.lines().enumerate() {
                let prefix = match (i, shared) {
                    (0, false) => "Note: ",
                    (0, true) => "Shared note: ",
                    (_, false) => "      ",
                    (_, true) => "             ",
                };
                lines.push(Line::from(format!("{prefix}{l}")));
            }
        }
        None if shared => lines.push(Line::styled(
            "No shared note",
            Style::default().add_modifier(Modifier::DIM),
        )),
        None => lines.push(Line::styled(
            "No note yet (press n to write one)",
            Style::default().add_modifier(Modifier::DIM),
        )),
    }
    if let Some(p) = opt.published().filter(|_| published_differs(a, results, o)) {
        let computed = results.options.get(o).map_or(0.0, |r| r.total);
        lines.push(Line::from(format!(
            "≠ The published total of {} is {}, but {} {}.",
            opt.name(),
            p.text(),
            crate::compute::total_phrase(a),
            numbers::total(computed)
        )));
    }
    lines.push(Line::from(""));
    let head = if codes {
        format!("{} {} ", code(c), crit.name())
    } else {
        format!("{} ", crit.name())
    };
    lines.push(Line::from(vec![
        Span::styled(head, bold()),
        Span::raw(format!(
            "(weight {}, {} of the total weight)",
            numbers::weight(crit.weight()),
            share_percent(a, c)
        )),
    ]));
    if let Some(d) = &crit.description {
        lines.push(Line::from(d.clone()));
    }
    let list = |title: &str, items: &[String], lines: &mut Vec<Line<'static>>| {
        if items.is_empty() {
            return;
        }
        lines.push(Line::from(""));
        lines.push(Line::styled(format!("{title} of {}", opt.name()), bold()));
        for s in items {
            lines.push(Line::from(format!("  • {s}")));
        }
    };
    list("Strengths", &opt.strengths, &mut lines);
    list("Weaknesses", &opt.weaknesses, &mut lines);
    if codes {
        lines.push(Line::from(""));
        lines.push(Line::styled("Criteria", bold()));
        for (i, k) in a.criteria().iter().enumerate() {
            lines.push(Line::from(format!(
                "  {:<4} {} (w{})",
                code(i),
                k.name(),
                numbers::weight(k.weight())
            )));
        }
    }
    lines
}
