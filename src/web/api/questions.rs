//! The organisers' questions through the API: list, create, read, change,
//! delete (with `?confirm=true` once answered), and the counts per choice.
//! Reading needs a viewer of the event, changing an organiser of it, as
//! for sessions ([`OnEvent`]).

use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::{IntoParams, ToSchema};

use super::openapi::{BodyErrors, Conflict, Invalid, OrganiserErrors, schemas};
use super::question_bodies::{QuestionBody, SummaryBody, question_body, summary_body};
use crate::db::PooledConnection;
use crate::db::events::Event;
use crate::db::questions::{self as store, AskedQuestion};
use crate::domain::Preset;
use crate::registration::questions as use_case;
use crate::web::access::OnEvent;
use crate::web::access::needs::{Changes, Reading};
use crate::web::input::json_body;
use crate::web::question_input::{QuestionSetup, add_preset as add_preset_questions, preset_of};
use crate::web::{AppError, AppState};

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct QuestionPath {
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
    /// After this moment (RFC 3339) a delegate may no longer change the
    /// answer; organisers still may. Null for no end.
    #[schema(value_type = Option<String>, format = DateTime)]
    answers_until: Option<&'static str>,
    /// The answers (and files) are deleted this many days after the
    /// event's last day (0 to 3650); null keeps them until `anonymise`.
    #[schema(minimum = 0, maximum = 3650)]
    purge_after_days: Option<i32>,
    /// The participant categories asked (codes of the event's
    /// categories); empty or left out: every registration.
    categories: Option<Vec<&'static str>>,
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
            answers_until: Some("2027-11-01T00:00:00Z"),
            purge_after_days: Some(30),
            categories: Some(Vec::new()),
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
    OnEvent {
        event, mut conn, ..
    }: OnEvent<Reading>,
) -> Result<HttpResponse, AppError> {
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
    let others = store::of_event(&mut conn, event.id, None).await?;
    let categories = crate::db::categories::of_event(&mut conn, event.id).await?;
    let setup = QuestionSetup::parse(&body, &event, None, &others, &categories)?;
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

/// The question a path names in its event, read on the request's one
/// connection.
async fn question_of(
    conn: &mut PooledConnection,
    event: &Event,
    path: &QuestionPath,
) -> Result<AskedQuestion, AppError> {
    store::find(conn, event.id, &path.code)
        .await?
        .ok_or(AppError::NotFound("question"))
}

/// A question
#[utoipa::path(
    get,
    path = "/api/v1/events/{slug}/questions/{code}",
    operation_id = "show_question",
    security(("bearer" = [])),
    params(("slug" = String, Path, description = "The event's slug"), QuestionPath),
    responses(
        (status = 200, description = "The question", body = QuestionBody),
        OrganiserErrors,
    ),
)]
pub async fn show(
    OnEvent {
        event, mut conn, ..
    }: OnEvent<Reading>,
    path: web::Path<QuestionPath>,
) -> Result<HttpResponse, AppError> {
    let question = question_of(&mut conn, &event, &path).await?;
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
    params(("slug" = String, Path, description = "The event's slug"), QuestionPath),
    request_body(content = QuestionRequest, example = json!(QuestionRequest::example())),
    responses(
        BodyErrors,
        (status = 200, description = "The question", body = QuestionBody),
        (status = 409, response = Conflict),
        OrganiserErrors,
    ),
)]
pub async fn update(
    OnEvent {
        auth,
        event,
        mut conn,
        ..
    }: OnEvent<Changes>,
    state: web::Data<AppState>,
    path: web::Path<QuestionPath>,
    payload: web::Payload,
) -> Result<HttpResponse, AppError> {
    let body = json_body(&state, payload).await?;
    let question = question_of(&mut conn, &event, &path).await?;
    let others: Vec<AskedQuestion> = store::of_event(&mut conn, event.id, None)
        .await?
        .into_iter()
        .filter(|other| other.question.id != question.question.id)
        .collect();
    let categories = crate::db::categories::of_event(&mut conn, event.id).await?;
    let setup = QuestionSetup::parse(&body, &event, Some(&question), &others, &categories)?;
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
    params(("slug" = String, Path, description = "The event's slug"), QuestionPath, DeleteQuery),
    responses(
        (status = 204, description = "Deleted"),
        (status = 409, response = Conflict),
        (status = 422, response = Invalid),
        OrganiserErrors,
    ),
)]
pub async fn delete(
    OnEvent {
        auth,
        event,
        mut conn,
        ..
    }: OnEvent<Changes>,
    path: web::Path<QuestionPath>,
    query: web::Query<DeleteQuery>,
) -> Result<HttpResponse, AppError> {
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
    params(("slug" = String, Path, description = "The event's slug"), QuestionPath),
    responses(
        (status = 200, description = "The counts", body = SummaryBody),
        OrganiserErrors,
    ),
)]
pub async fn summary(
    OnEvent {
        event, mut conn, ..
    }: OnEvent<Reading>,
    path: web::Path<QuestionPath>,
) -> Result<HttpResponse, AppError> {
    let question = question_of(&mut conn, &event, &path).await?;
    let answered = store::live_answer_count(&mut conn, question.question.id).await?;
    let by_country = store::choice_counts_by_country(&mut conn, question.question.id).await?;
    Ok(HttpResponse::Ok().json(summary_body(&question, answered, by_country)))
}

