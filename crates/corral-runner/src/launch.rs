//! The exact program, arguments and environment a run starts with.
//!
//! Building the command line is separated from starting it so that what a job *would* run
//! can be shown (`corral jobs check`) and tested without running anything.
//!
//! The environment is built from nothing: a fixed `PATH`, a private `HOME` and `TMPDIR`
//! inside the run's scratch directory, a UTF-8 locale, the `CORRAL_*` facts about the run,
//! then the job's own variables. Nothing of the runner's own environment leaks in (its
//! database URL, its master key). Secret values are added by the executor at spawn time and
//! appear only in the child's environment, never in its arguments, where any local user
//! could read them from `/proc`.
//!
//! Python jobs run through `uv run` with their pinned dependencies: `uv.lock` with
//! `--locked` (fail rather than resolve anew when the lock is stale), a requirements file
//! with `--with-requirements`, or the script's PEP 723 block with `--script`. Interpreter
//! downloads are off (`UV_PYTHON_DOWNLOADS=never`): a job uses the interpreters the
//! operator installed, and the package index comes from the runner's configuration (the
//! package gate), never from a built-in address.

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::records::{Job, PythonDependencies, Run, Runtime};

/// Runner-wide settings that shape every launch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LaunchSettings {
    /// `PATH` inside every run.
    pub path: String,
    /// The `uv` program (a name looked up in `path`, or an absolute path).
    pub uv: String,
    /// Shared uv cache, so each run does not download its wheels again.
    pub uv_cache_dir: Option<PathBuf>,
    /// Package index for Python jobs (typically Corral's package gate).
    pub python_index_url: Option<String>,
}

impl Default for LaunchSettings {
    fn default() -> Self {
        Self {
            path: "/usr/local/bin:/usr/bin:/bin".into(),
            uv: "uv".into(),
            uv_cache_dir: None,
            python_index_url: None,
        }
    }
}

/// The directories of one run, all inside its scratch directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunDirs {
    pub root: PathBuf,
    /// The job's files, and its working directory.
    pub work: PathBuf,
    pub home: PathBuf,
    pub tmp: PathBuf,
}

impl RunDirs {
    pub fn under(root: PathBuf) -> Self {
        Self {
            work: root.join("work"),
            home: root.join("home"),
            tmp: root.join("tmp"),
            root,
        }
    }
}

/// What to start, before sandboxing wraps it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LaunchPlan {
    pub program: String,
    pub args: Vec<String>,
    /// Every variable except secrets.
    pub env: BTreeMap<String, String>,
    /// Names of the variables the executor fills from secrets.
    pub secret_env: Vec<String>,
    pub cwd: PathBuf,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LaunchError {
    #[error("the job's command is empty")]
    EmptyCommand,
    #[error("requirements file `{0}` must be a relative path inside the job's source")]
    RequirementsOutsideSource(String),
    #[error("inline (PEP 723) dependencies need a command that starts with the script path")]
    InlineNeedsScript,
}

