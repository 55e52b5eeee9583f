use actix_web::{HttpResponse, web};
use chrono::Utc;
use serde::Serialize;

use crate::db::events::{CountryQuota, Event, Session};
use crate::web::{AppError, AppState};

#[derive(Serialize)]
pub(crate) struct EventBody<'a> {
    slug: &'a str,
    name: &'a str,
    names: &'a serde_json::Value,
    description: &'a str,
    descriptions: &'a serde_json::Value,
    starts_on: chrono::NaiveDate,
    ends_on: chrono::NaiveDate,
    timezone: &'a str,
    languages: &'a [String],
    registration: Window,
    capacity: Option<i32>,
    remaining: Option<i32>,
    default_country_capacity: Option<i32>,
    sessions: Vec<SessionBody<'a>>,
    countries: Vec<CountryBody<'a>>,
}

#[derive(Serialize)]
struct Window {
    opens_at: chrono::DateTime<Utc>,
    closes_at: chrono::DateTime<Utc>,
    open: bool,
}

#[derive(Serialize)]
pub(super) struct SessionBody<'a> {
    code: &'a str,
    title: &'a str,
    titles: &'a serde_json::Value,
    description: &'a str,
    descriptions: &'a serde_json::Value,
    kind: &'a str,
    room: &'a str,
    starts_at: chrono::DateTime<Utc>,
    ends_at: chrono::DateTime<Utc>,
    capacity: Option<i32>,
    remaining: Option<i32>,
}

#[derive(Serialize)]
struct CountryBody<'a> {
    code: &'a str,
    capacity: Option<i32>,
    remaining: Option<i32>,
}

/// `GET /api/v1/events/{slug}`: the event with the places left everywhere.
pub async fn show(
    state: web::Data<AppState>,
    slug: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let snapshot = state.events.get(&state.pool, &slug).await?;
    Ok(HttpResponse::Ok()
        .content_type(actix_web::http::header::ContentType::json())
        .body(snapshot.api_body.clone()))
}

pub(super) fn session_body(session: &Session) -> SessionBody<'_> {
    SessionBody {
        code: &session.code,
        title: &session.title,
        titles: &session.titles,
        description: &session.description,
        descriptions: &session.descriptions,
        kind: session.kind.as_str(),
        room: &session.room,
        starts_at: session.starts_at,
        ends_at: session.ends_at,
        capacity: session.capacity,
        remaining: session.quota().remaining(),
    }
}

pub(crate) fn event_body<'a>(
    event: &'a Event,
    sessions: &'a [Session],
    countries: &'a [CountryQuota],
) -> EventBody<'a> {
    EventBody {
        slug: &event.slug,
        name: &event.name,
        names: &event.names,
        description: &event.description,
        descriptions: &event.descriptions,
        starts_on: event.starts_on,
        ends_on: event.ends_on,
        timezone: &event.timezone,
        languages: &event.languages,
        registration: Window {
            opens_at: event.registration_opens_at,
            closes_at: event.registration_closes_at,
            open: event.is_open_at(Utc::now()),
        },
        capacity: event.capacity,
        remaining: event.quota().remaining(),
        default_country_capacity: event.default_country_capacity,
        sessions: sessions.iter().map(session_body).collect(),
        countries: countries
            .iter()
            .map(|quota| CountryBody {
                code: &quota.country_code,
                capacity: quota.capacity,
                remaining: quota.quota().remaining(),
            })
            .collect(),
    }
}
