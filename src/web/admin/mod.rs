//! The organiser back office under `/admin`: askama pages in the four
//! languages, behind a login, usable without JavaScript.
//!
//! Every page takes an [`Admin`] (or an [`EventPage`] or [`EventChange`]
//! built on one): the organiser of a live session cookie, or a redirect to
//! the login form. Every form that changes something carries the
//! session's CSRF token and needs the organiser role; handlers answer
//! `AppError`s, which [`error_pages`] turns into pages in the organiser's
//! language. The work itself is done by the use cases of
//! `registration::admin`, as the API's is.

mod countries;
mod email_texts;
mod emails;
mod events;
mod form;
mod login;
mod registrations;
mod sessions;

use std::collections::BTreeMap;

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::middleware::{Next, from_fn};
use actix_web::{FromRequest, HttpRequest, HttpResponse, ResponseError, web};
use askama::Template;
use chrono_tz::Tz;
use futures_util::future::LocalBoxFuture;

use self::form::Form;
use super::pages::csrf;
use super::pages::{Layout, Visitor};
use crate::db::PooledConnection;
use crate::db::events::Event;
use crate::db::organisers::Organiser;
use crate::domain::{CountryCode, FieldErrors, Language, secret};
use crate::i18n::Tr;
use crate::web::auth::{Authenticated, Role};
use crate::web::json_fields::Refusal;
use crate::web::organiser_input::{ListQuery, event_by_slug};
use crate::web::{AppError, AppState};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::scope("/admin")
            .wrap(from_fn(error_pages))
            .wrap(from_fn(super::event_cache::forget_after_changes))
            .route("", web::get().to(events::list))
            .route("/admin.css", web::get().to(stylesheet))
            .route("/login", web::get().to(login::show))
            .route("/login", web::post().to(login::submit))
            .route("/logout", web::post().to(login::logout))
            .route("/events/new", web::get().to(events::new))
            .route("/events", web::post().to(events::create))
            .route("/events/{slug}", web::get().to(events::dashboard))
            .route("/events/{slug}/edit", web::get().to(events::edit))
            .route("/events/{slug}/edit", web::post().to(events::update))
            .route("/events/{slug}/sessions", web::get().to(sessions::list))
            .route("/events/{slug}/sessions", web::post().to(sessions::create))
            .route(
                "/events/{slug}/sessions/{code}",
                web::get().to(sessions::edit),
            )
            .route(
                "/events/{slug}/sessions/{code}",
                web::post().to(sessions::update),
            )
            .route(
                "/events/{slug}/sessions/{code}/delete",
                web::post().to(sessions::delete),
            )
            .route("/events/{slug}/countries", web::get().to(countries::list))
            .route(
                "/events/{slug}/countries",
                web::post().to(countries::set_one),
            )
            .route(
                "/events/{slug}/countries/import",
                web::post().to(countries::import),
            )
            .route(
                "/events/{slug}/registrations",
                web::get().to(registrations::list),
            )
            .route(
                "/events/{slug}/registrations/{id}",
                web::get().to(registrations::show),
            )
            .route(
                "/events/{slug}/registrations/{id}/{action}",
                web::post().to(registrations::act),
            )
            .route("/events/{slug}/emails", web::get().to(emails::list))
            .route(
                "/events/{slug}/emails/{id}/retry",
                web::post().to(emails::retry),
            )
            .route(
                "/events/{slug}/email-texts",
                web::get().to(email_texts::list),
            )
            .route(
                "/events/{slug}/email-texts/{kind}/{language}",
                web::get().to(email_texts::edit),
            )
            .route(
                "/events/{slug}/email-texts/{kind}/{language}",
                web::post().to(email_texts::save),
            )
            .route(
                "/events/{slug}/email-texts/{kind}/{language}/reset",
                web::post().to(email_texts::reset),
            ),
    );
}

const STYLESHEET: &str = include_str!("../../../templates/admin/admin.css");

