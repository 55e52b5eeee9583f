//! An event's registrations: the list (search, filters, sorting, pages and
//! the export links), and each registration's page with its history and
//! what organisers may do with it — each action a use case of
//! `registration::admin`, written to the audit log.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use chrono::Utc;
use diesel::result::Error as DieselError;
use diesel_async::AsyncPgConnection;
use serde::Deserialize;
use serde_json::{Map, Value};
use uuid::Uuid;

use super::{
    Admin, AttendeesPage, Choice, EventChange, Frame, IdPath, Pager, Problems, Section,
    country_name, email_kind, email_status, list_query, zone,
};
use crate::db::admin as admin_store;
use crate::db::attendees::{self, Attendee, Counting, Cursor, Total};
use crate::db::categories as categories_store;
use crate::db::events::{self as events_store, Event};
use crate::db::questions as questions_store;
use crate::db::registrations as registrations_store;
use crate::domain::{FieldError, FieldErrors, Language, RegistrationStatus};
use crate::export::{ANSWER_PREFIX, AnswerColumn};
use crate::i18n::{self, Tr};
use crate::registration::{self, RegistrationError, approval, view_of};
use crate::web::api::approvals::rejection_of;
use crate::web::api::question_bodies::text_in;
use crate::web::form::Form;
use crate::web::organiser_input::{ListedPage, promotion_why};
use crate::web::pages::questions::{QuestionField, answers_of_form, question_fields};
use crate::web::query::query_string;
use crate::web::{AppError, input};

#[derive(Template)]
#[template(path = "admin/registrations.html")]
struct ListPage {
    tr: Tr,
    frame: Frame,
    action: String,
    search: String,
    sort: String,
    statuses: Vec<Choice>,
    countries: Vec<Choice>,
    sessions: Vec<Choice>,
    columns: Vec<Column>,
    rows: Vec<Row>,
    /// "1,234 registrations", or "more than 1,000".
    found: String,
    pager: Pager,
    /// Shown to those who may export (not the check-in role).
    can_export: bool,
    export_csv: String,
    export_xlsx: String,
    /// The Excel export with the sensitive questions' columns, for those
    /// who may read them.
    export_sensitive: Option<String>,
    /// Where the ticked registrations awaiting a decision are approved, for
    /// those who may decide, when the page lists any.
    approvals: Option<String>,
    /// What the last action did (the accepted and refused of a bulk
    /// approval).
    notice: Option<String>,
    csrf_token: String,
}

/// A column heading; a sortable one links to the list sorted by it.
struct Column {
    label: String,
    href: Option<String>,
    /// `aria-sort` of the column the list is sorted by.
    sorted: Option<&'static str>,
}

struct Row {
    id: Uuid,
    /// Awaiting an organiser's decision: it can be ticked for approval.
    pending: bool,
    href: String,
    reference: String,
    name: String,
    email: String,
    country: String,
    organisation: String,
    status: String,
    registered: String,
}

/// The orders (`db::attendees::Order`, by their `sort` value) a column sorts by:
/// ascending, then descending on a second click where there is one.
#[derive(Clone, Copy)]
struct Order {
    ascending: &'static str,
    descending: Option<&'static str>,
}

const fn order(ascending: &'static str, descending: Option<&'static str>) -> Option<Order> {
    Some(Order {
        ascending,
        descending,
    })
}

const COLUMNS: [(&str, Option<Order>); 7] = [
    ("admin-column-reference", None),
    ("admin-column-name", order("name", Some("-name"))),
    ("admin-column-email", None),
    ("admin-column-country", order("country", None)),
    ("admin-column-organisation", None),
    ("admin-column-status", order("status", None)),
    // The default order is the order of registration.
    ("admin-column-registered", order("", Some("-registered"))),
];

/// Past this many matches the list says "more than" instead of counting
/// them all: a search that matches 15,000 registrations reads a thousand.
const COUNTED_UP_TO: i64 = 1000;

