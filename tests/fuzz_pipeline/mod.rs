//! What the fuzz targets run, shared with `tests/fuzz_regressions.rs` so that
//! `cargo test` replays every input the fuzzers ever found through exactly the
//! same code. Each function panics (and so fails the target or the test) when
//! an invariant breaks; an input that is simply invalid returns quietly.
//!
//! The fuzz targets include this file with `#[path]`; it uses only the
//! library's public API and crates that both the fuzz crate and the tests have.
#![allow(dead_code)]

use std::io::Read;

use appraise::compute::{Results, compute, warnings};
use appraise::diagnostic::SourceFile;
use appraise::document::{to_toml, update_document};
use appraise::export::{self, ExportOptions, Format, Selection};
use appraise::load::{Loaded, load_bytes, load_str};
use appraise::model::{Appraisal, AppraisalOption, Criterion, Id};
use appraise::panel::merge::{MergeOptions, Method, merge};
use appraise::panel::sheet::{blank_sheet, parse_sheet};
use appraise::report::{TextStyle, write_report};
use appraise::sensitivity::{self, SmaaConfig, WeightModel};

/// Monte Carlo samples in the fuzz pipeline: enough to reach every code path,
/// few enough to keep thousands of runs a minute.
pub const SAMPLES: u64 = 200;

/// Above this many cells the slow parts (every export, the sensitivity
/// analyses) are skipped: their cost grows with the size of the appraisal,
/// and the fuzzer's job is odd content, not size (the benchmarks cover size).
pub const MAX_CELLS: usize = 400;

/// Bytes in, everything a user's file reaches: load (or render the
/// diagnostics), compute, warnings, the terminal report, every export format
/// in memory, the sensitivity analyses, and saving back to TOML.
pub fn everything(data: &[u8]) {
    // The Word export rasterises every chart, which under the fuzzer's
    // instrumentation takes 10 to 30 seconds for the bundled example (about
    // a second in an ordinary build). Every input gets the Word document
    // without its charts, which covers all of its text and tables; one in 64,
    // chosen by the input's bytes so that a replay makes the same choice,
    // gets the charts too.
    let docx = data
        .iter()
        .fold(0u8, |h, b| h.wrapping_mul(31).wrapping_add(*b))
        .is_multiple_of(64);
    run_everything(data, docx);
}

/// [`everything`] with the Word export always included (for replays and seeds).
pub fn everything_with_docx(data: &[u8]) {
    run_everything(data, true);
}

fn run_everything(data: &[u8], docx: bool) {
    // Large files are read in pieces, mostly by a faster path; with tiny
    // pieces every input takes that path, which must agree with the whole.
    if let Ok(text) = std::str::from_utf8(data) {
        assert!(
            appraise::load::pieces_agree(text, 64),
            "reading in pieces differs from reading whole"
        );
    }
    let loaded = match load_bytes("fuzz.toml", data.to_vec()) {
        Ok(l) => l,
        Err(e) => {
            assert!(!e.diagnostics.is_empty(), "a refused file says why");
            assert!(e.diagnostics.iter().any(|d| d.is_error()));
            let plain = e.render(false);
            let _ = e.render(true);
            assert!(!plain.is_empty());
            let _ = e.to_string();
            return;
        }
    };
    let a = &loaded.appraisal;
    let results = check_results(a);
    for w in &loaded.warnings {
        let _ = w.render(&loaded.source, false);
    }
    let _ = warnings(a, &results);
    terminal_report(a, &results);
    save_round_trip(&loaded);
    let cells = a.options().len() * a.criteria().len();
    if cells <= MAX_CELLS {
        exports(a, &results, docx);
        sensitivities(a);
    }
}

/// Totals are finite and ranks run from 1 to the number of options.
fn check_results(a: &Appraisal) -> Results {
    let results = compute(a);
    let n = a.options().len();
    assert_eq!(results.options.len(), n);
    for r in &results.options {
        assert!(r.total.is_finite(), "total {}", r.total);
        assert!(r.percent.is_finite(), "percent {}", r.percent);
    }
    results
}

