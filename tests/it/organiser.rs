//! The organiser API: access control on every route, setting events up,
//! lists with filters, exports and the outbox.

use std::collections::BTreeSet;
use std::io::Cursor;

use calamine::{Reader, Xlsx};
use serde_json::{Value, json};

use crate::support::{
    EventSpec, TestApp, assert_invariants_hold, count, create_event, delegate, manifest_dir,
};

/// Routes answered by the handlers of these modules are public; every other
/// API route must refuse anonymous requests. Read from the route table
/// itself, so a new route without protection fails this test.
const PUBLIC_MODULES: &[&str] = &["events::", "registrations::", "openapi::"];

pub(crate) fn api_routes() -> Vec<(String, String, bool)> {
    let source =
        std::fs::read_to_string(manifest_dir().join("src/web/api/mod.rs")).expect("routes");
    route_table(&source)
        .into_iter()
        .map(|(method, path, handler)| {
            let public = PUBLIC_MODULES
                .iter()
                .any(|module| handler.starts_with(module));
            (method, format!("/api/v1{path}"), public)
        })
        .collect()
}

/// (method, path, handler) of every route of the table in `api/mod.rs`,
/// `"path" => { method: module::handler, … }`, however rustfmt wrapped it.
fn route_table(source: &str) -> Vec<(String, String, String)> {
    let compact: String = source.chars().filter(|c| !c.is_whitespace()).collect();
    let (_, mut rest) = compact
        .split_once("route_table!{")
        .expect("api/mod.rs holds the route table");
    let mut routes = Vec::new();
    while let Some(quoted) = rest.strip_prefix('"') {
        let (path, after) = quoted.split_once("\"=>{").expect("a path and its methods");
        let (methods, after) = after.split_once('}').expect("the methods end");
        for entry in methods.split(',').filter(|entry| !entry.is_empty()) {
            let (method, handler) = entry.split_once(':').expect("method: handler");
            routes.push((method.to_owned(), path.to_owned(), handler.to_owned()));
        }
        rest = after.strip_prefix(',').unwrap_or(after);
    }
    routes
}

async fn openapi_document(app: &TestApp) -> Value {
    let response = app
        .client
        .get(app.url("/api/v1/openapi.json"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "application/json");
    response.json().await.unwrap()
}

#[tokio::test]
async fn the_openapi_document_describes_every_route_of_the_route_table() {
    let app = TestApp::spawn().await;
    let document = openapi_document(&app).await;
    assert_eq!(document["openapi"], "3.1.0");
    let routes = api_routes();
    assert!(routes.len() >= 17, "the route table was read: {routes:?}");
    for (method, path, public) in &routes {
        let operation = &document["paths"][path][method];
        assert!(operation.is_object(), "{method} {path} is not described");
        assert_eq!(
            operation["security"].is_array(),
            !public,
            "{method} {path}: security does not match the route's protection"
        );
        // Every `{name}` of the path is a documented path parameter.
        let documented: BTreeSet<&str> = operation["parameters"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|parameter| parameter["in"] == "path")
            .filter_map(|parameter| parameter["name"].as_str())
            .collect();
        let in_path: BTreeSet<&str> = path
            .split('{')
            .skip(1)
            .filter_map(|part| part.split_once('}').map(|(name, _)| name))
            .collect();
        assert_eq!(documented, in_path, "{method} {path}: path parameters");
        let responses = operation["responses"].as_object().expect("responses");
        if !public {
            for status in ["401", "403"] {
                assert!(
                    responses.contains_key(status),
                    "{method} {path}: no {status}"
                );
            }
        }
        if operation["requestBody"].is_object() {
            for status in ["413", "422"] {
                assert!(
                    responses.contains_key(status),
                    "{method} {path}: no {status}"
                );
            }
        }
    }
    let described: usize = document["paths"]
        .as_object()
        .unwrap()
        .values()
        .map(|item| item.as_object().unwrap().len())
        .sum();
    assert_eq!(
        described,
        routes.len(),
        "the document describes a route that does not exist"
    );
}

#[tokio::test]
async fn every_error_the_document_names_has_the_error_shape() {
    let app = TestApp::spawn().await;
    let document = openapi_document(&app).await;
    let error = &document["components"]["schemas"]["Error"];
    assert_eq!(error["required"], json!(["error", "message"]));
    for (path, item) in document["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            for (status, response) in operation["responses"].as_object().unwrap() {
                if !status.starts_with('4') && !status.starts_with('5') {
                    continue;
                }
                let name = response["$ref"]
                    .as_str()
                    .and_then(|reference| reference.strip_prefix("#/components/responses/"))
                    .unwrap_or_else(|| panic!("{method} {path} {status} is no shared error"));
                let shared = &document["components"]["responses"][name];
                assert_eq!(
                    shared["content"]["application/json"]["schema"]["$ref"],
                    "#/components/schemas/Error",
                    "{method} {path} {status}"
                );
            }
        }
    }
}

