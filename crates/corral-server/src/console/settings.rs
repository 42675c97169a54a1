//! `/settings` (admins): notification targets, the tier policy, API tokens, console
//! accounts.
//!
//! Notification targets and the policy are configured in `corral.toml` and shown read-only,
//! the targets with their delivery state (`routes::notifications::notification_status`, as
//! `corral notify status` shows it). A target's address is shown as its scheme and host
//! only: a Slack webhook's path is its secret. Tokens are issued and revoked through
//! `routes::tokens::{issue_token, revoke_token}`; the token text is shown once, on the page
//! that issued it. Console accounts are added, given another role, disabled and enabled
//! through [`crate::accounts`], which `corral users` uses too.

use askama::Template;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use corral_client::wire::TokenRequest;
use corral_model::policy::TierAction;
use corral_model::{Action, DataTier, Role};
use uuid::Uuid;

use crate::accounts;
use crate::console::badges::{self, Badge};
use crate::console::csrf::SignedForm;
use crate::console::form::{FieldErrors, FormFields};
use crate::console::page::{Chrome, ConsoleError, ConsoleResult, Section, render, see_other};
use crate::console::pager::href;
use crate::console::session::ConsoleUser;
use crate::console::time_text::date_time;
use crate::error::{ApiError, ApiResult};
use crate::routes::notifications::notification_status;
use crate::routes::tokens::{issue_token as issue, revoke_token as revoke};
use crate::state::AppState;

pub struct TargetRow {
    pub name: String,
    pub kind: String,
    pub destination: String,
    pub events: String,
    pub pending: u64,
    pub delivered: u64,
    pub failed: u64,
}

pub struct ProblemRow {
    pub target: String,
    pub title: String,
    pub state: String,
    pub attempts: u32,
    pub error: String,
}

pub struct PolicyRow {
    pub label: &'static str,
    pub value: String,
}

pub struct TokenRow {
    pub id: String,
    pub name: String,
    pub email: String,
    pub role: Badge,
    pub created: String,
    pub expires: String,
    pub last_used: String,
    pub revoked: Option<String>,
}

pub struct RoleOption {
    pub value: &'static str,
    pub selected: bool,
}

pub struct AccountRow {
    pub email: String,
    pub path: String,
    pub role: Badge,
    pub roles: Vec<RoleOption>,
    pub enabled: bool,
    pub created: String,
    pub is_you: bool,
}

/// The add-account and issue-token forms as typed, and their problems.
#[derive(Default)]
pub struct SettingsForms {
    pub token_name: String,
    pub token_email: String,
    pub token_role: String,
    pub token_days: String,
    pub account_email: String,
    pub account_role: String,
    pub errors: FieldErrors,
}

#[derive(Template)]
#[template(path = "settings.html")]
struct SettingsPage {
    chrome: Chrome,
    notice: Option<&'static str>,
    targets: Vec<TargetRow>,
    problems: Vec<ProblemRow>,
    policy: Vec<PolicyRow>,
    tokens: Vec<TokenRow>,
    issued: Option<(String, String)>,
    accounts: Vec<AccountRow>,
    forms: SettingsForms,
    token_roles: Vec<RoleOption>,
    account_roles: Vec<RoleOption>,
}

/// `scheme://host/…` of a target's address: never its path, query or credentials.
pub fn destination(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return "(address hidden)".into();
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let more =
        rest.len() > authority.len() && !rest[authority.len()..].trim_matches('/').is_empty();
    format!("{scheme}://{host}{}", if more { "/…" } else { "" })
}

fn role_options(selected: &str) -> Vec<RoleOption> {
    Role::ALL
        .iter()
        .map(|r| RoleOption {
            value: r.as_str(),
            selected: r.as_str() == selected,
        })
        .collect()
}

