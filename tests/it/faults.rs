//! Breaking things on purpose: the promises hold when a server process is
//! killed mid-load.

use std::collections::BTreeSet;
use std::process::{Child, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use serde_json::Value;

use crate::smtp::{Behaviour, SmtpSink, free_port};
use crate::support::{
    EventSpec, TestDb, assert_invariants_hold, count, create_event, delegate, rencontre,
};

const CLIENTS: usize = 16;

struct Server {
    child: Child,
    address: String,
}

impl Server {
    async fn start(db: &TestDb, extra_env: &[(&str, String)], args: &[&str]) -> Server {
        Self::start_logging(db, extra_env, args, Stdio::null()).await
    }

    async fn start_logging(
        db: &TestDb,
        extra_env: &[(&str, String)],
        args: &[&str],
        stderr: Stdio,
    ) -> Server {
        let port = free_port();
        let address = format!("http://127.0.0.1:{port}");
        let mut command = rencontre(&db.url);
        command
            .args(["serve"])
            .args(args)
            .env("RENCONTRE__HTTP__BIND", format!("127.0.0.1:{port}"))
            .env("RENCONTRE__HTTP__PUBLIC_URL", &address)
            .stdout(Stdio::null())
            .stderr(stderr);
        for (key, value) in extra_env {
            command.env(key, value);
        }
        // Owned by a Server at once, so its Drop kills and reaps the
        // process whichever way the test ends.
        let server = Server {
            child: command.spawn().expect("start rencontre serve"),
            address,
        };
        let client = reqwest::Client::new();
        for _ in 0..200 {
            if client
                .get(format!("{}/healthz", server.address))
                .send()
                .await
                .is_ok_and(|r| r.status() == 200)
            {
                return server;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("rencontre serve did not come up");
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[tokio::test]
async fn killing_a_server_mid_load_loses_no_acknowledged_registration_nor_its_email() {
    let db = TestDb::migrated().await;
    let pool =
        rencontre::db::build_pool(&crate::support::test_settings(&db.url).database).expect("pool");
    create_event(
        &pool,
        EventSpec {
            capacity: Some(400),
            default_country_capacity: Some(60),
            sessions: vec![("A1", Some(50), 0, 9, 11)],
            ..EventSpec::default()
        },
    )
    .await;
    let mut server = Server::start(&db, &[], &["--no-worker"]).await;

    let stop = Arc::new(AtomicBool::new(false));
    let client = reqwest::Client::new();
    let mut clients = Vec::new();
    for worker in 0..CLIENTS {
        let (stop, client, address) = (Arc::clone(&stop), client.clone(), server.address.clone());
        clients.push(tokio::spawn(async move {
            let (mut acknowledged, mut failed) = (Vec::new(), 0usize);
            let countries = ["SN", "ML", "BR", "PE", "FR", "VN"];
            for n in 0.. {
                if stop.load(Ordering::SeqCst) {
                    break;
                }
                let number = worker * 100_000 + n;
                let mut body = delegate(number, countries[number % countries.len()]);
                if n % 2 == 0 {
                    body["sessions"] = serde_json::json!(["A1"]);
                }
                match client
                    .post(format!("{address}/api/v1/events/lima-1997/registrations"))
                    .json(&body)
                    .send()
                    .await
                {
                    Ok(response) if response.status() == 201 => {
                        let answer: Value = response.json().await.expect("json");
                        acknowledged.push(answer["id"].as_str().expect("id").to_owned());
                    }
                    Ok(response) => panic!("unexpected answer {}", response.status()),
                    Err(_) => {
                        failed += 1;
                        if failed > 3 {
                            break;
                        }
                    }
                }
            }
            (acknowledged, failed)
        }));
    }
    tokio::time::sleep(Duration::from_millis(1500)).await;
    server.child.kill().expect("kill -9");
    let killed_at = tokio::time::Instant::now();
    server.child.wait().expect("reaped");
    tokio::time::sleep(Duration::from_millis(200)).await;
    stop.store(true, Ordering::SeqCst);

    let mut acknowledged = BTreeSet::new();
    let mut cut_off = 0;
    for client in clients {
        let (ids, failed) = client.await.expect("client");
        acknowledged.extend(ids);
        cut_off += failed.min(1);
    }
    assert!(
        acknowledged.len() > 20,
        "the load ran before the kill ({} acknowledged)",
        acknowledged.len()
    );

    // Every acknowledged registration is there, with its email.
    let ids: Vec<String> = acknowledged.iter().map(|id| format!("'{id}'")).collect();
    let present = count(
        &pool,
        &format!(
            "SELECT count(*) AS count FROM registrations WHERE id IN ({})",
            ids.join(",")
        ),
    )
    .await;
    let with_email = count(&pool, &format!("SELECT count(DISTINCT registration_id) AS count FROM email_outbox WHERE registration_id IN ({})", ids.join(","))).await;
    let stored = count(&pool, "SELECT count(*) AS count FROM registrations").await;
    println!(
        "kill -9 after 1.5 s: {} acknowledged, {} stored, {} requests in flight cut off, 0 lost expected; killed {:?} ago",
        acknowledged.len(),
        stored,
        cut_off,
        killed_at.elapsed()
    );
    assert_eq!(
        present as usize,
        acknowledged.len(),
        "an acknowledged registration was lost"
    );
    assert_eq!(
        with_email as usize,
        acknowledged.len(),
        "an acknowledged registration lost its email"
    );
    assert!(stored as usize >= acknowledged.len());
    assert_invariants_hold(&pool).await;

    // Restarted with its worker, the server drains the outbox, every email once.
    let sink = SmtpSink::start(Behaviour::default()).await;
    let outbox = count(&pool, "SELECT count(*) AS count FROM email_outbox").await as usize;
    let _server = Server::start(
        &db,
        &[
            ("RENCONTRE__MAIL__TRANSPORT", "smtp".into()),
            ("RENCONTRE__MAIL__SMTP_PORT", sink.port.to_string()),
        ],
        &[],
    )
    .await;
    let received = sink.wait_for(outbox, Duration::from_secs(60)).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(received.len(), outbox);
    assert_eq!(sink.received().len(), outbox, "no email twice");
    assert_eq!(
        count(
            &pool,
            "SELECT count(*) AS count FROM email_outbox WHERE status = 'sent'"
        )
        .await as usize,
        outbox
    );
}

#[tokio::test]
async fn logs_at_info_level_carry_no_personal_data_nor_private_tokens() {
    let db = TestDb::migrated().await;
    let pool =
        rencontre::db::build_pool(&crate::support::test_settings(&db.url).database).expect("pool");
    create_event(&pool, EventSpec::default()).await;
    let log_path = std::env::temp_dir().join(format!(
        "rencontre-log-{}.txt",
        uuid::Uuid::new_v4().simple()
    ));
    let log = std::fs::File::create(&log_path).expect("log file");
    let server = Server::start_logging(
        &db,
        &[("RENCONTRE__LOG__FILTER", "info".into())],
        &["--no-worker"],
        Stdio::from(log),
    )
    .await;
    let client = reqwest::Client::new();
    let mut body = delegate(7, "SN");
    body["given_name"] = serde_json::json!("Ndèye Fatou");
    let answer: Value = client
        .post(format!(
            "{}/api/v1/events/lima-1997/registrations",
            server.address
        ))
        .json(&body)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let manage_url = answer["manage_url"].as_str().unwrap();
    let token = manage_url.rsplit('/').next().unwrap();
    assert_eq!(client.get(manage_url).send().await.unwrap().status(), 200);
    assert_eq!(
        client
            .get(format!("{}/api/v1/registrations/{token}", server.address))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    assert_eq!(
        client
            .get(format!("{}/r/{token}-wrong", server.address))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
    drop(server);
    let logged = std::fs::read_to_string(&log_path).expect("log");
    std::fs::remove_file(&log_path).ok();
    assert!(
        logged.contains("/r/{token}"),
        "requests are logged, by route: {logged}"
    );
    for secret in [token, "delegate7@example.org", "Ndèye", "Traoré"] {
        assert!(
            !logged.contains(secret),
            "`{secret}` appears in the log:\n{logged}"
        );
    }
}

/// Two `serve` and two `worker` processes on one database under mixed load
/// (registrations and cancellations on both servers): nobody is overbooked
/// and every email is sent exactly once.
#[tokio::test]
async fn two_servers_and_two_workers_on_one_database_overbook_nobody_and_send_each_email_once() {
    let db = TestDb::migrated().await;
    let pool =
        rencontre::db::build_pool(&crate::support::test_settings(&db.url).database).expect("pool");
    create_event(
        &pool,
        EventSpec {
            capacity: Some(30),
            default_country_capacity: Some(8),
            sessions: vec![("A1", Some(6), 0, 9, 11)],
            ..EventSpec::default()
        },
    )
    .await;
    let sink = SmtpSink::start(Behaviour::default()).await;
    let servers = [
        Server::start(&db, &[], &["--no-worker"]).await,
        Server::start(&db, &[], &["--no-worker"]).await,
    ];
    let workers: Vec<Child> = (0..2)
        .map(|_| {
            rencontre(&db.url)
                .arg("worker")
                .env("RENCONTRE__MAIL__TRANSPORT", "smtp")
                .env("RENCONTRE__MAIL__SMTP_PORT", sink.port.to_string())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("start rencontre worker")
        })
        .collect();
    let client = reqwest::Client::new();
    let countries = ["SN", "ML", "BR", "PE"];
    let mut tasks = Vec::new();
    for n in 0..120usize {
        let (client, address) = (client.clone(), servers[n % 2].address.clone());
        tasks.push(tokio::spawn(async move {
            let mut body = delegate(n, countries[n % countries.len()]);
            body["sessions"] = serde_json::json!(["A1"]);
            let answer: Value = client
                .post(format!("{address}/api/v1/events/lima-1997/registrations"))
                .json(&body)
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            if n % 4 == 0 {
                let status = client
                    .post(format!(
                        "{}/cancel",
                        answer["manage_url"]
                            .as_str()
                            .unwrap()
                            .replace("/r/", "/api/v1/registrations/")
                    ))
                    .send()
                    .await
                    .unwrap()
                    .status();
                assert_eq!(status, 200);
            }
        }));
    }
    for task in tasks {
        task.await.expect("client");
    }
    assert!(count(&pool, "SELECT taken::bigint AS count FROM events").await <= 30);
    assert_eq!(
        count(
            &pool,
            "SELECT count(*) AS count FROM registrations WHERE status = 'cancelled'"
        )
        .await,
        30
    );
    assert_invariants_hold(&pool).await;
    let outbox = count(&pool, "SELECT count(*) AS count FROM email_outbox").await as usize;
    let received = sink.wait_for(outbox, Duration::from_secs(60)).await;
    tokio::time::sleep(Duration::from_millis(800)).await;
    assert_eq!(received.len(), outbox);
    assert_eq!(sink.received().len(), outbox, "an email was sent twice");
    let mut ids: Vec<String> = sink
        .received()
        .iter()
        .filter_map(|m| m.header("Message-ID"))
        .collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), outbox);
    for mut worker in workers {
        let _ = worker.kill();
        let _ = worker.wait();
    }
}
