//! `appraise completions bash|zsh|fish|powershell`

use std::process::ExitCode;

use clap_complete::Shell;

/// Arguments for `completions`.
#[derive(clap::Args)]
#[command(after_help = "Install (one of):\n  \
    bash:        appraise completions bash > ~/.local/share/bash-completion/completions/appraise\n  \
    zsh:         appraise completions zsh > ~/.zfunc/_appraise   (with fpath+=~/.zfunc before compinit)\n  \
    fish:        appraise completions fish > ~/.config/fish/completions/appraise.fish\n  \
    PowerShell:  appraise completions powershell >> $PROFILE")]
pub struct Args {
    /// The shell to complete for.
    #[arg(value_enum)]
    pub shell: ShellArg,
}

/// The shells completions are written for.
#[derive(Clone, Copy, clap::ValueEnum)]
pub enum ShellArg {
    /// Bash.
    Bash,
    /// Zsh.
    Zsh,
    /// Fish.
    Fish,
    /// PowerShell.
    Powershell,
}

/// Writes the completion script for `args.shell` to standard output.
pub fn run(args: Args, mut command: clap::Command) -> anyhow::Result<ExitCode> {
    let shell = match args.shell {
        ShellArg::Bash => Shell::Bash,
        ShellArg::Zsh => Shell::Zsh,
        ShellArg::Fish => Shell::Fish,
        ShellArg::Powershell => Shell::PowerShell,
    };
    let mut buf = Vec::new();
    clap_complete::generate(shell, &mut command, "appraise", &mut buf);
    super::write_stdout(&buf)
}
