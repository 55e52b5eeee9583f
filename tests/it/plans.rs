//! Query plans of the registration path on a platform's next meeting: a
//! database that already holds an analyzed event, and a new event that the
//! statistics have not seen yet.

use std::time::{Duration, Instant};

use diesel::QueryableByName;
use diesel_async::RunQueryDsl;
use futures_util::StreamExt;
use serde_json::json;

use crate::support::{EventSpec, TestApp, assert_invariants_hold, count, create_event};

/// What PostgreSQL's statistics say the registrations table went through.
#[derive(Debug, Clone, QueryableByName)]
struct Reads {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    inserted: i64,
    /// Outbox rows inserted: the set-up's last statement that reads
    /// registrations (by its foreign-key checks).
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    emails_inserted: i64,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    fetched: i64,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    email_index_scans: i64,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    /// Every other index of registrations but the primary key (which the
    /// outbox's foreign-key check reads).
    other_index_scans: i64,
    /// Every index of registrations with its scans, to name the culprit.
    #[diesel(sql_type = diesel::sql_types::Text)]
    scans: String,
}

async fn reads(app: &TestApp) -> Reads {
    let mut conn = app.pool.get().await.expect("connection");
    // A snapshot of the shared statistics, not this transaction's cache.
    diesel::sql_query("SELECT pg_stat_clear_snapshot()")
        .execute(&mut conn)
        .await
        .expect("clear snapshot");
    let rows: Vec<Reads> = diesel::sql_query(
        "SELECT t.n_tup_ins AS inserted, t.idx_tup_fetch AS fetched, \
                (SELECT n_tup_ins FROM pg_stat_user_tables WHERE relname = 'email_outbox') \
                    AS emails_inserted, \
                (SELECT idx_scan FROM pg_stat_user_indexes \
                  WHERE indexrelname = 'registrations_live_email_key') AS email_index_scans, \
                (SELECT sum(idx_scan)::bigint FROM pg_stat_user_indexes \
                  WHERE relname = 'registrations' \
                    AND indexrelname NOT IN ('registrations_live_email_key', 'registrations_pkey')) \
                    AS other_index_scans, \
                (SELECT string_agg(indexrelname || ' ' || idx_scan, ', ' ORDER BY indexrelname) \
                   FROM pg_stat_user_indexes WHERE relname = 'registrations') AS scans \
           FROM pg_stat_user_tables t WHERE t.relname = 'registrations'",
    )
    .load(&mut conn)
    .await
    .expect("statistics");
    rows.into_iter().next().expect("one row")
}

/// The statistics once every backend has reported `inserted` more
/// registrations and `emails` more outbox rows than `before` (a backend
/// reports a little while after its transactions, at most once a second).
async fn reads_after(app: &TestApp, before: &Reads, inserted: i64, emails: i64) -> Reads {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let now = reads(app).await;
        if now.inserted - before.inserted >= inserted
            && now.emails_inserted - before.emails_inserted >= emails
        {
            return now;
        }
        assert!(
            Instant::now() < deadline,
            "the statistics never showed {inserted} registrations and {emails} emails: {before:?} then {now:?}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

#[tokio::test]
async fn a_new_event_on_an_analyzed_database_probes_emails_through_the_email_index() {
    let app = TestApp::spawn().await;
    let previous = create_event(
        &app.pool,
        EventSpec {
            slug: "quito-2004",
            ..EventSpec::default()
        },
    )
    .await;
    let initial = reads(&app).await;
    let mut conn = app.pool.get().await.expect("connection");
    for sql in [
        format!(
            "INSERT INTO country_quotas (event_id, country_code, capacity) VALUES ('{}', 'EC', NULL)",
            previous.id
        ),
        format!(
            "INSERT INTO registrations (id, event_id, reference, token_hash, given_name, email, \
                                        country_code, language, status, queue_seq) \
             SELECT gen_random_uuid(), '{}', 'QUI-' || i, sha256(i::text::bytea), 'Delegate', \
                    'previous' || i || '@example.org', 'EC', 'es', 'confirmed', \
                    nextval('registration_queue_seq') \
               FROM generate_series(1, 30000) i",
            previous.id
        ),
        format!(
            "INSERT INTO email_outbox (id, event_id, registration_id, kind, recipient, language, \
                                       subject, body_text, status, attempts, sent_at) \
             SELECT gen_random_uuid(), event_id, id, 'confirmation', email, language, \
                    'Inscripción', 'Hola', 'sent', 1, now() \
               FROM registrations WHERE event_id = '{}'",
            previous.id
        ),
        format!(
            "UPDATE events SET taken = 30000 WHERE id = '{}'",
            previous.id
        ),
        format!(
            "UPDATE country_quotas SET taken = 30000 WHERE event_id = '{}'",
            previous.id
        ),
        "ANALYZE".to_owned(),
    ] {
        diesel::sql_query(&sql)
            .execute(&mut conn)
            .await
            .unwrap_or_else(|error| panic!("{sql}: {error}"));
    }
    drop(conn);
    create_event(&app.pool, EventSpec::default()).await;

    // The new event fills while the statistics still say it has no row;
    // eight requests in flight, so the registrar batches them. The baseline
    // waits for the set-up's own statistics, which a backend reports a
    // little after its statements.
    let before = reads_after(&app, &initial, 30_000, 30_000).await;
    let attempts = 240;
    let statuses: Vec<u16> = futures_util::stream::iter(0..attempts)
        .map(|n| {
            let app = &app;
            async move {
                let body = json!({
                    "given_name": "Aminata",
                    "family_name": "Traoré",
                    "email": format!("new{n}@example.org"),
                    "country": "ML",
                    "language": "fr",
                });
                app.register("lima-1997", &body).await.status().as_u16()
            }
        })
        .buffer_unordered(8)
        .collect()
        .await;
    assert!(statuses.iter().all(|&status| status == 201), "{statuses:?}");
    let after = reads_after(&app, &before, attempts, attempts).await;

    // Every email was probed in the unique index, and no registration of
    // the new event was read to find it: the one row fetched per attempt is
    // the foreign-key check of its outbox email. With the plan that scans
    // the event's registrations instead, each probe reads all the event has
    // so far (about 29,000 rows for these 240 attempts).
    let probes = after.email_index_scans - before.email_index_scans;
    let fetched = after.fetched - before.fetched;
    assert!(probes >= attempts, "{probes} probes of the email index");
    assert_eq!(
        after.other_index_scans - before.other_index_scans,
        0,
        "the registration path scanned another index of registrations: {} then {}",
        before.scans,
        after.scans
    );
    assert!(
        fetched <= attempts,
        "{fetched} rows fetched for {attempts} registrations"
    );
    assert_eq!(
        count(
            &app.pool,
            "SELECT count(*) AS count FROM registrations WHERE email LIKE 'new%'"
        )
        .await,
        attempts
    );
    assert_invariants_hold(&app.pool).await;
}

/// The pool's connections never JIT-compile a statement: the lists' and
/// exports' per-row subqueries give them estimated costs past
/// `jit_above_cost`, and compiling took far longer than running them.
#[tokio::test]
async fn the_pools_connections_run_without_jit_compilation() {
    let app = TestApp::spawn().await;
    for _ in 0..3 {
        assert_eq!(
            count(
                &app.pool,
                "SELECT (current_setting('jit') = 'off')::int::bigint AS count"
            )
            .await,
            1
        );
    }
}
