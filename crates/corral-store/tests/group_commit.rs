//! SQLite writers that queue up share one database commit (`group_commit.rs`): every one of
//! them is still stored exactly when it committed, a failing writer takes only its own work
//! with it, and the audit log stays gapless and verifiable.

mod support;

use std::sync::Arc;
use std::time::Duration;

use corral_store::{AuditEntry, Store, StoreError, VerifyOptions};
use support::{asset, register};

/// Registers `name`, returning the store's verdict instead of panicking.
async fn try_register(store: &Store, name: &str) -> Result<(), StoreError> {
    let asset = asset(name);
    let mut tx = store.begin().await?;
    tx.insert_asset(&asset).await?;
    tx.audit(AuditEntry::new("ana@example.com", "asset.registered").subject(asset.id.to_string()));
    tx.commit().await?;
    Ok(())
}

async fn names(store: &Store) -> Vec<String> {
    let page = store
        .list_assets(&corral_store::AssetQuery {
            limit: 500,
            sort: corral_store::AssetSort::Name,
            ..Default::default()
        })
        .await
        .unwrap();
    page.items.into_iter().map(|a| a.name).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn queued_writers_share_commits_and_every_one_is_stored() {
    let db = support::sqlite().await;
    let store = Arc::new(db.store.clone());
    let writers: Vec<_> = (0..200)
        .map(|i| {
            let store = store.clone();
            tokio::spawn(async move { try_register(&store, &format!("asset-{i:03}")).await })
        })
        .collect();
    for writer in writers {
        writer.await.unwrap().expect("every registration commits");
    }

    let stored = names(&store).await;
    assert_eq!(stored.len(), 200);
    assert_eq!(stored[0], "asset-000");
    assert_eq!(stored[199], "asset-199");
    let counts = store.shared_commits().expect("SQLite shares commits");
    assert_eq!(counts.writes, 200);
    assert!(
        counts.commits < counts.writes,
        "200 queued writers should have shared commits, took {} commits",
        counts.commits
    );
    assert_eq!(store.audit_len().await.unwrap(), 200);
    let report = store.verify_audit(VerifyOptions::default()).await.unwrap();
    assert!(report.is_intact(), "{:?}", report.first_problem);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_conflicting_writer_in_a_shared_commit_loses_only_its_own_work() {
    let db = support::sqlite().await;
    let store = Arc::new(db.store.clone());
    register(&store, &asset("taken")).await;
    let writers: Vec<_> = (0..60)
        .map(|i| {
            let store = store.clone();
            // Every third writer collides with the registered asset.
            let name = if i % 3 == 0 {
                "taken".to_string()
            } else {
                format!("fresh-{i:02}")
            };
            tokio::spawn(async move { (name.clone(), try_register(&store, &name).await) })
        })
        .collect();
    let mut conflicts = 0;
    for writer in writers {
        let (name, result) = writer.await.unwrap();
        match result {
            Err(StoreError::Conflict(c)) => {
                assert_eq!(name, "taken");
                assert_eq!(c.existing_name, "taken");
                conflicts += 1;
            }
            Ok(()) => assert_ne!(name, "taken"),
            Err(other) => panic!("{name}: unexpected {other}"),
        }
    }
    assert_eq!(conflicts, 20);
    let stored = names(&store).await;
    assert_eq!(stored.len(), 41, "{stored:?}");
    assert_eq!(store.audit_len().await.unwrap(), 41);
    let report = store.verify_audit(VerifyOptions::default()).await.unwrap();
    assert!(report.is_intact(), "{:?}", report.first_problem);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_writer_dropped_inside_a_shared_commit_leaves_the_others_committed() {
    let db = support::sqlite().await;
    // The first writer's transaction moves into a task of its own, so it borrows for 'static.
    let store: &'static Store = Box::leak(Box::new(db.store.clone()));

    // The first writer works while a second one queues behind it.
    let first = asset("first");
    let mut tx = store.begin().await.unwrap();
    tx.insert_asset(&first).await.unwrap();
    tx.audit(AuditEntry::new("ana@example.com", "asset.registered").subject(first.id.to_string()));
    let (joined_tx, joined) = tokio::sync::oneshot::channel();
    let (release_tx, release) = tokio::sync::oneshot::channel::<()>();
    let second = {
        tokio::spawn(async move {
            let mut tx = store.begin().await.unwrap();
            tx.insert_asset(&asset("second")).await.unwrap();
            joined_tx.send(()).unwrap();
            release.await.unwrap();
            // Dropped without commit: an error path or a cancelled request.
            drop(tx);
        })
    };
    // Once the second writer is queued, the first leaves the transaction open for it.
    while store.queued_writers() == 0 {
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
    let first_commit = tokio::spawn(async move { tx.commit().await.map(|events| events.len()) });
    joined.await.unwrap();
    assert!(
        !first_commit.is_finished(),
        "the first writer waits for the shared commit"
    );
    release_tx.send(()).unwrap();
    second.await.unwrap();
    assert_eq!(first_commit.await.unwrap().unwrap(), 1);

    assert_eq!(names(store).await, vec!["first".to_string()]);
    // The writer lock is free again for the next writer.
    register(store, &asset("third")).await;
    assert_eq!(names(store).await, vec!["first", "third"]);
    let report = store.verify_audit(VerifyOptions::default()).await.unwrap();
    assert!(report.is_intact(), "{:?}", report.first_problem);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lone_writer_commits_at_once_and_another_process_sees_it() {
    let db = support::sqlite().await;
    register(&db.store, &asset("alone")).await;
    let other = db.reopen().await.unwrap();
    assert!(other.asset_by_name("alone").await.unwrap().is_some());
    assert_eq!(
        db.store.shared_commits().map(|c| (c.writes, c.commits)),
        Some((1, 1))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn writers_abandoned_at_any_moment_leave_the_writer_free_and_the_log_whole() {
    let db = support::sqlite().await;
    let store = Arc::new(db.store.clone());
    // Requests whose clients hang up: each registration is dropped after a delay that lands
    // anywhere in its life (waiting, inside its savepoint, committing, waiting for the commit).
    let writers: Vec<_> = (0..300u64)
        .map(|i| {
            let store = store.clone();
            tokio::spawn(async move {
                let patience = Duration::from_micros((i * 137) % 20_000);
                tokio::time::timeout(patience, try_register(&store, &format!("maybe-{i:03}"))).await
            })
        })
        .collect();
    for writer in writers {
        let _ = writer.await.unwrap();
    }
    // Whatever was abandoned, no transaction is left holding the writer: work that takes
    // the writer connection directly (the notification dispatcher's claims) gets it.
    tokio::time::timeout(
        Duration::from_secs(10),
        store.claim_due_deliveries(chrono::Utc::now(), 10, chrono::Duration::seconds(60)),
    )
    .await
    .expect("the writer connection is free")
    .unwrap();
    // And the next writer gets through and is stored.
    tokio::time::timeout(Duration::from_secs(20), try_register(&store, "after"))
        .await
        .expect("the writer is free again")
        .expect("the registration commits");
    assert!(store.asset_by_name("after").await.unwrap().is_some());
    // Every stored asset has its audit entry and the log verifies.
    let stored = store.count_assets().await.unwrap();
    assert_eq!(store.audit_len().await.unwrap(), stored);
    let report = store.verify_audit(VerifyOptions::default()).await.unwrap();
    assert!(report.is_intact(), "{:?}", report.first_problem);
}
