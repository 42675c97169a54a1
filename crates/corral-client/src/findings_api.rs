//! The bodies of the scan, finding, package and advisory endpoints: uploading a scan report
//! for an asset, reading its findings and the estate's counts, "who uses package X?", and
//! the server's advisory data and what it affects.
//!
//! Records travel as the model types (`ScanRecord`, `FindingRecord`, `PackageUse`,
//! `AffectedAsset`); these are the envelopes and queries around them.

use chrono::{DateTime, Utc};
use corral_model::finding_record::{FindingRecord, FindingState, TrendDay};
use corral_model::package_use::{AffectedAsset, PackageUse};
use corral_model::scan_record::ScanRecord;
use corral_model::{Component, Ecosystem, Severity, SeverityCounts};
use serde::{Deserialize, Serialize};

/// Options of `POST /api/v1/assets/{asset}/scans` (the body is the JSON report itself, as
/// `corral scan --format json` writes it).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[serde(deny_unknown_fields)]
pub struct ScanUploadQuery {
    /// The report covers only part of the asset (staged files, history): findings it lacks
    /// stay open, and its components do not replace the stored inventory.
    #[serde(default)]
    pub partial: Option<bool>,
}

/// What an upload stored and changed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ScanUploadOutcome {
    pub scan: ScanRecord,
    /// Fields the server removed or rewrote because they could hold a secret, by path
    /// (`findings[3].snippet`).
    pub screened: Vec<String>,
    /// What evaluating the asset's inventory against the server's advisory data changed.
    pub advisories: AdvisoryChanges,
}

/// What an evaluation changed for one asset, by advisory id.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AdvisoryChanges {
    /// Advisories that newly match (or match again).
    pub matched: Vec<String>,
    /// Advisories that stopped matching.
    pub fixed: Vec<String>,
    /// Advisories announced to the owners and subscribed targets by this evaluation.
    pub announced: Vec<String>,
}

impl AdvisoryChanges {
    pub fn is_empty(&self) -> bool {
        self.matched.is_empty() && self.fixed.is_empty() && self.announced.is_empty()
    }
}

/// A page of a list that has no other filters.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[serde(deny_unknown_fields)]
pub struct PageQuery {
    /// From 1.
    #[serde(default)]
    pub page: Option<u32>,
    /// 1–500, default 50.
    #[serde(default)]
    pub per_page: Option<u32>,
}

/// A page of an asset's uploaded scans, newest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ScanPage {
    pub items: Vec<ScanRecord>,
    pub total: u64,
    pub page: u32,
    pub per_page: u32,
}

/// Filters and page for `GET /api/v1/assets/{asset}/findings`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[serde(deny_unknown_fields)]
pub struct FindingListQuery {
    /// open (default), resolved or all.
    #[serde(default)]
    pub state: Option<FindingState>,
    /// Only this severity.
    #[serde(default)]
    pub severity: Option<Severity>,
    /// Only this scanner: secrets, deps, code, ai-config, license.
    #[serde(default)]
    pub scanner: Option<String>,
    /// From 1.
    #[serde(default)]
    pub page: Option<u32>,
    /// 1–500, default 50.
    #[serde(default)]
    pub per_page: Option<u32>,
}

/// A page of an asset's findings, most severe first, with the asset's open counts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FindingPage {
    pub items: Vec<FindingRecord>,
    /// Findings matching the filters, over all pages.
    pub total: u64,
    pub page: u32,
    pub per_page: u32,
    /// The asset's open findings per severity, whatever the filters.
    pub open: SeverityCounts,
}

/// Options of `GET /api/v1/findings/counts`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[serde(deny_unknown_fields)]
pub struct FindingCountsQuery {
    /// Days of trend to return, ending today (1–366, default 30).
    #[serde(default)]
    pub days: Option<u32>,
}

/// Open findings of the whole estate per severity, and how they moved day by day.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FindingCounts {
    pub open: SeverityCounts,
    /// Oldest first, ending today.
    pub trend: Vec<TrendDay>,
}

/// An asset's stored dependency inventory.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Inventory {
    /// The scan the inventory came from; absent before the first dependency scan.
    #[serde(default)]
    pub scan_id: Option<uuid::Uuid>,
    #[serde(default)]
    pub updated_at: Option<DateTime<Utc>>,
    pub components: Vec<Component>,
}

