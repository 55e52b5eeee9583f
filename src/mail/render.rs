//! What each kind of email says, in the registration's language: askama
//! templates for text and HTML, wording from the Fluent catalog, and an
//! `.ics` calendar for a confirmed delegate.

use std::collections::BTreeMap;
use std::fmt;

use askama::Template;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use icalendar::{Calendar, Component, EventLike, Property};
use uuid::Uuid;

use super::custom_text;
use crate::domain::{EmailKind, Language, RegistrationStatus, SeatStatus};
use crate::i18n::{self, FluentValue};

/// Everything one email says, as plain data: the caller (the use case that
/// writes the outbox row) looks it up, in the delegate's language.
pub struct Letter<'a> {
    pub kind: EmailKind,
    pub language: Language,
    pub meeting: Meeting<'a>,
    pub delegate: Delegate<'a>,
    /// The delegate's session choices, by start time.
    pub sessions: &'a [Seat<'a>],
    /// Known when the delegate's own request caused the email; a promotion
    /// caused by someone else's cancellation does not know the private
    /// token (only its hash is stored).
    pub manage_url: Option<&'a str>,
    /// Set while the delegate's address awaits confirmation (events that
    /// verify emails).
    pub verify: Option<Verify<'a>>,
    /// The organisers' own wording of this kind in this language.
    pub custom: Option<Wording<'a>>,
    /// Why the organisers said no, worded in the delegate's language (a
    /// rejection).
    pub reason: Option<&'a str>,
}

/// What an email says of a verification still to be done.
pub struct Verify<'a> {
    /// The verification page, in the registration's first email; later
    /// ones point back to it.
    pub url: Option<&'a str>,
    /// When the place held for the delegate goes to the next in line;
    /// `None` while they wait for one.
    pub by: Option<DateTime<Utc>>,
}

/// The event, as the email names and dates it.
pub struct Meeting<'a> {
    pub name: &'a str,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub time_zone: chrono_tz::Tz,
}

pub struct Delegate<'a> {
    pub registration_id: Uuid,
    pub given_name: &'a str,
    pub family_name: &'a str,
    pub reference: &'a str,
    pub status: RegistrationStatus,
    /// 1 = the next to be offered a place; `None` unless waitlisted.
    pub waitlist_position: Option<i64>,
}

/// One chosen session, its title in the delegate's language.
pub struct Seat<'a> {
    pub session_id: Uuid,
    pub code: &'a str,
    pub title: &'a str,
    pub room: &'a str,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub status: SeatStatus,
}

pub struct Wording<'a> {
    pub subject: &'a str,
    pub body: &'a str,
}

/// A template that could not be rendered: the email must not be queued
/// with a body missing, so the change that wanted it fails instead.
#[derive(Debug, thiserror::Error)]
#[error("the {kind} email could not be rendered: {source}")]
pub struct RenderError {
    pub kind: EmailKind,
    #[source]
    pub source: askama::Error,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderedEmail {
    pub subject: String,
    pub text: String,
    pub html: String,
    pub ics: Option<String>,
}

struct SessionLine {
    code: String,
    title: String,
    slot: String,
    status: String,
}

/// What the built-in email says, shared by its text and HTML forms.
struct Message<'a> {
    greeting: &'a str,
    lead: &'a str,
    status_line: &'a str,
    reference_line: &'a str,
    sessions_heading: &'a str,
    sessions: &'a [SessionLine],
    /// What to do to keep the place (or turn), and the link that does it.
    verify_text: Option<&'a str>,
    reason: Option<&'a str>,
    verify_url: Option<&'a str>,
    manage_url: Option<&'a str>,
    private_link_text: &'a str,
    private_link_earlier: &'a str,
    signature: &'a str,
}

#[derive(Template)]
#[template(path = "email/message.txt")]
struct TextEmail<'a> {
    m: &'a Message<'a>,
}

#[derive(Template)]
#[template(path = "email/custom.html")]
struct CustomHtmlEmail<'a> {
    lang: &'a str,
    subject: Shown<'a>,
    paragraphs: &'a [Vec<&'a str>],
}

#[derive(Template)]
#[template(path = "email/message.html")]
struct HtmlEmail<'a> {
    lang: &'a str,
    subject: &'a str,
    m: &'a Message<'a>,
}

