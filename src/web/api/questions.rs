//! The organisers' questions through the API: list, create, read, change,
//! delete (with `?confirm=true` once answered), and the counts per choice.
//! Reading needs a viewer, changing an organiser, as for sessions.

use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::{IntoParams, ToSchema};

use super::openapi::{BodyErrors, Conflict, Invalid, OrganiserErrors, schemas};
use super::question_bodies::{QuestionBody, SummaryBody, question_body, summary_body};
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

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct QuestionPath {
    /// The event's slug
    slug: String,
    /// The question's code
    code: String,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DeleteQuery {
    /// Needed to delete a question that has answers.
    #[serde(default)]
    confirm: bool,
}

/// A question's set-up as `POST` and `PUT …/questions` take it (read by
/// `QuestionSetup`; API.md "Questions"). Every field may be left out here:
/// which ones a type needs (choices for a choice, a range for a number) is
/// the set-up's rule, answered field by field in a 422.
#[derive(Serialize, ToSchema)]
#[schema(as = QuestionSetup)]
pub struct QuestionRequest {
    code: Option<&'static str>,
    #[serde(rename = "type")]
    #[schema(schema_with = schemas::question_type)]
    kind: &'static str,
    /// The label per event language
    #[schema(value_type = Option<std::collections::BTreeMap<String, String>>)]
    labels: Option<serde_json::Value>,
    #[schema(value_type = Option<std::collections::BTreeMap<String, String>>)]
    help: Option<serde_json::Value>,
    required: Option<bool>,
    position: Option<i32>,
    sensitive: Option<bool>,
    #[schema(schema_with = schemas::question_stage)]
    stage: &'static str,
    #[schema(value_type = Option<Vec<ChoiceRequest>>)]
    choices: Option<Vec<ChoiceRequest>>,
    #[schema(value_type = Option<ConditionRequest>)]
    condition: Option<ConditionRequest>,
    /// A number's or a date's lower bound
    #[schema(value_type = Option<serde_json::Value>)]
    min: Option<serde_json::Value>,
    /// A number's or a date's upper bound
    #[schema(value_type = Option<serde_json::Value>)]
    max: Option<serde_json::Value>,
}

/// A choice of a question's set-up; `capacity` null or left out for no limit.
#[derive(Serialize, ToSchema)]
#[schema(as = ChoiceSetup)]
pub struct ChoiceRequest {
    code: &'static str,
    #[schema(value_type = Option<std::collections::BTreeMap<String, String>>)]
    labels: Option<serde_json::Value>,
    capacity: Option<i32>,
}

/// "Only ask if `question` was answered with one of `any_of`."
#[derive(Serialize, ToSchema)]
#[schema(as = ConditionSetup)]
pub struct ConditionRequest {
    question: &'static str,
    any_of: Vec<&'static str>,
}

impl QuestionRequest {
    pub fn example() -> QuestionRequest {
        QuestionRequest {
            code: Some("diet"),
            kind: "single_choice",
            labels: Some(json!({"fr": "Régime alimentaire", "en": "Dietary requirements"})),
            help: None,
            required: Some(true),
            position: Some(1),
            sensitive: Some(false),
            stage: "registration",
            choices: Some(vec![
                ChoiceRequest {
                    code: "none",
                    labels: Some(json!({"fr": "Aucun", "en": "None"})),
                    capacity: None,
                },
                ChoiceRequest {
                    code: "veg",
                    labels: Some(json!({"fr": "Végétarien", "en": "Vegetarian"})),
                    capacity: None,
                },
            ]),
            condition: None,
            min: None,
            max: None,
        }
    }
}

/// The questions of an event.
#[derive(Serialize, ToSchema)]
#[schema(as = Questions)]
struct QuestionsBody<'a> {
    items: Vec<QuestionBody<'a>>,
}

/// The questions of an event
#[utoipa::path(
    get,
    path = "/api/v1/events/{slug}/questions",
    operation_id = "list_questions",
    security(("bearer" = [])),
    params(("slug" = String, Path, description = "The event's slug")),
    responses(
        (status = 200, description = "The questions, in their order", body = QuestionsBody),
        OrganiserErrors,
    ),
)]
pub async fn list(
    auth: Authenticated,
    state: web::Data<AppState>,
    slug: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    auth.require(Role::Viewer)?;
    let mut conn = state.pool.get().await?;
    let event = event_by_slug(&mut conn, &slug).await?;
    let questions = store::of_event(&mut conn, event.id, None).await?;
    Ok(HttpResponse::Ok().json(QuestionsBody {
        items: questions.iter().map(question_body).collect(),
    }))
}

