//! `/assets/{asset}`: one asset, everything known about it, and its owner's attestation.
//!
//! The fields and the people; the systems it touches; the open review with its sign-off
//! progress and clock; every decision taken about it, oldest first; when it was last
//! attested and when it is next due, with the attest form for its owners (and admins); and
//! the asset's own entries in the audit log, for those allowed to read the log; and from
//! uploaded scans, its latest findings and its dependencies (`asset_findings`). Attesting
//! goes through `routes::assets::attest_asset`, as `corral attest` and the API do.

use askama::Template;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use chrono::Utc;
use corral_client::wire::AttestRequest;
use corral_model::attestation::{AttestationChoice, attestation_due};
use corral_model::review::SignoffRole;
use corral_model::{Access, Action, DecisionKind};

use crate::console::asset_findings::{
    DependenciesPanel, FindingsPanel, dependencies_panel, findings_panel,
};
use crate::console::badges::{self, Badge};
use crate::console::csrf::SignedForm;
use crate::console::form::FormFields;
use crate::console::page::{Chrome, ConsoleError, ConsoleResult, Section, render, see_other};
use crate::console::session::ConsoleUser;
use crate::console::time_text::{Clock, date_time, relative, sla_clock};
use crate::routes::assets::{attest_asset, resolve_asset};
use crate::routes::reviews::review_view;
use crate::state::AppState;

/// Audit entries shown on the page; the audit page has the rest.
const AUDIT_SHOWN: u32 = 200;

pub struct Fact {
    pub label: &'static str,
    pub value: String,
    pub href: Option<String>,
}

pub struct SystemLine {
    pub system: String,
    pub access: &'static str,
    pub class: &'static str,
}

pub struct SignoffSlot {
    pub role: &'static str,
    pub by: Option<String>,
    pub at: Option<String>,
    pub comment: Option<String>,
}

pub struct ReviewPanel {
    pub reason: String,
    pub opened: String,
    pub due: String,
    pub clock: Clock,
    pub slots: Vec<SignoffSlot>,
    pub progress: String,
}

pub struct DecisionRow {
    pub at: String,
    pub kind: String,
    pub class: &'static str,
    pub actor: String,
    pub role: Option<String>,
    pub comment: String,
}

pub struct AuditRow {
    pub seq: u64,
    pub at: String,
    pub actor: String,
    pub action: String,
}

#[derive(Template)]
#[template(path = "asset_detail.html")]
struct AssetDetailPage {
    chrome: Chrome,
    id: String,
    name: String,
    purpose: String,
    tier: Badge,
    risk: Badge,
    status: Badge,
    approval: Badge,
    facts: Vec<Fact>,
    systems: Vec<SystemLine>,
    risk_override: Option<String>,
    review: Option<ReviewPanel>,
    decisions: Vec<DecisionRow>,
    last_attested: String,
    attestation_due: Option<Clock>,
    attestation_due_at: Option<String>,
    can_attest: bool,
    audit: Option<Vec<AuditRow>>,
    notice: Option<String>,
    findings: FindingsPanel,
    dependencies: DependenciesPanel,
}

fn decision_class(kind: DecisionKind) -> &'static str {
    match kind {
        DecisionKind::Approved | DecisionKind::Signoff => "decision-ok",
        DecisionKind::ReviewRequested | DecisionKind::RiskOverridden => "decision-info",
        DecisionKind::ChangesRequested => "decision-wait",
        DecisionKind::Blocked | DecisionKind::Rejected => "decision-stop",
    }
}

