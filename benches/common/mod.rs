//! Helpers shared by the TUI benchmarks.

use appraise::tui::{Action, App, key_to_action, update};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

/// The app on an appraisal's text, sized to a `w` x `h` terminal.
pub fn app_for(text: &str, w: u16, h: u16) -> App {
    let loaded = appraise::load_str("bench.toml", text).expect("valid");
    let mut app = App::new(loaded, None);
    update(&mut app, Action::Resize(w, h));
    app
}

/// One key press and the frame that shows it.
pub fn key_to_frame(app: &mut App, term: &mut Terminal<TestBackend>, code: KeyCode) {
    if let Some(a) = key_to_action(app, KeyEvent::new(code, KeyModifiers::NONE)) {
        update(app, a);
    }
    term.draw(|f| appraise::tui::view::draw(f, app))
        .expect("draw");
}
