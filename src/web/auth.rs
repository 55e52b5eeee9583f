//! Who is asking: an organiser identified by an API token
//! (`Authorization: Bearer …`) or by a back-office session cookie, and what
//! their role lets them do.

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpMessage, HttpRequest, web};
use futures_util::future::LocalBoxFuture;

use super::{AppError, AppState};
use crate::db::organisers::{self, Organiser};
use crate::domain::secret;

pub const SESSION_COOKIE: &str = "rencontre_session";

/// Scope data of the JSON API. The router has decoded and matched the path
/// when a handler's extractors run, so this says "an API route" however
/// the path was spelled (`/%61pi/v1/…` matches the API too).
#[derive(Debug, Clone, Copy)]
pub struct ApiRoute;

/// Left in the request's extensions once an organiser is authenticated:
/// only their changes drop the event copies (`event_cache`).
#[derive(Debug, Clone, Copy)]
pub struct OrganiserRequest;

/// What a role may do; each role can do everything the one before can.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Role {
    /// Read and export.
    Viewer,
    /// Manage events, sessions, quotas and registrations.
    Organiser,
    /// Everything, including accounts.
    Admin,
}

impl Role {
    pub fn parse(role: &str) -> Option<Role> {
        match role {
            "viewer" => Some(Role::Viewer),
            "organiser" => Some(Role::Organiser),
            "admin" => Some(Role::Admin),
            _ => None,
        }
    }
}

/// An authenticated organiser. As a handler argument it refuses anonymous
/// requests with 401; `require` refuses a too-small role with 403.
pub struct Authenticated {
    pub organiser: Organiser,
    pub role: Role,
    /// The session's CSRF token when authenticated by cookie (forms).
    pub csrf_token: Option<String>,
}

impl Authenticated {
    pub fn require(&self, needed: Role) -> Result<(), AppError> {
        if self.role >= needed {
            Ok(())
        } else {
            Err(AppError::Forbidden)
        }
    }
}

impl FromRequest for Authenticated {
    type Error = AppError;
    type Future = LocalBoxFuture<'static, Result<Self, Self::Error>>;

    fn from_request(request: &HttpRequest, _: &mut Payload) -> Self::Future {
        let state = request.app_data::<web::Data<AppState>>().cloned();
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
            .cookie(SESSION_COOKIE)
            .filter(|_| reads || !api)
            .map(|cookie| cookie.value().to_owned());
        let request = request.clone();
        Box::pin(async move {
            let state = state.ok_or(AppError::Unauthorized)?;
            let mut conn = state.pool.get().await?;
            let (organiser, csrf_token) = if let Some(token) = bearer {
                let organiser =
                    organisers::find_by_api_token(&mut conn, &secret::sha256(&token)).await?;
                (organiser.ok_or(AppError::Unauthorized)?, None)
            } else if let Some(session) = session {
                let found =
                    organisers::find_by_session(&mut conn, &secret::sha256(&session)).await?;
                let (organiser, csrf) = found.ok_or(AppError::Unauthorized)?;
                (organiser, Some(csrf))
            } else {
                return Err(AppError::Unauthorized);
            };
            let role = Role::parse(&organiser.role).ok_or(AppError::Forbidden)?;
            request.extensions_mut().insert(OrganiserRequest);
            Ok(Authenticated {
                organiser,
                role,
                csrf_token,
            })
        })
    }
}
