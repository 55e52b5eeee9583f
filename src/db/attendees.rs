//! Attendee lists: registrations with their sessions and waiting-list
//! places, filtered, searched and ordered as organisers ask, for the back
//! office, the API and the exports. One query; the export streams it row by
//! row.
//!
//! Every order ends with `queue_seq` and has an index of its own, so a page
//! is found in that index: after (or before) a keyset cursor at the cost of
//! the first page, or after an offset at the cost of skipping index entries
//! only — the page's rows and their sessions are read once it is known.
//!
//! A search ranks its matches in three groups (see [`Attendee::rank`]). A
//! page from a cursor, or the first one, reads the groups one after the
//! other, each in the order's index, and stops when the page is full: a
//! search that matches 15,000 registrations reads a page's worth of them,
//! not all of them to rank.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use diesel::QueryableByName;
use diesel::pg::Pg;
use diesel::query_builder::BoxedSqlQuery;
use diesel::sql_types::{BigInt, Integer, Jsonb, Nullable, Text, Timestamptz, Uuid as SqlUuid};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use futures_util::Stream;
use uuid::Uuid;

use crate::domain::RegistrationStatus;

#[derive(Debug, Clone, Default)]
pub struct AttendeeFilter {
    pub status: Option<RegistrationStatus>,
    pub country: Option<String>,
    pub session_id: Option<Uuid>,
    /// Part of a name, email, reference or organisation, compared without
    /// case or accents.
    pub search: Option<String>,
    /// Answers every listed registration gave (all of them).
    pub answers: Vec<AnswerFilter>,
}

/// One answer a registration must have given: its stored answer to the
/// question contains `value` (the choice of a single choice, one of the
/// choices of a multiple choice as a one-element array, a yes/no boolean).
#[derive(Debug, Clone, PartialEq)]
pub struct AnswerFilter {
    pub question_id: Uuid,
    pub value: serde_json::Value,
}

impl AttendeeFilter {
    /// The answers as the filter's `$6` reads them, `NULL` without any.
    fn answers_bind(&self) -> Option<serde_json::Value> {
        (!self.answers.is_empty()).then(|| {
            self.answers
                .iter()
                .map(|answer| serde_json::json!({"q": answer.question_id, "v": answer.value}))
                .collect()
        })
    }
}

#[derive(Debug, Clone, QueryableByName)]
pub struct Attendee {
    #[diesel(sql_type = SqlUuid)]
    pub id: Uuid,
    #[diesel(sql_type = Text)]
    pub reference: String,
    #[diesel(sql_type = Text)]
    pub status: RegistrationStatus,
    #[diesel(sql_type = Nullable<BigInt>)]
    pub waitlist_position: Option<i64>,
    #[diesel(sql_type = Text)]
    pub given_name: String,
    #[diesel(sql_type = Text)]
    pub family_name: String,
    #[diesel(sql_type = Text)]
    pub email: String,
    #[diesel(sql_type = Text)]
    pub country_code: String,
    #[diesel(sql_type = Text)]
    pub organisation: String,
    #[diesel(sql_type = Text)]
    pub language: String,
    /// "A3, P1 (waiting)" — codes by start time; waiting choices marked.
    #[diesel(sql_type = Text)]
    pub sessions: String,
    /// Answers by question code (`{}` without any).
    #[diesel(sql_type = diesel::sql_types::Jsonb)]
    pub answers: serde_json::Value,
    #[diesel(sql_type = Timestamptz)]
    pub registered_at: DateTime<Utc>,
    /// The place in the queue of registrations (every order's tie-breaker).
    #[diesel(sql_type = BigInt)]
    pub queue_seq: i64,
    /// How well it matches a search: 0 for the exact reference or email, 1
    /// for a name that starts with it, 2 for the rest (0 without a search).
    #[diesel(sql_type = Integer)]
    pub rank: i32,
    /// The participant category's code, in an event that has them.
    #[diesel(sql_type = Nullable<Text>)]
    pub category: Option<String>,
}

/// The orders organisers may list attendees in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Order {
    /// The order of registration (the default).
    #[default]
    Registered,
    RegisteredDescending,
    Name,
    NameDescending,
    Country,
    Status,
}

/// A column an order sorts by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Key {
    FamilyName,
    GivenName,
    Country,
    Status,
    QueueSeq,
}

