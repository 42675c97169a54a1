//! Running one attempt of a job on this machine.
//!
//! Each run gets a fresh scratch directory (`<runs_dir>/<run id>/{work,home,tmp}`, mode
//! 0700, recycled by the [`ScratchPool`] once emptied) holding a copy of the job's source.
//! The process starts with the clean environment of its [`LaunchPlan`] plus its secrets, in
//! a new process group, with rlimits on CPU time, address space, open files and core dumps
//! (set by the [`job_exec`] helper, or between `fork` and `exec` without it), and inside
//! bubblewrap when available. The outcome is reported the moment the process exits
//! ([`LocalExecutor::execute_reporting`]), before the rest of the output is collected.
//!
//! On timeout or cancellation the *whole process group* is killed, not just the direct
//! child: a shell script's `sleep` or a Python job's worker processes would otherwise live
//! on after the run is recorded as finished. The group is also killed when the main process
//! exits, so nothing a job started in the background outlives its run. When the runner
//! dies without exiting (SIGKILL, out-of-memory), the kernel kills the job's process as its
//! parent goes (`PR_SET_PDEATHSIG`; bubblewrap's `--die-with-parent` inside the sandbox):
//! another node then retries the run, and a survivor must not finish it a second time.
//!
//! stdout and stderr are read concurrently in chunks, masked per stream for every secret
//! value injected, and captured as timestamped lines up to the output cap. A git source's
//! token (given as [`SOURCE_TOKEN`]) is used for the fetch only, never put into the job's
//! environment, and masked like the others.

use std::path::PathBuf;
use std::process::Stdio;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use corral_secretbox::SecretValue;
use serde::{Deserialize, Serialize};
use tokio::io::AsyncReadExt;
use tokio::sync::{Notify, mpsc, oneshot};

use crate::job_exec;
use crate::launch::{self, LaunchSettings, RunDirs};
use crate::log_capture::LogCapture;
use crate::masking::MaskSet;
use crate::records::{Job, LogStream, Run, RunLog, RunState, SOURCE_TOKEN, Sandboxing};
use crate::sandbox::{Bubblewrap, SandboxMode};
use crate::scratch::ScratchPool;
use crate::source::SourceProvider;

/// Defaults for limits a job leaves unset.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DefaultLimits {
    pub cpu_seconds: u64,
    pub memory_mb: u64,
    pub open_files: u64,
    pub output_bytes: u64,
}

impl Default for DefaultLimits {
    fn default() -> Self {
        Self {
            cpu_seconds: 3600,
            memory_mb: 4096,
            open_files: 1024,
            output_bytes: 1024 * 1024,
        }
    }
}

/// Everything the local executor needs to know about this machine.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ExecutorSettings {
    /// Where scratch directories are created.
    pub runs_dir: PathBuf,
    pub sandbox: SandboxMode,
    /// Keep scratch directories after the run (for debugging a job).
    pub keep_scratch: bool,
    pub limits: DefaultLimits,
    pub launch: LaunchSettings,
    /// Extra paths visible read-only inside the sandbox (e.g. where uv keeps interpreters).
    pub sandbox_read_only: Vec<PathBuf>,
    /// Largest total size an uploaded bundle may unpack to, in MiB.
    pub bundle_max_unpacked_mb: u64,
    /// Most files, directories and links an uploaded bundle may hold.
    pub bundle_max_entries: u64,
    /// The `corral-job-exec` program that sets a run's limits and death signal before it
    /// becomes the job. Unset: looked for next to the running program. An empty path turns
    /// it off: runs then start through `fork` with the same set-up, at a higher cost.
    pub job_exec: Option<PathBuf>,
}

impl ExecutorSettings {
    /// The caps applied when a bundle is unpacked into a run.
    pub fn unpack_limits(&self) -> crate::bundle::UnpackLimits {
        crate::bundle::UnpackLimits {
            max_total_bytes: self.bundle_max_unpacked_mb.saturating_mul(1024 * 1024),
            max_entries: self.bundle_max_entries,
        }
    }
}

impl Default for ExecutorSettings {
    fn default() -> Self {
        Self {
            runs_dir: std::env::temp_dir().join("corral-runs"),
            sandbox: SandboxMode::Auto,
            keep_scratch: false,
            limits: DefaultLimits::default(),
            launch: LaunchSettings::default(),
            sandbox_read_only: Vec::new(),
            bundle_max_unpacked_mb: 1024,
            bundle_max_entries: 100_000,
            job_exec: None,
        }
    }
}

