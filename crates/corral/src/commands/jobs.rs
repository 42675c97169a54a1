//! `corral jobs`: job definitions on this machine — import them from a laptop's schedulers,
//! check a jobs file, and run one job now with the same executor the server uses — and on
//! a Corral server (see `jobs_remote.rs`).

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{Context, Result, bail};
use clap::{Args, Subcommand, ValueEnum};
use corral_runner::cron_schedule::{CronSchedule, ScheduleError};
use corral_runner::executor::{CancelHandle, ExecutorSettings, LocalExecutor};
use corral_runner::import::{ImportOptions, import_file};
use corral_runner::records::{Job, LogStream, Run, RunState, Trigger};
use corral_runner::sandbox::SandboxMode;
use corral_runner::secret_source::LocalSecrets;
use corral_runner::source::StoredSources;
use corral_secretbox::{MASTER_KEY_ENV, MasterKey, SecretFile};

use crate::global::GlobalArgs;

#[derive(Debug, Args)]
pub struct JobsArgs {
    #[command(flatten)]
    server: corral_client::ServerArgs,

    #[command(subcommand)]
    command: JobsCommand,
}

#[derive(Debug, Subcommand)]
enum JobsCommand {
    /// Turn a crontab, a Windows Task Scheduler export (XML), a launchd plist or a systemd
    /// timer into job definitions to review; prints what could not be translated and why.
    Import(ImportArgs),
    /// Check a jobs file: report mistakes by job and field, show each job's next runs.
    Check(CheckArgs),
    /// Run one job from a jobs file now, sandboxed, with its secrets, and print its log.
    Run(RunArgs),
    #[command(flatten)]
    Server(super::jobs_remote::RemoteCommand),
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum ImportFormat {
    Toml,
    Json,
}

#[derive(Debug, Args)]
struct ImportArgs {
    /// The file to import: `crontab -l` output, `schtasks /query /xml` output, a `.plist`,
    /// or a `.timer` (its `.service` is read from beside it).
    file: PathBuf,
    /// The time zone the laptop was in (IANA name, e.g. Europe/Berlin): crontabs, Task
    /// Scheduler and launchd use local time.
    #[arg(long, default_value = "UTC", value_name = "ZONE")]
    timezone: String,
    /// The systemd service the timer starts, when it is not beside the timer file.
    #[arg(long, value_name = "FILE")]
    service: Option<PathBuf>,
    /// Output: TOML job definitions (to save as a jobs file) or the full report as JSON.
    #[arg(long, value_enum, default_value = "toml")]
    format: ImportFormat,
}

#[derive(Debug, Args)]
struct CheckArgs {
    /// A TOML file with `[[job]]` tables.
    file: PathBuf,
}

#[derive(Debug, Args)]
struct RunArgs {
    /// A TOML file with `[[job]]` tables.
    file: PathBuf,
    /// The name of the job to run.
    name: String,
    /// Sandboxing: `auto` uses bubblewrap when it works here, `required` refuses to run
    /// without it, `off` never sandboxes.
    #[arg(long, value_enum)]
    sandbox: Option<SandboxChoice>,
    /// Keep the run's scratch directory afterwards (to inspect what the job wrote).
    #[arg(long)]
    keep_scratch: bool,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum SandboxChoice {
    Auto,
    Required,
    Off,
}

#[derive(serde::Deserialize)]
struct JobsFile {
    #[serde(default)]
    job: Vec<Job>,
}

pub fn run(args: JobsArgs, global: &GlobalArgs) -> Result<ExitCode> {
    match args.command {
        JobsCommand::Import(a) => import(a),
        JobsCommand::Check(a) => check(a),
        JobsCommand::Run(a) => run_one(a, global),
        JobsCommand::Server(command) => {
            super::jobs_remote::run(args.server.client()?, command, load_jobs)
        }
    }
}

fn import(args: ImportArgs) -> Result<ExitCode> {
    if let Err(e @ ScheduleError::UnknownTimeZone(_)) =
        CronSchedule::parse("0 0 * * *", &args.timezone)
    {
        bail!("{e}");
    }
    let options = ImportOptions {
        timezone: args.timezone,
        service_file: args.service,
    };
    let report = import_file(&args.file, &options)?;
    match args.format {
        ImportFormat::Toml => print!("{}", report.to_toml()),
        ImportFormat::Json => println!("{}", serde_json::to_string_pretty(&report)?),
    }
    eprintln!(
        "{}: {} job(s) to review, {} item(s) not translated",
        args.file.display(),
        report.jobs.len(),
        report.untranslated.len()
    );
    for u in &report.untranslated {
        eprintln!("  not translated: {}: {} — {}", u.origin, u.item, u.reason);
    }
    Ok(ExitCode::SUCCESS)
}

fn load_jobs(path: &Path) -> Result<Vec<Job>> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let file: JobsFile =
        toml::from_str(&text).with_context(|| format!("cannot parse {}", path.display()))?;
    Ok(file.job)
}

fn check(args: CheckArgs) -> Result<ExitCode> {
    let jobs = load_jobs(&args.file)?;
    let mut bad = 0;
    for job in &jobs {
        let problems = job.validate();
        if !problems.is_empty() {
            bad += 1;
            println!("{}: invalid", job.name);
            for p in problems {
                println!("  {p}");
            }
            continue;
        }
        match &job.schedule {
            None => println!("{}: manual runs only", job.name),
            Some(s) => {
                let schedule = CronSchedule::parse(&s.cron, &s.timezone)?;
                let mut at = chrono::Utc::now();
                let mut next = Vec::new();
                for _ in 0..3 {
                    let Some(slot) = schedule.next_after(at) else {
                        break;
                    };
                    next.push(
                        slot.with_timezone(&schedule.zone())
                            .format("%a %Y-%m-%d %H:%M %Z")
                            .to_string(),
                    );
                    at = slot;
                }
                println!(
                    "{}: `{}` in {}; next: {}",
                    job.name,
                    s.cron,
                    s.timezone,
                    next.join(", ")
                );
            }
        }
    }
    println!("{} job(s), {} invalid", jobs.len(), bad);
    Ok(if bad == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// Prints a run's captured log, one line per entry: time, stream, text.
pub(crate) fn print_log(run: &Run) {
    for line in &run.log.lines {
        let tag = match line.stream {
            LogStream::Stdout => "out",
            LogStream::Stderr => "err",
            LogStream::Runner => "corral",
        };
        println!(
            "{} {tag:>6} | {}",
            line.at.format("%H:%M:%S%.3f"),
            line.text
        );
    }
}

fn run_one(args: RunArgs, global: &GlobalArgs) -> Result<ExitCode> {
    let jobs = load_jobs(&args.file)?;
    let job = jobs
        .into_iter()
        .find(|j| j.name == args.name)
        .with_context(|| format!("no job named `{}` in {}", args.name, args.file.display()))?;
    let problems = job.validate();
    if !problems.is_empty() {
        let list: Vec<String> = problems.iter().map(ToString::to_string).collect();
        bail!("job `{}` is invalid: {}", job.name, list.join("; "));
    }
    let data_dir = global.data_dir();
    let config =
        crate::config::ConfigFile::load(global.config.as_deref(), &data_dir.join("corral.toml"))?;
    let mut settings: ExecutorSettings = config.section("runner")?;
    if settings.runs_dir == ExecutorSettings::default().runs_dir {
        settings.runs_dir = data_dir.join("runs");
    }
    if let Some(choice) = args.sandbox {
        settings.sandbox = match choice {
            SandboxChoice::Auto => SandboxMode::Auto,
            SandboxChoice::Required => SandboxMode::Required,
            SandboxChoice::Off => SandboxMode::Off,
        };
    }
    settings.keep_scratch |= args.keep_scratch;

    let wanted = job.secret_references();
    let secrets = if wanted.is_empty() {
        Vec::new()
    } else {
        let master = MasterKey::resolve(std::env::var(MASTER_KEY_ENV).ok().as_deref(), &data_dir)?;
        let file = SecretFile::open(&data_dir.join("secrets.json"))?;
        LocalSecrets::new(file, master)
            .resolve(&wanted)
            .map_err(anyhow::Error::msg)?
    };
    let limits = settings.unpack_limits();
    let executor = LocalExecutor::new(settings, Arc::new(StoredSources::new(&data_dir, limits)));
    let mut run = Run::queued(job.id, &job.name, Trigger::Manual, None, chrono::Utc::now());
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let execution = runtime.block_on(executor.execute(&job, &run, &secrets, CancelHandle::new()));
    execution.apply_to(&mut run);
    print_log(&run);
    let duration = run
        .duration()
        .map(|d| format!("{:.1} s", d.num_milliseconds() as f64 / 1000.0))
        .unwrap_or_default();
    eprintln!(
        "run {} of {}: {:?} in {duration}{}",
        run.id,
        job.name,
        run.state,
        run.note
            .as_deref()
            .map(|n| format!(" ({n})"))
            .unwrap_or_default()
    );
    Ok(if run.state == RunState::Succeeded {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
