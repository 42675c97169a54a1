//! `/gate/requests`: what the package gate held back and someone wanted, and the answers.
//!
//! Everyone sees *their own* requests and where each stands (pending since when, or approved
//! or denied by whom and why), so a developer whose `pip install` failed can follow it
//! without asking. Security reviewers (and admins) work the queue: every request with what
//! was asked for, who asked, the rule that held it back and when, and a form to approve or
//! deny it with a comment. Auditors read the queue and change nothing. A decision goes
//! through `gate_requests::decide_request`, the function `corral gate approve|deny` calls:
//! the same validation, the same stored answer and the same audit entry.

use askama::Template;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use chrono::Utc;
use corral_model::Action;
use corral_store::{GateRequest, GateRequestStatus};
use uuid::Uuid;

use crate::console::badges::Badge;
use crate::console::csrf::SignedForm;
use crate::console::form::FormFields;
use crate::console::page::{Chrome, ConsoleError, ConsoleResult, Section, render, see_other};
use crate::console::pager::Pager;
use crate::console::session::ConsoleUser;
use crate::console::time_text::{date_time, relative};
use crate::error::ApiError;
use crate::gate_requests::{decide_request, requested_by_person};
use crate::state::AppState;

/// Requests per page of the queue.
const PER_PAGE: u32 = 50;

/// One request as a row of the queue or of "your requests".
pub struct RequestRow {
    pub id: String,
    /// `NAME` or `NAME==VERSION`.
    pub package: String,
    pub whole_project: bool,
    pub status: Badge,
    pub pending: bool,
    pub rule: String,
    pub reason: String,
    /// The user the client named, else its address, else the recorded text.
    pub asker: String,
    /// Everything the gate recorded about the client.
    pub client: String,
    pub asked_at: String,
    pub asked_ago: String,
    pub decided: Option<String>,
    pub comment: Option<String>,
    pub error: Option<String>,
    pub typed_comment: String,
}

/// Which part of the queue a reviewer is looking at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    Pending,
    Approved,
    Denied,
    All,
}

impl Tab {
    fn parse(text: &str) -> Self {
        match text {
            "approved" => Tab::Approved,
            "denied" => Tab::Denied,
            "all" => Tab::All,
            _ => Tab::Pending,
        }
    }

    fn status(self) -> Option<GateRequestStatus> {
        match self {
            Tab::Pending => Some(GateRequestStatus::Pending),
            Tab::Approved => Some(GateRequestStatus::Approved),
            Tab::Denied => Some(GateRequestStatus::Denied),
            Tab::All => None,
        }
    }

    fn param(self) -> &'static str {
        match self {
            Tab::Pending => "",
            Tab::Approved => "approved",
            Tab::Denied => "denied",
            Tab::All => "all",
        }
    }
}

pub struct TabLink {
    pub label: &'static str,
    pub href: String,
    pub id: &'static str,
    pub active: bool,
    pub count: usize,
}

#[derive(Template)]
#[template(path = "gate_requests.html")]
struct GateRequestsPage {
    chrome: Chrome,
    mine: Vec<RequestRow>,
    /// The queue, for those who may read it.
    queue: Option<Vec<RequestRow>>,
    tabs: Vec<TabLink>,
    tab_label: &'static str,
    pager: Pager,
    can_decide: bool,
    can_see_decisions: bool,
    notice: Option<String>,
}

fn status_badge(status: GateRequestStatus) -> Badge {
    let class = match status {
        GateRequestStatus::Pending => "badge approval-pending-review",
        GateRequestStatus::Approved => "badge approval-approved",
        GateRequestStatus::Denied => "badge approval-rejected",
    };
    Badge {
        label: status.as_str().to_string(),
        class: class.to_string(),
    }
}

/// `NAME` or `NAME==VERSION`, as `corral gate approve` takes it.
fn package_of(r: &GateRequest) -> String {
    if r.version.is_empty() {
        r.project.clone()
    } else {
        format!("{}=={}", r.project, r.version)
    }
}

