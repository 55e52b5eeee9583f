use actix_web::{HttpRequest, HttpResponse, web};
use chrono::Utc;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::openapi::{
    BodyErrors, Conflict, Invalid, NotFound, PayloadTooLarge, RateLimited, Unavailable,
    UnsupportedMediaType, schemas,
};
use super::question_bodies::AnswersBody;
use crate::db::categories::first_public;
use crate::domain::{
    FieldError, FieldErrors, Language, QuestionType, SessionCode, Upload, answer_field,
};
use crate::registration::{self, IdempotencyKey, RegistrationView};
use crate::web::client::{Client, ClientKey};
use crate::web::input::{self, RawRegistration, read_body};
use crate::web::json_fields::JsonFields;
use crate::web::{AppError, AppState};

/// A registration, as the delegate and their private page see it.
#[derive(Serialize, ToSchema)]
#[schema(as = Registration)]
pub struct RegistrationBody<'a> {
    id: uuid::Uuid,
    /// The booking code delegates quote, e.g. `DKR-7K3QX`
    reference: &'a str,
    #[schema(schema_with = schemas::registration_status)]
    status: &'a str,
    /// The place on the waiting list, 1 the next to be offered a place
    #[schema(required = true)]
    waitlist_position: Option<i64>,
    sessions: Vec<ChoiceBody<'a>>,
    /// The delegate's private page
    manage_url: String,
    given_name: &'a str,
    family_name: &'a str,
    email: &'a str,
    #[schema(schema_with = schemas::country)]
    country: &'a str,
    organisation: &'a str,
    #[schema(schema_with = schemas::language)]
    language: &'a str,
    registered_at: chrono::DateTime<Utc>,
    /// The answers to the event's questions, by question code.
    #[schema(value_type = std::collections::BTreeMap<String, serde_json::Value>)]
    answers: &'a crate::domain::Answers,
    /// The participant category's code; absent in an event without them.
    #[serde(skip_serializing_if = "Option::is_none")]
    category: Option<&'a str>,
}

/// A chosen session: confirmed, or on its waiting list.
#[derive(Serialize, ToSchema)]
#[schema(as = Choice)]
struct ChoiceBody<'a> {
    code: &'a str,
    #[schema(schema_with = schemas::choice_status)]
    status: &'a str,
}

/// A delegate's registration, as `POST …/registrations` takes it (read by
/// `RawRegistration`).
#[derive(Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = NewRegistration)]
pub struct NewRegistrationRequest {
    #[schema(schema_with = schemas::person_name)]
    given_name: &'static str,
    #[schema(schema_with = schemas::optional_person_name_100)]
    family_name: Option<&'static str>,
    #[schema(schema_with = schemas::email)]
    email: &'static str,
    #[schema(schema_with = schemas::typed_country)]
    country: &'static str,
    #[schema(schema_with = schemas::optional_person_name_200)]
    organisation: Option<&'static str>,
    /// The event's first language unless given
    #[schema(schema_with = schemas::optional_language)]
    language: Option<&'static str>,
    #[schema(schema_with = schemas::optional_session_codes)]
    sessions: Option<Vec<&'static str>>,
    /// Answers to the event's questions, by question code (see the event's
    /// `questions`).
    #[schema(value_type = Option<std::collections::BTreeMap<String, serde_json::Value>>)]
    answers: Option<serde_json::Value>,
}

impl NewRegistrationRequest {
    pub fn example() -> NewRegistrationRequest {
        NewRegistrationRequest {
            given_name: "Aminata",
            family_name: Some("Traoré"),
            email: "a.traore@example.org",
            country: "ML",
            organisation: Some("Réseau des femmes rurales"),
            language: Some("fr"),
            sessions: Some(Vec::new()),
            answers: None,
        }
    }
}

/// The sessions a delegate now chooses, as `PUT …/sessions` takes them.
#[derive(Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = SessionChoices)]
pub struct SessionChoicesRequest {
    #[schema(schema_with = schemas::session_codes)]
    sessions: Vec<&'static str>,
}

impl SessionChoicesRequest {
    pub fn example() -> SessionChoicesRequest {
        SessionChoicesRequest {
            sessions: Vec::new(),
        }
    }
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
        category: view.category.as_deref(),
    }
}

fn manage_url(state: &AppState, token: &str) -> String {
    format!("{}/r/{token}", state.settings.public_url())
}

