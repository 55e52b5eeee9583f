//! The outbox worker: claims due rows with a lease (committed before
//! sending, taken with `FOR UPDATE SKIP LOCKED`), sends them side by side,
//! and records each outcome as soon as it is known, so a crash resends at
//! most the exchanges that were in flight. Wakes on `LISTEN email_outbox`,
//! and polls as a fallback.

use std::time::Duration;

use chrono::Utc;
use diesel_async::{AsyncConnection, AsyncPgConnection};
use futures_util::future::BoxFuture;
use futures_util::{FutureExt, StreamExt};
use rand::Rng;
use tokio::sync::{mpsc, oneshot, watch};
use uuid::Uuid;

use super::compose::compose;
use super::transport::{FailureReason, SendFailure, Transport};
use crate::config::MailSettings;
use crate::db::idempotency;
use crate::db::outbox::{self, OutboxEmail};
use crate::db::{DbPool, PoolError};

/// Rows claimed at once, per SMTP connection: the next message is ready
/// when a connection frees up. Only the sends in flight (at most one per
/// connection) can go out twice after a crash; the other claimed rows were
/// either marked already or never sent.
const ROWS_PER_CONNECTION: usize = 2;
/// Retries never wait longer than this.
const MAX_BACKOFF_SECS: f64 = 3600.0;
/// How often the worker deletes idempotency records past their day.
const PURGE_EVERY: Duration = Duration::from_secs(3600);
/// How often the worker looks for places held past their deadline: a
/// freed place waits at most this long for the next in line.
const EXPIRE_EVERY: Duration = Duration::from_secs(30);

pub struct Worker {
    pool: DbPool,
    database_url: String,
    transport: Transport,
    settings: MailSettings,
}

