//! A new appraisal's starting file: a commented skeleton with the criteria
//! and options named or numbered, weights of 1 and no scores yet, that
//! `check` accepts as it is.
//!
//! `appraise new review.toml --criteria 6 --options 4` writes one; on a
//! terminal, `appraise new review.toml` asks for the same [`Plan`] question
//! by question ([`ask_plan`]) and then opens the scoring screen on it.

use std::collections::HashSet;
use std::path::Path;

use thiserror::Error;

use crate::atomic::{self, WriteError};
use crate::load::{self, LoadError};
use crate::model::{ModelError, Scale, check_name};
use crate::naming;
use crate::numbers;

/// Most criteria or options a skeleton may have; a larger appraisal is
/// better made by `appraise import` from the spreadsheet that holds it.
pub const MAX_ITEMS: usize = 1_000;

/// What a new appraisal starts with.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    /// The title.
    pub title: String,
    /// The lowest score, the highest and the step between scores.
    pub scale: (f64, f64, f64),
    /// Wording for points on the scale, as (point, meaning).
    pub labels: Vec<(f64, String)>,
    /// The criteria's names, in order.
    pub criteria: Vec<String>,
    /// Headings the criteria are grouped under (version-2 `[[groups]]`),
    /// in order; empty for a flat list of criteria.
    pub groups: Vec<String>,
    /// For each criterion, the index in `groups` of the group it sits in;
    /// empty when no criterion is in a group.
    pub criterion_groups: Vec<Option<usize>>,
    /// The options' names, in order.
    pub options: Vec<String>,
}

impl Plan {
    /// A plan with `criteria` criteria and `options` options numbered
    /// "Criterion 1", "Option 1", ..., scored 0 to 5 in whole points.
    pub fn numbered(criteria: usize, options: usize) -> Plan {
        Plan {
            title: "New appraisal".into(),
            scale: (0.0, 5.0, 1.0),
            labels: Vec::new(),
            criteria: (1..=criteria).map(|k| format!("Criterion {k}")).collect(),
            groups: Vec::new(),
            criterion_groups: Vec::new(),
            options: (1..=options).map(|k| format!("Option {k}")).collect(),
        }
    }
}

/// Why a skeleton could not be made or written.
#[derive(Debug, Error)]
pub enum SkeletonError {
    /// A name, the title or a label breaks the format's rules.
    #[error("{what} is not usable: {source}")]
    Text {
        /// What it is ("the title", "criterion 2's name").
        what: String,
        /// The rule broken.
        source: ModelError,
    },
    /// The scale is not a scale.
    #[error("the scale is not usable: {0}")]
    Scale(ModelError),
    /// The groups do not fit the criteria: a criterion in a group that is
    /// not there, or a group with no criterion in it.
    #[error("{0}")]
    Groups(String),
    /// No criteria or no options, or too many.
    #[error("an appraisal needs from 1 to {MAX_ITEMS} {what}; {given} were asked for")]
    Count {
        /// "criteria" or "options".
        what: &'static str,
        /// How many were asked for.
        given: usize,
    },
    /// The file is already there; it was left alone.
    #[error("{} already exists, so it was left as it was; choose another name, or edit that file", path.display())]
    Exists {
        /// The existing file.
        path: std::path::PathBuf,
    },
    /// Writing failed; nothing was written.
    #[error(transparent)]
    Write(WriteError),
    /// The skeleton did not pass the checks it is meant to pass (a defect).
    #[error("the new file would not load: {0}")]
    Invalid(Box<LoadError>),
}

