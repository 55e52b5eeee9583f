//! The test harness: databases cloned from a migrated template, the real
//! application on port 0, and the `rencontre` binary for CLI tests.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use diesel::QueryableByName;
use diesel::sql_types::Text;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use sha2::{Digest, Sha256};
use tokio::sync::OnceCell;

use rencontre::config::Settings;
use rencontre::db::organisers::{self, TokenScope};
use rencontre::db::{self, DbPool};
use rencontre::web::Application;

/// Leftover databases older than this are swept: no test runs that long.
const SWEEP_AFTER: Duration = Duration::from_secs(2 * 3600);

pub fn manifest_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The database server the suite works on: `DATABASE_URL` (set by `make test`).
fn admin_url() -> String {
    std::env::var("DATABASE_URL")
        .expect("DATABASE_URL must point at a PostgreSQL database; run the tests with `make test`")
}

fn split_url(url: &str) -> (String, String) {
    let (base, query) = match url.split_once('?') {
        Some((base, query)) => (base, Some(query)),
        None => (url, None),
    };
    let (server, database) = base
        .rsplit_once('/')
        .expect("DATABASE_URL has a database name");
    let _ = query;
    (server.to_owned(), database.to_owned())
}

pub fn database_url(name: &str) -> String {
    let (server, _) = split_url(&admin_url());
    // Tests do not need durable commits; the benchmarks keep them.
    format!("{server}/{name}?options=-c%20synchronous_commit%3Doff")
}

fn base_name() -> String {
    split_url(&admin_url()).1
}

#[derive(QueryableByName)]
struct Name {
    #[diesel(sql_type = Text)]
    name: String,
}

async fn admin_connection() -> AsyncPgConnection {
    AsyncPgConnection::establish(&admin_url())
        .await
        .expect("cannot connect to DATABASE_URL")
}

/// A hash of every migration file, so a changed migration gets a new template.
fn migrations_fingerprint() -> String {
    let mut files: Vec<PathBuf> = Vec::new();
    let mut stack = vec![manifest_dir().join("migrations")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("migrations/ is readable") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
            } else {
                files.push(path);
            }
        }
    }
    files.sort();
    let mut hasher = Sha256::new();
    for file in files {
        hasher.update(
            file.strip_prefix(manifest_dir())
                .expect("inside")
                .to_string_lossy()
                .as_bytes(),
        );
        hasher.update(std::fs::read(&file).expect("readable"));
    }
    hex::encode(&hasher.finalize()[..6])
}

static TEMPLATE: OnceCell<String> = OnceCell::const_new();

/// Creates the migrated template once across every test process (an
/// advisory lock serialises them) and sweeps what crashed runs left behind.
async fn template() -> &'static str {
    TEMPLATE
        .get_or_init(|| async {
            let base = base_name();
            let template = format!("{base}_tpl_{}", migrations_fingerprint());
            let mut admin = admin_connection().await;
            diesel::sql_query("SELECT pg_advisory_lock(727274)")
                .execute(&mut admin)
                .await
                .expect("lock");
            sweep(&mut admin, &base, &template).await;
            let exists: Vec<Name> =
                diesel::sql_query("SELECT datname AS name FROM pg_database WHERE datname = $1")
                    .bind::<Text, _>(&template)
                    .load(&mut admin)
                    .await
                    .expect("list databases");
            if exists.is_empty() {
                let building = format!("{template}_building");
                exec(
                    &mut admin,
                    &format!("DROP DATABASE IF EXISTS \"{building}\" WITH (FORCE)"),
                )
                .await;
                exec(&mut admin, &format!("CREATE DATABASE \"{building}\"")).await;
                db::run_migrations(&database_url(&building))
                    .await
                    .expect("migrate the template");
                // Renamed only once complete, so no test ever clones half a template.
                exec(
                    &mut admin,
                    &format!("ALTER DATABASE \"{building}\" RENAME TO \"{template}\""),
                )
                .await;
            }
            diesel::sql_query("SELECT pg_advisory_unlock(727274)")
                .execute(&mut admin)
                .await
                .expect("unlock");
            template
        })
        .await
}

