//! `/reviews`: the queue security reviewers and business approvers work from.
//!
//! Every open review, the soonest due first, with its SLA clock, the asset's tiers, the
//! sign-offs it needs and those already given (the dual sign-off progress of a critical
//! asset). A reviewer approves, requests changes or rejects with a comment, through
//! `routes::reviews::act_on_review`, the function the API calls: the same rules (a comment is
//! required, nobody reviews their own asset, two different people for two sign-offs), the
//! same decision record, audit entry and notification. A refused action comes back on the
//! queue, next to its review, with the comment kept.

use askama::Template;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use chrono::Utc;
use corral_client::wire::{ReviewActionRequest, ReviewFilter};
use corral_model::review::{ReviewAction, SignoffRole};
use corral_model::{Action, Asset};
use uuid::Uuid;

use crate::console::badges::{self, Badge};
use crate::console::csrf::SignedForm;
use crate::console::form::FormFields;
use crate::console::page::{Chrome, ConsoleResult, Section, render, see_other};
use crate::console::pager::Pager;
use crate::console::session::ConsoleUser;
use crate::console::time_text::{Clock, date_time, sla_clock};
use crate::routes::reviews::{act_on_review, review_page};
use crate::state::AppState;

pub struct Slot {
    pub role: &'static str,
    pub by: Option<String>,
}

pub struct ReviewCard {
    pub id: String,
    pub asset: String,
    pub asset_href: String,
    pub creator: String,
    pub reason: String,
    pub due: String,
    pub clock: Clock,
    pub tier: Option<Badge>,
    pub risk: Option<Badge>,
    pub slots: Vec<Slot>,
    pub progress: String,
    pub dual: bool,
    /// The signed-in person may act on it (role fits, not their own asset).
    pub can_act: bool,
    /// Why they may not, when they may not.
    pub why_not: Option<String>,
    pub error: Option<String>,
    pub comment: String,
}

/// Reviews per page.
const PER_PAGE: u32 = 25;

#[derive(Template)]
#[template(path = "reviews.html")]
struct ReviewsPage {
    chrome: Chrome,
    cards: Vec<ReviewCard>,
    overdue_only: bool,
    open: u64,
    overdue: u64,
    pager: Pager,
    notice: Option<String>,
    is_reviewer: bool,
}

fn is_reviewer(user: &ConsoleUser) -> bool {
    user.actor.can(Action::SecurityReview) || user.actor.can(Action::BusinessSignoff)
}

/// Builds the queue page; `failed` puts an error and the typed comment on one review.
async fn queue_page(
    state: &AppState,
    user: &ConsoleUser,
    overdue_only: bool,
    page: u32,
    notice: Option<String>,
    failed: Option<(Uuid, String, String)>,
) -> Result<ReviewsPage, crate::error::ApiError> {
    let now = Utc::now();
    let filter = if overdue_only {
        ReviewFilter::Overdue
    } else {
        ReviewFilter::Open
    };
    let reviewer = is_reviewer(user);
    let (open, overdue) = state.store.review_counts(now).await?;
    let offset = u64::from(page - 1) * u64::from(PER_PAGE);
    let queue = review_page(state, filter, now, PER_PAGE, offset).await?;
    let state_param = if overdue_only { "overdue" } else { "" };
    let pager = Pager::new(
        "/reviews",
        &[("state", state_param.to_string())],
        page,
        PER_PAGE,
        if overdue_only { overdue } else { open },
    );
    let cards = queue
        .into_iter()
        .map(|(view, asset)| {
            let review = &view.review;
            let creator = asset
                .as_ref()
                .map(|a: &Asset| a.creator_email.clone())
                .unwrap_or_default();
            let own = creator.eq_ignore_ascii_case(&user.actor.email);
            let fits = review
                .missing()
                .iter()
                .any(|role| user.actor.can(role.action()));
            let why_not = if !reviewer {
                None
            } else if own {
                Some("You created this asset: someone else must review it.".to_string())
            } else if !fits {
                Some(format!(
                    "Waiting for a {} sign-off, which your role does not give.",
                    review
                        .missing()
                        .iter()
                        .map(|r| r.as_str())
                        .collect::<Vec<_>>()
                        .join(" and ")
                ))
            } else {
                None
            };
            let (error, comment) = match &failed {
                Some((id, error, comment)) if *id == review.id => {
                    (Some(error.clone()), comment.clone())
                }
                _ => (None, String::new()),
            };
            ReviewCard {
                id: review.id.to_string(),
                asset_href: format!("/assets/{}", review.asset_id),
                asset: view.asset_name.clone(),
                creator,
                reason: review.reason.clone(),
                due: date_time(review.due_at),
                clock: sla_clock(review.due_at, now),
                tier: asset.as_ref().map(|a| badges::data_tier(a.data_tier)),
                risk: asset.as_ref().map(|a| badges::risk(a.risk_tier())),
                slots: review
                    .required
                    .iter()
                    .map(|role| Slot {
                        role: match role {
                            SignoffRole::Business => "business",
                            SignoffRole::Security => "security",
                        },
                        by: review
                            .signoffs
                            .iter()
                            .find(|s| s.role == *role)
                            .map(|s| s.by.clone()),
                    })
                    .collect(),
                progress: format!(
                    "{} of {} sign-offs",
                    review.required.len() - view.missing.len(),
                    review.required.len()
                ),
                dual: review.required.len() > 1,
                can_act: reviewer && why_not.is_none(),
                why_not,
                error,
                comment,
            }
        })
        .collect();
    Ok(ReviewsPage {
        chrome: Chrome::new(user, Section::Reviews, "Reviews"),
        cards,
        overdue_only,
        open,
        overdue,
        pager,
        notice,
        is_reviewer: reviewer,
    })
}

