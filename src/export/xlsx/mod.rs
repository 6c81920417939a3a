//! XLSX: one worksheet per table, written with rust_xlsxwriter.
//!
//! Numbers are stored as numbers: percentages as fractions formatted `0.0%`,
//! "T/max" totals as the total with a number format that shows "/max". A
//! table with a [`WeightedSum`](super::doc::WeightedSum) (the score matrix)
//! gets live `SUMPRODUCT` totals over its weight row and live `RANK`s, so an
//! officer who edits a score sees the total and rank follow. Headers are
//! bold and shaded, panes are frozen below the header and beside the row
//! names, and pages print on A4 with the header repeated.
//!
//! Text that Excel would run as a formula is stored as text with Excel's
//! "quote prefix" flag, which shows it exactly as written and keeps it text
//! even when the cell is edited. No cell is ever written as a formula except
//! the matrix's own totals and ranks.
//!
//! The file's creation time is fixed, so the same report gives the same bytes.

use std::borrow::Cow;
use std::collections::HashSet;
use std::io::Write;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};

use rayon::prelude::*;

use rust_xlsxwriter::{
    DataValidation, DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Formula,
    Workbook, Worksheet, utility::column_number_to_name,
};

use super::ExportError;
use super::csv::{has_remarks, header_with_max, plain_number, row_remarks, shared_max};
use super::doc::{Block, Live, Report, ReportTable, RowKind, Value};
use super::stream::ReportStream;
use super::text::{is_formula_like, is_xml_char};

mod sheet;
use sheet::{CellFormat, FormatOrder, Sheet};

/// How a workbook is assembled. The defaults suit any size: small
/// workbooks are built in memory, large ones a row at a time on disk.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Settings {
    /// Whether worksheets keep only their current row in memory and write
    /// the rest to a temporary file (see [`disk_sheet`]: each sheet's cells
    /// go to disk a row at a time); `None` chooses by size
    /// ([`CONSTANT_MEMORY_CELLS`]).
    pub constant_memory: Option<bool>,
    /// Where those temporary files go; the system's temporary folder when
    /// `None`.
    pub tempdir: Option<std::path::PathBuf>,
}

/// Cells past which a workbook is built a row at a time on disk. Below it
/// the workbook is built in memory, which lets its sheets be built side by
/// side.
pub const CONSTANT_MEMORY_CELLS: usize = 2_000_000;

/// Writes every table of the report as one workbook.
pub fn write(report: &Report, out: &mut impl Write) -> Result<(), ExportError> {
    let bytes = workbook_bytes(report)?;
    out.write_all(&bytes)?;
    Ok(())
}

/// The workbook's bytes.
pub fn workbook_bytes(report: &Report) -> Result<Vec<u8>, ExportError> {
    let mut bytes = Vec::new();
    write_stream(
        &ReportStream::from(report),
        &Settings::default(),
        &mut bytes,
    )?;
    Ok(bytes)
}

/// The tables among `blocks`, each with its worksheet name.
fn named<'b>(blocks: &'b [Block], used: &mut HashSet<String>) -> Vec<(&'b ReportTable, String)> {
    blocks
        .iter()
        .filter_map(|b| match b {
            Block::Table(t) => Some(t),
            _ => None,
        })
        .map(|t| {
            let name = sheet_name(t.short_name.as_deref().unwrap_or(&t.title), used);
            (t, name)
        })
        .collect()
}

/// Writes every table of `report` as one workbook to `out`, the annex's
/// sheets built as the report streams them.
pub fn write_stream<W: Write + Send>(
    report: &ReportStream<'_>,
    settings: &Settings,
    out: W,
) -> Result<(), ExportError> {
    let mut wb = Workbook::new();
    let created = ExcelDateTime::from_ymd(2000, 1, 1)?;
    let props = DocProperties::new()
        .set_title(clean(report.title()))
        .set_comment("Made with appraise")
        .set_creation_datetime(&created);
    wb.set_properties(&props);
    let cells = report.cells();
    let sheets = report.table_count();
    let constant = settings
        .constant_memory
        .unwrap_or(cells > CONSTANT_MEMORY_CELLS);
    // Each sheet written a row at a time keeps its temporary file open
    // until the workbook is saved; past what the system allows, the rest
    // are built in memory.
    let on_disk = if constant {
        if let Some(dir) = &settings.tempdir {
            wb.set_tempdir(dir)?;
        }
        open_file_room(sheets)
    } else {
        0
    };
    let mut used = HashSet::new();
    // The score matrix comes before the annex, so every formula that refers
    // to it knows its sheet's name before the annex is built.
    let first = named(report.blocks(), &mut used);
    let refs = first
        .iter()
        .find_map(|(t, name)| MatrixRefs::locate(t, name));
    let refs = refs.as_ref();
    let mut first = Some(first);
    // Each annex table's key and sheet, for the ids sheet.
    let mut annex_sheets: Vec<(String, String)> = Vec::new();
    // A sheet on disk opens a temporary file when it is made, which on some
    // file systems takes longer than writing it (10,000 took 3 to 10 s on
    // ext4): another thread makes them ahead, and adds each sheet to the
    // workbook once it is written, in report order.
    let disk_sheets = on_disk.min(sheets);
    let order = match disk_sheets {
        0 => None,
        _ => Some(FormatOrder::new(wb.new_worksheet_with_constant_memory()?)),
    };
    let (fresh_tx, fresh) = mpsc::channel::<Result<Worksheet, ExportError>>();
    let fresh = Mutex::new(fresh);
    let (done, done_rx) = mpsc::channel::<(Worksheet, bool)>();
    let wb_ref = &mut wb;
    std::thread::scope(|scope| {
        scope.spawn(move || make_and_add_sheets(wb_ref, disk_sheets, &fresh_tx, &done_rx));
        write_sheets(
            report,
            &fresh,
            done,
            &mut first,
            &mut used,
            on_disk,
            refs,
            &mut annex_sheets,
            order.as_ref(),
        )
    })?;
    finish(wb, report, sheets, cells, &mut used, &annex_sheets, out)
}

/// How many sheets on disk [`make_and_add_sheets`] keeps made ahead of
/// the writer, each with its temporary file open.
const SHEETS_AHEAD: usize = 16;

/// Makes `count` sheets on disk for the writer, a few ahead (the first
/// keeps its text in the shared strings, the rest in their cells: see
/// [`disk_sheet`]), and adds each sheet the writer has written (from disk
/// or not) to the workbook in the order they come, until the writer is
/// done.
fn make_and_add_sheets(
    wb: &mut Workbook,
    count: usize,
    fresh: &Sender<Result<Worksheet, ExportError>>,
    done: &Receiver<(Worksheet, bool)>,
) {
    let (mut made, mut back) = (0, 0);
    loop {
        while let Ok((ws, on_disk)) = done.try_recv() {
            back += usize::from(on_disk);
            wb.push_worksheet(ws);
        }
        if made < count && made - back < SHEETS_AHEAD {
            let ws = disk_sheet(wb, made > 0);
            let failed = ws.is_err();
            made += 1;
            if fresh.send(ws).is_err() || failed {
                made = count;
            }
            continue;
        }
        match done.recv() {
            Ok((ws, on_disk)) => {
                back += usize::from(on_disk);
                wb.push_worksheet(ws);
            }
            // The writer is done (or has failed).
            Err(_) => return,
        }
    }
}

/// Writes every table of `report` as a sheet, in report order: the first
/// `on_disk` into the sheets `fresh` brings (see [`write_on_disk`]), the
/// rest built in memory on every core; each written sheet goes to `done`,
/// with whether it is on disk, in report order.
#[allow(clippy::too_many_arguments)]
fn write_sheets<'b>(
    report: &'b ReportStream<'_>,
    fresh: &Mutex<Receiver<Result<Worksheet, ExportError>>>,
    done: Sender<(Worksheet, bool)>,
    first: &mut Option<Vec<(&'b ReportTable, String)>>,
    used: &mut HashSet<String>,
    mut on_disk: usize,
    refs: Option<&MatrixRefs>,
    annex_sheets: &mut Vec<(String, String)>,
    order: Option<&FormatOrder>,
) -> Result<(), ExportError> {
    // Sheets on disk are numbered across the report's runs, for `order`.
    let mut disk_written = 0;
    report.runs(|blocks| {
        let tables = match first.take() {
            Some(tables) => tables,
            None => named(blocks, used),
        };
        for (t, name) in &tables {
            if t.key.starts_with(ANNEX_KEY_PREFIX) {
                annex_sheets.push((t.key.clone(), name.clone()));
            }
        }
        let split = on_disk.min(tables.len());
        on_disk -= split;
        let (disk, memory) = tables.split_at(split);
        if let Some(order) = order {
            write_on_disk(disk, disk_written, fresh, &done, refs, order)?;
            disk_written += disk.len();
        }
        // Sheets in memory number their formats themselves, and the
        // workbook numbers them again in the order they are added, so
        // they are built on every core and added in report order.
        let built: Vec<Result<Worksheet, ExportError>> = memory
            .par_iter()
            .map(|(t, name)| {
                let mut ws = Worksheet::new();
                ws.set_name(name)?;
                write_sheet(&mut Sheet::alone(&mut ws), t, refs, false)?;
                Ok(ws)
            })
            .collect();
        for ws in built {
            done.send((ws?, false)).map_err(|_| maker_gone())?;
        }
        Ok::<(), ExportError>(())
    })
}

/// The error for the thread making worksheets having stopped (its own
/// failure is reported instead).
fn maker_gone() -> ExportError {
    ExportError::XlsxStopped("the thread making worksheets stopped")
}

/// Writes `tables` into the sheets on disk that `fresh` brings, side by
/// side on up to one thread per core, and sends them to `done` in their
/// order. They are sheets `first`, `first + 1`, ... of `order`, which
/// numbers their formats as if they were written one after another, so
/// the bytes do not depend on the thread count or on which thread is
/// quicker.
fn write_on_disk(
    tables: &[(&ReportTable, String)],
    first: usize,
    fresh: &Mutex<Receiver<Result<Worksheet, ExportError>>>,
    done: &Sender<(Worksheet, bool)>,
    refs: Option<&MatrixRefs>,
    order: &FormatOrder,
) -> Result<(), ExportError> {
    if tables.is_empty() {
        return Ok(());
    }
    let threads = rayon::current_num_threads().clamp(1, tables.len());
    // The next table to write. A table is taken with its sheet, under the
    // lock on the sheets, so the earliest table being written always has
    // one (the sheets come only a few ahead of those sent to `done`).
    let next = AtomicUsize::new(0);
    let stop = AtomicBool::new(false);
    let (written_tx, written) = mpsc::channel::<(usize, Result<Worksheet, ExportError>)>();
    std::thread::scope(|scope| {
        for _ in 0..threads {
            let written_tx = written_tx.clone();
            let (next, stop) = (&next, &stop);
            scope.spawn(move || {
                while !stop.load(Ordering::Relaxed) {
                    let Ok(sheets) = fresh.lock() else { break };
                    let k = next.fetch_add(1, Ordering::Relaxed);
                    if k >= tables.len() {
                        break;
                    }
                    let ws = sheets.recv();
                    drop(sheets);
                    let turn = order.turn(first + k);
                    let result = match ws {
                        Ok(Ok(mut ws)) => {
                            write_disk_sheet(&mut ws, &tables[k], refs, &turn).map(|()| ws)
                        }
                        Ok(Err(e)) => Err(e),
                        Err(_) => Err(maker_gone()),
                    };
                    drop(turn);
                    if result.is_err() {
                        stop.store(true, Ordering::Relaxed);
                    }
                    if written_tx.send((k, result)).is_err() {
                        break;
                    }
                }
            });
        }
        drop(written_tx);
        let mut waiting = std::collections::BTreeMap::new();
        let mut due = 0;
        let mut failed: Option<(usize, ExportError)> = None;
        for (k, result) in written {
            match result {
                Ok(ws) => {
                    waiting.insert(k, ws);
                }
                // The earliest table's failure is the one reported.
                Err(e) if failed.as_ref().is_none_or(|(j, _)| k < *j) => failed = Some((k, e)),
                Err(_) => {}
            }
            while let Some(ws) = waiting.remove(&due) {
                due += 1;
                if failed.is_none() && done.send((ws, true)).is_err() {
                    stop.store(true, Ordering::Relaxed);
                    failed = Some((due, maker_gone()));
                }
            }
        }
        match failed {
            Some((_, e)) => Err(e),
            None => Ok(()),
        }
    })
}

