//! Registrations, their session choices and the quota rows they count
//! against. Every statement that moves a counter is guarded
//! (`… AND (capacity IS NULL OR taken < capacity)`) and reports whether it
//! changed a row; only `crate::registration` calls the counter functions.

use chrono::{DateTime, Utc};
use diesel::dsl::sql;
use diesel::prelude::*;
use diesel::sql_types::BigInt;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use super::events::{CountryQuota, Event, Session};
use super::organisers::lower;
use super::schema::{
    categories, country_quotas, events, registration_sessions, registrations, sessions,
};
use super::{insert_rows, move_counters};
use crate::domain::{RegistrationStatus, SeatStatus};

#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = registrations, check_for_backend(diesel::pg::Pg))]
pub struct Registration {
    pub id: Uuid,
    pub event_id: Uuid,
    pub reference: String,
    pub token_hash: Vec<u8>,
    pub given_name: String,
    pub family_name: String,
    pub email: String,
    pub country_code: String,
    pub organisation: String,
    pub language: String,
    pub status: RegistrationStatus,
    pub queue_seq: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub cancelled_at: Option<DateTime<Utc>>,
    /// When an unverified registration's hold runs out.
    pub verify_by: Option<DateTime<Utc>>,
    /// When the delegate followed the link of their verification email.
    pub email_verified_at: Option<DateTime<Utc>>,
    /// The participant category, in an event that has them.
    pub category_id: Option<Uuid>,
    /// When an organiser approved it (categories that need approval).
    pub approved_at: Option<DateTime<Utc>>,
    /// Why it was rejected: a reason's code, and a note to the delegate.
    pub rejection_reason: Option<String>,
    pub rejection_note: Option<String>,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = registrations)]
pub struct NewRegistration<'a> {
    pub id: Uuid,
    pub event_id: Uuid,
    pub reference: &'a str,
    pub token_hash: &'a [u8],
    pub given_name: &'a str,
    pub family_name: &'a str,
    pub email: &'a str,
    pub country_code: &'a str,
    pub organisation: &'a str,
    pub language: &'a str,
    pub status: RegistrationStatus,
    pub queue_seq: i64,
    pub verify_by: Option<DateTime<Utc>>,
    pub verification_hash: Option<&'a [u8]>,
    pub category_id: Option<Uuid>,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = registration_sessions, check_for_backend(diesel::pg::Pg))]
pub struct Choice {
    pub registration_id: Uuid,
    pub session_id: Uuid,
    pub status: SeatStatus,
    pub queue_seq: i64,
    pub created_at: DateTime<Utc>,
}

/// Locks the event row for the rest of the transaction. Every use case takes
/// this lock first, which is what orders all later locks (country, then
/// sessions by id) and makes deadlocks between use cases impossible.
pub async fn lock_event(mut conn: &AsyncPgConnection, event_id: Uuid) -> QueryResult<Event> {
    events::table
        .find(event_id)
        .for_no_key_update()
        .select(Event::as_select())
        .get_result(&mut conn)
        .await
}

/// Plans the rest of the transaction's statements without looking at the
/// values of their parameters (a generic plan), so that each statement of a
/// batch gets the same plan whatever the statistics say of the event at
/// hand. A custom plan for an event that ANALYZE has not seen yet (the
/// platform's next meeting) estimates it at one row, and may then probe the
/// live emails through `registrations_event_country_idx`, reading every
/// registration the event already has: a rush quadratic in the event's
/// size. A generic plan takes `event_id = $1` for an average event, and
/// only the unique email index answers that probe in a few rows.
///
/// What a partial index's predicate tests must therefore stay a literal of
/// the statement's text (`status <> 'cancelled'`): a generic plan cannot
/// prove a bound parameter implies it.
///
/// One case remains, and it is bounded: on a table ANALYZE has never seen,
/// the planner guesses from the table's size, and below a few hundred rows
/// it may still probe through an index that leads with `event_id` (measured:
/// up to about 250 rows read per probe, on the first few hundred
/// registrations of a new database, and never once the table is larger or
/// analyzed).
pub async fn plan_generically(mut conn: &AsyncPgConnection) -> QueryResult<()> {
    diesel::sql_query("SET LOCAL plan_cache_mode = force_generic_plan")
        .execute(&mut conn)
        .await
        .map(drop)
}

