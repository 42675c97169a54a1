//! The scan driver behind `corral scan`.
//!
//! Scanners (secrets, dependencies, code, AI-assistant configuration, licences) live in their
//! own crates and only turn bytes into findings through [`corral_model::Scanner`]. This crate
//! does everything around them:
//!
//! * [`scanners`] chooses which scanners run and builds them from settings;
//! * [`driver`] finds the bytes to scan — the working tree ([`walk`]), git's index or git
//!   history ([`git`]) — reads each file once, hands it to every scanner that wants it, runs
//!   the cross-file `finish` step and builds a [`corral_model::Report`];
//! * [`suppression`] and [`baseline`] decide which findings are already accepted;
//! * [`render`] turns the report into human, JSON or SARIF output, and [`fail_on`] into an
//!   exit code.

pub mod baseline;
pub mod binary;
pub mod byte_size;
pub mod config;
pub mod driver;
pub mod error;
pub mod exclude;
pub mod fail_on;
mod file_scan;
pub mod git;
mod pipeline;
pub mod progress;
pub mod render;
pub mod scanners;
pub mod suppression;
pub mod walk;

pub use baseline::{BASELINE_VERSION, Baseline, BaselineEntry, BaselineError};
pub use byte_size::ByteSize;
pub use config::ScanConfig;
pub use driver::{ScanMode, ScanOptions, run_scan};
pub use error::ScanError;
pub use fail_on::FailOn;
pub use progress::{ProgressSnapshot, ScanProgress};
pub use render::{Format, HumanOptions, render, render_human, render_json, render_sarif};
pub use scanners::{
    RulesMode, ScannerKind, ScannerSelection, ScannerSettings, ScannerSetupError, SecretRules,
    build_scanners,
};