/// Renders one email, or says which template failed.
pub fn render(letter: &Letter<'_>) -> Result<RenderedEmail, RenderError> {
    let kind = letter.kind;
    let failed = |source| RenderError { kind, source };
    let delegate = &letter.delegate;
    let language = letter.language;
    let event_name = letter.meeting.name;
    let t = |id: &str| i18n::t(language, id);
    let t1 =
        |id: &str, name: &str, value: FluentValue| i18n::t_args(language, id, &[(name, value)]);

    // A place given on arrival and only held is not yet "confirmed", nor
    // is a registration the organisers have still to decide on.
    let (subject_id, lead_id) = match (kind, delegate.status) {
        (EmailKind::Confirmation, RegistrationStatus::Unverified) => {
            ("email-subject-unverified", "email-lead-unverified")
        }
        (EmailKind::Confirmation, RegistrationStatus::Pending) => {
            ("email-subject-pending", "email-lead-pending")
        }
        _ => (subject_id(kind), lead_id(kind)),
    };
    let subject = t1(subject_id, "event", event_name.into());
    let greeting = t1("email-greeting", "name", delegate.given_name.into());
    let lead = t1(lead_id, "event", event_name.into());
    let status = t(i18n::status_message(delegate.status));
    let mut status_line = t1("manage-status", "status", status.as_str().into());
    if let Some(position) = delegate.waitlist_position {
        status_line.push_str(" — ");
        status_line.push_str(&t1(
            "confirm-waitlist-position",
            "position",
            position.into(),
        ));
    }
    let reference_line = t1("confirm-reference", "reference", delegate.reference.into());
    let sessions: Vec<SessionLine> = letter
        .sessions
        .iter()
        .map(|seat| SessionLine {
            code: seat.code.to_owned(),
            title: seat.title.to_owned(),
            slot: i18n::format_session_slot(
                language,
                seat.starts_at,
                seat.ends_at,
                letter.meeting.time_zone,
            ),
            status: t(i18n::seat_status_message(seat.status)),
        })
        .collect();
    let sessions_heading = t("manage-sessions-heading");
    let private_link_text = t("confirm-private-link");
    let private_link_earlier = t("email-private-link-earlier");
    let signature = t1("email-signature", "event", event_name.into());
    let ics = delegate.status.is_admitted().then(|| calendar(letter));
    let verify_text = letter.verify.as_ref().and_then(|verify| {
        let zone = letter.meeting.time_zone;
        let deadline = verify
            .by
            .map(|by| i18n::format_datetime_with_zone(language, by, zone));
        match (verify.url, deadline) {
            (Some(_), Some(time)) => Some(t1("email-verify-hold", "time", time.into())),
            (Some(_), None) => Some(t("email-verify-waiting")),
            (None, Some(time)) => Some(t1("email-verify-earlier", "time", time.into())),
            (None, None) => None,
        }
    });
    let verify_url = letter.verify.as_ref().and_then(|verify| verify.url);

    if let Some(custom) = &letter.custom {
        let session_lines: Vec<String> = sessions
            .iter()
            .map(|s| format!("- {} ({}): {} — {}", s.title, s.code, s.slot, s.status))
            .collect();
        let values = BTreeMap::from([
            ("given_name", delegate.given_name.to_owned()),
            ("family_name", delegate.family_name.to_owned()),
            ("event", event_name.to_owned()),
            ("reference", delegate.reference.to_owned()),
            ("status", status),
            (
                "waitlist_position",
                delegate
                    .waitlist_position
                    .map(|p| p.to_string())
                    .unwrap_or_default(),
            ),
            ("sessions", session_lines.join("\n")),
            (
                "verify",
                [verify_text.as_deref(), verify_url]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>()
                    .join("\n"),
            ),
            (
                "manage_url",
                letter
                    .manage_url
                    .map_or(private_link_earlier.clone(), str::to_owned),
            ),
        ]);
        let subject = custom_text::substitute(custom.subject, &values);
        let mut text = custom_text::substitute(custom.body, &values);
        // A wording that leaves the verification out would cost the
        // delegate their place: it is added after the organisers' text.
        if !custom.body.contains("{verify}") && !values["verify"].is_empty() {
            text.push_str("\n\n");
            text.push_str(&values["verify"]);
        }
        // Nor is a rejection sent without its reason.
        if let Some(reason) = letter.reason {
            text.push_str("\n\n");
            text.push_str(reason);
        }
        let paragraphs: Vec<Vec<&str>> = text
            .split("\n\n")
            .map(|paragraph| paragraph.lines().collect())
            .filter(|lines: &Vec<&str>| !lines.is_empty())
            .collect();
        let html = CustomHtmlEmail {
            lang: language.code(),
            subject: Shown(&subject),
            paragraphs: &paragraphs,
        }
        .render()
        .map_err(failed)?;
        return Ok(RenderedEmail {
            subject,
            text,
            html,
            ics,
        });
    }

    let message = Message {
        greeting: &greeting,
        lead: &lead,
        status_line: &status_line,
        reference_line: &reference_line,
        sessions_heading: &sessions_heading,
        sessions: &sessions,
        verify_text: verify_text.as_deref(),
        reason: letter.reason,
        verify_url,
        manage_url: letter.manage_url,
        private_link_text: &private_link_text,
        private_link_earlier: &private_link_earlier,
        signature: &signature,
    };
    let text = TextEmail { m: &message }.render().map_err(failed)?;
    let html = HtmlEmail {
        lang: language.code(),
        subject: &subject,
        m: &message,
    }
    .render()
    .map_err(failed)?;

    Ok(RenderedEmail {
        subject,
        text,
        html,
        ics,
    })
}