/// Register a delegate
///
/// Confirmed, or on a waiting list when the event or the country is full;
/// a full session puts only that choice on its waiting list.
#[utoipa::path(
    post,
    path = "/api/v1/events/{slug}/registrations",
    operation_id = "register",
    params(
        ("slug" = String, Path, description = "The event's slug"),
        schemas::IdempotencyKeyHeader,
    ),
    request_body(content = NewRegistrationRequest, example = json!(NewRegistrationRequest::example())),
    responses(
        BodyErrors,
        (status = 201, description = "Confirmed or waitlisted", body = RegistrationBody),
        (status = 404, response = NotFound),
        (status = 409, response = Conflict),
        (status = 429, response = RateLimited),
        (status = 503, response = Unavailable),
    ),
)]
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
    // A JSON registration has no private token yet to send a file with:
    // a file question is answered afterwards (`POST …/files`, then
    // `PUT …/answers`), so it is not required here; a file id given is
    // refused, since no file of this registration exists.
    let rules: Vec<_> = snapshot
        .questions
        .iter()
        .map(|question| {
            let mut rule = question.rule();
            rule.required &= rule.kind != QuestionType::File;
            rule
        })
        .collect();
    let applicant = raw
        .parse(
            default_language,
            first_public(&snapshot.categories).map(|category| category.code.as_str()),
            &rules,
        )
        .map_err(AppError::Validation)?;
    let registered = state
        .registrar
        .register(
            event.clone(),
            registration::Offer {
                sessions: &snapshot.sessions,
                questions: &snapshot.questions,
                categories: &snapshot.categories,
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
    // Visible ASCII and inner spaces: what the document states, and what a
    // header carries unchanged through proxies.
    let key = header
        .to_str()
        .ok()
        .map(str::trim)
        .filter(|key| {
            (1..=255).contains(&key.len()) && key.bytes().all(|byte| (b' '..=b'~').contains(&byte))
        })
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

/// A registration by its private token
#[utoipa::path(
    get,
    path = "/api/v1/registrations/{token}",
    operation_id = "show_registration",
    params(("token" = String, Path, description = "The private token of the delegate's page")),
    responses(
        (status = 200, description = "The registration", body = RegistrationBody),
        (status = 404, response = NotFound),
        (status = 503, response = Unavailable),
    ),
)]
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

/// Cancel; freed places go to the waiting lists at once
#[utoipa::path(
    post,
    path = "/api/v1/registrations/{token}/cancel",
    operation_id = "cancel_registration",
    params(("token" = String, Path, description = "The private token of the delegate's page")),
    responses(
        (status = 415, response = UnsupportedMediaType),
        (status = 200, description = "The cancelled registration", body = RegistrationBody),
        (status = 404, response = NotFound),
        (status = 409, response = Conflict),
        (status = 503, response = Unavailable),
    ),
)]
pub async fn cancel(
    state: web::Data<AppState>,
    token: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let mut conn = state.pool.get().await?;
    let url = manage_url(&state, &token);
    let view = registration::cancel(&mut conn, &token, &url, Utc::now()).await?;
    Ok(HttpResponse::Ok().json(registration_body(&view, url)))
}

/// What following a verification link did.
#[derive(Serialize, ToSchema)]
#[schema(as = Verification)]
struct VerificationBody<'a> {
    /// The booking code delegates quote, e.g. `DKR-7K3QX`
    reference: &'a str,
    /// `confirmed` for a place that was held; `waitlisted` keeps its turn
    #[schema(schema_with = schemas::registration_status)]
    status: &'a str,
    /// False when the address was confirmed already (a second click)
    verified_now: bool,
}

/// Confirm the email address of a registration (events that verify emails)
///
/// The token is the one of the link in the registration's first email,
/// not the private token. A place held for the delegate is confirmed; a
/// waiting registration keeps its turn, and will be confirmed at once when
/// promoted. Confirming twice answers the same. A hold that ran out is a
/// cancelled registration: 409.
#[utoipa::path(
    post,
    path = "/api/v1/verify/{token}",
    params(("token" = String, Path, description = "The token of the verification link")),
    responses(
        (status = 415, response = UnsupportedMediaType),
        (status = 200, description = "The address is confirmed", body = VerificationBody),
        (status = 404, response = NotFound),
        (status = 409, response = Conflict),
        (status = 503, response = Unavailable),
    ),
)]
pub async fn verify(
    state: web::Data<AppState>,
    token: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let mut conn = state.pool.get().await?;
    let verified = registration::verify::verify(&mut conn, &token, Utc::now()).await?;
    let registration = &verified.view.registration;
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .json(VerificationBody {
            reference: &registration.reference,
            status: registration.status.as_str(),
            verified_now: verified.now,
        }))
}

