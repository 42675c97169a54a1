//! `corral jobs apply|list|runs|log|start|delete`: jobs on a Corral server.
//!
//! `apply` sends every `[[job]]` of a jobs file to the server for the asset given with
//! `--asset` (or the job's own `asset_id`); each job is reported on its own, so one invalid
//! definition does not keep the others out. The rest read the run history, show a run's
//! (masked) log, start a run now, or delete a job.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use clap::Subcommand;
use corral_client::{Client, ClientError, block_on, describe_error};
use corral_runner::records::{Job, Run};
use reqwest::Method;
use uuid::Uuid;

#[derive(Debug, Subcommand)]
pub enum RemoteCommand {
    /// Define the jobs of a jobs file on the server (one `[[job]]` table each).
    Apply {
        /// A TOML file with `[[job]]` tables.
        file: PathBuf,
        /// The registered asset the jobs belong to (id), unless a job names its own.
        #[arg(long, value_name = "ASSET_ID")]
        asset: Option<Uuid>,
    },
    /// List the server's jobs.
    List,
    /// A job's latest runs on the server, newest first.
    Runs {
        /// Job name or id.
        job: String,
    },
    /// One run's log, as stored (secrets masked).
    Log {
        /// Run id.
        run: Uuid,
    },
    /// Run a job on the server now.
    Start {
        /// Job name or id.
        job: String,
    },
    /// Delete a job (and its secrets) from the server.
    Delete {
        /// Job name or id.
        job: String,
    },
}

fn path_part(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Prints a failed call and gives the exit status for it.
fn failed(err: &ClientError) -> ExitCode {
    eprint!("{}", describe_error(err));
    ExitCode::from(2)
}

pub fn run(
    client: Client,
    command: RemoteCommand,
    jobs_file: impl Fn(&std::path::Path) -> Result<Vec<Job>>,
) -> Result<ExitCode> {
    block_on(async move {
        match command {
            RemoteCommand::Apply { file, asset } => {
                let jobs = jobs_file(&file)?;
                let mut refused = 0;
                for mut job in jobs {
                    if job.asset_id.is_none() {
                        job.asset_id = asset;
                    }
                    match client
                        .send_json::<Job, Job>(Method::POST, "/api/v1/jobs", Some(&job))
                        .await
                    {
                        Ok(created) => println!("{}: defined ({})", created.name, created.id),
                        Err(err) => {
                            refused += 1;
                            eprintln!("{}: not defined", job.name);
                            eprint!("{}", describe_error(&err));
                        }
                    }
                }
                Ok(if refused == 0 {
                    ExitCode::SUCCESS
                } else {
                    ExitCode::from(1)
                })
            }
            RemoteCommand::List => {
                let jobs: Vec<Job> = match client
                    .send_json::<(), _>(Method::GET, "/api/v1/jobs", None)
                    .await
                {
                    Ok(jobs) => jobs,
                    Err(err) => return Ok(failed(&err)),
                };
                for job in jobs {
                    let when = job
                        .schedule
                        .as_ref()
                        .map(|s| format!("`{}` in {}", s.cron, s.timezone))
                        .unwrap_or_else(|| "manual runs only".into());
                    println!(
                        "{:<40} {when}{}",
                        job.name,
                        if job.enabled { "" } else { " (disabled)" }
                    );
                }
                Ok(ExitCode::SUCCESS)
            }
            RemoteCommand::Runs { job } => {
                let path = format!("/api/v1/jobs/{}/runs", path_part(&job));
                let runs: Vec<Run> = match client.send_json::<(), _>(Method::GET, &path, None).await
                {
                    Ok(runs) => runs,
                    Err(err) => return Ok(failed(&err)),
                };
                for run in runs {
                    println!(
                        "{}  {:<10} {:<9} attempt {}  queued {}{}",
                        run.id,
                        format!("{:?}", run.state).to_lowercase(),
                        run.trigger.as_str(),
                        run.attempt,
                        run.queued_at.format("%Y-%m-%d %H:%M:%S UTC"),
                        run.note.map(|n| format!("  ({n})")).unwrap_or_default()
                    );
                }
                Ok(ExitCode::SUCCESS)
            }
            RemoteCommand::Log { run } => {
                let path = format!("/api/v1/runs/{run}");
                let run: Run = match client.send_json::<(), _>(Method::GET, &path, None).await {
                    Ok(run) => run,
                    Err(err) => return Ok(failed(&err)),
                };
                super::jobs::print_log(&run);
                Ok(ExitCode::SUCCESS)
            }
            RemoteCommand::Start { job } => {
                let path = format!("/api/v1/jobs/{}/runs", path_part(&job));
                match client.send_json::<(), Run>(Method::POST, &path, None).await {
                    Ok(run) => {
                        println!("queued run {} of {}", run.id, run.job_name);
                        Ok(ExitCode::SUCCESS)
                    }
                    Err(err) => Ok(failed(&err)),
                }
            }
            RemoteCommand::Delete { job } => {
                let path = format!("/api/v1/jobs/{}", path_part(&job));
                match client
                    .send_json::<(), ()>(Method::DELETE, &path, None)
                    .await
                {
                    Ok(()) => {
                        println!("deleted job {job}");
                        Ok(ExitCode::SUCCESS)
                    }
                    Err(err) => Ok(failed(&err)),
                }
            }
        }
    })
}

/// Sets a job's secret on the server (the value was read from standard input).
pub fn set_secret(client: Client, job: &str, name: &str, value: &str) -> Result<ExitCode> {
    let path = format!(
        "/api/v1/jobs/{}/secrets/{}",
        path_part(job),
        path_part(name)
    );
    let body = serde_json::json!({ "value": value });
    block_on(async move {
        match client
            .send_json::<_, ()>(Method::PUT, &path, Some(&body))
            .await
        {
            Ok(()) => {
                eprintln!(
                    "stored secret `{name}` of job `{job}` on {} ({} characters)",
                    client.base_url(),
                    value.chars().count()
                );
                Ok(ExitCode::SUCCESS)
            }
            Err(err) => Ok(failed(&err)),
        }
    })
}
