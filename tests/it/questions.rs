//! The organisers' own questions: set up through the API with the role
//! checks, answered in the registration (nothing stored when refused),
//! choice places counted exactly under parallel registrations, changed by
//! token, freed on cancellation, verified by `check`.

use futures_util::{StreamExt, stream};
use serde_json::{Value, json};

use crate::support::{
    EventSpec, TestApp, anonymise_after_it_ended, assert_invariants_hold, count, create_event,
    csrf_of, delegate,
};

impl TestApp {
    async fn organiser_send(
        &self,
        method: reqwest::Method,
        token: &str,
        path: &str,
        body: Option<&Value>,
    ) -> (u16, Value) {
        let mut request = self
            .client
            .request(method, self.url(path))
            .bearer_auth(token);
        if let Some(body) = body {
            request = request.json(body);
        }
        let response = request.send().await.expect("request");
        let status = response.status().as_u16();
        let text = response.text().await.expect("body");
        (status, serde_json::from_str(&text).unwrap_or(Value::Null))
    }
}

fn diet() -> Value {
    json!({
        "code": "diet",
        "type": "single_choice",
        "labels": {"fr": "Régime alimentaire", "en": "Dietary requirements"},
        "required": true,
        "position": 1,
        "choices": [
            {"code": "none", "labels": {"fr": "Aucun", "en": "None"}},
            {"code": "veg", "labels": {"fr": "Végétarien", "en": "Vegetarian"}},
            {"code": "halal", "labels": {"fr": "Halal"}, "capacity": 2}
        ]
    })
}

/// hotel (yes/no, required) → nights (number 1..10, asked if hotel = yes),
/// arrival (a date in a range), diet (single choice).
async fn set_questions_up(app: &TestApp, token: &str) {
    let questions = [
        json!({"code": "hotel", "type": "yes_no", "labels": {"es": "¿Hotel?", "fr": "Hôtel ?"}, "required": true, "position": 0}),
        json!({"code": "nights", "type": "number", "labels": {"fr": "Nuits"}, "required": true, "position": 0,
               "min": 1, "max": 10, "condition": {"question": "hotel", "any_of": ["yes"]}}),
        json!({"code": "arrival", "type": "date", "labels": {"fr": "Arrivée"}, "position": 2,
               "min": "2027-11-20", "max": "2027-11-23"}),
        diet(),
    ];
    for question in &questions {
        let (status, body) = app
            .organiser_send(
                reqwest::Method::POST,
                token,
                "/api/v1/events/lima-1997/questions",
                Some(question),
            )
            .await;
        assert_eq!(status, 201, "{body}");
    }
}

