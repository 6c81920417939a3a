//! `appraise new FILE [--criteria N] [--options N] [--title T] [--criterion NAME]... [--option NAME]...`
//!
//! On a terminal, with neither counts nor names, it opens the guided start
//! screen (title, scale, wording, groups, criteria, options), writes the
//! file and opens the scoring screen on it.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use appraise::skeleton::{self, Plan, SkeletonError};
use appraise::tui::start::Start;

use super::EXIT_FAILURE;

/// Arguments for `new`.
#[derive(clap::Args)]
#[command(after_help = "Examples:\n  \
    appraise new review.toml                     on a terminal: a guided start, step by step, then the scoring screen\n  \
    appraise new review.toml --criteria 6 --options 4\n  \
    appraise new libraries.toml --title \"Options for the library service\" \\\n      \
    --criterion Cost --criterion \"Access for residents\" --option \"Keep in house\" --option Trust\n  \
    appraise new review.toml --criteria 5 --options 3 --min 1 --max 10\n\n\
    The file is a commented appraisal with weights of 1 and no scores yet; it passes\n\
    `appraise check` as it is. An existing file is never replaced. To start from a\n\
    spreadsheet instead, use `appraise import`.")]
pub struct Args {
    /// The new appraisal file to write.
    pub file: PathBuf,
    /// How many criteria (named ones from --criterion count towards it).
    #[arg(long, value_name = "N")]
    pub criteria: Option<usize>,
    /// How many options (named ones from --option count towards it).
    #[arg(long, value_name = "N")]
    pub options: Option<usize>,
    /// The appraisal's title.
    #[arg(long, default_value = "New appraisal")]
    pub title: String,
    /// A criterion's name (repeatable, in order).
    #[arg(long = "criterion", value_name = "NAME")]
    pub criterion_names: Vec<String>,
    /// An option's name (repeatable, in order).
    #[arg(long = "option", value_name = "NAME")]
    pub option_names: Vec<String>,
    /// The lowest score.
    #[arg(long, default_value_t = 0.0, allow_negative_numbers = true)]
    pub min: f64,
    /// The highest score.
    #[arg(long, default_value_t = 5.0, allow_negative_numbers = true)]
    pub max: f64,
    /// The step between scores (0.5 allows half points).
    #[arg(long, default_value_t = 1.0)]
    pub step: f64,
}

/// Default number of criteria and options when neither a count nor names are given.
const DEFAULT_COUNT: usize = 3;

/// `names`, then numbered placeholders up to `count`.
fn fill(mut names: Vec<String>, count: Option<usize>, word: &str) -> Vec<String> {
    let want = count.unwrap_or(if names.is_empty() {
        DEFAULT_COUNT
    } else {
        names.len()
    });
    let mut k = names.len();
    while names.len() < want {
        k += 1;
        names.push(format!("{word} {k}"));
    }
    names
}

/// Whether to ask question by question: on a terminal, when the command
/// line gives neither counts nor names.
fn guided(args: &Args) -> bool {
    args.criteria.is_none()
        && args.options.is_none()
        && args.criterion_names.is_empty()
        && args.option_names.is_empty()
        && std::io::stdin().is_terminal()
        && std::io::stderr().is_terminal()
}

/// Asks for the plan, writes it and opens the scoring screen on it: on a
/// terminal the TUI can use, in the guided start screen; with only a
/// terminal for input and messages, question by question.
fn run_guided(args: Args) -> anyhow::Result<ExitCode> {
    if super::tui::interactive() {
        return run_start_screen(args);
    }
    // Say so now, not after every question has been answered.
    if args.file.exists() {
        eprintln!(
            "error: {} already exists, so it was left as it was; choose another name, or edit that file",
            args.file.display()
        );
        return Ok(ExitCode::from(EXIT_FAILURE));
    }
    let start = Plan {
        title: args.title.clone(),
        scale: (args.min, args.max, args.step),
        labels: Vec::new(),
        criteria: Vec::new(),
        groups: Vec::new(),
        criterion_groups: Vec::new(),
        options: Vec::new(),
    };
    eprintln!("A new appraisal, {}.", args.file.display());
    let plan = skeleton::ask_plan(&mut std::io::stdin().lock(), &mut std::io::stderr(), &start)?;
    let Some(plan) = plan else {
        eprintln!("\nstopped; nothing was written");
        return Ok(ExitCode::from(EXIT_FAILURE));
    };
    match skeleton::write_new(&args.file, &plan) {
        Ok(_) => {}
        Err(e) => {
            eprintln!("error: {e}");
            return Ok(ExitCode::from(EXIT_FAILURE));
        }
    }
    eprintln!(
        "\nwrote {} with {} criteria and {} options",
        args.file.display(),
        plan.criteria.len(),
        plan.options.len()
    );
    eprintln!("next: score it with `appraise tui {}`", args.file.display());
    Ok(ExitCode::SUCCESS)
}

/// The guided start screen, then the scoring screen on the file it wrote.
fn run_start_screen(args: Args) -> anyhow::Result<ExitCode> {
    let start = Start::new(&args.file, args.file.exists())
        .suggest(&args.title, (args.min, args.max, args.step));
    let start = appraise::tui::start::run(start).context("the terminal stopped working")?;
    let Some(path) = start.written else {
        eprintln!("left the guided start; nothing was written");
        // As a shell reports a process ended by a signal: 128 + its number.
        return Ok(ExitCode::from(match start.stopped_by {
            Some("SIGHUP" | appraise::tui::runner::TERMINAL_LOST) => 129,
            Some(_) => 143,
            None => EXIT_FAILURE,
        }));
    };
    eprintln!("wrote {}", path.display());
    super::tui::run(super::tui::Args {
        file: Some(path),
        ..Default::default()
    })
}

/// Writes the skeleton.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    if guided(&args) {
        return run_guided(args);
    }
    for (given, count, what) in [
        (args.criterion_names.len(), args.criteria, "--criteria"),
        (args.option_names.len(), args.options, "--options"),
    ] {
        if let Some(n) = count
            && n < given
        {
            eprintln!("error: {what} {n} is fewer than the {given} names given");
            return Ok(ExitCode::from(2));
        }
    }
    let plan = Plan {
        title: args.title.clone(),
        scale: (args.min, args.max, args.step),
        labels: Vec::new(),
        criteria: fill(args.criterion_names, args.criteria, "Criterion"),
        groups: Vec::new(),
        criterion_groups: Vec::new(),
        options: fill(args.option_names, args.options, "Option"),
    };
    match skeleton::write_new(&args.file, &plan) {
        Ok(_) => {
            eprintln!(
                "wrote {} with {} criteria and {} options; next: edit it, or score it with `appraise tui {}`",
                args.file.display(),
                plan.criteria.len(),
                plan.options.len(),
                args.file.display()
            );
            Ok(ExitCode::SUCCESS)
        }
        Err(
            e @ (SkeletonError::Text { .. }
            | SkeletonError::Scale(_)
            | SkeletonError::Groups(_)
            | SkeletonError::Count { .. }),
        ) => {
            eprintln!("error: {e}; nothing was written");
            Ok(ExitCode::from(2))
        }
        Err(e) => {
            eprintln!("error: {e}");
            Ok(ExitCode::from(EXIT_FAILURE))
        }
    }
}
