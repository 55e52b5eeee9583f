//! Trust boundaries without a proxy in front: the client address every
//! limit counts, the session cookie against crafted API paths, JSON-only
//! API writes, parallel guesses at a login, and who may drop the event
//! copies. Distinct clients are distinct loopback addresses (127.0.0.x).

use std::net::{IpAddr, Ipv4Addr};

use futures_util::future::join_all;
use reqwest::StatusCode;
use serde_json::{Value, json};

use rencontre::db::organisers;
use rencontre::domain::secret;

use crate::support::{EventSpec, TestApp, count, create_event, delegate};

const PASSWORD: &str = "correct horse battery staple";

/// A client of its own, connecting from `127.0.0.{host}`.
pub fn client_from(host: u8) -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .cookie_store(true)
        .local_address(IpAddr::V4(Ipv4Addr::new(127, 0, 0, host)))
        .build()
        .expect("client")
}

async fn organiser_with_password(app: &TestApp, role: &str) -> (uuid::Uuid, String) {
    let hash = secret::hash_password(PASSWORD).expect("hash");
    let organiser = app.organiser_with_role(role, "Fatou", Some(&hash)).await;
    (organiser.id, organiser.email)
}

/// A back-office session of an organiser, as its cookie's value.
async fn session_of(app: &TestApp, role: &str) -> String {
    let (id, _) = organiser_with_password(app, role).await;
    let mut conn = app.pool.get().await.expect("connection");
    let session = secret::random_token(32);
    organisers::insert_session(
        &mut conn,
        &secret::sha256(&session),
        id,
        &secret::random_token(32),
        chrono::Utc::now() + chrono::Duration::hours(1),
    )
    .await
    .expect("session");
    session
}

async fn ml_capacity(app: &TestApp) -> i64 {
    count(
        &app.pool,
        "SELECT coalesce(max(capacity), -1)::bigint AS count FROM country_quotas
          WHERE country_code = 'ML'",
    )
    .await
}

#[tokio::test]
async fn the_session_cookie_changes_nothing_through_the_api_however_the_path_is_spelled() {
    let app = TestApp::spawn().await;
    create_event(
        &app.pool,
        EventSpec {
            countries: vec![("ML", 5)],
            ..EventSpec::default()
        },
    )
    .await;
    let cookie = format!("rencontre_session={}", session_of(&app, "admin").await);
    let plain = reqwest::Client::new();

    for path in [
        "/api/v1/events/lima-1997/countries/ML",
        "/%61pi/v1/events/lima-1997/countries/ML",
        "/api/%76%31/events/lima-1997/countries/ML",
        "/api/v1/events/lima%2D1997/countries/ML",
    ] {
        let answer = plain
            .put(app.url(path))
            .header("Cookie", &cookie)
            .json(&json!({"capacity": 99}))
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), 401, "{path}");
        let body: Value = answer.json().await.unwrap();
        assert_eq!(body["error"], "unauthorized", "{path}");
    }
    assert_eq!(ml_capacity(&app).await, 5, "no spelling changed the quota");

    // Reads stay open to the cookie (the back office's export links),
    // however spelled.
    for path in [
        "/api/v1/events/lima-1997/registrations",
        "/%61pi/v1/events/lima-1997/registrations",
    ] {
        let answer = plain
            .get(app.url(path))
            .header("Cookie", &cookie)
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), 200, "{path}");
    }
    // The token still changes it, so the 401s above were the cookie's.
    let token = app.organiser_token("organiser").await;
    let changed = plain
        .put(app.url("/%61pi/v1/events/lima-1997/countries/ML"))
        .bearer_auth(&token)
        .json(&json!({"capacity": 7}))
        .send()
        .await
        .unwrap();
    assert_eq!(changed.status(), 200);
    assert_eq!(ml_capacity(&app).await, 7);
}

