//! Reading the parts of an appraisal file that format version 2 adds:
//! criteria groups, a criterion's own scale, measured criteria and their
//! value functions, screening tests, option groups, and per-option
//! references, evidence, raw values, screening results and published figures.
//!
//! Each reader reports every problem with its position, as `load` does.

use std::collections::HashMap;

use toml::de::DeValue;

use crate::diagnostic::{Diagnostic, Kind, did_you_mean};
use crate::model::screening::{Screen, ScreenResult};
use crate::model::value_fn::{Band, Better, Comparison, Measure, ValueFunction};
use crate::model::{Evidence, Id, OptionGroup, Published, check_name};
use crate::numbers::{self, shorten};
use crate::raw::{At, Sink, Span, Table, number};

/// Keys of a `[[groups]]` entry.
pub(crate) const GROUP_KEYS: &[&str] = &["id", "name", "weight", "description", "group"];

/// Keys of a `[[screening]]` entry.
const SCREEN_KEYS: &[&str] = &["id", "name", "description"];

/// Keys of an `[[option_groups]]` entry.
const OPTION_GROUP_KEYS: &[&str] = &["name", "description"];

/// Names of the value functions, for messages.
const FUNCTIONS: &[&str] = &["linear", "piecewise", "bands", "relative-to-best"];

/// A group as read: its id (if valid), the parts that make it, and where
/// its `group` reference is.
pub(crate) struct GroupRead {
    /// The id, if valid.
    pub id: Option<Id>,
    /// Where the id is written (or the table).
    pub span: Span,
    /// The name, if valid.
    pub name: Option<String>,
    /// The weight as written, if valid (1 when left out).
    pub weight: Option<At<f64>>,
    /// Whether the weight was written.
    pub weight_written: bool,
    /// The description.
    pub description: Option<String>,
    /// The parent group's id as written.
    pub parent: Option<At<String>>,
}

/// Reports a use of a version-2 feature; `uses` collects them for the
/// version check.
pub(crate) fn uses(feature: &str, span: Span, uses: &mut Vec<(String, Span)>) {
    uses.push((feature.to_string(), span));
}

/// Reads `[[groups]]`.
pub(crate) fn read_groups(
    root: &Table<'_, '_>,
    used: &mut Vec<(String, Span)>,
    sink: &mut Sink<'_>,
) -> Vec<GroupRead> {
    let Some(items) = root.array_of_tables("groups", sink) else {
        return Vec::new();
    };
    if let Some(v) = root.get("groups") {
        uses("criteria groups", sink.at(v), used);
    }
    let names: Vec<String> = (1..=items.len()).map(|i| format!("group {i}")).collect();
    let mut seen = HashMap::new();
    let mut out = Vec::new();
    for ((entries, span), name) in items.into_iter().zip(&names) {
        let t = Table {
            entries,
            span: span.clone(),
            name,
        };
        t.check_keys(GROUP_KEYS, sink);
        let id_span = t.get("id").map_or(span.clone(), |v| sink.at(v));
        let id = super::read_id(&t, &mut seen, "group", sink);
        let gname = super::checked_name(
            t.string("name", Some("\"Quality\""), sink),
            "the name",
            sink,
        );
        let weight_written = t.get("weight").is_some();
        let weight = super::read_weight(&t, sink);
        let description = super::checked_text(t.string("description", None, sink), sink);
        let parent = t.string("group", None, sink);
        out.push(GroupRead {
            id,
            span: id_span,
            name: gname,
            weight,
            weight_written,
            description,
            parent,
        });
    }
    out
}

