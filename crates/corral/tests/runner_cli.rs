//! The runner's local commands through the real binary: import, secrets, run.

use std::process::Command;

fn corral(data_dir: &std::path::Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_corral"));
    cmd.env("CORRAL_DATA_DIR", data_dir)
        .env_remove("CORRAL_MASTER_KEY");
    cmd
}

#[test]
fn jobs_import_prints_toml_and_lists_what_it_could_not_translate() {
    let dir = tempfile::tempdir().unwrap();
    let crontab = dir.path().join("crontab.txt");
    std::fs::write(&crontab, "0 7 * * 1-5 ./report.sh\n@reboot ./tunnel.sh\n").unwrap();
    let out = corral(dir.path())
        .args(["jobs", "import", "--timezone", "Europe/Berlin"])
        .arg(&crontab)
        .output()
        .unwrap();
    assert!(out.status.success());
    let stdout = String::from_utf8(out.stdout).unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stdout.contains("name = \"report\"") && stdout.contains("cron = \"0 7 * * 1-5\""),
        "{stdout}"
    );
    assert!(
        stderr.contains("1 job(s) to review, 1 item(s) not translated"),
        "{stderr}"
    );
    assert!(stderr.contains("@reboot"), "{stderr}");
}

#[test]
fn a_stored_secret_is_injected_into_a_local_run_and_masked_in_its_output() {
    let dir = tempfile::tempdir().unwrap();
    let value = "crm_live_7Hq2Lm9Tt4Vb1Nc8";
    let mut set = corral(dir.path())
        .args(["secrets", "set", "crm-token"])
        .stdin(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    set.stdin
        .take()
        .unwrap()
        .write_all(value.as_bytes())
        .unwrap();
    assert!(set.wait().unwrap().success());

    let list = corral(dir.path())
        .args(["secrets", "list"])
        .output()
        .unwrap();
    let listed = String::from_utf8(list.stdout).unwrap();
    assert!(
        listed.contains("crm-token") && !listed.contains(value),
        "{listed}"
    );
    let stored = std::fs::read_to_string(dir.path().join("secrets.json")).unwrap();
    assert!(!stored.contains(value));

    let jobs = dir.path().join("jobs.toml");
    std::fs::write(
        &jobs,
        "[[job]]\nname = \"crm-sync\"\ncommand = \"echo token=$CRM_TOKEN\"\n[job.secrets]\nCRM_TOKEN = \"crm-token\"\n",
    )
    .unwrap();
    let run = corral(dir.path())
        .args(["jobs", "run", "--sandbox", "off"])
        .arg(&jobs)
        .arg("crm-sync")
        .output()
        .unwrap();
    let stdout = String::from_utf8(run.stdout).unwrap();
    assert!(run.status.success(), "{stdout}");
    assert!(stdout.contains("token=[masked CRM_TOKEN]"), "{stdout}");
    assert!(!stdout.contains(value));
}

#[test]
fn jobs_check_names_the_invalid_job_and_field() {
    let dir = tempfile::tempdir().unwrap();
    let jobs = dir.path().join("jobs.toml");
    std::fs::write(
        &jobs,
        "[[job]]\nname = \"ok\"\ncommand = \"true\"\nschedule = { cron = \"0 7 * * *\", timezone = \"Europe/Berlin\" }\n\n[[job]]\nname = \"bad\"\ncommand = \"true\"\nschedule = { cron = \"0 7 * * *\", timezone = \"Berlin\" }\n",
    )
    .unwrap();
    let out = corral(dir.path())
        .args(["jobs", "check"])
        .arg(&jobs)
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stdout.contains("bad: invalid") && stdout.contains("schedule: unknown time zone `Berlin`"),
        "{stdout}"
    );
    assert!(
        stdout.contains("ok: `0 7 * * *` in Europe/Berlin; next:"),
        "{stdout}"
    );
}
