//! Charts as SVG, drawn from the neutral [`Chart`] descriptions.
//!
//! The charts are meant to survive a greyscale printer: lines differ by dash
//! pattern and marker shape as well as colour, stacked segments by pattern as
//! well as shade, and every series is labelled directly. All text stays as
//! `<text>` (searchable, selectable, read by screen readers), every piece of
//! appraisal text is escaped, and the SVG has no scripts, links or external
//! references.

use std::fmt::Write as _;
use std::io::Write;

use super::ExportError;
use super::doc::{BarChart, Chart, ChartKind, LineChart, ScatterChart, StackedChart};
use super::text::xml;

/// Width of every chart, in pixels (CSS px; 96 per inch).
pub const WIDTH: f64 = 760.0;

/// Font stack: DejaVu Sans first because PNG rendering uses the bundled copy,
/// so the SVG and the PNG look alike.
pub const FONT_FAMILY: &str = "DejaVu Sans, Liberation Sans, Arial, Helvetica, sans-serif";

const FONT_SIZE: f64 = 12.0;
const TITLE_SIZE: f64 = 15.0;

/// Line colours (Okabe-Ito, with dark grey in place of yellow), each paired
/// with a dash pattern and marker so colour is never the only difference.
const COLOURS: [&str; 8] = [
    "#0072B2", "#D55E00", "#009E73", "#CC79A7", "#555555", "#E69F00", "#56B4E9", "#000000",
];
const DASHES: [&str; 8] = [
    "", "9 4", "2 3", "12 3 3 3", "5 5", "14 4", "3 3 9 3", "1 3",
];

/// The colour, dash pattern and marker shape of line `i`. The marker turns
/// one step for each round of colours, so no two of the first 64 lines share
/// both colour and marker (and the first 16 differ in dash pattern too,
/// or in colour), for readers who see no colour.
pub fn series_style(i: usize) -> (&'static str, &'static str, usize) {
    let round = i / COLOURS.len();
    (
        COLOURS[i % COLOURS.len()],
        DASHES[(i + 3 * round) % DASHES.len()],
        (i + round) % 8,
    )
}

/// The chart's figures in words, for its description: screen readers hear
/// the description of a picture but not the text drawn inside it.
pub fn values_text(chart: &Chart) -> String {
    let pct = crate::numbers::share;
    match &chart.kind {
        ChartKind::Bars(b) => {
            let items: Vec<String> = b
                .bars
                .iter()
                .map(|bar| format!("{} {}", bar.label, bar.display))
                .collect();
            format!("Values: {}.", items.join("; "))
        }
        ChartKind::Lines(l) => {
            // Each line's total at the left (`last` false) or right end.
            let ends = |last: bool| -> Vec<String> {
                l.series
                    .iter()
                    .filter_map(|se| {
                        let p = if last {
                            se.points.last()
                        } else {
                            se.points.first()
                        };
                        p.map(|p| format!("{} {}", se.label, crate::numbers::total(p.1)))
                    })
                    .collect()
            };
            let (x0, x1) = l.x_range;
            let fmt_x = |x: f64| {
                if l.x_percent {
                    pct(x)
                } else {
                    crate::numbers::total(x)
                }
            };
            let mut s = format!(
                "Values at {} {}: {}. At {}: {}.",
                l.x_label,
                fmt_x(x0),
                ends(false).join("; "),
                fmt_x(x1),
                ends(true).join("; ")
            );
            if let Some(m) = &l.marker {
                let now: Vec<String> = l
                    .series
                    .iter()
                    .filter_map(|se| {
                        interpolate(&se.points, m.x)
                            .map(|y| format!("{} {}", se.label, crate::numbers::total(y)))
                    })
                    .collect();
                s.push_str(&format!(" Now ({}): {}.", m.label, now.join("; ")));
            }
            s
        }
        ChartKind::Stacked(st) => {
            let bars: Vec<String> = st
                .bars
                .iter()
                .map(|b| {
                    let parts: Vec<String> = b
                        .shares
                        .iter()
                        .zip(&st.segments)
                        .filter(|(x, _)| **x > 0.0)
                        .map(|(x, seg)| format!("{seg} {}", crate::numbers::probability(*x)))
                        .collect();
                    format!("{}: {}", b.label, parts.join(", "))
                })
                .collect();
            format!("Values: {}.", bars.join("; "))
        }
        ChartKind::Scatter(sc) => {
            let points: Vec<String> = sc
                .points
                .iter()
                .map(|p| {
                    format!(
                        "{} {} {}, {} {}",
                        p.label,
                        sc.x_label,
                        crate::numbers::as_given(p.x),
                        sc.y_label,
                        crate::numbers::total(p.y)
                    )
                })
                .collect();
            let mut s = format!("Values: {}.", points.join("; "));
            if let Some(line) = &sc.line {
                s.push_str(&format!(
                    " The line ({}) joins {} points.",
                    line.label,
                    line.points.len()
                ));
            }
            s
        }
    }
}

/// The SVG for a chart, without an XML declaration (for inlining in HTML).
pub fn chart_svg(chart: &Chart) -> String {
    chart_svg_at(chart, WIDTH)
}

/// The width of a chart laid out for print: a Word page's text column is
/// about 6.7 inches, so a chart this wide shows its 12-pixel text at 10 pt
/// and more, where the screen width would shrink it to 7.6 pt.
pub const PRINT_WIDTH: f64 = 560.0;

