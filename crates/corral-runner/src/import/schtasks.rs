//! Windows Task Scheduler exports (`schtasks /query /xml /tn NAME`) to jobs.
//!
//! Calendar triggers become cron expressions: daily, weekly (every week), monthly by day or
//! by "first/second/…/last weekday", with a repetition of minutes or hours inside the day
//! when it divides evenly. One-time, logon, boot, idle, event, session and registration
//! triggers have no schedule equivalent and are reported, as are random delays, "every N
//! days" and the `Queue` instance policy. Settings map to job policies: the execution
//! time limit to the timeout, `RestartOnFailure` to retries, `MultipleInstancesPolicy` to
//! the overlap policy, `StartWhenAvailable` to catching up the latest missed run.
//!
//! Task Scheduler times are the PC's local time unless they carry an offset, so the zone
//! comes from the import options.

use std::path::Path;

use roxmltree::{Document, Node};
use uuid::Uuid;

use super::{ImportOptions, ImportReport, check_cron, name_from_command, slug};
use crate::records::{CatchUp, CommandLine, Job, OverlapPolicy, RetryPolicy, Schedule};

fn child<'a>(node: Node<'a, 'a>, name: &str) -> Option<Node<'a, 'a>> {
    node.children()
        .find(|c| c.is_element() && c.tag_name().name() == name)
}

fn text_of(node: Node, name: &str) -> Option<String> {
    child(node, name)
        .and_then(|c| c.text())
        .map(|t| t.trim().to_string())
}

const DAYS: [(&str, &str); 7] = [
    ("Sunday", "SUN"),
    ("Monday", "MON"),
    ("Tuesday", "TUE"),
    ("Wednesday", "WED"),
    ("Thursday", "THU"),
    ("Friday", "FRI"),
    ("Saturday", "SAT"),
];

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// Seconds of an ISO 8601 duration such as `PT72H`, `P1D`, `PT1M30S`.
pub fn iso_duration_seconds(text: &str) -> Option<u64> {
    let rest = text.trim().strip_prefix('P')?;
    let (date, time) = rest.split_once('T').unwrap_or((rest, ""));
    let mut total = 0u64;
    for (part, units) in [
        (
            date,
            &[
                ('Y', 365 * 86_400),
                ('M', 30 * 86_400),
                ('W', 7 * 86_400),
                ('D', 86_400),
            ][..],
        ),
        (time, &[('H', 3600), ('M', 60), ('S', 1)][..]),
    ] {
        let mut number = String::new();
        for c in part.chars() {
            if c.is_ascii_digit() {
                number.push(c);
            } else {
                let unit = units.iter().find(|(u, _)| *u == c)?.1;
                total += number.parse::<u64>().ok()? * unit;
                number.clear();
            }
        }
        if !number.is_empty() {
            return None;
        }
    }
    Some(total)
}

