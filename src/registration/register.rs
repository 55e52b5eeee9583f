//! Registering delegates. The registrar (`batch.rs`) hands over the
//! registrations waiting for one event and [`register_all`] settles them in
//! ONE transaction: it takes the event lock, decides every registration in
//! arrival order in memory (`domain::admit`, `domain::seat`) from the rows it
//! has locked, then writes the batch with one statement per table. Each
//! counter statement carries the batch's total and stays guarded, so the
//! database still refuses an overbooking that a bug in the decisions would
//! cause. A lone registration is a batch of one.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use diesel::result::{DatabaseErrorKind, Error as DieselError};
use diesel_async::AsyncPgConnection;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use super::choices::pick_sessions;
use super::promote::{Links, outbox_row, render_email};
use super::token::PrivateToken;
use super::verify::Hold;
use super::view::{ChoiceView, RegistrationView, view_of};
use super::{Invariant, RegistrationError, with_retries};
use crate::db::categories::{self as categories_store, Category};
use crate::db::email_texts::{self, EmailText};
use crate::db::events::{self, CountryQuota, Event, Session};
use crate::db::files::{self as files_store, NewFile};
use crate::db::idempotency::{self, NewRecord, UsedKey};
use crate::db::outbox::{self, NewEmail};
use crate::db::questions::{self as questions_store, AskedQuestion, NewAnswer, QuestionChoice};
use crate::db::registrations::{self as store, NewChoice, NewRegistration, Registration};
use crate::domain::secret::ReplayKeys;
use crate::domain::{
    Admission, Answers, Arrival, CategoryCode, CategoryTally, Counters, CountryCode, CountryTally,
    EmailAddress, FieldError, FieldErrors, Language, Organisation, PersonName, Placement,
    QuestionType, Reference, ReferencePrefix, RegistrationStatus, SessionCode, Takes, Tally,
    Upload, Verdict, answer_field,
};
use crate::mail::{EmailKind, RenderedEmail};

/// A delegate's answers, already parsed into domain types by the web layer.
#[derive(Debug, Clone)]
pub struct Applicant {
    pub given_name: PersonName,
    pub family_name: Option<PersonName>,
    pub email: EmailAddress,
    pub country: CountryCode,
    pub organisation: Option<Organisation>,
    pub language: Language,
    /// The participant category asked for; the event's first public one
    /// when left out.
    pub category: Option<CategoryCode>,
    pub sessions: Vec<SessionCode>,
    /// Answers to the event's questions, by code (`domain::parse_answers`).
    pub answers: Answers,
    /// The files sent with the form; a file answer names one of them.
    pub uploads: Vec<Upload>,
}

/// What the event offers, as the caller read it: its sessions, the
/// questions its form asks and its participant categories.
#[derive(Clone, Copy)]
pub struct Offer<'a> {
    pub sessions: &'a [Session],
    pub questions: &'a [AskedQuestion],
    pub categories: &'a [Category],
}

/// An `Idempotency-Key` as the client that sent it: another client's copy
/// of the key is another key.
pub struct IdempotencyKey {
    keys: ReplayKeys,
    /// A hash of the request body: the same key with another body is refused.
    request_hash: Vec<u8>,
}

impl IdempotencyKey {
    pub fn new(client: &str, key: &str, body: &[u8]) -> IdempotencyKey {
        IdempotencyKey {
            keys: ReplayKeys::derive(client, key),
            request_hash: Sha256::digest(body).to_vec(),
        }
    }

