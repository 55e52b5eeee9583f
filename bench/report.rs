//! `bench report`: BENCHMARKS.md from the results bench/run.sh left in one
//! folder: `facts.tsv` (key, tab, value; the last value of a key wins), the
//! load generator's JSON files, pgbench's outputs and per-transaction logs,
//! the session-state samples, pg_stat_statements tables and perf excerpts.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use anyhow::Context;
use hdrhistogram::Histogram;
use serde_json::Value;

mod scale;

#[derive(clap::Args)]
pub struct ReportArgs {
    /// The run's results folder.
    #[arg(long)]
    dir: PathBuf,
    /// Hand-written reading of the measurements, included as it is.
    #[arg(long)]
    findings: Option<PathBuf>,
    #[arg(long)]
    out: PathBuf,
}

struct Run {
    dir: PathBuf,
    facts: BTreeMap<String, String>,
}

impl Run {
    fn fact(&self, key: &str) -> Option<&str> {
        self.facts.get(key).map(String::as_str)
    }

    fn text(&self, key: &str) -> String {
        self.fact(key).unwrap_or("?").to_owned()
    }

    fn number(&self, key: &str) -> Option<f64> {
        self.fact(key)?.trim().parse().ok()
    }

    fn json(&self, name: &str) -> Option<Value> {
        let bytes = std::fs::read(self.dir.join(name)).ok()?;
        serde_json::from_slice(&bytes).ok()
    }

    fn file(&self, name: &str) -> Option<String> {
        std::fs::read_to_string(self.dir.join(name))
            .ok()
            .filter(|text| !text.trim().is_empty())
    }
}

/// What pgbench measured: its own tps line, and latencies from its
/// per-transaction logs.
struct Pgbench {
    tps: Option<f64>,
    processed: String,
    failed: u64,
    latency: Option<Histogram<u64>>,
}

fn pgbench(run: &Run, prefix: &str) -> Option<Pgbench> {
    let output = run.file(&format!("{prefix}.out"))?;
    let line_value = |label: &str| {
        output
            .lines()
            .find(|line| line.trim_start().starts_with(label))
            .and_then(|line| line.split_once(label))
            .map(|(_, rest)| rest.trim().to_owned())
    };
    let tps = line_value("tps = ")
        .and_then(|rest| rest.split_whitespace().next().and_then(|n| n.parse().ok()));
    let processed = line_value("number of transactions actually processed:").unwrap_or_default();
    let failed = line_value("number of failed transactions:")
        .and_then(|rest| rest.split_whitespace().next().and_then(|n| n.parse().ok()))
        .unwrap_or(0);
    let mut latency = Histogram::<u64>::new_with_bounds(1, 120_000_000, 3).ok()?;
    let log_prefix = format!("{prefix}.log.");
    for entry in std::fs::read_dir(&run.dir).ok()?.flatten() {
        if !entry.file_name().to_string_lossy().starts_with(&log_prefix) {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(entry.path()) else {
            continue;
        };
        for line in text.lines() {
            // client_id transaction_no time(µs) script_no time_epoch time_us
            if let Some(Ok(micros)) = line.split_whitespace().nth(2).map(str::parse::<u64>) {
                latency.saturating_record(micros.max(1));
            }
        }
    }
    Some(Pgbench {
        tps,
        processed,
        failed,
        latency: (!latency.is_empty()).then_some(latency),
    })
}

// ------------------------------------------------------------- formatting ----

fn thousands(value: f64) -> String {
    let rounded = value.round() as i64;
    let digits = rounded.abs().to_string();
    let mut grouped = String::new();
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    if rounded < 0 {
        format!("−{grouped}")
    } else {
        grouped
    }
}

fn ms(value: Option<f64>) -> String {
    match value {
        Some(value) if value >= 100.0 => format!("{value:.0} ms"),
        Some(value) if value >= 10.0 => format!("{value:.1} ms"),
        Some(value) => format!("{value:.2} ms"),
        None => "–".into(),
    }
}

fn secs(value: Option<f64>) -> String {
    value.map_or("–".into(), |value| format!("{value:.2} s"))
}

fn rate(value: Option<f64>) -> String {
    value.map_or("–".into(), |value| format!("{}/s", thousands(value)))
}

fn cores(cpu_seconds: Option<f64>, wall: Option<f64>) -> String {
    match (cpu_seconds, wall) {
        (Some(cpu), Some(wall)) if wall > 0.0 => format!("{:.2}", cpu / wall),
        _ => "–".into(),
    }
}

fn ratio(a: Option<f64>, b: Option<f64>) -> Option<f64> {
    match (a, b) {
        (Some(a), Some(b)) if b > 0.0 => Some(a / b),
        _ => None,
    }
}

fn median(mut values: Vec<f64>) -> Option<f64> {
    values.retain(|value| value.is_finite());
    if values.is_empty() {
        return None;
    }
    values.sort_by(f64::total_cmp);
    let middle = values.len() / 2;
    Some(if values.len() % 2 == 1 {
        values[middle]
    } else {
        (values[middle - 1] + values[middle]) / 2.0
    })
}

fn histogram_ms(histogram: &Histogram<u64>, quantile: f64) -> Option<f64> {
    Some(histogram.value_at_quantile(quantile) as f64 / 1000.0)
}

fn latency(value: &Value, key: &str) -> Option<f64> {
    value["latency"][key].as_f64()
}

fn errors_of(value: &Value) -> (u64, String) {
    let Some(errors) = value["errors"].as_object() else {
        return (0, "–".into());
    };
    let total: u64 = errors.values().filter_map(Value::as_u64).sum();
    let detail = errors
        .iter()
        .map(|(kind, count)| format!("{} × {kind}", count.as_u64().unwrap_or(0)))
        .collect::<Vec<_>>()
        .join(", ");
    (
        total,
        if detail.is_empty() {
            "0".into()
        } else {
            format!("{total} ({detail})")
        },
    )
}

fn outcome_count(value: &Value, outcome: &str) -> u64 {
    value["by_outcome"][outcome]["count"].as_u64().unwrap_or(0)
}

/// Completions per second before and after the last confirmed answer: the
/// confirming phase and the waiting-list phase of a rush.
fn phases(value: &Value) -> Option<(f64, f64, f64)> {
    let seconds = value["per_second"].as_array()?;
    let total = |range: &[Value]| -> u64 {
        range
            .iter()
            .filter_map(Value::as_object)
            .flat_map(|counts| counts.values().filter_map(Value::as_u64))
            .sum()
    };
    let last_confirmed = seconds
        .iter()
        .rposition(|counts| counts["confirmed"].as_u64().unwrap_or(0) > 0)?;
    let elapsed = value["elapsed_s"].as_f64()?;
    let split = (last_confirmed + 1) as f64;
    if split >= elapsed - 1.0 {
        return None;
    }
    let before = total(&seconds[..=last_confirmed]) as f64 / split;
    let after = total(&seconds[last_confirmed + 1..]) as f64 / (elapsed - split);
    Some((split, before, after))
}

/// Mean number of PostgreSQL sessions in each state, from the samples.
fn session_states(run: &Run, name: &str) -> Option<(usize, Vec<(String, f64)>)> {
    let text = run.file(name)?;
    let mut samples = std::collections::BTreeSet::new();
    let mut sums: BTreeMap<String, f64> = BTreeMap::new();
    for line in text.lines() {
        let fields: Vec<&str> = line.split('|').collect();
        if fields.len() != 4 {
            continue;
        }
        let Ok(count) = fields[3].trim().parse::<f64>() else {
            continue;
        };
        samples.insert(fields[0].to_owned());
        *sums
            .entry(format!("{} — {}", fields[1], fields[2]))
            .or_default() += count;
    }
    if samples.is_empty() {
        return None;
    }
    let mut states: Vec<(String, f64)> = sums
        .into_iter()
        .map(|(state, sum)| (state, sum / samples.len() as f64))
        .collect();
    states.sort_by(|a, b| b.1.total_cmp(&a.1));
    Some((samples.len(), states))
}

struct Target {
    what: &'static str,
    measured: String,
    met: Option<bool>,
    margin: String,
}

fn at_least(what: &'static str, measured: Option<f64>, goal: f64, shown: String) -> Target {
    Target {
        what,
        measured: shown,
        met: measured.map(|value| value >= goal),
        margin: measured.map_or("–".into(), |value| {
            format!("{:.2}× the target", value / goal)
        }),
    }
}

fn at_most(what: &'static str, measured: Option<f64>, goal: f64, shown: String) -> Target {
    Target {
        what,
        measured: shown,
        met: measured.map(|value| value <= goal),
        margin: measured.map_or("–".into(), |value| {
            if value <= goal {
                format!("{:.0}% of the budget", value / goal * 100.0)
            } else {
                format!("{:.1}× over", value / goal)
            }
        }),
    }
}

fn verdict(met: Option<bool>) -> &'static str {
    match met {
        Some(true) => "**met**",
        Some(false) => "**missed**",
        None => "not measured",
    }
}

