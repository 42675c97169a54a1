//! `/assets/new` and `POST /assets`: the guided registration form and its outcome.
//!
//! The form asks for the five required fields (creator and department, purpose, data tier,
//! AI tool and version, status), then owner, backup owner, repository and the systems the
//! asset touches with how. Beside the data tier, "Can I use AI with this data?" explains each
//! tier with examples and what the policy will do with it, read from the installation's own
//! `[policy]`. On submit the draft goes to `routes::assets::register_asset`, the function the
//! API calls, and the page shows the outcome at once: approved, sent for review with its due
//! date, or blocked with the reason and what to do instead. A draft with mistakes comes back
//! with everything typed kept and each message next to its field.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::Utc;
use corral_model::policy::TierAction;
use corral_model::review::SignoffRole;
use corral_model::{AiTool, ApprovalState, AssetDraft, DataTier, DeploymentStatus, SystemAccess};

use crate::console::badges::{self, Badge};
use crate::console::csrf::SignedForm;
use crate::console::form::{FieldErrors, FormFields};
use crate::console::page::{Chrome, ConsoleError, ConsoleResult, Section, render};
use crate::console::session::ConsoleUser;
use crate::console::time_text::{date_time, relative};
use crate::error::ApiError;
use crate::routes::assets::register_asset;
use crate::state::AppState;

/// Rows for systems on the form (a person lists the few their script touches).
pub const SYSTEM_ROWS: usize = 4;

/// What the form shows in its fields.
#[derive(Debug, Clone, Default)]
pub struct RegisterValues {
    pub name: String,
    pub purpose: String,
    pub creator_email: String,
    pub department: String,
    pub data_tier: String,
    pub ai_product: String,
    pub ai_version: String,
    pub status: String,
    pub owner_email: String,
    pub backup_owner_email: String,
    pub repository: String,
}

/// One data tier with its decision help.
pub struct TierHelp {
    pub number: u8,
    pub name: &'static str,
    pub checked: bool,
    pub summary: &'static str,
    pub examples: &'static str,
    pub outcome: String,
    pub outcome_class: &'static str,
}

pub struct SelectOption {
    pub value: &'static str,
    pub label: &'static str,
    pub selected: bool,
}

pub struct SystemRow {
    pub index: usize,
    pub system: String,
    pub access: Vec<SelectOption>,
    pub error: Option<String>,
}

#[derive(Template)]
#[template(path = "register.html")]
struct RegisterPage {
    chrome: Chrome,
    v: RegisterValues,
    errors: FieldErrors,
    tiers: Vec<TierHelp>,
    statuses: Vec<SelectOption>,
    systems: Vec<SystemRow>,
    existing: Option<(String, String)>,
    purpose_max: usize,
}

/// The words of each tier's help: what the data is, and examples.
fn tier_words(tier: DataTier) -> (&'static str, &'static str) {
    match tier {
        DataTier::Public => (
            "Data that is published or could be published tomorrow without harm.",
            "the public website, press releases, open data sets, published prices",
        ),
        DataTier::Internal => (
            "Ordinary internal data: useful to a competitor only in bulk, harmless one by one.",
            "internal wiki pages, aggregated sales figures, team calendars, ticket titles",
        ),
        DataTier::Confidential => (
            "Data that would hurt customers, employees or the company if it leaked.",
            "customer lists, contracts, pricing deals, HR records without special categories",
        ),
        DataTier::Regulated => (
            "Data under law or contract: leaking it means fines or breach notifications.",
            "card numbers, health data, special-category personal data, data under legal hold",
        ),
    }
}

fn tier_help(state: &AppState, selected: &str) -> Vec<TierHelp> {
    DataTier::ALL
        .into_iter()
        .map(|tier| {
            let (summary, examples) = tier_words(tier);
            let (outcome, outcome_class) = match state.policy.tiers.for_tier(tier) {
                TierAction::Approve => ("Approved at once.".to_string(), "outcome-ok"),
                TierAction::Review => (
                    format!(
                        "A security reviewer decides within {} business days.",
                        state.policy.review_business_days
                    ),
                    "outcome-wait",
                ),
                TierAction::Block => (
                    "Not allowed with AI-built tools: registered as blocked, with what to do \
                     instead."
                        .to_string(),
                    "outcome-stop",
                ),
            };
            TierHelp {
                number: tier.number(),
                name: tier.name(),
                checked: selected == tier.number().to_string(),
                summary,
                examples,
                outcome,
                outcome_class,
            }
        })
        .collect()
}

fn status_options(selected: &str) -> Vec<SelectOption> {
    [
        ("development", "Development: being built or tried out"),
        ("production", "Production: people or processes rely on it"),
        ("decommissioned", "Decommissioned: no longer runs"),
    ]
    .into_iter()
    .map(|(value, label)| SelectOption {
        value,
        label,
        selected: selected == value,
    })
    .collect()
}

