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