/// Cancels a running execution (overlap policy `replace`, shutdown, an operator's click).
#[derive(Debug, Clone, Default)]
pub struct CancelHandle(Arc<Notify>);

impl CancelHandle {
    pub fn new() -> Self {
        Self::default()
    }

    /// Kills the run's process group; works before or after the run started.
    pub fn cancel(&self) {
        self.0.notify_one();
    }
}

/// How one attempt ended.
#[derive(Debug, Clone, PartialEq)]
pub struct Execution {
    pub state: RunState,
    pub started_at: DateTime<Utc>,
    pub finished_at: DateTime<Utc>,
    pub exit_code: Option<i32>,
    pub signal: Option<i32>,
    pub sandbox: Sandboxing,
    pub log: RunLog,
    pub note: Option<String>,
    /// The commit a git source resolved to.
    pub source_commit: Option<String>,
}

impl Execution {
    /// Copies the outcome into `run`.
    pub fn apply_to(self, run: &mut Run) {
        run.state = self.state;
        run.started_at = Some(self.started_at);
        run.finished_at = Some(self.finished_at);
        run.exit_code = self.exit_code;
        run.signal = self.signal;
        run.sandbox = Some(self.sandbox);
        run.log = self.log;
        run.note = self.note;
        run.source_commit = self.source_commit;
    }
}

pub struct LocalExecutor {
    settings: ExecutorSettings,
    bwrap: Result<Bubblewrap, String>,
    sources: Arc<dyn SourceProvider>,
    scratch: ScratchPool,
    /// `corral-job-exec`, or why runs start through `fork` instead.
    job_exec: Result<PathBuf, String>,
}

enum Ended {
    Exited(std::process::ExitStatus),
    TimedOut,
    Cancelled,
    WaitFailed(std::io::Error),
}

impl LocalExecutor {
    /// An executor; probes for bubblewrap once unless sandboxing is off.
    pub fn new(settings: ExecutorSettings, sources: Arc<dyn SourceProvider>) -> Self {
        let bwrap = match settings.sandbox {
            SandboxMode::Off => Err("sandboxing is turned off in the runner's settings".into()),
            _ => Bubblewrap::detect(),
        };
        let job_exec = job_exec::locate(settings.job_exec.as_deref());
        Self {
            scratch: ScratchPool::new(settings.runs_dir.clone()),
            settings,
            bwrap,
            sources,
            job_exec,
        }
    }

    /// Whether runs will be sandboxed, and if not, why.
    pub fn sandboxing(&self) -> Result<&Bubblewrap, &str> {
        self.bwrap.as_ref().map_err(String::as_str)
    }

    /// The `corral-job-exec` program runs start through, or why they start through `fork`.
    pub fn job_exec(&self) -> Result<&std::path::Path, &str> {
        self.job_exec.as_deref().map_err(|reason| reason.as_str())
    }

    /// Runs one attempt of `job` as `run`, with `secrets` (variable name, value) in its
    /// environment; the one named [`SOURCE_TOKEN`], if any, is for fetching its source.
    pub async fn execute(
        &self,
        job: &Job,
        run: &Run,
        secrets: &[(String, SecretValue)],
        cancel: CancelHandle,
    ) -> Execution {
        let (exited, _) = oneshot::channel();
        self.execute_reporting(job, run, secrets, cancel, exited)
            .await
    }

    /// [`LocalExecutor::execute`], also sending the outcome on `exited` the moment the
    /// process has exited — before the rest of its output is collected and its scratch
    /// directory removed — so the caller can store it without waiting for either. The
    /// outcome sent has no log; nothing is sent when the process never started.
    pub async fn execute_reporting(
        &self,
        job: &Job,
        run: &Run,
        secrets: &[(String, SecretValue)],
        cancel: CancelHandle,
        exited: oneshot::Sender<Execution>,
    ) -> Execution {
        let started_at = Utc::now();
        let sandbox = match &self.bwrap {
            Ok(_) => Sandboxing::Bubblewrap {
                network: job.network,
            },
            Err(reason) => Sandboxing::None {
                reason: reason.clone(),
            },
        };
        let dirs = match self.scratch.take(run.id) {
            Ok(dirs) => dirs,
            Err(e) => {
                return Execution {
                    state: RunState::Failed,
                    started_at,
                    finished_at: Utc::now(),
                    exit_code: None,
                    signal: None,
                    sandbox,
                    log: RunLog::default(),
                    note: Some(format!("could not create the run's scratch directory: {e}")),
                    source_commit: None,
                };
            }
        };
        let outcome = self
            .execute_in(
                job, run, secrets, cancel, &dirs, started_at, sandbox, exited,
            )
            .await;
        if !self.settings.keep_scratch {
            self.scratch.give_back(&dirs);
        }
        outcome
    }

