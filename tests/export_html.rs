//! The HTML export as a browser shows it: laid out by headless Chromium at
//! 1,280 and 390 pixels wide, and checked by axe (the `axe-core` npm
//! package; `.ci/run` installs it and sets `AXE_CORE_JS`).
//!
//! The page forbids scripts, so each check runs on a copy without that
//! policy, with the measuring script added; the page itself is untouched.

use std::path::PathBuf;
use std::process::Command;

use appraise::compute::compute;
use appraise::export::{ExportOptions, Format, Selection, export};
use appraise::load::{load_example, load_path};
use appraise::model::Appraisal;
use scraper::{Html, Selector};

mod common;

fn html(a: &Appraisal, tables: &str) -> String {
    let r = compute(a);
    let opts = ExportOptions {
        tables: Selection::parse(tables).expect("selection"),
        ..ExportOptions::default()
    };
    let mut out = Vec::new();
    export(a, &r, &opts, Format::Html, &mut out).expect("export");
    String::from_utf8(out).expect("UTF-8")
}

fn example() -> Appraisal {
    load_example().expect("example").appraisal
}

/// The example with a long web address in one annex note, as officers paste them.
fn with_long_address() -> Appraisal {
    let mut a = example();
    let o = a.option_index("shared-service").expect("option");
    a.option_mut(o)
        .expect("option")
        .set_note(
            0,
            Some("See https://www.example-council.gov.uk/council-and-democracy/committees/scrutiny/children-and-young-peoples-services/alternative-delivery-models/evidence-pack-annex-1-full-option-appraisal-2017-04.pdf for the evidence.".into()),
        )
        .expect("note");
    a
}

/// Loads `page` in Chromium at `width` pixels with `script` run after it,
/// and returns what the script put in `<pre id="result">`.
fn in_chromium(test: &str, page: &str, width: u32, script: &str) -> Option<String> {
    let chromium = common::tools::find(test, "chromium", "CHROMIUM")?;
    let open = page
        .find("<meta http-equiv=\"Content-Security-Policy\"")
        .expect("the page has a policy");
    let close = open + page[open..].find('>').expect("tag end") + 1;
    let page = format!("{}{}", &page[..open], &page[close..])
        .replace("</body>", &format!("<script>{script}</script></body>"));
    let dir = tempfile::tempdir().expect("temp dir");
    let mut file = dir.path().join("page.html");
    // Chromium's window is never narrower than 500 pixels, so a phone's
    // width is a frame of that width, whose page reports to the window.
    let page = if width < 500 {
        let outer = format!(
            "<!DOCTYPE html><html><body style=\"margin:0\"><iframe src=\"page.html\" style=\"border:0;width:{width}px;height:900px\"></iframe><script>window.addEventListener('message',function(e){{var p=document.createElement('pre');p.id='result';p.textContent=e.data;document.body.appendChild(p);}});</script></body></html>"
        );
        std::fs::write(dir.path().join("outer.html"), outer).expect("outer page");
        file = dir.path().join("outer.html");
        page.replace(
            "document.body.appendChild(p);",
            "parent.postMessage(p.textContent,'*');",
        )
    } else {
        page
    };
    std::fs::write(dir.path().join("page.html"), page).expect("page");
    let out = Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--hide-scrollbars",
            "--virtual-time-budget=30000",
            "--dump-dom",
        ])
        .arg(format!(
            "--user-data-dir={}",
            dir.path().join("profile").display()
        ))
        .arg(format!("--window-size={width},900"))
        .arg(format!("file://{}", file.display()))
        .output()
        .expect("Chromium runs");
    let dom = String::from_utf8_lossy(&out.stdout).into_owned();
    let doc = Html::parse_document(&dom);
    let sel = Selector::parse("pre#result").expect("selector");
    let result = doc
        .select(&sel)
        .next()
        .map(|e| e.text().collect::<String>());
    assert!(
        result.is_some(),
        "the script gave no result: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    result
}

const REPORT: &str = "var p=document.createElement('pre');p.id='result';p.textContent=JSON.stringify(R);document.body.appendChild(p);";

/// Which tables are wider than their region, and how wide the page is.
fn overflow(test: &str, page: &str, width: u32) -> Option<serde_json::Value> {
    let script = format!(
        "var R={{wide:[].slice.call(document.querySelectorAll('.table-wrap')).filter(function(w){{return w.scrollWidth>w.clientWidth+1;}}).map(function(w){{return w.querySelector('table').id;}}),page:document.documentElement.scrollWidth,small:[].slice.call(document.querySelectorAll('td,th,p,caption')).map(function(e){{return parseFloat(getComputedStyle(e).fontSize);}}).filter(function(s){{return s<13;}}).length}};{REPORT}"
    );
    let r = in_chromium(test, page, width, &script)?;
    Some(serde_json::from_str(&r).expect("JSON"))
}

