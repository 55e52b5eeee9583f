#!/usr/bin/env bash
# `make bench`: builds in release mode, starts a PostgreSQL cluster of its
# own (bench/pg.sh), a Rencontre server and an SMTP sink on loopback ports,
# runs the scenarios of BENCHMARKS.md with the load generator (bench/load.rs)
# and the same-run pgbench ceilings, and writes BENCHMARKS.md.
#
# Everything it starts, it stops (on success, failure or Ctrl-C). Results of
# the last run stay in .local/bench/run/ (JSON, pgbench logs, profiles).
#
# Sizes and ports can be changed through the environment (BENCH_* below);
# the defaults are the ones BENCHMARKS.md reports.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

CLIENTS=${BENCH_CLIENTS:-64}
RUSH_ATTEMPTS=${BENCH_RUSH_ATTEMPTS:-20000}
HOT_ATTEMPTS=${BENCH_HOT_ATTEMPTS:-6000}
READS_RUSH_ATTEMPTS=${BENCH_READS_RUSH_ATTEMPTS:-3000}
READ_SECONDS=${BENCH_READ_SECONDS:-15}
EXPORT_ROWS=${BENCH_EXPORT_ROWS:-100000}
EXPORT_REPEATS=${BENCH_EXPORT_REPEATS:-3}
MAIL_ROWS=${BENCH_MAIL_ROWS:-10000}
PROFILE_ATTEMPTS=${BENCH_PROFILE_ATTEMPTS:-2000}
POOL_SIZE=${BENCH_POOL_SIZE:-16}
HTTP_PORT=${BENCH_HTTP_PORT:-18089}
SMTP_PORT=${BENCH_SMTP_PORT:-12589}
METRICS_PORT=${BENCH_METRICS_PORT:-19189}
LOAD_THREADS=${BENCH_LOAD_THREADS:-1}
PREVIOUS_ROWS=${BENCH_PREVIOUS_ROWS:-100000}
BACKOFFICE_ROWS=${BENCH_BACKOFFICE_ROWS:-150000}
BACKOFFICE_RUSH_ATTEMPTS=${BENCH_BACKOFFICE_RUSH_ATTEMPTS:-5000}
BACKOFFICE_ORGANISERS=${BENCH_BACKOFFICE_ORGANISERS:-8}
BACKOFFICE_REQUESTS=${BENCH_BACKOFFICE_REQUESTS:-24}
BACKOFFICE_EXPORTS=${BENCH_BACKOFFICE_EXPORTS:-4}
# BENCH_ONLY=6 runs the layouts and scenario 6 alone (the back office at
# scale), for before/after comparisons of one change in one sitting; it
# prints the pages' figures and leaves BENCHMARKS.md as it is.
ONLY=${BENCH_ONLY:-}
case "$ONLY" in
    "" | 6) ;;
    *) echo "BENCH_ONLY: only 6 (the back office at scale) can run alone" >&2; exit 2 ;;
esac
# BENCH_PREBUILT=DIR takes rencontre and bench from DIR instead of building
# them, so that two builds can be measured one after the other.
PREBUILT=${BENCH_PREBUILT:-}

out="$root/.local/bench/run"
bin="$out/bin"
facts="$out/facts.tsv"
pg_data="$root/.local/bench-pg"

calc() { awk "BEGIN { printf \"%.6f\", $* }"; }
log() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
fact() { printf '%s\t%s\n' "$1" "$2" >>"$facts"; }
die() { log "FAILED: $*"; exit 1; }

# ------------------------------------------------------------ processes ----

serve_pid=""
worker_pid=""
sink_pid=""
sampler_pid=""

stop_pid() {
    local pid=$1
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
        kill -TERM "$pid" 2>/dev/null || true
        for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    fi
}

