//! The registry entry for one AI-built asset (script, app, notebook, automation).
//!
//! An [`Asset`] is what the registry stores; an [`AssetDraft`] is what a person (web form,
//! CLI) or a repository's descriptor submits. Drafts are validated field by field so that an
//! error can name the field and the rule it broke, all at once, rather than one per attempt.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::tier::{DataTier, RiskTier, SystemAccess, derive_risk_tier};
use crate::validation::{FieldError, ValidationErrors, is_valid_email, is_valid_name};

/// Longest allowed business purpose, in characters.
pub const PURPOSE_MAX_CHARS: usize = 280;

/// Where an asset is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum DeploymentStatus {
    Development,
    Production,
    Decommissioned,
}

impl DeploymentStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            DeploymentStatus::Development => "development",
            DeploymentStatus::Production => "production",
            DeploymentStatus::Decommissioned => "decommissioned",
        }
    }
}

impl fmt::Display for DeploymentStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown deployment status `{0}`: expected development, production or decommissioned")]
pub struct UnknownStatus(pub String);

impl FromStr for DeploymentStatus {
    type Err = UnknownStatus;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "development" | "dev" => Ok(DeploymentStatus::Development),
            "production" | "prod" => Ok(DeploymentStatus::Production),
            "decommissioned" | "retired" => Ok(DeploymentStatus::Decommissioned),
            _ => Err(UnknownStatus(s.to_string())),
        }
    }
}

/// Where the asset stands in the approval workflow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum ApprovalState {
    /// Approved: may run at its current status.
    Approved,
    /// Waiting for a review (security review, or sign-off for a critical asset).
    PendingReview,
    /// A reviewer asked for changes; editing the asset re-submits it.
    ChangesRequested,
    /// A reviewer rejected it.
    Rejected,
    /// Blocked by policy (tier 4). Kept, visible to security, never silently dropped.
    Blocked,
}

impl ApprovalState {
    pub fn as_str(self) -> &'static str {
        match self {
            ApprovalState::Approved => "approved",
            ApprovalState::PendingReview => "pending-review",
            ApprovalState::ChangesRequested => "changes-requested",
            ApprovalState::Rejected => "rejected",
            ApprovalState::Blocked => "blocked",
        }
    }
}

impl fmt::Display for ApprovalState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for ApprovalState {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        [
            ApprovalState::Approved,
            ApprovalState::PendingReview,
            ApprovalState::ChangesRequested,
            ApprovalState::Rejected,
            ApprovalState::Blocked,
        ]
        .into_iter()
        .find(|state| state.as_str() == s.trim())
        .ok_or_else(|| {
            format!(
                "unknown approval state `{s}`: expected approved, pending-review, \
                 changes-requested, rejected or blocked"
            )
        })
    }
}

/// The AI tool an asset was built with, e.g. "Claude Code" "2.1".
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AiTool {
    pub product: String,
    pub version: String,
}

impl FromStr for AiTool {
    type Err = String;

    /// Parses "Claude Code 2.1": the last word is the version when it starts with a digit.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        match s.rsplit_once(' ') {
            Some((product, version))
                if version.starts_with(|c: char| c.is_ascii_digit())
                    && !product.trim().is_empty() =>
            {
                Ok(AiTool {
                    product: product.trim().to_string(),
                    version: version.to_string(),
                })
            }
            _ => Err(format!(
                "`{s}` does not name a product and a version, as in \"Claude Code 2.1\""
            )),
        }
    }
}

impl fmt::Display for AiTool {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.product, self.version)
    }
}

/// A reviewer's override of the derived risk tier.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RiskOverride {
    pub tier: RiskTier,
    pub reason: String,
    pub by: String,
    pub at: DateTime<Utc>,
}