/// The SVG for a chart laid out for a printed page ([`PRINT_WIDTH`]).
pub fn chart_svg_for_print(chart: &Chart) -> String {
    chart_svg_at(chart, PRINT_WIDTH)
}

/// The SVG for a chart laid out `width` pixels wide.
fn chart_svg_at(chart: &Chart, width: f64) -> String {
    let id = safe_id(&chart.key);
    let (height, body) = match &chart.kind {
        ChartKind::Bars(b) => bars(b, &id, width),
        ChartKind::Lines(l) => lines(l, &id, width),
        ChartKind::Stacked(s) => stacked(s, &id, width),
        ChartKind::Scatter(sc) => scatter(sc, width),
    };
    let mut out = String::new();
    let _ = write!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" \
         role=\"img\" aria-labelledby=\"{id}-title {id}-desc\" font-family=\"{FONT_FAMILY}\" font-size=\"{FONT_SIZE}\">\n\
         <title id=\"{id}-title\">{title}</title>\n<desc id=\"{id}-desc\">{desc}</desc>\n\
         <rect width=\"{w}\" height=\"{h}\" fill=\"#ffffff\"/>\n\
         <text x=\"{pad}\" y=\"22\" font-size=\"{TITLE_SIZE}\" font-weight=\"bold\">{title}</text>\n",
        w = n(width),
        h = n(height),
        title = xml(&chart.title),
        desc = xml(&format!("{} {}", chart.description, values_text(chart))),
        pad = n(PAD),
    );
    out.push_str(&body);
    out.push_str("</svg>\n");
    out
}

/// Writes a chart as a standalone SVG file.
pub fn write_chart(chart: &Chart, out: &mut impl Write) -> Result<(), ExportError> {
    out.write_all(b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")?;
    out.write_all(chart_svg(chart).as_bytes())?;
    Ok(())
}

const PAD: f64 = 16.0;
const TOP: f64 = 40.0;

/// A number for SVG attributes: one decimal, no trailing zero, never NaN.
fn n(x: f64) -> String {
    if !x.is_finite() {
        return "0".into();
    }
    let s = format!("{x:.1}");
    let s = s.strip_suffix(".0").unwrap_or(&s);
    if s == "-0" { "0".into() } else { s.to_string() }
}

/// Keeps ids to `[a-z0-9-]` so they are safe in attributes and unique per key.
fn safe_id(key: &str) -> String {
    let s: String = key
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    format!("c-{s}")
}

/// An estimate of text width in DejaVu Sans, used only for layout.
pub fn text_width(s: &str, size: f64) -> f64 {
    let em: f64 = s
        .chars()
        .map(|c| match c {
            'i' | 'l' | 'j' | '\'' | '.' | ',' | ':' | ';' | '|' | '!' => 0.3,
            'f' | 't' | 'r' | ' ' | '(' | ')' | '[' | ']' | '-' => 0.4,
            'm' | 'w' | 'M' | 'W' | '%' | '@' => 0.9,
            c if c.is_ascii_uppercase() => 0.7,
            c if c.is_ascii_digit() => 0.64,
            c if c.is_ascii() => 0.6,
            // Wide scripts and emoji.
            c if (c as u32) > 0x2E80 => 1.0,
            _ => 0.65,
        })
        .sum();
    em * size
}

/// Shortens text to fit `width`, ending with an ellipsis when cut.
pub fn fit(s: &str, width: f64, size: f64) -> String {
    if text_width(s, size) <= width {
        return s.to_string();
    }
    let mut out = String::new();
    for c in s.chars() {
        let candidate = format!("{out}{c}…");
        if text_width(&candidate, size) > width {
            break;
        }
        out.push(c);
    }
    format!("{}…", out.trim_end())
}

/// A text element; the full text goes in a `<title>` when it had to be shortened.
fn label(x: f64, y: f64, anchor: &str, text: &str, max_width: f64, extra: &str) -> String {
    let shown = fit(text, max_width, FONT_SIZE);
    let tip = if shown == text {
        String::new()
    } else {
        format!("<title>{}</title>", xml(text))
    };
    format!(
        "<text x=\"{}\" y=\"{}\" text-anchor=\"{anchor}\"{extra}>{tip}{}</text>\n",
        n(x),
        n(y),
        xml(&shown)
    )
}

/// Round tick values covering `[lo, hi]`, about `target` of them.
pub fn ticks(lo: f64, hi: f64, target: usize) -> Vec<f64> {
    if !lo.is_finite() || !hi.is_finite() || hi <= lo {
        return vec![lo];
    }
    let raw = (hi - lo) / target.max(1) as f64;
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * mag)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * mag);
    let first = (lo / step).ceil() * step;
    let mut out = Vec::new();
    let mut k = 0.0;
    while first + k * step <= hi + step * 1e-9 && out.len() < 50 {
        out.push(first + k * step);
        k += 1.0;
    }
    out
}

/// How many ticks an axis `length` pixels long has room for, at most
/// `most`: a tick label such as "100%" needs about 40 pixels.
fn tick_count(length: f64, most: usize) -> usize {
    ((length / 40.0).floor() as usize).clamp(2, most)
}

