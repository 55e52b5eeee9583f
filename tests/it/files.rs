//! File questions (nomination letters, photos): a file is kept only when
//! its bytes are a PDF, a JPEG or a PNG within `questions.file_max_bytes`,
//! belongs to the registration that sent it, is downloaded by its delegate
//! and by organisers (sensitive ones by organisers only), is linked from
//! the exports, and goes with `anonymise`.

use serde_json::{Value, json};

use crate::support::{
    EventSpec, TestApp, anonymise_after_it_ended, count, create_event, csrf_of, delegate,
};

const PDF: &[u8] = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n";
const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01";
const JPEG: &[u8] = b"\xFF\xD8\xFF\xE0\x00\x10JFIF\x00\x01\x01";
/// A small cap, so that a file just above it is cheap to send.
const CAP: usize = 2048;
const FILES: &str = "SELECT count(*) AS count FROM registration_files";

async fn spawn() -> TestApp {
    TestApp::spawn_with(|settings| settings.questions.file_max_bytes = CAP).await
}

async fn ask(app: &TestApp, organiser: &str, question: Value) {
    let response = app
        .client
        .post(app.url("/api/v1/events/lima-1997/questions"))
        .bearer_auth(organiser)
        .json(&question)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201, "{}", response.text().await.unwrap());
}

/// `letter` (a file, required, not sensitive) and `photo` (a file,
/// sensitive), and a choice that takes no file.
async fn file_questions(app: &TestApp) -> String {
    let organiser = app.organiser_token("organiser").await;
    for question in [
        json!({"code": "letter", "type": "file", "labels": {"fr": "Lettre de nomination"}, "required": true, "position": 1}),
        json!({"code": "photo", "type": "file", "labels": {"fr": "Photo"}, "sensitive": true, "position": 2}),
        json!({"code": "diet", "type": "single_choice", "labels": {"fr": "Régime"}, "position": 3,
               "choices": [{"code": "veg", "labels": {"fr": "Végétarien"}}]}),
    ] {
        ask(app, &organiser, question).await;
    }
    organiser
}

async fn registered(app: &TestApp, n: usize) -> String {
    let response = app.register("lima-1997", &delegate(n, "SN")).await;
    assert_eq!(
        response.status(),
        201,
        "a JSON registration sends its files after"
    );
    let body: Value = response.json().await.unwrap();
    body["manage_url"]
        .as_str()
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap()
        .to_owned()
}

