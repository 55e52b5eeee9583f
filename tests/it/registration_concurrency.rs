//! Exact counts under real parallel requests: never overbooked, every
//! waiting delegate with a distinct place in the queue.

use std::collections::BTreeSet;

use futures_util::{StreamExt, stream};
use serde_json::Value;

use crate::support::{EventSpec, TestApp, assert_invariants_hold, count, create_event, delegate};

const ATTEMPTS: usize = 300;
const IN_FLIGHT: usize = 48;

/// Fires `ATTEMPTS` registrations, `IN_FLIGHT` at a time, and returns the
/// answers (all must be 201).
async fn rush(app: &TestApp, slug: &str, body: impl Fn(usize) -> Value) -> Vec<Value> {
    let bodies: Vec<Value> = (0..ATTEMPTS).map(body).collect();
    let answers: Vec<(u16, Value)> = stream::iter(bodies.iter())
        .map(|body| async move {
            let response = app.register(slug, body).await;
            let status = response.status().as_u16();
            (status, response.json::<Value>().await.expect("json"))
        })
        .buffer_unordered(IN_FLIGHT)
        .collect()
        .await;
    for (status, body) in &answers {
        assert_eq!(*status, 201, "{body}");
    }
    answers.into_iter().map(|(_, body)| body).collect()
}

fn tally(answers: &[Value], status: &str) -> usize {
    answers
        .iter()
        .filter(|answer| answer["status"] == status)
        .count()
}

fn positions(answers: &[Value]) -> BTreeSet<i64> {
    answers
        .iter()
        .filter_map(|answer| answer["waitlist_position"].as_i64())
        .collect()
}

#[tokio::test]
async fn a_country_quota_of_10_confirms_exactly_10_of_300_parallel_registrations() {
    let app = TestApp::spawn().await;
    create_event(
        &app.pool,
        EventSpec {
            countries: vec![("SN", 10)],
            ..EventSpec::default()
        },
    )
    .await;

    let answers = rush(&app, "lima-1997", |n| delegate(n, "SN")).await;

    assert_eq!(tally(&answers, "confirmed"), 10);
    assert_eq!(tally(&answers, "waitlisted"), 290);
    assert_eq!(
        positions(&answers),
        (1..=290).collect(),
        "each waiting delegate has a place of their own"
    );
    assert_eq!(
        count(
            &app.pool,
            "SELECT taken::bigint AS count FROM country_quotas WHERE country_code = 'SN'"
        )
        .await,
        10
    );
    assert_invariants_hold(&app.pool).await;
}

#[tokio::test]
async fn an_event_capacity_of_10_confirms_exactly_10_of_300_parallel_registrations() {
    let app = TestApp::spawn().await;
    create_event(
        &app.pool,
        EventSpec {
            capacity: Some(10),
            ..EventSpec::default()
        },
    )
    .await;
    let countries = ["PE", "BR", "ML", "FR", "PH"];

    let answers = rush(&app, "lima-1997", |n| {
        delegate(n, countries[n % countries.len()])
    })
    .await;

    assert_eq!(tally(&answers, "confirmed"), 10);
    assert_eq!(tally(&answers, "waitlisted"), 290);
    assert_eq!(positions(&answers), (1..=290).collect());
    assert_eq!(
        count(&app.pool, "SELECT taken::bigint AS count FROM events").await,
        10
    );
    assert_invariants_hold(&app.pool).await;
}

#[tokio::test]
async fn a_session_of_5_seats_seats_exactly_5_of_300_parallel_registrations() {
    let app = TestApp::spawn().await;
    create_event(
        &app.pool,
        EventSpec {
            sessions: vec![("A3", Some(5), 0, 10, 12)],
            ..EventSpec::default()
        },
    )
    .await;

    let answers = rush(&app, "lima-1997", |n| {
        let mut body = delegate(n, "BO");
        body["sessions"] = serde_json::json!(["A3"]);
        body
    })
    .await;

    assert_eq!(
        tally(&answers, "confirmed"),
        300,
        "the meeting itself has no limit"
    );
    let seated = answers
        .iter()
        .filter(|answer| answer["sessions"][0]["status"] == "confirmed")
        .count();
    let waiting = answers
        .iter()
        .filter(|answer| answer["sessions"][0]["status"] == "waitlisted")
        .count();
    assert_eq!((seated, waiting), (5, 295));
    assert_eq!(
        count(&app.pool, "SELECT taken::bigint AS count FROM sessions").await,
        5
    );
    assert_invariants_hold(&app.pool).await;
}

