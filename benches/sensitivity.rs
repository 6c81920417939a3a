//! Benchmarks for the sensitivity analyses (see docs/performance.md).
//!
//! Run with `cargo bench --bench sensitivity`.

use std::hint::black_box;
use std::time::Duration;

use appraise::model::{Appraisal, AppraisalOption, Criterion as Crit, Id, Meta, Scale};
use appraise::sensitivity::{self, SmaaConfig, WeightModel};
use criterion::{Criterion, criterion_group, criterion_main};

/// A deterministic pseudo-random appraisal: `n` options, `m` criteria, scores 0-5.
fn synthetic(n: usize, m: usize) -> Appraisal {
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        // SplitMix64: reproducible and dependency-free.
        x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = x;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    };
    let scale = Scale::new(0.0, 5.0, 1.0).unwrap();
    let criteria = (0..m)
        .map(|j| {
            Crit::new(
                Id::new(&format!("c{j}")).unwrap(),
                &format!("Criterion {j}"),
                1.0 + (next() % 5) as f64,
            )
            .unwrap()
        })
        .collect();
    let options = (0..n)
        .map(|i| {
            AppraisalOption::new(
                Id::new(&format!("o{i}")).unwrap(),
                &format!("Option {i}"),
                m,
            )
            .unwrap()
        })
        .collect();
    let meta = Meta {
        title: "Synthetic".into(),
        ..Meta::default()
    };
    let mut a = Appraisal::new(meta, scale, criteria, options).unwrap();
    for i in 0..n {
        for j in 0..m {
            a.set_score(i, j, Some((next() % 6) as f64)).unwrap();
        }
    }
    a
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
