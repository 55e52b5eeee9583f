//! Organisers' decisions on the registrations of categories that need
//! approval: approve or reject one, approve many. A decision the
//! registration's state stands in the way of (cancelled, rejected, already
//! confirmed, needing no approval) is a 409 `conflict`, and so is a reason
//! the event does not offer. Answers are the list's items.

use actix_web::{HttpResponse, web};
use chrono::Utc;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::openapi::{BodyErrors, Conflict, OrganiserErrors, schemas};
use super::organiser::{AttendeeBody, RegistrationPath, attendee_body, attendee_of_view, listed};
use crate::domain::{FieldError, FieldErrors};
use crate::registration::approval as use_case;
use crate::web::access::OnEvent;
use crate::web::access::needs::Changes;
use crate::web::input::json_body;
use crate::web::json_fields::JsonFields;
use crate::web::{AppError, AppState};

/// The longest note an organiser adds to a rejection.
pub const MAX_NOTE_CHARS: usize = 1000;

/// Approve a registration
///
/// Where pending registrations hold their place, it is confirmed; where
/// they hold none, it takes one now, or joins the waiting list in its turn
/// when every place is taken. Approving again answers the same.
#[utoipa::path(
    post,
    path = "/api/v1/events/{slug}/registrations/{id}/approve",
    security(("bearer" = [])),
    params(("slug" = String, Path, description = "The event's slug"), RegistrationPath),
    responses(
        (status = 415, response = super::openapi::UnsupportedMediaType),
        (status = 200, description = "The registration, as the list shows it", body = AttendeeBody),
        (status = 409, response = Conflict),
        OrganiserErrors,
    ),
)]
pub async fn approve(
    OnEvent {
        auth,
        event,
        mut conn,
        ..
    }: OnEvent<Changes>,
    path: web::Path<RegistrationPath>,
) -> Result<HttpResponse, AppError> {
    let view = use_case::approve(&mut conn, &event, path.id, auth.organiser.id, Utc::now())
        .await
        .map_err(AppError::state_conflict)?;
    Ok(listed(&view))
}

/// Why an organiser says no.
#[derive(Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = Rejection)]
pub struct RejectionRequest {
    /// One of the event's `rejection_reasons` (the built-in ones:
    /// `incomplete`, `not_eligible`, `no_place`, `other`)
    #[schema(schema_with = schemas::category_code)]
    reason: &'static str,
    /// Said to the delegate under the reason
    #[schema(schema_with = schemas::rejection_note)]
    note: Option<&'static str>,
}

impl RejectionRequest {
    fn example() -> RejectionRequest {
        RejectionRequest {
            reason: "no_place",
            note: Some("Le réseau a déjà ses trois délégué·es."),
        }
    }
}

/// Reject a registration
///
/// Only one awaiting a decision; its places go to the next in line. The
/// delegate's email says the reason in their language, and the note.
/// Rejecting again answers the same.
#[utoipa::path(
    post,
    path = "/api/v1/events/{slug}/registrations/{id}/reject",
    security(("bearer" = [])),
    params(("slug" = String, Path, description = "The event's slug"), RegistrationPath),
    request_body(content = RejectionRequest, example = json!(RejectionRequest::example())),
    responses(
        BodyErrors,
        (status = 200, description = "The registration, as the list shows it", body = AttendeeBody),
        (status = 409, response = Conflict),
        OrganiserErrors,
    ),
)]
pub async fn reject(
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
    let (reason, note) = rejection_of(&body)?;
    let (organiser, now) = (auth.organiser.id, Utc::now());
    let view = use_case::reject(
        &mut conn,
        &event,
        path.id,
        &reason,
        note.as_deref(),
        organiser,
        now,
    )
    .await
    .map_err(AppError::state_conflict)?;
    Ok(listed(&view))
}

