//! The organiser JSON API of API.md: set up events, sessions and quotas,
//! list and export registrations, watch the outbox, resend emails.
//! Every handler of one event opens with [`OnEvent`], which checks the
//! role the asker holds on that event; creating an event is the admin's.

use std::collections::BTreeMap;

use actix_web::http::header;
use actix_web::{HttpResponse, web};
use chrono::{DateTime, NaiveDate, Utc};
use diesel_async::AsyncPgConnection;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::events::{EventBody, SessionBody, event_body, session_body};
use super::openapi::{
    BodyErrors, Conflict, CountryInPath, EmailTextKind, Forbidden, Invalid, LanguageInPath,
    OrganiserErrors, Unauthorized, Unavailable, UnsupportedMediaType, schemas,
};
use crate::db::attendees::{self, Attendee, Counting, Cursor, Start, Total};
use crate::db::categories as categories_store;
use crate::db::events::{self as events_store, Event, Session};
use crate::db::outbox;
use crate::db::questions as questions_store;
use crate::domain::{CountryCode, FieldError, SeatStatus};
use crate::export::{CsvWriter, ExportStyle, write_xlsx};
use crate::registration;
use crate::registration::admin::EmailTextChange;
use crate::web::access::OnEvent;
use crate::web::access::needs::{Attendees, Changes, Exports, Reading};
use crate::web::auth::Authenticated;
use crate::web::input::json_body;
use crate::web::json_fields::JsonFields;
use crate::web::organiser_input::{
    EmailTextSetup, EventSetup, ExportParams, ListQuery, ListedPage, SessionSetup,
    email_text_target, promotion_why,
};
use crate::web::{AppError, AppState};

/// Texts by language code, as a request's example carries them.
type Texts = BTreeMap<&'static str, &'static str>;

/// An event as `POST /api/v1/events` creates it (read by
/// `EventSetup::parse`).
#[derive(Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = NewEvent)]
pub struct NewEventRequest {
    #[schema(schema_with = schemas::slug)]
    slug: &'static str,
    #[schema(schema_with = schemas::name)]
    name: &'static str,
    #[schema(schema_with = schemas::names)]
    names: Option<Texts>,
    #[schema(schema_with = schemas::description)]
    description: Option<&'static str>,
    #[schema(schema_with = schemas::descriptions)]
    descriptions: Option<Texts>,
    starts_on: NaiveDate,
    /// Not before `starts_on`
    ends_on: NaiveDate,
    #[schema(schema_with = schemas::timezone)]
    timezone: &'static str,
    #[schema(schema_with = schemas::languages)]
    languages: Vec<&'static str>,
    registration_opens_at: DateTime<Utc>,
    /// After `registration_opens_at`
    registration_closes_at: DateTime<Utc>,
    #[schema(schema_with = schemas::capacity)]
    capacity: Option<i32>,
    #[schema(schema_with = schemas::capacity)]
    default_country_capacity: Option<i32>,
    #[schema(schema_with = schemas::reference_prefix)]
    reference_prefix: Option<&'static str>,
    #[schema(schema_with = schemas::verification)]
    verification: Option<&'static str>,
    #[schema(schema_with = schemas::verification_hours)]
    verification_hours: Option<i32>,
    /// A registration awaiting approval holds the places it was given
    /// (default true); fixed while registrations await a decision.
    #[schema(schema_with = schemas::optional_boolean)]
    pending_holds_place: Option<bool>,
    /// The event's own reasons for a rejection, added to the built-in
    /// ones (`incomplete`, `not_eligible`, `no_place`, `other`)
    #[schema(schema_with = schemas::rejection_reasons)]
    rejection_reasons: Option<Vec<serde_json::Value>>,
}

fn date(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("an example's date")
}

fn time(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .expect("an example's time")
        .with_timezone(&Utc)
}

impl NewEventRequest {
    pub fn example() -> NewEventRequest {
        NewEventRequest {
            slug: "quebec-2027",
            name: "Rencontre de Québec",
            names: Some(Texts::from([("en", "Québec Meeting")])),
            description: Some("Trois jours de travail en commun."),
            descriptions: None,
            starts_on: date("2027-09-10"),
            ends_on: date("2027-09-13"),
            timezone: "America/Toronto",
            languages: vec!["fr", "en"],
            registration_opens_at: time("2027-03-01T12:00:00Z"),
            registration_closes_at: time("2027-08-15T12:00:00Z"),
            capacity: Some(400),
            default_country_capacity: Some(20),
            reference_prefix: Some("QUE"),
            verification: Some("email"),
            verification_hours: Some(48),
            pending_holds_place: Some(true),
            rejection_reasons: Some(vec![serde_json::json!(
                {"code": "late", "texts": {"fr": "L'inscription est arrivée après la date limite."}}
            )]),
        }
    }
}