impl Key {
    fn column(self) -> &'static str {
        match self {
            Key::FamilyName => "r.family_name",
            Key::GivenName => "r.given_name",
            Key::Country => "r.country_code",
            Key::Status => "r.status",
            Key::QueueSeq => "r.queue_seq",
        }
    }

    /// This key's value in a row, as a cursor keeps it.
    fn value_of(self, attendee: &Attendee) -> KeyValue {
        match self {
            Key::FamilyName => KeyValue::Text(attendee.family_name.clone()),
            Key::GivenName => KeyValue::Text(attendee.given_name.clone()),
            Key::Country => KeyValue::Text(attendee.country_code.clone()),
            Key::Status => KeyValue::Text(attendee.status.as_str().to_owned()),
            Key::QueueSeq => KeyValue::Number(attendee.queue_seq),
        }
    }
}

impl Order {
    pub const ALL: [Order; 6] = [
        Order::Registered,
        Order::RegisteredDescending,
        Order::Name,
        Order::NameDescending,
        Order::Country,
        Order::Status,
    ];

    /// The `sort` parameter's value for this order.
    pub fn as_str(self) -> &'static str {
        match self {
            Order::Registered => "",
            Order::RegisteredDescending => "-registered",
            Order::Name => "name",
            Order::NameDescending => "-name",
            Order::Country => "country",
            Order::Status => "status",
        }
    }

    /// Any value of the `sort` parameter: an unknown one is the default.
    pub fn parse(sort: Option<&str>) -> Order {
        let sort = sort.unwrap_or_default();
        Order::ALL
            .into_iter()
            .find(|order| order.as_str() == sort)
            .unwrap_or_default()
    }

    fn keys(self) -> &'static [Key] {
        match self {
            Order::Registered | Order::RegisteredDescending => &[Key::QueueSeq],
            Order::Name | Order::NameDescending => {
                &[Key::FamilyName, Key::GivenName, Key::QueueSeq]
            }
            Order::Country => &[Key::Country, Key::QueueSeq],
            Order::Status => &[Key::Status, Key::QueueSeq],
        }
    }

    /// A descending order is the exact reverse of its ascending one (ties
    /// included), so one index read backwards serves it.
    fn descending(self) -> bool {
        match self {
            Order::RegisteredDescending | Order::NameDescending => true,
            Order::Registered | Order::Name | Order::Country | Order::Status => false,
        }
    }

    /// The ORDER BY list, after the search rank (`rank`, the name it has
    /// where this is used).
    fn clause(self, rank: &str) -> String {
        let direction = if self.descending() { " DESC" } else { "" };
        let keys: Vec<String> = self
            .keys()
            .iter()
            .map(|key| format!("{}{direction}", key.column()))
            .collect();
        format!("{rank}, {}", keys.join(", "))
    }
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(untagged)]
enum KeyValue {
    Number(i64),
    Text(String),
}

/// Where a page starts: after so many rows, or just after or just before
/// the row a cursor names (keyset pagination: the "next" and "previous"
/// pages).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Start {
    Offset(i64),
    After(Cursor),
    Before(Cursor),
}

/// The position of one row in one event's list in one order; opaque to
/// clients (`next` in answers, `after` in requests).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Cursor {
    #[serde(rename = "e")]
    event_id: Uuid,
    #[serde(rename = "o")]
    order: String,
    /// The row's search rank; `None` for a list without a search.
    #[serde(rename = "r")]
    rank: Option<i32>,
    /// The row's values of the order's keys.
    #[serde(rename = "k")]
    keys: Vec<KeyValue>,
}

/// Why a cursor cannot be used for the list asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum CursorError {
    #[error("is not a cursor this server gave")]
    Malformed,
    #[error("belongs to another event's list")]
    OtherEvent,
    #[error("belongs to the list in another order")]
    OtherOrder,
    #[error("belongs to a list with a search, or without one, unlike this one")]
    OtherSearch,
}

impl Cursor {
    /// The cursor at `attendee` in the list of `event_id` in `order`: the
    /// page after it starts with the row that follows, the page before it
    /// ends with the row that precedes.
    pub fn after(event_id: Uuid, order: Order, searching: bool, attendee: &Attendee) -> Cursor {
        Cursor {
            event_id,
            order: order.as_str().to_owned(),
            rank: searching.then_some(attendee.rank),
            keys: order
                .keys()
                .iter()
                .map(|key| key.value_of(attendee))
                .collect(),
        }
    }

    pub fn encode(&self) -> String {
        // A cursor's fields are plain values: serialising cannot fail.
        let json = serde_json::to_vec(self).unwrap_or_default();
        URL_SAFE_NO_PAD.encode(json)
    }