fn terminal_report(a: &Appraisal, results: &Results) {
    for style in [
        TextStyle::default(),
        TextStyle {
            width: Some(40),
            color: true,
        },
    ] {
        let mut out = Vec::new();
        write_report(&mut out, a, results, style).expect("writing to memory cannot fail");
        let text = String::from_utf8(out).expect("the report is UTF-8");
        assert!(!text.contains("NaN"), "{text}");
    }
    serde_json::to_string(&appraise::report::rank_json(a, results)).expect("rank JSON");
}

/// Every export format in memory, with a small Monte Carlo run. A valid
/// appraisal must export in every format: an error here is a bug.
fn exports(a: &Appraisal, results: &Results, docx: bool) {
    let options = ExportOptions {
        tables: Selection::all(),
        samples: Some(SAMPLES),
        seed: 7,
        excel_bom: true,
        ..ExportOptions::default()
    };
    for format in Format::ALL {
        // Drawing pictures is slow; PNG goes with the charts in Word.
        if format == Format::Png && !docx {
            continue;
        }
        if format == Format::Docx && !docx {
            let mut report = export::build(a, results, &options).expect("the report builds");
            report
                .blocks
                .retain(|b| !matches!(b, export::Block::Chart(_)));
            let mut out = Vec::new();
            export::write_report(&report, &options, format, &mut out)
                .unwrap_or_else(|e| panic!("docx export without charts failed: {e}"));
            check_file(format, &out);
            continue;
        }
        if format.one_item_per_file() {
            let files = export::export_files(a, results, &options, format, "fuzz")
                .unwrap_or_else(|e| panic!("{format} export failed: {e}"));
            assert!(!files.is_empty());
            for f in &files {
                check_file(format, &f.bytes);
            }
            continue;
        }
        let mut out = Vec::new();
        export::export(a, results, &options, format, &mut out)
            .unwrap_or_else(|e| panic!("{format} export failed: {e}"));
        check_file(format, &out);
    }
    // A selection by key goes down a different path in `build`.
    let some = ExportOptions {
        tables: Selection::parse("ranking,criteria").expect("valid selection"),
        ..ExportOptions::default()
    };
    let mut out = Vec::new();
    export::export(a, results, &some, Format::Markdown, &mut out).expect("markdown by key");
}

/// Cheap well-formedness checks on each format: the places escaping mistakes show.
fn check_file(format: Format, bytes: &[u8]) {
    match format {
        Format::Json => {
            serde_json::from_slice::<serde_json::Value>(bytes).expect("the JSON export parses");
        }
        Format::Png => assert!(bytes.starts_with(b"\x89PNG"), "a PNG picture"),
        Format::Svg => {
            let text = std::str::from_utf8(bytes).expect("SVG is UTF-8");
            roxmltree::Document::parse(text).expect("the SVG is well-formed XML");
        }
        Format::Html | Format::Markdown => {
            let text = std::str::from_utf8(bytes).expect("UTF-8");
            assert!(!text.contains("<script"), "no script can reach the page");
        }
        Format::Csv => {
            let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
            let mut reader = csv::ReaderBuilder::new()
                .has_headers(false)
                .flexible(false)
                .from_reader(body);
            for record in reader.records() {
                let record = record.expect("the CSV parses with one width throughout");
                for field in record.iter() {
                    // Text that a spreadsheet would run as a formula is neutralised;
                    // only real numbers may start with a minus or plus sign.
                    if field.starts_with(['=', '+', '-', '@', '\t', '\r']) {
                        assert!(field.parse::<f64>().is_ok(), "formula-like field {field:?}");
                    }
                }
            }
        }
        Format::Docx | Format::Xlsx => {
            let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip file");
            for i in 0..zip.len() {
                let mut entry = zip.by_index(i).expect("entry");
                let name = entry.name().expect("entry name").into_owned();
                if name.ends_with(".xml") || name.ends_with(".rels") || name.ends_with(".svg") {
                    let mut text = String::new();
                    entry.read_to_string(&mut text).expect("UTF-8 part");
                    roxmltree::Document::parse(&text)
                        .unwrap_or_else(|e| panic!("{name} is not well-formed XML: {e}"));
                }
            }
        }
    }
}

