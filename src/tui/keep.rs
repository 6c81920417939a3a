//! Keeping unsaved work in the recovery file without slowing the keys.
//!
//! The writer thread holds a mirror of the document: one copy of it handed
//! over on opening and after each save ([`Keep::Whole`]), then only the
//! edits since ([`Keep::Edits`]), which cost next to nothing to send. Once the
//! keys pause (or at the latest every few seconds while they do not), the
//! writer builds the recovery text from its mirror and writes it, so neither
//! building the text of a large appraisal nor flushing it to a slow disk is
//! ever on the key path.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::{Duration, Instant};

use crate::atomic::WriteError;
use crate::model::Appraisal;
use crate::recovery;
use crate::save::Fingerprint;

use super::edit::Edit;
use super::target::Target;

/// How long the keys must pause before the recovery file is written.
pub const PAUSE: Duration = Duration::from_millis(300);
/// The longest unsaved work waits for the recovery file while keys keep coming.
pub const MOST_WAIT: Duration = Duration::from_secs(3);

/// News of the document for the recovery writer.
#[derive(Debug, Clone)]
pub enum Keep {
    /// Everything the recovery file is built from. `write` says whether to
    /// bring the file in line at once (after a save), or only after the next
    /// edit (on opening, when a recovery file may still be waiting for the
    /// user's choice).
    Whole {
        /// The document as it stands.
        mirror: Box<Mirror>,
        /// Write (or remove) the file now.
        write: bool,
    },
    /// Edits made since the last news, in order.
    Edits {
        /// The edits, as applied (an undo is sent as the inverse edit).
        edits: Vec<Edit>,
        /// Whether anything is unsaved after them.
        dirty: bool,
    },
    /// The user threw the unsaved work away: remove the file, write nothing more.
    Discard,
}

/// What the recovery file is built from.
#[derive(Debug, Clone)]
pub struct Mirror {
    /// The recovery file.
    pub path: PathBuf,
    /// The fingerprint of the version the work is based on.
    pub base: Option<Fingerprint>,
    /// The appraisal file or a member's sheet.
    pub target: Target,
    /// The file's text as last loaded or saved.
    pub original: Arc<str>,
    /// The appraisal as it stands.
    pub appraisal: Appraisal,
    /// The document's own file.
    pub doc_path: Option<PathBuf>,
    /// Whether anything is unsaved.
    pub dirty: bool,
}

impl Mirror {
    /// Writes the recovery file, or removes it when nothing is unsaved.
    pub fn write(&self) -> Result<(), WriteError> {
        if self.dirty {
            let text =
                self.target
                    .render(&self.original, &self.appraisal, self.doc_path.as_deref());
            recovery::write_recovery_on(&self.path, &text, self.base, Some(&self.original))
        } else {
            recovery::remove_recovery(&self.path)
        }
    }
}

/// The writer's side: its mirror, and whether the file is behind it.
#[derive(Debug, Default)]
pub struct Keeper {
    mirror: Option<Mirror>,
    /// Edits arrived that the file does not have yet.
    due: bool,
    /// The mirror missed an edit; nothing is written until the next whole copy.
    lost: bool,
}

impl Keeper {
    /// Takes in news; returns an error if an edit could not be followed.
    pub fn take(&mut self, news: Keep) -> Result<(), String> {
        match news {
            Keep::Whole { mirror, write } => {
                self.mirror = Some(*mirror);
                self.lost = false;
                self.due |= write;
            }
            Keep::Edits { edits, dirty } => {
                let Some(m) = self.mirror.as_mut().filter(|_| !self.lost) else {
                    return Ok(());
                };
                for e in &edits {
                    if let Err(err) = e.apply(&mut m.appraisal) {
                        self.lost = true;
                        return Err(format!("the recovery copy fell out of step ({err})"));
                    }
                }
                m.dirty = dirty;
                self.due = true;
            }
            Keep::Discard => {
                if let Some(m) = self.mirror.take() {
                    let _ = recovery::remove_recovery(&m.path);
                }
                self.due = false;
            }
        }
        Ok(())
    }