/// The short name for who asked: the client's user, else its address.
fn asker_of(requested_by: &str) -> String {
    let field = |key: &str| {
        requested_by
            .split_whitespace()
            .find_map(|p| p.strip_prefix(key))
            .map(str::to_string)
    };
    field("user=")
        .or_else(|| field("addr="))
        .unwrap_or_else(|| requested_by.to_string())
}

fn row_of(r: &GateRequest, failed: Option<&(Uuid, String, String)>) -> RequestRow {
    let now = Utc::now();
    let (error, typed_comment) = match failed {
        Some((id, error, comment)) if *id == r.id => (Some(error.clone()), comment.clone()),
        _ => (None, String::new()),
    };
    RequestRow {
        id: r.id.to_string(),
        package: package_of(r),
        whole_project: r.version.is_empty(),
        status: status_badge(r.status),
        pending: r.status == GateRequestStatus::Pending,
        rule: r.rule.clone(),
        reason: r.reason.clone(),
        asker: asker_of(&r.requested_by),
        client: r.requested_by.clone(),
        asked_at: date_time(r.requested_at),
        asked_ago: relative(r.requested_at, now),
        decided: match (&r.decided_by, r.decided_at) {
            (Some(by), Some(at)) => Some(format!(
                "{} by {by} on {}",
                r.status.as_str(),
                date_time(at)
            )),
            _ => None,
        },
        comment: r.comment.clone(),
        error,
        typed_comment,
    }
}

fn may_read_queue(user: &ConsoleUser) -> bool {
    user.actor.can(Action::SecurityReview) || user.actor.can(Action::ViewAudit)
}

async fn requests_page(
    state: &AppState,
    user: &ConsoleUser,
    tab: Tab,
    page: u32,
    notice: Option<String>,
    failed: Option<(Uuid, String, String)>,
) -> Result<GateRequestsPage, ApiError> {
    let all = state.store.gate_requests(None).await?;
    // Newest first for the requester: the one they just hit is on top.
    let mine: Vec<RequestRow> = all
        .iter()
        .rev()
        .filter(|r| requested_by_person(&r.requested_by, &user.actor.email))
        .map(|r| row_of(r, failed.as_ref()))
        .collect();
    let count = |s: Option<GateRequestStatus>| {
        all.iter()
            .filter(|r| s.is_none_or(|s| r.status == s))
            .count()
    };
    let tabs = [
        (Tab::Pending, "Pending", "gate-requests-pending"),
        (Tab::Approved, "Approved", "gate-requests-approved"),
        (Tab::Denied, "Denied", "gate-requests-denied"),
        (Tab::All, "All", "gate-requests-all"),
    ]
    .into_iter()
    .map(|(t, label, id)| TabLink {
        label,
        href: crate::console::pager::href("/gate/requests", &[("status", t.param().into())]),
        id,
        active: t == tab,
        count: count(t.status()),
    })
    .collect();
    let reader = may_read_queue(user);
    // Pending requests wait oldest first (the longest waiting is answered first); decided
    // ones read newest first.
    let mut selected: Vec<&GateRequest> = all
        .iter()
        .filter(|r| tab.status().is_none_or(|s| r.status == s))
        .collect();
    if tab != Tab::Pending {
        selected.sort_by(|a, b| {
            let at = |r: &GateRequest| r.decided_at.unwrap_or(r.requested_at);
            at(b).cmp(&at(a))
        });
    }
    let pager = Pager::new(
        "/gate/requests",
        &[("status", tab.param().into())],
        page,
        PER_PAGE,
        selected.len() as u64,
    );
    let queue = reader.then(|| {
        selected
            .iter()
            .skip((page as usize - 1) * PER_PAGE as usize)
            .take(PER_PAGE as usize)
            .map(|r| row_of(r, failed.as_ref()))
            .collect()
    });
    Ok(GateRequestsPage {
        chrome: Chrome::new(user, Section::Gate, "Package requests"),
        mine,
        queue,
        tabs,
        tab_label: match tab {
            Tab::Pending => "pending",
            Tab::Approved => "approved",
            Tab::Denied => "denied",
            Tab::All => "",
        },
        pager,
        can_decide: user.actor.can(Action::SecurityReview),
        can_see_decisions: user.actor.can(Action::ViewAudit),
        notice,
    })
}

