//! What every back-office handler takes: the signed-in organiser, and the
//! event a path names with a connection, or a signed form that changes it.

use actix_web::dev::Payload;
use actix_web::http::StatusCode;
use actix_web::{FromRequest, HttpRequest, HttpResponse, web};
use askama::Template;
use futures_util::future::LocalBoxFuture;

use super::layout::{EventTabs, Frame, Section, SessionBar, Tab};
use crate::db::PooledConnection;
use crate::db::events::Event;
use crate::db::organisers::Organiser;
use crate::domain::{Language, secret};
use crate::i18n::Tr;
use crate::web::auth::{Authenticated, Role};
use crate::web::form::Form;
use crate::web::organiser_input::{ListQuery, event_by_slug};
use crate::web::pages::Visitor;
use crate::web::pages::csrf;
use crate::web::{AppError, AppState};

/// A signed-in organiser on a back-office page, in the language the page
/// is shown in. Without a live session cookie the request is refused with
/// `Unauthorized`, which [`error_pages`] turns into the login form; an API
/// token does not open the back office (its forms need a session's token).
pub struct Admin {
    pub organiser: Organiser,
    role: Role,
    csrf_token: String,
    visitor: Visitor,
    state: web::Data<AppState>,
    pub tr: Tr,
}

impl FromRequest for Admin {
    type Error = AppError;
    type Future = LocalBoxFuture<'static, Result<Admin, AppError>>;

    fn from_request(request: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let authenticated = Authenticated::from_request(request, payload);
        let visitor = Visitor::from_request(request, payload).into_inner();
        let state = request.app_data::<web::Data<AppState>>().cloned();
        Box::pin(async move {
            let auth = authenticated.await?;
            let csrf_token = auth.csrf_token.ok_or(AppError::Unauthorized)?;
            let visitor =
                visitor.map_err(|error| AppError::Internal(anyhow::anyhow!("{error}")))?;
            let state =
                state.ok_or_else(|| AppError::Internal(anyhow::anyhow!("no application state")))?;
            Ok(Admin {
                tr: Tr::new(visitor.language(&[])),
                organiser: auth.organiser,
                role: auth.role,
                csrf_token,
                visitor,
                state,
            })
        })
    }
}

impl Admin {
    pub fn language(&self) -> Language {
        self.tr.language()
    }

    /// Viewers read and export; changes need an organiser.
    pub fn can_change(&self) -> bool {
        self.role >= Role::Organiser
    }

    pub fn require_organiser(&self) -> Result<(), AppError> {
        if self.can_change() {
            Ok(())
        } else {
            Err(AppError::Forbidden)
        }
    }

    pub async fn conn(&self) -> Result<PooledConnection, AppError> {
        Ok(self.state.pool.get().await?)
    }

    /// Reads a form sent from one of this session's pages: it must carry
    /// the session's CSRF token, or it is refused with 403 before anything
    /// is done with it.
    pub async fn signed_form(
        &self,
        request: &HttpRequest,
        payload: web::Payload,
    ) -> Result<Form, AppError> {
        let form = Form::read(request, payload, self.state.settings.http.max_body_bytes).await?;
        let sent = form.get(csrf::FIELD).unwrap_or_default();
        if secret::constant_time_eq(sent.as_bytes(), self.csrf_token.as_bytes()) {
            Ok(form)
        } else {
            Err(AppError::Forbidden)
        }
    }

    /// Reads a form that changes something: signed, and sent by an organiser.
    pub async fn change_form(
        &self,
        request: &HttpRequest,
        payload: web::Payload,
    ) -> Result<Form, AppError> {
        let form = self.signed_form(request, payload).await?;
        self.require_organiser()?;
        Ok(form)
    }

    /// What the last action did, as the `?done=` of its redirect says.
    pub fn notice(&self) -> Option<String> {
        let id = match self.visitor.query("done")? {
            "saved" => "admin-done-saved",
            "deleted" => "admin-done-deleted",
            "imported" => "admin-done-imported",
            "cancelled" => "admin-done-cancelled",
            "promoted" => "admin-done-promoted",
            "sessions" => "admin-done-sessions",
            "resent" => "admin-done-resent",
            "retried" => "admin-done-retried",
            "reset" => "admin-done-reset",
            _ => return None,
        };
        Some(self.tr.t(id))
    }

