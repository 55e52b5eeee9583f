use crate::support::TestApp;

#[tokio::test]
async fn healthz_answers_200_while_the_database_answers_and_503_once_it_is_gone() {
    let app = TestApp::spawn().await;

    let response = app
        .client
        .get(app.url("/healthz"))
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), 200);
    let body: serde_json::Value = response.json().await.expect("json");
    assert_eq!(body["database"], "ok");

    app.db.drop_now().await;

    let response = app
        .client
        .get(app.url("/healthz"))
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), 503);
    let body: serde_json::Value = response.json().await.expect("json");
    assert_eq!(body["database"], "unreachable");
}

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let app = TestApp::spawn().await;
    for path in ["/healthz", "/api/v1/events/nowhere", "/"] {
        let response = app.client.get(app.url(path)).send().await.expect("request");
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_owned()
        };
        let policy = header("content-security-policy");
        let scripts_blocked = policy.contains("script-src 'none'")
            || (policy.contains("default-src 'none'") && !policy.contains("script-src"));
        assert!(
            scripts_blocked && policy.contains("frame-ancestors 'none'"),
            "{path}: {policy}"
        );
        assert_eq!(header("x-content-type-options"), "nosniff", "{path}");
        assert!(!header("referrer-policy").is_empty(), "{path}");
    }
}
