//! The JSON API of API.md under `/api/v1`.
//!
//! A route is its handler, written with a `#[utoipa::path]` annotation
//! giving its method, path, parameters, body and every answer it can give,
//! plus one line of the route table below: that one line registers the
//! handler with actix and its annotation with the OpenAPI document. A test
//! holds the annotation's method and path to the table's.

pub(crate) mod approvals;
mod categories;
pub(super) mod events;
mod files;
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

/// Each path once, with the handler of each of its methods: one actix
/// resource per path, so that another method is answered 405 with `Allow`.
macro_rules! route_table {
    ($($path:literal => { $($method:ident: $($handler:ident)::+),+ $(,)? }),+ $(,)?) => {
        fn resources(cfg: &mut web::ServiceConfig) {
            $(cfg.service(web::resource($path)$(.route(web::$method().to($($handler)::+)))+);)+
        }

        /// The operations of the route table, from their handlers' annotations.
        #[derive(utoipa::OpenApi)]
        #[openapi(paths($($($($handler)::+),+),+))]
        struct Operations;
    };
}

route_table! {
    "/openapi.json" => { get: openapi::serve },
    "/events" => { post: organiser::create_event },
    "/events/{slug}" => { get: events::show, put: organiser::update_event },
    "/events/{slug}/countries/{code}" => { put: organiser::set_country_quota },
    "/events/{slug}/sessions" => { post: organiser::create_session },
    "/events/{slug}/sessions/{code}" => { put: organiser::update_session },
    "/events/{slug}/questions" => { get: questions::list, post: questions::create },
    "/events/{slug}/questions/{code}" => {
        get: questions::show,
        put: questions::update,
        delete: questions::delete,
    },
    "/events/{slug}/questions/{code}/summary" => { get: questions::summary },
    "/events/{slug}/categories" => { get: categories::list, post: categories::create },
    "/events/{slug}/categories/{code}" => {
        get: categories::show,
        put: categories::update,
        delete: categories::delete,
    },
    "/events/{slug}/question-presets" => {
        get: questions::presets,
        post: questions::add_preset,
    },
    "/events/{slug}/registrations" => {
        post: registrations::create,
        get: organiser::list_registrations,
    },
    "/events/{slug}/registrations.csv" => { get: organiser::export_csv },
    "/events/{slug}/registrations.xlsx" => { get: organiser::export_xlsx },
    "/events/{slug}/emails" => { get: organiser::emails },
    "/events/{slug}/email-texts/{kind}/{language}" => {
        put: organiser::put_email_text,
        delete: organiser::delete_email_text,
    },
    "/events/{slug}/registrations/{id}/resend" => { post: organiser::resend },
    "/events/{slug}/registrations/{id}/promote" => { post: organiser::promote },
    "/events/{slug}/registrations/{id}/approve" => { post: approvals::approve },
    "/events/{slug}/registrations/{id}/reject" => { post: approvals::reject },
    "/events/{slug}/approvals" => { post: approvals::approve_many },
    "/events/{slug}/registrations/{id}/category" => { put: categories::assign },
    "/events/{slug}/files/{id}" => { get: files::download },
    "/registrations/{token}" => { get: registrations::show },
    "/registrations/{token}/cancel" => { post: registrations::cancel },
    "/registrations/{token}/sessions" => { put: registrations::change_sessions },
    "/registrations/{token}/answers" => {
        get: registrations::answers,
        put: registrations::change_answers,
    },
    "/registrations/{token}/files" => { post: registrations::upload_file },
    "/verify/{token}" => { post: registrations::verify },
    "/events/{slug}/verification" => { post: registrations::ask_for_link },
}

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
            // A path segment that does not read (a registration id that is
            // no UUID) names nothing: a 404 in the API's error shape.
            .app_data(
                web::PathConfig::default().error_handler(|_, _| AppError::NotFound("path").into()),
            )
            .configure(resources),
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
    if !reads && !is_json_or_empty(request.headers()) && !is_file_upload(&request) {
        return Err(AppError::UnsupportedMediaType.into());
    }
    next.call(request).await
}

/// A file sent for a file question is its own bytes, whatever type it
/// declares: the private token in its path is what a forged request from
/// another site lacks, and the kind is read from the bytes.
fn is_file_upload(request: &ServiceRequest) -> bool {
    static UPLOAD: std::sync::LazyLock<actix_web::dev::ResourceDef> =
        std::sync::LazyLock::new(|| {
            actix_web::dev::ResourceDef::new("/api/v1/registrations/{token}/files")
        });
    // Any method: one the route does not take is then answered 405 with
    // its `Allow`, as on every route.
    UPLOAD.is_match(request.match_info().as_str())
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