async fn sweep(admin: &mut AsyncPgConnection, base: &str, current_template: &str) {
    let names: Vec<Name> = diesel::sql_query(
        "SELECT datname AS name FROM pg_database WHERE datname LIKE $1 || '\\_%'",
    )
    .bind::<Text, _>(base)
    .load(admin)
    .await
    .expect("list databases");
    let now = unix_now();
    for Name { name } in names {
        let stale = if let Some(rest) = name.strip_prefix(&format!("{base}_t_")) {
            let created: u64 = rest
                .split('_')
                .next()
                .and_then(|secs| secs.parse().ok())
                .unwrap_or(0);
            now.saturating_sub(created) > SWEEP_AFTER.as_secs()
        } else {
            name.starts_with(&format!("{base}_tpl_")) && name != current_template
        };
        if stale {
            exec(
                admin,
                &format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"),
            )
            .await;
        }
    }
}

fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("after 1970")
        .as_secs()
}

async fn exec(conn: &mut AsyncPgConnection, sql: &str) {
    diesel::sql_query(sql)
        .execute(conn)
        .await
        .unwrap_or_else(|error| panic!("{sql}: {error}"));
}

/// A database of the test's own, dropped when the value is dropped.
pub struct TestDb {
    pub name: String,
    pub url: String,
    /// Only the owner drops the database.
    owned: bool,
}

impl TestDb {
    /// A fresh copy of the migrated template.
    pub async fn migrated() -> TestDb {
        let template = template().await;
        Self::create(Some(template)).await
    }

    /// An empty database, for migration and CLI tests.
    pub async fn empty() -> TestDb {
        Self::create(None).await
    }

    async fn create(template: Option<&str>) -> TestDb {
        let name = Self::fresh_name();
        let mut admin = admin_connection().await;
        match template {
            Some(template) => {
                exec(
                    &mut admin,
                    &format!(
                        "CREATE DATABASE \"{name}\" TEMPLATE \"{template}\" STRATEGY FILE_COPY"
                    ),
                )
                .await
            }
            None => exec(&mut admin, &format!("CREATE DATABASE \"{name}\"")).await,
        }
        TestDb {
            url: database_url(&name),
            name,
            owned: true,
        }
    }

    /// A name and URL for a database the test has something else create
    /// (a restore); dropped like the others.
    pub fn reserved() -> TestDb {
        let name = Self::fresh_name();
        TestDb {
            url: database_url(&name),
            name,
            owned: true,
        }
    }

    fn fresh_name() -> String {
        format!(
            "{}_t_{}_{}",
            base_name(),
            unix_now(),
            &uuid::Uuid::new_v4().simple().to_string()[..10]
        )
    }

    pub async fn connect(&self) -> AsyncPgConnection {
        AsyncPgConnection::establish(&self.url)
            .await
            .expect("connect to the test database")
    }

    /// Drops the database now (and every connection to it).
    pub async fn drop_now(&self) {
        let mut admin = admin_connection().await;
        exec(
            &mut admin,
            &format!("DROP DATABASE IF EXISTS \"{}\" WITH (FORCE)", self.name),
        )
        .await;
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if !self.owned {
            return;
        }
        let name = self.name.clone();
        // Drop runs outside any async context we can borrow: use a thread
        // with a runtime of its own.
        let _ = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build();
            if let Ok(runtime) = runtime {
                runtime.block_on(async {
                    if let Ok(mut admin) = AsyncPgConnection::establish(&admin_url()).await {
                        let sql = format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
                        let _ = diesel::sql_query(sql).execute(&mut admin).await;
                    }
                });
            }
        })
        .join();
    }
}

/// Settings as the test environment sees them, pointed at `database_url`.
pub fn test_settings(database_url: &str) -> Settings {
    let env = [
        ("RENCONTRE_ENV".to_owned(), "test".to_owned()),
        ("DATABASE_URL".to_owned(), database_url.to_owned()),
    ];
    Settings::load_from(&manifest_dir().join("config"), env).expect("test settings are valid")
}

/// The real application serving on a port of its own.
pub struct TestApp {
    pub address: String,
    pub db: TestDb,
    pub pool: DbPool,
    pub client: reqwest::Client,
}

impl TestApp {
    pub async fn spawn() -> TestApp {
        Self::spawn_with(|_| {}).await
    }

