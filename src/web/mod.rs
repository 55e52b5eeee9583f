//! HTTP: public pages, the JSON API, the back office. Parses requests into
//! `domain` types and hands them to `registration`; never touches quota
//! counters or SQL itself.

pub mod access;
mod admin;
pub mod api;
pub mod auth;
mod category_input;
pub mod client;
mod downloads;
mod error;
pub mod event_cache;
mod form;
mod health;
pub mod input;
mod json_fields;
mod logging;
mod organiser_input;
mod pages;
mod query;
mod question_input;
pub mod rate_limit;

use std::net::TcpListener;
use std::sync::Arc;
use std::time::Duration;

use actix_web::body::MessageBody;
use actix_web::dev::Server;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderValue};
use actix_web::middleware::{DefaultHeaders, Next, from_fn};
use actix_web::{App, HttpMessage, HttpServer, web};
use tracing_actix_web::TracingLogger;

pub use error::AppError;

use crate::config::Settings;
use crate::db::DbPool;
use crate::registration::Registrar;

/// What every handler may need; cheap to clone (the pool is an `Arc`).
#[derive(Clone)]
pub struct AppState {
    pub pool: DbPool,
    pub settings: Settings,
    /// Registrations per client address (API and form together).
    pub registration_limit: Arc<rate_limit::RateLimiter>,
    /// Registrations go through it, to share commits under load.
    pub registrar: Registrar,
    /// What the public pages show of each event, re-read at most every
    /// `http.event_cache_ms`.
    pub events: Arc<event_cache::EventCache>,
    /// `http.trusted_proxies`, read once.
    pub trusted_proxies: client::TrustedProxies,
    /// Admits `http.password_checks_at_once` argon2 checks at a time.
    pub password_checks: Arc<tokio::sync::Semaphore>,
}

/// A bound, not yet running server: the port is known before it serves,
/// which lets tests bind port 0.
pub struct Application {
    port: u16,
    server: Server,
    /// The `http.metrics_bind` listener, when metrics are on.
    metrics: Option<(u16, Server)>,
    /// Drops this process's event copies on organisers' changes.
    follower: Option<tokio::task::JoinHandle<()>>,
}

impl Application {
    pub fn build(settings: Settings, pool: DbPool) -> anyhow::Result<Application> {
        let listener = TcpListener::bind(settings.bind_address())?;
        Self::build_on(listener, settings, pool)
    }

    /// Serves on a listener bound by the caller (tests bind port 0 first,
    /// so the public URL can name the port).
    pub fn build_on(
        listener: TcpListener,
        settings: Settings,
        pool: DbPool,
    ) -> anyhow::Result<Application> {
        let port = listener.local_addr()?.port();
        let workers = match settings.http.workers {
            0 => std::thread::available_parallelism().map_or(2, usize::from),
            workers => workers,
        };
        let shutdown_timeout = settings.http.shutdown_timeout_secs;
        let registration_limit = Arc::new(rate_limit::RateLimiter::new(
            settings.http.registrations_per_minute,
        ));
        let registrar = Registrar::start(pool.clone());
        let events = Arc::new(event_cache::EventCache::new(Duration::from_millis(
            settings.http.event_cache_ms,
        )));
        let follower = events.keeps_copies().then(|| {
            tokio::spawn(event_cache::follow_changes(
                events.clone(),
                settings.database.url.clone(),
            ))
        });
        let metrics = match settings.metrics_address() {
            Some(address) => {
                let listener = TcpListener::bind(address).map_err(|error| {
                    anyhow::anyhow!("http.metrics_bind: cannot listen on {address}: {error}")
                })?;
                let port = listener.local_addr()?.port();
                Some((port, crate::metrics::serve(listener, pool.clone())?))
            }
            None => None,
        };
        let trusted_proxies = client::TrustedProxies::parse(&settings.http.trusted_proxies)
            .map_err(|message| anyhow::anyhow!("http.trusted_proxies: {message}"))?;
        let password_checks = Arc::new(tokio::sync::Semaphore::new(
            settings.http.password_checks_at_once,
        ));
        let state = AppState {
            pool,
            settings,
            registration_limit,
            registrar,
            events,
            trusted_proxies,
            password_checks,
        };
        let server = HttpServer::new(move || {
            App::new()
                .wrap(from_fn(never_store_organisers_answers))
                .wrap(security_headers())
                .wrap(TracingLogger::<logging::RedactedRootSpan>::new())
                .wrap(from_fn(count_requests))
                .app_data(web::Data::new(state.clone()))
                .configure(routes)
        })
        .workers(workers)
        .shutdown_timeout(shutdown_timeout)
        .listen(listener)?
        .run();
        Ok(Application {
            port,
            server,
            metrics,
            follower,
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// The metrics listener's port, when `http.metrics_bind` is set.
    pub fn metrics_port(&self) -> Option<u16> {
        self.metrics.as_ref().map(|(port, _)| *port)
    }

    /// Serves until SIGINT/SIGTERM: the listener closes at once, and
    /// in-flight requests get `http.shutdown_timeout_secs` to finish. The
    /// metrics stay readable until then.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let metrics = self.metrics.map(|(_, server)| {
            let handle = server.handle();
            (handle, tokio::spawn(server))
        });
        let served = self.server.await;
        if let Some((handle, running)) = metrics {
            handle.stop(true).await;
            let _ = running.await;
        }
        if let Some(follower) = self.follower {
            follower.abort();
        }
        served
    }
}

/// Every answer counted by the route pattern the router matched (never
/// the path, which may carry a private token) and its status, with the
/// time to its head.
async fn count_requests(
    request: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let started = std::time::Instant::now();
    let method = request.method().clone();
    let answered = next.call(request).await;
    let (route, status) = match &answered {
        Ok(response) => (response.request().match_pattern(), response.status()),
        Err(error) => (None, error.as_response_error().status_code()),
    };
    crate::metrics::request_answered(&method, route, status, started.elapsed());
    answered
}

/// No script runs on our pages (none is needed: every task works without
/// JavaScript), nothing frames them, and forms only post to us. A handler
/// may set a stricter value (the private page sends no referrer at all).
fn security_headers() -> DefaultHeaders {
    DefaultHeaders::new()
        .add((
            "Content-Security-Policy",
            "default-src 'none'; script-src 'none'; style-src 'self' 'unsafe-inline'; \
             img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
        ))
        .add(("X-Content-Type-Options", "nosniff"))
        .add(("Referrer-Policy", "same-origin"))
        .add(("X-Frame-Options", "DENY"))
}

/// What was answered to a signed-in organiser (API JSON, exports, back
/// office pages) holds personal data or what only organisers may read: no
/// cache, shared or the browser's own, may keep it. Decided by who asked
/// (the extractor marks the request), not by the path.
async fn never_store_organisers_answers(
    request: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let mut response = next.call(request).await?;
    if response.request().extensions().contains::<auth::SignedIn>() {
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    Ok(response)
}

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/healthz", web::get().to(health::healthz))
        .configure(api::routes)
        .configure(admin::routes)
        .configure(pages::routes);
}