/// One registered asset.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Asset {
    pub id: Uuid,
    /// Short unique name, e.g. `lead-scoring`.
    pub name: String,
    /// One sentence: what business purpose it serves.
    pub purpose: String,
    pub creator_email: String,
    pub department: String,
    pub owner_email: String,
    #[serde(default)]
    pub backup_owner_email: Option<String>,
    pub data_tier: DataTier,
    pub ai_tool: AiTool,
    pub status: DeploymentStatus,
    #[serde(default)]
    pub repository: Option<String>,
    #[serde(default)]
    pub systems: Vec<SystemAccess>,
    /// Derived from `systems` and `data_tier`; see [`Asset::risk_tier`] for the effective one.
    pub derived_risk_tier: RiskTier,
    #[serde(default)]
    pub risk_override: Option<RiskOverride>,
    pub approval: ApprovalState,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    #[serde(default)]
    pub last_attested_at: Option<DateTime<Utc>>,
}

impl Asset {
    /// A new asset from a validated draft. The approval state is set by the policy afterwards.
    pub fn from_draft(draft: ValidDraft, id: Uuid, now: DateTime<Utc>) -> Self {
        let d = draft.0;
        let derived_risk_tier = derive_risk_tier(&d.systems, d.data_tier.expect("validated"));
        Asset {
            id,
            name: d.name,
            purpose: d.purpose.trim().to_string(),
            owner_email: d.owner_email.unwrap_or_else(|| d.creator_email.clone()),
            creator_email: d.creator_email,
            department: d.department,
            backup_owner_email: d.backup_owner_email,
            data_tier: d.data_tier.expect("validated"),
            ai_tool: d.ai_tool.expect("validated"),
            status: d.status.expect("validated"),
            repository: d.repository,
            systems: d.systems,
            derived_risk_tier,
            risk_override: None,
            approval: ApprovalState::PendingReview,
            created_at: now,
            updated_at: now,
            last_attested_at: None,
        }
    }

    /// The effective risk tier: a reviewer's override, else the derived one.
    pub fn risk_tier(&self) -> RiskTier {
        self.risk_override
            .as_ref()
            .map(|o| o.tier)
            .unwrap_or(self.derived_risk_tier)
    }

    /// Whether `email` owns or backs up this asset.
    pub fn is_owned_by(&self, email: &str) -> bool {
        self.owner_email.eq_ignore_ascii_case(email)
            || self
                .backup_owner_email
                .as_deref()
                .is_some_and(|b| b.eq_ignore_ascii_case(email))
            || self.creator_email.eq_ignore_ascii_case(email)
    }
}

/// What someone submits to register (or, in full, to update) an asset.
///
/// Every field is optional here so that a form or descriptor with several mistakes gets all of
/// them reported at once by [`AssetDraft::validate`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AssetDraft {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub purpose: String,
    #[serde(default)]
    pub creator_email: String,
    #[serde(default)]
    pub department: String,
    #[serde(default)]
    pub owner_email: Option<String>,
    #[serde(default)]
    pub backup_owner_email: Option<String>,
    #[serde(default)]
    pub data_tier: Option<DataTier>,
    #[serde(default)]
    pub ai_tool: Option<AiTool>,
    #[serde(default)]
    pub status: Option<DeploymentStatus>,
    #[serde(default)]
    pub repository: Option<String>,
    #[serde(default)]
    pub systems: Vec<SystemAccess>,
}

/// A draft that passed validation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidDraft(AssetDraft);

impl ValidDraft {
    pub fn draft(&self) -> &AssetDraft {
        &self.0
    }
}

