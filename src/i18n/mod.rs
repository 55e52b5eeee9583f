//! The four working languages: Fluent messages for pages and emails, the
//! choice of a page's language, and dates and times written the way each
//! language writes them.
//!
//! Messages live in `locales/{en,fr,es,pt}/main.ftl`, compiled into the
//! binary, and follow the project glossary so that a delegate meets the same
//! word for the same thing on every page.

mod admin_ids;
mod catalog;
mod format;
mod message_ids;
mod negotiate;
mod words;

pub use admin_ids::ADMIN_MESSAGE_IDS;
pub use catalog::{Catalog, Tr, catalog, field_message, has_message, t, t_args};
pub use fluent_bundle::FluentValue;
pub use format::{
    format_date, format_datetime_with_zone, format_event_dates, format_session_slot, format_time,
};
pub use message_ids::MESSAGE_IDS;
pub use negotiate::negotiate;
pub use words::{
    registered_title_message, seat_status_message, session_kind_message, status_message,
};

use crate::domain::Language;

/// How each language names itself, for the language switcher: a delegate
/// looking for their language recognises its own name, not its English one.
pub fn language_name(language: Language) -> &'static str {
    match language {
        Language::En => "English",
        Language::Fr => "Français",
        Language::Es => "Español",
        Language::Pt => "Português",
    }
}
