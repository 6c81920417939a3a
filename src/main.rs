//! The `appraise` command line: a thin layer over the library.
//!
//! Each subcommand lives in `cmd/<name>.rs` with its arguments and a `run`.

#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{CommandFactory, Parser, Subcommand};

mod cmd;

#[derive(Parser)]
#[command(
    name = "appraise",
    version,
    about = "Score options against weighted criteria, rank them, and check the result",
    long_about = "Option appraisal for council scrutiny panels and their officers.\n\n\
        An appraisal is a TOML file of criteria, weights and options with their scores \
        (see docs/format.md). With no command, appraise opens FILE (or the bundled \
        example) in the interactive scoring screen when run in a terminal, and prints \
        its report otherwise.",
    after_help = "Examples:\n  \
        appraise                              open the bundled example to explore\n  \
        appraise my-review.toml               score and weigh interactively\n  \
        appraise check my-review.toml         validate a file\n  \
        appraise rank my-review.toml          ranked totals\n  \
        appraise report my-review.toml        criteria, scores, totals and warnings\n  \
        appraise tui my-review.toml --member \"Cllr A. Clark\"\n                                        \
        score into your own scoresheet\n  \
        appraise tui my-review.toml --panel sheets/*.toml\n                                        \
        see where the members of a panel disagree\n\n\
        Exit status: 0 success, 1 invalid appraisal or failed command, 2 usage error.",
    args_conflicts_with_subcommands = true
)]
struct Cli {
    /// Appraisal file to open (default: the bundled example).
    file: Option<PathBuf>,

    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Check appraisal files for problems; exit 0 if all are valid, 1 if any is not.
    Check(cmd::check::Args),
    /// Export report tables and charts as md, html, csv, xlsx, docx, json, svg or png.
    Export(cmd::export::Args),
    /// Print options ranked by weighted total.
    Rank(cmd::rank::Args),
    /// Print a readable summary: criteria, weights, scores, totals, ranks and warnings.
    Report(cmd::report::Args),
    /// Score, weigh and see totals interactively in the terminal.
    Tui(cmd::tui::Args),
    /// Create members' scoresheets.
    Sheet(cmd::sheet::Args),
    /// Merge members' scoresheets and show where they disagree.
    Panel(cmd::panel::Args),
    /// Test how sure the ranking is: weight and score sensitivity, leave-one-out, Monte Carlo.
    Sensitivity(cmd::sensitivity::Args),
    /// Read a score matrix from a spreadsheet (XLSX, XLS, ODS, CSV) or a Word table (DOCX) into a new appraisal file.
    Import(cmd::import::Args),
    /// What changed between two versions of an appraisal: scores, weights, notes, ranks, sensitivity.
    Diff(cmd::diff::Args),
    /// Start a new appraisal: asks question by question on a terminal, or writes a commented skeleton to fill in.
    New(cmd::new::Args),
    /// Print shell completions for bash, zsh, fish or PowerShell.
    Completions(cmd::completions::Args),
    /// Print the manual page (or write every page into a folder).
    Man(cmd::man::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    cap_rayon_threads();
    let result = match cli.command {
        None if cmd::tui::interactive() => cmd::tui::run(cmd::tui::Args {
            file: cli.file,
            ..Default::default()
        }),
        None => cmd::report::run(cmd::report::Args { file: cli.file }),
        Some(Command::Check(args)) => cmd::check::run(args),
        Some(Command::Export(args)) => cmd::export::run(args),
        Some(Command::Rank(args)) => cmd::rank::run(args),
        Some(Command::Report(args)) => cmd::report::run(args),
        Some(Command::Tui(args)) => cmd::tui::run(args),
        Some(Command::Sheet(args)) => cmd::sheet::run(args),
        Some(Command::Panel(args)) => cmd::panel::run(args),
        Some(Command::Sensitivity(args)) => cmd::sensitivity::run(args),
        Some(Command::Diff(args)) => cmd::diff::run(args),
        Some(Command::Import(args)) => cmd::import::run(args),
        Some(Command::New(args)) => cmd::new::run(args),
        Some(Command::Completions(args)) => cmd::completions::run(args, Cli::command()),
        Some(Command::Man(args)) => cmd::man::run(args, Cli::command()),
    };
    match result {
        Ok(code) => code,
        // A reader that stops early (`appraise report | head`) is not a failure.
        Err(err) if broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            // Errors quote file names and values, which may hold escape sequences.
            let message = format!("{err:#}");
            let _ = writeln!(
                std::io::stderr(),
                "error: {}",
                appraise::sanitise::sanitise(&message)
            );
            ExitCode::from(cmd::EXIT_FAILURE)
        }
    }
}

/// Whether an error comes from writing to a pipe whose reader has gone.
/// serde_json keeps the write's error inside its own and does not give it
/// as its source, so it is asked for the kind itself.
fn broken_pipe(err: &anyhow::Error) -> bool {
    let pipe = Some(std::io::ErrorKind::BrokenPipe);
    err.chain().any(|e| {
        e.downcast_ref::<std::io::Error>().map(std::io::Error::kind) == pipe
            || e.downcast_ref::<serde_json::Error>()
                .and_then(serde_json::Error::io_error_kind)
                == pipe
    })
}

/// Holds rayon's shared pool to at most [`cmd::MAX_THREADS`] threads, the
/// cap on `--threads`: `RAYON_NUM_THREADS=100000` would otherwise start a
/// hundred thousand threads before any work began.
fn cap_rayon_threads() {
    let Some(asked) = std::env::var_os("RAYON_NUM_THREADS") else {
        return;
    };
    let asked = asked.to_string_lossy();
    let Ok(n) = asked.trim().parse::<usize>() else {
        return;
    };
    if n > cmd::MAX_THREADS {
        let _ = writeln!(
            std::io::stderr(),
            "warning: RAYON_NUM_THREADS={n} is more than {} threads; using {}",
            cmd::MAX_THREADS,
            cmd::MAX_THREADS
        );
        // Fails only if the pool already exists, and nothing has used it yet.
        let _ = rayon::ThreadPoolBuilder::new()
            .num_threads(cmd::MAX_THREADS)
            .build_global();
    }
}

#[cfg(test)]
mod tests {
    use clap::{CommandFactory, ValueEnum};

    use super::Cli;

    /// The one-line help of `export` names every format `--format` takes, so
    /// a format added later cannot go unmentioned in `appraise --help`.
    #[test]
    fn export_help_names_every_format() {
        let cli = Cli::command();
        let export = cli
            .find_subcommand("export")
            .expect("export is a subcommand");
        let about = export.get_about().expect("export has help").to_string();
        for f in crate::cmd::export::FormatArg::value_variants() {
            let name = f.to_possible_value().expect("format has a name");
            assert!(
                about.contains(name.get_name()),
                "export's help {about:?} does not name {}",
                name.get_name()
            );
        }
    }
}