/// `GET /admin/events/{slug}/registrations`: its pages are linked by
/// keyset cursors (`after`, `before`), which cost the same at any depth;
/// `page` still reads for an address typed by hand.
pub async fn list(
    AttendeesPage(admin, event, mut conn): AttendeesPage,
    request: HttpRequest,
) -> Result<HttpResponse, AppError> {
    let query = list_query(&request)?;
    let ListedPage {
        listing:
            attendees::Listing {
                attendees: found,
                total,
                more_before,
                more_after,
            },
        order,
        searching,
        ..
    } = query
        .list(&mut conn, &event, Counting::UpTo(COUNTED_UP_TO))
        .await?;
    let sort = order.as_str();
    let countries = admin_store::country_counts(&mut conn, event.id).await?;
    let sessions = events_store::sessions_of(&mut conn, event.id).await?;

    let tr = admin.tr;
    let language = admin.language();
    let (search, status, country, session) = (
        query.q.as_deref().unwrap_or_default(),
        query.status.as_deref().unwrap_or_default(),
        query.country.as_deref().unwrap_or_default(),
        query.session.as_deref().unwrap_or_default(),
    );
    let answers: Vec<(String, &str)> = query
        .answers
        .iter()
        .map(|(code, word)| (format!("{ANSWER_PREFIX}{code}"), word.as_str()))
        .collect();
    let filters: Vec<(&str, &str)> = [
        ("q", search),
        ("status", status),
        ("country", country),
        ("session", session),
    ]
    .into_iter()
    .chain(answers.iter().map(|(name, word)| (name.as_str(), *word)))
    .collect();
    let action = format!("/admin/events/{}/registrations", event.slug);
    let per_page_given = query.per_page.map(|n| n.to_string()).unwrap_or_default();
    // `way` is `after` or `before` a row's cursor, or nothing for the start.
    let link = |sort: &str, way: Option<(&str, &Attendee)>| {
        let cursor = way.map(|(name, row)| {
            let cursor = Cursor::after(event.id, order, searching, row);
            (name, cursor.encode())
        });
        let mut pairs = filters.clone();
        pairs.extend([("sort", sort), ("per_page", per_page_given.as_str())]);
        if let Some((name, cursor)) = &cursor {
            pairs.push((name, cursor.as_str()));
        }
        format!("{action}?{}", query_string(&pairs))
    };
    let any = |label_id: &str| Choice {
        value: String::new(),
        label: tr.t(label_id),
        selected: false,
    };
    let export = |format: &str| {
        format!(
            "/api/v1/events/{}/registrations.{format}?{}",
            event.slug,
            query_string(&filters)
        )
    };
    let page_view = ListPage {
        frame: admin.frame(
            tr.t("admin-tab-registrations"),
            Some((&event, Section::Registrations)),
        ),
        search: search.to_owned(),
        sort: sort.to_owned(),
        statuses: std::iter::once(any("admin-any-status"))
            .chain(RegistrationStatus::ALL.iter().map(|&value| Choice {
                value: value.as_str().to_owned(),
                label: tr.t(i18n::status_message(value)),
                selected: value.as_str() == status,
            }))
            .collect(),
        countries: std::iter::once(any("admin-any-country"))
            .chain(countries.iter().map(|quota| Choice {
                value: quota.country_code.clone(),
                label: country_name(&quota.country_code, language),
                selected: quota.country_code.eq_ignore_ascii_case(country),
            }))
            .collect(),
        sessions: std::iter::once(any("admin-any-session"))
            .chain(sessions.iter().map(|each| Choice {
                value: each.code.clone(),
                label: format!("{} {}", each.code, each.title_in(language.code())),
                selected: each.code.eq_ignore_ascii_case(session),
            }))
            .collect(),
        columns: COLUMNS
            .iter()
            .map(|&(label, order)| Column {
                label: tr.t(label),
                href: order.map(|order| {
                    let next = match order.descending {
                        Some(descending) if sort == order.ascending => descending,
                        _ => order.ascending,
                    };
                    link(next, None)
                }),
                sorted: order.and_then(|order| {
                    if sort == order.ascending {
                        Some("ascending")
                    } else if order.descending == Some(sort) {
                        Some("descending")
                    } else {
                        None
                    }
                }),
            })
            .collect(),
        rows: found
            .iter()
            .map(|attendee| row(&tr, &event, attendee))
            .collect(),
        found: match total {
            Total::Exact(count) => tr.t1("admin-found", "count", count),
            Total::MoreThan(count) => tr.t1("admin-found-more", "count", count),
        },
        pager: Pager::keyset(
            &tr,
            found.len(),
            found
                .first()
                .filter(|_| more_before)
                .map(|row| link(sort, Some(("before", row)))),
            found
                .last()
                .filter(|_| more_after)
                .map(|row| link(sort, Some(("after", row)))),
        ),
        can_export: admin.may(crate::domain::Action::Export),
        export_csv: export("csv"),
        export_xlsx: export("xlsx"),
        export_sensitive: admin
            .may(crate::domain::Action::ReadSensitive)
            .then(|| format!("{}&sensitive=true", export("xlsx"))),
        approvals: (admin.can_change()
            && found
                .iter()
                .any(|attendee| attendee.status == RegistrationStatus::Pending))
        .then(|| format!("/admin/events/{}/approvals", event.slug)),
        notice: admin.notice(),
        csrf_token: admin.csrf_token(),
        action,
        tr,
    };
    admin.render(StatusCode::OK, &page_view)
}

