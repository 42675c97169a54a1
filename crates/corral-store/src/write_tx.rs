//! [`WriteTx`]: one unit of work, committed together with its audit entries.
//!
//! Every state change in Corral is audited, and the change and its audit entry must never be
//! separated: a registration without its log entry, or a log entry for a registration that
//! rolled back, would both make the log lie. So changes are only possible through a
//! `WriteTx`, which
//!
//! - runs every statement in one database transaction (on SQLite, a savepoint of a
//!   transaction it may share with other writers that queued up: see `group_commit.rs`),
//! - collects the audit entries given to [`WriteTx::audit`] and the outbox events given to
//!   [`WriteTx::enqueue_event`] (on PostgreSQL its decisions too: see `deferred_inserts.rs`),
//! - at [`WriteTx::commit`], stores the events, appends the entries to the Merkle log (taking the log's append lock as
//!   the *last* lock of the transaction, so it is held only for the append and the commit,
//!   and lock order is the same for everyone) and commits (on PostgreSQL releasing the lock
//!   before the disk flush and waiting for the flush after: see `flush_after_commit.rs`), and
//! - refuses to commit ([`StoreError::Unaudited`]) a transaction that changed something but
//!   recorded no audit entry.
//!
//! Dropping a `WriteTx` without committing rolls everything back.
//!
//! ```no_run
//! # async fn example(store: &corral_store::Store, asset: &corral_model::Asset) -> corral_store::Result<()> {
//! use corral_store::AuditEntry;
//! let mut tx = store.begin().await?;
//! tx.insert_asset(asset).await?;
//! tx.audit(
//!     AuditEntry::new("ana@example.com", "asset.registered")
//!         .subject(asset.id.to_string())
//!         .data(serde_json::json!({"name": asset.name, "data_tier": asset.data_tier})),
//! );
//! let logged = tx.commit().await?; // the appended AuditEvents, with their sequence numbers
//! # Ok(()) }
//! ```

use std::ops::{Deref, DerefMut};

use corral_model::AuditEvent;
use sqlx::{Any, AnyConnection, Transaction};

use crate::audit_log;
use crate::database::Backend;
use crate::deferred_inserts::{self, DeferredInsert, Value};
use crate::error::{Result, StoreError};
use crate::finding_stats::{self, OpenFindingTally};
use crate::flush_after_commit;
use crate::group_commit::Member;
use crate::outbox;
use crate::store::Store;

/// An audit entry to append when the transaction commits. The sequence number, id and time
/// are assigned at append.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditEntry {
    /// Who did it: an e-mail, a token name, or `policy`/`system`.
    pub actor: String,
    /// What happened, as `noun.verb`: `asset.registered`, `review.approved`, `token.issued`…
    pub action: String,
    /// What it happened to, usually an asset id.
    pub subject: Option<String>,
    /// The facts of the change. Never secrets.
    pub data: serde_json::Value,
}

impl AuditEntry {
    pub fn new(actor: impl Into<String>, action: impl Into<String>) -> Self {
        Self {
            actor: actor.into(),
            action: action.into(),
            subject: None,
            data: serde_json::Value::Object(Default::default()),
        }
    }

    pub fn subject(mut self, subject: impl Into<String>) -> Self {
        self.subject = Some(subject.into());
        self
    }

    pub fn data(mut self, data: serde_json::Value) -> Self {
        self.data = data;
        self
    }
}

/// A unit of work: see the module documentation.
pub struct WriteTx<'s> {
    pub(crate) store: &'s Store,
    pub(crate) tx: TxConnection,
    pending: Vec<AuditEntry>,
    /// Outbox events and their targets, stored at commit (see `outbox.rs`).
    pub(crate) events: Vec<(corral_model::Event, Vec<String>)>,
    /// PostgreSQL: rows inserted at commit, with the audit append (see `deferred_inserts.rs`).
    deferred: Vec<DeferredInsert>,
    changed: bool,
    /// How this transaction changes the number of open findings per severity (see
    /// `finding_stats.rs`), applied at commit.
    open_findings: OpenFindingTally,
}

impl Store {
    /// Starts a unit of work. On SQLite this waits for the single writer; on PostgreSQL it
    /// starts an ordinary transaction.
    pub async fn begin(&self) -> Result<WriteTx<'_>> {
        let tx = match &self.group_commit {
            Some(group) => TxConnection::Grouped(group.begin().await?),
            None if self.flush_after_commit => TxConnection::Own(
                self.pools
                    .writer
                    .begin_with(flush_after_commit::BEGIN_WITHOUT_FLUSH)
                    .await?,
            ),
            None => TxConnection::Own(self.pools.begin_write().await?),
        };
        Ok(WriteTx {
            store: self,
            tx,
            pending: Vec::new(),
            events: Vec::new(),
            deferred: Vec::new(),
            changed: false,
            open_findings: OpenFindingTally::default(),
        })
    }
}

