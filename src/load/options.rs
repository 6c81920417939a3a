//! The diagnostic reader of `[[options]]` tables: every rule of an option,
//! its scores, notes and version-2 parts, with a diagnostic for each way one
//! can be wrong. Large files read most options through [`super::fast`],
//! which falls back to this reader for any piece it cannot take.

use std::collections::HashMap;

use toml::de::{DeTable, DeValue};

use super::fields::{
    checked_name, checked_note, checked_text, criterion_key, read_id, score_problem,
};
use super::{Head, OPTION_KEYS, OptionSpans, OptionsRead, SourceMap};
use crate::diagnostic::{Diagnostic, Kind, did_you_mean};
use crate::model::{AppraisalOption, Id, Published, Scale, ScoreFault, check_score};
use crate::numbers::shorten;
use crate::raw::{At, Sink, Span, Table, number, string};

/// Reads options one at a time, so they can come from several parsed pieces
/// of a large file as well as from one whole document.
pub(super) struct OptionsReader<'h> {
    pub(super) ids: &'h HashMap<&'h str, usize>,
    pub(super) crit_ids: Vec<&'h str>,
    /// Criterion ids by index: keys usually follow this order, and comparing
    /// with the expected id is cheaper than hashing.
    pub(super) order: Vec<Option<&'h str>>,
    pub(super) n_criteria: usize,
    pub(super) scale: Option<&'h Scale>,
    pub(super) head: &'h Head,
    pub(super) seen: HashMap<String, Span>,
    /// Option references used so far, and where.
    pub(super) refs: HashMap<String, Span>,
    /// Where the baseline option is marked, once one is.
    pub(super) baseline: Option<Span>,
    /// Version-2 features the options use, and where.
    pub(super) used: Vec<(String, Span)>,
    pub(super) map: SourceMap,
    pub(super) out: Vec<Option<AppraisalOption>>,
}

