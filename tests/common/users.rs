//! A second, unprivileged user for the file-security tests: created with
//! `useradd` where the tests run as root (as on CI), and commands run as it
//! with `runuser`. Where neither can be had, the test is skipped visibly
//! (and fails on CI), as [`super::tools`] does for missing programs.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_appraise");

/// The second, unprivileged user the security tests run as.
pub const OTHER_USER: &str = "appraise-test";

/// Makes sure the second user exists (creating it needs root, as on CI) and
/// that `runuser` is there to run commands as it; otherwise the test is
/// skipped, visibly (and fails on CI).
pub fn second_user(test: &str) -> Option<PathBuf> {
    let runuser = super::tools::find(test, "runuser", "APPRAISE_TEST_RUNUSER")?;
    let exists = Command::new("id")
        .args(["-u", OTHER_USER])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !exists {
        let made = Command::new("useradd")
            .args([
                "--system",
                "--no-create-home",
                "--shell",
                "/bin/sh",
                OTHER_USER,
            ])
            .status()
            .is_ok_and(|s| s.success());
        if !made {
            return super::tools::missing(
                test,
                &format!("no second user {OTHER_USER} (useradd needs root)"),
            );
        }
    }
    Some(runuser)
}

/// The user's id number.
pub fn uid_of(user: &str) -> u32 {
    let out = Command::new("id").args(["-u", user]).output().unwrap();
    String::from_utf8_lossy(&out.stdout).trim().parse().unwrap()
}

/// The user's group's id number.
pub fn gid_of(user: &str) -> u32 {
    let out = Command::new("id").args(["-g", user]).output().unwrap();
    String::from_utf8_lossy(&out.stdout).trim().parse().unwrap()
}

/// `appraise ARGS` run as the second user in `dir`.
pub fn as_other_user(runuser: &Path, dir: &Path, args: &[&str]) -> std::process::Output {
    Command::new(runuser)
        .args(["-u", OTHER_USER, "--", BIN])
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap()
}
