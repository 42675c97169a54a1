//! `corral users`: creating the web console's first account from the server's machine, with
//! the password read from standard input, never from the command line.

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn users(data_dir: &std::path::Path, args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_corral"))
        .arg("--data-dir")
        .arg(data_dir)
        .arg("users")
        .args(args)
        .env_remove("CORRAL_DATABASE_URL")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn users_add_reads_the_password_from_stdin_and_the_account_can_sign_in() {
    let dir = tempfile::tempdir().unwrap();
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        corral_store::Store::open(dir.path(), None)
            .await
            .unwrap()
            .close()
            .await
    });

    let short = users(
        dir.path(),
        &["add", "ana@example.com", "--role", "admin"],
        "short\n",
    );
    assert_eq!(short.status.code(), Some(2));
    assert!(
        text(&short.stderr).contains("password: must be at least 12 characters; it has 5"),
        "{}",
        text(&short.stderr)
    );

    let added = users(
        dir.path(),
        &["add", "ana@example.com", "--role", "admin"],
        "a long enough passphrase\n",
    );
    assert!(added.status.success(), "{}", text(&added.stderr));
    assert!(text(&added.stdout).contains("created console account ana@example.com (admin)"));

    let again = users(
        dir.path(),
        &["add", "ANA@example.com", "--role", "member"],
        "another long passphrase\n",
    );
    assert_eq!(again.status.code(), Some(2));
    assert!(text(&again.stderr).contains("already has a console account"));

    let listed = users(dir.path(), &["list"], "");
    assert!(text(&listed.stdout).contains("ana@example.com"));
    assert!(text(&listed.stdout).contains("admin"));

    let stored = rt.block_on(async {
        let store = corral_store::Store::open(dir.path(), None).await.unwrap();
        let creds = store.console_credentials("ana@example.com").await.unwrap();
        let actions: Vec<_> = store
            .audit_records(0, 100)
            .await
            .unwrap()
            .into_iter()
            .map(|r| (r.event.actor, r.event.action))
            .collect();
        store.close().await;
        (creds.unwrap(), actions)
    });
    assert!(corral_server::password::verify(
        "a long enough passphrase",
        &stored.0.password_hash
    ));
    assert!(
        stored
            .1
            .iter()
            .any(|(actor, action)| actor.starts_with("cli:")
                && action == "console-account.created")
    );
}

#[test]
fn users_without_a_database_say_which_flag_points_at_one() {
    let dir = tempfile::tempdir().unwrap();
    let out = users(dir.path(), &["list"], "");
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("there is no Corral database"), "{stderr}");
    assert!(stderr.contains("--data-dir"), "{stderr}");
}
