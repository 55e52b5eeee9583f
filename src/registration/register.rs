//! Registering delegates. The registrar (`batch.rs`) hands over the
//! registrations waiting for one event and [`register_all`] settles them in
//! ONE transaction: it takes the event lock, decides every registration in
//! arrival order in memory (`domain::admit`, `domain::seat`) from the rows it
//! has locked, then writes the batch with one statement per table. Each
//! counter statement carries the batch's total and stays guarded, so the
//! database still refuses an overbooking that a bug in the decisions would
//! cause. A lone registration is a batch of one.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use diesel::result::{DatabaseErrorKind, Error as DieselError};
use diesel_async::AsyncPgConnection;
use uuid::Uuid;

use super::choices::pick_sessions;
use super::promote::outbox_row;
use super::token::PrivateToken;
use super::view::{ChoiceView, RegistrationView, view_of};
use super::{RegistrationError, with_retries};
use crate::db::email_texts::{self, EmailText};
use crate::db::events::{CountryQuota, Event, Session};
use crate::db::idempotency::{self, NewRecord};
use crate::db::outbox::{self, NewEmail};
use crate::db::registrations::{self as store, NewChoice, NewRegistration, Registration};
use crate::domain::{
    Admission, CountryCode, EmailAddress, FieldError, FieldErrors, Language, Organisation,
    PersonName, Quota, Reference, ReferencePrefix, SeatStatus, SessionCode, admit, seat,
};
use crate::mail::{self, EmailKind};

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

/// One registration to settle, its sessions already checked.
pub(super) struct Request {
    pub applicant: Applicant,
    /// The chosen sessions, from [`chosen_sessions`].
    pub sessions: Vec<Session>,
    pub idempotency_key: Option<IdempotencyKey>,
    pub public_url: String,
    pub now: DateTime<Utc>,
}

/// One registration in a transaction of its own, retried when it lost a
/// serialization race.
pub(super) async fn register_one(
    conn: &mut AsyncPgConnection,
    event_id: Uuid,
    request: &Request,
) -> Result<Registered, RegistrationError> {
    with_retries!(conn, |tx| {
        let mut results = register_all(tx, event_id, &[request]).await?;
        results.pop().ok_or(DieselError::RollbackTransaction)?
    })
}

/// Checks what needs the event's data but no lock: the language is one of
/// the event's, every session is one of `offered` (the event's sessions),
/// and no two chosen sessions overlap.
pub(super) fn chosen_sessions(
    event: &Event,
    offered: &[Session],
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
    let sessions = pick_sessions(offered, &applicant.sessions, &mut errors);
    if errors.is_empty() {
        Ok(sessions)
    } else {
        Err(RegistrationError::Invalid(errors))
    }
}

/// What the batch decided for one request, before anything is written.
struct Decision<'r> {
    request: &'r Request,
    confirmed: bool,
    /// The chosen sessions as this registration leaves them (counts
    /// included), and whether it got a seat.
    choices: Vec<(Session, bool)>,
    /// The country's quota as this registration leaves it.
    country_full: bool,
}

/// Settles `requests` (all for the event `event_id`, with distinct
/// idempotency keys) inside the caller's transaction. The outer error is
/// the batch's: nothing of it may be committed. The inner ones are each
/// request's own (closed, duplicate, reused key) and leave nothing behind.
///
/// After the event lock, the statements go in three pipelined rounds
/// (diesel-async sends a round's statements without waiting for each
/// answer; the server runs them in order): what the decisions need, then
/// the counters and the registrations, then what refers to the
/// registrations.
pub(super) async fn register_all(
    conn: &mut AsyncPgConnection,
    event_id: Uuid,
    requests: &[&Request],
) -> Result<Vec<Result<Registered, RegistrationError>>, RegistrationError> {
    let (generic, event) = tokio::join!(
        store::plan_generically(conn),
        store::lock_event(conn, event_id)
    );
    generic?;
    let event = event?;
    let mut results: Vec<Option<Result<Registered, RegistrationError>>> =
        requests.iter().map(|_| None).collect();

    replay_used_keys(conn, &event, requests, &mut results).await?;
    for (request, result) in requests.iter().zip(results.iter_mut()) {
        if result.is_none() && !event.is_open_at(request.now) {
            *result = Some(Err(RegistrationError::Closed));
        }
    }
    let open: Vec<usize> = (0..requests.len())
        .filter(|&index| results[index].is_none())
        .collect();
    if !open.is_empty() {
        settle(conn, &event, requests, &open, &mut results).await?;
    }
    // Every request has its answer by now; one without would be a bug, and
    // rolls the batch back rather than answer anything.
    Ok(results
        .into_iter()
        .collect::<Option<Vec<_>>>()
        .ok_or(DieselError::RollbackTransaction)?)
}