/// Writes table `t` into sheet on disk `ws` as sheet `name`, in its turn.
fn write_disk_sheet(
    ws: &mut Worksheet,
    (t, name): &(&ReportTable, String),
    refs: Option<&MatrixRefs>,
    turn: &sheet::Turn<'_>,
) -> Result<(), ExportError> {
    ws.set_name(name)?;
    let mut sheet = Sheet::in_turn(ws, turn);
    let next = write_sheet(&mut sheet, t, refs, true)?;
    // rust_xlsxwriter 0.102 writes a sheet's last row twice when it kept
    // that row on disk and the row has a height of its own (a note's
    // wrapped lines): Excel would then repair the file. A blank cell in the
    // row after, with no format or height, is last instead.
    sheet.write_blank(next, 0, &Format::new())
}

/// Adds the ids sheet (or, with no tables, a sheet saying so) and saves
/// the workbook to `out`.
fn finish<W: Write + Send>(
    mut wb: Workbook,
    report: &ReportStream<'_>,
    sheets: usize,
    cells: usize,
    used: &mut HashSet<String>,
    annex_sheets: &[(String, String)],
    out: W,
) -> Result<(), ExportError> {
    if let Some(origin) = report.origin().filter(|_| sheets > 0) {
        let name = sheet_name(IDS_SHEET, used);
        let ws = ids_sheet(&name, origin, annex_sheets)?;
        wb.push_worksheet(ws);
    }
    if sheets == 0 {
        // A workbook needs a sheet; say why it is empty rather than fail.
        let ws = wb.add_worksheet();
        ws.write_string(0, 0, "No tables were selected.")?;
    }
    // Compressing dominates saving a large workbook: past a million cells,
    // the fastest level saves seconds for a file about half as large again.
    if cells > FAST_DEFLATE_CELLS {
        wb.set_zip_compression_level(1);
    }
    wb.save_to_writer(out)?;
    Ok(())
}

/// A new worksheet that is written to disk a row at a time. The first
/// keeps its text in the workbook's table of shared strings, as Excel does
/// (rust_xlsxwriter's "low memory" mode); once a sheet does (`shared`), the
/// rest keep their text in their own cells (its "constant memory" mode,
/// inline strings), so that the table, held in memory until the workbook is
/// saved, does not grow with the annex's million notes. Excel, LibreOffice
/// and the validator read both; Excel only rewrites a workbook whose text is
/// all inline, by moving it into a table, which this one already has.
fn disk_sheet(wb: &mut Workbook, shared: bool) -> Result<Worksheet, ExportError> {
    if shared {
        Ok(wb.new_worksheet_with_constant_memory()?)
    } else {
        Ok(wb.new_worksheet_with_low_memory()?)
    }
}

/// How many worksheets may keep a temporary file open: raises the limit on
/// open files towards what `sheets` need where the system allows, and
/// leaves room for everything else the program has open.
fn open_file_room(sheets: usize) -> usize {
    const SPARE: u64 = 64;
    #[cfg(unix)]
    {
        use rustix::process::{Resource, Rlimit, getrlimit, setrlimit};
        let want = sheets as u64 + 2 * SPARE;
        let limit = getrlimit(Resource::Nofile);
        let mut soft = limit.current.unwrap_or(u64::MAX);
        if soft < want {
            let raised = limit.maximum.map_or(want, |hard| hard.min(want));
            if raised > soft
                && setrlimit(
                    Resource::Nofile,
                    Rlimit {
                        current: Some(raised),
                        maximum: limit.maximum,
                    },
                )
                .is_ok()
            {
                soft = raised;
            }
        }
        usize::try_from(soft.saturating_sub(2 * SPARE)).unwrap_or(usize::MAX)
    }
    #[cfg(not(unix))]
    {
        // Windows allows thousands of open files by default.
        sheets.min(8_000)
    }
}

/// Notes only a live workbook needs, under the table's own: what follows
/// the Matrix sheet and what does not. `live` says whether the workbook's
/// figures follow the matrix.
fn workbook_notes(t: &ReportTable, live: bool) -> Vec<&'static str> {
    let mut notes = Vec::new();
    let has = |want: fn(&Live) -> bool| {
        t.rows
            .iter()
            .flat_map(|r| &r.cells)
            .any(|c| c.live.as_ref().is_some_and(want))
    };
    if t.key.starts_with("sensitivity-") {
        notes.push(
            "This analysis was worked out when the workbook was exported: it does not follow changes to scores or weights made on the Matrix sheet. Export again to bring it up to date.",
        );
    }
    if !live {
        return notes;
    }
    let ranked = has(|l| matches!(l, Live::Rank { .. }))
        || t.weighted_sum
            .as_ref()
            .is_some_and(|w| w.rank_column.is_some());
    if ranked {
        notes.push(
            "Rows are in rank order as exported. Ranks follow the Matrix sheet, so after a score or weight there changes, sort the rows by rank to see the new order.",
        );
    }
    let unweighted = t.key.starts_with(ANNEX_KEY_PREFIX)
        && has(|l| matches!(l, Live::Total { .. }))
        && !has(|l| matches!(l, Live::WeightedScore { .. }));
    if unweighted {
        notes.push(
            "Every weight was 1 when the workbook was exported, so this sheet shows no weights and the total is the sum of the scores. If a weight is changed on the Matrix sheet, the total here follows it; the Matrix shows the weights.",
        );
    }
    notes
}

/// `text` as a formula's string literal: quotes doubled, and in pieces
/// joined by `&`, since Excel refuses a literal longer than 255 characters.
fn text_literal(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    if chars.is_empty() {
        return "\"\"".to_string();
    }
    chars
        .chunks(200)
        .map(|c| format!("\"{}\"", c.iter().collect::<String>().replace('"', "\"\"")))
        .collect::<Vec<_>>()
        .join("&")
}

/// How every annex table's key begins (`annex-` and the option's id).
const ANNEX_KEY_PREFIX: &str = "annex-";

/// The name of the hidden sheet that holds the appraisal's ids and details.
pub const IDS_SHEET: &str = "Ids";

/// The words at the top of the ids sheet, which `appraise import` looks for.
pub const IDS_SHEET_TITLE: &str = "appraise: ids and details";

/// The hidden sheet that keeps what the tables show only as names: the
/// appraisal's details, and the id behind each criterion and option (with
/// the sheet of its annex), so that `appraise import` of this workbook gives
/// back the same ids. Names, scores and notes are read from the other
/// sheets, where people edit them.
fn ids_sheet(
    name: &str,
    origin: &super::doc::Origin,
    annex_sheets: &[(String, String)],
) -> Result<Worksheet, ExportError> {
    let mut ws = Worksheet::new();
    ws.set_name(name)?;
    ws.set_hidden(true);
    let mut sheet = Sheet::alone(&mut ws);
    let bold = Format::new().set_bold();
    let plain = Format::new();
    sheet.write_string_with_format(0, 0, IDS_SHEET_TITLE, &bold)?;
    write_text(
        &mut sheet,
        1,
        0,
        "appraise import reads this sheet to give back the appraisal's ids and details. Change names, scores and notes on the other sheets; leave this one as it is.",
        &plain,
    )?;
    for (c, header) in ["Kind", "Key or id", "Text or name", "Annex sheet"]
        .iter()
        .enumerate()
    {
        sheet.write_string_with_format(3, c as u16, *header, &bold)?;
    }
    // By key: a large appraisal has thousands of annex sheets.
    let by_key: std::collections::HashMap<&str, &str> = annex_sheets
        .iter()
        .map(|(k, name)| (k.as_str(), name.as_str()))
        .collect();
    let annex_sheet = |id: &str| {
        let key = format!("{ANNEX_KEY_PREFIX}{id}");
        by_key.get(key.as_str()).map(|name| name.to_string())
    };
    let mut row = 4;
    let mut put = |ws: &mut Sheet<'_, '_>, cells: [Option<&str>; 4]| -> Result<(), ExportError> {
        for (c, text) in cells.iter().enumerate() {
            if let Some(text) = text {
                write_text(ws, row, c as u16, text, &plain)?;
            }
        }
        row += 1;
        Ok(())
    };
    for (key, text) in &origin.details {
        put(&mut sheet, [Some("appraisal"), Some(key), Some(text), None])?;
    }
    for (id, name) in &origin.criteria {
        put(&mut sheet, [Some("criterion"), Some(id), Some(name), None])?;
    }
    // The version, groups and tests: version 2 only, so a version-1 workbook
    // is as before.
    if origin.version >= 2 {
        let v = origin.version.to_string();
        put(
            &mut sheet,
            [Some("format"), Some("version"), Some(&v), None],
        )?;
    }
    for (kind, list) in [("group", &origin.groups), ("screening", &origin.screens)] {
        for (id, name) in list {
            put(&mut sheet, [Some(kind), Some(id), Some(name), None])?;
        }
    }
    for (id, name) in &origin.options {
        let annex = annex_sheet(id);
        put(
            &mut sheet,
            [Some("option"), Some(id), Some(name), annex.as_deref()],
        )?;
    }
    // What the visible sheets do not hold, as TOML (crate::carried).
    for r in &origin.carried {
        put(&mut sheet, [Some(r.kind), Some(&r.id), Some(&r.toml), None])?;
    }
    sheet.set_column_width(1, 24.0)?;
    sheet.set_column_width(2, 50.0)?;
    sheet.set_column_width(3, 30.0)?;
    Ok(ws)
}

/// Cells above which the workbook is compressed at the fastest level.
const FAST_DEFLATE_CELLS: usize = 1_000_000;

/// Removes characters that cannot appear in worksheet XML (the model already
/// refuses most control characters; this is a last line of defence).
fn clean(s: &str) -> String {
    let keep = |c: char| matches!(c, '\n' | '\t') || (!c.is_control() && is_xml_char(c));
    // Most text has nothing to remove and fits: copy it whole (a million
    // notes in a large workbook).
    if s.len() <= CELL_CHARS && s.chars().all(keep) {
        return s.to_string();
    }
    let mut out: String = s
        .chars()
        .filter(|&c| keep(c))
        .take(CELL_CHARS + 1)
        .collect();
    if out.chars().count() > CELL_CHARS {
        // Excel refuses longer cells outright; say where the text was cut.
        out = out
            .chars()
            .take(CELL_CHARS - CUT_MARK.chars().count())
            .collect();
        out.push_str(CUT_MARK);
    }
    out
}

/// Most characters Excel keeps in one cell.
const CELL_CHARS: usize = 32_767;

/// Appended where text was cut to fit a cell.
const CUT_MARK: &str = " … [cut: an Excel cell holds at most 32,767 characters]";

/// A valid, unique worksheet name: at most 31 UTF-16 units, none of `[]:*?/\`,
/// no apostrophe at either end, not "History", unique ignoring case.
pub fn sheet_name(wanted: &str, used: &mut HashSet<String>) -> String {
    let base: String = wanted
        .chars()
        .map(|c| {
            if matches!(c, '[' | ']' | ':' | '*' | '?' | '/' | '\\')
                || c.is_control()
                || !is_xml_char(c)
            {
                ' '
            } else {
                c
            }
        })
        .collect();
    let base = base.trim().trim_matches('\'').trim().to_string();
    let base = if base.is_empty() || base.eq_ignore_ascii_case("history") {
        format!("Sheet {}", used.len() + 1)
    } else {
        base
    };
    let mut k = 1;
    loop {
        let suffix = if k == 1 {
            String::new()
        } else {
            format!(" ({k})")
        };
        // Excel counts the 31 in UTF-16 units, so an emoji takes two.
        let room = 31 - suffix.encode_utf16().count();
        let stem = shorten_at_word(&base, room);
        let name = format!("{stem}{suffix}");
        if used.insert(name.to_lowercase()) {
            return name;
        }
        k += 1;
    }
}

