use std::collections::BTreeSet;

use diesel::QueryableByName;
use diesel::sql_types::Text;
use diesel_async::RunQueryDsl;

use crate::support::{TestDb, manifest_dir};

#[derive(QueryableByName, Debug)]
struct Line {
    #[diesel(sql_type = Text)]
    line: String,
}

/// Tables, columns, constraints, indexes and sequences of the public schema,
/// one line each, sorted: equal strings mean equal schemas.
async fn schema_of(db: &TestDb) -> Vec<String> {
    let mut conn = db.connect().await;
    let lines: Vec<Line> = diesel::sql_query(
        "SELECT 'column ' || table_name || '.' || column_name || ' ' || data_type || ' '
                || is_nullable || ' ' || coalesce(column_default, '') AS line
           FROM information_schema.columns WHERE table_schema = 'public'
         UNION ALL
         SELECT 'constraint ' || conrelid::regclass || ' ' || conname || ' '
                || pg_get_constraintdef(oid)
           FROM pg_constraint WHERE connamespace = 'public'::regnamespace
         UNION ALL
         SELECT 'index ' || indexdef FROM pg_indexes WHERE schemaname = 'public'
         UNION ALL
         SELECT 'sequence ' || sequence_name FROM information_schema.sequences
          WHERE sequence_schema = 'public'
         ORDER BY 1",
    )
    .load(&mut conn)
    .await
    .expect("read the schema");
    lines.into_iter().map(|line| line.line).collect()
}

#[tokio::test]
async fn every_migration_reverts_cleanly_and_reapplies_to_the_same_schema() {
    let db = TestDb::empty().await;
    let applied = rencontre::db::run_migrations(&db.url).await.expect("up");
    assert!(!applied.is_empty());
    let first = schema_of(&db).await;
    assert!(
        first
            .iter()
            .any(|line| line.contains("events_taken_within_capacity"))
    );

    rencontre::db::revert_all_migrations(&db.url)
        .await
        .expect("down");
    let after_down = schema_of(&db).await;
    assert!(
        after_down
            .iter()
            .all(|line| line.contains("__diesel_schema_migrations")),
        "down.sql left objects behind: {after_down:#?}"
    );

    rencontre::db::run_migrations(&db.url)
        .await
        .expect("up again");
    assert_eq!(first, schema_of(&db).await);
}

/// `src/db/schema.rs` is written by hand: every table and column it names
/// must exist in the migrated database, and the other way round.
#[tokio::test]
async fn diesel_schema_matches_the_migrated_database() {
    let db = TestDb::migrated().await;
    let mut conn = db.connect().await;
    let rows: Vec<Line> = diesel::sql_query(
        "SELECT table_name || '.' || column_name AS line FROM information_schema.columns
          WHERE table_schema = 'public' AND table_name <> '__diesel_schema_migrations'",
    )
    .load(&mut conn)
    .await
    .expect("columns");
    let in_database: BTreeSet<String> = rows.into_iter().map(|row| row.line).collect();

    let source =
        std::fs::read_to_string(manifest_dir().join("src/db/schema.rs")).expect("schema.rs");
    let mut in_source = BTreeSet::new();
    let mut table = None;
    for line in source.lines().map(str::trim) {
        if let Some((name, _)) = line.split_once(" (").filter(|_| line.ends_with('{')) {
            table = Some(name.to_owned());
        } else if line == "}" {
            table = None;
        } else if let (Some(table), Some((column, _))) = (&table, line.split_once(" -> ")) {
            in_source.insert(format!("{table}.{column}"));
        }
    }
    assert_eq!(in_source, in_database);
}
