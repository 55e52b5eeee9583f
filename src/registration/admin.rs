//! What organisers do, from the back office and the API: set events,
//! sessions and country quotas up (a raised quota may promote waiting
//! delegates), word emails, act on one registration by its id, resend a
//! delegate's last email and requeue a failed one.
//! Each is one transaction that locks the event row first (see the module
//! doc) and writes who did what to the audit log in that transaction.

use chrono::{DateTime, Utc};
use diesel::QueryResult;
use diesel::result::Error as DieselError;
use diesel_async::{AsyncConnection, AsyncPgConnection};
use serde_json::json;
use uuid::Uuid;

use super::cancel::cancel_locked;
use super::change_sessions::change_locked;
use super::places::take_place;
use super::promote::{confirm_promoted, fill_free_places, fill_free_seats};
use super::view::RegistrationView;
use super::{RegistrationError, with_retries};
use crate::db::admin as admin_store;
use crate::db::email_texts;
use crate::db::events::{self as events_store, CountryQuota, Event, NewEvent, NewSession, Session};
use crate::db::organisers::{self, audit};
use crate::db::outbox::{self, NewEmail};
use crate::db::registrations::{self as store, Registration};
use crate::domain::{
    Blocker, CountryCode, EmailKind, EventRole, FieldError, FieldErrors, RegistrationMove,
    SessionCode,
};

/// A refusal that belongs to no form field, in words of the back office.
fn refused(field: &str, message_id: &'static str) -> RegistrationError {
    RegistrationError::Invalid(FieldErrors::single(field, FieldError::new(message_id)))
}

fn below_taken(field: &str, taken: i32) -> RegistrationError {
    RegistrationError::Invalid(FieldErrors::single(
        field,
        FieldError::new("error-capacity-below-taken").with_arg("taken", taken.to_string()),
    ))
}

/// Records who changed how an event is set up.
async fn audit_event(
    conn: &mut AsyncPgConnection,
    organiser_id: Uuid,
    event_id: Uuid,
    action: &str,
    detail: serde_json::Value,
) -> QueryResult<()> {
    audit(
        conn,
        Some(organiser_id),
        Some(event_id),
        None,
        action,
        detail,
    )
    .await
}

/// `None` for a transaction that failed on a unique key: the event's slug,
/// the session's code.
fn unless_taken<T>(result: QueryResult<T>) -> QueryResult<Option<T>> {
    match result {
        Ok(created) => Ok(Some(created)),
        Err(error) if admin_store::is_unique_violation(&error) => Ok(None),
        Err(error) => Err(error),
    }
}

/// Creates an event; `None` when its slug is taken.
pub async fn create_event(
    conn: &mut AsyncPgConnection,
    event: &NewEvent<'_>,
    organiser_id: Uuid,
) -> QueryResult<Option<Event>> {
    let created = conn
        .transaction(async |tx| {
            let event = events_store::insert(tx, event).await?;
            // Whoever creates an event owns it.
            organisers::grant_role(tx, organiser_id, event.id, EventRole::Owner).await?;
            let detail = json!({"slug": event.slug});
            audit_event(tx, organiser_id, event.id, "event.create", detail).await?;
            Ok(event)
        })
        .await;
    unless_taken(created)
}

/// Creates a session; `None` when the event has a session with its code.
pub async fn create_session(
    conn: &mut AsyncPgConnection,
    session: &NewSession<'_>,
    organiser_id: Uuid,
) -> QueryResult<Option<Session>> {
    let created = conn
        .transaction(async |tx| {
            let session = events_store::insert_session(tx, session).await?;
            let detail = json!({"code": session.code});
            audit_event(tx, organiser_id, session.event_id, "session.create", detail).await?;
            Ok(session)
        })
        .await;
    unless_taken(created)
}