// ----------------------------------------------------------------- report ----

pub fn write(args: &ReportArgs) -> anyhow::Result<()> {
    let facts_text = std::fs::read_to_string(args.dir.join("facts.tsv"))
        .with_context(|| format!("no facts.tsv in {}", args.dir.display()))?;
    let mut facts = BTreeMap::new();
    for line in facts_text.lines() {
        if let Some((key, value)) = line.split_once('\t') {
            facts.insert(key.to_owned(), value.to_owned());
        }
    }
    let run = Run {
        dir: args.dir.clone(),
        facts,
    };
    let findings = args
        .findings
        .as_deref()
        .and_then(|path| std::fs::read_to_string(path).ok());
    let markdown = render(&run, findings.as_deref());
    std::fs::write(&args.out, markdown)?;
    Ok(())
}

/// Scenario 1m: the opening rush again with the metrics listener on.
fn metrics_section(md: &mut String, run: &Run, s1: &Value, s1m: &Value) {
    let _ = writeln!(md, "## 1m. The rush with metrics on\n");
    let _ = writeln!(
        md,
        "Scenario 1 again on a fresh copy of the layout, with `http.metrics_bind` set, scraped once after the \
         rush: {} series lines, counting {} confirmed and waitlisted registrations (check: {}).\n",
        run.text("s1m.metrics_lines"),
        run.text("s1m.registrations_counted"),
        run.text("s1m.check"),
    );
    let _ = writeln!(md, "| | metrics off (scenario 1) | metrics on |");
    let _ = writeln!(md, "|---|---|---|");
    let throughput = |v: &Value| v["throughput"].as_f64();
    let _ = writeln!(
        md,
        "| **throughput** (registrations/s) | **{}** | **{}** |",
        rate(throughput(s1)),
        rate(throughput(s1m))
    );
    let _ = writeln!(
        md,
        "| latency p50 / p99 | {} / {} | {} / {} |",
        ms(latency(s1, "p50_ms")),
        ms(latency(s1, "p99_ms")),
        ms(latency(s1m, "p50_ms")),
        ms(latency(s1m, "p99_ms"))
    );
    let _ = writeln!(
        md,
        "| errors | {} | {} |",
        errors_of(s1).1,
        errors_of(s1m).1
    );
    let _ = writeln!(
        md,
        "| server CPU | {} | {} |\n",
        secs(run.number("s1.cpu_serve_s")),
        secs(run.number("s1m.cpu_serve_s"))
    );
    if let (Some(off), Some(on)) = (throughput(s1), throughput(s1m))
        && off > 0.0
    {
        let _ = writeln!(
            md,
            "With metrics on, the rush ran {:+.1}% against the rush without them, in the same run.\n",
            (on / off - 1.0) * 100.0
        );
    }
}