    #[allow(clippy::too_many_arguments)]
    async fn execute_in(
        &self,
        job: &Job,
        run: &Run,
        secrets: &[(String, SecretValue)],
        cancel: CancelHandle,
        dirs: &RunDirs,
        started_at: DateTime<Utc>,
        sandbox: Sandboxing,
        exited: oneshot::Sender<Execution>,
    ) -> Execution {
        let fail = |note: String, source_commit: Option<String>| Execution {
            state: RunState::Failed,
            started_at,
            finished_at: Utc::now(),
            exit_code: None,
            signal: None,
            sandbox: sandbox.clone(),
            log: RunLog::default(),
            note: Some(note),
            source_commit,
        };
        if self.settings.sandbox == SandboxMode::Required
            && let Err(reason) = &self.bwrap
        {
            return fail(
                format!("not started: sandboxing is required but {reason}"),
                None,
            );
        }
        let masks = MaskSet::new(
            secrets
                .iter()
                .map(|(name, value)| (name.as_str(), value.expose_secret())),
        );
        let (token, secrets): (Vec<_>, Vec<_>) =
            secrets.iter().partition(|(name, _)| name == SOURCE_TOKEN);
        // Fetching a repository blocks on the network and the disk: off the async workers.
        let sources = self.sources.clone();
        let (source, work) = (job.source.clone(), dirs.work.clone());
        let token = token.first().map(|(_, value)| value.clone());
        let materialised = tokio::task::spawn_blocking(move || {
            sources.materialise_with(&source, token.as_ref(), &work)
        })
        .await;
        let materialised = match materialised {
            Ok(Ok(materialised)) => materialised,
            Ok(Err(e)) => {
                // Nothing here should hold a secret; masked all the same before it is stored.
                return fail(
                    masks.mask_all(&format!("could not prepare the job's files: {e}")),
                    None,
                );
            }
            Err(e) => {
                return fail(
                    format!("could not prepare the job's files: the fetch stopped: {e}"),
                    None,
                );
            }
        };
        let source_commit = materialised.commit.clone();
        let mut plan = match launch::plan(job, run, dirs, &self.settings.launch) {
            Ok(plan) => plan,
            Err(e) => {
                return fail(format!("could not build the command: {e}"), source_commit);
            }
        };
        if let Some(workdir) = &materialised.workdir {
            plan.cwd = plan.cwd.join(workdir);
        }

        let (program, args) = match &self.bwrap {
            Ok(bwrap) => {
                let mut writable = Vec::new();
                if let Some(cache) = &self.settings.launch.uv_cache_dir {
                    writable.push(cache.clone());
                }
                let mut read_only = self.settings.sandbox_read_only.clone();
                // A program given by absolute path outside the system directories (uv in
                // ~/.local/bin) must be visible inside too.
                if plan.program.starts_with('/') {
                    read_only.push(PathBuf::from(&plan.program));
                }
                let args = bwrap.arguments(&plan, dirs, job.network, &read_only, &writable);
                (bwrap.program.display().to_string(), args)
            }
            // Looked up here, in the run's own PATH, rather than by the exec call: the
            // start can then use posix_spawn, and a missing program is named before
            // anything starts.
            Err(_) => match launch::resolve_program(&plan.program, &plan.env, &plan.cwd) {
                Some(path) => (path.display().to_string(), plan.args.clone()),
                None => {
                    return fail(
                        format!(
                            "could not start `{}`: no such program (PATH is `{}`)",
                            plan.program,
                            plan.env.get("PATH").map_or("", String::as_str)
                        ),
                        source_commit,
                    );
                }
            },
        };

        let limits = self.effective_limits(job);
        let mut command = match &self.job_exec {
            // The helper sets the limits and the death signal, then becomes the job; the
            // runner itself needs no code between fork and exec, so the standard library
            // starts the helper with posix_spawn (a vfork-like clone) instead of copying
            // this whole process with fork.
            Ok(helper) => {
                let mut command = tokio::process::Command::new(helper);
                command
                    .args(job_exec::arguments(
                        std::process::id(),
                        limits.cpu_seconds,
                        limits.memory_bytes,
                        limits.open_files,
                    ))
                    .arg(&program)
                    .args(&args);
                command
            }
            Err(_) => {
                let mut command = tokio::process::Command::new(&program);
                command.args(&args);
                // SAFETY: the closure only performs setrlimit and prctl system calls, which
                // are async-signal-safe, and allocates nothing.
                unsafe {
                    command.pre_exec(move || apply_limits(limits));
                }
                command
            }
        };
        command
            .env_clear()
            .envs(&plan.env)
            .envs(secrets.iter().map(|(k, v)| (k.as_str(), v.expose_secret())))
            .current_dir(&plan.cwd)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .process_group(0)
            .kill_on_drop(true);

        let mut child = match command.spawn() {
            Ok(child) => child,
            Err(e) => return fail(format!("could not start `{program}`: {e}"), source_commit),
        };
        let pgid = child
            .id()
            .and_then(|id| rustix::process::Pid::from_raw(id as i32));

        let (tx, mut rx) = mpsc::unbounded_channel::<(LogStream, usize, Vec<u8>, DateTime<Utc>)>();
        let mut readers = Vec::new();
        if let Some(out) = child.stdout.take() {
            readers.push(tokio::spawn(read_stream(
                out,
                LogStream::Stdout,
                masks.clone(),
                tx.clone(),
            )));
        }
        if let Some(err) = child.stderr.take() {
            readers.push(tokio::spawn(read_stream(
                err,
                LogStream::Stderr,
                masks.clone(),
                tx.clone(),
            )));
        }
        drop(tx);
        let mut capture = LogCapture::new(limits.output_bytes);
        let collector = tokio::spawn(async move {
            while let Some((stream, raw, bytes, at)) = rx.recv().await {
                capture.count_raw(raw);
                capture.push(stream, &bytes, at);
            }
            capture
        });

        let timeout = Duration::from_secs(job.timeout_seconds);
        let ended = tokio::select! {
            status = child.wait() => match status {
                Ok(status) => Ended::Exited(status),
                Err(e) => Ended::WaitFailed(e),
            },
            _ = tokio::time::sleep(timeout) => Ended::TimedOut,
            _ = cancel.0.notified() => Ended::Cancelled,
        };
        // Whatever happened, nothing of this run may survive it.
        if let Some(pgid) = pgid {
            let _ = rustix::process::kill_process_group(pgid, rustix::process::Signal::KILL);
        }
        let ended = match ended {
            Ended::TimedOut | Ended::Cancelled => {
                let _ = child.wait().await;
                ended
            }
            other => other,
        };
        let finished_at = Utc::now();
        let (state, exit_code, signal, note) = verdict(&ended, job.timeout_seconds);
        // The outcome goes out first: everything below can wait on pipes and disks.
        let _ = exited.send(Execution {
            state,
            started_at,
            finished_at,
            exit_code,
            signal,
            sandbox: sandbox.clone(),
            log: RunLog::default(),
            note: note.clone(),
            source_commit: source_commit.clone(),
        });

        // Output still buffered in the pipes arrives; a process that escaped the group and
        // holds a pipe open is not waited for beyond a few seconds.
        for reader in readers {
            let abort = reader.abort_handle();
            if tokio::time::timeout(Duration::from_secs(5), reader)
                .await
                .is_err()
            {
                abort.abort();
            }
        }
        let mut capture = collector.await.unwrap_or_else(|_| LogCapture::new(0));
        if let Sandboxing::None { reason } = &sandbox {
            capture.note(format!("[corral] not sandboxed: {reason}"), started_at);
        }
        if let Some(commit) = &source_commit {
            capture.note(format!("[corral] source at commit {commit}"), started_at);
        }
        for notice in &materialised.notices {
            capture.note(masks.mask_all(notice), started_at);
        }
        if let (Ended::TimedOut | Ended::Cancelled, Some(note)) = (&ended, &note) {
            capture.note(format!("[corral] {note}"), finished_at);
        }
        Execution {
            state,
            started_at,
            finished_at,
            exit_code,
            signal,
            sandbox,
            log: capture.finish(finished_at),
            note,
            source_commit,
        }
    }