/// `s` in at most `room` UTF-16 units: whole if it fits, otherwise cut at
/// the last word boundary that leaves room for "…" (or mid-word when the
/// first word alone is too long).
fn shorten_at_word(s: &str, room: usize) -> String {
    // Spaces and marks together, so "U' -" loses all three, not just the dash.
    let tidy = |t: &str| {
        t.trim_end_matches(|c: char| {
            c.is_whitespace() || matches!(c, '\'' | '-' | ',' | '(' | ':' | ';')
        })
        .to_string()
    };
    if s.encode_utf16().count() <= room {
        return tidy(s);
    }
    let room = room.saturating_sub(1);
    let mut cut = String::new();
    let mut last_word_end = None;
    for c in s.chars() {
        if cut.encode_utf16().count() + c.len_utf16() > room {
            break;
        }
        if c.is_whitespace() {
            last_word_end = Some(cut.len());
        }
        cut.push(c);
    }
    if let Some(end) = last_word_end.filter(|&e| !tidy(&cut[..e]).is_empty()) {
        cut.truncate(end);
    }
    format!("{}…", tidy(&cut))
}

/// Column width in Excel character units from the text it must show.
fn width_for(t: &ReportTable, c: usize) -> f64 {
    let col_wide = t.columns.get(c).is_some_and(|col| col.wide);
    if col_wide {
        return 50.0;
    }
    // A grouped matrix's group names wrap in their row, so that its score
    // columns stay as narrow as their figures and headers.
    let grouped = t.weighted_sum.as_ref().is_some_and(|w| w.grouped.is_some());
    let longest_cell = t
        .rows
        .iter()
        .filter(|r| !(grouped && r.kind == RowKind::Parameters))
        .filter_map(|r| r.cells.get(c))
        .map(|cell| {
            cell_text(&cell.value)
                .lines()
                .map(|l| l.chars().count())
                .max()
                .unwrap_or(0)
        })
        .max()
        .unwrap_or(0);
    // Headers wrap, so only their longest word must fit.
    let header_word = t
        .columns
        .get(c)
        .map(|col| {
            col.header
                .split_whitespace()
                .map(|w| w.chars().count())
                .max()
                .unwrap_or(0)
        })
        .unwrap_or(0);
    (longest_cell.max(header_word).max(4) as f64 + 2.0).min(45.0)
}

fn base_format() -> Format {
    Format::new()
        .set_border(FormatBorder::Thin)
        .set_border_color("#808080")
        .set_align(FormatAlign::Top)
}

/// Excel's default row height in points (Calibri 11).
const LINE_HEIGHT: f64 = 15.0;
/// The tallest row Excel allows, in points.
const MAX_ROW_HEIGHT: f64 = 409.0;

/// How many lines `text` takes when wrapped in a column `width` characters wide.
fn wrapped_lines(text: &str, width: f64) -> usize {
    // Proportional text fits a little more than the width in digits; keep a margin.
    let per_line = (width - 1.5).max(1.0);
    text.lines()
        .map(|l| ((l.chars().count() as f64) / per_line).ceil().max(1.0) as usize)
        .sum::<usize>()
        .max(1)
}

/// The height in points of a row of `lines` lines.
fn row_height(lines: usize) -> f64 {
    (lines as f64 * LINE_HEIGHT).min(MAX_ROW_HEIGHT)
}

/// Sets a row's height to fit its wrapped text, unless the sheet's rows are
/// `usual` lines high by default. Excel fits rows itself when it opens a
/// file, but LibreOffice and printing do not, so it is set here.
fn fit_row(
    ws: &mut Sheet<'_, '_>,
    row: u32,
    lines: usize,
    usual: usize,
) -> Result<(), ExportError> {
    if lines != usual {
        ws.set_row_height(row, row_height(lines))?;
    }
    Ok(())
}

/// The number of lines most of `t`'s body rows take (the fewest among
/// equally common), by the wrapping of their text and remarks as
/// [`write_sheet`] reckons it.
fn usual_lines(t: &ReportTable, widths: &[f64]) -> usize {
    let remarks = has_remarks(t);
    let mut counts: Vec<usize> = Vec::new();
    for row in &t.rows {
        let mut lines = 1;
        for (cell, &width) in row.cells.iter().zip(widths) {
            if let Value::Text { .. } | Value::List { .. } | Value::Evidence { .. } = cell.value {
                lines = lines.max(wrapped_lines(&cell_text(&cell.value), width));
            }
        }
        if remarks {
            lines = lines.max(wrapped_lines(&row_remarks(t, &row.cells), REMARKS_WIDTH));
        }
        if counts.len() <= lines {
            counts.resize(lines + 1, 0);
        }
        counts[lines] += 1;
    }
    let most = counts.iter().copied().max().unwrap_or(0);
    counts.iter().position(|&c| c == most && c > 0).unwrap_or(1)
}

/// Writes a paragraph (intro or note) merged across the table's width, wrapped.
fn write_paragraph(
    ws: &mut Sheet<'_, '_>,
    row: u32,
    widths: &[f64],
    text: &str,
    format: &Format,
    usual: usize,
) -> Result<(), ExportError> {
    let text = clean(text);
    let format = format.clone().set_text_wrap().set_align(FormatAlign::Top);
    let format = if is_formula_like(&text) {
        format.set_quote_prefix()
    } else {
        format
    };
    let last = widths.len().saturating_sub(1) as u16;
    if last == 0 {
        ws.write_string_with_format(row, 0, &text, &format)?;
    } else {
        ws.merge_range(row, 0, row, last, &text, &format)?;
    }
    let total: f64 = widths.iter().sum();
    fit_row(ws, row, wrapped_lines(&text, total), usual)
}

/// The row (0-based) of a sheet's header; the title is in row 0 and any intro in row 1.
const HEADER_ROW: u32 = 2;
/// The row (0-based) of a sheet's first body row.
const BODY_ROW: u32 = HEADER_ROW + 1;

/// Where the score matrix's cells are, so every other sheet can derive its
/// figures from them by formula. The matrix's scores and weights are the
/// only figures entered in the workbook.
struct MatrixRefs {
    /// The sheet name, quoted for formulas.
    sheet: String,
    /// The weights' row, 1-based as in formulas.
    weight_row: u32,
    /// The first criterion's column.
    first_col: u16,
    /// How many criteria.
    criteria: usize,
    /// Each option's row (1-based), by file order.
    rows: Vec<Option<u32>>,
    /// The totals' column.
    total_col: u16,
    /// The ranks' column.
    rank_col: Option<u16>,
    /// The first row (0-based) of the block under the notes that states
    /// the scale and the lowest and highest possible totals.
    block_row: u32,
    /// The scale: lowest, highest, step.
    scale: (f64, f64, f64),
    /// The lowest and highest possible totals now.
    totals: (f64, f64),
    /// The published totals' column.
    published_col: Option<u16>,
    /// How far each option's total (by file order) may be from its
    /// published figure and still agree, as the loader's check allows.
    published_allowance: Vec<f64>,
    /// A version-2 matrix's groups, scales and measured values.
    grouped: Option<GroupedRefs>,
}

/// Where a version-2 matrix keeps what its totals are made of. Rows are
/// 1-based as in formulas. Under the matrix's notes come each criterion's
/// scale (lowest, highest, step) in the criterion's own column, then each
/// score as a value from 0 to 1 in the same columns, one row per option,
/// then the scale totals are counted in and the possible totals.
struct GroupedRefs {
    spec: super::doc::GroupedSum,
    /// The weights within groups (and the groups' own weights, in their
    /// subtotal columns).
    weight_row: u32,
    /// The effective weights (the weight row itself without groups).
    effective_row: u32,
    /// The rows of every criterion's lowest score, highest score and step.
    min_row: u32,
    max_row: u32,
    step_row: u32,
    /// The first row of values from 0 to 1 (one per matrix row, in order).
    value_row: u32,
    /// Each option's row of values from 0 to 1, by file order.
    value_rows: Vec<Option<u32>>,
    /// The rows of the appraisal scale's lowest and highest points, the
    /// total weight, and the highest and lowest possible totals.
    points_row: u32,
    /// The first and last column of the criteria (with raw values and subtotals).
    span: (u16, u16),
    /// The first row (0-based) of the block under the notes.
    block_row: u32,
    /// The matrix's first and last body rows (1-based).
    body: (u32, u32),
}

impl GroupedRefs {
    /// Whether criterion `c` sits in group `g`, directly or further down.
    fn in_group(&self, c: usize, g: usize) -> bool {
        let mut at = self.spec.criteria.get(c).and_then(|k| k.group);
        for _ in 0..=self.spec.groups.len() {
            match at {
                Some(x) if x == g => return true,
                Some(x) => at = self.spec.groups.get(x).and_then(|h| h.parent),
                None => return false,
            }
        }
        false
    }

    /// The first and last column of group `g`'s criteria and raw values.
    fn group_span(&self, g: usize) -> Option<(u16, u16)> {
        let cols = (0..self.spec.criteria.len())
            .filter(|&c| self.in_group(c, g))
            .flat_map(|c| {
                let k = &self.spec.criteria[c];
                [Some(k.column), k.raw_column]
            })
            .flatten();
        let (lo, hi) = cols.fold((usize::MAX, 0), |(lo, hi), x| (lo.min(x), hi.max(x)));
        (lo <= hi).then_some((lo as u16, hi as u16))
    }

    /// The sum of the weights of `g`'s members: its own criteria (which sit
    /// together, with their raw values) and the groups directly inside it.
    fn members_weight(&self, s: &str, g: usize) -> String {
        self.siblings_weight(s, Some(g))
    }

    /// The sum of the weights of the members of `g`, or of the top level
    /// (the top-level groups and the criteria outside any group) for `None`.
    fn siblings_weight(&self, s: &str, g: Option<usize>) -> String {
        let mut parts = Vec::new();
        let own: Vec<usize> = self
            .spec
            .criteria
            .iter()
            .filter(|k| k.group == g)
            .map(|k| k.column)
            .collect();
        if g.is_none() {
            // Criteria outside any group need not sit side by side.
            for c in &own {
                parts.push(format!(
                    "{s}${}${}",
                    column_number_to_name(*c as u16),
                    self.weight_row
                ));
            }
        } else if let (Some(&a), Some(&b)) = (own.iter().min(), own.iter().max()) {
            parts.push(format!(
                "{s}${}${r}:${}${r}",
                column_number_to_name(a as u16),
                column_number_to_name(b as u16),
                r = self.weight_row
            ));
        }
        for h in self.spec.groups.iter().filter(|h| h.parent == g) {
            parts.push(format!(
                "{s}${}${}",
                column_number_to_name(h.column as u16),
                self.weight_row
            ));
        }
        if parts.is_empty() {
            "0".into()
        } else {
            format!("SUM({})", parts.join(","))
        }
    }

    /// A weight shared out of group `parent` (or taken as written at the top).
    fn share_of(&self, s: &str, col: u16, parent: Option<usize>) -> String {
        let w = format!("{s}{}${}", column_number_to_name(col), self.weight_row);
        match parent.and_then(|p| self.spec.groups.get(p).map(|h| (p, h))) {
            None => w,
            Some((p, h)) => {
                let members = self.members_weight(s, p);
                let eff = format!(
                    "{s}${}${}",
                    column_number_to_name(h.column as u16),
                    self.effective_row
                );
                format!("IF({members}=0,0,{w}*{eff}/{members})")
            }
        }
    }

    fn lowest(&self, s: &str) -> String {
        format!("{s}$C${}", self.points_row)
    }

    fn highest(&self, s: &str) -> String {
        format!("{s}$C${}", self.points_row + 1)
    }

    fn total_weight(&self, s: &str) -> String {
        format!("{s}$C${}", self.points_row + 2)
    }

    /// The weighted sum of one row of values over columns `a..=b`, as
    /// points on the appraisal's scale: unscored criteria add nothing.
    fn weighted(&self, s: &str, (a, b): (u16, u16), value_row: u32) -> String {
        let (a, b) = (column_number_to_name(a), column_number_to_name(b));
        let e = self.effective_row;
        let (lo, hi) = (self.lowest(s), self.highest(s));
        format!(
            "SUMPRODUCT({s}${a}${e}:${b}${e},{s}{a}{value_row}:{b}{value_row})*({hi}-{lo})+{lo}*SUMPRODUCT({s}${a}${e}:${b}${e},--ISNUMBER({s}{a}{value_row}:{b}{value_row}))"
        )
    }

