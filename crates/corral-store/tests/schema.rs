//! Opening and migrating, on SQLite and PostgreSQL.

mod support;

use corral_store::StoreError;
use support::{TestDb, asset, register};

async fn a_database_from_a_newer_corral_is_refused_with_a_clear_message(db: TestDb) {
    db.store.close().await;
    db.sql(
        "INSERT INTO corral_schema (version, description, applied_at) \
         VALUES (999, 'from the future', '2030-01-01T00:00:00.000000Z')",
    )
    .await;
    let err = db.reopen().await.unwrap_err();
    assert!(
        matches!(
            err,
            StoreError::SchemaTooNew {
                found: 999,
                supported,
                ..
            } if supported == corral_store::schema::latest_version()
        ),
        "{err}"
    );
    let message = err.to_string();
    assert!(message.contains("schema version 999"), "{message}");
    assert!(message.contains("newer Corral"), "{message}");
    assert!(message.contains("will not touch it"), "{message}");
}
on_both_backends!(
    a_database_from_a_newer_corral_is_refused_with_a_clear_message,
    super::a_database_from_a_newer_corral_is_refused_with_a_clear_message
);

async fn upgrading_from_version_one_indexes_the_words_of_existing_assets(db: TestDb) {
    let mut payroll = support::draft("payroll-check");
    payroll.purpose = "Checks the payroll export against HR records.".into();
    register(&db.store, &support::asset_from(payroll)).await;
    register(&db.store, &asset("lead-scoring")).await;
    db.store.close().await;
    // Back to the version 1 schema: no word index, the old substring column, and none of
    // the later versions' tables.
    db.sql(
        "DROP TABLE asset_terms; ALTER TABLE assets ADD COLUMN search_text TEXT NOT NULL \
         DEFAULT ''; DROP TABLE gate_decisions; DROP TABLE gate_requests; \
         DROP TABLE runner_jobs; DROP TABLE runner_state; DROP TABLE runner_runs; \
         DROP TABLE runner_run_logs; DROP TABLE runner_secrets; DROP TABLE heartbeat_checks; \
         DROP TABLE heartbeat_pings; DROP TABLE console_accounts; DROP TABLE console_sessions; \
         DROP TABLE console_sign_in_failures; DROP INDEX assets_breakdown; \
         DROP INDEX assets_attestation; DROP TABLE scans; DROP TABLE findings; \
         DROP TABLE finding_counts; DROP TABLE finding_trend; DROP TABLE inventory; \
         DROP TABLE inventory_state; DROP TABLE advisory_matches; DROP TABLE advisory_aliases; \
         DROP TABLE advisory_notices; DELETE FROM corral_schema WHERE version >= 2",
    )
    .await;

    let store = db.reopen().await.unwrap();
    let found = store
        .list_assets(&corral_store::AssetQuery {
            text: Some("PAYROLL export".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    let names: Vec<_> = found.items.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(names, ["payroll-check"]);
}
on_both_backends!(
    upgrading_from_version_one_indexes_the_words_of_existing_assets,
    super::upgrading_from_version_one_indexes_the_words_of_existing_assets
);

async fn reopening_keeps_the_data_the_log_and_its_identity(db: TestDb) {
    let a = asset("kept");
    register(&db.store, &a).await;
    let log_id = db.store.audit_log_id().to_string();
    let key = db.store.audit_public_key();
    let again = db.reopen().await.unwrap();
    assert_eq!(again.audit_log_id(), log_id);
    assert_eq!(again.audit_public_key(), key);
    assert_eq!(again.asset(a.id).await.unwrap(), Some(a));
    register(&again, &asset("next")).await;
    assert_eq!(again.audit_len().await.unwrap(), 2);
    assert!(
        again
            .verify_audit(Default::default())
            .await
            .unwrap()
            .is_intact()
    );
}
on_both_backends!(
    reopening_keeps_the_data_the_log_and_its_identity,
    super::reopening_keeps_the_data_the_log_and_its_identity
);

#[tokio::test]
async fn the_embedded_database_is_one_file_in_the_data_directory() {
    let dir = tempfile::tempdir().unwrap();
    let data_dir = dir.path().join("nested/corral");
    let store = corral_store::Store::open(&data_dir, None).await.unwrap();
    assert_eq!(store.backend(), corral_store::Backend::Sqlite);
    assert!(data_dir.join("corral.db").is_file());
    assert!(data_dir.join("audit-signing.key").is_file());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&data_dir).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o700);
    }
}

#[tokio::test]
async fn an_unknown_database_url_is_refused_without_its_password() {
    let dir = tempfile::tempdir().unwrap();
    let err = corral_store::Store::open(dir.path(), Some("mysql://root:hunter2@db/corral"))
        .await
        .unwrap_err()
        .to_string();
    assert!(err.contains("sqlite://PATH or postgres://"), "{err}");
    assert!(!err.contains("hunter2"), "{err}");
}

async fn upgrading_from_version_six_keeps_runs_and_then_records_their_commit(db: TestDb) {
    use corral_runner::records::{CommandLine, Job, Run, Trigger};
    let job = Job::new("nightly-sync", CommandLine::Shell("true".into()));
    let mut tx = db.store.begin().await.unwrap();
    tx.insert_job(&job, support::now()).await.unwrap();
    tx.audit(
        corral_store::AuditEntry::new("ana@example.com", "job.created").subject(job.id.to_string()),
    );
    tx.commit().await.unwrap();
    let before = Run::queued(job.id, &job.name, Trigger::Manual, None, support::now());
    db.store.queue_run(&before).await.unwrap();
    db.store.close().await;
    // Back to version 6: runs without the commit column.
    db.sql(
        "ALTER TABLE runner_runs DROP COLUMN source_commit; \
         DROP INDEX gate_decisions_outcome; DROP INDEX gate_decisions_rule; \
         DELETE FROM corral_schema WHERE version >= 7",
    )
    .await;

    let store = db.reopen().await.unwrap();
    let old = store.run_with_log(before.id).await.unwrap().unwrap();
    assert_eq!(old.source_commit, None);
    let mut after = Run::queued(job.id, &job.name, Trigger::Manual, None, support::now());
    after.source_commit = Some("0f3c9d2a6b1e4f5a7c8d9e0f1a2b3c4d5e6f7a8b".into());
    store.queue_run(&after).await.unwrap();
    let read = store.run_with_log(after.id).await.unwrap().unwrap();
    assert_eq!(read.source_commit, after.source_commit);
}
on_both_backends!(
    upgrading_from_version_six_keeps_runs_and_then_records_their_commit,
    super::upgrading_from_version_six_keeps_runs_and_then_records_their_commit
);
