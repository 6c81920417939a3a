//! A fast path for reading runs of `[[options]]` tables in large files.
//!
//! Parsing a large appraisal is mostly the TOML parser building a tree of
//! spanned values, which the loader then walks once. This module reads the
//! parser's events instead and keeps only what an option needs: half the
//! work. It handles the plain shape that tools and the TUI write: an
//! `[[options]]` header, then `key = value` lines of text and numbers, then
//! `[options.scores]` and `[options.notes]` tables. Anything else (inline
//! tables, lists, dotted keys, a broken rule, an unknown criterion, a syntax
//! error) makes it give up on the whole piece, and the loader reads that
//! piece the ordinary way, which reports every problem exactly. So the fast
//! path only ever accepts what the ordinary path accepts, with the same
//! result.

use std::borrow::Cow;
use std::ops::Range;

use toml_parser::decoder::{Encoding, IntegerRadix, ScalarKind};
use toml_parser::parser::EventReceiver;
use toml_parser::{ErrorSink, ParseError, Raw, Source, Span};

/// A value on the right of `=`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Scalar<'i> {
    /// A string.
    Text(Cow<'i, str>),
    /// An integer or float, as the ordinary path converts it.
    Number(f64),
    /// A list of strings, such as `strengths`.
    List(Vec<Cow<'i, str>>),
}

/// One `key = value` line: the key, the value and where the value is.
pub(crate) type Entry<'i> = (Cow<'i, str>, Scalar<'i>, Range<usize>);

/// One option's table as written, with positions relative to its piece.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct RawOption<'i> {
    /// The `[[options]]` header.
    pub header: Range<usize>,
    /// The option's own keys.
    pub fields: Vec<Entry<'i>>,
    /// The `[options.scores]` header and its entries.
    pub scores: Option<(Range<usize>, Vec<Entry<'i>>)>,
    /// The `[options.notes]` header and its entries.
    pub notes: Option<(Range<usize>, Vec<Entry<'i>>)>,
}

/// Which table `key = value` lines belong to.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Section {
    Option,
    Scores,
    Notes,
}

/// Collects option tables from parser events, giving up at anything unusual.
struct Collector<'i> {
    source: Source<'i>,
    options: Vec<RawOption<'i>>,
    section: Option<Section>,
    /// Start of the header being read, and its keys so far.
    header: Option<(usize, Vec<Cow<'i, str>>)>,
    /// The key of the line being read.
    key: Option<Cow<'i, str>>,
    /// A list of strings being read: its key, where it starts, its items.
    list: Option<(Cow<'i, str>, usize, Vec<Cow<'i, str>>)>,
    gave_up: bool,
}

impl<'i> Collector<'i> {
    /// The text at `span`, quoted as the event says (a span alone loses that).
    fn raw(&self, span: Span, kind: Option<Encoding>) -> Option<Raw<'i>> {
        let text = self.source.input().get(span.start()..span.end())?;
        Some(Raw::new_unchecked(text, kind, span))
    }

    fn key(
        &self,
        span: Span,
        kind: Option<Encoding>,
        error: &mut dyn ErrorSink,
    ) -> Option<Cow<'i, str>> {
        let raw = self.raw(span, kind)?;
        let mut out: Cow<'i, str> = Cow::Borrowed("");
        raw.decode_key(&mut out, error);
        Some(out)
    }

    fn close_header(&mut self, end: usize, array: bool) {
        let Some((start, keys)) = self.header.take() else {
            self.gave_up = true;
            return;
        };
        let names: Vec<&str> = keys.iter().map(|k| k.as_ref()).collect();
        let span = start..end;
        match (array, names.as_slice()) {
            (true, ["options"]) => {
                self.options.push(RawOption {
                    header: span,
                    ..RawOption::default()
                });
                self.section = Some(Section::Option);
            }
            (false, ["options", table @ ("scores" | "notes")]) => {
                let section = if *table == "scores" {
                    Section::Scores
                } else {
                    Section::Notes
                };
                let Some(option) = self.options.last_mut() else {
                    self.gave_up = true;
                    return;
                };
                let slot = match section {
                    Section::Scores => &mut option.scores,
                    _ => &mut option.notes,
                };
                // The same table twice is an error the ordinary path reports.
                if slot.is_some() || option.fields.iter().any(|(k, _, _)| k == table) {
                    self.gave_up = true;
                    return;
                }
                *slot = Some((span, Vec::new()));
                self.section = Some(section);
            }
            _ => self.gave_up = true,
        }
    }
}

