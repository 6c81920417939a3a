//! A [`Draft`] as a commented appraisal file, checked by loading it.

use super::{Draft, ImportError, ScaleSource};
use crate::load;
use crate::numbers;

mod v2;

/// A string as a TOML value (quoted and escaped).
pub(super) fn q(s: &str) -> String {
    toml_edit::Value::from(s).to_string().trim().to_string()
}

/// A number as TOML writes it: whole numbers without a decimal point.
pub(super) fn n(x: f64) -> String {
    crate::document::num_value(x).to_string().trim().to_string()
}

/// Text flattened for a `#` comment.
pub(super) fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The appraisal file for `draft`: every value found, with comments that
/// say where it came from and what to check. The text is loaded before it
/// is returned, so a file that would not pass `check` is never written.
pub fn to_toml(draft: &Draft) -> Result<String, ImportError> {
    let out = match &draft.version2 {
        Some(extra) => v2::to_toml(draft, extra),
        None => version_1(draft),
    };
    let out = with_agreed_weights(draft, out);
    match load::load_str(&draft.file, &out) {
        Ok(_) => Ok(out),
        // Settings the workbook carried that no longer fit what was edited
        // in it (weights that no longer add up to 100, an agreed weight
        // naming a criterion removed): left out, and the file says so.
        Err(_) if draft.carried.iter().any(|(k, _)| loose(k)) => {
            let mut d = draft.clone();
            let keys: Vec<String> = d
                .carried
                .iter()
                .filter(|(k, _)| loose(k))
                .map(|(k, _)| k.clone())
                .collect();
            d.carried.retain(|(k, _)| !loose(k));
            let note = format!(
                "{} from the workbook: the file would not load with them (weights or criteria were changed in the workbook), so they are left out: add them again from the source",
                numbers::join_and(&keys)
            );
            match d.version2.as_mut() {
                Some(x) => x.not_recovered.push(note),
                None => d.found.push(format!("not kept: {note}")),
            }
            to_toml(&d)
        }
        Err(e) => Err(ImportError::Invalid {
            file: draft.file.clone(),
            rendered: e.render(false),
        }),
    }
}

/// Whether a carried setting can stop the file loading once the workbook
/// was edited (the scale is only used where the Matrix still shows it).
fn loose(key: &str) -> bool {
    matches!(key, "weights" | "agreed_weights")
}

/// The file's opening comments: where it came from and what was found.
pub(super) fn header(draft: &Draft) -> String {
    let mut out = format!(
        "# {}\n#\n# Imported with `appraise import` from {}, sheet \"{}\".\n",
        one_line(&draft.title),
        one_line(&draft.file),
        one_line(&draft.sheet)
    );
    out.push_str("# What was found:\n");
    for line in &draft.found {
        out.push_str(&format!("#   {}\n", one_line(line)));
    }
    out
}

/// `text` with the `[agreed_weights]` the workbook carried, as the source
/// file wrote them, after everything else.
fn with_agreed_weights(draft: &Draft, mut text: String) -> String {
    let Some(entries) = draft
        .carried
        .iter()
        .find(|(k, _)| k == "agreed_weights")
        .and_then(|(_, v)| crate::carried::entries(v))
    else {
        return text;
    };
    text.push_str("\n# What the panel agreed about the weights, as the source file recorded it.\n[agreed_weights]\n");
    for (key, value) in entries {
        text.push_str(&format!("{key} = {value}\n"));
    }
    text
}

