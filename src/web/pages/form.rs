//! The body of an HTML form (`application/x-www-form-urlencoded`), with its
//! repeated keys: a form sends one `sessions=…` pair per ticked box.

use actix_web::dev::UrlEncoded;
use actix_web::error::UrlencodedError;
use actix_web::{HttpRequest, web};

use crate::web::AppError;
use crate::web::input::RawRegistration;

pub struct FormData(Vec<(String, String)>);

impl FormData {
    /// Reads the body, refusing more than `limit` bytes with 413 (before
    /// reading it when Content-Length already says so). Pairs rather than a
    /// struct, since serde_urlencoded keeps only the last of repeated keys.
    pub async fn read(
        request: &HttpRequest,
        payload: web::Payload,
        limit: usize,
    ) -> Result<FormData, AppError> {
        let mut payload = payload.into_inner();
        UrlEncoded::<Vec<(String, String)>>::new(request, &mut payload)
            .limit(limit)
            .await
            .map(FormData)
            .map_err(|error| match error {
                UrlencodedError::Overflow { .. } => AppError::PayloadTooLarge,
                other => AppError::unreadable("body", other),
            })
    }

    /// The first value of `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }

    /// Every value of `name`, in the order sent.
    pub fn all(&self, name: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(key, _)| key == name)
            .map(|(_, value)| value.clone())
            .collect()
    }

    /// The registration form's fields; absent fields are empty, as the JSON
    /// API reads a missing field.
    pub fn registration(&self) -> RawRegistration {
        let text = |name: &str| self.get(name).unwrap_or_default().to_owned();
        RawRegistration {
            given_name: text("given_name"),
            family_name: text("family_name"),
            email: text("email"),
            country: text("country"),
            organisation: text("organisation"),
            language: text("language"),
            sessions: self.all("sessions"),
        }
    }
}
