//! A finding as the server keeps it for an asset: the finding, where it came from, and its
//! history.
//!
//! Scans are uploaded again and again; the server keeps one record per (asset, fingerprint)
//! so a problem has one history rather than one row per scan: when it was first and last
//! seen, and when it went away. A finding missing from a newer complete scan of the asset is
//! resolved as *fixed*; if a later scan reports it again, the same record is reopened, so
//! "first seen" keeps meaning "how long this has been known".
//!
//! Findings reach the server two ways ([`FindingOrigin`]): in uploaded scan reports, and
//! from the server's own re-evaluation of stored inventories when advisory data changes.
//! When both report one advisory for one package, the scan's finding stands and the
//! server's is resolved as *superseded*, so the problem is counted once.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::finding::Finding;
use crate::severity::SeverityCounts;

/// Where a stored finding came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum FindingOrigin {
    /// An uploaded scan report.
    Scan,
    /// The server's evaluation of the asset's stored inventory against its advisory data.
    Monitor,
}

impl FindingOrigin {
    pub fn as_str(self) -> &'static str {
        match self {
            FindingOrigin::Scan => "scan",
            FindingOrigin::Monitor => "monitor",
        }
    }
}

/// Why a finding is no longer open.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Resolution {
    /// A newer complete scan no longer reports it, or the advisory no longer matches (a fixed
    /// version is installed, or the advisory was withdrawn).
    Fixed,
    /// An uploaded scan reports the same advisory for the same package: that finding stands
    /// for it.
    Superseded,
}

impl Resolution {
    pub fn as_str(self) -> &'static str {
        match self {
            Resolution::Fixed => "fixed",
            Resolution::Superseded => "superseded",
        }
    }
}

/// Which findings a list shows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum FindingState {
    #[default]
    Open,
    /// Fixed or superseded.
    Resolved,
    All,
}

/// One finding of one asset, with its history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FindingRecord {
    pub asset_id: Uuid,
    pub origin: FindingOrigin,
    /// When it was first reported.
    pub first_seen: DateTime<Utc>,
    /// When it was last reported (the latest scan or evaluation that found it).
    pub last_seen: DateTime<Utc>,
    /// When it stopped being open; absent while open.
    #[serde(default)]
    pub resolved_at: Option<DateTime<Utc>>,
    #[serde(default)]
    pub resolution: Option<Resolution>,
    /// The uploaded scans that first and last reported it (scan findings only).
    #[serde(default)]
    pub first_scan: Option<Uuid>,
    #[serde(default)]
    pub last_scan: Option<Uuid>,
    pub finding: Finding,
}

impl FindingRecord {
    pub fn is_open(&self) -> bool {
        self.resolution.is_none()
    }
}

/// Open findings per severity as they stood at the end of one day (or now, for today).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TrendDay {
    pub day: NaiveDate,
    pub open: SeverityCounts,
}
