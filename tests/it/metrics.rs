//! The metrics of a real `rencontre serve`, scraped from their own listener
//! (`http.metrics_bind`) and parsed as Prometheus parses them.

use std::collections::BTreeSet;
use std::time::Duration;

use openmetrics_parser::prometheus::parse_prometheus;
use openmetrics_parser::{MetricsExposition, PrometheusType, PrometheusValue};
use serde_json::Value as Json;

use crate::faults::Server;
use crate::smtp::{Behaviour, SmtpSink, free_port};
use crate::support::{EventSpec, TestDb, count, create_event, delegate, test_settings};

/// The scrape parsed by a grammar of the text format (a line it cannot
/// read fails the test), and its text.
struct Scraped {
    text: String,
    parsed: MetricsExposition<PrometheusType, PrometheusValue>,
}

impl Scraped {
    async fn from(client: &reqwest::Client, url: &str) -> Scraped {
        let answer = client.get(url).send().await.expect("scrape");
        assert_eq!(answer.status(), 200);
        let content_type = answer.headers()["content-type"]
            .to_str()
            .expect("ascii")
            .to_owned();
        assert!(
            content_type.starts_with("text/plain; version=0.0.4"),
            "{content_type}"
        );
        let text = answer.text().await.expect("body");
        let parsed = parse_prometheus(&text)
            .unwrap_or_else(|error| panic!("the scrape does not parse ({error:?}):\n{text}"));
        Scraped { text, parsed }
    }

    /// The values of `family`'s series that carry every label of `labels`.
    fn matching<'a>(
        &'a self,
        family: &str,
        labels: &'a [(&str, &str)],
    ) -> impl Iterator<Item = &'a PrometheusValue> + 'a {
        self.parsed
            .families
            .get(family)
            .into_iter()
            .flat_map(|family| family.iter_samples())
            .filter(move |sample| {
                let set = sample.get_labelset().expect("labels");
                labels
                    .iter()
                    .all(|(name, value)| set.get_label_value(name) == Some(value))
            })
            .map(|sample| &sample.value)
    }

    /// A counter's or gauge's value, summed over the matching series (0
    /// for a series not yet made).
    fn value(&self, family: &str, labels: &[(&str, &str)]) -> f64 {
        self.matching(family, labels)
            .map(|value| match value {
                PrometheusValue::Counter(counter) => counter.value.as_f64(),
                PrometheusValue::Gauge(value) | PrometheusValue::Unknown(value) => value.as_f64(),
                PrometheusValue::Histogram(_) | PrometheusValue::Summary(_) => {
                    panic!("{family} is not a single value")
                }
            })
            .sum()
    }

    /// A histogram's observations (count) and their sum, over the
    /// matching series.
    fn observed(&self, family: &str, labels: &[(&str, &str)]) -> (f64, f64) {
        self.matching(family, labels)
            .map(|value| match value {
                PrometheusValue::Histogram(histogram) => (
                    histogram.count.unwrap_or_default() as f64,
                    histogram.sum.as_ref().map_or(0.0, |sum| sum.as_f64()),
                ),
                other => panic!("{family} is not a histogram: {other:?}"),
            })
            .fold((0.0, 0.0), |(count, sum), (more, added)| {
                (count + more, sum + added)
            })
    }

    fn routes(&self) -> BTreeSet<String> {
        self.parsed
            .families
            .values()
            .flat_map(|family| family.iter_samples())
            .filter_map(|sample| {
                let set = sample.get_labelset().expect("labels");
                set.get_label_value("route").map(str::to_owned)
            })
            .collect()
    }
}

