//! What reaches a terminal: hostile text is shown escaped, a closed pipe ends
//! the program quietly, and a hostile thread count is capped.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command as StdCommand, Stdio};

use assert_cmd::Command;
use assert_cmd::cargo::cargo_bin;

const APPRAISAL: &str = r#"[appraisal]
title = "Two options"

[scale]
min = 0
max = 5

[[criteria]]
id = "x"
name = "Ex"

[[options]]
id = "a"
name = "Option A"
[options.scores]
x = 3

[[options]]
id = "b"
name = "Option B"
[options.scores]
x = 4
"#;

/// An escape sequence that clears the screen, one that retitles the window,
/// and a right-to-left override.
const HOSTILE: &str = "\u{1b}[2J\u{1b}]0;pwned\u{7}\u{202e}";

fn appraise() -> Command {
    let mut cmd = Command::cargo_bin("appraise").expect("binary");
    cmd.env("NO_COLOR", "1");
    cmd
}

/// Whether output could act on a terminal or reorder a line.
fn unsafe_for_a_terminal(s: &str) -> Option<char> {
    s.chars().find(|&c| {
        (c.is_control() && c != '\n')
            || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
    })
}

fn assert_safe(what: &str, bytes: &[u8]) {
    let s = String::from_utf8_lossy(bytes);
    if let Some(c) = unsafe_for_a_terminal(&s) {
        panic!("{what} holds {c:?}:\n{s}");
    }
}

fn hostile_dir() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join(format!("review{HOSTILE}.toml"));
    std::fs::write(&path, APPRAISAL).expect("write");
    (dir, path)
}

#[test]
fn hostile_file_names_are_escaped_in_ok_lines_and_summaries() {
    let (dir, path) = hostile_dir();
    let out = appraise().arg("check").arg(&path).output().expect("runs");
    assert!(out.status.success());
    assert_safe("check's ok line", &out.stdout);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("review\\u{1b}[2J\\u{1b}]0;pwned\\u{7}\\u{202e}.toml: ok"),
        "{stdout}"
    );

    let bad = dir.path().join(format!("bad{HOSTILE}.toml"));
    std::fs::write(&bad, APPRAISAL.replace("x = 4", "x = 9")).expect("write");
    let out = appraise().arg("check").arg(&bad).output().expect("runs");
    assert!(!out.status.success());
    assert_safe("a diagnostic's --> line and summary", &out.stderr);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("--> "), "{stderr}");
    assert!(stderr.contains("bad\\u{1b}[2J"), "{stderr}");
    assert!(stderr.contains("1 problem found"), "{stderr}");

    // Errors from the top of the program quote paths too.
    let missing = dir.path().join(format!("gone{HOSTILE}.toml"));
    let out = appraise()
        .arg("report")
        .arg(&missing)
        .output()
        .expect("runs");
    assert!(!out.status.success());
    assert_safe("a missing file's message", &out.stderr);
}

#[test]
fn a_scoresheet_naming_a_hostile_appraisal_is_quoted_escaped() {
    let (dir, path) = hostile_dir();
    let sheet = dir.path().join("clark.toml");
    std::fs::write(
        &sheet,
        format!(
            "[sheet]\nappraisal = \"{}elsewhere.toml\"\nmember = \"Cllr Clark\"\n\n[scores.a]\nx = 3\n\n[scores.b]\nx = 4\n",
            "\\u001b[2J\\u001b]0;pwned\\u0007\\u202e"
        ),
    )
    .expect("write");
    let out = appraise()
        .arg("panel")
        .arg(&path)
        .arg(&sheet)
        .output()
        .expect("runs");
    assert!(!out.status.success());
    assert_safe("the panel's diagnostics", &out.stderr);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("looked for"), "{stderr}");
    assert!(stderr.contains("\\u{1b}[2J"), "{stderr}");
}

#[test]
fn a_name_with_a_direction_override_is_refused_with_its_place() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("bidi.toml");
    std::fs::write(&path, APPRAISAL.replace("Option B", "Option \u{202e}B")).expect("write");
    let out = appraise().arg("check").arg(&path).output().expect("runs");
    assert!(!out.status.success());
    assert_safe("the refusal", &out.stderr);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("error[invalid-text]"), "{stderr}");
    assert!(stderr.contains("bidi.toml:20:8"), "{stderr}");
    assert!(stderr.contains("direction control (U+202E)"), "{stderr}");
}

