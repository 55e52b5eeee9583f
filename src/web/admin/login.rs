//! `/admin/login` and `/admin/logout`. The login form is protected like the
//! public forms (a double-submit CSRF token, since there is no session
//! yet); a successful login always starts a new session, so an id planted
//! in a browser before login is worth nothing after it.

use std::sync::LazyLock;
use std::time::Duration;

use actix_web::cookie::{Cookie, SameSite, time};
use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use chrono::Utc;
use serde_json::json;

use super::{Admin, Frame};
use crate::db::admin as admin_store;
use crate::db::organisers;
use crate::domain::{EmailAddress, secret};
use crate::i18n::Tr;
use crate::web::auth::SESSION_COOKIE;
use crate::web::form::Form;
use crate::web::pages::Visitor;
use crate::web::pages::csrf;
use crate::web::{AppError, AppState};

/// How long a back-office session lasts: a working day.
const SESSION_HOURS: i64 = 12;
/// Failed logins an account or an address may have within the window.
const FAILURES_ALLOWED: i64 = 5;
const FAILURE_WINDOW: Duration = Duration::from_secs(15 * 60);

/// Checked when an email matches no account (or one without a password),
/// so that the argon2 work, and the time it takes, is the same either way.
/// Its password is random: nobody can type it. (Hashing cannot fail for
/// such a password; if it did, unknown accounts would only be answered
/// faster.)
static STAND_IN_HASH: LazyLock<String> =
    LazyLock::new(|| secret::hash_password(&secret::random_token(16)).unwrap_or_default());

#[derive(Template)]
#[template(path = "admin/login.html")]
struct LoginPage {
    tr: Tr,
    frame: Frame,
    csrf_token: String,
    email: String,
    problem: Option<String>,
}

pub async fn show(visitor: Visitor) -> Result<HttpResponse, AppError> {
    render(&visitor, StatusCode::OK, "", None)
}

fn render(
    visitor: &Visitor,
    status: StatusCode,
    email: &str,
    problem: Option<&str>,
) -> Result<HttpResponse, AppError> {
    let language = visitor.language(&[]);
    let tr = Tr::new(language);
    let csrf = visitor.csrf_token();
    let page = LoginPage {
        frame: Frame::new(visitor, language, tr.t("admin-login-title")),
        csrf_token: csrf.value().to_owned(),
        email: email.to_owned(),
        problem: problem.map(|id| tr.t(id)),
        tr,
    };
    visitor
        .reply(language)
        .status(status)
        .private()
        .csrf(&csrf)
        .render(&page)
}

pub async fn submit(
    visitor: Visitor,
    state: web::Data<AppState>,
    request: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, AppError> {
    let form = Form::read(&request, payload, state.settings.http.max_body_bytes).await?;
    let email = form.text("email");
    let csrf_cookie = request.cookie(csrf::COOKIE);
    if !csrf::verify(
        csrf_cookie.as_ref().map(Cookie::value),
        form.get(csrf::FIELD),
    ) {
        return render(
            &visitor,
            StatusCode::FORBIDDEN,
            email,
            Some("admin-form-expired"),
        );
    }
    let account = EmailAddress::parse(email)
        .map_or_else(|_| email.to_lowercase(), |address| address.normalised());
    // The connection's own peer: any client can write an X-Forwarded-For.
    let address = request
        .peer_addr()
        .map(|peer| peer.ip().to_string())
        .unwrap_or_default();
    let mut conn = state.pool.get().await?;

    // Before the password is even looked at, so that guessing on stops.
    let blocked = admin_store::login_blocked_until(
        &mut conn,
        &account,
        &address,
        FAILURES_ALLOWED,
        FAILURE_WINDOW,
    )
    .await?;
    if let Some(until) = blocked {
        let wait = (until - Utc::now()).num_seconds().max(1);
        let mut response = render(
            &visitor,
            StatusCode::TOO_MANY_REQUESTS,
            email,
            Some("admin-login-too-many"),
        )?;
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(wait));
        return Ok(response);
    }

    let organiser = organisers::find_by_email(&mut conn, &account).await?;
    let stored = organiser
        .as_ref()
        .and_then(|organiser| organiser.password_hash.clone());
    let has_password = stored.is_some();
    let password = form.get("password").unwrap_or_default().to_owned();
    // argon2 is slow on purpose: off the server's event loop.
    let verified = web::block(move || {
        secret::verify_password(&password, stored.as_deref().unwrap_or(&STAND_IN_HASH))
    })
    .await
    .map_err(|error| AppError::Internal(error.into()))?;
    let organiser = match organiser {
        Some(organiser) if verified && has_password => organiser,
        other => {
            organisers::audit(
                &mut conn,
                other.map(|organiser| organiser.id),
                None,
                None,
                "login.failed",
                json!({"email": account, "address": address}),
            )
            .await?;
            // One message whatever was wrong: it must not tell which
            // addresses have an account.
            return render(
                &visitor,
                StatusCode::UNPROCESSABLE_ENTITY,
                email,
                Some("admin-login-failed"),
            );
        }
    };

    if let Some(previous) = request.cookie(SESSION_COOKIE) {
        organisers::delete_session(&mut conn, &secret::sha256(previous.value())).await?;
    }
    admin_store::delete_expired_sessions(&mut conn).await?;
    // Only the hash is stored: a copy of the table opens no session.
    let session_id = secret::random_token(32);
    organisers::insert_session(
        &mut conn,
        &secret::sha256(&session_id),
        organiser.id,
        &secret::random_token(32),
        Utc::now() + chrono::Duration::hours(SESSION_HOURS),
    )
    .await?;
    organisers::audit(
        &mut conn,
        Some(organiser.id),
        None,
        None,
        "login",
        json!({"address": address}),
    )
    .await?;
    let cookie = Cookie::build(SESSION_COOKIE, session_id)
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(state.settings.http.public_url.starts_with("https://"))
        .max_age(time::Duration::hours(SESSION_HOURS))
        .finish();
    let mut response = visitor
        .reply(visitor.language(&[]))
        .private()
        .see_other("/admin");
    response
        .add_cookie(&cookie)
        .map_err(|error| AppError::Internal(error.into()))?;
    Ok(response)
}

/// `POST /admin/logout`: ends the session for good, not only in this browser.
pub async fn logout(
    admin: Admin,
    request: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, AppError> {
    admin.signed_form(&request, payload).await?;
    if let Some(session) = request.cookie(SESSION_COOKIE) {
        let mut conn = admin.conn().await?;
        organisers::delete_session(&mut conn, &secret::sha256(session.value())).await?;
    }
    let mut response = admin.see_other("/admin/login");
    response
        .add_removal_cookie(&Cookie::build(SESSION_COOKIE, "").path("/").finish())
        .map_err(|error| AppError::Internal(error.into()))?;
    Ok(response)
}