/// Answers the requests whose idempotency key was used before with the
/// answer recorded then (or refuses them when their body differs).
async fn replay_used_keys(
    conn: &mut AsyncPgConnection,
    event: &Event,
    requests: &[&Request],
    results: &mut [Option<Result<Registered, RegistrationError>>],
) -> Result<(), RegistrationError> {
    let keys: Vec<&str> = requests
        .iter()
        .filter_map(|request| request.idempotency_key.as_ref())
        .map(|key| key.key.as_str())
        .collect();
    if keys.is_empty() {
        return Ok(());
    }
    for used in idempotency::find_used(conn, event.id, &keys).await? {
        for (request, result) in requests.iter().zip(results.iter_mut()) {
            let Some(key) = &request.idempotency_key else {
                continue;
            };
            if key.key != used.key {
                continue;
            }
            *result = Some(
                match replay(conn, key, &used.request_hash, &used.response).await {
                    Err(RegistrationError::Database(error))
                        if !matches!(error, DieselError::NotFound) =>
                    {
                        return Err(error.into());
                    }
                    other => other,
                },
            );
        }
    }
    Ok(())
}

/// What a batch reads under the event lock before deciding.
struct Reads {
    emails: Vec<store::EmailCheck>,
    countries: Vec<CountryQuota>,
    sessions: Vec<Session>,
    texts: Vec<EmailText>,
    queue_seqs: Vec<i64>,
}

/// One pipelined round: the open requests' emails, their countries' and
/// sessions' rows (locked, the countries with their waiting lists'
/// lengths), the organisers' email wording and a place in the queue for each. Countries and sessions
/// of requests that turn out to be duplicates are locked too, and their
/// queue places are left unused: both harmless.
async fn read_for_batch(
    conn: &AsyncPgConnection,
    event: &Event,
    requests: &[&Request],
    open: &[usize],
) -> Result<Reads, RegistrationError> {
    let emails: Vec<&str> = open
        .iter()
        .map(|&index| requests[index].applicant.email.as_str())
        .collect();
    let mut codes: Vec<&str> = open
        .iter()
        .map(|&index| requests[index].applicant.country.as_str())
        .collect();
    codes.sort_unstable();
    codes.dedup();
    let mut session_ids: Vec<Uuid> = open
        .iter()
        .flat_map(|&index| requests[index].sessions.iter().map(|session| session.id))
        .collect();
    session_ids.sort_unstable();
    session_ids.dedup();
    // The locks keep DESIGN.md's order (countries, then sessions) by waiting
    // for each other; the other reads go alongside.
    let locks = async {
        let countries = store::lock_country_quotas(conn, event, &codes).await?;
        let sessions = store::lock_sessions(conn, &session_ids).await?;
        Ok::<_, DieselError>((countries, sessions))
    };
    let (emails, locked, texts, queue_seqs) = tokio::join!(
        store::check_emails(conn, event.id, &emails),
        locks,
        email_texts::of_event(conn, event.id),
        store::next_queue_seqs(conn, open.len()),
    );
    let (countries, sessions) = locked?;
    Ok(Reads {
        emails: emails?,
        countries,
        sessions,
        texts: texts?,
        queue_seqs: queue_seqs?,
    })
}

