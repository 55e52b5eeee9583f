//! The report's sections for a platform's later events and for a large
//! event's organisers: scenario 1b (the rush as the second event of an
//! analyzed database), scenario 6 (the back office at scale) and the COPY
//! ceiling of the exports.

use std::fmt::Write as _;

use serde_json::Value;

use super::{
    Run, Target, at_least, at_most, errors_of, latency, median, ms, outcome_count, range, rate,
    ratio, secs, thousands,
};

/// Second rush's throughput over the first one's.
pub fn second_event_ratio(s1: &Value, s1b: &Value) -> Option<f64> {
    ratio(s1b["throughput"].as_f64(), s1["throughput"].as_f64())
}

/// The export over HTTP (median) against COPY of its statement (median).
pub fn copy_ratio(run: &Run, http_csv_median: Option<f64>) -> Option<f64> {
    ratio(http_csv_median, median(copies(run)))
}

fn copies(run: &Run) -> Vec<f64> {
    super::repeats(run, "s4.copy", "wall_s")
}

/// The pages of a back-office result, the CSV export aside (it is a
/// download, not a page, and has a budget of its own).
fn pages(result: &Value) -> Vec<&Value> {
    result["pages"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|page| page["label"].as_str() != Some("CSV export"))
        .collect()
}

/// A page's latency quantile; none when it got no 200 answer.
fn page_ms(page: &Value, key: &str) -> Option<f64> {
    (page["latency"]["count"].as_u64().unwrap_or(0) > 0)
        .then(|| latency(page, key))
        .flatten()
}

/// The slowest page's p99 and its label.
fn worst_p99(result: &Value) -> Option<(f64, String)> {
    pages(result)
        .into_iter()
        .filter_map(|page| Some((latency(page, "p99_ms")?, page["label"].as_str()?.to_owned())))
        .max_by(|a, b| a.0.total_cmp(&b.0))
}

/// Pages that answered something else than 200 at least once.
fn failures(result: &Value) -> Vec<String> {
    pages(result)
        .into_iter()
        .filter_map(|page| {
            let statuses = page["statuses"].as_object()?;
            let bad: Vec<String> = statuses
                .iter()
                .filter(|(status, _)| status.as_str() != "200")
                .map(|(status, count)| format!("{count} × {status}"))
                .collect();
            (!bad.is_empty()).then(|| {
                format!(
                    "{}: {}",
                    page["label"].as_str().unwrap_or("?"),
                    bad.join(", ")
                )
            })
        })
        .collect()
}

pub fn targets(run: &Run, s1: &Value, s1b: &Value, http_csv_median: Option<f64>) -> Vec<Target> {
    let alone = run.json("s6_alone.json").unwrap_or(Value::Null);
    let during = run.json("s6_rush.json").unwrap_or(Value::Null);
    let second = second_event_ratio(s1, s1b);
    let copy = copy_ratio(run, http_csv_median);
    let worst = |result: &Value, goal: f64, what: &'static str| {
        let found = worst_p99(result);
        let broken = failures(result);
        let mut target = at_most(
            what,
            found.as_ref().map(|(p99, _)| *p99),
            goal,
            found.as_ref().map_or("–".into(), |(p99, label)| {
                format!("{} (slowest: {label})", ms(Some(*p99)))
            }),
        );
        if !broken.is_empty() {
            target.met = Some(false);
            target.measured = format!("{}; not 200: {}", target.measured, broken.join("; "));
        }
        target
    };
    vec![
        at_least(
            "Rush as the platform's second event (scenario 1b, after a previous event and ANALYZE): ≥ 90% of the first event's throughput",
            second,
            0.9,
            second.map_or("–".into(), |r| format!("{:.0}%", r * 100.0)),
        ),
        worst(
            &alone,
            50.0,
            "Back office (scenario 6): every page and API list p99 ≤ 50 ms alone",
        ),
        worst(
            &during,
            150.0,
            "Back office (scenario 6): every page and API list p99 ≤ 150 ms during a rush",
        ),
        at_most(
            "Export CSV over HTTP: ≤ 2× `COPY (its query) TO STDOUT WITH CSV`",
            copy,
            2.0,
            copy.map_or("–".into(), |r| format!("{r:.2}×")),
        ),
    ]
}

