//! The live sensitivity view: the analysis kept up to date as scores and
//! weights change, and the panel that shows it.
//!
//! The analysis is derived data: `update` refreshes it after an edit while
//! the view is open (see [`Live::is_current`]), and rendering only reads it,
//! so rendering stays pure.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::symbols::Marker;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Axis, Chart, Dataset, GraphType, Paragraph, Widget, Wrap};

use crate::model::Appraisal;
use crate::numbers;
use crate::sensitivity::statements::statements;
use crate::sensitivity::{
    self, Exact, Smaa, SmaaConfig, SmaaError, Statement, StatementKind, WeightConstraints,
    WeightModel, ranges, smaa,
};

use super::measure::{fit, wrapped_height};

/// How far each weight may wander in the "near your weights" Monte Carlo run.
pub const NEAR_PERCENT: f64 = 25.0;

/// Seed for the live Monte Carlo run, so the same appraisal always shows the same figures.
pub const LIVE_SEED: u64 = 2017;

/// Score cells times samples each live Monte Carlo run may use: a
/// millisecond or two on one core, so both runs fit in a frame.
const LIVE_BUDGET: u64 = 200_000;

/// Appraisals with at most this many cells are analysed within the key
/// press that changed them, so the figures in the next frame are current.
/// Larger ones are analysed when the keys stop (see [`Live::is_current`]),
/// so typing never waits for the analysis.
pub const SYNC_CELLS: usize = 2_500;

/// Whether `appraisal` is small enough to analyse within a key press.
pub fn analyse_in_frame(appraisal: &Appraisal) -> bool {
    appraisal.options().len() * appraisal.criteria().len() <= SYNC_CELLS
}

/// How many samples the live view draws for an appraisal of this size.
pub fn live_samples(options: usize, criteria: usize) -> u64 {
    let cells = (options.max(1) * criteria.max(1)) as u64;
    (LIVE_BUDGET / cells).clamp(200, 20_000)
}

/// The analysis behind the live view, for one state of the appraisal.
///
/// It is worked out as `appraise sensitivity` works it out: on the
/// shortlist at effective weights ([`Appraisal::for_analysis`]), with the
/// Monte Carlo run of [`sensitivity::analyse_written`], so raw values given
/// as ranges are drawn from their ranges. It keeps the appraisal it was
/// worked out for, so the panel draws from one consistent state even while
/// a newer one is being analysed.
#[derive(Debug, Clone, PartialEq)]
pub struct Live {
    /// Which edit of the document this was computed for.
    pub version: u64,
    /// The appraisal as written: its groups, and weights as the file writes them.
    pub written: Appraisal,
    /// The appraisal as analysed, where it differs from `written`.
    analysed: Option<Appraisal>,
    /// For each option analysed, its index in `written` (file order).
    pub shortlist: Vec<usize>,
    /// Weight stability, score robustness and leave-one-out.
    pub exact: Exact,
    /// Monte Carlo rank acceptability over any weights, or why it could not run.
    pub smaa: Result<Smaa, String>,
    /// The same with each weight within ±[`NEAR_PERCENT`]% of its current
    /// value, which follows the weights as they are changed.
    pub smaa_near: Result<Smaa, String>,
    /// Plain-English statements, in reading order.
    pub statements: Vec<Statement>,
}

