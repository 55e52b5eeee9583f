//! Roles per event: the API's authorization matrix over every route of the
//! route table, the hole of a viewer exporting another event, narrowed and
//! read-only tokens, `organiser grant | revoke` and `token list | revoke`,
//! and the migration of the old global roles. The back office's matrix is
//! in `admin.rs`, beside its browser.

use diesel_async::RunQueryDsl;
use reqwest::Method;
use serde_json::{Value, json};

use crate::organiser::api_routes;
use crate::support::{EventSpec, TestApp, TestDb, count, create_event, delegate, rencontre};
use rencontre::db::organisers::{self, TokenScope};
use rencontre::domain::EventRole;

#[derive(diesel::QueryableByName)]
struct Line {
    #[diesel(sql_type = diesel::sql_types::Text)]
    line: String,
}

/// Who asks, in the matrix of SECURITY.md.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Who {
    Nobody,
    Checkin,
    Viewer,
    Organiser,
    Owner,
    OrganiserOfAnother,
    Admin,
}

/// What a route needs, as SECURITY.md's matrix names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    /// Reaches anyone (no organiser route).
    Public,
    /// The attendee list and one registration.
    Attendees,
    /// The event's set-up, questions, outbox.
    Read,
    /// Attendee lists as files.
    Export,
    /// Any change.
    Change,
    /// Creating an event: the platform admin.
    Admin,
}

/// The answer the matrix gives: allowed (anything but 401, 403 and the
/// event's 404), or exactly this status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expect {
    Allowed,
    Refused(u16),
}

/// SECURITY.md's matrix, written out by hand.
pub fn expected(who: Who, need: Need) -> Expect {
    use Expect::{Allowed, Refused};
    let (attendees, read, export, change) = match who {
        Who::Admin => return Allowed,
        Who::Nobody | Who::OrganiserOfAnother => {
            return if need == Need::Admin {
                Refused(403)
            } else {
                Refused(404)
            };
        }
        Who::Checkin => (true, false, false, false),
        Who::Viewer => (true, true, true, false),
        Who::Organiser | Who::Owner => (true, true, true, true),
    };
    let allowed = match need {
        Need::Public => true,
        Need::Attendees => attendees,
        Need::Read => read,
        Need::Export => export,
        Need::Change => change,
        Need::Admin => false,
    };
    if allowed { Allowed } else { Refused(403) }
}

/// Every API route and what it needs; a route of the table missing here
/// fails the matrix test.
const API_NEEDS: &[(&str, &str, Need)] = &[
    ("post", "/events", Need::Admin),
    ("put", "/events/{slug}", Need::Change),
    ("put", "/events/{slug}/countries/{code}", Need::Change),
    ("post", "/events/{slug}/sessions", Need::Change),
    ("put", "/events/{slug}/sessions/{code}", Need::Change),
    ("get", "/events/{slug}/questions", Need::Read),
    ("post", "/events/{slug}/questions", Need::Change),
    ("get", "/events/{slug}/questions/{code}", Need::Read),
    ("put", "/events/{slug}/questions/{code}", Need::Change),
    ("delete", "/events/{slug}/questions/{code}", Need::Change),
    ("get", "/events/{slug}/questions/{code}/summary", Need::Read),
    ("get", "/events/{slug}/categories", Need::Read),
    ("post", "/events/{slug}/categories", Need::Change),
    ("get", "/events/{slug}/categories/{code}", Need::Read),
    ("put", "/events/{slug}/categories/{code}", Need::Change),
    ("delete", "/events/{slug}/categories/{code}", Need::Change),
    ("get", "/events/{slug}/question-presets", Need::Read),
    ("post", "/events/{slug}/question-presets", Need::Change),
    ("get", "/events/{slug}/files/{id}", Need::Export),
    ("get", "/events/{slug}/registrations", Need::Attendees),
    ("get", "/events/{slug}/registrations.csv", Need::Export),
    ("get", "/events/{slug}/registrations.xlsx", Need::Export),
    ("get", "/events/{slug}/emails", Need::Read),
    (
        "put",
        "/events/{slug}/email-texts/{kind}/{language}",
        Need::Change,
    ),
    (
        "delete",
        "/events/{slug}/email-texts/{kind}/{language}",
        Need::Change,
    ),
    (
        "post",
        "/events/{slug}/registrations/{id}/resend",
        Need::Change,
    ),
    (
        "post",
        "/events/{slug}/registrations/{id}/promote",
        Need::Change,
    ),
    (
        "post",
        "/events/{slug}/registrations/{id}/approve",
        Need::Change,
    ),
    (
        "post",
        "/events/{slug}/registrations/{id}/reject",
        Need::Change,
    ),
    ("post", "/events/{slug}/approvals", Need::Change),
    (
        "put",
        "/events/{slug}/registrations/{id}/category",
        Need::Change,
    ),
];

