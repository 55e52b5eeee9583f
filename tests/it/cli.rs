use diesel::QueryableByName;
use diesel::sql_types::BigInt;
use diesel_async::RunQueryDsl;

use crate::support::{TestDb, rencontre};

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    count: i64,
}

async fn count(db: &TestDb, sql: &str) -> i64 {
    let mut conn = db.connect().await;
    let rows: Vec<Count> = diesel::sql_query(sql).load(&mut conn).await.expect(sql);
    rows[0].count
}

#[tokio::test]
async fn migrate_then_demo_twice_leaves_one_demo_event() {
    let db = TestDb::empty().await;
    let status = rencontre(&db.url)
        .arg("migrate")
        .status()
        .expect("run migrate");
    assert!(status.success());

    for expected in ["Loaded the demo event", "already loaded"] {
        let output = rencontre(&db.url).arg("demo").output().expect("run demo");
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(stdout.contains(expected), "{stdout}");
    }

    assert_eq!(count(&db, "SELECT count(*) AS count FROM events").await, 1);
    assert_eq!(
        count(&db, "SELECT count(*) AS count FROM sessions").await,
        20
    );
    assert!(
        count(
            &db,
            "SELECT count(*) AS count FROM country_quotas WHERE explicit"
        )
        .await
            >= 40
    );
    let open = count(
        &db,
        "SELECT count(*) AS count FROM events
          WHERE registration_opens_at <= now() AND registration_closes_at > now()
            AND timezone = 'Africa/Dakar' AND languages = '{fr,en,es,pt}'",
    )
    .await;
    assert_eq!(open, 1, "the demo event is open for registration at once");
    assert_eq!(
        count(
            &db,
            "SELECT count(*) AS count FROM organisers WHERE role = 'admin'"
        )
        .await,
        1,
        "the demo organiser"
    );
}

#[tokio::test]
async fn organisers_get_accounts_and_tokens_and_export_from_the_command_line() {
    use std::io::Write;
    use std::process::Stdio;

    let db = TestDb::empty().await;
    assert!(
        rencontre(&db.url)
            .arg("migrate")
            .status()
            .unwrap()
            .success()
    );
    assert!(rencontre(&db.url).arg("demo").status().unwrap().success());

    let add = |email: &str, password: &str| {
        let mut child = rencontre(&db.url)
            .args([
                "organiser",
                "add",
                email,
                "--name",
                "Aminata Traoré",
                "--role",
                "viewer",
                "--password-stdin",
            ])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(password.as_bytes())
            .unwrap();
        child.wait_with_output().unwrap()
    };
    assert!(
        !add("a.traore@example.org", "short\n").status.success(),
        "too short a password"
    );
    let added = add("a.traore@example.org", "a long enough secret\n");
    assert!(
        added.status.success(),
        "{}",
        String::from_utf8_lossy(&added.stderr)
    );
    assert_eq!(
        add("A.Traore@example.org", "a long enough secret\n")
            .status
            .code(),
        Some(2),
        "one account per email"
    );
    assert_eq!(count(&db, "SELECT count(*) AS count FROM organisers WHERE role = 'viewer' AND password_hash LIKE '$argon2id$%'").await, 1);

    let token = rencontre(&db.url)
        .args(["token", "create", "a.traore@example.org"])
        .output()
        .unwrap();
    assert!(token.status.success());
    let token = String::from_utf8(token.stdout).unwrap();
    assert_eq!(token.trim().len(), 48);
    assert_eq!(
        count(&db, "SELECT count(*) AS count FROM api_tokens").await,
        1
    );
    assert_eq!(
        rencontre(&db.url)
            .args(["token", "create", "nobody@example.org"])
            .status()
            .unwrap()
            .code(),
        Some(2)
    );

    let unknown = rencontre(&db.url)
        .args(["export", "nowhere", "--format", "csv"])
        .output()
        .unwrap();
    assert_eq!(unknown.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("no event with the slug `nowhere`"));
    let bad_status = rencontre(&db.url)
        .args([
            "export",
            "dakar-2005",
            "--format",
            "csv",
            "--status",
            "lost",
        ])
        .output()
        .unwrap();
    assert_eq!(bad_status.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad_status.stderr).contains("`lost`"));

    let exported = rencontre(&db.url)
        .args(["export", "dakar-2005", "--format", "csv", "--country", "SN"])
        .output()
        .unwrap();
    assert!(exported.status.success());
    let csv = String::from_utf8(exported.stdout).unwrap();
    assert!(
        csv.starts_with("reference,status,"),
        "a header and no progress bar when piped: {csv}"
    );
    assert_eq!(csv.lines().count(), 1, "nobody registered yet");
}

#[test]
fn a_bad_configuration_value_stops_start_up_naming_the_key() {
    let output = rencontre("postgres://127.0.0.1:1/none")
        .env("RENCONTRE__HTTP__BIND", "not-an-address")
        .arg("serve")
        .output()
        .expect("run serve");
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("http.bind"), "{stderr}");

    let output = rencontre("postgres://127.0.0.1:1/none")
        .env("RENCONTRE__MAIL__TRANSPROT", "smtp")
        .arg("migrate")
        .output()
        .expect("run migrate");
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("transprot"), "{stderr}");
}

