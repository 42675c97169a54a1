//! `/audit`: the tamper-evident log, newest first, and verifying it.
//!
//! Filters narrow the log by actor, action (an exact action, or a family such as `review.`)
//! and subject; pages continue from the last sequence number shown, so appending does not
//! shift them. The verify button re-hashes the whole log and checks every signed head
//! through `routes::audit::verify_log`, the same check as the API and
//! `corral audit verify`, and shows the result: intact with its size and root, or the first
//! entry that was altered.

use askama::Template;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use corral_client::wire::AuditVerification;
use corral_model::Action;
use corral_store::AuditFilter;

use crate::console::csrf::SignedForm;
use crate::console::form::FormFields;
use crate::console::page::{Chrome, ConsoleResult, Section, render};
use crate::console::pager::{href, thousands};
use crate::console::session::ConsoleUser;
use crate::console::time_text::date_time;
use crate::routes::audit::verify_log;
use crate::state::AppState;

/// Entries per page.
const PER_PAGE: u32 = 50;
/// Longest data summary shown in the table.
const DATA_CHARS: usize = 160;

pub struct EntryRow {
    pub seq: u64,
    pub at: String,
    pub actor: String,
    pub actor_href: String,
    pub action: String,
    pub action_href: String,
    pub subject: Option<(String, String)>,
    pub data: String,
}

pub struct Verification {
    pub ok: bool,
    pub message: String,
    pub size: String,
    pub root: String,
}

#[derive(Template)]
#[template(path = "audit.html")]
struct AuditPage {
    chrome: Chrome,
    actor: String,
    action: String,
    subject: String,
    entries: Vec<EntryRow>,
    size: String,
    next: Option<String>,
    filtered: bool,
    can_verify: bool,
    verification: Option<Verification>,
}

fn summary(data: &serde_json::Value) -> String {
    let text = match data {
        serde_json::Value::Object(map) if map.is_empty() => String::new(),
        other => other.to_string(),
    };
    if text.chars().count() > DATA_CHARS {
        format!("{}…", text.chars().take(DATA_CHARS).collect::<String>())
    } else {
        text
    }
}

async fn audit_page(
    state: &AppState,
    user: &ConsoleUser,
    params: &FormFields,
    verification: Option<AuditVerification>,
) -> Result<AuditPage, crate::error::ApiError> {
    let filter = AuditFilter {
        actor: params.text("actor"),
        action: params.text("action"),
        subject: params.text("subject"),
        before: params.value("before").parse().ok(),
    };
    let records = state
        .store
        .audit_records_filtered(&filter, PER_PAGE)
        .await?;
    let keep = |extra: Option<(&'static str, String)>| {
        let mut params = vec![
            ("actor", filter.actor.clone().unwrap_or_default()),
            ("action", filter.action.clone().unwrap_or_default()),
            ("subject", filter.subject.clone().unwrap_or_default()),
        ];
        params.extend(extra);
        params
    };
    let next = (records.len() == PER_PAGE as usize)
        .then(|| records.last().map(|r| r.event.seq))
        .flatten()
        .map(|seq| href("/audit", &keep(Some(("before", seq.to_string())))));
    let entries = records
        .into_iter()
        .map(|r| {
            let e = r.event;
            EntryRow {
                seq: e.seq,
                at: date_time(e.at),
                actor_href: href("/audit", &[("actor", e.actor.clone())]),
                action_href: href("/audit", &[("action", e.action.clone())]),
                subject: e
                    .subject
                    .clone()
                    .map(|s| (href("/audit", &[("subject", s.clone())]), s)),
                actor: e.actor,
                action: e.action,
                data: summary(&e.data),
            }
        })
        .collect();
    Ok(AuditPage {
        chrome: Chrome::new(user, Section::Audit, "Audit log"),
        filtered: filter.actor.is_some() || filter.action.is_some() || filter.subject.is_some(),
        actor: filter.actor.unwrap_or_default(),
        action: filter.action.unwrap_or_default(),
        subject: filter.subject.unwrap_or_default(),
        entries,
        size: thousands(state.store.audit_len().await?),
        next,
        can_verify: user.actor.can(Action::VerifyAudit),
        verification: verification.map(|v| Verification {
            ok: v.ok,
            message: v.message,
            size: thousands(v.size),
            root: v.root,
        }),
    })
}

/// `GET /audit`.
pub async fn show(
    State(state): State<AppState>,
    user: ConsoleUser,
    RawQuery(query): RawQuery,
) -> ConsoleResult {
    user.actor.require(Action::ViewAudit)?;
    let params = FormFields::parse(query.unwrap_or_default().as_bytes());
    let page = audit_page(&state, &user, &params, None).await?;
    Ok(render(StatusCode::OK, &page))
}

/// `POST /audit/verify`: verifies the whole log and shows the result above the log.
pub async fn verify(State(state): State<AppState>, form: SignedForm) -> ConsoleResult {
    let SignedForm { user, .. } = form;
    user.actor.require(Action::VerifyAudit)?;
    let verification = verify_log(&state).await?;
    let page = audit_page(&state, &user, &FormFields::default(), Some(verification)).await?;
    Ok(render(StatusCode::OK, &page))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn data_is_summarised_on_one_line_and_cut_when_long() {
        assert_eq!(summary(&json!({})), "");
        assert_eq!(summary(&json!({"name": "x"})), r#"{"name":"x"}"#);
        let long = summary(&json!({"text": "a".repeat(400)}));
        assert!(long.ends_with('…'));
        assert_eq!(long.chars().count(), DATA_CHARS + 1);
    }
}
