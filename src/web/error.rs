//! The one place that turns failures into HTTP answers, in the error shape of
//! API.md: `{"error": code, "message": text, "fields": {...}?}`.

use std::collections::BTreeMap;

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;

use crate::domain::{FieldError, FieldErrors, Language};
use crate::registration::RegistrationError;

/// A database restart or a failover takes seconds, not minutes.
const UNAVAILABLE_RETRY_AFTER_SECS: u64 = 2;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// Rendered at the edge: in English for API clients, in the reader's
    /// language on pages and in the back office.
    #[error("invalid input")]
    Validation(FieldErrors),
    #[error("{0}")]
    Duplicate(String),
    /// The request is sound, but what it asks for cannot be done in the
    /// state things are in (a place that is not free): said in English.
    #[error("{0}")]
    Conflict(String),
    #[error("registration is closed")]
    RegistrationClosed,
    #[error("this registration is cancelled")]
    Cancelled,
    #[error("{0} not found")]
    NotFound(&'static str),
    #[error("authentication required")]
    Unauthorized,
    #[error("not allowed")]
    Forbidden,
    #[error("request body too large")]
    PayloadTooLarge,
    #[error("the body must be sent as application/json")]
    UnsupportedMediaType,
    #[error("too many requests")]
    RateLimited { retry_after_secs: u64 },
    #[error("service unavailable")]
    Unavailable(#[source] anyhow::Error),
    #[error("internal error")]
    Internal(#[source] anyhow::Error),
}

/// The shape of every error answer.
#[derive(Serialize, utoipa::ToSchema)]
#[schema(as = Error)]
pub(super) struct ErrorBody<'a> {
    /// What went wrong, for programs: `validation`, `duplicate`, `conflict`,
    /// `registration_closed`, `cancelled`, `not_found`, `unauthorized`,
    /// `forbidden`, `payload_too_large`, `rate_limited`, `unavailable`,
    /// `internal`
    error: &'a str,
    /// What went wrong, in English, for people
    message: String,
    /// With `validation`: each refused field, parameter or header, and why
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = BTreeMap<String, String>, required = false)]
    fields: Option<BTreeMap<&'a str, String>>,
}

impl AppError {
    pub fn field(field: &str, error: FieldError) -> AppError {
        AppError::Validation(FieldErrors::single(field, error))
    }

    /// A part of the request that could not be read at all, and why (the
    /// parser's own words).
    pub fn unreadable(field: &str, problem: impl ToString) -> AppError {
        AppError::field(
            field,
            FieldError::new("error-unreadable").with_arg("problem", problem.to_string()),
        )
    }

    /// The `Retry-After` header's seconds: how long a refused client should
    /// wait before trying again.
    pub fn retry_after_secs(&self) -> Option<u64> {
        match self {
            AppError::RateLimited { retry_after_secs } => Some(*retry_after_secs),
            AppError::Unavailable(_) => Some(UNAVAILABLE_RETRY_AFTER_SECS),
            _ => None,
        }
    }

    /// A refusal the state of things stands behind (a registration not
    /// waiting, a category in use), said in English as a 409 `conflict`:
    /// the request itself was right. Any other failure stays what it is.
    pub fn state_conflict(error: RegistrationError) -> AppError {
        match error {
            RegistrationError::Invalid(errors) => {
                let said: Vec<String> = errors
                    .iter()
                    .map(|(_, error)| {
                        crate::i18n::field_message(crate::domain::Language::En, error)
                    })
                    .collect();
                AppError::Conflict(said.join(" "))
            }
            other => other.into(),
        }
    }

    pub fn code(&self) -> &'static str {
        match self {
            AppError::Validation(_) => "validation",
            AppError::Duplicate(_) => "duplicate",
            AppError::Conflict(_) => "conflict",
            AppError::RegistrationClosed => "registration_closed",
            AppError::Cancelled => "cancelled",
            AppError::NotFound(_) => "not_found",
            AppError::Unauthorized => "unauthorized",
            AppError::Forbidden => "forbidden",
            AppError::PayloadTooLarge => "payload_too_large",
            AppError::UnsupportedMediaType => "unsupported_media_type",
            AppError::RateLimited { .. } => "rate_limited",
            AppError::Unavailable(_) => "unavailable",
            AppError::Internal(_) => "internal",
        }
    }
}

impl From<FieldErrors> for AppError {
    fn from(errors: FieldErrors) -> Self {
        AppError::Validation(errors)
    }
}

impl From<diesel::result::Error> for AppError {
    fn from(error: diesel::result::Error) -> Self {
        // The database went away under us: a retry later may succeed.
        if crate::db::is_connection_lost(&error) {
            AppError::Unavailable(error.into())
        } else {
            AppError::Internal(error.into())
        }
    }
}

impl From<RegistrationError> for AppError {
    fn from(error: RegistrationError) -> Self {
        match error {
            RegistrationError::EventNotFound => AppError::NotFound("event"),
            RegistrationError::NotFound => AppError::NotFound("registration"),
            RegistrationError::Closed => AppError::RegistrationClosed,
            RegistrationError::Duplicate => AppError::Duplicate(error.to_string()),
            RegistrationError::Cancelled => AppError::Cancelled,
            RegistrationError::IdempotencyKeyReused => AppError::field(
                "Idempotency-Key",
                FieldError::new("error-idempotency-key-reused"),
            ),
            RegistrationError::Invalid(errors) => AppError::Validation(errors),
            RegistrationError::Unavailable(_) | RegistrationError::Stopped => {
                AppError::Unavailable(anyhow::anyhow!(error.to_string()))
            }
            RegistrationError::Email(_) | RegistrationError::Invariant(_) => {
                AppError::Internal(error.into())
            }
            RegistrationError::Database(error) => error.into(),
        }
    }
}

impl From<crate::db::PoolError> for AppError {
    fn from(error: crate::db::PoolError) -> Self {
        crate::metrics::pool_error(&error);
        AppError::Unavailable(error.into())
    }
}

impl ResponseError for AppError {
    fn status_code(&self) -> StatusCode {
        match self {
            AppError::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::Duplicate(_)
            | AppError::Conflict(_)
            | AppError::RegistrationClosed
            | AppError::Cancelled => StatusCode::CONFLICT,
            AppError::NotFound(_) => StatusCode::NOT_FOUND,
            AppError::Unauthorized => StatusCode::UNAUTHORIZED,
            AppError::Forbidden => StatusCode::FORBIDDEN,
            AppError::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            AppError::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            AppError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        // The cause goes to the log, never to the client.
        match self {
            AppError::Internal(cause) => tracing::error!(error = ?cause, "request failed"),
            AppError::Unavailable(cause) => tracing::warn!(error = %cause, "service unavailable"),
            _ => {}
        }
        let message = match self {
            AppError::Internal(_) => "an internal error occurred".to_owned(),
            other => other.to_string(),
        };
        // API clients are programs: the fields' words are English.
        let fields = match self {
            AppError::Validation(errors) => Some(
                errors
                    .iter()
                    .map(|(field, error)| (field, crate::i18n::field_message(Language::En, error)))
                    .collect(),
            ),
            _ => None,
        };
        let mut response = HttpResponse::build(self.status_code());
        if let Some(seconds) = self.retry_after_secs() {
            response.insert_header(("Retry-After", seconds.to_string()));
        }
        response.json(ErrorBody {
            error: self.code(),
            message,
            fields,
        })
    }
}
