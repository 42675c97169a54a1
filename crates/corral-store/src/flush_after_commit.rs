//! PostgreSQL: release the audit log's append lock before waiting for the disk.
//!
//! Every write transaction ends by appending to the audit log, under the lock on the
//! `audit_head` row (see `audit_log.rs`), and PostgreSQL holds a row lock until the commit
//! returns, which by default is after the commit record has been flushed to disk. So writers
//! queued on the lock one flush at a time: on the registry benchmark each registration waited
//! for the previous one's fsync, and throughput was the disk's flush rate, whatever the
//! number of clients.
//!
//! So a [`WriteTx`](crate::WriteTx) on PostgreSQL commits with `synchronous_commit` off for
//! that transaction (`SET LOCAL`, nothing else changes): the commit record is written to the
//! log and the locks are released at once, without waiting for the flush. Then, before
//! `commit` returns, the writer asks for a flush that covers its commit: a transactional
//! logical-decoding message ([`FLUSH`]), a one-statement transaction that writes a log
//! record and so is committed synchronously, which flushes the log up to its own commit
//! record and with it everything before, this writer's commit included. Flush requests
//! from many writers at once are served by the same fsync (PostgreSQL's own group commit),
//! and nobody holds the audit lock while waiting.
//!
//! What callers can rely on does not change: when `commit` returns `Ok`, the change and its
//! audit entries are on disk. The write-ahead log is one sequence, so a crash can only lose a
//! suffix of it: a change is never kept without its audit entry, nor an audit entry without
//! the ones before it. The difference a crash can show is that another session may have
//! *read* a commit in the instant before it was flushed, and after the crash it is gone; its
//! writer was never told it succeeded.
//!
//! A server where the message function is not allowed (some managed services restrict it)
//! is detected when the store opens ([`probe`]), and writes there commit synchronously as
//! before.

use sqlx::AnyPool;

/// Starts a write transaction whose commit does not wait for the flush.
pub(crate) const BEGIN_WITHOUT_FLUSH: &str = "BEGIN; SET LOCAL synchronous_commit TO OFF";

/// A one-statement transaction that writes a log record, so its synchronous commit flushes
/// the log up to it. The prefix names who wrote the message for anyone decoding the log;
/// `IS NOT NULL` because the function returns a `pg_lsn`, a type sqlx's `Any` driver cannot
/// describe.
const FLUSH: &str = "SELECT pg_logical_emit_message(true, 'corral', '') IS NOT NULL";

/// Whether this server lets the store confirm flushes with [`FLUSH`].
pub(crate) async fn probe(pool: &AnyPool) -> bool {
    match sqlx::query(FLUSH).execute(pool).await {
        Ok(_) => true,
        Err(err) => {
            tracing::info!(
                error = %err,
                "write transactions commit synchronously: the server refused a logical-decoding message"
            );
            false
        }
    }
}

/// Waits until everything committed so far on this server is on disk.
pub(crate) async fn flush(pool: &AnyPool) -> sqlx::Result<()> {
    sqlx::query(FLUSH).execute(pool).await.map(|_| ())
}

#[cfg(test)]
mod tests {
    use sqlx::Row;

    use crate::{AuditEntry, NewToken, ScratchDatabase, Store};

    /// On PostgreSQL a write transaction runs without waiting for the flush at its commit, and
    /// `commit` returns only once the log is on disk past the transaction's own writes.
    #[tokio::test]
    async fn a_postgres_write_returns_once_the_log_is_flushed_past_it() {
        let Some(db) = ScratchDatabase::from_env().await else {
            return;
        };
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path(), Some(&db.url)).await.unwrap();
        assert!(
            store.flush_after_commit,
            "the test server allows the message"
        );

        let mut tx = store.begin().await.unwrap();
        let mode: String = sqlx::query("SHOW synchronous_commit")
            .fetch_one(&mut *tx.tx)
            .await
            .unwrap()
            .try_get(0)
            .unwrap();
        assert_eq!(mode, "off", "inside a write transaction");
        let issued = tx
            .issue_token(
                NewToken {
                    name: "flush".into(),
                    email: "ana@example.com".into(),
                    role: corral_model::Role::Member,
                    expires_at: None,
                },
                chrono::Utc::now(),
            )
            .await
            .unwrap();
        // The log position after the transaction's own write: the flush must pass it.
        let written: String = sqlx::query("SELECT pg_current_wal_insert_lsn()::text AS lsn")
            .fetch_one(&mut *tx.tx)
            .await
            .unwrap()
            .try_get("lsn")
            .unwrap();
        tx.audit(
            AuditEntry::new("ana@example.com", "token.issued").subject(issued.token.id.to_string()),
        );
        tx.commit().await.unwrap();

        let flushed: bool =
            sqlx::query("SELECT pg_current_wal_flush_lsn() >= CAST($1 AS pg_lsn) AS flushed")
                .bind(&written)
                .fetch_one(&store.pools.reader)
                .await
                .unwrap()
                .try_get("flushed")
                .unwrap();
        assert!(
            flushed,
            "the log is flushed past {written} when commit returns"
        );
        let mode: String = sqlx::query("SHOW synchronous_commit")
            .fetch_one(&store.pools.writer)
            .await
            .unwrap()
            .try_get(0)
            .unwrap();
        assert_eq!(mode, "on", "outside write transactions nothing changed");
        store.close().await;
    }
}