/// The value axis's gridlines across the plot, from `x0` to `x1`, each
/// labelled at its left end; `sy` places a value.
fn y_gridlines(
    s: &mut String,
    (ylo, yhi): (f64, f64),
    sy: &dyn Fn(f64) -> f64,
    (x0, x1): (f64, f64),
) {
    for t in ticks(ylo, yhi, 8) {
        let y = sy(t);
        let _ = writeln!(
            s,
            "<line x1=\"{}\" y1=\"{y}\" x2=\"{}\" y2=\"{y}\" stroke=\"#d0d0d0\" stroke-width=\"1\"/>",
            n(x0),
            n(x1),
            y = n(y)
        );
        s.push_str(&label(x0 - 6.0, y + 4.0, "end", &tick_label(t), 50.0, ""));
    }
}

fn tick_label(v: f64) -> String {
    crate::numbers::decimals(v, 2)
}

fn bars(chart: &BarChart, id: &str, width: f64) -> (f64, String) {
    let _ = id;
    let mut s = String::new();
    let label_w = chart
        .bars
        .iter()
        .map(|b| text_width(&b.label, FONT_SIZE))
        .fold(60.0, f64::max)
        .min(250.0_f64.min(width * 0.36));
    let value_w = chart
        .bars
        .iter()
        .map(|b| text_width(&b.display, FONT_SIZE))
        .fold(30.0, f64::max)
        // Room for a mark such as "(published as 24)" after the figure.
        .min(200.0_f64.min(width * 0.29));
    let x0 = PAD + label_w + 8.0;
    let x1 = width - PAD - value_w - 8.0;
    let bar_h = 20.0;
    let gap = 8.0;
    let y0 = TOP + 6.0;
    let plot_h = chart.bars.len() as f64 * (bar_h + gap);
    let (lo, hi) = if chart.max > chart.min {
        (chart.min, chart.max)
    } else {
        (chart.min, chart.min + 1.0)
    };
    let sx = |v: f64| x0 + (v.clamp(lo, hi) - lo) / (hi - lo) * (x1 - x0);
    // Grid and ticks.
    let axis_y = y0 + plot_h;
    for t in ticks(lo, hi, tick_count(x1 - x0, 8)) {
        let x = sx(t);
        let _ = writeln!(
            s,
            "<line x1=\"{x}\" y1=\"{y0}\" x2=\"{x}\" y2=\"{ay}\" stroke=\"#d0d0d0\" stroke-width=\"1\"/>",
            x = n(x),
            y0 = n(y0),
            ay = n(axis_y)
        );
        s.push_str(&label(x, axis_y + 16.0, "middle", &tick_label(t), 60.0, ""));
    }
    for (i, b) in chart.bars.iter().enumerate() {
        let y = y0 + i as f64 * (bar_h + gap) + gap / 2.0;
        let xa = sx(lo.max(0.0).min(hi));
        let xb = sx(b.value);
        let (left, w) = if xb >= xa {
            (xa, xb - xa)
        } else {
            (xb, xa - xb)
        };
        let _ = writeln!(
            s,
            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"#2f5f8f\" stroke=\"#1a1a1a\" stroke-width=\"0.8\"><title>{}: {}</title></rect>",
            n(left),
            n(y),
            n(w),
            n(bar_h),
            xml(&b.label),
            xml(&b.display)
        );
        s.push_str(&label(
            x0 - 8.0,
            y + bar_h / 2.0 + 4.0,
            "end",
            &b.label,
            label_w,
            "",
        ));
        s.push_str(&label(
            xb.max(xa) + 6.0,
            y + bar_h / 2.0 + 4.0,
            "start",
            &b.display,
            value_w,
            "",
        ));
    }
    let _ = writeln!(
        s,
        "<line x1=\"{x0}\" y1=\"{ay}\" x2=\"{x1}\" y2=\"{ay}\" stroke=\"#1a1a1a\" stroke-width=\"1\"/>\n\
         <line x1=\"{x0}\" y1=\"{y0}\" x2=\"{x0}\" y2=\"{ay}\" stroke=\"#1a1a1a\" stroke-width=\"1\"/>",
        x0 = n(x0),
        x1 = n(x1),
        y0 = n(y0),
        ay = n(axis_y)
    );
    axis_title_below(&mut s, x0, x1, axis_y, &chart.axis_label);
    (axis_y + 50.0, s)
}

/// Draws marker shape `k` centred on (x, y).
fn marker(k: usize, x: f64, y: f64, colour: &str) -> String {
    let r = 4.5;
    let style = format!("fill=\"#ffffff\" stroke=\"{colour}\" stroke-width=\"1.6\"");
    match k % 8 {
        0 => format!(
            "<circle cx=\"{}\" cy=\"{}\" r=\"{}\" {style}/>",
            n(x),
            n(y),
            n(r)
        ),
        1 => format!(
            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" {style}/>",
            n(x - r),
            n(y - r),
            n(2.0 * r),
            n(2.0 * r)
        ),
        2 => format!(
            "<path d=\"M{} {}L{} {}L{} {}Z\" {style}/>",
            n(x),
            n(y - r - 1.0),
            n(x + r + 0.5),
            n(y + r),
            n(x - r - 0.5),
            n(y + r)
        ),
        3 => format!(
            "<path d=\"M{} {}L{} {}L{} {}L{} {}Z\" {style}/>",
            n(x),
            n(y - r - 1.0),
            n(x + r + 1.0),
            n(y),
            n(x),
            n(y + r + 1.0),
            n(x - r - 1.0),
            n(y)
        ),
        4 => format!(
            "<path d=\"M{} {}L{} {}L{} {}Z\" {style}/>",
            n(x),
            n(y + r + 1.0),
            n(x + r + 0.5),
            n(y - r),
            n(x - r - 0.5),
            n(y - r)
        ),
        5 => format!(
            "<path d=\"M{} {}L{} {}M{} {}L{} {}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"2.2\"/>",
            n(x - r),
            n(y - r),
            n(x + r),
            n(y + r),
            n(x - r),
            n(y + r),
            n(x + r),
            n(y - r)
        ),
        6 => format!(
            "<path d=\"M{} {}L{} {}M{} {}L{} {}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"2.2\"/>",
            n(x - r - 1.0),
            n(y),
            n(x + r + 1.0),
            n(y),
            n(x),
            n(y - r - 1.0),
            n(x),
            n(y + r + 1.0)
        ),
        _ => format!(
            "<circle cx=\"{}\" cy=\"{}\" r=\"{}\" fill=\"{colour}\" stroke=\"{colour}\" stroke-width=\"1\"/>",
            n(x),
            n(y),
            n(r - 0.5)
        ),
    }
}

