//! scripts/backup.sh and scripts/restore.sh on a real database: the dump
//! restores into a new database that `rencontre check` passes, with the same
//! rows, and the backup folder keeps only the newest dumps.

use std::process::Command;

use crate::support::{
    EventSpec, TestApp, TestDb, count, create_event, delegate, manifest_dir, rencontre,
};

/// What must survive a restore, each a `SELECT … AS count`.
const COUNTS: [&str; 7] = [
    "SELECT count(*) AS count FROM events",
    "SELECT count(*) AS count FROM registrations",
    "SELECT count(*) AS count FROM registrations WHERE status = 'waitlisted'",
    "SELECT count(*) AS count FROM registration_sessions",
    "SELECT count(*) AS count FROM email_outbox",
    "SELECT count(*) AS count FROM email_outbox WHERE status = 'pending'",
    // The folded names are generated columns: recomputed on restore through
    // rencontre_fold and the unaccent extension.
    "SELECT count(*) AS count FROM registrations WHERE search_name = rencontre_fold(given_name || ' ' || family_name)",
];

fn script(name: &str) -> Command {
    Command::new(manifest_dir().join("scripts").join(name))
}

fn output(command: &mut Command) -> String {
    let output = command.output().expect("run the script");
    assert!(
        output.status.success(),
        "{command:?} failed:\n{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).trim().to_owned()
}

#[tokio::test]
async fn a_backup_restores_into_a_new_database_that_passes_check_with_the_same_counts() {
    let app = TestApp::spawn().await;
    create_event(
        &app.pool,
        EventSpec {
            capacity: Some(12),
            sessions: vec![("A1", Some(5), 0, 9, 11), ("B2", None, 1, 14, 16)],
            ..EventSpec::default()
        },
    )
    .await;
    for n in 0..16 {
        let mut body = delegate(n, ["SN", "BR", "VN"][n % 3]);
        body["given_name"] = serde_json::json!(format!("Ndèye {n}"));
        body["sessions"] = serde_json::json!(if n % 2 == 0 {
            vec!["A1"]
        } else {
            vec!["A1", "B2"]
        });
        assert_eq!(app.register("lima-1997", &body).await.status(), 201);
    }
    let before: Vec<i64> =
        futures_util::future::join_all(COUNTS.iter().map(|sql| count(&app.pool, sql))).await;
    assert!(
        before[2] > 0 && before[3] > 16 && before[4] >= 16,
        "{before:?}"
    );
    assert_eq!(before[6], before[1]);

    let folder = std::env::temp_dir().join(format!(
        "rencontre-backups-{}",
        uuid::Uuid::new_v4().simple()
    ));
    let mut dumps = Vec::new();
    for _ in 0..3 {
        dumps.push(output(
            script("backup.sh")
                .args(["-k", "2", "-d"])
                .arg(&folder)
                .arg(&app.db.url),
        ));
    }
    let mut kept: Vec<String> = std::fs::read_dir(&folder)
        .expect("backup folder")
        .map(|entry| {
            folder
                .join(entry.expect("entry").file_name())
                .display()
                .to_string()
        })
        .collect();
    kept.sort();
    assert_eq!(kept, dumps[1..], "the two newest dumps are kept");

    let restored = TestDb::reserved();
    output(script("restore.sh").arg(&dumps[2]).arg(&restored.url));
    let check = rencontre(&restored.url)
        .arg("check")
        .output()
        .expect("rencontre check");
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stdout)
    );
    let restored_pool =
        rencontre::db::build_pool(&crate::support::test_settings(&restored.url).database)
            .expect("pool");
    let after: Vec<i64> =
        futures_util::future::join_all(COUNTS.iter().map(|sql| count(&restored_pool, sql))).await;
    assert_eq!(after, before);

    // Never over an existing database: the copy is left as it was.
    let again = script("restore.sh")
        .arg(&dumps[2])
        .arg(&restored.url)
        .output()
        .expect("run");
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("exists already"));
    assert_eq!(count(&restored_pool, COUNTS[1]).await, before[1]);
    let _ = std::fs::remove_dir_all(&folder);
}
