//! The format-neutral report: tables, charts and text, built once and then
//! rendered by one writer per format.
//!
//! Nothing here knows about appraisals. Any feature that wants report output
//! (the appraisal tables in [`super::tables`], a panel's disagreement tables)
//! builds a [`Report`] of [`Block`]s and hands it to the writers in
//! [`super::markdown`], [`super::html`], [`super::csv`], [`super::xlsx`] and
//! [`super::docx`]. Text in these types is plain and unescaped; every writer
//! escapes it for its own format.

use serde::Serialize;

/// A whole report: a title, some lines under it, and blocks in reading order.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Report {
    /// The document title (the appraisal's title).
    pub title: String,
    /// Short lines shown under the title: organisation, date, source.
    pub byline: Vec<String>,
    /// The content in reading order.
    pub blocks: Vec<Block>,
    /// The appraisal the report was made from, for a program to read back.
    #[serde(skip)]
    pub origin: Option<Origin>,
}

/// The ids and details behind a report's names, which its tables do not
/// show. Writers for people leave this out; the workbook keeps it on a
/// hidden sheet so that `appraise import` gives back the same ids (which
/// scoresheets and `appraise diff` match by) and details.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Origin {
    /// The appraisal's details in file order, as (key, text): `title`,
    /// `organisation`, `date`, `source`, `description` where given.
    pub details: Vec<(String, String)>,
    /// Each criterion's (id, name), in file order.
    pub criteria: Vec<(String, String)>,
    /// Each option's (id, name), in file order.
    pub options: Vec<(String, String)>,
    /// Each criteria group's (id, name), in file order (version 2).
    pub groups: Vec<(String, String)>,
    /// Each screening test's (id, name), in file order (version 2).
    pub screens: Vec<(String, String)>,
    /// The file format's version (1 or 2).
    pub version: u8,
    /// What the visible tables do not hold, for `appraise import` to read
    /// back exactly (value functions, published figures, ranges, ...).
    pub carried: Vec<crate::carried::Record>,
}

/// One piece of a report.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum Block {
    /// A section heading.
    Heading(String),
    /// A sub-section heading inside a section, such as one option of the
    /// annex (Heading 2 in Word, so it shows in the navigation pane).
    Subheading(String),
    /// A paragraph of plain text.
    Paragraph(String),
    /// A table.
    Table(ReportTable),
    /// A chart.
    Chart(Chart),
}

impl Report {
    /// Every table in reading order.
    pub fn tables(&self) -> impl Iterator<Item = &ReportTable> {
        self.blocks.iter().filter_map(|b| match b {
            Block::Table(t) => Some(t),
            _ => None,
        })
    }

    /// Every chart in reading order.
    pub fn charts(&self) -> impl Iterator<Item = &Chart> {
        self.blocks.iter().filter_map(|b| match b {
            Block::Chart(c) => Some(c),
            _ => None,
        })
    }
}

/// Horizontal alignment of a column's cells.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Align {
    /// Text columns.
    #[default]
    Left,
    /// Numbers.
    Right,
    /// Short codes and marks.
    Centre,
}

/// A column: its header and how its cells sit.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Column {
    /// Header text.
    pub header: String,
    /// Alignment of the column's cells.
    pub align: Align,
    /// Whether the column holds long prose that should wrap (notes, descriptions).
    pub wide: bool,
    /// The unit of the column's figures, such as "0 to 5" for scores, for
    /// formats that show bare numbers under the header (CSV).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// The short code a narrow writer heads the column with ("C2"), where
    /// the column holds one criterion's figures and the table's criteria
    /// columns are not simply in criterion order (a grouped score matrix).
    #[serde(skip)]
    pub code: Option<String>,
    /// Whether the column shows a step of the working that the table's
    /// notes also explain (a criterion's share of its group, its group's
    /// share), which a terminal short of room leaves out.
    #[serde(skip)]
    pub working: bool,
    /// Whether the column repeats what other cells say (the published
    /// totals, which the totals' remarks give wherever they differ), which
    /// a terminal leaves out rather than break words to fit it.
    #[serde(skip)]
    pub repeats: bool,
    /// A shorter header for a writer short of room ("Total"), and the
    /// sentence its key adds to say what the full header did ("Totals are
    /// out of 40.").
    #[serde(skip)]
    pub short: Option<(String, String)>,
}

impl Column {
    /// A left-aligned text column.
    pub fn text(header: impl Into<String>) -> Column {
        Column {
            header: header.into(),
            align: Align::Left,
            wide: false,
            unit: None,
            code: None,
            working: false,
            repeats: false,
            short: None,
        }
    }

    /// A left-aligned column of long, wrapping prose.
    pub fn prose(header: impl Into<String>) -> Column {
        Column {
            header: header.into(),
            align: Align::Left,
            wide: true,
            unit: None,
            code: None,
            working: false,
            repeats: false,
            short: None,
        }
    }

