//! The audit log's tables: appending under a lock, reading back, verifying, proving.
//!
//! `audit_events` holds one row per entry: the event's fields, its RFC 6962 leaf hash, and the
//! signed head of the tree ending with it (root, key id, signature). `audit_head` holds one
//! row: the entry count and the tree's right edge ([`Frontier`]), which is all an append needs,
//! so appends cost O(log n) however long the log is.
//!
//! **Gapless under concurrency.** Sequence numbers must have no gaps and no duplicates even
//! with several writers, on PostgreSQL with several server processes too. An append first
//! locks the `audit_head` row (`SELECT … FOR UPDATE` on PostgreSQL; on SQLite the writer
//! already holds the database's write lock from `BEGIN IMMEDIATE`), then reads the size and
//! frontier, inserts the entries and stores the new head, and the transaction commits. A
//! second appender blocks on the row lock until the first commits and then reads the new
//! head; if the first rolls back, nothing it did is visible, so no number is skipped.
//!
//! The crypto (hashes, frontier, signatures, verification) is `corral-audit`'s; this file
//! only moves its inputs and outputs in and out of the database.

use chrono::{SubsecRound, Utc};
use corral_audit::merkle::{consistency_proof, inclusion_proof};
use corral_audit::proof::{CONSISTENCY_FORMAT, INCLUSION_FORMAT};
use corral_audit::{
    AppendedEntry, ConsistencyProof, Frontier, Hash, InclusionProof, LogVerifier, Problem,
    PublicKey, SignedCheckpoint, StoredEntry, StoredHead, VerifyReport,
};
use corral_model::AuditEvent;
use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};
use uuid::Uuid;

use crate::columns::{RowReader, json, parse_ts, ts, value_rows, value_rows_after};
use crate::database::Backend;
use crate::deferred_inserts::{self, DeferredInsert};
use crate::error::{Result, StoreError};
use crate::store::Store;
use crate::write_tx::AuditEntry;

/// Appends `entries` inside `tx` and returns them as logged, after inserting the rows
/// `deferred` (PostgreSQL only: see `deferred_inserts.rs`). Called by `WriteTx::commit`.
///
/// One statement in the usual case: the head moves, on the condition that it is still the one
/// this process stored last ([`HeadCache`]), and the entries go in. The condition compares the
/// whole stored frontier, so it holds only if the log is exactly as this process left it; if
/// another process (or a rolled-back transaction of this one) changed it, the head is read
/// and locked as described in the module documentation, and the entries are sequenced again
/// from it.
///
/// On SQLite the update and the insert are two statements sent in one request
/// ([`move_and_insert`]): every statement is a round trip to SQLite's worker thread while the
/// transaction holds the single writer, and on the registry benchmark those hand-offs, not
/// SQLite's own work, were most of the writer's time. On PostgreSQL they are one statement
/// ([`move_and_insert_with`]), which also inserts the deferred rows: each statement costs a
/// round trip and a pass through the backend's parser and executor.
pub(crate) async fn append(
    store: &Store,
    tx: &mut AnyConnection,
    entries: Vec<AuditEntry>,
    deferred: &[DeferredInsert],
) -> Result<Vec<AuditEvent>> {
    if let Some(head) = store.audit_head.get() {
        let appended = sequence(store, head.frontier.clone(), &entries)?;
        if appended.rows.len() <= ROWS {
            let moved = match store.pools.backend {
                Backend::Sqlite => move_and_insert(tx, &head, &appended).await?,
                Backend::Postgres
                    if deferred_inserts::value_count(deferred) <= deferred_inserts::MAX_VALUES =>
                {
                    // The deferred rows go in whether or not the head moved.
                    move_and_insert_with(tx, &head, &appended, deferred).await?
                }
                Backend::Postgres => {
                    deferred_inserts::insert_now(tx, deferred).await?;
                    move_and_insert_with(tx, &head, &appended, &[]).await?
                }
            };
            if moved {
                store.audit_head.set(appended.head);
                return Ok(appended.rows.into_iter().map(|(event, _)| event).collect());
            }
            return append_locked(store, tx, &entries).await;
        }
        deferred_inserts::insert_now(tx, deferred).await?;
        let moved = sqlx::query(
            "UPDATE audit_head SET size = $1, frontier = $2 \
             WHERE id = 1 AND size = $3 AND frontier = $4",
        )
        .bind(appended.head.size as i64)
        .bind(&appended.head.stored)
        .bind(head.size as i64)
        .bind(&head.stored)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if moved == 1 {
            return finish(store, tx, appended).await;
        }
        return append_locked(store, tx, &entries).await;
    }
    deferred_inserts::insert_now(tx, deferred).await?;
    append_locked(store, tx, &entries).await
}