fn render(run: &Run, findings: Option<&str>) -> String {
    let mut md = String::new();
    let s1 = run.json("s1.json").unwrap_or(Value::Null);
    let s1b = run.json("s1b.json");
    let s1m = run.json("s1m.json");
    let s2 = run.json("s2.json").unwrap_or(Value::Null);
    let s3 = run.json("s3_during.json").unwrap_or(Value::Null);
    let s3_api = run.json("s3_alone_api.json");
    let s3_page = run.json("s3_alone_page.json");
    let pgb_rush = pgbench(run, "pgb_rush");
    let pgb_hot_row = pgbench(run, "pgb_hot_row");
    let clients = run.text("param.CLIENTS");

    let _ = writeln!(md, "# Benchmarks\n");
    let _ = writeln!(
        md,
        "Measured by `{}` on {}, commit `{}`, everything on one machine: \
         {} cores ({}), {} of memory, Linux {}; {}; {}. \
         The file is written by the run itself (bench/run.sh, bench/report.rs); \
         the section *What the measurements say* is bench/FINDINGS.md, written by hand from a run's numbers.\n",
        run.text("command"),
        run.text("date"),
        run.text("commit"),
        run.text("nproc"),
        run.text("cpu"),
        run.text("memory"),
        run.text("kernel"),
        run.text("postgres"),
        run.text("rustc"),
    );
    let _ = writeln!(
        md,
        "PostgreSQL is a cluster of the benchmark's own (bench/pg.sh) with the same settings for every part \
         of the run: {}; pg_stat_statements and WAL timing are on throughout. \
         Rencontre is the release build, `rencontre serve --no-worker` with {} pooled connections and one \
         actix worker per core{}; the load generator is bench/load.rs ({} concurrent clients as tokio tasks \
         on {} runtime thread(s), keep-alive HTTP/1.1, latencies in HDR histograms), on loopback only. \
         Server, database and load generator share the {} cores, as pgbench and its server do.\n",
        run.text("pg_settings"),
        run.text("param.POOL_SIZE"),
        run.fact("rate_limit")
            .map(|limit| format!(" (all simulated delegates share 127.0.0.1, so the per-address limit on registrations is {limit})"))
            .unwrap_or_default(),
        clients,
        run.text("param.LOAD_THREADS"),
        run.text("nproc"),
    );
    let others = |prefix: &str| -> Option<f64> {
        let machine = run.number(&format!("{prefix}.cpu_machine_s"))?;
        let ours = run.number(&format!("{prefix}.cpu_pg_s")).unwrap_or(0.0)
            + run.number(&format!("{prefix}.cpu_serve_s")).unwrap_or(0.0)
            + run
                .number(&format!("{prefix}.cpu_pgbench_s"))
                .unwrap_or(0.0);
        let load = match prefix {
            "s1" => s1["load_cpu_s"].as_f64(),
            "s2" => s2["load_cpu_s"].as_f64(),
            _ => None,
        };
        Some((machine - ours - load.unwrap_or(0.0)).max(0.0))
    };
    let _ = writeln!(
        md,
        "**Noise.** The machine is shared with developers running builds and test suites; timings are noisy, \
         so compare the ratios measured side by side in this one run rather than absolute figures. \
         Load average before/after the run: {} / {}. CPU used by processes other than the benchmark's \
         during scenario 1: {} cores on average; during its pgbench mirror: {} cores.\n",
        run.text("loadavg_before"),
        run.text("loadavg_after"),
        cores(others("s1"), run.number("s1.wall_s")),
        cores(others("pgb_rush"), run.number("pgb_rush.wall_s")),
    );

    // ------------------------------------------------------------ targets ----
    let rush_tput = s1["throughput"].as_f64();
    let rush_ratio = ratio(rush_tput, pgb_rush.as_ref().and_then(|p| p.tps));
    let hot_ratio = ratio(
        s2["throughput"].as_f64(),
        pgb_hot_row.as_ref().and_then(|p| p.tps),
    );
    let (rush_errors, _) = errors_of(&s1);
    let api_alone_tput = s3_api.as_ref().and_then(|v| v["throughput"].as_f64());
    let api_alone_p99 = s3_api.as_ref().and_then(|v| latency(v, "p99_ms"));
    let csv_runs = repeats(run, "s4.cli.csv", "wall_s");
    let xlsx_runs = repeats(run, "s4.cli.xlsx", "wall_s");
    let csv_rss = repeats(run, "s4.cli.csv", "rss_kib")
        .into_iter()
        .fold(None, |most: Option<f64>, value| {
            Some(most.map_or(value, |m| m.max(value)))
        })
        .map(|kib| kib / 1024.0);
    let http_csv = http_runs(run, "csv");
    let http_xlsx = http_runs(run, "xlsx");
    let mail_rate = ratio(run.number("s5.rows"), run.number("s5.drain_s"));
    let http_csv_median = median(http_csv.iter().map(|r| r.total).collect());

    let mut targets = vec![
        at_least(
            "Opening rush: ≥ 1,500 registrations/s at 64 clients",
            rush_tput,
            1500.0,
            rate(rush_tput),
        ),
        at_most(
            "Opening rush: p99 ≤ 100 ms",
            latency(&s1, "p99_ms"),
            100.0,
            ms(latency(&s1, "p99_ms")),
        ),
        at_least(
            "Opening rush: ≥ 60% of the same-run pgbench ceiling",
            rush_ratio,
            0.6,
            rush_ratio.map_or("–".into(), |r| format!("{:.0}%", r * 100.0)),
        ),
        Target {
            what: "Opening rush: 0 errors",
            measured: errors_of(&s1).1,
            met: s1["requests"].as_u64().map(|_| rush_errors == 0),
            margin: String::new(),
        },
        Target {
            what: "Opening rush: `rencontre check` passes",
            measured: run.text("s1.check"),
            met: run.fact("s1.check").map(|check| check == "passed"),
            margin: String::new(),
        },
        at_least(
            "Single hot quota: ≥ 1.5× the same-run pgbench single-hot-row figure",
            hot_ratio,
            1.5,
            hot_ratio.map_or("–".into(), |r| format!("{r:.2}×")),
        ),
        at_least(
            "Public reads (API, alone): ≥ 10,000 req/s",
            api_alone_tput,
            10_000.0,
            rate(api_alone_tput),
        ),
        at_most(
            "Public reads (API, alone): p99 ≤ 20 ms",
            api_alone_p99,
            20.0,
            ms(api_alone_p99),
        ),
        at_most(
            "Export CSV, 100,000 rows, `rencontre export`: ≤ 3 s (median)",
            median(csv_runs.clone()),
            3.0,
            secs(median(csv_runs.clone())),
        ),
        at_most(
            "Export CSV, 100,000 rows, HTTP: ≤ 3 s (median)",
            median(http_csv.iter().map(|r| r.total).collect()),
            3.0,
            secs(median(http_csv.iter().map(|r| r.total).collect())),
        ),
        at_most(
            "Export CSV: ≤ 64 MiB peak RSS (`rencontre export`)",
            csv_rss,
            64.0,
            csv_rss.map_or("–".into(), |mib| format!("{mib:.1} MiB")),
        ),
        at_most(
            "Export XLSX, 100,000 rows, `rencontre export`: ≤ 10 s (median)",
            median(xlsx_runs.clone()),
            10.0,
            secs(median(xlsx_runs.clone())),
        ),
        at_most(
            "Export XLSX, 100,000 rows, HTTP: ≤ 10 s (median)",
            median(http_xlsx.iter().map(|r| r.total).collect()),
            10.0,
            secs(median(http_xlsx.iter().map(|r| r.total).collect())),
        ),
        at_least(
            "Mail drain: ≥ 500 emails/s",
            mail_rate,
            500.0,
            rate(mail_rate),
        ),
    ];
    targets.extend(scale::targets(
        run,
        &s1,
        s1b.as_ref().unwrap_or(&Value::Null),
        http_csv_median,
    ));
    let _ = writeln!(md, "## Targets of the issue\n");
    let _ = writeln!(md, "| target | measured | verdict | margin |");
    let _ = writeln!(md, "|---|---|---|---|");
    for target in &targets {
        let _ = writeln!(
            md,
            "| {} | {} | {} | {} |",
            target.what,
            target.measured,
            verdict(target.met),
            target.margin
        );
    }
    let _ = writeln!(md);

    rush_section(&mut md, run, &s1, pgb_rush.as_ref(), &clients);
    if let Some(s1b) = &s1b {
        scale::second_event_section(&mut md, run, &s1, s1b);
    }
    if let Some(s1m) = &s1m {
        metrics_section(&mut md, run, &s1, s1m);
    }
    hot_section(&mut md, run, &s2, pgb_hot_row.as_ref());
    reads_section(&mut md, run, &s3, s3_api.as_ref(), s3_page.as_ref(), &s1);
    export_section(&mut md, run, &http_csv, &http_xlsx);
    scale::copy_rows(&mut md, run, http_csv_median);
    mail_section(&mut md, run);
    scale::backoffice_section(&mut md, run);
    profile_section(&mut md, run, &s1);

    if let Some(findings) = findings {
        if !findings.trim_start().starts_with("## ") {
            let _ = writeln!(md, "## What the measurements say\n");
        }
        let _ = writeln!(md, "{}\n", findings.trim());
    }
    how_to_run(&mut md, run);
    md
}

