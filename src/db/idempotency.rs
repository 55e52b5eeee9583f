//! `Idempotency-Key`: a registration made with a key records its answer in
//! the same transaction; a retry with the key finds the record instead of
//! registering again. Keys are read and written only under the event's lock
//! (see `crate::registration`), so a concurrent retry waits for the first
//! request's commit and then sees its record.
//!
//! A record is found by a hash of the client's address and its key
//! ([`crate::domain::secret::ReplayKeys`]), holds the registration's
//! private token only sealed, and answers retries for [`KEPT_HOURS`].

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::upsert::excluded;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use super::schema::idempotency_keys;

/// How long a key answers retries: a client retries within minutes; after
/// a day the same key is a new request.
pub const KEPT_HOURS: i64 = 24;

/// A key used before, with the hash of its request and the answer recorded.
#[derive(Queryable, Selectable)]
#[diesel(table_name = idempotency_keys, check_for_backend(diesel::pg::Pg))]
pub struct UsedKey {
    pub key_hash: Vec<u8>,
    pub request_hash: Vec<u8>,
    pub registration_id: Uuid,
    pub sealed_token: Vec<u8>,
}

/// The keys among `key_hashes` that the event has seen in the last day.
pub async fn find_used(
    mut conn: &AsyncPgConnection,
    event_id: Uuid,
    key_hashes: &[&[u8]],
    now: DateTime<Utc>,
) -> QueryResult<Vec<UsedKey>> {
    if key_hashes.is_empty() {
        return Ok(Vec::new());
    }
    idempotency_keys::table
        .filter(idempotency_keys::event_id.eq(event_id))
        .filter(idempotency_keys::key_hash.eq_any(key_hashes))
        .filter(idempotency_keys::created_at.gt(now - chrono::Duration::hours(KEPT_HOURS)))
        .select(UsedKey::as_select())
        .load(&mut conn)
        .await
}

/// A key's record: the request's hash and the answer it got.
pub struct NewRecord<'a> {
    pub key_hash: &'a [u8],
    pub request_hash: &'a [u8],
    pub registration_id: Uuid,
    pub sealed_token: Vec<u8>,
}

/// Records the answers of several requests with one statement. A record
/// of the same key older than a day (which the lookup no longer sees) is
/// replaced.
pub async fn record_many(
    mut conn: &AsyncPgConnection,
    event_id: Uuid,
    records: Vec<NewRecord<'_>>,
) -> QueryResult<()> {
    if records.is_empty() {
        return Ok(());
    }
    let rows: Vec<_> = records
        .into_iter()
        .map(|record| {
            (
                idempotency_keys::event_id.eq(event_id),
                idempotency_keys::key_hash.eq(record.key_hash),
                idempotency_keys::request_hash.eq(record.request_hash),
                idempotency_keys::registration_id.eq(record.registration_id),
                idempotency_keys::sealed_token.eq(record.sealed_token),
            )
        })
        .collect();
    diesel::insert_into(idempotency_keys::table)
        .values(rows)
        .on_conflict((idempotency_keys::event_id, idempotency_keys::key_hash))
        .do_update()
        .set((
            idempotency_keys::request_hash.eq(excluded(idempotency_keys::request_hash)),
            idempotency_keys::registration_id.eq(excluded(idempotency_keys::registration_id)),
            idempotency_keys::sealed_token.eq(excluded(idempotency_keys::sealed_token)),
            idempotency_keys::created_at.eq(excluded(idempotency_keys::created_at)),
        ))
        .execute(&mut conn)
        .await
        .map(drop)
}

/// Deletes the records no retry can use any more; returns how many.
pub async fn purge_expired(conn: &mut AsyncPgConnection, now: DateTime<Utc>) -> QueryResult<usize> {
    diesel::delete(
        idempotency_keys::table
            .filter(idempotency_keys::created_at.le(now - chrono::Duration::hours(KEPT_HOURS))),
    )
    .execute(conn)
    .await
}