/// An event's whole set-up, as `PUT /api/v1/events/{slug}` takes it: as it
/// is created, without the slug and the reference prefix, which cannot
/// change (they are also taken when they are the stored ones).
#[derive(Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = EventSetup)]
pub struct EventSetupRequest {
    #[schema(schema_with = schemas::name)]
    name: &'static str,
    #[schema(schema_with = schemas::names)]
    names: Option<Texts>,
    #[schema(schema_with = schemas::description)]
    description: Option<&'static str>,
    #[schema(schema_with = schemas::descriptions)]
    descriptions: Option<Texts>,
    starts_on: NaiveDate,
    /// Not before `starts_on`
    ends_on: NaiveDate,
    #[schema(schema_with = schemas::timezone)]
    timezone: &'static str,
    #[schema(schema_with = schemas::languages)]
    languages: Vec<&'static str>,
    registration_opens_at: DateTime<Utc>,
    /// After `registration_opens_at`
    registration_closes_at: DateTime<Utc>,
    /// At least the places taken, or null
    #[schema(schema_with = schemas::capacity)]
    capacity: Option<i32>,
    #[schema(schema_with = schemas::capacity)]
    default_country_capacity: Option<i32>,
    #[schema(schema_with = schemas::verification)]
    verification: Option<&'static str>,
    #[schema(schema_with = schemas::verification_hours)]
    verification_hours: Option<i32>,
    /// A registration awaiting approval holds the places it was given
    /// (default true); fixed while registrations await a decision.
    #[schema(schema_with = schemas::optional_boolean)]
    pending_holds_place: Option<bool>,
    /// The event's own reasons for a rejection, added to the built-in
    /// ones (`incomplete`, `not_eligible`, `no_place`, `other`)
    #[schema(schema_with = schemas::rejection_reasons)]
    rejection_reasons: Option<Vec<serde_json::Value>>,
}

impl EventSetupRequest {
    pub fn example() -> EventSetupRequest {
        let NewEventRequest {
            name,
            names,
            description,
            descriptions,
            starts_on,
            ends_on,
            timezone,
            languages,
            registration_opens_at,
            registration_closes_at,
            default_country_capacity,
            verification,
            verification_hours,
            pending_holds_place,
            rejection_reasons,
            ..
        } = NewEventRequest::example();
        EventSetupRequest {
            name,
            names,
            description,
            descriptions,
            starts_on,
            ends_on,
            timezone,
            languages,
            registration_opens_at,
            registration_closes_at,
            capacity: None,
            default_country_capacity,
            verification,
            verification_hours,
            pending_holds_place,
            rejection_reasons,
        }
    }
}

/// Create an event
#[utoipa::path(
    post,
    path = "/api/v1/events",
    security(("bearer" = [])),
    request_body(content = NewEventRequest, example = json!(NewEventRequest::example())),
    responses(
        BodyErrors,
        (status = 201, description = "The event", body = EventBody),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 409, response = Conflict),
        (status = 503, response = Unavailable),
    ),
)]
pub async fn create_event(
    auth: Authenticated,
    state: web::Data<AppState>,
    payload: web::Payload,
) -> Result<HttpResponse, AppError> {
    auth.require_admin()?;
    let body = json_body(&state, payload).await?;
    let setup = EventSetup::parse(&body, None)?;
    let mut conn = state.pool.get().await?;
    let event = registration::admin::create_event(&mut conn, &setup.new_event(), auth.organiser.id)
        .await?
        .ok_or_else(|| {
            AppError::Duplicate(format!(
                "an event with the slug `{}` exists",
                setup.slug.as_str()
            ))
        })?;
    Ok(HttpResponse::Created().json(event_body(&event, &[], &[])))
}

