//! Attendee lists at scale: search without case or accents, ranked; keyset
//! pages that return every registration once; the counters the dashboard
//! reads.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Value, json};

use crate::support::{EventSpec, TestApp, assert_invariants_hold, count, create_event, delegate};

/// Registers `given family` from `country` with the email `n@example.org`
/// (or `email`), and returns its reference.
async fn register(
    app: &TestApp,
    slug: &str,
    n: usize,
    (given, family, country): (&str, &str, &str),
    organisation: &str,
) -> String {
    let mut body = delegate(n, country);
    body["given_name"] = json!(given);
    body["family_name"] = json!(family);
    body["organisation"] = json!(organisation);
    let answer = app.register(slug, &body).await;
    assert_eq!(answer.status(), 201, "{given} {family}");
    let answer: Value = answer.json().await.expect("json");
    answer["reference"].as_str().expect("reference").to_owned()
}

struct Lister<'a> {
    app: &'a TestApp,
    token: String,
}

impl Lister<'_> {
    async fn get(&self, slug: &str, query: &str) -> (u16, Value) {
        let response = self
            .app
            .client
            .get(
                self.app
                    .url(&format!("/api/v1/events/{slug}/registrations{query}")),
            )
            .bearer_auth(&self.token)
            .send()
            .await
            .expect("request");
        let status = response.status().as_u16();
        (status, response.json().await.unwrap_or(Value::Null))
    }

    /// The family names of a search's items, in the order answered.
    async fn found(&self, search: &str) -> Vec<String> {
        let query = format!("?q={}", urlencode(search));
        let (status, answer) = self.get("lima-1997", &query).await;
        assert_eq!(status, 200, "{search}: {answer}");
        let items = answer["items"].as_array().expect("items");
        assert_eq!(
            answer["total"].as_u64(),
            Some(items.len() as u64),
            "{search}"
        );
        items
            .iter()
            .map(|item| item["family_name"].as_str().expect("family").to_owned())
            .collect()
    }
}

fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|byte| match byte {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'.' | b'_' => {
                (byte as char).to_string()
            }
            other => format!("%{other:02X}"),
        })
        .collect()
}