/// Decides, then writes, the registrations of `open` (indexes into
/// `requests`, in arrival order), and puts their answers in `results`: a
/// duplicate email is refused, the others are registered.
async fn settle(
    conn: &mut AsyncPgConnection,
    event: &Event,
    requests: &[&Request],
    open: &[usize],
    results: &mut [Option<Result<Registered, RegistrationError>>],
) -> Result<(), RegistrationError> {
    let conn: &AsyncPgConnection = conn;
    let reads = read_for_batch(conn, event, requests, open).await?;

    // A live registration of the event, or an earlier request of the same
    // batch, has the email already.
    let mut seen = HashSet::new();
    let mut admitted = Vec::with_capacity(open.len());
    for (&index, check) in open.iter().zip(&reads.emails) {
        if !check.taken && seen.insert(check.folded.as_str()) {
            admitted.push(index);
        } else {
            results[index] = Some(Err(RegistrationError::Duplicate));
        }
    }

    let before = Counts::new(event, reads.countries, reads.sessions);
    let (decisions, after) = decide(&before, requests, &admitted)?;
    let positions = waiting_positions(event, &before, &decisions);
    let queue_seqs = &reads.queue_seqs[..decisions.len()];
    let prefix = ReferencePrefix::parse(&event.reference_prefix)
        .map_err(|_| DieselError::RollbackTransaction)?;
    let references: Vec<Reference> = queue_seqs
        .iter()
        .map(|&seq| Reference::from_sequence(&prefix, seq))
        .collect();
    let tokens: Vec<PrivateToken> = decisions.iter().map(|_| PrivateToken::generate()).collect();
    let token_hashes: Vec<[u8; 32]> = tokens.iter().map(PrivateToken::hash).collect();

    let rows = registration_rows(event, &decisions, &references, &token_hashes, queue_seqs);
    let (took, inserted) = tokio::join!(
        take_places(conn, event.id, &before, &after),
        store::insert_many(conn, &rows),
    );
    took?;
    let inserted = inserted.map_err(|error| match error {
        // Only possible if a live registration was written without the
        // event lock; the batch is then retried one by one.
        DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, ref info)
            if info.constraint_name() == Some("registrations_live_email_key") =>
        {
            RegistrationError::Duplicate
        }
        other => other.into(),
    })?;
    let mut by_id: HashMap<Uuid, Registration> = inserted
        .into_iter()
        .map(|registration| (registration.id, registration))
        .collect();
    let registrations: Vec<Registration> = rows
        .iter()
        .map(|row| by_id.remove(&row.id).ok_or(DieselError::NotFound))
        .collect::<Result<_, _>>()?;

    let choices: Vec<NewChoice> = decisions
        .iter()
        .zip(&registrations)
        .flat_map(|(decision, registration)| {
            decision.choices.iter().map(|(session, seated)| NewChoice {
                registration_id: registration.id,
                session_id: session.id,
                status: if *seated { "confirmed" } else { "waitlisted" },
                queue_seq: registration.queue_seq,
            })
        })
        .collect();
    let answers = compose_answers(
        event,
        decisions,
        registrations,
        tokens,
        positions,
        &reads.texts,
    );

    let emails: Vec<NewEmail> = answers
        .iter()
        .map(|answer| outbox_row(answer.kind, &answer.view.registration, &answer.email))
        .collect();

    let records: Vec<NewRecord> = answers
        .iter()
        .filter_map(|answer| {
            let key = answer.request.idempotency_key.as_ref()?;
            Some(NewRecord {
                key: &key.key,
                request_hash: &key.request_hash,
                status: 201,
                response: serde_json::json!({
                    "registration_id": answer.view.registration.id,
                    "token": answer.token.as_str(),
                }),
            })
        })
        .collect();
    let (chosen, queued, recorded) = tokio::join!(
        store::insert_choices(conn, &choices),
        outbox::enqueue_many(conn, &emails),
        idempotency::record_many(conn, event.id, records),
    );
    chosen?;
    queued?;
    recorded?;

    for (index, answer) in admitted.into_iter().zip(answers) {
        results[index] = Some(Ok(Registered {
            view: answer.view,
            token: answer.token.as_str().to_owned(),
            replayed: false,
        }));
    }
    Ok(())
}

