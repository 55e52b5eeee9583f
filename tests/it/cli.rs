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
        csv.starts_with("\"reference\",\"status\","),
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
    // What a refusal, failed logins and the file transport leave behind.
    for sql in [
        "UPDATE email_outbox SET status = 'failed', \
         last_error = '550 5.1.1 <delegate0@example.org>: Recipient address rejected'",
        "INSERT INTO audit_log (at, action, detail) VALUES \
         (now() - interval '31 days', 'login.failed', '{\"email\": \"delegate1@example.org\", \"address\": \"192.0.2.1\"}'), \
         (now() - interval '1 day', 'login.failed', '{\"email\": \"organiser@example.org\", \"address\": \"192.0.2.2\"}')",
    ] {
        diesel::sql_query(sql).execute(&mut conn).await.unwrap();
    }
    let mail_dir = std::env::temp_dir().join(format!("rencontre-eml-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&mail_dir).unwrap();
    #[derive(QueryableByName)]
    struct Id {
        #[diesel(sql_type = diesel::sql_types::Uuid)]
        id: uuid::Uuid,
    }
    let ids: Vec<Id> = diesel::sql_query("SELECT id FROM email_outbox")
        .load(&mut conn)
        .await
        .unwrap();
    assert_eq!(ids.len(), 3);
    for id in &ids {
        std::fs::write(
            mail_dir.join(format!("{}.eml", id.id)),
            "To: delegate@example.org",
        )
        .unwrap();
    }
    std::fs::write(mail_dir.join("another-event.eml"), "kept").unwrap();
    let done = rencontre(&app.db.url)
        .args(["anonymise", "lima-1997"])
        .env("RENCONTRE__MAIL__FILE_DIR", &mail_dir)
        .output()
        .unwrap();
    assert!(
        done.status.success(),
        "{}",
        String::from_utf8_lossy(&done.stderr)
    );
    assert!(
        String::from_utf8_lossy(&done.stdout).contains(
            "Anonymised 3 registration(s) of `lima-1997` and removed 3 saved email file(s)"
        )
    );
    let left: Vec<String> = std::fs::read_dir(&mail_dir)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(left, ["another-event.eml"], "the event's .eml files go");
    std::fs::remove_dir_all(&mail_dir).ok();
    assert_eq!(
        count(
            &app.db,
            "SELECT count(*) AS count FROM email_outbox WHERE last_error IS NOT NULL"
        )
        .await,
        0,
        "refusals quoting the recipient go"
    );
    assert_eq!(
        count(
            &app.db,
            "SELECT count(*) AS count FROM audit_log WHERE action = 'login.failed' \
              AND detail->>'email' = 'delegate1@example.org'"
        )
        .await,
        0,
        "failed logins past the retention go"
    );
    assert_eq!(
        count(
            &app.db,
            "SELECT count(*) AS count FROM audit_log WHERE action = 'login.failed'"
        )
        .await,
        1,
        "recent ones stay, for the lockout and a review"
    );

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

/// `token create --expires-in`, `token list`, `token revoke`: the list
/// never shows a token, notes its last use, and a revoked or expired token
/// answers 401.
#[tokio::test]
async fn tokens_are_listed_without_their_secret_expire_and_are_revoked() {
    use crate::support::{EventSpec, TestApp, create_event};

    let app = TestApp::spawn().await;
    create_event(&app.pool, EventSpec::default()).await;
    let email = app.organiser_with_role("viewer", "Fatou", None).await.email;
    let run = |args: &[&str]| rencontre(&app.db.url).args(args).output().unwrap();
    let created = |output: std::process::Output| {
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8(output.stdout).unwrap().trim().to_owned()
    };
    let lasting = created(run(&["token", "create", &email]));
    let monthly = created(run(&["token", "create", &email, "--expires-in", "30d"]));
    assert_eq!(
        run(&["token", "create", &email, "--expires-in", "soon"])
            .status
            .code(),
        Some(2),
        "a duration it cannot read"
    );
    let list = || {
        let output = run(&["token", "list", &email]);
        assert!(output.status.success());
        String::from_utf8(output.stdout).unwrap()
    };
    let listed = list();
    let lines: Vec<&str> = listed.lines().collect();
    assert_eq!(lines.len(), 2, "{listed}");
    assert!(
        !listed.contains(&lasting) && !listed.contains(&monthly),
        "{listed}"
    );
    let ids: Vec<uuid::Uuid> = lines
        .iter()
        .map(|line| line.split(' ').next().unwrap().parse().unwrap())
        .collect();
    assert!(
        lines.iter().all(|line| line.contains(" last_used=never ")),
        "{listed}"
    );
    assert!(
        lines[0].contains(" expires=never ") && lines[0].ends_with(" revoked=no"),
        "{listed}"
    );
    let in_a_month = (chrono::Utc::now() + chrono::Duration::days(30)).format("expires=%Y-%m-%dT");
    assert!(lines[1].contains(&in_a_month.to_string()), "{listed}");

    let read = async |token: &str| {
        app.client
            .get(app.url("/api/v1/events/lima-1997/registrations"))
            .bearer_auth(token)
            .send()
            .await
            .unwrap()
            .status()
    };
    assert_eq!(read(&lasting).await, 200);
    let today = chrono::Utc::now().format("last_used=%Y-%m-%dT").to_string();
    assert!(
        list().lines().next().unwrap().contains(&today),
        "{}",
        list()
    );

    let revoked = run(&["token", "revoke", &ids[0].to_string()]);
    assert!(revoked.status.success());
    assert_eq!(read(&lasting).await, 401, "a revoked token");
    assert!(!list().lines().next().unwrap().ends_with("revoked=no"));
    assert!(
        run(&["token", "revoke", &ids[0].to_string()])
            .status
            .success(),
        "again: no harm"
    );
    assert_eq!(
        run(&["token", "revoke", &uuid::Uuid::new_v4().to_string()])
            .status
            .code(),
        Some(2)
    );

    assert_eq!(read(&monthly).await, 200);
    let mut conn = app.db.connect().await;
    diesel::sql_query("UPDATE api_tokens SET expires_at = now() - interval '1 second' WHERE expires_at IS NOT NULL")
        .execute(&mut conn)
        .await
        .unwrap();
    assert_eq!(read(&monthly).await, 401, "an expired token");
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

/// A clone under a folder of mode 0700, as root: scripts/pg.sh names the
/// folder the `postgres` user cannot enter and what to do, instead of
/// initdb's bare "Permission denied". Only meaningful as root (as anyone
/// else the cluster runs as that user), so it checks nothing otherwise.
#[test]
fn as_root_pg_sh_names_the_folder_postgres_cannot_enter() {
    use std::os::unix::fs::PermissionsExt;
    let root = std::process::Command::new("id")
        .arg("-u")
        .output()
        .expect("id -u");
    if String::from_utf8_lossy(&root.stdout).trim() != "0" {
        eprintln!("not root: scripts/pg.sh runs the cluster as the current user");
        return;
    }
    let closed = std::env::temp_dir().join(format!(
        "rencontre-closed-{}",
        uuid::Uuid::new_v4().simple()
    ));
    let scripts = closed.join("clone").join("scripts");
    std::fs::create_dir_all(&scripts).expect("folders");
    std::fs::set_permissions(&closed, std::fs::Permissions::from_mode(0o700)).expect("chmod 700");
    for name in ["pg.sh", "pg-programs.sh"] {
        std::fs::copy(
            crate::support::manifest_dir().join("scripts").join(name),
            scripts.join(name),
        )
        .expect("copy");
    }
    let output = std::process::Command::new(scripts.join("pg.sh"))
        .args(["ensure", "nobody_here"])
        .env("RENCONTRE_PG_PORT", crate::smtp::free_port().to_string())
        .env_remove("RENCONTRE_PG_DATA")
        .output()
        .expect("run scripts/pg.sh");
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    let made_a_cluster = closed.join("clone/.local/pgdata/PG_VERSION").exists();
    let _ = std::fs::remove_dir_all(&closed);
    assert!(!output.status.success(), "{stderr}");
    assert!(!made_a_cluster);
    assert!(
        stderr.contains(&format!("'postgres' cannot enter {}", closed.display())),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!("chmod o+x {}", closed.display())),
        "{stderr}"
    );
    assert!(stderr.contains("RENCONTRE_PG_DATA="), "{stderr}");
    assert!(!stderr.contains("Permission denied"), "{stderr}");
}