/// The skeleton file for `plan`: a commented appraisal that passes `check`.
pub fn skeleton(plan: &Plan) -> Result<String, SkeletonError> {
    let text_error = |what: String| move |source| SkeletonError::Text { what, source };
    check_name(&plan.title).map_err(text_error("the title".into()))?;
    for (what, n) in [
        ("criteria", plan.criteria.len()),
        ("options", plan.options.len()),
    ] {
        if n == 0 || n > MAX_ITEMS {
            return Err(SkeletonError::Count { what, given: n });
        }
    }
    let (min, max, step) = plan.scale;
    let mut scale = Scale::new(min, max, step).map_err(SkeletonError::Scale)?;
    for (point, text) in &plan.labels {
        scale
            .set_label(*point, text.clone())
            .map_err(text_error(format!(
                "the label for {}",
                numbers::score(*point)
            )))?;
    }
    for (k, name) in plan.criteria.iter().enumerate() {
        check_name(name).map_err(text_error(format!("criterion {}'s name", k + 1)))?;
    }
    for (k, name) in plan.options.iter().enumerate() {
        check_name(name).map_err(text_error(format!("option {}'s name", k + 1)))?;
    }
    let in_group = check_groups(plan)?;
    for (k, name) in plan.groups.iter().enumerate() {
        check_name(name).map_err(text_error(format!("group {}'s name", k + 1)))?;
    }
    // Groups and criteria get ids from one set, so that no id names both.
    let mut used = HashSet::new();
    let groups: Vec<(String, &str, usize)> = plan
        .groups
        .iter()
        .enumerate()
        .map(|(k, n)| {
            (
                naming::unique_id(n, "group", k + 1, &mut used).to_string(),
                n.as_str(),
                in_group.iter().filter(|g| **g == Some(k)).count(),
            )
        })
        .collect();
    let criteria: Vec<(String, &str)> = plan
        .criteria
        .iter()
        .enumerate()
        .map(|(k, n)| {
            (
                naming::unique_id(n, "criterion", k + 1, &mut used).to_string(),
                n.as_str(),
            )
        })
        .collect();
    let mut used = HashSet::new();
    let options: Vec<(String, &str)> = plan
        .options
        .iter()
        .enumerate()
        .map(|(k, n)| {
            (
                naming::unique_id(n, "option", k + 1, &mut used).to_string(),
                n.as_str(),
            )
        })
        .collect();

    let q = |s: &str| toml_edit::Value::from(s).to_string();
    let (lo, hi) = (numbers::score(min), numbers::score(max));
    let mut out = String::new();
    if !groups.is_empty() {
        // Criteria groups are a version-2 feature: say so, as docs/format.md asks.
        out.push_str("version = 2\n\n");
    }
    out.push_str(&format!(
        "# {}: a new appraisal, started with `appraise new`.\n\
         #\n\
         # Next: check the names of the criteria and options, set the weights,\n\
         # then score each option, by hand here or on screen with `appraise tui\n\
         # FILE`. `appraise check FILE` checks the file; docs/format.md describes\n\
         # every key.\n\
         # Lines starting with '#' are comments: remove the '#' to use one.\n\n",
        one_line(&plan.title)
    ));
    out.push_str("[appraisal]\n");
    out.push_str(&format!("title = {}\n", q(&plan.title)));
    out.push_str("# organisation = \"Example Borough Council\"\n");
    out.push_str("# date = \"2026-03\"\n");
    out.push_str("# source = \"Report to Cabinet, 12 March 2026, appendix B\"\n");
    out.push_str("# description = \"What the review is deciding, and why.\"\n\n");
    out.push_str("[scale]\n");
    out.push_str(&format!(
        "min = {}\nmax = {}\n",
        toml_number(min),
        toml_number(max)
    ));
    let points: Vec<String> = scale.points().take(7).map(numbers::score).collect();
    let which = match points.split_last() {
        Some((last, rest)) if points.len() <= 6 => format!("{} or {last}", rest.join(", ")),
        _ => format!(
            "{}, ... up to {hi}",
            points[..3.min(points.len())].join(", ")
        ),
    };
    out.push_str(&format!(
        "step = {}   # so a score is {which}\n",
        toml_number(step)
    ));
    if scale.labels().is_empty() {
        out.push_str(&format!(
            "# What the points mean, for the panel (any points on the scale):\n\
             # labels = {{ {lo} = \"Does not meet the criterion\", {hi} = \"Fully meets the criterion\" }}\n"
        ));
    } else {
        // A line each, so that the wording reads as a list and each point's
        // change shows on its own line in a diff.
        out.push_str("\n[scale.labels]   # what the points mean, for the panel\n");
        for (v, t) in scale.labels() {
            out.push_str(&format!("{} = {}\n", q(&numbers::score(*v)), q(t)));
        }
    }
    if !groups.is_empty() {
        out.push_str(
            "\n# Headings the criteria are grouped under. A group's weight is shared among\n\
             # the criteria in it; each weighs as many as it holds, so that every\n\
             # criterion counts the same until the weights are set.\n",
        );
    }
    for (id, name, count) in &groups {
        out.push_str("\n[[groups]]\n");
        out.push_str(&format!("id = {}\n", q(id)));
        out.push_str(&format!("name = {}\n", q(name)));
        out.push_str(&format!("weight = {count}\n"));
        out.push_str("# description = \"What the group covers.\"\n");
    }
    out.push_str(
        "\n# One [[criteria]] section per criterion, in the order they are shown.\n\
         # A total is the sum of weight x score; weights need not add up to anything.\n",
    );
    for (k, (id, name)) in criteria.iter().enumerate() {
        out.push_str("\n[[criteria]]\n");
        out.push_str(&format!(
            "id = {}   # a short handle for scores: a-z, 0-9 and '-'\n",
            q(id)
        ));
        out.push_str(&format!("name = {}\n", q(name)));
        if let Some((gid, _, _)) = in_group
            .get(k)
            .copied()
            .flatten()
            .and_then(|g| groups.get(g))
        {
            out.push_str(&format!("group = {}\n", q(gid)));
        }
        out.push_str("weight = 1\n");
        out.push_str("# description = \"What the criterion asks of an option.\"\n");
    }
    out.push_str("\n# One [[options]] section per option.\n");
    for (id, name) in &options {
        out.push_str("\n[[options]]\n");
        out.push_str(&format!("id = {}\n", q(id)));
        out.push_str(&format!("name = {}\n", q(name)));
        out.push_str("# group = \"A category, if options fall into groups\"\n");
        out.push_str("# description = \"What the option is.\"\n");
        out.push_str("# strengths = [\"...\"]\n# weaknesses = [\"...\"]\n");
        out.push_str(&format!(
            "\n[options.scores]   # from {lo} to {hi}; a criterion left out is not yet scored\n"
        ));
        for (cid, cname) in &criteria {
            out.push_str(&format!("# {cid} = {lo}   # {}\n", one_line(cname)));
        }
        out.push_str("\n[options.notes]    # the reasons for each score\n");
        if let Some((cid, _)) = criteria.first() {
            out.push_str(&format!("# {cid} = \"The evidence behind the score.\"\n"));
        }
    }
    // The skeleton is only useful if it loads: check it as `check` would.
    load::load_str("new appraisal", &out).map_err(|e| SkeletonError::Invalid(Box::new(e)))?;
    Ok(out)
}

