//! The organisers' questions in the back office, through real HTTP as a
//! browser without JavaScript uses it: set-up by form (the API's rules,
//! nothing written when refused), presets in one click, the counts per
//! choice and country, and a delegate's answers changed by an organiser
//! (audit-logged, choice places moved) but never by a viewer, who does not
//! see sensitive answers either.

use serde_json::{Value, json};

use crate::admin::signed_in;
use crate::support::{EventSpec, TestApp, assert_invariants_hold, count, create_event, delegate};

const QUESTIONS: &str = "/admin/events/lima-1997/questions";

async fn one_value(app: &TestApp, sql: &str) -> Value {
    use diesel::sql_types::Jsonb;
    use diesel_async::RunQueryDsl;
    #[derive(diesel::QueryableByName)]
    struct Row {
        #[diesel(sql_type = Jsonb)]
        value: Value,
    }
    let mut conn = app.pool.get().await.expect("connection");
    let row: Row = diesel::sql_query(sql)
        .get_result(&mut conn)
        .await
        .expect("one row");
    row.value
}

#[tokio::test]
async fn a_question_is_set_up_by_form_by_the_api_rules_and_a_refused_form_writes_nothing() {
    let app = TestApp::spawn().await;
    create_event(&app.pool, EventSpec::default()).await;
    let (browser, csrf) = signed_in(&app, "organiser", "Fatou").await;
    browser.get("/admin?lang=fr").await;
    let page = browser.get(QUESTIONS).await;
    assert_eq!(page.status, 200);
    page.assert_contains("name=\"labels.pt\"");

    // A bad code, and a choice row after an empty one whose code is bad:
    // each problem next to its input, in French, the typed values kept.
    let mut fields = vec![
        ("csrf_token", csrf.as_str()),
        ("code", "Excursion"),
        ("type", "single_choice"),
        ("labels.fr", "Excursion du samedi"),
        ("labels.en", "Saturday trip"),
        ("required", "yes"),
        ("stage", "registration"),
        ("choices.0.code", "goree"),
        ("choices.0.labels.fr", "Île de Gorée"),
        ("choices.0.capacity", "2"),
        ("choices.2.code", "lac rose"),
        ("choices.2.labels.fr", "Lac Rose"),
    ];
    let refused = browser.post(QUESTIONS, &fields).await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    refused.assert_contains("<html lang=\"fr\">");
    refused.assert_contains("id=\"code-error\" class=\"error\">Un code est une lettre minuscule");
    refused.assert_contains("id=\"choices.1.code-error\" class=\"error\">Un code de choix est");
    refused.assert_contains("value=\"Excursion du samedi\"");
    refused.assert_contains("value=\"Lac Rose\"");
    // Without the session's CSRF token, refused before anything is read.
    let forged = browser.post(QUESTIONS, &fields[1..]).await;
    assert_eq!(forged.status, 403);
    assert_eq!(
        count(&app.pool, "SELECT count(*) AS count FROM questions").await,
        0,
        "nothing written"
    );

    fields[1] = ("code", "excursion");
    fields[10] = ("choices.2.code", "lac");
    let created = browser.post(QUESTIONS, &fields).await;
    assert_eq!(created.status, 303, "{}", created.body);
    let stored = one_value(
        &app,
        "SELECT jsonb_build_object('labels', q.labels, 'required', q.required, 'kind', q.kind,
                'choices', (SELECT jsonb_agg(jsonb_build_array(c.code, c.capacity, c.labels)
                                              ORDER BY c.position)
                              FROM question_choices c WHERE c.question_id = q.id)) AS value
           FROM questions q WHERE q.code = 'excursion'",
    )
    .await;
    assert_eq!(
        stored,
        json!({
            "labels": {"fr": "Excursion du samedi", "en": "Saturday trip"},
            "required": true,
            "kind": "single_choice",
            "choices": [["goree", 2, {"fr": "Île de Gorée"}], ["lac", null, {"fr": "Lac Rose"}]],
        })
    );
    assert_eq!(
        count(
            &app.pool,
            "SELECT count(*) AS count FROM audit_log WHERE action = 'question.create'"
        )
        .await,
        1
    );

    // The edit form: a capacity that is no number is refused on its row,
    // and the stored question stays as it was.
    let edit = browser.get(&format!("{QUESTIONS}/excursion")).await;
    assert_eq!(edit.status, 200);
    edit.assert_contains("value=\"Île de Gorée\"");
    let change = [
        ("csrf_token", csrf.as_str()),
        ("labels.fr", "Excursion"),
        ("choices.0.code", "goree"),
        ("choices.0.labels.fr", "Gorée"),
        ("choices.0.capacity", "beaucoup"),
    ];
    let refused = browser
        .post(&format!("{QUESTIONS}/excursion"), &change)
        .await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    refused.assert_contains("id=\"choices.0.capacity-error\"");
    let labels = one_value(
        &app,
        "SELECT labels AS value FROM questions WHERE code = 'excursion'",
    )
    .await;
    assert_eq!(labels["fr"], "Excursion du samedi");

    // A viewer reads the list but gets no form, and may change nothing.
    let (viewer, viewer_csrf) = signed_in(&app, "viewer", "Nguyễn").await;
    let list = viewer.get(QUESTIONS).await;
    assert_eq!(list.status, 200);
    list.assert_contains("excursion");
    assert!(
        !list.body.contains("name=\"labels.fr\""),
        "no form for viewers"
    );
    assert_eq!(
        viewer.get(&format!("{QUESTIONS}/excursion")).await.status,
        403
    );
    let mut as_viewer = fields.clone();
    as_viewer[0] = ("csrf_token", viewer_csrf.as_str());
    as_viewer[1] = ("code", "other");
    assert_eq!(viewer.post(QUESTIONS, &as_viewer).await.status, 403);
    let deleted = viewer
        .post(
            &format!("{QUESTIONS}/excursion/delete"),
            &[("csrf_token", viewer_csrf.as_str()), ("confirm", "yes")],
        )
        .await;
    assert_eq!(deleted.status, 403);
    assert_eq!(
        count(&app.pool, "SELECT count(*) AS count FROM questions").await,
        1
    );
}

