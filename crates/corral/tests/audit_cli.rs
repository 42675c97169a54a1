//! `corral audit`: verifying, proving and exporting straight from the database, as an auditor
//! would, with the real binary.

use std::path::Path;
use std::process::{Command, Output};

use corral_store::{AuditEntry, Store};

fn corral(data_dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_corral"))
        .arg("--data-dir")
        .arg(data_dir)
        .args(args)
        .env_remove("CORRAL_DATABASE_URL")
        .output()
        .expect("run corral")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// A data directory with a log of five entries; returns the event ids.
fn populated(dir: &Path) -> Vec<String> {
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let store = Store::open(dir, None).await.unwrap();
        for i in 0..5 {
            let mut tx = store.begin().await.unwrap();
            tx.audit(
                AuditEntry::new("ana@example.com", "asset.registered")
                    .subject(format!("asset-{i}"))
                    .data(serde_json::json!({"n": i})),
            );
            tx.commit().await.unwrap();
        }
        let ids = store
            .audit_records(0, 10)
            .await
            .unwrap()
            .into_iter()
            .map(|r| r.event.id.to_string())
            .collect();
        store.close().await;
        ids
    })
}

/// Changes the database behind Corral's back, as someone with file access could.
fn tamper(dir: &Path, sql: &str) {
    use sqlx::Connection;
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let url = format!("sqlite://{}", dir.join("corral.db").display());
        let mut conn = sqlx::SqliteConnection::connect(&url).await.unwrap();
        sqlx::raw_sql(sql).execute(&mut conn).await.unwrap();
        conn.close().await.unwrap();
    });
}

#[test]
fn verify_passes_an_intact_log_and_names_the_first_altered_entry_with_exit_1() {
    let dir = tempfile::tempdir().unwrap();
    populated(dir.path());
    let ok = corral(dir.path(), &["audit", "verify"]);
    assert_eq!(ok.status.code(), Some(0), "{}", stdout(&ok));
    assert!(stdout(&ok).contains("5 entries"), "{}", stdout(&ok));
    assert!(stdout(&ok).contains("intact"), "{}", stdout(&ok));

    tamper(
        dir.path(),
        "UPDATE audit_events SET actor = 'mallory@example.com' WHERE seq = 2",
    );
    let bad = corral(dir.path(), &["audit", "verify"]);
    assert_eq!(bad.status.code(), Some(1), "{}", stdout(&bad));
    let text = stdout(&bad);
    assert!(text.contains("TAMPERED: entry 2 was altered"), "{text}");
    assert!(text.contains("by mallory@example.com"), "{text}");

    let json = corral(dir.path(), &["audit", "verify", "--format", "json"]);
    assert_eq!(json.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(report["first_problem"]["kind"], "altered");
    assert_eq!(report["first_problem"]["seq"], 2);
}

#[test]
fn a_proof_checks_without_the_database_and_an_edited_one_does_not() {
    let dir = tempfile::tempdir().unwrap();
    let ids = populated(dir.path());
    let proof_path = dir.path().join("proof.json");
    let made = corral(
        dir.path(),
        &[
            "audit",
            "proof",
            &ids[3],
            "--output",
            proof_path.to_str().unwrap(),
        ],
    );
    assert_eq!(made.status.code(), Some(0), "{:?}", made);
    let key = stdout(&corral(dir.path(), &["audit", "public-key"]));
    assert_eq!(key.trim().len(), 64);

    // Checked from another directory, with no database at all.
    let elsewhere = tempfile::tempdir().unwrap();
    let checked = corral(
        elsewhere.path(),
        &[
            "audit",
            "check-proof",
            proof_path.to_str().unwrap(),
            "--public-key",
            key.trim(),
        ],
    );
    assert_eq!(checked.status.code(), Some(0), "{}", stdout(&checked));
    assert!(
        stdout(&checked).starts_with("valid: event"),
        "{}",
        stdout(&checked)
    );
    assert!(!elsewhere.path().join("corral.db").exists());

    let edited = std::fs::read_to_string(&proof_path)
        .unwrap()
        .replace("ana@example.com", "eve@example.com");
    let edited_path = dir.path().join("edited.json");
    std::fs::write(&edited_path, edited).unwrap();
    let refused = corral(
        elsewhere.path(),
        &["audit", "check-proof", edited_path.to_str().unwrap()],
    );
    assert_eq!(refused.status.code(), Some(1));
    assert!(
        stdout(&refused).starts_with("INVALID"),
        "{}",
        stdout(&refused)
    );

    std::fs::write(&edited_path, "not json").unwrap();
    let garbage = corral(
        elsewhere.path(),
        &["audit", "check-proof", edited_path.to_str().unwrap()],
    );
    assert_eq!(garbage.status.code(), Some(2));
}

#[test]
fn export_writes_one_json_line_per_entry_and_a_kept_checkpoint_is_honoured() {
    let dir = tempfile::tempdir().unwrap();
    populated(dir.path());
    let out = corral(dir.path(), &["audit", "export"]);
    assert_eq!(out.status.code(), Some(0));
    let lines: Vec<serde_json::Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 5);
    assert_eq!(lines[4]["seq"], 4);
    assert_eq!(lines[4]["action"], "asset.registered");
    assert_eq!(lines[4]["signature"].as_str().unwrap().len(), 128);

    let cp = dir.path().join("kept.json");
    std::fs::write(&cp, stdout(&corral(dir.path(), &["audit", "checkpoint"]))).unwrap();
    let ok = corral(
        dir.path(),
        &["audit", "verify", "--checkpoint", cp.to_str().unwrap()],
    );
    assert_eq!(ok.status.code(), Some(0), "{}", stdout(&ok));
    assert!(stdout(&ok).contains("checkpoints kept outside compared: 1"));
}

