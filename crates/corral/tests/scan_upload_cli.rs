//! `corral scan --upload` against a `corral serve` started by the test: the asset named by
//! the repository's descriptor receives the findings, the scan's output and exit code are
//! those of a scan without `--upload`, and a failed upload is reported after the scan with
//! exit code 2.

use std::path::Path;
use std::process::{Output, Stdio};

mod support;

use support::{Server, corral, serve};

/// `corral ARGS` in `dir`, talking to `server`, with its own scanner data directory.
fn run_in(dir: &Path, data: &Path, server: &Server, args: &[&str]) -> Output {
    corral()
        .current_dir(dir)
        .args(args)
        .arg("--data-dir")
        .arg(data)
        .args(["--server", &server.url])
        .env("CORRAL_TOKEN", &server.token)
        .env_remove("CORRAL_CONFIG")
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

fn text(out: &Output) -> String {
    format!(
        "status {:?}\n--- stdout\n{}--- stderr\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// A repository with a descriptor, a leaked token and a pinned dependency.
fn repository() -> tempfile::TempDir {
    let repo = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(repo.path().join(".git")).unwrap();
    std::fs::write(
        repo.path().join("corral.toml"),
        "[asset]\nname = \"lead-scoring\"\n",
    )
    .unwrap();
    std::fs::write(
        repo.path().join("settings.py"),
        "GITHUB_TOKEN = \"ghp_R8x2Lq9Vt4Nw7Ks1Mz6Pc3Hd5Jb0Fy2Ga8Ue\"\n",
    )
    .unwrap();
    std::fs::write(repo.path().join("requirements.txt"), "requests==2.19.0\n").unwrap();
    repo
}

fn get(server: &Server, path: &str) -> serde_json::Value {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(async {
            reqwest::Client::new()
                .get(format!("{}{path}", server.url))
                .bearer_auth(&server.token)
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap()
        })
}

#[test]
fn scan_upload_stores_the_findings_for_the_descriptors_asset_and_keeps_the_scans_exit_code() {
    let server_dir = tempfile::tempdir().unwrap();
    let server = serve(server_dir.path());
    let scanner_data = tempfile::tempdir().unwrap();
    let repo = repository();
    let out = run_in(
        repo.path(),
        scanner_data.path(),
        &server,
        &[
            "register",
            "--no-input",
            "--descriptor",
            "corral.toml",
            "--purpose",
            "Scores inbound leads every morning.",
            "--department",
            "Sales",
            "--data-tier",
            "2",
            "--ai-tool",
            "Claude Code 2.1",
            "--status",
            "development",
        ],
    );
    assert!(out.status.success(), "{}", text(&out));

    let plain = run_in(
        repo.path(),
        scanner_data.path(),
        &server,
        &["scan", "--no-progress", "--color", "never"],
    );
    let uploaded = run_in(
        repo.path(),
        scanner_data.path(),
        &server,
        &["scan", "--no-progress", "--color", "never", "--upload"],
    );
    assert_eq!(plain.status.code(), Some(1), "{}", text(&plain));
    assert_eq!(
        uploaded.status.code(),
        plain.status.code(),
        "{}",
        text(&uploaded)
    );
    let stdout = String::from_utf8_lossy(&uploaded.stdout);
    assert!(stdout.contains("github-pat"), "{}", text(&uploaded));
    assert!(
        !stdout.contains("uploaded to"),
        "the report on stdout is unchanged"
    );
    let stderr = String::from_utf8_lossy(&uploaded.stderr);
    assert!(
        stderr.contains(&format!(
            "uploaded to {} for asset `lead-scoring`",
            server.url
        )),
        "{}",
        text(&uploaded)
    );

    let findings = get(
        &server,
        "/api/v1/assets/lead-scoring/findings?scanner=secrets",
    );
    assert_eq!(findings["total"], 1, "{findings}");
    assert_eq!(findings["items"][0]["finding"]["rule_id"], "github-pat");
    let inventory = get(&server, "/api/v1/assets/lead-scoring/components");
    assert_eq!(
        inventory["components"][0]["name"], "requests",
        "{inventory}"
    );

    // An asset the server does not know: the scan is printed, then the failure, exit 2.
    let failed = run_in(
        repo.path(),
        scanner_data.path(),
        &server,
        &[
            "scan",
            "--no-progress",
            "--upload",
            "--asset",
            "no-such-asset",
        ],
    );
    assert_eq!(failed.status.code(), Some(2), "{}", text(&failed));
    assert!(String::from_utf8_lossy(&failed.stdout).contains("github-pat"));
    let stderr = String::from_utf8_lossy(&failed.stderr);
    assert!(
        stderr.contains("upload failed") && stderr.contains("no asset `no-such-asset`"),
        "{}",
        text(&failed)
    );
}

#[test]
fn scan_upload_without_an_asset_or_descriptor_stops_before_scanning() {
    let server_dir = tempfile::tempdir().unwrap();
    let server = serve(server_dir.path());
    let scanner_data = tempfile::tempdir().unwrap();
    let repo = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(repo.path().join(".git")).unwrap();
    std::fs::write(repo.path().join("app.py"), "print('hello')\n").unwrap();
    let out = run_in(
        repo.path(),
        scanner_data.path(),
        &server,
        &["scan", "--no-progress", "--upload"],
    );
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(out.stdout.is_empty(), "nothing was scanned: {}", text(&out));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("--upload needs to know which asset") && stderr.contains("--asset"),
        "{}",
        text(&out)
    );
}
