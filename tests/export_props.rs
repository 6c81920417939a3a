//! Property tests: any valid appraisal, whatever its text, exports in every
//! format, and the results stay well formed and inert.

use std::io::{Cursor, Read};

use appraise::compute::compute;
use appraise::export::{ExportOptions, Format, Selection, export, export_files};
use appraise::model::{Appraisal, AppraisalOption, Criterion, Id, Meta, Scale};
use proptest::prelude::*;
use resvg::usvg::roxmltree;

/// One-line text with the characters exports must take care over.
fn name() -> impl Strategy<Value = String> {
    proptest::string::string_regex("[A-Za-z0-9 =+@|<>&\"'`*_#\\[\\]()£–🙂é-]{1,24}")
        .expect("regex")
        .prop_filter("not blank", |s| !s.trim().is_empty())
}

/// Free text: as names, plus newlines and tabs.
fn prose() -> impl Strategy<Value = String> {
    proptest::string::string_regex("[A-Za-z0-9 =+@|<>&\"'`*_#\\[\\]()£–🙂é\n\t-]{0,60}")
        .expect("regex")
}

fn appraisal() -> impl Strategy<Value = Appraisal> {
    (1usize..4, 1usize..5).prop_flat_map(|(nc, no)| {
        (
            name(),
            prop::collection::vec((name(), 0u8..4, prose()), nc),
            prop::collection::vec(
                (
                    name(),
                    prop::option::of(name()),
                    prose(),
                    prop::collection::vec(prose(), 0..3),
                    prop::collection::vec((prop::option::of(-2i8..3), prose()), nc),
                    prop::option::of(-10i8..10),
                ),
                no,
            ),
        )
            .prop_filter_map("needs a positive weight", |(title, crits, opts)| {
                let scale = Scale::new(-2.0, 2.0, 1.0).ok()?;
                let criteria: Vec<Criterion> = crits
                    .iter()
                    .enumerate()
                    .map(|(i, (n, w, d))| {
                        let mut c =
                            Criterion::new(Id::new(&format!("c{i}")).ok()?, n, f64::from(*w))
                                .ok()?;
                        c.description = Some(d.clone()).filter(|d| !d.is_empty());
                        Some(c)
                    })
                    .collect::<Option<_>>()?;
                let options: Vec<AppraisalOption> = opts
                    .iter()
                    .enumerate()
                    .map(|(i, (n, group, desc, strengths, cells, published))| {
                        let mut o =
                            AppraisalOption::new(Id::new(&format!("o{i}")).ok()?, n, crits.len())
                                .ok()?;
                        o.group = group.clone();
                        o.description = Some(desc.clone());
                        o.strengths = strengths.clone();
                        o.set_published_total(published.map(f64::from));
                        for (c, (_, note)) in cells.iter().enumerate() {
                            o.set_note(c, Some(note.clone())).ok()?;
                        }
                        Some(o)
                    })
                    .collect::<Option<_>>()?;
                let meta = Meta {
                    title,
                    ..Meta::default()
                };
                let mut a = Appraisal::new(meta, scale, criteria, options).ok()?;
                for (i, (.., cells, _)) in opts.iter().enumerate() {
                    for (c, (score, _)) in cells.iter().enumerate() {
                        a.set_score(i, c, score.map(f64::from)).ok()?;
                    }
                }
                Some(a)
            })
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn every_format_exports_and_stays_inert(a in appraisal()) {
        let r = compute(&a);
        let opts = ExportOptions::default();
        for format in Format::ALL {
            let files = export_files(&a, &r, &opts, format, "x");
            prop_assert!(files.is_ok(), "{format}: {:?}", files.err());
        }

        // Markdown: no raw markup, and every table line keeps its cell count.
        let mut md = Vec::new();
        export(&a, &r, &opts, Format::Markdown, &mut md).expect("md");
        let md = String::from_utf8(md).expect("UTF-8");
        prop_assert!(!md.contains('<') || !md.contains("<script"));
        let mut expected = None;
        for line in md.lines() {
            if !line.starts_with('|') {
                expected = None;
                continue;
            }
            let mut pipes = 0;
            let mut escaped = false;
            for ch in line.chars() {
                if ch == '|' && !escaped {
                    pipes += 1;
                }
                escaped = ch == '\\' && !escaped;
            }
            match expected {
                None => expected = Some(pipes),
                Some(n) => prop_assert_eq!(pipes, n, "{}", line),
            }
        }

        // CSV: every text field is safe to open in a spreadsheet.
        for f in export_files(&a, &r, &opts, Format::Csv, "x").expect("csv") {
            let mut rdr = csv::ReaderBuilder::new()
                .has_headers(false)
                .from_reader(f.bytes.as_slice());
            for rec in rdr.records() {
                let rec = rec.expect("valid CSV");
                for field in rec.iter() {
                    if field.parse::<f64>().is_err() {
                        prop_assert!(
                            !field.starts_with(['=', '+', '-', '@', '\t', '\r']),
                            "{}: {:?}", f.name, field
                        );
                    }
                }
            }
        }

        // HTML: every table present, nothing runnable.
        let mut html = Vec::new();
        export(&a, &r, &opts, Format::Html, &mut html).expect("html");
        let doc = scraper::Html::parse_document(&String::from_utf8(html).expect("UTF-8"));
        let tables = scraper::Selector::parse("table").expect("selector");
        let scripts = scraper::Selector::parse("script, a, img").expect("selector");
        // Six tables (the scale among them), the sensitivity findings and weight stability, score
        // robustness with a challenger, leave-one-out with two criteria, annexes.
        let (no, nc) = (a.options().len(), a.criteria().len());
        let expected = 6 + 2 + usize::from(no > 1) + usize::from(nc > 1) + no;
        prop_assert_eq!(doc.select(&tables).count(), expected);
        prop_assert_eq!(doc.select(&scripts).count(), 0);

        // SVG and Word XML are well formed.
        for f in export_files(&a, &r, &opts, Format::Svg, "x").expect("svg") {
            let s = String::from_utf8(f.bytes).expect("UTF-8");
            prop_assert!(roxmltree::Document::parse(&s).is_ok(), "{}", f.name);
        }
        let small = ExportOptions {
            tables: Selection::parse("summary,ranking,annex").expect("selection"),
            ..ExportOptions::default()
        };
        let mut docx = Vec::new();
        export(&a, &r, &small, Format::Docx, &mut docx).expect("docx");
        let mut z = zip::ZipArchive::new(Cursor::new(docx)).expect("zip");
        let mut xml = String::new();
        z.by_name("word/document.xml").expect("part").read_to_string(&mut xml).expect("read");
        prop_assert!(roxmltree::Document::parse(&xml).is_ok());

        // JSON keeps the text exactly.
        let mut json = Vec::new();
        export(&a, &r, &opts, Format::Json, &mut json).expect("json");
        let v: serde_json::Value = serde_json::from_slice(&json).expect("valid JSON");
        prop_assert_eq!(v["appraisal"]["title"].as_str(), Some(a.meta.title.as_str()));
        for (i, o) in a.options().iter().enumerate() {
            prop_assert_eq!(v["options"][i]["name"].as_str(), Some(o.name()));
        }
    }
}
