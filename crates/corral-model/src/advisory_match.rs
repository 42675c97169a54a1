//! An asset found to use a package an advisory affects.
//!
//! The server re-evaluates stored inventories whenever its advisory data changes, and
//! evaluates every uploaded inventory at once. Each (asset, package, advisory) it finds is
//! kept as an [`AdvisoryMatch`] until the advisory stops matching (a fixed version is
//! installed, or the advisory is withdrawn), so "which assets does CVE-… affect, and who
//! owns them" is one lookup, by any of the advisory's ids or aliases.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::component::Ecosystem;
use crate::severity::Severity;

/// One advisory affecting one package of one asset.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AdvisoryMatch {
    pub asset_id: Uuid,
    pub ecosystem: Ecosystem,
    /// The package name, normalised per ecosystem.
    pub package: String,
    /// The id the advisory is known by (its GHSA id when it has one).
    pub advisory_id: String,
    /// Every id and alias of the advisory (CVE, GHSA, PYSEC, MAL…), sorted.
    pub ids: Vec<String>,
    /// The declarations it matched: exact versions, or requirements admitting an affected one.
    pub matched: Vec<MatchedDeclaration>,
    pub severity: Severity,
    /// The fingerprint of the finding the match opened.
    pub fingerprint: String,
    pub first_matched: DateTime<Utc>,
    /// When it stopped matching; absent while it matches.
    #[serde(default)]
    pub fixed_at: Option<DateTime<Utc>>,
}

/// Where an affected package is declared, at which version or requirement.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MatchedDeclaration {
    pub path: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub requirement: Option<String>,
}
