//! What a process counts, and the second listener that shows it to
//! Prometheus (`http.metrics_bind`, off by default; never the public
//! port). Every count goes through the `metrics` facade; without that
//! listener no recorder is installed and each call below is a load and a
//! branch. Nothing here touches the database on the way of a request: the
//! gauges read from PostgreSQL are refreshed when Prometheus scrapes.
//!
//! Labels only take values from closed sets (route patterns, status codes,
//! the domain's words), never from what a client sent: a path or a header
//! cannot make a new series, so no client can fill the memory or read a
//! private token back from the scrape.

use std::net::TcpListener;
use std::sync::OnceLock;
use std::time::Duration;

use actix_web::dev::Server;
use actix_web::http::{Method, StatusCode};
use actix_web::{App, HttpResponse, HttpServer, web};
use metrics::{
    Unit, counter, describe_counter, describe_gauge, describe_histogram, gauge, histogram,
};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};

use crate::db::{DbPool, PoolError, outbox};

const HTTP_REQUEST_SECONDS: &str = "rencontre_http_request_duration_seconds";
const REGISTRATIONS: &str = "rencontre_registrations_total";
const BATCH_SIZE: &str = "rencontre_registration_batch_size";
const BATCH_SECONDS: &str = "rencontre_registration_batch_duration_seconds";
const POOL_WAIT_SECONDS: &str = "rencontre_db_pool_wait_seconds";
const POOL_ERRORS: &str = "rencontre_db_pool_errors_total";
const POOL_MAX: &str = "rencontre_db_pool_max_size";
const POOL_SIZE: &str = "rencontre_db_pool_size";
const POOL_AVAILABLE: &str = "rencontre_db_pool_available";
const POOL_WAITING: &str = "rencontre_db_pool_waiting";
const OUTBOX_PENDING: &str = "rencontre_outbox_pending";
const OUTBOX_FAILED: &str = "rencontre_outbox_failed";
const OUTBOX_OLDEST_SECONDS: &str = "rencontre_outbox_oldest_pending_age_seconds";
const EMAILS_SENT: &str = "rencontre_emails_sent_total";
const EMAIL_FAILURES: &str = "rencontre_email_failures_total";
const EVENT_COPIES: &str = "rencontre_event_copies_total";
const EVENT_COPIES_DROPPED: &str = "rencontre_event_copies_dropped_total";
const EVENT_CHANGES_LISTENING: &str = "rencontre_event_changes_listening";

/// Latency buckets: a registration answered from a batch takes a few
/// milliseconds, a busy rush tens, an export seconds.
const SECONDS_BUCKETS: &[f64] = &[
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];
/// Up to the registrar's largest batch (64).
const BATCH_SIZE_BUCKETS: &[f64] = &[1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0];
/// Histogram samples wait in the recorder until drained; unscraped, they
/// would pile up.
const UPKEEP_EVERY: Duration = Duration::from_secs(5);
/// A scrape never waits long on a busy database: it shows the outbox
/// gauges of the previous scrape instead.
const OUTBOX_QUERY_TIMEOUT_MS: u32 = 2000;

static RECORDER: OnceLock<Result<PrometheusHandle, String>> = OnceLock::new();

/// The process's recorder, installed on first use (a process has one
/// recorder; tests build several applications in one process).
fn recorder() -> anyhow::Result<PrometheusHandle> {
    RECORDER
        .get_or_init(|| {
            let handle = PrometheusBuilder::new()
                .set_buckets(SECONDS_BUCKETS)
                .and_then(|builder| {
                    builder.set_buckets_for_metric(
                        Matcher::Full(BATCH_SIZE.into()),
                        BATCH_SIZE_BUCKETS,
                    )
                })
                .map_err(|error| error.to_string())?
                .install_recorder()
                .map_err(|error| error.to_string())?;
            describe();
            let upkeep = handle.clone();
            std::thread::Builder::new()
                .name("metrics-upkeep".into())
                .spawn(move || {
                    loop {
                        std::thread::sleep(UPKEEP_EVERY);
                        upkeep.run_upkeep();
                    }
                })
                .map_err(|error| error.to_string())?;
            Ok(handle)
        })
        .clone()
        .map_err(|error| anyhow::anyhow!("cannot start the metrics recorder: {error}"))
}

