//! Organiser accounts, their API tokens and back-office sessions, and the
//! audit log of what they did.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use super::schema::{admin_sessions, api_tokens, audit_log, event_roles, events, organisers};
use crate::domain::EventRole;

diesel::define_sql_function!(
    /// PostgreSQL's `lower`, as the unique email indexes compare addresses.
    fn lower(text: diesel::sql_types::Text) -> diesel::sql_types::Text
);

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = organisers, check_for_backend(diesel::pg::Pg))]
pub struct Organiser {
    pub id: Uuid,
    pub email: String,
    pub name: String,
    pub password_hash: Option<String>,
    pub role: String,
    pub created_at: DateTime<Utc>,
}

pub async fn insert(
    conn: &mut AsyncPgConnection,
    email: &str,
    name: &str,
    role: &str,
    password_hash: Option<&str>,
) -> QueryResult<Organiser> {
    diesel::insert_into(organisers::table)
        .values((
            organisers::id.eq(Uuid::now_v7()),
            organisers::email.eq(email),
            organisers::name.eq(name),
            organisers::role.eq(role),
            organisers::password_hash.eq(password_hash),
        ))
        .returning(Organiser::as_returning())
        .get_result(conn)
        .await
}

pub async fn find_by_email(
    conn: &mut AsyncPgConnection,
    email: &str,
) -> QueryResult<Option<Organiser>> {
    organisers::table
        .filter(lower(organisers::email).eq(email.to_lowercase()))
        .select(Organiser::as_select())
        .first(conn)
        .await
        .optional()
}

/// Whether any account other than `email`'s exists.
pub async fn any_other_than(conn: &mut AsyncPgConnection, email: &str) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        organisers::table.filter(lower(organisers::email).ne(email.to_lowercase())),
    ))
    .get_result(conn)
    .await
}

/// What a token opens beyond its account's roles: at most one event, and
/// maybe only for reading. A session is never narrowed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = api_tokens, check_for_backend(diesel::pg::Pg))]
pub struct TokenScope {
    pub event_id: Option<Uuid>,
    pub read_only: bool,
}

pub async fn insert_api_token(
    conn: &mut AsyncPgConnection,
    organiser_id: Uuid,
    token_hash: &[u8],
    label: &str,
    expires_at: Option<DateTime<Utc>>,
    scope: TokenScope,
) -> QueryResult<Uuid> {
    diesel::insert_into(api_tokens::table)
        .values((
            api_tokens::id.eq(Uuid::now_v7()),
            api_tokens::organiser_id.eq(organiser_id),
            api_tokens::token_hash.eq(token_hash),
            api_tokens::label.eq(label),
            api_tokens::expires_at.eq(expires_at),
            api_tokens::event_id.eq(scope.event_id),
            api_tokens::read_only.eq(scope.read_only),
        ))
        .returning(api_tokens::id)
        .get_result(conn)
        .await
}

/// The organiser behind a live (neither revoked nor expired) API token,
/// and the token's scope; the token is noted as used now.
pub async fn find_by_api_token(
    conn: &mut AsyncPgConnection,
    token_hash: &[u8],
) -> QueryResult<Option<(Organiser, TokenScope)>> {
    let now = Utc::now();
    let found: Option<(Organiser, TokenScope, Uuid, Option<DateTime<Utc>>)> = api_tokens::table
        .inner_join(organisers::table)
        .filter(api_tokens::token_hash.eq(token_hash))
        .filter(api_tokens::revoked_at.is_null())
        .filter(
            api_tokens::expires_at
                .is_null()
                .or(api_tokens::expires_at.gt(now)),
        )
        .select((
            Organiser::as_select(),
            TokenScope::as_select(),
            api_tokens::id,
            api_tokens::last_used_at,
        ))
        .first(conn)
        .await
        .optional()?;
    let Some((organiser, scope, id, last_used)) = found else {
        return Ok(None);
    };
    let stale = now - TOUCH_EVERY;
    if last_used.is_none_or(|used| used < stale) {
        diesel::update(
            api_tokens::table.find(id).filter(
                api_tokens::last_used_at
                    .is_null()
                    .or(api_tokens::last_used_at.lt(stale)),
            ),
        )
        .set(api_tokens::last_used_at.eq(now))
        .execute(conn)
        .await?;
    }
    Ok(Some((organiser, scope)))
}

/// How stale a token's `last_used_at` or a session's `last_seen_at` may be
/// before a use writes it again. Writing it on every request was a
/// committed UPDATE (a WAL flush) per back-office page, and organisers
/// sharing one token queued on its row; one write a minute keeps "last
/// used" to the minute (sessions: see [`touch_session_every`]).
const TOUCH_EVERY: chrono::Duration = chrono::Duration::seconds(60);

/// A session's idle time counts from its last write, at most
/// [`TOUCH_EVERY`] (or a tenth of the idle time, if shorter) before its
/// last use: a session ends no more than that before its idle time after
/// the last use.
fn touch_session_every(idle: chrono::Duration) -> chrono::Duration {
    TOUCH_EVERY.min(idle / 10)
}

/// An API token as `rencontre token list` shows it (never the token).
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = api_tokens, check_for_backend(diesel::pg::Pg))]
pub struct ApiToken {
    pub id: Uuid,
    pub label: String,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub expires_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
    /// The slug of the one event the token is narrowed to.
    #[diesel(select_expression = events::slug.nullable())]
    pub event_slug: Option<String>,
    pub read_only: bool,
}

