//! A job definition: what to run, from which source, in which runtime, when, and under which
//! limits and policies.
//!
//! Definitions are written by people (TOML files, the web form) and by `corral jobs import`,
//! so every field has a default that is safe for a first-time author: no retries, no
//! overlap, the latest missed slot caught up once, no network, one hour of run time.
//! [`Job::validate`] checks the parts serde cannot (the cron expression and its time zone,
//! names, variable names) and reports each problem against its field.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::cron_schedule::CronSchedule;

/// One scheduled or manually triggered job.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Job {
    #[serde(default = "Uuid::now_v7", skip_serializing_if = "Uuid::is_nil")]
    pub id: Uuid,
    /// Short unique name, e.g. `morning-pipeline-report`.
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The registry asset this job belongs to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub asset_id: Option<Uuid>,
    /// Who hears about failures.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub owners: Vec<String>,
    /// What to execute, relative to the job's source directory.
    pub command: CommandLine,
    #[serde(default)]
    pub source: JobSource,
    #[serde(default)]
    pub runtime: Runtime,
    /// When to run; `None` means manual triggers only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schedule: Option<Schedule>,
    #[serde(default = "default_true")]
    pub enabled: bool,
    /// Seconds before the whole process group is killed.
    #[serde(default = "default_timeout")]
    pub timeout_seconds: u64,
    #[serde(default)]
    pub retry: RetryPolicy,
    #[serde(default)]
    pub overlap: OverlapPolicy,
    #[serde(default)]
    pub catch_up: CatchUp,
    /// With `catch_up = "all"`: at most this many missed slots are run.
    #[serde(default = "default_catch_up_max")]
    pub catch_up_max: u32,
    /// Plain environment variables (not secrets: these are stored and shown as written).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub env: BTreeMap<String, String>,
    /// Environment variable name → secret name. Values are injected at run time, never
    /// stored with the job, and masked in its logs.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub secrets: BTreeMap<String, String>,
    /// Whether the job needs network access (denied by the sandbox otherwise).
    #[serde(default)]
    pub network: bool,
    #[serde(default)]
    pub limits: Limits,
}

fn default_true() -> bool {
    true
}
fn default_timeout() -> u64 {
    3600
}
fn default_catch_up_max() -> u32 {
    10
}

/// The program and its arguments, or a shell line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum CommandLine {
    /// Executed directly, no shell: `["python", "report.py", "--region", "emea"]`.
    Argv(Vec<String>),
    /// Run by `/bin/sh -c`, as cron does: `"python report.py | gzip > out.gz"`.
    Shell(String),
}

impl CommandLine {
    /// The argv the executor starts (a shell line becomes `/bin/sh -c LINE`).
    pub fn argv(&self) -> Vec<String> {
        match self {
            CommandLine::Argv(argv) => argv.clone(),
            CommandLine::Shell(line) => vec!["/bin/sh".into(), "-c".into(), line.clone()],
        }
    }

    pub fn is_empty(&self) -> bool {
        match self {
            CommandLine::Argv(argv) => argv.first().is_none_or(|p| p.trim().is_empty()),
            CommandLine::Shell(line) => line.trim().is_empty(),
        }
    }
}

/// Where the job's files come from. Fetching git repositories and bundles happens in the
/// server's source provider; a local directory serves single-machine use and tests.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case", deny_unknown_fields)]
pub enum JobSource {
    /// No files: the command needs only what is installed.
    #[default]
    None,
    /// A git repository at a branch, tag or commit.
    Git {
        url: String,
        #[serde(rename = "ref")]
        reference: String,
        /// Directory inside the repository to run in.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        subdirectory: Option<String>,
        /// The job's secret holding a token for an `https://` repository, sent as a Bearer
        /// token, or with `username` as HTTP Basic credentials. Not given to the job.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        token_secret: Option<String>,
        /// The user name to send with the token (HTTP Basic).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        username: Option<String>,
    },
    /// An uploaded archive, identified by the SHA-256 of its bytes.
    Bundle { sha256: String },
    /// A directory on the runner's machine, copied into each run's scratch directory.
    Directory { path: PathBuf },
}

