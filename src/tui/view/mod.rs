//! Drawing the TUI. Rendering is pure: everything on screen comes from `&App`
//! (`impl Widget for &App`), so tests can render to a `TestBackend` and
//! compare the lines. `render_all` composes the screen: the glue functions
//! turn the `App` into each widget's inputs, and the content functions
//! (the selected cell's line, the details, the message and title lines)
//! are made from those inputs alone.
//!
//! The geometry functions here are shared with `update` (to keep the selection
//! on screen) and with the mouse handling (to find the cell under a click).

use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Widget, Wrap};

use crate::compute::Results;
use crate::model::{Appraisal, Scale};
use crate::numbers;

use super::app::{self, App, Confirm, Focus, Mode, PromptKind, Severity, Showing, Sort};
use super::doc::Summary;
use super::export;
use super::keymap;
use super::measure::fit;
use super::member::MemberSheet;
use super::panel;
use super::title_bar::TitleBar;

pub mod details;
pub mod dialogs;
pub mod grid;

/// Width of the Total, % and Rank columns together.
const RIGHT_W: u16 = 17;
/// Narrowest column that shows criterion names (over two lines) rather than codes.
const NAME_CELL_W: u16 = 9;
/// Widest criterion column.
const MAX_CELL_W: u16 = 14;
/// Widest criterion column when criteria are shown by code.
const MAX_CODE_CELL_W: u16 = 8;
/// Characters of every option name the grid keeps before it scrolls the
/// criteria or shows them by code: enough to tell similar names apart.
pub const NAME_KEEP: u16 = 24;
/// Widest the option-name column gets, in characters of name.
const NAME_MAX: u16 = 40;
/// The option-name column's marker ("▶ ") and trailing space.
const NAME_PAD: u16 = 3;
/// The narrowest the details pane gets when it sits beside the grid.
const SIDE_MIN_W: u16 = 40;
/// Rows the details pane keeps when it sits under the grid.
const MIN_DETAILS_H: u16 = 7;
/// Rows the grid keeps for options when the screen is short.
const MIN_GRID_ROWS: u16 = 3;
/// The smallest window the screen works in: below it, a notice asks for a
/// larger window and no keys but quitting and saving are taken.
pub const MIN_SIZE: (u16, u16) = (60, 16);
/// Most lines the message line may wrap over.
const MESSAGE_MAX_H: u16 = 3;

/// Whether a window of `size` (columns, rows) is too small to work in.
pub fn too_small(size: (u16, u16)) -> bool {
    size.0 < MIN_SIZE.0 || size.1 < MIN_SIZE.1
}

/// Where the parts of the screen go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScreenLayout {
    /// The title line.
    pub title: Rect,
    /// The score grid, including its title line and the selected cell's line.
    pub grid: Rect,
    /// The details pane, including its title line.
    pub side: Rect,
    /// The message line (more than one row when a message wraps).
    pub message: Rect,
    /// The key hints line.
    pub keys: Rect,
}

/// The message as shown: its text and style, wrapped to `width`.
fn message_rows(app: &App, width: u16) -> u16 {
    let (text, _) = message_text(&message_of(app));
    let text = text.trim_start();
    if text.chars().count() < usize::from(width) {
        return 1;
    }
    let rows =
        super::measure::wrapped_height(&[Line::from(text.to_owned())], width.saturating_sub(1));
    rows.clamp(1, MESSAGE_MAX_H)
}

/// Lays out the screen for an area.
pub fn screen_layout(app: &App, area: Rect) -> ScreenLayout {
    let h = area.height;
    let line = |y: u16, rows: u16| {
        Rect::new(
            area.x,
            area.y + y.min(h.saturating_sub(1)),
            area.width,
            rows.min(h),
        )
    };
    let title = line(0, 1);
    let keys = line(h.saturating_sub(1), 1);
    // A long message wraps, as long as the grid keeps its rows.
    let msg_h = message_rows(app, area.width).min(h.saturating_sub(12).max(1));
    let message = line(h.saturating_sub(1 + msg_h), msg_h);
    let mid_y = area.y + 1.min(h);
    let mid_h = h.saturating_sub(2 + msg_h);
    let a = app.doc.appraisal();
    let longest = u16::try_from(app.doc.summary().longest_name).unwrap_or(u16::MAX);
    let n_crit = u16::try_from(a.criteria().len()).unwrap_or(u16::MAX);
    // Details go beside the grid only when the grid still shows every
    // criterion by name and every option's name in full.
    let natural = (longest.min(NAME_MAX) + NAME_PAD)
        .saturating_add(n_crit.saturating_mul(NAME_CELL_W))
        .saturating_add(RIGHT_W);
    let (grid, side) = if area.width >= natural.saturating_add(SIDE_MIN_W) {
        let side_w = (area.width - natural).clamp(SIDE_MIN_W, 60);
        let grid_w = area.width - side_w;
        (
            Rect::new(area.x, mid_y, grid_w, mid_h),
            Rect::new(area.x + grid_w, mid_y, side_w, mid_h),
        )
    } else {
        let n = u16::try_from(a.options().len()).unwrap_or(u16::MAX);
        let fixed = {
            let g = geometry_in(app, Rect::new(area.x, mid_y, area.width, mid_h));
            // The heading over options screened out takes a row too.
            let heading = super::v2::long_list_row(a, &app.display_order()).is_some();
            1 + g.header_h + g.cell_line_h + u16::from(heading)
        };
        let wanted = fixed.saturating_add(n.max(1));
        // The live sensitivity panel needs more room than the details do.
        let side_min = if app.view.mode == Mode::Sensitivity {
            mid_h / 2
        } else {
            MIN_DETAILS_H
        };
        // On a short screen the grid keeps a few rows before the details get theirs.
        let grid_min = (fixed + MIN_GRID_ROWS.min(n.max(1))).min(mid_h);
        let grid_h = wanted.min(mid_h.saturating_sub(side_min)).max(grid_min);
        (
            Rect::new(area.x, mid_y, area.width, grid_h),
            Rect::new(area.x, mid_y + grid_h, area.width, mid_h - grid_h),
        )
    };
    ScreenLayout {
        title,
        grid,
        side,
        message,
        keys,
    }
}

/// How the score grid is laid out within its pane.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GridGeometry {
    /// The pane below its title line.
    pub inner: Rect,
    /// Width of the option-name column.
    pub name_w: u16,
    /// Width of each criterion column (one space of gap included).
    pub cell_w: u16,
    /// How many criterion columns fit.
    pub cols_visible: usize,
    /// How many option rows fit.
    pub rows_visible: usize,
    /// Characters needed for the longest score on the scale.
    pub score_w: usize,
    /// Whether criteria are headed by code (C1, C2, ...) rather than by name.
    pub codes: bool,
    /// Header lines above the option rows.
    pub header_h: u16,
    /// Lines under the rows that describe the selected cell.
    pub cell_line_h: u16,
}

impl GridGeometry {
    /// The screen row of the first option row.
    pub fn first_row_y(&self) -> u16 {
        self.inner.y + self.header_h
    }
}

/// The grid's geometry for the terminal size the app last saw.
pub fn grid_geometry(app: &App) -> GridGeometry {
    let (w, h) = app.view.size;
    geometry_in(app, screen_layout(app, Rect::new(0, 0, w, h)).grid)
}

