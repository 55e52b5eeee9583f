//! Approval: a registration in a category that needs it is `pending` until
//! an organiser decides. Where pending registrations hold their places,
//! approving confirms and rejecting frees the place for the next in line;
//! where they hold none, approving takes the places in the order of the
//! decisions, and the waiting list when they are gone.

use futures_util::{StreamExt, stream};
use reqwest::Method;
use serde_json::{Value, json};

use crate::support::{EventSpec, TestApp, assert_invariants_hold, count, create_event, delegate};

async fn sql(app: &TestApp, statement: &str) {
    let mut conn = app.pool.get().await.expect("connection");
    diesel_async::RunQueryDsl::execute(diesel::sql_query(statement), &mut conn)
        .await
        .expect(statement);
}

/// Lima with one category, `delegate`, that needs approval.
async fn curated(app: &TestApp, spec: EventSpec) -> String {
    create_event(&app.pool, spec).await;
    let organiser = app.organiser_token("organiser").await;
    let (status, body) = app
        .send(
            Method::POST,
            Some(&organiser),
            "/api/v1/events/lima-1997/categories",
            Some(
                json!({"code": "delegate", "names": {"es": "Delegado/a"}, "needs_approval": true}),
            ),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    organiser
}

async fn status_of(app: &TestApp, id: &str) -> String {
    let mut conn = app.pool.get().await.expect("connection");
    #[derive(diesel::QueryableByName)]
    struct Row {
        #[diesel(sql_type = diesel::sql_types::Text)]
        status: String,
    }
    let rows: Vec<Row> = diesel_async::RunQueryDsl::load(
        diesel::sql_query(format!(
            "SELECT status FROM registrations WHERE id = '{id}'"
        )),
        &mut conn,
    )
    .await
    .expect("status");
    rows[0].status.clone()
}

fn decide(id: &str, decision: &str) -> String {
    format!("/api/v1/events/lima-1997/registrations/{id}/{decision}")
}

#[tokio::test]
async fn where_pending_holds_the_place_approving_confirms_and_rejecting_frees_it() {
    let app = TestApp::spawn().await;
    let organiser = curated(
        &app,
        EventSpec {
            countries: vec![("SN", 3)],
            ..EventSpec::default()
        },
    )
    .await;
    let mut ids = Vec::new();
    for n in 0..4 {
        let mut body = delegate(n, "SN");
        body["language"] = json!(if n == 1 { "es" } else { "fr" });
        let answer: Value = app
            .register("lima-1997", &body)
            .await
            .json()
            .await
            .expect("json");
        assert_eq!(answer["category"], "delegate");
        ids.push(answer["id"].as_str().expect("id").to_owned());
        let expected = if n < 3 { "pending" } else { "waitlisted" };
        assert_eq!(answer["status"], expected, "{answer}");
    }
    assert_eq!(
        count(&app.pool, "SELECT taken::bigint AS count FROM events").await,
        3
    );

    // Approving confirms; a second time answers the same.
    for _ in 0..2 {
        let (status, body) = app
            .send(
                Method::POST,
                Some(&organiser),
                &decide(&ids[0], "approve"),
                None,
            )
            .await;
        assert_eq!(
            (status, body["status"].as_str()),
            (200, Some("confirmed")),
            "{body}"
        );
        assert_eq!(body["category"], "delegate");
    }
    let viewer = app.organiser_token("viewer").await;
    let (status, _) = app
        .send(
            Method::POST,
            Some(&viewer),
            &decide(&ids[1], "approve"),
            None,
        )
        .await;
    assert_eq!(status, 403, "a viewer decides nothing");

    // A reason the event does not offer is refused; nothing changes.
    let wrong = json!({"reason": "because"});
    let (status, body) = app
        .send(
            Method::POST,
            Some(&organiser),
            &decide(&ids[1], "reject"),
            Some(wrong),
        )
        .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (409, Some("conflict")),
        "{body}"
    );
    assert!(
        body["message"]
            .as_str()
            .is_some_and(|said| said.contains("reasons")),
        "{body}"
    );
    assert_eq!(status_of(&app, &ids[1]).await, "pending");

    // Rejected in Spanish, with a note: the place goes to the one waiting,
    // who now awaits a decision too.
    let rejection = json!({"reason": "no_place", "note": "La red ya tiene sus tres delegados."});
    let (status, body) = app
        .send(
            Method::POST,
            Some(&organiser),
            &decide(&ids[1], "reject"),
            Some(rejection.clone()),
        )
        .await;
    assert_eq!(
        (status, body["status"].as_str()),
        (200, Some("rejected")),
        "{body}"
    );
    let (status, again) = app
        .send(
            Method::POST,
            Some(&organiser),
            &decide(&ids[1], "reject"),
            Some(rejection),
        )
        .await;
    assert_eq!((status, again["status"].as_str()), (200, Some("rejected")));
    assert_eq!(
        status_of(&app, &ids[3]).await,
        "pending",
        "promoted, still to be decided"
    );
    let spanish = count(
        &app.pool,
        &format!(
            "SELECT count(*) AS count FROM email_outbox WHERE registration_id = '{}'
               AND kind = 'rejected' AND language = 'es'
               AND body_text LIKE '%Motivo: no quedan plazas en esta categoría%'
               AND body_text LIKE '%La red ya tiene sus tres delegados.%'",
            ids[1]
        ),
    )
    .await;
    assert_eq!(
        spanish, 1,
        "one rejection email, in Spanish, with its reason and note"
    );

    // What the state stands in the way of is a 409.
    let (status, body) = app
        .send(
            Method::POST,
            Some(&organiser),
            &decide(&ids[1], "approve"),
            None,
        )
        .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (409, Some("conflict")),
        "{body}"
    );
    let (status, _) = app
        .send(
            Method::POST,
            Some(&organiser),
            &decide(&ids[0], "reject"),
            Some(json!({"reason": "other"})),
        )
        .await;
    assert_eq!(
        status, 409,
        "a confirmed registration is cancelled, not rejected"
    );

    // Bulk: the rest, an unknown id, and one approved already.
    let unknown = uuid::Uuid::now_v7().to_string();
    let bulk = json!({"approve": [ids[2], ids[3], unknown, ids[0]]});
    let (status, body) = app
        .send(
            Method::POST,
            Some(&organiser),
            "/api/v1/events/lima-1997/approvals",
            Some(bulk),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let approved: Vec<&str> = body["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|item| item["status"].as_str().expect("status"))
        .collect();
    assert_eq!(approved, ["confirmed", "confirmed", "confirmed"]);
    assert_eq!(
        body["refused"],
        json!([{"id": unknown, "error": "not_found", "message": "registration not found"}])
    );
    assert_eq!(
        count(
            &app.pool,
            "SELECT count(*) AS count FROM email_outbox WHERE kind = 'approved'"
        )
        .await,
        3,
        "one approval email each, none for the second approval"
    );
    assert_eq!(
        count(
            &app.pool,
            "SELECT count(*) AS count FROM audit_log WHERE action = 'registration.reject'
               AND detail->>'reason' = 'no_place' AND organiser_id IS NOT NULL"
        )
        .await,
        1
    );
    assert_invariants_hold(&app.pool).await;
}

#[tokio::test]
async fn where_pending_holds_nothing_approvals_take_the_places_in_their_order() {
    let app = TestApp::spawn().await;
    let organiser = curated(
        &app,
        EventSpec {
            countries: vec![("SN", 2)],
            ..EventSpec::default()
        },
    )
    .await;
    sql(&app, "UPDATE events SET pending_holds_place = false").await;

    // Forty at once: every one awaits a decision, and no place is taken.
    let bodies: Vec<Value> = (0..40).map(|n| delegate(n, "SN")).collect();
    let shared = &app;
    let answers: Vec<Value> = stream::iter(bodies.iter())
        .map(|body| async move {
            shared
                .register("lima-1997", body)
                .await
                .json::<Value>()
                .await
                .expect("json")
        })
        .buffer_unordered(24)
        .collect()
        .await;
    assert!(
        answers.iter().all(|answer| answer["status"] == "pending"),
        "{answers:?}"
    );
    assert_eq!(
        count(&app.pool, "SELECT taken::bigint AS count FROM events").await,
        0
    );
    assert_invariants_hold(&app.pool).await;
    let mut ids: Vec<String> = answers
        .iter()
        .map(|answer| answer["id"].as_str().expect("id").to_owned())
        .collect();
    ids.sort();

    // Two organisers approve overlapping halves at once: the quota's two
    // places go to two of them, every other approved one waits its turn.
    let halves = [
        json!({"approve": ids[..25]}),
        json!({"approve": ids[15..30]}),
    ];
    let organiser = &organiser;
    let done: Vec<(u16, Value)> = stream::iter(halves.iter())
        .map(|bulk| async move {
            shared
                .send(
                    Method::POST,
                    Some(organiser),
                    "/api/v1/events/lima-1997/approvals",
                    Some(bulk.clone()),
                )
                .await
        })
        .buffer_unordered(2)
        .collect()
        .await;
    for (status, body) in &done {
        assert_eq!(*status, 200, "{body}");
        assert_eq!(body["refused"], json!([]), "{body}");
    }
    let by_status = |status: &'static str| {
        let sql = format!("SELECT count(*) AS count FROM registrations WHERE status = '{status}'");
        let pool = app.pool.clone();
        async move { count(&pool, &sql).await }
    };
    assert_eq!(by_status("confirmed").await, 2);
    assert_eq!(by_status("waitlisted").await, 28);
    assert_eq!(by_status("pending").await, 10);
    assert_invariants_hold(&app.pool).await;

    // Rejecting one still pending frees nothing; a raised quota gives its
    // places to the first approved in line, who are not asked again.
    let (status, body) = app
        .send(
            Method::POST,
            Some(organiser),
            &decide(&ids[35], "reject"),
            Some(json!({"reason": "incomplete"})),
        )
        .await;
    assert_eq!(
        (status, body["status"].as_str()),
        (200, Some("rejected")),
        "{body}"
    );
    assert_eq!(by_status("confirmed").await, 2);
    let confirmed = count(
        &app.pool,
        "SELECT count(*) AS count FROM registrations WHERE status = 'confirmed' AND approved_at IS NOT NULL",
    )
    .await;
    assert_eq!(confirmed, 2);
    let (status, body) = app
        .send(
            Method::PUT,
            Some(organiser),
            "/api/v1/events/lima-1997/countries/SN",
            Some(json!({"capacity": 4})),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        by_status("confirmed").await,
        4,
        "the raised quota's places go to the approved in line"
    );
    assert_eq!(by_status("waitlisted").await, 26);
    assert_invariants_hold(&app.pool).await;
}