impl Live {
    /// Runs the analyses for `written`, the appraisal as it stands at `version`.
    pub fn compute(written: Appraisal, version: u64) -> Live {
        let analysed = match written.for_analysis() {
            std::borrow::Cow::Borrowed(_) => None,
            std::borrow::Cow::Owned(a) => Some(a),
        };
        let a = analysed.as_ref().unwrap_or(&written);
        let config = SmaaConfig {
            samples: live_samples(a.options().len(), a.criteria().len()),
            seed: LIVE_SEED,
            threads: Some(1),
            weights: WeightModel::Uniform,
            score_spread: 0.0,
        };
        // The live view shows every weighting; the panel's agreed weights
        // are for the report (`appraise sensitivity`).
        let any = WeightConstraints::new();
        let (s, failed) =
            match sensitivity::analyse_written(&written, a, &config, &any, None, &|_| {}) {
                Ok(s) => (s, None),
                Err(e) => (
                    sensitivity::analyse_exact(a).with_structure(&written, a),
                    Some(e.to_string()),
                ),
            };
        // Every kind of statement the report makes, group level and value
        // for money included, in the report's reading order.
        let statements = statements(a, &s);
        let smaa = s
            .smaa
            .ok_or_else(|| failed.unwrap_or_else(|| "no samples".to_owned()));
        let exact = s.exact;
        let near = SmaaConfig {
            weights: WeightModel::Spread {
                percent: NEAR_PERCENT,
            },
            ..config
        };
        let smaa_near = near_run(&written, a, &near).map_err(|e| e.to_string());
        let shortlist = (0..written.options().len())
            .filter(|&i| written.options().get(i).is_some_and(|o| !o.screened_out()))
            .take(a.options().len())
            .collect();
        Live {
            version,
            written,
            analysed,
            shortlist,
            exact,
            smaa,
            smaa_near,
            statements,
        }
    }

    /// Whether this analysis is for document version `version`.
    pub fn is_current(&self, version: u64) -> bool {
        self.version == version
    }

    /// The appraisal as analysed: the shortlist at effective weights.
    /// Option indices in the analyses count its options.
    pub fn analysed(&self) -> &Appraisal {
        self.analysed.as_ref().unwrap_or(&self.written)
    }

    /// The analysed index of option `o` of the appraisal as written, if it
    /// is on the shortlist.
    pub fn analysed_index(&self, o: usize) -> Option<usize> {
        self.shortlist.iter().position(|&i| i == o)
    }
}

/// The run near the current weights, with raw values given as ranges
/// drawn from their ranges as in the run over any weights.
fn near_run(
    written: &Appraisal,
    analysed: &Appraisal,
    near: &SmaaConfig,
) -> Result<Smaa, SmaaError> {
    if ranges::has_ranges(written) {
        smaa::smaa_ranges(written, analysed, near, &WeightConstraints::new(), &|_| {})
    } else {
        sensitivity::smaa(analysed, near)
    }
}

/// Colours for the chart's lines, when colour is allowed.
const LINE_COLOURS: [Color; 6] = [
    Color::Cyan,
    Color::Yellow,
    Color::Magenta,
    Color::Green,
    Color::Red,
    Color::Blue,
];

/// Markers for the chart's lines without colour, so lines can still be told apart.
const LINE_MARKERS: [(Marker, &str); 5] = [
    (Marker::Braille, "⣿"),
    (Marker::Dot, "•"),
    (Marker::Block, "█"),
    (Marker::HalfBlock, "▀"),
    (Marker::Bar, "▄"),
];

/// How many options the chart draws: the leaders at the current weights.
const CHART_OPTIONS: usize = 5;

fn bold() -> Style {
    Style::default().add_modifier(Modifier::BOLD)
}

/// The live panel: what it draws, and nothing more.
#[derive(Debug, Clone, Copy)]
pub struct LivePanel<'a> {
    /// The analysis, once worked out, with the appraisal it is of.
    pub live: Option<&'a Live>,
    /// The selected criterion, which the chart is about.
    pub criterion: usize,
    /// The selected option (in file order), always charted if shortlisted.
    pub option: usize,
    /// Whether colour may be used.
    pub colour: bool,
    /// Lines scrolled.
    pub scroll: u16,
}

impl LivePanel<'_> {
    /// The panel's whole height at `width`, for scrolling limits.
    pub fn height(&self, width: u16) -> u16 {
        match self.live {
            Some(live) => sections(self, live, width).iter().map(|s| s.height).sum(),
            None => 1,
        }
    }
}

impl Widget for LivePanel<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        render_panel(&self, area, buf);
    }
}

