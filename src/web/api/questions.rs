//! The organisers' questions through the API: list, create, read, change,
//! delete (with `?confirm=true` once answered), and the counts per choice.
//! Reading needs a viewer, changing an organiser, as for sessions.

use actix_web::{HttpResponse, web};
use serde::Deserialize;
use serde_json::json;

use super::question_bodies::{question_body, summary_body};
use crate::db::questions::{self as store, AskedQuestion};
use crate::registration::questions as use_case;
use crate::web::auth::{Authenticated, Role};
use crate::web::input::read_body;
use crate::web::organiser_input::event_by_slug;
use crate::web::question_input::QuestionSetup;
use crate::web::{AppError, AppState};

async fn json_body(state: &AppState, payload: web::Payload) -> Result<serde_json::Value, AppError> {
    let body = read_body(payload, state.settings.http.max_body_bytes).await?;
    serde_json::from_slice(&body).map_err(|error| AppError::unreadable("body", error))
}

#[derive(Deserialize)]
pub struct QuestionPath {
    slug: String,
    code: String,
}

#[derive(Deserialize)]
pub struct DeleteQuery {
    #[serde(default)]
    confirm: bool,
}

/// `GET /api/v1/events/{slug}/questions`
pub async fn list(
    auth: Authenticated,
    state: web::Data<AppState>,
    slug: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    auth.require(Role::Viewer)?;
    let mut conn = state.pool.get().await?;
    let event = event_by_slug(&mut conn, &slug).await?;
    let questions = store::of_event(&mut conn, event.id, None).await?;
    let bodies: Vec<_> = questions.iter().map(question_body).collect();
    Ok(HttpResponse::Ok().json(json!({ "items": bodies })))
}

/// `POST /api/v1/events/{slug}/questions`
pub async fn create(
    auth: Authenticated,
    state: web::Data<AppState>,
    slug: web::Path<String>,
    payload: web::Payload,
) -> Result<HttpResponse, AppError> {
    auth.require(Role::Organiser)?;
    let body = json_body(&state, payload).await?;
    let mut conn = state.pool.get().await?;
    let event = event_by_slug(&mut conn, &slug).await?;
    let others = store::of_event(&mut conn, event.id, None).await?;
    let setup = QuestionSetup::parse(&body, &event, None, &others)?;
    let created = use_case::create_question(
        &mut conn,
        event.id,
        &setup.new_question(event.id),
        &setup.new_choices(),
        auth.organiser.id,
    )
    .await?
    .ok_or_else(|| AppError::Duplicate(format!("the question `{}` exists", setup.code.as_str())))?;
    Ok(HttpResponse::Created().json(question_body(&created)))
}

async fn question_of(
    state: &AppState,
    path: &QuestionPath,
) -> Result<(crate::db::events::Event, AskedQuestion), AppError> {
    let mut conn = state.pool.get().await?;
    let event = event_by_slug(&mut conn, &path.slug).await?;
    let question = store::find(&mut conn, event.id, &path.code)
        .await?
        .ok_or(AppError::NotFound("question"))?;
    Ok((event, question))
}

/// `GET /api/v1/events/{slug}/questions/{code}`
pub async fn show(
    auth: Authenticated,
    state: web::Data<AppState>,
    path: web::Path<QuestionPath>,
) -> Result<HttpResponse, AppError> {
    auth.require(Role::Viewer)?;
    let (_, question) = question_of(&state, &path).await?;
    Ok(HttpResponse::Ok().json(question_body(&question)))
}

/// `PUT /api/v1/events/{slug}/questions/{code}`: the whole set-up, as it is
/// created (the code and the type may be left out, not changed).
pub async fn update(
    auth: Authenticated,
    state: web::Data<AppState>,
    path: web::Path<QuestionPath>,
    payload: web::Payload,
) -> Result<HttpResponse, AppError> {
    auth.require(Role::Organiser)?;
    let body = json_body(&state, payload).await?;
    let (event, question) = question_of(&state, &path).await?;
    let mut conn = state.pool.get().await?;
    let others: Vec<AskedQuestion> = store::of_event(&mut conn, event.id, None)
        .await?
        .into_iter()
        .filter(|other| other.question.id != question.question.id)
        .collect();
    let setup = QuestionSetup::parse(&body, &event, Some(&question), &others)?;
    let changed = use_case::update_question(
        &mut conn,
        event.id,
        question.question.id,
        &setup.new_question(event.id),
        &setup.new_choices(),
        auth.organiser.id,
    )
    .await
    .map_err(|error| match error {
        crate::registration::RegistrationError::NotFound => AppError::NotFound("question"),
        other => other.into(),
    })?;
    Ok(HttpResponse::Ok().json(question_body(&changed)))
}

/// `DELETE /api/v1/events/{slug}/questions/{code}[?confirm=true]`
pub async fn delete(
    auth: Authenticated,
    state: web::Data<AppState>,
    path: web::Path<QuestionPath>,
    query: web::Query<DeleteQuery>,
) -> Result<HttpResponse, AppError> {
    auth.require(Role::Organiser)?;
    let mut conn = state.pool.get().await?;
    let event = event_by_slug(&mut conn, &path.slug).await?;
    use_case::delete_question(
        &mut conn,
        &event,
        &path.code,
        query.confirm,
        auth.organiser.id,
    )
    .await
    .map_err(|error| match error {
        crate::registration::RegistrationError::NotFound => AppError::NotFound("question"),
        other => other.into(),
    })?;
    Ok(HttpResponse::NoContent().finish())
}

/// `GET /api/v1/events/{slug}/questions/{code}/summary`
pub async fn summary(
    auth: Authenticated,
    state: web::Data<AppState>,
    path: web::Path<QuestionPath>,
) -> Result<HttpResponse, AppError> {
    auth.require(Role::Viewer)?;
    let (_, question) = question_of(&state, &path).await?;
    let mut conn = state.pool.get().await?;
    let answered = store::live_answer_count(&mut conn, question.question.id).await?;
    let by_country = store::choice_counts_by_country(&mut conn, question.question.id).await?;
    Ok(HttpResponse::Ok().json(summary_body(&question, answered, by_country)))
}
