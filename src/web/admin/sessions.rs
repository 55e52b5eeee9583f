//! An event's sessions: the list with a form to add one, and each session's
//! page to change or delete it. Read by the API's own parser, as events are.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use diesel_async::AsyncPgConnection;
use serde::Deserialize;
use serde_json::{Value, json};

use super::form::{
    inputs, instant, local_input, number, parsed, refusal, stored_texts, texts_by_language,
    translations,
};
use super::{
    Admin, EventChange, EventPage, Field, Frame, Problems, Section, Translation, capacity_text,
    zone,
};
use crate::db::events::{self as events_store, Event, Session};
use crate::domain::SessionKind;
use crate::i18n::{self, Tr};
use crate::registration;
use crate::web::AppError;
use crate::web::form::Form;
use crate::web::organiser_input::SessionSetup;

/// The inputs of the session form, named as the API's JSON body; the title
/// and the description are the texts of the event's first language.
const SESSION_FIELDS: [(&str, &str, &str, Option<&str>); 7] = [
    (
        "code",
        "admin-session-code",
        "text",
        Some("admin-session-code-hint"),
    ),
    ("title", "admin-session-title", "text", None),
    ("description", "admin-session-description", "textarea", None),
    ("room", "admin-session-room", "text", None),
    (
        "starts_at",
        "admin-session-starts",
        "datetime-local",
        Some("admin-times-hint"),
    ),
    ("ends_at", "admin-session-ends", "datetime-local", None),
    (
        "capacity",
        "admin-session-capacity",
        "number",
        Some("admin-capacity-hint"),
    ),
];

/// The session's texts in the event's other languages.
const SESSION_TEXTS: [(&str, &str, &str); 2] = [
    ("titles", "admin-session-title", "text"),
    ("descriptions", "admin-session-description", "textarea"),
];

/// A session's form, new or existing.
struct SessionForm {
    action: String,
    csrf_token: String,
    problems: Problems,
    fields: Vec<Field>,
    /// `workshop` or `plenary`.
    kind: String,
    translations: Vec<Translation>,
}

impl SessionForm {
    fn new(
        admin: &Admin,
        event: &Event,
        action: String,
        existing: bool,
        value: impl Fn(&str) -> String,
        problems: Problems,
    ) -> SessionForm {
        // A session's code stays once chosen: delegates' choices name it.
        let fields = if existing {
            &SESSION_FIELDS[1..]
        } else {
            &SESSION_FIELDS[..]
        };
        let tr = &admin.tr;
        SessionForm {
            action,
            csrf_token: admin.csrf_token(),
            fields: inputs(tr, fields, &value, &problems),
            kind: value("kind"),
            translations: translations(tr, &event.languages, &SESSION_TEXTS, &value, &problems),
            problems,
        }
    }
}

#[derive(Template)]
#[template(path = "admin/sessions.html")]
struct SessionsPage {
    tr: Tr,
    frame: Frame,
    notice: Option<String>,
    sessions: Vec<SessionLine>,
    form: Option<SessionForm>,
}

struct SessionLine {
    code: String,
    title: String,
    href: String,
    kind: String,
    room: String,
    slot: String,
    capacity: String,
    taken: i32,
}

async fn render_list(
    admin: &Admin,
    conn: &mut AsyncPgConnection,
    event: &Event,
    form: Option<SessionForm>,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let tr = admin.tr;
    let language = admin.language();
    let zone = zone(event);
    let sessions = events_store::sessions_of(conn, event.id)
        .await?
        .iter()
        .map(|session| SessionLine {
            code: session.code.clone(),
            title: session.title_in(language.code()).to_owned(),
            href: format!("/admin/events/{}/sessions/{}", event.slug, session.code),
            kind: tr.t(i18n::session_kind_message(session.kind)),
            room: session.room.clone(),
            slot: i18n::format_session_slot(language, session.starts_at, session.ends_at, zone),
            capacity: capacity_text(&tr, session.capacity),
            taken: session.taken,
        })
        .collect();
    let page = SessionsPage {
        frame: admin.frame(tr.t("admin-tab-sessions"), Some((event, Section::Sessions))),
        notice: admin.notice(),
        sessions,
        form,
        tr,
    };
    admin.render(status, &page)
}