/// Draws the live panel into `area`, scrolled as it says.
fn render_panel(app: &LivePanel, area: Rect, buf: &mut Buffer) {
    let scroll = app.scroll;
    if area.width < 4 || area.height == 0 {
        return;
    }
    let Some(live) = app.live else {
        Paragraph::new("Working out the sensitivity…").render(area, buf);
        return;
    };
    // Sections are drawn one under another into a tall scratch buffer, then
    // the visible part is copied across, so the panel scrolls as one page.
    let width = area.width;
    let sections = sections(app, live, width);
    let total: u16 = sections.iter().map(|s| s.height).sum();
    let mut scratch = Buffer::empty(Rect::new(0, 0, width, total.max(1)));
    let mut y = 0;
    for s in &sections {
        let r = Rect::new(0, y, width, s.height);
        (s.draw)(app, live, r, &mut scratch);
        y += s.height;
    }
    let scroll = scroll.min(total.saturating_sub(area.height));
    for row in 0..area.height {
        let sy = scroll + row;
        if sy >= total {
            break;
        }
        for col in 0..width {
            if let (Some(to), Some(from)) = (
                buf.cell_mut((area.x + col, area.y + row)),
                scratch.cell((col, sy)),
            ) {
                *to = from.clone();
            }
        }
    }
}

type Draw = fn(&LivePanel, &Live, Rect, &mut Buffer);

struct Section {
    height: u16,
    draw: Draw,
}

fn sections(app: &LivePanel, live: &Live, width: u16) -> Vec<Section> {
    let n_opt = live.analysed().options().len();
    let n_crit = live.analysed().criteria().len();
    let blank = || Section {
        height: 1,
        draw: draw_blank,
    };
    vec![
        Section {
            height: wrapped_height(&statement_lines(live, HEADLINE), width),
            draw: draw_headline,
        },
        blank(),
        Section {
            height: wrapped_height(&criterion_lines(app, live), width),
            draw: draw_criterion,
        },
        Section {
            height: if n_opt > 1 {
                13 + wrapped_height(&[Line::from(chart_title(app, live))], width)
            } else {
                0
            },
            draw: draw_chart,
        },
        blank(),
        Section {
            height: wrapped_height(&acceptability_lines(app, live, width), width),
            draw: draw_acceptability,
        },
        blank(),
        Section {
            height: wrapped_height(&stability_lines(app, live, width), width)
                .max(n_crit.min(1) as u16),
            draw: draw_stability,
        },
        blank(),
        Section {
            height: wrapped_height(&statement_lines(live, IN_WORDS), width) + 1,
            draw: draw_in_words,
        },
    ]
}

fn draw_blank(_: &LivePanel, _: &Live, _: Rect, _: &mut Buffer) {}

/// Statements at the top: caveats, who leads, and how robust that is to scores.
const HEADLINE: &[StatementKind] = &[
    StatementKind::Caveat,
    StatementKind::Ranking,
    StatementKind::Scores,
];

/// Statements at the end: the weights, leave-one-out, group-level and
/// value-for-money findings in words.
const IN_WORDS: &[StatementKind] = &[
    StatementKind::Weights,
    StatementKind::LeaveOneOut,
    StatementKind::Groups,
    StatementKind::MonteCarlo,
    StatementKind::ValueForMoney,
];

fn statement_lines(live: &Live, kinds: &[StatementKind]) -> Vec<Line<'static>> {
    live.statements
        .iter()
        .filter(|s| kinds.contains(&s.kind))
        .map(|s| Line::from(format!("• {}", s.text)))
        .collect()
}

fn draw_headline(_: &LivePanel, live: &Live, r: Rect, buf: &mut Buffer) {
    Paragraph::new(statement_lines(live, HEADLINE))
        .wrap(Wrap { trim: false })
        .render(r, buf);
}

fn draw_in_words(_: &LivePanel, live: &Live, r: Rect, buf: &mut Buffer) {
    let mut lines = vec![Line::styled("In words", bold())];
    lines.extend(statement_lines(live, IN_WORDS));
    Paragraph::new(lines)
        .wrap(Wrap { trim: false })
        .render(r, buf);
}