/// The back office's additions to the public stylesheet: wider tables and
/// the navigation. Public like the login form that uses it.
async fn stylesheet() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/css; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "public, max-age=3600"))
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .body(STYLESHEET)
}

/// Turns a handler's or an extractor's `AppError` into a page in the
/// organiser's language (the API answers JSON for the same errors); an
/// anonymous visitor is sent to the login form instead.
async fn error_pages(
    request: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, actix_web::Error> {
    let response = next.call(request).await?;
    let page = match response
        .response()
        .error()
        .and_then(|error| error.as_error::<AppError>())
    {
        Some(failure) => error_page(response.request(), failure),
        None => return Ok(response.map_into_left_body()),
    };
    Ok(response.into_response(page).map_into_right_body())
}

#[derive(Template)]
#[template(path = "admin/error.html")]
struct ErrorPage {
    tr: Tr,
    frame: Frame,
    text: String,
}

fn error_page(request: &HttpRequest, failure: &AppError) -> HttpResponse {
    let status = failure.status_code();
    let text_id = match failure {
        AppError::Unauthorized => {
            return HttpResponse::SeeOther()
                .insert_header((header::LOCATION, "/admin/login"))
                .insert_header((header::CACHE_CONTROL, "no-store"))
                .finish();
        }
        AppError::Forbidden => "admin-error-forbidden",
        AppError::NotFound(_) => "admin-error-not-found",
        AppError::Validation(_) | AppError::Duplicate(_) | AppError::UnsupportedMediaType => {
            "admin-error-invalid"
        }
        AppError::Cancelled => "admin-error-cancelled",
        AppError::PayloadTooLarge => "error-too-large",
        AppError::RateLimited { .. } | AppError::Unavailable(_) => "error-busy",
        AppError::RegistrationClosed | AppError::Internal(_) => "error-server-text",
    };
    let Ok(visitor) = Visitor::from_request(request, &mut Payload::None).into_inner() else {
        return HttpResponse::build(status).finish();
    };
    let language = visitor.language(&[]);
    let tr = Tr::new(language);
    let page = ErrorPage {
        frame: Frame::new(&visitor, language, tr.t("admin-error-title")),
        text: tr.t(text_id),
        tr,
    };
    let rendered = visitor
        .reply(language)
        .status(status)
        .private()
        .render(&page);
    match rendered {
        Ok(mut response) => {
            if let Some(seconds) = failure.retry_after_secs() {
                response
                    .headers_mut()
                    .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
            }
            response
        }
        // Only a template bug gets here; the organiser still gets an answer.
        Err(_) => HttpResponse::build(status).body(tr.t(text_id)),
    }
}

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
fn list_query(request: &HttpRequest) -> Result<ListQuery, AppError> {
    web::Query::<ListQuery>::from_query(request.query_string())
        .map(web::Query::into_inner)
        .map_err(|error| AppError::field("query", error.to_string()))
}

/// The event a request's path names, and a connection to look further.
async fn event_of(
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

/// What `admin/base.html` shows around every page.
pub struct Frame {
    pub layout: Layout,
    pub session: Option<SessionBar>,
    pub event: Option<EventTabs>,
}

impl Frame {
    fn new(visitor: &Visitor, language: Language, title: String) -> Frame {
        Frame {
            layout: visitor.layout(language, title, &[]),
            session: None,
            event: None,
        }
    }
}

/// Who is signed in, and the token of their logout form.
pub struct SessionBar {
    pub name: String,
    pub csrf_token: String,
}

pub struct EventTabs {
    pub name: String,
    pub tabs: Vec<Tab>,
}

pub struct Tab {
    pub label: String,
    pub href: String,
    pub current: bool,
}

/// The pages of one event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Dashboard,
    Registrations,
    Sessions,
    Countries,
    Emails,
    EmailTexts,
    Settings,
}

impl Section {
    const ALL: [Section; 7] = [
        Section::Dashboard,
        Section::Registrations,
        Section::Sessions,
        Section::Countries,
        Section::Emails,
        Section::EmailTexts,
        Section::Settings,
    ];

    /// The pages of the event's set-up, which viewers do not see.
    fn changes_only(self) -> bool {
        matches!(self, Section::EmailTexts | Section::Settings)
    }

    fn message_id(self) -> &'static str {
        match self {
            Section::Dashboard => "admin-tab-dashboard",
            Section::Registrations => "admin-tab-registrations",
            Section::Sessions => "admin-tab-sessions",
            Section::Countries => "admin-tab-countries",
            Section::Emails => "admin-tab-emails",
            Section::EmailTexts => "admin-tab-email-texts",
            Section::Settings => "admin-tab-settings",
        }
    }

    fn href(self, slug: &str) -> String {
        let page = match self {
            Section::Dashboard => "",
            Section::Registrations => "/registrations",
            Section::Sessions => "/sessions",
            Section::Countries => "/countries",
            Section::Emails => "/emails",
            Section::EmailTexts => "/email-texts",
            Section::Settings => "/edit",
        };
        format!("/admin/events/{slug}{page}")
    }
}

