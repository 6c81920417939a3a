//! The guided start of a new appraisal (`appraise new FILE` on a terminal):
//! a screen of its own, step by step, before the scoring screen opens on
//! the file it writes.
//!
//! The steps are the title, the scale, the wording of its points, groups
//! for the criteria (if wanted), the criteria, the options, and a last look
//! before the file is written. It follows the scoring screen's pattern: keys
//! become actions through the one key table ([`super::keymap`]),
//! [`update`] changes the [`Start`] and returns the [`StartEffect`]s for the
//! runner ([`run`]) to perform, and [`view`] draws from the state alone.
//! Nothing touches the disk until the last step is confirmed; then the file
//! is written whole or not at all, and a file already there is replaced only
//! when the user says so.

use std::path::{Path, PathBuf};

use crate::model::{Scale, check_name};
use crate::numbers;
use crate::skeleton::{MAX_ITEMS, Plan, SkeletonError};

use super::action::{Action, Input};
use super::keymap::{KeyMode, Place, StartQuestion, start_question_keys};
use super::text::TextInput;

pub mod run;
pub mod view;

#[cfg(test)]
mod tests;

pub use run::run;

/// The steps, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Step {
    /// The appraisal's title.
    Title,
    /// The lowest and highest score and the step between scores.
    Scale,
    /// What the points of the scale mean.
    Wording,
    /// Headings to group the criteria under (none is fine).
    Groups,
    /// The criteria, each in a group if there are groups.
    Criteria,
    /// The options.
    Options,
    /// A last look, and the file's name, before it is written.
    Review,
}

impl Step {
    /// Every step, in order.
    pub const ALL: [Step; 7] = [
        Step::Title,
        Step::Scale,
        Step::Wording,
        Step::Groups,
        Step::Criteria,
        Step::Options,
        Step::Review,
    ];

    /// The step's short name, for the line of steps.
    pub fn name(self) -> &'static str {
        match self {
            Step::Title => "Title",
            Step::Scale => "Scale",
            Step::Wording => "Wording",
            Step::Groups => "Groups",
            Step::Criteria => "Criteria",
            Step::Options => "Options",
            Step::Review => "Write",
        }
    }

    /// Its number, from 1.
    pub fn number(self) -> usize {
        Step::ALL.iter().position(|s| *s == self).unwrap_or(0) + 1
    }

    fn next(self) -> Step {
        Step::ALL.get(self.number()).copied().unwrap_or(self)
    }

    fn back(self) -> Option<Step> {
        self.number().checked_sub(2).map(|k| Step::ALL[k])
    }
}

/// One line of a list: a name, and (for a criterion) its group.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Row {
    /// The name as typed.
    pub name: TextInput,
    /// The group, as an index into the groups list.
    pub group: Option<usize>,
}

impl Row {
    fn named(name: &str, group: Option<usize>) -> Row {
        Row {
            name: TextInput::single(name),
            group,
        }
    }

    fn is_empty(&self) -> bool {
        self.name.text().trim().is_empty()
    }
}

/// A list being typed: groups, criteria or options. The last line is always
/// an empty one, where the next name is typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct List {
    /// The lines, the last one empty.
    pub rows: Vec<Row>,
    /// The line the cursor is on.
    pub at: usize,
    /// Whether the cursor is on the line's group rather than its name.
    pub on_group: bool,
}

impl Default for List {
    fn default() -> List {
        List {
            rows: vec![Row::default()],
            at: 0,
            on_group: false,
        }
    }
}

impl List {
    /// A list holding `names`, with the cursor on the empty line after them.
    pub fn of(names: &[&str]) -> List {
        let mut l = List {
            rows: names.iter().map(|n| Row::named(n, None)).collect(),
            at: names.len(),
            on_group: false,
        };
        l.tidy();
        l
    }

    /// The names typed, trimmed, empty lines left out, with their groups.
    pub fn names(&self) -> Vec<(String, Option<usize>)> {
        self.rows
            .iter()
            .filter(|r| !r.is_empty())
            .map(|r| (r.name.text().trim().to_owned(), r.group))
            .collect()
    }

