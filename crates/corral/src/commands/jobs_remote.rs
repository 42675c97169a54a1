//! `corral jobs apply|list|runs|log|start|delete|edit|bundle`: jobs on a Corral server.
//!
//! `apply` sends every `[[job]]` of a jobs file to the server for the asset given with
//! `--asset` (or the job's own `asset_id`); each job is reported on its own, so one invalid
//! definition does not keep the others out. The rest read the run history, show a run's
//! (masked) log, start a run now, or delete a job. `edit` changes chosen fields of a job in
//! place (sent as a JSON merge patch, validated by the server like a new job); `bundle`
//! uploads a job's files — a directory packed here (see `job_bundle.rs`) or a ready
//! `.tar.gz` — and makes them the job's source.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use clap::Subcommand;
use corral_client::{Client, ClientError, block_on, describe_error};
use corral_runner::records::{Job, JobSource, Run};
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
    /// Change a job on the server: only the fields given change.
    // Boxed: its many optional flags would make every other command as large.
    Edit(Box<EditArgs>),
    /// Upload a job's files (a directory, packed honouring .gitignore, or a .tar.gz) and
    /// make them the job's source.
    Bundle {
        /// Job name or id.
        job: String,
        /// The job's directory, or a .tar.gz of it.
        path: PathBuf,
    },
}

#[derive(Debug, clap::Args)]
pub struct EditArgs {
    /// Job name or id.
    job: String,
    /// New cron expression (five fields or a nickname such as `@daily`).
    #[arg(long, value_name = "CRON", conflicts_with = "no_schedule")]
    schedule: Option<String>,
    /// The IANA time zone of the schedule, e.g. Europe/Berlin.
    #[arg(long, value_name = "ZONE", conflicts_with = "no_schedule")]
    timezone: Option<String>,
    /// Remove the schedule: manual runs only.
    #[arg(long)]
    no_schedule: bool,
    /// New command, run by `/bin/sh -c`.
    #[arg(long, value_name = "LINE")]
    command: Option<String>,
    /// Seconds before the run is killed.
    #[arg(long, value_name = "SECONDS")]
    timeout: Option<u64>,
    /// Further attempts after a failure.
    #[arg(long, value_name = "N")]
    retries: Option<u32>,
    /// Set an environment variable (repeatable).
    #[arg(long = "env", value_name = "NAME=VALUE")]
    env: Vec<String>,
    /// Remove an environment variable (repeatable).
    #[arg(long = "unset-env", value_name = "NAME")]
    unset_env: Vec<String>,
    /// Turn scheduled runs on.
    #[arg(long, conflicts_with = "disable")]
    enable: bool,
    /// Turn scheduled runs off (the job and its history stay).
    #[arg(long)]
    disable: bool,
    /// Take the job's files from this git repository (with --ref).
    #[arg(long, value_name = "URL", requires = "reference")]
    git: Option<String>,
    /// Branch, tag or full commit id of --git.
    #[arg(long = "ref", value_name = "REF", requires = "git")]
    reference: Option<String>,
    /// Directory inside the repository to run in.
    #[arg(long, value_name = "DIR", requires = "git")]
    subdirectory: Option<String>,
    /// The job's secret holding a token for an https:// --git repository (set it with
    /// `corral secrets set JOB NAME`); sent as a Bearer token, or with --git-username as
    /// HTTP Basic credentials.
    #[arg(long, value_name = "SECRET", requires = "git")]
    token_secret: Option<String>,
    /// The user name sent with --token-secret.
    #[arg(long, value_name = "USER", requires = "token_secret")]
    git_username: Option<String>,
}