    /// Reads a cursor and checks that it belongs to this list: the same
    /// event, the same order and a search or none as this one.
    pub fn decode(
        text: &str,
        event_id: Uuid,
        order: Order,
        searching: bool,
    ) -> Result<Cursor, CursorError> {
        let bytes = URL_SAFE_NO_PAD
            .decode(text.trim())
            .map_err(|_| CursorError::Malformed)?;
        let cursor: Cursor = serde_json::from_slice(&bytes).map_err(|_| CursorError::Malformed)?;
        let shapes_match = cursor.keys.len() == Order::parse(Some(&cursor.order)).keys().len()
            && Order::parse(Some(&cursor.order))
                .keys()
                .iter()
                .zip(&cursor.keys)
                .all(|(key, value)| {
                    matches!(
                        (key, value),
                        (Key::QueueSeq, KeyValue::Number(_))
                            | (
                                Key::FamilyName | Key::GivenName | Key::Country | Key::Status,
                                KeyValue::Text(_)
                            )
                    )
                });
        if !shapes_match || Order::parse(Some(&cursor.order)).as_str() != cursor.order {
            return Err(CursorError::Malformed);
        }
        if cursor.event_id != event_id {
            return Err(CursorError::OtherEvent);
        }
        if cursor.order != order.as_str() {
            return Err(CursorError::OtherOrder);
        }
        if cursor.rank.is_some() != searching {
            return Err(CursorError::OtherSearch);
        }
        Ok(cursor)
    }
}

/// Waiting-list places come from window functions over the event's waiting
/// registrations, so a whole list costs one pass, not one count per row.
const WAITING: &str = "
waiting AS (
    SELECT id,
           row_number() OVER (ORDER BY queue_seq) AS event_rank,
           row_number() OVER (PARTITION BY country_code ORDER BY queue_seq) AS country_rank,
           row_number() OVER (PARTITION BY category_id ORDER BY queue_seq) AS category_rank
      FROM registrations
     WHERE event_id = $1 AND status = 'waitlisted'
)";

/// An attendee's columns from `r` (the registration) and its quota `q`,
/// its waiting-list place given by `position` (one of the two below), then
/// the joins they need after `FROM` and what the rows are read from.
fn columns(position: &str) -> String {
    format!(
        "
SELECT r.id, r.reference, r.status,
       CASE WHEN r.status <> 'waitlisted' THEN NULL {position} END AS waitlist_position,
       r.given_name, r.family_name, r.email, r.country_code::text AS country_code,
       r.organisation, r.language,
       coalesce((SELECT string_agg(s.code || CASE WHEN c.status = 'waitlisted' THEN ' (waiting)' ELSE '' END,
                                   ', ' ORDER BY s.starts_at, s.code)
                   FROM registration_sessions c JOIN sessions s ON s.id = c.session_id
                  WHERE c.registration_id = r.id), '') AS sessions,
       coalesce((SELECT jsonb_object_agg(qq.code, a.value)
                   FROM registration_answers a JOIN questions qq ON qq.id = a.question_id
                  WHERE a.registration_id = r.id), '{{}}'::jsonb) AS answers,
       r.created_at AS registered_at, r.queue_seq, k.code AS category"
    )
}

/// A waiting place from the window over every waiting registration
/// ([`WAITING`]): the export's way, which lists them all.
const POSITION_FROM_WINDOW: &str = "
            WHEN k.id IS NOT NULL AND (NOT k.counts_in_quotas
                                       OR (k.capacity IS NOT NULL AND k.taken >= k.capacity))
                 THEN w.category_rank
            WHEN q.capacity IS NOT NULL AND q.taken >= q.capacity THEN w.country_rank
            ELSE w.event_rank";

/// A waiting place counted for this row alone, in the partial indexes of
/// the waiting lists (`registrations_waiting_country_idx`,
/// `registrations_waiting_idx`): a page shows at most a few hundred waiting
/// rows, so this costs far less than ranking the whole waiting list, and
/// nothing when the page has none.
const POSITION_COUNTED: &str = "
            WHEN k.id IS NOT NULL AND (NOT k.counts_in_quotas
                                       OR (k.capacity IS NOT NULL AND k.taken >= k.capacity)) THEN
                 (SELECT count(*) FROM registrations w
                   WHERE w.category_id = r.category_id
                     AND w.status = 'waitlisted' AND w.queue_seq <= r.queue_seq)
            WHEN q.capacity IS NOT NULL AND q.taken >= q.capacity THEN
                 (SELECT count(*) FROM registrations w
                   WHERE w.event_id = r.event_id AND w.country_code = r.country_code
                     AND w.status = 'waitlisted' AND w.queue_seq <= r.queue_seq)
            ELSE (SELECT count(*) FROM registrations w
                   WHERE w.event_id = r.event_id
                     AND w.status = 'waitlisted' AND w.queue_seq <= r.queue_seq)";
const QUOTA: &str = "
  JOIN country_quotas q ON q.event_id = r.event_id AND q.country_code = r.country_code
  LEFT JOIN categories k ON k.id = r.category_id";