cleanup() {
    local status=$?
    stop_pid "$sampler_pid"
    stop_pid "$serve_pid"
    stop_pid "$worker_pid"
    stop_pid "$sink_pid"
    bench/pg.sh stop || true
    if [ "$status" != 0 ]; then
        log "stopped with status $status; logs are in $out"
    fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ------------------------------------------------------------ prerequisites ----

if [ ! -x /usr/bin/time ]; then
    log "installing GNU time (for peak memory of the exports)"
    if [ "$(id -u)" = 0 ]; then
        apt-get install -y -qq time >/dev/null || { apt-get update -qq && apt-get install -y -qq time >/dev/null; }
    else
        die "/usr/bin/time is missing: apt-get install time"
    fi
fi
command -v curl >/dev/null || die "curl is missing: apt-get install curl"

run_started=$(date +%s.%N)
rm -rf "$out"
mkdir -p "$out" "$bin"
: >"$facts"

fact date "$(date -u '+%Y-%m-%d %H:%M UTC')"
fact command "make bench${BENCH_ENV_NOTE:+ ($BENCH_ENV_NOTE)}"
fact nproc "$(nproc)"
fact memory "$(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)"
fact cpu "$(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)"
fact kernel "$(uname -r)"
fact rustc "$(rustc --version)"
fact commit "$(git describe --always --dirty 2>/dev/null || echo unknown)"
fact loadavg_before "$(cut -d' ' -f1-3 /proc/loadavg)"
for name in CLIENTS RUSH_ATTEMPTS HOT_ATTEMPTS READS_RUSH_ATTEMPTS READ_SECONDS EXPORT_ROWS \
            EXPORT_REPEATS MAIL_ROWS PROFILE_ATTEMPTS POOL_SIZE LOAD_THREADS PREVIOUS_ROWS \
            BACKOFFICE_ROWS BACKOFFICE_RUSH_ATTEMPTS BACKOFFICE_ORGANISERS BACKOFFICE_REQUESTS \
            BACKOFFICE_EXPORTS; do
    fact "param.$name" "${!name}"
done

# ------------------------------------------------------------------ build ----

if [ -n "$PREBUILT" ]; then
    cp "$PREBUILT/rencontre" "$PREBUILT/bench" "$bin/"
else
    log "building in release mode"
    build_started=$(date +%s.%N)
    cargo build --release --quiet --bin rencontre --example bench
    fact build_s "$(calc "$(date +%s.%N) - $build_started")"
    # Copies, so that a developer's `make run` cannot swap the binary mid-run.
    cp target/release/rencontre target/release/examples/bench "$bin/"
fi
rencontre="$bin/rencontre"
load() { "$bin/bench" --threads "$LOAD_THREADS" "$@"; }

# ------------------------------------------------------------- database ----

log "starting the benchmark's PostgreSQL cluster"
bench/pg.sh start
pg_bin=$(bench/pg.sh bindir)
pg_port=${RENCONTRE_BENCH_PG_PORT:-54339}
psql_in() { local db=$1; shift; "$pg_bin/psql" -X -q -h 127.0.0.1 -p "$pg_port" -U postgres -d "$db" -v ON_ERROR_STOP=1 "$@"; }
value() { psql_in "$1" -tA -c "$2"; }
url() { bench/pg.sh url "$1"; }
postmaster_pid() { head -n1 "$pg_data/postmaster.pid"; }

fact postgres "$(value postgres 'SELECT version()' | sed 's/ on .*//')"
fact pg_settings "$(value postgres "SELECT string_agg(name || '=' || setting || coalesce(unit, ''), ', ' ORDER BY name) FROM pg_settings WHERE name IN ('fsync', 'synchronous_commit', 'full_page_writes', 'wal_sync_method', 'shared_buffers', 'max_wal_size', 'commit_delay', 'wal_level', 'max_connections')")"

for db in $(value postgres "SELECT datname FROM pg_database WHERE datname LIKE 'bench\_%'"); do
    psql_in postgres -c "DROP DATABASE \"$db\" WITH (FORCE)"
done
clone() { psql_in postgres -c "CREATE DATABASE \"$2\" TEMPLATE \"$1\""; }

unset RENCONTRE_ENV
export RENCONTRE_CONFIG_DIR="$root/config"
psql_in postgres -c 'CREATE DATABASE bench_template'
DATABASE_URL=$(url bench_template) "$rencontre" migrate >>"$out/cli.log" 2>&1
psql_in bench_template -c 'CREATE EXTENSION IF NOT EXISTS pg_stat_statements'
export BENCH_PASSWORD=bench-password
echo "$BENCH_PASSWORD" | DATABASE_URL=$(url bench_template) \
    "$rencontre" organiser add bench@bench.example.org --name Benchmark --role admin --password-stdin >>"$out/cli.log"
token=$(DATABASE_URL=$(url bench_template) "$rencontre" token create bench@bench.example.org)
export BENCH_TOKEN="$token"

# ------------------------------------------------------------ accounting ----

# CPU ticks (1/100 s) of a process and its reaped children.
ticks_of() { awk '{print $14 + $15 + $16 + $17}' "/proc/$1/stat" 2>/dev/null || echo 0; }
# The whole cluster: the postmaster (whose reaped children count in its own
# cutime/cstime) plus every live backend and helper.
pg_ticks() {
    local pm total=0 child
    pm=$(postmaster_pid)
    total=$(ticks_of "$pm")
    for child in $(ps -o pid= --ppid "$pm"); do
        total=$((total + $(ticks_of "$child")))
    done
    echo "$total"
}
# Busy ticks of the whole machine (everyone's processes).
machine_ticks() { awk '/^cpu / {print $2 + $3 + $4 + $7 + $8 + $9}' /proc/stat; }

declare -A mark
cpu_start() { mark[wall]=$(date +%s.%N); mark[pg]=$(pg_ticks); mark[machine]=$(machine_ticks); mark[serve]=$( [ -n "$serve_pid" ] && ticks_of "$serve_pid" || echo 0); }
# cpu_stop PREFIX [EXTRA_PID_TICKS_LABEL EXTRA_TICKS]...
cpu_stop() {
    local prefix=$1 wall pg machine serve
    wall=$(calc "$(date +%s.%N) - ${mark[wall]}")
    pg=$(( $(pg_ticks) - ${mark[pg]} ))
    machine=$(( $(machine_ticks) - ${mark[machine]} ))
    serve=$(( $( [ -n "$serve_pid" ] && ticks_of "$serve_pid" || echo 0) - ${mark[serve]} ))
    fact "$prefix.wall_s" "$wall"
    fact "$prefix.cpu_pg_s" "$(calc "$pg / 100")"
    fact "$prefix.cpu_serve_s" "$(calc "$serve / 100")"
    fact "$prefix.cpu_machine_s" "$(calc "$machine / 100")"
}

# What PostgreSQL's sessions of one database are doing, ten times a second:
# lines "sample|state|wait" counted later by the report.
sampler_start() {
    local db=$1 file=$2
    printf '%s\n' \
        "SELECT now()::text || '|' || coalesce(state, '?') || '|' || coalesce(wait_event_type || ':' || wait_event, 'CPU') || '|' || count(*) FROM pg_stat_activity WHERE datname = '$db' AND backend_type = 'client backend' AND pid <> pg_backend_pid() GROUP BY state, wait_event_type, wait_event" \
        '\watch 0.1' |
        "$pg_bin/psql" -X -q -tA -h 127.0.0.1 -p "$pg_port" -U postgres -d postgres >"$file" 2>/dev/null &
    sampler_pid=$!
}
sampler_stop() { stop_pid "$sampler_pid"; sampler_pid=""; }

stats_reset() {
    psql_in "$1" -q -c 'SELECT pg_stat_statements_reset()' -c 'SELECT pg_stat_reset()' -c "SELECT pg_stat_reset_shared('wal')" \
        -c 'SELECT pg_stat_reset_slru(NULL)' >/dev/null
}

# Statements per attempt and WAL flushes, as PostgreSQL counted them.
stats_collect() {
    local db=$1 prefix=$2 attempts=$3
    psql_in "$db" -P pager=off -P footer=off -c "
        SELECT CASE WHEN toplevel THEN 'client' ELSE 'nested' END AS sent_by,
               calls,
               round(calls::numeric / $attempts, 2) AS per_attempt,
               round(mean_exec_time::numeric, 3) AS mean_ms,
               round((total_exec_time / $attempts)::numeric, 3) AS ms_per_attempt,
               left(regexp_replace(query, '\s+', ' ', 'g'), 100) AS statement
          FROM pg_stat_statements
         WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
           AND query !~* 'pg_stat'
         ORDER BY toplevel DESC, calls DESC, total_exec_time DESC
         LIMIT 40" >"$out/$prefix.statements.txt"
    # Statements the client sent (one round trip each); nested ones are the
    # foreign-key checks and the outbox trigger run inside them.
    fact "$prefix.statements_per_attempt" "$(value "$db" "SELECT round(sum(calls)::numeric / $attempts, 2) FROM pg_stat_statements WHERE toplevel AND dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) AND query !~* 'pg_stat'")"
    fact "$prefix.nested_per_attempt" "$(value "$db" "SELECT round(coalesce(sum(calls), 0)::numeric / $attempts, 2) FROM pg_stat_statements WHERE NOT toplevel AND dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) AND query !~* 'pg_stat'")"
    fact "$prefix.exec_ms_per_attempt" "$(value "$db" "SELECT round((sum(total_exec_time) / $attempts)::numeric, 3) FROM pg_stat_statements WHERE toplevel AND dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) AND query !~* 'pg_stat'")"
    # Execution time of everything but the statement that waits for the event
    # row lock: the work done while holding it (round trips not included).
    fact "$prefix.exec_ms_in_lock" "$(value "$db" "SELECT round((sum(total_exec_time) FILTER (WHERE query !~* 'for no key update' OR query !~* 'events') / $attempts)::numeric, 3) FROM pg_stat_statements WHERE toplevel AND dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) AND query !~* 'pg_stat'")"
    fact "$prefix.attempts" "$attempts"
    fact "$prefix.commits" "$(value "$db" "SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()")"
    # MultiXact traffic: rows locked or updated by more than one (sub)transaction.
    fact "$prefix.multixact" "$(value "$db" "SELECT string_agg(name || ' ' || (blks_zeroed + blks_hit + blks_read) || ' ' || blks_zeroed || ' ' || blks_read, '|' ORDER BY name) FROM pg_stat_slru WHERE name IN ('MultiXactMember', 'MultiXactOffset')")"
    fact "$prefix.wal" "$(value "$db" "SELECT wal_records || '|' || wal_bytes || '|' || wal_write || '|' || wal_sync || '|' || round(wal_sync_time::numeric, 1) FROM pg_stat_wal")"
}