    /// The derived score of a measured criterion from its raw value in
    /// row `r`, as the value function gives it (held at the scale's ends);
    /// `None` for a function no formula follows.
    fn derived(&self, k: &super::doc::SumCriterion, r: u32) -> Option<String> {
        use crate::model::value_fn::{Better, Comparison, ValueFunction};
        let m = k.measure.as_ref()?;
        let rc = column_number_to_name(k.raw_column? as u16);
        let sc = column_number_to_name(k.column as u16);
        let raw = format!("{rc}{r}");
        let all = format!("${rc}${}:${rc}${}", self.body.0, self.body.1);
        let (mn, mx) = (
            format!("{sc}${}", self.min_row),
            format!("{sc}${}", self.max_row),
        );
        let n = plain_number;
        let line = |t: String| format!("{mn}+({mx}-{mn})*MAX(0,MIN(1,{t}))");
        let held = |e: String| format!("ROUND(MAX({mn},MIN({mx},{e})),9)");
        let (best, worst) = match m.better {
            Better::Lower => (format!("MIN({all})"), format!("MAX({all})")),
            Better::Higher => (format!("MAX({all})"), format!("MIN({all})")),
        };
        let body = match &m.function {
            ValueFunction::Linear {
                bounds: Some((w, b)),
            } => held(line(format!(
                "({raw}-({w}))/({b}-({w}))",
                w = n(*w),
                b = n(*b)
            ))),
            ValueFunction::Linear { bounds: None } => format!(
                "IF({best}={worst},{mx},{})",
                held(line(format!("({raw}-{worst})/({best}-{worst})")))
            ),
            ValueFunction::Piecewise { points } => {
                if points.is_empty() || points.len() > 30 {
                    return None;
                }
                let (first, last) = (points[0], points[points.len() - 1]);
                let mut e = n(last.1);
                for w in points.windows(2).rev() {
                    let (a, b) = (w[0], w[1]);
                    e = format!(
                        "IF({raw}<={},{}+({}-({}))*({raw}-({}))/({}-({})),{e})",
                        n(b.0),
                        n(a.1),
                        n(b.1),
                        n(a.1),
                        n(a.0),
                        n(b.0),
                        n(a.0)
                    );
                }
                held(format!("IF({raw}<={},{},{e})", n(first.0), n(first.1)))
            }
            ValueFunction::Bands { bands } => {
                if bands.len() > 30 {
                    return None;
                }
                let mut e = "\"\"".to_string();
                for b in bands.iter().rev() {
                    e = match b.test {
                        None => n(b.score),
                        Some((cmp, limit)) => {
                            let op = match cmp {
                                Comparison::Below => "<",
                                Comparison::UpTo => "<=",
                                Comparison::Above => ">",
                                Comparison::AtLeast => ">=",
                            };
                            format!("IF({raw}{op}{},{},{e})", n(limit), n(b.score))
                        }
                    };
                }
                e
            }
            ValueFunction::RelativeToBest => match m.better {
                Better::Lower => format!(
                    "IF({raw}>0,{},\"\")",
                    held(format!("{mn}+({mx}-{mn})*{best}/{raw}"))
                ),
                Better::Higher => format!(
                    "IF({raw}>=0,IF({best}=0,{mx},{}),\"\")",
                    held(format!("{mn}+({mx}-{mn})*{raw}/{best}"))
                ),
            },
        };
        Some(format!("=IF(ISNUMBER({raw}),{body},\"\")"))
    }
}

impl MatrixRefs {
    /// The matrix's layout, if `t` is the matrix (it has a weighted sum).
    fn locate(t: &ReportTable, name: &str) -> Option<MatrixRefs> {
        let spec = t.weighted_sum.as_ref()?;
        let n = t.columns.len();
        let ok = spec.columns.start < spec.columns.end
            && spec.columns.end <= n
            && spec.total_column < n
            && spec.weight_row < t.rows.len()
            && spec.rows.end <= t.rows.len()
            && spec.rows.len() == spec.options.len();
        if !ok {
            return None;
        }
        let most = spec.options.iter().copied().max().map_or(0, |m| m + 1);
        let mut rows = vec![None; most];
        let mut published_allowance = vec![0.0; most];
        for (k, (r, &o)) in spec.rows.clone().zip(&spec.options).enumerate() {
            if let Some(slot) = rows.get_mut(o) {
                *slot = Some(BODY_ROW + r as u32 + 1);
            }
            if let (Some(slot), Some(&a)) = (
                published_allowance.get_mut(o),
                spec.published_allowance.get(k),
            ) {
                *slot = a;
            }
        }
        let block_row = BODY_ROW
            + t.rows.len() as u32
            + 1
            + (t.notes.len() + workbook_notes(t, true).len()) as u32
            + 1;
        let grouped = spec.grouped.as_ref().map(|g| {
            let weight_row = BODY_ROW + spec.weight_row as u32 + 1;
            // Values from 0 to 1 follow the matrix's rows, in its order.
            let value_row = block_row + 6 + 1;
            let mut value_rows = vec![None; most];
            for (k, &o) in spec.options.iter().enumerate() {
                if let Some(slot) = value_rows.get_mut(o) {
                    *slot = Some(value_row + k as u32);
                }
            }
            GroupedRefs {
                spec: (**g).clone(),
                weight_row,
                effective_row: g
                    .effective_row
                    .map_or(weight_row, |e| BODY_ROW + e as u32 + 1),
                min_row: block_row + 2,
                max_row: block_row + 3,
                step_row: block_row + 4,
                value_row,
                value_rows,
                points_row: value_row + spec.options.len() as u32 + 2,
                span: (spec.columns.start as u16, (spec.columns.end - 1) as u16),
                block_row,
                body: (
                    BODY_ROW + spec.rows.start as u32 + 1,
                    BODY_ROW + spec.rows.end as u32,
                ),
            }
        });
        Some(MatrixRefs {
            grouped,
            sheet: format!("'{}'", name.replace('\'', "''")),
            weight_row: BODY_ROW + spec.weight_row as u32 + 1,
            first_col: spec.columns.start as u16,
            criteria: spec.columns.len(),
            rows,
            total_col: spec.total_column as u16,
            rank_col: spec.rank_column.map(|c| c as u16),
            block_row,
            scale: spec.scale,
            totals: spec.totals,
            published_col: spec.published_column.filter(|&c| c < n).map(|c| c as u16),
            published_allowance,
        })
    }

    fn col(c: u16) -> String {
        column_number_to_name(c)
    }

    /// The weights' range, absolute: `'Matrix'!$C$4:$J$4`.
    fn weights(&self) -> String {
        let last = self.first_col + self.criteria.saturating_sub(1) as u16;
        format!(
            "{s}!${a}${r}:${b}${r}",
            s = self.sheet,
            a = Self::col(self.first_col),
            b = Self::col(last),
            r = self.weight_row
        )
    }

    /// The cell of the highest (or lowest) possible total.
    fn bound(&self, highest: bool) -> String {
        if let Some(g) = &self.grouped {
            return format!(
                "{}!$C${}",
                self.sheet,
                g.points_row + if highest { 3 } else { 4 }
            );
        }
        let row = self.block_row + if highest { 5 } else { 6 } + 1;
        format!("{}!$C${row}", self.sheet)
    }

    /// A formula for `live`, or `None` when the matrix does not hold it.
    /// An option's total, rank and percentage are read the same way from
    /// either version's matrix; the rest as [`MatrixRefs::plain_formula`] or
    /// [`MatrixRefs::grouped_formula`] says.
    fn formula(&self, live: Live) -> Option<String> {
        let s = &self.sheet;
        let row = |o: usize| self.rows.get(o).copied().flatten();
        let total = |o: usize| Some(format!("{s}!{}{}", Self::col(self.total_col), row(o)?));
        match live {
            Live::Total { option } => Some(format!("={}", total(option)?)),
            Live::Rank { option } => Some(format!(
                "={s}!{}{}",
                Self::col(self.rank_col?),
                row(option)?
            )),
            Live::Percent { option } => {
                let total = total(option)?;
                let (hi, lo) = (self.bound(true), self.bound(false));
                Some(format!("=IF({hi}={lo},0,({total}-{lo})/({hi}-{lo}))"))
            }
            _ if self.grouped.is_some() => self.grouped_formula(live),
            _ => self.plain_formula(live),
        }
    }

    /// [`MatrixRefs::formula`] for a version-1 matrix: scores and weights
    /// as entered, weights as the effective weights.
    fn plain_formula(&self, live: Live) -> Option<String> {
        let s = &self.sheet;
        let crit = |c: usize| (c < self.criteria).then(|| Self::col(self.first_col + c as u16));
        let row = |o: usize| self.rows.get(o).copied().flatten();
        Some(match live {
            Live::Score { option, criterion } => {
                let (c, r) = (crit(criterion)?, row(option)?);
                format!("=IF(ISBLANK({s}!{c}{r}),\"\",{s}!{c}{r})")
            }
            Live::Weight { criterion } => format!("={s}!{}${}", crit(criterion)?, self.weight_row),
            Live::Share { criterion } => format!(
                "={s}!{}${}/SUM({})",
                crit(criterion)?,
                self.weight_row,
                self.weights()
            ),
            Live::WeightedScore { option, criterion } => {
                let (c, r) = (crit(criterion)?, row(option)?);
                format!(
                    "=IF(ISBLANK({s}!{c}{r}),\"\",{s}!{c}{r}*{s}!{c}${})",
                    self.weight_row
                )
            }
            Live::TotalWeight => format!("=SUM({})", self.weights()),
            // A version-1 matrix's weights are its effective weights.
            Live::EffectiveWeight { criterion } => {
                format!("={s}!{}${}", crit(criterion)?, self.weight_row)
            }
            Live::Total { .. }
            | Live::Rank { .. }
            | Live::Percent { .. }
            | Live::Subtotal { .. }
            | Live::Raw { .. }
            | Live::ShareOfGroup { .. }
            | Live::GroupWeight { .. }
            | Live::GroupShareOfParent { .. }
            | Live::GroupShare { .. }
            | Live::MaxSubtotal { .. }
            | Live::Points { .. }
            | Live::VsBaseline { .. }
            | Live::SubtotalVsBaseline { .. } => return None,
        })
    }