#[test]
fn bidi_overrides_never_reach_the_terminal_from_any_command() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("bidi.toml");
    // Notes and descriptions may hold them; each command must neutralise them.
    let text = APPRAISAL.replace(
        "title = \"Two options\"",
        "title = \"Two options\"\ndescription = \"evil \u{202e}txt.exe\"",
    );
    std::fs::write(&path, text).expect("write");
    for args in [
        &["report"][..],
        &["rank"],
        &["check"],
        &["sensitivity", "--samples", "1000"],
    ] {
        let out = appraise().args(args).arg(&path).output().expect("runs");
        assert_safe(&format!("{args:?} stdout"), &out.stdout);
        assert_safe(&format!("{args:?} stderr"), &out.stderr);
    }
}

/// A file large enough that its report cannot fit in a pipe's buffer, so
/// the program is still writing when the reader goes away.
fn large_appraisal(dir: &Path) -> PathBuf {
    let path = dir.join("large.toml");
    let text = appraise::synth::appraisal_toml(appraise::synth::Spec {
        options: 20_000,
        criteria: 3,
        notes: false,
        seed: 1,
    });
    std::fs::write(&path, text).expect("write");
    path
}

#[test]
fn a_reader_that_stops_early_ends_the_program_quietly() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = large_appraisal(dir.path());
    // JSON too: serde_json hides the closed pipe inside its own error.
    let runs: [&[&str]; 3] = [&["report"], &["rank"], &["rank", "--format", "json"]];
    for args in runs {
        let command = args.join(" ");
        let mut child = StdCommand::new(cargo_bin("appraise"))
            .args(args)
            .arg(&path)
            .env("NO_COLOR", "1")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawns");
        let mut first = String::new();
        {
            let stdout = child.stdout.take().expect("stdout");
            let mut reader = BufReader::new(stdout);
            reader.read_line(&mut first).expect("reads a line");
            // Dropping the reader closes the pipe, as `head -1` does.
        }
        let out = child.wait_with_output().expect("ends");
        assert!(!first.is_empty(), "{command} printed nothing");
        assert_eq!(
            String::from_utf8_lossy(&out.stderr),
            "",
            "{command} must say nothing about the closed pipe"
        );
        assert!(out.status.success(), "{command}: {:?}", out.status);
    }
}

#[test]
fn a_huge_rayon_thread_count_is_capped() {
    let out = appraise()
        .args(["sensitivity", "--samples", "2000"])
        .env("RAYON_NUM_THREADS", "100000")
        .output()
        .expect("runs");
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("RAYON_NUM_THREADS=100000 is more than 1024 threads; using 1024"),
        "{stderr}"
    );
    let out = appraise()
        .args(["sensitivity", "--samples", "2000"])
        .env("RAYON_NUM_THREADS", "2")
        .output()
        .expect("runs");
    assert!(out.status.success());
    assert!(!String::from_utf8_lossy(&out.stderr).contains("RAYON_NUM_THREADS"));
}

#[test]
fn rank_json_carries_the_precision_a_total_was_published_with() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("published.toml");
    std::fs::write(
        &path,
        APPRAISAL.replace(
            "name = \"Option B\"",
            "name = \"Option B\"\npublished_total = 4.0",
        ),
    )
    .expect("write");
    let out = appraise()
        .args(["rank", "--format", "json"])
        .arg(&path)
        .output()
        .expect("runs");
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let b = &v["options"][0];
    assert_eq!(b["id"], "b");
    assert_eq!(b["published_total"], 4.0);
    assert_eq!(b["published_decimals"], 1, "4.0 was printed to one decimal");
}

// ------------------------------------------------ the matrix at 80 columns

const V1_EXAMPLE: &str = "appraisals/children-services-ama-2017.toml";
const V2_EXAMPLE: &str = "appraisals/social-security-uprating-2024.toml";
/// The format's commented version-2 example: a matrix of 13 columns.
const WASTE: &str = "tests/fixtures/v2/waste-contract.toml";

/// `report`'s text for `file` at `width` columns (`None`: piped).
fn report_at(file: &str, width: Option<u16>) -> String {
    let a = appraise::load::load_path(Path::new(file))
        .expect("the example loads")
        .appraisal;
    let r = appraise::compute::compute(&a);
    let style = appraise::report::TextStyle {
        width,
        color: false,
    };
    appraise::terminal::report_text(&appraise::report::summary_report(&a, &r), style)
}