fn repeats(run: &Run, prefix: &str, field: &str) -> Vec<f64> {
    let count = run.number("param.EXPORT_REPEATS").unwrap_or(0.0) as usize;
    (1..=count)
        .filter_map(|index| run.number(&format!("{prefix}.{index}.{field}")))
        .collect()
}

struct HttpExport {
    status: String,
    first_byte: f64,
    total: f64,
    bytes: f64,
    rss_hwm_kib: Option<f64>,
}

fn http_runs(run: &Run, format: &str) -> Vec<HttpExport> {
    let count = run.number("param.EXPORT_REPEATS").unwrap_or(0.0) as usize;
    (1..=count)
        .filter_map(|index| {
            let text = run.fact(&format!("s4.http.{format}.{index}"))?;
            let fields: Vec<&str> = text.split_whitespace().collect();
            Some(HttpExport {
                status: fields.first()?.to_string(),
                first_byte: fields.get(1)?.parse().ok()?,
                total: fields.get(2)?.parse().ok()?,
                bytes: fields.get(3)?.parse().ok()?,
                rss_hwm_kib: run.number(&format!("s4.http.{format}.{index}.rss_hwm_kib")),
            })
        })
        .collect()
}

/// Mean duration of one WAL flush (fdatasync), from pg_stat_wal.
fn wal_flush_ms(run: &Run, prefix: &str) -> Option<f64> {
    let wal = run.fact(&format!("{prefix}.wal"))?;
    let fields: Vec<f64> = wal.split('|').filter_map(|f| f.parse().ok()).collect();
    match fields.as_slice() {
        [_, _, _, syncs, sync_ms] if *syncs > 0.0 => Some(sync_ms / syncs),
        _ => None,
    }
}

fn wal_line(run: &Run, prefix: &str) -> String {
    let Some(wal) = run.fact(&format!("{prefix}.wal")) else {
        return "–".into();
    };
    let fields: Vec<f64> = wal.split('|').filter_map(|f| f.parse().ok()).collect();
    let attempts = run.number(&format!("{prefix}.attempts"));
    match (fields.as_slice(), attempts) {
        ([_records, bytes, _writes, syncs, sync_ms], Some(attempts)) if *syncs > 0.0 => format!(
            "{} WAL flushes for {} attempts ({:.2} per registration, {:.2} ms each on average), {:.1} kB of WAL per registration",
            thousands(*syncs),
            thousands(attempts),
            syncs / attempts.max(1.0),
            sync_ms / syncs,
            bytes / attempts.max(1.0) / 1000.0
        ),
        _ => wal.to_owned(),
    }
}

/// MultiXact SLRU pages touched (hit + read + zeroed) per attempt, and
/// pages newly zeroed (new MultiXacts written), from pg_stat_slru.
fn multixact(run: &Run, prefix: &str) -> String {
    let (Some(text), Some(attempts)) = (
        run.fact(&format!("{prefix}.multixact")),
        run.number(&format!("{prefix}.attempts")),
    ) else {
        return "–".into();
    };
    let mut touched = 0.0;
    let mut zeroed = 0.0;
    for part in text.split('|') {
        let numbers: Vec<f64> = part
            .split_whitespace()
            .filter_map(|n| n.parse().ok())
            .collect();
        if let [all, new, _read] = numbers.as_slice() {
            touched += all;
            zeroed += new;
        }
    }
    format!(
        "{:.1} page accesses per attempt ({} new pages)",
        touched / attempts.max(1.0),
        thousands(zeroed)
    )
}

fn load_row(md: &mut String, label: &str, cells: &[String]) {
    let _ = writeln!(md, "| {label} | {} |", cells.join(" | "));
}

