//! Console accounts: creating them, changing their role, disabling them, setting passwords.
//!
//! The settings page (admins) and `corral users` (the operator on the server's machine) both
//! call these functions, so an account is checked, hashed and audited the same way whoever
//! creates it. Changing an account's role, disabling it or setting its password ends its
//! sessions at once: a person demoted or let go is not left signed in with their old role.
//! Nobody changes their own role or disables their own account, so an installation cannot
//! lose its last admin by a slip of the mouse.

use chrono::Utc;
use corral_model::Role;
use corral_model::validation::is_valid_email;
use corral_store::{AuditEntry, ConsoleAccount, Store};
use serde_json::json;

use crate::error::{ApiError, ApiResult};
use crate::password;

fn checked_password(password: &str) -> ApiResult<String> {
    password::check_rules(password).map_err(|e| ApiError::field("password", e.to_string()))?;
    password::hash(password).map_err(ApiError::internal)
}

fn not_yourself(actor: &str, email: &str, what: &str) -> ApiResult<()> {
    if actor.trim().eq_ignore_ascii_case(email.trim()) {
        return Err(
            ApiError::conflict(format!("you cannot {what} your own account"))
                .with_help("ask another admin to do it"),
        );
    }
    Ok(())
}

/// Creates an account for `email` with `role` and `password`, recorded as done by `actor`.
pub async fn create_account(
    store: &Store,
    actor: &str,
    email: &str,
    role: Role,
    password: &str,
) -> ApiResult<ConsoleAccount> {
    let email = email.trim();
    if !is_valid_email(email) {
        return Err(ApiError::field(
            "email",
            format!("must be an e-mail address such as `ana@example.com`, not `{email}`"),
        ));
    }
    let hash = checked_password(password)?;
    let now = Utc::now();
    let mut tx = store.begin().await?;
    if let Some(existing) = tx.console_account(email).await? {
        return Err(ApiError::field(
            "email",
            format!("`{}` already has a console account", existing.email),
        ));
    }
    let account = tx.insert_console_account(email, role, &hash, now).await?;
    tx.audit(
        AuditEntry::new(actor, "console-account.created")
            .subject(account.email.clone())
            .data(json!({"email": account.email, "role": role})),
    );
    tx.commit().await?;
    Ok(account)
}

/// Gives `email`'s account `role`, ending its sessions.
pub async fn change_role(store: &Store, actor: &str, email: &str, role: Role) -> ApiResult<()> {
    not_yourself(actor, email, "change the role of")?;
    let now = Utc::now();
    let mut tx = store.begin().await?;
    let before = tx
        .console_account(email)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("no console account `{email}`")))?;
    tx.set_console_role(email, role, now).await?;
    let ended = tx.end_console_sessions_for(email, now).await?;
    tx.audit(
        AuditEntry::new(actor, "console-account.role-changed")
            .subject(before.email.clone())
            .data(json!({"from": before.role, "to": role, "sessions_ended": ended})),
    );
    tx.commit().await?;
    Ok(())
}

/// Disables (`enabled = false`, ending its sessions) or re-enables `email`'s account.
pub async fn set_enabled(store: &Store, actor: &str, email: &str, enabled: bool) -> ApiResult<()> {
    not_yourself(actor, email, if enabled { "enable" } else { "disable" })?;
    let now = Utc::now();
    let mut tx = store.begin().await?;
    let account = tx
        .console_account(email)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("no console account `{email}`")))?;
    tx.set_console_disabled(email, !enabled, now).await?;
    let ended = if enabled {
        0
    } else {
        tx.end_console_sessions_for(email, now).await?
    };
    let action = if enabled {
        "console-account.enabled"
    } else {
        "console-account.disabled"
    };
    tx.audit(
        AuditEntry::new(actor, action)
            .subject(account.email.clone())
            .data(json!({"sessions_ended": ended})),
    );
    tx.commit().await?;
    Ok(())
}

/// Sets `email`'s password, ending its sessions.
pub async fn set_password(
    store: &Store,
    actor: &str,
    email: &str,
    password: &str,
) -> ApiResult<()> {
    let hash = checked_password(password)?;
    let now = Utc::now();
    let mut tx = store.begin().await?;
    let account = tx
        .console_account(email)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("no console account `{email}`")))?;
    tx.set_console_password(email, &hash, now).await?;
    let ended = tx.end_console_sessions_for(email, now).await?;
    tx.audit(
        AuditEntry::new(actor, "console-account.password-set")
            .subject(account.email.clone())
            .data(json!({"sessions_ended": ended})),
    );
    tx.commit().await?;
    Ok(())
}
