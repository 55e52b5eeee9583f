//! Giving freed places to the waiting lists, first come first served, in the
//! transaction that freed them. The caller holds the event lock.

use chrono::{DateTime, Utc};
use diesel::QueryResult;
use diesel::result::Error as DieselError;
use diesel_async::AsyncPgConnection;
use uuid::Uuid;

use super::view::{RegistrationView, view_of};
use crate::db::email_texts;
use crate::db::events::Event;
use crate::db::outbox::{self, NewEmail};
use crate::db::registrations::{self as store, Registration};
use crate::mail::{self, EmailKind, RenderedEmail};

/// Promotes waiting registrations, oldest first, while the event has room
/// and a waiting delegate's country has room too. `event` is the row as
/// locked by the caller, with the counts of this transaction so far.
pub async fn fill_free_places(
    conn: &mut AsyncPgConnection,
    event: &Event,
    now: DateTime<Utc>,
) -> QueryResult<()> {
    let mut event_taken = event.taken;
    while event.capacity.is_none_or(|capacity| event_taken < capacity) {
        let Some(waiting) = store::oldest_promotable(conn, event.id).await? else {
            break;
        };
        store::lock_country_quota(conn, event, &waiting.country_code).await?;
        // The country's quota may have been lowered since the look-up: ask again.
        if !store::take_country_place(conn, event.id, &waiting.country_code).await? {
            continue;
        }
        if !store::take_event_place(conn, event.id).await? {
            // Impossible while we hold the event lock; never leave counts skewed.
            return Err(DieselError::RollbackTransaction);
        }
        event_taken += 1;
        let registration = store::set_status(conn, waiting.id, "confirmed", now).await?;
        let mut waiting_sessions: Vec<Uuid> = store::choices_of(conn, registration.id)
            .await?
            .into_iter()
            .map(|(choice, _)| choice.session_id)
            .collect();
        waiting_sessions.sort_unstable();
        // Their choices now queue like everyone else's: older waiting choices
        // of confirmed delegates are seated first.
        fill_free_seats(conn, event, &waiting_sessions, Some(registration.id)).await?;
        // Written after the seats are settled, so the email lists them.
        notify(conn, event, registration, EmailKind::Promoted, None).await?;
    }
    Ok(())
}

/// Gives each free seat of these sessions to the oldest waiting choice of a
/// confirmed delegate, and tells them — except `already_told`, whose email
/// is being written by the caller. `session_ids` must be sorted (lock order).
pub async fn fill_free_seats(
    conn: &mut AsyncPgConnection,
    event: &Event,
    session_ids: &[Uuid],
    already_told: Option<Uuid>,
) -> QueryResult<()> {
    for session in store::lock_sessions(conn, session_ids).await? {
        while let Some(choice) = store::oldest_waiting_choice(conn, session.id).await? {
            if !store::take_seat(conn, session.id).await? {
                break;
            }
            store::set_choice_status(conn, choice.registration_id, session.id, "confirmed").await?;
            if already_told != Some(choice.registration_id) {
                let registration = store::find(conn, choice.registration_id).await?;
                notify(conn, event, registration, EmailKind::Promoted, None).await?;
            }
        }
    }
    Ok(())
}

/// Writes the email telling a delegate about `kind`, rendered from the
/// registration as it now stands, and returns that view.
pub async fn notify(
    conn: &mut AsyncPgConnection,
    event: &Event,
    registration: Registration,
    kind: EmailKind,
    manage_url: Option<&str>,
) -> QueryResult<RegistrationView> {
    let view = view_of(conn, registration).await?;
    let custom =
        email_texts::find(conn, event.id, kind.as_str(), &view.registration.language).await?;
    let email = mail::render(kind, event, &view, manage_url, custom.as_ref());
    outbox::enqueue(conn, &outbox_row(kind, &view.registration, &email)).await?;
    Ok(view)
}

/// The outbox row of `email`, telling `registration` about `kind`.
pub(super) fn outbox_row<'a>(
    kind: EmailKind,
    registration: &'a Registration,
    email: &'a RenderedEmail,
) -> NewEmail<'a> {
    NewEmail {
        id: Uuid::now_v7(),
        event_id: registration.event_id,
        registration_id: Some(registration.id),
        kind: kind.as_str(),
        recipient: &registration.email,
        language: &registration.language,
        subject: &email.subject,
        body_text: &email.text,
        body_html: &email.html,
        attachment_ics: email.ics.as_deref(),
    }
}
