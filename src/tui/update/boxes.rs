//! Boxes the user types into: a cell's note, and the one-line boxes that
//! ask for a weight, a name or a file. Pasted text goes into them too.

use crate::model::{Appraisal, AppraisalOption, Criterion, Id, RemovedCriterion};

use super::super::action::{Action, Input};
use super::super::app::{App, Confirm, Mode, NoteEditor, Prompt, PromptKind};
use super::super::edit::Edit;
use super::super::effect::Effect;
use super::super::evidence;
use super::super::export::ExportJob;
use super::super::swing::SwingStep;
use super::super::text::TextInput;
use super::grid::typed_path;
use super::{Effects, apply, friendly, open_help, save, save_asking};

/// Pasted text: typed into an open note or one-line box (a one-line box
/// takes the lines joined by spaces), and refused anywhere else, so that a
/// paste on the grid never runs as a string of commands.
pub(super) fn paste(app: &mut App, text: &str) {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    match &mut app.view.mode {
        Mode::Note(editor) | Mode::Evidence(editor) => {
            for ch in text.chars() {
                match ch {
                    '\n' => editor.input.newline(),
                    '\t' => (0..4).for_each(|_| editor.input.insert(' ')),
                    c => editor.input.insert(c),
                }
            }
        }
        Mode::Prompt(prompt) => {
            let line = text.trim_end_matches('\n').replace(['\n', '\t'], " ");
            for ch in line.chars() {
                prompt.input.insert(ch);
            }
        }
        Mode::Swing(swing) if swing.step == SwingStep::Value => {
            for ch in text.trim().chars() {
                swing.type_char(ch);
            }
        }
        Mode::Normal | Mode::Sensitivity => app.view.error(
            "Pasting does nothing on the grid, so pasted text cannot run as keys: press n to open the cell's note, then paste",
        ),
        _ => app
            .view
            .error("Pasting does nothing here: paste into a note or a text box"),
    }
}

fn commit_note(app: &mut App, editor: &NoteEditor) {
    let old = app
        .doc
        .appraisal()
        .options()
        .get(editor.o)
        .and_then(|x| x.note(editor.c))
        .map(str::to_owned);
    let text = editor.input.text();
    let new = (!text.trim().is_empty()).then_some(text);
    if old == new {
        app.view.info(closed_unchanged(TextBox::Note));
        return;
    }
    let removed = new.is_none();
    if apply(
        app,
        Edit::Note {
            o: editor.o,
            c: editor.c,
            old,
            new,
        },
    ) {
        app.view.info(if removed {
            "Note removed (u to undo)"
        } else {
            "Note kept (u to undo)"
        });
    }
}

/// The keys that move and delete in a many-line box, the same in the note
/// and the evidence boxes.
fn edit_keys(input: &mut TextInput, key: Input) {
    match key {
        Input::Backspace => input.backspace(),
        Input::Delete => input.delete(),
        Input::Left => input.left(),
        Input::Right => input.right(),
        Input::Up | Input::MoveUp => input.up(),
        Input::Down | Input::MoveDown => input.down(),
        Input::Home => input.home(),
        Input::End => input.end(),
        _ => {}
    }
}

/// Reads the evidence box back into points and applies them; `false`
/// (the box stays open, nothing lost) when a line has no sign.
fn commit_evidence(app: &mut App, editor: &NoteEditor) -> bool {
    let new = match evidence::parse(&editor.input.text()) {
        Ok(e) => e,
        Err(line) => {
            app.view.error(format!(
                "Line {line} needs a sign at its start: + for a point for, − (or -) for a point against; Tab adds one"
            ));
            return false;
        }
    };
    let a = app.doc.appraisal();
    let old = a
        .options()
        .get(editor.o)
        .and_then(|x| x.evidence().get(editor.c))
        .cloned()
        .unwrap_or_default();
    if old == new {
        app.view.info(closed_unchanged(TextBox::Evidence));
        return true;
    }
    let before = a.version();
    let after = if new.is_empty() {
        before
    } else {
        before.max(2)
    };
    let (n_for, n_against) = (new.for_.len(), new.against.len());
    if apply(
        app,
        Edit::Evidence {
            o: editor.o,
            c: editor.c,
            old,
            new,
            versions: (before, after),
        },
    ) {
        let points = |n: usize| if n == 1 { "point" } else { "points" };
        app.view.info(format!(
            "Evidence kept: {n_for} {} for, {n_against} against (u to undo){}",
            points(n_for),
            if after > before {
                "; the file is saved as format version 2, which holds evidence"
            } else {
                ""
            }
        ));
    }
    true
}