/// `GET /assets/{asset}`: `{asset}` is an id or a name.
pub async fn show(
    State(state): State<AppState>,
    user: ConsoleUser,
    Path(key): Path<String>,
    RawQuery(query): RawQuery,
) -> ConsoleResult {
    user.actor.require(Action::ViewAssets)?;
    let asset = resolve_asset(&state, &key).await?;
    let now = Utc::now();
    let decisions = state.store.decisions_for_asset(asset.id).await?;
    let open_review = state.store.open_review_for_asset(asset.id).await?;
    let params = FormFields::parse(query.unwrap_or_default().as_bytes());
    let notice = match params.value("attested").as_str() {
        "still-active" => Some("Thank you: the asset is confirmed as still in use.".to_string()),
        "decommission" => Some("The asset is now decommissioned.".to_string()),
        _ => None,
    };
    let person = |email: &str| Fact {
        label: "",
        value: email.to_string(),
        href: Some(format!("/people/{email}")),
    };
    let mut facts = vec![
        Fact {
            label: "Department",
            value: asset.department.clone(),
            href: Some(crate::console::pager::href(
                "/assets",
                &[("department", asset.department.clone())],
            )),
        },
        Fact {
            label: "Owner",
            ..person(&asset.owner_email)
        },
        match &asset.backup_owner_email {
            Some(b) => Fact {
                label: "Backup owner",
                ..person(b)
            },
            None => Fact {
                label: "Backup owner",
                value: "none: name one, so someone can take over".into(),
                href: None,
            },
        },
        Fact {
            label: "Created by",
            ..person(&asset.creator_email)
        },
        Fact {
            label: "AI tool",
            value: asset.ai_tool.to_string(),
            href: None,
        },
        Fact {
            label: "Registered",
            value: date_time(asset.created_at),
            href: None,
        },
        Fact {
            label: "Last changed",
            value: date_time(asset.updated_at),
            href: None,
        },
    ];
    if let Some(repo) = &asset.repository {
        let link =
            (repo.starts_with("https://") || repo.starts_with("http://")).then(|| repo.clone());
        facts.push(Fact {
            label: "Repository",
            value: repo.clone(),
            href: link,
        });
    }
    let systems = asset
        .systems
        .iter()
        .map(|s| SystemLine {
            system: s.system.clone(),
            access: match s.access {
                Access::Reads => "reads",
                Access::Writes => "writes",
                Access::None => "none",
            },
            class: match s.access {
                Access::Writes => "badge access-writes",
                Access::Reads => "badge access-reads",
                Access::None => "badge access-none",
            },
        })
        .collect();
    let review = open_review.map(|r| {
        let view = review_view(r, &asset.name, now);
        let slots = view
            .review
            .required
            .iter()
            .map(|role| {
                let given = view.review.signoffs.iter().find(|s| s.role == *role);
                SignoffSlot {
                    role: match role {
                        SignoffRole::Business => "Business approver",
                        SignoffRole::Security => "Security reviewer",
                    },
                    by: given.map(|s| s.by.clone()),
                    at: given.map(|s| date_time(s.at)),
                    comment: given.map(|s| s.comment.clone()),
                }
            })
            .collect();
        ReviewPanel {
            reason: view.review.reason.clone(),
            opened: date_time(view.review.opened_at),
            due: date_time(view.review.due_at),
            clock: sla_clock(view.review.due_at, now),
            progress: format!(
                "{} of {} sign-offs",
                view.review.required.len() - view.missing.len(),
                view.review.required.len()
            ),
            slots,
        }
    });
    let decisions = decisions
        .iter()
        .map(|d| DecisionRow {
            at: date_time(d.at),
            kind: d.kind.as_str().replace('-', " "),
            class: decision_class(d.kind),
            actor: d.actor.clone(),
            role: d.role.map(|r| format!("as {r}")),
            comment: d.comment.clone(),
        })
        .collect();
    let period = state.policy.attestation_period_days;
    let due_at = attestation_due(&asset, period);
    let audit = if user.actor.can(Action::ViewAudit) {
        let records = state
            .store
            .audit_records_for(&asset.id.to_string(), AUDIT_SHOWN)
            .await?;
        Some(
            records
                .into_iter()
                .rev()
                .map(|r| AuditRow {
                    seq: r.event.seq,
                    at: date_time(r.event.at),
                    actor: r.event.actor,
                    action: r.event.action,
                })
                .collect(),
        )
    } else {
        None
    };
    let can_attest = due_at.is_some()
        && user
            .actor
            .require_on_asset(&asset, Action::AttestOwnAsset, Action::AttestAnyAsset)
            .is_ok();
    let page = AssetDetailPage {
        chrome: Chrome::new(&user, Section::Assets, asset.name.clone()),
        id: asset.id.to_string(),
        name: asset.name.clone(),
        purpose: asset.purpose.clone(),
        tier: badges::data_tier(asset.data_tier),
        risk: badges::risk(asset.risk_tier()),
        status: badges::status(asset.status),
        approval: badges::approval(asset.approval),
        facts,
        systems,
        risk_override: asset.risk_override.as_ref().map(|o| {
            format!(
                "risk set to {} by {} on {}: {}",
                o.tier,
                o.by,
                date_time(o.at),
                o.reason
            )
        }),
        review,
        decisions,
        last_attested: match asset.last_attested_at {
            Some(at) => format!("{} ({})", date_time(at), relative(at, now)),
            None => "never".into(),
        },
        attestation_due: due_at.map(|d| sla_clock(d, now)),
        attestation_due_at: due_at.map(date_time),
        can_attest,
        audit,
        notice,
        findings: findings_panel(&state, asset.id).await?,
        dependencies: dependencies_panel(&state, asset.id).await?,
    };
    Ok(render(StatusCode::OK, &page))
}

/// `POST /assets/{asset}/attest`: `choice` is `still-active` or `decommission`.
pub async fn attest(
    State(state): State<AppState>,
    Path(key): Path<String>,
    form: SignedForm,
) -> ConsoleResult {
    let SignedForm { user, fields } = form;
    let asset = resolve_asset(&state, &key).await?;
    let choice = match fields.value("choice").as_str() {
        "still-active" => AttestationChoice::StillActive,
        "decommission" => AttestationChoice::Decommission,
        other => {
            return Err(ConsoleError::page(
                StatusCode::UNPROCESSABLE_ENTITY,
                "Cannot attest",
                format!(
                    "`{other}` is not a choice: confirm it is still active, or decommission it"
                ),
            ));
        }
    };
    let chosen = fields.value("choice");
    attest_asset(
        &state,
        &user.actor,
        &asset,
        AttestRequest {
            choice,
            comment: fields.text("comment"),
        },
    )
    .await?;
    Ok(see_other(&format!(
        "/assets/{}?attested={chosen}",
        asset.id
    )))
}
