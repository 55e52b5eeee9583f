use chrono::{DateTime, Utc};
use diesel_async::AsyncPgConnection;
use uuid::Uuid;

use super::places::give_back_place;
use super::promote::{fill_free_places, fill_free_seats, notify};
use super::questions::held_places;
use super::token::hash_token;
use super::view::{RegistrationView, lock_by_token, view_of};
use super::{Invariant, RegistrationError, with_retries};
use crate::db::events::{self, Event};
use crate::db::questions as questions_store;
use crate::db::registrations::{self as store, Registration};
use crate::domain::{Answers, RegistrationMove, RegistrationStatus, SeatStatus};
use crate::mail::EmailKind;

/// Cancels the registration behind a private token and, in the same
/// transaction, gives every place it held to the oldest waiting delegate.
/// Cancelling twice is not an error: the second answer shows the first.
pub async fn cancel(
    conn: &mut AsyncPgConnection,
    token: &str,
    manage_url: &str,
    now: DateTime<Utc>,
) -> Result<RegistrationView, RegistrationError> {
    let token_hash = hash_token(token);
    with_retries!(conn, |tx| {
        let (event, registration) = lock_by_token(tx, &token_hash).await?;
        if registration.status.after(RegistrationMove::Cancel).is_err() {
            return Ok(view_of(tx, registration).await?);
        }
        cancel_locked(tx, event, registration, Some(manage_url), now).await
    })
}

/// Gives back the question choice places a registration's answers hold
/// (locked last, in id order). The answers stay, for the organisers' record.
async fn release_question_choices(
    conn: &mut AsyncPgConnection,
    registration: &Registration,
) -> Result<(), RegistrationError> {
    let questions = questions_store::of_event(conn, registration.event_id, None).await?;
    let answers: Answers = questions_store::answers_by_code(conn, registration.id)
        .await?
        .into_iter()
        .collect();
    let mut released: Vec<(Uuid, i32)> = held_places(&questions, &answers)
        .into_iter()
        .map(|(id, count)| (id, -count))
        .collect();
    released.sort_unstable();
    let ids: Vec<Uuid> = released.iter().map(|(id, _)| *id).collect();
    questions_store::lock_choices(conn, &ids).await?;
    if questions_store::move_choice_places(conn, &released).await? {
        Ok(())
    } else {
        Err(Invariant::CounterRefused.into())
    }
}

/// Cancels a live registration whose event row and own row the caller has
/// locked, hands its places to the waiting lists and writes its email.
pub(super) async fn cancel_locked(
    conn: &mut AsyncPgConnection,
    event: Event,
    registration: Registration,
    manage_url: Option<&str>,
    now: DateTime<Utc>,
) -> Result<RegistrationView, RegistrationError> {
    let (event, registration, freed_seats) =
        release(conn, event, registration, Ending::Cancelled, now).await?;
    let view = notify(conn, &event, registration, EmailKind::Cancelled, manage_url).await?;
    fill_free_places(conn, &event, now).await?;
    fill_free_seats(conn, &event, &freed_seats, None).await?;
    Ok(view)
}

/// Cancels a live registration as [`cancel_locked`] does, without writing
/// to the delegate: for a hold whose address was never confirmed.
pub(super) async fn release_places(
    conn: &mut AsyncPgConnection,
    event: Event,
    registration: Registration,
    now: DateTime<Utc>,
) -> Result<(), RegistrationError> {
    let (event, _, freed_seats) =
        release(conn, event, registration, Ending::Cancelled, now).await?;
    fill_free_places(conn, &event, now).await?;
    fill_free_seats(conn, &event, &freed_seats, None).await
}

/// How a registration that gives back its places ends.
pub(super) enum Ending<'a> {
    Cancelled,
    /// An organiser said no: the reason's code, and a note.
    Rejected {
        reason: &'a str,
        note: Option<&'a str>,
    },
}

/// Gives back every place, seat and choice place the registration holds
/// and ends it as `ending` says; returns the event as it now counts, the
/// registration, and the sessions whose seats were freed (sorted).
pub(super) async fn release(
    conn: &mut AsyncPgConnection,
    mut event: Event,
    registration: Registration,
    ending: Ending<'_>,
    now: DateTime<Utc>,
) -> Result<(Event, Registration, Vec<Uuid>), RegistrationError> {
    if registration
        .status
        .holds_place(event.approving.pending_holds_place)
    {
        give_back_place(conn, &mut event, &registration).await?;
    }

    let choices = store::choices_of(conn, registration.id).await?;
    let mut session_ids: Vec<Uuid> = choices
        .iter()
        .map(|(choice, _)| choice.session_id)
        .collect();
    session_ids.sort_unstable();
    let mut freed_seats = Vec::new();
    for session in events::lock_sessions(conn, &session_ids).await? {
        let held_seat = choices.iter().any(|(choice, _)| {
            choice.session_id == session.id && choice.status == SeatStatus::Confirmed
        });
        if held_seat {
            store::release_seat(conn, session.id).await?;
            freed_seats.push(session.id);
        }
        store::delete_choice(conn, registration.id, session.id).await?;
    }
    release_question_choices(conn, &registration).await?;

    let registration = match ending {
        Ending::Cancelled => {
            store::set_status(conn, registration.id, RegistrationStatus::Cancelled, now).await?
        }
        Ending::Rejected { reason, note } => {
            store::reject(conn, registration.id, reason, note, now).await?
        }
    };
    Ok((event, registration, freed_seats))
}
