//! An event's participant categories. A category's `taken` moves only
//! through [`move_category_places`], called by `registration` inside its
//! transactions after the event lock (DESIGN.md's order: event, category,
//! country, …); `waiting` is kept by the database's trigger.

use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use super::schema::{categories, registrations};
use super::{lock_by_ids, move_counters};
use crate::domain::{CategoryQuota, Quota};

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Identifiable)]
#[diesel(table_name = categories, check_for_backend(diesel::pg::Pg))]
pub struct Category {
    pub id: Uuid,
    pub event_id: Uuid,
    pub code: String,
    /// The name per language code.
    pub names: serde_json::Value,
    pub counts_in_quotas: bool,
    pub capacity: Option<i32>,
    pub taken: i32,
    pub waiting: i32,
    pub public: bool,
    pub position: i32,
    /// Its registrations wait for an organiser's decision.
    pub needs_approval: bool,
}

impl Category {
    /// The category's name in `language`, else in the first language it
    /// has one in, else its code.
    pub fn name_in(&self, language: &str) -> &str {
        let names = self.names.as_object();
        names
            .and_then(|names| names.get(language))
            .or_else(|| names.and_then(|names| names.values().next()))
            .and_then(serde_json::Value::as_str)
            .unwrap_or(&self.code)
    }

    pub fn quota(&self) -> CategoryQuota {
        CategoryQuota {
            places: Quota {
                capacity: self.capacity,
                taken: self.taken,
            },
            counts_in_quotas: self.counts_in_quotas,
        }
    }
}

/// The category a delegate who chooses none registers in: the event's
/// first that delegates may choose (`categories` in the event's order).
pub fn first_public(categories: &[Category]) -> Option<&Category> {
    categories.iter().find(|category| category.public)
}

/// The code of the category `category_id` among `categories`.
pub fn code_of(categories: &[Category], category_id: Option<Uuid>) -> Option<&str> {
    let id = category_id?;
    categories
        .iter()
        .find(|category| category.id == id)
        .map(|category| category.code.as_str())
}

/// A category's set-up as an organiser writes it.
#[derive(Debug, Clone, AsChangeset, Insertable)]
#[diesel(table_name = categories, treat_none_as_null = true)]
pub struct CategoryChanges {
    pub names: serde_json::Value,
    pub counts_in_quotas: bool,
    pub capacity: Option<i32>,
    pub public: bool,
    pub position: i32,
    pub needs_approval: bool,
}

/// The event's categories in their order (position, then code).
pub async fn of_event(conn: &mut AsyncPgConnection, event_id: Uuid) -> QueryResult<Vec<Category>> {
    categories::table
        .filter(categories::event_id.eq(event_id))
        .order((categories::position.asc(), categories::code.asc()))
        .select(Category::as_select())
        .load(conn)
        .await
}

/// Whether the event has participant categories.
pub async fn any(conn: &mut AsyncPgConnection, event_id: Uuid) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        categories::table.filter(categories::event_id.eq(event_id)),
    ))
    .get_result(conn)
    .await
}

pub async fn find(
    conn: &mut AsyncPgConnection,
    event_id: Uuid,
    code: &str,
) -> QueryResult<Option<Category>> {
    categories::table
        .filter(categories::event_id.eq(event_id))
        .filter(categories::code.eq(code))
        .select(Category::as_select())
        .first(conn)
        .await
        .optional()
}

pub async fn find_by_id(conn: &mut AsyncPgConnection, id: Uuid) -> QueryResult<Category> {
    categories::table
        .find(id)
        .select(Category::as_select())
        .get_result(conn)
        .await
}

/// The category by id, locked; the caller holds the event lock.
pub async fn lock(conn: &mut AsyncPgConnection, id: Uuid) -> QueryResult<Category> {
    categories::table
        .find(id)
        .for_no_key_update()
        .select(Category::as_select())
        .get_result(conn)
        .await
}

/// Locks categories by id, in id order.
pub async fn lock_many(mut conn: &AsyncPgConnection, ids: &[Uuid]) -> QueryResult<Vec<Category>> {
    lock_by_ids!(&mut conn, categories, Category, ids)
}

pub async fn insert(
    conn: &mut AsyncPgConnection,
    event_id: Uuid,
    code: &str,
    setup: &CategoryChanges,
) -> QueryResult<Category> {
    diesel::insert_into(categories::table)
        .values((
            categories::id.eq(Uuid::now_v7()),
            categories::event_id.eq(event_id),
            categories::code.eq(code),
            setup,
        ))
        .returning(Category::as_returning())
        .get_result(conn)
        .await
}

pub async fn update(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    setup: &CategoryChanges,
) -> QueryResult<Category> {
    diesel::update(categories::table.find(id))
        .set(setup)
        .returning(Category::as_returning())
        .get_result(conn)
        .await
}

pub async fn delete(conn: &mut AsyncPgConnection, id: Uuid) -> QueryResult<()> {
    diesel::delete(categories::table.find(id))
        .execute(conn)
        .await
        .map(drop)
}

/// Whether any registration, live or cancelled, belongs to the category:
/// then whether it counts in the quotas is settled, and it stays.
pub async fn is_used(conn: &mut AsyncPgConnection, id: Uuid) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        registrations::table.filter(registrations::category_id.eq(id)),
    ))
    .get_result(conn)
    .await
}

/// The code of a question of the event asked only of some categories,
/// `code` among them (the first by position), if any.
pub async fn asked_by(
    conn: &mut AsyncPgConnection,
    event_id: Uuid,
    code: &str,
) -> QueryResult<Option<String>> {
    use super::schema::questions;
    use diesel::PgArrayExpressionMethods;
    questions::table
        .filter(questions::event_id.eq(event_id))
        .filter(questions::categories.contains(vec![code.to_owned()]))
        .order(questions::position.asc())
        .select(questions::code)
        .first(conn)
        .await
        .optional()
}

/// Whether a category of the event that does not count in its quotas has
/// a place free: then a full event may still promote into it.
pub async fn has_room_outside_quotas(
    conn: &mut AsyncPgConnection,
    event_id: Uuid,
) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        categories::table
            .filter(categories::event_id.eq(event_id))
            .filter(categories::counts_in_quotas.eq(false))
            .filter(categories::waiting.gt(0))
            .filter(
                categories::capacity
                    .is_null()
                    .or(categories::taken.nullable().lt(categories::capacity)),
            ),
    ))
    .get_result(conn)
    .await
}

/// Moves category counters by `(category id, change)`, each guarded by its
/// capacity; false when a guard refused (the caller rolls back).
pub async fn move_category_places(
    conn: &AsyncPgConnection,
    changes: &[(Uuid, i32)],
) -> QueryResult<bool> {
    move_counters(
        conn,
        "UPDATE categories c SET taken = c.taken + t.count \
         FROM unnest($1::uuid[], $2::int4[]) AS t(id, count) \
         WHERE c.id = t.id AND c.taken + t.count >= 0 \
           AND (c.capacity IS NULL OR t.count <= 0 OR c.taken + t.count <= c.capacity)",
        changes,
    )
    .await
}
