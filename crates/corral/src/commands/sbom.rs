//! `corral sbom`: a CycloneDX 1.5 JSON bill of materials of every package the dependency
//! scanner finds (manifests, lockfiles, inline script metadata and bare imports).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use chrono::Utc;
use clap::Args;
use corral_deps::sbom::{SbomMetadata, cyclonedx};
use corral_scan::ScannerKind;

use super::scan::{RulesModeArg, ScanInputArgs, scan};
use crate::global::GlobalArgs;

/// Write a CycloneDX 1.5 JSON SBOM of the packages used under PATH.
///
/// Every package becomes one component with its package URL (pkg:pypi/requests@2.31.0),
/// listing each file and line that declares it. Packages inferred from `import` statements
/// in scripts without a manifest are included, without a version.
#[derive(Debug, Args)]
pub struct SbomArgs {
    /// Files or directories to describe [default: the current directory].
    #[arg(value_name = "PATH")]
    paths: Vec<PathBuf>,

    /// Write the SBOM to FILE instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,

    /// The name of what is described [default: the first PATH's directory name].
    #[arg(long, value_name = "NAME")]
    name: Option<String>,

    /// Never read paths matching this gitignore-style pattern (repeatable).
    #[arg(long, value_name = "PATTERN")]
    exclude: Vec<String>,

    /// Also read files hidden by .gitignore, .ignore and .corralignore.
    #[arg(long)]
    no_ignore: bool,
}

pub fn run(args: SbomArgs, global: &GlobalArgs) -> Result<ExitCode> {
    let input = ScanInputArgs {
        paths: args.paths.clone(),
        only: vec![ScannerKind::Deps],
        staged: false,
        history: false,
        since: None,
        max_file_size: None,
        no_ignore: args.no_ignore,
        follow_symlinks: false,
        exclude: args.exclude.clone(),
        rules: None,
        rules_mode: RulesModeArg::Extend,
        threads: 0,
    };
    let scanned = scan(&input, global, !global.quiet)?;
    let report = scanned.report;
    for error in &report.errors {
        eprintln!("{}: {}", error.path, error.message);
    }
    let subject = args
        .name
        .clone()
        .unwrap_or_else(|| subject_name(&args.paths));
    let meta = SbomMetadata {
        tool_version: env!("CARGO_PKG_VERSION").to_string(),
        subject,
        timestamp: Utc::now(),
        serial_number: format!("urn:uuid:{}", uuid::Uuid::new_v4()),
    };
    let document = cyclonedx(&report.components, &meta);
    let mut text = serde_json::to_string_pretty(&document).context("cannot encode the SBOM")?;
    text.push('\n');
    match &args.output {
        Some(path) => {
            std::fs::write(path, &text)
                .with_context(|| format!("cannot write the SBOM to {}", path.display()))?;
            if !global.quiet {
                let count = document["components"].as_array().map_or(0, Vec::len);
                eprintln!("wrote {count} components to {}", path.display());
            }
        }
        None => print!("{text}"),
    }
    Ok(ExitCode::SUCCESS)
}

/// The directory name of the first path (or of the working directory).
fn subject_name(paths: &[PathBuf]) -> String {
    let first = paths.first().map_or(Path::new("."), PathBuf::as_path);
    let absolute = std::fs::canonicalize(first).unwrap_or_else(|_| first.to_path_buf());
    let dir = if absolute.is_file() {
        absolute.parent().map(Path::to_path_buf).unwrap_or(absolute)
    } else {
        absolute
    };
    dir.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "project".to_string())
}