    /// The column with the code a narrow writer heads it with.
    pub fn with_code(mut self, code: impl Into<String>) -> Column {
        self.code = Some(code.into());
        self
    }

    /// The column with a shorter header and the sentence that says what it
    /// leaves out (see [`Column::short`]).
    pub fn with_short(mut self, header: impl Into<String>, key: impl Into<String>) -> Column {
        self.short = Some((header.into(), key.into()));
        self
    }

    /// The column marked as repeating other cells (see [`Column::repeats`]).
    pub fn as_repeating(mut self) -> Column {
        self.repeats = true;
        self
    }

    /// The column marked as a step of the working (see [`Column::working`]).
    pub fn as_working(mut self) -> Column {
        self.working = true;
        self
    }

    /// The column with the unit of its figures.
    pub fn with_unit(mut self, unit: impl Into<String>) -> Column {
        self.unit = Some(unit.into());
        self
    }

    /// A right-aligned numeric column.
    pub fn number(header: impl Into<String>) -> Column {
        Column {
            header: header.into(),
            align: Align::Right,
            wide: false,
            unit: None,
            code: None,
            working: false,
            repeats: false,
            short: None,
        }
    }
}

/// What a cell holds. Numbers keep both their value (for spreadsheets) and the
/// text people see (for documents), so every format shows the same figure.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Value {
    /// Nothing at all.
    Empty,
    /// A value that does not exist yet, such as an unscored cell: shown as a
    /// dash in documents and left blank in CSV and spreadsheets.
    Missing,
    /// Plain text; it may contain newlines.
    Text {
        /// The text.
        text: String,
    },
    /// A list of short items (strengths, weaknesses), one per line; with more
    /// than one item, text formats put a bullet (•) before each.
    List {
        /// The items.
        items: Vec<String>,
    },
    /// A score's free note with the points of evidence for (+) and against
    /// (–) it (the review's Annex 1). Text formats show a line per point
    /// after the note; HTML makes the points a list.
    Evidence {
        /// The free note, if any.
        #[serde(skip_serializing_if = "Option::is_none")]
        note: Option<String>,
        /// Points for the score.
        #[serde(rename = "for")]
        for_: Vec<String>,
        /// Points against the score.
        against: Vec<String>,
    },
    /// A number.
    Number {
        /// The value, stored as a number in spreadsheets.
        value: f64,
        /// How it reads in documents.
        display: String,
    },
    /// A percentage; `value` is on the 0-100 scale.
    Percent {
        /// The percentage, 0-100.
        value: f64,
        /// How it reads in documents, such as `82.5%`.
        display: String,
    },
    /// A total out of a maximum, read as "T/max".
    OutOf {
        /// The total.
        value: f64,
        /// The maximum possible.
        max: f64,
        /// How it reads in documents, such as `33/40`.
        display: String,
    },
}

impl Value {
    /// Plain text.
    pub fn text(s: impl Into<String>) -> Value {
        Value::Text { text: s.into() }
    }

    /// The text a document shows for this value (without any remark).
    pub fn display(&self) -> String {
        match self {
            Value::Empty => String::new(),
            Value::Missing => "–".into(),
            Value::Text { text } => text.clone(),
            Value::List { items } if items.len() > 1 => items
                .iter()
                .map(|i| format!("• {i}"))
                .collect::<Vec<_>>()
                .join("\n"),
            Value::List { items } => items.join("\n"),
            Value::Evidence {
                note,
                for_,
                against,
            } => {
                let mut lines: Vec<String> = note.iter().cloned().collect();
                lines.extend(for_.iter().map(|p| format!("+ {p}")));
                lines.extend(against.iter().map(|p| format!("– {p}")));
                lines.join("\n")
            }
            Value::Number { display, .. }
            | Value::Percent { display, .. }
            | Value::OutOf { display, .. } => display.clone(),
        }
    }

    /// The number behind the value, if it is numeric.
    pub fn number(&self) -> Option<f64> {
        match self {
            Value::Number { value, .. }
            | Value::Percent { value, .. }
            | Value::OutOf { value, .. } => Some(*value),
            _ => None,
        }
    }

    /// How many decimals the value's figure shows ("12.86" two, "33/40"
    /// none): a spreadsheet shows the number with as many, so a column
    /// reads as it does in the other formats once its decimals are aligned
    /// ([`ReportTable::align_decimals`]).
    pub fn shown_decimals(&self) -> usize {
        figure_text(self).map_or(0, decimals)
    }
}

