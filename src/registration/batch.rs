//! Group commit for the opening rush. Every registration must lock its
//! event's row, so one registration per commit caps throughput at one lock
//! hold and one disk flush per delegate. The registrar gathers the
//! registrations waiting in this process for the same event and settles
//! them with [`register_all`]: one transaction, one event lock, one
//! statement per table for the whole batch, one commit. Exactness is
//! unchanged — the decisions are made in arrival order under the same locks
//! and the counter statements stay guarded — and nobody gets an answer
//! before the commit that makes it true.

use std::time::Instant;

use chrono::{DateTime, Utc};
use diesel_async::AsyncConnection;
use diesel_async::pooled_connection::PoolableConnection;
use tokio::sync::{mpsc, oneshot};

use super::RegistrationError;
use super::register::{
    Applicant, IdempotencyKey, Offer, Registered, Request, chosen_category, chosen_sessions,
    register_all, register_one, sent_files, stored_answers,
};
use crate::db::DbPool;
use crate::db::events::Event;

/// At most this many registrations share a transaction: enough to amortise
/// the lock and the flush, few enough that the first of a batch does not
/// wait long for the last.
const MAX_BATCH: usize = 64;
const QUEUE: usize = 4096;

struct Job {
    event: Event,
    request: Request,
    reply: oneshot::Sender<Result<Registered, RegistrationError>>,
}

/// The process's registration desk; cheap to clone.
#[derive(Clone)]
pub struct Registrar {
    jobs: mpsc::Sender<Job>,
}

impl Registrar {
    /// Starts the batching task on the current Tokio runtime.
    pub fn start(pool: DbPool) -> Registrar {
        let (jobs, queue) = mpsc::channel(QUEUE);
        tokio::spawn(run(pool, queue));
        Registrar { jobs }
    }

    /// Registers a delegate for `event`, whose sessions and questions are
    /// `offered` as the caller read them: a place if the event and the country both have
    /// room, the waiting list otherwise; a seat or a waiting-list place in
    /// each chosen session; and the email announcing it. Answers once the
    /// registration is committed.
    pub async fn register(
        &self,
        event: Event,
        offered: Offer<'_>,
        mut applicant: Applicant,
        idempotency_key: Option<IdempotencyKey>,
        public_url: &str,
        now: DateTime<Utc>,
    ) -> Result<Registered, RegistrationError> {
        let settled: Result<Registered, RegistrationError> = async {
            // Checked before queueing: it needs no lock. A session deleted since
            // `offered` was read is skipped when the batch locks the sessions.
            let sessions = chosen_sessions(&event, offered.sessions, &applicant)?;
            let category = chosen_category(offered.categories, applicant.category.as_ref())?;
            let files = sent_files(offered.questions, &mut applicant)?;
            let (answers, choices, question_codes) =
                stored_answers(offered.questions, &applicant.answers);
            let (reply, answer) = oneshot::channel();
            let job = Job {
                event,
                request: Request {
                    applicant,
                    category,
                    sessions,
                    answers,
                    choices,
                    question_codes,
                    files,
                    idempotency_key,
                    public_url: public_url.to_owned(),
                    now,
                },
                reply,
            };
            self.jobs
                .send(job)
                .await
                .map_err(|_| RegistrationError::Stopped)?;
            answer.await.map_err(|_| RegistrationError::Stopped)?
        }
        .await;
        crate::metrics::registration_settled(outcome(&settled));
        settled
    }
}

/// The metrics' word for how a registration ended.
fn outcome(settled: &Result<Registered, RegistrationError>) -> &'static str {
    match settled {
        Ok(registered) if registered.replayed => "replayed",
        Ok(registered) => registered.view.registration.status.as_str(),
        Err(error) => match error {
            RegistrationError::EventNotFound | RegistrationError::NotFound => "not_found",
            RegistrationError::Closed => "closed",
            RegistrationError::Duplicate => "duplicate",
            RegistrationError::Invalid(_) => "invalid",
            RegistrationError::IdempotencyKeyReused => "idempotency_key_reused",
            RegistrationError::Cancelled => "cancelled",
            RegistrationError::Unavailable(_) | RegistrationError::Stopped => "unavailable",
            RegistrationError::Email(_)
            | RegistrationError::Invariant(_)
            | RegistrationError::Database(_) => "error",
        },
    }
}

