//! The back office through HTTP, as a browser with JavaScript off uses it:
//! a login, forms posted with the session's CSRF token, redirects looked at
//! one by one, and the database checked after each change.

use std::collections::BTreeSet;
use std::net::{IpAddr, Ipv4Addr};

use reqwest::StatusCode;
use reqwest::header::{CONTENT_TYPE, HeaderMap, LOCATION};
use serde_json::{Value, json};

use rencontre::domain::secret;

use crate::roles::{Expect, Need, Who, expected, two_events_and_a_role_each};
use crate::support::{
    EventSpec, TestApp, assert_invariants_hold, count, create_event, delegate, manifest_dir,
};

const PASSWORD: &str = "correct horse battery staple";

/// An organiser who logs in with `PASSWORD`; their email address.
/// `admin` is the platform admin; any other role is held on every event
/// that exists now (create the events first).
async fn organiser(app: &TestApp, role: &str, name: &str) -> String {
    let hash = secret::hash_password(PASSWORD).expect("hash");
    app.organiser_with_role(role, name, Some(&hash)).await.email
}

pub(crate) struct Answer {
    pub(crate) status: StatusCode,
    headers: HeaderMap,
    /// The session cookie the answer sets, if any.
    session: Option<SessionCookie>,
    pub(crate) body: String,
}

#[derive(Debug)]
struct SessionCookie {
    value: String,
    http_only: bool,
    same_site_lax: bool,
    path: Option<String>,
    secure: bool,
}

impl Answer {
    pub(crate) fn location(&self) -> &str {
        self.headers
            .get(LOCATION)
            .and_then(|value| value.to_str().ok())
            .unwrap_or_default()
    }

    /// The value of the first hidden `name` field of the page.
    pub(crate) fn hidden(&self, name: &str) -> String {
        let marker = format!("name=\"{name}\" value=\"");
        let (_, rest) = self
            .body
            .split_once(&marker)
            .unwrap_or_else(|| panic!("no {name} field in:\n{}", self.body));
        rest.split('"').next().unwrap_or_default().to_owned()
    }

    /// The text of each cell of the table row with this id.
    pub(crate) fn row(&self, id: &str) -> Vec<String> {
        let (_, rest) = self
            .body
            .split_once(&format!("<tr id=\"{id}\">"))
            .unwrap_or_else(|| panic!("no row {id} in:\n{}", self.body));
        let row = rest.split("</tr>").next().unwrap_or_default();
        row.split("</t")
            .filter_map(|cell| {
                cell.rsplit_once('>')
                    .map(|(_, text)| text.trim().to_owned())
            })
            .filter(|text| !text.is_empty())
            .collect()
    }

    pub(crate) fn assert_contains(&self, text: &str) {
        assert!(
            self.body.contains(text),
            "{text:?} not in the page ({}):\n{}",
            self.status,
            self.body
        );
    }
}

/// A browser of its own: its cookies, and the address it connects from
/// (any of 127.0.0.0/8 reaches the app on 127.0.0.1).
pub(crate) struct Browser<'a> {
    app: &'a TestApp,
    pub(crate) client: reqwest::Client,
}

