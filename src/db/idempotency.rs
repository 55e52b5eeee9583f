//! `Idempotency-Key`: a registration made with a key records its answer in
//! the same transaction; a retry with the key finds the record instead of
//! registering again. Keys are read and written only under the event's lock
//! (see `crate::registration`), so a concurrent retry waits for the first
//! request's commit and then sees its record.

use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use super::schema::idempotency_keys;

/// A key used before, with the hash of its request and the answer recorded.
pub struct UsedKey {
    pub key: String,
    pub request_hash: Vec<u8>,
    pub response: serde_json::Value,
}

/// The keys among `keys` that the event has seen already.
pub async fn find_used(
    mut conn: &AsyncPgConnection,
    event_id: Uuid,
    keys: &[&str],
) -> QueryResult<Vec<UsedKey>> {
    if keys.is_empty() {
        return Ok(Vec::new());
    }
    let rows: Vec<(String, Vec<u8>, serde_json::Value)> = idempotency_keys::table
        .filter(idempotency_keys::event_id.eq(event_id))
        .filter(idempotency_keys::key.eq_any(keys))
        .select((
            idempotency_keys::key,
            idempotency_keys::request_hash,
            idempotency_keys::response_body,
        ))
        .load(&mut conn)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(key, request_hash, response)| UsedKey {
            key,
            request_hash,
            response,
        })
        .collect())
}

/// A key's record: the request's hash and the answer it got.
pub struct NewRecord<'a> {
    pub key: &'a str,
    pub request_hash: &'a [u8],
    pub status: i16,
    pub response: serde_json::Value,
}

/// Records the answers of several requests with one statement.
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
                idempotency_keys::key.eq(record.key),
                idempotency_keys::request_hash.eq(record.request_hash),
                idempotency_keys::response_status.eq(record.status),
                idempotency_keys::response_body.eq(record.response),
            )
        })
        .collect();
    diesel::insert_into(idempotency_keys::table)
        .values(rows)
        .execute(&mut conn)
        .await
        .map(drop)
}