/// The registrations' rows, one per decision, in the batch's order.
fn registration_rows<'a>(
    event: &Event,
    decisions: &'a [Decision<'_>],
    references: &'a [Reference],
    token_hashes: &'a [[u8; 32]],
    queue_seqs: &[i64],
) -> Vec<NewRegistration<'a>> {
    decisions
        .iter()
        .enumerate()
        .map(|(n, decision)| {
            let applicant = &decision.request.applicant;
            NewRegistration {
                id: Uuid::now_v7(),
                event_id: event.id,
                reference: references[n].as_str(),
                token_hash: &token_hashes[n],
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
                status: if decision.confirmed {
                    "confirmed"
                } else {
                    "waitlisted"
                },
                queue_seq: queue_seqs[n],
            }
        })
        .collect()
}

/// Each registration as its delegate will see it, with the email that
/// announces it rendered in the delegate's language.
fn compose_answers<'r>(
    event: &Event,
    decisions: Vec<Decision<'r>>,
    registrations: Vec<Registration>,
    tokens: Vec<PrivateToken>,
    positions: Vec<Option<i64>>,
    texts: &[EmailText],
) -> Vec<Answer<'r>> {
    let mut answers = Vec::with_capacity(decisions.len());
    for ((decision, registration), (token, position)) in decisions
        .into_iter()
        .zip(registrations)
        .zip(tokens.into_iter().zip(positions))
    {
        let mut choices: Vec<ChoiceView> = decision
            .choices
            .into_iter()
            .map(|(session, seated)| ChoiceView {
                session,
                status: if seated { "confirmed" } else { "waitlisted" }.to_owned(),
            })
            .collect();
        choices.sort_by(|a, b| {
            (a.session.starts_at, &a.session.code).cmp(&(b.session.starts_at, &b.session.code))
        });
        let view = RegistrationView {
            registration,
            waitlist_position: position,
            choices,
        };
        let kind = if decision.confirmed {
            EmailKind::Confirmation
        } else {
            EmailKind::Waitlisted
        };
        let manage_url = format!("{}/r/{}", decision.request.public_url, token.as_str());
        let custom = custom_text(texts, kind, &view.registration.language);
        let email = mail::render(kind, event, &view, Some(&manage_url), custom);
        answers.push(Answer {
            request: decision.request,
            kind,
            view,
            token,
            email,
        });
    }
    answers
}

/// A settled registration and the email that announces it.
struct Answer<'r> {
    request: &'r Request,
    kind: EmailKind,
    view: RegistrationView,
    token: PrivateToken,
    email: mail::RenderedEmail,
}

fn custom_text<'t>(
    texts: &'t [EmailText],
    kind: EmailKind,
    language: &str,
) -> Option<&'t EmailText> {
    texts
        .iter()
        .find(|text| text.kind == kind.as_str() && text.language == language)
}

/// The counters a batch reads under its locks and moves in memory.
#[derive(Clone)]
struct Counts {
    event: Quota,
    countries: HashMap<String, CountryQuota>,
    sessions: HashMap<Uuid, Session>,
}

impl Counts {
    fn new(event: &Event, countries: Vec<CountryQuota>, sessions: Vec<Session>) -> Counts {
        Counts {
            event: Quota {
                capacity: event.capacity,
                taken: event.taken,
            },
            countries: countries
                .into_iter()
                .map(|country| (country.country_code.clone(), country))
                .collect(),
            sessions: sessions
                .into_iter()
                .map(|session| (session.id, session))
                .collect(),
        }
    }
}