# Rows of `registrations` PostgreSQL read (through indexes and sequential
# scans) per attempt, and which of its indexes served them. Read once the
# server's connections are gone: a backend's table counters reach the
# shared statistics when its transactions end or it exits.
rows_fetched() {
    local db=$1 prefix=$2 attempts=$3
    for _ in $(seq 1 50); do
        [ "$(value postgres "SELECT count(*) FROM pg_stat_activity WHERE datname = '$db' AND backend_type = 'client backend'")" = 0 ] && break
        sleep 0.1
    done
    fact "$prefix.rows_read" "$(value "$db" "SELECT coalesce(idx_tup_fetch, 0) + coalesce(seq_tup_read, 0) FROM pg_stat_user_tables WHERE relname = 'registrations'")"
    fact "$prefix.rows_fetched_per_attempt" "$(value "$db" "SELECT round((coalesce(idx_tup_fetch, 0) + coalesce(seq_tup_read, 0))::numeric / $attempts, 2) FROM pg_stat_user_tables WHERE relname = 'registrations'")"
    fact "$prefix.registration_indexes" "$(value "$db" "SELECT coalesce(string_agg(indexrelname || ' ' || idx_scan || ' ' || idx_tup_fetch, '|' ORDER BY idx_tup_fetch DESC, indexrelname), '') FROM pg_stat_user_indexes WHERE relname = 'registrations' AND idx_scan > 0")"
}

# -------------------------------------------------------------- serving ----

base="http://127.0.0.1:$HTTP_PORT"

# Every simulated delegate comes from 127.0.0.1, where real ones come from
# thousands of addresses: the per-address limit on registrations is raised
# out of the way (not switched off, so its bookkeeping is still measured).
serve_env=()
if grep -q '^registrations_per_minute' config/default.toml 2>/dev/null; then
    serve_env+=(RENCONTRE__HTTP__REGISTRATIONS_PER_MINUTE=1000000000)
    fact rate_limit "raised to 1,000,000,000 registrations a minute per address (RENCONTRE__HTTP__REGISTRATIONS_PER_MINUTE)"
fi

start_serve() {
    local db=$1
    DATABASE_URL=$(url "$db") \
    RENCONTRE__HTTP__BIND="127.0.0.1:$HTTP_PORT" \
    RENCONTRE__HTTP__PUBLIC_URL="$base" \
    RENCONTRE__DATABASE__POOL_SIZE="$POOL_SIZE" \
        env "${serve_env[@]}" "$rencontre" serve --no-worker >>"$out/serve.log" 2>&1 &
    serve_pid=$!
    for _ in $(seq 1 300); do
        if curl -sf "$base/healthz" >/dev/null 2>&1; then return 0; fi
        kill -0 "$serve_pid" 2>/dev/null || die "rencontre serve stopped; see $out/serve.log"
        sleep 0.1
    done
    die "rencontre serve did not answer /healthz within 30 s"
}
stop_serve() { stop_pid "$serve_pid"; serve_pid=""; }

check() {
    local db=$1 prefix=$2
    if DATABASE_URL=$(url "$db") "$rencontre" check >"$out/$prefix.check.txt" 2>&1; then
        fact "$prefix.check" "passed"
    else
        fact "$prefix.check" "FAILED: $(tail -n1 "$out/$prefix.check.txt")"
    fi
    fact "$prefix.statuses" "$(value "$db" "SELECT coalesce(string_agg(status || ' ' || n, ', ' ORDER BY status), 'none') FROM (SELECT status, count(*) AS n FROM registrations GROUP BY status) s")"
}

# -------------------------------------------------------------- layouts ----

log "creating the two event layouts through the organiser API"
for layout in rush hot; do
    clone bench_template "bench_layout_$layout"
    start_serve "bench_layout_$layout"
    fact "layout.$layout" "$(load setup --base "$base" --slug "$layout" --layout "$layout")"
    stop_serve
