//! `rencontre check`: recomputes every counter from the rows and verifies the
//! invariants of DESIGN.md. Each query returns one line per violation.

use diesel::QueryableByName;
use diesel::sql_types::Text;
use diesel_async::{AsyncPgConnection, RunQueryDsl};

#[derive(QueryableByName)]
struct Violation {
    #[diesel(sql_type = Text)]
    line: String,
}

const CHECKS: &[(&str, &str)] = &[
    (
        "event counter equals its place-holding registrations and fits its capacity",
        "SELECT format('event %s: taken %s, confirmed %s, capacity %s', e.slug, e.taken,
                       count(r.id), coalesce(e.capacity::text, 'unlimited')) AS line
           FROM events e
           LEFT JOIN (registrations r LEFT JOIN categories c ON c.id = r.category_id)
                  ON r.event_id = e.id AND (r.status IN ('unverified', 'confirmed') OR (r.status = 'pending' AND e.pending_holds_place))
                 AND coalesce(c.counts_in_quotas, true)
          GROUP BY e.id
         HAVING e.taken <> count(r.id) OR e.taken > coalesce(e.capacity, e.taken)",
    ),
    (
        "category counters equal their place-holding and waiting registrations and fit the capacity",
        "SELECT format('event %s, category %s: taken %s, holding %s, waiting %s, waitlisted %s, \
                        capacity %s', e.slug, c.code, c.taken,
                       count(r.id) FILTER (WHERE (r.status IN ('unverified', 'confirmed') OR (r.status = 'pending' AND e.pending_holds_place))),
                       c.waiting, count(r.id) FILTER (WHERE r.status = 'waitlisted'),
                       coalesce(c.capacity::text, 'unlimited')) AS line
           FROM categories c
           JOIN events e ON e.id = c.event_id
           LEFT JOIN registrations r ON r.category_id = c.id
          GROUP BY e.slug, c.id
         HAVING c.taken <> count(r.id) FILTER (WHERE (r.status IN ('unverified', 'confirmed') OR (r.status = 'pending' AND e.pending_holds_place)))
             OR c.waiting <> count(r.id) FILTER (WHERE r.status = 'waitlisted')
             OR c.taken > coalesce(c.capacity, c.taken)",
    ),
    (
        "country counters equal their place-holding registrations and fit their quota",
        "SELECT format('event %s, country %s: taken %s, confirmed %s, capacity %s', e.slug,
                       q.country_code, q.taken, count(r.id),
                       coalesce(q.capacity::text, 'unlimited')) AS line
           FROM country_quotas q
           JOIN events e ON e.id = q.event_id
           LEFT JOIN (registrations r LEFT JOIN categories c ON c.id = r.category_id)
                  ON r.event_id = q.event_id AND r.country_code = q.country_code
                 AND (r.status IN ('unverified', 'confirmed') OR (r.status = 'pending' AND e.pending_holds_place))
                 AND coalesce(c.counts_in_quotas, true)
          GROUP BY e.slug, q.event_id, q.country_code
         HAVING q.taken <> count(r.id) OR q.taken > coalesce(q.capacity, q.taken)",
    ),
    (
        "event waiting-list counters equal their waiting registrations",
        "SELECT format('event %s: waiting %s, waitlisted %s', e.slug, e.waiting,
                       count(r.id)) AS line
           FROM events e
           LEFT JOIN registrations r ON r.event_id = e.id AND r.status = 'waitlisted'
          GROUP BY e.id
         HAVING e.waiting <> count(r.id)",
    ),
    (
        "country waiting-list counters equal their waiting registrations",
        "SELECT format('event %s, country %s: waiting %s, waitlisted %s', e.slug,
                       q.country_code, q.waiting, count(r.id)) AS line
           FROM country_quotas q
           JOIN events e ON e.id = q.event_id
           LEFT JOIN registrations r ON r.event_id = q.event_id
                AND r.country_code = q.country_code AND r.status = 'waitlisted'
          GROUP BY e.slug, q.event_id, q.country_code
         HAVING q.waiting <> count(r.id)",
    ),
    (
        "session counters equal their seated choices and fit the room",
        "SELECT format('session %s: taken %s, seated %s, capacity %s', s.code, s.taken,
                       count(c.registration_id), coalesce(s.capacity::text, 'unlimited')) AS line
           FROM sessions s
           LEFT JOIN registration_sessions c ON c.session_id = s.id AND c.status = 'confirmed'
          GROUP BY s.id
         HAVING s.taken <> count(c.registration_id) OR s.taken > coalesce(s.capacity, s.taken)",
    ),
    (
        "session waiting-list counters equal their waiting choices",
        "SELECT format('session %s: waiting %s, waitlisted %s', s.code, s.waiting,
                       count(c.registration_id)) AS line
           FROM sessions s
           LEFT JOIN registration_sessions c ON c.session_id = s.id AND c.status = 'waitlisted'
          GROUP BY s.id
         HAVING s.waiting <> count(c.registration_id)",
    ),
    (
        "question choice counters equal the live answers that hold them and fit the capacity",
        "SELECT format('question %s, choice %s: taken %s, held %s, capacity %s', q.code, c.code,
                       c.taken, count(r.id), coalesce(c.capacity::text, 'unlimited')) AS line
           FROM question_choices c
           JOIN questions q ON q.id = c.question_id
           LEFT JOIN registration_answers a ON a.question_id = c.question_id
                AND (a.value = to_jsonb(c.code) OR a.value @> jsonb_build_array(c.code))
           LEFT JOIN registrations r ON r.id = a.registration_id AND r.status NOT IN ('cancelled', 'rejected')
          GROUP BY c.id, q.code
         HAVING c.taken <> count(r.id) OR c.taken > coalesce(c.capacity, c.taken)",
    ),
    (
        "registrations per quarter hour equal the registrations made in it",
        "SELECT format('event %s, quarter hour from %s: registrations %s, counted %s', e.slug,
                       coalesce(q.starts_at, c.starts_at), coalesce(q.registrations, 0),
                       coalesce(c.registrations, 0)) AS line
           FROM registration_quarters q
           FULL JOIN (SELECT event_id,
                             date_bin('15 minutes', created_at, timestamptz '2000-01-01 00:00+00')
                                 AS starts_at,
                             count(*) AS registrations
                        FROM registrations GROUP BY 1, 2) c
             ON c.event_id = q.event_id AND c.starts_at = q.starts_at
           JOIN events e ON e.id = coalesce(q.event_id, c.event_id)
          WHERE coalesce(q.registrations, 0) <> coalesce(c.registrations, 0)",
    ),
    (
        "only place-holding delegates hold seats, and cancelled ones hold no choices",
        "SELECT format('registration %s (%s) has a %s choice', r.reference, r.status, c.status)
                AS line
           FROM registration_sessions c
           JOIN registrations r ON r.id = c.registration_id
           JOIN events e ON e.id = r.event_id
          WHERE (c.status = 'confirmed' AND NOT (r.status IN ('unverified', 'confirmed') OR (r.status = 'pending' AND e.pending_holds_place)))
             OR r.status IN ('cancelled', 'rejected')",
    ),
    (
        "nobody waits for a place that is free",
        "SELECT format('registration %s waits although event %s, country %s and its category \
                        have room', r.reference, e.slug, r.country_code) AS line
           FROM registrations r
           JOIN events e ON e.id = r.event_id
           JOIN country_quotas q ON q.event_id = r.event_id AND q.country_code = r.country_code
           LEFT JOIN categories c ON c.id = r.category_id
          WHERE r.status = 'waitlisted'
            AND (c.capacity IS NULL OR c.taken < c.capacity)
            AND (c.counts_in_quotas IS FALSE
                 OR ((e.capacity IS NULL OR e.taken < e.capacity)
                     AND (q.capacity IS NULL OR q.taken < q.capacity)))",
    ),
    (
        "no place-holding delegate waits for a seat that is free",
        "SELECT format('registration %s waits for session %s which has free seats',
                       r.reference, s.code) AS line
           FROM registration_sessions c
           JOIN registrations r ON r.id = c.registration_id
           JOIN sessions s ON s.id = c.session_id
          JOIN events e ON e.id = r.event_id
          WHERE c.status = 'waitlisted' AND (r.status IN ('unverified', 'confirmed') OR (r.status = 'pending' AND e.pending_holds_place))
            AND (s.capacity IS NULL OR s.taken < s.capacity)",
    ),
    (
        "every registration has its email in the outbox",
        "SELECT format('registration %s has no %s email', r.reference,
                       CASE WHEN r.status = 'waitlisted' THEN 'waiting-list' ELSE 'confirmation' END)
                AS line
           FROM registrations r
          WHERE NOT EXISTS (SELECT 1 FROM email_outbox o
                             WHERE o.registration_id = r.id
                               AND o.kind IN ('confirmation', 'waitlisted'))",
    ),
];

/// Every violation found, described in one line each; empty when all hold.
pub async fn violations(conn: &mut AsyncPgConnection) -> diesel::QueryResult<Vec<String>> {
    let mut found = Vec::new();
    for (invariant, query) in CHECKS {
        let rows: Vec<Violation> = diesel::sql_query(*query).load(conn).await?;
        found.extend(
            rows.into_iter()
                .map(|row| format!("{invariant}: {}", row.line)),
        );
    }
    Ok(found)
}
