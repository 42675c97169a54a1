//! `corral gate`: setting the gate up from pip's configuration, and answering package
//! requests, with the real binary against a real database.

use std::path::Path;
use std::process::{Command, Output};

use chrono::Utc;
use corral_store::{GateDecision, GateRequest, GateRequestStatus, Store};
use uuid::Uuid;

fn corral(data_dir: &Path, args: &[&str], env: &[(&str, &Path)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_corral"));
    command
        .arg("--data-dir")
        .arg(data_dir)
        .args(args)
        .env_remove("CORRAL_DATABASE_URL")
        .env_remove("CORRAL_CONFIG")
        .env_remove("CORRAL_USER");
    for (key, _) in std::env::vars() {
        if key.starts_with("PIP_") || key.starts_with("UV_") {
            command.env_remove(key);
        }
    }
    for (k, v) in env {
        command.env(k, v);
    }
    command.output().expect("run corral")
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

#[test]
fn init_copies_the_index_pip_uses_into_the_configuration_once() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let config_home = dir.path().join("config");
    std::fs::create_dir_all(config_home.join("pip")).unwrap();
    std::fs::write(
        config_home.join("pip/pip.conf"),
        "[global]\nindex-url = http://ana:s3cret@127.0.0.1:9/simple/\n",
    )
    .unwrap();
    let env = [
        ("XDG_CONFIG_HOME", config_home.as_path()),
        ("HOME", dir.path()),
    ];

    let shown = corral(&data, &["gate", "init"], &env);
    assert!(shown.status.success(), "{}", text(&shown));
    assert!(
        text(&shown).contains("http://***@127.0.0.1:9/simple/"),
        "{}",
        text(&shown)
    );
    assert!(!text(&shown).contains("s3cret"), "{}", text(&shown));
    assert!(!data.join("corral.toml").exists());

    let written = corral(&data, &["gate", "init", "--write"], &env);
    assert!(written.status.success(), "{}", text(&written));
    let config = std::fs::read_to_string(data.join("corral.toml")).unwrap();
    let parsed: toml::Table = toml::from_str(&config).unwrap();
    assert_eq!(
        parsed["gate"]["upstream"][0]["url"].as_str(),
        Some("http://ana:s3cret@127.0.0.1:9/simple/")
    );

    let again = corral(&data, &["gate", "init", "--write"], &env);
    assert_eq!(again.status.code(), Some(2), "{}", text(&again));
    assert!(text(&again).contains("already has 1"), "{}", text(&again));
}

#[test]
fn approving_a_requested_package_is_an_audited_change_the_requester_can_see() {
    let dir = tempfile::tempdir().unwrap();
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let store = Store::open(dir.path(), None).await.unwrap();
        let mut tx = store.begin().await.unwrap();
        let opened = tx
            .open_gate_request(&GateRequest {
                id: Uuid::new_v4(),
                project: "reqeusts".into(),
                version: String::new(),
                status: GateRequestStatus::Pending,
                rule: "typosquat".into(),
                reason: "`reqeusts` looks like a typosquat of the popular package `requests`"
                    .into(),
                requested_by: "user=ana addr=127.0.0.1".into(),
                requested_at: Utc::now(),
                decided_by: None,
                decided_at: None,
                comment: None,
            })
            .await
            .unwrap();
        assert!(opened.is_some());
        tx.audit(corral_store::AuditEntry::new("gate", "gate.request.opened"));
        tx.commit().await.unwrap();
        store
            .record_gate_decisions(&[GateDecision {
                id: Uuid::new_v4(),
                at: Utc::now(),
                project: "reqeusts".into(),
                version: None,
                filename: None,
                outcome: "withheld".into(),
                rule: Some("typosquat".into()),
                mode: Some("block".into()),
                reason: "imitates `requests`".into(),
                client: "user=ana".into(),
            }])
            .await
            .unwrap();
        store.close().await;
    });

    let pending = corral(dir.path(), &["gate", "requests"], &[]);
    assert!(pending.status.success(), "{}", text(&pending));
    assert!(
        text(&pending).contains("reqeusts  [pending]"),
        "{}",
        text(&pending)
    );
    assert!(text(&pending).contains("by user=ana"), "{}", text(&pending));

    let decisions = corral(dir.path(), &["gate", "decisions", "Reqeusts"], &[]);
    assert!(
        text(&decisions).contains("withheld"),
        "{}",
        text(&decisions)
    );
    assert!(
        text(&decisions).contains("imitates `requests`"),
        "{}",
        text(&decisions)
    );

    let approved = corral(
        dir.path(),
        &[
            "gate",
            "approve",
            "Reqeusts",
            "--as",
            "sec@example.com",
            "--comment",
            "internal fork",
        ],
        &[],
    );
    assert!(approved.status.success(), "{}", text(&approved));
    assert!(text(&approved).contains("approved reqeusts (every version)"));

    let listed = corral(
        dir.path(),
        &["gate", "requests", "--status", "all", "--format", "json"],
        &[],
    );
    let list: serde_json::Value = serde_json::from_slice(&listed.stdout).unwrap();
    assert_eq!(list[0]["status"], "approved");
    assert_eq!(list[0]["decided_by"], "sec@example.com");
    assert_eq!(list[0]["comment"], "internal fork");

    rt.block_on(async {
        let store = Store::open(dir.path(), None).await.unwrap();
        let records = store.audit_records(0, 10).await.unwrap();
        let approval = records
            .iter()
            .find(|r| r.event.action == "gate.request.approved")
            .expect("the approval is in the audit log");
        assert_eq!(approval.event.actor, "sec@example.com");
        assert_eq!(approval.event.subject.as_deref(), Some("pypi:reqeusts"));
        let verified = store.verify_audit(Default::default()).await.unwrap();
        assert!(verified.is_intact(), "{verified:?}");
    });

    let bad = corral(
        dir.path(),
        &["gate", "approve", "requests==not-a-version", "--as", "x"],
        &[],
    );
    assert_eq!(bad.status.code(), Some(2));
    assert!(
        text(&bad).contains("not a PEP 440 version"),
        "{}",
        text(&bad)
    );
}

