//! Hand-over when someone leaves: every asset they own or back up gets a new person.
//!
//! When an employee leaves, their scripts must not become orphans. The plan reassigns
//! ownership and backup ownership to a successor and lists what needs a person's attention:
//! an asset left without a backup owner (because the successor already was the backup), or
//! credentials the leaver had access to that must be rotated.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::asset::Asset;

/// Which ownership field changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum OwnershipField {
    Owner,
    BackupOwner,
}

/// One change the hand-over makes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OwnershipChange {
    pub asset_id: Uuid,
    pub asset_name: String,
    pub field: OwnershipField,
    pub from: String,
    /// `None` when the field is left empty (see the attention list).
    pub to: Option<String>,
}

/// Something a person must look at after the hand-over.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Attention {
    pub asset_id: Uuid,
    pub asset_name: String,
    pub reason: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HandoverPlan {
    pub changes: Vec<OwnershipChange>,
    pub attention: Vec<Attention>,
}

/// Plans the hand-over of everything `leaver` owns or backs up to `successor`.
pub fn plan_handover(assets: &[Asset], leaver: &str, successor: &str) -> HandoverPlan {
    let mut plan = HandoverPlan::default();
    let same = |a: &str, b: &str| a.eq_ignore_ascii_case(b);
    for asset in assets {
        let backup = asset.backup_owner_email.as_deref();
        if same(&asset.owner_email, leaver) {
            plan.changes.push(OwnershipChange {
                asset_id: asset.id,
                asset_name: asset.name.clone(),
                field: OwnershipField::Owner,
                from: asset.owner_email.clone(),
                to: Some(successor.to_string()),
            });
            if backup.is_some_and(|b| same(b, successor)) {
                plan.changes.push(OwnershipChange {
                    asset_id: asset.id,
                    asset_name: asset.name.clone(),
                    field: OwnershipField::BackupOwner,
                    from: successor.to_string(),
                    to: None,
                });
            }
        } else if backup.is_some_and(|b| same(b, leaver)) {
            let to = (!same(&asset.owner_email, successor)).then(|| successor.to_string());
            plan.changes.push(OwnershipChange {
                asset_id: asset.id,
                asset_name: asset.name.clone(),
                field: OwnershipField::BackupOwner,
                from: leaver.to_string(),
                to,
            });
        } else {
            continue;
        }
        let new_backup = plan
            .changes
            .iter()
            .rev()
            .find(|c| c.asset_id == asset.id && c.field == OwnershipField::BackupOwner)
            .map(|c| c.to.clone())
            .unwrap_or_else(|| asset.backup_owner_email.clone());
        if new_backup.is_none() {
            plan.attention.push(Attention {
                asset_id: asset.id,
                asset_name: asset.name.clone(),
                reason: "has no backup owner after the hand-over: name one".into(),
            });
        }
    }
    plan
}

impl HandoverPlan {
    /// Applies the plan's changes to `asset` (the caller stores it).
    pub fn apply_to(&self, asset: &mut Asset) {
        for change in self.changes.iter().filter(|c| c.asset_id == asset.id) {
            match change.field {
                OwnershipField::Owner => {
                    asset.owner_email = change
                        .to
                        .clone()
                        .unwrap_or_else(|| asset.owner_email.clone())
                }
                OwnershipField::BackupOwner => asset.backup_owner_email = change.to.clone(),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::asset::{AssetDraft, DeploymentStatus};
    use crate::tier::DataTier;
    use chrono::Utc;

    fn asset(name: &str, owner: &str, backup: Option<&str>) -> Asset {
        let draft = AssetDraft {
            name: name.into(),
            purpose: "Does a thing.".into(),
            creator_email: owner.into(),
            department: "Ops".into(),
            backup_owner_email: backup.map(Into::into),
            data_tier: Some(DataTier::Internal),
            ai_tool: Some("Claude Code 2.1".parse().unwrap()),
            status: Some(DeploymentStatus::Production),
            ..Default::default()
        };
        Asset::from_draft(draft.validate().unwrap(), Uuid::new_v4(), Utc::now())
    }

    #[test]
    fn offboarding_reassigns_owned_and_backed_up_assets_to_the_successor() {
        let assets = vec![
            asset("a", "leo@example.com", Some("kim@example.com")),
            asset("b", "kim@example.com", Some("leo@example.com")),
            asset("c", "kim@example.com", None),
        ];
        let plan = plan_handover(&assets, "leo@example.com", "sam@example.com");
        assert_eq!(plan.changes.len(), 2);
        let mut a = assets[0].clone();
        plan.apply_to(&mut a);
        assert_eq!(a.owner_email, "sam@example.com");
        assert_eq!(a.backup_owner_email.as_deref(), Some("kim@example.com"));
        let mut b = assets[1].clone();
        plan.apply_to(&mut b);
        assert_eq!(b.backup_owner_email.as_deref(), Some("sam@example.com"));
        assert!(plan.attention.is_empty());
    }

    #[test]
    fn a_successor_who_was_the_backup_leaves_the_asset_without_backup_and_says_so() {
        let assets = vec![asset("a", "leo@example.com", Some("sam@example.com"))];
        let plan = plan_handover(&assets, "leo@example.com", "sam@example.com");
        let mut a = assets[0].clone();
        plan.apply_to(&mut a);
        assert_eq!(a.owner_email, "sam@example.com");
        assert_eq!(a.backup_owner_email, None);
        assert_eq!(plan.attention.len(), 1);
        assert!(plan.attention[0].reason.contains("no backup owner"));
    }

    #[test]
    fn an_asset_without_backup_is_flagged_after_its_owner_leaves() {
        let assets = vec![asset("a", "leo@example.com", None)];
        let plan = plan_handover(&assets, "LEO@example.com", "sam@example.com");
        assert_eq!(plan.changes.len(), 1);
        assert_eq!(plan.attention.len(), 1);
    }
}
