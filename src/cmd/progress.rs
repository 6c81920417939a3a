//! Progress bars for long runs, on standard error and only on a terminal:
//! piped or redirected, nothing is drawn, so logs and scripts see no
//! control characters.

use std::io::IsTerminal;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Whether progress may be drawn: standard error is a terminal.
pub fn shown() -> bool {
    std::io::stderr().is_terminal()
}

/// A bar counting `total` items of work (`what`, such as "samples"); hidden
/// when standard error is not a terminal.
pub fn counted(total: u64, message: &str, what: &str) -> ProgressBar {
    if !shown() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
    let template = format!(
        "{{msg}} [{{bar:30}}] {{human_pos}}/{{human_len}} {what} ({{percent}}%, {{eta}} left)"
    );
    if let Ok(style) = ProgressStyle::with_template(&template) {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.set_message(message.to_string());
    bar
}

/// A spinner with a message and the time taken, for work that cannot count
/// its steps (writing one large file); hidden when standard error is not a
/// terminal.
pub fn spinner(message: String) -> ProgressBar {
    if !shown() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
    if let Ok(style) = ProgressStyle::with_template("{spinner} {msg} ({elapsed})") {
        bar.set_style(style);
    }
    bar.set_message(message);
    bar.enable_steady_tick(Duration::from_millis(120));
    bar
}
