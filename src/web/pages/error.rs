//! Failures as HTML pages in the reader's language. `AppError` still decides
//! the status code, as for the API; only the body differs, and it never
//! carries the cause, which goes to the log.

use actix_web::http::header;
use actix_web::{HttpResponse, ResponseError};
use askama::Template;

use super::{Layout, Visitor};
use crate::i18n::Tr;
use crate::web::AppError;

#[derive(Template)]
#[template(path = "pages/error.html")]
struct ErrorPage {
    tr: Tr,
    layout: Layout,
    text: String,
}

pub fn page(visitor: &Visitor, failure: AppError) -> HttpResponse {
    // The site's languages, not an event's: the event may be what failed.
    let language = visitor.language(&[]);
    let tr = Tr::new(language);
    let status = failure.status_code();
    let (title, text) = match &failure {
        AppError::NotFound(_) => (tr.t("error-not-found-title"), tr.t("error-not-found-text")),
        AppError::PayloadTooLarge => (tr.t("error-server-title"), tr.t("error-too-large")),
        AppError::Forbidden => (tr.t("error-server-title"), tr.t("error-csrf")),
        AppError::Unavailable(cause) => {
            tracing::warn!(error = %cause, "service unavailable");
            (tr.t("error-server-title"), tr.t("error-busy"))
        }
        AppError::RateLimited { .. } => (tr.t("error-server-title"), tr.t("error-busy")),
        AppError::Internal(cause) => {
            tracing::error!(error = ?cause, "page failed");
            (tr.t("error-server-title"), tr.t("error-server-text"))
        }
        other => {
            tracing::warn!(error = %other, "page refused the request");
            (tr.t("error-server-title"), tr.t("error-server-text"))
        }
    };
    let page = ErrorPage {
        layout: visitor.layout(language, title, &[]),
        text,
        tr,
    };
    // Private: the address that failed may hold a mistyped private token.
    match visitor
        .reply(language)
        .status(status)
        .private()
        .render(&page)
    {
        Ok(mut response) => {
            if let Some(seconds) = failure.retry_after_secs() {
                response
                    .headers_mut()
                    .insert(header::RETRY_AFTER, header::HeaderValue::from(seconds));
            }
            response
        }
        // Only a template bug gets here; the reader still gets an answer.
        Err(_) => HttpResponse::build(status)
            .insert_header((header::CONTENT_TYPE, "text/plain; charset=utf-8"))
            .body(tr.t("error-server-title")),
    }
}
