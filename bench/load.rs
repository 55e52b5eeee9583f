//! The load generator of `make bench`: bench/run.sh drives it, and
//! BENCHMARKS.md shows what it measured.
//!
//! ```text
//! bench setup      create a benchmark event through the organiser API
//! bench register   N registration attempts from C concurrent clients,
//!                  optionally with readers of the public event alongside
//! bench read       public reads only
//! bench smtp-sink  a local SMTP server that counts what it receives
//! bench backoffice organisers' pages of a large event, alone or during a rush
//! bench report     turn a run's results into BENCHMARKS.md
//! ```
//!
//! Every target is on the loopback interface, and every loop is bounded in
//! requests and in time. Latencies go into HDR histograms (microseconds,
//! three significant digits), one per client, merged at the end.

mod backoffice;
mod report;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use chrono::{Days, NaiveTime, Utc};
use clap::{Args, Parser, Subcommand};
use hdrhistogram::Histogram;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::{Value, json};

#[derive(Parser)]
#[command(name = "bench", about = "Load generator for `make bench`")]
struct Cli {
    /// Threads of the load generator's own runtime: the machine has two
    /// cores, shared with the server and PostgreSQL.
    #[arg(long, default_value_t = 1, global = true)]
    threads: usize,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    Setup(SetupArgs),
    Register(RegisterArgs),
    Read(ReadArgs),
    SmtpSink(SinkArgs),
    Backoffice(backoffice::BackOfficeArgs),
    Report(report::ReportArgs),
}

#[derive(Args)]
struct SetupArgs {
    #[arg(long)]
    base: String,
    /// An organiser's API token.
    #[arg(long, env = "BENCH_TOKEN", hide_env_values = true)]
    token: String,
    #[arg(long)]
    slug: String,
    /// `rush`: 60 countries, 3 of them popular, an event capacity of 1,500;
    /// `hot`: one country quota of 5,000 and no event capacity.
    #[arg(long, value_parser = ["rush", "hot"])]
    layout: String,
}

#[derive(Args)]
struct RegisterArgs {
    #[arg(long)]
    base: String,
    #[arg(long)]
    slug: String,
    #[arg(long, default_value_t = 64)]
    clients: usize,
    /// Registration attempts in all.
    #[arg(long)]
    requests: u64,
    /// Stop after this long even if attempts are left.
    #[arg(long, default_value_t = 300)]
    max_seconds: u64,
    /// The countries with the largest quotas that draw `hot_share` of the traffic.
    #[arg(long, default_value_t = 3)]
    hot_countries: usize,
    #[arg(long, default_value_t = 0.3)]
    hot_share: f64,
    #[arg(long, default_value_t = 2)]
    min_sessions: usize,
    #[arg(long, default_value_t = 3)]
    max_sessions: usize,
    /// Makes this run's email addresses unique.
    #[arg(long)]
    tag: String,
    /// Readers of the public event running while the registrations do.
    #[arg(long, default_value_t = 0)]
    readers: usize,
    /// Paths the readers GET in turn (e.g. /api/v1/events/SLUG).
    #[arg(long)]
    read_path: Vec<String>,
    #[arg(long, default_value_t = 2_000_000)]
    read_requests: u64,
    #[arg(long, default_value_t = 1)]
    seed: u64,
    #[arg(long)]
    out: PathBuf,
}

#[derive(Args)]
struct ReadArgs {
    #[arg(long)]
    base: String,
    #[arg(long, default_value_t = 64)]
    clients: usize,
    #[arg(long)]
    read_path: Vec<String>,
    #[arg(long)]
    requests: u64,
    #[arg(long, default_value_t = 60)]
    max_seconds: u64,
    #[arg(long)]
    out: PathBuf,
}

