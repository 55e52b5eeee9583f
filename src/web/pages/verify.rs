//! `/verify/{token}`: the page the link of a verification email opens. A
//! GET only shows a button (link scanners and previews follow links, and
//! must confirm nothing); its POST confirms the address, and with it the
//! place held for the delegate. The address holds a secret, so every answer
//! is `no-store` and sends no referrer.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use chrono::Utc;
use diesel_async::AsyncPgConnection;

use super::view::{Problems, event_languages};
use super::{Layout, Visitor};
use crate::db::events::{self as store, Event};
use crate::db::registrations::{self as registrations_store, Registration};
use crate::domain::{EmailAddress, FieldErrors, Language, RegistrationStatus};
use crate::i18n::Tr;
use crate::registration::{self, RegistrationError, hash_token};
use crate::web::form::PageForm;
use crate::web::{AppError, AppState, input};

/// `GET`: the button, or what became of the registration.
pub async fn show(
    visitor: Visitor,
    state: web::Data<AppState>,
    token: web::Path<String>,
) -> HttpResponse {
    let shown = async {
        let mut conn = state.pool.get().await?;
        let (event, registration) = named_by(&mut conn, &token).await?;
        let page = Verification::new(&visitor, &event, &registration, &token);
        page.render(
            StatusCode::OK,
            page.standing(&registration),
            Problems::default(),
        )
    };
    visitor.respond(shown.await)
}

/// `POST` (the button): confirms the address, if the form is this site's.
pub async fn confirm(
    visitor: Visitor,
    state: web::Data<AppState>,
    token: web::Path<String>,
    form: PageForm,
) -> HttpResponse {
    let confirmed = async {
        let body = form.0?;
        let mut conn = state.pool.get().await?;
        let (event, registration) = named_by(&mut conn, &token).await?;
        let page = Verification::new(&visitor, &event, &registration, &token);
        if !visitor.csrf_verified(&body) {
            let problems = Problems::general(page.tr.t("error-csrf"));
            return page.render(StatusCode::FORBIDDEN, None, problems);
        }
        match registration::verify::verify(&mut conn, &token, Utc::now()).await {
            Ok(verified) => {
                let notice = if verified.now {
                    page.done(verified.view.registration.status)
                } else {
                    page.tr.t("verify-already")
                };
                page.render(StatusCode::OK, Some(notice), Problems::default())
            }
            Err(RegistrationError::Cancelled) => {
                let notice = page.tr.t("verify-cancelled");
                page.render(StatusCode::CONFLICT, Some(notice), Problems::default())
            }
            Err(error) => Err(error.into()),
        }
    };
    visitor.respond(confirmed.await)
}

#[derive(Template)]
#[template(path = "pages/verify_again.html")]
struct VerifyAgainPage {
    tr: Tr,
    layout: Layout,
    notice: Option<String>,
    lead: String,
    event_name: String,
    event_url: String,
    action: String,
    csrf_token: String,
    problems: Problems,
    email: String,
    email_error: Option<String>,
}

/// `GET /events/{slug}/verification`: the form that asks for a new link.
pub async fn ask_again(
    visitor: Visitor,
    state: web::Data<AppState>,
    slug: web::Path<String>,
) -> HttpResponse {
    let event = async { verifying_event(&mut *state.pool.get().await?, &slug).await };
    let form = event
        .await
        .and_then(|event| render_again(&visitor, &event, "", None, Refused::Nothing));
    visitor.respond(form)
}

/// `POST /events/{slug}/verification`: sends a new link if a registration
/// of this address awaits its confirmation, and says the same either way.
pub async fn send_again(
    visitor: Visitor,
    state: web::Data<AppState>,
    form: PageForm,
    slug: web::Path<String>,
) -> HttpResponse {
    let sent = async {
        let body = form.0?;
        let mut conn = state.pool.get().await?;
        let event = verifying_event(&mut conn, &slug).await?;
        let typed = body.text("email");
        if !visitor.csrf_verified(&body) {
            return render_again(&visitor, &event, typed, None, Refused::Forged);
        }
        let email = match EmailAddress::parse(typed) {
            Ok(email) => email,
            Err(error) => {
                let error = input::keyed(error.message_key(), error.max());
                let errors = FieldErrors::single("email", error);
                return render_again(&visitor, &event, typed, None, Refused::Fields(errors));
            }
        };
        let public_url = state.settings.public_url();
        registration::verify::send_link_again(&mut conn, event.id, &email, public_url, Utc::now())
            .await?;
        render_again(
            &visitor,
            &event,
            typed,
            Some("verify-again-sent"),
            Refused::Nothing,
        )
    };
    visitor.respond(sent.await)
}

/// An event that verifies emails, by its slug; any other is not found.
async fn verifying_event(conn: &mut AsyncPgConnection, slug: &str) -> Result<Event, AppError> {
    store::find_by_slug(conn, slug)
        .await?
        .filter(|event| event.verifying.is_on())
        .ok_or(AppError::NotFound("event"))
}

