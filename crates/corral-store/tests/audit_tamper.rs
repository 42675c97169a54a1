//! Tampering with the audit tables directly, as someone with database access would: every
//! change must be caught, and the first entry tampered with named. Runs on SQLite and
//! PostgreSQL.

mod support;

use corral_store::corral_audit::merkle::{Frontier, leaf_hash};
use corral_store::corral_audit::{Hash, Problem};
use corral_store::{AuditRecord, VerifyOptions};
use support::{TestDb, asset, register};

const ENTRIES: u64 = 10;

async fn log_of_ten(db: &TestDb) -> Vec<AuditRecord> {
    for i in 0..ENTRIES {
        register(&db.store, &asset(&format!("asset-{i}"))).await;
    }
    let records = db.store.audit_records(0, 100).await.unwrap();
    assert_eq!(records.len() as u64, ENTRIES);
    let report = db
        .store
        .verify_audit(VerifyOptions::default())
        .await
        .unwrap();
    assert!(report.is_intact(), "{:?}", report.first_problem);
    records
}

async fn first_problem(db: &TestDb) -> Problem {
    let report = db
        .store
        .verify_audit(VerifyOptions::default())
        .await
        .unwrap();
    report.first_problem.expect("tampering must be detected")
}

fn q(text: &str) -> String {
    text.replace('\'', "''")
}

async fn changing_an_event_names_it_as_altered(db: TestDb) {
    log_of_ten(&db).await;
    db.sql("UPDATE audit_events SET actor = 'mallory@example.com' WHERE seq = 4")
        .await;
    let problem = first_problem(&db).await;
    assert_eq!(problem, Problem::Altered { seq: 4 });
    assert!(
        problem.to_string().starts_with("entry 4 was altered"),
        "{problem}"
    );
}
on_both_backends!(
    changing_an_event_names_it_as_altered,
    super::changing_an_event_names_it_as_altered
);

async fn changing_an_event_and_its_stored_hash_names_it(db: TestDb) {
    let records = log_of_ten(&db).await;
    let mut forged = records[4].event.clone();
    forged.data = serde_json::json!({"name": "asset-4", "data_tier": 1});
    let hash = leaf_hash(&forged.canonical_bytes());
    db.sql(&format!(
        "UPDATE audit_events SET data = '{}', leaf_hash = '{hash}' WHERE seq = 4",
        q(&serde_json::to_string(&forged.data).unwrap())
    ))
    .await;
    assert_eq!(first_problem(&db).await, Problem::TreeMismatch { seq: 4 });
}
on_both_backends!(
    changing_an_event_and_its_stored_hash_names_it,
    super::changing_an_event_and_its_stored_hash_names_it
);

async fn rewriting_every_hash_and_tree_head_after_a_change_fails_on_the_signature(db: TestDb) {
    let records = log_of_ten(&db).await;
    let mut frontier = Frontier::new();
    let mut statements = String::new();
    for record in &records {
        let mut event = record.event.clone();
        if event.seq == 4 {
            event.actor = "mallory@example.com".into();
        }
        let leaf = leaf_hash(&event.canonical_bytes());
        frontier.push(leaf);
        statements.push_str(&format!(
            "UPDATE audit_events SET actor = '{}', leaf_hash = '{leaf}', tree_root = '{}' \
             WHERE seq = {};\n",
            q(&event.actor),
            frontier.root(),
            event.seq
        ));
    }
    statements.push_str(&format!(
        "UPDATE audit_head SET frontier = '{}' WHERE id = 1;",
        serde_json::to_string(frontier.nodes()).unwrap()
    ));
    db.sql(&statements).await;
    let problem = first_problem(&db).await;
    assert!(
        matches!(problem, Problem::BadSignature { seq: 4, .. }),
        "{problem:?}"
    );
}
on_both_backends!(
    rewriting_every_hash_and_tree_head_after_a_change_fails_on_the_signature,
    super::rewriting_every_hash_and_tree_head_after_a_change_fails_on_the_signature
);

