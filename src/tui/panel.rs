//! The panel view: members' scoresheets merged into a consensus grid, shaded
//! by how far the members disagree, with each member's score and note for the
//! selected cell (`appraise tui review.toml --panel sheets...`, or `p`).
//!
//! The view is read-only with respect to the sheets: they are read once, and
//! the consensus is worked out again when the method changes or when the
//! appraisal's weights or structure change.

use std::path::{Path, PathBuf};

use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};

use crate::load::LoadError;
use crate::model::{Appraisal, Scale};
use crate::numbers;
use crate::panel::{self, MergeOptions, Merged, MergedCell, Method, Sheet};
use crate::sensitivity::disagreement::{self, DisagreementConfig};

/// The disagreement analysis of [`crate::sensitivity::disagreement`].
pub type Analysis = disagreement::Disagreement;

/// Members' sheets and their merge, kept up to date with the appraisal.
#[derive(Debug, Clone)]
pub struct PanelState {
    sheets: Vec<Sheet>,
    /// The option and criterion ids the sheets' rows and columns follow.
    option_ids: Vec<String>,
    criterion_ids: Vec<String>,
    options: MergeOptions,
    merged: Option<Merged>,
    /// The document version the merge was worked out for.
    merged_for: Option<u64>,
    error: Option<String>,
    /// Sheets that could not be read or used, each as "file:line:column:
    /// what is wrong", shown beside the others rather than blocking them.
    problems: Vec<String>,
    /// Sheets beside the appraisal under other names, not opened.
    left_out: Vec<PathBuf>,
    /// Counts the merges worked out, so that an analysis of one can tell
    /// whether it still matches.
    generation: u64,
    /// The analysis of the members' disagreement as score uncertainty, for
    /// the merge of generation `.0`, worked out off the key path.
    disagreement: Option<(u64, Result<Analysis, String>)>,
    /// The generation an analysis was last asked for.
    disagreement_asked: Option<u64>,
}

/// Monte Carlo samples for the disagreement analysis in the panel view: few
/// enough to be worked out in a moment on one thread, as the live view's.
pub const DISAGREEMENT_SAMPLES: u64 = 5_000;

/// Working out the panel's disagreement analysis, off the key path.
#[derive(Debug, Clone)]
pub struct DisagreementJob {
    merged: Merged,
    generation: u64,
}

impl DisagreementJob {
    /// Runs it: the samples drawn from the members' own scores, seeded.
    pub fn run(self) -> (u64, Result<Analysis, String>) {
        let config = DisagreementConfig {
            samples: DISAGREEMENT_SAMPLES,
            seed: 1,
            threads: Some(1),
        };
        (
            self.generation,
            disagreement::panel_disagreement(&self.merged, &config).map_err(|e| e.to_string()),
        )
    }
}

/// A sheet's first error as one line: "file:line:column: what is wrong".
pub fn problem_text(e: &LoadError) -> String {
    e.diagnostics
        .iter()
        .find(|d| d.is_error())
        .or(e.diagnostics.first())
        .map_or_else(
            || format!("{}: the sheet could not be read", e.file.name),
            |d| format!("{}: {}", d.location(&e.file), d.message),
        )
}

fn ids(a: &Appraisal) -> (Vec<String>, Vec<String>) {
    (
        a.options().iter().map(|o| o.id().to_string()).collect(),
        a.criteria().iter().map(|c| c.id().to_string()).collect(),
    )
}

impl PanelState {
    /// A panel of `sheets`, already checked against `appraisal`.
    pub fn new(appraisal: &Appraisal, sheets: Vec<Sheet>, options: MergeOptions) -> PanelState {
        let (option_ids, criterion_ids) = ids(appraisal);
        PanelState {
            sheets,
            option_ids,
            criterion_ids,
            options,
            merged: None,
            merged_for: None,
            error: None,
            problems: Vec::new(),
            left_out: Vec::new(),
            generation: 0,
            disagreement: None,
            disagreement_asked: None,
        }
    }