#[tokio::test]
async fn organisers_set_questions_up_viewers_only_read_them_and_bad_set_ups_name_their_field() {
    let app = TestApp::spawn().await;
    create_event(&app.pool, EventSpec::default()).await;
    let organiser = app.organiser_token("organiser").await;
    let viewer = app.organiser_token("viewer").await;
    let list = "/api/v1/events/lima-1997/questions";

    let (status, _) = app
        .organiser_send(reqwest::Method::POST, &viewer, list, Some(&diet()))
        .await;
    assert_eq!(status, 403, "a viewer may not add a question");
    let anonymous = app.client.get(app.url(list)).send().await.unwrap();
    assert_eq!(anonymous.status(), 401);

    let (status, created) = app
        .organiser_send(reqwest::Method::POST, &organiser, list, Some(&diet()))
        .await;
    assert_eq!(status, 201, "{created}");
    assert_eq!(created["type"], "single_choice");
    assert_eq!(created["stage"], "registration");
    assert_eq!(created["choices"][2]["capacity"], 2);
    assert_eq!(created["choices"][2]["remaining"], 2);
    let (status, _) = app
        .organiser_send(reqwest::Method::POST, &organiser, list, Some(&diet()))
        .await;
    assert_eq!(status, 409, "a code is used once per event");

    let (status, listed) = app
        .organiser_send(reqwest::Method::GET, &viewer, list, None)
        .await;
    assert_eq!(status, 200);
    assert_eq!(listed["items"].as_array().map(Vec::len), Some(1));

    let mut changed = diet();
    changed["labels"]["es"] = json!("Régimen alimentario");
    changed.as_object_mut().unwrap().remove("code");
    let (status, body) = app
        .organiser_send(
            reqwest::Method::PUT,
            &organiser,
            &format!("{list}/diet"),
            Some(&changed),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["labels"]["es"], "Régimen alimentario");
    let (status, _) = app
        .organiser_send(
            reqwest::Method::PUT,
            &viewer,
            &format!("{list}/diet"),
            Some(&changed),
        )
        .await;
    assert_eq!(status, 403);

    let bad = json!({
        "code": "Bad Code", "type": "signature", "labels": {"de": "Frage"},
        "choices": [{"code": "x"}], "min": 3, "colour": "red"
    });
    let (status, refused) = app
        .organiser_send(reqwest::Method::POST, &organiser, list, Some(&bad))
        .await;
    assert_eq!(status, 422, "{refused}");
    for field in ["code", "type", "labels.de", "colour"] {
        assert!(refused["fields"][field].is_string(), "{field}: {refused}");
    }
    let bad = json!({
        "code": "nights", "type": "number", "labels": {"fr": "Nuits"}, "min": 5, "max": 2,
        "condition": {"question": "nothing", "any_of": ["yes"]}
    });
    let (status, refused) = app
        .organiser_send(reqwest::Method::POST, &organiser, list, Some(&bad))
        .await;
    assert_eq!(status, 422, "{refused}");
    assert!(refused["fields"]["max"].is_string(), "{refused}");
    assert!(
        refused["fields"]["condition.question"].is_string(),
        "{refused}"
    );
    let bad = json!({"code": "multi", "type": "multiple_choice", "labels": {"fr": "Choix"},
        "choices": [{"code": "a", "labels": {"fr": "A"}}, {"code": "a", "labels": {"fr": "B"}, "capacity": -1}]});
    let (status, refused) = app
        .organiser_send(reqwest::Method::POST, &organiser, list, Some(&bad))
        .await;
    assert_eq!(status, 422, "{refused}");
    assert!(refused["fields"]["choices.1.code"].is_string(), "{refused}");

    assert_eq!(
        count(&app.pool, "SELECT count(*) AS count FROM questions").await,
        1,
        "nothing half-written"
    );
    assert_eq!(
        count(&app.pool, "SELECT count(*) AS count FROM audit_log WHERE action IN ('question.create', 'question.update')").await,
        2
    );
}

