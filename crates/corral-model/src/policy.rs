//! The approval policy: what happens when an asset is registered or changed.
//!
//! Policy is data (the `[policy]` section of `corral.toml`) with these defaults:
//!
//! | data tier | on registration |
//! |---|---|
//! | 1 public, 2 internal | approved at once; the decision and its reason are recorded |
//! | 3 confidential | a security review is opened, due in 5 business days |
//! | 4 regulated | blocked, with an explanation of what to do instead; the entry is kept |
//!
//! On top of that, a **critical** asset (one that writes to production systems) needs two
//! sign-offs before it runs in production: a business approver and a security reviewer, two
//! different people, neither of them the creator. Changing an asset's data tier, systems or
//! status runs the policy again, so a tier-3 tool moving from development to production is
//! reviewed again.

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use crate::asset::{ApprovalState, Asset, DeploymentStatus};
use crate::business_days::business_deadline;
use crate::review::SignoffRole;
use crate::tier::{DataTier, RiskTier};

/// What the policy does with an asset of a given data tier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TierAction {
    /// Approve at once.
    Approve,
    /// Open a security review with the configured deadline.
    Review,
    /// Refuse; keep the entry as blocked and visible to security.
    Block,
}

/// The action for each data tier.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TierActions {
    pub public: TierAction,
    pub internal: TierAction,
    pub confidential: TierAction,
    pub regulated: TierAction,
}

impl Default for TierActions {
    fn default() -> Self {
        Self {
            public: TierAction::Approve,
            internal: TierAction::Approve,
            confidential: TierAction::Review,
            regulated: TierAction::Block,
        }
    }
}

impl TierActions {
    pub fn for_tier(&self, tier: DataTier) -> TierAction {
        match tier {
            DataTier::Public => self.public,
            DataTier::Internal => self.internal,
            DataTier::Confidential => self.confidential,
            DataTier::Regulated => self.regulated,
        }
    }
}

/// The `[policy]` section of `corral.toml`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PolicyConfig {
    /// IANA time zone in which review deadlines and business days are counted.
    pub timezone: String,
    /// Business days a security review may take before it is overdue.
    pub review_business_days: u32,
    /// Dates (YYYY-MM-DD) that are not business days.
    pub holidays: Vec<NaiveDate>,
    /// What happens for each data tier.
    pub tiers: TierActions,
    /// Whether critical assets need a business and a security sign-off before production.
    pub critical_production_signoff: bool,
    /// Days between attestations (91: quarterly).
    pub attestation_period_days: u32,
    /// What a person whose asset is blocked should do instead.
    pub blocked_help: String,
}

impl Default for PolicyConfig {
    fn default() -> Self {
        Self {
            timezone: "UTC".into(),
            review_business_days: 5,
            holidays: Vec::new(),
            tiers: TierActions::default(),
            critical_production_signoff: true,
            attestation_period_days: 91,
            blocked_help: "use synthetic or anonymised data (tier 1) for the prototype, or ask \
                           the security team for an exception"
                .into(),
        }
    }
}

/// The configuration is unusable.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PolicyError {
    #[error("[policy] timezone `{0}` is not an IANA time zone name such as `Europe/Berlin`")]
    UnknownTimezone(String),
    #[error("[policy] attestation_period_days must be at least 1")]
    ZeroAttestationPeriod,
}

/// A review the policy wants opened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReviewPlan {
    pub due_at: DateTime<Utc>,
    /// The sign-offs needed, each from a different person.
    pub required: Vec<SignoffRole>,
}

/// What the policy decided.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Evaluation {
    pub approval: ApprovalState,
    /// Why, in a sentence a salesperson understands.
    pub reason: String,
    /// What to do next, when something is needed from the person.
    pub help: Option<String>,
    pub review: Option<ReviewPlan>,
}

impl PolicyConfig {
    /// Checks the values that the type system cannot.
    pub fn validate(&self) -> Result<(), PolicyError> {
        self.tz()?;
        if self.attestation_period_days == 0 {
            return Err(PolicyError::ZeroAttestationPeriod);
        }
        Ok(())
    }