/// Creates the quota row of a country on its first registration, with the
/// event's default quota, then locks it.
pub async fn lock_country_quota(
    conn: &mut AsyncPgConnection,
    event: &Event,
    country_code: &str,
) -> QueryResult<CountryQuota> {
    diesel::insert_into(country_quotas::table)
        .values((
            country_quotas::event_id.eq(event.id),
            country_quotas::country_code.eq(country_code),
            country_quotas::capacity.eq(event.default_country_capacity),
            country_quotas::explicit.eq(false),
        ))
        .on_conflict_do_nothing()
        .execute(conn)
        .await?;
    country_quotas::table
        .find((event.id, country_code))
        .for_no_key_update()
        .select(CountryQuota::as_select())
        .get_result(conn)
        .await
}

pub async fn release_event_place(conn: &mut AsyncPgConnection, event_id: Uuid) -> QueryResult<()> {
    diesel::update(events::table.find(event_id))
        .set(events::taken.eq(events::taken - 1))
        .execute(conn)
        .await
        .map(drop)
}

pub async fn release_country_place(
    conn: &mut AsyncPgConnection,
    event_id: Uuid,
    country_code: &str,
) -> QueryResult<()> {
    diesel::update(country_quotas::table.find((event_id, country_code)))
        .set(country_quotas::taken.eq(country_quotas::taken - 1))
        .execute(conn)
        .await
        .map(drop)
}

pub async fn release_seat(conn: &mut AsyncPgConnection, session_id: Uuid) -> QueryResult<()> {
    diesel::update(sessions::table.find(session_id))
        .set(sessions::taken.eq(sessions::taken - 1))
        .execute(conn)
        .await
        .map(drop)
}

/// The next place in the waiting lists. Drawn while the event row is
/// locked, so queue order is the order in which registrations commit.
pub async fn next_queue_seq(conn: &mut AsyncPgConnection) -> QueryResult<i64> {
    diesel::select(sql::<BigInt>("nextval('registration_queue_seq')"))
        .get_result(conn)
        .await
}

pub async fn insert_choice(
    conn: &mut AsyncPgConnection,
    registration_id: Uuid,
    session_id: Uuid,
    status: SeatStatus,
    queue_seq: i64,
) -> QueryResult<()> {
    diesel::insert_into(registration_sessions::table)
        .values((
            registration_sessions::registration_id.eq(registration_id),
            registration_sessions::session_id.eq(session_id),
            registration_sessions::status.eq(status),
            registration_sessions::queue_seq.eq(queue_seq),
        ))
        .execute(conn)
        .await
        .map(drop)
}

pub async fn delete_choice(
    conn: &mut AsyncPgConnection,
    registration_id: Uuid,
    session_id: Uuid,
) -> QueryResult<()> {
    diesel::delete(registration_sessions::table.find((registration_id, session_id)))
        .execute(conn)
        .await
        .map(drop)
}

pub async fn set_choice_status(
    conn: &mut AsyncPgConnection,
    registration_id: Uuid,
    session_id: Uuid,
    status: SeatStatus,
) -> QueryResult<()> {
    diesel::update(registration_sessions::table.find((registration_id, session_id)))
        .set(registration_sessions::status.eq(status))
        .execute(conn)
        .await
        .map(drop)
}

/// Puts a registration in another category (the counters move
/// separately).
pub async fn set_category(
    conn: &mut AsyncPgConnection,
    registration_id: Uuid,
    category_id: Uuid,
    now: DateTime<Utc>,
) -> QueryResult<Registration> {
    diesel::update(registrations::table.find(registration_id))
        .set((
            registrations::category_id.eq(category_id),
            registrations::updated_at.eq(now),
        ))
        .returning(Registration::as_returning())
        .get_result(conn)
        .await
}

/// Whether any registration of the event awaits a decision.
pub async fn any_pending(conn: &mut AsyncPgConnection, event_id: Uuid) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        registrations::table
            .filter(registrations::event_id.eq(event_id))
            .filter(registrations::status.eq(RegistrationStatus::Pending)),
    ))
    .get_result(conn)
    .await
}

/// Records an organiser's approval (the status moves separately).
pub async fn mark_approved(
    conn: &mut AsyncPgConnection,
    registration_id: Uuid,
    now: DateTime<Utc>,
) -> QueryResult<Registration> {
    diesel::update(registrations::table.find(registration_id))
        .set((
            registrations::approved_at.eq(now),
            registrations::updated_at.eq(now),
        ))
        .returning(Registration::as_returning())
        .get_result(conn)
        .await
}