    /// With settings adjusted before the application starts.
    pub async fn spawn_with(configure: impl FnOnce(&mut Settings)) -> TestApp {
        let db = TestDb::migrated().await;
        Self::serve(db, configure).await
    }

    /// A second application process on the same database, as when several
    /// `rencontre serve` run behind a load balancer.
    pub async fn spawn_sibling(&self) -> TestApp {
        let db = TestDb {
            name: self.db.name.clone(),
            url: self.db.url.clone(),
            owned: false,
        };
        Self::serve(db, |_| {}).await
    }

    async fn serve(db: TestDb, configure: impl FnOnce(&mut Settings)) -> TestApp {
        let mut settings = test_settings(&db.url);
        configure(&mut settings);
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        let address = format!(
            "http://127.0.0.1:{}",
            listener.local_addr().expect("addr").port()
        );
        settings.http.bind = listener.local_addr().expect("addr").to_string();
        // A test may ask for an https public URL (as behind a TLS proxy);
        // the test still talks plain HTTP to the port.
        settings.http.public_url = if settings.http.public_url.starts_with("https://") {
            address.replacen("http://", "https://", 1)
        } else {
            address.clone()
        };
        let pool = db::build_pool(&settings.database).expect("pool");
        let listening = event_listeners(&pool).await;
        let application = Application::build_on(listener, settings.clone(), pool.clone())
            .expect("build the application");
        tokio::spawn(application.run_until_stopped());
        // A process drops its copies when it starts listening for changes:
        // a test that reads a copy, then expects it kept, waits for that.
        if settings.http.event_cache_ms > 0 {
            wait_for_event_listeners(&pool, listening + 1).await;
        }
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .cookie_store(true)
            .build()
            .expect("client");
        TestApp {
            address,
            db,
            pool,
            client,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }
}

/// Runs the `rencontre` binary with a test configuration.
pub fn rencontre(database_url: &str) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_rencontre"));
    command
        .current_dir(manifest_dir())
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("RENCONTRE_ENV", "test")
        .env("DATABASE_URL", database_url);
    command
}

