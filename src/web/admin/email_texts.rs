//! The organisers' own wording of each email, per language of the event: a
//! table of which have one, and a form for each. Read by the API's own
//! parser, as events are, so both accept the same placeholders.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;
use serde_json::json;

use super::form::{inputs, parsed};
use super::{Admin, EventChange, EventPage, Field, Frame, Problems, Section, email_kind};
use crate::db::email_texts;
use crate::db::events::Event;
use crate::domain::{EmailKind, Language};
use crate::i18n::{self, Tr};
use crate::mail::custom_text::PLACEHOLDERS;
use crate::registration;
use crate::registration::admin::EmailTextChange;
use crate::web::AppError;
use crate::web::organiser_input::{EmailTextSetup, email_text_target};

/// The inputs of a wording, named as the API's JSON body.
const TEXT_FIELDS: [(&str, &str, &str, Option<&str>); 2] = [
    ("subject", "admin-column-subject", "text", None),
    ("body", "admin-email-text-body", "textarea", None),
];

fn list_url(event: &Event) -> String {
    format!("/admin/events/{}/email-texts", event.slug)
}

fn text_url(event: &Event, kind: EmailKind, language: Language) -> String {
    format!("{}/{kind}/{}", list_url(event), language.code())
}

#[derive(Template)]
#[template(path = "admin/email_texts.html")]
struct EmailTextsPage {
    tr: Tr,
    frame: Frame,
    notice: Option<String>,
    languages: Vec<(&'static str, &'static str)>,
    rows: Vec<KindRow>,
}

/// One kind of email, and in each language whose wording it uses.
struct KindRow {
    label: String,
    cells: Vec<(String, String)>,
}

/// `GET /admin/events/{slug}/email-texts`
pub async fn list(EventPage(admin, event, conn): EventPage) -> Result<HttpResponse, AppError> {
    admin.require_organiser()?;
    let own = email_texts::of_event(&conn, event.id).await?;
    let tr = admin.tr;
    let languages: Vec<Language> = event
        .languages
        .iter()
        .filter_map(|code| Language::parse(code).ok())
        .collect();
    let rows = EmailKind::worded()
        .map(|kind| KindRow {
            label: tr.t(email_kind(kind)),
            cells: languages
                .iter()
                .map(|&language| {
                    let written = own
                        .iter()
                        .any(|text| text.kind == kind && text.language == language.code());
                    let status = if written {
                        "admin-email-text-own"
                    } else {
                        "admin-email-text-built-in"
                    };
                    (text_url(&event, kind, language), tr.t(status))
                })
                .collect(),
        })
        .collect();
    let page = EmailTextsPage {
        frame: admin.frame(
            tr.t("admin-tab-email-texts"),
            Some((&event, Section::EmailTexts)),
        ),
        notice: admin.notice(),
        languages: languages
            .iter()
            .map(|&language| (language.code(), i18n::language_name(language)))
            .collect(),
        rows,
        tr,
    };
    admin.render(StatusCode::OK, &page)
}

#[derive(Deserialize)]
pub struct TextPath {
    kind: String,
    language: String,
}

#[derive(Template)]
#[template(path = "admin/email_text.html")]
struct EmailTextPage {
    tr: Tr,
    frame: Frame,
    title: String,
    action: String,
    /// The form back to the built-in wording, when there is an own one.
    reset_action: Option<String>,
    csrf_token: String,
    problems: Problems,
    fields: Vec<Field>,
    placeholders: Vec<String>,
}

/// The form of one kind's wording in `language`.
fn render_text(
    admin: &Admin,
    event: &Event,
    (kind, language): (EmailKind, Language),
    value: impl Fn(&str) -> String,
    own: bool,
    problems: Problems,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let tr = admin.tr;
    let title = format!(
        "{} — {}",
        tr.t(email_kind(kind)),
        i18n::language_name(language)
    );
    let action = text_url(event, kind, language);
    let mut fields = inputs(&tr, &TEXT_FIELDS, value, &problems);
    for field in &mut fields {
        field.lang = Some(language.code());
    }
    let page = EmailTextPage {
        frame: admin.frame(title.clone(), Some((event, Section::EmailTexts))),
        title,
        reset_action: own.then(|| format!("{action}/reset")),
        action,
        csrf_token: admin.csrf_token(),
        problems,
        fields,
        placeholders: PLACEHOLDERS
            .iter()
            .map(|name| format!("{{{name}}}"))
            .collect(),
        tr,
    };
    admin.render(status, &page)
}

/// `GET /admin/events/{slug}/email-texts/{kind}/{language}`
pub async fn edit(
    EventPage(admin, event, mut conn): EventPage,
    path: web::Path<TextPath>,
) -> Result<HttpResponse, AppError> {
    admin.require_organiser()?;
    let (kind, language) = email_text_target(&event, &path.kind, &path.language)?;
    let stored = email_texts::find(&mut conn, event.id, kind, language.code()).await?;
    let value = |name: &str| match (&stored, name) {
        (Some(text), "subject") => text.subject.clone(),
        (Some(text), "body") => text.body.clone(),
        _ => String::new(),
    };
    let target = (kind, language);
    let own = stored.is_some();
    render_text(
        &admin,
        &event,
        target,
        value,
        own,
        Problems::default(),
        StatusCode::OK,
    )
}

/// `POST /admin/events/{slug}/email-texts/{kind}/{language}`
pub async fn save(
    EventChange(admin, form, event, mut conn): EventChange,
    path: web::Path<TextPath>,
) -> Result<HttpResponse, AppError> {
    let (kind, language) = email_text_target(&event, &path.kind, &path.language)?;
    let body = json!({"subject": form.text("subject"), "body": form.text("body")});
    let problems = match parsed(&admin.tr, EmailTextSetup::parse(&body)) {
        Ok(text) => {
            let change = EmailTextChange {
                kind,
                language: language.code(),
                subject: text.subject,
                body: text.body,
            };
            registration::admin::set_email_text(&mut conn, event.id, &change, admin.organiser.id)
                .await?;
            return Ok(admin.see_other(&format!("{}?done=saved", list_url(&event))));
        }
        Err(problems) => problems,
    };
    let own = email_texts::find(&mut conn, event.id, kind, language.code())
        .await?
        .is_some();
    let typed = |name: &str| form.text(name).to_owned();
    let target = (kind, language);
    let status = StatusCode::UNPROCESSABLE_ENTITY;
    render_text(&admin, &event, target, typed, own, problems, status)
}

/// `POST /admin/events/{slug}/email-texts/{kind}/{language}/reset`: back
/// to the built-in wording.
pub async fn reset(
    EventChange(admin, _, event, mut conn): EventChange,
    path: web::Path<TextPath>,
) -> Result<HttpResponse, AppError> {
    let (kind, language) = email_text_target(&event, &path.kind, &path.language)?;
    registration::admin::reset_email_text(
        &mut conn,
        event.id,
        kind,
        language.code(),
        admin.organiser.id,
    )
    .await?;
    Ok(admin.see_other(&format!("{}?done=reset", list_url(&event))))
}
