//! Events, their sessions and their country quotas: what organisers set up
//! and change, and the locks on sessions (in id order, the global lock
//! order). The counters on these rows move only in `registrations`.

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use super::lock_by_ids;
use super::schema::{country_quotas, event_roles, events, registration_sessions, sessions};
use chrono_tz::Tz;

use crate::domain::{EventRole, Language, Quota, SessionKind, Verification};

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
    #[diesel(embed)]
    pub verifying: Verifying,
    #[diesel(embed)]
    pub approving: Approving,
}

/// How the event decides on registrations that need approval: whether a
/// pending one holds the places it was given on arrival, and the reasons
/// organisers add to the built-in ones for saying no.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = events, check_for_backend(diesel::pg::Pg))]
pub struct Approving {
    pub pending_holds_place: bool,
    /// `[{"code": "late", "texts": {"fr": "…"}}, …]`
    pub rejection_reasons: serde_json::Value,
}

impl Default for Approving {
    fn default() -> Approving {
        Approving {
            pending_holds_place: true,
            rejection_reasons: serde_json::json!([]),
        }
    }
}

/// Whether a place must be kept by confirming one's email address, and for
/// how long it is held meanwhile.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = events, check_for_backend(diesel::pg::Pg))]
pub struct Verifying {
    pub verification: Verification,
    pub verification_hours: i32,
}

impl Default for Verifying {
    fn default() -> Verifying {
        Verifying {
            verification: Verification::None,
            verification_hours: 24,
        }
    }
}

impl Verifying {
    /// Whether the event holds places until their addresses are confirmed.
    pub fn is_on(&self) -> bool {
        match self.verification {
            Verification::None => false,
            Verification::Email => true,
        }
    }

    /// Until when a place given `now` is held unverified; `None` when the
    /// event confirms places at once.
    pub fn hold_until(&self, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        match self.verification {
            Verification::None => None,
            Verification::Email => {
                Some(now + chrono::Duration::hours(self.verification_hours.into()))
            }
        }
    }
}

impl Event {
    /// The places of the whole meeting.
    pub fn quota(&self) -> Quota {
        Quota {
            capacity: self.capacity,
            taken: self.taken,
        }
    }

    /// The zone every time of the event is shown in. Organisers choose it
    /// from the IANA list; UTC is only a fallback for a row written by
    /// hand, and every time shown names its zone.
    pub fn time_zone(&self) -> Tz {
        self.timezone.parse().unwrap_or(chrono_tz::UTC)
    }

    /// The language the event is described in first: its texts fall back
    /// to it, and its exports are written in it.
    pub fn first_language(&self) -> Language {
        // Spelled out: the Diesel prelude brings a `first` of its own.
        <[String]>::first(&self.languages)
            .and_then(|code| Language::parse(code).ok())
            .unwrap_or(Language::En)
    }

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
    #[diesel(embed)]
    pub verifying: Verifying,
    #[diesel(embed)]
    pub approving: Approving,
}

#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = sessions, check_for_backend(diesel::pg::Pg))]
pub struct Session {
    pub id: Uuid,
    pub event_id: Uuid,
    pub code: String,
    pub kind: SessionKind,
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

    /// The seats of the session's room.
    pub fn quota(&self) -> Quota {
        Quota {
            capacity: self.capacity,
            taken: self.taken,
        }
    }
}