/// Which many-line box is open: a note, or the evidence for and against a
/// score (a note-like box of points, one a line, each starting with + for
/// or − against).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum TextBox {
    /// The cell's note.
    Note,
    /// The cell's evidence.
    Evidence,
}

impl TextBox {
    fn mode(self, editor: NoteEditor) -> Mode {
        match self {
            TextBox::Note => Mode::Note(editor),
            TextBox::Evidence => Mode::Evidence(editor),
        }
    }

    /// What the box holds, as messages name it.
    fn what(self) -> (&'static str, &'static str) {
        match self {
            TextBox::Note => ("this note", "a note"),
            TextBox::Evidence => ("the evidence", "the evidence"),
        }
    }

    /// Keeps what the box holds; `false` (the box stays open, nothing
    /// lost) when it cannot be read.
    fn commit(self, app: &mut App, editor: &NoteEditor) -> bool {
        match self {
            TextBox::Note => {
                commit_note(app, editor);
                true
            }
            TextBox::Evidence => commit_evidence(app, editor),
        }
    }
}

/// A key in a note or the evidence box. Enter keeps it, as Enter confirms
/// a spreadsheet cell; Esc cancels, as in every box, asking before typed
/// changes are thrown away. In the evidence, Alt-Enter starts the next
/// point with the same sign and Tab switches the line's sign; in a note
/// they start a new line and indent.
pub(super) fn text_box(
    app: &mut App,
    kind: TextBox,
    mut editor: NoteEditor,
    action: Action,
    fx: &mut Effects,
) {
    match action {
        Action::Input(i) => match (kind, i) {
            (_, Input::Char(ch)) => editor.input.insert(ch),
            (TextBox::Note, Input::Tab) => {
                for _ in 0..4 {
                    editor.input.insert(' ');
                }
            }
            (TextBox::Evidence, Input::Tab | Input::BackTab) => {
                let (line, shift) = evidence::flip(&editor.input.current_line());
                editor.input.replace_line(&line, shift);
            }
            (TextBox::Note, Input::NewLine) => editor.input.newline(),
            (TextBox::Evidence, Input::NewLine) => {
                let sign = evidence::sign_after(&editor.input.current_line());
                editor.input.end();
                editor.input.newline();
                editor.input.insert(sign);
                editor.input.insert(' ');
            }
            (
                _,
                i @ (Input::Backspace
                | Input::Delete
                | Input::Left
                | Input::Right
                | Input::Up
                | Input::MoveUp
                | Input::Down
                | Input::MoveDown
                | Input::Home
                | Input::End),
            ) => edit_keys(&mut editor.input, i),
            (_, Input::BackTab | Input::Remove) => {}
            (_, Input::Enter) => {
                if kind.commit(app, &editor) {
                    return;
                }
            }
            (_, Input::Esc) => {
                let (this, _) = kind.what();
                if editor.changed() {
                    app.view.mode = Mode::Confirm(Confirm::Discard {
                        what: format!("your changes to {this}"),
                        back: Box::new(kind.mode(editor)),
                    });
                } else {
                    app.view.info(closed_unchanged(kind));
                }
                return;
            }
        },
        // A box that cannot be read stays open, nothing lost.
        Action::Save if kind.commit(app, &editor) => {
            save(app, None, false, false, fx);
            return;
        }
        Action::Help => {
            open_help(app, kind.mode(editor));
            return;
        }
        Action::Unbound(k) => {
            let (_, within) = kind.what();
            app.view.info(format!(
                "{k} does nothing in {within}: Enter keeps it, Esc cancels"
            ));
        }
        _ => {}
    }
    app.view.mode = kind.mode(editor);
}

