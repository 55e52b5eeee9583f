//! Diesel on PostgreSQL: the pool, the embedded migrations and one module per
//! aggregate. Functions here take a connection and return `QueryResult`, so
//! the same function runs alone or inside a caller's transaction.

pub mod admin;
pub mod attendees;
pub mod categories;
pub mod email_texts;
pub mod events;
pub mod files;
pub mod idempotency;
pub mod organisers;
pub mod outbox;
pub mod questions;
pub mod registrations;
pub mod schema;
mod words;

use std::time::Duration;

use diesel_async::pooled_connection::deadpool::{Object, Pool};
use diesel_async::pooled_connection::{AsyncDieselConnectionManager, ManagerConfig};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};
use futures_util::future::BoxFuture;

use crate::config::DatabaseSettings;

/// Inserts `rows`, a slice of one table's `Insertable` rows, with one
/// statement; with none when the slice is empty (`VALUES` cannot be).
macro_rules! insert_rows {
    ($conn:expr, $table:expr, $rows:expr) => {{
        let rows = $rows;
        if rows.is_empty() {
            Ok(())
        } else {
            diesel::insert_into($table)
                .values(rows)
                .execute($conn)
                .await
                .map(drop)
        }
    }};
}
pub(crate) use insert_rows;

/// Locks the rows of `$table` whose ids are `$ids`, in id order (the global
/// lock order), read as `$row`; none when there are no ids.
macro_rules! lock_by_ids {
    ($conn:expr, $table:ident, $row:ty, $ids:expr) => {{
        let ids = $ids;
        if ids.is_empty() {
            Ok(Vec::new())
        } else {
            $table::table
                .filter($table::id.eq_any(ids))
                .order($table::id.asc())
                .for_no_key_update()
                .select(<$row>::as_select())
                .load($conn)
                .await
        }
    }};
}
pub(crate) use lock_by_ids;

/// Runs a counter statement over `(row id, change)` pairs, the ids bound
/// as `$1` and the changes as `$2`: true when it moved every row, false
/// when a row's guard refused (the caller rolls back).
pub(crate) async fn move_counters(
    mut conn: &AsyncPgConnection,
    statement: &'static str,
    changes: &[(uuid::Uuid, i32)],
) -> diesel::QueryResult<bool> {
    use diesel::sql_types::{Array, Integer, Uuid};
    if changes.is_empty() {
        return Ok(true);
    }
    let (ids, counts): (Vec<uuid::Uuid>, Vec<i32>) = changes.iter().copied().unzip();
    let changed = diesel::sql_query(statement)
        .bind::<Array<Uuid>, _>(ids)
        .bind::<Array<Integer>, _>(counts)
        .execute(&mut conn)
        .await?;
    Ok(changed == changes.len())
}

pub const MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations");

pub type DbPool = Pool<AsyncPgConnection>;
pub type PooledConnection = Object<AsyncPgConnection>;
pub type PoolError = diesel_async::pooled_connection::deadpool::PoolError;

/// Builds the pool without connecting: the first request (or `/healthz`)
/// finds out whether the database answers.
pub fn build_pool(settings: &DatabaseSettings) -> anyhow::Result<DbPool> {
    let mut config = ManagerConfig::default();
    config.custom_setup = Box::new(connect);
    let manager = AsyncDieselConnectionManager::<AsyncPgConnection>::new_with_config(
        settings.url.clone(),
        config,
    );
    let timeout = Duration::from_millis(settings.acquire_timeout_ms);
    let pool = Pool::builder(manager)
        .max_size(settings.pool_size)
        .wait_timeout(Some(timeout))
        .create_timeout(Some(timeout))
        .recycle_timeout(Some(timeout))
        .runtime(deadpool::Runtime::Tokio1)
        .build()?;
    Ok(pool)
}

/// A pooled connection, with PostgreSQL's JIT compilation off. The list and
/// export statements carry a subquery per row, which puts their estimated
/// cost far past `jit_above_cost` although they read a few thousand index
/// entries: compiling them took about 400 ms per statement (measured with
/// auto_explain on the back office at 150,000 registrations) to run for 5.
fn connect(url: &str) -> BoxFuture<'_, diesel::ConnectionResult<AsyncPgConnection>> {
    Box::pin(async move {
        let mut conn = <AsyncPgConnection as diesel_async::AsyncConnection>::establish(url).await?;
        diesel::sql_query("SET jit = off")
            .execute(&mut conn)
            .await
            .map_err(diesel::ConnectionError::CouldntSetupConfiguration)?;
        Ok(conn)
    })
}