/// One cell: a value and an optional short remark shown after it in brackets,
/// such as "26/40 (published as 24)". A table note explains each remark.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Cell {
    /// What the cell holds.
    pub value: Value,
    /// A short remark, shown after the value in brackets.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub remark: Option<String>,
    /// What the figure is in terms of the score matrix, so a spreadsheet
    /// can derive it by formula from the matrix's cells instead of storing
    /// a copy that would go stale when a score or weight is edited.
    #[serde(skip)]
    pub live: Option<Live>,
    /// A published figure the live figure is checked against (its remark
    /// then follows the matrix too).
    #[serde(skip)]
    pub published: Option<Box<PublishedCheck>>,
}

/// A figure derived from the scores and weights. Options and criteria are
/// counted in file order from zero.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Live {
    /// An option's score on a criterion.
    Score {
        /// The option.
        option: usize,
        /// The criterion.
        criterion: usize,
    },
    /// A criterion's weight.
    Weight {
        /// The criterion.
        criterion: usize,
    },
    /// A criterion's share of the total weight.
    Share {
        /// The criterion.
        criterion: usize,
    },
    /// An option's score times its criterion's weight.
    WeightedScore {
        /// The option.
        option: usize,
        /// The criterion.
        criterion: usize,
    },
    /// An option's weighted total.
    Total {
        /// The option.
        option: usize,
    },
    /// An option's rank by total.
    Rank {
        /// The option.
        option: usize,
    },
    /// Where an option's total sits between the lowest and highest possible totals.
    Percent {
        /// The option.
        option: usize,
    },
    /// The sum of the weights.
    TotalWeight,
    /// A criterion's effective weight: its weight × its group's share
    /// (its weight as written outside any group).
    EffectiveWeight {
        /// The criterion.
        criterion: usize,
    },
    /// An option's subtotal for a criteria group.
    Subtotal {
        /// The option.
        option: usize,
        /// The group, in file order.
        group: usize,
    },
    /// A measured criterion's raw value for an option.
    Raw {
        /// The option.
        option: usize,
        /// The criterion.
        criterion: usize,
    },
    /// A criterion's weight as a share of the weights in its group (0-1).
    ShareOfGroup {
        /// The criterion.
        criterion: usize,
    },
    /// A criteria group's weight as written.
    GroupWeight {
        /// The group, in file order.
        group: usize,
    },
    /// A criteria group's weight as a share of its siblings' (0-1).
    GroupShareOfParent {
        /// The group, in file order.
        group: usize,
    },
    /// A criteria group's effective weight as a share of the total weight (0-1).
    GroupShare {
        /// The group, in file order.
        group: usize,
    },
    /// A criteria group's highest possible subtotal.
    MaxSubtotal {
        /// The group, in file order.
        group: usize,
    },
    /// An option's score on a criterion as points on the appraisal's scale.
    Points {
        /// The option.
        option: usize,
        /// The criterion.
        criterion: usize,
    },
    /// An option's total less the baseline option's.
    VsBaseline {
        /// The option.
        option: usize,
        /// The baseline option.
        baseline: usize,
    },
    /// An option's subtotal for a group less the baseline option's.
    SubtotalVsBaseline {
        /// The option.
        option: usize,
        /// The group, in file order.
        group: usize,
        /// The baseline option.
        baseline: usize,
    },
}

/// A figure the source published for a live cell, so that a spreadsheet
/// can say "published as …" only while the live figure disagrees with it.
#[derive(Debug, Clone, PartialEq)]
pub struct PublishedCheck {
    /// The published figure, in the live figure's units after `scale`.
    pub value: f64,
    /// How far the live figure × `scale` may be from it and still agree.
    pub allowance: f64,
    /// What multiplies the live figure before comparing (100 for a percentage
    /// held as a fraction).
    pub scale: f64,
    /// The remark while they disagree, such as "published as 43".
    pub remark: String,
}

/// A figure inside a table note that a spreadsheet can keep live: the
/// note's text shows it as `shown`, and it is `live` in terms of the matrix.
#[derive(Debug, Clone, PartialEq)]
pub struct NoteFigure {
    /// Which note (an index into [`ReportTable::notes`]).
    pub note: usize,
    /// The figure as the note's text shows it, such as `8`.
    pub shown: String,
    /// What the figure is.
    pub live: Live,
}

impl Cell {
    /// A cell holding `value` with no remark.
    pub fn new(value: Value) -> Cell {
        Cell {
            value,
            remark: None,
            live: None,
            published: None,
        }
    }

    /// Says what the figure is in terms of the score matrix (see [`Live`]).
    pub fn with_live(mut self, live: Live) -> Cell {
        self.live = Some(live);
        self
    }

    /// Checks the live figure against a published one (see [`PublishedCheck`]).
    pub fn with_published(mut self, check: PublishedCheck) -> Cell {
        self.published = Some(Box::new(check));
        self
    }

    /// A plain text cell.
    pub fn text(s: impl Into<String>) -> Cell {
        Cell::new(Value::text(s))
    }

