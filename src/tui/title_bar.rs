//! The title line at the top, in reverse video: what is open on the left
//! (cut to fit, in bold) and where it stands on the right (the file and
//! whether it has unsaved changes, or the step of the guided start). One
//! widget for the scoring screen and the guided start.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::widgets::Widget;

use super::measure::fit;

/// The two ends of the title line.
#[derive(Debug, Clone, Copy)]
pub struct TitleBar<'a> {
    /// What is open, cut to the room the right end leaves.
    pub left: &'a str,
    /// Shown whole at the right, where it fits.
    pub right: &'a str,
}

impl Widget for TitleBar<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let style = Style::default().add_modifier(Modifier::REVERSED);
        buf.set_style(area, style);
        let right_w = self.right.chars().count() as u16;
        let left_w = usize::from(area.width.saturating_sub(right_w));
        buf.set_stringn(
            area.x,
            area.y,
            fit(self.left, left_w),
            left_w,
            style.add_modifier(Modifier::BOLD),
        );
        if area.width > right_w {
            buf.set_stringn(
                area.right() - right_w,
                area.y,
                self.right,
                usize::from(right_w),
                style,
            );
        }
    }
}
