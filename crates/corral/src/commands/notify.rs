//! `corral notify status`: are notifications getting through?

use std::process::ExitCode;

use anyhow::Result;
use clap::{Args, Subcommand};
use corral_client::render;
use corral_client::{OutputFormat, ServerArgs, block_on, describe_error};

use crate::global::GlobalArgs;

#[derive(Debug, Args)]
pub struct NotifyArgs {
    #[command(flatten)]
    server: ServerArgs,

    /// human (default) or json.
    #[arg(long, value_enum, default_value_t, global = true)]
    format: OutputFormat,

    #[command(subcommand)]
    command: NotifyCommand,
}

#[derive(Debug, Subcommand)]
enum NotifyCommand {
    /// Deliveries per target, and the ones that failed or are retrying with their last error.
    /// Exits 1 when a delivery has failed for good.
    Status,
}

pub fn run(args: NotifyArgs, _global: &GlobalArgs) -> Result<ExitCode> {
    let client = args.server.client()?;
    match args.command {
        NotifyCommand::Status => match block_on(client.notification_status()) {
            Ok(status) => {
                match args.format {
                    OutputFormat::Json => println!("{}", serde_json::to_string_pretty(&status)?),
                    OutputFormat::Human => print!("{}", render::notification_status(&status)),
                }
                let failed = status.targets.iter().any(|t| t.failed > 0);
                Ok(if failed {
                    ExitCode::from(1)
                } else {
                    ExitCode::SUCCESS
                })
            }
            Err(err) => {
                eprint!("{}", describe_error(&err));
                Ok(ExitCode::from(2))
            }
        },
    }
}
