//! Subcommands, and what they share: loading with diagnostics, colour and width.

use std::io::{IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;

use appraise::compute::unscored;
use appraise::diagnostic::{Diagnostic, Kind, render_all, render_summarised};
use appraise::load::{self, LoadError, Loaded};
use appraise::report::TextStyle;

pub mod check;
pub mod completions;
pub mod diff;
pub mod export;
pub mod import;
pub mod man;
pub mod new;
pub mod panel;
pub mod progress;
pub mod rank;
pub mod report;
pub mod sensitivity;
pub mod sheet;
pub mod tui;

/// Exit status for a file that failed validation or a command that failed.
pub const EXIT_FAILURE: u8 = 1;

/// Most worker threads any command starts, whether asked for with
/// `--threads` or through `RAYON_NUM_THREADS`.
pub const MAX_THREADS: usize = 1024;

/// Whether colour is allowed on a stream: it must be a terminal and NO_COLOR unset.
pub fn colour_for(is_terminal: bool) -> bool {
    is_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// Table style for stdout: the terminal's width and colour, or neither when piped.
pub fn stdout_style() -> TextStyle {
    let tty = std::io::stdout().is_terminal();
    TextStyle {
        // comfy-table already asks the terminal for its size.
        width: if tty {
            comfy_table::Table::new().width()
        } else {
            None
        },
        color: colour_for(tty),
    }
}

/// Whether diagnostics on stderr may use colour.
pub fn stderr_colour() -> bool {
    colour_for(std::io::stderr().is_terminal())
}

/// Loads FILE, or the bundled example when none is given. On failure the
/// diagnostics are printed and the exit code to use is returned.
pub fn load_or_example(file: Option<&Path>) -> Result<Loaded, ExitCode> {
    let loaded = match file {
        Some(path) => load::load_path(path),
        None => load::load_example(),
    };
    loaded.map_err(|e| {
        print_load_error(&e);
        ExitCode::from(EXIT_FAILURE)
    })
}

/// Prints every diagnostic of a failed load to stderr, with a one-line summary.
pub fn print_load_error(e: &LoadError) {
    let mut err = std::io::stderr().lock();
    let _ = write!(err, "{}", e.render(stderr_colour()));
    let n = e.diagnostics.iter().filter(|d| d.is_error()).count();
    let _ = writeln!(
        err,
        "{}: {n} {} found; nothing was changed",
        appraise::sanitise::sanitise_line(&e.file.name),
        if n == 1 { "problem" } else { "problems" }
    );
}

/// Prints a loaded file's warnings to stderr; of a kind that comes many
/// times, the first few and one line for the rest (see [`write_warnings`]).
pub fn print_warnings(loaded: &Loaded) {
    write_warnings(loaded, false);
}

/// Prints a loaded file's warnings to stderr: every one in full when
/// `every` (`check --all`), otherwise summed up past the first few of each
/// kind, the summary saying how to see them all.
pub fn write_warnings(loaded: &Loaded, every: bool) {
    if loaded.warnings.is_empty() {
        return;
    }
    let colour = stderr_colour();
    let text = if every {
        render_all(&loaded.source, &loaded.warnings, colour)
    } else {
        render_summarised(&loaded.source, &loaded.warnings, colour, &|kind, n| {
            more_warnings(loaded, kind, n)
        })
    };
    let mut err = std::io::stderr().lock();
    let _ = write!(err, "{text}");
}

/// The line that stands for `n` more warnings of `kind` in `loaded`: for
/// unscored cells, how many there are and across how many options and
/// criteria.
fn more_warnings(loaded: &Loaded, kind: Kind, n: usize) -> Diagnostic {
    let count = |n: usize, one: &str, many: &str| appraise::numbers::count(n as f64, one, many);
    let message = match kind {
        Kind::MissingScore => {
            let a = &loaded.appraisal;
            let (mut cells, mut options) = (0, 0);
            let mut criteria = vec![false; a.criteria().len()];
            for o in a.options() {
                let before = cells;
                for c in unscored(a, o) {
                    cells += 1;
                    if let Some(x) = criteria.get_mut(c) {
                        *x = true;
                    }
                }
                options += usize::from(cells > before);
            }
            let criteria = criteria.iter().filter(|&&x| x).count();
            format!(
                "… and {} ({cells} in all, across {} and {})",
                count(n, "more missing score", "more missing scores"),
                count(options, "option", "options"),
                count(criteria, "criterion", "criteria"),
            )
        }
        _ => format!(
            "… and {} like these",
            count(
                n,
                &format!("more {} warning", kind.as_str()),
                &format!("more {} warnings", kind.as_str())
            )
        ),
    };
    Diagnostic::warning(kind, message, None).with_help(format!(
        "`appraise check --all {}` lists every one",
        loaded.source.name
    ))
}

/// Writes a new file whole or not at all: with `force` replacing one that
/// is there, otherwise failing with [`appraise::atomic::WriteError::Exists`]
/// rather than touching it.
pub fn write_file(
    path: &Path,
    bytes: &[u8],
    force: bool,
) -> Result<(), appraise::atomic::WriteError> {
    if force {
        appraise::atomic::write(path, bytes)
    } else {
        appraise::atomic::write_new(path, bytes)
    }
}

/// Writes `bytes` to standard output; a reader that stops early (`| head`)
/// is not a failure.
pub fn write_stdout(bytes: &[u8]) -> anyhow::Result<ExitCode> {
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(ExitCode::SUCCESS),
        Err(e) => Err(anyhow::Error::new(e).context("writing to standard output")),
        Ok(()) => Ok(ExitCode::SUCCESS),
    }
}
