//! Failures as pages: what the back office shows instead of the API's JSON
//! error, in the organiser's language.

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{FromRequest, HttpRequest, HttpResponse, ResponseError};
use askama::Template;

use super::layout::Frame;
use crate::i18n::Tr;
use crate::web::AppError;
use crate::web::form::Problems;
use crate::web::pages::Visitor;

/// Turns a handler's or an extractor's `AppError` into a page in the
/// organiser's language (the API answers JSON for the same errors); an
/// anonymous visitor is sent to the login form instead.
pub(super) async fn error_pages(
    request: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, actix_web::Error> {
    let response = next.call(request).await?;
    let page = match response
        .response()
        .error()
        .and_then(|error| error.as_error::<AppError>())
    {
        Some(failure) => error_page(response.request(), failure),
        None => return Ok(response.map_into_left_body()),
    };
    Ok(response.into_response(page).map_into_right_body())
}

#[derive(Template)]
#[template(path = "admin/error.html")]
struct ErrorPage {
    tr: Tr,
    frame: Frame,
    text: String,
    /// What was wrong with each field of a refused address, by name
    /// (`after: This cursor belongs to another event's list.`).
    problems: Vec<(String, String)>,
}

fn error_page(request: &HttpRequest, failure: &AppError) -> HttpResponse {
    let status = failure.status_code();
    let text_id = match failure {
        AppError::Unauthorized => {
            return HttpResponse::SeeOther()
                .insert_header((header::LOCATION, "/admin/login"))
                .insert_header((header::CACHE_CONTROL, "no-store"))
                .finish();
        }
        AppError::Forbidden => "admin-error-forbidden",
        AppError::NotFound(_) => "admin-error-not-found",
        AppError::Validation(_)
        | AppError::Duplicate(_)
        | AppError::Conflict(_)
        | AppError::UnsupportedMediaType => "admin-error-invalid",
        AppError::Cancelled => "admin-error-cancelled",
        AppError::PayloadTooLarge => "error-too-large",
        AppError::RateLimited { .. } | AppError::Unavailable(_) => "error-busy",
        AppError::RegistrationClosed | AppError::Internal(_) => "error-server-text",
    };
    let Ok(visitor) = Visitor::from_request(request, &mut Payload::None).into_inner() else {
        return HttpResponse::build(status).finish();
    };
    let language = visitor.language(&[]);
    let tr = Tr::new(language);
    let problems = if let AppError::Validation(errors) = failure {
        Problems::of(language, errors).fields
    } else {
        Vec::new()
    };
    let page = ErrorPage {
        frame: Frame::new(&visitor, language, tr.t("admin-error-title")),
        text: tr.t(text_id),
        problems,
        tr,
    };
    let rendered = visitor
        .reply(language)
        .status(status)
        .private()
        .render(&page);
    match rendered {
        Ok(mut response) => {
            if let Some(seconds) = failure.retry_after_secs() {
                response
                    .headers_mut()
                    .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
            }
            response
        }
        // Only a template bug gets here; the organiser still gets an answer.
        Err(_) => HttpResponse::build(status).body(tr.t(text_id)),
    }
}