/// Resolves a group reference (`group = "quality"`) to an index, reporting
/// an unknown id with the nearest known one.
pub(crate) fn resolve_group(
    r: &At<String>,
    ids: &HashMap<String, usize>,
    sink: &mut Sink<'_>,
) -> Option<usize> {
    if let Some(&g) = ids.get(&r.value) {
        return Some(g);
    }
    let mut known: Vec<&str> = ids.keys().map(String::as_str).collect();
    known.sort_unstable();
    let mut d = Diagnostic::error(
        Kind::UnknownGroup,
        format!(
            "`{}` is not the id of any criteria group",
            shorten(&r.value)
        ),
        Some(r.span.clone()),
    );
    d = match did_you_mean(&r.value, &known) {
        Some(s) => d
            .with_label(format!("did you mean `{s}`?"))
            .with_help(format!(
                "rename it to `{s}`, or add a [[groups]] entry with that id"
            )),
        None if known.is_empty() => d.with_help(
            "declare the group first: a [[groups]] section with an id, a name and a weight",
        ),
        None => d.with_help(format!("use one of the group ids: {}", known.join(", "))),
    };
    sink.push(d);
    None
}

/// Reads a criterion's `unit`, `better` and `value`; `None` if it is not
/// measured (or its rules are broken, which is reported).
pub(crate) fn read_measure(
    t: &Table<'_, '_>,
    min_max: Option<(f64, f64)>,
    used: &mut Vec<(String, Span)>,
    sink: &mut Sink<'_>,
) -> (bool, Option<Measure>) {
    let unit = super::checked_name(t.string("unit", None, sink), "the unit", sink);
    let better = t.string("better", None, sink);
    let value = t.get("value");
    for key in ["unit", "better", "value"] {
        if let Some(v) = t.get(key) {
            uses("measured criteria", sink.at(v), used);
        }
    }
    let Some(value) = value else {
        if let Some(b) = &better {
            sink.error(
                b.span.clone(),
                Kind::InvalidValueFunction,
                format!("{} says which way is better but has no value function", t.name),
                "a measured criterion needs value = \"linear\" (or another value function; see docs/format.md) to turn its raw values into scores",
            );
            return (true, None);
        }
        if t.get("unit").is_some() {
            sink.push(
                Diagnostic::error(
                    Kind::InvalidValueFunction,
                    format!("{} has a unit but no value function", t.name),
                    t.get("unit").map(|v| sink.at(v)),
                )
                .with_help("to measure this criterion, add better = \"lower\" (or \"higher\") and value = \"linear\"; to score it by judgement, remove the unit"),
            );
            return (false, None);
        }
        return (false, None);
    };
    let better = match better {
        Some(b) => match b.value.as_str() {
            "higher" => Some(Better::Higher),
            "lower" => Some(Better::Lower),
            other => {
                sink.push(
                    Diagnostic::error(
                        Kind::InvalidValueFunction,
                        format!("`better` must be \"higher\" or \"lower\", not \"{}\"", shorten(other)),
                        Some(b.span.clone()),
                    )
                    .with_help("write better = \"lower\" for a cost or a time, better = \"higher\" for a benefit"),
                );
                None
            }
        },
        None => {
            sink.error(
                sink.at(value),
                Kind::MissingKey,
                format!("{} is measured but does not say which way is better", t.name),
                "add better = \"lower\" (for a cost or a time) or better = \"higher\" (for a benefit)",
            );
            None
        }
    };
    let function = read_function(value, min_max, sink);
    match (better, function) {
        (Some(better), Some(function)) => {
            if let ValueFunction::Linear {
                bounds: Some((worst, best)),
            } = function
            {
                let agrees = match better {
                    Better::Lower => best < worst,
                    Better::Higher => best > worst,
                };
                if !agrees {
                    sink.error(
                        sink.at(value),
                        Kind::InvalidValueFunction,
                        format!(
                        "the bounds run the wrong way: better = \"{}\", but best = {} is not {} than worst = {}",
                        better.as_str(),
                        numbers::as_given(best),
                        better.as_str(),
                        numbers::as_given(worst)
                    ),
                        "swap `worst` and `best`, or correct `better`",
                    );
                    return (true, None);
                }
            }
            (
                true,
                Some(Measure {
                    unit,
                    better,
                    function,
                }),
            )
        }
        _ => (true, None),
    }
}