/// The exact analyses, every criterion's swap points, and a small Monte Carlo
/// run under each weight model with and without score noise.
fn sensitivities(a: &Appraisal) {
    let configs = [
        SmaaConfig {
            samples: SAMPLES,
            seed: 3,
            threads: Some(1),
            weights: WeightModel::Uniform,
            score_spread: 0.0,
        },
        SmaaConfig {
            samples: SAMPLES,
            seed: 4,
            threads: Some(1),
            weights: WeightModel::Spread { percent: 25.0 },
            score_spread: 1.0,
        },
    ];
    for config in &configs {
        let s = sensitivity::analyse(a, config).expect("valid settings");
        for o in &s.smaa.as_ref().expect("a Monte Carlo run").options {
            let sum: f64 = o.acceptability.iter().sum();
            assert!((sum - 1.0).abs() < 1e-6, "acceptabilities add up to {sum}");
            assert!(o.acceptability.iter().all(|x| x.is_finite()));
        }
        let doc = sensitivity::output::document(a, &s);
        serde_json::to_string(&doc).expect("sensitivity JSON");
        let _ = appraise::terminal::report_text(
            &appraise::export::sensitivity::terminal_report(a, &s),
            TextStyle::default(),
        );
        for st in sensitivity::statements(a, &s) {
            assert!(!st.text.is_empty());
        }
    }
    let results = compute(a);
    for cs in sensitivity::weight_sensitivity(a, &results) {
        for p in cs.swap_points() {
            assert!(p.share > 0.0 && p.share < 1.0, "swap at {}", p.share);
        }
    }
}

/// Writing the appraisal back into its own text changes nothing; the text
/// written after an edit-free save, and a fresh file, both load back equal.
fn save_round_trip(loaded: &Loaded) {
    let a = &loaded.appraisal;
    let text = &loaded.source.text;
    let out = update_document(text, a)
        .unwrap_or_else(|e| panic!("a file that loads can be saved back: {e}"));
    let back = load_str("saved.toml", &out)
        .unwrap_or_else(|e| panic!("the saved text loads: {}\n{out}", e.render(false)));
    assert_eq!(&back.appraisal, a, "saving changed the appraisal:\n{out}");
    let fresh = to_toml(a);
    let back = load_str("fresh.toml", &fresh)
        .unwrap_or_else(|e| panic!("fresh TOML loads: {}\n{fresh}", e.render(false)));
    assert_eq!(&back.appraisal, a, "fresh TOML differs:\n{fresh}");
}

/// The appraisals the sheet and edit targets start from: the bundled example
/// and small files written in each TOML layout the saver must handle.
pub const BASES: [&str; 3] = [appraise::load::EXAMPLE, LAYOUTS, HALVES];

/// Inline, dotted and sub-table forms, comments and labels.
const LAYOUTS: &str = r#"# Budget options, scored by the panel.
[appraisal]
title = "Library review"   # working title
organisation = "Council"

[scale]
min = 0
max = 5
labels = { 0 = "None", 5 = "Full" }

[[criteria]]
id = "cost"
name = "Cost"
weight = 2   # doubled after the March meeting

[[criteria]]
id = "reach"
name = "Reach"

[[criteria]]
id = "risk"
name = "Risk"
weight = 0.5

[[options]]
id = "keep"
name = "Keep all branches"
scores = { cost = 1, reach = 5 }   # inline form
strengths = ["Popular"]

[[options]]
id = "merge"
name = "Merge two branches"
scores.cost = 3
scores.reach = 3
notes.risk = "Unclear"

[[options]]
id = "close"
name = "Close one"
published_total = 9

[options.scores]
cost = 4    # estimate
reach = 1
risk = 2

[options.notes]
cost = "Saves one lease."
"#;

/// A scale with half steps and negative scores.
const HALVES: &str = r#"[appraisal]
title = "Half steps"

[scale]
min = -2
max = 2
step = 0.5

[[criteria]]
id = "a"
name = "A"
weight = 3

[[criteria]]
id = "b"
name = "B"
weight = 1.25

[[options]]
id = "x"
name = "X"
[options.scores]
a = -1.5
b = 2

[[options]]
id = "y"
name = "Y"
[options.scores]
a = 0.5
"#;

/// Reads fuzz bytes as a little stream of choices.
pub struct Bytes<'a> {
    data: &'a [u8],
}

impl<'a> Bytes<'a> {
    /// Reads from `data`.
    pub fn new(data: &'a [u8]) -> Self {
        Bytes { data }
    }

    /// Whether anything is left.
    pub fn is_empty(&self) -> bool {
        self.data.is_empty()
    }

