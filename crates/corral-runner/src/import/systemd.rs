//! systemd timers (`*.timer` plus the `*.service` they start) to jobs.
//!
//! `OnCalendar=` expressions translate to cron when they use what cron has: weekdays,
//! `*`, lists, ranges (`..`) and steps (`/`) in month, day, hour and minute, whole minutes,
//! and the shorthands (`daily`, `weekly`, …); a trailing time zone is kept. Specific years,
//! seconds other than 0 and the `~` last-day syntax are reported. So are the monotonic
//! timers (`OnBootSec`, `OnUnitActiveSec`, …), `RandomizedDelaySec` and environment files.
//! `Persistent=true` becomes catching up the latest missed run; without it missed runs are
//! only recorded. The service gives the command (`ExecStart`, its `-@:+!` prefixes
//! dropped), `Environment=` variables and the run time limit.

use std::collections::BTreeMap;
use std::path::Path;

use uuid::Uuid;

use super::{ImportOptions, ImportReport, check_cron, slug};
use crate::records::{CatchUp, CommandLine, Job, Schedule};

/// The values of a unit file: (section, key) → values in order.
type Unit = BTreeMap<(String, String), Vec<String>>;

fn parse_unit(text: &str) -> Unit {
    let mut unit = Unit::new();
    let mut section = String::new();
    let mut pending = String::new();
    for raw in text.lines() {
        let line = raw.trim();
        if pending.is_empty() && (line.is_empty() || line.starts_with('#') || line.starts_with(';'))
        {
            continue;
        }
        if let Some(cont) = line.strip_suffix('\\') {
            pending.push_str(cont);
            pending.push(' ');
            continue;
        }
        let full = std::mem::take(&mut pending) + line;
        if full.starts_with('[') && full.ends_with(']') {
            section = full[1..full.len() - 1].to_string();
        } else if let Some((k, v)) = full.split_once('=') {
            unit.entry((section.clone(), k.trim().to_string()))
                .or_default()
                .push(v.trim().to_string());
        }
    }
    unit
}

fn get<'a>(unit: &'a Unit, section: &str, key: &str) -> &'a [String] {
    unit.get(&(section.to_string(), key.to_string()))
        .map(Vec::as_slice)
        .unwrap_or(&[])
}

/// Seconds of a systemd time span: `90`, `5min`, `1h 30m`, `2s`.
pub fn timespan_seconds(text: &str) -> Option<u64> {
    let mut total = 0u64;
    let compact: String = text.split_whitespace().collect();
    let mut number = String::new();
    let mut unit = String::new();
    let mut flush = |number: &mut String, unit: &mut String| -> Option<()> {
        if number.is_empty() {
            return if unit.is_empty() { Some(()) } else { None };
        }
        let n: u64 = number.parse().ok()?;
        let factor = match unit.as_str() {
            "" | "s" | "sec" | "second" | "seconds" => 1,
            "m" | "min" | "minute" | "minutes" => 60,
            "h" | "hr" | "hour" | "hours" => 3600,
            "d" | "day" | "days" => 86_400,
            "w" | "week" | "weeks" => 604_800,
            _ => return None,
        };
        total += n * factor;
        number.clear();
        unit.clear();
        Some(())
    };
    for c in compact.chars() {
        if c.is_ascii_digit() {
            if !unit.is_empty() {
                flush(&mut number, &mut unit)?;
            }
            number.push(c);
        } else {
            unit.push(c);
        }
    }
    flush(&mut number, &mut unit)?;
    Some(total)
}

