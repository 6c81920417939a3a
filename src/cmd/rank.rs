//! `appraise rank FILE [--format table|json]`

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use appraise::report;
use clap::ValueEnum;

use super::{load_or_example, print_warnings, stdout_style};

/// Arguments for `rank`.
#[derive(clap::Args)]
#[command(after_help = "Examples:\n  \
    appraise rank review.toml\n  \
    appraise rank review.toml --format json > ranking.json")]
pub struct Args {
    /// Appraisal file (default: the bundled example).
    pub file: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

/// Output formats for `rank`.
#[derive(Clone, Copy, ValueEnum)]
pub enum Format {
    /// A table sized to the terminal.
    Table,
    /// JSON, with options in rank order.
    Json,
}

/// Prints the ranked totals.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let loaded = match load_or_example(args.file.as_deref()) {
        Ok(l) => l,
        Err(code) => return Ok(code),
    };
    let results = appraise::compute(&loaded.appraisal);
    let mut out = std::io::stdout().lock();
    match args.format {
        Format::Table => {
            print_warnings(&loaded);
            report::write_ranking(&mut out, &loaded.appraisal, &results, stdout_style())?;
        }
        Format::Json => {
            let doc = report::rank_json(&loaded.appraisal, &results);
            serde_json::to_writer_pretty(&mut out, &doc).context("writing JSON")?;
            writeln!(out)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
