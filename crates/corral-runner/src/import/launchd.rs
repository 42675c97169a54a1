//! launchd property lists (`~/Library/LaunchAgents/*.plist`, XML form) to jobs.
//!
//! `StartCalendarInterval` entries become cron expressions; as in launchd, a key left out
//! is a wildcard (an entry with only `Hour = 9` fires every minute of that hour, and the
//! translation says so). `StartInterval` becomes a cron step when it divides an hour or a
//! day. `RunAtLoad`, `KeepAlive`, `WatchPaths`, `QueueDirectories` and `StartOnMount` follow
//! the Mac's life (login, file changes, mounts) and are reported. Binary plists must be
//! converted first (`plutil -convert xml1`).

use std::collections::BTreeMap;
use std::path::Path;

use roxmltree::{Document, Node, ParsingOptions};
use uuid::Uuid;

use super::{ImportOptions, ImportReport, check_cron, slug};
use crate::records::{CommandLine, Job, Schedule};

/// A plist value.
#[derive(Debug, Clone, PartialEq)]
enum Value {
    String(String),
    Integer(i64),
    Bool(bool),
    Array(Vec<Value>),
    Dict(BTreeMap<String, Value>),
    Other,
}

fn value(node: Node) -> Value {
    match node.tag_name().name() {
        "string" => Value::String(node.text().unwrap_or("").to_string()),
        "integer" => node
            .text()
            .and_then(|t| t.trim().parse().ok())
            .map_or(Value::Other, Value::Integer),
        "true" => Value::Bool(true),
        "false" => Value::Bool(false),
        "array" => Value::Array(
            node.children()
                .filter(Node::is_element)
                .map(value)
                .collect(),
        ),
        "dict" => {
            let mut map = BTreeMap::new();
            let mut key = None;
            for c in node.children().filter(Node::is_element) {
                if c.tag_name().name() == "key" {
                    key = Some(c.text().unwrap_or("").to_string());
                } else if let Some(k) = key.take() {
                    map.insert(k, value(c));
                }
            }
            Value::Dict(map)
        }
        _ => Value::Other,
    }
}

