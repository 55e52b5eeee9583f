//! What the application keeps, shows and lets through about people: texts
//! with hidden characters, answers that caches must not keep, back-office
//! sessions and their cookies, and the records of retried requests.

use std::net::{IpAddr, Ipv4Addr};

use reqwest::StatusCode;
use reqwest::header::{CACHE_CONTROL, COOKIE, SET_COOKIE};
use serde_json::{Value, json};

use crate::support::{EventSpec, TestApp, count, create_event, delegate};

const PASSWORD: &str = "correct horse battery staple";

async fn sql(app: &TestApp, statement: &str) {
    use diesel_async::RunQueryDsl;
    let mut conn = app.pool.get().await.expect("connection");
    diesel::sql_query(statement)
        .execute(&mut conn)
        .await
        .expect(statement);
}

/// A client of its own, without a cookie store (the tests read and send
/// cookies themselves) and from a chosen address of 127.0.0.0/8.
fn client_from(address: Ipv4Addr) -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .local_address(IpAddr::V4(address))
        .build()
        .expect("client")
}

/// `name=value` of the cookie `name` that a response sets, with its
/// attributes.
fn set_cookie(response: &reqwest::Response, name: &str) -> Option<String> {
    response
        .headers()
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .find(|value| value.starts_with(&format!("{name}=")))
        .map(str::to_owned)
}

fn pair(set_cookie: &str) -> String {
    set_cookie.split(';').next().unwrap_or_default().to_owned()
}