/// A preset, and the questions it adds to this event.
#[derive(Serialize, ToSchema)]
#[schema(as = QuestionPreset)]
struct PresetBody {
    #[schema(schema_with = schemas::question_preset)]
    preset: &'static str,
    /// The codes of the questions it adds, in their order.
    codes: Vec<&'static str>,
    /// The questions' set-ups, worded in the four languages (those the
    /// event lacks are left out when it is added).
    #[schema(value_type = Vec<Object>)]
    questions: Vec<serde_json::Value>,
}

#[derive(Serialize, ToSchema)]
#[schema(as = QuestionPresets)]
struct PresetsBody {
    items: Vec<PresetBody>,
}

/// `{"preset": "diet"}`
#[derive(Serialize, ToSchema)]
#[schema(as = PresetRequest)]
pub struct PresetRequest {
    #[schema(schema_with = schemas::question_preset)]
    preset: &'static str,
}

/// The questions a preset added.
#[derive(Serialize, ToSchema)]
#[schema(as = PresetQuestions)]
struct AddedBody<'a> {
    items: Vec<QuestionBody<'a>>,
}

/// The ready-made questions
#[utoipa::path(
    get,
    path = "/api/v1/events/{slug}/question-presets",
    operation_id = "list_question_presets",
    security(("bearer" = [])),
    params(("slug" = String, Path, description = "The event's slug")),
    responses(
        (status = 200, description = "The presets, with the questions each adds", body = PresetsBody),
        OrganiserErrors,
    ),
)]
pub async fn presets(OnEvent { event, .. }: OnEvent<Reading>) -> Result<HttpResponse, AppError> {
    let items = Preset::ALL
        .iter()
        .map(|&preset| PresetBody {
            preset: preset.as_str(),
            codes: preset.codes().to_vec(),
            questions: preset.questions(event.starts_on, event.ends_on),
        })
        .collect();
    Ok(HttpResponse::Ok().json(PresetsBody { items }))
}

/// Add a preset's questions
///
/// After the event's questions, in the event's languages. A code the
/// event already asks is a 422 on `preset`.
#[utoipa::path(
    post,
    path = "/api/v1/events/{slug}/question-presets",
    operation_id = "add_question_preset",
    security(("bearer" = [])),
    params(("slug" = String, Path, description = "The event's slug")),
    request_body(content = PresetRequest, example = json!(PresetRequest { preset: "diet" })),
    responses(
        BodyErrors,
        (status = 201, description = "The questions added", body = AddedBody),
        (status = 409, response = Conflict),
        OrganiserErrors,
    ),
)]
pub async fn add_preset(
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
    let preset = preset_of(&body)?;
    let created = add_preset_questions(&mut conn, &event, preset, auth.organiser.id).await?;
    Ok(HttpResponse::Created().json(AddedBody {
        items: created.iter().map(question_body).collect(),
    }))
}
