//! `appraise tui [FILE]`: score and weigh interactively; with `--member`, score
//! into a member's scoresheet; with `--panel`, see members' sheets merged.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use appraise::panel::{MergeOptions, Method};
use appraise::tui::App;
use appraise::tui::panel::PanelState;

use super::panel::MethodArg;
use super::{EXIT_FAILURE, print_load_error};

/// Arguments for `tui`.
#[derive(clap::Args, Default)]
#[command(after_help = "Examples:\n  \
    appraise tui review.toml      score and weigh review.toml\n  \
    appraise tui                  explore the bundled example (Ctrl-s asks where to save)\n  \
    appraise review.toml          the same as appraise tui review.toml, in a terminal\n  \
    appraise tui review.toml --member \"Cllr A. Clark\"\n                                \
    score into Cllr A. Clark's own scoresheet\n                                \
    (review.cllr-a-clark.sheet.toml, created if missing)\n  \
    appraise tui review.toml --member \"Cllr A. Clark\" --sheet sheets/clark.toml\n  \
    appraise tui review.toml --panel sheets/*.toml\n                                \
    the panel view: consensus, disagreement, each member's score\n  \
    appraise tui review.toml --panel sheets/*.toml --method median --flag-spread 3\n\n\
    Press ? inside for every key. Unsaved work is kept in a recovery file\n\
    (.NAME.appraise-recovery beside the file) and offered if appraise closes unexpectedly.\n\
    In member mode, c shows the shared scores (read-only); weights, names, options and\n\
    criteria stay as the appraisal has them. In the panel view, f jumps to the next\n\
    flagged cell and m changes how scores are combined; the sheets are only read.")]
pub struct Args {
    /// Appraisal file (default: the bundled example).
    pub file: Option<PathBuf>,
    /// Score as this panel member, into their own scoresheet rather than FILE.
    #[arg(long, value_name = "NAME", requires = "file", conflicts_with = "panel")]
    pub member: Option<String>,
    /// The member's scoresheet (default: beside FILE, named after the member, as `appraise sheet new` names it).
    #[arg(long, value_name = "PATH", requires = "member")]
    pub sheet: Option<PathBuf>,
    /// Open the panel view on these members' scoresheets (checked as `appraise panel` checks them).
    #[arg(long, value_name = "SHEET", num_args = 1.., requires = "file")]
    pub panel: Vec<PathBuf>,
    /// How the panel view combines members' scores at first (m changes it inside).
    #[arg(long, value_enum, requires = "panel")]
    pub method: Option<MethodArg>,
    /// Flag cells whose scores are at least this many scale steps apart [default: 2].
    #[arg(long, value_name = "STEPS", requires = "panel")]
    pub flag_spread: Option<f64>,
    /// Round each consensus score to the nearest point on the scale.
    #[arg(long, requires = "panel")]
    pub round: bool,
}

/// Whether both stdin and stdout are terminals, so a TUI can run.
pub fn interactive() -> bool {
    std::io::stdin().is_terminal() && std::io::stdout().is_terminal()
}

/// Opens the TUI on FILE or the bundled example, as a member or with a panel if asked.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    if !interactive() {
        eprintln!(
            "error: appraise tui needs a terminal for input and output; \
             use `appraise report FILE` to print the appraisal instead"
        );
        return Ok(ExitCode::from(EXIT_FAILURE));
    }
    let flag_steps = args.flag_spread.unwrap_or(2.0);
    if !(flag_steps.is_finite() && flag_steps >= 0.0) {
        anyhow::bail!("--flag-spread must be a number of steps, zero or more");
    }
    let app = match (&args.file, &args.member) {
        (Some(p), Some(m)) => App::open_member(p, m, args.sheet.as_deref()),
        (Some(p), None) => App::open(p),
        (None, _) => App::example(),
    };
    let mut app = match app {
        Ok(a) => a,
        Err(e) => {
            print_load_error(&e);
            return Ok(ExitCode::from(EXIT_FAILURE));
        }
    };
    if !args.panel.is_empty() {
        let options = MergeOptions {
            method: match args.method {
                None | Some(MethodArg::Mean) => Method::Mean,
                Some(MethodArg::Median) => Method::Median,
                Some(MethodArg::TrimmedMean) => Method::TrimmedMean,
                Some(MethodArg::Sum) => Method::Sum,
            },
            round: args.round,
            flag_steps,
        };
        let panel = match PanelState::load(
            &args.panel,
            app.doc.appraisal(),
            args.file.as_deref(),
            options,
        ) {
            Ok(p) => p,
            Err(errors) => {
                for e in &errors {
                    print_load_error(e);
                }
                return Ok(ExitCode::from(EXIT_FAILURE));
            }
        };
        let warning = if panel.problems().is_empty() {
            panel
                .sheets()
                .iter()
                .flat_map(|s| s.warnings.iter().map(move |w| (s, w)))
                .map(|(s, w)| format!("{}: {}", s.source.name, w.message))
                .next()
        } else {
            Some(appraise::tui::panel::opened_message(&panel, None))
        };
        app.set_panel(panel);
        match warning {
            Some(w) => app.view.info(w),
            None if app.view.message.is_none() => app.view.info(
                "Panel view: f jumps to the next flagged cell, m changes the method, p closes",
            ),
            None => {}
        }
    }
    let app = appraise::tui::run(app).context("the terminal stopped working")?;
    if app.doc.is_dirty()
        && let Some(r) = app.doc.recovery_path().filter(|r| r.exists())
    {
        // The terminal may have gone: a failed write must not end in a panic.
        let _ = writeln!(
            std::io::stderr(),
            "Unsaved changes are kept in {}; open the file again to restore them.",
            appraise::sanitise::shown(&r)
        );
    }
    Ok(match app.stopped_by {
        // As a shell reports a process ended by a signal: 128 + its number.
        // A terminal that went away without a signal counts as a hang-up.
        Some("SIGHUP" | appraise::tui::runner::TERMINAL_LOST) => ExitCode::from(129),
        Some(_) => ExitCode::from(143),
        None => ExitCode::SUCCESS,
    })
}