async fn deleting_an_entry_names_it_as_missing(db: TestDb) {
    log_of_ten(&db).await;
    db.sql("DELETE FROM audit_events WHERE seq = 6").await;
    let problem = first_problem(&db).await;
    assert_eq!(
        problem,
        Problem::Missing {
            seq: 6,
            next_found: 7
        }
    );
    assert!(problem.to_string().contains("entry 6 is missing"));
}
on_both_backends!(
    deleting_an_entry_names_it_as_missing,
    super::deleting_an_entry_names_it_as_missing
);

async fn deleting_an_entry_and_renumbering_the_rest_names_the_gap(db: TestDb) {
    log_of_ten(&db).await;
    db.sql(
        "DELETE FROM audit_events WHERE seq = 6;
         UPDATE audit_events SET seq = seq + 1000 WHERE seq > 6;
         UPDATE audit_events SET seq = seq - 1001 WHERE seq > 1000;
         UPDATE audit_head SET size = size - 1 WHERE id = 1;",
    )
    .await;
    assert_eq!(first_problem(&db).await, Problem::Altered { seq: 6 });
}
on_both_backends!(
    deleting_an_entry_and_renumbering_the_rest_names_the_gap,
    super::deleting_an_entry_and_renumbering_the_rest_names_the_gap
);

async fn inserting_a_well_formed_entry_in_the_middle_names_it(db: TestDb) {
    let records = log_of_ten(&db).await;
    // A careful forger: a real-looking event at position 5 with a correct leaf hash and a
    // correct tree root, signed with the signature of the entry that used to be there.
    let mut forged = records[5].event.clone();
    forged.id = uuid::Uuid::now_v7();
    forged.action = "asset.approved".into();
    let mut leaves: Vec<Hash> = records[..5]
        .iter()
        .map(|r| r.leaf_hash.parse().unwrap())
        .collect();
    leaves.push(leaf_hash(&forged.canonical_bytes()));
    let root = Frontier::from_leaves(&leaves).root();
    db.sql(&format!(
        "UPDATE audit_events SET seq = seq + 1000 WHERE seq >= 5;
         UPDATE audit_events SET seq = seq - 999 WHERE seq >= 1000;
         INSERT INTO audit_events (seq, id, at, actor, action, subject, data, leaf_hash, \
         tree_root, key_id, signature) VALUES (5, '{}', '{}', '{}', '{}', '{}', '{}', '{}', \
         '{root}', '{}', '{}');
         UPDATE audit_head SET size = size + 1 WHERE id = 1;",
        forged.id,
        corral_store::columns::ts(forged.at),
        q(&forged.actor),
        forged.action,
        q(forged.subject.as_deref().unwrap()),
        q(&serde_json::to_string(&forged.data).unwrap()),
        leaves[5],
        records[5].key_id,
        records[5].signature,
    ))
    .await;
    let problem = first_problem(&db).await;
    assert!(
        matches!(
            problem,
            Problem::TreeMismatch { seq: 5 } | Problem::BadSignature { seq: 5, .. }
        ),
        "{problem:?}"
    );
}
on_both_backends!(
    inserting_a_well_formed_entry_in_the_middle_names_it,
    super::inserting_a_well_formed_entry_in_the_middle_names_it
);

async fn swapping_two_entries_names_the_first_of_them(db: TestDb) {
    log_of_ten(&db).await;
    db.sql(
        "UPDATE audit_events SET seq = 1002 WHERE seq = 2;
         UPDATE audit_events SET seq = 2 WHERE seq = 3;
         UPDATE audit_events SET seq = 3 WHERE seq = 1002;",
    )
    .await;
    assert_eq!(first_problem(&db).await, Problem::Altered { seq: 2 });
}
on_both_backends!(
    swapping_two_entries_names_the_first_of_them,
    super::swapping_two_entries_names_the_first_of_them
);

