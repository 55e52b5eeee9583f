//! The email outbox: rows written in the same transaction as the change they
//! announce, sent later by the mail worker.

use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use super::schema::email_outbox;

#[derive(Debug, Insertable)]
#[diesel(table_name = email_outbox)]
pub struct NewEmail<'a> {
    pub id: Uuid,
    pub event_id: Uuid,
    pub registration_id: Option<Uuid>,
    pub kind: &'a str,
    pub recipient: &'a str,
    pub language: &'a str,
}

pub async fn enqueue(conn: &mut AsyncPgConnection, email: &NewEmail<'_>) -> QueryResult<()> {
    diesel::insert_into(email_outbox::table)
        .values(email)
        .execute(conn)
        .await
        .map(drop)
}
