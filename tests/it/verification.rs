//! Email-verified places: with `verification = email`, a place given to an
//! address nobody has confirmed is only held; the link of the first email
//! confirms it (a GET never does), and the worker gives the holds that ran
//! out to the next in line, in arrival order, each with an email.

use std::collections::BTreeSet;

use diesel::QueryableByName;
use diesel::sql_types::{Text, Uuid as SqlUuid};
use diesel_async::RunQueryDsl;
use futures_util::{StreamExt, stream};
use serde_json::{Value, json};

use crate::support::{
    EventSpec, TestApp, assert_invariants_hold, count, create_event, csrf_of, delegate,
};

const ATTEMPTS: usize = 200;
const IN_FLIGHT: usize = 48;

#[derive(QueryableByName)]
struct Link {
    #[diesel(sql_type = SqlUuid)]
    id: uuid::Uuid,
    #[diesel(sql_type = Text)]
    body: String,
}

/// The registrations of `status`, in arrival order, with the verification
/// token their first email carries.
async fn links(app: &TestApp, status: &str) -> Vec<(uuid::Uuid, String)> {
    let mut conn = app.pool.get().await.expect("connection");
    let rows: Vec<Link> = diesel::sql_query(
        "SELECT r.id, o.body_text AS body FROM registrations r
           JOIN email_outbox o ON o.registration_id = r.id
            AND o.kind IN ('confirmation', 'waitlisted')
          WHERE r.status = $1 ORDER BY r.queue_seq",
    )
    .bind::<Text, _>(status)
    .load(&mut conn)
    .await
    .expect("links");
    rows.into_iter()
        .map(|row| {
            let start = row.body.find("/verify/").expect("a verification link") + 8;
            let token: String = row.body[start..]
                .chars()
                .take_while(char::is_ascii_alphanumeric)
                .collect();
            (row.id, token)
        })
        .collect()
}

async fn ids(app: &TestApp, sql: &str) -> Vec<uuid::Uuid> {
    #[derive(QueryableByName)]
    struct Id {
        #[diesel(sql_type = SqlUuid)]
        id: uuid::Uuid,
    }
    let mut conn = app.pool.get().await.expect("connection");
    let rows: Vec<Id> = diesel::sql_query(sql).load(&mut conn).await.expect(sql);
    rows.into_iter().map(|row| row.id).collect()
}

async fn verify_by_api(app: &TestApp, token: &str) -> (u16, Value) {
    let response = app
        .client
        .post(app.url(&format!("/api/v1/verify/{token}")))
        .send()
        .await
        .expect("request");
    let status = response.status().as_u16();
    (status, response.json().await.expect("json"))
}

async fn by_status(app: &TestApp, status: &str) -> i64 {
    let sql = format!("SELECT count(*) AS count FROM registrations WHERE status = '{status}'");
    count(&app.pool, &sql).await
}