/// Characters needed for the longest score on `scale`.
fn score_width(scale: &Scale) -> usize {
    [scale.min(), scale.max(), scale.min() + scale.step()]
        .iter()
        .map(|v| numbers::score(*v).chars().count())
        .max()
        .unwrap_or(1)
        .max(if scale.step() < 1.0 { 3 } else { 1 })
}

fn geometry_in(app: &App, pane: Rect) -> GridGeometry {
    let inner = Rect::new(
        pane.x,
        pane.y + 1.min(pane.height),
        pane.width,
        pane.height.saturating_sub(1),
    );
    let a = app.doc.appraisal();
    let columns = app.columns();
    let n = columns.len().max(1) as u16;
    // The widest score on any criterion's scale, or raw value of a measured one.
    let score_w = (0..a.criteria().len())
        .map(|c| cell_value_width(a, c))
        .max()
        .unwrap_or(1)
        .max(score_width(a.scale()));
    // What a cell must hold: a score and its bar (a consensus and its mark
    // in the panel view), the weight, and the code when shown by code.
    let content = if app.showing() == Showing::Panel {
        score_w.max(3) + 2
    } else {
        score_w + 2
    };
    let weight_w = (0..a.criteria().len())
        .map(|c| {
            numbers::weight(super::v2::shown_weight(a, c))
                .chars()
                .count()
        })
        .max()
        .unwrap_or(1)
        .min(6);
    let code_w = format!("C{}", a.criteria().len().max(1)).len();
    let cell_min = content.max(weight_w).max(code_w) as u16 + 1;
    let longest = app.doc.summary().longest_name.min(usize::from(NAME_MAX)) as u16;
    let name_full = (longest + NAME_PAD).max(12);
    // A name cut short ends in "…", so keeping 24 characters takes 25.
    let name_keep = (longest.min(NAME_KEEP + 1) + NAME_PAD).max(12);
    let room = inner.width.saturating_sub(RIGHT_W);
    let (codes, name_w, cell_w) = if room >= name_keep + n.saturating_mul(NAME_CELL_W) {
        // Every criterion by name, in columns wide enough for two lines of it.
        let name_w = name_full.min(room - n * NAME_CELL_W);
        let cell_w = ((room - name_w) / n).clamp(NAME_CELL_W, MAX_CELL_W);
        (false, name_w, cell_w)
    } else {
        // Criteria by code, with a key below; the option names keep their
        // characters, and the criteria scroll when they do not all fit.
        let name_w = if room >= name_full.saturating_add(n.saturating_mul(cell_min)) {
            name_full
        } else if room >= name_keep.saturating_add(n.saturating_mul(cell_min)) {
            room.saturating_sub(n.saturating_mul(cell_min))
                .clamp(name_keep, name_full)
        } else if room >= name_keep + cell_min {
            // The criteria scroll anyway: the names may take up to half the room.
            name_full.min(room / 2).max(name_keep)
        } else {
            room.saturating_sub(cell_min).max(room.min(12))
        };
        let cell_w =
            (room.saturating_sub(name_w) / n).clamp(cell_min, MAX_CODE_CELL_W.max(cell_min));
        (true, name_w, cell_w)
    };
    let cell_room = room.saturating_sub(name_w);
    let cols_visible = usize::from(cell_room / cell_w.max(1))
        .min(usize::from(n))
        .max(1);
    // Criteria groups add a line of group headings above the criteria.
    let header_h = if codes { 2 } else { 3 } + u16::from(!a.groups().is_empty());
    let cell_line_h = cell_line_height(app, inner.width);
    // The heading over options screened out takes a row.
    let heading = u16::from(super::v2::long_list_row(a, &app.display_order()).is_some());
    let rows_visible = usize::from(
        inner
            .height
            .saturating_sub(header_h + cell_line_h + heading),
    );
    GridGeometry {
        inner,
        name_w,
        cell_w,
        cols_visible,
        rows_visible,
        score_w,
        codes,
        header_h,
        cell_line_h,
    }
}

/// Characters a cell needs for criterion `c`'s scores, or for a measured
/// criterion's raw values.
fn cell_value_width(a: &crate::model::Appraisal, c: usize) -> usize {
    let own = score_width(a.scale_of(c));
    if a.criteria().get(c).and_then(|k| k.measure()).is_none() {
        return own;
    }
    a.options()
        .iter()
        .filter_map(|o| o.measure(c))
        .map(|r| super::v2::raw_text(r).chars().count())
        .max()
        .unwrap_or(1)
        .clamp(1, 6)
}

/// The display row of the heading over the options screened out, when
/// it is on screen (at or below the first row shown).
pub fn heading_row(app: &App) -> Option<usize> {
    super::v2::long_list_row(app.doc.appraisal(), &app.display_order())
        .filter(|&h| h >= app.view.row_offset)
}

/// The screen line of display row `row`, counting from the first row shown.
pub fn row_line(g: &GridGeometry, first_row: usize, heading: Option<usize>, row: usize) -> u16 {
    let below = u16::from(heading.is_some_and(|h| row >= h));
    g.first_row_y() + (row - first_row) as u16 + below
}

/// Turns a mouse event into an action: a click selects the cell under it,
/// the wheel scrolls the grid.
pub fn mouse_to_action(
    app: &App,
    mouse: crossterm::event::MouseEvent,
) -> Option<super::action::Action> {
    use super::action::Action;
    match mouse.kind {
        crossterm::event::MouseEventKind::ScrollDown => Some(Action::Scroll(3)),
        crossterm::event::MouseEventKind::ScrollUp => Some(Action::Scroll(-3)),
        crossterm::event::MouseEventKind::Down(crossterm::event::MouseButton::Left) => {
            if !matches!(app.view.mode, Mode::Normal | Mode::Sensitivity) || !app.view.mouse {
                return None;
            }
            hit_test(app, mouse.column, mouse.row)
                .map(|(option, criterion)| Action::Select { option, criterion })
        }
        _ => None,
    }
}

/// The option (file index) and criterion under a screen position, if any.
pub fn hit_test(app: &App, x: u16, y: u16) -> Option<(usize, Option<usize>)> {
    let g = grid_geometry(app);
    let top = g.first_row_y();
    let heading = heading_row(app);
    let extra = u16::from(heading.is_some());
    let bottom = top + g.rows_visible as u16 + extra;
    if y < top || y >= bottom || x < g.inner.x || x >= g.inner.right() {
        return None;
    }
    let mut row = app.view.row_offset + usize::from(y - top);
    if let Some(h) = heading {
        match row.cmp(&h) {
            std::cmp::Ordering::Less => {}
            std::cmp::Ordering::Equal => return None,
            std::cmp::Ordering::Greater => row -= 1,
        }
    }
    let option = *app.display_order().get(row)?;
    let cx = x - g.inner.x;
    let criterion = if cx < g.name_w {
        None
    } else {
        let col = usize::from((cx - g.name_w) / g.cell_w);
        let columns = app.columns();
        (col < g.cols_visible)
            .then(|| columns.get(app.view.col_offset + col).copied())
            .flatten()
    };
    Some((option, criterion))
}

/// Where the help screen goes: everything between the title and the message line.
fn help_area(app: &App, area: Rect) -> Rect {
    let layout = screen_layout(app, area);
    Rect::new(
        area.x,
        layout.grid.y,
        area.width,
        layout.message.y.saturating_sub(layout.grid.y),
    )
}

