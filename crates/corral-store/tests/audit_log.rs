//! The audit log as the server and an auditor use it: gapless under concurrent writers,
//! proofs that check without the database. Runs on SQLite and PostgreSQL.

mod support;

use corral_model::{Asset, Review};
use corral_store::corral_audit::{InclusionProof, ProofCheckError};
use corral_store::{AuditEntry, Store, VerifyOptions};
use support::{TestDb, asset, register};
use uuid::Uuid;

async fn registrations(store: Store, prefix: String, count: usize) {
    for i in 0..count {
        let a = asset(&format!("{prefix}-{i}"));
        let mut tx = store.begin().await.unwrap();
        tx.insert_asset(&a).await.unwrap();
        tx.audit(AuditEntry::new("ana@example.com", "asset.registered").subject(a.id.to_string()));
        // Some transactions log more than one entry.
        if i % 3 == 0 {
            tx.audit(AuditEntry::new("policy", "asset.approved").subject(a.id.to_string()));
        }
        tx.commit().await.unwrap();
    }
}

/// Verifies the whole log and expects `signatures` signed entries, all intact.
async fn assert_intact(store: &Store, signatures: u64) {
    let report = store.verify_audit(VerifyOptions::default()).await.unwrap();
    assert!(report.is_intact(), "{:?}", report.first_problem);
    assert_eq!(report.signatures_checked, signatures);
}

async fn concurrent_writers_in_two_processes_get_gapless_sequence_numbers(db: TestDb) {
    // A second store on the same database and key stands in for a second server process.
    let second = db.reopen().await.unwrap();
    let per_task = 15;
    let mut tasks = Vec::new();
    for (n, store) in [db.store.clone(), second.clone()].into_iter().enumerate() {
        for t in 0..3 {
            tasks.push(tokio::spawn(registrations(
                store.clone(),
                format!("p{n}-t{t}"),
                per_task,
            )));
        }
    }
    for task in tasks {
        task.await.unwrap();
    }
    let per_task_entries = per_task + per_task.div_ceil(3);
    let expected = (6 * per_task_entries) as u64;
    let records = db.store.audit_records(0, 10_000).await.unwrap();
    let seqs: Vec<u64> = records.iter().map(|r| r.event.seq).collect();
    assert_eq!(seqs, (0..expected).collect::<Vec<_>>());
    assert_eq!(db.store.audit_len().await.unwrap(), expected);
    assert_intact(&db.store, expected).await;
    second.close().await;
}
on_both_backends!(
    concurrent_writers_in_two_processes_get_gapless_sequence_numbers,
    super::concurrent_writers_in_two_processes_get_gapless_sequence_numbers
);

async fn an_inclusion_proof_checks_from_its_json_alone(db: TestDb) {
    for i in 0..7 {
        register(&db.store, &asset(&format!("a-{i}"))).await;
    }
    let target = db.store.audit_records(3, 1).await.unwrap().remove(0);
    let proof = db
        .store
        .inclusion_proof(target.event.id)
        .await
        .unwrap()
        .expect("the event exists");
    assert_eq!(proof.leaf_index, 3);
    assert_eq!(proof.tree_size, 7);
    assert_eq!(proof.audit_path.len(), 3);
    let json = serde_json::to_string_pretty(&proof).unwrap();
    drop(db.store.clone());

    let shipped: InclusionProof = serde_json::from_str(&json).unwrap();
    shipped.check(Some(&db.store.audit_public_key())).unwrap();
    let entry: serde_json::Value = serde_json::from_str(&shipped.entry).unwrap();
    assert_eq!(entry["action"], "asset.registered");

    let edited: InclusionProof =
        serde_json::from_str(&json.replace("asset.registered", "asset.deleted")).unwrap();
    assert_eq!(edited.check(None), Err(ProofCheckError::LeafHash));
    assert!(
        db.store
            .inclusion_proof(uuid::Uuid::now_v7())
            .await
            .unwrap()
            .is_none()
    );
}
on_both_backends!(
    an_inclusion_proof_checks_from_its_json_alone,
    super::an_inclusion_proof_checks_from_its_json_alone
);

