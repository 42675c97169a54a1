//! Views of a [`Report`]: the terminal report, the JSON report and SARIF.
//!
//! The report is the data; these are only renderings of it, so every format shows the same
//! findings, skips and counts.

pub mod human;
pub mod sarif;

use std::fmt;
use std::str::FromStr;

use corral_model::{Report, RuleInfo};

pub use human::{HumanOptions, render_human};
pub use sarif::render_sarif;

/// An output format for `--format`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Format {
    /// Findings grouped by file with a summary, for people.
    #[default]
    Human,
    /// The [`Report`] as JSON (schema version `corral_model::REPORT_SCHEMA_VERSION`).
    Json,
    /// SARIF 2.1.0, for GitHub code scanning and other dashboards.
    Sarif,
}

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Human => "human",
            Format::Json => "json",
            Format::Sarif => "sarif",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The text was not a known format.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown format `{0}`: expected human, json or sarif")]
pub struct UnknownFormat(pub String);

impl FromStr for Format {
    type Err = UnknownFormat;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "human" | "text" => Ok(Format::Human),
            "json" => Ok(Format::Json),
            "sarif" => Ok(Format::Sarif),
            _ => Err(UnknownFormat(s.to_string())),
        }
    }
}

/// The JSON report: the [`Report`] as it is, pretty-printed, with a final newline.
pub fn render_json(report: &Report) -> String {
    let mut text = serde_json::to_string_pretty(report).expect("a report always serialises");
    text.push('\n');
    text
}

/// Renders `report` in `format`. Human output carries ANSI styles (see [`human`]).
pub fn render(report: &Report, format: Format, rules: &[RuleInfo], human: HumanOptions) -> String {
    match format {
        Format::Human => render_human(report, human),
        Format::Json => render_json(report),
        Format::Sarif => render_sarif(report, rules),
    }
}