#[tokio::test]
async fn a_method_a_path_does_not_have_is_answered_405_with_the_ones_it_has() {
    let app = TestApp::spawn().await;
    let event = create_event(&app.pool, EventSpec::default()).await;
    let mut methods: std::collections::BTreeMap<String, BTreeSet<String>> = Default::default();
    for (method, path, _) in api_routes() {
        methods
            .entry(path)
            .or_default()
            .insert(method.to_uppercase());
    }
    for (path, allowed) in &methods {
        let url = app.url(
            &path
                .replace("{slug}", &event.slug)
                .replace("{code}", "SN")
                .replace("{kind}", "confirmation")
                .replace("{language}", "fr")
                .replace("{token}", "no-such-token")
                .replace("{id}", &uuid::Uuid::nil().to_string()),
        );
        for method in ["TRACE", "PATCH", "OPTIONS", "GET", "POST", "PUT", "DELETE"] {
            if allowed.contains(method) {
                continue;
            }
            let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
            let response = app
                .client
                .request(method.clone(), &url)
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), 405, "{method} {path}");
            let allow: BTreeSet<String> = response.headers()["allow"]
                .to_str()
                .unwrap()
                .split(',')
                .map(|method| method.trim().to_owned())
                .collect();
            assert_eq!(&allow, allowed, "{method} {path}: Allow");
        }
    }
}

#[tokio::test]
async fn every_organiser_route_refuses_anonymous_and_viewers_cannot_change_anything() {
    let app = TestApp::spawn().await;
    let event = create_event(&app.pool, EventSpec::default()).await;
    let viewer = app.organiser_token("viewer").await;
    let routes = api_routes();
    assert!(routes.len() >= 13, "the route table was read: {routes:?}");
    let protected: Vec<_> = routes.iter().filter(|(_, _, public)| !public).collect();
    assert!(protected.len() >= 8);
    for (method, path, _) in protected {
        let path = path
            .replace("{slug}", &event.slug)
            .replace("{code}", "SN")
            .replace("{id}", &uuid::Uuid::nil().to_string());
        let request = |token: Option<&str>| {
            let builder = match method.as_str() {
                "get" => app.client.get(app.url(&path)),
                "post" => app.client.post(app.url(&path)),
                "put" => app.client.put(app.url(&path)),
                "delete" => app.client.delete(app.url(&path)),
                other => panic!("unexpected method {other}"),
            };
            let builder = builder.json(&json!({}));
            match token {
                Some(token) => builder.bearer_auth(token),
                None => builder,
            }
        };
        let anonymous = request(None).send().await.unwrap();
        assert_eq!(anonymous.status(), 401, "{method} {path}");
        assert_eq!(
            anonymous.json::<Value>().await.unwrap()["error"],
            "unauthorized"
        );
        let wrong_token = request(Some("not-a-token")).send().await.unwrap();
        assert_eq!(wrong_token.status(), 401, "{method} {path}");
        if method != "get" {
            let as_viewer = request(Some(&viewer)).send().await.unwrap();
            assert_eq!(as_viewer.status(), 403, "a viewer may not {method} {path}");
        }
    }
    assert_eq!(
        count(&app.pool, "SELECT count(*) AS count FROM events").await,
        1,
        "nothing was created"
    );
}