/// The organiser's tokens, oldest first.
pub async fn api_tokens_of(
    conn: &mut AsyncPgConnection,
    organiser_id: Uuid,
) -> QueryResult<Vec<ApiToken>> {
    api_tokens::table
        .left_join(events::table)
        .filter(api_tokens::organiser_id.eq(organiser_id))
        .order((api_tokens::created_at, api_tokens::id))
        .select(ApiToken::as_select())
        .load(conn)
        .await
}

/// Revokes a token for good; `None` when there is no such token, else
/// when it was revoked (now, or before).
pub async fn revoke_api_token(
    conn: &mut AsyncPgConnection,
    id: Uuid,
) -> QueryResult<Option<DateTime<Utc>>> {
    let revoked: Option<DateTime<Utc>> = diesel::update(
        api_tokens::table
            .find(id)
            .filter(api_tokens::revoked_at.is_null()),
    )
    .set(api_tokens::revoked_at.eq(Utc::now()))
    .returning(api_tokens::revoked_at.assume_not_null())
    .get_result(conn)
    .await
    .optional()?;
    match revoked {
        Some(at) => Ok(Some(at)),
        None => api_tokens::table
            .find(id)
            .select(api_tokens::revoked_at.assume_not_null())
            .first(conn)
            .await
            .optional(),
    }
}

pub async fn insert_session(
    conn: &mut AsyncPgConnection,
    id_hash: &[u8],
    organiser_id: Uuid,
    csrf_token: &str,
    expires_at: DateTime<Utc>,
) -> QueryResult<()> {
    diesel::insert_into(admin_sessions::table)
        .values((
            admin_sessions::id_hash.eq(id_hash),
            admin_sessions::organiser_id.eq(organiser_id),
            admin_sessions::csrf_token.eq(csrf_token),
            admin_sessions::expires_at.eq(expires_at),
        ))
        .execute(conn)
        .await
        .map(drop)
}

/// The organiser and CSRF token of a live back-office session: one not
/// past its end, and used within `idle`. Using it keeps it alive (the idle
/// time slides; written at most every [`touch_session_every`]).
pub async fn find_by_session(
    conn: &mut AsyncPgConnection,
    id_hash: &[u8],
    idle: chrono::Duration,
) -> QueryResult<Option<(Organiser, String)>> {
    let now = Utc::now();
    let found: Option<(Organiser, String, DateTime<Utc>)> = admin_sessions::table
        .inner_join(organisers::table)
        .filter(admin_sessions::id_hash.eq(id_hash))
        .filter(admin_sessions::expires_at.gt(now))
        .filter(admin_sessions::last_seen_at.gt(now - idle))
        .select((
            Organiser::as_select(),
            admin_sessions::csrf_token,
            admin_sessions::last_seen_at,
        ))
        .first(conn)
        .await
        .optional()?;
    let Some((organiser, csrf_token, last_seen)) = found else {
        return Ok(None);
    };
    let stale = now - touch_session_every(idle);
    if last_seen < stale {
        diesel::update(
            admin_sessions::table
                .find(id_hash)
                .filter(admin_sessions::last_seen_at.lt(stale)),
        )
        .set(admin_sessions::last_seen_at.eq(now))
        .execute(conn)
        .await?;
    }
    Ok(Some((organiser, csrf_token)))
}

pub async fn delete_session(conn: &mut AsyncPgConnection, id_hash: &[u8]) -> QueryResult<()> {
    diesel::delete(admin_sessions::table.find(id_hash))
        .execute(conn)
        .await
        .map(drop)
}

/// Records who did what; written in the transaction of the action itself.
pub async fn audit(
    conn: &mut AsyncPgConnection,
    organiser_id: Option<Uuid>,
    event_id: Option<Uuid>,
    registration_id: Option<Uuid>,
    action: &str,
    detail: serde_json::Value,
) -> QueryResult<()> {
    diesel::insert_into(audit_log::table)
        .values((
            audit_log::organiser_id.eq(organiser_id),
            audit_log::event_id.eq(event_id),
            audit_log::registration_id.eq(registration_id),
            audit_log::action.eq(action),
            audit_log::detail.eq(detail),
        ))
        .execute(conn)
        .await
        .map(drop)
}

/// Gives the account this role on the event, in place of the one it had.
pub async fn grant_role(
    conn: &mut AsyncPgConnection,
    organiser_id: Uuid,
    event_id: Uuid,
    role: EventRole,
) -> QueryResult<()> {
    diesel::insert_into(event_roles::table)
        .values((
            event_roles::event_id.eq(event_id),
            event_roles::organiser_id.eq(organiser_id),
            event_roles::role.eq(role),
        ))
        .on_conflict((event_roles::event_id, event_roles::organiser_id))
        .do_update()
        .set((
            event_roles::role.eq(role),
            event_roles::granted_at.eq(diesel::dsl::now),
        ))
        .execute(conn)
        .await
        .map(drop)
}

/// Takes the account's role on the event away; whether it had one.
pub async fn revoke_role(
    conn: &mut AsyncPgConnection,
    organiser_id: Uuid,
    event_id: Uuid,
) -> QueryResult<bool> {
    diesel::delete(event_roles::table.find((event_id, organiser_id)))
        .execute(conn)
        .await
        .map(|deleted| deleted > 0)
}