impl<'i> EventReceiver for Collector<'i> {
    fn std_table_open(&mut self, span: Span, _error: &mut dyn ErrorSink) {
        self.header = Some((span.start(), Vec::new()));
    }
    fn std_table_close(&mut self, span: Span, _error: &mut dyn ErrorSink) {
        self.close_header(span.end(), false);
    }
    fn array_table_open(&mut self, span: Span, _error: &mut dyn ErrorSink) {
        self.header = Some((span.start(), Vec::new()));
    }
    fn array_table_close(&mut self, span: Span, _error: &mut dyn ErrorSink) {
        self.close_header(span.end(), true);
    }
    fn inline_table_open(&mut self, _span: Span, _error: &mut dyn ErrorSink) -> bool {
        self.gave_up = true;
        false
    }
    fn array_open(&mut self, span: Span, _error: &mut dyn ErrorSink) -> bool {
        // Only a flat list of strings among an option's own keys.
        match (self.key.take(), &self.list, self.section) {
            (Some(key), None, Some(Section::Option)) => {
                self.list = Some((key, span.start(), Vec::new()));
                true
            }
            _ => {
                self.gave_up = true;
                false
            }
        }
    }
    fn array_close(&mut self, span: Span, _error: &mut dyn ErrorSink) {
        match self.list.take() {
            Some((key, start, items)) => self.push((key, Scalar::List(items), start..span.end())),
            None => self.gave_up = true,
        }
    }
    fn simple_key(&mut self, span: Span, kind: Option<Encoding>, error: &mut dyn ErrorSink) {
        let Some(key) = self.key(span, kind, error) else {
            self.gave_up = true;
            return;
        };
        match &mut self.header {
            Some((_, keys)) => keys.push(key),
            None if self.key.is_none() => self.key = Some(key),
            // A dotted key outside a header.
            None => self.gave_up = true,
        }
    }
    fn scalar(&mut self, span: Span, kind: Option<Encoding>, error: &mut dyn ErrorSink) {
        if self.list.is_some() {
            let item = self.raw(span, kind).map(|raw| {
                let mut out: Cow<'i, str> = Cow::Borrowed("");
                (raw.decode_scalar(&mut out, error), out)
            });
            match (item, &mut self.list) {
                (Some((ScalarKind::String, text)), Some((_, _, items))) => items.push(text),
                _ => self.gave_up = true,
            }
            return;
        }
        let (Some(key), Some(raw)) = (self.key.take(), self.raw(span, kind)) else {
            self.gave_up = true;
            return;
        };
        let mut out: Cow<'i, str> = Cow::Borrowed("");
        let value = match raw.decode_scalar(&mut out, error) {
            ScalarKind::String => Scalar::Text(out),
            ScalarKind::Integer(radix) => {
                let base = match radix {
                    IntegerRadix::Dec => 10,
                    IntegerRadix::Hex => 16,
                    IntegerRadix::Oct => 8,
                    IntegerRadix::Bin => 2,
                };
                // As the ordinary path converts integers (`raw::number`).
                match i64::from_str_radix(&out, base) {
                    Ok(n) => Scalar::Number(n as f64),
                    Err(_) => {
                        self.gave_up = true;
                        return;
                    }
                }
            }
            ScalarKind::Float => match out.parse::<f64>() {
                Ok(x) => Scalar::Number(x),
                Err(_) => {
                    self.gave_up = true;
                    return;
                }
            },
            ScalarKind::Boolean(_) | ScalarKind::DateTime => {
                self.gave_up = true;
                return;
            }
        };
        self.push((key, value, span.start()..span.end()));
    }
    // Comments and line endings get the checks the ordinary path's
    // whitespace validator makes (the parser leaves them to the receiver).
    fn comment(&mut self, span: Span, error: &mut dyn ErrorSink) {
        match self.raw(span, None) {
            Some(raw) => raw.decode_comment(error),
            None => self.gave_up = true,
        }
    }
    fn newline(&mut self, span: Span, _error: &mut dyn ErrorSink) {
        // The only line endings; anything else is for the ordinary path to report.
        let text = self.source.input().as_bytes();
        if !matches!(text.get(span.start()..span.end()), Some(b"\n" | b"\r\n")) {
            self.gave_up = true;
        }
    }
    fn error(&mut self, _span: Span, _error: &mut dyn ErrorSink) {
        self.gave_up = true;
    }
}