    /// Reads and checks the sheets at `paths` against `appraisal` (loaded from
    /// `appraisal_path`), as `appraise panel` does. Sheets that cannot be
    /// used are left out and listed ([`PanelState::problems`]), so that one
    /// bad sheet does not hide the others; only when no sheet can be used at
    /// all is every error returned.
    pub fn load(
        paths: &[PathBuf],
        appraisal: &Appraisal,
        appraisal_path: Option<&Path>,
        options: MergeOptions,
    ) -> Result<PanelState, Vec<LoadError>> {
        let refs: Vec<&Path> = paths.iter().map(PathBuf::as_path).collect();
        let (sheets, errors) = panel::load_each_sheet(&refs, appraisal, appraisal_path);
        if sheets.is_empty() && !errors.is_empty() {
            return Err(errors);
        }
        let mut p = PanelState::new(appraisal, sheets, options);
        p.problems = errors.iter().map(problem_text).collect();
        Ok(p)
    }

    /// Sheets that could not be used, each with its first error.
    pub fn problems(&self) -> &[String] {
        &self.problems
    }

    /// What reading the sheets warned of (a score read as blank, an option
    /// a sheet has no scores for), each as "file:line:column: what", as
    /// `appraise panel` prints them.
    pub fn warnings(&self) -> Vec<String> {
        self.sheets
            .iter()
            .flat_map(|s| {
                s.warnings
                    .iter()
                    .map(move |d| format!("{}: {}", d.location(&s.source), d.message))
            })
            .collect()
    }

    /// How many warnings reading the sheets gave.
    pub fn warning_count(&self) -> usize {
        self.sheets.iter().map(|s| s.warnings.len()).sum()
    }

    /// The disagreement analysis, if it is worked out for the merge as it
    /// now stands (or why it could not be).
    pub fn disagreement(&self) -> Option<&Result<Analysis, String>> {
        self.disagreement
            .as_ref()
            .filter(|(g, _)| *g == self.generation && self.merged.is_some())
            .map(|(_, d)| d)
    }

    /// The analysis to work out, if the merge has none and none has been
    /// asked for; notes that it has been.
    pub fn disagreement_job(&mut self) -> Option<DisagreementJob> {
        let merged = self.merged.as_ref()?;
        if self.disagreement_asked == Some(self.generation) || self.disagreement().is_some() {
            return None;
        }
        self.disagreement_asked = Some(self.generation);
        Some(DisagreementJob {
            merged: merged.clone(),
            generation: self.generation,
        })
    }

    /// Takes in a worked-out analysis; one for an earlier merge is dropped.
    pub fn set_disagreement(&mut self, generation: u64, d: Result<Analysis, String>) -> bool {
        let current = generation == self.generation;
        if current {
            self.disagreement = Some((generation, d));
        }
        current
    }

    /// Notes sheets beside the appraisal that have other names and were not opened.
    pub fn set_left_out(&mut self, left_out: Vec<PathBuf>) {
        self.left_out = left_out;
    }

    /// Sheets beside the appraisal under other names, not opened.
    pub fn left_out(&self) -> &[PathBuf] {
        &self.left_out
    }

    /// The members' sheets, in the order given.
    pub fn sheets(&self) -> &[Sheet] {
        &self.sheets
    }

    /// The merge settings.
    pub fn options(&self) -> MergeOptions {
        self.options
    }

    /// Changes how scores are combined; the merge is worked out again on the next refresh.
    pub fn set_method(&mut self, method: Method) {
        if self.options.method != method {
            self.options.method = method;
            self.merged_for = None;
        }
    }

    /// The merge, once worked out.
    pub fn merged(&self) -> Option<&Merged> {
        self.merged.as_ref()
    }

    /// Why the merge could not be worked out, if it could not.
    pub fn error(&self) -> Option<&str> {
        self.error.as_deref()
    }

    /// Whether the merge matches document version `version`.
    pub fn is_current(&self, version: u64) -> bool {
        self.merged_for == Some(version)
    }