done

# pgbench's copy of a layout: the event's ids filled into the mirror script,
# and a real email rendered by Rencontre in scenario 1 as its body.
pgbench_prepare() {
    local layout=$1 db=$2 script=$3 event countries sessions codes
    clone "bench_layout_$layout" "$db"
    event=$(value "$db" "SELECT id FROM events WHERE slug = '$layout'")
    countries=$(value "$db" "SELECT 'ARRAY[' || string_agg(quote_literal(country_code::text), ',' ORDER BY capacity DESC, country_code) || ']::text[]' FROM country_quotas WHERE event_id = '$event'")
    sessions=$(value "$db" "SELECT 'ARRAY[' || string_agg(quote_literal(id::text), ',' ORDER BY starts_at, code) || ']::uuid[]' FROM sessions WHERE event_id = '$event'")
    codes=$(value "$db" "SELECT 'ARRAY[' || string_agg(quote_literal(code), ',' ORDER BY starts_at, code) || ']::text[]' FROM sessions WHERE event_id = '$event'")
    sed -e "s/@EVENT@/$event/g" -e "s/@SLUG@/$layout/g" \
        -e "s/@COUNTRIES@/$countries/g" -e "s/@SESSIONS@/$sessions/g" -e "s/@CODES@/$codes/g" \
        bench/pgbench/register.sql >"$script"
    email_template "$db"
}

email_template() {
    psql_in "$1" -c 'CREATE TABLE bench_email_template (kind text, subject text, body_text text, body_html text, attachment_ics text)'
    psql_in bench_s1 -c "\\copy (SELECT DISTINCT ON (kind) kind, subject, body_text, body_html, attachment_ics FROM email_outbox WHERE kind IN ('confirmation', 'waitlisted') ORDER BY kind, created_at) TO STDOUT" |
        psql_in "$1" -c '\copy bench_email_template FROM STDIN'
}

# run_pgbench PREFIX DB SCRIPT ATTEMPTS [-D ...]: the same number of attempts
# as the Rencontre scenario (rounded up to a multiple of the client count).
run_pgbench() {
    local prefix=$1 db=$2 script=$3 attempts=$4
    shift 4
    local per_client=$(( (attempts + CLIENTS - 1) / CLIENTS ))
    stats_reset "$db"
    sampler_start "$db" "$out/$prefix.waits"
    cpu_start
    /usr/bin/time -f '%U %S' -o "$out/$prefix.time" \
        "$pg_bin/pgbench" -h 127.0.0.1 -p "$pg_port" -U postgres -n -M prepared \
        -c "$CLIENTS" -j 2 -t "$per_client" -f "$script" -l --log-prefix="$out/$prefix.log" \
        -D mail=0 "$@" "$db" >"$out/$prefix.out" 2>&1 || log "pgbench $prefix reported errors (see $out/$prefix.out)"
    cpu_stop "$prefix"
    sampler_stop
    fact "$prefix.cpu_pgbench_s" "$(awk '{print $1 + $2}' "$out/$prefix.time")"
    stats_collect "$db" "$prefix" "$((per_client * CLIENTS))"
}

# --------------------------------------------------- 1. the opening rush ----

if [ -z "$ONLY" ]; then

# A first rush on a cold cluster pays for what later ones find ready (new
# WAL segments instead of recycled ones, cold caches, a cold binary), which
# made the empty database's rush look slower than the second event's. The
# same load on a throwaway copy first, not measured, leaves both rushes the
# same machine.
log "warm-up: $PROFILE_ATTEMPTS attempts on a throwaway copy of the layout (not measured)"
clone bench_layout_rush bench_warmup
start_serve bench_warmup
load register --base "$base" --slug rush --clients "$CLIENTS" --requests "$PROFILE_ATTEMPTS" \
    --max-seconds 120 --hot-countries 3 --hot-share 0.3 --tag warmup --out "$out/warmup.json"
stop_serve
psql_in postgres -c 'DROP DATABASE bench_warmup WITH (FORCE)' >/dev/null

log "scenario 1: opening rush, $RUSH_ATTEMPTS attempts from $CLIENTS clients"
clone bench_layout_rush bench_s1
start_serve bench_s1
stats_reset bench_s1
sampler_start bench_s1 "$out/s1.waits"
cpu_start
load register --base "$base" --slug rush --clients "$CLIENTS" --requests "$RUSH_ATTEMPTS" \
    --max-seconds 240 --hot-countries 3 --hot-share 0.3 --tag s1 --out "$out/s1.json"
cpu_stop s1
sampler_stop
stats_collect bench_s1 s1 "$RUSH_ATTEMPTS"
stop_serve
rows_fetched bench_s1 s1 "$RUSH_ATTEMPTS"
check bench_s1 s1
fact s1.email_bytes "$(value bench_s1 "SELECT round(avg(octet_length(subject) + octet_length(body_text) + octet_length(body_html) + coalesce(octet_length(attachment_ics), 0))) FROM email_outbox")"

# ------------------------------------------ 1m. the rush with metrics ----

# The same rush with the metrics listener on (http.metrics_bind), scraped
# once at the end: what counting every request, batch and pool wait costs.
log "scenario 1m: the same rush with metrics on (http.metrics_bind)"
clone bench_layout_rush bench_s1m
serve_env_saved=("${serve_env[@]}")
serve_env+=(RENCONTRE__HTTP__METRICS_BIND="127.0.0.1:$METRICS_PORT")
start_serve bench_s1m
cpu_start
load register --base "$base" --slug rush --clients "$CLIENTS" --requests "$RUSH_ATTEMPTS" \
    --max-seconds 240 --hot-countries 3 --hot-share 0.3 --tag s1m --out "$out/s1m.json"
cpu_stop s1m
curl -sf "http://127.0.0.1:$METRICS_PORT/metrics" >"$out/s1m.metrics.txt" ||
    log "scenario 1m: the metrics listener did not answer"