/// The furthest the help screen can scroll.
pub fn help_max_scroll(app: &App) -> u16 {
    let (w, h) = app.view.size;
    let area = help_area(app, Rect::new(0, 0, w, h));
    let rows = area.height.saturating_sub(1);
    let width = usize::from(area.width.saturating_sub(2));
    let lines = help_screen_lines(app.doc.appraisal().scale(), width, grouped(app)).len();
    (lines as u16).saturating_sub(rows)
}

/// Whether the appraisal has criteria groups (so the fold keys apply).
fn grouped(app: &App) -> bool {
    !app.doc.appraisal().groups().is_empty()
}

/// Width of the key column on the help screen.
const HELP_KEY_W: usize = 18;

/// The help screen's lines for a width: each description wrapped at word
/// boundaries under its own column, so nothing is cut off on narrow screens.
fn help_screen_lines(scale: &Scale, width: usize, grouped: bool) -> Vec<Line<'static>> {
    let room = width.saturating_sub(HELP_KEY_W).max(20);
    let mut out = Vec::new();
    let scale_lines = keymap::scale_help(scale);
    let key_lines = keymap::help_lines_for(grouped);
    let all = scale_lines
        .iter()
        .map(|(k, d)| (k.as_str(), d.as_str()))
        .chain([("", "")])
        .chain(key_lines.iter().copied());
    for (k, d) in all {
        if d.is_empty() && k.is_empty() {
            out.push(Line::from(""));
            continue;
        }
        if d.is_empty() {
            out.push(Line::styled(k.to_owned(), bold()));
            continue;
        }
        let chars: Vec<char> = d.chars().collect();
        for (i, (start, end)) in segments(&chars, room).into_iter().enumerate() {
            let text: String = chars[start..end].iter().collect();
            let key = if i == 0 {
                format!("  {k:<w$}", w = HELP_KEY_W - 2)
            } else {
                " ".repeat(HELP_KEY_W)
            };
            out.push(Line::from(vec![
                Span::styled(key, bold()),
                Span::raw(text.trim_end().to_owned()),
            ]));
        }
    }
    out
}

/// Splits a header into two lines of at most `w` characters, breaking at a
/// space where possible: "Child focused" -> ("Child", "focused").
fn two_lines(s: &str, w: usize) -> (String, String) {
    if s.chars().count() <= w {
        return (s.to_owned(), String::new());
    }
    let mut words = s.split_whitespace();
    let first_word = words.next().unwrap_or("");
    if first_word.chars().count() > w {
        let rest: Vec<&str> = words.collect();
        if !rest.is_empty() {
            // A long first word: shorten it, and keep the next words, which
            // tell similar names apart ("Criterion 6", "Criterion 7").
            return (fit(first_word, w), fit(&rest.join(" "), w));
        }
        // One long word: hyphenate it over the two lines.
        let cut = w.saturating_sub(1).max(1);
        let mut first: String = first_word.chars().take(cut).collect();
        first.push('-');
        let rest: String = first_word.chars().skip(cut).collect();
        return (first, fit(&rest, w));
    }
    let mut first = first_word.to_owned();
    let mut rest: Vec<&str> = Vec::new();
    for word in words {
        if rest.is_empty() && first.chars().count() + 1 + word.chars().count() <= w {
            first.push(' ');
            first.push_str(word);
        } else {
            rest.push(word);
        }
    }
    (first, fit(&rest.join(" "), w))
}

/// Eighth-block marks from low to high, so scores read without colour.
const MARKS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/// Where a score sits on the scale, from 0 to 1.
fn fraction(scale: &Scale, v: f64) -> f64 {
    ((v - scale.min()) / (scale.max() - scale.min())).clamp(0.0, 1.0)
}

fn mark(scale: &Scale, v: f64) -> char {
    mark_at(fraction(scale, v))
}

/// The mark for a fraction of the way up, from 0 to 1.
fn mark_at(f: f64) -> char {
    let i = (f.clamp(0.0, 1.0) * 7.0).round() as usize;
    MARKS[i.min(7)]
}

/// Heat-map colours, low to high, as (background, text): six steps from
/// red through amber and yellow to green, from the 256-colour palette that
/// PuTTY, the Windows console and every common terminal show, so each point
/// of a 0-5 scale has a colour of its own.
const HEAT: [(u8, Color); 6] = [
    (160, Color::White), // red
    (202, Color::Black), // orange
    (214, Color::Black), // amber
    (226, Color::Black), // yellow
    (112, Color::Black), // yellow-green
    (28, Color::White),  // green
];

/// A score's heat-map colours: (background, text).
fn heat(scale: &Scale, v: f64) -> (Color, Color) {
    heat_at(fraction(scale, v))
}

/// The heat-map colours for a fraction of the way up, from 0 to 1.
fn heat_at(f: f64) -> (Color, Color) {
    let i = (f.clamp(0.0, 1.0) * (HEAT.len() - 1) as f64).round() as usize;
    let (bg, fg) = HEAT[i.min(HEAT.len() - 1)];
    (Color::Indexed(bg), fg)
}

/// A total in at most `width` characters and `places` decimal places,
/// dropping places (rounding) only when it would not fit: 106.25 in five is 106.3.
fn total_text(v: f64, places: usize, width: usize) -> String {
    let mut text = String::new();
    for p in (0..=places).rev() {
        text = numbers::decimals(v, p as u32);
        if text.chars().count() <= width {
            break;
        }
    }
    text
}

impl Widget for &App {
    fn render(self, area: Rect, buf: &mut Buffer) {
        render_all(self, area, buf);
    }
}

/// Draws a whole frame and places the terminal's cursor on what has the
/// keyboard (the selected cell, or the cursor in a text box), so that screen
/// magnifiers and readers follow it.
pub fn draw(frame: &mut ratatui::Frame, app: &App) {
    let area = frame.area();
    if let Some(at) = render_all(app, area, frame.buffer_mut()) {
        frame.set_cursor_position(at);
    }
}