/// PostgreSQL: in one statement, inserts the `deferred` rows, moves the head from `head` to
/// `appended`'s and inserts `appended`'s entries; whether the head was still `head` (else
/// only the deferred rows were written). The entries are inserted only if the update
/// returned the row it moved.
async fn move_and_insert_with(
    tx: &mut AnyConnection,
    head: &KnownHead,
    appended: &Sequenced,
    deferred: &[DeferredInsert],
) -> Result<bool> {
    let n = appended.rows.len();
    let (clauses, used) = deferred_inserts::with_clauses(deferred, 4);
    let sql = format!(
        "WITH {clauses}moved AS (UPDATE audit_head SET size = $1, frontier = $2 \
         WHERE id = 1 AND size = $3 AND frontier = $4 RETURNING id) \
         INSERT INTO audit_events ({AUDIT_EVENT_COLUMNS}) SELECT * FROM (VALUES {}) AS entries \
         WHERE EXISTS (SELECT 1 FROM moved)",
        value_rows_after(4 + used, n, 11)
    );
    let query = sqlx::query(&sql)
        .bind(appended.head.size as i64)
        .bind(&appended.head.stored)
        .bind(head.size as i64)
        .bind(&head.stored);
    let query = deferred_inserts::bind(query, deferred);
    let inserted = bind_entries(query, &appended.rows)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    match inserted {
        0 => Ok(false),
        c if c == n as u64 => Ok(true),
        c => Err(StoreError::AuditLog(format!(
            "appending {n} audit entries inserted {c} rows; run `corral audit verify`"
        ))),
    }
}

/// SQLite: moves the head from `head` to `appended`'s and inserts `appended`'s entries, in
/// one request of two statements; whether the head was still `head` (else nothing changed).
/// The insert is guarded on the head now being the new one, which it is only if the update
/// found the old one: no other sequence of entries ends in the same frontier.
async fn move_and_insert(
    tx: &mut AnyConnection,
    head: &KnownHead,
    appended: &Sequenced,
) -> Result<bool> {
    let n = appended.rows.len();
    let sql = format!(
        "UPDATE audit_head SET size = $1, frontier = $2 WHERE id = 1 AND size = $3 AND frontier = $4; \
         INSERT INTO audit_events ({AUDIT_EVENT_COLUMNS}) SELECT * FROM (VALUES {}) \
         WHERE EXISTS (SELECT 1 FROM audit_head WHERE id = 1 AND size = $1 AND frontier = $2)",
        value_rows_after(4, n, 11)
    );
    let query = sqlx::query(&sql)
        .bind(appended.head.size as i64)
        .bind(&appended.head.stored)
        .bind(head.size as i64)
        .bind(&head.stored);
    let changed = bind_entries(query, &appended.rows)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    match changed {
        0 => Ok(false),
        c if c == 1 + n as u64 => Ok(true),
        c => Err(StoreError::AuditLog(format!(
            "appending {n} audit entries changed {c} rows; run `corral audit verify`"
        ))),
    }
}

/// Reads and locks the head, then appends `entries` after it.
async fn append_locked(
    store: &Store,
    tx: &mut AnyConnection,
    entries: &[AuditEntry],
) -> Result<Vec<AuditEvent>> {
    let lock = match store.pools.backend {
        Backend::Postgres => "SELECT size, frontier FROM audit_head WHERE id = 1 FOR UPDATE",
        Backend::Sqlite => "SELECT size, frontier FROM audit_head WHERE id = 1",
    };
    let row = sqlx::query(lock)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| {
            StoreError::AuditLog(
                "the audit log's append state row is missing; run `corral audit verify`".into(),
            )
        })?;
    let frontier = read_head(&row).frontier.map_err(|reason| {
        StoreError::AuditLog(format!(
            "the audit log's stored append state is damaged ({reason}); run `corral audit verify`"
        ))
    })?;
    let appended = sequence(store, frontier, entries)?;
    sqlx::query("UPDATE audit_head SET size = $1, frontier = $2 WHERE id = 1")
        .bind(appended.head.size as i64)
        .bind(&appended.head.stored)
        .execute(&mut *tx)
        .await?;
    finish(store, tx, appended).await
}

