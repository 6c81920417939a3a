//! A command line that fits in: shell completions, manual pages, progress
//! only on a terminal, and scoresheet file names that are safe,
//! recognisable and never shared by two members.

mod common;

use std::path::Path;
use std::process::Command as Std;

use assert_cmd::Command;
use predicates::prelude::*;

const EXAMPLE: &str = "appraisals/children-services-ama-2017.toml";

fn appraise() -> Command {
    let mut cmd = Command::cargo_bin("appraise").expect("binary built");
    cmd.env("NO_COLOR", "1");
    cmd
}

fn stdout_of(args: &[&str]) -> String {
    let out = appraise().args(args).output().expect("runs");
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8")
}

#[test]
fn completions_are_written_for_each_shell_and_bash_loads_them() {
    for (shell, marker) in [
        ("bash", "complete -F _appraise"),
        ("zsh", "#compdef appraise"),
        ("fish", "complete -c appraise"),
        ("powershell", "Register-ArgumentCompleter"),
    ] {
        let script = stdout_of(&["completions", shell]);
        assert!(script.contains(marker), "{shell}: {script}");
        for sub in [
            "check",
            "export",
            "import",
            "diff",
            "new",
            "completions",
            "man",
            "sheet",
        ] {
            assert!(script.contains(sub), "{shell} completes {sub}");
        }
    }
    let Some(bash) = common::tools::find(
        "completions_are_written_for_each_shell_and_bash_loads_them",
        "bash",
        "BASH",
    ) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("appraise.bash");
    std::fs::write(&script, stdout_of(&["completions", "bash"])).unwrap();
    // Loading the script and asking bash to complete `appraise ex`.
    let out = Std::new(bash)
        .arg("-c")
        .arg(format!(
            "source {}; COMP_WORDS=(appraise ex); COMP_CWORD=1; _appraise appraise ex appraise; echo \"${{COMPREPLY[@]}}\"",
            script.display()
        ))
        .output()
        .unwrap();
    let words = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(words.split_whitespace().any(|w| w == "export"), "{words}");
}

#[test]
fn man_prints_the_main_page_and_writes_one_per_command() {
    let page = stdout_of(&["man"]);
    assert!(
        page.starts_with(".ie") || page.contains(".TH appraise 1"),
        "{page}"
    );
    assert!(page.contains(".SH SYNOPSIS"), "{page}");
    assert!(page.contains("appraise\\-new(1)"), "{page}");
    let dir = tempfile::tempdir().unwrap();
    appraise()
        .args(["man", "--out"])
        .arg(dir.path())
        .assert()
        .success()
        .stderr(predicate::str::contains("manual pages"));
    for page in [
        "appraise.1",
        "appraise-new.1",
        "appraise-check.1",
        "appraise-sheet-new.1",
    ] {
        let text = std::fs::read_to_string(dir.path().join(page)).unwrap_or_default();
        assert!(text.contains(".SH NAME"), "{page}: {text}");
    }
    let new = std::fs::read_to_string(dir.path().join("appraise-new.1")).unwrap();
    assert!(new.contains("\\-\\-criteria"), "{new}");
}

#[test]
fn progress_is_never_drawn_into_a_pipe() {
    let out = appraise()
        .args(["sensitivity", EXAMPLE, "--samples", "3000000"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains('\r') && !err.contains('\u{1b}'), "{err:?}");
    assert!(!err.contains("Monte Carlo ["), "{err}");
}

#[test]
fn a_long_monte_carlo_run_shows_a_progress_bar_on_a_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join(EXAMPLE);
    let example = example.to_string_lossy();
    let mut session = common::pty::Session::start(
        &["sensitivity", &example, "--samples", "1000000000"],
        dir.path(),
    );
    session.wait_for("Monte Carlo [");
    session.wait_for("samples");
    session.kill().expect("stopped");
}

fn sheet_new(dir: &Path, member: &str) -> String {
    let out = appraise()
        .current_dir(dir)
        .args(["sheet", "new", "review.toml", "--member", member])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{member}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let said = String::from_utf8(out.stdout).unwrap();
    said.trim()
        .strip_prefix("wrote ")
        .and_then(|s| s.split(" for ").next())
        .unwrap_or_default()
        .to_string()
}

