//! The events: their list, the form that creates or edits one, and an
//! event's dashboard of places. The form is handed to the API's own parser
//! as the JSON object the API takes, so both accept exactly the same input.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use chrono::Utc;
use diesel_async::AsyncPgConnection;
use serde_json::{Value, json};

use super::form::{
    in_event_order, inputs, instant, local_input, number, parsed, refusal, stored_texts,
    text_inputs, texts_by_language, translations,
};
use super::{
    Admin, AttendeesPage, Bar, EventChange, EventPage, Field, Frame, Problems, Section,
    Translation, capacity_text, country_name, zone,
};
use crate::db::admin as admin_store;
use crate::db::events::{self as events_store, Event};
use crate::domain::Language;
use crate::i18n::{self, Tr};
use crate::registration;
use crate::web::AppError;
use crate::web::form::Form;
use crate::web::organiser_input::EventSetup;

#[derive(Template)]
#[template(path = "admin/events.html")]
struct EventsPage {
    tr: Tr,
    frame: Frame,
    events: Vec<EventLine>,
    can_change: bool,
}

struct EventLine {
    name: String,
    href: String,
    dates: String,
    window: String,
    confirmed: i32,
    capacity: String,
}

/// `GET /admin`
pub async fn list(admin: Admin) -> Result<HttpResponse, AppError> {
    let mut conn = admin.conn().await?;
    let everything = admin.is_platform_admin();
    let events =
        admin_store::visible_events(&mut conn, (!everything).then_some(admin.organiser.id)).await?;
    let tr = admin.tr;
    let now = Utc::now();
    let events = events
        .iter()
        .map(|event| EventLine {
            name: event.name_in(tr.language().code()).to_owned(),
            href: format!("/admin/events/{}", event.slug),
            dates: dates(&tr, event),
            window: tr.t(if event.is_open_at(now) {
                "admin-window-open"
            } else if now < event.registration_opens_at {
                "admin-window-upcoming"
            } else {
                "admin-window-closed"
            }),
            confirmed: event.taken,
            capacity: capacity_text(&tr, event.capacity),
        })
        .collect();
    let page = EventsPage {
        frame: admin.frame(tr.t("admin-events-title"), None),
        events,
        can_change: everything,
        tr,
    };
    admin.render(StatusCode::OK, &page)
}

fn dates(tr: &Tr, event: &Event) -> String {
    i18n::format_event_dates(tr.language(), event.starts_on, event.ends_on)
}

/// The inputs of the event form: name, label, input type and hint. The
/// names are those of the API's JSON body; the name and the description
/// are the texts of the event's first language.
const EVENT_FIELDS: [(&str, &str, &str, Option<&str>); 11] = [
    (
        "slug",
        "admin-event-slug",
        "text",
        Some("admin-event-slug-hint"),
    ),
    ("name", "admin-event-name", "text", None),
    ("description", "admin-event-description", "textarea", None),
    ("starts_on", "admin-event-starts-on", "date", None),
    ("ends_on", "admin-event-ends-on", "date", None),
    (
        "timezone",
        "admin-event-timezone",
        "text",
        Some("admin-event-timezone-hint"),
    ),
    (
        "registration_opens_at",
        "admin-event-opens",
        "datetime-local",
        Some("admin-times-hint"),
    ),
    (
        "registration_closes_at",
        "admin-event-closes",
        "datetime-local",
        Some("admin-times-hint"),
    ),
    (
        "capacity",
        "admin-event-capacity",
        "number",
        Some("admin-capacity-hint"),
    ),
    (
        "default_country_capacity",
        "admin-event-default-quota",
        "number",
        Some("admin-event-default-quota-hint"),
    ),
    (
        "verification_hours",
        "admin-event-verification-hours",
        "number",
        Some("admin-event-verification-hours-hint"),
    ),
];

/// The checkbox that makes a place wait for its email address: ticked, the
/// form sends this value.
const VERIFIES: &str = "email";