    /// Keeps one empty line at the end (with the group of the line above,
    /// so that a group's criteria can be typed one after another), and no
    /// more than one.
    fn tidy(&mut self) {
        while self.rows.len() >= 2
            && self.rows[self.rows.len() - 1].is_empty()
            && self.rows[self.rows.len() - 2].is_empty()
            && self.at < self.rows.len() - 1
        {
            self.rows.pop();
        }
        if self.rows.last().is_none_or(|r| !r.is_empty()) {
            let group = self.rows.last().and_then(|r| r.group);
            self.rows.push(Row {
                name: TextInput::default(),
                group,
            });
        }
        self.at = self.at.min(self.rows.len() - 1);
    }

    fn row(&mut self) -> &mut Row {
        let at = self.at.min(self.rows.len().saturating_sub(1));
        if self.rows.is_empty() {
            self.rows.push(Row::default());
        }
        &mut self.rows[at]
    }

    fn on_last(&self) -> bool {
        self.at + 1 >= self.rows.len()
    }

    /// Removes the line under the cursor; returns its index.
    fn remove(&mut self) -> Option<usize> {
        if self.on_last() {
            // The empty line for the next name: only its text goes.
            *self.row() = Row {
                group: self.row().group,
                ..Row::default()
            };
            return None;
        }
        let at = self.at;
        self.rows.remove(at);
        self.tidy();
        Some(at)
    }

    /// Moves the line under the cursor up (-1) or down (+1); returns the two
    /// indexes swapped.
    fn shift(&mut self, by: i8) -> Option<(usize, usize)> {
        let at = self.at;
        let to = at.checked_add_signed(isize::from(by))?;
        // The empty last line stays last.
        if at + 1 >= self.rows.len() || to + 1 >= self.rows.len() {
            return None;
        }
        self.rows.swap(at, to);
        self.at = to;
        Some((at, to))
    }

    /// Puts pasted lines in: the first where the cursor is, the rest as new
    /// lines after it.
    fn paste(&mut self, text: &str) {
        let lines: Vec<&str> = text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect();
        for (k, line) in lines.iter().enumerate() {
            if k > 0 {
                let group = self.row().group;
                self.at += 1;
                self.rows.insert(self.at, Row::named("", group));
            }
            for ch in line.chars() {
                self.row().name.insert(ch);
            }
        }
        self.tidy();
    }
}

/// A message on the line above the hints.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    /// Whether it says something is wrong.
    pub error: bool,
    /// What it says.
    pub text: String,
}

/// The guided start, from the first step to the file written.
#[derive(Debug, Clone, PartialEq)]
pub struct Start {
    /// The step shown.
    pub step: Step,
    /// The title.
    pub title: TextInput,
    /// Lowest score, highest score, step between scores, as typed.
    pub scale: [TextInput; 3],
    /// The scale field the cursor is in.
    pub scale_at: usize,
    /// Wording for the points asked about, as (point, text).
    pub wording: Vec<(f64, TextInput)>,
    /// Wording typed for points no longer asked about (the scale was
    /// changed), kept in case it is changed back.
    pub wording_kept: Vec<(f64, String)>,
    /// The wording field the cursor is in.
    pub wording_at: usize,
    /// Groups for the criteria.
    pub groups: List,
    /// The criteria.
    pub criteria: List,
    /// The options.
    pub options: List,
    /// The file to write, as typed on the last step.
    pub file: TextInput,
    /// Whether a file was at that name when the start began.
    pub existed: bool,
    /// The message line.
    pub note: Option<Note>,
    /// A question waiting for its answer.
    pub question: Option<StartQuestion>,
    /// The help screen, open at this scroll position.
    pub help: Option<u16>,
    /// The window's size.
    pub size: (u16, u16),
    /// Set once the file is written: the scoring screen opens on it.
    pub written: Option<PathBuf>,
    /// Set when the user leaves without writing.
    pub left: bool,
    /// What ended the start, when not the user: "SIGTERM", "SIGHUP", or
    /// [`super::runner::TERMINAL_LOST`]. Nothing is written then.
    pub stopped_by: Option<&'static str>,
}

