//! Diesel on PostgreSQL: the pool, the embedded migrations and one module per
//! aggregate. Functions here take a connection and return `QueryResult`, so
//! the same function runs alone or inside a caller's transaction.

pub mod admin;
pub mod attendees;
pub mod email_texts;
pub mod events;
pub mod idempotency;
pub mod organisers;
pub mod outbox;
pub mod registrations;
pub mod schema;

use std::time::Duration;

use diesel_async::AsyncPgConnection;
use diesel_async::pooled_connection::deadpool::{Object, Pool};
use diesel_async::pooled_connection::{AsyncDieselConnectionManager, ManagerConfig};
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

use crate::config::DatabaseSettings;

pub const MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations");

pub type DbPool = Pool<AsyncPgConnection>;
pub type PooledConnection = Object<AsyncPgConnection>;
pub type PoolError = diesel_async::pooled_connection::deadpool::PoolError;

/// Builds the pool without connecting: the first request (or `/healthz`)
/// finds out whether the database answers.
pub fn build_pool(settings: &DatabaseSettings) -> anyhow::Result<DbPool> {
    let manager = AsyncDieselConnectionManager::<AsyncPgConnection>::new_with_config(
        settings.url.clone(),
        ManagerConfig::default(),
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