/// Set an event up again (more places promote waiting delegates)
///
/// The event's whole set-up, as it is created (the slug and the reference
/// prefix may be left out, not changed); the answer is the event as `GET`
/// shows it.
#[utoipa::path(
    put,
    path = "/api/v1/events/{slug}",
    security(("bearer" = [])),
    params(("slug" = String, Path, description = "The event's slug")),
    request_body(content = EventSetupRequest, example = json!(EventSetupRequest::example())),
    responses(
        BodyErrors,
        (status = 200, description = "The event", body = EventBody),
        OrganiserErrors,
    ),
)]
pub async fn update_event(
    OnEvent {
        auth,
        event,
        mut conn,
        ..
    }: OnEvent<Changes>,
    state: web::Data<AppState>,
    payload: web::Payload,
) -> Result<HttpResponse, AppError> {
    let body = json_body(&state, payload).await?;
    let setup = EventSetup::parse(&body, Some(&event))?;
    registration::admin::update_event(
        &mut conn,
        event.id,
        &setup.new_event(),
        auth.organiser.id,
        Utc::now(),
    )
    .await?;
    let event = events_store::find(&mut conn, event.id).await?;
    let sessions = events_store::sessions_of(&mut conn, event.id).await?;
    let countries = events_store::country_quotas_of(&mut conn, event.id).await?;
    Ok(HttpResponse::Ok().json(event_body(&event, &sessions, &countries)))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct CountryPath {
    /// The country
    #[param(value_type = CountryInPath, inline)]
    code: String,
}

/// A country's quota, as `PUT …/countries/{code}` takes it.
#[derive(Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = Capacity)]
pub struct CapacityRequest {
    /// At least the places the country has taken, or null
    #[schema(schema_with = schemas::capacity)]
    capacity: Option<i32>,
}

impl CapacityRequest {
    pub fn example() -> CapacityRequest {
        CapacityRequest {
            capacity: Some(120),
        }
    }
}

/// A country's quota and the places taken and left in it.
#[derive(Serialize, ToSchema)]
#[schema(as = Quota)]
struct QuotaBody<'a> {
    #[schema(schema_with = schemas::country)]
    code: &'a str,
    #[schema(required = true)]
    capacity: Option<i32>,
    taken: i32,
    #[schema(required = true)]
    remaining: Option<i32>,
}

/// Set a country quota (raising it promotes waiting delegates)
#[utoipa::path(
    put,
    path = "/api/v1/events/{slug}/countries/{code}",
    security(("bearer" = [])),
    params(("slug" = String, Path, description = "The event's slug"), CountryPath),
    request_body(content = CapacityRequest, example = json!(CapacityRequest::example())),
    responses(
        BodyErrors,
        (status = 200, description = "The quota", body = QuotaBody),
        OrganiserErrors,
    ),
)]
pub async fn set_country_quota(
    OnEvent {
        auth,
        event,
        mut conn,
        ..
    }: OnEvent<Changes>,
    state: web::Data<AppState>,
    path: web::Path<CountryPath>,
    payload: web::Payload,
) -> Result<HttpResponse, AppError> {
    let body = json_body(&state, payload).await?;
    let mut fields = JsonFields::new(&body, &["capacity"])?;
    let capacity = fields.capacity("capacity");
    let country = CountryCode::parse(&path.code);
    if country.is_err() {
        let error = FieldError::new("error-country-code-invalid").with_arg("code", &*path.code);
        fields.refuse("code", error);
    }
    fields.finish()?;
    let (Ok(capacity), Ok(country)) = (capacity, country) else {
        return Err(AppError::field(
            "capacity",
            FieldError::new("error-capacity-invalid"),
        ));
    };
    let quota = registration::set_country_capacity(
        &mut conn,
        &event,
        country,
        capacity,
        auth.organiser.id,
        Utc::now(),
    )
    .await?;
    Ok(HttpResponse::Ok().json(QuotaBody {
        code: quota.country_code.trim(),
        capacity: quota.capacity,
        taken: quota.taken,
        remaining: quota.quota().remaining(),
    }))
}

/// A session as `POST …/sessions` creates it (read by
/// `SessionSetup::parse`).
#[derive(Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = NewSession)]
pub struct NewSessionRequest {
    #[schema(schema_with = schemas::session_code)]
    code: &'static str,
    #[schema(schema_with = schemas::name)]
    title: &'static str,
    #[schema(schema_with = schemas::names)]
    titles: Option<Texts>,
    #[schema(schema_with = schemas::description)]
    description: Option<&'static str>,
    #[schema(schema_with = schemas::descriptions)]
    descriptions: Option<Texts>,
    #[schema(schema_with = schemas::optional_session_kind)]
    kind: Option<&'static str>,
    #[schema(schema_with = schemas::room)]
    room: Option<&'static str>,
    starts_at: DateTime<Utc>,
    /// After `starts_at`
    ends_at: DateTime<Utc>,
    #[schema(schema_with = schemas::capacity)]
    capacity: Option<i32>,
}

impl NewSessionRequest {
    pub fn example() -> NewSessionRequest {
        NewSessionRequest {
            code: "W7",
            title: "Atelier : l'eau dans les villes",
            titles: Some(Texts::from([("en", "Workshop: water in cities")])),
            description: None,
            descriptions: None,
            kind: Some("workshop"),
            room: Some("Salle 3"),
            starts_at: time("2027-09-11T09:00:00Z"),
            ends_at: time("2027-09-11T11:00:00Z"),
            capacity: Some(40),
        }
    }
}