/// What the runner does for the guided start.
#[derive(Debug, Clone, PartialEq)]
pub enum StartEffect {
    /// Write the new appraisal for `plan` to `path`, whole or not at all;
    /// replace a file already there only if `replace` (the user said so).
    Write {
        /// The file.
        path: PathBuf,
        /// What goes in it.
        plan: Box<Plan>,
        /// Whether the user agreed to replace a file already there.
        replace: bool,
    },
}

/// The usual scale: 0 to 5 in whole points.
const DEFAULT_SCALE: (f64, f64, f64) = (0.0, 5.0, 1.0);

/// Most points of a scale asked about one by one; a longer scale is asked
/// about at its two ends.
pub const WORD_EACH_POINT: usize = 11;

/// Standard wording for a scale of `n` points, lowest first, where there is
/// one; for a long scale, words for its ends only (`None` between).
pub fn standard_wording(n: usize) -> Vec<Option<&'static str>> {
    const NONE: &str = "Does not meet the criterion";
    const FULL: &str = "Fully meets it, with no concerns";
    let words: &[&str] = match n {
        2 => &[NONE, "Meets the criterion"],
        3 => &[NONE, "Partly meets it, with some concerns", FULL],
        4 => &[
            NONE,
            "Partly meets it, with significant concerns",
            "Meets it well, with minor concerns",
            FULL,
        ],
        5 => &[
            NONE,
            "Partly meets it, with significant concerns",
            "Meets it adequately, with some concerns",
            "Meets it well, with minor concerns",
            FULL,
        ],
        6 => &[
            NONE,
            "Meets it poorly, with serious concerns",
            "Partly meets it, with significant concerns",
            "Meets it adequately, with some concerns",
            "Meets it well, with minor concerns",
            FULL,
        ],
        _ => &[],
    };
    if words.len() == n {
        return words.iter().map(|w| Some(*w)).collect();
    }
    (0..n)
        .map(|k| {
            if k == 0 {
                Some(NONE)
            } else if k + 1 == n {
                Some(FULL)
            } else {
                None
            }
        })
        .collect()
}

impl Start {
    /// The guided start for a new appraisal at `path`, with the usual
    /// suggestions filled in: title "New appraisal", a 0 to 5 scale in whole
    /// points with standard wording, no groups. `existed` says whether a
    /// file is already at `path` (it is never replaced without asking).
    pub fn new(path: &Path, existed: bool) -> Start {
        let num = |x: f64| TextInput::prefilled(&numbers::score(x));
        let (lo, hi, step) = DEFAULT_SCALE;
        let mut s = Start {
            step: Step::Title,
            title: TextInput::prefilled("New appraisal"),
            scale: [num(lo), num(hi), num(step)],
            scale_at: 0,
            wording: Vec::new(),
            wording_kept: Vec::new(),
            wording_at: 0,
            groups: List::default(),
            criteria: List::default(),
            options: List::default(),
            file: TextInput::single(&path.display().to_string()),
            existed,
            note: None,
            question: None,
            help: None,
            size: (80, 24),
            written: None,
            left: false,
            stopped_by: None,
        };
        s.word_the_scale();
        if existed {
            s.note = Some(Note {
                error: false,
                text: format!(
                    "{} already exists. It is kept: you will be asked before anything replaces it.",
                    path.display()
                ),
            });
        }
        s
    }

    /// Offers `title` and the scale `(min, max, step)` instead of the usual
    /// ones (from the command line's `--title`, `--min`, `--max`, `--step`).
    pub fn suggest(mut self, title: &str, scale: (f64, f64, f64)) -> Start {
        self.title = TextInput::prefilled(title);
        let (lo, hi, step) = scale;
        self.scale = [lo, hi, step].map(|x| TextInput::prefilled(&numbers::score(x)));
        self.wording.clear();
        self.word_the_scale();
        self
    }

    /// What a key means now, for the key table.
    pub fn key_mode(&self) -> KeyMode {
        if self.help.is_some() {
            KeyMode::Help
        } else if self.question.is_some() {
            KeyMode::Question
        } else if self.step == Step::Criteria && self.criteria.on_group && self.has_groups() {
            KeyMode::StartGroup
        } else {
            KeyMode::StartField
        }
    }