/// Changes an event's dates, window, languages and capacities. A capacity
/// (or default country quota) below the places already taken is refused; a
/// higher one gives its new places to the waiting lists at once.
pub async fn update_event(
    conn: &mut AsyncPgConnection,
    event_id: Uuid,
    changes: &NewEvent<'_>,
    organiser_id: Uuid,
    now: DateTime<Utc>,
) -> Result<(), RegistrationError> {
    with_retries!(conn, |tx| {
        let before = store::lock_event(tx, event_id).await?;
        if changes
            .capacity
            .is_some_and(|capacity| capacity < before.taken)
        {
            return Err(below_taken("capacity", before.taken));
        }
        if let Some(default) = changes.default_country_capacity
            && let Some(taken) = events_store::most_taken_on_default_quota(tx, event_id).await?
            && default < taken
        {
            return Err(below_taken("default_country_capacity", taken));
        }
        // Whether pending registrations hold places is what their counts
        // were moved by: it stays while any awaits a decision.
        if changes.approving.pending_holds_place != before.approving.pending_holds_place
            && store::any_pending(tx, event_id).await?
        {
            return Err(refused("pending_holds_place", "error-pending-holds-fixed"));
        }
        let event = events_store::update_event(tx, event_id, changes).await?;
        events_store::apply_default_country_capacity(tx, event_id, event.default_country_capacity)
            .await?;
        fill_free_places(tx, &event, now).await?;
        audit_event(
            tx,
            organiser_id,
            event_id,
            "event.update",
            json!({
                "capacity": {"before": before.capacity, "after": event.capacity},
                "default_country_capacity": {
                    "before": before.default_country_capacity,
                    "after": event.default_country_capacity,
                },
            }),
        )
        .await?;
        Ok(())
    })
}

/// Locks the event, then the session, which must be one of the event's.
async fn lock_session(
    conn: &mut AsyncPgConnection,
    event_id: Uuid,
    session_id: Uuid,
) -> Result<(Event, Session), RegistrationError> {
    let event = store::lock_event(conn, event_id).await?;
    let session = events_store::lock_sessions(conn, &[session_id])
        .await?
        .into_iter()
        .find(|session| session.event_id == event_id)
        .ok_or(RegistrationError::NotFound)?;
    Ok((event, session))
}

/// Changes a session (not its code). Fewer seats than are taken is
/// refused; more seats go to the session's waiting list at once.
pub async fn update_session(
    conn: &mut AsyncPgConnection,
    event: &Event,
    session_id: Uuid,
    changes: &NewSession<'_>,
    organiser_id: Uuid,
) -> Result<(), RegistrationError> {
    with_retries!(conn, |tx| {
        let (event, before) = lock_session(tx, event.id, session_id).await?;
        if changes
            .capacity
            .is_some_and(|capacity| capacity < before.taken)
        {
            return Err(below_taken("capacity", before.taken));
        }
        events_store::update_session(tx, session_id, changes).await?;
        fill_free_seats(tx, &event, &[session_id], None).await?;
        let capacity = json!({"before": before.capacity, "after": changes.capacity});
        let detail = json!({"code": before.code, "capacity": capacity});
        audit_event(tx, organiser_id, event.id, "session.update", detail).await?;
        Ok(())
    })
}

/// Deletes a session nobody chose; one with choices is refused, so that no
/// delegate loses a seat without being told.
pub async fn delete_session(
    conn: &mut AsyncPgConnection,
    event: &Event,
    session_id: Uuid,
    organiser_id: Uuid,
) -> Result<(), RegistrationError> {
    with_retries!(conn, |tx| {
        let (event, session) = lock_session(tx, event.id, session_id).await?;
        let choices = events_store::choices_of_session(tx, session_id).await?;
        if choices > 0 {
            let error =
                FieldError::new("admin-session-has-choices").with_arg("count", choices.to_string());
            return Err(RegistrationError::Invalid(FieldErrors::single(
                "session", error,
            )));
        }
        events_store::delete_session(tx, session_id).await?;
        audit_event(
            tx,
            organiser_id,
            event.id,
            "session.delete",
            json!({"code": session.code}),
        )
        .await?;
        Ok(())
    })
}