/// Reads a criterion's `cost = true`: the appraisal's cost, for value for
/// money. Only a measured criterion where lower is better can be the cost,
/// and only one criterion; `first` names the one already marked.
pub(crate) fn read_cost(
    t: &Table<'_, '_>,
    is_measured: bool,
    measure: Option<&Measure>,
    first: &mut Option<String>,
    used: &mut Vec<(String, Span)>,
    sink: &mut Sink<'_>,
) -> bool {
    let Some(v) = t.get("cost") else {
        return false;
    };
    uses("the cost", sink.at(v), used);
    if boolean(v, "`cost`", "cost = true", sink) != Some(true) {
        return false;
    }
    let span = sink.at(v);
    if !is_measured {
        sink.error(
            span,
            Kind::InvalidCost,
            format!("{} is marked as the cost but is not measured", t.name),
            "the cost must be a measured criterion: add unit = \"£m\", better = \"lower\" and value = \"linear\" (or another value function), with each option's cost under `measures`; or remove cost = true",
        );
        return false;
    }
    if measure.is_some_and(|m| m.better != Better::Lower) {
        sink.error(
            span,
            Kind::InvalidCost,
            format!(
                "{} is marked as the cost, but says higher is better",
                t.name
            ),
            "a cost is better when lower: write better = \"lower\", or remove cost = true",
        );
        return false;
    }
    if let Some(other) = first {
        sink.error(
            span,
            Kind::DuplicateCost,
            format!("{} is marked as the cost, but {other} already is", t.name),
            "mark one criterion as the cost (the whole cost, such as the whole-life cost) and remove cost = true from the others",
        );
        return false;
    }
    *first = Some(t.name.to_string());
    measure.is_some()
}

/// Reads a value function: `"linear"`, `"relative-to-best"` or a table
/// with `function` and its parameters.
fn read_function(
    v: &toml::Spanned<DeValue<'_>>,
    min_max: Option<(f64, f64)>,
    sink: &mut Sink<'_>,
) -> Option<ValueFunction> {
    let span = sink.at(v);
    let unknown = |name: &str, span: Span, sink: &mut Sink<'_>| {
        let mut d = Diagnostic::error(
            Kind::InvalidValueFunction,
            format!("there is no value function called \"{}\"", shorten(name)),
            Some(span),
        );
        d = match did_you_mean(name, FUNCTIONS) {
            Some(s) => d.with_label(format!("did you mean \"{s}\"?")),
            None => d,
        };
        sink.push(d.with_help(format!(
            "use one of: {} (see docs/format.md)",
            FUNCTIONS.join(", ")
        )));
    };
    let (name, table) = match v.get_ref() {
        DeValue::String(s) => (
            At {
                value: s.to_string(),
                span: span.clone(),
            },
            None,
        ),
        DeValue::Table(entries) => {
            let t = Table {
                entries,
                span: span.clone(),
                name: "the value function",
            };
            let name = t.string("function", Some("\"linear\""), sink)?;
            (name, Some(t))
        }
        _ => {
            sink.wrong_type(
                v,
                "`value`",
                "text or a table",
                "write value = \"linear\", or value = { function = \"bands\", bands = [...] }"
                    .into(),
            );
            return None;
        }
    };
    let keys: &[&str] = match name.value.as_str() {
        "linear" => &["function", "worst", "best"],
        "piecewise" => &["function", "points"],
        "bands" => &["function", "bands"],
        "relative-to-best" => &["function"],
        other => {
            unknown(other, name.span.clone(), sink);
            return None;
        }
    };
    if let Some(t) = &table {
        t.check_keys(keys, sink);
    }
    let needs = |key: &str, example: &str, sink: &mut Sink<'_>| {
        sink.error(
            span.clone(),
            Kind::InvalidValueFunction,
            format!("the {} value function needs `{key}`", name.value),
            format!(
                "write value = {{ function = \"{}\", {key} = {example} }}",
                name.value
            ),
        );
    };
    match name.value.as_str() {
        "linear" => {
            let (worst, best) = match &table {
                Some(t) => (t.number("worst", None, sink), t.number("best", None, sink)),
                None => (None, None),
            };
            match (worst, best) {
                (None, None) => Some(ValueFunction::Linear { bounds: None }),
                (Some(w), Some(b)) => {
                    if !w.value.is_finite() || !b.value.is_finite() || w.value == b.value {
                        sink.error(
                            b.span,
                            Kind::InvalidValueFunction,
                            "`worst` and `best` must be two different ordinary numbers",
                            "give the raw values that score the scale's minimum (worst) and maximum (best)",
                        );
                        return None;
                    }
                    Some(ValueFunction::Linear {
                        bounds: Some((w.value, b.value)),
                    })
                }
                (Some(_), None) => {
                    needs("best", "4", sink);
                    None
                }
                (None, Some(_)) => {
                    needs("worst", "12", sink);
                    None
                }
            }
        }
        "relative-to-best" => Some(ValueFunction::RelativeToBest),
        "piecewise" => {
            let Some(points) = table.as_ref().and_then(|t| t.get("points")) else {
                needs("points", "[[4, 5], [8, 3], [12, 0]]", sink);
                return None;
            };
            read_points(points, min_max, sink).map(|points| ValueFunction::Piecewise { points })
        }
        "bands" => {
            let Some(bands) = table.as_ref().and_then(|t| t.get("bands")) else {
                needs("bands", "[{ below = 1, score = 5 }, { score = 0 }]", sink);
                return None;
            };
            read_bands(bands, min_max, sink).map(|bands| ValueFunction::Bands { bands })
        }
        _ => None,
    }
}

