//! The organisers' rules on answers after registration: a closing time
//! after which only organisers change an answer, a keeping time after the
//! event when the worker deletes the answers (files and choice places
//! with them), and sensitive answers that an export shows only when asked
//! by a role that may read them.

use serde_json::{Value, json};

use crate::support::{
    EventSpec, TestApp, assert_invariants_hold, count, create_event, csrf_of, delegate, rencontre,
};

const QUESTIONS: &str = "/api/v1/events/lima-1997/questions";
const PDF: &[u8] = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n";

async fn add_questions(app: &TestApp, organiser: &str, questions: &[Value]) {
    for question in questions {
        let (status, body) = app
            .send(
                reqwest::Method::POST,
                Some(organiser),
                QUESTIONS,
                Some(question.clone()),
            )
            .await;
        assert_eq!(status, 201, "{body}");
    }
}

#[tokio::test]
async fn the_two_dates_are_set_up_read_back_and_bad_ones_refused_by_field() {
    let app = TestApp::spawn().await;
    create_event(&app.pool, EventSpec::default()).await;
    let organiser = app.organiser_token("organiser").await;
    let question = json!({
        "code": "arrival", "type": "date", "labels": {"es": "Llegada"},
        "answers_until": "2027-11-01T12:00:00-05:00", "purge_after_days": 30
    });
    let (status, created) = app
        .send(
            reqwest::Method::POST,
            Some(&organiser),
            QUESTIONS,
            Some(question.clone()),
        )
        .await;
    assert_eq!(status, 201, "{created}");
    assert_eq!(created["answers_until"], "2027-11-01T17:00:00Z");
    assert_eq!(created["purge_after_days"], 30);

    let mut bad = question.clone();
    bad["code"] = json!("departure");
    bad["answers_until"] = json!("next week");
    bad["purge_after_days"] = json!(3651);
    let (status, refused) = app
        .send(
            reqwest::Method::POST,
            Some(&organiser),
            QUESTIONS,
            Some(bad),
        )
        .await;
    assert_eq!(status, 422, "{refused}");
    let fields = refused["fields"].as_object().expect("fields");
    assert!(fields.contains_key("answers_until"), "{refused}");
    assert!(fields.contains_key("purge_after_days"), "{refused}");
    assert_eq!(fields.len(), 2, "{refused}");
    assert_eq!(
        count(&app.pool, "SELECT count(*) AS count FROM questions").await,
        1,
        "a refused set-up writes nothing"
    );

    // Null takes them away again.
    let mut cleared = question;
    cleared.as_object_mut().unwrap().remove("code");
    cleared["answers_until"] = Value::Null;
    cleared["purge_after_days"] = Value::Null;
    let (status, changed) = app
        .send(
            reqwest::Method::PUT,
            Some(&organiser),
            &format!("{QUESTIONS}/arrival"),
            Some(cleared),
        )
        .await;
    assert_eq!(status, 200, "{changed}");
    assert_eq!(
        (&changed["answers_until"], &changed["purge_after_days"]),
        (&Value::Null, &Value::Null)
    );

    // The accessibility preset keeps its health answers 30 days.
    let (status, added) = app
        .send(
            reqwest::Method::POST,
            Some(&organiser),
            "/api/v1/events/lima-1997/question-presets",
            Some(json!({"preset": "accessibility"})),
        )
        .await;
    assert_eq!(status, 201, "{added}");
    assert_eq!(added["items"][0]["purge_after_days"], 30, "{added}");
}

