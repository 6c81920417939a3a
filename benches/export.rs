//! Exports of the bundled example and of a mid-sized appraisal: chart
//! pictures (PNG), the live workbook built in memory and written a row at a
//! time, and Word for comparison. Run with `cargo bench --bench export`;
//! figures are in docs/performance.md.

use std::hint::black_box;
use std::time::Duration;

use appraise::export::stream::ReportStream;
use appraise::export::{self, ExportOptions, Format, png, xlsx};
use appraise::synth::{Spec, appraisal_toml};
use criterion::{Criterion, criterion_group, criterion_main};

/// Every chart of the example as a PNG picture, and the totals chart alone.
fn pictures(c: &mut Criterion) {
    let a = appraise::load_example().expect("example").appraisal;
    let r = appraise::compute(&a);
    let opts = ExportOptions::default();
    let report = export::build(&a, &r, &opts).expect("report");
    let totals = report
        .charts()
        .find(|ch| ch.key == "chart-totals")
        .expect("a totals chart")
        .clone();
    let mut g = c.benchmark_group("png_example");
    g.sample_size(20).measurement_time(Duration::from_secs(10));
    g.bench_function("totals_chart", |b| {
        b.iter(|| {
            let mut out = Vec::new();
            png::write_chart(black_box(&totals), &mut out).expect("png");
            out.len()
        })
    });
    g.bench_function("every_chart_folder", |b| {
        b.iter(|| {
            export::export_files(&a, &r, &opts, Format::Png, "example")
                .expect("pictures")
                .len()
        })
    });
    // The SVG the picture is drawn from, as the peer in the same run.
    g.bench_function("every_chart_svg_folder", |b| {
        b.iter(|| {
            export::export_files(&a, &r, &opts, Format::Svg, "example")
                .expect("charts")
                .len()
        })
    });
    g.finish();
}

/// The live workbook: the example, and 2,000 options of 100 criteria with
/// notes built in memory and written a row at a time on disk.
fn workbooks(c: &mut Criterion) {
    let a = appraise::load_example().expect("example").appraisal;
    let r = appraise::compute(&a);
    let opts = ExportOptions::default();
    let mut g = c.benchmark_group("xlsx_live");
    g.sample_size(20).measurement_time(Duration::from_secs(10));
    for format in [Format::Xlsx, Format::Docx] {
        g.bench_function(format!("example_{}", format.as_str()), |b| {
            b.iter(|| {
                let mut out = Vec::new();
                export::export(&a, &r, &opts, format, &mut out).expect("export");
                out.len()
            })
        });
    }
    g.finish();

    let text = appraisal_toml(Spec {
        options: 2_000,
        criteria: 100,
        notes: true,
        seed: 1,
    });
    let loaded = appraise::load_str("mid.toml", &text).expect("valid");
    let r = appraise::compute(&loaded.appraisal);
    let mut g = c.benchmark_group("xlsx_live_2000x100");
    g.sample_size(10).measurement_time(Duration::from_secs(20));
    for (name, on_disk) in [("in_memory", false), ("row_at_a_time", true)] {
        g.bench_function(name, |b| {
            b.iter(|| {
                let report = ReportStream::new(&loaded.appraisal, &r, &opts).expect("report");
                let settings = xlsx::Settings {
                    constant_memory: Some(on_disk),
                    tempdir: None,
                };
                let mut out = Vec::new();
                xlsx::write_stream(&report, &settings, &mut out).expect("workbook");
                out.len()
            })
        });
    }
    g.finish();
}

criterion_group!(benches, pictures, workbooks);
criterion_main!(benches);