/// Event A (`lima-1997`, a session, a question, a registration) with an
/// account per role of the matrix, and event B (`dakar-2005`) which only
/// `OrganiserOfAnother` holds. Returns A's registration id and each
/// role's account.
pub async fn two_events_and_a_role_each(
    app: &TestApp,
    password_hash: Option<&str>,
) -> (String, Vec<(Who, organisers::Organiser)>) {
    create_event(
        &app.pool,
        EventSpec {
            sessions: vec![("A1", Some(5), 0, 9, 11)],
            ..EventSpec::default()
        },
    )
    .await;
    let admin = app.organiser_with_role("admin", "Awa", password_hash).await;
    let admin_token = app.token_for(admin.clone(), TokenScope::default()).await;
    let question = app
        .client
        .post(app.url("/api/v1/events/lima-1997/questions"))
        .bearer_auth(&admin_token)
        .json(&json!({"code": "diet", "type": "text", "labels": {"fr": "Régime"}, "stage": "registration"}))
        .send()
        .await
        .unwrap();
    assert_eq!(question.status(), 201, "{}", question.text().await.unwrap());
    let category = app
        .client
        .post(app.url("/api/v1/events/lima-1997/categories"))
        .bearer_auth(&admin_token)
        .json(&json!({"code": "press", "names": {"fr": "Presse"}}))
        .send()
        .await
        .unwrap();
    assert_eq!(category.status(), 201, "{}", category.text().await.unwrap());
    // Holding the session's seat, so that deleting the session is
    // refused and every role finds it still there.
    let mut body = delegate(1, "SN");
    body["sessions"] = json!(["A1"]);
    let registered: Value = app.register("lima-1997", &body).await.json().await.unwrap();
    let id = registered["id"].as_str().unwrap().to_owned();
    let mut accounts = vec![(Who::Admin, admin)];
    for (who, role) in [
        (Who::Nobody, "nobody"),
        (Who::Checkin, "checkin"),
        (Who::Viewer, "viewer"),
        (Who::Organiser, "organiser"),
        (Who::Owner, "owner"),
    ] {
        accounts.push((
            who,
            app.organiser_with_role(role, "Fatou", password_hash).await,
        ));
    }
    let other = create_event(
        &app.pool,
        EventSpec {
            slug: "dakar-2005",
            ..EventSpec::default()
        },
    )
    .await;
    let of_another = app
        .organiser_with_role("nobody", "Nguyễn", password_hash)
        .await;
    let mut conn = app.pool.get().await.unwrap();
    organisers::grant_role(&mut conn, of_another.id, other.id, EventRole::Organiser)
        .await
        .unwrap();
    accounts.push((Who::OrganiserOfAnother, of_another));
    (id, accounts)
}

fn api_path(path: &str, id: &str) -> String {
    let code = if path.contains("/questions/") {
        "diet"
    } else if path.contains("/categories/") {
        "press"
    } else if path.contains("/sessions/") {
        "A1"
    } else {
        "SN"
    };
    path.replace("{slug}", "lima-1997")
        .replace("{code}", code)
        .replace("{kind}", "confirmation")
        .replace("{language}", "fr")
        .replace("{id}", id)
}

