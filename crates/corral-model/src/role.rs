//! Who may do what.
//!
//! Five roles, each a clear job: members register and look after their own assets; business
//! approvers and security reviewers decide; auditors read everything and change nothing;
//! admins run the installation. The whole matrix is this one function, so the API, the web
//! console and the tests all ask the same question the same way.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Role {
    Admin,
    SecurityReviewer,
    BusinessApprover,
    Member,
    Auditor,
}

impl Role {
    pub const ALL: [Role; 5] = [
        Role::Admin,
        Role::SecurityReviewer,
        Role::BusinessApprover,
        Role::Member,
        Role::Auditor,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::SecurityReviewer => "security-reviewer",
            Role::BusinessApprover => "business-approver",
            Role::Member => "member",
            Role::Auditor => "auditor",
        }
    }

    /// Whether this role may perform `action`. Ownership (for `EditOwnAsset`, `AttestOwnAsset`)
    /// is checked separately against the asset.
    pub fn allows(self, action: Action) -> bool {
        use Action::*;
        match self {
            Role::Admin => true,
            Role::SecurityReviewer => matches!(
                action,
                ViewAssets
                    | RegisterAsset
                    | EditOwnAsset
                    | AttestOwnAsset
                    | SecurityReview
                    | OverrideRisk
                    | ViewAudit
                    | ViewNotifications
                    | UploadAnyScan
                    | ImportAdvisories
            ),
            Role::BusinessApprover => matches!(
                action,
                ViewAssets | RegisterAsset | EditOwnAsset | AttestOwnAsset | BusinessSignoff
            ),
            Role::Member => matches!(
                action,
                ViewAssets | RegisterAsset | EditOwnAsset | AttestOwnAsset
            ),
            Role::Auditor => matches!(
                action,
                ViewAssets | ViewAudit | VerifyAudit | ViewNotifications
            ),
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown role `{0}`: expected admin, security-reviewer, business-approver, member or auditor"
)]
pub struct UnknownRole(pub String);

impl FromStr for Role {
    type Err = UnknownRole;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim().to_ascii_lowercase().replace('_', "-");
        Role::ALL
            .into_iter()
            .find(|r| r.as_str() == t)
            .ok_or_else(|| UnknownRole(s.to_string()))
    }
}

/// Everything a caller can ask to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Action {
    /// List and read assets, decisions and reviews.
    ViewAssets,
    /// Register a new asset.
    RegisterAsset,
    /// Edit an asset one owns (owner, backup owner or creator).
    EditOwnAsset,
    /// Edit any asset.
    EditAnyAsset,
    /// Confirm (or decommission) an asset one owns at attestation time.
    AttestOwnAsset,
    /// Attest any asset.
    AttestAnyAsset,
    /// Approve, request changes or reject as the security (technical) reviewer.
    SecurityReview,
    /// Approve, request changes or reject as the business approver.
    BusinessSignoff,
    /// Override an asset's derived risk tier, with a reason.
    OverrideRisk,
    /// Read the audit log and inclusion proofs.
    ViewAudit,
    /// Run audit verification.
    VerifyAudit,
    /// Issue and revoke API tokens.
    ManageTokens,
    /// Off-board people and hand their assets over.
    ManagePeople,
    /// Read notification delivery status.
    ViewNotifications,
    /// Change settings (notification targets, policy values).
    ManageSettings,
    /// Upload scan reports for any asset (owners upload their own assets' scans as part of
    /// `EditOwnAsset`).
    UploadAnyScan,
    /// Load advisory data into the server, which re-evaluates every stored inventory.
    ImportAdvisories,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auditors_read_everything_and_change_nothing() {
        assert!(Role::Auditor.allows(Action::ViewAudit));
        assert!(Role::Auditor.allows(Action::VerifyAudit));
        for action in [
            Action::RegisterAsset,
            Action::EditOwnAsset,
            Action::SecurityReview,
            Action::BusinessSignoff,
            Action::ManageTokens,
            Action::ManagePeople,
        ] {
            assert!(!Role::Auditor.allows(action), "{action:?}");
        }
    }

    #[test]
    fn only_the_matching_reviewer_role_may_decide() {
        assert!(Role::SecurityReviewer.allows(Action::SecurityReview));
        assert!(!Role::SecurityReviewer.allows(Action::BusinessSignoff));
        assert!(Role::BusinessApprover.allows(Action::BusinessSignoff));
        assert!(!Role::BusinessApprover.allows(Action::SecurityReview));
        assert!(!Role::Member.allows(Action::SecurityReview));
    }

    #[test]
    fn security_reviewers_and_admins_feed_scans_and_advisories_and_nobody_else_does() {
        for role in Role::ALL {
            let expected = matches!(role, Role::Admin | Role::SecurityReviewer);
            assert_eq!(role.allows(Action::UploadAnyScan), expected, "{role}");
            assert_eq!(role.allows(Action::ImportAdvisories), expected, "{role}");
        }
    }

    #[test]
    fn roles_parse_with_dashes_or_underscores() {
        assert_eq!(
            "security_reviewer".parse::<Role>(),
            Ok(Role::SecurityReviewer)
        );
        assert!("root".parse::<Role>().is_err());
    }
}