#[test]
fn serve_mounts_the_gate_under_simple_and_refuses_an_invalid_gate_section() {
    use std::io::{BufRead, BufReader};

    let dir = tempfile::tempdir().unwrap();
    // Nothing listens on the upstream's port: the gate must say so rather than hang or 404.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let upstream = format!("http://{}/simple/", closed.local_addr().unwrap());
    drop(closed);
    std::fs::write(
        dir.path().join("corral.toml"),
        format!(
            "[server]\nlisten = \"127.0.0.1:0\"\n[gate]\nupstream_timeout_seconds = 5\n[[gate.upstream]]\nname = \"main\"\nurl = \"{upstream}\"\n"
        ),
    )
    .unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_corral"))
        .arg("--data-dir")
        .arg(dir.path())
        .arg("serve")
        .env_remove("CORRAL_DATABASE_URL")
        .env_remove("CORRAL_CONFIG")
        .env_remove("CORRAL_LISTEN")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let first = lines.next().unwrap().unwrap();
    let base = first
        .rsplit(' ')
        .next()
        .unwrap()
        .trim_end_matches('/')
        .to_string();
    let mut banner = Vec::new();
    for line in lines.by_ref().take(3) {
        banner.push(line.unwrap());
    }
    let rt = tokio::runtime::Runtime::new().unwrap();
    let (page, health) = rt.block_on(async {
        let page = reqwest::get(format!("{base}/simple/some-project/"))
            .await
            .unwrap();
        let status = page.status().as_u16();
        let body = page.text().await.unwrap();
        let health = reqwest::get(format!("{base}/healthz"))
            .await
            .unwrap()
            .status()
            .as_u16();
        ((status, body), health)
    });
    let _ = child.kill();
    let _ = child.wait();
    assert!(
        banner
            .iter()
            .any(|l| l.contains("package gate:") && l.contains("/simple/")),
        "{banner:?}"
    );
    assert_eq!(health, 200);
    assert_eq!(page.0, 502, "{}", page.1);
    assert!(page.1.contains("no upstream index answered"), "{}", page.1);

    std::fs::write(
        dir.path().join("corral.toml"),
        format!(
            "[gate]\n[[gate.upstream]]\nname = \"main\"\nurl = \"{upstream}\"\n[gate.policy]\ndeny = [\"bad name!\"]\n"
        ),
    )
    .unwrap();
    let refused = corral(dir.path(), &["serve", "--listen", "127.0.0.1:0"], &[]);
    assert_eq!(refused.status.code(), Some(2), "{}", text(&refused));
    assert!(text(&refused).contains("`bad name!`"), "{}", text(&refused));
}
