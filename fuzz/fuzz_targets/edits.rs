//! Reads arbitrary bytes as a sequence of edits (scores, notes, weights, names,
//! adding, removing and moving options and criteria) to a loaded appraisal,
//! saving into its text along the way; every save must load back equal.
#![no_main]

#[path = "../../tests/fuzz_pipeline/mod.rs"]
mod pipeline;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| pipeline::edits(data));