pub fn import(text: &str, path: &Path, options: &ImportOptions) -> Result<ImportReport, String> {
    let doc = Document::parse(text).map_err(|e| format!("not valid XML: {e}"))?;
    let task = doc.root_element();
    if task.tag_name().name() != "Task" {
        return Err(format!(
            "expected a Task Scheduler export (<Task>), found <{}>",
            task.tag_name().name()
        ));
    }
    let mut report = ImportReport::new(super::Format::TaskScheduler);

    let info = child(task, "RegistrationInfo");
    let task_name = info
        .and_then(|i| text_of(i, "URI"))
        .and_then(|uri| uri.rsplit('\\').next().map(str::to_string))
        .filter(|n| !n.is_empty())
        .or_else(|| path.file_stem().map(|s| s.to_string_lossy().into_owned()));
    let description = info.and_then(|i| text_of(i, "Description"));

    // The command: the first Exec action; other action kinds cannot run.
    let mut command = None;
    let mut review = Vec::new();
    if let Some(actions) = child(task, "Actions") {
        for (i, action) in actions.children().filter(Node::is_element).enumerate() {
            let origin = format!("action {}", i + 1);
            match action.tag_name().name() {
                "Exec" if command.is_none() => {
                    let program = text_of(action, "Command").unwrap_or_default();
                    let args = text_of(action, "Arguments").unwrap_or_default();
                    command = Some(format!("{program} {args}").trim().to_string());
                    if let Some(dir) = text_of(action, "WorkingDirectory") {
                        review.push(format!(
                            "it ran in {dir}; put the files it needs into the job's source"
                        ));
                    }
                }
                "Exec" => report.skip(
                    origin,
                    "a further Exec action",
                    "one job runs one command; chain them in a script or import them as separate jobs",
                ),
                other => report.skip(
                    origin,
                    other,
                    "only program (Exec) actions can run; e-mail, message and COM actions have no equivalent",
                ),
            }
        }
    }
    let Some(command) = command.filter(|c| !c.is_empty()) else {
        report.skip(
            "Actions",
            "the task",
            "it has no program (Exec) action to run",
        );
        return Ok(report);
    };
    if command.contains('\\') || command.to_ascii_lowercase().contains(".exe") {
        review.push("this is a Windows command line; rewrite it for the Linux runner".into());
    }

    // Settings shared by all jobs made from this task.
    let mut base = Job::new(
        task_name
            .as_deref()
            .map(slug)
            .unwrap_or_else(|| name_from_command(&command)),
        CommandLine::Shell(command),
    );
    base.id = Uuid::nil();
    base.description = description;
    base.catch_up = CatchUp::None;
    if let Some(settings) = child(task, "Settings") {
        if let Some(limit) =
            text_of(settings, "ExecutionTimeLimit").and_then(|d| iso_duration_seconds(&d))
            && limit > 0
        {
            base.timeout_seconds = limit;
        }
        match text_of(settings, "MultipleInstancesPolicy").as_deref() {
            Some("Parallel") => base.overlap = OverlapPolicy::Allow,
            Some("StopExisting") => base.overlap = OverlapPolicy::Replace,
            Some("Queue") => report.skip(
                "Settings",
                "MultipleInstancesPolicy Queue",
                "runs are not queued behind each other; an overlapping run is skipped instead",
            ),
            _ => base.overlap = OverlapPolicy::Forbid,
        }
        if text_of(settings, "StartWhenAvailable").as_deref() == Some("true") {
            base.catch_up = CatchUp::Latest;
        }
        if let Some(restart) = child(settings, "RestartOnFailure") {
            let count = text_of(restart, "Count")
                .and_then(|c| c.parse().ok())
                .unwrap_or(0);
            let interval = text_of(restart, "Interval")
                .and_then(|d| iso_duration_seconds(&d))
                .unwrap_or(60);
            base.retry = RetryPolicy {
                max_retries: count,
                initial_delay_seconds: interval,
                multiplier: 1.0,
                max_delay_seconds: interval,
            };
        }
        if text_of(settings, "Enabled").as_deref() == Some("false") {
            base.enabled = false;
        }
        if text_of(settings, "WakeToRun").as_deref() == Some("true") {
            report.skip(
                "Settings",
                "WakeToRun",
                "the runner is always on; nothing to wake",
            );
        }
    }

    let triggers: Vec<Node> = child(task, "Triggers")
        .map(|t| t.children().filter(Node::is_element).collect())
        .unwrap_or_default();
    if triggers.is_empty() {
        report.add("task".into(), base, review);
        return Ok(report);
    }
    for (i, trigger) in triggers.iter().enumerate() {
        let origin = format!("trigger {}", i + 1);
        let kind = trigger.tag_name().name();
        let why = match kind {
            "CalendarTrigger" => None,
            "TimeTrigger" => Some("a one-time trigger; run it once by hand as a manual job"),
            "LogonTrigger" => Some("runs when someone logs on; a central runner has no logon"),
            "BootTrigger" => Some("runs when the PC starts; a central runner has no such moment"),
            "IdleTrigger" => Some("runs when the PC is idle; there is no idle state to follow"),
            "EventTrigger" => {
                Some("runs on a Windows event log entry, which the runner cannot see")
            }
            "SessionStateChangeTrigger" => Some("runs on session lock/unlock or remote connection"),
            "RegistrationTrigger" => Some("runs when the task is registered; use a manual run"),
            _ => Some("an unknown trigger type"),
        };
        if let Some(reason) = why {
            report.skip(origin, kind, reason);
            continue;
        }
        if text_of(*trigger, "Enabled").as_deref() == Some("false") {
            report.skip(origin, kind, "the trigger is disabled");
            continue;
        }
        if let Some(delay) = text_of(*trigger, "RandomDelay") {
            report.skip(
                origin.clone(),
                format!("RandomDelay {delay}"),
                "runs start at the scheduled time; a random delay is not reproduced",
            );
        }
        match calendar_cron(*trigger, &options.timezone) {
            Ok((cron, timezone)) => {
                if let Err(reason) = check_cron(&cron, &timezone) {
                    report.skip(origin, kind, reason);
                    continue;
                }
                let mut job = base.clone();
                job.schedule = Some(Schedule { cron, timezone });
                report.add(origin, job, review.clone());
            }
            Err(reason) => report.skip(origin, kind, reason),
        }
    }
    Ok(report)
}

