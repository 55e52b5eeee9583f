use chrono::{DateTime, Utc};
use diesel::result::{DatabaseErrorKind, Error as DieselError};
use diesel_async::AsyncPgConnection;
use uuid::Uuid;

use super::choices::resolve_sessions;
use super::promote::notify;
use super::token::PrivateToken;
use super::view::{RegistrationView, view_of};
use super::{RegistrationError, with_retries};
use crate::db::events::{Event, Session};
use crate::db::idempotency::{self, Claim};
use crate::db::registrations::{self as store, NewRegistration};
use crate::domain::{
    Admission, CountryCode, EmailAddress, FieldError, FieldErrors, Language, Organisation,
    PersonName, Quota, Reference, ReferencePrefix, SeatStatus, SessionCode, admit, seat,
};
use crate::mail::EmailKind;

/// A delegate's answers, already parsed into domain types by the web layer.
#[derive(Debug, Clone)]
pub struct Applicant {
    pub given_name: PersonName,
    pub family_name: Option<PersonName>,
    pub email: EmailAddress,
    pub country: CountryCode,
    pub organisation: Option<Organisation>,
    pub language: Language,
    pub sessions: Vec<SessionCode>,
}

pub struct IdempotencyKey {
    pub key: String,
    /// A hash of the request body: the same key with another body is refused.
    pub request_hash: Vec<u8>,
}

pub struct Registered {
    pub view: RegistrationView,
    /// The private token, which only this answer (and its replays) carries.
    pub token: String,
    /// True when this is the stored answer to an earlier request with the
    /// same Idempotency-Key.
    pub replayed: bool,
}

/// Registers a delegate: a place if the event and the country both have
/// room, the waiting list otherwise; a seat or a waiting-list place in each
/// chosen session; and the email announcing it, all in one transaction.
pub async fn register(
    conn: &mut AsyncPgConnection,
    event: &Event,
    applicant: &Applicant,
    idempotency_key: Option<&IdempotencyKey>,
    public_url: &str,
    now: DateTime<Utc>,
) -> Result<Registered, RegistrationError> {
    let sessions = chosen_sessions(conn, event, applicant).await?;
    register_with_sessions(
        conn,
        event,
        applicant,
        &sessions,
        idempotency_key,
        public_url,
        now,
    )
    .await
}

/// [`register`] once the chosen sessions are known, in a transaction of its own.
pub(super) async fn register_with_sessions(
    conn: &mut AsyncPgConnection,
    event: &Event,
    applicant: &Applicant,
    sessions: &[Session],
    idempotency_key: Option<&IdempotencyKey>,
    public_url: &str,
    now: DateTime<Utc>,
) -> Result<Registered, RegistrationError> {
    with_retries!(conn, |tx| register_in(
        tx,
        event,
        applicant,
        sessions,
        idempotency_key,
        public_url,
        now
    )
    .await)
}

/// Checks what needs the event's data but no lock: the language is one of
/// the event's, every session exists, and no two chosen sessions overlap.
pub(super) async fn chosen_sessions(
    conn: &mut AsyncPgConnection,
    event: &Event,
    applicant: &Applicant,
) -> Result<Vec<Session>, RegistrationError> {
    let mut errors = FieldErrors::default();
    if !event
        .languages
        .iter()
        .any(|code| code == applicant.language.code())
    {
        errors.add("language", FieldError::new("error-language-invalid"));
    }
    let sessions = resolve_sessions(conn, event.id, &applicant.sessions, &mut errors).await?;
    if errors.is_empty() {
        Ok(sessions)
    } else {
        Err(RegistrationError::Invalid(errors))
    }
}

