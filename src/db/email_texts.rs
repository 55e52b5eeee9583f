//! Organisers' own wording for an email kind, per event and language.

use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use super::schema::email_texts;
use crate::domain::EmailKind;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = email_texts, check_for_backend(diesel::pg::Pg))]
pub struct EmailText {
    pub event_id: Uuid,
    pub kind: EmailKind,
    pub language: String,
    pub subject: String,
    pub body: String,
}

pub async fn find(
    conn: &mut AsyncPgConnection,
    event_id: Uuid,
    kind: EmailKind,
    language: &str,
) -> QueryResult<Option<EmailText>> {
    email_texts::table
        .find((event_id, kind, language))
        .select(EmailText::as_select())
        .first(conn)
        .await
        .optional()
}

/// Every wording the organisers wrote for an event.
pub async fn of_event(mut conn: &AsyncPgConnection, event_id: Uuid) -> QueryResult<Vec<EmailText>> {
    email_texts::table
        .filter(email_texts::event_id.eq(event_id))
        .select(EmailText::as_select())
        .load(&mut conn)
        .await
}

pub async fn upsert(
    conn: &mut AsyncPgConnection,
    event_id: Uuid,
    kind: EmailKind,
    language: &str,
    subject: &str,
    body: &str,
) -> QueryResult<()> {
    diesel::insert_into(email_texts::table)
        .values((
            email_texts::event_id.eq(event_id),
            email_texts::kind.eq(kind),
            email_texts::language.eq(language),
            email_texts::subject.eq(subject),
            email_texts::body.eq(body),
        ))
        .on_conflict((
            email_texts::event_id,
            email_texts::kind,
            email_texts::language,
        ))
        .do_update()
        .set((email_texts::subject.eq(subject), email_texts::body.eq(body)))
        .execute(conn)
        .await
        .map(drop)
}

pub async fn delete(
    conn: &mut AsyncPgConnection,
    event_id: Uuid,
    kind: EmailKind,
    language: &str,
) -> QueryResult<bool> {
    diesel::delete(email_texts::table.find((event_id, kind, language)))
        .execute(conn)
        .await
        .map(|deleted| deleted == 1)
}