    /// What the record of this key is found by.
    pub fn lookup(&self) -> &[u8] {
        &self.keys.lookup
    }
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
    /// The participant category, from [`chosen_category`]; its counters
    /// are read again under the lock.
    pub category: Option<Uuid>,
    /// The chosen sessions, from [`chosen_sessions`].
    pub sessions: Vec<Session>,
    /// The answers to store: (question id, value).
    pub answers: Vec<(Uuid, serde_json::Value)>,
    /// The question choices those answers hold, by id.
    pub choices: Vec<Uuid>,
    /// The question code of each of those choices, for a refusal.
    pub question_codes: Vec<(Uuid, String)>,
    /// The files the answers name, by question id, from [`sent_files`].
    pub files: Vec<(Uuid, Upload)>,
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
        results.pop().ok_or(Invariant::Unanswered)?
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

/// The participant category a delegate registers in: the one they asked
/// for, which must be one of the event's that delegates may choose, or
/// else the event's first such; none in an event without categories. A
/// category only organisers assign is refused like an unknown one, so the
/// form tells nobody which invitations exist.
pub(super) fn chosen_category(
    offered: &[Category],
    asked: Option<&CategoryCode>,
) -> Result<Option<Uuid>, RegistrationError> {
    let mut public = offered.iter().filter(|category| category.public);
    match asked {
        None => Ok(public.next().map(|category| category.id)),
        Some(code) => public
            .find(|category| category.code == code.as_str())
            .map(|category| Some(category.id))
            .ok_or_else(|| {
                RegistrationError::Invalid(FieldErrors::single(
                    "category",
                    FieldError::new("error-category-unknown"),
                ))
            }),
    }
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
        .ok_or(Invariant::Unanswered)?)
}

/// Answers the requests whose idempotency key was used before with the
/// answer recorded then (or refuses them when their body differs).
async fn replay_used_keys(
    conn: &mut AsyncPgConnection,
    event: &Event,
    requests: &[&Request],
    results: &mut [Option<Result<Registered, RegistrationError>>],
) -> Result<(), RegistrationError> {
    let keys: Vec<&[u8]> = requests
        .iter()
        .filter_map(|request| request.idempotency_key.as_ref())
        .map(IdempotencyKey::lookup)
        .collect();
    if keys.is_empty() {
        return Ok(());
    }
    for used in idempotency::find_used(conn, event.id, &keys, Utc::now()).await? {
        for (request, result) in requests.iter().zip(results.iter_mut()) {
            let Some(key) = &request.idempotency_key else {
                continue;
            };
            if key.lookup() != used.key_hash.as_slice() {
                continue;
            }
            // A failure to replay is this request's own (its stored
            // answer cannot be opened, its registration gone), unless the
            // database failed under the whole batch.
            *result = Some(match replay(conn, key, &used).await {
                Err(RegistrationError::Database(error))
                    if !matches!(error, DieselError::NotFound) =>
                {
                    return Err(error.into());
                }
                other => other,
            });
        }
    }
    Ok(())
}