/// Entries numbered, hashed and signed after `frontier`, and the head that follows them.
struct Sequenced {
    rows: Vec<(AuditEvent, AppendedEntry)>,
    head: KnownHead,
}

fn sequence(store: &Store, mut frontier: Frontier, entries: &[AuditEntry]) -> Result<Sequenced> {
    let mut rows = Vec::with_capacity(entries.len());
    for entry in entries {
        let event = AuditEvent {
            seq: frontier.size(),
            id: Uuid::now_v7(),
            at: Utc::now().trunc_subsecs(6),
            actor: entry.actor.clone(),
            action: entry.action.clone(),
            subject: entry.subject.clone(),
            data: entry.data.clone(),
        };
        let appended = corral_audit::append(&mut frontier, &event, &store.log_id, &store.signer)
            .map_err(|e| StoreError::AuditLog(format!("cannot append to the audit log: {e}")))?;
        rows.push((event, appended));
    }
    Ok(Sequenced {
        rows,
        head: KnownHead::of(frontier),
    })
}

/// Inserts the sequenced entries (the head has moved already) and remembers the new head.
async fn finish(
    store: &Store,
    tx: &mut AnyConnection,
    appended: Sequenced,
) -> Result<Vec<AuditEvent>> {
    for chunk in appended.rows.chunks(ROWS) {
        let sql = format!(
            "INSERT INTO audit_events ({AUDIT_EVENT_COLUMNS}) VALUES {}",
            value_rows(chunk.len(), 11)
        );
        bind_entries(sqlx::query(&sql), chunk)
            .execute(&mut *tx)
            .await?;
    }
    store.audit_head.set(appended.head);
    Ok(appended.rows.into_iter().map(|(event, _)| event).collect())
}

/// Entries per insert statement: 11 values each, well under both engines' limits.
const ROWS: usize = 500;

/// The columns of `audit_events`, in the order [`bind_entries`] binds them.
const AUDIT_EVENT_COLUMNS: &str =
    "seq, id, at, actor, action, subject, data, leaf_hash, tree_root, key_id, signature";

/// Binds each entry's eleven [`AUDIT_EVENT_COLUMNS`] values, in order.
fn bind_entries<'q>(
    mut query: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>,
    rows: &'q [(AuditEvent, AppendedEntry)],
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
    for (event, entry) in rows {
        query = query
            .bind(event.seq as i64)
            .bind(event.id.to_string())
            .bind(ts(event.at))
            .bind(&event.actor)
            .bind(&event.action)
            .bind(event.subject.as_deref())
            .bind(json(&event.data))
            .bind(entry.leaf_hash.to_string())
            .bind(entry.checkpoint.checkpoint.root.to_string())
            .bind(&entry.checkpoint.key_id)
            .bind(&entry.checkpoint.signature);
    }
    query
}

/// The audit head as this process last stored it: what the next append expects to find.
#[derive(Clone)]
pub(crate) struct KnownHead {
    size: u64,
    frontier: Frontier,
    /// The frontier exactly as stored in `audit_head.frontier`.
    stored: String,
}

impl KnownHead {
    fn of(frontier: Frontier) -> Self {
        Self {
            size: frontier.size(),
            stored: json(frontier.nodes()),
            frontier,
        }
    }
}

/// The head this process stored last, if any. It may be out of date (another process
/// appended, or the transaction that stored it rolled back): [`append`] only uses it under
/// the condition that the database still holds exactly it.
#[derive(Default)]
pub(crate) struct HeadCache(std::sync::Mutex<Option<KnownHead>>);

