//! `corral jobs import` over one fixture of each format: what is translated (snapshots of
//! the TOML to review) and what is reported as untranslated, with reasons.

use std::path::Path;

use corral_runner::import::{Format, ImportOptions, import_file};

fn import(name: &str) -> corral_runner::import::ImportReport {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/import")
        .join(name);
    let options = ImportOptions {
        timezone: "Europe/Berlin".into(),
        service_file: None,
    };
    import_file(&path, &options).unwrap()
}

fn untranslated(report: &corral_runner::import::ImportReport) -> Vec<String> {
    report
        .untranslated
        .iter()
        .map(|u| format!("{}: {}", u.origin, u.item))
        .collect()
}

#[test]
fn a_crontab_translates_its_entries_and_reports_reboot_mail_stdin_and_bad_lines() {
    let report = import("sales.crontab");
    assert_eq!(report.format, Format::Crontab);
    assert_eq!(report.jobs.len(), 4);
    assert_eq!(
        untranslated(&report),
        [
            "line 2: MAILTO=sam@example.com",
            "line 11: @reboot ~/bin/start_tunnel.sh",
            "line 13: 0 9 * * * mail -s report sam@example.com % see attachment",
            "line 14: 0 25 * * * ~/bin/typo.sh",
        ]
    );
    assert!(
        report.untranslated[1]
            .reason
            .contains("@reboot runs when the laptop starts")
    );
    insta::assert_snapshot!("crontab", report.to_toml());
}

#[test]
fn a_utf16_task_scheduler_export_translates_calendar_triggers_and_reports_the_rest() {
    let report = import("weekly-forecast.xml");
    assert_eq!(report.format, Format::TaskScheduler);
    let crons: Vec<_> = report
        .jobs
        .iter()
        .map(|j| j.job.schedule.as_ref().unwrap().cron.as_str())
        .collect();
    assert_eq!(crons, ["15 7 * * MON,THU", "0 6 * * 5L"]);
    let job = &report.jobs[0].job;
    assert_eq!(job.name, "weekly-forecast-copy");
    assert_eq!(job.retry.max_retries, 3);
    assert_eq!(job.timeout_seconds, 7200);
    // The last Friday of a month: 2026-05-29.
    let last_friday =
        corral_runner::cron_schedule::CronSchedule::parse("0 6 * * 5L", "Europe/Berlin")
            .unwrap()
            .next_after("2026-05-01T00:00:00Z".parse().unwrap())
            .unwrap();
    assert_eq!(last_friday.to_rfc3339(), "2026-05-29T04:00:00+00:00");
    assert_eq!(
        untranslated(&report),
        [
            "action 2: SendEmail",
            "trigger 2: RandomDelay PT30M",
            "trigger 3: CalendarTrigger",
            "trigger 4: LogonTrigger",
        ]
    );
    assert!(report.untranslated[2].reason.contains("every 3 days"));
    insta::assert_snapshot!("schtasks", report.to_toml());
}

#[test]
fn a_launchd_plist_translates_calendar_intervals_and_reports_load_and_watch_triggers() {
    let report = import("sync-crm.plist");
    assert_eq!(report.format, Format::Launchd);
    let crons: Vec<_> = report
        .jobs
        .iter()
        .map(|j| j.job.schedule.as_ref().unwrap().cron.as_str())
        .collect();
    assert_eq!(crons, ["30 8 * * 1", "0 17 * * *"]);
    assert_eq!(
        untranslated(&report),
        ["plist: RunAtLoad", "plist: WatchPaths"]
    );
    insta::assert_snapshot!("launchd", report.to_toml());
}

#[test]
fn a_systemd_timer_and_its_service_translate_and_report_boot_and_random_delays() {
    let report = import("invoice-export.timer");
    assert_eq!(report.format, Format::SystemdTimer);
    let schedules: Vec<_> = report
        .jobs
        .iter()
        .map(|j| {
            let s = j.job.schedule.as_ref().unwrap();
            format!("{} {}", s.cron, s.timezone)
        })
        .collect();
    assert_eq!(
        schedules,
        ["45 6 * * MON-FRI Europe/Berlin", "0 5 1 * * Europe/Berlin"]
    );
    assert_eq!(
        untranslated(&report),
        [
            "service: EnvironmentFile=/etc/finance/erp.env",
            "timer: OnBootSec=15min",
            "timer: RandomizedDelaySec=10min",
            "OnCalendar #3: OnCalendar=*-*-* 07:00:30",
        ]
    );
    let job = &report.jobs[0].job;
    assert_eq!(job.env["EXPORT_TITLE"], "Daily invoices");
    assert_eq!(job.timeout_seconds, 1800);
    insta::assert_snapshot!("systemd", report.to_toml());
}

#[test]
fn imported_toml_reads_back_as_valid_jobs() {
    #[derive(serde::Deserialize)]
    struct Doc {
        job: Vec<corral_runner::records::Job>,
    }
    for name in [
        "sales.crontab",
        "weekly-forecast.xml",
        "sync-crm.plist",
        "invoice-export.timer",
    ] {
        let report = import(name);
        let doc: Doc = toml::from_str(&report.to_toml()).unwrap();
        assert_eq!(doc.job.len(), report.jobs.len(), "{name}");
        assert!(doc.job.iter().all(|j| j.validate().is_empty()), "{name}");
    }
}

#[test]
fn a_malformed_file_is_refused_with_its_name_and_the_problem() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("broken.xml");
    std::fs::write(&path, "<Task><Triggers>").unwrap();
    let err = import_file(&path, &ImportOptions::default())
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("broken.xml") && err.contains("not valid XML"),
        "{err}"
    );
}