fn access_options(selected: &str) -> Vec<SelectOption> {
    [
        ("reads", "reads"),
        ("writes", "writes"),
        ("none", "none (mentions only)"),
    ]
    .into_iter()
    .map(|(value, label)| SelectOption {
        value,
        label,
        selected: selected == value,
    })
    .collect()
}

fn system_rows(fields: Option<&FormFields>, errors: &FieldErrors) -> Vec<SystemRow> {
    (0..SYSTEM_ROWS)
        .map(|i| {
            let system =
                fields.map_or(String::new(), |f| f.raw(&format!("system_{i}")).to_string());
            let access = fields.map_or("reads".to_string(), |f| f.value(&format!("access_{i}")));
            SystemRow {
                index: i,
                system,
                access: access_options(&access),
                error: errors.get(&format!("systems[{i}]")).map(str::to_string),
            }
        })
        .collect()
}

fn page(
    state: &AppState,
    user: &ConsoleUser,
    v: RegisterValues,
    fields: Option<&FormFields>,
    errors: FieldErrors,
    existing: Option<(String, String)>,
) -> RegisterPage {
    RegisterPage {
        chrome: Chrome::new(user, Section::Register, "Register an asset"),
        tiers: tier_help(state, &v.data_tier),
        statuses: status_options(&v.status),
        systems: system_rows(fields, &errors),
        v,
        errors,
        existing,
        purpose_max: corral_model::asset::PURPOSE_MAX_CHARS,
    }
}

/// `GET /assets/new`.
pub async fn show(State(state): State<AppState>, user: ConsoleUser) -> ConsoleResult {
    user.actor
        .require(corral_model::Action::RegisterAsset)
        .map_err(ConsoleError::from)?;
    let v = RegisterValues {
        creator_email: user.actor.email.clone(),
        status: "development".into(),
        ..Default::default()
    };
    Ok(render(
        StatusCode::OK,
        &page(&state, &user, v, None, FieldErrors::default(), None),
    ))
}

/// The draft the form describes, and the problems found reading it (values that are not
/// one of the choices); the rules themselves are checked by the registration.
fn draft_of(fields: &FormFields) -> (AssetDraft, FieldErrors) {
    let mut errors = FieldErrors::default();
    let data_tier = match fields.text("data_tier") {
        None => None,
        Some(t) => match t.parse::<DataTier>() {
            Ok(tier) => Some(tier),
            Err(e) => {
                errors.add("data_tier", e.to_string());
                None
            }
        },
    };
    let status = match fields.text("status") {
        None => None,
        Some(s) => match s.parse::<DeploymentStatus>() {
            Ok(status) => Some(status),
            Err(e) => {
                errors.add("status", e.to_string());
                None
            }
        },
    };
    let ai_tool = match (fields.text("ai_product"), fields.text("ai_version")) {
        (Some(product), Some(version)) => Some(AiTool { product, version }),
        (None, None) => None,
        _ => {
            errors.add(
                "ai_tool",
                "needs both a product and a version, e.g. Claude Code and 2.1",
            );
            None
        }
    };
    let mut systems = Vec::new();
    for i in 0..SYSTEM_ROWS {
        let Some(system) = fields.text(&format!("system_{i}")) else {
            continue;
        };
        match fields.value(&format!("access_{i}")).parse() {
            Ok(access) => systems.push(SystemAccess { system, access }),
            Err(e) => errors.add(format!("systems[{i}]"), format!("{e}")),
        }
    }
    let draft = AssetDraft {
        name: fields.value("name"),
        purpose: fields.value("purpose"),
        creator_email: fields.value("creator_email"),
        department: fields.value("department"),
        owner_email: fields.text("owner_email"),
        backup_owner_email: fields.text("backup_owner_email"),
        data_tier,
        ai_tool,
        status,
        repository: fields.text("repository"),
        systems,
    };
    (draft, errors)
}

fn values_of(fields: &FormFields) -> RegisterValues {
    RegisterValues {
        name: fields.raw("name").to_string(),
        purpose: fields.raw("purpose").to_string(),
        creator_email: fields.raw("creator_email").to_string(),
        department: fields.raw("department").to_string(),
        data_tier: fields.value("data_tier"),
        ai_product: fields.raw("ai_product").to_string(),
        ai_version: fields.raw("ai_version").to_string(),
        status: fields.value("status"),
        owner_email: fields.raw("owner_email").to_string(),
        backup_owner_email: fields.raw("backup_owner_email").to_string(),
        repository: fields.raw("repository").to_string(),
    }
}