/// Reports a score in a value function that lies off the criterion's scale.
fn off_scale(s: &At<f64>, min_max: Option<(f64, f64)>, sink: &mut Sink<'_>) -> bool {
    let Some((min, max)) = min_max else {
        return false;
    };
    if s.value.is_finite() && s.value >= min && s.value <= max {
        return false;
    }
    sink.error(
        s.span.clone(),
        Kind::InvalidValueFunction,
        format!(
            "the score {} is outside the criterion's scale, {} to {}",
            numbers::as_given(s.value),
            numbers::score(min),
            numbers::score(max)
        ),
        "every score a value function gives must lie on the criterion's scale",
    );
    true
}

fn read_points(
    v: &toml::Spanned<DeValue<'_>>,
    min_max: Option<(f64, f64)>,
    sink: &mut Sink<'_>,
) -> Option<Vec<(f64, f64)>> {
    let help = "write points = [[4, 5], [8, 3], [12, 0]]: each point is [raw value, score], raw values increasing";
    let DeValue::Array(items) = v.get_ref() else {
        sink.error(
            sink.at(v),
            Kind::WrongType,
            "`points` must be a list of [raw value, score] pairs",
            help,
        );
        return None;
    };
    let mut out: Vec<(f64, f64)> = Vec::new();
    let mut ok = true;
    for item in items.iter() {
        let pair = match item.get_ref() {
            DeValue::Array(p) if p.len() == 2 => {
                let raw = number(&p[0], "a point's raw value", sink);
                let score = number(&p[1], "a point's score", sink);
                raw.zip(score)
            }
            _ => {
                sink.error(
                    sink.at(item),
                    Kind::WrongType,
                    "each point must be a pair [raw value, score]",
                    help,
                );
                None
            }
        };
        let Some((raw, score)) = pair else {
            ok = false;
            continue;
        };
        if off_scale(&score, min_max, sink) {
            ok = false;
        }
        if !raw.value.is_finite() {
            sink.error(
                raw.span.clone(),
                Kind::InvalidValueFunction,
                "a point's raw value must be an ordinary finite number",
                help,
            );
            ok = false;
            continue;
        }
        if let Some(prev) = out.last()
            && raw.value <= prev.0
        {
            sink.error(
                raw.span.clone(),
                Kind::InvalidValueFunction,
                "the points' raw values must increase from one point to the next",
                "list the points in order of raw value, smallest first, each value once",
            );
            ok = false;
        }
        out.push((raw.value, score.value));
    }
    if out.len() < 2 && ok {
        sink.error(
            sink.at(v),
            Kind::InvalidValueFunction,
            "a piecewise value function needs at least two points",
            help,
        );
        ok = false;
    }
    ok.then_some(out)
}