/// One sentence on the selected criterion: how far its share can move.
fn criterion_lines(app: &LivePanel, live: &Live) -> Vec<Line<'static>> {
    let a = live.analysed();
    let c = app.criterion;
    let (Some(crit), Some(s)) = (a.criteria().get(c), live.exact.weights.get(c)) else {
        return Vec::new();
    };
    let name = |o: usize| a.options().get(o).map_or("?", |x| x.name()).to_owned();
    let shown = s.shown();
    let mut text = format!(
        "{} carries {} of the weight. {} stays first ",
        crit.name(),
        shown.share_text(),
        name(s.leader)
    );
    if s.holds_throughout() {
        text.push_str("whatever its share.");
    } else {
        text.push_str(&format!(
            "while its share is from {} to {}",
            shown.from_text(),
            shown.to_text()
        ));
        match (s.below, s.above) {
            (Some(b), Some(u)) => text.push_str(&format!(
                "; below that {} leads, above it {}.",
                name(b),
                name(u)
            )),
            (Some(b), None) => text.push_str(&format!("; below that {} leads.", name(b))),
            (None, Some(u)) => text.push_str(&format!("; above that {} leads.", name(u))),
            (None, None) => text.push('.'),
        }
    }
    vec![Line::styled(text, bold())]
}

fn draw_criterion(app: &LivePanel, live: &Live, r: Rect, buf: &mut Buffer) {
    Paragraph::new(criterion_lines(app, live))
        .wrap(Wrap { trim: false })
        .render(r, buf);
}

/// The options the chart shows: the best few at the current weights, and the
/// selected option if it is not among them.
fn charted(app: &LivePanel, live: &Live) -> Vec<usize> {
    let mut shown: Vec<usize> = live
        .exact
        .results
        .rank_order()
        .into_iter()
        .take(CHART_OPTIONS)
        .collect();
    if let Some(selected) = live.analysed_index(app.option)
        && !shown.contains(&selected)
        && shown.len() == CHART_OPTIONS
    {
        shown.pop();
        shown.push(selected);
    }
    shown
}

/// The chart's title, which wraps on a narrow screen.
fn chart_title(app: &LivePanel, live: &Live) -> String {
    let c = app.criterion;
    match (live.analysed().criteria().get(c), live.exact.weights.get(c)) {
        (Some(crit), Some(sens)) => format!(
            "Each option's total as {}'s share moves from 0% to 100% (│ marks now, {})",
            crit.name(),
            sens.shown().share_text()
        ),
        _ => String::new(),
    }
}