fn new_event() -> Value {
    json!({
        "slug": "quebec-2001",
        "name": "Rencontre de Québec",
        "names": {"en": "Québec Meeting"},
        "starts_on": "2027-09-10",
        "ends_on": "2027-09-13",
        "timezone": "America/Toronto",
        "languages": ["fr", "en"],
        "registration_opens_at": "2026-01-01T00:00:00Z",
        "registration_closes_at": "2027-09-01T00:00:00Z",
        "capacity": 800,
        "default_country_capacity": 2,
    })
}

#[tokio::test]
async fn organisers_set_up_an_event_its_sessions_and_quotas() {
    let app = TestApp::spawn().await;
    let token = app.organiser_token("admin").await;
    let post = |path: &str, body: Value| {
        let request = app
            .client
            .post(app.url(path))
            .bearer_auth(&token)
            .json(&body);
        async move { request.send().await.unwrap() }
    };

    let created = post("/api/v1/events", new_event()).await;
    assert_eq!(created.status(), 201);
    let event: Value = created.json().await.unwrap();
    assert_eq!(event["slug"], "quebec-2001");
    assert_eq!(event["capacity"], 800);
    assert_eq!(
        post("/api/v1/events", new_event()).await.status(),
        409,
        "the slug is taken"
    );

    let mut bad = new_event();
    bad["slug"] = json!("Bad Slug!");
    bad["timezone"] = json!("Mars/Olympus");
    bad["ends_on"] = json!("2027-09-01");
    bad["capacity"] = json!(-3);
    bad["colour"] = json!("red");
    let refused = post("/api/v1/events", bad).await;
    assert_eq!(refused.status(), 422);
    let fields = refused.json::<Value>().await.unwrap()["fields"].clone();
    let named: BTreeSet<&str> = fields
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        named,
        BTreeSet::from(["capacity", "colour", "ends_on", "slug", "timezone"]),
        "{fields}"
    );

    let session = post(
        "/api/v1/events/quebec-2001/sessions",
        json!({"code": "a1", "title": "Économie solidaire", "starts_at": "2027-09-10T13:00:00Z", "ends_at": "2027-09-10T15:00:00Z", "capacity": 40}),
    )
    .await;
    assert_eq!(session.status(), 201);
    assert_eq!(session.json::<Value>().await.unwrap()["code"], "A1");
    let backwards = post(
        "/api/v1/events/quebec-2001/sessions",
        json!({"code": "A2", "title": "x", "starts_at": "2027-09-10T15:00:00Z", "ends_at": "2027-09-10T13:00:00Z"}),
    )
    .await;
    assert_eq!(backwards.status(), 422);

    // Two delegates from Mali fill its default quota of 2; a third waits.
    for n in 0..3 {
        assert_eq!(
            app.register("quebec-2001", &delegate(n, "ML"))
                .await
                .status(),
            201
        );
    }
    let put_quota = |capacity: Value| {
        let request = app
            .client
            .put(app.url("/api/v1/events/quebec-2001/countries/ml"))
            .bearer_auth(&token)
            .json(&json!({"capacity": capacity}));
        async move { request.send().await.unwrap() }
    };
    let below = put_quota(json!(1)).await;
    assert_eq!(below.status(), 422, "below the places taken");
    assert!(below.json::<Value>().await.unwrap()["fields"]["capacity"].is_string());
    let raised = put_quota(json!(3)).await;
    assert_eq!(raised.status(), 200);
    assert_eq!(
        raised.json::<Value>().await.unwrap(),
        json!({"code": "ML", "capacity": 3, "taken": 3, "remaining": 0})
    );
    assert_eq!(
        count(
            &app.pool,
            "SELECT count(*) AS count FROM registrations WHERE status = 'confirmed'"
        )
        .await,
        3,
        "the waiting delegate got the new place"
    );
    assert_eq!(
        count(
            &app.pool,
            "SELECT count(*) AS count FROM email_outbox WHERE kind = 'promoted'"
        )
        .await,
        1
    );
    assert_eq!(
        count(
            &app.pool,
            "SELECT count(*) AS count FROM audit_log WHERE action = 'country_quota.set'"
        )
        .await,
        1
    );
    assert_invariants_hold(&app.pool).await;
}