#[tokio::test]
async fn a_preset_is_added_in_one_click_in_the_four_languages_and_only_once() {
    let app = TestApp::spawn().await;
    let event = create_event(&app.pool, EventSpec::default()).await;
    let (browser, csrf) = signed_in(&app, "organiser", "Fatou").await;
    let presets = "/admin/events/lima-1997/question-presets";
    let added = browser
        .post(presets, &[("csrf_token", &csrf), ("preset", "diet")])
        .await;
    assert_eq!(added.status, 303, "{}", added.body);
    let diet = one_value(
        &app,
        "SELECT jsonb_agg(jsonb_build_object('code', code, 'labels', labels, 'kind', kind,
                                              'condition', condition, 'position', position)
                          ORDER BY position) AS value FROM questions",
    )
    .await;
    assert_eq!(diet[0]["code"], "diet");
    assert_eq!(
        diet[0]["labels"],
        json!({"en": "Dietary requirements", "fr": "Régime alimentaire",
               "es": "Régimen alimentario", "pt": "Restrições alimentares"})
    );
    assert_eq!(diet[1]["code"], "diet_other");
    assert_eq!(diet[1]["kind"], "text");
    assert_eq!(diet[1]["labels"].as_object().map(|map| map.len()), Some(4));
    assert_eq!(
        diet[1]["condition"],
        json!({"question": "diet", "any_of": ["other"]})
    );
    let choice_labels = one_value(
        &app,
        "SELECT jsonb_object_agg(code, labels) AS value FROM question_choices",
    )
    .await;
    assert_eq!(choice_labels.as_object().map(|map| map.len()), Some(7));
    assert_eq!(choice_labels["gluten_free"]["pt"], "Sem glúten");
    assert_eq!(
        count(
            &app.pool,
            "SELECT count(*) AS count FROM audit_log
              WHERE action = 'question.create' AND detail->>'preset' = 'diet'"
        )
        .await,
        2
    );
    // The public form asks it in the delegate's language.
    let form = app
        .client
        .get(app.url("/events/lima-1997/register?lang=pt"))
        .send()
        .await
        .expect("request")
        .text()
        .await
        .expect("page");
    assert!(form.contains("Restrições alimentares"), "{form}");

    // Twice: refused on the page, nothing more written.
    let again = browser
        .post(presets, &[("csrf_token", &csrf), ("preset", "diet")])
        .await;
    assert_eq!(again.status, 422);
    again.assert_contains("id=\"preset-error\"");
    again.assert_contains("diet");
    assert_eq!(
        count(&app.pool, "SELECT count(*) AS count FROM questions").await,
        2
    );

    // The API: viewers read the presets, organisers add one; a code taken
    // or an unknown preset is a 422 on `preset`.
    let viewer = app.organiser_token("viewer").await;
    let organiser = app.organiser_token("organiser").await;
    let path = "/api/v1/events/lima-1997/question-presets";
    let (status, listed) = app
        .send(reqwest::Method::GET, Some(&viewer), path, None)
        .await;
    assert_eq!(status, 200);
    let names: Vec<&str> = listed["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|item| item["preset"].as_str())
        .collect();
    assert_eq!(
        names,
        [
            "diet",
            "accessibility",
            "interpretation",
            "travel_dates",
            "nationality"
        ]
    );
    let travel = json!({"preset": "travel_dates"});
    let (status, _) = app
        .send(
            reqwest::Method::POST,
            Some(&viewer),
            path,
            Some(travel.clone()),
        )
        .await;
    assert_eq!(status, 403);
    let (status, created) = app
        .send(
            reqwest::Method::POST,
            Some(&organiser),
            path,
            Some(travel.clone()),
        )
        .await;
    assert_eq!(status, 201, "{created}");
    let starts_on = event.starts_on.format("%Y-%m-%d").to_string();
    let ends_on = event.ends_on.format("%Y-%m-%d").to_string();
    assert_eq!(created["items"][0]["code"], "arrival");
    assert_eq!(created["items"][0]["min"], json!(starts_on));
    assert_eq!(created["items"][1]["code"], "departure");
    assert_eq!(created["items"][1]["max"], json!(ends_on));
    let (status, refused) = app
        .send(reqwest::Method::POST, Some(&organiser), path, Some(travel))
        .await;
    assert_eq!(status, 422);
    assert!(
        refused["fields"]["preset"]
            .as_str()
            .is_some_and(|message| message.contains("arrival")),
        "{refused}"
    );
    let (status, refused) = app
        .send(
            reqwest::Method::POST,
            Some(&organiser),
            path,
            Some(json!({"preset": "shoe_size"})),
        )
        .await;
    assert_eq!(status, 422);
    assert!(refused["fields"]["preset"].is_string(), "{refused}");
    assert_eq!(
        count(&app.pool, "SELECT count(*) AS count FROM questions").await,
        4
    );
}

