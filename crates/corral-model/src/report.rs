//! One scan, as data.
//!
//! The JSON report, SARIF and SBOM outputs are all views of a [`Report`], and the server
//! stores it as uploaded. Its JSON form is a published, versioned schema
//! ([`REPORT_SCHEMA_VERSION`]): fields are only ever added within a version.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::component::Component;
use crate::finding::{Finding, Location};
use crate::severity::Severity;

/// Version of the JSON report schema. Bumped only for incompatible changes.
pub const REPORT_SCHEMA_VERSION: u32 = 1;

/// The tool that produced a report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ToolInfo {
    pub name: String,
    pub version: String,
}

/// One complete scan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Report {
    pub schema_version: u32,
    pub tool: ToolInfo,
    pub started_at: DateTime<Utc>,
    pub duration_ms: u64,
    /// The paths the scan started from, as given.
    pub roots: Vec<String>,
    /// Scanners that ran, e.g. `["secrets", "deps"]`.
    pub scanners: Vec<String>,
    pub stats: ScanStats,
    /// Files not scanned, each with the reason.
    #[serde(default)]
    pub skipped: Vec<SkippedFile>,
    /// Files a scanner could not process (malformed, unreadable); the rest of the scan went on.
    #[serde(default)]
    pub errors: Vec<FileError>,
    pub findings: Vec<Finding>,
    /// Findings silenced by an inline `corral:allow` comment, kept so suppressions stay visible.
    #[serde(default)]
    pub suppressed: Vec<Finding>,
    /// Findings left out because a baseline already lists them.
    #[serde(default)]
    pub baselined: usize,
    /// The dependency inventory.
    #[serde(default)]
    pub components: Vec<Component>,
    /// AI coding tools the scanned repository is set up for, with the file that shows it.
    #[serde(default)]
    pub ai_tools: Vec<AiToolEvidence>,
}

impl Report {
    /// An empty report stamped with the current tool version.
    pub fn new(tool_version: &str, started_at: DateTime<Utc>) -> Self {
        Self {
            schema_version: REPORT_SCHEMA_VERSION,
            tool: ToolInfo {
                name: "corral".into(),
                version: tool_version.into(),
            },
            started_at,
            duration_ms: 0,
            roots: Vec::new(),
            scanners: Vec::new(),
            stats: ScanStats::default(),
            skipped: Vec::new(),
            errors: Vec::new(),
            findings: Vec::new(),
            suppressed: Vec::new(),
            baselined: 0,
            components: Vec::new(),
            ai_tools: Vec::new(),
        }
    }

    /// Number of findings at each severity, most severe first.
    pub fn counts_by_severity(&self) -> Vec<(Severity, usize)> {
        Severity::ALL
            .iter()
            .map(|&s| (s, self.findings.iter().filter(|f| f.severity == s).count()))
            .collect()
    }

    /// The most severe finding's severity, if any.
    pub fn max_severity(&self) -> Option<Severity> {
        self.findings.iter().map(|f| f.severity).max()
    }
}

/// Counters for the summary line.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ScanStats {
    pub files_scanned: u64,
    pub bytes_scanned: u64,
    pub files_skipped: u64,
}

/// Why a file was not scanned.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum SkipReason {
    /// Looks binary (NUL bytes or not text).
    Binary,
    /// Larger than the configured limit.
    TooLarge { size: u64, limit: u64 },
    /// Could not be read.
    Unreadable { error: String },
    /// A symlink, not followed.
    Symlink,
}

impl std::fmt::Display for SkipReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SkipReason::Binary => f.write_str("binary file"),
            SkipReason::TooLarge { size, limit } => {
                write!(f, "{size} bytes is over the {limit}-byte limit")
            }
            SkipReason::Unreadable { error } => write!(f, "unreadable: {error}"),
            SkipReason::Symlink => f.write_str("symbolic link (not followed)"),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SkippedFile {
    pub path: String,
    pub reason: SkipReason,
}

/// A file a scanner could not process, and why. The scan goes on without it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FileError {
    pub scanner: String,
    pub path: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
    pub message: String,
}

/// Evidence that a repository is set up for an AI coding tool.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AiToolEvidence {
    /// e.g. `Claude Code`, `Cursor`, `GitHub Copilot`.
    pub tool: String,
    pub location: Location,
}