/// The cron expression and zone of a `CalendarTrigger`.
fn calendar_cron(trigger: Node, default_tz: &str) -> Result<(String, String), String> {
    let start = text_of(trigger, "StartBoundary").ok_or("it has no StartBoundary (start time)")?;
    let (time_part, timezone) = if let Some(t) = start.strip_suffix('Z') {
        (t.to_string(), "UTC".to_string())
    } else if start.len() > 19 && matches!(start.as_bytes()[19], b'+' | b'-') {
        return Err(format!(
            "the start time {start} has a fixed UTC offset; import with --timezone set to the PC's zone and remove the offset"
        ));
    } else {
        (start.clone(), default_tz.to_string())
    };
    let clock = time_part
        .split('T')
        .nth(1)
        .ok_or("StartBoundary has no time")?;
    let mut hms = clock.split(':');
    let hour: u32 = hms
        .next()
        .and_then(|h| h.parse().ok())
        .ok_or("bad hour in StartBoundary")?;
    let minute: u32 = hms
        .next()
        .and_then(|m| m.parse().ok())
        .ok_or("bad minute in StartBoundary")?;

    // Repetition within the day.
    let (mut minute_field, mut hour_field) = (minute.to_string(), hour.to_string());
    if let Some(rep) = child(trigger, "Repetition") {
        let interval = text_of(rep, "Interval")
            .and_then(|d| iso_duration_seconds(&d))
            .unwrap_or(0);
        let duration = text_of(rep, "Duration").and_then(|d| iso_duration_seconds(&d));
        let whole_day = duration.is_none_or(|d| d == 0 || d >= 86_400);
        if !whole_day {
            return Err("it repeats only for part of the day; express that window as a cron hour range by hand".into());
        }
        match interval {
            s if s > 0 && s % 60 == 0 && s < 3600 && 60 % (s / 60) == 0 => {
                let every = (s / 60) as u32;
                minute_field = match minute % every {
                    0 => format!("*/{every}"),
                    first => format!("{first}-59/{every}"),
                };
                hour_field = "*".into();
            }
            s if s >= 3600 && s % 3600 == 0 && 24 % (s / 3600) == 0 => {
                let every = (s / 3600) as u32;
                hour_field = if every == 1 {
                    "*".into()
                } else {
                    format!("{}-23/{every}", hour % every)
                };
            }
            0 => {}
            s => {
                return Err(format!(
                    "it repeats every {s} s, which does not divide an hour or a day evenly"
                ));
            }
        }
    }

    let (dom, month, dow) = if let Some(day) = child(trigger, "ScheduleByDay") {
        let interval = text_of(day, "DaysInterval").unwrap_or_else(|| "1".into());
        if interval != "1" {
            return Err(format!(
                "it runs every {interval} days, which cron cannot express"
            ));
        }
        ("*".to_string(), "*".to_string(), "*".to_string())
    } else if let Some(week) = child(trigger, "ScheduleByWeek") {
        let interval = text_of(week, "WeeksInterval").unwrap_or_else(|| "1".into());
        if interval != "1" {
            return Err(format!(
                "it runs every {interval} weeks, which cron cannot express"
            ));
        }
        ("*".into(), "*".into(), days_of_week(week)?)
    } else if let Some(month) = child(trigger, "ScheduleByMonth") {
        let days: Vec<String> = child(month, "DaysOfMonth")
            .map(|d| {
                d.children()
                    .filter(|c| c.tag_name().name() == "Day")
                    .filter_map(|c| {
                        c.text().map(|t| {
                            if t.trim() == "Last" {
                                "L".to_string()
                            } else {
                                t.trim().to_string()
                            }
                        })
                    })
                    .collect()
            })
            .unwrap_or_default();
        if days.is_empty() {
            return Err("a monthly trigger without days".into());
        }
        (days.join(","), months(month), "*".into())
    } else if let Some(mdw) = child(trigger, "ScheduleByMonthDayOfWeek") {
        let weeks: Vec<String> = child(mdw, "Weeks")
            .map(|w| {
                w.children()
                    .filter_map(|c| c.text())
                    .map(|t| t.trim().to_string())
                    .filter(|t| !t.is_empty())
                    .collect()
            })
            .unwrap_or_default();
        let days = days_of_week(mdw)?;
        if weeks.len() != 1 || days.contains(',') {
            return Err(
                "several weeks or weekdays in one monthly trigger; split it into one trigger each"
                    .into(),
            );
        }
        // `L` and `#` need the weekday as a number (Sunday = 0).
        let days = DAYS
            .iter()
            .position(|(_, short)| *short == days)
            .map(|n| n.to_string())
            .ok_or("unknown weekday")?;
        let dow = match weeks[0].as_str() {
            "Last" => format!("{days}L"),
            n @ ("1" | "2" | "3" | "4") => format!("{days}#{n}"),
            other => return Err(format!("unknown week `{other}`")),
        };
        ("*".into(), months(mdw), dow)
    } else {
        return Err("a calendar trigger without a schedule (ScheduleByDay/Week/Month)".into());
    };
    Ok((
        format!("{minute_field} {hour_field} {dom} {month} {dow}"),
        timezone,
    ))
}

