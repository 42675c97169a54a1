//! PostgreSQL's planner statistics are refreshed by the store as the log grows.

mod support;

use corral_store::AuditEntry;
use sqlx::Row;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_tables_are_analysed_once_the_log_passes_a_thousand_entries() {
    let Some(db) = support::postgres().await else {
        return;
    };
    let db = &db;
    let last_analyze = || async move {
        let pool = db.raw().await;
        let row = sqlx::query(
            "SELECT COUNT(*) AS n FROM pg_stat_user_tables WHERE relname = 'assets' \
             AND (last_analyze IS NOT NULL OR last_autoanalyze IS NOT NULL)",
        )
        .fetch_one(&pool)
        .await
        .unwrap();
        pool.close().await;
        row.try_get::<i64, _>("n").unwrap()
    };
    let append = |n: usize| async move {
        let mut tx = db.store.begin().await.unwrap();
        for _ in 0..n {
            tx.audit(AuditEntry::new("test", "test.entry"));
        }
        tx.commit().await.unwrap();
    };

    append(998).await;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(last_analyze().await, 0, "not analysed below the threshold");

    append(2).await;
    let mut analysed = false;
    for _ in 0..100 {
        if last_analyze().await == 1 {
            analysed = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(analysed, "the tables were analysed after the 1,000th entry");
}