/// The registration's statements, inside the caller's transaction (or a
/// savepoint of a batch).
pub(super) async fn register_in(
    conn: &mut AsyncPgConnection,
    event: &Event,
    applicant: &Applicant,
    sessions: &[Session],
    idempotency_key: Option<&IdempotencyKey>,
    public_url: &str,
    now: DateTime<Utc>,
) -> Result<Registered, RegistrationError> {
    if let Some(key) = idempotency_key
        && let Claim::Used {
            request_hash,
            response,
        } = idempotency::claim(conn, event.id, &key.key, &key.request_hash).await?
    {
        return replay(conn, key, &request_hash, &response).await;
    }

    let event = store::lock_event(conn, event.id).await?;
    if !event.is_open_at(now) {
        return Err(RegistrationError::Closed);
    }
    let country = store::lock_country_quota(conn, &event, applicant.country.as_str()).await?;
    let admission = admit(
        Quota {
            capacity: event.capacity,
            taken: event.taken,
        },
        Quota {
            capacity: country.capacity,
            taken: country.taken,
        },
    );
    let confirmed = admission == Admission::Confirmed;
    if confirmed {
        // Both guards hold under the locks just taken; they are the
        // statement-level wall that DESIGN.md asks for.
        let took_event = store::take_event_place(conn, event.id).await?;
        let took_country = store::take_country_place(conn, event.id, &country.country_code).await?;
        if !(took_event && took_country) {
            return Err(DieselError::RollbackTransaction.into());
        }
    }

    let queue_seq = store::next_queue_seq(conn).await?;
    let prefix = ReferencePrefix::parse(&event.reference_prefix)
        .map_err(|_| DieselError::RollbackTransaction)?;
    let reference = Reference::from_sequence(&prefix, queue_seq);
    let token = PrivateToken::generate();
    let registration = store::insert(
        conn,
        &NewRegistration {
            id: Uuid::now_v7(),
            event_id: event.id,
            reference: reference.as_str(),
            token_hash: &token.hash(),
            given_name: applicant.given_name.as_str(),
            family_name: applicant
                .family_name
                .as_ref()
                .map_or("", PersonName::as_str),
            email: applicant.email.as_str(),
            country_code: applicant.country.as_str(),
            organisation: applicant
                .organisation
                .as_ref()
                .map_or("", Organisation::as_str),
            language: applicant.language.code(),
            status: if confirmed { "confirmed" } else { "waitlisted" },
            queue_seq,
        },
    )
    .await
    .map_err(|error| match error {
        DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, ref info)
            if info.constraint_name() == Some("registrations_live_email_key") =>
        {
            RegistrationError::Duplicate
        }
        other => other.into(),
    })?;

    let mut session_ids: Vec<Uuid> = sessions.iter().map(|session| session.id).collect();
    session_ids.sort_unstable();
    for session in store::lock_sessions(conn, &session_ids).await? {
        // A delegate still waiting for a place in the meeting holds no seat;
        // their choices wait too and are seated if they are promoted.
        let seated = confirmed
            && seat(Quota {
                capacity: session.capacity,
                taken: session.taken,
            }) == SeatStatus::Confirmed
            && store::take_seat(conn, session.id).await?;
        let status = if seated { "confirmed" } else { "waitlisted" };
        store::insert_choice(conn, registration.id, session.id, status, queue_seq).await?;
    }

    let manage_url = format!("{public_url}/r/{}", token.as_str());
    let kind = if confirmed {
        EmailKind::Confirmation
    } else {
        EmailKind::Waitlisted
    };
    let view = notify(conn, &event, registration, kind, Some(&manage_url)).await?;

    if let Some(key) = idempotency_key {
        let record = serde_json::json!({
            "registration_id": view.registration.id,
            "token": token.as_str(),
        });
        idempotency::record(conn, event.id, &key.key, 201, &record).await?;
    }

    Ok(Registered {
        view,
        token: token.as_str().to_owned(),
        replayed: false,
    })
}

async fn replay(
    conn: &mut AsyncPgConnection,
    key: &IdempotencyKey,
    stored_hash: &[u8],
    response: &serde_json::Value,
) -> Result<Registered, RegistrationError> {
    if stored_hash != key.request_hash.as_slice() {
        return Err(RegistrationError::IdempotencyKeyReused);
    }
    let id = response["registration_id"]
        .as_str()
        .and_then(|id| Uuid::parse_str(id).ok())
        .ok_or(DieselError::NotFound)?;
    let token = response["token"]
        .as_str()
        .ok_or(DieselError::NotFound)?
        .to_owned();
    let registration = store::find(conn, id).await?;
    let view = view_of(conn, registration).await?;
    Ok(Registered {
        view,
        token,
        replayed: true,
    })
}
