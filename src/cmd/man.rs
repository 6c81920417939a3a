//! `appraise man [--out FOLDER]`: the manual pages, written by clap_mangen
//! from the same definitions as `--help`.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use appraise::atomic;

/// Arguments for `man`.
#[derive(clap::Args)]
#[command(after_help = "Examples:\n  \
    appraise man | man -l -                 read the manual now\n  \
    appraise man > appraise.1               the main page\n  \
    appraise man --out ~/.local/share/man/man1   every page (appraise.1, appraise-check.1, ...)")]
pub struct Args {
    /// Write every page (one per command) into this folder instead of the
    /// main page to standard output.
    #[arg(long, value_name = "FOLDER")]
    pub out: Option<PathBuf>,
}

/// Writes the manual pages.
pub fn run(args: Args, command: clap::Command) -> anyhow::Result<ExitCode> {
    let command = command.version(env!("CARGO_PKG_VERSION"));
    let Some(folder) = args.out else {
        let mut buf = Vec::new();
        clap_mangen::Man::new(command).render(&mut buf)?;
        return super::write_stdout(&buf);
    };
    std::fs::create_dir_all(&folder)
        .with_context(|| format!("cannot make the folder {}", folder.display()))?;
    let mut command = command.disable_help_subcommand(true);
    // Building names each subcommand's page as `man` finds it (appraise-sheet-new).
    command.build();
    let mut pages = Vec::new();
    collect(&command, &mut pages)?;
    for (name, bytes) in &pages {
        let path = folder.join(name);
        atomic::write(&path, bytes).with_context(|| format!("writing {}", path.display()))?;
    }
    eprintln!("wrote {} manual pages to {}", pages.len(), folder.display());
    Ok(ExitCode::SUCCESS)
}

/// The page of `command` and those of its subcommands, as (file name, roff).
fn collect(command: &clap::Command, pages: &mut Vec<(String, Vec<u8>)>) -> anyhow::Result<()> {
    let man = clap_mangen::Man::new(command.clone());
    let mut buf = Vec::new();
    man.render(&mut buf)?;
    pages.push((man.get_filename(), buf));
    for sub in command.get_subcommands().filter(|s| !s.is_hide_set()) {
        collect(sub, pages)?;
    }
    Ok(())
}