    /// Where the hint bar is, for its hints.
    pub fn place(&self) -> Place {
        match self.step {
            Step::Title | Step::Scale | Step::Wording => Place::StartField,
            Step::Criteria if self.criteria.on_group && self.has_groups() => Place::StartGroup,
            Step::Criteria if self.has_groups() => Place::StartGroupedList,
            Step::Groups | Step::Criteria | Step::Options => Place::StartList,
            Step::Review => Place::StartReview,
        }
    }

    /// The hints for the bottom line: the question's keys while it waits,
    /// else the step's, from the key table.
    pub fn hints(&self) -> Vec<(String, &'static str)> {
        if let Some(q) = self.question {
            return start_question_keys(q)
                .into_iter()
                .map(|(k, d, _)| (k.to_owned(), d))
                .collect();
        }
        if self.help.is_some() {
            return vec![("↑↓".to_owned(), "scroll"), ("Esc".to_owned(), "close")];
        }
        let mut hints = super::keymap::start_hints(self.place());
        // One field: no other to move to. On the first step Esc leaves,
        // as Ctrl-c does, so it is not offered as "back".
        if matches!(self.step, Step::Title | Step::Review) {
            hints.retain(|(_, w)| *w != "field");
        }
        if self.step == Step::Title {
            hints.retain(|(k, _)| k != "Esc");
        }
        hints
    }

    /// Whether any group has been named.
    pub fn has_groups(&self) -> bool {
        !self.groups.names().is_empty()
    }

    /// The scale typed, if it is one.
    pub fn scale_typed(&self) -> Result<Scale, String> {
        let what = ["lowest score", "highest score", "step between scores"];
        let mut v = [0.0; 3];
        for (k, input) in self.scale.iter().enumerate() {
            let text = input.text();
            let t = text.trim();
            match t.parse::<f64>() {
                Ok(x) if x.is_finite() => v[k] = x,
                _ if t.is_empty() => return Err(format!("Type the {}", what[k])),
                _ => {
                    return Err(format!(
                        "'{t}' is not a number: type the {} as a number, such as 0, 5 or 0.5",
                        what[k]
                    ));
                }
            }
        }
        Scale::new(v[0], v[1], v[2]).map_err(|e| format!("That scale cannot be used: {e}"))
    }

    /// Builds the wording fields for the scale typed, keeping what was
    /// typed for points still on it and offering standard wording for the rest.
    fn word_the_scale(&mut self) {
        let Ok(scale) = self.scale_typed() else {
            return;
        };
        let points: Vec<f64> = scale.points().collect();
        let asked: Vec<f64> = if points.len() <= WORD_EACH_POINT {
            points.clone()
        } else {
            vec![scale.min(), scale.max()]
        };
        let standard = standard_wording(points.len());
        // What was typed is kept; standard wording is offered afresh, since
        // the same words may suit another point of another scale.
        let offered: Vec<&str> = (2..=6).flat_map(standard_wording).flatten().collect();
        let mut kept: Vec<(f64, String)> = std::mem::take(&mut self.wording)
            .into_iter()
            .map(|(p, t)| (p, t.text()))
            .chain(std::mem::take(&mut self.wording_kept))
            .filter(|(_, t)| !offered.contains(&t.as_str()))
            .collect();
        for p in asked {
            let text = match kept.iter().position(|(q, _)| *q == p) {
                Some(i) => TextInput::single(&kept.remove(i).1),
                None => {
                    let k = points.iter().position(|q| *q == p).unwrap_or(0);
                    TextInput::prefilled(standard.get(k).copied().flatten().unwrap_or(""))
                }
            };
            self.wording.push((p, text));
        }
        self.wording_kept = kept;
        self.wording_at = self.wording_at.min(self.wording.len().saturating_sub(1));
    }

