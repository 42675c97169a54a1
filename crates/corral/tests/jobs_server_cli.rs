//! The real binary with jobs on a server: `corral serve --no-runner` serves the API,
//! a separate `corral runner` process runs the jobs, and the client commands define a job,
//! set its secret from standard input, start it and read its masked log.

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, Command, Stdio};

fn corral(data_dir: &std::path::Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_corral"));
    cmd.arg("--data-dir")
        .arg(data_dir)
        .env_remove("CORRAL_DATABASE_URL")
        .env_remove("CORRAL_CONFIG")
        .env_remove("CORRAL_MASTER_KEY");
    cmd
}

struct Process(Child);

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts a command and returns it with the first stdout line containing `marker`.
fn start(mut cmd: Command, marker: &str) -> (Process, Vec<String>) {
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("starts");
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut seen = Vec::new();
    for line in lines.by_ref() {
        let line = line.unwrap();
        let done = line.contains(marker);
        seen.push(line);
        if done {
            break;
        }
    }
    std::thread::spawn(move || for _ in lines {});
    (Process(child), seen)
}

#[test]
fn a_job_defined_with_the_cli_runs_on_a_runner_node_with_its_secret_masked() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("corral.toml"),
        "[runner]\nsandbox = \"off\"\n\n[scheduler]\nlease_seconds = 5\n",
    )
    .unwrap();
    let mut serve = corral(dir.path());
    serve.args(["serve", "--no-runner", "--listen", "127.0.0.1:0"]);
    let (_server, lines) = start(serve, "export CORRAL_TOKEN");
    let url = lines
        .iter()
        .find_map(|l| l.split("is serving at ").nth(1))
        .unwrap()
        .trim()
        .to_string();
    let token = lines
        .iter()
        .map(|l| l.trim())
        .find(|l| l.starts_with("corral_"))
        .unwrap()
        .to_string();
    assert!(
        lines.iter().any(|l| l.contains("not running jobs")),
        "{lines:?}"
    );
    let mut runner = corral(dir.path());
    runner.arg("runner");
    let (_runner, lines) = start(runner, "is running jobs");
    assert!(lines.iter().any(|l| l.contains("runner node")), "{lines:?}");

    let client = |args: &[&str], stdin: Option<&str>| {
        let mut cmd = corral(dir.path());
        cmd.args(args)
            .args(["--server", &url])
            .env("CORRAL_TOKEN", &token)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = cmd.spawn().unwrap();
        let mut input = child.stdin.take().unwrap();
        if let Some(text) = stdin {
            input.write_all(text.as_bytes()).unwrap();
        }
        drop(input);
        let out = child.wait_with_output().unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };

    let (code, out, err) = client(
        &[
            "register",
            "--no-input",
            "--name",
            "crm-sync",
            "--purpose",
            "Copies new leads from the CRM every morning.",
            "--department",
            "Sales",
            "--data-tier",
            "2",
            "--ai-tool",
            "Claude Code 2.1",
            "--status",
            "development",
        ],
        None,
    );
    assert_eq!(code, Some(0), "{out}{err}");
    let (_, out, _) = client(&["assets", "list", "--format", "json"], None);
    let page: serde_json::Value = serde_json::from_str(&out).unwrap();
    let asset = page["items"][0]["id"].as_str().unwrap().to_string();

    let jobs = dir.path().join("jobs.toml");
    std::fs::write(
        &jobs,
        "[[job]]\nname = \"crm-sync\"\ncommand = \"echo token=$CRM_TOKEN\"\n\
         [job.secrets]\nCRM_TOKEN = \"crm-token\"\n\n\
         [[job]]\nname = \"broken\"\ncommand = \"true\"\n\
         schedule = { cron = \"0 7 * * *\", timezone = \"Mars/Olympus\" }\n",
    )
    .unwrap();
    let (code, out, err) = client(
        &["jobs", "apply", jobs.to_str().unwrap(), "--asset", &asset],
        None,
    );
    assert_eq!(code, Some(1), "{out}{err}");
    assert!(out.contains("crm-sync: defined"), "{out}");
    assert!(err.contains("broken: not defined"), "{err}");
    assert!(err.contains("Mars/Olympus"), "{err}");

    let value = "crm_live_7Hq2Lm9Tt4Vb1Nc8";
    let (code, _, err) = client(&["secrets", "set", "crm-sync", "crm-token"], Some(value));
    assert_eq!(code, Some(0), "{err}");
    assert!(
        err.contains("stored secret `crm-token` of job `crm-sync`"),
        "{err}"
    );
    assert!(
        !dir.path().join("secrets.json").exists(),
        "a job's secret went to the local file"
    );

    let (code, out, err) = client(&["jobs", "start", "crm-sync"], None);
    assert_eq!(code, Some(0), "{out}{err}");
    let run = out
        .split_whitespace()
        .nth(2)
        .expect("queued run <id> of crm-sync")
        .to_string();
    let mut history = String::new();
    for _ in 0..300 {
        history = client(&["jobs", "runs", "crm-sync"], None).1;
        if history.contains("succeeded") || history.contains("failed") {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    assert!(
        history.contains(&run) && history.contains("succeeded"),
        "{history}"
    );
    let (code, log, _) = client(&["jobs", "log", &run], None);
    assert_eq!(code, Some(0));
    assert!(log.contains("token=[masked CRM_TOKEN]"), "{log}");
    assert!(!log.contains(value), "{log}");

    // The job's files move into a bundle packed from a directory (ignored files stay
    // behind) and its command changes in place.
    let files = dir.path().join("crm-sync-files");
    std::fs::create_dir(&files).unwrap();
    std::fs::write(files.join(".gitignore"), "*.log\n").unwrap();
    std::fs::write(files.join("debug.log"), "local noise").unwrap();
    std::fs::write(files.join("sync.sh"), "echo synced from the bundle\n").unwrap();
    let (code, out, err) = client(
        &["jobs", "bundle", "crm-sync", files.to_str().unwrap()],
        None,
    );
    assert_eq!(code, Some(0), "{out}{err}");
    assert!(
        out.contains("uploaded the bundle of crm-sync (2 files"),
        "{out}"
    );
    let (code, out, err) = client(
        &[
            "jobs",
            "edit",
            "crm-sync",
            "--command",
            "sh sync.sh; ls",
            "--timeout",
            "120",
        ],
        None,
    );
    assert_eq!(code, Some(0), "{out}{err}");
    assert!(out.contains("changed job crm-sync"), "{out}");
    let (code, _, err) = client(&["jobs", "edit", "crm-sync"], None);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("nothing to change"), "{err}");

    let (_, out, _) = client(&["jobs", "start", "crm-sync"], None);
    let run = out.split_whitespace().nth(2).unwrap().to_string();
    let mut log = String::new();
    for _ in 0..300 {
        log = client(&["jobs", "log", &run], None).1;
        if log.contains("synced from the bundle") {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    assert!(log.contains("synced from the bundle"), "{log}");
    assert!(log.contains("sync.sh"), "{log}");
    assert!(!log.contains("debug.log"), "{log}");
}
