//! Findings per asset, one record per fingerprint, with first-seen, last-seen and resolution.
//!
//! Two writers keep them:
//!
//! - [`WriteTx::record_scan_findings`] stores an uploaded report's findings: new fingerprints
//!   are opened, known ones refreshed (and reopened if they had been resolved), and, when the
//!   report covers the whole asset, open findings of the scanners that ran but missing from
//!   it are resolved as fixed. A fingerprint given twice is stored once.
//! - [`WriteTx::open_monitor_finding`] and [`WriteTx::resolve_finding`] are the server's
//!   advisory evaluation opening and resolving the findings it owns.
//!
//! Every change to whether a finding is open, or to its severity, is added to the
//! transaction's tally, which `finding_stats.rs` folds into the estate's counts and today's
//! trend row at commit: the counts are maintained, never recounted, so the dashboard reads
//! five numbers whatever the size of the estate.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use corral_model::{
    Ecosystem, Finding, FindingOrigin, FindingRecord, FindingState, Resolution, Severity,
};
use sqlx::Row;
use sqlx::any::AnyRow;
use uuid::Uuid;

use crate::columns::{RowReader, json, name_of, ts};
use crate::error::Result;
use crate::store::Store;
use crate::write_tx::WriteTx;

/// Most findings one list call returns.
pub const MAX_PAGE_SIZE: u32 = 500;

/// A finding to store, with the package it is about (dependency findings: ecosystem and name
/// normalised per ecosystem), so it can be found by package.
#[derive(Debug, Clone, Copy)]
pub struct FindingInput<'a> {
    pub finding: &'a Finding,
    pub package: Option<(Ecosystem, &'a str)>,
}

/// What storing a scan's findings changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FindingChanges {
    pub opened: u64,
    pub reopened: u64,
    /// Still open, refreshed.
    pub seen_again: u64,
    pub fixed: u64,
    /// Fingerprints given more than once, stored once.
    pub duplicates: u64,
}

/// What [`WriteTx::open_monitor_finding`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MonitorChange {
    Opened,
    Reopened,
    /// It was open already; refreshed.
    Refreshed,
}

/// Filters and page for [`Store::findings`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FindingQuery {
    /// One asset's findings; `None` for the whole estate.
    pub asset_id: Option<Uuid>,
    pub state: FindingState,
    pub severity: Option<Severity>,
    pub scanner: Option<String>,
    /// Page size, at most [`MAX_PAGE_SIZE`]; 0 means 50.
    pub limit: u32,
    pub offset: u64,
}

/// One page of findings, most severe first, then most recently seen, with the total.
#[derive(Debug, Clone, PartialEq)]
pub struct FindingPage {
    pub items: Vec<FindingRecord>,
    pub total: u64,
}

/// The sort key of a severity: higher is worse.
pub fn severity_rank(severity: Severity) -> i64 {
    match severity {
        Severity::Info => 0,
        Severity::Low => 1,
        Severity::Medium => 2,
        Severity::High => 3,
        Severity::Critical => 4,
    }
}

const RECORD_COLUMNS: &str = "asset_id, fingerprint, origin, first_seen, last_seen, \
    resolved_at, resolution, first_scan, last_scan, finding";

fn record_of(row: &AnyRow) -> Result<FindingRecord> {
    let r = RowReader::new(row, "findings", "fingerprint");
    Ok(FindingRecord {
        asset_id: r.uuid("asset_id")?,
        origin: r.name("origin")?,
        first_seen: r.time("first_seen")?,
        last_seen: r.time("last_seen")?,
        resolved_at: r.time_opt("resolved_at")?,
        resolution: r.name_opt("resolution")?,
        first_scan: r.uuid_opt("first_scan")?,
        last_scan: r.uuid_opt("last_scan")?,
        finding: r.json("finding")?,
    })
}

/// What the store knows of a fingerprint before a change.
#[derive(Debug, Clone)]
struct Known {
    open: bool,
    severity: Severity,
    scanner: String,
}

