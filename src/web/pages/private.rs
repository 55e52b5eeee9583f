//! `/r/{token}`: the delegate's private page, reached only through the link
//! of their confirmation. It shows the registration, lets them change their
//! sessions, and cancel after a confirmation step. Its address is the
//! secret, so every answer here is `no-store` and sends no referrer.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use chrono::Utc;
use diesel_async::AsyncPgConnection;
use serde_json::{Map, Value};

use super::questions::{
    QuestionField, answers_of_form, asks_for_a_file, close_fields, keep_closed_answers,
    question_fields,
};
use super::view::{
    Problems, SessionLine, SessionsField, by_day, country_name, event_languages, problems,
    time_zone,
};
use super::{Layout, Visitor};
use crate::db::events::{self as store, Event, Session};
use crate::db::files as files_store;
use crate::db::questions::{self as questions_store, AskedQuestion};
use crate::domain::{Asking, FieldErrors, Language, RegistrationStatus, SeatStatus, SessionCode};
use crate::i18n::{self, Tr};
use crate::registration::{self, RegistrationError, RegistrationView};
use crate::web::form::Form;
use crate::web::{AppError, AppState, input};

#[derive(Template)]
#[template(path = "pages/private.html")]
struct PrivatePage {
    tr: Tr,
    layout: Layout,
    title: String,
    notice: Option<String>,
    banner: Option<Banner>,
    status: String,
    reference: String,
    position: Option<String>,
    /// Until when an unverified registration's place is held.
    hold: Option<String>,
    delegate: Vec<(String, String)>,
    chosen: Vec<SessionLine>,
    cancelled: bool,
    problems: Problems,
    csrf_token: String,
    sessions_action: String,
    sessions: SessionsField,
    answers_action: String,
    questions: Vec<QuestionField>,
    /// The answers form carries a file input, and is sent as multipart.
    multipart: bool,
    country_prompt: String,
    full_note: String,
    cancel_url: String,
    /// The delegate's own data as JSON (the API's view of the registration).
    data_url: String,
}

/// What the page says right after registering.
struct Banner {
    title: String,
    email_sent: String,
    private_link: String,
    url: String,
}

#[derive(Template)]
#[template(path = "pages/cancel.html")]
struct CancelPage {
    tr: Tr,
    layout: Layout,
    title: String,
    event_name: String,
    reference: String,
    problems: Problems,
    csrf_token: String,
    action: String,
    back_url: String,
}

pub async fn show(
    visitor: Visitor,
    state: web::Data<AppState>,
    token: web::Path<String>,
) -> HttpResponse {
    visitor.respond(show_page(&visitor, &state, &token).await)
}

async fn show_page(
    visitor: &Visitor,
    state: &AppState,
    token: &str,
) -> Result<HttpResponse, AppError> {
    let mut conn = state.pool.get().await?;
    let private = Private::load(&mut conn, visitor, state, token).await?;
    let flag = |name| visitor.query(name) == Some("1");
    let shown = if flag("registered") {
        Shown::JustRegistered
    } else if flag("saved") {
        Shown::Notice(private.tr.t("manage-sessions-saved"))
    } else if flag("answered") {
        Shown::Notice(private.tr.t("manage-answers-saved"))
    } else if flag("cancelled") {
        Shown::Notice(private.tr.t("manage-cancelled-notice"))
    } else {
        Shown::Plain
    };
    private.render(StatusCode::OK, shown, Problems::default(), None, None)
}

pub async fn change_answers(
    visitor: Visitor,
    state: web::Data<AppState>,
    token: web::Path<String>,
    request: HttpRequest,
    payload: web::Payload,
) -> HttpResponse {
    visitor.respond(save_answers(&visitor, &state, &token, &request, payload).await)
}

