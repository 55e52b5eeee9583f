//! The organisers' questions, their choices and the delegates' answers.
//! A choice's `taken` moves only through the guarded statements here,
//! called by `registration` inside its transactions, after the locks of
//! DESIGN.md's order (choices come last, by id).

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use diesel::sql_types::Uuid as SqlUuid;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use super::schema::{question_choices, questions, registration_answers, registrations};
use super::{insert_rows, lock_by_ids, move_counters};
use crate::domain::{
    Asking, Condition, Limits, QuestionRule, QuestionStage, QuestionType, Quota, Range,
    RegistrationStatus, chosen_codes,
};

#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = questions, check_for_backend(diesel::pg::Pg))]
pub struct Question {
    pub id: Uuid,
    pub event_id: Uuid,
    pub code: String,
    pub kind: QuestionType,
    pub labels: serde_json::Value,
    pub help: serde_json::Value,
    pub required: bool,
    pub position: i32,
    pub sensitive: bool,
    pub stage: QuestionStage,
    pub condition: Option<serde_json::Value>,
    #[diesel(embed)]
    pub limits: LimitColumns,
    /// After this, a delegate's change of the answer is refused.
    pub answers_until: Option<DateTime<Utc>>,
    /// The answers are deleted this many days after the event's end.
    pub purge_after_days: Option<i32>,
    /// The participant categories asked (codes); empty: everyone.
    pub categories: Vec<String>,
}

#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = question_choices, check_for_backend(diesel::pg::Pg))]
pub struct QuestionChoice {
    pub id: Uuid,
    pub question_id: Uuid,
    pub code: String,
    pub labels: serde_json::Value,
    pub position: i32,
    pub capacity: Option<i32>,
    pub taken: i32,
}

impl QuestionChoice {
    pub fn quota(&self) -> Quota {
        Quota {
            capacity: self.capacity,
            taken: self.taken,
        }
    }
}

/// A question with its choices in their order.
#[derive(Debug, Clone)]
pub struct AskedQuestion {
    pub question: Question,
    pub choices: Vec<QuestionChoice>,
}

impl AskedQuestion {
    /// The condition as stored: `{"question": code, "any_of": [words]}`.
    pub fn condition(&self) -> Option<Condition> {
        let stored = self.question.condition.as_ref()?;
        Some(Condition {
            question: stored.get("question")?.as_str()?.to_owned(),
            any_of: stored
                .get("any_of")?
                .as_array()?
                .iter()
                .filter_map(|word| word.as_str().map(str::to_owned))
                .collect(),
        })
    }

    pub fn rule(&self) -> QuestionRule {
        QuestionRule {
            code: self.question.code.clone(),
            kind: self.question.kind,
            required: self.question.required,
            condition: self.condition(),
            limits: self.question.limits.into(),
            choices: self
                .choices
                .iter()
                .map(|choice| choice.code.clone())
                .collect(),
            stage: self.question.stage,
            categories: self.question.categories.clone(),
        }
    }

    /// Whether this question is put to `asking`, its condition aside.
    pub fn asked_of(&self, asking: Asking<'_>) -> bool {
        asking.is_asked(self.question.stage, &self.question.categories)
    }

    /// Whether a delegate may still change their answer at `now`.
    pub fn open_to_delegates(&self, now: DateTime<Utc>) -> bool {
        self.question.answers_until.is_none_or(|until| now < until)
    }

    /// The choices a stored answer to this question holds.
    pub fn chosen(&self, value: &serde_json::Value) -> Vec<&QuestionChoice> {
        if !self.question.kind.has_choices() {
            return Vec::new();
        }
        let codes = chosen_codes(value);
        self.choices
            .iter()
            .filter(|choice| codes.contains(&choice.code.as_str()))
            .collect()
    }
}

/// A question's limits as their four columns keep them.
#[derive(Debug, Clone, Copy, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = questions, treat_none_as_null = true)]
pub struct LimitColumns {
    min_number: Option<i64>,
    max_number: Option<i64>,
    min_date: Option<NaiveDate>,
    max_date: Option<NaiveDate>,
}

impl From<LimitColumns> for Limits {
    fn from(columns: LimitColumns) -> Limits {
        Limits {
            number: Range {
                min: columns.min_number,
                max: columns.max_number,
            },
            date: Range {
                min: columns.min_date,
                max: columns.max_date,
            },
        }
    }
}

impl From<Limits> for LimitColumns {
    fn from(limits: Limits) -> LimitColumns {
        LimitColumns {
            min_number: limits.number.min,
            max_number: limits.number.max,
            min_date: limits.date.min,
            max_date: limits.date.max,
        }
    }
}

