//! Random lives of registrations from several clients at once: register,
//! verify, let a hold run out, approve, reject, cancel, promote out of
//! turn — on one event whose pending registrations hold their places and
//! one whose do not, both verifying emails, with categories in and outside
//! the quotas and with places of their own. Whatever the interleaving, no
//! counter is overbooked, no freed place is left unoffered, and `rencontre
//! check` passes, in the middle and at the end.

use std::sync::Mutex;

use chrono::Utc;
use diesel::QueryableByName;
use diesel::sql_types::{Text, Uuid as SqlUuid};
use diesel_async::RunQueryDsl;
use futures_util::future::join_all;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use reqwest::Method;
use serde_json::{Value, json};

use crate::support::{EventSpec, TestApp, assert_invariants_hold, create_event, delegate};

const CLIENTS: u64 = 4;
const STEPS: usize = 45;
const EVENTS: [&str; 2] = ["lima-1997", "dakar-2005"];
const COUNTRIES: [&str; 3] = ["SN", "BR", "ML"];
const CATEGORIES: [&str; 3] = ["delegate", "press", "observer"];

/// A registration a client made: its event, id and private token.
#[derive(Clone)]
struct Made {
    slug: &'static str,
    id: String,
    token: String,
}

#[derive(QueryableByName)]
struct Link {
    #[diesel(sql_type = SqlUuid)]
    id: uuid::Uuid,
    #[diesel(sql_type = Text)]
    body: String,
}

/// The verification token of a registration's first email.
async fn verification_token(app: &TestApp, id: &str) -> Option<String> {
    let mut conn = app.pool.get().await.expect("connection");
    let rows: Vec<Link> = diesel::sql_query(
        "SELECT registration_id AS id, body_text AS body FROM email_outbox
          WHERE registration_id = $1::uuid AND kind IN ('confirmation', 'waitlisted')",
    )
    .bind::<Text, _>(id)
    .load(&mut conn)
    .await
    .expect("links");
    let row = rows.into_iter().next()?;
    assert_eq!(row.id.to_string(), id);
    let start = row.body.find("/verify/")? + 8;
    Some(
        row.body[start..]
            .chars()
            .take_while(char::is_ascii_alphanumeric)
            .collect(),
    )
}

async fn set_up(app: &TestApp) -> String {
    for slug in EVENTS {
        create_event(
            &app.pool,
            EventSpec {
                slug,
                capacity: Some(8),
                default_country_capacity: Some(3),
                countries: vec![("SN", 4)],
                verification: true,
                ..EventSpec::default()
            },
        )
        .await;
    }
    let organiser = app.organiser_token("organiser").await;
    for slug in EVENTS {
        for body in [
            json!({"code": "delegate", "names": {"fr": "Délégué·e"}, "needs_approval": true}),
            json!({"code": "press", "names": {"fr": "Presse"}, "counts_in_quotas": false,
                   "capacity": 2, "position": 1}),
            json!({"code": "observer", "names": {"fr": "Observateur·rice"}, "capacity": 3,
                   "position": 2}),
        ] {
            let path = format!("/api/v1/events/{slug}/categories");
            let (status, answer) = app
                .send(Method::POST, Some(&organiser), &path, Some(body))
                .await;
            assert_eq!(status, 201, "{answer}");
        }
    }
    let mut conn = app.pool.get().await.expect("connection");
    diesel::sql_query("UPDATE events SET pending_holds_place = false WHERE slug = 'dakar-2005'")
        .execute(&mut conn)
        .await
        .expect("setting");
    organiser
}