#[test]
fn tables_fit_1280_pixels_and_long_addresses_wrap() {
    let test = "tables_fit_1280_pixels_and_long_addresses_wrap";
    for page in [html(&example(), "all"), html(&with_long_address(), "all")] {
        let Some(r) = overflow(test, &page, 1280) else {
            return;
        };
        assert_eq!(
            r["wide"],
            serde_json::json!([]),
            "tables wider than the page: {r}"
        );
        assert!(r["page"].as_u64().unwrap_or(u64::MAX) <= 1280, "{r}");
    }
}

#[test]
fn at_phone_width_the_page_stays_readable() {
    let test = "at_phone_width_the_page_stays_readable";
    let page = html(&with_long_address(), "all");
    let Some(r) = overflow(test, &page, 390) else {
        return;
    };
    // The page itself never scrolls sideways; wide tables scroll in their
    // own region, and no text is shrunk below 13 px.
    assert!(r["page"].as_u64().unwrap_or(u64::MAX) <= 390, "{r}");
    assert_eq!(r["small"], 0, "{r}");
    // Every region that may scroll can take the keyboard's focus and has a name.
    let doc = Html::parse_document(&page);
    let sel = Selector::parse(".table-wrap").expect("selector");
    for w in doc.select(&sel) {
        assert_eq!(w.value().attr("tabindex"), Some("0"));
        assert_eq!(w.value().attr("role"), Some("region"));
        let label = w.value().attr("aria-labelledby").expect("a label");
        let caption = Selector::parse(&format!("caption#{label}")).expect("selector");
        assert!(
            w.select(&caption).next().is_some(),
            "{label} names the table's caption"
        );
    }
}

fn axe_script() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("AXE_CORE_JS") {
        return Some(PathBuf::from(p));
    }
    let local = PathBuf::from("target/ci-tools/node_modules/axe-core/axe.min.js");
    local.exists().then_some(local)
}

#[test]
fn axe_finds_nothing_serious_in_the_page() {
    let test = "axe_finds_nothing_serious_in_the_page";
    let Some(axe) = axe_script()
        .or_else(|| common::tools::missing(test, "axe-core is not installed (set AXE_CORE_JS)"))
    else {
        return;
    };
    let axe = std::fs::read_to_string(&axe).expect("axe-core");
    let hostile = load_path(std::path::Path::new("tests/fixtures/export/hostile.toml"))
        .expect("fixture")
        .appraisal;
    for (name, page) in [
        ("example", html(&example(), "all")),
        ("long address", html(&with_long_address(), "all")),
        ("hostile", html(&hostile, "all")),
    ] {
        for width in [1280, 390] {
            let script = format!(
                "{axe}\n;axe.run(document,{{resultTypes:['violations']}}).then(function(res){{var R=res.violations.map(function(v){{return {{id:v.id,impact:v.impact,nodes:v.nodes.map(function(n){{return n.target.join(' ');}})}};}});{REPORT}}});"
            );
            let Some(r) = in_chromium(test, &page, width, &script) else {
                return;
            };
            let found: serde_json::Value = serde_json::from_str(&r).expect("JSON");
            let serious: Vec<&serde_json::Value> = found
                .as_array()
                .expect("a list")
                .iter()
                .filter(|v| matches!(v["impact"].as_str(), Some("serious" | "critical")))
                .collect();
            assert!(serious.is_empty(), "{name} at {width} px: {serious:#?}");
        }
    }
}

#[test]
fn each_annex_option_has_its_heading_then_its_description() {
    let page = html(&example(), "annex");
    let doc = Html::parse_document(&page);
    let sel = Selector::parse("section > h3, section > p.intro, section > div.table-wrap")
        .expect("selector");
    let order: Vec<(String, String)> = doc
        .select(&sel)
        .map(|e| (e.value().name().to_string(), e.text().collect::<String>()))
        .collect();
    let at = order
        .iter()
        .position(|(tag, t)| tag == "h3" && t == "Shared Service")
        .expect("a heading for Shared Service");
    assert_eq!(order[at + 1].0, "p", "the description follows the heading");
    assert!(
        order[at + 1].1.starts_with("Another local authority"),
        "{:?}",
        order[at + 1]
    );
    assert!(
        order[at + 2].1.contains("Annex: Shared Service"),
        "{:?}",
        order[at + 2]
    );
    assert_eq!(order.iter().filter(|(tag, _)| tag == "h3").count(), 8);
}