async fn three_delegates(app: &TestApp) {
    create_event(
        &app.pool,
        EventSpec {
            capacity: Some(2),
            sessions: vec![("A1", Some(5), 0, 9, 11)],
            ..EventSpec::default()
        },
    )
    .await;
    let names = [
        ("عائشة", "الفاسي", "MA"),
        ("Nguyễn Thị", "Minh Khai", "VN"),
        ("=HYPERLINK(\"http://x\",\"y\")", "Ndiaye", "SN"),
    ];
    for (n, (given, family, country)) in names.iter().enumerate() {
        let mut body = delegate(n, country);
        body["given_name"] = json!(given);
        body["family_name"] = json!(family);
        body["sessions"] = json!(["A1"]);
        assert_eq!(app.register("lima-1997", &body).await.status(), 201);
    }
}

#[tokio::test]
async fn registrations_are_listed_with_filters_and_pages() {
    let app = TestApp::spawn().await;
    three_delegates(&app).await;
    let token = app.organiser_token("viewer").await;
    let get = |query: &str| {
        let request = app
            .client
            .get(app.url(&format!("/api/v1/events/lima-1997/registrations{query}")))
            .bearer_auth(&token);
        async move { request.send().await.unwrap() }
    };
    let all: Value = get("").await.json().await.unwrap();
    assert_eq!(
        (
            all["total"].as_i64(),
            all["page"].as_i64(),
            all["per_page"].as_i64()
        ),
        (Some(3), Some(1), Some(50))
    );
    let waiting: Value = get("?status=waitlisted").await.json().await.unwrap();
    assert_eq!(waiting["total"], 1);
    assert_eq!(waiting["items"][0]["waitlist_position"], 1);
    assert_eq!(waiting["items"][0]["sessions"], "A1 (waiting)");
    let vietnam: Value = get("?country=vn").await.json().await.unwrap();
    assert_eq!(vietnam["items"][0]["given_name"], "Nguyễn Thị");
    let paged: Value = get("?per_page=2&page=2").await.json().await.unwrap();
    assert_eq!(
        (
            paged["items"].as_array().unwrap().len(),
            paged["total"].as_i64()
        ),
        (1, Some(3))
    );
    let searched: Value = get("?q=minh").await.json().await.unwrap();
    assert_eq!(searched["total"], 1);
    for bad in [
        "?status=lost",
        "?country=XX",
        "?session=Z9",
        "?per_page=1001",
        "?page=0",
        "?page=9223372036854775807",
        "?page=abc",
    ] {
        assert_eq!(get(bad).await.status(), 422, "{bad}");
    }
    let unreadable: Value = get("?page=abc").await.json().await.unwrap();
    assert_eq!(unreadable["error"], "validation");
    assert!(unreadable["fields"]["query"].is_string(), "{unreadable}");
}

