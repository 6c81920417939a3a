//! Benchmarks for the sensitivity analyses (see docs/performance.md).
//!
//! Run with `cargo bench --bench sensitivity`. The whole-run groups use the
//! instruction set `APPRAISE_SIMD` names (`scalar`, `avx2`, `avx512`), or
//! the best the CPU has; the inner-loop group measures every instruction
//! set the CPU has, in the same run.

use std::hint::black_box;
use std::time::Duration;

use appraise::model::Appraisal;
use appraise::sensitivity::{self, Isa, SmaaConfig, WeightConstraints, WeightModel};
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
    // Partial weight information (issue 18): a complete order of
    // importance (the criteria in file order), a share between 10% and 30%,
    // and one criterion most important of all (a partial order).
    let one = SmaaConfig {
        samples: 1_000_000,
        seed: 1,
        threads: Some(1),
        ..SmaaConfig::default()
    };
    let m = example.criteria().len();
    let chain: Vec<Vec<usize>> = (0..m).map(|j| vec![j]).collect();
    let chain: Vec<&[usize]> = chain.iter().map(Vec::as_slice).collect();
    let rest: Vec<usize> = (1..m).collect();
    for (name, constraints) in [
        (
            "complete_order_threads_1",
            WeightConstraints::new().order(&chain).clone(),
        ),
        (
            "share_10_to_30_percent_threads_1",
            WeightConstraints::new().share(4, 0.1, 0.3).clone(),
        ),
        (
            "one_most_important_threads_1",
            WeightConstraints::new().order(&[&[0], &rest]).clone(),
        ),
    ] {
        g.bench_function(name, |b| {
            b.iter(|| {
                sensitivity::smaa_constrained(black_box(&example), &one, &constraints).unwrap()
            })
        });
    }
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

/// The inner loops alone, one thread, 1M samples of the example in chunks
/// (30 of 32,768), no thread pool: the register loop (what a run uses here)
/// and the general loop, on every instruction set this CPU has, in the same
/// run.
fn kernels(c: &mut Criterion) {
    use appraise::sensitivity::bench_support::{self, Loop};

    let example = appraise::load_example().unwrap().appraisal;
    let (n, m) = (example.options().len(), example.criteria().len());
    let scores: Vec<f32> = example
        .options()
        .iter()
        .flat_map(|o| o.scores().iter().map(|s| s.unwrap_or(0.0) as f32))
        .collect();
    let p = bench_support::uniform_problem(n, m, scores);
    let chunks = 1_000_000 / 32_768;
    let mut g = c.benchmark_group("kernel_example_1m");
    g.sample_size(20).measurement_time(Duration::from_secs(6));
    for isa in Isa::ALL {
        if !isa.available() {
            eprintln!("SKIPPED: kernel_example_1m/{isa}: this CPU does not have it");
            continue;
        }
        for (which, name) in [(Loop::Chosen, "register"), (Loop::General, "general")] {
            g.bench_function(format!("{isa}_{name}"), |b| {
                b.iter(|| bench_support::run(isa, which, black_box(&p), chunks))
            });
        }
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
