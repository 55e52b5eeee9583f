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

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct FilePath {
    /// The event's slug (read by the role check, from the matched route)
    slug: String,
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
    params(FilePath),
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
    // The role was checked on the event the path names; a file is looked
    // for only there.
    if path.slug != event.slug {
        return Err(AppError::NotFound("file"));
    }
    let file = store::of_event(&mut conn, event.id, path.id)
        .await?
        .ok_or(AppError::NotFound("file"))?;
    if file.sensitive && !role.allows(Action::ReadSensitive) {
        return Err(AppError::Forbidden);
    }
    Ok(crate::web::downloads::attachment(file))
}