fn method(name: &str) -> Method {
    Method::from_bytes(name.to_uppercase().as_bytes()).unwrap()
}

#[tokio::test]
async fn every_api_route_answers_each_role_on_its_event_as_the_matrix_says() {
    let app = TestApp::spawn().await;
    let (id, accounts) = two_events_and_a_role_each(&app, None).await;
    let mut tokens = Vec::new();
    for (who, account) in accounts {
        tokens.push((who, app.token_for(account, TokenScope::default()).await));
    }
    let routes = api_routes();
    assert!(routes.len() >= 20, "the route table was read: {routes:?}");
    let mut checked = 0;
    for (verb, path, public) in &routes {
        let relative = path.strip_prefix("/api/v1").unwrap();
        let need = API_NEEDS
            .iter()
            .find(|(m, p, _)| m == verb && *p == relative)
            .map(|(_, _, need)| *need);
        let need = match (need, public) {
            (Some(need), false) => need,
            (None, true) => Need::Public,
            (need, public) => panic!(
                "{verb} {path}: no entry in API_NEEDS for an organiser route, or one for a public route ({need:?}, public {public})"
            ),
        };
        if need == Need::Public {
            continue;
        }
        let url = app.url(&api_path(path, &id));
        // Who is refused goes first, so that a change an allowed role
        // makes (a deleted question) cannot hide a refusal.
        let mut order = tokens.clone();
        order.sort_by_key(|(who, _)| expected(*who, need) == Expect::Allowed);
        for (who, token) in &order {
            let answer = app
                .client
                .request(method(verb), &url)
                .bearer_auth(token)
                .json(&json!({}))
                .send()
                .await
                .unwrap();
            let status = answer.status().as_u16();
            let body = answer.text().await.unwrap();
            match expected(*who, need) {
                Expect::Refused(refused) => {
                    assert_eq!(status, refused, "{who:?} {verb} {path}: {body}");
                    let error: Value = serde_json::from_str(&body).unwrap();
                    let code = if refused == 404 {
                        "not_found"
                    } else {
                        "forbidden"
                    };
                    assert_eq!(error["error"], code, "{who:?} {verb} {path}");
                }
                Expect::Allowed => {
                    assert!(
                        ![401, 403].contains(&status) && !body.contains("event not found"),
                        "{who:?} may {verb} {path}: {status} {body}"
                    );
                }
            }
            checked += 1;
        }
    }
    assert!(
        checked >= 18 * 7,
        "every organiser route × every role: {checked}"
    );
    assert_eq!(
        count(&app.pool, "SELECT count(*) AS count FROM events").await,
        2,
        "no one created an event from an empty body"
    );
}

#[tokio::test]
async fn a_viewer_of_one_event_cannot_export_or_list_another() {
    let app = TestApp::spawn().await;
    create_event(&app.pool, EventSpec::default()).await;
    // The caterer's account: viewer of Lima only.
    let caterer = app.organiser_token("viewer").await;
    create_event(
        &app.pool,
        EventSpec {
            slug: "dakar-2005",
            ..EventSpec::default()
        },
    )
    .await;
    app.register("dakar-2005", &delegate(1, "SN")).await;
    for path in [
        "/api/v1/events/dakar-2005/registrations.csv",
        "/api/v1/events/dakar-2005/registrations.xlsx",
        "/api/v1/events/dakar-2005/registrations",
        "/api/v1/events/dakar-2005/emails",
    ] {
        let answer = app
            .client
            .get(app.url(path))
            .bearer_auth(&caterer)
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), 404, "{path}");
        let body: Value = answer.json().await.unwrap();
        assert_eq!(body["error"], "not_found");
        assert!(!body.to_string().contains("delegate1"), "{body}");
    }
    let own = app
        .client
        .get(app.url("/api/v1/events/lima-1997/registrations.csv"))
        .bearer_auth(&caterer)
        .send()
        .await
        .unwrap();
    assert_eq!(own.status(), 200, "the caterer's own event exports");
    // A slug that names no event answers the same as one not seen.
    let nowhere = app
        .client
        .get(app.url("/api/v1/events/nowhere/registrations.csv"))
        .bearer_auth(&caterer)
        .send()
        .await
        .unwrap();
    assert_eq!(nowhere.status(), 404);
}