/// An address that lost its verification link, as `POST …/verification`
/// takes it.
#[derive(Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = LinkRequest)]
pub struct LinkRequest {
    /// The address the delegate registered with
    #[schema(schema_with = schemas::email)]
    email: &'static str,
}

impl LinkRequest {
    pub fn example() -> LinkRequest {
        LinkRequest {
            email: "aminata@example.org",
        }
    }
}

/// The answer to a request for a new link: the same whatever the address.
#[derive(Serialize, ToSchema)]
#[schema(as = LinkRequested)]
struct LinkRequestedBody {
    message: &'static str,
}

/// Ask for a new verification link (events that verify emails)
///
/// Answered alike whether or not the address is registered, so that
/// nobody learns who is. A live registration of the event with this
/// address, still awaiting its confirmation, is sent a `verification`
/// email at most once in 10 minutes; its earlier links stop working.
#[utoipa::path(
    post,
    path = "/api/v1/events/{slug}/verification",
    params(("slug" = String, Path, description = "The event's slug")),
    request_body(content = LinkRequest, example = json!(LinkRequest::example())),
    responses(
        BodyErrors,
        (status = 202, description = "Sent if the address awaits its confirmation", body = LinkRequestedBody),
        (status = 404, response = NotFound),
        (status = 503, response = Unavailable),
    ),
)]
pub async fn ask_for_link(
    state: web::Data<AppState>,
    slug: web::Path<String>,
    payload: web::Payload,
) -> Result<HttpResponse, AppError> {
    let body = input::json_body(&state, payload).await?;
    let mut fields = JsonFields::new(&body, &["email"])?;
    let typed = fields.text("email");
    fields.finish()?;
    let email = crate::domain::EmailAddress::parse(typed.unwrap_or_default()).map_err(|error| {
        AppError::field("email", input::keyed(error.message_key(), error.max()))
    })?;
    let mut conn = state.pool.get().await?;
    let event = crate::db::events::find_by_slug(&mut conn, &slug)
        .await?
        .filter(|event| event.verifying.is_on())
        .ok_or(AppError::NotFound("event"))?;
    let public_url = state.settings.public_url();
    registration::verify::send_link_again(&mut conn, event.id, &email, public_url, Utc::now())
        .await?;
    Ok(HttpResponse::Accepted().json(LinkRequestedBody {
        message: "If a registration of this event awaits the confirmation of this address, a new link is on its way to it.",
    }))
}

/// Change the chosen sessions
#[utoipa::path(
    put,
    path = "/api/v1/registrations/{token}/sessions",
    params(("token" = String, Path, description = "The private token of the delegate's page")),
    request_body(content = SessionChoicesRequest, example = json!(SessionChoicesRequest::example())),
    responses(
        BodyErrors,
        (status = 200, description = "The registration", body = RegistrationBody),
        (status = 404, response = NotFound),
        (status = 409, response = Conflict),
        (status = 503, response = Unavailable),
    ),
)]
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
    // An object of `sessions` alone, as the document says: another field is
    // refused, not ignored.
    JsonFields::new(json, &["sessions"])?.finish()?;
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

/// A delegate's answers to the event's questions, as `PUT …/answers` takes
/// them: the whole map, by question code.
#[derive(Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = AnswersChange)]
pub struct AnswersRequest {
    #[schema(value_type = std::collections::BTreeMap<String, serde_json::Value>)]
    answers: serde_json::Value,
}

impl AnswersRequest {
    pub fn example() -> AnswersRequest {
        AnswersRequest {
            answers: serde_json::json!({}),
        }
    }
}

/// A delegate's answers
#[utoipa::path(
    get,
    path = "/api/v1/registrations/{token}/answers",
    operation_id = "show_answers",
    params(("token" = String, Path, description = "The private token of the delegate's page")),
    responses(
        (status = 200, description = "The answers, by question code", body = AnswersBody),
        (status = 404, response = NotFound),
        (status = 503, response = Unavailable),
    ),
)]
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

