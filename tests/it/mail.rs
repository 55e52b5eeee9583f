//! Emails over real SMTP: one per state change, in the delegate's language,
//! delivered once even when the server is down, busy or refusing.

use std::time::Duration;

use serde_json::{Value, json};

use crate::smtp::{Behaviour, SmtpSink, free_port};
use crate::support::{EventSpec, TestApp, count, create_event, delegate};

const PATIENCE: Duration = Duration::from_secs(20);

fn token_of(answer: &Value) -> String {
    answer["manage_url"]
        .as_str()
        .expect("manage_url")
        .rsplit('/')
        .next()
        .expect("token")
        .to_owned()
}

async fn settle() {
    tokio::time::sleep(Duration::from_millis(600)).await;
}

#[tokio::test]
async fn each_state_change_sends_exactly_one_email_of_its_kind_in_the_delegates_language() {
    let app = TestApp::spawn().await;
    let sink = SmtpSink::start(Behaviour::default()).await;
    let worker = app.start_worker(&app.mail_settings(sink.port));
    create_event(
        &app.pool,
        EventSpec {
            capacity: Some(1),
            sessions: vec![("A1", Some(10), 0, 9, 11), ("A2", Some(10), 1, 9, 11)],
            ..EventSpec::default()
        },
    )
    .await;

    let mut first = delegate(1, "SN");
    first["language"] = json!("fr");
    first["sessions"] = json!(["A1"]);
    let first: Value = app
        .register("lima-1997", &first)
        .await
        .json()
        .await
        .unwrap();
    let mut second = delegate(2, "PE");
    second["language"] = json!("es");
    second["given_name"] = json!("José María");
    let second: Value = app
        .register("lima-1997", &second)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(second["status"], "waitlisted");

    let received = sink.wait_for(2, PATIENCE).await;
    assert_eq!(received.len(), 2);
    let to_first = received
        .iter()
        .find(|m| m.to == ["delegate1@example.org"])
        .expect("confirmation");
    assert_eq!(
        to_first.from, "inscription@example.org",
        "from the configured sender"
    );
    assert!(
        to_first.header("Subject").unwrap().contains("=?utf-8?")
            || to_first.data.contains("confirm"),
        "{}",
        to_first.data
    );
    assert!(
        to_first
            .data
            .contains(&first["manage_url"].as_str().unwrap().to_string()),
        "the private link is in the email"
    );
    let to_second = received
        .iter()
        .find(|m| m.to == ["delegate2@example.org"])
        .expect("waiting list");
    assert_eq!(
        to_second
            .header("Content-Language")
            .as_deref()
            .unwrap_or("es"),
        "es"
    );

    // Change sessions, then cancel: the waiting delegate is promoted.
    let changed = app
        .client
        .put(app.url(&format!(
            "/api/v1/registrations/{}/sessions",
            token_of(&first)
        )))
        .json(&json!({"sessions": ["A2"]}))
        .send()
        .await
        .unwrap();
    assert_eq!(changed.status(), 200);
    let cancelled = app
        .client
        .post(app.url(&format!(
            "/api/v1/registrations/{}/cancel",
            token_of(&first)
        )))
        .send()
        .await
        .unwrap();
    assert_eq!(cancelled.status(), 200);

    let received = sink.wait_for(5, PATIENCE).await;
    settle().await;
    let received_after = sink.received();
    assert_eq!(
        received_after.len(),
        5,
        "confirmation, waiting list, sessions changed, cancelled, promoted — nothing more"
    );
    assert_eq!(received.len(), 5);
    let kinds: Vec<String> = {
        let mut conn = app.db.connect().await;
        use diesel::prelude::*;
        use diesel_async::RunQueryDsl;
        use rencontre::db::schema::email_outbox::dsl::*;
        email_outbox
            .filter(status.eq("sent"))
            .order((created_at.asc(), id.asc()))
            .select(kind)
            .load(&mut conn)
            .await
            .unwrap()
    };
    assert_eq!(
        kinds,
        [
            "confirmation",
            "waitlisted",
            "sessions_changed",
            "cancelled",
            "promoted"
        ]
    );
    let promoted = received_after
        .iter()
        .filter(|m| m.to == ["delegate2@example.org"])
        .count();
    assert_eq!(promoted, 2, "waiting-list email, then the promotion");
    worker.stop().await;
}

