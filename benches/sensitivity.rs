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

/// The inner loop alone, one thread, 1M samples of the example in chunks:
/// the hand-written AVX-512 loop (what `run_chunk` picks on such a CPU)
/// against the portable loop compiled for the same CPU, in the same run.
fn kernels(c: &mut Criterion) {
    use appraise::sensitivity::kernel::{self, LANES, LaneRng, Problem};
    use rand_xoshiro::Xoshiro256PlusPlus;
    use rand_xoshiro::rand_core::SeedableRng;

    let example = appraise::load_example().unwrap().appraisal;
    let (n, m) = (example.options().len(), example.criteria().len());
    let scores: Vec<f32> = example
        .options()
        .iter()
        .flat_map(|o| o.scores().iter().map(|s| s.unwrap_or(0.0) as f32))
        .collect();
    let p = Problem::uniform_weights(n, m, scores);
    let chunks = 1_000_000 / 32_768;
    let streams = || {
        let mut seed = Xoshiro256PlusPlus::seed_from_u64(1);
        let lanes: [Xoshiro256PlusPlus; LANES] = std::array::from_fn(|_| {
            let g = seed.clone();
            seed.jump();
            g
        });
        LaneRng::new(&lanes)
    };
    let mut g = c.benchmark_group("kernel_example_1m");
    g.sample_size(20).measurement_time(Duration::from_secs(6));
    type Loop = fn(&Problem, &mut LaneRng, usize) -> kernel::ChunkTally;
    for (name, run) in [
        ("chosen_loop", kernel::run_chunk as Loop),
        ("portable_loop", kernel::portable_chunk as Loop),
    ] {
        g.bench_function(name, |b| {
            b.iter(|| {
                let mut rng = streams();
                (0..chunks)
                    .map(|_| run(black_box(&p), &mut rng, 32_768).counts[0])
                    .sum::<u64>()
            })
        });
    }
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

criterion_group!(benches, monte_carlo, kernels, exact);
criterion_main!(benches);