    /// An empty cell.
    pub fn empty() -> Cell {
        Cell::new(Value::Empty)
    }

    /// Adds a remark to the cell.
    pub fn with_remark(mut self, remark: impl Into<String>) -> Cell {
        self.remark = Some(remark.into());
        self
    }

    /// The full text a document shows: the value, then any remark in brackets.
    pub fn display(&self) -> String {
        let v = self.value.display();
        match &self.remark {
            Some(r) if v.is_empty() => format!("({r})"),
            Some(r) => format!("{v} ({r})"),
            None => v,
        }
    }
}

/// How a row is presented.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RowKind {
    /// An ordinary row.
    #[default]
    Body,
    /// A total row, shown in bold.
    Total,
    /// A row of parameters above the body, such as the weights over a score
    /// matrix, shown in italics.
    Parameters,
    /// A heading over the rows that follow it, such as an option group and
    /// its description (the review's Table 4), shown in bold on a shaded
    /// row instead of repeating the group on every row.
    Heading,
}

/// One table row.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Row {
    /// How the row is shown.
    pub kind: RowKind,
    /// One cell per column (a short row is padded with empty cells).
    pub cells: Vec<Cell>,
}

impl Row {
    /// An ordinary row.
    pub fn body(cells: Vec<Cell>) -> Row {
        Row {
            kind: RowKind::Body,
            cells,
        }
    }

    /// A heading row over the rows that follow it (see [`RowKind::Heading`]).
    pub fn heading(cells: Vec<Cell>) -> Row {
        Row {
            kind: RowKind::Heading,
            cells,
        }
    }
}

/// A weighted sum that spreadsheets should keep live: each body row's total is
/// the SUMPRODUCT of the weight row and the row's scores, and the rank column
/// ranks the totals. Indices count from zero.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WeightedSum {
    /// The row (index into [`ReportTable::rows`]) that holds the weights.
    pub weight_row: usize,
    /// The rows whose totals are weighted sums.
    pub rows: std::ops::Range<usize>,
    /// The columns holding weights and scores.
    pub columns: std::ops::Range<usize>,
    /// The column that holds each row's total.
    pub total_column: usize,
    /// The column that holds each row's rank by total, if any.
    pub rank_column: Option<usize>,
    /// The option (in file order) each of `rows` holds, so other tables can
    /// refer to its cells.
    pub options: Vec<usize>,
    /// The scale's lowest score, highest score and step, for checking
    /// entries and for the lowest and highest possible totals.
    pub scale: (f64, f64, f64),
    /// The lowest and highest possible totals now.
    pub totals: (f64, f64),
    /// The word the total column's header starts with, before "(of N)".
    pub total_label: String,
    /// The column of totals a source document published, if any.
    pub published_column: Option<usize>,
    /// For each of `rows`, how far its total may be from its published
    /// figure and still agree with it (the figure's own precision; see
    /// [`crate::model::Published::allowance`]); 0 where none was published.
    pub published_allowance: Vec<f64>,
    /// A version-2 matrix's structure: criteria groups, each criterion's
    /// own scale and measured values. `columns` then spans every criterion,
    /// raw-value and subtotal column, and `weight_row` holds each
    /// criterion's weight within its group.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub grouped: Option<Box<GroupedSum>>,
}

/// How a version-2 score matrix's totals are made, for spreadsheets that
/// keep them live: each score becomes a value from 0 to 1 on its
/// criterion's own scale, then points on the appraisal's scale, weighted by
/// its effective weight (its weight × its group's share).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupedSum {
    /// One entry per criterion, in file order.
    pub criteria: Vec<SumCriterion>,
    /// The criteria groups, in file order.
    pub groups: Vec<SumGroup>,
    /// The row that holds the effective weights, where it differs from the
    /// weight row (the file has groups).
    pub effective_row: Option<usize>,
    /// The row that names each column's criteria group, if the table has one.
    pub group_row: Option<usize>,
    /// The appraisal's scale (lowest, highest), which totals are counted in.
    pub points: (f64, f64),
}

/// One criterion of a [`GroupedSum`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SumCriterion {
    /// The criterion's name.
    pub name: String,
    /// The column of its scores.
    pub column: usize,
    /// The column of its raw values, for a measured criterion.
    pub raw_column: Option<usize>,
    /// Its own scale: lowest, highest, step.
    pub scale: (f64, f64, f64),
    /// The group it sits in directly.
    pub group: Option<usize>,
    /// How a raw value becomes its score, for a measured criterion.
    pub measure: Option<crate::model::value_fn::Measure>,
}

/// One criteria group of a [`GroupedSum`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SumGroup {
    /// The group's name.
    pub name: String,
    /// The group it sits in.
    pub parent: Option<usize>,
    /// Its weight relative to its siblings, as written.
    pub weight: f64,
    /// The column of its subtotals.
    pub column: usize,
}

