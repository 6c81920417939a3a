//! Benchmark for merging a panel (see docs/performance.md).
//!
//! Run with `cargo bench --bench panel`.

use std::hint::black_box;

use appraise::diagnostic::SourceFile;
use appraise::panel::{MergeOptions, Method, Sheet, merge};
use appraise::synth::{Spec, appraisal_toml};
use criterion::{Criterion, criterion_group, criterion_main};

/// `members` sheets for an appraisal of `options` x `criteria`, with scores
/// that vary by member and a few blanks, as a real panel's would.
fn panel(members: usize, options: usize, criteria: usize) -> (appraise::Appraisal, Vec<Sheet>) {
    let text = appraisal_toml(Spec {
        options,
        criteria,
        notes: false,
        seed: 3,
    });
    let appraisal = appraise::load_str("bench", &text).expect("valid").appraisal;
    let sheets = (0..members)
        .map(|m| Sheet {
            member: format!("Member {m}"),
            source: SourceFile::new(format!("m{m}.sheet.toml"), ""),
            member_span: 0..0,
            scores: (0..options)
                .map(|o| {
                    (0..criteria)
                        .map(|c| {
                            let h = (m * 31 + o * 17 + c * 7) % 13;
                            (h != 0).then_some((h % 6) as f64)
                        })
                        .collect()
                })
                .collect(),
            notes: vec![vec![None; criteria]; options],
            warnings: Vec::new(),
        })
        .collect();
    (appraisal, sheets)
}

fn merge_and_analyse(c: &mut Criterion) {
    let (appraisal, sheets) = panel(30, 20, 12);
    let mut g = c.benchmark_group("panel_30x20x12");
    for method in [Method::Mean, Method::Median, Method::TrimmedMean] {
        let options = MergeOptions {
            method,
            ..MergeOptions::default()
        };
        g.bench_function(format!("merge_{}", method.as_str()), |b| {
            b.iter(|| merge(black_box(&appraisal), black_box(&sheets), options).expect("merge"))
        });
        g.bench_function(
            format!("merge_and_exact_sensitivity_{}", method.as_str()),
            |b| {
                b.iter(|| {
                    let merged =
                        merge(black_box(&appraisal), black_box(&sheets), options).expect("merge");
                    appraise::sensitivity::exact(&merged.consensus)
                })
            },
        );
    }
    g.finish();
}

criterion_group!(benches, merge_and_analyse);
criterion_main!(benches);