/// The launch plan of `run` of `job`.
pub fn plan(
    job: &Job,
    run: &Run,
    dirs: &RunDirs,
    settings: &LaunchSettings,
) -> Result<LaunchPlan, LaunchError> {
    if job.command.is_empty() {
        return Err(LaunchError::EmptyCommand);
    }
    let mut env = BTreeMap::new();
    env.insert("PATH".to_string(), settings.path.clone());
    env.insert("HOME".into(), dirs.home.display().to_string());
    env.insert("TMPDIR".into(), dirs.tmp.display().to_string());
    env.insert("LANG".into(), "C.UTF-8".into());
    env.insert("CORRAL_RUN_ID".into(), run.id.to_string());
    env.insert("CORRAL_JOB".into(), job.name.clone());
    env.insert("CORRAL_ATTEMPT".into(), run.attempt.to_string());
    env.insert("CORRAL_TRIGGER".into(), run.trigger.as_str().into());
    if let Some(slot) = run.slot {
        env.insert("CORRAL_SLOT".into(), slot.to_rfc3339());
    }

    let argv = job.command.argv();
    let (program, args) = match &job.runtime {
        Runtime::Command => (argv[0].clone(), argv[1..].to_vec()),
        Runtime::Python {
            python,
            dependencies,
        } => {
            env.insert("UV_PYTHON_DOWNLOADS".into(), "never".into());
            env.insert("UV_NO_PROGRESS".into(), "1".into());
            env.insert("PYTHONUNBUFFERED".into(), "1".into());
            if let Some(cache) = &settings.uv_cache_dir {
                env.insert("UV_CACHE_DIR".into(), cache.display().to_string());
            }
            if let Some(index) = &settings.python_index_url {
                env.insert("UV_DEFAULT_INDEX".into(), index.clone());
            }
            let mut args = vec!["run".to_string()];
            if let Some(version) = python {
                args.extend(["--python".into(), version.clone()]);
            }
            match dependencies {
                PythonDependencies::UvLock => {
                    args.push("--locked".into());
                    args.push("--".into());
                    args.extend(argv);
                }
                PythonDependencies::Requirements(file) => {
                    if !is_inside(Path::new(file)) {
                        return Err(LaunchError::RequirementsOutsideSource(file.clone()));
                    }
                    args.extend(["--no-project".into(), "--with-requirements".into()]);
                    args.push(file.clone());
                    args.push("--".into());
                    args.extend(argv);
                }
                PythonDependencies::Inline => {
                    if !argv[0].ends_with(".py") {
                        return Err(LaunchError::InlineNeedsScript);
                    }
                    args.push("--script".into());
                    args.extend(argv);
                }
                PythonDependencies::None => {
                    args.push("--no-project".into());
                    args.push("--".into());
                    args.extend(argv);
                }
            }
            (settings.uv.clone(), args)
        }
    };
    // The job's own variables come last and may override PATH or LANG, not the CORRAL_ facts.
    for (name, value) in &job.env {
        if !name.starts_with("CORRAL_") {
            env.insert(name.clone(), value.clone());
        }
    }
    Ok(LaunchPlan {
        program,
        args,
        env,
        secret_env: job.secrets.keys().cloned().collect(),
        cwd: dirs.work.clone(),
    })
}

/// Where `program` is, looked up as `execvp` would in the run: a name with a `/` relative to
/// the working directory `cwd`, a bare name in the `PATH` of the run's environment `env`.
/// `None` when there is no executable file there.
pub fn resolve_program(
    program: &str,
    env: &BTreeMap<String, String>,
    cwd: &Path,
) -> Option<PathBuf> {
    let executable = |path: &Path| {
        use std::os::unix::fs::PermissionsExt;
        std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
    };
    if program.contains('/') {
        let path = cwd.join(program);
        return executable(&path).then_some(path);
    }
    env.get("PATH")?
        .split(':')
        .map(|dir| {
            cwd.join(if dir.is_empty() { "." } else { dir })
                .join(program)
        })
        .find(|candidate| executable(candidate))
}