impl<'a> Browser<'a> {
    fn new(app: &'a TestApp) -> Browser<'a> {
        Self::from_address(app, Ipv4Addr::LOCALHOST)
    }

    fn from_address(app: &'a TestApp, address: Ipv4Addr) -> Browser<'a> {
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .cookie_store(true)
            .local_address(IpAddr::V4(address))
            .build()
            .expect("client");
        Browser { app, client }
    }

    pub(crate) async fn send(&self, request: reqwest::RequestBuilder) -> Answer {
        let response = request.send().await.expect("request");
        let session = response
            .cookies()
            .find(|cookie| cookie.name() == "rencontre_session")
            .map(|cookie| SessionCookie {
                value: cookie.value().to_owned(),
                http_only: cookie.http_only(),
                same_site_lax: cookie.same_site_lax(),
                path: cookie.path().map(str::to_owned),
                secure: cookie.secure(),
            });
        Answer {
            status: response.status(),
            headers: response.headers().clone(),
            session,
            body: response.text().await.expect("body"),
        }
    }

    pub(crate) async fn get(&self, path: &str) -> Answer {
        self.send(self.client.get(self.app.url(path))).await
    }

    pub(crate) async fn post(&self, path: &str, fields: &[(&str, &str)]) -> Answer {
        self.send(self.client.post(self.app.url(path)).form(fields))
            .await
    }

    async fn login(&self, email: &str, password: &str) -> Answer {
        let form = self.get("/admin/login").await;
        assert_eq!(form.status, 200);
        let csrf = form.hidden("csrf_token");
        self.post(
            "/admin/login",
            &[
                ("csrf_token", &csrf),
                ("email", email),
                ("password", password),
            ],
        )
        .await
    }

    /// Logs in and returns the session's CSRF token, as its pages carry it.
    async fn signed_in(&self, email: &str) -> String {
        let login = self.login(email, PASSWORD).await;
        assert_eq!(login.status, 303, "{}", login.body);
        self.get("/admin").await.hidden("csrf_token")
    }
}

/// A browser signed in as a new organiser with this role, and the CSRF
/// token of its session.
pub(crate) async fn signed_in<'a>(
    app: &'a TestApp,
    role: &str,
    name: &str,
) -> (Browser<'a>, String) {
    let browser = Browser::new(app);
    let csrf = browser.signed_in(&organiser(app, role, name).await).await;
    (browser, csrf)
}

/// The routes of `src/web/admin/mod.rs` as (method, path, handler), read
/// from the source so that a new route is checked the day it is added.
fn admin_routes() -> Vec<(String, String, String)> {
    let source =
        std::fs::read_to_string(manifest_dir().join("src/web/admin/mod.rs")).expect("routes");
    let flat: String = source.split_whitespace().collect::<Vec<_>>().join(" ");
    flat.split(".route(")
        .skip(1)
        .filter_map(|call| {
            let path = call.trim_start().strip_prefix('"')?.split('"').next()?;
            let method = call.split("web::").nth(1)?.split("()").next()?;
            let handler = call.split(".to(").nth(1)?.split(')').next()?;
            Some((
                method.to_owned(),
                format!("/admin{path}"),
                handler.to_owned(),
            ))
        })
        .collect()
}

/// Handlers that anyone may reach: the login form and the stylesheet.
const PUBLIC_HANDLERS: &[&str] = &["login::show", "login::submit", "stylesheet"];

fn concrete(path: &str, slug: &str, id: &str) -> String {
    path.replace("{slug}", slug)
        .replace("/questions/{code}", "/questions/accessibility")
        .replace("/categories/{code}", "/categories/press")
        .replace("{code}", "A1")
        .replace("{id}", id)
        .replace("{action}", "cancel")
        .replace("{kind}", "confirmation")
        .replace("{language}", "fr")
}

#[tokio::test]
async fn every_back_office_route_sends_anonymous_visitors_to_the_login_form() {
    let app = TestApp::spawn().await;
    let event = create_event(&app.pool, EventSpec::default()).await;
    let routes = admin_routes();
    assert!(routes.len() >= 22, "the route table was read: {routes:?}");
    let browser = Browser::new(&app);
    let token = app.organiser_token("admin").await;
    let nil = uuid::Uuid::nil().to_string();
    for (method, path, handler) in &routes {
        if PUBLIC_HANDLERS.contains(&handler.as_str()) {
            continue;
        }
        let path = concrete(path, &event.slug, &nil);
        let answer = match method.as_str() {
            "get" => browser.get(&path).await,
            "post" => browser.post(&path, &[("csrf_token", "x")]).await,
            other => panic!("unexpected method {other}"),
        };
        assert_eq!(answer.status, 303, "{method} {path}");
        assert_eq!(answer.location(), "/admin/login", "{method} {path}");
        if method == "get" {
            // An API token is for programs; it does not open the pages.
            let with_token = browser
                .send(browser.client.get(app.url(&path)).bearer_auth(&token))
                .await;
            assert_eq!(with_token.status, 303, "GET {path} with a token");
        }
    }
    let public = browser.get("/admin/login").await;
    assert_eq!(public.status, 200);
    assert_eq!(browser.get("/admin/admin.css").await.status, 200);
    assert_eq!(
        count(&app.pool, "SELECT count(*) AS count FROM audit_log").await,
        0,
        "nothing was done"
    );
}

#[tokio::test]
async fn a_login_starts_a_new_session_each_time_and_logging_out_ends_it() {
    let app = TestApp::spawn().await;
    let email = organiser(&app, "organiser", "Aminata Traoré").await;
    let browser = Browser::new(&app);

    let first = browser.login(&email.to_uppercase(), PASSWORD).await;
    assert_eq!(first.status, 303, "{}", first.body);
    assert_eq!(first.location(), "/admin");
    let cookie = first.session.expect("a session");
    assert!(cookie.http_only && cookie.same_site_lax, "{cookie:?}");
    assert_eq!(cookie.path.as_deref(), Some("/"));
    assert!(!cookie.secure, "served over plain HTTP");
    let first_id = cookie.value;
    assert_eq!(first_id.len(), 64, "32 random bytes in hex");
    let stored = |id: &str| {
        format!(
            "SELECT count(*) AS count FROM admin_sessions WHERE id_hash = decode('{}', 'hex')",
            hex::encode(secret::sha256(id))
        )
    };
    assert_eq!(
        count(&app.pool, &stored(&first_id)).await,
        1,
        "only its hash is stored"
    );

    let home = browser.get("/admin").await;
    assert_eq!(home.status, 200);
    home.assert_contains("Aminata Traoré");

    // A second login, in a browser that holds a session already, gets a
    // new id: an id planted before login is worth nothing after it.
    let second = browser.login(&email, PASSWORD).await;
    let second_id = second.session.expect("a session").value;
    assert_ne!(first_id, second_id);
    assert_eq!(
        count(&app.pool, &stored(&first_id)).await,
        0,
        "the old one is gone"
    );
    let stranger = Browser::from_address(&app, Ipv4Addr::new(127, 0, 0, 2));
    let planted = stranger
        .send(
            stranger
                .client
                .get(app.url("/admin"))
                .header("Cookie", format!("rencontre_session={first_id}")),
        )
        .await;
    assert_eq!(planted.status, 303);

    let csrf = browser.get("/admin").await.hidden("csrf_token");
    let out = browser
        .post("/admin/logout", &[("csrf_token", &csrf)])
        .await;
    assert_eq!((out.status.as_u16(), out.location()), (303, "/admin/login"));
    assert_eq!(count(&app.pool, &stored(&second_id)).await, 0);
    assert_eq!(browser.get("/admin").await.status, 303);
}

#[tokio::test]
async fn wrong_passwords_get_one_message_and_lockouts_count_per_client_account_and_both() {
    let app = TestApp::spawn().await;
    let email = organiser(&app, "organiser", "Fatou").await;
    let other = organiser(&app, "organiser", "Nguyễn").await;
    let failed = "The email address or the password is not right.";

    let wrong = Browser::new(&app).login(&email, "not the password").await;
    assert_eq!(wrong.status, 422);
    wrong.assert_contains(failed);
    wrong.assert_contains(&format!("value=\"{email}\""));
    let unknown = Browser::new(&app)
        .login("nobody@example.org", "not the password")
        .await;
    assert_eq!(unknown.status, 422);
    unknown.assert_contains(failed);
    assert_eq!(
        count(
            &app.pool,
            "SELECT count(*) AS count FROM audit_log WHERE action = 'login.failed'
               AND detail->>'address' = '127.0.0.1'
               AND detail->>'email' IN ('nobody@example.org', (SELECT email FROM organisers WHERE name = 'Fatou'))"
        )
        .await,
        2
    );

    // One client: five failures at an account stop that client there,
    // even with the right password, but lock nobody else out.
    let guesser = Browser::from_address(&app, Ipv4Addr::new(127, 0, 0, 10));
    for _ in 0..5 {
        assert_eq!(guesser.login(&email, "guess").await.status, 422);
    }
    let blocked = guesser.login(&email, PASSWORD).await;
    assert_eq!(blocked.status, 429, "{}", blocked.body);
    let retry_after: u64 = blocked.headers["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=900).contains(&retry_after), "{retry_after}");
    assert!(blocked.session.is_none());
    assert_eq!(
        guesser.login(&other, PASSWORD).await.status,
        303,
        "the client's other accounts work"
    );
    let owner = Browser::from_address(&app, Ipv4Addr::new(127, 0, 0, 11));
    assert_eq!(
        owner.login(&email, PASSWORD).await.status,
        303,
        "one client cannot lock the organiser out"
    );

    // The account: 20 failures from many clients stop it for everyone
    // (6 so far; 5, 5 and 4 more from three others).
    for (host, guesses) in [(12, 5), (13, 5), (14, 4)] {
        let browser = Browser::from_address(&app, Ipv4Addr::new(127, 0, 0, host));
        for _ in 0..guesses {
            assert_eq!(browser.login(&email, "guess").await.status, 422);
        }
    }
    let elsewhere = Browser::from_address(&app, Ipv4Addr::new(127, 0, 0, 20));
    let blocked = elsewhere.login(&email, PASSWORD).await;
    assert_eq!(blocked.status, 429, "{}", blocked.body);
    assert!(blocked.headers.contains_key("retry-after"));
    assert_eq!(
        elsewhere.login(&other, PASSWORD).await.status,
        303,
        "other accounts work"
    );

    // The client: 20 failures at any accounts stop it, whatever a
    // forwarding header claims.
    let address = Browser::from_address(&app, Ipv4Addr::new(127, 0, 0, 30));
    for n in 0..20 {
        assert_eq!(
            address
                .login(&format!("guess{n}@example.org"), "guess")
                .await
                .status,
            422
        );
    }
    let form = address.get("/admin/login").await;
    let spoofed = address
        .send(
            address
                .client
                .post(app.url("/admin/login"))
                .header("X-Forwarded-For", "203.0.113.9")
                .form(&[
                    ("csrf_token", form.hidden("csrf_token").as_str()),
                    ("email", other.as_str()),
                    ("password", PASSWORD),
                ]),
        )
        .await;
    assert_eq!(spoofed.status, 429);
    assert!(spoofed.headers.contains_key("retry-after"));
}

#[tokio::test]
async fn a_login_form_without_its_csrf_token_is_refused() {
    let app = TestApp::spawn().await;
    let email = organiser(&app, "organiser", "Fatou").await;
    let browser = Browser::new(&app);
    browser.get("/admin/login").await;
    let refused = browser
        .post("/admin/login", &[("email", &email), ("password", PASSWORD)])
        .await;
    assert_eq!(refused.status, 403);
    assert!(refused.session.is_none());
}

/// Three delegates of Senegal in a meeting whose countries have two places
/// each: two confirmed (the second waits for a seat in A1), one waiting.
/// A category of Lima's that the form does not offer, written without an
/// audit row (set-up, not an organiser's change).
async fn invitation_only_category(app: &TestApp, code: &str) {
    use rencontre::db::{categories, events};
    let mut conn = app.pool.get().await.expect("connection");
    let event = events::find_by_slug(&mut conn, "lima-1997")
        .await
        .expect("event")
        .expect("lima-1997");
    let setup = categories::CategoryChanges {
        names: json!({"fr": "Presse"}),
        counts_in_quotas: false,
        capacity: Some(5),
        public: false,
        position: 0,
        needs_approval: false,
    };
    categories::insert(&mut conn, event.id, code, &setup)
        .await
        .expect("category");
}

async fn small_event(app: &TestApp) -> Vec<String> {
    create_event(
        &app.pool,
        EventSpec {
            capacity: Some(10),
            default_country_capacity: Some(2),
            sessions: vec![("A1", Some(1), 0, 9, 11), ("B1", Some(5), 0, 14, 16)],
            ..EventSpec::default()
        },
    )
    .await;
    let token = app.organiser_token("organiser").await;
    let question = app
        .client
        .post(app.url("/api/v1/events/lima-1997/question-presets"))
        .bearer_auth(&token)
        .json(&json!({"preset": "accessibility"}))
        .send()
        .await
        .expect("request");
    assert_eq!(question.status(), 201);
    // By invitation: the delegates below register without a category.
    invitation_only_category(app, "press").await;
    let mut ids = Vec::new();
    for (n, country) in [(1, "SN"), (2, "SN"), (3, "SN"), (4, "ML")] {
        let mut body = delegate(n, country);
        body["sessions"] = json!(["A1"]);
        let answer = app.register("lima-1997", &body).await;
        assert_eq!(answer.status(), 201);
        let registered: Value = answer.json().await.expect("json");
        ids.push(registered["id"].as_str().expect("id").to_owned());
    }
    ids
}

#[tokio::test]
async fn the_dashboard_shows_places_by_country_and_session_and_registrations_per_day() {
    let app = TestApp::spawn().await;
    small_event(&app).await;
    let (browser, _) = signed_in(&app, "viewer", "Fatou").await;
    let page = browser.get("/admin/events/lima-1997").await;
    assert_eq!(page.status, 200);
    // Label, capacity, confirmed, waiting, remaining, bar.
    assert_eq!(page.row("event")[1..5], ["10", "3", "1", "7"]);
    assert_eq!(page.row("country-SN")[1..5], ["2", "2", "1", "0"]);
    assert_eq!(page.row("country-ML")[1..5], ["2", "1", "0", "1"]);
    // A1 has one seat: the first delegate holds it; two confirmed
    // delegates and the waiting one wait for it.
    assert_eq!(page.row("session-A1")[1..5], ["1", "1", "3", "0"]);
    assert_eq!(page.row("session-B1")[1..5], ["5", "0", "0", "5"]);
    page.assert_contains(r#"<meter min="0" max="10" value="3">"#);
    page.assert_contains(r#"<td class="number">4</td><td><meter min="0" max="4" value="4">"#);
}

#[tokio::test]
async fn every_page_opens_for_organisers_and_viewers_may_read_but_change_nothing() {
    let app = TestApp::spawn().await;
    let ids = small_event(&app).await;
    let (organiser_browser, _) = signed_in(&app, "admin", "Fatou").await;
    let (viewer, viewer_csrf) = signed_in(&app, "viewer", "Nguyễn").await;
    let changes_only = [
        "events::new",
        "events::edit",
        "sessions::edit",
        "categories::edit",
        "questions::edit",
        "email_texts::list",
        "email_texts::edit",
    ];
    for (method, path, handler) in admin_routes() {
        let path = concrete(&path, "lima-1997", &ids[0]);
        if method == "get" {
            let page = organiser_browser.get(&path).await;
            assert_eq!(page.status, 200, "GET {path}: {}", page.body);
            let as_viewer = viewer.get(&path).await;
            let expected = if changes_only.contains(&handler.as_str()) {
                403
            } else {
                200
            };
            assert_eq!(as_viewer.status, expected, "a viewer GET {path}");
        } else if !["login::submit", "login::logout"].contains(&handler.as_str()) {
            let refused = viewer
                .post(&path, &[("csrf_token", &viewer_csrf), ("confirm", "yes")])
                .await;
            assert_eq!(refused.status, 403, "a viewer may not POST {path}");
            refused.assert_contains("You are not allowed to do this.");
        }
    }
    // Viewers export: the API's export takes the session cookie.
    let export = viewer
        .get("/api/v1/events/lima-1997/registrations.csv?status=waitlisted")
        .await;
    assert_eq!(export.status, 200);
    assert_eq!(
        export.body.lines().count(),
        2,
        "header and the waiting delegate"
    );
    assert_eq!(
        count(
            &app.pool,
            "SELECT count(*) AS count FROM audit_log WHERE action NOT LIKE 'login%'"
        )
        .await,
        1,
        "nothing was changed but the set-up's one question"
    );
}

#[tokio::test]
async fn a_form_without_the_sessions_csrf_token_is_refused_and_changes_nothing() {
    let app = TestApp::spawn().await;
    let ids = small_event(&app).await;
    let (browser, csrf) = signed_in(&app, "organiser", "Fatou").await;
    let cancel = format!("/admin/events/lima-1997/registrations/{}/cancel", ids[0]);
    for fields in [
        vec![("confirm", "yes")],
        vec![("confirm", "yes"), ("csrf_token", "")],
        vec![("confirm", "yes"), ("csrf_token", &csrf[1..])],
    ] {
        let refused = browser.post(&cancel, &fields).await;
        assert_eq!(refused.status, 403, "{fields:?}");
    }
    assert_eq!(
        count(
            &app.pool,
            "SELECT count(*) AS count FROM registrations WHERE status = 'cancelled'"
        )
        .await,
        0
    );
    assert_eq!(
        count(&app.pool, "SELECT count(*) AS count FROM email_outbox").await,
        4,
        "only the four registrations' emails"
    );
    let done = browser
        .post(&cancel, &[("confirm", "yes"), ("csrf_token", &csrf)])
        .await;
    assert_eq!(
        done.status, 303,
        "the same form with its token goes through"
    );
}

/// A multipart body as a browser sends a form with a file.
fn multipart(fields: &[(&str, Option<&str>, &str)]) -> (String, Vec<u8>) {
    let boundary = "----RencontreTestBoundary7MA4YWxk";
    let mut body = Vec::new();
    for (name, file_name, value) in fields {
        body.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
        let disposition = match file_name {
            Some(file) => format!(
                "Content-Disposition: form-data; name=\"{name}\"; filename=\"{file}\"\r\nContent-Type: text/csv\r\n"
            ),
            None => format!("Content-Disposition: form-data; name=\"{name}\"\r\n"),
        };
        body.extend_from_slice(disposition.as_bytes());
        body.extend_from_slice(format!("\r\n{value}\r\n").as_bytes());
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

#[tokio::test]
async fn a_quota_import_applies_every_line_or_none_and_promotes_waiting_delegates() {
    let app = TestApp::spawn().await;
    create_event(
        &app.pool,
        EventSpec {
            default_country_capacity: Some(1),
            ..EventSpec::default()
        },
    )
    .await;
    for (n, country) in [(1, "SN"), (2, "SN"), (3, "ML"), (4, "ML"), (5, "BR")] {
        assert_eq!(
            app.register("lima-1997", &delegate(n, country))
                .await
                .status(),
            201
        );
    }
    let (browser, csrf) = signed_in(&app, "organiser", "Fatou").await;
    let import = |fields: Vec<(&str, Option<&str>, &str)>| {
        let (content_type, body) = multipart(&fields);
        let request = browser
            .client
            .post(app.url("/admin/events/lima-1997/countries/import"))
            .header(CONTENT_TYPE, content_type)
            .body(body);
        browser.send(request)
    };
    let quotas = "SELECT count(*) AS count FROM country_quotas WHERE explicit";
    let confirmed = "SELECT count(*) AS count FROM registrations WHERE status = 'confirmed'";

    let bad = import(vec![
        ("csrf_token", None, &csrf),
        ("file", Some(""), ""),
        ("lines", None, "country,capacity\nSN,2\nXX,3\nML,1x\n"),
    ])
    .await;
    assert_eq!(bad.status, 422);
    bad.assert_contains("Line 3: XX is not a country code.");
    bad.assert_contains("Line 4: Enter a whole number");
    bad.assert_contains("ML,1x");
    let below = import(vec![
        ("csrf_token", None, &csrf),
        ("lines", None, "SN,3\nBR,0"),
    ])
    .await;
    assert_eq!(below.status, 422);
    below.assert_contains("Line 2: The capacity cannot be lower than the place already taken.");
    assert_eq!(count(&app.pool, quotas).await, 0, "nothing was applied");
    assert_eq!(count(&app.pool, confirmed).await, 3);

    let good = import(vec![
        ("csrf_token", None, &csrf),
        (
            "file",
            Some("quotas.csv"),
            "\u{feff}country;capacity\r\nSN;2\r\nML;2\r\nPE;5\r\n",
        ),
        ("lines", None, ""),
    ])
    .await;
    assert_eq!(good.status, 303, "{}", good.body);
    assert_eq!(
        good.location(),
        "/admin/events/lima-1997/countries?done=imported"
    );
    assert_eq!(count(&app.pool, quotas).await, 3);
    assert_eq!(
        count(
            &app.pool,
            "SELECT count(*) AS count FROM country_quotas
              WHERE (country_code, capacity) IN (('SN', 2), ('ML', 2), ('PE', 5))"
        )
        .await,
        3
    );
    assert_eq!(
        count(&app.pool, confirmed).await,
        5,
        "both waiting delegates got a place"
    );
    assert_eq!(
        count(
            &app.pool,
            "SELECT count(*) AS count FROM email_outbox WHERE kind = 'promoted'"
        )
        .await,
        2
    );
    assert_eq!(
        count(
            &app.pool,
            "SELECT count(*) AS count FROM audit_log WHERE action = 'country_quota.import'"
        )
        .await,
        1
    );
    assert_invariants_hold(&app.pool).await;
    let page = browser.get(good.location()).await;
    page.assert_contains("The country quotas have been imported.");
    assert_eq!(page.row("country-SN")[1..5], ["2", "2", "0", "0"]);
}

/// How many audit rows and emails of `kind` a registration has.
async fn trail(app: &TestApp, id: &str, action: &str, kind: &str) -> (i64, i64) {
    let audited = count(
        &app.pool,
        &format!(
            "SELECT count(*) AS count FROM audit_log
              WHERE registration_id = '{id}' AND action = '{action}' AND organiser_id IS NOT NULL"
        ),
    )
    .await;
    let emailed = count(
        &app.pool,
        &format!(
            "SELECT count(*) AS count FROM email_outbox
              WHERE registration_id = '{id}' AND kind = '{kind}'"
        ),
    )
    .await;
    (audited, emailed)
}

#[tokio::test]
async fn each_action_on_a_registration_writes_one_audit_row_and_its_email() {
    let app = TestApp::spawn().await;
    let ids = small_event(&app).await;
    let (browser, csrf) = signed_in(&app, "organiser", "Fatou Diop").await;
    let browser = &browser;
    let act = |id: &str, action: &str, extra: &[(&'static str, &'static str)]| {
        let mut fields = vec![("csrf_token", csrf.as_str())];
        fields.extend_from_slice(extra);
        let path = format!("/admin/events/lima-1997/registrations/{id}/{action}");
        async move { browser.post(&path, &fields).await }
    };
    let (first, waiting) = (&ids[0], &ids[2]);

    // Without a reason, nothing is given; Senegal's quota of 2 is full:
    // no place to give out of turn.
    let unexplained = act(waiting, "promote", &[("why", "  ")]).await;
    assert_eq!(unexplained.status, 422);
    unexplained.assert_contains("Say why this delegate gets a place ahead of the waiting list.");
    let why = ("why", "Speaks at the opening plenary");
    let refused = act(waiting, "promote", &[why]).await;
    assert_eq!(refused.status, 422);
    refused.assert_contains("The quota of this delegate&#39;s country is full");
    assert_eq!(
        trail(&app, waiting, "registration.promote", "promoted").await,
        (0, 0)
    );

    // A place that the use cases would never leave free (Senegal's row
    // edited by hand): it goes to this delegate, ahead of any queue.
    sql(
        &app,
        "UPDATE country_quotas SET capacity = 3 WHERE country_code = 'SN'",
    )
    .await;
    let promoted = act(waiting, "promote", &[why]).await;
    assert_eq!(promoted.status, 303, "{}", promoted.body);
    let said = count(
        &app.pool,
        "SELECT count(*) AS count FROM audit_log WHERE action = 'registration.promote'
            AND detail->>'why' = 'Speaks at the opening plenary'",
    )
    .await;
    assert_eq!(said, 1, "the audit row says why");
    assert!(promoted.location().ends_with("?done=promoted"));
    assert_eq!(
        trail(&app, waiting, "registration.promote", "promoted").await,
        (1, 1)
    );
    assert_eq!(status_of(&app, waiting).await, 1, "confirmed");

    let changed = act(first, "sessions", &[("sessions", "B1")]).await;
    assert_eq!(changed.status, 303, "{}", changed.body);
    assert_eq!(
        trail(&app, first, "registration.sessions", "sessions_changed").await,
        (1, 1)
    );
    let overlapping = act(first, "sessions", &[("sessions", "Z9")]).await;
    assert_eq!(overlapping.status, 422);
    overlapping.assert_contains("This meeting has no session Z9.");

    let resent = act(first, "resend", &[]).await;
    assert_eq!(resent.status, 303);
    assert_eq!(trail(&app, first, "email.resend", "resend").await, (1, 1));

    let unconfirmed = act(first, "cancel", &[]).await;
    assert_eq!(unconfirmed.status, 422);
    unconfirmed.assert_contains("Tick the confirmation box");
    let cancelled = act(first, "cancel", &[("confirm", "yes")]).await;
    assert_eq!(cancelled.status, 303);
    assert_eq!(
        trail(&app, first, "registration.cancel", "cancelled").await,
        (1, 1)
    );
    let again = act(first, "cancel", &[("confirm", "yes")]).await;
    assert_eq!(again.status, 409);
    assert_eq!(
        trail(&app, first, "registration.cancel", "cancelled").await,
        (1, 1)
    );
    assert_invariants_hold(&app.pool).await;

    let page = browser
        .get(&format!(
            "/admin/events/lima-1997/registrations/{first}?done=cancelled"
        ))
        .await;
    for text in [
        "The registration has been cancelled",
        "Sessions changed",
        "Email sent again",
        "Registration cancelled",
        "Fatou Diop",
        "Cancellation",
    ] {
        page.assert_contains(text);
    }
}

/// The back office reads ticked sessions as the API and the delegate's
/// page do: a box sent twice is one choice, and more than 50 are refused
/// before anything is written.
#[tokio::test]
async fn the_back_office_change_of_sessions_drops_repeats_and_caps_them_at_fifty() {
    let app = TestApp::spawn().await;
    let ids = small_event(&app).await;
    let (browser, csrf) = signed_in(&app, "organiser", "Fatou Diop").await;
    let first = &ids[0];
    let path = format!("/admin/events/lima-1997/registrations/{first}/sessions");
    let b1_taken = "SELECT taken::bigint AS count FROM sessions WHERE code = 'B1'";
    let b1_choices = "SELECT count(*) AS count FROM registration_sessions rs
          JOIN sessions s ON s.id = rs.session_id WHERE s.code = 'B1'";

    let twice = browser
        .post(
            &path,
            &[
                ("csrf_token", &csrf),
                ("sessions", "B1"),
                ("sessions", "b1"),
            ],
        )
        .await;
    assert_eq!(twice.status, 303, "{}", twice.body);
    assert_eq!(count(&app.pool, b1_choices).await, 1);
    assert_eq!(count(&app.pool, b1_taken).await, 1);

    let mut too_many = vec![("csrf_token", csrf.as_str())];
    too_many.extend(std::iter::repeat_n(("sessions", "A1"), 51));
    let refused = browser.post(&path, &too_many).await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    refused.assert_contains("Choose at most 50 sessions.");
    assert_eq!(count(&app.pool, b1_choices).await, 1, "nothing changed");
    assert_eq!(
        trail(&app, first, "registration.sessions", "sessions_changed").await,
        (1, 1)
    );
    assert_invariants_hold(&app.pool).await;
}

async fn sql(app: &TestApp, statement: &str) {
    use diesel_async::RunQueryDsl;
    let mut conn = app.pool.get().await.expect("connection");
    diesel::sql_query(statement)
        .execute(&mut conn)
        .await
        .expect(statement);
}

async fn status_of(app: &TestApp, id: &str) -> i64 {
    count(
        &app.pool,
        &format!(
            "SELECT count(*) AS count FROM registrations WHERE id = '{id}' AND status = 'confirmed'"
        ),
    )
    .await
}

#[tokio::test]
async fn names_are_escaped_on_the_list_and_the_registration_page() {
    let app = TestApp::spawn().await;
    create_event(&app.pool, EventSpec::default()).await;
    let mut body = delegate(1, "SN");
    body["given_name"] = json!("<script>alert(1)</script>");
    body["organisation"] = json!("\"><img src=x onerror=alert(2)>");
    let registered: Value = app
        .register("lima-1997", &body)
        .await
        .json()
        .await
        .expect("json");
    let (browser, _) = signed_in(&app, "viewer", "Fatou").await;
    let id = registered["id"].as_str().expect("id");
    for path in [
        "/admin/events/lima-1997/registrations".to_owned(),
        "/admin/events/lima-1997/registrations?q=script".to_owned(),
        format!("/admin/events/lima-1997/registrations/{id}"),
    ] {
        let page = browser.get(&path).await;
        assert_eq!(page.status, 200);
        assert!(!page.body.contains("<script>"), "{path}");
        assert!(!page.body.contains("<img"), "{path}");
        page.assert_contains("&#60;script&#62;alert(1)&#60;/script&#62;");
        page.assert_contains("&#34;&#62;&#60;img src=x onerror=alert(2)&#62;");
    }
}

#[tokio::test]
async fn registrations_are_searched_filtered_sorted_and_paged() {
    let app = TestApp::spawn().await;
    small_event(&app).await;
    let (browser, _) = signed_in(&app, "viewer", "Fatou").await;
    let browser = &browser;
    let list = |query: &str| {
        let path = format!("/admin/events/lima-1997/registrations{query}");
        async move { browser.get(&path).await }
    };
    let all = list("").await;
    all.assert_contains("4 registrations");
    let waiting = list("?status=waitlisted").await;
    waiting.assert_contains("One registration");
    waiting.assert_contains("on the waiting list (position 1)");
    list("?country=ML")
        .await
        .assert_contains("One registration");
    list("?q=delegate3%40example")
        .await
        .assert_contains("One registration");
    // As organisers type names they heard: no accents, any case.
    list("?q=traore").await.assert_contains("4 registrations");
    list("?q=DELEGUE").await.assert_contains("4 registrations");
    list("?q=traore&country=ml")
        .await
        .assert_contains("One registration");
    list("?session=A1").await.assert_contains("4 registrations");
    let sorted = list("?sort=-name&per_page=2&page=2").await;
    sorted.assert_contains("2 on this page");
    sorted.assert_contains("aria-sort=\"descending\"");
    // A page typed by its number links to its neighbours by cursor; the
    // first page has no page before it.
    let (_, previous, next) = listed(&sorted);
    let previous = previous.expect("a page before");
    assert!(
        previous.contains("sort=-name&per_page=2&before="),
        "{previous}"
    );
    assert_eq!(next, None);
    let (_, before_first, _) = listed(&browser.get(&previous).await);
    assert_eq!(before_first, None);
    // The export links carry the filters.
    list("?status=waitlisted&country=SN").await.assert_contains(
        "/api/v1/events/lima-1997/registrations.csv?status=waitlisted&#38;country=SN",
    );
    assert_eq!(list("?status=lost").await.status, 422);
}

#[tokio::test]
async fn events_and_sessions_are_set_up_by_the_api_rules_in_the_organisers_language() {
    let app = TestApp::spawn().await;
    let (browser, csrf) = signed_in(&app, "admin", "Fatou").await;
    let event_form = |slug: &'static str, timezone: &'static str, ends_on: &'static str| {
        vec![
            ("csrf_token", csrf.clone()),
            ("slug", slug.to_owned()),
            ("name", "Rencontre de Genève".to_owned()),
            ("starts_on", "2027-06-10".to_owned()),
            ("ends_on", ends_on.to_owned()),
            ("timezone", timezone.to_owned()),
            ("languages", "fr".to_owned()),
            ("languages", "en".to_owned()),
            ("registration_opens_at", "2027-01-10T09:00".to_owned()),
            ("registration_closes_at", "2027-06-01T18:00".to_owned()),
            ("capacity", "300".to_owned()),
            ("default_country_capacity", "".to_owned()),
        ]
    };
    let post = |path: &'static str, fields: Vec<(&'static str, String)>| {
        let request = browser.client.post(app.url(path)).form(&fields);
        browser.send(request)
    };
    browser.get("/admin?lang=fr").await;
    let refused = post(
        "/admin/events",
        event_form("geneve-2027", "Mars/Olympus", "2027-06-01"),
    )
    .await;
    assert_eq!(refused.status, 422);
    refused.assert_contains("<html lang=\"fr\">");
    refused.assert_contains("Indiquez un nom de fuseau horaire comme Africa/Dakar.");
    refused.assert_contains("Indiquez le dernier jour, le même que le premier ou après.");
    refused.assert_contains("value=\"Rencontre de Genève\"");
    assert_eq!(
        count(&app.pool, "SELECT count(*) AS count FROM events").await,
        0
    );

    let created = post(
        "/admin/events",
        event_form("geneve-2027", "Europe/Zurich", "2027-06-12"),
    )
    .await;
    assert_eq!(created.status, 303, "{}", created.body);
    assert_eq!(created.location(), "/admin/events/geneve-2027");
    assert_eq!(
        count(
            &app.pool,
            "SELECT count(*) AS count FROM events WHERE slug = 'geneve-2027'
               AND registration_opens_at = '2027-01-10T08:00:00Z' AND capacity = 300
               AND reference_prefix = 'GEN' AND languages = '{fr,en}'"
        )
        .await,
        1,
        "times are read in the meeting's zone"
    );
    let taken = post(
        "/admin/events",
        event_form("geneve-2027", "Europe/Zurich", "2027-06-12"),
    )
    .await;
    assert_eq!(taken.status, 422);
    taken.assert_contains("Une autre rencontre a déjà cette adresse web.");

    let session = |code: &'static str, capacity: &'static str| {
        vec![
            ("csrf_token", csrf.clone()),
            ("code", code.to_owned()),
            ("title", "Économie solidaire".to_owned()),
            ("kind", "workshop".to_owned()),
            ("room", "B12".to_owned()),
            ("starts_at", "2027-06-10T14:00".to_owned()),
            ("ends_at", "2027-06-10T16:00".to_owned()),
            ("capacity", capacity.to_owned()),
        ]
    };
    let added = post("/admin/events/geneve-2027/sessions", session("a1", "1")).await;
    assert_eq!(added.status, 303, "{}", added.body);
    let twice = post("/admin/events/geneve-2027/sessions", session("A1", "1")).await;
    assert_eq!(twice.status, 422);
    twice.assert_contains("Cette rencontre a déjà une séance avec ce code.");

    let mut body = delegate(1, "SN");
    body["sessions"] = json!(["A1"]);
    body["language"] = json!("fr");
    sql(
        &app,
        "UPDATE events SET registration_opens_at = now() - interval '1 day'",
    )
    .await;
    assert_eq!(app.register("geneve-2027", &body).await.status(), 201);

    // The code of an existing session stays whatever the form says.
    let shrunk = post("/admin/events/geneve-2027/sessions/A1", session("Z9", "0")).await;
    assert_eq!(shrunk.status, 422);
    shrunk.assert_contains("La capacité ne peut pas être inférieure à la place déjà prise.");
    let delete = post(
        "/admin/events/geneve-2027/sessions/A1/delete",
        vec![("csrf_token", csrf.clone())],
    )
    .await;
    assert_eq!(delete.status, 409);
    delete
        .assert_contains("Cette séance ne peut pas être supprimée : 1 délégué·e l&#39;a choisie.");
    assert_eq!(
        count(&app.pool, "SELECT count(*) AS count FROM sessions").await,
        1
    );

    let mut smaller = event_form("ignored", "Europe/Zurich", "2027-06-12");
    for (name, value) in &mut smaller {
        if *name == "capacity" {
            *value = "0".to_owned();
        }
    }
    let below = post("/admin/events/geneve-2027/edit", smaller).await;
    assert_eq!(below.status, 422);
    below.assert_contains("La capacité ne peut pas être inférieure à la place déjà prise.");
    let edited = post(
        "/admin/events/geneve-2027/edit",
        event_form("ignored", "Europe/Zurich", "2027-06-13"),
    )
    .await;
    assert_eq!(edited.status, 303, "{}", edited.body);
    assert_eq!(
        count(
            &app.pool,
            "SELECT count(*) AS count FROM events WHERE slug = 'geneve-2027' AND ends_on = '2027-06-13'"
        )
        .await,
        1,
        "the slug stays"
    );
    assert_invariants_hold(&app.pool).await;
}

#[tokio::test]
async fn a_failed_email_is_put_back_in_the_queue_from_the_outbox_page() {
    let app = TestApp::spawn().await;
    let ids = small_event(&app).await;
    sql(
        &app,
        &format!(
            "UPDATE email_outbox SET status = 'failed', attempts = 12, last_error = 'smtp: connection refused'
              WHERE registration_id = '{}'",
            ids[0]
        ),
    )
    .await;
    let (browser, csrf) = signed_in(&app, "organiser", "Fatou").await;
    let page = browser.get("/admin/events/lima-1997/emails").await;
    page.assert_contains("smtp: connection refused");
    let (_, rest) = page.body.split_once("/emails/").expect("a retry button");
    let email_id = rest.split('/').next().expect("id");
    let retried = browser
        .post(
            &format!("/admin/events/lima-1997/emails/{email_id}/retry"),
            &[("csrf_token", &csrf)],
        )
        .await;
    assert_eq!(retried.status, 303);
    assert_eq!(
        count(
            &app.pool,
            &format!(
                "SELECT count(*) AS count FROM email_outbox
                  WHERE id = '{email_id}' AND status = 'pending' AND next_attempt_at <= now()"
            )
        )
        .await,
        1
    );
    assert_eq!(
        trail(&app, &ids[0], "email.retry", "confirmation").await,
        (1, 1)
    );
    let again = browser
        .post(
            &format!("/admin/events/lima-1997/emails/{email_id}/retry"),
            &[("csrf_token", &csrf)],
        )
        .await;
    assert_eq!(again.status, 404, "only a failed email is retried");
}

/// The back office's cookie may read the API (its export links) but never
/// change anything through it: API calls carry no CSRF token.
#[tokio::test]
async fn the_session_cookie_reads_the_api_but_cannot_change_anything_through_it() {
    let app = TestApp::spawn().await;
    let email = organiser(&app, "admin", "Awa").await;
    create_event(&app.pool, EventSpec::default()).await;
    let browser = Browser::new(&app);
    browser.signed_in(&email).await;
    let read = browser.get("/api/v1/events/lima-1997/registrations").await;
    assert_eq!(read.status, 200);
    let write = browser
        .send(
            browser
                .client
                .put(app.url("/api/v1/events/lima-1997/countries/SN"))
                .json(&serde_json::json!({"capacity": 1})),
        )
        .await;
    assert_eq!(write.status, 401);
    assert_eq!(
        count(&app.pool, "SELECT count(*) AS count FROM country_quotas").await,
        0
    );
}

/// The texts of an event and of its sessions, by language, as stored.
async fn stored_texts(app: &TestApp, sql: &str) -> Value {
    #[derive(diesel::QueryableByName)]
    struct Texts {
        #[diesel(sql_type = diesel::sql_types::Jsonb)]
        texts: Value,
    }
    use diesel_async::RunQueryDsl;
    let mut conn = app.pool.get().await.expect("connection");
    let rows: Vec<Texts> = diesel::sql_query(sql).load(&mut conn).await.expect(sql);
    rows.into_iter().next().expect("one row").texts
}

/// A public page in `lang`, read by a browser of its own.
async fn public_page(app: &TestApp, path: &str, lang: &str) -> Answer {
    Browser::new(app).get(&format!("{path}?lang={lang}")).await
}

/// The Porto Alegre meeting in French, English and Spanish, as the back
/// office's form sends it (French first: the boxes are sent in that order).
fn porto_alegre(csrf: &str) -> Vec<(&'static str, String)> {
    [
        ("csrf_token", csrf),
        ("slug", "porto-alegre-2001"),
        ("name", "Forum de Porto Alegre"),
        ("description", "Cinq jours d'ateliers."),
        ("names.en", "Porto Alegre Forum"),
        ("descriptions.en", "Five days of workshops."),
        ("starts_on", "2027-01-25"),
        ("ends_on", "2027-01-30"),
        ("timezone", "America/Sao_Paulo"),
        ("languages", "fr"),
        ("languages", "en"),
        ("languages", "es"),
        ("registration_opens_at", "2026-01-10T09:00"),
        ("registration_closes_at", "2027-01-20T18:00"),
        ("capacity", ""),
        ("default_country_capacity", ""),
    ]
    .into_iter()
    .map(|(name, value)| (name, value.to_owned()))
    .collect()
}

/// `fields` with `name` set to `value` (added when the form lacks it).
fn with(
    mut fields: Vec<(&'static str, String)>,
    name: &'static str,
    value: &str,
) -> Vec<(&'static str, String)> {
    match fields.iter_mut().find(|(key, _)| *key == name) {
        Some((_, old)) => *old = value.to_owned(),
        None => fields.push((name, value.to_owned())),
    }
    fields
}

impl Browser<'_> {
    async fn post_owned(&self, path: &str, fields: &[(&'static str, String)]) -> Answer {
        self.send(self.client.post(self.app.url(path)).form(fields))
            .await
    }
}

#[tokio::test]
async fn organisers_write_each_language_s_texts_and_an_empty_one_falls_back() {
    let app = TestApp::spawn().await;
    let (browser, csrf) = signed_in(&app, "admin", "Fatou").await;
    let created = browser
        .post_owned("/admin/events", &porto_alegre(&csrf))
        .await;
    assert_eq!(created.status, 303, "{}", created.body);

    // The form keeps French first and asks for the other two languages' texts.
    let form = browser.get("/admin/events/porto-alegre-2001/edit").await;
    let boxes: Vec<&str> = form
        .body
        .split("name=\"languages\" value=\"")
        .skip(1)
        .map(|rest| &rest[..2])
        .collect();
    assert_eq!(boxes, ["fr", "en", "es", "pt"]);
    form.assert_contains(
        r#"id="names.en" name="names.en" type="text" value="Porto Alegre Forum" lang="en">"#,
    );
    form.assert_contains(
        r#"id="descriptions.es" name="descriptions.es" rows="4" class="prose" lang="es">"#,
    );
    assert!(!form.body.contains("names.fr"), "French is the name itself");
    assert!(!form.body.contains("names.pt"), "Portuguese is not offered");

    let edit = porto_alegre(&csrf);
    let edit = with(edit, "names.es", "Foro de Porto Alegre");
    let edit = with(edit, "descriptions.es", "  Cinco días de talleres.  ");
    let edit = with(edit, "names.en", "");
    let saved = browser
        .post_owned("/admin/events/porto-alegre-2001/edit", &edit)
        .await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    assert_eq!(
        stored_texts(&app, "SELECT names AS texts FROM events").await,
        json!({"es": "Foro de Porto Alegre"}),
        "an emptied text is removed, not stored empty"
    );
    assert_eq!(
        stored_texts(&app, "SELECT descriptions AS texts FROM events").await,
        json!({"en": "Five days of workshops.", "es": "Cinco días de talleres."})
    );

    let session = [
        ("csrf_token", csrf.clone()),
        ("code", "A1".to_owned()),
        ("title", "Économie solidaire".to_owned()),
        (
            "description",
            "Un atelier pour les coopératives.".to_owned(),
        ),
        ("kind", "workshop".to_owned()),
        ("starts_at", "2027-01-26T14:00".to_owned()),
        ("ends_at", "2027-01-26T16:00".to_owned()),
        ("capacity", "30".to_owned()),
    ];
    let added = browser
        .post_owned("/admin/events/porto-alegre-2001/sessions", &session)
        .await;
    assert_eq!(added.status, 303, "{}", added.body);
    let session_form = browser
        .get("/admin/events/porto-alegre-2001/sessions/A1")
        .await;
    session_form
        .assert_contains(r#"id="titles.es" name="titles.es" type="text" value="" lang="es">"#);
    let session = with(session.to_vec(), "titles.es", "Economía solidaria");
    let session = with(
        session,
        "descriptions.es",
        "Un taller para las cooperativas.",
    );
    let session = with(session, "titles.en", "");
    let changed = browser
        .post_owned("/admin/events/porto-alegre-2001/sessions/A1", &session)
        .await;
    assert_eq!(changed.status, 303, "{}", changed.body);

    let spanish = public_page(&app, "/events/porto-alegre-2001", "es").await;
    spanish.assert_contains("<h1>Foro de Porto Alegre</h1>");
    spanish.assert_contains("Cinco días de talleres.");
    spanish.assert_contains("Economía solidaria");
    spanish.assert_contains("Un taller para las cooperativas.");
    let english = public_page(&app, "/events/porto-alegre-2001", "en").await;
    english.assert_contains("<h1>Forum de Porto Alegre</h1>");
    english.assert_contains("Five days of workshops.");
    english.assert_contains("Économie solidaire");
    english.assert_contains("Un atelier pour les coopératives.");
    let french = public_page(&app, "/events/porto-alegre-2001", "fr").await;
    french.assert_contains("<h1>Forum de Porto Alegre</h1>");
    french.assert_contains("Cinq jours d&#39;ateliers.");
}

#[tokio::test]
async fn a_text_in_a_language_the_event_lacks_or_too_long_is_refused_next_to_it() {
    let app = TestApp::spawn().await;
    let (browser, csrf) = signed_in(&app, "admin", "Fatou").await;
    browser.get("/admin?lang=fr").await;
    let created = browser
        .post_owned("/admin/events", &porto_alegre(&csrf))
        .await;
    assert_eq!(created.status, 303, "{}", created.body);
    let before = stored_texts(&app, "SELECT names AS texts FROM events").await;

    let edit = with(porto_alegre(&csrf), "names.pt", "Fórum de Porto Alegre");
    let edit = with(edit, "descriptions.es", &"x".repeat(4001));
    let refused = browser
        .post_owned("/admin/events/porto-alegre-2001/edit", &edit)
        .await;
    assert_eq!(refused.status, 422);
    refused.assert_contains(
        "<p id=\"names.pt-error\" class=\"error\">Cette langue n&#39;est pas une langue de la rencontre.",
    );
    refused.assert_contains(r#"value="Fórum de Porto Alegre" lang="pt" aria-invalid="true" aria-describedby="names.pt-error">"#);
    refused.assert_contains(
        "<p id=\"descriptions.es-error\" class=\"error\">Utilisez au plus 4000 caractères.</p>",
    );
    let name = with(porto_alegre(&csrf), "name", &"N".repeat(201));
    let too_long = browser
        .post_owned("/admin/events/porto-alegre-2001/edit", &name)
        .await;
    assert_eq!(too_long.status, 422);
    too_long.assert_contains(
        "<p id=\"name-error\" class=\"error\">Utilisez au plus 200 caractères.</p>",
    );
    assert_eq!(
        stored_texts(&app, "SELECT names AS texts FROM events").await,
        before
    );
    assert_eq!(
        count(
            &app.pool,
            "SELECT count(*) AS count FROM events WHERE name = 'Forum de Porto Alegre'
               AND descriptions = '{\"en\": \"Five days of workshops.\"}'"
        )
        .await,
        1,
        "nothing was written"
    );

    let session = [
        ("csrf_token", csrf.clone()),
        ("code", "A1".to_owned()),
        ("title", "Économie solidaire".to_owned()),
        ("titles.pt", "Economia solidária".to_owned()),
        ("titles.es", "E".repeat(201)),
        ("starts_at", "2027-01-26T14:00".to_owned()),
        ("ends_at", "2027-01-26T16:00".to_owned()),
    ];
    let refused = browser
        .post_owned("/admin/events/porto-alegre-2001/sessions", &session)
        .await;
    assert_eq!(refused.status, 422);
    refused.assert_contains("<p id=\"titles.pt-error\" class=\"error\">Cette langue n&#39;est pas");
    refused.assert_contains(
        "<p id=\"titles.es-error\" class=\"error\">Utilisez au plus 200 caractères.</p>",
    );
    assert_eq!(
        count(&app.pool, "SELECT count(*) AS count FROM sessions").await,
        0
    );
}

#[tokio::test]
async fn the_language_switcher_keeps_the_list_filters() {
    let app = TestApp::spawn().await;
    small_event(&app).await;
    let (browser, _) = signed_in(&app, "viewer", "Fatou").await;
    let list = browser
        .get("/admin/events/lima-1997/registrations?country=SN&status=waitlisted&lang=en")
        .await;
    list.assert_contains("One registration");
    let href = "/admin/events/lima-1997/registrations?country=SN&#38;status=waitlisted&#38;lang=fr";
    list.assert_contains(&format!(
        r#"<a href="{href}" hreflang="fr" lang="fr">Français</a>"#
    ));
    let french = browser.get(&href.replace("&#38;", "&")).await;
    assert_eq!(french.status, 200);
    french.assert_contains("<html lang=\"fr\">");
    french.assert_contains("1 inscription");
    // The switcher is a link: following it needs no form, and the choice
    // stays for the next page.
    let next = browser.get("/admin/events/lima-1997/registrations").await;
    next.assert_contains("<html lang=\"fr\">");
    next.assert_contains("4 inscriptions");
}

#[tokio::test]
async fn organisers_word_each_email_per_language_with_the_api_s_placeholders() {
    let app = TestApp::spawn().await;
    create_event(&app.pool, EventSpec::default()).await;
    let (browser, csrf) = signed_in(&app, "organiser", "Fatou").await;
    let texts = browser
        .get("/admin/events/lima-1997/email-texts?lang=fr")
        .await;
    assert_eq!(texts.status, 200);
    let link = "/admin/events/lima-1997/email-texts/confirmation/fr";
    texts.assert_contains(&format!(r#"<a href="{link}">texte par défaut</a>"#));

    let refused = browser
        .post(
            link,
            &[
                ("csrf_token", &csrf),
                ("subject", "Inscription {reference}"),
                ("body", "Bonjour {prenom}"),
            ],
        )
        .await;
    assert_eq!(refused.status, 422);
    refused.assert_contains(
        "<p id=\"body-error\" class=\"error\">{prenom} ne fait pas partie des variables connues.</p>",
    );
    refused.assert_contains(">Bonjour {prenom}</textarea>");
    assert_eq!(
        count(&app.pool, "SELECT count(*) AS count FROM email_texts").await,
        0
    );

    let saved = browser
        .post(
            link,
            &[
                ("csrf_token", &csrf),
                ("subject", "Inscription {reference}"),
                ("body", "Bonjour {given_name}, à bientôt à Lima."),
            ],
        )
        .await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    let texts = browser.get("/admin/events/lima-1997/email-texts").await;
    texts.assert_contains(&format!(r#"<a href="{link}">votre texte</a>"#));
    let mut french = delegate(1, "SN");
    french["language"] = json!("fr");
    assert_eq!(app.register("lima-1997", &french).await.status(), 201);
    assert_eq!(
        count(
            &app.pool,
            "SELECT count(*) AS count FROM email_outbox
              WHERE subject LIKE 'Inscription LIM-%' AND body_text LIKE 'Bonjour Délégué·e 1, à bientôt à Lima.%'"
        )
        .await,
        1,
        "the next French confirmation uses the wording"
    );
    // A language the meeting lacks has no wording to edit.
    assert_eq!(
        browser
            .get("/admin/events/lima-1997/email-texts/confirmation/de")
            .await
            .status,
        422
    );

    let reset = browser
        .post(&format!("{link}/reset"), &[("csrf_token", &csrf)])
        .await;
    assert_eq!(reset.status, 303);
    assert_eq!(
        count(&app.pool, "SELECT count(*) AS count FROM email_texts").await,
        0
    );
    assert_eq!(
        count(
            &app.pool,
            "SELECT count(*) AS count FROM audit_log WHERE action IN ('email_text.set', 'email_text.delete')"
        )
        .await,
        2
    );
}

/// Every back-office route and what it needs (`roles::Need`); a route of
/// `admin/mod.rs` missing here fails the matrix test.
const PAGE_NEEDS: &[(&str, Need)] = &[
    ("events::list", Need::Public),
    ("stylesheet", Need::Public),
    ("login::show", Need::Public),
    ("login::submit", Need::Public),
    ("login::logout", Need::Public),
    ("events::new", Need::Admin),
    ("events::create", Need::Admin),
    ("events::dashboard", Need::Attendees),
    ("events::edit", Need::Change),
    ("events::update", Need::Change),
    ("registrations::approve_selected", Need::Change),
    ("categories::list", Need::Read),
    ("categories::create", Need::Change),
    ("categories::edit", Need::Change),
    ("categories::update", Need::Change),
    ("categories::delete", Need::Change),
    ("sessions::list", Need::Read),
    ("sessions::create", Need::Change),
    ("sessions::edit", Need::Change),
    ("sessions::update", Need::Change),
    ("sessions::delete", Need::Change),
    ("questions::list", Need::Read),
    ("questions::create", Need::Change),
    ("questions::add_one_preset", Need::Change),
    ("questions::edit", Need::Change),
    ("questions::update", Need::Change),
    ("questions::delete", Need::Change),
    ("questions::summary", Need::Read),
    ("countries::list", Need::Read),
    ("countries::set_one", Need::Change),
    ("countries::import", Need::Change),
    ("registrations::list", Need::Attendees),
    ("registrations::show", Need::Attendees),
    ("registrations::act", Need::Change),
    ("emails::list", Need::Read),
    ("emails::retry", Need::Change),
    ("email_texts::list", Need::Change),
    ("email_texts::edit", Need::Change),
    ("email_texts::save", Need::Change),
    ("email_texts::reset", Need::Change),
];

#[tokio::test]
async fn every_back_office_page_answers_each_role_on_its_event_as_the_matrix_says() {
    let app = TestApp::spawn().await;
    let hash = secret::hash_password(PASSWORD).expect("hash");
    let (id, accounts) = two_events_and_a_role_each(&app, Some(&hash)).await;
    let mut browsers = Vec::new();
    for (who, account) in &accounts {
        let browser = Browser::new(&app);
        let csrf = browser.signed_in(&account.email).await;
        browsers.push((*who, browser, csrf));
    }
    let email_id: uuid::Uuid = {
        use diesel::prelude::*;
        use diesel_async::RunQueryDsl;
        use rencontre::db::schema::email_outbox;
        let mut conn = app.pool.get().await.unwrap();
        email_outbox::table
            .select(email_outbox::id)
            .first(&mut conn)
            .await
            .unwrap()
    };
    // The deletion of the event's question last: the pages after it would
    // find no question. Once an allowed role has deleted it, the next
    // allowed one finds nothing to delete (404).
    let mut routes = admin_routes();
    routes.sort_by_key(|(_, _, handler)| handler == "questions::delete");
    let mut question_deleted = false;
    let mut checked = 0;
    for (method, path, handler) in &routes {
        let need = PAGE_NEEDS
            .iter()
            .find(|(name, _)| name == handler)
            .map(|(_, need)| *need)
            .unwrap_or_else(|| panic!("{method} {path}: {handler} has no entry in PAGE_NEEDS"));
        if need == Need::Public {
            continue;
        }
        // An email's route names an email, the others a registration.
        let row = if handler.starts_with("emails::") {
            email_id.to_string()
        } else {
            id.clone()
        };
        // Event A's question is `diet` (roles::two_events_and_a_role_each).
        let path = concrete(path, "lima-1997", &row)
            .replace("/questions/accessibility", "/questions/diet");
        let mut order: Vec<_> = browsers.iter().collect();
        order.sort_by_key(|(who, _, _)| expected(*who, need) == Expect::Allowed);
        for (who, browser, csrf) in order {
            if handler == "emails::retry" {
                // Only a failed email is put back in the queue.
                let mut conn = app.db.connect().await;
                diesel_async::RunQueryDsl::execute(
                    diesel::sql_query("UPDATE email_outbox SET status = 'failed'"),
                    &mut conn,
                )
                .await
                .unwrap();
            }
            let answer = match method.as_str() {
                "get" => browser.get(&path).await,
                _ => browser.post(&path, &[("csrf_token", csrf)]).await,
            };
            match expected(*who, need) {
                Expect::Refused(status) => {
                    assert_eq!(
                        answer.status, status,
                        "{who:?} {method} {path}: {}",
                        answer.body
                    )
                }
                Expect::Allowed if question_deleted && handler == "questions::delete" => {
                    assert_eq!(answer.status, 404, "{who:?} {method} {path}")
                }
                Expect::Allowed => {
                    let refused = [401, 403, 404].contains(&answer.status.as_u16())
                        || (answer.status == 303 && answer.location() == "/admin/login");
                    assert!(
                        !refused,
                        "{who:?} may {method} {path}: {} {}",
                        answer.status, answer.body
                    );
                    question_deleted |= handler == "questions::delete" && answer.status == 303;
                }
            }
            checked += 1;
        }
    }
    assert!(checked >= 22 * 7, "every page × every role: {checked}");

    // The event list shows the events one may see, and only those.
    for (who, browser, _) in &browsers {
        let list = browser.get("/admin").await;
        assert_eq!(list.status, 200);
        let lima = list.body.contains("/admin/events/lima-1997\"");
        let dakar = list.body.contains("/admin/events/dakar-2005\"");
        let (sees_lima, sees_dakar) = match who {
            Who::Admin => (true, true),
            Who::Nobody => (false, false),
            Who::OrganiserOfAnother => (false, true),
            Who::Checkin | Who::Viewer | Who::Organiser | Who::Owner => (true, false),
        };
        assert_eq!(
            (lima, dakar),
            (sees_lima, sees_dakar),
            "{who:?}: {}",
            list.body
        );
        let new_event = list.body.contains("/admin/events/new");
        assert_eq!(
            new_event,
            *who == Who::Admin,
            "{who:?} is offered a new event"
        );
    }
}

/// The references a list page shows, in its order, and its links to the
/// pages before and after (`rel="prev"`, `rel="next"`).
fn listed(page: &Answer) -> (Vec<String>, Option<String>, Option<String>) {
    let references = page
        .body
        .split("<tr><td><a href=\"")
        .skip(1)
        .filter_map(|rest| rest.split_once("\">"))
        .filter_map(|(_, rest)| rest.split_once("</a>"))
        .map(|(reference, _)| reference.to_owned())
        .collect();
    let link = |rel: &str| {
        let marker = format!("\" rel=\"{rel}\"");
        page.body.split_once(&marker).map(|(before, _)| {
            let href = before.rsplit("href=\"").next().unwrap_or_default();
            href.replace("&#38;", "&")
        })
    };
    (references, link("prev"), link("next"))
}

#[tokio::test]
async fn back_office_pages_by_cursor_list_every_registration_once_and_lead_back_the_same_way() {
    let app = TestApp::spawn().await;
    create_event(&app.pool, EventSpec::default()).await;
    let families = ["Diop", "Ba", "Traoré", "Sow"];
    let mut before = Vec::new();
    for n in 0..23 {
        let mut body = delegate(n, "SN");
        body["family_name"] = json!(families[n % families.len()]);
        let registered: Value = app.register("lima-1997", &body).await.json().await.unwrap();
        before.push(registered["reference"].as_str().unwrap().to_owned());
    }
    let (browser, _) = signed_in(&app, "viewer", "Fatou").await;
    let mut newcomer = 100;
    for query in [
        "?per_page=5&sort=name",
        "?per_page=5",
        "?per_page=4&q=delegue&sort=-name",
    ] {
        let mut path = format!("/admin/events/lima-1997/registrations{query}");
        let mut seen = Vec::new();
        for hop in 0.. {
            let page = browser.get(&path).await;
            assert_eq!(page.status, 200, "{path}");
            let (references, previous, next) = listed(&page);
            assert_eq!(previous.is_some(), hop > 0, "{path}");
            assert!(
                previous
                    .iter()
                    .chain(&next)
                    .all(|link| !link.contains("?page=") && !link.contains("&page=")),
                "pages are linked by cursor: {previous:?} {next:?}"
            );
            seen.extend(references);
            // Newcomers sort before and after the page just read.
            for family in ["Aaron", "Zz"] {
                newcomer += 1;
                let mut body = delegate(newcomer, "ML");
                body["family_name"] = json!(family);
                assert_eq!(app.register("lima-1997", &body).await.status(), 201);
            }
            match next {
                Some(next) => path = next,
                None => break,
            }
            assert!(hop < 50, "{query}: the walk does not end");
        }
        let distinct: BTreeSet<&String> = seen.iter().collect();
        assert_eq!(
            distinct.len(),
            seen.len(),
            "{query}: listed twice: {seen:?}"
        );
        let missing: Vec<&String> = before.iter().filter(|r| !distinct.contains(r)).collect();
        assert!(missing.is_empty(), "{query}: never listed: {missing:?}");
    }

    // Unchanged between requests, "previous" from the last page leads back
    // through exactly the pages "next" went through.
    let first = "/admin/events/lima-1997/registrations?per_page=6&sort=name".to_owned();
    let mut forward = Vec::new();
    let mut path = first;
    loop {
        let (references, _, next) = listed(&browser.get(&path).await);
        forward.push(references);
        match next {
            Some(next) => path = next,
            None => break,
        }
    }
    assert!(forward.len() > 3, "{forward:?}");
    let mut backward = vec![listed(&browser.get(&path).await).0];
    loop {
        let (_, previous, _) = listed(&browser.get(&path).await);
        match previous {
            Some(previous) => {
                path = previous;
                backward.push(listed(&browser.get(&path).await).0);
            }
            None => break,
        }
    }
    backward.reverse();
    assert_eq!(backward, forward);
}

#[tokio::test]
async fn a_back_office_cursor_of_another_event_or_order_is_refused_in_the_organisers_language() {
    let app = TestApp::spawn().await;
    create_event(&app.pool, EventSpec::default()).await;
    create_event(
        &app.pool,
        EventSpec {
            slug: "quito-2004",
            ..EventSpec::default()
        },
    )
    .await;
    for n in 0..3 {
        app.register("lima-1997", &delegate(n, "SN")).await;
        app.register("quito-2004", &delegate(n, "SN")).await;
    }
    let (browser, _) = signed_in(&app, "admin", "Fatou").await;
    let page = browser
        .get("/admin/events/lima-1997/registrations?per_page=1&sort=name")
        .await;
    let next = listed(&page).2.expect("a next page");
    let cursor = next.split("after=").nth(1).expect("cursor").to_owned();
    let refused = [
        (
            format!("/admin/events/quito-2004/registrations?per_page=1&sort=name&after={cursor}"),
            "Ce curseur appartient à la liste d'une autre rencontre.",
        ),
        (
            format!("/admin/events/lima-1997/registrations?per_page=1&sort=country&after={cursor}"),
            "Ce curseur appartient à la liste dans un autre ordre.",
        ),
        (
            format!(
                "/admin/events/lima-1997/registrations?sort=name&after={cursor}&before={cursor}"
            ),
            "Donnez un curseur dans after ou dans before, pas les deux.",
        ),
    ];
    browser.get("/admin?lang=fr").await;
    for (path, says) in refused {
        let page = browser.get(&path).await;
        assert_eq!(page.status, 422, "{path}");
        page.assert_contains(&says.replace('\'', "&#39;"));
    }
    // The same cursor is good for its own list.
    assert_eq!(browser.get(&next).await.status, 200);
}

#[tokio::test]
async fn the_back_office_list_filters_by_an_answer_and_says_what_is_wrong_with_a_bad_one() {
    let app = TestApp::spawn().await;
    create_event(&app.pool, EventSpec::default()).await;
    let token = app.organiser_token("organiser").await;
    let diet = json!({"code": "diet", "type": "single_choice", "labels": {"fr": "Régime"},
        "choices": [{"code": "none", "labels": {"fr": "Aucun"}}, {"code": "veg", "labels": {"fr": "Végétarien"}}]});
    let created = app
        .client
        .post(app.url("/api/v1/events/lima-1997/questions"))
        .bearer_auth(&token)
        .json(&diet)
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), 201);
    for (n, choice) in ["veg", "none", "none"].iter().enumerate() {
        let mut body = delegate(n, "SN");
        body["answers"] = json!({ "diet": choice });
        assert_eq!(app.register("lima-1997", &body).await.status(), 201);
    }
    let (browser, _) = signed_in(&app, "viewer", "Fatou").await;
    let list = "/admin/events/lima-1997/registrations";
    let vegetarians = browser.get(&format!("{list}?answer.diet=veg")).await;
    assert_eq!(vegetarians.status, 200);
    vegetarians.assert_contains("One registration");
    // The export links keep the filter.
    vegetarians.assert_contains("registrations.csv?answer.diet=veg");
    browser
        .get(&format!("{list}?answer.diet=none&per_page=1"))
        .await
        .assert_contains("answer.diet=none&#38;per_page=1&#38;after=");
    let refused = browser
        .get(&format!("{list}?answer.diet=pizza&lang=es"))
        .await;
    assert_eq!(refused.status, 422);
    refused.assert_contains("<code>answer.diet</code>: Elija una de estas opciones: none, veg.");
}

#[tokio::test]
async fn organisers_set_categories_up_in_the_back_office_in_their_language() {
    let app = TestApp::spawn().await;
    create_event(
        &app.pool,
        EventSpec {
            default_country_capacity: Some(1),
            ..EventSpec::default()
        },
    )
    .await;
    let (browser, csrf) = signed_in(&app, "admin", "Fatou").await;
    browser.get("/admin?lang=fr").await;
    let category =
        |code: &'static str, name: &'static str, counts: bool, capacity: &'static str| {
            let mut fields = vec![
                ("csrf_token", csrf.clone()),
                ("code", code.to_owned()),
                ("names.es", name.to_owned()),
                ("names.fr", name.to_owned()),
                ("capacity", capacity.to_owned()),
                ("position", "".to_owned()),
                ("public", "yes".to_owned()),
            ];
            if counts {
                fields.push(("counts_in_quotas", "yes".to_owned()));
            }
            fields
        };
    let post = |path: &'static str, fields: Vec<(&'static str, String)>| {
        let request = browser.client.post(app.url(path)).form(&fields);
        browser.send(request)
    };
    let list = "/admin/events/lima-1997/categories";

    let refused = post(list, category("Presse", "", false, "-3")).await;
    assert_eq!(refused.status, 422);
    refused.assert_contains("Un code de catégorie est une lettre minuscule");
    refused.assert_contains("value=\"-3\"");
    assert_eq!(
        count(&app.pool, "SELECT count(*) AS count FROM categories").await,
        0
    );
    for (code, counts) in [("delegate", true), ("press", false)] {
        let added = post(list, category(code, "Presse", counts, "1")).await;
        assert_eq!(added.status, 303, "{}", added.body);
    }
    let twice = post(list, category("press", "Presse", false, "")).await;
    assert_eq!(twice.status, 422);
    twice.assert_contains("Cette rencontre a déjà une catégorie avec ce code.");

    // Two of Senegal's press and one delegate: the press's one place is
    // its own, outside the country's quota of one.
    let mut ids = Vec::new();
    for (n, category) in [(1, "delegate"), (2, "press"), (3, "press")] {
        let mut body = delegate(n, "SN");
        body["category"] = json!(category);
        let answer = app.register("lima-1997", &body).await;
        assert_eq!(answer.status(), 201);
        let answer: Value = answer.json().await.expect("json");
        ids.push(answer["id"].as_str().expect("id").to_owned());
    }
    let page = browser.get(list).await;
    assert_eq!(page.status, 200);
    page.assert_contains("Hors quotas");
    page.assert_contains(r#"<a href="/admin/events/lima-1997/categories/press">press</a>"#);

    // In use: out of the quotas for good, and not deleted.
    let edit = "/admin/events/lima-1997/categories/press";
    let mut change = category("press", "Presse", true, "1");
    change.retain(|(name, _)| *name != "code");
    let refused = post(edit, change).await;
    assert_eq!(refused.status, 422);
    refused.assert_contains("Des inscriptions utilisent déjà cette catégorie");
    let kept = browser
        .send(
            browser
                .client
                .post(app.url("/admin/events/lima-1997/categories/press/delete"))
                .form(&[("csrf_token", csrf.as_str())]),
        )
        .await;
    assert_eq!(kept.status, 409);
    // A second place for the press goes to the one waiting.
    let mut raised = category("press", "Prensa", false, "2");
    raised.retain(|(name, _)| *name != "code");
    let saved = post(edit, raised).await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    assert_eq!(
        count(
            &app.pool,
            "SELECT count(*) AS count FROM registrations WHERE status = 'confirmed'"
        )
        .await,
        3
    );
    // The press's two places are taken: the delegate cannot join it, and
    // the page says why in French.
    let page = browser
        .get(&format!("/admin/events/lima-1997/registrations/{}", ids[0]))
        .await;
    page.assert_contains(r#"<option value="press">Prensa</option>"#);
    let moved = browser
        .post(
            &format!("/admin/events/lima-1997/registrations/{}/category", ids[0]),
            &[("csrf_token", csrf.as_str()), ("category", "press")],
        )
        .await;
    assert_eq!(moved.status, 422);
    moved.assert_contains("La nouvelle catégorie n&#39;a pas de place libre");
    assert_invariants_hold(&app.pool).await;
}