/// How the command is started.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case", deny_unknown_fields)]
pub enum Runtime {
    /// The command as written.
    #[default]
    Command,
    /// Python through `uv run`, with the job's pinned dependencies and no interpreter
    /// downloads.
    Python {
        /// Interpreter request passed to `uv --python`, e.g. `3.12`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        python: Option<String>,
        #[serde(default)]
        dependencies: PythonDependencies,
    },
}

/// Where a Python job's dependencies are pinned.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PythonDependencies {
    /// The project's `uv.lock`, used exactly (`uv run --locked`).
    UvLock,
    /// A `requirements.txt` (path relative to the source directory).
    Requirements(String),
    /// PEP 723 inline metadata in the script the command names (`uv run --script`).
    Inline,
    /// The standard library only.
    #[default]
    None,
}

/// A cron expression in an IANA time zone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Schedule {
    /// Five fields (`minute hour day-of-month month day-of-week`) or `@daily`-style nicknames.
    pub cron: String,
    /// IANA zone name such as `Europe/Berlin`; slots follow its daylight-saving changes.
    #[serde(default = "default_timezone")]
    pub timezone: String,
}

fn default_timezone() -> String {
    "UTC".into()
}

/// Retries after a failed attempt, with exponential backoff.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RetryPolicy {
    /// Further attempts after the first one fails (0: no retries).
    pub max_retries: u32,
    /// Delay before the first retry.
    pub initial_delay_seconds: u64,
    /// Each further retry waits this many times longer.
    pub multiplier: f64,
    /// Upper bound on any one delay.
    pub max_delay_seconds: u64,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_retries: 0,
            initial_delay_seconds: 60,
            multiplier: 2.0,
            max_delay_seconds: 3600,
        }
    }
}

/// What happens when a slot comes while the previous run still runs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum OverlapPolicy {
    /// Skip the new run and record it as skipped.
    #[default]
    Forbid,
    /// Start it alongside.
    Allow,
    /// Kill the running one and start the new one.
    Replace,
}

/// What happens to slots that passed while the runner was down.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CatchUp {
    /// Run the latest missed slot once; record the others as missed.
    #[default]
    Latest,
    /// Run none; record them all as missed.
    None,
    /// Run every missed slot, oldest first, up to `catch_up_max`.
    All,
}

/// Resource limits applied to the job's processes (rlimits). `None` takes the runner's
/// default.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Limits {
    /// CPU seconds per process.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cpu_seconds: Option<u64>,
    /// Address space per process, in MiB.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub memory_mb: Option<u64>,
    /// Open file descriptors per process.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub open_files: Option<u64>,
    /// Bytes of output kept in the run's log.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output_bytes: Option<u64>,
}

/// One problem in a job definition, named by field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

impl std::fmt::Display for FieldError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

/// An environment variable name a POSIX shell accepts.
pub fn is_env_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// The name the source's token goes by among a job's [secret references](Job::secret_references):
/// not a variable name, so it is never put into the job's environment.
pub const SOURCE_TOKEN: &str = "source.token_secret";

impl Job {
    /// A job with every policy at its default.
    pub fn new(name: impl Into<String>, command: CommandLine) -> Self {
        Self {
            id: Uuid::now_v7(),
            name: name.into(),
            description: None,
            asset_id: None,
            owners: Vec::new(),
            command,
            source: JobSource::None,
            runtime: Runtime::Command,
            schedule: None,
            enabled: true,
            timeout_seconds: default_timeout(),
            retry: RetryPolicy::default(),
            overlap: OverlapPolicy::default(),
            catch_up: CatchUp::default(),
            catch_up_max: default_catch_up_max(),
            env: BTreeMap::new(),
            secrets: BTreeMap::new(),
            network: false,
            limits: Limits::default(),
        }
    }

    /// Every secret a run needs, as (what it is for → secret name): the variables of
    /// `secrets`, and [`SOURCE_TOKEN`] for a git source's token.
    pub fn secret_references(&self) -> BTreeMap<String, String> {
        let mut wanted = self.secrets.clone();
        if let JobSource::Git {
            token_secret: Some(name),
            ..
        } = &self.source
        {
            wanted.insert(SOURCE_TOKEN.to_string(), name.clone());
        }
        wanted
    }

