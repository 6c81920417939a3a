//! Drawing the guided start. Pure: everything on screen comes from the
//! [`Start`], so tests render it to a `TestBackend`.

use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Widget, Wrap};

use crate::numbers;

use super::super::keymap::{self, start_question_keys};
use super::super::measure::{fit, wrapped_height};
use super::super::text::TextInput;
use super::super::title_bar::TitleBar;
use super::{List, Start, Step, question_words};

/// Widest a name field gets.
const FIELD_W: u16 = 52;
/// Width of the key column on the help screen.
const HELP_KEY_W: usize = 18;

/// Draws the guided start into the frame, and puts the terminal's cursor
/// where typing goes.
pub fn draw(frame: &mut ratatui::Frame, s: &Start) {
    let area = frame.area();
    if let Some(at) = render(s, area, frame.buffer_mut()) {
        frame.set_cursor_position(at);
    }
}

fn bold() -> Style {
    Style::default().add_modifier(Modifier::BOLD)
}

fn dim() -> Style {
    Style::default().add_modifier(Modifier::DIM)
}

/// Draws everything into `buf`; returns where the cursor goes.
pub fn render(s: &Start, area: Rect, buf: &mut Buffer) -> Option<Position> {
    if area.width < 40 || area.height < 12 {
        Paragraph::new("Make the window larger (at least 40 x 12) to go on; Ctrl-c leaves.")
            .wrap(Wrap { trim: true })
            .render(area, buf);
        return None;
    }
    let title = Rect::new(area.x, area.y, area.width, 1);
    render_title(s, title, buf);
    let steps = Rect::new(area.x, area.y + 1, area.width, 1);
    render_steps(s, steps, buf);
    let hints_row = Rect::new(area.x, area.bottom() - 1, area.width, 1);
    render_hints(s, hints_row, buf);
    let note_lines = note_line(s);
    let note_h = wrapped_height(std::slice::from_ref(&note_lines), area.width).clamp(1, 3);
    let note = Rect::new(area.x, hints_row.y - note_h, area.width, note_h);
    Paragraph::new(note_lines)
        .wrap(Wrap { trim: false })
        .render(note, buf);
    let body = Rect::new(
        area.x + 2,
        area.y + 3,
        area.width.saturating_sub(4),
        note.y.saturating_sub(area.y + 3),
    );
    if let Some(scroll) = s.help {
        Clear.render(
            Rect::new(area.x, area.y + 1, area.width, note.y - area.y - 1),
            buf,
        );
        render_help(
            s,
            scroll,
            Rect::new(area.x, area.y + 1, area.width, note.y - area.y - 1),
            buf,
        );
        return None;
    }
    let cursor = render_step(s, body, buf);
    if let Some(q) = s.question {
        render_question(s, q, body, buf);
        return None;
    }
    cursor
}

fn render_title(s: &Start, area: Rect, buf: &mut Buffer) {
    let right = format!(" step {} of {} ", s.step.number(), Step::ALL.len());
    let left = format!(" appraise │ A new appraisal: {}", s.file.text().trim());
    TitleBar {
        left: &left,
        right: &right,
    }
    .render(area, buf);
}

/// The line of steps: done ones plain, this one marked, later ones dim.
fn render_steps(s: &Start, area: Rect, buf: &mut Buffer) {
    let mut spans = vec![Span::raw(" ")];
    for (k, step) in Step::ALL.iter().enumerate() {
        if k > 0 {
            spans.push(Span::styled(" › ", dim()));
        }
        let style = match step.cmp(&s.step) {
            std::cmp::Ordering::Less => Style::default(),
            std::cmp::Ordering::Equal => bold().add_modifier(Modifier::REVERSED),
            std::cmp::Ordering::Greater => dim(),
        };
        spans.push(Span::styled(step.name(), style));
    }
    Line::from(spans).render(area, buf);
}