/// Spreads label positions apart by at least `gap`, keeping them within
/// `[lo, hi]` and as close to where they want to be as possible.
pub fn spread(wanted: &[f64], gap: f64, lo: f64, hi: f64) -> Vec<f64> {
    let mut order: Vec<usize> = (0..wanted.len()).collect();
    order.sort_by(|&a, &b| wanted[a].total_cmp(&wanted[b]).then(a.cmp(&b)));
    let mut pos: Vec<f64> = order.iter().map(|&i| wanted[i]).collect();
    for i in 1..pos.len() {
        if pos[i] < pos[i - 1] + gap {
            pos[i] = pos[i - 1] + gap;
        }
    }
    // Pull the stack back up if it ran off the bottom, then clamp the top.
    if let Some(last) = pos.last().copied()
        && last > hi
    {
        let shift = last - hi;
        for p in &mut pos {
            *p -= shift;
        }
        for i in (0..pos.len().saturating_sub(1)).rev() {
            if pos[i] > pos[i + 1] - gap {
                pos[i] = pos[i + 1] - gap;
            }
        }
    }
    if let Some(first) = pos.first().copied()
        && first < lo
    {
        let shift = lo - first;
        for p in &mut pos {
            *p += shift;
        }
    }
    let mut out = vec![0.0; wanted.len()];
    for (k, &i) in order.iter().enumerate() {
        out[i] = pos[k];
    }
    out
}

fn lines(chart: &LineChart, id: &str, width: f64) -> (f64, String) {
    let _ = id;
    let mut s = String::new();
    let key_w = 34.0;
    let label_w = chart
        .series
        .iter()
        .map(|se| text_width(&se.label, FONT_SIZE))
        .fold(40.0, f64::max)
        .min(200.0_f64.min(width * 0.32));
    let x0 = PAD + 58.0;
    let x1 = width - PAD - label_w - key_w - 16.0;
    let y0 = TOP + 24.0;
    let row_gap = 16.0;
    let plot_h = (chart.series.len() as f64 * row_gap).max(300.0);
    let y1 = y0 + plot_h;
    let (xlo, xhi) = ordered(chart.x_range);
    let (ylo, yhi) = ordered(chart.y_range);
    let sx = |v: f64| x0 + (v.clamp(xlo, xhi) - xlo) / (xhi - xlo) * (x1 - x0);
    let sy = |v: f64| y1 - (v.clamp(ylo, yhi) - ylo) / (yhi - ylo) * (y1 - y0);
    let mut band_label = None;
    if let Some(b) = &chart.band {
        let (a, c) = (sx(b.from.min(b.to)), sx(b.from.max(b.to)));
        let _ = writeln!(
            s,
            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"#eeeeee\"/>",
            n(a),
            n(y0),
            n((c - a).max(0.0)),
            n(plot_h)
        );
        band_label = Some((a, c, b.label.clone()));
    }
    y_gridlines(&mut s, (ylo, yhi), &sy, (x0, x1));
    for t in ticks(xlo, xhi, tick_count(x1 - x0, 10)) {
        let x = sx(t);
        let text = if chart.x_percent {
            format!("{}%", tick_label(100.0 * t))
        } else {
            tick_label(t)
        };
        let _ = writeln!(
            s,
            "<line x1=\"{x}\" y1=\"{}\" x2=\"{x}\" y2=\"{}\" stroke=\"#e4e4e4\" stroke-width=\"1\"/>",
            n(y0),
            n(y1),
            x = n(x)
        );
        s.push_str(&label(x, y1 + 16.0, "middle", &text, 50.0, ""));
    }
    let _ = writeln!(
        s,
        "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"none\" stroke=\"#1a1a1a\" stroke-width=\"1\"/>",
        n(x0),
        n(y0),
        n(x1 - x0),
        n(plot_h)
    );
    if let Some(m) = &chart.marker {
        let x = sx(m.x);
        let _ = writeln!(
            s,
            "<line x1=\"{x}\" y1=\"{}\" x2=\"{x}\" y2=\"{}\" stroke=\"#1a1a1a\" stroke-width=\"1.5\" stroke-dasharray=\"6 3\"/>",
            n(y0 - 6.0),
            n(y1),
            x = n(x)
        );
        let anchor = if x > (x0 + x1) / 2.0 { "end" } else { "start" };
        let dx = if anchor == "end" { -4.0 } else { 4.0 };
        s.push_str(&label(
            x + dx,
            y0 - 8.0,
            anchor,
            &m.label,
            200.0,
            " font-weight=\"bold\"",
        ));
    }
    if let Some((a, c, text)) = band_label {
        let marker_x = chart.marker.as_ref().map(|m| sx(m.x));
        s.push_str(&band_text(a, c, y1 - 6.0, &text, marker_x, (x0, x1)));
    }
    let count = chart.series.len().max(1);
    for (i, se) in chart.series.iter().enumerate() {
        let (colour, dash, shape) = series_style(i);
        let d: Vec<String> = se
            .points
            .iter()
            .map(|(x, y)| format!("{} {}", n(sx(*x)), n(sy(*y))))
            .collect();
        if d.is_empty() {
            continue;
        }
        let dash_attr = if dash.is_empty() {
            String::new()
        } else {
            format!(" stroke-dasharray=\"{dash}\"")
        };
        let _ = writeln!(
            s,
            "<path d=\"M{}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\"{dash_attr}><title>{}</title></path>",
            d.join(" L"),
            xml(&se.label)
        );
        // Markers at staggered x positions so coinciding lines stay distinguishable.
        for half in [0.0, 0.5] {
            let fx = half + 0.05 + 0.4 * (i as f64 + 0.5) / count as f64;
            let xv = xlo + fx * (xhi - xlo);
            if let Some(yv) = interpolate(&se.points, xv) {
                s.push_str(&marker(shape, sx(xv), sy(yv), colour));
                s.push('\n');
            }
        }
    }
    // Direct labels at the right-hand end, each with a sample of its line.
    let ends: Vec<f64> = chart
        .series
        .iter()
        .map(|se| se.points.last().map_or(y1, |p| sy(p.1)))
        .collect();
    let placed = spread(&ends, row_gap, y0 + 4.0, y1 - 4.0);
    for (i, se) in chart.series.iter().enumerate() {
        let (colour, dash, shape) = series_style(i);
        let ly = placed.get(i).copied().unwrap_or(y1);
        let ey = ends.get(i).copied().unwrap_or(y1);
        let kx = x1 + 8.0;
        let dash_attr = if dash.is_empty() {
            String::new()
        } else {
            format!(" stroke-dasharray=\"{dash}\"")
        };
        let _ = writeln!(
            s,
            "<path d=\"M{} {}L{} {}L{} {}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\"{dash_attr}/>",
            n(x1),
            n(ey),
            n(kx),
            n(ly),
            n(kx + key_w - 6.0),
            n(ly)
        );
        s.push_str(&marker(shape, kx + (key_w - 6.0) / 2.0 + 2.0, ly, colour));
        s.push('\n');
        s.push_str(&label(
            kx + key_w,
            ly + 4.0,
            "start",
            &se.label,
            label_w,
            "",
        ));
    }
    axis_titles(
        &mut s,
        (x0, y0, x1, y1),
        36.0,
        &chart.x_label,
        &chart.y_label,
    );
    (y1 + 50.0, s)
}

