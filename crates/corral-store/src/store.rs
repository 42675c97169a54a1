//! [`Store`]: opening the database, and the handle everything else hangs off.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use corral_audit::{AuditSigner, PublicKey};
use sqlx::Row;
use uuid::Uuid;

use crate::audit_log::HeadCache;
use crate::count_cache::CountCache;
use crate::database::{Backend, ConnectSettings, Pools};
use crate::error::{Result, StoreError};
use crate::flush_after_commit;
use crate::group_commit::GroupCommit;
use crate::registry_summary::SummaryCache;
use crate::schema;
use crate::statistics::StatisticsRefresh;

/// How to open a store. [`Store::open`] covers the usual case.
#[derive(Debug, Clone)]
pub struct StoreOptions {
    /// Where the signing key lives, and the SQLite file when no URL is given.
    pub data_dir: PathBuf,
    /// `postgres://…` or `sqlite://…`; `None` for `corral.db` in `data_dir`.
    pub database_url: Option<String>,
    /// Upper bound on pooled connections (readers for SQLite); `None` for a default sized to
    /// the machine.
    pub max_connections: Option<u32>,
    /// How long to wait for the database; `None` for 30 seconds (a server starting beside
    /// its database). Interactive commands use less.
    pub connect_timeout: Option<std::time::Duration>,
}

impl StoreOptions {
    pub fn new(data_dir: impl Into<PathBuf>) -> Self {
        Self {
            data_dir: data_dir.into(),
            database_url: None,
            max_connections: None,
            connect_timeout: None,
        }
    }

    pub fn database_url(mut self, url: Option<&str>) -> Self {
        self.database_url = url.map(str::to_string);
        self
    }

    pub fn max_connections(mut self, n: u32) -> Self {
        self.max_connections = Some(n);
        self
    }

    pub fn connect_timeout(mut self, timeout: std::time::Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }
}

/// Write transactions and the database commits that stored them ([`Store::shared_commits`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SharedCommits {
    pub writes: u64,
    pub commits: u64,
}

/// The handle to Corral's database. Cheap to clone; share one per process.
///
/// Reads are methods on `Store`. Changes go through a [`WriteTx`](crate::WriteTx) from
/// [`Store::begin`], which commits the change and its audit entry together.
#[derive(Clone)]
pub struct Store {
    pub(crate) pools: Pools,
    pub(crate) signer: Arc<AuditSigner>,
    pub(crate) log_id: Arc<str>,
    data_dir: Arc<Path>,
    /// Totals of filtered lists, valid while the audit log keeps its size.
    pub(crate) list_totals: Arc<CountCache>,
    /// The dashboard's aggregates, valid while the audit log keeps its size.
    pub(crate) summaries: Arc<SummaryCache>,
    /// When PostgreSQL's planner statistics are next refreshed.
    pub(crate) statistics: Arc<StatisticsRefresh>,
    /// SQLite's writer, which lets queued write transactions share a commit.
    pub(crate) group_commit: Option<GroupCommit>,
    /// The audit head this process stored last (see `audit_log::append`).
    pub(crate) audit_head: Arc<HeadCache>,
    /// PostgreSQL: write transactions release their locks before the disk flush and wait
    /// for it afterwards (see `flush_after_commit.rs`).
    pub(crate) flush_after_commit: bool,
    /// PostgreSQL: this process's writers take turns from their audit append to their
    /// commit (see `WriteTx::commit`).
    pub(crate) append_turn: Arc<tokio::sync::Mutex<()>>,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("location", &self.pools.location)
            .field("log_id", &self.log_id)
            .finish()
    }
}

impl Store {
    /// Opens (creating and migrating as needed) the database for `data_dir`: the PostgreSQL
    /// or SQLite database at `database_url` when given, else `corral.db` inside `data_dir`.
    /// The audit signing key is loaded from, or created in, `data_dir`.
    pub async fn open(data_dir: &Path, database_url: Option<&str>) -> Result<Self> {
        Self::open_with(StoreOptions::new(data_dir).database_url(database_url)).await
    }

