//! `corral`: the command-line entry point. Wiring only: each subcommand lives in
//! `commands/<name>.rs` and calls into the capability crates.

mod commands;
mod config;
mod global;

use std::process::ExitCode;

use clap::Parser;

use crate::commands::Command;
use crate::global::GlobalArgs;

/// The governed path for AI-built code.
///
/// Corral keeps a registry of the scripts and small apps people build with AI assistants,
/// scans them for leaked secrets, dangerous dependencies and insecure code, runs their
/// scheduled jobs off laptops, and keeps a tamper-evident record of every decision.
#[derive(Debug, Parser)]
#[command(
    name = "corral",
    version,
    propagate_version = true,
    max_term_width = 100
)]
struct Cli {
    #[command(flatten)]
    global: GlobalArgs,

    #[command(subcommand)]
    command: Command,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    cli.global.init_logging();
    match commands::run(cli.command, &cli.global) {
        Ok(code) => code,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::from(2)
        }
    }
}