/// The admission decisions of the batch, in arrival order, exactly as if
/// each registration ran alone after the previous one: a place when the
/// event and the country have room; a seat in each chosen session, by
/// session id, when placed and the room has a seat left.
fn decide<'r>(
    before: &Counts,
    requests: &[&'r Request],
    admitted: &[usize],
) -> Result<(Vec<Decision<'r>>, Counts), DieselError> {
    let mut counts = before.clone();
    let mut decisions = Vec::with_capacity(admitted.len());
    for &index in admitted {
        let request = requests[index];
        // Every admitted country's row was created and locked by `settle`.
        let country = counts
            .countries
            .get_mut(request.applicant.country.as_str())
            .ok_or(DieselError::NotFound)?;
        let confirmed = admit(
            counts.event,
            Quota {
                capacity: country.capacity,
                taken: country.taken,
            },
        ) == Admission::Confirmed;
        if confirmed {
            counts.event.taken += 1;
            country.taken += 1;
        }
        let country_full = country.remaining() == Some(0);
        let mut ids: Vec<Uuid> = request.sessions.iter().map(|session| session.id).collect();
        ids.sort_unstable();
        let mut choices = Vec::with_capacity(ids.len());
        for id in ids {
            let Some(session) = counts.sessions.get_mut(&id) else {
                continue;
            };
            // A delegate still waiting for a place in the meeting holds no
            // seat; their choices wait too and are seated if promoted.
            let seated = confirmed
                && seat(Quota {
                    capacity: session.capacity,
                    taken: session.taken,
                }) == SeatStatus::Confirmed;
            if seated {
                session.taken += 1;
            }
            choices.push((session.clone(), seated));
        }
        decisions.push(Decision {
            request,
            confirmed,
            choices,
            country_full,
        });
    }
    Ok((decisions, counts))
}

/// Moves the counters from `before` to `after` with one guarded statement
/// per table, pipelined. A guard that refuses means the decisions were
/// wrong: the whole batch is rolled back.
async fn take_places(
    conn: &AsyncPgConnection,
    event_id: Uuid,
    before: &Counts,
    after: &Counts,
) -> Result<(), RegistrationError> {
    let event_places = after.event.taken - before.event.taken;
    let mut country_places: Vec<(&str, i32)> = after
        .countries
        .values()
        .map(|country| {
            let taken_before = before.countries[&country.country_code].taken;
            (country.country_code.as_str(), country.taken - taken_before)
        })
        .filter(|(_, count)| *count > 0)
        .collect();
    country_places.sort_unstable();
    let mut seats: Vec<(Uuid, i32)> = after
        .sessions
        .values()
        .map(|session| {
            (
                session.id,
                session.taken - before.sessions[&session.id].taken,
            )
        })
        .filter(|(_, count)| *count > 0)
        .collect();
    seats.sort_unstable();
    let (event_took, countries_took, seats_took) = tokio::join!(
        async {
            if event_places > 0 {
                store::take_event_places(conn, event_id, event_places).await
            } else {
                Ok(true)
            }
        },
        store::take_country_places_many(conn, event_id, &country_places),
        store::take_seats_many(conn, &seats),
    );
    if event_took? && countries_took? && seats_took? {
        Ok(())
    } else {
        Err(DieselError::RollbackTransaction.into())
    }
}

/// Each waiting newcomer's 1-based place in the queue that holds it back:
/// its country's when the country is full, the event's otherwise (as
/// `store::waitlist_position` counts it later). Everyone already waiting
/// is ahead of the batch.
fn waiting_positions(
    event: &Event,
    before: &Counts,
    decisions: &[Decision<'_>],
) -> Vec<Option<i64>> {
    let mut in_event = i64::from(event.waiting);
    let mut in_country: HashMap<&str, i64> = before
        .countries
        .values()
        .map(|country| (country.country_code.as_str(), i64::from(country.waiting)))
        .collect();
    decisions
        .iter()
        .map(|decision| {
            if decision.confirmed {
                return None;
            }
            let code = decision.request.applicant.country.as_str();
            in_event += 1;
            let country = in_country.entry(code).or_default();
            *country += 1;
            Some(if decision.country_full {
                *country
            } else {
                in_event
            })
        })
        .collect()
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