/// Signs in through the login form; the cookies a browser would then send.
async fn sign_in(app: &TestApp, csrf_name: &str, session_name: &str) -> String {
    let hash = rencontre::domain::secret::hash_password(PASSWORD).expect("hash");
    let email = app
        .organiser_with_role("organiser", "Fatou", Some(&hash))
        .await
        .email;
    let client = client_from(Ipv4Addr::LOCALHOST);
    let form = client.get(app.url("/admin/login")).send().await.unwrap();
    let csrf_cookie = set_cookie(&form, csrf_name)
        .unwrap_or_else(|| panic!("no {csrf_name} cookie: {:?}", form.headers()));
    let page = form.text().await.unwrap();
    let token = page
        .split_once("name=\"csrf_token\" value=\"")
        .and_then(|(_, rest)| rest.split('"').next())
        .expect("a CSRF field")
        .to_owned();
    let login = client
        .post(app.url("/admin/login"))
        .header(COOKIE, pair(&csrf_cookie))
        .form(&[
            ("csrf_token", token.as_str()),
            ("email", &email),
            ("password", PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(login.status(), StatusCode::SEE_OTHER);
    let session = set_cookie(&login, session_name)
        .unwrap_or_else(|| panic!("no {session_name} cookie: {:?}", login.headers()));
    format!("{}; {}", pair(&csrf_cookie), pair(&session))
}

/// The case: names accepted invisible characters and one
/// "character" of 40 KB of combining marks; organiser texts kept CR/LF.
#[tokio::test]
async fn invisible_characters_line_breaks_and_heavy_marks_are_refused_field_by_field() {
    let app = TestApp::spawn().await;
    create_event(&app.pool, EventSpec::default()).await;
    for (field, value) in [
        ("given_name", "Ali\u{200b}ce".to_owned()),
        ("given_name", "\u{3164}".to_owned()),
        ("family_name", "Diop\u{feff}".to_owned()),
        ("family_name", "Di\u{e0041}op".to_owned()),
        ("organisation", "ROPPA\r\nX".to_owned()),
        ("given_name", format!("A{}", "\u{301}".repeat(20_000))),
    ] {
        let mut body = delegate(1, "SN");
        body[field] = json!(value);
        let answer = app.register("lima-1997", &body).await;
        assert_eq!(answer.status(), 422, "{field}: {value:?}");
        let answer: Value = answer.json().await.unwrap();
        assert_eq!(
            answer["fields"].as_object().map(|fields| fields.len()),
            Some(1),
            "{answer}"
        );
        assert!(answer["fields"][field].is_string(), "{answer}");
    }
    assert_eq!(
        count(&app.pool, "SELECT count(*) AS count FROM registrations").await,
        0,
        "nothing written"
    );
    let mut persian = delegate(2, "IR");
    persian["given_name"] = json!("مهر\u{200c}نوش");
    let answer = app.register("lima-1997", &persian).await;
    assert_eq!(answer.status(), 201, "{}", answer.text().await.unwrap());

    let token = app.organiser_token("admin").await;
    let event = |name: &str, description: &str| {
        json!({
            "slug": "dakar-2005", "name": name, "description": description,
            "starts_on": "2027-11-22", "ends_on": "2027-11-25", "timezone": "Africa/Dakar",
            "languages": ["fr", "en"],
            "registration_opens_at": "2027-01-01T00:00:00Z",
            "registration_closes_at": "2027-11-01T00:00:00Z",
            "names": {"en": "Dakar\u{202e}"}
        })
    };
    let create = async |body: Value| {
        app.client
            .post(app.url("/api/v1/events"))
            .bearer_auth(&token)
            .json(&body)
            .send()
            .await
            .unwrap()
    };
    let refused = create(event("Dakar\r\nATTENDEE:x", "line one\nline two")).await;
    assert_eq!(refused.status(), 422);
    let refused: Value = refused.json().await.unwrap();
    let fields = refused["fields"].as_object().unwrap();
    assert_eq!(
        fields.keys().collect::<Vec<_>>(),
        ["name", "names.en"],
        "{refused}"
    );
    assert!(
        fields["name"].as_str().unwrap().contains("one line"),
        "{refused}"
    );
    let mut fine = event("Dakar 2005", "line one\nline two");
    fine["names"] = json!({});
    assert_eq!(
        create(fine).await.status(),
        201,
        "descriptions keep their lines"
    );
}

#[tokio::test]
async fn organisers_answers_exports_and_back_office_pages_are_never_stored() {
    let app = TestApp::spawn().await;
    create_event(&app.pool, EventSpec::default()).await;
    assert_eq!(
        app.register("lima-1997", &delegate(1, "SN")).await.status(),
        201
    );
    let token = app.organiser_token("viewer").await;
    for path in [
        "/api/v1/events/lima-1997/registrations",
        "/api/v1/events/lima-1997/registrations.csv",
        "/api/v1/events/lima-1997/registrations.xlsx",
        "/api/v1/events/lima-1997/emails",
    ] {
        let answer = app
            .client
            .get(app.url(path))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), 200, "{path}");
        assert_eq!(answer.headers()[CACHE_CONTROL], "no-store", "{path}");
    }
    let cookies = sign_in(&app, "csrf", "rencontre_session").await;
    for path in [
        "/admin",
        "/admin/events/lima-1997/registrations",
        "/api/v1/events/lima-1997/registrations.csv",
    ] {
        let answer = client_from(Ipv4Addr::LOCALHOST)
            .get(app.url(path))
            .header(COOKIE, &cookies)
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), 200, "{path}");
        assert_eq!(answer.headers()[CACHE_CONTROL], "no-store", "{path}");
    }
    let public = app
        .client
        .get(app.url("/api/v1/events/lima-1997"))
        .send()
        .await
        .unwrap();
    assert_ne!(
        public
            .headers()
            .get(CACHE_CONTROL)
            .map(|v| v.to_str().unwrap()),
        Some("no-store"),
        "only what organisers read"
    );
}