/// What a batch reads under the event lock before deciding.
struct Reads {
    emails: Vec<store::EmailCheck>,
    categories: Vec<Category>,
    countries: Vec<CountryQuota>,
    sessions: Vec<Session>,
    choices: Vec<QuestionChoice>,
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
    let mut category_ids: Vec<Uuid> = open
        .iter()
        .filter_map(|&index| requests[index].category)
        .collect();
    category_ids.sort_unstable();
    category_ids.dedup();
    let mut session_ids: Vec<Uuid> = open
        .iter()
        .flat_map(|&index| requests[index].sessions.iter().map(|session| session.id))
        .collect();
    session_ids.sort_unstable();
    session_ids.dedup();
    let mut choice_ids: Vec<Uuid> = open
        .iter()
        .flat_map(|&index| requests[index].choices.iter().copied())
        .collect();
    choice_ids.sort_unstable();
    choice_ids.dedup();
    let newcomers = i32::try_from(open.len()).map_err(|_| Invariant::BatchTooLarge)?;
    // The locks keep DESIGN.md's order (categories, then countries, then
    // sessions, then question choices) by waiting for each other; the
    // other reads go alongside.
    let locks = async {
        let categories = categories_store::lock_many(conn, &category_ids).await?;
        let countries = store::lock_country_quotas(conn, event, &codes).await?;
        let sessions = events::lock_sessions(conn, &session_ids).await?;
        let choices = questions_store::lock_choices(conn, &choice_ids).await?;
        Ok::<_, DieselError>((categories, countries, sessions, choices))
    };
    let (emails, locked, texts, queue_seqs) = tokio::join!(
        store::check_emails(conn, event.id, &emails),
        locks,
        email_texts::of_event(conn, event.id),
        store::next_queue_seqs(conn, newcomers),
    );
    let (categories, countries, sessions, choices) = locked?;
    Ok(Reads {
        emails: emails?,
        categories,
        countries,
        sessions,
        choices,
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

    let mut counters = Counters {
        pending_holds_place: event.approving.pending_holds_place,
        event: Tally::new(event.quota()),
        event_waiting: event.waiting.into(),
        countries: reads
            .countries
            .iter()
            .map(|country| {
                let tally = CountryTally {
                    places: Tally::new(country.quota()),
                    waiting: country.waiting.into(),
                };
                (country.country_code.as_str(), tally)
            })
            .collect(),
        categories: reads
            .categories
            .iter()
            .map(|category| {
                let tally = CategoryTally {
                    places: Tally::new(category.quota().places),
                    waiting: category.waiting.into(),
                    counts_in_quotas: category.counts_in_quotas,
                    needs_approval: category.needs_approval,
                };
                (category.id, tally)
            })
            .collect(),
        sessions: reads
            .sessions
            .iter()
            .map(|session| (session.id, Tally::new(session.quota())))
            .collect(),
        choices: reads
            .choices
            .iter()
            .map(|choice| (choice.id, Tally::new(choice.quota())))
            .collect(),
    };
    let arrivals = open
        .iter()
        .zip(&reads.emails)
        .map(|(&index, check)| {
            let applicant = &requests[index].applicant;
            Arrival {
                request: index,
                email: check.folded.as_str(),
                email_taken: check.taken,
                country: applicant.country.as_str(),
                category: requests[index].category,
                sessions: requests[index]
                    .sessions
                    .iter()
                    .map(|session| session.id)
                    .collect(),
                choices: requests[index].choices.clone(),
            }
        })
        .collect();
    // Every country and category of the batch was locked by `read_for_batch`
    // (a category deleted since the form was read fails the batch: it
    // cannot be, once a registration uses it).
    let decisions = counters
        .decide(arrivals)
        .map_err(|_| Invariant::RowMissing)?;

    let prefix =
        ReferencePrefix::parse(&event.reference_prefix).map_err(|_| Invariant::ReferencePrefix)?;
    let mut queue_seqs = reads.queue_seqs.iter().copied();
    let mut newcomers = Vec::with_capacity(decisions.len());
    for decision in decisions {
        match decision.verdict {
            Verdict::Duplicate => {
                results[decision.request] = Some(Err(RegistrationError::Duplicate));
            }
            Verdict::ChoiceFull(id) => {
                let error = choice_full(&reads.choices, requests[decision.request], id);
                results[decision.request] = Some(Err(error));
            }
            Verdict::Placed(placement) => {
                let queue_seq = queue_seqs.next().ok_or(Invariant::Unanswered)?;
                let token = PrivateToken::generate();
                let request = requests[decision.request];
                newcomers.push(Newcomer {
                    index: decision.request,
                    request,
                    id: Uuid::now_v7(),
                    reference: Reference::from_sequence(&prefix, queue_seq),
                    token_hash: token.hash(),
                    token,
                    hold: Hold::of(event, request.now),
                    awaiting_approval: reads.categories.iter().any(|category| {
                        Some(category.id) == request.category && category.needs_approval
                    }),
                    queue_seq,
                    placement,
                });
            }
        }
    }

    let rows: Vec<NewRegistration> = newcomers
        .iter()
        .map(|newcomer| newcomer.row(event))
        .collect();
    let takes = counters.takes();
    let (took, inserted) = tokio::join!(
        take_places(conn, event.id, &takes),
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

    let choices: Vec<NewChoice> = newcomers
        .iter()
        .flat_map(|newcomer| {
            newcomer
                .placement
                .seats
                .iter()
                .map(|&(session_id, status)| NewChoice {
                    registration_id: newcomer.id,
                    session_id,
                    status,
                    queue_seq: newcomer.queue_seq,
                })
        })
        .collect();
    let sessions: HashMap<Uuid, &Session> = reads
        .sessions
        .iter()
        .map(|session| (session.id, session))
        .collect();
    let mut answers = Vec::with_capacity(newcomers.len());
    for newcomer in newcomers {
        let registration = by_id.remove(&newcomer.id).ok_or(Invariant::RowMissing)?;
        answers.push(newcomer.answer(
            event,
            registration,
            &sessions,
            &reads.categories,
            &reads.texts,
        )?);
    }

    let emails: Vec<NewEmail> = answers
        .iter()
        .map(|answer| outbox_row(answer.kind, &answer.view.registration, &answer.email))
        .collect();
    let records: Vec<NewRecord> = answers
        .iter()
        .filter_map(|answer| {
            let key = answer.request.idempotency_key.as_ref()?;
            let registration_id = answer.view.registration.id;
            Some(NewRecord {
                key_hash: key.lookup(),
                request_hash: &key.request_hash,
                registration_id,
                sealed_token: key
                    .keys
                    .seal(registration_id.as_bytes(), answer.token.as_str().as_bytes()),
            })
        })
        .collect();
    let answer_rows = per_question(
        &answers,
        |request| &request.answers,
        |registration_id, question_id, value| NewAnswer {
            registration_id,
            question_id,
            value: value.clone(),
        },
    );
    let file_rows = per_question(
        &answers,
        |request| &request.files,
        |registration_id, question_id, upload| NewFile::of(upload, registration_id, question_id),
    );
    let (chosen, answered, filed, queued, recorded) = tokio::join!(
        store::insert_choices(conn, &choices),
        questions_store::insert_answers(conn, &answer_rows),
        files_store::insert(conn, &file_rows),
        outbox::enqueue_many(conn, &emails),
        idempotency::record_many(conn, event.id, records),
    );
    chosen?;
    answered?;
    filed?;
    queued?;
    recorded?;

    for answer in answers {
        results[answer.index] = Some(Ok(Registered {
            view: answer.view,
            token: answer.token.as_str().to_owned(),
            replayed: false,
        }));
    }
    Ok(())
}

/// A registration the batch places, with what its row is made of.
struct Newcomer<'r> {
    /// Where its answer goes in the batch's results.
    index: usize,
    request: &'r Request,
    id: Uuid,
    reference: Reference,
    token: PrivateToken,
    token_hash: [u8; 32],
    /// The verification link and deadline, in an event that verifies
    /// emails.
    hold: Option<Hold>,
    /// Its category needs an organiser's decision.
    awaiting_approval: bool,
    queue_seq: i64,
    placement: Placement,
}

impl<'r> Newcomer<'r> {
    fn row(&self, event: &Event) -> NewRegistration<'_> {
        let applicant = &self.request.applicant;
        NewRegistration {
            id: self.id,
            event_id: event.id,
            reference: self.reference.as_str(),
            token_hash: &self.token_hash,
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
            status: self.status(),
            queue_seq: self.queue_seq,
            verify_by: self
                .hold
                .as_ref()
                .filter(|_| self.status() == RegistrationStatus::Unverified)
                .map(|hold| hold.until),
            verification_hash: self.hold.as_ref().map(|hold| &hold.hash[..]),
            category_id: self.request.category,
        }
    }

    /// A place given to an address still to be confirmed is only held;
    /// one given in a category that needs approval awaits the decision.
    fn status(&self) -> RegistrationStatus {
        match (self.placement.admission, &self.hold, self.awaiting_approval) {
            (Admission::Confirmed, None, false) => RegistrationStatus::Confirmed,
            (Admission::Confirmed, None, true) => RegistrationStatus::Pending,
            (Admission::Confirmed, Some(_), _) => RegistrationStatus::Unverified,
            (Admission::Waitlisted(_), _, _) => RegistrationStatus::Waitlisted,
            (Admission::AwaitingDecision, _, _) => RegistrationStatus::Pending,
        }
    }

    /// The registration as its delegate will see it, with the email that
    /// announces it rendered in the delegate's language.
    fn answer(
        self,
        event: &Event,
        registration: Registration,
        sessions: &HashMap<Uuid, &Session>,
        categories: &[Category],
        texts: &[EmailText],
    ) -> Result<Answer<'r>, RegistrationError> {
        let category = categories
            .iter()
            .find(|category| Some(category.id) == self.request.category);
        let mut choices = Vec::with_capacity(self.placement.seats.len());
        for &(id, status) in &self.placement.seats {
            let session = sessions.get(&id).ok_or(Invariant::RowMissing)?;
            choices.push(ChoiceView {
                session: (*session).clone(),
                status,
            });
        }
        choices.sort_by(|a, b| {
            (a.session.starts_at, &a.session.code).cmp(&(b.session.starts_at, &b.session.code))
        });
        let view = RegistrationView {
            registration,
            waitlist_position: self.placement.waitlist_position,
            choices,
            answers: self.request.applicant.answers.clone(),
            category: category.map(|category| category.code.clone()),
        };
        let kind = match self.placement.admission {
            Admission::Confirmed | Admission::AwaitingDecision => EmailKind::Confirmation,
            Admission::Waitlisted(_) => EmailKind::Waitlisted,
        };
        let manage_url = format!("{}/r/{}", self.request.public_url, self.token.as_str());
        let verify_url = self
            .hold
            .as_ref()
            .map(|hold| hold.url(&self.request.public_url));
        // The organisers' confirmation says a place is given: not to one
        // still to be decided on.
        let custom = texts.iter().find(|text| {
            text.kind == kind
                && text.language == view.registration.language
                && view.registration.status != RegistrationStatus::Pending
        });
        let links = Links {
            manage: Some(&manage_url),
            verify: verify_url.as_deref(),
            reason: None,
        };
        let email = render_email(kind, event, &view, links, custom)?;
        Ok(Answer {
            index: self.index,
            request: self.request,
            kind,
            view,
            token: self.token,
            email,
        })
    }
}

