//! Organisers decide on the registrations of categories that need
//! approval. Each decision is one transaction that locks the event row,
//! then the registration (then, for a place, its category and country in
//! DESIGN.md's order), moves the registration by the domain's state
//! machine, writes the delegate's email in their language and an audit row
//! naming the organiser.
//!
//! Where a pending registration holds its place (`pending_holds_place`),
//! approving confirms it. Where it holds none, approving takes the place
//! now — or, every place being taken, puts it on the waiting list in its
//! turn — and rejecting frees nothing.

use chrono::{DateTime, Utc};
use diesel_async::AsyncPgConnection;
use serde_json::json;
use uuid::Uuid;

use super::admin::{audit_registration, lock_registration};
use super::cancel::{Ending, release};
use super::places::{awaits_approval, take_place};
use super::promote::{
    Links, fill_free_places, fill_free_seats, held_until, notify_with, seat_and_tell,
};
use super::view::{RegistrationView, view_of};
use super::{Invariant, RegistrationError, with_retries};
use crate::db::events::Event;
use crate::db::registrations::{self as store, Registration};
use crate::domain::{
    Admitted, BUILT_IN_REJECTION_REASONS, EmailKind, FieldError, FieldErrors, Language,
    RegistrationMove, RegistrationStatus, TransitionError,
};

/// A refusal the registration's state stands behind (a 409 in the API).
fn refused(message_id: &'static str) -> RegistrationError {
    RegistrationError::Invalid(FieldErrors::single(
        "registration",
        FieldError::new(message_id),
    ))
}

fn transition_refused(error: TransitionError) -> RegistrationError {
    match error {
        TransitionError::AlreadyCancelled => RegistrationError::Cancelled,
        TransitionError::Rejected => refused("admin-approve-rejected"),
        TransitionError::AlreadyConfirmed => refused("admin-reject-confirmed"),
        TransitionError::NotUnverified | TransitionError::NotWaitlisted => {
            Invariant::Transition.into()
        }
    }
}

/// Approves a registration awaiting a decision; approving one already
/// approved is no change (the answer is the same), one that needs no
/// approval is refused.
pub async fn approve(
    conn: &mut AsyncPgConnection,
    event: &Event,
    registration_id: Uuid,
    organiser_id: Uuid,
    now: DateTime<Utc>,
) -> Result<RegistrationView, RegistrationError> {
    with_retries!(conn, |tx| {
        let (event, registration) = lock_registration(tx, event.id, registration_id).await?;
        approve_locked(tx, event, registration, organiser_id, now).await
    })
}

async fn approve_locked(
    conn: &mut AsyncPgConnection,
    mut event: Event,
    registration: Registration,
    organiser_id: Uuid,
    now: DateTime<Utc>,
) -> Result<RegistrationView, RegistrationError> {
    // The state machine speaks first: a cancelled or rejected registration
    // is refused whether or not its category needs approval.
    registration
        .status
        .after(RegistrationMove::Approve(Admitted::Place))
        .map_err(transition_refused)?;
    if !awaits_approval(conn, &registration).await? {
        return if registration.approved_at.is_some() {
            Ok(view_of(conn, registration).await?)
        } else {
            Err(refused("admin-approve-not-needed"))
        };
    }
    let holds = registration
        .status
        .holds_place(event.approving.pending_holds_place);
    let approved = store::mark_approved(conn, registration.id, now).await?;
    let view = if approved.status == RegistrationStatus::Pending && !holds {
        // Outside every quota until now: the place is taken here.
        let hold = held_until(&event, &approved, now);
        let admitted = match (take_place(conn, &mut event, &approved).await?, hold) {
            (Ok(()), Some(_)) => Admitted::Hold,
            (Ok(()), None) => Admitted::Place,
            (Err(_), _) => Admitted::Wait,
        };
        let next = approved
            .status
            .after(RegistrationMove::Approve(admitted))
            .map_err(transition_refused)?;
        let moved = match (admitted, hold) {
            (Admitted::Hold, Some(until)) => {
                store::hold_unverified(conn, approved.id, until, now).await?
            }
            _ => store::set_status(conn, approved.id, next, now).await?,
        };
        match admitted {
            Admitted::Place | Admitted::Hold => {
                seat_and_tell(conn, &event, moved, EmailKind::Approved).await?
            }
            Admitted::Wait => {
                notify_with(conn, &event, moved, EmailKind::Approved, Links::default()).await?
            }
        }
    } else {
        let next = approved
            .status
            .after(RegistrationMove::Approve(Admitted::Place))
            .map_err(transition_refused)?;
        let moved = if next == approved.status {
            approved
        } else {
            store::set_status(conn, approved.id, next, now).await?
        };
        notify_with(conn, &event, moved, EmailKind::Approved, Links::default()).await?
    };
    let detail = json!({"status": view.registration.status});
    audit_registration(
        conn,
        organiser_id,
        &view.registration,
        "registration.approve",
        detail,
    )
    .await?;
    Ok(view)
}

