//! Writing decisions and package requests without slowing down the requests that made them.
//!
//! Request handlers hand records to a bounded queue; one background task writes them to the
//! store in batches (one transaction for every decision waiting), and opens package requests,
//! each in its own audited unit of work together with its `gate` notification event. A client
//! never waits for the database.
//!
//! The queue holds [`QUEUE`] messages. When the database falls that far behind, the two kinds
//! of record are treated differently:
//!
//! - a batch of only `served` records (the bookkeeping of a download nothing objected to) is
//!   dropped rather than queued, counted, and the count is logged with the next batch
//!   written: under overload the gate sheds bookkeeping, not memory and not latency;
//! - an objection (withheld, refused, dry-run, approved) or a package request is never
//!   dropped: its handler waits for room, so the client whose request was held back waits a
//!   little longer and the evidence is kept.
//!
//! [`Recorder::flush`] waits until everything handed over so far is written. At shutdown,
//! `corral gate serve` and `corral serve` flush after the last request has been answered and
//! before the database closes, so nothing queued is lost on an orderly stop; a killed process
//! loses what was still queued (at most [`QUEUE`] messages, normally a few milliseconds'
//! worth).

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use chrono::Utc;
use corral_model::{Event, EventKind};
use corral_store::{AuditEntry, GateDecision, GateRequest, Store};
use serde_json::json;
use tokio::sync::mpsc::error::TrySendError;
use tokio::sync::{mpsc, oneshot};

enum Message {
    Decisions(Vec<GateDecision>),
    Request(GateRequest),
    Flush(oneshot::Sender<()>),
}

/// The handle request handlers use.
#[derive(Clone)]
pub struct Recorder {
    tx: mpsc::Sender<Message>,
    /// `served` records dropped because the queue was full, not yet reported.
    dropped: Arc<AtomicU64>,
    /// Every `served` record ever dropped.
    dropped_total: Arc<AtomicU64>,
}

impl std::fmt::Debug for Recorder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Recorder")
    }
}

/// At most this many decisions go into one transaction.
const BATCH: usize = 512;

/// Messages (a handler's batch of decisions, a request, a flush) waiting to be written.
pub const QUEUE: usize = 16_384;

/// Whether `decisions` are only the bookkeeping of files served without objection.
fn only_served(decisions: &[GateDecision]) -> bool {
    decisions.iter().all(|d| d.outcome == "served")
}

impl Recorder {
    /// Starts the writer task on the current runtime. Each package request it opens also
    /// queues a `gate` notification event for `notify_targets` (the event is kept even when
    /// no target subscribes, as the record of what was announced).
    pub fn start(store: Store, notify_targets: Vec<String>) -> Self {
        Self::with_queue(store, notify_targets, QUEUE)
    }

    /// [`Recorder::start`] with a queue of `capacity` messages.
    pub fn with_queue(store: Store, notify_targets: Vec<String>, capacity: usize) -> Self {
        let (tx, rx) = mpsc::channel(capacity.max(1));
        let dropped = Arc::new(AtomicU64::new(0));
        tokio::spawn(write_loop(store, notify_targets, rx, dropped.clone()));
        Self {
            tx,
            dropped,
            dropped_total: Arc::new(AtomicU64::new(0)),
        }
    }

    /// Queues `decisions`. Only-`served` batches are dropped (and counted) when the queue is
    /// full; anything else waits for room.
    pub async fn decisions(&self, decisions: Vec<GateDecision>) {
        if decisions.is_empty() {
            return;
        }
        if only_served(&decisions) {
            match self.tx.try_send(Message::Decisions(decisions)) {
                Ok(()) => {}
                Err(TrySendError::Full(Message::Decisions(lost))) => {
                    let n = lost.len() as u64;
                    self.dropped.fetch_add(n, Ordering::Relaxed);
                    self.dropped_total.fetch_add(n, Ordering::Relaxed);
                }
                Err(_) => tracing::error!("gate: the decision writer has stopped"),
            }
        } else if self.tx.send(Message::Decisions(decisions)).await.is_err() {
            tracing::error!("gate: the decision writer has stopped; an objection was not recorded");
        }
    }

    /// Opens `request` unless one exists for the same project and version (waits for room
    /// in the queue; never dropped).
    pub async fn request(&self, request: GateRequest) {
        if self.tx.send(Message::Request(request)).await.is_err() {
            tracing::error!(
                "gate: the decision writer has stopped; a package request was not opened"
            );
        }
    }

    /// Waits until everything handed over before this call is written.
    pub async fn flush(&self) {
        let (done, wait) = oneshot::channel();
        if self.tx.send(Message::Flush(done)).await.is_ok() {
            let _ = wait.await;
        }
    }

    /// How many `served` records were dropped since the start because the queue was full.
    pub fn dropped(&self) -> u64 {
        self.dropped_total.load(Ordering::Relaxed)
    }
}

async fn write_loop(
    store: Store,
    notify_targets: Vec<String>,
    mut rx: mpsc::Receiver<Message>,
    dropped: Arc<AtomicU64>,
) {
    let mut pending: Vec<GateDecision> = Vec::new();
    while let Some(first) = rx.recv().await {
        let mut messages = vec![first];
        while messages.len() < BATCH {
            match rx.try_recv() {
                Ok(m) => messages.push(m),
                Err(_) => break,
            }
        }
        let mut flushes = Vec::new();
        let mut requests = Vec::new();
        for m in messages {
            match m {
                Message::Decisions(d) => pending.extend(d),
                Message::Request(r) => requests.push(r),
                Message::Flush(done) => flushes.push(done),
            }
        }
        let lost = dropped.swap(0, Ordering::Relaxed);
        if lost > 0 {
            tracing::warn!(
                dropped = lost,
                "gate: the decision queue was full; records of served files were dropped (objections are kept)"
            );
        }
        if let Err(e) = store.record_gate_decisions(&pending).await {
            tracing::error!(error = %e, count = pending.len(), "cannot record gate decisions");
        }
        pending.clear();
        for r in requests {
            if let Err(e) = open_request(&store, &r, &notify_targets).await {
                tracing::error!(error = %e, project = %r.project, "cannot open a package request");
            }
        }
        for done in flushes {
            let _ = done.send(());
        }
    }
}

async fn open_request(
    store: &Store,
    request: &GateRequest,
    notify_targets: &[String],
) -> corral_store::Result<()> {
    let mut tx = store.begin().await?;
    match tx.open_gate_request(request).await? {
        Some(opened) => {
            let what = if opened.version.is_empty() {
                opened.project.clone()
            } else {
                format!("{}=={}", opened.project, opened.version)
            };
            let mut event = Event::new(
                EventKind::Gate,
                format!("package request: {what} was held back by the gate"),
                format!(
                    "{} ({}). Asked by {}. Review with `corral gate requests`; approve with `corral gate approve {what}`.",
                    opened.reason, opened.rule, opened.requested_by
                ),
            );
            event.data = json!({
                "request": opened.id,
                "project": opened.project,
                "version": opened.version,
                "rule": opened.rule,
                "reason": opened.reason,
            });
            tx.enqueue_event(&event, notify_targets);
            tx.audit(
                AuditEntry::new("gate", "gate.request.opened")
                    .subject(format!("pypi:{}", opened.project))
                    .data(json!({
                        "request": opened.id,
                        "project": opened.project,
                        "version": opened.version,
                        "rule": opened.rule,
                        "reason": opened.reason,
                        "requested_by": opened.requested_by,
                        "at": Utc::now(),
                    })),
            );
            tx.commit().await?;
        }
        None => tx.rollback().await?,
    }
    Ok(())
}