    /// The next byte (0 once the data runs out).
    pub fn byte(&mut self) -> u8 {
        match self.data.split_first() {
            Some((b, rest)) => {
                self.data = rest;
                *b
            }
            None => 0,
        }
    }

    /// An index below `n` (0 when `n` is 0), sometimes just past the end.
    pub fn index(&mut self, n: usize) -> usize {
        usize::from(self.byte()) % (n + 1)
    }

    /// A length-prefixed string, lossily decoded.
    pub fn string(&mut self) -> String {
        let len = usize::from(self.byte() % 48).min(self.data.len());
        let (s, rest) = self.data.split_at(len);
        self.data = rest;
        String::from_utf8_lossy(s).into_owned()
    }

    /// A number: usually a scale point, sometimes any f64 bit pattern.
    pub fn number(&mut self, a: &Appraisal) -> f64 {
        let k = self.byte();
        if k < 200 {
            a.scale().point(u32::from(k) % (a.scale().step_count() + 1))
        } else {
            let mut b = [0u8; 8];
            for x in &mut b {
                *x = self.byte();
            }
            f64::from_le_bytes(b)
        }
    }
}

/// Bytes in, a sheet for one of [`BASES`]: parse it, merge it with itself
/// and a blank sheet under each method, and build every panel report.
pub fn sheet(data: &[u8]) {
    let Some((&which, rest)) = data.split_first() else {
        return;
    };
    let base = BASES
        .get(usize::from(which) % BASES.len())
        .copied()
        .unwrap_or_default();
    let a = load_str("base.toml", base).expect("base loads").appraisal;
    let text = String::from_utf8_lossy(rest).into_owned();
    let dir = std::path::Path::new(".");
    let sheet = match parse_sheet(SourceFile::new("sheet.toml", text), &a, None, dir) {
        Ok(s) => s,
        Err(e) => {
            assert!(!e.diagnostics.is_empty());
            let _ = e.render(false);
            return;
        }
    };
    for w in &sheet.warnings {
        let _ = w.render(&sheet.source, false);
    }
    let blank = blank_sheet(&a, "base.toml", "Blank Member");
    let blank = parse_sheet(SourceFile::new("blank.toml", blank), &a, None, dir)
        .expect("a blank sheet parses");
    let sheets = [sheet.clone(), sheet, blank];
    for method in [
        Method::Mean,
        Method::Median,
        Method::TrimmedMean,
        Method::Sum,
    ] {
        for round in [false, true] {
            let options = MergeOptions {
                method,
                round,
                flag_steps: 1.0,
            };
            let merged = match merge(&a, &sheets, options) {
                Ok(m) => m,
                Err(e) => panic!("checked sheets merge: {e}"),
            };
            for r in &merged.results.options {
                assert!(r.total.is_finite());
            }
            let _ = appraise::panel::statements(&a, &merged);
            let _ = appraise::panel::text_report(&a, &merged, TextStyle::default());
            serde_json::to_string(&appraise::panel::json_report(&a, &merged)).expect("JSON");
            let report = appraise::panel::report::panel_report(&a, &merged);
            for format in [Format::Markdown, Format::Html, Format::Xlsx] {
                let mut out = Vec::new();
                export::write_report(&report, &ExportOptions::default(), format, &mut out)
                    .unwrap_or_else(|e| panic!("panel {format}: {e}"));
                check_file(format, &out);
            }
            // The consensus written into the appraisal (on its own scale) saves and loads back.
            if method != Method::Sum {
                let (written, _) = appraise::panel::apply_consensus(&a, &merged)
                    .unwrap_or_else(|e| panic!("the consensus is written: {e}"));
                let text = to_toml(&written);
                let back = load_str("consensus.toml", &text)
                    .unwrap_or_else(|e| panic!("{}\n{text}", e.render(false)));
                assert_eq!(back.appraisal, written);
            }
        }
    }
}

