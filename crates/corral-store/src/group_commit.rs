//! Group commit: SQLite write transactions that queue up share one database commit.
//!
//! SQLite has a single writer. Every commit appends each page the transaction changed to the
//! write-ahead log, and every thousand pages or so the log is copied back into the database
//! file. A registration changes about thirty pages (the asset row and its thirteen index
//! entries, its words, its decision, its outbox event, its audit entry and the audit head), so
//! under a queue of registrations most of the writer's time went to writing the same hot
//! pages again, once per commit: a profile of the registry benchmark showed 63% of the
//! server's CPU on SQLite's worker thread, two fifths of it in commits and checkpoints.
//!
//! So when writers queue, they share a transaction. The first writer opens it (`BEGIN
//! IMMEDIATE`) and does its work inside a savepoint; when it finishes and another writer is
//! already waiting, it releases its savepoint, leaves the transaction open and hands the
//! connection on. The next writer works inside its own savepoint in the same transaction, and
//! so on, until a writer finishes with nobody waiting behind it (or the batch reaches
//! [`MAX_MEMBERS`]): that writer commits, once, for everybody. With nothing queued, every
//! transaction commits on its own, exactly as before.
//!
//! What each writer can rely on:
//! - [`Member::commit`] returns only after the database commit that includes its work. If
//!   that commit fails, every member of the batch gets the error and none of their work is
//!   stored.
//! - A member that fails, rolls back or is dropped is rolled back to its savepoint: its own
//!   work disappears, the batch's other work stays.
//! - A member sees the work of earlier members of its batch. That work commits together with
//!   its own or not at all, so nothing it reads can turn out not to have happened.
//! - A batch never waits for a writer that gave up: a watchdog commits it [`LINGER`] after
//!   its first member finished if nobody is waiting any more.
//!
//! PostgreSQL has real concurrent writers and commits each transaction on its own: the
//! mechanism works there too (savepoints behave the same), but funnelling every writer of a
//! process through one connection serialised their statements' network round trips, and the
//! registry benchmark ran slower than with a connection per writer.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::Duration;

use sqlx::any::AnyTransactionManager;
use sqlx::pool::PoolConnection;
use sqlx::{Any, AnyConnection, AnyPool, TransactionManager};
use tokio::sync::{Mutex, OwnedMutexGuard, watch};

use crate::error::{Result, StoreError};

/// Most members one shared transaction takes, so a steady queue still commits regularly.
pub const MAX_MEMBERS: usize = 64;

/// How long a batch whose members all finished may wait for a writer that was queued.
pub const LINGER: Duration = Duration::from_millis(5);

/// The writer of one SQLite database. Cheap to clone.
#[derive(Clone)]
pub(crate) struct GroupCommit {
    shared: Arc<Shared>,
}

struct Shared {
    /// Where the shared transactions' connection comes from.
    pool: AnyPool,
    /// The statement that opens a shared transaction.
    begin: &'static str,
    /// The open batch, if any. Held by the member at work, or by whoever decides a batch's fate.
    slot: Arc<Mutex<Slot>>,
    /// Writers waiting in [`GroupCommit::begin`] for the slot.
    waiting: AtomicUsize,
    next_batch: AtomicU64,
    /// Members whose work was committed, and the commits that stored it.
    committed_writes: AtomicU64,
    commits: AtomicU64,
}

#[derive(Default)]
struct Slot {
    batch: Option<Batch>,
}

/// One shared transaction.
struct Batch {
    id: u64,
    conn: PoolConnection<Any>,
    /// Members whose work is in the transaction, waiting for it to commit.
    members: usize,
    /// Whether a watchdog already looks after this batch.
    watched: bool,
    /// How the batch ended: `None` while open.
    outcome: watch::Sender<Option<Outcome>>,
}

/// How a batch ended, for every member: an error is the database's message.
type Outcome = std::result::Result<(), Arc<str>>;

/// Counts a writer as waiting for as long as it is alive, even if its future is dropped.
struct Waiting<'a>(&'a AtomicUsize);

impl<'a> Waiting<'a> {
    fn enter(counter: &'a AtomicUsize) -> Self {
        counter.fetch_add(1, Ordering::AcqRel);
        Self(counter)
    }
}

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

impl GroupCommit {
    pub(crate) fn new(pool: AnyPool, begin: &'static str) -> Self {
        Self {
            shared: Arc::new(Shared {
                pool,
                begin,
                slot: Arc::default(),
                waiting: AtomicUsize::new(0),
                next_batch: AtomicU64::new(0),
                committed_writes: AtomicU64::new(0),
                commits: AtomicU64::new(0),
            }),
        }
    }

