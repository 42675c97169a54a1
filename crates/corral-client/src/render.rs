//! Human output for the command line: what happened, in the house style.
//!
//! Every function turns one API answer into the text a person reads in a terminal. They are
//! pure (no colour, no I/O) so the exact wording is pinned by snapshot tests; `--format json`
//! prints the API's answer itself instead.

use std::fmt::Write;

use chrono::{DateTime, Utc};
use corral_model::asset::ApprovalState;

use crate::wire::*;

fn day(t: &DateTime<Utc>) -> String {
    t.format("%Y-%m-%d %H:%M UTC").to_string()
}

/// The outcome of `corral register` (and of edits that re-ran the policy).
pub fn asset_outcome(outcome: &AssetOutcome, verb: &str) -> String {
    let a = &outcome.asset.asset;
    let mut out = String::new();
    let reason = outcome
        .evaluation
        .as_ref()
        .map(|e| e.reason.clone())
        .unwrap_or_default();
    let help = outcome.evaluation.as_ref().and_then(|e| e.help.clone());
    match a.approval {
        ApprovalState::Blocked => {
            let _ = writeln!(out, "error: {reason}");
            let _ = writeln!(
                out,
                "  asset \"{}\" is {verb} as blocked and visible to security",
                a.name
            );
            if let Some(help) = help {
                let _ = writeln!(out, "  help: {help}");
            }
        }
        ApprovalState::Approved => {
            let _ = writeln!(out, "{} \"{}\": approved", capitalise(verb), a.name);
            if !reason.is_empty() {
                let _ = writeln!(out, "  {reason}");
            }
        }
        ApprovalState::PendingReview => {
            let _ = writeln!(
                out,
                "{} \"{}\": waiting for review",
                capitalise(verb),
                a.name
            );
            if !reason.is_empty() {
                let _ = writeln!(out, "  {reason}");
            }
            if let Some(review) = &outcome.review {
                let needs: Vec<_> = review.required.iter().map(|r| r.as_str()).collect();
                let _ = writeln!(
                    out,
                    "  needs: {} sign-off, due {}",
                    needs.join(" and "),
                    day(&review.due_at)
                );
                let _ = writeln!(out, "  review: {}", review.id);
            }
        }
        other => {
            let _ = writeln!(out, "{} \"{}\": {other}", capitalise(verb), a.name);
            if !reason.is_empty() {
                let _ = writeln!(out, "  {reason}");
            }
        }
    }
    let _ = writeln!(
        out,
        "  id: {} · data tier {} · risk {} · {}",
        a.id, a.data_tier, outcome.asset.risk_tier, a.status
    );
    out
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(first) => first.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// An API error, with its fields and help.
pub fn api_error(detail: &ErrorDetail) -> String {
    let mut out = String::new();
    if detail.fields.len() > 1 {
        let _ = writeln!(out, "error: {} fields need attention", detail.fields.len());
    } else {
        let _ = writeln!(out, "error: {}", detail.message);
    }
    if detail.fields.len() > 1 {
        for f in &detail.fields {
            let _ = writeln!(out, "  {}: {}", f.field, f.rule);
        }
    }
    if let Some(existing) = &detail.existing {
        let _ = writeln!(out, "  existing asset: {} ({})", existing.name, existing.id);
    }
    if let Some(help) = &detail.help {
        let _ = writeln!(out, "  help: {help}");
    }
    out
}

/// `corral assets list`.
pub fn asset_page(page: &AssetPage) -> String {
    let mut out = String::new();
    if page.items.is_empty() {
        out.push_str("no assets match\n");
        return out;
    }
    let width = page
        .items
        .iter()
        .map(|v| v.asset.name.len())
        .max()
        .unwrap_or(4)
        .max(4);
    let _ = writeln!(
        out,
        "{:width$}  TIER  RISK      STATUS          APPROVAL           OWNER",
        "NAME"
    );
    for v in &page.items {
        let a = &v.asset;
        let _ = writeln!(
            out,
            "{:width$}  {:<4}  {:<8}  {:<14}  {:<17}  {}",
            a.name,
            a.data_tier.number(),
            v.risk_tier.as_str(),
            a.status.as_str(),
            a.approval.as_str(),
            a.owner_email
        );
    }
    let first = u64::from(page.page - 1) * u64::from(page.per_page) + 1;
    let last = first + page.items.len() as u64 - 1;
    let _ = writeln!(out, "{first}–{last} of {} (page {})", page.total, page.page);
    out
}

/// `corral assets show`.
pub fn asset_detail(detail: &AssetDetail) -> String {
    let v = &detail.asset;
    let a = &v.asset;
    let mut out = String::new();
    let _ = writeln!(out, "{} ({})", a.name, a.id);
    let _ = writeln!(out, "  purpose:     {}", a.purpose);
    let _ = writeln!(out, "  department:  {}", a.department);
    let _ = writeln!(out, "  creator:     {}", a.creator_email);
    let _ = writeln!(out, "  owner:       {}", a.owner_email);
    let _ = writeln!(
        out,
        "  backup:      {}",
        a.backup_owner_email.as_deref().unwrap_or("(none)")
    );
    let _ = writeln!(out, "  data tier:   {}", a.data_tier);
    match &a.risk_override {
        Some(o) => {
            let _ = writeln!(
                out,
                "  risk:        {} (overridden by {}: {})",
                o.tier, o.by, o.reason
            );
        }
        None => {
            let _ = writeln!(out, "  risk:        {}", v.risk_tier);
        }
    }
    let _ = writeln!(out, "  AI tool:     {}", a.ai_tool);
    let _ = writeln!(out, "  status:      {}", a.status);
    let _ = writeln!(out, "  approval:    {}", a.approval);
    if let Some(repo) = &a.repository {
        let _ = writeln!(out, "  repository:  {repo}");
    }
    for s in &a.systems {
        let access = match s.access {
            corral_model::Access::None => "none",
            corral_model::Access::Reads => "reads",
            corral_model::Access::Writes => "writes",
        };
        let _ = writeln!(out, "  system:      {} ({access})", s.system);
    }
    if let Some(due) = &v.attestation_due_at {
        let _ = writeln!(out, "  attest by:   {}", day(due));
    }
    if let Some(r) = &detail.open_review {
        let _ = writeln!(out, "open review {}", r.review.id);
        let _ = writeln!(
            out,
            "  due {}{}",
            day(&r.review.due_at),
            if r.overdue { " (overdue)" } else { "" }
        );
        for s in &r.review.signoffs {
            let _ = writeln!(out, "  signed: {} as {}: {}", s.by, s.role, s.comment);
        }
        if !r.missing.is_empty() {
            let missing: Vec<_> = r.missing.iter().map(|m| m.as_str()).collect();
            let _ = writeln!(out, "  waiting for: {} sign-off", missing.join(" and "));
        }
    }
    if !detail.decisions.is_empty() {
        let _ = writeln!(out, "decisions");
        for d in &detail.decisions {
            let _ = writeln!(
                out,
                "  {}  {:<17}  {}: {}",
                d.at.format("%Y-%m-%d"),
                d.kind.as_str(),
                d.actor,
                d.comment
            );
        }
    }
    out
}

/// `corral review list`.
pub fn reviews(reviews: &[ReviewView]) -> String {
    let mut out = String::new();
    if reviews.is_empty() {
        out.push_str("no reviews waiting\n");
        return out;
    }
    for r in reviews {
        let missing: Vec<_> = r.missing.iter().map(|m| m.as_str()).collect();
        let _ = writeln!(
            out,
            "{}  due {}{}  needs {}  {}",
            r.asset_name,
            day(&r.review.due_at),
            if r.overdue { " OVERDUE" } else { "" },
            missing.join("+"),
            r.review.id
        );
        let _ = writeln!(out, "  {}", r.review.reason);
    }
    out
}

/// The outcome of `corral review approve|reject|request-changes`.
pub fn review_action(outcome: &ReviewActionOutcome) -> String {
    let mut out = String::new();
    let name = &outcome.review.asset_name;
    match (outcome.signed_as, outcome.approval) {
        (Some(role), ApprovalState::PendingReview) => {
            let missing: Vec<_> = outcome.review.missing.iter().map(|m| m.as_str()).collect();
            let _ = writeln!(
                out,
                "Signed off \"{name}\" as {role}; still waiting for the {} sign-off from someone else",
                missing.join(" and ")
            );
        }
        (_, state) => {
            let _ = writeln!(out, "\"{name}\" is now {state}");
        }
    }
    out
}

/// `corral people offboard`.
pub fn offboard(outcome: &OffboardOutcome) -> String {
    let mut out = String::new();
    if outcome.plan.changes.is_empty() {
        let _ = writeln!(
            out,
            "{} owned and backed up nothing; recorded as departed",
            outcome.person
        );
        return out;
    }
    let _ = writeln!(
        out,
        "Handed over from {} to {}:",
        outcome.person, outcome.successor
    );
    for c in &outcome.plan.changes {
        let field = match c.field {
            corral_model::handover::OwnershipField::Owner => "owner",
            corral_model::handover::OwnershipField::BackupOwner => "backup owner",
        };
        let _ = writeln!(
            out,
            "  {}: {field} {} → {}",
            c.asset_name,
            c.from,
            c.to.as_deref().unwrap_or("(none)")
        );
    }
    if !outcome.plan.attention.is_empty() {
        let _ = writeln!(out, "needs attention:");
        for a in &outcome.plan.attention {
            let _ = writeln!(out, "  {} {}", a.asset_name, a.reason);
        }
    }
    out
}

/// `corral notify status`.
pub fn notification_status(status: &NotificationStatus) -> String {
    let mut out = String::new();
    if status.targets.is_empty() {
        out.push_str("no notification targets are configured ([notify] in corral.toml)\n");
        return out;
    }
    let _ = writeln!(out, "TARGET                DELIVERED  PENDING  FAILED");
    for t in &status.targets {
        let _ = writeln!(
            out,
            "{:<20}  {:>9}  {:>7}  {:>6}",
            t.target, t.delivered, t.pending, t.failed
        );
    }
    if !status.problems.is_empty() {
        let _ = writeln!(out, "problems (newest first):");
        for p in &status.problems {
            let when = match (&p.state, &p.next_attempt_at) {
                (DeliveryState::Pending, Some(next)) => format!("retrying at {}", day(next)),
                _ => "gave up".to_string(),
            };
            let _ = writeln!(
                out,
                "  {} → {}: {} after {} attempt(s): {} ({when})",
                p.kind,
                p.target,
                p.title,
                p.attempts,
                p.last_error.as_deref().unwrap_or("unknown error")
            );
        }
    }
    out
}

/// `corral token list`.
pub fn tokens(tokens: &[TokenInfo]) -> String {
    let mut out = String::new();
    for t in tokens {
        let state = match (&t.revoked_at, &t.expires_at) {
            (Some(at), _) => format!("revoked {}", day(at)),
            (None, Some(exp)) if *exp < Utc::now() => format!("expired {}", day(exp)),
            (None, Some(exp)) => format!("expires {}", day(exp)),
            (None, None) => "active".into(),
        };
        let _ = writeln!(
            out,
            "{}  {:<20}  {:<17}  {:<30}  {state}",
            t.id,
            t.name,
            t.role.as_str(),
            t.email
        );
    }
    if tokens.is_empty() {
        out.push_str("no tokens\n");
    }
    out
}

/// `corral token issue`.
pub fn issued_token(issued: &IssuedToken) -> String {
    format!(
        "Issued token \"{}\" for {} ({}), id {}\n\n  {}\n\nThis is the only time the token is shown: store it now (e.g. as CORRAL_TOKEN).\n",
        issued.info.name, issued.info.email, issued.info.role, issued.info.id, issued.token
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use corral_model::asset::{Asset, AssetDraft, DeploymentStatus};
    use corral_model::policy::PolicyConfig;
    use corral_model::tier::DataTier;
    use uuid::Uuid;

    fn outcome(tier: DataTier) -> AssetOutcome {
        let now = DateTime::parse_from_rfc3339("2026-11-20T15:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let draft = AssetDraft {
            name: "payment-reconciler".into(),
            purpose: "Matches card payments to invoices.".into(),
            creator_email: "ana@example.com".into(),
            department: "Finance".into(),
            data_tier: Some(tier),
            ai_tool: Some("Claude Code 2.1".parse().unwrap()),
            status: Some(DeploymentStatus::Development),
            ..Default::default()
        };
        let mut asset = Asset::from_draft(draft.validate().unwrap(), Uuid::nil(), now);
        let evaluation = PolicyConfig::default().evaluate(&asset, now).unwrap();
        asset.approval = evaluation.approval;
        let review = evaluation.review.as_ref().map(|plan| corral_model::Review {
            id: Uuid::nil(),
            asset_id: Uuid::nil(),
            reason: evaluation.reason.clone(),
            opened_at: now,
            due_at: plan.due_at,
            required: plan.required.clone(),
            signoffs: vec![],
            outcome: None,
        });
        AssetOutcome {
            asset: AssetView {
                risk_tier: asset.risk_tier(),
                attestation_due_at: None,
                asset,
            },
            evaluation: Some(evaluation),
            review,
        }
    }

    #[test]
    fn a_tier_four_registration_reads_as_a_blocked_error_with_help() {
        insta::assert_snapshot!(asset_outcome(&outcome(DataTier::Regulated), "registered"));
    }

    #[test]
    fn a_tier_three_registration_says_who_must_sign_off_and_by_when() {
        insta::assert_snapshot!(asset_outcome(
            &outcome(DataTier::Confidential),
            "registered"
        ));
    }

    #[test]
    fn a_tier_one_registration_is_approved_with_the_policy_reason() {
        insta::assert_snapshot!(asset_outcome(&outcome(DataTier::Public), "registered"));
    }

    #[test]
    fn validation_errors_list_every_field_and_rule() {
        let detail = ErrorDetail {
            code: "validation".into(),
            message: "2 fields need attention".into(),
            help: None,
            fields: vec![
                corral_model::validation::FieldError {
                    field: "name".into(),
                    rule: "is required".into(),
                },
                corral_model::validation::FieldError {
                    field: "data_tier".into(),
                    rule:
                        "is required: 1 (public), 2 (internal), 3 (confidential) or 4 (regulated)"
                            .into(),
                },
            ],
            existing: None,
        };
        insta::assert_snapshot!(api_error(&detail));
    }
}
