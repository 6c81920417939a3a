//! Finding a score matrix in a sheet: the block of numbers, the names along
//! its edges, which edge holds the options, and the weights, totals, notes,
//! groups and descriptions around it.
//!
//! Everything is worked out in terms of a [`View`]: *lines* are options and
//! *crosses* are criteria. With options as rows a line is a row; with
//! options as columns the sheet is read transposed, so the same rules find
//! weights, totals and notes either way.

use super::read::{Place, Sheet, Value};

/// Which way round the matrix is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Orientation {
    /// One row per option, one column per criterion.
    OptionsAsRows,
    /// One column per option, one row per criterion.
    OptionsAsColumns,
}

impl Orientation {
    /// How the layout reads in a sentence.
    pub fn describe(self) -> &'static str {
        match self {
            Orientation::OptionsAsRows => "options as rows, criteria as columns",
            Orientation::OptionsAsColumns => "options as columns, criteria as rows",
        }
    }
}

/// A sheet seen with options along lines and criteria across them.
#[derive(Debug, Clone, Copy)]
pub struct View<'a> {
    /// The sheet.
    pub sheet: &'a Sheet,
    /// The orientation.
    pub orientation: Orientation,
}

impl<'a> View<'a> {
    fn rc(&self, line: usize, cross: usize) -> (usize, usize) {
        match self.orientation {
            Orientation::OptionsAsRows => (line, cross),
            Orientation::OptionsAsColumns => (cross, line),
        }
    }

    /// The cell on `line` at `cross`.
    pub fn get(&self, line: usize, cross: usize) -> &'a Value {
        let (r, c) = self.rc(line, cross);
        self.sheet.get(r, c)
    }

    /// Where that cell is, for messages.
    pub fn at(&self, line: usize, cross: usize) -> Place {
        let (r, c) = self.rc(line, cross);
        self.sheet.at(r, c)
    }

    /// Whether a formula computes the cell.
    pub fn is_formula(&self, line: usize, cross: usize) -> bool {
        self.sheet.formulas.contains(&self.rc(line, cross))
    }

    /// A comment on the cell, if any.
    pub fn comment(&self, line: usize, cross: usize) -> Option<&'a str> {
        self.sheet
            .comments
            .get(&self.rc(line, cross))
            .map(String::as_str)
    }

    /// A line's or cross's name in A1 terms: "row 5" or "column C".
    pub fn line_name(&self, line: usize) -> String {
        match self.orientation {
            Orientation::OptionsAsRows => format!("row {}", line + 1),
            Orientation::OptionsAsColumns => {
                format!("column {}", super::read::column_name(line))
            }
        }
    }

    /// A cross's name: "column C" or "row 5".
    pub fn cross_name(&self, cross: usize) -> String {
        match self.orientation {
            Orientation::OptionsAsRows => {
                format!("column {}", super::read::column_name(cross))
            }
            Orientation::OptionsAsColumns => format!("row {}", cross + 1),
        }
    }

    /// A run of cells along a line, `A5:A12` style.
    pub fn span(&self, line: usize, crosses: &[usize]) -> String {
        match (crosses.first(), crosses.last()) {
            (Some(&a), Some(&b)) => format!("{}:{}", self.at(line, a).cell, self.at(line, b).cell),
            _ => String::new(),
        }
    }

    /// A run of cells across lines at one cross.
    pub fn span_down(&self, lines: &[usize], cross: usize) -> String {
        match (lines.first(), lines.last()) {
            (Some(&a), Some(&b)) => {
                format!("{}:{}", self.at(a, cross).cell, self.at(b, cross).cell)
            }
            _ => String::new(),
        }
    }
}

/// The block of numbers in a sheet and the names along its edges, before
/// knowing which edge holds the options.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    /// The rows holding numbers, top to bottom.
    pub rows: Vec<usize>,
    /// The columns holding numbers, left to right.
    pub cols: Vec<usize>,
    /// The row of names above the numbers.
    pub header_row: usize,
    /// The column of names beside the numbers.
    pub label_col: usize,
    /// How many numbers the block holds.
    pub numbers: usize,
}

/// A number typed as a percentage in a CSV ("30%"), as weights often are
/// (a spreadsheet saved as CSV writes a percentage-formatted cell so): the
/// figure before the sign, since weights are relative.
pub fn percent_number(v: &Value) -> Option<f64> {
    v.number().or_else(|| {
        let t = v.text()?.trim().strip_suffix('%')?;
        t.trim().parse::<f64>().ok().filter(|x| x.is_finite())
    })
}

/// Whether a cell holds a figure, for finding the block: a number, or a
/// percentage (which only a weight may be; a score typed so is reported
/// when the scores are read).
fn figure(v: &Value) -> bool {
    percent_number(v).is_some()
}