fn rush_section(md: &mut String, run: &Run, s1: &Value, pgb: Option<&Pgbench>, clients: &str) {
    let pool_size = run.text("param.POOL_SIZE");
    let _ = writeln!(md, "## 1. Opening rush\n");
    let attempts = s1["attempts_planned"].as_f64().unwrap_or(0.0);
    let _ = writeln!(
        md,
        "{} registration attempts from {clients} concurrent clients, as fast as answers come back, on an event \
         created through the organiser API: {}. The three countries with the largest quotas draw 30% of the \
         traffic, the 57 others share the rest; each attempt chooses 2 or 3 sessions in different time slots \
         (so no 422 for overlaps). The event sells out early and the rest of the attempts end on a waiting \
         list (still a 201 and an email): both paths are measured. The pgbench columns run \
         bench/pgbench/register.sql — the statements Rencontre sends for a batch of one, one for one (event \
         lock, email check, country row insert-or-lock, session locks, guarded counter UPDATEs (the \
         waiting-list lengths come with the locked rows), queue place, the registration and its choices, the organisers' wording, the rendered email \
         into the outbox), one registration per transaction, which is what Rencontre would do without group \
         commit — on a copy of the same event with the same random choices, `-M prepared`, once with as many \
         connections as Rencontre has clients and once with as many as its pool has ({pool_size}).\n",
        thousands(attempts),
        run.text("layout.rush"),
    );
    if attempts < 20_000.0 {
        let seconds =
            |rate: Option<f64>| rate.map_or("?".into(), |rate| format!("{:.0} s", 20_000.0 / rate));
        let _ = writeln!(
            md,
            "*Scaled down from the issue's 20,000 attempts:* at this run's rates, 20,000 attempts would take at \
             least {} for Rencontre and {} + {} for the two pgbench mirrors, which with the other scenarios would \
             go past the 15-minute budget. {} attempts still run {:.0}× past the sell-out.\n",
            seconds(s1["throughput"].as_f64()),
            seconds(pgb.and_then(|p| p.tps)),
            seconds(pgbench(run, "pgb_rush_pool").and_then(|p| p.tps)),
            thousands(attempts),
            attempts / outcome_count(s1, "confirmed").max(1) as f64,
        );
    }
    let pool = pgbench(run, "pgb_rush_pool");
    let _ = writeln!(
        md,
        "| | Rencontre (HTTP, {clients} clients, {pool_size} pooled connections) | pgbench mirror, {clients} connections | pgbench mirror, {pool_size} connections |"
    );
    let _ = writeln!(md, "|---|---|---|---|");
    let pct = |b: Option<&Pgbench>, q: f64| {
        b.and_then(|p| p.latency.as_ref())
            .and_then(|h| histogram_ms(h, q))
    };
    let both = |f: &dyn Fn(Option<&Pgbench>, &str) -> String| {
        [f(pgb, "pgb_rush"), f(pool.as_ref(), "pgb_rush_pool")]
    };
    let row = |md: &mut String, label: &str, ours: String, theirs: [String; 2]| {
        let _ = writeln!(md, "| {label} | {ours} | {} | {} |", theirs[0], theirs[1]);
    };
    row(
        md,
        "attempts",
        thousands(s1["requests"].as_f64().unwrap_or(0.0)),
        both(&|p, _| p.map_or("–".into(), |p| p.processed.clone())),
    );
    row(
        md,
        "elapsed",
        secs(s1["elapsed_s"].as_f64()),
        both(&|_, k| secs(run.number(&format!("{k}.wall_s")))),
    );
    row(
        md,
        "**throughput** (registrations/s)",
        format!("**{}**", rate(s1["throughput"].as_f64())),
        both(&|p, _| format!("**{}**", rate(p.and_then(|p| p.tps)))),
    );
    row(
        md,
        "confirmed / waitlisted",
        format!(
            "{} / {}",
            thousands(outcome_count(s1, "confirmed") as f64),
            thousands(outcome_count(s1, "waitlisted") as f64)
        ),
        both(&|_, k| run.text(&format!("{k}.statuses"))),
    );
    row(
        md,
        "errors",
        errors_of(s1).1,
        both(&|p, _| p.map_or("–".into(), |p| p.failed.to_string())),
    );
    for (label, key, q) in [
        ("latency p50", "p50_ms", 0.50),
        ("latency p95", "p95_ms", 0.95),
        ("latency p99", "p99_ms", 0.99),
    ] {
        row(md, label, ms(latency(s1, key)), both(&|p, _| ms(pct(p, q))));
    }
    row(
        md,
        "latency max",
        ms(latency(s1, "max_ms")),
        both(&|p, _| {
            ms(p.and_then(|p| p.latency.as_ref())
                .map(|h| h.max() as f64 / 1000.0))
        }),
    );
    row(
        md,
        "`rencontre check` after",
        run.text("s1.check"),
        both(&|_, k| run.text(&format!("{k}.check"))),
    );
    row(
        md,
        "CPU, cores busy: server / PostgreSQL / load generator or pgbench",
        format!(
            "{} / {} / {}",
            cores(run.number("s1.cpu_serve_s"), run.number("s1.wall_s")),
            cores(run.number("s1.cpu_pg_s"), run.number("s1.wall_s")),
            cores(s1["load_cpu_s"].as_f64(), run.number("s1.wall_s"))
        ),
        both(&|_, k| {
            format!(
                "– / {} / {}",
                cores(
                    run.number(&format!("{k}.cpu_pg_s")),
                    run.number(&format!("{k}.wall_s"))
                ),
                cores(
                    run.number(&format!("{k}.cpu_pgbench_s")),
                    run.number(&format!("{k}.wall_s"))
                )
            )
        }),
    );
    let noise = |prefix: &str, client_cpu: Option<f64>| -> String {
        let wall = run.number(&format!("{prefix}.wall_s"));
        let machine = run.number(&format!("{prefix}.cpu_machine_s"));
        let ours = run.number(&format!("{prefix}.cpu_pg_s")).unwrap_or(0.0)
            + run.number(&format!("{prefix}.cpu_serve_s")).unwrap_or(0.0)
            + client_cpu.unwrap_or(0.0);
        cores(machine.map(|machine| (machine - ours).max(0.0)), wall)
    };
    row(
        md,
        "CPU used meanwhile by other processes on the machine (noise), cores",
        noise("s1", s1["load_cpu_s"].as_f64()),
        both(&|_, k| noise(k, run.number(&format!("{k}.cpu_pgbench_s")))),
    );
    row(
        md,
        "statements sent per attempt (+ nested: FK checks, trigger)",
        format!(
            "{} (+{})",
            run.text("s1.statements_per_attempt"),
            run.text("s1.nested_per_attempt")
        ),
        both(&|_, k| {
            format!(
                "{} (+{})",
                run.text(&format!("{k}.statements_per_attempt")),
                run.text(&format!("{k}.nested_per_attempt"))
            )
        }),
    );
    row(
        md,
        "server-side execution per attempt, without the wait for the event row",
        ms(run.number("s1.exec_ms_in_lock")),
        both(&|_, k| ms(run.number(&format!("{k}.exec_ms_in_lock")))),
    );
    row(
        md,
        "WAL flush (fdatasync), mean",
        ms(wal_flush_ms(run, "s1")),
        both(&|_, k| ms(wal_flush_ms(run, k))),
    );
    row(
        md,
        "MultiXact SLRU traffic (pg_stat_slru)",
        multixact(run, "s1"),
        both(&|_, k| multixact(run, k)),
    );
    let _ = writeln!(md);
    let rush_ratio = ratio(s1["throughput"].as_f64(), pgb.and_then(|p| p.tps));
    if let Some(r) = rush_ratio {
        let _ = writeln!(
            md,
            "Rencontre's throughput is **{:.0}%** of the same-run pgbench ceiling.\n",
            r * 100.0
        );
    }
    let _ = writeln!(
        md,
        "WAL: Rencontre {}; pgbench ({clients} connections) {}.\n",
        wal_line(run, "s1"),
        wal_line(run, "pgb_rush")
    );
    if let Some(by) = s1["by_outcome"].as_object() {
        let _ = writeln!(md, "Latency by answer:\n");
        let _ = writeln!(md, "| answer | count | p50 | p95 | p99 | max |");
        let _ = writeln!(md, "|---|---|---|---|---|---|");
        for (outcome, summary) in by {
            let _ = writeln!(
                md,
                "| {outcome} | {} | {} | {} | {} | {} |",
                thousands(summary["count"].as_f64().unwrap_or(0.0)),
                ms(summary["p50_ms"].as_f64()),
                ms(summary["p95_ms"].as_f64()),
                ms(summary["p99_ms"].as_f64()),
                ms(summary["max_ms"].as_f64())
            );
        }
        let _ = writeln!(md);
    }
    if let Some((split, before, after)) = phases(s1) {
        let _ = writeln!(
            md,
            "The last place was given in second {split:.0}: {} answers/s while places were being given \
             (counter UPDATEs, seats), {} answers/s on the waiting list afterwards.\n",
            thousands(before),
            thousands(after)
        );
    }
}

