//! Reading a parsed TOML tree, with the position of every value, while
//! collecting every problem instead of stopping at the first.
//!
//! This is the loose layer between TOML text and the validated model: it knows
//! which keys exist and what type each holds, and nothing about appraisal rules.

use std::ops::Range;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::diagnostic::{Diagnostic, Kind, did_you_mean};
use crate::numbers::shorten;

/// A byte range in the source text.
pub type Span = Range<usize>;

/// A value paired with where it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct At<T> {
    /// The value.
    pub value: T,
    /// Where it is in the file.
    pub span: Span,
}

/// Collects diagnostics while the tree is read.
#[derive(Debug)]
pub struct Sink<'s> {
    /// The text being read, for turning positions into line numbers in messages.
    pub text: &'s str,
    /// Where the piece being read starts in `text`; added to every position.
    pub offset: usize,
    /// Everything found so far, in the order found.
    pub diagnostics: Vec<Diagnostic>,
}

impl<'s> Sink<'s> {
    /// An empty sink for diagnostics about `text`.
    pub fn new(text: &'s str) -> Sink<'s> {
        Sink {
            text,
            offset: 0,
            diagnostics: Vec::new(),
        }
    }

    /// Where `v` is in the whole text.
    pub fn at<T>(&self, v: &Spanned<T>) -> Span {
        let s = v.span();
        s.start + self.offset..s.end + self.offset
    }

    /// The 1-based line a position falls on.
    pub fn line_of(&self, span: &Span) -> usize {
        crate::diagnostic::line_col(self.text, span.start).0
    }

    /// Records a diagnostic.
    pub fn push(&mut self, d: Diagnostic) {
        self.diagnostics.push(d);
    }

    /// Records an error of `kind` at `span`, with `help` saying what to do.
    pub fn error(
        &mut self,
        span: Span,
        kind: Kind,
        message: impl Into<String>,
        help: impl Into<String>,
    ) {
        self.push(Diagnostic::error(kind, message, Some(span)).with_help(help));
    }

    /// Reports `v` as a value of the wrong type: "{what} must be {want},
    /// not {its type}", with `help` saying how to write it.
    pub fn wrong_type(&mut self, v: &Spanned<DeValue<'_>>, what: &str, want: &str, help: String) {
        let message = format!("{what} must be {want}, not {}", type_name(v.get_ref()));
        self.error(self.at(v), Kind::WrongType, message, help);
    }

    /// Whether any error (not warning) has been recorded.
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// Describes a TOML value's type the way a non-programmer would.
pub fn type_name(v: &DeValue<'_>) -> &'static str {
    match v {
        DeValue::String(_) => "text",
        DeValue::Integer(_) => "a whole number",
        DeValue::Float(_) => "a number",
        DeValue::Boolean(_) => "true/false",
        DeValue::Datetime(_) => "a date",
        DeValue::Array(_) => "a list",
        DeValue::Table(_) => "a table",
    }
}

/// Advice for a value written as a percentage (`40%`), by what it is for.
pub fn percent_help(what: &str) -> String {
    if what.contains("weight") {
        "a weight is a number, as in `weight = 40` or `weight = 0.4`; write it without the % sign (only the weights' proportions matter, so 40, 30, 30 and 0.4, 0.3, 0.3 give the same ranking)".to_string()
    } else {
        format!("write {what} as a plain number, without the % sign")
    }
}

/// Where a syntax error at `offset` is a number written with a `%` sign
/// (`weight = 40%`), the key it was written for (`weight`).
pub fn percent_key(text: &str, offset: usize) -> Option<&str> {
    let rest = text.get(offset..)?;
    let token_len = rest
        .find(|c: char| c.is_whitespace() || matches!(c, ',' | '}' | ']' | '#'))
        .unwrap_or(rest.len());
    let number = rest[..token_len].strip_suffix('%')?;
    number.trim().parse::<f64>().ok()?;
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let before = text[line_start..offset].trim_end().strip_suffix('=')?;
    let key = before
        .rsplit(|c: char| c.is_whitespace() || matches!(c, '{' | ',' | '.'))
        .find(|k| !k.is_empty())?;
    Some(key.trim_matches('"'))
}

/// Reads a TOML number (integer or float) as `f64`.
///
/// Text that looks like a number is refused with a hint, since `"4"` in quotes
/// is a common slip in hand-edited files. An integer beyond 64 bits is refused
/// too: TOML requires it, and such a value could never be written back.
pub fn number(v: &Spanned<DeValue<'_>>, what: &str, sink: &mut Sink<'_>) -> Option<At<f64>> {
    let span = sink.at(v);
    let parsed = match v.get_ref() {
        DeValue::Integer(i) => match i64::from_str_radix(i.as_str(), i.radix()) {
            Ok(n) => Some(n as f64),
            Err(_) => {
                let written = sink.text.get(span.clone()).unwrap_or(i.as_str());
                sink.push(
                    Diagnostic::error(
                        Kind::NumberTooLarge,
                        format!(
                            "{} is too large for a whole number: TOML allows whole numbers from {} to {}",
                            shorten(written),
                            i64::MIN,
                            i64::MAX
                        ),
                        Some(span),
                    )
                    .with_label("too large")
                    .with_help(format!(
                        "check {what} for a typing error; a value this large is almost always one"
                    )),
                );
                return None;
            }
        },
        DeValue::Float(f) => f.as_str().parse::<f64>().ok(),
        DeValue::String(s) => {
            let trimmed = s.trim();
            let hint = if trimmed.parse::<f64>().is_ok() {
                format!("remove the quotes: write {trimmed} rather than \"{s}\"")
            } else if trimmed
                .strip_suffix('%')
                .is_some_and(|n| n.trim().parse::<f64>().is_ok())
            {
                percent_help(what)
            } else {
                format!("write {what} as a number, such as 3")
            };
            sink.push(
                Diagnostic::error(
                    Kind::WrongType,
                    format!("{what} must be a number, not text"),
                    Some(span),
                )
                .with_label("this is text")
                .with_help(hint),
            );
            return None;
        }
        _ => {
            sink.wrong_type(
                v,
                what,
                "a number",
                format!("write {what} as a number, such as 3"),
            );
            return None;
        }
    };
    match parsed {
        Some(value) => Some(At { value, span }),
        None => {
            sink.push(
                Diagnostic::error(
                    Kind::WrongType,
                    format!("{what} is not a number this tool can read"),
                    Some(span),
                )
                .with_help("write an ordinary decimal number, such as 3 or 2.5"),
            );
            None
        }
    }
}

/// Reads a TOML string.
pub fn string(v: &Spanned<DeValue<'_>>, what: &str, sink: &mut Sink<'_>) -> Option<At<String>> {
    match v.get_ref() {
        DeValue::String(s) => Some(At {
            value: s.to_string(),
            span: sink.at(v),
        }),
        _ => {
            sink.wrong_type(
                v,
                what,
                "text",
                format!("put {what} in double quotes, like \"...\""),
            );
            None
        }
    }
}

/// A table being read, remembering where it is and what to call it in messages.
#[derive(Clone)]
pub struct Table<'t, 'i> {
    /// The table's entries.
    pub entries: &'t DeTable<'i>,
    /// Where the table is (its header, or the whole inline table).
    pub span: Span,
    /// How to refer to it in messages, e.g. "[scale]" or "criterion 3".
    pub name: &'t str,
}

impl<'t, 'i> Table<'t, 'i> {
    /// The raw value under `key`.
    pub fn get(&self, key: &str) -> Option<&'t Spanned<DeValue<'i>>> {
        self.entries.get(key)
    }

    /// Reports every key not in `known`, suggesting the nearest known key.
    pub fn check_keys(&self, known: &[&str], sink: &mut Sink<'_>) {
        for key in self.entries.keys() {
            let k: &str = key.get_ref();
            if known.contains(&k) {
                continue;
            }
            let mut d = Diagnostic::error(
                Kind::UnknownKey,
                format!("unknown key `{}` in {}", shorten(k), self.name),
                Some(sink.at(key)),
            );
            const SECTIONS: &[&str] = &["appraisal", "scale", "criteria", "options"];
            if SECTIONS.contains(&k) && !self.name.starts_with("the top level") {
                let header = if matches!(k, "criteria" | "options") {
                    format!("[[{k}]]")
                } else {
                    format!("[{k}]")
                };
                sink.push(d.with_help(format!(
                    "`{k}` is a section of its own, not a key of {}: write {header} on a line of its own, with its keys on the lines below it (see docs/format.md)",
                    self.name
                )));
                continue;
            }
            match did_you_mean(k, known) {
                Some(s) => {
                    d = d
                        .with_label(format!("did you mean `{s}`?"))
                        .with_help(format!("rename `{}` to `{s}`", shorten(k)));
                }
                None => {
                    d = d.with_help(format!(
                        "remove it; the keys allowed here are: {}",
                        known.join(", ")
                    ));
                }
            }
            sink.push(d);
        }
    }

    /// Reports a missing required key at the table's position.
    pub fn missing(&self, key: &str, example: &str, sink: &mut Sink<'_>) {
        // A misspelt key is already reported with a suggestion to rename it.
        let misspelt = self
            .entries
            .keys()
            .any(|k| did_you_mean(k.get_ref(), &[key]).is_some());
        if misspelt {
            return;
        }
        sink.push(
            Diagnostic::error(
                Kind::MissingKey,
                format!("{} is missing the required key `{key}`", self.name),
                Some(self.span.clone()),
            )
            .with_help(format!("add a line such as: {key} = {example}")),
        );
    }

    /// Reads a text value; reports it if required and absent.
    pub fn string(
        &self,
        key: &str,
        required: Option<&str>,
        sink: &mut Sink<'_>,
    ) -> Option<At<String>> {
        self.read(key, required, sink, string)
    }

    /// Reads a number; reports it if required and absent.
    pub fn number(
        &self,
        key: &str,
        required: Option<&str>,
        sink: &mut Sink<'_>,
    ) -> Option<At<f64>> {
        self.read(key, required, sink, number)
    }

    /// Reads `key` with `read`; when it is absent, reports it if `required`
    /// (an example value for the help).
    fn read<T>(
        &self,
        key: &str,
        required: Option<&str>,
        sink: &mut Sink<'_>,
        read: impl FnOnce(&Spanned<DeValue<'i>>, &str, &mut Sink<'_>) -> Option<T>,
    ) -> Option<T> {
        match self.get(key) {
            Some(v) => read(v, &format!("`{key}`"), sink),
            None => {
                if let Some(example) = required {
                    self.missing(key, example, sink);
                }
                None
            }
        }
    }

    /// Reads a list of text values; absent means empty.
    pub fn string_list(&self, key: &str, sink: &mut Sink<'_>) -> Vec<At<String>> {
        let Some(v) = self.get(key) else {
            return Vec::new();
        };
        match v.get_ref() {
            DeValue::Array(items) => items
                .iter()
                .filter_map(|item| string(item, &format!("each entry of `{key}`"), sink))
                .collect(),
            _ => {
                sink.wrong_type(
                    v,
                    &format!("`{key}`"),
                    "a list of text",
                    format!("write {key} = [\"first\", \"second\"]"),
                );
                Vec::new()
            }
        }
    }

    /// Reads a sub-table (inline or `[a.b]` form); absent gives `None`.
    pub fn table(&self, key: &str, name: &'t str, sink: &mut Sink<'_>) -> Option<Table<'t, 'i>> {
        let v = self.get(key)?;
        match v.get_ref() {
            DeValue::Table(t) => Some(Table {
                entries: t,
                span: sink.at(v),
                name,
            }),
            _ => {
                sink.wrong_type(
                    v,
                    &format!("`{key}` in {}", self.name),
                    "a table",
                    format!("write {key} = {{ ... }} or start a [{key}] section"),
                );
                None
            }
        }
    }

    /// Reads an array of tables (`[[key]]`); absent gives `None`.
    pub fn array_of_tables(
        &self,
        key: &str,
        sink: &mut Sink<'_>,
    ) -> Option<Vec<(&'t DeTable<'i>, Span)>> {
        let v = self.get(key)?;
        match v.get_ref() {
            DeValue::Array(items) => {
                let mut out = Vec::with_capacity(items.len());
                for item in items.iter() {
                    match item.get_ref() {
                        DeValue::Table(t) => out.push((t, sink.at(item))),
                        _ => sink.wrong_type(
                            item,
                            &format!("each entry of `{key}`"),
                            "a table",
                            format!("start each entry with a [[{key}]] line"),
                        ),
                    }
                }
                Some(out)
            }
            DeValue::Table(_) => {
                sink.push(
                    Diagnostic::error(
                        Kind::WrongType,
                        format!("`{key}` must be a list of tables, written [[{key}]], not a single [{key}] table"),
                        Some(sink.at(v)),
                    )
                    .with_help(format!("use double brackets: [[{key}]] before each entry")),
                );
                None
            }
            _ => {
                sink.wrong_type(
                    v,
                    &format!("`{key}`"),
                    "a list of tables",
                    format!("start each entry with a [[{key}]] line"),
                );
                None
            }
        }
    }
}
