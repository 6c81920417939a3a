//! Large files: read in pieces, and plain option tables read from the
//! parser's events.
//!
//! Files of [`PIECES_MIN_BYTES`] or more are split at `[[options]]` lines
//! and the pieces parsed in parallel ([`read_in_pieces`]). Parsing a large
//! appraisal is mostly the TOML parser building a tree of spanned values,
//! which the loader then walks once, so a piece's options are first read
//! from the parser's events instead ([`collect`]), keeping only what an
//! option needs: half the work. That handles the plain shape that tools and
//! the TUI write: an `[[options]]` header, then `key = value` lines of text
//! and numbers, then `[options.scores]` and `[options.notes]` tables.
//! Anything else (inline tables, dotted keys, a broken rule, an unknown
//! criterion, a syntax error) makes it give up on the whole piece, and the
//! piece is read the ordinary way ([`super::options`]), which reports every
//! problem exactly. So this path only ever accepts what the ordinary path
//! accepts, with the same result.

use std::borrow::Cow;
use std::ops::Range;

use rayon::prelude::*;
use toml::de::{DeTable, DeValue};
use toml_parser::decoder::{Encoding, IntegerRadix, ScalarKind};
use toml_parser::parser::EventReceiver;
use toml_parser::{ErrorSink, ParseError, Raw, Source, Span};

use super::options::{OptionFields, OptionsReader};
use super::{Built, OptionSpans, criterion_ids, finish, read_head, read_whole};
use crate::model::{AppraisalOption, Id, check_name, check_note, check_score, check_text};
use crate::raw::{Sink, Table};

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

/// Files smaller than this are parsed whole; splitting only pays off for large ones.
pub(super) const PIECES_MIN_BYTES: usize = 4 << 20;

/// Roughly how much text each piece holds.
pub(super) const PIECE_BYTES: usize = 1 << 20;

/// Reads a large file in pieces: the part before the first `[[options]]` line,
/// then runs of options, each parsed on its own (in parallel) and checked in order.
///
/// TOML parsing dominates loading, and its cost grows faster than the file:
/// small pieces stay in the processor's caches and use two cores. The result is
/// the same as reading the whole document, because a piece that starts at an
/// `[[options]]` line can only add options. Anything that would make the pieces
/// differ from the whole (a split inside a multi-line string leaves a piece
/// that fails to parse; a later piece holding anything but options) returns
/// `None`, and the caller reads the whole document instead, with exact errors.
pub(super) fn read_in_pieces(text: &str) -> Option<Built> {
    if text.len() < PIECES_MIN_BYTES {
        return None;
    }
    read_pieces_of(text, PIECE_BYTES)
}

/// [`read_in_pieces`] with a chosen piece size, for any file size.
pub(super) fn read_pieces_of(text: &str, piece_bytes: usize) -> Option<Built> {
    let pieces = option_pieces(text, piece_bytes);
    let first = pieces.first()?.start;
    let head_tree = DeTable::parse(&text[..first]).ok()?;
    if head_tree.get_ref().contains_key("options") {
        return None;
    }
    let mut sink = Sink::new(text);
    let root = Table {
        entries: head_tree.get_ref(),
        span: 0..0,
        name: "the top level of the file",
    };
    let head = read_head(&root, &mut sink);
    let ids = criterion_ids(&head);
    let mut reader = OptionsReader::new(&head, &ids);
    // A few pieces per thread at a time keeps memory to a few parse trees, and
    // the next group is parsed while this one is checked.
    let batch = 2 * rayon::current_num_threads().max(1);
    let groups: Vec<&[std::ops::Range<usize>]> = pieces.chunks(batch).collect();
    // Plain option tables are read from the parser's events; anything else
    // gets the full tree.
    let parse = |group: &[std::ops::Range<usize>]| -> Vec<Parsed<'_>> {
        group
            .par_iter()
            .map(|r| match collect(&text[r.clone()]) {
                Some(options) => Parsed::Plain(options),
                None => Parsed::Tree(DeTable::parse(&text[r.clone()]).ok()),
            })
            .collect()
    };
    let mut trees = groups.first().map(|g| parse(g)).unwrap_or_default();
    for (k, group) in groups.iter().enumerate() {
        let next = groups.get(k + 1);
        let current = std::mem::take(&mut trees);
        // The trees are dropped inside the check, so freeing them overlaps
        // the next parse instead of following it.
        let (checked, next_trees) = rayon::join(
            || -> Option<()> {
                for (range, parsed) in group.iter().zip(current) {
                    let tree = match parsed {
                        Parsed::Plain(options)
                            if reader.read_plain(&options, text, range.start) =>
                        {
                            continue;
                        }
                        // Something breaks a rule: read the piece again with
                        // spans for every value, to say exactly what.
                        Parsed::Plain(_) => DeTable::parse(&text[range.clone()]).ok(),
                        Parsed::Tree(tree) => tree,
                    };
                    let entries = tree.as_ref()?.get_ref();
                    let (Some(options), 1) = (entries.get("options"), entries.len()) else {
                        return None;
                    };
                    let DeValue::Array(items) = options.get_ref() else {
                        return None;
                    };
                    sink.offset = range.start;
                    for item in items.iter() {
                        let DeValue::Table(t) = item.get_ref() else {
                            return None;
                        };
                        let span = sink.at(item);
                        reader.read(t, span, &mut sink);
                    }
                }
                Some(())
            },
            || next.map(|g| parse(g)),
        );
        checked?;
        trees = next_trees.unwrap_or_default();
    }
    sink.offset = 0;
    let read = reader.into_parts();
    Some(match finish(head, read, &mut sink) {
        Some((appraisal, map)) if !sink.has_errors() => Ok((appraisal, map, sink.diagnostics)),
        _ => Err(sink.diagnostics),
    })
}