/// Draws everything into `buf`; returns where the terminal's cursor goes.
fn render_all(app: &App, area: Rect, buf: &mut Buffer) -> Option<Position> {
    if too_small((area.width, area.height)) {
        TooSmall {
            dirty: app.doc.is_dirty(),
        }
        .render(area, buf);
        return None;
    }
    let layout = screen_layout(app, area);
    let (left, right) = title_words(&title_of(app));
    TitleBar {
        left: &left,
        right: &right,
    }
    .render(layout.title, buf);
    let g = geometry_in(app, layout.grid);
    let mut cursor = None;
    match &app.view.mode {
        Mode::Help { scroll, .. } => {
            HelpScreen {
                scale: app.doc.appraisal().scale(),
                grouped: grouped(app),
                scroll: *scroll,
            }
            .render(help_area(app, area), buf);
        }
        _ => {
            grid_view(app, g).render(layout.grid, buf);
            side_pane(app, g.codes).render(layout.side, buf);
            cursor = cell_position(app, &g);
        }
    }
    let (text, style) = message_text(&message_of(app));
    MessageLine { text, style }.render(layout.message, buf);
    render_keys(app, layout.keys, buf);
    let mid = Rect::new(
        area.x,
        layout.grid.y,
        area.width,
        layout.message.y.saturating_sub(layout.grid.y),
    );
    let dialog = match &app.view.mode {
        Mode::Note(editor) | Mode::Evidence(editor) => {
            let a = app.doc.appraisal();
            let option = a.options().get(editor.o).map_or("", |o| o.name());
            let criterion = a.criteria().get(editor.c).map_or("", |c| c.name());
            let text_box = if matches!(app.view.mode, Mode::Note(_)) {
                dialogs::TextBox::note(
                    editor,
                    option,
                    criterion,
                    keymap::box_keys(keymap::Place::Note),
                )
            } else {
                dialogs::TextBox::evidence(editor, option, criterion)
            };
            text_box.draw(mid, buf)
        }
        Mode::Prompt(prompt) => {
            let (title, help) = prompt_words(app, &prompt.kind);
            dialogs::PromptBox {
                prompt,
                title,
                help,
            }
            .draw(mid, buf)
        }
        Mode::Confirm(c @ Confirm::RecoveryClash(clashes)) => dialogs::ClashBox {
            clashes,
            appraisal: app.doc.appraisal(),
            doc_name: &app.doc.display_name(),
            keys: keymap::confirm_keys(c)
                .into_iter()
                .map(|(k, d, _)| (k, d))
                .collect(),
        }
        .draw(mid, buf),
        Mode::Confirm(c) => {
            let (title, body) = question_words(app, c);
            dialogs::QuestionBox {
                title,
                body,
                keys: keymap::confirm_keys(c)
                    .into_iter()
                    .map(|(k, d, _)| (k, d))
                    .collect(),
            }
            .draw(mid, buf)
        }
        Mode::Swing(swing) => dialogs::SwingBox {
            swing,
            appraisal: app.doc.appraisal(),
        }
        .draw(mid, buf),
        Mode::Export(chooser) => dialogs::ExportMenu {
            chooser,
            target: app.doc.target(),
        }
        .draw(mid, buf),
        Mode::Normal | Mode::Help { .. } | Mode::Sensitivity => None,
    };
    dialog.or(cursor)
}

/// Where the selected cell's score is on screen, if it is showing.
fn cell_position(app: &App, g: &GridGeometry) -> Option<Position> {
    let at = app.selected_row();
    let row = at.checked_sub(app.view.row_offset)?;
    let col = app.selected_column().checked_sub(app.view.col_offset)?;
    if row >= g.rows_visible || col >= g.cols_visible {
        return None;
    }
    let x = g.inner.x + g.name_w + g.cell_w * col as u16 + 1;
    let y = row_line(g, app.view.row_offset, heading_row(app), at);
    (x < g.inner.right() && y < g.inner.bottom()).then_some(Position::new(x, y))
}

/// The notice shown instead of the screen when the window is too small to
/// work in; nothing typed is taken meanwhile except saving and quitting.
/// What a window too small for the grid shows: how large it must be, and
/// that the work is safe.
#[derive(Debug, Clone, Copy)]
struct TooSmall {
    /// Whether there are unsaved changes.
    dirty: bool,
}

impl Widget for TooSmall {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let (w, h) = MIN_SIZE;
        let mut lines = vec![
            Line::styled("Make the window larger", bold()),
            Line::from(""),
            Line::from(format!(
                "appraise needs at least {w} columns and {h} rows to show the scores; this window has {} × {}.",
                area.width, area.height
            )),
            Line::from("Nothing you type is taken until it is larger."),
            Line::from(""),
        ];
        lines.push(Line::from(if self.dirty {
            "Your unsaved changes are safe. Ctrl-s saves; q asks before quitting."
        } else {
            "Your work is safe. q quits."
        }));
        Paragraph::new(lines)
            .wrap(Wrap { trim: true })
            .render(area, buf);
    }
}

fn bold() -> Style {
    Style::default().add_modifier(Modifier::BOLD)
}

/// Lines the selected cell's description takes at `width`: one, or two for
/// an option name too long for one.
fn cell_line_height(app: &App, width: u16) -> u16 {
    let len: usize = cell_line(&selected_cell(app), true).width();
    if len <= usize::from(width) { 1 } else { 2 }
}

// From the app to the widgets' inputs. `render_all` composes the screen:
// these functions are the one place that reads the whole `App` for it,
// handing each content function below only what it is made from.

/// The selected cell as the app shows it.
fn selected_cell(app: &App) -> SelectedCell<'_> {
    SelectedCell {
        appraisal: app.shown_appraisal(),
        results: app.shown_results(),
        own: app.doc.appraisal(),
        showing: app.showing(),
        at: (app.view.option, app.view.criterion),
        fold: app.selected_fold(),
        panel: app.panel(),
    }
}

/// The title bar's inputs, from the app.
fn title_of(app: &App) -> TitleInputs<'_> {
    TitleInputs {
        title: &app.doc.appraisal().meta.title,
        member: app.doc.member().map(|m| m.member.as_str()),
        file: app.doc.display_name(),
        dirty: app.doc.is_dirty(),
    }
}

/// The grid pane title's inputs, from the app and the grid's geometry.
fn grid_title_of<'a>(app: &'a App, g: &GridGeometry) -> GridTitleInputs<'a> {
    GridTitleInputs {
        showing: app.showing(),
        member: app.doc.member(),
        panel: app.panel(),
        options: app.doc.appraisal().options().len(),
        criteria: app.doc.appraisal().criteria().len(),
        columns: app.columns().len(),
        offsets: (app.view.row_offset, app.view.col_offset),
        visible: (g.rows_visible, g.cols_visible),
        by_rank: app.view.sort == Sort::Rank,
    }
}

/// The message line's inputs, from the app.
fn message_of(app: &App) -> MessageInputs<'_> {
    MessageInputs {
        message: app.view.message.as_ref(),
        colour: app.view.colour,
        jobs: &app.jobs,
        showing: app.showing(),
        panel: app.panel(),
        member: app.doc.member(),
        dirty: app.doc.is_dirty(),
        summary: app.doc.summary(),
    }
}

/// The grid as the app shows it.
fn grid_view(app: &App, g: GridGeometry) -> grid::GridView<'_> {
    let panel = match app.showing() {
        Showing::Panel => app.panel(),
        Showing::Own | Showing::Shared => None,
    };
    grid::GridView {
        appraisal: app.shown_appraisal(),
        results: app.shown_results(),
        merged: panel.and_then(panel::PanelState::merged),
        sheets: panel.map(panel::PanelState::sheets),
        order: app.display_order(),
        option: app.view.option,
        criterion: app.view.criterion,
        offsets: (app.view.row_offset, app.view.col_offset),
        columns: app.columns(),
        folded: app.view.folded.clone(),
        heading: super::v2::long_list_row(app.doc.appraisal(), &app.display_order()),
        title: grid_title(&grid_title_of(app, &g)),
        focused: app.view.focus == Focus::Grid,
        shared: app.showing() == Showing::Shared,
        colour: app.view.colour,
        cell_line: cell_line(&selected_cell(app), g.codes),
        geometry: g,
    }
}

/// The pane under (or beside) the grid as the app shows it: the live
/// analysis in its view, or else the details of the selected cell.
fn side_pane(app: &App, codes: bool) -> SidePane<'_> {
    let focused = app.view.focus == Focus::Details;
    let hint = if focused {
        " (↑↓ scroll, Tab back)"
    } else {
        " (Tab to scroll)"
    };
    if app.view.mode == Mode::Sensitivity {
        let state = if app.doc.live_is_current() {
            ""
        } else {
            " · updating…"
        };
        return SidePane::Live {
            title: format!("Sensitivity, live{state}{hint}"),
            focused,
            panel: live_panel(app),
        };
    }
    let (what, lines) = details_content(&selected_cell(app), &app.doc.display_name(), codes);
    SidePane::Details(details::DetailsPane {
        title: format!("{what}{hint}"),
        focused,
        lines,
        scroll: app.view.details_scroll,
    })
}