#[derive(Args)]
struct SinkArgs {
    #[arg(long)]
    port: u16,
    /// Messages to wait for before writing the result and stopping.
    #[arg(long)]
    expect: u64,
    #[arg(long, default_value_t = 300)]
    max_seconds: u64,
    #[arg(long)]
    out: PathBuf,
}

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(cli.threads.max(1))
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        match cli.command {
            Command::Setup(args) => setup(args).await,
            Command::Register(args) => register(args).await,
            Command::Read(args) => read(args).await,
            Command::SmtpSink(args) => smtp_sink(args).await,
            Command::Backoffice(args) => backoffice::run(args).await,
            Command::Report(args) => report::write(&args),
        }
    })
}

/// Refuses any target but this machine's loopback interface.
fn loopback_base(base: &str) -> anyhow::Result<String> {
    let url = reqwest::Url::parse(base).with_context(|| format!("`{base}` is not a URL"))?;
    let host = url.host_str().unwrap_or_default();
    let loopback = host == "localhost"
        || host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback());
    if url.scheme() != "http" || !loopback {
        bail!(
            "the benchmark only talks plain HTTP to this machine's loopback interface, not to `{base}`"
        );
    }
    Ok(base.trim_end_matches('/').to_owned())
}

fn http_client(connections: usize) -> anyhow::Result<reqwest::Client> {
    Ok(reqwest::Client::builder()
        .pool_max_idle_per_host(connections)
        .tcp_nodelay(true)
        .timeout(Duration::from_secs(30))
        .build()?)
}

// ---------------------------------------------------------------- setup ----

/// Sixty delegations; the first three are the popular ones of the rush.
const COUNTRIES: [&str; 60] = [
    "SN", "ML", "FR", "BF", "CI", "GN", "NE", "MR", "GM", "GW", "CV", "TG", "BJ", "GH", "NG", "CM",
    "TD", "CF", "GA", "CG", "CD", "AO", "MZ", "ZA", "ZW", "ZM", "KE", "TZ", "UG", "RW", "BI", "ET",
    "MG", "MA", "DZ", "TN", "EG", "LB", "PS", "IN", "BD", "PK", "NP", "LK", "PH", "ID", "TH", "VN",
    "MX", "GT", "HN", "NI", "CU", "HT", "CO", "PE", "BO", "EC", "AR", "CL",
];
/// Five time slots of four parallel sessions: twenty sessions.
const SLOT_HOURS: [(u64, u32); 5] = [(0, 9), (0, 11), (0, 14), (0, 16), (1, 9)];
const ROOMS: [char; 4] = ['A', 'B', 'C', 'D'];
const SESSION_CAPACITY: i32 = 250;