fn list_url(event: &Event) -> String {
    format!("/admin/events/{}/sessions", event.slug)
}

/// `GET /admin/events/{slug}/sessions`
pub async fn list(EventPage(admin, event, mut conn): EventPage) -> Result<HttpResponse, AppError> {
    let form = admin.can_change().then(|| {
        let blank = |name: &str| {
            if name == "kind" {
                SessionKind::Workshop.as_str()
            } else {
                ""
            }
            .to_owned()
        };
        SessionForm::new(
            &admin,
            &event,
            list_url(&event),
            false,
            blank,
            Problems::default(),
        )
    });
    render_list(&admin, &mut conn, &event, form, StatusCode::OK).await
}

/// The body the API would receive. A new session's code comes from the
/// form; an existing session's is left out: it stays what it is.
fn session_json(form: &Form, event: &Event, new: bool) -> Value {
    let zone = zone(event);
    let typed = |name: &str| form.text(name).to_owned();
    let mut body = json!({
        "title": form.text("title"),
        "titles": texts_by_language("titles", typed),
        "description": form.text("description"),
        "descriptions": texts_by_language("descriptions", typed),
        "kind": form.text("kind"),
        "room": form.text("room"),
        "starts_at": instant(form.text("starts_at"), zone),
        "ends_at": instant(form.text("ends_at"), zone),
        "capacity": number(form.text("capacity")),
    });
    if new {
        body["code"] = json!(form.text("code"));
    }
    body
}

