//! `corral version`: what this binary is and where it keeps its data.

use std::process::ExitCode;

use anyhow::Result;
use clap::Args;

use crate::global::GlobalArgs;

#[derive(Debug, Args)]
pub struct VersionArgs {}

pub fn run(_args: VersionArgs, global: &GlobalArgs) -> Result<ExitCode> {
    println!("corral {}", env!("CARGO_PKG_VERSION"));
    let data_dir = global.data_dir();
    println!("data directory: {}", data_dir.display());
    let config =
        crate::config::ConfigFile::load(global.config.as_deref(), &data_dir.join("corral.toml"))?;
    match &config.path {
        Some(path) => println!("configuration: {}", path.display()),
        None => println!("configuration: none (built-in defaults)"),
    }
    Ok(ExitCode::SUCCESS)
}