#[tokio::test]
async fn csv_and_xlsx_exports_keep_every_script_and_neutralise_formulas() {
    let app = TestApp::spawn().await;
    three_delegates(&app).await;
    let token = app.organiser_token("viewer").await;

    let csv = app
        .client
        .get(app.url("/api/v1/events/lima-1997/registrations.csv?bom=true"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(csv.status(), 200);
    assert!(
        csv.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    let bytes = csv.bytes().await.unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "BOM for Excel");
    let mut reader = ::csv::Reader::from_reader(&bytes[3..]);
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    assert_eq!(header[0], "reference");
    let rows: Vec<::csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 3);
    let given = header.iter().position(|h| h == "given_name").unwrap();
    let names: Vec<&str> = rows.iter().map(|row| &row[given]).collect();
    assert_eq!(
        names,
        ["عائشة", "Nguyễn Thị", "'=HYPERLINK(\"http://x\",\"y\")"]
    );
    let country_name = header.iter().position(|h| h == "country_name").unwrap();
    assert_eq!(
        &rows[0][country_name], "Marruecos",
        "country names in the event's first language"
    );

    let filtered = app
        .client
        .get(app.url("/api/v1/events/lima-1997/registrations.csv?status=waitlisted"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(
        filtered.lines().count(),
        2,
        "header and the one waiting delegate"
    );

    let xlsx = app
        .client
        .get(app.url("/api/v1/events/lima-1997/registrations.xlsx"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(xlsx.status(), 200);
    let mut workbook: Xlsx<_> =
        calamine::open_workbook_from_rs(Cursor::new(xlsx.bytes().await.unwrap().to_vec())).unwrap();
    let sheet = workbook.worksheet_range("Attendees").unwrap();
    let cell = |row: usize, column: usize| {
        sheet
            .get((row, column))
            .map(|data| data.to_string())
            .unwrap_or_default()
    };
    assert_eq!(cell(0, 0), "reference");
    assert_eq!(cell(1, 3), "عائشة");
    assert_eq!(cell(2, 3), "Nguyễn Thị");
    assert_eq!(
        cell(3, 3),
        "'=HYPERLINK(\"http://x\",\"y\")",
        "text, and neutralised as in CSV"
    );
    let formulas = workbook.worksheet_formula("Attendees").unwrap();
    assert!(
        formulas
            .used_cells()
            .all(|(_, _, formula)| formula.is_empty()),
        "no cell is a formula"
    );
}

#[tokio::test]
async fn the_outbox_is_visible_and_a_resend_copies_the_last_confirmation() {
    let app = TestApp::spawn().await;
    create_event(&app.pool, EventSpec::default()).await;
    let token = app.organiser_token("organiser").await;
    let registered: Value = app
        .register("lima-1997", &delegate(1, "SN"))
        .await
        .json()
        .await
        .unwrap();
    let id = registered["id"].as_str().unwrap();

    let resent = app
        .client
        .post(app.url(&format!(
            "/api/v1/events/lima-1997/registrations/{id}/resend"
        )))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(resent.status(), 202);
    let emails: Value = app
        .client
        .get(app.url("/api/v1/events/lima-1997/emails"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(emails["total"], 2);
    let kinds: Vec<&str> = emails["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| item["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["resend", "confirmation"]);
    assert_eq!(emails["items"][0]["subject"], emails["items"][1]["subject"]);
    assert_eq!(emails["items"][0]["status"], "pending");
    assert_eq!(count(&app.pool, &format!("SELECT count(*) AS count FROM email_outbox WHERE kind = 'resend' AND body_text LIKE '%{}%'", registered["manage_url"].as_str().unwrap())).await, 1, "the copy carries the private link");
    assert_eq!(
        count(
            &app.pool,
            "SELECT count(*) AS count FROM audit_log WHERE action = 'email.resend'"
        )
        .await,
        1
    );

    let unknown = app
        .client
        .post(app.url(&format!(
            "/api/v1/events/lima-1997/registrations/{}/resend",
            uuid::Uuid::nil()
        )))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(unknown.status(), 404);
}

#[tokio::test]
async fn events_and_sessions_are_set_up_again_with_their_texts_per_language() {
    let app = TestApp::spawn().await;
    let token = app.organiser_token("admin").await;
    let send = |method: reqwest::Method, path: &str, body: Value| {
        let request = app
            .client
            .request(method, app.url(path))
            .bearer_auth(&token)
            .json(&body);
        async move { request.send().await.unwrap() }
    };
    let created = send(reqwest::Method::POST, "/api/v1/events", new_event()).await;
    assert_eq!(created.status(), 201);
    let session = json!({"code": "A1", "title": "Économie solidaire", "titles": {"en": "Solidarity economy"},
        "description": "Un atelier.", "starts_at": "2027-09-10T13:00:00Z", "ends_at": "2027-09-10T15:00:00Z"});
    let added = send(
        reqwest::Method::POST,
        "/api/v1/events/quebec-2001/sessions",
        session.clone(),
    )
    .await;
    assert_eq!(added.status(), 201);

    // Spanish joins the meeting; the English name is emptied, so English
    // pages show the French one. No slug: it stays.
    let mut changes = new_event();
    changes.as_object_mut().unwrap().remove("slug");
    changes["languages"] = json!(["fr", "en", "es"]);
    changes["names"] = json!({"en": "", "es": " Encuentro de Quebec "});
    changes["descriptions"] = json!({"es": "Cuatro días de talleres."});
    let updated = send(
        reqwest::Method::PUT,
        "/api/v1/events/quebec-2001",
        changes.clone(),
    )
    .await;
    assert_eq!(updated.status(), 200);
    let event: Value = updated.json().await.unwrap();
    assert_eq!(event["names"], json!({"es": "Encuentro de Quebec"}));
    assert_eq!(
        event["descriptions"],
        json!({"es": "Cuatro días de talleres."})
    );
    assert_eq!(event["sessions"][0]["code"], "A1");
    assert_eq!(
        count(
            &app.pool,
            "SELECT count(*) AS count FROM events WHERE reference_prefix = 'QUE'
               AND names = '{\"es\": \"Encuentro de Quebec\"}'"
        )
        .await,
        1,
        "the prefix stays and the emptied name is gone"
    );

    let mut session_changes = session.clone();
    session_changes.as_object_mut().unwrap().remove("code");
    session_changes["titles"] = json!({"en": "", "es": "Economía solidaria"});
    session_changes["descriptions"] = json!({"es": "Un taller."});
    let changed = send(
        reqwest::Method::PUT,
        "/api/v1/events/quebec-2001/sessions/A1",
        session_changes.clone(),
    )
    .await;
    assert_eq!(changed.status(), 200);
    let changed: Value = changed.json().await.unwrap();
    assert_eq!(changed["titles"], json!({"es": "Economía solidaria"}));
    assert_eq!(changed["descriptions"], json!({"es": "Un taller."}));
    assert_eq!(changed["description"], "Un atelier.");

    let shown: Value = app
        .client
        .get(app.url("/api/v1/events/quebec-2001"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        shown["sessions"][0]["titles"],
        json!({"es": "Economía solidaria"})
    );
    let spanish = app
        .client
        .get(app.url("/events/quebec-2001?lang=es"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    for text in [
        "<h1>Encuentro de Quebec</h1>",
        "Economía solidaria",
        "Un taller.",
    ] {
        assert!(spanish.contains(text), "{text} in:\n{spanish}");
    }
    let english = app
        .client
        .get(app.url("/events/quebec-2001?lang=en"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    for text in [
        "<h1>Rencontre de Québec</h1>",
        "Économie solidaire",
        "Un atelier.",
    ] {
        assert!(english.contains(text), "{text} in:\n{english}");
    }

    // Refused field by field, and nothing written.
    let refusals = [
        ("slug", json!("other-2001"), "slug"),
        ("reference_prefix", json!("QC"), "reference_prefix"),
        ("names", json!({"pt": "Encontro de Quebec"}), "names.pt"),
        ("names", json!({"de": "Treffen"}), "names.de"),
        (
            "descriptions",
            json!({"es": "x".repeat(4001)}),
            "descriptions.es",
        ),
        ("name", json!("N".repeat(201)), "name"),
    ];
    for (field, value, refused_field) in refusals {
        let mut body = changes.clone();
        body[field] = value;
        let refused = send(reqwest::Method::PUT, "/api/v1/events/quebec-2001", body).await;
        assert_eq!(refused.status(), 422, "{field}");
        let fields = refused.json::<Value>().await.unwrap()["fields"].clone();
        assert_eq!(
            fields.as_object().unwrap().keys().collect::<Vec<_>>(),
            [refused_field],
            "{fields}"
        );
    }
    let mut portuguese = changes.clone();
    portuguese["names"] = json!({"pt": "Encontro"});
    let english_words = send(
        reqwest::Method::PUT,
        "/api/v1/events/quebec-2001",
        portuguese,
    )
    .await;
    let fields = english_words.json::<Value>().await.unwrap()["fields"].clone();
    assert_eq!(
        fields["names.pt"],
        "This is not one of the meeting's languages. Add the language to the meeting, or leave this field empty."
    );
    for (field, value, refused_field) in [
        ("code", json!("B2"), "code"),
        ("titles", json!({"pt": "Economia"}), "titles.pt"),
        ("title", json!("T".repeat(201)), "title"),
    ] {
        let mut body = session_changes.clone();
        body[field] = value;
        let refused = send(
            reqwest::Method::PUT,
            "/api/v1/events/quebec-2001/sessions/A1",
            body,
        )
        .await;
        assert_eq!(refused.status(), 422, "{field}");
        let fields = refused.json::<Value>().await.unwrap()["fields"].clone();
        assert!(fields[refused_field].is_string(), "{fields}");
    }
    let missing = send(
        reqwest::Method::PUT,
        "/api/v1/events/quebec-2001/sessions/Z9",
        session_changes,
    )
    .await;
    assert_eq!(missing.status(), 404);
    assert_eq!(
        count(
            &app.pool,
            "SELECT count(*) AS count FROM events WHERE slug = 'quebec-2001' AND name = 'Rencontre de Québec'
               AND descriptions = '{\"es\": \"Cuatro días de talleres.\"}'"
        )
        .await,
        1,
        "nothing refused was written"
    );
    assert_eq!(
        count(
            &app.pool,
            "SELECT count(*) AS count FROM sessions WHERE code = 'A1' AND titles = '{\"es\": \"Economía solidaria\"}'"
        )
        .await,
        1
    );
    assert_eq!(
        count(
            &app.pool,
            "SELECT count(*) AS count FROM audit_log WHERE action IN ('event.update', 'session.update')"
        )
        .await,
        2
    );
}

#[tokio::test]
async fn an_organiser_gives_a_waiting_delegate_a_free_place_out_of_turn_and_says_why() {
    use diesel_async::RunQueryDsl;

    let app = TestApp::spawn().await;
    create_event(
        &app.pool,
        EventSpec {
            countries: vec![("SN", 1)],
            ..EventSpec::default()
        },
    )
    .await;
    let shared = &app;
    let registered = |n: usize| async move {
        let answer = shared.register("lima-1997", &delegate(n, "SN")).await;
        answer.json::<Value>().await.unwrap()
    };
    let first = registered(1).await;
    let waiting = registered(2).await;
    assert_eq!(waiting["status"], "waitlisted");
    let token = app.organiser_token("organiser").await;
    let promote = |id: &Value, body: Value| {
        let path = format!(
            "/api/v1/events/lima-1997/registrations/{}/promote",
            id.as_str().unwrap()
        );
        let request = app
            .client
            .post(app.url(&path))
            .bearer_auth(&token)
            .json(&body);
        async move {
            let response = request.send().await.unwrap();
            let status = response.status().as_u16();
            (status, response.json::<Value>().await.unwrap())
        }
    };
    let why = json!({"why": "Speaks at the opening plenary"});

    let (status, body) = promote(&waiting["id"], json!({"why": " "})).await;
    assert_eq!(
        (status, body["fields"]["why"].as_str()),
        (422, Some("This field is required."))
    );
    let (status, body) = promote(&waiting["id"], why.clone()).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (409, Some("conflict")),
        "Senegal's one place is taken: {body}"
    );
    assert!(
        body["message"].as_str().unwrap().contains("country"),
        "{body}"
    );

    // A place the use cases would never leave free (the quota raised by
    // hand): it goes to this delegate, ahead of any queue.
    let mut conn = app.pool.get().await.unwrap();
    diesel::sql_query("UPDATE country_quotas SET capacity = 2 WHERE country_code = 'SN'")
        .execute(&mut conn)
        .await
        .unwrap();
    let (status, body) = promote(&waiting["id"], why.clone()).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["id"], waiting["id"]);
    assert_eq!(body["status"], "confirmed");
    assert_eq!(body["waitlist_position"], Value::Null);
    assert_eq!(body["country"], "SN");
    let said = count(
        &app.pool,
        "SELECT count(*) AS count FROM audit_log WHERE action = 'registration.promote'
            AND detail->>'why' = 'Speaks at the opening plenary' AND organiser_id IS NOT NULL",
    )
    .await;
    assert_eq!(said, 1, "the audit row says who and why");

    for id in [&waiting["id"], &first["id"]] {
        let (status, body) = promote(id, why.clone()).await;
        assert_eq!(
            (status, body["error"].as_str()),
            (409, Some("conflict")),
            "only a waiting delegate: {body}"
        );
    }
    assert_invariants_hold(&app.pool).await;
}
