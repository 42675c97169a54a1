//! `/assets`: the registry, searchable and filterable, a page at a time.
//!
//! The filters are the API's (`routes::assets::find_assets`): free text, data tier, risk
//! tier, status, approval, department, person. They live in the query string, so a filtered
//! view is a link someone can share, and the dashboard's bars link straight into it. A value
//! that is not one of the choices is named above the list and left out, rather than failing
//! the page.

use askama::Template;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use corral_client::wire::AssetQuery;
use corral_model::{ApprovalState, DataTier, DeploymentStatus, RiskTier};

use crate::console::badges::{self, Badge};
use crate::console::form::FormFields;
use crate::console::page::{Chrome, ConsoleResult, Section, render};
use crate::console::pager::{Pager, thousands};
use crate::console::session::ConsoleUser;
use crate::console::time_text::date;
use crate::routes::assets::find_assets;
use crate::state::AppState;

/// Assets per page.
pub const PER_PAGE: u32 = 50;

/// One row of the list.
pub struct AssetRow {
    pub name: String,
    pub href: String,
    pub purpose: String,
    pub department: String,
    pub owner: String,
    pub tier: Badge,
    pub risk: Badge,
    pub status: Badge,
    pub approval: Badge,
    pub registered: String,
}

impl AssetRow {
    pub fn of(asset: &corral_model::Asset) -> Self {
        Self {
            name: asset.name.clone(),
            href: format!("/assets/{}", asset.id),
            purpose: asset.purpose.clone(),
            department: asset.department.clone(),
            owner: asset.owner_email.clone(),
            tier: badges::data_tier(asset.data_tier),
            risk: badges::risk(asset.risk_tier()),
            status: badges::status(asset.status),
            approval: badges::approval(asset.approval),
            registered: date(asset.created_at),
        }
    }
}

/// A choice in a filter's drop-down.
pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

fn choices(values: &[(String, String)], selected: &str) -> Vec<Choice> {
    values
        .iter()
        .map(|(value, label)| Choice {
            value: value.clone(),
            label: label.clone(),
            selected: value == selected,
        })
        .collect()
}

#[derive(Template)]
#[template(path = "asset_list.html")]
struct AssetListPage {
    chrome: Chrome,
    q: String,
    department: String,
    person: String,
    tiers: Vec<Choice>,
    risks: Vec<Choice>,
    statuses: Vec<Choice>,
    approvals: Vec<Choice>,
    filtered: bool,
    problems: Vec<String>,
    rows: Vec<AssetRow>,
    pager: Pager,
    total: String,
    can_register: bool,
}

/// Parses `value` for filter `name`, noting a value that is not a choice.
fn parse_filter<T: std::str::FromStr>(
    name: &str,
    value: &str,
    problems: &mut Vec<String>,
) -> Option<T>
where
    T::Err: std::fmt::Display,
{
    if value.is_empty() {
        return None;
    }
    match value.parse() {
        Ok(v) => Some(v),
        Err(e) => {
            problems.push(format!("{name}: {e}; this filter was left out"));
            None
        }
    }
}

/// `GET /assets`.
pub async fn show(
    State(state): State<AppState>,
    user: ConsoleUser,
    RawQuery(query): RawQuery,
) -> ConsoleResult {
    user.actor.require(corral_model::Action::ViewAssets)?;
    let params = FormFields::parse(query.unwrap_or_default().as_bytes());
    let mut problems = Vec::new();
    let tier: Option<DataTier> = parse_filter("tier", &params.value("tier"), &mut problems);
    let risk: Option<RiskTier> = parse_filter("risk", &params.value("risk"), &mut problems);
    let status: Option<DeploymentStatus> =
        parse_filter("status", &params.value("status"), &mut problems);
    let approval: Option<ApprovalState> =
        parse_filter("approval", &params.value("approval"), &mut problems);
    let page: u32 = parse_filter("page", &params.value("page"), &mut problems)
        .filter(|p| *p >= 1)
        .unwrap_or(1);
    let q = params.value("q");
    let department = params.value("department");
    let person = params.value("person");
    let found = find_assets(
        &state,
        AssetQuery {
            tier,
            status,
            approval,
            department: Some(department.clone()),
            risk,
            person: Some(person.clone()),
            q: Some(q.clone()),
            page: Some(page),
            per_page: Some(PER_PAGE),
        },
    )
    .await?;
    let keep: Vec<(&str, String)> = vec![
        ("q", q.clone()),
        (
            "tier",
            tier.map(|t| t.number().to_string()).unwrap_or_default(),
        ),
        (
            "risk",
            risk.map(|r| r.as_str().to_string()).unwrap_or_default(),
        ),
        (
            "status",
            status.map(|s| s.as_str().to_string()).unwrap_or_default(),
        ),
        (
            "approval",
            approval.map(|a| a.as_str().to_string()).unwrap_or_default(),
        ),
        ("department", department.clone()),
        ("person", person.clone()),
    ];
    let filtered = keep.iter().any(|(_, v)| !v.is_empty());
    let option = |v: String, l: String| (v, l);
    let all = || option(String::new(), "Any".into());
    let tiers: Vec<(String, String)> = std::iter::once(all())
        .chain(DataTier::ALL.iter().map(|t| {
            option(
                t.number().to_string(),
                format!("{} {}", t.number(), t.name()),
            )
        }))
        .collect();
    let risks: Vec<(String, String)> = std::iter::once(all())
        .chain(
            [RiskTier::Critical, RiskTier::Standard, RiskTier::Low]
                .iter()
                .map(|r| option(r.as_str().into(), r.as_str().into())),
        )
        .collect();
    let statuses: Vec<(String, String)> = std::iter::once(all())
        .chain(
            [
                DeploymentStatus::Development,
                DeploymentStatus::Production,
                DeploymentStatus::Decommissioned,
            ]
            .iter()
            .map(|s| option(s.as_str().into(), s.as_str().into())),
        )
        .collect();
    let approvals: Vec<(String, String)> = std::iter::once(all())
        .chain(
            [
                ApprovalState::Approved,
                ApprovalState::PendingReview,
                ApprovalState::ChangesRequested,
                ApprovalState::Rejected,
                ApprovalState::Blocked,
            ]
            .iter()
            .map(|a| option(a.as_str().into(), badges::approval(*a).label)),
        )
        .collect();
    let pager = Pager::new("/assets", &keep, page, PER_PAGE, found.total);
    Ok(render(
        StatusCode::OK,
        &AssetListPage {
            chrome: Chrome::new(&user, Section::Assets, "Assets"),
            tiers: choices(&tiers, &keep[1].1),
            risks: choices(&risks, &keep[2].1),
            statuses: choices(&statuses, &keep[3].1),
            approvals: choices(&approvals, &keep[4].1),
            q,
            department,
            person,
            filtered,
            problems,
            rows: found.items.iter().map(|v| AssetRow::of(&v.asset)).collect(),
            total: thousands(found.total),
            pager,
            can_register: user.actor.can(corral_model::Action::RegisterAsset),
        },
    ))
}