/// What the message line says when a box closes with nothing changed.
fn closed_unchanged(kind: TextBox) -> &'static str {
    match kind {
        TextBox::Note => "Note closed, unchanged",
        TextBox::Evidence => "Evidence closed, unchanged",
    }
}

pub(super) fn prompt(app: &mut App, mut prompt: Prompt, action: Action, fx: &mut Effects) {
    let input = match action {
        Action::Input(i) => i,
        Action::Help => {
            open_help(app, Mode::Prompt(prompt));
            return;
        }
        other => {
            if let Some(k) = super::pressed(&other) {
                app.view
                    .info(format!("{k} does nothing here: Enter accepts, Esc cancels"));
            }
            app.view.mode = Mode::Prompt(prompt);
            return;
        }
    };
    match input {
        Input::Char(ch) => prompt.input.insert(ch),
        Input::Backspace => prompt.input.backspace(),
        Input::Delete => prompt.input.delete(),
        Input::Left => prompt.input.left(),
        Input::Right => prompt.input.right(),
        Input::Home | Input::Up => prompt.input.home(),
        Input::End | Input::Down => prompt.input.end(),
        Input::Esc => {
            app.view.info("Cancelled");
            return;
        }
        Input::Enter if submit(app, &prompt, fx) => return,
        _ => {}
    }
    app.view.mode = Mode::Prompt(prompt);
}

/// Acts on a prompt's answer. Returns true when the prompt should close.
fn submit(app: &mut App, prompt: &Prompt, fx: &mut Effects) -> bool {
    let text = prompt.input.text();
    let answer = text.trim();
    match &prompt.kind {
        PromptKind::Weight(c) => submit_weight(app, *c, answer),
        PromptKind::Measure(o, c) => submit_measure(app, *o, *c, answer),
        PromptKind::RenameOption(_) | PromptKind::RenameCriterion(_) => {
            rename(app, &prompt.kind, answer)
        }
        PromptKind::AddOption => add_option(app, answer),
        PromptKind::AddCriterion => add_criterion(app, answer),
        PromptKind::SaveAs { then_quit } => {
            if answer.is_empty() {
                app.view
                    .error("Type a file name, such as my-appraisal.toml");
                return false;
            }
            // The save itself finds out whether the name is a folder or
            // another file to ask about, off the key path.
            save_asking(app, Some(typed_path(answer)), false, *then_quit, true, fx);
            true
        }
        PromptKind::ExportPath(format) => {
            if answer.is_empty() {
                app.view.error("Type a file name for the export");
                return false;
            }
            export(app, *format, typed_path(answer), false, fx)
        }
    }
}

/// Asks for an export of the document as it stands; it is written in the
/// background, its progress on the message line. Returns whether it was
/// asked for.
pub(super) fn export(
    app: &mut App,
    format: usize,
    path: std::path::PathBuf,
    replace: bool,
    fx: &mut Effects,
) -> bool {
    if let Some(p) = &app.jobs.export {
        app.view.error(format!(
            "{} is still being written: wait for it to finish",
            p.what.trim_start_matches("Exporting ")
        ));
        return false;
    }
    let job = ExportJob::new(&app.doc, format, path, replace);
    app.jobs.export = Some(super::super::app::Progress {
        what: format!("Exporting {}", job.path.display()),
        stage: "starting".to_owned(),
        seconds: 0,
    });
    fx.push(Effect::Export(job));
    true
}