/// Sets the organisers' own wording of one email kind in one language:
/// the next emails of that kind in that language use it.
pub async fn set_email_text(
    conn: &mut AsyncPgConnection,
    event_id: Uuid,
    text: &EmailTextChange<'_>,
    organiser_id: Uuid,
) -> QueryResult<()> {
    conn.transaction(async |tx| {
        email_texts::upsert(
            tx,
            event_id,
            text.kind,
            text.language,
            text.subject,
            text.body,
        )
        .await?;
        let detail = json!({"kind": text.kind, "language": text.language});
        audit_event(tx, organiser_id, event_id, "email_text.set", detail).await
    })
    .await
}

/// What [`set_email_text`] writes.
pub struct EmailTextChange<'a> {
    pub kind: EmailKind,
    pub language: &'a str,
    pub subject: &'a str,
    pub body: &'a str,
}

/// Back to the built-in wording of one email kind in one language; `false`
/// when the organisers had none of their own.
pub async fn reset_email_text(
    conn: &mut AsyncPgConnection,
    event_id: Uuid,
    kind: EmailKind,
    language: &str,
    organiser_id: Uuid,
) -> QueryResult<bool> {
    conn.transaction(async |tx| {
        let deleted = email_texts::delete(tx, event_id, kind, language).await?;
        if deleted {
            let detail = json!({"kind": kind, "language": language});
            audit_event(tx, organiser_id, event_id, "email_text.delete", detail).await?;
        }
        Ok(deleted)
    })
    .await
}

/// One line of a quota import: a country and its capacity (`None`: no limit).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuotaLine {
    /// Where it stands in what the organiser sent, to name it in a refusal.
    pub line: usize,
    pub country: CountryCode,
    pub capacity: Option<i32>,
}

/// Sets many country quotas at once: all of them, or none when one would
/// fall below the places its country has taken (filed under its line
/// number). Raised quotas then promote waiting delegates, as one change does.
pub async fn import_country_quotas(
    conn: &mut AsyncPgConnection,
    event: &Event,
    lines: &[QuotaLine],
    organiser_id: Uuid,
    now: DateTime<Utc>,
) -> Result<(), RegistrationError> {
    with_retries!(conn, |tx| {
        let event = store::lock_event(tx, event.id).await?;
        // In the order sent, so that a refusal names the first bad line.
        for line in lines {
            let field = line.line.to_string();
            apply_country_capacity(tx, &event, &line.country, line.capacity, &field).await?;
        }
        fill_free_places(tx, &event, now).await?;
        let quotas: serde_json::Map<String, serde_json::Value> = lines
            .iter()
            .map(|line| (line.country.as_str().to_owned(), json!(line.capacity)))
            .collect();
        audit_event(
            tx,
            organiser_id,
            event.id,
            "country_quota.import",
            json!({ "quotas": quotas }),
        )
        .await?;
        Ok(())
    })
}

/// Locks the event, then the registration, which must be one of the event's.
pub(super) async fn lock_registration(
    conn: &mut AsyncPgConnection,
    event_id: Uuid,
    registration_id: Uuid,
) -> Result<(Event, Registration), RegistrationError> {
    let event = store::lock_event(conn, event_id).await?;
    let registration = store::lock(conn, registration_id)
        .await
        .map_err(|error| match error {
            DieselError::NotFound => RegistrationError::NotFound,
            other => other.into(),
        })?;
    if registration.event_id != event_id {
        return Err(RegistrationError::NotFound);
    }
    Ok((event, registration))
}

pub(super) async fn audit_registration(
    conn: &mut AsyncPgConnection,
    organiser_id: Uuid,
    registration: &Registration,
    action: &str,
    detail: serde_json::Value,
) -> QueryResult<()> {
    audit(
        conn,
        Some(organiser_id),
        Some(registration.event_id),
        Some(registration.id),
        action,
        detail,
    )
    .await
}

