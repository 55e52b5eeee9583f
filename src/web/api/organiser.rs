//! The organiser JSON API of API.md: set up events, sessions and quotas,
//! list and export registrations, watch the outbox, resend emails.
//! Every handler takes [`Authenticated`] and checks the role it needs.

use actix_web::http::header;
use actix_web::{HttpResponse, web};
use chrono::Utc;
use diesel_async::AsyncPgConnection;
use serde::Deserialize;
use serde_json::json;
use uuid::Uuid;

use super::events::{event_body, session_body};
use crate::db::attendees::{self, Attendee, Cursor, Start};
use crate::db::events::{self as events_store, Event, Session};
use crate::db::outbox;
use crate::domain::{CountryCode, FieldError};
use crate::export::{CsvWriter, ExportStyle, write_xlsx};
use crate::registration;
use crate::registration::admin::EmailTextChange;
use crate::web::auth::{Authenticated, Role};
use crate::web::input::read_body;
use crate::web::json_fields::JsonFields;
use crate::web::organiser_input::{
    EmailTextSetup, EventSetup, ListQuery, SessionSetup, email_text_target, event_by_slug,
};
use crate::web::{AppError, AppState};

async fn json_body(state: &AppState, payload: web::Payload) -> Result<serde_json::Value, AppError> {
    let body = read_body(payload, state.settings.http.max_body_bytes).await?;
    serde_json::from_slice(&body).map_err(|error| AppError::unreadable("body", error))
}

