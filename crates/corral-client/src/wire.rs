//! The request and response bodies of Corral's `/api/v1` API.
//!
//! The server serialises exactly these types and the client deserialises them, so the two
//! cannot drift apart; the OpenAPI document is derived from them too (feature `openapi`).
//! Domain records (`Asset`, `Review`, `Decision`, `AuditEvent`…) travel as the model types
//! themselves: the API adds envelopes and computed fields around them, never a second copy.

use chrono::{DateTime, Utc};
use corral_model::asset::{AiTool, ApprovalState, Asset, DeploymentStatus};
use corral_model::attestation::AttestationChoice;
use corral_model::decision::Decision;
use corral_model::handover::HandoverPlan;
use corral_model::policy::Evaluation;
use corral_model::review::{Review, ReviewAction, SignoffRole};
use corral_model::role::Role;
use corral_model::tier::{DataTier, RiskTier, SystemAccess};
use corral_model::validation::FieldError;
use corral_model::{AuditEvent, EventKind};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Every error answer: `{ "error": { "code", "message", "fields", "existing" } }`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorDetail {
    /// Stable machine-readable code: `validation`, `duplicate`, `unauthenticated`,
    /// `forbidden`, `not-found`, `conflict`, `bad-request`, `too-large`, `internal`.
    pub code: String,
    /// One sentence for a person.
    pub message: String,
    /// What to do about it, when there is something to do.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    /// For `validation`: every field that broke a rule.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldError>,
    /// For `duplicate`: the asset that is already registered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub existing: Option<AssetRef>,
}

/// A pointer to an asset.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AssetRef {
    pub id: Uuid,
    pub name: String,
    /// The API path of the asset, e.g. `/api/v1/assets/0190…`.
    pub href: String,
}

impl AssetRef {
    pub fn of(asset: &Asset) -> Self {
        Self {
            id: asset.id,
            name: asset.name.clone(),
            href: format!("/api/v1/assets/{}", asset.id),
        }
    }
}

/// An asset with what the server computes about it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AssetView {
    #[serde(flatten)]
    pub asset: Asset,
    /// The effective risk tier (a reviewer's override, else the derived one).
    pub risk_tier: RiskTier,
    /// When the next attestation is due; absent when none is needed.
    #[serde(default)]
    pub attestation_due_at: Option<DateTime<Utc>>,
}

/// The answer to a registration or an edit: the asset and what the policy decided.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AssetOutcome {
    pub asset: AssetView,
    /// The policy's evaluation; absent for an edit that did not need one.
    #[serde(default)]
    pub evaluation: Option<Evaluation>,
    /// The review the policy opened, if any.
    #[serde(default)]
    pub review: Option<Review>,
}

/// One asset with its history and open review.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AssetDetail {
    pub asset: AssetView,
    #[serde(default)]
    pub open_review: Option<ReviewView>,
    pub decisions: Vec<Decision>,
}

/// A page of assets.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AssetPage {
    pub items: Vec<AssetView>,
    /// How many assets match the filters in all.
    pub total: u64,
    pub page: u32,
    pub per_page: u32,
}

/// Filters for `GET /api/v1/assets`. Every filter is optional; they combine with AND.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[serde(deny_unknown_fields)]
pub struct AssetQuery {
    /// Data tier, 1–4 or its name.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", param(value_type = Option<u8>))]
    pub tier: Option<DataTier>,
    /// development, production or decommissioned.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", param(value_type = Option<String>))]
    pub status: Option<DeploymentStatus>,
    /// approved, pending-review, changes-requested, rejected or blocked.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", param(value_type = Option<String>))]
    pub approval: Option<ApprovalState>,
    /// Exact department name (case-insensitive).
    #[serde(default)]
    pub department: Option<String>,
    /// Effective risk tier: critical, standard or low.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", param(value_type = Option<String>))]
    pub risk: Option<RiskTier>,
    /// Owner, backup owner or creator e-mail.
    #[serde(default)]
    pub person: Option<String>,
    /// Free text: each word must begin a word of the name, purpose, department, owner or
    /// repository (any case), so `pay` finds "payroll".
    #[serde(default)]
    pub q: Option<String>,
    /// Page number, from 1.
    #[serde(default)]
    pub page: Option<u32>,
    /// Assets per page, 1–500 (default 50).
    #[serde(default)]
    pub per_page: Option<u32>,
}

/// A partial update of an asset: only the fields present change.
///
/// Changing the data tier, the systems or the status runs the policy again.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AssetPatch {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub purpose: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub department: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner_email: Option<String>,
    /// An empty string removes the backup owner.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub backup_owner_email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data_tier: Option<DataTier>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ai_tool: Option<AiTool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<DeploymentStatus>,
    /// An empty string removes the repository.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repository: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub systems: Option<Vec<SystemAccess>>,
}

/// A security reviewer's override of the derived risk tier.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RiskOverrideRequest {
    pub tier: RiskTier,
    /// Why the derived tier is wrong; required.
    pub reason: String,
}