fn note_line(s: &Start) -> Line<'static> {
    match &s.note {
        Some(n) if n.error => Line::styled(
            format!(" {}", n.text),
            bold().add_modifier(Modifier::REVERSED),
        ),
        Some(n) => Line::raw(format!(" {}", n.text)),
        None => Line::raw(""),
    }
}

fn render_hints(s: &Start, area: Rect, buf: &mut Buffer) {
    let hints = s.hints();
    super::super::hint_bar::HintBar { hints: &hints }.render(area, buf);
}

/// What a step asks, in a sentence, what it is for, and an example.
fn words(s: &Start) -> (&'static str, String, &'static str) {
    match s.step {
        Step::Title => (
            "What is this appraisal called?",
            "The title heads the scoring screen, every table and every report. It can be changed later in the file.".to_owned(),
            "For example: Options for the future of the library service",
        ),
        Step::Scale => (
            "What scale is each option scored on?",
            "Every score is a point on this scale, and a higher score is better. The usual scale is 0 to 5 in whole points.".to_owned(),
            "For example: 0 to 5; or 1 to 10; a step of 0.5 allows half points",
        ),
        Step::Wording => (
            "What does each point of the scale mean?",
            "The panel sees these words as they score. Standard wording is filled in: type over it, or clear a point (Backspace) to leave it without words.".to_owned(),
            "For example: Meets it adequately, with some concerns",
        ),
        Step::Groups => (
            "Should the criteria be grouped under headings?",
            "This is optional: leave the list empty and press Enter for a plain list of criteria. With groups, each criterion goes in one, and each group gets a subtotal.".to_owned(),
            "For example: Quality; Cost; Social value",
        ),
        Step::Criteria => (
            "What is each option judged against?",
            format!(
                "Type the criteria, one per line. Every criterion weighs the same to begin with; weights are set later, on the scoring screen.{}",
                if s.has_groups() {
                    " Tab moves to a criterion's group; ← → choose it."
                } else {
                    ""
                }
            ),
            "For example: Cost to the council; Access for residents; Risk",
        ),
        Step::Options => (
            "What are the options?",
            "Type the options being compared, one per line.".to_owned(),
            "For example: Keep in house; Charitable trust; Shared service",
        ),
        Step::Review => (
            "Ready to write the appraisal",
            "Check what it will hold. Enter writes the file (a commented appraisal that `appraise check` accepts) and opens the scoring screen on it; Esc goes back to change anything.".to_owned(),
            "",
        ),
    }
}

/// Draws the step; returns where the cursor goes.
fn render_step(s: &Start, area: Rect, buf: &mut Buffer) -> Option<Position> {
    let (ask, why, example) = words(s);
    let mut lines = vec![Line::styled(ask, bold()), Line::raw(why)];
    if !example.is_empty() {
        lines.push(Line::styled(example, dim().add_modifier(Modifier::ITALIC)));
    }
    let head_h = wrapped_height(&lines, area.width).min(area.height);
    Paragraph::new(lines)
        .wrap(Wrap { trim: false })
        .render(Rect::new(area.x, area.y, area.width, head_h), buf);
    let top = area.y + head_h + 1;
    if top >= area.bottom() {
        return None;
    }
    let rest = Rect::new(area.x, top, area.width, area.bottom() - top);
    match s.step {
        Step::Title => field_row(buf, rest, 0, "Title", 14, &s.title, true),
        Step::Scale => {
            let labels = ["Lowest score", "Highest score", "Step between scores"];
            let mut cursor = None;
            for (k, input) in s.scale.iter().enumerate() {
                let c = field_row(buf, rest, k as u16, labels[k], 21, input, s.scale_at == k);
                cursor = cursor.or(c);
            }
            let preview = match s.scale_typed() {
                Ok(scale) => {
                    let points: Vec<String> = scale.points().take(8).map(numbers::score).collect();
                    let n = scale.points().count();
                    if n <= 8 {
                        let (last, first) = points
                            .split_last()
                            .map_or((String::new(), &[][..]), |(l, f)| (l.clone(), f));
                        format!("A score can be {} or {last}.", first.join(", "))
                    } else {
                        format!(
                            "A score can be {}, … up to {} ({n} points).",
                            points[..3].join(", "),
                            numbers::score(scale.max())
                        )
                    }
                }
                // The message line says what is wrong.
                Err(_) => String::new(),
            };
            if rest.height > 4 {
                Paragraph::new(preview).wrap(Wrap { trim: true }).render(
                    Rect::new(rest.x, rest.y + 4, rest.width, rest.height - 4),
                    buf,
                );
            }
            cursor
        }
        Step::Wording => render_wording(s, rest, buf),
        Step::Groups => render_list(s, &s.groups, "group", rest, buf),
        Step::Criteria => render_list(s, &s.criteria, "criterion", rest, buf),
        Step::Options => render_list(s, &s.options, "option", rest, buf),
        Step::Review => render_review(s, rest, buf),
    }
}