fn draw_chart(app: &LivePanel, live: &Live, r: Rect, buf: &mut Buffer) {
    let a = live.analysed();
    let c = app.criterion;
    let (Some(_), Some(sens)) = (a.criteria().get(c), live.exact.weights.get(c)) else {
        return;
    };
    let shown = charted(app, live);
    let points: Vec<[(f64, f64); 2]> = shown
        .iter()
        .filter_map(|&o| sens.lines.get(o))
        .map(|l| [(0.0, l.at_zero), (100.0, l.at_one)])
        .collect();
    let (mut lo, mut hi) = points
        .iter()
        .flatten()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &(_, y)| {
            (lo.min(y), hi.max(y))
        });
    if !lo.is_finite() || !hi.is_finite() {
        return;
    }
    if hi - lo < 1e-9 {
        lo -= 1.0;
        hi += 1.0;
    }
    let now = [(sens.share * 100.0, lo), (sens.share * 100.0, hi)];
    let colour = app.colour;
    let mut datasets: Vec<Dataset> = Vec::new();
    for (i, pts) in points.iter().enumerate() {
        let (marker, _) = LINE_MARKERS[i % LINE_MARKERS.len()];
        let mut d = Dataset::default().graph_type(GraphType::Line).data(pts);
        d = if colour {
            d.marker(Marker::Braille)
                .style(Style::default().fg(LINE_COLOURS[i % LINE_COLOURS.len()]))
        } else {
            d.marker(marker)
        };
        datasets.push(d);
    }
    datasets.push(
        Dataset::default()
            .graph_type(GraphType::Line)
            .marker(Marker::Braille)
            .style(Style::default().add_modifier(Modifier::DIM))
            .data(&now),
    );
    let title = Line::from(chart_title(app, live));
    let head_h = wrapped_height(std::slice::from_ref(&title), r.width).min(r.height);
    let head = Rect::new(r.x, r.y, r.width, head_h);
    Paragraph::new(title)
        .wrap(Wrap { trim: false })
        .render(head, buf);
    let legend_h = 2.min(r.height.saturating_sub(head_h));
    let chart_area = Rect::new(
        r.x,
        r.y + head_h,
        r.width,
        r.height.saturating_sub(head_h + legend_h),
    );
    let chart = Chart::new(datasets)
        .legend_position(None)
        .x_axis(
            Axis::default()
                .bounds([0.0, 100.0])
                .labels(["0%", "50%", "100%"]),
        )
        .y_axis(Axis::default().bounds([lo, hi]).labels([
            numbers::total(lo),
            numbers::total((lo + hi) / 2.0),
            numbers::total(hi),
        ]));
    chart.render(chart_area, buf);
    // A legend that works without colour: each line's marker, then its option.
    let mut spans: Vec<Span> = Vec::new();
    for (i, &o) in shown.iter().enumerate() {
        let name = a.options().get(o).map_or("", |x| x.name());
        let (_, symbol) = LINE_MARKERS[i % LINE_MARKERS.len()];
        let style = if colour {
            Style::default().fg(LINE_COLOURS[i % LINE_COLOURS.len()])
        } else {
            Style::default()
        };
        let sym = if colour { "⣿" } else { symbol };
        spans.push(Span::styled(format!("{sym} "), style));
        spans.push(Span::raw(format!("{name}   ")));
    }
    let legend = Rect::new(r.x, r.y + head_h + chart_area.height, r.width, legend_h);
    Paragraph::new(Line::from(spans))
        .wrap(Wrap { trim: true })
        .render(legend, buf);
}

/// Each option's chance of ranking first, as bars, the likeliest first.
fn acceptability_lines(app: &LivePanel, live: &Live, width: u16) -> Vec<Line<'static>> {
    let a = live.analysed();
    let mut lines = Vec::new();
    match (&live.smaa, &live.smaa_near) {
        (Err(e), _) | (_, Err(e)) => {
            lines.push(Line::styled("Chance of ranking first", bold()));
            lines.push(Line::from(format!(
                "The Monte Carlo run could not start: {e}"
            )));
        }
        (Ok(m), Ok(near)) => {
            lines.push(Line::styled(
                format!(
                    "Chance of ranking first: over any weights (bar), and with each weight within ±{}% of now ({} samples each)",
                    numbers::weight(NEAR_PERCENT),
                    m.config.samples
                ),
                bold(),
            ));
            if let Some(text) = ranges_line(live) {
                lines.push(Line::from(text));
            }
            let mut order: Vec<usize> = (0..a.options().len()).collect();
            order.sort_by(|&x, &y| {
                m.first_share(y)
                    .total_cmp(&m.first_share(x))
                    .then(near.first_share(y).total_cmp(&near.first_share(x)))
                    .then(x.cmp(&y))
            });
            // Names as long as the longest, leaving the bars ten characters or more.
            let longest = a
                .options()
                .iter()
                .map(|o| o.name().chars().count())
                .max()
                .unwrap_or(8);
            let name_w = longest
                .min(usize::from(width).saturating_sub(32))
                .clamp(8, 40);
            let bar_w = usize::from(width).saturating_sub(name_w + 22).max(1);
            for &o in order.iter().take(8) {
                let share = m.first_share(o);
                let filled = ((share * bar_w as f64).round() as usize).min(bar_w);
                let name = a.options().get(o).map_or("", |x| x.name());
                let name = fit(name, name_w);
                lines.push(Line::from(vec![
                    Span::raw(format!("{name:<name_w$} ")),
                    Span::styled("█".repeat(filled), bar_style(app)),
                    Span::raw("░".repeat(bar_w - filled)),
                    Span::raw(format!(" {:>6}", numbers::probability(share))),
                    Span::raw(format!(
                        "  near {:>6}",
                        numbers::probability(near.first_share(o))
                    )),
                ]));
            }
        }
    }
    lines
}

