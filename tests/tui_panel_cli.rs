//! `appraise tui --member` and `--panel` on the command line: usage errors and help.

use assert_cmd::Command;
use predicates::prelude::*;

fn appraise() -> Command {
    Command::cargo_bin("appraise").unwrap()
}

#[test]
fn help_shows_member_and_panel_examples() {
    appraise()
        .args(["tui", "--help"])
        .assert()
        .success()
        .stdout(predicate::str::contains("--member <NAME>"))
        .stdout(predicate::str::contains("--panel <SHEET>..."))
        .stdout(predicate::str::contains(
            "appraise tui review.toml --member \"Cllr A. Clark\"",
        ))
        .stdout(predicate::str::contains(
            "appraise tui review.toml --panel sheets/*.toml",
        ));
    appraise()
        .arg("--help")
        .assert()
        .success()
        .stdout(predicate::str::contains("--member \"Cllr A. Clark\""));
}

#[test]
fn member_and_panel_options_that_do_not_fit_are_usage_errors() {
    for args in [
        vec!["tui", "--member", "A"],
        vec!["tui", "r.toml", "--sheet", "s.toml"],
        vec!["tui", "r.toml", "--member", "A", "--panel", "s.toml"],
        vec!["tui", "--panel", "s.toml"],
        vec!["tui", "r.toml", "--method", "median"],
        vec!["tui", "r.toml", "--panel", "s.toml", "--method", "mode"],
    ] {
        appraise()
            .args(&args)
            .assert()
            .code(2)
            .stderr(predicate::str::contains("error:"));
    }
}
