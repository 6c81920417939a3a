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

/// Three quotes, two of whose costs are ranges.
const RANGES: &str = "tests/fixtures/v2/ranges-live.toml";

fn press(app: &mut App, code: KeyCode) {
    if let Some(a) = key_to_action(app, KeyEvent::new(code, KeyModifiers::NONE)) {
        update(app, a);
    }
}

/// The live view of (a copy of) the appraisal with ranges, at `w` × `h`.
fn ranges_live_view(dir: &tempfile::TempDir, w: u16, h: u16) -> App {
    let path = dir.path().join("library.toml");
    std::fs::copy(RANGES, &path).expect("copied");
    let mut app = App::open(&path).expect("opens");
    app.view.colour = true;
    app.view.message = None;
    update(&mut app, Action::Resize(w, h));
    press(&mut app, KeyCode::Char('v'));
    app
}

#[test]
fn the_live_view_says_it_draws_raw_values_from_their_ranges_80x24() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let mut app = ranges_live_view(&dir, 80, 24);
    // Down the panel to the chance of ranking first.
    press(&mut app, KeyCode::Tab);
    for _ in 0..23 {
        press(&mut app, KeyCode::Down);
    }
    let text = screen(&app);
    assert!(
        text.contains("Raw values drawn from their ranges"),
        "{text}"
    );
    insta::assert_snapshot!(text);
}

#[test]
fn the_live_view_shows_the_figures_appraise_sensitivity_gives_for_the_same_seed() {
    // Tall enough for the whole panel, under the grid.
    let dir = tempfile::tempdir().expect("temporary folder");
    let app = ranges_live_view(&dir, 80, 90);
    let live = app.doc.live().expect("worked out");
    let m = live.smaa.as_ref().expect("the Monte Carlo ran");
    assert_eq!(m.drawn_ranges, vec![2], "Cost's ranges were drawn");
    let samples = m.config.samples.to_string();
    let seed = appraise::tui::live::LIVE_SEED.to_string();
    let cli = |extra: &[&str]| -> serde_json::Value {
        let args = ["sensitivity", RANGES, "--format", "json", "--seed", &seed];
        let out = assert_cmd::Command::cargo_bin("appraise")
            .expect("binary")
            .args(args)
            .args(["--samples", &samples])
            .args(extra)
            .assert()
            .success();
        serde_json::from_slice(&out.get_output().stdout).expect("JSON")
    };
    let json = cli(&[]);
    // "Near" is the same run with each weight within 25% of now.
    let near_json = cli(&["--weight-spread", "25"]);
    let near = live.smaa_near.as_ref().expect("the near run ran");
    assert_eq!(near.drawn_ranges, vec![2], "near draws the ranges too");
    let mc = &json["monte_carlo"];
    assert_eq!(mc["drawn_ranges"], serde_json::json!(["cost"]));
    let text = screen(&app);
    let words = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for (i, o) in live.analysed().options().iter().enumerate() {
        let id = o.id().as_str();
        let cli = mc["acceptability"][id][0].as_f64().expect("acceptability");
        let here = m.options[i].acceptability[0];
        assert!((cli - here).abs() < 1e-12, "{id}: screen {here}, CLI {cli}");
        // And the screen shows it, rounded as everywhere.
        let row = text
            .lines()
            .find(|l| l.contains(o.name()) && l.contains("near"))
            .unwrap_or_else(|| panic!("{}'s bar: {text}", o.name()));
        let shown = appraise::numbers::probability(cli);
        assert!(row.contains(&format!(" {shown}  near")), "{row}");
        let cli_near = near_json["monte_carlo"]["acceptability"][id][0]
            .as_f64()
            .expect("acceptability");
        let here = near.options[i].acceptability[0];
        assert!(
            (cli_near - here).abs() < 1e-12,
            "{id} near: screen {here}, CLI {cli_near}"
        );
        let shown = appraise::numbers::probability(cli_near);
        assert!(row.ends_with(&format!("near {shown:>6}")), "{row}");
    }
    // The statement in words is the command's own.
    let leader = json["statements"]
        .as_array()
        .expect("statements")
        .iter()
        .filter_map(|s| s.as_str())
        .find(|s| s.contains("drawn from the ranges"))
        .expect("the Monte Carlo statement");
    assert!(words.contains(leader), "{leader}\n{text}");
}

#[test]
fn without_ranges_the_live_view_says_nothing_of_them() {
    let loaded = appraise::load_str("third.toml", THIRD).expect("valid");
    let mut app = App::new(loaded, None);
    update(&mut app, Action::Resize(120, 80));
    press(&mut app, KeyCode::Char('v'));
    let text = screen(&app);
    assert!(text.contains("Chance of ranking first"), "{text}");
    assert!(!text.contains("ranges"), "{text}");
}

#[test]
fn the_live_view_says_in_words_all_that_appraise_sensitivity_says() {
    // Criteria in groups and a cost: group-level and value-for-money
    // statements as well as the rest.
    let file = "tests/fixtures/v2/bridge-value.toml";
    let dir = tempfile::tempdir().expect("temporary folder");
    let path = dir.path().join("bridge.toml");
    std::fs::copy(file, &path).expect("copied");
    let mut app = App::open(&path).expect("opens");
    app.view.message = None;
    update(&mut app, Action::Resize(100, 160));
    press(&mut app, KeyCode::Char('v'));
    let live = app.doc.live().expect("worked out");
    let m = live.smaa.as_ref().expect("the Monte Carlo ran");
    let out = assert_cmd::Command::cargo_bin("appraise")
        .expect("binary")
        .args(["sensitivity", file, "--format", "json"])
        .args(["--seed", &appraise::tui::live::LIVE_SEED.to_string()])
        .args(["--samples", &m.config.samples.to_string()])
        .assert()
        .success();
    let json: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).expect("JSON");
    let words = screen(&app)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let said: Vec<&str> = json["statements"]
        .as_array()
        .expect("statements")
        .iter()
        .filter_map(|s| s.as_str())
        .collect();
    assert!(said.iter().any(|s| s.contains("Leaving out the group")));
    assert!(said.iter().any(|s| s.contains("value for money")));
    for s in said {
        assert!(words.contains(s), "the screen does not say: {s}\n{words}");
    }
}
