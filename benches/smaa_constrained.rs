//! Monte Carlo under weight constraints (issue 18): 1M samples of the
//! example on one thread, for each way the weights can be sampled.
//!
//! Run once per instruction set, `APPRAISE_SIMD=scalar|avx2|avx512 cargo
//! bench --bench smaa_constrained`; the benchmark names carry the path
//! measured, and a path this CPU lacks is reported as skipped. The plain
//! run is measured beside the constrained ones, so their ratios come from
//! the same run under the same load.

use std::hint::black_box;
use std::time::Duration;

use appraise::sensitivity::{self, Isa, Sampler, SmaaConfig, WeightConstraints};
use criterion::{Criterion, criterion_group, criterion_main};

fn constrained(c: &mut Criterion) {
    let isa = match Isa::chosen() {
        Ok(isa) => isa,
        Err(e) => {
            eprintln!("SKIPPED: smaa_constrained: {e}");
            return;
        }
    };
    let example = appraise::load_example().unwrap().appraisal;
    let m = example.criteria().len();
    let chain: Vec<Vec<usize>> = (0..m).map(|j| vec![j]).collect();
    let chain: Vec<&[usize]> = chain.iter().map(Vec::as_slice).collect();
    let rest: Vec<usize> = (1..m).collect();
    let config = SmaaConfig {
        samples: 1_000_000,
        seed: 1,
        threads: Some(1),
        ..SmaaConfig::default()
    };
    let cases = [
        ("plain", WeightConstraints::new()),
        (
            "complete_order",
            WeightConstraints::new().order(&chain).clone(),
        ),
        (
            "share_10_to_30",
            WeightConstraints::new().share(4, 0.1, 0.3).clone(),
        ),
        (
            "one_most_important",
            WeightConstraints::new().order(&[&[0], &rest]).clone(),
        ),
        (
            "hit_and_run_tight_bounds",
            WeightConstraints::new()
                .share(7, 0.3, 0.31)
                .share(5, 0.0, 0.02)
                .clone(),
        ),
    ];
    let mut g = c.benchmark_group(format!("smaa_constrained_1m_{isa}"));
    g.sample_size(10).measurement_time(Duration::from_secs(6));
    for (name, constraints) in &cases {
        let run = sensitivity::smaa_constrained(&example, &config, constraints).unwrap();
        let how = match run.sampler {
            Sampler::Direct => "direct".to_string(),
            Sampler::Rejection { acceptance } => {
                format!("rejection, {:.1}% pass", acceptance * 100.0)
            }
            Sampler::HitAndRun { .. } => "hit-and-run".to_string(),
        };
        eprintln!("{name}: {how}");
        g.bench_function(*name, |b| {
            b.iter(|| {
                sensitivity::smaa_constrained(black_box(&example), &config, constraints).unwrap()
            })
        });
    }
    g.finish();
}

criterion_group!(benches, constrained);
criterion_main!(benches);