/// `{"reason": "…", "note": "…"}`, field by field; an empty note is none.
pub fn rejection_of(body: &serde_json::Value) -> Result<(String, Option<String>), FieldErrors> {
    use crate::domain::text::Lines;
    let mut fields = JsonFields::new(body, &["reason", "note"])?;
    let reason = fields.text("reason").map(str::to_owned);
    let note = match fields.optional_text("note") {
        None | Some("") => Ok(None),
        Some(note) => fields
            .at_most("note", note, MAX_NOTE_CHARS, Lines::Many)
            .map(|note| Some(note.to_owned()))
            .ok_or(()),
    };
    fields.finish()?;
    match (reason, note) {
        (Some(reason), Ok(note)) => Ok((reason, note)),
        _ => Err(FieldErrors::single(
            "body",
            FieldError::new("admin-error-invalid"),
        )),
    }
}

/// Registrations to approve at once, by id.
#[derive(Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = Approvals)]
pub struct ApprovalsRequest {
    #[schema(min_items = 1, max_items = 500)]
    approve: Vec<Uuid>,
}

/// What a bulk approval did: the registrations as they now stand, and the
/// ones refused, each with why.
#[derive(Serialize, ToSchema)]
#[schema(as = ApprovalsDone)]
struct ApprovalsBody<'a> {
    items: Vec<AttendeeBody<'a>>,
    refused: Vec<RefusedBody>,
}

#[derive(Serialize, ToSchema)]
#[schema(as = ApprovalRefused)]
struct RefusedBody {
    id: Uuid,
    /// `not_found`, `cancelled` or `conflict`
    error: &'static str,
    message: String,
}

/// Approve many registrations
///
/// Each on its own, in the order given: one that cannot be approved is
/// listed in `refused` and the others go on. Sending the same ids again
/// answers the same.
#[utoipa::path(
    post,
    path = "/api/v1/events/{slug}/approvals",
    security(("bearer" = [])),
    params(("slug" = String, Path, description = "The event's slug")),
    request_body(content = ApprovalsRequest, example = json!({"approve": ["01938e2c-7d1a-7c55-b1d3-5a9e1f0c4b21"]})),
    responses(
        BodyErrors,
        (status = 200, description = "What was approved and what was refused", body = ApprovalsBody),
        OrganiserErrors,
    ),
)]
pub async fn approve_many(
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
    let ids = ids_of(&body)?;
    let answers =
        use_case::approve_many(&mut conn, &event, &ids, auth.organiser.id, Utc::now()).await?;
    let mut attendees = Vec::new();
    let mut refused = Vec::new();
    for (id, answer) in answers {
        match answer {
            Ok(view) => attendees.push(attendee_of_view(&view)),
            Err(error) => {
                let error = AppError::state_conflict(error);
                refused.push(RefusedBody {
                    id,
                    error: error.code(),
                    message: error.to_string(),
                });
            }
        }
    }
    Ok(HttpResponse::Ok().json(ApprovalsBody {
        items: attendees.iter().map(attendee_body).collect(),
        refused,
    }))
}

/// `{"approve": ["<id>", …]}`: 1 to 500 ids, each once (a repeat counts
/// once).
fn ids_of(body: &serde_json::Value) -> Result<Vec<Uuid>, FieldErrors> {
    let fields = JsonFields::new(body, &["approve"])?;
    fields.finish()?;
    let items = body
        .get("approve")
        .and_then(|items| items.as_array())
        .filter(|items| (1..=use_case::MAX_BULK).contains(&items.len()))
        .ok_or_else(|| {
            FieldErrors::single("approve", FieldError::new("error-approvals-invalid"))
        })?;
    let mut ids: Vec<Uuid> = Vec::with_capacity(items.len());
    for item in items {
        let id = item
            .as_str()
            .and_then(|text| Uuid::parse_str(text).ok())
            .ok_or_else(|| {
                FieldErrors::single("approve", FieldError::new("error-approvals-invalid"))
            })?;
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    Ok(ids)
}
