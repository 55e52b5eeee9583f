use std::collections::BTreeSet;

use diesel_async::AsyncPgConnection;
use uuid::Uuid;

use super::choices::resolve_sessions;
use super::promote::{fill_free_seats, notify};
use super::token::hash_token;
use super::view::{RegistrationView, lock_by_token, view_of};
use super::{RegistrationError, with_retries};
use crate::db::events::{self, Event};
use crate::db::registrations::{self as store, Registration};
use crate::domain::{FieldErrors, RegistrationStatus, SeatStatus, SessionCode, seat};
use crate::mail::EmailKind;

/// Replaces a delegate's session choices: seats of dropped sessions are
/// freed (and given to the waiting lists), new choices get a seat or a place
/// in the session's waiting list, kept choices keep their seat — atomically.
pub async fn change_sessions(
    conn: &mut AsyncPgConnection,
    token: &str,
    codes: &[SessionCode],
    manage_url: &str,
) -> Result<RegistrationView, RegistrationError> {
    let token_hash = hash_token(token);
    with_retries!(conn, |tx| {
        let (event, registration) = lock_by_token(tx, &token_hash).await?;
        change_locked(tx, &event, registration, codes, Some(manage_url)).await
    })
}

/// Replaces the choices of a registration whose event row and own row the
/// caller has locked, and writes its email when anything changed.
pub(super) async fn change_locked(
    conn: &mut AsyncPgConnection,
    event: &Event,
    registration: Registration,
    codes: &[SessionCode],
    manage_url: Option<&str>,
) -> Result<RegistrationView, RegistrationError> {
    match registration.status {
        RegistrationStatus::Cancelled | RegistrationStatus::Rejected => {
            return Err(RegistrationError::Cancelled);
        }
        RegistrationStatus::Unverified
        | RegistrationStatus::Pending
        | RegistrationStatus::Confirmed
        | RegistrationStatus::Waitlisted => {}
    }

    let mut errors = FieldErrors::default();
    let wanted = resolve_sessions(conn, event.id, codes, &mut errors).await?;
    if !errors.is_empty() {
        return Err(RegistrationError::Invalid(errors));
    }
    let current = store::choices_of(conn, registration.id).await?;
    let wanted_ids: BTreeSet<Uuid> = wanted.iter().map(|session| session.id).collect();
    let current_ids: BTreeSet<Uuid> = current
        .iter()
        .map(|(choice, _)| choice.session_id)
        .collect();
    if wanted_ids == current_ids {
        return Ok(view_of(conn, registration).await?);
    }

    let involved: Vec<Uuid> = wanted_ids.union(&current_ids).copied().collect();
    let mut freed_seats = Vec::new();
    let mut queue_seq = None;
    for session in events::lock_sessions(conn, &involved).await? {
        let existing = current
            .iter()
            .find(|(choice, _)| choice.session_id == session.id);
        match (existing, wanted_ids.contains(&session.id)) {
            (Some((choice, _)), false) => {
                if choice.status == SeatStatus::Confirmed {
                    store::release_seat(conn, session.id).await?;
                    freed_seats.push(session.id);
                }
                store::delete_choice(conn, registration.id, session.id).await?;
            }
            (None, true) => {
                // New choices join the back of the queue.
                let seq = match queue_seq {
                    Some(seq) => seq,
                    None => *queue_seq.insert(store::next_queue_seq(conn).await?),
                };
                let pending_holds_place = event.approving.pending_holds_place;
                let seated = registration.status.holds_place(pending_holds_place)
                    && seat(session.quota()) == SeatStatus::Confirmed
                    && store::oldest_waiting_choice(conn, session.id, pending_holds_place)
                        .await?
                        .is_none()
                    && store::take_seats(conn, &[(session.id, 1)]).await?;
                let status = if seated {
                    SeatStatus::Confirmed
                } else {
                    SeatStatus::Waitlisted
                };
                store::insert_choice(conn, registration.id, session.id, status, seq).await?;
            }
            _ => {}
        }
    }
    fill_free_seats(conn, event, &freed_seats, None).await?;
    notify(
        conn,
        event,
        registration,
        EmailKind::SessionsChanged,
        manage_url,
    )
    .await
}