fn hot_section(md: &mut String, run: &Run, s2: &Value, hot_row: Option<&Pgbench>) {
    let _ = writeln!(md, "## 2. Single hot quota\n");
    let _ = writeln!(
        md,
        "{} attempts from {} clients, every one on the same country quota of 5,000 (event: {}; same \
         sessions and choices as above), so the quota sells out and the last attempts wait. Beside it, \
         pgbench on one hot row with the issue's 3-statement registration transaction \
         (bench/pgbench/hot_row.sql: guarded UPDATE of the quota row, INSERT of the registration, INSERT of \
         its email with the same rendered body as Rencontre's), with the same number of attempts and \
         clients.\n",
        thousands(s2["attempts_planned"].as_f64().unwrap_or(0.0)),
        run.text("param.CLIENTS"),
        run.text("layout.hot"),
    );
    let p = |b: Option<&Pgbench>, q: f64| {
        b.and_then(|p| p.latency.as_ref())
            .and_then(|h| histogram_ms(h, q))
    };
    let _ = writeln!(
        md,
        "| | Rencontre (HTTP) | pgbench, 3 statements, one hot row |"
    );
    let _ = writeln!(md, "|---|---|---|");
    load_row(
        md,
        "attempts",
        &[
            thousands(s2["requests"].as_f64().unwrap_or(0.0)),
            hot_row.map_or("–".into(), |p| p.processed.clone()),
        ],
    );
    load_row(
        md,
        "elapsed",
        &[
            secs(s2["elapsed_s"].as_f64()),
            secs(run.number("pgb_hot_row.wall_s")),
        ],
    );
    load_row(
        md,
        "**throughput** (registrations/s)",
        &[
            format!("**{}**", rate(s2["throughput"].as_f64())),
            format!("**{}**", rate(hot_row.and_then(|p| p.tps))),
        ],
    );
    load_row(
        md,
        "confirmed / waitlisted",
        &[
            format!(
                "{} / {}",
                thousands(outcome_count(s2, "confirmed") as f64),
                thousands(outcome_count(s2, "waitlisted") as f64)
            ),
            "–".into(),
        ],
    );
    load_row(
        md,
        "errors",
        &[
            errors_of(s2).1,
            hot_row.map_or("–".into(), |p| p.failed.to_string()),
        ],
    );
    load_row(
        md,
        "latency p50",
        &[ms(latency(s2, "p50_ms")), ms(p(hot_row, 0.5))],
    );
    load_row(
        md,
        "latency p95",
        &[ms(latency(s2, "p95_ms")), ms(p(hot_row, 0.95))],
    );
    load_row(
        md,
        "latency p99",
        &[ms(latency(s2, "p99_ms")), ms(p(hot_row, 0.99))],
    );
    load_row(
        md,
        "`rencontre check` after",
        &[run.text("s2.check"), "(not Rencontre's schema)".into()],
    );
    load_row(
        md,
        "CPU, cores busy: server / PostgreSQL / client",
        &[
            format!(
                "{} / {} / {}",
                cores(run.number("s2.cpu_serve_s"), run.number("s2.wall_s")),
                cores(run.number("s2.cpu_pg_s"), run.number("s2.wall_s")),
                cores(s2["load_cpu_s"].as_f64(), run.number("s2.wall_s"))
            ),
            format!(
                "– / {} / {}",
                cores(
                    run.number("pgb_hot_row.cpu_pg_s"),
                    run.number("pgb_hot_row.wall_s")
                ),
                cores(
                    run.number("pgb_hot_row.cpu_pgbench_s"),
                    run.number("pgb_hot_row.wall_s")
                )
            ),
        ],
    );
    load_row(
        md,
        "statements sent per attempt",
        &[
            run.text("s2.statements_per_attempt"),
            run.text("pgb_hot_row.statements_per_attempt"),
        ],
    );
    load_row(
        md,
        "WAL flush (fdatasync), mean",
        &[
            ms(wal_flush_ms(run, "s2")),
            ms(wal_flush_ms(run, "pgb_hot_row")),
        ],
    );
    load_row(
        md,
        "MultiXact SLRU traffic (pg_stat_slru)",
        &[multixact(run, "s2"), multixact(run, "pgb_hot_row")],
    );
    let _ = writeln!(md);
    let _ = writeln!(
        md,
        "Rencontre on one hot quota: **{}** the 3-statement single-hot-row pgbench figure.\n",
        ratio(s2["throughput"].as_f64(), hot_row.and_then(|p| p.tps))
            .map_or("–".into(), |r| format!("{r:.2}×")),
    );
    if let Some((split, before, after)) = phases(s2) {
        let _ = writeln!(
            md,
            "The quota's last place was given in second {split:.0}: {} answers/s before, {} answers/s on the waiting list after.\n",
            thousands(before),
            thousands(after)
        );
    }
    let _ = writeln!(
        md,
        "WAL: Rencontre {}; 3-statement pgbench {}.\n",
        wal_line(run, "s2"),
        wal_line(run, "pgb_hot_row")
    );
}

fn read_row(md: &mut String, label: &str, value: &Value, path: &str) {
    let key = format!("{path} 200");
    let summary = &value["by_outcome"][&key];
    let count = summary["count"].as_f64().unwrap_or(0.0);
    let elapsed = value["elapsed_s"].as_f64().unwrap_or(0.0);
    let errors: u64 = value["errors"]
        .as_object()
        .map(|errors| {
            errors
                .iter()
                .filter(|(kind, _)| kind.starts_with(path))
                .filter_map(|(_, n)| n.as_u64())
                .sum()
        })
        .unwrap_or(0);
    let _ = writeln!(
        md,
        "| {label} | `{path}` | {} | {} | {} | {} | {} | {} | {errors} |",
        thousands(count),
        rate((elapsed > 0.0).then(|| count / elapsed)),
        ms(summary["p50_ms"].as_f64()),
        ms(summary["p95_ms"].as_f64()),
        ms(summary["p99_ms"].as_f64()),
        ms(summary["max_ms"].as_f64()),
    );
}

fn reads_section(
    md: &mut String,
    run: &Run,
    s3: &Value,
    api: Option<&Value>,
    page: Option<&Value>,
    s1: &Value,
) {
    let _ = writeln!(md, "## 3. Public reads\n");
    let page_status = run.text("s3.page_status");
    let _ = writeln!(
        md,
        "{} readers GET the public event (served from the process's copy of the event, re-read from the database \
         at most once a second; the page rendered once per language and copy) while {} \
         registration clients run a rush of {} attempts on the same event, then the readers alone for {} s \
         per page. {}\n",
        run.text("param.CLIENTS"),
        run.text("param.CLIENTS"),
        thousands(run.number("param.READS_RUSH_ATTEMPTS").unwrap_or(0.0)),
        run.text("param.READ_SECONDS"),
        if page_status == "200" {
            "Both the JSON API and the HTML event page are measured.".to_owned()
        } else {
            format!(
                "The HTML page `/events/{{slug}}` answered HTTP {page_status} in this build (the public pages are not merged yet), so only the API is measured."
            )
        }
    );
    let _ = writeln!(
        md,
        "| when | path | requests | throughput | p50 | p95 | p99 | max | errors |"
    );
    let _ = writeln!(md, "|---|---|---|---|---|---|---|---|---|");
    let readers = &s3["readers"];
    if let Some(paths) = readers["paths"].as_array() {
        for path in paths.iter().filter_map(Value::as_str) {
            read_row(md, "during the rush", readers, path);
        }
    }
    if let Some(api) = api {
        read_row(md, "alone", api, "/api/v1/events/rush");
    }
    if let Some(page) = page {
        read_row(md, "alone", page, "/events/rush");
    }
    let _ = writeln!(md);
    let _ = writeln!(
        md,
        "The rush under that read load: {} registrations/s (p99 {}, errors {}), against {} (p99 {}) without readers in scenario 1. \
         CPU during the read-only runs: server {} cores, PostgreSQL {} cores. During the rush the readers \
         alternate between the paths, so each row is half of one stream.\n",
        rate(s3["throughput"].as_f64()),
        ms(latency(s3, "p99_ms")),
        errors_of(s3).1,
        rate(s1["throughput"].as_f64()),
        ms(latency(s1, "p99_ms")),
        cores(
            run.number("s3_alone_api.cpu_serve_s"),
            run.number("s3_alone_api.wall_s")
        ),
        cores(
            run.number("s3_alone_api.cpu_pg_s"),
            run.number("s3_alone_api.wall_s")
        ),
    );
    let _ = writeln!(
        md,
        "MultiXact SLRU traffic during the rush with readers: {} (scenario 1 without readers: {}). \
         `rencontre check` after: {}.\n",
        multixact(run, "s3"),
        multixact(run, "s1"),
        run.text("s3.check")
    );
}

