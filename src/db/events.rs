//! Events, their sessions and their country quotas: what organisers set up.

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use super::schema::{country_quotas, events, sessions};

#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = events, check_for_backend(diesel::pg::Pg))]
pub struct Event {
    pub id: Uuid,
    pub slug: String,
    pub reference_prefix: String,
    pub name: String,
    pub names: serde_json::Value,
    pub description: String,
    pub descriptions: serde_json::Value,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub timezone: String,
    pub languages: Vec<String>,
    pub registration_opens_at: DateTime<Utc>,
    pub registration_closes_at: DateTime<Utc>,
    pub capacity: Option<i32>,
    pub taken: i32,
    pub default_country_capacity: Option<i32>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Registrations on the waiting list, kept by a trigger.
    pub waiting: i32,
}

impl Event {
    pub fn is_open_at(&self, now: DateTime<Utc>) -> bool {
        self.registration_opens_at <= now && now < self.registration_closes_at
    }

    /// The event's name in `language`, falling back to the default name.
    pub fn name_in(&self, language: &str) -> &str {
        localised(&self.names, language).unwrap_or(&self.name)
    }

    pub fn description_in(&self, language: &str) -> &str {
        localised(&self.descriptions, language).unwrap_or(&self.description)
    }
}

fn localised<'a>(values: &'a serde_json::Value, language: &str) -> Option<&'a str> {
    values
        .get(language)
        .and_then(serde_json::Value::as_str)
        .filter(|text| !text.is_empty())
}

#[derive(Debug, Insertable)]
#[diesel(table_name = events)]
pub struct NewEvent<'a> {
    pub id: Uuid,
    pub slug: &'a str,
    pub reference_prefix: &'a str,
    pub name: &'a str,
    pub names: serde_json::Value,
    pub description: &'a str,
    pub descriptions: serde_json::Value,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub timezone: &'a str,
    pub languages: Vec<String>,
    pub registration_opens_at: DateTime<Utc>,
    pub registration_closes_at: DateTime<Utc>,
    pub capacity: Option<i32>,
    pub default_country_capacity: Option<i32>,
}

#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = sessions, check_for_backend(diesel::pg::Pg))]
pub struct Session {
    pub id: Uuid,
    pub event_id: Uuid,
    pub code: String,
    pub kind: String,
    pub title: String,
    pub titles: serde_json::Value,
    pub description: String,
    pub descriptions: serde_json::Value,
    pub room: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub capacity: Option<i32>,
    pub taken: i32,
    /// Choices of this session on its waiting list, kept by a trigger.
    pub waiting: i32,
}

impl Session {
    pub fn title_in(&self, language: &str) -> &str {
        localised(&self.titles, language).unwrap_or(&self.title)
    }

    pub fn description_in(&self, language: &str) -> &str {
        localised(&self.descriptions, language).unwrap_or(&self.description)
    }

    pub fn remaining(&self) -> Option<i32> {
        self.capacity.map(|capacity| (capacity - self.taken).max(0))
    }
}

#[derive(Debug, Insertable)]
#[diesel(table_name = sessions)]
pub struct NewSession<'a> {
    pub id: Uuid,
    pub event_id: Uuid,
    pub code: &'a str,
    pub kind: &'a str,
    pub title: &'a str,
    pub titles: serde_json::Value,
    pub description: &'a str,
    pub descriptions: serde_json::Value,
    pub room: &'a str,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub capacity: Option<i32>,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = country_quotas, check_for_backend(diesel::pg::Pg))]
pub struct CountryQuota {
    pub event_id: Uuid,
    pub country_code: String,
    pub capacity: Option<i32>,
    pub taken: i32,
    pub explicit: bool,
    /// Registrations of this country on the waiting list, kept by a trigger.
    pub waiting: i32,
}

impl CountryQuota {
    pub fn remaining(&self) -> Option<i32> {
        self.capacity.map(|capacity| (capacity - self.taken).max(0))
    }
}

pub async fn find_by_slug(conn: &mut AsyncPgConnection, slug: &str) -> QueryResult<Option<Event>> {
    events::table
        .filter(events::slug.eq(slug))
        .select(Event::as_select())
        .first(conn)
        .await
        .optional()
}

/// The event a registration belongs to, for pages that start from the
/// registration.
pub async fn find(conn: &mut AsyncPgConnection, id: Uuid) -> QueryResult<Event> {
    events::table
        .find(id)
        .select(Event::as_select())
        .get_result(conn)
        .await
}

pub async fn insert(conn: &mut AsyncPgConnection, event: &NewEvent<'_>) -> QueryResult<Event> {
    diesel::insert_into(events::table)
        .values(event)
        .returning(Event::as_returning())
        .get_result(conn)
        .await
}

/// Events whose registration window is open now, soonest first.
pub async fn list_open(
    conn: &mut AsyncPgConnection,
    now: DateTime<Utc>,
) -> QueryResult<Vec<Event>> {
    events::table
        .filter(events::registration_opens_at.le(now))
        .filter(events::registration_closes_at.gt(now))
        .order(events::starts_on.asc())
        .select(Event::as_select())
        .load(conn)
        .await
}

pub async fn sessions_of(
    conn: &mut AsyncPgConnection,
    event_id: Uuid,
) -> QueryResult<Vec<Session>> {
    sessions::table
        .filter(sessions::event_id.eq(event_id))
        .order((sessions::starts_at.asc(), sessions::code.asc()))
        .select(Session::as_select())
        .load(conn)
        .await
}

pub async fn insert_session(
    conn: &mut AsyncPgConnection,
    session: &NewSession<'_>,
) -> QueryResult<Session> {
    diesel::insert_into(sessions::table)
        .values(session)
        .returning(Session::as_returning())
        .get_result(conn)
        .await
}

pub async fn country_quotas_of(
    conn: &mut AsyncPgConnection,
    event_id: Uuid,
) -> QueryResult<Vec<CountryQuota>> {
    country_quotas::table
        .filter(country_quotas::event_id.eq(event_id))
        .order(country_quotas::country_code.asc())
        .select(CountryQuota::as_select())
        .load(conn)
        .await
}

/// Sets a country's own quota. Refused by the CHECK constraint when it would
/// fall below the places already taken.
pub async fn set_country_capacity(
    conn: &mut AsyncPgConnection,
    event_id: Uuid,
    country_code: &str,
    capacity: Option<i32>,
) -> QueryResult<CountryQuota> {
    diesel::insert_into(country_quotas::table)
        .values((
            country_quotas::event_id.eq(event_id),
            country_quotas::country_code.eq(country_code),
            country_quotas::capacity.eq(capacity),
            country_quotas::explicit.eq(true),
        ))
        .on_conflict((country_quotas::event_id, country_quotas::country_code))
        .do_update()
        .set((
            country_quotas::capacity.eq(capacity),
            country_quotas::explicit.eq(true),
        ))
        .returning(CountryQuota::as_returning())
        .get_result(conn)
        .await
}