/// The live panel as the app shows it.
pub fn live_panel(app: &App) -> super::live::LivePanel<'_> {
    super::live::LivePanel {
        live: app.doc.live(),
        criterion: app.view.criterion,
        option: app.view.option,
        colour: app.view.colour,
        scroll: app.view.details_scroll,
    }
}

// What the widgets show, each made only from its inputs.

/// The selected cell and what it is read against: what the line under the
/// grid and the details pane are made from.
#[derive(Debug, Clone, Copy)]
struct SelectedCell<'a> {
    /// The appraisal the grid shows (own, shared, or the panel's consensus).
    appraisal: &'a Appraisal,
    /// Its results.
    results: &'a Results,
    /// The document's own appraisal: in the shared view, the member's scores.
    own: &'a Appraisal,
    /// Which scores the grid shows.
    showing: Showing,
    /// The selected option and criterion.
    at: (usize, usize),
    /// The criteria group folded into the selected column, if it is one.
    fold: Option<usize>,
    /// The panel, if one is open.
    panel: Option<&'a panel::PanelState>,
}

/// What the title bar says of the document.
#[derive(Debug, Clone)]
struct TitleInputs<'a> {
    /// The appraisal's title.
    title: &'a str,
    /// The member whose sheet this is, in member mode.
    member: Option<&'a str>,
    /// The file, as the document names it.
    file: String,
    /// Whether there are unsaved changes.
    dirty: bool,
}

/// What the grid pane's title is made from.
#[derive(Debug, Clone, Copy)]
struct GridTitleInputs<'a> {
    /// Which scores the grid shows.
    showing: Showing,
    /// The member and shared appraisal, in member mode.
    member: Option<&'a MemberSheet>,
    /// The panel, if one is open.
    panel: Option<&'a panel::PanelState>,
    /// How many options and criteria the appraisal has.
    options: usize,
    /// How many criteria.
    criteria: usize,
    /// How many columns the grid has (a folded group is one).
    columns: usize,
    /// The first row and column on screen.
    offsets: (usize, usize),
    /// How many rows and columns are on screen.
    visible: (usize, usize),
    /// Whether the rows are in rank order.
    by_rank: bool,
}

/// What the message line is made from.
#[derive(Debug, Clone, Copy)]
struct MessageInputs<'a> {
    /// The latest message, if any.
    message: Option<&'a app::Message>,
    /// Whether colour may be used.
    colour: bool,
    /// Work under way in the background.
    jobs: &'a app::Jobs,
    /// Which scores the grid shows.
    showing: Showing,
    /// The panel, if one is open.
    panel: Option<&'a panel::PanelState>,
    /// The member and shared appraisal, in member mode.
    member: Option<&'a MemberSheet>,
    /// Whether there are unsaved changes.
    dirty: bool,
    /// How the work stands: cells to score, totals of scored cells only.
    summary: &'a Summary,
}

/// The pane under (or beside) the grid.
enum SidePane<'a> {
    /// The live sensitivity analysis, under its title.
    Live {
        /// The pane's title.
        title: String,
        /// Whether the pane has the keyboard.
        focused: bool,
        /// The analysis.
        panel: super::live::LivePanel<'a>,
    },
    /// The selected cell's details, the group folded there, or the members on it.
    Details(details::DetailsPane),
}

impl Widget for SidePane<'_> {
    fn render(self, pane: Rect, buf: &mut Buffer) {
        if pane.height == 0 {
            return;
        }
        match self {
            SidePane::Live {
                title,
                focused,
                panel,
            } => {
                pane_title(pane, buf, &title, focused);
                panel.render(details::inner(pane), buf);
            }
            SidePane::Details(d) => d.render(pane, buf),
        }
    }
}

/// The title bar's words: the appraisal (and whose scoresheet) on the left,
/// the file and whether it is unsaved on the right.
fn title_words(t: &TitleInputs) -> (String, String) {
    let right = format!(" {}{} ", t.file, if t.dirty { " ●" } else { "" });
    let whose = match t.member {
        Some(m) => format!(" · {m}'s scoresheet"),
        None => String::new(),
    };
    (format!(" appraise │ {}{whose}", t.title), right)
}

fn pane_title(area: Rect, buf: &mut Buffer, title: &str, focused: bool) {
    if area.height == 0 {
        return;
    }
    let style = if focused {
        bold()
    } else {
        Style::default().add_modifier(Modifier::DIM)
    };
    let rule: String = "─".repeat(area.width as usize);
    buf.set_stringn(area.x, area.y, &rule, area.width as usize, style);
    let marker = if focused { "▶ " } else { "  " };
    let text = format!("{marker}{title} ");
    buf.set_stringn(area.x, area.y, &text, area.width as usize, style);
}

/// The grid pane's title: what it shows, which rows and columns, the order.
fn grid_title(t: &GridTitleInputs) -> String {
    let (n_opt, n_crit, n_col) = (t.options, t.criteria, t.columns);
    let first_row = t.offsets.0.min(n_opt);
    let last_row = (first_row + t.visible.0).min(n_opt);
    let first_col = t.offsets.1.min(n_col);
    let last_col = (first_col + t.visible.1).min(n_col);
    let mut title = match (t.showing, t.member, t.panel) {
        (Showing::Panel, _, Some(p)) => panel::grid_title(p),
        (Showing::Shared, Some(m), _) => format!(
            "SHARED scores from {}, read-only · c or Esc: back to yours",
            m.appraisal_name()
        ),
        (_, Some(m), _) => format!("{}'s scores · {}", m.member, sizes(n_opt, n_crit)),
        _ => format!("Scores · {}", sizes(n_opt, n_crit)),
    };
    if last_row - first_row < n_opt {
        title.push_str(&format!(" · rows {}-{}", first_row + 1, last_row));
    }
    if last_col - first_col < n_col {
        title.push_str(&format!(" · columns {}-{}", first_col + 1, last_col));
    }
    if t.by_rank {
        title.push_str(" · by rank");
    }
    title
}

/// "8 options × 1 criterion": an appraisal's size, in the right number.
fn sizes(options: usize, criteria: usize) -> String {
    format!(
        "{} × {}",
        numbers::count(options as f64, "option", "options"),
        numbers::count(criteria as f64, "criterion", "criteria")
    )
}

/// A criterion's code, as the grid, the key and the reports name it: C1, C2, ...
pub fn code(c: usize) -> String {
    format!("C{}", c + 1)
}