    fn effective_limits(&self, job: &Job) -> EffectiveLimits {
        let d = &self.settings.limits;
        EffectiveLimits {
            cpu_seconds: job.limits.cpu_seconds.unwrap_or(d.cpu_seconds),
            memory_bytes: job
                .limits
                .memory_mb
                .unwrap_or(d.memory_mb)
                .saturating_mul(1024 * 1024),
            open_files: job.limits.open_files.unwrap_or(d.open_files),
            output_bytes: job.limits.output_bytes.unwrap_or(d.output_bytes),
        }
    }
}

#[derive(Debug, Clone, Copy)]
struct EffectiveLimits {
    cpu_seconds: u64,
    memory_bytes: u64,
    open_files: u64,
    output_bytes: u64,
}

/// Runs in the child between fork and exec when there is no `corral-job-exec` helper; the
/// helper does the same.
fn apply_limits(limits: EffectiveLimits) -> std::io::Result<()> {
    use rustix::process::{Resource, Rlimit, setrlimit};
    let set = |resource, soft: u64, hard: u64| {
        setrlimit(
            resource,
            Rlimit {
                current: Some(soft),
                maximum: Some(hard),
            },
        )
    };
    // SIGXCPU at the soft limit lets a job notice; SIGKILL follows at the hard one.
    set(
        Resource::Cpu,
        limits.cpu_seconds,
        limits.cpu_seconds.saturating_add(5),
    )?;
    set(Resource::As, limits.memory_bytes, limits.memory_bytes)?;
    set(Resource::Nofile, limits.open_files, limits.open_files)?;
    set(Resource::Core, 0, 0)?;
    #[cfg(target_os = "linux")]
    rustix::process::set_parent_process_death_signal(Some(rustix::process::Signal::KILL))?;
    Ok(())
}

