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
use crate::domain::{Language, RegistrationStatus};
use crate::i18n::Tr;
use crate::registration::{self, RegistrationError, hash_token};
use crate::web::form::PageForm;
use crate::web::{AppError, AppState};

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
                && registration.status != RegistrationStatus::Cancelled,
        }
    }

    /// What the page says before the button is pressed, if anything.
    fn standing(&self, registration: &Registration) -> Option<String> {
        match registration.status {
            RegistrationStatus::Cancelled => Some(self.tr.t("verify-cancelled")),
            RegistrationStatus::Unverified
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
            RegistrationStatus::Unverified
            | RegistrationStatus::Confirmed
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