/// The selected cell in words, for the line under the grid: the option's
/// full name, the criterion, and the score (or consensus) there.
fn cell_line(cell: &SelectedCell, codes: bool) -> Line<'static> {
    let a = cell.appraisal;
    let (o, c) = cell.at;
    let (Some(opt), Some(crit)) = (a.options().get(o), a.criteria().get(c)) else {
        return Line::default();
    };
    let scale = a.scale_of(c);
    let of = |v: f64| format!("{} of {}", numbers::score(v), numbers::score(scale.max()));
    let fold = cell.fold;
    let what = match cell.showing {
        _ if fold.is_some() => {
            let g = fold.unwrap_or_default();
            let sub = super::v2::subtotal(cell.results, o, g).map_or_else(
                || "no subtotal".to_owned(),
                |(v, max)| format!("subtotal {} of {}", numbers::total(v), numbers::total(max)),
            );
            format!(
                "{sub} over {} criteria (folded: {})",
                super::v2::criteria_in(a, g),
                super::v2::fold_key_words(a, g)
            )
        }
        Showing::Own if crit.measure().is_some() => {
            super::v2::measured_words(a, o, c).unwrap_or_default()
        }
        Showing::Own => opt.score(c).map_or_else(
            || "not scored yet".to_owned(),
            |v| format!("score {}", of(v)),
        ),
        Showing::Shared => {
            let yours = cell
                .own
                .options()
                .get(o)
                .and_then(|x| x.score(c))
                .map_or_else(
                    || "you have not scored it".to_owned(),
                    |v| format!("yours {}", numbers::score(v)),
                );
            match opt.score(c) {
                Some(v) => format!("shared score {} ({yours})", of(v)),
                None => format!("no shared score ({yours})"),
            }
        }
        Showing::Panel => {
            let cell = cell
                .panel
                .and_then(panel::PanelState::merged)
                .and_then(|m| m.cells.get(o))
                .and_then(|r| r.get(c));
            match cell.and_then(|x| x.consensus.zip(x.spread)) {
                Some((v, spread)) => format!(
                    "consensus {}, spread {}",
                    numbers::total(v),
                    panel::spread_text(spread, scale)
                ),
                None => "no member has scored it".to_owned(),
            }
        }
    };
    let mut spans = vec![
        Span::raw("▶ "),
        Span::styled(super::v2::option_label(a, o), bold()),
        Span::raw(" · "),
    ];
    match fold.and_then(|g| a.groups().get(g)) {
        Some(g) => spans.push(Span::styled(g.name().to_owned(), bold())),
        None => {
            if codes {
                spans.push(Span::styled(format!("{} ", code(c)), bold()));
            }
            spans.push(Span::styled(crit.name().to_owned(), bold()));
        }
    }
    spans.push(Span::raw(format!(" · {what}")));
    if let Some(why) = super::v2::screened_reason(a, o) {
        spans.push(Span::raw(format!(" · screened out: {why}")));
    }
    if cell.showing != Showing::Panel
        && let Some(p) = opt
            .published()
            .filter(|_| app::published_differs(a, cell.results, o))
    {
        spans.push(Span::raw(format!(" · ≠ published total {}", p.text())));
    }
    Line::from(spans)
}

/// The details pane's heading and lines for the selected cell: the group
/// folded there, the members on it in the panel view, or its details.
/// `doc_name` is the document's file, as the panel names it.
fn details_content(
    cell: &SelectedCell,
    doc_name: &str,
    codes: bool,
) -> (&'static str, Vec<Line<'static>>) {
    let (o, c) = cell.at;
    match (cell.fold, cell.showing, cell.panel) {
        (Some(g), _, _) => (
            "Group",
            super::v2::group_lines(cell.appraisal, cell.results, o, g)
                .into_iter()
                .map(Line::from)
                .collect(),
        ),
        (None, Showing::Panel, Some(p)) => (
            "Members on this cell",
            panel::details_lines(p, cell.own, (o, c), doc_name),
        ),
        (None, showing, _) => (
            if showing == Showing::Shared {
                "Details, shared scores"
            } else {
                "Details"
            },
            details::cell_details(
                cell.appraisal,
                cell.results,
                (o, c),
                showing == Showing::Shared,
                codes,
            ),
        ),
    }
}

/// The message line's text and style: the latest message, or else what
/// the grid shows and how the work stands.
fn message_text(m: &MessageInputs) -> (String, Style) {
    match m.message {
        Some(msg) if msg.severity == Severity::Error => {
            let style = if m.colour {
                bold().fg(Color::Red)
            } else {
                bold()
            };
            (format!(" ⚠ {}", msg.text), style)
        }
        Some(msg) => (format!(" {}", msg.text), Style::default()),
        None if m.jobs.export.is_some() || m.jobs.loading_panel => {
            (format!(" {}", job_line(m.jobs)), bold())
        }
        None if m.showing == Showing::Panel => {
            let flagged = m
                .panel
                .and_then(panel::PanelState::merged)
                .map_or(0, |merged| merged.flagged().len());
            (
                format!(
                    " Panel view, read-only · {} flagged · f next flagged · m method · p or Esc close",
                    numbers::count(flagged as f64, "cell", "cells")
                ),
                Style::default().add_modifier(Modifier::DIM),
            )
        }
        None if m.showing == Showing::Shared => (
            format!(
                " Shared scores from {}, read-only · c or Esc: back to your own scores",
                m.member
                    .map(MemberSheet::appraisal_name)
                    .unwrap_or_default()
            ),
            bold(),
        ),
        None => {
            let summary = m.summary;
            let unscored = summary.unscored;
            let mut s = if m.dirty {
                " ● Unsaved changes".to_owned()
            } else {
                " All changes saved".to_owned()
            };
            if unscored > 0 {
                s.push_str(&format!(
                    " · {} to score (·)",
                    numbers::count(unscored as f64, "cell", "cells")
                ));
            }
            if summary.incomplete {
                s.push_str(" · * total of scored cells only");
            }
            if summary.published_differ > 0 {
                s.push_str(" · ≠ published total differs");
            }
            (s, Style::default().add_modifier(Modifier::DIM))
        }
    }
}

/// Work under way in the background, in words: "Exporting review.docx:
/// writing the word document… 3 s (keep working meanwhile)".
fn job_line(jobs: &app::Jobs) -> String {
    match &jobs.export {
        Some(p) => {
            let clock = if p.seconds > 0 {
                format!(" {} s", p.seconds)
            } else {
                String::new()
            };
            format!(
                "{}: {}…{clock} (you can keep working meanwhile)",
                p.what, p.stage
            )
        }
        None => "Reading the members' sheets…".to_owned(),
    }
}

/// The message line: the latest message, or what the grid shows, in its style.
#[derive(Debug, Clone)]
struct MessageLine {
    text: String,
    style: Style,
}

impl Widget for MessageLine {
    fn render(self, area: Rect, buf: &mut Buffer) {
        // One column of margin, kept on every line when the message wraps.
        let inner = Rect::new(
            area.x + 1.min(area.width),
            area.y,
            area.width.saturating_sub(1),
            area.height,
        );
        Paragraph::new(Line::styled(self.text.trim_start().to_owned(), self.style))
            .wrap(Wrap { trim: false })
            .render(inner, buf);
    }
}

fn render_keys(app: &App, area: Rect, buf: &mut Buffer) {
    let hints = keymap::hints(app);
    super::hint_bar::HintBar { hints: &hints }.render(area, buf);
}

/// The help screen: what the scale means, then every key, scrolled.
#[derive(Debug, Clone, Copy)]
struct HelpScreen<'a> {
    /// The appraisal's scale.
    scale: &'a crate::model::Scale,
    /// Whether the appraisal has criteria groups (for the folding keys).
    grouped: bool,
    /// Lines scrolled.
    scroll: u16,
}

impl Widget for HelpScreen<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        pane_title(
            area,
            buf,
            "Help: the scale and every key (↑↓ scroll, any other key closes)",
            true,
        );
        let lines = help_screen_lines(
            self.scale,
            usize::from(area.width.saturating_sub(2)),
            self.grouped,
        );
        let inner = Rect::new(
            area.x + 1.min(area.width),
            area.y + 1.min(area.height),
            area.width.saturating_sub(2),
            area.height.saturating_sub(1),
        );
        Paragraph::new(lines)
            .scroll((self.scroll, 0))
            .render(inner, buf);
    }
}