#[tokio::test]
async fn two_server_processes_on_one_database_keep_counts_exact() {
    let app = TestApp::spawn().await;
    let second = app.spawn_sibling().await;
    create_event(
        &app.pool,
        EventSpec {
            capacity: Some(40),
            countries: vec![("CM", 15)],
            ..EventSpec::default()
        },
    )
    .await;

    let bodies: Vec<(usize, Value)> = (0..200)
        .map(|n| (n, delegate(n, if n % 2 == 0 { "CM" } else { "GH" })))
        .collect();
    let answers: Vec<Value> = stream::iter(bodies.iter())
        .map(|(n, body)| {
            let server = if n % 2 == 0 { &app } else { &second };
            async move {
                let response = server.register("lima-1997", body).await;
                assert_eq!(response.status(), 201);
                response.json::<Value>().await.expect("json")
            }
        })
        .buffer_unordered(IN_FLIGHT)
        .collect()
        .await;

    assert_eq!(tally(&answers, "confirmed"), 40);
    let confirmed_cm = answers
        .iter()
        .filter(|answer| answer["status"] == "confirmed" && answer["country"] == "CM")
        .count();
    assert!(
        confirmed_cm <= 15,
        "country quota overbooked: {confirmed_cm}"
    );
    assert_eq!(
        count(&app.pool, "SELECT count(*) AS count FROM registrations").await,
        200
    );
    assert_invariants_hold(&app.pool).await;
}

/// Random parallel mixes of register / change sessions / cancel, on
/// overlapping session sets: no error, no deadlock surfacing as a 500,
/// never overbooked, and the invariants hold at the end.
#[tokio::test]
async fn random_parallel_mixes_never_fail_nor_overbook() {
    let app = TestApp::spawn().await;
    create_event(
        &app.pool,
        EventSpec {
            capacity: Some(60),
            default_country_capacity: Some(12),
            sessions: vec![
                ("S1", Some(8), 0, 9, 11),
                ("S2", Some(5), 0, 11, 13),
                ("S3", Some(3), 0, 14, 16),
                ("S4", Some(10), 1, 9, 11),
                ("S5", None, 1, 11, 13),
            ],
            ..EventSpec::default()
        },
    )
    .await;
    let countries = ["SN", "ML", "PE", "BR"];
    let session_sets: [&[&str]; 5] = [
        &["S1", "S2"],
        &["S2", "S3", "S4"],
        &["S3"],
        &["S1", "S4", "S5"],
        &[],
    ];

    // First wave: registrations.
    let answers = rush(&app, "lima-1997", |n| {
        let mut body = delegate(n, countries[n % countries.len()]);
        body["sessions"] = serde_json::json!(session_sets[n % session_sets.len()]);
        body
    })
    .await;
    let tokens: Vec<String> = answers
        .iter()
        .map(|answer| {
            answer["manage_url"]
                .as_str()
                .expect("url")
                .rsplit('/')
                .next()
                .expect("token")
                .to_owned()
        })
        .collect();

    // Second wave: cancellations, session changes and new registrations, all at once.
    let operations: Vec<usize> = (0..ATTEMPTS).collect();
    let failures: Vec<String> = stream::iter(operations)
        .map(|n| {
            let app = &app;
            let token = &tokens[n];
            async move {
                let response = match n % 3 {
                    0 => {
                        app.client
                            .post(app.url(&format!("/api/v1/registrations/{token}/cancel")))
                            .send()
                            .await
                    }
                    1 => {
                        let sessions = session_sets[(n / 3) % session_sets.len()];
                        app.client
                            .put(app.url(&format!("/api/v1/registrations/{token}/sessions")))
                            .json(&serde_json::json!({"sessions": sessions}))
                            .send()
                            .await
                    }
                    _ => {
                        let mut body = delegate(1000 + n, countries[n % countries.len()]);
                        body["sessions"] = serde_json::json!(session_sets[n % session_sets.len()]);
                        Ok(app.register("lima-1997", &body).await)
                    }
                }
                .expect("request");
                let status = response.status();
                if status.is_success() {
                    None
                } else {
                    Some(format!(
                        "{status}: {}",
                        response.text().await.unwrap_or_default()
                    ))
                }
            }
        })
        .buffer_unordered(IN_FLIGHT)
        .filter_map(|failure| async move { failure })
        .collect()
        .await;
    assert!(failures.is_empty(), "{failures:#?}");

    assert_eq!(
        count(
            &app.pool,
            "SELECT count(*) AS count FROM registrations WHERE status = 'cancelled'"
        )
        .await,
        100
    );
    assert!(count(&app.pool, "SELECT taken::bigint AS count FROM events").await <= 60);
    assert_invariants_hold(&app.pool).await;
}

