//! Replays fuzz inputs through the fuzz targets' own pipelines
//! (`tests/fuzz_pipeline/mod.rs`, shared with `fuzz/fuzz_targets/`):
//! every input a fuzzer ever crashed on, kept in `tests/fixtures/fuzz/<target>/`,
//! and the seed files, so the pipelines themselves are exercised by `cargo test`.

mod fuzz_pipeline;

use std::path::{Path, PathBuf};

fn files(dir: &str) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = match std::fs::read_dir(dir) {
        Ok(entries) => entries
            .map(|e| e.expect("entry").path())
            .filter(|p| p.is_file() && p.file_name().is_none_or(|n| n != "README.md"))
            .collect(),
        Err(_) => Vec::new(),
    };
    out.sort();
    out
}

fn replay(target: &str, run: fn(&[u8])) -> usize {
    let found = files(&format!("tests/fixtures/fuzz/{target}"));
    for path in &found {
        let bytes = std::fs::read(path).expect("readable");
        let name = path.display().to_string();
        if let Err(e) = std::panic::catch_unwind(|| run(&bytes)) {
            let msg = e
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| e.downcast_ref::<&str>().map(|s| (*s).to_string()))
                .unwrap_or_default();
            panic!("{name} fails again: {msg}");
        }
    }
    found.len()
}

#[test]
fn crashes_found_by_the_everything_target_stay_fixed() {
    replay("everything", fuzz_pipeline::everything_with_docx);
}

#[test]
fn crashes_found_by_the_sheet_target_stay_fixed() {
    replay("sheet", fuzz_pipeline::sheet);
}

#[test]
fn crashes_found_by_the_edits_target_stay_fixed() {
    replay("edits", fuzz_pipeline::edits);
}

#[test]
fn the_seed_appraisals_pass_the_whole_pipeline() {
    let mut seeds = files("appraisals");
    seeds.extend(files("tests/fixtures/invalid"));
    let seeds: Vec<_> = seeds
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    assert!(seeds.len() > 30, "the seed corpus is in place");
    for path in &seeds {
        let bytes = std::fs::read(path).expect("readable");
        fuzz_pipeline::everything_with_docx(&bytes);
    }
}

#[test]
fn the_sheet_and_edit_pipelines_run_on_simple_inputs() {
    for (i, base) in fuzz_pipeline::BASES.iter().enumerate() {
        let a = appraise::load_str("b", base).expect("loads").appraisal;
        let sheet = appraise::panel::sheet::blank_sheet(&a, "b.toml", "Cllr X");
        let filled = sheet.replacen("= \"\"", "= 1", 3);
        let mut data = vec![i as u8];
        data.extend_from_slice(filled.as_bytes());
        fuzz_pipeline::sheet(&data);
        // Every kind of edit, each followed by a save.
        let mut ops = vec![i as u8];
        for op in 0..16u8 {
            ops.extend_from_slice(&[op, 1, 0, 3, 65, 66, 67, 15]);
        }
        fuzz_pipeline::edits(&ops);
    }
}

#[test]
fn the_fixture_folders_exist() {
    for t in ["everything", "sheet", "edits"] {
        assert!(Path::new(&format!("tests/fixtures/fuzz/{t}")).is_dir());
    }
}
