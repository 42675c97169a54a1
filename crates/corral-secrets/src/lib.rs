//! Corral's secrets detection engine.
//!
//! Finds credentials committed in files: provider tokens (cloud, code hosting, chat,
//! payments, AI providers, SaaS, infrastructure, monitoring), private keys, connection URLs
//! with passwords, credential-carrying JWTs and generic `password = …` assignments.
//!
//! How it works, and why:
//! - Detectors are data ([`rule_file`], `rules/*.toml`), each with its own examples, so they
//!   can be reviewed and extended without touching the engine; gitleaks-format rule files
//!   load too ([`SecretsScanner::with_gitleaks_rules`]).
//! - One Aho-Corasick keyword pass per file (`prefilter.rs`) selects which detectors run and
//!   on which lines, so the cost stays close to one read of the file however many detectors
//!   there are.
//! - Regexes run on bytes with Unicode disabled: linear time, no backtracking, and no
//!   failure on files that are not valid UTF-8.
//! - Matches go through entropy, placeholder and reference checks (`false_positive.rs`)
//!   before they become findings, because a scanner people learn to ignore protects nothing.
//! - Secrets are redacted before a [`corral_model::Finding`] is built: the finding holds a
//!   [`corral_model::RedactedSecret`] and a snippet with every secret on the line replaced.

mod allowlist;
mod detector;
mod entropy;
mod error;
mod false_positive;
mod file_scan;
mod gitleaks;
mod jwt;
mod notebook;
mod prefilter;
pub mod rule_file;
mod scanner;
mod snippet;

pub use error::Error;
pub use rule_file::DetectorExamples;
pub use scanner::SecretsScanner;
