//! Hostile HTTP input: every malformed request gets a 4xx in the error shape
//! of API.md (or an HTML page for forms), never a 500, and writes nothing.

use serde_json::{Value, json};

use crate::support::{EventSpec, TestApp, count, create_event, delegate};

async fn assert_error_shape(response: reqwest::Response, status: u16) -> Value {
    assert_eq!(response.status(), status);
    let body: Value = response.json().await.expect("a JSON error");
    assert!(
        body["error"].is_string() && body["message"].is_string(),
        "{body}"
    );
    body
}

#[tokio::test]
async fn malformed_bodies_get_clear_4xx_answers_and_write_nothing() {
    let app = TestApp::spawn().await;
    create_event(&app.pool, EventSpec::default()).await;
    let url = app.url("/api/v1/events/lima-1997/registrations");
    let post = |body: Vec<u8>| {
        let request = app
            .client
            .post(&url)
            .header("content-type", "application/json")
            .body(body);
        async move { request.send().await.unwrap() }
    };
    let deep = format!("{}1{}", "[".repeat(100_000), "]".repeat(100_000));
    let cases: Vec<(Vec<u8>, u16)> = vec![
        (b"{".to_vec(), 422),
        (b"".to_vec(), 422),
        (b"[1, 2, 3]".to_vec(), 422),
        (b"\"just a string\"".to_vec(), 422),
        (b"{\"given_name\": \"\xff\xfe\"}".to_vec(), 422),
        (serde_json::to_vec(&json!({"given_name": {"first": "A"}, "email": ["x"], "country": true, "sessions": [1, 2]})).unwrap(), 422),
        (deep.into_bytes(), 413),
        (format!("{{\"given_name\": \"{}\"}}", "a".repeat(70_000)).into_bytes(), 413),
    ];
    for (body, status) in cases {
        let shown = String::from_utf8_lossy(&body[..body.len().min(40)]).into_owned();
        let answer = assert_error_shape(post(body).await, status).await;
        assert_ne!(answer["error"], "internal", "{shown}");
    }
    // Nesting that fits in the size limit is refused by the parser.
    let nested = format!("{}1{}", "[".repeat(10_000), "]".repeat(10_000));
    assert_error_shape(post(nested.into_bytes()).await, 422).await;
    assert_eq!(
        count(&app.pool, "SELECT count(*) AS count FROM registrations").await,
        0
    );
}

