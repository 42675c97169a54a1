//! The coloured labels pages put on tiers, risks, statuses and approval states.
//!
//! A badge is its words and a CSS class; the stylesheet gives each class its colour, so a
//! page never decides colours and every page shows a state the same way. The words always
//! say the state too: colour is never the only signal.

use corral_model::{ApprovalState, DataTier, DeploymentStatus, RiskTier, Role, Severity};

/// One label.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Badge {
    pub label: String,
    pub class: String,
}

fn badge(label: impl Into<String>, class: impl Into<String>) -> Badge {
    Badge {
        label: label.into(),
        class: class.into(),
    }
}

pub fn data_tier(tier: DataTier) -> Badge {
    badge(
        format!("Tier {} · {}", tier.number(), tier.name()),
        format!("badge tier-{}", tier.number()),
    )
}

pub fn risk(tier: RiskTier) -> Badge {
    badge(tier.as_str(), format!("badge risk-{}", tier.as_str()))
}

pub fn status(status: DeploymentStatus) -> Badge {
    badge(status.as_str(), format!("badge status-{}", status.as_str()))
}

pub fn approval(state: ApprovalState) -> Badge {
    badge(
        state.as_str().replace('-', " "),
        format!("badge approval-{}", state.as_str()),
    )
}

pub fn severity(severity: Severity) -> Badge {
    let name = severity.as_str();
    badge(name, format!("badge severity-{name}"))
}

pub fn role(role: Role) -> Badge {
    badge(
        role.as_str().replace('-', " "),
        format!("badge role-{}", role.as_str()),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn badges_say_the_state_in_words_and_name_its_class() {
        assert_eq!(
            data_tier(DataTier::Confidential),
            badge("Tier 3 · confidential", "badge tier-3")
        );
        assert_eq!(
            approval(ApprovalState::PendingReview),
            badge("pending review", "badge approval-pending-review")
        );
        assert_eq!(risk(RiskTier::Critical).class, "badge risk-critical");
        assert_eq!(severity(Severity::High).class, "badge severity-high");
    }
}
