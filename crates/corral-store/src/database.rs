//! Connecting: which database, and the connection pools for it.
//!
//! Queries go through sqlx's `Any` driver, so each statement is written once, with `$1`-style
//! placeholders that both SQLite and PostgreSQL accept. The few places where the two engines
//! differ (locking, `SKIP LOCKED`) ask [`Backend`].
//!
//! **SQLite** is one file in the data directory, in WAL mode so readers never wait for the
//! writer. SQLite allows one writer at a time; rather than let connections fight over the
//! lock, the store keeps a *writer* pool with a single connection, whose transactions start
//! with `BEGIN IMMEDIATE` (taking the write lock up front, so a read-then-write transaction
//! cannot fail half-way when another process wrote in between), and a separate pool of
//! *reader* connections. `synchronous = NORMAL` is the WAL setting that stays durable
//! across application crashes and costs no fsync per commit.
//!
//! **PostgreSQL** uses one pool for both; concurrency control is the database's own, plus the
//! audit log's append lock (see `audit_log.rs`).

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{AnyPool, ConnectOptions, Connection, Executor};

use crate::error::{StoreError, redact_url};

/// File name of the embedded database inside the data directory.
pub const SQLITE_FILE_NAME: &str = "corral.db";

/// Which database engine the store talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn as_str(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }

    /// The engine a database URL names.
    pub fn of_url(url: &str) -> Result<Self, StoreError> {
        let scheme = url.split_once(':').map(|(s, _)| s).unwrap_or("");
        match scheme {
            "sqlite" => Ok(Backend::Sqlite),
            "postgres" | "postgresql" => Ok(Backend::Postgres),
            _ => Err(StoreError::UnsupportedUrl(redact_url(url))),
        }
    }
}

/// How to reach the database and how many connections to keep.
#[derive(Debug, Clone)]
pub struct ConnectSettings {
    pub url: String,
    pub backend: Backend,
    /// Connections for reads (SQLite) or for everything (PostgreSQL).
    pub max_connections: u32,
    /// How long to wait for a connection, including retrying a database that does not answer
    /// yet when the store opens.
    pub acquire_timeout: Duration,
}

impl ConnectSettings {
    /// The embedded database file in `data_dir`.
    pub fn sqlite_in(data_dir: &Path) -> Self {
        let options = SqliteConnectOptions::new()
            .filename(data_dir.join(SQLITE_FILE_NAME))
            .create_if_missing(true);
        Self {
            url: options.to_url_lossy().to_string(),
            backend: Backend::Sqlite,
            max_connections: default_connections(),
            acquire_timeout: DEFAULT_ACQUIRE_TIMEOUT,
        }
    }

    /// A database named by URL (`sqlite://…` or `postgres://…`).
    pub fn from_url(url: &str) -> Result<Self, StoreError> {
        let backend = Backend::of_url(url)?;
        let mut url = url.to_string();
        if backend == Backend::Sqlite && !url.contains("mode=") {
            url.push(if url.contains('?') { '&' } else { '?' });
            url.push_str("mode=rwc");
        }
        Ok(Self {
            url,
            backend,
            max_connections: default_connections(),
            acquire_timeout: DEFAULT_ACQUIRE_TIMEOUT,
        })
    }

    /// The URL with any password hidden, for messages.
    pub fn location(&self) -> String {
        redact_url(&self.url)
    }
}

/// The default for [`ConnectSettings::acquire_timeout`].
pub const DEFAULT_ACQUIRE_TIMEOUT: Duration = Duration::from_secs(30);

fn default_connections() -> u32 {
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get() as u32);
    (cores * 4).clamp(4, 32)
}

/// The pools a store uses: separate reader and writer pools for SQLite, one shared pool for
/// PostgreSQL.
/// A pooled PostgreSQL connection that sat idle this long is checked with a round trip (a
/// ping) before it is handed out, and replaced if the server hung up on it. The pool checks
/// every connection by default, but a registration takes a connection three times (the
/// token, the transaction, the flush), and under load a ping is an extra round trip on a
/// connection returned microseconds earlier; idle connections are where a restarted server
/// or a dropped network leaves broken ones.
const PING_AFTER_IDLE: Duration = Duration::from_secs(1);

#[derive(Debug, Clone)]
pub struct Pools {
    pub backend: Backend,
    pub reader: AnyPool,
    pub writer: AnyPool,
    pub location: String,
}