/// A bar chart's value-axis title, centred under the axis at `axis_y`
/// that runs from `x0` to `x1`.
fn axis_title_below(s: &mut String, x0: f64, x1: f64, axis_y: f64, text: &str) {
    s.push_str(&label(
        (x0 + x1) / 2.0,
        axis_y + 36.0,
        "middle",
        text,
        x1 - x0,
        "",
    ));
}

/// The axis titles of a plot whose area is `(x0, y0, x1, y1)`: the x title
/// centred `below` under the plot, the y title turned up the left edge,
/// each shortened to fit its axis.
fn axis_titles(
    s: &mut String,
    (x0, y0, x1, y1): (f64, f64, f64, f64),
    below: f64,
    x: &str,
    y: &str,
) {
    s.push_str(&label(
        (x0 + x1) / 2.0,
        y1 + below,
        "middle",
        x,
        x1 - x0 + 40.0,
        "",
    ));
    let _ = writeln!(
        s,
        "<text x=\"{x}\" y=\"{y}\" text-anchor=\"middle\" transform=\"rotate(-90 {x} {y})\">{}</text>",
        xml(&fit(y, y1 - y0, FONT_SIZE)),
        x = n(PAD + 8.0),
        y = n((y0 + y1) / 2.0)
    );
}

/// A scatter chart: labelled points, filled where highlighted, and a line
/// through some of them with a key entry below the plot.
fn scatter(chart: &ScatterChart, width: f64) -> (f64, String) {
    let mut s = String::new();
    let x0 = PAD + 58.0;
    let x1 = width - PAD - 24.0;
    let y0 = TOP + 24.0;
    let plot_h = 340.0;
    let y1 = y0 + plot_h;
    let (xlo, xhi) = ordered(chart.x_range);
    let (ylo, yhi) = ordered(chart.y_range);
    let sx = |v: f64| x0 + (v.clamp(xlo, xhi) - xlo) / (xhi - xlo) * (x1 - x0);
    let sy = |v: f64| y1 - (v.clamp(ylo, yhi) - ylo) / (yhi - ylo) * (y1 - y0);
    y_gridlines(&mut s, (ylo, yhi), &sy, (x0, x1));
    for t in ticks(xlo, xhi, tick_count(x1 - x0, 10)) {
        let x = sx(t);
        let _ = writeln!(
            s,
            "<line x1=\"{x}\" y1=\"{}\" x2=\"{x}\" y2=\"{}\" stroke=\"#e4e4e4\" stroke-width=\"1\"/>",
            n(y0),
            n(y1),
            x = n(x)
        );
        s.push_str(&label(x, y1 + 16.0, "middle", &tick_label(t), 50.0, ""));
    }
    let _ = writeln!(
        s,
        "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"none\" stroke=\"#1a1a1a\" stroke-width=\"1\"/>",
        n(x0),
        n(y0),
        n(x1 - x0),
        n(plot_h)
    );
    let (colour, _, _) = series_style(0);
    if let Some(line) = &chart.line {
        let d: Vec<String> = line
            .points
            .iter()
            .map(|(x, y)| format!("{} {}", n(sx(*x)), n(sy(*y))))
            .collect();
        if !d.is_empty() {
            let _ = writeln!(
                s,
                "<path d=\"M{}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\"><title>{}</title></path>",
                d.join(" L"),
                xml(&line.label)
            );
        }
    }
    let label_w = 180.0;
    for p in &chart.points {
        let (x, y) = (sx(p.x), sy(p.y));
        let fill = if p.highlight { colour } else { "#ffffff" };
        let _ = writeln!(
            s,
            "<circle cx=\"{}\" cy=\"{}\" r=\"5\" fill=\"{fill}\" stroke=\"{colour}\" stroke-width=\"1.6\"><title>{}</title></circle>",
            n(x),
            n(y),
            xml(&p.label)
        );
        // Labels go to the side with room, above the point.
        let (anchor, dx) = if x > (x0 + x1) / 2.0 {
            ("end", -8.0)
        } else {
            ("start", 8.0)
        };
        s.push_str(&label(x + dx, y - 6.0, anchor, &p.label, label_w, ""));
    }
    // The key: what filled and hollow points and the line mean.
    let ky = y1 + 56.0;
    let mut kx = x0;
    if let Some(line) = &chart.line {
        let _ = writeln!(
            s,
            "<path d=\"M{} {}L{} {}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\"/>",
            n(kx),
            n(ky - 4.0),
            n(kx + 28.0),
            n(ky - 4.0)
        );
        s.push_str(&label(kx + 34.0, ky, "start", &line.label, 260.0, ""));
        kx += 34.0 + text_width(&line.label, FONT_SIZE).min(260.0) + 24.0;
    }
    if chart.points.iter().any(|p| !p.highlight) && chart.points.iter().any(|p| p.highlight) {
        let _ = writeln!(
            s,
            "<circle cx=\"{}\" cy=\"{}\" r=\"5\" fill=\"{colour}\" stroke=\"{colour}\" stroke-width=\"1.6\"/>",
            n(kx + 5.0),
            n(ky - 4.0)
        );
        s.push_str(&label(kx + 14.0, ky, "start", "efficient", 120.0, ""));
        kx += 14.0 + text_width("efficient", FONT_SIZE) + 20.0;
        let _ = writeln!(
            s,
            "<circle cx=\"{}\" cy=\"{}\" r=\"5\" fill=\"#ffffff\" stroke=\"{colour}\" stroke-width=\"1.6\"/>",
            n(kx + 5.0),
            n(ky - 4.0)
        );
        s.push_str(&label(kx + 14.0, ky, "start", "dominated", 120.0, ""));
    }
    axis_titles(
        &mut s,
        (x0, y0, x1, y1),
        34.0,
        &chart.x_label,
        &chart.y_label,
    );
    (ky + 20.0, s)
}