#[derive(Debug, Insertable)]
#[diesel(table_name = sessions)]
pub struct NewSession<'a> {
    pub id: Uuid,
    pub event_id: Uuid,
    pub code: &'a str,
    pub kind: SessionKind,
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
    /// The places of the country's delegation.
    pub fn quota(&self) -> Quota {
        Quota {
            capacity: self.capacity,
            taken: self.taken,
        }
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

/// The event of this slug and the role the account holds on it, in one
/// statement: what every organiser request of one event starts with.
pub async fn find_by_slug_for(
    conn: &mut AsyncPgConnection,
    slug: &str,
    organiser_id: Uuid,
) -> QueryResult<Option<(Event, Option<EventRole>)>> {
    events::table
        .left_join(
            event_roles::table.on(event_roles::event_id
                .eq(events::id)
                .and(event_roles::organiser_id.eq(organiser_id))),
        )
        .filter(events::slug.eq(slug))
        .select((Event::as_select(), event_roles::role.nullable()))
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

/// Locks sessions in id order (the global lock order).
pub async fn lock_sessions(
    mut conn: &AsyncPgConnection,
    ids: &[Uuid],
) -> QueryResult<Vec<Session>> {
    lock_by_ids!(&mut conn, sessions, Session, ids)
}

pub async fn sessions_by_code(
    conn: &mut AsyncPgConnection,
    event_id: Uuid,
    codes: &[&str],
) -> QueryResult<Vec<Session>> {
    sessions::table
        .filter(sessions::event_id.eq(event_id))
        .filter(sessions::code.eq_any(codes))
        .select(Session::as_select())
        .load(conn)
        .await
}

/// Writes what an organiser may change of an event; its id, slug and
/// reference prefix stay (links and references already carry them).
pub async fn update_event(
    conn: &mut AsyncPgConnection,
    event_id: Uuid,
    changes: &NewEvent<'_>,
) -> QueryResult<Event> {
    diesel::update(events::table.find(event_id))
        .set((
            events::name.eq(changes.name),
            events::names.eq(&changes.names),
            events::description.eq(changes.description),
            events::descriptions.eq(&changes.descriptions),
            events::starts_on.eq(changes.starts_on),
            events::ends_on.eq(changes.ends_on),
            events::timezone.eq(changes.timezone),
            events::languages.eq(&changes.languages),
            events::registration_opens_at.eq(changes.registration_opens_at),
            events::registration_closes_at.eq(changes.registration_closes_at),
            events::capacity.eq(changes.capacity),
            events::default_country_capacity.eq(changes.default_country_capacity),
            events::updated_at.eq(diesel::dsl::now),
            &changes.verifying,
            &changes.approving,
        ))
        .returning(Event::as_returning())
        .get_result(conn)
        .await
}

/// The most places any country without a quota of its own has taken.
pub async fn most_taken_on_default_quota(
    conn: &mut AsyncPgConnection,
    event_id: Uuid,
) -> QueryResult<Option<i32>> {
    country_quotas::table
        .filter(country_quotas::event_id.eq(event_id))
        .filter(country_quotas::explicit.eq(false))
        .select(diesel::dsl::max(country_quotas::taken))
        .get_result(conn)
        .await
}

/// Gives the event's default quota to every country without one of its own.
pub async fn apply_default_country_capacity(
    conn: &mut AsyncPgConnection,
    event_id: Uuid,
    capacity: Option<i32>,
) -> QueryResult<()> {
    diesel::update(country_quotas::table)
        .filter(country_quotas::event_id.eq(event_id))
        .filter(country_quotas::explicit.eq(false))
        .set(country_quotas::capacity.eq(capacity))
        .execute(conn)
        .await
        .map(drop)
}

/// Writes what an organiser may change of a session; its code stays
/// (delegates' emails and choices name it).
pub async fn update_session(
    conn: &mut AsyncPgConnection,
    session_id: Uuid,
    changes: &NewSession<'_>,
) -> QueryResult<()> {
    diesel::update(sessions::table.find(session_id))
        .set((
            sessions::kind.eq(changes.kind),
            sessions::title.eq(changes.title),
            sessions::titles.eq(&changes.titles),
            sessions::description.eq(changes.description),
            sessions::descriptions.eq(&changes.descriptions),
            sessions::room.eq(changes.room),
            sessions::starts_at.eq(changes.starts_at),
            sessions::ends_at.eq(changes.ends_at),
            sessions::capacity.eq(changes.capacity),
        ))
        .execute(conn)
        .await
        .map(drop)
}

/// How many delegates chose a session, seated or waiting.
pub async fn choices_of_session(
    conn: &mut AsyncPgConnection,
    session_id: Uuid,
) -> QueryResult<i64> {
    registration_sessions::table
        .filter(registration_sessions::session_id.eq(session_id))
        .count()
        .get_result(conn)
        .await
}

pub async fn delete_session(conn: &mut AsyncPgConnection, session_id: Uuid) -> QueryResult<()> {
    diesel::delete(sessions::table.find(session_id))
        .execute(conn)
        .await
        .map(drop)
}