/// The organiser's filter, binds $1 to $6 (see `query`); shared by the
/// list, its count and the export. `$5` is the search with LIKE's
/// wildcards escaped; `search_text` holds the folded texts it looks in
/// (`rencontre_fold`, kept by the database) under a trigram index. `$6`
/// lists the answers asked for ([`AttendeeFilter::answers_bind`]), each
/// looked up by the answers' primary key.
const FILTER: &str = "
 WHERE r.event_id = $1
   AND ($2::text IS NULL OR r.status = $2)
   AND ($3::text IS NULL OR r.country_code = $3)
   AND ($4::uuid IS NULL OR EXISTS (SELECT 1 FROM registration_sessions c
                                     WHERE c.registration_id = r.id AND c.session_id = $4))
   AND ($5::text IS NULL OR r.search_text LIKE '%' || rencontre_fold($5) || '%')
   AND ($6::jsonb IS NULL OR NOT EXISTS (
         SELECT 1 FROM jsonb_array_elements($6) wanted
          WHERE NOT EXISTS (SELECT 1 FROM registration_answers a
                             WHERE a.registration_id = r.id
                               AND a.question_id = (wanted->>'q')::uuid
                               AND a.value @> (wanted->'v'))))";

/// A search's rank of `r` (see [`Attendee::rank`]); `$5` as in [`FILTER`],
/// `$7` the search as typed. A name "starts with" the search when one of
/// its words does (`da Silva` for `silva`); `search_name` is the folded
/// name the database keeps.
const RANK: &str = "CASE WHEN {EXACT} THEN 0 WHEN {NAME_PREFIX} THEN 1 ELSE 2 END";
/// The exact reference or live email, as their unique indexes find them
/// (references are written in capitals), so that the first rank costs two
/// index probes whatever the search matches.
const EXACT: &str = "(r.reference = upper(rencontre_fold($7))
                      OR (lower(r.email) = rencontre_fold($7) AND r.status <> 'cancelled'))";
const NAME_PREFIX: &str = "(r.search_name LIKE rencontre_fold($5) || '%'
                           OR r.search_name LIKE '% ' || rencontre_fold($5) || '%')";

fn rank_expression() -> String {
    RANK.replace("{EXACT}", EXACT)
        .replace("{NAME_PREFIX}", NAME_PREFIX)
}

/// The rows of one rank of a search, as a condition on `r`.
fn rank_condition(rank: i32) -> String {
    match rank {
        0 => EXACT.to_owned(),
        1 => format!("NOT {EXACT} AND {NAME_PREFIX}"),
        _ => format!("NOT {EXACT} AND NOT {NAME_PREFIX}"),
    }
}

const COUNT: &str = "SELECT count(*) AS total FROM registrations r";
const BOUNDED_COUNT: &str = "SELECT count(*) AS total FROM (SELECT 1 FROM registrations r";

/// `head` (the SELECT), the filter with its binds, then `tail`.
fn query(
    head: &str,
    event_id: Uuid,
    filter: &AttendeeFilter,
    tail: &str,
) -> BoxedSqlQuery<'static, Pg, diesel::query_builder::SqlQuery> {
    diesel::sql_query(format!("{head}{FILTER} {tail}"))
        .into_boxed()
        .bind::<SqlUuid, _>(event_id)
        .bind::<Nullable<Text>, _>(filter.status)
        .bind::<Nullable<Text>, _>(filter.country.clone())
        .bind::<Nullable<SqlUuid>, _>(filter.session_id)
        .bind::<Nullable<Text>, _>(filter.search.as_deref().map(escape_like))
        .bind::<Nullable<Jsonb>, _>(filter.answers_bind())
}

fn escape_like(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

/// Which way a keyset page reads from its cursor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Direction {
    /// The rows after the cursor, in the list's order.
    Forward,
    /// The rows before it, nearest first (the list's order reversed).
    Backward,
}

impl Direction {
    /// Whether rows are read in descending key order.
    fn descending(self, order: Order) -> bool {
        order.descending() != (self == Direction::Backward)
    }

    /// The ORDER BY list of the order's keys, read this way.
    fn keys(self, order: Order) -> String {
        let direction = if self.descending(order) { " DESC" } else { "" };
        let keys: Vec<String> = order
            .keys()
            .iter()
            .map(|key| format!("{}{direction}", key.column()))
            .collect();
        keys.join(", ")
    }
}

