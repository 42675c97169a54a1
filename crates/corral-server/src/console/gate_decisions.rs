//! `/gate/decisions`: what the package gate decided, newest first, and a week's objections
//! per rule.
//!
//! Filters narrow the log to a project, an outcome (blocked, dry-run, served, approved) and
//! a rule, a page at a time. Above the list, the last seven days' objections per rule, each
//! split into what was blocked and what a rule in dry-run mode *would have blocked* but
//! served: that column is how a security team reads a new rule's effect before switching it
//! to block. The log records client addresses, so it is for those who read the audit log
//! (security reviewers, auditors, admins).

use askama::Template;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use chrono::{Duration, Utc};
use corral_deps::name::pep503;
use corral_model::Action;
use corral_store::gate_decision_filter::BLOCKED_OUTCOMES;
use corral_store::{GateDecision, GateDecisionFilter};

use crate::console::badges::Badge;
use crate::console::form::FormFields;
use crate::console::page::{Chrome, ConsoleResult, Section, render};
use crate::console::pager::{Pager, href, thousands};
use crate::console::session::ConsoleUser;
use crate::console::time_text::date_time;
use crate::state::AppState;

/// Decisions per page.
const PER_PAGE: u32 = 50;
/// The summary's period.
const SUMMARY_DAYS: i64 = 7;

/// The outcome filter's choices: (parameter, label, recorded outcomes).
const OUTCOMES: [(&str, &str, &[&str]); 4] = [
    ("blocked", "Blocked", &BLOCKED_OUTCOMES),
    ("dry-run", "Would have blocked (dry-run)", &["dry-run"]),
    ("served", "Served", &["served"]),
    ("approved", "Let through by an approval", &["approved"]),
];

pub struct DecisionRow {
    pub at: String,
    pub project: String,
    pub project_href: String,
    pub version: String,
    pub filename: String,
    pub outcome: Badge,
    pub rule: String,
    pub rule_href: String,
    pub mode: String,
    pub reason: String,
    pub client: String,
}

pub struct SummaryRow {
    pub rule: String,
    pub blocked: String,
    pub blocked_href: String,
    pub dry_run: String,
    pub dry_run_href: String,
    pub has_dry_run: bool,
}

pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

#[derive(Template)]
#[template(path = "gate_decisions.html")]
struct GateDecisionsPage {
    chrome: Chrome,
    project: String,
    outcomes: Vec<Choice>,
    rules: Vec<Choice>,
    filtered: bool,
    rows: Vec<DecisionRow>,
    pager: Pager,
    summary: Vec<SummaryRow>,
    summary_days: i64,
    dry_run_total: String,
}

fn outcome_badge(outcome: &str) -> Badge {
    let (label, class) = match outcome {
        "withheld" | "refused" => (outcome.to_string(), "badge approval-blocked"),
        "dry-run" => (
            "would have blocked".to_string(),
            "badge approval-changes-requested",
        ),
        "served" | "approved" => (outcome.to_string(), "badge approval-approved"),
        other => (other.to_string(), "badge"),
    };
    Badge {
        label,
        class: class.to_string(),
    }
}

fn row_of(d: GateDecision) -> DecisionRow {
    let rule = d.rule.unwrap_or_default();
    DecisionRow {
        at: date_time(d.at),
        project_href: href("/gate/decisions", &[("project", d.project.clone())]),
        project: d.project,
        version: d.version.unwrap_or_default(),
        filename: d.filename.unwrap_or_default(),
        outcome: outcome_badge(&d.outcome),
        rule_href: href("/gate/decisions", &[("rule", rule.clone())]),
        rule,
        mode: d.mode.unwrap_or_default(),
        reason: d.reason,
        client: d.client,
    }
}

/// `GET /gate/decisions` (`?project=`, `?outcome=blocked|dry-run|served|approved`,
/// `?rule=`, `?page=N`).
pub async fn show(
    State(state): State<AppState>,
    user: ConsoleUser,
    RawQuery(query): RawQuery,
) -> ConsoleResult {
    user.actor.require(Action::ViewAudit)?;
    let params = FormFields::parse(query.unwrap_or_default().as_bytes());
    let project = params
        .text("project")
        .map(|p| pep503(&p))
        .unwrap_or_default();
    let outcome = params.value("outcome");
    let outcome = OUTCOMES
        .iter()
        .find(|(value, _, _)| *value == outcome)
        .map(|(value, _, recorded)| (*value, *recorded));
    let rule = params.text("rule").unwrap_or_default();
    let page = params.page();
    let filter = GateDecisionFilter {
        project: Some(project.clone()).filter(|p| !p.is_empty()),
        outcomes: outcome
            .map(|(_, recorded)| recorded.iter().map(|o| o.to_string()).collect())
            .unwrap_or_default(),
        rule: Some(rule.clone()).filter(|r| !r.is_empty()),
    };
    let total = state.store.count_gate_decisions(&filter).await?;
    let offset = u64::from(page - 1) * u64::from(PER_PAGE);
    let rows = state
        .store
        .gate_decision_page(&filter, PER_PAGE, offset)
        .await?
        .into_iter()
        .map(row_of)
        .collect();
    let outcome_param = outcome.map(|(v, _)| v.to_string()).unwrap_or_default();
    let pager = Pager::new(
        "/gate/decisions",
        &[
            ("project", project.clone()),
            ("outcome", outcome_param.clone()),
            ("rule", rule.clone()),
        ],
        page,
        PER_PAGE,
        total,
    );
    let mut rule_names = state.store.gate_decision_rules().await?;
    if !rule.is_empty() && !rule_names.contains(&rule) {
        rule_names.push(rule.clone());
    }
    let counts = state
        .store
        .gate_objections_by_rule(Utc::now() - Duration::days(SUMMARY_DAYS))
        .await?;
    let dry_run_total: u64 = counts.iter().map(|c| c.dry_run).sum();
    let summary = counts
        .into_iter()
        .map(|c| SummaryRow {
            blocked_href: href(
                "/gate/decisions",
                &[("outcome", "blocked".into()), ("rule", c.rule.clone())],
            ),
            dry_run_href: href(
                "/gate/decisions",
                &[("outcome", "dry-run".into()), ("rule", c.rule.clone())],
            ),
            blocked: thousands(c.blocked),
            dry_run: thousands(c.dry_run),
            has_dry_run: c.dry_run > 0,
            rule: c.rule,
        })
        .collect();
    let page = GateDecisionsPage {
        chrome: Chrome::new(&user, Section::Gate, "Gate decisions"),
        filtered: filter != GateDecisionFilter::default(),
        project,
        outcomes: OUTCOMES
            .iter()
            .map(|(value, label, _)| Choice {
                value: value.to_string(),
                label: label.to_string(),
                selected: outcome_param == *value,
            })
            .collect(),
        rules: rule_names
            .into_iter()
            .map(|r| Choice {
                selected: r == rule,
                label: r.clone(),
                value: r,
            })
            .collect(),
        rows,
        pager,
        summary,
        summary_days: SUMMARY_DAYS,
        dry_run_total: thousands(dry_run_total),
    };
    Ok(render(StatusCode::OK, &page))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dry_run_reads_as_would_have_blocked_and_blocking_outcomes_share_a_colour() {
        assert_eq!(outcome_badge("dry-run").label, "would have blocked");
        assert_eq!(
            outcome_badge("withheld").class,
            outcome_badge("refused").class
        );
        assert_ne!(
            outcome_badge("served").class,
            outcome_badge("refused").class
        );
    }
}
