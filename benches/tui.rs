//! Key-to-frame time of the TUI: one key through the keymap and `update`,
//! then a full frame rendered to a `TestBackend`, as the runner does per key.
//! Run with `cargo bench --bench tui`.

mod common;

use std::hint::black_box;

use appraise::tui::keep::RecoveryWriter;
use appraise::tui::{Action, update};
use common::{app_for, key_to_frame};
use criterion::{Criterion, criterion_group, criterion_main};
use crossterm::event::KeyCode;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

fn bench(c: &mut Criterion) {
    let big = appraise::synth::appraisal_toml(appraise::synth::Spec {
        options: 1000,
        criteria: 50,
        notes: true,
        seed: 1,
    });
    let example = appraise::load::EXAMPLE;
    let mut g = c.benchmark_group("key_to_frame");
    for (name, text) in [
        ("example_8x8", example),
        ("generated_1000x50", big.as_str()),
    ] {
        for (w, h) in [(80u16, 24u16), (120, 40)] {
            let mut app = app_for(text, w, h);
            let mut term = Terminal::new(TestBackend::new(w, h)).expect("terminal");
            let mut flip = false;
            g.bench_function(format!("{name}/score_digit/{w}x{h}"), |b| {
                b.iter(|| {
                    flip = !flip;
                    let key = KeyCode::Char(if flip { '1' } else { '2' });
                    key_to_frame(black_box(&mut app), &mut term, key);
                })
            });
            let mut app = app_for(text, w, h);
            let mut down = true;
            let mut steps = 0;
            g.bench_function(format!("{name}/move_down/{w}x{h}"), |b| {
                b.iter(|| {
                    steps += 1;
                    if steps % 900 == 0 {
                        down = !down;
                    }
                    let key = if down { KeyCode::Down } else { KeyCode::Up };
                    key_to_frame(black_box(&mut app), &mut term, key);
                })
            });
        }
        // With the live sensitivity view open, every edit reruns the analyses
        // (exact ones and a Monte Carlo run sized to fit a frame).
        for (w, h) in [(80u16, 24u16), (120, 40)] {
            let mut app = app_for(text, w, h);
            update(&mut app, Action::Sensitivity);
            let mut term = Terminal::new(TestBackend::new(w, h)).expect("terminal");
            let mut flip = false;
            g.bench_function(format!("{name}/score_digit_sensitivity/{w}x{h}"), |b| {
                b.iter(|| {
                    flip = !flip;
                    let key = KeyCode::Char(if flip { '1' } else { '2' });
                    key_to_frame(black_box(&mut app), &mut term, key);
                })
            });
        }
        // The live analysis itself: within the key press for small
        // appraisals, once the keys stop for large ones. It takes a copy
        // of the appraisal, as the runner's job does.
        let appraisal = appraise::load_str("bench.toml", text)
            .expect("valid")
            .appraisal;
        g.bench_function(format!("{name}/live_analysis"), |b| {
            b.iter(|| appraise::tui::live::Live::compute(black_box(appraisal.clone()), 0))
        });
        // Sorted by rank, every edit re-sorts the rows.
        let mut app = app_for(text, 80, 24);
        update(&mut app, Action::ToggleSort);
        let mut term = Terminal::new(TestBackend::new(80, 24)).expect("terminal");
        let mut flip = false;
        g.bench_function(format!("{name}/score_digit_rank_sorted/80x24"), |b| {
            b.iter(|| {
                flip = !flip;
                let key = KeyCode::Char(if flip { '1' } else { '2' });
                key_to_frame(black_box(&mut app), &mut term, key);
            })
        });
    }
    g.finish();
}

/// Key to frame on 1,000 x 60 opened from a file on the ordinary disk, with
/// the recovery file kept as the runner keeps it: the edit is passed to the
/// recovery writer's thread (off the key path), which follows it in its own
/// copy and, once the keys pause or every few seconds while they do not,
/// builds the text and writes it with fsync. The peer writes the recovery
/// file inside the key press.
fn recovery(c: &mut Criterion) {
    let text = appraise::synth::appraisal_toml(appraise::synth::Spec {
        options: 1000,
        criteria: 60,
        notes: true,
        seed: 1,
    });
    // Under target/, on the disk the project is on (not a RAM disk).
    let dir = tempfile::Builder::new()
        .prefix("bench-recovery-")
        .tempdir_in(env!("CARGO_TARGET_TMPDIR"))
        .expect("a folder");
    let path = dir.path().join("large.toml");
    std::fs::write(&path, &text).expect("written");
    let mut g = c.benchmark_group("key_to_frame_with_recovery");
    g.sample_size(30);
    let (w, h) = (80u16, 24u16);
    let mut app = appraise::tui::App::open(&path).expect("opens");
    update(&mut app, Action::Resize(w, h));
    let mut term = Terminal::new(TestBackend::new(w, h)).expect("terminal");
    let mut writer = RecoveryWriter::start(appraise::tui::keep::PAUSE);
    // The document as opened, as the runner hands it over on starting.
    if let Some(news) = app.doc.take_recovery_news() {
        writer.send(news).expect("writer runs");
    }
    let mut flip = false;
    g.bench_function(
        "generated_1000x60/score_digit/recovery_off_key_path/80x24",
        |b| {
            b.iter(|| {
                flip = !flip;
                let key = KeyCode::Char(if flip { '1' } else { '2' });
                key_to_frame(black_box(&mut app), &mut term, key);
                if let Some(news) = app.doc.take_recovery_news() {
                    writer.send(news).expect("writer runs");
                }
            })
        },
    );
    writer.finish();
    g.bench_function(
        "generated_1000x60/score_digit/recovery_on_key_path/80x24",
        |b| {
            b.iter(|| {
                flip = !flip;
                let key = KeyCode::Char(if flip { '1' } else { '2' });
                key_to_frame(black_box(&mut app), &mut term, key);
                app.doc.flush_recovery().expect("recovery written");
            })
        },
    );
    g.finish();
}

criterion_group!(benches, bench, recovery);
criterion_main!(benches);