    /// Works the merge out again if the appraisal (version `version`) or the
    /// settings changed since it was last worked out.
    pub fn refresh(&mut self, appraisal: &Appraisal, version: u64) {
        if self.is_current(version) {
            return;
        }
        let (option_ids, criterion_ids) = ids(appraisal);
        if option_ids != self.option_ids || criterion_ids != self.criterion_ids {
            // Options or criteria were added, removed or moved: follow them by id.
            for s in &mut self.sheets {
                realign(
                    s,
                    (&self.option_ids, &self.criterion_ids),
                    (&option_ids, &criterion_ids),
                );
            }
            self.option_ids = option_ids;
            self.criterion_ids = criterion_ids;
        }
        self.generation += 1;
        match panel::merge(appraisal, &self.sheets, self.options) {
            Ok(m) => {
                self.merged = Some(m);
                self.error = None;
            }
            Err(e) => {
                self.merged = None;
                self.error = Some(e.to_string());
            }
        }
        self.merged_for = Some(version);
    }
}

/// The method after `m`, for the key that cycles through them.
pub fn next_method(m: Method) -> Method {
    match m {
        Method::Mean => Method::Median,
        Method::Median => Method::TrimmedMean,
        Method::TrimmedMean => Method::Sum,
        Method::Sum => Method::Mean,
    }
}

/// A method's name in a sentence: "mean", "median", "trimmed mean", "sum".
pub fn method_words(m: Method) -> &'static str {
    m.words()
}

/// Moves a sheet's scores and notes from one set of ids to another; cells
/// for new options or criteria are blank.
fn realign(s: &mut Sheet, from: (&[String], &[String]), to: (&[String], &[String])) {
    let find = |ids: &[String], id: &String| ids.iter().position(|x| x == id);
    let cols: Vec<Option<usize>> = to.1.iter().map(|id| find(from.1, id)).collect();
    let mut scores = Vec::with_capacity(to.0.len());
    let mut notes = Vec::with_capacity(to.0.len());
    for oid in to.0 {
        let row = find(from.0, oid);
        let pick_score = |c: &Option<usize>| {
            row.zip(*c)
                .and_then(|(r, c)| s.scores.get(r).and_then(|x| x.get(c)).copied().flatten())
        };
        let pick_note = |c: &Option<usize>| {
            row.zip(*c)
                .and_then(|(r, c)| s.notes.get(r).and_then(|x| x.get(c)).cloned().flatten())
        };
        scores.push(cols.iter().map(pick_score).collect());
        notes.push(cols.iter().map(pick_note).collect());
    }
    s.scores = scores;
    s.notes = notes;
}

/// How far the members disagree on a cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Disagreement {
    /// Nobody scored it.
    Unscored,
    /// Everyone who scored it gave the same score.
    None,
    /// Some spread, below the threshold for discussion.
    Some,
    /// Spread at or above the threshold: flagged for discussion.
    Flagged,
}

impl Disagreement {
    /// How a cell's disagreement is graded.
    pub fn of(cell: &MergedCell) -> Disagreement {
        match cell.spread {
            None => Disagreement::Unscored,
            Some(_) if cell.flagged => Disagreement::Flagged,
            Some(s) if s > 0.0 => Disagreement::Some,
            Some(_) => Disagreement::None,
        }
    }

    /// The mark after a consensus in the grid, so the grid reads without colour.
    pub fn mark(self) -> char {
        match self {
            Disagreement::Unscored | Disagreement::None => ' ',
            Disagreement::Some => '~',
            Disagreement::Flagged => '!',
        }
    }
}

/// Spread in scale steps.
pub fn steps(spread: f64, scale: &Scale) -> f64 {
    spread / scale.step()
}

/// A consensus as shown in the grid and everywhere else.
pub fn short_value(v: f64) -> String {
    numbers::total(v)
}

/// "3 steps", "1 step", "1.5 (3 steps)" on a half-point scale.
pub fn spread_text(spread: f64, scale: &Scale) -> String {
    let n = steps(spread, scale);
    let unit = if (n - 1.0).abs() < 1e-9 {
        "step"
    } else {
        "steps"
    };
    if scale.step() == 1.0 {
        format!("{} {unit}", numbers::score(n))
    } else {
        format!("{} ({} {unit})", numbers::score(spread), numbers::score(n))
    }
}

