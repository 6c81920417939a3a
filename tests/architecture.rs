//! The map in docs/architecture.md holds only while no module imports its
//! way back to itself: this scans `src/` for import cycles between files.
//!
//! A module depends on another when it names a path into it (`crate::a::b`,
//! `super::b`, `self::b`). A module and its own ancestors or descendants are
//! not counted against each other: a parent declares its children, and
//! children use what the parent holds.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

type Module = Vec<String>;

/// Every source file under `src/` as its module path.
fn modules(src: &Path) -> BTreeMap<Module, String> {
    let mut out = BTreeMap::new();
    let mut dirs = vec![src.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).expect("src readable") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                dirs.push(path);
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let rel = path
                .strip_prefix(src)
                .expect("under src")
                .with_extension("");
            let mut m: Module = rel
                .iter()
                .map(|p| p.to_string_lossy().into_owned())
                .collect();
            if matches!(m.last().map(String::as_str), Some("mod" | "lib" | "main")) {
                m.pop();
            }
            let text = std::fs::read_to_string(&path).expect("source readable");
            out.insert(m, text);
        }
    }
    out
}

/// The source without comments and without what follows the first
/// `#[cfg(test)]` (tests may use anything).
fn code(text: &str) -> String {
    let text = text.split("#[cfg(test)]").next().unwrap_or("");
    text.lines()
        .map(|l| l.split("//").next().unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The paths a source names that start at `crate`, `super` or `self`.
fn paths(code: &str) -> Vec<Vec<String>> {
    let bytes = code.as_bytes();
    let word = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if !word(bytes[i]) || (i > 0 && (word(bytes[i - 1]) || bytes[i - 1] == b':')) {
            i += 1;
            continue;
        }
        let start = i;
        let mut parts = Vec::new();
        loop {
            let s = i;
            while i < bytes.len() && word(bytes[i]) {
                i += 1;
            }
            parts.push(code[s..i].to_string());
            if code[i..].starts_with("::")
                && code[i + 2..].starts_with(|c: char| c.is_alphanumeric() || c == '_')
            {
                i += 2;
            } else {
                break;
            }
        }
        if i == start {
            i += 1;
        }
        if parts.len() > 1 && matches!(parts[0].as_str(), "crate" | "super" | "self") {
            out.push(parts);
        }
    }
    out
}

/// What each module depends on, by the rule in this file's header.
fn graph(mods: &BTreeMap<Module, String>) -> BTreeMap<Module, BTreeSet<Module>> {
    let resolve = |p: &[String]| {
        (1..=p.len())
            .rev()
            .map(|k| p[..k].to_vec())
            .find(|m| mods.contains_key(m))
    };
    let mut edges = BTreeMap::new();
    for (m, text) in mods {
        let mut to = BTreeSet::new();
        for p in paths(&code(text)) {
            let target: Module = match p[0].as_str() {
                "crate" => p[1..].to_vec(),
                "self" => m.iter().chain(&p[1..]).cloned().collect(),
                _ => {
                    let ups = p.iter().take_while(|s| *s == "super").count();
                    let base = &m[..m.len().saturating_sub(ups)];
                    base.iter().chain(&p[ups..]).cloned().collect()
                }
            };
            let Some(t) = resolve(&target) else { continue };
            if t.starts_with(m) || m.starts_with(&t) {
                continue;
            }
            to.insert(t);
        }
        edges.insert(m.clone(), to);
    }
    edges
}

/// The groups of two or more modules that reach each other.
fn cycles(edges: &BTreeMap<Module, BTreeSet<Module>>) -> Vec<Vec<Module>> {
    // Modules reachable from each, then those that reach back.
    let reach = |from: &Module| {
        let mut seen = BTreeSet::new();
        let mut todo = vec![from.clone()];
        while let Some(m) = todo.pop() {
            for t in edges.get(&m).into_iter().flatten() {
                if seen.insert(t.clone()) {
                    todo.push(t.clone());
                }
            }
        }
        seen
    };
    let reaches: BTreeMap<&Module, BTreeSet<Module>> =
        edges.keys().map(|m| (m, reach(m))).collect();
    let mut done = BTreeSet::new();
    let mut out = Vec::new();
    for m in edges.keys() {
        if done.contains(m) || !reaches[m].contains(m) {
            continue;
        }
        let group: Vec<Module> = reaches[m]
            .iter()
            .filter(|t| reaches[*t].contains(m))
            .cloned()
            .collect();
        done.extend(group.iter().cloned());
        out.push(group);
    }
    out
}

#[test]
fn no_module_imports_its_way_back_to_itself() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mods = modules(&src);
    assert!(mods.len() > 100, "only {} modules found", mods.len());
    let edges = graph(&mods);
    let found: Vec<String> = cycles(&edges)
        .iter()
        .map(|g| {
            g.iter()
                .map(|m| m.join("::"))
                .collect::<Vec<_>>()
                .join(" <-> ")
        })
        .collect();
    assert!(found.is_empty(), "import cycles: {found:#?}");
}

#[test]
fn a_cycle_is_found_when_there_is_one() {
    let mods: BTreeMap<Module, String> = [
        (vec!["a".to_string()], "use crate::b::X;".to_string()),
        (
            vec!["b".to_string()],
            "fn f() { super::c::g() }".to_string(),
        ),
        (
            vec!["c".to_string()],
            "use crate::a::Y; // crate::d".to_string(),
        ),
        (vec!["d".to_string()], "use crate::a::Z;".to_string()),
        (vec!["e".to_string()], String::new()),
        (
            vec!["e".to_string(), "f".to_string()],
            "use super::X;".to_string(),
        ),
    ]
    .into_iter()
    .collect();
    let found = cycles(&graph(&mods));
    let names: Vec<Vec<String>> = found
        .iter()
        .map(|g| g.iter().map(|m| m.join("::")).collect())
        .collect();
    // a -> b -> c -> a; d only points in, the comment is not code, and a
    // child using its parent is not a cycle.
    assert_eq!(names, vec![vec!["a", "b", "c"]]);
}