/// Each criterion's group, checked against the groups: every index names
/// a group, and every group holds a criterion (`empty-group` otherwise).
fn check_groups(plan: &Plan) -> Result<Vec<Option<usize>>, SkeletonError> {
    let in_group: Vec<Option<usize>> = if plan.criterion_groups.is_empty() {
        vec![None; plan.criteria.len()]
    } else {
        plan.criterion_groups.clone()
    };
    if in_group.len() != plan.criteria.len() {
        return Err(SkeletonError::Groups(format!(
            "{} criteria were given groups, but there are {} criteria",
            in_group.len(),
            plan.criteria.len()
        )));
    }
    if let Some(k) = in_group
        .iter()
        .position(|g| g.is_some_and(|g| g >= plan.groups.len()))
    {
        return Err(SkeletonError::Groups(format!(
            "criterion {} is in a group that is not listed",
            k + 1
        )));
    }
    if let Some((_, name)) = plan
        .groups
        .iter()
        .enumerate()
        .find(|(g, _)| !in_group.contains(&Some(*g)))
    {
        return Err(SkeletonError::Groups(format!(
            "the group \"{}\" has no criteria in it; put a criterion in it, or remove it",
            one_line(name)
        )));
    }
    Ok(in_group)
}

/// Writes the skeleton for `plan` to `path`, which must not exist yet; the
/// file is written whole or not at all.
pub fn write_new(path: &Path, plan: &Plan) -> Result<String, SkeletonError> {
    write(path, plan, false)
}