fn render_wording(s: &Start, area: Rect, buf: &mut Buffer) -> Option<Position> {
    let rows = usize::from(area.height.saturating_sub(1)).max(1);
    let n = s.wording.len();
    let first = s
        .wording_at
        .saturating_sub(rows - 1)
        .min(n.saturating_sub(rows));
    let mut cursor = None;
    for (k, (point, input)) in s.wording.iter().enumerate().skip(first).take(rows) {
        let label = format!("{:>5}", numbers::score(*point));
        let c = field_row(
            buf,
            area,
            (k - first) as u16,
            &label,
            7,
            input,
            k == s.wording_at,
        );
        cursor = cursor.or(c);
    }
    let scale_points = s.scale_typed().map(|sc| sc.points().count()).unwrap_or(0);
    if scale_points > n && area.height as usize > n.min(rows) {
        buf.set_stringn(
            area.x,
            area.y + n.min(rows) as u16,
            "The points between have no wording here; it can be added to the file later.",
            usize::from(area.width),
            dim(),
        );
    }
    cursor
}

fn render_list(
    s: &Start,
    list: &List,
    what: &str,
    area: Rect,
    buf: &mut Buffer,
) -> Option<Position> {
    let grouped = s.step == Step::Criteria && s.has_groups();
    let groups: Vec<String> = s.groups.names().into_iter().map(|(n, _)| n).collect();
    let rows = usize::from(area.height).max(1);
    let n = list.rows.len();
    let first = list.at.saturating_sub(rows - 1).min(n.saturating_sub(rows));
    let name_w = if grouped {
        area.width.saturating_sub(6 + 24).min(FIELD_W)
    } else {
        area.width.saturating_sub(6).min(FIELD_W)
    };
    let mut cursor = None;
    for (k, row) in list.rows.iter().enumerate().skip(first).take(rows) {
        let y = area.y + (k - first) as u16;
        let here = k == list.at;
        let last = k + 1 == n;
        let number = if last {
            "  + ".to_owned()
        } else {
            format!("{:>3}.", k + 1)
        };
        buf.set_string(area.x, y, number, if here { bold() } else { dim() });
        let x = area.x + 5;
        let on_name = here && !(grouped && list.on_group);
        if last && row.name.text().is_empty() && !on_name {
            buf.set_stringn(
                x,
                y,
                format!("(type a new {what} here)"),
                usize::from(name_w),
                dim(),
            );
        } else {
            let c = draw_field(buf, Rect::new(x, y, name_w, 1), &row.name, on_name);
            cursor = cursor.or(c);
        }
        if grouped && !(last && row.name.text().is_empty() && !here) {
            let group = row
                .group
                .and_then(|g| groups.get(g))
                .map_or("no group".to_owned(), |g| g.clone());
            let text = format!("‹ {} ›", fit(&group, 18));
            let gx = x + name_w + 2;
            let style = if here && list.on_group {
                bold().add_modifier(Modifier::REVERSED)
            } else {
                Style::default()
            };
            buf.set_stringn(
                gx,
                y,
                &text,
                usize::from(area.right().saturating_sub(gx)),
                style,
            );
            if here && list.on_group {
                cursor = Some(Position::new(gx, y));
            }
        }
    }
    cursor
}