/// Tables wanting more characters across than this print on landscape pages.
pub const WIDE_TABLE_CHARS: usize = 100;

/// A table ready for any format.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReportTable {
    /// A stable name used for file names, sheet names and `--tables`, such as
    /// `ranking` or `annex-shared-service`.
    pub key: String,
    /// The caption, such as "Ranking of options".
    pub title: String,
    /// A short name for worksheet tabs, such as "Ranking"; the title is used
    /// when there is none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub short_name: Option<String>,
    /// An optional sentence shown before the table.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub intro: Option<String>,
    /// The columns, with their headers.
    pub columns: Vec<Column>,
    /// The rows.
    pub rows: Vec<Row>,
    /// The column that names each row (marked up as a row header in HTML and
    /// kept in view when a spreadsheet scrolls), if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub row_header: Option<usize>,
    /// Notes shown under the table, explaining remarks and marks.
    pub notes: Vec<String>,
    /// Figures in the notes that follow the scores and weights in a live
    /// spreadsheet, such as the sum of the weights.
    #[serde(skip)]
    pub note_figures: Vec<NoteFigure>,
    /// Live weighted totals for spreadsheets, where the table has them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub weighted_sum: Option<WeightedSum>,
    /// The caption's number ("Table 5"), given when the report is numbered.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub number: Option<Numbering>,
    /// The columns that hold one criterion each, in criterion order, where
    /// they are not a weighted sum's (see [`ReportTable::with_coded_criteria`]).
    #[serde(skip)]
    pub criteria_columns: Option<std::ops::Range<usize>>,
}

/// A caption's number, and whether the count is set afresh there (an
/// officer's own number) rather than following on from the caption before.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Numbering {
    /// The number shown.
    pub number: u32,
    /// Whether the count restarts at this number (Word's `SEQ \r`).
    pub restart: bool,
}

/// "Table 5: title", or the title alone when there is no number.
fn numbered(label: &str, number: Option<Numbering>, title: &str) -> String {
    match number {
        Some(n) => format!("{label} {}: {title}", n.number),
        None => title.to_string(),
    }
}

impl ReportTable {
    /// A table with a key, caption and columns, and no rows yet.
    pub fn new(key: impl Into<String>, title: impl Into<String>, columns: Vec<Column>) -> Self {
        ReportTable {
            key: key.into(),
            title: title.into(),
            short_name: None,
            intro: None,
            columns,
            rows: Vec::new(),
            row_header: None,
            notes: Vec::new(),
            note_figures: Vec::new(),
            weighted_sum: None,
            number: None,
            criteria_columns: None,
        }
    }

    /// Marks the columns that hold one criterion each, so that a narrow
    /// writer may head them by code ([`ReportTable::with_coded_criteria`]).
    pub fn with_criteria_columns(mut self, columns: std::ops::Range<usize>) -> Self {
        self.criteria_columns = Some(columns);
        self
    }

    /// The caption as shown: "Table 5: Ranking of options", or the title
    /// alone for an unnumbered table.
    pub fn caption(&self) -> String {
        numbered(TABLE_LABEL, self.number, &self.title)
    }

    /// Gives the table a short name for worksheet tabs.
    pub fn with_short_name(mut self, name: impl Into<String>) -> Self {
        self.short_name = Some(name.into());
        self
    }

    /// Names the column that labels each row.
    pub fn with_row_header(mut self, column: usize) -> Self {
        self.row_header = Some(column);
        self
    }

    /// Whether the table needs a landscape page: the room its columns want
    /// (each column's longest line or longest header word, up to 20
    /// characters) adds up to more than [`WIDE_TABLE_CHARS`].
    pub fn is_wide(&self) -> bool {
        let want: usize = self
            .columns
            .iter()
            .enumerate()
            .map(|(c, col)| {
                let header = col
                    .header
                    .split_whitespace()
                    .map(|w| w.chars().count())
                    .max()
                    .unwrap_or(0);
                let mut cells = if col.wide { 20 } else { 0 };
                for cell in self.rows.iter().filter_map(|r| r.cells.get(c)) {
                    // The want is capped at 20, so a longer line settles the column.
                    if cells >= 20 {
                        break;
                    }
                    let longest = cell.display().lines().map(|l| l.chars().count()).max();
                    cells = cells.max(longest.unwrap_or(0));
                }
                header.max(cells).min(20) + 1
            })
            .sum();
        want > WIDE_TABLE_CHARS
    }