/// An event set up directly in the database, for tests that are not about
/// setting events up.
pub struct EventSpec {
    pub slug: &'static str,
    pub capacity: Option<i32>,
    pub default_country_capacity: Option<i32>,
    pub countries: Vec<(&'static str, i32)>,
    /// (code, capacity, day offset, start hour, end hour)
    pub sessions: Vec<(&'static str, Option<i32>, i64, u32, u32)>,
    pub open: bool,
    /// A place is held until its email address is confirmed.
    pub verification: bool,
}

impl Default for EventSpec {
    fn default() -> Self {
        EventSpec {
            slug: "lima-1997",
            capacity: None,
            default_country_capacity: None,
            countries: Vec::new(),
            sessions: Vec::new(),
            open: true,
            verification: false,
        }
    }
}

pub async fn create_event(pool: &DbPool, spec: EventSpec) -> rencontre::db::events::Event {
    use chrono::{Duration, Utc};
    use rencontre::db::events::{self, NewEvent, NewSession};

    let mut conn = pool.get().await.expect("connection");
    let now = Utc::now();
    let first_day = (now + Duration::days(60)).date_naive();
    let (opens, closes) = if spec.open {
        (now - Duration::hours(1), now + Duration::days(30))
    } else {
        (now - Duration::days(30), now - Duration::days(1))
    };
    let event = events::insert(
        &mut conn,
        &NewEvent {
            id: uuid::Uuid::now_v7(),
            slug: spec.slug,
            reference_prefix: "LIM",
            name: "Rencontre internationale de Lima",
            names: serde_json::json!({"en": "International Meeting in Lima", "es": "Encuentro internacional de Lima"}),
            description: "",
            descriptions: serde_json::json!({}),
            starts_on: first_day,
            ends_on: first_day + Duration::days(3),
            timezone: "America/Lima",
            languages: vec!["es".into(), "fr".into(), "en".into(), "pt".into()],
            registration_opens_at: opens,
            registration_closes_at: closes,
            capacity: spec.capacity,
            default_country_capacity: spec.default_country_capacity,
            verifying: if spec.verification {
                events::Verifying {
                    verification: rencontre::domain::Verification::Email,
                    verification_hours: 24,
                }
            } else {
                events::Verifying::default()
            },
            approving: events::Approving::default(),
        },
    )
    .await
    .expect("insert event");
    for (code, capacity) in spec.countries {
        events::set_country_capacity(&mut conn, event.id, code, Some(capacity))
            .await
            .expect("quota");
    }
    for (code, capacity, day, start, end) in spec.sessions {
        let day = first_day.and_hms_opt(0, 0, 0).expect("midnight").and_utc() + Duration::days(day);
        events::insert_session(
            &mut conn,
            &NewSession {
                id: uuid::Uuid::now_v7(),
                event_id: event.id,
                code,
                kind: rencontre::domain::SessionKind::Workshop,
                title: code,
                titles: serde_json::json!({}),
                description: "",
                descriptions: serde_json::json!({}),
                room: "",
                starts_at: day + Duration::hours(start.into()),
                ends_at: day + Duration::hours(end.into()),
                capacity,
            },
        )
        .await
        .expect("session");
    }
    event
}

/// The invariants of DESIGN.md, as `rencontre check` verifies them.
pub async fn assert_invariants_hold(pool: &DbPool) {
    let mut conn = pool.get().await.expect("connection");
    let violations = rencontre::registration::check::violations(&mut conn)
        .await
        .expect("check");
    assert!(
        violations.is_empty(),
        "invariants violated:\n{}",
        violations.join("\n")
    );
}

/// Connections listening for organisers' changes on `pool`'s database.
pub async fn event_listeners(pool: &DbPool) -> i64 {
    let sql = format!(
        "SELECT count(*) AS count FROM pg_stat_activity \
         WHERE datname = current_database() AND application_name = '{}'",
        rencontre::web::event_cache::LISTENER_NAME
    );
    count(pool, &sql).await
}

/// Waits until `processes` connections listen for organisers' changes on
/// this database, so that a test's change is not announced to nobody.
pub async fn wait_for_event_listeners(pool: &DbPool, processes: i64) {
    for _ in 0..250 {
        if event_listeners(pool).await == processes {
            return;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("{processes} processes never listened for event changes");
}

pub async fn count(pool: &DbPool, sql: &str) -> i64 {
    #[derive(QueryableByName)]
    struct Count {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        count: i64,
    }
    let mut conn = pool.get().await.expect("connection");
    let rows: Vec<Count> = diesel::sql_query(sql).load(&mut conn).await.expect(sql);
    rows[0].count
}

pub fn delegate(n: usize, country: &str) -> serde_json::Value {
    serde_json::json!({
        "given_name": format!("Délégué·e {n}"),
        "family_name": "Traoré",
        "email": format!("delegate{n}@example.org"),
        "country": country,
        "organisation": "Réseau",
        "language": "fr",
    })
}

impl TestApp {
    pub async fn register(&self, slug: &str, body: &serde_json::Value) -> reqwest::Response {
        self.client
            .post(self.url(&format!("/api/v1/events/{slug}/registrations")))
            .json(body)
            .send()
            .await
            .expect("request")
    }
}

impl TestApp {
    /// A JSON request to the API, with an organiser's token if given: its
    /// status and its JSON answer (null when it has none).
    pub async fn send(
        &self,
        method: reqwest::Method,
        token: Option<&str>,
        path: &str,
        body: Option<serde_json::Value>,
    ) -> (u16, serde_json::Value) {
        let mut request = self.client.request(method, self.url(path));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.expect("request");
        let status = response.status().as_u16();
        (status, response.json().await.unwrap_or_default())
    }

    /// `PUT /api/v1/registrations/{token}/answers` with these answers.
    pub async fn put_answers(
        &self,
        token: &str,
        answers: serde_json::Value,
    ) -> (u16, serde_json::Value) {
        let path = format!("/api/v1/registrations/{token}/answers");
        let body = serde_json::json!({"answers": answers});
        self.send(reqwest::Method::PUT, None, &path, Some(body))
            .await
    }

    /// Registers `body` for `lima-1997` (a 201): the registration's id and
    /// its private token.
    pub async fn registered(&self, body: &serde_json::Value) -> (String, String) {
        let answer = self.register("lima-1997", body).await;
        assert_eq!(answer.status(), 201);
        let created: serde_json::Value = answer.json().await.expect("json");
        let token = created["manage_url"]
            .as_str()
            .and_then(|url| url.rsplit('/').next())
            .expect("a private link")
            .to_owned();
        (created["id"].as_str().expect("id").to_owned(), token)
    }
}

/// A mail worker running against the test database, sending over SMTP.
pub struct RunningWorker {
    stop: tokio::sync::watch::Sender<bool>,
    task: tokio::task::JoinHandle<()>,
}

impl RunningWorker {
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        let _ = self.task.await;
    }
}

impl TestApp {
    pub fn mail_settings(&self, smtp_port: u16) -> rencontre::config::MailSettings {
        let mut settings = test_settings(&self.db.url).mail;
        settings.transport = rencontre::config::MailTransportKind::Smtp;
        settings.smtp_port = smtp_port;
        settings
    }

    pub fn start_worker(&self, mail: &rencontre::config::MailSettings) -> RunningWorker {
        let worker =
            rencontre::mail::Worker::new(self.pool.clone(), &self.db.url, mail).expect("worker");
        let (stop, stopped) = tokio::sync::watch::channel(false);
        RunningWorker {
            stop,
            task: tokio::spawn(worker.run(stopped)),
        }
    }
}

impl TestApp {
    /// A new organiser with this role and an API token for them: `admin`
    /// is the platform admin; any other role is held on every event that
    /// exists now (create the events first).
    pub async fn organiser_token(&self, role: &str) -> String {
        let organiser = self.organiser_with_role(role, "Fatou", None).await;
        self.token_for(organiser, TokenScope::default()).await
    }

    /// A new account (`admin`, else one holding `role` on every event that
    /// exists now), with this password if any.
    pub async fn organiser_with_role(
        &self,
        role: &str,
        name: &str,
        password_hash: Option<&str>,
    ) -> rencontre::db::organisers::Organiser {
        use rencontre::domain::{EventRole, Vocabulary};
        let mut conn = self.pool.get().await.expect("connection");
        let email = format!("{role}-{}@example.org", uuid::Uuid::new_v4().simple());
        let account = if role == "admin" {
            "admin"
        } else {
            "organiser"
        };
        let organiser = organisers::insert(&mut conn, &email, name, account, password_hash)
            .await
            .expect("organiser");
        if let Some(role) = EventRole::from_stored(role) {
            for event in rencontre::db::admin::visible_events(&mut conn, None)
                .await
                .expect("events")
            {
                organisers::grant_role(&mut conn, organiser.id, event.id, role)
                    .await
                    .expect("grant");
            }
        }
        organiser
    }

    /// A new API token of this account, with this scope.
    pub async fn token_for(
        &self,
        organiser: rencontre::db::organisers::Organiser,
        scope: TokenScope,
    ) -> String {
        use rencontre::domain::secret;
        let mut conn = self.pool.get().await.expect("connection");
        let token = secret::random_token(24);
        organisers::insert_api_token(
            &mut conn,
            organiser.id,
            &secret::sha256(&token),
            "test",
            None,
            scope,
        )
        .await
        .expect("token");
        token
    }
}

/// The value of a page's hidden CSRF field.
pub fn csrf_of(page: &str) -> String {
    let marker = r#"name="csrf_token" value=""#;
    let start = page.find(marker).expect("a csrf_token field") + marker.len();
    let length = page[start..].find('"').expect("end of the value");
    page[start..start + length].to_owned()
}

/// Moves the event `slug` into the past and runs `rencontre anonymise`'s
/// use case on it.
pub async fn anonymise_after_it_ended(pool: &DbPool, slug: &str) {
    let mut conn = pool.get().await.expect("connection");
    diesel::sql_query(
        "UPDATE events SET starts_on = current_date - 10, ends_on = current_date - 7",
    )
    .execute(&mut conn)
    .await
    .expect("the event ended");
    let event = rencontre::db::events::find_by_slug(&mut conn, slug)
        .await
        .expect("read")
        .expect("the event");
    rencontre::registration::anonymise::anonymise(&mut conn, &event, chrono::Utc::now())
        .await
        .expect("anonymised");
}