    /// The plan the answers make, checked; the error names the step and
    /// says what to do.
    pub fn plan(&self) -> Result<Plan, (Step, String)> {
        let title = self.title.text().trim().to_owned();
        check_name(&title).map_err(|e| (Step::Title, format!("The title cannot be used: {e}")))?;
        let scale = self.scale_typed().map_err(|e| (Step::Scale, e))?;
        let mut labels = Vec::new();
        let mut check = scale.clone();
        for (p, t) in &self.wording {
            let text = t.text().trim().to_owned();
            if text.is_empty() {
                continue;
            }
            check.set_label(*p, text.clone()).map_err(|e| {
                (
                    Step::Wording,
                    format!("The wording for {} cannot be used: {e}", numbers::score(*p)),
                )
            })?;
            labels.push((*p, text));
        }
        let groups = checked(&self.groups, "group", 0).map_err(|e| (Step::Groups, e))?;
        let criteria = checked(&self.criteria, "criterion", 1).map_err(|e| (Step::Criteria, e))?;
        let (groups, criterion_groups) = if groups.is_empty() {
            (Vec::new(), Vec::new())
        } else {
            let in_group: Vec<Option<usize>> = self
                .criteria
                .names()
                .into_iter()
                .map(|(_, g)| g.filter(|g| *g < groups.len()))
                .collect();
            if let Some(g) = (0..groups.len()).find(|g| !in_group.contains(&Some(*g))) {
                return Err((
                    Step::Criteria,
                    format!(
                        "The group \"{}\" has no criteria: Tab to a criterion's group and choose it, or go back (Esc) and remove the group",
                        groups[g]
                    ),
                ));
            }
            (groups, in_group)
        };
        let options = checked(&self.options, "option", 1).map_err(|e| (Step::Options, e))?;
        Ok(Plan {
            title,
            scale: (scale.min(), scale.max(), scale.step()),
            labels,
            criteria,
            groups,
            criterion_groups,
            options,
        })
    }

    fn say(&mut self, text: impl Into<String>) {
        self.note = Some(Note {
            error: false,
            text: text.into(),
        });
    }

    fn complain(&mut self, text: impl Into<String>) {
        self.note = Some(Note {
            error: true,
            text: text.into(),
        });
    }

    /// The list on the step shown, if it is a list.
    fn list(&mut self) -> Option<&mut List> {
        match self.step {
            Step::Groups => Some(&mut self.groups),
            Step::Criteria => Some(&mut self.criteria),
            Step::Options => Some(&mut self.options),
            _ => None,
        }
    }

    /// The list on the step shown; the criteria on a step with no list
    /// (never reached: callers check [`Start::list`] first).
    fn list_or_criteria(&mut self) -> &mut List {
        match self.step {
            Step::Groups => &mut self.groups,
            Step::Options => &mut self.options,
            _ => &mut self.criteria,
        }
    }

    /// The text field the cursor is in.
    fn field(&mut self) -> &mut TextInput {
        match self.step {
            Step::Title => &mut self.title,
            Step::Scale => &mut self.scale[self.scale_at.min(2)],
            Step::Wording if !self.wording.is_empty() => {
                let at = self.wording_at.min(self.wording.len() - 1);
                &mut self.wording[at].1
            }
            Step::Wording | Step::Review => &mut self.file,
            Step::Groups => &mut self.groups.row().name,
            Step::Criteria => &mut self.criteria.row().name,
            Step::Options => &mut self.options.row().name,
        }
    }

    /// Goes to `step`, doing what arriving there needs.
    fn go(&mut self, step: Step) {
        if step == Step::Wording && self.step == Step::Scale {
            self.word_the_scale();
        }
        if self.step == Step::Groups && step > Step::Groups {
            self.drop_empty_groups();
        }
        self.step = step;
        if step == Step::Criteria && !self.has_groups() {
            self.criteria.on_group = false;
        }
    }

    /// Leaves out empty group lines, so that criteria name groups by their
    /// place among the groups that are there.
    fn drop_empty_groups(&mut self) {
        let mut k = 0;
        while k + 1 < self.groups.rows.len() {
            if self.groups.rows[k].is_empty() {
                self.groups.rows.remove(k);
                self.regroup(|g| match g.cmp(&k) {
                    std::cmp::Ordering::Less => Some(g),
                    std::cmp::Ordering::Equal => None,
                    std::cmp::Ordering::Greater => Some(g - 1),
                });
            } else {
                k += 1;
            }
        }
        self.groups.at = self.groups.at.min(self.groups.rows.len() - 1);
    }

    /// Renumbers the criteria's groups after the groups list changed.
    fn regroup(&mut self, map: impl Fn(usize) -> Option<usize>) {
        for r in &mut self.criteria.rows {
            r.group = r.group.and_then(&map);
        }
    }

