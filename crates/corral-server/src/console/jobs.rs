//! `/jobs`: every scheduled job with its health, and every heartbeat check with its state.
//!
//! Jobs are listed by name, 50 to a page, each with its asset, its schedule, the state of
//! its newest run, its success rate over its recent runs and its next slot (see
//! [`job_health`](crate::console::job_health)). A page costs three queries however many jobs
//! and runs there are: the page of jobs, their newest runs in one window query, and their
//! assets' names.
//!
//! Heartbeat checks watch jobs that still run elsewhere; each is shown in its state at the
//! moment the page renders (new, up, late, down), with what it expects and its last ping.
//! A check's id is the secret part of its ping address, so the page does not show it on
//! screen: whoever set the check up has it from creating it.

use askama::Template;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use chrono::Utc;
use corral_model::Action;
use corral_runner::records::{Job, PingKind};

use crate::console::badges::Badge;
use crate::console::form::FormFields;
use crate::console::job_health::{
    JobHealth, RECENT_RUNS, check_now, check_schedule_text, check_state, job_health,
};
use crate::console::page::{Chrome, ConsoleResult, Section, render};
use crate::console::pager::{Pager, thousands};
use crate::console::session::ConsoleUser;
use crate::console::time_text::relative;
use crate::state::AppState;

/// Jobs per page.
pub const PER_PAGE: u32 = 50;

/// One job in the list.
pub struct JobRow {
    pub name: String,
    pub href: String,
    pub asset: Option<(String, String)>,
    pub schedule: String,
    pub health: JobHealth,
}

/// One heartbeat check.
pub struct CheckRow {
    pub name: String,
    pub state: Badge,
    pub since: String,
    pub expects: String,
    pub last_ping: String,
}

/// A job's schedule in words: `0 7 * * 1-5 (Europe/Berlin)` or `manual only`.
pub fn schedule_text(job: &Job) -> String {
    match &job.schedule {
        Some(s) => format!("{} ({})", s.cron, s.timezone),
        None => "manual only".into(),
    }
}

fn ping_word(kind: PingKind) -> String {
    match kind {
        PingKind::Success => "success".into(),
        PingKind::Start => "start".into(),
        PingKind::Fail => "failure".into(),
        PingKind::ExitCode(0) => "exit 0".into(),
        PingKind::ExitCode(code) => format!("exit {code}"),
    }
}

#[derive(Template)]
#[template(path = "jobs.html")]
struct JobsPage {
    chrome: Chrome,
    total: String,
    rows: Vec<JobRow>,
    pager: Pager,
    checks: Vec<CheckRow>,
}

/// `GET /jobs`.
pub async fn show(
    State(state): State<AppState>,
    user: ConsoleUser,
    RawQuery(query): RawQuery,
) -> ConsoleResult {
    user.actor.require(Action::ViewAssets)?;
    let params = FormFields::parse(query.unwrap_or_default().as_bytes());
    let page = params.page();
    let now = Utc::now();
    let total = state.store.count_jobs().await?;
    let jobs = state
        .store
        .jobs_page(PER_PAGE, u64::from(page - 1) * u64::from(PER_PAGE))
        .await?;
    let ids: Vec<_> = jobs.iter().map(|j| j.id).collect();
    let mut runs = state.store.latest_runs_of_jobs(&ids, RECENT_RUNS).await?;
    let mut asset_ids: Vec<_> = jobs.iter().filter_map(|j| j.asset_id).collect();
    asset_ids.sort();
    asset_ids.dedup();
    let names = state.store.asset_names(&asset_ids).await?;
    let rows = jobs
        .iter()
        .map(|job| {
            let recent = runs.remove(&job.id).unwrap_or_default();
            JobRow {
                name: job.name.clone(),
                href: format!("/jobs/{}", job.id),
                asset: job.asset_id.and_then(|id| {
                    names
                        .get(&id)
                        .map(|name| (name.clone(), format!("/assets/{id}")))
                }),
                schedule: schedule_text(job),
                health: job_health(job, &recent, now),
            }
        })
        .collect();
    let checks = state
        .store
        .heartbeat_checks()
        .await?
        .iter()
        .map(|stored| {
            let check = check_now(stored, now);
            CheckRow {
                name: check.name.clone(),
                state: check_state(check.state),
                since: check
                    .state_since
                    .map(|at| relative(at, now))
                    .unwrap_or_default(),
                expects: check_schedule_text(&check.schedule),
                last_ping: match &check.last_ping {
                    Some(p) => format!("{} {}", ping_word(p.kind), relative(p.at, now)),
                    None => "never".into(),
                },
            }
        })
        .collect();
    Ok(render(
        StatusCode::OK,
        &JobsPage {
            chrome: Chrome::new(&user, Section::Jobs, "Jobs"),
            total: thousands(total),
            rows,
            pager: Pager::new("/jobs", &[], page, PER_PAGE, total),
            checks,
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pings_and_schedules_read_as_words() {
        assert_eq!(ping_word(PingKind::ExitCode(3)), "exit 3");
        assert_eq!(ping_word(PingKind::Fail), "failure");
        let job: Job = serde_json::from_value(serde_json::json!({
            "name": "sync",
            "command": "true",
            "schedule": {"cron": "0 7 * * 1-5", "timezone": "Europe/Berlin"},
        }))
        .unwrap();
        assert_eq!(schedule_text(&job), "0 7 * * 1-5 (Europe/Berlin)");
    }
}