/// The reasons `event` offers for a rejection: the built-in ones (which
/// it may reword), then its own, by code.
pub fn rejection_reasons(event: &Event) -> Vec<String> {
    let own = event
        .approving
        .rejection_reasons
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|reason| reason.get("code")?.as_str().map(str::to_owned));
    let mut codes: Vec<String> = BUILT_IN_REJECTION_REASONS
        .iter()
        .map(|code| (*code).to_owned())
        .collect();
    for code in own {
        if !codes.contains(&code) {
            codes.push(code);
        }
    }
    codes
}

/// A reason's words in `language`: the event's own texts (else their
/// first text), else the catalog's for a built-in one, else the code.
pub fn reason_text(event: &Event, code: &str, language: Language) -> String {
    let texts = event
        .approving
        .rejection_reasons
        .as_array()
        .into_iter()
        .flatten()
        .find(|reason| reason.get("code").and_then(|c| c.as_str()) == Some(code))
        .and_then(|reason| reason.get("texts")?.as_object().cloned())
        .unwrap_or_default();
    let own = texts
        .get(language.code())
        .or_else(|| texts.values().next())
        .and_then(|text| text.as_str());
    match own {
        Some(text) => text.to_owned(),
        None if BUILT_IN_REJECTION_REASONS.contains(&code) => {
            let id = format!("rejection-reason-{}", code.replace('_', "-"));
            crate::i18n::t(language, &id)
        }
        None => code.to_owned(),
    }
}

/// Rejects a registration awaiting a decision, with one of the event's
/// reasons and an optional note to the delegate; its places go to the
/// waiting lists at once. Rejecting twice is no change.
pub async fn reject(
    conn: &mut AsyncPgConnection,
    event: &Event,
    registration_id: Uuid,
    reason: &str,
    note: Option<&str>,
    organiser_id: Uuid,
    now: DateTime<Utc>,
) -> Result<RegistrationView, RegistrationError> {
    with_retries!(conn, |tx| {
        let (event, registration) = lock_registration(tx, event.id, registration_id).await?;
        if !rejection_reasons(&event).iter().any(|code| code == reason) {
            return Err(RegistrationError::Invalid(FieldErrors::single(
                "reason",
                FieldError::new("error-reason-unknown"),
            )));
        }
        registration
            .status
            .after(RegistrationMove::Reject)
            .map_err(transition_refused)?;
        if registration.status == RegistrationStatus::Rejected {
            return Ok(view_of(tx, registration).await?);
        }
        if !awaits_approval(tx, &registration).await? {
            return Err(refused("admin-reject-not-pending"));
        }
        let ending = Ending::Rejected { reason, note };
        let (event, rejected, freed_seats) = release(tx, event, registration, ending, now).await?;
        // The CHECK constraint keeps the stored language one of ours.
        let language = Language::parse(&rejected.language).unwrap_or(Language::En);
        let mut said = crate::i18n::t_args(
            language,
            "email-rejection-reason",
            &[("reason", reason_text(&event, reason, language).into())],
        );
        if let Some(note) = note {
            said.push_str("\n\n");
            said.push_str(note);
        }
        let links = Links {
            reason: Some(&said),
            ..Links::default()
        };
        let view = notify_with(tx, &event, rejected, EmailKind::Rejected, links).await?;
        fill_free_places(tx, &event, now).await?;
        fill_free_seats(tx, &event, &freed_seats, None).await?;
        let detail = json!({"reason": reason, "note": note});
        audit_registration(
            tx,
            organiser_id,
            &view.registration,
            "registration.reject",
            detail,
        )
        .await?;
        Ok(view)
    })
}

/// The most registrations one bulk approval takes.
pub const MAX_BULK: usize = 500;

/// Approves each of `ids` in its own transaction, in the order given: one
/// that cannot be approved (not of this event, cancelled, rejected, not
/// needing approval) is refused alone and the others go on. Approving the
/// same registrations again answers the same.
pub async fn approve_many(
    conn: &mut AsyncPgConnection,
    event: &Event,
    ids: &[Uuid],
    organiser_id: Uuid,
    now: DateTime<Utc>,
) -> Result<Vec<(Uuid, Result<RegistrationView, RegistrationError>)>, RegistrationError> {
    let mut answers = Vec::with_capacity(ids.len());
    for &id in ids {
        let answer = approve(conn, event, id, organiser_id, now).await;
        match answer {
            Err(RegistrationError::Database(error)) => return Err(error.into()),
            Err(error @ (RegistrationError::Invariant(_) | RegistrationError::Email(_))) => {
                return Err(error);
            }
            other => answers.push((id, other)),
        }
    }
    Ok(answers)
}