#[tokio::test]
async fn a_token_narrowed_to_one_event_or_read_only_opens_no_more() {
    let app = TestApp::spawn().await;
    let lima = create_event(&app.pool, EventSpec::default()).await;
    create_event(
        &app.pool,
        EventSpec {
            slug: "dakar-2005",
            ..EventSpec::default()
        },
    )
    .await;
    let admin = app.organiser_with_role("admin", "Awa", None).await;
    let narrowed = app
        .token_for(
            admin.clone(),
            TokenScope {
                event_id: Some(lima.id),
                read_only: false,
            },
        )
        .await;
    let get = |token: &str, path: &str| {
        let request = app.client.get(app.url(path)).bearer_auth(token);
        async move { request.send().await.unwrap().status().as_u16() }
    };
    assert_eq!(
        get(&narrowed, "/api/v1/events/lima-1997/registrations").await,
        200
    );
    assert_eq!(
        get(&narrowed, "/api/v1/events/dakar-2005/registrations").await,
        404
    );
    let create = app
        .client
        .post(app.url("/api/v1/events"))
        .bearer_auth(&narrowed)
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(create.status(), 403, "a narrowed token creates no event");
    let quota = app
        .client
        .put(app.url("/api/v1/events/lima-1997/countries/SN"))
        .bearer_auth(&narrowed)
        .json(&json!({"capacity": 3}))
        .send()
        .await
        .unwrap();
    assert_eq!(quota.status(), 200, "it changes its own event");

    // A read-only token of an organiser: every read answers, every write
    // of the route table is refused 403, on its event or any other.
    let organiser = app.organiser_with_role("organiser", "Fatou", None).await;
    let organiser_id = organiser.id;
    let read_only = app
        .token_for(
            organiser,
            TokenScope {
                event_id: None,
                read_only: true,
            },
        )
        .await;
    assert_eq!(
        get(&read_only, "/api/v1/events/lima-1997/registrations").await,
        200
    );
    assert_eq!(
        get(&read_only, "/api/v1/events/lima-1997/registrations.csv").await,
        200
    );
    let mut writes = 0;
    for (verb, path, public) in api_routes() {
        if public || verb == "get" {
            continue;
        }
        for slug in ["lima-1997", "dakar-2005"] {
            let path = api_path(
                &path.replace("{slug}", slug),
                &uuid::Uuid::nil().to_string(),
            );
            let answer = app
                .client
                .request(method(&verb), app.url(&path))
                .bearer_auth(&read_only)
                .json(&json!({"capacity": 5}))
                .send()
                .await
                .unwrap();
            assert_eq!(answer.status(), 403, "read-only {verb} {path}");
            writes += 1;
        }
    }
    assert!(writes >= 20);
    assert_eq!(
        count(
            &app.pool,
            &format!(
                "SELECT count(*) AS count FROM audit_log WHERE organiser_id = '{organiser_id}'"
            )
        )
        .await,
        0,
        "the read-only token changed nothing"
    );
    let lima_sn = format!(
        "SELECT capacity::bigint AS count FROM country_quotas WHERE event_id = '{}' AND country_code = 'SN'",
        lima.id
    );
    assert_eq!(
        count(&app.pool, &lima_sn).await,
        3,
        "the narrowed token's quota stands"
    );
}