    pub fn tz(&self) -> Result<Tz, PolicyError> {
        self.timezone
            .parse::<Tz>()
            .map_err(|_| PolicyError::UnknownTimezone(self.timezone.clone()))
    }

    /// The review deadline for a review opened at `now`.
    pub fn review_due(&self, now: DateTime<Utc>) -> Result<DateTime<Utc>, PolicyError> {
        Ok(business_deadline(
            now,
            self.review_business_days,
            self.tz()?,
            &self.holidays,
        ))
    }

    /// Decides what happens to `asset` as it now stands.
    pub fn evaluate(&self, asset: &Asset, now: DateTime<Utc>) -> Result<Evaluation, PolicyError> {
        let tier = asset.data_tier;
        let action = self.tiers.for_tier(tier);
        if action == TierAction::Block {
            return Ok(Evaluation {
                approval: ApprovalState::Blocked,
                reason: format!(
                    "tier {} ({}) data cannot be processed by AI-built tools",
                    tier.number(),
                    tier.name()
                ),
                help: Some(self.blocked_help.clone()),
                review: None,
            });
        }
        if asset.status == DeploymentStatus::Decommissioned {
            return Ok(Evaluation {
                approval: ApprovalState::Approved,
                reason: "decommissioned: it no longer runs, so nothing needs approval".into(),
                help: None,
                review: None,
            });
        }
        let dual = self.critical_production_signoff
            && asset.risk_tier() == RiskTier::Critical
            && asset.status == DeploymentStatus::Production;
        let mut required = Vec::new();
        if dual {
            required.push(SignoffRole::Business);
        }
        if action == TierAction::Review || dual {
            required.push(SignoffRole::Security);
        }
        if required.is_empty() {
            return Ok(Evaluation {
                approval: ApprovalState::Approved,
                reason: format!(
                    "tier {} ({}) data: approved at once by policy",
                    tier.number(),
                    tier.name()
                ),
                help: None,
                review: None,
            });
        }
        let due_at = self.review_due(now)?;
        let why = match (action == TierAction::Review, dual) {
            (true, true) => format!(
                "tier {} ({}) data, and it writes to production systems: a security review and \
                 a business sign-off are needed",
                tier.number(),
                tier.name()
            ),
            (true, false) => format!(
                "tier {} ({}) data needs a security review",
                tier.number(),
                tier.name()
            ),
            _ => "it writes to production systems: a business approver and a security reviewer \
                  must both sign off before it runs in production"
                .into(),
        };
        Ok(Evaluation {
            approval: ApprovalState::PendingReview,
            reason: why,
            help: Some(format!(
                "a reviewer will decide by {}",
                due_at.format("%Y-%m-%d %H:%M UTC")
            )),
            review: Some(ReviewPlan { due_at, required }),
        })
    }
}

