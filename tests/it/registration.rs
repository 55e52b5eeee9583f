//! The public registration API of API.md, one behaviour per test.

use serde_json::{Value, json};

use crate::support::{EventSpec, TestApp, assert_invariants_hold, count, create_event, delegate};

fn token_of(answer: &Value) -> String {
    answer["manage_url"]
        .as_str()
        .expect("manage_url")
        .rsplit('/')
        .next()
        .expect("token")
        .to_owned()
}

async fn nothing_written(app: &TestApp) {
    for table in [
        "registrations",
        "registration_sessions",
        "email_outbox",
        "idempotency_keys",
    ] {
        assert_eq!(
            count(&app.pool, &format!("SELECT count(*) AS count FROM {table}")).await,
            0,
            "{table}"
        );
    }
    assert_eq!(
        count(
            &app.pool,
            "SELECT coalesce(sum(taken), 0)::bigint AS count FROM sessions"
        )
        .await,
        0
    );
    assert_eq!(
        count(
            &app.pool,
            "SELECT coalesce(sum(taken), 0)::bigint AS count FROM events"
        )
        .await,
        0
    );
}

#[tokio::test]
async fn the_public_event_is_served_from_a_copy_at_most_event_cache_ms_old() {
    let app = TestApp::spawn_with(|settings| settings.http.event_cache_ms = 1500).await;
    let remaining = |path: &'static str| {
        let request = app.client.get(app.url(path));
        async move {
            let response = request.send().await.unwrap();
            let status = response.status().as_u16();
            let body: Value = response.json().await.unwrap_or(Value::Null);
            (status, body["remaining"].as_i64())
        }
    };
    // An event that does not exist yet is not remembered as missing.
    assert_eq!(remaining("/api/v1/events/lima-1997").await.0, 404);
    create_event(
        &app.pool,
        EventSpec {
            capacity: Some(100),
            ..EventSpec::default()
        },
    )
    .await;
    assert_eq!(
        remaining("/api/v1/events/lima-1997").await,
        (200, Some(100))
    );

    let started = std::time::Instant::now();
    assert_eq!(
        app.register("lima-1997", &delegate(1, "SN")).await.status(),
        201
    );
    let (status, cached) = remaining("/api/v1/events/lima-1997").await;
    if started.elapsed() < std::time::Duration::from_millis(1200) {
        assert_eq!((status, cached), (200, Some(100)), "still the copy");
    }
    tokio::time::sleep(std::time::Duration::from_millis(1600)).await;
    assert_eq!(remaining("/api/v1/events/lima-1997").await, (200, Some(99)));
    // The registration itself was decided on the rows, not on the copy.
    assert_eq!(
        count(
            &app.pool,
            "SELECT count(*) AS count FROM registrations WHERE status = 'confirmed'"
        )
        .await,
        1
    );
}

#[tokio::test]
async fn an_organisers_change_is_seen_at_once_despite_the_event_copy() {
    let app = TestApp::spawn_with(|settings| settings.http.event_cache_ms = 60_000).await;
    create_event(
        &app.pool,
        EventSpec {
            capacity: Some(100),
            countries: vec![("SN", 5)],
            ..EventSpec::default()
        },
    )
    .await;
    let token = app.organiser_token("organiser").await;
    let event = || {
        let request = app.client.get(app.url("/api/v1/events/lima-1997"));
        async move { request.send().await.unwrap().json::<Value>().await.unwrap() }
    };
    let senegal = |event: &Value| {
        event["countries"]
            .as_array()
            .unwrap()
            .iter()
            .find(|country| country["code"] == "SN")
            .map(|country| country["capacity"].clone())
    };
    assert_eq!(senegal(&event().await), Some(json!(5)));

    // A delegate's registration leaves the copy as it is (it is the rush's
    // readers that the copy serves)...
    assert_eq!(
        app.register("lima-1997", &delegate(1, "SN")).await.status(),
        201
    );
    assert_eq!(event().await["remaining"], 100, "still the copy");

    // ...an organiser's change drops it.
    let raised = app
        .client
        .put(app.url("/api/v1/events/lima-1997/countries/sn"))
        .bearer_auth(&token)
        .json(&json!({"capacity": 9}))
        .send()
        .await
        .unwrap();
    assert_eq!(raised.status(), 200);
    let after = event().await;
    assert_eq!(senegal(&after), Some(json!(9)));
    assert_eq!(after["remaining"], 99);
}

