//! Attendee lists for visas, badges, interpretation and catering: CSV
//! streamed row by row, and Excel workbooks. Both write the same columns.

mod csv;
mod filter;
mod xlsx;

pub use self::csv::CsvWriter;
pub use self::filter::{FilterError, FilterInput, resolve as resolve_filter};
pub use self::xlsx::write_xlsx;

use chrono_tz::Tz;

use crate::db::attendees::Attendee;
use crate::domain::{CountryCode, Language};

pub const COLUMNS: [&str; 12] = [
    "reference",
    "status",
    "waitlist_position",
    "given_name",
    "family_name",
    "email",
    "country",
    "country_name",
    "organisation",
    "language",
    "sessions",
    "registered_at",
];

/// How the event wants its lists: times in its zone, country names in its
/// first language.
#[derive(Debug, Clone, Copy)]
pub struct ExportStyle {
    pub timezone: Tz,
    pub language: Language,
}

impl ExportStyle {
    pub fn of(event: &crate::db::events::Event) -> ExportStyle {
        ExportStyle {
            timezone: event.time_zone(),
            language: event.first_language(),
        }
    }
}

/// One attendee as the twelve cells of [`COLUMNS`].
pub fn cells(attendee: &Attendee, style: ExportStyle) -> [String; 12] {
    let country_name = CountryCode::parse(&attendee.country_code)
        .map(|code| code.name(style.language).to_owned())
        .unwrap_or_default();
    [
        attendee.reference.clone(),
        attendee.status.as_str().to_owned(),
        attendee
            .waitlist_position
            .map(|position| position.to_string())
            .unwrap_or_default(),
        attendee.given_name.clone(),
        attendee.family_name.clone(),
        attendee.email.clone(),
        attendee.country_code.trim().to_owned(),
        country_name,
        attendee.organisation.clone(),
        attendee.language.clone(),
        attendee.sessions.clone(),
        attendee
            .registered_at
            .with_timezone(&style.timezone)
            .format("%Y-%m-%d %H:%M")
            .to_string(),
    ]
}

/// A spreadsheet would run a cell starting with one of these as a formula
/// (`=HYPERLINK(…)` in a delegate's name): such cells get a leading `'`,
/// which spreadsheets read as "this is text".
pub fn neutralise(cell: &str) -> std::borrow::Cow<'_, str> {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        std::borrow::Cow::Owned(format!("'{cell}"))
    } else {
        std::borrow::Cow::Borrowed(cell)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_starts_are_neutralised_and_other_text_is_untouched() {
        assert_eq!(
            neutralise("=HYPERLINK(\"http://x\",\"y\")"),
            "'=HYPERLINK(\"http://x\",\"y\")"
        );
        for start in ["+1", "-1", "@SUM(A1)", "\tx", "\rx"] {
            assert!(neutralise(start).starts_with('\''), "{start:?}");
        }
        for plain in ["Aminata", "عائشة", "Nguyễn", "", "a=b"] {
            assert_eq!(neutralise(plain), plain);
        }
    }
}
