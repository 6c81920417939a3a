//! `appraise report FILE`

use std::path::PathBuf;
use std::process::ExitCode;

use appraise::report;

use super::{load_or_example, stdout_style};

/// Arguments for `report`.
#[derive(clap::Args)]
#[command(after_help = "Examples:\n  \
    appraise report review.toml\n  \
    NO_COLOR=1 appraise report review.toml > summary.txt")]
pub struct Args {
    /// Appraisal file (default: the bundled example).
    pub file: Option<PathBuf>,
}

/// Prints the readable summary of an appraisal.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let loaded = match load_or_example(args.file.as_deref()) {
        Ok(l) => l,
        Err(code) => return Ok(code),
    };
    let results = appraise::compute(&loaded.appraisal);
    let mut out = std::io::stdout().lock();
    report::write_report(&mut out, &loaded.appraisal, &results, stdout_style())?;
    Ok(ExitCode::SUCCESS)
}
