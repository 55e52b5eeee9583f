//! `bench backoffice`: the organisers' side of a large event. Organisers
//! log in through the login form (its CSRF field included) and keep their
//! session cookie; API calls carry the bench token. Every page of the list
//! is measured alone, or mixed while a rush registers on the same event.
//!
//! Keyset pagination is detected rather than assumed: when an answer
//! carries a `next` cursor (the API's JSON, or an `after=` link in the back
//! office's HTML), the deep pages are also reached by walking the cursors,
//! and the cursor of the deep page is measured like any other page.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use clap::Args;
use hdrhistogram::Histogram;
use serde_json::{Value, json};

use super::{RegisterArgs, histogram, loopback_base, rush, summary};

#[derive(Args)]
pub struct BackOfficeArgs {
    #[arg(long)]
    base: String,
    #[arg(long)]
    slug: String,
    /// An organiser's API token.
    #[arg(long, env = "BENCH_TOKEN", hide_env_values = true)]
    token: String,
    /// The organiser account the back-office sessions log in as.
    #[arg(long)]
    email: String,
    #[arg(long, env = "BENCH_PASSWORD", hide_env_values = true)]
    password: String,
    /// Organisers at work at once, each with a session of its own.
    #[arg(long, default_value_t = 8)]
    organisers: usize,
    /// Requests per page when the pages are measured alone.
    #[arg(long, default_value_t = 24)]
    requests: u64,
    /// CSV exports when measured alone.
    #[arg(long, default_value_t = 4)]
    exports: u64,
    /// The registration whose back-office page is measured.
    #[arg(long)]
    registration: String,
    /// Registration attempts of a rush on the same event while the pages
    /// are measured (0: the pages alone).
    #[arg(long, default_value_t = 0)]
    rush: u64,
    #[arg(long, default_value_t = 64)]
    rush_clients: usize,
    /// Makes the rush's email addresses unique.
    #[arg(long, default_value = "backoffice")]
    tag: String,
    /// The result of an earlier run whose cursor pages are measured again.
    #[arg(long)]
    cursors_from: Option<PathBuf>,
    #[arg(long, default_value_t = 300)]
    max_seconds: u64,
    #[arg(long)]
    out: PathBuf,
}

#[derive(Clone, Copy, PartialEq)]
enum Auth {
    /// The back office's session cookie.
    Session,
    /// The organiser API's bearer token.
    Token,
}

#[derive(Clone)]
struct Page {
    label: String,
    path: String,
    auth: Auth,
}

impl Page {
    fn new(label: &str, path: String, auth: Auth) -> Page {
        Page {
            label: label.to_owned(),
            path,
            auth,
        }
    }
}

/// One organiser: a client with its own cookie jar, logged in.
struct Organiser {
    client: reqwest::Client,
}

async fn log_in(base: &str, email: &str, password: &str) -> anyhow::Result<Organiser> {
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .tcp_nodelay(true)
        .timeout(Duration::from_secs(60))
        .build()?;
    let form = client
        .get(format!("{base}/admin/login"))
        .send()
        .await?
        .error_for_status()?
        .text()
        .await?;
    let csrf = input_value(&form, "csrf_token").context("the login form has no csrf_token")?;
    let answer = client
        .post(format!("{base}/admin/login"))
        .form(&[
            ("csrf_token", csrf.as_str()),
            ("email", email),
            ("password", password),
        ])
        .send()
        .await?;
    if answer.status() != reqwest::StatusCode::SEE_OTHER {
        bail!("logging in answered {}", answer.status());
    }
    // The session must open the back office, not send back to the form.
    let home = client.get(format!("{base}/admin")).send().await?;
    if home.status() != reqwest::StatusCode::OK {
        bail!(
            "the back office answered {} after logging in",
            home.status()
        );
    }
    Ok(Organiser { client })
}

/// The `value` of `<input … name="NAME" … value="…">` in a server-rendered form.
fn input_value(html: &str, name: &str) -> Option<String> {
    let marker = format!("name=\"{name}\"");
    let tag_start = html[..html.find(&marker)?].rfind('<')?;
    let tag = &html[tag_start..tag_start + html[tag_start..].find('>')?];
    let value = tag.split_once("value=\"")?.1;
    Some(unescape(&value[..value.find('"')?]))
}