    /// [`Store::open`] with every option.
    pub async fn open_with(options: StoreOptions) -> Result<Self> {
        create_data_dir(&options.data_dir)?;
        let signer = AuditSigner::load_or_create(&options.data_dir)?;
        let mut settings = match &options.database_url {
            Some(url) => ConnectSettings::from_url(url)?,
            None => ConnectSettings::sqlite_in(&options.data_dir),
        };
        if let Some(n) = options.max_connections {
            settings.max_connections = n.max(1);
        }
        if let Some(timeout) = options.connect_timeout {
            settings.acquire_timeout = timeout;
        }
        let pools = Pools::connect(&settings).await?;
        schema::migrate(&pools).await?;
        let log_id = ensure_log_id(&pools).await?;
        tracing::debug!(location = %pools.location, %log_id, "store opened");
        // PostgreSQL writers run concurrently on their own connections; sharing one
        // connection there serialised their statements' round trips, which cost more than
        // the commits it saved (registry benchmark, 16 connections, idle machine, two runs
        // each: 473/s with a connection per writer, 427-429/s shared).
        let group_commit = (pools.backend == Backend::Sqlite)
            .then(|| GroupCommit::new(pools.writer.clone(), pools.begin_statement()));
        let flush_after_commit =
            pools.backend == Backend::Postgres && flush_after_commit::probe(&pools.writer).await;
        Ok(Self {
            pools,
            signer: Arc::new(signer),
            log_id: log_id.into(),
            data_dir: options.data_dir.into(),
            list_totals: Arc::default(),
            summaries: Arc::default(),
            statistics: Arc::default(),
            group_commit,
            audit_head: Arc::default(),
            flush_after_commit,
            append_turn: Arc::default(),
        })
    }

    /// Which engine this store runs on.
    pub fn backend(&self) -> Backend {
        self.pools.backend
    }

    /// The database location, password hidden.
    pub fn location(&self) -> &str {
        &self.pools.location
    }

    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    /// The audit log's id, part of every signed checkpoint.
    pub fn audit_log_id(&self) -> &str {
        &self.log_id
    }

    /// The public half of the checkpoint signing key, for third parties.
    pub fn audit_public_key(&self) -> PublicKey {
        self.signer.public_key()
    }

    /// How many write transactions have committed through this handle, and in how many
    /// database commits: on SQLite, queued writers share commits (see `group_commit.rs`); on
    /// PostgreSQL every write is its own commit and this is `None`.
    pub fn shared_commits(&self) -> Option<SharedCommits> {
        self.group_commit.as_ref().map(|group| {
            let (writes, commits) = group.counts();
            SharedCommits { writes, commits }
        })
    }

    /// Writers waiting for SQLite's write lock in this process right now (always 0 on
    /// PostgreSQL, whose writers do not queue here).
    pub fn queued_writers(&self) -> usize {
        self.group_commit.as_ref().map_or(0, GroupCommit::waiting)
    }

    /// Closes every pooled connection.
    pub async fn close(&self) {
        self.pools.close().await;
    }
}

fn create_data_dir(dir: &Path) -> Result<()> {
    if dir.is_dir() {
        return Ok(());
    }
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(dir).map_err(|source| StoreError::DataDir {
        path: dir.to_path_buf(),
        source,
    })
}

/// Reads the audit log's id, choosing one on first open.
async fn ensure_log_id(pools: &Pools) -> Result<String> {
    sqlx::query("INSERT INTO store_meta (key, value) VALUES ('audit_log_id', $1) ON CONFLICT (key) DO NOTHING")
        .bind(Uuid::new_v4().to_string())
        .execute(&pools.writer)
        .await?;
    let row = sqlx::query("SELECT value FROM store_meta WHERE key = 'audit_log_id'")
        .fetch_one(&pools.reader)
        .await?;
    Ok(row.try_get("value")?)
}