fn submit_weight(app: &mut App, c: usize, answer: &str) -> bool {
    let Some(old) = app.doc.appraisal().criteria().get(c).map(|x| x.weight()) else {
        return true;
    };
    let new = match weight_from_answer(app.doc.appraisal(), c, answer) {
        Ok(w) => w,
        Err(msg) => {
            app.view.error(msg);
            return false;
        }
    };
    old == new || apply(app, Edit::Weight { c, old, new })
}

/// Sets a measured criterion's raw value from the box; an empty answer
/// clears it. The unit may be typed with the number ("£10m", "9 months").
fn submit_measure(app: &mut App, o: usize, c: usize, answer: &str) -> bool {
    let a = app.doc.appraisal();
    let (Some(m), Some(opt)) = (
        a.criteria().get(c).and_then(|k| k.measure()),
        a.options().get(o),
    ) else {
        return true;
    };
    let old = opt.measure(c);
    let new = if answer.is_empty() {
        None
    } else {
        match raw_from_answer(m.unit.as_deref(), answer) {
            Some(v) => Some(v),
            None => {
                app.view.error(format!(
                    "{answer:?} is not a number: type the raw value{}, such as 12.5 (Esc leaves it as it was)",
                    m.unit.as_deref().map(|u| format!(" in {u}")).unwrap_or_default()
                ));
                return false;
            }
        }
    };
    if let Some(v) = new
        && let Err(e) = m.check(v)
    {
        app.view
            .error(format!("{e}: the raw value stays as it was"));
        return false;
    }
    if old == new {
        return true;
    }
    let old_range = app
        .doc
        .appraisal()
        .options()
        .get(o)
        .and_then(|x| x.range(c));
    let edit = Edit::Measure {
        o,
        c,
        old,
        new,
        old_range,
        new_range: None,
    };
    if !apply(app, edit) {
        return false;
    }
    let a = app.doc.appraisal();
    let m = a.criteria().get(c).and_then(|k| k.measure());
    let show = |v: Option<f64>| match (v, m) {
        (Some(v), Some(m)) => m.with_unit(v),
        (Some(v), None) => crate::numbers::as_given(v),
        (None, _) => "empty".to_owned(),
    };
    let text = format!("Raw value {} → {}: u undoes it", show(old), show(new));
    app.view.info(text);
    true
}

/// A raw value as typed: a number, with the criterion's unit (or a
/// thousands comma) allowed around it.
pub(super) fn raw_from_answer(unit: Option<&str>, answer: &str) -> Option<f64> {
    let mut t = answer.trim().to_owned();
    if let Some(u) = unit.filter(|u| !u.is_empty()) {
        // A currency unit such as "£m" is written around the number.
        let (lead, tail) = match u.char_indices().nth(1) {
            Some((i, _)) if !u.starts_with(|ch: char| ch.is_alphanumeric() || ch == '%') => {
                (&u[..i], &u[i..])
            }
            _ => ("", u),
        };
        t = t.replace(u, "");
        if !lead.is_empty() {
            t = t.trim().trim_start_matches(lead).to_owned();
            t = t.trim().trim_end_matches(tail).to_owned();
        }
    }
    let t = t.trim().replace(',', "");
    let v: f64 = t.parse().ok()?;
    v.is_finite().then_some(v)
}

/// Renames the option or criterion the prompt is for.
fn rename(app: &mut App, kind: &PromptKind, answer: &str) -> bool {
    let a = app.doc.appraisal();
    let edit = match *kind {
        PromptKind::RenameOption(o) => a.options().get(o).map(|x| Edit::RenameOption {
            o,
            old: x.name().to_owned(),
            new: answer.to_owned(),
        }),
        PromptKind::RenameCriterion(c) => a.criteria().get(c).map(|x| Edit::RenameCriterion {
            c,
            old: x.name().to_owned(),
            new: answer.to_owned(),
        }),
        _ => None,
    };
    match edit {
        Some(
            Edit::RenameOption {
                ref old, ref new, ..
            }
            | Edit::RenameCriterion {
                ref old, ref new, ..
            },
        ) if old == new => true,
        Some(e) => apply(app, e),
        None => true,
    }
}