/// One row per question a registration of the batch answered (or sent a
/// file for): `row` is given the registration's id, the question's id and
/// what was sent.
fn per_question<'a, T: 'a, R>(
    answers: &'a [Answer<'_>],
    sent: impl Fn(&'a Request) -> &'a [(Uuid, T)],
    row: impl Fn(Uuid, Uuid, &'a T) -> R,
) -> Vec<R> {
    let row = &row;
    answers
        .iter()
        .flat_map(|answer| {
            let registration_id = answer.view.registration.id;
            sent(answer.request)
                .iter()
                .map(move |(question_id, item)| row(registration_id, *question_id, item))
        })
        .collect()
}

/// A settled registration and the email that announces it.
struct Answer<'r> {
    index: usize,
    request: &'r Request,
    kind: EmailKind,
    view: RegistrationView,
    token: PrivateToken,
    email: RenderedEmail,
}

/// Moves the counters by the batch's `takes` with one guarded statement
/// per table, pipelined. A guard that refuses means the decisions were
/// wrong: the whole batch is rolled back.
async fn take_places(
    conn: &AsyncPgConnection,
    event_id: Uuid,
    takes: &Takes<'_>,
) -> Result<(), RegistrationError> {
    let (event_took, categories_took, countries_took, seats_took, choices_took) = tokio::join!(
        async {
            if takes.event > 0 {
                store::take_event_places(conn, event_id, takes.event).await
            } else {
                Ok(true)
            }
        },
        categories_store::move_category_places(conn, &takes.categories),
        store::take_country_places(conn, event_id, &takes.countries),
        store::take_seats(conn, &takes.seats),
        questions_store::move_choice_places(conn, &takes.choices),
    );
    if event_took? && categories_took? && countries_took? && seats_took? && choices_took? {
        Ok(())
    } else {
        Err(Invariant::CounterRefused.into())
    }
}

