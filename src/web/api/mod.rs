//! The JSON API of API.md under `/api/v1`.

mod events;
mod registrations;

use actix_web::web;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::scope("/api/v1")
            .route("/events/{slug}", web::get().to(events::show))
            .route(
                "/events/{slug}/registrations",
                web::post().to(registrations::create),
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
