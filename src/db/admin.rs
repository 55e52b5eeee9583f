//! What only the back office reads or writes: every event, failed logins,
//! the counts of a dashboard, a registration's history, and the retry of a
//! failed email.

use std::time::Duration;

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use diesel::result::{DatabaseErrorKind, Error as DieselError};
use diesel::sql_types::{BigInt, Bool, Date, Double, Int4, Nullable, Text, Timestamptz};
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use super::events::Event;
use super::outbox::OutboxEmail;
use super::schema::{admin_sessions, audit_log, email_outbox, event_roles, events, organisers};

pub fn is_unique_violation(error: &DieselError) -> bool {
    matches!(
        error,
        DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, _)
    )
}

/// Forgets sessions past their time; they open nothing already.
pub async fn delete_expired_sessions(conn: &mut AsyncPgConnection) -> QueryResult<()> {
    diesel::delete(admin_sessions::table.filter(admin_sessions::expires_at.le(diesel::dsl::now)))
        .execute(conn)
        .await
        .map(drop)
}

/// The events an account may see, the latest first: every event for the
/// platform admin (`None`), else those it holds a role on.
pub async fn visible_events(
    conn: &mut AsyncPgConnection,
    organiser_id: Option<Uuid>,
) -> QueryResult<Vec<Event>> {
    let mut query = events::table
        .order((events::starts_on.desc(), events::slug.asc()))
        .select(Event::as_select())
        .into_boxed();
    if let Some(organiser_id) = organiser_id {
        query = query.filter(
            events::id.eq_any(
                event_roles::table
                    .filter(event_roles::organiser_id.eq(organiser_id))
                    .select(event_roles::event_id),
            ),
        );
    }
    query.load(conn).await
}

#[derive(QueryableByName)]
struct BlockedUntil {
    #[diesel(sql_type = Nullable<Timestamptz>)]
    until: Option<DateTime<Utc>>,
}

/// How many failed logins (audit rows `login.failed`) within `window`
/// stop further attempts: by one client at one account, at one account
/// from every client, and by one client at every account.
#[derive(Debug, Clone, Copy)]
pub struct LoginLimits {
    pub per_account_and_client: i64,
    pub per_account: i64,
    pub per_client: i64,
    pub window: Duration,
}

/// A login attempt, counted before its password is checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoginReservation {
    /// Counted as a failure (row `id`) until [`login_succeeded`] or
    /// [`login_not_checked`] says otherwise.
    Reserved { id: i64 },
    /// A limit is reached: no attempt before then.
    Blocked { until: DateTime<Utc> },
}

/// Counts the failures of `email` and `client` and, when no limit is
/// reached, records this attempt as one more failure, as one step: the
/// transaction holds an advisory lock on the account and one on the
/// client, so parallel attempts are counted one after the other and no
/// more than the limit ever reach the password check. (Locks are always
/// taken account first, so two attempts cannot wait on each other.)
pub async fn reserve_login_attempt(
    conn: &mut AsyncPgConnection,
    email: &str,
    client: &str,
    organiser_id: Option<Uuid>,
    limits: LoginLimits,
) -> QueryResult<LoginReservation> {
    let (email, client) = (email.to_owned(), client.to_owned());
    conn.transaction(async |tx| {
        diesel::sql_query("SELECT pg_advisory_xact_lock(7101, hashtext($1))")
            .bind::<Text, _>(&email)
            .execute(tx)
            .await?;
        diesel::sql_query("SELECT pg_advisory_xact_lock(7102, hashtext($1))")
            .bind::<Text, _>(&client)
            .execute(tx)
            .await?;
        let blocked: Vec<BlockedUntil> = diesel::sql_query(
            "SELECT max(at) + make_interval(secs => $6) AS until FROM (
                (SELECT at FROM audit_log
                  WHERE action = 'login.failed' AND detail->>'email' = $1
                    AND detail->>'address' = $2
                    AND at > now() - make_interval(secs => $6)
                  ORDER BY at DESC OFFSET $3 - 1 LIMIT 1)
                UNION ALL
                (SELECT at FROM audit_log
                  WHERE action = 'login.failed' AND detail->>'email' = $1
                    AND at > now() - make_interval(secs => $6)
                  ORDER BY at DESC OFFSET $4 - 1 LIMIT 1)
                UNION ALL
                (SELECT at FROM audit_log
                  WHERE action = 'login.failed' AND detail->>'address' = $2
                    AND at > now() - make_interval(secs => $6)
                  ORDER BY at DESC OFFSET $5 - 1 LIMIT 1)
             ) AS blocking",
        )
        .bind::<Text, _>(&email)
        .bind::<Text, _>(&client)
        .bind::<BigInt, _>(limits.per_account_and_client)
        .bind::<BigInt, _>(limits.per_account)
        .bind::<BigInt, _>(limits.per_client)
        .bind::<Double, _>(limits.window.as_secs_f64())
        .load(tx)
        .await?;
        if let Some(until) = blocked.into_iter().next().and_then(|row| row.until) {
            return Ok(LoginReservation::Blocked { until });
        }
        let id = diesel::insert_into(audit_log::table)
            .values((
                audit_log::organiser_id.eq(organiser_id),
                audit_log::action.eq("login.failed"),
                audit_log::detail.eq(serde_json::json!({"email": email, "address": client})),
            ))
            .returning(audit_log::id)
            .get_result::<i64>(tx)
            .await?;
        Ok(LoginReservation::Reserved { id })
    })
    .await
}