impl HeadCache {
    fn get(&self) -> Option<KnownHead> {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    fn set(&self, head: KnownHead) {
        *self.0.lock().unwrap_or_else(|e| e.into_inner()) = Some(head);
    }
}

fn read_head(row: &AnyRow) -> StoredHead {
    let size: i64 = row.try_get("size").unwrap_or(-1);
    let frontier = row
        .try_get::<String, _>("frontier")
        .map_err(|e| e.to_string())
        .and_then(|text| serde_json::from_str::<Vec<Hash>>(&text).map_err(|e| e.to_string()))
        .and_then(|nodes| {
            let size = u64::try_from(size).map_err(|_| format!("negative size {size}"))?;
            Frontier::from_parts(size, nodes).map_err(|e| e.to_string())
        });
    StoredHead { size, frontier }
}

/// One stored entry with everything kept beside it: the unit of `corral audit export`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditRecord {
    #[serde(flatten)]
    pub event: AuditEvent,
    pub leaf_hash: String,
    pub tree_root: String,
    pub key_id: String,
    pub signature: String,
}

pub(crate) const ENTRY_COLUMNS: &str =
    "seq, id, at, actor, action, subject, data, leaf_hash, tree_root, key_id, signature";

/// Rebuilds the event from its columns, or says which column does not parse.
fn event_of(row: &AnyRow) -> std::result::Result<AuditEvent, String> {
    let text = |c: &str| {
        row.try_get::<String, _>(c)
            .map_err(|e| format!("`{c}`: {e}"))
    };
    let seq: i64 = row.try_get("seq").map_err(|e| format!("`seq`: {e}"))?;
    Ok(AuditEvent {
        seq: u64::try_from(seq).map_err(|_| format!("`seq` is negative ({seq})"))?,
        id: Uuid::parse_str(&text("id")?).map_err(|e| format!("`id` is not a UUID: {e}"))?,
        at: parse_ts(&text("at")?).map_err(|e| format!("`at` is not a timestamp: {e}"))?,
        actor: text("actor")?,
        action: text("action")?,
        subject: row
            .try_get::<Option<String>, _>("subject")
            .map_err(|e| format!("`subject`: {e}"))?,
        data: serde_json::from_str(&text("data")?)
            .map_err(|e| format!("`data` is not JSON: {e}"))?,
    })
}

fn stored_entry(row: &AnyRow) -> StoredEntry {
    let text = |c: &str| row.try_get::<String, _>(c).unwrap_or_default();
    StoredEntry {
        seq: row.try_get("seq").unwrap_or(-1),
        event: event_of(row),
        leaf_hash: text("leaf_hash"),
        tree_root: text("tree_root"),
        key_id: text("key_id"),
        signature: text("signature"),
    }
}

pub(crate) fn record_of(row: &AnyRow) -> Result<AuditRecord> {
    let reader = RowReader::new(row, "audit_events", "seq");
    let event = event_of(row).map_err(|reason| reader.corrupt("*", reason))?;
    Ok(AuditRecord {
        event,
        leaf_hash: reader.text("leaf_hash")?,
        tree_root: reader.text("tree_root")?,
        key_id: reader.text("key_id")?,
        signature: reader.text("signature")?,
    })
}

fn checkpoint_of(log_id: &str, record: &AuditRecord) -> Result<SignedCheckpoint> {
    let root = record
        .tree_root
        .parse()
        .map_err(|e: corral_audit::hash::InvalidHash| StoreError::Corrupt {
            table: "audit_events",
            column: "tree_root",
            id: record.event.seq.to_string(),
            reason: e.to_string(),
        })?;
    Ok(SignedCheckpoint {
        checkpoint: corral_audit::Checkpoint {
            log_id: log_id.to_string(),
            tree_size: record.event.seq + 1,
            root,
            time: record.event.at,
        },
        key_id: record.key_id.clone(),
        signature: record.signature.clone(),
    })
}

/// What `verify_audit` checks beyond the database itself.
#[derive(Debug, Clone, Default)]
pub struct VerifyOptions {
    /// Public keys trusted in addition to this installation's own (other nodes, old keys).
    pub extra_trusted_keys: Vec<PublicKey>,
    /// Checkpoints kept outside the database that the log must still extend.
    pub checkpoints: Vec<SignedCheckpoint>,
}

/// Entries read per query while verifying or exporting.
const PAGE: i64 = 5000;

impl Store {
    /// The number of entries in the audit log.
    pub async fn audit_len(&self) -> Result<u64> {
        let row = sqlx::query("SELECT size FROM audit_head WHERE id = 1")
            .fetch_one(&self.pools.reader)
            .await?;
        Ok(u64::try_from(row.try_get::<i64, _>("size")?).unwrap_or(0))
    }

