//! Group commit for the opening rush. Every registration must lock its
//! event's row, so one registration per commit caps throughput at one disk
//! flush per delegate. The registrar gathers the registrations waiting in
//! this process and runs them in ONE transaction that takes the event lock
//! once: each registration in a savepoint of its own (a duplicate email
//! rolls back only itself), one commit for all. Exactness is unchanged —
//! the same statements run under the same lock — and nobody gets an answer
//! before the commit that makes it true.

use chrono::{DateTime, Utc};
use diesel_async::pooled_connection::PoolableConnection;
use diesel_async::{AsyncConnection, AsyncPgConnection};
use tokio::sync::{mpsc, oneshot};

use super::RegistrationError;
use super::register::{Applicant, IdempotencyKey, Registered, chosen_sessions, register_in};
use crate::db::DbPool;
use crate::db::events::{Event, Session};
use crate::db::registrations as store;

/// At most this many registrations share a commit: enough to amortise the
/// flush, few enough that the first in a batch does not wait long.
const MAX_BATCH: usize = 32;
const QUEUE: usize = 4096;

struct Job {
    event: Event,
    applicant: Applicant,
    sessions: Vec<Session>,
    idempotency_key: Option<IdempotencyKey>,
    public_url: String,
    now: DateTime<Utc>,
    reply: oneshot::Sender<Result<Registered, RegistrationError>>,
}

/// The process's registration desk; cheap to clone.
#[derive(Clone)]
pub struct Registrar {
    pool: DbPool,
    jobs: mpsc::Sender<Job>,
}

impl Registrar {
    /// Starts the batching task on the current Tokio runtime.
    pub fn start(pool: DbPool) -> Registrar {
        let (jobs, queue) = mpsc::channel(QUEUE);
        tokio::spawn(run(pool.clone(), queue));
        Registrar { pool, jobs }
    }

    /// Registers a delegate (see [`super::register`]); answers once the
    /// registration is committed.
    pub async fn register(
        &self,
        event: Event,
        applicant: Applicant,
        idempotency_key: Option<IdempotencyKey>,
        public_url: &str,
        now: DateTime<Utc>,
    ) -> Result<Registered, RegistrationError> {
        // Checked before queueing, on a connection of its own: it needs no lock.
        let sessions = {
            let mut conn = self.pool.get().await?;
            chosen_sessions(&mut conn, &event, &applicant).await?
        };
        let (reply, answer) = oneshot::channel();
        let job = Job {
            event,
            applicant,
            sessions,
            idempotency_key,
            public_url: public_url.to_owned(),
            now,
            reply,
        };
        self.jobs
            .send(job)
            .await
            .map_err(|_| RegistrationError::Stopped)?;
        answer.await.map_err(|_| RegistrationError::Stopped)?
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
        // The oldest job's event goes first, with up to MAX_BATCH of its
        // followers in arrival order; other events wait for the next turn.
        let event_id = waiting[0].event.id;
        let mut batch = Vec::new();
        let mut rest = Vec::new();
        for job in waiting.drain(..) {
            if job.event.id == event_id && batch.len() < MAX_BATCH {
                batch.push(job);
            } else {
                rest.push(job);
            }
        }
        waiting = rest;
        run_batch(&pool, batch).await;
    }
}

async fn run_batch(pool: &DbPool, batch: Vec<Job>) {
    let mut conn = match pool.get().await {
        Ok(conn) => conn,
        Err(error) => {
            let message = error.to_string();
            for job in batch {
                let _ = job
                    .reply
                    .send(Err(RegistrationError::Unavailable(message.clone())));
            }
            return;
        }
    };
    match together(&mut conn, &batch).await {
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
                let result = super::register::register_with_sessions(
                    &mut conn,
                    &job.event,
                    &job.applicant,
                    &job.sessions,
                    job.idempotency_key.as_ref(),
                    &job.public_url,
                    job.now,
                )
                .await;
                let _ = job.reply.send(result);
            }
        }
    }
}

/// One transaction for the whole batch, one savepoint per registration.
async fn together(
    conn: &mut AsyncPgConnection,
    batch: &[Job],
) -> Result<Vec<Result<Registered, RegistrationError>>, RegistrationError> {
    conn.transaction::<_, RegistrationError, _>(async |tx| {
        store::lock_event(tx, batch[0].event.id).await?;
        let mut results = Vec::with_capacity(batch.len());
        for job in batch {
            let result = tx
                .transaction::<_, RegistrationError, _>(async |savepoint| {
                    register_in(
                        savepoint,
                        &job.event,
                        &job.applicant,
                        &job.sessions,
                        job.idempotency_key.as_ref(),
                        &job.public_url,
                        job.now,
                    )
                    .await
                })
                .await;
            results.push(result);
        }
        Ok(results)
    })
    .await
}