/// `POST /admin/events/{slug}/approvals`: approves the ticked
/// registrations (`approve`, one per box) each on its own, in the list's
/// order, as `POST /api/v1/events/{slug}/approvals` does; back to the list
/// of those still awaiting a decision, which says how many were accepted
/// and how many could not be.
pub async fn approve_selected(
    EventChange(admin, form, event, mut conn): EventChange,
) -> Result<HttpResponse, AppError> {
    let ids: Vec<Uuid> = form
        .all("approve")
        .into_iter()
        .filter_map(|id| Uuid::parse_str(id).ok())
        .take(approval::MAX_BULK)
        .collect();
    let decided =
        approval::approve_many(&mut conn, &event, &ids, admin.organiser.id, Utc::now()).await?;
    let accepted = decided.iter().filter(|(_, result)| result.is_ok()).count();
    let refused = decided.len() - accepted;
    let url = format!("/admin/events/{}/registrations?status=pending", event.slug);
    Ok(admin.see_other(&format!(
        "{url}&done=approved_many&accepted={accepted}&refused={refused}"
    )))
}

/// "on the waiting list (position 3)".
fn status_text(tr: &Tr, status: RegistrationStatus, position: Option<i64>) -> String {
    let status = tr.t(i18n::status_message(status));
    match position {
        Some(position) => tr.t2(
            "admin-status-position",
            "status",
            status,
            "position",
            position,
        ),
        None => status,
    }
}

fn row(tr: &Tr, event: &Event, attendee: &Attendee) -> Row {
    let language = tr.language();
    Row {
        id: attendee.id,
        pending: attendee.status == RegistrationStatus::Pending,
        href: detail_url(event, attendee.id),
        reference: attendee.reference.clone(),
        name: full_name(&attendee.given_name, &attendee.family_name),
        email: attendee.email.clone(),
        country: country_name(&attendee.country_code, language),
        organisation: attendee.organisation.clone(),
        status: status_text(tr, attendee.status, attendee.waitlist_position),
        registered: i18n::format_datetime_with_zone(language, attendee.registered_at, zone(event)),
    }
}

fn full_name(given: &str, family: &str) -> String {
    format!("{given} {family}").trim().to_owned()
}

fn detail_url(event: &Event, id: Uuid) -> String {
    format!("/admin/events/{}/registrations/{id}", event.slug)
}

#[derive(Template)]
#[template(path = "admin/registration.html")]
struct DetailPage {
    tr: Tr,
    frame: Frame,
    title: String,
    notice: Option<String>,
    problems: Vec<String>,
    details: Vec<(String, String)>,
    choices: Vec<ChoiceLine>,
    can_change: bool,
    cancelled: bool,
    waiting: bool,
    /// An organiser has still to approve or reject it.
    deciding: bool,
    /// The event's reasons for a rejection: (code, words).
    reasons: Vec<(String, String)>,
    /// The event's categories to put the registration in: (code, name,
    /// whether it is the registration's); none without categories.
    categories: Vec<(String, String, bool)>,
    csrf_token: String,
    action: String,
    sessions: Vec<SessionBox>,
    answers: Vec<AnswerLine>,
    /// The answers' form, for organisers.
    questions: Vec<QuestionField>,
    answers_problems: Problems,
    country_prompt: String,
    full_note: String,
    history: Vec<HistoryLine>,
    emails: Vec<EmailLine>,
}

struct ChoiceLine {
    code: String,
    title: String,
    slot: String,
    status: String,
}

struct SessionBox {
    code: String,
    title: String,
    slot: String,
    checked: bool,
}

/// An answer as the page shows it; a sensitive one only to those who may
/// read it (organisers and admins, never viewers).
struct AnswerLine {
    code: String,
    label: String,
    value: String,
}

struct HistoryLine {
    at: String,
    who: String,
    what: String,
    detail: String,
}

struct EmailLine {
    at: String,
    kind: String,
    subject: String,
    status: String,
    attempts: i32,
    error: String,
}