/// A cron expression and optional zone for an `OnCalendar=` value.
pub fn on_calendar_to_cron(spec: &str) -> Result<(String, Option<String>), String> {
    let spec = spec.trim();
    let shorthand = match spec.to_ascii_lowercase().as_str() {
        "minutely" => Some("* * * * *"),
        "hourly" => Some("0 * * * *"),
        "daily" => Some("0 0 * * *"),
        "weekly" => Some("0 0 * * MON"),
        "monthly" => Some("0 0 1 * *"),
        "yearly" | "annually" => Some("0 0 1 1 *"),
        "quarterly" => Some("0 0 1 1,4,7,10 *"),
        "semiannually" => Some("0 0 1 1,7 *"),
        _ => None,
    };
    if let Some(cron) = shorthand {
        return Ok((cron.into(), None));
    }
    let mut tokens: Vec<&str> = spec.split_whitespace().collect();
    let mut zone = None;
    if let Some(last) = tokens.last()
        && (last.contains('/') || *last == "UTC")
        && !last.contains(':')
        && !last.contains('-')
    {
        zone = Some(last.to_string());
        tokens.pop();
    }
    let (mut weekday, mut date, mut time) =
        ("*".to_string(), "*-*-*".to_string(), "00:00:00".to_string());
    for token in tokens {
        if token.contains(':') {
            time = token.into();
        } else if token.contains('-')
            && token
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_digit() || c == '*')
        {
            date = token.into();
        } else if token
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic())
        {
            weekday = weekdays(token)?;
        } else {
            return Err(format!("cannot read `{token}`"));
        }
    }
    if date.contains('~') {
        return Err(
            "the `~` (days before the end of the month) syntax has no cron equivalent".into(),
        );
    }
    let parts: Vec<&str> = date.split('-').collect();
    let (year, month, day) = match parts.as_slice() {
        [y, m, d] => (*y, *m, *d),
        [m, d] => ("*", *m, *d),
        _ => return Err(format!("cannot read the date `{date}`")),
    };
    if year != "*" {
        return Err(format!(
            "it names specific years ({year}); cron repeats every year"
        ));
    }
    let clock: Vec<&str> = time.split(':').collect();
    let (hour, minute, second) = match clock.as_slice() {
        [h, m] => (*h, *m, "0"),
        [h, m, s] => (*h, *m, *s),
        _ => return Err(format!("cannot read the time `{time}`")),
    };
    if !matches!(second.trim_start_matches('0'), "") {
        return Err(format!(
            "it fires at second {second}; cron works in whole minutes"
        ));
    }
    Ok((
        format!(
            "{} {} {} {} {}",
            field(minute, 59)?,
            field(hour, 23)?,
            field(day, 31)?,
            field(month, 12)?,
            weekday
        ),
        zone,
    ))
}

fn field(text: &str, max: u32) -> Result<String, String> {
    let items: Result<Vec<String>, String> = text
        .split(',')
        .map(|item| {
            let (base, step) = match item.split_once('/') {
                Some((b, s)) => (b, Some(s)),
                None => (item, None),
            };
            let base = if base == "*" {
                "*".to_string()
            } else if let Some((a, b)) = base.split_once("..") {
                format!("{}-{}", number(a)?, number(b)?)
            } else {
                number(base)?
            };
            Ok(match step {
                None => base,
                Some(step) => {
                    let step = number(step)?;
                    if base == "*" || base.contains('-') {
                        format!("{base}/{step}")
                    } else {
                        format!("{base}-{max}/{step}")
                    }
                }
            })
        })
        .collect();
    Ok(items?.join(","))
}

fn number(text: &str) -> Result<String, String> {
    text.parse::<u32>()
        .map(|n| n.to_string())
        .map_err(|_| format!("`{text}` is not a number"))
}

fn weekdays(token: &str) -> Result<String, String> {
    let day = |d: &str| -> Result<&'static str, String> {
        let lower = d.to_ascii_lowercase();
        ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
            .iter()
            .zip(["MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN"])
            .find(|(short, _)| lower.starts_with(*short))
            .map(|(_, cron)| cron)
            .ok_or_else(|| format!("`{d}` is not a weekday"))
    };
    let parts: Result<Vec<String>, String> = token
        .split(',')
        .map(|p| match p.split_once("..") {
            Some((a, b)) => Ok(format!("{}-{}", day(a)?, day(b)?)),
            None => day(p).map(str::to_string),
        })
        .collect();
    Ok(parts?.join(","))
}

