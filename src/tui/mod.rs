//! The interactive scoring TUI (ratatui + crossterm), hosted in the library so
//! that tests can drive it without a terminal.
//!
//! The parts follow the event → action → update → view pattern:
//! - [`app`]: the state, with the document ([`app::Doc`]: appraisal, undo
//!   history, file, recovery) kept apart from the view ([`app::View`]:
//!   selection, scrolling, focus, open dialog, sort order);
//! - [`action`]: the [`Action`] enum and the keymap from key and mouse events;
//! - [`update()`]: applies an action, with no terminal involved;
//! - [`view`]: pure rendering from `&App` (`impl Widget for &App`), with
//!   [`live`] for the live sensitivity panel;
//! - [`runner`]: owns the real terminal and restores it on exit, error or panic.
//!
//! The document is either the appraisal file or, in member mode, one member's
//! scoresheet ([`app::Target`]); the same grid, undo, notes and saving serve
//! both. The [`panel`] view shows members' sheets merged into a consensus.
//!
//! Saving goes through [`crate::save`], which keeps the file's comments and
//! layout and writes atomically.

pub mod action;
pub mod app;
pub mod edit;
pub mod export;
pub mod keys;
pub mod live;
pub mod measure;
pub mod member;
pub mod panel;
pub mod runner;
pub mod swing;
pub mod text;
pub mod update;
pub mod view;

pub use action::{Action, Input, key_to_action, mouse_to_action};
pub use app::App;
pub use runner::run;
pub use update::update;