/// State, exit code, signal and note of an attempt that ended as `ended`.
fn verdict(
    ended: &Ended,
    timeout_seconds: u64,
) -> (RunState, Option<i32>, Option<i32>, Option<String>) {
    match ended {
        Ended::Exited(status) => {
            use std::os::unix::process::ExitStatusExt;
            match (status.code(), status.signal()) {
                (Some(0), _) => (RunState::Succeeded, Some(0), None, None),
                (Some(code), _) => (
                    RunState::Failed,
                    Some(code),
                    None,
                    Some(format!("exited with status {code}")),
                ),
                (None, Some(sig)) => (
                    RunState::Failed,
                    None,
                    Some(sig),
                    Some(format!("killed by signal {sig}{}", signal_hint(sig))),
                ),
                (None, None) => (
                    RunState::Failed,
                    None,
                    None,
                    Some("ended without a status".into()),
                ),
            }
        }
        Ended::TimedOut => (
            RunState::TimedOut,
            None,
            Some(9),
            Some(format!(
                "killed after the timeout of {timeout_seconds} s (the whole process group)"
            )),
        ),
        Ended::Cancelled => (
            RunState::Cancelled,
            None,
            Some(9),
            Some("cancelled: the process group was killed".into()),
        ),
        Ended::WaitFailed(e) => (
            RunState::Failed,
            None,
            None,
            Some(format!("lost track of the process: {e}")),
        ),
    }
}

fn signal_hint(signal: i32) -> &'static str {
    match signal {
        9 => " (SIGKILL: out of memory, or the CPU time limit)",
        24 => " (SIGXCPU: the CPU time limit was reached)",
        11 => " (SIGSEGV: a crash, or the memory limit)",
        _ => "",
    }
}

async fn read_stream(
    mut pipe: impl tokio::io::AsyncRead + Unpin,
    stream: LogStream,
    masks: MaskSet,
    tx: mpsc::UnboundedSender<(LogStream, usize, Vec<u8>, DateTime<Utc>)>,
) {
    let mut masker = masks.stream();
    let mut buf = vec![0u8; 16 * 1024];
    loop {
        match pipe.read(&mut buf).await {
            Ok(0) | Err(_) => break,
            Ok(n) => {
                let masked = masker.push(&buf[..n]);
                if tx.send((stream, n, masked, Utc::now())).is_err() {
                    return;
                }
            }
        }
    }
    let rest = masker.finish();
    let _ = tx.send((stream, 0, rest, Utc::now()));
}