    /// [`MatrixRefs::formula`] for a version-2 matrix: scores on each
    /// criterion's own scale, effective weights, points on the appraisal's
    /// scale.
    fn grouped_formula(&self, live: Live) -> Option<String> {
        let g = self.grouped.as_ref()?;
        let p = format!("{}!", self.sheet);
        let s = p.as_str();
        let crit = |c: usize| g.spec.criteria.get(c).map(|k| Self::col(k.column as u16));
        let row = |o: usize| self.rows.get(o).copied().flatten();
        Some(match live {
            Live::Score { option, criterion } => {
                let (c, r) = (crit(criterion)?, row(option)?);
                format!("=IF(ISNUMBER({s}{c}{r}),{s}{c}{r},\"\")")
            }
            Live::Weight { criterion } => format!("={s}{}${}", crit(criterion)?, g.weight_row),
            Live::Share { criterion } => format!(
                "={s}{}${}/{}",
                crit(criterion)?,
                g.effective_row,
                g.total_weight(s)
            ),
            Live::WeightedScore { option, criterion } => {
                let c = crit(criterion)?;
                let v = g.value_rows.get(option).copied().flatten()?;
                let (lo, hi) = (g.lowest(s), g.highest(s));
                format!(
                    "=IF(ISNUMBER({s}{c}{v}),{s}{c}${e}*({lo}+{s}{c}{v}*({hi}-{lo})),\"\")",
                    e = g.effective_row
                )
            }
            // Read alike from either matrix, in `formula`.
            Live::Total { .. } | Live::Rank { .. } | Live::Percent { .. } => return None,
            Live::TotalWeight => format!("={}", g.total_weight(s)),
            Live::EffectiveWeight { criterion } => {
                format!("={s}{}${}", crit(criterion)?, g.effective_row)
            }
            Live::Subtotal { option, group } => {
                let c = g.spec.groups.get(group)?.column as u16;
                format!("={s}{}{}", Self::col(c), row(option)?)
            }
            Live::Raw { option, criterion } => {
                let c = g.spec.criteria.get(criterion)?.raw_column? as u16;
                let r = row(option)?;
                format!("=IF(ISNUMBER({s}{c}{r}),{s}{c}{r},\"\")", c = Self::col(c))
            }
            Live::ShareOfGroup { criterion } => {
                let k = g.spec.criteria.get(criterion)?;
                let members = g.members_weight(s, k.group?);
                format!(
                    "=IF({members}=0,0,{s}${}${}/{members})",
                    Self::col(k.column as u16),
                    g.weight_row
                )
            }
            Live::GroupWeight { group } => {
                let c = g.spec.groups.get(group)?.column as u16;
                format!("={s}${}${}", Self::col(c), g.weight_row)
            }
            Live::GroupShareOfParent { group } => {
                let h = g.spec.groups.get(group)?;
                let members = g.siblings_weight(s, h.parent);
                format!(
                    "=IF({members}=0,0,{s}${}${}/{members})",
                    Self::col(h.column as u16),
                    g.weight_row
                )
            }
            Live::GroupShare { group } => {
                let c = g.spec.groups.get(group)?.column as u16;
                let total = g.total_weight(s);
                format!(
                    "=IF({total}=0,0,{s}${}${}/{total})",
                    Self::col(c),
                    g.effective_row
                )
            }
            Live::MaxSubtotal { group } => format!("={}", self.max_subtotal(group)?),
            Live::Points { option, criterion } => {
                let c = crit(criterion)?;
                let v = g.value_rows.get(option).copied().flatten()?;
                let (lo, hi) = (g.lowest(s), g.highest(s));
                format!("=IF(ISNUMBER({s}{c}{v}),{lo}+{s}{c}{v}*({hi}-{lo}),\"\")")
            }
            Live::VsBaseline { option, baseline } => {
                let t = Self::col(self.total_col);
                format!("={s}{t}{}-{s}{t}{}", row(option)?, row(baseline)?)
            }
            Live::SubtotalVsBaseline {
                option,
                group,
                baseline,
            } => {
                let c = Self::col(g.spec.groups.get(group)?.column as u16);
                format!("={s}{c}{}-{s}{c}{}", row(option)?, row(baseline)?)
            }
        })
    }

    /// Group `group`'s highest possible subtotal: its effective weight ×
    /// the appraisal scale's highest point, as the subtotal's header says.
    fn max_subtotal(&self, group: usize) -> Option<String> {
        let g = self.grouped.as_ref()?;
        let s = format!("{}!", self.sheet);
        let c = g.spec.groups.get(group)?.column as u16;
        Some(format!(
            "{s}${}${}*{}",
            Self::col(c),
            g.effective_row,
            g.highest(&s)
        ))
    }

    /// Whether column `c` holds a measured criterion's scores that its value
    /// function may put between the scale's steps (any function but bands).
    fn between_steps(&self, c: usize) -> bool {
        self.grouped.as_ref().is_some_and(|g| {
            g.spec.criteria.iter().any(|k| {
                k.column == c
                    && k.measure.as_ref().is_some_and(|m| {
                        !matches!(
                            m.function,
                            crate::model::value_fn::ValueFunction::Bands { .. }
                        )
                    })
            })
        })
    }

    /// A version-2 matrix's subtotal header for column `c` as a formula
    /// whose maximum (the group's effective weight × the highest point)
    /// follows the weights; `None` for any other column.
    fn subtotal_header(&self, c: usize, header: &str) -> Option<String> {
        let g = self.grouped.as_ref()?;
        let h = g.spec.groups.iter().find(|h| h.column == c)?;
        let stem = header.rsplit_once(" (of ").map_or(header, |(a, _)| a);
        Some(format!(
            "=\"{} (of \"&TEXT(${}${}*{},\"General\")&\")\"",
            stem.replace('"', "\"\""),
            Self::col(h.column as u16),
            g.effective_row,
            g.highest("")
        ))
    }

    /// A version-2 matrix's own formula for body row `r`, column `c` (both
    /// counted in the table): an effective weight, a derived score, a
    /// subtotal, a total or a rank. `None` for an entry.
    fn grouped_cell(&self, t: &ReportTable, r: usize, c: usize) -> Option<Formula> {
        let g = self.grouped.as_ref()?;
        let spec = t.weighted_sum.as_ref()?;
        let er = BODY_ROW + r as u32 + 1;
        let cached = || {
            let v = t.cell(r, c).map(|cell| &cell.value);
            match v {
                Some(Value::Number { value, .. }) => plain_number(*value),
                _ => String::new(),
            }
        };
        let formula = if spec.grouped.as_ref()?.effective_row == Some(r) {
            // An effective weight: a criterion's, or a group's.
            if let Some(k) = g.spec.criteria.iter().find(|k| k.column == c) {
                format!("={}", g.share_of("", c as u16, k.group))
            } else if let Some(h) = g.spec.groups.iter().find(|h| h.column == c) {
                format!("={}", g.share_of("", c as u16, h.parent))
            } else {
                return None;
            }
        } else if spec.rows.contains(&r) {
            let k = spec.rows.clone().position(|x| x == r)?;
            let vr = g.value_row + k as u32;
            if c == spec.total_column {
                format!("={}", g.weighted("", g.span, vr))
            } else if spec.rank_column == Some(c) {
                let tc = Self::col(self.total_col);
                format!("=RANK({tc}{er},${tc}${}:${tc}${})", g.body.0, g.body.1)
            } else if let Some(h) = g.spec.groups.iter().position(|h| h.column == c) {
                format!("={}", g.weighted("", g.group_span(h)?, vr))
            } else if let Some(k) = g
                .spec
                .criteria
                .iter()
                .find(|k| k.column == c && k.measure.is_some())
            {
                g.derived(k, er)?
            } else {
                return None;
            }
        } else {
            return None;
        };
        let result = cached();
        Some(Formula::new(formula).set_result(result))
    }

    /// A note whose figures follow the matrix, as a formula: its text in
    /// pieces joined by `&`, each figure a `TEXT` of its formula. `None`
    /// when the note has no such figure or the matrix does not hold one.
    fn note_formula(&self, text: &str, figures: &[&super::doc::NoteFigure]) -> Option<String> {
        let mut pieces = Vec::new();
        let mut rest = text;
        for f in figures {
            let at = rest.find(f.shown.as_str())?;
            let formula = self.formula(f.live)?;
            let formula = formula.strip_prefix('=').unwrap_or(&formula);
            pieces.push(text_literal(&rest[..at]));
            pieces.push(format!("TEXT({formula},\"General\")"));
            rest = &rest[at + f.shown.len()..];
        }
        if pieces.is_empty() {
            return None;
        }
        pieces.push(text_literal(rest));
        Some(format!("={}", pieces.join("&")))
    }

    /// The remark on an option's total as a formula that follows the
    /// matrix: "H: incomplete" while a score is blank, "H: published as N"
    /// while the total disagrees with the published one (at the figure's own
    /// precision, as the loader's check allows), both joined with "; ".
    fn remark_formula(&self, option: usize, header: &str) -> Option<String> {
        let s = &self.sheet;
        let r = self.rows.get(option).copied().flatten()?;
        let first = Self::col(self.first_col);
        let last = Self::col(self.first_col + self.criteria.saturating_sub(1) as u16);
        let total = format!("{s}!{}{r}", Self::col(self.total_col));
        let h = header.replace('"', "\"\"");
        let inc = format!("COUNTBLANK({s}!{first}{r}:{last}{r})>0");
        let Some(pc) = self.published_col else {
            return Some(format!("=IF({inc},\"{h}: incomplete\",\"\")"));
        };
        let p = format!("{s}!{}{r}", Self::col(pc));
        let allowance = self.published_allowance.get(option).copied().unwrap_or(0.0);
        let differs = format!(
            "AND(ISNUMBER({p}),ABS({p}-{total})>{})",
            plain_number(allowance)
        );
        Some(format!(
            "=IF(AND({inc},{differs}),\"{h}: incomplete; published as \"&{p},IF({inc},\"{h}: incomplete\",IF({differs},\"{h}: published as \"&{p},\"\")))"
        ))
    }

    /// "(out of N)" as a formula that follows the weights: for a header or
    /// a total row's label.
    fn out_of_label(&self, label: &str) -> String {
        self.out_of_label_for(label, None)
    }

    /// [`MatrixRefs::out_of_label`] for the figure `live`: a group's
    /// subtotal is out of the group's highest subtotal, anything else out
    /// of the highest possible total.
    fn out_of_label_for(&self, label: &str, live: Option<Live>) -> String {
        let max = match live {
            Some(Live::Subtotal { group, .. }) => self.max_subtotal(group),
            _ => None,
        };
        format!(
            "=\"{} (out of \"&TEXT({},\"General\")&\")\"",
            label.replace('"', "\"\""),
            max.unwrap_or_else(|| self.bound(true))
        )
    }

    /// A header "Name (of N)" over a column of group `group`'s subtotals,
    /// as a formula whose N follows the weights.
    fn of_max_header(&self, header: &str, group: usize) -> Option<String> {
        let (stem, _) = header.rsplit_once(" (of ")?;
        Some(format!(
            "=\"{} (of \"&TEXT({},\"General\")&\")\"",
            stem.replace('"', "\"\""),
            self.max_subtotal(group)?
        ))
    }

    /// Whether a figure of `t` is about an option the matrix does not list
    /// (one screened out), so the table cannot follow the matrix.
    fn misses_option(&self, t: &ReportTable) -> bool {
        let absent = |o: usize| self.rows.get(o).copied().flatten().is_none();
        t.rows.iter().flat_map(|r| &r.cells).any(|c| match c.live {
            Some(
                Live::Score { option, .. }
                | Live::WeightedScore { option, .. }
                | Live::Total { option }
                | Live::Rank { option }
                | Live::Percent { option }
                | Live::Subtotal { option, .. }
                | Live::Raw { option, .. }
                | Live::Points { option, .. },
            ) => absent(option),
            _ => false,
        })
    }

    /// The remarks of body row `cells` as a formula that follows the
    /// matrix: each live figure with a published one says "H: published as
    /// N" while they disagree, and the total says so as
    /// [`MatrixRefs::remark_formula`] does; joined with "; " in column
    /// order. `None` when no figure of the row has a published check.
    fn row_remark_formula(&self, t: &ReportTable, cells: &[super::doc::Cell]) -> Option<String> {
        // Version 2 only, so that version-1 workbooks keep their bytes; and
        // only where a figure decides a remark beside a remark it does not.
        let checked = cells.iter().any(|c| c.published.is_some());
        let total = cells
            .iter()
            .any(|c| matches!(c.live, Some(Live::Total { .. })));
        let other = cells
            .iter()
            .any(|c| c.remark.is_some() && !matches!(c.live, Some(Live::Total { .. })));
        if self.grouped.is_none() || !(checked || (total && other)) {
            return None;
        }
        let mut pieces = Vec::new();
        for (k, cell) in cells.iter().enumerate() {
            let header = t.columns.get(k).map_or("", |c| c.header.as_str());
            let h = super::csv::remark_header(header);
            if let Some(Live::Total { option }) = cell.live {
                let f = self.remark_formula(option, h)?;
                let f = f.strip_prefix('=').unwrap_or(&f).to_string();
                pieces.push(format!("IF(({f})=\"\",\"\",\"; \"&({f}))"));
                continue;
            }
            let (Some(live), Some(p)) = (cell.live, cell.published.as_deref()) else {
                if cell.remark.is_some() {
                    // A remark the matrix does not decide stays as written.
                    let text = format!("; {h}: {}", cell.remark.as_deref().unwrap_or(""));
                    pieces.push(text_literal(&clean(&text)));
                }
                continue;
            };
            let f = self.formula(live)?;
            let f = f.strip_prefix('=').unwrap_or(&f).to_string();
            let text = text_literal(&clean(&format!("; {h}: {}", p.remark)));
            pieces.push(format!(
                "IF(AND(ISNUMBER({f}),ABS(({f})*{}-({}))>{}),{text},\"\")",
                plain_number(p.scale),
                plain_number(p.value),
                plain_number(p.allowance)
            ));
        }
        Some(format!("=MID({},3,32767)", pieces.join("&")))
    }
}

