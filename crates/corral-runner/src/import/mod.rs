//! `corral jobs import`: turning a laptop's schedules into job definitions to review.
//!
//! Four formats people actually have: a crontab, a Windows Task Scheduler export
//! (`schtasks /query /xml`, often UTF-16), a launchd property list, and a systemd timer with
//! its service. Each importer translates what has a faithful equivalent and lists, with a
//! reason, everything it could not translate (`@reboot`, logon triggers, randomised delays,
//! mail settings…): an import that silently drops a trigger would be worse than none. The
//! output is a set of [`Job`]s to review and save, never jobs that start running on their
//! own.

pub mod crontab;
pub mod launchd;
pub mod schtasks;
pub mod systemd;
pub mod text;

use std::collections::BTreeSet;
use std::path::Path;

use serde::Serialize;

use crate::cron_schedule::CronSchedule;
use crate::records::Job;

/// The format of a file to import.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Format {
    Crontab,
    TaskScheduler,
    Launchd,
    SystemdTimer,
}

impl Format {
    /// Guesses the format from the file name and its decoded text.
    pub fn detect(path: &Path, text: &str) -> Self {
        let head = text.trim_start();
        if path.extension().is_some_and(|e| e == "timer") || head.contains("[Timer]") {
            Format::SystemdTimer
        } else if head.contains("<plist") || path.extension().is_some_and(|e| e == "plist") {
            Format::Launchd
        } else if head.contains("<Task") {
            Format::TaskScheduler
        } else {
            Format::Crontab
        }
    }
}

/// Settings the source format does not carry.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// The laptop's time zone: crontabs, launchd and Task Scheduler use local time.
    pub timezone: String,
    /// The systemd service a timer starts, when it is not beside the timer file.
    pub service_file: Option<std::path::PathBuf>,
}

impl Default for ImportOptions {
    fn default() -> Self {
        Self {
            timezone: "UTC".into(),
            service_file: None,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct ImportedJob {
    /// Where in the file it came from (`line 4`, `trigger 2`).
    pub origin: String,
    pub job: Job,
    /// Things to check by hand (Windows paths, working directories).
    pub review: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Untranslated {
    pub origin: String,
    /// What was not translated, as written in the file.
    pub item: String,
    pub reason: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ImportReport {
    pub format: Format,
    pub jobs: Vec<ImportedJob>,
    pub untranslated: Vec<Untranslated>,
}

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: {reason}")]
    Invalid { path: String, reason: String },
}

impl ImportReport {
    fn new(format: Format) -> Self {
        Self {
            format,
            jobs: Vec::new(),
            untranslated: Vec::new(),
        }
    }

    fn skip(
        &mut self,
        origin: impl Into<String>,
        item: impl Into<String>,
        reason: impl Into<String>,
    ) {
        self.untranslated.push(Untranslated {
            origin: origin.into(),
            item: item.into(),
            reason: reason.into(),
        });
    }

    /// Adds `job` after validating it; an invalid one becomes an untranslated item.
    fn add(&mut self, origin: String, mut job: Job, review: Vec<String>) {
        let mut name = job.name.clone();
        let taken: BTreeSet<&str> = self.jobs.iter().map(|j| j.job.name.as_str()).collect();
        let mut n = 2;
        while taken.contains(name.as_str()) {
            name = format!("{}-{n}", job.name);
            n += 1;
        }
        job.name = name;
        let problems = job.validate();
        if problems.is_empty() {
            self.jobs.push(ImportedJob {
                origin,
                job,
                review,
            });
        } else {
            let reasons: Vec<String> = problems.iter().map(ToString::to_string).collect();
            self.skip(origin, job.name.clone(), reasons.join("; "));
        }
    }

    /// The jobs as a TOML document of `[[job]]` tables, with the untranslated items as
    /// comments on top.
    pub fn to_toml(&self) -> String {
        #[derive(Serialize)]
        struct Doc<'a> {
            job: Vec<&'a Job>,
        }
        let mut out = String::new();
        if !self.untranslated.is_empty() {
            out.push_str("# Not translated (review these by hand):\n");
            for u in &self.untranslated {
                out.push_str(&format!("#   {}: {} — {}\n", u.origin, u.item, u.reason));
            }
            out.push('\n');
        }
        for (i, imported) in self.jobs.iter().enumerate() {
            if i > 0 {
                out.push('\n');
            }
            out.push_str(&format!("# from {}\n", imported.origin));
            for note in &imported.review {
                out.push_str(&format!("# review: {note}\n"));
            }
            let doc = Doc {
                job: vec![&imported.job],
            };
            out.push_str(&toml::to_string(&doc).expect("jobs serialise"));
        }
        out
    }
}

/// Reads and imports `path`, detecting its format.
pub fn import_file(path: &Path, options: &ImportOptions) -> Result<ImportReport, ImportError> {
    let shown = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|source| ImportError::Read {
        path: shown.clone(),
        source,
    })?;
    let text = text::decode(&bytes).map_err(|reason| ImportError::Invalid {
        path: shown.clone(),
        reason,
    })?;
    let invalid = |reason: String| ImportError::Invalid {
        path: shown.clone(),
        reason,
    };
    match Format::detect(path, &text) {
        Format::Crontab => Ok(crontab::import(&text, options)),
        Format::TaskScheduler => schtasks::import(&text, path, options).map_err(invalid),
        Format::Launchd => launchd::import(&text, path, options).map_err(invalid),
        Format::SystemdTimer => {
            let service_path = options.service_file.clone().or_else(|| {
                let sibling = path.with_extension("service");
                sibling.is_file().then_some(sibling)
            });
            let service = match &service_path {
                Some(p) => Some(
                    std::fs::read(p)
                        .map_err(|source| ImportError::Read {
                            path: p.display().to_string(),
                            source,
                        })
                        .and_then(|b| text::decode(&b).map_err(&invalid))?,
                ),
                None => None,
            };
            systemd::import(&text, service.as_deref(), path, options).map_err(invalid)
        }
    }
}

/// A job name from a command: the script's file name without extension, as a slug.
pub(crate) fn name_from_command(command: &str) -> String {
    let script = command
        .split_whitespace()
        .map(|t| t.trim_matches(|c| c == '"' || c == '\''))
        .find(|t| {
            let lower = t.to_ascii_lowercase();
            [
                ".py", ".sh", ".ps1", ".bat", ".cmd", ".rb", ".js", ".pl", ".exe",
            ]
            .iter()
            .any(|ext| lower.ends_with(ext))
        })
        .or_else(|| command.split_whitespace().next())
        .unwrap_or("job");
    let base = script.rsplit(['/', '\\']).next().unwrap_or(script);
    let stem = base.rsplit_once('.').map_or(base, |(s, _)| s);
    slug(stem)
}

pub(crate) fn slug(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-').to_string();
    if out.is_empty() {
        "job".into()
    } else {
        out.chars().take(80).collect()
    }
}

/// Checks a translated cron expression; the reason when it does not parse.
pub(crate) fn check_cron(cron: &str, timezone: &str) -> Result<(), String> {
    CronSchedule::parse(cron, timezone)
        .map(|_| ())
        .map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_come_from_the_script_in_the_command() {
        assert_eq!(
            name_from_command("cd /home/sam && /usr/bin/python3 pipeline_report.py --emea"),
            "pipeline-report"
        );
        assert_eq!(
            name_from_command(r"C:\Scripts\Sync-CRM.ps1 -Region EMEA"),
            "sync-crm"
        );
        assert_eq!(name_from_command("curl -s http://x"), "curl");
    }
}
