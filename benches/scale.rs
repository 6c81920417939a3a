//! Scale: a 10,000-option x 100-criterion appraisal with a note in every cell
//! (about 80 MB of TOML). Run with `cargo bench --bench scale`; figures and
//! the peak-memory commands are in docs/performance.md.

use std::hint::black_box;
use std::time::Duration;

use appraise::export::{self, ExportOptions, Format};
use appraise::synth::{Spec, appraisal_toml};
use appraise::tui::{Action, App, key_to_action, update};
use criterion::{Criterion, criterion_group, criterion_main};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

fn text(options: usize, criteria: usize) -> String {
    appraisal_toml(Spec {
        options,
        criteria,
        notes: true,
        seed: 1,
    })
}

fn load_and_rank(c: &mut Criterion) {
    let big = text(10_000, 100);
    let mut g = c.benchmark_group("scale_10000x100");
    g.sample_size(10).measurement_time(Duration::from_secs(30));
    g.bench_function("load_validate_rank", |b| {
        b.iter(|| {
            let loaded = appraise::load_str("big.toml", black_box(&big)).expect("valid");
            appraise::compute(&loaded.appraisal)
        })
    });
    // The TUI on the same appraisal: one key and the frame that shows it.
    let loaded = appraise::load_str("big.toml", &big).expect("valid");
    let mut app = App::new(loaded, None);
    update(&mut app, Action::Resize(120, 40));
    let mut term = Terminal::new(TestBackend::new(120, 40)).expect("terminal");
    let mut flip = false;
    g.bench_function("tui_key_to_frame_120x40", |b| {
        b.iter(|| {
            flip = !flip;
            let key = KeyEvent::new(
                KeyCode::Char(if flip { '1' } else { '2' }),
                KeyModifiers::NONE,
            );
            if let Some(a) = key_to_action(&app, key) {
                update(&mut app, a);
            }
            term.draw(|f| f.render_widget(&app, f.area()))
                .expect("draw");
        })
    });
    g.finish();
}

fn exports(c: &mut Criterion) {
    // A fifth of the full size keeps the benchmark run short; the full-size
    // command-line timings are in docs/performance.md.
    let loaded = appraise::load_str("exp.toml", &text(2_000, 100)).expect("valid");
    let results = appraise::compute(&loaded.appraisal);
    let mut g = c.benchmark_group("export_2000x100");
    g.sample_size(10).measurement_time(Duration::from_secs(20));
    for format in [
        Format::Markdown,
        Format::Html,
        Format::Json,
        Format::Xlsx,
        Format::Docx,
    ] {
        g.bench_function(format.as_str(), |b| {
            b.iter(|| {
                let mut out = Vec::new();
                export::export(
                    &loaded.appraisal,
                    &results,
                    &ExportOptions::default(),
                    format,
                    &mut out,
                )
                .expect("export");
                out.len()
            })
        });
    }
    g.finish();
}

criterion_group!(benches, load_and_rank, exports);
criterion_main!(benches);