struct Layout {
    capacity: Option<i32>,
    prefix: &'static str,
    quotas: Vec<(&'static str, i32)>,
}

fn layout(name: &str) -> Layout {
    match name {
        // The size of README's meeting: 1,500 places, and more country
        // places than that (3 × 150 + 57 × 25 = 1,875), so the event sells
        // out before its popular countries do.
        "rush" => Layout {
            capacity: Some(1_500),
            prefix: "RUSH",
            quotas: COUNTRIES
                .iter()
                .enumerate()
                .map(|(index, code)| (*code, if index < 3 { 150 } else { 25 }))
                .collect(),
        },
        _ => Layout {
            capacity: None,
            prefix: "HOT",
            quotas: vec![("SN", 5_000)],
        },
    }
}

async fn setup(args: SetupArgs) -> anyhow::Result<()> {
    let base = loopback_base(&args.base)?;
    let client = http_client(4)?;
    let layout = layout(&args.layout);
    let now = Utc::now();
    let first_day = now.date_naive() + Days::new(60);
    let call = |method: reqwest::Method, path: String, body: Value| {
        let request = client
            .request(method, format!("{base}{path}"))
            .bearer_auth(&args.token)
            .json(&body);
        async move {
            let response = request.send().await?;
            let status = response.status();
            if !status.is_success() {
                bail!(
                    "{path}: {status}: {}",
                    response.text().await.unwrap_or_default()
                );
            }
            Ok(())
        }
    };
    call(
        reqwest::Method::POST,
        "/api/v1/events".into(),
        json!({
            "slug": args.slug,
            "name": format!("Rencontre benchmark ({})", args.layout),
            "starts_on": first_day,
            "ends_on": first_day + Days::new(3),
            "timezone": "Africa/Dakar",
            "languages": ["fr", "en", "es", "pt"],
            "registration_opens_at": now - chrono::Duration::hours(1),
            "registration_closes_at": now + chrono::Duration::days(30),
            "capacity": layout.capacity,
            "default_country_capacity": null,
            "reference_prefix": layout.prefix,
        }),
    )
    .await?;
    for (code, capacity) in &layout.quotas {
        call(
            reqwest::Method::PUT,
            format!("/api/v1/events/{}/countries/{code}", args.slug),
            json!({ "capacity": capacity }),
        )
        .await?;
    }
    for (slot, (day, hour)) in SLOT_HOURS.iter().enumerate() {
        let starts = (first_day + Days::new(*day))
            .and_time(NaiveTime::from_hms_opt(*hour, 0, 0).context("slot hour")?)
            .and_utc();
        for room in ROOMS {
            call(
                reqwest::Method::POST,
                format!("/api/v1/events/{}/sessions", args.slug),
                json!({
                    "code": format!("S{}{room}", slot + 1),
                    "title": format!("Atelier {}{room}", slot + 1),
                    "kind": "workshop",
                    "room": format!("Salle {room}"),
                    "starts_at": starts,
                    "ends_at": starts + chrono::Duration::minutes(90),
                    "capacity": SESSION_CAPACITY,
                }),
            )
            .await?;
        }
    }
    // One line describing the layout, which the report quotes.
    let mut sizes: Vec<(i32, usize)> = Vec::new();
    for (_, capacity) in &layout.quotas {
        match sizes.iter_mut().find(|(size, _)| size == capacity) {
            Some((_, count)) => *count += 1,
            None => sizes.push((*capacity, 1)),
        }
    }
    println!(
        "capacity {}; {} country quota(s): {}; {} sessions of {SESSION_CAPACITY} seats in {} time slots",
        layout
            .capacity
            .map_or("unlimited".to_owned(), |capacity| capacity.to_string()),
        layout.quotas.len(),
        sizes
            .iter()
            .map(|(size, count)| format!("{count} × {size}"))
            .collect::<Vec<_>>()
            .join(" + "),
        SLOT_HOURS.len() * ROOMS.len(),
        SLOT_HOURS.len(),
    );
    Ok(())
}

// -------------------------------------------------------------- tallies ----

fn histogram() -> Histogram<u64> {
    // 1 µs to 2 minutes, three significant digits.
    Histogram::new_with_bounds(1, 120_000_000, 3).expect("valid histogram bounds")
}

/// What one client saw: latencies by outcome, completions per second.
struct Tally {
    all: Histogram<u64>,
    by_outcome: BTreeMap<String, Histogram<u64>>,
    per_second: Vec<BTreeMap<String, u64>>,
}

impl Tally {
    fn new() -> Tally {
        Tally {
            all: histogram(),
            by_outcome: BTreeMap::new(),
            per_second: Vec::new(),
        }
    }

    fn record(&mut self, outcome: &str, micros: u64, second: usize) {
        let micros = micros.max(1);
        self.all.saturating_record(micros);
        self.by_outcome
            .entry(outcome.to_owned())
            .or_insert_with(histogram)
            .saturating_record(micros);
        if self.per_second.len() <= second {
            self.per_second.resize_with(second + 1, BTreeMap::new);
        }
        *self.per_second[second]
            .entry(outcome.to_owned())
            .or_default() += 1;
    }