fn add_option(app: &mut App, answer: &str) -> bool {
    let a = app.doc.appraisal();
    let taken: Vec<&str> = a.options().iter().map(|o| o.id().as_str()).collect();
    let Some(id) = id_from_name(answer, &taken, "option") else {
        app.view
            .error("Could not make an id from that name; try a shorter one");
        return false;
    };
    let option = match AppraisalOption::new(id, answer, a.criteria().len()) {
        Ok(o) => o,
        Err(e) => {
            app.view.error(friendly(&e));
            return false;
        }
    };
    let at = (app.view.option + 1).min(a.options().len());
    if !apply(
        app,
        Edit::InsertOption {
            at,
            option: Box::new(option),
        },
    ) {
        return false;
    }
    app.view.option = at;
    app.view.criterion = 0;
    app.view
        .info(format!("Added option {answer}: type its scores"));
    true
}

fn add_criterion(app: &mut App, answer: &str) -> bool {
    let a = app.doc.appraisal();
    let taken: Vec<&str> = a.criteria().iter().map(|c| c.id().as_str()).collect();
    let Some(id) = id_from_name(answer, &taken, "criterion") else {
        app.view
            .error("Could not make an id from that name; try a shorter one");
        return false;
    };
    let criterion = match Criterion::new(id, answer, 1.0) {
        Ok(c) => c,
        Err(e) => {
            app.view.error(friendly(&e));
            return false;
        }
    };
    let at = (app.view.criterion + 1).min(a.criteria().len());
    if !apply(
        app,
        Edit::InsertCriterion {
            at,
            column: Box::new(RemovedCriterion {
                criterion,
                scores: Vec::new(),
                notes: Vec::new(),
                evidence: Vec::new(),
                measures: Vec::new(),
                ranges: Vec::new(),
            }),
        },
    ) {
        return false;
    }
    app.view.criterion = at;
    app.view.info(format!(
        "Added criterion {answer} with weight 1 (w to change)"
    ));
    true
}

/// The weight a typed answer asks for: a number, or a share of the total
/// weight such as `12%` (the other weights stay as they are, so the criterion
/// gets the weight that makes its share 12%).
pub(super) fn weight_from_answer(a: &Appraisal, c: usize, answer: &str) -> Result<f64, String> {
    let not_a_number = || {
        format!(
            "{answer:?} is not a number: type a weight such as 1, 2 or 0.5, or a share such as 20%"
        )
    };
    let Some(share) = answer.strip_suffix('%') else {
        return answer.parse::<f64>().map_err(|_| not_a_number());
    };
    let share: f64 = share.trim().parse().map_err(|_| not_a_number())?;
    // A share of what the weight is relative to: the other criteria (and
    // groups) beside it, within its group if it is in one.
    let others = super::super::v2::others_weight(a, c);
    if !(0.0..100.0).contains(&share) {
        return Err(format!(
            "A share must be from 0% to less than 100% of the total weight; {answer} is not"
        ));
    }
    if others <= 0.0 {
        return Err(
            "The other criteria have no weight, so a share cannot be set: type a weight such as 1"
                .to_owned(),
        );
    }
    // share / 100 = w / (w + others), so w = others * share / (100 - share).
    let w = others * share / (100.0 - share);
    Ok((w * 1e4).round() / 1e4)
}

/// Makes an id from a name, unique among `taken`: "Shared Service" -> "shared-service".
fn id_from_name(name: &str, taken: &[&str], fallback: &str) -> Option<Id> {
    let slug = crate::model::slug(name);
    let mut base: String = if slug.is_empty() {
        fallback.to_owned()
    } else {
        slug
    };
    base.truncate(crate::model::MAX_ID_LEN - 4);
    let base = base.trim_end_matches('-').to_owned();
    let mut candidate = base.clone();
    let mut n = 2;
    while taken.contains(&candidate.as_str()) {
        candidate = format!("{base}-{n}");
        n += 1;
    }
    Id::new(&candidate).ok()
}