fn render_review(s: &Start, area: Rect, buf: &mut Buffer) -> Option<Position> {
    let plan = s.plan();
    let mut lines: Vec<(String, String)> = Vec::new();
    match &plan {
        Ok(p) => {
            lines.push(("Title".into(), p.title.clone()));
            let (lo, hi, step) = p.scale;
            lines.push((
                "Scale".into(),
                format!(
                    "{} to {}{}; {} of its points have wording",
                    numbers::score(lo),
                    numbers::score(hi),
                    if step == 1.0 {
                        " in whole points".to_owned()
                    } else {
                        format!(" in steps of {}", numbers::score(step))
                    },
                    p.labels.len()
                ),
            ));
            if !p.groups.is_empty() {
                let g: Vec<String> = p
                    .groups
                    .iter()
                    .enumerate()
                    .map(|(k, name)| {
                        let n = p.criterion_groups.iter().filter(|g| **g == Some(k)).count();
                        format!("{name} ({n})")
                    })
                    .collect();
                lines.push(("Groups".into(), g.join(", ")));
            }
            lines.push((
                "Criteria".into(),
                format!("{}: {}", p.criteria.len(), p.criteria.join(", ")),
            ));
            lines.push((
                "Options".into(),
                format!("{}: {}", p.options.len(), p.options.join(", ")),
            ));
            lines.push((
                "Weights".into(),
                "equal: every criterion counts the same until the weights are set".into(),
            ));
        }
        Err((step, e)) => lines.push((step.name().into(), e.clone())),
    }
    let w = usize::from(area.width.saturating_sub(11));
    let mut y = area.y;
    for (k, v) in &lines {
        if y >= area.bottom() {
            break;
        }
        buf.set_string(area.x, y, format!("{k:<9}"), bold());
        buf.set_stringn(area.x + 10, y, fit(v, w), w, Style::default());
        y += 1;
    }
    y += 1;
    if y < area.bottom() {
        return field_row(
            buf,
            Rect::new(area.x, y, area.width, 1),
            0,
            "File",
            9,
            &s.file,
            true,
        );
    }
    None
}

/// A labelled field on row `row` of `area`; returns where the cursor goes.
fn field_row(
    buf: &mut Buffer,
    area: Rect,
    row: u16,
    label: &str,
    label_w: u16,
    input: &TextInput,
    focused: bool,
) -> Option<Position> {
    let y = area.y + row;
    if y >= area.bottom() {
        return None;
    }
    let marker = if focused { "▶" } else { " " };
    buf.set_stringn(
        area.x,
        y,
        format!("{marker}{label}"),
        usize::from(label_w),
        if focused { bold() } else { Style::default() },
    );
    let x = area.x + label_w + 1;
    let w = area.width.saturating_sub(label_w + 1).min(FIELD_W + 8);
    draw_field(buf, Rect::new(x, y, w, 1), input, focused)
}

/// A one-line text field, underlined, scrolled to keep the cursor in view;
/// text that typing will replace is shown reversed.
fn draw_field(buf: &mut Buffer, area: Rect, input: &TextInput, focused: bool) -> Option<Position> {
    if area.width == 0 {
        return None;
    }
    let text: Vec<char> = input.text().chars().collect();
    let w = usize::from(area.width) - 1;
    let col = input.cursor().1.min(text.len());
    let start = if focused { col.saturating_sub(w) } else { 0 };
    let shown: String = text[start..].iter().take(w + 1).collect();
    let base = Style::default().add_modifier(Modifier::UNDERLINED);
    buf.set_style(area, base);
    let style = if focused && input.is_selected() {
        base.add_modifier(Modifier::REVERSED)
    } else if focused {
        base.add_modifier(Modifier::BOLD)
    } else {
        base
    };
    buf.set_stringn(area.x, area.y, &shown, usize::from(area.width), style);
    if !focused {
        return None;
    }
    let x = area.x + (col - start) as u16;
    if x < area.right() {
        if !input.is_selected()
            && let Some(cell) = buf.cell_mut((x, area.y))
        {
            cell.set_style(Style::default().add_modifier(Modifier::REVERSED));
        }
        return Some(Position::new(x, area.y));
    }
    None
}

