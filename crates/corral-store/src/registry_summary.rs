//! Aggregates over the registry for the console's dashboard and people pages.
//!
//! The dashboard shows the whole estate at a glance: assets by data tier, risk tier, status
//! and approval; how the registry grew; how many reviews are open or overdue and how many
//! attestations are due; who owns what. Each of these is one grouped or counted query, so
//! the answer costs the same whether it comes from the database's index or its table, and
//! never loads the assets themselves.

use chrono::{DateTime, NaiveDate, Utc};
use corral_model::{ApprovalState, DataTier, DeploymentStatus, RiskTier};
use sqlx::Row;

use crate::columns::{RowReader, ts};
use crate::error::{Result, StoreError};
use crate::search_terms::prefix_end;
use crate::store::Store;

/// How many assets share one combination of tier, risk, status and approval.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BreakdownRow {
    pub data_tier: DataTier,
    pub risk_tier: RiskTier,
    pub status: DeploymentStatus,
    pub approval: ApprovalState,
    pub count: u64,
}

/// The registry counted by every classification at once.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RegistryBreakdown {
    pub rows: Vec<BreakdownRow>,
}

impl RegistryBreakdown {
    pub fn total(&self) -> u64 {
        self.rows.iter().map(|r| r.count).sum()
    }

    /// Assets per data tier, tiers 1 to 4 (zeros included).
    pub fn by_data_tier(&self) -> Vec<(DataTier, u64)> {
        self.count_by(&DataTier::ALL, |r| r.data_tier)
    }

    /// Assets per effective risk tier, critical first (zeros included).
    pub fn by_risk_tier(&self) -> Vec<(RiskTier, u64)> {
        self.count_by(
            &[RiskTier::Critical, RiskTier::Standard, RiskTier::Low],
            |r| r.risk_tier,
        )
    }

    /// Assets per deployment status (zeros included).
    pub fn by_status(&self) -> Vec<(DeploymentStatus, u64)> {
        self.count_by(
            &[
                DeploymentStatus::Development,
                DeploymentStatus::Production,
                DeploymentStatus::Decommissioned,
            ],
            |r| r.status,
        )
    }

    /// Assets per approval state (zeros included).
    pub fn by_approval(&self) -> Vec<(ApprovalState, u64)> {
        self.count_by(
            &[
                ApprovalState::Approved,
                ApprovalState::PendingReview,
                ApprovalState::ChangesRequested,
                ApprovalState::Rejected,
                ApprovalState::Blocked,
            ],
            |r| r.approval,
        )
    }

    fn count_by<K: Copy + PartialEq>(
        &self,
        keys: &[K],
        key: impl Fn(&BreakdownRow) -> K,
    ) -> Vec<(K, u64)> {
        keys.iter()
            .map(|k| {
                let n = self.rows.iter().filter(|r| key(r) == *k).map(|r| r.count);
                (*k, n.sum())
            })
            .collect()
    }
}

/// One owner and what they own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OwnerSummary {
    pub email: String,
    pub owned: u64,
    /// Of those, waiting for a review.
    pub pending: u64,
    /// Of those, critical.
    pub critical: u64,
    /// Of those, without a backup owner.
    pub without_backup: u64,
}

/// A page of owners and how many there are in all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OwnerPage {
    pub items: Vec<OwnerSummary>,
    pub total: u64,
}

fn count(row: &sqlx::any::AnyRow, column: &str) -> Result<u64> {
    Ok(u64::try_from(row.try_get::<i64, _>(column)?).unwrap_or(0))
}

impl Store {
    /// The registry counted by data tier, effective risk tier, status and approval.
    pub async fn registry_breakdown(&self) -> Result<RegistryBreakdown> {
        let rows = sqlx::query(
            "SELECT data_tier, risk_tier, status, approval, COUNT(*) AS n FROM assets \
             GROUP BY data_tier, risk_tier, status, approval",
        )
        .fetch_all(&self.pools.reader)
        .await?;
        let mut breakdown = RegistryBreakdown::default();
        for row in &rows {
            let r = RowReader::new(row, "assets", "status");
            let tier = r.int("data_tier")?;
            let data_tier = u8::try_from(tier)
                .ok()
                .and_then(DataTier::from_number)
                .ok_or_else(|| r.corrupt("data_tier", format!("{tier} is not a data tier")))?;
            breakdown.rows.push(BreakdownRow {
                data_tier,
                risk_tier: r.name("risk_tier")?,
                status: r.name("status")?,
                approval: r.name("approval")?,
                count: count(row, "n")?,
            });
        }
        Ok(breakdown)
    }