/// The condition "beyond the cursor's keys, this way" on `r`, its
/// placeholders numbered from `next`; returns it with the binds it needs,
/// in order. A row comparison, which the order's index reads as a range.
fn beyond(
    order: Order,
    direction: Direction,
    cursor: &Cursor,
    next: usize,
) -> (String, Vec<KeyValue>) {
    let comparison = if direction.descending(order) {
        "<"
    } else {
        ">"
    };
    let keys = order.keys();
    let mut values = Vec::new();
    for (placeholder, key) in (next..).zip(keys) {
        let cast = match key {
            Key::QueueSeq => "bigint",
            Key::Country => "char(2)",
            Key::FamilyName | Key::GivenName | Key::Status => "text",
        };
        values.push(format!("${placeholder}::{cast}"));
    }
    let columns: Vec<&str> = keys.iter().map(|key| key.column()).collect();
    (
        format!(
            "({}) {comparison} ({})",
            columns.join(", "),
            values.join(", ")
        ),
        cursor.keys.clone(),
    )
}

/// How many rows match, as the list says it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Total {
    Exact(i64),
    /// More than this many: counting stopped there.
    MoreThan(i64),
}

/// How a list counts its rows: exactly, or up to a bound past which it
/// only says "more than" (a search that matches 15,000 rows then reads
/// a thousand of them to count, not all).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Counting {
    Exact,
    UpTo(i64),
}

/// A page of the list, how many rows the whole list has, and whether there
/// are rows before and after the page.
#[derive(Debug)]
pub struct Listing {
    pub attendees: Vec<Attendee>,
    pub total: Total,
    pub more_before: bool,
    pub more_after: bool,
}

/// One page of the list — `limit` rows from `start` in `order`, a search
/// ranked first — and the list's total, counted as `counting` says.
pub async fn list(
    conn: &mut AsyncPgConnection,
    event_id: Uuid,
    filter: &AttendeeFilter,
    order: Order,
    start: &Start,
    limit: i64,
    counting: Counting,
) -> diesel::QueryResult<Listing> {
    let searching = filter.search.is_some();
    // One row more than the page says whether another page follows.
    let wanted = limit.saturating_add(1);
    let pages = Pages {
        event_id,
        filter,
        order,
        limit: wanted,
    };
    let (mut rows, counted, more_before) = match start {
        // A search by page number past the first counts its matches in the
        // same pass: ranking them all to skip some has read every one.
        Start::Offset(offset) if *offset > 0 || (searching && counting == Counting::Exact) => {
            let rows = ranked_page(conn, event_id, filter, order, *offset, wanted).await?;
            let counted = rows.as_slice().first().and_then(|row| row.matched);
            let rows: Vec<Attendee> = rows.into_iter().map(|row| row.attendee).collect();
            (rows, counted, *offset > 0)
        }
        Start::Offset(_) => {
            let rows = keyset_page(conn, &pages, None, Direction::Forward).await?;
            (rows, None, false)
        }
        Start::After(cursor) => {
            let rows = keyset_page(conn, &pages, Some(cursor), Direction::Forward).await?;
            (rows, None, true)
        }
        Start::Before(cursor) => {
            let mut rows = keyset_page(conn, &pages, Some(cursor), Direction::Backward).await?;
            if rows.len() as i64 > limit {
                // In the list's order: the extra row, the farthest, is first.
                rows.remove(0);
                (rows, None, true)
            } else {
                // The start of the list is near: the first page, full.
                let rows = keyset_page(conn, &pages, None, Direction::Forward).await?;
                (rows, None, false)
            }
        }
    };
    let more_after = match start {
        Start::Before(_) if more_before => true,
        Start::Before(_) | Start::Offset(_) | Start::After(_) => {
            let more = rows.len() as i64 > limit;
            rows.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
            more
        }
    };
    let total = match counted {
        Some(total) => Total::Exact(total),
        None => total(conn, event_id, filter, counting).await?,
    };
    Ok(Listing {
        attendees: rows,
        total,
        more_before,
        more_after,
    })
}

#[derive(QueryableByName)]
struct Listed {
    #[diesel(embed)]
    attendee: Attendee,
    /// Every row the search matched, when the page counted them.
    #[diesel(sql_type = Nullable<BigInt>)]
    matched: Option<i64>,
}

/// A page by its offset: the page's ids are found first from the order's
/// index (every match ranked, with a search), then only those rows are
/// read in full. A search counts its matches in the same pass.
async fn ranked_page(
    conn: &mut AsyncPgConnection,
    event_id: Uuid,
    filter: &AttendeeFilter,
    order: Order,
    offset: i64,
    limit: i64,
) -> diesel::QueryResult<Vec<Listed>> {
    let (rank, matched) = match filter.search {
        Some(_) => (rank_expression(), "count(*) OVER ()"),
        None => ("0".to_owned(), "NULL::bigint"),
    };
    let head = format!(
        "WITH page AS (SELECT r.id, {rank} AS rank, {matched} AS matched FROM registrations r"
    );
    let tail = format!(
        "ORDER BY {inner} LIMIT $8 OFFSET $9) \
         {columns}, p.rank, p.matched FROM page p JOIN registrations r ON r.id = p.id {QUOTA} \
         ORDER BY {outer}",
        columns = columns(POSITION_COUNTED),
        inner = order.clause("rank"),
        outer = order.clause("p.rank"),
    );
    query(&head, event_id, filter, &tail)
        .bind::<Nullable<Text>, _>(filter.search.clone())
        .bind::<BigInt, _>(limit)
        .bind::<BigInt, _>(offset)
        .load(conn)
        .await
}