    /// Every problem serde could not catch, each against its field.
    pub fn validate(&self) -> Vec<FieldError> {
        let mut errors = Vec::new();
        let mut err = |field: &str, message: String| {
            errors.push(FieldError {
                field: field.into(),
                message,
            })
        };
        if self.name.trim().is_empty() || self.name.len() > 100 {
            err("name", "use 1 to 100 characters".into());
        } else if !self
            .name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        {
            err(
                "name",
                format!(
                    "`{}` may use only letters, digits, `-`, `_` and `.`",
                    self.name
                ),
            );
        }
        if self.command.is_empty() {
            err("command", "is empty: say what to run".into());
        }
        if let Some(schedule) = &self.schedule
            && let Err(e) = CronSchedule::parse(&schedule.cron, &schedule.timezone)
        {
            err("schedule", e.to_string());
        }
        if self.timeout_seconds == 0 {
            err("timeout_seconds", "must be at least 1".into());
        }
        if !(self.retry.multiplier >= 1.0 && self.retry.multiplier <= 100.0) {
            err(
                "retry.multiplier",
                format!("{} is outside 1 to 100", self.retry.multiplier),
            );
        }
        if self.retry.max_retries > 100 {
            err("retry.max_retries", "at most 100 retries".into());
        }
        for name in self.env.keys() {
            if !is_env_name(name) {
                err("env", format!("`{name}` is not a valid variable name"));
            }
        }
        for (name, secret) in &self.secrets {
            if !is_env_name(name) {
                err("secrets", format!("`{name}` is not a valid variable name"));
            }
            if self.env.contains_key(name) {
                err(
                    "secrets",
                    format!("`{name}` is also set in env; a variable comes from one place"),
                );
            }
            if let Err(e) = corral_secretbox::validate_secret_name(secret) {
                err("secrets", e.to_string());
            }
        }
        if let JobSource::Git {
            url,
            reference,
            subdirectory,
            token_secret,
            username,
        } = &self.source
        {
            let http = crate::git_http::is_http_url(url);
            if url.trim().is_empty() {
                err("source.url", "is empty: name the repository".into());
            } else if crate::git_source::url_has_password(url) {
                err(
                    "source.url",
                    format!(
                        "`{}` carries a password or token; credentials are not stored in job \
                         definitions — store the token as a secret of the job and name it in \
                         source.token_secret (https), or give the runner's account an ssh key",
                        crate::git_source::redact_url(url)
                    ),
                );
            } else if let Some(problem) = crate::git_http::plain_http_problem(url) {
                err("source.url", problem);
            }
            if let Some(secret) = token_secret {
                if let Err(e) = corral_secretbox::validate_secret_name(secret) {
                    err("source.token_secret", e.to_string());
                } else if !http && !url.trim().is_empty() {
                    err(
                        "source.token_secret",
                        "a token is sent only to https:// repositories; ssh and file URLs use \
                         the runner's own keys and permissions"
                            .into(),
                    );
                }
            }
            if let Some(user) = username {
                if token_secret.is_none() {
                    err(
                        "source.username",
                        "is sent with a token: name the secret holding it in source.token_secret"
                            .into(),
                    );
                }
                if user.is_empty() || user.contains(':') || user.chars().any(char::is_control) {
                    err(
                        "source.username",
                        format!(
                            "`{user}` is not a user name (not empty, no `:`, no control characters)"
                        ),
                    );
                }
            }
            if reference.trim().is_empty() {
                err(
                    "source.ref",
                    "is empty: name a branch, a tag or a commit id".into(),
                );
            }
            if let Some(sub) = subdirectory
                && !std::path::Path::new(sub).components().all(|c| {
                    matches!(
                        c,
                        std::path::Component::Normal(_) | std::path::Component::CurDir
                    )
                })
            {
                err(
                    "source.subdirectory",
                    format!("`{sub}` must be a relative path inside the repository (no `..`)"),
                );
            }
        }
        if let Runtime::Python {
            dependencies: PythonDependencies::Inline,
            ..
        } = &self.runtime
            && !matches!(&self.command, CommandLine::Argv(argv) if argv.first().is_some_and(|s| s.ends_with(".py")))
        {
            err(
                "runtime.dependencies",
                "inline (PEP 723) dependencies need a command that starts with the script, \
                 e.g. [\"report.py\", \"--daily\"]"
                    .into(),
            );
        }
        errors
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_minimal_toml_job_gets_safe_defaults() {
        let job: Job = toml::from_str(
            r#"
            name = "pipeline-report"
            command = ["python", "report.py"]
            schedule = { cron = "0 7 * * 1-5", timezone = "Europe/Berlin" }
            "#,
        )
        .unwrap();
        assert!(job.validate().is_empty());
        assert_eq!(job.overlap, OverlapPolicy::Forbid);
        assert_eq!(job.catch_up, CatchUp::Latest);
        assert_eq!(job.retry.max_retries, 0);
        assert!(!job.network);
        assert_eq!(job.timeout_seconds, 3600);
    }

    #[test]
    fn a_shell_line_runs_through_sh() {
        assert_eq!(
            CommandLine::Shell("echo hi | wc -c".into()).argv(),
            ["/bin/sh", "-c", "echo hi | wc -c"]
        );
    }

    #[test]
    fn validation_names_each_bad_field() {
        let mut job = Job::new("bad name!", CommandLine::Argv(vec![]));
        job.schedule = Some(Schedule {
            cron: "0 25 * * *".into(),
            timezone: "Mars/Olympus".into(),
        });
        job.env.insert("1BAD".into(), "x".into());
        job.secrets.insert("TOKEN".into(), "crm token".into());
        let fields: Vec<_> = job.validate().into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["name", "command", "schedule", "env", "secrets"]);
    }

