//! How each cost grows: loading with options, the exact analyses with options
//! and criteria, and Monte Carlo with samples, options and criteria.
//! Run with `cargo bench --bench growth`; the tables are in docs/performance.md.

use std::hint::black_box;
use std::time::Duration;

use appraise::sensitivity::{self, SmaaConfig};
use appraise::synth::{Spec, appraisal, appraisal_toml};
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};

fn spec(options: usize, criteria: usize, notes: bool) -> Spec {
    Spec {
        options,
        criteria,
        notes,
        seed: 1,
    }
}

fn load(c: &mut Criterion) {
    let mut g = c.benchmark_group("growth_load_rank_by_options_x100_notes");
    g.sample_size(10).measurement_time(Duration::from_secs(10));
    for n in [100usize, 1_000, 3_000, 10_000] {
        let text = appraisal_toml(spec(n, 100, true));
        g.bench_with_input(BenchmarkId::from_parameter(n), &text, |b, text| {
            b.iter(|| {
                let l = appraise::load_str("g.toml", black_box(text)).expect("valid");
                appraise::compute(&l.appraisal)
            })
        });
    }
    g.finish();
}

fn exact(c: &mut Criterion) {
    let mut g = c.benchmark_group("growth_exact_by_options_x50");
    g.sample_size(10).measurement_time(Duration::from_secs(5));
    for n in [10usize, 100, 1_000, 10_000] {
        let a = appraisal(spec(n, 50, false));
        g.bench_with_input(BenchmarkId::from_parameter(n), &a, |b, a| {
            b.iter(|| sensitivity::exact(black_box(a)))
        });
    }
    g.finish();
    let mut g = c.benchmark_group("growth_exact_by_criteria_1000x");
    g.sample_size(10).measurement_time(Duration::from_secs(5));
    for m in [5usize, 20, 50, 100] {
        let a = appraisal(spec(1_000, m, false));
        g.bench_with_input(BenchmarkId::from_parameter(m), &a, |b, a| {
            b.iter(|| sensitivity::exact(black_box(a)))
        });
    }
    g.finish();
}

fn monte_carlo(c: &mut Criterion) {
    let config = |samples| SmaaConfig {
        samples,
        threads: Some(1),
        ..SmaaConfig::default()
    };
    let example = appraise::load_example().expect("example").appraisal;
    let mut g = c.benchmark_group("growth_smaa_by_samples_example_1thread");
    g.sample_size(10).measurement_time(Duration::from_secs(5));
    for s in [10_000u64, 100_000, 1_000_000, 10_000_000] {
        g.bench_with_input(BenchmarkId::from_parameter(s), &s, |b, &s| {
            b.iter(|| sensitivity::smaa(black_box(&example), &config(s)).expect("runs"))
        });
    }
    g.finish();
    let mut g = c.benchmark_group("growth_smaa_100k_by_options_x8_1thread");
    g.sample_size(10).measurement_time(Duration::from_secs(5));
    for n in [8usize, 32, 128, 512] {
        let a = appraisal(spec(n, 8, false));
        g.bench_with_input(BenchmarkId::from_parameter(n), &a, |b, a| {
            b.iter(|| sensitivity::smaa(black_box(a), &config(100_000)).expect("runs"))
        });
    }
    g.finish();
    let mut g = c.benchmark_group("growth_smaa_100k_by_criteria_8x_1thread");
    g.sample_size(10).measurement_time(Duration::from_secs(5));
    for m in [4usize, 8, 32, 128] {
        let a = appraisal(spec(8, m, false));
        g.bench_with_input(BenchmarkId::from_parameter(m), &a, |b, a| {
            b.iter(|| sensitivity::smaa(black_box(a), &config(100_000)).expect("runs"))
        });
    }
    g.finish();
}

criterion_group!(benches, load, exact, monte_carlo);
criterion_main!(benches);
