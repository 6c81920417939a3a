//! How terminal output grows: the `report` command's text with the number of
//! options, and a failed load's diagnostics with the number of problems.
//! Both must grow linearly. Run with `cargo bench --bench terminal`; the
//! figures are in docs/performance.md.

use std::fmt::Write as _;
use std::hint::black_box;
use std::time::Duration;

use appraise::report::{TextStyle, write_report};
use appraise::synth::{Spec, appraisal};
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};

fn report_by_options(c: &mut Criterion) {
    let mut g = c.benchmark_group("terminal_report_by_options_x3");
    g.sample_size(10).measurement_time(Duration::from_secs(5));
    for n in [10_000usize, 20_000, 40_000, 80_000] {
        let a = appraisal(Spec {
            options: n,
            criteria: 3,
            notes: false,
            seed: 1,
        });
        let r = appraise::compute(&a);
        g.throughput(Throughput::Elements(n as u64));
        g.bench_with_input(BenchmarkId::from_parameter(n), &(a, r), |b, (a, r)| {
            b.iter(|| {
                let mut out = Vec::new();
                write_report(&mut out, black_box(a), r, TextStyle::default()).expect("writes");
                out.len()
            })
        });
    }
    g.finish();
}

/// An appraisal whose every option has a score off the scale: one problem each.
fn problems(n: usize) -> String {
    let mut text = String::from(
        "[appraisal]\ntitle = \"P\"\n\n[scale]\nmin = 0\nmax = 5\n\n[[criteria]]\nid = \"c1\"\nname = \"C\"\n",
    );
    for o in 0..n {
        let _ = write!(
            text,
            "\n[[options]]\nid = \"o{o}\"\nname = \"O{o}\"\n[options.scores]\nc1 = 9\n"
        );
    }
    text
}

fn diagnostics_by_problems(c: &mut Criterion) {
    let mut g = c.benchmark_group("terminal_diagnostics_by_problems");
    g.sample_size(10).measurement_time(Duration::from_secs(5));
    for n in [5_000usize, 10_000, 20_000, 40_000] {
        let err = match appraise::load_str("problems.toml", &problems(n)) {
            Ok(_) => panic!("every option has a score off the scale"),
            Err(e) => e,
        };
        assert_eq!(err.diagnostics.len(), n);
        g.throughput(Throughput::Elements(n as u64));
        g.bench_with_input(BenchmarkId::from_parameter(n), &err, |b, err| {
            b.iter(|| black_box(err).render(false).len())
        });
    }
    g.finish();
}

criterion_group!(benches, report_by_options, diagnostics_by_problems);
criterion_main!(benches);
