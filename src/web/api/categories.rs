//! An event's participant categories through the API: list, create, read,
//! change, delete. Reading needs a viewer of the event, changing an
//! organiser of it ([`OnEvent`]). A change the event's registrations stand
//! in the way of (a capacity below the places taken, a category in use) is
//! a 409 `conflict`: the request is right, the state refuses it.

use actix_web::{HttpResponse, web};
use chrono::Utc;
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::{IntoParams, ToSchema};

use super::openapi::{BodyErrors, Conflict, OrganiserErrors, schemas};
use super::organiser::{AttendeeBody, RegistrationPath, listed};
use crate::db::PooledConnection;
use crate::db::categories::{self as store, Category};
use crate::db::events::Event;
use crate::registration::RegistrationError;
use crate::registration::categories as use_case;
use crate::web::access::OnEvent;
use crate::web::access::needs::{Changes, Reading};
use crate::web::category_input::CategorySetup;
use crate::web::input::json_body;
use crate::web::json_fields::JsonFields;
use crate::web::{AppError, AppState};

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct CategoryPath {
    /// The category's code
    code: String,
}

/// A category's set-up as `POST …/categories` takes it; every field but
/// `code` and `names` may be left out.
#[derive(Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = CategorySetup)]
pub struct CategoryRequest {
    #[schema(schema_with = schemas::category_code)]
    code: &'static str,
    #[schema(schema_with = schemas::category_names)]
    names: serde_json::Value,
    #[schema(schema_with = schemas::optional_boolean)]
    counts_in_quotas: Option<bool>,
    #[schema(schema_with = schemas::capacity)]
    capacity: Option<i32>,
    #[schema(schema_with = schemas::optional_boolean)]
    public: Option<bool>,
    #[schema(schema_with = schemas::position)]
    position: Option<i32>,
    /// Its registrations wait for an organiser's decision (default false)
    #[schema(schema_with = schemas::optional_boolean)]
    needs_approval: Option<bool>,
}

/// A category's set-up as `PUT …/categories/{code}` takes it: the whole
/// set-up but the code, which the path names and which never changes.
#[derive(Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = CategoryChange)]
pub struct CategoryChangeRequest {
    /// The name per event language
    #[schema(schema_with = schemas::category_names)]
    names: serde_json::Value,
    /// Its places count against the event's capacity and the country
    /// quotas too (default true); fixed once a registration uses it.
    #[schema(schema_with = schemas::optional_boolean)]
    counts_in_quotas: Option<bool>,
    /// Its own places
    #[schema(schema_with = schemas::capacity)]
    capacity: Option<i32>,
    /// Delegates may choose it on the form (default true); otherwise only
    /// organisers assign it.
    #[schema(schema_with = schemas::optional_boolean)]
    public: Option<bool>,
    #[schema(schema_with = schemas::position)]
    position: Option<i32>,
    /// Its registrations wait for an organiser's decision (default false)
    #[schema(schema_with = schemas::optional_boolean)]
    needs_approval: Option<bool>,
}

impl CategoryChangeRequest {
    fn example() -> CategoryChangeRequest {
        CategoryChangeRequest {
            names: json!({"fr": "Observateur·rice", "en": "Observer"}),
            counts_in_quotas: Some(false),
            capacity: Some(50),
            public: Some(true),
            position: Some(2),
            needs_approval: Some(true),
        }
    }
}

impl CategoryRequest {
    fn example() -> CategoryRequest {
        let CategoryChangeRequest {
            names,
            counts_in_quotas,
            capacity,
            public,
            position,
            needs_approval,
        } = CategoryChangeRequest::example();
        CategoryRequest {
            code: "observer",
            names,
            counts_in_quotas,
            capacity,
            public,
            position,
            needs_approval,
        }
    }
}

/// A participant category and its counts.
#[derive(Serialize, ToSchema)]
#[schema(as = Category)]
pub struct CategoryBody<'a> {
    code: &'a str,
    #[schema(schema_with = schemas::stored_texts)]
    names: &'a serde_json::Value,
    counts_in_quotas: bool,
    #[schema(required = true)]
    capacity: Option<i32>,
    public: bool,
    position: i32,
    needs_approval: bool,
    /// Places held by its registrations
    taken: i32,
    /// Its registrations on a waiting list
    waiting: i32,
    /// Places left of its own, or null when it has no limit of its own
    #[schema(required = true)]
    remaining: Option<i32>,
}

fn category_body(category: &Category) -> CategoryBody<'_> {
    CategoryBody {
        code: &category.code,
        names: &category.names,
        counts_in_quotas: category.counts_in_quotas,
        capacity: category.capacity,
        public: category.public,
        position: category.position,
        needs_approval: category.needs_approval,
        taken: category.taken,
        waiting: category.waiting,
        remaining: category.quota().places.remaining(),
    }
}

/// The categories of an event.
#[derive(Serialize, ToSchema)]
#[schema(as = Categories)]
struct CategoriesBody<'a> {
    items: Vec<CategoryBody<'a>>,
}

/// What the event's state refused, said in English, as a 409.
fn conflict(error: RegistrationError) -> AppError {
    match error {
        RegistrationError::NotFound => AppError::NotFound("category"),
        other => AppError::state_conflict(other),
    }
}