#[tokio::test]
async fn the_event_answers_with_places_left_everywhere() {
    let app = TestApp::spawn().await;
    create_event(
        &app.pool,
        EventSpec {
            capacity: Some(100),
            countries: vec![("SN", 3)],
            sessions: vec![("A3", Some(60), 0, 10, 12), ("P1", None, 0, 14, 16)],
            ..EventSpec::default()
        },
    )
    .await;
    let mut body = delegate(1, "SN");
    body["sessions"] = json!(["A3"]);
    assert_eq!(app.register("lima-1997", &body).await.status(), 201);

    let event: Value = app
        .client
        .get(app.url("/api/v1/events/lima-1997"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(event["slug"], "lima-1997");
    assert_eq!(event["timezone"], "America/Lima");
    assert_eq!(event["registration"]["open"], true);
    assert_eq!(
        (event["capacity"].as_i64(), event["remaining"].as_i64()),
        (Some(100), Some(99))
    );
    let a3 = &event["sessions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["code"] == "A3")
        .unwrap();
    assert_eq!(
        (a3["capacity"].as_i64(), a3["remaining"].as_i64()),
        (Some(60), Some(59))
    );
    let p1 = &event["sessions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["code"] == "P1")
        .unwrap();
    assert!(
        p1["capacity"].is_null() && p1["remaining"].is_null(),
        "unlimited is null"
    );
    assert_eq!(
        event["countries"],
        json!([{"code": "SN", "capacity": 3, "remaining": 2}])
    );

    let missing = app
        .client
        .get(app.url("/api/v1/events/nowhere"))
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), 404);
    assert_eq!(missing.json::<Value>().await.unwrap()["error"], "not_found");
}

#[tokio::test]
async fn a_registration_is_confirmed_with_a_private_link_and_its_email_queued() {
    let app = TestApp::spawn().await;
    create_event(
        &app.pool,
        EventSpec {
            sessions: vec![("A3", Some(60), 0, 10, 12)],
            ..EventSpec::default()
        },
    )
    .await;
    let mut body = delegate(1, "ml");
    body["sessions"] = json!(["a3"]);
    body["given_name"] = json!("  Aminata ");

    let response = app.register("lima-1997", &body).await;
    assert_eq!(response.status(), 201);
    let answer: Value = response.json().await.unwrap();
    assert_eq!(answer["status"], "confirmed");
    assert!(answer["waitlist_position"].is_null());
    assert_eq!(
        answer["sessions"],
        json!([{"code": "A3", "status": "confirmed"}])
    );
    assert_eq!(answer["given_name"], "Aminata");
    assert_eq!(answer["country"], "ML");
    assert!(answer["reference"].as_str().unwrap().starts_with("LIM-"));
    let token = token_of(&answer);
    assert!(token.len() >= 32, "at least 128 bits");
    assert!(
        answer["manage_url"]
            .as_str()
            .unwrap()
            .starts_with(&app.address)
    );

    let fetched: Value = app
        .client
        .get(app.url(&format!("/api/v1/registrations/{token}")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(fetched["id"], answer["id"]);
    assert_eq!(fetched["reference"], answer["reference"]);
    // The id is not a capability.
    let by_id = app
        .client
        .get(app.url(&format!(
            "/api/v1/registrations/{}",
            answer["id"].as_str().unwrap()
        )))
        .send()
        .await
        .unwrap();
    assert_eq!(by_id.status(), 404);

    assert_eq!(count(&app.pool, "SELECT count(*) AS count FROM email_outbox WHERE kind = 'confirmation' AND recipient = 'delegate1@example.org' AND language = 'fr'").await, 1);
    assert_eq!(count(&app.pool, "SELECT count(*) AS count FROM registrations WHERE token_hash = sha256(convert_to('{}', 'UTF8'))".replace("{}", &token).as_str()).await, 1, "only the hash is stored");
    assert_invariants_hold(&app.pool).await;
}

#[tokio::test]
async fn cancelling_a_confirmed_registration_promotes_exactly_the_oldest_waiting_one() {
    let app = TestApp::spawn().await;
    create_event(
        &app.pool,
        EventSpec {
            capacity: Some(2),
            sessions: vec![("A1", Some(1), 0, 9, 10)],
            ..EventSpec::default()
        },
    )
    .await;
    let mut answers = Vec::new();
    for n in 0..4 {
        let mut body = delegate(n, "PE");
        body["sessions"] = json!(["A1"]);
        answers.push(
            app.register("lima-1997", &body)
                .await
                .json::<Value>()
                .await
                .unwrap(),
        );
    }
    let statuses: Vec<&str> = answers
        .iter()
        .map(|a| a["status"].as_str().unwrap())
        .collect();
    assert_eq!(
        statuses,
        ["confirmed", "confirmed", "waitlisted", "waitlisted"]
    );
    assert_eq!(
        (
            answers[2]["waitlist_position"].as_i64(),
            answers[3]["waitlist_position"].as_i64()
        ),
        (Some(1), Some(2))
    );
    assert_eq!(answers[0]["sessions"][0]["status"], "confirmed");
    assert_eq!(answers[1]["sessions"][0]["status"], "waitlisted");

    let cancelled: Value = app
        .client
        .post(app.url(&format!(
            "/api/v1/registrations/{}/cancel",
            token_of(&answers[0])
        )))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(cancelled["status"], "cancelled");

    let get = |answer: &Value| {
        let url = app.url(&format!("/api/v1/registrations/{}", token_of(answer)));
        let client = app.client.clone();
        async move {
            client
                .get(url)
                .send()
                .await
                .unwrap()
                .json::<Value>()
                .await
                .unwrap()
        }
    };
    let (second, third, fourth) = (
        get(&answers[1]).await,
        get(&answers[2]).await,
        get(&answers[3]).await,
    );
    assert_eq!(
        third["status"], "confirmed",
        "the oldest waiting delegate got the place"
    );
    assert_eq!(fourth["status"], "waitlisted");
    assert_eq!(fourth["waitlist_position"], 1, "and the next one moved up");
    assert_eq!(
        second["sessions"][0]["status"], "confirmed",
        "the freed seat went to the oldest waiting choice"
    );
    assert_eq!(third["sessions"][0]["status"], "waitlisted");

    assert_eq!(
        count(
            &app.pool,
            "SELECT count(*) AS count FROM email_outbox WHERE kind = 'cancelled'"
        )
        .await,
        1
    );
    assert_eq!(count(&app.pool, "SELECT count(*) AS count FROM email_outbox WHERE kind = 'promoted' AND recipient = 'delegate2@example.org'").await, 1);
    assert_eq!(count(&app.pool, "SELECT count(*) AS count FROM email_outbox WHERE kind = 'promoted' AND recipient = 'delegate1@example.org'").await, 1);
    assert_eq!(
        count(
            &app.pool,
            "SELECT count(*) AS count FROM email_outbox WHERE kind = 'promoted'"
        )
        .await,
        2
    );

    // Cancelling again changes nothing.
    let again = app
        .client
        .post(app.url(&format!(
            "/api/v1/registrations/{}/cancel",
            token_of(&answers[0])
        )))
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 200);
    assert_eq!(
        count(
            &app.pool,
            "SELECT count(*) AS count FROM email_outbox WHERE kind = 'cancelled'"
        )
        .await,
        1
    );
    assert_invariants_hold(&app.pool).await;
}

#[tokio::test]
async fn a_full_country_waitlists_and_its_queue_is_per_country() {
    let app = TestApp::spawn().await;
    create_event(
        &app.pool,
        EventSpec {
            default_country_capacity: Some(1),
            ..EventSpec::default()
        },
    )
    .await;
    let first_sn = app
        .register("lima-1997", &delegate(1, "SN"))
        .await
        .json::<Value>()
        .await
        .unwrap();
    let second_sn = app
        .register("lima-1997", &delegate(2, "SN"))
        .await
        .json::<Value>()
        .await
        .unwrap();
    let first_br = app
        .register("lima-1997", &delegate(3, "BR"))
        .await
        .json::<Value>()
        .await
        .unwrap();
    let second_br = app
        .register("lima-1997", &delegate(4, "BR"))
        .await
        .json::<Value>()
        .await
        .unwrap();
    assert_eq!(first_sn["status"], "confirmed");
    assert_eq!(
        (
            second_sn["status"].as_str(),
            second_sn["waitlist_position"].as_i64()
        ),
        (Some("waitlisted"), Some(1))
    );
    assert_eq!(first_br["status"], "confirmed");
    assert_eq!(
        (
            second_br["status"].as_str(),
            second_br["waitlist_position"].as_i64()
        ),
        (Some("waitlisted"), Some(1))
    );
    assert_invariants_hold(&app.pool).await;
}

#[tokio::test]
async fn changing_sessions_frees_and_takes_seats_atomically() {
    let app = TestApp::spawn().await;
    create_event(
        &app.pool,
        EventSpec {
            sessions: vec![
                ("A1", Some(1), 0, 9, 10),
                ("A2", Some(1), 0, 11, 12),
                ("A3", Some(5), 0, 9, 10),
            ],
            ..EventSpec::default()
        },
    )
    .await;
    let mut first = delegate(1, "PE");
    first["sessions"] = json!(["A1"]);
    let first = app
        .register("lima-1997", &first)
        .await
        .json::<Value>()
        .await
        .unwrap();
    let mut second = delegate(2, "PE");
    second["sessions"] = json!(["A1", "A2"]);
    let second = app
        .register("lima-1997", &second)
        .await
        .json::<Value>()
        .await
        .unwrap();
    assert_eq!(
        second["sessions"],
        json!([{"code": "A1", "status": "waitlisted"}, {"code": "A2", "status": "confirmed"}])
    );

    let change = |token: String, sessions: Value| {
        let request = app
            .client
            .put(app.url(&format!("/api/v1/registrations/{token}/sessions")))
            .json(&json!({"sessions": sessions}));
        async move { request.send().await.unwrap() }
    };
    // Overlapping choice is refused and changes nothing.
    let refused = change(token_of(&first), json!(["A1", "A3"])).await;
    assert_eq!(refused.status(), 422);
    assert!(refused.json::<Value>().await.unwrap()["fields"]["sessions"].is_string());

    let moved: Value = change(token_of(&first), json!(["A3"]))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        moved["sessions"],
        json!([{"code": "A3", "status": "confirmed"}])
    );
    let second_now: Value = app
        .client
        .get(app.url(&format!("/api/v1/registrations/{}", token_of(&second))))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        second_now["sessions"],
        json!([{"code": "A1", "status": "confirmed"}, {"code": "A2", "status": "confirmed"}])
    );
    assert_eq!(
        count(
            &app.pool,
            "SELECT count(*) AS count FROM email_outbox WHERE kind = 'sessions_changed'"
        )
        .await,
        1
    );
    assert_eq!(
        count(
            &app.pool,
            "SELECT count(*) AS count FROM email_outbox WHERE kind = 'promoted'"
        )
        .await,
        1
    );
    assert_invariants_hold(&app.pool).await;
}

#[tokio::test]
async fn each_bad_input_gets_its_error_and_field_and_leaves_nothing_behind() {
    let app = TestApp::spawn().await;
    create_event(
        &app.pool,
        EventSpec {
            sessions: vec![("A1", Some(10), 0, 9, 11), ("A2", Some(10), 0, 10, 12)],
            ..EventSpec::default()
        },
    )
    .await;
    let with = |field: &str, value: Value| {
        let mut body = delegate(1, "SN");
        body[field] = value;
        body
    };
    let cases: Vec<(Value, &str)> = vec![
        (with("given_name", json!("   ")), "given_name"),
        (with("given_name", json!("x".repeat(101))), "given_name"),
        (with("given_name", json!("Ami\u{202E}nata")), "given_name"),
        (with("email", json!("not-an-email")), "email"),
        (with("email", json!("a@b")), "email"),
        (with("country", json!("XX")), "country"),
        (with("country", json!(12)), "country"),
        (with("language", json!("de")), "language"),
        (with("sessions", json!(["Z9"])), "sessions"),
        (with("sessions", json!(["A1", "A2"])), "sessions"),
        (with("sessions", json!("A1")), "sessions"),
        (with("badge_colour", json!("red")), "badge_colour"),
    ];
    for (body, field) in cases {
        let response = app.register("lima-1997", &body).await;
        assert_eq!(response.status(), 422, "{body}");
        let answer: Value = response.json().await.unwrap();
        assert_eq!(answer["error"], "validation", "{answer}");
        assert!(
            answer["fields"][field]
                .as_str()
                .is_some_and(|m| !m.is_empty()),
            "{field}: {answer}"
        );
    }
    let not_json = app
        .client
        .post(app.url("/api/v1/events/lima-1997/registrations"))
        .body("{given_name:")
        .header("content-type", "application/json")
        .send()
        .await
        .unwrap();
    assert_eq!(not_json.status(), 422);
    let huge = app
        .client
        .post(app.url("/api/v1/events/lima-1997/registrations"))
        .body(vec![b' '; 200_000])
        .header("content-type", "application/json")
        .send()
        .await
        .unwrap();
    assert_eq!(huge.status(), 413);
    assert_eq!(
        huge.json::<Value>().await.unwrap()["error"],
        "payload_too_large"
    );
    nothing_written(&app).await;
}

#[tokio::test]
async fn the_same_email_twice_is_a_duplicate_whatever_its_case() {
    let app = TestApp::spawn().await;
    create_event(&app.pool, EventSpec::default()).await;
    assert_eq!(
        app.register("lima-1997", &delegate(1, "SN")).await.status(),
        201
    );
    let mut again = delegate(2, "ML");
    again["email"] = json!("Delegate1@EXAMPLE.org");
    let response = app.register("lima-1997", &again).await;
    assert_eq!(response.status(), 409);
    assert_eq!(
        response.json::<Value>().await.unwrap()["error"],
        "duplicate"
    );
    assert_eq!(
        count(&app.pool, "SELECT count(*) AS count FROM registrations").await,
        1
    );
    assert_eq!(
        count(&app.pool, "SELECT count(*) AS count FROM email_outbox").await,
        1
    );
}

#[tokio::test]
async fn a_closed_window_refuses_registration() {
    let app = TestApp::spawn().await;
    create_event(
        &app.pool,
        EventSpec {
            open: false,
            ..EventSpec::default()
        },
    )
    .await;
    let response = app.register("lima-1997", &delegate(1, "SN")).await;
    assert_eq!(response.status(), 409);
    assert_eq!(
        response.json::<Value>().await.unwrap()["error"],
        "registration_closed"
    );
    nothing_written(&app).await;
}

#[tokio::test]
async fn a_retry_with_the_same_idempotency_key_returns_the_first_answer() {
    let app = TestApp::spawn().await;
    create_event(&app.pool, EventSpec::default()).await;
    let body = delegate(1, "SN");
    let send = |key: &'static str, body: Value| {
        let request = app
            .client
            .post(app.url("/api/v1/events/lima-1997/registrations"))
            .header("Idempotency-Key", key)
            .json(&body);
        async move { request.send().await.unwrap() }
    };
    let (first, second) = tokio::join!(send("k-1", body.clone()), send("k-1", body.clone()));
    assert_eq!(
        (first.status().as_u16(), second.status().as_u16()),
        (201, 201)
    );
    let (first, second): (Value, Value) =
        (first.json().await.unwrap(), second.json().await.unwrap());
    assert_eq!(first["id"], second["id"]);
    assert_eq!(first["manage_url"], second["manage_url"]);
    assert_eq!(
        count(&app.pool, "SELECT count(*) AS count FROM registrations").await,
        1
    );
    assert_eq!(
        count(&app.pool, "SELECT count(*) AS count FROM email_outbox").await,
        1
    );

    let mut other = body.clone();
    other["given_name"] = json!("Someone else");
    let reused = send("k-1", other).await;
    assert_eq!(reused.status(), 422);
    assert!(reused.json::<Value>().await.unwrap()["fields"]["Idempotency-Key"].is_string());
}