/// The reserved attempt was the right password: its row becomes the
/// audit row of the login, and counts as a failure no more.
pub async fn login_succeeded(
    conn: &mut AsyncPgConnection,
    reserved: i64,
    organiser_id: Uuid,
    client: &str,
) -> QueryResult<()> {
    diesel::update(audit_log::table.find(reserved))
        .set((
            audit_log::action.eq("login"),
            audit_log::organiser_id.eq(Some(organiser_id)),
            audit_log::detail.eq(serde_json::json!({"address": client})),
        ))
        .execute(conn)
        .await
        .map(drop)
}

/// The reserved attempt never reached the password check (the server was
/// too busy): it does not count against anyone.
pub async fn login_not_checked(conn: &mut AsyncPgConnection, reserved: i64) -> QueryResult<()> {
    diesel::delete(audit_log::table.find(reserved))
        .execute(conn)
        .await
        .map(drop)
}

/// A country's quota with the delegates it holds and keeps waiting.
#[derive(Debug, Clone, QueryableByName)]
pub struct CountryCount {
    #[diesel(sql_type = Text)]
    pub country_code: String,
    #[diesel(sql_type = Nullable<Int4>)]
    pub capacity: Option<i32>,
    /// Confirmed delegates (the counter equals them: DESIGN.md, invariant 1).
    #[diesel(sql_type = Int4)]
    pub taken: i32,
    /// Delegates on the country's waiting list (kept by a trigger, as `taken`).
    #[diesel(sql_type = BigInt)]
    pub waiting: i64,
    /// Set by an organiser, rather than the event's default.
    #[diesel(sql_type = Bool)]
    pub explicit: bool,
}

pub async fn country_counts(
    conn: &mut AsyncPgConnection,
    event_id: Uuid,
) -> QueryResult<Vec<CountryCount>> {
    diesel::sql_query(
        "SELECT country_code::text AS country_code, capacity, taken, explicit,
                waiting::bigint AS waiting
           FROM country_quotas
          WHERE event_id = $1
          ORDER BY country_code",
    )
    .bind::<diesel::sql_types::Uuid, _>(event_id)
    .load(conn)
    .await
}

#[derive(Debug, Clone, QueryableByName)]
pub struct DayCount {
    #[diesel(sql_type = Date)]
    pub day: NaiveDate,
    #[diesel(sql_type = BigInt)]
    pub registrations: i64,
}

/// Registrations made on each day, days as the event's time zone counts
/// them: summed from the counts per quarter hour the database keeps, so the
/// dashboard reads a few hundred rows, not every registration.
pub async fn registrations_per_day(
    conn: &mut AsyncPgConnection,
    event_id: Uuid,
    timezone: &str,
) -> QueryResult<Vec<DayCount>> {
    diesel::sql_query(
        "SELECT (starts_at AT TIME ZONE $2)::date AS day, sum(registrations)::bigint AS registrations
           FROM registration_quarters WHERE event_id = $1 AND registrations > 0
          GROUP BY 1 ORDER BY 1",
    )
    .bind::<diesel::sql_types::Uuid, _>(event_id)
    .bind::<Text, _>(timezone)
    .load(conn)
    .await
}

/// One line of the audit log, with the name of the organiser behind it.
#[derive(Debug, Clone, Queryable)]
pub struct AuditEntry {
    pub at: DateTime<Utc>,
    pub organiser: Option<String>,
    pub action: String,
    pub detail: serde_json::Value,
}

pub async fn history_of(
    conn: &mut AsyncPgConnection,
    registration_id: Uuid,
) -> QueryResult<Vec<AuditEntry>> {
    audit_log::table
        .left_join(organisers::table.on(organisers::id.nullable().eq(audit_log::organiser_id)))
        .filter(audit_log::registration_id.eq(registration_id))
        .order((audit_log::at.asc(), audit_log::id.asc()))
        .select((
            audit_log::at,
            organisers::name.nullable(),
            audit_log::action,
            audit_log::detail,
        ))
        .load(conn)
        .await
}

/// The emails written for a registration, oldest first.
pub async fn emails_of(
    conn: &mut AsyncPgConnection,
    registration_id: Uuid,
) -> QueryResult<Vec<OutboxEmail>> {
    email_outbox::table
        .filter(email_outbox::registration_id.eq(registration_id))
        .order((email_outbox::created_at.asc(), email_outbox::id.asc()))
        .select(OutboxEmail::as_select())
        .load(conn)
        .await
}

/// Puts a failed email of this event back in the queue, due now; `None`
/// when the event has no failed email with this id.
pub async fn retry_failed_email(
    conn: &mut AsyncPgConnection,
    event_id: Uuid,
    email_id: Uuid,
) -> QueryResult<Option<OutboxEmail>> {
    diesel::update(email_outbox::table.find(email_id))
        .filter(email_outbox::event_id.eq(event_id))
        .filter(email_outbox::status.eq("failed"))
        .set((
            email_outbox::status.eq("pending"),
            email_outbox::next_attempt_at.eq(diesel::dsl::now),
        ))
        .returning(OutboxEmail::as_returning())
        .get_result(conn)
        .await
        .optional()
}
