//! Job sources through the server: a job whose files come from a git repository (the
//! commit recorded on each run, a moved branch picked up, a subdirectory to run in), a job
//! whose files were uploaded as a bundle (and a hostile bundle refused), an https source
//! naming its token secret, and editing a job in place.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{TestServer, draft, start_with_runner};
use corral_model::Role;
use corral_runner::executor::ExecutorSettings;
use corral_runner::sandbox::SandboxMode;
use corral_server::runner::{RunnerOptions, SchedulerConfig};
use serde_json::{Value, json};

async fn server() -> TestServer {
    start_with_runner(RunnerOptions {
        scheduler: SchedulerConfig {
            lease_seconds: 4,
            ..SchedulerConfig::default()
        },
        executor: ExecutorSettings {
            sandbox: SandboxMode::Off,
            ..ExecutorSettings::default()
        },
    })
    .await
}

fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .args([
            "-c",
            "user.name=Corral Test",
            "-c",
            "user.email=test@example.invalid",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

fn commit(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
    git(dir, &["add", "-A"]);
    git(dir, &["commit", "-q", "-m", name]);
    git(dir, &["rev-parse", "HEAD"])
}

/// Queues a run of `job` and waits (bounded) for it to finish; returns it with its log.
async fn run_now(s: &TestServer, token: &str, job: &str) -> Value {
    let (status, queued) = s
        .post(&format!("/api/v1/jobs/{job}/runs"), token, json!({}))
        .await;
    assert_eq!(status, 202, "{queued}");
    let id = queued["id"].as_str().unwrap().to_string();
    for _ in 0..300 {
        let (status, body) = s.get(&format!("/api/v1/runs/{id}"), token).await;
        assert_eq!(status, 200, "{body}");
        if !matches!(body["state"].as_str(), Some("queued" | "running")) {
            return body;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("run {id} did not finish within 30 s");
}

fn log_lines(run: &Value) -> Vec<String> {
    run["log"]["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["text"].as_str().unwrap().to_string())
        .collect()
}

async fn asset_id(s: &TestServer, owner: &str, name: &str) -> String {
    let asset = s.register(owner, draft(name, "ana@example.com", 2)).await;
    asset["asset"]["id"].as_str().unwrap().to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_git_job_runs_the_branch_head_in_its_subdirectory_and_records_the_commit() {
    let s = server().await;
    let owner = s.token("ana@example.com", Role::Member).await;
    let asset = asset_id(&s, &owner, "pipeline-sync").await;
    let repo_dir = tempfile::tempdir().unwrap();
    let repo = repo_dir.path().join("sync");
    std::fs::create_dir(&repo).unwrap();
    git(&repo, &["init", "-q", "-b", "main"]);
    commit(&repo, "README.md", "the sync job\n");
    let first = commit(
        &repo,
        "jobs/sync/run.sh",
        "echo \"sync v1 in $(basename $PWD)\"\n",
    );

    let (status, created) = s
        .post(
            "/api/v1/jobs",
            &owner,
            json!({
                "name": "pipeline-sync",
                "asset_id": asset,
                "command": "sh run.sh",
                "source": {
                    "kind": "git",
                    "url": format!("file://{}", repo.display()),
                    "ref": "main",
                    "subdirectory": "jobs/sync",
                },
            }),
        )
        .await;
    assert_eq!(status, 201, "{created}");

    let run = run_now(&s, &owner, "pipeline-sync").await;
    assert_eq!(run["state"], "succeeded", "{run}");
    assert_eq!(run["source_commit"], first, "{run}");
    assert!(
        log_lines(&run).contains(&format!("[corral] source at commit {first}")),
        "{run}"
    );
    assert!(
        log_lines(&run).contains(&"sync v1 in sync".to_string()),
        "{run}"
    );

    // The branch moves; the next run fetches and runs the new head.
    let second = commit(&repo, "jobs/sync/run.sh", "echo sync v2\n");
    let run = run_now(&s, &owner, "pipeline-sync").await;
    assert_eq!(run["state"], "succeeded", "{run}");
    assert_eq!(run["source_commit"], second);
    assert!(log_lines(&run).contains(&"sync v2".to_string()), "{run}");

    // The history lists the commit of each run.
    let (_, runs) = s.get("/api/v1/jobs/pipeline-sync/runs", &owner).await;
    let commits: Vec<&str> = runs
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["source_commit"].as_str().unwrap())
        .collect();
    assert_eq!(commits, [second.as_str(), first.as_str()]);

    // A subdirectory the commit lacks fails the run with a reason.
    let (status, body) = s
        .call(
            "PATCH",
            "/api/v1/jobs/pipeline-sync",
            Some(&owner),
            Some(json!({"source": {
                "kind": "git",
                "url": format!("file://{}", repo.display()),
                "ref": "main",
                "subdirectory": "jobs/gone",
            }})),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let run = run_now(&s, &owner, "pipeline-sync").await;
    assert_eq!(run["state"], "failed", "{run}");
    let note = run["note"].as_str().unwrap();
    assert!(
        note.contains("subdirectory `jobs/gone` does not exist"),
        "{note}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_uploaded_bundle_becomes_the_jobs_files_and_a_hostile_one_is_refused() {
    let s = server().await;
    let owner = s.token("ana@example.com", Role::Member).await;
    let stranger = s.token("bob@example.com", Role::Member).await;
    let asset = asset_id(&s, &owner, "invoice-check").await;
    let (status, created) = s
        .post(
            "/api/v1/jobs",
            &owner,
            json!({"name": "invoice-check", "asset_id": asset, "command": "sh check.sh"}),
        )
        .await;
    assert_eq!(status, 201, "{created}");

    let files = tempfile::tempdir().unwrap();
    std::fs::write(files.path().join("check.sh"), "cat data/invoices.csv\n").unwrap();
    std::fs::create_dir(files.path().join("data")).unwrap();
    std::fs::write(files.path().join("data/invoices.csv"), "id,total\n7,120\n").unwrap();
    let bundle = tar_gz(files.path(), &["check.sh", "data"]);

    let put = |token: String, bytes: Vec<u8>| {
        let request = s
            .http
            .put(s.url("/api/v1/jobs/invoice-check/bundle"))
            .bearer_auth(token)
            .header("content-type", "application/gzip")
            .body(bytes);
        async move {
            let res = request.send().await.unwrap();
            let status = res.status().as_u16();
            (status, res.json::<Value>().await.unwrap())
        }
    };
    let (status, body) = put(stranger.clone(), bundle.clone()).await;
    assert_eq!(status, 403, "{body}");
    let (status, job) = put(owner.clone(), bundle.clone()).await;
    assert_eq!(status, 200, "{job}");
    let digest = job["source"]["sha256"].as_str().unwrap().to_string();
    assert_eq!(job["source"]["kind"], "bundle");
    assert!(
        s.data_dir()
            .join(format!("sources/bundles/{digest}.tar.gz"))
            .is_file()
    );

    let run = run_now(&s, &owner, "invoice-check").await;
    assert_eq!(run["state"], "succeeded", "{run}");
    let output: Vec<String> = log_lines(&run)
        .into_iter()
        .filter(|l| !l.starts_with("[corral]"))
        .collect();
    assert_eq!(output, ["id,total", "7,120"], "{run}");

    // A link out of the bundle is refused, naming the entry; the job keeps its bundle.
    let hostile = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink("/etc/passwd", hostile.path().join("passwd")).unwrap();
    let (status, body) = put(owner.clone(), tar_gz(hostile.path(), &["passwd"])).await;
    assert_eq!(status, 422, "{body}");
    assert!(
        body.to_string()
            .contains("bundle entry `passwd` refused: it is a link to `/etc/passwd`"),
        "{body}"
    );
    let (_, job) = s.get("/api/v1/jobs/invoice-check", &owner).await;
    assert_eq!(job["source"]["sha256"], digest.as_str());

    let (status, body) = put(owner.clone(), b"not an archive".to_vec()).await;
    assert_eq!(status, 422, "{body}");
    assert!(
        body.to_string().contains("not a readable .tar.gz"),
        "{body}"
    );

    // The upload is in the audit log.
    let (_, events) = s.get("/api/v1/audit/events", &s.admin).await;
    let uploaded = events["events"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["action"] == "job.bundle-uploaded")
        .unwrap_or_else(|| panic!("no job.bundle-uploaded event: {events}"));
    assert_eq!(uploaded["data"]["sha256"], digest.as_str());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn editing_a_job_changes_only_the_fields_given_and_is_validated_and_audited() {
    let s = server().await;
    let owner = s.token("ana@example.com", Role::Member).await;
    let stranger = s.token("bob@example.com", Role::Member).await;
    let asset = asset_id(&s, &owner, "weekly-digest").await;
    let (status, created) = s
        .post(
            "/api/v1/jobs",
            &owner,
            json!({
                "name": "weekly-digest",
                "asset_id": asset,
                "command": "echo digest",
                "schedule": {"cron": "0 7 * * 1", "timezone": "Europe/Berlin"},
                "env": {"REGION": "emea", "MODE": "full"},
            }),
        )
        .await;
    assert_eq!(status, 201, "{created}");
    let path = "/api/v1/jobs/weekly-digest";

    let (status, body) = s
        .call(
            "PATCH",
            path,
            Some(&stranger),
            Some(json!({"enabled": false})),
        )
        .await;
    assert_eq!(status, 403, "{body}");

    let (status, edited) = s
        .call(
            "PATCH",
            path,
            Some(&owner),
            Some(json!({
                "schedule": {"cron": "30 6 * * 1-5"},
                "env": {"MODE": null, "LIMIT": "50"},
                "retry": {"max_retries": 2},
                "enabled": false,
            })),
        )
        .await;
    assert_eq!(status, 200, "{edited}");
    assert_eq!(
        edited["schedule"],
        json!({"cron": "30 6 * * 1-5", "timezone": "Europe/Berlin"})
    );
    assert_eq!(edited["env"], json!({"REGION": "emea", "LIMIT": "50"}));
    assert_eq!(edited["retry"]["max_retries"], 2);
    assert_eq!(edited["enabled"], false);
    assert_eq!(edited["command"], "echo digest");
    let (_, stored) = s.get(path, &owner).await;
    assert_eq!(stored, edited);

    // Invalid edits name each field and change nothing.
    let (status, body) = s
        .call(
            "PATCH",
            path,
            Some(&owner),
            Some(json!({"schedule": {"timezone": "Mars/Olympus"}, "timeout_seconds": 0})),
        )
        .await;
    assert_eq!(status, 422, "{body}");
    let fields: Vec<&str> = body["error"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["schedule", "timeout_seconds"], "{body}");
    let (status, body) = s
        .call(
            "PATCH",
            path,
            Some(&owner),
            Some(json!({"name": "renamed"})),
        )
        .await;
    assert_eq!(status, 422, "{body}");
    assert!(body.to_string().contains("cannot be changed"), "{body}");
    let (status, body) = s
        .call(
            "PATCH",
            path,
            Some(&owner),
            Some(json!({"source": {"kind": "directory", "path": "/etc"}})),
        )
        .await;
    assert_eq!(status, 422, "{body}");
    assert!(body.to_string().contains("upload a bundle"), "{body}");
    let (status, body) = s
        .call("PATCH", path, Some(&owner), Some(json!({"timeout": 5})))
        .await;
    assert_eq!(status, 422, "{body}");
    assert!(body.to_string().contains("timeout"), "{body}");
    let (_, stored) = s.get(path, &owner).await;
    assert_eq!(stored, edited);

    let (_, events) = s.get("/api/v1/audit/events", &s.admin).await;
    let updated: Vec<&Value> = events["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "job.updated")
        .collect();
    assert_eq!(updated.len(), 1, "{events}");
    assert_eq!(
        updated[0]["data"]["fields"],
        json!(["enabled", "env", "retry", "schedule"])
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_https_source_names_its_token_secret_and_a_run_without_it_says_how_to_set_it() {
    let s = server().await;
    let owner = s.token("ana@example.com", Role::Member).await;
    let asset = asset_id(&s, &owner, "sales-sync").await;
    let define = |source: Value| {
        json!({
            "name": "sales-sync",
            "asset_id": asset,
            "command": "sh run.sh",
            "source": source,
        })
    };
    let field_of = |body: &Value| -> Vec<String> {
        body["error"]["fields"]
            .as_array()
            .map(|fields| {
                fields
                    .iter()
                    .map(|f| f["field"].as_str().unwrap().to_string())
                    .collect()
            })
            .unwrap_or_default()
    };

    // Plain http:// to another machine, and a token for an ssh URL, are refused by field.
    let (status, body) = s
        .post(
            "/api/v1/jobs",
            &owner,
            define(
                json!({"kind": "git", "url": "http://git.internal/sales/sync.git", "ref": "main"}),
            ),
        )
        .await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(field_of(&body), ["source.url"], "{body}");
    assert!(body.to_string().contains("use https://"), "{body}");
    let (status, body) = s
        .post(
            "/api/v1/jobs",
            &owner,
            define(
                json!({"kind": "git", "url": "ssh://git@git.internal/sync.git",
                          "ref": "main", "token_secret": "git-token"}),
            ),
        )
        .await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(field_of(&body), ["source.token_secret"], "{body}");

    // An https source with a token secret is kept as written, the secret by name only.
    let source = json!({"kind": "git", "url": "https://git.internal/sales/sync.git",
                        "ref": "main", "token_secret": "git-token", "username": "oauth2"});
    let (status, job) = s.post("/api/v1/jobs", &owner, define(source.clone())).await;
    assert_eq!(status, 201, "{job}");
    assert_eq!(job["source"], source);
    let (_, events) = s.get("/api/v1/audit/events", &s.admin).await;
    let created = events["events"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["action"] == "job.created")
        .unwrap();
    assert_eq!(
        created["data"]["secrets"],
        json!(["git-token"]),
        "{created}"
    );

    // The secret was never set: the run does not start and says how to set it.
    let run = run_now(&s, &owner, "sales-sync").await;
    assert_eq!(run["state"], "failed", "{run}");
    assert_eq!(
        run["note"],
        "not started: secret `git-token` (for source.token_secret) is not set for job \
         `sales-sync`: run `corral secrets set sales-sync git-token`",
        "{run}"
    );
}

/// `names` under `dir` as a .tar.gz, made by the system's tar.
fn tar_gz(dir: &Path, names: &[&str]) -> Vec<u8> {
    let out: PathBuf = dir.with_extension("test.tar.gz");
    let status = Command::new("tar")
        .arg("-czf")
        .arg(&out)
        .arg("-C")
        .arg(dir)
        .args(names)
        .status()
        .unwrap();
    assert!(status.success());
    let bytes = std::fs::read(&out).unwrap();
    std::fs::remove_file(&out).unwrap();
    bytes
}
