use actix_web::{HttpResponse, web};
use chrono::Utc;
use serde::Serialize;
use utoipa::ToSchema;

use super::openapi::{NotFound, Unavailable, schemas};
use super::question_bodies::{PublicQuestionBody, public_question_body};
use crate::db::categories::Category;
use crate::db::events::{CountryQuota, Event, Session};
use crate::db::questions::AskedQuestion;
use crate::domain::Language;
use crate::web::{AppError, AppState};

/// An event with the places left (`capacity` and `remaining` are null
/// where unlimited).
#[derive(Serialize, ToSchema)]
#[schema(as = Event)]
pub(crate) struct EventBody<'a> {
    slug: &'a str,
    name: &'a str,
    #[schema(schema_with = schemas::stored_texts)]
    names: &'a serde_json::Value,
    description: &'a str,
    #[schema(schema_with = schemas::stored_texts)]
    descriptions: &'a serde_json::Value,
    starts_on: chrono::NaiveDate,
    ends_on: chrono::NaiveDate,
    timezone: &'a str,
    #[schema(schema_with = schemas::languages)]
    languages: &'a [String],
    registration: Window,
    #[schema(required = true)]
    capacity: Option<i32>,
    #[schema(required = true)]
    remaining: Option<i32>,
    #[schema(required = true)]
    default_country_capacity: Option<i32>,
    /// `email`: a place is held until its address is confirmed
    #[schema(schema_with = schemas::verification_word)]
    verification: &'a str,
    /// How long a place waits for its address to be confirmed
    verification_hours: i32,
    /// A registration awaiting approval holds the places it was given
    pending_holds_place: bool,
    /// The reasons organisers may give for a rejection: the built-in ones,
    /// then the event's own, each worded in the event's languages
    rejection_reasons: Vec<ReasonBody>,
    sessions: Vec<SessionBody<'a>>,
    countries: Vec<CountryBody<'a>>,
}

/// A reason for a rejection, worded by language.
#[derive(Serialize, ToSchema)]
#[schema(as = RejectionReason)]
struct ReasonBody {
    code: String,
    #[schema(value_type = std::collections::BTreeMap<String, String>)]
    texts: serde_json::Map<String, serde_json::Value>,
}

/// When registration opens and closes, and whether it is open now.
#[derive(Serialize, ToSchema)]
struct Window {
    opens_at: chrono::DateTime<Utc>,
    closes_at: chrono::DateTime<Utc>,
    open: bool,
}

/// A session with the seats left.
#[derive(Serialize, ToSchema)]
#[schema(as = Session)]
pub(super) struct SessionBody<'a> {
    code: &'a str,
    title: &'a str,
    #[schema(schema_with = schemas::stored_texts)]
    titles: &'a serde_json::Value,
    description: &'a str,
    #[schema(schema_with = schemas::stored_texts)]
    descriptions: &'a serde_json::Value,
    #[schema(schema_with = schemas::session_kind)]
    kind: &'a str,
    room: &'a str,
    starts_at: chrono::DateTime<Utc>,
    ends_at: chrono::DateTime<Utc>,
    #[schema(required = true)]
    capacity: Option<i32>,
    #[schema(required = true)]
    remaining: Option<i32>,
}

/// A country's quota and the places left in it.
#[derive(Serialize, ToSchema)]
#[schema(as = Country)]
struct CountryBody<'a> {
    #[schema(schema_with = schemas::country)]
    code: &'a str,
    #[schema(required = true)]
    capacity: Option<i32>,
    #[schema(required = true)]
    remaining: Option<i32>,
}

/// The public event JSON: the event, and the questions of its registration
/// form with their texts in `language`.
#[derive(Serialize, ToSchema)]
#[schema(as = PublicEvent)]
pub(crate) struct PublicEventBody<'a> {
    #[serde(flatten)]
    event: EventBody<'a>,
    questions: Vec<PublicQuestionBody<'a>>,
    /// The participant categories delegates may choose, the default
    /// first; absent for an event without categories.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    categories: Vec<PublicCategoryBody<'a>>,
}

/// A category a delegate may register in (`"category": code`).
#[derive(Serialize, ToSchema)]
#[schema(as = PublicCategory)]
struct PublicCategoryBody<'a> {
    code: &'a str,
    /// Its name in the language asked for
    name: &'a str,
    #[schema(required = true)]
    capacity: Option<i32>,
    /// Places left, or null when unlimited
    #[schema(required = true)]
    remaining: Option<i32>,
}

pub(crate) fn public_event_body<'a>(
    event: &'a Event,
    sessions: &'a [Session],
    countries: &'a [CountryQuota],
    questions: &'a [AskedQuestion],
    categories: &'a [Category],
    language: &str,
) -> PublicEventBody<'a> {
    let fallback = event.first_language().code();
    PublicEventBody {
        event: event_body(event, sessions, countries),
        questions: questions
            .iter()
            .map(|question| public_question_body(question, language, fallback))
            .collect(),
        categories: categories
            .iter()
            .filter(|category| category.public)
            .map(|category| PublicCategoryBody {
                code: &category.code,
                name: category.name_in(language),
                capacity: category.capacity,
                remaining: category.quota().places.remaining(),
            })
            .collect(),
    }
}

#[derive(serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ShowQuery {
    /// The language of the questions' texts (else the event's first).
    lang: Option<String>,
}

/// An event with the places left
///
/// The event, its sessions and its countries' quotas, with the places left
/// in each.
#[utoipa::path(
    get,
    path = "/api/v1/events/{slug}",
    operation_id = "show_event",
    params(("slug" = String, Path, description = "The event's slug"), ShowQuery),
    responses(
        (status = 200, description = "The event and its registration form's questions, their texts in `lang` (else the event's first language)", body = PublicEventBody),
        (status = 404, response = NotFound),
        (status = 503, response = Unavailable),
    ),
)]
pub async fn show(
    state: web::Data<AppState>,
    slug: web::Path<String>,
    query: web::Query<ShowQuery>,
) -> Result<HttpResponse, AppError> {
    let snapshot = state.events.get(&state.pool, &slug).await?;
    let language = query
        .lang
        .as_deref()
        .and_then(|code| Language::parse(code).ok())
        .filter(|language| *language != snapshot.event.first_language());
    let mut response = HttpResponse::Ok();
    response.content_type(actix_web::http::header::ContentType::json());
    let Some(language) = language else {
        return Ok(response.body(snapshot.api_body.clone()));
    };
    let body = public_event_body(
        &snapshot.event,
        &snapshot.sessions,
        &snapshot.countries,
        &snapshot.questions,
        &snapshot.categories,
        language.code(),
    );
    let bytes = serde_json::to_vec(&body).map_err(|error| AppError::Internal(error.into()))?;
    Ok(response.body(bytes))
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
        verification: event.verifying.verification.as_str(),
        verification_hours: event.verifying.verification_hours,
        pending_holds_place: event.approving.pending_holds_place,
        rejection_reasons: crate::registration::approval::rejection_reasons(event)
            .into_iter()
            .map(|code| {
                let texts = event
                    .languages
                    .iter()
                    .filter_map(|code| Language::parse(code).ok())
                    .map(|language| {
                        let text =
                            crate::registration::approval::reason_text(event, &code, language);
                        (language.code().to_owned(), serde_json::Value::from(text))
                    })
                    .collect();
                ReasonBody { code, texts }
            })
            .collect(),
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