fn describe() {
    describe_histogram!(
        HTTP_REQUEST_SECONDS,
        Unit::Seconds,
        "Time to the answer's head, by method, route pattern and status."
    );
    describe_counter!(
        REGISTRATIONS,
        "Registrations the registration desk settled, by outcome."
    );
    describe_histogram!(BATCH_SIZE, "Registrations settled in one transaction.");
    describe_histogram!(
        BATCH_SECONDS,
        Unit::Seconds,
        "Time of one batch's transaction, from its first statement to its commit."
    );
    describe_histogram!(
        POOL_WAIT_SECONDS,
        Unit::Seconds,
        "How long the registration desk waited for a pooled connection."
    );
    describe_counter!(
        POOL_ERRORS,
        "Requests for a pooled connection that failed, by kind (wait_timeout: the pool was exhausted)."
    );
    describe_gauge!(POOL_MAX, "The pool's largest size (database.pool_size).");
    describe_gauge!(POOL_SIZE, "Connections the pool holds now.");
    describe_gauge!(POOL_AVAILABLE, "Idle connections in the pool.");
    describe_gauge!(POOL_WAITING, "Callers waiting for a pooled connection.");
    describe_gauge!(
        OUTBOX_PENDING,
        "Emails waiting to be sent (the database's count: the same in every process)."
    );
    describe_gauge!(
        OUTBOX_FAILED,
        "Emails given up on (the database's count: the same in every process)."
    );
    describe_gauge!(
        OUTBOX_OLDEST_SECONDS,
        Unit::Seconds,
        "Age of the oldest email waiting to be sent; 0 when none waits."
    );
    describe_counter!(
        EMAILS_SENT,
        "Emails this process's worker handed over (the SMTP server accepted them), by kind."
    );
    describe_counter!(
        EMAIL_FAILURES,
        "Deliveries that failed, by reason and outcome (retry later, or given up)."
    );
    describe_counter!(
        EVENT_COPIES,
        "Reads of the public event copy: hit (served from memory) or miss (read from the database)."
    );
    describe_counter!(
        EVENT_COPIES_DROPPED,
        "Times event copies were dropped, by cause: an organiser's change announced by PostgreSQL \
         (notification), made through this process (organiser), or a new listening connection \
         (reconnect)."
    );
    describe_gauge!(
        EVENT_CHANGES_LISTENING,
        "1 while this process listens for organisers' changes, 0 while it reconnects."
    );
}

/// The metrics listener: answers `GET /metrics` and nothing else. Its
/// caller stops it (signals are the public server's business, and
/// Prometheus may scrape until the very end of a graceful shutdown).
pub fn serve(listener: TcpListener, pool: DbPool) -> anyhow::Result<Server> {
    let handle = recorder()?;
    let server = HttpServer::new(move || {
        App::new()
            .app_data(web::Data::new(Scrape {
                handle: handle.clone(),
                pool: pool.clone(),
            }))
            .route("/metrics", web::get().to(scrape))
    })
    .workers(1)
    .disable_signals()
    .shutdown_timeout(1)
    .listen(listener)?
    .run();
    Ok(server)
}

struct Scrape {
    handle: PrometheusHandle,
    pool: DbPool,
}

async fn scrape(scrape: web::Data<Scrape>) -> HttpResponse {
    refresh_gauges(&scrape.pool).await;
    HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4; charset=utf-8")
        .body(scrape.handle.render())
}

/// The gauges nobody updates on the way: the pool as it is now, and the
/// outbox as the database counts it (one statement a scrape; pending rows
/// are read through their partial index, failed ones through theirs).
async fn refresh_gauges(pool: &DbPool) {
    let status = pool.status();
    gauge!(POOL_MAX).set(status.max_size as f64);
    gauge!(POOL_SIZE).set(status.size as f64);
    gauge!(POOL_AVAILABLE).set(status.available as f64);
    gauge!(POOL_WAITING).set(status.waiting as f64);
    let counted = match pool.get().await {
        Ok(mut conn) => outbox::gauges(&mut conn, OUTBOX_QUERY_TIMEOUT_MS)
            .await
            .map_err(|error| error.to_string()),
        Err(error) => {
            pool_error(&error);
            Err(error.to_string())
        }
    };
    match counted {
        Ok(gauges) => {
            gauge!(OUTBOX_PENDING).set(gauges.pending as f64);
            gauge!(OUTBOX_FAILED).set(gauges.failed as f64);
            gauge!(OUTBOX_OLDEST_SECONDS).set(gauges.oldest_pending_age_secs);
        }
        Err(error) => tracing::warn!(%error, "cannot count the outbox for the metrics"),
    }
}