/// A box centred in `area`, cleared and framed, returning its inside.
fn popup(area: Rect, w: u16, h: u16, title: &str, buf: &mut Buffer) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    let x = area.x + (area.width - w) / 2;
    let y = area.y + (area.height - h) / 2;
    let r = Rect::new(x, y, w, h);
    Clear.render(r, buf);
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Line::styled(format!(" {title} "), bold()));
    let inner = block.inner(r);
    block.render(r, buf);
    inner
}

/// Where each screen line of one text line starts and ends (character
/// offsets), breaking after a space where possible so words stay whole.
fn segments(chars: &[char], w: usize) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    while chars.len() - start > w {
        let hard = start + w;
        let end = (start + 1..=hard)
            .rev()
            .find(|&i| chars[i - 1] == ' ')
            .unwrap_or(hard);
        out.push((start, end));
        start = end;
    }
    out.push((start, chars.len()));
    out
}

/// Splits text into screen lines of at most `w` characters, word by word,
/// returning them and where the cursor falls (line, column).
fn wrap_with_cursor(
    lines: &[String],
    cursor: (usize, usize),
    w: usize,
) -> (Vec<String>, (usize, usize)) {
    let w = w.max(1);
    let mut out = Vec::new();
    let mut at = (0, 0);
    for (i, l) in lines.iter().enumerate() {
        let chars: Vec<char> = l.chars().collect();
        let mut segs = segments(&chars, w);
        let col = cursor.1.min(chars.len());
        // A cursor at the very end of a full line goes on a fresh line.
        if i == cursor.0 && col == chars.len() && segs.last().is_some_and(|&(s, e)| e - s == w) {
            segs.push((chars.len(), chars.len()));
        }
        for (k, &(s, e)) in segs.iter().enumerate() {
            let last = k + 1 == segs.len();
            if i == cursor.0 && col >= s && (col < e || last) {
                at = (out.len(), col - s);
            }
            out.push(chars[s..e].iter().collect());
        }
    }
    (out, at)
}

fn draw_input(
    lines: &[String],
    cursor: (usize, usize),
    area: Rect,
    buf: &mut Buffer,
) -> Option<Position> {
    let (wrapped, (cy, cx)) =
        wrap_with_cursor(lines, cursor, usize::from(area.width.saturating_sub(1)));
    let h = usize::from(area.height).max(1);
    let top = cy.saturating_sub(h - 1);
    for (i, l) in wrapped.iter().skip(top).take(h).enumerate() {
        buf.set_stringn(
            area.x,
            area.y + i as u16,
            l,
            area.width as usize,
            Style::default(),
        );
    }
    let x = area.x + cx as u16;
    let y = area.y + (cy - top) as u16;
    if x < area.right()
        && y < area.bottom()
        && let Some(cell) = buf.cell_mut((x, y))
    {
        if cell.symbol().trim().is_empty() {
            cell.set_symbol(" ");
        }
        cell.set_style(Style::default().add_modifier(Modifier::REVERSED));
        return Some(Position::new(x, y));
    }
    None
}

/// A prompt's question and help, in the app's words.
fn prompt_words(app: &App, kind: &PromptKind) -> (String, String) {
    let a = app.doc.appraisal();
    match kind {
        PromptKind::Weight(c) => match a
            .criteria()
            .get(*c)
            .and_then(|k| Some((k, a.groups().get(k.group()?)?)))
        {
            Some((k, g)) => (
                format!("Weight of {} within {}", k.name(), g.name()),
                format!(
                    "Now {}. A number of 0 or more, relative to the others in {} (only the ratios matter), or a share of the group with %",
                    super::v2::weight_words(a, *c),
                    g.name()
                ),
            ),
            None => (
                format!(
                    "Weight of {}",
                    a.criteria().get(*c).map_or("", |x| x.name())
                ),
                "A number of 0 or more (only the ratios between weights matter), or a share of the total weight with %: 20% makes it a fifth".to_owned(),
            ),
        },
        PromptKind::Measure(o, c) => {
            let crit = a.criteria().get(*c);
            let m = crit.and_then(|k| k.measure());
            let unit = m
                .and_then(|m| m.unit.as_deref())
                .map(|u| format!(" ({u})"))
                .unwrap_or_default();
            let how = super::v2::function_words(a, *c).unwrap_or_default();
            (
                format!(
                    "Raw value{unit}: {} on {}",
                    a.options().get(*o).map_or(String::new(), |x| x.label()),
                    crit.map_or("", |k| k.name())
                ),
                format!("A number; empty clears it. The score follows: {how}"),
            )
        }
        PromptKind::RenameOption(_) => ("Rename option".to_owned(), "One line of text".to_owned()),
        PromptKind::RenameCriterion(_) => {
            ("Rename criterion".to_owned(), "One line of text".to_owned())
        }
        PromptKind::AddOption => (
            "New option".to_owned(),
            "Its name; it is added below the selected option, unscored".to_owned(),
        ),
        PromptKind::AddCriterion => (
            "New criterion".to_owned(),
            "Its name; it is added right of the selected column with weight 1".to_owned(),
        ),
        PromptKind::SaveAs { .. } => (
            "Save as".to_owned(),
            "File to save to (a .toml file); relative to the folder appraise was started in"
                .to_owned(),
        ),
        PromptKind::ExportPath(f) => (
            format!(
                "Export: {}",
                export::FORMATS
                    .get(*f)
                    .map_or("", |x| export::label(app.doc.target(), x))
            ),
            if export::FORMATS.get(*f).is_some_and(|x| x.is_folder()) {
                "Folder to write the files into (it is created if needed)".to_owned()
            } else {
                "File to write; relative to the folder appraise was started in".to_owned()
            },
        ),
    }
}