    /// Up to `limit` entries from `from_seq` on, oldest first.
    pub async fn audit_records(&self, from_seq: u64, limit: u32) -> Result<Vec<AuditRecord>> {
        let rows = sqlx::query(&format!(
            "SELECT {ENTRY_COLUMNS} FROM audit_events WHERE seq >= $1 ORDER BY seq LIMIT $2"
        ))
        .bind(from_seq as i64)
        .bind(i64::from(limit))
        .fetch_all(&self.pools.reader)
        .await?;
        rows.iter().map(record_of).collect()
    }

    /// The audit entries about `subject` (usually an asset id), oldest first.
    pub async fn audit_records_for(&self, subject: &str, limit: u32) -> Result<Vec<AuditRecord>> {
        let rows = sqlx::query(&format!(
            "SELECT {ENTRY_COLUMNS} FROM audit_events WHERE subject = $1 ORDER BY seq LIMIT $2"
        ))
        .bind(subject)
        .bind(i64::from(limit))
        .fetch_all(&self.pools.reader)
        .await?;
        rows.iter().map(record_of).collect()
    }

    /// One entry by its event id.
    pub async fn audit_record(&self, event_id: Uuid) -> Result<Option<AuditRecord>> {
        let row = sqlx::query(&format!(
            "SELECT {ENTRY_COLUMNS} FROM audit_events WHERE id = $1"
        ))
        .bind(event_id.to_string())
        .fetch_optional(&self.pools.reader)
        .await?;
        row.as_ref().map(record_of).transpose()
    }

    /// The signed head after the newest entry (`None` for an empty log).
    pub async fn latest_checkpoint(&self) -> Result<Option<SignedCheckpoint>> {
        let row = sqlx::query(&format!(
            "SELECT {ENTRY_COLUMNS} FROM audit_events ORDER BY seq DESC LIMIT 1"
        ))
        .fetch_optional(&self.pools.reader)
        .await?;
        match row {
            None => Ok(None),
            Some(row) => Ok(Some(checkpoint_of(&self.log_id, &record_of(&row)?)?)),
        }
    }

    /// Recomputes the whole log from the stored entries and checks every signed head, the
    /// append state, and any checkpoints kept outside. See [`corral_audit::verify`].
    ///
    /// Reads one consistent snapshot, so appends running at the same time do not disturb it.
    pub async fn verify_audit(&self, options: VerifyOptions) -> Result<VerifyReport> {
        let mut trusted = vec![self.signer.public_key()];
        trusted.extend(options.extra_trusted_keys);
        let mut verifier = LogVerifier::new(self.log_id.to_string(), trusted);
        let mut early_problem: Option<Problem> = None;
        for cp in options.checkpoints {
            if let Err(problem) = verifier.expect_checkpoint(cp) {
                early_problem.get_or_insert(problem);
            }
        }
        let begin = match self.pools.backend {
            Backend::Sqlite => "BEGIN",
            Backend::Postgres => "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
        };
        let mut tx = self.pools.reader.begin_with(begin).await?;
        let head = sqlx::query("SELECT size, frontier FROM audit_head WHERE id = 1")
            .fetch_optional(&mut *tx)
            .await?
            .as_ref()
            .map(read_head);
        // Page by position in seq order, not by seq value: a tampered seq must not make the
        // reader skip or repeat rows.
        let mut offset = 0i64;
        loop {
            let rows = sqlx::query(&format!(
                "SELECT {ENTRY_COLUMNS} FROM audit_events ORDER BY seq LIMIT $1 OFFSET $2"
            ))
            .bind(PAGE)
            .bind(offset)
            .fetch_all(&mut *tx)
            .await?;
            for row in &rows {
                verifier.push(stored_entry(row));
            }
            if (rows.len() as i64) < PAGE {
                break;
            }
            offset += PAGE;
        }
        tx.rollback().await?;
        let mut report = verifier.finish(head);
        if let Some(problem) = early_problem {
            report.first_problem.get_or_insert(problem);
        }
        Ok(report)
    }