impl AssetDraft {
    /// Checks every field, reporting every problem with the field name and the rule.
    pub fn validate(self) -> Result<ValidDraft, ValidationErrors> {
        let mut errors = Vec::new();
        let mut err = |field: &str, rule: String| {
            errors.push(FieldError {
                field: field.to_string(),
                rule,
            })
        };
        if !is_valid_name(&self.name) {
            err(
                "name",
                "is required: 1–64 lowercase letters, digits and dashes, starting with a letter \
                 (e.g. `lead-scoring`)"
                    .into(),
            );
        }
        let purpose = self.purpose.trim();
        if purpose.is_empty() {
            err(
                "purpose",
                "is required: one sentence on the business purpose".into(),
            );
        } else if purpose.chars().count() > PURPOSE_MAX_CHARS {
            err(
                "purpose",
                format!(
                    "must be at most {PURPOSE_MAX_CHARS} characters (one sentence); it has {}",
                    purpose.chars().count()
                ),
            );
        } else if purpose.contains(['\n', '\r']) {
            err(
                "purpose",
                "must be one sentence on one line; put details in the repository's README".into(),
            );
        }
        if !is_valid_email(&self.creator_email) {
            err(
                "creator_email",
                "is required and must be an e-mail address such as `ana@example.com`".into(),
            );
        }
        if self.department.trim().is_empty() {
            err(
                "department",
                "is required: the team the creator works in".into(),
            );
        }
        for (field, value) in [
            ("owner_email", &self.owner_email),
            ("backup_owner_email", &self.backup_owner_email),
        ] {
            if let Some(v) = value
                && !is_valid_email(v)
            {
                err(
                    field,
                    format!("must be an e-mail address such as `ana@example.com`, not `{v}`"),
                );
            }
        }
        let owner = self
            .owner_email
            .as_deref()
            .unwrap_or(self.creator_email.as_str());
        if let Some(backup) = &self.backup_owner_email
            && backup.eq_ignore_ascii_case(owner)
        {
            err(
                "backup_owner_email",
                "must be a different person from the owner".into(),
            );
        }
        if self.data_tier.is_none() {
            err(
                "data_tier",
                "is required: 1 (public), 2 (internal), 3 (confidential) or 4 (regulated)".into(),
            );
        }
        match &self.ai_tool {
            None => err(
                "ai_tool",
                "is required: product and version, e.g. \"Claude Code 2.1\"".into(),
            ),
            Some(tool) if tool.product.trim().is_empty() || tool.version.trim().is_empty() => err(
                "ai_tool",
                "needs both a product and a version, e.g. \"Claude Code 2.1\"".into(),
            ),
            Some(_) => {}
        }
        if self.status.is_none() {
            err(
                "status",
                "is required: development, production or decommissioned".into(),
            );
        }
        if let Some(repo) = &self.repository
            && !is_repository_url(repo)
        {
            err(
                "repository",
                format!(
                    "must be a repository URL (https://…, ssh://… or git@host:path), not `{repo}`"
                ),
            );
        }
        for (i, system) in self.systems.iter().enumerate() {
            if system.system.trim().is_empty() {
                err(&format!("systems[{i}]"), "needs a system name".into());
            }
        }
        if errors.is_empty() {
            Ok(ValidDraft(self))
        } else {
            Err(ValidationErrors(errors))
        }
    }
}

/// A repository URL, normalised for duplicate detection: scheme and `.git` suffix dropped,
/// lower-cased host, no trailing slash. `git@host:org/repo.git` and
/// `https://host/org/repo` compare equal.
pub fn normalize_repository(url: &str) -> String {
    let mut s = url.trim().trim_end_matches('/').to_string();
    if let Some(rest) = s.strip_suffix(".git") {
        s = rest.to_string();
    }
    let without_scheme = s.split_once("://").map(|(_, r)| r.to_string()).unwrap_or(s);
    let without_user = without_scheme
        .split_once('@')
        .filter(|(user, _)| !user.contains('/'))
        .map(|(_, r)| r.to_string())
        .unwrap_or(without_scheme);
    let unified = match without_user.split_once(':') {
        Some((host, path)) if !path.starts_with(|c: char| c.is_ascii_digit()) => {
            format!("{host}/{path}")
        }
        _ => without_user,
    };
    match unified.split_once('/') {
        Some((host, path)) => format!("{}/{}", host.to_ascii_lowercase(), path),
        None => unified.to_ascii_lowercase(),
    }
}