async fn upload(
    app: &TestApp,
    token: &str,
    question: &str,
    declared: &str,
    bytes: &[u8],
) -> (u16, Value) {
    let response = app
        .client
        .post(app.url(&format!(
            "/api/v1/registrations/{token}/files?question={question}"
        )))
        .header("Content-Type", declared)
        .body(bytes.to_vec())
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn files_are_kept_by_their_bytes_for_their_own_registration_and_nothing_else_is_stored() {
    let app = spawn().await;
    create_event(&app.pool, EventSpec::default()).await;
    file_questions(&app).await;
    let token = registered(&app, 1).await;
    let other = registered(&app, 2).await;

    // The three kinds, whatever type the client declares.
    let (status, jpeg) = upload(&app, &token, "letter", "application/octet-stream", JPEG).await;
    assert_eq!(status, 201, "{jpeg}");
    assert_eq!(jpeg["content_type"], "image/jpeg");
    assert_eq!(jpeg["size"], JPEG.len());
    let (status, png) = upload(&app, &token, "photo", "image/png", PNG).await;
    assert_eq!(
        (status, png["content_type"].as_str()),
        (201, Some("image/png"))
    );
    let (status, pdf) = upload(&app, &token, "letter", "image/png", PDF).await;
    assert_eq!(
        (status, pdf["content_type"].as_str()),
        (201, Some("application/pdf"))
    );
    assert_eq!(
        count(&app.pool, FILES).await,
        2,
        "the letter sent again replaces the one no answer named"
    );

    // A text called a PDF, a file over the cap, a question that takes no
    // file: refused, nothing kept.
    let (status, refused) = upload(
        &app,
        &token,
        "letter",
        "application/pdf",
        b"Dear organisers, please find my nomination.",
    )
    .await;
    assert_eq!(status, 422, "{refused}");
    assert_eq!(refused["error"], "validation");
    assert_eq!(
        refused["fields"]["answers.letter"],
        "Send a PDF, a JPEG or a PNG: this file is none of them."
    );
    let mut big = PDF.to_vec();
    big.resize(CAP + 1, b' ');
    // Without a live registration's token nothing of the file is read: a
    // 404, not the 413 or 422 the bytes would earn.
    let (status, refused) = upload(&app, "no-such-token", "letter", "application/pdf", &big).await;
    assert_eq!(
        (status, refused["error"].as_str()),
        (404, Some("not_found")),
        "{refused}"
    );
    let (status, refused) = upload(&app, &token, "letter", "application/pdf", &big).await;
    assert_eq!(
        (status, refused["error"].as_str()),
        (413, Some("payload_too_large"))
    );
    let (status, refused) = upload(&app, &token, "diet", "application/pdf", PDF).await;
    assert_eq!(status, 422);
    assert!(refused["fields"]["question"].is_string(), "{refused}");
    assert_eq!(count(&app.pool, FILES).await, 2);

    // The ids are the answers; another registration's file is refused.
    let (status, theirs) = upload(&app, &other, "letter", "application/pdf", PDF).await;
    assert_eq!(status, 201);
    let (status, refused) = app
        .put_answers(&token, json!({"letter": theirs["id"], "photo": png["id"]}))
        .await;
    assert_eq!(status, 422, "{refused}");
    assert_eq!(
        refused["fields"]["answers.letter"],
        "This file was not sent with this registration: send it again."
    );
    let (status, refused) = app.put_answers(&token, json!({"letter": png["id"]})).await;
    assert_eq!(
        (status, refused["fields"]["answers.letter"].is_string()),
        (422, true),
        "a file sent for another question is no answer to this one"
    );
    let (status, saved) = app
        .put_answers(&token, json!({"letter": pdf["id"], "photo": png["id"]}))
        .await;
    assert_eq!(status, 200, "{saved}");
    assert_eq!(saved["answers"]["letter"], pdf["id"]);
    let (status, refused) = app.put_answers(&token, json!({"photo": png["id"]})).await;
    assert_eq!(
        (status, refused["fields"]["answers.letter"].as_str()),
        (422, Some("This field is required."))
    );

    // A registration has no files before it exists: an id is refused,
    // and nothing is stored.
    let mut body = delegate(3, "SN");
    body["answers"] = json!({"letter": theirs["id"]});
    let response = app.register("lima-1997", &body).await;
    assert_eq!(response.status(), 422);
    let refused: Value = response.json().await.unwrap();
    assert!(refused["fields"]["answers.letter"].is_string(), "{refused}");
    assert_eq!(
        count(&app.pool, "SELECT count(*) AS count FROM registrations").await,
        2
    );

    // The delegate downloads their file; another token finds nothing.
    let pdf_id = pdf["id"].as_str().unwrap();
    let mine = app
        .client
        .get(app.url(&format!("/r/{token}/files/{pdf_id}")))
        .send()
        .await
        .unwrap();
    assert_eq!(mine.status(), 200);
    assert_eq!(mine.headers()["content-type"], "application/pdf");
    assert_eq!(mine.headers()["x-content-type-options"], "nosniff");
    assert!(
        mine.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("attachment; filename=\"letter-"),
        "{:?}",
        mine.headers()["content-disposition"]
    );
    assert_eq!(mine.bytes().await.unwrap().as_ref(), PDF);
    let stranger = app
        .client
        .get(app.url(&format!("/r/{other}/files/{pdf_id}")))
        .send()
        .await
        .unwrap();
    assert_eq!(stranger.status(), 404);
}

#[tokio::test]
async fn organisers_download_files_viewers_not_sensitive_ones_and_exports_link_them() {
    use std::io::Cursor;

    use calamine::{Reader, Xlsx};

    let app = spawn().await;
    let event = create_event(&app.pool, EventSpec::default()).await;
    let organiser = file_questions(&app).await;
    let viewer = app.organiser_token("viewer").await;
    let token = registered(&app, 1).await;
    let (_, pdf) = upload(&app, &token, "letter", "application/pdf", PDF).await;
    let (_, png) = upload(&app, &token, "photo", "image/png", PNG).await;
    let (status, _) = app
        .put_answers(&token, json!({"letter": pdf["id"], "photo": png["id"]}))
        .await;
    assert_eq!(status, 200);

    let get = |path: String, bearer: &str| {
        app.client
            .get(app.url(&path))
            .bearer_auth(bearer.to_owned())
            .send()
    };
    let letter = format!(
        "/api/v1/events/lima-1997/files/{}",
        pdf["id"].as_str().unwrap()
    );
    let photo = format!(
        "/api/v1/events/lima-1997/files/{}",
        png["id"].as_str().unwrap()
    );
    let seen = get(letter.clone(), &viewer).await.unwrap();
    assert_eq!(seen.status(), 200);
    assert_eq!(seen.headers()["content-type"], "application/pdf");
    assert_eq!(seen.headers()["x-content-type-options"], "nosniff");
    assert!(
        seen.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("attachment")
    );
    assert_eq!(seen.bytes().await.unwrap().as_ref(), PDF);
    assert_eq!(get(photo.clone(), &viewer).await.unwrap().status(), 403);
    let seen = get(photo.clone(), &organiser).await.unwrap();
    assert_eq!(seen.status(), 200);
    assert_eq!(seen.headers()["content-type"], "image/png");
    let anonymous = app.client.get(app.url(&letter)).send().await.unwrap();
    assert_eq!(anonymous.status(), 401);
    let elsewhere = format!(
        "/api/v1/events/no-such-event/files/{}",
        pdf["id"].as_str().unwrap()
    );
    assert_eq!(get(elsewhere, &organiser).await.unwrap().status(), 404);

    // The export links the letter where organisers download it; the
    // sensitive photo stays out.
    let link = format!("{}{letter}", app.address);
    let csv = get(
        "/api/v1/events/lima-1997/registrations.csv".to_owned(),
        &organiser,
    )
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
    assert_eq!(&header[12..], ["letter", "diet"]);
    let row = reader.records().next().unwrap().unwrap();
    assert_eq!(&row[12], link.as_str());
    let xlsx = get(
        "/api/v1/events/lima-1997/registrations.xlsx".to_owned(),
        &organiser,
    )
    .await
    .unwrap();
    let mut workbook: Xlsx<_> =
        calamine::open_workbook_from_rs(Cursor::new(xlsx.bytes().await.unwrap().to_vec())).unwrap();
    let sheet = workbook.worksheet_range("Attendees").unwrap();
    assert_eq!(sheet.get((1, 12)).unwrap().to_string(), link);

    // Anonymising the finished meeting removes every file and the answers
    // that named them.
    anonymise_after_it_ended(&app.pool, &event.slug).await;
    assert_eq!(count(&app.pool, FILES).await, 0);
    assert_eq!(
        count(
            &app.pool,
            "SELECT count(*) AS count FROM registration_answers"
        )
        .await,
        0
    );
    assert_eq!(get(letter, &organiser).await.unwrap().status(), 404);
}

/// A `multipart/form-data` body as a browser sends it: text fields, then
/// files (`name`, file name, bytes).
fn multipart(fields: &[(&str, &str)], files: &[(&str, &str, &[u8])]) -> (String, Vec<u8>) {
    let boundary = "----rencontre-test-boundary";
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    for (name, file_name, bytes) in files {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{file_name}\"\r\nContent-Type: application/pdf\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

#[tokio::test]
async fn the_form_sends_a_file_a_refused_registration_keeps_none_and_the_private_page_replaces_it()
{
    let app = spawn().await;
    create_event(&app.pool, EventSpec::default()).await;
    file_questions(&app).await;
    let form = app
        .client
        .get(app.url("/events/lima-1997/register?lang=fr"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    for expected in [
        r#"enctype="multipart/form-data""#,
        r#"<input id="answers.letter" name="answers.letter" type="file" accept="application/pdf,image/jpeg,image/png,.pdf,.jpg,.jpeg,.png" required"#,
        "Un fichier PDF, JPEG ou PNG, de 2 KiB au plus.",
    ] {
        assert!(form.contains(expected), "{expected:?} not in:\n{form}");
    }
    let csrf = csrf_of(&form);
    let fields = [
        ("csrf_token", csrf.as_str()),
        ("given_name", "Aminata"),
        ("email", "a.traore@example.org"),
        ("country", "ML"),
        ("language", "fr"),
    ];
    let post = |fields: &[(&str, &str)], files: &[(&str, &str, &[u8])]| {
        let (content_type, body) = multipart(fields, files);
        app.client
            .post(app.url("/events/lima-1997/register"))
            .header("Content-Type", content_type)
            .body(body)
            .send()
    };

    // A text renamed `.pdf`: refused next to its field, in French, and the
    // page asks for the file again.
    let refused = post(
        &fields,
        &[("answers.letter", "lettre.pdf", b"Madame, Monsieur,")],
    )
    .await
    .unwrap();
    assert_eq!(refused.status(), 422);
    let refused = refused.text().await.unwrap();
    for expected in [
        r#"<p id="answers.letter-error" class="error">Envoyez un PDF, un JPEG ou un PNG : ce fichier n&#39;est rien de cela.</p>"#,
        "Veuillez choisir à nouveau le fichier : il n&#39;a pas été conservé.",
        r#"value="Aminata""#,
    ] {
        assert!(
            refused.contains(expected),
            "{expected:?} not in:\n{refused}"
        );
    }
    // A good file with a refused registration: nothing kept either.
    let mut bad_email = fields;
    bad_email[2] = ("email", "not an address");
    let refused = post(&bad_email, &[("answers.letter", "lettre.pdf", PDF)])
        .await
        .unwrap();
    assert_eq!(refused.status(), 422);
    let refused = post(&fields, &[]).await.unwrap();
    assert_eq!(refused.status(), 422, "the letter is required on the form");
    assert_eq!(
        count(&app.pool, "SELECT count(*) AS count FROM registrations").await,
        0
    );
    assert_eq!(count(&app.pool, FILES).await, 0);

    let registered = post(&fields, &[("answers.letter", "lettre.pdf", PDF)])
        .await
        .unwrap();
    assert_eq!(registered.status(), 303);
    let location = registered.headers()["location"]
        .to_str()
        .unwrap()
        .to_owned();
    let private = location.split('?').next().unwrap().to_owned();
    let named = "SELECT count(*) AS count FROM registration_files f JOIN registration_answers a \
                 ON a.registration_id = f.registration_id AND a.question_id = f.question_id \
                 AND a.value = to_jsonb(f.id::text) WHERE f.content_type = '";
    assert_eq!(
        count(&app.pool, &format!("{named}application/pdf'")).await,
        1
    );
    assert_eq!(count(&app.pool, FILES).await, 1);

    // The private page links the file, keeps it when no other is chosen,
    // and replaces it with a new one.
    let page = app
        .client
        .get(app.url(&format!("{private}?lang=fr")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains(r#"enctype="multipart/form-data""#), "{page}");
    let link = format!(r#"<a href="{private}/files/"#);
    assert!(page.contains(&link), "{link} not in:\n{page}");
    assert!(page.contains("Télécharger le fichier envoyé"));
    let csrf = csrf_of(&page);
    let change = |files: &[(&str, &str, &[u8])]| {
        let (content_type, body) = multipart(
            &[("csrf_token", csrf.as_str()), ("answers.diet", "veg")],
            files,
        );
        app.client
            .post(app.url(&format!("{private}/answers")))
            .header("Content-Type", content_type)
            .body(body)
            .send()
    };
    assert_eq!(change(&[]).await.unwrap().status(), 303);
    assert_eq!(
        count(&app.pool, &format!("{named}application/pdf'")).await,
        1
    );
    assert_eq!(
        change(&[("answers.letter", "photo.png", PNG)])
            .await
            .unwrap()
            .status(),
        303
    );
    assert_eq!(count(&app.pool, &format!("{named}image/png'")).await, 1);
    assert_eq!(
        count(&app.pool, FILES).await,
        1,
        "the letter it replaced is gone"
    );
    let mut big = PNG.to_vec();
    big.resize(CAP + 1, 0);
    let refused = change(&[("answers.letter", "big.png", &big)])
        .await
        .unwrap();
    assert_eq!(refused.status(), 422);
    let refused = refused.text().await.unwrap();
    assert!(
        refused.contains("Ce fichier est trop volumineux : envoyez-en un de 2 KiB au plus."),
        "{refused}"
    );
    assert_eq!(count(&app.pool, &format!("{named}image/png'")).await, 1);
}
