//! The package gate's records: its decision log and package requests.
//!
//! *Decisions* are evidence, written at request rate: every time the gate withholds a
//! project, version or file (or would have, in dry-run), refuses a file, or serves one, a row
//! says what, why, under which rule and mode, and for which client. Like a token's
//! `last_used_at` they are bookkeeping rather than state changes, so they are appended in
//! batches without an audit entry each; the Merkle log would otherwise grow by one entry per
//! `pip install`.
//!
//! *Requests* are state: a held-back project or version that someone wants, and a reviewer's
//! answer. Opening, approving and denying one go through [`WriteTx`] and are audited.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;
use uuid::Uuid;

use crate::columns::{RowReader, ts};
use crate::error::{Result, StoreError};
use crate::store::Store;
use crate::write_tx::WriteTx;

/// One decision of the gate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GateDecision {
    pub id: Uuid,
    pub at: DateTime<Utc>,
    /// PEP 503 normalised name.
    pub project: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filename: Option<String>,
    /// `withheld`, `dry-run`, `refused` or `served`.
    pub outcome: String,
    /// The policy rule (`typosquat`, `min-age`…) or check (`hash-mismatch`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
    /// `block` or `dry-run`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mode: Option<String>,
    pub reason: String,
    /// Who asked: user (when the client sent one), address and user agent.
    pub client: String,
}

/// Where a request stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum GateRequestStatus {
    Pending,
    Approved,
    Denied,
}

impl GateRequestStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            GateRequestStatus::Pending => "pending",
            GateRequestStatus::Approved => "approved",
            GateRequestStatus::Denied => "denied",
        }
    }

    fn parse(text: &str) -> Option<Self> {
        match text {
            "pending" => Some(Self::Pending),
            "approved" => Some(Self::Approved),
            "denied" => Some(Self::Denied),
            _ => None,
        }
    }
}

/// A request to let a project (`version` empty) or one version through.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GateRequest {
    pub id: Uuid,
    pub project: String,
    /// Empty for the whole project.
    pub version: String,
    pub status: GateRequestStatus,
    /// The rule that held it back when the request was opened.
    pub rule: String,
    pub reason: String,
    pub requested_by: String,
    pub requested_at: DateTime<Utc>,
    #[serde(default)]
    pub decided_by: Option<String>,
    #[serde(default)]
    pub decided_at: Option<DateTime<Utc>>,
    #[serde(default)]
    pub comment: Option<String>,
}

pub(crate) const DECISION_COLUMNS: &str =
    "id, at, project, version, filename, outcome, rule, mode, reason, client";
const REQUEST_COLUMNS: &str = "id, project, version, status, rule, reason, requested_by, requested_at, decided_by, decided_at, comment";

pub(crate) fn decision_of(row: &AnyRow) -> Result<GateDecision> {
    let r = RowReader::new(row, "gate_decisions", "id");
    Ok(GateDecision {
        id: r.uuid("id")?,
        at: r.time("at")?,
        project: r.text("project")?,
        version: r.text_opt("version")?,
        filename: r.text_opt("filename")?,
        outcome: r.text("outcome")?,
        rule: r.text_opt("rule")?,
        mode: r.text_opt("mode")?,
        reason: r.text("reason")?,
        client: r.text("client")?,
    })
}

fn request_of(row: &AnyRow) -> Result<GateRequest> {
    let r = RowReader::new(row, "gate_requests", "id");
    let status = r.text("status")?;
    Ok(GateRequest {
        id: r.uuid("id")?,
        project: r.text("project")?,
        version: r.text("version")?,
        status: GateRequestStatus::parse(&status)
            .ok_or_else(|| r.corrupt("status", format!("unknown status `{status}`")))?,
        rule: r.text("rule")?,
        reason: r.text("reason")?,
        requested_by: r.text("requested_by")?,
        requested_at: r.time("requested_at")?,
        decided_by: r.text_opt("decided_by")?,
        decided_at: r.time_opt("decided_at")?,
        comment: r.text_opt("comment")?,
    })
}

