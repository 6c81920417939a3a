//! The diagnostic form of the field rules every reader shares: a name, a
//! free text, an id, a weight, a score and a score or note's criterion, each
//! checked by the model's rule and, when it fails, reported with its place
//! and what to do. The appraisal reader, its version-2 parts and the
//! scoresheet reader all call these.

use std::collections::HashMap;

use crate::diagnostic::{Diagnostic, Kind, did_you_mean};
use crate::model::{Id, ModelError, Scale, check_name, check_note, check_text};
use crate::numbers::{self, shorten};
use crate::raw::{At, Sink, Span, Table};

/// A TOML syntax error, said as plainly as the text allows; `blank_hint`
/// is added to the general advice (a scoresheet says how a blank is written).
pub(crate) fn syntax_error(e: &toml::de::Error, text: &str, blank_hint: &str) -> Diagnostic {
    let span = e.span().unwrap_or(0..0);
    if let Some(key) = crate::raw::percent_key(text, span.start) {
        return Diagnostic::error(
            Kind::Syntax,
            format!(
                "`{}` is written with a % sign, which TOML does not allow in a number",
                shorten(key)
            ),
            Some(span),
        )
        .with_label("a number with %")
        .with_help(crate::raw::percent_help(&format!("`{}`", shorten(key))));
    }
    let found = text.get(span.clone()).unwrap_or("");
    // An invisible character inside text: say which, since the line looks fine.
    if let Some(c) = text
        .get(span.start..)
        .and_then(|t| t.chars().next())
        .filter(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        return Diagnostic::error(
            Kind::Syntax,
            format!(
                "this is not valid TOML: the text holds an invisible control character (code {:#04x})",
                c as u32
            ),
            Some(span),
        )
        .with_label("an invisible character here")
        .with_help("delete the character (most editors do not show it); text copied from another program is best pasted as plain text");
    }
    let message = e.message().trim().to_string();
    let lower = message.to_lowercase();
    let mut label = "here".to_string();
    let mut help = format!(
        "check the line for a missing quote, bracket, comma or `=`; text must be in double quotes{blank_hint}"
    );
    let mut said = format!("this is not valid TOML: {message}");
    if lower.contains("recurs") {
        help = "the file nests lists or tables far too deeply; an appraisal needs at most three levels".into();
    } else if lower.contains("duplicate") {
        let line_start = text[..span.start.min(text.len())]
            .rfind('\n')
            .map_or(0, |i| i + 1);
        let header = text[line_start..span.start.min(text.len())]
            .trim_start()
            .starts_with('[');
        let name = shorten(found.trim().trim_matches('"'));
        if !name.is_empty() {
            said = if header {
                format!("this is not valid TOML: the table [{name}] is written twice")
            } else {
                format!("this is not valid TOML: `{name}` is written twice in the same table")
            };
            label = "written again here".into();
        }
        help = "each key may appear only once per table, and each [table] header only once; merge or rename the repeated one".into();
    } else if lower.contains("invalid string") || lower.contains("expected `\"`") {
        help = "text must be in double quotes; a quote inside text is written \\\"".into();
    }
    Diagnostic::error(Kind::Syntax, said, Some(span))
        .with_label(label)
        .with_help(help)
}

/// Reports a model rule broken by a value at `span`.
pub(super) fn rule(sink: &mut Sink, kind: Kind, err: &ModelError, span: &Span, help: &str) {
    sink.push(Diagnostic::error(kind, err.to_string(), Some(span.clone())).with_help(help));
}

/// `v` with what `check` (a model rule) gives for it; a value that breaks
/// the rule is reported as `invalid-text`, with `help` saying what to do.
fn checked_by<T>(
    v: Option<At<String>>,
    check: impl FnOnce(&str) -> Result<T, ModelError>,
    help: impl FnOnce() -> String,
    sink: &mut Sink<'_>,
) -> Option<(String, T)> {
    let v = v?;
    match check(&v.value) {
        Ok(checked) => Some((v.value, checked)),
        Err(e) => {
            rule(sink, Kind::InvalidText, &e, &v.span, &help());
            None
        }
    }
}

/// A one-line name checked by [`check_name`]; `what` names it in the advice.
pub(crate) fn checked_name(
    v: Option<At<String>>,
    what: &str,
    sink: &mut Sink<'_>,
) -> Option<String> {
    let help = || format!("give {what} as one line of ordinary text");
    checked_by(v, check_name, help, sink).map(|(name, ())| name)
}

/// Free text checked by [`check_text`].
pub(crate) fn checked_text(v: Option<At<String>>, sink: &mut Sink<'_>) -> Option<String> {
    let help = || "remove the control character from the text".to_string();
    checked_by(v, check_text, help, sink).map(|(text, ())| text)
}

/// A note checked by the note rule ([`check_note`]): `None` for blank text,
/// and after reporting a control character (`help` says what to do).
pub(crate) fn checked_note(
    v: Option<At<String>>,
    help: &str,
    sink: &mut Sink<'_>,
) -> Option<String> {
    let kept = |t: &str| check_note(t).map(|note| note.is_some());
    checked_by(v, kept, || help.to_string(), sink).and_then(|(note, kept)| kept.then_some(note))
}