/// Rejects a registration, with the reason's code and a note to the
/// delegate; an unverified hold ends with it.
pub async fn reject(
    conn: &mut AsyncPgConnection,
    registration_id: Uuid,
    reason: &str,
    note: Option<&str>,
    now: DateTime<Utc>,
) -> QueryResult<Registration> {
    diesel::update(registrations::table.find(registration_id))
        .set((
            registrations::status.eq(RegistrationStatus::Rejected),
            registrations::rejection_reason.eq(reason),
            registrations::rejection_note.eq(note),
            registrations::updated_at.eq(now),
            registrations::verify_by.eq(None::<DateTime<Utc>>),
        ))
        .returning(Registration::as_returning())
        .get_result(conn)
        .await
}

/// Moves a registration to `status`, ending any unverified hold (the CHECK
/// constraint refuses `Unverified` here: [`hold_unverified`] starts one).
pub async fn set_status(
    conn: &mut AsyncPgConnection,
    registration_id: Uuid,
    status: RegistrationStatus,
    now: DateTime<Utc>,
) -> QueryResult<Registration> {
    let cancelled_at = match status {
        RegistrationStatus::Cancelled => Some(now),
        RegistrationStatus::Unverified
        | RegistrationStatus::Pending
        | RegistrationStatus::Confirmed
        | RegistrationStatus::Waitlisted
        | RegistrationStatus::Rejected => None,
    };
    diesel::update(registrations::table.find(registration_id))
        .set((
            registrations::status.eq(status),
            registrations::updated_at.eq(now),
            registrations::cancelled_at.eq(cancelled_at),
            registrations::verify_by.eq(None::<DateTime<Utc>>),
        ))
        .returning(Registration::as_returning())
        .get_result(conn)
        .await
}

/// Holds a promoted registration's places until `verify_by`, for the
/// delegate to follow the link they were sent on registering.
pub async fn hold_unverified(
    conn: &mut AsyncPgConnection,
    registration_id: Uuid,
    verify_by: DateTime<Utc>,
    now: DateTime<Utc>,
) -> QueryResult<Registration> {
    diesel::update(registrations::table.find(registration_id))
        .set((
            registrations::status.eq(RegistrationStatus::Unverified),
            registrations::updated_at.eq(now),
            registrations::verify_by.eq(verify_by),
        ))
        .returning(Registration::as_returning())
        .get_result(conn)
        .await
}

/// Notes that the delegate followed their verification link, and moves
/// the registration to `status` (a held place becomes confirmed).
pub async fn verify_email(
    conn: &mut AsyncPgConnection,
    registration_id: Uuid,
    status: RegistrationStatus,
    now: DateTime<Utc>,
) -> QueryResult<Registration> {
    diesel::update(registrations::table.find(registration_id))
        .set((
            registrations::status.eq(status),
            registrations::updated_at.eq(now),
            registrations::verify_by.eq(None::<DateTime<Utc>>),
            registrations::email_verified_at.eq(now),
        ))
        .returning(Registration::as_returning())
        .get_result(conn)
        .await
}

/// The live registration of `event_id` with this address (compared as the
/// unique index compares it), if it still awaits the address's
/// confirmation: also one made before the event verified emails, which
/// got no link then.
pub async fn awaiting_verification(
    conn: &mut AsyncPgConnection,
    event_id: Uuid,
    email: &str,
) -> QueryResult<Option<Registration>> {
    registrations::table
        .filter(registrations::event_id.eq(event_id))
        .filter(registrations::status.ne(RegistrationStatus::Cancelled))
        .filter(lower(registrations::email).eq(lower(email)))
        .filter(registrations::email_verified_at.is_null())
        .select(Registration::as_select())
        .first(conn)
        .await
        .optional()
}

/// Gives a registration a new verification link: the earlier ones stop
/// working.
pub async fn replace_verification_hash(
    conn: &mut AsyncPgConnection,
    registration_id: Uuid,
    verification_hash: &[u8],
) -> QueryResult<()> {
    diesel::update(registrations::table.find(registration_id))
        .set(registrations::verification_hash.eq(verification_hash))
        .execute(conn)
        .await
        .map(drop)
}