impl Store {
    /// Appends gate decisions (bookkeeping: see the module documentation).
    pub async fn record_gate_decisions(&self, decisions: &[GateDecision]) -> Result<()> {
        if decisions.is_empty() {
            return Ok(());
        }
        let mut tx = self.pools.begin_write().await?;
        for d in decisions {
            sqlx::query(
                "INSERT INTO gate_decisions (id, at, project, version, filename, outcome, rule, mode, reason, client) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
            )
            .bind(d.id.to_string())
            .bind(ts(d.at))
            .bind(&d.project)
            .bind(d.version.as_deref())
            .bind(d.filename.as_deref())
            .bind(&d.outcome)
            .bind(d.rule.as_deref())
            .bind(d.mode.as_deref())
            .bind(&d.reason)
            .bind(&d.client)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// The most recent decisions, newest first, optionally for one project.
    pub async fn gate_decisions(
        &self,
        project: Option<&str>,
        limit: i64,
    ) -> Result<Vec<GateDecision>> {
        let rows = match project {
            Some(p) => {
                sqlx::query(&format!(
                    "SELECT {DECISION_COLUMNS} FROM gate_decisions WHERE project = $1 ORDER BY at DESC, id DESC LIMIT $2"
                ))
                .bind(p.to_string())
                .bind(limit)
                .fetch_all(&self.pools.reader)
                .await?
            }
            None => {
                sqlx::query(&format!(
                    "SELECT {DECISION_COLUMNS} FROM gate_decisions ORDER BY at DESC, id DESC LIMIT $1"
                ))
                .bind(limit)
                .fetch_all(&self.pools.reader)
                .await?
            }
        };
        rows.iter().map(decision_of).collect()
    }

    /// Requests, oldest first, optionally with one status.
    pub async fn gate_requests(
        &self,
        status: Option<GateRequestStatus>,
    ) -> Result<Vec<GateRequest>> {
        let rows = match status {
            Some(s) => {
                sqlx::query(&format!(
                    "SELECT {REQUEST_COLUMNS} FROM gate_requests WHERE status = $1 ORDER BY requested_at, id"
                ))
                .bind(s.as_str())
                .fetch_all(&self.pools.reader)
                .await?
            }
            None => {
                sqlx::query(&format!(
                    "SELECT {REQUEST_COLUMNS} FROM gate_requests ORDER BY requested_at, id"
                ))
                .fetch_all(&self.pools.reader)
                .await?
            }
        };
        rows.iter().map(request_of).collect()
    }

    /// One request by its id.
    pub async fn gate_request(&self, id: Uuid) -> Result<Option<GateRequest>> {
        let row = sqlx::query(&format!(
            "SELECT {REQUEST_COLUMNS} FROM gate_requests WHERE id = $1"
        ))
        .bind(id.to_string())
        .fetch_optional(&self.pools.reader)
        .await?;
        row.as_ref().map(request_of).transpose()
    }

    /// The requests for one project (every version), oldest first.
    pub async fn gate_requests_for(&self, project: &str) -> Result<Vec<GateRequest>> {
        let rows = sqlx::query(&format!(
            "SELECT {REQUEST_COLUMNS} FROM gate_requests WHERE project = $1 ORDER BY requested_at, id"
        ))
        .bind(project.to_string())
        .fetch_all(&self.pools.reader)
        .await?;
        rows.iter().map(request_of).collect()
    }
}

impl WriteTx<'_> {
    /// Opens a pending request unless one exists for the same project and version; returns
    /// the new request, or `None` when there already was one (nothing changed then).
    pub async fn open_gate_request(
        &mut self,
        request: &GateRequest,
    ) -> Result<Option<GateRequest>> {
        let done = sqlx::query(
            "INSERT INTO gate_requests (id, project, version, status, rule, reason, requested_by, requested_at) \
             VALUES ($1, $2, $3, 'pending', $4, $5, $6, $7) ON CONFLICT (project, version) DO NOTHING",
        )
        .bind(request.id.to_string())
        .bind(&request.project)
        .bind(&request.version)
        .bind(&request.rule)
        .bind(&request.reason)
        .bind(&request.requested_by)
        .bind(ts(request.requested_at))
        .execute(&mut *self.tx)
        .await?;
        if done.rows_affected() == 0 {
            return Ok(None);
        }
        self.mark_changed();
        Ok(Some(GateRequest {
            status: GateRequestStatus::Pending,
            decided_by: None,
            decided_at: None,
            comment: None,
            ..request.clone()
        }))
    }

    /// Approves or denies the request for `project` and `version` (empty: whole project),
    /// opening it first when nobody asked yet (a reviewer may approve ahead of need).
    pub async fn decide_gate_request(
        &mut self,
        project: &str,
        version: &str,
        status: GateRequestStatus,
        actor: &str,
        comment: Option<&str>,
        at: DateTime<Utc>,
    ) -> Result<GateRequest> {
        if status == GateRequestStatus::Pending {
            return Err(StoreError::Invalid(
                "a decision must approve or deny".into(),
            ));
        }
        sqlx::query(
            "INSERT INTO gate_requests (id, project, version, status, rule, reason, requested_by, requested_at) \
             VALUES ($1, $2, $3, 'pending', 'none', 'decided before anyone asked', $4, $5) \
             ON CONFLICT (project, version) DO NOTHING",
        )
        .bind(Uuid::new_v4().to_string())
        .bind(project)
        .bind(version)
        .bind(actor)
        .bind(ts(at))
        .execute(&mut *self.tx)
        .await?;
        sqlx::query(
            "UPDATE gate_requests SET status = $3, decided_by = $4, decided_at = $5, comment = $6 \
             WHERE project = $1 AND version = $2",
        )
        .bind(project)
        .bind(version)
        .bind(status.as_str())
        .bind(actor)
        .bind(ts(at))
        .bind(comment)
        .execute(&mut *self.tx)
        .await?;
        self.mark_changed();
        let row = sqlx::query(&format!(
            "SELECT {REQUEST_COLUMNS} FROM gate_requests WHERE project = $1 AND version = $2"
        ))
        .bind(project)
        .bind(version)
        .fetch_one(&mut *self.tx)
        .await?;
        request_of(&row)
    }
}