/// Finds the largest block of numbers with names above and beside it.
pub fn find_block(sheet: &Sheet) -> Option<Block> {
    let height = sheet.rows.len();
    let numeric_cols = |r: usize| -> Vec<usize> {
        (0..sheet.rows[r].len())
            .filter(|&c| figure(sheet.get(r, c)))
            .collect()
    };
    let blank = |r: usize| sheet.rows[r].iter().all(Value::is_empty);
    // Runs of rows between blank rows that hold numbers.
    let mut runs: Vec<Vec<usize>> = Vec::new();
    let mut current: Vec<usize> = Vec::new();
    for r in 0..height {
        if blank(r) {
            if !current.is_empty() {
                runs.push(std::mem::take(&mut current));
            }
            continue;
        }
        current.push(r);
    }
    if !current.is_empty() {
        runs.push(current);
    }
    let mut best: Option<Block> = None;
    for run in runs {
        // The body: from the first row with two numbers to the last.
        let with_numbers: Vec<usize> = run
            .iter()
            .copied()
            .filter(|&r| numeric_cols(r).len() >= 2)
            .collect();
        let (Some(&first), Some(&last)) = (with_numbers.first(), with_numbers.last()) else {
            continue;
        };
        let rows: Vec<usize> = run
            .iter()
            .copied()
            .filter(|&r| r >= first && r <= last)
            .collect();
        // Columns holding a number in at least a third of the body rows.
        let width = rows.iter().map(|&r| sheet.rows[r].len()).max().unwrap_or(0);
        let cols: Vec<usize> = (0..width)
            .filter(|&c| {
                let n = rows.iter().filter(|&&r| figure(sheet.get(r, c))).count();
                n * 3 >= rows.len() && n > 0
            })
            .collect();
        if cols.len() < 2 {
            continue;
        }
        // Names beside: the column, not among the numbers, with text in the
        // most body rows (the nearest to the numbers on a tie).
        let label_col = (0..width.max(1))
            .filter(|c| !cols.contains(c))
            .map(|c| {
                let n = rows
                    .iter()
                    .filter(|&&r| sheet.get(r, c).text().is_some())
                    .count();
                let near = cols
                    .iter()
                    .map(|&k| k.abs_diff(c))
                    .min()
                    .unwrap_or(usize::MAX);
                (n, std::cmp::Reverse(near), c)
            })
            .max();
        let Some((n_labels, _, label_col)) = label_col else {
            continue;
        };
        if n_labels == 0 {
            continue;
        }
        // Names above: the nearest row above the body, in the same run,
        // with text over at least half the number columns.
        let header_row = run.iter().copied().filter(|&r| r < first).rev().find(|&r| {
            let n = cols
                .iter()
                .filter(|&&c| sheet.get(r, c).text().is_some())
                .count();
            n * 2 >= cols.len()
        });
        let Some(header_row) = header_row else {
            continue;
        };
        let numbers = rows
            .iter()
            .map(|&r| cols.iter().filter(|&&c| figure(sheet.get(r, c))).count())
            .sum();
        let block = Block {
            rows,
            cols,
            header_row,
            label_col,
            numbers,
        };
        if best.as_ref().is_none_or(|b| block.numbers > b.numbers) {
            best = Some(block);
        }
    }
    best
}

/// What a heading says a line or cross is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Weights.
    Weight,
    /// A total (`published` says it is the published one).
    Total {
        /// Whether the heading calls it published.
        published: bool,
    },
    /// A rank, position or percentage: worked out, not imported.
    Derived,
    /// A maximum, minimum or average: not an option or criterion.
    Aggregate,
    /// Notes or comments.
    Notes,
    /// A description.
    Description,
    /// A group or category.
    Group,
    /// Anything else: a name.
    Plain,
}