/// The formats a sheet's body cells use, each made once: a format is a
/// large value that rust_xlsxwriter looks up by hash for every cell, and
/// a million cells each building their own took a second on its own.
struct BodyFormats {
    made: Vec<((RowKind, bool, NumberFormat, bool), Format)>,
}

/// A body cell's number format.
#[derive(Clone, PartialEq)]
enum NumberFormat {
    General,
    /// A number with this many decimals (at least one).
    Fixed(usize),
    /// A fraction shown as a percentage with this many decimals.
    Percent(usize),
    /// A total shown as "T/max", the total with this many decimals.
    OutOf(f64, usize),
    /// A difference with its sign, "+21.8" or "-3.0" (General would overflow
    /// a narrow column once signed).
    Signed,
}

impl NumberFormat {
    /// The format that shows `value` with the decimals the other formats
    /// show it with (the figure's own, aligned down its column), so that a
    /// live figure such as 12.857142857 reads 12.86 and not in General's
    /// ten digits. Whole figures stay General, which still shows the
    /// decimals a changed score or weight may bring.
    fn of(value: &Value) -> NumberFormat {
        let d = value.shown_decimals();
        match value {
            Value::Percent { .. } => NumberFormat::Percent(d),
            Value::OutOf { max, .. } => NumberFormat::OutOf(*max, d),
            Value::Number { .. } if d > 0 => NumberFormat::Fixed(d),
            _ => NumberFormat::General,
        }
    }

    /// [`NumberFormat::of`] for a figure that follows the matrix: a total
    /// out of a maximum shows only the total, since the maximum follows the
    /// weights (the column's header says it).
    fn live(value: &Value) -> NumberFormat {
        match NumberFormat::of(value) {
            NumberFormat::OutOf(_, 0) => NumberFormat::General,
            NumberFormat::OutOf(_, d) => NumberFormat::Fixed(d),
            other => other,
        }
    }

    /// The Excel number format code.
    fn code(&self) -> Option<String> {
        let zeros = |d: usize| {
            if d == 0 {
                "0".to_string()
            } else {
                format!("0.{}", "0".repeat(d))
            }
        };
        match self {
            NumberFormat::General => None,
            NumberFormat::Fixed(d) => Some(zeros(*d)),
            NumberFormat::Percent(d) => Some(format!("{}%", zeros(*d))),
            NumberFormat::Signed => Some("+0.0#;-0.0#;0".to_string()),
            NumberFormat::OutOf(max, 0) => Some(format!("General\"/{}\"", plain_number(*max))),
            NumberFormat::OutOf(max, d) => {
                Some(format!("{}\"/{}\"", zeros(*d), plain_number(*max)))
            }
        }
    }
}

impl BodyFormats {
    fn new() -> Self {
        BodyFormats { made: Vec::new() }
    }

    /// The format for a cell of `sheet` in a row of `kind`: wrapped or
    /// not, with a number format, and quote-prefixed (text Excel would
    /// run) or not; numbered in the workbook the first time it is asked for.
    fn get(
        &mut self,
        sheet: &Sheet<'_, '_>,
        kind: RowKind,
        wrap: bool,
        number: NumberFormat,
        quote: bool,
    ) -> Result<CellFormat<'_>, ExportError> {
        let key = (kind, wrap, number, quote);
        let at = match self.made.iter().position(|(k, _)| *k == key) {
            Some(at) => at,
            None => {
                let (kind, wrap, number, quote) = key.clone();
                let mut f = row_format(kind);
                if wrap {
                    f = f.set_text_wrap();
                }
                if let Some(code) = number.code() {
                    f = f.set_num_format(code);
                }
                if quote {
                    f = f.set_quote_prefix();
                }
                sheet.number(&f)?;
                self.made.push((key, f));
                self.made.len() - 1
            }
        };
        Ok(CellFormat::numbered(&self.made[at].1))
    }
}

/// The format of a body row of `kind`: totals bold under a heavier line,
/// parameters (the weights over a matrix) in italics on grey.
fn row_format(kind: RowKind) -> Format {
    let f = base_format();
    match kind {
        RowKind::Body => f,
        RowKind::Total => f
            .set_bold()
            .set_border_top(FormatBorder::Medium)
            .set_border_top_color("#000000"),
        RowKind::Parameters => f.set_italic().set_background_color("#F2F2F2"),
        RowKind::Heading => f.set_bold().set_background_color("#DEEAF6"),
    }
}

/// A cell's text as written: the value's display, without copying plain text.
fn cell_text(value: &Value) -> Cow<'_, str> {
    match value {
        Value::Text { text } => Cow::Borrowed(text),
        v => Cow::Owned(v.display()),
    }
}

/// The group whose subtotals column `c` of `t` holds, if it holds any.
fn subtotal_group(t: &ReportTable, c: usize) -> Option<usize> {
    let mut found = None;
    for live in t.rows.iter().filter_map(|r| r.cells.get(c)?.live) {
        match live {
            Live::Subtotal { group, .. } if found.is_none_or(|g| g == group) => found = Some(group),
            _ => return None,
        }
    }
    found
}

/// Whether `spec` fits its table, so its formulas refer to real cells.
fn weighted_sum_fits(t: &ReportTable, spec: &super::doc::WeightedSum) -> bool {
    let n = t.columns.len();
    spec.columns.start < spec.columns.end
        && spec.columns.end <= n
        && spec.total_column < n
        && spec.weight_row < t.rows.len()
        && spec.rows.end <= t.rows.len()
        && spec.rank_column.is_none_or(|c| c < n)
        && !spec.rows.is_empty()
}

/// The live total (a `SUMPRODUCT` of the weight row and the row's scores)
/// or rank of the matrix cell in body row `r`, column `c`, if it holds one.
fn weighted_sum_formula(
    t: &ReportTable,
    spec: &super::doc::WeightedSum,
    r: usize,
    c: usize,
) -> Option<Formula> {
    if !spec.rows.contains(&r) || spec.grouped.is_some() {
        return None;
    }
    let number = |col: usize| {
        t.cell(r, col)
            .and_then(|cell| cell.value.number())
            .unwrap_or(0.0)
    };
    let first = column_number_to_name(spec.columns.start as u16);
    let last = column_number_to_name((spec.columns.end - 1) as u16);
    let wr = BODY_ROW + spec.weight_row as u32 + 1;
    let er = BODY_ROW + r as u32 + 1;
    if c == spec.total_column {
        return Some(
            Formula::new(format!(
                "=SUMPRODUCT(${first}${wr}:${last}${wr},{first}{er}:{last}{er})"
            ))
            .set_result(plain_number(number(c))),
        );
    }
    if spec.rank_column == Some(c) {
        let total_col = column_number_to_name(spec.total_column as u16);
        let top = BODY_ROW + spec.rows.start as u32 + 1;
        let bottom = BODY_ROW + spec.rows.end as u32;
        return Some(
            Formula::new(format!(
                "=RANK({total_col}{er},${total_col}${top}:${total_col}${bottom})"
            ))
            .set_result(plain_number(number(c))),
        );
    }
    None
}