/// An input of a form, with its label, hint and problem.
pub struct Field {
    pub name: String,
    pub label: String,
    /// The input's `type`, or `textarea`.
    pub kind: &'static str,
    pub value: String,
    pub hint: Option<String>,
    pub error: Option<String>,
    /// The language the text is typed in, for a text of one language.
    pub lang: Option<&'static str>,
}

/// The inputs of one language's own texts on a form, under the
/// language's name in that language.
pub struct Translation {
    pub code: &'static str,
    pub name: &'static str,
    pub fields: Vec<Field>,
}

/// What is wrong with a submitted form, field by field, in words.
#[derive(Debug, Default)]
pub struct Problems(BTreeMap<String, String>);

impl Problems {
    /// The problems a use case found, in the page's language.
    pub fn of(language: Language, errors: &FieldErrors) -> Problems {
        Problems(
            errors
                .iter()
                .map(|(field, error)| (field.to_owned(), crate::web::message(language, error)))
                .collect(),
        )
    }

    /// The problems the shared set-up parser found, by field. Its English
    /// words are for API clients; an organiser reads the problem's own
    /// message where it has one, else what the field expects as `messages`
    /// says (`names.fr` is looked up as `names`).
    pub fn of_refusal(tr: &Tr, refusal: &Refusal, messages: &[(&str, &str)]) -> Problems {
        let expected = |field: &str| {
            let group = field.split('.').next().unwrap_or(field);
            messages
                .iter()
                .find_map(|(name, id)| (*name == field || *name == group).then_some(*id))
                .unwrap_or("admin-error-invalid")
        };
        Problems(
            refusal
                .fields
                .keys()
                .map(|field| {
                    let message = match refusal.worded.get(field) {
                        Some(error) => crate::web::message(tr.language(), error),
                        None => tr.t(expected(field)),
                    };
                    (field.clone(), message)
                })
                .collect(),
        )
    }

    pub fn single(field: &str, message: String) -> Problems {
        Problems(BTreeMap::from([(field.to_owned(), message)]))
    }

