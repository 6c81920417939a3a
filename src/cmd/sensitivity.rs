//! `appraise sensitivity FILE [--samples N] [--seed S] [--threads T] [--weight-spread P] [--score-spread D] [--format table|json]`

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use appraise::sensitivity::{self, SmaaConfig, WeightModel, output};
use appraise::{export, terminal};
use clap::ValueEnum;

use super::{load_or_example, print_warnings, stdout_style};

/// Arguments for `sensitivity`.
#[derive(clap::Args)]
#[command(after_help = "Examples:\n  \
    appraise sensitivity                             the bundled example\n  \
    appraise sensitivity review.toml\n  \
    appraise sensitivity review.toml --weight-spread 20 --score-spread 1\n  \
    appraise sensitivity review.toml --samples 100000 --seed 7 --format json > sensitivity.json\n\n\
    The same seed and sample count give the same numbers whatever --threads is.")]
pub struct Args {
    /// Appraisal file (default: the bundled example).
    pub file: Option<PathBuf>,
    /// Monte Carlo samples (1 to 1,000,000,000).
    #[arg(long, default_value_t = 1_000_000, value_parser = clap::value_parser!(u64).range(1..=1_000_000_000))]
    pub samples: u64,
    /// Seed for the random numbers.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Worker threads (default: one per core).
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..=super::MAX_THREADS as u64))]
    pub threads: Option<u64>,
    /// Vary each weight within plus or minus P% of its value, instead of over every possible weighting.
    #[arg(long, value_name = "P", value_parser = parse_percent)]
    pub weight_spread: Option<f64>,
    /// Vary every score uniformly within plus or minus D scale steps, clamped to the scale.
    #[arg(long, value_name = "D", default_value_t = 0.0, value_parser = parse_steps)]
    pub score_spread: f64,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

/// Output formats for `sensitivity`.
#[derive(Clone, Copy, ValueEnum)]
pub enum Format {
    /// Statements and tables for the terminal.
    Table,
    /// The full results as JSON (schema in docs/methods.md).
    Json,
}

fn parse_percent(s: &str) -> Result<f64, String> {
    let p: f64 = s
        .trim_end_matches('%')
        .parse()
        .map_err(|_| format!("`{s}` is not a number"))?;
    if (0.0..=100.0).contains(&p) {
        Ok(p)
    } else {
        Err(format!("{s} is not a percentage from 0 to 100"))
    }
}

fn parse_steps(s: &str) -> Result<f64, String> {
    let d: f64 = s.parse().map_err(|_| format!("`{s}` is not a number"))?;
    if d.is_finite() && (0.0..=10_000.0).contains(&d) {
        Ok(d)
    } else {
        Err(format!(
            "{s} is not a number of scale steps from 0 to 10000"
        ))
    }
}

/// Runs every sensitivity analysis and prints the results.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let loaded = match load_or_example(args.file.as_deref()) {
        Ok(l) => l,
        Err(code) => return Ok(code),
    };
    let config = SmaaConfig {
        samples: args.samples,
        seed: args.seed,
        threads: args.threads.map(|t| t as usize),
        weights: match args.weight_spread {
            None => WeightModel::Uniform,
            Some(percent) => WeightModel::Spread { percent },
        },
        score_spread: args.score_spread,
    };
    // The shortlist at effective weights, every score as points on one scale.
    let appraisal = loaded.appraisal.for_analysis();
    // A million samples on a large appraisal take a while: show how far it is.
    let bar = super::progress::counted(config.samples, "Monte Carlo", "samples");
    let result = sensitivity::analyse_with_progress(&appraisal, &config, &|p| {
        bar.set_length(p.total);
        bar.set_position(p.done);
    });
    bar.finish_and_clear();
    let result = result?;
    let mut out = std::io::stdout().lock();
    match args.format {
        Format::Table => {
            print_warnings(&loaded);
            let report = export::sensitivity::terminal_report(&appraisal, &result);
            terminal::write_report(&mut out, &report, stdout_style(), true)?;
        }
        Format::Json => {
            let doc = output::document(&appraisal, &result);
            serde_json::to_writer_pretty(&mut out, &doc).context("writing JSON")?;
            writeln!(out)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