#[tokio::test]
async fn search_ignores_case_and_accents_in_every_script_and_ranks_exact_then_prefix() {
    let app = TestApp::spawn().await;
    create_event(&app.pool, EventSpec::default()).await;
    let lister = Lister {
        token: app.organiser_token("viewer").await,
        app: &app,
    };
    let people = [
        ("Mariam", "Konaté", "ML", "Collectif Traoré"),
        ("Aminata", "Traoré", "ML", "Réseau des femmes"),
        ("João", "da Silva", "BR", "MST"),
        ("Nguyễn Văn", "An", "VN", "Hội Nông dân"),
        ("عائشة", "الفاسي", "MA", ""),
        ("Αλέξανδρος", "Παπαδόπουλος", "GR", ""),
        ("Аня", "Иванова", "RU", ""),
        ("Ibrahima", "Diop", "SN", "Via Campesina"),
    ];
    let mut references = Vec::new();
    for (n, (given, family, country, organisation)) in people.iter().enumerate() {
        references
            .push(register(&app, "lima-1997", n, (given, family, country), organisation).await);
    }

    // Typed as heard, on any keyboard.
    assert_eq!(lister.found("traore").await, ["Traoré", "Konaté"]);
    assert_eq!(lister.found("TRAORÉ").await, ["Traoré", "Konaté"]);
    assert_eq!(lister.found("joao").await, ["da Silva"]);
    assert_eq!(lister.found("nguyen").await, ["An"]);
    assert_eq!(lister.found("hoi nong").await, ["An"]);
    assert_eq!(lister.found("عائشة").await, ["الفاسي"]);
    assert_eq!(lister.found("ΑΛΕΞΑΝΔΡΟΣ").await, ["Παπαδόπουλος"]);
    assert_eq!(lister.found("αλεξ").await, ["Παπαδόπουλος"]);
    assert_eq!(lister.found("АНЯ").await, ["Иванова"]);
    assert_eq!(lister.found("иванова").await, ["Иванова"]);
    assert!(lister.found("dakar").await.is_empty());
    // LIKE's wildcards are searched for, not obeyed.
    assert!(lister.found("%").await.is_empty());
    assert!(lister.found("_").await.is_empty());

    // Ranked: the name that starts with the search (registered second)
    // before the organisation that contains it (registered first); the
    // exact reference before a mere mention.
    assert_eq!(lister.found("traore").await[0], "Traoré");
    assert_eq!(lister.found(&references[7].to_lowercase()).await, ["Diop"]);
    let (_, by_email) = lister.get("lima-1997", "?q=delegate7%40example.org").await;
    assert_eq!(by_email["items"][0]["family_name"], "Diop");

    // The search filters with the others and the list's order comes after
    // the rank.
    let (_, malians) = lister
        .get("lima-1997", "?q=traore&country=ML&sort=-name")
        .await;
    let names: Vec<&str> = malians["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| item["family_name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Traoré", "Konaté"]);
}

/// Walks the list in `query`'s order by `next` cursors, `per_page` at a
/// time, calling `between` after each page; returns the references seen.
async fn walk(
    lister: &Lister<'_>,
    query: &str,
    per_page: usize,
    mut between: impl AsyncFnMut(usize),
) -> Vec<String> {
    let mut seen = Vec::new();
    let mut after: Option<String> = None;
    for page in 0.. {
        let cursor = after
            .as_ref()
            .map(|cursor| format!("&after={cursor}"))
            .unwrap_or_default();
        let (status, answer) = lister
            .get("lima-1997", &format!("?per_page={per_page}{query}{cursor}"))
            .await;
        assert_eq!(status, 200, "{answer}");
        assert_eq!(answer.get("page").is_some(), after.is_none(), "{answer}");
        let items = answer["items"].as_array().expect("items");
        seen.extend(
            items
                .iter()
                .map(|item| item["reference"].as_str().unwrap().to_owned()),
        );
        match answer["next"].as_str() {
            Some(next) => {
                assert_eq!(items.len(), per_page);
                after = Some(next.to_owned());
            }
            None => break,
        }
        between(page).await;
        assert!(page < 500, "{query}: the walk does not end");
    }
    seen
}

#[tokio::test]
async fn keyset_pages_return_every_registration_exactly_once_while_others_register() {
    let app = TestApp::spawn().await;
    create_event(&app.pool, EventSpec::default()).await;
    let lister = Lister {
        token: app.organiser_token("viewer").await,
        app: &app,
    };
    let families = ["Diop", "Ba", "Sow", "Traoré", "Ndiaye", "Fall"];
    let mut before = BTreeSet::new();
    for n in 0..40 {
        // Many namesakes, so that the order's tie-breaker matters.
        let family = families[n % families.len()];
        let given = if n % 4 == 0 { "Awa" } else { "Moussa" };
        before.insert(register(&app, "lima-1997", n, (given, family, "SN"), "").await);
    }
    let mut next_delegate = 1000;
    for query in [
        "&q=moussa&sort=name",
        "",
        "&sort=name",
        "&sort=-name",
        "&sort=-registered",
        "&sort=country",
        "&sort=status",
    ] {
        let seen = walk(&lister, query, 7, async |page| {
            // Newcomers sort anywhere in the list, before and after the
            // cursor; none may push a row already listed onto a later page.
            for family in [
                families[page % 6],
                if page % 2 == 0 { "Aaron" } else { "Zz" },
            ] {
                next_delegate += 1;
                register(
                    &app,
                    "lima-1997",
                    next_delegate,
                    ("Moussa", family, "ML"),
                    "",
                )
                .await;
            }
        })
        .await;
        let distinct: BTreeSet<&String> = seen.iter().collect();
        assert_eq!(
            distinct.len(),
            seen.len(),
            "{query}: a registration was listed twice"
        );
        let expected: BTreeSet<&String> = if query.contains("moussa") {
            // The Moussas of the start (the Awas are not found).
            let (_, all) = lister.get("lima-1997", "?q=moussa&per_page=1000").await;
            let moussas: BTreeSet<String> = all["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|item| item["reference"].as_str().unwrap().to_owned())
                .collect();
            before
                .iter()
                .filter(|reference| moussas.contains(*reference))
                .collect()
        } else {
            before.iter().collect()
        };
        let missing: Vec<&&String> = expected.difference(&distinct).collect();
        assert!(missing.is_empty(), "{query}: never listed: {missing:?}");
    }

    // Unchanged between requests, cursor pages are exactly the numbered ones.
    let walked = walk(&lister, "&sort=name", 9, async |_| {}).await;
    let (_, numbered) = lister.get("lima-1997", "?sort=name&per_page=1000").await;
    let numbered: Vec<&str> = numbered["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| item["reference"].as_str().unwrap())
        .collect();
    assert_eq!(walked, numbered);
}

#[tokio::test]
async fn a_cursor_of_another_event_order_or_search_is_refused_with_a_clear_error() {
    let app = TestApp::spawn().await;
    create_event(&app.pool, EventSpec::default()).await;
    create_event(
        &app.pool,
        EventSpec {
            slug: "quito-2004",
            ..EventSpec::default()
        },
    )
    .await;
    let lister = Lister {
        token: app.organiser_token("viewer").await,
        app: &app,
    };
    for n in 0..4 {
        register(&app, "lima-1997", n, ("Awa", "Diop", "SN"), "").await;
        register(&app, "quito-2004", n, ("Awa", "Diop", "SN"), "").await;
    }
    let next = |query: &'static str| {
        let lister = &lister;
        async move {
            let (status, answer) = lister.get("lima-1997", query).await;
            assert_eq!(status, 200);
            answer["next"].as_str().expect("next").to_owned()
        }
    };
    let by_name = next("?per_page=2&sort=name").await;
    let searched = next("?per_page=2&q=diop").await;
    let refused = [
        (
            "quito-2004",
            format!("?sort=name&after={by_name}"),
            "another event",
        ),
        (
            "lima-1997",
            format!("?sort=country&after={by_name}"),
            "another order",
        ),
        ("lima-1997", format!("?after={searched}"), "a search"),
        (
            "lima-1997",
            format!("?q=diop&sort=name&after={by_name}"),
            "a search",
        ),
        (
            "lima-1997",
            "?after=bm90IGEgY3Vyc29y".to_owned(),
            "not a cursor",
        ),
        ("lima-1997", "?after=%E2%82%AC".to_owned(), "not a cursor"),
        (
            "lima-1997",
            format!("?sort=name&page=2&after={by_name}"),
            "page",
        ),
    ];
    for (slug, query, says) in refused {
        let (status, answer) = lister.get(slug, &query).await;
        assert_eq!(status, 422, "{slug}{query}: {answer}");
        assert_eq!(answer["error"], "validation");
        let message = answer["fields"]["after"].as_str().unwrap_or_default();
        assert!(message.contains(says), "{slug}{query}: {answer}");
    }
    // The same cursors are good for the list they came from.
    let (status, _) = lister
        .get(
            "lima-1997",
            &format!("?per_page=2&sort=name&after={by_name}"),
        )
        .await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn session_waiting_counts_and_registrations_per_quarter_follow_every_write_and_check_notices_a_wrong_one()
 {
    use diesel_async::RunQueryDsl;

    let app = TestApp::spawn().await;
    create_event(
        &app.pool,
        EventSpec {
            sessions: vec![("A1", Some(1), 0, 9, 11), ("B1", Some(2), 0, 14, 16)],
            ..EventSpec::default()
        },
    )
    .await;
    let mut tokens = BTreeMap::new();
    for n in 0..4 {
        let mut body = delegate(n, "SN");
        body["sessions"] = json!(["A1", "B1"]);
        let answer: Value = app.register("lima-1997", &body).await.json().await.unwrap();
        tokens.insert(
            n,
            answer["manage_url"]
                .as_str()
                .unwrap()
                .rsplit('/')
                .next()
                .unwrap()
                .to_owned(),
        );
    }
    let number = |sql: &'static str| count(&app.pool, sql);
    let session_waiting = "SELECT coalesce(sum(waiting), 0)::bigint AS count FROM sessions";
    // A1: 1 seated, 3 waiting; B1: 2 seated, 2 waiting.
    assert_eq!(number(session_waiting).await, 5);
    assert_eq!(
        number("SELECT sum(registrations)::bigint AS count FROM registration_quarters").await,
        4
    );
    assert_invariants_hold(&app.pool).await;

    // A cancellation frees a seat of each session: the next in line takes
    // it, and the counts follow.
    let cancelled = app
        .client
        .post(app.url(&format!("/api/v1/registrations/{}/cancel", tokens[&0])))
        .send()
        .await
        .unwrap();
    assert_eq!(cancelled.status(), 200);
    assert_eq!(number(session_waiting).await, 3);
    assert_invariants_hold(&app.pool).await;

    // Organisers' SQL, several rows a statement, deleting a session with
    // its choices included.
    let mut conn = app.pool.get().await.unwrap();
    diesel::sql_query("DELETE FROM sessions WHERE code = 'B1'")
        .execute(&mut conn)
        .await
        .unwrap();
    assert_eq!(number(session_waiting).await, 2);
    assert_invariants_hold(&app.pool).await;

    // Counters that disagree with the rows are reported.
    diesel::sql_query("UPDATE sessions SET waiting = waiting + 1 WHERE code = 'A1'")
        .execute(&mut conn)
        .await
        .unwrap();
    diesel::sql_query(
        "UPDATE registration_quarters SET registrations = registrations + 2 \
          WHERE starts_at = (SELECT max(starts_at) FROM registration_quarters)",
    )
    .execute(&mut conn)
    .await
    .unwrap();
    let violations = rencontre::registration::check::violations(&mut conn)
        .await
        .unwrap();
    assert_eq!(violations.len(), 2, "{violations:?}");
    assert!(
        violations
            .iter()
            .any(|line| line.contains("session A1: waiting 3, waitlisted 2")),
        "{violations:?}"
    );
    assert!(
        violations
            .iter()
            .any(|line| line.starts_with("registrations per quarter hour")),
        "{violations:?}"
    );
}

/// The list's totals come from the counters when the filter is a status
/// and a country alone, and its waiting places are counted row by row; both
/// must say exactly what the rows say, and what the export (which ranks the
/// whole waiting list at once) says.
#[tokio::test]
async fn totals_and_waiting_places_match_the_rows_and_the_export_for_every_status_and_country() {
    let app = TestApp::spawn().await;
    create_event(
        &app.pool,
        EventSpec {
            capacity: Some(9),
            countries: vec![("SN", 3), ("ML", 4), ("BF", 5), ("NE", 2)],
            ..EventSpec::default()
        },
    )
    .await;
    let lister = Lister {
        token: app.organiser_token("viewer").await,
        app: &app,
    };
    // SN and ML overflow their quotas, then BF the event's capacity: some
    // wait on a full country, others on the full event.
    let mut manage = Vec::new();
    for (n, country) in [
        "SN", "ML", "SN", "BF", "SN", "ML", "SN", "BF", "ML", "BF", "ML", "SN", "BF", "ML",
    ]
    .into_iter()
    .enumerate()
    {
        let answer = app.register("lima-1997", &delegate(n, country)).await;
        assert_eq!(answer.status(), 201);
        let answer: Value = answer.json().await.unwrap();
        manage.push(
            answer["manage_url"]
                .as_str()
                .unwrap()
                .rsplit('/')
                .next()
                .unwrap()
                .to_owned(),
        );
    }
    // Cancelled ones of each kind: a confirmed SN (promotes the next SN)
    // and a waiting ML.
    for n in [0, 8] {
        let cancelled = app
            .client
            .post(app.url(&format!("/api/v1/registrations/{}/cancel", manage[n])))
            .send()
            .await
            .unwrap();
        assert_eq!(cancelled.status(), 200);
    }

    let (_, all) = lister.get("lima-1997", "?per_page=1000").await;
    let items = all["items"].as_array().unwrap().clone();
    assert_eq!(items.len(), 14);
    for status in ["", "confirmed", "waitlisted", "cancelled"] {
        for country in ["", "SN", "ML", "BF", "NE"] {
            let query = format!("?per_page=1000&status={status}&country={country}");
            let (code, answer) = lister.get("lima-1997", &query).await;
            assert_eq!(code, 200, "{query}: {answer}");
            let expected = items
                .iter()
                .filter(|item| status.is_empty() || item["status"] == status)
                .filter(|item| country.is_empty() || item["country"] == country)
                .count();
            assert_eq!(
                answer["items"].as_array().unwrap().len(),
                expected,
                "{query}"
            );
            assert_eq!(
                answer["total"].as_u64(),
                Some(expected as u64),
                "{query}: total"
            );
        }
    }
    // A search counts its matches with its page, or apart past the last one.
    let email = items[3]["email"].as_str().unwrap().to_owned();
    let domain = email.rsplit('@').next().unwrap();
    for (page, shown) in [(1, 10), (2, 4), (5, 0)] {
        let query = format!("?q={domain}&per_page=10&page={page}");
        let (code, answer) = lister.get("lima-1997", &query).await;
        assert_eq!(code, 200, "{query}: {answer}");
        assert_eq!(answer["items"].as_array().unwrap().len(), shown, "{query}");
        assert_eq!(answer["total"], 14, "{query}");
    }
    let kinds: BTreeSet<&str> = items
        .iter()
        .map(|item| item["status"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        BTreeSet::from(["cancelled", "confirmed", "waitlisted"])
    );

    // Each waiting place, counted for the row, is the export's.
    let csv = app
        .client
        .get(app.url("/api/v1/events/lima-1997/registrations.csv"))
        .bearer_auth(&lister.token)
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    let mut reader = ::csv::Reader::from_reader(&csv[..]);
    let headers = reader.headers().unwrap().clone();
    let column = |name: &str| headers.iter().position(|header| header == name).unwrap();
    let (reference, position) = (column("reference"), column("waitlist_position"));
    let exported: BTreeMap<String, String> = reader
        .records()
        .map(|record| {
            let record = record.unwrap();
            (record[reference].to_owned(), record[position].to_owned())
        })
        .collect();
    let listed: BTreeMap<String, String> = items
        .iter()
        .map(|item| {
            let position = item["waitlist_position"].as_i64().map(|p| p.to_string());
            (
                item["reference"].as_str().unwrap().to_owned(),
                position.unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(listed, exported);
    let waiting: Vec<&String> = listed
        .values()
        .filter(|position| !position.is_empty())
        .collect();
    assert!(
        waiting.len() >= 3,
        "the event must have several waiting: {listed:?}"
    );
    assert_invariants_hold(&app.pool).await;
}

#[tokio::test]
async fn a_search_counts_up_to_its_bound_and_its_keyset_pages_cross_the_ranks_both_ways() {
    use rencontre::db::attendees::{self, AttendeeFilter, Counting, Cursor, Order, Start, Total};

    let app = TestApp::spawn().await;
    let event = create_event(&app.pool, EventSpec::default()).await;
    // Ranked: the exact reference, then the names that start with the
    // search, then the rest (an organisation that mentions it).
    let mut references = Vec::new();
    for n in 0..5 {
        references.push(register(&app, "lima-1997", n, ("Awa", "Traoré", "ML"), "").await);
    }
    register(
        &app,
        "lima-1997",
        5,
        ("Mariam", "Konaté", "ML"),
        "Collectif Traoré",
    )
    .await;
    let mut conn = app.pool.get().await.expect("connection");
    let filter = AttendeeFilter {
        search: Some("traore".to_owned()),
        ..AttendeeFilter::default()
    };
    // Two a page, sorted by name.
    macro_rules! page {
        ($start:expr, $counting:expr) => {
            attendees::list(
                &mut conn,
                event.id,
                &filter,
                Order::Name,
                &$start,
                2,
                $counting,
            )
            .await
            .expect("page")
        };
    }
    let first = page!(Start::Offset(0), Counting::UpTo(3));
    assert_eq!(first.total, Total::MoreThan(3));
    assert!(!first.more_before && first.more_after);
    let exact = page!(Start::Offset(0), Counting::UpTo(6));
    assert_eq!(exact.total, Total::Exact(6));
    let family = |listing: &attendees::Listing| -> Vec<String> {
        listing
            .attendees
            .iter()
            .map(|row| row.family_name.clone())
            .collect()
    };

    let mut forward = vec![first];
    while forward.last().unwrap().more_after {
        let last = forward.last().unwrap().attendees.last().unwrap();
        let cursor = Cursor::after(event.id, Order::Name, true, last);
        forward.push(page!(Start::After(cursor), Counting::UpTo(3)));
    }
    let names: Vec<String> = forward.iter().flat_map(family).collect();
    assert_eq!(
        names,
        ["Traoré", "Traoré", "Traoré", "Traoré", "Traoré", "Konaté"]
    );
    assert!(!forward.last().unwrap().more_after);

    let mut backward = vec![forward.last().unwrap().attendees.clone()];
    loop {
        let first_row = backward.last().unwrap()[0].clone();
        let cursor = Cursor::after(event.id, Order::Name, true, &first_row);
        let before = page!(Start::Before(cursor), Counting::UpTo(3));
        backward.push(before.attendees.clone());
        if !before.more_before {
            break;
        }
    }
    backward.reverse();
    let forward_ids: Vec<Vec<uuid::Uuid>> = forward
        .iter()
        .map(|listing| listing.attendees.iter().map(|row| row.id).collect())
        .collect();
    let backward_ids: Vec<Vec<uuid::Uuid>> = backward
        .iter()
        .map(|rows| rows.iter().map(|row| row.id).collect())
        .collect();
    assert_eq!(backward_ids, forward_ids);

    // The exact reference comes first, before the names.
    let filter = AttendeeFilter {
        search: Some(references[3].to_lowercase()),
        ..AttendeeFilter::default()
    };
    let found = attendees::list(
        &mut conn,
        event.id,
        &filter,
        Order::Name,
        &Start::Offset(0),
        10,
        Counting::UpTo(3),
    )
    .await
    .expect("page");
    assert_eq!(found.attendees[0].reference, references[3]);
    assert_eq!(found.attendees[0].rank, 0);
}