#[test]
fn scoresheet_file_names_are_safe_recognisable_and_never_shared() {
    let dir = tempfile::tempdir().unwrap();
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join(EXAMPLE);
    std::fs::copy(example, dir.path().join("review.toml")).unwrap();
    assert_eq!(
        sheet_new(dir.path(), "王小明"),
        "review.wang-xiao-ming.sheet.toml"
    );
    assert_eq!(sheet_new(dir.path(), "émile"), "review.emile.sheet.toml");
    let long = format!("Councillor {}", "Bartholomew-Featherstonehaugh ".repeat(10));
    assert!(long.chars().count() >= 300);
    let name = sheet_new(dir.path(), &long);
    assert!(name.starts_with("review.councillor-bartholomew"), "{name}");
    assert!(name.len() < 80, "{name}");
    // Two members whose names read alike get two files, each theirs.
    let a = sheet_new(dir.path(), "Cllr A. Clark");
    let b = sheet_new(dir.path(), "Cllr A Clark");
    assert_eq!(a, "review.cllr-a-clark.sheet.toml");
    assert_ne!(a, b);
    for (file, member) in [(&a, "Cllr A. Clark"), (&b, "Cllr A Clark")] {
        let text = std::fs::read_to_string(dir.path().join(file)).unwrap();
        assert!(
            text.contains(&format!("member = \"{member}\"")),
            "{file}: {text}"
        );
    }
    // The same member again is told the sheet is there, not given another.
    appraise()
        .current_dir(dir.path())
        .args(["sheet", "new", "review.toml", "--member", "Cllr A Clark"])
        .assert()
        .failure()
        .stderr(predicate::str::contains(format!(
            "{b} already exists: it is the sheet of Cllr A Clark; score it with `appraise tui review.toml --member 'Cllr A Clark'`"
        )));
    // Émile is émile to a panel (names are compared without regard to
    // case, so that one member's two sheets are not two votes): told whose
    // the file is and what to do, and not offered --force, which would
    // blank émile's sheet.
    let refused = appraise()
        .current_dir(dir.path())
        .args(["sheet", "new", "review.toml", "--member", "Émile"])
        .assert()
        .failure()
        .stderr(predicate::str::contains(
            "review.emile.sheet.toml already exists: it is the sheet of émile, and a panel counts Émile as the same member",
        ))
        .stderr(predicate::str::contains("add an initial"));
    let said = String::from_utf8_lossy(&refused.get_output().stderr).into_owned();
    assert!(!said.contains("--force"), "{said}");
    // Émile D. is someone else, with a file of their own.
    assert_eq!(
        sheet_new(dir.path(), "Émile D."),
        "review.emile-d.sheet.toml"
    );
    let mut sheets: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".sheet.toml"))
        .collect();
    sheets.sort();
    assert_eq!(sheets.len(), 6, "{sheets:?}");
    // The panel takes all six as six members: no two share a file.
    let out = appraise()
        .current_dir(dir.path())
        .args(["panel", "review.toml", "--format", "json"])
        .args(&sheets)
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(!said.contains("already has a sheet"), "{said}");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!("{e}: {said}");
    });
    assert_eq!(json["members"].as_array().map(Vec::len), Some(6), "{json}");
}

#[test]
fn a_reader_that_stops_early_is_not_an_error() {
    // The reading end is closed before the command writes a byte, so every
    // write meets a broken pipe.
    for args in [
        vec!["report", EXAMPLE],
        vec!["rank", EXAMPLE],
        vec!["sensitivity", EXAMPLE],
        vec!["completions", "bash"],
        vec!["man"],
    ] {
        let (reader, writer) = std::io::pipe().unwrap();
        drop(reader);
        let out = Std::new(env!("CARGO_BIN_EXE_appraise"))
            .args(&args)
            .env("NO_COLOR", "1")
            .stdout(writer)
            .stderr(std::process::Stdio::piped())
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{args:?}: {err}");
        assert!(
            !err.to_lowercase().contains("broken pipe"),
            "{args:?}: {err}"
        );
    }
}

#[test]
fn a_long_export_and_a_large_import_show_a_spinner_on_a_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join(EXAMPLE);
    let example = example.to_string_lossy();
    let mut session = common::pty::Session::start(
        &[
            "export",
            &example,
            "--format",
            "xlsx",
            "--samples",
            "1000000000",
            "--out",
            "big.xlsx",
        ],
        dir.path(),
    );
    session.wait_for("exporting xlsx");
    session.kill().expect("stopped");
    // A CSV of 20,000 options by 40 criteria takes a while to read.
    let mut csv = String::from("Option");
    for c in 1..=40 {
        csv.push_str(&format!(",C{c}"));
    }
    csv.push_str("\nWeight");
    csv.push_str(&",1".repeat(40));
    for o in 1..=20_000 {
        csv.push_str(&format!("\nOption {o}"));
        for c in 0..40 {
            csv.push_str(&format!(",{}", (o + c) % 6));
        }
    }
    csv.push('\n');
    std::fs::write(dir.path().join("big.csv"), csv).unwrap();
    let mut session = common::pty::Session::start(&["import", "big.csv"], dir.path());
    session.wait_for("reading big.csv");
    session.kill().expect("stopped");
}
