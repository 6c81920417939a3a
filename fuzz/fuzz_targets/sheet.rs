//! Runs arbitrary bytes as a member's scoresheet for a fixed appraisal (the
//! first byte chooses which): parsing and its diagnostics, merging under every
//! method, and every panel report.
#![no_main]

#[path = "../../tests/fuzz_pipeline/mod.rs"]
mod pipeline;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| pipeline::sheet(data));
