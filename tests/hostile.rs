//! Hostile and malformed inputs: each file in `tests/fixtures/invalid/` either
//! loads or is refused with diagnostics that carry `path:line:column`, and the
//! result is compared with the `.expected` file beside it.
//!
//! After an intended change to messages, regenerate with
//! `APPRAISE_BLESS=1 cargo test --test hostile` and review the diff.

use std::fmt::Write as _;
use std::path::Path;

use appraise::compute::compute;
use appraise::load::load_bytes;
use appraise::report::{TextStyle, write_report};

const DIR: &str = "tests/fixtures/invalid";

fn outcome(path: &Path) -> String {
    let name = format!(
        "{DIR}/{}",
        path.file_name().and_then(|n| n.to_str()).expect("name")
    );
    let bytes = std::fs::read(path).expect("fixture readable");
    let mut out = String::new();
    match load_bytes(&name, bytes) {
        Ok(loaded) => {
            let a = &loaded.appraisal;
            writeln!(
                out,
                "loads: {} options, {} criteria, {} warnings",
                a.options().len(),
                a.criteria().len(),
                loaded.warnings.len()
            )
            .expect("write");
            // Whatever loads must also compute and print without trouble.
            let mut report = Vec::new();
            write_report(&mut report, a, &compute(a), TextStyle::default()).expect("report");
            let report = String::from_utf8(report).expect("utf8 report");
            assert!(
                !report.contains("inf") && !report.contains("NaN"),
                "{name}: non-finite number shown"
            );
            for w in &loaded.warnings {
                out.push_str(&w.render(&loaded.source, false));
                out.push('\n');
            }
        }
        Err(e) => {
            for d in &e.diagnostics {
                let located = d.location(&e.file);
                assert!(
                    d.span.is_some() && located.starts_with(&format!("{name}:")),
                    "{name}: every problem needs path:line:column, got {located}"
                );
                assert!(
                    d.help.is_some(),
                    "{name}: every problem says what to do: {}",
                    d.message
                );
            }
            out.push_str(&e.render(false));
        }
    }
    out
}

#[test]
fn every_hostile_file_loads_or_is_refused_with_located_diagnostics() {
    let bless = std::env::var_os("APPRAISE_BLESS").is_some();
    let mut fixtures: Vec<_> = std::fs::read_dir(DIR)
        .expect("fixtures folder")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    fixtures.sort();
    assert!(fixtures.len() >= 30, "the corpus is in place");
    let mut mismatches = Vec::new();
    for path in &fixtures {
        let got = outcome(path);
        let expected_path = path.with_extension("expected");
        if bless {
            std::fs::write(&expected_path, &got).expect("write expected");
            continue;
        }
        let expected = std::fs::read_to_string(&expected_path).unwrap_or_else(|_| {
            panic!(
                "{} has no .expected file; run with APPRAISE_BLESS=1",
                path.display()
            )
        });
        if got != expected {
            mismatches.push(format!("--- {}\n{got}", path.display()));
        }
    }
    assert!(
        mismatches.is_empty(),
        "outcomes differ from .expected:\n{}",
        mismatches.join("\n")
    );
}