fn unescape(text: &str) -> String {
    text.replace("&amp;", "&")
        .replace("&quot;", "\"")
        .replace("&#x2F;", "/")
        .replace("&#47;", "/")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
}

/// The back office's link to the next page by cursor: the last `href` of
/// the page that carries `after=` (the pager's "next").
fn next_link(html: &str) -> Option<String> {
    html.split("href=\"")
        .skip(1)
        .filter_map(|rest| rest.split_once('"').map(|(href, _)| unescape(href)))
        .filter(|href| href.contains("after="))
        .last()
}

/// The API's cursor to the next page, as `next` in its answer: a path, or
/// a cursor for `after=`.
fn next_api_path(answer: &Value, first: &str) -> Option<String> {
    let next = answer["next"].as_str().filter(|next| !next.is_empty())?;
    if next.starts_with('/') {
        return Some(next.to_owned());
    }
    // `first` is a path with a query; the cursor is encoded like any value.
    let mut url = reqwest::Url::parse(&format!("http://cursor.invalid{first}")).ok()?;
    url.query_pairs_mut().append_pair("after", next);
    Some(format!(
        "{}?{}",
        url.path(),
        url.query().unwrap_or_default()
    ))
}

struct Answer {
    status: u16,
    body: Vec<u8>,
    micros: u64,
}

async fn fetch(
    organiser: &Organiser,
    base: &str,
    token: &str,
    page: &Page,
) -> reqwest::Result<Answer> {
    let mut request = organiser.client.get(format!("{base}{}", page.path));
    if page.auth == Auth::Token {
        request = request.bearer_auth(token);
    }
    let sent = Instant::now();
    let response = request.send().await?;
    let status = response.status().as_u16();
    let body = response.bytes().await?.to_vec();
    Ok(Answer {
        status,
        body,
        micros: (sent.elapsed().as_micros() as u64).max(1),
    })
}

/// What one page saw: latencies of its 200s, and every status.
struct PageTally {
    latency: Histogram<u64>,
    statuses: BTreeMap<String, u64>,
    bytes: u64,
}

impl PageTally {
    fn new() -> PageTally {
        PageTally {
            latency: histogram(),
            statuses: BTreeMap::new(),
            bytes: 0,
        }
    }

    fn record(&mut self, answer: reqwest::Result<Answer>) {
        let status = match answer {
            Ok(answer) => {
                if answer.status == 200 {
                    self.latency.saturating_record(answer.micros);
                    self.bytes += answer.body.len() as u64;
                }
                answer.status.to_string()
            }
            Err(error) if error.is_timeout() => "timeout".into(),
            Err(_) => "connection error".into(),
        };
        *self.statuses.entry(status).or_default() += 1;
    }

    fn merge(&mut self, other: PageTally) {
        let _ = self.latency.add(&other.latency);
        self.bytes += other.bytes;
        for (status, count) in other.statuses {
            *self.statuses.entry(status).or_default() += count;
        }
    }

    fn to_json(&self, page: &Page) -> Value {
        let ok = self.latency.len();
        json!({
            "label": page.label,
            "path": page.path,
            "api": page.auth == Auth::Token,
            "latency": summary(&self.latency),
            "statuses": self.statuses,
            "mean_bytes": self.bytes.checked_div(ok).unwrap_or(0),
        })
    }
}

fn pages_of(args: &BackOfficeArgs) -> Vec<Page> {
    let list = format!("/admin/events/{}/registrations", args.slug);
    let api = format!("/api/v1/events/{}/registrations", args.slug);
    vec![
        Page::new("list, page 1", list.clone(), Auth::Session),
        Page::new("search `Traor`", format!("{list}?q=Traor"), Auth::Session),
        Page::new("search `traore`", format!("{list}?q=traore"), Auth::Session),
        Page::new(
            "search `export-99999`",
            format!("{list}?q=export-99999"),
            Auth::Session,
        ),
        Page::new("sorted by name", format!("{list}?sort=name"), Auth::Session),
        Page::new("page 2,000", format!("{list}?page=2000"), Auth::Session),
        Page::new(
            "sorted by name descending, page 1,500",
            format!("{list}?sort=-name&page=1500"),
            Auth::Session,
        ),
        Page::new(
            "dashboard",
            format!("/admin/events/{}", args.slug),
            Auth::Session,
        ),
        Page::new(
            "one delegate's registration",
            format!("{list}/{}", args.registration),
            Auth::Session,
        ),
        Page::new(
            "API, 1,000 a page, page 90",
            format!("{api}?per_page=1000&page=90"),
            Auth::Token,
        ),
    ]
}

