//! Monte Carlo with uncertain raw values (issue 18 §4): 1M samples on one
//! thread of the example with a ninth, measured criterion whose values are
//! ranges (`tests/fixtures/v2/ranges-example.toml`), for each way the
//! weights can be drawn with them.
//!
//! Run once per instruction set, `APPRAISE_SIMD=scalar|avx2|avx512 cargo
//! bench --bench smaa_ranges`; the group's name carries the path, and a
//! path this CPU lacks is reported as skipped. The ranges run through the
//! per-sample loop, which is not dispatched by instruction set, so every
//! path should take the same time; the same appraisal at its point
//! estimates, through the vectorised kernel, is measured beside it, so the
//! ratio between the two comes from the same run under the same load.

use std::hint::black_box;
use std::time::Duration;

use appraise::model::Appraisal;
use appraise::sensitivity::{self, Isa, Sampler, SmaaConfig, WeightConstraints, WeightModel, smaa};
use criterion::{Criterion, criterion_group, criterion_main};

const FILE: &str = "tests/fixtures/v2/ranges-example.toml";

fn drawn(original: &Appraisal, config: &SmaaConfig, c: &WeightConstraints) -> sensitivity::Smaa {
    let analysed = original.for_analysis();
    smaa::smaa_ranges(original, &analysed, config, c, &|_| {}).unwrap()
}

fn with_ranges(c: &mut Criterion) {
    let isa = match Isa::chosen() {
        Ok(isa) => isa,
        Err(e) => {
            eprintln!("SKIPPED: smaa_ranges: {e}");
            return;
        }
    };
    let original = appraise::load::load_path(FILE.as_ref()).unwrap().appraisal;
    let analysed = original.for_analysis().into_owned();
    let cost = original.criteria().len() - 1;
    let config = SmaaConfig {
        samples: 1_000_000,
        seed: 1,
        threads: Some(1),
        ..SmaaConfig::default()
    };
    let spread = SmaaConfig {
        weights: WeightModel::Spread { percent: 20.0 },
        score_spread: 1.0,
        ..config
    };
    let none = WeightConstraints::new();
    let bounds = WeightConstraints::new().share(cost, 0.3, 0.5).clone();
    let tight = WeightConstraints::new().share(cost, 0.395, 0.405).clone();
    let mut g = c.benchmark_group(format!("smaa_ranges_1m_{isa}"));
    g.sample_size(10).measurement_time(Duration::from_secs(8));
    // The peer in the same run: the point estimates through the kernel.
    g.bench_function("point_estimates", |b| {
        b.iter(|| sensitivity::smaa(black_box(&analysed), &config).unwrap())
    });
    for (name, config, constraints) in [
        ("ranges", &config, &none),
        ("ranges_cost_30_to_50", &config, &bounds),
        ("ranges_cost_39_5_to_40_5", &config, &tight),
        ("ranges_weight_and_score_spread", &spread, &none),
    ] {
        let how = match drawn(&original, config, constraints).sampler {
            Sampler::Direct => "direct".to_string(),
            Sampler::Rejection { acceptance } => {
                format!("rejection, {:.1}% pass", acceptance * 100.0)
            }
            Sampler::HitAndRun { .. } => "hit-and-run".to_string(),
        };
        eprintln!("{name}: {how}");
        g.bench_function(name, |b| {
            b.iter(|| drawn(black_box(&original), config, constraints))
        });
    }
    g.finish();
}

criterion_group!(benches, with_ranges);
criterion_main!(benches);