/// A session's whole set-up, as `PUT …/sessions/{code}` takes it: as it is
/// created, without the code, which cannot change (it is also taken when it
/// is the stored one).
#[derive(Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = SessionSetup)]
pub struct SessionSetupRequest {
    #[schema(schema_with = schemas::name)]
    title: &'static str,
    #[schema(schema_with = schemas::names)]
    titles: Option<Texts>,
    #[schema(schema_with = schemas::description)]
    description: Option<&'static str>,
    #[schema(schema_with = schemas::descriptions)]
    descriptions: Option<Texts>,
    #[schema(schema_with = schemas::optional_session_kind)]
    kind: Option<&'static str>,
    #[schema(schema_with = schemas::room)]
    room: Option<&'static str>,
    starts_at: DateTime<Utc>,
    /// After `starts_at`
    ends_at: DateTime<Utc>,
    /// At least the seats taken, or null
    #[schema(schema_with = schemas::capacity)]
    capacity: Option<i32>,
}

impl SessionSetupRequest {
    pub fn example() -> SessionSetupRequest {
        let NewSessionRequest {
            title,
            titles,
            description,
            descriptions,
            kind,
            room,
            starts_at,
            ends_at,
            ..
        } = NewSessionRequest::example();
        SessionSetupRequest {
            title,
            titles,
            description,
            descriptions,
            kind,
            room,
            starts_at,
            ends_at,
            capacity: None,
        }
    }
}

/// Create a session
#[utoipa::path(
    post,
    path = "/api/v1/events/{slug}/sessions",
    security(("bearer" = [])),
    params(("slug" = String, Path, description = "The event's slug")),
    request_body(content = NewSessionRequest, example = json!(NewSessionRequest::example())),
    responses(
        BodyErrors,
        (status = 201, description = "The session", body = SessionBody),
        OrganiserErrors,
        (status = 409, response = Conflict),
    ),
)]
pub async fn create_session(
    OnEvent {
        auth,
        event,
        mut conn,
        ..
    }: OnEvent<Changes>,
    state: web::Data<AppState>,
    payload: web::Payload,
) -> Result<HttpResponse, AppError> {
    let body = json_body(&state, payload).await?;
    let setup = SessionSetup::parse(&body, &event, None)?;
    let session = registration::admin::create_session(
        &mut conn,
        &setup.new_session(event.id),
        auth.organiser.id,
    )
    .await?
    .ok_or_else(|| AppError::Duplicate(format!("the session `{}` exists", setup.code.as_str())))?;
    Ok(HttpResponse::Created().json(session_body(&session)))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct SessionPath {
    /// The session's code
    code: String,
}

async fn session_by_code(
    conn: &mut AsyncPgConnection,
    event: &Event,
    code: &str,
) -> Result<Session, AppError> {
    events_store::sessions_by_code(conn, event.id, &[code])
        .await?
        .into_iter()
        .next()
        .ok_or(AppError::NotFound("session"))
}

/// Set a session up again (more seats promote waiting delegates)
///
/// The session's whole set-up, as it is created (the code may be left out,
/// not changed).
#[utoipa::path(
    put,
    path = "/api/v1/events/{slug}/sessions/{code}",
    security(("bearer" = [])),
    params(("slug" = String, Path, description = "The event's slug"), SessionPath),
    request_body(content = SessionSetupRequest, example = json!(SessionSetupRequest::example())),
    responses(
        BodyErrors,
        (status = 200, description = "The session", body = SessionBody),
        OrganiserErrors,
    ),
)]
pub async fn update_session(
    OnEvent {
        auth,
        event,
        mut conn,
        ..
    }: OnEvent<Changes>,
    state: web::Data<AppState>,
    path: web::Path<SessionPath>,
    payload: web::Payload,
) -> Result<HttpResponse, AppError> {
    let body = json_body(&state, payload).await?;
    let session = session_by_code(&mut conn, &event, &path.code).await?;
    let setup = SessionSetup::parse(&body, &event, Some(&session))?;
    registration::admin::update_session(
        &mut conn,
        &event,
        session.id,
        &setup.new_session(event.id),
        auth.organiser.id,
    )
    .await?;
    let session = session_by_code(&mut conn, &event, &session.code).await?;
    Ok(HttpResponse::Ok().json(session_body(&session)))
}

/// A page of a list.
#[derive(Serialize, ToSchema)]
pub struct Page<T> {
    items: Vec<T>,
    total: i64,
    page: i64,
    per_page: i64,
}

/// A page of the attendee list.
#[derive(Serialize, ToSchema)]
#[schema(as = AttendeePage)]
struct AttendeePage<'a> {
    items: Vec<AttendeeBody<'a>>,
    total: i64,
    /// Absent when the page was asked for with `after`
    #[serde(skip_serializing_if = "Option::is_none")]
    page: Option<i64>,
    per_page: i64,
    /// Cursor of the next page (`after`); null on the last page
    #[schema(required = true)]
    next: Option<String>,
    /// Cursor of the page before (`before`); null on the first page
    #[schema(required = true)]
    previous: Option<String>,
}