/// One client's life: `STEPS` random steps, seeded.
async fn client(app: &TestApp, organiser: &str, seed: u64, made: &Mutex<Vec<Made>>) {
    let mut rng = StdRng::seed_from_u64(seed);
    for step in 0..STEPS {
        let known: Vec<Made> = made.lock().expect("list").clone();
        let pick = |rng: &mut StdRng| -> Option<Made> {
            (!known.is_empty()).then(|| known[rng.random_range(0..known.len())].clone())
        };
        let (status, answer) = match rng.random_range(0..10) {
            0..=3 => {
                let slug = EVENTS[rng.random_range(0..EVENTS.len())];
                // Emails from a small pool: some arrive twice.
                let mut body = delegate(rng.random_range(0..60), COUNTRIES[rng.random_range(0..3)]);
                body["category"] = json!(CATEGORIES[rng.random_range(0..3)]);
                let response = app.register(slug, &body).await;
                let status = response.status().as_u16();
                let answer: Value = response.json().await.expect("json");
                if status == 201 {
                    let token = answer["manage_url"]
                        .as_str()
                        .and_then(|url| url.rsplit('/').next())
                        .expect("a private link")
                        .to_owned();
                    let id = answer["id"].as_str().expect("id").to_owned();
                    made.lock().expect("list").push(Made { slug, id, token });
                }
                (status, answer)
            }
            4 => {
                let Some(one) = pick(&mut rng) else { continue };
                let Some(token) = verification_token(app, &one.id).await else {
                    continue;
                };
                app.send(Method::POST, None, &format!("/api/v1/verify/{token}"), None)
                    .await
            }
            5 => {
                // A hold runs out, and the worker's round comes.
                let Some(one) = pick(&mut rng) else { continue };
                let mut conn = app.pool.get().await.expect("connection");
                diesel::sql_query(
                    "UPDATE registrations SET verify_by = now() - interval '1 minute'
                      WHERE id = $1::uuid AND status = 'unverified'",
                )
                .bind::<Text, _>(&one.id)
                .execute(&mut conn)
                .await
                .expect("deadline");
                rencontre::registration::verify::expire_holds(&mut conn, Utc::now())
                    .await
                    .expect("expiry");
                (200, Value::Null)
            }
            6 => {
                let Some(one) = pick(&mut rng) else { continue };
                let path = format!(
                    "/api/v1/events/{}/registrations/{}/approve",
                    one.slug, one.id
                );
                app.send(Method::POST, Some(organiser), &path, None).await
            }
            7 => {
                let Some(one) = pick(&mut rng) else { continue };
                let path = format!(
                    "/api/v1/events/{}/registrations/{}/reject",
                    one.slug, one.id
                );
                let body = json!({"reason": "other"});
                app.send(Method::POST, Some(organiser), &path, Some(body))
                    .await
            }
            8 => {
                let Some(one) = pick(&mut rng) else { continue };
                let path = format!("/api/v1/registrations/{}/cancel", one.token);
                app.send(Method::POST, None, &path, None).await
            }
            _ => {
                let Some(one) = pick(&mut rng) else { continue };
                let path = format!(
                    "/api/v1/events/{}/registrations/{}/promote",
                    one.slug, one.id
                );
                let body = json!({"why": "a speaker"});
                app.send(Method::POST, Some(organiser), &path, Some(body))
                    .await
            }
        };
        assert!(
            status < 500 && ![401, 403].contains(&status),
            "client {seed}, step {step}: {status} {answer}"
        );
        if seed == 0 && step % 15 == 14 {
            assert_invariants_hold(&app.pool).await;
        }
    }
}

#[tokio::test]
async fn random_lives_from_parallel_clients_never_overbook_nor_leave_a_place_unoffered() {
    let app = TestApp::spawn().await;
    let organiser = set_up(&app).await;
    let made = Mutex::new(Vec::new());
    join_all((0..CLIENTS).map(|seed| client(&app, &organiser, seed, &made))).await;
    assert!(
        made.lock().expect("list").len() >= 40,
        "enough registrations to fill every counter"
    );
    assert_invariants_hold(&app.pool).await;
    // The lives went through most statuses: the interleavings were not
    // all of one kind.
    let statuses = crate::support::count(
        &app.pool,
        "SELECT count(DISTINCT status) AS count FROM registrations",
    )
    .await;
    assert!(statuses >= 4, "only {statuses} statuses reached");
}