#[derive(Debug, thiserror::Error)]
pub enum WorkerError {
    #[error("database: {0}")]
    Database(#[from] diesel::result::Error),
    #[error("database pool: {0}")]
    Pool(#[from] PoolError),
    #[error("recording sent emails: {0}")]
    Record(String),
}

/// A message its server accepted, and who waits for it to be recorded.
type Mark = (Uuid, oneshot::Sender<Result<(), String>>);

impl Worker {
    pub fn new(
        pool: DbPool,
        database_url: &str,
        settings: &MailSettings,
    ) -> anyhow::Result<Worker> {
        Ok(Worker {
            pool,
            database_url: database_url.to_owned(),
            transport: Transport::from_settings(settings)?,
            settings: settings.clone(),
        })
    }

    /// Sends until `shutdown` turns true; the rows claimed when it does are
    /// still sent and recorded. Database outages are waited out.
    pub async fn run(self, mut shutdown: watch::Receiver<bool>) {
        let poll = Duration::from_millis(self.settings.poll_interval_ms);
        let mut listener = None;
        let mut next_purge = tokio::time::Instant::now();
        let mut next_expiry = next_purge;
        while !*shutdown.borrow() {
            if listener.is_none() {
                listener = listen(&self.database_url).await;
            }
            if tokio::time::Instant::now() >= next_purge {
                self.purge_expired_records().await;
                self.purge_due_answers().await;
                next_purge += PURGE_EVERY;
            }
            if tokio::time::Instant::now() >= next_expiry {
                self.expire_holds().await;
                next_expiry += EXPIRE_EVERY;
            }
            match self.drain_until(&shutdown).await {
                Ok(_) => {}
                Err(error) => tracing::warn!(%error, "mail worker cannot reach the database"),
            }
            let woken = tokio::select! {
                alive = notification(&mut listener) => Some(alive),
                () = tokio::time::sleep(poll) => None,
                _ = shutdown.changed() => None,
            };
            if woken == Some(false) {
                listener = None;
            }
        }
    }

    /// Runs one of the worker's chores on a connection of its own; a
    /// failure is logged with `failing` and waits for the next round.
    async fn chore<T, E: std::fmt::Display>(
        &self,
        failing: &'static str,
        work: impl AsyncFnOnce(&mut AsyncPgConnection) -> Result<T, E>,
    ) -> Option<T> {
        let done = match self.pool.get().await {
            Ok(mut conn) => work(&mut conn).await.map_err(|error| error.to_string()),
            Err(error) => Err(error.to_string()),
        };
        done.map_err(|error| tracing::warn!(%error, "{failing}"))
            .ok()
    }

    /// A chore that counts what it did, which is logged when it did
    /// anything.
    async fn counted_chore<E: std::fmt::Display>(
        &self,
        failing: &'static str,
        done: &'static str,
        work: impl AsyncFnOnce(&mut AsyncPgConnection) -> Result<usize, E>,
    ) {
        if let Some(count @ 1..) = self.chore(failing, work).await {
            tracing::info!(count, "{done}");
        }
    }

    /// Idempotency records past their day hold nothing a retry can use:
    /// they go (the lookup ignores them already, so a missed purge harms
    /// nothing).
    async fn purge_expired_records(&self) {
        let purge =
            async |conn: &mut AsyncPgConnection| idempotency::purge_expired(conn, Utc::now()).await;
        let failing = "cannot purge expired idempotency records";
        self.counted_chore(failing, "purged expired idempotency records", purge)
            .await;
    }

    /// Places held for an email address that was not confirmed in time go
    /// to the waiting lists; the promotions' emails are then sent by this
    /// worker like any other.
    async fn expire_holds(&self) {
        let expire = async |conn: &mut AsyncPgConnection| {
            crate::registration::verify::expire_holds(conn, Utc::now()).await
        };
        let done = "cancelled holds whose email was not confirmed";
        self.counted_chore("cannot cancel lapsed holds", done, expire)
            .await;
    }

    /// Answers past the keeping their question sets (`purge_after_days`)
    /// go, in the same hourly round.
    async fn purge_due_answers(&self) {
        let purged = self
            .chore("cannot delete answers past their keeping", async |conn| {
                crate::registration::questions::purge_due_answers(conn, Utc::now()).await
            })
            .await;
        for question in purged.unwrap_or_default() {
            tracing::info!(
                event = %question.event_id,
                question = %question.code,
                answers = question.answers,
                "deleted answers past their keeping"
            );
        }
    }

    /// Sends every due row; returns how many rows were handled.
    pub async fn drain(&self) -> Result<usize, WorkerError> {
        let (_keep, never) = watch::channel(false);
        self.drain_until(&never).await
    }

    /// Sends due rows batch after batch, and claims no new batch once
    /// `shutdown` is true.
    async fn drain_until(&self, shutdown: &watch::Receiver<bool>) -> Result<usize, WorkerError> {
        let mut handled = 0;
        loop {
            let batch = self.send_batch().await?;
            handled += batch;
            if batch < self.batch_size() || *shutdown.borrow() {
                return Ok(handled);
            }
        }
    }

    fn connections(&self) -> usize {
        self.settings.smtp_connections.max(1)
    }

    fn batch_size(&self) -> usize {
        self.connections() * ROWS_PER_CONNECTION
    }

    async fn send_batch(&self) -> Result<usize, WorkerError> {
        let lease = Duration::from_secs(self.settings.claim_lease_secs);
        let rows = {
            let mut conn = self
                .pool
                .get()
                .await
                .inspect_err(crate::metrics::pool_error)?;
            outbox::claim_due(&mut conn, self.batch_size() as i64, lease).await?
        };
        let (marks, queue) = mpsc::unbounded_channel();
        let (recorded, ()) = tokio::join!(self.deliver_all(&rows, marks), self.record_sent(queue));
        // A row whose outcome cannot be recorded keeps its lease and is
        // retried when the lease ends; the others are recorded regardless.
        recorded.into_iter().collect::<Result<Vec<()>, _>>()?;
        Ok(rows.len())
    }

    /// Sends side by side: each SMTP exchange waits on the network far more
    /// than on us, so a batch costs about as long as its slowest message.
    fn deliver_all<'a>(
        &'a self,
        rows: &'a [OutboxEmail],
        marks: mpsc::UnboundedSender<Mark>,
    ) -> BoxFuture<'a, Vec<Result<(), WorkerError>>> {
        let sends: Vec<BoxFuture<'a, Result<(), WorkerError>>> = rows
            .iter()
            .map(|row| self.deliver(row, marks.clone()).boxed())
            .collect();
        // The recorder stops once the last delivery has dropped its sender.
        drop(marks);
        futures_util::stream::iter(sends)
            .buffer_unordered(self.connections())
            .collect()
            .boxed()
    }

