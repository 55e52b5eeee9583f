use actix_web::{HttpRequest, HttpResponse, web};
use chrono::Utc;
use serde::Serialize;

use super::question_bodies::AnswersBody;
use crate::domain::{FieldError, FieldErrors, Language, SessionCode};
use crate::registration::{self, IdempotencyKey, RegistrationView};
use crate::web::client::{Client, ClientKey};
use crate::web::input::{self, RawRegistration, read_body};
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
    answers: &'a crate::domain::Answers,
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
        status: registration.status.as_str(),
        waitlist_position: view.waitlist_position,
        sessions: view
            .choices
            .iter()
            .map(|choice| ChoiceBody {
                code: &choice.session.code,
                status: choice.status.as_str(),
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
        answers: &view.answers,
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
    let json: serde_json::Value =
        serde_json::from_slice(&body).map_err(|error| AppError::unreadable("body", error))?;
    let raw = RawRegistration::from_json(&json).map_err(AppError::Validation)?;

    let snapshot = state.events.get(&state.pool, &slug).await?;
    let event = &snapshot.event;
    let default_language = event
        .languages
        .first()
        .and_then(|code| Language::parse(code).ok())
        .unwrap_or(Language::En);
    let rules: Vec<_> = snapshot.questions.iter().map(|q| q.rule()).collect();
    let applicant = raw
        .parse(default_language, &rules)
        .map_err(AppError::Validation)?;
    let registered = state
        .registrar
        .register(
            event.clone(),
            registration::Offer {
                sessions: &snapshot.sessions,
                questions: &snapshot.questions,
            },
            applicant,
            idempotency_key,
            state.settings.public_url(),
            Utc::now(),
        )
        .await?;
    let body = registration_body(&registered.view, manage_url(&state, &registered.token));
    Ok(HttpResponse::Created().json(body))
}

/// The optional `Idempotency-Key` header, bound to a hash of the body and
/// to the client that sent it.
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
                FieldError::new("error-idempotency-key-invalid"),
            )
        })?;
    // The client as rate limits count it (behind a trusted proxy, the
    // address it forwards; an IPv6 client by its /64).
    let client = ClientKey::of(Client::of(request).address).to_string();
    Ok(Some(IdempotencyKey::new(&client, key, body)))
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
    let json: serde_json::Value =
        serde_json::from_slice(&body).map_err(|error| AppError::unreadable("body", error))?;
    let codes = session_codes(&json).map_err(AppError::Validation)?;
    let mut conn = state.pool.get().await?;
    let url = manage_url(&state, &token);
    let view = registration::change_sessions(&mut conn, &token, &codes, &url).await?;
    Ok(HttpResponse::Ok().json(registration_body(&view, url)))
}

/// The `sessions` list of a change of sessions, read as the registration
/// reads it.
fn session_codes(json: &serde_json::Value) -> Result<Vec<SessionCode>, FieldErrors> {
    let not_a_list = || FieldErrors::single("sessions", FieldError::new("error-not-text-list"));
    let items = json
        .get("sessions")
        .and_then(serde_json::Value::as_array)
        .ok_or_else(not_a_list)?;
    let codes: Vec<&str> = items
        .iter()
        .map(serde_json::Value::as_str)
        .collect::<Option<_>>()
        .ok_or_else(not_a_list)?;
    input::session_codes(&codes).map_err(|error| FieldErrors::single("sessions", error))
}

/// `GET /api/v1/registrations/{token}/answers`
pub async fn answers(
    state: web::Data<AppState>,
    token: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let mut conn = state.pool.get().await?;
    let view = registration::find_by_token(&mut conn, &token)
        .await?
        .ok_or(AppError::NotFound("registration"))?;
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .insert_header(("Referrer-Policy", "no-referrer"))
        .json(AnswersBody {
            answers: &view.answers,
        }))
}

/// `PUT /api/v1/registrations/{token}/answers` with `{"answers": {…}}`: the
/// whole map.
pub async fn change_answers(
    state: web::Data<AppState>,
    token: web::Path<String>,
    payload: web::Payload,
) -> Result<HttpResponse, AppError> {
    let body = read_body(payload, state.settings.http.max_body_bytes).await?;
    let body: serde_json::Value =
        serde_json::from_slice(&body).map_err(|error| AppError::unreadable("body", error))?;
    let given = match body.as_object() {
        Some(object) if object.keys().all(|key| key == "answers") => object
            .get("answers")
            .and_then(serde_json::Value::as_object)
            .cloned()
            .ok_or_else(|| FieldErrors::single("answers", FieldError::new("error-json-object")))?,
        Some(object) => {
            let mut errors = FieldErrors::default();
            for key in object.keys().filter(|key| *key != "answers") {
                errors.add(key, FieldError::new("error-unknown-field"));
            }
            return Err(errors.into());
        }
        None => {
            return Err(FieldErrors::single("body", FieldError::new("error-json-object")).into());
        }
    };
    let mut conn = state.pool.get().await?;
    let answers = registration::questions::change_answers(&mut conn, &token, &given).await?;
    Ok(HttpResponse::Ok().json(AnswersBody { answers: &answers }))
}

#[cfg(test)]
mod tests {
    use proptest::collection::vec;
    use proptest::prelude::*;
    use serde_json::{Value, json};

    use super::*;
    use crate::web::input::tests::{any_json, expected_session_codes, session_code_like};

    proptest! {
        #[test]
        fn any_body_of_a_change_of_sessions_is_read_or_refused_on_the_sessions_field(
            body in any_json()
        ) {
            let texts: Option<Vec<String>> = body
                .get("sessions")
                .and_then(Value::as_array)
                .and_then(|items| {
                    items.iter().map(|item| item.as_str().map(str::to_owned)).collect()
                });
            match (session_codes(&body), texts) {
                (Ok(codes), Some(texts)) => {
                    prop_assert_eq!(Ok(codes), expected_session_codes(&texts));
                }
                (Err(errors), texts) => {
                    prop_assert_eq!(errors.len(), 1);
                    let error = errors.get("sessions").expect("the sessions field");
                    let expected = match texts {
                        None => "error-not-text-list",
                        Some(texts) => expected_session_codes(&texts).expect_err("refused"),
                    };
                    prop_assert_eq!(error.message_id, expected);
                }
                (Ok(_), None) => prop_assert!(false, "read a body without a list of texts"),
            }
        }

        #[test]
        fn a_list_of_texts_is_read_as_the_registration_reads_it(
            sessions in vec(session_code_like(), 0..60)
        ) {
            let read = session_codes(&json!({ "sessions": sessions }))
                .map_err(|errors| errors.get("sessions").map(|error| error.message_id));
            let expected = expected_session_codes(&sessions).map_err(Some);
            prop_assert_eq!(read, expected);
        }
    }
}
