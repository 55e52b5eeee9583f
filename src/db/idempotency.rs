//! `Idempotency-Key`: the first request with a key records what it created,
//! in its own transaction; a retry finds the record instead of registering
//! again. A concurrent retry blocks on the uncommitted row and then sees it.

use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use super::schema::idempotency_keys;

pub enum Claim {
    /// The key is new; it is held by this transaction.
    New,
    /// The key was used before, for a request with this hash.
    Used {
        request_hash: Vec<u8>,
        response: serde_json::Value,
    },
}

pub async fn claim(
    conn: &mut AsyncPgConnection,
    event_id: Uuid,
    key: &str,
    request_hash: &[u8],
) -> QueryResult<Claim> {
    let inserted = diesel::insert_into(idempotency_keys::table)
        .values((
            idempotency_keys::event_id.eq(event_id),
            idempotency_keys::key.eq(key),
            idempotency_keys::request_hash.eq(request_hash),
            idempotency_keys::response_status.eq(0),
            idempotency_keys::response_body.eq(serde_json::Value::Null),
        ))
        .on_conflict_do_nothing()
        .execute(conn)
        .await?;
    if inserted == 1 {
        return Ok(Claim::New);
    }
    let (request_hash, response) = idempotency_keys::table
        .find((event_id, key))
        .select((
            idempotency_keys::request_hash,
            idempotency_keys::response_body,
        ))
        .get_result(conn)
        .await?;
    Ok(Claim::Used {
        request_hash,
        response,
    })
}

pub async fn record(
    conn: &mut AsyncPgConnection,
    event_id: Uuid,
    key: &str,
    status: i16,
    response: &serde_json::Value,
) -> QueryResult<()> {
    diesel::update(idempotency_keys::table.find((event_id, key)))
        .set((
            idempotency_keys::response_status.eq(status),
            idempotency_keys::response_body.eq(response),
        ))
        .execute(conn)
        .await
        .map(drop)
}