fact s1m.metrics_lines "$(grep -vc '^#' "$out/s1m.metrics.txt" || true)"
fact s1m.registrations_counted "$(awk '/^rencontre_registrations_total\{outcome="(confirmed|waitlisted)"\}/ {sum += $NF} END {print sum + 0}' "$out/s1m.metrics.txt")"
stop_serve
serve_env=("${serve_env_saved[@]}")
check bench_s1m s1m

log "scenario 1: pgbench mirror of the registration transaction on the same layout"
pgbench_prepare rush bench_pgb_rush "$out/pgb_rush.sql"
run_pgbench pgb_rush bench_pgb_rush "$out/pgb_rush.sql" "$RUSH_ATTEMPTS" \
    -D hot=3 -D hotpermille=300 -D ncountries=60 -D nslots=5 -D rooms=4 -D minsessions=2 -D maxsessions=3
check bench_pgb_rush pgb_rush
if [ "$POOL_SIZE" != "$CLIENTS" ]; then
    log "scenario 1: the same mirror with $POOL_SIZE connections (Rencontre's pool size)"
    psql_in postgres -c 'CREATE DATABASE bench_pgb_rush_pool TEMPLATE bench_layout_rush'
    email_template bench_pgb_rush_pool
    CLIENTS_SAVED=$CLIENTS; CLIENTS=$POOL_SIZE
    run_pgbench pgb_rush_pool bench_pgb_rush_pool "$out/pgb_rush.sql" "$RUSH_ATTEMPTS" \
        -D hot=3 -D hotpermille=300 -D ncountries=60 -D nslots=5 -D rooms=4 -D minsessions=2 -D maxsessions=3
    CLIENTS=$CLIENTS_SAVED
    check bench_pgb_rush_pool pgb_rush_pool
fi

# ------------------------------------ 1b. the rush as a second event ----

# Real platforms open their tenth meeting on the database of the first
# nine: the same rush on a new event, once a previous event of
# PREVIOUS_ROWS registrations is in the table and in its statistics.
log "scenario 1b: the same rush on a new event, after one of $PREVIOUS_ROWS registrations and ANALYZE"
clone bench_layout_rush bench_s1b
load_started=$(date +%s.%N)
psql_in bench_s1b -v rows="$PREVIOUS_ROWS" -f bench/sql/export_load.sql >/dev/null
fact s1b.load_s "$(calc "$(date +%s.%N) - $load_started")"
fact s1b.previous_rows "$(value bench_s1b "SELECT count(*) FROM registrations")"
fact s1b.analyzed "$(value bench_s1b "SELECT coalesce(greatest(last_analyze, last_autoanalyze)::text, 'never') FROM pg_stat_user_tables WHERE relname = 'registrations'")"
start_serve bench_s1b
fact layout.second "$(load setup --base "$base" --slug second --layout rush)"
stats_reset bench_s1b
sampler_start bench_s1b "$out/s1b.waits"
cpu_start
load register --base "$base" --slug second --clients "$CLIENTS" --requests "$RUSH_ATTEMPTS" \
    --max-seconds 240 --hot-countries 3 --hot-share 0.3 --tag s1b --out "$out/s1b.json"
cpu_stop s1b
sampler_stop
stats_collect bench_s1b s1b "$RUSH_ATTEMPTS"
stop_serve
rows_fetched bench_s1b s1b "$RUSH_ATTEMPTS"
check bench_s1b s1b

# ----------------------------------------------- 2. a single hot quota ----

log "scenario 2: single hot quota, $HOT_ATTEMPTS attempts"
clone bench_layout_hot bench_s2
start_serve bench_s2
stats_reset bench_s2
sampler_start bench_s2 "$out/s2.waits"
cpu_start
load register --base "$base" --slug hot --clients "$CLIENTS" --requests "$HOT_ATTEMPTS" \
    --max-seconds 180 --hot-countries 1 --hot-share 1 --tag s2 --out "$out/s2.json"
cpu_stop s2
sampler_stop
stats_collect bench_s2 s2 "$HOT_ATTEMPTS"
stop_serve
check bench_s2 s2

log "scenario 2: pgbench on one hot row (the issue's 3-statement transaction)"
psql_in postgres -c 'CREATE DATABASE bench_pgb_hot_row'
psql_in bench_pgb_hot_row -c 'CREATE EXTENSION pg_stat_statements' -c "
    CREATE TABLE hot_quota (id int PRIMARY KEY, capacity int NOT NULL, taken int NOT NULL DEFAULT 0, CHECK (taken <= capacity));
    INSERT INTO hot_quota VALUES (1, 5000, 0);
    CREATE TABLE hot_registration (id bigserial PRIMARY KEY, quota_id int NOT NULL REFERENCES hot_quota, email text NOT NULL UNIQUE, created_at timestamptz NOT NULL DEFAULT now());
    CREATE TABLE hot_outbox (id bigserial PRIMARY KEY, registration_id bigint NOT NULL REFERENCES hot_registration, body_text text, body_html text, created_at timestamptz NOT NULL DEFAULT now());"
email_template bench_pgb_hot_row
run_pgbench pgb_hot_row bench_pgb_hot_row bench/pgbench/hot_row.sql "$HOT_ATTEMPTS"

# ------------------------------------------------------ 3. public reads ----

clone bench_layout_rush bench_s3
start_serve bench_s3
read_paths=(--read-path /api/v1/events/rush)
page_status=$(curl -s -o /dev/null -w '%{http_code}' "$base/events/rush")
fact s3.page_status "$page_status"
if [ "$page_status" = 200 ]; then
    read_paths+=(--read-path /events/rush)
fi
log "scenario 3: public reads from $CLIENTS clients during a rush of $READS_RUSH_ATTEMPTS attempts (event page: HTTP $page_status)"
stats_reset bench_s3
sampler_start bench_s3 "$out/s3.waits"
cpu_start
load register --base "$base" --slug rush --clients "$CLIENTS" --requests "$READS_RUSH_ATTEMPTS" \
    --max-seconds 180 --hot-countries 3 --hot-share 0.3 --tag s3 \
    --readers "$CLIENTS" "${read_paths[@]}" --out "$out/s3_during.json"