fn policy_rows(state: &AppState) -> Vec<PolicyRow> {
    let p = &state.policy;
    let mut rows: Vec<PolicyRow> = DataTier::ALL
        .iter()
        .map(|tier| PolicyRow {
            label: match tier {
                DataTier::Public => "Tier 1 (public)",
                DataTier::Internal => "Tier 2 (internal)",
                DataTier::Confidential => "Tier 3 (confidential)",
                DataTier::Regulated => "Tier 4 (regulated)",
            },
            value: match p.tiers.for_tier(*tier) {
                TierAction::Approve => "approved at once".into(),
                TierAction::Review => "security review".into(),
                TierAction::Block => "blocked".into(),
            },
        })
        .collect();
    rows.extend([
        PolicyRow {
            label: "Review deadline",
            value: format!("{} business days ({})", p.review_business_days, p.timezone),
        },
        PolicyRow {
            label: "Holidays",
            value: if p.holidays.is_empty() {
                "none configured".into()
            } else {
                p.holidays
                    .iter()
                    .map(|d| d.to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            },
        },
        PolicyRow {
            label: "Critical assets in production",
            value: if p.critical_production_signoff {
                "business and security sign-off, two different people".into()
            } else {
                "no extra sign-off".into()
            },
        },
        PolicyRow {
            label: "Attestation",
            value: format!("every {} days", p.attestation_period_days),
        },
        PolicyRow {
            label: "Advice when blocked",
            value: p.blocked_help.clone(),
        },
    ]);
    rows
}

async fn settings_page(
    state: &AppState,
    user: &ConsoleUser,
    notice: Option<&'static str>,
    issued: Option<(String, String)>,
    forms: SettingsForms,
) -> ApiResult<SettingsPage> {
    let status = notification_status(state).await?;
    let targets = state
        .notify
        .targets
        .iter()
        .map(|t| {
            let counts = status.targets.iter().find(|s| s.target == t.name);
            TargetRow {
                name: t.name.clone(),
                kind: format!("{:?}", t.kind).to_lowercase(),
                destination: destination(&t.url),
                events: if t.events.is_empty() {
                    "every event".into()
                } else {
                    t.events
                        .iter()
                        .map(|e| {
                            serde_json::to_value(e)
                                .ok()
                                .and_then(|v| v.as_str().map(str::to_string))
                                .unwrap_or_default()
                        })
                        .collect::<Vec<_>>()
                        .join(", ")
                },
                pending: counts.map_or(0, |c| c.pending),
                delivered: counts.map_or(0, |c| c.delivered),
                failed: counts.map_or(0, |c| c.failed),
            }
        })
        .collect();
    let problems = status
        .problems
        .into_iter()
        .take(10)
        .map(|p| ProblemRow {
            target: p.target,
            title: p.title,
            state: format!("{:?}", p.state).to_lowercase(),
            attempts: p.attempts,
            error: p.last_error.unwrap_or_default(),
        })
        .collect();
    let tokens = state
        .store
        .tokens(None)
        .await?
        .into_iter()
        .map(|t| TokenRow {
            id: t.id.to_string(),
            name: t.name,
            email: t.email,
            role: badges::role(t.role),
            created: date_time(t.created_at),
            expires: t.expires_at.map_or("never".into(), date_time),
            last_used: t.last_used_at.map_or("never".into(), date_time),
            revoked: t.revoked_at.map(date_time),
        })
        .collect();
    let accounts = state
        .store
        .console_accounts()
        .await?
        .into_iter()
        .map(|a| AccountRow {
            path: form_urlencoded::byte_serialize(a.email.as_bytes()).collect(),
            is_you: a.email.eq_ignore_ascii_case(&user.actor.email),
            role: badges::role(a.role),
            roles: role_options(a.role.as_str()),
            enabled: a.is_enabled(),
            created: date_time(a.created_at),
            email: a.email,
        })
        .collect();
    Ok(SettingsPage {
        chrome: Chrome::new(user, Section::Settings, "Settings"),
        notice,
        targets,
        problems,
        policy: policy_rows(state),
        tokens,
        issued,
        accounts,
        token_roles: role_options(if forms.token_role.is_empty() {
            "member"
        } else {
            &forms.token_role
        }),
        account_roles: role_options(if forms.account_role.is_empty() {
            "member"
        } else {
            &forms.account_role
        }),
        forms,
    })
}

fn notice_for(key: &str) -> Option<&'static str> {
    match key {
        "token-revoked" => Some("The token is revoked: it stopped working at once."),
        "account-added" => Some(
            "The account is created. Tell its owner their password in person or over a channel you trust.",
        ),
        "role-changed" => Some(
            "The role is changed; the account's sessions were ended, so it signs in again with the new role.",
        ),
        "account-disabled" => Some("The account is disabled and signed out everywhere."),
        "account-enabled" => Some("The account is enabled again."),
        _ => None,
    }
}

fn require_admin(user: &ConsoleUser) -> Result<(), ConsoleError> {
    user.actor.require(Action::ManageSettings)?;
    Ok(())
}

/// `GET /settings`.
pub async fn show(
    State(state): State<AppState>,
    user: ConsoleUser,
    RawQuery(query): RawQuery,
) -> ConsoleResult {
    require_admin(&user)?;
    let params = FormFields::parse(query.unwrap_or_default().as_bytes());
    let notice = notice_for(&params.value("notice"));
    let page = settings_page(&state, &user, notice, None, SettingsForms::default()).await?;
    Ok(render(StatusCode::OK, &page))
}