async fn wait_for(
    client: &reqwest::Client,
    url: &str,
    what: &str,
    done: impl Fn(&Scraped) -> bool,
) -> Scraped {
    for _ in 0..200 {
        let scraped = Scraped::from(client, url).await;
        if done(&scraped) {
            return scraped;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the metrics never showed {what}");
}

#[tokio::test]
async fn metrics_are_served_only_on_their_own_listener_and_count_what_happened() {
    let db = TestDb::migrated().await;
    let pool = rencontre::db::build_pool(&test_settings(&db.url).database).expect("pool");
    create_event(&pool, EventSpec::default()).await;
    let sink = SmtpSink::start(Behaviour {
        refuse_recipients_containing: Some("refused".into()),
        ..Behaviour::default()
    })
    .await;
    let metrics_port = free_port();
    let server = Server::start(
        &db.url,
        &[
            (
                "RENCONTRE__HTTP__METRICS_BIND",
                format!("127.0.0.1:{metrics_port}"),
            ),
            ("RENCONTRE__HTTP__EVENT_CACHE_MS", "60000".into()),
            ("RENCONTRE__MAIL__TRANSPORT", "smtp".into()),
            ("RENCONTRE__MAIL__SMTP_PORT", sink.port.to_string()),
        ],
        &[],
    )
    .await;
    let client = reqwest::Client::new();
    let metrics = format!("http://127.0.0.1:{metrics_port}/metrics");
    let api = |path: &str| format!("{}/api/v1/events/lima-1997{path}", server.address);
    // Once it listens for event changes, nothing drops the copy unasked.
    let before = wait_for(&client, &metrics, "the listener", |scraped| {
        scraped.value("rencontre_event_changes_listening", &[]) == 1.0
    })
    .await;

    // The public port has no /metrics, nor under another spelling; the
    // metrics port has nothing else.
    for path in ["/metrics", "/%6detrics", "/metrics/", "/api/v1/metrics"] {
        let status = client
            .get(format!("{}{path}", server.address))
            .send()
            .await
            .expect("request")
            .status();
        assert_eq!(status, 404, "{path} on the public port");
    }
    let status = client
        .get(format!("http://127.0.0.1:{metrics_port}/"))
        .send()
        .await
        .expect("request")
        .status();
    assert_eq!(status, 404);

    // The event read twice: from the database, then from the copy.
    for _ in 0..2 {
        let status = client.get(api("")).send().await.expect("read").status();
        assert_eq!(status, 200);
    }
    let register = |body: Json| {
        let client = client.clone();
        let url = api("/registrations");
        async move { client.post(url).json(&body).send().await.expect("register") }
    };
    let first = register(delegate(1, "SN")).await;
    assert_eq!(first.status(), 201);
    let first: Json = first.json().await.expect("json");
    assert_eq!(register(delegate(1, "SN")).await.status(), 409);
    let mut refused = delegate(2, "ML");
    refused["email"] = "refused@example.org".into();
    assert_eq!(register(refused).await.status(), 201);
    let private = first["manage_url"].as_str().expect("manage_url").to_owned();
    let token = private.rsplit('/').next().expect("token").to_owned();
    assert_eq!(
        client.get(&private).send().await.expect("page").status(),
        200
    );
    let stranger = uuid::Uuid::new_v4().simple().to_string();
    let status = client
        .get(format!("{}/nowhere/{stranger}", server.address))
        .send()
        .await
        .expect("request")
        .status();
    assert_eq!(status, 404);
    let brew = reqwest::Method::from_bytes(b"BREW").expect("method");
    let status = client
        .request(brew, api(""))
        .send()
        .await
        .expect("request")
        .status();
    assert!(status.is_client_error(), "{status}");

    // One email a server accepted, one it refused for good.
    assert_eq!(sink.wait_for(1, Duration::from_secs(20)).await.len(), 1);
    let failures = [("reason", "refused"), ("outcome", "given_up")];
    wait_for(&client, &metrics, "the refused email", |scraped| {
        scraped.value("rencontre_email_failures_total", &failures) >= 1.0
    })
    .await;
    // An email due in an hour, queued 90 s ago.
    let mut conn = db.connect().await;
    diesel_async::RunQueryDsl::execute(
        diesel::sql_query(
            "INSERT INTO email_outbox (id, event_id, kind, recipient, language, subject, \
                                       body_text, body_html, next_attempt_at, created_at) \
             SELECT gen_random_uuid(), id, 'confirmation', 'later@example.org', 'fr', 's', 'b', \
                    'h', now() + interval '1 hour', now() - interval '90 seconds' FROM events",
        ),
        &mut conn,
    )
    .await
    .expect("queue an email");
    let after = Scraped::from(&client, &metrics).await;
    let moved = |metric: &str, labels: &[(&str, &str)]| {
        after.value(metric, labels) - before.value(metric, labels)
    };

    let registrations = "rencontre_registrations_total";
    assert_eq!(moved(registrations, &[("outcome", "confirmed")]), 2.0);
    assert_eq!(moved(registrations, &[("outcome", "duplicate")]), 1.0);
    let observed = |metric: &str, labels: &[(&str, &str)]| {
        let (count, sum) = after.observed(metric, labels);
        let (earlier, earlier_sum) = before.observed(metric, labels);
        (count - earlier, sum - earlier_sum)
    };
    let requests =
        |labels: &[(&str, &str)]| observed("rencontre_http_request_duration_seconds", labels).0;
    let registration_route = ("route", "/api/v1/events/{slug}/registrations");
    let posted = |status| [registration_route, ("method", "POST"), ("status", status)];
    assert_eq!(requests(&posted("201")), 2.0);
    assert_eq!(requests(&posted("409")), 1.0);
    let private_route = [
        ("route", "/r/{token}"),
        ("method", "GET"),
        ("status", "200"),
    ];
    assert_eq!(requests(&private_route), 1.0);
    let unrouted = [
        ("route", "(no route)"),
        ("method", "GET"),
        ("status", "404"),
    ];
    assert!(requests(&unrouted) >= 1.0);
    assert_eq!(requests(&[("method", "other")]), 1.0);
    // Patterns, never paths: no token, no slug, nothing a client made up.
    for secret in [token.as_str(), stranger.as_str(), "lima-1997", "BREW"] {
        assert!(!after.text.contains(secret), "{secret} in the metrics");
    }
    for route in after.routes() {
        assert!(
            (route.starts_with('/') && !route.contains("lima")) || route == "(no route)",
            "{route}"
        );
    }

    // Each registration was settled in exactly one batch.
    let (batches, registered) = observed("rencontre_registration_batch_size", &[]);
    assert_eq!(registered, 3.0);
    assert!((1.0..=3.0).contains(&batches), "{batches} batches");
    let timed = observed("rencontre_registration_batch_duration_seconds", &[]);
    assert_eq!(timed.0, batches);
    assert!(timed.1 > 0.0);
    assert!(observed("rencontre_db_pool_wait_seconds", &[]).0 >= batches);

    // The event's copy: read from the database once, then from memory
    // (the second read and the three registrations).
    let copies = "rencontre_event_copies_total";
    assert_eq!(moved(copies, &[("outcome", "miss")]), 1.0);
    assert_eq!(moved(copies, &[("outcome", "hit")]), 4.0);
    assert_eq!(after.value("rencontre_event_changes_listening", &[]), 1.0);

    assert_eq!(
        moved("rencontre_emails_sent_total", &[("kind", "confirmation")]),
        1.0
    );
    assert_eq!(moved("rencontre_email_failures_total", &failures), 1.0);
    assert_eq!(after.value("rencontre_outbox_pending", &[]), 1.0);
    assert_eq!(after.value("rencontre_outbox_failed", &[]), 1.0);
    let age = after.value("rencontre_outbox_oldest_pending_age_seconds", &[]);
    assert!(
        (90.0..120.0).contains(&age),
        "oldest pending email: {age} s"
    );
    assert_eq!(
        count(
            &pool,
            "SELECT count(*) AS count FROM email_outbox WHERE status = 'failed'"
        )
        .await,
        1
    );
    assert_eq!(after.value("rencontre_db_pool_max_size", &[]), 8.0);
    assert_eq!(after.value("rencontre_db_pool_waiting", &[]), 0.0);

    // Every family says what it measures.
    for family in after.parsed.families.values() {
        assert!(
            !family.help.is_empty(),
            "{} has no HELP line",
            family.family_name
        );
    }
}

#[tokio::test]
async fn without_a_metrics_bind_nothing_listens_for_metrics() {
    let db = TestDb::migrated().await;
    let server = Server::start(&db.url, &[], &["--no-worker"]).await;
    let status = reqwest::get(format!("{}/metrics", server.address))
        .await
        .expect("request")
        .status();
    assert_eq!(status, 404);
    let same_port = crate::support::rencontre(&db.url)
        .args(["serve", "--no-worker"])
        .env("RENCONTRE__HTTP__BIND", "127.0.0.1:18080")
        .env("RENCONTRE__HTTP__METRICS_BIND", "127.0.0.1:18080")
        .output()
        .expect("run serve");
    assert_eq!(same_port.status.code(), Some(2));
    let said = String::from_utf8_lossy(&same_port.stderr);
    assert!(said.contains("http.metrics_bind"), "{said}");
}
