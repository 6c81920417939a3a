//! Helpers shared by the TUI benchmarks.

use appraise::tui::effect::Effect;
use appraise::tui::live::analyse_in_frame;
use appraise::tui::runner::perform_now;
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

/// One key press and the frame that shows it, with the work the runner
/// does within the key press: the live analysis, when the appraisal is small
/// enough for it to be worked out in the frame (a large one waits until the
/// keys stop, and recovery files are kept off the key path).
pub fn key_to_frame(app: &mut App, term: &mut Terminal<TestBackend>, code: KeyCode) {
    if let Some(a) = key_to_action(app, KeyEvent::new(code, KeyModifiers::NONE)) {
        let fx = update(app, a);
        let in_frame = analyse_in_frame(app.doc.appraisal());
        let now: Vec<Effect> = fx
            .into_iter()
            .filter(|e| matches!(e, Effect::Analyse) && in_frame)
            .collect();
        perform_now(app, now);
    }
    term.draw(|f| appraise::tui::view::draw(f, app))
        .expect("draw");
}