impl WriteTx<'_> {
    /// The open state and severity of each finding of `asset_id` from `origin`.
    async fn known_findings(
        &mut self,
        asset_id: Uuid,
        origin: FindingOrigin,
    ) -> Result<HashMap<String, Known>> {
        let rows = sqlx::query(
            "SELECT fingerprint, open, severity, scanner FROM findings \
             WHERE asset_id = $1 AND origin = $2",
        )
        .bind(asset_id.to_string())
        .bind(origin.as_str())
        .fetch_all(&mut *self.tx)
        .await?;
        rows.iter()
            .map(|row| {
                let r = RowReader::new(row, "findings", "fingerprint");
                Ok((
                    r.text("fingerprint")?,
                    Known {
                        open: r.int("open")? != 0,
                        severity: r.name("severity")?,
                        scanner: r.text("scanner")?,
                    },
                ))
            })
            .collect()
    }

    /// Stores the findings of uploaded scan `scan_id` for `asset_id` (see the module docs).
    /// With `complete`, open scan findings of the `scanners` that ran which the report lacks
    /// are resolved as fixed.
    pub async fn record_scan_findings(
        &mut self,
        asset_id: Uuid,
        scan_id: Uuid,
        findings: &[FindingInput<'_>],
        scanners: &[String],
        complete: bool,
        now: DateTime<Utc>,
    ) -> Result<FindingChanges> {
        let known = self.known_findings(asset_id, FindingOrigin::Scan).await?;
        let mut changes = FindingChanges::default();
        let mut reported: HashSet<&str> = HashSet::with_capacity(findings.len());
        for input in findings {
            let f = input.finding;
            if !reported.insert(f.fingerprint.as_str()) {
                changes.duplicates += 1;
                continue;
            }
            match known.get(&f.fingerprint) {
                None => {
                    self.insert_finding(asset_id, FindingOrigin::Scan, input, Some(scan_id), now)
                        .await?;
                    self.tally(f.severity, 1);
                    changes.opened += 1;
                }
                Some(was) => {
                    self.refresh_finding(asset_id, input, Some(scan_id), now)
                        .await?;
                    if was.open {
                        self.tally(was.severity, -1);
                        changes.seen_again += 1;
                    } else {
                        changes.reopened += 1;
                    }
                    self.tally(f.severity, 1);
                }
            }
        }
        if complete {
            for (fingerprint, was) in &known {
                if was.open
                    && scanners.contains(&was.scanner)
                    && !reported.contains(fingerprint.as_str())
                {
                    self.close_finding(asset_id, fingerprint, Resolution::Fixed, now)
                        .await?;
                    self.tally(was.severity, -1);
                    changes.fixed += 1;
                }
            }
        }
        Ok(changes)
    }

    /// Opens (or reopens, or refreshes) a finding of the server's advisory evaluation. `was`
    /// is the finding's state as [`WriteTx::finding_state`] gave it in this transaction.
    pub async fn open_monitor_finding(
        &mut self,
        asset_id: Uuid,
        finding: &Finding,
        package: (Ecosystem, &str),
        was: Option<(bool, Severity)>,
        now: DateTime<Utc>,
    ) -> Result<MonitorChange> {
        let input = FindingInput {
            finding,
            package: Some(package),
        };
        match was {
            None => {
                self.insert_finding(asset_id, FindingOrigin::Monitor, &input, None, now)
                    .await?;
                self.tally(finding.severity, 1);
                Ok(MonitorChange::Opened)
            }
            Some((open, severity)) => {
                self.refresh_finding(asset_id, &input, None, now).await?;
                if open {
                    self.tally(severity, -1);
                }
                self.tally(finding.severity, 1);
                Ok(if open {
                    MonitorChange::Refreshed
                } else {
                    MonitorChange::Reopened
                })
            }
        }
    }

    /// Resolves an open finding; returns whether it was open.
    pub async fn resolve_finding(
        &mut self,
        asset_id: Uuid,
        fingerprint: &str,
        resolution: Resolution,
        now: DateTime<Utc>,
    ) -> Result<bool> {
        match self.finding_state(asset_id, fingerprint).await? {
            Some((true, severity)) => {
                self.close_finding(asset_id, fingerprint, resolution, now)
                    .await?;
                self.tally(severity, -1);
                Ok(true)
            }
            _ => Ok(false),
        }
    }

    /// Whether a finding exists, and if so whether it is open and how severe.
    pub async fn finding_state(
        &mut self,
        asset_id: Uuid,
        fingerprint: &str,
    ) -> Result<Option<(bool, Severity)>> {
        let row = sqlx::query(
            "SELECT fingerprint, open, severity FROM findings \
             WHERE asset_id = $1 AND fingerprint = $2",
        )
        .bind(asset_id.to_string())
        .bind(fingerprint)
        .fetch_optional(&mut *self.tx)
        .await?;
        row.map(|row| {
            let r = RowReader::new(&row, "findings", "fingerprint");
            Ok((r.int("open")? != 0, r.name("severity")?))
        })
        .transpose()
    }

    async fn insert_finding(
        &mut self,
        asset_id: Uuid,
        origin: FindingOrigin,
        input: &FindingInput<'_>,
        scan_id: Option<Uuid>,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let f = input.finding;
        let (ecosystem, package) = match input.package {
            Some((e, p)) => (Some(e.as_str()), Some(p)),
            None => (None, None),
        };
        let scan = scan_id.map(|s| s.to_string());
        sqlx::query(
            "INSERT INTO findings (asset_id, fingerprint, origin, scanner, rule_id, severity, \
             severity_rank, ecosystem, package, finding, first_seen, last_seen, open, \
             resolved_at, resolution, first_scan, last_scan) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11, 1, NULL, NULL, $12, $12)",
        )
        .bind(asset_id.to_string())
        .bind(&f.fingerprint)
        .bind(origin.as_str())
        .bind(&f.scanner)
        .bind(&f.rule_id)
        .bind(f.severity.as_str())
        .bind(severity_rank(f.severity))
        .bind(ecosystem)
        .bind(package)
        .bind(json(f))
        .bind(ts(now))
        .bind(scan)
        .execute(&mut *self.tx)
        .await?;
        self.mark_changed();
        Ok(())
    }

    /// Refreshes a known finding (its content may have moved or changed severity) and opens
    /// it if it was resolved.
    async fn refresh_finding(
        &mut self,
        asset_id: Uuid,
        input: &FindingInput<'_>,
        scan_id: Option<Uuid>,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let f = input.finding;
        let (ecosystem, package) = match input.package {
            Some((e, p)) => (Some(e.as_str()), Some(p)),
            None => (None, None),
        };
        sqlx::query(
            "UPDATE findings SET scanner = $3, rule_id = $4, severity = $5, severity_rank = $6, \
             ecosystem = $7, package = $8, finding = $9, last_seen = $10, open = 1, \
             resolved_at = NULL, resolution = NULL, last_scan = COALESCE($11, last_scan) \
             WHERE asset_id = $1 AND fingerprint = $2",
        )
        .bind(asset_id.to_string())
        .bind(&f.fingerprint)
        .bind(&f.scanner)
        .bind(&f.rule_id)
        .bind(f.severity.as_str())
        .bind(severity_rank(f.severity))
        .bind(ecosystem)
        .bind(package)
        .bind(json(f))
        .bind(ts(now))
        .bind(scan_id.map(|s| s.to_string()))
        .execute(&mut *self.tx)
        .await?;
        self.mark_changed();
        Ok(())
    }

    async fn close_finding(
        &mut self,
        asset_id: Uuid,
        fingerprint: &str,
        resolution: Resolution,
        now: DateTime<Utc>,
    ) -> Result<()> {
        sqlx::query(
            "UPDATE findings SET open = 0, resolved_at = $3, resolution = $4 \
             WHERE asset_id = $1 AND fingerprint = $2",
        )
        .bind(asset_id.to_string())
        .bind(fingerprint)
        .bind(ts(now))
        .bind(name_of(&resolution))
        .execute(&mut *self.tx)
        .await?;
        self.mark_changed();
        Ok(())
    }
}

