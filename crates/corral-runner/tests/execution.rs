//! The local executor against real processes: secrets never reach the stored log, timeouts
//! kill whole process groups, the environment is clean, and bubblewrap isolates when present.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use corral_runner::executor::{CancelHandle, ExecutorSettings, LocalExecutor};
use corral_runner::records::{CommandLine, Job, LogStream, Run, RunState, Sandboxing, Trigger};
use corral_runner::sandbox::SandboxMode;
use corral_runner::source::LocalSources;
use corral_secretbox::SecretValue;

const SECRET: &str = "s3cr\"et/v@lue+9Zq4Lm8Tt2Vb";

fn executor(dir: &Path, sandbox: SandboxMode) -> LocalExecutor {
    let settings = ExecutorSettings {
        runs_dir: dir.join("runs"),
        sandbox,
        ..ExecutorSettings::default()
    };
    LocalExecutor::new(settings, Arc::new(LocalSources))
}

fn job(name: &str, script: &str) -> Job {
    let mut job = Job::new(name, CommandLine::Shell(script.into()));
    job.timeout_seconds = 60;
    job
}

fn run_of(job: &Job) -> Run {
    Run::queued(job.id, &job.name, Trigger::Manual, None, chrono::Utc::now())
}

fn secrets() -> Vec<(String, SecretValue)> {
    vec![("API_TOKEN".into(), SecretValue::new(SECRET))]
}

#[tokio::test]
async fn a_secret_printed_by_a_job_in_any_common_form_never_reaches_the_stored_log() {
    let dir = tempfile::tempdir().unwrap();
    let exec = executor(dir.path(), SandboxMode::Off);
    let mut script = String::from(
        r#"
        echo "plain: $API_TOKEN"
        echo "to stderr: $API_TOKEN" >&2
        printf 'base64: '; printf '%s' "$API_TOKEN" | base64 -w0; echo
        printf 'basic: '; printf 'robot:%s' "$API_TOKEN" | base64 -w0; echo
        printf 'split: '; printf '%s' "$API_TOKEN" | head -c 9; sleep 0.3; printf '%s' "$API_TOKEN" | tail -c +10; echo
        "#,
    );
    if Path::new("/usr/bin/python3").exists() {
        script.push_str(
            r#"
        /usr/bin/python3 -c 'import os,json,urllib.parse as u; t=os.environ["API_TOKEN"]; print("json:", json.dumps({"token": t})); print("url:", u.quote(t, safe="")); print("form:", u.urlencode({"t": t}))'
        "#,
        );
    } else {
        println!(
            "note: /usr/bin/python3 is missing; the JSON and URL forms are covered by unit tests only"
        );
    }
    script.push_str("echo done\n");
    let job = job("leaky", &script);
    let run = run_of(&job);
    let outcome = exec
        .execute(&job, &run, &secrets(), CancelHandle::new())
        .await;
    assert_eq!(
        outcome.state,
        RunState::Succeeded,
        "{:?}",
        outcome.log.text()
    );

    let stored = serde_json::to_string(&outcome.log).unwrap();
    let text = outcome.log.text();
    for needle in [SECRET, "9Zq4Lm8Tt2Vb", "9Zq4Lm8T"] {
        assert!(
            !stored.contains(needle),
            "`{needle}` leaked into the log:\n{text}"
        );
    }
    assert!(text.contains("plain: [masked API_TOKEN]"), "{text}");
    assert!(text.contains("split: [masked API_TOKEN]"), "{text}");
    assert!(text.contains("done"), "{text}");
    let masked_lines = outcome
        .log
        .lines
        .iter()
        .filter(|l| l.text.contains("[masked API_TOKEN]"))
        .count();
    let expected = if Path::new("/usr/bin/python3").exists() {
        8
    } else {
        5
    };
    assert_eq!(masked_lines, expected, "{text}");
    assert!(
        outcome
            .log
            .lines
            .iter()
            .any(|l| l.stream == LogStream::Stderr && l.text == "to stderr: [masked API_TOKEN]")
    );
}

#[tokio::test]
async fn secrets_are_in_the_environment_and_never_on_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let exec = executor(dir.path(), SandboxMode::Off);
    // The job inspects its own command line: the value must not be there.
    let job = job(
        "argv-check",
        r#"case "$(tr '\0' ' ' < /proc/$$/cmdline)" in *"$API_TOKEN"*) echo IN-ARGV;; *) echo clean-argv;; esac
           test -n "$API_TOKEN" && echo has-env"#,
    );
    let outcome = exec
        .execute(&job, &run_of(&job), &secrets(), CancelHandle::new())
        .await;
    let text = outcome.log.text();
    assert!(
        text.contains("clean-argv") && text.contains("has-env"),
        "{text}"
    );
}