async fn a_consistency_proof_shows_the_log_only_grew(db: TestDb) {
    for i in 0..5 {
        register(&db.store, &asset(&format!("a-{i}"))).await;
    }
    let kept = db.store.latest_checkpoint().await.unwrap().unwrap();
    for i in 5..13 {
        register(&db.store, &asset(&format!("a-{i}"))).await;
    }
    let proof = db.store.consistency_proof(5).await.unwrap();
    assert_eq!(proof.old, kept);
    assert_eq!(proof.new.checkpoint.tree_size, 13);
    proof.check(Some(&db.store.audit_public_key())).unwrap();
    let report = db
        .store
        .verify_audit(VerifyOptions {
            checkpoints: vec![kept],
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(report.is_intact(), "{:?}", report.first_problem);
    assert_eq!(report.external_checkpoints_checked, 1);
    assert!(db.store.consistency_proof(0).await.is_err());
    assert!(db.store.consistency_proof(14).await.is_err());
}
on_both_backends!(
    a_consistency_proof_shows_the_log_only_grew,
    super::a_consistency_proof_shows_the_log_only_grew
);

async fn a_checkpoint_from_another_installation_is_refused(db: TestDb) {
    register(&db.store, &asset("a")).await;
    let other = support::sqlite().await;
    register(&other.store, &asset("b")).await;
    let foreign = other.store.latest_checkpoint().await.unwrap().unwrap();
    let report = db
        .store
        .verify_audit(VerifyOptions {
            checkpoints: vec![foreign],
            ..Default::default()
        })
        .await
        .unwrap();
    let problem = report.first_problem.expect("refused");
    assert!(problem.to_string().contains("belongs to log"), "{problem}");
}
on_both_backends!(
    a_checkpoint_from_another_installation_is_refused,
    super::a_checkpoint_from_another_installation_is_refused
);

async fn an_empty_log_verifies(db: TestDb) {
    let report = db
        .store
        .verify_audit(VerifyOptions::default())
        .await
        .unwrap();
    assert!(report.is_intact());
    assert_eq!(report.entries, 0);
    assert!(db.store.latest_checkpoint().await.unwrap().is_none());
}
on_both_backends!(an_empty_log_verifies, super::an_empty_log_verifies);

async fn an_append_after_another_process_appended_follows_its_entries(db: TestDb) {
    // Each store remembers the head it stored last and appends on the condition that the
    // database still holds it. Here the first store's memory goes stale twice.
    let second = db.reopen().await.unwrap();
    register(&db.store, &asset("first")).await;
    register(&second, &asset("second")).await;
    register(&second, &asset("third")).await;
    register(&db.store, &asset("fourth")).await;
    register(&second, &asset("fifth")).await;
    let records = db.store.audit_records(0, 100).await.unwrap();
    let seqs: Vec<u64> = records.iter().map(|r| r.event.seq).collect();
    assert_eq!(seqs, (0..records.len() as u64).collect::<Vec<_>>());
    assert_eq!(records.len(), 5, "one entry per registration");
    assert_intact(&db.store, 5).await;
    second.close().await;
}
on_both_backends!(
    an_append_after_another_process_appended_follows_its_entries,
    super::an_append_after_another_process_appended_follows_its_entries
);

/// A registration's decision, review and event as the server writes them, in one
/// transaction on `store`.
async fn register_with_review(store: &Store, name: &str) -> (Asset, Review) {
    use corral_model::{Decision, DecisionKind, Event, EventKind, SignoffRole};
    let a = asset(name);
    let review = Review {
        id: Uuid::now_v7(),
        asset_id: a.id,
        reason: "tier 3 (confidential) data needs a security review".into(),
        opened_at: support::now(),
        due_at: support::now() + chrono::Duration::days(5),
        required: vec![SignoffRole::Security],
        signoffs: vec![],
        outcome: None,
    };
    let mut tx = store.begin().await.unwrap();
    tx.insert_asset(&a).await.unwrap();
    tx.append_decision(&Decision {
        id: Uuid::now_v7(),
        asset_id: a.id,
        review_id: Some(review.id),
        kind: DecisionKind::ReviewRequested,
        actor: "policy".into(),
        role: None,
        comment: "tier 3".into(),
        at: support::now(),
    })
    .await
    .unwrap();
    tx.open_review(&review).await.unwrap();
    let mut event = Event::new(
        EventKind::ReviewRequested,
        format!("{name} needs a review"),
        "",
    );
    event.asset_id = Some(a.id);
    tx.enqueue_event(&event, &["webhook:ops".to_string()]);
    tx.audit(AuditEntry::new("ana@example.com", "asset.registered").subject(a.id.to_string()));
    tx.audit(AuditEntry::new("policy", "review.opened").subject(a.id.to_string()));
    tx.commit().await.unwrap();
    (a, review)
}

async fn every_row_of_a_write_goes_in_once_whether_or_not_another_process_moved_the_log(
    db: TestDb,
) {
    // The first registration finds the head this store stored last; the second finds it
    // moved by another process and appends after reading it again. Each writes its decision,
    // review, event and delivery exactly once, with its entries.
    let second = db.reopen().await.unwrap();
    let (fresh, fresh_review) = register_with_review(&db.store, "fresh").await;
    register(&second, &asset("elsewhere")).await;
    let (stale, stale_review) = register_with_review(&db.store, "stale").await;

    for (a, review) in [(&fresh, &fresh_review), (&stale, &stale_review)] {
        let decisions = db.store.decisions_for_asset(a.id).await.unwrap();
        assert_eq!(decisions.len(), 1, "{}", a.name);
        assert_eq!(decisions[0].review_id, Some(review.id));
        assert_eq!(
            db.store.review(review.id).await.unwrap().as_ref(),
            Some(review)
        );
    }
    let events = db.store.events(100, 0).await.unwrap();
    assert_eq!(events.len(), 2, "one event per registration");
    for event in &events {
        let deliveries = db.store.deliveries_for_event(event.id).await.unwrap();
        assert_eq!(deliveries.len(), 1);
        assert_eq!(deliveries[0].target, "webhook:ops");
    }
    let records = db.store.audit_records(0, 100).await.unwrap();
    let actions: Vec<&str> = records.iter().map(|r| r.event.action.as_str()).collect();
    assert_eq!(
        actions,
        [
            "asset.registered",
            "review.opened",
            "asset.registered",
            "asset.registered",
            "review.opened"
        ]
    );
    assert_intact(&db.store, 5).await;
    second.close().await;
}
on_both_backends!(
    every_row_of_a_write_goes_in_once_whether_or_not_another_process_moved_the_log,
    super::every_row_of_a_write_goes_in_once_whether_or_not_another_process_moved_the_log
);

async fn a_review_opened_in_a_transaction_is_seen_by_it(db: TestDb) {
    let a = asset("seen");
    register(&db.store, &a).await;
    let mut review = Review {
        id: Uuid::now_v7(),
        asset_id: a.id,
        reason: "tier 3 (confidential) data needs a security review".into(),
        opened_at: support::now(),
        due_at: support::now() + chrono::Duration::days(5),
        required: vec![corral_model::SignoffRole::Security],
        signoffs: vec![],
        outcome: None,
    };
    let mut tx = db.store.begin().await.unwrap();
    tx.open_review(&review).await.unwrap();
    assert_eq!(tx.review(review.id).await.unwrap().as_ref(), Some(&review));
    review.reason = "changed before the commit".into();
    tx.update_review(&review).await.unwrap();
    tx.audit(AuditEntry::new("policy", "review.opened").subject(a.id.to_string()));
    tx.commit().await.unwrap();
    assert_eq!(db.store.review(review.id).await.unwrap(), Some(review));
}
on_both_backends!(
    a_review_opened_in_a_transaction_is_seen_by_it,
    super::a_review_opened_in_a_transaction_is_seen_by_it
);