/// `GET /admin/events/{slug}/registrations/{id}`
pub async fn show(
    AttendeesPage(admin, event, mut conn): AttendeesPage,
    path: web::Path<IdPath>,
) -> Result<HttpResponse, AppError> {
    render_detail(
        &admin,
        &mut conn,
        &event,
        path.id,
        Vec::new(),
        None,
        StatusCode::OK,
    )
    .await
}

/// The answers of a refused change, as sent, and their problems.
type SentAnswers = (Map<String, Value>, Problems);

async fn render_detail(
    admin: &Admin,
    conn: &mut AsyncPgConnection,
    event: &Event,
    id: Uuid,
    problems: Vec<String>,
    sent: Option<SentAnswers>,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let registration = registrations_store::find(conn, id)
        .await
        .map_err(|error| match error {
            DieselError::NotFound => AppError::NotFound("registration"),
            other => other.into(),
        })?;
    if registration.event_id != event.id {
        return Err(AppError::NotFound("registration"));
    }
    let categories = categories_store::of_event(conn, event.id).await?;
    let category = categories
        .iter()
        .find(|category| Some(category.id) == registration.category_id)
        .cloned();
    let view = view_of(conn, registration).await?;
    let sessions = events_store::sessions_of(conn, event.id).await?;
    let history = admin_store::history_of(conn, id).await?;
    let emails = admin_store::emails_of(conn, id).await?;
    let questions = questions_store::of_event(conn, event.id, None).await?;

    let tr = admin.tr;
    let language = admin.language();
    let zone = zone(event);
    let when = |at| i18n::format_datetime_with_zone(language, at, zone);
    let registration = &view.registration;
    let name = full_name(&registration.given_name, &registration.family_name);
    let title = tr.t2(
        "admin-registration-title",
        "reference",
        registration.reference.as_str(),
        "name",
        name.as_str(),
    );
    let mut standing = status_text(&tr, registration.status, view.waitlist_position);
    if let Some(by) = registration.verify_by {
        standing = tr.t2("admin-status-held", "status", standing, "time", when(by));
    }
    let deciding = category
        .as_ref()
        .is_some_and(|category| category.needs_approval)
        && registration.approved_at.is_none()
        && matches!(
            registration.status,
            RegistrationStatus::Pending
                | RegistrationStatus::Unverified
                | RegistrationStatus::Waitlisted
        );
    if let Some(reason) = &registration.rejection_reason {
        let why = approval::reason_text(event, reason, language);
        standing = format!("{standing} — {why}");
    }
    let category_name = category
        .as_ref()
        .map(|category| category.name_in(language.code()).to_owned())
        .unwrap_or_default();
    let details = [
        ("admin-column-status", standing),
        ("admin-column-category", category_name),
        ("field-given-name", registration.given_name.clone()),
        ("field-family-name", registration.family_name.clone()),
        ("field-email", registration.email.clone()),
        (
            "field-country",
            country_name(&registration.country_code, language),
        ),
        ("field-organisation", registration.organisation.clone()),
        (
            "field-language",
            Language::parse(&registration.language).map_or_else(
                |_| registration.language.clone(),
                |language| i18n::language_name(language).to_owned(),
            ),
        ),
        ("admin-column-registered", when(registration.created_at)),
    ]
    .into_iter()
    .map(|(label, value)| (tr.t(label), value))
    .collect();
    let first = event.first_language();
    let answers = questions
        .iter()
        .filter_map(|asked| {
            let value = view.answers.get(&asked.question.code)?;
            let value =
                if asked.question.sensitive && !admin.may(crate::domain::Action::ReadSensitive) {
                    tr.t("admin-answer-hidden")
                } else {
                    AnswerColumn::of(asked, language, first).answer_text(Some(value), language)
                };
            Some(AnswerLine {
                code: asked.question.code.clone(),
                label: text_in(&asked.question.labels, language.code(), first.code()).to_owned(),
                value,
            })
        })
        .collect();
    let editable = admin.can_change() && registration.status != RegistrationStatus::Cancelled;
    let (sent_answers, answers_problems) = sent.unwrap_or_else(|| {
        let stored: Map<String, Value> = view.answers.clone().into_iter().collect();
        (stored, Problems::default())
    });
    let question_fields = if editable {
        question_fields(
            &tr,
            first,
            &questions,
            &sent_answers,
            &answers_problems,
            0,
            &|code| {
                let id = sent_answers.get(code)?.as_str()?;
                Some(format!("/api/v1/events/{}/files/{id}", event.slug))
            },
        )
    } else {
        Vec::new()
    };
    let page = DetailPage {
        frame: admin.frame(title.clone(), Some((event, Section::Registrations))),
        title,
        notice: admin.notice(),
        problems,
        details,
        choices: view
            .choices
            .iter()
            .map(|choice| ChoiceLine {
                code: choice.session.code.clone(),
                title: choice.session.title_in(language.code()).to_owned(),
                slot: i18n::format_session_slot(
                    language,
                    choice.session.starts_at,
                    choice.session.ends_at,
                    zone,
                ),
                status: tr.t(i18n::seat_status_message(choice.status)),
            })
            .collect(),
        can_change: admin.can_change(),
        cancelled: registration.status == RegistrationStatus::Cancelled,
        waiting: registration.status == RegistrationStatus::Waitlisted,
        deciding,
        categories: categories
            .iter()
            .map(|each| {
                let name = each.name_in(language.code()).to_owned();
                (
                    each.code.clone(),
                    name,
                    Some(each.id) == registration.category_id,
                )
            })
            .collect(),
        reasons: approval::rejection_reasons(event)
            .into_iter()
            .map(|code| {
                let words = approval::reason_text(event, &code, language);
                (code, words)
            })
            .collect(),
        csrf_token: admin.csrf_token(),
        action: detail_url(event, id),
        sessions: sessions
            .iter()
            .map(|session| SessionBox {
                code: session.code.clone(),
                title: session.title_in(language.code()).to_owned(),
                slot: i18n::format_session_slot(language, session.starts_at, session.ends_at, zone),
                checked: view
                    .choices
                    .iter()
                    .any(|choice| choice.session.id == session.id),
            })
            .collect(),
        answers,
        questions: question_fields,
        answers_problems,
        country_prompt: tr.t("field-country-choose"),
        full_note: tr.t("answer-choice-full"),
        history: history
            .into_iter()
            .map(|entry| HistoryLine {
                at: when(entry.at),
                who: entry.organiser.unwrap_or_default(),
                what: action_text(&tr, &entry.action),
                detail: entry.detail.to_string(),
            })
            .collect(),
        emails: emails
            .iter()
            .map(|email| EmailLine {
                at: when(email.created_at),
                kind: tr.t(email_kind(email.kind)),
                subject: email.subject.clone().unwrap_or_default(),
                status: tr.t(email_status(&email.status)),
                attempts: email.attempts,
                error: email.last_error.clone().unwrap_or_default(),
            })
            .collect(),
        tr,
    };
    admin.render(status, &page)
}