/// `GET /api/v1/packages`: who uses a package, optionally within a version range.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[serde(deny_unknown_fields)]
pub struct PackageQuery {
    /// The package name, in any spelling the ecosystem treats as the same
    /// (`Django_Rest.Framework` finds `django-rest-framework`).
    pub name: String,
    /// pypi or npm (any case); both when absent.
    #[serde(default)]
    pub ecosystem: Option<String>,
    /// A version range in the ecosystem's own syntax: `>=2.0,<2.31` (PyPI), `<4.17.21`
    /// (npm).
    #[serde(default)]
    pub range: Option<String>,
    /// From 1.
    #[serde(default)]
    pub page: Option<u32>,
    /// 1–500, default 50.
    #[serde(default)]
    pub per_page: Option<u32>,
}

/// How a declaration relates to the asked range.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum RangeMatch {
    /// No range was asked for.
    Any,
    /// The declared exact version is in the range.
    Exact,
    /// No exact version is declared, and the requirement admits versions in the range.
    Possible,
}

/// One declaration of the package, with how it matched the range.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PackageUseView {
    #[serde(flatten)]
    pub package_use: PackageUse,
    #[serde(rename = "match")]
    pub range_match: RangeMatch,
}

/// The answer to "who uses package X?".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PackageUsage {
    pub name: String,
    #[serde(default)]
    pub range: Option<String>,
    pub items: Vec<PackageUseView>,
    /// Declarations matching, over all pages.
    pub total: u64,
    /// Distinct assets among them.
    pub assets: u64,
    pub page: u32,
    pub per_page: u32,
}

/// `GET /api/v1/advisories/{id}/assets`: the assets an advisory affects now.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AdvisoryImpact {
    /// The id asked for (an OSV id or any alias: CVE, GHSA, PYSEC…).
    pub advisory: String,
    pub items: Vec<AffectedAsset>,
    /// Distinct assets.
    pub assets: u64,
}

/// One ecosystem's advisory data on the server.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AdvisorySetStatus {
    pub ecosystem: Ecosystem,
    pub imported_at: DateTime<Utc>,
    /// Where the records came from.
    pub source: String,
    pub advisories: u64,
    pub packages: u64,
    pub malicious: u64,
}

/// What one full evaluation of the stored inventories did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EvaluationSummary {
    /// `import` (through the API), `watch` (data changed on disk) or `start`.
    pub trigger: String,
    pub started_at: DateTime<Utc>,
    pub duration_ms: u64,
    /// Of it, reading inventories and matches and computing what should match.
    pub evaluate_ms: u64,
    /// Of it, writing the changes (matches, findings, announcements, audit entries).
    pub write_ms: u64,
    /// The advisory data's generation it evaluated.
    pub generation: String,
    /// Distinct packages held by some inventory or match.
    pub packages: u64,
    /// Of them, packages with advisories or earlier matches, evaluated.
    pub packages_evaluated: u64,
    /// Assets whose matches changed.
    pub assets_changed: u64,
    /// Assets left alone because an upload replaced their inventory meanwhile.
    pub assets_skipped: u64,
    pub matches_opened: u64,
    pub matches_fixed: u64,
    /// (asset, advisory) pairs announced.
    pub announced: u64,
}

/// `GET /api/v1/advisories`: the server's advisory data and the last evaluation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AdvisoryStatus {
    pub ecosystems: Vec<AdvisorySetStatus>,
    /// The last full evaluation since the server started.
    #[serde(default)]
    pub last_evaluation: Option<EvaluationSummary>,
}

/// Options of `POST /api/v1/advisories/import`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[serde(deny_unknown_fields)]
pub struct AdvisoryImportQuery {
    /// Add the records to the stored ones (replacing records with the same id) instead of
    /// replacing each imported ecosystem's data: for an organisation's own advisories.
    #[serde(default)]
    pub merge: Option<bool>,
}

/// A record that could not be imported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportProblem {
    pub file: String,
    pub reason: String,
}

/// What an advisory import read, stored, and changed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AdvisoryImportOutcome {
    pub records: u64,
    pub withdrawn: u64,
    /// Records about ecosystems Corral does not check.
    pub other_ecosystems: u64,
    pub problems: Vec<ImportProblem>,
    /// The state of each ecosystem the import wrote.
    pub written: Vec<AdvisorySetStatus>,
    pub evaluation: EvaluationSummary,
}
