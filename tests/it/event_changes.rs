//! Many `rencontre serve` processes on one database agree: an organiser's
//! change made through one is what every other one shows next, long
//! before their copies of the event would expire.

use std::time::{Duration, Instant};

use diesel_async::RunQueryDsl;
use serde_json::{Value, json};

use crate::faults::Server;
use crate::support::{
    EventSpec, TestDb, count, create_event, test_settings, wait_for_event_listeners,
};
use rencontre::db::DbPool;

/// Far longer than any test: a copy that changes did not expire.
const COPY_LIFE: &str = "600000";
const PROMISED: Duration = Duration::from_millis(100);

async fn start(db: &TestDb) -> Server {
    Server::start(
        &db.url,
        &[("RENCONTRE__HTTP__EVENT_CACHE_MS", COPY_LIFE.into())],
        &["--no-worker"],
    )
    .await
}

async fn country_capacity(client: &reqwest::Client, server: &Server, code: &str) -> Value {
    let event: Value = client
        .get(format!("{}/api/v1/events/lima-1997", server.address))
        .send()
        .await
        .expect("read the event")
        .json()
        .await
        .expect("json");
    event["countries"]
        .as_array()
        .expect("countries")
        .iter()
        .find(|country| country["code"] == code)
        .map(|country| country["capacity"].clone())
        .unwrap_or(Value::Null)
}

/// Changes the quota without telling anyone, as a change whose
/// notification was lost would.
async fn change_quietly(db: &TestDb, capacity: i32) {
    let mut conn = db.connect().await;
    diesel::sql_query(format!(
        "UPDATE country_quotas SET capacity = {capacity} WHERE country_code = 'SN'"
    ))
    .execute(&mut conn)
    .await
    .expect("update");
}

async fn admin_token(pool: &DbPool) -> String {
    use rencontre::db::organisers;
    use rencontre::domain::secret;
    let mut conn = pool.get().await.expect("connection");
    let organiser = organisers::insert(&mut conn, "fatou@example.org", "Fatou", "admin", None)
        .await
        .expect("organiser");
    let token = secret::random_token(24);
    organisers::insert_api_token(
        &mut conn,
        organiser.id,
        &secret::sha256(&token),
        "t",
        None,
        organisers::TokenScope::default(),
    )
    .await
    .expect("token");
    token
}

#[tokio::test]
async fn an_organisers_change_through_one_process_shows_at_once_on_the_other() {
    let db = TestDb::migrated().await;
    let pool = rencontre::db::build_pool(&test_settings(&db.url).database).expect("pool");
    create_event(
        &pool,
        EventSpec {
            countries: vec![("SN", 10)],
            ..EventSpec::default()
        },
    )
    .await;
    let token = admin_token(&pool).await;
    let (through, other) = (start(&db).await, start(&db).await);
    wait_for_event_listeners(&pool, 2).await;
    let client = reqwest::Client::new();
    assert_eq!(country_capacity(&client, &other, "SN").await, 10);
    // The other process really serves its copy: a change nobody announced
    // stays unseen there.
    change_quietly(&db, 11).await;
    assert_eq!(country_capacity(&client, &other, "SN").await, 10);

    // The first change is not timed: it finds each process's first
    // miss after start-up.
    let mut waits = Vec::new();
    for capacity in [20, 25, 30, 35, 40, 45] {
        let answer = client
            .put(format!(
                "{}/api/v1/events/lima-1997/countries/SN",
                through.address
            ))
            .bearer_auth(&token)
            .json(&json!({"capacity": capacity}))
            .send()
            .await
            .expect("set the quota");
        assert_eq!(answer.status(), 200);
        let changed = Instant::now();
        loop {
            if country_capacity(&client, &other, "SN").await == capacity {
                break;
            }
            assert!(
                changed.elapsed() < Duration::from_secs(5),
                "the other process still shows the old quota"
            );
        }
        if capacity != 20 {
            waits.push(changed.elapsed());
        }
    }
    let slowest = waits.iter().max().copied().unwrap_or_default();
    eprintln!("the other process showed each change after {waits:?}");
    assert!(
        slowest < PROMISED,
        "a change took {slowest:?} to show on the other process: {waits:?}"
    );
}

#[tokio::test]
async fn a_process_whose_listening_connection_dies_drops_its_copies_on_reconnecting() {
    let db = TestDb::migrated().await;
    let pool = rencontre::db::build_pool(&test_settings(&db.url).database).expect("pool");
    create_event(
        &pool,
        EventSpec {
            countries: vec![("SN", 10)],
            ..EventSpec::default()
        },
    )
    .await;
    let server = start(&db).await;
    wait_for_event_listeners(&pool, 1).await;
    let client = reqwest::Client::new();
    assert_eq!(country_capacity(&client, &server, "SN").await, 10);
    change_quietly(&db, 12).await;
    assert_eq!(country_capacity(&client, &server, "SN").await, 10);

    let terminated = count(
        &pool,
        &format!(
            "SELECT count(pg_terminate_backend(pid)) AS count FROM pg_stat_activity \
             WHERE datname = current_database() AND application_name = '{}'",
            rencontre::web::event_cache::LISTENER_NAME
        ),
    )
    .await;
    assert_eq!(terminated, 1);
    let cut = Instant::now();
    while country_capacity(&client, &server, "SN").await != 12 {
        assert!(
            cut.elapsed() < Duration::from_secs(10),
            "the copy outlived the listening connection"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    wait_for_event_listeners(&pool, 1).await;
}
