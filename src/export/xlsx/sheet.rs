//! A worksheet as the workbook's writer uses it, so that sheets written a
//! row at a time on disk can be written side by side and still give the
//! same bytes.
//!
//! rust_xlsxwriter numbers a sheet-on-disk's cell formats in one table for
//! the whole workbook, each the first time any sheet uses it. Written one
//! after another, the sheets number them in reading order; written side by
//! side, the numbers would depend on which thread came first. So every
//! format a [`Sheet`] writes passes through a [`FormatOrder`]: a format
//! already numbered goes straight on; a new one waits until every earlier
//! sheet is done, and is then numbered, so it gets the number it would get
//! if the sheets were written in order.

use std::collections::{BTreeSet, HashSet};
use std::sync::{Condvar, Mutex, MutexGuard};

use rust_xlsxwriter::{DataValidation, Format, Formula, Worksheet};

use super::super::ExportError;

/// Numbers the formats of sheets written side by side in the order they
/// would be numbered if the sheets were written one after another.
pub(super) struct FormatOrder {
    state: Mutex<OrderState>,
    turn: Condvar,
}

struct OrderState {
    /// Formats the workbook has numbered through this order.
    known: HashSet<Format>,
    /// Every sheet before this one is done.
    oldest: usize,
    /// Sheets done out of turn, after `oldest`.
    done: BTreeSet<usize>,
    /// A sheet never saved, whose cells number new formats: its formats
    /// table is the workbook's.
    scratch: Worksheet,
}

/// The error for a lock whose holder panicked.
fn stopped() -> ExportError {
    ExportError::XlsxStopped("a thread writing worksheets stopped")
}

impl FormatOrder {
    /// An order for sheets numbered from 0; `scratch` is a sheet on disk of
    /// the workbook, never added to it, used only to number formats.
    pub(super) fn new(scratch: Worksheet) -> Self {
        FormatOrder {
            state: Mutex::new(OrderState {
                known: HashSet::new(),
                oldest: 0,
                done: BTreeSet::new(),
                scratch,
            }),
            turn: Condvar::new(),
        }
    }

    fn lock(&self) -> Result<MutexGuard<'_, OrderState>, ExportError> {
        self.state.lock().map_err(|_| stopped())
    }

    /// Returns once `format` has its number in the workbook: at once if it
    /// has one, else when every sheet before `sheet` is done.
    fn number(&self, sheet: usize, format: &Format) -> Result<(), ExportError> {
        let mut state = self.lock()?;
        if state.known.contains(format) {
            return Ok(());
        }
        while state.oldest < sheet {
            state = self.turn.wait(state).map_err(|_| stopped())?;
        }
        if !state.known.contains(format) {
            state.scratch.write_blank(0, 0, format)?;
            state.known.insert(format.clone());
        }
        Ok(())
    }

    /// Says that `sheet` is done (written, or given up), which lets later
    /// sheets number new formats.
    fn done(&self, sheet: usize) {
        // A poisoned lock means a writer panicked; the panic is what will
        // be reported, so the waiters are only woken.
        if let Ok(mut state) = self.state.lock() {
            state.done.insert(sheet);
            loop {
                let next = state.oldest;
                if !state.done.remove(&next) {
                    break;
                }
                state.oldest += 1;
            }
        }
        self.turn.notify_all();
    }

    /// A turn for writing `sheet`, which is done when the turn is dropped.
    pub(super) fn turn(&self, sheet: usize) -> Turn<'_> {
        Turn { order: self, sheet }
    }
}

/// Sheet `sheet`'s place in a [`FormatOrder`]; dropping it (once the sheet
/// is written, or when writing it failed) lets later sheets go on.
pub(super) struct Turn<'o> {
    order: &'o FormatOrder,
    sheet: usize,
}

impl Drop for Turn<'_> {
    fn drop(&mut self) {
        self.order.done(self.sheet);
    }
}

/// A cell's format as a [`Sheet`] takes it: a format to number as it is
/// written, or one already numbered (which skips the [`FormatOrder`]'s lock:
/// the table's body formats are numbered once per sheet, not once a cell).
#[derive(Clone, Copy)]
pub(super) struct CellFormat<'f> {
    format: &'f Format,
    numbered: bool,
}

impl<'f> From<&'f Format> for CellFormat<'f> {
    fn from(format: &'f Format) -> Self {
        CellFormat {
            format,
            numbered: false,
        }
    }
}

impl<'f> CellFormat<'f> {
    /// A format that [`Sheet::number`] has numbered for the sheet it is
    /// written to.
    pub(super) fn numbered(format: &'f Format) -> Self {
        CellFormat {
            format,
            numbered: true,
        }
    }
}

/// A worksheet being written: every call that gives a cell a format
/// numbers that format first, in its turn, when the sheet has one.
pub(super) struct Sheet<'w, 'o> {
    ws: &'w mut Worksheet,
    turn: Option<&'w Turn<'o>>,
}

impl<'w, 'o> Sheet<'w, 'o> {
    /// A sheet written alone, or in memory, whose formats are numbered as
    /// they come.
    pub(super) fn alone(ws: &'w mut Worksheet) -> Self {
        Sheet { ws, turn: None }
    }

    /// A sheet written side by side with others, in its turn.
    pub(super) fn in_turn(ws: &'w mut Worksheet, turn: &'w Turn<'o>) -> Self {
        Sheet {
            ws,
            turn: Some(turn),
        }
    }