/// Whether a change from `before` to `after` must run the policy again: the data tier, the
/// systems and access, the status or the risk override changed.
pub fn needs_reevaluation(before: &Asset, after: &Asset) -> bool {
    before.data_tier != after.data_tier
        || before.systems != after.systems
        || before.status != after.status
        || before.risk_tier() != after.risk_tier()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::asset::AssetDraft;
    use crate::tier::{Access, SystemAccess};
    use uuid::Uuid;

    fn now() -> DateTime<Utc> {
        // Friday 2026-11-20 15:00 UTC.
        DateTime::parse_from_rfc3339("2026-11-20T15:00:00Z")
            .unwrap()
            .with_timezone(&Utc)
    }

    fn asset(tier: DataTier, status: DeploymentStatus, writes: bool) -> Asset {
        let draft = AssetDraft {
            name: "lead-scoring".into(),
            purpose: "Scores leads.".into(),
            creator_email: "ana@example.com".into(),
            department: "Sales".into(),
            data_tier: Some(tier),
            ai_tool: Some("Claude Code 2.1".parse().unwrap()),
            status: Some(status),
            systems: vec![SystemAccess {
                system: "Salesforce".into(),
                access: if writes {
                    Access::Writes
                } else {
                    Access::Reads
                },
            }],
            ..Default::default()
        };
        Asset::from_draft(draft.validate().unwrap(), Uuid::nil(), now())
    }

    #[test]
    fn tiers_one_and_two_are_approved_at_once_with_a_reason() {
        let policy = PolicyConfig::default();
        for tier in [DataTier::Public, DataTier::Internal] {
            let e = policy
                .evaluate(&asset(tier, DeploymentStatus::Development, false), now())
                .unwrap();
            assert_eq!(e.approval, ApprovalState::Approved);
            assert!(e.reason.contains("approved at once"), "{}", e.reason);
            assert!(e.review.is_none());
        }
    }

    #[test]
    fn tier_three_registration_opens_a_review_due_in_five_business_days() {
        let e = PolicyConfig::default()
            .evaluate(
                &asset(DataTier::Confidential, DeploymentStatus::Development, false),
                now(),
            )
            .unwrap();
        assert_eq!(e.approval, ApprovalState::PendingReview);
        let review = e.review.unwrap();
        assert_eq!(review.required, [SignoffRole::Security]);
        assert_eq!(review.due_at.to_rfc3339(), "2026-11-27T23:59:59+00:00");
    }

    #[test]
    fn tier_four_is_blocked_with_what_to_do_instead() {
        let e = PolicyConfig::default()
            .evaluate(
                &asset(DataTier::Regulated, DeploymentStatus::Development, false),
                now(),
            )
            .unwrap();
        assert_eq!(e.approval, ApprovalState::Blocked);
        assert!(e.reason.contains("tier 4 (regulated)"));
        assert!(e.help.unwrap().contains("synthetic"));
    }

    #[test]
    fn a_critical_asset_needs_business_and_security_signoff_for_production() {
        let policy = PolicyConfig::default();
        let dev = policy
            .evaluate(
                &asset(DataTier::Internal, DeploymentStatus::Development, true),
                now(),
            )
            .unwrap();
        assert_eq!(dev.approval, ApprovalState::Approved);
        let prod = policy
            .evaluate(
                &asset(DataTier::Internal, DeploymentStatus::Production, true),
                now(),
            )
            .unwrap();
        assert_eq!(prod.approval, ApprovalState::PendingReview);
        assert_eq!(
            prod.review.unwrap().required,
            [SignoffRole::Business, SignoffRole::Security]
        );
    }

    #[test]
    fn moving_a_tier_three_asset_to_production_runs_the_policy_again() {
        let before = asset(DataTier::Confidential, DeploymentStatus::Development, false);
        let mut after = before.clone();
        after.status = DeploymentStatus::Production;
        assert!(needs_reevaluation(&before, &after));
        let mut renamed = before.clone();
        renamed.purpose = "Something else.".into();
        assert!(!needs_reevaluation(&before, &renamed));
    }

    #[test]
    fn tier_actions_are_configurable() {
        let policy: PolicyConfig = serde_json::from_value(serde_json::json!({
            "tiers": {"internal": "review"},
            "review_business_days": 2
        }))
        .unwrap();
        let e = policy
            .evaluate(
                &asset(DataTier::Internal, DeploymentStatus::Development, false),
                now(),
            )
            .unwrap();
        assert_eq!(e.approval, ApprovalState::PendingReview);
        assert_eq!(
            e.review.unwrap().due_at.to_rfc3339(),
            "2026-11-24T23:59:59+00:00"
        );
    }

    #[test]
    fn an_unknown_timezone_is_refused_by_name() {
        let policy = PolicyConfig {
            timezone: "Mars/Olympus".into(),
            ..Default::default()
        };
        let err = policy.validate().unwrap_err().to_string();
        assert!(err.contains("Mars/Olympus"), "{err}");
    }
}
