//! The database schema and its migrations.
//!
//! Migrations are numbered SQL scripts compiled into the binary and applied in order when the
//! store opens, each in its own transaction, and recorded in `corral_schema`. Opening a
//! database whose recorded version is *higher* than the newest this binary knows is refused:
//! an older binary would not know the newer columns' meaning and could corrupt them, so it is
//! better to stop and say which version to run.
//!
//! The DDL is written once for both engines using only `TEXT` and `BIGINT` columns (see
//! `columns.rs` for why). Two processes opening the same PostgreSQL database at once are
//! serialised with an advisory lock, so each migration runs exactly once; SQLite's
//! `BEGIN IMMEDIATE` does the same job.

use chrono::Utc;
use sqlx::{Executor, Row};

use crate::columns::ts;
use crate::database::{Backend, Pools};
use crate::error::StoreError;

/// One schema change.
pub struct Migration {
    pub version: i64,
    pub description: &'static str,
    pub sql: &'static str,
    /// Run instead of `sql` on PostgreSQL, for the rare statement the engines spell
    /// differently (a column collation) or a change only PostgreSQL needs.
    pub postgres_sql: Option<&'static str>,
    /// Work SQL cannot express, run after the SQL in the same transaction.
    pub backfill: Option<Backfill>,
}

/// Data a migration derives in Rust.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backfill {
    /// Index the words of every registered asset (`search_terms`).
    AssetTerms,
}

/// Every migration this binary knows, oldest first.
pub const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        description: "registry, workflow, people, tokens, outbox and audit log",
        sql: include_str!("../migrations/0001_initial.sql"),
        postgres_sql: None,
        backfill: None,
    },
    Migration {
        version: 2,
        description: "word index for free-text search",
        sql: include_str!("../migrations/0002_asset_terms.sql"),
        postgres_sql: Some(include_str!("../migrations/0002_asset_terms.postgres.sql")),
        backfill: Some(Backfill::AssetTerms),
    },
    Migration {
        version: 3,
        description: "package gate decisions and package requests",
        sql: include_str!("../migrations/0003_gate.sql"),
        postgres_sql: None,
        backfill: None,
    },
    Migration {
        version: 4,
        description: "job runner: jobs, runs and logs, leases, job secrets, heartbeat checks",
        sql: include_str!("../migrations/0004_runner.sql"),
        postgres_sql: None,
        backfill: None,
    },
    Migration {
        version: 5,
        description: "uploaded scans, findings per asset, inventories and advisory matches",
        sql: include_str!("../migrations/0005_findings.sql"),
        postgres_sql: None,
        backfill: None,
    },
    Migration {
        version: 6,
        description: "web console: accounts, sessions and sign-in failures",
        sql: include_str!("../migrations/0006_console.sql"),
        postgres_sql: None,
        backfill: None,
    },
    Migration {
        version: 7,
        description: "job runs record the commit their git source resolved to",
        sql: include_str!("../migrations/0007_run_source.sql"),
        postgres_sql: None,
        backfill: None,
    },
    Migration {
        version: 8,
        description: "package gate: indexes for the console's decision filters",
        sql: include_str!("../migrations/0008_gate_console.sql"),
        postgres_sql: None,
        backfill: None,
    },
    Migration {
        version: 9,
        description: "registry: fewer index entries per registration",
        sql: include_str!("../migrations/0009_registry_writes.sql"),
        postgres_sql: Some(include_str!(
            "../migrations/0009_registry_writes.postgres.sql"
        )),
        backfill: None,
    },
];

/// The newest schema version this binary knows.
pub fn latest_version() -> i64 {
    MIGRATIONS.last().map_or(0, |m| m.version)
}

/// An arbitrary constant naming Corral's migration lock among PostgreSQL advisory locks.
const MIGRATION_LOCK_KEY: i64 = 0x636f_7272_616c_0001;

/// Brings the schema up to date, or refuses a schema newer than this binary.
pub async fn migrate(pools: &Pools) -> Result<i64, StoreError> {
    let mut conn = pools.writer.acquire().await?;
    conn.execute(
        "CREATE TABLE IF NOT EXISTS corral_schema (
            version BIGINT PRIMARY KEY,
            description TEXT NOT NULL,
            applied_at TEXT NOT NULL
        )",
    )
    .await?;
    drop(conn);
    loop {
        let mut tx = pools.begin_write().await?;
        if pools.backend == Backend::Postgres {
            sqlx::query("SELECT pg_advisory_xact_lock($1)")
                .bind(MIGRATION_LOCK_KEY)
                .execute(&mut *tx)
                .await?;
        }
        // Versions are applied by membership, not by maximum: migrations developed on
        // parallel branches may land in either order, and each must still run once.
        let applied: Vec<i64> = sqlx::query("SELECT version FROM corral_schema")
            .fetch_all(&mut *tx)
            .await?
            .iter()
            .map(|row| row.try_get("version"))
            .collect::<Result<_, _>>()?;
        let current = applied.iter().copied().max().unwrap_or(0);
        if current > latest_version() {
            return Err(StoreError::SchemaTooNew {
                location: pools.location.clone(),
                found: current,
                supported: latest_version(),
                binary: env!("CARGO_PKG_VERSION"),
            });
        }
        let Some(next) = MIGRATIONS.iter().find(|m| !applied.contains(&m.version)) else {
            tx.commit().await?;
            return Ok(current);
        };
        tracing::info!(
            version = next.version,
            description = next.description,
            "applying database migration"
        );
        let sql = match (pools.backend, next.postgres_sql) {
            (Backend::Postgres, Some(sql)) => sql,
            _ => next.sql,
        };
        sqlx::raw_sql(sql).execute(&mut *tx).await?;
        match next.backfill {
            Some(Backfill::AssetTerms) => crate::assets::index_every_asset(&mut tx).await?,
            None => {}
        }
        sqlx::query(
            "INSERT INTO corral_schema (version, description, applied_at) VALUES ($1, $2, $3)",
        )
        .bind(next.version)
        .bind(next.description)
        .bind(ts(Utc::now()))
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
    }
}