/// True when `error` means the connection to PostgreSQL was lost (the server
/// stopped, restarted or crashed; the network failed), not that the request
/// was wrong: the same request may succeed a moment later, on a new
/// connection. When it is the COMMIT that failed, whether the transaction
/// took effect is unknown.
pub fn is_connection_lost(error: &diesel::result::Error) -> bool {
    use diesel::result::{DatabaseErrorKind, Error};
    match error {
        // diesel-async's kind for every failure that did not come from the
        // server itself: "connection closed", I/O errors.
        Error::DatabaseError(
            DatabaseErrorKind::ClosedConnection | DatabaseErrorKind::UnableToSendCommand,
            _,
        ) => true,
        // The server ending the session (SQLSTATE 57P01 on a fast shutdown,
        // 57P02 after another backend crashed). diesel keeps the message but
        // not the SQLSTATE, so the message is all there is to go on.
        Error::DatabaseError(_, info) => info.message().starts_with("terminating connection"),
        Error::RollbackErrorOnCommit { commit_error, .. } => is_connection_lost(commit_error),
        _ => false,
    }
}

/// Runs the pending embedded migrations. Diesel's migration harness is
/// synchronous, so it runs on a blocking thread with a connection of its own.
pub async fn run_migrations(database_url: &str) -> anyhow::Result<Vec<String>> {
    let url = database_url.to_owned();
    tokio::task::spawn_blocking(move || -> anyhow::Result<Vec<String>> {
        use diesel::Connection;
        use diesel_async::async_connection_wrapper::AsyncConnectionWrapper;
        let mut connection = AsyncConnectionWrapper::<AsyncPgConnection>::establish(&url)?;
        let applied = connection
            .run_pending_migrations(MIGRATIONS)
            .map_err(|error| anyhow::anyhow!("migration failed: {error}"))?;
        Ok(applied.iter().map(ToString::to_string).collect())
    })
    .await?
}

/// Reverts every applied migration (used by the reversibility test).
pub async fn revert_all_migrations(database_url: &str) -> anyhow::Result<()> {
    let url = database_url.to_owned();
    tokio::task::spawn_blocking(move || -> anyhow::Result<()> {
        use diesel::Connection;
        use diesel_async::async_connection_wrapper::AsyncConnectionWrapper;
        let mut connection = AsyncConnectionWrapper::<AsyncPgConnection>::establish(&url)?;
        connection
            .revert_all_migrations(MIGRATIONS)
            .map_err(|error| anyhow::anyhow!("revert failed: {error}"))?;
        Ok(())
    })
    .await?
}

#[cfg(test)]
mod tests {
    use diesel::result::{DatabaseErrorKind, Error};

    use super::is_connection_lost;

    fn database_error(kind: DatabaseErrorKind, message: &str) -> Error {
        Error::DatabaseError(kind, Box::new(message.to_owned()))
    }

    #[test]
    fn a_lost_connection_is_told_apart_from_a_failed_statement() {
        let closed = || database_error(DatabaseErrorKind::UnableToSendCommand, "connection closed");
        assert!(is_connection_lost(&closed()));
        assert!(is_connection_lost(&database_error(
            DatabaseErrorKind::Unknown,
            "terminating connection due to administrator command"
        )));
        assert!(is_connection_lost(&Error::RollbackErrorOnCommit {
            rollback_error: Box::new(closed()),
            commit_error: Box::new(closed()),
        }));

        assert!(!is_connection_lost(&database_error(
            DatabaseErrorKind::UniqueViolation,
            "duplicate key value violates unique constraint"
        )));
        assert!(!is_connection_lost(&database_error(
            DatabaseErrorKind::Unknown,
            "deadlock detected"
        )));
        assert!(!is_connection_lost(&Error::RollbackErrorOnCommit {
            rollback_error: Box::new(closed()),
            commit_error: Box::new(database_error(
                DatabaseErrorKind::CheckViolation,
                "new row violates check constraint"
            )),
        }));
        assert!(!is_connection_lost(&Error::NotFound));
    }
}
