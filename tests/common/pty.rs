//! The real binary in a pseudo-terminal (portable-pty), with its screen read
//! back through a terminal emulator (vt100).

use std::io::Write;
use std::os::fd::{BorrowedFd, OwnedFd};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};

/// A running `appraise` in a pseudo-terminal, and what its screen shows.
pub struct Session {
    child: Box<dyn Child + Send + Sync>,
    writer: Box<dyn Write + Send>,
    screen: Arc<Mutex<vt100::Parser>>,
    /// The terminal's end; `None` once closed.
    master: Option<Box<dyn MasterPty + Send>>,
    /// Tells the thread that reads the screen to stop, so that the
    /// terminal's end can be closed ([`Session::close_terminal`]).
    stop_reading: Arc<AtomicBool>,
    reading: Option<JoinHandle<()>>,
}

impl Session {
    /// Starts `appraise ARGS` in `cwd` on an 80 x 24 screen, with no state folder set.
    pub fn start(args: &[&str], cwd: &Path) -> Session {
        Session::start_with(args, cwd, None, 80)
    }

    /// Starts `appraise ARGS` in `cwd` on a `cols` x 24 screen; `state_dir`
    /// sets where recovery files go (unset: the default).
    pub fn start_with(args: &[&str], cwd: &Path, state_dir: Option<&Path>, cols: u16) -> Session {
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_appraise"));
        cmd.args(args);
        Session::spawn(cmd, cwd, state_dir, cols)
    }

    /// Starts `appraise ARGS` in `cwd` as `user`, through `runuser`.
    pub fn start_as(runuser: &Path, user: &str, args: &[&str], cwd: &Path) -> Session {
        let mut cmd = CommandBuilder::new(runuser);
        cmd.args(["-u", user, "--", env!("CARGO_BIN_EXE_appraise")]);
        cmd.args(args);
        Session::spawn(cmd, cwd, None, 80)
    }