    /// Numbers `format` in the workbook, in this sheet's turn (for a sheet
    /// with no turn, nothing: its formats are numbered as they come).
    pub(super) fn number(&self, format: &Format) -> Result<(), ExportError> {
        match self.turn {
            Some(t) => t.order.number(t.sheet, format),
            None => Ok(()),
        }
    }

    /// The format to write, numbered.
    fn resolve<'f>(&self, format: CellFormat<'f>) -> Result<&'f Format, ExportError> {
        if !format.numbered {
            self.number(format.format)?;
        }
        Ok(format.format)
    }

    /// Writes text with a format.
    pub(super) fn write_string_with_format<'f>(
        &mut self,
        row: u32,
        col: u16,
        text: impl Into<String>,
        format: impl Into<CellFormat<'f>>,
    ) -> Result<(), ExportError> {
        let format = self.resolve(format.into())?;
        self.ws.write_string_with_format(row, col, text, format)?;
        Ok(())
    }

    /// Writes a number with a format.
    pub(super) fn write_number_with_format<'f>(
        &mut self,
        row: u32,
        col: u16,
        number: f64,
        format: impl Into<CellFormat<'f>>,
    ) -> Result<(), ExportError> {
        let format = self.resolve(format.into())?;
        self.ws.write_number_with_format(row, col, number, format)?;
        Ok(())
    }

    /// Writes a formula with a format.
    pub(super) fn write_formula_with_format<'f>(
        &mut self,
        row: u32,
        col: u16,
        formula: impl Into<Formula>,
        format: impl Into<CellFormat<'f>>,
    ) -> Result<(), ExportError> {
        let format = self.resolve(format.into())?;
        self.ws
            .write_formula_with_format(row, col, formula, format)?;
        Ok(())
    }

    /// Gives an empty cell a format.
    pub(super) fn write_blank<'f>(
        &mut self,
        row: u32,
        col: u16,
        format: impl Into<CellFormat<'f>>,
    ) -> Result<(), ExportError> {
        let format = self.resolve(format.into())?;
        self.ws.write_blank(row, col, format)?;
        Ok(())
    }

    /// Merges a range of cells into one holding `text`, with a format.
    pub(super) fn merge_range<'f>(
        &mut self,
        first_row: u32,
        first_col: u16,
        last_row: u32,
        last_col: u16,
        text: &str,
        format: impl Into<CellFormat<'f>>,
    ) -> Result<(), ExportError> {
        let format = self.resolve(format.into())?;
        self.ws
            .merge_range(first_row, first_col, last_row, last_col, text, format)?;
        Ok(())
    }

    /// Writes a number with the default format.
    pub(super) fn write_number(
        &mut self,
        row: u32,
        col: u16,
        number: f64,
    ) -> Result<(), ExportError> {
        self.ws.write_number(row, col, number)?;
        Ok(())
    }

    /// Writes a formula with the default format.
    pub(super) fn write_formula(
        &mut self,
        row: u32,
        col: u16,
        formula: impl Into<Formula>,
    ) -> Result<(), ExportError> {
        self.ws.write_formula(row, col, formula)?;
        Ok(())
    }

    /// Sets a row's height in points.
    pub(super) fn set_row_height(&mut self, row: u32, height: f64) -> Result<(), ExportError> {
        self.ws.set_row_height(row, height)?;
        Ok(())
    }

    /// Sets a column's width in characters.
    pub(super) fn set_column_width(&mut self, col: u16, width: f64) -> Result<(), ExportError> {
        self.ws.set_column_width(col, width)?;
        Ok(())
    }

    /// Sets the height of every row not given one of its own.
    pub(super) fn set_default_row_height(&mut self, height: f64) {
        self.ws.set_default_row_height(height);
    }

    /// Sets what a formula's cell shows before the workbook is recalculated,
    /// when the formula has no result of its own.
    pub(super) fn set_formula_result_default(&mut self, result: &str) {
        self.ws.set_formula_result_default(result);
    }

    /// Checks what may be typed into a range of cells.
    pub(super) fn add_data_validation(
        &mut self,
        first_row: u32,
        first_col: u16,
        last_row: u32,
        last_col: u16,
        rule: &DataValidation,
    ) -> Result<(), ExportError> {
        self.ws
            .add_data_validation(first_row, first_col, last_row, last_col, rule)?;
        Ok(())
    }

    /// Keeps the rows above `row` and the columns before `col` in view.
    pub(super) fn set_freeze_panes(&mut self, row: u32, col: u16) -> Result<(), ExportError> {
        self.ws.set_freeze_panes(row, col)?;
        Ok(())
    }

    /// Prints on paper of Excel's size number `size` (9 is A4).
    pub(super) fn set_paper_size(&mut self, size: u8) {
        self.ws.set_paper_size(size);
    }

    /// Prints across the page.
    pub(super) fn set_landscape(&mut self) {
        self.ws.set_landscape();
    }

    /// Prints `width` pages wide and `height` high (0: as many as it takes).
    pub(super) fn set_print_fit_to_pages(&mut self, width: u16, height: u16) {
        self.ws.set_print_fit_to_pages(width, height);
    }

    /// Prints rows `first` to `last` at the top of every page.
    pub(super) fn set_repeat_rows(&mut self, first: u32, last: u32) -> Result<(), ExportError> {
        self.ws.set_repeat_rows(first, last)?;
        Ok(())
    }
}