/// The words of a heading, lowercased.
fn words(text: &str) -> Vec<String> {
    text.to_lowercase()
        .split(|c: char| !c.is_alphabetic())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// Whether every word of `text` is one of `allowed` and one of `key` is there.
fn only(words: &[String], key: &[&str], allowed: &[&str]) -> bool {
    !words.is_empty()
        && words.iter().any(|w| key.contains(&w.as_str()))
        && words
            .iter()
            .all(|w| key.contains(&w.as_str()) || allowed.contains(&w.as_str()))
}

/// The role of a heading over numbers. Strict, so that an option called
/// "Do minimum" or a criterion called "Overall value" keeps its place:
/// every word must belong to the role ("Total (of 40)", "Published total").
pub fn number_role(text: &str) -> Role {
    let w = words(text);
    let filler = [
        "of", "out", "score", "scores", "marks", "points", "possible", "the", "in", "by",
    ];
    if w.first().is_some_and(|f| f.starts_with("weight"))
        && only(
            &w,
            &["weight", "weights", "weighting", "weightings"],
            &filler,
        )
    {
        return Role::Weight;
    }
    let total_words = ["total", "totals", "sum", "overall"];
    let total_filler = [
        "grand",
        "weighted",
        "unweighted",
        "published",
        "reported",
        "original",
        "final",
        "of",
        "out",
        "score",
        "scores",
        "marks",
        "points",
        "possible",
        "the",
    ];
    if only(&w, &total_words, &total_filler) {
        let published = w
            .iter()
            .any(|x| matches!(x.as_str(), "published" | "reported" | "original"));
        return Role::Total { published };
    }
    if only(
        &w,
        &[
            "rank",
            "ranking",
            "position",
            "place",
            "percent",
            "percentage",
        ],
        &filler,
    ) || text.trim() == "%"
    {
        return Role::Derived;
    }
    if only(
        &w,
        &[
            "max", "maximum", "min", "minimum", "average", "mean", "median",
        ],
        &filler,
    ) {
        return Role::Aggregate;
    }
    if only(
        &w,
        &["notes", "note", "remarks", "remark", "comments", "comment"],
        &[],
    ) {
        return Role::Notes;
    }
    Role::Plain
}

/// The role of a heading over text: notes, descriptions, groups.
pub fn text_role(text: &str) -> Role {
    let w = words(text);
    let has = |stems: &[&str]| w.iter().any(|x| stems.iter().any(|s| x.starts_with(s)));
    if has(&[
        "note",
        "comment",
        "reason",
        "rationale",
        "evidence",
        "justif",
        "evaluation",
        "remark",
        "commentary",
        "why",
    ]) {
        Role::Notes
    } else if has(&["description", "summary", "detail"]) {
        Role::Description
    } else if has(&["group", "category", "categor", "theme"]) || w == ["type"] {
        Role::Group
    } else {
        Role::Plain
    }
}

/// Whether a row or a column along the block's edges is headed as weights.
pub fn has_weights(sheet: &Sheet, block: &Block) -> bool {
    let weight = |text: String| number_role(&text) == Role::Weight;
    block
        .rows
        .iter()
        .any(|&r| weight(sheet.get(r, block.label_col).shown()))
        || block
            .cols
            .iter()
            .any(|&c| weight(sheet.get(block.header_row, c).shown()))
}

/// Evidence about which way round a block is: positive for options as
/// rows, negative for options as columns, with the reasons.
pub fn orientation_evidence(sheet: &Sheet, block: &Block) -> (i32, Vec<String>) {
    let mut score = 0;
    let mut why = Vec::new();
    let corner = sheet
        .get(block.header_row, block.label_col)
        .shown()
        .to_lowercase();
    if corner.contains("option") {
        score += 2;
        why.push(format!(
            "{} says \"{}\"",
            sheet.at(block.header_row, block.label_col),
            sheet.get(block.header_row, block.label_col).shown()
        ));
    } else if corner.contains("criteri") {
        score -= 2;
        why.push(format!(
            "{} says \"{}\"",
            sheet.at(block.header_row, block.label_col),
            sheet.get(block.header_row, block.label_col).shown()
        ));
    }
    for &r in &block.rows {
        match number_role(&sheet.get(r, block.label_col).shown()) {
            Role::Weight => {
                score += 2;
                why.push(format!("row {} holds weights", r + 1));
            }
            Role::Total { .. } => {
                score -= 1;
                why.push(format!("row {} holds totals", r + 1));
            }
            Role::Derived => {
                score -= 1;
                why.push(format!("row {} holds ranks", r + 1));
            }
            _ => {}
        }
    }
    for &c in &block.cols {
        let head = sheet.get(block.header_row, c).shown();
        match number_role(&head) {
            Role::Weight => {
                score -= 2;
                why.push(format!(
                    "column {} holds weights",
                    super::read::column_name(c)
                ));
            }
            Role::Total { .. } => {
                score += 1;
                why.push(format!(
                    "column {} holds totals",
                    super::read::column_name(c)
                ));
            }
            Role::Derived => {
                score += 1;
                why.push(format!(
                    "column {} holds ranks",
                    super::read::column_name(c)
                ));
            }
            _ => {}
        }
    }
    (score, why)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_say_what_a_line_is_and_names_keep_their_place() {
        assert_eq!(number_role("Weight"), Role::Weight);
        assert_eq!(number_role("Weighting (%)"), Role::Weight);
        assert_eq!(
            number_role("Total (of 40)"),
            Role::Total { published: false }
        );
        assert_eq!(
            number_role("Published total"),
            Role::Total { published: true }
        );
        assert_eq!(number_role("Rank"), Role::Derived);
        assert_eq!(number_role("Maximum possible"), Role::Aggregate);
        assert_eq!(number_role("Remarks"), Role::Notes);
        for name in [
            "Weighted cost",
            "Overall value",
            "Do minimum",
            "Total outsourcing",
            "Cost",
        ] {
            assert_eq!(number_role(name), Role::Plain, "{name}");
        }
        assert_eq!(text_role("Notes"), Role::Notes);
        assert_eq!(text_role("Cost comments"), Role::Notes);
        assert_eq!(text_role("Evaluation"), Role::Notes);
        assert_eq!(text_role("Description"), Role::Description);
        assert_eq!(text_role("Group"), Role::Group);
        assert_eq!(text_role("Option"), Role::Plain);
    }
}