async fn run(pool: DbPool, mut queue: mpsc::Receiver<Job>) {
    let mut waiting: Vec<Job> = Vec::new();
    loop {
        if waiting.is_empty() {
            match queue.recv().await {
                Some(job) => waiting.push(job),
                None => return,
            }
        }
        while let Ok(job) = queue.try_recv() {
            waiting.push(job);
        }
        let (batch, rest) = next_batch(waiting);
        waiting = rest;
        run_batch(&pool, batch).await;
    }
}

/// The oldest job's event goes first, with up to MAX_BATCH of its followers
/// in arrival order; other events wait for the next turn. A retry of a
/// request already in the batch (same Idempotency-Key) waits too, so that
/// it finds the first one's answer.
fn next_batch(waiting: Vec<Job>) -> (Vec<Job>, Vec<Job>) {
    let event_id = waiting[0].event.id;
    let mut batch: Vec<Job> = Vec::new();
    let mut rest = Vec::new();
    for job in waiting {
        let key = job
            .request
            .idempotency_key
            .as_ref()
            .map(IdempotencyKey::lookup);
        let retried = key.is_some()
            && batch.iter().any(|other| {
                other
                    .request
                    .idempotency_key
                    .as_ref()
                    .map(IdempotencyKey::lookup)
                    == key
            });
        if job.event.id == event_id && batch.len() < MAX_BATCH && !retried {
            batch.push(job);
        } else {
            rest.push(job);
        }
    }
    (batch, rest)
}

async fn run_batch(pool: &DbPool, batch: Vec<Job>) {
    let waiting = Instant::now();
    let acquired = pool.get().await;
    crate::metrics::pool_waited(waiting.elapsed());
    let mut conn = match acquired {
        Ok(conn) => conn,
        Err(error) => {
            crate::metrics::pool_error(&error);
            let message = error.to_string();
            for job in batch {
                let _ = job
                    .reply
                    .send(Err(RegistrationError::Unavailable(message.clone())));
            }
            return;
        }
    };
    let event_id = batch[0].event.id;
    let requests: Vec<&Request> = batch.iter().map(|job| &job.request).collect();
    let started = Instant::now();
    let together = conn
        .transaction::<_, RegistrationError, _>(async |tx| {
            register_all(tx, event_id, &requests).await
        })
        .await;
    crate::metrics::batch_settled(batch.len(), started.elapsed());
    match together {
        Ok(results) => {
            for (job, result) in batch.into_iter().zip(results) {
                let _ = job.reply.send(result);
            }
        }
        // The connection died, perhaps during the COMMIT: whether the batch
        // committed is unknown, and the connection is of no more use. Each
        // delegate is told to try again; a retry with the same
        // Idempotency-Key finds the registration if the commit did happen.
        Err(error) if conn.is_broken() || error.is_connection_lost() => {
            tracing::warn!(%error, size = batch.len(), "batch lost its database connection");
            let message = error.to_string();
            for job in batch {
                let _ = job
                    .reply
                    .send(Err(RegistrationError::Unavailable(message.clone())));
            }
        }
        // The batch as a whole failed (a deadlock with an organiser's
        // change): nothing of it was committed, so each registration is
        // tried again on its own, with the usual retries.
        Err(error) => {
            tracing::warn!(%error, size = batch.len(), "batch failed; registering one by one");
            for job in batch {
                let result = register_one(&mut conn, event_id, &job.request).await;
                let _ = job.reply.send(result);
            }
        }
    }
}