impl Pools {
    pub async fn connect(settings: &ConnectSettings) -> Result<Self, StoreError> {
        sqlx::any::install_default_drivers();
        let location = settings.location();
        let connect_err = |source| StoreError::Connect {
            location: location.clone(),
            source,
        };
        let options = AnyConnectOptions::from_str(&settings.url).map_err(connect_err)?;
        let timeout = settings.acquire_timeout;
        match settings.backend {
            Backend::Sqlite => {
                let pool_options = || {
                    AnyPoolOptions::new()
                        .acquire_timeout(timeout)
                        .after_connect(|conn, _meta| {
                            Box::pin(async move {
                                // temp_store = MEMORY keeps savepoint journals in memory:
                                // writers that share a commit each run in a savepoint, and
                                // SQLite spilled those journals to a temporary file beyond
                                // 64 KiB, a write system call per page (a fifth of the
                                // writer's time in the registration benchmark).
                                // wal_autocheckpoint = 4000 copies the log back to the
                                // database every 16 MB instead of every 4 MB, so a hot page
                                // (an index's last leaf, the audit head) is copied once per
                                // checkpoint rather than four times.
                                conn.execute(
                                    "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; \
                                     PRAGMA busy_timeout = 10000; PRAGMA foreign_keys = ON; \
                                     PRAGMA cache_size = -32768; PRAGMA temp_store = MEMORY; \
                                     PRAGMA wal_autocheckpoint = 4000;",
                                )
                                .await?;
                                Ok(())
                            })
                        })
                };
                let writer = pool_options()
                    .max_connections(1)
                    .connect_with(options.clone())
                    .await
                    .map_err(connect_err)?;
                let reader = pool_options()
                    .max_connections(settings.max_connections)
                    .connect_with(options)
                    .await
                    .map_err(connect_err)?;
                Ok(Self {
                    backend: Backend::Sqlite,
                    reader,
                    writer,
                    location,
                })
            }
            Backend::Postgres => {
                let pool = AnyPoolOptions::new()
                    .max_connections(settings.max_connections)
                    .acquire_timeout(timeout)
                    .test_before_acquire(false)
                    .before_acquire(|conn, meta| {
                        Box::pin(async move {
                            if meta.idle_for >= PING_AFTER_IDLE {
                                conn.ping().await?;
                            }
                            Ok(true)
                        })
                    })
                    .connect_with(options)
                    .await
                    .map_err(connect_err)?;
                Ok(Self {
                    backend: Backend::Postgres,
                    reader: pool.clone(),
                    writer: pool,
                    location,
                })
            }
        }
    }

    /// A write transaction on its own connection, outside the shared commits of
    /// [`WriteTx`](crate::WriteTx): for bookkeeping that records no audit entry (delivery
    /// claims, runner leases, migrations).
    pub async fn begin_write(&self) -> Result<sqlx::Transaction<'static, sqlx::Any>, sqlx::Error> {
        self.writer.begin_with(self.begin_statement()).await
    }

    /// The statement that starts a write transaction.
    pub fn begin_statement(&self) -> &'static str {
        match self.backend {
            Backend::Sqlite => "BEGIN IMMEDIATE",
            Backend::Postgres => "BEGIN",
        }
    }

    pub async fn close(&self) {
        self.writer.close().await;
        self.reader.close().await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_name_their_engine_and_others_are_refused_without_the_password() {
        assert_eq!(
            Backend::of_url("postgres://u:p@h/db").unwrap(),
            Backend::Postgres
        );
        assert_eq!(
            Backend::of_url("sqlite:///tmp/x.db").unwrap(),
            Backend::Sqlite
        );
        let err = Backend::of_url("mysql://root:hunter2@h/db")
            .unwrap_err()
            .to_string();
        assert!(err.contains("mysql://root:***@h/db"), "{err}");
        assert!(!err.contains("hunter2"));
    }

    #[test]
    fn the_embedded_database_lives_in_the_data_directory() {
        let s = ConnectSettings::sqlite_in(Path::new("/srv/corral data"));
        assert!(s.url.starts_with("sqlite://"), "{}", s.url);
        assert!(s.url.contains("corral.db"), "{}", s.url);
        assert!(s.url.contains("mode=rwc"), "{}", s.url);
    }
}