#[derive(Debug, Insertable, AsChangeset)]
#[diesel(table_name = questions, treat_none_as_null = true)]
pub struct NewQuestion<'a> {
    pub event_id: Uuid,
    pub code: &'a str,
    pub kind: QuestionType,
    pub labels: &'a serde_json::Value,
    pub help: &'a serde_json::Value,
    pub required: bool,
    pub position: i32,
    pub sensitive: bool,
    pub stage: QuestionStage,
    pub condition: Option<&'a serde_json::Value>,
    #[diesel(embed)]
    pub limits: LimitColumns,
    pub answers_until: Option<DateTime<Utc>>,
    pub purge_after_days: Option<i32>,
    pub categories: &'a [String],
}

impl NewQuestion<'_> {
    /// The question as it reads once stored under `id`.
    pub fn stored_as(&self, id: Uuid) -> Question {
        Question {
            id,
            event_id: self.event_id,
            code: self.code.to_owned(),
            kind: self.kind,
            labels: self.labels.clone(),
            help: self.help.clone(),
            required: self.required,
            position: self.position,
            sensitive: self.sensitive,
            stage: self.stage,
            condition: self.condition.cloned(),
            limits: self.limits,
            answers_until: self.answers_until,
            purge_after_days: self.purge_after_days,
            categories: self.categories.to_vec(),
        }
    }
}

#[derive(Debug, Clone)]
pub struct NewQuestionChoice<'a> {
    pub code: &'a str,
    pub labels: &'a serde_json::Value,
    pub capacity: Option<i32>,
}

/// The questions of an event in their order (position, then code), with
/// their choices; `stage` keeps only those asked then.
pub async fn of_event(
    conn: &mut AsyncPgConnection,
    event_id: Uuid,
    stage: Option<QuestionStage>,
) -> QueryResult<Vec<AskedQuestion>> {
    let mut query = questions::table
        .filter(questions::event_id.eq(event_id))
        .into_boxed();
    if let Some(stage) = stage {
        query = query.filter(questions::stage.eq(stage));
    }
    let found: Vec<Question> = query
        .order((questions::position.asc(), questions::code.asc()))
        .select(Question::as_select())
        .load(conn)
        .await?;
    with_choices(conn, found).await
}

async fn with_choices(
    conn: &mut AsyncPgConnection,
    found: Vec<Question>,
) -> QueryResult<Vec<AskedQuestion>> {
    let ids: Vec<Uuid> = found.iter().map(|question| question.id).collect();
    let mut choices: Vec<QuestionChoice> = question_choices::table
        .filter(question_choices::question_id.eq_any(&ids))
        .order((
            question_choices::position.asc(),
            question_choices::code.asc(),
        ))
        .select(QuestionChoice::as_select())
        .load(conn)
        .await?;
    Ok(found
        .into_iter()
        .map(|question| {
            let (mine, others) = choices
                .drain(..)
                .partition(|choice| choice.question_id == question.id);
            choices = others;
            AskedQuestion {
                question,
                choices: mine,
            }
        })
        .collect())
}

pub async fn find(
    conn: &mut AsyncPgConnection,
    event_id: Uuid,
    code: &str,
) -> QueryResult<Option<AskedQuestion>> {
    let found: Vec<Question> = questions::table
        .filter(questions::event_id.eq(event_id))
        .filter(questions::code.eq(code))
        .select(Question::as_select())
        .load(conn)
        .await?;
    Ok(with_choices(conn, found).await?.pop())
}