/// The registration a verification link names, whatever its status.
pub async fn find_by_verification_hash(
    conn: &mut AsyncPgConnection,
    verification_hash: &[u8],
) -> QueryResult<Option<Registration>> {
    registrations::table
        .filter(registrations::verification_hash.eq(verification_hash))
        .select(Registration::as_select())
        .first(conn)
        .await
        .optional()
}

/// Unverified registrations whose hold ran out by `now`, oldest deadline
/// first: (event id, registration id).
pub async fn expired_holds(
    conn: &mut AsyncPgConnection,
    now: DateTime<Utc>,
    limit: i64,
) -> QueryResult<Vec<(Uuid, Uuid)>> {
    registrations::table
        .filter(registrations::status.eq(RegistrationStatus::Unverified))
        .filter(registrations::verify_by.le(now))
        .order(registrations::verify_by.asc())
        .limit(limit)
        .select((registrations::event_id, registrations::id))
        .load(conn)
        .await
}

pub async fn find_by_token_hash(
    conn: &mut AsyncPgConnection,
    token_hash: &[u8],
) -> QueryResult<Option<Registration>> {
    registrations::table
        .filter(registrations::token_hash.eq(token_hash))
        .select(Registration::as_select())
        .first(conn)
        .await
        .optional()
}

pub async fn find(conn: &mut AsyncPgConnection, id: Uuid) -> QueryResult<Registration> {
    registrations::table
        .find(id)
        .select(Registration::as_select())
        .get_result(conn)
        .await
}

pub async fn lock(conn: &mut AsyncPgConnection, id: Uuid) -> QueryResult<Registration> {
    registrations::table
        .find(id)
        .for_update()
        .select(Registration::as_select())
        .get_result(conn)
        .await
}

pub async fn replace_token_hash(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    token_hash: &[u8],
) -> QueryResult<()> {
    diesel::update(registrations::table.find(id))
        .set(registrations::token_hash.eq(token_hash))
        .execute(conn)
        .await
        .map(drop)
}

/// The session choices of a registration with their sessions, by start time.
pub async fn choices_of(
    conn: &mut AsyncPgConnection,
    registration_id: Uuid,
) -> QueryResult<Vec<(Choice, Session)>> {
    registration_sessions::table
        .inner_join(sessions::table)
        .filter(registration_sessions::registration_id.eq(registration_id))
        .order((sessions::starts_at.asc(), sessions::code.asc()))
        .select((Choice::as_select(), Session::as_select()))
        .load(conn)
        .await
}

/// The oldest waiting registration that the places now free can take: its
/// category (if any) has room, and so has its country when the category
/// counts in the quotas. `event_has_room` says whether the event has a
/// place free (the caller's count); when not, only a category outside the
/// quotas can take one.
pub async fn oldest_promotable(
    conn: &mut AsyncPgConnection,
    event_id: Uuid,
    event_has_room: bool,
) -> QueryResult<Option<Registration>> {
    let country_has_room = country_quotas::capacity.is_null().or(country_quotas::taken
        .nullable()
        .lt(country_quotas::capacity));
    // Without a category, the category's columns are NULL: `counts_in_quotas
    // = false` is then not true, and the country decides.
    let outside_quotas = categories::counts_in_quotas.eq(false);
    let query = registrations::table
        .inner_join(
            country_quotas::table.on(country_quotas::event_id
                .eq(registrations::event_id)
                .and(country_quotas::country_code.eq(registrations::country_code))),
        )
        .left_join(categories::table)
        .filter(registrations::event_id.eq(event_id))
        .filter(registrations::status.eq(RegistrationStatus::Waitlisted))
        .filter(
            categories::id
                .nullable()
                .is_null()
                .or(categories::capacity.is_null())
                .or(categories::taken.nullable().lt(categories::capacity)),
        )
        .into_boxed();
    let query = if event_has_room {
        query.filter(outside_quotas.or(country_has_room))
    } else {
        query.filter(outside_quotas)
    };
    query
        .order(registrations::queue_seq.asc())
        .select(Registration::as_select())
        .first(conn)
        .await
        .optional()
}