/// `POST /api/v1/events`
pub async fn create_event(
    auth: Authenticated,
    state: web::Data<AppState>,
    payload: web::Payload,
) -> Result<HttpResponse, AppError> {
    auth.require(Role::Organiser)?;
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

/// `PUT /api/v1/events/{slug}`: the event's whole set-up, as it is created
/// (the slug and the reference prefix may be left out, not changed); the
/// event as `GET` shows it.
pub async fn update_event(
    auth: Authenticated,
    state: web::Data<AppState>,
    slug: web::Path<String>,
    payload: web::Payload,
) -> Result<HttpResponse, AppError> {
    auth.require(Role::Organiser)?;
    let body = json_body(&state, payload).await?;
    let mut conn = state.pool.get().await?;
    let event = event_by_slug(&mut conn, &slug).await?;
    let setup = EventSetup::parse(&body, Some(&event))?;
    registration::admin::update_event(
        &mut conn,
        event.id,
        &setup.new_event(),
        auth.organiser.id,
        Utc::now(),
    )
    .await?;
    let event = event_by_slug(&mut conn, &slug).await?;
    let sessions = events_store::sessions_of(&mut conn, event.id).await?;
    let countries = events_store::country_quotas_of(&mut conn, event.id).await?;
    Ok(HttpResponse::Ok().json(event_body(&event, &sessions, &countries)))
}

#[derive(Deserialize)]
pub struct CountryPath {
    slug: String,
    code: String,
}

/// `PUT /api/v1/events/{slug}/countries/{code}` with `{"capacity": n | null}`.
pub async fn set_country_quota(
    auth: Authenticated,
    state: web::Data<AppState>,
    path: web::Path<CountryPath>,
    payload: web::Payload,
) -> Result<HttpResponse, AppError> {
    auth.require(Role::Organiser)?;
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
    let mut conn = state.pool.get().await?;
    let event = event_by_slug(&mut conn, &path.slug).await?;
    let quota = registration::set_country_capacity(
        &mut conn,
        &event,
        country,
        capacity,
        auth.organiser.id,
        Utc::now(),
    )
    .await?;
    Ok(HttpResponse::Ok().json(json!({
        "code": quota.country_code.trim(),
        "capacity": quota.capacity,
        "taken": quota.taken,
        "remaining": quota.quota().remaining(),
    })))
}

/// `POST /api/v1/events/{slug}/sessions`
pub async fn create_session(
    auth: Authenticated,
    state: web::Data<AppState>,
    slug: web::Path<String>,
    payload: web::Payload,
) -> Result<HttpResponse, AppError> {
    auth.require(Role::Organiser)?;
    let body = json_body(&state, payload).await?;
    let mut conn = state.pool.get().await?;
    let event = event_by_slug(&mut conn, &slug).await?;
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

#[derive(Deserialize)]
pub struct SessionPath {
    slug: String,
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

/// `PUT /api/v1/events/{slug}/sessions/{code}`: the session's whole
/// set-up, as it is created (the code may be left out, not changed).
pub async fn update_session(
    auth: Authenticated,
    state: web::Data<AppState>,
    path: web::Path<SessionPath>,
    payload: web::Payload,
) -> Result<HttpResponse, AppError> {
    auth.require(Role::Organiser)?;
    let body = json_body(&state, payload).await?;
    let mut conn = state.pool.get().await?;
    let event = event_by_slug(&mut conn, &path.slug).await?;
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

fn attendee_json(attendee: &Attendee) -> serde_json::Value {
    json!({
        "id": attendee.id,
        "reference": attendee.reference,
        "status": attendee.status,
        "waitlist_position": attendee.waitlist_position,
        "given_name": attendee.given_name,
        "family_name": attendee.family_name,
        "email": attendee.email,
        "country": attendee.country_code.trim(),
        "organisation": attendee.organisation,
        "language": attendee.language,
        "sessions": attendee.sessions,
        "registered_at": attendee.registered_at,
    })
}

/// `GET /api/v1/events/{slug}/registrations`
pub async fn list_registrations(
    auth: Authenticated,
    state: web::Data<AppState>,
    slug: web::Path<String>,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, AppError> {
    auth.require(Role::Viewer)?;
    query.paging()?;
    let mut conn = state.pool.get().await?;
    let event = event_by_slug(&mut conn, &slug).await?;
    let filter = query.filter(&mut conn, &event).await?;
    let searching = filter.search.is_some();
    let (start, page, per_page) = query.start(&event, searching)?;
    let order = query.order();
    let attendees::Listing {
        attendees: items,
        total,
    } = attendees::list(&mut conn, event.id, &filter, order, &start, per_page).await?;
    // A full page may have more after it; a short one is the last.
    let next = match items.last() {
        Some(last) if items.len() as i64 == per_page => {
            Some(Cursor::after(event.id, order, searching, last).encode())
        }
        _ => None,
    };
    let mut answer = json!({
        "items": items.iter().map(attendee_json).collect::<Vec<_>>(),
        "total": total,
        "per_page": per_page,
        "next": next,
    });
    // A page reached by its number says which; one reached by a cursor has
    // no number.
    if matches!(start, Start::Offset(_)) {
        answer["page"] = json!(page);
    }
    Ok(HttpResponse::Ok().json(answer))
}

fn attachment(file_name: &str) -> (header::HeaderName, String) {
    (
        header::CONTENT_DISPOSITION,
        format!("attachment; filename=\"{file_name}\""),
    )
}

/// `GET /api/v1/events/{slug}/registrations.csv`: streamed straight from the
/// database, a few hundred rows per chunk.
pub async fn export_csv(
    auth: Authenticated,
    state: web::Data<AppState>,
    slug: web::Path<String>,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, AppError> {
    auth.require(Role::Viewer)?;
    let mut conn = state.pool.get().await?;
    let event = event_by_slug(&mut conn, &slug).await?;
    let filter = query.filter(&mut conn, &event).await?;
    let mut writer = CsvWriter::new(ExportStyle::of(&event), query.bom.unwrap_or(false));
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

/// `GET /api/v1/events/{slug}/registrations.xlsx`
pub async fn export_xlsx(
    auth: Authenticated,
    state: web::Data<AppState>,
    slug: web::Path<String>,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, AppError> {
    auth.require(Role::Viewer)?;
    let mut conn = state.pool.get().await?;
    let event = event_by_slug(&mut conn, &slug).await?;
    let filter = query.filter(&mut conn, &event).await?;
    let rows = attendees::stream(&mut conn, event.id, &filter).await?;
    let workbook = write_xlsx(rows, ExportStyle::of(&event), |_| {})
        .await
        .map_err(AppError::Internal)?;
    Ok(HttpResponse::Ok()
        .content_type("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        .insert_header(attachment(&format!("{}-registrations.xlsx", event.slug)))
        .body(workbook))
}

/// `GET /api/v1/events/{slug}/emails`
pub async fn emails(
    auth: Authenticated,
    state: web::Data<AppState>,
    slug: web::Path<String>,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, AppError> {
    auth.require(Role::Viewer)?;
    let (page, per_page) = query.paging()?;
    let mut conn = state.pool.get().await?;
    let event = event_by_slug(&mut conn, &slug).await?;
    let (rows, total) =
        outbox::list_for_event(&mut conn, event.id, (page - 1) * per_page, per_page).await?;
    let items: Vec<_> = rows
        .iter()
        .map(|row| {
            json!({
                "id": row.id,
                "registration_id": row.registration_id,
                "kind": row.kind,
                "recipient": row.recipient,
                "language": row.language,
                "subject": row.subject,
                "status": row.status,
                "attempts": row.attempts,
                "last_error": row.last_error,
                "next_attempt_at": row.next_attempt_at,
                "created_at": row.created_at,
                "sent_at": row.sent_at,
            })
        })
        .collect();
    Ok(HttpResponse::Ok()
        .json(json!({"items": items, "total": total, "page": page, "per_page": per_page})))
}

#[derive(Deserialize)]
pub struct RegistrationPath {
    slug: String,
    id: Uuid,
}

/// `POST /api/v1/events/{slug}/registrations/{id}/resend`
pub async fn resend(
    auth: Authenticated,
    state: web::Data<AppState>,
    path: web::Path<RegistrationPath>,
) -> Result<HttpResponse, AppError> {
    auth.require(Role::Organiser)?;
    let mut conn = state.pool.get().await?;
    let event = event_by_slug(&mut conn, &path.slug).await?;
    registration::resend(&mut conn, &event, path.id, auth.organiser.id).await?;
    Ok(HttpResponse::Accepted().json(json!({"status": "queued"})))
}

#[derive(Deserialize)]
pub struct EmailTextPath {
    slug: String,
    kind: String,
    language: String,
}

/// `PUT /api/v1/events/{slug}/email-texts/{kind}/{language}` with
/// `{"subject": …, "body": …}`: the organiser's own wording, with
/// placeholders such as `{given_name}`; unknown placeholders are refused.
pub async fn put_email_text(
    auth: Authenticated,
    state: web::Data<AppState>,
    path: web::Path<EmailTextPath>,
    payload: web::Payload,
) -> Result<HttpResponse, AppError> {
    auth.require(Role::Organiser)?;
    let body = json_body(&state, payload).await?;
    let text = EmailTextSetup::parse(&body)?;
    let mut conn = state.pool.get().await?;
    let event = event_by_slug(&mut conn, &path.slug).await?;
    let (kind, language) = email_text_target(&event, &path.kind, &path.language)?;
    let change = EmailTextChange {
        kind,
        language: language.code(),
        subject: text.subject,
        body: text.body,
    };
    registration::admin::set_email_text(&mut conn, event.id, &change, auth.organiser.id).await?;
    Ok(HttpResponse::Ok().json(json!({
        "kind": kind,
        "language": language.code(),
        "subject": text.subject,
        "body": text.body,
    })))
}

/// `DELETE /api/v1/events/{slug}/email-texts/{kind}/{language}`: back to
/// the built-in wording.
pub async fn delete_email_text(
    auth: Authenticated,
    state: web::Data<AppState>,
    path: web::Path<EmailTextPath>,
) -> Result<HttpResponse, AppError> {
    auth.require(Role::Organiser)?;
    let mut conn = state.pool.get().await?;
    let event = event_by_slug(&mut conn, &path.slug).await?;
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
