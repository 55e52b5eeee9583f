//! Turning what a delegate sent (JSON or an HTML form) into domain types,
//! collecting every problem field by field. Shared by the API and the pages
//! so both accept exactly the same input.

use actix_web::web;
use futures_util::StreamExt;

use super::AppError;
use crate::domain::{
    CountryCode, EmailAddress, FieldError, FieldErrors, Language, Organisation, PersonName,
    SessionCode,
};
use crate::registration::Applicant;

/// A registration as typed, before parsing. Every field is a string (or a
/// list of strings), whatever the delegate sent.
#[derive(Debug, Clone, Default)]
pub struct RawRegistration {
    pub given_name: String,
    pub family_name: String,
    pub email: String,
    pub country: String,
    pub organisation: String,
    pub language: String,
    pub sessions: Vec<String>,
}

const FIELDS: &[&str] = &[
    "given_name",
    "family_name",
    "email",
    "country",
    "organisation",
    "language",
    "sessions",
];

/// At most this many session choices: far above any real programme, low
/// enough that a hostile list costs nothing.
const MAX_SESSIONS: usize = 50;

impl RawRegistration {
    /// Reads a JSON object. Unknown fields are refused, like wrong types, so
    /// a misspelt field never silently drops what the delegate meant.
    pub fn from_json(value: &serde_json::Value) -> Result<RawRegistration, FieldErrors> {
        let Some(object) = value.as_object() else {
            return Err(FieldErrors::single(
                "body",
                FieldError::new("error-json-object"),
            ));
        };
        let mut errors = FieldErrors::default();
        for key in object.keys() {
            if !FIELDS.contains(&key.as_str()) {
                errors.add(key, FieldError::new("error-unknown-field"));
            }
        }
        let mut text = |field: &'static str| match object.get(field) {
            None | Some(serde_json::Value::Null) => String::new(),
            Some(serde_json::Value::String(text)) => text.clone(),
            Some(_) => {
                errors.add(field, FieldError::new("error-not-text"));
                String::new()
            }
        };
        let mut raw = RawRegistration {
            given_name: text("given_name"),
            family_name: text("family_name"),
            email: text("email"),
            country: text("country"),
            organisation: text("organisation"),
            language: text("language"),
            sessions: Vec::new(),
        };
        match object.get("sessions") {
            None | Some(serde_json::Value::Null) => {}
            Some(serde_json::Value::Array(items)) if items.iter().all(|item| item.is_string()) => {
                raw.sessions = items
                    .iter()
                    .filter_map(|item| item.as_str().map(str::to_owned))
                    .collect();
            }
            Some(_) => errors.add("sessions", FieldError::new("error-not-text-list")),
        }
        if errors.is_empty() {
            Ok(raw)
        } else {
            Err(errors)
        }
    }

    /// Parses every field, reporting all problems at once. An empty
    /// language means the event's first language.
    pub fn parse(&self, default_language: Language) -> Result<Applicant, FieldErrors> {
        let mut errors = FieldErrors::default();
        let mut check = |field: &'static str, result: Result<(), FieldError>| {
            if let Err(error) = result {
                errors.add(field, error);
            }
        };
        let given_name = PersonName::parse(&self.given_name);
        check(
            "given_name",
            given_name.as_ref().map(drop).map_err(name_error),
        );
        let family_name = PersonName::parse_optional(&self.family_name);
        check(
            "family_name",
            family_name.as_ref().map(drop).map_err(name_error),
        );
        let email = EmailAddress::parse(&self.email);
        check(
            "email",
            email
                .as_ref()
                .map(drop)
                .map_err(|e| keyed(e.message_key(), e.max())),
        );
        let country = CountryCode::parse(&self.country);
        check(
            "country",
            country
                .as_ref()
                .map(drop)
                .map_err(|e| keyed(e.message_key(), None)),
        );
        let organisation = Organisation::parse_optional(&self.organisation);
        check(
            "organisation",
            organisation.as_ref().map(drop).map_err(name_error),
        );
        let language = if self.language.trim().is_empty() {
            Ok(default_language)
        } else {
            Language::parse(&self.language)
        };
        check(
            "language",
            language
                .as_ref()
                .map(drop)
                .map_err(|e| keyed(e.message_key(), None)),
        );
        let mut sessions = Vec::new();
        if self.sessions.len() > MAX_SESSIONS {
            check("sessions", Err(keyed("error-too-many", Some(MAX_SESSIONS))));
        } else {
            for code in &self.sessions {
                match SessionCode::parse(code) {
                    Ok(code) if !sessions.contains(&code) => sessions.push(code),
                    Ok(_) => {}
                    Err(error) => {
                        check("sessions", Err(keyed(error.message_key(), error.max())));
                        break;
                    }
                }
            }
        }
        match (
            given_name,
            family_name,
            email,
            country,
            organisation,
            language,
        ) {
            (
                Ok(given_name),
                Ok(family_name),
                Ok(email),
                Ok(country),
                Ok(organisation),
                Ok(language),
            ) if errors.is_empty() => Ok(Applicant {
                given_name,
                family_name,
                email,
                country,
                organisation,
                language,
                sessions,
            }),
            _ => Err(errors),
        }
    }
}

fn name_error(error: &crate::domain::NameError) -> FieldError {
    keyed(error.message_key(), error.max())
}

fn keyed(message_id: &'static str, max: Option<usize>) -> FieldError {
    let error = FieldError::new(message_id);
    match max {
        Some(max) => error.with_arg("max", max.to_string()),
        None => error,
    }
}

/// Reads a request body up to `limit` bytes; more is refused with 413
/// before it is buffered.
pub async fn read_body(mut payload: web::Payload, limit: usize) -> Result<web::BytesMut, AppError> {
    let mut body = web::BytesMut::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|_| AppError::field("body", "could not be read"))?;
        if body.len() + chunk.len() > limit {
            return Err(AppError::PayloadTooLarge);
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}