/// The file for a draft from a version-1 workbook or any other spreadsheet.
fn version_1(draft: &Draft) -> String {
    let (min, max, step) = draft.scale;
    let mut out = header(draft);
    out.push_str(
        "# Check the names, weights and scale against the source; `appraise check FILE`\n\
         # checks the file and compares each option's total with the spreadsheet's.\n\n",
    );
    out.push_str("[appraisal]\n");
    out.push_str(&format!("title = {}\n", q(&draft.title)));
    let mut keys = Vec::new();
    for (key, value) in &draft.details {
        if matches!(
            key.as_str(),
            "organisation" | "date" | "source" | "description"
        ) {
            out.push_str(&format!("{key} = {}\n", q(value)));
            keys.push(key.as_str());
        }
    }
    if !keys.contains(&"organisation") {
        out.push_str("# organisation = \"Example Borough Council\"\n");
    }
    if !keys.contains(&"source") {
        out.push_str("# source = \"The report the scores come from, and its date\"\n");
    }
    out.push('\n');
    out.push_str("[scale]\n");
    match &draft.scale_source {
        ScaleSource::Inferred { lo, hi } => out.push_str(&format!(
            "# Inferred from the scores, which run from {} to {}{}: CHECK this\n\
             # against the source's scoring guide (or import again with --scale MIN-MAX).\n",
            numbers::score(*lo),
            numbers::score(*hi),
            if step == 1.0 {
                " in whole points".to_string()
            } else {
                format!(" in steps of {}", numbers::score(step))
            }
        )),
        ScaleSource::Default => {
            out.push_str("# No scores yet, so 0 to 5 in whole points is assumed: CHECK this.\n")
        }
        ScaleSource::Given => out.push_str("# As given with --scale.\n"),
        ScaleSource::Headed => out.push_str(
            "# From the criterion headings; the step is inferred from the scores: check it.\n",
        ),
        ScaleSource::Read => {}
    }
    out.push_str(&format!(
        "min = {}\nmax = {}\nstep = {}\n",
        n(min),
        n(max),
        n(step)
    ));
    if !draft.labels.is_empty() {
        let labels: Vec<String> = draft
            .labels
            .iter()
            .map(|(v, t)| format!("{} = {}", q(&numbers::score(*v)), q(t)))
            .collect();
        out.push_str(&format!("labels = {{ {} }}\n", labels.join(", ")));
    }
    if !draft.weights_found {
        out.push_str("\n# No weights were found, so every criterion weighs 1.\n");
    }
    for c in &draft.criteria {
        out.push_str("\n[[criteria]]\n");
        out.push_str(&format!("id = {}\n", q(&c.id)));
        out.push_str(&format!("name = {}\n", q(&c.name)));
        out.push_str(&format!("weight = {}\n", n(c.weight)));
        if let Some(d) = &c.description {
            out.push_str(&format!("description = {}\n", q(d)));
        }
    }
    for o in &draft.options {
        out.push_str("\n[[options]]\n");
        out.push_str(&format!("id = {}\n", q(&o.id)));
        out.push_str(&format!("name = {}\n", q(&o.name)));
        if let Some(g) = &o.group {
            out.push_str(&format!("group = {}\n", q(g)));
        }
        if let Some(d) = &o.description {
            out.push_str(&format!("description = {}\n", q(d)));
        }
        for (key, list) in [("strengths", &o.strengths), ("weaknesses", &o.weaknesses)] {
            if !list.is_empty() {
                out.push_str(&format!("{key} = [\n"));
                for item in list {
                    out.push_str(&format!("  {},\n", q(item)));
                }
                out.push_str("]\n");
            }
        }
        if let Some((total, at)) = &o.published {
            out.push_str(&format!(
                "published_total = {}   # the spreadsheet's total, {}\n",
                n(*total),
                one_line(at)
            ));
        }
        out.push_str("\n[options.scores]\n");
        for (c, score) in draft.criteria.iter().zip(&o.scores) {
            match score {
                Some(s) => out.push_str(&format!("{} = {}\n", c.id, n(*s))),
                None => out.push_str(&format!("# {} = not scored in the spreadsheet\n", c.id)),
            }
        }
        if o.notes.iter().any(Option::is_some) {
            out.push_str("\n[options.notes]\n");
            for (c, note) in draft.criteria.iter().zip(&o.notes) {
                if let Some(note) = note {
                    out.push_str(&format!("{} = {}\n", c.id, q(note)));
                }
            }
        }
    }
    out
}