fn read_bands(
    v: &toml::Spanned<DeValue<'_>>,
    min_max: Option<(f64, f64)>,
    sink: &mut Sink<'_>,
) -> Option<Vec<Band>> {
    let help = "write bands = [{ below = 1, score = 5 }, { below = 2, score = 4 }, { score = 3 }]; each band tests the value with one of below, up_to, above or at_least, and a last band without a test takes any other value";
    let DeValue::Array(items) = v.get_ref() else {
        sink.error(
            sink.at(v),
            Kind::WrongType,
            "`bands` must be a list of bands",
            help,
        );
        return None;
    };
    let mut out = Vec::new();
    let mut ok = true;
    let n = items.len();
    for (k, item) in items.iter().enumerate() {
        let DeValue::Table(entries) = item.get_ref() else {
            sink.error(
                sink.at(item),
                Kind::WrongType,
                "each band must be a table such as { below = 1, score = 5 }",
                help,
            );
            ok = false;
            continue;
        };
        let name = format!("band {}", k + 1);
        let t = Table {
            entries,
            span: sink.at(item),
            name: &name,
        };
        t.check_keys(&["below", "up_to", "above", "at_least", "score"], sink);
        let score = t.number("score", Some("5"), sink);
        let tests: Vec<(Comparison, At<f64>)> = [
            Comparison::Below,
            Comparison::UpTo,
            Comparison::Above,
            Comparison::AtLeast,
        ]
        .into_iter()
        .filter_map(|c| t.number(c.key(), None, sink).map(|v| (c, v)))
        .collect();
        if let Some((_, limit)) = tests.iter().find(|(_, v)| !v.value.is_finite()) {
            sink.error(
                limit.span.clone(),
                Kind::InvalidValueFunction,
                "a band's limit must be an ordinary finite number",
                help,
            );
            ok = false;
        }
        if tests.len() > 1 {
            sink.push(
                Diagnostic::error(Kind::InvalidValueFunction, "a band may test the value only once", Some(t.span.clone()))
                    .with_help("use one of below, up_to, above or at_least in each band; a range is two bands in order"),
            );
            ok = false;
        }
        if tests.is_empty() && k + 1 < n {
            sink.error(
                t.span.clone(),
                Kind::InvalidValueFunction,
                "only the last band may leave out its test; the bands after this one could never apply",
                "give this band a test such as below = 2, or move it to the end",
            );
            ok = false;
        }
        let Some(score) = score else {
            ok = false;
            continue;
        };
        if off_scale(&score, min_max, sink) {
            ok = false;
        }
        out.push(Band {
            test: tests.first().map(|(c, v)| (*c, v.value)),
            score: score.value,
        });
    }
    if out.is_empty() && ok {
        sink.error(
            sink.at(v),
            Kind::InvalidValueFunction,
            "the list of bands is empty",
            help,
        );
        ok = false;
    }
    ok.then_some(out)
}

/// Reads `[[screening]]`.
pub(crate) fn read_screens(
    root: &Table<'_, '_>,
    used: &mut Vec<(String, Span)>,
    sink: &mut Sink<'_>,
) -> Vec<Option<Screen>> {
    let Some(items) = root.array_of_tables("screening", sink) else {
        return Vec::new();
    };
    if let Some(v) = root.get("screening") {
        uses("screening ([[screening]])", sink.at(v), used);
    }
    let names: Vec<String> = (1..=items.len())
        .map(|i| format!("screening test {i}"))
        .collect();
    let mut seen = HashMap::new();
    let mut out = Vec::new();
    for ((entries, span), name) in items.into_iter().zip(&names) {
        let t = Table {
            entries,
            span,
            name,
        };
        t.check_keys(SCREEN_KEYS, sink);
        let id = super::read_id(&t, &mut seen, "screening test", sink);
        let sname = super::checked_name(
            t.string(
                "name",
                Some("\"Affordable within the capital budget\""),
                sink,
            ),
            "the name",
            sink,
        );
        let description = super::checked_text(t.string("description", None, sink), sink);
        out.push(match (id, sname) {
            (Some(id), Some(n)) => Screen::new(id, &n).ok().map(|mut s| {
                s.description = description;
                s
            }),
            _ => None,
        });
    }
    out
}

