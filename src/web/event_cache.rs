//! A short-lived copy of each event's public view (the event, its sessions
//! and country quotas, and the API's JSON body), shared by every reader of
//! this process. At the opening of registration thousands of delegates
//! reload the event page: without it, each of them costs three queries on
//! the database that is busy registering the others.
//!
//! The places left it shows may be `http.event_cache_ms` old; nothing is
//! decided from it: registrations read and lock the rows themselves. An
//! organiser's change made through this process is seen at once
//! ([`forget_after_changes`]); one made through another process, within
//! `http.event_cache_ms`.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use actix_web::HttpMessage;
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::Method;
use actix_web::middleware::Next;
use actix_web::web::{self, Bytes};

use super::auth::OrganiserRequest;
use super::{AppError, AppState};
use crate::db::DbPool;
use crate::db::events::{self as store, CountryQuota, Event, Session};
use crate::db::questions::{self as questions_store, AskedQuestion};
use crate::domain::Language;
use crate::domain::QuestionStage;

pub struct EventSnapshot {
    pub event: Event,
    pub sessions: Vec<Session>,
    pub countries: Vec<CountryQuota>,
    /// The questions of the registration form, in their order.
    pub questions: Vec<AskedQuestion>,
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
    snapshots: Mutex<HashMap<String, Arc<EventSnapshot>>>,
}

impl EventCache {
    /// A zero `ttl` reads the database on every request.
    pub fn new(ttl: Duration) -> EventCache {
        EventCache {
            ttl,
            snapshots: Mutex::new(HashMap::new()),
        }
    }

    /// The event named `slug` as it stood at most `ttl` ago.
    pub async fn get(&self, pool: &DbPool, slug: &str) -> Result<Arc<EventSnapshot>, AppError> {
        if let Some(snapshot) = self.fresh(slug) {
            return Ok(snapshot);
        }
        let snapshot = Arc::new(read(pool, slug).await?);
        if !self.ttl.is_zero() {
            let mut snapshots = self.snapshots.lock().unwrap_or_else(|e| e.into_inner());
            // Only events that exist are kept, so the map stays as small as
            // the list of events.
            snapshots.insert(slug.to_owned(), snapshot.clone());
        }
        Ok(snapshot)
    }

    /// Drops every copy: the next reader of each event reads it again.
    pub fn forget_all(&self) {
        self.snapshots
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
    }

    fn fresh(&self, slug: &str) -> Option<Arc<EventSnapshot>> {
        if self.ttl.is_zero() {
            return None;
        }
        let snapshots = self.snapshots.lock().unwrap_or_else(|e| e.into_inner());
        snapshots
            .get(slug)
            .filter(|snapshot| snapshot.read_at.elapsed() < self.ttl)
            .cloned()
    }
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
    drop(conn);
    let first = event.first_language();
    let body = super::api::events::public_event_body(
        &event,
        &sessions,
        &countries,
        &questions,
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
        api_body,
        pages: Default::default(),
    })
}