#[tokio::test]
async fn a_run_sees_only_its_clean_environment_and_its_own_scratch_directory() {
    let dir = tempfile::tempdir().unwrap();
    let exec = executor(dir.path(), SandboxMode::Off);
    let mut job = job("env-check", "env | sort; pwd; touch made-here");
    job.env.insert("REGION".into(), "emea".into());
    let run = run_of(&job);
    // SAFETY: tests in this binary do not read this variable concurrently.
    unsafe { std::env::set_var("CORRAL_DATABASE_URL", "postgres://runner-only") };
    let outcome = exec.execute(&job, &run, &[], CancelHandle::new()).await;
    let text = outcome.log.text();
    assert!(
        !text.contains("runner-only"),
        "the runner's environment leaked:\n{text}"
    );
    assert!(text.contains("REGION=emea"), "{text}");
    assert!(
        text.contains(&format!("CORRAL_RUN_ID={}", run.id)),
        "{text}"
    );
    let names: Vec<&str> = text
        .lines()
        .filter_map(|l| l.split_once('=').map(|(k, _)| k))
        .filter(|k| !k.starts_with("CORRAL_"))
        // Variables the shell itself sets, which differ between shells.
        .filter(|k| !matches!(*k, "PWD" | "OLDPWD" | "SHLVL" | "_"))
        .collect();
    assert_eq!(
        names,
        ["HOME", "LANG", "PATH", "REGION", "TMPDIR"],
        "{text}"
    );
    assert!(text.contains(&format!("{}/work", run.id)), "{text}");
    assert!(
        !dir.path().join("runs").join(run.id.to_string()).exists(),
        "the scratch directory is removed after the run"
    );
}

#[tokio::test]
async fn a_timeout_kills_the_whole_process_group() {
    let dir = tempfile::tempdir().unwrap();
    let exec = executor(dir.path(), SandboxMode::Off);
    let mut job = job("hangs", "sleep 300 & echo $!; sleep 300");
    job.timeout_seconds = 1;
    let outcome = exec
        .execute(&job, &run_of(&job), &[], CancelHandle::new())
        .await;
    assert_eq!(outcome.state, RunState::TimedOut);
    let text = outcome.log.text();
    assert!(text.contains("killed after the timeout of 1 s"), "{text}");
    let pid: u32 = outcome.log.lines[0]
        .text
        .trim()
        .parse()
        .expect("the background pid");
    let alive = std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .map(|stat| !stat.contains(") Z "))
        .unwrap_or(false);
    assert!(!alive, "background process {pid} outlived the run");
}

#[tokio::test]
async fn cancelling_a_run_kills_it_and_records_the_cancellation() {
    let dir = tempfile::tempdir().unwrap();
    let exec = executor(dir.path(), SandboxMode::Off);
    let job = job("long", "sleep 300");
    let cancel = CancelHandle::new();
    cancel.cancel();
    let outcome = exec.execute(&job, &run_of(&job), &[], cancel).await;
    assert_eq!(outcome.state, RunState::Cancelled);
}

#[tokio::test]
async fn exit_codes_and_resource_limits_are_recorded() {
    let dir = tempfile::tempdir().unwrap();
    let exec = executor(dir.path(), SandboxMode::Off);
    let job1 = job("fails", "echo oops >&2; exit 3");
    let outcome = exec
        .execute(&job1, &run_of(&job1), &[], CancelHandle::new())
        .await;
    assert_eq!(
        (outcome.state, outcome.exit_code),
        (RunState::Failed, Some(3))
    );
    assert_eq!(outcome.note.as_deref(), Some("exited with status 3"));

    let mut job2 = job("limits", "ulimit -n; ulimit -t; ulimit -v");
    job2.limits.open_files = Some(64);
    job2.limits.cpu_seconds = Some(30);
    job2.limits.memory_mb = Some(512);
    let outcome = exec
        .execute(&job2, &run_of(&job2), &[], CancelHandle::new())
        .await;
    let lines: Vec<_> = outcome.log.lines.iter().map(|l| l.text.as_str()).collect();
    assert_eq!(&lines[..3], ["64", "30", "524288"], "{lines:?}");
}

#[tokio::test]
async fn output_beyond_the_cap_is_truncated_with_a_notice() {
    let dir = tempfile::tempdir().unwrap();
    let exec = executor(dir.path(), SandboxMode::Off);
    let mut job = job(
        "chatty",
        "i=0; while [ $i -lt 2000 ]; do echo line-$i; i=$((i+1)); done",
    );
    job.limits.output_bytes = Some(1000);
    let outcome = exec
        .execute(&job, &run_of(&job), &[], CancelHandle::new())
        .await;
    assert_eq!(outcome.state, RunState::Succeeded);
    assert!(outcome.log.truncated);
    assert!(outcome.log.total_bytes > 10_000);
    let last = outcome.log.lines.last().unwrap();
    assert_eq!(last.stream, LogStream::Runner);
    assert!(last.text.contains("output truncated"), "{}", last.text);
}

