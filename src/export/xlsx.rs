use futures_util::{Stream, StreamExt};
use rust_xlsxwriter::{Format, Workbook, XlsxError};

use super::{ExportStyle, cells, neutralise};
use crate::db::attendees::Attendee;

/// Rows handed to the writing thread at a time.
const CHUNK: usize = 500;

/// A workbook with one sheet: bold frozen header, filters on every column.
/// Cells are written as strings, which spreadsheets never evaluate, and
/// neutralised as in CSV: a cell edited, or the sheet saved as CSV, must
/// not turn a name like `=HYPERLINK(…)` into a formula. The sheet is written in constant
/// memory mode: rows go to a temporary file as they come, so memory holds
/// a chunk of rows and the finished (compressed) file, not the list.
pub struct XlsxWriter {
    workbook: Workbook,
    style: ExportStyle,
    rows: u32,
}

impl XlsxWriter {
    pub fn new(style: ExportStyle) -> Result<XlsxWriter, XlsxError> {
        let mut workbook = Workbook::new();
        let sheet = workbook.add_worksheet_with_constant_memory()?;
        sheet.set_name("Attendees")?;
        let bold = Format::new().set_bold();
        for (column, title) in style.header().iter().enumerate() {
            sheet.write_string_with_format(0, column as u16, *title, &bold)?;
        }
        Ok(XlsxWriter {
            workbook,
            style,
            rows: 0,
        })
    }

    pub fn rows(&mut self, attendees: &[Attendee]) -> Result<(), XlsxError> {
        let sheet = self.workbook.worksheet_from_index(0)?;
        for attendee in attendees {
            self.rows += 1;
            for (column, cell) in cells(attendee, &self.style).iter().enumerate() {
                if !cell.is_empty() {
                    sheet.write_string(self.rows, column as u16, neutralise(cell))?;
                }
            }
        }
        Ok(())
    }

    /// The finished file.
    pub fn finish(mut self) -> Result<Vec<u8>, XlsxError> {
        let sheet = self.workbook.worksheet_from_index(0)?;
        sheet.set_freeze_panes(1, 0)?;
        let last = self.style.header().len().saturating_sub(1);
        sheet.autofilter(0, 0, self.rows, u16::try_from(last).unwrap_or(u16::MAX))?;
        self.workbook.save_to_buffer()
    }
}

/// The workbook of every attendee `rows` yields, written on a blocking
/// thread while the rows are still being read; `progress` hears how many
/// rows each chunk had.
pub async fn write_xlsx<S>(
    rows: S,
    style: ExportStyle,
    mut progress: impl FnMut(usize),
) -> anyhow::Result<Vec<u8>>
where
    S: Stream<Item = diesel::QueryResult<Attendee>>,
{
    let (chunks, mut incoming) = tokio::sync::mpsc::channel::<Vec<Attendee>>(4);
    let writing = tokio::task::spawn_blocking(move || -> Result<Vec<u8>, XlsxError> {
        let mut writer = XlsxWriter::new(style)?;
        while let Some(chunk) = incoming.blocking_recv() {
            writer.rows(&chunk)?;
        }
        writer.finish()
    });
    let mut batches = std::pin::pin!(rows.chunks(CHUNK));
    while let Some(batch) = batches.next().await {
        let batch = batch.into_iter().collect::<Result<Vec<_>, _>>()?;
        progress(batch.len());
        // A closed channel means the writer failed: its error follows.
        if chunks.send(batch).await.is_err() {
            break;
        }
    }
    drop(chunks);
    Ok(writing.await??)
}