cpu_stop s3_during
sampler_stop
stats_collect bench_s3 s3 "$READS_RUSH_ATTEMPTS"
log "scenario 3: public reads alone, $READ_SECONDS s per page"
for path in /api/v1/events/rush /events/rush; do
    [ "$path" = /events/rush ] && [ "$page_status" != 200 ] && continue
    name=$( [ "$path" = /events/rush ] && echo page || echo api )
    cpu_start
    load read --base "$base" --clients "$CLIENTS" --read-path "$path" --requests 1000000 \
        --max-seconds "$READ_SECONDS" --out "$out/s3_alone_$name.json"
    cpu_stop "s3_alone_$name"
done
stop_serve
check bench_s3 s3

# ------------------------------------------------------------ 4. exports ----

log "scenario 4: loading $EXPORT_ROWS registrations with SQL"
clone bench_layout_rush bench_s4
load_started=$(date +%s.%N)
psql_in bench_s4 -v rows="$EXPORT_ROWS" -f bench/sql/export_load.sql >/dev/null
fact s4.load_s "$(calc "$(date +%s.%N) - $load_started")"
check bench_s4 s4

# export_cli DB PREFIX FORMAT RUN: one `rencontre export` of the rush event,
# timed, its facts under PREFIX.cli.
export_cli() {
    local db=$1 prefix=$2 format=$3 run=$4
    local time_file="$out/${prefix}_cli_$format.$run.time"
    DATABASE_URL=$(url "$db") /usr/bin/time -v -o "$time_file" \
        "$rencontre" export rush --format "$format" -o "$out/export_$prefix.$format" >/dev/null 2>>"$out/cli.log"
    fact "$prefix.cli.$format.$run.wall_s" "$(awk -F': ' '/Elapsed \(wall clock\)/ {n = split($2, t, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i]; print s}' "$time_file")"
    fact "$prefix.cli.$format.$run.rss_kib" "$(awk -F': ' '/Maximum resident set size/ {print $2}' "$time_file")"
    fact "$prefix.cli.$format.$run.cpu_s" "$(awk -F': ' '/User time/ {u = $2} /System time/ {s = $2} END {print u + s}' "$time_file")"
    fact "$prefix.cli.$format.bytes" "$(stat -c %s "$out/export_$prefix.$format")"
}
for run in $(seq 1 "$EXPORT_REPEATS"); do
    log "scenario 4: rencontre export, run $run of $EXPORT_REPEATS"
    export_cli bench_s4 s4 csv "$run"
    export_cli bench_s4 s4 xlsx "$run"
done
fact s4.cli.csv.lines "$(wc -l <"$out/export_s4.csv")"

start_serve bench_s4
curl -sf -o /dev/null -H "Authorization: Bearer $token" "$base/api/v1/events/rush/registrations?per_page=1" || die "the organiser API refused the token"
fact s4.http.rss_start_kib "$(awk '/VmHWM/ {print $2}' "/proc/$serve_pid/status")"
# CSV first: the server's peak RSS (VmHWM) only grows, so it is read after
# the CSV runs before any workbook is built.
for format in csv xlsx; do
    for run in $(seq 1 "$EXPORT_REPEATS"); do
        log "scenario 4: HTTP export $format, run $run of $EXPORT_REPEATS"
        result=$(curl -s -o "$out/export_http.$format" -H "Authorization: Bearer $token" \
            -w '%{http_code} %{time_starttransfer} %{time_total} %{size_download}' \
            "$base/api/v1/events/rush/registrations.$format")
        fact "s4.http.$format.$run" "$result"
        fact "s4.http.$format.$run.rss_hwm_kib" "$(awk '/VmHWM/ {print $2}' "/proc/$serve_pid/status")"
    done
done
stop_serve

# PostgreSQL's own speed for the same rows: the export's statement with the
# binds it was sent with, as the server logged them during one more
# `rencontre export` (log_min_duration_statement on this database only),
# run through COPY by psql.
log_from=$(stat -c %s "$pg_data/server.log")
psql_in postgres -c "ALTER DATABASE bench_s4 SET log_min_duration_statement = 0" >/dev/null
DATABASE_URL=$(url bench_s4) "$rencontre" export rush --format csv -o "$out/export_logged.csv" >/dev/null 2>>"$out/cli.log"
psql_in postgres -c "ALTER DATABASE bench_s4 RESET log_min_duration_statement" >/dev/null
# Log entries begin with a timestamp; a statement's binds are the DETAIL
# entry after it. The export's statement is the one without LIMIT that
# numbers the waiting lists.
tail -c +"$((log_from + 1))" "$pg_data/server.log" | perl -0ne '
    my @entries = split /\n(?=\d{4}-\d\d-\d\d )/;
    for my $i (0 .. $#entries) {
        next unless $entries[$i] =~ /duration: [\d.]+ ms\s+(?:execute|statement)[^:]*:\s(.*)/s;
        my $query = $1;
        next unless $query =~ /with\s+waiting/i && $query !~ /\blimit\b/i;
        my %binds;
        if ($i < $#entries && $entries[$i + 1] =~ /DETAIL:\s+parameters: (.*)/s) {
            my $list = $1;
            $binds{$1} = $2 while $list =~ /\$(\d+) = (NULL|\x27(?:[^\x27]|\x27\x27)*\x27)/g;
        }
        $query =~ s/\$(\d+)\b/exists $binds{$1} ? $binds{$1} : "\$$1"/ge;
        print $query;
        last;
    }' >"$out/s4.copy_query.sql"
if [ -s "$out/s4.copy_query.sql" ] && ! grep -q '\$[0-9]' "$out/s4.copy_query.sql"; then
    copy_query=$(cat "$out/s4.copy_query.sql")
    for run in $(seq 1 "$EXPORT_REPEATS"); do
        log "scenario 4: COPY of the export's query, run $run of $EXPORT_REPEATS"
        copy_started=$(date +%s.%N)
        psql_in bench_s4 -c "COPY ($copy_query) TO STDOUT WITH CSV" >"$out/copy.csv"
        fact "s4.copy.$run.wall_s" "$(calc "$(date +%s.%N) - $copy_started")"
    done
    fact s4.copy.bytes "$(stat -c %s "$out/copy.csv")"
    fact s4.copy.lines "$(wc -l <"$out/copy.csv")"