/// Cancels a registration for the delegate; their places go to the waiting
/// lists and they are told by email (without their private link, which
/// only they hold). A registration already cancelled is refused.
pub async fn cancel(
    conn: &mut AsyncPgConnection,
    event: &Event,
    registration_id: Uuid,
    organiser_id: Uuid,
    now: DateTime<Utc>,
) -> Result<RegistrationView, RegistrationError> {
    with_retries!(conn, |tx| {
        let (event, registration) = lock_registration(tx, event.id, registration_id).await?;
        if registration.status.after(RegistrationMove::Cancel).is_err() {
            return Err(RegistrationError::Cancelled);
        }
        let detail = json!({"status_before": registration.status});
        let view = cancel_locked(tx, event, registration, None, now).await?;
        audit_registration(
            tx,
            organiser_id,
            &view.registration,
            "registration.cancel",
            detail,
        )
        .await?;
        Ok(view)
    })
}

/// Gives a waiting delegate a place now, ahead of anyone queued before
/// them, when both the event and their country have a place free; refused
/// otherwise, since that place would be someone else's or not exist.
pub async fn promote_out_of_turn(
    conn: &mut AsyncPgConnection,
    event: &Event,
    registration_id: Uuid,
    organiser_id: Uuid,
    why: &str,
    now: DateTime<Utc>,
) -> Result<RegistrationView, RegistrationError> {
    with_retries!(conn, |tx| {
        let (event, registration) = lock_registration(tx, event.id, registration_id).await?;
        let promotion = RegistrationMove::Promote {
            verify: registration.email_verified_at.is_none(),
            awaiting_approval: false,
        };
        if registration.status.after(promotion).is_err() {
            return Err(refused("registration", "admin-promote-not-waiting"));
        }
        let mut event = event;
        match take_place(tx, &mut event, &registration).await? {
            Ok(()) => {}
            Err(Blocker::Event) => return Err(refused("registration", "admin-promote-event-full")),
            Err(Blocker::Country) => {
                return Err(refused("registration", "admin-promote-country-full"));
            }
            Err(Blocker::Category) => {
                return Err(refused("registration", "admin-promote-category-full"));
            }
        }
        let view = confirm_promoted(tx, &event, &registration, now).await?;
        audit_registration(
            tx,
            organiser_id,
            &view.registration,
            "registration.promote",
            json!({"out_of_turn": true, "why": why}),
        )
        .await?;
        Ok(view)
    })
}

/// Replaces a delegate's session choices for them, by the delegates' own
/// rules (known sessions, none at the same time), and tells them by email.
pub async fn change_sessions(
    conn: &mut AsyncPgConnection,
    event: &Event,
    registration_id: Uuid,
    codes: &[SessionCode],
    organiser_id: Uuid,
) -> Result<RegistrationView, RegistrationError> {
    with_retries!(conn, |tx| {
        let (event, registration) = lock_registration(tx, event.id, registration_id).await?;
        let before: Vec<String> = store::choices_of(tx, registration.id)
            .await?
            .into_iter()
            .map(|(_, session)| session.code)
            .collect();
        let view = change_locked(tx, &event, registration, codes, None).await?;
        let after: Vec<&str> = view
            .choices
            .iter()
            .map(|choice| choice.session.code.as_str())
            .collect();
        audit_registration(
            tx,
            organiser_id,
            &view.registration,
            "registration.sessions",
            json!({"before": before, "after": after}),
        )
        .await?;
        Ok(view)
    })
}

