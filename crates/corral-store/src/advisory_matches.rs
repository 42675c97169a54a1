//! Advisory matches: which advisory affects which package of which asset, the ids and aliases
//! to find them by, and which (asset, advisory) pairs were already announced.
//!
//! The server's advisory evaluation decides what matches; this file keeps its results. A
//! match is one row per (asset, ecosystem, package, advisory), open while `fixed_at` is NULL
//! and reopened in place if the advisory matches again. Every id and alias of a matched
//! advisory goes into `advisory_aliases`, so "what does CVE-2024-1234 affect" finds matches
//! recorded under their GHSA id.
//!
//! Notices make announcements happen once: before announcing an advisory for an asset, the
//! evaluation asks which of its ids were announced ([`WriteTx::announced_ids`]) and records
//! every id it announces ([`WriteTx::record_notices`]) in the same transaction as the event,
//! so importing the same data twice, or an advisory gaining an alias, announces nothing new.

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use corral_model::{AdvisoryMatch, AffectedAsset, Ecosystem};
use sqlx::any::AnyRow;
use uuid::Uuid;

use crate::columns::{RowReader, json, ts};
use crate::error::Result;
use crate::inventory::{CONTACT_COLUMNS, contact_of, prefixed};
use crate::store::Store;
use crate::write_tx::WriteTx;

const MATCH_COLUMNS: &str = "asset_id, ecosystem, package, advisory_id, ids, matched, severity, \
    fingerprint, first_matched, fixed_at";

fn match_of(row: &AnyRow) -> Result<AdvisoryMatch> {
    let r = RowReader::new(row, "advisory_matches", "advisory_id");
    Ok(AdvisoryMatch {
        asset_id: r.uuid("asset_id")?,
        ecosystem: r.name("ecosystem")?,
        package: r.text("package")?,
        advisory_id: r.text("advisory_id")?,
        ids: r.json("ids")?,
        matched: r.json("matched")?,
        severity: r.name("severity")?,
        fingerprint: r.text("fingerprint")?,
        first_matched: r.time("first_matched")?,
        fixed_at: r.time_opt("fixed_at")?,
    })
}

impl WriteTx<'_> {
    /// Every match (open or fixed) of one asset, read inside this transaction.
    pub async fn matches_of_asset(&mut self, asset_id: Uuid) -> Result<Vec<AdvisoryMatch>> {
        let rows = sqlx::query(&format!(
            "SELECT {MATCH_COLUMNS} FROM advisory_matches WHERE asset_id = $1 \
             ORDER BY ecosystem, package, advisory_id"
        ))
        .bind(asset_id.to_string())
        .fetch_all(&mut *self.tx)
        .await?;
        rows.iter().map(match_of).collect()
    }

    /// Stores `m` as open: a new match, a refreshed one, or one matching again after it was
    /// fixed (keeping its first match time). Its ids are indexed as aliases.
    pub async fn upsert_match(&mut self, m: &AdvisoryMatch) -> Result<()> {
        sqlx::query(&format!(
            "INSERT INTO advisory_matches ({MATCH_COLUMNS}) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, NULL) \
             ON CONFLICT (asset_id, ecosystem, package, advisory_id) DO UPDATE SET \
             ids = excluded.ids, matched = excluded.matched, severity = excluded.severity, \
             fingerprint = excluded.fingerprint, fixed_at = NULL"
        ))
        .bind(m.asset_id.to_string())
        .bind(m.ecosystem.as_str())
        .bind(&m.package)
        .bind(&m.advisory_id)
        .bind(json(&m.ids))
        .bind(json(&m.matched))
        .bind(m.severity.as_str())
        .bind(&m.fingerprint)
        .bind(ts(m.first_matched))
        .execute(&mut *self.tx)
        .await?;
        if !m.ids.is_empty() {
            let mut query_text =
                String::from("INSERT INTO advisory_aliases (alias, advisory_id) VALUES ");
            for i in 0..m.ids.len() {
                if i > 0 {
                    query_text.push_str(", ");
                }
                query_text.push_str(&format!("(${}, $1)", i + 2));
            }
            query_text.push_str(" ON CONFLICT (alias, advisory_id) DO NOTHING");
            let mut query = sqlx::query(&query_text).bind(&m.advisory_id);
            for id in &m.ids {
                query = query.bind(id.to_ascii_uppercase());
            }
            query.execute(&mut *self.tx).await?;
        }
        self.mark_changed();
        Ok(())
    }

    /// Marks an open match as no longer matching; returns whether it was open.
    pub async fn fix_match(
        &mut self,
        asset_id: Uuid,
        ecosystem: Ecosystem,
        package: &str,
        advisory_id: &str,
        now: DateTime<Utc>,
    ) -> Result<bool> {
        let done = sqlx::query(
            "UPDATE advisory_matches SET fixed_at = $5 WHERE asset_id = $1 AND ecosystem = $2 \
             AND package = $3 AND advisory_id = $4 AND fixed_at IS NULL",
        )
        .bind(asset_id.to_string())
        .bind(ecosystem.as_str())
        .bind(package)
        .bind(advisory_id)
        .bind(ts(now))
        .execute(&mut *self.tx)
        .await?;
        self.mark_changed();
        Ok(done.rows_affected() > 0)
    }

    /// Which of `ids` were already announced for `asset_id`.
    pub async fn announced_ids(
        &mut self,
        asset_id: Uuid,
        ids: &[String],
    ) -> Result<HashSet<String>> {
        if ids.is_empty() {
            return Ok(HashSet::new());
        }
        let placeholders: Vec<String> = (0..ids.len()).map(|i| format!("${}", i + 2)).collect();
        let query_text = format!(
            "SELECT advisory_id FROM advisory_notices WHERE asset_id = $1 AND advisory_id IN ({})",
            placeholders.join(", ")
        );
        let mut query = sqlx::query(&query_text).bind(asset_id.to_string());
        for id in ids {
            query = query.bind(id.as_str());
        }
        let rows = query.fetch_all(&mut *self.tx).await?;
        let announced = rows
            .iter()
            .map(|row| RowReader::new(row, "advisory_notices", "advisory_id").text("advisory_id"))
            .collect::<Result<HashSet<String>>>()?;
        Ok(announced)
    }

    /// Records that `ids` were announced for `asset_id` by event `event_id`.
    pub async fn record_notices(
        &mut self,
        asset_id: Uuid,
        ids: &[String],
        event_id: Uuid,
        now: DateTime<Utc>,
    ) -> Result<()> {
        if ids.is_empty() {
            return Ok(());
        }
        let mut query_text = String::from(
            "INSERT INTO advisory_notices (asset_id, advisory_id, event_id, notified_at) VALUES ",
        );
        for i in 0..ids.len() {
            if i > 0 {
                query_text.push_str(", ");
            }
            query_text.push_str(&format!("($1, ${}, $2, $3)", i + 4));
        }
        query_text.push_str(" ON CONFLICT (asset_id, advisory_id) DO NOTHING");
        let mut query = sqlx::query(&query_text)
            .bind(asset_id.to_string())
            .bind(event_id.to_string())
            .bind(ts(now));
        for id in ids {
            query = query.bind(id.as_str());
        }
        query.execute(&mut *self.tx).await?;
        self.mark_changed();
        Ok(())
    }
}