else
    fact s4.copy "the export's statement and its binds were not found in the server's log"
fi

# ---------------------------------------- 4q. exports with questions ----

# The same list once every delegate has answered eight questions of the
# organisers (bench/sql/questions_load.sql): one column more per question.
log "scenario 4q: the same $EXPORT_ROWS registrations with 8 questions answered"
clone bench_s4 bench_s4q
psql_in bench_s4q -f bench/sql/questions_load.sql >/dev/null
fact s4q.answers "$(value bench_s4q "SELECT count(*) FROM registration_answers")"
check bench_s4q s4q
for run in $(seq 1 "$EXPORT_REPEATS"); do
    log "scenario 4q: rencontre export with questions, run $run of $EXPORT_REPEATS"
    export_cli bench_s4q s4q csv "$run"
    export_cli bench_s4q s4q xlsx "$run"
done
fact s4q.cli.csv.columns "$(head -n 1 "$out/export_s4q.csv" | awk -F',' '{print NF}')"

# -------------------------------------------------------- 5. mail drain ----

log "scenario 5: mail drain of $MAIL_ROWS outbox rows to a local SMTP sink"
# The rush left one pending email per attempt, rendered by Rencontre. They
# are marked sent, and MAIL_ROWS copies of them (cycling through them, in
# the order they were written) are queued again: real bodies, sizes and
# attachments, whatever the size of the rush.
psql_in bench_s1 -c "UPDATE email_outbox SET status = 'sent', sent_at = now(), attempts = 1 WHERE status = 'pending'" \
    -c "INSERT INTO email_outbox (id, event_id, registration_id, kind, recipient, language, subject, body_text, body_html, attachment_ics, created_at)
        SELECT gen_random_uuid(), o.event_id, o.registration_id, o.kind, o.recipient, o.language, o.subject, o.body_text, o.body_html, o.attachment_ics,
               clock_timestamp()
          FROM generate_series(0, $MAIL_ROWS - 1) AS n
          JOIN (SELECT row_number() OVER (ORDER BY created_at, id) - 1 AS position, count(*) OVER () AS total, *
                  FROM email_outbox) o ON o.position = n % o.total" >/dev/null
pending=$(value bench_s1 "SELECT count(*) FROM email_outbox WHERE status = 'pending'")
fact s5.rows "$pending"
load smtp-sink --port "$SMTP_PORT" --expect "$pending" --max-seconds 300 --out "$out/s5_sink.json" &
sink_pid=$!
for _ in $(seq 1 100); do (exec 3<>"/dev/tcp/127.0.0.1/$SMTP_PORT") 2>/dev/null && break; sleep 0.05; done
stats_reset bench_s1
drain_db_start=$(value bench_s1 "SELECT now()")
cpu_start
drain_started=$(date +%s.%N)
DATABASE_URL=$(url bench_s1) \
RENCONTRE__MAIL__TRANSPORT=smtp \
RENCONTRE__MAIL__SMTP_HOST=127.0.0.1 \
RENCONTRE__MAIL__SMTP_PORT="$SMTP_PORT" \
RENCONTRE__MAIL__SMTP_TLS=none \
RENCONTRE__DATABASE__POOL_SIZE="$POOL_SIZE" \
    "$rencontre" worker >>"$out/worker.log" 2>&1 &
worker_pid=$!
drained=no
for _ in $(seq 1 3000); do
    if [ "$(value bench_s1 "SELECT count(*) FROM email_outbox WHERE status = 'pending'")" = 0 ]; then
        drained=yes
        break
    fi
    kill -0 "$worker_pid" 2>/dev/null || break
    sleep 0.1
done
fact s5.drain_s "$(calc "$(date +%s.%N) - $drain_started")"
fact s5.drained "$drained"
fact s5.cpu_worker_s "$(calc "$(ticks_of "$worker_pid") / 100")"
cpu_stop s5
stop_pid "$worker_pid"; worker_pid=""
for _ in $(seq 1 50); do [ -s "$out/s5_sink.json" ] && break; sleep 0.1; done
stop_pid "$sink_pid"; sink_pid=""
fact s5.outcome "$(value bench_s1 "SELECT string_agg(status || ' ' || n, ', ' ORDER BY status) FROM (SELECT status, count(*) AS n FROM email_outbox GROUP BY status) s")"
fact s5.retried "$(value bench_s1 "SELECT count(*) FROM email_outbox WHERE attempts > 1 OR last_error IS NOT NULL")"
fact s5.sent_span_s "$(value bench_s1 "SELECT round(extract(epoch FROM max(sent_at) - min(sent_at))::numeric, 3) FROM email_outbox WHERE sent_at >= '$drain_db_start'")"
stats_collect bench_s1 s5 "$pending"
check bench_s1 s5

fi # scenarios 1 to 5

# ------------------------------------------- 6. back office at scale ----

log "scenario 6: back office, loading $BACKOFFICE_ROWS registrations with SQL"
clone bench_layout_rush bench_s6
load_started=$(date +%s.%N)
psql_in bench_s6 -v rows="$BACKOFFICE_ROWS" -f bench/sql/export_load.sql >/dev/null
fact s6.load_s "$(calc "$(date +%s.%N) - $load_started")"
fact s6.rows "$(value bench_s6 "SELECT count(*) FROM registrations")"
fact s6.traore_rows "$(value bench_s6 "SELECT count(*) FROM registrations WHERE family_name = 'Traoré'")"
registration_s6=$(value bench_s6 "SELECT id FROM registrations ORDER BY queue_seq OFFSET $((BACKOFFICE_ROWS / 2)) LIMIT 1")
# backoffice ORGANISERS ARGS...: the organisers' side with that many
# organisers (clap refuses an option given twice).
backoffice() {
    local organisers=$1
    shift
    load backoffice --base "$base" --slug rush --email bench@bench.example.org \
        --organisers "$organisers" --registration "$registration_s6" --max-seconds 600 "$@"
}