fn days_of_week(node: Node) -> Result<String, String> {
    let days = child(node, "DaysOfWeek").ok_or("no DaysOfWeek")?;
    let names: Vec<&str> = DAYS
        .iter()
        .filter(|(long, _)| child(days, long).is_some())
        .map(|(_, short)| *short)
        .collect();
    if names.is_empty() {
        return Err("DaysOfWeek lists no day".into());
    }
    Ok(names.join(","))
}

fn months(node: Node) -> String {
    let Some(months) = child(node, "Months") else {
        return "*".into();
    };
    let listed: Vec<String> = MONTHS
        .iter()
        .enumerate()
        .filter(|(_, m)| child(months, m).is_some())
        .map(|(i, _)| (i + 1).to_string())
        .collect();
    if listed.is_empty() || listed.len() == 12 {
        "*".into()
    } else {
        listed.join(",")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_durations_parse() {
        assert_eq!(iso_duration_seconds("PT72H"), Some(259_200));
        assert_eq!(iso_duration_seconds("P1D"), Some(86_400));
        assert_eq!(iso_duration_seconds("PT1M30S"), Some(90));
        assert_eq!(iso_duration_seconds("PT0S"), Some(0));
        assert_eq!(iso_duration_seconds("72H"), None);
        assert_eq!(iso_duration_seconds("PT5X"), None);
    }
}
