//! `appraise sheet new APPRAISAL --member NAME [--out PATH]`

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::bail;
use appraise::{atomic, panel};

use super::load_or_example;

/// Arguments for `sheet`.
#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    pub command: SheetCommand,
}

/// What to do with scoresheets.
#[derive(clap::Subcommand)]
pub enum SheetCommand {
    /// Create a blank scoresheet for one member, listing every option and criterion.
    #[command(after_help = "Examples:\n  \
        appraise sheet new review.toml --member \"Cllr A. Clark\"\n  \
        appraise sheet new review.toml --member \"Cllr B. Shah\" --out sheets/shah.toml\n\n\
        Each member fills in their own sheet (or scores it with `appraise tui review.toml --member NAME`); \
        `appraise panel review.toml sheets/*.toml` then merges them.")]
    New(NewArgs),
}

/// Arguments for `sheet new`.
#[derive(clap::Args)]
pub struct NewArgs {
    /// The appraisal the sheet is for.
    pub appraisal: PathBuf,
    /// The member's name, as it should appear in panel reports.
    #[arg(long)]
    pub member: String,
    /// Where to write the sheet (default: beside the appraisal, named after the member).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Overwrite the file if it exists.
    #[arg(long)]
    pub force: bool,
}

/// Runs a `sheet` subcommand.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    match args.command {
        SheetCommand::New(a) => new(a),
    }
}

fn new(args: NewArgs) -> anyhow::Result<ExitCode> {
    let loaded = match load_or_example(Some(&args.appraisal)) {
        Ok(l) => l,
        Err(code) => return Ok(code),
    };
    if let Err(e) = appraise::model::check_name(&args.member) {
        bail!("the member name is not usable: {e}");
    }
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| panel::default_sheet_path(&args.appraisal, &args.member));
    let folder = out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let reference = panel::member::relative_path(&args.appraisal, folder);
    let text = panel::blank_sheet(&loaded.appraisal, &reference, &args.member);
    // Written whole or not at all: a full disk or a crash never leaves half a
    // sheet that a later `panel` would read as a member's partial scores.
    match super::write_file(&out, text.as_bytes(), args.force) {
        Ok(()) => {}
        Err(atomic::WriteError::Exists { .. }) => {
            let shown = appraise::sanitise::shown(&out);
            let score = |m: &str| {
                format!(
                    "appraise tui {} --member {}",
                    appraise::sanitise::shown(&args.appraisal),
                    shell_word(m)
                )
            };
            match panel::sheet::sheet_holder(&out) {
                // The same name exactly: the member's sheet is there already.
                Some(m) if m == args.member => bail!(
                    "{shown} already exists: it is the sheet of {}; score it with `{}`, or replace it with a blank one with --force",
                    appraise::sanitise::shown(&m),
                    score(&m)
                ),
                // Another spelling of the same member: a second sheet would be
                // merged as a second vote, so there is none, and --force (which
                // would blank the first) is not offered.
                Some(m) => bail!(
                    "{shown} already exists: it is the sheet of {}, and a panel counts {} as the same member (names are compared without regard to case); score it with `{}`, or, if they are two people, give a name that tells them apart (add an initial)",
                    appraise::sanitise::shown(&m),
                    appraise::sanitise::shown(&args.member),
                    score(&m)
                ),
                None => bail!(
                    "{shown} already exists; use --force to replace it or --out to choose another name"
                ),
            }
        }
        Err(e) => bail!("the sheet was not written: {e}"),
    }
    println!(
        "wrote {} for {}",
        appraise::sanitise::shown(&out),
        appraise::sanitise::shown(&args.member)
    );
    Ok(ExitCode::SUCCESS)
}

/// `s` as one word for a shell command shown to the user: quoted when it
/// holds anything but letters, digits and `.-_`.
fn shell_word(s: &str) -> String {
    if !s.is_empty() && s.chars().all(|c| c.is_alphanumeric() || "._-".contains(c)) {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}
