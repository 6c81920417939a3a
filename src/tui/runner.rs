//! Running the TUI in a real terminal: the runner owns the terminal, feeds
//! events through the keymap into `update`, draws each frame, keeps the
//! recovery file current (on a thread of its own, off the key path), and
//! always gives the terminal back, whether the app ends normally, with an
//! error, with a panic, or on SIGTERM or SIGHUP.

use std::io::{self, Stdout};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crossterm::event::{
    self, DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
    Event,
};
use crossterm::execute;
use crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;

use super::action::{Action, key_to_action, mouse_to_action};
use super::app::{App, RecoveryJob};
use super::update::update;
use crate::save::Fingerprint;

/// How long after the last key the app counts as idle (and checks the disk).
const IDLE: Duration = Duration::from_millis(400);
/// How often the file on disk is checked for changes made by someone else.
const DISK_CHECK_EVERY: Duration = Duration::from_secs(3);

/// Puts the terminal back as it was. Safe to call more than once.
pub fn restore_terminal() {
    let _ = disable_raw_mode();
    let _ = execute!(
        io::stdout(),
        DisableBracketedPaste,
        DisableMouseCapture,
        LeaveAlternateScreen
    );
    let _ = execute!(io::stdout(), crossterm::cursor::Show);
}

/// Restores the terminal when dropped, so an early return or error cannot leave it raw.
struct TerminalGuard;