/// Whether reading `text` in pieces of about `piece_bytes`, as large files are
/// read, gives exactly what reading it whole gives (or declines, leaving it
/// to the whole-file path). For the fuzz targets, which check it on every
/// input with small pieces so that small files exercise the large-file path.
#[doc(hidden)]
pub fn pieces_agree(text: &str, piece_bytes: usize) -> bool {
    match read_pieces_of(text, piece_bytes) {
        None => true,
        Some(pieces) => pieces == read_whole(text),
    }
}

/// A piece of a large file after the parallel step.
pub(super) enum Parsed<'i> {
    /// Plain option tables, read from the parser's events.
    Plain(Vec<RawOption<'i>>),
    /// The full tree (`None` if the piece does not parse on its own).
    Tree(Option<toml::Spanned<DeTable<'i>>>),
}

/// Byte ranges of runs of options, each starting at an `[[options]]` line and
/// holding about `piece_bytes`; empty if the file has no such line.
///
/// A piece ends at the first `[[options]]` line at least `piece_bytes` after
/// its start, so only a little text past each boundary is searched.
pub(super) fn option_pieces(text: &str, piece_bytes: usize) -> Vec<std::ops::Range<usize>> {
    let mut pieces = Vec::new();
    let Some(mut start) = options_line(text, 0) else {
        return pieces;
    };
    while let Some(next) = options_line(text, start + piece_bytes.max(1)) {
        pieces.push(start..next);
        start = next;
    }
    pieces.push(start..text.len());
    pieces
}

/// The start of the first line at or after byte `from` that is `[[options]]`
/// after any spaces or tabs.
pub(super) fn options_line(text: &str, from: usize) -> Option<usize> {
    const HEADER: &[u8] = b"[[options]]";
    let bytes = text.as_bytes();
    let mut at = from;
    while at < bytes.len() {
        let found = at
            + bytes
                .get(at..)?
                .windows(HEADER.len())
                .position(|w| w == HEADER)?;
        let line = bytes[..found]
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |nl| nl + 1);
        if line >= from && bytes[line..found].iter().all(|&b| b == b' ' || b == b'\t') {
            return Some(line);
        }
        at = found + 1;
    }
    None
}