/// Create a question
#[utoipa::path(
    post,
    path = "/api/v1/events/{slug}/questions",
    operation_id = "create_question",
    security(("bearer" = [])),
    params(("slug" = String, Path, description = "The event's slug")),
    request_body(content = QuestionRequest, example = json!(QuestionRequest::example())),
    responses(
        BodyErrors,
        (status = 201, description = "The question", body = QuestionBody),
        (status = 409, response = Conflict),
        OrganiserErrors,
    ),
)]
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

/// The event and the question a path names, read on the request's one
/// connection.
async fn question_of(
    conn: &mut crate::db::PooledConnection,
    path: &QuestionPath,
) -> Result<(crate::db::events::Event, AskedQuestion), AppError> {
    let event = event_by_slug(conn, &path.slug).await?;
    let question = store::find(conn, event.id, &path.code)
        .await?
        .ok_or(AppError::NotFound("question"))?;
    Ok((event, question))
}

/// A question
#[utoipa::path(
    get,
    path = "/api/v1/events/{slug}/questions/{code}",
    operation_id = "show_question",
    security(("bearer" = [])),
    params(QuestionPath),
    responses(
        (status = 200, description = "The question", body = QuestionBody),
        OrganiserErrors,
    ),
)]
pub async fn show(
    auth: Authenticated,
    state: web::Data<AppState>,
    path: web::Path<QuestionPath>,
) -> Result<HttpResponse, AppError> {
    auth.require(Role::Viewer)?;
    let mut conn = state.pool.get().await?;
    let (_, question) = question_of(&mut conn, &path).await?;
    Ok(HttpResponse::Ok().json(question_body(&question)))
}

/// Change a question
///
/// The whole set-up, as it is created (the code and the type may be left
/// out, not changed).
#[utoipa::path(
    put,
    path = "/api/v1/events/{slug}/questions/{code}",
    operation_id = "update_question",
    security(("bearer" = [])),
    params(QuestionPath),
    request_body(content = QuestionRequest, example = json!(QuestionRequest::example())),
    responses(
        BodyErrors,
        (status = 200, description = "The question", body = QuestionBody),
        (status = 409, response = Conflict),
        OrganiserErrors,
    ),
)]
pub async fn update(
    auth: Authenticated,
    state: web::Data<AppState>,
    path: web::Path<QuestionPath>,
    payload: web::Payload,
) -> Result<HttpResponse, AppError> {
    auth.require(Role::Organiser)?;
    let body = json_body(&state, payload).await?;
    let mut conn = state.pool.get().await?;
    let (event, question) = question_of(&mut conn, &path).await?;
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

/// Delete a question
///
/// A question with answers needs `?confirm=true` (else a 422 on `confirm`).
#[utoipa::path(
    delete,
    path = "/api/v1/events/{slug}/questions/{code}",
    operation_id = "delete_question",
    security(("bearer" = [])),
    params(QuestionPath, DeleteQuery),
    responses(
        (status = 204, description = "Deleted"),
        (status = 409, response = Conflict),
        (status = 422, response = Invalid),
        OrganiserErrors,
    ),
)]
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

/// A question's counts
///
/// Live registrations that answered, and the count of each choice, in all
/// and per delegates' country.
#[utoipa::path(
    get,
    path = "/api/v1/events/{slug}/questions/{code}/summary",
    operation_id = "question_summary",
    security(("bearer" = [])),
    params(QuestionPath),
    responses(
        (status = 200, description = "The counts", body = SummaryBody),
        OrganiserErrors,
    ),
)]
pub async fn summary(
    auth: Authenticated,
    state: web::Data<AppState>,
    path: web::Path<QuestionPath>,
) -> Result<HttpResponse, AppError> {
    auth.require(Role::Viewer)?;
    let mut conn = state.pool.get().await?;
    let (_, question) = question_of(&mut conn, &path).await?;
    let answered = store::live_answer_count(&mut conn, question.question.id).await?;
    let by_country = store::choice_counts_by_country(&mut conn, question.question.id).await?;
    Ok(HttpResponse::Ok().json(summary_body(&question, answered, by_country)))
}