    /// Shows every figure of a column with the same number of decimals, the
    /// most any of them has (65%, 62.5% becomes 65.0%, 62.5%), so figures
    /// line up and none looks more or less precise than its neighbours.
    /// Parameter rows (weights over scores) are aligned among themselves.
    pub fn align_decimals(&mut self) {
        for c in 0..self.columns.len() {
            for params in [false, true] {
                let in_group = |r: &Row| (r.kind == RowKind::Parameters) == params;
                let want = self
                    .rows
                    .iter()
                    .filter(|r| in_group(r))
                    .filter_map(|r| r.cells.get(c))
                    .filter_map(|cell| figure_text(&cell.value))
                    .map(decimals)
                    .max()
                    .unwrap_or(0);
                if want == 0 {
                    continue;
                }
                for r in self.rows.iter_mut().filter(|r| in_group(r)) {
                    if let Some(cell) = r.cells.get_mut(c) {
                        pad_value(&mut cell.value, want);
                    }
                }
            }
        }
    }

    /// For a score matrix, or any table with a column per criterion: the
    /// same table with its criteria named by code (C1, C2, ... as in the
    /// criteria table) and a key to the codes as its first note, so the
    /// score columns can be as narrow as their figures.
    pub fn with_coded_criteria(&self) -> Option<ReportTable> {
        let (headers, key) = self.coded_headers()?;
        let mut t = self.clone();
        for (col, h) in t.columns.iter_mut().zip(headers) {
            col.header = h;
        }
        t.code_group_row();
        t.notes.insert(0, key);
        Some(t)
    }

    /// A coded version-2 matrix's group row gives each column's group by the
    /// code of its subtotal column ("G1"), which the key spells out, instead
    /// of repeating the group's full name above every criterion.
    fn code_group_row(&mut self) {
        let Some(g) = self
            .weighted_sum
            .as_ref()
            .and_then(|w| w.grouped.as_deref())
        else {
            return;
        };
        let Some(row) = g.group_row else {
            return;
        };
        let code_of = |group: usize| {
            g.groups
                .get(group)
                .and_then(|x| self.columns.get(x.column))
                .and_then(|c| c.code.clone())
        };
        let mut codes: Vec<(usize, String)> = Vec::new();
        for c in &g.criteria {
            if let Some(code) = c.group.and_then(code_of) {
                codes.push((c.column, code.clone()));
                if let Some(raw) = c.raw_column {
                    codes.push((raw, code));
                }
            }
        }
        for (i, x) in g.groups.iter().enumerate() {
            if let Some(code) = code_of(i) {
                codes.push((x.column, code));
            }
        }
        if let Some(r) = self.rows.get_mut(row) {
            for (column, code) in codes {
                if let Some(cell) = r.cells.get_mut(column) {
                    *cell = Cell::text(code);
                }
            }
        }
    }

    /// For a score matrix, or any table with a column per criterion: every
    /// column's header with the criteria named by
    /// code (see [`ReportTable::with_coded_criteria`]), and the key to the
    /// codes, without copying the table.
    pub fn coded_headers(&self) -> Option<(Vec<String>, String)> {
        if self.columns.iter().any(|c| c.code.is_some()) {
            let mut headers = Vec::new();
            let mut key = Vec::new();
            for c in &self.columns {
                match &c.code {
                    Some(code) => {
                        key.push(format!("{code} {}", c.header));
                        headers.push(code.clone());
                    }
                    None => headers.push(c.header.clone()),
                }
            }
            return Some((headers, format!("Key: {}.", key.join("; "))));
        }
        let range = match &self.criteria_columns {
            Some(r) => r.clone(),
            None => self.weighted_sum.as_ref()?.columns.clone(),
        };
        let mut headers: Vec<String> = self.columns.iter().map(|c| c.header.clone()).collect();
        let mut key = Vec::new();
        for (k, c) in range.enumerate() {
            if let Some(h) = headers.get_mut(c) {
                key.push(format!("C{} {}", k + 1, h));
                *h = format!("C{}", k + 1);
            }
        }
        Some((headers, format!("Key: {}.", key.join("; "))))
    }

    /// The cell at (`row`, `column`), if the row has one.
    pub fn cell(&self, row: usize, column: usize) -> Option<&Cell> {
        self.rows.get(row).and_then(|r| r.cells.get(column))
    }
}