#[tokio::test]
async fn registrations_store_their_answers_and_a_refused_one_stores_nothing() {
    let app = TestApp::spawn().await;
    create_event(&app.pool, EventSpec::default()).await;
    let organiser = app.organiser_token("organiser").await;
    set_questions_up(&app, &organiser).await;

    let mut body = delegate(1, "SN");
    body["answers"] = json!({"hotel": true, "nights": 30, "arrival": "2027-11-19", "diet": "pizza", "colour": "red"});
    let response = app.register("lima-1997", &body).await;
    assert_eq!(response.status(), 422);
    let refused: Value = response.json().await.unwrap();
    for field in [
        "answers.nights",
        "answers.arrival",
        "answers.diet",
        "answers.colour",
    ] {
        assert!(refused["fields"][field].is_string(), "{field}: {refused}");
    }
    body["answers"] = json!({"hotel": true});
    let refused: Value = app.register("lima-1997", &body).await.json().await.unwrap();
    assert!(
        refused["fields"]["answers.nights"].is_string(),
        "asked once hotel is yes: {refused}"
    );
    assert!(
        refused["fields"]["answers.diet"].is_string(),
        "required: {refused}"
    );
    assert_eq!(
        count(&app.pool, "SELECT count(*) AS count FROM registrations").await,
        0
    );
    assert_eq!(
        count(
            &app.pool,
            "SELECT count(*) AS count FROM registration_answers"
        )
        .await,
        0
    );

    // Nights are not asked without a hotel: the answer is dropped.
    body["answers"] =
        json!({"hotel": false, "nights": "many", "arrival": "2027-11-21", "diet": "veg"});
    let response = app.register("lima-1997", &body).await;
    assert_eq!(response.status(), 201);
    let registered: Value = response.json().await.unwrap();
    assert_eq!(
        registered["answers"],
        json!({"hotel": false, "arrival": "2027-11-21", "diet": "veg"})
    );
    let token = registered["manage_url"]
        .as_str()
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap()
        .to_owned();
    let answers_url = app.url(&format!("/api/v1/registrations/{token}/answers"));
    let read: Value = app
        .client
        .get(&answers_url)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(read["answers"], registered["answers"]);

    let changed = json!({"answers": {"hotel": true, "nights": 3, "diet": "halal"}});
    let response = app
        .client
        .put(&answers_url)
        .json(&changed)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let read: Value = app
        .client
        .get(&answers_url)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        read["answers"],
        json!({"hotel": true, "nights": 3, "diet": "halal"})
    );
    assert_eq!(
        count(
            &app.pool,
            "SELECT taken::bigint AS count FROM question_choices WHERE code = 'halal'"
        )
        .await,
        1
    );
    assert_eq!(
        count(
            &app.pool,
            "SELECT taken::bigint AS count FROM question_choices WHERE code = 'veg'"
        )
        .await,
        0
    );

    let wrong = json!({"answers": {"hotel": true, "nights": 0, "diet": "veg"}});
    let response = app
        .client
        .put(&answers_url)
        .json(&wrong)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 422);
    let refused: Value = response.json().await.unwrap();
    assert!(refused["fields"]["answers.nights"].is_string(), "{refused}");
    let read: Value = app
        .client
        .get(&answers_url)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        read["answers"]["diet"], "halal",
        "a refused change changes nothing"
    );

    // The public event JSON lists the questions, in ?lang= or the first language.
    let event: Value = app
        .client
        .get(app.url("/api/v1/events/lima-1997"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let codes: Vec<&str> = event["questions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["hotel", "nights", "diet", "arrival"]);
    assert_eq!(event["questions"][0]["label"], "¿Hotel?");
    let event: Value = app
        .client
        .get(app.url("/api/v1/events/lima-1997?lang=fr"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(event["questions"][0]["label"], "Hôtel ?");
    assert_eq!(event["questions"][2]["choices"][1]["label"], "Végétarien");
    assert_invariants_hold(&app.pool).await;
}

#[tokio::test]
async fn a_hundred_parallel_registrations_for_a_choice_of_ten_places_give_it_to_exactly_ten() {
    let app = TestApp::spawn().await;
    create_event(&app.pool, EventSpec::default()).await;
    let organiser = app.organiser_token("organiser").await;
    let excursion = json!({
        "code": "excursion", "type": "multiple_choice", "labels": {"fr": "Excursions"},
        "choices": [
            {"code": "goree", "labels": {"fr": "Gorée"}, "capacity": 10},
            {"code": "lac-rose", "labels": {"fr": "Lac Rose"}}
        ]
    });
    let (status, body) = app
        .organiser_send(
            reqwest::Method::POST,
            &organiser,
            "/api/v1/events/lima-1997/questions",
            Some(&excursion),
        )
        .await;
    assert_eq!(status, 201, "{body}");

    let bodies: Vec<Value> = (0..100)
        .map(|n| {
            let mut body = delegate(n, if n % 2 == 0 { "SN" } else { "BR" });
            body["answers"] = json!({"excursion": ["goree", "lac-rose"]});
            body
        })
        .collect();
    let app = &app;
    let answers: Vec<(u16, Value)> = stream::iter(bodies.iter())
        .map(|body| async move {
            let response = app.register("lima-1997", body).await;
            (
                response.status().as_u16(),
                response.json::<Value>().await.expect("json"),
            )
        })
        .buffer_unordered(48)
        .collect()
        .await;
    let registered = answers.iter().filter(|(status, _)| *status == 201).count();
    let full: Vec<&Value> = answers
        .iter()
        .filter(|(status, _)| *status == 422)
        .map(|(_, body)| body)
        .collect();
    assert_eq!(registered, 10);
    assert_eq!(full.len(), 90);
    for body in &full {
        assert!(body["fields"]["answers.excursion"].is_string(), "{body}");
    }
    let goree = "SELECT taken::bigint AS count FROM question_choices WHERE code = 'goree'";
    let lac = "SELECT taken::bigint AS count FROM question_choices WHERE code = 'lac-rose'";
    assert_eq!(count(&app.pool, goree).await, 10);
    assert_eq!(
        count(&app.pool, lac).await,
        10,
        "a refused registration holds no other choice"
    );
    assert_eq!(
        count(&app.pool, "SELECT count(*) AS count FROM registrations").await,
        10
    );
    assert_eq!(
        count(
            &app.pool,
            "SELECT count(*) AS count FROM registration_answers"
        )
        .await,
        10
    );
    assert_invariants_hold(&app.pool).await;

    let brazilians = answers
        .iter()
        .filter(|(status, body)| *status == 201 && body["country"] == "BR")
        .count() as i64;
    let per_country: Vec<Value> = [("BR", brazilians), ("SN", 10 - brazilians)]
        .into_iter()
        .filter(|(_, held)| *held > 0)
        .map(|(country, held)| {
            json!({"country": country, "choices": [{"code": "goree", "count": held}, {"code": "lac-rose", "count": held}]})
        })
        .collect();
    let summary: Value = app
        .organiser_send(
            reqwest::Method::GET,
            &organiser,
            "/api/v1/events/lima-1997/questions/excursion/summary",
            None,
        )
        .await
        .1;
    assert_eq!(
        summary,
        json!({"code": "excursion", "answered": 10, "choices": [
            {"code": "goree", "count": 10, "capacity": 10, "remaining": 0},
            {"code": "lac-rose", "count": 10, "capacity": null, "remaining": null}
        ], "countries": per_country})
    );

    // A cancellation frees its place, which the next delegate takes.
    let first = answers.iter().find(|(status, _)| *status == 201).unwrap();
    let token = first.1["manage_url"]
        .as_str()
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap();
    let cancelled = app
        .client
        .post(app.url(&format!("/api/v1/registrations/{token}/cancel")))
        .send()
        .await
        .unwrap();
    assert_eq!(cancelled.status(), 200);
    assert_eq!(count(&app.pool, goree).await, 9);
    assert_invariants_hold(&app.pool).await;
    let mut late = delegate(500, "SN");
    late["answers"] = json!({"excursion": ["goree"]});
    assert_eq!(app.register("lima-1997", &late).await.status(), 201);
    let mut later = delegate(501, "SN");
    later["answers"] = json!({"excursion": ["goree"]});
    assert_eq!(app.register("lima-1997", &later).await.status(), 422);
    assert_eq!(count(&app.pool, goree).await, 10);
    assert_invariants_hold(&app.pool).await;

    // `check` sees a counter that does not match the answers.
    let mut conn = app.pool.get().await.unwrap();
    diesel_async::RunQueryDsl::execute(
        diesel::sql_query("UPDATE question_choices SET taken = taken - 1 WHERE code = 'lac-rose'"),
        &mut conn,
    )
    .await
    .unwrap();
    let violations = rencontre::registration::check::violations(&mut conn)
        .await
        .unwrap();
    assert_eq!(violations.len(), 1, "{violations:?}");
    assert!(violations[0].contains("lac-rose"), "{violations:?}");
}

#[tokio::test]
async fn an_answered_question_is_deleted_only_when_confirmed_and_a_held_choice_stays() {
    let app = TestApp::spawn().await;
    create_event(&app.pool, EventSpec::default()).await;
    let organiser = app.organiser_token("organiser").await;
    let list = "/api/v1/events/lima-1997/questions";
    let (status, _) = app
        .organiser_send(reqwest::Method::POST, &organiser, list, Some(&diet()))
        .await;
    assert_eq!(status, 201);
    let mut body = delegate(1, "SN");
    body["answers"] = json!({"diet": "halal"});
    assert_eq!(app.register("lima-1997", &body).await.status(), 201);

    let mut without_halal = diet();
    without_halal["choices"].as_array_mut().unwrap().pop();
    let (status, refused) = app
        .organiser_send(
            reqwest::Method::PUT,
            &organiser,
            &format!("{list}/diet"),
            Some(&without_halal),
        )
        .await;
    assert_eq!(status, 422, "{refused}");
    assert!(refused["fields"]["choices"].is_string(), "{refused}");
    let mut below = diet();
    below["choices"][2]["capacity"] = json!(0);
    let (status, refused) = app
        .organiser_send(
            reqwest::Method::PUT,
            &organiser,
            &format!("{list}/diet"),
            Some(&below),
        )
        .await;
    assert_eq!(status, 422, "{refused}");
    assert!(
        refused["fields"]["choices.2.capacity"].is_string(),
        "{refused}"
    );

    let viewer = app.organiser_token("viewer").await;
    let (status, _) = app
        .organiser_send(
            reqwest::Method::DELETE,
            &viewer,
            &format!("{list}/diet?confirm=true"),
            None,
        )
        .await;
    assert_eq!(status, 403);
    let (status, refused) = app
        .organiser_send(
            reqwest::Method::DELETE,
            &organiser,
            &format!("{list}/diet"),
            None,
        )
        .await;
    assert_eq!(status, 422, "{refused}");
    assert!(refused["fields"]["confirm"].is_string(), "{refused}");
    assert_eq!(
        count(
            &app.pool,
            "SELECT count(*) AS count FROM registration_answers"
        )
        .await,
        1
    );

    let (status, _) = app
        .organiser_send(
            reqwest::Method::DELETE,
            &organiser,
            &format!("{list}/diet?confirm=true"),
            None,
        )
        .await;
    assert_eq!(status, 204);
    assert_eq!(
        count(&app.pool, "SELECT count(*) AS count FROM questions").await,
        0
    );
    assert_eq!(
        count(
            &app.pool,
            "SELECT count(*) AS count FROM registration_answers"
        )
        .await,
        0
    );
    assert_eq!(
        count(&app.pool, "SELECT count(*) AS count FROM audit_log WHERE action = 'question.delete' AND detail->>'answers' = '1'").await,
        1
    );
    let (status, _) = app
        .organiser_send(
            reqwest::Method::GET,
            &organiser,
            &format!("{list}/diet"),
            None,
        )
        .await;
    assert_eq!(status, 404);
    assert_invariants_hold(&app.pool).await;
}

#[tokio::test]
async fn the_french_form_asks_the_questions_keeps_the_answers_on_error_and_stores_them() {
    let app = TestApp::spawn().await;
    create_event(&app.pool, EventSpec::default()).await;
    let organiser = app.organiser_token("organiser").await;
    set_questions_up(&app, &organiser).await;
    let more = [
        json!({"code": "needs", "type": "long_text", "labels": {"fr": "Besoins d'accessibilité"}, "position": 5, "sensitive": true,
               "help": {"fr": "Tout ce qui vous aide à participer."}}),
        json!({"code": "langs", "type": "multiple_choice", "labels": {"fr": "Interprétation"}, "position": 6,
               "choices": [{"code": "fr", "labels": {"fr": "Français"}}, {"code": "pt", "labels": {"fr": "Portugais"}}]}),
        json!({"code": "passport", "type": "country", "labels": {"fr": "Nationalité du passeport"}, "position": 7}),
    ];
    for question in &more {
        let (status, body) = app
            .organiser_send(
                reqwest::Method::POST,
                &organiser,
                "/api/v1/events/lima-1997/questions",
                Some(question),
            )
            .await;
        assert_eq!(status, 201, "{body}");
    }

    let page = |response: reqwest::Response| async move {
        (
            response.status().as_u16(),
            response.text().await.expect("page"),
        )
    };
    let (status, form) = page(
        app.client
            .get(app.url("/events/lima-1997/register?lang=fr"))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 200);
    for expected in [
        r#"<legend>Hôtel ?</legend>"#,
        r#"<label for="answers.nights">Nuits</label>"#,
        "À remplir seulement si vous avez répondu « Hôtel ? » par : Oui.",
        r#"<input id="answers.arrival" name="answers.arrival" type="date" value="" min="2027-11-20" max="2027-11-23">"#,
        r#"<textarea id="answers.needs" name="answers.needs" rows="4""#,
        r#"<label for="answers.langs-pt">Portugais</label>"#,
        r#"<option value="SN">Sénégal</option>"#,
        r#"<label for="answers.diet-veg">Végétarien</label>"#,
    ] {
        assert!(form.contains(expected), "{expected:?} not in:\n{form}");
    }
    let csrf = csrf_of(&form);

    let mut fields = vec![
        ("csrf_token", csrf.as_str()),
        ("given_name", "Aminata"),
        ("email", "a.traore@example.org"),
        ("country", "ML"),
        ("language", "fr"),
        ("answers.hotel", "yes"),
        ("answers.nights", "40"),
        ("answers.arrival", "2027-11-21"),
        ("answers.needs", "Rampe d'accès"),
        ("answers.langs", "pt"),
        ("answers.diet", "veg"),
        ("answers.passport", "SN"),
    ];
    let (status, refused) = page(
        app.client
            .post(app.url("/events/lima-1997/register"))
            .form(&fields)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 422, "{refused}");
    for expected in [
        r#"<p id="answers.nights-error" class="error">Saisissez un nombre d&#39;au plus 10.</p>"#,
        r#"value="40""#,
        r#"value="2027-11-21""#,
        "Rampe d&#39;accès</textarea>",
        r#"id="answers.langs-pt" name="answers.langs" value="pt" checked"#,
        r#"id="answers.diet-veg" name="answers.diet" value="veg" checked"#,
        r#"id="answers.hotel-yes" name="answers.hotel" value="yes" checked"#,
        r#"<option value="SN" selected>Sénégal</option>"#,
    ] {
        assert!(
            refused.contains(expected),
            "{expected:?} not in:\n{refused}"
        );
    }
    assert_eq!(
        count(&app.pool, "SELECT count(*) AS count FROM registrations").await,
        0
    );

    fields[6] = ("answers.nights", "4");
    let response = app
        .client
        .post(app.url("/events/lima-1997/register"))
        .form(&fields)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303);
    assert_eq!(
        count(&app.pool, "SELECT count(*) AS count FROM registration_answers a JOIN questions q ON q.id = a.question_id \
                           WHERE (q.code = 'nights' AND a.value = '4') OR (q.code = 'hotel' AND a.value = 'true') \
                              OR (q.code = 'langs' AND a.value = '[\"pt\"]') OR (q.code = 'passport' AND a.value = '\"SN\"')").await,
        4
    );
    assert_eq!(
        count(
            &app.pool,
            "SELECT count(*) AS count FROM registration_answers"
        )
        .await,
        7
    );
    assert_invariants_hold(&app.pool).await;
}

#[tokio::test]
async fn exports_have_a_column_per_question_with_choice_labels_neutralised_and_no_sensitive_answers()
 {
    use std::io::Cursor;

    use calamine::{Reader, Xlsx};

    let app = TestApp::spawn().await;
    create_event(&app.pool, EventSpec::default()).await;
    let organiser = app.organiser_token("organiser").await;
    let questions = [
        json!({"code": "diet", "type": "multiple_choice", "labels": {"es": "Dieta"}, "position": 1,
               "choices": [{"code": "veg", "labels": {"es": "Vegetariana", "fr": "Végétarien"}}, {"code": "halal", "labels": {"es": "Halal"}}]}),
        json!({"code": "note", "type": "text", "labels": {"es": "Nota"}, "position": 2}),
        json!({"code": "wheelchair", "type": "yes_no", "labels": {"es": "Silla de ruedas"}, "position": 3, "sensitive": true}),
        json!({"code": "guests", "type": "number", "labels": {"es": "Invitados"}, "position": 4}),
    ];
    for question in &questions {
        let (status, body) = app
            .organiser_send(
                reqwest::Method::POST,
                &organiser,
                "/api/v1/events/lima-1997/questions",
                Some(question),
            )
            .await;
        assert_eq!(status, 201, "{body}");
    }
    let mut body = delegate(1, "PE");
    body["answers"] = json!({"diet": ["halal", "veg"], "note": "=HYPERLINK(\"http://x\",\"y\")", "wheelchair": true, "guests": 2});
    assert_eq!(app.register("lima-1997", &body).await.status(), 201);
    assert_eq!(
        app.register("lima-1997", &delegate(2, "PE")).await.status(),
        201
    );

    let csv = app
        .client
        .get(app.url("/api/v1/events/lima-1997/registrations.csv"))
        .bearer_auth(&organiser)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    assert_eq!(
        &header[12..],
        ["diet", "note", "guests"],
        "sensitive answers stay out"
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(
        &rows[0].iter().skip(12).collect::<Vec<_>>(),
        &["Vegetariana, Halal", "'=HYPERLINK(\"http://x\",\"y\")", "2"]
    );
    assert_eq!(&rows[1].iter().skip(12).collect::<Vec<_>>(), &["", "", ""]);
    assert!(!csv.contains("wheelchair"));

    let xlsx = app
        .client
        .get(app.url("/api/v1/events/lima-1997/registrations.xlsx"))
        .bearer_auth(&organiser)
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
    assert_eq!(
        [cell(0, 12), cell(0, 13), cell(0, 14), cell(0, 15)],
        ["diet", "note", "guests", ""]
    );
    assert_eq!(cell(1, 12), "Vegetariana, Halal");
    assert_eq!(cell(1, 13), "'=HYPERLINK(\"http://x\",\"y\")");
}

#[tokio::test]
async fn anonymising_deletes_typed_and_sensitive_answers_and_keeps_the_choices_counted() {
    let app = TestApp::spawn().await;
    let event = create_event(&app.pool, EventSpec::default()).await;
    let organiser = app.organiser_token("organiser").await;
    let questions = [
        diet(),
        json!({"code": "needs", "type": "long_text", "labels": {"fr": "Besoins"}, "sensitive": true}),
        json!({"code": "nickname", "type": "text", "labels": {"fr": "Surnom"}}),
        json!({"code": "birth", "type": "date", "labels": {"fr": "Naissance"}, "sensitive": true}),
        json!({"code": "guests", "type": "number", "labels": {"fr": "Invités"}}),
    ];
    for question in &questions {
        let (status, body) = app
            .organiser_send(
                reqwest::Method::POST,
                &organiser,
                "/api/v1/events/lima-1997/questions",
                Some(question),
            )
            .await;
        assert_eq!(status, 201, "{body}");
    }
    let mut body = delegate(1, "SN");
    body["answers"] = json!({"diet": "halal", "needs": "Fauteuil", "nickname": "Mimi", "birth": "1990-01-01", "guests": 1});
    assert_eq!(app.register("lima-1997", &body).await.status(), 201);

    anonymise_after_it_ended(&app.pool, &event.slug).await;
    let kept = "SELECT count(*) AS count FROM registration_answers a JOIN questions q ON q.id = a.question_id \
                WHERE q.code IN ('diet', 'guests')";
    assert_eq!(count(&app.pool, kept).await, 2);
    assert_eq!(
        count(
            &app.pool,
            "SELECT count(*) AS count FROM registration_answers"
        )
        .await,
        2
    );
    assert_invariants_hold(&app.pool).await;
}

#[tokio::test]
async fn the_private_page_changes_the_answers_with_errors_next_to_their_field() {
    let app = TestApp::spawn().await;
    create_event(&app.pool, EventSpec::default()).await;
    let organiser = app.organiser_token("organiser").await;
    set_questions_up(&app, &organiser).await;
    let mut body = delegate(1, "SN");
    body["answers"] = json!({"hotel": false, "diet": "veg"});
    let registered: Value = app.register("lima-1997", &body).await.json().await.unwrap();
    let private = format!(
        "/r/{}",
        registered["manage_url"]
            .as_str()
            .unwrap()
            .rsplit('/')
            .next()
            .unwrap()
    );
    let page = app
        .client
        .get(app.url(&format!("{private}?lang=fr")))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    let page = page.text().await.unwrap();
    for expected in [
        "Modifier vos réponses",
        r#"id="answers.hotel-no" name="answers.hotel" value="no" checked"#,
        r#"id="answers.diet-veg" name="answers.diet" value="veg" checked"#,
    ] {
        assert!(page.contains(expected), "{expected:?} not in:\n{page}");
    }
    let csrf = csrf_of(&page);
    let action = app.url(&format!("{private}/answers"));

    let forged = app
        .client
        .post(&action)
        .form(&[
            ("answers.hotel", "yes"),
            ("answers.nights", "2"),
            ("answers.diet", "halal"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), 403);

    let mut fields = vec![
        ("csrf_token", csrf.as_str()),
        ("answers.hotel", "yes"),
        ("answers.nights", "deux"),
        ("answers.diet", "halal"),
    ];
    let refused = app.client.post(&action).form(&fields).send().await.unwrap();
    assert_eq!(refused.status(), 422);
    let refused = refused.text().await.unwrap();
    for expected in [
        r#"<p id="answers.nights-error" class="error">Saisissez un nombre entier.</p>"#,
        r#"value="deux""#,
        r#"id="answers.diet-halal" name="answers.diet" value="halal" checked"#,
    ] {
        assert!(
            refused.contains(expected),
            "{expected:?} not in:\n{refused}"
        );
    }
    let held = "SELECT taken::bigint AS count FROM question_choices WHERE code = 'halal'";
    assert_eq!(
        count(&app.pool, held).await,
        0,
        "a refused change moves nothing"
    );

    fields[2] = ("answers.nights", "2");
    let saved = app.client.post(&action).form(&fields).send().await.unwrap();
    assert_eq!(saved.status(), 303);
    assert_eq!(
        saved.headers()["location"].to_str().unwrap(),
        format!("{private}?answered=1")
    );
    assert_eq!(count(&app.pool, held).await, 1);
    let read: Value = app
        .client
        .get(app.url(&format!("/api/v1/registrations/{}/answers", &private[3..])))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        read["answers"],
        json!({"hotel": true, "nights": 2, "diet": "halal"})
    );
    assert_invariants_hold(&app.pool).await;
}

#[tokio::test]
async fn attendee_lists_and_exports_filter_by_an_answer_and_a_bad_filter_names_its_field() {
    let app = TestApp::spawn().await;
    create_event(&app.pool, EventSpec::default()).await;
    let organiser = app.organiser_token("organiser").await;
    set_questions_up(&app, &organiser).await;
    let more = [
        json!({"code": "langs", "type": "multiple_choice", "labels": {"fr": "Langues"}, "position": 5,
               "choices": [{"code": "fr", "labels": {"fr": "Français"}}, {"code": "pt", "labels": {"fr": "Portugais"}}]}),
        json!({"code": "wheelchair", "type": "yes_no", "labels": {"fr": "Fauteuil"}, "position": 6, "sensitive": true}),
    ];
    for question in &more {
        let (status, body) = app
            .organiser_send(
                reqwest::Method::POST,
                &organiser,
                "/api/v1/events/lima-1997/questions",
                Some(question),
            )
            .await;
        assert_eq!(status, 201, "{body}");
    }
    // (hotel, diet, langs) of delegates 0 to 5.
    let answers = [
        (true, "veg", vec!["fr"]),
        (false, "veg", vec!["fr", "pt"]),
        (true, "none", vec![]),
        (true, "veg", vec!["pt"]),
        (false, "halal", vec!["pt"]),
        (false, "none", vec!["fr"]),
    ];
    let mut references = Vec::new();
    for (n, (hotel, diet, langs)) in answers.iter().enumerate() {
        let mut body = delegate(n, "SN");
        body["answers"] =
            json!({"hotel": hotel, "diet": diet, "langs": langs, "wheelchair": false});
        if *hotel {
            body["answers"]["nights"] = json!(2);
        }
        let answer = app.register("lima-1997", &body).await;
        assert_eq!(answer.status(), 201);
        let registered: Value = answer.json().await.unwrap();
        references.push(registered["reference"].as_str().unwrap().to_owned());
    }
    let expect = |wanted: &[usize]| -> Vec<String> {
        wanted.iter().map(|n| references[*n].clone()).collect()
    };
    let list = |query: &'static str| {
        let (app, organiser) = (&app, &organiser);
        async move {
            app.organiser_send(
                reqwest::Method::GET,
                organiser,
                &format!("/api/v1/events/lima-1997/registrations?{query}"),
                None,
            )
            .await
        }
    };
    for (query, wanted) in [
        ("answer.diet=veg", expect(&[0, 1, 3])),
        ("answer.hotel=yes", expect(&[0, 2, 3])),
        ("answer.hotel=no&answer.diet=veg", expect(&[1])),
        ("answer.langs=pt", expect(&[1, 3, 4])),
        (
            "answer.langs=pt&sort=-registered&per_page=2",
            expect(&[4, 3]),
        ),
        ("answer.diet=halal&answer.hotel=yes", Vec::new()),
    ] {
        let (status, page) = list(query).await;
        assert_eq!(status, 200, "{query}: {page}");
        let found: Vec<&str> = page["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|item| item["reference"].as_str().unwrap())
            .collect();
        assert_eq!(found, wanted, "{query}");
        if !query.contains("per_page") {
            assert_eq!(page["total"], wanted.len(), "{query}");
        }
    }
    // By cursor, the filter holds on every page.
    let (_, first) = list("answer.langs=pt&per_page=2").await;
    let after = first["next"].as_str().expect("next");
    let (status, second) = app
        .organiser_send(
            reqwest::Method::GET,
            &organiser,
            &format!(
                "/api/v1/events/lima-1997/registrations?answer.langs=pt&per_page=2&after={after}"
            ),
            None,
        )
        .await;
    assert_eq!(status, 200, "{second}");
    assert_eq!(second["items"][0]["reference"], references[4].as_str());
    assert_eq!(second["next"], Value::Null);

    for (query, field, says) in [
        (
            "answer.colour=red",
            "answer.colour",
            "no question with the code colour",
        ),
        ("answer.diet=pizza", "answer.diet", "none, veg, halal"),
        ("answer.hotel=maybe", "answer.hotel", "yes, no"),
        (
            "answer.arrival=2027-11-21",
            "answer.arrival",
            "Only yes/no and choice questions",
        ),
        ("answer.wheelchair=yes", "answer.wheelchair", "sensitive"),
    ] {
        let (status, refused) = list(query).await;
        assert_eq!(status, 422, "{query}: {refused}");
        assert_eq!(refused["error"], "validation");
        let message = refused["fields"][field].as_str().unwrap_or_default();
        assert!(message.contains(says), "{query}: {refused}");
    }

    // The exports take the same filter.
    let export = |query: &'static str| {
        let (app, organiser) = (&app, &organiser);
        async move {
            let response = app
                .client
                .get(app.url(&format!(
                    "/api/v1/events/lima-1997/registrations.csv?{query}"
                )))
                .bearer_auth(organiser)
                .send()
                .await
                .unwrap();
            (response.status().as_u16(), response.text().await.unwrap())
        }
    };
    let (status, csv) = export("answer.diet=veg&answer.langs=fr").await;
    assert_eq!(status, 200, "{csv}");
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let listed: Vec<String> = reader
        .records()
        .map(|record| record.unwrap()[0].to_owned())
        .collect();
    assert_eq!(listed, expect(&[0, 1]));
    let (status, refused) = export("answer.diet=pizza").await;
    assert_eq!(status, 422, "{refused}");
    assert!(refused.contains("answer.diet"), "{refused}");
}