fn subject_id(kind: EmailKind) -> &'static str {
    match kind {
        EmailKind::Confirmation => "email-subject-confirmation",
        EmailKind::Waitlisted => "email-subject-waitlisted",
        EmailKind::Promoted => "email-subject-promoted",
        EmailKind::SessionsChanged => "email-subject-sessions_changed",
        EmailKind::Cancelled => "email-subject-cancelled",
        EmailKind::Resend => "email-subject-resend",
        EmailKind::Verification => "email-subject-verification",
        EmailKind::Approved => "email-subject-approved",
        EmailKind::Rejected => "email-subject-rejected",
    }
}

fn lead_id(kind: EmailKind) -> &'static str {
    match kind {
        EmailKind::Confirmation => "email-lead-confirmation",
        EmailKind::Waitlisted => "email-lead-waitlisted",
        EmailKind::Promoted => "email-lead-promoted",
        EmailKind::SessionsChanged => "email-lead-sessions_changed",
        EmailKind::Cancelled => "email-lead-cancelled",
        EmailKind::Resend => "email-lead-resend",
        EmailKind::Verification => "email-lead-verification",
        EmailKind::Approved => "email-lead-approved",
        EmailKind::Rejected => "email-lead-rejected",
    }
}

/// Text a template shows. Builds with the `test-hooks` feature fail to show
/// [`FAILING_TEXT`], so that a test can make a real render fail and watch
/// the use case around it roll back.
struct Shown<'a>(&'a str);

/// The organisers' wording that test builds cannot render.
#[cfg(feature = "test-hooks")]
pub const FAILING_TEXT: &str = "this subject cannot be rendered";

impl fmt::Display for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        #[cfg(feature = "test-hooks")]
        if self.0 == FAILING_TEXT {
            return Err(fmt::Error);
        }
        f.write_str(self.0)
    }
}

/// The meeting as all-day days, and each session the delegate has a seat in.
fn calendar(letter: &Letter<'_>) -> String {
    let meeting = &letter.meeting;
    let registration_id = letter.delegate.registration_id;
    let name = ics_text(meeting.name);
    let mut calendar = Calendar::new();
    // icalendar escapes TEXT values by their property's type, and does not
    // know RFC 7986's NAME as one: VALUE=TEXT has it escaped too.
    calendar.append_property(
        Property::new("NAME", &name)
            .add_parameter("VALUE", "TEXT")
            .done(),
    );
    calendar.append_property(Property::new("X-WR-CALNAME", &name));
    calendar.push(
        icalendar::Event::new()
            .uid(&format!("{registration_id}@rencontre"))
            .summary(&name)
            .starts(meeting.starts_on)
            .ends(meeting.ends_on + Duration::days(1))
            .done(),
    );
    for seat in letter
        .sessions
        .iter()
        .filter(|seat| seat.status == SeatStatus::Confirmed)
    {
        calendar.push(
            icalendar::Event::new()
                .uid(&format!("{registration_id}-{}@rencontre", seat.session_id))
                .summary(&ics_text(seat.title))
                .location(&ics_text(seat.room))
                .starts(seat.starts_at)
                .ends(seat.ends_at)
                .done(),
        );
    }
    calendar.done().to_string()
}

/// A text value as the calendar carries it. icalendar escapes `\`, `,`,
/// `;` and LF, but not a lone CR, which some readers take for the end of
/// the line, so a title could start a property of its own: every line
/// break becomes LF (escaped as `\n`), and other control characters go.
fn ics_text(text: &str) -> String {
    text.replace("\r\n", "\n")
        .chars()
        .filter_map(|c| match c {
            '\r' | '\u{0B}' | '\u{0C}' | '\u{85}' | '\u{2028}' | '\u{2029}' => Some('\n'),
            c if c.is_control() && c != '\n' => None,
            c => Some(c),
        })
        .collect()
}