/// The oldest waiting choice of a place-holding registration for a
/// session (a pending one holds its place when `pending_holds_place`).
pub async fn oldest_waiting_choice(
    conn: &mut AsyncPgConnection,
    session_id: Uuid,
    pending_holds_place: bool,
) -> QueryResult<Option<Choice>> {
    registration_sessions::table
        .inner_join(registrations::table)
        .filter(registration_sessions::session_id.eq(session_id))
        .filter(registration_sessions::status.eq(SeatStatus::Waitlisted))
        .filter(registrations::status.eq_any(RegistrationStatus::holding(pending_holds_place)))
        .order(registration_sessions::queue_seq.asc())
        .select(Choice::as_select())
        .first(conn)
        .await
        .optional()
}

/// The waiting list a waiting registration is counted in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Queue {
    Event,
    Country,
    Category(Uuid),
}

/// 1-based place of a waiting registration in `queue`.
pub async fn waitlist_position(
    conn: &mut AsyncPgConnection,
    registration: &Registration,
    queue: Queue,
) -> QueryResult<i64> {
    let query = registrations::table
        .filter(registrations::event_id.eq(registration.event_id))
        .filter(registrations::status.eq(RegistrationStatus::Waitlisted))
        .filter(registrations::queue_seq.le(registration.queue_seq))
        .into_boxed();
    let query = match queue {
        Queue::Event => query,
        Queue::Country => query.filter(registrations::country_code.eq(&registration.country_code)),
        Queue::Category(id) => query.filter(registrations::category_id.eq(id)),
    };
    query.count().get_result(conn).await
}

pub async fn country_quota(
    conn: &mut AsyncPgConnection,
    event_id: Uuid,
    country_code: &str,
) -> QueryResult<CountryQuota> {
    country_quotas::table
        .find((event_id, country_code))
        .select(CountryQuota::as_select())
        .get_result(conn)
        .await
}

// ---------------------------------------------------------------------------
// Whole-batch statements. The registrar decides a batch of registrations in
// memory under the event lock and writes it with one statement per table.

#[derive(Debug, Insertable)]
#[diesel(table_name = registration_sessions)]
pub struct NewChoice {
    pub registration_id: Uuid,
    pub session_id: Uuid,
    pub status: SeatStatus,
    pub queue_seq: i64,
}

/// How the live-email index sees one email of a batch.
#[derive(Debug, QueryableByName)]
pub struct EmailCheck {
    /// The email as the unique index compares it (`lower(email)`).
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub folded: String,
    /// A live registration of the event already has it.
    #[diesel(sql_type = diesel::sql_types::Bool)]
    pub taken: bool,
}

/// The batch's duplicate-email probe: `$1` the event, `$2` the emails.
const EMAIL_PROBE: &str = "SELECT lower(b.email) AS folded, t.found IS NOT NULL AS taken \
     FROM unnest($2::text[]) WITH ORDINALITY AS b(email, i) \
     LEFT JOIN LATERAL (SELECT 1 AS found FROM registrations r \
                        WHERE r.event_id = $1 AND r.status <> 'cancelled' \
                          AND lower(r.email) = lower(b.email) LIMIT 1) t ON true \
     ORDER BY b.i";

/// For each of `emails`, in order: its folded form and whether a live
/// registration of the event already uses it. Folding is PostgreSQL's own
/// `lower`, so two emails of one batch collide exactly when the index
/// would refuse the second.
pub async fn check_emails(
    mut conn: &AsyncPgConnection,
    event_id: Uuid,
    emails: &[&str],
) -> QueryResult<Vec<EmailCheck>> {
    // One index probe per email (LATERAL … LIMIT 1): a correlated EXISTS
    // may be planned as a hash of every live registration of the event,
    // which grows with the event during the rush. Under the batch's generic
    // plans (`plan_generically`) the probe is served by
    // `registrations_live_email_key`, whose predicate is the literal below.
    diesel::sql_query(EMAIL_PROBE)
        .bind::<diesel::sql_types::Uuid, _>(event_id)
        .bind::<diesel::sql_types::Array<diesel::sql_types::Text>, _>(emails)
        .load(&mut conn)
        .await
}