/// Change a delegate's answers
///
/// The whole map: a question left out is no longer answered. Errors name
/// `answers.<code>`.
#[utoipa::path(
    put,
    path = "/api/v1/registrations/{token}/answers",
    operation_id = "change_answers",
    params(("token" = String, Path, description = "The private token of the delegate's page")),
    request_body(content = AnswersRequest, example = json!(AnswersRequest::example())),
    responses(
        BodyErrors,
        (status = 200, description = "The answers, by question code", body = AnswersBody),
        (status = 404, response = NotFound),
        (status = 409, response = Conflict),
        (status = 503, response = Unavailable),
    ),
)]
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
    let answers = registration::questions::change_answers(&mut conn, &token, &given, &[]).await?;
    Ok(HttpResponse::Ok().json(AnswersBody { answers: &answers }))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FileQuery {
    /// The code of the file question the file answers
    question: String,
}

/// A file kept for a delegate: its id is the answer to give the question.
#[derive(Serialize, ToSchema)]
#[schema(as = SentFile)]
pub struct FileBody {
    id: uuid::Uuid,
    /// The kind read from the file's first bytes
    #[schema(value_type = String, example = "application/pdf")]
    content_type: &'static str,
    /// In bytes
    size: usize,
}

/// Send a file for a file question
///
/// The body is the file's bytes (any `Content-Type`: the kind is read from
/// the bytes): a PDF, a JPEG or a PNG of at most `questions.file_max_bytes`
/// (413 above it). Give the answered id as the question's answer with
/// `PUT …/answers`. An earlier file for the same question that no answer
/// names is replaced.
#[utoipa::path(
    post,
    path = "/api/v1/registrations/{token}/files",
    operation_id = "upload_file",
    params(
        ("token" = String, Path, description = "The private token of the delegate's page"),
        FileQuery,
    ),
    request_body(
        description = "The file's bytes",
        content(
            (String = "application/pdf", example = json!("%PDF-1.7\n%EOF\n")),
            (String = "image/jpeg", example = json!("JFIF: the bytes of a JPEG")),
            (String = "image/png", example = json!("PNG: the bytes of a PNG")),
            (String = "application/octet-stream", example = json!("%PDF-1.7\n%EOF\n")),
        ),
    ),
    responses(
        (status = 201, description = "The file is kept", body = FileBody),
        (status = 404, response = NotFound),
        (status = 409, response = Conflict),
        (status = 413, response = PayloadTooLarge),
        (status = 422, response = Invalid),
        (status = 503, response = Unavailable),
    ),
)]
pub async fn upload_file(
    state: web::Data<AppState>,
    token: web::Path<String>,
    query: web::Query<FileQuery>,
    payload: web::Payload,
) -> Result<HttpResponse, AppError> {
    // Nothing of the file is read for a token that names no registration
    // (a cancelled one is refused, with its reason, under its lock later).
    {
        let mut conn = state.pool.get().await?;
        crate::db::registrations::find_by_token_hash(&mut conn, &registration::hash_token(&token))
            .await?
            .ok_or(AppError::NotFound("registration"))?;
    }
    let max = state.settings.questions.file_max_bytes;
    let bytes = read_body(payload, max).await?;
    let code = query.into_inner().question;
    let upload = Upload::new(&code, bytes.to_vec(), max)
        .map_err(|error| AppError::field(&answer_field(&code), error))?;
    let mut conn = state.pool.get().await?;
    registration::questions::store_file(&mut conn, &token, &upload).await?;
    Ok(HttpResponse::Created().json(FileBody {
        id: upload.id,
        content_type: upload.kind.as_str(),
        size: upload.bytes.len(),
    }))
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
            // Anything but an object is refused as the body, and every field
            // but `sessions` as unknown, before the list is read.
            let Some(object) = body.as_object() else {
                let errors = session_codes(&body).expect_err("not an object");
                prop_assert_eq!(errors.len(), 1);
                prop_assert_eq!(errors.get("body").map(|error| error.message_id), Some("error-json-object"));
                return Ok(());
            };
            let unknown: Vec<&String> = object.keys().filter(|key| *key != "sessions").collect();
            if !unknown.is_empty() {
                let errors = session_codes(&body).expect_err("unknown fields");
                prop_assert_eq!(errors.len(), unknown.len());
                for key in unknown {
                    prop_assert_eq!(errors.get(key).map(|error| error.message_id), Some("error-unknown-field"));
                }
                return Ok(());
            }
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