    /// Checks the step shown and, if it is complete, goes on.
    fn confirm_step(&mut self) -> Vec<StartEffect> {
        let problem = match self.step {
            Step::Title => {
                let t = self.title.text();
                check_name(t.trim())
                    .err()
                    .map(|e| format!("The title cannot be used: {e}"))
            }
            Step::Scale => self.scale_typed().err(),
            Step::Wording | Step::Groups | Step::Criteria | Step::Options => {
                match self.plan() {
                    // Only this step's problems stop it; later steps are
                    // still to come.
                    Err((step, e)) if step <= self.step => {
                        if step < self.step {
                            self.step = step;
                        }
                        Some(e)
                    }
                    _ => None,
                }
            }
            Step::Review => return self.write(false),
        };
        match problem {
            Some(e) => {
                self.focus_problem();
                self.complain(e);
            }
            None => {
                self.note = None;
                let next = self.step.next();
                self.go(next);
            }
        }
        Vec::new()
    }

    /// Puts the cursor on the list line a problem is about, where there is one.
    fn focus_problem(&mut self) {
        let Some(list) = self.list() else { return };
        let names: Vec<String> = list.rows.iter().map(|r| r.name.text()).collect();
        if let Some(k) = names
            .iter()
            .position(|n| check_name(n.trim()).is_err() && !n.trim().is_empty())
        {
            list.at = k;
            return;
        }
        let mut seen: Vec<String> = Vec::new();
        for (k, n) in names.iter().enumerate() {
            let key = n.trim().to_lowercase();
            if key.is_empty() {
                continue;
            }
            if seen.contains(&key) {
                list.at = k;
                return;
            }
            seen.push(key);
        }
    }

    /// Asks for the file to be written.
    fn write(&mut self, replace: bool) -> Vec<StartEffect> {
        let plan = match self.plan() {
            Ok(p) => p,
            Err((step, e)) => {
                self.step = step;
                self.focus_problem();
                self.complain(e);
                return Vec::new();
            }
        };
        let name = self.file.text().trim().to_owned();
        if name.is_empty() {
            self.complain("Type the name of the file to write, such as review.toml");
            return Vec::new();
        }
        self.say(format!("Writing {name}…"));
        vec![StartEffect::Write {
            path: PathBuf::from(name),
            plan: Box::new(plan),
            replace,
        }]
    }

    /// Takes back what writing the file came to.
    pub fn finished(&mut self, path: &Path, outcome: Result<String, SkeletonError>) {
        match outcome {
            Ok(_) => {
                self.written = Some(path.to_owned());
                self.say(format!("Wrote {}", path.display()));
            }
            Err(SkeletonError::Exists { .. }) => {
                self.question = Some(StartQuestion::Replace);
                self.note = None;
            }
            Err(e) => self.complain(format!("Nothing was written: {e}")),
        }
    }

    fn answer(&mut self, q: StartQuestion, c: char) -> Vec<StartEffect> {
        let keys = start_question_keys(q);
        let Some(choice) = keys.iter().position(|(_, _, cs)| cs.contains(&c)) else {
            let says: Vec<String> = keys
                .iter()
                .map(|(k, d, _)| format!("{}: {d}", k.replace(' ', " or ")))
                .collect();
            self.say(says.join("; "));
            return Vec::new();
        };
        self.question = None;
        match (q, choice) {
            (StartQuestion::Leave, 0) => {
                self.left = true;
                Vec::new()
            }
            (StartQuestion::Replace, 0) => self.write(true),
            (StartQuestion::Replace, _) => {
                self.say("Type another name for the file, then Enter");
                Vec::new()
            }
            _ => {
                self.note = None;
                Vec::new()
            }
        }
    }

    /// Whether anything has been typed that leaving would lose.
    fn typed_anything(&self) -> bool {
        *self
            != Start::new(&PathBuf::from(self.file.text()), self.existed)
                .with_size(self.size)
                .with_note(self.note.clone())
    }

    fn with_size(mut self, size: (u16, u16)) -> Start {
        self.size = size;
        self
    }

    fn with_note(mut self, note: Option<Note>) -> Start {
        self.note = note;
        self
    }

