//! The real binary: `corral serve` prints its URL and a one-time admin token, and the client
//! commands work against it.

use std::io::{BufRead, BufReader};
use std::process::Stdio;

mod support;

use support::{Server, corral, serve};

fn client(server: &Server, args: &[&str]) -> std::process::Output {
    corral()
        .args(args)
        .args(["--server", &server.url])
        .env("CORRAL_TOKEN", &server.token)
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

#[test]
fn serve_prints_its_url_and_a_one_time_admin_token_and_register_works_against_it() {
    let dir = tempfile::tempdir().unwrap();
    let server = serve(dir.path());

    let out = client(
        &server,
        &[
            "register",
            "--no-input",
            "--name",
            "lead-scoring",
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
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("Registered \"lead-scoring\": approved"),
        "{stdout}"
    );

    // Tier 4: blocked, explained, exit 1.
    let out = client(
        &server,
        &[
            "register",
            "--no-input",
            "--name",
            "payment-reconciler",
            "--purpose",
            "Matches card payments to invoices.",
            "--department",
            "Finance",
            "--data-tier",
            "4",
            "--ai-tool",
            "Claude Code 2.1",
            "--status",
            "development",
        ],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("error: tier 4 (regulated) data cannot be processed"),
        "{stderr}"
    );
    assert!(stderr.contains("help: use synthetic"), "{stderr}");

    let out = client(&server, &["assets", "list", "--format", "json"]);
    let page: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(page["total"], 2);

    // A second start of the same installation creates no new admin token.
    drop(server);
    let mut again = corral()
        .args(["serve", "--listen", "127.0.0.1:0", "--data-dir"])
        .arg(dir.path())
        .env_remove("CORRAL_DATABASE_URL")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut first_lines = Vec::new();
    let mut reader = BufReader::new(again.stdout.take().unwrap()).lines();
    for line in reader.by_ref() {
        let line = line.unwrap();
        let last = line.contains("database:");
        first_lines.push(line);
        if last {
            break;
        }
    }
    let _ = again.kill();
    let _ = again.wait();
    let text = first_lines.join("\n");
    assert!(text.contains("is serving at"), "{text}");
    assert!(text.contains("web console: http://127.0.0.1:"), "{text}");
    assert!(!text.contains("corral_"), "{text}");
}

#[test]
fn a_client_command_without_a_server_explains_how_to_start_one() {
    let out = corral()
        .args(["assets", "list", "--server", "http://127.0.0.1:9"])
        .env("CORRAL_TOKEN", "corral_x")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("cannot reach the Corral server"),
        "{stderr}"
    );
    assert!(stderr.contains("corral serve"), "{stderr}");
}
