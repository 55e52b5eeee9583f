//! Attendee lists: registrations with their sessions and waiting-list
//! places, filtered as organisers ask, for the back office, the API and the
//! exports. One query; the export streams it row by row.

use chrono::{DateTime, Utc};
use diesel::QueryableByName;
use diesel::pg::Pg;
use diesel::query_builder::BoxedSqlQuery;
use diesel::sql_types::{BigInt, Nullable, Text, Timestamptz, Uuid as SqlUuid};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use futures_util::Stream;
use uuid::Uuid;

#[derive(Debug, Clone, Default)]
pub struct AttendeeFilter {
    pub status: Option<String>,
    pub country: Option<String>,
    pub session_id: Option<Uuid>,
    /// Part of a name, email, reference or organisation.
    pub search: Option<String>,
}

#[derive(Debug, Clone, QueryableByName)]
pub struct Attendee {
    #[diesel(sql_type = SqlUuid)]
    pub id: Uuid,
    #[diesel(sql_type = Text)]
    pub reference: String,
    #[diesel(sql_type = Text)]
    pub status: String,
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
    #[diesel(sql_type = Timestamptz)]
    pub registered_at: DateTime<Utc>,
}

/// Waiting-list places come from window functions over the event's waiting
/// registrations, so a whole list costs one pass, not one count per row.
const SELECT: &str = "
WITH waiting AS (
    SELECT id,
           row_number() OVER (ORDER BY queue_seq) AS event_rank,
           row_number() OVER (PARTITION BY country_code ORDER BY queue_seq) AS country_rank
      FROM registrations
     WHERE event_id = $1 AND status = 'waitlisted'
)
SELECT r.id, r.reference, r.status,
       CASE WHEN r.status <> 'waitlisted' THEN NULL
            WHEN q.capacity IS NOT NULL AND q.taken >= q.capacity THEN w.country_rank
            ELSE w.event_rank END AS waitlist_position,
       r.given_name, r.family_name, r.email, r.country_code::text AS country_code,
       r.organisation, r.language,
       coalesce((SELECT string_agg(s.code || CASE WHEN c.status = 'waitlisted' THEN ' (waiting)' ELSE '' END,
                                   ', ' ORDER BY s.starts_at, s.code)
                   FROM registration_sessions c JOIN sessions s ON s.id = c.session_id
                  WHERE c.registration_id = r.id), '') AS sessions,
       r.created_at AS registered_at
  FROM registrations r
  JOIN country_quotas q ON q.event_id = r.event_id AND q.country_code = r.country_code
  LEFT JOIN waiting w ON w.id = r.id
 ";

/// The organiser's filter, binds $1 to $5 (see `query`); shared by the list
/// and its count.
const FILTER: &str = "
 WHERE r.event_id = $1
   AND ($2::text IS NULL OR r.status = $2)
   AND ($3::text IS NULL OR r.country_code = $3)
   AND ($4::uuid IS NULL OR EXISTS (SELECT 1 FROM registration_sessions c
                                     WHERE c.registration_id = r.id AND c.session_id = $4))
   AND ($5::text IS NULL OR r.given_name ILIKE $5 OR r.family_name ILIKE $5
        OR r.email ILIKE $5 OR r.reference ILIKE $5 OR r.organisation ILIKE $5)";

/// The orders a list may be asked for; anything else is the order of
/// registration.
pub const SORTS: [&str; 5] = ["name", "-name", "country", "status", "-registered"];

/// Columns organisers may sort by, mapped to SQL (never interpolated from input).
pub fn sort_clause(sort: Option<&str>) -> &'static str {
    match sort {
        Some("name") => "r.family_name, r.given_name, r.queue_seq",
        Some("-name") => "r.family_name DESC, r.given_name DESC, r.queue_seq",
        Some("country") => "r.country_code, r.queue_seq",
        Some("status") => "r.status, r.queue_seq",
        Some("-registered") => "r.queue_seq DESC",
        _ => "r.queue_seq",
    }
}

const COUNT: &str = "SELECT count(*) AS total FROM registrations r";

/// `head` (the SELECT), the filter with its binds, then `tail`.
fn query(
    head: &str,
    event_id: Uuid,
    filter: &AttendeeFilter,
    tail: &str,
) -> BoxedSqlQuery<'static, Pg, diesel::query_builder::SqlQuery> {
    let search = filter
        .search
        .as_ref()
        .map(|text| format!("%{}%", escape_like(text)));
    diesel::sql_query(format!("{head}{FILTER} {tail}"))
        .into_boxed()
        .bind::<SqlUuid, _>(event_id)
        .bind::<Nullable<Text>, _>(filter.status.clone())
        .bind::<Nullable<Text>, _>(filter.country.clone())
        .bind::<Nullable<SqlUuid>, _>(filter.session_id)
        .bind::<Nullable<Text>, _>(search)
}

fn escape_like(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

pub async fn page(
    conn: &mut AsyncPgConnection,
    event_id: Uuid,
    filter: &AttendeeFilter,
    sort: Option<&str>,
    offset: i64,
    limit: i64,
) -> diesel::QueryResult<Vec<Attendee>> {
    query(
        SELECT,
        event_id,
        filter,
        &format!("ORDER BY {} LIMIT $6 OFFSET $7", sort_clause(sort)),
    )
    .bind::<BigInt, _>(limit)
    .bind::<BigInt, _>(offset)
    .load(conn)
    .await
}

#[derive(QueryableByName)]
struct Total {
    #[diesel(sql_type = BigInt)]
    total: i64,
}

pub async fn total(
    conn: &mut AsyncPgConnection,
    event_id: Uuid,
    filter: &AttendeeFilter,
) -> diesel::QueryResult<i64> {
    let rows: Vec<Total> = query(COUNT, event_id, filter, "").load(conn).await?;
    Ok(rows.iter().map(|row| row.total).sum())
}

/// Every matching attendee in registration order, streamed from the
/// database: memory stays flat whatever the size of the list.
pub async fn stream<'conn>(
    conn: &'conn mut AsyncPgConnection,
    event_id: Uuid,
    filter: &AttendeeFilter,
) -> diesel::QueryResult<impl Stream<Item = diesel::QueryResult<Attendee>> + Send + 'conn> {
    query(SELECT, event_id, filter, "ORDER BY r.queue_seq")
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

    const ORDERS: [&str; 6] = [
        "r.family_name, r.given_name, r.queue_seq",
        "r.family_name DESC, r.given_name DESC, r.queue_seq",
        "r.country_code, r.queue_seq",
        "r.status, r.queue_seq",
        "r.queue_seq DESC",
        "r.queue_seq",
    ];

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
            prop_assert!(ORDERS.contains(&sort_clause(sort.as_deref())));
        }
    }
}
