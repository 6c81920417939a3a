//! A report that writers take block by block, with the annex built a few
//! options at a time as it is written.
//!
//! The annex has a table per option, so for a large appraisal it is most of
//! the report: 10,000 options of 100 criteria is a million rows. Building it
//! whole before writing held every cell of it in memory at once, several
//! times over. A [`ReportStream`] holds everything before the annex as
//! ordinary [`Block`]s, and the annex as the list of options it covers; its
//! blocks are made by the same code ([`Annex`]) when [`ReportStream::runs`]
//! reaches them, a run of options at a time on every core while the writer
//! writes the run before, and are dropped once written. The blocks and their
//! order are exactly those of [`ReportStream::into_report`], so every format
//! writes the same report whichever way it is built.

use std::borrow::Cow;
use std::collections::BTreeSet;
use std::sync::OnceLock;

use rayon::prelude::*;

use super::doc::{Block, Chart, Numbering, Report, ReportTable};
use super::tables::{self, ANNEX_HEADING, Annex, TableName};
use super::{ExportError, ExportOptions, Numberer, missing_name, table_names};
use crate::compute::Results;
use crate::model::Appraisal;

/// About how many table rows one run of the annex holds: enough to keep
/// every core busy, few enough that a run's tables and their written form
/// take a few megabytes.
const RUN_ROWS: usize = 16_384;

/// A report ready to write: the blocks before the annex, built, and the
/// annex's tables, built as they are written (see the module notes).
#[derive(Debug)]
pub struct ReportStream<'a> {
    report: Cow<'a, Report>,
    annex: Option<AnnexPart<'a>>,
    wide: OnceLock<Vec<bool>>,
}

/// The part of the annex an export includes.
#[derive(Debug)]
struct AnnexPart<'a> {
    annex: Annex<'a>,
    /// The options whose tables are included, in file order.
    entries: Vec<Entry>,
    /// Options per run.
    run: usize,
}

/// One option's table in the annex: which option, its caption number and
/// any title the officer gave it.
#[derive(Debug)]
struct Entry {
    option: usize,
    number: Numbering,
    title: Option<String>,
}

impl<'a> From<&'a Report> for ReportStream<'a> {
    /// A report already built, with nothing left to stream.
    fn from(report: &'a Report) -> Self {
        ReportStream {
            report: Cow::Borrowed(report),
            annex: None,
            wide: OnceLock::new(),
        }
    }
}

impl From<Report> for ReportStream<'_> {
    fn from(report: Report) -> Self {
        ReportStream {
            report: Cow::Owned(report),
            annex: None,
            wide: OnceLock::new(),
        }
    }
}