/// The event's texts in its other languages: the API's field of texts by
/// language, the label and the input type.
const EVENT_TEXTS: [(&str, &str, &str); 2] = [
    ("names", "admin-event-name", "text"),
    ("descriptions", "admin-event-description", "textarea"),
];

/// The event form as typed, or as the stored event shows it, by input name.
struct EventValues {
    values: Vec<(String, String)>,
    languages: Vec<String>,
}

impl EventValues {
    fn blank() -> EventValues {
        EventValues {
            values: vec![("pending_holds_place".to_owned(), "yes".to_owned())],
            languages: Language::ALL.iter().map(|l| l.code().to_owned()).collect(),
        }
    }

    fn of_form(form: &Form) -> EventValues {
        let names = EVENT_FIELDS.iter().map(|(name, ..)| (*name).to_owned());
        EventValues {
            values: names
                .chain(["verification".to_owned(), "pending_holds_place".to_owned()])
                .chain(text_inputs(&EVENT_TEXTS))
                .map(|name| {
                    let value = form.text(&name).to_owned();
                    (name, value)
                })
                .collect(),
            languages: form
                .all("languages")
                .into_iter()
                .map(str::to_owned)
                .collect(),
        }
    }

    fn of_event(event: &Event) -> EventValues {
        let zone = zone(event);
        let number = |value: Option<i32>| value.map(|n| n.to_string()).unwrap_or_default();
        let fields = [
            ("slug", event.slug.clone()),
            ("name", event.name.clone()),
            ("description", event.description.clone()),
            ("starts_on", event.starts_on.to_string()),
            ("ends_on", event.ends_on.to_string()),
            ("timezone", event.timezone.clone()),
            (
                "registration_opens_at",
                local_input(event.registration_opens_at, zone),
            ),
            (
                "registration_closes_at",
                local_input(event.registration_closes_at, zone),
            ),
            ("capacity", number(event.capacity)),
            (
                "default_country_capacity",
                number(event.default_country_capacity),
            ),
            (
                "verification",
                event.verifying.verification.as_str().to_owned(),
            ),
            (
                "verification_hours",
                event.verifying.verification_hours.to_string(),
            ),
            (
                "pending_holds_place",
                if event.approving.pending_holds_place {
                    "yes"
                } else {
                    ""
                }
                .to_owned(),
            ),
        ];
        EventValues {
            values: fields
                .into_iter()
                .map(|(name, value)| (name.to_owned(), value))
                .chain(stored_texts("names", &event.names))
                .chain(stored_texts("descriptions", &event.descriptions))
                .collect(),
            languages: event.languages.clone(),
        }
    }

    fn verifies(&self) -> bool {
        self.get("verification") == VERIFIES
    }

    fn get(&self, name: &str) -> String {
        self.values
            .iter()
            .find_map(|(key, value)| (key == name).then(|| value.clone()))
            .unwrap_or_default()
    }

    /// The body the API would receive. An edited event's slug is left out:
    /// it stays what it is, as does its reference prefix.
    fn json(&self, existing: Option<&Event>) -> Value {
        let zone = self.get("timezone").parse().unwrap_or(chrono_tz::UTC);
        let mut body = json!({
            "name": self.get("name"),
            "names": texts_by_language("names", |name| self.get(name)),
            "description": self.get("description"),
            "descriptions": texts_by_language("descriptions", |name| self.get(name)),
            "starts_on": self.get("starts_on"),
            "ends_on": self.get("ends_on"),
            "timezone": self.get("timezone"),
            "languages": self.languages,
            "registration_opens_at": instant(&self.get("registration_opens_at"), zone),
            "registration_closes_at": instant(&self.get("registration_closes_at"), zone),
            "capacity": number(&self.get("capacity")),
            "default_country_capacity": number(&self.get("default_country_capacity")),
            "verification": if self.verifies() { VERIFIES } else { "none" },
            "verification_hours": number(&self.get("verification_hours")),
            "pending_holds_place": self.get("pending_holds_place") == "yes",
            // The form does not show the event's own reasons: they stay.
            "rejection_reasons": existing.map(|event| event.approving.rejection_reasons.clone()),
        });
        if existing.is_none() {
            body["slug"] = json!(self.get("slug"));
        }
        body
    }
}

