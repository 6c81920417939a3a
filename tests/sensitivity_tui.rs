//! The scoring screen's live sensitivity view shows each share and boundary
//! as the terminal and the exports do: one figure, one rounding.

mod common;

use appraise::tui::{Action, App, key_to_action};
use common::screen::screen;
use common::screen::update;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// A (4, 2) and B (2, 3) on equal weights are level when the first
/// criterion carries a third of the weight.
const THIRD: &str = "[appraisal]\ntitle = \"A third\"\n[scale]\nmin = 0\nmax = 5\n\
    [[criteria]]\nid = \"x\"\nname = \"Ex\"\nweight = 1\n\
    [[criteria]]\nid = \"y\"\nname = \"Why\"\nweight = 1\n\
    [[options]]\nid = \"a\"\nname = \"A\"\nscores = { x = 4, y = 2 }\n\
    [[options]]\nid = \"b\"\nname = \"B\"\nscores = { x = 2, y = 3 }\n";

#[test]
fn the_live_view_rounds_a_boundary_as_the_sentence_and_table_elsewhere_do() {
    let loaded = appraise::load_str("third.toml", THIRD).expect("valid");
    let mut app = App::new(loaded, None);
    update(&mut app, Action::Resize(200, 60));
    if let Some(a) = key_to_action(&app, KeyEvent::new(KeyCode::Char('v'), KeyModifiers::NONE)) {
        update(&mut app, a);
    }
    let text = screen(&app);
    // The sentence may wrap; read it as one line.
    let words = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        words.contains(
            "Ex carries 50.0% of the weight. A stays first while its share is from 33.4% to 100.0%"
        ),
        "{text}"
    );
    let row = text
        .lines()
        .find(|l| l.contains(" Ex ") && l.contains("to 100.0%") && !l.contains("carries"))
        .expect("the stability table's row for Ex");
    assert!(row.contains("33.4% to 100.0%"), "{row}");
    assert!(!text.contains("33.3%"), "{text}");
}
