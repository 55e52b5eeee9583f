use actix_web::{HttpRequest, HttpResponse, web};
use chrono::Utc;
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::domain::{FieldError, FieldErrors, Language, SessionCode};
use crate::registration::{self, IdempotencyKey, RegistrationView};
use crate::web::input::{RawRegistration, read_body};
use crate::web::{AppError, AppState};

#[derive(Serialize)]
pub struct RegistrationBody<'a> {
    id: uuid::Uuid,
    reference: &'a str,
    status: &'a str,
    waitlist_position: Option<i64>,
    sessions: Vec<ChoiceBody<'a>>,
    manage_url: String,
    given_name: &'a str,
    family_name: &'a str,
    email: &'a str,
    country: &'a str,
    organisation: &'a str,
    language: &'a str,
    registered_at: chrono::DateTime<Utc>,
}

#[derive(Serialize)]
struct ChoiceBody<'a> {
    code: &'a str,
    status: &'a str,
}

pub fn registration_body<'a>(
    view: &'a RegistrationView,
    manage_url: String,
) -> RegistrationBody<'a> {
    let registration = &view.registration;
    RegistrationBody {
        id: registration.id,
        reference: &registration.reference,
        status: &registration.status,
        waitlist_position: view.waitlist_position,
        sessions: view
            .choices
            .iter()
            .map(|choice| ChoiceBody {
                code: &choice.session.code,
                status: &choice.status,
            })
            .collect(),
        manage_url,
        given_name: &registration.given_name,
        family_name: &registration.family_name,
        email: &registration.email,
        country: registration.country_code.trim_end(),
        organisation: &registration.organisation,
        language: &registration.language,
        registered_at: registration.created_at,
    }
}

fn manage_url(state: &AppState, token: &str) -> String {
    format!("{}/r/{token}", state.settings.public_url())
}

/// `POST /api/v1/events/{slug}/registrations`
pub async fn create(
    state: web::Data<AppState>,
    slug: web::Path<String>,
    request: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, AppError> {
    state.registration_limit.check_request(&request)?;
    let body = read_body(payload, state.settings.http.max_body_bytes).await?;
    let idempotency_key = idempotency_key(&request, &body)?;
    let json: serde_json::Value = serde_json::from_slice(&body)
        .map_err(|error| AppError::field("body", format!("is not valid JSON: {error}")))?;
    let raw = RawRegistration::from_json(&json).map_err(|errors| validation(&errors))?;

    let snapshot = state.events.get(&state.pool, &slug).await?;
    let event = &snapshot.event;
    let default_language = event
        .languages
        .first()
        .and_then(|code| Language::parse(code).ok())
        .unwrap_or(Language::En);
    let applicant = raw
        .parse(default_language)
        .map_err(|errors| validation(&errors))?;
    let registered = state
        .registrar
        .register(
            event.clone(),
            &snapshot.sessions,
            applicant,
            idempotency_key,
            state.settings.public_url(),
            Utc::now(),
        )
        .await?;
    let body = registration_body(&registered.view, manage_url(&state, &registered.token));
    Ok(HttpResponse::Created().json(body))
}

/// The optional `Idempotency-Key` header, bound to a hash of the body.
fn idempotency_key(request: &HttpRequest, body: &[u8]) -> Result<Option<IdempotencyKey>, AppError> {
    let Some(header) = request.headers().get("Idempotency-Key") else {
        return Ok(None);
    };
    let key = header
        .to_str()
        .ok()
        .map(str::trim)
        .filter(|key| !key.is_empty() && key.len() <= 255)
        .ok_or_else(|| {
            AppError::field(
                "Idempotency-Key",
                "must be 1 to 255 visible ASCII characters",
            )
        })?;
    Ok(Some(IdempotencyKey {
        key: key.to_owned(),
        request_hash: Sha256::digest(body).to_vec(),
    }))
}

/// `GET /api/v1/registrations/{token}`
pub async fn show(
    state: web::Data<AppState>,
    token: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let mut conn = state.pool.get().await?;
    let view = registration::find_by_token(&mut conn, &token)
        .await?
        .ok_or(AppError::NotFound("registration"))?;
    // The delegate's own data (the private page's download link): kept out
    // of caches, and its address out of Referer headers.
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .insert_header(("Referrer-Policy", "no-referrer"))
        .json(registration_body(&view, manage_url(&state, &token))))
}

/// `POST /api/v1/registrations/{token}/cancel`
pub async fn cancel(
    state: web::Data<AppState>,
    token: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let mut conn = state.pool.get().await?;
    let url = manage_url(&state, &token);
    let view = registration::cancel(&mut conn, &token, &url, Utc::now()).await?;
    Ok(HttpResponse::Ok().json(registration_body(&view, url)))
}

/// `PUT /api/v1/registrations/{token}/sessions` with `{"sessions": [codes]}`.
pub async fn change_sessions(
    state: web::Data<AppState>,
    token: web::Path<String>,
    payload: web::Payload,
) -> Result<HttpResponse, AppError> {
    let body = read_body(payload, state.settings.http.max_body_bytes).await?;
    let json: serde_json::Value = serde_json::from_slice(&body)
        .map_err(|error| AppError::field("body", format!("is not valid JSON: {error}")))?;
    let codes = session_codes(&json).map_err(|errors| validation(&errors))?;
    let mut conn = state.pool.get().await?;
    let url = manage_url(&state, &token);
    let view = registration::change_sessions(&mut conn, &token, &codes, &url).await?;
    Ok(HttpResponse::Ok().json(registration_body(&view, url)))
}

fn session_codes(json: &serde_json::Value) -> Result<Vec<SessionCode>, FieldErrors> {
    let items = json
        .get("sessions")
        .and_then(serde_json::Value::as_array)
        .ok_or_else(|| FieldErrors::single("sessions", FieldError::new("error-not-text-list")))?;
    let mut codes = Vec::new();
    for item in items {
        let code = item.as_str().ok_or_else(|| {
            FieldErrors::single("sessions", FieldError::new("error-not-text-list"))
        })?;
        let code = SessionCode::parse(code).map_err(|error| {
            FieldErrors::single("sessions", FieldError::new(error.message_key()))
        })?;
        if !codes.contains(&code) {
            codes.push(code);
        }
    }
    Ok(codes)
}

/// A 422 whose messages are in English: API clients are programs.
fn validation(errors: &FieldErrors) -> AppError {
    AppError::Validation(
        errors
            .iter()
            .map(|(field, error)| (field.to_owned(), crate::web::message(Language::En, error)))
            .collect(),
    )
}
