//! `appraise check FILE...`

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use appraise::load;
use appraise::sanitise::shown;

use super::{EXIT_FAILURE, print_load_error, write_warnings};

/// Arguments for `check`.
#[derive(clap::Args)]
#[command(after_help = "Examples:\n  \
    appraise check review.toml\n  \
    appraise check appraisals/*.toml\n\n\
    Errors and warnings go to stderr as file:line:column with the offending line. \
    Warnings (unscored cells, published totals that differ from the scores) do not \
    make the check fail. Every error is shown; of a kind of warning that comes more \
    than 5 times (a new file's unscored cells), the first 3 are shown and one line \
    sums up the rest, unless --all is given.")]
pub struct Args {
    /// The files to check.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// Show every warning in full, not the first few of each kind and a line for the rest.
    #[arg(long)]
    pub all: bool,
}

/// Checks every file, reporting all problems; fails if any file is invalid.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let mut out = std::io::stdout().lock();
    let mut all_ok = true;
    for path in &args.files {
        match load::load_path(path) {
            Ok(loaded) => {
                write_warnings(&loaded, args.all);
                let n = loaded.warnings.len();
                let summary = match n {
                    0 => String::new(),
                    1 => " (1 warning)".to_string(),
                    n => format!(" ({n} warnings)"),
                };
                writeln!(out, "{}: ok{summary}", shown(path))?;
            }
            Err(e) => {
                all_ok = false;
                print_load_error(&e);
            }
        }
    }
    Ok(if all_ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(EXIT_FAILURE)
    })
}