impl EditArgs {
    /// The merge patch these flags ask for, or why they cannot be sent.
    pub fn patch(&self) -> Result<serde_json::Value> {
        use serde_json::{Map, Value, json};
        let mut patch = Map::new();
        if self.no_schedule {
            patch.insert("schedule".into(), Value::Null);
        } else if self.schedule.is_some() || self.timezone.is_some() {
            let mut schedule = Map::new();
            if let Some(cron) = &self.schedule {
                schedule.insert("cron".into(), json!(cron));
            }
            if let Some(zone) = &self.timezone {
                schedule.insert("timezone".into(), json!(zone));
            }
            patch.insert("schedule".into(), Value::Object(schedule));
        }
        if let Some(command) = &self.command {
            patch.insert("command".into(), json!(command));
        }
        if let Some(timeout) = self.timeout {
            patch.insert("timeout_seconds".into(), json!(timeout));
        }
        if let Some(retries) = self.retries {
            patch.insert("retry".into(), json!({ "max_retries": retries }));
        }
        if !self.env.is_empty() || !self.unset_env.is_empty() {
            let mut env = Map::new();
            for pair in &self.env {
                let Some((name, value)) = pair.split_once('=') else {
                    anyhow::bail!("--env `{pair}`: write NAME=VALUE");
                };
                env.insert(name.into(), json!(value));
            }
            for name in &self.unset_env {
                env.insert(name.clone(), Value::Null);
            }
            patch.insert("env".into(), Value::Object(env));
        }
        if self.enable || self.disable {
            patch.insert("enabled".into(), json!(self.enable));
        }
        if let (Some(url), Some(reference)) = (&self.git, &self.reference) {
            let mut source = json!({ "kind": "git", "url": url, "ref": reference });
            if let Some(sub) = &self.subdirectory {
                source["subdirectory"] = json!(sub);
            }
            if let Some(secret) = &self.token_secret {
                source["token_secret"] = json!(secret);
            }
            if let Some(user) = &self.git_username {
                source["username"] = json!(user);
            }
            patch.insert("source".into(), source);
        }
        if patch.is_empty() {
            anyhow::bail!("nothing to change: give at least one option (see --help)");
        }
        Ok(Value::Object(patch))
    }
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
                        "{}  {:<10} {:<9} attempt {}  queued {}{}{}",
                        run.id,
                        format!("{:?}", run.state).to_lowercase(),
                        run.trigger.as_str(),
                        run.attempt,
                        run.queued_at.format("%Y-%m-%d %H:%M:%S UTC"),
                        run.source_commit
                            .map(|c| format!("  commit {}", &c[..c.len().min(12)]))
                            .unwrap_or_default(),
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
            RemoteCommand::Edit(args) => {
                let patch = args.patch()?;
                let path = format!("/api/v1/jobs/{}", path_part(&args.job));
                match client
                    .send_json::<_, Job>(Method::PATCH, &path, Some(&patch))
                    .await
                {
                    Ok(job) => {
                        println!("changed job {}", job.name);
                        Ok(ExitCode::SUCCESS)
                    }
                    Err(err) => Ok(failed(&err)),
                }
            }
            RemoteCommand::Bundle { job, path } => {
                let packed = super::job_bundle::bundle_bytes(&path)?;
                let size = packed.bytes.len();
                let url = format!("/api/v1/jobs/{}/bundle", path_part(&job));
                match client
                    .send_bytes::<Job>(Method::PUT, &url, "application/gzip", packed.bytes)
                    .await
                {
                    Ok(updated) => {
                        let digest = match &updated.source {
                            JobSource::Bundle { sha256 } => sha256.clone(),
                            _ => String::new(),
                        };
                        let files = if packed.files > 0 {
                            format!("{} files, ", packed.files)
                        } else {
                            String::new()
                        };
                        println!(
                            "uploaded the bundle of {} ({files}{size} bytes, sha256 {digest})",
                            updated.name
                        );
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

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::EditArgs;

    #[derive(Parser)]
    struct Edit {
        #[command(flatten)]
        args: EditArgs,
    }

    fn patch(args: &[&str]) -> serde_json::Value {
        Edit::try_parse_from(std::iter::once("edit").chain(args.iter().copied()))
            .unwrap()
            .args
            .patch()
            .unwrap()
    }

    #[test]
    fn an_https_source_with_a_token_secret_and_a_user_name_becomes_one_source_object() {
        let patch = patch(&[
            "sync",
            "--git",
            "https://git.internal/sales/sync.git",
            "--ref",
            "main",
            "--token-secret",
            "git-token",
            "--git-username",
            "oauth2",
        ]);
        assert_eq!(
            patch,
            serde_json::json!({"source": {
                "kind": "git",
                "url": "https://git.internal/sales/sync.git",
                "ref": "main",
                "token_secret": "git-token",
                "username": "oauth2",
            }})
        );
        assert!(
            Edit::try_parse_from(["edit", "sync", "--token-secret", "git-token"]).is_err(),
            "a token secret belongs to a --git source"
        );
    }
}