impl<'h> OptionsReader<'h> {
    pub(super) fn new(head: &'h Head, ids: &'h HashMap<&'h str, usize>) -> OptionsReader<'h> {
        OptionsReader {
            ids,
            crit_ids: ids.keys().copied().collect(),
            order: head
                .criteria
                .iter()
                .map(|(id, _)| id.as_ref().map(|id| id.as_str()))
                .collect(),
            n_criteria: head.criteria.len(),
            scale: head.scale.as_ref(),
            head,
            seen: HashMap::new(),
            refs: HashMap::new(),
            baseline: None,
            used: Vec::new(),
            map: SourceMap::default(),
            out: Vec::new(),
        }
    }

    /// The options read (`None` where one was invalid), where they are, and
    /// the version-2 features they use.
    pub(super) fn into_parts(self) -> OptionsRead {
        (self.out, self.map, self.used)
    }

    /// The criterion a scores or notes key at position `k` names; a key
    /// that names none is reported (`what` is "score" or "note").
    pub(super) fn key_criterion(
        &self,
        k: usize,
        key: &toml::Spanned<std::borrow::Cow<'_, str>>,
        what: &str,
        sink: &mut Sink<'_>,
    ) -> Option<usize> {
        self.plain_criterion(k, key.get_ref()).or_else(|| {
            criterion_key(
                key.get_ref(),
                &sink.at(key),
                self.ids,
                &self.crit_ids,
                what,
                sink,
            )
        })
    }

    /// The criterion a scores or notes key at position `k` names, if any.
    /// Keys usually follow the criteria's order, so the id expected at that
    /// position is compared before any hashing.
    pub(super) fn plain_criterion(&self, k: usize, key: &str) -> Option<usize> {
        if self.order.get(k).copied().flatten() == Some(key) {
            return Some(k);
        }
        self.ids.get(key).copied()
    }

    /// Reads the next option, the table `entries` whose header is at `span`.
    pub(super) fn read(&mut self, entries: &DeTable<'_>, span: Span, sink: &mut Sink<'_>) {
        let name = format!("option {}", self.out.len() + 1);
        let t = Table {
            entries,
            span,
            name: &name,
        };
        t.check_keys(OPTION_KEYS, sink);
        let id = read_id(&t, &mut self.seen, "option", sink);
        let oname = checked_name(
            t.string("name", Some("\"Option name\""), sink),
            "the name",
            sink,
        );
        let group = checked_name(t.string("group", None, sink), "the group", sink);
        let description = checked_text(t.string("description", None, sink), sink);
        let strengths: Vec<String> = t
            .string_list("strengths", sink)
            .into_iter()
            .filter_map(|s| checked_text(Some(s), sink))
            .collect();
        let weaknesses: Vec<String> = t
            .string_list("weaknesses", sink)
            .into_iter()
            .filter_map(|s| checked_text(Some(s), sink))
            .collect();
        let published = t.number("published_total", None, sink);
        if let Some(p) = &published
            && !p.value.is_finite()
        {
            sink.push(
                Diagnostic::error(
                    Kind::InvalidValue,
                    "`published_total` must be an ordinary finite number",
                    Some(p.span.clone()),
                )
                .with_help("write the total as the source document gives it, such as 33"),
            );
        }

        let mut scores = vec![None; self.n_criteria];
        let scores_table = t.table("scores", "the scores table", sink);
        if let Some(st) = &scores_table {
            for (k, (key, value)) in st.entries.iter().enumerate() {
                let Some(c) = self.key_criterion(k, key, "score", sink) else {
                    continue;
                };
                let Some(v) = number(value, "a score", sink) else {
                    continue;
                };
                let measured = self.head.measured.get(c).copied().unwrap_or(false);
                let scale = self.head.scales.get(c).and_then(Option::as_ref);
                match check_score(measured, scale, v.value) {
                    Ok(score) => scores[c] = Some(score),
                    Err(ScoreFault::Measured) => sink.push(
                        Diagnostic::error(
                            Kind::ScoreForMeasured,
                            format!(
                                "`{}` is a measured criterion, so its score comes from the option's raw value, not from `scores`",
                                shorten(key.get_ref())
                            ),
                            Some(v.span.clone()),
                        )
                        .with_help(format!(
                            "give the raw value instead, under [options.measures]: {} = ...",
                            shorten(key.get_ref())
                        )),
                    ),
                    Err(ScoreFault::NoScale) => {}
                    Err(ScoreFault::OffScale(e)) => {
                        if let Some(scale) = scale {
                            let d = score_problem(key.get_ref(), e, scale, &v.span, sink, "");
                            sink.push(d);
                        }
                    }
                }
            }
        }
        let mut notes = vec![None; self.n_criteria];
        if let Some(nt) = t.table("notes", "the notes table", sink) {
            for (k, (key, value)) in nt.entries.iter().enumerate() {
                let Some(c) = self.key_criterion(k, key, "note", sink) else {
                    continue;
                };
                notes[c] = checked_note(
                    string(value, "a note", sink),
                    "remove the control character from the text",
                    sink,
                );
            }
        }
        let extra = self.read_v2(&t, group.as_deref(), sink);
        self.map.options.push(OptionSpans {
            table: t.span.clone(),
            published_total: published.as_ref().map(|p| p.span.clone()),
            scores: scores_table.as_ref().map(|s| s.span.clone()),
            published_rank: t.get("published_rank").map(|v| sink.at(v)),
            published_percent: t.get("published_percent").map(|v| sink.at(v)),
            published_subtotals: extra.subtotal_spans.clone(),
            screening: t.get("screening").map(|v| sink.at(v)),
        });
        let fields = OptionFields {
            group,
            description,
            strengths,
            weaknesses,
            published: published.map(|p| (p.value, p.span)),
            notes,
            scores,
        };
        let built = match (id, oname) {
            (Some(id), Some(n)) => fields.build(id, &n, sink.text).map(|mut o| {
                extra.apply(&mut o);
                o
            }),
            _ => None,
        };
        self.out.push(built);
    }
}

/// An option's own fields, each already checked by its rule: what both
/// readers of options (this one and [`super::fast`]) make an
/// [`AppraisalOption`] from.
pub(super) struct OptionFields {
    pub(super) group: Option<String>,
    pub(super) description: Option<String>,
    pub(super) strengths: Vec<String>,
    pub(super) weaknesses: Vec<String>,
    /// The published total and where its text is in the file.
    pub(super) published: Option<(f64, Span)>,
    /// One per criterion, checked by [`crate::model::check_note`].
    pub(super) notes: Vec<Option<String>>,
    /// One per criterion, checked by [`check_score`].
    pub(super) scores: Vec<Option<f64>>,
}

impl OptionFields {
    /// The option `id` named `name` with these fields; `text` is the file,
    /// whose published total keeps the precision it is written with. `None`
    /// if the name breaks its rule, which the diagnostic reader has reported.
    pub(super) fn build(self, id: Id, name: &str, text: &str) -> Option<AppraisalOption> {
        let mut o = AppraisalOption::new(id, name, self.scores.len()).ok()?;
        o.group = self.group;
        o.description = self.description;
        o.strengths = self.strengths;
        o.weaknesses = self.weaknesses;
        o.set_published(
            self.published
                .and_then(|(value, span)| Some(Published::written(value, text.get(span)?))),
        );
        o.set_notes_unchecked(self.notes);
        o.set_scores_unchecked(self.scores);
        Some(o)
    }
}

/// The version-2 parts of one option, as read.
#[derive(Default)]
pub(super) struct OptionExtra {
    reference: Option<String>,
    baseline: bool,
    evidence: Vec<(usize, crate::model::Evidence)>,
    measures: Vec<Option<f64>>,
    ranges: Vec<Option<crate::model::value_fn::RawRange>>,
    screening: Vec<Option<crate::model::screening::ScreenResult>>,
    published_rank: Option<u32>,
    published_percent: Option<Published>,
    subtotals: Vec<(usize, Published)>,
    subtotal_spans: Vec<(usize, Span)>,
}

impl OptionExtra {
    fn apply(self, o: &mut AppraisalOption) {
        // Checked as read, so these cannot fail.
        let _ = o.set_reference(self.reference);
        o.set_baseline(self.baseline);
        for (c, e) in self.evidence {
            let _ = o.set_evidence(c, e);
        }
        o.set_measures_unchecked(self.measures);
        o.set_ranges_unchecked(self.ranges);
        o.set_screening(self.screening);
        o.published_rank = self.published_rank;
        o.published_percent = self.published_percent;
        o.set_published_subtotals(self.subtotals);
    }
}

impl OptionsReader<'_> {
    /// Reads an option's reference, baseline mark, evidence, raw values,
    /// screening results and published rank, percentage and subtotals.
    fn read_v2(
        &mut self,
        t: &Table<'_, '_>,
        group: Option<&str>,
        sink: &mut Sink<'_>,
    ) -> OptionExtra {
        use super::v2;
        let mut x = OptionExtra {
            measures: vec![None; self.n_criteria],
            screening: vec![None; self.head.screens.len()],
            ..OptionExtra::default()
        };
        for key in [
            "ref",
            "baseline",
            "evidence",
            "measures",
            "screening",
            "published_rank",
            "published_percent",
            "published_subtotals",
        ] {
            if let Some(v) = t.get(key) {
                let feature = match key {
                    "ref" => "option references (`ref`)",
                    "baseline" => "a baseline option",
                    "evidence" => "evidence for and against",
                    "measures" => "measured values",
                    "screening" => "screening results",
                    _ => "published ranks, percentages and subtotals",
                };
                v2::uses(feature, sink.at(v), &mut self.used);
            }
        }
        if let Some(g) = group
            && !self.head.option_groups.is_empty()
            && !self.head.option_groups.iter().any(|og| og.name == g)
        {
            let names: Vec<&str> = self
                .head
                .option_groups
                .iter()
                .map(|og| og.name.as_str())
                .collect();
            let mut d = Diagnostic::error(
                Kind::UnknownOptionGroup,
                format!(
                    "the group \"{}\" is not one of the option groups declared in [[option_groups]]",
                    shorten(g)
                ),
                t.get("group").map(|v| sink.at(v)),
            );
            d = match did_you_mean(g, &names) {
                Some(s) => d
                    .with_label(format!("did you mean \"{s}\"?"))
                    .with_help(format!(
                        "write group = \"{s}\", or declare the group in [[option_groups]]"
                    )),
                None => d.with_help(format!(
                    "use one of: {}",
                    names
                        .iter()
                        .map(|n| format!("\"{n}\""))
                        .collect::<Vec<_>>()
                        .join(", ")
                )),
            };
            sink.push(d);
        }
        if let Some(r) = v2::read_reference(t, sink) {
            if let Some(first) = self.refs.get(&r.value) {
                let line = sink.line_of(first);
                sink.push(
                    Diagnostic::error(
                        Kind::DuplicateRef,
                        format!(
                            "the option reference \"{}\" is used twice",
                            shorten(&r.value)
                        ),
                        Some(r.span.clone()),
                    )
                    .with_label(format!("already used on line {line}"))
                    .with_help("give each option its own reference, as the source numbers them"),
                );
            } else {
                self.refs.insert(r.value.clone(), r.span.clone());
                x.reference = Some(r.value);
            }
        }
        if let Some(v) = t.get("baseline")
            && let Some(b) = v2::boolean(v, "`baseline`", "baseline = true", sink)
            && b
        {
            let span = sink.at(v);
            match &self.baseline {
                Some(first) => {
                    let line = sink.line_of(first);
                    sink.push(
                        Diagnostic::error(Kind::DuplicateBaseline, "only one option can be the baseline", Some(span))
                            .with_label(format!("the baseline is already marked on line {line}"))
                            .with_help("mark only the business-as-usual (or do-minimum) option with baseline = true"),
                    );
                }
                None => {
                    self.baseline = Some(span);
                    x.baseline = true;
                }
            }
        }
        if let Some(et) = t.table("evidence", "the evidence table", sink) {
            for (k, (key, value)) in et.entries.iter().enumerate() {
                let Some(c) = self.key_criterion(k, key, "evidence", sink) else {
                    continue;
                };
                if let Some(e) = v2::read_evidence(value, key.get_ref(), sink) {
                    x.evidence.push((c, e));
                }
            }
        }
        if let Some(mt) = t.table("measures", "the measures table", sink) {
            for (k, (key, value)) in mt.entries.iter().enumerate() {
                let Some(c) = self.key_criterion(k, key, "measured value", sink) else {
                    continue;
                };
                let (v, range) = match value.get_ref() {
                    DeValue::Table(_) => {
                        let Some((v, r)) = read_range(value, key.get_ref(), sink) else {
                            continue;
                        };
                        (v, Some(r))
                    }
                    _ => match number(value, "a measured value", sink) {
                        Some(v) => (v, None),
                        None => continue,
                    },
                };
                if !self.head.measured.get(c).copied().unwrap_or(false) {
                    sink.push(
                        Diagnostic::error(
                            Kind::NotMeasured,
                            format!("`{}` is not a measured criterion, so it takes a score, not a raw value", shorten(key.get_ref())),
                            Some(v.span.clone()),
                        )
                        .with_help("move it to [options.scores], or make the criterion measured with better = \"lower\" and value = \"linear\" in its [[criteria]] section"),
                    );
                    continue;
                }
                let measure = self
                    .head
                    .criteria
                    .get(c)
                    .and_then(|(_, k)| k.as_ref())
                    .and_then(|k| k.measure());
                if let (Some(m), Some(r)) = (measure, &range)
                    && let Err(e) = m.check_range(r)
                {
                    let help = match e {
                        crate::model::value_fn::RangeError::LowAboveHigh(..) => {
                            "swap them: write the lowest value thought possible as low and the highest as high, such as { low = 2, high = 3 }"
                        }
                        crate::model::value_fn::RangeError::LikelyOutside(_) => {
                            "give a likely value between low and high, or leave likely out to use the midpoint"
                        }
                        crate::model::value_fn::RangeError::NotFinite => {
                            "write low, likely and high as ordinary numbers, such as { low = 2, high = 3 }"
                        }
                        crate::model::value_fn::RangeError::Value(_) => {
                            "narrow the range to values the value function can score, or add a band that covers them"
                        }
                    };
                    sink.push(
                        Diagnostic::error(
                            Kind::InvalidRange,
                            format!(
                                "the range for `{}` cannot be used: {e}",
                                shorten(key.get_ref())
                            ),
                            Some(v.span.clone()),
                        )
                        .with_help(help),
                    );
                    continue;
                }
                if range.is_none()
                    && let Some(m) = measure
                    && let Err(e) = m.check(v.value)
                {
                    let help = match e {
                        crate::model::value_fn::ValueError::NoBand(_) => {
                            "add a band that covers this value (a last band without a test takes any value), or check the value"
                        }
                        crate::model::value_fn::ValueError::NotPositive(_) => {
                            "check the value; a price or cost scored relative to the best must be above zero"
                        }
                        crate::model::value_fn::ValueError::NotFinite => {
                            "write the value as an ordinary number"
                        }
                    };
                    sink.push(
                        Diagnostic::error(
                            Kind::InvalidMeasure,
                            format!(
                                "the value for `{}` cannot be scored: {e}",
                                shorten(key.get_ref())
                            ),
                            Some(v.span.clone()),
                        )
                        .with_help(help),
                    );
                    continue;
                }
                x.measures[c] = Some(v.value);
                if let Some(r) = range {
                    if x.ranges.is_empty() {
                        x.ranges = vec![None; self.n_criteria];
                    }
                    x.ranges[c] = Some(r);
                }
            }
        }
        if let Some(st) = t.table("screening", "the screening table", sink) {
            for (key, value) in st.entries.iter() {
                let Some(&i) = self.head.screen_ids.get(key.get_ref().as_ref()) else {
                    let mut known: Vec<&str> =
                        self.head.screen_ids.keys().map(String::as_str).collect();
                    known.sort_unstable();
                    let mut d = Diagnostic::error(
                        Kind::UnknownScreen,
                        format!(
                            "`{}` is not the id of any screening test",
                            shorten(key.get_ref())
                        ),
                        Some(sink.at(key)),
                    );
                    d = match did_you_mean(key.get_ref(), &known) {
                        Some(s) => d
                            .with_label(format!("did you mean `{s}`?"))
                            .with_help(format!(
                                "rename it to `{s}`, or add a [[screening]] test with that id"
                            )),
                        None if known.is_empty() => d.with_help(
                            "declare the test first: a [[screening]] section with an id and a name",
                        ),
                        None => d.with_help(format!(
                            "use one of the screening test ids: {}",
                            known.join(", ")
                        )),
                    };
                    sink.push(d);
                    continue;
                };
                x.screening[i] = v2::read_screen_result(value, key.get_ref(), sink);
            }
        }
        if let Some(v) = t.get("published_rank") {
            x.published_rank = v2::published_rank(v, sink);
        }
        if let Some(v) = t.get("published_percent") {
            x.published_percent = v2::published(v, "`published_percent`", sink);
        }
        if let Some(pt) = t.table("published_subtotals", "the published subtotals", sink) {
            for (key, value) in pt.entries.iter() {
                let r = At {
                    value: key.get_ref().to_string(),
                    span: sink.at(key),
                };
                let Some(g) = v2::resolve_group(&r, &self.head.group_ids, sink) else {
                    continue;
                };
                if let Some(p) = v2::published(value, "a published subtotal", sink) {
                    x.subtotals.push((g, p));
                    x.subtotal_spans.push((g, sink.at(value)));
                }
            }
        }
        x
    }
}