/// Writes one table as a worksheet, strictly row after row (a sheet kept
/// on disk cannot go back to a row it has left). Returns the first row
/// after everything written.
///
/// A sheet `on_disk` keeps every row's height until the workbook is saved,
/// so its rows take their most usual height by default and only the others
/// have one of their own: an annex sheet's hundred two-line rows would
/// otherwise hold 28 KB each, 280 MB over 10,000 options. (The score
/// matrix keeps one line as usual, like a sheet in memory.)
fn write_sheet(
    ws: &mut Sheet<'_, '_>,
    t: &ReportTable,
    refs: Option<&MatrixRefs>,
    on_disk: bool,
) -> Result<u32, ExportError> {
    let remarks = has_remarks(t);
    let n = t.columns.len();
    // A formula whose figure is blank or text that is empty caches an
    // empty text, not the library's 0, which readers that do not
    // recalculate would show. (Version 1 keeps its bytes.)
    if refs.is_some_and(|m| m.grouped.is_some()) {
        ws.set_formula_result_default("");
    }
    let mut widths: Vec<f64> = (0..n).map(|c| width_for(t, c)).collect();
    if remarks {
        widths.push(REMARKS_WIDTH);
    }
    for (c, w) in widths.iter().enumerate() {
        ws.set_column_width(c as u16, *w)?;
    }
    let usual = if on_disk && t.weighted_sum.is_none() {
        usual_lines(t, &widths)
    } else {
        1
    };
    if usual != 1 {
        ws.set_default_row_height(row_height(usual));
    }
    let title_fmt = Format::new().set_bold().set_font_size(14);
    ws.write_string_with_format(0, 0, clean(&t.title), &title_fmt)?;
    fit_row(ws, 0, 1, usual)?;
    if let Some(intro) = &t.intro {
        write_paragraph(ws, 1, &widths, intro, &Format::new(), usual)?;
    }
    let header_row = HEADER_ROW;
    let body_row = BODY_ROW;
    // Figures the matrix holds are formulas over its cells, unless this is
    // the matrix, whose scores and weights are the workbook's entries.
    let own = refs.filter(|_| t.weighted_sum.is_some());
    let refs = refs.filter(|_| t.weighted_sum.is_none());
    // A table about an option screened out, which the matrix does not list,
    // keeps its figures as exported (and says so).
    let screened = refs.is_some_and(|m| m.grouped.is_some() && m.misses_option(t));
    let refs = refs.filter(|_| !screened);
    let sum = t
        .weighted_sum
        .as_ref()
        .filter(|spec| weighted_sum_fits(t, spec));
    let live_out_of = |c: usize| {
        refs.is_some()
            && t.rows.iter().any(|r| {
                r.cells.get(c).is_some_and(|cell| {
                    cell.live.is_some() && matches!(cell.value, Value::OutOf { .. })
                })
            })
    };
    let header_fmt = Format::new()
        .set_bold()
        .set_background_color("#D9D9D9")
        .set_border(FormatBorder::Thin)
        .set_border_color("#808080")
        .set_border_bottom(FormatBorder::Medium)
        .set_border_bottom_color("#000000")
        .set_text_wrap()
        .set_align(FormatAlign::Bottom);
    let mut header_lines = 1;
    for (c, col) in t.columns.iter().enumerate() {
        let mut f = header_fmt.clone();
        if col.align == super::doc::Align::Right {
            f = f.set_align(FormatAlign::Right);
        }
        match refs {
            // A column of live totals names a maximum that follows the weights.
            Some(m) if live_out_of(c) && shared_max(t, c).is_some() => {
                let result = header_with_max(t, c);
                ws.write_formula_with_format(
                    header_row,
                    c as u16,
                    Formula::new(m.out_of_label(&col.header)).set_result(clean(&result)),
                    &f,
                )?;
            }
            // A column of a group's subtotals names its maximum, which follows the weights.
            Some(m)
                if subtotal_group(t, c)
                    .and_then(|g| m.of_max_header(&col.header, g))
                    .is_some() =>
            {
                let label = subtotal_group(t, c)
                    .and_then(|g| m.of_max_header(&col.header, g))
                    .unwrap_or_default();
                ws.write_formula_with_format(
                    header_row,
                    c as u16,
                    Formula::new(label).set_result(clean(&col.header)),
                    &f,
                )?;
            }
            _ => match (own, &t.weighted_sum) {
                // A group's subtotal header names its maximum, which follows the weights.
                (Some(m), Some(_)) if m.subtotal_header(c, &col.header).is_some() => {
                    let label = m.subtotal_header(c, &col.header).unwrap_or_default();
                    ws.write_formula_with_format(
                        header_row,
                        c as u16,
                        Formula::new(label).set_result(clean(&col.header)),
                        &f,
                    )?;
                }
                // The matrix's own total header names a maximum that follows its weights.
                (Some(m), Some(spec)) if spec.total_column == c => {
                    let label = format!(
                        "=\"{} (of \"&TEXT({},\"General\")&\")\"",
                        spec.total_label.replace('"', "\"\""),
                        m.bound(true)
                    );
                    ws.write_formula_with_format(
                        header_row,
                        c as u16,
                        Formula::new(label).set_result(clean(&col.header)),
                        &f,
                    )?;
                }
                _ => write_text(ws, header_row, c as u16, &col.header, &f)?,
            },
        }
        // Headers wrap at word boundaries, which can take an extra line.
        let lines = wrapped_lines(&col.header, widths.get(c).copied().unwrap_or(10.0) - 1.0);
        header_lines = header_lines.max(lines);
    }
    fit_row(ws, header_row, header_lines, usual)?;
    if remarks {
        write_text(ws, header_row, n as u16, "Remarks", &header_fmt)?;
    }
    let mut formats = BodyFormats::new();
    for (r, row) in t.rows.iter().enumerate() {
        let xr = body_row + r as u32;
        let kind = row.kind;
        let mut lines = 1;
        for (c, &width) in widths.iter().enumerate().take(n) {
            let xc = c as u16;
            let wrap = t.columns.get(c).is_some_and(|col| col.wide);
            let cell = row.cells.get(c);
            let value = cell.map_or(&Value::Empty, |cell| &cell.value);
            let wrap = wrap
                || matches!(value, Value::List { .. } | Value::Evidence { .. })
                || (kind == RowKind::Parameters && own.is_some_and(|m| m.grouped.is_some()));
            // A version-2 matrix's effective weights, derived scores,
            // subtotals, totals and ranks follow its entries.
            if let Some(formula) = own.and_then(|m| m.grouped_cell(t, r, c)) {
                // Scores a value function puts between steps show at least two
                // decimals, as the matrix's own figures show theirs.
                let number = match NumberFormat::live(value) {
                    NumberFormat::Fixed(d) if own.is_some_and(|m| m.between_steps(c)) => {
                        NumberFormat::Fixed(d.max(2))
                    }
                    NumberFormat::General if own.is_some_and(|m| m.between_steps(c)) => {
                        NumberFormat::Fixed(2)
                    }
                    other => other,
                };
                let f = formats.get(ws, kind, false, number, false)?;
                ws.write_formula_with_format(xr, xc, formula, f)?;
                continue;
            }
            // The matrix's totals and ranks follow its scores and weights.
            if let Some(formula) = sum.and_then(|spec| weighted_sum_formula(t, spec, r, c)) {
                let f = formats.get(ws, kind, false, NumberFormat::live(value), false)?;
                ws.write_formula_with_format(xr, xc, formula, f)?;
                continue;
            }
            let formula = cell
                .and_then(|cell| cell.live)
                .and_then(|l| refs.and_then(|m| m.formula(l)));
            if let Some(formula) = formula {
                let signed = matches!(
                    cell.and_then(|c| c.live),
                    Some(Live::VsBaseline { .. } | Live::SubtotalVsBaseline { .. })
                );
                let number = if signed {
                    NumberFormat::Signed
                } else {
                    NumberFormat::live(value)
                };
                let cached = match value {
                    Value::Percent { value, .. } => plain_number(value / 100.0),
                    v => v.number().map(plain_number).unwrap_or_default(),
                };
                ws.write_formula_with_format(
                    xr,
                    xc,
                    Formula::new(formula).set_result(cached),
                    formats.get(ws, kind, wrap, number, false)?,
                )?;
                continue;
            }
            // A total row's label names the maximum, which follows the weights.
            if let (Some(m), RowKind::Total, Value::Text { text }) = (refs, kind, value)
                && Some(c) == Some(t.row_header.unwrap_or(0))
                && row.cells.iter().enumerate().any(|(k, cell)| {
                    cell.live.is_some()
                        && matches!(cell.value, Value::OutOf { .. })
                        && shared_max(t, k).is_none()
                })
            {
                let shown = super::csv::total_label(t, &row.cells, text);
                let live = row.cells.iter().enumerate().find_map(|(k, cell)| {
                    matches!(cell.value, Value::OutOf { .. })
                        .then_some(())
                        .filter(|_| shared_max(t, k).is_none())
                        .and(cell.live)
                });
                ws.write_formula_with_format(
                    xr,
                    xc,
                    Formula::new(m.out_of_label_for(text, live)).set_result(clean(&shown)),
                    formats.get(ws, kind, wrap, NumberFormat::General, false)?,
                )?;
                continue;
            }
            match value {
                Value::Empty | Value::Missing => {
                    let f = formats.get(ws, kind, wrap, NumberFormat::General, false)?;
                    ws.write_blank(xr, xc, f)?;
                }
                Value::Text { .. } | Value::List { .. } | Value::Evidence { .. } => {
                    let text = cell_text(value);
                    let wrap = wrap || text.contains('\n');
                    lines = lines.max(wrapped_lines(&text, width));
                    let text = clean(&text);
                    let f = formats.get(
                        ws,
                        kind,
                        wrap,
                        NumberFormat::General,
                        is_formula_like(&text),
                    )?;
                    ws.write_string_with_format(xr, xc, text, f)?;
                }
                Value::Number { value: x, .. } | Value::OutOf { value: x, .. } => {
                    let f = formats.get(ws, kind, wrap, NumberFormat::of(value), false)?;
                    ws.write_number_with_format(xr, xc, *x, f)?;
                }
                Value::Percent { value: x, .. } => {
                    let f = formats.get(ws, kind, wrap, NumberFormat::of(value), false)?;
                    ws.write_number_with_format(xr, xc, x / 100.0, f)?;
                }
            }
        }
        if remarks {
            let text = row_remarks(t, &row.cells);
            lines = lines.max(wrapped_lines(&text, REMARKS_WIDTH));
            // Remarks on a live total follow the matrix as the total does.
            let live_total = row
                .cells
                .iter()
                .enumerate()
                .find_map(|(k, cell)| match cell.live {
                    Some(Live::Total { option }) => Some((k, option)),
                    _ => None,
                });
            let live_total = live_total.or_else(|| {
                let spec = own.and(t.weighted_sum.as_ref())?;
                let at = spec.rows.clone().position(|x| x == r)?;
                Some((spec.total_column, *spec.options.get(at)?))
            });
            let refs_here = refs.or(own);
            let general = refs.and_then(|m| m.row_remark_formula(t, &row.cells));
            let formula = general.or_else(|| {
                live_total.and_then(|(k, option)| {
                    let header = t.columns.get(k).map_or("", |c| c.header.as_str());
                    refs_here?.remark_formula(option, super::csv::remark_header(header))
                })
            });
            match formula {
                Some(formula) => {
                    ws.write_formula_with_format(
                        xr,
                        n as u16,
                        Formula::new(formula).set_result(clean(&text)),
                        formats.get(ws, kind, true, NumberFormat::General, false)?,
                    )?;
                }
                None => {
                    let text = clean(&text);
                    let f = formats.get(
                        ws,
                        kind,
                        true,
                        NumberFormat::General,
                        is_formula_like(&text),
                    )?;
                    ws.write_string_with_format(xr, n as u16, text, f)?;
                }
            }
        }
        fit_row(ws, xr, lines, usual)?;
    }
    let first_note = body_row + t.rows.len() as u32 + 1;
    let mut extra = workbook_notes(t, own.is_some() || refs.is_some());
    let measured = t
        .columns
        .iter()
        .any(|c| c.header == super::tables::MEASURED_HEADER);
    if measured && refs.is_some() {
        extra.push(
            "The measured values and how they are scored are written as exported; the scores, points and weighted scores beside them follow the raw values and weights on the Matrix sheet.",
        );
    }
    let unweighted_group = refs.and_then(|m| m.grouped.as_ref()).is_some_and(|g| {
        g.spec
            .groups
            .iter()
            .any(|h| h.parent.is_none() && h.weight == 0.0)
    });
    let subtotals = t.rows.iter().flat_map(|r| &r.cells).any(|c| {
        matches!(
            c.live,
            Some(Live::Subtotal { .. } | Live::SubtotalVsBaseline { .. })
        )
    });
    if unweighted_group && subtotals {
        extra.push(
            "A top-level group that weighed nothing when the workbook was exported has no subtotal on this sheet. If its weight is changed on the Matrix sheet, the totals here follow it and its subtotal is on the Matrix sheet; export again for a column here.",
        );
    }
    if screened {
        extra.push(
            "This option is screened out, so the Matrix sheet does not list it: its figures were worked out when the workbook was exported and do not follow changes made there. Export again to bring them up to date.",
        );
    }
    let notes = t
        .notes
        .iter()
        .map(String::as_str)
        .chain(extra.iter().copied());
    for (k, (note_row, note)) in (first_note..).zip(notes).enumerate() {
        let text = format!("Note: {note}");
        write_paragraph(ws, note_row, &widths, &text, &Format::new(), usual)?;
        // A figure such as the sum of the weights follows the matrix.
        let figures: Vec<&super::doc::NoteFigure> =
            t.note_figures.iter().filter(|f| f.note == k).collect();
        if let Some(formula) = refs
            .or(own)
            .and_then(|m| m.note_formula(&clean(&text), &figures))
        {
            let f = Format::new().set_text_wrap().set_align(FormatAlign::Top);
            ws.write_formula_with_format(
                note_row,
                0,
                Formula::new(formula).set_result(clean(&text)),
                &f,
            )?;
        }
    }
    let mut next = first_note + (t.notes.len() + extra.len()) as u32;
    if let Some(m) = own {
        next = write_matrix_block(ws, t, m)?;
    }
    let freeze_col = t.row_header.map_or(0, |c| (c + 1) as u16);
    ws.set_freeze_panes(body_row, freeze_col)?;
    ws.set_paper_size(9);
    if widths.iter().sum::<f64>() > PORTRAIT_WIDTH {
        ws.set_landscape();
    }
    ws.set_print_fit_to_pages(1, 0);
    ws.set_repeat_rows(header_row, header_row)?;
    Ok(next)
}

/// Width of the Remarks column, in characters.
const REMARKS_WIDTH: f64 = 30.0;

/// About how many characters of column width fit across A4 portrait.
const PORTRAIT_WIDTH: f64 = 100.0;

/// Writes text as text: formula-like text gets Excel's quote prefix so it is
/// shown as written and never run.
fn write_text(
    ws: &mut Sheet<'_, '_>,
    row: u32,
    col: u16,
    text: &str,
    format: &Format,
) -> Result<(), ExportError> {
    let text = clean(text);
    let f = if is_formula_like(&text) {
        format.clone().set_quote_prefix()
    } else {
        format.clone()
    };
    ws.write_string_with_format(row, col, text, &f)?;
    Ok(())
}

/// Under the matrix's notes: the scale and the lowest and highest possible
/// totals (which follow the weights), and checks on every score cell so an
/// entry off the scale is refused with a message saying what is allowed.
/// Returns the first row after the block.
fn write_matrix_block(
    ws: &mut Sheet<'_, '_>,
    t: &ReportTable,
    m: &MatrixRefs,
) -> Result<u32, ExportError> {
    if let Some(g) = &m.grouped {
        return write_grouped_block(ws, t, m, g);
    }
    let (min, max, step) = m.scale;
    let r = m.block_row;
    let bold = Format::new().set_bold();
    let label = Format::new();
    ws.write_string_with_format(r, 1, "Scale and possible totals", &bold)?;
    let weights = m.weights();
    let rows: [(&str, Option<String>, f64); 6] = [
        ("Lowest score", None, min),
        ("Highest score", None, max),
        ("Step between scores", None, step),
        ("Total weight", Some(format!("=SUM({weights})")), 0.0),
        (
            "Highest possible total",
            Some(format!("=SUM({weights})*$C${}", r + 3)),
            m.totals.1,
        ),
        (
            "Lowest possible total",
            Some(format!("=SUM({weights})*$C${}", r + 2)),
            m.totals.0,
        ),
    ];
    for (k, (text, formula, value)) in rows.into_iter().enumerate() {
        let row = r + 1 + k as u32;
        ws.write_string_with_format(row, 1, text, &label)?;
        match formula {
            Some(f) => {
                // The total weight is the span of possible totals over the scale's span.
                let cached = if k == 3 && max > min {
                    (m.totals.1 - m.totals.0) / (max - min)
                } else {
                    value
                };
                ws.write_formula(row, 2, Formula::new(f).set_result(plain_number(cached)))?;
            }
            None => {
                ws.write_number(row, 2, value)?;
            }
        }
    }
    ws.write_string_with_format(
        r + 8,
        1,
        "Scores and weights are entered on this sheet only; every other figure in the workbook follows them, except the sensitivity sheets, which show the analysis as exported. The Scale sheet says what each score means.",
        &label,
    )?;
    // Every score cell takes only a score on the scale, or nothing.
    let first_row = m.rows.iter().flatten().copied().min();
    let last_row = m.rows.iter().flatten().copied().max();
    if let (Some(top), Some(bottom)) = (first_row, last_row)
        && m.criteria > 0
    {
        let first = column_number_to_name(m.first_col);
        let cell = format!("{first}{top}");
        let rule = format!(
            "=AND(ISNUMBER({cell}),{cell}>={lo},{cell}<={hi},MOD(ROUND(({cell}-({lo}))/{st},6),1)=0)",
            lo = plain_number(min),
            hi = plain_number(max),
            st = plain_number(step),
        );
        let v = DataValidation::new()
            .allow_custom(Formula::new(rule))
            .set_error_title("Not a score on the scale")?
            .set_error_message(format!(
                "Enter a score from {} to {} in steps of {}, or leave the cell empty if it is not scored yet.",
                plain_number(min),
                plain_number(max),
                plain_number(step)
            ))?
            .set_input_title("Score")?
            .set_input_message(format!(
                "From {} to {} in steps of {}.",
                plain_number(min),
                plain_number(max),
                plain_number(step)
            ))?;
        ws.add_data_validation(
            top - 1,
            m.first_col,
            bottom - 1,
            m.first_col + m.criteria as u16 - 1,
            &v,
        )?;
    }
    Ok(r + 9)
}