#[tokio::test]
async fn of_200_parallel_registrations_10_hold_the_quota_and_the_6_unconfirmed_go_to_the_next_in_line()
 {
    let app = TestApp::spawn().await;
    create_event(
        &app.pool,
        EventSpec {
            countries: vec![("SN", 10)],
            verification: true,
            ..EventSpec::default()
        },
    )
    .await;

    let bodies: Vec<Value> = (0..ATTEMPTS).map(|n| delegate(n, "SN")).collect();
    let shared = &app;
    let answers: Vec<(u16, Value)> = stream::iter(bodies.iter())
        .map(|body| async move {
            let response = shared.register("lima-1997", body).await;
            let status = response.status().as_u16();
            (status, response.json::<Value>().await.expect("json"))
        })
        .buffer_unordered(IN_FLIGHT)
        .collect()
        .await;
    for (status, body) in &answers {
        assert_eq!(*status, 201, "{body}");
    }
    let held = answers
        .iter()
        .filter(|(_, body)| body["status"] == "unverified")
        .count();
    assert_eq!(held, 10, "the quota's places are held, not given");
    assert_eq!(by_status(&app, "unverified").await, 10);
    assert_eq!(by_status(&app, "waitlisted").await, 190);
    assert_eq!(by_status(&app, "confirmed").await, 0);
    assert_invariants_hold(&app.pool).await;

    let holding = links(&app, "unverified").await;
    let waiting = links(&app, "waitlisted").await;
    assert_eq!(
        (holding.len(), waiting.len()),
        (10, 190),
        "every first email has its link"
    );

    // A link scanner's GET shows the button and confirms nothing.
    let page = app
        .client
        .get(app.url(&format!("/verify/{}", holding[0].1)))
        .header("Accept-Language", "fr")
        .send()
        .await
        .expect("page");
    assert_eq!(page.status(), 200);
    assert_eq!(
        page.headers()["cache-control"],
        "no-store",
        "the page's address is a secret"
    );
    let html = page.text().await.expect("html");
    assert!(html.contains("Confirmer mon adresse e-mail"), "{html}");
    assert_eq!(
        by_status(&app, "unverified").await,
        10,
        "a GET verifies nothing"
    );

    // Three confirm through the API, one through the page's button.
    for (_, token) in &holding[..3] {
        let (status, body) = verify_by_api(&app, token).await;
        assert_eq!(
            (status, body["status"].as_str()),
            (200, Some("confirmed")),
            "{body}"
        );
        assert_eq!(body["verified_now"], true);
    }
    let again = verify_by_api(&app, &holding[0].1).await;
    assert_eq!(
        (again.0, again.1["verified_now"].as_bool()),
        (200, Some(false))
    );
    let csrf = csrf_of(&html);
    let form = [("csrf_token", csrf.as_str())];
    let forged = app
        .client
        .post(app.url(&format!("/verify/{}", holding[3].1)))
        .form(&[("csrf_token", "forged")])
        .send()
        .await
        .expect("post");
    assert_eq!(
        forged.status(),
        403,
        "a form from elsewhere confirms nothing"
    );
    let confirmed = app
        .client
        .post(app.url(&format!("/verify/{}", holding[3].1)))
        .form(&form)
        .send()
        .await
        .expect("post");
    assert_eq!(confirmed.status(), 200);
    assert!(
        confirmed
            .text()
            .await
            .expect("html")
            .contains("votre place aussi")
    );
    assert_eq!(by_status(&app, "confirmed").await, 4);

    // The first in line confirms their address while waiting: promoted,
    // they are confirmed at once; the next five get holds of their own.
    let (status, body) = verify_by_api(&app, &waiting[0].1).await;
    assert_eq!(
        (status, body["status"].as_str()),
        (200, Some("waitlisted")),
        "{body}"
    );
    let next_in_line: Vec<uuid::Uuid> = waiting[..6].iter().map(|(id, _)| *id).collect();

    // The six other holds run out (their deadline moved into the past).
    let mut conn = app.pool.get().await.expect("connection");
    diesel::sql_query(
        "UPDATE registrations SET verify_by = now() - interval '1 minute'
          WHERE status = 'unverified'",
    )
    .execute(&mut conn)
    .await
    .expect("expire");
    let lapsed: Vec<uuid::Uuid> = holding[4..].iter().map(|(id, _)| *id).collect();
    let emails_before = count(&app.pool, "SELECT count(*) AS count FROM email_outbox").await;

    let worker = app.start_worker(&crate::support::test_settings(&app.db.url).mail);
    let mut rounds = 0;
    while by_status(&app, "cancelled").await < 6 {
        rounds += 1;
        assert!(
            rounds < 200,
            "the worker cancels the lapsed holds in its first round"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    worker.stop().await;

    let cancelled = ids(
        &app,
        "SELECT id FROM registrations WHERE status = 'cancelled'",
    )
    .await;
    assert_eq!(
        cancelled.iter().collect::<BTreeSet<_>>(),
        lapsed.iter().collect::<BTreeSet<_>>()
    );
    let promoted = ids(
        &app,
        "SELECT id FROM registrations WHERE status IN ('unverified', 'confirmed')
            AND id IN (SELECT registration_id FROM email_outbox WHERE kind = 'promoted')
          ORDER BY queue_seq",
    )
    .await;
    assert_eq!(promoted, next_in_line, "the next six in arrival order");
    let first = ids(
        &app,
        "SELECT id FROM registrations WHERE status = 'confirmed'",
    )
    .await;
    assert!(
        first.contains(&next_in_line[0]),
        "a confirmed address needs no hold"
    );
    assert_eq!(by_status(&app, "unverified").await, 5);
    assert_eq!(by_status(&app, "confirmed").await, 5);
    assert_eq!(by_status(&app, "waitlisted").await, 184);
    let held_again = count(
        &app.pool,
        "SELECT count(*) AS count FROM registrations
          WHERE status = 'unverified' AND verify_by > now() + interval '23 hours'",
    )
    .await;
    assert_eq!(
        held_again, 5,
        "each promoted hold has a deadline of its own"
    );
    let emails_after = count(&app.pool, "SELECT count(*) AS count FROM email_outbox").await;
    assert_eq!(
        emails_after - emails_before,
        6,
        "one promotion email each, and none to the lapsed addresses"
    );
    let expiries = count(
        &app.pool,
        "SELECT count(*) AS count FROM audit_log WHERE action = 'registration.expire'",
    )
    .await;
    assert_eq!(expiries, 6);
    assert_invariants_hold(&app.pool).await;

    // A lapsed link says so: the registration is cancelled.
    let (status, body) = verify_by_api(&app, &holding[9].1).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (409, Some("cancelled")),
        "{body}"
    );
    let (status, _) = verify_by_api(&app, "not-a-token").await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn organisers_choose_verification_and_its_hours_and_bad_values_are_refused() {
    let app = TestApp::spawn().await;
    let token = app.organiser_token("admin").await;
    let mut event = json!({
        "slug": "dakar-2005",
        "name": "Rencontre de Dakar",
        "starts_on": "2027-11-21",
        "ends_on": "2027-11-24",
        "timezone": "Africa/Dakar",
        "languages": ["fr", "en"],
        "registration_opens_at": "2026-01-01T00:00:00Z",
        "registration_closes_at": "2027-11-01T00:00:00Z",
        "verification": "sms",
        "verification_hours": 0,
    });
    let post = |body: &Value| {
        app.client
            .post(app.url("/api/v1/events"))
            .bearer_auth(&token)
            .json(body)
            .send()
    };
    let refused = post(&event).await.expect("request");
    assert_eq!(refused.status(), 422);
    let fields = refused.json::<Value>().await.expect("json")["fields"].clone();
    let named: BTreeSet<&str> = fields
        .as_object()
        .expect("fields")
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        named,
        BTreeSet::from(["verification", "verification_hours"])
    );
    assert_eq!(by_status(&app, "confirmed").await, 0);
    assert_eq!(
        count(&app.pool, "SELECT count(*) AS count FROM events").await,
        0
    );

    event["verification"] = json!("email");
    event["verification_hours"] = json!(48);
    let created = post(&event).await.expect("request");
    assert_eq!(created.status(), 201);
    let shown: Value = app
        .client
        .get(app.url("/api/v1/events/dakar-2005"))
        .send()
        .await
        .expect("request")
        .json()
        .await
        .expect("json");
    assert_eq!(shown["verification"], "email", "{shown}");
    assert_eq!(shown["verification_hours"], 48);

    // Left out, the set-up is the default: places are given at once.
    let mut setup = event.clone();
    let object = setup.as_object_mut().expect("object");
    object.remove("verification");
    object.remove("verification_hours");
    object.remove("slug");
    let updated: Value = app
        .client
        .put(app.url("/api/v1/events/dakar-2005"))
        .bearer_auth(&token)
        .json(&setup)
        .send()
        .await
        .expect("request")
        .json()
        .await
        .expect("json");
    assert_eq!(updated["verification"], "none", "{updated}");
    let registered = app.register("dakar-2005", &delegate(1, "SN")).await;
    assert_eq!(registered.status(), 201);
    let body: Value = registered.json().await.expect("json");
    assert_eq!(body["status"], "confirmed");
}

#[tokio::test]
async fn a_delegate_asks_for_a_new_link_and_only_the_newest_confirms() {
    let app = TestApp::spawn().await;
    create_event(
        &app.pool,
        EventSpec {
            countries: vec![("SN", 10)],
            verification: true,
            ..EventSpec::default()
        },
    )
    .await;
    create_event(
        &app.pool,
        EventSpec {
            slug: "quito-2001",
            ..EventSpec::default()
        },
    )
    .await;
    assert_eq!(
        app.register("lima-1997", &delegate(1, "SN")).await.status(),
        201
    );
    let first = links(&app, "unverified").await;
    assert_eq!(first.len(), 1);
    let verification_emails =
        "SELECT count(*) AS count FROM email_outbox WHERE kind = 'verification'";

    let page = |path: &'static str| {
        app.client
            .get(app.url(path))
            .header("Accept-Language", "fr")
            .send()
    };
    let form = page("/events/lima-1997/verification").await.expect("page");
    assert_eq!(form.status(), 200);
    let csrf = csrf_of(&form.text().await.expect("html"));
    let not_verifying = page("/events/quito-2001/verification").await.expect("page");
    assert_eq!(
        not_verifying.status(),
        404,
        "an event that verifies nothing has no such page"
    );
    let ask = |email: &'static str, csrf: String| {
        app.client
            .post(app.url("/events/lima-1997/verification"))
            .header("Accept-Language", "fr")
            .form(&[("email", email.to_owned()), ("csrf_token", csrf)])
            .send()
    };

    let forged = ask("delegate1@example.org", "forged".to_owned())
        .await
        .expect("post");
    assert_eq!(forged.status(), 403);
    let bad = ask("not an address", csrf.clone()).await.expect("post");
    assert_eq!(bad.status(), 422);
    assert!(
        bad.text()
            .await
            .expect("html")
            .contains(r#"id="email-error""#)
    );
    assert_eq!(
        count(&app.pool, verification_emails).await,
        0,
        "nothing sent on a refusal"
    );

    // Unknown and known addresses get the same answer; only the known one
    // gets an email, and only once in ten minutes.
    for email in [
        "nobody@example.org",
        "Delegate1@Example.org",
        "delegate1@example.org",
    ] {
        let answer = ask(email, csrf.clone()).await.expect("post");
        assert_eq!(answer.status(), 200);
        assert!(
            answer
                .text()
                .await
                .expect("html")
                .contains("un nouveau lien lui est envoyé")
        );
    }
    assert_eq!(count(&app.pool, verification_emails).await, 1);

    // The API says the same, and sends nothing more within ten minutes.
    let by_api = |slug: &'static str, body: Value| {
        app.client
            .post(app.url(&format!("/api/v1/events/{slug}/verification")))
            .json(&body)
            .send()
    };
    for email in ["delegate1@example.org", "nobody@example.org"] {
        let answer = by_api("lima-1997", json!({"email": email}))
            .await
            .expect("post");
        assert_eq!(answer.status(), 202);
    }
    let bad = by_api("lima-1997", json!({"email": "not an address"}))
        .await
        .expect("post");
    assert_eq!(bad.status(), 422);
    let fields = bad.json::<Value>().await.expect("json")["fields"].clone();
    assert!(fields["email"].is_string(), "{fields}");
    let elsewhere = by_api("quito-2001", json!({"email": "delegate1@example.org"})).await;
    assert_eq!(
        elsewhere.expect("post").status(),
        404,
        "an event that verifies nothing"
    );
    assert_eq!(count(&app.pool, verification_emails).await, 1);

    #[derive(QueryableByName)]
    struct Body {
        #[diesel(sql_type = Text)]
        body: String,
    }
    let mut conn = app.pool.get().await.expect("connection");
    let sent: Vec<Body> =
        diesel::sql_query("SELECT body_text AS body FROM email_outbox WHERE kind = 'verification'")
            .load(&mut conn)
            .await
            .expect("email");
    let start = sent[0].body.find("/verify/").expect("a link") + 8;
    let newest: String = sent[0].body[start..]
        .chars()
        .take_while(char::is_ascii_alphanumeric)
        .collect();
    assert_ne!(newest, first[0].1);

    // Organisers see the hold and its deadline on the registration's page.
    let (organiser, _) = crate::admin::signed_in(&app, "viewer", "Fatou").await;
    let page = format!("/admin/events/lima-1997/registrations/{}", first[0].0);
    organiser
        .get(&page)
        .await
        .assert_contains("awaiting email confirmation: the place is held until");

    let (status, _) = verify_by_api(&app, &first[0].1).await;
    assert_eq!(status, 404, "the earlier link stopped working");
    let (status, body) = verify_by_api(&app, &newest).await;
    assert_eq!(
        (status, body["status"].as_str()),
        (200, Some("confirmed")),
        "{body}"
    );
    assert_eq!(by_status(&app, "confirmed").await, 1);
    assert_invariants_hold(&app.pool).await;
}
