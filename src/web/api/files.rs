//! Organisers download the files delegates sent as answers to file
//! questions (sent with `registrations::upload_file`).

use actix_web::{HttpResponse, web};
use serde::Deserialize;
use utoipa::IntoParams;

use super::openapi::OrganiserErrors;
use crate::db::files as store;
use crate::domain::Action;
use crate::web::AppError;
use crate::web::access::{OnEvent, needs::Exports};

/// The file of the path; its event's slug is read by the role check, from
/// the matched route.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct FilePath {
    /// The file's id (an answer's value)
    id: uuid::Uuid,
}

/// Download a delegate's file
///
/// As an attachment, with the kind it was stored as. A viewer may download
/// the files of questions that are not sensitive; a sensitive question's
/// need an organiser.
#[utoipa::path(
    get,
    path = "/api/v1/events/{slug}/files/{id}",
    operation_id = "download_file",
    security(("bearer" = [])),
    params(("slug" = String, Path, description = "The event's slug"), FilePath),
    responses(
        (status = 200, description = "The file", content(
            ("application/pdf"),
            ("image/jpeg"),
            ("image/png"),
        ), headers(
            ("Content-Disposition" = String, description = "`attachment`, with a file name"),
        )),
        OrganiserErrors,
    ),
)]
pub async fn download(
    OnEvent {
        event,
        role,
        mut conn,
        ..
    }: OnEvent<Exports>,
    path: web::Path<FilePath>,
) -> Result<HttpResponse, AppError> {
    let file = store::of_event(&mut conn, event.id, path.id)
        .await?
        .ok_or(AppError::NotFound("file"))?;
    if file.sensitive && !role.allows(Action::ReadSensitive) {
        return Err(AppError::Forbidden);
    }
    Ok(crate::web::downloads::attachment(file))
}