async fn swapping_two_entries_and_recomputing_their_hashes_names_the_first(db: TestDb) {
    let records = log_of_ten(&db).await;
    // Exchange the contents of entries 2 and 3, keep each position's seq, and give each
    // row the leaf hash its new content should have.
    let mut statements = String::new();
    for (pos, from) in [(2usize, 3usize), (3, 2)] {
        let mut event = records[from].event.clone();
        event.seq = pos as u64;
        statements.push_str(&format!(
            "UPDATE audit_events SET id = '{}', at = '{}', actor = '{}', action = '{}', \
             subject = '{}', data = '{}', leaf_hash = '{}' WHERE seq = {pos};\n",
            event.id,
            corral_store::columns::ts(event.at),
            q(&event.actor),
            event.action,
            q(event.subject.as_deref().unwrap()),
            q(&serde_json::to_string(&event.data).unwrap()),
            leaf_hash(&event.canonical_bytes()),
        ));
    }
    // Ids are unique: move one out of the way first.
    db.sql(&format!(
        "UPDATE audit_events SET id = 'moving' WHERE seq = 3;\n{statements}"
    ))
    .await;
    assert_eq!(first_problem(&db).await, Problem::TreeMismatch { seq: 2 });
}
on_both_backends!(
    swapping_two_entries_and_recomputing_their_hashes_names_the_first,
    super::swapping_two_entries_and_recomputing_their_hashes_names_the_first
);

async fn appending_a_forged_entry_names_it(db: TestDb) {
    let records = log_of_ten(&db).await;
    let mut forged = records[9].event.clone();
    forged.seq = 10;
    forged.id = uuid::Uuid::now_v7();
    forged.action = "review.approved".into();
    let mut leaves: Vec<Hash> = records
        .iter()
        .map(|r| r.leaf_hash.parse().unwrap())
        .collect();
    leaves.push(leaf_hash(&forged.canonical_bytes()));
    let frontier = Frontier::from_leaves(&leaves);
    db.sql(&format!(
        "INSERT INTO audit_events (seq, id, at, actor, action, subject, data, leaf_hash, \
         tree_root, key_id, signature) VALUES (10, '{}', '{}', '{}', '{}', '{}', '{}', '{}', \
         '{}', '{}', '{}');
         UPDATE audit_head SET size = 11, frontier = '{}' WHERE id = 1;",
        forged.id,
        corral_store::columns::ts(forged.at),
        q(&forged.actor),
        forged.action,
        q(forged.subject.as_deref().unwrap()),
        q(&serde_json::to_string(&forged.data).unwrap()),
        leaves[10],
        frontier.root(),
        records[9].key_id,
        "00".repeat(64),
        serde_json::to_string(frontier.nodes()).unwrap(),
    ))
    .await;
    let problem = first_problem(&db).await;
    assert!(
        matches!(problem, Problem::BadSignature { seq: 10, .. }),
        "{problem:?}"
    );
}
on_both_backends!(
    appending_a_forged_entry_names_it,
    super::appending_a_forged_entry_names_it
);

async fn deleting_the_newest_entries_is_caught_by_the_append_state(db: TestDb) {
    log_of_ten(&db).await;
    db.sql("DELETE FROM audit_events WHERE seq >= 8").await;
    let problem = first_problem(&db).await;
    assert!(
        matches!(
            problem,
            Problem::Truncated {
                entries: 8,
                expected: 10,
                ..
            }
        ),
        "{problem:?}"
    );
    assert!(
        problem.to_string().contains("entries 8 to 9 were removed"),
        "{problem}"
    );
}
on_both_backends!(
    deleting_the_newest_entries_is_caught_by_the_append_state,
    super::deleting_the_newest_entries_is_caught_by_the_append_state
);

