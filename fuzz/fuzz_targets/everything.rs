//! Runs arbitrary bytes through everything a user's file reaches: loading and
//! its diagnostics, totals, warnings, the terminal report, every export format
//! in memory, the sensitivity analyses with a small sample count, and saving
//! back into the same text (which must load back as the same appraisal).
#![no_main]

#[path = "../../tests/fuzz_pipeline/mod.rs"]
mod pipeline;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| pipeline::everything(data));
