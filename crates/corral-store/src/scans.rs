//! Uploaded scans: one row per report sent for an asset (who, when, which tool, its counts).
//!
//! The findings and components of a report are stored per asset by `findings.rs` and
//! `inventory.rs`; this table is the asset's scan history, read newest first.

use corral_model::ScanRecord;
use corral_model::report::ToolInfo;
use sqlx::any::AnyRow;
use uuid::Uuid;

use crate::columns::{RowReader, json, ts};
use crate::error::Result;
use crate::store::Store;
use crate::write_tx::WriteTx;

const SCAN_COLUMNS: &str = "id, asset_id, uploaded_at, uploaded_by, tool_name, tool_version, \
    started_at, complete, summary";

fn scan_of(row: &AnyRow) -> Result<ScanRecord> {
    let r = RowReader::new(row, "scans", "id");
    Ok(ScanRecord {
        id: r.uuid("id")?,
        asset_id: r.uuid("asset_id")?,
        uploaded_at: r.time("uploaded_at")?,
        uploaded_by: r.text("uploaded_by")?,
        tool: ToolInfo {
            name: r.text("tool_name")?,
            version: r.text("tool_version")?,
        },
        started_at: r.time("started_at")?,
        complete: r.int("complete")? != 0,
        summary: r.json("summary")?,
    })
}

impl WriteTx<'_> {
    /// Records an uploaded scan.
    pub async fn insert_scan(&mut self, scan: &ScanRecord) -> Result<()> {
        sqlx::query(&format!(
            "INSERT INTO scans ({SCAN_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
        ))
        .bind(scan.id.to_string())
        .bind(scan.asset_id.to_string())
        .bind(ts(scan.uploaded_at))
        .bind(&scan.uploaded_by)
        .bind(&scan.tool.name)
        .bind(&scan.tool.version)
        .bind(ts(scan.started_at))
        .bind(i64::from(scan.complete))
        .bind(json(&scan.summary))
        .execute(&mut *self.tx)
        .await?;
        self.mark_changed();
        Ok(())
    }
}

impl Store {
    /// An asset's uploaded scans, newest first, and how many there are in all.
    pub async fn scans_for_asset(
        &self,
        asset_id: Uuid,
        limit: u32,
        offset: u64,
    ) -> Result<(Vec<ScanRecord>, u64)> {
        let rows = sqlx::query(&format!(
            "SELECT {SCAN_COLUMNS} FROM scans WHERE asset_id = $1 \
             ORDER BY uploaded_at DESC, id DESC LIMIT $2 OFFSET $3"
        ))
        .bind(asset_id.to_string())
        .bind(i64::from(limit))
        .bind(i64::try_from(offset).unwrap_or(i64::MAX))
        .fetch_all(&self.pools.reader)
        .await?;
        let total: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM scans WHERE asset_id = $1")
            .bind(asset_id.to_string())
            .fetch_one(&self.pools.reader)
            .await?;
        let scans = rows.iter().map(scan_of).collect::<Result<_>>()?;
        Ok((scans, u64::try_from(total).unwrap_or(0)))
    }

    /// One uploaded scan.
    pub async fn scan(&self, id: Uuid) -> Result<Option<ScanRecord>> {
        let row = sqlx::query(&format!("SELECT {SCAN_COLUMNS} FROM scans WHERE id = $1"))
            .bind(id.to_string())
            .fetch_optional(&self.pools.reader)
            .await?;
        row.as_ref().map(scan_of).transpose()
    }
}