/// Under a version-2 matrix's notes: each criterion's scale in its own
/// column, each score as a value from 0 to 1, the scale totals are counted
/// in and the possible totals, and checks on every score and raw value.
/// Returns the first row after the block.
fn write_grouped_block(
    ws: &mut Sheet<'_, '_>,
    t: &ReportTable,
    m: &MatrixRefs,
    g: &GroupedRefs,
) -> Result<u32, ExportError> {
    let r = g.block_row;
    let bold = Format::new().set_bold();
    let label = Format::new();
    let entry = Format::new()
        .set_border(FormatBorder::Thin)
        .set_border_color("#808080");
    let Some(spec) = t.weighted_sum.as_ref() else {
        return Ok(r);
    };
    ws.write_string_with_format(r, 1, "Each criterion's scale", &bold)?;
    for (k, text) in ["Lowest score", "Highest score", "Step between scores"]
        .into_iter()
        .enumerate()
    {
        let row = r + 1 + k as u32;
        ws.write_string_with_format(row, 1, text, &label)?;
        for c in &g.spec.criteria {
            let v = match k {
                0 => c.scale.0,
                1 => c.scale.1,
                _ => c.scale.2,
            };
            ws.write_number_with_format(row, c.column as u16, v, &entry)?;
        }
    }
    ws.write_string_with_format(
        r + 5,
        1,
        "Each score as a value from 0 to 1 on its criterion's scale: (score − lowest) ÷ (highest − lowest)",
        &bold,
    )?;
    let value_fmt = Format::new().set_num_format("0.000");
    for (k, mr) in spec.rows.clone().enumerate() {
        let row = g.value_row - 1 + k as u32;
        let matrix_row = BODY_ROW + mr as u32 + 1;
        let name = t
            .cell(mr, t.row_header.unwrap_or(1))
            .map(|cell| cell.value.display())
            .unwrap_or_default();
        ws.write_formula(
            row,
            1,
            Formula::new(format!("=$B{matrix_row}")).set_result(clean(&name)),
        )?;
        for c in &g.spec.criteria {
            let x = column_number_to_name(c.column as u16);
            let (lo, hi) = (c.scale.0, c.scale.1);
            let cached = t
                .cell(mr, c.column)
                .and_then(|cell| cell.value.number())
                .map(|v| plain_number((v - lo) / (hi - lo)))
                .unwrap_or_default();
            let f = format!(
                "=IF(ISNUMBER({x}{matrix_row}),({x}{matrix_row}-{x}${min})/({x}${max}-{x}${min}),\"\")",
                min = g.min_row,
                max = g.max_row
            );
            ws.write_formula_with_format(
                row,
                c.column as u16,
                Formula::new(f).set_result(cached),
                &value_fmt,
            )?;
        }
    }
    let p = g.points_row - 1;
    ws.write_string_with_format(p - 1, 1, "Scale of the totals and possible totals", &bold)?;
    let (a, b) = (
        column_number_to_name(g.span.0),
        column_number_to_name(g.span.1),
    );
    let e = g.effective_row;
    let total_weight: f64 = g
        .spec
        .criteria
        .iter()
        .filter_map(|c| {
            let er = spec
                .grouped
                .as_ref()?
                .effective_row
                .unwrap_or(spec.weight_row);
            t.cell(er, c.column)?.value.number()
        })
        .sum();
    let rows: [(&str, Option<String>, f64); 5] = [
        ("Lowest point (totals)", None, g.spec.points.0),
        ("Highest point (totals)", None, g.spec.points.1),
        (
            "Total effective weight",
            Some(format!(
                "=SUMPRODUCT(${a}${e}:${b}${e},--ISNUMBER(${a}${min}:${b}${min}))",
                min = g.min_row
            )),
            total_weight,
        ),
        (
            "Highest possible total",
            Some(format!("=$C${}*$C${}", p + 3, p + 2)),
            m.totals.1,
        ),
        (
            "Lowest possible total",
            Some(format!("=$C${}*$C${}", p + 3, p + 1)),
            m.totals.0,
        ),
    ];
    for (k, (text, formula, value)) in rows.into_iter().enumerate() {
        let row = p + k as u32;
        ws.write_string_with_format(row, 1, text, &label)?;
        match formula {
            Some(f) => ws.write_formula(row, 2, Formula::new(f).set_result(plain_number(value)))?,
            None => ws.write_number_with_format(row, 2, value, &entry)?,
        };
    }
    let last = g.span.1.max(2);
    let wrap = label.clone().set_text_wrap().set_align(FormatAlign::Top);
    ws.merge_range(
        p + 6,
        1,
        p + 6,
        last,
        "Entered on this sheet only: scores, weights within groups, the groups' own weights (in the weight row, over each group's subtotal), each criterion's lowest and highest score and step (above), raw values of measured criteria and the scale of the totals. Every other figure in the workbook follows them by formula, except the sensitivity sheets, which show the analysis as exported. A measured criterion's score is worked out from its raw value as the notes say.",
        &wrap,
    )?;
    ws.set_row_height(p + 6, 4.0 * LINE_HEIGHT)?;
    // Each judged criterion's cells take a score on its own scale, or
    // nothing; a measured criterion's raw cells take a number.
    let (top, bottom) = g.body;
    if top <= bottom {
        for c in &g.spec.criteria {
            let (lo, hi, st) = c.scale;
            let (col, rule, v) = match c.raw_column {
                None => {
                    let x = column_number_to_name(c.column as u16);
                    let cell = format!("{x}{top}");
                    let rule = format!(
                        "=AND(ISNUMBER({cell}),{cell}>=${x}${mn},{cell}<=${x}${mx},MOD(ROUND(({cell}-${x}${mn})/${x}${sp},6),1)=0)",
                        mn = g.min_row,
                        mx = g.max_row,
                        sp = g.step_row
                    );
                    let words = format!(
                        "from {} to {} in steps of {}",
                        plain_number(lo),
                        plain_number(hi),
                        plain_number(st)
                    );
                    let v = DataValidation::new()
                        .set_error_title("Not a score on the scale")?
                        .set_error_message(format!(
                            "{}: enter a score {words}, or leave the cell empty if it is not scored yet.",
                            short(&c.name, 120)
                        ))?
                        .set_input_title("Score")?
                        .set_input_message(format!("From {words}."))?;
                    (c.column, rule, v)
                }
                Some(raw) => {
                    let x = column_number_to_name(raw as u16);
                    let rule = format!("=ISNUMBER({x}{top})");
                    let v = DataValidation::new()
                        .set_error_title("Not a number")?
                        .set_error_message(format!(
                            "{}: enter the raw value as a number, or leave the cell empty.",
                            short(&c.name, 120)
                        ))?
                        .set_input_title("Raw value")?
                        .set_input_message(
                            "The score beside it is worked out from this value, as the notes under the matrix say.",
                        )?;
                    (raw, rule, v)
                }
            };
            let v = v.allow_custom(Formula::new(rule));
            ws.add_data_validation(top - 1, col as u16, bottom - 1, col as u16, &v)?;
        }
    }
    Ok(p + 7)
}

/// At most `n` characters of `s`, for messages with a length limit.
fn short(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let mut out: String = s.chars().take(n - 1).collect();
        out.push('…');
        out
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn figures_show_the_decimals_the_other_formats_show() {
        let number = |value: f64, display: &str| Value::Number {
            value,
            display: display.into(),
        };
        let code = |f: NumberFormat| f.code();
        // A figure of 12.857142857 reads 12.86, as in the text exports,
        // not General's 12.85714286.
        assert_eq!(
            code(NumberFormat::of(&number(12.857_142_857, "12.86"))).as_deref(),
            Some("0.00")
        );
        assert_eq!(
            code(NumberFormat::of(&number(3.0, "3.0"))).as_deref(),
            Some("0.0")
        );
        // Whole figures stay General, which shows what an edit brings.
        assert_eq!(code(NumberFormat::of(&number(3.0, "3"))), None);
        let percent = Value::Percent {
            value: 65.0,
            display: "65.00%".into(),
        };
        assert_eq!(code(NumberFormat::of(&percent)).as_deref(), Some("0.00%"));
        let out_of = |value: f64, display: &str| Value::OutOf {
            value,
            max: 40.0,
            display: display.into(),
        };
        assert_eq!(
            code(NumberFormat::of(&out_of(33.0, "33/40"))).as_deref(),
            Some("General\"/40\"")
        );
        assert_eq!(
            code(NumberFormat::of(&out_of(32.5, "32.50/40"))).as_deref(),
            Some("0.00\"/40\"")
        );
        // A live total's maximum follows the weights, so only the total shows.
        assert_eq!(
            code(NumberFormat::live(&out_of(32.5, "32.50/40"))).as_deref(),
            Some("0.00")
        );
        assert_eq!(code(NumberFormat::live(&out_of(33.0, "33/40"))), None);
    }

    #[test]
    fn overlong_text_is_cut_to_fit_a_cell() {
        let long = "x".repeat(40_000);
        let cut = super::clean(&long);
        assert_eq!(cut.chars().count(), super::CELL_CHARS);
        assert!(cut.ends_with(super::CUT_MARK));
        assert_eq!(super::clean("short"), "short");
    }

    use super::*;

    #[test]
    fn sheet_names_are_valid_and_unique() {
        let mut used = HashSet::new();
        assert_eq!(sheet_name("Ranking", &mut used), "Ranking");
        assert_eq!(sheet_name("ranking", &mut used), "ranking (2)");
        assert_eq!(sheet_name("'a/b[c]'", &mut used), "a b c");
        assert_eq!(sheet_name("History", &mut used), "Sheet 4");
        let long = "x".repeat(40);
        let a = sheet_name(&long, &mut used);
        let b = sheet_name(&long, &mut used);
        assert_eq!(a.chars().count(), 31);
        assert_eq!(b.chars().count(), 31);
        assert_ne!(a, b);
        assert_eq!(sheet_name("  ", &mut used), "Sheet 7");
        let emoji = "🙂".repeat(20);
        assert_eq!(sheet_name(&emoji, &mut used).encode_utf16().count(), 31);
        // Characters XML cannot hold never reach a sheet name.
        assert_eq!(sheet_name("a\u{FFFE}b\u{FFFF}", &mut used), "a b");
        assert_eq!(
            sheet_name("Annex - (U' - ", &mut HashSet::new()),
            "Annex - (U"
        );
    }

    #[test]
    fn long_sheet_names_are_cut_between_words_and_stay_unique() {
        let mut used = HashSet::new();
        let a = sheet_name("Annex - Wholly owned company (Trust)", &mut used);
        assert_eq!(a, "Annex - Wholly owned company…");
        let b = sheet_name("Annex - Wholly owned company (Trust) two", &mut used);
        assert_eq!(b, "Annex - Wholly owned… (2)");
        assert!(b.encode_utf16().count() <= 31);
        let c = sheet_name("Annex - Political oversight and governance", &mut used);
        assert_eq!(c, "Annex - Political oversight…");
    }
}