fn export_page(args: &BackOfficeArgs) -> Page {
    Page::new(
        "CSV export",
        format!("/api/v1/events/{}/registrations.csv", args.slug),
        Auth::Token,
    )
}

/// Walks from `first` by cursor for `hops` pages; `next` reads the next
/// path from an answer. Returns the deep page's path (if the walk got
/// there), the hops' latencies and statuses, and the walk's time.
async fn walk(
    organiser: &Organiser,
    args: &BackOfficeArgs,
    base: &str,
    first: Page,
    hops: u64,
    next: impl Fn(&[u8]) -> Option<String>,
) -> (Option<String>, PageTally, f64) {
    let started = Instant::now();
    let mut tally = PageTally::new();
    let mut page = first;
    for _ in 0..hops {
        let answer = fetch(organiser, base, &args.token, &page).await;
        let following = match &answer {
            Ok(answer) if answer.status == 200 => next(&answer.body),
            _ => None,
        };
        tally.record(answer);
        match following {
            Some(path) => page.path = path,
            None => return (None, tally, started.elapsed().as_secs_f64()),
        }
    }
    (Some(page.path), tally, started.elapsed().as_secs_f64())
}

/// Detects cursors and, where there are, walks to the deep pages. Returns
/// the cursor pages to measure and the walks' summary.
async fn keyset(
    organiser: &Organiser,
    args: &BackOfficeArgs,
    base: &str,
) -> anyhow::Result<(Vec<Page>, Value)> {
    let list = format!("/admin/events/{}/registrations", args.slug);
    let api_first = format!("/api/v1/events/{}/registrations?per_page=1000", args.slug);
    let mut pages = Vec::new();
    let mut walks = Vec::new();
    let probe = fetch(
        organiser,
        base,
        &args.token,
        &Page::new("", api_first.clone(), Auth::Token),
    )
    .await?;
    let api_answer: Value = serde_json::from_slice(&probe.body).unwrap_or(Value::Null);
    let api_cursor = next_api_path(&api_answer, &api_first).is_some();
    let html_probe = fetch(
        organiser,
        base,
        &args.token,
        &Page::new("", list.clone(), Auth::Session),
    )
    .await?;
    let html_cursor = next_link(&String::from_utf8_lossy(&html_probe.body)).is_some();

    let mut targets: Vec<(&str, Page, u64)> = Vec::new();
    if api_cursor {
        targets.push((
            "API, 1,000 a page, page 90 by cursor",
            Page::new("", api_first.clone(), Auth::Token),
            89,
        ));
    }
    if html_cursor {
        targets.push((
            "page 2,000 by cursor",
            Page::new("", list.clone(), Auth::Session),
            1999,
        ));
        targets.push((
            "sorted by name descending, page 1,500 by cursor",
            Page::new("", format!("{list}?sort=-name"), Auth::Session),
            1499,
        ));
    }
    for (label, first, hops) in targets {
        let api = first.auth == Auth::Token;
        let first_path = first.path.clone();
        let next = move |body: &[u8]| {
            if api {
                serde_json::from_slice::<Value>(body)
                    .ok()
                    .and_then(|answer| next_api_path(&answer, &first_path))
            } else {
                next_link(&String::from_utf8_lossy(body))
            }
        };
        let (deep, tally, seconds) = walk(organiser, args, base, first.clone(), hops, next).await;
        walks.push(json!({
            "label": label,
            "hops_planned": hops,
            "hops": tally.statuses.values().sum::<u64>(),
            "reached": deep.is_some(),
            "walk_s": seconds,
            "hop": tally.to_json(&first),
        }));
        if let Some(path) = deep {
            pages.push(Page::new(label, path, first.auth));
        }
    }
    Ok((
        pages,
        json!({ "api": api_cursor, "back_office": html_cursor, "walks": walks }),
    ))
}

