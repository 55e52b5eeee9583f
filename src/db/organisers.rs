//! Organiser accounts, their API tokens and back-office sessions, and the
//! audit log of what they did.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use super::schema::{admin_sessions, api_tokens, audit_log, organisers};

diesel::define_sql_function!(fn lower(text: diesel::sql_types::Text) -> diesel::sql_types::Text);

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

pub async fn insert_api_token(
    conn: &mut AsyncPgConnection,
    organiser_id: Uuid,
    token_hash: &[u8],
    label: &str,
) -> QueryResult<Uuid> {
    diesel::insert_into(api_tokens::table)
        .values((
            api_tokens::id.eq(Uuid::now_v7()),
            api_tokens::organiser_id.eq(organiser_id),
            api_tokens::token_hash.eq(token_hash),
            api_tokens::label.eq(label),
        ))
        .returning(api_tokens::id)
        .get_result(conn)
        .await
}

/// The organiser behind a live (not revoked) API token.
pub async fn find_by_api_token(
    conn: &mut AsyncPgConnection,
    token_hash: &[u8],
) -> QueryResult<Option<Organiser>> {
    api_tokens::table
        .inner_join(organisers::table)
        .filter(api_tokens::token_hash.eq(token_hash))
        .filter(api_tokens::revoked_at.is_null())
        .select(Organiser::as_select())
        .first(conn)
        .await
        .optional()
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

/// The organiser and CSRF token of a live back-office session.
pub async fn find_by_session(
    conn: &mut AsyncPgConnection,
    id_hash: &[u8],
) -> QueryResult<Option<(Organiser, String)>> {
    admin_sessions::table
        .inner_join(organisers::table)
        .filter(admin_sessions::id_hash.eq(id_hash))
        .filter(admin_sessions::expires_at.gt(diesel::dsl::now))
        .select((Organiser::as_select(), admin_sessions::csrf_token))
        .first(conn)
        .await
        .optional()
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