/// Writes the skeleton for `plan` to `path`, whole or not at all; a file
/// already there is replaced only with `replace` (the user was asked).
pub fn write(path: &Path, plan: &Plan, replace: bool) -> Result<String, SkeletonError> {
    let text = skeleton(plan)?;
    let written = if replace {
        atomic::write(path, text.as_bytes())
    } else {
        atomic::write_new(path, text.as_bytes())
    };
    match written {
        Ok(()) => Ok(text),
        Err(WriteError::Exists { path }) => Err(SkeletonError::Exists { path }),
        Err(e) => Err(SkeletonError::Write(e)),
    }
}

/// What the guided start says before each question, and reads back.
const GUIDED_INTRO: &str = "Answer each question and press Enter; Enter alone keeps the [suggestion].\n\
Nothing is written until the end; Ctrl-C stops without writing.\n";

/// Most points on a scale asked about one by one for their wording; a
/// longer scale is asked about at its two ends.
const LABEL_EACH_POINT: usize = 6;

/// Asks, on `input` and `output` (a terminal), for everything a new
/// appraisal starts with: the title, the scale and the wording of its
/// points, the criteria and the options. Each answer is checked as it is
/// given and asked again if it cannot be used. `None` when the input ends
/// before the plan is complete (nothing should then be written).
pub fn ask_plan(
    input: &mut impl std::io::BufRead,
    output: &mut impl std::io::Write,
    start: &Plan,
) -> std::io::Result<Option<Plan>> {
    let mut ask = Asker { input, output };
    ask.say(GUIDED_INTRO)?;
    let Some(title) = ask.text("Title", &start.title)? else {
        return Ok(None);
    };
    ask.say("\nThe scale every score is given on.\n")?;
    let (min, max, step) = loop {
        let Some(min) = ask.number("Lowest score", start.scale.0)? else {
            return Ok(None);
        };
        let Some(max) = ask.number("Highest score", start.scale.1.max(min + 1.0))? else {
            return Ok(None);
        };
        let Some(step) = ask.number(
            "Step between scores (0.5 allows half points)",
            start.scale.2,
        )?
        else {
            return Ok(None);
        };
        match Scale::new(min, max, step) {
            Ok(_) => break (min, max, step),
            Err(e) => ask.say(&format!("  That scale cannot be used: {e}. Try again.\n"))?,
        }
    };
    let scale = Scale::new(min, max, step).map_err(std::io::Error::other)?;
    let points: Vec<f64> = scale.points().collect();
    let asked: Vec<f64> = if points.len() <= LABEL_EACH_POINT {
        points
    } else {
        vec![min, max]
    };
    ask.say("\nWhat the points mean, for the panel (Enter alone leaves a point without words).\n")?;
    let mut labels = Vec::new();
    for p in asked {
        let Some(text) = ask.optional(&format!("  {}", numbers::score(p)))? else {
            return Ok(None);
        };
        if !text.is_empty() {
            labels.push((p, text));
        }
    }
    ask.say("\nThe criteria, one per line; an empty line ends the list.\n")?;
    let Some(criteria) = ask.list("criterion")? else {
        return Ok(None);
    };
    ask.say("\nThe options, one per line; an empty line ends the list.\n")?;
    let Some(options) = ask.list("option")? else {
        return Ok(None);
    };
    Ok(Some(Plan {
        title,
        scale: (min, max, step),
        labels,
        criteria,
        groups: Vec::new(),
        criterion_groups: Vec::new(),
        options,
    }))
}

/// Questions and answers over a pair of streams.
struct Asker<'a, R, W> {
    input: &'a mut R,
    output: &'a mut W,
}

