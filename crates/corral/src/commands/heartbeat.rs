//! `corral heartbeat`: report a job that still runs on this machine to a Corral server, so
//! the server notices when it stops.

use std::process::ExitCode;

use anyhow::Result;
use clap::{Args, Subcommand};
use corral_runner::heartbeat::wrap::{ping_url, wrap};

use crate::global::GlobalArgs;

#[derive(Debug, Args)]
pub struct HeartbeatArgs {
    #[command(subcommand)]
    command: HeartbeatCommand,
}

#[derive(Debug, Subcommand)]
enum HeartbeatCommand {
    /// Run a command between a start ping and a finish ping carrying its exit code
    /// (e.g. in a crontab: `corral heartbeat wrap 5f0c…4f50 -- ./report.sh`). Exits with
    /// the command's own status; a ping that fails only prints a warning.
    Wrap(WrapArgs),
}

#[derive(Debug, Args)]
struct WrapArgs {
    /// The check's ping URL, or its id (UUID) on the server given by --server.
    target: String,
    /// The Corral server for check ids (e.g. http://corral.internal:8080).
    #[arg(long, env = "CORRAL_SERVER_URL", value_name = "URL")]
    server: Option<String>,
    /// The command and its arguments.
    #[arg(last = true, required = true, value_name = "COMMAND")]
    command: Vec<String>,
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
struct HeartbeatConfig {
    /// Server for check ids when --server and CORRAL_SERVER_URL are not given.
    server_url: Option<String>,
}

pub fn run(args: HeartbeatArgs, global: &GlobalArgs) -> Result<ExitCode> {
    let HeartbeatCommand::Wrap(args) = args.command;
    let server = match args.server {
        Some(s) => Some(s),
        None => {
            let config = crate::config::ConfigFile::load(
                global.config.as_deref(),
                &global.data_dir().join("corral.toml"),
            )?;
            config.section::<HeartbeatConfig>("heartbeat")?.server_url
        }
    };
    let url = ping_url(&args.target, server.as_deref())?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let report = runtime.block_on(wrap(&url, &args.command))?;
    for error in &report.ping_errors {
        eprintln!("warning: heartbeat ping not delivered: {error}");
    }
    Ok(ExitCode::from(report.exit_code.clamp(0, 255) as u8))
}
