//! A short-lived copy of each event's public view (the event, its sessions
//! and country quotas, and the API's JSON body), shared by every reader of
//! this process. At the opening of registration thousands of delegates
//! reload the event page: without it, each of them costs three queries on
//! the database that is busy registering the others.
//!
//! The places left it shows may be `http.event_cache_ms` old; nothing is
//! decided from it: registrations read and lock the rows themselves. An
//! organiser's change is seen at once by every process: each follows
//! PostgreSQL's `event_changes` notifications ([`follow_changes`]), which
//! the change's audit row sends at its commit, and the process that made
//! the change drops its copies even before ([`forget_after_changes`]).
//! While the listening connection is down, the copies' age is the bound
//! again; a new connection drops every copy, since what it missed is
//! unknown.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use diesel_async::{AsyncConnection, AsyncPgConnection};
use futures_util::StreamExt;
use rand::Rng;
use uuid::Uuid;

use actix_web::HttpMessage;
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::Method;
use actix_web::middleware::Next;
use actix_web::web::{self, Bytes};

use super::auth::OrganiserRequest;
use super::{AppError, AppState};
use crate::db::DbPool;
use crate::db::categories::{self as categories_store, Category};
use crate::db::events::{self as store, CountryQuota, Event, Session};
use crate::db::questions::{self as questions_store, AskedQuestion};
use crate::domain::Language;
use crate::domain::QuestionStage;
use crate::metrics::{self, CopiesDropped};

/// The channel of migration `event_changes_and_outbox_gauges`: its payload
/// is the changed event's id.
const CHANNEL: &str = "event_changes";
/// Set on the listening connection, so that an operator (or a test) can
/// find it in `pg_stat_activity`.
pub const LISTENER_NAME: &str = "rencontre event changes";
/// Reconnecting waits this long at first, doubling up to the cap.
const FIRST_RETRY: Duration = Duration::from_millis(100);
const MAX_RETRY: Duration = Duration::from_secs(5);

pub struct EventSnapshot {
    pub event: Event,
    pub sessions: Vec<Session>,
    pub countries: Vec<CountryQuota>,
    /// The questions of the registration form, in their order.
    pub questions: Vec<AskedQuestion>,
    /// The participant categories, in their order.
    pub categories: Vec<Category>,
    /// `GET /api/v1/events/{slug}`'s body.
    pub api_body: Bytes,
    /// The event page in each language, rendered by its first reader.
    pages: [OnceLock<Bytes>; Language::ALL.len()],
    read_at: Instant,
}

impl EventSnapshot {
    /// The event page in `language`: rendered by `render` the first time,
    /// then shared by every reader of this copy.
    pub fn page_in(
        &self,
        language: Language,
        render: impl FnOnce() -> Result<String, AppError>,
    ) -> Result<Bytes, AppError> {
        let index = Language::ALL
            .iter()
            .position(|other| *other == language)
            .unwrap_or(0);
        if let Some(page) = self.pages[index].get() {
            return Ok(page.clone());
        }
        let page = Bytes::from(render()?);
        // Two first readers may both render; either copy is the same page.
        let _ = self.pages[index].set(page.clone());
        Ok(page)
    }
}

pub struct EventCache {
    ttl: Duration,
    copies: Mutex<Copies>,
}

struct Copies {
    /// Moves on every drop. A reader keeps what it read only if no drop
    /// happened since it started reading: a change committed meanwhile
    /// may be missing from it.
    generation: u64,
    snapshots: HashMap<String, Arc<EventSnapshot>>,
}

impl EventCache {
    /// A zero `ttl` reads the database on every request.
    pub fn new(ttl: Duration) -> EventCache {
        EventCache {
            ttl,
            copies: Mutex::new(Copies {
                generation: 0,
                snapshots: HashMap::new(),
            }),
        }
    }

    /// False when every request reads the database anyway.
    pub fn keeps_copies(&self) -> bool {
        !self.ttl.is_zero()
    }

    /// The event named `slug` as it stood at most `ttl` ago (and before no
    /// organiser's change that this process has heard of).
    pub async fn get(&self, pool: &DbPool, slug: &str) -> Result<Arc<EventSnapshot>, AppError> {
        let generation = match self.fresh(slug) {
            Ok(snapshot) => {
                metrics::event_copy_read(true);
                return Ok(snapshot);
            }
            Err(generation) => generation,
        };
        metrics::event_copy_read(false);
        let snapshot = Arc::new(read(pool, slug).await?);
        if self.keeps_copies() {
            let mut copies = self.lock();
            // Only events that exist are kept, so the map stays as small as
            // the list of events.
            if copies.generation == generation {
                copies.snapshots.insert(slug.to_owned(), snapshot.clone());
            }
        }
        Ok(snapshot)
    }

    /// Drops every copy: the next reader of each event reads it again.
    pub fn forget_all(&self) {
        let mut copies = self.lock();
        copies.generation += 1;
        copies.snapshots.clear();
    }

