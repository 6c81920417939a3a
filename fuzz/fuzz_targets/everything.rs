//! Runs arbitrary bytes through everything a user's file reaches: loading,
//! validation, totals, warnings and the terminal report.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(loaded) = appraise::load::load_bytes("fuzz.toml", data.to_vec()) else {
        return;
    };
    let a = &loaded.appraisal;
    let results = appraise::compute(a);
    for r in &results.options {
        assert!(r.total.is_finite() && r.percent.is_finite());
    }
    let _ = appraise::compute::warnings(a, &results);
    let mut out = Vec::new();
    appraise::report::write_report(&mut out, a, &results, appraise::report::TextStyle::default())
        .expect("writing to memory cannot fail");
});