    /// How many assets were registered on each day (UTC) that saw a registration, oldest
    /// first.
    pub async fn registrations_per_day(&self) -> Result<Vec<(NaiveDate, u64)>> {
        let rows = sqlx::query(
            "SELECT substr(created_at, 1, 10) AS day, COUNT(*) AS n FROM assets \
             GROUP BY substr(created_at, 1, 10) ORDER BY day",
        )
        .fetch_all(&self.pools.reader)
        .await?;
        rows.iter()
            .map(|row| {
                let day: String = row.try_get("day")?;
                let date = NaiveDate::parse_from_str(&day, "%Y-%m-%d").map_err(|e| {
                    StoreError::Corrupt {
                        table: "assets",
                        column: "created_at",
                        id: day.clone(),
                        reason: e.to_string(),
                    }
                })?;
                Ok((date, count(row, "n")?))
            })
            .collect()
    }

    /// Open reviews, and of those the ones past their deadline at `now`.
    pub async fn review_counts(&self, now: DateTime<Utc>) -> Result<(u64, u64)> {
        let row = sqlx::query(
            "SELECT COUNT(*) AS open_count, COALESCE(SUM(CASE WHEN due_at < $1 THEN 1 ELSE 0 END), 0) \
             AS overdue_count FROM reviews WHERE state = 'open'",
        )
        .bind(ts(now))
        .fetch_one(&self.pools.reader)
        .await?;
        Ok((count(&row, "open_count")?, count(&row, "overdue_count")?))
    }

    /// How many approved, running assets are past their attestation date at `now` (the
    /// count of [`Store::assets_due_for_attestation`]).
    pub async fn count_attestations_due(
        &self,
        period_days: u32,
        now: DateTime<Utc>,
    ) -> Result<u64> {
        let threshold = now - chrono::Duration::days(i64::from(period_days));
        let row = sqlx::query(
            "SELECT COUNT(*) AS n FROM assets WHERE approval = 'approved' \
             AND status <> 'decommissioned' AND COALESCE(last_attested_at, created_at) < $1",
        )
        .bind(ts(threshold))
        .fetch_one(&self.pools.reader)
        .await?;
        count(&row, "n")
    }

    /// Owners by e-mail with what they own, optionally only those whose e-mail starts with
    /// `prefix` (case-insensitive).
    pub async fn owners(&self, prefix: Option<&str>, limit: u32, offset: u64) -> Result<OwnerPage> {
        let prefix = prefix
            .map(|p| p.trim().to_lowercase())
            .filter(|p| !p.is_empty());
        let range = prefix.as_deref().map(|p| (p.to_string(), prefix_end(p)));
        let (filter, first_page_bind) = match &range {
            Some(_) => (" WHERE owner_key >= $1 AND owner_key < $2", 3),
            None => ("", 1),
        };
        let select = format!(
            "SELECT owner_key, MIN(owner_email) AS email, COUNT(*) AS owned, \
             SUM(CASE WHEN approval = 'pending-review' THEN 1 ELSE 0 END) AS pending, \
             SUM(CASE WHEN risk_tier = 'critical' THEN 1 ELSE 0 END) AS critical, \
             SUM(CASE WHEN backup_owner_key IS NULL THEN 1 ELSE 0 END) AS without_backup \
             FROM assets{filter} GROUP BY owner_key ORDER BY owner_key LIMIT ${} OFFSET ${}",
            first_page_bind,
            first_page_bind + 1
        );
        let total_sql = format!("SELECT COUNT(DISTINCT owner_key) AS n FROM assets{filter}");
        let mut page = sqlx::query(&select);
        let mut total = sqlx::query(&total_sql);
        if let Some((low, high)) = &range {
            page = page.bind(low.as_str()).bind(high.as_str());
            total = total.bind(low.as_str()).bind(high.as_str());
        }
        let rows = page
            .bind(i64::from(limit))
            .bind(i64::try_from(offset).unwrap_or(i64::MAX))
            .fetch_all(&self.pools.reader)
            .await?;
        let items = rows
            .iter()
            .map(|row| {
                Ok(OwnerSummary {
                    email: row.try_get("email")?,
                    owned: count(row, "owned")?,
                    pending: count(row, "pending")?,
                    critical: count(row, "critical")?,
                    without_backup: count(row, "without_backup")?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        let total = total.fetch_one(&self.pools.reader).await?;
        Ok(OwnerPage {
            items,
            total: count(&total, "n")?,
        })
    }
}
