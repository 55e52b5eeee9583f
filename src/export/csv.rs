use super::{ExportStyle, cells, neutralise};
use crate::db::attendees::Attendee;

/// Writes CSV a batch of rows at a time and hands back each batch's bytes,
/// so a list of any size streams with flat memory.
pub struct CsvWriter {
    style: ExportStyle,
    pending_header: Option<Vec<u8>>,
}

impl CsvWriter {
    /// `excel_bom` puts a UTF-8 byte-order mark first: Excel then reads
    /// accents and non-Latin scripts right instead of guessing a code page.
    pub fn new(style: ExportStyle, excel_bom: bool) -> CsvWriter {
        let mut header = if excel_bom {
            b"\xEF\xBB\xBF".to_vec()
        } else {
            Vec::new()
        };
        let quoted: Vec<String> = style
            .header()
            .iter()
            .map(|title| format!("\"{title}\""))
            .collect();
        header.extend_from_slice(quoted.join(",").as_bytes());
        header.extend_from_slice(b"\r\n");
        CsvWriter {
            style,
            pending_header: Some(header),
        }
    }

    /// The bytes of these rows (preceded by the header the first time).
    pub fn rows<'a>(
        &mut self,
        attendees: impl IntoIterator<Item = &'a Attendee>,
    ) -> std::io::Result<Vec<u8>> {
        let buffer = self.pending_header.take().unwrap_or_default();
        let mut writer = ::csv::WriterBuilder::new()
            .terminator(::csv::Terminator::CRLF)
            // Quoted, a field's `,`, `;` and line breaks stay inside it for a
            // reader that honours quotes; `neutralise` covers those that don't.
            .quote_style(::csv::QuoteStyle::Always)
            .from_writer(buffer);
        for attendee in attendees {
            let cells = cells(attendee, &self.style);
            writer.write_record(cells.iter().map(|cell| neutralise(cell).into_owned()))?;
        }
        writer.into_inner().map_err(|error| error.into_error())
    }

    /// The header alone, for an empty list.
    pub fn finish(mut self) -> Vec<u8> {
        self.pending_header.take().unwrap_or_default()
    }
}