impl<R: std::io::BufRead, W: std::io::Write> Asker<'_, R, W> {
    fn say(&mut self, text: &str) -> std::io::Result<()> {
        self.output.write_all(text.as_bytes())?;
        self.output.flush()
    }

    /// One line, trimmed; `None` at the end of the input.
    fn line(&mut self, prompt: &str) -> std::io::Result<Option<String>> {
        self.say(prompt)?;
        let mut line = String::new();
        if self.input.read_line(&mut line)? == 0 {
            return Ok(None);
        }
        Ok(Some(line.trim().to_string()))
    }

    /// A name: the suggestion when the answer is empty; asked again when it
    /// cannot be used.
    fn text(&mut self, question: &str, suggestion: &str) -> std::io::Result<Option<String>> {
        loop {
            let Some(answer) = self.line(&format!("{question} [{suggestion}]: "))? else {
                return Ok(None);
            };
            let answer = if answer.is_empty() {
                suggestion.to_string()
            } else {
                answer
            };
            match check_name(&answer) {
                Ok(()) => return Ok(Some(answer)),
                Err(e) => self.say(&format!("  That cannot be used: {e}. Try again.\n"))?,
            }
        }
    }

    /// Free text, empty allowed.
    fn optional(&mut self, question: &str) -> std::io::Result<Option<String>> {
        loop {
            let Some(answer) = self.line(&format!("{question}: "))? else {
                return Ok(None);
            };
            if answer.is_empty() {
                return Ok(Some(answer));
            }
            match check_name(&answer) {
                Ok(()) => return Ok(Some(answer)),
                Err(e) => self.say(&format!("  That cannot be used: {e}. Try again.\n"))?,
            }
        }
    }

    fn number(&mut self, question: &str, suggestion: f64) -> std::io::Result<Option<f64>> {
        loop {
            let Some(answer) =
                self.line(&format!("{question} [{}]: ", numbers::score(suggestion)))?
            else {
                return Ok(None);
            };
            if answer.is_empty() {
                return Ok(Some(suggestion));
            }
            match answer.parse::<f64>() {
                Ok(x) if x.is_finite() => return Ok(Some(x)),
                _ => self.say(&format!("  '{answer}' is not a number. Try again.\n"))?,
            }
        }
    }

    /// Names one per line until an empty one; at least one.
    fn list(&mut self, what: &str) -> std::io::Result<Option<Vec<String>>> {
        let mut names: Vec<String> = Vec::new();
        while names.len() < MAX_ITEMS {
            let Some(answer) = self.line(&format!("  {what} {}: ", names.len() + 1))? else {
                return Ok(None);
            };
            if answer.is_empty() {
                if !names.is_empty() {
                    break;
                }
                self.say(&format!("  An appraisal needs at least one {what}.\n"))?;
                continue;
            }
            match check_name(&answer) {
                Ok(()) => names.push(answer),
                Err(e) => self.say(&format!("  That cannot be used: {e}. Try again.\n"))?,
            }
        }
        Ok(Some(names))
    }
}

/// A number as TOML writes it: whole numbers without a decimal point.
fn toml_number(x: f64) -> String {
    crate::document::num_value(x).to_string().trim().to_string()
}

