//! The JSON API of API.md under `/api/v1`.

pub(super) mod events;
pub mod openapi;
mod organiser;
pub mod question_bodies;
mod questions;
mod registrations;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::{Method, header};
use actix_web::middleware::{Next, from_fn};
use actix_web::web;

use crate::web::AppError;
use crate::web::auth::ApiRoute;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::scope("/api/v1")
            .app_data(ApiRoute)
            .wrap(from_fn(super::event_cache::forget_after_changes))
            .wrap(from_fn(json_writes))
            // A query string that does not read (`?page=abc`) is a 422 in
            // the API's error shape, as the back office answers it.
            .app_data(
                web::QueryConfig::default()
                    .error_handler(|error, _| AppError::unreadable("query", error).into()),
            )
            .route("/openapi.json", web::get().to(openapi::serve))
            .route("/events", web::post().to(organiser::create_event))
            .route("/events/{slug}", web::get().to(events::show))
            .route("/events/{slug}", web::put().to(organiser::update_event))
            .route(
                "/events/{slug}/countries/{code}",
                web::put().to(organiser::set_country_quota),
            )
            .route(
                "/events/{slug}/sessions",
                web::post().to(organiser::create_session),
            )
            .route(
                "/events/{slug}/sessions/{code}",
                web::put().to(organiser::update_session),
            )
            .route("/events/{slug}/questions", web::get().to(questions::list))
            .route(
                "/events/{slug}/questions",
                web::post().to(questions::create),
            )
            .route(
                "/events/{slug}/questions/{code}",
                web::get().to(questions::show),
            )
            .route(
                "/events/{slug}/questions/{code}",
                web::put().to(questions::update),
            )
            .route(
                "/events/{slug}/questions/{code}",
                web::delete().to(questions::delete),
            )
            .route(
                "/events/{slug}/questions/{code}/summary",
                web::get().to(questions::summary),
            )
            .route(
                "/events/{slug}/registrations",
                web::post().to(registrations::create),
            )
            .route(
                "/events/{slug}/registrations",
                web::get().to(organiser::list_registrations),
            )
            .route(
                "/events/{slug}/registrations.csv",
                web::get().to(organiser::export_csv),
            )
            .route(
                "/events/{slug}/registrations.xlsx",
                web::get().to(organiser::export_xlsx),
            )
            .route("/events/{slug}/emails", web::get().to(organiser::emails))
            .route(
                "/events/{slug}/email-texts/{kind}/{language}",
                web::put().to(organiser::put_email_text),
            )
            .route(
                "/events/{slug}/email-texts/{kind}/{language}",
                web::delete().to(organiser::delete_email_text),
            )
            .route(
                "/events/{slug}/registrations/{id}/resend",
                web::post().to(organiser::resend),
            )
            .route("/registrations/{token}", web::get().to(registrations::show))
            .route(
                "/registrations/{token}/cancel",
                web::post().to(registrations::cancel),
            )
            .route(
                "/registrations/{token}/sessions",
                web::put().to(registrations::change_sessions),
            )
            .route(
                "/registrations/{token}/answers",
                web::get().to(registrations::answers),
            )
            .route(
                "/registrations/{token}/answers",
                web::put().to(registrations::change_answers),
            ),
    );
}

/// A change through the API sends JSON or nothing. A web page can make a
/// browser post `text/plain` or a form anywhere without asking; JSON it
/// cannot, so such a body never reaches a handler.
async fn json_writes(
    request: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let reads = matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    if !reads && !is_json_or_empty(request.headers()) {
        return Err(AppError::UnsupportedMediaType.into());
    }
    next.call(request).await
}

fn is_json_or_empty(headers: &header::HeaderMap) -> bool {
    match headers.get(header::CONTENT_TYPE) {
        Some(value) => value
            .to_str()
            .ok()
            .and_then(|value| value.split(';').next())
            .is_some_and(|essence| essence.trim().eq_ignore_ascii_case("application/json")),
        None => {
            let chunked = headers.contains_key(header::TRANSFER_ENCODING);
            let length = headers
                .get(header::CONTENT_LENGTH)
                .and_then(|value| value.to_str().ok())
                .map(str::trim);
            !chunked && length.is_none_or(|length| length == "0")
        }
    }
}
