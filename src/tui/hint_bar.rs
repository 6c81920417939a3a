//! The hint bar: the bottom line of keys that work now, as (key, what it
//! does) pairs from the key table. One widget for the scoring screen and
//! the guided start, so that both lay their keys out alike: each key in
//! reverse video with its word after it, as many whole hints as fit, most
//! useful first, never one cut short.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::widgets::Widget;

/// The hints to draw, most useful first.
#[derive(Debug, Clone, Copy)]
pub struct HintBar<'a> {
    /// (key as shown, what it does).
    pub hints: &'a [(String, &'static str)],
}

impl HintBar<'_> {
    /// How many of the hints fit in `width` columns, whole.
    pub fn fitting(&self, width: u16) -> usize {
        let mut x = 0usize;
        self.hints
            .iter()
            .take_while(|(k, label)| {
                x += k.chars().count() + label.chars().count() + 3;
                x <= usize::from(width)
            })
            .count()
    }
}

impl Widget for HintBar<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        if area.height == 0 {
            return;
        }
        let key_style = Style::default().add_modifier(Modifier::REVERSED);
        let mut x = area.x;
        for (k, label) in self.hints.iter().take(self.fitting(area.width)) {
            let kw = k.chars().count() as u16;
            buf.set_string(x + 1, area.y, k, key_style);
            buf.set_string(x + 1 + kw, area.y, format!(" {label}"), Style::default());
            x += kw + label.chars().count() as u16 + 3;
        }
    }
}