pub fn second_event_section(md: &mut String, run: &Run, s1: &Value, s1b: &Value) {
    let _ = writeln!(md, "## 1b. The rush as the platform's second event\n");
    let _ = writeln!(
        md,
        "Real platforms open an event on the database of the previous ones. The same rush as scenario 1 (same \
         attempts, clients, layout and random choices) on a *new* event, created through the organiser API \
         ({}), of a database that already holds a previous event of {} registrations (bench/sql/export_load.sql, \
         {}, then `ANALYZE`: statistics from {}). A plan that depends on whether the event is in the statistics \
         shows here: a probe estimated at one row for the new event but served by an index on `event_id` reads \
         every registration the new event already has, and rows read per attempt grow with the rush. Rows read \
         are `idx_tup_fetch + seq_tup_read` of `registrations` in pg_stat_user_tables over each rush.\n",
        run.text("layout.second"),
        thousands(run.number("s1b.previous_rows").unwrap_or(0.0)),
        secs(run.number("s1b.load_s")),
        run.text("s1b.analyzed"),
    );
    let _ = writeln!(
        md,
        "| | first event, empty database (scenario 1) | second event, after {} registrations |",
        thousands(run.number("param.PREVIOUS_ROWS").unwrap_or(0.0))
    );
    let _ = writeln!(md, "|---|---|---|");
    let row = |md: &mut String, label: &str, cell: &dyn Fn(&Value, &str) -> String| {
        let _ = writeln!(
            md,
            "| {label} | {} | {} |",
            cell(s1, "s1"),
            cell(s1b, "s1b")
        );
    };
    row(md, "attempts", &|v, _| {
        thousands(v["requests"].as_f64().unwrap_or(0.0))
    });
    row(md, "**throughput** (registrations/s)", &|v, _| {
        format!("**{}**", rate(v["throughput"].as_f64()))
    });
    row(md, "confirmed / waitlisted", &|v, _| {
        format!(
            "{} / {}",
            thousands(outcome_count(v, "confirmed") as f64),
            thousands(outcome_count(v, "waitlisted") as f64)
        )
    });
    row(md, "errors", &|v, _| errors_of(v).1);
    row(md, "latency p50 / p99", &|v, _| {
        format!(
            "{} / {}",
            ms(latency(v, "p50_ms")),
            ms(latency(v, "p99_ms"))
        )
    });
    row(
        md,
        "**rows of `registrations` read per attempt**",
        &|_, k| format!("**{}**", run.text(&format!("{k}.rows_fetched_per_attempt"))),
    );
    row(md, "PostgreSQL CPU per attempt", &|_, k| match (
        run.number(&format!("{k}.cpu_pg_s")),
        run.number(&format!("{k}.attempts")),
    ) {
        (Some(cpu), Some(attempts)) if attempts > 0.0 => {
            format!("{:.3} ms", cpu * 1000.0 / attempts)
        }
        _ => "–".into(),
    });
    row(md, "server-side execution per attempt", &|_, k| {
        format!("{} ms", run.text(&format!("{k}.exec_ms_per_attempt")))
    });
    row(md, "statements sent per attempt", &|_, k| {
        run.text(&format!("{k}.statements_per_attempt"))
    });
    row(
        md,
        "indexes of `registrations` used (scans, rows fetched)",
        &|_, k| {
            run.fact(&format!("{k}.registration_indexes"))
                .map_or("–".into(), |text| {
                    text.split('|')
                        .filter_map(|part| {
                            let fields: Vec<&str> = part.split_whitespace().collect();
                            match fields.as_slice() {
                                [name, scans, rows] => Some(format!("`{name}` {scans}, {rows}")),
                                _ => None,
                            }
                        })
                        .collect::<Vec<_>>()
                        .join("; ")
                })
        },
    );
    row(md, "`rencontre check` after", &|_, k| {
        run.text(&format!("{k}.check"))
    });
    let _ = writeln!(
        md,
        "\nSecond rush / first rush: **{}** of the throughput (target: within 10%).\n",
        second_event_ratio(s1, s1b).map_or("–".into(), |r| format!("{:.0}%", r * 100.0))
    );
}