/// Reads a raw value given as a range, `{ low = 2, high = 3 }` or
/// `{ low = 2, likely = 2.4, high = 3 }`, for criterion `key`: the point
/// estimate (at the whole table's place, for later messages) and the range.
/// Whether low, likely and high agree is checked by the criterion's rules.
fn read_range(
    value: &toml::Spanned<DeValue<'_>>,
    key: &str,
    sink: &mut Sink<'_>,
) -> Option<(At<f64>, crate::model::value_fn::RawRange)> {
    let DeValue::Table(entries) = value.get_ref() else {
        return None;
    };
    let span = sink.at(value);
    let name = format!("the range for `{}`", shorten(key));
    let t = Table {
        entries,
        span: span.clone(),
        name: &name,
    };
    let before = sink.diagnostics.len();
    for k in t.entries.keys() {
        if !RANGE_KEYS.contains(&k.get_ref().as_ref()) {
            let mut d = Diagnostic::error(
                Kind::InvalidRange,
                format!("unknown key `{}` in {name}", shorten(k.get_ref())),
                Some(sink.at(k)),
            );
            d = match did_you_mean(k.get_ref(), RANGE_KEYS) {
                Some(s) => d
                    .with_label(format!("did you mean `{s}`?"))
                    .with_help(format!("rename `{}` to `{s}`", shorten(k.get_ref()))),
                None => d.with_help(
                    "a range takes low and high, and may take likely: write { low = 2, likely = 2.4, high = 3 }",
                ),
            };
            sink.push(d);
        }
    }
    let example = "2, as in { low = 2, high = 3 }";
    let low = t.number("low", Some(example), sink);
    let likely = t.number("likely", None, sink);
    let high = t.number("high", Some(example), sink);
    if sink.diagnostics.len() > before {
        return None;
    }
    let range = crate::model::value_fn::RawRange {
        low: low?.value,
        likely: likely.map(|v| v.value),
        high: high?.value,
    };
    Some((
        At {
            value: range.point(),
            span,
        },
        range,
    ))
}

/// The keys a range of raw values takes.
const RANGE_KEYS: &[&str] = &["low", "likely", "high"];