/// The refusal of a registration whose choice `id` is full, under the
/// answer that holds it.
fn choice_full(choices: &[QuestionChoice], request: &Request, id: Uuid) -> RegistrationError {
    let code = choices
        .iter()
        .find(|choice| choice.id == id)
        .map_or("", |choice| choice.code.as_str());
    let question = request
        .question_codes
        .iter()
        .find(|(choice, _)| *choice == id)
        .map_or("", |(_, question)| question.as_str());
    RegistrationError::Invalid(FieldErrors::single(
        &answer_field(question),
        FieldError::new("error-choice-full").with_arg("code", code),
    ))
}

/// The rows of a request's answers (question id, value), the choices they
/// hold by id, and the question code of each of those choices.
type StoredAnswers = (
    Vec<(Uuid, serde_json::Value)>,
    Vec<Uuid>,
    Vec<(Uuid, String)>,
);

/// What a request stores of `answers`.
pub(super) fn stored_answers(questions: &[AskedQuestion], answers: &Answers) -> StoredAnswers {
    let mut rows = Vec::new();
    let mut choices = Vec::new();
    let mut codes = Vec::new();
    for question in questions {
        let Some(value) = answers.get(&question.question.code) else {
            continue;
        };
        rows.push((question.question.id, value.clone()));
        for choice in question.chosen(value) {
            choices.push(choice.id);
            codes.push((choice.id, question.question.code.clone()));
        }
    }
    choices.sort_unstable();
    (rows, choices, codes)
}