pub async fn insert(
    conn: &mut AsyncPgConnection,
    question: &NewQuestion<'_>,
    choices: &[NewQuestionChoice<'_>],
) -> QueryResult<Uuid> {
    let id = Uuid::now_v7();
    diesel::insert_into(questions::table)
        .values((questions::id.eq(id), question))
        .execute(conn)
        .await?;
    upsert_choices(conn, id, choices).await?;
    Ok(id)
}

/// Writes the question's choices as given: new codes are added, known
/// ones get their labels, capacity and order. The caller has refused
/// leaving out a choice that is held and a capacity below `taken`.
async fn upsert_choices(
    conn: &mut AsyncPgConnection,
    question_id: Uuid,
    choices: &[NewQuestionChoice<'_>],
) -> QueryResult<()> {
    for (position, choice) in choices.iter().enumerate() {
        let position = i32::try_from(position).unwrap_or(i32::MAX);
        diesel::insert_into(question_choices::table)
            .values((
                question_choices::id.eq(Uuid::now_v7()),
                question_choices::question_id.eq(question_id),
                question_choices::code.eq(choice.code),
                question_choices::labels.eq(choice.labels),
                question_choices::position.eq(position),
                question_choices::capacity.eq(choice.capacity),
            ))
            .on_conflict((question_choices::question_id, question_choices::code))
            .do_update()
            .set((
                question_choices::labels.eq(choice.labels),
                question_choices::position.eq(position),
                question_choices::capacity.eq(choice.capacity),
            ))
            .execute(conn)
            .await?;
    }
    Ok(())
}

/// Replaces a question's set-up and its choices: choices not in `choices`
/// are removed.
pub async fn update(
    conn: &mut AsyncPgConnection,
    question_id: Uuid,
    question: &NewQuestion<'_>,
    choices: &[NewQuestionChoice<'_>],
) -> QueryResult<()> {
    diesel::update(questions::table.find(question_id))
        .set(question)
        .execute(conn)
        .await?;
    let kept: Vec<&str> = choices.iter().map(|choice| choice.code).collect();
    diesel::delete(
        question_choices::table
            .filter(question_choices::question_id.eq(question_id))
            .filter(question_choices::code.ne_all(&kept)),
    )
    .execute(conn)
    .await?;
    upsert_choices(conn, question_id, choices).await
}

pub async fn delete(conn: &mut AsyncPgConnection, question_id: Uuid) -> QueryResult<()> {
    diesel::delete(questions::table.find(question_id))
        .execute(conn)
        .await
        .map(drop)
}

/// Locks the question's choices, in id order (the global lock order).
pub async fn lock_choices_of(
    conn: &mut AsyncPgConnection,
    question_id: Uuid,
) -> QueryResult<Vec<QuestionChoice>> {
    question_choices::table
        .filter(question_choices::question_id.eq(question_id))
        .order(question_choices::id.asc())
        .for_no_key_update()
        .select(QuestionChoice::as_select())
        .load(conn)
        .await
}

/// A question whose answers are due to be deleted: its event ended more
/// than `purge_after_days` days before `today` (the event's local date
/// taken by the caller's clock), and some answers are left.
#[derive(Debug, Clone, QueryableByName)]
pub struct DueForPurge {
    #[diesel(sql_type = SqlUuid)]
    pub question_id: Uuid,
    #[diesel(sql_type = SqlUuid)]
    pub event_id: Uuid,
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub code: String,
}

/// The questions whose answers are past their keeping at `now`, each
/// event's dates read in its own time zone.
pub async fn due_for_purge(
    conn: &mut AsyncPgConnection,
    now: DateTime<Utc>,
) -> QueryResult<Vec<DueForPurge>> {
    diesel::sql_query(
        "SELECT q.id AS question_id, q.event_id, q.code \
           FROM questions q JOIN events e ON e.id = q.event_id \
          WHERE q.purge_after_days IS NOT NULL \
            AND e.ends_on + q.purge_after_days < ($1 AT TIME ZONE e.timezone)::date \
            AND EXISTS (SELECT 1 FROM registration_answers a WHERE a.question_id = q.id) \
          ORDER BY q.event_id, q.id",
    )
    .bind::<diesel::sql_types::Timestamptz, _>(now)
    .load(conn)
    .await
}

/// Deletes every answer to `question_id` (and the files they name), and
/// sets its choices' counters to the nothing left; the choices must be
/// locked ([`lock_choices_of`]). Gives the number of answers deleted.
pub async fn purge_answers(conn: &mut AsyncPgConnection, question_id: Uuid) -> QueryResult<usize> {
    diesel::delete(
        super::schema::registration_files::table
            .filter(super::schema::registration_files::question_id.eq(question_id)),
    )
    .execute(conn)
    .await?;
    let deleted = diesel::delete(
        registration_answers::table.filter(registration_answers::question_id.eq(question_id)),
    )
    .execute(conn)
    .await?;
    diesel::update(question_choices::table.filter(question_choices::question_id.eq(question_id)))
        .set(question_choices::taken.eq(0))
        .execute(conn)
        .await?;
    Ok(deleted)
}

/// Locks choices by id, in id order.
pub async fn lock_choices(
    mut conn: &AsyncPgConnection,
    ids: &[Uuid],
) -> QueryResult<Vec<QuestionChoice>> {
    lock_by_ids!(&mut conn, question_choices, QuestionChoice, ids)
}

/// Moves choice counters by `(choice id, change)`, each guarded by its
/// capacity; false when a guard refused (the caller rolls back).
pub async fn move_choice_places(
    conn: &AsyncPgConnection,
    changes: &[(Uuid, i32)],
) -> QueryResult<bool> {
    move_counters(
        conn,
        "UPDATE question_choices c SET taken = c.taken + t.count \
         FROM unnest($1::uuid[], $2::int4[]) AS t(id, count) \
         WHERE c.id = t.id AND c.taken + t.count >= 0 \
           AND (c.capacity IS NULL OR t.count <= 0 OR c.taken + t.count <= c.capacity)",
        changes,
    )
    .await
}

/// One answer to store.
#[derive(Debug, Insertable)]
#[diesel(table_name = registration_answers)]
pub struct NewAnswer {
    pub registration_id: Uuid,
    pub question_id: Uuid,
    pub value: serde_json::Value,
}

pub async fn insert_answers(
    mut conn: &AsyncPgConnection,
    answers: &[NewAnswer],
) -> QueryResult<()> {
    insert_rows!(&mut conn, registration_answers::table, answers)
}

/// A registration's answers: (question id, value).
pub async fn answers_of(
    conn: &mut AsyncPgConnection,
    registration_id: Uuid,
) -> QueryResult<Vec<(Uuid, serde_json::Value)>> {
    registration_answers::table
        .filter(registration_answers::registration_id.eq(registration_id))
        .select((
            registration_answers::question_id,
            registration_answers::value,
        ))
        .load(conn)
        .await
}

/// A registration's answers by question code.
pub async fn answers_by_code(
    conn: &mut AsyncPgConnection,
    registration_id: Uuid,
) -> QueryResult<Vec<(String, serde_json::Value)>> {
    registration_answers::table
        .inner_join(questions::table)
        .filter(registration_answers::registration_id.eq(registration_id))
        .order((questions::position.asc(), questions::code.asc()))
        .select((questions::code, registration_answers::value))
        .load(conn)
        .await
}

pub async fn delete_answers_of(
    conn: &mut AsyncPgConnection,
    registration_id: Uuid,
) -> QueryResult<()> {
    diesel::delete(
        registration_answers::table
            .filter(registration_answers::registration_id.eq(registration_id)),
    )
    .execute(conn)
    .await
    .map(drop)
}

/// How many registrations (live or not) answered the question.
pub async fn answer_count(conn: &mut AsyncPgConnection, question_id: Uuid) -> QueryResult<i64> {
    registration_answers::table
        .filter(registration_answers::question_id.eq(question_id))
        .count()
        .get_result(conn)
        .await
}

/// Live registrations that answered the question.
pub async fn live_answer_count(
    conn: &mut AsyncPgConnection,
    question_id: Uuid,
) -> QueryResult<i64> {
    registration_answers::table
        .inner_join(registrations::table)
        .filter(registration_answers::question_id.eq(question_id))
        .filter(registrations::status.ne(RegistrationStatus::Cancelled.as_str()))
        .count()
        .get_result(conn)
        .await
}

/// Live registrations that answered each question of the event, by
/// question id (questions nobody answered left out).
pub async fn live_answer_counts(
    conn: &mut AsyncPgConnection,
    event_id: Uuid,
) -> QueryResult<Vec<(Uuid, i64)>> {
    registration_answers::table
        .inner_join(registrations::table)
        .filter(registrations::event_id.eq(event_id))
        .filter(registrations::status.ne(RegistrationStatus::Cancelled.as_str()))
        .group_by(registration_answers::question_id)
        .select((registration_answers::question_id, diesel::dsl::count_star()))
        .load(conn)
        .await
}

/// How many live registrations of each country hold each choice of the
/// question: (country code, choice code, count), by country then choice.
pub async fn choice_counts_by_country(
    conn: &mut AsyncPgConnection,
    question_id: Uuid,
) -> QueryResult<Vec<(String, String, i64)>> {
    #[derive(QueryableByName)]
    struct Row {
        #[diesel(sql_type = diesel::sql_types::Text)]
        country: String,
        #[diesel(sql_type = diesel::sql_types::Text)]
        choice: String,
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        count: i64,
    }
    let rows: Vec<Row> = diesel::sql_query(
        "SELECT r.country_code::text AS country, c.code AS choice, count(*) AS count \
           FROM question_choices c \
           JOIN registration_answers a ON a.question_id = c.question_id \
                AND (a.value = to_jsonb(c.code) OR a.value @> jsonb_build_array(c.code)) \
           JOIN registrations r ON r.id = a.registration_id AND r.status NOT IN ('cancelled', 'rejected') \
          WHERE c.question_id = $1 \
          GROUP BY r.country_code, c.code, c.position \
          ORDER BY r.country_code, c.position, c.code",
    )
    .bind::<SqlUuid, _>(question_id)
    .load(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| (row.country, row.choice, row.count))
        .collect())
}