#[derive(Template)]
#[template(path = "admin/event_form.html")]
struct EventFormPage {
    tr: Tr,
    frame: Frame,
    title: String,
    action: String,
    csrf_token: String,
    problems: Problems,
    fields: Vec<Field>,
    languages: Vec<LanguageBox>,
    /// The box "hold places until the email address is confirmed" is ticked.
    verification: bool,
    pending_holds_place: bool,
    translations: Vec<Translation>,
}

struct LanguageBox {
    code: &'static str,
    name: &'static str,
    checked: bool,
}

/// The form, new (`existing` is `None`) or for an event.
fn render_form(
    admin: &Admin,
    existing: Option<&Event>,
    values: &EventValues,
    problems: Problems,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let tr = admin.tr;
    let (title, action, frame_event, fields) = match existing {
        Some(event) => (
            tr.t("admin-event-edit-title"),
            format!("/admin/events/{}/edit", event.slug),
            Some((event, Section::Settings)),
            &EVENT_FIELDS[1..],
        ),
        None => (
            tr.t("admin-event-new-title"),
            "/admin/events".to_owned(),
            None,
            &EVENT_FIELDS[..],
        ),
    };
    let value = |name: &str| values.get(name);
    let page = EventFormPage {
        frame: admin.frame(title.clone(), frame_event),
        title,
        action,
        csrf_token: admin.csrf_token(),
        fields: inputs(&tr, fields, value, &problems),
        // In the event's order, which the form sends back: the first
        // ticked language stays the first.
        languages: in_event_order(&values.languages)
            .into_iter()
            .map(|language| LanguageBox {
                code: language.code(),
                name: i18n::language_name(language),
                checked: values.languages.iter().any(|code| code == language.code()),
            })
            .collect(),
        verification: values.verifies(),
        pending_holds_place: values.get("pending_holds_place") == "yes",
        translations: translations(&tr, &values.languages, &EVENT_TEXTS, value, &problems),
        problems,
        tr,
    };
    admin.render(status, &page)
}

/// `GET /admin/events/new`
pub async fn new(admin: Admin) -> Result<HttpResponse, AppError> {
    if !admin.is_platform_admin() {
        return Err(AppError::Forbidden);
    }
    render_form(
        &admin,
        None,
        &EventValues::blank(),
        Problems::default(),
        StatusCode::OK,
    )
}

