//! Breaking things on purpose: the promises hold when a server process is
//! killed mid-load, and when PostgreSQL restarts under a running server.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Child, Command as ProcessCommand, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

use serde_json::Value;

use crate::smtp::{Behaviour, SmtpSink, free_port};
use crate::support::{
    EventSpec, TestDb, assert_invariants_hold, count, create_event, delegate, rencontre,
};

const CLIENTS: usize = 16;

/// A real `rencontre serve` process (the metrics and event-change tests
/// start them too).
pub(crate) struct Server {
    pub(crate) child: Child,
    pub(crate) address: String,
}

impl Server {
    pub(crate) async fn start(
        database_url: &str,
        extra_env: &[(&str, String)],
        args: &[&str],
    ) -> Server {
        Self::start_logging(database_url, extra_env, args, Stdio::null()).await
    }

    async fn start_logging(
        database_url: &str,
        extra_env: &[(&str, String)],
        args: &[&str],
        stderr: Stdio,
    ) -> Server {
        let port = free_port();
        let address = format!("http://127.0.0.1:{port}");
        let mut command = rencontre(database_url);
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
    let mut server = Server::start(&db.url, &[], &["--no-worker"]).await;

    let stop = Arc::new(AtomicBool::new(false));
    let answered = Arc::new(AtomicUsize::new(0));
    let client = reqwest::Client::new();
    let mut clients = Vec::new();
    for worker in 0..CLIENTS {
        let (stop, answered, client, address) = (
            Arc::clone(&stop),
            Arc::clone(&answered),
            client.clone(),
            server.address.clone(),
        );
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
                        answered.fetch_add(1, Ordering::SeqCst);
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
    // Mid-load: once the load is well under way (at least 1.5 s and 40
    // acknowledged registrations, so that a loaded machine still kills a
    // server in the middle of its work), at most 30 s.
    let started = tokio::time::Instant::now();
    while started.elapsed() < Duration::from_millis(1500)
        || (answered.load(Ordering::SeqCst) < 40 && started.elapsed() < Duration::from_secs(30))
    {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
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
        &db.url,
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
        &db.url,
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

/// An SMTP server's refusal quotes the recipient; the worker logs that the
/// email failed, with the code, but not the server's words. Organisers
/// still read them on the email.
#[tokio::test]
async fn an_smtp_refusal_quoting_the_recipient_stays_out_of_the_logs() {
    let db = TestDb::migrated().await;
    let pool =
        rencontre::db::build_pool(&crate::support::test_settings(&db.url).database).expect("pool");
    create_event(&pool, EventSpec::default()).await;
    let sink = crate::smtp::SmtpSink::start(crate::smtp::Behaviour {
        refuse_recipients_containing: Some("refused".into()),
        echo_refused_recipient: true,
        ..crate::smtp::Behaviour::default()
    })
    .await;
    let log_path = std::env::temp_dir().join(format!(
        "rencontre-log-{}.txt",
        uuid::Uuid::new_v4().simple()
    ));
    let log = std::fs::File::create(&log_path).expect("log file");
    let server = Server::start_logging(
        &db.url,
        &[
            ("RENCONTRE__LOG__FILTER", "info".into()),
            ("RENCONTRE__MAIL__TRANSPORT", "smtp".into()),
            ("RENCONTRE__MAIL__SMTP_PORT", sink.port.to_string()),
        ],
        &[],
        Stdio::from(log),
    )
    .await;
    let mut body = delegate(7, "SN");
    body["given_name"] = serde_json::json!("Ndèye Fatou");
    body["email"] = serde_json::json!("ndeye.refused@example.org");
    let answer = reqwest::Client::new()
        .post(format!(
            "{}/api/v1/events/lima-1997/registrations",
            server.address
        ))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 201);
    let failed = "SELECT count(*) AS count FROM email_outbox WHERE status = 'failed' \
                  AND last_error LIKE '%ndeye.refused@example.org%'";
    for _ in 0..100 {
        if count(&pool, failed).await == 1 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(
        count(&pool, failed).await,
        1,
        "the refusal is kept on the email"
    );
    drop(server);
    let logged = std::fs::read_to_string(&log_path).expect("log");
    std::fs::remove_file(&log_path).ok();
    assert!(
        logged.contains("answered 550"),
        "the failure is logged, with its code: {logged}"
    );
    for personal in ["ndeye.refused", "example.org>", "Ndèye", "Traoré"] {
        assert!(
            !logged.contains(personal),
            "`{personal}` appears in the log:\n{logged}"
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
        Server::start(&db.url, &[], &["--no-worker"]).await,
        Server::start(&db.url, &[], &["--no-worker"]).await,
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

/// A PostgreSQL cluster of the test's own, since the suite's shared cluster
/// cannot be restarted under the other tests. Its Drop stops it and removes
/// its files, whichever way the test ends.
struct OwnCluster {
    bindir: PathBuf,
    dir: PathBuf,
    port: u16,
}

impl OwnCluster {
    fn start() -> OwnCluster {
        let bindir = postgres_bindir();
        let dir = std::env::temp_dir().join(format!(
            "rencontre-restart-{}",
            &uuid::Uuid::new_v4().simple().to_string()[..12]
        ));
        std::fs::create_dir(&dir).expect("cluster directory");
        // Owned by the guard from here on, so even a failed initdb is cleaned up.
        let cluster = OwnCluster {
            bindir,
            port: cluster_port(),
            dir,
        };
        if running_as_root() {
            // initdb refuses root: the cluster belongs to `postgres`.
            run(ProcessCommand::new("chown")
                .arg("postgres:")
                .arg(&cluster.dir));
        }
        run(cluster
            .as_owner("initdb")
            .arg("-D")
            .arg(cluster.data())
            .args([
                "-U",
                "postgres",
                "--auth=trust",
                "--encoding=UTF8",
                "--no-locale",
                "--no-sync",
            ]));
        cluster.pg_ctl_start();
        cluster
    }

    fn data(&self) -> PathBuf {
        self.dir.join("data")
    }

    fn url(&self, database: &str) -> String {
        format!("postgres://postgres@127.0.0.1:{}/{database}", self.port)
    }

    fn as_owner(&self, program: &str) -> ProcessCommand {
        let program = self.bindir.join(program);
        if running_as_root() {
            let mut command = ProcessCommand::new("runuser");
            command.args(["-u", "postgres", "--"]).arg(program);
            command
        } else {
            ProcessCommand::new(program)
        }
    }

    fn pg_ctl_start(&self) {
        let options = format!(
            "-p {} -k {} -c listen_addresses=127.0.0.1 -c max_connections=100",
            self.port,
            self.dir.display()
        );
        let started = self
            .as_owner("pg_ctl")
            .arg("-D")
            .arg(self.data())
            .arg("-l")
            .arg(self.dir.join("server.log"))
            .args(["-w", "-t", "60", "-o", &options, "start"])
            .stdout(Stdio::null())
            .status()
            .expect("run pg_ctl start");
        assert!(
            started.success(),
            "PostgreSQL did not start:\n{}",
            std::fs::read_to_string(self.dir.join("server.log")).unwrap_or_default()
        );
    }

    /// `pg_ctl stop -m fast`: open sessions are terminated, in-progress
    /// transactions rolled back, then a clean checkpoint.
    fn pg_ctl_stop_fast(&self) {
        run(self
            .as_owner("pg_ctl")
            .arg("-D")
            .arg(self.data())
            .args(["-m", "fast", "-w", "-t", "60", "stop"]));
    }
}

impl Drop for OwnCluster {
    fn drop(&mut self) {
        let _ = self
            .as_owner("pg_ctl")
            .arg("-D")
            .arg(self.data())
            .args(["-m", "immediate", "stop"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Where PostgreSQL's server programs are, found as `scripts/pg.sh` finds them.
fn postgres_bindir() -> PathBuf {
    let has_programs = |dir: &Path| dir.join("initdb").is_file() && dir.join("pg_ctl").is_file();
    if let Ok(output) = ProcessCommand::new("pg_config").arg("--bindir").output() {
        let dir = PathBuf::from(String::from_utf8_lossy(&output.stdout).trim());
        if output.status.success() && has_programs(&dir) {
            return dir;
        }
    }
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| {
            let version = entry
                .file_name()
                .to_str()?
                .split('.')
                .next()?
                .parse()
                .ok()?;
            Some((version, entry.path().join("bin")))
        })
        .filter(|(_, dir)| has_programs(dir))
        .collect();
    versions.sort();
    versions
        .pop()
        .map(|(_, dir)| dir)
        .expect("PostgreSQL's initdb and pg_ctl were not found: apt-get install postgresql")
}

fn running_as_root() -> bool {
    ProcessCommand::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|output| output.stdout.trim_ascii() == b"0")
}

/// A free loopback port, outside the range the developers' clusters use.
fn cluster_port() -> u16 {
    loop {
        let port = free_port();
        if !(54329..=54340).contains(&port) {
            return port;
        }
    }
}

fn run(command: &mut ProcessCommand) {
    let output = command.output().expect("run a PostgreSQL program");
    assert!(
        output.status.success(),
        "{command:?} failed:\n{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// What one client saw: the registrations acknowledged (id, and whether the
/// answer came after the database was back), the 503s, and anything else.
#[derive(Default)]
struct Seen {
    acknowledged: Vec<(String, bool)>,
    unavailable: usize,
    wrong: Vec<String>,
}

/// PostgreSQL stopped with `-m fast` under 16 clients, down for a second,
/// then started again; `serve` keeps running. Clients retry a 503 with the
/// same `Idempotency-Key`, as API.md invites them to, until it is answered.
#[tokio::test]
async fn a_database_restart_mid_load_answers_503_loses_nothing_and_the_pool_recovers() {
    let cluster = OwnCluster::start();
    let url = cluster.url("postgres");
    let migrated = rencontre(&url)
        .arg("migrate")
        .output()
        .expect("run rencontre migrate");
    assert!(
        migrated.status.success(),
        "{}",
        String::from_utf8_lossy(&migrated.stderr)
    );
    let pool =
        rencontre::db::build_pool(&crate::support::test_settings(&url).database).expect("pool");
    create_event(
        &pool,
        EventSpec {
            default_country_capacity: Some(60),
            sessions: vec![("A1", Some(50), 0, 9, 11)],
            ..EventSpec::default()
        },
    )
    .await;
    let server = Server::start(&url, &[], &["--no-worker"]).await;

    let stop = Arc::new(AtomicBool::new(false));
    let database_back = Arc::new(AtomicBool::new(false));
    let in_flight = Arc::new(AtomicUsize::new(0));
    let client = reqwest::Client::new();
    let mut clients = Vec::new();
    for worker in 0..CLIENTS {
        let (stop, database_back, in_flight) = (
            Arc::clone(&stop),
            Arc::clone(&database_back),
            Arc::clone(&in_flight),
        );
        let (client, address) = (client.clone(), server.address.clone());
        clients.push(tokio::spawn(async move {
            let mut seen = Seen::default();
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
                // A delegate once started is retried until answered, so
                // every registration the database holds was acknowledged.
                let started = tokio::time::Instant::now();
                loop {
                    in_flight.fetch_add(1, Ordering::SeqCst);
                    let answer = client
                        .post(format!("{address}/api/v1/events/lima-1997/registrations"))
                        .header("Idempotency-Key", format!("restart-{number}"))
                        .json(&body)
                        .send()
                        .await;
                    in_flight.fetch_sub(1, Ordering::SeqCst);
                    let response = match answer {
                        Ok(response) => response,
                        Err(error) => {
                            seen.wrong.push(format!("no answer: {error}"));
                            break;
                        }
                    };
                    let status = response.status();
                    let retry_after = response.headers().contains_key("Retry-After");
                    let text = response.text().await.unwrap_or_default();
                    let json: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
                    if status == 201 {
                        let id = json["id"].as_str().expect("id").to_owned();
                        seen.acknowledged
                            .push((id, database_back.load(Ordering::SeqCst)));
                        break;
                    }
                    let unavailable = status == 503
                        && retry_after
                        && json["error"] == "unavailable"
                        && json["message"].is_string()
                        && json.as_object().is_some_and(|fields| fields.len() == 2);
                    if !unavailable {
                        seen.wrong.push(format!("{status}: {text}"));
                        break;
                    }
                    seen.unavailable += 1;
                    if started.elapsed() > Duration::from_secs(30) {
                        seen.wrong.push("still 503 after 30 s".to_owned());
                        break;
                    }
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
            }
            seen
        }));
    }

    tokio::time::sleep(Duration::from_millis(1500)).await;
    let in_flight_at_stop = in_flight.load(Ordering::SeqCst);
    let cluster = tokio::task::spawn_blocking(move || {
        cluster.pg_ctl_stop_fast();
        std::thread::sleep(Duration::from_secs(1));
        cluster.pg_ctl_start();
        cluster
    })
    .await
    .expect("restart PostgreSQL");
    database_back.store(true, Ordering::SeqCst);
    tokio::time::sleep(Duration::from_secs(3)).await;
    stop.store(true, Ordering::SeqCst);

    let mut acknowledged = BTreeSet::new();
    let (mut answered_after_restart, mut unavailable) = (0, 0);
    let mut wrong: BTreeMap<String, usize> = BTreeMap::new();
    for client in clients {
        let seen = client.await.expect("client");
        for (id, after_restart) in seen.acknowledged {
            answered_after_restart += usize::from(after_restart);
            assert!(acknowledged.insert(id), "one id acknowledged twice");
        }
        unavailable += seen.unavailable;
        for answer in seen.wrong {
            *wrong.entry(answer).or_default() += 1;
        }
    }
    let ids: Vec<String> = acknowledged.iter().map(|id| format!("'{id}'")).collect();
    let present = count(
        &pool,
        &format!(
            "SELECT count(*) AS count FROM registrations WHERE id IN ({})",
            ids.join(",")
        ),
    )
    .await as usize;
    let with_email = count(&pool, &format!("SELECT count(DISTINCT registration_id) AS count FROM email_outbox WHERE registration_id IN ({})", ids.join(","))).await as usize;
    let stored = count(&pool, "SELECT count(*) AS count FROM registrations").await as usize;
    println!(
        "PostgreSQL stopped (fast) after 1.5 s with {in_flight_at_stop} requests in flight, down 1 s: \
         {} acknowledged ({answered_after_restart} after the restart), {stored} stored, {} lost, \
         {unavailable} answers 503",
        acknowledged.len(),
        acknowledged.len() - present
    );
    assert!(
        wrong.is_empty(),
        "answers other than 201 or 503 unavailable with Retry-After (answer: times): {wrong:#?}"
    );
    assert!(
        in_flight_at_stop > 0,
        "the load was running when PostgreSQL stopped"
    );
    assert!(
        unavailable > 0,
        "the outage was seen by the clients, as 503"
    );
    assert_eq!(
        present,
        acknowledged.len(),
        "an acknowledged registration was lost"
    );
    assert_eq!(
        with_email,
        acknowledged.len(),
        "an acknowledged registration lost its email"
    );
    assert_eq!(
        stored,
        acknowledged.len(),
        "a registration was stored that no client was told of"
    );
    assert!(
        answered_after_restart > 0,
        "registrations succeed again without restarting serve"
    );
    let checked = rencontre(&url)
        .arg("check")
        .output()
        .expect("run rencontre check");
    assert!(
        checked.status.success(),
        "rencontre check: {}",
        String::from_utf8_lossy(&checked.stdout)
    );

    // The pool has let go of its dead connections: a new registration and
    // the health check succeed at the first try.
    let late = client
        .post(format!(
            "{}/api/v1/events/lima-1997/registrations",
            server.address
        ))
        .json(&delegate(999_999_999, "SN"))
        .send()
        .await
        .expect("answer");
    assert_eq!(late.status(), 201);
    let health = client
        .get(format!("{}/healthz", server.address))
        .send()
        .await
        .expect("answer");
    assert_eq!(health.status(), 200);
    drop(server);
    drop(cluster);
}

/// Rows the worker tests send: composed already, due now.
const OUTBOX_ROWS: usize = 40;
/// SMTP connections of the worker under test: at most this many exchanges
/// are in flight at any moment.
const WORKER_CONNECTIONS: usize = 4;

async fn queue_outbox_rows(db: &TestDb) -> rencontre::db::DbPool {
    let pool =
        rencontre::db::build_pool(&crate::support::test_settings(&db.url).database).expect("pool");
    let event = create_event(&pool, EventSpec::default()).await;
    let mut conn = db.connect().await;
    diesel_async::RunQueryDsl::execute(
        diesel::sql_query(format!(
            "INSERT INTO email_outbox (id, event_id, kind, recipient, language, subject, body_text, body_html) \
             SELECT gen_random_uuid(), '{}', 'confirmation', 'delegate' || n || '@example.org', 'fr', \
                    'Inscription ' || n, 'Bonjour ' || n, '<p>Bonjour ' || n || '</p>' \
             FROM generate_series(1, {OUTBOX_ROWS}) AS n",
            event.id
        )),
        &mut conn,
    )
    .await
    .expect("queue emails");
    pool
}

fn start_worker(database_url: &str, smtp_port: u16) -> Child {
    rencontre(database_url)
        .arg("worker")
        .env("RENCONTRE__MAIL__TRANSPORT", "smtp")
        .env("RENCONTRE__MAIL__SMTP_PORT", smtp_port.to_string())
        .env(
            "RENCONTRE__MAIL__SMTP_CONNECTIONS",
            WORKER_CONNECTIONS.to_string(),
        )
        // A crashed worker's rows come back after this lease.
        .env("RENCONTRE__MAIL__CLAIM_LEASE_SECS", "2")
        .env("RENCONTRE__MAIL__POLL_INTERVAL_MS", "200")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start rencontre worker")
}

fn distinct_message_ids(sink: &SmtpSink) -> usize {
    sink.received()
        .iter()
        .filter_map(|message| message.header("Message-ID"))
        .collect::<BTreeSet<_>>()
        .len()
}

/// kill -9 of `rencontre worker` while messages sit accepted by the SMTP
/// server but not yet answered: after a second worker drains the outbox,
/// every row is sent with its own Message-ID, and the second copies are
/// exactly the messages that were received but not recorded at the kill —
/// at most one per SMTP connection, not the whole claimed batch.
#[tokio::test]
async fn killing_the_mail_worker_mid_batch_resends_at_most_the_messages_in_flight() {
    let db = TestDb::migrated().await;
    let pool = queue_outbox_rows(&db).await;
    // Each message is held 300 ms before its 250, so a kill finds some of
    // the batch accepted and some in flight.
    let sink = SmtpSink::start(Behaviour {
        accept_delay: Duration::from_millis(300),
        ..Behaviour::default()
    })
    .await;
    let mut worker = start_worker(&db.url, sink.port);
    let before = sink
        .wait_for(WORKER_CONNECTIONS + 2, Duration::from_secs(30))
        .await
        .len();
    assert!(
        before > WORKER_CONNECTIONS,
        "the worker sent its first round"
    );
    worker.kill().expect("kill -9");
    worker.wait().expect("reaped");
    let received_at_kill = sink.received().len();
    let recorded_at_kill = count(
        &pool,
        "SELECT count(*) AS count FROM email_outbox WHERE status = 'sent'",
    )
    .await as usize;

    let mut second = start_worker(&db.url, sink.port);
    let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
    while distinct_message_ids(&sink) < OUTBOX_ROWS && tokio::time::Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // Time for a late second copy to arrive.
    tokio::time::sleep(Duration::from_millis(800)).await;
    let _ = second.kill();
    let _ = second.wait();

    let total = sink.received().len();
    let second_copies = total - distinct_message_ids(&sink);
    println!(
        "kill -9 of the worker: {received_at_kill} received, {recorded_at_kill} recorded sent at the kill; \
         {second_copies} second copies of {OUTBOX_ROWS} ({WORKER_CONNECTIONS} SMTP connections)"
    );
    assert_eq!(
        distinct_message_ids(&sink),
        OUTBOX_ROWS,
        "every row was sent"
    );
    assert_eq!(
        count(
            &pool,
            "SELECT count(*) AS count FROM email_outbox WHERE status = 'sent' AND claimed_until IS NULL"
        )
        .await as usize,
        OUTBOX_ROWS
    );
    assert_eq!(
        second_copies,
        received_at_kill - recorded_at_kill,
        "only messages received but not recorded go out twice"
    );
    assert!(
        second_copies <= WORKER_CONNECTIONS,
        "{second_copies} second copies: more than the exchanges in flight"
    );
}

fn sigterm(child: &Child) {
    run(ProcessCommand::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .stdout(Stdio::null()));
}

/// Waits for the process to exit by itself; `None` if it is still running
/// after `within`.
async fn exit_within(child: &mut Child, within: Duration) -> Option<std::process::ExitStatus> {
    let deadline = tokio::time::Instant::now() + within;
    while tokio::time::Instant::now() < deadline {
        if let Some(status) = child.try_wait().expect("try_wait") {
            return Some(status);
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    None
}

/// SIGTERM to `rencontre worker` mid-batch: it claims nothing more, sends
/// and records every message it holds, and exits 0. Nothing is left claimed
/// and every message the SMTP server got is recorded sent, so a restart
/// sends no second copy.
#[tokio::test]
async fn sigterm_lets_the_mail_worker_finish_the_messages_it_claimed() {
    let db = TestDb::migrated().await;
    let pool = queue_outbox_rows(&db).await;
    let sink = SmtpSink::start(Behaviour {
        accept_delay: Duration::from_millis(300),
        ..Behaviour::default()
    })
    .await;
    let mut worker = start_worker(&db.url, sink.port);
    sink.wait_for(WORKER_CONNECTIONS + 2, Duration::from_secs(30))
        .await;
    sigterm(&worker);
    let status = exit_within(&mut worker, Duration::from_secs(20))
        .await
        .expect("the worker exits after SIGTERM");
    assert!(status.success(), "{status}");

    let received = sink.received().len();
    let sent = count(
        &pool,
        "SELECT count(*) AS count FROM email_outbox WHERE status = 'sent'",
    )
    .await as usize;
    println!("SIGTERM to the worker: {received} received, {sent} recorded sent");
    assert!(
        received < OUTBOX_ROWS,
        "it stopped before the end of the outbox"
    );
    assert_eq!(received, distinct_message_ids(&sink));
    assert_eq!(sent, received, "every message it sent is recorded");
    assert_eq!(
        count(
            &pool,
            "SELECT count(*) AS count FROM email_outbox WHERE claimed_until IS NOT NULL"
        )
        .await,
        0,
        "it left no row claimed"
    );
}

/// What a client saw around a SIGTERM to `serve`.
#[derive(Default)]
struct AroundShutdown {
    acknowledged: Vec<String>,
    /// The connection was refused: the listener had closed.
    refused: usize,
    /// Anything else: a connection accepted, then cut (reset, closed
    /// without an answer, timed out), or an answer other than 201.
    cut: Vec<String>,
}

/// SIGTERM to `rencontre serve` under 16 clients, each request on a
/// connection of its own. What we assert: every request either got a 201
/// (and its registration is stored, with its email) or had its connection
/// refused; no request whose connection was accepted went unanswered; and
/// the process exits 0 well within `http.shutdown_timeout_secs`.
#[tokio::test]
async fn sigterm_to_serve_under_load_answers_every_accepted_request_and_loses_nothing() {
    let db = TestDb::migrated().await;
    let pool =
        rencontre::db::build_pool(&crate::support::test_settings(&db.url).database).expect("pool");
    create_event(
        &pool,
        EventSpec {
            sessions: vec![("A1", Some(50), 0, 9, 11)],
            ..EventSpec::default()
        },
    )
    .await;
    let mut server = Server::start(
        &db.url,
        &[("RENCONTRE__HTTP__SHUTDOWN_TIMEOUT_SECS", "10".into())],
        &["--no-worker"],
    )
    .await;
    // No pooled connections: a kept-alive connection the server closes
    // between two requests would look like a cut request.
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(0)
        .timeout(Duration::from_secs(30))
        .build()
        .expect("client");
    let stop = Arc::new(AtomicBool::new(false));
    let mut clients = Vec::new();
    for worker in 0..CLIENTS {
        let (stop, client, address) = (Arc::clone(&stop), client.clone(), server.address.clone());
        clients.push(tokio::spawn(async move {
            let mut seen = AroundShutdown::default();
            for n in 0.. {
                if stop.load(Ordering::SeqCst) {
                    break;
                }
                let mut body = delegate(worker * 100_000 + n, ["SN", "ML", "BR"][n % 3]);
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
                        match response.json::<Value>().await {
                            Ok(answer) => seen
                                .acknowledged
                                .push(answer["id"].as_str().expect("id").to_owned()),
                            Err(error) => seen.cut.push(format!("body: {error:?}")),
                        }
                    }
                    Ok(response) => seen.cut.push(format!("answer {}", response.status())),
                    Err(error) if error.is_connect() => {
                        seen.refused += 1;
                        break;
                    }
                    Err(error) => seen.cut.push(format!("{error:?}")),
                }
            }
            seen
        }));
    }
    tokio::time::sleep(Duration::from_millis(1500)).await;
    // The event row held locked: the batch in progress and the requests
    // behind it are in flight when the signal comes, and stay so for a
    // second after it.
    let mut blocker = db.connect().await;
    for sql in ["BEGIN", "SELECT id FROM events FOR UPDATE"] {
        diesel_async::RunQueryDsl::execute(diesel::sql_query(sql), &mut blocker)
            .await
            .expect(sql);
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    let acknowledged_before = count(&pool, "SELECT count(*) AS count FROM registrations").await;
    sigterm(&server.child);
    let signalled = tokio::time::Instant::now();
    tokio::time::sleep(Duration::from_millis(1000)).await;
    assert!(
        server.child.try_wait().expect("try_wait").is_none(),
        "serve waits for the requests in flight"
    );
    diesel_async::RunQueryDsl::execute(diesel::sql_query("COMMIT"), &mut blocker)
        .await
        .expect("COMMIT");
    let status = exit_within(&mut server.child, Duration::from_secs(15))
        .await
        .expect("serve exits after SIGTERM");
    let took = signalled.elapsed();
    stop.store(true, Ordering::SeqCst);

    let mut seen = AroundShutdown::default();
    for client in clients {
        let one = client.await.expect("client");
        seen.acknowledged.extend(one.acknowledged);
        seen.refused += one.refused;
        seen.cut.extend(one.cut);
    }
    println!(
        "SIGTERM to serve: exited {status} after {took:?}; {} acknowledged ({acknowledged_before} before the signal), {} clients refused, {} cut",
        seen.acknowledged.len(),
        seen.refused,
        seen.cut.len()
    );
    assert!(status.success(), "{status}");
    assert!(took < Duration::from_secs(10), "{took:?}");
    assert!(acknowledged_before > 0, "the load ran before the signal");
    assert!(
        seen.acknowledged.len() as i64 > acknowledged_before,
        "requests held in flight at the signal were answered"
    );
    assert!(seen.cut.is_empty(), "requests cut: {:?}", seen.cut);
    assert_eq!(
        seen.refused, CLIENTS,
        "every client ends on a refused connection"
    );
    let ids: Vec<String> = seen
        .acknowledged
        .iter()
        .map(|id| format!("'{id}'"))
        .collect();
    let stored = count(
        &pool,
        &format!(
            "SELECT count(*) AS count FROM registrations WHERE id IN ({})",
            ids.join(",")
        ),
    )
    .await;
    assert_eq!(
        stored as usize,
        seen.acknowledged.len(),
        "an acknowledged registration is missing"
    );
    let with_email = count(&pool, &format!("SELECT count(DISTINCT registration_id) AS count FROM email_outbox WHERE registration_id IN ({})", ids.join(","))).await;
    assert_eq!(with_email as usize, seen.acknowledged.len());
    assert_invariants_hold(&pool).await;
}
