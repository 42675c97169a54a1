//! `/people`: who owns what, and handing it over when someone leaves.
//!
//! The list shows every owner with how much they own, how much waits for review, how much
//! is critical and how much has no backup owner (the assets that would be orphaned if they
//! left tomorrow), counted by the database. A person's page lists what they own, back up
//! and created. The off-boarding flow has three steps: pick the leaver and the successor,
//! preview exactly what will change and what will need attention, confirm. Preview and
//! confirmation both come from `routes::people` (`offboard_preview`, `offboard_person`),
//! which the API's off-boarding uses too, so what the preview shows is what is applied.

use askama::Template;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use corral_client::wire::OffboardRequest;
use corral_model::Action;
use corral_model::handover::{HandoverPlan, OwnershipField};

use crate::console::asset_list::AssetRow;
use crate::console::badges::{self, Badge};
use crate::console::csrf::SignedForm;
use crate::console::form::{FieldErrors, FormFields};
use crate::console::page::{Chrome, ConsoleResult, Section, render};
use crate::console::pager::{Pager, href, thousands};
use crate::console::session::ConsoleUser;
use crate::console::time_text::date_time;
use crate::routes::people::{involving, offboard_person, offboard_preview as preview_plan};
use crate::state::AppState;

/// Owners per page.
const PER_PAGE: u32 = 50;

pub struct OwnerRow {
    pub email: String,
    pub href: String,
    pub owned: u64,
    pub pending: u64,
    pub critical: u64,
    pub without_backup: u64,
}

pub struct DepartedRow {
    pub email: String,
    pub href: String,
    pub left: String,
    pub successor: String,
}

#[derive(Template)]
#[template(path = "people.html")]
struct PeoplePage {
    chrome: Chrome,
    q: String,
    owners: Vec<OwnerRow>,
    total: String,
    pager: Pager,
    departed: Vec<DepartedRow>,
    can_offboard: bool,
}

/// `GET /people`.
pub async fn list(
    State(state): State<AppState>,
    user: ConsoleUser,
    RawQuery(query): RawQuery,
) -> ConsoleResult {
    user.actor.require(Action::ViewAssets)?;
    let params = FormFields::parse(query.unwrap_or_default().as_bytes());
    let q = params.value("q");
    let page = params.page();
    let found = state
        .store
        .owners(
            Some(q.as_str()).filter(|q| !q.is_empty()),
            PER_PAGE,
            u64::from(page - 1) * u64::from(PER_PAGE),
        )
        .await?;
    let departed = state
        .store
        .people()
        .await?
        .into_iter()
        .filter_map(|p| {
            p.departed_at.map(|at| DepartedRow {
                href: format!("/people/{}", p.email),
                left: date_time(at),
                successor: p.successor_email.clone().unwrap_or_default(),
                email: p.email.clone(),
            })
        })
        .collect();
    Ok(render(
        StatusCode::OK,
        &PeoplePage {
            chrome: Chrome::new(&user, Section::People, "People"),
            owners: found
                .items
                .into_iter()
                .map(|o| OwnerRow {
                    href: format!("/people/{}", o.email),
                    email: o.email,
                    owned: o.owned,
                    pending: o.pending,
                    critical: o.critical,
                    without_backup: o.without_backup,
                })
                .collect(),
            total: thousands(found.total),
            pager: Pager::new("/people", &[("q", q.clone())], page, PER_PAGE, found.total),
            q,
            departed,
            can_offboard: user.actor.can(Action::ManagePeople),
        },
    ))
}

#[derive(Template)]
#[template(path = "person.html")]
struct PersonPage {
    chrome: Chrome,
    email: String,
    roles: Vec<Badge>,
    departed: Option<String>,
    owns: Vec<AssetRow>,
    backs_up: Vec<AssetRow>,
    created: Vec<AssetRow>,
    offboard_href: Option<String>,
}

/// `GET /people/{email}`.
pub async fn show(
    State(state): State<AppState>,
    user: ConsoleUser,
    Path(email): Path<String>,
) -> ConsoleResult {
    user.actor.require(Action::ViewAssets)?;
    let assets = involving(&state, &email).await?;
    let person = state.store.person(&email).await?;
    let is = |a: &str| a.eq_ignore_ascii_case(&email);
    let rows = |keep: &dyn Fn(&corral_model::Asset) -> bool| {
        assets
            .iter()
            .filter(|a| keep(a))
            .map(AssetRow::of)
            .collect::<Vec<_>>()
    };
    let departed = person.as_ref().and_then(|p| {
        p.departed_at.map(|at| match &p.successor_email {
            Some(s) => format!("Left on {}; their assets went to {s}.", date_time(at)),
            None => format!("Left on {}.", date_time(at)),
        })
    });
    Ok(render(
        StatusCode::OK,
        &PersonPage {
            chrome: Chrome::new(&user, Section::People, email.clone()),
            roles: person
                .as_ref()
                .map(|p| p.roles.iter().map(|r| badges::role(*r)).collect())
                .unwrap_or_default(),
            owns: rows(&|a| is(&a.owner_email)),
            backs_up: rows(&|a| a.backup_owner_email.as_deref().is_some_and(is)),
            created: rows(&|a| is(&a.creator_email)),
            offboard_href: (user.actor.can(Action::ManagePeople) && departed.is_none())
                .then(|| href("/people/offboard", &[("person", email.clone())])),
            departed,
            email,
        },
    ))
}

