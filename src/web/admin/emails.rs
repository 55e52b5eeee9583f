//! An event's email outbox: every email with where it stands, how often
//! sending was tried and why it failed, and a retry for the failed ones.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;

use super::{
    EventChange, EventPage, Frame, IdPath, Pager, Section, email_kind, email_status, list_query,
    zone,
};
use crate::db::outbox;
use crate::i18n::{self, Tr};
use crate::registration;
use crate::web::AppError;

#[derive(Template)]
#[template(path = "admin/emails.html")]
struct EmailsPage {
    tr: Tr,
    frame: Frame,
    notice: Option<String>,
    rows: Vec<EmailRow>,
    total: i64,
    pager: Pager,
    can_change: bool,
    csrf_token: String,
}

struct EmailRow {
    created: String,
    kind: String,
    recipient: String,
    subject: String,
    status: String,
    attempts: i32,
    next_attempt: Option<String>,
    error: String,
    registration: Option<String>,
    retry: Option<String>,
}

/// `GET /admin/events/{slug}/emails?page=…`, newest first.
pub async fn list(
    EventPage(admin, event, mut conn): EventPage,
    request: HttpRequest,
) -> Result<HttpResponse, AppError> {
    let (page, per_page) = list_query(&request)?.paging()?;
    let (emails, total) =
        outbox::list_for_event(&mut conn, event.id, (page - 1) * per_page, per_page).await?;
    let tr = admin.tr;
    let language = admin.language();
    let zone = zone(&event);
    let base = format!("/admin/events/{}", event.slug);
    let rows = emails
        .iter()
        .map(|email| EmailRow {
            created: i18n::format_datetime_with_zone(language, email.created_at, zone),
            kind: tr.t(email_kind(email.kind)),
            recipient: email.recipient.clone(),
            subject: email.subject.clone().unwrap_or_default(),
            status: tr.t(email_status(&email.status)),
            attempts: email.attempts,
            next_attempt: (email.status == "pending")
                .then(|| i18n::format_datetime_with_zone(language, email.next_attempt_at, zone)),
            error: email.last_error.clone().unwrap_or_default(),
            registration: email
                .registration_id
                .map(|id| format!("{base}/registrations/{id}")),
            retry: (email.status == "failed").then(|| format!("{base}/emails/{}/retry", email.id)),
        })
        .collect();
    let page_view = EmailsPage {
        frame: admin.frame(tr.t("admin-tab-emails"), Some((&event, Section::Emails))),
        notice: admin.notice(),
        rows,
        total,
        pager: Pager::new(&tr, page, per_page, total, |page| {
            format!("{base}/emails?page={page}")
        }),
        can_change: admin.can_change(),
        csrf_token: admin.csrf_token(),
        tr,
    };
    admin.render(StatusCode::OK, &page_view)
}

/// `POST /admin/events/{slug}/emails/{id}/retry`: a failed email is due
/// again now; the worker sends it on its next round.
pub async fn retry(
    EventChange(admin, _, event, mut conn): EventChange,
    path: web::Path<IdPath>,
) -> Result<HttpResponse, AppError> {
    registration::admin::retry_email(&mut conn, &event, path.id, admin.organiser.id).await?;
    Ok(admin.see_other(&format!("/admin/events/{}/emails?done=retried", event.slug)))
}