/// A review with what the server computes about it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReviewView {
    #[serde(flatten)]
    pub review: Review,
    pub asset_name: String,
    /// Sign-offs still needed (dual sign-off progress).
    pub missing: Vec<SignoffRole>,
    pub overdue: bool,
}

/// Which reviews to list.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum ReviewFilter {
    /// Open reviews (the default).
    #[default]
    Open,
    /// Open reviews past their deadline.
    Overdue,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
pub struct ReviewQuery {
    /// open (default) or overdue.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", param(value_type = Option<String>))]
    pub state: Option<ReviewFilter>,
}

/// A reviewer's decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ReviewActionRequest {
    pub action: ReviewAction,
    /// Why; required for every action.
    pub comment: String,
}

/// What a review action did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReviewActionOutcome {
    pub review: ReviewView,
    /// The capacity an approval was counted in.
    #[serde(default)]
    pub signed_as: Option<SignoffRole>,
    /// The asset's approval state after the action.
    pub approval: ApprovalState,
}

/// An owner's attestation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AttestRequest {
    pub choice: AttestationChoice,
    #[serde(default)]
    pub comment: Option<String>,
}

/// An asset whose attestation is overdue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AttestationDue {
    pub asset: AssetRef,
    pub owner_email: String,
    pub due_at: DateTime<Utc>,
}

/// What a person owns, backs up or created.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PersonAssets {
    pub person: String,
    pub owns: Vec<AssetRef>,
    pub backs_up: Vec<AssetRef>,
    pub created: Vec<AssetRef>,
}

/// Off-board a person: everything they own or back up goes to the successor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct OffboardRequest {
    pub person: String,
    pub successor: String,
}

/// The hand-over that was applied.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OffboardOutcome {
    pub person: String,
    pub successor: String,
    #[serde(flatten)]
    pub plan: HandoverPlan,
}

/// A page of audit events.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditPage {
    pub events: Vec<AuditEvent>,
    /// Entries in the log in all.
    pub size: u64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
pub struct AuditQuery {
    /// First sequence number to return (default 0).
    #[serde(default)]
    pub from: Option<u64>,
    /// Events to return, 1–1000 (default 100).
    #[serde(default)]
    pub limit: Option<u32>,
    /// Only events about this subject (e.g. an asset id).
    #[serde(default)]
    pub subject: Option<String>,
}

/// The result of re-hashing the whole log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditVerification {
    pub ok: bool,
    pub size: u64,
    pub root: String,
    /// The first entry that does not match, when `ok` is false.
    #[serde(default)]
    pub first_bad_seq: Option<u64>,
    pub message: String,
    /// The verifier's full report (problems, signatures checked, latest checkpoint).
    #[serde(default)]
    pub report: serde_json::Value,
}

/// Issue an API token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct TokenRequest {
    /// A label, e.g. `ci-sales` or the person's name.
    pub name: String,
    /// The person (or service owner) acting with this token.
    pub email: String,
    pub role: Role,
    /// Days until the token stops working; absent for no expiry.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_in_days: Option<u32>,
}

/// A token as listed: never the secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TokenInfo {
    pub id: Uuid,
    pub name: String,
    pub email: String,
    pub role: Role,
    pub created_at: DateTime<Utc>,
    #[serde(default)]
    pub expires_at: Option<DateTime<Utc>>,
    #[serde(default)]
    pub revoked_at: Option<DateTime<Utc>>,
    #[serde(default)]
    pub last_used_at: Option<DateTime<Utc>>,
}

/// A newly issued token: the secret is shown this once and stored only hashed.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IssuedToken {
    pub token: String,
    pub info: TokenInfo,
}

impl std::fmt::Debug for IssuedToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IssuedToken")
            .field("token", &corral_model::RedactedSecret::new(&self.token))
            .field("info", &self.info)
            .finish()
    }
}

/// Who the caller is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WhoAmI {
    pub email: String,
    pub token_name: String,
    pub role: Role,
}

/// Delivery state of one notification.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum DeliveryState {
    /// Waiting for its first or next attempt.
    Pending,
    Delivered,
    /// Gave up after the last attempt.
    Failed,
}

/// One notification delivery (an event to one target).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DeliveryView {
    pub id: Uuid,
    pub target: String,
    pub kind: EventKind,
    pub title: String,
    pub state: DeliveryState,
    pub attempts: u32,
    #[serde(default)]
    pub last_error: Option<String>,
    #[serde(default)]
    pub next_attempt_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

/// Counts per target.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TargetStatus {
    pub target: String,
    pub pending: u64,
    pub delivered: u64,
    pub failed: u64,
}

/// Notification delivery status: counts and the most recent problems.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NotificationStatus {
    pub targets: Vec<TargetStatus>,
    /// The latest deliveries that failed or are retrying, newest first.
    pub problems: Vec<DeliveryView>,
}

/// `GET /healthz`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Health {
    pub status: String,
    pub version: String,
    pub database: String,
}

// The scan, finding, package and advisory endpoints' bodies live in their own file.
pub use crate::findings_api::*;
