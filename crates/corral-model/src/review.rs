//! Reviews: the human side of the workflow.
//!
//! A review is opened by the policy (see [`crate::policy`]) with the sign-offs it needs. A
//! reviewer acting on it approves, requests changes or rejects, always with a comment. An
//! approval fills one required sign-off in the capacity the reviewer's role allows; the review
//! is approved when every required sign-off is filled, each by a different person and none by
//! the asset's creator (no one approves their own work). Requesting changes or rejecting
//! closes the review at once.

use std::fmt;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::asset::ApprovalState;
use crate::role::{Action, Role};

/// The capacity in which someone signs off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum SignoffRole {
    /// A business approver: the asset is worth running and its owner accountable.
    Business,
    /// A security (technical) reviewer: the asset is safe to run.
    Security,
}

impl SignoffRole {
    pub fn as_str(self) -> &'static str {
        match self {
            SignoffRole::Business => "business",
            SignoffRole::Security => "security",
        }
    }

    /// The permission a person needs to sign off in this capacity.
    pub fn action(self) -> Action {
        match self {
            SignoffRole::Business => Action::BusinessSignoff,
            SignoffRole::Security => Action::SecurityReview,
        }
    }
}

impl fmt::Display for SignoffRole {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a reviewer does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum ReviewAction {
    Approve,
    RequestChanges,
    Reject,
}

impl ReviewAction {
    pub fn as_str(self) -> &'static str {
        match self {
            ReviewAction::Approve => "approve",
            ReviewAction::RequestChanges => "request-changes",
            ReviewAction::Reject => "reject",
        }
    }
}

/// One sign-off given.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Signoff {
    pub by: String,
    pub role: SignoffRole,
    pub comment: String,
    pub at: DateTime<Utc>,
}

/// How a review ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReviewOutcome {
    /// `approved`, `changes-requested` or `rejected`.
    pub state: ApprovalState,
    pub by: String,
    pub comment: String,
    pub at: DateTime<Utc>,
}

/// A review of one asset.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Review {
    pub id: Uuid,
    pub asset_id: Uuid,
    /// Why it was opened (the policy's reason).
    pub reason: String,
    pub opened_at: DateTime<Utc>,
    pub due_at: DateTime<Utc>,
    pub required: Vec<SignoffRole>,
    #[serde(default)]
    pub signoffs: Vec<Signoff>,
    #[serde(default)]
    pub outcome: Option<ReviewOutcome>,
}

/// Who is acting: their e-mail and roles.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reviewer<'a> {
    pub email: &'a str,
    pub roles: &'a [Role],
}

impl Reviewer<'_> {
    fn can(&self, role: SignoffRole) -> bool {
        self.roles.iter().any(|r| r.allows(role.action()))
    }
}

/// Why a review action was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReviewError {
    #[error("a comment is required: say why you {0}")]
    CommentRequired(&'static str),
    #[error("this review is already closed ({0})")]
    Closed(ApprovalState),
    #[error("{0} created this asset and cannot review it: someone else must")]
    OwnWork(String),
    #[error("your roles cannot sign off here: this review needs {0}")]
    NotAReviewer(String),
    #[error(
        "{by} already signed off as {role}; the remaining {missing} sign-off must come from a different person"
    )]
    AlreadySigned {
        by: String,
        role: SignoffRole,
        missing: String,
    },
}

/// What an action did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActResult {
    /// The capacity the approval was counted in (for approvals).
    pub signed_as: Option<SignoffRole>,
    /// The asset's new approval state when the review closed.
    pub closed: Option<ApprovalState>,
}

impl Review {
    pub fn is_open(&self) -> bool {
        self.outcome.is_none()
    }

    pub fn is_overdue(&self, now: DateTime<Utc>) -> bool {
        self.is_open() && now > self.due_at
    }

    /// Required sign-offs not yet given.
    pub fn missing(&self) -> Vec<SignoffRole> {
        self.required
            .iter()
            .copied()
            .filter(|r| !self.signoffs.iter().any(|s| s.role == *r))
            .collect()
    }

