//! The terminal report: findings grouped by file, then what was skipped, then a summary.
//!
//! Written for the person who just ran `corral scan` and wants to know, in this order: what
//! is wrong and where, what to do about it, and whether the scan saw everything (files
//! skipped with reasons, errors, suppressions and baselined findings are always counted, so
//! nothing is silently left out). Styles are ANSI escapes from `anstyle`; the binary writes
//! through `anstream`, which strips them when the output is not a colour terminal.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use anstyle::{AnsiColor, Effects, Style};
use corral_model::{Finding, Report, Severity, SkipReason};

use crate::byte_size::ByteSize;

/// How much to show.
#[derive(Debug, Clone, Copy, Default)]
pub struct HumanOptions {
    /// Also list every binary file skipped and every suppressed finding.
    pub verbose: bool,
}

const PATH: Style = Style::new().effects(Effects::BOLD);
const DIM: Style = Style::new().effects(Effects::DIMMED);
const HEADING: Style = Style::new().effects(Effects::BOLD);

fn severity_style(severity: Severity) -> Style {
    match severity {
        Severity::Critical => Style::new()
            .fg_color(Some(anstyle::Color::Ansi(AnsiColor::BrightRed)))
            .effects(Effects::BOLD),
        Severity::High => Style::new().fg_color(Some(anstyle::Color::Ansi(AnsiColor::Red))),
        Severity::Medium => Style::new().fg_color(Some(anstyle::Color::Ansi(AnsiColor::Yellow))),
        Severity::Low => Style::new().fg_color(Some(anstyle::Color::Ansi(AnsiColor::Cyan))),
        Severity::Info => DIM,
    }
}

/// Renders `report` for a terminal (with ANSI styles; strip them for plain output).
pub fn render_human(report: &Report, options: HumanOptions) -> String {
    let mut out = String::new();
    let mut by_path: BTreeMap<&str, Vec<&Finding>> = BTreeMap::new();
    for finding in &report.findings {
        by_path
            .entry(finding.location.path.as_str())
            .or_default()
            .push(finding);
    }
    for (path, findings) in &by_path {
        let _ = writeln!(out, "{PATH}{path}{PATH:#}");
        for finding in findings {
            write_finding(&mut out, finding);
        }
        out.push('\n');
    }

    if options.verbose && !report.suppressed.is_empty() {
        let _ = writeln!(out, "{HEADING}Suppressed by corral:allow{HEADING:#}");
        for f in &report.suppressed {
            let _ = writeln!(
                out,
                "  {}:{}  {} [{}]",
                f.location.path, f.location.line, f.title, f.rule_id
            );
        }
        out.push('\n');
    }

    let listed: Vec<_> = report
        .skipped
        .iter()
        .filter(|s| options.verbose || !matches!(s.reason, SkipReason::Binary))
        .collect();
    if !listed.is_empty() {
        let _ = writeln!(out, "{HEADING}Skipped{HEADING:#}");
        for skipped in listed {
            let reason = match &skipped.reason {
                SkipReason::TooLarge { size, limit } => format!(
                    "{} is over the {} limit (raise it with --max-file-size)",
                    ByteSize(*size),
                    ByteSize(*limit)
                ),
                other => other.to_string(),
            };
            let _ = writeln!(out, "  {}: {reason}", skipped.path);
        }
        out.push('\n');
    }

    if !report.errors.is_empty() {
        let _ = writeln!(
            out,
            "{HEADING}Errors (the rest of the scan went on){HEADING:#}"
        );
        for error in &report.errors {
            let place = match error.line {
                Some(line) => format!("{}:{line}", error.path),
                None => error.path.clone(),
            };
            let _ = writeln!(out, "  {place}: {} ({})", error.message, error.scanner);
        }
        out.push('\n');
    }

    write_summary(&mut out, report);
    out
}

fn write_finding(out: &mut String, finding: &Finding) {
    let style = severity_style(finding.severity);
    let label = finding.severity.as_str().to_ascii_uppercase();
    let loc = &finding.location;
    let _ = writeln!(
        out,
        "  {style}{label:>8}{style:#}  {}:{}  {} {DIM}[{}]{DIM:#}",
        loc.line, loc.column, finding.title, finding.rule_id
    );
    let indent = "            ";
    let _ = writeln!(out, "{indent}{}", finding.message);
    if let Some(secret) = &finding.secret {
        let _ = writeln!(out, "{indent}secret: {}", secret.display());
    }
    if let Some(snippet) = &finding.snippet {
        let snippet = snippet.trim();
        if !snippet.is_empty() {
            let _ = writeln!(out, "{indent}{DIM}│ {snippet}{DIM:#}");
        }
    }
    if let Some(fix) = &finding.fix {
        let _ = writeln!(out, "{indent}fix: {fix}");
    }
    if let Some(commit) = &loc.commit {
        let short = commit.id.get(..10).unwrap_or(&commit.id);
        let _ = writeln!(
            out,
            "{indent}{DIM}added in commit {short} by {} on {}{DIM:#}",
            commit.author,
            commit.date.format("%Y-%m-%d")
        );
    }
}

fn write_summary(out: &mut String, report: &Report) {
    let stats = &report.stats;
    let _ = writeln!(out, "{HEADING}Summary{HEADING:#}");
    let scanners = if report.scanners.is_empty() {
        "no scanner".to_string()
    } else {
        report.scanners.join(", ")
    };
    let _ = writeln!(
        out,
        "  scanned   {} {} ({}) in {:.2} s with {scanners}",
        stats.files_scanned,
        plural(stats.files_scanned, "file", "files"),
        ByteSize(stats.bytes_scanned),
        report.duration_ms as f64 / 1000.0
    );
    if !report.skipped.is_empty() {
        let mut reasons: BTreeMap<&str, u64> = BTreeMap::new();
        for skipped in &report.skipped {
            let kind = match skipped.reason {
                SkipReason::Binary => "binary",
                SkipReason::TooLarge { .. } => "too large",
                SkipReason::Unreadable { .. } => "unreadable",
                SkipReason::Symlink => "symbolic link",
            };
            *reasons.entry(kind).or_default() += 1;
        }
        let reasons: Vec<String> = reasons.iter().map(|(k, n)| format!("{n} {k}")).collect();
        let _ = writeln!(
            out,
            "  skipped   {} {} ({})",
            report.skipped.len(),
            plural(report.skipped.len() as u64, "file", "files"),
            reasons.join(", ")
        );
    }
    if !report.errors.is_empty() {
        let _ = writeln!(out, "  errors    {} (listed above)", report.errors.len());
    }
    let counts: Vec<String> = report
        .counts_by_severity()
        .into_iter()
        .map(|(severity, n)| {
            if n == 0 {
                format!("{n} {severity}")
            } else {
                let style = severity_style(severity);
                format!("{style}{n} {severity}{style:#}")
            }
        })
        .collect();
    let _ = writeln!(
        out,
        "  findings  {} ({})",
        report.findings.len(),
        counts.join(", ")
    );
    let _ = writeln!(
        out,
        "  hidden    {} suppressed by corral:allow, {} in the baseline",
        report.suppressed.len(),
        report.baselined
    );
    if !report.components.is_empty() {
        let _ = writeln!(out, "  inventory {} dependencies", report.components.len());
    }
}

fn plural(n: u64, one: &'static str, many: &'static str) -> &'static str {
    if n == 1 { one } else { many }
}
