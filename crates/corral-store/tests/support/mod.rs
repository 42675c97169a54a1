//! Test databases: every test gets a fresh SQLite file, and a fresh PostgreSQL database when
//! `CORRAL_TEST_DATABASE_URL` is set (created for the test and dropped after it, so runs
//! never see each other's data).

#![allow(dead_code)] // each test binary uses its own subset

use std::path::PathBuf;

use chrono::{DateTime, Utc};
use corral_model::{Asset, AssetDraft, DataTier, DeploymentStatus};
use corral_store::{Backend, ScratchDatabase, Store, StoreOptions};
use sqlx::any::AnyPoolOptions;
use sqlx::{AnyPool, Executor};
use uuid::Uuid;

pub struct TestDb {
    pub store: Store,
    pub dir: tempfile::TempDir,
    /// URL of the database, for opening more stores or raw connections.
    pub url: String,
    /// Drops the PostgreSQL database when the test ends.
    _scratch: Option<ScratchDatabase>,
}

impl TestDb {
    pub fn backend(&self) -> Backend {
        self.store.backend()
    }

    /// A raw connection pool, for changing the database behind the store's back.
    pub async fn raw(&self) -> AnyPool {
        sqlx::any::install_default_drivers();
        AnyPoolOptions::new()
            .max_connections(1)
            .connect(&self.url)
            .await
            .expect("raw connection")
    }

    /// Runs raw SQL statements (tampering, fixtures).
    pub async fn sql(&self, statements: &str) {
        let pool = self.raw().await;
        pool.execute(sqlx::raw_sql(statements))
            .await
            .unwrap_or_else(|e| panic!("{statements}: {e}"));
        pool.close().await;
    }

    /// Another store on the same database and data directory, like a second process.
    pub async fn reopen(&self) -> corral_store::Result<Store> {
        Store::open_with(StoreOptions::new(self.dir.path()).database_url(Some(&self.url))).await
    }

    pub fn data_dir(&self) -> PathBuf {
        self.dir.path().to_path_buf()
    }
}

pub async fn sqlite() -> TestDb {
    let dir = tempfile::tempdir().unwrap();
    let url = format!(
        "sqlite://{}?mode=rwc",
        dir.path().join(corral_store::SQLITE_FILE_NAME).display()
    );
    let store = Store::open(dir.path(), None)
        .await
        .expect("open sqlite store");
    TestDb {
        store,
        dir,
        url,
        _scratch: None,
    }
}

/// A fresh PostgreSQL database, or `None` (with a notice) when none is configured.
pub async fn postgres() -> Option<TestDb> {
    let scratch = ScratchDatabase::from_env().await?;
    let url = scratch.url.clone();
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_with(StoreOptions::new(dir.path()).database_url(Some(&url)))
        .await
        .expect("open postgres store");
    Some(TestDb {
        store,
        dir,
        url,
        _scratch: Some(scratch),
    })
}

/// Runs a test body against SQLite and, when configured, PostgreSQL: one module per
/// behaviour, with a `sqlite` and a `postgres` test inside.
#[macro_export]
macro_rules! on_both_backends {
    ($name:ident, $body:path) => {
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                $body(super::support::sqlite().await).await
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                if let Some(db) = super::support::postgres().await {
                    $body(db).await
                }
            }
        }
    };
}

pub fn now() -> DateTime<Utc> {
    use chrono::SubsecRound;
    Utc::now().trunc_subsecs(6)
}

pub fn draft(name: &str) -> AssetDraft {
    AssetDraft {
        name: name.into(),
        purpose: format!("Builds the {name} report for the weekly sales meeting."),
        creator_email: "ana@example.com".into(),
        department: "Sales".into(),
        data_tier: Some(DataTier::Internal),
        ai_tool: Some("Claude Code 2.1".parse().unwrap()),
        status: Some(DeploymentStatus::Development),
        ..Default::default()
    }
}

pub fn asset_from(draft: AssetDraft) -> Asset {
    Asset::from_draft(
        draft.validate().expect("valid draft"),
        Uuid::now_v7(),
        now(),
    )
}

pub fn asset(name: &str) -> Asset {
    asset_from(draft(name))
}

/// Registers `asset` with its audit entry, as the server would.
pub async fn register(store: &Store, asset: &Asset) {
    let mut tx = store.begin().await.unwrap();
    tx.insert_asset(asset).await.unwrap();
    tx.audit(
        corral_store::AuditEntry::new(asset.creator_email.clone(), "asset.registered")
            .subject(asset.id.to_string())
            .data(serde_json::json!({"name": asset.name, "data_tier": asset.data_tier})),
    );
    tx.commit().await.unwrap();
}
