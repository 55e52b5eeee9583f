//! Email-verified places. In an event that verifies emails, the first
//! email of every registration carries a link; following it confirms the
//! address. A registration that gets a place before its address is
//! confirmed (on arrival, or promoted from the waiting list) only holds it,
//! until a deadline; following the link by then confirms the place. A hold
//! that runs out is cancelled by the worker and its places go to the
//! waiting lists, as a cancellation's do; the lapsed address is not written
//! to again (it may well be made up).
//!
//! The link's token is not the private token, so that the page it opens
//! (one button) can be forwarded or scanned without giving away the
//! registration; it is stored hashed, like the private token.

use chrono::{DateTime, Utc};
use diesel_async::AsyncPgConnection;
use uuid::Uuid;

use super::cancel::release_places;
use super::places::awaits_approval;
use super::promote::{Links, notify_with};
use super::token::{PrivateToken, hash_token};
use super::view::{RegistrationView, view_of};
use super::{RegistrationError, with_retries};
use crate::db::events::Event;
use crate::db::organisers::audit;
use crate::db::outbox;
use crate::db::registrations::{self as store, Registration};
use crate::domain::{
    EmailAddress, EmailKind, RegistrationMove, RegistrationStatus, TransitionError,
};

/// The link a new registration of an event that verifies emails is sent,
/// and until when a place given now is held.
pub(super) struct Hold {
    token: PrivateToken,
    pub hash: [u8; 32],
    pub until: DateTime<Utc>,
}

impl Hold {
    /// The link and deadline of a registration made `now`, if the event
    /// verifies emails.
    pub(super) fn of(event: &Event, now: DateTime<Utc>) -> Option<Hold> {
        event.verifying.hold_until(now).map(|until| {
            let token = PrivateToken::generate();
            Hold {
                hash: token.hash(),
                token,
                until,
            }
        })
    }

    /// The page the email links to (a GET shows a button; only its POST
    /// confirms, so that link scanners confirm nothing).
    pub(super) fn url(&self, public_url: &str) -> String {
        format!("{public_url}/verify/{}", self.token.as_str())
    }
}

/// What following a verification link did.
pub struct Verified {
    pub view: RegistrationView,
    /// False when the address was already confirmed (a second click).
    pub now: bool,
}

/// Confirms the address of the registration whose link token is `token`,
/// and the place it holds. A second click answers as the first did; a
/// lapsed hold is a cancelled registration. A hold past its deadline that
/// the worker has not cancelled yet (at most one of its rounds, 30 s) is
/// still confirmed: nobody next in line has been offered its place.
pub async fn verify(
    conn: &mut AsyncPgConnection,
    token: &str,
    now: DateTime<Utc>,
) -> Result<Verified, RegistrationError> {
    let hash = hash_token(token);
    with_retries!(conn, |tx| {
        let found = store::find_by_verification_hash(tx, &hash)
            .await?
            .ok_or(RegistrationError::NotFound)?;
        store::lock_event(tx, found.event_id).await?;
        let registration = store::lock(tx, found.id).await?;
        let awaiting_approval = awaits_approval(tx, &registration).await?;
        let next = registration
            .status
            .after(RegistrationMove::Verify { awaiting_approval })
            .map_err(refusal)?;
        if registration.email_verified_at.is_some() {
            let view = view_of(tx, registration).await?;
            return Ok(Verified { view, now: false });
        }
        let registration = store::verify_email(tx, registration.id, next, now).await?;
        let detail = serde_json::json!({"reference": registration.reference});
        let (event_id, id) = (registration.event_id, registration.id);
        audit(
            tx,
            None,
            Some(event_id),
            Some(id),
            "registration.verify",
            detail,
        )
        .await?;
        let view = view_of(tx, registration).await?;
        Ok(Verified { view, now: true })
    })
}

fn refusal(error: TransitionError) -> RegistrationError {
    match error {
        TransitionError::AlreadyCancelled => RegistrationError::Cancelled,
        // Verifying refuses only a cancelled registration.
        TransitionError::NotUnverified
        | TransitionError::NotWaitlisted
        | TransitionError::Rejected
        | TransitionError::AlreadyConfirmed => RegistrationError::NotFound,
    }
}