/// A registration as the organisers' list shows it.
#[derive(Serialize, ToSchema)]
#[schema(as = Attendee)]
pub(super) struct AttendeeBody<'a> {
    id: Uuid,
    reference: &'a str,
    #[schema(schema_with = schemas::registration_status)]
    status: &'a str,
    /// The place on the waiting list, 1 the next to be offered a place
    #[schema(required = true)]
    waitlist_position: Option<i64>,
    given_name: &'a str,
    family_name: &'a str,
    email: &'a str,
    #[schema(schema_with = schemas::country)]
    country: &'a str,
    organisation: &'a str,
    #[schema(schema_with = schemas::language)]
    language: &'a str,
    /// The chosen sessions' codes by start time, waiting ones marked: `A3, P1 (waiting)`
    sessions: &'a str,
    registered_at: DateTime<Utc>,
    /// The participant category's code; absent in an event without them.
    #[serde(skip_serializing_if = "Option::is_none")]
    category: Option<&'a str>,
}

pub(super) fn attendee_body(attendee: &Attendee) -> AttendeeBody<'_> {
    AttendeeBody {
        id: attendee.id,
        reference: &attendee.reference,
        status: attendee.status.as_str(),
        waitlist_position: attendee.waitlist_position,
        given_name: &attendee.given_name,
        family_name: &attendee.family_name,
        email: &attendee.email,
        country: attendee.country_code.trim(),
        organisation: &attendee.organisation,
        language: &attendee.language,
        sessions: &attendee.sessions,
        registered_at: attendee.registered_at,
        category: attendee.category.as_deref(),
    }
}

/// List registrations
///
/// Filter by an answer with `answer.<code>=<word>` (a choice code, or
/// `yes`/`no`; repeatable, all met): an unknown code, another type of
/// question, another word or a sensitive question is a 422 on
/// `answer.<code>`.
#[utoipa::path(
    get,
    path = "/api/v1/events/{slug}/registrations",
    security(("bearer" = [])),
    params(("slug" = String, Path, description = "The event's slug"), ListQuery),
    responses(
        (status = 200, description = "A page", body = AttendeePage),
        OrganiserErrors,
        (status = 422, response = Invalid),
    ),
)]
pub async fn list_registrations(
    OnEvent {
        event, mut conn, ..
    }: OnEvent<Attendees>,
    query: ListQuery,
) -> Result<HttpResponse, AppError> {
    let ListedPage {
        listing:
            attendees::Listing {
                attendees: items,
                total,
                more_before,
                more_after,
            },
        start,
        page,
        per_page,
        order,
        searching,
    } = query.list(&mut conn, &event, Counting::Exact).await?;
    let cursor_at = |row: Option<&Attendee>, more: bool| {
        row.filter(|_| more)
            .map(|row| Cursor::after(event.id, order, searching, row).encode())
    };
    let (next, previous) = (
        cursor_at(items.last(), more_after),
        cursor_at(items.first(), more_before),
    );
    // Counted exactly: the API's total is a number of registrations.
    let total = match total {
        Total::Exact(total) | Total::MoreThan(total) => total,
    };
    // A page reached by its number says which; one reached by a cursor has
    // no number.
    let page = matches!(start, Start::Offset(_)).then_some(page);
    Ok(HttpResponse::Ok().json(AttendeePage {
        items: items.iter().map(attendee_body).collect(),
        total,
        page,
        per_page,
        next,
        previous,
    }))
}

fn attachment(file_name: &str) -> (header::HeaderName, String) {
    (
        header::CONTENT_DISPOSITION,
        format!("attachment; filename=\"{file_name}\""),
    )
}

