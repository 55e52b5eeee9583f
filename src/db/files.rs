//! The files delegates sent as answers to file questions, kept as `bytea`
//! beside their registration (deleted with it) and their question.

use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use super::schema::{questions, registration_answers, registration_files, registrations};
use crate::domain::{FileKind, Upload};

#[derive(Debug, Insertable)]
#[diesel(table_name = registration_files)]
pub struct NewFile<'a> {
    pub id: Uuid,
    pub registration_id: Uuid,
    pub question_id: Uuid,
    pub content_type: FileKind,
    pub size: i32,
    pub sha256: Vec<u8>,
    pub bytes: &'a [u8],
}

impl<'a> NewFile<'a> {
    /// The row of `upload`, sent by `registration_id` for `question_id`.
    /// The size fits: uploads are capped far below 2 GiB.
    pub fn of(upload: &'a Upload, registration_id: Uuid, question_id: Uuid) -> NewFile<'a> {
        NewFile {
            id: upload.id,
            registration_id,
            question_id,
            content_type: upload.kind,
            size: i32::try_from(upload.bytes.len()).unwrap_or(i32::MAX),
            sha256: Sha256::digest(&upload.bytes).to_vec(),
            bytes: &upload.bytes,
        }
    }
}

/// A stored file and what a download needs to name it.
#[derive(Debug, Queryable)]
pub struct StoredFile {
    pub id: Uuid,
    pub content_type: FileKind,
    pub bytes: Vec<u8>,
    /// The code of the question it answers.
    pub question: String,
    pub sensitive: bool,
}

pub async fn insert(mut conn: &AsyncPgConnection, files: &[NewFile<'_>]) -> QueryResult<()> {
    if files.is_empty() {
        return Ok(());
    }
    diesel::insert_into(registration_files::table)
        .values(files)
        .execute(&mut conn)
        .await
        .map(drop)
}

/// Which of `wanted` (question id, file id) are files `registration_id`
/// sent for that question: the file ids found.
pub async fn owned(
    conn: &mut AsyncPgConnection,
    registration_id: Uuid,
    wanted: &[(Uuid, Uuid)],
) -> QueryResult<Vec<(Uuid, Uuid)>> {
    if wanted.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<Uuid> = wanted.iter().map(|(_, file)| *file).collect();
    let found: Vec<(Uuid, Uuid)> = registration_files::table
        .filter(registration_files::registration_id.eq(registration_id))
        .filter(registration_files::id.eq_any(ids))
        .select((registration_files::question_id, registration_files::id))
        .load(conn)
        .await?;
    Ok(found
        .into_iter()
        .filter(|pair| wanted.contains(pair))
        .collect())
}

/// Deletes the files `registration_id` sent for `question_id` that no
/// answer names but `keep`: an upload replaces the ones before it that
/// were never used, so a delegate cannot pile files up.
pub async fn delete_unused(
    conn: &mut AsyncPgConnection,
    registration_id: Uuid,
    question_id: Uuid,
    keep: Uuid,
) -> QueryResult<usize> {
    diesel::sql_query(
        "DELETE FROM registration_files f \
          WHERE f.registration_id = $1 AND f.question_id = $2 AND f.id <> $3 \
            AND NOT EXISTS (SELECT 1 FROM registration_answers a \
                             WHERE a.registration_id = f.registration_id \
                               AND a.question_id = f.question_id \
                               AND a.value = to_jsonb(f.id::text))",
    )
    .bind::<diesel::sql_types::Uuid, _>(registration_id)
    .bind::<diesel::sql_types::Uuid, _>(question_id)
    .bind::<diesel::sql_types::Uuid, _>(keep)
    .execute(conn)
    .await
}

/// Deletes the files of `registration_id` that none of its answers names,
/// once its answers have been replaced.
pub async fn delete_unnamed(
    conn: &mut AsyncPgConnection,
    registration_id: Uuid,
) -> QueryResult<usize> {
    diesel::sql_query(
        "DELETE FROM registration_files f \
          WHERE f.registration_id = $1 \
            AND NOT EXISTS (SELECT 1 FROM registration_answers a \
                             WHERE a.registration_id = f.registration_id \
                               AND a.question_id = f.question_id \
                               AND a.value = to_jsonb(f.id::text))",
    )
    .bind::<diesel::sql_types::Uuid, _>(registration_id)
    .execute(conn)
    .await
}

fn stored() -> (
    registration_files::id,
    registration_files::content_type,
    registration_files::bytes,
    questions::code,
    questions::sensitive,
) {
    (
        registration_files::id,
        registration_files::content_type,
        registration_files::bytes,
        questions::code,
        questions::sensitive,
    )
}

/// File `id` of the registration whose private token hashes to `token_hash`.
pub async fn of_token(
    conn: &mut AsyncPgConnection,
    token_hash: &[u8],
    id: Uuid,
) -> QueryResult<Option<StoredFile>> {
    registration_files::table
        .inner_join(registrations::table)
        .inner_join(questions::table)
        .filter(registrations::token_hash.eq(token_hash))
        .filter(registration_files::id.eq(id))
        .select(stored())
        .first(conn)
        .await
        .optional()
}

/// File `id` of a registration to `event_id`.
pub async fn of_event(
    conn: &mut AsyncPgConnection,
    event_id: Uuid,
    id: Uuid,
) -> QueryResult<Option<StoredFile>> {
    registration_files::table
        .inner_join(registrations::table)
        .inner_join(questions::table)
        .filter(registrations::event_id.eq(event_id))
        .filter(registration_files::id.eq(id))
        .select(stored())
        .first(conn)
        .await
        .optional()
}

/// Deletes every file sent to `event_id`, and the answers that named them.
pub async fn delete_of_event(conn: &mut AsyncPgConnection, event_id: Uuid) -> QueryResult<usize> {
    let of_event = registrations::table
        .filter(registrations::event_id.eq(event_id))
        .select(registrations::id);
    let file_questions = questions::table
        .filter(questions::event_id.eq(event_id))
        .filter(questions::kind.eq(crate::domain::QuestionType::File))
        .select(questions::id);
    diesel::delete(
        registration_answers::table
            .filter(registration_answers::question_id.eq_any(file_questions)),
    )
    .execute(conn)
    .await?;
    diesel::delete(
        registration_files::table.filter(registration_files::registration_id.eq_any(of_event)),
    )
    .execute(conn)
    .await
}