fn export_section(md: &mut String, run: &Run, http_csv: &[HttpExport], http_xlsx: &[HttpExport]) {
    let _ = writeln!(md, "## 4. Exports\n");
    let _ = writeln!(
        md,
        "{} registrations (with 2–3 session choices each, 5% of each country on its waiting list, and their \
         emails) written straight into a copy of the rush event with SQL (bench/sql/export_load.sql, {}), \
         counters set from the rows (`rencontre check`: {}). Each export is run {} times; the table gives the \
         median and the range. `rencontre export` is timed and measured by `/usr/bin/time -v`; the HTTP \
         endpoint by curl, with the server's peak RSS (VmHWM, which only grows) read after the CSV runs and \
         again after the XLSX runs.\n",
        thousands(run.number("param.EXPORT_ROWS").unwrap_or(0.0)),
        secs(run.number("s4.load_s")),
        run.text("s4.check"),
        run.text("param.EXPORT_REPEATS"),
    );
    let _ = writeln!(
        md,
        "| export | median time | range | peak RSS | CPU | size |"
    );
    let _ = writeln!(md, "|---|---|---|---|---|---|");
    let with_questions = format!(
        ", {} answers to 8 questions (scenario 4q)",
        thousands(run.number("s4q.answers").unwrap_or(0.0))
    );
    for (prefix, what) in [("s4", ""), ("s4q", with_questions.as_str())] {
        for format in ["csv", "xlsx"] {
            let times = repeats(run, &format!("{prefix}.cli.{format}"), "wall_s");
            if times.is_empty() {
                continue;
            }
            let rss = repeats(run, &format!("{prefix}.cli.{format}"), "rss_kib");
            let cpu = repeats(run, &format!("{prefix}.cli.{format}"), "cpu_s");
            let _ = writeln!(
                md,
                "| `rencontre export --format {format}`{what} | {} | {} | {} | {} | {} |",
                secs(median(times.clone())),
                range(&times),
                rss.iter()
                    .cloned()
                    .fold(None, |m: Option<f64>, v| Some(m.map_or(v, |m| m.max(v))))
                    .map_or("–".into(), |kib| format!("{:.1} MiB", kib / 1024.0)),
                secs(median(cpu)),
                run.number(&format!("{prefix}.cli.{format}.bytes"))
                    .map_or("–".into(), |b| format!("{:.1} MB", b / 1e6)),
            );
        }
    }
    let start = run.number("s4.http.rss_start_kib");
    for (format, runs) in [("csv", http_csv), ("xlsx", http_xlsx)] {
        let totals: Vec<f64> = runs.iter().map(|r| r.total).collect();
        let peak = runs
            .iter()
            .filter_map(|r| r.rss_hwm_kib)
            .fold(None, |m: Option<f64>, v| Some(m.map_or(v, |m| m.max(v))));
        let statuses: Vec<&str> = runs.iter().map(|r| r.status.as_str()).collect();
        let _ = writeln!(
            md,
            "| `GET …/registrations.{format}` (HTTP {}) | {} (first byte after {}) | {} | server {} (at start {}) | – | {} |",
            statuses.join(", "),
            secs(median(totals.clone())),
            ms(median(runs.iter().map(|r| r.first_byte * 1000.0).collect())),
            range(&totals),
            peak.map_or("–".into(), |kib| format!("{:.1} MiB", kib / 1024.0)),
            start.map_or("–".into(), |kib| format!("{:.1} MiB", kib / 1024.0)),
            runs.first()
                .map_or("–".into(), |r| format!("{:.1} MB", r.bytes / 1e6)),
        );
    }
    let _ = writeln!(md);
    let _ = writeln!(
        md,
        "CSV lines written by the CLI (header included): {}; columns with the questions: {} (scenario 4q, check: {}).\n",
        run.text("s4.cli.csv.lines"),
        run.text("s4q.cli.csv.columns"),
        run.text("s4q.check")
    );
}

fn range(values: &[f64]) -> String {
    let low = values.iter().cloned().fold(f64::INFINITY, f64::min);
    let high = values.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
    if values.is_empty() {
        "–".into()
    } else {
        format!("{low:.2}–{high:.2} s")
    }
}

fn mail_section(md: &mut String, run: &Run) {
    let sink = run.json("s5_sink.json").unwrap_or(Value::Null);
    let _ = writeln!(md, "## 5. Mail drain\n");
    let _ = writeln!(
        md,
        "{} emails rendered by Rencontre in scenario 1 (confirmation or waiting-list text, HTML and calendar \
         attachment, {} bytes on average; the rush's own emails are marked sent and copies of them queued \
         again, in order, up to that number) are pending; then `rencontre worker` sends them over SMTP (no TLS) to a local sink (bench/load.rs smtp-sink), \
         which acknowledges each message after its final dot. Time runs from starting the worker to the \
         moment no row is pending.\n",
        thousands(run.number("s5.rows").unwrap_or(0.0)),
        run.text("s1.email_bytes"),
    );
    let _ = writeln!(md, "| | |");
    let _ = writeln!(md, "|---|---|");
    let _ = writeln!(
        md,
        "| emails | {} |",
        thousands(run.number("s5.rows").unwrap_or(0.0))
    );
    let _ = writeln!(
        md,
        "| worker start → outbox drained | {} (drained: {}) |",
        secs(run.number("s5.drain_s")),
        run.text("s5.drained")
    );
    let _ = writeln!(
        md,
        "| **emails/s** | **{}** |",
        rate(ratio(run.number("s5.rows"), run.number("s5.drain_s")))
    );
    let _ = writeln!(
        md,
        "| emails/s between the sink's first and last message | {} |",
        rate(sink["rate_first_to_last"].as_f64())
    );
    let _ = writeln!(
        md,
        "| messages the sink received / SMTP connections | {} / {} |",
        sink["messages"], sink["connections"]
    );
    let _ = writeln!(
        md,
        "| message upload as the sink saw it (its \"354\" to the final dot): p50 / p99 | {} / {} |",
        ms(sink["data_phase"]["p50_ms"].as_f64()),
        ms(sink["data_phase"]["p99_ms"].as_f64())
    );
    let _ = writeln!(md, "| outbox afterwards | {} |", run.text("s5.outcome"));
    let _ = writeln!(
        md,
        "| rows retried or with an error | {} |",
        run.text("s5.retried")
    );
    let _ = writeln!(
        md,
        "| CPU: worker / PostgreSQL | {} / {} cores |",
        cores(run.number("s5.cpu_worker_s"), run.number("s5.wall_s")),
        cores(run.number("s5.cpu_pg_s"), run.number("s5.wall_s"))
    );
    let _ = writeln!(
        md,
        "| SQL statements per email | {} |",
        run.text("s5.statements_per_attempt")
    );
    let _ = writeln!(md, "| `rencontre check` after | {} |", run.text("s5.check"));
    let _ = writeln!(md);
}