impl OptionsReader<'_> {
    /// Reads a piece's options from their plain tables (see [`collect`])
    /// if every one keeps every rule, as [`OptionsReader::read`] would find
    /// them. Otherwise it changes nothing and returns false, and the caller
    /// reads the piece the ordinary way, which says exactly what is wrong.
    pub(super) fn read_plain(
        &mut self,
        options: &[RawOption<'_>],
        text: &str,
        offset: usize,
    ) -> bool {
        if !self.head.plain() {
            return false;
        }
        let mut fresh: std::collections::HashMap<String, Range<usize>> =
            std::collections::HashMap::new();
        let mut built = Vec::with_capacity(options.len());
        for raw in options {
            let Some((option, spans, id_span)) = self.plain_option(raw, text, offset, &fresh)
            else {
                return false;
            };
            fresh.insert(option.id().to_string(), id_span);
            built.push((option, spans));
        }
        self.seen.extend(fresh);
        for (option, spans) in built {
            self.out.push(Some(option));
            self.map.options.push(spans);
        }
        true
    }

    /// One option from its plain table, or `None` at the first broken rule;
    /// `fresh` holds the ids of this piece's earlier options.
    fn plain_option(
        &self,
        raw: &RawOption<'_>,
        whole: &str,
        offset: usize,
        fresh: &std::collections::HashMap<String, Range<usize>>,
    ) -> Option<(AppraisalOption, OptionSpans, Range<usize>)> {
        // Without a common scale the head has failed; the ordinary path says why.
        self.scale?;
        let at = |r: &Range<usize>| r.start + offset..r.end + offset;
        let mut text: [Option<(&str, Range<usize>)>; 4] = [None, None, None, None];
        let mut published = None;
        let mut lists: [Option<Vec<String>>; 2] = [None, None];
        for (key, value, span) in &raw.fields {
            let slot = match key.as_ref() {
                "strengths" | "weaknesses" => {
                    let slot = usize::from(key == "weaknesses");
                    let (Scalar::List(items), None) = (value, &lists[slot]) else {
                        return None;
                    };
                    let mut checked = Vec::with_capacity(items.len());
                    for item in items {
                        check_text(item).ok()?;
                        checked.push(item.to_string());
                    }
                    lists[slot] = Some(checked);
                    continue;
                }
                "id" => 0,
                "name" => 1,
                "group" => 2,
                "description" => 3,
                "published_total" => {
                    match value {
                        Scalar::Number(x) if x.is_finite() && published.is_none() => {
                            published = Some((*x, at(span)));
                        }
                        _ => return None,
                    }
                    continue;
                }
                _ => return None,
            };
            let (Scalar::Text(t), None) = (value, &text[slot]) else {
                return None;
            };
            text[slot] = Some((t.as_ref(), at(span)));
        }
        let [id, name, group, description] = text;
        let (id_text, id_span) = id?;
        let id = Id::new(id_text).ok()?;
        if self.seen.contains_key(id.as_str()) || fresh.contains_key(id.as_str()) {
            return None;
        }
        let group = match group {
            Some((g, _)) => Some(check_name(g).ok().map(|()| g.to_string())?),
            None => None,
        };
        let description = match description {
            Some((d, _)) => Some(check_text(d).ok().map(|()| d.to_string())?),
            None => None,
        };
        let mut scores = vec![None; self.n_criteria];
        for (k, (key, value, _)) in raw.scores.iter().flat_map(|(_, e)| e.iter().enumerate()) {
            let c = self.plain_criterion(k, key)?;
            let (Scalar::Number(v), None) = (value, scores.get(c)?) else {
                return None;
            };
            let measured = self.head.measured.get(c).copied().unwrap_or(false);
            let scale = self.head.scales.get(c).and_then(Option::as_ref);
            scores[c] = Some(check_score(measured, scale, *v).ok()?);
        }
        let mut notes = vec![None; self.n_criteria];
        let mut noted = vec![false; self.n_criteria];
        for (k, (key, value, _)) in raw.notes.iter().flat_map(|(_, e)| e.iter().enumerate()) {
            let c = self.plain_criterion(k, key)?;
            let (Scalar::Text(t), false) = (value, noted.get(c).copied()?) else {
                return None;
            };
            noted[c] = true;
            notes[c] = check_note(t).ok()?.map(str::to_owned);
        }
        let [strengths, weaknesses] = lists;
        let fields = OptionFields {
            group,
            description,
            strengths: strengths.unwrap_or_default(),
            weaknesses: weaknesses.unwrap_or_default(),
            published: published.clone(),
            notes,
            scores,
        };
        let option = fields.build(id, name?.0, whole)?;
        let spans = OptionSpans {
            table: at(&raw.header),
            published_total: published.map(|p| p.1),
            scores: raw.scores.as_ref().map(|(header, _)| at(header)),
            ..OptionSpans::default()
        };
        Some((option, spans, id_span))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::EXAMPLE;

    use crate::synth::{Spec, appraisal_toml};

    fn synthetic(options: usize) -> String {
        appraisal_toml(Spec {
            options,
            criteria: 6,
            notes: true,
            seed: 11,
        })
    }

    #[test]
    fn pieces_give_the_same_appraisal_as_the_whole() {
        let text = synthetic(300);
        let whole = read_whole(&text).expect("valid");
        for piece in [1, 500, 4000, 1 << 20] {
            let pieces = read_pieces_of(&text, piece)
                .expect("splits")
                .expect("valid");
            assert_eq!(pieces, whole, "piece size {piece}");
        }
    }

    #[test]
    fn plain_and_unusual_option_tables_read_as_the_whole_file_does() {
        let head = "[appraisal]\ntitle = \"T\"\n[scale]\nmin = 0\nmax = 10\nstep = 0.5\n\n[[criteria]]\nid = \"a\"\nname = \"A\"\nweight = 2\n[[criteria]]\nid = \"b-2\"\nname = \"B\"\n[[criteria]]\nid = \"c\"\nname = \"C\"\n";
        let options = [
            // Plain: quoted keys, literal strings, escapes, comments, `_` in numbers.
            "[[options]]\nid = 'p1' # first\nname = \"Caf\\u00e9 \\\"one\\\"\"\ngroup = \"G\"\ndescription = \"\"\"two\nlines\"\"\"\nstrengths = [\"S1\", 'S2',]\nweaknesses = []\npublished_total = 1_0\n[options.scores]\n\"b-2\" = 7.5\na = 3\n[options.notes]\nc = \"  \"\na = 'Why: \\no escape'\n",
            "[[options]]\r\nid = \"p2\"\r\nname = \"Two\"\r\n[options.scores]\r\na = 0\r\nb-2 = 10\r\nc = 5\r\n",
            "[[options]]\nid = \"p3\"\nname = \"No scores\"\n",
            // Unusual: read through the tree.
            "[[options]]\nid = \"u1\"\nname = \"Inline\"\nscores = { a = 1, c = 2 }\nstrengths = [\"s\"]\n",
            "[[options]]\nid = \"u2\"\nname = \"Dotted\"\nscores.a = 4\nnotes.b-2 = \"n\"\n",
        ];
        // The bundled example, with lists of strengths and comments, in pieces.
        let example = read_whole(EXAMPLE).expect("valid");
        for piece in [1, 3000] {
            let pieces = read_pieces_of(EXAMPLE, piece).expect("splits");
            assert_eq!(pieces.expect("valid"), example, "piece size {piece}");
        }
        let text = format!("{head}\n{}", options.join("\n"));
        let whole = read_whole(&text).expect("valid");
        assert_eq!(whole.0.options().len(), 5);
        for piece in [1, 200, 1 << 20] {
            let pieces = read_pieces_of(&text, piece)
                .expect("splits")
                .expect("valid");
            assert_eq!(pieces, whole, "piece size {piece}");
        }
        // Each rule broken in a plain table gives the whole file's messages.
        for (from, to) in [
            ("a = 3\n", "a = 3.2\n"),
            ("a = 3\n", "a = 3\na = 4\n"),
            ("a = 3\n", "d = 3\n"),
            ("id = \"p2\"", "id = \"p1\""),
            ("id = \"p2\"", "id = \"P 2\""),
            ("name = \"Two\"", "name = \"T\\u0007\""),
            ("published_total = 1_0", "published_total = \"10\""),
            ("'S2'", "\"S\\u0001\""),
            ("'S2'", "2"),
            ("weaknesses = []", "weaknesses = \"w\""),
            ("group = \"G\"", "group = \"G\"\ncolour = \"red\""),
            ("name = \"No scores\"\n", ""),
        ] {
            let broken = text.replacen(from, to, 1);
            let whole = read_whole(&broken).expect_err(to);
            // `None` (a duplicate key is a syntax error) means the caller reads the whole file.
            if let Some(pieces) = read_pieces_of(&broken, 1) {
                assert_eq!(pieces.expect_err(to), whole, "{to:?}");
            }
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]

        /// Any line of a plain file replaced by something odd (a wrong type,
        /// an off-scale score, a bad id, an unknown key, a stray table) reads
        /// in pieces exactly as the whole file does: the plain path accepts
        /// only what the tree path accepts, and yields the same result.
        #[test]
        fn edited_files_read_in_pieces_as_whole(
            edits in proptest::collection::vec((0..2000usize, 0..EDITS.len()), 1..4),
        ) {
            let text = synthetic(12);
            let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
            for (line, edit) in edits {
                let at = line % lines.len();
                let key = lines[at].split('=').next().unwrap_or("").trim().to_string();
                lines[at] = EDITS[edit].replace("KEY", if key.is_empty() { "k" } else { &key });
            }
            let edited = lines.join("\n");
            let whole = read_whole(&edited);
            if let Some(pieces) = read_pieces_of(&edited, 1) {
                proptest::prop_assert_eq!(pieces, whole);
            }
        }
    }

    /// Replacement lines for the property above; `KEY` keeps the line's key.
    const EDITS: &[&str] = &[
        "KEY = 4",
        "KEY = 4.5",
        "KEY = 9",
        "KEY = -1",
        "KEY = 1e3",
        "KEY = inf",
        "KEY = 0x3",
        "KEY = \"3\"",
        "KEY = true",
        "KEY = 1979-05-27",
        "KEY = \"Text\\u0007\"",
        "KEY = \"  \"",
        "KEY = 'literal'",
        "KEY = [1, 2]",
        "KEY = [\"a\", 'b']",
        "strengths = [\"a\"]",
        "KEY = { a = 1 }",
        "c1 = 2",
        "c99 = 2",
        "id = \"o1\"",
        "id = \"Bad Id\"",
        "published_total = 12",
        "colour = \"red\"",
        "[options.scores]",
        "[options.notes]",
        "[options.other]",
        "[[options]]",
        "# a comment",
        "",
    ];

    #[test]
    fn pieces_give_the_same_errors_at_the_same_places() {
        let text = synthetic(200)
            .replace("id = \"o150\"", "id = \"o3\"")
            .replace("c2 = 4\nc3", "c2 = 9\nc3")
            .replacen("[options.notes]", "[options.notes]\nbogus = \"x\"", 1);
        let whole = read_whole(&text).expect_err("invalid");
        assert!(whole.len() > 3, "{whole:?}");
        assert!(whole.iter().any(|d| d.kind == "duplicate-id"));
        let pieces = read_pieces_of(&text, 3000)
            .expect("splits")
            .expect_err("invalid");
        assert_eq!(pieces, whole);
    }

    #[test]
    fn anything_but_options_in_a_later_piece_reads_the_whole_file() {
        // A table after the options belongs to the document as a whole.
        let text = synthetic(50).replace("[scale]\nmin = 0\nmax = 5\n", "")
            + "\n[scale]\nmin = 0\nmax = 5\n";
        assert!(read_pieces_of(&text, 100).is_none());
        assert!(read_whole(&text).is_ok());
    }

    #[test]
    fn pieces_start_only_at_options_header_lines() {
        let text = "a = \"[[options]]\"\n  [[options]]\nid = \"x\"\n[[options]]\nid = \"y\"\n";
        let first = text.find("  [[options]]").expect("indented header");
        let second = text.rfind("[[options]]").expect("second header");
        // Text that merely contains the header is not a header line.
        assert_eq!(options_line(text, 0), Some(first));
        // Searching from inside a header line finds the next one.
        assert_eq!(options_line(text, first + 3), Some(second));
        assert_eq!(options_line(text, second + 1), None);
        // Each piece runs to the first header at least `piece_bytes` on.
        assert_eq!(
            option_pieces(text, 1),
            vec![first..second, second..text.len()]
        );
        assert_eq!(option_pieces(text, 1000), vec![first..text.len()]);
        assert!(option_pieces("id = 1\n", 1).is_empty());
    }

    #[test]
    fn a_split_inside_a_multi_line_string_reads_the_whole_file() {
        let text = synthetic(50).replacen(
            "name = \"Option 7\"",
            "name = \"Option 7\"\ndescription = \"\"\"\n[[options]]\nnot a header\"\"\"",
            1,
        );
        assert!(read_pieces_of(&text, 1).is_none());
        let whole = read_whole(&text).expect("valid");
        assert!(
            whole.0.options()[6]
                .description
                .as_deref()
                .is_some_and(|d| d.contains("[[options]]"))
        );
    }

    #[test]
    fn a_syntax_error_in_a_piece_reads_the_whole_file_for_an_exact_message() {
        let text = synthetic(50).replacen("c4 = ", "c4 = = ", 1);
        assert!(read_pieces_of(&text, 100).is_none());
        let e = read_whole(&text).expect_err("invalid");
        assert_eq!(e[0].kind, "syntax");
    }

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