/// `GET /reviews` (`?state=overdue` for the overdue ones; `?acted=ID` after an action).
pub async fn show(
    State(state): State<AppState>,
    user: ConsoleUser,
    RawQuery(query): RawQuery,
) -> ConsoleResult {
    user.actor.require(Action::ViewAssets)?;
    let params = FormFields::parse(query.unwrap_or_default().as_bytes());
    let notice = match params
        .text("acted")
        .and_then(|id| Uuid::parse_str(&id).ok())
    {
        Some(id) => match state.store.review(id).await? {
            Some(review) => {
                let name = state
                    .store
                    .asset(review.asset_id)
                    .await?
                    .map_or_else(|| review.asset_id.to_string(), |a| a.name);
                Some(match &review.outcome {
                    Some(outcome) => format!(
                        "Recorded. The review of {name} is closed: {}.",
                        badges::approval(outcome.state).label
                    ),
                    None => format!(
                        "Recorded. {name} still needs a {} sign-off from someone else.",
                        review
                            .missing()
                            .iter()
                            .map(|r| r.as_str())
                            .collect::<Vec<_>>()
                            .join(" and ")
                    ),
                })
            }
            None => None,
        },
        None => None,
    };
    let overdue_only = params.value("state") == "overdue";
    let page = params.page();
    let page = queue_page(&state, &user, overdue_only, page, notice, None).await?;
    Ok(render(StatusCode::OK, &page))
}

/// `POST /reviews/{review}/act`: `action` is `approve`, `request-changes` or `reject`, with
/// a `comment`.
pub async fn act(
    State(state): State<AppState>,
    Path(id): Path<String>,
    form: SignedForm,
) -> ConsoleResult {
    let SignedForm { user, fields } = form;
    let review_id = Uuid::parse_str(&id).ok();
    let comment = fields.raw("comment").to_string();
    let action = match fields.value("action").as_str() {
        "approve" => Some(ReviewAction::Approve),
        "request-changes" => Some(ReviewAction::RequestChanges),
        "reject" => Some(ReviewAction::Reject),
        _ => None,
    };
    let result = match action {
        Some(action) => act_on_review(
            &state,
            &user.actor,
            &id,
            ReviewActionRequest {
                action,
                comment: comment.clone(),
            },
        )
        .await
        .map(|_| ()),
        None => Err(crate::error::ApiError::field(
            "action",
            "choose approve, request changes or reject",
        )),
    };
    match result {
        Ok(()) => Ok(see_other(&format!("/reviews?acted={id}"))),
        Err(err) if err.status.is_server_error() || err.status == StatusCode::NOT_FOUND => {
            Err(err.into())
        }
        Err(err) => {
            let Some(review_id) = review_id else {
                return Err(err.into());
            };
            let message = match &err.detail.help {
                Some(help) => format!("{} ({help})", err.detail.message),
                None => err.detail.message.clone(),
            };
            let page = queue_page(
                &state,
                &user,
                false,
                1,
                None,
                Some((review_id, message, comment)),
            )
            .await?;
            Ok(render(err.status, &page))
        }
    }
}