fn profile_section(md: &mut String, run: &Run, s1: &Value) {
    let _ = writeln!(md, "## Profile of the registration path\n");
    let wall = run.number("s1.wall_s");
    let _ = writeln!(
        md,
        "Measured during scenario 1 unless said otherwise. CPU from /proc (user + system time of each \
         process over the scenario): server {} cores, PostgreSQL {} cores, load generator {} cores, out of {}.\n",
        cores(run.number("s1.cpu_serve_s"), wall),
        cores(run.number("s1.cpu_pg_s"), wall),
        cores(s1["load_cpu_s"].as_f64(), wall),
        run.text("nproc"),
    );
    let _ = writeln!(
        md,
        "**What PostgreSQL's sessions were doing** (pg_stat_activity sampled ten times a second; mean number \
         of sessions in each state and wait). Every registration locks the event row, so one session at a time \
         holds it — in Rencontre the registrar's batch connection, in pgbench whichever transaction got the \
         lock. The holder is *idle in transaction* (waiting for its client's next statement), *active* on the \
         CPU, or flushing WAL; pgbench's other sessions queue on `Lock`, Rencontre's other pooled connections \
         sit *idle*.\n"
    );
    let mut table = |title: &str, name: &str| {
        if let Some((samples, states)) = session_states(run, name) {
            let _ = writeln!(md, "| {title} ({samples} samples) | mean sessions |");
            let _ = writeln!(md, "|---|---|");
            for (state, mean) in states.iter().take(10) {
                let _ = writeln!(md, "| {state} | {mean:.2} |");
            }
            let _ = writeln!(md);
        }
    };
    table("Rencontre, scenario 1: state — wait", "s1.waits");
    table("pgbench mirror, scenario 1: state — wait", "pgb_rush.waits");
    table("Rencontre, scenario 2: state — wait", "s2.waits");
    table(
        "Rencontre, scenario 3 (rush with readers): state — wait",
        "s3.waits",
    );
    if let Some(statements) = run.file("s1.statements.txt") {
        let _ = writeln!(
            md,
            "**Statements per attempt** (pg_stat_statements over scenario 1; server-side execution time only, \
             not the round trips between them):\n\n```text\n{}```\n",
            statements
        );
    }
    if run.fact("profile.perf") == Some("yes") {
        let _ = writeln!(
            md,
            "**perf** (`perf record -e cpu-clock -F 499 -a`, during a separate run of {} attempts on a fresh \
             copy of the rush event). CPU samples by command and object:\n\n```text\n{}```\n",
            run.text("param.PROFILE_ATTEMPTS"),
            run.file("perf.split.txt").unwrap_or_default()
        );
        let _ = writeln!(
            md,
            "Hottest symbols in the server:\n\n```text\n{}```\n",
            run.file("perf.serve.txt").unwrap_or_default()
        );
        let _ = writeln!(
            md,
            "Hottest symbols in the PostgreSQL cluster:\n\n```text\n{}```\n",
            run.file("perf.pg.txt").unwrap_or_default()
        );
    } else {
        let _ = writeln!(md, "perf: {}.\n", run.text("profile.perf"));
    }
}

fn how_to_run(md: &mut String, run: &Run) {
    let _ = writeln!(md, "## How to run\n");
    let _ = writeln!(
        md,
        "```\nmake bench\n```\n\n\
         Needs the Rust toolchain and PostgreSQL's packages (`apt-get install postgresql postgresql-contrib`; \
         pgbench comes with them); installs GNU `time` if it is missing; uses `perf` when it is there. It builds \
         in release mode (here {} s; a first build from nothing took about 18 minutes on this machine while \
         others were building too), then runs the scenarios (here {:.1} minutes in all, build included), starts its own PostgreSQL cluster in `.local/bench-pg` on \
         port 54339 (`RENCONTRE_BENCH_PG_PORT`), the server on 127.0.0.1:18089 and the SMTP sink on \
         127.0.0.1:12589 (`BENCH_HTTP_PORT`, `BENCH_SMTP_PORT`), stops all of them at the end, and leaves the \
         raw results (JSON, pgbench logs, samples, perf data) in `.local/bench/run/`. Sizes can be changed \
         through `BENCH_CLIENTS`, `BENCH_RUSH_ATTEMPTS`, `BENCH_HOT_ATTEMPTS`, `BENCH_READS_RUSH_ATTEMPTS`, \
         `BENCH_READ_SECONDS`, `BENCH_EXPORT_ROWS`, `BENCH_EXPORT_REPEATS`, `BENCH_MAIL_ROWS`, \
         `BENCH_PROFILE_ATTEMPTS`, `BENCH_POOL_SIZE`, `BENCH_LOAD_THREADS`, `BENCH_PREVIOUS_ROWS` (the previous \
         event of scenario 1b), `BENCH_BACKOFFICE_ROWS`, `BENCH_BACKOFFICE_RUSH_ATTEMPTS`, \
         `BENCH_BACKOFFICE_ORGANISERS`, `BENCH_BACKOFFICE_REQUESTS` (per page) and `BENCH_BACKOFFICE_EXPORTS` \
         (scenario 6). This run's sizes: {}.\n",
        run.number("build_s")
            .map_or("?".into(), |s| format!("{s:.0}")),
        run.number("total_s").unwrap_or(0.0) / 60.0,
        run.facts
            .iter()
            .filter_map(|(key, value)| key
                .strip_prefix("param.")
                .map(|name| format!("{name}={value}")))
            .collect::<Vec<_>>()
            .join(", "),
    );
    let _ = Path::new(".");
}