#[tokio::test]
async fn abused_headers_and_paths_are_refused_cleanly() {
    let app = TestApp::spawn().await;
    create_event(&app.pool, EventSpec::default()).await;
    let url = app.url("/api/v1/events/lima-1997/registrations");
    let body = json!({"given_name": "A", "email": "a@example.org", "country": "SN"});

    let long_key = app
        .client
        .post(&url)
        .header("Idempotency-Key", "k".repeat(300))
        .json(&body)
        .send()
        .await
        .unwrap();
    let answer = assert_error_shape(long_key, 422).await;
    assert!(answer["fields"]["Idempotency-Key"].is_string());
    // Outside the documented alphabet (visible ASCII and inner spaces).
    for key in [&b"a\tb"[..], b"caf\xc3\xa9"] {
        let refused = app
            .client
            .post(&url)
            .header(
                "Idempotency-Key",
                reqwest::header::HeaderValue::from_bytes(key).unwrap(),
            )
            .json(&body)
            .send()
            .await
            .unwrap();
        let answer = assert_error_shape(refused, 422).await;
        assert!(answer["fields"]["Idempotency-Key"].is_string());
    }

    // A path segment that does not read is a 404 in the error shape, not
    // actix's plain text.
    let organiser = app.organiser_token("organiser").await;
    let not_an_id = app
        .client
        .post(app.url("/api/v1/events/lima-1997/registrations/0/resend"))
        .bearer_auth(&organiser)
        .send()
        .await
        .unwrap();
    assert_eq!(not_an_id.headers()["content-type"], "application/json");
    assert_eq!(
        assert_error_shape(not_an_id, 404).await["error"],
        "not_found"
    );

    let bad_token = app
        .client
        .get(app.url("/api/v1/events/lima-1997/registrations"))
        .header(
            "Authorization",
            reqwest::header::HeaderValue::from_bytes(b"Bearer \xff\xfe").unwrap(),
        )
        .send()
        .await
        .unwrap();
    assert_error_shape(bad_token, 401).await;
    let basic = app
        .client
        .get(app.url("/api/v1/events/lima-1997/registrations"))
        .header("Authorization", "Basic YTpi")
        .send()
        .await
        .unwrap();
    assert_error_shape(basic, 401).await;

    for path in [
        "/api/v1/registrations/%00%ff",
        "/api/v1/registrations/..%2f..%2fetc%2fpasswd",
        "/api/v1/events/%E2%80%AE",
    ] {
        let response = app.client.get(app.url(path)).send().await.unwrap();
        assert_eq!(response.status(), 404, "{path}");
    }

    // A form with invalid UTF-8 is answered with a page, not a crash.
    let form = app
        .client
        .post(app.url("/events/lima-1997/register"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(b"given_name=%ff%fe&email=a%40example.org".to_vec())
        .send()
        .await
        .unwrap();
    assert!(form.status().is_client_error(), "{}", form.status());
    assert_eq!(
        count(&app.pool, "SELECT count(*) AS count FROM registrations").await,
        0
    );
}

/// PostgreSQL's text cannot hold U+0000: a JSON text or a search holding it
/// is refused on its field, never a 500 from the database (the API fuzzer
/// found both), and nothing is written.
#[tokio::test]
async fn a_nul_character_in_a_text_or_a_search_is_a_422_on_that_field() {
    let app = TestApp::spawn().await;
    create_event(&app.pool, EventSpec::default()).await;
    let token = app.organiser_token("admin").await;
    let event = json!({
        "slug": "nul-2027", "name": "Nul\u{0}", "starts_on": "2027-09-10",
        "ends_on": "2027-09-13", "timezone": "UTC", "languages": ["fr", "en"],
        "descriptions": {"en": "a\u{0}b"},
        "registration_opens_at": "2026-01-01T00:00:00Z",
        "registration_closes_at": "2027-09-01T00:00:00Z",
        "capacity": 25.0,
    });
    let created = app
        .client
        .post(app.url("/api/v1/events"))
        .bearer_auth(&token)
        .json(&event)
        .send()
        .await
        .unwrap();
    let answer = assert_error_shape(created, 422).await;
    let fields = answer["fields"].as_object().expect("fields");
    let refused: Vec<&str> = fields.keys().map(String::as_str).collect();
    assert_eq!(refused, ["descriptions.en", "name"], "{answer}");
    assert_eq!(
        count(&app.pool, "SELECT count(*) AS count FROM events").await,
        1
    );

    let searched = app
        .client
        .get(app.url("/api/v1/events/lima-1997/registrations?q=a%00b"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    let answer = assert_error_shape(searched, 422).await;
    assert!(answer["fields"]["q"].is_string(), "{answer}");
}

/// A change of sessions takes an object of `sessions` alone, as the
/// document says: another field is refused on its name and nothing changes
/// (the API fuzzer found it taken and ignored).
#[tokio::test]
async fn a_change_of_sessions_refuses_a_field_it_does_not_know() {
    let app = TestApp::spawn().await;
    let spec = EventSpec {
        sessions: vec![("A1", Some(10), 0, 9, 11)],
        ..EventSpec::default()
    };
    create_event(&app.pool, spec).await;
    let mut body = delegate(1, "PE");
    body["sessions"] = json!(["A1"]);
    let registered: Value = app.register("lima-1997", &body).await.json().await.unwrap();
    let token = registered["manage_url"]
        .as_str()
        .and_then(|url| url.rsplit('/').next())
        .expect("a private token")
        .to_owned();
    let changed = app
        .client
        .put(app.url(&format!("/api/v1/registrations/{token}/sessions")))
        .json(&json!({"sessions": [], "keep": true}))
        .send()
        .await
        .unwrap();
    let answer = assert_error_shape(changed, 422).await;
    let refused: Vec<&String> = answer["fields"]
        .as_object()
        .expect("fields")
        .keys()
        .collect();
    assert_eq!(refused, ["keep"], "{answer}");
    let shown: Value = app
        .client
        .get(app.url(&format!("/api/v1/registrations/{token}")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        shown["sessions"],
        json!([{"code": "A1", "status": "confirmed"}])
    );
}