/// How many registrations `traore` finds: the API's `total` for the same
/// search, and the back office's own words.
async fn traore(organiser: &Organiser, args: &BackOfficeArgs, base: &str) -> Value {
    let api = Page::new(
        "",
        format!(
            "/api/v1/events/{}/registrations?q=traore&per_page=1",
            args.slug
        ),
        Auth::Token,
    );
    let total = match fetch(organiser, base, &args.token, &api).await {
        Ok(answer) => serde_json::from_slice::<Value>(&answer.body)
            .ok()
            .and_then(|answer| answer["total"].as_i64()),
        Err(_) => None,
    };
    let page = Page::new(
        "",
        format!("/admin/events/{}/registrations?q=traore", args.slug),
        Auth::Session,
    );
    // The sentence before the export links ("1,234 registrations").
    let found = match fetch(organiser, base, &args.token, &page).await {
        Ok(answer) => {
            let html = String::from_utf8_lossy(&answer.body).into_owned();
            html.find(".csv")
                .and_then(|at| html[..at].rfind("<p>").map(|start| (start, at)))
                .map(|(start, at)| {
                    let text = &html[start + 3..at];
                    unescape(text.split(" · ").next().unwrap_or(text).trim())
                })
        }
        Err(_) => None,
    };
    json!({ "api_total": total, "page_says": found })
}

/// Every page `requests` times, one page after the other, from all the
/// organisers at once.
async fn alone(
    organisers: &Arc<Vec<Organiser>>,
    args: &BackOfficeArgs,
    base: &Arc<String>,
    pages: &[(Page, u64)],
    deadline: Instant,
) -> Vec<Value> {
    let mut results = Vec::new();
    for (page, requests) in pages {
        let next = Arc::new(AtomicU64::new(0));
        let tasks: Vec<_> = (0..organisers.len())
            .map(|index| {
                let (organisers, next, base, page, token) = (
                    organisers.clone(),
                    next.clone(),
                    base.clone(),
                    page.clone(),
                    args.token.clone(),
                );
                let requests = *requests;
                tokio::spawn(async move {
                    let mut tally = PageTally::new();
                    while next.fetch_add(1, Ordering::Relaxed) < requests
                        && Instant::now() < deadline
                    {
                        tally.record(fetch(&organisers[index], &base, &token, &page).await);
                    }
                    tally
                })
            })
            .collect();
        let mut tally = PageTally::new();
        for task in tasks {
            if let Ok(part) = task.await {
                tally.merge(part);
            }
        }
        results.push(tally.to_json(page));
    }
    results
}

/// The pages in turn, from all the organisers, until `stop`.
async fn mixed(
    organisers: &Arc<Vec<Organiser>>,
    token: &str,
    base: &Arc<String>,
    pages: &Arc<Vec<Page>>,
    stop: &Arc<AtomicBool>,
    deadline: Instant,
) -> Vec<Value> {
    let next = Arc::new(AtomicU64::new(0));
    let tasks: Vec<_> = (0..organisers.len())
        .map(|index| {
            let (organisers, next, base, pages, token, stop) = (
                organisers.clone(),
                next.clone(),
                base.clone(),
                pages.clone(),
                token.to_owned(),
                stop.clone(),
            );
            tokio::spawn(async move {
                let mut tallies: Vec<PageTally> = pages.iter().map(|_| PageTally::new()).collect();
                while !stop.load(Ordering::Relaxed) && Instant::now() < deadline {
                    let which = next.fetch_add(1, Ordering::Relaxed) as usize % pages.len();
                    // Counted if sent during the rush, however long it takes.
                    tallies[which]
                        .record(fetch(&organisers[index], &base, &token, &pages[which]).await);
                }
                tallies
            })
        })
        .collect();
    let mut tallies: Vec<PageTally> = pages.iter().map(|_| PageTally::new()).collect();
    for task in tasks {
        if let Ok(parts) = task.await {
            for (tally, part) in tallies.iter_mut().zip(parts) {
                tally.merge(part);
            }
        }
    }
    tallies
        .iter()
        .zip(pages.iter())
        .map(|(tally, page)| tally.to_json(page))
        .collect()
}

