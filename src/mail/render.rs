//! What each kind of email says, in the registration's language: askama
//! templates for text and HTML, wording from the Fluent catalog, and an
//! `.ics` calendar for a confirmed delegate.

use std::collections::BTreeMap;

use askama::Template;
use chrono::Duration;
use icalendar::{Calendar, Component, EventLike, Property};

use super::custom_text;
use crate::db::email_texts::EmailText;
use crate::db::events::Event;
use crate::domain::Language;
use crate::i18n::{self, FluentValue};
use crate::registration::RegistrationView;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EmailKind {
    Confirmation,
    Waitlisted,
    Promoted,
    SessionsChanged,
    Cancelled,
    Resend,
}

impl EmailKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EmailKind::Confirmation => "confirmation",
            EmailKind::Waitlisted => "waitlisted",
            EmailKind::Promoted => "promoted",
            EmailKind::SessionsChanged => "sessions_changed",
            EmailKind::Cancelled => "cancelled",
            EmailKind::Resend => "resend",
        }
    }
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
    subject: &'a str,
    paragraphs: &'a [Vec<&'a str>],
}

#[derive(Template)]
#[template(path = "email/message.html")]
struct HtmlEmail<'a> {
    lang: &'a str,
    subject: &'a str,
    m: &'a Message<'a>,
}

/// Renders one email. `manage_url` is known when the delegate's own request
/// caused the email; a promotion caused by someone else's cancellation does
/// not know the private token (only its hash is stored).
pub fn render(
    kind: EmailKind,
    event: &Event,
    view: &RegistrationView,
    manage_url: Option<&str>,
    custom: Option<&EmailText>,
) -> RenderedEmail {
    let registration = &view.registration;
    let language = Language::parse(&registration.language).unwrap_or(Language::En);
    let timezone: chrono_tz::Tz = event.timezone.parse().unwrap_or(chrono_tz::UTC);
    let event_name = event.name_in(language.code());
    let t = |id: &str| i18n::t(language, id);
    let t1 =
        |id: &str, name: &str, value: FluentValue| i18n::t_args(language, id, &[(name, value)]);

    let subject = t1(
        &format!("email-subject-{}", kind.as_str()),
        "event",
        event_name.into(),
    );
    let greeting = t1(
        "email-greeting",
        "name",
        registration.given_name.as_str().into(),
    );
    let lead = t1(
        &format!("email-lead-{}", kind.as_str()),
        "event",
        event_name.into(),
    );
    let status = t(&format!("status-{}", registration.status));
    let mut status_line = t1("manage-status", "status", status.as_str().into());
    if let Some(position) = view.waitlist_position {
        status_line.push_str(" — ");
        status_line.push_str(&t1(
            "confirm-waitlist-position",
            "position",
            position.into(),
        ));
    }
    let reference_line = t1(
        "confirm-reference",
        "reference",
        registration.reference.as_str().into(),
    );
    let sessions: Vec<SessionLine> = view
        .choices
        .iter()
        .map(|choice| SessionLine {
            code: choice.session.code.clone(),
            title: choice.session.title_in(language.code()).to_owned(),
            slot: i18n::format_session_slot(
                language,
                choice.session.starts_at,
                choice.session.ends_at,
                timezone,
            ),
            status: t(&format!("manage-session-status-{}", choice.status)),
        })
        .collect();
    let sessions_heading = t("manage-sessions-heading");
    let private_link_text = t("confirm-private-link");
    let private_link_earlier = t("email-private-link-earlier");
    let signature = t1("email-signature", "event", event_name.into());
    let ics = (registration.status == "confirmed").then(|| calendar(event, view, language));

    if let Some(custom) = custom {
        let session_lines: Vec<String> = sessions
            .iter()
            .map(|s| format!("- {} ({}): {} — {}", s.title, s.code, s.slot, s.status))
            .collect();
        let values = BTreeMap::from([
            ("given_name", registration.given_name.clone()),
            ("family_name", registration.family_name.clone()),
            ("event", event_name.to_owned()),
            ("reference", registration.reference.clone()),
            ("status", status),
            (
                "waitlist_position",
                view.waitlist_position
                    .map(|p| p.to_string())
                    .unwrap_or_default(),
            ),
            ("sessions", session_lines.join("\n")),
            (
                "manage_url",
                manage_url.map_or(private_link_earlier.clone(), str::to_owned),
            ),
        ]);
        let subject = custom_text::substitute(&custom.subject, &values);
        let text = custom_text::substitute(&custom.body, &values);
        let paragraphs: Vec<Vec<&str>> = text
            .split("\n\n")
            .map(|paragraph| paragraph.lines().collect())
            .filter(|lines: &Vec<&str>| !lines.is_empty())
            .collect();
        let html = CustomHtmlEmail {
            lang: language.code(),
            subject: &subject,
            paragraphs: &paragraphs,
        }
        .render()
        .unwrap_or_default();
        return RenderedEmail {
            subject,
            text,
            html,
            ics,
        };
    }

    let message = Message {
        greeting: &greeting,
        lead: &lead,
        status_line: &status_line,
        reference_line: &reference_line,
        sessions_heading: &sessions_heading,
        sessions: &sessions,
        manage_url,
        private_link_text: &private_link_text,
        private_link_earlier: &private_link_earlier,
        signature: &signature,
    };
    let text = TextEmail { m: &message }.render().unwrap_or_default();
    let html = HtmlEmail {
        lang: language.code(),
        subject: &subject,
        m: &message,
    }
    .render()
    .unwrap_or_default();

    RenderedEmail {
        subject,
        text,
        html,
        ics,
    }
}

/// The meeting as all-day days, and each session the delegate has a seat in.
fn calendar(event: &Event, view: &RegistrationView, language: Language) -> String {
    let registration = &view.registration;
    let name = ics_text(event.name_in(language.code()));
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
            .uid(&format!("{}@rencontre", registration.id))
            .summary(&name)
            .starts(event.starts_on)
            .ends(event.ends_on + Duration::days(1))
            .done(),
    );
    for choice in view
        .choices
        .iter()
        .filter(|choice| choice.status == "confirmed")
    {
        let session = &choice.session;
        calendar.push(
            icalendar::Event::new()
                .uid(&format!("{}-{}@rencontre", registration.id, session.id))
                .summary(&ics_text(session.title_in(language.code())))
                .location(&ics_text(&session.room))
                .starts(session.starts_at)
                .ends(session.ends_at)
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
