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
