//! The interactive scoring TUI (ratatui + crossterm), hosted in the library so
//! that tests can drive it without a terminal.
//!
//! The parts follow the event → action → update → view pattern:
//! - [`app`]: the state, with the document ([`app::Doc`]: appraisal, undo
//!   history, file, recovery) kept apart from the view ([`app::View`]:
//!   selection, scrolling, focus, open dialog, sort order);
//! - [`action`]: the [`Action`] enum and the keymap from key and mouse events;
//! - [`update()`]: applies an action, with no terminal involved;
//! - [`view`]: pure rendering from `&App` (`impl Widget for &App`);
//! - [`runner`]: owns the real terminal and restores it on exit, error or panic.
//!
//! Saving goes through [`crate::save`], which keeps the file's comments and
//! layout and writes atomically.

pub mod action;
pub mod app;
pub mod edit;
pub mod export;
pub mod keys;
pub mod runner;
pub mod swing;
pub mod text;
pub mod update;
pub mod view;

pub use action::{Action, Input, key_to_action, mouse_to_action};
pub use app::App;
pub use runner::run;
pub use update::update;

/// A made-up appraisal of `options` × `criteria` as TOML text, with scores
/// spread over a 0-5 scale and a few cells left empty; deterministic. Used by
/// tests and benchmarks of large appraisals.
pub fn generated_toml(options: usize, criteria: usize) -> String {
    use std::fmt::Write;
    let mut s = String::from(
        "# Generated appraisal for tests and benchmarks.\n\n[appraisal]\ntitle = \"Generated appraisal\"\n\n[scale]\nmin = 0\nmax = 5\n",
    );
    for c in 0..criteria {
        let _ = write!(
            s,
            "\n[[criteria]]\nid = \"c{c}\"\nname = \"Criterion {c}\"\nweight = {}\n",
            1 + c % 3
        );
    }
    // A fixed linear congruential sequence: the same file every time.
    let mut x: u64 = 0x2545_f491_4f6c_dd1d;
    for o in 0..options {
        let _ = write!(
            s,
            "\n[[options]]\nid = \"o{o}\"\nname = \"Option {o}\"\n\n[options.scores]\n"
        );
        for c in 0..criteria {
            x = x
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            let r = (x >> 33) % 7;
            if r < 6 {
                let _ = writeln!(s, "c{c} = {r}");
            }
        }
    }
    s
}
