//! The one opening of every organiser request about one event: who asks,
//! the event the matched route's `{slug}` names, the role the asker holds
//! on it, and the connection the rest of the request goes on with.
//!
//! An event the asker may not see answers 404, as an event that does not
//! exist (so a slug's existence is not told to outsiders); an action the
//! role lacks answers 403; a write through a read-only token answers 403
//! whatever the event. Pages ([`crate::web::admin`]), the API and its
//! exports all come through [`open_event`].

use std::marker::PhantomData;

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest, web};
use diesel_async::AsyncPgConnection;
use futures_util::future::LocalBoxFuture;

use super::AppError;
use super::auth::{Authenticated, authenticate};
use crate::db::PooledConnection;
use crate::db::events::{self, Event};
use crate::domain::{Action, Role};

/// The event a request is about and the role it holds there, or the
/// refusal (404 unseen, 403 too small a role or a read-only write).
pub async fn open_event(
    auth: &Authenticated,
    conn: &mut AsyncPgConnection,
    slug: &str,
    action: Action,
) -> Result<(Event, Role), AppError> {
    if auth.scope.read_only && action.writes() {
        return Err(AppError::Forbidden);
    }
    // No slug holds U+0000, which PostgreSQL's text cannot even compare.
    if slug.contains('\0') {
        return Err(AppError::NotFound("event"));
    }
    let (event, granted) = events::find_by_slug_for(conn, slug, auth.organiser.id)
        .await?
        .ok_or(AppError::NotFound("event"))?;
    let role = auth
        .role_on(event.id, granted)
        .ok_or(AppError::NotFound("event"))?;
    if role.allows(action) {
        Ok((event, role))
    } else {
        Err(AppError::Forbidden)
    }
}

#[derive(serde::Deserialize)]
struct SlugInPath {
    slug: String,
}

/// The `{slug}` of the matched route, decoded as the `Path` extractor
/// decodes it (however the client spelled the path).
pub fn route_slug(request: &HttpRequest) -> Result<String, AppError> {
    web::Path::<SlugInPath>::extract(request)
        .into_inner()
        .map(|path| path.into_inner().slug)
        .map_err(|_| AppError::NotFound("event"))
}

/// What a handler needs to do on its event, as a type.
pub trait Needs {
    const ACTION: Action;
}

/// Marker types naming an [`Action`] for [`OnEvent`].
pub mod needs {
    use super::{Action, Needs};

    /// [`Action::ReadAttendees`]
    pub struct Attendees;
    /// [`Action::Read`]
    pub struct Reading;
    /// [`Action::Export`]
    pub struct Exports;
    /// [`Action::Change`]
    pub struct Changes;

    impl Needs for Attendees {
        const ACTION: Action = Action::ReadAttendees;
    }
    impl Needs for Reading {
        const ACTION: Action = Action::Read;
    }
    impl Needs for Exports {
        const ACTION: Action = Action::Export;
    }
    impl Needs for Changes {
        const ACTION: Action = Action::Change;
    }
}

/// An organiser API request about one event, allowed to do `A` there.
pub struct OnEvent<A> {
    pub auth: Authenticated,
    pub role: Role,
    pub event: Event,
    pub conn: PooledConnection,
    need: PhantomData<A>,
}

impl<A: Needs + 'static> FromRequest for OnEvent<A> {
    type Error = AppError;
    type Future = LocalBoxFuture<'static, Result<Self, AppError>>;

    fn from_request(request: &HttpRequest, _: &mut Payload) -> Self::Future {
        let request = request.clone();
        Box::pin(async move {
            let (auth, mut conn) = authenticate(&request).await?;
            let slug = route_slug(&request)?;
            let (event, role) = open_event(&auth, &mut conn, &slug, A::ACTION).await?;
            Ok(OnEvent {
                auth,
                role,
                event,
                conn,
                need: PhantomData,
            })
        })
    }
}
