//! How much room text takes on screen: once wrapped, measured the way
//! ratatui wraps it, so that layouts give wrapped text exactly the rows it
//! needs; and cut to a width.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Widget, Wrap};

/// How many rows `lines` take when wrapped to `width`: drawn into a scratch
/// buffer and measured, so it matches what the paragraph really does.
pub fn wrapped_height(lines: &[Line], width: u16) -> u16 {
    let chars: usize = lines.iter().map(|l| l.width() + 1).sum();
    let bound = (2 * chars / usize::from(width.max(1)) + 2 * lines.len() + 1).min(2000) as u16;
    let area = Rect::new(0, 0, width.max(1), bound);
    let mut scratch = Buffer::empty(area);
    Paragraph::new(lines.to_vec())
        .wrap(Wrap { trim: false })
        .render(area, &mut scratch);
    (0..bound)
        .rev()
        .find(|&y| (0..area.width).any(|x| scratch[(x, y)].symbol() != " "))
        .map_or(0, |y| y + 1)
}

/// `s` cut to `w` characters, ending with an ellipsis when cut.
pub fn fit(s: &str, w: usize) -> String {
    if s.chars().count() <= w {
        return s.to_owned();
    }
    if w == 0 {
        return String::new();
    }
    let mut out: String = s.chars().take(w - 1).collect();
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_cut_with_an_ellipsis_only_when_too_long() {
        assert_eq!(fit("abcdef", 6), "abcdef");
        assert_eq!(fit("abcdef", 4), "abc…");
        assert_eq!(fit("abcdef", 0), "");
    }

    #[test]
    fn wrapped_text_is_measured_as_drawn() {
        assert_eq!(wrapped_height(&[Line::from("one two three")], 20), 1);
        assert_eq!(wrapped_height(&[Line::from("one two three")], 8), 2);
        assert_eq!(
            wrapped_height(&[Line::from("a"), Line::from(""), Line::from("b")], 8),
            3
        );
    }
}