    pub fn get(&self, field: &str) -> Option<String> {
        self.0.get(field).cloned()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn messages(&self) -> Vec<&str> {
        self.0.values().map(String::as_str).collect()
    }

    pub fn into_messages(self) -> Vec<String> {
        self.0.into_values().collect()
    }
}

/// The event's time zone; UTC only for a row written by hand, and every
/// time shown names its zone.
fn zone(event: &Event) -> Tz {
    event.timezone.parse().unwrap_or(chrono_tz::UTC)
}

/// A stored country code's name, or the code itself if it is not one we know.
fn country_name(code: &str, language: Language) -> String {
    CountryCode::parse(code).map_or_else(
        |_| code.trim().to_owned(),
        |country| country.name(language).to_owned(),
    )
}

/// A capacity in words: the number, or "no limit".
fn capacity_text(tr: &Tr, capacity: Option<i32>) -> String {
    capacity.map_or_else(|| tr.t("event-unlimited"), |capacity| capacity.to_string())
}

/// A bar of places: how many of `capacity` are confirmed, and how many wait.
pub struct Bar {
    pub id: String,
    pub label: String,
    pub capacity: String,
    pub confirmed: i64,
    pub waiting: i64,
    pub remaining: String,
    /// The `<meter>`'s maximum; none when there is no limit to draw against.
    pub meter_max: Option<i64>,
}

impl Bar {
    pub fn new(
        tr: &Tr,
        id: String,
        label: String,
        capacity: Option<i32>,
        confirmed: i32,
        waiting: i64,
    ) -> Bar {
        Bar {
            id,
            label,
            capacity: capacity_text(tr, capacity),
            confirmed: confirmed.into(),
            waiting,
            remaining: capacity.map_or_else(
                || tr.t("event-unlimited"),
                |capacity| (capacity - confirmed).max(0).to_string(),
            ),
            meter_max: capacity.map(|capacity| i64::from(capacity.max(1))),
        }
    }
}

/// Where a paged list stands, with links to the pages before and after.
pub struct Pager {
    pub text: String,
    pub previous: Option<String>,
    pub next: Option<String>,
}

impl Pager {
    pub fn new(
        tr: &Tr,
        page: i64,
        per_page: i64,
        total: i64,
        link: impl Fn(i64) -> String,
    ) -> Pager {
        let pages = ((total + per_page - 1) / per_page).max(1);
        Pager {
            text: tr.t2("admin-page-of", "page", page, "pages", pages),
            previous: (page > 1).then(|| link(page - 1)),
            next: (page < pages).then(|| link(page + 1)),
        }
    }
}

/// The message naming an outbox email's kind.
fn email_kind(kind: &str) -> &'static str {
    match kind {
        "confirmation" => "admin-email-confirmation",
        "waitlisted" => "admin-email-waitlisted",
        "promoted" => "admin-email-promoted",
        "sessions_changed" => "admin-email-sessions-changed",
        "cancelled" => "admin-email-cancelled",
        _ => "admin-email-resend",
    }
}

/// The message naming where an outbox email stands.
fn email_status(status: &str) -> &'static str {
    match status {
        "pending" => "admin-email-pending",
        "sent" => "admin-email-sent",
        _ => "admin-email-failed",
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use crate::i18n::{ADMIN_MESSAGE_IDS, MESSAGE_IDS};

    /// Every `"admin-…"` id the back office's code and templates ask for is
    /// written in the Fluent files (whose tests hold them to the id lists).
    #[test]
    fn every_message_the_back_office_asks_for_exists() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut sources = Vec::new();
        for dir in ["src/web/admin", "templates/admin"] {
            for entry in std::fs::read_dir(root.join(dir)).expect("readable") {
                let path = entry.expect("entry").path();
                sources.push(std::fs::read_to_string(&path).expect("text"));
            }
        }
        let known: BTreeSet<&str> = MESSAGE_IDS
            .iter()
            .chain(ADMIN_MESSAGE_IDS)
            .copied()
            .collect();
        let mut asked = BTreeSet::new();
        for source in &sources {
            for (start, _) in source.match_indices("\"admin-") {
                let id: String = source[start + 1..]
                    .chars()
                    .take_while(|c| c.is_ascii_lowercase() || *c == '-')
                    .collect();
                if source[start + 1 + id.len()..].starts_with('"') && !id.ends_with('-') {
                    asked.insert(id);
                }
            }
        }
        assert!(asked.len() > 50, "the sources were read: {asked:?}");
        let missing: Vec<_> = asked
            .iter()
            .filter(|id| !known.contains(id.as_str()))
            .collect();
        assert!(missing.is_empty(), "no message for {missing:?}");
    }
}
