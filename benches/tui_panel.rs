//! Key-to-frame time of the TUI's panel view and member mode (see
//! docs/performance.md), with the plain grid measured in the same run as the peer.
//!
//! Run with `cargo bench --bench tui_panel`.

mod common;

use std::hint::black_box;

use appraise::diagnostic::SourceFile;
use appraise::panel::{MergeOptions, Sheet, blank_sheet};
use appraise::tui::panel::PanelState;
use common::{app_for, key_to_frame};
use criterion::{Criterion, criterion_group, criterion_main};
use crossterm::event::KeyCode;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

fn appraisal(options: usize, criteria: usize) -> String {
    appraise::synth::appraisal_toml(appraise::synth::Spec {
        options,
        criteria,
        notes: false,
        seed: 3,
    })
}

/// `members` sheets whose scores vary by member, with a few blanks and notes.
fn sheets(a: &appraise::Appraisal, members: usize) -> Vec<Sheet> {
    let (no, nc) = (a.options().len(), a.criteria().len());
    (0..members)
        .map(|m| Sheet {
            member: format!("Member {m}"),
            source: SourceFile::new(format!("m{m}.sheet.toml"), ""),
            member_span: 0..0,
            scores: (0..no)
                .map(|o| {
                    (0..nc)
                        .map(|c| {
                            let h = (m * 31 + o * 17 + c * 7) % 13;
                            (h != 0).then_some((h % 6) as f64)
                        })
                        .collect()
                })
                .collect(),
            notes: (0..no)
                .map(|o| {
                    (0..nc)
                        .map(|c| ((m + o + c) % 5 == 0).then(|| format!("Member {m}'s reason")))
                        .collect()
                })
                .collect(),
            warnings: Vec::new(),
        })
        .collect()
}

fn panel_view(c: &mut Criterion) {
    let mut g = c.benchmark_group("panel_view");
    for (name, members, options, criteria) in [("5x8x8", 5, 8, 8), ("30x20x12", 30, 20, 12)] {
        let text = appraisal(options, criteria);
        for (w, h) in [(80u16, 24u16), (120, 40)] {
            let mut term = Terminal::new(TestBackend::new(w, h)).expect("terminal");
            // The peer: moving in the ordinary grid of the same appraisal.
            let mut plain = app_for(&text, w, h);
            let mut down = true;
            let mut steps = 0usize;
            g.bench_function(format!("{name}/grid_move_down/{w}x{h}"), |b| {
                b.iter(|| {
                    steps += 1;
                    if steps.is_multiple_of(options - 1) {
                        down = !down;
                    }
                    let key = if down { KeyCode::Down } else { KeyCode::Up };
                    key_to_frame(black_box(&mut plain), &mut term, key);
                })
            });
            let mut app = app_for(&text, w, h);
            let s = sheets(app.doc.appraisal(), members);
            app.set_panel(PanelState::new(
                app.doc.appraisal(),
                s,
                MergeOptions::default(),
            ));
            g.bench_function(format!("{name}/next_flagged/{w}x{h}"), |b| {
                b.iter(|| key_to_frame(black_box(&mut app), &mut term, KeyCode::Char('f')))
            });
            // A new method means merging again, with the leave-one-out analysis.
            g.bench_function(format!("{name}/change_method/{w}x{h}"), |b| {
                b.iter(|| key_to_frame(black_box(&mut app), &mut term, KeyCode::Char('m')))
            });
        }
    }
    g.finish();
}

fn sheet_text(c: &mut Criterion) {
    // Writing a member's 20 x 12 scores into their sheet, against writing the
    // same scores into the appraisal file: both edit the text with toml_edit.
    let text = appraisal(20, 12);
    let a = appraise::load_str("bench.toml", &text)
        .expect("valid")
        .appraisal;
    let blank = blank_sheet(&a, "bench.toml", "Member");
    let s = appraise::panel::parse_sheet(
        SourceFile::new("s", blank.clone()),
        &a,
        None,
        std::path::Path::new("."),
    )
    .expect("sheet");
    let mut member = appraise::panel::member::member_appraisal(&a, &s).expect("member");
    for o in 0..20 {
        for c in 0..12 {
            member
                .set_score(o, c, Some(((o + c) % 6) as f64))
                .expect("score");
        }
    }
    let mut g = c.benchmark_group("save_text_20x12");
    g.bench_function("sheet", |b| {
        b.iter(|| {
            appraise::panel::member::update_sheet(black_box(&blank), black_box(&member), None)
                .expect("sheet")
        })
    });
    g.bench_function("appraisal_peer", |b| {
        b.iter(|| {
            appraise::document::update_document(black_box(&text), black_box(&member)).expect("doc")
        })
    });
    g.finish();
}

criterion_group!(benches, panel_view, sheet_text);
criterion_main!(benches);
