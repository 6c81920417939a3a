//! `appraise panel APPRAISAL SHEET...`

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use appraise::panel::{self, MergeOptions, Method};
use clap::ValueEnum;

use super::{EXIT_FAILURE, load_or_example, print_load_error, stdout_style};

/// Arguments for `panel`.
#[derive(clap::Args)]
#[command(after_help = "Examples:\n  \
    appraise panel review.toml sheets/*.toml\n  \
    appraise panel review.toml sheets/*.toml --method median --flag-spread 3\n  \
    appraise panel review.toml sheets/*.toml --format json > panel.json\n\n\
    Each cell's consensus uses only the members who scored it. Cells whose scores are \
    two or more scale steps apart are flagged for discussion.")]
pub struct Args {
    /// The appraisal the sheets belong to.
    pub appraisal: PathBuf,
    /// Members' scoresheets (see `appraise sheet new`).
    #[arg(required = true)]
    pub sheets: Vec<PathBuf>,
    /// How members' scores are combined.
    #[arg(long, value_enum, default_value_t = MethodArg::Mean)]
    pub method: MethodArg,
    /// Round each consensus score to the nearest point on the scale.
    #[arg(long)]
    pub round: bool,
    /// Flag cells whose scores are at least this many scale steps apart.
    #[arg(long, default_value_t = 2.0, value_name = "STEPS")]
    pub flag_spread: f64,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

/// Consensus methods on the command line.
#[derive(Clone, Copy, ValueEnum)]
pub enum MethodArg {
    /// Arithmetic mean.
    Mean,
    /// Middle value.
    Median,
    /// Mean without the highest and lowest fifth.
    TrimmedMean,
}

/// Output formats for `panel`.
#[derive(Clone, Copy, ValueEnum)]
pub enum Format {
    /// Readable tables for the terminal.
    Table,
    /// Everything as JSON.
    Json,
}

/// Merges the sheets and prints the panel report.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    if !(args.flag_spread.is_finite() && args.flag_spread >= 0.0) {
        anyhow::bail!("--flag-spread must be a number of steps, zero or more");
    }
    let loaded = match load_or_example(Some(&args.appraisal)) {
        Ok(l) => l,
        Err(code) => return Ok(code),
    };
    let paths: Vec<&Path> = args.sheets.iter().map(PathBuf::as_path).collect();
    let sheets = match panel::load_sheets(&paths, &loaded.appraisal, Some(&args.appraisal)) {
        Ok(s) => s,
        Err(errors) => {
            for e in &errors {
                print_load_error(e);
            }
            return Ok(ExitCode::from(EXIT_FAILURE));
        }
    };
    let method = match args.method {
        MethodArg::Mean => Method::Mean,
        MethodArg::Median => Method::Median,
        MethodArg::TrimmedMean => Method::TrimmedMean,
    };
    let options = MergeOptions {
        method,
        round: args.round,
        flag_steps: args.flag_spread,
    };
    let merged = panel::merge(&loaded.appraisal, &sheets, options)?;
    let mut out = std::io::stdout().lock();
    match args.format {
        Format::Table => {
            write!(
                out,
                "{}",
                panel::text_report(&loaded.appraisal, &merged, stdout_style())
            )?;
        }
        Format::Json => {
            serde_json::to_writer_pretty(&mut out, &panel::json_report(&loaded.appraisal, &merged))
                .context("writing JSON")?;
            writeln!(out)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