/// Up to `limit` rows from the cursor (the list's start without one) read
/// `direction`, returned in the list's order. With a search, its ranks are
/// read one after the other, each from the order's index, until the page
/// is full.
/// What every page of one list reads alike: the event, the filter, the
/// order, and how many rows a page reads.
#[derive(Clone, Copy)]
struct Pages<'a> {
    event_id: Uuid,
    filter: &'a AttendeeFilter,
    order: Order,
    limit: i64,
}

async fn keyset_page(
    conn: &mut AsyncPgConnection,
    pages: &Pages<'_>,
    cursor: Option<&Cursor>,
    direction: Direction,
) -> diesel::QueryResult<Vec<Attendee>> {
    let Pages { filter, limit, .. } = *pages;
    let ranks: &[i32] = if filter.search.is_some() {
        &[0, 1, 2]
    } else {
        &[0]
    };
    let at = cursor.and_then(|cursor| cursor.rank).unwrap_or(0);
    let visited: Vec<i32> = match (direction, cursor) {
        (Direction::Forward, None) => ranks.to_vec(),
        (Direction::Forward, Some(_)) => ranks.iter().copied().filter(|rank| *rank >= at).collect(),
        (Direction::Backward, _) => ranks
            .iter()
            .rev()
            .copied()
            .filter(|rank| *rank <= at)
            .collect(),
    };
    let mut rows = Vec::new();
    for rank in visited {
        let left = limit - rows.len() as i64;
        if left <= 0 {
            break;
        }
        let from = cursor.filter(|cursor| cursor.rank.unwrap_or(0) == rank);
        let rest = Pages {
            limit: left,
            ..*pages
        };
        rows.extend(rank_page(conn, &rest, rank, from, direction).await?);
    }
    if direction == Direction::Backward {
        rows.reverse();
    }
    Ok(rows)
}

/// Up to `limit` rows of one rank, beyond `cursor` if it is in this rank,
/// read `direction`.
async fn rank_page(
    conn: &mut AsyncPgConnection,
    pages: &Pages<'_>,
    rank: i32,
    cursor: Option<&Cursor>,
    direction: Direction,
) -> diesel::QueryResult<Vec<Attendee>> {
    let Pages {
        event_id,
        filter,
        order,
        limit,
    } = *pages;
    let of_rank = match filter.search {
        Some(_) => format!("AND {}", rank_condition(rank)),
        None => String::new(),
    };
    let (beyond, binds) = match cursor {
        Some(cursor) => {
            let (condition, binds) = beyond(order, direction, cursor, 9);
            (format!("AND {condition}"), binds)
        }
        None => (String::new(), Vec::new()),
    };
    let keys = direction.keys(order);
    let head = "WITH page AS (SELECT r.id FROM registrations r";
    let tail = format!(
        "{of_rank} {beyond} ORDER BY {keys} LIMIT $8) \
         {columns}, {rank}::integer AS rank FROM page p JOIN registrations r ON r.id = p.id {QUOTA} \
         ORDER BY {keys}",
        columns = columns(POSITION_COUNTED),
    );
    let mut query = query(head, event_id, filter, &tail)
        .bind::<Nullable<Text>, _>(filter.search.clone())
        .bind::<BigInt, _>(limit);
    for value in binds {
        query = match value {
            KeyValue::Number(number) => query.bind::<BigInt, _>(number),
            KeyValue::Text(text) => query.bind::<Text, _>(text),
        };
    }
    query.load(conn).await
}

#[derive(QueryableByName)]
struct Counted {
    #[diesel(sql_type = BigInt)]
    total: i64,
}

