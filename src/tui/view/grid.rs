//! The score grid: frozen headers, one row per option, a cell per
//! criterion, the totals, and the line that describes the selected cell.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Widget, Wrap};

use crate::compute::Results;
use crate::model::Appraisal;
use crate::numbers;
use crate::panel::{Merged, Sheet};

use super::super::doc::published_differs;
use super::super::panel;
use super::super::v2;
use super::{
    GridGeometry, RIGHT_W, bold, code, fit, heat, heat_at, mark, mark_at, pane_title, row_line,
    total_text, two_lines,
};

/// What the grid draws, and nothing more.
#[derive(Debug, Clone)]
pub struct GridView<'a> {
    /// The appraisal whose scores are shown (the member's, the shared one,
    /// or the panel's consensus).
    pub appraisal: &'a Appraisal,
    /// Its totals and ranks.
    pub results: &'a Results,
    /// In the panel view, the merge: consensus cells shaded by disagreement.
    pub merged: Option<&'a Merged>,
    /// In the panel view, the members' sheets, for their notes.
    pub sheets: Option<&'a [Sheet]>,
    /// The options in the order the rows show them.
    pub order: Vec<usize>,
    /// The selected option (file index) and criterion.
    pub option: usize,
    /// The selected criterion.
    pub criterion: usize,
    /// The first row and column shown (a column is a position in `columns`).
    pub offsets: (usize, usize),
    /// The columns, as criterion indices (a folded group's first criterion
    /// stands for the group).
    pub columns: Vec<usize>,
    /// The folded groups.
    pub folded: Vec<usize>,
    /// The display row of the heading over options screened out, if shown.
    pub heading: Option<usize>,
    /// Where everything goes.
    pub geometry: GridGeometry,
    /// The pane's title.
    pub title: String,
    /// Whether the grid has the keyboard.
    pub focused: bool,
    /// Whether these are the shared scores (the title is then reversed).
    pub shared: bool,
    /// Whether colour may be used.
    pub colour: bool,
    /// The selected cell in words, under the rows.
    pub cell_line: Line<'static>,
}

/// Whether criterion `c` is measured (its cells hold raw values).
fn crit_measured(a: &Appraisal, c: usize) -> bool {
    a.criteria().get(c).is_some_and(|k| k.measure().is_some())
}

/// Competition rank as written in UK tables: "3=" for a tie.
fn rank_text(results: &Results, o: usize) -> String {
    let r = &results.options;
    let Some(me) = r.get(o) else {
        return String::new();
    };
    if me.screened_out {
        return "out".to_owned();
    }
    let tied = r.iter().filter(|x| x.rank == me.rank).count() > 1;
    if tied {
        format!("{}=", me.rank)
    } else {
        me.rank.to_string()
    }
}