#[tokio::test]
async fn anonymising_a_finished_event_removes_personal_data_and_keeps_the_counts() {
    use crate::support::{EventSpec, TestApp, assert_invariants_hold, create_event, delegate};

    let app = TestApp::spawn().await;
    create_event(
        &app.pool,
        EventSpec {
            capacity: Some(2),
            ..EventSpec::default()
        },
    )
    .await;
    let mut tokens = Vec::new();
    for n in 0..3 {
        let answer: serde_json::Value = app
            .register("lima-1997", &delegate(n, "SN"))
            .await
            .json()
            .await
            .unwrap();
        tokens.push(
            answer["manage_url"]
                .as_str()
                .unwrap()
                .rsplit('/')
                .next()
                .unwrap()
                .to_owned(),
        );
    }
    let too_early = rencontre(&app.db.url)
        .args(["anonymise", "lima-1997"])
        .output()
        .unwrap();
    assert_eq!(
        too_early.status.code(),
        Some(2),
        "not before the event has ended"
    );
    assert!(String::from_utf8_lossy(&too_early.stderr).contains("ends on"));

    let mut conn = app.db.connect().await;
    diesel::sql_query(
        "UPDATE events SET starts_on = current_date - 10, ends_on = current_date - 7",
    )
    .execute(&mut conn)
    .await
    .unwrap();
    let done = rencontre(&app.db.url)
        .args(["anonymise", "lima-1997"])
        .output()
        .unwrap();
    assert!(
        done.status.success(),
        "{}",
        String::from_utf8_lossy(&done.stderr)
    );
    assert!(String::from_utf8_lossy(&done.stdout).contains("Anonymised 3 registration(s)"));

    let personal = count(
        &app.db,
        "SELECT count(*) AS count FROM registrations
          WHERE given_name LIKE 'Délégué%' OR email LIKE 'delegate%' OR organisation <> '' OR family_name <> ''",
    )
    .await;
    assert_eq!(personal, 0);
    assert_eq!(count(&app.db, "SELECT count(*) AS count FROM email_outbox WHERE body_text IS NOT NULL OR recipient LIKE 'delegate%'").await, 0);
    assert_eq!(
        count(
            &app.db,
            "SELECT count(*) AS count FROM registrations WHERE status = 'confirmed'"
        )
        .await,
        2,
        "counts are kept"
    );
    assert_eq!(
        count(
            &app.db,
            "SELECT count(*) AS count FROM audit_log WHERE action = 'event.anonymise'"
        )
        .await,
        1
    );
    assert_invariants_hold(&app.pool).await;
    let link = app
        .client
        .get(app.url(&format!("/api/v1/registrations/{}", tokens[0])))
        .send()
        .await
        .unwrap();
    assert_eq!(link.status(), 404, "private links stop working");
}

#[tokio::test]
async fn demo_creates_its_published_password_organiser_only_where_no_real_one_works() {
    let db = TestDb::empty().await;
    assert!(
        rencontre(&db.url)
            .arg("migrate")
            .status()
            .unwrap()
            .success()
    );
    let mut conn = db.connect().await;
    diesel::sql_query(
        "INSERT INTO organisers (id, email, name, role)
         VALUES (gen_random_uuid(), 'fatou@example.org', 'Fatou', 'admin')",
    )
    .execute(&mut conn)
    .await
    .expect("a real organiser");
    let demo_accounts = "SELECT count(*) AS count FROM organisers WHERE email = 'demo@example.org'";
    let run = |command: &mut std::process::Command| {
        let output = command.output().expect("run demo");
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8_lossy(&output.stdout).into_owned()
    };

    let stdout = run(rencontre(&db.url).arg("demo"));
    assert!(stdout.contains("Loaded the demo event"), "{stdout}");
    assert!(stdout.contains("was not created"), "{stdout}");
    assert_eq!(count(&db, demo_accounts).await, 0);
    assert_eq!(count(&db, "SELECT count(*) AS count FROM events").await, 1);

    // Production: never, even when forced.
    let config = std::env::temp_dir().join(format!("rencontre-prod-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&config).unwrap();
    std::fs::copy(
        crate::support::manifest_dir().join("config/default.toml"),
        config.join("default.toml"),
    )
    .unwrap();
    std::fs::write(config.join("production.toml"), "[log]\nfilter = \"warn\"\n").unwrap();
    let stdout = run(rencontre(&db.url)
        .env("RENCONTRE_ENV", "production")
        .arg("--config-dir")
        .arg(&config)
        .args(["demo", "--force-demo"]));
    std::fs::remove_dir_all(&config).unwrap();
    assert!(stdout.contains("never in production"), "{stdout}");
    assert_eq!(count(&db, demo_accounts).await, 0);

    let stdout = run(rencontre(&db.url).args(["demo", "--force-demo"]));
    assert!(stdout.contains("already loaded"), "{stdout}");
    assert_eq!(
        count(&db, demo_accounts).await,
        1,
        "--force-demo creates it"
    );
}