pub struct ChangeRow {
    pub asset: String,
    pub href: String,
    pub field: &'static str,
    pub from: String,
    pub to: String,
}

pub struct AttentionRow {
    pub asset: String,
    pub href: String,
    pub reason: String,
}

fn change_rows(plan: &HandoverPlan) -> (Vec<ChangeRow>, Vec<AttentionRow>) {
    (
        plan.changes
            .iter()
            .map(|c| ChangeRow {
                asset: c.asset_name.clone(),
                href: format!("/assets/{}", c.asset_id),
                field: match c.field {
                    OwnershipField::Owner => "owner",
                    OwnershipField::BackupOwner => "backup owner",
                },
                from: c.from.clone(),
                to: c.to.clone().unwrap_or_else(|| "nobody".into()),
            })
            .collect(),
        plan.attention
            .iter()
            .map(|a| AttentionRow {
                asset: a.asset_name.clone(),
                href: format!("/assets/{}", a.asset_id),
                reason: a.reason.clone(),
            })
            .collect(),
    )
}

/// The off-boarding page in one of its steps.
#[derive(Template)]
#[template(path = "offboard.html")]
struct OffboardPage {
    chrome: Chrome,
    /// `choose`, `preview` or `done`.
    step: &'static str,
    person: String,
    successor: String,
    errors: FieldErrors,
    changes: Vec<ChangeRow>,
    attention: Vec<AttentionRow>,
    assets: usize,
}

fn offboard_page(
    user: &ConsoleUser,
    step: &'static str,
    request: &OffboardRequest,
    errors: FieldErrors,
    plan: &HandoverPlan,
) -> OffboardPage {
    let (changes, attention) = change_rows(plan);
    let assets = plan
        .changes
        .iter()
        .map(|c| c.asset_id)
        .collect::<std::collections::BTreeSet<_>>()
        .len();
    OffboardPage {
        chrome: Chrome::new(user, Section::People, "Off-board a person"),
        step,
        person: request.person.clone(),
        successor: request.successor.clone(),
        errors,
        changes,
        attention,
        assets,
    }
}

/// `GET /people/offboard`: the choice, or with `person` and `successor` the preview.
pub async fn offboard_preview(
    State(state): State<AppState>,
    user: ConsoleUser,
    RawQuery(query): RawQuery,
) -> ConsoleResult {
    user.actor.require(Action::ManagePeople)?;
    let params = FormFields::parse(query.unwrap_or_default().as_bytes());
    let request = OffboardRequest {
        person: params.value("person"),
        successor: params.value("successor"),
    };
    if request.successor.is_empty() {
        return Ok(render(
            StatusCode::OK,
            &offboard_page(
                &user,
                "choose",
                &request,
                FieldErrors::default(),
                &HandoverPlan::default(),
            ),
        ));
    }
    match offboard_preview_plan(&state, &user, &request).await {
        Ok(plan) => Ok(render(
            StatusCode::OK,
            &offboard_page(&user, "preview", &request, FieldErrors::default(), &plan),
        )),
        Err(errors) => Ok(render(
            StatusCode::UNPROCESSABLE_ENTITY,
            &offboard_page(&user, "choose", &request, errors, &HandoverPlan::default()),
        )),
    }
}

async fn offboard_preview_plan(
    state: &AppState,
    user: &ConsoleUser,
    request: &OffboardRequest,
) -> Result<HandoverPlan, FieldErrors> {
    preview_plan(state, &user.actor, request)
        .await
        .map_err(|e| FieldErrors::from_api(&e, str::to_string))
}

/// `POST /people/offboard`: applies the hand-over previewed.
pub async fn offboard_confirm(State(state): State<AppState>, form: SignedForm) -> ConsoleResult {
    let SignedForm { user, fields } = form;
    let request = OffboardRequest {
        person: fields.value("person"),
        successor: fields.value("successor"),
    };
    match offboard_person(&state, &user.actor, request.clone()).await {
        Ok(outcome) => Ok(render(
            StatusCode::OK,
            &offboard_page(
                &user,
                "done",
                &request,
                FieldErrors::default(),
                &outcome.plan,
            ),
        )),
        Err(err) if err.status == StatusCode::UNPROCESSABLE_ENTITY => Ok(render(
            err.status,
            &offboard_page(
                &user,
                "choose",
                &request,
                FieldErrors::from_api(&err, str::to_string),
                &HandoverPlan::default(),
            ),
        )),
        Err(err) => Err(err.into()),
    }
}