#[tokio::test]
async fn the_counts_are_exact_per_choice_and_per_country_for_caterers() {
    let app = TestApp::spawn().await;
    create_event(&app.pool, EventSpec::default()).await;
    let organiser = app.organiser_token("organiser").await;
    let (status, _) = app
        .send(
            reqwest::Method::POST,
            Some(&organiser),
            "/api/v1/events/lima-1997/question-presets",
            Some(json!({"preset": "diet"})),
        )
        .await;
    assert_eq!(status, 201);
    let mut cancelled = String::new();
    for (n, (country, diet)) in [
        ("SN", "vegetarian"),
        ("SN", "vegetarian"),
        ("SN", "halal"),
        ("ML", "vegetarian"),
        ("ML", "halal"),
    ]
    .into_iter()
    .enumerate()
    {
        let mut body = delegate(n + 1, country);
        body["answers"] = json!({"diet": diet});
        let (_, token) = app.registered(&body).await;
        cancelled = token;
    }
    // The last (ML, halal) cancels: it no longer counts.
    let answer = app
        .client
        .post(app.url(&format!("/api/v1/registrations/{cancelled}/cancel")))
        .send()
        .await
        .expect("request");
    assert_eq!(answer.status(), 200);

    let (status, summary) = app
        .send(
            reqwest::Method::GET,
            Some(&organiser),
            "/api/v1/events/lima-1997/questions/diet/summary",
            None,
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(summary["answered"], 4);
    let count_of = |code: &str| {
        summary["choices"]
            .as_array()
            .and_then(|choices| choices.iter().find(|choice| choice["code"] == code))
            .map(|choice| choice["count"].clone())
    };
    assert_eq!(count_of("vegetarian"), Some(json!(3)));
    assert_eq!(count_of("halal"), Some(json!(1)));
    assert_eq!(count_of("vegan"), Some(json!(0)));
    assert_eq!(
        summary["countries"],
        json!([
            {"country": "ML", "choices": [{"code": "vegetarian", "count": 1}]},
            {"country": "SN", "choices": [{"code": "vegetarian", "count": 2}, {"code": "halal", "count": 1}]},
        ])
    );

    // The page shows the same, to a viewer, in columns of choices.
    let (viewer, _) = signed_in(&app, "viewer", "Nguyễn").await;
    viewer.get("/admin?lang=fr").await;
    let page = viewer.get(&format!("{QUESTIONS}/diet/summary")).await;
    assert_eq!(page.status, 200, "{}", page.body);
    page.assert_contains("4 délégué·e·s ont répondu.");
    assert_eq!(page.row("choice-vegetarian")[..2], ["Végétarien", "3"]);
    assert_eq!(page.row("choice-halal")[1], "1");
    // Columns: none, vegetarian, vegan, halal, kosher, gluten-free, other.
    assert_eq!(
        page.row("country-SN"),
        ["Sénégal", "0", "2", "0", "1", "0", "0", "0"]
    );
    assert_eq!(
        page.row("country-ML"),
        ["Mali", "0", "1", "0", "0", "0", "0", "0"]
    );
}

#[tokio::test]
async fn an_organiser_changes_a_delegates_answers_audited_and_a_viewer_neither_changes_nor_sees_sensitive_ones()
 {
    let app = TestApp::spawn().await;
    create_event(&app.pool, EventSpec::default()).await;
    let organiser = app.organiser_token("organiser").await;
    let excursion = json!({
        "code": "excursion", "type": "single_choice", "labels": {"fr": "Excursion"},
        "choices": [
            {"code": "goree", "labels": {"fr": "Gorée"}, "capacity": 1},
            {"code": "lac", "labels": {"fr": "Lac Rose"}}
        ]
    });
    let (status, _) = app
        .send(
            reqwest::Method::POST,
            Some(&organiser),
            "/api/v1/events/lima-1997/questions",
            Some(excursion),
        )
        .await;
    assert_eq!(status, 201);
    let (status, _) = app
        .send(
            reqwest::Method::POST,
            Some(&organiser),
            "/api/v1/events/lima-1997/question-presets",
            Some(json!({"preset": "accessibility"})),
        )
        .await;
    assert_eq!(status, 201);
    let mut first = delegate(1, "SN");
    first["answers"] = json!({"excursion": "lac", "accessibility": "Fauteuil roulant"});
    let (first_id, _) = app.registered(&first).await;
    let mut second = delegate(2, "ML");
    second["answers"] = json!({"excursion": "goree"});
    let (second_id, _) = app.registered(&second).await;
    let page_of = |id: &str| format!("/admin/events/lima-1997/registrations/{id}");
    let taken = |code: &'static str| {
        let app = &app;
        async move {
            count(
                &app.pool,
                &format!(
                    "SELECT taken::bigint AS count FROM question_choices WHERE code = '{code}'"
                ),
            )
            .await
        }
    };

    // A viewer sees the answers but not the sensitive one, gets no form,
    // and is refused a change.
    let (viewer, viewer_csrf) = signed_in(&app, "viewer", "Nguyễn").await;
    viewer.get("/admin?lang=en").await;
    let seen = viewer.get(&page_of(&first_id)).await;
    assert_eq!(seen.status, 200);
    seen.assert_contains("Lac Rose");
    assert!(!seen.body.contains("Fauteuil roulant"), "{}", seen.body);
    seen.assert_contains("Sensitive answer, shown to organisers only");
    assert!(
        !seen.body.contains("/answers\""),
        "no answers form for viewers"
    );
    let refused = viewer
        .post(
            &format!("{}/answers", page_of(&first_id)),
            &[
                ("csrf_token", viewer_csrf.as_str()),
                ("answers.excursion", "goree"),
            ],
        )
        .await;
    assert_eq!(refused.status, 403);

    // The organiser sees it, and changes by the delegate's rules: a full
    // choice is refused next to its question, nothing changed.
    let (browser, csrf) = signed_in(&app, "organiser", "Fatou").await;
    browser.get("/admin?lang=fr").await;
    let shown = browser.get(&page_of(&first_id)).await;
    shown.assert_contains("Fauteuil roulant");
    shown.assert_contains("name=\"answers.excursion\"");
    let full = browser
        .post(
            &format!("{}/answers", page_of(&first_id)),
            &[
                ("csrf_token", csrf.as_str()),
                ("answers.excursion", "goree"),
                ("answers.accessibility", "Fauteuil roulant"),
            ],
        )
        .await;
    assert_eq!(full.status, 422, "{}", full.body);
    full.assert_contains("id=\"answers.excursion-error\" class=\"error\">Ce choix est complet");
    assert_eq!((taken("goree").await, taken("lac").await), (1, 1));
    // Without the CSRF token: refused too.
    let forged = browser
        .post(
            &format!("{}/answers", page_of(&first_id)),
            &[("answers.excursion", "lac")],
        )
        .await;
    assert_eq!(forged.status, 403);

    // The second delegate gives Gorée up, the first takes it and changes
    // the sensitive answer.
    let freed = browser
        .post(
            &format!("{}/answers", page_of(&second_id)),
            &[("csrf_token", csrf.as_str()), ("answers.excursion", "lac")],
        )
        .await;
    assert_eq!(freed.status, 303, "{}", freed.body);
    let moved = browser
        .post(
            &format!("{}/answers", page_of(&first_id)),
            &[
                ("csrf_token", csrf.as_str()),
                ("answers.excursion", "goree"),
                ("answers.accessibility", "Rampe d'accès"),
            ],
        )
        .await;
    assert_eq!(moved.status, 303, "{}", moved.body);
    assert_eq!((taken("goree").await, taken("lac").await), (1, 1));
    let detail = one_value(
        &app,
        &format!(
            "SELECT detail AS value FROM audit_log
              WHERE action = 'registration.answers' AND registration_id = '{first_id}'"
        ),
    )
    .await;
    assert_eq!(
        detail,
        json!({"changes": [
            {"question": "excursion", "old": "lac", "new": "goree"},
            {"question": "accessibility", "sensitive": true},
        ]})
    );
    let stored = one_value(
        &app,
        &format!(
            "SELECT jsonb_object_agg(q.code, a.value) AS value FROM registration_answers a
               JOIN questions q ON q.id = a.question_id WHERE a.registration_id = '{first_id}'"
        ),
    )
    .await;
    assert_eq!(
        stored,
        json!({"excursion": "goree", "accessibility": "Rampe d'accès"})
    );
    // The audit trail on the page, which viewers read, holds no sensitive text.
    let history = viewer.get(&page_of(&first_id)).await;
    history.assert_contains("Answers changed");
    assert!(!history.body.contains("Rampe d"), "{}", history.body);
    assert_invariants_hold(&app.pool).await;
}