/// An audit log action in words; one we have no words for, as written.
fn action_text(tr: &Tr, action: &str) -> String {
    let id = match action {
        "registration.cancel" => "admin-action-cancel",
        "registration.promote" => "admin-action-promote",
        "registration.approve" => "admin-action-approve",
        "registration.category" => "admin-action-category",
        "registration.reject" => "admin-action-reject",
        "registration.sessions" => "admin-action-sessions",
        "registration.answers" => "admin-action-answers",
        "email.resend" => "admin-action-resend",
        "email.retry" => "admin-action-retry",
        other => return other.to_owned(),
    };
    tr.t(id)
}

#[derive(Deserialize)]
pub struct ActionPath {
    id: Uuid,
    action: String,
}

/// `POST …/registrations/{id}/{action}`: `cancel`, `promote` (out of
/// turn), `sessions` (one `sessions` field per ticked box) or `resend`
/// (the last confirmation or waiting-list email, word for word). Back to
/// the registration's page with `?done=…`, or that page again with the
/// reason of a refusal.
pub async fn act(
    EventChange(admin, form, event, mut conn): EventChange,
    path: web::Path<ActionPath>,
) -> Result<HttpResponse, AppError> {
    let (id, organiser, now) = (path.id, admin.organiser.id, Utc::now());
    let (outcome, done) = match path.action.as_str() {
        "cancel" => {
            // A place given up goes to someone else at once: no cancelling
            // by a stray click.
            let outcome = if form.get("confirm") == Some("yes") {
                registration::admin::cancel(&mut conn, &event, id, organiser, now)
                    .await
                    .map(drop)
            } else {
                Err(invalid("confirm", "admin-cancel-unconfirmed"))
            };
            (outcome, "cancelled")
        }
        "promote" => {
            // The form is read by the API's own rules.
            let body = serde_json::json!({"why": form.text("why")});
            let outcome = match promotion_why(&body) {
                Ok(why) => registration::admin::promote_out_of_turn(
                    &mut conn, &event, id, organiser, why, now,
                )
                .await
                .map(drop),
                // Said on the page as what is missing, not "this field".
                Err(_) if form.text("why").trim().is_empty() => {
                    Err(invalid("why", "admin-promote-why-required"))
                }
                Err(errors) => Err(RegistrationError::Invalid(errors)),
            };
            (outcome, "promoted")
        }
        "sessions" => {
            let outcome = match input::session_codes(&form.all("sessions")) {
                Ok(codes) => {
                    registration::admin::change_sessions(&mut conn, &event, id, &codes, organiser)
                        .await
                        .map(drop)
                }
                Err(error) => Err(RegistrationError::Invalid(FieldErrors::single(
                    "sessions", error,
                ))),
            };
            (outcome, "sessions")
        }
        "resend" => (
            registration::resend(&mut conn, &event, id, organiser).await,
            "resent",
        ),
        "category" => (
            registration::categories::assign(
                &mut conn,
                &event,
                id,
                form.text("category"),
                organiser,
                now,
            )
            .await
            .map(drop),
            "category",
        ),
        "approve" => (
            approval::approve(&mut conn, &event, id, organiser, now)
                .await
                .map(drop),
            "approved",
        ),
        "reject" => {
            // The form is read by the API's own rules.
            let body =
                serde_json::json!({"reason": form.text("reason"), "note": form.text("note")});
            let outcome = match rejection_of(&body) {
                Ok((reason, note)) => approval::reject(
                    &mut conn,
                    &event,
                    id,
                    &reason,
                    note.as_deref(),
                    organiser,
                    now,
                )
                .await
                .map(drop),
                Err(errors) => Err(RegistrationError::Invalid(errors)),
            };
            (outcome, "rejected")
        }
        "answers" => return save_answers(&admin, &form, &event, &mut conn, id).await,
        _ => return Err(AppError::NotFound("action")),
    };
    let (status, problems) = match outcome {
        Ok(()) => {
            let url = detail_url(&event, id);
            return Ok(admin.see_other(&format!("{url}?done={done}")));
        }
        Err(RegistrationError::Invalid(errors)) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            Problems::of(admin.language(), &errors).into_messages(),
        ),
        Err(RegistrationError::Cancelled) => (
            StatusCode::CONFLICT,
            vec![admin.tr.t("admin-error-cancelled")],
        ),
        Err(other) => return Err(other.into()),
    };
    render_detail(&admin, &mut conn, &event, id, problems, None, status).await
}

