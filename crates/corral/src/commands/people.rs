//! `corral people show|offboard`: who owns what, and handing it over when someone leaves.

use std::process::ExitCode;

use anyhow::Result;
use clap::{Args, Subcommand};
use corral_client::render;
use corral_client::wire::OffboardRequest;
use corral_client::{OutputFormat, ServerArgs, block_on, describe_error};

use crate::global::GlobalArgs;

#[derive(Debug, Args)]
pub struct PeopleArgs {
    #[command(flatten)]
    server: ServerArgs,

    /// human (default) or json.
    #[arg(long, value_enum, default_value_t, global = true)]
    format: OutputFormat,

    #[command(subcommand)]
    command: PeopleCommand,
}

#[derive(Debug, Subcommand)]
enum PeopleCommand {
    /// What a person owns, backs up and created.
    Show {
        /// Their e-mail.
        person: String,
    },
    /// Hand everything a leaver owns or backs up to a successor (admins).
    Offboard {
        /// The e-mail of the person leaving.
        person: String,
        /// The e-mail of the person taking over.
        #[arg(long = "to", value_name = "EMAIL")]
        successor: String,
    },
}

pub fn run(args: PeopleArgs, _global: &GlobalArgs) -> Result<ExitCode> {
    let client = args.server.client()?;
    let text = match args.command {
        PeopleCommand::Show { person } => {
            block_on(client.person(&person)).map(|p| match args.format {
                OutputFormat::Json => serde_json::to_string_pretty(&p).unwrap_or_default() + "\n",
                OutputFormat::Human => {
                    let names = |list: &[corral_client::wire::AssetRef]| {
                        if list.is_empty() {
                            "(none)".to_string()
                        } else {
                            list.iter()
                                .map(|a| a.name.as_str())
                                .collect::<Vec<_>>()
                                .join(", ")
                        }
                    };
                    format!(
                        "{}\n  owns:     {}\n  backs up: {}\n  created:  {}\n",
                        p.person,
                        names(&p.owns),
                        names(&p.backs_up),
                        names(&p.created)
                    )
                }
            })
        }
        PeopleCommand::Offboard { person, successor } => {
            let request = OffboardRequest { person, successor };
            block_on(client.offboard(&request)).map(|o| match args.format {
                OutputFormat::Json => serde_json::to_string_pretty(&o).unwrap_or_default() + "\n",
                OutputFormat::Human => render::offboard(&o),
            })
        }
    };
    match text {
        Ok(text) => {
            print!("{text}");
            Ok(ExitCode::SUCCESS)
        }
        Err(err) => {
            eprint!("{}", describe_error(&err));
            Ok(ExitCode::from(2))
        }
    }
}
