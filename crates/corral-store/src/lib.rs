//! Corral's persistence: the registry, the workflow's records, people, API tokens, the
//! notification outbox and the tamper-evident audit log, on SQLite or PostgreSQL.
//!
//! # Opening
//!
//! ```no_run
//! # async fn example() -> corral_store::Result<()> {
//! // `corral.db` in the data directory, or a database URL (`postgres://…`).
//! let store = corral_store::Store::open(std::path::Path::new("/var/lib/corral"), None).await?;
//! # Ok(()) }
//! ```
//!
//! Opening creates the data directory (0700), the audit signing key (0600), and the
//! database, and applies migrations. A database whose schema is newer than this binary is
//! refused ([`StoreError::SchemaTooNew`]).
//!
//! # Reading and writing
//!
//! Reads are `async` methods on [`Store`]: [`Store::asset`], [`Store::list_assets`] (filters,
//! sort, page, total), [`Store::open_reviews`], [`Store::decisions_for_asset`],
//! [`Store::authenticate_token`], [`Store::verify_audit`]…
//!
//! Every change goes through a [`WriteTx`] from [`Store::begin`]: call the mutation methods
//! ([`WriteTx::insert_asset`], [`WriteTx::update_asset`], [`WriteTx::open_review`],
//! [`WriteTx::append_decision`], [`WriteTx::apply_handover`], [`WriteTx::issue_token`],
//! [`WriteTx::enqueue_event`]…), describe the change with [`WriteTx::audit`], and
//! [`WriteTx::commit`]. The change, its audit entries and its notification events commit
//! together or not at all, and a change without an audit entry is refused.
//!
//! # One SQL for two engines
//!
//! Queries go through sqlx's `Any` driver: each statement is written once with `$1`
//! placeholders, which SQLite and PostgreSQL both accept, and every column is `TEXT` or
//! `BIGINT` (timestamps as fixed-width UTC text, UUIDs as text, structured values as JSON
//! text), so a value reads back the same from either engine. The handful of engine
//! differences (`BEGIN IMMEDIATE`, `FOR UPDATE`, `SKIP LOCKED`, advisory locks) are
//! branches on [`Backend`]. The alternative, one typed implementation per engine, would
//! double every query for no gain here: none of the queries needs an engine-specific type.
//! The one integration suite runs against both engines.
//!
//! # Files
//!
//! [`database`] (connecting, pools), [`schema`] (migrations), [`columns`] (value encoding),
//! [`write_tx`] (units of work, sharing SQLite commits through `group_commit`), [`assets`],
//! [`reviews`], [`decisions`], [`people`], [`tokens`], [`outbox`], [`audit_log`], [`gate`] (the
//! package gate's decisions and requests); for the job runner [`runner_jobs`], [`runner_runs`]
//! (the multi-node [`RunnerStore`]), [`job_secrets`] and [`heartbeat_checks`]; for the web
//! console [`console_accounts`], [`console_sessions`], [`sign_in_failures`],
//! [`registry_summary`] (dashboard aggregates), [`audit_filter`] (browsing the log) and
//! [`job_health`] (jobs with their latest runs, run and heartbeat counts); for uploaded
//! scans and dependency monitoring [`scans`], [`findings`] (per asset, with their history),
//! [`finding_stats`] (counts per severity and the daily trend), [`inventory`] (components and
//! "who uses package X") and [`advisory_matches`].

pub mod advisory_matches;
pub mod assets;
pub mod audit_filter;
pub mod audit_log;
pub mod columns;
pub mod console_accounts;
pub mod console_sessions;
pub mod count_cache;
pub mod database;
pub mod decisions;
mod deferred_inserts;
pub mod error;
pub mod finding_stats;
pub mod findings;
mod flush_after_commit;
pub mod gate;
pub mod gate_decision_filter;
mod group_commit;
pub mod heartbeat_checks;
pub mod inventory;
pub mod job_health;
pub mod job_secrets;
pub mod outbox;
pub mod people;
pub mod registry_summary;
pub mod reviews;
pub mod runner_jobs;
pub mod runner_runs;
pub mod scans;
pub mod schema;
#[cfg(feature = "test-support")]
pub mod scratch_database;
pub mod search_terms;
pub mod settings;
pub mod sign_in_failures;
mod statistics;
pub mod store;
pub mod tokens;
pub mod write_tx;

pub use assets::{AssetPage, AssetQuery, AssetSort};
pub use audit_filter::AuditFilter;
pub use audit_log::{AuditRecord, VerifyOptions};
pub use console_accounts::{ConsoleAccount, ConsoleCredentials};
pub use console_sessions::{ConsoleSession, NewSession, SessionLookup, SessionSecret};
pub use database::{Backend, SQLITE_FILE_NAME};
pub use error::{Conflict, ConflictField, Result, StoreError};
pub use findings::{FindingChanges, FindingInput, FindingPage, FindingQuery, MonitorChange};
pub use gate::{GateDecision, GateRequest, GateRequestStatus};
pub use gate_decision_filter::{GateDecisionFilter, GateRuleCount};
pub use inventory::{InventoryItem, InventoryState, PackageUsePage};
pub use job_secrets::{JobSecretInfo, StoreSecrets};
pub use outbox::{ClaimedDelivery, Delivery, DeliveryOutcome, DeliveryStatus};
pub use people::Person;
pub use registry_summary::{BreakdownRow, OwnerPage, OwnerSummary, RegistryBreakdown};
pub use runner_runs::RunnerStore;
#[cfg(feature = "test-support")]
pub use scratch_database::ScratchDatabase;
pub use sign_in_failures::FailureCount;
pub use store::{SharedCommits, Store, StoreOptions};
pub use tokens::{ApiToken, IssuedToken, NewToken, TOKEN_PREFIX, TokenSecret};
pub use write_tx::{AuditEntry, WriteTx};

/// The audit crate, re-exported so callers name one version of its types.
pub use corral_audit;
