//! Checks on a set of chosen sessions that need the event's data.

use diesel::QueryResult;
use diesel_async::AsyncPgConnection;
use uuid::Uuid;

use crate::db::events::{self, Session};
use crate::domain::{FieldError, FieldErrors, SessionCode, first_overlap};

/// The sessions behind `codes`, read from the database; see [`pick_sessions`].
pub async fn resolve_sessions(
    conn: &mut AsyncPgConnection,
    event_id: Uuid,
    codes: &[SessionCode],
    errors: &mut FieldErrors,
) -> QueryResult<Vec<Session>> {
    let wanted: Vec<&str> = codes.iter().map(SessionCode::as_str).collect();
    let sessions = events::sessions_by_code(conn, event_id, &wanted).await?;
    Ok(pick_sessions(&sessions, codes, errors))
}

/// The sessions of `offered` behind `codes`, in the order of `codes`; an
/// unknown code or two sessions at the same time are added to `errors`
/// under the field `sessions`.
pub fn pick_sessions(
    offered: &[Session],
    codes: &[SessionCode],
    errors: &mut FieldErrors,
) -> Vec<Session> {
    let mut chosen = Vec::with_capacity(codes.len());
    for code in codes {
        match offered.iter().find(|session| session.code == code.as_str()) {
            Some(session) => chosen.push(session.clone()),
            None => errors.add(
                "sessions",
                FieldError::new("error-session-unknown").with_arg("code", code.as_str()),
            ),
        }
    }
    let slots: Vec<(&str, _, _)> = chosen
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
    chosen
}
