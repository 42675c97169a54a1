//! An uploaded scan, as the server records it: who sent which report for which asset, and
//! what it held and changed.
//!
//! The report's findings and components are kept elsewhere (per asset, by fingerprint, and
//! as the asset's inventory); the record keeps the facts of the upload and its counts, so
//! an asset's scan history reads without loading every finding again.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::report::ToolInfo;
use crate::severity::SeverityCounts;

/// One uploaded scan report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ScanRecord {
    pub id: Uuid,
    pub asset_id: Uuid,
    pub uploaded_at: DateTime<Utc>,
    /// The e-mail of the token that uploaded it.
    pub uploaded_by: String,
    pub tool: ToolInfo,
    /// When the scan itself started (the report's own time).
    pub started_at: DateTime<Utc>,
    /// Whether the report covers the whole asset: only then does a finding it lacks count
    /// as fixed, and its components replace the stored inventory.
    pub complete: bool,
    pub summary: ScanSummary,
}

/// What a scan report held, and what storing it changed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ScanSummary {
    /// Scanners that ran, e.g. `["secrets", "deps"]`.
    pub scanners: Vec<String>,
    /// Distinct findings (by fingerprint) per severity.
    pub findings: SeverityCounts,
    /// Findings that appeared twice or more under one fingerprint and were stored once.
    pub duplicates: u64,
    pub components: u64,
    pub files_scanned: u64,
    pub files_skipped: u64,
    /// Files a scanner could not process.
    pub errors: u64,
    pub suppressed: u64,
    pub baselined: u64,
    pub duration_ms: u64,
    /// Findings this upload opened for the first time.
    pub opened: u64,
    /// Findings this upload reported again after they had been fixed.
    pub reopened: u64,
    /// Findings this upload resolved as fixed (complete scans only).
    pub fixed: u64,
}
