//! Writing decisions and package requests without slowing down the requests that made them.
//!
//! Request handlers hand records to a channel; one background task writes them to the store
//! in batches (one transaction for every decision waiting), and opens package requests, each
//! in its own audited unit of work together with its `gate` notification event. A client never waits for the database. [`Recorder::flush`]
//! waits until everything handed over so far is written, for tests and for shutdown.

use chrono::Utc;
use corral_model::{Event, EventKind};
use corral_store::{AuditEntry, GateDecision, GateRequest, Store};
use serde_json::json;
use tokio::sync::{mpsc, oneshot};

enum Message {
    Decisions(Vec<GateDecision>),
    Request(GateRequest),
    Flush(oneshot::Sender<()>),
}

/// The handle request handlers use.
#[derive(Clone)]
pub struct Recorder {
    tx: mpsc::UnboundedSender<Message>,
}

impl std::fmt::Debug for Recorder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Recorder")
    }
}

/// At most this many decisions go into one transaction.
const BATCH: usize = 512;

impl Recorder {
    /// Starts the writer task on the current runtime. Each package request it opens also
    /// queues a `gate` notification event for `notify_targets` (the event is kept even when
    /// no target subscribes, as the record of what was announced).
    pub fn start(store: Store, notify_targets: Vec<String>) -> Self {
        let (tx, rx) = mpsc::unbounded_channel();
        tokio::spawn(write_loop(store, notify_targets, rx));
        Self { tx }
    }

    pub fn decisions(&self, decisions: Vec<GateDecision>) {
        if !decisions.is_empty() {
            let _ = self.tx.send(Message::Decisions(decisions));
        }
    }

    /// Opens `request` unless one exists for the same project and version.
    pub fn request(&self, request: GateRequest) {
        let _ = self.tx.send(Message::Request(request));
    }

    /// Waits until everything handed over before this call is written.
    pub async fn flush(&self) {
        let (done, wait) = oneshot::channel();
        if self.tx.send(Message::Flush(done)).is_ok() {
            let _ = wait.await;
        }
    }
}

async fn write_loop(
    store: Store,
    notify_targets: Vec<String>,
    mut rx: mpsc::UnboundedReceiver<Message>,
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
            tx.enqueue_event(&event, notify_targets).await?;
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
