//! The version-2 appraisal file for a draft read from a version-2 workbook.

use super::{header, n, one_line, q};
use crate::import::Draft;
use crate::import::v2::Extra;
use crate::import::v2::carried::scale_of;
use crate::numbers;

/// The version-2 appraisal file for `draft`.
pub fn to_toml(draft: &Draft, x: &Extra) -> String {
    let (min, max, step) = draft.scale;
    let mut out = header(draft);
    out.push_str("# Not recovered from the workbook (CHECK these against the source):\n");
    for line in &x.not_recovered {
        out.push_str(&format!("#   - {}\n", one_line(line)));
    }
    out.push_str(
        "# `appraise check FILE` checks the file; `appraise rank FILE` gives its totals.\nversion = 2\n\n",
    );
    out.push_str("[appraisal]\n");
    out.push_str(&format!("title = {}\n", q(&draft.title)));
    for (key, value) in &draft.details {
        if matches!(
            key.as_str(),
            "organisation" | "date" | "source" | "description"
        ) {
            out.push_str(&format!("{key} = {}\n", q(value)));
        }
    }
    for (key, value) in &draft.carried {
        if key == "weights" {
            out.push_str(&format!("weights = {value}\n"));
        }
    }
    // The scale as the source file wrote it (with its wording, or none at
    // all), where the workbook carries it and the Matrix still shows it.
    let carried_scale = draft
        .carried
        .iter()
        .find(|(k, _)| k == "scale")
        .map(|(_, v)| v.as_str());
    let own_everywhere = x.criteria.iter().all(|c| c.scale.is_some());
    match carried_scale {
        Some("false") if own_everywhere => out.push_str(
            "\n# No [scale]: every criterion has a scale of its own, as in the source file.\n",
        ),
        Some(t) if scale_of(t) == Some((min, max, step)) => {
            out.push_str("\n[scale]\n");
            for (key, value) in crate::carried::entries(t).unwrap_or_default() {
                out.push_str(&format!("{key} = {value}\n"));
            }
        }
        _ => {
            out.push_str("\n[scale]\n");
            out.push_str(&format!(
                "min = {}\nmax = {}\nstep = {}\n",
                n(min),
                n(max),
                n(step)
            ));
            let labels: Vec<String> = draft
                .labels
                .iter()
                .filter(|(v, _)| *v >= min && *v <= max)
                .map(|(v, t)| format!("{} = {}", q(&numbers::score(*v)), q(t)))
                .collect();
            if !labels.is_empty() {
                out.push_str(&format!("labels = {{ {} }}\n", labels.join(", ")));
            }
        }
    }
    for g in &x.groups {
        out.push_str("\n[[groups]]\n");
        out.push_str(&format!(
            "id = {}\nname = {}\nweight = {}\n",
            q(&g.id),
            q(&g.name),
            n(g.weight)
        ));
        if let Some(p) = &g.parent {
            out.push_str(&format!("group = {}\n", q(p)));
        }
        if let Some(d) = &g.description {
            out.push_str(&format!("description = {}\n", q(d)));
        }
    }
    for (c, e) in draft.criteria.iter().zip(&x.criteria) {
        out.push_str("\n[[criteria]]\n");
        out.push_str(&format!("id = {}\nname = {}\n", q(&c.id), q(&c.name)));
        if let Some(g) = &e.group {
            out.push_str(&format!("group = {}\n", q(g)));
        }
        out.push_str(&format!("weight = {}\n", n(c.weight)));
        if let Some(m) = &e.measured {
            if let Some(u) = &m.unit {
                out.push_str(&format!("unit = {}\n", q(u)));
            }
            out.push_str(&format!("better = {}\n", q(&m.better)));
            if !m.value_read {
                out.push_str("# CHECK: the value function could not be read back; see the top of the file.\n");
            }
            out.push_str(&format!("value = {}\n", m.value));
        }
        if e.cost {
            out.push_str("cost = true\n");
        }
        if let Some(t) = &e.scale_text {
            out.push_str(&format!("scale = {t}\n"));
        } else if let Some((a, b, s)) = e.scale {
            out.push_str(&format!(
                "scale = {{ min = {}, max = {}, step = {} }}\n",
                n(a),
                n(b),
                n(s)
            ));
        }
        if let Some(d) = &c.description {
            out.push_str(&format!("description = {}\n", q(d)));
        }
    }
    for s in &x.screens {
        out.push_str("\n[[screening]]\n");
        out.push_str(&format!("id = {}\nname = {}\n", q(&s.id), q(&s.name)));
        if let Some(d) = &s.description {
            out.push_str(&format!("description = {}\n", q(d)));
        }
    }
    for (name, d) in &x.option_groups {
        out.push_str("\n[[option_groups]]\n");
        out.push_str(&format!("name = {}\n", q(name)));
        if let Some(d) = d {
            out.push_str(&format!("description = {}\n", q(d)));
        }
    }
    // `key = { a = 1, b = 2 }`, or nothing when there are no pairs.
    let inline = |key: &str, pairs: Vec<String>| {
        if pairs.is_empty() {
            String::new()
        } else {
            format!("{key} = {{ {} }}\n", pairs.join(", "))
        }
    };
    for (o, e) in draft.options.iter().zip(&x.options) {
        out.push_str("\n[[options]]\n");
        out.push_str(&format!("id = {}\n", q(&o.id)));
        if let Some(r) = &e.reference {
            out.push_str(&format!("ref = {}\n", q(r)));
        }
        out.push_str(&format!("name = {}\n", q(&o.name)));
        if let Some(g) = &o.group {
            out.push_str(&format!("group = {}\n", q(g)));
        }
        if e.baseline {
            out.push_str("baseline = true\n");
        }
        if let Some(d) = &o.description {
            out.push_str(&format!("description = {}\n", q(d)));
        }
        for (key, list) in [("strengths", &o.strengths), ("weaknesses", &o.weaknesses)] {
            if !list.is_empty() {
                let items: Vec<String> = list.iter().map(|i| q(i)).collect();
                out.push_str(&format!("{key} = [{}]\n", items.join(", ")));
            }
        }
        if let Some((total, at)) = &o.published {
            out.push_str(&format!(
                "published_total = {}   # the workbook's published total, {}\n",
                n(*total),
                one_line(at)
            ));
        }
        for (key, value) in &e.published {
            out.push_str(&format!("{key} = {value}\n"));
        }
        let scores: Vec<String> = draft
            .criteria
            .iter()
            .zip(&o.scores)
            .filter_map(|(c, s)| s.map(|s| format!("{} = {}", q(&c.id), n(s))))
            .collect();
        out.push_str(&inline("scores", scores));
        let measures: Vec<String> = draft
            .criteria
            .iter()
            .zip(&e.measures)
            .enumerate()
            .filter_map(|(j, (c, v))| {
                let written = match e.ranges.get(j).cloned().flatten() {
                    Some(range) => range,
                    None => n((*v)?),
                };
                Some(format!("{} = {written}", q(&c.id)))
            })
            .collect();
        out.push_str(&inline("measures", measures));
        let screening: Vec<String> = x
            .screens
            .iter()
            .zip(&e.screening)
            .filter_map(|(s, r)| {
                r.as_ref().map(|(pass, reason)| match (pass, reason) {
                    (true, _) => format!("{} = true", q(&s.id)),
                    (false, r) => format!(
                        "{} = {{ pass = false, reason = {} }}",
                        q(&s.id),
                        q(r.as_deref().unwrap_or(""))
                    ),
                })
            })
            .collect();
        out.push_str(&inline("screening", screening));
        if o.notes.iter().any(Option::is_some) {
            out.push_str("\n[options.notes]\n");
            for (c, note) in draft.criteria.iter().zip(&o.notes) {
                if let Some(note) = note {
                    out.push_str(&format!("{} = {}\n", q(&c.id), q(note)));
                }
            }
        }
        for (c, (pro, con)) in draft.criteria.iter().zip(&e.evidence) {
            if pro.is_empty() && con.is_empty() {
                continue;
            }
            out.push_str(&format!("\n[options.evidence.{}]\n", q(&c.id)));
            for (key, list) in [("for", pro), ("against", con)] {
                if !list.is_empty() {
                    let items: Vec<String> = list.iter().map(|i| q(i)).collect();
                    out.push_str(&format!("{key} = [{}]\n", items.join(", ")));
                }
            }
        }
    }
    out
}
