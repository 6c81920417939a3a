//! Validating Word and Excel files with an independent Office Open XML
//! validator (`openxml-audit`, from PyPI; `.ci/run` installs it and sets
//! `OPENXML_AUDIT`). Every finding, error or warning, fails the test.

use std::path::Path;
use std::process::Command;

use super::tools;

/// Validates every file in `files` (name, bytes) in one run of the validator,
/// failing the test with each finding. Returns whether validation ran (it is
/// skipped, visibly, where the validator is missing and CI is not set).
pub fn validate(test: &str, files: &[(String, Vec<u8>)]) -> bool {
    let Some(audit) = tools::find(test, "openxml-audit", "OPENXML_AUDIT") else {
        return false;
    };
    let dir = tempfile::tempdir().expect("temporary folder");
    for (name, bytes) in files {
        std::fs::write(dir.path().join(name), bytes).expect("write a file to validate");
    }
    run(&audit, dir.path(), files.len());
    true
}

fn run(audit: &Path, dir: &Path, expected: usize) {
    let out = Command::new(audit)
        .args([
            "--recursive",
            "--quiet",
            "--max-errors",
            "0",
            "--output",
            "json",
        ])
        .arg(dir)
        .output()
        .expect("the validator runs");
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "the validator's report is not JSON ({e}): {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    let results = report.as_array().expect("a list of results");
    assert_eq!(
        results.len(),
        expected,
        "every file was validated: {report:#}"
    );
    let mut findings = Vec::new();
    for r in results {
        let file = r["file"].as_str().unwrap_or("?");
        for key in ["errors", "warnings"] {
            for e in r[key].as_array().into_iter().flatten() {
                findings.push(format!(
                    "{file}: {} ({} {})",
                    e["description"].as_str().unwrap_or("?"),
                    e["part_uri"].as_str().unwrap_or(""),
                    e["path"].as_str().unwrap_or("")
                ));
            }
        }
        let counted =
            r["error_count"].as_u64().unwrap_or(1) + r["warning_count"].as_u64().unwrap_or(0);
        if counted > 0 && findings.is_empty() {
            findings.push(format!("{file}: {counted} findings"));
        }
    }
    assert!(
        findings.is_empty(),
        "{} OOXML findings:\n{}",
        findings.len(),
        findings.join("\n")
    );
}