    fn merge(&mut self, other: Tally) {
        let _ = self.all.add(&other.all);
        for (outcome, histogram) in other.by_outcome {
            let _ = self
                .by_outcome
                .entry(outcome)
                .or_insert_with(self::histogram)
                .add(&histogram);
        }
        if self.per_second.len() < other.per_second.len() {
            self.per_second
                .resize_with(other.per_second.len(), BTreeMap::new);
        }
        for (second, counts) in other.per_second.into_iter().enumerate() {
            for (outcome, count) in counts {
                *self.per_second[second].entry(outcome).or_default() += count;
            }
        }
    }

    /// `ok` names the outcomes that count as successes; any other is an error.
    fn to_json(&self, elapsed: Duration, ok: &[&str]) -> Value {
        let successes: u64 = self
            .by_outcome
            .iter()
            .filter(|(outcome, _)| ok.contains(&outcome.as_str()))
            .map(|(_, histogram)| histogram.len())
            .sum();
        let errors: BTreeMap<&String, u64> = self
            .by_outcome
            .iter()
            .filter(|(outcome, _)| !ok.contains(&outcome.as_str()))
            .map(|(outcome, histogram)| (outcome, histogram.len()))
            .collect();
        let seconds = elapsed.as_secs_f64();
        json!({
            "requests": self.all.len(),
            "successes": successes,
            "errors": errors,
            "elapsed_s": seconds,
            "throughput": successes as f64 / seconds.max(1e-9),
            "latency": summary(&self.all),
            "by_outcome": self.by_outcome.iter()
                .map(|(outcome, histogram)| (outcome.clone(), summary(histogram)))
                .collect::<BTreeMap<_, _>>(),
            "per_second": self.per_second,
        })
    }
}

fn summary(histogram: &Histogram<u64>) -> Value {
    let ms = |micros: u64| micros as f64 / 1000.0;
    json!({
        "count": histogram.len(),
        "mean_ms": histogram.mean() / 1000.0,
        "p50_ms": ms(histogram.value_at_quantile(0.50)),
        "p95_ms": ms(histogram.value_at_quantile(0.95)),
        "p99_ms": ms(histogram.value_at_quantile(0.99)),
        "max_ms": ms(histogram.max()),
    })
}

/// CPU seconds this process has used (user + system), from /proc.
fn own_cpu_seconds() -> f64 {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else {
        return 0.0;
    };
    // The fields after the command name, which is in parentheses.
    let Some((_, rest)) = stat.rsplit_once(')') else {
        return 0.0;
    };
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |index: usize| fields.get(index).and_then(|f| f.parse::<f64>().ok());
    // utime and stime are fields 14 and 15 of the whole line; USER_HZ is 100.
    match (ticks(11), ticks(12)) {
        (Some(user), Some(system)) => (user + system) / 100.0,
        _ => 0.0,
    }
}

// ------------------------------------------------------------- register ----

const GIVEN_NAMES: [&str; 12] = [
    "Aminata",
    "Moussa",
    "Fatou",
    "Ibrahima",
    "Marie-Claire",
    "João",
    "Lucía",
    "Nguyễn Thị",
    "Αλέξανδρος",
    "Аня",
    "عائشة",
    "Kwame",
];
const FAMILY_NAMES: [&str; 10] = [
    "Traoré",
    "Diop",
    "Ndiaye",
    "Sow",
    "da Silva",
    "García Márquez",
    "Ouédraogo",
    "Mensah",
    "Koné",
    "Ba",
];
const ORGANISATIONS: [&str; 6] = [
    "Via Campesina",
    "Marche mondiale des femmes",
    "ATTAC",
    "Réseau des organisations paysannes",
    "Sindicato de trabajadores rurales",
    "",
];

/// What the event offers, as the public API shows it.
struct Offer {
    /// Hot countries first: sorted by quota, largest first, then by code.
    countries: Vec<String>,
    /// Session codes grouped by start time, in time order.
    slots: Vec<Vec<String>>,
    languages: Vec<String>,
}

async fn offer(client: &reqwest::Client, base: &str, slug: &str) -> anyhow::Result<Offer> {
    let event: Value = client
        .get(format!("{base}/api/v1/events/{slug}"))
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    let mut countries: Vec<(i64, String)> = event["countries"]
        .as_array()
        .context("countries")?
        .iter()
        .filter_map(|country| {
            Some((
                country["capacity"].as_i64().unwrap_or(i64::MAX),
                country["code"].as_str()?.trim().to_owned(),
            ))
        })
        .collect();
    countries.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let mut slots: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for session in event["sessions"].as_array().context("sessions")? {
        slots
            .entry(session["starts_at"].as_str().unwrap_or_default().to_owned())
            .or_default()
            .push(session["code"].as_str().unwrap_or_default().to_owned());
    }
    let languages = event["languages"]
        .as_array()
        .context("languages")?
        .iter()
        .filter_map(|language| language.as_str().map(str::to_owned))
        .collect();
    Ok(Offer {
        countries: countries.into_iter().map(|(_, code)| code).collect(),
        slots: slots.into_values().collect(),
        languages,
    })
}

/// The bodies of every attempt, drawn up front from a fixed seed. The
/// pgbench mirror (bench/pgbench/register.sql) draws the same way: a hot
/// country with probability `hot_share`, 2–3 sessions in consecutive time
/// slots from a random first slot, so no two chosen sessions overlap.
fn bodies(args: &RegisterArgs, offer: &Offer) -> anyhow::Result<Vec<String>> {
    if offer.countries.len() < args.hot_countries || offer.slots.is_empty() {
        bail!("the event has too few countries or no sessions");
    }
    let (hot, rest) = offer.countries.split_at(args.hot_countries);
    let mut rng = StdRng::seed_from_u64(args.seed);
    let most = args.max_sessions.min(offer.slots.len());
    let fewest = args.min_sessions.min(most);
    (0..args.requests)
        .map(|index| {
            let country = if rest.is_empty() || rng.random_bool(args.hot_share) {
                &hot[rng.random_range(0..hot.len())]
            } else {
                &rest[rng.random_range(0..rest.len())]
            };
            let count = rng.random_range(fewest..=most);
            let first = rng.random_range(0..offer.slots.len());
            let sessions: Vec<&String> = (0..count)
                .map(|step| {
                    let slot = &offer.slots[(first + step) % offer.slots.len()];
                    &slot[rng.random_range(0..slot.len())]
                })
                .collect();
            let body = json!({
                "given_name": GIVEN_NAMES[rng.random_range(0..GIVEN_NAMES.len())],
                "family_name": FAMILY_NAMES[rng.random_range(0..FAMILY_NAMES.len())],
                "email": format!("{}-{index}@bench.example.org", args.tag),
                "country": country,
                "organisation": ORGANISATIONS[rng.random_range(0..ORGANISATIONS.len())],
                "language": offer.languages[rng.random_range(0..offer.languages.len())],
                "sessions": sessions,
            });
            Ok(body.to_string())
        })
        .collect()
}

/// How an answer to a registration counts: its status for a 201, the HTTP
/// code and error code otherwise.
async fn registration_outcome(response: reqwest::Result<reqwest::Response>) -> String {
    let response = match response {
        Ok(response) => response,
        Err(error) if error.is_timeout() => return "timeout".into(),
        Err(_) => return "connection error".into(),
    };
    let status = response.status().as_u16();
    let body: Value = match response.bytes().await {
        Ok(bytes) => serde_json::from_slice(&bytes).unwrap_or(Value::Null),
        Err(_) => return format!("{status} body cut"),
    };
    match (status, body["status"].as_str(), body["error"].as_str()) {
        (201, Some(state), _) => state.to_owned(),
        (_, _, Some(code)) => format!("{status} {code}"),
        _ => status.to_string(),
    }
}

struct Readers {
    tally: Tally,
    elapsed: Duration,
}

/// `clients` readers that GET `paths` in turn until `stop`, the request
/// bound or the deadline.
async fn run_readers(
    client: reqwest::Client,
    base: String,
    paths: Vec<String>,
    clients: usize,
    requests: u64,
    deadline: Instant,
    stop: Arc<AtomicBool>,
) -> Readers {
    let next = Arc::new(AtomicU64::new(0));
    let urls: Arc<Vec<(String, String)>> = Arc::new(
        paths
            .iter()
            .map(|path| (path.clone(), format!("{base}{path}")))
            .collect(),
    );
    let started = Instant::now();
    let tasks: Vec<_> = (0..clients)
        .map(|_| {
            let (client, next, urls, stop) =
                (client.clone(), next.clone(), urls.clone(), stop.clone());
            tokio::spawn(async move {
                let mut tally = Tally::new();
                loop {
                    let index = next.fetch_add(1, Ordering::Relaxed);
                    if index >= requests
                        || stop.load(Ordering::Relaxed)
                        || Instant::now() >= deadline
                    {
                        break;
                    }
                    let (path, url) = &urls[index as usize % urls.len()];
                    let sent = Instant::now();
                    let outcome = match client.get(url).send().await {
                        Ok(response) => {
                            let status = response.status().as_u16();
                            match response.bytes().await {
                                Ok(_) if status == 200 => format!("{path} 200"),
                                Ok(_) => format!("{path} {status}"),
                                Err(_) => format!("{path} body cut"),
                            }
                        }
                        Err(error) if error.is_timeout() => format!("{path} timeout"),
                        Err(_) => format!("{path} connection error"),
                    };
                    let micros = sent.elapsed().as_micros() as u64;
                    tally.record(&outcome, micros, started.elapsed().as_secs() as usize);
                }
                tally
            })
        })
        .collect();
    let mut tally = Tally::new();
    for task in tasks {
        if let Ok(part) = task.await {
            tally.merge(part);
        }
    }
    Readers {
        tally,
        elapsed: started.elapsed(),
    }
}

fn read_successes(paths: &[String]) -> Vec<String> {
    paths.iter().map(|path| format!("{path} 200")).collect()
}

async fn register(args: RegisterArgs) -> anyhow::Result<()> {
    let result = rush(&args).await?;
    std::fs::write(&args.out, serde_json::to_vec_pretty(&result)?)?;
    eprintln!(
        "{} attempts in {:.1} s: {:.0}/s, errors {}",
        result["requests"], result["elapsed_s"], result["throughput"], result["errors"]
    );
    Ok(())
}

/// The registration attempts of `args` (and its readers), as a result.
async fn rush(args: &RegisterArgs) -> anyhow::Result<Value> {
    let base = loopback_base(&args.base)?;
    let client = http_client(args.clients + args.readers)?;
    let offer = offer(&client, &base, &args.slug).await?;
    let bodies = Arc::new(bodies(args, &offer)?);
    let url = Arc::new(format!("{base}/api/v1/events/{}/registrations", args.slug));
    let deadline = Instant::now() + Duration::from_secs(args.max_seconds);
    let stop = Arc::new(AtomicBool::new(false));
    let cpu_before = own_cpu_seconds();

    let readers = (args.readers > 0).then(|| {
        tokio::spawn(run_readers(
            client.clone(),
            base.clone(),
            args.read_path.clone(),
            args.readers,
            args.read_requests,
            deadline,
            stop.clone(),
        ))
    });

    let next = Arc::new(AtomicU64::new(0));
    let started = Instant::now();
    let tasks: Vec<_> = (0..args.clients)
        .map(|_| {
            let (client, next, bodies, url) =
                (client.clone(), next.clone(), bodies.clone(), url.clone());
            tokio::spawn(async move {
                let mut tally = Tally::new();
                loop {
                    let index = next.fetch_add(1, Ordering::Relaxed) as usize;
                    if index >= bodies.len() || Instant::now() >= deadline {
                        break;
                    }
                    let sent = Instant::now();
                    let response = client
                        .post(url.as_str())
                        .header(reqwest::header::CONTENT_TYPE, "application/json")
                        .body(bodies[index].clone())
                        .send()
                        .await;
                    let outcome = registration_outcome(response).await;
                    let micros = sent.elapsed().as_micros() as u64;
                    tally.record(&outcome, micros, started.elapsed().as_secs() as usize);
                }
                tally
            })
        })
        .collect();
    let mut tally = Tally::new();
    for task in tasks {
        tally.merge(task.await?);
    }
    let elapsed = started.elapsed();
    stop.store(true, Ordering::Relaxed);

    let mut result = tally.to_json(elapsed, &["confirmed", "waitlisted"]);
    result["kind"] = json!("register");
    result["clients"] = json!(args.clients);
    result["attempts_planned"] = json!(args.requests);
    if let Some(readers) = readers {
        let readers = readers.await?;
        let ok = read_successes(&args.read_path);
        let ok: Vec<&str> = ok.iter().map(String::as_str).collect();
        let mut read = readers.tally.to_json(readers.elapsed, &ok);
        read["clients"] = json!(args.readers);
        read["paths"] = json!(args.read_path);
        result["readers"] = read;
    }
    result["load_cpu_s"] = json!(own_cpu_seconds() - cpu_before);
    Ok(result)
}

async fn read(args: ReadArgs) -> anyhow::Result<()> {
    let base = loopback_base(&args.base)?;
    let client = http_client(args.clients)?;
    let cpu_before = own_cpu_seconds();
    let readers = run_readers(
        client,
        base,
        args.read_path.clone(),
        args.clients,
        args.requests,
        Instant::now() + Duration::from_secs(args.max_seconds),
        Arc::new(AtomicBool::new(false)),
    )
    .await;
    let ok = read_successes(&args.read_path);
    let ok: Vec<&str> = ok.iter().map(String::as_str).collect();
    let mut result = readers.tally.to_json(readers.elapsed, &ok);
    result["kind"] = json!("read");
    result["clients"] = json!(args.clients);
    result["paths"] = json!(args.read_path);
    result["load_cpu_s"] = json!(own_cpu_seconds() - cpu_before);
    std::fs::write(&args.out, serde_json::to_vec_pretty(&result)?)?;
    eprintln!(
        "{} reads in {:.1} s: {:.0}/s, errors {}",
        result["requests"], result["elapsed_s"], result["throughput"], result["errors"]
    );
    Ok(())
}

// ------------------------------------------------------------ smtp sink ----

/// Counts messages as they are accepted (after the final "250").
struct SinkCounts {
    /// From "354 go ahead" to the final dot: the sender's message upload.
    data_phase: std::sync::Mutex<Histogram<u64>>,
    messages: AtomicU64,
    bytes: AtomicU64,
    connections: AtomicU64,
    first_micros: AtomicU64,
    last_micros: AtomicU64,
}

async fn smtp_sink(args: SinkArgs) -> anyhow::Result<()> {
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", args.port))
        .await
        .with_context(|| format!("cannot listen on 127.0.0.1:{}", args.port))?;
    let started = Instant::now();
    let counts = Arc::new(SinkCounts {
        data_phase: std::sync::Mutex::new(histogram()),
        messages: AtomicU64::new(0),
        bytes: AtomicU64::new(0),
        connections: AtomicU64::new(0),
        first_micros: AtomicU64::new(u64::MAX),
        last_micros: AtomicU64::new(0),
    });
    let accepting = {
        let counts = counts.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                counts.connections.fetch_add(1, Ordering::Relaxed);
                let counts = counts.clone();
                tokio::spawn(async move {
                    let _ = smtp_session(stream, &counts, started).await;
                });
            }
        })
    };
    let deadline = started + Duration::from_secs(args.max_seconds);
    while counts.messages.load(Ordering::Relaxed) < args.expect && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let messages = counts.messages.load(Ordering::Relaxed);
    let first = counts.first_micros.load(Ordering::Relaxed);
    let last = counts.last_micros.load(Ordering::Relaxed);
    let span = if messages > 1 {
        (last.saturating_sub(first)) as f64 / 1e6
    } else {
        0.0
    };
    let result = json!({
        "kind": "smtp-sink",
        "messages": messages,
        "expected": args.expect,
        "bytes": counts.bytes.load(Ordering::Relaxed),
        "connections": counts.connections.load(Ordering::Relaxed),
        "first_to_last_s": span,
        "rate_first_to_last": if span > 0.0 { (messages - 1) as f64 / span } else { 0.0 },
        "data_phase": summary(&counts.data_phase.lock().map(|h| h.clone()).unwrap_or_else(|_| histogram())),
    });
    std::fs::write(&args.out, serde_json::to_vec_pretty(&result)?)?;
    // Keeps answering (a worker may still close its connections politely)
    // until told to stop or the time is up.
    let mut terminate = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())?;
    tokio::select! {
        _ = terminate.recv() => {}
        _ = tokio::signal::ctrl_c() => {}
        () = tokio::time::sleep_until(deadline.into()) => {}
    }
    accepting.abort();
    Ok(())
}