/// A method from HTTP's registry, or `other`: methods are open-ended.
fn method_label(method: &Method) -> &'static str {
    match method.as_str() {
        "GET" => "GET",
        "HEAD" => "HEAD",
        "POST" => "POST",
        "PUT" => "PUT",
        "DELETE" => "DELETE",
        "PATCH" => "PATCH",
        "OPTIONS" => "OPTIONS",
        "CONNECT" => "CONNECT",
        "TRACE" => "TRACE",
        _ => "other",
    }
}

/// One answered request. `route` is the pattern the router matched
/// (`/r/{token}`), `None` when none did.
pub fn request_answered(
    method: &Method,
    route: Option<String>,
    status: StatusCode,
    elapsed: Duration,
) {
    // The one count with labels made per request: skipped, allocations
    // and all, when nobody will read it.
    if !RECORDER.get().is_some_and(Result::is_ok) {
        return;
    }
    let route = route.unwrap_or_else(|| "(no route)".to_owned());
    histogram!(
        HTTP_REQUEST_SECONDS,
        "method" => method_label(method),
        "route" => route,
        "status" => status.as_u16().to_string(),
    )
    .record(elapsed.as_secs_f64());
}

/// One registration the desk settled (or refused), by outcome.
pub fn registration_settled(outcome: &'static str) {
    counter!(REGISTRATIONS, "outcome" => outcome).increment(1);
}

/// One batch's transaction: how many registrations, how long.
pub fn batch_settled(size: usize, elapsed: Duration) {
    histogram!(BATCH_SIZE).record(size as f64);
    histogram!(BATCH_SECONDS).record(elapsed.as_secs_f64());
}

pub fn pool_waited(elapsed: Duration) {
    histogram!(POOL_WAIT_SECONDS).record(elapsed.as_secs_f64());
}

/// A pooled connection that could not be had; `wait_timeout` is the pool
/// exhausted for `database.acquire_timeout_ms`.
pub fn pool_error(error: &PoolError) {
    use deadpool::managed::{PoolError as Failed, TimeoutType};
    let kind = match error {
        Failed::Timeout(TimeoutType::Wait) => "wait_timeout",
        Failed::Timeout(TimeoutType::Create) => "create_timeout",
        Failed::Timeout(TimeoutType::Recycle) => "recycle_timeout",
        Failed::Backend(_) => "backend",
        Failed::Closed => "closed",
        Failed::NoRuntimeSpecified => "no_runtime",
        Failed::PostCreateHook(_) => "post_create_hook",
    };
    counter!(POOL_ERRORS, "kind" => kind).increment(1);
}

pub fn email_sent(kind: &'static str) {
    counter!(EMAILS_SENT, "kind" => kind).increment(1);
}

/// A failed delivery: `reason` from the transport, and whether it will be
/// tried again.
pub fn email_failed(reason: &'static str, given_up: bool) {
    let outcome = if given_up { "given_up" } else { "retry" };
    counter!(EMAIL_FAILURES, "reason" => reason, "outcome" => outcome).increment(1);
}

pub fn event_copy_read(hit: bool) {
    let outcome = if hit { "hit" } else { "miss" };
    counter!(EVENT_COPIES, "outcome" => outcome).increment(1);
}

/// Why the event copies were dropped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CopiesDropped {
    /// PostgreSQL announced an organiser's change (from any process).
    Notification,
    /// An organiser's change made through this process.
    Organiser,
    /// The listening connection is new: what it missed is unknown.
    Reconnect,
}

pub fn event_copies_dropped(cause: CopiesDropped) {
    let cause = match cause {
        CopiesDropped::Notification => "notification",
        CopiesDropped::Organiser => "organiser",
        CopiesDropped::Reconnect => "reconnect",
    };
    counter!(EVENT_COPIES_DROPPED, "cause" => cause).increment(1);
}

pub fn listening_for_event_changes(listening: bool) {
    gauge!(EVENT_CHANGES_LISTENING).set(if listening { 1.0 } else { 0.0 });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn methods_outside_the_registry_share_one_label() {
        assert_eq!(method_label(&Method::GET), "GET");
        assert_eq!(method_label(&Method::DELETE), "DELETE");
        let invented = Method::from_bytes(b"BREW").expect("a token");
        assert_eq!(method_label(&invented), "other");
    }
}
