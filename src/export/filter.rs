//! The filters organisers give (status, country, session, search), checked
//! against the event, the same for the API, the back office and the CLI.

use std::collections::BTreeMap;

use diesel_async::AsyncPgConnection;

use crate::db::attendees::AttendeeFilter;
use crate::db::events::{self, Event};
use crate::domain::{CountryCode, SessionCode};

#[derive(Debug, Clone, Default)]
pub struct FilterInput<'a> {
    pub status: Option<&'a str>,
    pub country: Option<&'a str>,
    pub session: Option<&'a str>,
    pub search: Option<&'a str>,
}

#[derive(Debug, thiserror::Error)]
pub enum FilterError {
    #[error("invalid filter")]
    Invalid(BTreeMap<String, String>),
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
}

fn given(value: Option<&str>) -> Option<&str> {
    value.map(str::trim).filter(|value| !value.is_empty())
}

pub async fn resolve(
    conn: &mut AsyncPgConnection,
    event: &Event,
    input: &FilterInput<'_>,
) -> Result<AttendeeFilter, FilterError> {
    let mut errors = BTreeMap::new();
    let status = given(input.status);
    if let Some(status) = status
        && !["confirmed", "waitlisted", "cancelled"].contains(&status)
    {
        errors.insert(
            "status".to_owned(),
            format!("`{status}` is not confirmed, waitlisted or cancelled"),
        );
    }
    let country = given(input.country).and_then(|code| match CountryCode::parse(code) {
        Ok(code) => Some(code.as_str().to_owned()),
        Err(_) => {
            errors.insert(
                "country".to_owned(),
                format!("`{code}` is not an ISO 3166-1 alpha-2 country code"),
            );
            None
        }
    });
    let session_id = match given(input.session) {
        Some(code) => {
            let wanted = SessionCode::parse(code).ok();
            let sessions = events::sessions_of(conn, event.id).await?;
            let found = sessions.iter().find(|session| {
                wanted
                    .as_ref()
                    .is_some_and(|wanted| wanted.as_str() == session.code)
            });
            if found.is_none() {
                errors.insert(
                    "session".to_owned(),
                    format!("the event has no session `{code}`"),
                );
            }
            found.map(|session| session.id)
        }
        None => None,
    };
    if !errors.is_empty() {
        return Err(FilterError::Invalid(errors));
    }
    Ok(AttendeeFilter {
        status: status.map(str::to_owned),
        country,
        session_id,
        search: given(input.search).map(str::to_owned),
    })
}
