//! Running the guided start in the real terminal: the scoring screen's
//! runner parts (its terminal guard and panic hook, its one reader of the
//! terminal, its watch for signals and a lost terminal), with the start's
//! own loop. Writing the file is the only effect.

use std::io;
use std::sync::mpsc;

use crossterm::event::Event;
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;

use super::super::action::Action;
use super::super::keymap::start_action;
use super::super::runner::{
    Hangup, Incoming, TERMINAL_LOST, TICK, TerminalGuard, caught, hand_back, install_panic_hook,
    read_events, watch_signals,
};
use super::{Start, StartEffect, update};
use crate::skeleton;

/// Runs the guided start until the file is written ([`Start::written`]) or
/// the user leaves ([`Start::left`]); a signal or a lost terminal counts as
/// leaving, with nothing written. The terminal is restored however it ends.
pub fn run(start: Start) -> io::Result<Start> {
    let (tx, rx) = mpsc::channel();
    let outcome = run_with(start, tx, &rx);
    // Keys typed after the last step go to the scoring screen.
    hand_back(rx);
    outcome
}

fn run_with(
    mut start: Start,
    tx: mpsc::Sender<Incoming>,
    rx: &mpsc::Receiver<Incoming>,
) -> io::Result<Start> {
    install_panic_hook();
    let signals = watch_signals();
    let _guard = TerminalGuard::enter()?;
    let mut terminal = Terminal::new(CrosstermBackend::new(io::stdout()))?;
    let size = terminal.size()?;
    update(&mut start, Action::Resize(size.width, size.height));
    let hangup = Hangup::watch();
    read_events(tx);
    loop {
        terminal.draw(|f| super::view::draw(f, &start))?;
        if start.written.is_some() || start.left {
            return Ok(start);
        }
        let stop = caught(&signals).or_else(|| hangup.hung_up().then_some(TERMINAL_LOST));
        if let Some(why) = stop {
            start.left = true;
            start.stopped_by = Some(why);
            return Ok(start);
        }
        let mut next = match rx.recv_timeout(TICK) {
            Ok(m) => Some(m),
            Err(mpsc::RecvTimeoutError::Timeout) => None,
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                start.left = true;
                start.stopped_by = Some(TERMINAL_LOST);
                return Ok(start);
            }
        };
        while let Some(msg) = next {
            match msg {
                Incoming::Event(ev) => {
                    let action = match ev {
                        Event::Key(k) => start_action(start.key_mode(), k),
                        Event::Resize(w, h) => Some(Action::Resize(w, h)),
                        Event::Paste(text) => Some(Action::Paste(text)),
                        _ => None,
                    };
                    if let Some(a) = action {
                        let fx = update(&mut start, a);
                        perform(&mut start, fx);
                    }
                }
                Incoming::ReadFailed(e) => {
                    if hangup.hung_up() {
                        start.left = true;
                        start.stopped_by = Some(TERMINAL_LOST);
                        return Ok(start);
                    }
                    return Err(e);
                }
                Incoming::Done(_) => {}
            }
            if start.written.is_some() || start.left {
                break;
            }
            next = rx.try_recv().ok();
        }
    }
}

/// Performs the start's effects: writing the file, whole or not at all.
pub fn perform(start: &mut Start, effects: Vec<StartEffect>) {
    for e in effects {
        match e {
            StartEffect::Write {
                path,
                plan,
                replace,
            } => {
                let outcome = skeleton::write(&path, &plan, replace);
                start.finished(&path, outcome);
            }
        }
    }
}
