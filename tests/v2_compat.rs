//! Version 2 keeps every version-1 file as it was.
//!
//! 1. Every version-1 file shipped or used as a fixture gives the same bytes
//!    from `rank --format json`, `rank`, `report` and every export as it did
//!    before version 2: each output's fingerprint is recorded in
//!    `tests/fixtures/v1-outputs.txt`. After an intended change of output,
//!    regenerate with `APPRAISE_BLESS=1 cargo test --test v2_compat` and
//!    review the diff.
//! 2. A version-1 file rewritten with version-2 syntax that means the same
//!    (`version = 2`, each criterion given the common scale as its own, all
//!    criteria in one group) gives exactly the version-1 totals.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use appraise::compute::compute;
use appraise::load::{load_path, load_str};
use appraise::save::Fingerprint;
use assert_cmd::Command;

const RECORD: &str = "tests/fixtures/v1-outputs.txt";

/// Every loadable version-1 file: the shipped appraisals, the export
/// fixtures, and the hostile fixtures that load (with warnings).
fn v1_files() -> Vec<PathBuf> {
    let mut files = Vec::new();
    for dir in [
        "appraisals",
        "tests/fixtures/export",
        "tests/fixtures/invalid",
    ] {
        let mut here: Vec<PathBuf> = std::fs::read_dir(dir)
            .expect("fixture folder")
            .map(|e| e.expect("entry").path())
            .filter(|p| p.extension().is_some_and(|x| x == "toml"))
            .filter(|p| load_path(p).is_ok_and(|l| l.appraisal.version() == 1))
            .collect();
        here.sort();
        files.extend(here);
    }
    files
}

fn run(args: &[&str]) -> (i32, Vec<u8>) {
    let out = Command::cargo_bin("appraise")
        .expect("binary")
        .args(args)
        .env("NO_COLOR", "1")
        .env("COLUMNS", "100")
        .output()
        .expect("runs");
    (out.status.code().unwrap_or(-1), out.stdout)
}

/// One line per output: the file, the command, the exit code and the
/// fingerprint of what it wrote (each file of a folder for csv and svg).
fn outputs(file: &Path) -> String {
    let f = file.to_str().expect("utf-8 path");
    let mut lines = String::new();
    let commands: &[&[&str]] = &[
        &["rank", "--format", "json"],
        &["rank"],
        &["report"],
        &["export", "--format", "md", "-o", "-"],
        &["export", "--format", "html", "-o", "-"],
        &["export", "--format", "json", "-o", "-"],
        &["export", "--format", "xlsx", "-o", "-"],
        &["export", "--format", "docx", "-o", "-"],
    ];
    for args in commands {
        let mut all: Vec<&str> = args.to_vec();
        all.insert(1, f);
        let (code, out) = run(&all);
        writeln!(
            lines,
            "{f}\t{}\t{code}\t{}",
            args.join(" "),
            Fingerprint::of(&out).to_text()
        )
        .expect("write");
    }
    for format in ["csv", "svg"] {
        let dir = tempfile::tempdir().expect("temp dir");
        let target = format!("{}/", dir.path().display());
        let (code, _) = run(&["export", f, "--format", format, "-o", &target]);
        let mut names: Vec<PathBuf> = std::fs::read_dir(dir.path())
            .expect("written")
            .map(|e| e.expect("entry").path())
            .collect();
        names.sort();
        for p in names {
            let bytes = std::fs::read(&p).expect("readable");
            writeln!(
                lines,
                "{f}\texport --format {format} {}\t{code}\t{}",
                p.file_name().and_then(|n| n.to_str()).unwrap_or("?"),
                Fingerprint::of(&bytes).to_text()
            )
            .expect("write");
        }
    }
    lines
}

#[test]
fn every_version_1_file_gives_the_same_bytes_as_before() {
    let files = v1_files();
    assert!(
        files.len() >= 3,
        "expected the shipped and fixture files, found {files:?}"
    );
    let got: String = files.iter().map(|f| outputs(f)).collect();
    if std::env::var_os("APPRAISE_BLESS").is_some() {
        std::fs::write(RECORD, &got).expect("write record");
        return;
    }
    let want =
        std::fs::read_to_string(RECORD).expect("the record exists; run with APPRAISE_BLESS=1");
    let differ: Vec<String> = got
        .lines()
        .zip(want.lines())
        .filter(|(g, w)| g != w)
        .map(|(g, w)| format!("  now {g}\n  was {w}"))
        .collect();
    assert!(
        differ.is_empty() && got.lines().count() == want.lines().count(),
        "version-1 outputs changed ({} of {} lines; counts {} and {}):\n{}",
        differ.len(),
        want.lines().count(),
        got.lines().count(),
        want.lines().count(),
        differ.join("\n")
    );
}

/// The bundled example rewritten in version-2 syntax that means the same.
fn example_as_v2(text: &str) -> String {
    let own = "scale = { min = 0, max = 5, step = 1 }\ngroup = \"all\"\n";
    let body = text.replace("[[criteria]]\n", &format!("[[criteria]]\n{own}"));
    let at = body.find("[[criteria]]").expect("criteria");
    format!(
        "version = 2\n{}[[groups]]\nid = \"all\"\nname = \"Every criterion\"\nweight = 8\n\n{}",
        &body[..at],
        &body[at..]
    )
}

#[test]
fn version_2_syntax_with_one_scale_gives_version_1_totals_exactly() {
    let v1 = load_str("v1.toml", appraise::load::EXAMPLE).expect("v1 loads");
    let text = example_as_v2(appraise::load::EXAMPLE);
    let v2 = load_str("v2.toml", &text).unwrap_or_else(|e| panic!("{}", e.render(false)));
    assert_eq!(v2.appraisal.version(), 2);
    assert_eq!(v2.appraisal.groups().len(), 1);
    let (r1, r2) = (compute(&v1.appraisal), compute(&v2.appraisal));
    assert_eq!(
        r1.max_total, 40.0,
        "the review's equal weights total out of 40"
    );
    assert_eq!(r2.max_total, r1.max_total);
    for (a, b) in r1.options.iter().zip(&r2.options) {
        assert_eq!(a.total.to_bits(), b.total.to_bits(), "option {}", a.index);
        assert_eq!(a.rank, b.rank);
        assert_eq!(
            b.subtotals,
            vec![b.total],
            "one group holds the whole total"
        );
    }
    assert_eq!(r2.max_subtotals, vec![40.0]);
}
