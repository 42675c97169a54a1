//! `/jobs/{job}`: one job — its definition, its health, its run history — and "Run now".
//!
//! The definition is shown as stored, except that environment variables and secrets are
//! listed by name only: a job's secrets are never readable anywhere, and a plain variable
//! may still hold something its author should have made a secret. The run history is paged,
//! newest first, each run linking to its log.
//!
//! "Run now" is a form (with the session's CSRF token) that goes through
//! `routes::jobs::run_now`, the function `POST /api/v1/jobs/{job}/runs` calls: the same
//! check (whoever may edit the job's asset), the same queued manual run. The button is
//! offered only to those the check lets through; anyone else posting the form gets the
//! API's refusal as a page.

use askama::Template;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use chrono::Utc;
use corral_model::Action;
use corral_runner::records::{CatchUp, CommandLine, Job, JobSource, OverlapPolicy, Run, Runtime};

use crate::console::badges::Badge;
use crate::console::csrf::SignedForm;
use crate::console::form::FormFields;
use crate::console::job_health::{JobHealth, RECENT_RUNS, job_health, run_state};
use crate::console::jobs::schedule_text;
use crate::console::page::{Chrome, ConsoleResult, Section, render, see_other};
use crate::console::pager::{Pager, thousands};
use crate::console::session::ConsoleUser;
use crate::console::time_text::{date_time, span};
use crate::routes::jobs::{find_job, require_job_change, run_now};
use crate::state::AppState;

/// Runs per page of history.
pub const RUNS_PER_PAGE: u32 = 50;

/// One line of the definition.
pub struct Fact {
    pub label: &'static str,
    pub value: String,
}

/// The commit a git source resolved to for a run: its first twelve hex digits for reading,
/// the full id for the title attribute (and for copying).
pub struct CommitText {
    pub short: String,
    pub full: String,
}

impl CommitText {
    /// How many leading hex digits the short form keeps.
    pub const SHORT: usize = 12;

    pub fn of(run: &Run) -> Option<Self> {
        run.source_commit.as_ref().map(|full| Self {
            short: full.chars().take(Self::SHORT).collect(),
            full: full.clone(),
        })
    }
}

/// One run in the history.
pub struct RunRow {
    pub href: String,
    pub state: Badge,
    pub trigger: &'static str,
    pub attempt: u32,
    pub queued: String,
    pub started: String,
    pub took: String,
    pub exit: String,
    pub note: String,
    /// Set for runs of a git source.
    pub commit: Option<CommitText>,
}

impl RunRow {
    pub fn of(run: &Run) -> Self {
        Self {
            href: format!("/jobs/{}/runs/{}", run.job_id, run.id),
            state: run_state(run.state),
            trigger: run.trigger.as_str(),
            attempt: run.attempt,
            queued: date_time(run.queued_at),
            started: run.started_at.map(date_time).unwrap_or_default(),
            took: run.duration().map(span).unwrap_or_default(),
            exit: match (run.exit_code, run.signal) {
                (Some(code), _) => code.to_string(),
                (None, Some(signal)) => format!("signal {signal}"),
                _ => String::new(),
            },
            note: run.note.clone().unwrap_or_default(),
            commit: CommitText::of(run),
        }
    }
}

/// The command as one line: a shell line as written, an argv joined by spaces.
pub fn command_text(command: &CommandLine) -> String {
    match command {
        CommandLine::Shell(line) => line.clone(),
        CommandLine::Argv(argv) => argv.join(" "),
    }
}

/// The definition as facts, names only for variables and secrets.
pub fn facts(job: &Job) -> Vec<Fact> {
    let fact = |label, value: String| Fact { label, value };
    let mut facts = vec![
        fact("Command", command_text(&job.command)),
        fact("Schedule", schedule_text(job)),
        fact("Enabled", if job.enabled { "yes" } else { "no" }.into()),
        fact(
            "Source",
            match &job.source {
                JobSource::None => "none (installed tools only)".into(),
                JobSource::Git {
                    url,
                    reference,
                    token_secret,
                    ..
                } => match token_secret {
                    Some(secret) => format!("git {url} at {reference}, token from {secret}"),
                    None => format!("git {url} at {reference}"),
                },
                JobSource::Bundle { sha256 } => {
                    format!("uploaded bundle {}", &sha256[..sha256.len().min(12)])
                }
                JobSource::Directory { path } => format!("directory {}", path.display()),
            },
        ),
        fact(
            "Runtime",
            match &job.runtime {
                Runtime::Command => "the command as written".into(),
                Runtime::Python { python, .. } => match python {
                    Some(v) => format!("Python {v} through uv"),
                    None => "Python through uv".into(),
                },
            },
        ),
        fact(
            "Timeout",
            span(chrono::Duration::seconds(
                i64::try_from(job.timeout_seconds).unwrap_or(i64::MAX / 1000),
            )),
        ),
        fact(
            "Retries",
            match job.retry.max_retries {
                0 => "none".into(),
                n => format!(
                    "{n}, first after {}",
                    span(chrono::Duration::seconds(
                        i64::try_from(job.retry.initial_delay_seconds).unwrap_or(0)
                    ))
                ),
            },
        ),
        fact(
            "If still running",
            match job.overlap {
                OverlapPolicy::Forbid => "skip the new slot",
                OverlapPolicy::Allow => "run both",
                OverlapPolicy::Replace => "cancel the old run",
            }
            .into(),
        ),
        fact(
            "After downtime",
            match job.catch_up {
                CatchUp::Latest => "run the latest missed slot once".into(),
                CatchUp::None => "skip missed slots".into(),
                CatchUp::All => format!("run every missed slot, at most {}", job.catch_up_max),
            },
        ),
        fact(
            "Network",
            if job.network { "allowed" } else { "none" }.into(),
        ),
    ];
    if !job.owners.is_empty() {
        facts.push(fact("Alerts to", job.owners.join(", ")));
    }
    if !job.env.is_empty() {
        facts.push(fact(
            "Variables",
            job.env.keys().cloned().collect::<Vec<_>>().join(", "),
        ));
    }
    if !job.secrets.is_empty() {
        facts.push(fact(
            "Secrets",
            job.secrets
                .iter()
                .map(|(var, secret)| format!("{var} ← {secret}"))
                .collect::<Vec<_>>()
                .join(", "),
        ));
    }
    facts
}