/// `POST …/registrations/{id}/answers`: the whole answers form, read by
/// the delegate's rules; refused answers are shown again as sent, each
/// problem next to its question.
async fn save_answers(
    admin: &Admin,
    form: &Form,
    event: &Event,
    conn: &mut AsyncPgConnection,
    id: Uuid,
) -> Result<HttpResponse, AppError> {
    let questions = questions_store::of_event(conn, event.id, None).await?;
    // The back office's form sends no files: a file question keeps the
    // delegate's file.
    let kept: Map<String, Value> = questions_store::answers_by_code(conn, id)
        .await?
        .into_iter()
        .collect();
    let form_answers = answers_of_form(form, &questions, &kept, 0);
    let sent = form_answers.answers;
    let changed = if form_answers.refused.is_empty() {
        registration::questions::change_answers_for(conn, event, id, &sent, admin.organiser.id)
            .await
    } else {
        Err(RegistrationError::Invalid(form_answers.refused))
    };
    let (status, problems, sent) = match changed {
        Ok(_) => {
            let url = detail_url(event, id);
            return Ok(admin.see_other(&format!("{url}?done=answers")));
        }
        Err(RegistrationError::Invalid(errors)) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            Vec::new(),
            Some((sent, Problems::of(admin.language(), &errors))),
        ),
        Err(RegistrationError::Cancelled) => (
            StatusCode::CONFLICT,
            vec![admin.tr.t("admin-error-cancelled")],
            None,
        ),
        Err(other) => return Err(other.into()),
    };
    render_detail(admin, conn, event, id, problems, sent, status).await
}

fn invalid(field: &str, message_id: &'static str) -> RegistrationError {
    RegistrationError::Invalid(FieldErrors::single(field, FieldError::new(message_id)))
}
