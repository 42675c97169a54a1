//! The web console in a real browser: starts `corral serve` on a fresh data directory,
//! creates one console account per role with `corral users add` beside it, and runs the end-to-end
//! tests in `tests/browser/` with Node.js, playwright-core and Debian's Chromium.
//!
//! `scripts/test` installs Chromium and playwright-core. Where they are missing the test says
//! so and skips, except under CI (`CI=true`), where a missing browser is a broken set-up and
//! fails. Screenshots of the main pages are written to `target/browser-artifacts/`.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

const PASSWORD: &str = "correct-horse-battery-staple-42";

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .nth(2)
        .expect("crates/corral sits two levels below the workspace root")
        .to_path_buf()
}

fn corral(data_dir: &Path) -> Command {
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

/// What is missing to run the browser tests, if anything.
fn missing_prerequisite(root: &Path) -> Option<String> {
    let chromium = std::env::var("CORRAL_CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    if !Path::new(&chromium).exists() {
        return Some(format!("Chromium is not installed at {chromium}"));
    }
    if !root
        .join("tests/browser/node_modules/playwright-core")
        .is_dir()
    {
        return Some("playwright-core is not installed (npm ci in tests/browser)".into());
    }
    if Command::new("node").arg("--version").output().is_err() {
        return Some("Node.js is not installed".into());
    }
    None
}

#[test]
fn the_console_flows_work_in_chromium() {
    let root = workspace_root();
    if let Some(missing) = missing_prerequisite(&root) {
        if std::env::var("CI").is_ok_and(|v| v == "true") {
            panic!("{missing}: scripts/test installs the browser tests' prerequisites");
        }
        eprintln!(
            "notice: skipping the console's browser tests: {missing}; scripts/test installs it"
        );
        return;
    }
    let dir = tempfile::tempdir().unwrap();

    let mut serve = corral(dir.path())
        .args(["serve", "--no-runner", "--listen", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(serve.stdout.take().unwrap()).lines();
    let url = lines
        .by_ref()
        .map(|line| line.unwrap())
        .find_map(|line| {
            line.split_once("serving at ")
                .map(|(_, url)| url.trim().to_string())
        })
        .expect("serve prints its URL");
    std::thread::spawn(move || for _ in lines {});
    let _server = Process(serve);

    let people: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root.join("tests/browser/people.json")).unwrap(),
    )
    .unwrap();
    for person in people.as_object().unwrap().values() {
        let mut add = corral(dir.path())
            .args(["users", "add", person["email"].as_str().unwrap(), "--role"])
            .arg(person["role"].as_str().unwrap())
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        writeln!(add.stdin.take().unwrap(), "{PASSWORD}").unwrap();
        let out = add.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "corral users add failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    let artifacts = root.join("target/browser-artifacts");
    let status = Command::new("node")
        .args(["--test", "--test-concurrency=1", "console.test.mjs"])
        .current_dir(root.join("tests/browser"))
        .env("CORRAL_URL", &url)
        .env("CORRAL_TEST_PASSWORD", PASSWORD)
        .env("CORRAL_BROWSER_ARTIFACTS", &artifacts)
        .status()
        .expect("node runs");
    assert!(
        status.success(),
        "the browser tests failed (their output is above; screenshots in {})",
        artifacts.display()
    );
}