/// Bytes in, a sequence of edits to one of [`BASES`] made through the
/// model's checked setters (as the TUI makes them); after every few edits the
/// appraisal is saved into the text it came from and must load back equal,
/// and saving that again must change nothing.
pub fn edits(data: &[u8]) {
    let mut b = Bytes::new(data);
    let base = BASES
        .get(usize::from(b.byte()) % BASES.len())
        .copied()
        .unwrap_or_default();
    let mut text = base.to_owned();
    let mut a = load_str("base.toml", base).expect("base loads").appraisal;
    let mut fresh = 0u32;
    let mut steps = 0;
    while !b.is_empty() && steps < 64 {
        steps += 1;
        let n_opt = a.options().len();
        let n_crit = a.criteria().len();
        match b.byte() % 16 {
            0 | 1 => {
                let (o, c) = (b.index(n_opt), b.index(n_crit));
                let v = if b.byte().is_multiple_of(5) {
                    None
                } else {
                    Some(b.number(&a))
                };
                let _ = a.set_score(o, c, v);
            }
            2 => {
                let (o, c) = (b.index(n_opt), b.index(n_crit));
                let note = b.string();
                let note = (!note.is_empty()).then_some(note);
                if let Some(opt) = a.option_mut(o) {
                    let _ = opt.set_note(c, note);
                }
            }
            3 => {
                let c = b.index(n_crit);
                let w = if b.byte() < 200 {
                    f64::from(b.byte()) / 4.0
                } else {
                    b.number(&a)
                };
                let _ = a.set_weight(c, w);
            }
            4 => {
                let _ = a.move_option(b.index(n_opt), b.index(n_opt));
            }
            5 => {
                let _ = a.move_criterion(b.index(n_crit), b.index(n_crit));
            }
            6 => {
                fresh += 1;
                let at = b.index(n_opt);
                let name = b.string();
                let id = if b.byte().is_multiple_of(2) {
                    Id::new(&format!("new-{fresh}"))
                } else {
                    Id::new(&b.string())
                };
                if let Ok(id) = id
                    && let Ok(o) = AppraisalOption::new(id, &name, n_crit)
                {
                    let _ = a.insert_option(at, o);
                }
            }
            7 => {
                let _ = a.remove_option(b.index(n_opt));
            }
            8 => {
                fresh += 1;
                let at = b.index(n_crit);
                let name = b.string();
                let weight = f64::from(b.byte() % 8) / 2.0;
                if let Ok(id) = Id::new(&format!("crit-{fresh}"))
                    && let Ok(c) = Criterion::new(id, &name, weight)
                {
                    let _ = a.insert_criterion(at, c, Vec::new(), Vec::new());
                }
            }
            9 => {
                let _ = a.remove_criterion(b.index(n_crit));
            }
            10 => {
                let o = b.index(n_opt);
                let name = b.string();
                if let Some(opt) = a.option_mut(o) {
                    let _ = opt.set_name(&name);
                }
            }
            11 => {
                let c = b.index(n_crit);
                let name = b.string();
                if let Some(crit) = a.criterion_mut(c) {
                    let _ = crit.set_name(&name);
                }
            }
            12 => {
                // Free-text fields, checked as the loader checks them.
                let s = b.string();
                let field = b.byte() % 4;
                let o = b.index(n_opt);
                if appraise::model::check_text(&s).is_ok() {
                    let value = (!s.is_empty()).then_some(s);
                    match (field, a.option_mut(o)) {
                        (0, Some(opt)) => opt.description = value,
                        (1, Some(opt)) => opt.strengths = value.into_iter().collect(),
                        (2, _) => a.meta.description = value,
                        _ => a.meta.source = value,
                    }
                }
            }
            13 => {
                let s = b.string();
                if appraise::model::check_name(&s).is_ok() {
                    a.meta.title = s;
                }
            }
            14 => {
                let o = b.index(n_opt);
                let total = b.byte().is_multiple_of(2).then(|| f64::from(b.byte()));
                if let Some(opt) = a.option_mut(o) {
                    opt.set_published_total(total);
                }
            }
            _ => {
                // Save now, and carry on editing the saved text.
                text = save_and_check(&text, &a);
            }
        }
    }
    save_and_check(&text, &a);
}

fn save_and_check(text: &str, a: &Appraisal) -> String {
    let out = update_document(text, a).unwrap_or_else(|e| panic!("saving failed: {e}"));
    let back = load_str("saved.toml", &out)
        .unwrap_or_else(|e| panic!("the saved text loads: {}\n{out}", e.render(false)));
    assert_eq!(&back.appraisal, a, "saving changed the appraisal:\n{out}");
    let again = update_document(&out, &back.appraisal).expect("saving again");
    assert_eq!(again, out, "saving an unchanged appraisal changed the text");
    out
}