#[tokio::test]
async fn a_missing_program_fails_the_run_with_a_reason() {
    let dir = tempfile::tempdir().unwrap();
    let exec = executor(dir.path(), SandboxMode::Off);
    let job = Job::new(
        "typo",
        CommandLine::Argv(vec!["/nonexistent/report".into()]),
    );
    let outcome = exec
        .execute(&job, &run_of(&job), &[], CancelHandle::new())
        .await;
    assert_eq!(outcome.state, RunState::Failed);
    assert!(outcome.note.unwrap().contains("could not start"));
}

#[tokio::test]
async fn without_a_sandbox_the_run_says_it_was_not_sandboxed() {
    let dir = tempfile::tempdir().unwrap();
    let exec = executor(dir.path(), SandboxMode::Off);
    let job = job("plain", "true");
    let outcome = exec
        .execute(&job, &run_of(&job), &[], CancelHandle::new())
        .await;
    assert!(matches!(outcome.sandbox, Sandboxing::None { .. }));
    assert!(outcome.log.text().contains("[corral] not sandboxed"));
}

/// The bubblewrap tests need a working `bwrap`; without one they say so and pass.
fn sandboxed_executor(dir: &Path) -> Option<LocalExecutor> {
    let exec = executor(dir, SandboxMode::Required);
    match exec.sandboxing() {
        Ok(_) => Some(exec),
        Err(reason) => {
            println!("note: skipping a sandbox test: {reason}");
            None
        }
    }
}

#[tokio::test]
async fn inside_bubblewrap_the_system_is_read_only_and_only_the_scratch_directory_is_writable() {
    let dir = tempfile::tempdir().unwrap();
    let Some(exec) = sandboxed_executor(dir.path()) else {
        return;
    };
    let secret_dir = dir.path().join("data");
    std::fs::create_dir_all(&secret_dir).unwrap();
    std::fs::write(secret_dir.join("master.key"), "do-not-read").unwrap();
    let script = format!(
        r#"touch /usr/corral-test 2>/dev/null && echo usr-writable || echo usr-read-only
           touch made-here && echo work-writable
           cat {}/master.key 2>/dev/null || echo data-invisible
           test -e /etc/shadow && echo shadow-visible || echo shadow-hidden"#,
        secret_dir.display()
    );
    let job = job("sandboxed", &script);
    let outcome = exec
        .execute(&job, &run_of(&job), &[], CancelHandle::new())
        .await;
    let text = outcome.log.text();
    assert_eq!(outcome.sandbox, Sandboxing::Bubblewrap { network: false });
    for expected in [
        "usr-read-only",
        "work-writable",
        "data-invisible",
        "shadow-hidden",
    ] {
        assert!(text.contains(expected), "{expected}:\n{text}");
    }
}

#[tokio::test]
async fn inside_bubblewrap_there_is_no_network_unless_the_job_declares_it() {
    let dir = tempfile::tempdir().unwrap();
    let Some(exec) = sandboxed_executor(dir.path()) else {
        return;
    };
    // Interfaces other than loopback exist only in a shared network namespace.
    let script = "grep -q -v -e 'lo:' -e '|' /proc/net/dev && echo has-network || echo no-network";
    let closed = job("offline", script);
    let outcome = exec
        .execute(&closed, &run_of(&closed), &[], CancelHandle::new())
        .await;
    assert!(
        outcome.log.text().contains("no-network"),
        "{}",
        outcome.log.text()
    );

    let host_has_interfaces = std::fs::read_to_string("/proc/net/dev")
        .map(|t| t.lines().any(|l| !l.contains('|') && !l.contains("lo:")))
        .unwrap_or(false);
    if host_has_interfaces {
        let mut open = job("online", script);
        open.network = true;
        let outcome = exec
            .execute(&open, &run_of(&open), &[], CancelHandle::new())
            .await;
        assert_eq!(outcome.sandbox, Sandboxing::Bubblewrap { network: true });
        assert!(
            outcome.log.text().contains("has-network"),
            "{}",
            outcome.log.text()
        );
    }
}

#[tokio::test]
async fn a_missing_secret_is_named_without_any_value() {
    use corral_runner::secret_source::{SecretSource, StaticSecrets};
    let source = StaticSecrets(HashMap::from([(
        "crm".to_string(),
        SecretValue::new("crm-value-123"),
    )]));
    let mut job = Job::new("erp-sync", CommandLine::Shell("true".into()));
    job.secrets.insert("ERP_TOKEN".into(), "erp".into());
    let err = source.resolve_for(&job).await.unwrap_err();
    assert_eq!(err, "secret `erp` (for ERP_TOKEN) does not exist");
}