#[test]
fn verify_without_a_database_says_where_it_looked_and_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let out = corral(dir.path(), &["audit", "verify"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("there is no Corral database at"), "{err}");
    assert!(!dir.path().join("corral.db").exists());
}

#[test]
fn verify_on_an_unreachable_database_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let out = corral(
        dir.path(),
        &[
            "audit",
            "verify",
            "--database-url",
            "postgres://nobody@127.0.0.1:1/none",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
}

/// The Python checker in docs/audit.md, run on a real proof: third parties copy it, so it must
/// work. Skipped (with a notice) where python3 or its `cryptography` package is missing.
#[test]
fn the_python_checker_in_the_docs_accepts_a_real_proof_and_refuses_an_edited_one() {
    let has_python = Command::new("python3")
        .args(["-c", "import cryptography"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !has_python {
        eprintln!("notice: python3 with `cryptography` not found; docs checker test skipped");
        return;
    }
    let docs =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/audit.md"))
            .unwrap();
    let start = docs.find("```python\n").expect("python snippet") + "```python\n".len();
    let end = start + docs[start..].find("```").unwrap();
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("check.py");
    std::fs::write(&script, &docs[start..end]).unwrap();

    let ids = populated(dir.path());
    let proof = dir.path().join("proof.json");
    let made = corral(
        dir.path(),
        &[
            "audit",
            "proof",
            &ids[2],
            "--output",
            proof.to_str().unwrap(),
        ],
    );
    assert_eq!(made.status.code(), Some(0));
    let key = stdout(&corral(dir.path(), &["audit", "public-key"]));
    let run = |file: &Path| {
        Command::new("python3")
            .arg(&script)
            .arg(file)
            .arg(key.trim())
            .output()
            .unwrap()
    };
    let ok = run(&proof);
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    assert!(stdout(&ok).contains("asset.registered"), "{}", stdout(&ok));

    // A proof whose checkpoint claims another root fails in Python too.
    let mut value: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&proof).unwrap()).unwrap();
    value["checkpoint"]["root"] = serde_json::Value::String("00".repeat(32));
    let forged = dir.path().join("forged.json");
    std::fs::write(&forged, value.to_string()).unwrap();
    assert!(!run(&forged).status.success());
}