    /// The stored leaf hashes, in order, for the first `size` entries.
    async fn leaf_hashes(&self, size: u64) -> Result<Vec<Hash>> {
        let mut leaves = Vec::with_capacity(size as usize);
        let mut from = 0i64;
        while (leaves.len() as u64) < size {
            let rows = sqlx::query(
                "SELECT seq, leaf_hash FROM audit_events WHERE seq >= $1 AND seq < $2 \
                 ORDER BY seq LIMIT $3",
            )
            .bind(from)
            .bind(size as i64)
            .bind(PAGE * 4)
            .fetch_all(&self.pools.reader)
            .await?;
            if rows.is_empty() {
                break;
            }
            for row in &rows {
                let reader = RowReader::new(row, "audit_events", "seq");
                let seq = reader.int("seq")?;
                if seq != leaves.len() as i64 {
                    return Err(damaged(format!("entry {} is missing", leaves.len())));
                }
                let hash = reader
                    .text("leaf_hash")?
                    .parse()
                    .map_err(|e| reader.corrupt("leaf_hash", e))?;
                leaves.push(hash);
                from = seq + 1;
            }
        }
        if (leaves.len() as u64) != size {
            return Err(damaged(format!(
                "it has {} entries where its newest head counts {size}",
                leaves.len()
            )));
        }
        Ok(leaves)
    }

    /// An inclusion proof for `event_id` against the newest signed head, checked before it is
    /// returned. `None` when there is no such event.
    pub async fn inclusion_proof(&self, event_id: Uuid) -> Result<Option<InclusionProof>> {
        let Some(record) = self.audit_record(event_id).await? else {
            return Ok(None);
        };
        let checkpoint = self
            .latest_checkpoint()
            .await?
            .ok_or_else(|| damaged("it has no signed head".into()))?;
        let size = checkpoint.checkpoint.tree_size;
        let leaves = self.leaf_hashes(size).await?;
        let index = record.event.seq;
        let audit_path = inclusion_proof(&leaves, index)
            .map_err(|e| damaged(format!("cannot build the proof: {e}")))?;
        let proof = InclusionProof {
            format: INCLUSION_FORMAT.into(),
            event_id: record.event.id.to_string(),
            leaf_index: index,
            tree_size: size,
            entry: String::from_utf8(record.event.canonical_bytes())
                .expect("canonical bytes are JSON text"),
            leaf_hash: leaves[index as usize],
            audit_path,
            checkpoint,
            public_key: self.signer.public_key(),
        };
        proof
            .check(Some(&self.signer.public_key()))
            .map_err(|e| damaged(format!("the proof it yields does not check: {e}")))?;
        Ok(Some(proof))
    }

    /// A consistency proof from the head after `old_size` entries to the newest head.
    pub async fn consistency_proof(&self, old_size: u64) -> Result<ConsistencyProof> {
        let new = self
            .latest_checkpoint()
            .await?
            .ok_or_else(|| damaged("it has no signed head".into()))?;
        let new_size = new.checkpoint.tree_size;
        if old_size == 0 || old_size > new_size {
            return Err(StoreError::Invalid(format!(
                "the earlier size must be between 1 and the log's size {new_size}, not {old_size}"
            )));
        }
        let old_row = sqlx::query(&format!(
            "SELECT {ENTRY_COLUMNS} FROM audit_events WHERE seq = $1"
        ))
        .bind(old_size as i64 - 1)
        .fetch_optional(&self.pools.reader)
        .await?
        .ok_or_else(|| damaged(format!("entry {} is missing", old_size - 1)))?;
        let old = checkpoint_of(&self.log_id, &record_of(&old_row)?)?;
        let leaves = self.leaf_hashes(new_size).await?;
        let proof = ConsistencyProof {
            format: CONSISTENCY_FORMAT.into(),
            old,
            new,
            proof: consistency_proof(&leaves, old_size)
                .map_err(|e| damaged(format!("cannot build the proof: {e}")))?,
            public_key: self.signer.public_key(),
        };
        proof
            .check(Some(&self.signer.public_key()))
            .map_err(|e| damaged(format!("the proof it yields does not check: {e}")))?;
        Ok(proof)
    }
}

fn damaged(why: String) -> StoreError {
    StoreError::AuditLog(format!(
        "the audit log is damaged: {why}; run `corral audit verify` to find the first bad entry"
    ))
}