/// `GET /gate/requests` (`?status=approved|denied|all`, `?page=N`, `?decided=ID` after a
/// decision).
pub async fn show(
    State(state): State<AppState>,
    user: ConsoleUser,
    RawQuery(query): RawQuery,
) -> ConsoleResult {
    user.actor.require(Action::ViewAssets)?;
    let params = FormFields::parse(query.unwrap_or_default().as_bytes());
    let notice = match params
        .text("decided")
        .and_then(|id| Uuid::parse_str(&id).ok())
    {
        Some(id) => state.store.gate_request(id).await?.map(|r| {
            let what = package_of(&r);
            match r.status {
                GateRequestStatus::Approved => format!(
                    "Approved {what}: the gate lets it through from the next request on, unless a \
                     known-malware record names it."
                ),
                GateRequestStatus::Denied => {
                    format!("Denied {what}: the gate keeps holding it back.")
                }
                GateRequestStatus::Pending => format!("{what} is still pending."),
            }
        }),
        None => None,
    };
    let tab = Tab::parse(&params.value("status"));
    let page = params.page();
    let page = requests_page(&state, &user, tab, page, notice, None).await?;
    Ok(render(StatusCode::OK, &page))
}

/// `POST /gate/requests/{id}/decide`: `action` is `approve` or `deny`, with a `comment`.
pub async fn decide(
    State(state): State<AppState>,
    Path(id): Path<String>,
    form: SignedForm,
) -> ConsoleResult {
    let SignedForm { user, fields } = form;
    user.actor.require(Action::SecurityReview)?;
    let request = match Uuid::parse_str(&id) {
        Ok(uuid) => state.store.gate_request(uuid).await?,
        Err(_) => None,
    }
    .ok_or_else(|| ConsoleError::not_found(format!("there is no package request `{id}`")))?;
    let comment = fields.raw("comment").to_string();
    let status = match fields.value("action").as_str() {
        "approve" => Some(GateRequestStatus::Approved),
        "deny" => Some(GateRequestStatus::Denied),
        _ => None,
    };
    let result = match status {
        Some(status) => decide_request(
            &state.store,
            &user.actor.email,
            &package_of(&request),
            status,
            Some(&comment),
        )
        .await
        .map(|_| ()),
        None => Err(ApiError::field("action", "choose approve or deny")),
    };
    match result {
        Ok(()) => Ok(see_other(&format!("/gate/requests?decided={}", request.id))),
        Err(err) if err.status.is_server_error() => Err(err.into()),
        Err(err) => {
            let message = match err.detail.fields.first() {
                Some(f) => format!("{}: {}", f.field, f.rule),
                None => err.detail.message.clone(),
            };
            let tab = match request.status {
                GateRequestStatus::Pending => Tab::Pending,
                _ => Tab::All,
            };
            let page = requests_page(
                &state,
                &user,
                tab,
                1,
                None,
                Some((request.id, message, comment)),
            )
            .await?;
            Ok(render(err.status, &page))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_asker_is_the_named_user_else_the_address() {
        assert_eq!(asker_of("user=ana addr=10.0.0.7 agent=pip/24.2"), "ana");
        assert_eq!(asker_of("addr=10.0.0.7 agent=uv/0.5"), "10.0.0.7");
        assert_eq!(asker_of("sec@example.com"), "sec@example.com");
    }
}
