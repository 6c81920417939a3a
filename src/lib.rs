//! `appraise`: option appraisal for council scrutiny panels.
//!
//! Load an appraisal from TOML ([`load`]), compute totals and ranks
//! ([`compute`]), and present them ([`report`]).
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]
#![warn(missing_docs)]

pub mod atomic;
pub mod carried;
pub mod compute;
pub mod detail;
pub mod diagnostic;
pub mod diff;
pub mod document;
pub mod export;
pub mod import;
pub mod load;
pub mod model;
pub mod naming;
pub mod numbers;
pub mod panel;
pub mod raw;
pub mod recovery;
pub mod report;
pub mod sanitise;
pub mod save;
pub mod sensitivity;
pub mod skeleton;
pub mod synth;
pub mod terminal;
pub mod tui;

pub use compute::{Results, compute};
pub use load::{LoadError, Loaded, load_example, load_path, load_str};
pub use model::Appraisal;