    /// Starts `appraise ARGS` in `cwd` from a shell that ignores SIGHUP
    /// and writes appraise's exit code to `status` once it ends. The shell
    /// leads the terminal's session, so when the terminal goes away the
    /// system's SIGHUP goes to the shell, not to appraise: as when a tmux
    /// server is killed with the program started from a script.
    pub fn start_under_shell(args: &[&str], cwd: &Path, status: &Path) -> Session {
        let mut cmd = CommandBuilder::new("sh");
        cmd.arg("-c");
        cmd.arg(r#"trap '' HUP; "$0" "$@"; echo $? > "$APPRAISE_TEST_STATUS""#);
        cmd.arg(env!("CARGO_BIN_EXE_appraise"));
        cmd.args(args);
        cmd.env("APPRAISE_TEST_STATUS", status);
        Session::spawn(cmd, cwd, None, 80)
    }

    fn spawn(mut cmd: CommandBuilder, cwd: &Path, state_dir: Option<&Path>, cols: u16) -> Session {
        let pty = native_pty_system()
            .openpty(PtySize {
                rows: 24,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("a pseudo-terminal");
        cmd.cwd(cwd);
        cmd.env("TERM", "xterm-256color");
        match state_dir {
            Some(d) => cmd.env("APPRAISE_STATE_DIR", d),
            None => cmd.env_remove("APPRAISE_STATE_DIR"),
        }
        let child = pty.slave.spawn_command(cmd).expect("appraise starts");
        drop(pty.slave);
        // The screen is read through a copy of the terminal's end that the
        // reading thread closes when told to, so that a test can close every
        // copy and leave the program with a terminal that has gone away.
        let raw = pty.master.as_raw_fd().expect("a pseudo-terminal's end");
        // SAFETY: `raw` is the master's open descriptor, which the master
        // keeps open for as long as this borrow (one `dup`) lasts.
        let master_fd = unsafe { BorrowedFd::borrow_raw(raw) };
        let reader: OwnedFd = rustix::io::dup(master_fd).expect("a copy of the terminal's end");
        let writer = pty.master.take_writer().unwrap();
        let screen = Arc::new(Mutex::new(vt100::Parser::new(
            std::num::NonZeroU16::new(24).unwrap(),
            std::num::NonZeroU16::new(cols).unwrap(),
            0,
        )));
        let feed = Arc::clone(&screen);
        let master = pty.master;
        let stop_reading = Arc::new(AtomicBool::new(false));
        let stop = Arc::clone(&stop_reading);
        let reading = std::thread::spawn(move || read_screen(reader, &feed, &stop));
        Session {
            child,
            writer,
            screen,
            master: Some(master),
            stop_reading,
            reading: Some(reading),
        }
    }

    /// Closes the terminal's end, as a terminal emulator or tmux server
    /// that is killed does: the program is left with a terminal that has
    /// gone away, and (not being the session leader, in a test that starts
    /// it through a shell) no SIGHUP.
    pub fn close_terminal(&mut self) {
        self.stop_reading.store(true, Ordering::SeqCst);
        if let Some(t) = self.reading.take() {
            let _ = t.join();
        }
        self.writer = Box::new(std::io::sink());
        self.master = None;
    }

    /// Pastes `text` as a terminal does: wrapped in the bracketed-paste
    /// markers if the program asked for them, as raw keys if it did not.
    pub fn paste(&mut self, text: &str) {
        let bracketed = self.screen.lock().unwrap().screen().bracketed_paste();
        let bytes = if bracketed {
            format!("\x1b[200~{text}\x1b[201~")
        } else {
            text.to_owned()
        };
        self.keys(bytes.as_bytes());
    }

    /// Whether the program has asked the terminal for mouse events.
    pub fn mouse_captured(&self) -> bool {
        self.screen.lock().unwrap().screen().mouse_protocol_mode() != vt100::MouseProtocolMode::None
    }

    /// Where the terminal's cursor is (row, column), if it is shown.
    pub fn cursor(&self) -> Option<(u16, u16)> {
        let parser = self.screen.lock().unwrap();
        let screen = parser.screen();
        (!screen.hide_cursor()).then(|| screen.cursor_position())
    }

    /// Whether the program has put the screen back: off the alternate screen.
    pub fn on_main_screen(&self) -> bool {
        !self.screen.lock().unwrap().screen().alternate_screen()
    }

    /// Whether the terminal is in its ordinary (cooked) mode, echoing and
    /// editing lines, as a shell expects it after a program ends.
    pub fn terminal_is_cooked(&self) -> bool {
        use nix::sys::termios::LocalFlags;
        let termios = self.master.as_ref().and_then(|m| m.get_termios());
        termios.is_some_and(|t| {
            t.local_flags
                .contains(LocalFlags::ICANON | LocalFlags::ECHO)
        })
    }

    /// Sends `signal` (a name `kill` knows, such as `TERM` or `HUP`) to the program.
    pub fn signal(&self, signal: &str) {
        let pid = self.child.process_id().expect("a process id");
        let ok = std::process::Command::new("kill")
            .args([format!("-{signal}"), pid.to_string()])
            .status()
            .expect("kill runs")
            .success();
        assert!(ok, "kill -{signal} {pid}");
    }

    /// Waits for the program to end; its exit code.
    pub fn wait_code(&mut self) -> u32 {
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(20) {
            if let Ok(Some(status)) = self.child.try_wait() {
                self.read_to_the_end();
                return status.exit_code();
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        panic!("appraise did not exit; screen:\n{}", self.contents());
    }

    /// Once the program has ended, lets the screen take in the last of what
    /// it wrote (the reading thread ends when the terminal's other end closes).
    fn read_to_the_end(&mut self) {
        let start = Instant::now();
        while self.reading.as_ref().is_some_and(|t| !t.is_finished())
            && start.elapsed() < Duration::from_secs(2)
        {
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// The screen as text.
    pub fn contents(&self) -> String {
        self.screen.lock().unwrap().screen().contents()
    }

    /// Waits until the screen shows `text`, failing with the screen if it never does.
    pub fn wait_for(&self, text: &str) {
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(20) {
            if self.contents().contains(text) {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!(
            "the screen never showed {text:?}; it shows:\n{}",
            self.contents()
        );
    }

    /// Waits until the screen shows `words`, however the lines wrap them.
    pub fn wait_for_words(&self, words: &str) {
        let flat = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(20) {
            if flat(&self.contents()).contains(words) {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!(
            "the screen never showed {words:?}; it shows:\n{}",
            self.contents()
        );
    }

    /// Types `bytes`, then pauses as a person would.
    pub fn keys(&mut self, bytes: &[u8]) {
        self.writer.write_all(bytes).unwrap();
        self.writer.flush().unwrap();
        // Let the app draw before the next key, as a person would.
        std::thread::sleep(Duration::from_millis(150));
    }

    /// Types `bytes` and carries straight on.
    pub fn keys_now(&mut self, bytes: &[u8]) {
        self.writer.write_all(bytes).unwrap();
        self.writer.flush().unwrap();
    }

    /// Kills the program at once (a crash, as far as it can tell) and reaps it.
    pub fn kill(&mut self) -> std::io::Result<()> {
        self.child.kill()?;
        let _ = self.child.wait();
        Ok(())
    }

    /// Waits for the program to end; whether it succeeded.
    pub fn wait_exit(&mut self) -> bool {
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(20) {
            if let Ok(Some(status)) = self.child.try_wait() {
                self.read_to_the_end();
                return status.success();
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        panic!("appraise did not exit; screen:\n{}", self.contents());
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
        }
    }
}

/// Feeds what the program writes to the screen, until the program ends or
/// `stop` is set; then closes its copy of the terminal's end.
fn read_screen(fd: OwnedFd, screen: &Mutex<vt100::Parser>, stop: &AtomicBool) {
    use rustix::event::{PollFd, PollFlags, Timespec, poll};
    let mut buf = [0u8; 8192];
    let tick = Timespec {
        tv_sec: 0,
        tv_nsec: 20_000_000,
    };
    while !stop.load(Ordering::SeqCst) {
        let mut fds = [PollFd::new(&fd, PollFlags::IN)];
        match poll(&mut fds, Some(&tick)) {
            Ok(0) => continue,
            Ok(_) => {}
            Err(rustix::io::Errno::INTR) => continue,
            Err(_) => return,
        }
        match rustix::io::read(&fd, &mut buf) {
            Ok(0) | Err(_) => return,
            Ok(n) => screen.lock().unwrap().process(&buf[..n]),
        }
    }
}