    /// Waits for the writer, then starts a member: a savepoint in the open batch, or in a new
    /// one.
    pub(crate) async fn begin(&self) -> Result<Member> {
        let group = self.clone();
        uncancellable(async move { group.begin_member().await }).await
    }

    async fn begin_member(&self) -> Result<Member> {
        let guard = {
            let _waiting = Waiting::enter(&self.shared.waiting);
            self.shared.slot.clone().lock_owned().await
        };
        let mut member = Member {
            group: self.clone(),
            guard: Some(guard),
            active: false,
        };
        let slot = member.slot();
        if slot.batch.is_none() {
            let mut conn = self.shared.pool.acquire().await?;
            AnyTransactionManager::begin(&mut conn, Some(self.shared.begin.into())).await?;
            slot.batch = Some(Batch {
                id: self.shared.next_batch.fetch_add(1, Ordering::Relaxed),
                conn,
                members: 0,
                watched: false,
                outcome: watch::channel(None).0,
            });
        }
        let batch = slot.batch.as_mut().expect("a batch was just ensured");
        if let Err(err) = AnyTransactionManager::begin(&mut batch.conn, None).await {
            // The shared transaction is in a state we cannot vouch for.
            fail_batch(slot, &err);
            return Err(err.into());
        }
        member.active = true;
        Ok(member)
    }

    pub(crate) fn waiting(&self) -> usize {
        self.shared.waiting.load(Ordering::Acquire)
    }

    /// Write transactions committed so far, and the database commits they took.
    pub(crate) fn counts(&self) -> (u64, u64) {
        (
            self.shared.committed_writes.load(Ordering::Relaxed),
            self.shared.commits.load(Ordering::Relaxed),
        )
    }

    /// Commits batch `id` once nobody is waiting to join it, if a member finished and left
    /// it open. Runs as its own task, so it holds even when every member's request is
    /// dropped.
    fn watch(&self, id: u64) {
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            // No runtime to wait on: the next writer in this process commits the batch.
            return;
        };
        let group = self.clone();
        runtime.spawn(async move {
            loop {
                tokio::time::sleep(LINGER).await;
                let mut slot = group.shared.slot.clone().lock_owned().await;
                let still_open = slot.batch.as_ref().is_some_and(|batch| batch.id == id);
                if !still_open {
                    return;
                }
                if group.waiting() == 0 {
                    group.commit_batch(&mut slot).await;
                    return;
                }
            }
        });
    }
}

/// One writer's unit of work inside a (possibly shared) transaction.
pub(crate) struct Member {
    group: GroupCommit,
    /// The slot, held from `begin` until the member finishes.
    guard: Option<OwnedMutexGuard<Slot>>,
    /// Whether this member's savepoint is open.
    active: bool,
}

impl Member {
    fn slot(&mut self) -> &mut Slot {
        self.guard
            .as_mut()
            .expect("a member holds the slot until it finishes")
    }

    /// The connection, inside this member's savepoint.
    pub(crate) fn conn_ref(&self) -> &AnyConnection {
        &self
            .guard
            .as_ref()
            .and_then(|slot| slot.batch.as_ref())
            .expect("a member works inside a batch")
            .conn
    }

    /// The connection, inside this member's savepoint, for statements.
    pub(crate) fn conn(&mut self) -> &mut AnyConnection {
        &mut self
            .slot()
            .batch
            .as_mut()
            .expect("a member works inside a batch")
            .conn
    }

    /// Keeps this member's work and returns once the database has committed it.
    pub(crate) async fn commit(self) -> Result<()> {
        let outcome = uncancellable(self.end(true)).await?;
        wait(outcome.expect("kept work waits for its batch")).await
    }

    /// Abandons this member's work; the batch's other work stays.
    pub(crate) async fn rollback(self) -> Result<()> {
        uncancellable(self.end(false)).await.map(|_| ())
    }

    /// Releases (`keep`) or rolls back this member's savepoint and hands the batch on; for
    /// kept work, where to hear whether the batch committed.
    async fn end(mut self, keep: bool) -> Result<Option<watch::Receiver<Option<Outcome>>>> {
        self.active = false;
        let mut slot = self.guard.take().expect("a member holds the slot");
        let batch = slot.batch.as_mut().expect("a member works inside a batch");
        let ended = if keep {
            AnyTransactionManager::commit(&mut batch.conn).await
        } else {
            AnyTransactionManager::rollback(&mut batch.conn).await
        };
        if let Err(err) = ended {
            fail_batch(&mut slot, &err);
            return Err(err.into());
        }
        let outcome = keep.then(|| {
            batch.members += 1;
            batch.outcome.subscribe()
        });
        self.group.finish(slot).await;
        Ok(outcome)
    }
}

