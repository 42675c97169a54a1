//! Decisions: what the policy or a person decided about an asset, by whom, when and why.
//!
//! Decisions are the asset's history as people read it ("approved by policy", "security
//! sign-off by sec@…: read-only access, fine"); the audit log holds the same facts in
//! tamper-evident form.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::review::SignoffRole;

/// The actor name used for decisions the policy takes on its own.
pub const POLICY_ACTOR: &str = "policy";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum DecisionKind {
    /// Approved (by policy at once, or when a review's last sign-off arrived).
    Approved,
    /// A review was opened.
    ReviewRequested,
    /// Blocked by policy.
    Blocked,
    /// One sign-off of a review that needs several.
    Signoff,
    ChangesRequested,
    Rejected,
    /// A reviewer changed the risk tier.
    RiskOverridden,
}

impl DecisionKind {
    pub fn as_str(self) -> &'static str {
        match self {
            DecisionKind::Approved => "approved",
            DecisionKind::ReviewRequested => "review-requested",
            DecisionKind::Blocked => "blocked",
            DecisionKind::Signoff => "signoff",
            DecisionKind::ChangesRequested => "changes-requested",
            DecisionKind::Rejected => "rejected",
            DecisionKind::RiskOverridden => "risk-overridden",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Decision {
    pub id: Uuid,
    pub asset_id: Uuid,
    #[serde(default)]
    pub review_id: Option<Uuid>,
    pub kind: DecisionKind,
    /// [`POLICY_ACTOR`] or the person's e-mail.
    pub actor: String,
    /// The capacity of a person's sign-off.
    #[serde(default)]
    pub role: Option<SignoffRole>,
    /// The policy's reason or the person's comment.
    pub comment: String,
    pub at: DateTime<Utc>,
}
