//! The organiser back office under `/admin`: askama pages in the four
//! languages, behind a login, usable without JavaScript.
//!
//! Every page takes an [`Admin`] (or an [`EventPage`] or [`EventChange`]
//! built on one): the organiser of a live session cookie, or a redirect to
//! the login form. Every form that changes something carries the
//! session's CSRF token and needs the organiser role; handlers answer
//! `AppError`s, which [`error_pages`] turns into pages in the organiser's
//! language. The work itself is done by the use cases of
//! `registration::admin`, as the API's is.

mod categories;
mod countries;
mod email_texts;
mod emails;
mod error_pages;
mod events;
mod extract;
mod form;
mod layout;
mod login;
mod questions;
mod registrations;
mod sessions;
mod widgets;

use actix_web::http::header;
use actix_web::middleware::from_fn;
use actix_web::{HttpResponse, web};

use self::error_pages::error_pages;
use self::extract::{Admin, AttendeesPage, EventChange, EventPage, IdPath, list_query};
use self::layout::{Frame, Section};
use self::widgets::{
    Bar, Choice, Field, Pager, Translation, capacity_text, country_name, email_kind, email_status,
    zone,
};
use crate::web::form::Problems;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::scope("/admin")
            .wrap(from_fn(error_pages))
            .wrap(from_fn(super::event_cache::forget_after_changes))
            .route("", web::get().to(events::list))
            .route("/admin.css", web::get().to(stylesheet))
            .route("/login", web::get().to(login::show))
            .route("/login", web::post().to(login::submit))
            .route("/logout", web::post().to(login::logout))
            .route("/events/new", web::get().to(events::new))
            .route("/events", web::post().to(events::create))
            .route("/events/{slug}", web::get().to(events::dashboard))
            .route("/events/{slug}/edit", web::get().to(events::edit))
            .route("/events/{slug}/edit", web::post().to(events::update))
            .route("/events/{slug}/categories", web::get().to(categories::list))
            .route(
                "/events/{slug}/categories",
                web::post().to(categories::create),
            )
            .route(
                "/events/{slug}/categories/{code}",
                web::get().to(categories::edit),
            )
            .route(
                "/events/{slug}/categories/{code}",
                web::post().to(categories::update),
            )
            .route(
                "/events/{slug}/categories/{code}/delete",
                web::post().to(categories::delete),
            )
            .route(
                "/events/{slug}/approvals",
                web::post().to(registrations::approve_selected),
            )
            .route("/events/{slug}/sessions", web::get().to(sessions::list))
            .route("/events/{slug}/sessions", web::post().to(sessions::create))
            .route(
                "/events/{slug}/sessions/{code}",
                web::get().to(sessions::edit),
            )
            .route(
                "/events/{slug}/sessions/{code}",
                web::post().to(sessions::update),
            )
            .route(
                "/events/{slug}/sessions/{code}/delete",
                web::post().to(sessions::delete),
            )
            .route("/events/{slug}/questions", web::get().to(questions::list))
            .route(
                "/events/{slug}/questions",
                web::post().to(questions::create),
            )
            .route(
                "/events/{slug}/question-presets",
                web::post().to(questions::add_one_preset),
            )
            .route(
                "/events/{slug}/questions/{code}",
                web::get().to(questions::edit),
            )
            .route(
                "/events/{slug}/questions/{code}",
                web::post().to(questions::update),
            )
            .route(
                "/events/{slug}/questions/{code}/delete",
                web::post().to(questions::delete),
            )
            .route(
                "/events/{slug}/questions/{code}/summary",
                web::get().to(questions::summary),
            )
            .route("/events/{slug}/countries", web::get().to(countries::list))
            .route(
                "/events/{slug}/countries",
                web::post().to(countries::set_one),
            )
            .route(
                "/events/{slug}/countries/import",
                web::post().to(countries::import),
            )
            .route(
                "/events/{slug}/registrations",
                web::get().to(registrations::list),
            )
            .route(
                "/events/{slug}/registrations/{id}",
                web::get().to(registrations::show),
            )
            .route(
                "/events/{slug}/registrations/{id}/{action}",
                web::post().to(registrations::act),
            )
            .route("/events/{slug}/emails", web::get().to(emails::list))
            .route(
                "/events/{slug}/emails/{id}/retry",
                web::post().to(emails::retry),
            )
            .route(
                "/events/{slug}/email-texts",
                web::get().to(email_texts::list),
            )
            .route(
                "/events/{slug}/email-texts/{kind}/{language}",
                web::get().to(email_texts::edit),
            )
            .route(
                "/events/{slug}/email-texts/{kind}/{language}",
                web::post().to(email_texts::save),
            )
            .route(
                "/events/{slug}/email-texts/{kind}/{language}/reset",
                web::post().to(email_texts::reset),
            ),
    );
}

const STYLESHEET: &str = include_str!("../../../templates/admin/admin.css");

/// The back office's additions to the public stylesheet: wider tables and
/// the navigation. Public like the login form that uses it.
async fn stylesheet() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/css; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "public, max-age=3600"))
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .body(STYLESHEET)
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use crate::i18n::{ADMIN_MESSAGE_IDS, MESSAGE_IDS};

    /// Every `"admin-…"` id the back office's code and templates ask for is
    /// written in the Fluent files (whose tests hold them to the id lists).
    #[test]
    fn every_message_the_back_office_asks_for_exists() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut sources = Vec::new();
        for dir in ["src/web/admin", "templates/admin"] {
            for entry in std::fs::read_dir(root.join(dir)).expect("readable") {
                let path = entry.expect("entry").path();
                sources.push(std::fs::read_to_string(&path).expect("text"));
            }
        }
        let known: BTreeSet<&str> = MESSAGE_IDS
            .iter()
            .chain(ADMIN_MESSAGE_IDS)
            .copied()
            .collect();
        let mut asked = BTreeSet::new();
        for source in &sources {
            for (start, _) in source.match_indices("\"admin-") {
                let id: String = source[start + 1..]
                    .chars()
                    .take_while(|c| c.is_ascii_lowercase() || *c == '-')
                    .collect();
                if source[start + 1 + id.len()..].starts_with('"') && !id.ends_with('-') {
                    asked.insert(id);
                }
            }
        }
        assert!(asked.len() > 50, "the sources were read: {asked:?}");
        let missing: Vec<_> = asked
            .iter()
            .filter(|id| !known.contains(id.as_str()))
            .collect();
        assert!(missing.is_empty(), "no message for {missing:?}");
    }
}