fn render_question(s: &Start, q: super::StartQuestion, area: Rect, buf: &mut Buffer) {
    let (ask, why) = question_words(s, q);
    let keys: Vec<Line> = start_question_keys(q)
        .into_iter()
        .map(|(k, d, _)| {
            Line::from(vec![
                Span::styled(format!("  {k:<12}"), bold()),
                Span::raw(d),
            ])
        })
        .collect();
    let w = area.width.min(64);
    let mut lines = vec![Line::raw(why), Line::raw("")];
    lines.extend(keys);
    let h = wrapped_height(&lines, w.saturating_sub(2)) + 2;
    let x = area.x + (area.width - w) / 2;
    let y = area.y + area.height.saturating_sub(h) / 2;
    let r = Rect::new(x, y, w, h.min(area.height));
    Clear.render(r, buf);
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Line::styled(format!(" {ask} "), bold()));
    let inner = block.inner(r);
    block.render(r, buf);
    Paragraph::new(lines)
        .wrap(Wrap { trim: false })
        .render(inner, buf);
}

/// The help screen's lines, each description wrapped under its column.
fn help_lines(width: usize) -> Vec<Line<'static>> {
    let room = width.saturating_sub(HELP_KEY_W).max(20);
    let mut out = Vec::new();
    for (k, d) in keymap::start_help_lines() {
        if d.is_empty() {
            out.push(Line::styled(k.to_owned(), bold()));
            continue;
        }
        let mut first = true;
        let mut line = String::new();
        let push = |line: &str, first: &mut bool, out: &mut Vec<Line<'static>>| {
            let key = if *first {
                format!("  {k:<w$}", w = HELP_KEY_W - 2)
            } else {
                " ".repeat(HELP_KEY_W)
            };
            *first = false;
            out.push(Line::from(vec![
                Span::styled(key, bold()),
                Span::raw(line.to_owned()),
            ]));
        };
        for word in d.split(' ') {
            if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > room {
                push(&line, &mut first, &mut out);
                line.clear();
            }
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
        push(&line, &mut first, &mut out);
    }
    out.push(Line::raw(""));
    out.push(Line::styled(
        "Nothing is written until the last step",
        bold(),
    ));
    for line in [
        "  The file is written whole at the end, or not at all.",
        "  A file already there is replaced only if you say so.",
    ] {
        out.push(Line::raw(line));
    }
    out
}

fn render_help(_s: &Start, scroll: u16, area: Rect, buf: &mut Buffer) {
    let title = Line::styled(
        " Help: the keys of the guided start (↑↓ scroll, any other key closes) ",
        bold(),
    );
    title.render(Rect::new(area.x, area.y, area.width, 1), buf);
    let inner = Rect::new(
        area.x + 1,
        area.y + 1,
        area.width.saturating_sub(2),
        area.height.saturating_sub(1),
    );
    Paragraph::new(help_lines(usize::from(inner.width)))
        .wrap(Wrap { trim: false })
        .scroll((scroll, 0))
        .render(inner, buf);
}

/// The furthest the help screen can scroll.
pub fn help_max_scroll(s: &Start) -> u16 {
    let (w, h) = s.size;
    let lines = help_lines(usize::from(w.saturating_sub(2)));
    let rows = h.saturating_sub(5);
    (wrapped_height(&lines, w.saturating_sub(2))).saturating_sub(rows)
}
