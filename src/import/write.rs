//! A [`Draft`] as a commented appraisal file, checked by loading it.

use super::{Draft, ImportError, ScaleSource};
use crate::load;
use crate::numbers;

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
    if let Some(extra) = &draft.version2 {
        let out = super::v2::to_toml(draft, extra);
        return match load::load_str(&draft.file, &out) {
            Ok(_) => Ok(out),
            Err(e) => Err(ImportError::Invalid {
                file: draft.file.clone(),
                rendered: e.render(false),
            }),
        };
    }
    let mut out = String::new();
    let (min, max, step) = draft.scale;
    out.push_str(&format!(
        "# {}\n#\n# Imported with `appraise import` from {}, sheet \"{}\".\n",
        one_line(&draft.title),
        one_line(&draft.file),
        one_line(&draft.sheet)
    ));
    out.push_str("# What was found:\n");
    for line in &draft.found {
        out.push_str(&format!("#   {}\n", one_line(line)));
    }
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
    if let Err(e) = load::load_str(&draft.file, &out) {
        return Err(ImportError::Invalid {
            file: draft.file.clone(),
            rendered: e.render(false),
        });
    }
    Ok(out)
}