pub fn import(text: &str, path: &Path, options: &ImportOptions) -> Result<ImportReport, String> {
    if text.starts_with("bplist") {
        return Err(
            "a binary property list; convert it with `plutil -convert xml1 FILE` first".into(),
        );
    }
    let opts = ParsingOptions {
        allow_dtd: true,
        ..ParsingOptions::default()
    };
    let doc =
        Document::parse_with_options(text, opts).map_err(|e| format!("not valid XML: {e}"))?;
    let root = doc.root_element();
    let dict = root
        .children()
        .find(|c| c.is_element())
        .map(value)
        .and_then(|v| match v {
            Value::Dict(d) => Some(d),
            _ => None,
        })
        .ok_or("expected a <plist> holding a <dict>")?;
    let mut report = ImportReport::new(super::Format::Launchd);
    let label = match dict.get("Label") {
        Some(Value::String(l)) => l.clone(),
        _ => path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default(),
    };
    // com.acme.sales-report → sales-report
    let name = slug(label.rsplit('.').next().unwrap_or(&label));

    let mut argv: Vec<String> = match dict.get("ProgramArguments") {
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(|v| match v {
                Value::String(s) => Some(s.clone()),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    };
    if let Some(Value::String(program)) = dict.get("Program") {
        if argv.is_empty() {
            argv.push(program.clone());
        } else {
            argv[0] = program.clone();
        }
    }
    if argv.is_empty() {
        report.skip("plist", label, "no Program or ProgramArguments to run");
        return Ok(report);
    }
    let mut job = Job::new(name, CommandLine::Argv(argv));
    job.id = Uuid::nil();
    let mut review = Vec::new();
    if let Some(Value::Dict(env)) = dict.get("EnvironmentVariables") {
        for (k, v) in env {
            if let Value::String(v) = v {
                job.env.insert(k.clone(), v.clone());
            }
        }
    }
    if let Some(Value::String(dir)) = dict.get("WorkingDirectory") {
        review.push(format!(
            "it ran in {dir}; put the files it needs into the job's source"
        ));
    }
    for key in ["StandardOutPath", "StandardErrorPath"] {
        if let Some(Value::String(p)) = dict.get(key) {
            review.push(format!("{key} {p}: output is now kept in each run's log"));
        }
    }
    if dict.get("Disabled") == Some(&Value::Bool(true)) {
        job.enabled = false;
    }
    for (key, reason) in [
        (
            "RunAtLoad",
            "runs when the agent loads (at login); a central runner has no login",
        ),
        (
            "KeepAlive",
            "keeps a process alive; jobs are scheduled runs, not services",
        ),
        (
            "WatchPaths",
            "runs when files on the Mac change, which the runner cannot see",
        ),
        (
            "QueueDirectories",
            "runs when files arrive in a Mac folder, which the runner cannot see",
        ),
        ("StartOnMount", "runs when a volume mounts on the Mac"),
    ] {
        match dict.get(key) {
            None | Some(Value::Bool(false)) => {}
            Some(_) => report.skip("plist", key, reason),
        }
    }

    let mut schedules: Vec<(String, String)> = Vec::new();
    match dict.get("StartCalendarInterval") {
        Some(Value::Dict(d)) => schedules.push(calendar(d, "StartCalendarInterval")),
        Some(Value::Array(items)) => {
            for (i, item) in items.iter().enumerate() {
                if let Value::Dict(d) = item {
                    schedules.push(calendar(
                        d,
                        &format!("StartCalendarInterval entry {}", i + 1),
                    ));
                }
            }
        }
        _ => {}
    }
    if let Some(Value::Integer(seconds)) = dict.get("StartInterval") {
        match interval_cron(*seconds) {
            Some(cron) => {
                review.push(format!(
                    "StartInterval {seconds} counted from when the agent loaded; the job now runs on the clock ({cron})"
                ));
                schedules.push((cron, "StartInterval".into()));
            }
            None => report.skip(
                "plist",
                format!("StartInterval {seconds}"),
                "an interval that does not divide an hour or a day evenly has no cron equivalent",
            ),
        }
    }
    if schedules.is_empty() {
        review.push("no schedule was found: it is imported as a manual job".into());
        report.add("plist".into(), job, review);
        return Ok(report);
    }
    for (cron, origin) in schedules {
        if let Err(reason) = check_cron(&cron, &options.timezone) {
            report.skip(origin, cron, reason);
            continue;
        }
        let mut j = job.clone();
        let mut notes = review.clone();
        if cron.starts_with("* ") {
            notes.push("no Minute was given, so launchd ran it every minute of the matching hours; cron does the same".into());
        }
        j.schedule = Some(Schedule {
            cron,
            timezone: options.timezone.clone(),
        });
        report.add(origin, j, notes);
    }
    Ok(report)
}

fn calendar(d: &BTreeMap<String, Value>, origin: &str) -> (String, String) {
    let field = |key: &str| match d.get(key) {
        Some(Value::Integer(n)) if key == "Weekday" => (n % 7).to_string(),
        Some(Value::Integer(n)) => n.to_string(),
        _ => "*".to_string(),
    };
    (
        format!(
            "{} {} {} {} {}",
            field("Minute"),
            field("Hour"),
            field("Day"),
            field("Month"),
            field("Weekday")
        ),
        origin.to_string(),
    )
}

fn interval_cron(seconds: i64) -> Option<String> {
    match seconds {
        s if s > 0 && s % 60 == 0 && s < 3600 && 3600 % s == 0 => {
            Some(format!("*/{} * * * *", s / 60))
        }
        3600 => Some("0 * * * *".into()),
        s if s > 3600 && s % 3600 == 0 && 86_400 % s == 0 => {
            Some(format!("0 */{} * * *", s / 3600))
        }
        86_400 => Some("0 0 * * *".into()),
        _ => None,
    }
}
