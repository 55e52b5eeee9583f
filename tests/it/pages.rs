//! The public pages of API.md ("Web pages"), through HTTP as a browser with
//! JavaScript off uses them: forms posted as `x-www-form-urlencoded`,
//! cookies kept, redirects looked at one by one.

use diesel::QueryableByName;
use diesel::sql_types::Text;
use diesel_async::RunQueryDsl;
use reqwest::StatusCode;
use reqwest::header::{HeaderMap, LOCATION};
use serde_json::{Value, json};

use crate::support::{EventSpec, TestApp, assert_invariants_hold, count, create_event, delegate};

/// Lima is UTC−5 all year: sessions from 14:00 UTC start at 09:00 there.
fn lima_programme() -> EventSpec {
    EventSpec {
        sessions: vec![
            ("A1", Some(10), 0, 14, 16),
            ("A2", Some(10), 0, 15, 17),
            ("B1", Some(1), 1, 14, 16),
        ],
        ..EventSpec::default()
    }
}

struct Page {
    status: StatusCode,
    headers: HeaderMap,
    body: String,
}

impl Page {
    fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|value| value.to_str().ok())
            .unwrap_or_default()
    }

    /// The `Set-Cookie` header that sets `name`, if any.
    fn set_cookie(&self, name: &str) -> Option<&str> {
        self.headers
            .get_all("set-cookie")
            .iter()
            .filter_map(|value| value.to_str().ok())
            .find(|cookie| cookie.starts_with(&format!("{name}=")))
    }

    /// The value of the form's hidden CSRF field.
    fn csrf_token(&self) -> String {
        crate::support::csrf_of(&self.body)
    }

    /// The start tag of the element whose attributes begin with `opening`,
    /// e.g. `<input id="email"`.
    fn tag(&self, opening: &str) -> &str {
        let start = self
            .body
            .find(opening)
            .unwrap_or_else(|| panic!("no {opening} in:\n{}", self.body));
        let end = self.body[start..].find('>').expect("tag end");
        &self.body[start..=start + end]
    }

    fn assert_contains(&self, text: &str) {
        assert!(
            self.body.contains(text),
            "{text:?} not in the page:\n{}",
            self.body
        );
    }
}

async fn read(response: reqwest::Response) -> Page {
    Page {
        status: response.status(),
        headers: response.headers().clone(),
        body: response.text().await.expect("body"),
    }
}

impl TestApp {
    async fn page(&self, path: &str) -> Page {
        read(
            self.client
                .get(self.url(path))
                .send()
                .await
                .expect("request"),
        )
        .await
    }

    async fn post_form(&self, path: &str, fields: &[(&str, &str)]) -> Page {
        read(
            self.client
                .post(self.url(path))
                .form(fields)
                .send()
                .await
                .expect("request"),
        )
        .await
    }
}

/// The private token in a redirect to `/r/{token}?registered=1`.
fn token_in(location: &str) -> String {
    location
        .strip_prefix("/r/")
        .and_then(|rest| rest.strip_suffix("?registered=1"))
        .unwrap_or_else(|| panic!("not a private page: {location}"))
        .to_owned()
}

async fn text_of(app: &TestApp, sql: &str) -> String {
    #[derive(QueryableByName)]
    struct Row {
        #[diesel(sql_type = Text)]
        text: String,
    }
    let mut conn = app.pool.get().await.expect("connection");
    let rows: Vec<Row> = diesel::sql_query(sql).load(&mut conn).await.expect(sql);
    rows.into_iter().next().expect(sql).text
}

async fn registrations(app: &TestApp) -> i64 {
    count(&app.pool, "SELECT count(*) AS count FROM registrations").await
}