    fn leave(&mut self) {
        if self.typed_anything() {
            self.question = Some(StartQuestion::Leave);
        } else {
            self.left = true;
        }
    }
}

/// The names of a list, checked: each usable, none twice, at least `min`.
fn checked(list: &List, what: &str, min: usize) -> Result<Vec<String>, String> {
    let names: Vec<String> = list.names().into_iter().map(|(n, _)| n).collect();
    if names.len() < min {
        return Err(format!("Type at least one {what}, then Enter"));
    }
    if names.len() > MAX_ITEMS {
        return Err(format!(
            "At most {MAX_ITEMS} of these; for a larger appraisal, use `appraise import` on the spreadsheet that holds it"
        ));
    }
    for (k, n) in names.iter().enumerate() {
        check_name(n).map_err(|e| format!("The {what} on line {} cannot be used: {e}", k + 1))?;
        if let Some(first) = names[..k]
            .iter()
            .position(|m| m.to_lowercase() == n.to_lowercase())
        {
            return Err(format!(
                "\"{n}\" is on lines {} and {}: give each {what} a name of its own, or remove one (Ctrl-d)",
                first + 1,
                k + 1
            ));
        }
    }
    Ok(names)
}

/// Applies `action` to the guided start and returns what the runner should do.
pub fn update(s: &mut Start, action: Action) -> Vec<StartEffect> {
    if let Action::Resize(w, h) = action {
        s.size = (w, h);
        return Vec::new();
    }
    if let Some(scroll) = s.help {
        s.help = match action {
            Action::Input(Input::Up) => Some(scroll.saturating_sub(1)),
            Action::Input(Input::Down) => {
                Some(scroll.saturating_add(1).min(view::help_max_scroll(s)))
            }
            Action::PageUp => Some(scroll.saturating_sub(10)),
            Action::PageDown => Some(scroll.saturating_add(10).min(view::help_max_scroll(s))),
            Action::Paste(_) => Some(scroll),
            // Any other key closes the help, as on the scoring screen.
            _ => None,
        };
        return Vec::new();
    }
    if let Some(q) = s.question {
        return match action {
            Action::Input(Input::Char(c)) => s.answer(q, c.to_ascii_lowercase()),
            Action::Input(Input::Enter) => s.answer(q, '\n'),
            Action::Input(Input::Esc) => s.answer(q, '\x1b'),
            Action::Help => {
                s.help = Some(0);
                Vec::new()
            }
            _ => Vec::new(),
        };
    }
    match action {
        Action::Help => {
            s.help = Some(0);
            Vec::new()
        }
        Action::Quit => {
            s.leave();
            Vec::new()
        }
        Action::Paste(text) => {
            paste(s, &text);
            Vec::new()
        }
        Action::Input(i) => input(s, i),
        Action::Unbound(k) => {
            s.say(format!("{k} does nothing here: F1 lists the keys"));
            Vec::new()
        }
        _ => Vec::new(),
    }
}

fn paste(s: &mut Start, text: &str) {
    if s.step == Step::Criteria && s.criteria.on_group && s.has_groups() {
        s.criteria.on_group = false;
    }
    if let Some(list) = s.list() {
        list.paste(text);
        return;
    }
    let one_line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let field = s.field();
    for ch in one_line.chars() {
        field.insert(ch);
    }
}

fn input(s: &mut Start, i: Input) -> Vec<StartEffect> {
    match i {
        Input::Enter => return enter(s),
        Input::Esc => {
            match s.step.back() {
                Some(step) => {
                    s.note = None;
                    s.go(step);
                }
                None => s.leave(),
            }
            return Vec::new();
        }
        _ => {}
    }
    let groups = s.groups.names().len();
    match s.step {
        Step::Title | Step::Review => edit(s.field(), i),
        Step::Scale | Step::Wording => {
            let n = if s.step == Step::Scale {
                3
            } else {
                s.wording.len()
            };
            let at = if s.step == Step::Scale {
                &mut s.scale_at
            } else {
                &mut s.wording_at
            };
            match i {
                Input::Tab | Input::Down => *at = (*at + 1).min(n.saturating_sub(1)),
                Input::BackTab | Input::Up => *at = at.saturating_sub(1),
                _ => edit(s.field(), i),
            }
        }
        Step::Groups | Step::Criteria | Step::Options => list_input(s, i, groups),
    }
    Vec::new()
}

