//! Invariants of format version 2, over generated appraisals.

use appraise::compute::compute;
use appraise::load::load_str;
use proptest::prelude::*;

/// A file with `tops` top-level groups, each holding criteria of the given
/// weights, optionally inside one subgroup, scored by `scores`.
fn grouped(groups: &[(u32, Vec<u32>, bool)], scores: &[u8]) -> String {
    let mut t =
        String::from("version = 2\n[appraisal]\ntitle = \"T\"\n[scale]\nmin = 0\nmax = 5\n");
    let mut criteria = Vec::new();
    for (g, (weight, members, nested)) in groups.iter().enumerate() {
        t += &format!("[[groups]]\nid = \"g{g}\"\nname = \"G{g}\"\nweight = {weight}\n");
        let home = if *nested {
            t += &format!(
                "[[groups]]\nid = \"s{g}\"\nname = \"S{g}\"\ngroup = \"g{g}\"\nweight = 1\n"
            );
            format!("s{g}")
        } else {
            format!("g{g}")
        };
        for (k, w) in members.iter().enumerate() {
            criteria.push(format!("[[criteria]]\nid = \"c{g}-{k}\"\nname = \"C{g} {k}\"\ngroup = \"{home}\"\nweight = {w}\n"));
        }
    }
    let n = criteria.len();
    t += &criteria.concat();
    for o in 0..2 {
        t += &format!("[[options]]\nid = \"o{o}\"\nname = \"O{o}\"\n[options.scores]\n");
        let mut c = 0;
        for (g, (_, members, _)) in groups.iter().enumerate() {
            for k in 0..members.len() {
                t += &format!("c{g}-{k} = {}\n", scores[(o * n + c) % scores.len()] % 6);
                c += 1;
            }
        }
    }
    t
}

fn tree() -> impl Strategy<Value = Vec<(u32, Vec<u32>, bool)>> {
    prop::collection::vec(
        (
            1u32..100,
            prop::collection::vec(1u32..50, 1..4),
            any::<bool>(),
        ),
        1..4,
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Effective weights add up to the top-level weights, and each group's
    /// members' effective weights add up to the group's.
    #[test]
    fn group_shares_add_up(groups in tree(), scores in prop::collection::vec(any::<u8>(), 1..20)) {
        let text = grouped(&groups, &scores);
        let l = load_str("g.toml", &text).map_err(|e| TestCaseError::fail(e.render(false)))?;
        let a = &l.appraisal;
        let top: f64 = groups.iter().map(|g| f64::from(g.0)).sum();
        let eff = a.effective_weights();
        prop_assert!((eff.iter().sum::<f64>() - top).abs() < 1e-9 * top);
        let gw = a.group_weights();
        for (g, _) in a.groups().iter().enumerate() {
            let inside: f64 = (0..a.criteria().len()).filter(|&c| a.in_group(c, g)).map(|c| eff[c]).sum();
            prop_assert!((inside - gw[g]).abs() < 1e-9 * gw[g].max(1.0));
        }
        // Subtotals of the top-level groups add up to the total.
        let r = compute(a);
        for o in &r.options {
            let tops: f64 = a.groups().iter().enumerate().filter(|(_, g)| g.parent().is_none()).map(|(i, _)| o.subtotals[i]).sum();
            prop_assert!((tops - o.total).abs() < 1e-9 * r.max_total);
        }
    }

    /// Criteria given scales of their own that equal the common scale, and
    /// put in one group that weighs what they weigh together, give the
    /// version-1 totals.
    #[test]
    fn one_shared_scale_gives_version_1_totals(
        weights in prop::collection::vec(1u32..20, 1..6),
        scores in prop::collection::vec(0u8..6, 12),
    ) {
        let mut v1 = String::from("[appraisal]\ntitle = \"T\"\n[scale]\nmin = 0\nmax = 5\n");
        let mut v2 = format!(
            "version = 2\n[appraisal]\ntitle = \"T\"\n[scale]\nmin = 0\nmax = 5\n[[groups]]\nid = \"all\"\nname = \"All\"\nweight = {}\n",
            weights.iter().sum::<u32>()
        );
        for (c, w) in weights.iter().enumerate() {
            let crit = format!("[[criteria]]\nid = \"c{c}\"\nname = \"C{c}\"\nweight = {w}\n");
            v1 += &crit;
            v2 += &format!("{crit}group = \"all\"\nscale = {{ min = 0, max = 5 }}\n");
        }
        for o in 0..2 {
            let mut opt = format!("[[options]]\nid = \"o{o}\"\nname = \"O{o}\"\n[options.scores]\n");
            for c in 0..weights.len() {
                opt += &format!("c{c} = {}\n", scores[o * 6 + c]);
            }
            v1 += &opt;
            v2 += &opt;
        }
        let a1 = load_str("v1.toml", &v1).expect("v1 loads").appraisal;
        let a2 = load_str("v2.toml", &v2).map_err(|e| TestCaseError::fail(e.render(false)))?.appraisal;
        let (r1, r2) = (compute(&a1), compute(&a2));
        prop_assert!((r1.max_total - r2.max_total).abs() < 1e-9 * r1.max_total);
        for (x, y) in r1.options.iter().zip(&r2.options) {
            prop_assert!((x.total - y.total).abs() < 1e-9 * r1.max_total);
            prop_assert_eq!(x.rank, y.rank);
        }
    }

    /// Any line of a version-2 file replaced by something odd loads or is
    /// refused with located advice; nothing panics.
    #[test]
    fn edited_version_2_files_never_panic(
        edits in prop::collection::vec((0..200usize, 0..EDITS.len()), 1..4),
    ) {
        let text = std::fs::read_to_string("tests/fixtures/v2/waste-contract.toml").expect("fixture");
        let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
        for (line, edit) in edits {
            let at = line % lines.len();
            let key = lines[at].split('=').next().unwrap_or("").trim().to_string();
            lines[at] = EDITS[edit].replace("KEY", if key.is_empty() { "k" } else { &key });
        }
        let edited = lines.join("\n");
        match load_str("e.toml", &edited) {
            Ok(l) => {
                let r = compute(&l.appraisal);
                prop_assert!(r.options.iter().all(|o| o.total.is_finite()));
                let _ = l.appraisal.for_analysis();
            }
            Err(e) => {
                for d in &e.diagnostics {
                    prop_assert!(d.span.is_some() && d.help.is_some(), "{}", d.message);
                }
            }
        }
    }
}

const EDITS: &[&str] = &[
    "KEY = 0",
    "KEY = -1",
    "KEY = 1e300",
    "KEY = nan",
    "KEY = \"x\"",
    "KEY = true",
    "KEY = []",
    "KEY = [[1, 2], [1, 3]]",
    "KEY = { function = \"bands\", bands = [] }",
    "KEY = { function = \"piecewise\", points = [[1, 9]] }",
    "KEY = \"relative-to-best\"",
    "KEY = { min = 2, max = 1 }",
    "KEY = { pass = false }",
    "group = \"quality\"",
    "group = \"nowhere\"",
    "weight = 0",
    "weight = 1e308",
    "better = \"higher\"",
    "version = 1",
    "[[groups]]",
    "[[screening]]",
    "[[options]]",
    "",
];
