//! When a scan fails the build: the `--fail-on` threshold and the exit code it implies.
//!
//! `corral scan` exits 0 when nothing at or above the threshold was found, 1 when something
//! was, and 2 when it could not do its work (the binary maps errors to 2). The default
//! threshold is `low`: every real finding fails the run, while `info` findings (facts worth
//! knowing, such as which AI tools a repository is set up for) never do. Suppressed and
//! baselined findings are not in [`Report::findings`] and so never fail a run.

use std::fmt;
use std::str::FromStr;

use corral_model::{Report, Severity};
use serde::{Deserialize, Deserializer};

/// The least severe finding that fails a scan, or never.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailOn {
    /// `--fail-on none`: report, but always exit 0.
    Never,
    /// Fail when any finding is at least this severe.
    AtOrAbove(Severity),
}

impl Default for FailOn {
    fn default() -> Self {
        FailOn::AtOrAbove(Severity::Low)
    }
}

impl FailOn {
    /// Whether `report` fails under this threshold.
    pub fn fails(self, report: &Report) -> bool {
        match self {
            FailOn::Never => false,
            FailOn::AtOrAbove(threshold) => report.findings.iter().any(|f| f.severity >= threshold),
        }
    }

    /// The process exit code for `report`: 1 when it fails, else 0.
    pub fn exit_code(self, report: &Report) -> u8 {
        u8::from(self.fails(report))
    }
}

/// The text was neither a severity nor `none`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown threshold `{0}`: expected critical, high, medium, low, info, or none to never fail"
)]
pub struct InvalidFailOn(pub String);

impl FromStr for FailOn {
    type Err = InvalidFailOn;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "none" | "never" | "off" => Ok(FailOn::Never),
            other => other
                .parse()
                .map(FailOn::AtOrAbove)
                .map_err(|_| InvalidFailOn(s.to_string())),
        }
    }
}

impl fmt::Display for FailOn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FailOn::Never => f.write_str("none"),
            FailOn::AtOrAbove(severity) => f.write_str(severity.as_str()),
        }
    }
}

impl<'de> Deserialize<'de> for FailOn {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use chrono::Utc;
    use corral_model::{Confidence, Finding, Location};

    use super::*;

    fn report_with(severities: &[Severity]) -> Report {
        let mut report = Report::new("0.0.0", Utc::now());
        for &severity in severities {
            report.findings.push(Finding {
                scanner: "test".into(),
                rule_id: "r".into(),
                title: "t".into(),
                severity,
                confidence: Confidence::High,
                location: Location::new("a", 1, 1),
                cwe: vec![],
                tags: vec![],
                message: "m".into(),
                fix: None,
                fingerprint: "f".into(),
                secret: None,
                snippet: None,
                details: Default::default(),
            });
        }
        report
    }

    #[test]
    fn the_default_threshold_fails_on_low_but_not_on_info() {
        assert_eq!(
            FailOn::default().exit_code(&report_with(&[Severity::Low])),
            1
        );
        assert_eq!(
            FailOn::default().exit_code(&report_with(&[Severity::Info])),
            0
        );
        assert_eq!(FailOn::default().exit_code(&report_with(&[])), 0);
    }

    #[test]
    fn a_high_threshold_ignores_medium_findings() {
        let high: FailOn = "high".parse().unwrap();
        assert!(!high.fails(&report_with(&[Severity::Medium, Severity::Low])));
        assert!(high.fails(&report_with(&[Severity::Medium, Severity::Critical])));
    }

    #[test]
    fn none_never_fails_and_typos_are_named() {
        let never: FailOn = "none".parse().unwrap();
        assert!(!never.fails(&report_with(&[Severity::Critical])));
        let err = "hihg".parse::<FailOn>().unwrap_err().to_string();
        assert!(err.contains("hihg") && err.contains("none"), "{err}");
    }
}