/// `POST /settings/tokens`: issues a token and shows it once.
pub async fn issue_token(State(state): State<AppState>, form: SignedForm) -> ConsoleResult {
    let SignedForm { user, fields } = form;
    require_admin(&user)?;
    let mut forms = SettingsForms {
        token_name: fields.value("name"),
        token_email: fields.value("email"),
        token_role: fields.value("role"),
        token_days: fields.value("expires_in_days"),
        ..Default::default()
    };
    let role = forms.token_role.parse::<Role>();
    let days = match forms.token_days.as_str() {
        "" => Ok(None),
        d => d.parse::<u32>().map(Some),
    };
    let result = match (role, days) {
        (Ok(role), Ok(expires_in_days)) => {
            issue(
                &state,
                &user.actor,
                TokenRequest {
                    name: forms.token_name.clone(),
                    email: forms.token_email.clone(),
                    role,
                    expires_in_days,
                },
            )
            .await
        }
        (Err(e), _) => Err(ApiError::field("role", e.to_string())),
        (_, Err(_)) => Err(ApiError::field(
            "expires_in_days",
            "must be a whole number of days, or empty for no expiry",
        )),
    };
    match result {
        Ok(issued) => {
            let page = settings_page(
                &state,
                &user,
                None,
                Some((issued.info.name, issued.token)),
                SettingsForms::default(),
            )
            .await?;
            Ok(render(StatusCode::CREATED, &page))
        }
        Err(err) if err.status == StatusCode::UNPROCESSABLE_ENTITY => {
            forms.errors = FieldErrors::from_api(&err, |f| format!("token_{f}"));
            let page = settings_page(&state, &user, None, None, forms).await?;
            Ok(render(err.status, &page))
        }
        Err(err) => Err(err.into()),
    }
}

/// `POST /settings/tokens/{id}/revoke`.
pub async fn revoke_token(
    State(state): State<AppState>,
    Path(id): Path<String>,
    form: SignedForm,
) -> ConsoleResult {
    require_admin(&form.user)?;
    let id =
        Uuid::parse_str(&id).map_err(|_| ConsoleError::not_found(format!("no token `{id}`")))?;
    revoke(&state, &form.user.actor, id, None).await?;
    Ok(see_other("/settings?notice=token-revoked#tokens"))
}

/// `POST /settings/accounts`: adds a console account.
pub async fn add_account(State(state): State<AppState>, form: SignedForm) -> ConsoleResult {
    let SignedForm { user, fields } = form;
    require_admin(&user)?;
    let mut forms = SettingsForms {
        account_email: fields.value("email"),
        account_role: fields.value("role"),
        ..Default::default()
    };
    let result = match forms.account_role.parse::<Role>() {
        Ok(role) => accounts::create_account(
            &state.store,
            &user.actor.email,
            &forms.account_email,
            role,
            fields.raw("password"),
        )
        .await
        .map(|_| ()),
        Err(e) => Err(ApiError::field("role", e.to_string())),
    };
    match result {
        Ok(()) => Ok(see_other("/settings?notice=account-added#accounts")),
        Err(err) if err.status == StatusCode::UNPROCESSABLE_ENTITY => {
            forms.errors = FieldErrors::from_api(&err, |f| format!("account_{f}"));
            let page = settings_page(&state, &user, None, None, forms).await?;
            Ok(render(err.status, &page))
        }
        Err(err) => Err(err.into()),
    }
}

/// `POST /settings/accounts/{email}/role`.
pub async fn change_role(
    State(state): State<AppState>,
    Path(email): Path<String>,
    form: SignedForm,
) -> ConsoleResult {
    let SignedForm { user, fields } = form;
    require_admin(&user)?;
    let role = fields
        .value("role")
        .parse::<Role>()
        .map_err(|e| ApiError::field("role", e.to_string()))?;
    accounts::change_role(&state.store, &user.actor.email, &email, role).await?;
    Ok(see_other("/settings?notice=role-changed#accounts"))
}

/// `POST /settings/accounts/{email}/enabled`: `enabled` is `true` or `false`.
pub async fn set_enabled(
    State(state): State<AppState>,
    Path(email): Path<String>,
    form: SignedForm,
) -> ConsoleResult {
    let SignedForm { user, fields } = form;
    require_admin(&user)?;
    let enabled = match fields.value("enabled").as_str() {
        "true" => true,
        "false" => false,
        other => {
            return Err(ApiError::field(
                "enabled",
                format!("must be true or false, not `{other}`"),
            )
            .into());
        }
    };
    accounts::set_enabled(&state.store, &user.actor.email, &email, enabled).await?;
    let notice = if enabled {
        "account-enabled"
    } else {
        "account-disabled"
    };
    Ok(see_other(&format!(
        "{}#accounts",
        href("/settings", &[("notice", notice.to_string())])
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_target_shows_its_host_never_its_path_or_credentials() {
        assert_eq!(
            destination("https://hooks.example.com/T000/B000/XXXX"),
            "https://hooks.example.com/…"
        );
        assert_eq!(
            destination("smtp://user:secret@mail.internal:25"),
            "smtp://mail.internal:25"
        );
        assert_eq!(
            destination("https://ops.example.com"),
            "https://ops.example.com"
        );
        assert_eq!(destination("not a url"), "(address hidden)");
    }
}