#[tokio::test]
async fn too_many_registrations_from_one_address_are_refused_with_retry_after() {
    let app = TestApp::spawn_with(|settings| settings.http.registrations_per_minute = 3).await;
    create_event(&app.pool, EventSpec::default()).await;
    for n in 0..3 {
        assert_eq!(
            app.register("lima-1997", &delegate(n, "SN")).await.status(),
            201
        );
    }
    let refused = app.register("lima-1997", &delegate(3, "SN")).await;
    assert_eq!(refused.status(), 429);
    let retry_after: u64 = refused.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=20).contains(&retry_after), "{retry_after}");
    assert_eq!(
        refused.json::<Value>().await.unwrap()["error"],
        "rate_limited"
    );
    let form = app
        .client
        .post(app.url("/events/lima-1997/register"))
        .form(&[("given_name", "x")])
        .send()
        .await
        .unwrap();
    assert_eq!(form.status(), 429, "the form shares the limit");
    assert!(form.headers().contains_key("retry-after"));
    assert_eq!(
        count(&app.pool, "SELECT count(*) AS count FROM registrations").await,
        3
    );
}

#[tokio::test]
async fn waiting_list_lengths_follow_every_write_and_check_notices_a_wrong_one() {
    use diesel_async::RunQueryDsl;

    let app = TestApp::spawn().await;
    create_event(
        &app.pool,
        EventSpec {
            capacity: Some(2),
            countries: vec![("SN", 1)],
            ..EventSpec::default()
        },
    )
    .await;
    // SN: one place, then two waiting on the country's list; PE: one place
    // (the event's last), then one waiting on the event's list.
    for (n, country) in [(0, "SN"), (1, "SN"), (2, "SN"), (3, "PE"), (4, "PE")] {
        assert_eq!(
            app.register("lima-1997", &delegate(n, country))
                .await
                .status(),
            201
        );
    }
    let waiting = |sql: &'static str| count(&app.pool, sql);
    assert_eq!(
        waiting("SELECT waiting::bigint AS count FROM events").await,
        3
    );
    assert_eq!(
        waiting("SELECT waiting::bigint AS count FROM country_quotas WHERE country_code = 'SN'")
            .await,
        2
    );
    assert_invariants_hold(&app.pool).await;

    // An organiser's direct edit in SQL, several rows in one statement: the
    // trigger keeps the lengths right.
    let mut conn = app.pool.get().await.unwrap();
    diesel::sql_query(
        "UPDATE registrations SET status = 'cancelled', cancelled_at = now() \
         WHERE status = 'waitlisted' AND country_code = 'SN'",
    )
    .execute(&mut conn)
    .await
    .unwrap();
    assert_eq!(
        waiting("SELECT waiting::bigint AS count FROM events").await,
        1
    );
    assert_eq!(
        waiting("SELECT waiting::bigint AS count FROM country_quotas WHERE country_code = 'SN'")
            .await,
        0
    );
    assert_invariants_hold(&app.pool).await;

    // A counter that disagrees with the rows is reported.
    diesel::sql_query("UPDATE country_quotas SET waiting = waiting + 1 WHERE country_code = 'PE'")
        .execute(&mut conn)
        .await
        .unwrap();
    let violations = rencontre::registration::check::violations(&mut conn)
        .await
        .unwrap();
    assert_eq!(violations.len(), 1, "{violations:?}");
    assert!(
        violations[0].contains("country PE: waiting 2, waitlisted 1"),
        "{violations:?}"
    );
}