/// What the form for a new link refused of what was sent.
enum Refused {
    Nothing,
    /// The form did not come from this site.
    Forged,
    Fields(FieldErrors),
}

fn render_again(
    visitor: &Visitor,
    event: &Event,
    email: &str,
    notice: Option<&str>,
    refused: Refused,
) -> Result<HttpResponse, AppError> {
    let offered = event_languages(event);
    let language = visitor.language(&offered);
    let tr = Tr::new(language);
    let title = tr.t("verify-again-title");
    let event_name = event.name_in(language.code());
    let csrf = visitor.csrf_token();
    let (status, problems) = match refused {
        Refused::Nothing => (StatusCode::OK, Problems::default()),
        Refused::Forged => (StatusCode::FORBIDDEN, Problems::general(tr.t("error-csrf"))),
        Refused::Fields(errors) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            Problems::of(language, &errors),
        ),
    };
    let page = VerifyAgainPage {
        layout: visitor.layout(language, title, &offered),
        notice: notice.map(|id| tr.t(id)),
        lead: tr.t1("verify-again-lead", "event", event_name),
        event_name: event_name.to_owned(),
        event_url: format!("/events/{}", event.slug),
        action: format!("/events/{}/verification", event.slug),
        csrf_token: csrf.value().to_owned(),
        email_error: problems.get("email").map(str::to_owned),
        problems,
        email: email.to_owned(),
        tr,
    };
    visitor
        .reply(language)
        .status(status)
        .csrf(&csrf)
        .render(&page)
}

/// The registration a link's token names, and its event.
async fn named_by(
    conn: &mut AsyncPgConnection,
    token: &str,
) -> Result<(Event, Registration), AppError> {
    let registration = registrations_store::find_by_verification_hash(conn, &hash_token(token))
        .await?
        .ok_or(AppError::NotFound("registration"))?;
    let event = store::find(conn, registration.event_id).await?;
    Ok((event, registration))
}

#[derive(Template)]
#[template(path = "pages/verify.html")]
struct VerifyPage<'a> {
    tr: Tr,
    layout: Layout,
    page: &'a Verification<'a>,
    notice: Option<String>,
    /// The button is shown: the address is not yet confirmed.
    ask: bool,
    problems: Problems,
    csrf_token: String,
}

/// The page of one registration's verification, in the delegate's language.
struct Verification<'a> {
    visitor: &'a Visitor,
    offered: Vec<Language>,
    language: Language,
    tr: Tr,
    event_name: String,
    reference: String,
    lead: String,
    action: String,
    /// Whether the address still awaits confirmation.
    pending: bool,
}

impl<'a> Verification<'a> {
    fn new(visitor: &'a Visitor, event: &Event, registration: &Registration, token: &str) -> Self {
        let offered = event_languages(event);
        let language = visitor.language_preferring(&registration.language, &offered);
        let tr = Tr::new(language);
        let event_name = event.name_in(language.code());
        Verification {
            visitor,
            event_name: event_name.to_owned(),
            lead: tr.t1("verify-lead", "event", event_name),
            reference: tr.t1(
                "confirm-reference",
                "reference",
                registration.reference.as_str(),
            ),
            offered,
            language,
            tr,
            action: format!("/verify/{token}"),
            pending: registration.email_verified_at.is_none()
                && !matches!(
                    registration.status,
                    RegistrationStatus::Cancelled | RegistrationStatus::Rejected
                ),
        }
    }

    /// What the page says before the button is pressed, if anything.
    fn standing(&self, registration: &Registration) -> Option<String> {
        match registration.status {
            RegistrationStatus::Cancelled | RegistrationStatus::Rejected => {
                Some(self.tr.t("verify-cancelled"))
            }
            RegistrationStatus::Unverified
            | RegistrationStatus::Pending
            | RegistrationStatus::Confirmed
            | RegistrationStatus::Waitlisted => {
                (!self.pending).then(|| self.tr.t("verify-already"))
            }
        }
    }

    /// What the page says once the address is confirmed.
    fn done(&self, status: RegistrationStatus) -> String {
        match status {
            RegistrationStatus::Waitlisted => self.tr.t("verify-done-waiting"),
            RegistrationStatus::Pending => self.tr.t("verify-done-pending"),
            RegistrationStatus::Unverified
            | RegistrationStatus::Confirmed
            | RegistrationStatus::Rejected
            | RegistrationStatus::Cancelled => self.tr.t("verify-done-confirmed"),
        }
    }

    fn render(
        &self,
        status: StatusCode,
        notice: Option<String>,
        problems: Problems,
    ) -> Result<HttpResponse, AppError> {
        let title = self.tr.t("verify-title");
        let csrf = self.visitor.csrf_token();
        let page = VerifyPage {
            layout: self
                .visitor
                .layout(self.language, title.clone(), &self.offered),
            page: self,
            ask: self.pending && notice.is_none(),
            notice,
            problems,
            csrf_token: csrf.value().to_owned(),
            tr: self.tr,
        };
        self.visitor
            .reply(self.language)
            .private()
            .status(status)
            .csrf(&csrf)
            .render(&page)
    }
}