/// The files `applicant`'s answers name, by question id, taken out of its
/// uploads (the ones no answer names are dropped). A file answer that names
/// no file sent with it — another registration's, or one never sent — is
/// refused under `answers.<code>`: a registration has no files before it.
pub(super) fn sent_files(
    questions: &[AskedQuestion],
    applicant: &mut Applicant,
) -> Result<Vec<(Uuid, Upload)>, RegistrationError> {
    let mut uploads = std::mem::take(&mut applicant.uploads);
    let mut files = Vec::new();
    let mut errors = FieldErrors::default();
    for question in questions {
        if question.question.kind != QuestionType::File {
            continue;
        }
        let Some(id) = applicant.answers.get(&question.question.code) else {
            continue;
        };
        let sent = uploads.iter().position(|upload| {
            upload.question == question.question.code
                && id.as_str() == Some(upload.id.hyphenated().to_string().as_str())
        });
        match sent {
            Some(index) => files.push((question.question.id, uploads.swap_remove(index))),
            None => errors.add(
                &answer_field(&question.question.code),
                FieldError::new("error-file-unknown"),
            ),
        }
    }
    if errors.is_empty() {
        Ok(files)
    } else {
        Err(RegistrationError::Invalid(errors))
    }
}

async fn replay(
    conn: &mut AsyncPgConnection,
    key: &IdempotencyKey,
    used: &UsedKey,
) -> Result<Registered, RegistrationError> {
    if used.request_hash != key.request_hash {
        return Err(RegistrationError::IdempotencyKeyReused);
    }
    let id = used.registration_id;
    let token = key
        .keys
        .open(id.as_bytes(), &used.sealed_token)
        .and_then(|token| String::from_utf8(token).ok())
        .ok_or(Invariant::StoredAnswer)?;
    let registration = store::find(conn, id).await?;
    let view = view_of(conn, registration).await?;
    Ok(Registered {
        view,
        token,
        replayed: true,
    })
}