/// How many registrations match the filter. A filter of a status and a
/// country alone is answered from the counters the transactions keep (and
/// `rencontre check` verifies) instead of counting 150,000 rows; any other
/// filter is counted, up to the bound `counting` sets.
pub async fn total(
    conn: &mut AsyncPgConnection,
    event_id: Uuid,
    filter: &AttendeeFilter,
    counting: Counting,
) -> diesel::QueryResult<Total> {
    let counter = match (&filter.search, filter.session_id, filter.answers.is_empty()) {
        (None, None, true) => counter_of(filter.status, filter.country.is_some()),
        _ => None,
    };
    if let Some(counter) = counter {
        let rows: Vec<Counted> = diesel::sql_query(counter)
            .bind::<SqlUuid, _>(event_id)
            .bind::<Nullable<Text>, _>(filter.country.clone())
            .load(conn)
            .await?;
        return Ok(Total::Exact(rows.iter().map(|row| row.total).sum()));
    }
    let rows: Vec<Counted> = match counting {
        Counting::Exact => query(COUNT, event_id, filter, "").load(conn).await?,
        Counting::UpTo(bound) => {
            query(BOUNDED_COUNT, event_id, filter, "LIMIT $7) bounded")
                .bind::<BigInt, _>(bound.saturating_add(1))
                .load(conn)
                .await?
        }
    };
    let counted = rows.iter().map(|row| row.total).sum();
    Ok(match counting {
        Counting::UpTo(bound) if counted > bound => Total::MoreThan(bound),
        Counting::UpTo(_) | Counting::Exact => Total::Exact(counted),
    })
}

/// The counter statement (binds: the event, the country or NULL) that
/// holds the number of registrations of `status` (any when `None`), in one
/// country or the whole event; `None` where no counter holds it. Every
/// registration is in the quarter-hour counts; place-holding ones are an
/// event's and a country's `taken` (the unverified among them, few and
/// short-lived, are counted from the rows), waiting ones their `waiting`;
/// those of categories outside the quotas are their category's `taken`
/// for the event, and counted from the rows (few: staff, press) for a
/// country.
fn counter_of(status: Option<RegistrationStatus>, in_one_country: bool) -> Option<&'static str> {
    match (status, in_one_country) {
        (None, false) => Some(
            "SELECT coalesce(sum(registrations), 0)::bigint AS total
               FROM registration_quarters WHERE event_id = $1 AND $2::text IS NULL",
        ),
        (Some(RegistrationStatus::Confirmed), false) => Some(
            "SELECT (e.taken + (SELECT coalesce(sum(taken), 0) FROM categories
                                 WHERE event_id = $1 AND NOT counts_in_quotas)
                     - (SELECT count(*) FROM registrations
                         WHERE event_id = $1
                           AND (status = 'unverified'
                                OR (status = 'pending' AND e.pending_holds_place))))::bigint
                    AS total
               FROM events e WHERE e.id = $1 AND $2::text IS NULL",
        ),
        (Some(RegistrationStatus::Waitlisted), false) => {
            Some("SELECT waiting::bigint AS total FROM events WHERE id = $1 AND $2::text IS NULL")
        }
        (Some(RegistrationStatus::Cancelled), false) => Some(
            "SELECT ((SELECT coalesce(sum(registrations), 0) FROM registration_quarters
                       WHERE event_id = $1) - e.taken - e.waiting
                     - (SELECT coalesce(sum(taken), 0) FROM categories
                         WHERE event_id = $1 AND NOT counts_in_quotas)
                     - (SELECT count(*) FROM registrations
                         WHERE event_id = $1
                           AND (status = 'rejected'
                                OR (status = 'pending' AND NOT e.pending_holds_place))))::bigint
                    AS total
               FROM events e WHERE e.id = $1 AND $2::text IS NULL",
        ),
        (Some(RegistrationStatus::Confirmed), true) => Some(
            "SELECT (q.taken + (SELECT count(*) FROM registrations r
                                  JOIN categories c ON c.id = r.category_id
                                 WHERE r.event_id = $1 AND r.country_code = $2
                                   AND NOT c.counts_in_quotas
                                   AND (r.status IN ('unverified', 'confirmed')
                                        OR (r.status = 'pending' AND e.pending_holds_place)))
                     - (SELECT count(*) FROM registrations
                         WHERE event_id = $1 AND country_code = $2
                           AND (status = 'unverified'
                                OR (status = 'pending' AND e.pending_holds_place))))::bigint
                    AS total
               FROM country_quotas q JOIN events e ON e.id = q.event_id
              WHERE q.event_id = $1 AND q.country_code = $2",
        ),
        (Some(RegistrationStatus::Waitlisted), true) => Some(
            "SELECT waiting::bigint AS total FROM country_quotas
              WHERE event_id = $1 AND country_code = $2",
        ),
        // A country's cancelled registrations are counted nowhere.
        (Some(RegistrationStatus::Cancelled) | None, true) => None,
        // Few, and counted from the rows.
        (
            Some(
                RegistrationStatus::Unverified
                | RegistrationStatus::Pending
                | RegistrationStatus::Rejected,
            ),
            _,
        ) => None,
    }
}

