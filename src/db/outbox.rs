//! The email outbox: rows written in the same transaction as the change they
//! announce, rendered already, and sent later by the mail worker.

use chrono::{DateTime, Utc};
use diesel::pg::data_types::PgInterval;
use diesel::prelude::*;
use diesel::sql_types::Timestamptz;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use super::insert_rows;
use super::schema::email_outbox;
use crate::domain::EmailKind;

#[derive(Debug, Insertable)]
#[diesel(table_name = email_outbox)]
pub struct NewEmail<'a> {
    pub id: Uuid,
    pub event_id: Uuid,
    pub registration_id: Option<Uuid>,
    pub kind: EmailKind,
    pub recipient: &'a str,
    pub language: &'a str,
    pub subject: &'a str,
    pub body_text: &'a str,
    pub body_html: &'a str,
    pub attachment_ics: Option<&'a str>,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = email_outbox, check_for_backend(diesel::pg::Pg))]
pub struct OutboxEmail {
    pub id: Uuid,
    pub event_id: Uuid,
    pub registration_id: Option<Uuid>,
    pub kind: EmailKind,
    pub recipient: String,
    pub language: String,
    pub subject: Option<String>,
    pub body_text: Option<String>,
    pub body_html: Option<String>,
    pub attachment_ics: Option<String>,
    pub status: String,
    pub attempts: i32,
    pub next_attempt_at: DateTime<Utc>,
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
}

pub async fn enqueue(conn: &mut AsyncPgConnection, email: &NewEmail<'_>) -> QueryResult<()> {
    diesel::insert_into(email_outbox::table)
        .values(email)
        .execute(conn)
        .await
        .map(drop)
}