    /// Sends one row and waits until its outcome is committed, so that a
    /// connection takes its next message only then: at most one message per
    /// connection is ever sent but not recorded.
    async fn deliver(
        &self,
        row: &OutboxEmail,
        marks: mpsc::UnboundedSender<Mark>,
    ) -> Result<(), WorkerError> {
        match self.send_one(row).await {
            Ok(()) => {
                crate::metrics::email_sent(row.kind.as_str());
                let (done, recorded) = oneshot::channel();
                marks
                    .send((row.id, done))
                    .map_err(|_| WorkerError::Record("the recorder stopped".into()))?;
                recorded
                    .await
                    .map_err(|_| WorkerError::Record("the recorder stopped".into()))?
                    .map_err(WorkerError::Record)
            }
            Err(failure) => {
                let mut conn = self.pool.get().await?;
                self.record_failure(&mut conn, row, failure).await
            }
        }
    }

    /// Marks accepted messages sent as they come: all those accepted while
    /// the previous statement ran go in the next one, one commit for them.
    async fn record_sent(&self, mut queue: mpsc::UnboundedReceiver<Mark>) {
        let mut waiting = Vec::new();
        while queue.recv_many(&mut waiting, usize::MAX).await > 0 {
            let ids: Vec<Uuid> = waiting.iter().map(|(id, _)| *id).collect();
            let outcome = match self.pool.get().await {
                Ok(mut conn) => outbox::mark_sent_many(&mut conn, &ids)
                    .await
                    .map_err(|error| error.to_string()),
                Err(error) => Err(error.to_string()),
            };
            for (_, done) in waiting.drain(..) {
                let _ = done.send(outcome.clone());
            }
        }
    }

    async fn send_one(&self, row: &OutboxEmail) -> Result<(), SendFailure> {
        let message = compose(row, &self.settings.from).map_err(|error| SendFailure {
            permanent: true,
            reason: FailureReason::Unbuildable,
            message: error.to_string(),
            summary: "the message could not be built".to_owned(),
        })?;
        self.transport.send(&row.id.to_string(), &message).await
    }

    async fn record_failure(
        &self,
        conn: &mut AsyncPgConnection,
        row: &OutboxEmail,
        failure: SendFailure,
    ) -> Result<(), WorkerError> {
        let attempts = row.attempts + 1;
        let given_up = failure.permanent || attempts >= self.settings.max_attempts as i32;
        crate::metrics::email_failed(failure.reason.as_str(), given_up);
        if given_up {
            tracing::warn!(id = %row.id, attempts, error = %failure, "email failed for good");
            outbox::mark_failed(conn, row.id, attempts, &failure.message).await?
        } else {
            let delay = backoff(attempts, self.settings.retry_base_ms);
            tracing::info!(id = %row.id, attempts, ?delay, error = %failure, "email will be retried");
            let next = Utc::now() + delay;
            outbox::mark_retry(conn, row.id, attempts, next, &failure.message).await?
        }
        Ok(())
    }
}

/// Exponential backoff with ±50% jitter, so that retries after an outage do
/// not arrive all at once.
fn backoff(attempts: i32, base_ms: u64) -> chrono::Duration {
    let base = base_ms as f64 / 1000.0;
    let exponential = (base * 2f64.powi(attempts.saturating_sub(1))).min(MAX_BACKOFF_SECS);
    let jittered = exponential * rand::rng().random_range(0.5..1.5);
    chrono::Duration::milliseconds((jittered * 1000.0) as i64)
}

/// Waits for the next notification; false when the listening connection died.
async fn notification(listener: &mut Option<AsyncPgConnection>) -> bool {
    match listener.as_mut() {
        Some(connection) => {
            let mut notifications = std::pin::pin!(connection.notifications_stream());
            notifications.next().await.is_some_and(|item| item.is_ok())
        }
        None => std::future::pending().await,
    }
}

/// A connection of its own that listens for new rows; `None` while the
/// database is away (polling covers that time).
async fn listen(database_url: &str) -> Option<AsyncPgConnection> {
    let mut connection = AsyncPgConnection::establish(database_url).await.ok()?;
    diesel_async::RunQueryDsl::execute(diesel::sql_query("LISTEN email_outbox"), &mut connection)
        .await
        .ok()?;
    Some(connection)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_exponentially_within_its_jitter_and_is_capped() {
        for attempts in 1..=30 {
            let expected = (5.0 * 2f64.powi(attempts - 1)).min(MAX_BACKOFF_SECS);
            let delay = backoff(attempts, 5000).num_milliseconds() as f64 / 1000.0;
            assert!(
                delay >= expected * 0.5 - 0.001 && delay <= expected * 1.5 + 0.001,
                "{attempts}: {delay}"
            );
        }
    }
}
