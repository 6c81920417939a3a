//! Running the TUI in a real terminal: the runner owns the terminal, feeds
//! events through the keymap into `update`, draws each frame, keeps the
//! recovery file current (on a thread of its own, off the key path), and
//! always gives the terminal back, whether the app ends normally, with an
//! error, with a panic, or on SIGTERM or SIGHUP.

use std::io::{self, Stdout};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Mutex, Once};
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

use super::action::Action;
use super::app::{App, Mode};
use super::effect::{Done, Effect, LiveJob};
use super::keep::{Keep, RecoveryWriter};
use super::keymap::key_to_action;
use super::live::analyse_in_frame;
use super::update::{finish, update};
use super::view::mouse_to_action;
use crate::recovery;
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
pub(crate) struct TerminalGuard;

impl TerminalGuard {
    /// Enters raw mode and the alternate screen, with mouse and bracketed paste.
    pub(crate) fn enter() -> io::Result<TerminalGuard> {
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
pub(crate) fn install_panic_hook() {
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

/// Signals that end the app: the window closed (SIGHUP), or a polite
/// request to stop (SIGTERM, as from `kill` or a shutdown). Either way the
/// unsaved work is written to the recovery file and the terminal restored
/// before the process ends.
pub(crate) fn watch_signals() -> Arc<AtomicUsize> {
    let caught = Arc::new(AtomicUsize::new(0));
    #[cfg(unix)]
    for sig in [signal_hook::consts::SIGTERM, signal_hook::consts::SIGHUP] {
        // Failing to register leaves the default (the process ends), as before.
        let _ = signal_hook::flag::register_usize(sig, Arc::clone(&caught), sig as usize);
    }
    caught
}

/// How often the loop wakes while waiting for keys, to notice a signal, a
/// lost terminal, or a finished job.
pub(crate) const TICK: Duration = Duration::from_millis(50);

/// What reaches the loop: a terminal event, or a job's result.
pub(crate) enum Incoming {
    /// A key, click, paste or resize.
    Event(Event),
    /// The terminal could not be read.
    ReadFailed(io::Error),
    /// A background job finished (or reports progress).
    Done(Done),
}

/// Where the terminal's events go: the screen running now (the guided
/// start of a new appraisal, then the scoring screen), and what arrived
/// while no screen was taking them, kept for the next.
struct EventSink {
    to: Option<mpsc::Sender<Incoming>>,
    waiting: Vec<Incoming>,
}

static EVENT_SINK: Mutex<EventSink> = Mutex::new(EventSink {
    to: None,
    waiting: Vec::new(),
});
/// The one thread that reads the terminal, started by the first screen.
static EVENT_READER: Once = Once::new();

fn event_sink() -> std::sync::MutexGuard<'static, EventSink> {
    EVENT_SINK.lock().unwrap_or_else(|e| e.into_inner())
}

/// Reads terminal events on a thread of its own and passes them to `tx`.
///
/// Crossterm's reader never returns once the terminal has gone (a closed
/// pseudo-terminal reads as end-of-file, and it reads again at once,
/// forever), so it must not run on the loop that notices signals and
/// writes the recovery file; [`Hangup`] tells the loop instead. Nor can it
/// be stopped, so one thread serves every screen of the process, each
/// taking over its events in turn ([`hand_back`] ends a screen's turn): a
/// second reader would take keys from the first. Keys typed between two
/// screens go to the second.
pub(crate) fn read_events(tx: mpsc::Sender<Incoming>) {
    {
        let mut sink = event_sink();
        for msg in std::mem::take(&mut sink.waiting) {
            let _ = tx.send(msg);
        }
        sink.to = Some(tx);
    }
    EVENT_READER.call_once(|| {
        let _ = std::thread::Builder::new()
            .name("terminal input".into())
            .spawn(move || {
                loop {
                    let msg = match event::read() {
                        Ok(ev) => Incoming::Event(ev),
                        Err(e) => Incoming::ReadFailed(e),
                    };
                    let failed = matches!(msg, Incoming::ReadFailed(_));
                    let mut sink = event_sink();
                    let unsent = match &sink.to {
                        Some(tx) => tx.send(msg).err().map(|e| e.0),
                        None => Some(msg),
                    };
                    if let Some(msg) = unsent {
                        sink.to = None;
                        sink.waiting.push(msg);
                    }
                    drop(sink);
                    if failed {
                        return;
                    }
                }
            });
    });
}

/// Ends a screen's turn at the terminal's events: those it has not taken
/// from `rx` yet, and any that come before the next screen starts, are
/// kept for the next screen.
pub(crate) fn hand_back(rx: mpsc::Receiver<Incoming>) {
    let mut sink = event_sink();
    sink.to = None;
    let mut untaken: Vec<Incoming> = rx.try_iter().collect();
    untaken.append(&mut sink.waiting);
    sink.waiting = untaken;
}

/// Notices when the terminal has gone without a signal saying so (the
/// terminal emulator or tmux server killed, the pseudo-terminal's other end
/// closed): the terminal then reports a hang-up when polled.
pub(crate) struct Hangup {
    #[cfg(unix)]
    tty: Option<std::fs::File>,
}

impl Hangup {
    /// Watches the terminal the events are read from.
    pub(crate) fn watch() -> Hangup {
        #[cfg(unix)]
        {
            use std::io::IsTerminal;
            // Crossterm reads from standard input when it is a terminal,
            // and from /dev/tty otherwise; watch the same.
            let tty = if io::stdin().is_terminal() {
                None
            } else {
                std::fs::File::open("/dev/tty").ok()
            };
            Hangup { tty }
        }
        #[cfg(not(unix))]
        Hangup {}
    }

    /// Whether the terminal has hung up.
    pub(crate) fn hung_up(&self) -> bool {
        #[cfg(unix)]
        {
            use rustix::event::{PollFd, PollFlags, poll};
            use std::os::fd::AsFd;
            let stdin = io::stdin();
            let fd = match &self.tty {
                Some(f) => f.as_fd(),
                None => stdin.as_fd(),
            };
            let mut fds = [PollFd::new(&fd, PollFlags::IN)];
            let zero = rustix::event::Timespec {
                tv_sec: 0,
                tv_nsec: 0,
            };
            match poll(&mut fds, Some(&zero)) {
                Ok(_) => fds[0]
                    .revents()
                    .intersects(PollFlags::HUP | PollFlags::ERR | PollFlags::NVAL),
                Err(_) => false,
            }
        }
        #[cfg(not(unix))]
        false
    }
}

/// Where jobs run: each slow effect on a thread of its own, its result sent
/// back to the loop as [`Incoming::Done`], as gitui's async jobs do.
struct Jobs {
    tx: mpsc::Sender<Incoming>,
    writer: RecoveryWriter,
    /// A live analysis is being worked out.
    analysing: bool,
    /// Whether mouse capture is on.
    mouse: bool,
    /// Whether a failure to keep the recovery file has been reported.
    reported: bool,
}

impl Jobs {
    /// Runs `work` on a thread, sending its result back; if no thread can
    /// be started, runs it here.
    fn spawn(&self, name: &str, work: impl FnOnce() -> Done + Send + 'static) {
        // The work is shared with the thread only so that it can still be
        // done here if the thread cannot be started.
        let slot = Arc::new(std::sync::Mutex::new(Some(work)));
        let take = |slot: &std::sync::Mutex<Option<_>>| slot.lock().ok().and_then(|mut w| w.take());
        let (theirs, tx) = (Arc::clone(&slot), self.tx.clone());
        let started = std::thread::Builder::new()
            .name(name.to_owned())
            .spawn(move || {
                if let Some(work) = take(&theirs) {
                    let _ = tx.send(Incoming::Done(work()));
                }
            });
        if started.is_err()
            && let Some(work) = take(&slot)
        {
            let _ = self.tx.send(Incoming::Done(work()));
        }
    }

    /// Performs one effect.
    fn perform(&mut self, app: &mut App, effect: Effect) {
        match effect {
            Effect::Save { job, then_quit } => self.spawn("save", move || Done::Saved {
                outcome: job.run(),
                then_quit,
            }),
            Effect::LoadPanel(job) => {
                self.spawn("panel", move || Done::PanelLoaded(Box::new(job.run())));
            }
            Effect::Export(job) => {
                let tx = self.tx.clone();
                self.spawn("export", move || {
                    let started = Instant::now();
                    let mut progress = |stage: &str| {
                        let _ = tx.send(Incoming::Done(Done::Progress {
                            stage: stage.to_owned(),
                            seconds: started.elapsed().as_secs(),
                        }));
                    };
                    let outcome = job.clone().run(&mut progress);
                    Done::Exported {
                        job: Box::new(job),
                        outcome,
                    }
                });
            }
            Effect::Analyse => {
                if app.doc.live_is_current() || self.analysing {
                    // One at a time; the one under way asks again if stale.
                    return;
                }
                let job = LiveJob::of(app);
                if analyse_in_frame(app.doc.appraisal()) {
                    let done = Done::Analysed(Box::new(job.run()));
                    let more = finish(app, done);
                    self.perform_all(app, more);
                } else {
                    self.analysing = true;
                    self.spawn("analysis", move || Done::Analysed(Box::new(job.run())));
                }
            }
            Effect::KeepRecovery => {
                if let Some(news) = app.doc.take_recovery_news() {
                    self.keep(app, news);
                }
            }
            Effect::DiscardRecovery => self.keep(app, Keep::Discard),
            Effect::Remove(paths) => {
                for p in paths {
                    let _ = std::fs::remove_file(p);
                }
            }
            Effect::Release(claim) => drop(claim),
            Effect::CheckWeights(job) => self.spawn("weights", move || job.run()),
            Effect::PanelDisagreement(job) => self.spawn("disagreement", move || job.done()),
            Effect::Mouse(on) => {
                if on != self.mouse {
                    self.mouse = on;
                    let _ = if on {
                        execute!(io::stdout(), EnableMouseCapture)
                    } else {
                        execute!(io::stdout(), DisableMouseCapture)
                    };
                }
            }
        }
    }

    fn perform_all(&mut self, app: &mut App, effects: Vec<Effect>) {
        for e in effects {
            self.perform(app, e);
        }
    }

    fn keep(&mut self, app: &mut App, news: Keep) {
        if let Err(e) = self.writer.send(news) {
            self.report(app, &e);
        }
    }

    /// Says, once, that the recovery file could not be kept.
    fn report(&mut self, app: &mut App, e: &str) {
        if !std::mem::replace(&mut self.reported, true) {
            app.view.error(format!(
                "Could not keep a recovery copy ({e}); save often with Ctrl-s"
            ));
        }
    }
}

/// Runs the app until the user quits, or until SIGTERM or SIGHUP or the
/// terminal goes away (then [`App::stopped_by`] says which). Unsaved work
/// is kept in the recovery file throughout, written off the key path just
/// after each burst of keys, so even an error or a crash loses at most the
/// last moment.
pub fn run(mut app: App) -> io::Result<App> {
    install_panic_hook();
    let signals = watch_signals();
    let _guard = TerminalGuard::enter()?;
    let mut terminal = Terminal::new(CrosstermBackend::new(io::stdout()))?;
    app.view.colour = colour_allowed();
    let (tx, rx) = mpsc::channel();
    let mut jobs = Jobs {
        tx: tx.clone(),
        writer: RecoveryWriter::start(super::keep::PAUSE),
        analysing: false,
        mouse: true,
        reported: false,
    };
    let size = terminal.size()?;
    let fx = update(&mut app, Action::Resize(size.width, size.height));
    jobs.perform_all(&mut app, fx);
    // The document as opened, for the recovery writer to follow.
    if let Some(news) = app.doc.take_recovery_news() {
        jobs.keep(&mut app, news);
    }
    let hangup = Hangup::watch();
    read_events(tx);
    let mut last_key = Instant::now();
    let mut last_disk_check = Instant::now();
    let mut last_heartbeat = Instant::now();
    let mut warned_about: Option<Option<Fingerprint>> = None;
    let mut export_started: Option<Instant> = None;
    let result = loop {
        if let Err(e) = draw(&mut terminal, &app) {
            if hangup.hung_up() {
                app.stopped_by = Some(TERMINAL_LOST);
                break Ok(());
            }
            break Err(e);
        }
        if app.quit {
            break Ok(());
        }
        let stop = caught(&signals).or_else(|| hangup.hung_up().then_some(TERMINAL_LOST));
        if let Some(why) = stop {
            // Keys typed just before the signal are still on their way
            // from the terminal: take them in, so that they are kept too.
            take_last_keys(&mut app, &mut jobs, &rx);
            app.stopped_by = Some(why);
            break Ok(());
        }
        let first = match rx.recv_timeout(TICK) {
            Ok(m) => Some(m),
            Err(mpsc::RecvTimeoutError::Timeout) => None,
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                app.stopped_by = Some(TERMINAL_LOST);
                break Ok(());
            }
        };
        // Apply everything waiting before drawing again, so a burst of keys
        // (or a paste) never queues up behind frames.
        let mut next = first;
        let mut failed = None;
        while let Some(msg) = next {
            match msg {
                Incoming::Event(ev) => {
                    last_key = Instant::now();
                    let fx = handle(&mut app, ev);
                    jobs.perform_all(&mut app, fx);
                }
                Incoming::ReadFailed(e) => {
                    failed = Some(e);
                    break;
                }
                Incoming::Done(done) => {
                    if matches!(done, Done::Analysed(_)) {
                        jobs.analysing = false;
                    }
                    let fx = finish(&mut app, done);
                    jobs.perform_all(&mut app, fx);
                }
            }
            if app.quit {
                break;
            }
            next = rx.try_recv().ok();
        }
        if let Some(e) = failed {
            if hangup.hung_up() {
                app.stopped_by = Some(TERMINAL_LOST);
                break Ok(());
            }
            break Err(e);
        }
        // The export's clock, on the message line while it runs.
        match (&app.jobs.export, export_started) {
            (Some(p), Some(t)) if t.elapsed().as_secs() != p.seconds => {
                let stage = p.stage.clone();
                let fx = finish(
                    &mut app,
                    Done::Progress {
                        stage,
                        seconds: t.elapsed().as_secs(),
                    },
                );
                jobs.perform_all(&mut app, fx);
            }
            (Some(_), None) => export_started = Some(Instant::now()),
            (None, Some(_)) => export_started = None,
            _ => {}
        }
        let idle = last_key.elapsed() >= IDLE;
        if idle && app.view.mode == Mode::Sensitivity && !app.doc.live_is_current() {
            // A large appraisal's analysis waits until the keys stop.
            jobs.perform(&mut app, Effect::Analyse);
        }
        if idle && last_disk_check.elapsed() >= DISK_CHECK_EVERY {
            last_disk_check = Instant::now();
            check_disk(&mut app, &mut warned_about);
        }
        if last_heartbeat.elapsed() >= crate::recovery::HEARTBEAT {
            last_heartbeat = Instant::now();
            app.doc.heartbeat();
        }
        if let Some(e) = jobs.writer.error() {
            jobs.report(&mut app, &e);
        }
    };
    // Whatever ended the loop, the newest state reaches the recovery file
    // before the process goes (the file is removed if nothing is unsaved).
    if let Some(news) = app.doc.take_recovery_news() {
        let _ = jobs.writer.send(news);
    }
    jobs.writer.finish();
    result.map(|()| app)
}

/// How long keys already typed may take to arrive once the app is told to stop.
const LAST_KEYS: Duration = Duration::from_millis(100);

/// Applies the keys already typed when a signal came, waiting briefly for
/// those still on their way from the terminal (a key read just before the
/// signal must not be lost with it).
fn take_last_keys(app: &mut App, jobs: &mut Jobs, rx: &mpsc::Receiver<Incoming>) {
    let until = Instant::now() + LAST_KEYS;
    while let Some(left) = until.checked_duration_since(Instant::now()) {
        match rx.recv_timeout(left.min(Duration::from_millis(20))) {
            Ok(Incoming::Event(ev)) => {
                let fx = handle(app, ev);
                jobs.perform_all(app, fx);
            }
            Ok(Incoming::Done(done)) => {
                let fx = finish(app, done);
                jobs.perform_all(app, fx);
            }
            Ok(Incoming::ReadFailed(_)) | Err(_) => return,
        }
    }
}

/// What [`App::stopped_by`] holds when the terminal went away.
pub const TERMINAL_LOST: &str = "terminal lost";

/// Warns, once per state of the disk, when the file was changed or removed
/// by someone else.
fn check_disk(app: &mut App, warned_about: &mut Option<Option<Fingerprint>>) {
    let changed = app.doc.changed_on_disk();
    let missing = app.doc.missing_on_disk();
    if !(changed || missing) {
        *warned_about = None;
        return;
    }
    // A second change after a save (or after a deletion) is reported too.
    let now = app.doc.path().and_then(Fingerprint::of_file);
    if *warned_about != Some(now) && app.view.message.is_none() {
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
        *warned_about = Some(now);
    }
}

/// The signal caught, if any, by name.
pub(crate) fn caught(signals: &AtomicUsize) -> Option<&'static str> {
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

/// Turns a terminal event into an action through the key table, and applies it.
fn handle(app: &mut App, ev: Event) -> Vec<Effect> {
    let action = match ev {
        Event::Key(k) => key_to_action(app, k),
        Event::Mouse(m) => mouse_to_action(app, m),
        Event::Resize(w, h) => Some(Action::Resize(w, h)),
        Event::Paste(text) => Some(Action::Paste(text)),
        _ => None,
    };
    match action {
        Some(a) => update(app, a),
        None => Vec::new(),
    }
}

/// Performs `effects` here and now, feeding each job's result back through
/// [`super::update::finish`] until nothing is left to do. This is what the
/// runner does, without threads; tests use it to go from a key to the disk.
pub fn perform_now(app: &mut App, effects: Vec<Effect>) {
    let mut queue: std::collections::VecDeque<Effect> = effects.into();
    while let Some(effect) = queue.pop_front() {
        let done = match effect {
            Effect::Save { job, then_quit } => Some(Done::Saved {
                outcome: job.run(),
                then_quit,
            }),
            Effect::LoadPanel(job) => Some(Done::PanelLoaded(Box::new(job.run()))),
            Effect::Export(job) => {
                let outcome = job.clone().run(&mut |_| {});
                Some(Done::Exported {
                    job: Box::new(job),
                    outcome,
                })
            }
            Effect::Analyse => (!app.doc.live_is_current())
                .then(|| Done::Analysed(Box::new(LiveJob::of(app).run()))),
            Effect::KeepRecovery => {
                let _ = app.doc.flush_recovery();
                None
            }
            Effect::DiscardRecovery => {
                if let Some(r) = app.doc.recovery_path() {
                    let _ = recovery::remove_recovery(r);
                }
                None
            }
            Effect::Remove(paths) => {
                for p in paths {
                    let _ = std::fs::remove_file(p);
                }
                None
            }
            Effect::Release(claim) => {
                drop(claim);
                None
            }
            Effect::Mouse(_) => None,
            Effect::CheckWeights(job) => Some(job.run()),
            Effect::PanelDisagreement(job) => Some(job.done()),
        };
        if let Some(done) = done {
            queue.extend(super::update::finish(app, done));
        }
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