/// The parts a table too wide for its room is shown in: consecutive runs
/// of the columns after the first `lead` (a matrix's rank and option name),
/// each part starting with those `lead` columns, none holding more than
/// `most` of the rest or wider than `room` at the columns' `least` widths
/// (a column wider than that has a part to itself). Parts of about the same
/// width are preferred to a last part of a few columns. Used by the Word
/// export and the terminal.
pub fn column_parts(least: &[f64], lead: usize, room: f64, most: usize) -> Vec<Vec<usize>> {
    let n = least.len();
    let least = |c: usize| least.get(c).copied().unwrap_or(0.0);
    let mut parts = Vec::new();
    let mut part: Vec<usize> = (0..lead).collect();
    let mut used = 0.0;
    for c in lead..n {
        let w = least(c);
        if part.len() > lead && (part.len() - lead == most || used + w > room) {
            parts.push(std::mem::replace(&mut part, (0..lead).collect()));
            used = 0.0;
        }
        part.push(c);
        used += w;
    }
    parts.push(part);
    // As many parts again, but even: a last part of a few columns stretched
    // across the page reads worse than parts of about the same width.
    let k = parts.len();
    let per = n.saturating_sub(lead).div_ceil(k).max(1);
    let even: Vec<Vec<usize>> = (lead..n)
        .collect::<Vec<_>>()
        .chunks(per)
        .map(|chunk| (0..lead).chain(chunk.iter().copied()).collect())
        .collect();
    let fits = |p: &Vec<usize>| {
        p.len() - lead <= most && p.iter().skip(lead).map(|&c| least(c)).sum::<f64>() <= room
    };
    if even.len() == k && even.iter().all(fits) {
        even
    } else {
        parts
    }
}

/// ", each repeating the Rank and Option columns": what each part of a
/// table shown in parts repeats (its columns up to the row header), headed
/// as `headers`.
pub fn repeating(t: &ReportTable, headers: &[String]) -> String {
    let lead = t.row_header.map_or(0, |c| c + 1).min(t.columns.len());
    let repeated: Vec<&str> = headers.iter().take(lead).map(String::as_str).collect();
    match repeated.as_slice() {
        [] => String::new(),
        [one] => format!(", each repeating the {one} column"),
        [init @ .., last] => format!(
            ", each repeating the {} and {last} columns",
            init.join(", ")
        ),
    }
}

/// The display text of a numeric value, where decimals can be aligned.
fn figure_text(v: &Value) -> Option<&str> {
    match v {
        Value::Number { display, .. }
        | Value::Percent { display, .. }
        | Value::OutOf { display, .. } => Some(display),
        _ => None,
    }
}

/// Where the first figure in `s` is: its start, the end of its whole part,
/// and its end.
fn figure_span(s: &str) -> Option<(usize, usize, usize)> {
    let b = s.as_bytes();
    let start = b.iter().position(u8::is_ascii_digit)?;
    let mut end = start;
    while end < b.len() && (b[end].is_ascii_digit() || b[end] == b',') {
        end += 1;
    }
    let whole = end;
    if end + 1 < b.len() && b[end] == b'.' && b[end + 1].is_ascii_digit() {
        end += 1;
        while end < b.len() && b[end].is_ascii_digit() {
            end += 1;
        }
    }
    Some((start, whole, end))
}

/// How many decimals the first figure in `s` has.
fn decimals(s: &str) -> usize {
    figure_span(s).map_or(0, |(_, whole, end)| end.saturating_sub(whole + 1))
}

/// Pads the first figure of a numeric value's display with zeros to `want` decimals.
fn pad_value(v: &mut Value, want: usize) {
    let (Value::Number { display, .. }
    | Value::Percent { display, .. }
    | Value::OutOf { display, .. }) = v
    else {
        return;
    };
    let Some((_, whole, end)) = figure_span(display) else {
        return;
    };
    let have = end.saturating_sub(whole + 1);
    if have >= want {
        return;
    }
    let mut pad = String::new();
    if have == 0 {
        pad.push('.');
    }
    pad.extend(std::iter::repeat_n('0', want - have));
    display.insert_str(end, &pad);
}

/// A chart, described by its data; [`super::svg`] draws it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Chart {
    /// A stable name used for file names and `--tables`, such as `chart-totals`.
    pub key: String,
    /// The chart's title.
    pub title: String,
    /// A sentence describing what the chart shows, for screen readers and as
    /// the image's description in documents.
    pub description: String,
    /// The chart itself.
    pub kind: ChartKind,
    /// The caption's number ("Figure 2"), given when the report is numbered.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub number: Option<Numbering>,
}

/// The word before a table's number.
pub const TABLE_LABEL: &str = "Table";
/// The word before a chart's number.
pub const FIGURE_LABEL: &str = "Figure";

impl Chart {
    /// The caption as shown: "Figure 2: Total score of each option", or the
    /// title alone for an unnumbered chart.
    pub fn caption(&self) -> String {
        numbered(FIGURE_LABEL, self.number, &self.title)
    }
}

/// The kinds of chart the reports use.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum ChartKind {
    /// Horizontal bars, one per item, top to bottom.
    Bars(BarChart),
    /// Straight-line series against a shared x axis.
    Lines(LineChart),
    /// Horizontal bars split into stacked shares that add up to 100%.
    Stacked(StackedChart),
    /// Labelled points against two axes, such as benefit against cost,
    /// with an optional line through some of them.
    Scatter(ScatterChart),
}