/// Writes several emails with one statement.
pub async fn enqueue_many(
    mut conn: &AsyncPgConnection,
    emails: &[NewEmail<'_>],
) -> QueryResult<()> {
    insert_rows!(&mut conn, email_outbox::table, emails)
}

/// Claims up to `limit` due rows for `lease`, committed at once: until the
/// lease ends, every other worker skips them. `SKIP LOCKED` lets workers
/// claiming at the same moment take different rows instead of queueing.
pub async fn claim_due(
    conn: &mut AsyncPgConnection,
    limit: i64,
    lease: std::time::Duration,
) -> QueryResult<Vec<OutboxEmail>> {
    let lease = PgInterval::from_microseconds(i64::try_from(lease.as_micros()).unwrap_or(i64::MAX));
    conn.transaction(async |conn| {
        let due: Vec<Uuid> = email_outbox::table
            .filter(email_outbox::status.eq("pending"))
            .filter(email_outbox::next_attempt_at.le(diesel::dsl::now))
            .filter(
                email_outbox::claimed_until
                    .is_null()
                    .or(email_outbox::claimed_until.le(diesel::dsl::now)),
            )
            .order(email_outbox::next_attempt_at.asc())
            .limit(limit)
            .for_update()
            .skip_locked()
            .select(email_outbox::id)
            .load(conn)
            .await?;
        if due.is_empty() {
            return Ok(Vec::new());
        }
        diesel::update(email_outbox::table.filter(email_outbox::id.eq_any(&due)))
            .set(
                email_outbox::claimed_until
                    .eq((diesel::dsl::now.into_sql::<Timestamptz>() + lease).nullable()),
            )
            .returning(OutboxEmail::as_returning())
            .get_results(conn)
            .await
    })
    .await
}

/// Marks claimed rows sent, each with one more attempt, as soon as their
/// server accepted them. The caller holds their lease, so nobody else has
/// moved their attempts meanwhile.
pub async fn mark_sent_many(conn: &mut AsyncPgConnection, ids: &[Uuid]) -> QueryResult<()> {
    if ids.is_empty() {
        return Ok(());
    }
    diesel::update(email_outbox::table.filter(email_outbox::id.eq_any(ids)))
        .set((
            email_outbox::status.eq("sent"),
            email_outbox::attempts.eq(email_outbox::attempts + 1),
            email_outbox::sent_at.eq(diesel::dsl::now),
            email_outbox::last_error.eq(None::<String>),
            email_outbox::claimed_until.eq(None::<DateTime<Utc>>),
        ))
        .execute(conn)
        .await
        .map(drop)
}

pub async fn mark_retry(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    attempts: i32,
    next_attempt_at: DateTime<Utc>,
    error: &str,
) -> QueryResult<()> {
    diesel::update(email_outbox::table.find(id))
        .set((
            email_outbox::attempts.eq(attempts),
            email_outbox::next_attempt_at.eq(next_attempt_at),
            email_outbox::last_error.eq(error),
            email_outbox::claimed_until.eq(None::<DateTime<Utc>>),
        ))
        .execute(conn)
        .await
        .map(drop)
}

pub async fn mark_failed(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    attempts: i32,
    error: &str,
) -> QueryResult<()> {
    diesel::update(email_outbox::table.find(id))
        .set((
            email_outbox::status.eq("failed"),
            email_outbox::attempts.eq(attempts),
            email_outbox::last_error.eq(error),
            email_outbox::claimed_until.eq(None::<DateTime<Utc>>),
        ))
        .execute(conn)
        .await
        .map(drop)
}

/// The outbox of an event, newest first, paged.
pub async fn list_for_event(
    conn: &mut AsyncPgConnection,
    event_id: Uuid,
    offset: i64,
    limit: i64,
) -> QueryResult<(Vec<OutboxEmail>, i64)> {
    let total = email_outbox::table
        .filter(email_outbox::event_id.eq(event_id))
        .count()
        .get_result(conn)
        .await?;
    let rows = email_outbox::table
        .filter(email_outbox::event_id.eq(event_id))
        .order((email_outbox::created_at.desc(), email_outbox::id.desc()))
        .offset(offset)
        .limit(limit)
        .select(OutboxEmail::as_select())
        .load(conn)
        .await?;
    Ok((rows, total))
}

/// The newest email that told a delegate where they stand and carries
/// their private link: the first one, or a copy of it.
pub async fn last_announcement(
    conn: &mut AsyncPgConnection,
    registration_id: Uuid,
) -> QueryResult<Option<OutboxEmail>> {
    let announcing: Vec<EmailKind> = EmailKind::ALL
        .iter()
        .copied()
        .filter(|kind| kind.announces())
        .collect();
    email_outbox::table
        .filter(email_outbox::registration_id.eq(registration_id))
        .filter(email_outbox::kind.eq_any(announcing))
        .order((email_outbox::created_at.desc(), email_outbox::id.desc()))
        .select(OutboxEmail::as_select())
        .first(conn)
        .await
        .optional()
}

/// What the metrics show of the outbox.
#[derive(Debug, Clone, Copy, QueryableByName)]
pub struct OutboxGauges {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    pub pending: i64,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    pub failed: i64,
    /// 0 when nothing is pending.
    #[diesel(sql_type = diesel::sql_types::Double)]
    pub oldest_pending_age_secs: f64,
}

/// Counts pending and failed rows, each through its partial index, and
/// gives up after `timeout_ms` rather than hold a scrape.
pub async fn gauges(conn: &mut AsyncPgConnection, timeout_ms: u32) -> QueryResult<OutboxGauges> {
    conn.transaction(async |conn| {
        diesel::sql_query(format!("SET LOCAL statement_timeout = {timeout_ms}"))
            .execute(conn)
            .await?;
        diesel::sql_query(
            "SELECT pending.count AS pending, \
                    (SELECT count(*) FROM email_outbox WHERE status = 'failed') AS failed, \
                    coalesce(extract(epoch FROM now() - pending.oldest)::float8, 0) \
                        AS oldest_pending_age_secs \
             FROM (SELECT count(*) AS count, min(created_at) AS oldest \
                   FROM email_outbox WHERE status = 'pending') AS pending",
        )
        .get_result(conn)
        .await
    })
    .await
}

/// Whether an email of `kind` was written for the registration since
/// `since`.
pub async fn sent_since(
    conn: &mut AsyncPgConnection,
    registration_id: Uuid,
    kind: EmailKind,
    since: DateTime<Utc>,
) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        email_outbox::table
            .filter(email_outbox::registration_id.eq(registration_id))
            .filter(email_outbox::kind.eq(kind))
            .filter(email_outbox::created_at.gt(since)),
    ))
    .get_result(conn)
    .await
}
