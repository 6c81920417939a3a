//! Running the TUI in a real terminal: the runner owns the terminal, feeds
//! events through the keymap into `update`, draws each frame, keeps the
//! recovery file current, and always gives the terminal back, whether the app
//! ends normally, with an error, or with a panic.

use std::io::{self, Stdout};
use std::time::{Duration, Instant};

use crossterm::event::{self, DisableMouseCapture, EnableMouseCapture, Event};
use crossterm::execute;
use crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;

use super::action::{Action, key_to_action, mouse_to_action};
use super::app::App;
use super::update::update;
use crate::save::Fingerprint;

/// How long the app waits for a key before doing idle work (writing the recovery file).
const IDLE: Duration = Duration::from_millis(400);
/// While keys keep coming, the recovery file is still written at least this often.
const RECOVERY_EVERY: Duration = Duration::from_secs(2);
/// How often the file on disk is checked for changes made by someone else.
const DISK_CHECK_EVERY: Duration = Duration::from_secs(3);

/// Puts the terminal back as it was. Safe to call more than once.
pub fn restore_terminal() {
    let _ = disable_raw_mode();
    let _ = execute!(io::stdout(), DisableMouseCapture, LeaveAlternateScreen);
    let _ = execute!(io::stdout(), crossterm::cursor::Show);
}

/// Restores the terminal when dropped, so an early return or error cannot leave it raw.
struct TerminalGuard;

impl TerminalGuard {
    fn enter() -> io::Result<TerminalGuard> {
        enable_raw_mode()?;
        let guard = TerminalGuard;
        execute!(io::stdout(), EnterAlternateScreen, EnableMouseCapture)?;
        Ok(guard)
    }
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        restore_terminal();
    }
}

/// Makes a panic restore the terminal before its message is printed, so the
/// message is readable and the shell usable.
fn install_panic_hook() {
    chain_panic_hook(restore_terminal);
}

/// Runs `first` on every panic, then whatever hook was installed before.
fn chain_panic_hook(first: fn()) {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        first();
        previous(info);
    }));
}

/// Whether colour may be used: NO_COLOR unset or empty.
pub fn colour_allowed() -> bool {
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// Runs the app until the user quits. Unsaved work is kept in the recovery
/// file throughout, so even an error or a crash loses at most the last moment.
pub fn run(mut app: App) -> io::Result<App> {
    install_panic_hook();
    let _guard = TerminalGuard::enter()?;
    let mut terminal = Terminal::new(CrosstermBackend::new(io::stdout()))?;
    app.view.colour = colour_allowed();
    let size = terminal.size()?;
    update(&mut app, Action::Resize(size.width, size.height));
    let mut last_flush = Instant::now();
    let mut last_disk_check = Instant::now();
    let mut warned_about: Option<Option<Fingerprint>> = None;
    let mut reported_recovery_error = false;
    loop {
        draw(&mut terminal, &app)?;
        if app.quit {
            break;
        }
        if app.view.mode == super::app::Mode::Sensitivity
            && !app.doc.live_is_current()
            && !event::poll(Duration::ZERO)?
        {
            // A large appraisal's analysis waits until the keys stop.
            app.doc.refresh_live();
            continue;
        }
        let idle = !event::poll(IDLE)?;
        if !idle {
            // Apply every waiting event before drawing again, so a burst of
            // keys (or a paste) never queues up behind frames.
            loop {
                handle(&mut app, event::read()?);
                if app.quit || !event::poll(Duration::ZERO)? {
                    break;
                }
            }
        }
        if idle && last_disk_check.elapsed() >= DISK_CHECK_EVERY {
            last_disk_check = Instant::now();
            let changed = app.doc.changed_on_disk();
            let missing = app.doc.missing_on_disk();
            if changed || missing {
                // Warn once per state of the disk, so a second change after a
                // save (or after a deletion) is reported too.
                let now = app.doc.path().and_then(Fingerprint::of_file);
                if warned_about != Some(now) && app.view.message.is_none() {
                    app.view.error(if missing {
                        format!(
                            "{} was deleted or moved elsewhere; Ctrl-s will save it again",
                            app.doc.display_name()
                        )
                    } else {
                        format!(
                            "{} was changed elsewhere; Ctrl-s will ask before overwriting it",
                            app.doc.display_name()
                        )
                    });
                    warned_about = Some(now);
                }
            } else {
                warned_about = None;
            }
        }
        if app.doc.recovery_is_stale() && (idle || last_flush.elapsed() >= RECOVERY_EVERY) {
            last_flush = Instant::now();
            if let Err(e) = app.doc.flush_recovery()
                && !reported_recovery_error
            {
                reported_recovery_error = true;
                app.view.error(format!(
                    "Could not keep a recovery copy ({e}); save often with Ctrl-s"
                ));
            }
        }
    }
    Ok(app)
}

fn draw(terminal: &mut Terminal<CrosstermBackend<Stdout>>, app: &App) -> io::Result<()> {
    terminal.draw(|f| f.render_widget(app, f.area()))?;
    Ok(())
}

fn handle(app: &mut App, ev: Event) {
    let action = match ev {
        Event::Key(k) => key_to_action(app, k),
        Event::Mouse(m) => mouse_to_action(app, m),
        Event::Resize(w, h) => Some(Action::Resize(w, h)),
        _ => None,
    };
    if let Some(a) = action {
        update(app, a);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;
    use std::sync::atomic::{AtomicUsize, Ordering};

    static ORDER: Mutex<Vec<&str>> = Mutex::new(Vec::new());
    static RESTORED: AtomicUsize = AtomicUsize::new(0);

    fn restore() {
        RESTORED.fetch_add(1, Ordering::SeqCst);
        ORDER
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push("restore");
    }

    #[test]
    fn a_panic_restores_first_and_still_reports() {
        // The hook is process-wide; this is the only test in the crate that sets one.
        let before = std::panic::take_hook();
        std::panic::set_hook(Box::new(|_| {
            ORDER
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push("message");
        }));
        chain_panic_hook(restore);
        let outcome = std::thread::spawn(|| panic!("boom")).join();
        std::panic::set_hook(before);
        assert!(outcome.is_err());
        assert_eq!(RESTORED.load(Ordering::SeqCst), 1);
        assert_eq!(
            *ORDER.lock().unwrap_or_else(|e| e.into_inner()),
            ["restore", "message"]
        );
    }
}