/// The cursor pages an earlier run found by walking, so that every run of
/// a scenario measures the same deep pages without walking again.
fn cursor_pages_of(earlier: &std::path::Path, known: &[Page]) -> anyhow::Result<Vec<Page>> {
    let earlier: Value = serde_json::from_slice(&std::fs::read(earlier)?)?;
    let mut pages = Vec::new();
    for page in earlier["pages"].as_array().into_iter().flatten() {
        let (Some(label), Some(path)) = (page["label"].as_str(), page["path"].as_str()) else {
            continue;
        };
        if label.ends_with("by cursor") && !known.iter().any(|known| known.label == label) {
            let auth = if page["api"].as_bool() == Some(true) {
                Auth::Token
            } else {
                Auth::Session
            };
            pages.push(Page::new(label, path.to_owned(), auth));
        }
    }
    Ok(pages)
}

pub async fn run(args: BackOfficeArgs) -> anyhow::Result<()> {
    let base = Arc::new(loopback_base(&args.base)?);
    let deadline = Instant::now() + Duration::from_secs(args.max_seconds);
    let mut organisers = Vec::new();
    for _ in 0..args.organisers.max(1) {
        organisers.push(log_in(&base, &args.email, &args.password).await?);
    }
    let organisers = Arc::new(organisers);
    let mut pages = pages_of(&args);
    let export = export_page(&args);
    let started = Instant::now();
    let mut result = json!({
        "kind": "backoffice",
        "organisers": organisers.len(),
    });

    if args.rush == 0 {
        result["traore"] = traore(&organisers[0], &args, &base).await;
        if let Some(earlier) = &args.cursors_from {
            pages.extend(cursor_pages_of(earlier, &pages)?);
        } else {
            let (cursor_pages, cursors) = keyset(&organisers[0], &args, &base).await?;
            result["cursors"] = cursors;
            pages.extend(cursor_pages);
        }
        let mut plan: Vec<(Page, u64)> = pages
            .iter()
            .map(|page| (page.clone(), args.requests))
            .collect();
        plan.push((export, args.exports));
        result["pages"] = json!(alone(&organisers, &args, &base, &plan, deadline).await);
    } else {
        if let Some(earlier) = &args.cursors_from {
            pages.extend(cursor_pages_of(earlier, &pages)?);
        }
        pages.push(export);
        let pages = Arc::new(pages);
        let stop = Arc::new(AtomicBool::new(false));
        let readers = {
            let (organisers, base, pages, stop, token) = (
                organisers.clone(),
                base.clone(),
                pages.clone(),
                stop.clone(),
                args.token.clone(),
            );
            tokio::spawn(
                async move { mixed(&organisers, &token, &base, &pages, &stop, deadline).await },
            )
        };
        let rush_args = RegisterArgs {
            base: base.to_string(),
            slug: args.slug.clone(),
            clients: args.rush_clients,
            requests: args.rush,
            max_seconds: args.max_seconds,
            hot_countries: 3,
            hot_share: 0.3,
            min_sessions: 2,
            max_sessions: 3,
            tag: args.tag.clone(),
            readers: 0,
            read_path: Vec::new(),
            read_requests: 0,
            seed: 14,
            out: args.out.clone(),
        };
        let registered = rush(&rush_args).await;
        stop.store(true, Ordering::Relaxed);
        result["pages"] = json!(readers.await?);
        result["rush"] = registered?;
    }
    result["elapsed_s"] = json!(started.elapsed().as_secs_f64());
    std::fs::write(&args.out, serde_json::to_vec_pretty(&result)?)?;
    for page in result["pages"].as_array().into_iter().flatten() {
        eprintln!(
            "{:<50} p50 {:>8} ms  p99 {:>8} ms  {}",
            page["label"].as_str().unwrap_or_default(),
            page["latency"]["p50_ms"],
            page["latency"]["p99_ms"],
            page["statuses"]
        );
    }
    Ok(())
}
