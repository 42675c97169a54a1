//! `corral baseline`: accept today's findings so that only new ones fail from now on.
//!
//! `corral baseline create` runs the same scan as `corral scan` (same flags) and writes the
//! findings' rule ids, paths and fingerprints — never snippets or secrets — to a small JSON
//! file meant to be committed. `corral scan --baseline FILE` then reports only findings that
//! are not in it.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use clap::{Args, Subcommand};
use corral_scan::Baseline;

use crate::commands::scan::{ScanInputArgs, scan};
use crate::global::GlobalArgs;

#[derive(Debug, Args)]
pub struct BaselineArgs {
    #[command(subcommand)]
    pub command: BaselineCommand,
}

#[derive(Debug, Subcommand)]
pub enum BaselineCommand {
    /// Scan now and record every finding as accepted.
    ///
    /// Takes the same options as `corral scan`. Commit the file, then run
    /// `corral scan --baseline FILE` so only new findings are reported. The file holds rule
    /// ids, paths and fingerprints, never secrets.
    Create(CreateArgs),
}

#[derive(Debug, Args)]
pub struct CreateArgs {
    #[command(flatten)]
    pub input: ScanInputArgs,

    /// Where to write the baseline.
    #[arg(
        long,
        short = 'o',
        value_name = "FILE",
        default_value = ".corral-baseline.json"
    )]
    pub output: PathBuf,
}

pub fn run(args: BaselineArgs, global: &GlobalArgs) -> Result<ExitCode> {
    match args.command {
        BaselineCommand::Create(args) => create(args, global),
    }
}

fn create(args: CreateArgs, global: &GlobalArgs) -> Result<ExitCode> {
    let scanned = scan(&args.input, global, !global.quiet)?;
    let baseline = Baseline::from_report(&scanned.report, env!("CARGO_PKG_VERSION"));
    baseline.write(&args.output)?;
    if !global.quiet {
        eprintln!(
            "recorded {} findings in {} ({} files scanned); use it with `corral scan --baseline {}`",
            baseline.findings.len(),
            args.output.display(),
            scanned.report.stats.files_scanned,
            args.output.display()
        );
    }
    Ok(ExitCode::SUCCESS)
}