impl GroupCommit {
    /// Decides what happens to the batch after a member finished: hand it to a waiting
    /// writer, commit it, or (if it holds nobody's work) roll it back.
    async fn finish(&self, mut slot: OwnedMutexGuard<Slot>) {
        let batch = slot.batch.as_mut().expect("a member works inside a batch");
        if batch.members == 0 {
            // Nothing to keep: end the transaction so the write lock is not held for nothing.
            let mut batch = slot.batch.take().expect("checked above");
            if AnyTransactionManager::rollback(&mut batch.conn)
                .await
                .is_err()
            {
                batch.conn.close_on_drop();
            }
            return;
        }
        if self.waiting() > 0 && batch.members < MAX_MEMBERS {
            if !batch.watched {
                batch.watched = true;
                self.watch(batch.id);
            }
            return;
        }
        self.commit_batch(&mut slot).await;
    }

    /// Commits the open batch and tells its members.
    async fn commit_batch(&self, slot: &mut Slot) {
        let Some(mut batch) = slot.batch.take() else {
            return;
        };
        let outcome = match AnyTransactionManager::commit(&mut batch.conn).await {
            Ok(()) => {
                let members = batch.members as u64;
                self.shared
                    .committed_writes
                    .fetch_add(members, Ordering::Relaxed);
                self.shared.commits.fetch_add(1, Ordering::Relaxed);
                Ok(())
            }
            Err(err) => {
                // The transaction may still be open; a fresh connection is the safe way on.
                batch.conn.close_on_drop();
                Err(Arc::from(err.to_string()))
            }
        };
        batch.outcome.send_replace(Some(outcome));
    }
}

impl Drop for Member {
    /// A member dropped without `commit` or `rollback` (an error returned early, a cancelled
    /// request): its savepoint is rolled back by the next command on the connection, which
    /// runs before anything else does.
    fn drop(&mut self) {
        if !self.active {
            return;
        }
        let group = self.group.clone();
        let slot = self.slot();
        let Some(batch) = slot.batch.as_mut() else {
            return;
        };
        AnyTransactionManager::start_rollback(&mut batch.conn);
        if batch.members == 0 {
            // Nobody else's work is in the transaction: roll it back as well.
            AnyTransactionManager::start_rollback(&mut batch.conn);
            slot.batch = None;
        } else if !batch.watched {
            batch.watched = true;
            group.watch(batch.id);
        }
    }
}

/// Abandons the open batch after `err` left it in an unknown state: closing the connection
/// rolls everything back, and every member still waiting hears why.
fn fail_batch(slot: &mut Slot, err: &sqlx::Error) {
    if let Some(mut batch) = slot.batch.take() {
        batch.conn.close_on_drop();
        batch
            .outcome
            .send_replace(Some(Err(Arc::from(err.to_string()))));
    }
}

/// Runs a step that opens or ends a transaction or savepoint to its end, even when the
/// caller stops waiting (a client that hangs up drops its request's future at any `.await`).
///
/// Cut short, such a step would leave the connection out of step with what the transaction
/// bookkeeping believes: a savepoint released but not counted, a `COMMIT` that only released
/// a savepoint, a transaction left open on a pooled connection. So the step runs as a task of
/// its own, and a caller that gives up only stops waiting for it; what the step returns is then
/// dropped, and a dropped [`Member`] rolls back its own work.
async fn uncancellable<T: Send + 'static>(
    step: impl std::future::Future<Output = Result<T>> + Send + 'static,
) -> Result<T> {
    let Ok(runtime) = tokio::runtime::Handle::try_current() else {
        return step.await;
    };
    match runtime.spawn(step).await {
        Ok(result) => result,
        Err(err) if err.is_panic() => std::panic::resume_unwind(err.into_panic()),
        Err(err) => Err(StoreError::CommitFailed(format!(
            "the process is shutting down: {err}"
        ))),
    }
}

/// Waits for the batch a member joined to commit.
async fn wait(mut outcome: watch::Receiver<Option<Outcome>>) -> Result<()> {
    let ended = match outcome.wait_for(Option::is_some).await {
        Ok(ended) => ended.clone().expect("waited for Some"),
        Err(_) => Err(Arc::from("the shared transaction was abandoned")),
    };
    ended.map_err(|reason| StoreError::CommitFailed(reason.to_string()))
}