impl TerminalGuard {
    fn enter() -> io::Result<TerminalGuard> {
        enable_raw_mode()?;
        let guard = TerminalGuard;
        // Bracketed paste makes a paste one event, so pasted text can never
        // run as a string of commands on the grid.
        execute!(
            io::stdout(),
            EnterAlternateScreen,
            EnableMouseCapture,
            EnableBracketedPaste
        )?;
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

/// Writes recovery files on a thread of its own, so that a key never waits
/// for the disk (a large appraisal's recovery text takes a moment to build,
/// and a slow or network disk longer to flush). Jobs that queue up while one
/// is written are merged: only the newest state is written.
struct RecoveryWriter {
    jobs: Option<mpsc::Sender<RecoveryJob>>,
    errors: mpsc::Receiver<String>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl RecoveryWriter {
    fn start() -> RecoveryWriter {
        let (jobs, inbox) = mpsc::channel::<RecoveryJob>();
        let (report, errors) = mpsc::channel();
        let thread = std::thread::Builder::new()
            .name("recovery".into())
            .spawn(move || {
                while let Ok(mut job) = inbox.recv() {
                    // Only the newest state matters.
                    while let Ok(newer) = inbox.try_recv() {
                        job = newer;
                    }
                    if let Err(e) = job.run() {
                        let _ = report.send(e.to_string());
                    }
                }
            })
            .ok();
        RecoveryWriter {
            jobs: thread.as_ref().map(|_| jobs),
            errors,
            thread,
        }
    }

    /// Queues a job; without a thread (none could be started), runs it here.
    fn send(&self, job: RecoveryJob) -> Result<(), String> {
        let job = match &self.jobs {
            Some(tx) => match tx.send(job) {
                Ok(()) => return Ok(()),
                // The thread has gone: write it here instead.
                Err(mpsc::SendError(job)) => job,
            },
            None => job,
        };
        job.run().map_err(|e| e.to_string())
    }

    /// The first error reported since the last call, if any.
    fn error(&self) -> Option<String> {
        self.errors.try_recv().ok()
    }

    /// Waits for queued jobs to be written.
    fn finish(mut self) {
        self.jobs = None;
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// Signals that end the app: the window closed (SIGHUP), or a polite
/// request to stop (SIGTERM, as from `kill` or a shutdown). Either way the
/// unsaved work is written to the recovery file and the terminal restored
/// before the process ends.
fn watch_signals() -> Arc<AtomicUsize> {
    let caught = Arc::new(AtomicUsize::new(0));
    #[cfg(unix)]
    for sig in [signal_hook::consts::SIGTERM, signal_hook::consts::SIGHUP] {
        // Failing to register leaves the default (the process ends), as before.
        let _ = signal_hook::flag::register_usize(sig, Arc::clone(&caught), sig as usize);
    }
    caught
}

/// How often the loop wakes while waiting for keys, to notice a signal.
const TICK: Duration = Duration::from_millis(50);

/// Runs the app until the user quits, or until SIGTERM or SIGHUP (then
/// [`App::stopped_by`] names the signal). Unsaved work is kept in the
/// recovery file throughout, written off the key path just after each burst
/// of keys, so even an error or a crash loses at most the last moment.
pub fn run(mut app: App) -> io::Result<App> {
    install_panic_hook();
    let signals = watch_signals();
    let _guard = TerminalGuard::enter()?;
    let mut terminal = Terminal::new(CrosstermBackend::new(io::stdout()))?;
    app.view.colour = colour_allowed();
    let size = terminal.size()?;
    update(&mut app, Action::Resize(size.width, size.height));
    let writer = RecoveryWriter::start();
    let mut last_key = Instant::now();
    let mut last_disk_check = Instant::now();
    let mut last_heartbeat = Instant::now();
    let mut warned_about: Option<Option<Fingerprint>> = None;
    let mut reported_recovery_error = false;
    let mut mouse = true;
    let result = loop {
        if app.view.mouse != mouse {
            // M turned the mouse off (for the terminal's own text selection) or on.
            mouse = app.view.mouse;
            let _ = if mouse {
                execute!(io::stdout(), EnableMouseCapture)
            } else {
                execute!(io::stdout(), DisableMouseCapture)
            };
        }
        if let Err(e) = draw(&mut terminal, &app) {
            break Err(e);
        }
        if app.quit {
            break Ok(());
        }
        if let Some(sig) = caught(&signals) {
            app.stopped_by = Some(sig);
            break Ok(());
        }
        if app.view.mode == super::app::Mode::Sensitivity
            && !app.doc.live_is_current()
            && !event::poll(Duration::ZERO)?
        {
            // A large appraisal's analysis waits until the keys stop.
            app.doc.refresh_live();
            continue;
        }
        let ready = event::poll(TICK)?;
        if ready {
            last_key = Instant::now();
            // Apply every waiting event before drawing again, so a burst of
            // keys (or a paste) never queues up behind frames.
            loop {
                handle(&mut app, event::read()?);
                if app.quit || !event::poll(Duration::ZERO)? {
                    break;
                }
            }
        }
        let idle = last_key.elapsed() >= IDLE;
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
        if last_heartbeat.elapsed() >= crate::recovery::HEARTBEAT {
            last_heartbeat = Instant::now();
            app.doc.heartbeat();
        }
        if let Some(job) = app.doc.take_recovery_job() {
            let sent = writer.send(job);
            if let Err(e) = sent {
                report_recovery_error(&mut app, &mut reported_recovery_error, &e);
            }
        }
        if let Some(e) = writer.error() {
            report_recovery_error(&mut app, &mut reported_recovery_error, &e);
        }
    };
    // Whatever ended the loop, the newest state reaches the recovery file
    // before the process goes (the file is removed if nothing is unsaved).
    if let Some(job) = app.doc.take_recovery_job() {
        let _ = writer.send(job);
    }
    writer.finish();
    result.map(|()| app)
}

fn report_recovery_error(app: &mut App, reported: &mut bool, e: &str) {
    if !std::mem::replace(reported, true) {
        app.view.error(format!(
            "Could not keep a recovery copy ({e}); save often with Ctrl-s"
        ));
    }
}

/// The signal caught, if any, by name.
fn caught(signals: &AtomicUsize) -> Option<&'static str> {
    #[cfg(unix)]
    match signals.load(Ordering::SeqCst) as i32 {
        0 => None,
        signal_hook::consts::SIGHUP => Some("SIGHUP"),
        _ => Some("SIGTERM"),
    }
    #[cfg(not(unix))]
    {
        let _ = signals;
        None
    }
}

fn draw(terminal: &mut Terminal<CrosstermBackend<Stdout>>, app: &App) -> io::Result<()> {
    terminal.draw(|f| super::view::draw(f, app))?;
    Ok(())
}

fn handle(app: &mut App, ev: Event) {
    let action = match ev {
        Event::Key(k) => key_to_action(app, k),
        Event::Mouse(m) => mouse_to_action(app, m),
        Event::Resize(w, h) => Some(Action::Resize(w, h)),
        Event::Paste(text) => Some(Action::Paste(text)),
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