/// A chart of labelled points.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScatterChart {
    /// The x axis label.
    pub x_label: String,
    /// The y axis label.
    pub y_label: String,
    /// The x range drawn.
    pub x_range: (f64, f64),
    /// The y range drawn.
    pub y_range: (f64, f64),
    /// The points, each labelled beside its marker.
    pub points: Vec<ScatterPoint>,
    /// A line through some points (such as the efficient frontier), in
    /// increasing x, labelled in the key.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<Series>,
}

/// One labelled point.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScatterPoint {
    /// The name drawn beside it.
    pub label: String,
    /// Where it sits on the x axis.
    pub x: f64,
    /// Where it sits on the y axis.
    pub y: f64,
    /// Drawn filled (such as an efficient option) rather than hollow.
    pub highlight: bool,
}

/// A horizontal bar chart.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BarChart {
    /// The label of the value axis.
    pub axis_label: String,
    /// The axis starts here.
    pub min: f64,
    /// The axis ends here.
    pub max: f64,
    /// The bars, drawn top to bottom.
    pub bars: Vec<Bar>,
}

/// One bar.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Bar {
    /// The item's name, drawn to the left of the bar.
    pub label: String,
    /// The bar's length.
    pub value: f64,
    /// The value as written at the end of the bar.
    pub display: String,
}

/// A chart of straight-line series.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LineChart {
    /// The x axis label.
    pub x_label: String,
    /// The y axis label.
    pub y_label: String,
    /// Whether x values are shares from 0 to 1, labelled as percentages.
    pub x_percent: bool,
    /// The x range drawn.
    pub x_range: (f64, f64),
    /// The y range drawn.
    pub y_range: (f64, f64),
    /// The series; each is labelled directly at its right-hand end.
    pub series: Vec<Series>,
    /// A vertical marker, such as the current weight share, with its label.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub marker: Option<Marker>,
    /// A shaded x interval, such as where the leader stays first, with its label.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub band: Option<Band>,
}

/// One line in a line chart.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Series {
    /// The name drawn beside the line.
    pub label: String,
    /// The points, in increasing x.
    pub points: Vec<(f64, f64)>,
}

/// A vertical line across a chart.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Marker {
    /// Where it sits on the x axis.
    pub x: f64,
    /// Its label.
    pub label: String,
}

/// A shaded interval on the x axis.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Band {
    /// Where the band starts.
    pub from: f64,
    /// Where the band ends.
    pub to: f64,
    /// Its label.
    pub label: String,
}

/// A stacked horizontal bar chart of shares.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StackedChart {
    /// The label of the value axis.
    pub axis_label: String,
    /// The names of the segments, in stacking order (such as "1st", "2nd").
    pub segments: Vec<String>,
    /// The bars, top to bottom.
    pub bars: Vec<StackedBar>,
}

/// One stacked bar.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StackedBar {
    /// The item's name.
    pub label: String,
    /// One share (0-1) per segment; they should add up to 1.
    pub shares: Vec<f64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_column_shows_one_number_of_decimals() {
        let pct = |v: f64, d: &str| {
            Cell::new(Value::Percent {
                value: v,
                display: d.into(),
            })
        };
        let mut t = ReportTable::new("t", "T", vec![Column::number("P"), Column::number("T")]);
        let out_of = |d: &str| {
            Cell::new(Value::OutOf {
                value: 1.0,
                max: 40.0,
                display: d.into(),
            })
        };
        t.rows
            .push(Row::body(vec![pct(65.0, "65%"), out_of("26/40")]));
        t.rows
            .push(Row::body(vec![pct(62.5, "62.5%"), out_of("26.5/40")]));
        t.rows.push(Row::body(vec![
            Cell::text("n/a"),
            Cell::new(Value::Missing),
        ]));
        t.rows.push(Row {
            kind: RowKind::Parameters,
            cells: vec![pct(1.0, "1%"), Cell::empty()],
        });
        t.align_decimals();
        let shown: Vec<String> = t.rows.iter().map(|r| r.cells[0].display()).collect();
        assert_eq!(shown, ["65.0%", "62.5%", "n/a", "1%"]);
        assert_eq!(t.rows[0].cells[1].display(), "26.0/40");
        assert_eq!(t.rows[2].cells[1].display(), "–");
    }

    #[test]
    fn cells_read_with_their_remarks() {
        let c = Cell::new(Value::OutOf {
            value: 26.0,
            max: 40.0,
            display: "26/40".into(),
        })
        .with_remark("published as 24");
        assert_eq!(c.display(), "26/40 (published as 24)");
        assert_eq!(Cell::empty().with_remark("x").display(), "(x)");
        assert_eq!(Cell::new(Value::Missing).display(), "–");
        let list = Value::List {
            items: vec!["a".into(), "b".into()],
        };
        assert_eq!(list.display(), "• a\n• b");
        assert_eq!(list.number(), None);
    }
}
