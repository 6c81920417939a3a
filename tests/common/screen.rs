//! A TUI frame rendered into ratatui's `TestBackend`, as cells or as text.

use appraise::tui::App;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;

/// Draws `app` at its current size, as the runner draws it, into a terminal.
pub fn terminal(app: &App) -> Terminal<TestBackend> {
    let (w, h) = app.view.size;
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| appraise::tui::view::draw(f, app)).unwrap();
    t
}

/// Draws `app` at its current size and returns the cells.
pub fn buffer(app: &App) -> Buffer {
    terminal(app).backend().buffer().clone()
}

/// The screen as text, one line per row, trailing spaces trimmed.
pub fn screen(app: &App) -> String {
    let buf = buffer(app);
    let w = buf.area.width as usize;
    let mut out = String::new();
    for row in buf.content.chunks(w) {
        let line: String = row.iter().map(|c| c.symbol()).collect();
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// Applies `action` and performs the effects it asks for (saving,
/// exporting, reading sheets, the live analysis, the recovery file) in
/// place, as the runner would without threads; returns the effects.
pub fn update(app: &mut App, action: appraise::tui::Action) -> Vec<appraise::tui::effect::Effect> {
    let fx = appraise::tui::update(app, action);
    appraise::tui::runner::perform_now(app, fx.clone());
    fx
}