/// How long a delegate waits between two new links: asking again and again
/// must not flood their mailbox.
pub const LINK_AGAIN_MINUTES: i64 = 10;

/// Sends a new verification link to the live registration of `event_id`
/// with this address, if it still awaits the address's confirmation and
/// got no new link in the last [`LINK_AGAIN_MINUTES`]; the earlier links
/// stop working. Says whether one was sent; the page that asks never tells
/// (nobody learns who registered).
pub async fn send_link_again(
    conn: &mut AsyncPgConnection,
    event_id: Uuid,
    email: &EmailAddress,
    public_url: &str,
    now: DateTime<Utc>,
) -> Result<bool, RegistrationError> {
    with_retries!(conn, |tx| {
        let event = store::lock_event(tx, event_id).await?;
        let Some(found) = store::awaiting_verification(tx, event.id, email.as_str()).await? else {
            return Ok(false);
        };
        let registration = store::lock(tx, found.id).await?;
        let recently = now - chrono::Duration::minutes(LINK_AGAIN_MINUTES);
        let kind = EmailKind::Verification;
        // Read again under the lock: cancelled, rejected or confirmed
        // meanwhile. A rejected registration has no place to keep.
        let verify = RegistrationMove::Verify {
            awaiting_approval: false,
        };
        if registration.status.after(verify).is_err()
            || registration.status == RegistrationStatus::Rejected
            || registration.email_verified_at.is_some()
            || outbox::sent_since(tx, registration.id, kind, recently).await?
        {
            return Ok(false);
        }
        let Some(hold) = Hold::of(&event, now) else {
            // The event stopped verifying emails: nothing to confirm.
            return Ok(false);
        };
        store::replace_verification_hash(tx, registration.id, &hold.hash).await?;
        let url = hold.url(public_url);
        let links = Links {
            verify: Some(&url),
            ..Links::default()
        };
        notify_with(tx, &event, registration, kind, links).await?;
        Ok(true)
    })
}

/// How many lapsed holds one round cancels; the next round takes the rest.
const EXPIRE_BATCH: i64 = 200;

/// Cancels every hold that ran out by `now`, each in its own transaction
/// (event lock first), giving its places to the waiting lists with their
/// emails. Returns how many were cancelled.
pub async fn expire_holds(
    conn: &mut AsyncPgConnection,
    now: DateTime<Utc>,
) -> Result<usize, RegistrationError> {
    let mut expired = 0;
    loop {
        let due = store::expired_holds(conn, now, EXPIRE_BATCH).await?;
        let round = due.len();
        for (event_id, registration_id) in due {
            if expire_one(conn, event_id, registration_id, now).await? {
                expired += 1;
            }
        }
        if round < EXPIRE_BATCH as usize {
            return Ok(expired);
        }
    }
}

/// Cancels one lapsed hold, unless the delegate confirmed (or cancelled)
/// since it was listed.
async fn expire_one(
    conn: &mut AsyncPgConnection,
    event_id: Uuid,
    registration_id: Uuid,
    now: DateTime<Utc>,
) -> Result<bool, RegistrationError> {
    with_retries!(conn, |tx| {
        let event = store::lock_event(tx, event_id).await?;
        let registration: Registration = store::lock(tx, registration_id).await?;
        let lapsed = registration.verify_by.is_some_and(|by| by <= now);
        let next = match registration.status.after(RegistrationMove::Expire) {
            Ok(next) if lapsed => next,
            Ok(_) | Err(_) => return Ok(false),
        };
        debug_assert_eq!(next, RegistrationStatus::Cancelled);
        let detail = serde_json::json!({
            "reference": registration.reference,
            "verify_by": registration.verify_by,
        });
        let id = registration.id;
        audit(
            tx,
            None,
            Some(event_id),
            Some(id),
            "registration.expire",
            detail,
        )
        .await?;
        release_places(tx, event, registration, now).await?;
        Ok(true)
    })
}