#[tokio::test]
async fn a_back_office_session_ends_after_its_idle_time_and_each_use_restarts_it() {
    let app = TestApp::spawn_with(|settings| settings.http.session_idle_minutes = 30).await;
    create_event(&app.pool, EventSpec::default()).await;
    let cookies = sign_in(&app, "csrf", "rencontre_session").await;
    let dashboard = async || {
        client_from(Ipv4Addr::LOCALHOST)
            .get(app.url("/admin"))
            .header(COOKIE, &cookies)
            .send()
            .await
            .unwrap()
            .status()
    };
    assert_eq!(dashboard().await, 200);
    for _ in 0..3 {
        // 29 minutes unused, then used: it lives on, for 30 more.
        sql(
            &app,
            "UPDATE admin_sessions SET last_seen_at = now() - interval '29 minutes'",
        )
        .await;
        assert_eq!(dashboard().await, 200);
        assert_eq!(
            count(
                &app.pool,
                "SELECT count(*) AS count FROM admin_sessions WHERE last_seen_at > now() - interval '1 minute'"
            )
            .await,
            1,
            "the use restarted the idle time"
        );
    }
    sql(
        &app,
        "UPDATE admin_sessions SET last_seen_at = now() - interval '31 minutes'",
    )
    .await;
    let answer = client_from(Ipv4Addr::LOCALHOST)
        .get(app.url("/admin"))
        .header(COOKIE, &cookies)
        .send()
        .await
        .unwrap();
    assert_eq!(
        answer.status(),
        StatusCode::SEE_OTHER,
        "sent to the login form"
    );
    assert_eq!(answer.headers()["location"], "/admin/login");
    assert_eq!(dashboard().await, StatusCode::SEE_OTHER, "and stays ended");
    assert_eq!(
        count(
            &app.pool,
            "SELECT count(*) AS count FROM admin_sessions WHERE last_seen_at < now() - interval '30 minutes'"
        )
        .await,
        1,
        "a refused use does not restart the idle time"
    );
}

