//! Corral's dependency scanner.
//!
//! AI assistants suggest packages that do not exist (and attackers register the names they
//! keep inventing), packages one typo away from popular ones, and old versions with known
//! vulnerabilities. This crate turns manifests, lockfiles, inline script metadata and bare
//! `import` statements into [`corral_model::Component`]s, and checks them against OSV
//! advisories (including known-malicious `MAL-` records), a snapshot of the ecosystem's
//! package index (existence and age), a list of popular packages (typosquats), the
//! organisation's allow-list, and pinning.
//!
//! The advisory part of the checks also runs on its own ([`advisory_findings`]): the server
//! re-evaluates stored inventories with it whenever its advisory data changes.

pub mod advisory;
pub mod advisory_check;
pub mod check;
pub mod config;
pub mod cvss;
pub mod cvss4;
mod hashed_names;
pub mod name;
pub mod name_words;
pub mod package_group;
pub mod package_index;
pub mod parse;
pub mod poetry_constraint;
pub mod popular;
pub mod requirements_includes;
pub mod rules;
pub mod sbom;
pub mod scanner;
pub mod typosquat;
pub mod typosquat_cache;
pub mod version;

pub use advisory_check::advisory_findings;
pub use check::Checker;
pub use config::DepsConfig;
pub use scanner::DepsScanner;