fn run(url: &str, args: &[&str]) -> (Option<i32>, String, String) {
    let output = rencontre(url).args(args).output().unwrap();
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[tokio::test]
async fn grants_revocations_and_tokens_from_the_command_line() {
    let app = TestApp::spawn().await;
    create_event(&app.pool, EventSpec::default()).await;
    create_event(
        &app.pool,
        EventSpec {
            slug: "dakar-2005",
            ..EventSpec::default()
        },
    )
    .await;
    let url = &app.db.url;
    let account = app.organiser_with_role("nobody", "Fatou", None).await;
    let email = account.email.as_str();

    let (code, _, stderr) = run(
        url,
        &[
            "organiser",
            "grant",
            email,
            "--event",
            "lima-1997",
            "--role",
            "boss",
        ],
    );
    assert_eq!(code, Some(2), "an unknown role");
    assert!(stderr.contains("checkin"), "{stderr}");
    let (code, _, stderr) = run(
        url,
        &[
            "organiser",
            "grant",
            email,
            "--event",
            "nowhere",
            "--role",
            "viewer",
        ],
    );
    assert_eq!(code, Some(2));
    assert!(
        stderr.contains("no event with the slug `nowhere`"),
        "{stderr}"
    );
    let (code, _, _) = run(
        url,
        &[
            "organiser",
            "grant",
            "nobody@example.org",
            "--event",
            "lima-1997",
            "--role",
            "viewer",
        ],
    );
    assert_eq!(code, Some(2), "an unknown account");

    let token = run(
        url,
        &[
            "token",
            "create",
            email,
            "--event",
            "lima-1997",
            "--read-only",
            "--expires-in",
            "30d",
        ],
    );
    assert_eq!(token.0, Some(0), "{}", token.2);
    let token = token.1.trim().to_owned();
    let get = |path: &str| {
        let request = app.client.get(app.url(path)).bearer_auth(&token);
        async move { request.send().await.unwrap().status().as_u16() }
    };
    assert_eq!(
        get("/api/v1/events/lima-1997/registrations").await,
        404,
        "no role yet"
    );

    let (code, stdout, _) = run(
        url,
        &[
            "organiser",
            "grant",
            email,
            "--event",
            "lima-1997",
            "--role",
            "checkin",
        ],
    );
    assert_eq!(code, Some(0));
    assert!(stdout.contains("checkin"), "{stdout}");
    assert_eq!(get("/api/v1/events/lima-1997/registrations").await, 200);
    assert_eq!(
        get("/api/v1/events/lima-1997/registrations.csv").await,
        403,
        "checkin does not export"
    );
    run(
        url,
        &[
            "organiser",
            "grant",
            email,
            "--event",
            "lima-1997",
            "--role",
            "viewer",
        ],
    );
    assert_eq!(
        get("/api/v1/events/lima-1997/registrations.csv").await,
        200,
        "the new role replaces the old"
    );
    run(
        url,
        &[
            "organiser",
            "grant",
            email,
            "--event",
            "dakar-2005",
            "--role",
            "owner",
        ],
    );
    assert_eq!(
        get("/api/v1/events/dakar-2005/registrations").await,
        404,
        "the token opens Lima only"
    );
    assert_eq!(
        count(
            &app.pool,
            "SELECT count(*) AS count FROM audit_log WHERE action = 'role.grant'"
        )
        .await,
        3
    );

    let (code, stdout, _) = run(url, &["token", "list", email]);
    assert_eq!(code, Some(0));
    let line = stdout.lines().next().unwrap();
    let token_id = line.split(' ').next().unwrap().to_owned();
    assert!(
        uuid::Uuid::parse_str(&token_id).is_ok(),
        "the id first: {line}"
    );
    assert!(
        line.contains(" event=lima-1997 read_only=yes revoked=no"),
        "{line}"
    );
    assert!(line.contains(" expires=20"), "{line}");
    assert!(!stdout.contains(&token), "never the token itself");

    let (code, stdout, _) = run(url, &["organiser", "revoke", email, "--event", "lima-1997"]);
    assert_eq!(code, Some(0), "{stdout}");
    assert_eq!(
        get("/api/v1/events/lima-1997/registrations").await,
        404,
        "revoked"
    );
    assert_eq!(
        count(
            &app.pool,
            "SELECT count(*) AS count FROM audit_log WHERE action = 'role.revoke'"
        )
        .await,
        1
    );
    run(
        url,
        &[
            "organiser",
            "grant",
            email,
            "--event",
            "lima-1997",
            "--role",
            "viewer",
        ],
    );
    assert_eq!(get("/api/v1/events/lima-1997/registrations").await, 200);
    let (code, _, _) = run(url, &["token", "revoke", &token_id]);
    assert_eq!(code, Some(0));
    assert_eq!(
        get("/api/v1/events/lima-1997/registrations").await,
        401,
        "a revoked token"
    );
}

#[tokio::test]
async fn the_migration_gives_each_global_role_on_every_existing_event() {
    let db = TestDb::empty().await;
    rencontre::db::run_migrations(&db.url).await.expect("up");
    let mut conn = db.connect().await;
    // Back to the schema before roles per event, with global roles in it.
    let down = include_str!("../../migrations/2026-12-02-140000_roles_per_event/down.sql");
    for statement in down.split(';').filter(|sql| !sql.trim().is_empty()) {
        diesel::sql_query(statement)
            .execute(&mut conn)
            .await
            .expect(statement);
    }
    diesel::sql_query("DELETE FROM __diesel_schema_migrations WHERE version = '20261202140000'")
        .execute(&mut conn)
        .await
        .expect("forget");
    for sql in [
        "INSERT INTO organisers (id, email, name, role) VALUES
           ('00000000-0000-0000-0000-000000000001', 'admin@example.org', 'Awa', 'admin'),
           ('00000000-0000-0000-0000-000000000002', 'org@example.org', 'Fatou', 'organiser'),
           ('00000000-0000-0000-0000-000000000003', 'view@example.org', 'Nguyễn', 'viewer')",
        "INSERT INTO events (id, slug, name, starts_on, ends_on, timezone, languages,
                             registration_opens_at, registration_closes_at, reference_prefix)
         VALUES ('00000000-0000-0000-0000-0000000000a1', 'lima-1997', 'Lima', '2027-01-01', '2027-01-02',
                 'America/Lima', '{fr}', now(), now() + interval '1 day', 'LIM'),
                ('00000000-0000-0000-0000-0000000000a2', 'dakar-2005', 'Dakar', '2027-01-01', '2027-01-02',
                 'Africa/Dakar', '{fr}', now(), now() + interval '1 day', 'DKR')",
        "INSERT INTO api_tokens (id, organiser_id, token_hash, label) VALUES
           ('00000000-0000-0000-0000-0000000000f1', '00000000-0000-0000-0000-000000000003', '\\x01', 'old')",
    ] {
        diesel::sql_query(sql).execute(&mut conn).await.expect(sql);
    }
    let applied = rencontre::db::run_migrations(&db.url)
        .await
        .expect("up again");
    assert_eq!(applied.len(), 1, "{applied:?}");
    let mut lines = async |sql: &str| {
        let rows: Vec<Line> = diesel::sql_query(sql).load(&mut conn).await.expect(sql);
        rows.into_iter().map(|row| row.line).collect::<Vec<_>>()
    };
    assert_eq!(
        lines(
            "SELECT o.email || ' ' || e.slug || ' ' || r.role AS line
               FROM event_roles r JOIN organisers o ON o.id = r.organiser_id
               JOIN events e ON e.id = r.event_id ORDER BY 1"
        )
        .await,
        [
            "org@example.org dakar-2005 organiser",
            "org@example.org lima-1997 organiser",
            "view@example.org dakar-2005 viewer",
            "view@example.org lima-1997 viewer",
        ],
        "the admin needs no role; the others hold theirs on every event"
    );
    assert_eq!(
        lines("SELECT label || ' ' || read_only || ' ' || coalesce(event_id::text, 'any') AS line FROM api_tokens").await,
        ["old false any"],
        "an old token keeps its account's scope"
    );
}