/// Export as CSV (streamed)
///
/// Streamed straight from the database, a few hundred rows per chunk.
///
/// Filter by an answer with `answer.<code>=<word>` (a choice code, or
/// `yes`/`no`; repeatable, all met): an unknown code, another type of
/// question, another word or a sensitive question is a 422 on
/// `answer.<code>`.
#[utoipa::path(
    get,
    path = "/api/v1/events/{slug}/registrations.csv",
    security(("bearer" = [])),
    params(("slug" = String, Path, description = "The event's slug"), ListQuery, ExportParams),
    responses(
        (status = 200, description = "The registrations, a row each", content_type = "text/csv", body = String,
            headers(("Content-Disposition" = String, description = "attachment, with a file name"))),
        OrganiserErrors,
        (status = 422, response = Invalid),
    ),
)]
pub async fn export_csv(
    OnEvent {
        event,
        role,
        mut conn,
        ..
    }: OnEvent<Exports>,
    state: web::Data<AppState>,
    query: ListQuery,
    export: web::Query<ExportParams>,
) -> Result<HttpResponse, AppError> {
    let options = export.options(&event, role)?;
    let filter = query.filter(&mut conn, &event).await?;
    // An export has no pages, but its query is read as a list's is: a bad
    // page or cursor is refused, not ignored.
    query.start(&event, filter.search.is_some())?;
    let questions = questions_store::of_event(&mut conn, event.id, None).await?;
    let categorised = categories_store::any(&mut conn, event.id).await?;
    let public_url = state.settings.public_url();
    let mut writer = CsvWriter::new(
        ExportStyle::of(&event, &questions, categorised, public_url, options),
        query.bom.unwrap_or(false),
    );
    let (sender, receiver) = tokio::sync::mpsc::channel::<Result<web::Bytes, std::io::Error>>(8);
    let event_id = event.id;
    // The connection moves into the task that feeds the response body.
    actix_web::rt::spawn(async move {
        use futures_util::StreamExt;
        let rows = match attendees::stream(&mut conn, event_id, &filter).await {
            Ok(rows) => rows,
            Err(error) => {
                let _ = sender.send(Err(std::io::Error::other(error))).await;
                return;
            }
        };
        let mut batches = std::pin::pin!(rows.chunks(500));
        while let Some(batch) = batches.next().await {
            let bytes = batch
                .into_iter()
                .collect::<Result<Vec<Attendee>, _>>()
                .map_err(std::io::Error::other)
                .and_then(|batch| writer.rows(&batch));
            let failed = bytes.is_err();
            if sender.send(bytes.map(web::Bytes::from)).await.is_err() || failed {
                return;
            }
        }
        let _ = sender.send(Ok(web::Bytes::from(writer.finish()))).await;
    });
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header(attachment(&format!("{}-registrations.csv", event.slug)))
        .streaming(tokio_stream_of(receiver)))
}

fn tokio_stream_of<T: 'static>(
    mut receiver: tokio::sync::mpsc::Receiver<T>,
) -> impl futures_util::Stream<Item = T> {
    futures_util::stream::poll_fn(move |context| receiver.poll_recv(context))
}

/// Export as Excel
///
/// Filter by an answer with `answer.<code>=<word>` (a choice code, or
/// `yes`/`no`; repeatable, all met): an unknown code, another type of
/// question, another word or a sensitive question is a 422 on
/// `answer.<code>`.
#[utoipa::path(
    get,
    path = "/api/v1/events/{slug}/registrations.xlsx",
    security(("bearer" = [])),
    params(("slug" = String, Path, description = "The event's slug"), ListQuery, ExportParams),
    responses(
        (status = 200, description = "The registrations, a row each",
            content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = Vec<u8>,
            headers(("Content-Disposition" = String, description = "attachment, with a file name"))),
        OrganiserErrors,
        (status = 422, response = Invalid),
    ),
)]
pub async fn export_xlsx(
    OnEvent {
        event,
        role,
        mut conn,
        ..
    }: OnEvent<Exports>,
    state: web::Data<AppState>,
    query: ListQuery,
    export: web::Query<ExportParams>,
) -> Result<HttpResponse, AppError> {
    let options = export.options(&event, role)?;
    let filter = query.filter(&mut conn, &event).await?;
    query.start(&event, filter.search.is_some())?;
    let questions = questions_store::of_event(&mut conn, event.id, None).await?;
    let categorised = categories_store::any(&mut conn, event.id).await?;
    let public_url = state.settings.public_url();
    let style = ExportStyle::of(&event, &questions, categorised, public_url, options);
    let rows = attendees::stream(&mut conn, event.id, &filter).await?;
    let workbook = write_xlsx(rows, style, |_| {})
        .await
        .map_err(AppError::Internal)?;
    Ok(HttpResponse::Ok()
        .content_type("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        .insert_header(attachment(&format!("{}-registrations.xlsx", event.slug)))
        .body(workbook))
}

/// An email of the outbox.
#[derive(Serialize, ToSchema)]
#[schema(as = Email)]
struct EmailBody<'a> {
    id: Uuid,
    #[schema(required = true)]
    registration_id: Option<Uuid>,
    /// What the email is about
    #[schema(schema_with = schemas::email_kind)]
    kind: &'a str,
    recipient: &'a str,
    #[schema(schema_with = schemas::language)]
    language: &'a str,
    #[schema(required = true)]
    subject: Option<&'a str>,
    /// pending, sent or failed
    status: &'a str,
    attempts: i32,
    #[schema(required = true)]
    last_error: Option<&'a str>,
    next_attempt_at: DateTime<Utc>,
    created_at: DateTime<Utc>,
    #[schema(required = true)]
    sent_at: Option<DateTime<Utc>>,
}