/// Hidden characters and line breaks in a name are refused next to the
/// field, in the form's language.
#[tokio::test]
async fn hidden_characters_in_names_are_refused_in_the_forms_language() {
    let app = TestApp::spawn().await;
    create_event(&app.pool, lima_programme()).await;
    for (lang, invisible, line_break) in [
        (
            "fr",
            "Ce champ contient un caractère non autorisé : un caractère invisible",
            "Écrivez ceci sur une seule ligne.",
        ),
        (
            "pt",
            "Este campo contém um caractere não permitido: um caractere invisível",
            "Escreva isto em uma só linha.",
        ),
    ] {
        let form = app
            .page(&format!("/events/lima-1997/register?lang={lang}"))
            .await;
        let token = form.csrf_token();
        let refused = app
            .post_form(
                "/events/lima-1997/register",
                &[
                    ("csrf_token", token.as_str()),
                    ("given_name", "Ami\u{200b}nata"),
                    ("family_name", "Tra\u{2028}oré"),
                    ("email", "a.traore@example.org"),
                    ("country", "ML"),
                    ("language", lang),
                ],
            )
            .await;
        assert_eq!(refused.status, 422);
        refused.assert_contains(&format!(
            r#"<p id="given_name-error" class="error">{invisible}"#
        ));
        refused.assert_contains(&format!(
            r#"<p id="family_name-error" class="error">{line_break}</p>"#
        ));
    }
    assert_eq!(
        count(&app.pool, "SELECT count(*) AS count FROM registrations").await,
        0
    );
}

