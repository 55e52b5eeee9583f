//! The JSON API of API.md under `/api/v1`.

pub(super) mod events;
pub mod openapi;
mod organiser;
mod registrations;

use actix_web::middleware::from_fn;
use actix_web::web;

use crate::web::AppError;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::scope("/api/v1")
            .wrap(from_fn(super::event_cache::forget_after_changes))
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
            ),
    );
}