/// A cell of the consensus grid: its text and style.
pub fn cell_show(cell: &MergedCell, width: usize, colour: bool) -> (String, Style) {
    let level = Disagreement::of(cell);
    let Some(v) = cell.consensus else {
        return (
            format!("{:^width$}", "·"),
            Style::default().add_modifier(Modifier::DIM),
        );
    };
    // Two decimals as everywhere else, or one where the cell is too narrow
    // to keep the mark beside them.
    let mut value = short_value(v);
    if value.chars().count() + 2 > width {
        value = numbers::decimals(v, 1);
    }
    let text = format!("{:^width$}", format!("{value:>3} {}", level.mark()));
    let mut style = Style::default();
    if colour {
        style = match level {
            Disagreement::Some => style.bg(Color::Yellow).fg(Color::Black),
            Disagreement::Flagged => style.bg(Color::Red).fg(Color::White),
            _ => style,
        };
    }
    if level == Disagreement::Flagged {
        style = style.add_modifier(Modifier::BOLD);
    }
    (text, style)
}

/// Whether any member wrote a note on the cell.
pub fn any_note(sheets: &[Sheet], o: usize, c: usize) -> bool {
    sheets.iter().any(|s| {
        s.notes
            .get(o)
            .and_then(|r| r.get(c))
            .is_some_and(Option::is_some)
    })
}

/// The grid's title in the panel view: what it shows, and before the
/// flagged cells (so that it is seen at 80 columns) sheets left out and
/// warnings, which the details pane lists.
pub fn grid_title(p: &PanelState) -> String {
    let n = p.sheets().len();
    let flagged = p.merged().map_or(0, |m| m.flagged().len());
    let mut title = format!(
        "Panel consensus · {} of {n} member{}",
        method_words(p.options().method),
        if n == 1 { "" } else { "s" },
    );
    if !p.problems.is_empty() {
        title.push_str(&format!(" · ⚠ {} sheet(s) left out", p.problems.len()));
    }
    match p.warning_count() {
        0 => {}
        1 => title.push_str(" · ⚠ 1 warning"),
        k => title.push_str(&format!(" · ⚠ {k} warnings")),
    }
    title.push_str(&format!(
        " · {flagged} flagged ! (≥ {})",
        numbers::count(p.options().flag_steps, "step", "steps")
    ));
    title
}

/// What opening the panel says: how many sheets, and any left out.
pub fn opened_message(p: &PanelState, beside: Option<&str>) -> String {
    let sheets = match p.sheets().len() {
        1 => "1 member's sheet".to_owned(),
        n => format!("{n} members' sheets"),
    };
    let mut text = match beside {
        Some(name) => format!("Opened the panel: {sheets} found beside {name}"),
        None => format!("Opened the panel: {sheets}"),
    };
    match p.problems.len() {
        0 => {}
        1 => text.push_str("; 1 sheet could not be used (the details say why)"),
        k => text.push_str(&format!(
            "; {k} sheets could not be used (the details say why)"
        )),
    }
    match p.left_out.len() {
        0 => {}
        1 => text.push_str("; 1 more with another file name was not opened"),
        n => text.push_str(&format!("; {n} more with other file names were not opened")),
    }
    text
}

fn bold() -> Style {
    Style::default().add_modifier(Modifier::BOLD)
}

fn dim() -> Style {
    Style::default().add_modifier(Modifier::DIM)
}