/// Reads an id, reporting bad characters and duplicates (`seen` maps id to the line it was first used).
pub(crate) fn read_id(
    t: &Table<'_, '_>,
    seen: &mut HashMap<String, Span>,
    what: &str,
    sink: &mut Sink<'_>,
) -> Option<Id> {
    let raw = t.string("id", Some("\"short-name\""), sink)?;
    let id = match Id::new(&raw.value) {
        Ok(id) => id,
        Err(e) => {
            let suggestion = crate::model::slug(&raw.value);
            let help = if !raw.value.is_ascii() {
                "use only lowercase letters a-z, digits and '-'; accented letters, symbols and emoji are not allowed in ids (names may use them)".to_string()
            } else if !suggestion.is_empty() && Id::new(&suggestion).is_ok() {
                format!("use lowercase letters, digits and '-', for example \"{suggestion}\"")
            } else {
                "use lowercase letters, digits and '-', for example \"child-focused\"".to_string()
            };
            rule(sink, Kind::InvalidId, &e, &raw.span, &help);
            return None;
        }
    };
    if let Some(first) = seen.get(id.as_str()) {
        let line = sink.line_of(first);
        sink.push(
            Diagnostic::error(
                Kind::DuplicateId,
                format!("the {what} id `{id}` is used twice"),
                Some(raw.span.clone()),
            )
            .with_label(format!("already used on line {line}"))
            .with_help(format!("give each {what} its own id")),
        );
        return None;
    }
    seen.insert(id.to_string(), raw.span);
    Some(id)
}

/// Reads a `weight`: a finite number of zero or more, 1 when left out;
/// `None` if it is written wrongly (which is reported).
pub(crate) fn read_weight(t: &Table<'_, '_>, sink: &mut Sink<'_>) -> Option<At<f64>> {
    match t.number("weight", None, sink) {
        Some(w) if !w.value.is_finite() || w.value < 0.0 => {
            let e = ModelError::InvalidWeight(written_text(sink, &w.span));
            rule(
                sink,
                Kind::InvalidWeight,
                &e,
                &w.span,
                "use a weight of zero or more, such as 1",
            );
            None
        }
        Some(w) => Some(w),
        None if t.get("weight").is_some() => None,
        None => Some(At {
            value: 1.0,
            span: t.span.clone(),
        }),
    }
}

/// A number as the file writes it, for quoting in a message.
pub(super) fn written_text(sink: &Sink<'_>, span: &Span) -> String {
    sink.text
        .get(span.clone())
        .map_or_else(String::new, |t| shorten(t.trim()))
}

/// The error for a score the scale does not allow, quoting the score as the
/// file writes it (4.0000001, not a rounded 4); `more_help` is added to the
/// advice (a scoresheet says how to leave a score blank).
pub(crate) fn score_problem(
    key: &str,
    e: ModelError,
    scale: &Scale,
    span: &Span,
    sink: &Sink<'_>,
    more_help: &str,
) -> Diagnostic {
    let written = written_text(sink, span);
    let help = format!(
        "use a score from {} to {} in steps of {}{more_help}",
        numbers::score(scale.min()),
        numbers::score(scale.max()),
        numbers::score(scale.step())
    );
    if let ModelError::ScoreOutOfRange { .. } = e
        && written.parse::<f64>().is_ok_and(|x| !x.is_finite())
    {
        return Diagnostic::error(
            Kind::ScoreOutOfRange,
            format!(
                "the score for `{}` is {written}, which is not an ordinary number",
                shorten(key)
            ),
            Some(span.clone()),
        )
        .with_help(help);
    }
    let (kind, e) = match e {
        ModelError::ScoreOffStep { min, step, .. } => (
            Kind::ScoreOffStep,
            ModelError::ScoreOffStep {
                value: written,
                min,
                step,
            },
        ),
        ModelError::ScoreOutOfRange { min, max, .. } => (
            Kind::ScoreOutOfRange,
            ModelError::ScoreOutOfRange {
                value: written,
                min,
                max,
            },
        ),
        other => (Kind::ScoreOutOfRange, other),
    };
    Diagnostic::error(
        kind,
        format!("the score for `{}` is not on the scale: {e}", shorten(key)),
        Some(span.clone()),
    )
    .with_help(help)
}

/// Resolves a key in a scores or notes table to a criterion index.
pub(super) fn criterion_key(
    key: &str,
    span: &Span,
    ids: &HashMap<&str, usize>,
    crit_ids: &[&str],
    what: &str,
    sink: &mut Sink<'_>,
) -> Option<usize> {
    if let Some(&c) = ids.get(key) {
        return Some(c);
    }
    let mut d = Diagnostic::error(
        Kind::UnknownCriterion,
        format!(
            "this {what} names `{}`, which is not the id of any criterion",
            shorten(key)
        ),
        Some(span.clone()),
    );
    let mut sorted = crit_ids.to_vec();
    sorted.sort_unstable();
    d = match did_you_mean(key, &sorted) {
        Some(s) => d
            .with_label(format!("did you mean `{s}`?"))
            .with_help(format!(
                "rename it to `{s}`, or add a criterion with that id"
            )),
        None => d.with_help(format!(
            "use one of the criterion ids: {}",
            sorted.join(", ")
        )),
    };
    sink.push(d);
    None
}