impl Store {
    /// Every match (open or fixed) of one package, across assets.
    pub async fn matches_of_package(
        &self,
        ecosystem: Ecosystem,
        package: &str,
    ) -> Result<Vec<AdvisoryMatch>> {
        let rows = sqlx::query(&format!(
            "SELECT {MATCH_COLUMNS} FROM advisory_matches WHERE ecosystem = $1 AND package = $2 \
             ORDER BY asset_id, advisory_id"
        ))
        .bind(ecosystem.as_str())
        .bind(package)
        .fetch_all(&self.pools.reader)
        .await?;
        rows.iter().map(match_of).collect()
    }

    /// The open matches of one asset.
    pub async fn open_matches_of_asset(&self, asset_id: Uuid) -> Result<Vec<AdvisoryMatch>> {
        let rows = sqlx::query(&format!(
            "SELECT {MATCH_COLUMNS} FROM advisory_matches WHERE asset_id = $1 \
             AND fixed_at IS NULL ORDER BY ecosystem, package, advisory_id"
        ))
        .bind(asset_id.to_string())
        .fetch_all(&self.pools.reader)
        .await?;
        rows.iter().map(match_of).collect()
    }

    /// Every package with an open match somewhere.
    pub async fn matched_packages(&self) -> Result<Vec<(Ecosystem, String)>> {
        let rows = sqlx::query(
            "SELECT DISTINCT ecosystem, package FROM advisory_matches WHERE fixed_at IS NULL \
             ORDER BY ecosystem, package",
        )
        .fetch_all(&self.pools.reader)
        .await?;
        rows.iter()
            .map(|row| {
                let r = RowReader::new(row, "advisory_matches", "package");
                Ok((r.name("ecosystem")?, r.text("package")?))
            })
            .collect()
    }

    /// The assets an advisory affects now, found by any of its ids or aliases (case does not
    /// matter), ordered by asset name, with their owners.
    pub async fn assets_affected_by(&self, id: &str) -> Result<Vec<AffectedAsset>> {
        let rows = sqlx::query(&format!(
            "SELECT {CONTACT_COLUMNS}, {} FROM advisory_matches m \
             JOIN assets a ON a.id = m.asset_id \
             WHERE m.fixed_at IS NULL AND m.advisory_id IN \
             (SELECT advisory_id FROM advisory_aliases WHERE alias = $1) \
             ORDER BY a.name, m.ecosystem, m.package, m.advisory_id",
            prefixed("m", MATCH_COLUMNS).replace("m.asset_id", "m.asset_id AS match_asset_id")
        ))
        .bind(id.trim().to_ascii_uppercase())
        .fetch_all(&self.pools.reader)
        .await?;
        rows.iter()
            .map(|row| {
                let r = RowReader::new(row, "advisory_matches", "advisory_id");
                Ok(AffectedAsset {
                    asset: contact_of(&r)?,
                    advisory_match: match_of(row)?,
                })
            })
            .collect()
    }
}