#[derive(Template)]
#[template(path = "job_detail.html")]
struct JobDetailPage {
    chrome: Chrome,
    id: String,
    name: String,
    description: String,
    asset: Option<(String, String)>,
    facts: Vec<Fact>,
    health: JobHealth,
    runs: Vec<RunRow>,
    total: String,
    pager: Pager,
    can_run: bool,
    notice: Option<String>,
}

/// `GET /jobs/{job}`: `{job}` is an id or a name.
pub async fn show(
    State(state): State<AppState>,
    user: ConsoleUser,
    Path(reference): Path<String>,
    RawQuery(query): RawQuery,
) -> ConsoleResult {
    user.actor.require(Action::ViewAssets)?;
    let job = find_job(&state, &reference).await?;
    let params = FormFields::parse(query.unwrap_or_default().as_bytes());
    let page = params.page();
    let now = Utc::now();
    let recent = state.store.runs_of_job(job.id, RECENT_RUNS, 0).await?;
    let total = state.store.count_runs_of_job(job.id).await?;
    let runs = state
        .store
        .runs_of_job(
            job.id,
            RUNS_PER_PAGE,
            u64::from(page - 1) * u64::from(RUNS_PER_PAGE),
        )
        .await?;
    let asset = match job.asset_id {
        Some(id) => state
            .store
            .asset(id)
            .await?
            .map(|a| (a.name, format!("/assets/{id}"))),
        None => None,
    };
    let notice = (!params.value("queued").is_empty()).then(|| {
        "Run queued: a runner node starts it within a few seconds. Reload to follow it.".to_string()
    });
    let can_run = require_job_change(&state, &user.actor, &job).await.is_ok();
    let page = JobDetailPage {
        chrome: Chrome::new(&user, Section::Jobs, job.name.clone()),
        id: job.id.to_string(),
        name: job.name.clone(),
        description: job.description.clone().unwrap_or_default(),
        asset,
        facts: facts(&job),
        health: job_health(&job, &recent, now),
        runs: runs.iter().map(RunRow::of).collect(),
        total: thousands(total),
        pager: Pager::new(
            &format!("/jobs/{}", job.id),
            &[],
            page,
            RUNS_PER_PAGE,
            total,
        ),
        can_run,
        notice,
    };
    Ok(render(StatusCode::OK, &page))
}

/// `POST /jobs/{job}/run`: "Run now".
pub async fn run(
    State(state): State<AppState>,
    Path(reference): Path<String>,
    form: SignedForm,
) -> ConsoleResult {
    let job = find_job(&state, &reference).await?;
    let run = run_now(&state, &form.user.actor, &job).await?;
    Ok(see_other(&format!("/jobs/{}?queued={}", job.id, run.id)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_definition_lists_variables_and_secrets_by_name_only() {
        let job: Job = serde_json::from_value(serde_json::json!({
            "name": "crm-sync",
            "command": ["python", "sync.py", "--full"],
            "env": {"REGION": "emea-secret-looking-value"},
            "secrets": {"CRM_TOKEN": "crm-token"},
            "retry": {"max_retries": 2, "initial_delay_seconds": 120},
        }))
        .unwrap();
        let all: Vec<(&str, String)> = facts(&job)
            .into_iter()
            .map(|f| (f.label, f.value))
            .collect();
        let get = |label: &str| {
            all.iter()
                .find(|(l, _)| *l == label)
                .map(|(_, v)| v.clone())
                .unwrap()
        };
        assert_eq!(get("Command"), "python sync.py --full");
        assert_eq!(get("Variables"), "REGION");
        assert_eq!(get("Secrets"), "CRM_TOKEN ← crm-token");
        assert_eq!(get("Retries"), "2, first after 2 minutes");
        assert_eq!(get("Schedule"), "manual only");
        assert!(
            all.iter()
                .all(|(_, v)| !v.contains("emea-secret-looking-value"))
        );
    }
}
