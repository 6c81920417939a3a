//! `appraise tui [FILE]`: score and weigh interactively.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use appraise::tui::App;

use super::{EXIT_FAILURE, print_load_error};

/// Arguments for `tui`.
#[derive(clap::Args)]
#[command(after_help = "Examples:\n  \
    appraise tui review.toml      score and weigh review.toml\n  \
    appraise tui                  explore the bundled example (Ctrl-s asks where to save)\n  \
    appraise review.toml          the same as appraise tui review.toml, in a terminal\n\n\
    Press ? inside for every key. Unsaved work is kept in a recovery file\n\
    (.NAME.appraise-recovery beside the file) and offered if appraise closes unexpectedly.")]
pub struct Args {
    /// Appraisal file (default: the bundled example).
    pub file: Option<PathBuf>,
}

/// Whether both stdin and stdout are terminals, so a TUI can run.
pub fn interactive() -> bool {
    std::io::stdin().is_terminal() && std::io::stdout().is_terminal()
}

/// Opens the TUI on FILE or the bundled example.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    if !interactive() {
        eprintln!(
            "error: appraise tui needs a terminal for input and output; \
             use `appraise report FILE` to print the appraisal instead"
        );
        return Ok(ExitCode::from(EXIT_FAILURE));
    }
    let app = match &args.file {
        Some(p) => App::open(p),
        None => App::example(),
    };
    let app = match app {
        Ok(a) => a,
        Err(e) => {
            print_load_error(&e);
            return Ok(ExitCode::from(EXIT_FAILURE));
        }
    };
    let app = appraise::tui::run(app).context("the terminal stopped working")?;
    if app.doc.is_dirty()
        && let Some(r) = app.doc.recovery_path().filter(|r| r.exists())
    {
        eprintln!(
            "Unsaved changes are kept in {}; open the file again to restore them.",
            r.display()
        );
    }
    Ok(ExitCode::SUCCESS)
}