/// The participant categories of an event
#[utoipa::path(
    get,
    path = "/api/v1/events/{slug}/categories",
    operation_id = "list_categories",
    security(("bearer" = [])),
    params(("slug" = String, Path, description = "The event's slug")),
    responses(
        (status = 200, description = "The categories, in their order", body = CategoriesBody),
        OrganiserErrors,
    ),
)]
pub async fn list(
    OnEvent {
        event, mut conn, ..
    }: OnEvent<Reading>,
) -> Result<HttpResponse, AppError> {
    let categories = store::of_event(&mut conn, event.id).await?;
    Ok(HttpResponse::Ok().json(CategoriesBody {
        items: categories.iter().map(category_body).collect(),
    }))
}

/// Create a participant category
#[utoipa::path(
    post,
    path = "/api/v1/events/{slug}/categories",
    operation_id = "create_category",
    security(("bearer" = [])),
    params(("slug" = String, Path, description = "The event's slug")),
    request_body(content = CategoryRequest, example = json!(CategoryRequest::example())),
    responses(
        BodyErrors,
        (status = 201, description = "The category", body = CategoryBody),
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
    let setup = CategorySetup::parse(&body, &event, None)?;
    let code = setup.code.as_str();
    let created = use_case::create(&mut conn, &event, code, &setup.changes, auth.organiser.id)
        .await?
        .ok_or_else(|| AppError::Duplicate(format!("the category `{code}` exists")))?;
    Ok(HttpResponse::Created().json(category_body(&created)))
}

async fn category_of(
    conn: &mut PooledConnection,
    event: &Event,
    path: &CategoryPath,
) -> Result<Category, AppError> {
    store::find(conn, event.id, &path.code)
        .await?
        .ok_or(AppError::NotFound("category"))
}

/// A participant category
#[utoipa::path(
    get,
    path = "/api/v1/events/{slug}/categories/{code}",
    operation_id = "show_category",
    security(("bearer" = [])),
    params(("slug" = String, Path, description = "The event's slug"), CategoryPath),
    responses(
        (status = 200, description = "The category", body = CategoryBody),
        OrganiserErrors,
    ),
)]
pub async fn show(
    OnEvent {
        event, mut conn, ..
    }: OnEvent<Reading>,
    path: web::Path<CategoryPath>,
) -> Result<HttpResponse, AppError> {
    let category = category_of(&mut conn, &event, &path).await?;
    Ok(HttpResponse::Ok().json(category_body(&category)))
}

/// Change a participant category
///
/// The whole set-up, as it is created, but the code (the path's). A
/// raised capacity gives its places to the waiting list at once.
#[utoipa::path(
    put,
    path = "/api/v1/events/{slug}/categories/{code}",
    operation_id = "update_category",
    security(("bearer" = [])),
    params(("slug" = String, Path, description = "The event's slug"), CategoryPath),
    request_body(content = CategoryChangeRequest, example = json!(CategoryChangeRequest::example())),
    responses(
        BodyErrors,
        (status = 200, description = "The category", body = CategoryBody),
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
    path: web::Path<CategoryPath>,
    payload: web::Payload,
) -> Result<HttpResponse, AppError> {
    let body = json_body(&state, payload).await?;
    let stored = category_of(&mut conn, &event, &path).await?;
    let setup = CategorySetup::parse(&body, &event, Some(&stored))?;
    let organiser = auth.organiser.id;
    let changed = use_case::update(
        &mut conn,
        &event,
        &stored.code,
        &setup.changes,
        organiser,
        Utc::now(),
    )
    .await
    .map_err(conflict)?;
    Ok(HttpResponse::Ok().json(category_body(&changed)))
}

/// Delete a participant category
///
/// Only a category no registration ever used; one in use is a 409.
#[utoipa::path(
    delete,
    path = "/api/v1/events/{slug}/categories/{code}",
    operation_id = "delete_category",
    security(("bearer" = [])),
    params(("slug" = String, Path, description = "The event's slug"), CategoryPath),
    responses(
        (status = 204, description = "Deleted"),
        (status = 409, response = Conflict),
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
    path: web::Path<CategoryPath>,
) -> Result<HttpResponse, AppError> {
    use_case::delete(&mut conn, &event, &path.code, auth.organiser.id)
        .await
        .map_err(conflict)?;
    Ok(HttpResponse::NoContent().finish())
}

/// The category a registration is put in.
#[derive(Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = CategoryAssignment)]
pub struct AssignmentRequest {
    /// One of the event's categories, public or not
    #[schema(schema_with = schemas::category_code)]
    category: &'static str,
}

/// Put a registration in another category
///
/// How a category only organisers assign (an invitation) is given. A place
/// held moves with the registration and must be free in the new category
/// (else a 409, and nothing changes); a waiting registration keeps its
/// turn. One awaiting a decision is decided first (409).
#[utoipa::path(
    put,
    path = "/api/v1/events/{slug}/registrations/{id}/category",
    security(("bearer" = [])),
    params(("slug" = String, Path, description = "The event's slug"), RegistrationPath),
    request_body(content = AssignmentRequest, example = json!({"category": "staff"})),
    responses(
        BodyErrors,
        (status = 200, description = "The registration, as the list shows it", body = AttendeeBody),
        (status = 409, response = Conflict),
        OrganiserErrors,
    ),
)]
pub async fn assign(
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
    let mut fields = JsonFields::new(&body, &["category"])?;
    let code = fields.text("category").map(str::to_owned);
    fields.finish()?;
    let code = code.unwrap_or_default();
    let (organiser, now) = (auth.organiser.id, Utc::now());
    let view = use_case::assign(&mut conn, &event, path.id, &code, organiser, now)
        .await
        .map_err(|error| match error {
            RegistrationError::NotFound => AppError::NotFound("registration"),
            other => conflict(other),
        })?;
    Ok(listed(&view))
}
