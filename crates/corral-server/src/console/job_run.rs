//! `/jobs/{job}/runs/{run}`: one run — why it ran, which commit of a git source it ran, how
//! it ended — and its log.
//!
//! The log is the one the executor captured, with the job's secrets already masked (the
//! exact values and their Base64, URL- and JSON-escaped forms) before it was stored. The
//! page prints it as text: every line goes through the template's HTML escaping, so output
//! that looks like markup is shown, never interpreted.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use corral_model::Action;
use corral_runner::records::{LogStream, Sandboxing};
use uuid::Uuid;

use crate::console::badges::Badge;
use crate::console::job_detail::{CommitText, Fact};
use crate::console::job_health::run_state;
use crate::console::page::{Chrome, ConsoleError, ConsoleResult, Section, render};
use crate::console::session::ConsoleUser;
use crate::console::time_text::{date_time, span};
use crate::routes::jobs::find_job;
use crate::state::AppState;

/// One line of the log.
pub struct LogRow {
    pub at: String,
    pub stream: &'static str,
    pub text: String,
}

#[derive(Template)]
#[template(path = "job_run.html")]
struct JobRunPage {
    chrome: Chrome,
    job_name: String,
    job_href: String,
    id: String,
    state: Badge,
    facts: Vec<Fact>,
    commit: Option<CommitText>,
    lines: Vec<LogRow>,
    log_note: Option<String>,
}

/// `GET /jobs/{job}/runs/{run}`.
pub async fn show(
    State(state): State<AppState>,
    user: ConsoleUser,
    Path((reference, run_id)): Path<(String, String)>,
) -> ConsoleResult {
    user.actor.require(Action::ViewAssets)?;
    let job = find_job(&state, &reference).await?;
    let missing = || ConsoleError::not_found(format!("job `{}` has no run `{run_id}`", job.name));
    let id = Uuid::parse_str(&run_id).map_err(|_| missing())?;
    let run = state
        .store
        .run_with_log(id)
        .await?
        .filter(|r| r.job_id == job.id)
        .ok_or_else(missing)?;
    let fact = |label, value: String| Fact { label, value };
    let mut facts = vec![
        fact("Trigger", run.trigger.as_str().to_string()),
        fact("Attempt", run.attempt.to_string()),
        fact("Queued", date_time(run.queued_at)),
    ];
    if let Some(slot) = run.slot {
        facts.push(fact("Slot", date_time(slot)));
    }
    if let Some(at) = run.started_at {
        facts.push(fact("Started", date_time(at)));
    }
    if let Some(at) = run.finished_at {
        facts.push(fact("Finished", date_time(at)));
    }
    if let Some(d) = run.duration() {
        facts.push(fact("Took", span(d)));
    }
    if let Some(code) = run.exit_code {
        facts.push(fact("Exit status", code.to_string()));
    }
    if let Some(signal) = run.signal {
        facts.push(fact("Killed by signal", signal.to_string()));
    }
    if let Some(sandbox) = &run.sandbox {
        facts.push(fact(
            "Sandbox",
            match sandbox {
                Sandboxing::Bubblewrap { network: true } => "bubblewrap, with network".into(),
                Sandboxing::Bubblewrap { network: false } => "bubblewrap, no network".into(),
                Sandboxing::None { reason } => format!("not sandboxed: {reason}"),
            },
        ));
    }
    if let Some(note) = &run.note {
        facts.push(fact("Note", note.clone()));
    }
    let log_note = if run.log.truncated {
        Some(format!(
            "The job wrote {} bytes; output beyond the size cap was not kept.",
            run.log.total_bytes
        ))
    } else {
        None
    };
    let lines = run
        .log
        .lines
        .iter()
        .map(|l| LogRow {
            at: l.at.format("%H:%M:%S%.3f").to_string(),
            stream: match l.stream {
                LogStream::Stdout => "out",
                LogStream::Stderr => "err",
                LogStream::Runner => "corral",
            },
            text: l.text.clone(),
        })
        .collect();
    Ok(render(
        StatusCode::OK,
        &JobRunPage {
            chrome: Chrome::new(&user, Section::Jobs, format!("Run of {}", job.name)),
            job_href: format!("/jobs/{}", job.id),
            job_name: job.name,
            id: run.id.to_string(),
            state: run_state(run.state),
            facts,
            commit: CommitText::of(&run),
            lines,
            log_note,
        },
    ))
}