/// What the figures did with raw values given as ranges, in words, when
/// the appraisal has any.
fn ranges_line(live: &Live) -> Option<String> {
    let drawn = live.smaa.as_ref().ok()?.drawn_ranges.iter();
    let names: Vec<String> = drawn
        .filter_map(|&c| live.written.criteria().get(c))
        .map(|c| c.name().to_owned())
        .collect();
    let names = numbers::join_and(&names);
    if names.is_empty() {
        return None;
    }
    Some(format!(
        "Raw values drawn from their ranges: in every sample, each value of {names} given as a range is picked at random within it."
    ))
}

fn draw_acceptability(app: &LivePanel, live: &Live, r: Rect, buf: &mut Buffer) {
    Paragraph::new(acceptability_lines(app, live, r.width))
        .wrap(Wrap { trim: false })
        .render(r, buf);
}

fn bar_style(app: &LivePanel) -> Style {
    if app.colour {
        Style::default().fg(Color::Cyan)
    } else {
        Style::default()
    }
}

/// How far each weight can move with the leader still first, as a table.
/// Where the whole row does not fit the width, the option that would then
/// lead goes on a line of its own under it, so nothing is cut off.
fn stability_lines(app: &LivePanel, live: &Live, width: u16) -> Vec<Line<'static>> {
    // Options by their analysed index; criteria and groups as written.
    let a = &live.written;
    let analysed = live.analysed();
    let name = |o: usize| {
        analysed
            .options()
            .get(o)
            .map_or("", |x| x.name())
            .to_owned()
    };
    let leader = live
        .exact
        .weights
        .first()
        .map_or_else(|| "the leader".to_owned(), |s| name(s.leader));
    let mut lines = vec![Line::styled(
        format!(
            "Weight stability: how far each criterion's share can move with {leader} still first"
        ),
        bold(),
    )];
    let then_of = |s: &crate::sensitivity::CriterionSensitivity| match (s.below, s.above) {
        (None, None) => "no change".to_owned(),
        (Some(b), None) => format!("↓ {}", name(b)),
        (None, Some(u)) => format!("↑ {}", name(u)),
        (Some(b), Some(u)) => format!("↓ {} ↑ {}", name(b), name(u)),
    };
    // A grouped appraisal's criteria sit under headings for their groups,
    // each with its weight as written and its share of the total weight
    // (the subtotal of its criteria's shares), indented by depth.
    let paths: Vec<Vec<usize>> = live
        .exact
        .weights
        .iter()
        .map(|s| group_path(a, s.criterion))
        .collect();
    let total: f64 = a.effective_weights().iter().sum();
    let group_weights = a.group_weights();
    let group_share = |g: usize| {
        let w = group_weights.get(g).copied().unwrap_or(0.0);
        numbers::share(if total > 0.0 { w / total } else { 0.0 })
    };
    let longest_name = (0..a.criteria().len())
        .filter_map(|c| {
            let p = group_path(a, c);
            let groups = p
                .iter()
                .enumerate()
                .filter_map(|(d, &g)| Some(2 * d + a.groups().get(g)?.name().chars().count()));
            let own = 2 * p.len() + a.criteria().get(c)?.name().chars().count();
            groups.chain([own]).max()
        })
        .max()
        .unwrap_or(9)
        .max(9);
    let longest_then = live
        .exact
        .weights
        .iter()
        .map(|s| then_of(s).chars().count())
        .max()
        .unwrap_or(10)
        .max(10);
    // Selection mark, name, weight, share, range: then the option that leads.
    let fixed = 2 + 1 + 6 + 1 + 7 + 2 + 17;
    let w = usize::from(width);
    let name_w = longest_name.max(9);
    let table = fixed + name_w + 1 + longest_then <= w;
    let mut headed: Vec<usize> = Vec::new();
    let mut headings = |path: &[usize], lines: &mut Vec<Line<'static>>, table: bool| {
        let same = headed.iter().zip(path).take_while(|(x, y)| x == y).count();
        for (depth, &g) in path.iter().enumerate().skip(same) {
            let Some(group) = a.groups().get(g) else {
                continue;
            };
            let indent = "  ".repeat(depth);
            let text = if table {
                format!(
                    "  {:<name_w$} {:>6} {:>7}",
                    fit(&format!("{indent}{}", group.name()), name_w),
                    numbers::weight(group.weight()),
                    group_share(g)
                )
            } else {
                format!(
                    "  {indent}{}: weight {} · {} of the total weight",
                    group.name(),
                    numbers::weight(group.weight()),
                    group_share(g)
                )
            };
            lines.push(Line::styled(text, bold()));
        }
        headed = path.to_vec();
    };
    if !table {
        // Too narrow for the table: each criterion in words over two lines,
        // which wrap rather than cut anything off.
        for (s, path) in live.exact.weights.iter().zip(&paths) {
            let Some(crit) = a.criteria().get(s.criterion) else {
                continue;
            };
            headings(path, &mut lines, false);
            let indent = "  ".repeat(path.len());
            let shown = s.shown();
            let sel = s.criterion == app.criterion;
            let style = if sel { bold() } else { Style::default() };
            lines.push(Line::styled(
                format!("{} {indent}{}", if sel { "▶" } else { " " }, crit.name()),
                style,
            ));
            let then = match (s.below, s.above) {
                (None, None) => "no change".to_owned(),
                _ => format!("then {}", then_of(s)),
            };
            lines.push(Line::from(format!(
                "    {indent}w{} · {} · first from {} to {} · {then}",
                numbers::weight(crit.weight()),
                shown.share_text(),
                shown.from_text(),
                shown.to_text(),
            )));
        }
        return lines;
    }
    lines.push(Line::styled(
        format!(
            "  {:<name_w$} {:>6} {:>7}  {:<17} {}",
            "Criterion", "Weight", "Share", "Still first from", "Then first"
        ),
        Style::default().add_modifier(Modifier::UNDERLINED),
    ));
    for (s, path) in live.exact.weights.iter().zip(&paths) {
        let Some(crit) = a.criteria().get(s.criterion) else {
            continue;
        };
        headings(path, &mut lines, true);
        let indent = "  ".repeat(path.len());
        let shown = s.shown();
        let range = format!("{} to {}", shown.from_text(), shown.to_text());
        let sel = s.criterion == app.criterion;
        let text = format!(
            "{} {:<name_w$} {:>6} {:>7}  {:<17} {}",
            if sel { "▶" } else { " " },
            fit(&format!("{indent}{}", crit.name()), name_w),
            numbers::weight(crit.weight()),
            shown.share_text(),
            range,
            then_of(s)
        );
        lines.push(if sel {
            Line::styled(text, bold())
        } else {
            Line::from(text)
        });
    }
    lines
}

/// The groups criterion `c` sits in, outermost first (none outside groups).
fn group_path(a: &Appraisal, c: usize) -> Vec<usize> {
    let Some(inner) = a.criteria().get(c).and_then(|k| k.group()) else {
        return Vec::new();
    };
    let mut path = a.group_path(inner);
    path.reverse();
    path
}

fn draw_stability(app: &LivePanel, live: &Live, r: Rect, buf: &mut Buffer) {
    Paragraph::new(stability_lines(app, live, r.width))
        .wrap(Wrap { trim: false })
        .render(r, buf);
}