/// A relative path that does not climb out of its base.
fn is_inside(path: &Path) -> bool {
    path.components()
        .all(|c| matches!(c, Component::Normal(_) | Component::CurDir))
        && path.components().next().is_some()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::records::{CommandLine, Trigger};

    fn fixture(runtime: Runtime, command: CommandLine) -> (Job, Run, RunDirs) {
        let mut job = Job::new("pipeline-report", command);
        job.runtime = runtime;
        job.env.insert("REGION".into(), "emea".into());
        job.env.insert("CORRAL_JOB".into(), "spoofed".into());
        job.secrets.insert("CRM_TOKEN".into(), "crm-token".into());
        let mut run = Run::queued(job.id, &job.name, Trigger::Manual, None, chrono::Utc::now());
        run.id = uuid::Uuid::nil();
        (job, run, RunDirs::under("/var/lib/corral/runs/r1".into()))
    }

    fn settings() -> LaunchSettings {
        LaunchSettings {
            uv_cache_dir: Some("/var/cache/corral/uv".into()),
            python_index_url: Some("http://gate.internal:8080/simple".into()),
            ..LaunchSettings::default()
        }
    }

    fn line(plan: &LaunchPlan) -> String {
        std::iter::once(plan.program.as_str())
            .chain(plan.args.iter().map(String::as_str))
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn a_plain_command_runs_as_written_in_a_clean_environment() {
        let (job, run, dirs) = fixture(
            Runtime::Command,
            CommandLine::Argv(vec!["./sync.sh".into(), "--full".into()]),
        );
        let plan = plan(&job, &run, &dirs, &settings()).unwrap();
        assert_eq!(line(&plan), "./sync.sh --full");
        assert_eq!(plan.cwd, PathBuf::from("/var/lib/corral/runs/r1/work"));
        insta::assert_json_snapshot!("plain_command_env", plan.env);
        assert_eq!(plan.secret_env, ["CRM_TOKEN"]);
    }

    #[test]
    fn a_uv_lock_project_runs_with_the_lock_enforced_and_no_python_downloads() {
        let (job, run, dirs) = fixture(
            Runtime::Python {
                python: Some("3.12".into()),
                dependencies: PythonDependencies::UvLock,
            },
            CommandLine::Argv(vec!["python".into(), "report.py".into()]),
        );
        let plan = plan(&job, &run, &dirs, &settings()).unwrap();
        assert_eq!(
            line(&plan),
            "uv run --python 3.12 --locked -- python report.py"
        );
        assert_eq!(plan.env["UV_PYTHON_DOWNLOADS"], "never");
        assert_eq!(
            plan.env["UV_DEFAULT_INDEX"],
            "http://gate.internal:8080/simple"
        );
        assert_eq!(plan.env["UV_CACHE_DIR"], "/var/cache/corral/uv");
    }

    #[test]
    fn a_requirements_file_is_passed_to_uv_and_may_not_leave_the_source() {
        let runtime = |file: &str| Runtime::Python {
            python: None,
            dependencies: PythonDependencies::Requirements(file.into()),
        };
        let cmd = CommandLine::Argv(vec!["python".into(), "sync.py".into()]);
        let (job, run, dirs) = fixture(runtime("requirements.txt"), cmd.clone());
        assert_eq!(
            line(&plan(&job, &run, &dirs, &settings()).unwrap()),
            "uv run --no-project --with-requirements requirements.txt -- python sync.py"
        );
        for bad in ["../other/requirements.txt", "/etc/requirements.txt"] {
            let (job, run, dirs) = fixture(runtime(bad), cmd.clone());
            assert_eq!(
                plan(&job, &run, &dirs, &settings()),
                Err(LaunchError::RequirementsOutsideSource(bad.into()))
            );
        }
    }

    #[test]
    fn a_pep_723_script_runs_with_uv_script() {
        let (job, run, dirs) = fixture(
            Runtime::Python {
                python: None,
                dependencies: PythonDependencies::Inline,
            },
            CommandLine::Argv(vec!["scrape.py".into(), "--since".into(), "7d".into()]),
        );
        assert_eq!(
            line(&plan(&job, &run, &dirs, &settings()).unwrap()),
            "uv run --script scrape.py --since 7d"
        );
    }

    #[test]
    fn programs_are_found_as_exec_would_find_them_in_the_run() {
        let dir = tempfile::tempdir().unwrap();
        let bin = dir.path().join("bin");
        std::fs::create_dir(&bin).unwrap();
        std::fs::write(bin.join("report"), "#!/bin/sh\n").unwrap();
        std::fs::write(bin.join("notes.txt"), "").unwrap();
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(bin.join("report"), std::fs::Permissions::from_mode(0o755))
            .unwrap();
        let env = BTreeMap::from([(
            "PATH".to_string(),
            format!("/nonexistent:{}", bin.display()),
        )]);
        assert_eq!(
            resolve_program("report", &env, Path::new("/")),
            Some(bin.join("report"))
        );
        assert_eq!(
            resolve_program("./bin/report", &env, dir.path()),
            Some(dir.path().join("./bin/report"))
        );
        assert_eq!(
            resolve_program("sh", &BTreeMap::new(), dir.path()),
            None,
            "no PATH, no lookup"
        );
        assert_eq!(resolve_program("notes.txt", &env, Path::new("/")), None);
        assert_eq!(
            resolve_program("/nonexistent/report", &env, dir.path()),
            None
        );
    }

    #[test]
    fn secret_values_never_appear_in_the_plan() {
        let (job, run, dirs) = fixture(Runtime::Command, CommandLine::Shell("env".into()));
        let plan = plan(&job, &run, &dirs, &settings()).unwrap();
        assert!(!plan.env.contains_key("CRM_TOKEN"));
        assert!(!serde_json::to_string(&plan).unwrap().contains("crm-token"));
    }
}