impl<'a> ReportStream<'a> {
    /// The report for the selected tables and charts: the same report as
    /// [`super::build`] gives, with the annex left to be built as it is
    /// written.
    pub fn new(
        appraisal: &'a Appraisal,
        results: &'a Results,
        options: &ExportOptions,
    ) -> Result<ReportStream<'a>, ExportError> {
        let all = options.tables.is_all();
        let mut groups = BTreeSet::new();
        let mut keys = BTreeSet::new();
        for e in options.tables.entries() {
            match e.parse::<TableName>() {
                Ok(g) => {
                    groups.insert(g);
                }
                Err(()) if e == "all" => {}
                Err(()) => {
                    keys.insert(e.as_str());
                }
            }
        }
        let mut report = tables::frame(appraisal);
        let mut found: BTreeSet<String> = BTreeSet::new();
        // Groups are independent, and for a large appraisal the sensitivity
        // analyses take seconds: build them side by side. The annex, always
        // last, is built as it is written.
        let eager: Vec<TableName> = TableName::ALL
            .into_iter()
            .filter(|&g| g != TableName::Annex)
            .collect();
        let built: Vec<Option<Result<Vec<Block>, ExportError>>> = eager
            .par_iter()
            .map(|&g| {
                let wanted = all || groups.contains(&g) || !keys.is_empty();
                wanted.then(|| tables::group_blocks(appraisal, results, g, options))
            })
            .collect();
        for (g, blocks) in eager.into_iter().zip(built) {
            let whole = all || groups.contains(&g);
            let Some(blocks) = blocks else {
                continue;
            };
            let blocks = blocks?;
            if whole {
                report.blocks.extend(blocks);
                continue;
            }
            // Only named tables or charts from this group, under its heading
            // and any sub-heading of their own.
            let mut heading = None;
            let mut subheading = None;
            for b in blocks {
                let key = match &b {
                    Block::Table(t) => t.key.clone(),
                    Block::Chart(c) => c.key.clone(),
                    Block::Heading(_) => {
                        heading = Some(b);
                        continue;
                    }
                    Block::Subheading(_) => {
                        subheading = Some(b);
                        continue;
                    }
                    Block::Paragraph(_) => continue,
                };
                if keys.contains(key.as_str()) {
                    found.insert(key);
                    if let Some(h) = heading.take() {
                        report.blocks.push(h);
                    }
                    if let Some(h) = subheading.take() {
                        report.blocks.push(h);
                    }
                    report.blocks.push(b);
                }
            }
        }
        let annex = Annex::new(appraisal, results);
        let whole = all || groups.contains(&TableName::Annex);
        let chosen: Vec<usize> = (0..annex.len())
            .filter(|&i| {
                whole
                    || annex
                        .key(i)
                        .is_some_and(|k| keys.contains(k.as_str()) && found.insert(k))
            })
            .collect();
        if let Some(missing) = keys.into_iter().find(|k| !found.contains(*k)) {
            return Err(missing_name(appraisal, results, options, missing));
        }
        for b in &mut report.blocks {
            if let Block::Table(t) = b {
                t.align_decimals();
            }
        }
        let mut numbers = Numberer::new(&options.captions);
        for b in &mut report.blocks {
            numbers.number(b);
        }
        let mut entries = Vec::with_capacity(chosen.len());
        for i in chosen {
            let Some(key) = annex.key(i) else { continue };
            let (number, title) = numbers.next(&key, false);
            entries.push(Entry {
                option: i,
                number,
                title: title.map(str::to_string),
            });
        }
        if let Err(name) = numbers.unused() {
            // A caption for a table that exists but was not selected is fine:
            // officers keep one list of captions for every export.
            if !table_names(appraisal, results, options).contains(&name) {
                return Err(missing_name(appraisal, results, options, &name));
            }
        }
        let run = (RUN_ROWS / (appraisal.criteria().len() + 1)).max(1);
        Ok(ReportStream {
            report: Cow::Owned(report),
            annex: (!entries.is_empty()).then_some(AnnexPart {
                annex,
                entries,
                run,
            }),
            wide: OnceLock::new(),
        })
    }

    /// The document title.
    pub fn title(&self) -> &str {
        &self.report.title
    }

    /// The appraisal the report was made from, for a program to read back.
    pub fn origin(&self) -> Option<&super::doc::Origin> {
        self.report.origin.as_ref()
    }

    /// The lines under the title.
    pub fn byline(&self) -> &[String] {
        &self.report.byline
    }

    /// The blocks before the annex (all of them for a report with no annex).
    pub fn blocks(&self) -> &[Block] {
        &self.report.blocks
    }

    /// Every chart in reading order. Charts all come before the annex, which
    /// holds only tables.
    pub fn charts(&self) -> impl Iterator<Item = &Chart> {
        self.report.charts()
    }

    /// How many tables the report holds.
    pub fn table_count(&self) -> usize {
        self.report.tables().count() + self.annex.as_ref().map_or(0, |p| p.entries.len())
    }

    /// The key of every table, in reading order.
    pub fn table_keys(&self) -> Vec<String> {
        let mut keys: Vec<String> = self.report.tables().map(|t| t.key.clone()).collect();
        if let Some(p) = &self.annex {
            keys.extend(p.entries.iter().filter_map(|e| p.annex.key(e.option)));
        }
        keys
    }

    /// About how many cells the report's tables hold: those before the
    /// annex counted, the annex's from its first table (each option's has
    /// the same rows and columns).
    pub fn cells(&self) -> usize {
        let cells = |t: &ReportTable| t.rows.len() * t.columns.len();
        let before: usize = self.report.tables().map(cells).sum();
        let annex = self.annex.as_ref().map_or(0, |p| {
            let first = p.entries.first().and_then(|e| p.table(e));
            first.map_or(0, |t| cells(&t) * p.entries.len())
        });
        before + annex
    }

    /// Hands every block to `each` in reading order, a run at a time: first
    /// the blocks before the annex, then the annex a run of options at a time,
    /// each run built on every core while `each` writes the one before.
    pub fn runs<E>(&self, mut each: impl FnMut(&[Block]) -> Result<(), E>) -> Result<(), E> {
        each(&self.report.blocks)?;
        let Some(part) = &self.annex else {
            return Ok(());
        };
        let chunks: Vec<&[Entry]> = part.entries.chunks(part.run).collect();
        let mut next = chunks.first().map(|c| part.build(c, true));
        for k in 0..chunks.len() {
            let current = next.take().unwrap_or_default();
            let mut built = None;
            let following = chunks.get(k + 1).copied();
            let written = rayon::in_place_scope(|s| {
                if let Some(c) = following {
                    s.spawn(|_| built = Some(part.build(c, false)));
                }
                each(&current)
            });
            written?;
            next = built;
        }
        Ok(())
    }

    /// For each section (the blocks before the first heading, then each
    /// heading and what follows it up to the next), whether it holds a table
    /// that needs a landscape page ([`ReportTable::is_wide`]).
    pub fn wide_sections(&self) -> &[bool] {
        self.wide.get_or_init(|| {
            let mut wide = vec![false];
            for b in &self.report.blocks {
                match b {
                    Block::Heading(_) => wide.push(false),
                    Block::Table(t) if t.is_wide() => {
                        if let Some(w) = wide.last_mut() {
                            *w = true;
                        }
                    }
                    _ => {}
                }
            }
            if let Some(p) = &self.annex {
                // The annex opens with its heading. Building its tables twice
                // (here and when written) costs less than holding them all.
                wide.push(
                    p.entries
                        .par_iter()
                        .any(|e| p.table(e).is_some_and(|t| t.is_wide())),
                );
            }
            wide
        })
    }

    /// The whole report, with the annex built.
    pub fn into_report(self) -> Report {
        let mut report = self.report.into_owned();
        if let Some(p) = &self.annex {
            report.blocks.extend(p.build(&p.entries, true));
        }
        report
    }
}

impl AnnexPart<'_> {
    /// The table of one entry, numbered and titled as the report has it.
    fn table(&self, e: &Entry) -> Option<ReportTable> {
        let mut t = self.annex.table(e.option)?;
        Self::finish(&mut t, e);
        Some(t)
    }

    fn finish(t: &mut ReportTable, e: &Entry) {
        t.align_decimals();
        t.number = Some(e.number);
        if let Some(title) = &e.title {
            t.title.clone_from(title);
        }
    }

    /// The blocks of `entries` (after the annex's heading when `first`),
    /// built on every core.
    fn build(&self, entries: &[Entry], first: bool) -> Vec<Block> {
        let per: Vec<Option<[Block; 2]>> = entries
            .par_iter()
            .map(|e| {
                let mut blocks = self.annex.blocks(e.option)?;
                if let [_, Block::Table(t)] = &mut blocks {
                    Self::finish(t, e);
                }
                Some(blocks)
            })
            .collect();
        let mut out = Vec::with_capacity(2 * entries.len() + 1);
        if first {
            out.push(Block::Heading(ANNEX_HEADING.into()));
        }
        out.extend(per.into_iter().flatten().flatten());
        out
    }
}
