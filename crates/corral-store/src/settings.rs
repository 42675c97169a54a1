//! Small facts the store keeps about the installation, as text by key (`store_meta`).
//!
//! Bookkeeping, not registry state: the advisory monitor remembers here which generation of
//! the advisory data it last evaluated, so a restart does not redo the work and two nodes
//! sharing a database do not both redo it. Writes are not audited.

use sqlx::Row;

use crate::error::Result;
use crate::store::Store;

impl Store {
    /// The value stored under `key`, if any.
    pub async fn setting(&self, key: &str) -> Result<Option<String>> {
        let row = sqlx::query("SELECT value FROM store_meta WHERE key = $1")
            .bind(key)
            .fetch_optional(&self.pools.reader)
            .await?;
        Ok(row.map(|r| r.try_get("value")).transpose()?)
    }

    /// Stores `value` under `key`, replacing any earlier value.
    pub async fn put_setting(&self, key: &str, value: &str) -> Result<()> {
        sqlx::query(
            "INSERT INTO store_meta (key, value) VALUES ($1, $2) \
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        )
        .bind(key)
        .bind(value)
        .execute(&self.pools.writer)
        .await?;
        Ok(())
    }
}