    #[test]
    fn a_git_source_with_a_password_in_its_url_is_refused_without_repeating_it() {
        let mut job = Job::new("sync", CommandLine::Shell("true".into()));
        job.source = JobSource::Git {
            url: "ssh://deploy:tok3n-value@git.internal/sync.git".into(),
            reference: "main".into(),
            subdirectory: Some("../up".into()),
            token_secret: None,
            username: None,
        };
        let errors = job.validate();
        let fields: Vec<_> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["source.url", "source.subdirectory"]);
        assert!(!errors[0].message.contains("tok3n-value"), "{}", errors[0]);
        job.source = JobSource::Git {
            url: "ssh://git@git.internal/sync.git".into(),
            reference: "v1.2".into(),
            subdirectory: Some("jobs/sync".into()),
            token_secret: None,
            username: None,
        };
        assert!(job.validate().is_empty());
    }

    #[test]
    fn an_https_source_names_its_token_secret_and_only_https_may() {
        let mut job = Job::new("sync", CommandLine::Shell("true".into()));
        job.secrets.insert("CRM_TOKEN".into(), "crm-token".into());
        let git = |url: &str, token: Option<&str>, user: Option<&str>| JobSource::Git {
            url: url.into(),
            reference: "main".into(),
            subdirectory: None,
            token_secret: token.map(Into::into),
            username: user.map(Into::into),
        };
        job.source = git(
            "https://git.internal/sales/sync.git",
            Some("git-token"),
            Some("oauth2"),
        );
        assert_eq!(job.validate(), []);
        let wanted: Vec<_> = job.secret_references().into_iter().collect();
        assert_eq!(
            wanted,
            [
                ("CRM_TOKEN".to_string(), "crm-token".to_string()),
                (SOURCE_TOKEN.to_string(), "git-token".to_string())
            ]
        );
        assert!(!is_env_name(SOURCE_TOKEN), "never an environment variable");

        let fields =
            |job: &Job| -> Vec<String> { job.validate().into_iter().map(|e| e.field).collect() };
        job.source = git("ssh://git@git.internal/sync.git", Some("git-token"), None);
        assert_eq!(fields(&job), ["source.token_secret"]);
        job.source = git("https://git.internal/sync.git", Some("git token"), None);
        assert_eq!(fields(&job), ["source.token_secret"]);
        job.source = git("https://git.internal/sync.git", None, Some("oauth2"));
        assert_eq!(fields(&job), ["source.username"]);
        job.source = git("https://git.internal/sync.git", Some("t"), Some("a:b"));
        assert_eq!(fields(&job), ["source.username"]);
        job.source = git("http://git.internal/sync.git", None, None);
        assert_eq!(fields(&job), ["source.url"]);
        job.source = git("http://127.0.0.1:8080/sync.git", Some("git-token"), None);
        assert_eq!(fields(&job), Vec::<String>::new());
    }

    #[test]
    fn an_unknown_key_in_a_job_file_is_an_error_naming_it() {
        let err = toml::from_str::<Job>("name = \"a\"\ncommand = \"true\"\ntimeout = 5\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("timeout"), "{err}");
    }
}