/// `POST /admin/events/{slug}/sessions`
pub async fn create(
    EventChange(admin, form, event, mut conn): EventChange,
) -> Result<HttpResponse, AppError> {
    let body = session_json(&form, &event, true);
    let setup = SessionSetup::parse(&body, &event, None);
    let problems = match parsed(&admin.tr, setup) {
        Ok(setup) => {
            let created = registration::admin::create_session(
                &mut conn,
                &setup.new_session(event.id),
                admin.organiser.id,
            )
            .await?;
            if created.is_some() {
                return Ok(admin.see_other(&format!("{}?done=saved", list_url(&event))));
            }
            Problems::single("code", admin.tr.t("admin-session-code-taken"))
        }
        Err(problems) => problems,
    };
    let typed = |name: &str| form.text(name).to_owned();
    let form = SessionForm::new(&admin, &event, list_url(&event), false, typed, problems);
    render_list(
        &admin,
        &mut conn,
        &event,
        Some(form),
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await
}

#[derive(Deserialize)]
pub struct SessionPath {
    code: String,
}

async fn session_of(
    conn: &mut AsyncPgConnection,
    event: &Event,
    path: &SessionPath,
) -> Result<Session, AppError> {
    events_store::sessions_by_code(conn, event.id, &[path.code.as_str()])
        .await?
        .into_iter()
        .next()
        .ok_or(AppError::NotFound("session"))
}

#[derive(Template)]
#[template(path = "admin/session.html")]
struct SessionPage {
    tr: Tr,
    frame: Frame,
    title: String,
    form: SessionForm,
    delete_action: String,
    delete_problem: Option<String>,
}

fn render_session(
    admin: &Admin,
    event: &Event,
    session: &Session,
    form: SessionForm,
    delete_problem: Option<String>,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let title = admin
        .tr
        .t1("admin-session-edit-title", "code", session.code.as_str());
    let page = SessionPage {
        frame: admin.frame(title.clone(), Some((event, Section::Sessions))),
        title,
        form,
        delete_action: format!("{}/delete", session_url(event, session)),
        delete_problem,
        tr: admin.tr,
    };
    admin.render(status, &page)
}

fn session_url(event: &Event, session: &Session) -> String {
    format!("{}/{}", list_url(event), session.code)
}

/// The stored session as its form shows it.
fn stored(session: &Session, event: &Event) -> impl Fn(&str) -> String {
    let zone = zone(event);
    let fields = [
        ("title", session.title.clone()),
        ("description", session.description.clone()),
        ("kind", session.kind.as_str().to_owned()),
        ("room", session.room.clone()),
        ("starts_at", local_input(session.starts_at, zone)),
        ("ends_at", local_input(session.ends_at, zone)),
        (
            "capacity",
            session.capacity.map(|n| n.to_string()).unwrap_or_default(),
        ),
    ];
    let values: Vec<(String, String)> = fields
        .into_iter()
        .map(|(name, value)| (name.to_owned(), value))
        .chain(stored_texts("titles", &session.titles))
        .chain(stored_texts("descriptions", &session.descriptions))
        .collect();
    move |name: &str| {
        values
            .iter()
            .find_map(|(key, value)| (key == name).then(|| value.clone()))
            .unwrap_or_default()
    }
}

/// `GET /admin/events/{slug}/sessions/{code}`
pub async fn edit(
    EventPage(admin, event, mut conn): EventPage,
    path: web::Path<SessionPath>,
) -> Result<HttpResponse, AppError> {
    admin.require_organiser()?;
    let session = session_of(&mut conn, &event, &path).await?;
    let action = session_url(&event, &session);
    let value = stored(&session, &event);
    let form = SessionForm::new(&admin, &event, action, true, value, Problems::default());
    render_session(&admin, &event, &session, form, None, StatusCode::OK)
}

/// `POST /admin/events/{slug}/sessions/{code}`
pub async fn update(
    EventChange(admin, form, event, mut conn): EventChange,
    path: web::Path<SessionPath>,
) -> Result<HttpResponse, AppError> {
    let session = session_of(&mut conn, &event, &path).await?;
    let body = session_json(&form, &event, false);
    let setup = SessionSetup::parse(&body, &event, Some(&session));
    let problems = match parsed(&admin.tr, setup) {
        Ok(setup) => {
            let updated = registration::admin::update_session(
                &mut conn,
                &event,
                session.id,
                &setup.new_session(event.id),
                admin.organiser.id,
            )
            .await;
            match updated {
                Ok(_) => return Ok(admin.see_other(&format!("{}?done=saved", list_url(&event)))),
                Err(error) => refusal(admin.language(), error)?,
            }
        }
        Err(problems) => problems,
    };
    let typed = |name: &str| form.text(name).to_owned();
    let action = session_url(&event, &session);
    let form = SessionForm::new(&admin, &event, action, true, typed, problems);
    render_session(
        &admin,
        &event,
        &session,
        form,
        None,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
}

/// `POST /admin/events/{slug}/sessions/{code}/delete`: refused while
/// delegates have chosen the session.
pub async fn delete(
    EventChange(admin, _, event, mut conn): EventChange,
    path: web::Path<SessionPath>,
) -> Result<HttpResponse, AppError> {
    let session = session_of(&mut conn, &event, &path).await?;
    let deleted =
        registration::admin::delete_session(&mut conn, &event, session.id, admin.organiser.id)
            .await;
    let problems = match deleted {
        Ok(()) => return Ok(admin.see_other(&format!("{}?done=deleted", list_url(&event)))),
        Err(error) => refusal(admin.language(), error)?,
    };
    let action = session_url(&event, &session);
    let form = SessionForm::new(
        &admin,
        &event,
        action,
        true,
        stored(&session, &event),
        Problems::default(),
    );
    render_session(
        &admin,
        &event,
        &session,
        form,
        problems
            .messages()
            .first()
            .map(|message| (*message).to_owned()),
        StatusCode::CONFLICT,
    )
}