/// The outbox: kind, recipient, status, attempts, last error
#[utoipa::path(
    get,
    path = "/api/v1/events/{slug}/emails",
    security(("bearer" = [])),
    params(
        ("slug" = String, Path, description = "The event's slug"),
        ("page" = Option<i64>, Query, minimum = 1, maximum = 9_223_372_036_854_776_i64, description = "The page, from 1"),
        ("per_page" = Option<i64>, Query, minimum = 1, maximum = 1000, description = "Items a page, 50 unless given"),
    ),
    responses(
        (status = 200, description = "A page, the newest first", body = Page<EmailBody>),
        OrganiserErrors,
        (status = 422, response = Invalid),
    ),
)]
pub async fn emails(
    OnEvent {
        event, mut conn, ..
    }: OnEvent<Reading>,
    query: ListQuery,
) -> Result<HttpResponse, AppError> {
    let (page, per_page) = query.paging()?;
    let (rows, total) =
        outbox::list_for_event(&mut conn, event.id, (page - 1) * per_page, per_page).await?;
    let items = rows
        .iter()
        .map(|row| EmailBody {
            id: row.id,
            registration_id: row.registration_id,
            kind: row.kind.as_str(),
            recipient: &row.recipient,
            language: &row.language,
            subject: row.subject.as_deref(),
            status: &row.status,
            attempts: row.attempts,
            last_error: row.last_error.as_deref(),
            next_attempt_at: row.next_attempt_at,
            created_at: row.created_at,
            sent_at: row.sent_at,
        })
        .collect();
    Ok(HttpResponse::Ok().json(Page {
        items,
        total,
        page,
        per_page,
    }))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct RegistrationPath {
    /// The registration's id
    pub(super) id: Uuid,
}

/// The answer of a resend: the email is in the outbox.
#[derive(Serialize, ToSchema)]
#[schema(as = Queued)]
struct QueuedBody {
    #[schema(schema_with = schemas::queued)]
    status: &'static str,
}

/// Why a waiting delegate gets a place out of turn.
#[derive(Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = Promotion)]
pub struct PromotionRequest {
    /// Kept in the audit log with who gave the place
    #[schema(schema_with = schemas::promotion_why)]
    why: &'static str,
}

impl PromotionRequest {
    pub fn example() -> PromotionRequest {
        PromotionRequest {
            why: "Speaks at the opening plenary",
        }
    }
}

/// A 200 with the registration a change left, as the list shows it.
pub(super) fn listed(view: &registration::RegistrationView) -> HttpResponse {
    HttpResponse::Ok().json(attendee_body(&attendee_of_view(view)))
}

/// The registration a change left, in the shape of the list's items.
pub(super) fn attendee_of_view(view: &registration::RegistrationView) -> Attendee {
    let registration = &view.registration;
    // As the list's query writes them: codes by start time, waiting ones
    // marked.
    let sessions: Vec<String> = view
        .choices
        .iter()
        .map(|choice| match choice.status {
            SeatStatus::Confirmed => choice.session.code.clone(),
            SeatStatus::Waitlisted => format!("{} (waiting)", choice.session.code),
        })
        .collect();
    Attendee {
        id: registration.id,
        reference: registration.reference.clone(),
        status: registration.status,
        waitlist_position: view.waitlist_position,
        given_name: registration.given_name.clone(),
        family_name: registration.family_name.clone(),
        email: registration.email.clone(),
        country_code: registration.country_code.clone(),
        organisation: registration.organisation.clone(),
        language: registration.language.clone(),
        sessions: sessions.join(", "),
        answers: serde_json::to_value(&view.answers).unwrap_or_default(),
        registered_at: registration.created_at,
        queue_seq: registration.queue_seq,
        rank: 0,
        category: view.category.clone(),
    }
}

/// Give a waiting delegate a place out of turn
///
/// The event and the delegate's country must both have a place free (it
/// would be someone else's otherwise): refused with a 409 `conflict`, as
/// for a delegate who is not waiting. Audit-logged with who and `why`.
#[utoipa::path(
    post,
    path = "/api/v1/events/{slug}/registrations/{id}/promote",
    security(("bearer" = [])),
    params(("slug" = String, Path, description = "The event's slug"), RegistrationPath),
    request_body(content = PromotionRequest, example = json!(PromotionRequest::example())),
    responses(
        BodyErrors,
        (status = 200, description = "The registration, as the list shows it", body = AttendeeBody),
        (status = 409, response = Conflict),
        OrganiserErrors,
    ),
)]
pub async fn promote(
    OnEvent {
        auth,
        event,
        mut conn,
        ..
    }: OnEvent<Changes>,
    state: web::Data<AppState>,
    path: web::Path<RegistrationPath>,
    payload: web::Payload,
) -> Result<HttpResponse, AppError> {
    let body = json_body(&state, payload).await?;
    let why = promotion_why(&body)?;
    let (id, organiser, now) = (path.id, auth.organiser.id, Utc::now());
    let view = registration::admin::promote_out_of_turn(&mut conn, &event, id, organiser, why, now)
        .await
        // Not waiting, or no place free: the registration's state, not the
        // request, is what stands in the way.
        .map_err(AppError::state_conflict)?;
    Ok(listed(&view))
}