/// Creates the missing quota rows of these countries with the event's
/// default quota, then locks all of them (`codes` sorted: the lock order).
pub async fn lock_country_quotas(
    mut conn: &AsyncPgConnection,
    event: &Event,
    codes: &[&str],
) -> QueryResult<Vec<CountryQuota>> {
    if codes.is_empty() {
        return Ok(Vec::new());
    }
    let rows: Vec<_> = codes
        .iter()
        .map(|code| {
            (
                country_quotas::event_id.eq(event.id),
                country_quotas::country_code.eq(*code),
                country_quotas::capacity.eq(event.default_country_capacity),
                country_quotas::explicit.eq(false),
            )
        })
        .collect();
    diesel::insert_into(country_quotas::table)
        .values(rows)
        .on_conflict_do_nothing()
        .execute(&mut conn)
        .await?;
    country_quotas::table
        .filter(country_quotas::event_id.eq(event.id))
        .filter(country_quotas::country_code.eq_any(codes))
        .order(country_quotas::country_code.asc())
        .for_no_key_update()
        .select(CountryQuota::as_select())
        .load(&mut conn)
        .await
}

#[derive(QueryableByName)]
struct Drawn {
    #[diesel(sql_type = BigInt)]
    seq: i64,
}

/// `count` places in the waiting lists, ascending.
pub async fn next_queue_seqs(mut conn: &AsyncPgConnection, count: i32) -> QueryResult<Vec<i64>> {
    let mut drawn: Vec<i64> = diesel::sql_query(
        "SELECT nextval('registration_queue_seq') AS seq FROM generate_series(1, $1)",
    )
    .bind::<diesel::sql_types::Integer, _>(count)
    .load::<Drawn>(&mut conn)
    .await?
    .into_iter()
    .map(|row| row.seq)
    .collect();
    drawn.sort_unstable();
    Ok(drawn)
}

// The counters. One guarded statement per table, for one place (a
// promotion, a new choice) as for a whole batch: each carries the places
// to take and refuses them all unless all are free.

/// Takes `count` places of the event at once, if all of them are free.
pub async fn take_event_places(
    mut conn: &AsyncPgConnection,
    event_id: Uuid,
    count: i32,
) -> QueryResult<bool> {
    let changed = diesel::update(events::table.find(event_id))
        .filter(
            events::capacity
                .is_null()
                .or((events::taken + count).nullable().le(events::capacity)),
        )
        .set(events::taken.eq(events::taken + count))
        .execute(&mut conn)
        .await?;
    Ok(changed == 1)
}

/// Takes places in several countries' quotas, `(country, count)` each; true
/// only if every country had room for its count.
pub async fn take_country_places(
    mut conn: &AsyncPgConnection,
    event_id: Uuid,
    takes: &[(&str, i32)],
) -> QueryResult<bool> {
    if takes.is_empty() {
        return Ok(true);
    }
    let (codes, counts): (Vec<&str>, Vec<i32>) = takes.iter().copied().unzip();
    let changed = diesel::sql_query(
        "UPDATE country_quotas q SET taken = q.taken + t.count \
         FROM unnest($2::text[], $3::int4[]) AS t(code, count) \
         WHERE q.event_id = $1 AND q.country_code = t.code::bpchar \
           AND (q.capacity IS NULL OR q.taken + t.count <= q.capacity)",
    )
    .bind::<diesel::sql_types::Uuid, _>(event_id)
    .bind::<diesel::sql_types::Array<diesel::sql_types::Text>, _>(codes)
    .bind::<diesel::sql_types::Array<diesel::sql_types::Integer>, _>(counts)
    .execute(&mut conn)
    .await?;
    Ok(changed == takes.len())
}

/// Takes seats in several sessions, `(session, count)` each; true only if
/// every session had room for its count.
pub async fn take_seats(conn: &AsyncPgConnection, takes: &[(Uuid, i32)]) -> QueryResult<bool> {
    move_counters(
        conn,
        "UPDATE sessions s SET taken = s.taken + t.count \
         FROM unnest($1::uuid[], $2::int4[]) AS t(id, count) \
         WHERE s.id = t.id AND (s.capacity IS NULL OR s.taken + t.count <= s.capacity)",
        takes,
    )
    .await
}

pub async fn insert_many(
    mut conn: &AsyncPgConnection,
    registrations: &[NewRegistration<'_>],
) -> QueryResult<Vec<Registration>> {
    diesel::insert_into(registrations::table)
        .values(registrations)
        .returning(Registration::as_returning())
        .get_results(&mut conn)
        .await
}

pub async fn insert_choices(
    mut conn: &AsyncPgConnection,
    choices: &[NewChoice],
) -> QueryResult<()> {
    insert_rows!(&mut conn, registration_sessions::table, choices)
}