/// Reads `[[option_groups]]`.
pub(crate) fn read_option_groups(
    root: &Table<'_, '_>,
    used: &mut Vec<(String, Span)>,
    sink: &mut Sink<'_>,
) -> Vec<OptionGroup> {
    let Some(items) = root.array_of_tables("option_groups", sink) else {
        return Vec::new();
    };
    if let Some(v) = root.get("option_groups") {
        uses("option groups ([[option_groups]])", sink.at(v), used);
    }
    let names: Vec<String> = (1..=items.len())
        .map(|i| format!("option group {i}"))
        .collect();
    let mut seen: HashMap<String, Span> = HashMap::new();
    let mut out = Vec::new();
    for ((entries, span), name) in items.into_iter().zip(&names) {
        let t = Table {
            entries,
            span,
            name,
        };
        t.check_keys(OPTION_GROUP_KEYS, sink);
        let raw = t.string("name", Some("\"Collaborative in house\""), sink);
        let description = super::checked_text(t.string("description", None, sink), sink);
        let Some(raw) = raw else { continue };
        let Some(gname) = super::checked_name(Some(raw.clone()), "the name", sink) else {
            continue;
        };
        if let Some(first) = seen.get(&gname) {
            let line = sink.line_of(first);
            sink.push(
                Diagnostic::error(
                    Kind::DuplicateId,
                    format!("the option group \"{}\" is declared twice", shorten(&gname)),
                    Some(raw.span.clone()),
                )
                .with_label(format!("already declared on line {line}"))
                .with_help("declare each option group once"),
            );
            continue;
        }
        seen.insert(gname.clone(), raw.span);
        out.push(OptionGroup {
            name: gname,
            description,
        });
    }
    out
}

/// Reads an option's `ref`: text, or a whole number written without quotes.
pub(crate) fn read_reference(t: &Table<'_, '_>, sink: &mut Sink<'_>) -> Option<At<String>> {
    let v = t.get("ref")?;
    let span = sink.at(v);
    let text = match v.get_ref() {
        DeValue::String(s) => s.to_string(),
        DeValue::Integer(_) => sink.text.get(span.clone())?.trim().to_string(),
        _ => {
            sink.wrong_type(
                v,
                "`ref`",
                "text or a whole number",
                "write the option's number or letter as the source does, such as ref = \"3\" or ref = \"B\"".into(),
            );
            return None;
        }
    };
    const MAX_REF: usize = 12;
    if check_name(&text).is_err() || text.chars().count() > MAX_REF {
        sink.push(
            Diagnostic::error(
                Kind::InvalidRef,
                format!("\"{}\" is not a usable option reference", shorten(&text)),
                Some(span),
            )
            .with_help(format!(
                "a reference is a short label of at most {MAX_REF} characters on one line, such as \"3\", \"B\" or \"2a\""
            )),
        );
        return None;
    }
    Some(At { value: text, span })
}

/// Reads a boolean value.
pub(crate) fn boolean(
    v: &toml::Spanned<DeValue<'_>>,
    what: &str,
    example: &str,
    sink: &mut Sink<'_>,
) -> Option<bool> {
    match v.get_ref() {
        DeValue::Boolean(b) => Some(*b),
        _ => {
            sink.wrong_type(
                v,
                what,
                "true or false",
                format!("write {example}, without quotes"),
            );
            None
        }
    }
}

/// Reads one entry of an option's `evidence` table: `{ for = [...], against = [...] }`.
pub(crate) fn read_evidence(
    v: &toml::Spanned<DeValue<'_>>,
    criterion: &str,
    sink: &mut Sink<'_>,
) -> Option<Evidence> {
    let DeValue::Table(entries) = v.get_ref() else {
        sink.wrong_type(
            v,
            &format!("the evidence for `{}`", shorten(criterion)),
            "a table",
            format!("write {criterion} = {{ for = [\"...\"], against = [\"...\"] }}"),
        );
        return None;
    };
    let name = format!("the evidence for `{}`", shorten(criterion));
    let t = Table {
        entries,
        span: sink.at(v),
        name: &name,
    };
    t.check_keys(&["for", "against"], sink);
    let list = |key: &str, sink: &mut Sink<'_>| -> Vec<String> {
        t.string_list(key, sink)
            .into_iter()
            .filter_map(|s| super::checked_text(Some(s), sink))
            .filter(|s| !s.trim().is_empty())
            .collect()
    };
    let for_ = list("for", sink);
    let against = list("against", sink);
    Some(Evidence { for_, against })
}