/// What the registration decided, as shown.
#[derive(Template)]
#[template(path = "register_outcome.html")]
struct OutcomePage {
    chrome: Chrome,
    name: String,
    href: String,
    /// `approved`, `review` or `blocked`.
    kind: &'static str,
    approval: Badge,
    tier: Badge,
    risk: Badge,
    reason: String,
    help: Option<String>,
    due: Option<String>,
    due_relative: Option<String>,
    needs: Vec<String>,
}

/// `POST /assets`.
pub async fn submit(State(state): State<AppState>, form: SignedForm) -> ConsoleResult {
    let SignedForm { user, fields } = form;
    let (draft, mut errors) = draft_of(&fields);
    let result = if errors.is_empty() {
        register_asset(&state, &user.actor, draft).await
    } else {
        // Report the rules the rest of the form breaks too, all at once.
        if let Err(invalid) = draft.validate() {
            for e in invalid.0 {
                errors.add(e.field, e.rule);
            }
        }
        Err(ApiError::bad_request("the form has mistakes"))
    };
    let outcome = match result {
        Ok(outcome) => outcome,
        Err(err) if err.status == StatusCode::FORBIDDEN => return Err(err.into()),
        Err(err) if err.status.is_server_error() => return Err(err.into()),
        Err(err) => {
            let mut existing = None;
            if errors.is_empty() {
                if let Some(found) = &err.detail.existing {
                    let field = if err.detail.message.contains("this repository") {
                        "repository"
                    } else {
                        "name"
                    };
                    errors.add(field, err.detail.message.clone());
                    existing = Some((found.name.clone(), format!("/assets/{}", found.id)));
                } else {
                    errors = FieldErrors::from_api(&err, str::to_string);
                }
            }
            let status = if existing.is_some() {
                StatusCode::CONFLICT
            } else {
                StatusCode::UNPROCESSABLE_ENTITY
            };
            return Ok(render(
                status,
                &page(
                    &state,
                    &user,
                    values_of(&fields),
                    Some(&fields),
                    errors,
                    existing,
                ),
            ));
        }
    };
    let asset = &outcome.asset.asset;
    let evaluation = outcome.evaluation.as_ref();
    let now = Utc::now();
    let kind = match asset.approval {
        ApprovalState::Approved => "approved",
        ApprovalState::Blocked => "blocked",
        _ => "review",
    };
    let page = OutcomePage {
        chrome: Chrome::new(
            &user,
            Section::Register,
            format!("Registered {}", asset.name),
        ),
        name: asset.name.clone(),
        href: format!("/assets/{}", asset.id),
        kind,
        approval: badges::approval(asset.approval),
        tier: badges::data_tier(asset.data_tier),
        risk: badges::risk(asset.risk_tier()),
        reason: evaluation.map(|e| e.reason.clone()).unwrap_or_default(),
        help: evaluation.and_then(|e| e.help.clone()),
        due: outcome.review.as_ref().map(|r| date_time(r.due_at)),
        due_relative: outcome.review.as_ref().map(|r| relative(r.due_at, now)),
        needs: outcome
            .review
            .as_ref()
            .map(|r| {
                r.required
                    .iter()
                    .map(|role| match role {
                        SignoffRole::Business => "a business approver".to_string(),
                        SignoffRole::Security => "a security reviewer".to_string(),
                    })
                    .collect()
            })
            .unwrap_or_default(),
    };
    Ok(render(StatusCode::CREATED, &page))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_form_becomes_a_draft_and_bad_choices_are_named() {
        let fields = FormFields::parse(
            b"name=lead-scoring&purpose=Scores+leads&creator_email=ana%40example.com&\
              department=Sales&data_tier=3&ai_product=Claude+Code&ai_version=2.1&\
              status=production&system_0=Salesforce&access_0=writes&system_1=&access_1=reads&\
              system_2=ERP&access_2=deletes",
        );
        let (draft, errors) = draft_of(&fields);
        assert_eq!(draft.data_tier, Some(DataTier::Confidential));
        assert_eq!(draft.status, Some(DeploymentStatus::Production));
        assert_eq!(draft.ai_tool.as_ref().unwrap().version, "2.1");
        assert_eq!(draft.systems.len(), 1);
        assert_eq!(draft.systems[0].system, "Salesforce");
        assert!(errors.get("systems[2]").unwrap().contains("unknown access"));
        let half = FormFields::parse(b"ai_product=Cursor&data_tier=9");
        let (_, errors) = draft_of(&half);
        assert!(
            errors
                .get("ai_tool")
                .unwrap()
                .contains("product and a version")
        );
        assert!(
            errors
                .get("data_tier")
                .unwrap()
                .contains("unknown data tier")
        );
    }
}