#[tokio::test]
async fn the_french_form_keeps_every_answer_on_error_then_registers() {
    let app = TestApp::spawn().await;
    create_event(&app.pool, lima_programme()).await;

    let form = app.page("/events/lima-1997/register?lang=fr").await;
    assert_eq!(form.status, 200);
    form.assert_contains(r#"<html lang="fr""#);
    form.assert_contains(r#"<label for="given_name">Prénom</label>"#);
    form.assert_contains(r#"<label for="country">Pays</label>"#);
    form.assert_contains(r#"<option value="">Choisissez un pays</option>"#);
    // Sessions by day, with the time in the meeting's zone.
    form.assert_contains("09:00–11:00 (America/Lima, -05)");
    form.assert_contains(r#"value="A1""#);
    // The delegate's language defaults to the page's.
    form.assert_contains(r#"<option value="fr" selected>Français</option>"#);
    let token = form.csrf_token();
    assert_eq!(token.len(), 64);

    let mut answers = vec![
        ("csrf_token", token.as_str()),
        ("given_name", "Aminata"),
        ("family_name", "Traoré"),
        ("email", "pas-une-adresse"),
        ("country", "ML"),
        ("organisation", "Réseau des femmes"),
        ("language", "fr"),
        ("sessions", "A1"),
        ("sessions", "B1"),
    ];
    let refused = app.post_form("/events/lima-1997/register", &answers).await;
    assert_eq!(refused.status, 422);
    refused.assert_contains(r#"<html lang="fr""#);
    refused.assert_contains(
        r#"<p id="email-error" class="error">Saisissez une adresse e-mail valide, par exemple nom@example.org.</p>"#,
    );
    let email_input = refused.tag(r#"<input id="email""#);
    assert!(
        email_input.contains(r#"value="pas-une-adresse""#),
        "{email_input}"
    );
    assert!(
        email_input.contains(r#"aria-invalid="true""#),
        "{email_input}"
    );
    assert!(
        email_input.contains(r#"aria-describedby="email-hint email-error""#),
        "{email_input}"
    );
    // Everything else is still filled in.
    assert!(
        refused
            .tag(r#"<input id="given_name""#)
            .contains(r#"value="Aminata""#)
    );
    assert!(
        refused
            .tag(r#"<input id="family_name""#)
            .contains(r#"value="Traoré""#)
    );
    refused.assert_contains(r#"<option value="ML" selected>Mali</option>"#);
    assert!(
        refused
            .tag(r#"<input type="checkbox" id="session-A1""#)
            .contains(" checked")
    );
    assert!(
        refused
            .tag(r#"<input type="checkbox" id="session-B1""#)
            .contains(" checked")
    );
    assert!(
        !refused
            .tag(r#"<input type="checkbox" id="session-A2""#)
            .contains(" checked")
    );
    // The summary at the top counts the problems and links to each field.
    refused.assert_contains("Votre inscription comporte un problème");
    refused.assert_contains(
        r##"<a href="#email">Saisissez une adresse e-mail valide, par exemple nom@example.org.</a>"##,
    );
    assert!(
        !refused
            .tag(r#"<input id="given_name""#)
            .contains("aria-invalid")
    );
    assert_eq!(registrations(&app).await, 0, "nothing written");

    answers[3] = ("email", "a.traore@example.org");
    let registered = app.post_form("/events/lima-1997/register", &answers).await;
    assert_eq!(registered.status, 303);
    let location = registered.header(LOCATION.as_str()).to_owned();
    let private_token = token_in(&location);

    let private = app.page(&location).await;
    assert_eq!(private.status, 200);
    private.assert_contains(r#"<html lang="fr""#);
    private.assert_contains("Votre inscription est confirmée");
    private.assert_contains("Statut : confirmée");
    let reference = text_of(
        &app,
        "SELECT reference AS text FROM registrations WHERE email = 'a.traore@example.org'",
    )
    .await;
    private.assert_contains(&format!("Votre référence : {reference}"));
    private.assert_contains("Nous envoyons un e-mail de confirmation à a.traore@example.org.");
    private.assert_contains(&format!("{}/r/{private_token}", app.address));
    private.assert_contains("Place confirmée");
    assert_eq!(registrations(&app).await, 1);
    assert_invariants_hold(&app.pool).await;
}

#[tokio::test]
async fn the_english_form_reports_each_problem_then_waitlists() {
    let app = TestApp::spawn().await;
    create_event(
        &app.pool,
        EventSpec {
            countries: vec![("PE", 0)],
            ..lima_programme()
        },
    )
    .await;
    let form = app.page("/events/lima-1997/register?lang=en").await;
    form.assert_contains(r#"<html lang="en""#);
    form.assert_contains(r#"<label for="given_name">Given name</label>"#);
    let token = form.csrf_token();

    let mut answers = vec![
        ("csrf_token", token.as_str()),
        ("given_name", "   "),
        ("family_name", ""),
        ("email", "q.mamani@example.org"),
        ("country", "ZZ"),
        ("organisation", ""),
        ("language", "es"),
        ("sessions", "A1"),
        ("sessions", "A2"),
    ];
    let two_problems = app.post_form("/events/lima-1997/register", &answers).await;
    assert_eq!(two_problems.status, 422);
    two_problems.assert_contains("There are 2 problems with your registration");
    two_problems
        .assert_contains(r#"<p id="given_name-error" class="error">This field is required.</p>"#);
    two_problems.assert_contains(
        r#"<p id="country-error" class="error">Choose a country from the list.</p>"#,
    );
    // Summary in the order of the form.
    let given_name_link = two_problems
        .body
        .find(r##"<a href="#given_name">"##)
        .unwrap();
    let country_link = two_problems.body.find(r##"<a href="#country">"##).unwrap();
    assert!(given_name_link < country_link);
    assert!(
        two_problems
            .tag(r#"<input id="email""#)
            .contains(r#"value="q.mamani@example.org""#)
    );
    two_problems.assert_contains(r#"<option value="es" selected>Español</option>"#);

    // The fields are fine now; the use case finds the sessions overlap.
    answers[1] = ("given_name", "Quispe");
    answers[4] = ("country", "PE");
    let overlap = app.post_form("/events/lima-1997/register", &answers).await;
    assert_eq!(overlap.status, 422);
    overlap.assert_contains(
        r#"<p id="sessions-error" class="error">Sessions A1 and A2 take place at the same time: choose only one.</p>"#,
    );
    overlap.assert_contains(r##"<a href="#sessions">"##);
    assert_eq!(registrations(&app).await, 0);

    answers.pop();
    let registered = app.post_form("/events/lima-1997/register", &answers).await;
    assert_eq!(registered.status, 303);
    let location = registered.header(LOCATION.as_str()).to_owned();
    let private = app.page(&location).await;
    private.assert_contains(r#"<html lang="en""#);
    private.assert_contains("You are on the waiting list");
    private.assert_contains("Status: on the waiting list");
    private.assert_contains("You are in position 1 on the waiting list.");
    // The delegate chose Spanish for emails.
    assert_eq!(
        count(
            &app.pool,
            "SELECT count(*) AS count FROM email_outbox WHERE kind = 'waitlisted' AND language = 'es'"
        )
        .await,
        1
    );

    // The same address again is refused under the email field.
    let again = app.post_form("/events/lima-1997/register", &answers).await;
    assert_eq!(again.status, 422);
    again.assert_contains(r#"<p id="email-error" class="error">This email address is already registered for this meeting."#);
    assert_eq!(registrations(&app).await, 1);
    assert_invariants_hold(&app.pool).await;
}

#[tokio::test]
async fn a_form_without_its_csrf_token_is_refused_and_writes_nothing() {
    let app = TestApp::spawn().await;
    create_event(&app.pool, lima_programme()).await;
    let answers = [
        ("given_name", "Aminata"),
        ("email", "a.traore@example.org"),
        ("country", "ML"),
    ];

    // A browser that never saw the form: no cookie, no field.
    let stranger = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let forged = read(
        stranger
            .post(app.url("/events/lima-1997/register?lang=en"))
            .form(&answers)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(forged.status, 403);
    forged.assert_contains("This form has expired. Please submit it again.");
    // The form comes back with a token that will pass, and its cookie.
    let cookie = forged.set_cookie("csrf").expect("a CSRF cookie");
    for part in ["HttpOnly", "SameSite=Strict", "Path=/"] {
        assert!(cookie.contains(part), "{cookie}");
    }
    assert!(
        forged
            .tag(r#"<input id="given_name""#)
            .contains(r#"value="Aminata""#)
    );

    // A cookie, but a token that does not match it.
    app.page("/events/lima-1997/register").await;
    let wrong = "0".repeat(64);
    let mut with_wrong_token = answers.to_vec();
    with_wrong_token.push(("csrf_token", &wrong));
    let mismatched = app
        .post_form("/events/lima-1997/register", &with_wrong_token)
        .await;
    assert_eq!(mismatched.status, 403);
    assert_eq!(registrations(&app).await, 0);

    // The private page's forms are protected too.
    let mut body = delegate(1, "PE");
    body["sessions"] = json!(["A1"]);
    let answer: Value = app.register("lima-1997", &body).await.json().await.unwrap();
    let manage_url = answer["manage_url"].as_str().unwrap();
    let private_path = &manage_url[app.address.len()..];
    let cancel = app
        .post_form(&format!("{private_path}/cancel"), &[("csrf_token", &wrong)])
        .await;
    assert_eq!(cancel.status, 403);
    let change = app
        .post_form(&format!("{private_path}/sessions"), &[("sessions", "A2")])
        .await;
    assert_eq!(change.status, 403);
    assert_eq!(
        count(
            &app.pool,
            "SELECT count(*) AS count FROM registrations WHERE status = 'confirmed'"
        )
        .await,
        1
    );
    assert_eq!(
        count(
            &app.pool,
            "SELECT count(*) AS count FROM registration_sessions rs JOIN sessions s ON s.id = rs.session_id WHERE s.code = 'A1'"
        )
        .await,
        1,
        "sessions unchanged"
    );
}

#[tokio::test]
async fn an_oversized_form_is_refused_with_413() {
    let app = TestApp::spawn().await;
    create_event(&app.pool, EventSpec::default()).await;
    let huge = read(
        app.client
            .post(app.url("/events/lima-1997/register?lang=pt"))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(format!("given_name={}", "a".repeat(200_000)))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(huge.status, 413);
    huge.assert_contains(r#"<html lang="pt""#);
    huge.assert_contains("longo demais");
    assert_eq!(registrations(&app).await, 0);
}

#[tokio::test]
async fn the_private_page_changes_sessions_and_cancels_after_confirmation() {
    let app = TestApp::spawn().await;
    create_event(&app.pool, lima_programme()).await;
    let mut body = delegate(1, "PE");
    body["sessions"] = json!(["A1"]);
    let answer: Value = app.register("lima-1997", &body).await.json().await.unwrap();
    let path = answer["manage_url"].as_str().unwrap()[app.address.len()..].to_owned();
    let session_of = |code: &str| {
        format!(
            "SELECT count(*) AS count FROM registration_sessions rs JOIN sessions s ON s.id = rs.session_id WHERE s.code = '{code}'"
        )
    };

    // The registration's language (fr) when the visitor chose none.
    let page = app.page(&path).await;
    assert_eq!(page.status, 200);
    page.assert_contains(r#"<html lang="fr""#);
    page.assert_contains("Statut : confirmée");
    assert!(
        page.tag(r#"<input type="checkbox" id="session-A1""#)
            .contains(" checked")
    );
    let token = page.csrf_token();

    // Two sessions at the same time: refused, shown with the boxes as sent.
    let overlap = app
        .post_form(
            &format!("{path}/sessions"),
            &[
                ("csrf_token", &token),
                ("sessions", "A1"),
                ("sessions", "A2"),
            ],
        )
        .await;
    assert_eq!(overlap.status, 422);
    overlap.assert_contains("Les séances A1 et A2 ont lieu en même temps");
    assert!(
        overlap
            .tag(r#"<input type="checkbox" id="session-A2""#)
            .contains(" checked")
    );
    assert_eq!(count(&app.pool, &session_of("A2")).await, 0);

    let saved = app
        .post_form(
            &format!("{path}/sessions"),
            &[("csrf_token", &token), ("sessions", "B1")],
        )
        .await;
    assert_eq!(saved.status, 303);
    assert_eq!(saved.header("location"), format!("{path}?saved=1"));
    let after_save = app.page(&format!("{path}?saved=1")).await;
    after_save.assert_contains("Vos séances ont été enregistrées.");
    assert!(
        after_save
            .tag(r#"<input type="checkbox" id="session-B1""#)
            .contains(" checked")
    );
    assert!(
        !after_save
            .tag(r#"<input type="checkbox" id="session-A1""#)
            .contains(" checked")
    );
    assert_eq!(count(&app.pool, &session_of("A1")).await, 0);
    assert_eq!(count(&app.pool, &session_of("B1")).await, 1);
    assert_eq!(
        count(
            &app.pool,
            "SELECT taken::bigint AS count FROM sessions WHERE code = 'B1'"
        )
        .await,
        1
    );
    assert_invariants_hold(&app.pool).await;

    // Cancelling takes two steps; the first changes nothing.
    let confirm = app.page(&format!("{path}/cancel")).await;
    assert_eq!(confirm.status, 200);
    confirm.assert_contains("Annuler votre inscription ?");
    confirm.assert_contains("Non, garder mon inscription");
    assert_eq!(
        count(
            &app.pool,
            "SELECT count(*) AS count FROM registrations WHERE status = 'confirmed'"
        )
        .await,
        1
    );
    let cancelled = app
        .post_form(
            &format!("{path}/cancel"),
            &[("csrf_token", &confirm.csrf_token())],
        )
        .await;
    assert_eq!(cancelled.status, 303);
    assert_eq!(cancelled.header("location"), format!("{path}?cancelled=1"));
    let after_cancel = app.page(&format!("{path}?cancelled=1")).await;
    after_cancel.assert_contains("Votre inscription a été annulée.");
    after_cancel.assert_contains("Statut : annulée");
    assert!(
        !after_cancel.body.contains("<form"),
        "no form once cancelled"
    );
    assert_eq!(
        count(
            &app.pool,
            "SELECT count(*) AS count FROM registrations WHERE status = 'cancelled'"
        )
        .await,
        1
    );
    assert_eq!(
        count(&app.pool, "SELECT taken::bigint AS count FROM events").await,
        0,
        "the place is freed"
    );
    assert_eq!(
        count(
            &app.pool,
            "SELECT sum(taken)::bigint AS count FROM sessions"
        )
        .await,
        0,
        "the seat is freed"
    );
    assert_invariants_hold(&app.pool).await;

    let again = app.page(&format!("{path}/cancel")).await;
    assert_eq!(again.status, 303, "nothing left to confirm");
}

#[tokio::test]
async fn unknown_addresses_answer_404_pages_in_the_asked_language() {
    let app = TestApp::spawn().await;
    create_event(&app.pool, EventSpec::default()).await;
    for (path, lang, title) in [
        ("/events/nowhere?lang=es", "es", "Página no encontrada"),
        (
            "/events/nowhere/register?lang=pt",
            "pt",
            "Página não encontrada",
        ),
        ("/r/0123456789abcdef?lang=fr", "fr", "Page introuvable"),
    ] {
        let page = app.page(path).await;
        assert_eq!(page.status, 404, "{path}");
        assert!(
            page.header("content-type").starts_with("text/html"),
            "{path}"
        );
        page.assert_contains(&format!(r#"<html lang="{lang}""#));
        page.assert_contains(&format!("<h1>{title}</h1>"));
    }
}

#[tokio::test]
async fn the_browser_language_is_used_until_the_visitor_picks_one() {
    let app = TestApp::spawn().await;
    create_event(&app.pool, lima_programme()).await;
    let spanish_browser = |path: &str| {
        app.client
            .get(app.url(path))
            .header("accept-language", "de-DE, es-PE;q=0.8, en;q=0.5")
            .send()
    };

    let page = read(spanish_browser("/events/lima-1997").await.unwrap()).await;
    assert_eq!(page.status, 200);
    page.assert_contains(r#"<html lang="es""#);
    page.assert_contains("<h1>Encuentro internacional de Lima</h1>");
    page.assert_contains("Sesiones");
    page.assert_contains("Quedan 10 plazas");
    assert!(page.set_cookie("lang").is_none(), "no choice, no cookie");

    // The switcher links to each language of the meeting.
    page.assert_contains(
        r#"<a href="/events/lima-1997?lang=pt" hreflang="pt" lang="pt">Português</a>"#,
    );
    let picked = read(spanish_browser("/events/lima-1997?lang=pt").await.unwrap()).await;
    picked.assert_contains(r#"<html lang="pt""#);
    let cookie = picked.set_cookie("lang").expect("the choice is remembered");
    for part in ["lang=pt", "Path=/", "SameSite=Lax", "Max-Age=31536000"] {
        assert!(cookie.contains(part), "{cookie}");
    }
    // Remembered on the next page, over the browser's preference.
    let next = read(spanish_browser("/").await.unwrap()).await;
    next.assert_contains(r#"<html lang="pt""#);
    next.assert_contains("Encontros abertos");
}

#[tokio::test]
async fn names_are_escaped_on_the_private_page_and_in_the_form() {
    let app = TestApp::spawn().await;
    create_event(&app.pool, EventSpec::default()).await;
    let mut body = delegate(1, "SN");
    body["given_name"] = json!("<script>alert(1)</script>");
    body["organisation"] = json!(r#""><img src=x onerror=alert(2)>"#);
    let answer: Value = app.register("lima-1997", &body).await.json().await.unwrap();
    let path = &answer["manage_url"].as_str().unwrap()[app.address.len()..];

    let page = app.page(path).await;
    assert_eq!(page.status, 200);
    page.assert_contains("&#60;script&#62;alert(1)&#60;/script&#62;");
    assert!(!page.body.contains("<script"), "{}", page.body);
    assert!(!page.body.contains("<img"), "{}", page.body);

    let form = app.page("/events/lima-1997/register").await;
    let refused = app
        .post_form(
            "/events/lima-1997/register",
            &[
                ("csrf_token", &form.csrf_token()),
                ("given_name", r#""><script>alert(3)</script>"#),
                ("email", "not an address"),
            ],
        )
        .await;
    assert_eq!(refused.status, 422);
    assert!(!refused.body.contains("<script"), "{}", refused.body);
    assert!(
        refused
            .tag(r#"<input id="given_name""#)
            .contains("value=\"&#34;&#62;&#60;script&#62;alert(3)&#60;/script&#62;\""),
        "{}",
        refused.tag(r#"<input id="given_name""#)
    );
}

#[tokio::test]
async fn the_private_page_is_never_stored_nor_referred() {
    let app = TestApp::spawn().await;
    create_event(&app.pool, EventSpec::default()).await;
    let answer: Value = app
        .register("lima-1997", &delegate(1, "SN"))
        .await
        .json()
        .await
        .unwrap();
    let path = answer["manage_url"].as_str().unwrap()[app.address.len()..].to_owned();
    for page in [path.clone(), format!("{path}/cancel")] {
        let page = app.page(&page).await;
        assert_eq!(page.status, 200);
        assert_eq!(page.header("referrer-policy"), "no-referrer");
        assert_eq!(page.header("cache-control"), "no-store");
    }
    // The delegate can take their data away, as JSON, just as private.
    let private = app.page(&path).await;
    let data_url = format!("/api/v1/registrations/{}", path.rsplit('/').next().unwrap());
    assert!(
        private.body.contains(&format!("href=\"{data_url}\"")),
        "a download link"
    );
    let data = app.client.get(app.url(&data_url)).send().await.unwrap();
    assert_eq!(data.headers()["cache-control"], "no-store");
    let data: Value = data.json().await.unwrap();
    assert_eq!(
        (data["email"].as_str(), data["reference"].clone()),
        (Some("delegate1@example.org"), answer["reference"].clone())
    );
    let public = app.page("/events/lima-1997").await;
    assert_ne!(public.header("cache-control"), "no-store");
    assert_ne!(public.header("referrer-policy"), "no-referrer");
}

#[tokio::test]
async fn the_registration_page_weighs_under_100_kb_with_its_stylesheet() {
    let app = TestApp::spawn().await;
    let sessions = vec![
        ("P1", None, 0, 14, 16),
        ("A1", Some(40), 0, 17, 19),
        ("A2", Some(40), 0, 17, 19),
        ("A3", Some(40), 0, 17, 19),
        ("P2", None, 1, 14, 16),
        ("B1", Some(40), 1, 17, 19),
        ("B2", Some(40), 1, 17, 19),
        ("B3", Some(40), 1, 17, 19),
        ("P3", None, 2, 14, 16),
        ("C1", Some(40), 2, 17, 19),
        ("C2", Some(40), 2, 17, 19),
        ("C3", Some(40), 2, 17, 19),
    ];
    create_event(
        &app.pool,
        EventSpec {
            sessions,
            ..EventSpec::default()
        },
    )
    .await;
    let form = app.page("/events/lima-1997/register?lang=fr").await;
    assert_eq!(form.status, 200);
    let link = form.tag(r#"<link rel="stylesheet""#);
    let href = link
        .split("href=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("stylesheet address");
    let stylesheet = app.page(href).await;
    assert_eq!(stylesheet.status, 200);
    assert!(stylesheet.header("content-type").starts_with("text/css"));
    assert!(
        stylesheet
            .header("cache-control")
            .contains("max-age=31536000"),
        "long cache"
    );
    let total = form.body.len() + stylesheet.body.len();
    println!(
        "registration page: {} bytes of HTML + {} bytes of CSS = {total} bytes",
        form.body.len(),
        stylesheet.body.len()
    );
    assert!(total < 100 * 1024, "{total} bytes");
    assert!(!form.body.contains("<script"), "no JavaScript");
}

#[tokio::test]
async fn the_home_page_lists_open_meetings_and_the_meeting_page_its_places() {
    let app = TestApp::spawn().await;
    let empty = app.page("/?lang=en").await;
    assert_eq!(empty.status, 200);
    empty.assert_contains("No meeting is open for registration at the moment.");

    create_event(
        &app.pool,
        EventSpec {
            capacity: Some(100),
            countries: vec![("SN", 3), ("EG", 2)],
            ..lima_programme()
        },
    )
    .await;
    create_event(
        &app.pool,
        EventSpec {
            slug: "quebec-2001",
            open: false,
            ..EventSpec::default()
        },
    )
    .await;
    let mut body = delegate(1, "SN");
    body["sessions"] = json!(["B1"]);
    assert_eq!(app.register("lima-1997", &body).await.status(), 201);

    let home = app.page("/?lang=fr").await;
    home.assert_contains(r#"href="/events/lima-1997/register""#);
    assert!(
        !home.body.contains("quebec-2001"),
        "closed meetings are not listed"
    );

    let event = app.page("/events/lima-1997?lang=fr").await;
    event.assert_contains("99 places restantes");
    event.assert_contains("Complet");
    event.assert_contains("<th scope=\"row\">Sénégal</th><td>3</td><td>2 places restantes</td>");
    // Countries in the order of their French names: Égypte before Sénégal.
    assert!(event.body.find("Égypte").unwrap() < event.body.find("Sénégal").unwrap());
    event.assert_contains("09:00–11:00 (America/Lima, -05)");

    let closed = app.page("/events/quebec-2001/register?lang=en").await;
    closed.assert_contains("Registration for this meeting is closed.");
    assert!(!closed.body.contains("<form"));
}