/// `POST /admin/events`
pub async fn create(
    admin: Admin,
    request: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, AppError> {
    let form = admin.admin_form(&request, payload).await?;
    let mut conn = admin.conn().await?;
    save(&admin, &mut conn, &form, None).await
}

/// `GET /admin/events/{slug}/edit`
pub async fn edit(EventPage(admin, event, _): EventPage) -> Result<HttpResponse, AppError> {
    admin.require_organiser()?;
    let values = EventValues::of_event(&event);
    render_form(
        &admin,
        Some(&event),
        &values,
        Problems::default(),
        StatusCode::OK,
    )
}

/// `POST /admin/events/{slug}/edit`
pub async fn update(
    EventChange(admin, form, event, mut conn): EventChange,
) -> Result<HttpResponse, AppError> {
    save(&admin, &mut conn, &form, Some(&event)).await
}

/// Creates the event of the form, or saves it over `existing`: on to the
/// event's page, or the form again with its problems.
async fn save(
    admin: &Admin,
    conn: &mut AsyncPgConnection,
    form: &Form,
    existing: Option<&Event>,
) -> Result<HttpResponse, AppError> {
    let values = EventValues::of_form(form);
    let body = values.json(existing);
    let outcome = match parsed(&admin.tr, EventSetup::parse(&body, existing)) {
        Ok(setup) => store(admin, conn, &setup, existing).await?,
        Err(problems) => Err(problems),
    };
    match outcome {
        Ok(next) => Ok(admin.see_other(&next)),
        Err(problems) => render_form(
            admin,
            existing,
            &values,
            problems,
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
    }
}

/// Writes the event: the page to go on to, or why it was refused.
async fn store(
    admin: &Admin,
    conn: &mut AsyncPgConnection,
    setup: &EventSetup<'_>,
    existing: Option<&Event>,
) -> Result<Result<String, Problems>, AppError> {
    let changes = setup.new_event();
    let organiser = admin.organiser.id;
    let Some(event) = existing else {
        let created = registration::admin::create_event(conn, &changes, organiser).await?;
        return Ok(created
            .map(|event| format!("/admin/events/{}", event.slug))
            .ok_or_else(|| Problems::single("slug", admin.tr.t("admin-event-slug-taken"))));
    };
    match registration::admin::update_event(conn, event.id, &changes, organiser, Utc::now()).await {
        Ok(()) => Ok(Ok(format!("/admin/events/{}?done=saved", event.slug))),
        Err(error) => Ok(Err(refusal(admin.language(), error)?)),
    }
}

#[derive(Template)]
#[template(path = "admin/dashboard.html")]
struct DashboardPage {
    tr: Tr,
    frame: Frame,
    notice: Option<String>,
    dates: String,
    window: String,
    /// The whole event, as a list of one for the table of bars.
    totals: Vec<Bar>,
    countries: Vec<Bar>,
    sessions: Vec<Bar>,
    days: Vec<DayLine>,
    busiest_day: i64,
}

struct DayLine {
    day: String,
    registrations: i64,
}

/// `GET /admin/events/{slug}`: where the places stand, by country and by
/// session, and how registrations came in day by day.
pub async fn dashboard(
    AttendeesPage(admin, event, mut conn): AttendeesPage,
) -> Result<HttpResponse, AppError> {
    let countries = admin_store::country_counts(&mut conn, event.id).await?;
    let sessions = events_store::sessions_of(&mut conn, event.id).await?;
    let zone = zone(&event);
    let days = admin_store::registrations_per_day(&mut conn, event.id, zone.name()).await?;
    let tr = admin.tr;
    let language = admin.language();
    let waiting = countries.iter().map(|country| country.waiting).sum();
    let window = i18n::format_datetime_with_zone(language, event.registration_opens_at, zone);
    let closes = i18n::format_datetime_with_zone(language, event.registration_closes_at, zone);
    let page = DashboardPage {
        frame: admin.frame(
            tr.t("admin-tab-dashboard"),
            Some((&event, Section::Dashboard)),
        ),
        notice: admin.notice(),
        dates: dates(&tr, &event),
        window: tr.t2(
            "event-registration-window",
            "opens",
            window,
            "closes",
            closes,
        ),
        totals: vec![Bar::new(
            &tr,
            "event".to_owned(),
            tr.t("admin-whole-event"),
            event.capacity,
            event.taken,
            waiting,
        )],
        countries: countries
            .iter()
            .map(|country| {
                Bar::new(
                    &tr,
                    format!("country-{}", country.country_code),
                    country_name(&country.country_code, language),
                    country.capacity,
                    country.taken,
                    country.waiting,
                )
            })
            .collect(),
        sessions: sessions
            .iter()
            .map(|session| {
                Bar::new(
                    &tr,
                    format!("session-{}", session.code),
                    format!("{} {}", session.code, session.title_in(language.code())),
                    session.capacity,
                    session.taken,
                    session.waiting.into(),
                )
            })
            .collect(),
        busiest_day: days.iter().map(|day| day.registrations).max().unwrap_or(0),
        days: days
            .iter()
            .map(|day| DayLine {
                day: i18n::format_date(language, day.day),
                registrations: day.registrations,
            })
            .collect(),
        tr,
    };
    admin.render(StatusCode::OK, &page)
}
