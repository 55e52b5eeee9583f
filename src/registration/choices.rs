//! Checks on a set of chosen sessions that need the event's data.

use diesel::QueryResult;
use diesel_async::AsyncPgConnection;
use uuid::Uuid;

use crate::db::events::Session;
use crate::db::registrations as store;
use crate::domain::{FieldError, FieldErrors, SessionCode, first_overlap};

/// The sessions behind `codes`; an unknown code or two sessions at the same
/// time are added to `errors` under the field `sessions`.
pub async fn resolve_sessions(
    conn: &mut AsyncPgConnection,
    event_id: Uuid,
    codes: &[SessionCode],
    errors: &mut FieldErrors,
) -> QueryResult<Vec<Session>> {
    let codes: Vec<&str> = codes.iter().map(SessionCode::as_str).collect();
    let sessions = store::sessions_by_code(conn, event_id, &codes).await?;
    if let Some(unknown) = codes
        .iter()
        .find(|code| !sessions.iter().any(|s| s.code == **code))
    {
        errors.add(
            "sessions",
            FieldError::new("error-session-unknown").with_arg("code", *unknown),
        );
    }
    let slots: Vec<(&str, _, _)> = sessions
        .iter()
        .map(|s| (s.code.as_str(), s.starts_at, s.ends_at))
        .collect();
    if let Some((first, second)) = first_overlap(&slots) {
        errors.add(
            "sessions",
            FieldError::new("error-sessions-overlap")
                .with_arg("first", *first)
                .with_arg("second", *second),
        );
    }
    Ok(sessions)
}