/// Send the last confirmation again
#[utoipa::path(
    post,
    path = "/api/v1/events/{slug}/registrations/{id}/resend",
    security(("bearer" = [])),
    params(("slug" = String, Path, description = "The event's slug"), RegistrationPath),
    responses(
        (status = 415, response = UnsupportedMediaType),
        (status = 202, description = "Queued", body = QueuedBody),
        OrganiserErrors,
    ),
)]
pub async fn resend(
    OnEvent {
        auth,
        event,
        mut conn,
        ..
    }: OnEvent<Changes>,
    path: web::Path<RegistrationPath>,
) -> Result<HttpResponse, AppError> {
    registration::resend(&mut conn, &event, path.id, auth.organiser.id).await?;
    Ok(HttpResponse::Accepted().json(QueuedBody { status: "queued" }))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct EmailTextPath {
    /// Which email
    #[param(value_type = EmailTextKind, inline)]
    kind: String,
    /// One of the event's languages
    #[param(value_type = LanguageInPath, inline)]
    language: String,
}

/// An organiser's own wording of an email, as `PUT …/email-texts/…` takes
/// it (read by `EmailTextSetup::parse`).
#[derive(Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = EmailText)]
pub struct EmailTextRequest {
    #[schema(schema_with = schemas::email_subject)]
    subject: &'static str,
    #[schema(schema_with = schemas::email_body)]
    body: &'static str,
}

impl EmailTextRequest {
    pub fn example() -> EmailTextRequest {
        EmailTextRequest {
            subject: "{event}: votre inscription {reference}",
            body: "Bonjour {given_name},\n\nVotre inscription est {status}. Votre page : {manage_url}",
        }
    }
}

/// An organiser's wording as saved.
#[derive(Serialize, ToSchema)]
#[schema(as = SavedEmailText)]
struct EmailTextBody<'a> {
    #[schema(schema_with = schemas::worded_email_kind)]
    kind: &'a str,
    #[schema(schema_with = schemas::language)]
    language: &'a str,
    subject: &'a str,
    body: &'a str,
}

/// Set the organisers' own wording of an email
///
/// Plain text with placeholders such as `{given_name}`; an unknown
/// placeholder is refused.
#[utoipa::path(
    put,
    path = "/api/v1/events/{slug}/email-texts/{kind}/{language}",
    security(("bearer" = [])),
    params(("slug" = String, Path, description = "The event's slug"), EmailTextPath),
    request_body(content = EmailTextRequest, example = json!(EmailTextRequest::example())),
    responses(
        BodyErrors,
        (status = 200, description = "Saved", body = EmailTextBody),
        OrganiserErrors,
    ),
)]
pub async fn put_email_text(
    OnEvent {
        auth,
        event,
        mut conn,
        ..
    }: OnEvent<Changes>,
    state: web::Data<AppState>,
    path: web::Path<EmailTextPath>,
    payload: web::Payload,
) -> Result<HttpResponse, AppError> {
    let body = json_body(&state, payload).await?;
    let text = EmailTextSetup::parse(&body)?;
    let (kind, language) = email_text_target(&event, &path.kind, &path.language)?;
    let change = EmailTextChange {
        kind,
        language: language.code(),
        subject: text.subject,
        body: text.body,
    };
    registration::admin::set_email_text(&mut conn, event.id, &change, auth.organiser.id).await?;
    Ok(HttpResponse::Ok().json(EmailTextBody {
        kind: kind.as_str(),
        language: language.code(),
        subject: text.subject,
        body: text.body,
    }))
}

/// Back to the built-in wording
#[utoipa::path(
    delete,
    path = "/api/v1/events/{slug}/email-texts/{kind}/{language}",
    security(("bearer" = [])),
    params(("slug" = String, Path, description = "The event's slug"), EmailTextPath),
    responses(
        (status = 415, response = UnsupportedMediaType),
        (status = 204, description = "Removed"),
        OrganiserErrors,
        (status = 422, response = Invalid),
    ),
)]
pub async fn delete_email_text(
    OnEvent {
        auth,
        event,
        mut conn,
        ..
    }: OnEvent<Changes>,
    path: web::Path<EmailTextPath>,
) -> Result<HttpResponse, AppError> {
    let (kind, language) = email_text_target(&event, &path.kind, &path.language)?;
    let reset = registration::admin::reset_email_text(
        &mut conn,
        event.id,
        kind,
        language.code(),
        auth.organiser.id,
    )
    .await?;
    if !reset {
        return Err(AppError::NotFound("email text"));
    }
    Ok(HttpResponse::NoContent().finish())
}
