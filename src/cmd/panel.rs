//! `appraise panel APPRAISAL SHEET...`

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use appraise::export;
use appraise::numbers;
use appraise::panel::{self, MergeOptions, Method};
use appraise::report::TextStyle;
use appraise::sanitise::shown;
use appraise::terminal;
use clap::ValueEnum;

use appraise::{load, save, sensitivity};

use super::{EXIT_FAILURE, load_or_example, print_load_error, stdout_style};

/// Arguments for `panel`.
#[derive(clap::Args)]
#[command(after_help = "Examples:\n  \
    appraise panel review.toml sheets/*.toml\n  \
    appraise panel review.toml sheets/*.toml --method median --flag-spread 3\n  \
    appraise panel review.toml sheets/*.toml --format json > panel.json\n  \
    appraise panel review.toml sheets/*.toml --method median --write-consensus\n\n\
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
    /// Write the consensus scores into the appraisal file (rounded to the scale's
    /// step), adding each cell's spread to its note. Comments and layout are kept.
    #[arg(long)]
    pub write_consensus: bool,
    /// Also run every sensitivity analysis on the consensus.
    #[arg(long)]
    pub sensitivity: bool,
    /// Also ask how sure the ranking is given how much the members disagree:
    /// a Monte Carlo run drawing each cell's score from the members' own scores.
    #[arg(long)]
    pub disagreement: bool,
    /// Monte Carlo samples for --sensitivity and --disagreement.
    #[arg(long, default_value_t = 100_000, value_name = "N")]
    pub samples: u64,
    /// Monte Carlo seed for --sensitivity and --disagreement.
    #[arg(long, default_value_t = 1, value_name = "S")]
    pub seed: u64,
    /// Write the report to this file instead of stdout (required for xlsx).
    #[arg(long, value_name = "PATH")]
    pub out: Option<PathBuf>,
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
    /// The members' scores added up, for panels that total their points.
    Sum,
}

/// Output formats for `panel`.
#[derive(Clone, Copy, ValueEnum)]
pub enum Format {
    /// Readable tables for the terminal.
    Table,
    /// Everything as JSON.
    Json,
    /// Markdown tables for a report.
    Md,
    /// One self-contained HTML page.
    Html,
    /// An Excel workbook, one sheet per table (needs --out).
    Xlsx,
}

/// Merges the sheets and prints the panel report.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    if !(args.flag_spread.is_finite() && args.flag_spread >= 0.0) {
        anyhow::bail!("--flag-spread must be a number of steps, zero or more");
    }
    // Read the bytes once, so a consensus write can tell if the file changed meanwhile.
    let bytes = match std::fs::read(&args.appraisal) {
        Ok(b) => b,
        Err(_) => {
            return Ok(match load_or_example(Some(&args.appraisal)) {
                Ok(_) => ExitCode::from(EXIT_FAILURE),
                Err(code) => code,
            });
        }
    };
    let fingerprint = save::Fingerprint::of(&bytes);
    let loaded = match load::load_bytes(&args.appraisal.display().to_string(), bytes) {
        Ok(l) => l,
        Err(e) => {
            print_load_error(&e);
            return Ok(ExitCode::from(EXIT_FAILURE));
        }
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
        MethodArg::Sum => Method::Sum,
    };
    if args.write_consensus && method == Method::Sum {
        eprintln!(
            "error: --write-consensus writes one score per cell on the appraisal's own scale, and a sum of members' scores is not on it; use --method mean, median or trimmed-mean to write a consensus"
        );
        return Ok(ExitCode::from(2));
    }
    let options = MergeOptions {
        method,
        round: args.round,
        flag_steps: args.flag_spread,
    };
    let merged = panel::merge(&loaded.appraisal, &sheets, options)?;
    for s in &sheets {
        if !s.warnings.is_empty() {
            eprint!(
                "{}",
                appraise::diagnostic::render_all(&s.source, &s.warnings, super::stderr_colour())
            );
        }
    }
    let export_options = export::ExportOptions {
        samples: Some(args.samples),
        seed: args.seed,
        ..export::ExportOptions::default()
    };
    let disagreement = if args.disagreement {
        if !matches!(args.format, Format::Table | Format::Json) {
            eprintln!("error: --disagreement is shown in the table and json formats only");
            return Ok(ExitCode::from(2));
        }
        let config = sensitivity::disagreement::DisagreementConfig {
            samples: args.samples,
            seed: args.seed,
            threads: None,
        };
        Some(sensitivity::disagreement::panel_disagreement(
            &merged, &config,
        )?)
    } else {
        None
    };
    let mut bytes = Vec::new();
    match args.format {
        Format::Table => {
            let style = if args.out.is_some() {
                TextStyle::default()
            } else {
                stdout_style()
            };
            terminal::write_report(
                &mut bytes,
                &panel::terminal_report(&loaded.appraisal, &merged),
                style,
                false,
            )?;
            if args.sensitivity {
                let config = export::sensitivity::smaa_config(args.samples, args.seed);
                let s = sensitivity::analyse(&merged.consensus, &config)?;
                let mut report = export::sensitivity::terminal_report(&merged.consensus, &s);
                report.title = format!(
                    "Sensitivity of the consensus ({} of members' scores)",
                    merged.options.method.words()
                );
                writeln!(bytes)?;
                terminal::write_report(&mut bytes, &report, style, true)?;
            }
            if let Some(d) = &disagreement {
                write!(
                    bytes,
                    "\nHow sure, given how much the members disagree\n{}",
                    sensitivity::disagreement::text_report(
                        &merged.consensus,
                        d,
                        &merged.results.rank_order(),
                        style
                    )
                )?;
            }
        }
        Format::Json => {
            let mut doc = serde_json::to_value(panel::json_report(&loaded.appraisal, &merged))?;
            if args.sensitivity
                && let serde_json::Value::Object(map) = &mut doc
            {
                let a = export::sensitivity::analyse(&merged.consensus, &export_options)?;
                map.insert(
                    "sensitivity".into(),
                    serde_json::to_value(export::sensitivity::json(&merged.consensus, &a))?,
                );
            }
            if let (Some(d), serde_json::Value::Object(map)) = (&disagreement, &mut doc) {
                let leader = merged.results.rank_order().first().copied().unwrap_or(0);
                map.insert(
                    "disagreement".into(),
                    sensitivity::disagreement::json(&merged.consensus, d, leader),
                );
            }
            serde_json::to_writer_pretty(&mut bytes, &doc).context("writing JSON")?;
            writeln!(bytes)?;
        }
        Format::Md | Format::Html | Format::Xlsx => {
            let format = match args.format {
                Format::Md => export::Format::Markdown,
                Format::Html => export::Format::Html,
                _ => export::Format::Xlsx,
            };
            if format.is_binary() && args.out.is_none() {
                eprintln!(
                    "error: --format xlsx writes a workbook, which needs a file: add --out panel.xlsx"
                );
                return Ok(ExitCode::from(2));
            }
            let mut report = panel::panel_report(&loaded.appraisal, &merged);
            if args.sensitivity {
                let mut blocks = export::sensitivity::blocks(
                    &merged.consensus,
                    &merged.results,
                    &export_options,
                )?;
                if let Some(export::Block::Heading(h)) = blocks.first_mut() {
                    *h = format!(
                        "Sensitivity of the consensus ({} of members' scores)",
                        merged.options.method.words()
                    );
                }
                report.blocks.extend(blocks);
            }
            export::write_report(
                &report,
                &export::ExportOptions::default(),
                format,
                &mut bytes,
            )?;
        }
    }
    if args.write_consensus {
        let (updated, changes) = panel::apply_consensus(&loaded.appraisal, &merged)?;
        save::save(
            &args.appraisal,
            Some(&loaded.source.text),
            &updated,
            Some(fingerprint),
            false,
        )
        .with_context(|| format!("writing the consensus into {}", shown(&args.appraisal)))?;
        eprintln!(
            "wrote the consensus into {}: {} changed, {} updated, {} left as they were (no member scored them)",
            shown(&args.appraisal),
            numbers::count(changes.scores_changed as f64, "score", "scores"),
            numbers::count(changes.notes_updated as f64, "note", "notes"),
            numbers::count(changes.cells_unscored as f64, "cell", "cells")
        );
    }
    match &args.out {
        Some(path) => {
            export::save::write_atomic(path, &bytes)?;
            eprintln!("wrote {}", shown(path));
        }
        None => std::io::stdout().lock().write_all(&bytes)?,
    }
    Ok(ExitCode::SUCCESS)
}
