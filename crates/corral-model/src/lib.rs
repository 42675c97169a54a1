//! Corral's domain model: the types every capability shares, and the pure rules over them.
//!
//! This crate does no I/O. Scanners, the store, the server, the runner and the gate all meet
//! in these types, so a [`Finding`] means the same thing in a terminal, in SARIF and in the
//! database, and the workflow policy can be tested without a server.
//!
//! - Registry: [`asset`], [`tier`], [`descriptor`], [`validation`].
//! - Workflow: [`policy`], [`review`], [`decision`], [`attestation`], [`handover`],
//!   [`business_days`], [`role`].
//! - Record keeping: [`audit`] (entries of the tamper-evident log), [`event`] (notifications).
//! - Scanning: [`finding`], [`component`], [`report`], [`scanner`], [`redaction`], [`severity`].
//! - On the server: [`scan_record`] (uploads), [`finding_record`] (findings with their
//!   history), [`advisory_match`] (assets an advisory affects), [`package_use`] (who uses a
//!   package).

pub mod advisory_match;
pub mod asset;
pub mod attestation;
pub mod audit;
pub mod business_days;
pub mod component;
pub mod decision;
pub mod descriptor;
pub mod event;
pub mod finding;
pub mod finding_record;
pub mod handover;
pub mod package_use;
pub mod policy;
pub mod redaction;
pub mod report;
pub mod review;
pub mod role;
pub mod scan_record;
pub mod scanner;
pub mod severity;
pub mod tier;
pub mod validation;

pub use advisory_match::{AdvisoryMatch, MatchedDeclaration};
pub use asset::{AiTool, ApprovalState, Asset, AssetDraft, DeploymentStatus, RiskOverride};
pub use audit::AuditEvent;
pub use component::{Component, ComponentSource, Ecosystem};
pub use decision::{Decision, DecisionKind};
pub use event::{Event, EventKind};
pub use finding::{CommitInfo, Finding, Location, fingerprint};
pub use finding_record::{FindingOrigin, FindingRecord, FindingState, Resolution, TrendDay};
pub use package_use::{AffectedAsset, AssetContact, PackageUse};
pub use policy::{Evaluation, PolicyConfig};
pub use redaction::{RedactedSecret, secret_hash};
pub use report::{
    AiToolEvidence, FileError, REPORT_SCHEMA_VERSION, Report, ScanStats, SkipReason, SkippedFile,
    ToolInfo,
};
pub use review::{Review, ReviewAction, SignoffRole};
pub use role::{Action, Role};
pub use scan_record::{ScanRecord, ScanSummary};
pub use scanner::{RuleInfo, ScanOutput, Scanner, SourceFile};
pub use severity::{Confidence, Severity, SeverityCounts};
pub use tier::{Access, DataTier, RiskTier, SystemAccess};
