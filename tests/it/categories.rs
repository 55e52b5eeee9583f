//! Participant categories: organisers set them up through the API; a
//! delegate registers in one (the event's first public one by default); a
//! category's own capacity is a counter like the others, and a category
//! outside the quotas (press, staff) takes no country's or event's place.

use futures_util::{StreamExt, stream};
use reqwest::Method;
use serde_json::{Value, json};

use crate::support::{EventSpec, TestApp, assert_invariants_hold, count, create_event, delegate};

const CATEGORIES: &str = "/api/v1/events/lima-1997/categories";

fn in_category(n: usize, country: &str, category: &str) -> Value {
    let mut body = delegate(n, country);
    body["category"] = json!(category);
    body
}

async fn set_up(app: &TestApp, token: &str, body: Value) -> (u16, Value) {
    app.send(Method::POST, Some(token), CATEGORIES, Some(body))
        .await
}

/// The delegates' categories (delegate, observers outside the quotas with
/// places of their own, staff by invitation only), through the API.
async fn delegates_press_and_staff(app: &TestApp, token: &str, press_places: i32) {
    let categories = [
        json!({"code": "delegate", "names": {"fr": "Délégué·e", "es": "Delegado/a"}}),
        json!({"code": "press", "names": {"fr": "Presse", "es": "Prensa"},
               "counts_in_quotas": false, "capacity": press_places, "position": 1}),
        json!({"code": "staff", "names": {"fr": "Équipe"}, "public": false, "position": 2}),
    ];
    for body in categories {
        let (status, answer) = set_up(app, token, body).await;
        assert_eq!(status, 201, "{answer}");
    }
}