/// Enough of RFC 5321 for lettre's pooled client, as in tests/it/smtp.rs:
/// EHLO, MAIL, RCPT, DATA, RSET, NOOP, QUIT. Keeps counts, not messages.
async fn smtp_session(
    stream: tokio::net::TcpStream,
    counts: &SinkCounts,
    started: Instant,
) -> std::io::Result<()> {
    use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
    stream.set_nodelay(true)?;
    let (read, mut write) = stream.into_split();
    let mut lines = BufReader::new(read);
    write.write_all(b"220 sink.bench ESMTP ready\r\n").await?;
    let mut line = String::new();
    loop {
        line.clear();
        if lines.read_line(&mut line).await? == 0 {
            return Ok(());
        }
        let verb = line.get(..4).unwrap_or("").to_ascii_uppercase();
        let reply: &[u8] = match verb.as_str() {
            "EHLO" => b"250-sink.bench\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n",
            "HELO" => b"250 sink.bench\r\n",
            "MAIL" | "RSET" | "NOOP" => b"250 2.0.0 ok\r\n",
            "RCPT" => b"250 2.1.5 ok\r\n",
            "DATA" => {
                write.write_all(b"354 go ahead\r\n").await?;
                let data_started = Instant::now();
                let mut size = 0u64;
                loop {
                    line.clear();
                    if lines.read_line(&mut line).await? == 0 {
                        return Ok(());
                    }
                    if line == ".\r\n" {
                        break;
                    }
                    size += line.len() as u64;
                }
                let upload = data_started.elapsed().as_micros() as u64;
                if let Ok(mut histogram) = counts.data_phase.lock() {
                    histogram.saturating_record(upload.max(1));
                }
                write.write_all(b"250 2.0.0 queued\r\n").await?;
                // Counted once acknowledged, as the sender sees it.
                let now = started.elapsed().as_micros() as u64;
                counts.first_micros.fetch_min(now, Ordering::Relaxed);
                counts.last_micros.fetch_max(now, Ordering::Relaxed);
                counts.bytes.fetch_add(size, Ordering::Relaxed);
                counts.messages.fetch_add(1, Ordering::Relaxed);
                continue;
            }
            "QUIT" => {
                write.write_all(b"221 2.0.0 bye\r\n").await?;
                return Ok(());
            }
            _ => b"502 5.5.2 not implemented\r\n",
        };
        write.write_all(reply).await?;
    }
}
