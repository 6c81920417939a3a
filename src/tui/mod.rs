//! The interactive scoring TUI (ratatui + crossterm), hosted in the library so
//! that tests can drive it without a terminal.
//!
//! The parts follow the event → action → update → effects → view pattern:
//! - [`app`]: the state: the document ([`doc::Doc`]: appraisal, undo
//!   history, file, what it is saved to) apart from the view ([`app::View`]:
//!   selection, scrolling, focus, open dialog, sort order) and from what the
//!   grid shows ([`app::Grid`]);
//! - [`keymap`]: the one key table, which turns keys into [`Action`]s and
//!   words the hint bar and the help; [`action`] holds the actions;
//! - [`update()`]: applies an action and returns the [`effect::Effect`]s
//!   (save, load the panel, export, work out the live analysis, keep the
//!   recovery file) for the runner to perform; [`update::finish`] takes back
//!   what those jobs found. Neither touches the disk or a terminal;
//! - [`view`]: pure rendering from state, each part from only what it draws
//!   ([`live`] for the live sensitivity panel, [`panel`] for the members);
//! - [`runner`]: owns the real terminal, performs the effects (slow ones as
//!   background jobs), keeps the recovery file through [`keep`], and always
//!   restores the terminal, on exit, error, panic or signal.
//!
//! The document is saved to either the appraisal file or, in member mode,
//! one member's scoresheet ([`target::Target`]); the same grid, undo, notes
//! and saving serve both. The [`panel`] view shows members' sheets merged
//! into a consensus.

pub mod action;
pub mod app;
pub mod doc;
pub mod edit;
pub mod effect;
pub mod evidence;
pub mod export;
pub mod hint_bar;
pub mod keep;
pub mod keymap;
pub mod live;
pub mod measure;
pub mod member;
pub mod panel;
pub mod runner;
pub mod start;
pub mod swing;
pub mod target;
pub mod text;
pub mod title_bar;
pub mod update;
pub mod v2;
pub mod view;

pub use action::{Action, Input};
pub use app::App;
pub use keymap::key_to_action;
pub use runner::run;
pub use update::{finish, update};
pub use view::mouse_to_action;