    pub fn csrf_token(&self) -> String {
        self.csrf_token.clone()
    }

    /// The frame of a page; on an event's pages, with the event's tabs.
    pub fn frame(&self, title: String, event: Option<(&Event, Section)>) -> Frame {
        let mut frame = Frame::new(&self.visitor, self.language(), title);
        frame.session = Some(SessionBar {
            name: self.organiser.name.clone(),
            csrf_token: self.csrf_token(),
        });
        frame.event = event.map(|(event, current)| EventTabs {
            name: event.name_in(self.language().code()).to_owned(),
            tabs: Section::ALL
                .iter()
                .filter(|section| !section.changes_only() || self.can_change())
                .map(|&section| Tab {
                    label: self.tr.t(section.message_id()),
                    href: section.href(&event.slug),
                    current: section == current,
                })
                .collect(),
        });
        frame
    }

    pub fn render(
        &self,
        status: StatusCode,
        page: &impl Template,
    ) -> Result<HttpResponse, AppError> {
        self.visitor
            .reply(self.language())
            .status(status)
            .private()
            .render(page)
    }

    /// A 303 after a successful POST, so a reload does not send it again.
    pub fn see_other(&self, location: &str) -> HttpResponse {
        self.visitor
            .reply(self.language())
            .private()
            .see_other(location)
    }
}

/// One event's page: the organiser, the event the path's `{slug}` names,
/// and a connection.
pub struct EventPage(pub Admin, pub Event, pub PooledConnection);

/// A form that changes one event's things, signed with the session's CSRF
/// token and sent by an organiser (403 otherwise): the organiser, the
/// form, the event the path's `{slug}` names, and a connection.
pub struct EventChange(pub Admin, pub Form, pub Event, pub PooledConnection);

/// The path of a page about one row, by its id.
#[derive(serde::Deserialize)]
pub struct IdPath {
    pub id: uuid::Uuid,
}

/// The query of a list, read after the session is known, so that an
/// anonymous visitor is sent to the login form whatever the address holds.
pub(super) fn list_query(request: &HttpRequest) -> Result<ListQuery, AppError> {
    web::Query::<ListQuery>::from_query(request.query_string())
        .map(web::Query::into_inner)
        .map_err(|error| AppError::unreadable("query", error))
}

/// The event a request's path names, and a connection to look further.
pub(super) async fn event_of(
    admin: &Admin,
    request: &HttpRequest,
) -> Result<(Event, PooledConnection), AppError> {
    let mut conn = admin.conn().await?;
    let slug = request.match_info().get("slug").unwrap_or_default();
    let event = event_by_slug(&mut conn, slug).await?;
    Ok((event, conn))
}

impl FromRequest for EventPage {
    type Error = AppError;
    type Future = LocalBoxFuture<'static, Result<EventPage, AppError>>;

    fn from_request(request: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let admin = Admin::from_request(request, payload);
        let request = request.clone();
        Box::pin(async move {
            let admin = admin.await?;
            let (event, conn) = event_of(&admin, &request).await?;
            Ok(EventPage(admin, event, conn))
        })
    }
}

impl FromRequest for EventChange {
    type Error = AppError;
    type Future = LocalBoxFuture<'static, Result<EventChange, AppError>>;

    fn from_request(request: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let admin = Admin::from_request(request, payload);
        let body = web::Payload::from_request(request, payload).into_inner();
        let request = request.clone();
        Box::pin(async move {
            let admin = admin.await?;
            let body = body.map_err(|error| AppError::Internal(anyhow::anyhow!("{error}")))?;
            let form = admin.change_form(&request, body).await?;
            let (event, conn) = event_of(&admin, &request).await?;
            Ok(EventChange(admin, form, event, conn))
        })
    }
}
