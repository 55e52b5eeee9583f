//! Which questions a registration is asked: a question may be put to some
//! participant categories only, and one of stage `after_approval` only once
//! the registration is confirmed — on the private page and through the
//! answers API, never on the registration form.

use reqwest::Method;
use serde_json::{Value, json};

use crate::support::{EventSpec, TestApp, create_event, delegate};

fn token_of(registered: &Value) -> String {
    registered["manage_url"]
        .as_str()
        .expect("manage_url")
        .rsplit('/')
        .next()
        .expect("token")
        .to_owned()
}

async fn put_answers(app: &TestApp, token: &str, answers: Value) -> (u16, Value) {
    let response = app
        .client
        .put(app.url(&format!("/api/v1/registrations/{token}/answers")))
        .json(&json!({ "answers": answers }))
        .send()
        .await
        .expect("PUT answers");
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

async fn private_page(app: &TestApp, token: &str) -> String {
    app.client
        .get(app.url(&format!("/r/{token}")))
        .header("Accept-Language", "en")
        .send()
        .await
        .expect("private page")
        .text()
        .await
        .expect("text")
}

#[tokio::test]
async fn questions_are_put_by_category_and_after_approval_once_confirmed() {
    let app = TestApp::spawn().await;
    create_event(
        &app.pool,
        EventSpec {
            countries: vec![("SN", 10)],
            ..EventSpec::default()
        },
    )
    .await;
    let organiser = app.organiser_token("organiser").await;
    let base = "/api/v1/events/lima-1997";
    for category in [
        json!({"code": "delegate", "names": {"en": "Delegate"}, "needs_approval": true}),
        json!({"code": "press", "names": {"en": "Press"}}),
    ] {
        let (status, body) = app
            .send(
                Method::POST,
                Some(&organiser),
                &format!("{base}/categories"),
                Some(category),
            )
            .await;
        assert_eq!(status, 201, "{body}");
    }
    let press_card = json!({"code": "press_card", "type": "text", "required": true,
        "labels": {"en": "Press card number"}, "categories": ["press"]});
    let mut unknown = press_card.clone();
    unknown["categories"] = json!(["press", "observer"]);
    let (status, body) = app
        .send(
            Method::POST,
            Some(&organiser),
            &format!("{base}/questions"),
            Some(unknown),
        )
        .await;
    assert_eq!(status, 422, "{body}");
    assert!(body["fields"]["categories.1"].is_string(), "{body}");
    assert!(body["fields"].get("categories.0").is_none(), "{body}");
    let (status, body) = app
        .send(
            Method::POST,
            Some(&organiser),
            &format!("{base}/questions"),
            Some(press_card),
        )
        .await;
    assert_eq!(
        (status, &body["categories"]),
        (201, &json!(["press"])),
        "{body}"
    );
    let passport = json!({"code": "passport", "type": "text", "required": true,
        "labels": {"en": "Passport number"}, "stage": "after_approval"});
    let (status, body) = app
        .send(
            Method::POST,
            Some(&organiser),
            &format!("{base}/questions"),
            Some(passport),
        )
        .await;
    assert_eq!(status, 201, "{body}");

    // The public form lists neither: the press card is for the press only
    // and says so, and the passport is not asked on registering.
    let event: Value = app
        .client
        .get(app.url("/api/v1/events/lima-1997"))
        .send()
        .await
        .expect("event")
        .json()
        .await
        .expect("json");
    let listed: Vec<&str> = event["questions"]
        .as_array()
        .expect("questions")
        .iter()
        .filter_map(|question| question["code"].as_str())
        .collect();
    assert_eq!(listed, ["press_card"]);
    let form = app
        .client
        .get(app.url("/events/lima-1997/register?lang=en"))
        .send()
        .await
        .expect("form")
        .text()
        .await
        .expect("text");
    assert!(
        form.contains("Press card number") && form.contains("Only for: Press."),
        "{form}"
    );
    assert!(!form.contains("Passport number"), "{form}");

    // A delegate is not asked for a press card: even a bad answer is
    // dropped. A journalist must give one.
    let mut body = delegate(0, "SN");
    body["answers"] = json!({"press_card": 7});
    let response = app.register("lima-1997", &body).await;
    assert_eq!(response.status(), 201);
    let registered: Value = response.json().await.expect("json");
    assert_eq!(
        (&registered["status"], &registered["answers"]),
        (&json!("pending"), &json!({})),
        "{registered}"
    );
    let delegate_token = token_of(&registered);
    let delegate_id = registered["id"].as_str().expect("id").to_owned();

    let mut body = delegate(1, "SN");
    body["category"] = json!("press");
    let response = app.register("lima-1997", &body).await;
    assert_eq!(response.status(), 422);
    let refused: Value = response.json().await.expect("json");
    assert!(
        refused["fields"]["answers.press_card"].is_string(),
        "{refused}"
    );
    body["answers"] = json!({"press_card": "PC-17"});
    let response = app.register("lima-1997", &body).await;
    assert_eq!(response.status(), 201);
    let journalist: Value = response.json().await.expect("json");
    assert_eq!(journalist["status"], "confirmed", "{journalist}");
    let journalist_token = token_of(&journalist);

    // Before approval the passport is neither shown nor taken.
    assert!(
        !private_page(&app, &delegate_token)
            .await
            .contains("Passport number")
    );
    let (status, body) = put_answers(&app, &delegate_token, json!({"passport": "A123"})).await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(
        body["fields"]["answers.passport"],
        "This question is asked once your registration is confirmed.",
        "{body}"
    );
    let (status, body) = put_answers(&app, &delegate_token, json!({})).await;
    assert_eq!(
        status, 200,
        "an unapproved delegate owes no passport yet: {body}"
    );

    // Once approved it is on the private page, and required.
    let (status, body) = app
        .send(
            Method::POST,
            Some(&organiser),
            &format!("{base}/registrations/{delegate_id}/approve"),
            None,
        )
        .await;
    assert_eq!(
        (status, body["status"].as_str()),
        (200, Some("confirmed")),
        "{body}"
    );
    let page = private_page(&app, &delegate_token).await;
    assert!(page.contains("Passport number"), "{page}");
    assert!(
        !page.contains("Press card number"),
        "not asked of a delegate"
    );
    let (status, body) = put_answers(&app, &delegate_token, json!({})).await;
    assert_eq!(status, 422, "{body}");
    assert!(body["fields"]["answers.passport"].is_string(), "{body}");
    let (status, body) = put_answers(&app, &delegate_token, json!({"passport": "A123"})).await;
    assert_eq!(
        (status, &body["answers"]),
        (200, &json!({"passport": "A123"})),
        "{body}"
    );

    // A journalist needs no approval: confirmed, the passport is asked at
    // once, and the press card stays among the answers.
    let page = private_page(&app, &journalist_token).await;
    assert!(page.contains("Passport number") && page.contains("Press card number"));
    let (status, body) = put_answers(
        &app,
        &journalist_token,
        json!({"press_card": "PC-17", "passport": "B456"}),
    )
    .await;
    assert_eq!(status, 200, "{body}");

    // A category a question is asked of stays until the question lets go.
    let (status, body) = app
        .send(
            Method::DELETE,
            Some(&organiser),
            &format!("{base}/categories/press"),
            None,
        )
        .await;
    assert_eq!(status, 409, "{body}");
}