/// Reads one entry of an option's `screening` table: `true`, or
/// `{ pass = false, reason = "..." }`.
pub(crate) fn read_screen_result(
    v: &toml::Spanned<DeValue<'_>>,
    test: &str,
    sink: &mut Sink<'_>,
) -> Option<ScreenResult> {
    let span = sink.at(v);
    let help = format!(
        "write {test} = true for a pass, or {test} = {{ pass = false, reason = \"...\" }} for a failure"
    );
    let (pass, reason, at) = match v.get_ref() {
        DeValue::Boolean(b) => (*b, None, span.clone()),
        DeValue::Table(entries) => {
            let name = format!("the result for `{}`", shorten(test));
            let t = Table {
                entries,
                span: span.clone(),
                name: &name,
            };
            t.check_keys(&["pass", "reason"], sink);
            let pass = match t.get("pass") {
                Some(p) => boolean(p, "`pass`", "pass = true or pass = false", sink)?,
                None => {
                    t.missing("pass", "false", sink);
                    return None;
                }
            };
            let reason = super::checked_text(t.string("reason", None, sink), sink);
            (pass, reason, span.clone())
        }
        _ => {
            sink.wrong_type(v, "a screening result", "true, false or a table", help);
            return None;
        }
    };
    if pass {
        return Some(ScreenResult::pass(reason.filter(|r| !r.trim().is_empty())));
    }
    match reason.filter(|r| !r.trim().is_empty()) {
        Some(r) => ScreenResult::fail(r).ok(),
        None => {
            sink.error(
                at,
                Kind::FailWithoutReason,
                format!("the option fails `{}` but no reason is given", shorten(test)),
                format!("write {test} = {{ pass = false, reason = \"...\" }}: the long list says why each option was dropped"),
            );
            None
        }
    }
}

/// Reads a published figure (`published_percent`, a subtotal) with its precision.
pub(crate) fn published(
    v: &toml::Spanned<DeValue<'_>>,
    what: &str,
    sink: &mut Sink<'_>,
) -> Option<Published> {
    let n = number(v, what, sink)?;
    if !n.value.is_finite() {
        sink.error(
            n.span,
            Kind::InvalidValue,
            format!("{what} must be an ordinary finite number"),
            "write the figure as the source document prints it",
        );
        return None;
    }
    Some(Published::written(n.value, sink.text.get(n.span)?))
}

/// Reads `published_rank`: a whole number from 1.
pub(crate) fn published_rank(v: &toml::Spanned<DeValue<'_>>, sink: &mut Sink<'_>) -> Option<u32> {
    let n = number(v, "`published_rank`", sink)?;
    if n.value >= 1.0 && n.value.fract() == 0.0 && n.value <= f64::from(u32::MAX) {
        return Some(n.value as u32);
    }
    let message = format!(
        "a rank is a whole number from 1, not {}",
        shorten(sink.text.get(n.span.clone()).unwrap_or(""))
    );
    sink.error(
        n.span,
        Kind::InvalidValue,
        message,
        "write the rank the source gives, such as published_rank = 1",
    );
    None
}

/// `[agreed_weights]` as read, with where each entry is, for checking once
/// the criteria are known.
#[derive(Debug, Default)]
pub(crate) struct AgreedRead {
    /// The entries, in the syntax of `appraise sensitivity`'s flags.
    pub agreed: crate::model::AgreedWeights,
    /// Where each `order` entry is.
    pub order: Vec<Span>,
    /// Where each `share` entry is.
    pub share: Vec<Span>,
    /// Where each `fixed` entry is.
    pub fixed: Vec<Span>,
}

const AGREED_KEYS: &[&str] = &["order", "share", "fixed"];