/// The words of a terminal text: what is left between spaces and the
/// tables' rules.
fn words(text: &str) -> std::collections::BTreeSet<&str> {
    text.split(|c: char| c.is_whitespace() || ('\u{2500}'..='\u{257f}').contains(&c))
        .filter(|w| !w.is_empty())
        .collect()
}

/// The score matrix's headers, one for each part it is shown in: the rows
/// between each part's top rule and the rule under its header.
fn matrix_headers(text: &str) -> Vec<Vec<&str>> {
    let lines: Vec<&str> = text.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.starts_with("Full score matrix"))
        .expect("the report has a score matrix");
    let end = lines[at..]
        .iter()
        .position(|l| l.starts_with("Key: "))
        .map_or(lines.len(), |k| at + k);
    let mut headers = Vec::new();
    for (i, l) in lines.iter().enumerate().take(end).skip(at) {
        if l.starts_with('┌') {
            headers.push(
                lines[i + 1..]
                    .iter()
                    .take_while(|l| !l.starts_with('╞'))
                    .copied()
                    .collect(),
            );
        }
    }
    headers
}

#[test]
fn the_score_matrix_at_80_columns_breaks_no_word_and_keeps_its_totals_whole() {
    for (file, out_of) in [(V2_EXAMPLE, "20"), (V1_EXAMPLE, "40"), (WASTE, "100")] {
        let narrow = report_at(file, Some(80));
        // The total's header is one word, and the key says what it is out of.
        let said = format!("Totals are out of {out_of}.");
        let key = narrow
            .lines()
            .skip_while(|l| !l.starts_with("Key: C1"))
            .take_while(|l| !l.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        assert!(
            key.contains(&format!(". {said}")),
            "{file}: the key is {key:?}"
        );
        let headers = matrix_headers(&narrow);
        for header in &headers {
            assert_eq!(
                header.len(),
                1,
                "{file}: a header wraps:\n{}",
                header.join("\n")
            );
        }
        let last = headers
            .last()
            .and_then(|h| h.first())
            .copied()
            .unwrap_or_default();
        let cell = last.trim_end_matches('│').rsplit('┆').next();
        assert_eq!(cell.map(str::trim), Some("Total"), "{file}: {last}");
        // Only a matrix too wide for 80 columns at its words' widths (the
        // waste contract's 13 columns) is shown in parts.
        let parts = if file == WASTE { 2 } else { 1 };
        assert_eq!(headers.len(), parts, "{file}:\n{narrow}");
        let note =
            "Shown in 2 parts, each repeating the Rank and Option columns, to fit 80 columns.";
        assert_eq!(narrow.contains(note), parts == 2, "{file}");
        // Every word at 80 columns is a whole word of the report as it is
        // piped or drawn without a limit.
        let known = report_at(file, None) + &report_at(file, Some(1000));
        let known = words(&known);
        let narrow = narrow.replace(&said, "").replace(note, "");
        let broken: Vec<&str> = words(&narrow)
            .into_iter()
            .filter(|w| !known.contains(w))
            .collect();
        assert!(
            broken.is_empty(),
            "{file}: broken words {broken:?} in\n{narrow}"
        );
        for line in narrow.lines() {
            assert!(
                line.chars().count() <= 80 || !line.contains(' '),
                "{file}: {} characters:\n{line}",
                line.chars().count()
            );
        }
    }
}

#[test]
fn the_score_matrix_at_120_columns_keeps_its_full_total_header_and_published_totals() {
    let wide = report_at(V1_EXAMPLE, Some(120));
    let headers = matrix_headers(&wide);
    assert_eq!(headers.len(), 1, "{wide}");
    assert_eq!(headers[0].len(), 1, "{}", headers[0].join("\n"));
    assert!(
        headers[0][0].ends_with("┆ Total (of 40)        ┆ Published total │"),
        "{}",
        headers[0][0]
    );
    assert!(!wide.contains("Totals are out of"), "{wide}");
    // At 80 the published totals go, and the one that differs is still said.
    let narrow = report_at(V1_EXAMPLE, Some(80));
    assert!(!narrow.contains("Published"), "{narrow}");
    assert!(narrow.contains("26 (published"), "{narrow}");
}
