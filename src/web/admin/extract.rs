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
use crate::domain::{Action, Language, Role, secret};
use crate::i18n::Tr;
use crate::web::access::{open_event, route_slug};
use crate::web::auth::{Authenticated, authenticate};
use crate::web::form::Form;
use crate::web::organiser_input::ListQuery;
use crate::web::pages::Visitor;
use crate::web::pages::csrf;
use crate::web::{AppError, AppState};

/// A signed-in organiser on a back-office page, in the language the page
/// is shown in. Without a live session cookie the request is refused with
/// `Unauthorized`, which [`error_pages`] turns into the login form; an API
/// token does not open the back office (its forms need a session's token).
pub struct Admin {
    pub organiser: Organiser,
    /// On an event's pages, the role held on that event; elsewhere the
    /// platform admin's, or none.
    role: Option<Role>,
    csrf_token: String,
    visitor: Visitor,
    state: web::Data<AppState>,
    pub tr: Tr,
}

impl FromRequest for Admin {
    type Error = AppError;
    type Future = LocalBoxFuture<'static, Result<Admin, AppError>>;

    fn from_request(request: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let signing_in = Admin::sign_in(request, payload);
        Box::pin(async move { signing_in.await.map(|(admin, _)| admin) })
    }
}

impl Admin {
    /// The organiser of the request's session, and the connection that
    /// found it, for the event's opening to go on with.
    fn sign_in(
        request: &HttpRequest,
        payload: &mut Payload,
    ) -> LocalBoxFuture<'static, Result<(Admin, PooledConnection), AppError>> {
        let visitor = Visitor::from_request(request, payload).into_inner();
        let request = request.clone();
        Box::pin(async move {
            let (auth, conn) = authenticate(&request).await?;
            let Authenticated {
                organiser,
                csrf_token,
                ..
            } = auth;
            let csrf_token = csrf_token.ok_or(AppError::Unauthorized)?;
            let visitor =
                visitor.map_err(|error| AppError::Internal(anyhow::anyhow!("{error}")))?;
            let state = request
                .app_data::<web::Data<AppState>>()
                .cloned()
                .ok_or_else(|| AppError::Internal(anyhow::anyhow!("no application state")))?;
            let admin = Admin {
                tr: Tr::new(visitor.language(&[])),
                role: (organiser.role == "admin").then_some(Role::Admin),
                organiser,
                csrf_token,
                visitor,
                state,
            };
            Ok((admin, conn))
        })
    }

    /// The event the route's `{slug}` names, if the organiser may do
    /// `action` there (404 unseen, 403 too small a role); the pages
    /// after this answer in the role held on it.
    async fn open(
        &mut self,
        request: &HttpRequest,
        conn: &mut PooledConnection,
        action: Action,
    ) -> Result<Event, AppError> {
        let auth = Authenticated {
            organiser: self.organiser.clone(),
            scope: Default::default(),
            csrf_token: None,
        };
        let (event, role) = open_event(&auth, conn, &route_slug(request)?, action).await?;
        self.role = Some(role);
        Ok(event)
    }

    pub fn language(&self) -> Language {
        self.tr.language()
    }

    /// Whether the role held here allows `action`.
    pub fn may(&self, action: Action) -> bool {
        self.role.is_some_and(|role| role.allows(action))
    }

    /// Viewers read and export; changes need an organiser of the event.
    pub fn can_change(&self) -> bool {
        self.may(Action::Change)
    }

    /// The platform admin: every event, and creating events.
    pub fn is_platform_admin(&self) -> bool {
        self.organiser.role == "admin"
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

    /// Reads a form that changes something outside any one event (a new
    /// event): signed, and sent by the platform admin.
    pub async fn admin_form(
        &self,
        request: &HttpRequest,
        payload: web::Payload,
    ) -> Result<Form, AppError> {
        let form = self.signed_form(request, payload).await?;
        if self.is_platform_admin() {
            Ok(form)
        } else {
            Err(AppError::Forbidden)
        }
    }

    /// What the last action did, as the `?done=` of its redirect says.
    pub fn notice(&self) -> Option<String> {
        let done = self.visitor.query("done")?;
        if done == "approved_many" {
            // Counts only: nothing the address says is shown as words.
            let count = |name: &str| {
                self.visitor
                    .query(name)
                    .and_then(|typed| typed.parse::<u32>().ok())
                    .unwrap_or(0)
            };
            return Some(self.tr.t2(
                "admin-done-approved-many",
                "accepted",
                count("accepted"),
                "refused",
                count("refused"),
            ));
        }
        let id = match done {
            "saved" => "admin-done-saved",
            "deleted" => "admin-done-deleted",
            "imported" => "admin-done-imported",
            "cancelled" => "admin-done-cancelled",
            "promoted" => "admin-done-promoted",
            "approved" => "admin-done-approved",
            "category" => "admin-done-category",
            "rejected" => "admin-done-rejected",
            "sessions" => "admin-done-sessions",
            "answers" => "admin-done-answers",
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
                .filter(|section| self.may(section.action()))
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
/// and a connection; the organiser must be allowed to read the event's
/// set-up there (a viewer).
pub struct EventPage(pub Admin, pub Event, pub PooledConnection);

/// One event's page about its attendees, which the check-in role reads
/// too (the dashboard, the list, a registration).
pub struct AttendeesPage(pub Admin, pub Event, pub PooledConnection);

/// A form that changes one event's things, signed with the session's CSRF
/// token and sent by an organiser of that event (403 otherwise): the
/// organiser, the form, the event the path's `{slug}` names, and a
/// connection.
pub struct EventChange(pub Admin, pub Form, pub Event, pub PooledConnection);

/// The path of a page about one row, by its id.
#[derive(serde::Deserialize)]
pub struct IdPath {
    pub id: uuid::Uuid,
}

/// The query of a list, read after the session is known, so that an
/// anonymous visitor is sent to the login form whatever the address holds.
pub(super) fn list_query(request: &HttpRequest) -> Result<ListQuery, AppError> {
    ListQuery::read(request.query_string())
}

/// The opening of an event's page that only reads.
fn open_page(
    request: &HttpRequest,
    payload: &mut Payload,
    action: Action,
) -> LocalBoxFuture<'static, Result<(Admin, Event, PooledConnection), AppError>> {
    let signing_in = Admin::sign_in(request, payload);
    let request = request.clone();
    Box::pin(async move {
        let (mut admin, mut conn) = signing_in.await?;
        let event = admin.open(&request, &mut conn, action).await?;
        Ok((admin, event, conn))
    })
}

/// A page's extractor: the signed-in organiser, allowed `$action` on the
/// event of the route.
macro_rules! event_page {
    ($page:ident, $action:expr) => {
        impl FromRequest for $page {
            type Error = AppError;
            type Future = LocalBoxFuture<'static, Result<$page, AppError>>;

            fn from_request(request: &HttpRequest, payload: &mut Payload) -> Self::Future {
                let opening = open_page(request, payload, $action);
                Box::pin(async move {
                    let (admin, event, conn) = opening.await?;
                    Ok($page(admin, event, conn))
                })
            }
        }
    };
}

event_page!(EventPage, Action::Read);
event_page!(AttendeesPage, Action::ReadAttendees);

impl FromRequest for EventChange {
    type Error = AppError;
    type Future = LocalBoxFuture<'static, Result<EventChange, AppError>>;

    fn from_request(request: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let signing_in = Admin::sign_in(request, payload);
        let body = web::Payload::from_request(request, payload).into_inner();
        let request = request.clone();
        Box::pin(async move {
            let (mut admin, mut conn) = signing_in.await?;
            let body = body.map_err(|error| AppError::Internal(anyhow::anyhow!("{error}")))?;
            let form = admin.signed_form(&request, body).await?;
            let event = admin.open(&request, &mut conn, Action::Change).await?;
            Ok(EventChange(admin, form, event, conn))
        })
    }
}