#[tokio::test]
async fn fifty_confirmed_registrations_produce_fifty_confirmations_and_not_one_more() {
    let app = TestApp::spawn().await;
    let sink = SmtpSink::start(Behaviour::default()).await;
    let worker = app.start_worker(&app.mail_settings(sink.port));
    create_event(&app.pool, EventSpec::default()).await;
    for n in 0..50 {
        assert_eq!(
            app.register("lima-1997", &delegate(n, "BR")).await.status(),
            201
        );
    }
    let received = sink.wait_for(50, PATIENCE).await;
    settle().await;
    assert_eq!(sink.received().len(), 50);
    let mut recipients: Vec<String> = received.iter().flat_map(|m| m.to.clone()).collect();
    recipients.sort();
    recipients.dedup();
    assert_eq!(recipients.len(), 50, "one each");
    assert_eq!(
        count(
            &app.pool,
            "SELECT count(*) AS count FROM email_outbox WHERE status = 'sent' AND attempts = 1"
        )
        .await,
        50
    );
    worker.stop().await;
}

#[tokio::test]
async fn an_email_written_while_smtp_is_down_is_delivered_once_when_it_comes_back() {
    let app = TestApp::spawn().await;
    let port = free_port();
    let worker = app.start_worker(&app.mail_settings(port));
    create_event(&app.pool, EventSpec::default()).await;
    assert_eq!(
        app.register("lima-1997", &delegate(1, "ML")).await.status(),
        201
    );

    // Nobody listens: the worker fails, records why, and keeps the row.
    let deadline = tokio::time::Instant::now() + PATIENCE;
    while count(
        &app.pool,
        "SELECT count(*) AS count FROM email_outbox WHERE attempts >= 1 AND last_error IS NOT NULL",
    )
    .await
        == 0
    {
        assert!(
            tokio::time::Instant::now() < deadline,
            "the worker never tried"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(
        count(
            &app.pool,
            "SELECT count(*) AS count FROM email_outbox WHERE status = 'pending'"
        )
        .await,
        1
    );

    let sink = SmtpSink::start_on(port, Behaviour::default()).await;
    let received = sink.wait_for(1, PATIENCE).await;
    settle().await;
    assert_eq!(received.len(), 1);
    assert_eq!(sink.received().len(), 1, "delivered once");
    assert_eq!(
        count(
            &app.pool,
            "SELECT count(*) AS count FROM email_outbox WHERE status = 'sent'"
        )
        .await,
        1
    );
    worker.stop().await;
}

#[tokio::test]
async fn a_busy_server_answering_421_gets_the_email_on_a_later_try() {
    let app = TestApp::spawn().await;
    let sink = SmtpSink::start(Behaviour {
        busy_first: 2,
        ..Behaviour::default()
    })
    .await;
    let worker = app.start_worker(&app.mail_settings(sink.port));
    create_event(&app.pool, EventSpec::default()).await;
    assert_eq!(
        app.register("lima-1997", &delegate(1, "ML")).await.status(),
        201
    );
    assert_eq!(sink.wait_for(1, PATIENCE).await.len(), 1);
    // The sink keeps the message before it answers 250; the worker records
    // it after.
    let sent = "SELECT count(*) AS count FROM email_outbox WHERE status = 'sent' AND attempts = 3";
    let deadline = tokio::time::Instant::now() + PATIENCE;
    while count(&app.pool, sent).await == 0 && tokio::time::Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(count(&app.pool, sent).await, 1);
    worker.stop().await;
}

#[tokio::test]
async fn a_refused_recipient_fails_at_once_with_the_error_kept_and_others_still_go() {
    let app = TestApp::spawn().await;
    let sink = SmtpSink::start(Behaviour {
        refuse_recipients_containing: Some("nobody".into()),
        ..Behaviour::default()
    })
    .await;
    let worker = app.start_worker(&app.mail_settings(sink.port));
    create_event(&app.pool, EventSpec::default()).await;
    let mut refused = delegate(1, "ML");
    refused["email"] = json!("nobody@example.org");
    assert_eq!(app.register("lima-1997", &refused).await.status(), 201);
    for n in 2..5 {
        assert_eq!(
            app.register("lima-1997", &delegate(n, "ML")).await.status(),
            201
        );
    }
    assert_eq!(sink.wait_for(3, PATIENCE).await.len(), 3);
    let deadline = tokio::time::Instant::now() + PATIENCE;
    while count(
        &app.pool,
        "SELECT count(*) AS count FROM email_outbox WHERE status = 'failed'",
    )
    .await
        == 0
    {
        assert!(
            tokio::time::Instant::now() < deadline,
            "the refused row was never marked failed"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(
        count(&app.pool, "SELECT count(*) AS count FROM email_outbox WHERE status = 'failed' AND attempts = 1 AND recipient = 'nobody@example.org' AND last_error LIKE '%550%'").await,
        1
    );
    assert_eq!(
        count(
            &app.pool,
            "SELECT count(*) AS count FROM email_outbox WHERE status = 'sent'"
        )
        .await,
        3
    );
    worker.stop().await;
}

#[tokio::test]
async fn two_workers_drain_a_thousand_rows_sending_each_exactly_once() {
    let app = TestApp::spawn().await;
    let sink = SmtpSink::start(Behaviour::default()).await;
    let event = create_event(&app.pool, EventSpec::default()).await;
    {
        let mut conn = app.db.connect().await;
        use diesel_async::RunQueryDsl;
        diesel::sql_query(format!(
            "INSERT INTO email_outbox (id, event_id, kind, recipient, language, subject, body_text, body_html)
             SELECT gen_random_uuid(), '{}', 'confirmation', 'd' || n || '@example.org', 'en',
                    'Subject ' || n, 'Text ' || n, '<p>Html ' || n || '</p>'
               FROM generate_series(1, 1000) AS n",
            event.id
        ))
        .execute(&mut conn)
        .await
        .unwrap();
    }
    let settings = app.mail_settings(sink.port);
    let (first, second) = (app.start_worker(&settings), app.start_worker(&settings));
    let received = sink.wait_for(1000, Duration::from_secs(60)).await;
    settle().await;
    assert_eq!(sink.received().len(), 1000, "every row once, none twice");
    let mut ids: Vec<String> = received
        .iter()
        .filter_map(|m| m.header("Message-ID"))
        .collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 1000);
    assert_eq!(
        count(
            &app.pool,
            "SELECT count(*) AS count FROM email_outbox WHERE status = 'sent' AND attempts = 1"
        )
        .await,
        1000
    );
    first.stop().await;
    second.stop().await;
}

#[tokio::test]
async fn the_calendar_attachment_parses_and_carries_the_session_times() {
    let app = TestApp::spawn().await;
    let sink = SmtpSink::start(Behaviour::default()).await;
    let worker = app.start_worker(&app.mail_settings(sink.port));
    create_event(
        &app.pool,
        EventSpec {
            sessions: vec![("A1", Some(10), 1, 14, 16)],
            ..EventSpec::default()
        },
    )
    .await;
    let mut body = delegate(1, "PE");
    body["sessions"] = json!(["A1"]);
    assert_eq!(app.register("lima-1997", &body).await.status(), 201);
    let message = sink.wait_for(1, PATIENCE).await.remove(0);
    let ics = {
        let mut conn = app.db.connect().await;
        use diesel::prelude::*;
        use diesel_async::RunQueryDsl;
        use rencontre::db::schema::email_outbox::dsl::*;
        email_outbox
            .select(attachment_ics)
            .first::<Option<String>>(&mut conn)
            .await
            .unwrap()
            .expect("an .ics")
    };
    assert!(
        message.data.contains("text/calendar"),
        "attached to the email"
    );

    let mut calendars = ical::IcalParser::new(std::io::BufReader::new(ics.as_bytes()));
    let calendar = calendars.next().expect("one calendar").expect("it parses");
    assert_eq!(calendar.events.len(), 2, "the meeting and the session");
    let session = calendar
        .events
        .iter()
        .find(|event| {
            event
                .properties
                .iter()
                .any(|p| p.name == "SUMMARY" && p.value.as_deref() == Some("A1"))
        })
        .expect("the session");
    let value = |name: &str| {
        session
            .properties
            .iter()
            .find(|p| p.name == name)
            .and_then(|p| p.value.clone())
            .unwrap()
    };
    let first_day =
        (chrono::Utc::now() + chrono::Duration::days(60)).date_naive() + chrono::Duration::days(1);
    assert_eq!(
        value("DTSTART"),
        format!("{}T140000Z", first_day.format("%Y%m%d"))
    );
    assert_eq!(
        value("DTEND"),
        format!("{}T160000Z", first_day.format("%Y%m%d"))
    );
    worker.stop().await;
}

/// The case: an event name with CR/LF (kept from before names
/// refused line breaks, or written by hand) injected calendar lines.
#[tokio::test]
async fn line_breaks_in_texts_cannot_inject_lines_into_the_calendar() {
    use diesel_async::RunQueryDsl;
    let app = TestApp::spawn().await;
    create_event(
        &app.pool,
        EventSpec {
            sessions: vec![("A1", Some(10), 1, 14, 16)],
            ..EventSpec::default()
        },
    )
    .await;
    {
        let mut conn = app.db.connect().await;
        for sql in [
            "UPDATE events SET name = E'Lima\\r\\nATTENDEE:mailto:evil@example.org\\rX-INJECTED:1', \
             names = jsonb_build_object('es', E'Lima\\r\\nATTENDEE:mailto:evil@example.org\\rX-INJECTED:1')",
            "UPDATE sessions SET title = E'A1\\nBEGIN:VALARM\\r\\nX-ALARM:1', titles = '{}', \
             room = E'Sala 1;\\rEND:VEVENT\\nX-ROOM:1'",
        ] {
            diesel::sql_query(sql).execute(&mut conn).await.unwrap();
        }
    }
    let mut body = delegate(1, "PE");
    body["sessions"] = json!(["A1"]);
    body["language"] = json!("es");
    assert_eq!(app.register("lima-1997", &body).await.status(), 201);
    let ics = {
        let mut conn = app.db.connect().await;
        use diesel::QueryDsl;
        use rencontre::db::schema::email_outbox::dsl::*;
        email_outbox
            .select(attachment_ics)
            .first::<Option<String>>(&mut conn)
            .await
            .unwrap()
            .expect("an .ics")
    };
    assert!(
        !ics.replace("\r\n", "").contains(['\r', '\n']),
        "no line break but CRLF line ends: {ics:?}"
    );
    let mut calendars = ical::IcalParser::new(std::io::BufReader::new(ics.as_bytes()));
    let calendar = calendars.next().expect("one calendar").expect("it parses");
    assert!(calendars.next().is_none());
    let mut names: Vec<&str> = calendar
        .properties
        .iter()
        .map(|p| p.name.as_str())
        .collect();
    assert_eq!(calendar.events.len(), 2, "the meeting and the session");
    for event in &calendar.events {
        assert!(event.alarms.is_empty());
        names.extend(event.properties.iter().map(|p| p.name.as_str()));
    }
    for name in &names {
        assert!(
            [
                "VERSION",
                "PRODID",
                "CALSCALE",
                "NAME",
                "X-WR-CALNAME",
                "UID",
                "SUMMARY",
                "DTSTART",
                "DTEND",
                "DTSTAMP",
                "LOCATION"
            ]
            .contains(name),
            "an injected property {name}: {ics}"
        );
    }
    let value = |name: &str| {
        calendar
            .events
            .iter()
            .flat_map(|event| &event.properties)
            .filter(|p| p.name == name)
            .filter_map(|p| p.value.clone())
            .collect::<Vec<_>>()
    };
    assert!(
        value("SUMMARY")
            .contains(&"Lima\\nATTENDEE:mailto:evil@example.org\\nX-INJECTED:1".to_owned()),
        "{ics}"
    );
    assert_eq!(
        value("LOCATION"),
        ["Sala 1\\;\\nEND:VEVENT\\nX-ROOM:1"],
        "{ics}"
    );
}

#[tokio::test]
async fn organisers_own_wording_is_used_with_its_placeholders_filled() {
    let app = TestApp::spawn().await;
    create_event(&app.pool, EventSpec::default()).await;
    let token = app.organiser_token("organiser").await;
    let put = |body: Value| {
        let request = app
            .client
            .put(app.url("/api/v1/events/lima-1997/email-texts/confirmation/fr"))
            .bearer_auth(&token)
            .json(&body);
        async move { request.send().await.unwrap() }
    };
    let refused =
        put(json!({"subject": "Inscription {reference}", "body": "Bonjour {prenom}"})).await;
    assert_eq!(refused.status(), 422);
    let fields = refused.json::<Value>().await.unwrap()["fields"].clone();
    assert!(
        fields["body"].as_str().unwrap().contains("prenom"),
        "{fields}"
    );
    let saved = put(json!({"subject": "Inscription {reference}", "body": "Bonjour {given_name},\n\nVotre lien : {manage_url}\n\n{sessions}"})).await;
    assert_eq!(saved.status(), 200);

    let answer: Value = app
        .register("lima-1997", &delegate(1, "SN"))
        .await
        .json()
        .await
        .unwrap();
    let (subject, body, html): (String, String, String) = {
        let mut conn = app.db.connect().await;
        use diesel::prelude::*;
        use diesel_async::RunQueryDsl;
        use rencontre::db::schema::email_outbox::dsl::*;
        email_outbox
            .select((
                subject.assume_not_null(),
                body_text.assume_not_null(),
                body_html.assume_not_null(),
            ))
            .first(&mut conn)
            .await
            .unwrap()
    };
    assert_eq!(
        subject,
        format!("Inscription {}", answer["reference"].as_str().unwrap())
    );
    assert!(body.starts_with("Bonjour Délégué·e 1,"), "{body}");
    assert!(body.contains(answer["manage_url"].as_str().unwrap()));
    assert!(html.contains("<p>Bonjour Délégué·e 1,</p>"), "{html}");

    // A delegate writing in English still gets the built-in English text.
    let mut english = delegate(2, "SN");
    english["language"] = json!("en");
    assert_eq!(app.register("lima-1997", &english).await.status(), 201);
    assert_eq!(count(&app.pool, "SELECT count(*) AS count FROM email_outbox WHERE language = 'en' AND subject NOT LIKE 'Inscription%'").await, 1);
}

#[tokio::test]
async fn the_file_transport_writes_one_eml_per_email_and_keeps_rows_pending_when_it_cannot() {
    let app = TestApp::spawn().await;
    create_event(&app.pool, EventSpec::default()).await;
    let folder =
        std::env::temp_dir().join(format!("rencontre-mail-{}", uuid::Uuid::new_v4().simple()));
    let mut settings = app.mail_settings(0);
    settings.transport = rencontre::config::MailTransportKind::File;
    settings.file_dir = folder.join("not-yet");
    // A file where the folder should be: writing fails, as on a full or read-only disk.
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(folder.join("not-yet"), b"in the way").unwrap();
    let worker = app.start_worker(&settings);
    assert_eq!(
        app.register("lima-1997", &delegate(1, "ML")).await.status(),
        201
    );
    let deadline = tokio::time::Instant::now() + PATIENCE;
    while count(&app.pool, "SELECT count(*) AS count FROM email_outbox WHERE status = 'pending' AND last_error LIKE 'cannot write to%'").await == 0 {
        assert!(tokio::time::Instant::now() < deadline, "the failure was never recorded");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    worker.stop().await;

    std::fs::remove_file(folder.join("not-yet")).unwrap();
    let worker = app.start_worker(&settings);
    let deadline = tokio::time::Instant::now() + PATIENCE;
    while count(
        &app.pool,
        "SELECT count(*) AS count FROM email_outbox WHERE status = 'sent'",
    )
    .await
        == 0
    {
        assert!(
            tokio::time::Instant::now() < deadline,
            "never sent once the folder could be written"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    worker.stop().await;
    let files: Vec<_> = std::fs::read_dir(folder.join("not-yet"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .collect();
    assert_eq!(files.len(), 1, "{files:?}");
    let message = std::fs::read_to_string(&files[0]).unwrap();
    assert!(message.contains("To: delegate1@example.org"), "{message}");
    assert!(message.contains("Message-ID: <"));
    std::fs::remove_dir_all(&folder).unwrap();
}

#[tokio::test]
async fn a_server_that_stalls_after_greeting_times_out_and_the_row_waits_for_a_retry() {
    let app = TestApp::spawn().await;
    let sink = SmtpSink::start(Behaviour {
        stall: true,
        ..Behaviour::default()
    })
    .await;
    let mut settings = app.mail_settings(sink.port);
    settings.smtp_timeout_secs = 1;
    let worker = app.start_worker(&settings);
    create_event(&app.pool, EventSpec::default()).await;
    assert_eq!(
        app.register("lima-1997", &delegate(1, "ML")).await.status(),
        201
    );
    let started = tokio::time::Instant::now();
    while count(
        &app.pool,
        "SELECT count(*) AS count FROM email_outbox WHERE attempts >= 1",
    )
    .await
        == 0
    {
        assert!(started.elapsed() < PATIENCE, "the timeout never fired");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(count(&app.pool, "SELECT count(*) AS count FROM email_outbox WHERE status = 'pending' AND last_error IS NOT NULL").await, 1);
    assert!(sink.received().is_empty());
    worker.stop().await;
}

#[tokio::test]
async fn an_email_that_fails_to_render_fails_the_change_and_leaves_nothing_written() {
    let app = TestApp::spawn().await;
    create_event(
        &app.pool,
        EventSpec {
            capacity: Some(1),
            sessions: vec![("A1", Some(1), 0, 9, 11)],
            ..EventSpec::default()
        },
    )
    .await;
    let token = app.organiser_token("organiser").await;
    let mut first = delegate(1, "SN");
    first["sessions"] = json!(["A1"]);
    let first: Value = app
        .register("lima-1997", &first)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(first["status"], "confirmed");

    // Wordings that pass every check an organiser's text gets, but that
    // this build cannot render: as if the template engine failed.
    for kind in ["waitlisted", "cancelled"] {
        let saved = app
            .client
            .put(app.url(&format!("/api/v1/events/lima-1997/email-texts/{kind}/fr")))
            .bearer_auth(&token)
            .json(&json!({"subject": rencontre::mail::render::FAILING_TEXT, "body": "Bonjour"}))
            .send()
            .await
            .unwrap();
        assert_eq!(saved.status(), 200, "{kind}");
    }
    let snapshot = async || {
        (
            count(&app.pool, "SELECT count(*) AS count FROM registrations").await,
            count(&app.pool, "SELECT count(*) AS count FROM email_outbox").await,
            count(
                &app.pool,
                "SELECT count(*) AS count FROM registration_sessions",
            )
            .await,
            count(&app.pool, "SELECT taken::bigint AS count FROM events").await,
            count(&app.pool, "SELECT waiting::bigint AS count FROM events").await,
            count(
                &app.pool,
                "SELECT count(*) AS count FROM registrations WHERE status = 'confirmed'",
            )
            .await,
        )
    };
    let before = snapshot().await;
    assert_eq!(before, (1, 1, 1, 1, 0, 1));

    // A registration whose waiting-list email cannot be written is refused
    // whole: no row, no email, no counter moved.
    let refused = app.register("lima-1997", &delegate(2, "SN")).await;
    assert_eq!(refused.status(), 500);
    let problem: Value = refused.json().await.unwrap();
    assert_eq!(problem["error"], "internal", "{problem}");
    assert_eq!(snapshot().await, before);

    // So is a cancellation: the place stays held and nothing is queued.
    let cancelled = app
        .client
        .post(app.url(&format!(
            "/api/v1/registrations/{}/cancel",
            token_of(&first)
        )))
        .send()
        .await
        .unwrap();
    assert_eq!(cancelled.status(), 500);
    assert_eq!(snapshot().await, before);

    // The same changes go through once the wording renders again.
    let reset = app
        .client
        .delete(app.url("/api/v1/events/lima-1997/email-texts/waitlisted/fr"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(reset.status(), 204);
    assert_eq!(
        app.register("lima-1997", &delegate(2, "SN")).await.status(),
        201
    );
    assert_eq!(
        count(&app.pool, "SELECT count(*) AS count FROM email_outbox").await,
        2
    );
}