/// The details pane in the panel view: sheets left out, the selected
/// cell's (option `o`, criterion `c`) consensus and spread, each member's
/// score and note, then the panel as a whole. `a` is the appraisal, whose
/// own scores are shown beside the members', from the file `doc_name`.
pub fn details_lines(
    p: &PanelState,
    a: &Appraisal,
    (o, c): (usize, usize),
    doc_name: &str,
) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    if !p.problems.is_empty() {
        let n = p.problems.len();
        lines.push(Line::styled(
            format!(
                "⚠ {n} sheet{} could not be used and {} left out; fix {} and open the panel again:",
                if n == 1 { "" } else { "s" },
                if n == 1 { "is" } else { "are" },
                if n == 1 { "it" } else { "them" }
            ),
            bold(),
        ));
        for e in &p.problems {
            lines.push(Line::from(format!("  {e}")));
        }
        lines.push(Line::from(""));
    }
    let warnings = p.warnings();
    if !warnings.is_empty() {
        let n = warnings.len();
        lines.push(Line::styled(
            format!(
                "⚠ Reading the sheets gave {} (the sheets are used; check {}):",
                numbers::count(n as f64, "warning", "warnings"),
                if n == 1 { "it" } else { "them" }
            ),
            bold(),
        ));
        for w in warnings {
            lines.push(Line::from(format!("  {w}")));
        }
        lines.push(Line::from(""));
    }
    if !p.left_out.is_empty() {
        let names: Vec<String> = p.left_out.iter().map(|x| x.display().to_string()).collect();
        lines.push(Line::styled(
            format!(
                "Also beside the appraisal, not opened (other file names): {}. To include them: appraise tui FILE --panel SHEETS",
                names.join(", ")
            ),
            dim(),
        ));
        lines.push(Line::from(""));
    }
    let Some(m) = p.merged() else {
        lines.push(Line::from(format!(
            "The panel could not be merged: {}",
            p.error().unwrap_or("working it out")
        )));
        return lines;
    };
    let scale = a.scale();
    let (Some(opt), Some(crit), Some(cell)) = (
        a.options().get(o),
        a.criteria().get(c),
        m.cells.get(o).and_then(|r| r.get(c)),
    ) else {
        return lines;
    };
    let n = m.members.len();
    let mut head = vec![
        Span::styled(opt.name().to_owned(), bold()),
        Span::raw(" · "),
        Span::styled(crit.name().to_owned(), bold()),
    ];
    if cell.flagged {
        head.push(Span::styled("  ! flagged for discussion", bold()));
    }
    lines.push(Line::from(head));
    match (cell.consensus, cell.min, cell.max, cell.spread) {
        (Some(v), Some(lo), Some(hi), Some(spread)) => {
            lines.push(Line::from(format!(
                "Consensus {} ({}, {} of {n} scored) · lowest {}, highest {} · spread {}",
                numbers::total(v),
                method_words(m.options.method),
                cell.scored,
                numbers::score(lo),
                numbers::score(hi),
                spread_text(spread, scale)
            )));
        }
        _ => lines.push(Line::from(format!(
            "No member has scored this cell (0 of {n})"
        ))),
    }
    let name_w = m
        .members
        .iter()
        .map(|x| x.chars().count())
        .max()
        .unwrap_or(6)
        .clamp(6, 24);
    lines.push(Line::styled(
        format!("{:<name_w$} {:>5}  Note", "Member", "Score"),
        bold(),
    ));
    for (i, member) in m.members.iter().enumerate() {
        let score = cell.scores.get(i).copied().flatten();
        let score_text = score.map_or_else(|| "–".to_owned(), numbers::score);
        let note = p
            .sheets()
            .get(i)
            .and_then(|s| s.notes.get(o))
            .and_then(|r| r.get(c))
            .cloned()
            .flatten();
        let name: String = if member.chars().count() > name_w {
            let mut t: String = member.chars().take(name_w - 1).collect();
            t.push('…');
            t
        } else {
            member.clone()
        };
        let mut note_lines = note.as_deref().unwrap_or("").lines();
        let first = match (score, note_lines.next()) {
            (None, None) => "(not scored)".to_owned(),
            (_, Some(l)) => l.to_owned(),
            (_, None) => String::new(),
        };
        let style = if score.is_none() {
            dim()
        } else {
            Style::default()
        };
        lines.push(Line::styled(
            format!("{name:<name_w$} {score_text:>5}  {first}"),
            style,
        ));
        for l in note_lines {
            lines.push(Line::from(format!("{:width$}{l}", "", width = name_w + 8)));
        }
    }
    if let Some(shared) = a.options().get(o).map(|x| x.score(c)) {
        lines.push(Line::styled(
            format!(
                "Score in {}: {}",
                doc_name,
                shared.map_or_else(|| "not scored".to_owned(), numbers::score)
            ),
            dim(),
        ));
    }
    lines.push(Line::from(""));
    lines.push(Line::styled("The panel", bold()));
    for s in panel::statements(a, m) {
        lines.push(Line::from(format!("• {s}")));
    }
    lines.push(Line::from(""));
    disagreement_lines(p, a, m, &mut lines);
    lines.push(Line::from(""));
    lines.push(Line::styled(
        "Agreement of each member's ranking with the consensus (Kendall tau, 1 = same order)",
        bold(),
    ));
    for v in &m.views {
        let leads: Vec<&str> = v
            .ranks
            .iter()
            .enumerate()
            .filter(|(_, r)| **r == 1)
            .filter_map(|(i, _)| a.options().get(i).map(|x| x.name()))
            .collect();
        let leads = if v.scored == 0 {
            "no scores yet".to_owned()
        } else {
            format!("leads with {}", leads.join(", "))
        };
        lines.push(Line::from(format!(
            "{:<name_w$} {:>5}  {leads}",
            v.member,
            v.tau.map_or_else(|| "n/a".to_owned(), numbers::correlation),
        )));
    }
    lines.push(Line::from(""));
    lines.push(Line::styled(
        format!(
            "Marks: ! spread of {} or more (flagged) · ~ smaller spread · no mark: all agree · · not scored · ¶ a member wrote a note",
            numbers::count(m.options.flag_steps, "step", "steps")
        ),
        dim(),
    ));
    lines
}

