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

use super::super::doc::published_differs;
use super::super::v2;
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
    let scale = a.scale_of(c);
    let mut lines = Vec::new();
    let score = opt.score(c);
    if let Some(why) = v2::screened_reason(a, o) {
        lines.push(Line::from(vec![
            Span::styled(format!("{} is screened out", opt.label()), bold()),
            Span::raw(format!(" (not ranked): {why}")),
        ]));
    }
    // A measured criterion: the raw value, the score it gives and how.
    if let Some(m) = crit.measure() {
        let unit = m
            .unit
            .as_deref()
            .map(|u| format!(" in {u}"))
            .unwrap_or_default();
        lines.push(Line::from(vec![
            Span::styled(format!("Measured{unit}: "), bold()),
            Span::raw(v2::function_words(a, c).unwrap_or_default()),
        ]));
        if let Some(words) = v2::measured_words(a, o, c) {
            let mut words = words;
            if let Some(first) = words.get(..1) {
                words = first.to_uppercase() + &words[1..];
            }
            lines.push(Line::from(words));
        }
        // A range is read-only here: typing a value replaces it.
        if let Some(r) = opt.range(c) {
            lines.push(Line::from(vec![
                Span::styled("Range: ", bold()),
                Span::raw(format!(
                    "{} (the Monte Carlo draws from it; typing a value replaces it)",
                    r.described(m.unit.as_deref())
                )),
            ]));
        }
    }
    // What the points of the scale mean, first: it is what a score is given by.
    lines.push(scale_line(scale, score));
    if let Some(e) = opt.evidence().get(c).filter(|e| !e.is_empty()) {
        for s in &e.for_ {
            lines.push(Line::from(format!("+ {s}")));
        }
        for s in &e.against {
            lines.push(Line::from(format!("− {s}")));
        }
    }
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
        Span::raw(format!("({})", v2::weight_words(a, c))),
    ]));
    if let Some(path) = v2::group_path_words(a, c) {
        let sub = v2::top_group(a, c)
            .and_then(|g| Some((g, v2::subtotal(results, o, g)?)))
            .and_then(|(g, (v, max))| {
                Some(format!(
                    "; {}'s subtotal for this option {} of {}",
                    a.groups().get(g)?.name(),
                    numbers::total(v),
                    numbers::total(max)
                ))
            })
            .unwrap_or_default();
        lines.push(Line::from(format!("In {path}{sub}")));
    }
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
                numbers::weight(v2::shown_weight(a, i))
            )));
        }
    }
    lines
}