/// A question's title and body, in the app's words.
fn question_words(app: &App, c: &Confirm) -> (&'static str, Vec<String>) {
    let a = app.doc.appraisal();
    match c {
        Confirm::RecoveryClash(_) => ("", Vec::new()),
        Confirm::Quit => (
            "Unsaved changes",
            vec!["You have changes that are not saved.".into()],
        ),
        Confirm::RemoveOption(o) => (
            "Remove option?",
            vec![format!(
                "Remove {} and all its scores and notes?",
                a.options().get(*o).map_or("", |x| x.name())
            )],
        ),
        Confirm::RemoveCriterion(ci) => (
            "Remove criterion?",
            vec![format!(
                "Remove {} and every option's score and note for it?",
                a.criteria().get(*ci).map_or("", |x| x.name())
            )],
        ),
        Confirm::Conflict { .. } => (
            "File changed on disk",
            vec![
                format!(
                    "{} was changed by another program since you opened it.",
                    app.doc.display_name()
                ),
                "Its options or criteria no longer match yours (added, removed or moved), or it cannot be read, so the two cannot be merged cell by cell: saving now would overwrite those changes.".into(),
            ],
        ),
        Confirm::ReplaceExport { existing, path, .. } => (
            "Replace file?",
            vec![format!("{} already holds {existing}.", path.display())],
        ),
        Confirm::Replace { path, .. } => (
            "Replace file?",
            vec![format!("{} already exists.", path.display())],
        ),
        Confirm::Discard { what, .. } => ("Discard changes?", vec![format!("Throw away {what}?")]),
        Confirm::Recovery { left_by, .. } => (
            "Unsaved work found",
            vec![
                "Changes from an earlier session were not saved".into(),
                match left_by {
                    Some(who) => format!("(left by {who})."),
                    None => "(appraise may have closed unexpectedly).".into(),
                },
            ],
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapping_places_the_cursor() {
        let lines = vec!["abcdef".to_owned(), "gh".to_owned()];
        let (w, at) = wrap_with_cursor(&lines, (0, 4), 4);
        assert_eq!(w, vec!["abcd", "ef", "gh"]);
        assert_eq!(at, (1, 0));
        let words = vec!["one two three".to_owned()];
        let (w, at) = wrap_with_cursor(&words, (0, 9), 8);
        assert_eq!(w, vec!["one two ", "three"]);
        assert_eq!(at, (1, 1));
        let (_, at) = wrap_with_cursor(&lines, (1, 2), 4);
        assert_eq!(at, (2, 2));
        let (w, at) = wrap_with_cursor(&["abcd".to_owned()], (0, 4), 4);
        assert_eq!(w, vec!["abcd", ""]);
        assert_eq!(at, (1, 0));
    }

    #[test]
    fn headers_split_over_two_lines() {
        assert_eq!(two_lines("Risk", 5), ("Risk".into(), String::new()));
        assert_eq!(
            two_lines("Child focused", 8),
            ("Child".into(), "focused".into())
        );
        assert_eq!(
            two_lines("Partnerships", 8),
            ("Partner-".into(), "ships".into())
        );
        assert_eq!(
            two_lines("Political oversight and governance", 8),
            ("Politic…".into(), "oversig…".into())
        );
        assert_eq!(two_lines("Criterion 12", 5), ("Crit…".into(), "12".into()));
    }

    #[test]
    fn totals_keep_to_their_column() {
        assert_eq!(total_text(33.0, 2, 5), "33");
        assert_eq!(total_text(20.82, 2, 5), "20.82");
        assert_eq!(total_text(20.82, 1, 5), "20.8");
        assert_eq!(total_text(106.25, 2, 5), "106.3");
        assert_eq!(total_text(1234.56, 2, 5), "1235");
    }

    #[test]
    fn counts_agree_in_number() {
        assert_eq!(sizes(1, 1), "1 option × 1 criterion");
        assert_eq!(sizes(8, 0), "8 options × 0 criteria");
        let mut app = App::new(crate::load::load_example().unwrap(), None);
        app.view.size = (120, 40);
        let mut recovered = app.doc.appraisal().clone();
        let new = if recovered.options()[0].score(0) == Some(1.0) {
            2.0
        } else {
            1.0
        };
        recovered.set_score(0, 0, Some(new)).unwrap();
        let k = app::Clashes::between(recovered, app.doc.appraisal(), "r".into()).unwrap();
        app.view.mode = Mode::Confirm(Confirm::RecoveryClash(Box::new(k)));
        let mut buf = Buffer::empty(Rect::new(0, 0, 120, 40));
        (&app).render(buf.area, &mut buf);
        let text: String = buf.content.iter().map(|c| c.symbol()).collect();
        assert!(text.contains("kept. 1 cell differs; choose"), "{text}");
    }

    /// Each content function is made from its inputs alone, with no `App`.
    #[test]
    fn the_selected_cell_line_reads_the_shared_and_own_scores_given() {
        let shared = crate::load::load_example().unwrap().appraisal;
        let mut own = shared.clone();
        own.set_score(0, 0, Some(2.0)).unwrap();
        let results = crate::compute::compute(&shared);
        let cell = SelectedCell {
            appraisal: &shared,
            results: &results,
            own: &own,
            showing: Showing::Shared,
            at: (0, 0),
            fold: None,
            panel: None,
        };
        assert_eq!(
            cell_line(&cell, false).to_string(),
            "▶ Peer Practice Partner · Child focused · shared score 4 of 5 (yours 2)"
        );
        assert_eq!(
            cell_line(&cell, true).to_string(),
            "▶ Peer Practice Partner · C1 Child focused · shared score 4 of 5 (yours 2)"
        );
        let own_view = SelectedCell {
            showing: Showing::Own,
            at: (7, 0),
            ..cell
        };
        // Shared Service's published total (24) is not its scores' sum (26).
        assert_eq!(
            cell_line(&own_view, false).to_string(),
            "▶ Shared Service · Child focused · score 4 of 5 · ≠ published total 24"
        );
        let (what, lines) = details_content(&cell, "review.toml", false);
        assert_eq!(what, "Details, shared scores");
        assert_eq!(
            lines,
            details::cell_details(&shared, &results, (0, 0), true, false)
        );
        let outside = SelectedCell {
            at: (99, 0),
            ..cell
        };
        assert_eq!(cell_line(&outside, false), Line::default());
    }

    #[test]
    fn the_title_and_message_line_say_what_their_inputs_hold() {
        let title = TitleInputs {
            title: "Library review",
            member: Some("Cllr A. Clark"),
            file: "review.cllr-a-clark.sheet.toml".to_owned(),
            dirty: true,
        };
        assert_eq!(
            title_words(&title),
            (
                " appraise │ Library review · Cllr A. Clark's scoresheet".to_owned(),
                " review.cllr-a-clark.sheet.toml ● ".to_owned()
            )
        );
        let error = app::Message {
            severity: Severity::Error,
            text: "Not saved".to_owned(),
        };
        let jobs = app::Jobs::default();
        let summary = Summary {
            unscored: 3,
            incomplete: true,
            longest_name: 10,
            published_differ: 0,
        };
        let m = MessageInputs {
            message: Some(&error),
            colour: false,
            jobs: &jobs,
            showing: Showing::Own,
            panel: None,
            member: None,
            dirty: true,
            summary: &summary,
        };
        assert_eq!(message_text(&m), (" ⚠ Not saved".to_owned(), bold()));
        assert_eq!(
            message_text(&MessageInputs { colour: true, ..m }).1,
            bold().fg(Color::Red)
        );
        assert_eq!(
            message_text(&MessageInputs { message: None, ..m }),
            (
                " ● Unsaved changes · 3 cells to score (·) · * total of scored cells only"
                    .to_owned(),
                Style::default().add_modifier(Modifier::DIM)
            )
        );
        let reading = app::Jobs {
            loading_panel: true,
            ..app::Jobs::default()
        };
        assert_eq!(
            message_text(&MessageInputs {
                message: None,
                jobs: &reading,
                ..m
            }),
            (" Reading the members' sheets…".to_owned(), bold())
        );
        let grid = GridTitleInputs {
            showing: Showing::Own,
            member: None,
            panel: None,
            options: 8,
            criteria: 8,
            columns: 8,
            offsets: (2, 0),
            visible: (3, 8),
            by_rank: true,
        };
        assert_eq!(
            grid_title(&grid),
            "Scores · 8 options × 8 criteria · rows 3-5 · by rank"
        );
    }

    #[test]
    fn marks_rise_with_the_score() {
        let s = Scale::new(0.0, 5.0, 1.0).unwrap();
        assert_eq!(mark(&s, 0.0), '▁');
        assert_eq!(mark(&s, 5.0), '█');
        assert!(mark(&s, 2.0) < mark(&s, 3.0));
    }
}