impl<'i> Collector<'i> {
    /// Adds a finished `key = value` line to the table being read.
    fn push(&mut self, entry: Entry<'i>) {
        let Some(option) = self.options.last_mut() else {
            self.gave_up = true;
            return;
        };
        match self.section {
            Some(Section::Option) => option.fields.push(entry),
            Some(Section::Scores) => match &mut option.scores {
                Some((_, entries)) => entries.push(entry),
                None => self.gave_up = true,
            },
            Some(Section::Notes) => match &mut option.notes {
                Some((_, entries)) => entries.push(entry),
                None => self.gave_up = true,
            },
            None => self.gave_up = true,
        }
    }
}

/// The option tables of `text`, which must start with an `[[options]]`
/// header; `None` if the piece holds anything this module does not read.
pub(crate) fn collect(text: &str) -> Option<Vec<RawOption<'_>>> {
    let source = Source::new(text);
    let tokens = source.lex().into_vec();
    let mut collector = Collector {
        source,
        options: Vec::new(),
        section: None,
        header: None,
        key: None,
        list: None,
        gave_up: false,
    };
    let mut errors: Vec<ParseError> = Vec::new();
    toml_parser::parser::parse_document(&tokens, &mut collector, &mut errors);
    if collector.gave_up
        || !errors.is_empty()
        || collector.key.is_some()
        || collector.list.is_some()
    {
        return None;
    }
    Some(collector.options)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_options_are_collected_with_their_positions() {
        let text = "[[options]]\nid = \"a\" # the first\nname = 'A'\npublished_total = 1_0\n[options.scores]\nc1 = 3\n\"c2\" = 2.5\n[options.notes]\nc1 = \"Why \\u00e9\"\n\n[[options]]\nid = \"b\"\n";
        let got = collect(text).expect("plain options");
        assert_eq!(got.len(), 2);
        let a = &got[0];
        assert_eq!(&text[a.header.clone()], "[[options]]");
        assert_eq!(a.fields[0].0, "id");
        assert_eq!(a.fields[0].1, Scalar::Text("a".into()));
        assert_eq!(&text[a.fields[0].2.clone()], "\"a\"");
        assert_eq!(a.fields[2].1, Scalar::Number(10.0));
        let (scores_header, scores) = a.scores.as_ref().expect("scores");
        assert_eq!(&text[scores_header.clone()], "[options.scores]");
        assert_eq!(scores[1].0, "c2");
        assert_eq!(scores[1].1, Scalar::Number(2.5));
        let (_, notes) = a.notes.as_ref().expect("notes");
        assert_eq!(notes[0].1, Scalar::Text("Why é".into()));
        assert_eq!(got[1].fields.len(), 1);
        let listed =
            collect("[[options]]\nstrengths = [\n  \"a\", # one\n  'b',\n]\n").expect("a list");
        assert_eq!(
            listed[0].fields[0].1,
            Scalar::List(vec!["a".into(), "b".into()])
        );
    }

    #[test]
    fn anything_unusual_gives_up() {
        for text in [
            "[[options]]\nscores = { c1 = 3 }\n",
            "[[options]]\nstrengths = [\"x\", [\"y\"]]\n",
            "[[options]]\nstrengths = [\"x\", 1]\n",
            "[[options]]\n[options.scores]\nc1 = [1]\n",
            "[[options]]\nscores.c1 = 3\n",
            "[[options]]\nok = true\n",
            "[[options]]\nid = \"a\"\n[options.scores]\n[options.scores]\n",
            "[[options]]\nid = \"a\"\n[criteria]\n",
            "[[options]]\nid = \n",
            "[[options]]\nn = 99999999999999999999\n",
            "[[options]]\nid = \"a\" # \u{1}\n",
            "[[options]]\nid = \"a\"\r",
            "[[options]]\nid = \"a\"\rname = \"b\"\n",
            "id = \"a\"\n",
        ] {
            assert_eq!(collect(text), None, "{text:?}");
        }
    }
}
