//! `corral-job-exec`, the helper every run starts through, as the `corral` package builds it:
//! it lies beside `corral`, where a runner node finds it, sets the run's limits and death
//! signal, and refuses to start a job whose runner is gone.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::Arc;

use corral_runner::executor::{CancelHandle, ExecutorSettings, LocalExecutor};
use corral_runner::records::{CommandLine, Job, Run, RunState, Trigger};
use corral_runner::sandbox::SandboxMode;
use corral_runner::source::LocalSources;

fn job(name: &str, script: &str) -> Job {
    let mut job = Job::new(name, CommandLine::Shell(script.into()));
    job.timeout_seconds = 60;
    job
}

fn run_of(job: &Job) -> Run {
    Run::queued(job.id, &job.name, Trigger::Manual, None, chrono::Utc::now())
}

#[test]
fn a_runner_node_started_from_the_built_corral_finds_the_helper_beside_it() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_corral"))
        .args(["runner", "-v", "--data-dir"])
        .arg(dir.path())
        .env_remove("CORRAL_DATABASE_URL")
        .env_remove("CORRAL_CONFIG")
        .env_remove("CORRAL_MASTER_KEY")
        .env_remove("RUST_LOG")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut said = String::new();
    for line in BufReader::new(child.stderr.take().unwrap()).lines() {
        let line = line.unwrap();
        let done = line.contains("runs start through");
        said.push_str(&line);
        said.push('\n');
        if done {
            break;
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    let beside = Path::new(env!("CARGO_BIN_EXE_corral")).with_file_name("corral-job-exec");
    assert_eq!(beside, Path::new(env!("CARGO_BIN_EXE_corral-job-exec")));
    assert!(
        said.contains("runs start through corral-job-exec")
            && said.contains(&beside.display().to_string()),
        "{said}"
    );
}

/// The helper these tests start runs through, as cargo built it.
const JOB_EXEC: &str = env!("CARGO_BIN_EXE_corral-job-exec");

fn executor_starting_with(dir: &Path, job_exec: &str) -> LocalExecutor {
    let settings = ExecutorSettings {
        runs_dir: dir.join("runs"),
        sandbox: SandboxMode::Off,
        job_exec: Some(job_exec.into()),
        ..ExecutorSettings::default()
    };
    LocalExecutor::new(settings, Arc::new(LocalSources))
}

#[tokio::test]
async fn limits_and_group_kills_hold_whether_runs_start_through_the_helper_or_fork() {
    for (how, helper) in [("helper", JOB_EXEC), ("fork", "")] {
        let dir = tempfile::tempdir().unwrap();
        let exec = executor_starting_with(dir.path(), helper);
        assert_eq!(exec.job_exec().is_ok(), how == "helper", "{how}");

        let mut limited = job("limits", "ulimit -n; ulimit -t; ulimit -v; ulimit -c");
        limited.limits.open_files = Some(64);
        limited.limits.cpu_seconds = Some(30);
        limited.limits.memory_mb = Some(512);
        let outcome = exec
            .execute(&limited, &run_of(&limited), &[], CancelHandle::new())
            .await;
        let lines: Vec<_> = outcome.log.lines.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(&lines[..4], ["64", "30", "524288", "0"], "{how}: {lines:?}");

        let mut hangs = job("hangs", "sleep 300 & echo $!; sleep 300");
        hangs.timeout_seconds = 1;
        let outcome = exec
            .execute(&hangs, &run_of(&hangs), &[], CancelHandle::new())
            .await;
        assert_eq!(outcome.state, RunState::TimedOut, "{how}");
        let pid: u32 = outcome.log.lines[0].text.trim().parse().unwrap();
        assert!(
            dies(pid),
            "{how}: background process {pid} outlived the run"
        );

        let typo = Job::new("typo", CommandLine::Argv(vec!["no-such-report".into()]));
        let outcome = exec
            .execute(&typo, &run_of(&typo), &[], CancelHandle::new())
            .await;
        assert_eq!(outcome.state, RunState::Failed, "{how}");
        let note = outcome.note.unwrap();
        assert!(
            note.contains("could not start `no-such-report`: no such program"),
            "{how}: {note}"
        );
    }
}

/// Whether process `pid` still exists (and is not a zombie waiting to be reaped).
fn alive(pid: u32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|stat| !stat.contains(") Z "))
}

/// Whether process `pid`, sent SIGKILL already, is gone within ten seconds: the signal is
/// delivered when the process next runs, which on a loaded machine is not immediate. A
/// process that escaped the kill stays alive and fails the caller's assertion.
fn dies(pid: u32) -> bool {
    for _ in 0..500 {
        if !alive(pid) {
            return true;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    false
}

#[test]
fn the_helper_kills_the_job_when_the_process_that_started_it_dies() {
    // A shell plays the runner: it starts the helper in the background with its own pid,
    // prints the job's pid, and exits; the job (a long sleep) must die with it.
    let output = std::process::Command::new("/bin/sh")
        .arg("-c")
        .arg(r#""$0" $$ 60 1073741824 64 /bin/sleep 300 >/dev/null & echo $!; sleep 0.3"#)
        .arg(JOB_EXEC)
        .output()
        .unwrap();
    let pid: u32 = String::from_utf8_lossy(&output.stdout)
        .trim()
        .parse()
        .unwrap();
    assert!(dies(pid), "job {pid} outlived the process that started it");
}

#[test]
fn the_helper_refuses_to_start_a_job_whose_runner_is_already_gone() {
    // Pid 1 is nobody's runner here: the helper's parent is this test.
    let output = std::process::Command::new(JOB_EXEC)
        .args(["1", "60", "1073741824", "64", "/bin/echo", "ran"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(126));
    assert!(output.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr
            .contains("[corral] could not start the job: the runner exited before the job started"),
        "{stderr}"
    );
}