/// `POST /r/{token}/answers`: the answers form, read as the registration
/// form reads it and changed as the API changes them.
async fn save_answers(
    visitor: &Visitor,
    state: &AppState,
    token: &str,
    request: &HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, AppError> {
    // The page is read first, for the body's limit (room for its files),
    // and no connection is held while a slow phone sends them.
    let private = {
        let mut conn = state.pool.get().await?;
        Private::load(&mut conn, visitor, state, token).await?
    };
    let limit = state.settings.form_body_limit(&private.questions);
    let body = Form::read(request, payload, limit).await?;
    let stored: Map<String, Value> = private.view.answers.clone().into_iter().collect();
    let mut sent = answers_of_form(
        &body,
        &private.questions,
        &stored,
        state.settings.questions.file_max_bytes,
    );
    keep_closed_answers(&mut sent.answers, &private.questions, &stored, &|asked| {
        private.closed(asked)
    });
    let submitted = &sent.answers;
    let refused =
        |status, problems| private.render(status, Shown::Plain, problems, None, Some(submitted));
    if !visitor.csrf_verified(&body) {
        return refused(
            StatusCode::FORBIDDEN,
            Problems::general(private.tr.t("error-csrf")),
        );
    }
    if !sent.refused.is_empty() {
        return refused(
            StatusCode::UNPROCESSABLE_ENTITY,
            problems(private.language, &sent.refused),
        );
    }
    let mut conn = state.pool.get().await?;
    match registration::questions::change_answers(&mut conn, token, submitted, &sent.uploads).await
    {
        Ok(_) => Ok(private.reply().see_other(&format!("/r/{token}?answered=1"))),
        Err(RegistrationError::Invalid(errors)) => refused(
            StatusCode::UNPROCESSABLE_ENTITY,
            problems(private.language, &errors),
        ),
        Err(RegistrationError::Cancelled) => {
            let private = Private::load(&mut conn, visitor, state, token).await?;
            private.render(
                StatusCode::CONFLICT,
                Shown::Plain,
                Problems::default(),
                None,
                None,
            )
        }
        Err(other) => Err(other.into()),
    }
}

/// `GET /r/{token}/files/{id}`: a file the delegate sent, to them alone
/// (another registration's token finds nothing).
pub async fn download_file(
    visitor: Visitor,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> HttpResponse {
    let (token, id) = path.into_inner();
    visitor.respond(send_file(&state, &token, &id).await)
}

async fn send_file(state: &AppState, token: &str, id: &str) -> Result<HttpResponse, AppError> {
    let id = uuid::Uuid::parse_str(id).map_err(|_| AppError::NotFound("file"))?;
    let mut conn = state.pool.get().await?;
    let file = files_store::of_token(&mut conn, &registration::hash_token(token), id)
        .await?
        .ok_or(AppError::NotFound("file"))?;
    Ok(crate::web::downloads::attachment(file))
}

pub async fn change_sessions(
    visitor: Visitor,
    state: web::Data<AppState>,
    token: web::Path<String>,
    request: HttpRequest,
    payload: web::Payload,
) -> HttpResponse {
    visitor.respond(save_sessions(&visitor, &state, &token, &request, payload).await)
}

async fn save_sessions(
    visitor: &Visitor,
    state: &AppState,
    token: &str,
    request: &HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, AppError> {
    let body = Form::read(request, payload, state.settings.http.max_body_bytes).await?;
    let submitted: Vec<String> = body
        .all("sessions")
        .into_iter()
        .map(str::to_owned)
        .collect();
    let mut conn = state.pool.get().await?;
    let private = Private::load(&mut conn, visitor, state, token).await?;
    let refused =
        |status, problems| private.render(status, Shown::Plain, problems, Some(&submitted), None);
    if !visitor.csrf_verified(&body) {
        return refused(
            StatusCode::FORBIDDEN,
            Problems::general(private.tr.t("error-csrf")),
        );
    }
    let codes = match session_codes(&submitted) {
        Ok(codes) => codes,
        Err(errors) => {
            return refused(
                StatusCode::UNPROCESSABLE_ENTITY,
                problems(private.language, &errors),
            );
        }
    };
    match registration::change_sessions(&mut conn, token, &codes, &private.manage_url).await {
        Ok(_) => Ok(private.reply().see_other(&format!("/r/{token}?saved=1"))),
        Err(RegistrationError::Invalid(errors)) => refused(
            StatusCode::UNPROCESSABLE_ENTITY,
            problems(private.language, &errors),
        ),
        // Cancelled meanwhile (in another tab): the page now says so.
        Err(RegistrationError::Cancelled) => {
            let private = Private::load(&mut conn, visitor, state, token).await?;
            private.render(
                StatusCode::CONFLICT,
                Shown::Plain,
                Problems::default(),
                None,
                None,
            )
        }
        Err(other) => Err(other.into()),
    }
}

/// The ticked boxes as session codes; a code that cannot be one is a
/// problem of the `sessions` field, as in the registration form.
fn session_codes(submitted: &[String]) -> Result<Vec<SessionCode>, FieldErrors> {
    input::session_codes(submitted).map_err(|error| FieldErrors::single("sessions", error))
}

/// `GET /r/{token}/cancel`: the confirmation step, so that one stray tap
/// cannot give a delegate's place away.
pub async fn confirm_cancel(
    visitor: Visitor,
    state: web::Data<AppState>,
    token: web::Path<String>,
) -> HttpResponse {
    visitor.respond(show_confirmation(&visitor, &state, &token).await)
}

async fn show_confirmation(
    visitor: &Visitor,
    state: &AppState,
    token: &str,
) -> Result<HttpResponse, AppError> {
    let mut conn = state.pool.get().await?;
    let private = Private::load(&mut conn, visitor, state, token).await?;
    if private.is_cancelled() {
        return Ok(private.reply().see_other(&format!("/r/{token}")));
    }
    private.render_confirmation(StatusCode::OK, Problems::default())
}

pub async fn cancel(
    visitor: Visitor,
    state: web::Data<AppState>,
    token: web::Path<String>,
    request: HttpRequest,
    payload: web::Payload,
) -> HttpResponse {
    visitor.respond(cancel_registration(&visitor, &state, &token, &request, payload).await)
}

async fn cancel_registration(
    visitor: &Visitor,
    state: &AppState,
    token: &str,
    request: &HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, AppError> {
    let body = Form::read(request, payload, state.settings.http.max_body_bytes).await?;
    let mut conn = state.pool.get().await?;
    let private = Private::load(&mut conn, visitor, state, token).await?;
    if !visitor.csrf_verified(&body) {
        let problems = Problems::general(private.tr.t("error-csrf"));
        return private.render_confirmation(StatusCode::FORBIDDEN, problems);
    }
    registration::cancel(&mut conn, token, &private.manage_url, Utc::now()).await?;
    Ok(private
        .reply()
        .see_other(&format!("/r/{token}?cancelled=1")))
}

/// What the page shows above the registration.
enum Shown {
    Plain,
    JustRegistered,
    Notice(String),
}

/// A registration with its meeting, in the delegate's language.
struct Private<'a> {
    visitor: &'a Visitor,
    view: RegistrationView,
    event: Event,
    sessions: Vec<Session>,
    /// The questions put to this registration: those of its category, and
    /// those asked once approved when it is.
    questions: Vec<AskedQuestion>,
    offered: Vec<Language>,
    language: Language,
    tr: Tr,
    token: &'a str,
    manage_url: String,
    file_max_bytes: usize,
    /// When the page was asked for: the answers closed then are shown so.
    now: chrono::DateTime<Utc>,
}

impl<'a> Private<'a> {
    async fn load(
        conn: &mut AsyncPgConnection,
        visitor: &'a Visitor,
        state: &AppState,
        token: &'a str,
    ) -> Result<Private<'a>, AppError> {
        let view = registration::find_by_token(conn, token)
            .await?
            .ok_or(AppError::NotFound("registration"))?;
        let event = store::find(conn, view.registration.event_id).await?;
        let sessions = store::sessions_of(conn, event.id).await?;
        let categories = crate::db::categories::of_event(conn, event.id).await?;
        let registration = &view.registration;
        let asking = Asking {
            category: crate::db::categories::code_of(&categories, registration.category_id),
            approved: registration.status.answers_after_approval(),
        };
        let questions = questions_store::of_event(conn, event.id, None)
            .await?
            .into_iter()
            .filter(|asked| asked.asked_of(asking))
            .collect();
        let offered = event_languages(&event);
        let language = visitor.language_preferring(&view.registration.language, &offered);
        Ok(Private {
            visitor,
            view,
            event,
            sessions,
            questions,
            offered,
            language,
            tr: Tr::new(language),
            token,
            manage_url: format!("{}/r/{token}", state.settings.public_url()),
            file_max_bytes: state.settings.questions.file_max_bytes,
            now: Utc::now(),
        })
    }

    /// Whether the delegate may no longer change the answer to `asked`.
    fn closed(&self, asked: &AskedQuestion) -> bool {
        !asked.open_to_delegates(self.now)
    }

    fn is_cancelled(&self) -> bool {
        self.view.registration.status == RegistrationStatus::Cancelled
    }

    fn reply(&self) -> super::Reply<'_> {
        self.visitor.reply(self.language).private()
    }

    fn title(&self) -> String {
        format!(
            "{} — {}",
            self.tr.t("manage-title"),
            self.event.name_in(self.language.code())
        )
    }

    fn reference(&self) -> String {
        self.tr.t1(
            "confirm-reference",
            "reference",
            self.view.registration.reference.as_str(),
        )
    }

    /// The page; `submitted` are the boxes ticked in a refused form, and
    /// `answers` the answers of a refused one, shown again as they were sent.
    fn render(
        &self,
        status: StatusCode,
        shown: Shown,
        problems: Problems,
        submitted: Option<&[String]>,
        answers: Option<&Map<String, Value>>,
    ) -> Result<HttpResponse, AppError> {
        let stored: Map<String, Value> = self.view.answers.clone().into_iter().collect();
        let answers = answers.unwrap_or(&stored);
        let tr = &self.tr;
        let registration = &self.view.registration;
        let zone = time_zone(&self.event);
        let choice_status = |session: &Session| {
            self.view
                .choices
                .iter()
                .find(|choice| choice.session.id == session.id)
                .map(|choice| choice.status)
        };
        let status_text = |status: SeatStatus| tr.t(i18n::seat_status_message(status));
        let chosen = self
            .view
            .choices
            .iter()
            .map(|choice| {
                let mut line = SessionLine::new(tr, zone, &choice.session);
                line.status = Some(status_text(choice.status));
                line
            })
            .collect();
        let lines = self
            .sessions
            .iter()
            .map(|session| {
                let mut line = SessionLine::new(tr, zone, session);
                let held = choice_status(session);
                line.checked = match submitted {
                    Some(codes) => codes
                        .iter()
                        .any(|code| code.trim().eq_ignore_ascii_case(&session.code)),
                    None => held.is_some(),
                };
                // A seat the delegate holds is theirs to keep, however
                // full the room.
                line.full &= held != Some(SeatStatus::Confirmed);
                line.status = held.map(status_text);
                line
            })
            .collect();
        let just_registered = i18n::registered_title_message(registration.status);
        let banner = match (&shown, just_registered) {
            (Shown::JustRegistered, Some(title)) => Some(Banner {
                title: tr.t(title),
                email_sent: tr.t1("confirm-email-sent", "email", registration.email.as_str()),
                private_link: tr.t("confirm-private-link"),
                url: self.manage_url.clone(),
            }),
            _ => None,
        };
        let optional =
            |label: String, value: &str| (!value.is_empty()).then(|| (label, value.to_owned()));
        let delegate = [
            optional(tr.t("field-given-name"), &registration.given_name),
            optional(tr.t("field-family-name"), &registration.family_name),
            optional(tr.t("field-email"), &registration.email),
            Some((
                tr.t("field-country"),
                country_name(&registration.country_code, self.language),
            )),
            optional(tr.t("field-organisation"), &registration.organisation),
            Language::parse(&registration.language)
                .ok()
                .map(|language| {
                    (
                        tr.t("field-language"),
                        i18n::language_name(language).to_owned(),
                    )
                }),
        ]
        .into_iter()
        .flatten()
        .collect();
        let mut questions = question_fields(
            tr,
            self.event.first_language(),
            &self.questions,
            answers,
            &problems,
            self.file_max_bytes,
            &|code| {
                let id = stored.get(code)?.as_str()?;
                Some(format!("/r/{}/files/{id}", self.token))
            },
        );
        close_fields(tr, &self.questions, &mut questions, &|asked| {
            self.closed(asked).then(|| {
                let until = asked.question.answers_until.unwrap_or(self.now);
                until
                    .with_timezone(&self.event.time_zone())
                    .format("%Y-%m-%d %H:%M %Z")
                    .to_string()
            })
        });
        let csrf = self.visitor.csrf_token();
        let title = self.title();
        let page = PrivatePage {
            layout: self
                .visitor
                .layout(self.language, title.clone(), &self.offered),
            title,
            notice: match shown {
                Shown::Notice(text) => Some(text),
                _ => None,
            },
            banner,
            status: tr.t1(
                "manage-status",
                "status",
                tr.t(i18n::status_message(registration.status)),
            ),
            hold: registration.verify_by.map(|by| {
                let time = i18n::format_datetime_with_zone(self.language, by, zone);
                tr.t1("manage-verify-by", "time", time)
            }),
            reference: self.reference(),
            position: self
                .view
                .waitlist_position
                .map(|position| tr.t1("confirm-waitlist-position", "position", position)),
            delegate,
            chosen,
            cancelled: self.is_cancelled(),
            csrf_token: csrf.value().to_owned(),
            sessions_action: format!("/r/{}/sessions", self.token),
            sessions: SessionsField::new(tr, by_day(tr, lines), &problems),
            answers_action: format!("/r/{}/answers", self.token),
            questions,
            multipart: asks_for_a_file(&self.questions),
            country_prompt: tr.t("field-country-choose"),
            full_note: tr.t("answer-choice-full"),
            problems,
            cancel_url: format!("/r/{}/cancel", self.token),
            data_url: format!("/api/v1/registrations/{}", self.token),
            tr: *tr,
        };
        self.reply().status(status).csrf(&csrf).render(&page)
    }

    fn render_confirmation(
        &self,
        status: StatusCode,
        problems: Problems,
    ) -> Result<HttpResponse, AppError> {
        let tr = &self.tr;
        let title = tr.t("manage-cancel-confirm-title");
        let csrf = self.visitor.csrf_token();
        let page = CancelPage {
            layout: self
                .visitor
                .layout(self.language, title.clone(), &self.offered),
            title,
            event_name: self.event.name_in(self.language.code()).to_owned(),
            reference: self.reference(),
            problems,
            csrf_token: csrf.value().to_owned(),
            action: format!("/r/{}/cancel", self.token),
            back_url: format!("/r/{}", self.token),
            tr: *tr,
        };
        self.reply().status(status).csrf(&csrf).render(&page)
    }
}

#[cfg(test)]
mod tests {
    use proptest::collection::vec;
    use proptest::prelude::*;

    use super::*;
    use crate::web::input::tests::{expected_session_codes, session_code_like};

    proptest! {
        #[test]
        fn ticked_boxes_are_read_as_the_registration_form_reads_them(
            ticked in vec(session_code_like(), 0..60)
        ) {
            let read = session_codes(&ticked).map_err(|errors| {
                (errors.len(), errors.get("sessions").map(|error| error.message_id))
            });
            let expected = expected_session_codes(&ticked).map_err(|id| (1, Some(id)));
            prop_assert_eq!(read, expected);
        }
    }
}