impl Widget for GridView<'_> {
    fn render(self, pane: Rect, buf: &mut Buffer) {
        let g = self.geometry;
        let a = self.appraisal;
        let res = self.results;
        let merged = self.merged;
        let order = &self.order;
        let n_opt = order.len();
        let columns = &self.columns;
        let n_crit = columns.len();
        let fold_of = |c: usize| v2::folded_group_of(a, c, &self.folded);
        let first_row = self.offsets.0.min(n_opt);
        let last_row = (first_row + g.rows_visible).min(n_opt);
        let first_col = self.offsets.1.min(n_crit);
        let last_col = (first_col + g.cols_visible).min(n_crit);
        let title = &self.title;
        pane_title(pane, buf, title, self.focused);
        if self.shared && pane.height > 0 {
            // Reversed, so that nobody mistakes the shared scores for their own.
            let w = (title.chars().count() as u16 + 1).min(pane.width.saturating_sub(2));
            buf.set_style(
                Rect::new(pane.x + 2.min(pane.width), pane.y, w, 1),
                bold().add_modifier(Modifier::REVERSED),
            );
        }
        let inner = g.inner;
        if inner.height == 0 || inner.width == 0 {
            return;
        }
        let colour = self.colour;
        let x0 = inner.x;
        let y0 = inner.y;
        let right_x = x0 + g.name_w + g.cell_w * (last_col - first_col) as u16;
        let cw = usize::from(g.cell_w - 1);
        let head = bold();
        // The weights line is the header's last.
        let wy = y0 + g.header_h - 1;
        let col_x = |pos: usize| x0 + g.name_w + g.cell_w * (pos - first_col) as u16 + 1;
        // With criteria groups, the first line heads each run of columns
        // under the same top-level group, and the criteria start below it.
        let grouped = !a.groups().is_empty();
        let y0 = if grouped {
            let mut pos = first_col;
            while pos < last_col {
                let top = v2::top_group(a, columns[pos]);
                let mut end = pos + 1;
                while end < last_col && v2::top_group(a, columns[end]) == top {
                    end += 1;
                }
                if let Some(name) = top.and_then(|t| a.groups().get(t)).map(|t| t.name()) {
                    let w = usize::from(g.cell_w) * (end - pos) - 1;
                    let text = format!(" {} ", fit(name, w.saturating_sub(2)));
                    buf.set_stringn(col_x(pos), y0, format!("{text:─^w$}"), w, head);
                }
                pos = end;
            }
            y0 + 1
        } else {
            y0
        };
        // Frozen header: option column, criteria, totals.
        let left_hint = if first_col > 0 { "◀ more" } else { "" };
        buf.set_stringn(x0, y0, "Option", usize::from(g.name_w), head);
        buf.set_stringn(x0, wy, left_hint, usize::from(g.name_w), Style::default());
        let selected_fold = fold_of(self.criterion);
        for (pos, &c) in columns.iter().enumerate().take(last_col).skip(first_col) {
            let crit = &a.criteria()[c];
            let x = col_x(pos);
            let fold = fold_of(c);
            let sel = match fold {
                Some(g) => selected_fold == Some(g),
                None => c == self.criterion,
            };
            let style = if sel {
                head.add_modifier(Modifier::REVERSED)
            } else {
                head
            };
            let (name, figure) = match fold.and_then(|f| a.groups().get(f).map(|x| (f, x))) {
                Some((f, group)) => (
                    format!("+{}", group.name()),
                    a.group_weights().get(f).copied().unwrap_or(0.0),
                ),
                None => (crit.name().to_owned(), v2::shown_weight(a, c)),
            };
            if g.codes {
                let label = if fold.is_some() {
                    fit(&name, cw)
                } else {
                    code(c)
                };
                buf.set_stringn(x, y0, format!("{label:^cw$}"), cw, style);
            } else {
                let (l1, l2) = two_lines(&name, cw);
                buf.set_stringn(x, y0, format!("{l1:^cw$}"), cw, style);
                buf.set_stringn(x, y0 + 1, format!("{l2:^cw$}"), cw, style);
            }
            let figure = numbers::weight(figure);
            let mut w = format!("w{figure}");
            if w.chars().count() > cw {
                w = figure;
            } else if cw >= 10 {
                // A folded group shows its share as a criterion does, so
                // the weights line reads alike across the columns.
                let share = match fold {
                    Some(f) => v2::group_share(a, f),
                    None => v2::share(a, c),
                };
                w.push_str(&format!(" {share}"));
            }
            let wstyle = if sel {
                Style::default().add_modifier(Modifier::REVERSED)
            } else {
                Style::default()
            };
            buf.set_stringn(x, wy, format!("{w:^cw$}"), cw, wstyle);
        }
        if last_col < n_crit {
            buf.set_stringn(right_x.saturating_sub(1), wy, "▶", 1, head);
        }
        if right_x + RIGHT_W <= inner.right() {
            buf.set_stringn(right_x, wy - 1, " Total     % Rank", 17, head);
            buf.set_stringn(
                right_x,
                wy,
                format!("{:>6}", format!("/{}", numbers::total(res.max_total))),
                6,
                Style::default(),
            );
        }
        // The heading over the options screened out.
        let heading = self.heading.filter(|&h| h >= first_row && h < last_row);
        if let Some(h) = heading {
            let y = row_line(&g, first_row, None, h);
            if y < inner.bottom() {
                let w = usize::from(right_x - x0);
                let text = format!(
                    "{:─<w$}",
                    "── Screened out, not ranked (select one to see why) "
                );
                buf.set_stringn(
                    x0,
                    y,
                    &text,
                    w,
                    Style::default().add_modifier(Modifier::DIM),
                );
            }
        }
        // Option rows.
        for (i, &o) in order[first_row..last_row].iter().enumerate() {
            let y = row_line(&g, first_row, heading, first_row + i);
            if y >= inner.bottom() {
                break;
            }
            let opt = &a.options()[o];
            let out = opt.screened_out();
            let selected_row = o == self.option;
            let name_style = match (selected_row, out) {
                (true, _) => bold(),
                (false, true) => Style::default().add_modifier(Modifier::DIM),
                (false, false) => Style::default(),
            };
            let marker = if selected_row { "▶ " } else { "  " };
            let nw = usize::from(g.name_w);
            let room = nw.saturating_sub(3);
            let label = opt.label();
            let shown = if !opt.is_baseline() {
                fit(&label, room)
            } else if label.chars().count() + 11 <= room {
                format!("{label} (baseline)")
            } else {
                format!("{} (base)", fit(&label, room.saturating_sub(7)))
            };
            buf.set_stringn(x0, y, format!("{marker}{shown}"), nw, name_style);
            for (pos, &c) in columns.iter().enumerate().take(last_col).skip(first_col) {
                let x = col_x(pos);
                let fold = fold_of(c);
                let selected = selected_row
                    && match fold {
                        Some(g) => selected_fold == Some(g),
                        None => c == self.criterion,
                    };
                let scale = a.scale_of(c);
                let measured = crit_measured(a, c);
                let panel_cell = merged
                    .filter(|_| fold.is_none())
                    .and_then(|m| m.cells.get(o))
                    .and_then(|r| r.get(c));
                let (text, mut style) = match (panel_cell, opt.score(c)) {
                    _ if fold.is_some() => {
                        let sub = fold.and_then(|f| v2::subtotal(res, o, f));
                        match sub {
                            Some((v, max)) => {
                                let f = if max > 0.0 { v / max } else { 0.0 };
                                let t = numbers::total(v);
                                let text = format!("{:^cw$}", format!("{t} {}", mark_at(f)));
                                let style = if colour && !out {
                                    let (bg, fg) = heat_at(f);
                                    Style::default().bg(bg).fg(fg)
                                } else {
                                    Style::default()
                                };
                                (text, style)
                            }
                            None => (format!("{:^cw$}", "·"), Style::default()),
                        }
                    }
                    (Some(cell), _) => panel::cell_show(cell, cw, colour),
                    (None, score) => match score {
                        Some(v) => {
                            // A measured cell shows its raw value; the bar
                            // and colour show the score derived from it.
                            let s = match opt.measure(c).filter(|_| measured) {
                                Some(raw) => v2::raw_text(raw),
                                None => numbers::score(v),
                            };
                            let score_w = g.score_w;
                            let text =
                                format!("{:^cw$}", format!("{s:>score_w$} {}", mark(scale, v)));
                            let style = if colour && !out {
                                let (bg, fg) = heat(scale, v);
                                Style::default().bg(bg).fg(fg)
                            } else {
                                Style::default()
                            };
                            (text, style)
                        }
                        None => (
                            format!("{:^cw$}", "·"),
                            Style::default().add_modifier(Modifier::DIM),
                        ),
                    },
                };
                if out {
                    style = style.add_modifier(Modifier::DIM);
                }
                let has_note = match self.sheets {
                    _ if fold.is_some() => false,
                    Some(sheets) => panel::any_note(sheets, o, c),
                    None => opt.note(c).is_some(),
                };
                if has_note {
                    // The gap before a cell shows ¶ when the cell has a note.
                    buf.set_stringn(
                        x - 1,
                        y,
                        "¶",
                        1,
                        Style::default().add_modifier(Modifier::DIM),
                    );
                }
                if selected {
                    style = style.add_modifier(Modifier::REVERSED | Modifier::BOLD);
                }
                buf.set_stringn(x, y, &text, cw, style);
            }
            if right_x + RIGHT_W <= inner.right()
                && let Some(r) = res.options.get(o)
            {
                // A total loses decimal places rather than run into its
                // neighbours. Consensus totals are shown to one place, in four
                // characters, so a space always separates them from the last cell.
                let (places, width) = if self.merged.is_some() {
                    (1, 4)
                } else {
                    (2, 5)
                };
                // * some cells unscored; ≠ a published total that differs,
                // kept beside the total for as long as the difference stands.
                let mut flags = String::new();
                if !r.complete {
                    flags.push('*');
                }
                if self.merged.is_none() && published_differs(a, res, o) {
                    flags.push('≠');
                }
                let width = width + 1 - flags.chars().count().max(1);
                let total = format!(
                    "{}{}",
                    total_text(r.total, places, width),
                    if flags.is_empty() { " " } else { &flags }
                );
                let percent = if out {
                    String::new()
                } else {
                    numbers::percent_figure(r.percent)
                };
                let line = format!("{:>6}{:>6}{:>5}", total, percent, rank_text(res, o));
                let style = if r.rank == 1 {
                    bold()
                } else {
                    Style::default()
                };
                buf.set_stringn(right_x, y, &line, 17, style);
            }
        }
        // The selected cell, in words: the option's full name, the criterion
        // (by code and name) and the score.
        let cell_y = g.first_row_y() + g.rows_visible as u16 + u16::from(self.heading.is_some());
        if g.cell_line_h > 0 && cell_y < inner.bottom() {
            let area = Rect::new(
                x0,
                cell_y,
                inner.width,
                g.cell_line_h.min(inner.bottom() - cell_y),
            );
            Paragraph::new(self.cell_line)
                .wrap(Wrap { trim: false })
                .render(area, buf);
        }
    }
}