/// Size of the band's label.
const BAND_SIZE: f64 = 11.0;

/// The band's label, inside the band and clear of the marker line at
/// `marker_x`: centred when the line misses it, otherwise on the wider side
/// of the line (within the plot's `bounds`), shortened to fit there.
fn band_text(
    a: f64,
    c: f64,
    y: f64,
    text: &str,
    marker_x: Option<f64>,
    bounds: (f64, f64),
) -> String {
    let gap = 5.0;
    let room = (c - a).max(120.0);
    let w = text_width(text, BAND_SIZE).min(room);
    let centre = (a + c) / 2.0;
    let style = " font-size=\"11\" fill=\"#333333\"";
    let draw = |x: f64, anchor: &str, width: f64| {
        let shown = fit(text, width, BAND_SIZE);
        let tip = if shown == text {
            String::new()
        } else {
            format!("<title>{}</title>", xml(text))
        };
        format!(
            "<text x=\"{}\" y=\"{}\" text-anchor=\"{anchor}\"{style}>{tip}{}</text>\n",
            n(x),
            n(y),
            xml(&shown)
        )
    };
    match marker_x {
        Some(m) if (centre - w / 2.0 - gap..=centre + w / 2.0 + gap).contains(&m) => {
            let left = m - a.max(bounds.0);
            let right = c.min(bounds.1) - m;
            if right >= left {
                draw(m + gap, "start", (right - gap).max(40.0))
            } else {
                draw(m - gap, "end", (left - gap).max(40.0))
            }
        }
        _ => draw(centre, "middle", room),
    }
}

fn ordered((a, b): (f64, f64)) -> (f64, f64) {
    let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
    if !(lo.is_finite() && hi.is_finite()) {
        return (0.0, 1.0);
    }
    if hi > lo { (lo, hi) } else { (lo, lo + 1.0) }
}

/// The y of a polyline at `x`, if `x` lies within it.
fn interpolate(points: &[(f64, f64)], x: f64) -> Option<f64> {
    points.windows(2).find_map(|w| {
        let ((xa, ya), (xb, yb)) = (w[0], w[1]);
        if xa <= x && x <= xb {
            Some(if xb > xa {
                ya + (yb - ya) * (x - xa) / (xb - xa)
            } else {
                ya
            })
        } else {
            None
        }
    })
}

