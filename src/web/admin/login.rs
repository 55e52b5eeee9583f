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

use super::form::Form;
use super::{Admin, Frame};
use crate::db::admin as admin_store;
use crate::db::organisers;
use crate::domain::{EmailAddress, secret};
use crate::i18n::Tr;
use crate::web::auth::SESSION_COOKIE;
use crate::web::client::Client;
use crate::web::pages::Visitor;
use crate::web::pages::csrf;
use crate::web::{AppError, AppState};

/// How long a back-office session lasts: a working day.
const SESSION_HOURS: i64 = 12;
/// Failed logins allowed within 15 minutes (SECURITY.md says why these).
/// One client guessing at one account is stopped after 5; many clients
/// together at one account after 20, which takes at least four clients,
/// so that no single client can lock an organiser out; one client at
/// every account together after 20, so that trying 4 guesses at each of
/// many accounts stops too.
const LIMITS: admin_store::LoginLimits = admin_store::LoginLimits {
    per_account_and_client: 5,
    per_account: 20,
    per_client: 20,
    window: Duration::from_secs(15 * 60),
};
/// The `Retry-After` of that 503.
const BUSY_RETRY_AFTER_SECS: u32 = 2;

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
    let client = Client::of(&request);
    let client_key = client.key().to_string();
    let mut conn = state.pool.get().await?;
    let organiser = organisers::find_by_email(&mut conn, &account).await?;

    // Counted before the password is even looked at, in one step with the
    // count, so that parallel guesses cannot slip past the limit.
    let reserved = match admin_store::reserve_login_attempt(
        &mut conn,
        &account,
        &client_key,
        organiser.as_ref().map(|organiser| organiser.id),
        LIMITS,
    )
    .await?
    {
        admin_store::LoginReservation::Reserved { id } => id,
        admin_store::LoginReservation::Blocked { until } => {
            let wait = (until - Utc::now()).num_seconds().max(1);
            return refused(
                &visitor,
                StatusCode::TOO_MANY_REQUESTS,
                email,
                "admin-login-too-many",
                wait,
            );
        }
    };

    // No connection is held while waiting: a crowd of logins must not
    // take the pool from registrations.
    drop(conn);
    // argon2 takes 19 MiB for each check: a few at a time, whatever the
    // number of logins.
    let permit = tokio::time::timeout(
        Duration::from_millis(state.settings.http.password_check_wait_ms),
        state.password_checks.clone().acquire_owned(),
    )
    .await;
    let Ok(Ok(permit)) = permit else {
        let mut conn = state.pool.get().await?;
        admin_store::login_not_checked(&mut conn, reserved).await?;
        return refused(
            &visitor,
            StatusCode::SERVICE_UNAVAILABLE,
            email,
            "error-busy",
            BUSY_RETRY_AFTER_SECS.into(),
        );
    };
    let stored = organiser
        .as_ref()
        .and_then(|organiser| organiser.password_hash.clone());
    let has_password = stored.is_some();
    let password = form.get("password").unwrap_or_default().to_owned();
    // Off the server's event loop; the permit goes with the check, so it
    // is held until argon2 is done even if the client hangs up.
    let verified = web::block(move || {
        let verified =
            secret::verify_password(&password, stored.as_deref().unwrap_or(&STAND_IN_HASH));
        drop(permit);
        verified
    })
    .await
    .map_err(|error| AppError::Internal(error.into()))?;
    let organiser = match organiser {
        Some(organiser) if verified && has_password => organiser,
        _ => {
            // The reserved row stays: it is this failure's audit row. One
            // message whatever was wrong: it must not tell which addresses
            // have an account.
            return render(
                &visitor,
                StatusCode::UNPROCESSABLE_ENTITY,
                email,
                Some("admin-login-failed"),
            );
        }
    };
    let mut conn = state.pool.get().await?;
    admin_store::login_succeeded(&mut conn, reserved, organiser.id, &client_key).await?;

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
    let cookie = Cookie::build(SESSION_COOKIE, session_id)
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(client.https)
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

/// The login form again, with `problem` and a `Retry-After`.
fn refused(
    visitor: &Visitor,
    status: StatusCode,
    email: &str,
    problem: &str,
    retry_after_secs: i64,
) -> Result<HttpResponse, AppError> {
    let mut response = render(visitor, status, email, Some(problem))?;
    response
        .headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from(retry_after_secs));
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