    fn describe(roles: &[SignoffRole]) -> String {
        roles
            .iter()
            .map(|r| r.as_str())
            .collect::<Vec<_>>()
            .join(" and ")
    }

    /// Applies `action` by `reviewer` to this review of an asset created by `creator_email`.
    pub fn act(
        &mut self,
        reviewer: &Reviewer<'_>,
        creator_email: &str,
        action: ReviewAction,
        comment: &str,
        now: DateTime<Utc>,
    ) -> Result<ActResult, ReviewError> {
        if let Some(outcome) = &self.outcome {
            return Err(ReviewError::Closed(outcome.state));
        }
        let comment = comment.trim();
        if comment.is_empty() {
            return Err(ReviewError::CommentRequired(match action {
                ReviewAction::Approve => "approve",
                ReviewAction::RequestChanges => "request changes",
                ReviewAction::Reject => "reject",
            }));
        }
        if reviewer.email.eq_ignore_ascii_case(creator_email) {
            return Err(ReviewError::OwnWork(reviewer.email.to_string()));
        }
        let missing = self.missing();
        let capacities: Vec<SignoffRole> = self
            .required
            .iter()
            .copied()
            .filter(|r| reviewer.can(*r))
            .collect();
        if capacities.is_empty() {
            return Err(ReviewError::NotAReviewer(format!(
                "a {} reviewer",
                Self::describe(&self.required)
            )));
        }
        let close = |state: ApprovalState, review: &mut Review| {
            review.outcome = Some(ReviewOutcome {
                state,
                by: reviewer.email.to_string(),
                comment: comment.to_string(),
                at: now,
            });
            state
        };
        match action {
            ReviewAction::RequestChanges => Ok(ActResult {
                signed_as: None,
                closed: Some(close(ApprovalState::ChangesRequested, self)),
            }),
            ReviewAction::Reject => Ok(ActResult {
                signed_as: None,
                closed: Some(close(ApprovalState::Rejected, self)),
            }),
            ReviewAction::Approve => {
                if let Some(previous) = self
                    .signoffs
                    .iter()
                    .find(|s| s.by.eq_ignore_ascii_case(reviewer.email))
                {
                    return Err(ReviewError::AlreadySigned {
                        by: previous.by.clone(),
                        role: previous.role,
                        missing: Self::describe(&missing),
                    });
                }
                let Some(role) = capacities.into_iter().find(|r| missing.contains(r)) else {
                    return Err(ReviewError::NotAReviewer(format!(
                        "a {} reviewer",
                        Self::describe(&missing)
                    )));
                };
                self.signoffs.push(Signoff {
                    by: reviewer.email.to_string(),
                    role,
                    comment: comment.to_string(),
                    at: now,
                });
                let closed = self
                    .missing()
                    .is_empty()
                    .then(|| close(ApprovalState::Approved, self));
                Ok(ActResult {
                    signed_as: Some(role),
                    closed,
                })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn review(required: &[SignoffRole]) -> Review {
        let now = Utc::now();
        Review {
            id: Uuid::nil(),
            asset_id: Uuid::nil(),
            reason: "test".into(),
            opened_at: now,
            due_at: now + chrono::Duration::days(7),
            required: required.to_vec(),
            signoffs: vec![],
            outcome: None,
        }
    }

    const CREATOR: &str = "ana@example.com";

    fn who<'a>(email: &'a str, roles: &'a [Role]) -> Reviewer<'a> {
        Reviewer { email, roles }
    }

    #[test]
    fn a_security_reviewer_approves_a_tier_three_review_with_a_comment() {
        let mut r = review(&[SignoffRole::Security]);
        let res = r
            .act(
                &who("sec@example.com", &[Role::SecurityReviewer]),
                CREATOR,
                ReviewAction::Approve,
                "read-only access, fine",
                Utc::now(),
            )
            .unwrap();
        assert_eq!(res.signed_as, Some(SignoffRole::Security));
        assert_eq!(res.closed, Some(ApprovalState::Approved));
        assert!(!r.is_open());
    }

    #[test]
    fn every_action_needs_a_comment() {
        let mut r = review(&[SignoffRole::Security]);
        let err = r
            .act(
                &who("sec@example.com", &[Role::SecurityReviewer]),
                CREATOR,
                ReviewAction::Reject,
                "  ",
                Utc::now(),
            )
            .unwrap_err();
        assert_eq!(err, ReviewError::CommentRequired("reject"));
    }

    #[test]
    fn the_creator_cannot_review_their_own_asset_even_as_admin() {
        let mut r = review(&[SignoffRole::Security]);
        let err = r
            .act(
                &who("ANA@example.com", &[Role::Admin]),
                CREATOR,
                ReviewAction::Approve,
                "ok",
                Utc::now(),
            )
            .unwrap_err();
        assert!(matches!(err, ReviewError::OwnWork(_)));
    }

    #[test]
    fn a_critical_asset_needs_two_different_people() {
        let mut r = review(&[SignoffRole::Business, SignoffRole::Security]);
        let admin = who("boss@example.com", &[Role::Admin]);
        let first = r
            .act(
                &admin,
                CREATOR,
                ReviewAction::Approve,
                "worth it",
                Utc::now(),
            )
            .unwrap();
        assert_eq!(first.signed_as, Some(SignoffRole::Business));
        assert_eq!(first.closed, None);
        let err = r
            .act(&admin, CREATOR, ReviewAction::Approve, "again", Utc::now())
            .unwrap_err();
        assert!(matches!(err, ReviewError::AlreadySigned { .. }), "{err}");
        let second = r
            .act(
                &who("sec@example.com", &[Role::SecurityReviewer]),
                CREATOR,
                ReviewAction::Approve,
                "safe",
                Utc::now(),
            )
            .unwrap();
        assert_eq!(second.closed, Some(ApprovalState::Approved));
    }

    #[test]
    fn a_business_approver_cannot_fill_the_security_signoff() {
        let mut r = review(&[SignoffRole::Business, SignoffRole::Security]);
        r.act(
            &who("biz@example.com", &[Role::BusinessApprover]),
            CREATOR,
            ReviewAction::Approve,
            "worth it",
            Utc::now(),
        )
        .unwrap();
        let err = r
            .act(
                &who("biz2@example.com", &[Role::BusinessApprover]),
                CREATOR,
                ReviewAction::Approve,
                "me too",
                Utc::now(),
            )
            .unwrap_err();
        assert_eq!(err, ReviewError::NotAReviewer("a security reviewer".into()));
    }

    #[test]
    fn members_cannot_review_at_all() {
        let mut r = review(&[SignoffRole::Security]);
        let err = r
            .act(
                &who("bob@example.com", &[Role::Member]),
                CREATOR,
                ReviewAction::Approve,
                "lgtm",
                Utc::now(),
            )
            .unwrap_err();
        assert!(matches!(err, ReviewError::NotAReviewer(_)));
    }

    #[test]
    fn requesting_changes_closes_the_review_and_a_closed_review_refuses_more() {
        let mut r = review(&[SignoffRole::Security]);
        let sec = who("sec@example.com", &[Role::SecurityReviewer]);
        let res = r
            .act(
                &sec,
                CREATOR,
                ReviewAction::RequestChanges,
                "use a service account",
                Utc::now(),
            )
            .unwrap();
        assert_eq!(res.closed, Some(ApprovalState::ChangesRequested));
        let err = r
            .act(&sec, CREATOR, ReviewAction::Approve, "ok now", Utc::now())
            .unwrap_err();
        assert_eq!(err, ReviewError::Closed(ApprovalState::ChangesRequested));
    }

    #[test]
    fn a_review_is_overdue_only_while_open_and_past_its_deadline() {
        let r = review(&[SignoffRole::Security]);
        assert!(!r.is_overdue(r.due_at));
        assert!(r.is_overdue(r.due_at + chrono::Duration::seconds(1)));
    }
}