/// Fill patterns for stacked segments: a shade plus a texture, so that
/// neighbouring segments differ in greyscale too.
fn segment_defs(id: &str, count: usize) -> String {
    let mut s = String::from("<defs>\n");
    for k in 0..count {
        let (bg, fg, kind) = segment_style(k);
        let pid = format!("{id}-p{k}");
        let body = match kind {
            0 => String::new(),
            1 => format!("<path d=\"M0 8L8 0\" stroke=\"{fg}\" stroke-width=\"1.5\"/>"),
            2 => format!("<circle cx=\"4\" cy=\"4\" r=\"1.4\" fill=\"{fg}\"/>"),
            3 => format!("<path d=\"M0 4H8M4 0V8\" stroke=\"{fg}\" stroke-width=\"1.2\"/>"),
            _ => format!("<path d=\"M0 0L8 8\" stroke=\"{fg}\" stroke-width=\"1.5\"/>"),
        };
        let _ = writeln!(
            s,
            "<pattern id=\"{pid}\" width=\"8\" height=\"8\" patternUnits=\"userSpaceOnUse\"><rect width=\"8\" height=\"8\" fill=\"{bg}\"/>{body}</pattern>"
        );
    }
    s.push_str("</defs>\n");
    s
}

/// (background, texture colour, texture kind) for segment `k`.
fn segment_style(k: usize) -> (&'static str, &'static str, usize) {
    const STYLES: [(&str, &str, usize); 8] = [
        ("#1f3f6f", "#1f3f6f", 0),
        ("#5b8cc2", "#1f3f6f", 1),
        ("#a9c6e4", "#1f3f6f", 2),
        ("#dbe8f4", "#1f3f6f", 3),
        ("#f4d8b8", "#8a4b0f", 4),
        ("#e39a55", "#8a4b0f", 2),
        ("#b05f17", "#ffffff", 4),
        ("#6b3a0d", "#ffffff", 3),
    ];
    STYLES[k % STYLES.len()]
}