/// Reads `[agreed_weights]`: `order` (text, or a list of text), and `share`
/// and `fixed` (tables of criterion id → text such as "10%..30%" or "20%";
/// a fixed share may be a plain number of percent).
pub(crate) fn read_agreed(
    root: &Table<'_, '_>,
    used: &mut Vec<(String, Span)>,
    sink: &mut Sink<'_>,
) -> AgreedRead {
    let mut out = AgreedRead::default();
    let Some(v) = root.get("agreed_weights") else {
        return out;
    };
    uses("agreed weights ([agreed_weights])", sink.at(v), used);
    let Some(t) = root.table("agreed_weights", "[agreed_weights]", sink) else {
        return out;
    };
    t.check_keys(AGREED_KEYS, sink);
    if let Some(order) = t.get("order") {
        let items: Vec<At<String>> = match order.get_ref() {
            DeValue::String(_) => crate::raw::string(order, "`order`", sink)
                .into_iter()
                .collect(),
            _ => t.string_list("order", sink),
        };
        for item in items {
            out.agreed.order.push(item.value);
            out.order.push(item.span);
        }
    }
    for (key, name) in [
        ("share", "`share` in [agreed_weights]"),
        ("fixed", "`fixed` in [agreed_weights]"),
    ] {
        let Some(table) = t.table(key, name, sink) else {
            continue;
        };
        for (k, v) in table.entries.iter() {
            let id: &str = k.get_ref();
            let text = match v.get_ref() {
                DeValue::String(s) => Some(s.to_string()),
                DeValue::Integer(_) | DeValue::Float(_) if key == "fixed" => {
                    crate::raw::number(v, "a fixed share", sink)
                        .map(|n| crate::numbers::as_given(n.value))
                }
                _ => {
                    sink.error(
                        sink.at(v),
                        Kind::WrongType,
                        if key == "share" {
                        format!(
                            "the agreed share of `{}` must be a range of percentages in quotes",
                            shorten(id)
                        )
                    } else {
                        format!(
                            "the fixed share of `{}` must be a percentage, such as \"20%\"",
                            shorten(id)
                        )
                    },
                        if key == "share" {
                        format!("write it in quotes as a range of percentages: {id} = \"10%..30%\" (either end may be left open: \"..30%\")")
                    } else {
                        format!("write it in quotes as a percentage: {id} = \"20%\"")
                    },
                    );
                    None
                }
            };
            let Some(text) = text else { continue };
            let entry = format!("{id}={text}");
            if key == "share" {
                out.agreed.share.push(entry);
                out.share.push(sink.at(v));
            } else {
                out.agreed.fixed.push(entry);
                out.fixed.push(sink.at(v));
            }
        }
    }
    out
}

/// Checks `[agreed_weights]` against the appraisal's criteria (as the
/// analyses see them); false, with a diagnostic, where an entry cannot be
/// read.
pub(crate) fn check_agreed(
    appraisal: &crate::model::Appraisal,
    read: &AgreedRead,
    sink: &mut Sink<'_>,
) -> bool {
    if read.agreed.is_empty() {
        return true;
    }
    let analysed = appraisal.for_analysis();
    match crate::sensitivity::WeightConstraints::agreed(&analysed, &read.agreed) {
        Ok(_) => true,
        Err((entry, e)) => {
            use crate::sensitivity::AgreedEntry;
            let (span, how) = match entry {
                AgreedEntry::Order(i) => (
                    read.order.get(i),
                    "order = \"child-focused > workforce > rest\" (most important first; commas join criteria of equal standing; rest is every other weighted criterion)",
                ),
                AgreedEntry::Share(i) => (
                    read.share.get(i),
                    "share = { risk = \"10%..30%\" } (either end may be left open)",
                ),
                AgreedEntry::Fixed(i) => (read.fixed.get(i), "fixed = { cost = \"20%\" }"),
            };
            sink.push(
                Diagnostic::error(Kind::InvalidAgreedWeights, e.to_string(), span.cloned())
                    .with_help(format!("write each entry as `appraise sensitivity` takes its flag, naming criteria by id or name: {how}")),
            );
            false
        }
    }
}