#[tokio::test]
async fn organisers_set_categories_up_and_the_form_offers_the_public_ones() {
    let app = TestApp::spawn().await;
    create_event(&app.pool, EventSpec::default()).await;
    let organiser = app.organiser_token("organiser").await;
    let viewer = app.organiser_token("viewer").await;

    // Every problem of a body, field by field, and nothing written.
    let (status, answer) = set_up(
        &app,
        &organiser,
        json!({"code": "Press Corps", "names": {"de": "Presse"}, "capacity": -1,
               "public": "yes", "colour": "red"}),
    )
    .await;
    assert_eq!(status, 422, "{answer}");
    let fields = &answer["fields"];
    for field in ["code", "names.de", "capacity", "public", "colour"] {
        assert!(fields.get(field).is_some(), "{field} in {answer}");
    }
    assert_eq!(
        count(&app.pool, "SELECT count(*) AS count FROM categories").await,
        0
    );
    let (status, answer) = set_up(&app, &organiser, json!({"code": "press"})).await;
    assert_eq!(
        (status, answer["fields"]["names"].is_string()),
        (422, true),
        "{answer}"
    );

    delegates_press_and_staff(&app, &organiser, 2).await;
    let (status, answer) = set_up(
        &app,
        &organiser,
        json!({"code": "press", "names": {"fr": "Presse"}}),
    )
    .await;
    assert_eq!((status, answer["error"].as_str()), (409, Some("duplicate")));

    // A viewer reads them and changes nothing.
    let (status, list) = app.send(Method::GET, Some(&viewer), CATEGORIES, None).await;
    assert_eq!(status, 200);
    let codes: Vec<&str> = list["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|item| item["code"].as_str())
        .collect();
    assert_eq!(codes, ["delegate", "press", "staff"]);
    assert_eq!(list["items"][1]["counts_in_quotas"], false);
    assert_eq!(list["items"][1]["remaining"], 2);
    let body = json!({"code": "vip", "names": {"fr": "VIP"}});
    assert_eq!(set_up(&app, &viewer, body).await.0, 403);
    let (status, _) = app
        .send(
            Method::DELETE,
            Some(&viewer),
            &format!("{CATEGORIES}/press"),
            None,
        )
        .await;
    assert_eq!(status, 403);
    let (status, _) = app
        .send(
            Method::GET,
            Some(&viewer),
            &format!("{CATEGORIES}/nobody"),
            None,
        )
        .await;
    assert_eq!(status, 404);

    // The public event lists what delegates may choose, in their language.
    let event: Value = app
        .client
        .get(app.url("/api/v1/events/lima-1997?lang=fr"))
        .send()
        .await
        .expect("event")
        .json()
        .await
        .expect("json");
    assert_eq!(
        event["categories"],
        json!([
            {"code": "delegate", "name": "Délégué·e", "capacity": null, "remaining": null},
            {"code": "press", "name": "Presse", "capacity": 2, "remaining": 2},
        ])
    );
    let form = app
        .client
        .get(app.url("/events/lima-1997/register"))
        .header("Accept-Language", "es")
        .send()
        .await
        .expect("form")
        .text()
        .await
        .expect("html");
    assert!(
        form.contains(r#"<select id="category" name="category""#),
        "{form}"
    );
    assert!(
        form.contains("Prensa") && !form.contains("Équipe"),
        "{form}"
    );

    // An unused category may go; it is then gone from the form.
    let (status, _) = app
        .send(
            Method::DELETE,
            Some(&organiser),
            &format!("{CATEGORIES}/staff"),
            None,
        )
        .await;
    assert_eq!(status, 204);
    assert_eq!(
        count(&app.pool, "SELECT count(*) AS count FROM categories").await,
        2
    );
}

#[tokio::test]
async fn a_category_outside_the_quotas_has_its_own_places_and_its_own_waiting_list() {
    let app = TestApp::spawn().await;
    create_event(
        &app.pool,
        EventSpec {
            capacity: Some(3),
            countries: vec![("SN", 2)],
            ..EventSpec::default()
        },
    )
    .await;
    let organiser = app.organiser_token("organiser").await;
    delegates_press_and_staff(&app, &organiser, 2).await;

    // Delegates by default: the country's two places, then its list.
    let mut statuses = Vec::new();
    for n in 0..3 {
        let response = app.register("lima-1997", &delegate(n, "SN")).await;
        let body: Value = response.json().await.expect("json");
        assert_eq!(body["category"], "delegate", "the first public one: {body}");
        statuses.push(body["status"].as_str().map(str::to_owned));
    }
    assert_eq!(
        statuses,
        [
            Some("confirmed".into()),
            Some("confirmed".into()),
            Some("waitlisted".into())
        ]
    );

    // The press of the same, full country still gets its own two places.
    let mut press = Vec::new();
    for n in 10..13 {
        let response = app
            .register("lima-1997", &in_category(n, "SN", "press"))
            .await;
        assert_eq!(response.status(), 201);
        press.push(response.json::<Value>().await.expect("json"));
    }
    assert_eq!(press[0]["status"], "confirmed");
    assert_eq!(press[1]["status"], "confirmed");
    assert_eq!(press[2]["status"], "waitlisted");
    assert_eq!(
        press[2]["waitlist_position"], 1,
        "first on the press's own list"
    );

    // Staff is by invitation, and an unknown category is refused alike.
    for category in ["staff", "vip", "Not A Code"] {
        let response = app
            .register("lima-1997", &in_category(20, "SN", category))
            .await;
        let status = response.status().as_u16();
        let body: Value = response.json().await.expect("json");
        assert_eq!(status, 422, "{category}: {body}");
        assert!(body["fields"]["category"].is_string(), "{body}");
    }
    assert_eq!(
        count(&app.pool, "SELECT count(*) AS count FROM registrations").await,
        6
    );

    // The list and the export say who is in which.
    let (status, list) = app
        .send(
            Method::GET,
            Some(&organiser),
            "/api/v1/events/lima-1997/registrations?status=confirmed",
            None,
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(
        list["total"], 4,
        "two delegates and two of the press: {list}"
    );
    let csv = app
        .client
        .get(app.url("/api/v1/events/lima-1997/registrations.csv"))
        .bearer_auth(&organiser)
        .send()
        .await
        .expect("csv")
        .text()
        .await
        .expect("text");
    let mut lines = csv.lines();
    let header: Vec<&str> = lines.next().expect("header").split(',').collect();
    let column = header
        .iter()
        .position(|name| name.trim_matches('"') == "category")
        .expect("a category column");
    let press_rows = lines
        .filter(|line| line.split(',').nth(column) == Some("\"press\""))
        .count();
    assert_eq!(press_rows, 3, "{csv}");

    // A press place freed goes to the press's list, not to the delegate
    // who waited longer for the country.
    let token_of = |body: &Value| {
        let url = body["manage_url"].as_str().expect("a private link");
        url.rsplit('/').next().expect("token").to_owned()
    };
    let cancel = format!("/api/v1/registrations/{}/cancel", token_of(&press[0]));
    assert_eq!(app.send(Method::POST, None, &cancel, None).await.0, 200);
    let waiting_press = format!("/api/v1/registrations/{}", token_of(&press[2]));
    let (_, promoted) = app.send(Method::GET, None, &waiting_press, None).await;
    assert_eq!(promoted["status"], "confirmed", "{promoted}");
    let waiting_delegates = count(
        &app.pool,
        "SELECT count(*) AS count FROM registrations r JOIN categories c ON c.id = r.category_id
          WHERE c.code = 'delegate' AND r.status = 'waitlisted'",
    )
    .await;
    assert_eq!(waiting_delegates, 1);

    // What the registrations stand in the way of is a 409.
    let press_url = format!("{CATEGORIES}/press");
    let below = json!({"names": {"fr": "Presse"}, "counts_in_quotas": false, "capacity": 1});
    let (status, answer) = app
        .send(Method::PUT, Some(&organiser), &press_url, Some(below))
        .await;
    assert_eq!(
        (status, answer["error"].as_str()),
        (409, Some("conflict")),
        "{answer}"
    );
    let into_quotas = json!({"names": {"fr": "Presse"}, "counts_in_quotas": true, "capacity": 2});
    let (status, _) = app
        .send(Method::PUT, Some(&organiser), &press_url, Some(into_quotas))
        .await;
    assert_eq!(status, 409);
    let (status, _) = app
        .send(Method::DELETE, Some(&organiser), &press_url, None)
        .await;
    assert_eq!(status, 409);

    // A raised capacity gives its place to the next in the press's line.
    app.register("lima-1997", &in_category(30, "BR", "press"))
        .await;
    let raised = json!({"names": {"fr": "Presse"}, "counts_in_quotas": false, "capacity": 3});
    let (status, answer) = app
        .send(Method::PUT, Some(&organiser), &press_url, Some(raised))
        .await;
    assert_eq!(
        (status, answer["taken"].as_i64(), answer["waiting"].as_i64()),
        (200, Some(3), Some(0)),
        "{answer}"
    );
    assert_invariants_hold(&app.pool).await;
}

#[tokio::test]
async fn parallel_registrations_fill_a_category_s_own_places_exactly() {
    let app = TestApp::spawn().await;
    create_event(
        &app.pool,
        EventSpec {
            capacity: Some(40),
            ..EventSpec::default()
        },
    )
    .await;
    let organiser = app.organiser_token("organiser").await;
    for body in [
        json!({"code": "delegate", "names": {"fr": "Délégué·e"}}),
        json!({"code": "observer", "names": {"fr": "Observateur·rice"}, "capacity": 7}),
    ] {
        assert_eq!(set_up(&app, &organiser, body).await.0, 201);
    }

    // 60 observers and 30 delegates at once: the observers' own 7 places,
    // and the event's 40 shared by both.
    let bodies: Vec<Value> = (0..90)
        .map(|n| match n % 3 {
            0 => in_category(n, "SN", "delegate"),
            _ => in_category(n, "BR", "observer"),
        })
        .collect();
    let shared = &app;
    let statuses: Vec<u16> = stream::iter(bodies.iter())
        .map(|body| async move { shared.register("lima-1997", body).await.status().as_u16() })
        .buffer_unordered(48)
        .collect()
        .await;
    assert!(statuses.iter().all(|status| *status == 201), "{statuses:?}");
    let held = |category: &'static str, status: &'static str| {
        let sql = format!(
            "SELECT count(*) AS count FROM registrations r JOIN categories c ON c.id = r.category_id
              WHERE c.code = '{category}' AND r.status = '{status}'"
        );
        let pool = app.pool.clone();
        async move { count(&pool, &sql).await }
    };
    assert_eq!(held("observer", "confirmed").await, 7);
    assert_eq!(held("observer", "waitlisted").await, 53);
    assert_eq!(held("delegate", "confirmed").await, 30);
    assert_eq!(
        count(&app.pool, "SELECT taken::bigint AS count FROM events").await,
        37
    );
    assert_eq!(
        count(
            &app.pool,
            "SELECT (taken * 1000 + waiting)::bigint AS count FROM categories WHERE code = 'observer'"
        )
        .await,
        7053
    );
    assert_invariants_hold(&app.pool).await;
}

#[tokio::test]
async fn an_organiser_gives_an_invitation_only_category_and_the_place_moves_with_it() {
    let app = TestApp::spawn().await;
    create_event(
        &app.pool,
        EventSpec {
            countries: vec![("SN", 1)],
            ..EventSpec::default()
        },
    )
    .await;
    let organiser = app.organiser_token("organiser").await;
    let viewer = app.organiser_token("viewer").await;
    for body in [
        json!({"code": "delegate", "names": {"fr": "Délégué·e"}}),
        json!({"code": "staff", "names": {"fr": "Équipe"}, "public": false,
               "counts_in_quotas": false, "capacity": 1}),
    ] {
        assert_eq!(set_up(&app, &organiser, body).await.0, 201);
    }
    let mut ids = Vec::new();
    for n in 0..2 {
        let answer: Value = app
            .register("lima-1997", &delegate(n, "SN"))
            .await
            .json()
            .await
            .expect("json");
        ids.push(answer["id"].as_str().expect("id").to_owned());
    }
    let path = |id: &str| format!("/api/v1/events/lima-1997/registrations/{id}/category");
    let staff = json!({"category": "staff"});

    let (status, _) = app
        .send(
            Method::PUT,
            Some(&viewer),
            &path(&ids[0]),
            Some(staff.clone()),
        )
        .await;
    assert_eq!(status, 403, "a viewer assigns nothing");

    // The first delegate joins the staff: Senegal's one place goes to the
    // delegate who waited for it.
    let (status, moved) = app
        .send(
            Method::PUT,
            Some(&organiser),
            &path(&ids[0]),
            Some(staff.clone()),
        )
        .await;
    assert_eq!(
        (status, moved["category"].as_str(), moved["status"].as_str()),
        (200, Some("staff"), Some("confirmed")),
        "{moved}"
    );
    let held = |sql: &'static str| {
        let pool = app.pool.clone();
        async move { count(&pool, sql).await }
    };
    assert_eq!(
        held("SELECT count(*) AS count FROM registrations WHERE status = 'confirmed'").await,
        2
    );
    assert_eq!(
        held("SELECT taken::bigint AS count FROM country_quotas WHERE country_code = 'SN'").await,
        1
    );

    // The staff's one place is taken: the second stays where it is.
    let (status, body) = app
        .send(Method::PUT, Some(&organiser), &path(&ids[1]), Some(staff))
        .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (409, Some("conflict")),
        "{body}"
    );
    assert_eq!(
        held(
            "SELECT count(*) AS count FROM registrations r JOIN categories c ON c.id = r.category_id
              WHERE c.code = 'delegate' AND r.status = 'confirmed'"
        )
        .await,
        1
    );
    let (status, _) = app
        .send(
            Method::PUT,
            Some(&organiser),
            &path(&ids[1]),
            Some(json!({"category": "nobody"})),
        )
        .await;
    assert_eq!(status, 409);
    assert_eq!(
        held("SELECT count(*) AS count FROM audit_log WHERE action = 'registration.category'")
            .await,
        1
    );
    assert_invariants_hold(&app.pool).await;
}
