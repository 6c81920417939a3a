//! Key-to-frame time of the TUI: one key through the keymap and `update`,
//! then a full frame rendered to a `TestBackend`, as the runner does per key.
//! Run with `cargo bench --bench tui`.

mod common;

use std::hint::black_box;

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
        // appraisals, once the keys stop for large ones.
        let appraisal = appraise::load_str("bench.toml", text)
            .expect("valid")
            .appraisal;
        g.bench_function(format!("{name}/live_analysis"), |b| {
            b.iter(|| appraise::tui::live::Live::compute(black_box(&appraisal), 0))
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

criterion_group!(benches, bench);
criterion_main!(benches);