#[tokio::test]
async fn api_writes_must_send_json_or_nothing() {
    let app = TestApp::spawn().await;
    create_event(
        &app.pool,
        EventSpec {
            countries: vec![("ML", 5)],
            ..EventSpec::default()
        },
    )
    .await;
    let token = app.organiser_token("organiser").await;
    let body = json!({"capacity": 9}).to_string();
    for content_type in [
        Some("text/plain"),
        Some("application/x-www-form-urlencoded"),
        Some("multipart/form-data; boundary=x"),
        Some("application/jsonx"),
        None,
    ] {
        let mut request = app
            .client
            .put(app.url("/api/v1/events/lima-1997/countries/ML"))
            .bearer_auth(&token)
            .body(body.clone());
        if let Some(content_type) = content_type {
            request = request.header("Content-Type", content_type);
        }
        let answer = request.send().await.unwrap();
        assert_eq!(answer.status(), 415, "{content_type:?}");
        let error: Value = answer.json().await.unwrap();
        assert_eq!(error["error"], "unsupported_media_type", "{content_type:?}");
        assert!(error["message"].as_str().is_some_and(|m| !m.is_empty()));
    }
    assert_eq!(ml_capacity(&app).await, 5);

    let registration = app
        .client
        .post(app.url("/api/v1/events/lima-1997/registrations"))
        .header("Content-Type", "text/plain")
        .body(delegate(1, "ML").to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(registration.status(), 415);
    assert_eq!(
        count(&app.pool, "SELECT count(*) AS count FROM registrations").await,
        0,
        "nothing written"
    );

    let accepted = app
        .client
        .put(app.url("/api/v1/events/lima-1997/countries/ML"))
        .bearer_auth(&token)
        .header("Content-Type", "Application/JSON; charset=utf-8")
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(accepted.status(), 200);
    assert_eq!(ml_capacity(&app).await, 9);
}

/// The login form's CSRF token for this client (its cookie is kept).
async fn login_form(client: &reqwest::Client, app: &TestApp) -> String {
    let page = client
        .get(app.url("/admin/login"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let (_, rest) = page
        .split_once("name=\"csrf_token\" value=\"")
        .expect("csrf field");
    rest.split('"').next().unwrap_or_default().to_owned()
}

async fn log_in(
    client: &reqwest::Client,
    app: &TestApp,
    csrf: &str,
    email: &str,
    password: &str,
) -> reqwest::Response {
    client
        .post(app.url("/admin/login"))
        .form(&[
            ("csrf_token", csrf),
            ("email", email),
            ("password", password),
        ])
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn fifty_parallel_wrong_logins_check_exactly_five_passwords() {
    let app = TestApp::spawn().await;
    let (_, email) = organiser_with_password(&app, "admin").await;
    let client = client_from(41);
    let csrf = login_form(&client, &app).await;

    let answers = join_all((0..50).map(|n| {
        let (client, app, csrf, email) = (&client, &app, &csrf, &email);
        async move {
            let answer = log_in(client, app, csrf, email, &format!("guess {n}")).await;
            let retry_after = answer.headers().get("retry-after").is_some();
            (answer.status(), retry_after)
        }
    }))
    .await;
    let checked = answers
        .iter()
        .filter(|(status, _)| *status == StatusCode::UNPROCESSABLE_ENTITY)
        .count();
    let refused = answers
        .iter()
        .filter(|(status, retry_after)| *status == StatusCode::TOO_MANY_REQUESTS && *retry_after)
        .count();
    assert_eq!(
        (checked, refused),
        (5, 45),
        "five checked, the rest refused with Retry-After: {answers:?}"
    );
    assert_eq!(
        count(
            &app.pool,
            &format!(
                "SELECT count(*) AS count FROM audit_log
                  WHERE action = 'login.failed' AND detail->>'email' = '{email}'"
            ),
        )
        .await,
        5,
        "exactly five attempts reached the password"
    );
    let right = log_in(&client, &app, &csrf, &email, PASSWORD).await;
    assert_eq!(right.status(), 429, "the right password waits out the lock");
    assert!(right.headers().contains_key("retry-after"));
    assert!(
        !right
            .headers()
            .get_all("set-cookie")
            .iter()
            .any(|cookie| cookie
                .to_str()
                .unwrap_or_default()
                .starts_with("rencontre_session")),
        "no session"
    );
}

#[tokio::test]
async fn logins_beyond_the_password_checks_at_once_get_503_and_count_as_nothing() {
    let app = TestApp::spawn_with(|settings| {
        settings.http.password_checks_at_once = 1;
        settings.http.password_check_wait_ms = 0;
    })
    .await;
    let (_, email) = organiser_with_password(&app, "organiser").await;
    // Different clients, so no lockout is reached: only the checks' slot
    // refuses them.
    let clients: Vec<reqwest::Client> = (60..72).map(client_from).collect();
    let mut forms = Vec::new();
    for client in &clients {
        forms.push(login_form(client, &app).await);
    }
    let answers = join_all(clients.iter().zip(&forms).map(|(client, csrf)| {
        let (app, email) = (&app, &email);
        async move {
            let answer = log_in(client, app, csrf, email, "guess").await;
            let retry_after = answer
                .headers()
                .get("retry-after")
                .and_then(|value| value.to_str().ok())
                .map(str::to_owned);
            (answer.status(), retry_after)
        }
    }))
    .await;
    let checked = answers
        .iter()
        .filter(|(status, _)| *status == StatusCode::UNPROCESSABLE_ENTITY)
        .count();
    let busy: Vec<_> = answers
        .iter()
        .filter(|(status, _)| *status == StatusCode::SERVICE_UNAVAILABLE)
        .collect();
    assert_eq!(checked + busy.len(), 12, "{answers:?}");
    assert!(
        !busy.is_empty(),
        "one slot cannot check 12 at once: {answers:?}"
    );
    assert!(
        busy.iter()
            .all(|(_, retry_after)| retry_after.as_deref() == Some("2")),
        "{busy:?}"
    );
    assert_eq!(
        count(
            &app.pool,
            "SELECT count(*) AS count FROM audit_log WHERE action = 'login.failed'",
        )
        .await,
        checked as i64,
        "an attempt that was never checked is no failure"
    );
}

#[tokio::test]
async fn only_an_organisers_successful_change_drops_the_event_copy() {
    let app = TestApp::spawn_with(|settings| settings.http.event_cache_ms = 600_000).await;
    create_event(
        &app.pool,
        EventSpec {
            countries: vec![("ML", 5)],
            ..EventSpec::default()
        },
    )
    .await;
    let ml_places = || async {
        let event: Value = app
            .client
            .get(app.url("/api/v1/events/lima-1997"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        event["countries"]
            .as_array()
            .and_then(|countries| countries.iter().find(|country| country["code"] == "ML"))
            .map(|country| country["capacity"].clone())
            .unwrap_or(Value::Null)
    };
    assert_eq!(ml_places().await, 5, "the copy is read");
    // Changed behind the process's back: only a dropped copy shows it.
    let mut conn = app.db.connect().await;
    diesel_async::RunQueryDsl::execute(
        diesel::sql_query("UPDATE country_quotas SET capacity = 6 WHERE country_code = 'ML'"),
        &mut conn,
    )
    .await
    .unwrap();

    let anonymous = client_from(51);
    for (path, fields) in [
        (
            "/admin/events/lima-1997/countries",
            vec![("country", "ML"), ("capacity", "1")],
        ),
        (
            "/admin/login",
            vec![("email", "x@example.org"), ("password", "x")],
        ),
        ("/admin/events/lima-1997/sessions/none/delete", vec![]),
    ] {
        let answer = anonymous
            .post(app.url(path))
            .form(&fields)
            .send()
            .await
            .unwrap();
        assert!(
            answer.status().is_redirection() || answer.status().is_client_error(),
            "{path}: {}",
            answer.status()
        );
    }
    let viewer = app.organiser_token("viewer").await;
    let forbidden = app
        .client
        .put(app.url("/api/v1/events/lima-1997/countries/SN"))
        .bearer_auth(&viewer)
        .json(&json!({"capacity": 3}))
        .send()
        .await
        .unwrap();
    assert_eq!(forbidden.status(), 403);
    assert_eq!(
        ml_places().await,
        5,
        "anonymous posts and a viewer's refused change kept the copy"
    );

    let token = app.organiser_token("organiser").await;
    let changed = app
        .client
        .put(app.url("/api/v1/events/lima-1997/countries/SN"))
        .bearer_auth(&token)
        .json(&json!({"capacity": 3}))
        .send()
        .await
        .unwrap();
    assert_eq!(changed.status(), 200);
    assert_eq!(ml_places().await, 6, "an organiser's change dropped it");
}