/// Ranks shown in the table of the disagreement analysis, so that it fits 80 columns.
const RANKS_SHOWN: usize = 8;

/// The disagreement analysis in the details pane: its statements and each
/// option's chance of each rank, options in the consensus's order.
fn disagreement_lines(p: &PanelState, a: &Appraisal, m: &Merged, lines: &mut Vec<Line<'static>>) {
    lines.push(Line::styled(
        "How sure is the ranking, given how much the members disagree?",
        bold(),
    ));
    let d = match p.disagreement() {
        None => {
            lines.push(Line::styled(
                "Working it out (each score drawn from the members' own scores for that cell)…",
                dim(),
            ));
            return;
        }
        Some(Err(e)) => {
            lines.push(Line::from(format!("It could not be worked out: {e}")));
            return;
        }
        Some(Ok(d)) => d,
    };
    let order = m.results.rank_order();
    let leader = order.first().copied().unwrap_or(0);
    for s in disagreement::statements(&m.consensus, d, leader) {
        lines.push(Line::from(format!("• {}", s.text)));
    }
    if d.varying_cells == 0 {
        return;
    }
    let n = d.options.len();
    let shown = n.min(RANKS_SHOWN);
    let name_w = 24;
    let mut head = format!("{:<name_w$}", "Chance of each rank (%)");
    for r in 1..=shown {
        head.push_str(&format!(" {:>6}", format!("#{r}")));
    }
    lines.push(Line::styled(head, bold()));
    for &i in &order {
        let (Some(o), Some(opt)) = (d.options.get(i), a.options().get(i)) else {
            continue;
        };
        let name: String = if opt.name().chars().count() > name_w {
            let mut t: String = opt.name().chars().take(name_w - 1).collect();
            t.push('…');
            t
        } else {
            opt.name().to_owned()
        };
        let mut row = format!("{name:<name_w$}");
        for b in o.acceptability.iter().take(shown) {
            row.push_str(&format!(" {:>6}", numbers::probability_figure(*b)));
        }
        lines.push(Line::from(row));
    }
    let mut note = format!(
        "From {} seeded samples, the weights as they are.",
        super::export::grouped(d.config.samples)
    );
    if shown < n {
        note.push_str(&format!(" Ranks 1 to {shown} of {n} shown."));
    }
    note.push_str(" appraise panel --disagreement runs more for a report.");
    lines.push(Line::styled(note, dim()));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::SourceFile;
    use crate::panel::parse_sheet;

    const REVIEW: &str = "[appraisal]\ntitle = \"T\"\n[scale]\nmin = 0\nmax = 5\n\
        [[criteria]]\nid = \"x\"\nname = \"X\"\n[[criteria]]\nid = \"y\"\nname = \"Y\"\n\
        [[options]]\nid = \"a\"\nname = \"A\"\n[[options]]\nid = \"b\"\nname = \"B\"\n";

    fn sheet(a: &Appraisal, member: &str, scores: &str) -> Sheet {
        let text = format!("[sheet]\nappraisal = \"r.toml\"\nmember = \"{member}\"\n{scores}");
        parse_sheet(SourceFile::new("s", text), a, None, Path::new(".")).unwrap()
    }

    #[test]
    fn disagreement_is_graded_and_marked() {
        let a = crate::load_str("r", REVIEW).unwrap().appraisal;
        let sheets = vec![
            sheet(&a, "M1", "[scores.a]\nx = 1\ny = 3\n[scores.b]\nx = 4\n"),
            sheet(&a, "M2", "[scores.a]\nx = 4\ny = 4\n[scores.b]\nx = 4\n"),
        ];
        let mut p = PanelState::new(&a, sheets, MergeOptions::default());
        p.refresh(&a, 0);
        let m = p.merged().unwrap();
        let grade = |o: usize, c: usize| Disagreement::of(&m.cells[o][c]);
        assert_eq!(grade(0, 0), Disagreement::Flagged);
        assert_eq!(grade(0, 1), Disagreement::Some);
        assert_eq!(grade(1, 0), Disagreement::None);
        assert_eq!(grade(1, 1), Disagreement::Unscored);
        let (text, style) = cell_show(&m.cells[0][0], 6, false);
        assert_eq!(text, "2.5 ! ");
        assert!(style.add_modifier.contains(Modifier::BOLD));
        assert_eq!(cell_show(&m.cells[1][1], 5, true).0, "  ·  ");
        assert_eq!(cell_show(&m.cells[0][1], 5, true).1.bg, Some(Color::Yellow));
    }

    #[test]
    fn sheets_follow_the_appraisal_by_id() {
        let a = crate::load_str("r", REVIEW).unwrap().appraisal;
        let sheets = vec![sheet(
            &a,
            "M1",
            "[scores.a]\nx = 1\ny = 3\n[scores.b]\nx = 4\n",
        )];
        let mut p = PanelState::new(&a, sheets, MergeOptions::default());
        p.refresh(&a, 0);
        let mut b = a.clone();
        b.move_option(0, 1).unwrap();
        b.move_criterion(0, 1).unwrap();
        p.refresh(&b, 1);
        let m = p.merged().unwrap();
        // Option a is now second, criterion x second.
        assert_eq!(m.cells[1][1].consensus, Some(1.0));
        assert_eq!(m.cells[1][0].consensus, Some(3.0));
        assert_eq!(m.cells[0][1].consensus, Some(4.0));
        assert!(p.is_current(1));
        p.set_method(Method::Median);
        assert!(!p.is_current(1));
    }

    #[test]
    fn methods_cycle_and_spreads_read_in_steps() {
        assert_eq!(next_method(Method::Mean), Method::Median);
        assert_eq!(next_method(Method::Median), Method::TrimmedMean);
        assert_eq!(next_method(Method::TrimmedMean), Method::Sum);
        assert_eq!(next_method(Method::Sum), Method::Mean);
        let s = Scale::new(0.0, 5.0, 1.0).unwrap();
        assert_eq!(spread_text(1.0, &s), "1 step");
        assert_eq!(spread_text(3.0, &s), "3 steps");
        let h = Scale::new(0.0, 10.0, 0.5).unwrap();
        assert_eq!(spread_text(1.5, &h), "1.5 (3 steps)");
        assert_eq!(short_value(3.25), "3.25");
        assert_eq!(short_value(10.0), "10");
    }
}