    /// Whether the file is behind the mirror.
    pub fn is_due(&self) -> bool {
        self.due && self.mirror.is_some() && !self.lost
    }

    /// Brings the file in line with the mirror, if it is behind.
    pub fn write(&mut self) -> Result<(), WriteError> {
        if !std::mem::take(&mut self.due) || self.lost {
            return Ok(());
        }
        match &self.mirror {
            Some(m) => m.write(),
            None => Ok(()),
        }
    }
}

/// The recovery writer: a thread that keeps the recovery file in line with
/// the document, writing once the keys pause.
#[derive(Debug)]
pub struct RecoveryWriter {
    news: Option<mpsc::Sender<Keep>>,
    errors: mpsc::Receiver<String>,
    thread: Option<std::thread::JoinHandle<()>>,
    /// Without a thread (none could be started), the work is done here.
    inline: Option<Keeper>,
}

impl RecoveryWriter {
    /// Starts the writer, which waits for `pause` without news before writing.
    pub fn start(pause: Duration) -> RecoveryWriter {
        let (news, inbox) = mpsc::channel::<Keep>();
        let (report, errors) = mpsc::channel();
        let thread = std::thread::Builder::new()
            .name("recovery".into())
            .spawn(move || keep_in_line(&inbox, &report, pause))
            .ok();
        RecoveryWriter {
            news: thread.as_ref().map(|_| news),
            inline: thread.is_none().then(Keeper::default),
            errors,
            thread,
        }
    }

    /// Passes news on to the writer.
    pub fn send(&mut self, news: Keep) -> Result<(), String> {
        if let Some(tx) = &self.news {
            match tx.send(news) {
                Ok(()) => return Ok(()),
                // The thread has gone: keep the file here instead.
                Err(mpsc::SendError(news)) => {
                    self.news = None;
                    self.inline = Some(Keeper::default());
                    return self.send(news);
                }
            }
        }
        let keeper = self.inline.get_or_insert_with(Keeper::default);
        keeper.take(news)?;
        keeper.write().map_err(|e| e.to_string())
    }

    /// The first error reported since the last call, if any.
    pub fn error(&self) -> Option<String> {
        self.errors.try_recv().ok()
    }

    /// Writes whatever is due and waits for the writer to end.
    pub fn finish(mut self) {
        self.news = None;
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// The writer thread: takes news as it comes, writes once it stops coming
/// for `pause` (or has been waiting [`MOST_WAIT`]), and writes what is due
/// when the program ends.
fn keep_in_line(inbox: &mpsc::Receiver<Keep>, report: &mpsc::Sender<String>, pause: Duration) {
    let mut keeper = Keeper::default();
    let mut waiting_since: Option<Instant> = None;
    loop {
        let next = if keeper.is_due() {
            let waited = waiting_since.map_or(Duration::ZERO, |t| t.elapsed());
            if waited >= MOST_WAIT {
                Err(RecvTimeoutError::Timeout)
            } else {
                inbox.recv_timeout(pause.min(MOST_WAIT - waited))
            }
        } else {
            inbox.recv().map_err(|_| RecvTimeoutError::Disconnected)
        };
        match next {
            Ok(news) => {
                if let Err(e) = keeper.take(news) {
                    let _ = report.send(e);
                }
                if keeper.is_due() {
                    waiting_since.get_or_insert_with(Instant::now);
                }
            }
            Err(RecvTimeoutError::Timeout) => {
                waiting_since = None;
                if let Err(e) = keeper.write() {
                    let _ = report.send(e.to_string());
                }
            }
            Err(RecvTimeoutError::Disconnected) => {
                if let Err(e) = keeper.write() {
                    let _ = report.send(e.to_string());
                }
                return;
            }
        }
    }
}
