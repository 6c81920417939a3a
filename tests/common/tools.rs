//! External programs some tests need (tmux, LibreOffice, an OOXML validator, ...).
//!
//! A test that cannot find its program must not pass silently. On CI (the `CI`
//! environment variable is set, as `.ci/run` does) a missing program fails the
//! test; elsewhere the test prints a `SKIPPED:` line to stderr, visible with
//! `cargo test -- --nocapture` and in the summary of a failing run, and returns.

use std::path::{Path, PathBuf};

/// Whether this run must have every external program (CI sets `CI`).
pub fn required() -> bool {
    std::env::var_os("CI").is_some_and(|v| !v.is_empty() && v != "0" && v != "false")
}

/// Finds an external program: first the path in the environment variable `env`
/// (if set), then `name` on `PATH`. On failure, fails the test on CI and
/// otherwise prints why `test` is skipped and returns `None`.
pub fn find(test: &str, name: &str, env: &str) -> Option<PathBuf> {
    if let Some(path) = std::env::var_os(env).map(PathBuf::from) {
        if path.is_file() {
            return Some(path);
        }
        return missing(test, &format!("{env}={} is not a file", path.display()));
    }
    let found = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|dir| dir.join(name))
            .find(|candidate| is_executable(candidate))
    });
    match found {
        Some(path) => Some(path),
        None => missing(test, &format!("`{name}` is not on PATH (or set {env})")),
    }
}

/// Reports a missing program for `test`: a panic on CI, a visible skip elsewhere.
pub fn missing<T>(test: &str, why: &str) -> Option<T> {
    assert!(
        !required(),
        "{test}: {why}; CI must install it (see .ci/run)"
    );
    eprintln!("SKIPPED: {test}: {why}");
    None
}

fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    path.metadata()
        .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}
