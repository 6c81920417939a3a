//! `appraise diff OLD NEW [--format text|md|json]`: what changed between two
//! versions of an appraisal. Also git's external diff driver: given git's
//! seven arguments (path, old file, old hash, old mode, new file, new hash,
//! new mode) it compares the two versions git hands it.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use appraise::diff::{self, DiffOptions, render};
use appraise::load;

use super::{EXIT_FAILURE, print_load_error, stdout_style, write_stdout};

/// Arguments for `diff`.
#[derive(clap::Args)]
#[command(after_help = "Examples:\n  \
    appraise diff review-march.toml review.toml\n  \
    appraise diff old.toml new.toml --format md > changes.md     for a committee update\n  \
    git show HEAD~1:review.toml > /tmp/old.toml && appraise diff /tmp/old.toml review.toml\n\n\
    Criteria and options are matched by id, so a renamed one shows as renamed.\n\
    To make `git diff` show this for appraisal files (docs/diff.md):\n  \
    echo '*.appraisal.toml diff=appraise' >> .gitattributes\n  \
    git config diff.appraise.command 'appraise diff'")]
pub struct Args {
    /// The old version.
    pub old: OsString,
    /// The new version.
    pub new: OsString,
    /// When git runs this as its diff driver, it passes seven arguments:
    /// path, old file, old hash, old mode, new file, new hash, new mode.
    #[arg(hide = true)]
    pub git: Vec<OsString>,
    /// Output format: text for the terminal, md (Markdown) for a committee
    /// update, json for programs.
    #[arg(long, value_enum, default_value_t = DiffFormat::Text)]
    pub format: DiffFormat,
    /// Also compare the Monte Carlo statements, from this many samples (the
    /// same seed for both versions, so only the appraisal differs).
    #[arg(long, value_name = "N")]
    pub samples: Option<u64>,
    /// The Monte Carlo seed.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Exit with status 1 when the versions differ (as `diff` does), 0 when
    /// they are the same.
    #[arg(long)]
    pub exit_code: bool,
}

/// How the diff is written.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum DiffFormat {
    /// Text for the terminal.
    Text,
    /// Markdown with pipe tables.
    #[value(alias = "markdown")]
    Md,
    /// JSON.
    Json,
}

/// What to compare and what to call it.
struct Sides {
    old: PathBuf,
    new: PathBuf,
    old_label: String,
    new_label: String,
    /// Whether git is running us as its diff driver: then a file that is not
    /// an appraisal is reported in the output and git carries on.
    git: bool,
}

fn sides(files: &[OsString]) -> Result<Sides, String> {
    match files {
        [old, new] => Ok(Sides {
            old: PathBuf::from(old),
            new: PathBuf::from(new),
            old_label: Path::new(old).display().to_string(),
            new_label: Path::new(new).display().to_string(),
            git: false,
        }),
        [path, old, _, _, new, _, _] => {
            let path = Path::new(path).display().to_string();
            Ok(Sides {
                old: PathBuf::from(old),
                new: PathBuf::from(new),
                old_label: format!("a/{path}"),
                new_label: format!("b/{path}"),
                git: true,
            })
        }
        _ => Err(format!(
            "diff takes two files, OLD and NEW (or git's seven arguments), not {}",
            files.len()
        )),
    }
}

/// git's name for a side that does not exist (a file added or deleted).
fn absent(path: &Path) -> bool {
    path == Path::new("/dev/null")
}

/// Runs `diff`.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let mut files = vec![args.old.clone(), args.new.clone()];
    files.extend(args.git.iter().cloned());
    let s = match sides(&files) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: {e}");
            return Ok(ExitCode::from(2));
        }
    };
    if s.git && (absent(&s.old) || absent(&s.new)) {
        let (what, label) = if absent(&s.old) {
            ("new", &s.new_label)
        } else {
            ("deleted", &s.old_label)
        };
        let text = format!(
            "appraise diff {} {}\n{what} file {label}\n",
            s.old_label, s.new_label
        );
        return write_stdout(text.as_bytes());
    }
    // Diagnostics name the file as the user knows it (git's `a/` path, not
    // its temporary copy).
    let load = |path: &Path, label: &str| match std::fs::read(path) {
        Ok(bytes) => load::load_bytes(label, bytes),
        Err(_) => load::load_path(path),
    };
    let old = load(&s.old, &s.old_label);
    let new = load(&s.new, &s.new_label);
    let (old, new) = match (old, new) {
        (Ok(a), Ok(b)) => (a, b),
        (a, b) => {
            for e in [a.err(), b.err()].into_iter().flatten() {
                if s.git {
                    // git shows our output in its pager; say why there is no diff.
                    let text = format!(
                        "appraise diff {} {}\n{}{} does not load as an appraisal, so it cannot be compared\n",
                        s.old_label,
                        s.new_label,
                        e.render(false),
                        e.file.name
                    );
                    write_stdout(text.as_bytes())?;
                } else {
                    print_load_error(&e);
                }
            }
            return Ok(if s.git {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(EXIT_FAILURE)
            });
        }
    };
    let options = DiffOptions {
        samples: args.samples,
        seed: args.seed,
    };
    let d = diff::diff(&old.appraisal, &new.appraisal, &options);
    let labels = render::Labels {
        old: s.old_label.clone(),
        new: s.new_label.clone(),
        title: new.appraisal.meta.title.clone(),
    };
    let mut out = Vec::new();
    if s.git {
        out.extend_from_slice(
            format!("appraise diff {} {}\n", s.old_label, s.new_label).as_bytes(),
        );
    }
    match args.format {
        DiffFormat::Json => {
            serde_json::to_writer_pretty(&mut out, &d).context("writing the diff as JSON")?;
            out.push(b'\n');
        }
        DiffFormat::Md => {
            render::write_markdown(&render::report(&d, &labels), &mut out)
                .context("writing the diff as Markdown")?;
        }
        DiffFormat::Text => {
            render::write_text(&render::report(&d, &labels), stdout_style(), &mut out)
                .context("writing the diff")?;
        }
    }
    write_stdout(&out)?;
    Ok(if args.exit_code && !d.is_empty() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