    /// Drops the copy of one event.
    pub fn forget_event(&self, event_id: Uuid) {
        let mut copies = self.lock();
        copies.generation += 1;
        copies
            .snapshots
            .retain(|_, snapshot| snapshot.event.id != event_id);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Copies> {
        self.copies.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The copy, if it is young enough; else the generation its reader
    /// must find unchanged to keep what it reads.
    fn fresh(&self, slug: &str) -> Result<Arc<EventSnapshot>, u64> {
        if !self.keeps_copies() {
            // Nothing is kept, so the generation is never compared.
            return Err(0);
        }
        let copies = self.lock();
        copies
            .snapshots
            .get(slug)
            .filter(|snapshot| snapshot.read_at.elapsed() < self.ttl)
            .cloned()
            .ok_or(copies.generation)
    }
}

/// Drops copies as PostgreSQL announces organisers' changes, for as long
/// as the process runs: one connection of its own (not the pool's),
/// reconnected with backoff when it fails.
pub async fn follow_changes(cache: Arc<EventCache>, database_url: String) {
    let mut retry = FIRST_RETRY;
    loop {
        match listen(&database_url).await {
            Ok(mut connection) => {
                // Notifications sent while nobody listened are lost: any
                // copy may predate a change.
                cache.forget_all();
                metrics::event_copies_dropped(CopiesDropped::Reconnect);
                metrics::listening_for_event_changes(true);
                retry = FIRST_RETRY;
                let mut notifications = std::pin::pin!(connection.notifications_stream());
                while let Some(Ok(notification)) = notifications.next().await {
                    match Uuid::parse_str(&notification.payload) {
                        Ok(event_id) => cache.forget_event(event_id),
                        Err(_) => cache.forget_all(),
                    }
                    metrics::event_copies_dropped(CopiesDropped::Notification);
                }
                metrics::listening_for_event_changes(false);
                tracing::warn!("lost the connection that listens for event changes; reconnecting");
            }
            Err(error) => {
                metrics::listening_for_event_changes(false);
                tracing::warn!(%error, ?retry, "cannot listen for event changes");
            }
        }
        // Jittered, so that the processes behind one load balancer do not
        // all knock at once when the database comes back.
        let jitter = rand::rng().random_range(0.5..1.5);
        tokio::time::sleep(retry.mul_f64(jitter)).await;
        retry = (retry * 2).min(MAX_RETRY);
    }
}

async fn listen(database_url: &str) -> diesel::ConnectionResult<AsyncPgConnection> {
    use diesel_async::SimpleAsyncConnection;
    let mut connection = AsyncPgConnection::establish(database_url).await?;
    connection
        .batch_execute(&format!(
            "SET application_name = '{LISTENER_NAME}'; LISTEN {CHANNEL}"
        ))
        .await
        .map_err(|error| diesel::ConnectionError::BadConnection(error.to_string()))?;
    Ok(connection)
}

/// Middleware of the organisers' API and the back office: after an
/// organiser's change that succeeded, the copies are dropped, so that the
/// organiser (and every reader of this process) sees it on the next
/// request. Nobody else's request drops them: an anonymous client posting
/// in a loop would otherwise send every reader to the database. A
/// delegate's registration is not such a change: the places left may lag,
/// as above.
pub async fn forget_after_changes(
    request: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let reads = matches!(*request.method(), Method::GET | Method::HEAD);
    let response = next.call(request).await?;
    let by_organiser = response
        .request()
        .extensions()
        .contains::<OrganiserRequest>();
    let succeeded = response.status().is_success() || response.status().is_redirection();
    if !reads
        && by_organiser
        && succeeded
        && let Some(state) = response.request().app_data::<web::Data<AppState>>()
    {
        state.events.forget_all();
        metrics::event_copies_dropped(CopiesDropped::Organiser);
    }
    Ok(response)
}

async fn read(pool: &DbPool, slug: &str) -> Result<EventSnapshot, AppError> {
    let mut conn = pool.get().await?;
    let event = store::find_by_slug(&mut conn, slug)
        .await?
        .ok_or(AppError::NotFound("event"))?;
    let sessions = store::sessions_of(&mut conn, event.id).await?;
    let countries = store::country_quotas_of(&mut conn, event.id).await?;
    let questions =
        questions_store::of_event(&mut conn, event.id, Some(QuestionStage::Registration)).await?;
    let categories = categories_store::of_event(&mut conn, event.id).await?;
    drop(conn);
    let first = event.first_language();
    let body = super::api::events::public_event_body(
        &event,
        &sessions,
        &countries,
        &questions,
        &categories,
        first.code(),
    );
    let api_body =
        Bytes::from(serde_json::to_vec(&body).map_err(|error| AppError::Internal(error.into()))?);
    Ok(EventSnapshot {
        read_at: Instant::now(),
        event,
        sessions,
        countries,
        questions,
        categories,
        api_body,
        pages: Default::default(),
    })
}