/// Every matching attendee in registration order, streamed from the
/// database: memory stays flat whatever the size of the list.
pub async fn stream<'conn>(
    conn: &'conn mut AsyncPgConnection,
    event_id: Uuid,
    filter: &AttendeeFilter,
) -> diesel::QueryResult<impl Stream<Item = diesel::QueryResult<Attendee>> + Send + 'conn> {
    let select = format!(
        "WITH {WAITING} {columns}, 0 AS rank FROM registrations r {QUOTA} \
         LEFT JOIN waiting w ON w.id = r.id",
        columns = columns(POSITION_FROM_WINDOW),
    );
    query(&select, event_id, filter, "ORDER BY r.queue_seq")
        .load_stream(conn)
        .await
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    enum Token {
        Literal(char),
        AnyOne,
        AnyRun,
    }

    /// Whether `text` matches a LIKE `pattern` as PostgreSQL reads it with
    /// its default escape character `\`; `None` for a pattern PostgreSQL
    /// refuses (one that ends with the escape character).
    fn like(pattern: &str, text: &str) -> Option<bool> {
        let mut tokens = Vec::new();
        let mut chars = pattern.chars();
        while let Some(c) = chars.next() {
            tokens.push(match c {
                '\\' => Token::Literal(chars.next()?),
                '%' => Token::AnyRun,
                '_' => Token::AnyOne,
                other => Token::Literal(other),
            });
        }
        let text: Vec<char> = text.chars().collect();
        // matches[j]: the tokens so far match the first j characters.
        let mut matches = vec![false; text.len() + 1];
        matches[0] = true;
        for token in &tokens {
            let mut next = vec![false; text.len() + 1];
            for j in 0..=text.len() {
                next[j] = match token {
                    Token::AnyRun => matches[j] || (j > 0 && next[j - 1]),
                    Token::AnyOne => j > 0 && matches[j - 1],
                    Token::Literal(c) => j > 0 && matches[j - 1] && text[j - 1] == *c,
                };
            }
            matches = next;
        }
        Some(matches[text.len()])
    }

    #[test]
    fn the_like_model_reads_wildcards_and_escapes() {
        assert_eq!(like("%a_c%", "xxabcxx"), Some(true));
        assert_eq!(like("a\\%", "a%"), Some(true));
        assert_eq!(like("a\\%", "ab"), Some(false));
        assert_eq!(like("a\\", "a"), None);
    }

    proptest! {
        /// A search finds exactly the rows that contain what was typed,
        /// `%`, `_` and `\` included, never a wildcard match.
        #[test]
        fn a_search_matches_exactly_the_texts_that_contain_it(
            typed in "[ab%_\\\\]{0,6}",
            before in "[ab%_\\\\]{0,6}",
            after in "[ab%_\\\\]{0,6}",
            contains in any::<bool>(),
        ) {
            let text = if contains {
                format!("{before}{typed}{after}")
            } else {
                format!("{before}{after}")
            };
            let pattern = format!("%{}%", escape_like(&typed));
            prop_assert_eq!(like(&pattern, &text), Some(text.contains(&typed)));
        }

        #[test]
        fn any_sort_is_one_of_the_fixed_orders(sort in proptest::option::of(any::<String>())) {
            let order = Order::parse(sort.as_deref());
            prop_assert!(Order::ALL.contains(&order));
            if order != Order::Registered {
                prop_assert_eq!(Some(order.as_str()), sort.as_deref());
            }
        }

        /// A cursor reads back as itself for its own list, and any text is
        /// read or refused, never a panic.
        #[test]
        fn cursors_round_trip_and_any_text_is_refused_cleanly(
            text in any::<String>(),
            family in any::<String>(),
            seq in any::<i64>(),
            rank in proptest::option::of(0..3i32),
            index in 0..Order::ALL.len(),
        ) {
            let order = Order::ALL[index];
            let event_id = Uuid::from_u128(7);
            let keys = order.keys().iter().map(|key| match key {
                Key::QueueSeq => KeyValue::Number(seq),
                _ => KeyValue::Text(family.clone()),
            }).collect();
            let cursor = Cursor { event_id, order: order.as_str().to_owned(), rank, keys };
            let decoded = Cursor::decode(&cursor.encode(), event_id, order, rank.is_some());
            prop_assert_eq!(decoded, Ok(cursor.clone()));
            prop_assert_eq!(
                Cursor::decode(&cursor.encode(), Uuid::from_u128(8), order, rank.is_some()),
                Err(CursorError::OtherEvent)
            );
            prop_assert_eq!(
                Cursor::decode(&cursor.encode(), event_id, order, rank.is_none()),
                Err(CursorError::OtherSearch)
            );
            let _ = Cursor::decode(&text, event_id, order, false);
        }
    }
}