fn is_repository_url(url: &str) -> bool {
    let url = url.trim();
    let ok_scheme = ["https://", "http://", "ssh://", "git://", "file://"]
        .iter()
        .any(|p| url.starts_with(p) && url.len() > p.len());
    let scp_like = url
        .split_once('@')
        .is_some_and(|(user, rest)| !user.is_empty() && rest.contains(':'));
    (ok_scheme || scp_like) && !url.contains(char::is_whitespace)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tier::Access;

    pub(crate) fn draft() -> AssetDraft {
        AssetDraft {
            name: "lead-scoring".into(),
            purpose: "Scores inbound leads every morning so sales calls the warmest first.".into(),
            creator_email: "ana@example.com".into(),
            department: "Sales".into(),
            data_tier: Some(DataTier::Internal),
            ai_tool: Some("Claude Code 2.1".parse().unwrap()),
            status: Some(DeploymentStatus::Development),
            ..Default::default()
        }
    }

    #[test]
    fn a_complete_draft_becomes_an_asset_owned_by_its_creator() {
        let now = Utc::now();
        let asset = Asset::from_draft(draft().validate().unwrap(), Uuid::nil(), now);
        assert_eq!(asset.owner_email, "ana@example.com");
        assert_eq!(asset.derived_risk_tier, RiskTier::Standard);
        assert_eq!(asset.risk_tier(), RiskTier::Standard);
    }

    #[test]
    fn validation_names_every_missing_field_and_its_rule_at_once() {
        let errors = AssetDraft::default().validate().unwrap_err();
        let fields: Vec<_> = errors.0.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "name",
                "purpose",
                "creator_email",
                "department",
                "data_tier",
                "ai_tool",
                "status"
            ]
        );
        assert!(errors.to_string().contains("data_tier: is required"));
    }

    #[test]
    fn a_purpose_longer_than_280_characters_is_refused_with_its_length() {
        let mut d = draft();
        d.purpose = "a".repeat(281);
        let errors = d.validate().unwrap_err();
        assert_eq!(errors.0[0].field, "purpose");
        assert!(
            errors.0[0].rule.contains("it has 281"),
            "{}",
            errors.0[0].rule
        );
    }

    #[test]
    fn the_backup_owner_must_differ_from_the_owner() {
        let mut d = draft();
        d.backup_owner_email = Some("ANA@example.com".into());
        assert_eq!(d.validate().unwrap_err().0[0].field, "backup_owner_email");
    }

    #[test]
    fn writes_to_a_system_make_the_asset_critical() {
        let mut d = draft();
        d.systems = vec![SystemAccess {
            system: "Salesforce".into(),
            access: Access::Writes,
        }];
        let asset = Asset::from_draft(d.validate().unwrap(), Uuid::nil(), Utc::now());
        assert_eq!(asset.risk_tier(), RiskTier::Critical);
    }

    #[test]
    fn repository_urls_normalise_across_https_and_ssh_forms() {
        assert_eq!(
            normalize_repository("git@GitHost.example:Sales/Leads.git"),
            normalize_repository("https://githost.example/Sales/Leads/")
        );
        assert_eq!(
            normalize_repository("ssh://git@host.example/org/x.git"),
            "host.example/org/x"
        );
    }

    #[test]
    fn a_repository_that_is_not_a_url_is_refused() {
        let mut d = draft();
        d.repository = Some("my laptop".into());
        assert_eq!(d.validate().unwrap_err().0[0].field, "repository");
    }

    #[test]
    fn ai_tool_parses_product_and_version() {
        let tool: AiTool = "GitHub Copilot 1.250".parse().unwrap();
        assert_eq!(tool.product, "GitHub Copilot");
        assert_eq!(tool.version, "1.250");
        assert!("Cursor".parse::<AiTool>().is_err());
    }
}