async fn deleting_the_newest_entries_and_fixing_the_append_state_is_caught_by_a_kept_checkpoint(
    db: TestDb,
) {
    let records = log_of_ten(&db).await;
    let kept = db.store.latest_checkpoint().await.unwrap().unwrap();
    let leaves: Vec<Hash> = records[..8]
        .iter()
        .map(|r| r.leaf_hash.parse().unwrap())
        .collect();
    let frontier = Frontier::from_leaves(&leaves);
    db.sql(&format!(
        "DELETE FROM audit_events WHERE seq >= 8;
         UPDATE audit_head SET size = 8, frontier = '{}' WHERE id = 1;",
        serde_json::to_string(frontier.nodes()).unwrap()
    ))
    .await;
    // From inside the database alone the shorter log is self-consistent...
    assert!(
        db.store
            .verify_audit(VerifyOptions::default())
            .await
            .unwrap()
            .is_intact()
    );
    // ...but not against a checkpoint someone kept.
    let report = db
        .store
        .verify_audit(VerifyOptions {
            checkpoints: vec![kept],
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(
        matches!(
            report.first_problem,
            Some(Problem::Truncated {
                entries: 8,
                expected: 10,
                ..
            })
        ),
        "{:?}",
        report.first_problem
    );
}
on_both_backends!(
    deleting_the_newest_entries_and_fixing_the_append_state_is_caught_by_a_kept_checkpoint,
    super::deleting_the_newest_entries_and_fixing_the_append_state_is_caught_by_a_kept_checkpoint
);

async fn replacing_a_signature_names_the_entry(db: TestDb) {
    let records = log_of_ten(&db).await;
    db.sql(&format!(
        "UPDATE audit_events SET signature = '{}' WHERE seq = 3",
        records[7].signature
    ))
    .await;
    let problem = first_problem(&db).await;
    assert!(
        matches!(problem, Problem::BadSignature { seq: 3, .. }),
        "{problem:?}"
    );
}
on_both_backends!(
    replacing_a_signature_names_the_entry,
    super::replacing_a_signature_names_the_entry
);

async fn changing_a_timestamp_names_the_entry(db: TestDb) {
    log_of_ten(&db).await;
    db.sql("UPDATE audit_events SET at = '2020-01-01T00:00:00.000000Z' WHERE seq = 1")
        .await;
    assert_eq!(first_problem(&db).await, Problem::Altered { seq: 1 });
}
on_both_backends!(
    changing_a_timestamp_names_the_entry,
    super::changing_a_timestamp_names_the_entry
);

async fn an_entry_that_no_longer_parses_is_named_not_panicked_on(db: TestDb) {
    log_of_ten(&db).await;
    db.sql("UPDATE audit_events SET data = '{not json', id = 'nope' WHERE seq = 7")
        .await;
    let problem = first_problem(&db).await;
    assert!(
        matches!(problem, Problem::Unreadable { seq: 7, .. }),
        "{problem:?}"
    );
}
on_both_backends!(
    an_entry_that_no_longer_parses_is_named_not_panicked_on,
    super::an_entry_that_no_longer_parses_is_named_not_panicked_on
);

async fn changing_the_append_state_is_caught_before_the_next_append_breaks_the_tree(db: TestDb) {
    log_of_ten(&db).await;
    db.sql(&format!(
        "UPDATE audit_head SET frontier = '{}' WHERE id = 1",
        serde_json::to_string(&vec![leaf_hash(b"x"), leaf_hash(b"y")]).unwrap()
    ))
    .await;
    let problem = first_problem(&db).await;
    assert!(
        matches!(problem, Problem::HeadMismatch { .. }),
        "{problem:?}"
    );
}
on_both_backends!(
    changing_the_append_state_is_caught_before_the_next_append_breaks_the_tree,
    super::changing_the_append_state_is_caught_before_the_next_append_breaks_the_tree
);

async fn other_altered_entries_after_the_first_are_listed_too(db: TestDb) {
    log_of_ten(&db).await;
    db.sql(
        "UPDATE audit_events SET actor = 'x@example.com' WHERE seq = 2;
         UPDATE audit_events SET action = 'asset.deleted' WHERE seq = 8;",
    )
    .await;
    let report = db
        .store
        .verify_audit(VerifyOptions::default())
        .await
        .unwrap();
    assert_eq!(report.first_problem, Some(Problem::Altered { seq: 2 }));
    assert_eq!(report.other_altered, vec![8]);
}
on_both_backends!(
    other_altered_entries_after_the_first_are_listed_too,
    super::other_altered_entries_after_the_first_are_listed_too
);