impl WriteTx<'_> {
    /// Records what this transaction does, for the audit log. Call at least once for any
    /// transaction that changes state.
    pub fn audit(&mut self, entry: AuditEntry) {
        self.pending.push(entry);
    }

    /// Marks the transaction as having changed state (every mutation method calls this).
    pub(crate) fn mark_changed(&mut self) {
        self.changed = true;
    }

    /// Inserts `row` into `table` at commit (PostgreSQL only: see `deferred_inserts.rs`).
    pub(crate) fn defer(&mut self, table: &'static str, columns: &'static str, row: Vec<Value>) {
        match self.deferred.iter_mut().find(|d| d.table == table) {
            Some(insert) => insert.rows.push(row),
            None => self.deferred.push(DeferredInsert {
                table,
                columns,
                rows: vec![row],
            }),
        }
    }

    /// Writes the deferred rows now: for reads and updates inside the transaction that must
    /// see them.
    pub(crate) async fn insert_deferred(&mut self) -> Result<()> {
        if !self.deferred.is_empty() {
            let deferred = std::mem::take(&mut self.deferred);
            deferred_inserts::insert_now(&mut self.tx, &deferred).await?;
        }
        Ok(())
    }

    /// Counts `delta` more (or fewer) open findings at `severity`.
    pub(crate) fn tally(&mut self, severity: corral_model::Severity, delta: i64) {
        self.open_findings.add(severity, delta);
    }

    /// Appends the audit entries and commits everything; returns the appended events.
    pub async fn commit(mut self) -> Result<Vec<AuditEvent>> {
        if self.changed && self.pending.is_empty() {
            self.tx.rollback().await?;
            return Err(StoreError::Unaudited);
        }
        if !self.open_findings.is_zero() {
            let tally = std::mem::take(&mut self.open_findings);
            finding_stats::apply_tally(&mut self.tx, &tally, chrono::Utc::now()).await?;
        }
        let mut deferred = std::mem::take(&mut self.deferred);
        if !self.events.is_empty() {
            let events = std::mem::take(&mut self.events);
            match self.store.backend() {
                Backend::Postgres => deferred.extend(outbox::deferred_events(&events)),
                Backend::Sqlite => outbox::store_events(&mut self.tx, &events).await?,
            }
        }
        // On PostgreSQL, writers of this process take turns from the append to the commit.
        // They would queue there anyway, on the lock of the audit head row; queued here
        // instead, each finds the head exactly as the one before it left it, so the append's
        // conditional update succeeds at once, where after waiting for the row it found the
        // head moved and had to read and lock it again: two more statements per write. (On
        // SQLite the single writer already runs one at a time.)
        let turn = match (&self.tx, self.pending.is_empty()) {
            (TxConnection::Own(_), false) => Some(self.store.append_turn.lock().await),
            _ => None,
        };
        let events = if self.pending.is_empty() {
            deferred_inserts::insert_now(&mut self.tx, &deferred).await?;
            Vec::new()
        } else {
            let entries = std::mem::take(&mut self.pending);
            audit_log::append(self.store, &mut self.tx, entries, &deferred).await?
        };
        let flush = matches!(self.tx, TxConnection::Own(_)) && self.store.flush_after_commit;
        self.tx.commit().await?;
        drop(turn);
        if flush {
            flush_after_commit::flush(&self.store.pools.writer)
                .await
                .map_err(|err| {
                    StoreError::CommitFailed(format!(
                        "the change was committed, but the database did not confirm that it \
                         reached the disk: {err}"
                    ))
                })?;
        }
        if let Some(last) = events.last() {
            self.store.log_grew_to(last.seq + 1);
        }
        Ok(events)
    }

    /// Abandons every change.
    pub async fn rollback(self) -> Result<()> {
        self.tx.rollback().await?;
        Ok(())
    }
}

/// The connection a [`WriteTx`] works on: its own transaction, or its savepoint in a shared
/// SQLite transaction.
pub(crate) enum TxConnection {
    Own(Transaction<'static, Any>),
    Grouped(Member),
}

impl TxConnection {
    async fn commit(self) -> Result<()> {
        match self {
            TxConnection::Own(tx) => Ok(tx.commit().await?),
            TxConnection::Grouped(member) => member.commit().await,
        }
    }

    async fn rollback(self) -> Result<()> {
        match self {
            TxConnection::Own(tx) => Ok(tx.rollback().await?),
            TxConnection::Grouped(member) => member.rollback().await,
        }
    }
}

impl Deref for TxConnection {
    type Target = AnyConnection;

    fn deref(&self) -> &AnyConnection {
        match self {
            TxConnection::Own(tx) => tx,
            TxConnection::Grouped(member) => member.conn_ref(),
        }
    }
}

impl DerefMut for TxConnection {
    fn deref_mut(&mut self) -> &mut AnyConnection {
        match self {
            TxConnection::Own(tx) => tx,
            TxConnection::Grouped(member) => member.conn(),
        }
    }
}