pub fn import(
    timer_text: &str,
    service_text: Option<&str>,
    path: &Path,
    options: &ImportOptions,
) -> Result<ImportReport, String> {
    let timer = parse_unit(timer_text);
    let mut report = ImportReport::new(super::Format::SystemdTimer);
    let Some(service_text) = service_text else {
        return Err(format!(
            "the service this timer starts was not found; put {} beside it or pass --service",
            path.with_extension("service")
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default()
        ));
    };
    let service = parse_unit(service_text);
    let exec = get(&service, "Service", "ExecStart");
    let Some(first) = exec.first() else {
        return Err("the service has no ExecStart".into());
    };
    for extra in exec.iter().skip(1) {
        report.skip(
            "service",
            format!("ExecStart={extra}"),
            "one job runs one command; chain them in a script",
        );
    }
    let command = first
        .trim_start_matches(['-', '@', ':', '+', '!'])
        .to_string();
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut job = Job::new(slug(&stem), CommandLine::Shell(command));
    job.id = Uuid::nil();
    job.description = get(&service, "Unit", "Description")
        .first()
        .or(get(&timer, "Unit", "Description").first())
        .cloned();
    let mut review = Vec::new();
    for value in get(&service, "Service", "Environment") {
        for assignment in split_quoted(value) {
            if let Some((k, v)) = assignment.split_once('=') {
                job.env.insert(k.to_string(), v.to_string());
            }
        }
    }
    for file in get(&service, "Service", "EnvironmentFile") {
        report.skip(
            "service",
            format!("EnvironmentFile={file}"),
            "copy its plain variables into env and its credentials into secrets",
        );
    }
    if let Some(dir) = get(&service, "Service", "WorkingDirectory").first() {
        review.push(format!(
            "it ran in {dir}; put the files it needs into the job's source"
        ));
    }
    if let Some(user) = get(&service, "Service", "User").first() {
        review.push(format!(
            "it ran as user {user}; runs now have their own unprivileged sandbox"
        ));
    }
    for key in ["RuntimeMaxSec", "TimeoutStartSec"] {
        if let Some(secs) = get(&service, "Service", key)
            .first()
            .and_then(|v| timespan_seconds(v))
            && secs > 0
        {
            job.timeout_seconds = secs;
            break;
        }
    }
    job.catch_up = if get(&timer, "Timer", "Persistent")
        .first()
        .is_some_and(|v| v == "true" || v == "yes")
    {
        CatchUp::Latest
    } else {
        CatchUp::None
    };
    for key in [
        "OnActiveSec",
        "OnBootSec",
        "OnStartupSec",
        "OnUnitActiveSec",
        "OnUnitInactiveSec",
    ] {
        for value in get(&timer, "Timer", key) {
            report.skip(
                "timer",
                format!("{key}={value}"),
                "counts from a boot or a previous run on that machine; use a calendar schedule",
            );
        }
    }
    for value in get(&timer, "Timer", "RandomizedDelaySec") {
        report.skip(
            "timer",
            format!("RandomizedDelaySec={value}"),
            "runs start at the scheduled time; a random delay is not reproduced",
        );
    }
    let calendars = get(&timer, "Timer", "OnCalendar");
    if calendars.is_empty() {
        review.push("no OnCalendar= was found: it is imported as a manual job".into());
        report.add("timer".into(), job, review);
        return Ok(report);
    }
    for (i, spec) in calendars.iter().enumerate() {
        let origin = format!("OnCalendar #{}", i + 1);
        match on_calendar_to_cron(spec) {
            Ok((cron, zone)) => {
                let timezone = zone.unwrap_or_else(|| options.timezone.clone());
                if let Err(reason) = check_cron(&cron, &timezone) {
                    report.skip(origin, spec.clone(), reason);
                    continue;
                }
                let mut j = job.clone();
                j.schedule = Some(Schedule { cron, timezone });
                report.add(origin, j, review.clone());
            }
            Err(reason) => report.skip(origin, format!("OnCalendar={spec}"), reason),
        }
    }
    Ok(report)
}

/// Splits `A=1 "B=two words"` into assignments.
fn split_quoted(value: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut quote = None;
    for c in value.chars() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, c) if c.is_whitespace() => {
                if !current.is_empty() {
                    out.push(std::mem::take(&mut current));
                }
            }
            (_, c) => current.push(c),
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calendar_expressions_translate_to_cron() {
        for (spec, cron) in [
            ("daily", "0 0 * * *"),
            ("weekly", "0 0 * * MON"),
            ("Mon..Fri 07:30", "30 7 * * MON-FRI"),
            ("Mon,Wed *-*-* 18:00:00", "0 18 * * MON,WED"),
            ("*-*-01 06:00", "0 6 1 * *"),
            ("*-01,07-15 09:05", "5 9 15 1,7 *"),
            ("*:0/15", "0-59/15 * * * *"),
            ("*-*-* 08..18:00", "0 8-18 * * *"),
        ] {
            assert_eq!(on_calendar_to_cron(spec).unwrap().0, cron, "{spec}");
        }
        assert_eq!(
            on_calendar_to_cron("Mon 07:00 Europe/Berlin").unwrap(),
            ("0 7 * * MON".into(), Some("Europe/Berlin".into()))
        );
    }

    #[test]
    fn calendar_expressions_without_a_cron_equivalent_say_why() {
        for (spec, why) in [
            ("2026-*-* 07:00", "specific years"),
            ("*-*-* 07:00:30", "second 30"),
            ("*-*~03 07:00", "`~`"),
        ] {
            let err = on_calendar_to_cron(spec).unwrap_err();
            assert!(err.contains(why), "{spec}: {err}");
        }
    }

    #[test]
    fn time_spans_parse() {
        assert_eq!(timespan_seconds("90"), Some(90));
        assert_eq!(timespan_seconds("5min"), Some(300));
        assert_eq!(timespan_seconds("1h 30min"), Some(5400));
        assert_eq!(timespan_seconds("2 weeks"), Some(1_209_600));
        assert_eq!(timespan_seconds("soon"), None);
    }
}
