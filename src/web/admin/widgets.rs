//! The pieces pages are built of: form inputs and their problems, bars of
//! places, pagers, and the words for stored codes.

use chrono_tz::Tz;

use crate::db::events::Event;
use crate::domain::{CountryCode, EmailKind, Language, Quota};
use crate::i18n::Tr;

/// An input of a form, with its label, hint and problem.
pub struct Field {
    pub name: String,
    pub label: String,
    /// The input's `type`, or `textarea`.
    pub kind: &'static str,
    pub value: String,
    pub hint: Option<String>,
    pub error: Option<String>,
    /// The language the text is typed in, for a text of one language.
    pub lang: Option<&'static str>,
}

/// An `<option>` of a `<select>`; in a filter, the empty value means "any".
pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

/// The inputs of one language's own texts on a form, under the
/// language's name in that language.
pub struct Translation {
    pub code: &'static str,
    pub name: &'static str,
    pub fields: Vec<Field>,
}

/// The event's time zone; UTC only for a row written by hand, and every
/// time shown names its zone.
pub(super) fn zone(event: &Event) -> Tz {
    event.time_zone()
}

/// A stored country code's name, or the code itself if it is not one we know.
pub(super) fn country_name(code: &str, language: Language) -> String {
    CountryCode::parse(code).map_or_else(
        |_| code.trim().to_owned(),
        |country| country.name(language).to_owned(),
    )
}

/// A capacity in words: the number, or "no limit".
pub(super) fn capacity_text(tr: &Tr, capacity: Option<i32>) -> String {
    capacity.map_or_else(|| tr.t("event-unlimited"), |capacity| capacity.to_string())
}

/// A bar of places: how many of `capacity` are confirmed, and how many wait.
pub struct Bar {
    pub id: String,
    pub label: String,
    pub capacity: String,
    pub confirmed: i64,
    pub waiting: i64,
    pub remaining: String,
    /// The `<meter>`'s maximum; none when there is no limit to draw against.
    pub meter_max: Option<i64>,
}

impl Bar {
    pub fn new(
        tr: &Tr,
        id: String,
        label: String,
        capacity: Option<i32>,
        confirmed: i32,
        waiting: i64,
    ) -> Bar {
        Bar {
            id,
            label,
            capacity: capacity_text(tr, capacity),
            confirmed: confirmed.into(),
            waiting,
            remaining: Quota {
                capacity,
                taken: confirmed,
            }
            .remaining()
            .map_or_else(|| tr.t("event-unlimited"), |left| left.to_string()),
            meter_max: capacity.map(|capacity| i64::from(capacity.max(1))),
        }
    }
}

/// Where a paged list stands, with links to the pages before and after.
pub struct Pager {
    pub text: String,
    pub previous: Option<String>,
    pub next: Option<String>,
}

impl Pager {
    pub fn new(
        tr: &Tr,
        page: i64,
        per_page: i64,
        total: i64,
        link: impl Fn(i64) -> String,
    ) -> Pager {
        let pages = ((total + per_page - 1) / per_page).max(1);
        Pager {
            text: tr.t2("admin-page-of", "page", page, "pages", pages),
            previous: (page > 1).then(|| link(page - 1)),
            next: (page < pages).then(|| link(page + 1)),
        }
    }
}

impl Pager {
    /// A page reached by keyset cursors: how many rows it shows, and the
    /// links to the pages just before and after it, where there are any.
    pub fn keyset(tr: &Tr, shown: usize, previous: Option<String>, next: Option<String>) -> Pager {
        Pager {
            text: tr.t1("admin-page-shown", "count", shown),
            previous,
            next,
        }
    }
}

/// The message naming an outbox email's kind.
pub(super) fn email_kind(kind: EmailKind) -> &'static str {
    match kind {
        EmailKind::Confirmation => "admin-email-confirmation",
        EmailKind::Waitlisted => "admin-email-waitlisted",
        EmailKind::Promoted => "admin-email-promoted",
        EmailKind::SessionsChanged => "admin-email-sessions-changed",
        EmailKind::Cancelled => "admin-email-cancelled",
        EmailKind::Resend => "admin-email-resend",
        EmailKind::Verification => "admin-email-verification",
        EmailKind::Approved => "admin-email-approved",
        EmailKind::Rejected => "admin-email-rejected",
    }
}

/// The message naming where an outbox email stands.
pub(super) fn email_status(status: &str) -> &'static str {
    match status {
        "pending" => "admin-email-pending",
        "sent" => "admin-email-sent",
        _ => "admin-email-failed",
    }
}