/// A key typed into a text field.
fn edit(t: &mut TextInput, i: Input) {
    match i {
        Input::Char(c) => t.insert(c),
        Input::Backspace => t.backspace(),
        Input::Delete => t.delete(),
        Input::Left => t.left(),
        Input::Right => t.right(),
        Input::Home => t.home(),
        Input::End => t.end(),
        _ => {}
    }
}

fn enter(s: &mut Start) -> Vec<StartEffect> {
    let Some(list) = s.list() else {
        return s.confirm_step();
    };
    if list.on_last() && list.row().is_empty() {
        return s.confirm_step();
    }
    list.at += 1;
    list.on_group = false;
    list.tidy();
    s.note = None;
    Vec::new()
}

fn list_input(s: &mut Start, i: Input, groups: usize) {
    let step = s.step;
    if s.list().is_none() {
        return;
    }
    let grouped = step == Step::Criteria && groups > 0;
    match i {
        Input::Up | Input::Down => {
            let list = s.list_or_criteria();
            list.at = if i == Input::Up {
                list.at.saturating_sub(1)
            } else {
                (list.at + 1).min(list.rows.len() - 1)
            };
            list.tidy();
        }
        Input::Tab | Input::BackTab => {
            let list = s.list_or_criteria();
            let forward = i == Input::Tab;
            match (grouped, list.on_group, forward) {
                (true, false, true) => list.on_group = true,
                (true, true, false) => list.on_group = false,
                (true, true, true) => {
                    if !list.on_last() {
                        list.at += 1;
                        list.on_group = false;
                    }
                }
                (true, false, false) => {
                    if list.at > 0 {
                        list.at -= 1;
                        list.on_group = true;
                    }
                }
                (false, _, true) => list.at = (list.at + 1).min(list.rows.len() - 1),
                (false, _, false) => list.at = list.at.saturating_sub(1),
            }
            list.tidy();
        }
        Input::MoveUp | Input::MoveDown => {
            let by = if i == Input::MoveUp { -1 } else { 1 };
            let swapped = s.list_or_criteria().shift(by);
            if let (Step::Groups, Some((a, b))) = (step, swapped) {
                s.regroup(|g| {
                    Some(if g == a {
                        b
                    } else if g == b {
                        a
                    } else {
                        g
                    })
                });
            }
        }
        Input::Remove => {
            let removed = s.list_or_criteria().remove();
            if let (Step::Groups, Some(k)) = (step, removed) {
                s.regroup(|g| match g.cmp(&k) {
                    std::cmp::Ordering::Less => Some(g),
                    std::cmp::Ordering::Equal => None,
                    std::cmp::Ordering::Greater => Some(g - 1),
                });
            }
        }
        other if grouped && s.criteria.on_group => {
            let row = s.criteria.row();
            // None, then each group in turn.
            let choices = groups + 1;
            let now = row.group.map_or(0, |g| g + 1);
            let next = match other {
                Input::Right | Input::Char(' ') => Some((now + 1) % choices),
                Input::Left => Some((now + choices - 1) % choices),
                Input::Char(c) => c.to_digit(10).map(|d| d as usize).filter(|d| *d < choices),
                _ => None,
            };
            if let Some(n) = next {
                row.group = n.checked_sub(1);
            }
        }
        other => {
            let list = s.list_or_criteria();
            list.on_group = false;
            // A criterion typed on the new line goes in the group of the
            // line above, so that a group's criteria follow one another.
            if list.on_last() && list.row().is_empty() && list.at > 0 {
                list.rows[list.at].group = list.rows[list.at - 1].group;
            }
            edit(&mut list.row().name, other);
            list.tidy();
        }
    }
}

/// The question's words, for the view.
pub fn question_words(s: &Start, q: StartQuestion) -> (String, String) {
    match q {
        StartQuestion::Leave => (
            "Leave without writing anything?".to_owned(),
            "Nothing has been written yet; what you typed will be lost.".to_owned(),
        ),
        StartQuestion::Replace => (
            format!("{} already exists", s.file.text().trim()),
            "Replacing it loses what is in it now.".to_owned(),
        ),
    }
}
