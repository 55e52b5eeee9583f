use rust_xlsxwriter::{Format, Workbook, XlsxError};

use super::{COLUMNS, ExportStyle, cells};
use crate::db::attendees::Attendee;

/// A workbook with one sheet: bold frozen header, filters on every column.
/// Cells are written as strings, which spreadsheets never evaluate, so a
/// name like `=HYPERLINK(…)` stays text. The sheet is written in constant
/// memory mode (rows go to a temporary file as they come).
pub fn write_xlsx(attendees: &[Attendee], style: ExportStyle) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet_with_constant_memory()?;
    sheet.set_name("Attendees")?;
    let bold = Format::new().set_bold();
    for (column, title) in COLUMNS.iter().enumerate() {
        sheet.write_string_with_format(0, column as u16, *title, &bold)?;
    }
    for (index, attendee) in attendees.iter().enumerate() {
        let row = index as u32 + 1;
        for (column, cell) in cells(attendee, style).iter().enumerate() {
            if !cell.is_empty() {
                sheet.write_string(row, column as u16, cell)?;
            }
        }
    }
    sheet.set_freeze_panes(1, 0)?;
    sheet.autofilter(0, 0, attendees.len() as u32, COLUMNS.len() as u16 - 1)?;
    workbook.save_to_buffer()
}