pub fn copy_rows(md: &mut String, run: &Run, http_csv_median: Option<f64>) {
    let copies = copies(run);
    if copies.is_empty() {
        let _ = writeln!(
            md,
            "\n`COPY` of the export's statement: {}.\n",
            run.text("s4.copy")
        );
        return;
    }
    let cli = median(super::repeats(run, "s4.cli.csv", "wall_s"));
    let _ = writeln!(
        md,
        "\n**Against PostgreSQL's own speed.** The export's statement with the binds it was sent with, as the \
         server logged them during one more `rencontre export` (`log_min_duration_statement` on that database \
         only; `.local/bench/run/s4.copy_query.sql`), run as `COPY (…) TO STDOUT WITH CSV` by psql into a \
         file, {} times on the same data: median {} (range {}, {} lines, {:.1} MB). The HTTP CSV export takes **{}** that time (target ≤ 2×), `rencontre export` {}.\n",
        copies.len(),
        secs(median(copies.clone())),
        range(&copies),
        run.text("s4.copy.lines"),
        run.number("s4.copy.bytes").unwrap_or(0.0) / 1e6,
        copy_ratio(run, http_csv_median).map_or("–".into(), |r| format!("{r:.2}×")),
        ratio(cli, median(copies.clone())).map_or("–".into(), |r| format!("{r:.2}×")),
    );
}