/// Text flattened for a `#` comment.
fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_numbered_skeleton_loads_with_every_cell_unscored() {
        let text = skeleton(&Plan::numbered(6, 4)).unwrap();
        let loaded = load::load_str("new.toml", &text).unwrap();
        let a = &loaded.appraisal;
        assert_eq!(a.criteria().len(), 6);
        assert_eq!(a.options().len(), 4);
        assert_eq!(a.criteria()[0].id().as_str(), "criterion-1");
        assert_eq!(a.options()[3].name(), "Option 4");
        assert!(a.options().iter().all(|o| o.unscored() == 6));
        assert!(a.criteria().iter().all(|c| c.weight() == 1.0));
        assert!(text.contains("# criterion-6 = 0   # Criterion 6"), "{text}");
    }

    #[test]
    fn names_labels_and_scales_are_kept_and_checked() {
        let plan = Plan {
            title: "Libraries \"review\"".into(),
            scale: (1.0, 3.0, 0.5),
            labels: vec![(1.0, "Poor".into()), (3.0, "Good".into())],
            criteria: vec!["Cost".into(), "cost".into(), "Accès".into()],
            groups: Vec::new(),
            criterion_groups: Vec::new(),
            options: vec!["Keep in house".into()],
        };
        let text = skeleton(&plan).unwrap();
        let a = load::load_str("new.toml", &text).unwrap().appraisal;
        assert_eq!(a.meta.title, "Libraries \"review\"");
        let ids: Vec<&str> = a.criteria().iter().map(|c| c.id().as_str()).collect();
        assert_eq!(ids, ["cost", "cost-2", "acces"]);
        assert_eq!(a.scale().step(), 0.5);
        assert_eq!(a.scale().label(3.0), Some("Good"));
        let bad = Plan {
            criteria: vec!["Line\nbreak".into()],
            ..plan.clone()
        };
        assert!(matches!(skeleton(&bad), Err(SkeletonError::Text { .. })));
        let none = Plan {
            options: vec![],
            ..plan.clone()
        };
        assert!(matches!(
            skeleton(&none),
            Err(SkeletonError::Count {
                what: "options",
                ..
            })
        ));
        let upside_down = Plan {
            scale: (5.0, 0.0, 1.0),
            ..plan
        };
        assert!(matches!(
            skeleton(&upside_down),
            Err(SkeletonError::Scale(_))
        ));
    }

    #[test]
    fn grouped_criteria_make_a_version_2_file_with_equal_weights() {
        let plan = Plan {
            groups: vec!["Quality".into(), "Cost".into()],
            criteria: vec![
                "Method".into(),
                "Staffing".into(),
                "Cost".into(),
                "Risk".into(),
            ],
            criterion_groups: vec![Some(0), Some(0), Some(1), None],
            ..Plan::numbered(0, 2)
        };
        let text = skeleton(&plan).unwrap();
        assert!(text.starts_with("version = 2\n"), "{text}");
        let a = load::load_str("new.toml", &text).unwrap().appraisal;
        let groups: Vec<(&str, &str, f64)> = a
            .groups()
            .iter()
            .map(|g| (g.id().as_str(), g.name(), g.weight()))
            .collect();
        assert_eq!(groups, [("quality", "Quality", 2.0), ("cost", "Cost", 1.0)]);
        // The criterion named as a group gets an id of its own.
        let ids: Vec<(&str, Option<usize>)> = a
            .criteria()
            .iter()
            .map(|c| (c.id().as_str(), c.group()))
            .collect();
        assert_eq!(
            ids,
            [
                ("method", Some(0)),
                ("staffing", Some(0)),
                ("cost-2", Some(1)),
                ("risk", None)
            ]
        );
        let empty = Plan {
            criterion_groups: vec![Some(0), Some(0), None, None],
            ..plan.clone()
        };
        let err = skeleton(&empty).unwrap_err();
        assert!(
            err.to_string().contains("\"Cost\" has no criteria"),
            "{err}"
        );
        let stray = Plan {
            criterion_groups: vec![Some(0), Some(1), Some(2), None],
            ..plan
        };
        assert!(matches!(skeleton(&stray), Err(SkeletonError::Groups(_))));
    }

    #[test]
    fn an_existing_file_is_never_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("review.toml");
        std::fs::write(&path, "mine").unwrap();
        let err = write_new(&path, &Plan::numbered(2, 2)).unwrap_err();
        assert!(matches!(err, SkeletonError::Exists { .. }), "{err}");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "mine");
    }

    #[test]
    fn the_guided_start_asks_for_each_part_and_checks_each_answer() {
        let answers = "Library service\n\n4\nx\n1\nPoor\n\n\nGood\n\nCost\nAccess\n\n\nKeep in house\nTrust\n\n";
        let mut out = Vec::new();
        let plan = ask_plan(
            &mut std::io::Cursor::new(answers),
            &mut out,
            &Plan::numbered(0, 0),
        )
        .unwrap()
        .unwrap();
        let said = String::from_utf8(out).unwrap();
        assert_eq!(plan.title, "Library service");
        assert_eq!(plan.scale, (0.0, 4.0, 1.0));
        assert_eq!(
            plan.labels,
            [(0.0, "Poor".to_string()), (3.0, "Good".to_string())]
        );
        assert_eq!(plan.criteria, ["Cost", "Access"]);
        assert_eq!(plan.options, ["Keep in house", "Trust"]);
        assert!(said.contains("'x' is not a number. Try again."), "{said}");
        assert!(
            said.contains("An appraisal needs at least one option."),
            "{said}"
        );
        assert!(said.contains("Title [New appraisal]: "), "{said}");
        skeleton(&plan).unwrap();
        // Input that ends early gives no plan, so nothing is written.
        let cut = ask_plan(
            &mut std::io::Cursor::new("Library service\n0\n"),
            &mut Vec::new(),
            &Plan::numbered(0, 0),
        )
        .unwrap();
        assert_eq!(cut, None);
    }
}