start_serve bench_s6
log "scenario 6: $BACKOFFICE_ORGANISERS organisers, every page $BACKOFFICE_REQUESTS times, alone"
stats_reset bench_s6
cpu_start
backoffice "$BACKOFFICE_ORGANISERS" --requests "$BACKOFFICE_REQUESTS" --exports "$BACKOFFICE_EXPORTS" --out "$out/s6_alone.json"
cpu_stop s6_alone
psql_in bench_s6 -P pager=off -P footer=off -c "
    SELECT calls, round(mean_exec_time::numeric, 2) AS mean_ms, round(max_exec_time::numeric, 2) AS max_ms,
           round((shared_blks_hit + shared_blks_read)::numeric / calls) AS buffers_per_call,
           left(regexp_replace(query, '\s+', ' ', 'g'), 140) AS statement
      FROM pg_stat_statements
     WHERE toplevel AND dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
       AND query !~* 'pg_stat'
     ORDER BY mean_exec_time DESC LIMIT 12" >"$out/s6.statements.txt"
stop_serve

# The plans, with the binds the pages really send: auto_explain on this
# database only, for one visit of each page (the CSV export aside), then off
# again before the rush.
log "scenario 6: EXPLAIN (ANALYZE, BUFFERS) of each page's statements (auto_explain, one visit each)"
psql_in postgres -c "ALTER DATABASE bench_s6 SET session_preload_libraries = 'auto_explain'" \
    -c "ALTER DATABASE bench_s6 SET auto_explain.log_min_duration = 0" \
    -c "ALTER DATABASE bench_s6 SET auto_explain.log_analyze = on" \
    -c "ALTER DATABASE bench_s6 SET auto_explain.log_buffers = on" >/dev/null
log_from=$(stat -c %s "$pg_data/server.log")
start_serve bench_s6
# A failed visit costs only the plans: the rush and the report still run,
# and its error is kept in s6_explain.log.
backoffice 1 --requests 1 --exports 0 --cursors-from "$out/s6_alone.json" \
    --out "$out/s6_explain.json" 2>>"$out/s6_explain.log" ||
    log "scenario 6: the explain visit failed with status $? (see $out/s6_explain.log)"
stop_serve
psql_in postgres -c "ALTER DATABASE bench_s6 RESET ALL" >/dev/null
# Each plan is one log entry: a "duration: … ms  plan:" line and the lines
# after it up to the next log line; the slowest one is kept.
tail -c +"$((log_from + 1))" "$pg_data/server.log" | awk '
    function keep() { if (entry != "" && duration > best) { best = duration; plan = entry } }
    /^[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] / {
        keep(); entry = ""; duration = -1
        if (match($0, /duration: [0-9.]+ ms +plan:/)) {
            duration = substr($0, RSTART + 10, RLENGTH - 10) + 0
            entry = substr($0, RSTART) "\n"
        }
        next
    }
    entry != "" { entry = entry $0 "\n" }
    END { keep(); printf "%s", plan }' >"$out/s6.explain.txt"
fact s6.explained "$(grep -c 'duration: .* plan:' <(tail -c +"$((log_from + 1))" "$pg_data/server.log") || true)"

start_serve bench_s6
log "scenario 6: the same pages during a rush of $BACKOFFICE_RUSH_ATTEMPTS attempts on the same event"
stats_reset bench_s6
cpu_start
backoffice "$BACKOFFICE_ORGANISERS" --rush "$BACKOFFICE_RUSH_ATTEMPTS" --rush-clients "$CLIENTS" --tag s6 \
    --cursors-from "$out/s6_alone.json" --out "$out/s6_rush.json"
cpu_stop s6_rush
stop_serve
check bench_s6 s6

if [ -n "$ONLY" ]; then
    bench/pg.sh stop
    for phase in alone rush; do
        log "scenario 6, $phase (p50 / p99 ms):"
        jq -r '.pages[] | "  \(.label): \(.latency.p50_ms) / \(.latency.p99_ms)  \(.statuses)"' \
            "$out/s6_$phase.json" >&2
    done
    log "BENCH_ONLY=$ONLY: results in $out, BENCHMARKS.md left as it is"
    exit 0
fi

# -------------------------------------------------------------- profile ----

log "profile: $PROFILE_ATTEMPTS attempts with perf sampling the server and the cluster"
clone bench_layout_rush bench_profile
start_serve bench_profile
if command -v perf >/dev/null && perf record -q -e cpu-clock -o "$out/perf.probe" -- true >/dev/null 2>&1; then
    perf record -q -e cpu-clock -F 499 -a -o "$out/perf.data" >/dev/null 2>&1 &
    perf_pid=$!
    load register --base "$base" --slug rush --clients "$CLIENTS" --requests "$PROFILE_ATTEMPTS" \
        --max-seconds 120 --hot-countries 3 --hot-share 0.3 --tag profile --out "$out/profile.json"
    kill -INT "$perf_pid" 2>/dev/null || true
    wait "$perf_pid" 2>/dev/null || true
    pg_pids=$( (postmaster_pid; ps -o pid= --ppid "$(postmaster_pid)") | tr -d ' ' | paste -sd, -)
    perf report -i "$out/perf.data" --stdio --sort comm,dso 2>/dev/null | grep -v '^#' | grep -v '^$' | head -n 15 >"$out/perf.split.txt" || true
    perf report -i "$out/perf.data" --stdio --pid "$serve_pid" --percentage relative --sort dso,sym 2>/dev/null | grep -v '^#' | grep -v '^$' | head -n 25 >"$out/perf.serve.txt" || true
    perf report -i "$out/perf.data" --stdio --pid "$pg_pids" --percentage relative --sort dso,sym 2>/dev/null | grep -v '^#' | grep -v '^$' | head -n 25 >"$out/perf.pg.txt" || true
    rm -f "$out/perf.probe"
    fact profile.perf yes
else
    fact profile.perf "no (perf is missing or not permitted)"
fi
stop_serve
check bench_profile profile

# --------------------------------------------------------------- report ----

fact loadavg_after "$(cut -d' ' -f1-3 /proc/loadavg)"
fact total_s "$(calc "$(date +%s.%N) - $run_started")"
bench/pg.sh stop
load report --dir "$out" --findings bench/FINDINGS.md --out "$root/BENCHMARKS.md"
log "wrote BENCHMARKS.md"