fn stacked(chart: &StackedChart, id: &str, width: f64) -> (f64, String) {
    let mut s = segment_defs(id, chart.segments.len());
    let label_w = chart
        .bars
        .iter()
        .map(|b| text_width(&b.label, FONT_SIZE))
        .fold(60.0, f64::max)
        .min(250.0_f64.min(width * 0.36));
    let x0 = PAD + label_w + 8.0;
    let x1 = width - PAD - 10.0;
    let bar_h = 22.0;
    let gap = 8.0;
    // Legend first, under the title, wrapping as needed.
    let mut lx = x0;
    let mut ly = TOP;
    for (k, name) in chart.segments.iter().enumerate() {
        let w = 18.0 + text_width(name, FONT_SIZE) + 16.0;
        if lx + w > x1 && lx > x0 {
            lx = x0;
            ly += 18.0;
        }
        let _ = writeln!(
            s,
            "<rect x=\"{}\" y=\"{}\" width=\"14\" height=\"12\" fill=\"url(#{id}-p{k})\" stroke=\"#1a1a1a\" stroke-width=\"0.6\"/>",
            n(lx),
            n(ly - 10.0)
        );
        s.push_str(&label(lx + 18.0, ly, "start", name, 200.0, ""));
        lx += w;
    }
    let y0 = ly + 14.0;
    let plot_h = chart.bars.len() as f64 * (bar_h + gap);
    let axis_y = y0 + plot_h;
    let sx = |v: f64| x0 + v.clamp(0.0, 1.0) * (x1 - x0);
    for t in ticks(0.0, 1.0, tick_count(x1 - x0, 10)) {
        let x = sx(t);
        let _ = writeln!(
            s,
            "<line x1=\"{x}\" y1=\"{}\" x2=\"{x}\" y2=\"{}\" stroke=\"#d0d0d0\" stroke-width=\"1\"/>",
            n(y0),
            n(axis_y),
            x = n(x)
        );
        s.push_str(&label(
            x,
            axis_y + 16.0,
            "middle",
            &format!("{}%", tick_label(100.0 * t)),
            50.0,
            "",
        ));
    }
    for (i, b) in chart.bars.iter().enumerate() {
        let y = y0 + i as f64 * (bar_h + gap) + gap / 2.0;
        s.push_str(&label(
            x0 - 8.0,
            y + bar_h / 2.0 + 4.0,
            "end",
            &b.label,
            label_w,
            "",
        ));
        let mut acc = 0.0;
        for (k, share) in b.shares.iter().enumerate() {
            let share = if share.is_finite() {
                share.max(0.0)
            } else {
                0.0
            };
            if share <= 0.0 {
                continue;
            }
            let xa = sx(acc);
            let xb = sx(acc + share);
            acc += share;
            let name = chart.segments.get(k).map_or("", String::as_str);
            let pct = crate::numbers::probability(share);
            let _ = writeln!(
                s,
                "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"url(#{id}-p{k})\" stroke=\"#1a1a1a\" stroke-width=\"0.6\"><title>{}, {}: {}</title></rect>",
                n(xa),
                n(y),
                n((xb - xa).max(0.0)),
                n(bar_h),
                xml(&b.label),
                xml(name),
                xml(&pct)
            );
            let tw = text_width(&pct, 11.0) + 6.0;
            if xb - xa >= tw {
                let (bg, _, _) = segment_style(k);
                let dark = matches!(bg, "#1f3f6f" | "#5b8cc2" | "#b05f17" | "#6b3a0d");
                let fill = if dark { "#ffffff" } else { "#000000" };
                // A halo keeps the figure legible over the texture.
                let halo = if dark { "#1a1a1a" } else { "#ffffff" };
                let _ = writeln!(
                    s,
                    "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-size=\"11\" fill=\"{fill}\" stroke=\"{halo}\" stroke-width=\"2.5\" paint-order=\"stroke\">{}</text>",
                    n((xa + xb) / 2.0),
                    n(y + bar_h / 2.0 + 4.0),
                    xml(&pct)
                );
            }
        }
    }
    let _ = writeln!(
        s,
        "<line x1=\"{x0}\" y1=\"{ay}\" x2=\"{x1}\" y2=\"{ay}\" stroke=\"#1a1a1a\" stroke-width=\"1\"/>",
        x0 = n(x0),
        x1 = n(x1),
        ay = n(axis_y)
    );
    axis_title_below(&mut s, x0, x1, axis_y, &chart.axis_label);
    (axis_y + 50.0, s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::doc::{Bar, Series, StackedBar};

    #[test]
    fn ticks_are_round() {
        assert_eq!(
            ticks(0.0, 40.0, 8),
            vec![0.0, 5.0, 10.0, 15.0, 20.0, 25.0, 30.0, 35.0, 40.0]
        );
        assert_eq!(ticks(0.0, 1.0, 10).len(), 11);
        assert_eq!(ticks(5.0, 5.0, 8), vec![5.0]);
    }

    #[test]
    fn spread_keeps_labels_apart_and_in_bounds() {
        let p = spread(&[100.0, 100.0, 100.0, 300.0], 16.0, 0.0, 310.0);
        let mut sorted = p.clone();
        sorted.sort_by(f64::total_cmp);
        for w in sorted.windows(2) {
            assert!(w[1] - w[0] >= 16.0 - 1e-9);
        }
        let p = spread(&[300.0, 300.0, 300.0], 16.0, 0.0, 300.0);
        assert!(p.iter().all(|y| *y <= 300.0 && *y >= 0.0), "{p:?}");
    }

    #[test]
    fn long_labels_are_shortened_with_the_full_text_kept() {
        let long = "A very long option name that goes on and on and on and on and on";
        let s = label(0.0, 0.0, "start", long, 100.0, "");
        assert!(s.contains('…'));
        assert!(s.contains(&format!("<title>{long}</title>")));
    }

    #[test]
    fn hostile_text_is_escaped_everywhere() {
        let evil = "<script>alert(1)</script>";
        let charts = [
            ChartKind::Bars(BarChart {
                axis_label: evil.into(),
                min: 0.0,
                max: 10.0,
                bars: vec![Bar {
                    label: evil.into(),
                    value: 5.0,
                    display: "5/10".into(),
                }],
            }),
            ChartKind::Lines(LineChart {
                x_label: evil.into(),
                y_label: evil.into(),
                x_percent: true,
                x_range: (0.0, 1.0),
                y_range: (0.0, 10.0),
                series: vec![Series {
                    label: evil.into(),
                    points: vec![(0.0, 1.0), (1.0, 9.0)],
                }],
                marker: None,
                band: None,
            }),
            ChartKind::Stacked(StackedChart {
                axis_label: evil.into(),
                segments: vec![evil.into()],
                bars: vec![StackedBar {
                    label: evil.into(),
                    shares: vec![1.0],
                }],
            }),
        ];
        for kind in charts {
            let c = Chart {
                key: "k".into(),
                title: evil.into(),
                description: evil.into(),
                kind,
                number: None,
            };
            let svg = chart_svg(&c);
            assert!(!svg.contains("<script"), "{svg}");
            assert!(svg.contains("&lt;script&gt;"));
        }
    }

    #[test]
    fn sixteen_lines_differ_in_colour_or_marker() {
        let mut seen = std::collections::HashSet::new();
        for i in 0..16 {
            let (colour, _, shape) = series_style(i);
            assert!(
                seen.insert((colour, shape)),
                "line {i} repeats an earlier one"
            );
        }
    }

    #[test]
    fn the_band_label_stays_clear_of_the_marker_line() {
        let bounds = (70.0, 500.0);
        for m in [150.0, 200.0, 250.0, 300.0, 349.0] {
            let t = band_text(
                100.0,
                400.0,
                300.0,
                "Peer Practice Partner first",
                Some(m),
                bounds,
            );
            let x: f64 = t
                .split("x=\"")
                .nth(1)
                .unwrap()
                .split('"')
                .next()
                .unwrap()
                .parse()
                .unwrap();
            let w = text_width("Peer Practice Partner first", BAND_SIZE);
            let (from, to) = if t.contains("\"start\"") {
                (x, x + w)
            } else if t.contains("\"end\"") {
                (x - w, x)
            } else {
                (x - w / 2.0, x + w / 2.0)
            };
            assert!(
                m < from || m > to,
                "marker at {m} crosses {from}..{to}: {t}"
            );
        }
    }

    #[test]
    fn numbers_never_print_as_nan() {
        assert_eq!(n(f64::NAN), "0");
        assert_eq!(n(-0.01), "0");
        assert_eq!(n(12.26), "12.3");
    }
}
