//! Crontab lines (`crontab -l`) to jobs.
//!
//! Five time fields and a command become a job with that cron expression in the laptop's
//! time zone (or the zone a `CRON_TZ=`/`TZ=` line sets). Variable lines become the
//! environment of the jobs below them. Not translated, with reasons: `@reboot`, commands
//! using `%` (cron feeds what follows to standard input), `MAILTO` (Corral alerts owners
//! instead of mailing output) and a non-default `SHELL`.

use uuid::Uuid;

use super::{ImportOptions, ImportReport, check_cron, name_from_command};
use crate::records::{CommandLine, Job, Schedule};

pub fn import(text: &str, options: &ImportOptions) -> ImportReport {
    let mut report = ImportReport::new(super::Format::Crontab);
    let mut env = std::collections::BTreeMap::new();
    let mut timezone = options.timezone.clone();
    for (index, raw) in text.lines().enumerate() {
        let origin = format!("line {}", index + 1);
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some((name, value)) = assignment(line) {
            match name {
                "CRON_TZ" | "TZ" => timezone = value,
                "MAILTO" | "MAILFROM" => report.skip(
                    origin,
                    line,
                    "cron mails output; Corral keeps every run's log and alerts the job's owners instead",
                ),
                "SHELL" if value != "/bin/sh" => report.skip(
                    origin,
                    line,
                    "commands run with /bin/sh; wrap them in the shell you need (e.g. bash -c '…')",
                ),
                "SHELL" => {}
                _ => {
                    env.insert(name.to_string(), value);
                }
            }
            continue;
        }
        let (cron, command) = match split_entry(line) {
            Ok(parts) => parts,
            Err(reason) => {
                report.skip(origin, line, reason);
                continue;
            }
        };
        if has_unescaped_percent(&command) {
            report.skip(
                origin,
                line,
                "an unescaped % passes the rest of the line to standard input; jobs have none — move that input into a file",
            );
            continue;
        }
        if let Err(reason) = check_cron(&cron, &timezone) {
            report.skip(origin, line, reason);
            continue;
        }
        let command = command.replace("\\%", "%");
        let mut job = Job::new(name_from_command(&command), CommandLine::Shell(command));
        job.id = Uuid::nil();
        job.schedule = Some(Schedule {
            cron,
            timezone: timezone.clone(),
        });
        job.env = env.clone();
        report.add(origin, job, Vec::new());
    }
    report
}

/// `NAME=value` (optionally quoted), as cron reads it.
fn assignment(line: &str) -> Option<(&str, String)> {
    let (name, value) = line.split_once('=')?;
    let name = name.trim();
    let valid = name
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if !valid {
        return None;
    }
    let value = value.trim();
    let unquoted = value
        .strip_prefix('"')
        .and_then(|v| v.strip_suffix('"'))
        .or_else(|| value.strip_prefix('\'').and_then(|v| v.strip_suffix('\'')))
        .unwrap_or(value);
    Some((name, unquoted.to_string()))
}

/// The cron expression and the command of an entry line.
fn split_entry(line: &str) -> Result<(String, String), String> {
    if let Some(rest) = line.strip_prefix('@') {
        let (nick, command) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
        let cron = match nick.to_ascii_lowercase().as_str() {
            "reboot" => {
                return Err(
                    "@reboot runs when the laptop starts; a central runner has no such moment — \
                     use a schedule, or run it as a manual job"
                        .into(),
                );
            }
            "yearly" | "annually" => "0 0 1 1 *",
            "monthly" => "0 0 1 * *",
            "weekly" => "0 0 * * 0",
            "daily" | "midnight" => "0 0 * * *",
            "hourly" => "0 * * * *",
            other => return Err(format!("unknown nickname @{other}")),
        };
        let command = command.trim();
        if command.is_empty() {
            return Err("no command after the schedule".into());
        }
        return Ok((cron.into(), command.into()));
    }
    let mut rest = line;
    let mut fields = Vec::new();
    for _ in 0..5 {
        rest = rest.trim_start();
        let end = rest
            .find(char::is_whitespace)
            .ok_or_else(|| "expected five time fields and a command".to_string())?;
        fields.push(&rest[..end]);
        rest = &rest[end..];
    }
    let command = rest.trim();
    if command.is_empty() {
        return Err("no command after the five time fields".into());
    }
    Ok((fields.join(" "), command.into()))
}

fn has_unescaped_percent(command: &str) -> bool {
    let bytes = command.as_bytes();
    bytes
        .iter()
        .enumerate()
        .any(|(i, &b)| b == b'%' && (i == 0 || bytes[i - 1] != b'\\'))
}