/// Puts a failed email of the event back in the queue, due now.
pub async fn retry_email(
    conn: &mut AsyncPgConnection,
    event: &Event,
    email_id: Uuid,
    organiser_id: Uuid,
) -> Result<(), RegistrationError> {
    with_retries!(conn, |tx| {
        let email = admin_store::retry_failed_email(tx, event.id, email_id)
            .await?
            .ok_or(RegistrationError::NotFound)?;
        // Filed under the registration too, so its page shows the retry.
        audit(
            tx,
            Some(organiser_id),
            Some(event.id),
            email.registration_id,
            "email.retry",
            json!({"email": email.id, "kind": email.kind, "attempts": email.attempts}),
        )
        .await?;
        Ok(())
    })
}

/// Sets a country's own quota. Refused below the places already taken; a
/// higher quota gives the new places to that country's waiting list at once.
pub async fn set_country_capacity(
    conn: &mut AsyncPgConnection,
    event: &Event,
    country: CountryCode,
    capacity: Option<i32>,
    organiser_id: Uuid,
    now: DateTime<Utc>,
) -> Result<CountryQuota, RegistrationError> {
    with_retries!(conn, |tx| {
        let event = store::lock_event(tx, event.id).await?;
        let quota = apply_country_capacity(tx, &event, &country, capacity, "capacity").await?;
        fill_free_places(tx, &event, now).await?;
        audit(
            tx,
            Some(organiser_id),
            Some(event.id),
            None,
            "country_quota.set",
            serde_json::json!({"country": country.as_str(), "capacity": capacity, "before": quota.capacity}),
        )
        .await?;
        Ok(store::country_quota(tx, event.id, country.as_str()).await?)
    })
}

/// Sets a country's own quota while the caller holds the event lock, and
/// returns the quota as it was. Below the places already taken it is
/// refused, the problem filed under `field`.
async fn apply_country_capacity(
    conn: &mut AsyncPgConnection,
    event: &Event,
    country: &CountryCode,
    capacity: Option<i32>,
    field: &str,
) -> Result<CountryQuota, RegistrationError> {
    let quota = store::lock_country_quota(conn, event, country.as_str()).await?;
    if capacity.is_some_and(|capacity| capacity < quota.taken) {
        let error = FieldError::new("error-capacity-below-taken")
            .with_arg("taken", quota.taken.to_string());
        return Err(RegistrationError::Invalid(FieldErrors::single(
            field, error,
        )));
    }
    events_store::set_country_capacity(conn, event.id, country.as_str(), capacity).await?;
    Ok(quota)
}

/// Queues the delegate's last confirmation or waiting-list email again,
/// word for word (it carries the private link, which only its hash
/// otherwise keeps).
pub async fn resend(
    conn: &mut AsyncPgConnection,
    event: &Event,
    registration_id: Uuid,
    organiser_id: Uuid,
) -> Result<(), RegistrationError> {
    with_retries!(conn, |tx| {
        let registration = store::find(tx, registration_id)
            .await
            .map_err(|error| match error {
                DieselError::NotFound => RegistrationError::NotFound,
                other => other.into(),
            })?;
        if registration.event_id != event.id {
            return Err(RegistrationError::NotFound);
        }
        let last = outbox::last_announcement(tx, registration.id)
            .await?
            .ok_or(RegistrationError::NotFound)?;
        outbox::enqueue(
            tx,
            &NewEmail {
                id: Uuid::now_v7(),
                event_id: event.id,
                registration_id: Some(registration.id),
                kind: EmailKind::Resend,
                recipient: &registration.email,
                language: &last.language,
                subject: last.subject.as_deref().unwrap_or_default(),
                body_text: last.body_text.as_deref().unwrap_or_default(),
                body_html: last.body_html.as_deref().unwrap_or_default(),
                attachment_ics: last.attachment_ics.as_deref(),
            },
        )
        .await?;
        audit(
            tx,
            Some(organiser_id),
            Some(event.id),
            Some(registration.id),
            "email.resend",
            serde_json::json!({"copied_from": last.id, "kind": last.kind}),
        )
        .await?;
        Ok(())
    })
}