pub fn backoffice_section(md: &mut String, run: &Run) {
    let (Some(alone), during) = (run.json("s6_alone.json"), run.json("s6_rush.json")) else {
        return;
    };
    let during = during.unwrap_or(Value::Null);
    let _ = writeln!(
        md,
        "## 6. Back office at {}\n",
        thousands(run.number("s6.rows").unwrap_or(0.0))
    );
    let _ = writeln!(
        md,
        "An event of {} registrations written by bench/sql/export_load.sql ({}; {} of them named Traoré; \
         `rencontre check` after the scenario: {}). {} organisers log in through `/admin/login` (its CSRF \
         field included), each keeping its own session cookie, and ask for the pages below; API calls carry \
         the bench token. *Alone*: each page {} times from all the organisers at once, one page after the \
         other (the CSV export {} times). *During a rush*: the same pages in turn from the same organisers \
         while {} registration attempts from {} clients run on the same event; the event is full, so they \
         join its waiting lists (the same INSERTs as confirmed ones; the waiting-list counters move instead of \
         the places). Latencies are of the 200 answers; any other answer is counted in the last column.\n",
        thousands(run.number("s6.rows").unwrap_or(0.0)),
        secs(run.number("s6.load_s")),
        thousands(run.number("s6.traore_rows").unwrap_or(0.0)),
        run.text("s6.check"),
        run.text("param.BACKOFFICE_ORGANISERS"),
        run.text("param.BACKOFFICE_REQUESTS"),
        run.text("param.BACKOFFICE_EXPORTS"),
        thousands(run.number("param.BACKOFFICE_RUSH_ATTEMPTS").unwrap_or(0.0)),
        run.text("param.CLIENTS"),
    );
    let _ = writeln!(
        md,
        "| page | alone p50 | alone p99 | during the rush p50 | during the rush p99 | answers (alone; during) | size |"
    );
    let _ = writeln!(md, "|---|---|---|---|---|---|---|");
    let during_pages = during["pages"].as_array().cloned().unwrap_or_default();
    let statuses = |page: &Value| {
        page["statuses"].as_object().map_or("–".into(), |s| {
            s.iter()
                .map(|(status, count)| format!("{count} × {status}"))
                .collect::<Vec<_>>()
                .join(", ")
        })
    };
    for page in alone["pages"].as_array().into_iter().flatten() {
        let label = page["label"].as_str().unwrap_or("?");
        let other = during_pages
            .iter()
            .find(|other| other["label"].as_str() == Some(label));
        let budget = |value: Option<f64>, goal: f64| match value {
            Some(v) if label != "CSV export" && v > goal => format!("**{}**", ms(Some(v))),
            other => ms(other),
        };
        let _ = writeln!(
            md,
            "| {label} `{}` | {} | {} | {} | {} | {}; {} | {} |",
            page["path"].as_str().unwrap_or("?"),
            ms(page_ms(page, "p50_ms")),
            budget(page_ms(page, "p99_ms"), 50.0),
            ms(other.and_then(|o| page_ms(o, "p50_ms"))),
            budget(other.and_then(|o| page_ms(o, "p99_ms")), 150.0),
            statuses(page),
            other.map_or("–".into(), statuses),
            page["mean_bytes"]
                .as_f64()
                .map_or("–".into(), |b| format!("{:.0} kB", b / 1000.0)),
        );
    }
    let _ = writeln!(
        md,
        "\nBold: over the page budget (p99 ≤ 50 ms alone, ≤ 150 ms during the rush). `traore` (no accent) \
         finds {} registration(s) by the API's `total` (the page says \"{}\"); the event has {} Traoré.\n",
        alone["traore"]["api_total"]
            .as_f64()
            .map_or("?".into(), thousands),
        alone["traore"]["page_says"].as_str().unwrap_or("?"),
        thousands(run.number("s6.traore_rows").unwrap_or(0.0)),
    );
    let rush = &during["rush"];
    let _ = writeln!(
        md,
        "The rush alongside: {} attempts, {} ({} confirmed, {} waitlisted), p99 {}, errors {}.\n",
        thousands(rush["requests"].as_f64().unwrap_or(0.0)),
        rate(rush["throughput"].as_f64()),
        thousands(outcome_count(rush, "confirmed") as f64),
        thousands(outcome_count(rush, "waitlisted") as f64),
        ms(latency(rush, "p99_ms")),
        errors_of(rush).1,
    );
    let cursors = &alone["cursors"];
    let walks = cursors["walks"].as_array().cloned().unwrap_or_default();
    if walks.is_empty() {
        let _ = writeln!(
            md,
            "**Keyset pagination**: no answer carried a cursor (API `next`: {}, back-office `after=` link: {}), \
             so the deep pages are only reached by `page`.\n",
            cursors["api"].as_bool().unwrap_or(false),
            cursors["back_office"].as_bool().unwrap_or(false),
        );
    } else {
        let _ = writeln!(
            md,
            "**Keyset pagination**: answers carry a cursor, so the deep pages were also reached by walking \
             `next` from the first page, one organiser, one page after the other; the deep page's cursor is \
             then measured like any page (the rows *by cursor* above).\n"
        );
        let _ = writeln!(md, "| walk | pages walked | time | per page p50 / p99 |");
        let _ = writeln!(md, "|---|---|---|---|");
        for walk in &walks {
            let _ = writeln!(
                md,
                "| {} | {} of {}{} | {} | {} / {} |",
                walk["label"].as_str().unwrap_or("?"),
                walk["hops"],
                walk["hops_planned"],
                if walk["reached"].as_bool() == Some(true) {
                    ""
                } else {
                    " (the cursors ran out)"
                },
                secs(walk["walk_s"].as_f64()),
                ms(latency(&walk["hop"], "p50_ms")),
                ms(latency(&walk["hop"], "p99_ms")),
            );
        }
        let _ = writeln!(md);
    }
    if let Some(statements) = run.file("s6.statements.txt") {
        let _ = writeln!(
            md,
            "**Slowest statements** (pg_stat_statements over the pages alone, by mean time):\n\n```text\n{statements}```\n"
        );
    }
    match run.file("s6.explain.txt") {
        Some(plan) => {
            let _ = writeln!(
                md,
                "**The slowest plan**, `EXPLAIN (ANALYZE, BUFFERS)` as auto_explain logged it (on this database \
                 only, `log_analyze` and `log_buffers` on) during one more visit of each page with the binds the \
                 pages send; the slowest of the {} statements it logged:\n\n```text\n{plan}```\n",
                run.text("s6.explained"),
            );
        }
        None => {
            let _ = writeln!(md, "No plan was logged by auto_explain.\n");
        }
    }
}