#[tokio::test]
async fn after_its_closing_a_delegate_keeps_an_answer_as_it_was_and_an_organiser_still_changes_it()
{
    let app = TestApp::spawn().await;
    create_event(&app.pool, EventSpec::default()).await;
    let organiser = app.organiser_token("organiser").await;
    let closed_at = (chrono::Utc::now() - chrono::Duration::hours(1)).to_rfc3339();
    add_questions(
        &app,
        &organiser,
        &[
            json!({"code": "hotel", "type": "single_choice", "labels": {"es": "Hotel", "fr": "Hôtel"}, "position": 1,
                   "answers_until": closed_at,
                   "choices": [{"code": "ibis", "labels": {"fr": "Ibis"}, "capacity": 5},
                               {"code": "novotel", "labels": {"fr": "Novotel"}}]}),
            json!({"code": "diet", "type": "text", "labels": {"fr": "Régime"}, "position": 2}),
        ],
    )
    .await;
    let mut body = delegate(1, "SN");
    body["answers"] = json!({"hotel": "ibis", "diet": "aucun"});
    let token = app.registered(&body).await.1;
    let ibis = "SELECT taken::bigint AS count FROM question_choices WHERE code = 'ibis'";
    assert_eq!(count(&app.pool, ibis).await, 1);

    // Through the API: the closed answer changed is refused by its field,
    // nothing written; left as it was, the open one changes.
    let (status, refused) = app
        .put_answers(&token, json!({"hotel": "novotel", "diet": "végétarien"}))
        .await;
    assert_eq!(status, 422, "{refused}");
    let fields = refused["fields"].as_object().expect("fields");
    assert_eq!(
        fields.keys().collect::<Vec<_>>(),
        ["answers.hotel"],
        "{refused}"
    );
    assert_eq!(count(&app.pool, ibis).await, 1, "nothing moved");
    let dropped = app.put_answers(&token, json!({"diet": "végétarien"})).await;
    assert_eq!(
        dropped.0, 422,
        "leaving it out changes it too: {}",
        dropped.1
    );
    let (status, saved) = app
        .put_answers(&token, json!({"hotel": "ibis", "diet": "végétarien"}))
        .await;
    assert_eq!(status, 200, "{saved}");
    assert_eq!(saved["answers"]["diet"], "végétarien");

    // On the private page: the closed question is shown disabled with its
    // closing time, and a form that sends nothing for it keeps it.
    let page = app
        .client
        .get(app.url(&format!("/r/{token}?lang=fr")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    for expected in [
        "<fieldset class=\"closed\" disabled>",
        "écrivez aux organisateurs pour la modifier",
        r#"name="answers.diet""#,
    ] {
        assert!(page.contains(expected), "{expected:?} not in:\n{page}");
    }
    let closed_block = page
        .split("<fieldset class=\"closed\" disabled>")
        .nth(1)
        .expect("the closed block");
    assert!(closed_block.contains("name=\"answers.hotel\""));
    let csrf = csrf_of(&page);
    let sent = app
        .client
        .post(app.url(&format!("/r/{token}/answers")))
        .form(&[("csrf_token", csrf.as_str()), ("answers.diet", "halal")])
        .send()
        .await
        .unwrap();
    assert_eq!(sent.status(), 303);
    let (_, read) = app
        .send(
            reqwest::Method::GET,
            None,
            &format!("/api/v1/registrations/{token}/answers"),
            None,
        )
        .await;
    assert_eq!(read["answers"], json!({"hotel": "ibis", "diet": "halal"}));

    // An organiser changes it in the back office all the same.
    let (browser, csrf) = crate::admin::signed_in(&app, "organiser", "Fatou").await;
    let id: String = {
        use diesel::sql_types::Text;
        use diesel_async::RunQueryDsl;
        #[derive(diesel::QueryableByName)]
        struct Row {
            #[diesel(sql_type = Text)]
            id: String,
        }
        let mut conn = app.pool.get().await.expect("connection");
        let row: Row = diesel::sql_query("SELECT id::text AS id FROM registrations")
            .get_result(&mut conn)
            .await
            .expect("one registration");
        row.id
    };
    let changed = browser
        .post(
            &format!("/admin/events/lima-1997/registrations/{id}/answers"),
            &[
                ("csrf_token", csrf.as_str()),
                ("answers.hotel", "novotel"),
                ("answers.diet", "halal"),
            ],
        )
        .await;
    assert_eq!(changed.status, 303, "{}", changed.body);
    assert_eq!(count(&app.pool, ibis).await, 0, "the place is freed");
    assert_invariants_hold(&app.pool).await;
}

#[tokio::test]
async fn the_worker_deletes_answers_past_their_keeping_with_their_files_and_choice_places() {
    let app = TestApp::spawn().await;
    create_event(&app.pool, EventSpec::default()).await;
    let organiser = app.organiser_token("organiser").await;
    add_questions(
        &app,
        &organiser,
        &[
            json!({"code": "health", "type": "single_choice", "labels": {"fr": "Santé"}, "sensitive": true,
                   "purge_after_days": 2, "position": 1,
                   "choices": [{"code": "asthma", "labels": {"fr": "Asthme"}, "capacity": 10},
                               {"code": "none", "labels": {"fr": "Rien"}}]}),
            json!({"code": "certificate", "type": "file", "labels": {"fr": "Certificat"},
                   "purge_after_days": 2, "position": 2}),
            json!({"code": "lunch", "type": "single_choice", "labels": {"fr": "Déjeuner"}, "position": 3,
                   "purge_after_days": 20,
                   "choices": [{"code": "fish", "labels": {"fr": "Poisson"}, "capacity": 10}]}),
            json!({"code": "guests", "type": "number", "labels": {"fr": "Invités"}, "position": 4}),
        ],
    )
    .await;
    for n in 0..3 {
        let mut body = delegate(n, "SN");
        body["answers"] = json!({"health": "asthma", "lunch": "fish", "guests": 1});
        let token = app.registered(&body).await.1;
        let response = app
            .client
            .post(app.url(&format!(
                "/api/v1/registrations/{token}/files?question=certificate"
            )))
            .header("Content-Type", "application/pdf")
            .body(PDF.to_vec())
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 201);
        let file: Value = response.json().await.unwrap();
        let (status, body) = app.put_answers(&token,
            json!({"health": "asthma", "lunch": "fish", "guests": 1, "certificate": file["id"]}),
        )
        .await;
        assert_eq!(status, 200, "{body}");
    }
    let answers_to = |code: &str| {
        format!(
            "SELECT count(*) AS count FROM registration_answers a JOIN questions q ON q.id = a.question_id \
             WHERE q.code = '{code}'"
        )
    };
    let taken = |code: &str| {
        format!("SELECT taken::bigint AS count FROM question_choices WHERE code = '{code}'")
    };
    let files = "SELECT count(*) AS count FROM registration_files";
    assert_eq!(count(&app.pool, &answers_to("health")).await, 3);
    assert_eq!(count(&app.pool, files).await, 3);

    // The event ended three days ago (in its own zone): two days' keeping
    // is over, twenty is not.
    {
        use diesel_async::RunQueryDsl;
        let mut conn = app.pool.get().await.expect("connection");
        diesel::sql_query(
            "UPDATE events SET starts_on = (now() AT TIME ZONE timezone)::date - 6, \
                               ends_on = (now() AT TIME ZONE timezone)::date - 3",
        )
        .execute(&mut conn)
        .await
        .expect("the event ended");
    }
    let worker = app.start_worker(&crate::support::test_settings(&app.db.url).mail);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while count(&app.pool, &answers_to("health")).await > 0 {
        assert!(
            std::time::Instant::now() < deadline,
            "the worker purges within its first round"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    worker.stop().await;

    assert_eq!(count(&app.pool, &answers_to("certificate")).await, 0);
    assert_eq!(count(&app.pool, files).await, 0, "the files go with them");
    assert_eq!(count(&app.pool, &taken("asthma")).await, 0);
    assert_eq!(
        count(&app.pool, &answers_to("lunch")).await,
        3,
        "kept 20 days"
    );
    assert_eq!(count(&app.pool, &taken("fish")).await, 3);
    assert_eq!(count(&app.pool, &answers_to("guests")).await, 3);
    assert_eq!(
        count(
            &app.pool,
            "SELECT coalesce(sum((detail->>'answers')::bigint), 0)::bigint AS count \
               FROM audit_log WHERE action = 'question.purge'"
        )
        .await,
        6,
        "each purge is audit-logged with its count"
    );
    assert_invariants_hold(&app.pool).await;
}

#[tokio::test]
async fn sensitive_answers_are_exported_only_when_asked_by_a_role_that_may_read_them() {
    let app = TestApp::spawn().await;
    create_event(&app.pool, EventSpec::default()).await;
    let organiser = app.organiser_token("organiser").await;
    let viewer = app.organiser_token("viewer").await;
    add_questions(
        &app,
        &organiser,
        &[
            json!({"code": "diet", "type": "single_choice", "labels": {"es": "Dieta"}, "position": 1,
                   "choices": [{"code": "veg", "labels": {"es": "Vegetariana", "fr": "Végétarien"}}]}),
            json!({"code": "needs", "type": "long_text", "labels": {"es": "Necesidades"}, "position": 2,
                   "sensitive": true}),
        ],
    )
    .await;
    let mut body = delegate(1, "PE");
    body["answers"] = json!({"diet": "veg", "needs": "Silla de ruedas"});
    app.registered(&body).await;

    let csv = |token: String, query: &'static str| {
        let app = &app;
        async move {
            let response = app
                .client
                .get(app.url(&format!(
                    "/api/v1/events/lima-1997/registrations.csv{query}"
                )))
                .bearer_auth(token)
                .send()
                .await
                .unwrap();
            let status = response.status().as_u16();
            (status, response.text().await.unwrap())
        }
    };
    let (status, plain) = csv(organiser.clone(), "").await;
    assert_eq!(status, 200);
    assert!(plain.contains("Vegetariana") && !plain.contains("needs"));
    assert!(!plain.contains("Silla de ruedas"));

    let (status, asked) = csv(organiser.clone(), "?sensitive=true&lang=fr").await;
    assert_eq!(status, 200, "{asked}");
    let mut reader = csv::Reader::from_reader(asked.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    assert_eq!(&header[12..], ["diet", "needs"]);
    let row = reader.records().next().unwrap().unwrap();
    assert_eq!(
        row.iter().skip(12).collect::<Vec<_>>(),
        ["Végétarien", "Silla de ruedas"],
        "in French when asked"
    );

    let (status, _) = csv(viewer.clone(), "?sensitive=true").await;
    assert_eq!(status, 403, "a viewer may not read sensitive answers");
    let (status, _) = csv(viewer.clone(), "").await;
    assert_eq!(status, 200);
    let xlsx = app
        .client
        .get(app.url("/api/v1/events/lima-1997/registrations.xlsx?sensitive=true"))
        .bearer_auth(&viewer)
        .send()
        .await
        .unwrap();
    assert_eq!(xlsx.status(), 403);
    let (status, refused) = csv(organiser.clone(), "?lang=de").await;
    assert_eq!(status, 422);
    assert!(refused.contains("\"lang\""), "{refused}");

    // The command line asks for them with --sensitive.
    let output = rencontre(&app.db.url)
        .args(["export", "lima-1997", "--format", "csv", "--sensitive"])
        .output()
        .expect("run");
    assert!(output.status.success());
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.contains("Silla de ruedas"), "{text}");
    let output = rencontre(&app.db.url)
        .args(["export", "lima-1997", "--format", "csv"])
        .output()
        .expect("run");
    assert!(!String::from_utf8(output.stdout).unwrap().contains("Silla"));
    let output = rencontre(&app.db.url)
        .args(["export", "lima-1997", "--format", "csv", "--lang", "de"])
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(2));
}
