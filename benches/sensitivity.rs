//! Benchmarks for the sensitivity analyses (see docs/performance.md).
//!
//! Run with `cargo bench --bench sensitivity`.

use std::hint::black_box;
use std::time::Duration;

use appraise::model::Appraisal;
use appraise::sensitivity::{self, SmaaConfig, WeightModel};
use criterion::{Criterion, criterion_group, criterion_main};

/// A deterministic appraisal: `n` options, `m` criteria, scores 0-5.
fn synthetic(n: usize, m: usize) -> Appraisal {
    appraise::synth::appraisal(appraise::synth::Spec {
        options: n,
        criteria: m,
        notes: false,
        seed: 1,
    })
}

fn monte_carlo(c: &mut Criterion) {
    let example = appraise::load_example().unwrap().appraisal;
    let mut g = c.benchmark_group("smaa_example_1m");
    g.sample_size(20).measurement_time(Duration::from_secs(8));
    for threads in [1, 2] {
        let config = SmaaConfig {
            samples: 1_000_000,
            seed: 1,
            threads: Some(threads),
            weights: WeightModel::Uniform,
            score_spread: 0.0,
        };
        g.bench_function(format!("weights_only_threads_{threads}"), |b| {
            b.iter(|| sensitivity::smaa(black_box(&example), &config).unwrap())
        });
    }
    let spread = SmaaConfig {
        samples: 1_000_000,
        seed: 1,
        threads: Some(1),
        weights: WeightModel::Spread { percent: 20.0 },
        score_spread: 1.0,
    };
    g.bench_function("weight_and_score_spread_threads_1", |b| {
        b.iter(|| sensitivity::smaa(black_box(&example), &spread).unwrap())
    });
    g.finish();
    let mut g = c.benchmark_group("smaa_example_live");
    let live = SmaaConfig {
        samples: 20_000,
        seed: 1,
        threads: Some(1),
        ..SmaaConfig::default()
    };
    g.bench_function("20k_samples_threads_1", |b| {
        b.iter(|| sensitivity::smaa(black_box(&example), &live).unwrap())
    });
    g.finish();
}

fn exact(c: &mut Criterion) {
    let big = synthetic(1000, 50);
    let example = appraise::load_example().unwrap().appraisal;
    let mut g = c.benchmark_group("exact");
    g.sample_size(20);
    g.bench_function("all_three_1000x50", |b| {
        b.iter(|| sensitivity::exact(black_box(&big)))
    });
    g.bench_function("all_three_example", |b| {
        b.iter(|| sensitivity::exact(black_box(&example)))
    });
    let results = appraise::compute(&big);
    g.bench_function("swap_points_1000x50_one_criterion", |b| {
        let cs = sensitivity::criterion_sensitivity(&big, &results, 0);
        b.iter(|| black_box(&cs).swap_points())
    });
    g.finish();
}

criterion_group!(benches, monte_carlo, exact);
criterion_main!(benches);