/// A page view reads its session and token; it writes them again only when
/// their last use is a minute old, so organisers clicking through the back
/// office (or sharing one token) commit nothing per request. The row's
/// `xmin` (the transaction that last wrote it) shows every write.
#[tokio::test]
async fn sessions_and_tokens_are_written_at_most_once_a_minute_however_often_they_are_used() {
    let app = TestApp::spawn().await;
    create_event(&app.pool, EventSpec::default()).await;
    let cookies = sign_in(&app, "csrf", "rencontre_session").await;
    let token = app.organiser_token("viewer").await;
    let written = async |table: &str| {
        count(
            &app.pool,
            &format!("SELECT sum(xmin::text::bigint)::bigint AS count FROM {table}"),
        )
        .await
    };
    let use_both = async || {
        let page = client_from(Ipv4Addr::LOCALHOST)
            .get(app.url("/admin"))
            .header(COOKIE, &cookies)
            .send()
            .await
            .unwrap();
        assert_eq!(page.status(), 200);
        let api = app
            .client
            .get(app.url("/api/v1/events/lima-1997/registrations"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        assert_eq!(api.status(), 200);
    };
    use_both().await;
    let (session, tokens) = (written("admin_sessions").await, written("api_tokens").await);
    for _ in 0..5 {
        use_both().await;
    }
    assert_eq!(
        written("admin_sessions").await,
        session,
        "a session rewritten within the minute"
    );
    assert_eq!(
        written("api_tokens").await,
        tokens,
        "a token rewritten within the minute"
    );

    // A minute on, the next use records itself.
    sql(
        &app,
        "UPDATE admin_sessions SET last_seen_at = now() - interval '2 minutes'",
    )
    .await;
    sql(
        &app,
        "UPDATE api_tokens SET last_used_at = now() - interval '2 minutes'",
    )
    .await;
    use_both().await;
    for table in [
        "admin_sessions WHERE last_seen_at",
        "api_tokens WHERE last_used_at",
    ] {
        assert_eq!(
            count(
                &app.pool,
                &format!("SELECT count(*) AS count FROM {table} > now() - interval '1 minute'")
            )
            .await,
            1,
            "{table}"
        );
    }
}

#[tokio::test]
async fn under_https_the_session_and_csrf_cookies_carry_the_host_prefix() {
    let app = TestApp::spawn_with(|settings| {
        settings.http.public_url = "https://inscription.example.org".into();
    })
    .await;
    create_event(&app.pool, EventSpec::default()).await;
    let form = client_from(Ipv4Addr::LOCALHOST)
        .get(app.url("/admin/login"))
        .send()
        .await
        .unwrap();
    let csrf = set_cookie(&form, "__Host-csrf").expect("a __Host- CSRF cookie");
    let session_cookies = sign_in(&app, "__Host-csrf", "__Host-rencontre_session").await;
    for attribute in ["Secure", "Path=/"] {
        assert!(csrf.split("; ").any(|a| a == attribute), "{csrf}");
    }
    assert!(!csrf.contains("Domain="), "{csrf}");
    let dashboard = async |cookies: &str| {
        client_from(Ipv4Addr::LOCALHOST)
            .get(app.url("/admin"))
            .header(COOKIE, cookies)
            .send()
            .await
            .unwrap()
            .status()
    };
    assert_eq!(dashboard(&session_cookies).await, 200);
    // A cookie without the prefix (one a neighbouring subdomain could set)
    // is not read.
    let unprefixed = session_cookies.replace("__Host-", "");
    assert_eq!(dashboard(&unprefixed).await, StatusCode::SEE_OTHER);
}

/// The case: a replay answered anyone sending the same key and
/// body, for ever, and the record kept the private link in plain text.
#[tokio::test]
async fn an_idempotency_key_answers_only_its_own_client_for_a_day_and_keeps_no_token_in_clear() {
    let app = TestApp::spawn().await;
    create_event(&app.pool, EventSpec::default()).await;
    let body = delegate(1, "SN");
    let post = async |from: Ipv4Addr, key: &str| {
        let answer = client_from(from)
            .post(app.url("/api/v1/events/lima-1997/registrations"))
            .header("Idempotency-Key", key)
            .json(&body)
            .send()
            .await
            .unwrap();
        let status = answer.status();
        (status, answer.json::<Value>().await.unwrap())
    };
    let client = Ipv4Addr::new(127, 0, 0, 21);
    let other = Ipv4Addr::new(127, 0, 0, 22);
    let key = "5d1c0a0e-8f3b-4c1e-9a57-3f0b8e2c4d11";
    let (status, first) = post(client, key).await;
    assert_eq!(status, 201);
    let (status, again) = post(client, key).await;
    assert_eq!(
        (status, &again),
        (StatusCode::CREATED, &first),
        "the same client's retry"
    );

    let (status, answer) = post(other, key).await;
    assert_eq!(
        status, 409,
        "another client's copy of the key replays nothing: {answer}"
    );
    assert_eq!(answer["error"], "duplicate");
    assert!(answer.get("manage_url").is_none());

    let token = first["manage_url"]
        .as_str()
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap();
    #[derive(diesel::QueryableByName)]
    struct Name {
        #[diesel(sql_type = diesel::sql_types::Text)]
        table_name: String,
    }
    let tables: Vec<Name> = {
        use diesel_async::RunQueryDsl;
        let mut conn = app.pool.get().await.unwrap();
        diesel::sql_query(
            "SELECT table_name::text AS table_name FROM information_schema.tables \
              WHERE table_schema = 'public' AND table_type = 'BASE TABLE'",
        )
        .load(&mut conn)
        .await
        .unwrap()
    };
    assert!(tables.iter().any(|t| t.table_name == "idempotency_keys"));
    let hex = hex::encode(token);
    for table in tables.iter().map(|t| t.table_name.as_str()) {
        // The outbox's bodies hold the link, because the email must.
        let text = if table == "email_outbox" {
            "(t.id, t.recipient, t.last_error)::text"
        } else {
            "t::text"
        };
        let found = count(
            &app.pool,
            &format!(
                "SELECT count(*) AS count FROM {table} t \
                  WHERE strpos({text}, '{token}') > 0 OR strpos({text}, '{hex}') > 0 \
                     OR strpos({text}, '{key}') > 0"
            ),
        )
        .await;
        assert_eq!(found, 0, "the private token or the key in clear in {table}");
    }

    sql(
        &app,
        "UPDATE idempotency_keys SET created_at = now() - interval '25 hours'",
    )
    .await;
    let (status, answer) = post(client, key).await;
    assert_eq!(
        status, 409,
        "a day later the key is a new request: {answer}"
    );
    assert_eq!(
        count(&app.pool, "SELECT count(*) AS count FROM idempotency_keys").await,
        1
    );
    let worker = app.start_worker(&app.mail_settings(crate::smtp::free_port()));
    for _ in 0..50 {
        if count(&app.pool, "SELECT count(*) AS count FROM idempotency_keys").await == 0 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(
        count(&app.pool, "SELECT count(*) AS count FROM idempotency_keys").await,
        0,
        "the worker purges records past their day"
    );
    worker.stop().await;
}
