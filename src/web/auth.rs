//! Who is asking: an organiser identified by an API token
//! (`Authorization: Bearer …`) or by a back-office session cookie, and the
//! role that gives them on an event.

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpMessage, HttpRequest, web};
use futures_util::future::LocalBoxFuture;

use uuid::Uuid;

use super::{AppError, AppState};
use crate::db::PooledConnection;
use crate::db::organisers::{self, Organiser, TokenScope};
use crate::domain::{EventRole, Role, secret};

const SESSION_COOKIE: &str = "rencontre_session";

/// The session cookie's name: `__Host-` under HTTPS, as for the CSRF
/// cookie (see `pages::csrf::cookie_name`).
pub fn session_cookie_name(https: bool) -> &'static str {
    if https {
        "__Host-rencontre_session"
    } else {
        SESSION_COOKIE
    }
}

/// Put on a request answered for a signed-in organiser: its answer holds
/// what only organisers may read, and is never stored by a cache.
#[derive(Debug, Clone, Copy)]
pub struct SignedIn;

/// Scope data of the JSON API. The router has decoded and matched the path
/// when a handler's extractors run, so this says "an API route" however
/// the path was spelled (`/%61pi/v1/…` matches the API too).
#[derive(Debug, Clone, Copy)]
pub struct ApiRoute;

/// Left in the request's extensions once an organiser is authenticated:
/// only their changes drop the event copies (`event_cache`).
#[derive(Debug, Clone, Copy)]
pub struct OrganiserRequest;

/// An authenticated organiser. As a handler argument it refuses anonymous
/// requests with 401; what it may do on an event is asked of
/// [`super::access`].
pub struct Authenticated {
    pub organiser: Organiser,
    /// What the API token opens (a session's scope is the account's).
    pub scope: TokenScope,
    /// The session's CSRF token when authenticated by cookie (forms).
    pub csrf_token: Option<String>,
}

impl Authenticated {
    /// The platform admin, made with `organiser add --role admin`.
    pub fn is_admin(&self) -> bool {
        self.organiser.role == "admin"
    }

    /// Creating events (and accounts) is the platform admin's, through a
    /// token that is neither narrowed to one event nor read-only.
    pub fn require_admin(&self) -> Result<(), AppError> {
        if self.is_admin() && self.scope == TokenScope::default() {
            Ok(())
        } else {
            Err(AppError::Forbidden)
        }
    }

    /// The role this request holds on an event, given the role the account
    /// was granted there; `None` when it may not see the event at all.
    pub fn role_on(&self, event_id: Uuid, granted: Option<EventRole>) -> Option<Role> {
        if self.scope.event_id.is_some_and(|only| only != event_id) {
            return None;
        }
        if self.is_admin() {
            Some(Role::Admin)
        } else {
            granted.map(Role::Event)
        }
    }
}

/// Who is asking, on a connection the caller goes on using: a live API
/// token, else (for pages, and API reads) a live session cookie.
pub async fn authenticate(
    request: &HttpRequest,
) -> Result<(Authenticated, PooledConnection), AppError> {
    let state = request
        .app_data::<web::Data<AppState>>()
        .ok_or(AppError::Unauthorized)?;
    let bearer = request
        .headers()
        .get("Authorization")
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "))
        .map(|token| token.trim().to_owned());
    // The back office's cookie opens the API for reading (its export
    // links); a change through the API needs a token, since API calls
    // carry no CSRF token. Decided on the matched route, not the raw
    // path, which a client may spell as it likes.
    let reads = matches!(
        *request.method(),
        actix_web::http::Method::GET | actix_web::http::Method::HEAD
    );
    let api = request.app_data::<ApiRoute>().is_some();
    let session = request
        .cookie(session_cookie_name(super::client::is_https(request)))
        .filter(|_| reads || !api)
        .map(|cookie| cookie.value().to_owned());
    let mut conn = state.pool.get().await?;
    let (organiser, scope, csrf_token) = if let Some(token) = bearer {
        let found = organisers::find_by_api_token(&mut conn, &secret::sha256(&token)).await?;
        let (organiser, scope) = found.ok_or(AppError::Unauthorized)?;
        (organiser, scope, None)
    } else if let Some(session) = session {
        let idle = chrono::Duration::minutes(i64::from(state.settings.http.session_idle_minutes));
        let found = organisers::find_by_session(&mut conn, &secret::sha256(&session), idle).await?;
        let (organiser, csrf) = found.ok_or(AppError::Unauthorized)?;
        (organiser, TokenScope::default(), Some(csrf))
    } else {
        return Err(AppError::Unauthorized);
    };
    request.extensions_mut().insert(OrganiserRequest);
    request.extensions_mut().insert(SignedIn);
    Ok((
        Authenticated {
            organiser,
            scope,
            csrf_token,
        },
        conn,
    ))
}

impl FromRequest for Authenticated {
    type Error = AppError;
    type Future = LocalBoxFuture<'static, Result<Self, Self::Error>>;

    fn from_request(request: &HttpRequest, _: &mut Payload) -> Self::Future {
        let request = request.clone();
        Box::pin(async move { authenticate(&request).await.map(|(auth, _)| auth) })
    }
}