#[tokio::test]
async fn organisers_decide_in_the_back_office_in_their_language() {
    let app = TestApp::spawn().await;
    curated(
        &app,
        EventSpec {
            countries: vec![("SN", 5)],
            ..EventSpec::default()
        },
    )
    .await;
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
    let (browser, csrf) = crate::admin::signed_in(&app, "organiser", "Fatou").await;
    browser.get("/admin?lang=fr").await;
    let page_of = |id: &str| format!("/admin/events/lima-1997/registrations/{id}");

    let page = browser.get(&page_of(&ids[0])).await;
    assert_eq!(page.status, 200);
    page.assert_contains("en attente de la décision des organisateurs");
    page.assert_contains("Accepter cette inscription");
    page.assert_contains(
        r#"<option value="no_place">il ne reste plus de place dans cette catégorie</option>"#,
    );

    let approved = browser
        .post(
            &format!("{}/approve", page_of(&ids[0])),
            &[("csrf_token", &csrf)],
        )
        .await;
    assert_eq!(approved.status, 303);
    let page = browser
        .get(&format!("{}?done=approved", page_of(&ids[0])))
        .await;
    page.assert_contains("L&#39;inscription a été acceptée");
    assert!(!page.body.contains("Refuser cette inscription"), "decided");

    let rejected = browser
        .post(
            &format!("{}/reject", page_of(&ids[1])),
            &[
                ("csrf_token", &csrf),
                ("reason", "incomplete"),
                ("note", "Il manque la lettre du réseau."),
            ],
        )
        .await;
    assert_eq!(rejected.status, 303);
    let page = browser.get(&page_of(&ids[1])).await;
    page.assert_contains("non retenue — l&#39;inscription est incomplète");
    let statuses = count(
        &app.pool,
        "SELECT count(*) AS count FROM registrations
          WHERE (status = 'confirmed' AND approved_at IS NOT NULL)
             OR (status = 'rejected' AND rejection_reason = 'incomplete'
                 AND rejection_note = 'Il manque la lettre du réseau.')",
    )
    .await;
    assert_eq!(statuses, 2);
    let twice = browser
        .post(
            &format!("{}/approve", page_of(&ids[1])),
            &[("csrf_token", &csrf)],
        )
        .await;
    assert_eq!(twice.status, 422);
    twice.assert_contains("Cette inscription a été refusée");

    // Two more, ticked on the list of those awaiting a decision and
    // accepted together.
    for n in 2..4 {
        let answer: Value = app
            .register("lima-1997", &delegate(n, "SN"))
            .await
            .json()
            .await
            .expect("json");
        ids.push(answer["id"].as_str().expect("id").to_owned());
    }
    let list = browser
        .get("/admin/events/lima-1997/registrations?status=pending")
        .await;
    list.assert_contains("Accepter la sélection");
    list.assert_contains(&format!(r#"name="approve" value="{}""#, ids[2]));
    let together = browser
        .post(
            "/admin/events/lima-1997/approvals",
            &[
                ("csrf_token", &csrf),
                ("approve", &ids[2]),
                ("approve", &ids[3]),
                ("approve", &ids[1]),
            ],
        )
        .await;
    assert_eq!(together.status, 303);
    // The rejected one ticked too is not accepted, and the list says so.
    let location = together.location().to_owned();
    assert!(location.ends_with("accepted=2&refused=1"), "{location}");
    browser
        .get(&location)
        .await
        .assert_contains("Acceptées : 2, chacune prévenue par e-mail. Non acceptées : 1");
    let confirmed = count(
        &app.pool,
        "SELECT count(*) AS count FROM registrations WHERE status = 'confirmed'",
    )
    .await;
    assert_eq!(confirmed, 3);
    assert_invariants_hold(&app.pool).await;
}

#[tokio::test]
async fn a_verified_address_goes_to_the_decision_and_a_rejected_one_gets_no_new_link() {
    let app = TestApp::spawn().await;
    let organiser = curated(
        &app,
        EventSpec {
            verification: true,
            ..EventSpec::default()
        },
    )
    .await;
    let body = delegate(1, "SN");
    let answer: Value = app
        .register("lima-1997", &body)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(
        answer["status"], "unverified",
        "the place is held first: {answer}"
    );
    let id = answer["id"].as_str().expect("id").to_owned();
    let token = {
        #[derive(diesel::QueryableByName)]
        struct Row {
            #[diesel(sql_type = diesel::sql_types::Text)]
            body: String,
        }
        let mut conn = app.pool.get().await.expect("connection");
        let rows: Vec<Row> = diesel_async::RunQueryDsl::load(
            diesel::sql_query(
                "SELECT body_text AS body FROM email_outbox WHERE kind = 'confirmation'",
            ),
            &mut conn,
        )
        .await
        .expect("email");
        let start = rows[0].body.find("/verify/").expect("a link") + 8;
        rows[0].body[start..]
            .chars()
            .take_while(char::is_ascii_alphanumeric)
            .collect::<String>()
    };
    let (status, verified) = app
        .send(Method::POST, None, &format!("/api/v1/verify/{token}"), None)
        .await;
    assert_eq!(
        (status, verified["status"].as_str()),
        (200, Some("pending")),
        "confirmed address, decision to come: {verified}"
    );

    let rejection = json!({"reason": "not_eligible"});
    let (status, _) = app
        .send(
            Method::POST,
            Some(&organiser),
            &decide(&id, "reject"),
            Some(rejection),
        )
        .await;
    assert_eq!(status, 200);
    sql(&app, "UPDATE registrations SET email_verified_at = NULL").await;
    let (status, _) = app
        .send(
            Method::POST,
            None,
            "/api/v1/events/lima-1997/verification",
            Some(json!({"email": body["email"]})),
        )
        .await;
    assert_eq!(status, 202);
    assert_eq!(
        count(
            &app.pool,
            "SELECT count(*) AS count FROM email_outbox WHERE kind = 'verification'"
        )
        .await,
        0,
        "a rejected registration has no place to keep"
    );
    assert_invariants_hold(&app.pool).await;
}
