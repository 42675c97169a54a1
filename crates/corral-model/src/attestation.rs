//! Attestations: owners confirm, every period, that an asset is still needed and still theirs.
//!
//! Registries rot: scripts keep running long after anyone remembers why. Every approved asset
//! that has not been decommissioned is due for attestation one period (quarterly by default)
//! after its last attestation, or after registration if it was never attested. The owner
//! either confirms it is still active or decommissions it.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use crate::asset::{ApprovalState, Asset, DeploymentStatus};

/// What an owner says at attestation time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum AttestationChoice {
    /// Still in use, still owned, the registry entry is accurate.
    StillActive,
    /// No longer needed: mark it decommissioned.
    Decommission,
}

/// When `asset` is next due for attestation, or `None` when it does not need one
/// (decommissioned, or not approved to run).
pub fn attestation_due(asset: &Asset, period_days: u32) -> Option<DateTime<Utc>> {
    if asset.status == DeploymentStatus::Decommissioned || asset.approval != ApprovalState::Approved
    {
        return None;
    }
    let since = asset.last_attested_at.unwrap_or(asset.created_at);
    Some(since + Duration::days(i64::from(period_days)))
}

/// Whether `asset`'s attestation is overdue at `now`.
pub fn attestation_overdue(asset: &Asset, period_days: u32, now: DateTime<Utc>) -> bool {
    attestation_due(asset, period_days).is_some_and(|due| now > due)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::asset::AssetDraft;
    use crate::tier::DataTier;
    use uuid::Uuid;

    fn approved(created: DateTime<Utc>) -> Asset {
        let draft = AssetDraft {
            name: "report".into(),
            purpose: "Builds the weekly report.".into(),
            creator_email: "ana@example.com".into(),
            department: "Finance".into(),
            data_tier: Some(DataTier::Internal),
            ai_tool: Some("Cursor 1.0".parse().unwrap()),
            status: Some(DeploymentStatus::Production),
            ..Default::default()
        };
        let mut a = Asset::from_draft(draft.validate().unwrap(), Uuid::nil(), created);
        a.approval = ApprovalState::Approved;
        a
    }

    #[test]
    fn an_asset_never_attested_is_due_one_period_after_registration() {
        let created = Utc::now() - Duration::days(100);
        let a = approved(created);
        assert_eq!(attestation_due(&a, 91), Some(created + Duration::days(91)));
        assert!(attestation_overdue(&a, 91, Utc::now()));
    }

    #[test]
    fn attesting_restarts_the_period() {
        let mut a = approved(Utc::now() - Duration::days(100));
        a.last_attested_at = Some(Utc::now() - Duration::days(10));
        assert!(!attestation_overdue(&a, 91, Utc::now()));
    }

    #[test]
    fn decommissioned_and_unapproved_assets_need_no_attestation() {
        let mut a = approved(Utc::now() - Duration::days(400));
        a.status = DeploymentStatus::Decommissioned;
        assert_eq!(attestation_due(&a, 91), None);
        let mut b = approved(Utc::now() - Duration::days(400));
        b.approval = ApprovalState::Blocked;
        assert!(!attestation_overdue(&b, 91, Utc::now()));
    }
}