/// Registrations that share a commit stay independent: a duplicate email
/// among them is refused alone, and the others are all kept.
#[tokio::test]
async fn a_duplicate_among_simultaneous_registrations_fails_alone() {
    let app = TestApp::spawn().await;
    create_event(
        &app.pool,
        EventSpec {
            capacity: Some(50),
            ..EventSpec::default()
        },
    )
    .await;
    // Every fifth body repeats the email of the one before it.
    let bodies: Vec<Value> = (0..100)
        .map(|n| {
            let mut body = delegate(n, "GH");
            if n % 5 == 4 {
                body["email"] = serde_json::json!(format!("delegate{}@example.org", n - 1));
            }
            body
        })
        .collect();
    let app = &app;
    let statuses: Vec<u16> = stream::iter(bodies.iter())
        .map(|body| async move { app.register("lima-1997", body).await.status().as_u16() })
        .buffer_unordered(IN_FLIGHT)
        .collect()
        .await;
    assert_eq!(statuses.iter().filter(|status| **status == 201).count(), 80);
    assert_eq!(statuses.iter().filter(|status| **status == 409).count(), 20);
    assert_eq!(
        count(&app.pool, "SELECT count(*) AS count FROM registrations").await,
        80
    );
    assert_eq!(
        count(
            &app.pool,
            "SELECT count(*) AS count FROM registrations WHERE status = 'confirmed'"
        )
        .await,
        50
    );
    assert_eq!(
        count(&app.pool, "SELECT count(*) AS count FROM email_outbox").await,
        80
    );
    assert_invariants_hold(&app.pool).await;
}

#[tokio::test]
async fn retries_with_one_idempotency_key_sent_side_by_side_register_once() {
    let app = TestApp::spawn().await;
    create_event(&app.pool, EventSpec::default()).await;
    // 40 delegates, each request sent three times at once with its key, so
    // that copies land in the same batch of the registrar and in the next.
    let sends: Vec<(String, Value)> = (0..120)
        .map(|n| (format!("key-{}", n % 40), delegate(n % 40, "PE")))
        .collect();
    let app = &app;
    let answers: Vec<(u16, String, Value)> = stream::iter(sends.iter())
        .map(|(key, body)| async move {
            let response = app
                .client
                .post(app.url("/api/v1/events/lima-1997/registrations"))
                .header("Idempotency-Key", key.as_str())
                .json(body)
                .send()
                .await
                .expect("send");
            let status = response.status().as_u16();
            (
                status,
                key.clone(),
                response.json::<Value>().await.expect("json"),
            )
        })
        .buffer_unordered(IN_FLIGHT)
        .collect()
        .await;
    let mut by_key: std::collections::BTreeMap<&str, BTreeSet<String>> = Default::default();
    for (status, key, answer) in &answers {
        assert_eq!(*status, 201, "{answer}");
        by_key
            .entry(key)
            .or_default()
            .insert(format!("{} {}", answer["id"], answer["manage_url"]));
    }
    assert_eq!(by_key.len(), 40);
    assert!(
        by_key.values().all(|answers| answers.len() == 1),
        "{by_key:?}"
    );
    assert_eq!(
        count(&app.pool, "SELECT count(*) AS count FROM registrations").await,
        40
    );
    assert_eq!(
        count(&app.pool, "SELECT count(*) AS count FROM email_outbox").await,
        40
    );
    assert_eq!(
        count(&app.pool, "SELECT count(*) AS count FROM idempotency_keys").await,
        40
    );
    assert_invariants_hold(&app.pool).await;
}
