//! Giving freed places to the waiting lists, first come first served, in the
//! transaction that freed them. The caller holds the event lock.

use chrono::{DateTime, Utc};
use diesel_async::AsyncPgConnection;
use uuid::Uuid;

use super::places::{awaits_approval, take_place};
use super::view::{RegistrationView, view_of};
use super::{Invariant, RegistrationError};
use crate::db::categories as categories_store;
use crate::db::email_texts::{self, EmailText};
use crate::db::events::{self, Event};
use crate::db::outbox::{self, NewEmail};
use crate::db::registrations::{self as store, Registration};
use crate::domain::{Language, RegistrationMove, SeatStatus};
use crate::mail::{
    self, Delegate, EmailKind, Letter, Meeting, RenderError, RenderedEmail, Seat, Verify, Wording,
};

/// Promotes waiting registrations, oldest first, while one has room in
/// every counter it counts in: the event and its country, and its
/// category's own places (only those, for a category outside the quotas,
/// which a full event may still promote into). `event` is the row as
/// locked by the caller, with the counts of this transaction so far.
pub async fn fill_free_places(
    conn: &mut AsyncPgConnection,
    event: &Event,
    now: DateTime<Utc>,
) -> Result<(), RegistrationError> {
    let mut event = event.clone();
    loop {
        let event_has_room = event.quota().has_room();
        if !event_has_room && !categories_store::has_room_outside_quotas(conn, event.id).await? {
            break;
        }
        let Some(waiting) = store::oldest_promotable(conn, event.id, event_has_room).await? else {
            break;
        };
        // The look-up read the counters this transaction holds locked: a
        // refusal now would be a bug, and never leaves counts skewed.
        if take_place(conn, &mut event, &waiting).await?.is_err() {
            return Err(Invariant::CounterRefused.into());
        }
        confirm_promoted(conn, &event, &waiting, now).await?;
    }
    Ok(())
}

/// Confirms a waiting registration whose event and country places the
/// caller has just taken (or holds them, in an event that verifies emails,
/// until the delegate confirms their address), and writes its promotion
/// email.
pub(super) async fn confirm_promoted(
    conn: &mut AsyncPgConnection,
    event: &Event,
    waiting: &Registration,
    now: DateTime<Utc>,
) -> Result<RegistrationView, RegistrationError> {
    let hold = held_until(event, waiting, now);
    let promotion = RegistrationMove::Promote {
        verify: hold.is_some(),
        awaiting_approval: awaits_approval(conn, waiting).await?,
    };
    let next = waiting
        .status
        .after(promotion)
        .map_err(|_| Invariant::Transition)?;
    let registration = match hold {
        Some(until) => store::hold_unverified(conn, waiting.id, until, now).await?,
        None => store::set_status(conn, waiting.id, next, now).await?,
    };
    seat_and_tell(conn, event, registration, EmailKind::Promoted).await
}

/// Until when a place given `now` to `registration` is only held: an
/// address already confirmed gets the place, any other only a hold (in an
/// event that verifies emails).
pub(super) fn held_until(
    event: &Event,
    registration: &Registration,
    now: DateTime<Utc>,
) -> Option<DateTime<Utc>> {
    (registration.email_verified_at.is_none())
        .then(|| event.verifying.hold_until(now))
        .flatten()
}

/// Seats a registration just given a place in the sessions it waits for
/// (after older waiting choices), then writes its `kind` email, which
/// lists them.
pub(super) async fn seat_and_tell(
    conn: &mut AsyncPgConnection,
    event: &Event,
    registration: Registration,
    kind: EmailKind,
) -> Result<RegistrationView, RegistrationError> {
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
    notify(conn, event, registration, kind, None).await
}

/// Gives each free seat of these sessions to the oldest waiting choice of a
/// confirmed delegate, and tells them — except `already_told`, whose email
/// is being written by the caller. `session_ids` must be sorted (lock order).
pub async fn fill_free_seats(
    conn: &mut AsyncPgConnection,
    event: &Event,
    session_ids: &[Uuid],
    already_told: Option<Uuid>,
) -> Result<(), RegistrationError> {
    for session in events::lock_sessions(conn, session_ids).await? {
        let pending_holds_place = event.approving.pending_holds_place;
        while let Some(choice) =
            store::oldest_waiting_choice(conn, session.id, pending_holds_place).await?
        {
            if !store::take_seats(conn, &[(session.id, 1)]).await? {
                break;
            }
            let seated = SeatStatus::Confirmed;
            store::set_choice_status(conn, choice.registration_id, session.id, seated).await?;
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
) -> Result<RegistrationView, RegistrationError> {
    let links = Links {
        manage: manage_url,
        ..Links::default()
    };
    notify_with(conn, event, registration, kind, links).await
}

/// [`notify`], with every link the email may carry.
pub(super) async fn notify_with(
    conn: &mut AsyncPgConnection,
    event: &Event,
    registration: Registration,
    kind: EmailKind,
    links: Links<'_>,
) -> Result<RegistrationView, RegistrationError> {
    let view = view_of(conn, registration).await?;
    let custom = email_texts::find(conn, event.id, kind, &view.registration.language).await?;
    let email = render_email(kind, event, &view, links, custom.as_ref())?;
    outbox::enqueue(conn, &outbox_row(kind, &view.registration, &email)).await?;
    Ok(view)
}

/// The links an email carries when the request that writes it knows them:
/// the private page, and the verification page on registering.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Links<'a> {
    pub manage: Option<&'a str>,
    pub verify: Option<&'a str>,
    /// A rejection's reason, worded in the delegate's language.
    pub reason: Option<&'a str>,
}

/// The email telling the delegate of `view` about `kind`, in their
/// language, worded by the organisers when `custom` says how.
pub(super) fn render_email(
    kind: EmailKind,
    event: &Event,
    view: &RegistrationView,
    links: Links<'_>,
    custom: Option<&EmailText>,
) -> Result<RenderedEmail, RenderError> {
    let registration = &view.registration;
    // The CHECK constraint keeps the stored language one of ours.
    let language = Language::parse(&registration.language).unwrap_or(Language::En);
    let seats: Vec<Seat> = view
        .choices
        .iter()
        .map(|choice| Seat {
            session_id: choice.session.id,
            code: &choice.session.code,
            title: choice.session.title_in(language.code()),
            room: &choice.session.room,
            starts_at: choice.session.starts_at,
            ends_at: choice.session.ends_at,
            status: choice.status,
        })
        .collect();
    mail::render(&Letter {
        kind,
        language,
        meeting: Meeting {
            name: event.name_in(language.code()),
            starts_on: event.starts_on,
            ends_on: event.ends_on,
            time_zone: event.time_zone(),
        },
        delegate: Delegate {
            registration_id: registration.id,
            given_name: &registration.given_name,
            family_name: &registration.family_name,
            reference: &registration.reference,
            status: registration.status,
            waitlist_position: view.waitlist_position,
        },
        sessions: &seats,
        manage_url: links.manage,
        verify: (event.verifying.is_on() && registration.email_verified_at.is_none()).then_some(
            Verify {
                url: links.verify,
                by: registration.verify_by,
            },
        ),
        custom: custom.map(|text| Wording {
            subject: &text.subject,
            body: &text.body,
        }),
        reason: links.reason,
    })
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
        kind,
        recipient: &registration.email,
        language: &registration.language,
        subject: &email.subject,
        body_text: &email.text,
        body_html: &email.html,
        attachment_ics: email.ics.as_deref(),
    }
}