impl WriteTx<'_> {
    /// The open findings of one asset from `origin` that are about a package (dependency
    /// findings), read inside this transaction.
    pub async fn open_package_findings(
        &mut self,
        asset_id: Uuid,
        origin: FindingOrigin,
    ) -> Result<Vec<FindingRecord>> {
        let rows = sqlx::query(&format!(
            "SELECT {RECORD_COLUMNS} FROM findings WHERE asset_id = $1 AND open = 1 \
             AND origin = $2 AND package IS NOT NULL"
        ))
        .bind(asset_id.to_string())
        .bind(origin.as_str())
        .fetch_all(&mut *self.tx)
        .await?;
        rows.iter().map(record_of).collect()
    }
}

impl Store {
    /// A page of findings (see [`FindingQuery`]): most severe first, then most recently seen.
    pub async fn findings(&self, query: &FindingQuery) -> Result<FindingPage> {
        let mut conditions: Vec<String> = Vec::new();
        let mut binds: Vec<String> = Vec::new();
        if let Some(asset) = query.asset_id {
            binds.push(asset.to_string());
            conditions.push(format!("asset_id = ${}", binds.len()));
        }
        match query.state {
            FindingState::Open => conditions.push("open = 1".into()),
            FindingState::Resolved => conditions.push("open = 0".into()),
            FindingState::All => {}
        }
        if let Some(severity) = query.severity {
            conditions.push(format!("severity_rank = {}", severity_rank(severity)));
        }
        if let Some(scanner) = query.scanner.as_deref().filter(|s| !s.is_empty()) {
            binds.push(scanner.to_string());
            conditions.push(format!("scanner = ${}", binds.len()));
        }
        let filter = if conditions.is_empty() {
            String::new()
        } else {
            format!(" WHERE {}", conditions.join(" AND "))
        };
        let limit = match query.limit {
            0 => 50,
            n => n.min(MAX_PAGE_SIZE),
        };
        let select = format!(
            "SELECT {RECORD_COLUMNS} FROM findings{filter} \
             ORDER BY severity_rank DESC, last_seen DESC, asset_id, fingerprint \
             LIMIT {limit} OFFSET {}",
            i64::try_from(query.offset).unwrap_or(i64::MAX)
        );
        let mut rows_query = sqlx::query(&select);
        for b in &binds {
            rows_query = rows_query.bind(b.as_str());
        }
        let rows = rows_query.fetch_all(&self.pools.reader).await?;
        let count = format!("SELECT COUNT(*) AS n FROM findings{filter}");
        let mut count_query = sqlx::query(&count);
        for b in &binds {
            count_query = count_query.bind(b.as_str());
        }
        let total: i64 = count_query
            .fetch_one(&self.pools.reader)
            .await?
            .try_get("n")?;
        Ok(FindingPage {
            items: rows.iter().map(record_of).collect::<Result<_>>()?,
            total: u64::try_from(total).unwrap_or(0),
        })
    }

    /// One finding of an asset.
    pub async fn finding(
        &self,
        asset_id: Uuid,
        fingerprint: &str,
    ) -> Result<Option<FindingRecord>> {
        let row = sqlx::query(&format!(
            "SELECT {RECORD_COLUMNS} FROM findings WHERE asset_id = $1 AND fingerprint = $2"
        ))
        .bind(asset_id.to_string())
        .bind(fingerprint)
        .fetch_optional(&self.pools.reader)
        .await?;
        row.as_ref().map(record_of).transpose()
    }

    /// The open findings from `origin` about one package (ecosystem and normalised name),
    /// across every asset.
    pub async fn open_findings_of_package(
        &self,
        ecosystem: Ecosystem,
        package: &str,
        origin: FindingOrigin,
    ) -> Result<Vec<FindingRecord>> {
        let rows = sqlx::query(&format!(
            "SELECT {RECORD_COLUMNS} FROM findings WHERE ecosystem = $1 AND package = $2 \
             AND open = 1 AND origin = $3"
        ))
        .bind(ecosystem.as_str())
        .bind(package)
        .bind(origin.as_str())
        .fetch_all(&self.pools.reader)
        .await?;
        rows.iter().map(record_of).collect()
    }
}
