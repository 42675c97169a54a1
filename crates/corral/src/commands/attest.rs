//! `corral attest`: an owner confirms an asset is still in use, or decommissions it.
//!
//! Without an asset, lists the assets whose attestation is overdue.

use std::process::ExitCode;

use anyhow::Result;
use clap::Args;
use corral_client::render;
use corral_client::wire::AttestRequest;
use corral_client::{OutputFormat, ServerArgs, block_on, describe_error};
use corral_model::attestation::AttestationChoice;

use crate::global::GlobalArgs;

#[derive(Debug, Args)]
pub struct AttestArgs {
    #[command(flatten)]
    server: ServerArgs,

    /// The asset (name or id). Without one, lists overdue attestations.
    asset: Option<String>,

    /// It is still in use, still yours, and its registry entry is accurate.
    #[arg(long, conflicts_with = "decommission")]
    still_active: bool,

    /// It is no longer needed: mark it decommissioned.
    #[arg(long)]
    decommission: bool,

    /// A note for the record.
    #[arg(short = 'm', long = "comment", value_name = "TEXT")]
    comment: Option<String>,

    /// human (default) or json.
    #[arg(long, value_enum, default_value_t)]
    format: OutputFormat,
}

pub fn run(args: AttestArgs, _global: &GlobalArgs) -> Result<ExitCode> {
    let client = args.server.client()?;
    let Some(asset) = args.asset else {
        return match block_on(client.overdue_attestations()) {
            Ok(list) => {
                match args.format {
                    OutputFormat::Json => println!("{}", serde_json::to_string_pretty(&list)?),
                    OutputFormat::Human if list.is_empty() => println!("no attestations overdue"),
                    OutputFormat::Human => {
                        for due in &list {
                            println!(
                                "{}  owner {}  was due {}",
                                due.asset.name,
                                due.owner_email,
                                due.due_at.format("%Y-%m-%d")
                            );
                        }
                    }
                }
                Ok(ExitCode::SUCCESS)
            }
            Err(err) => {
                eprint!("{}", describe_error(&err));
                Ok(ExitCode::from(2))
            }
        };
    };
    let choice = match (args.still_active, args.decommission) {
        (true, false) => AttestationChoice::StillActive,
        (false, true) => AttestationChoice::Decommission,
        _ => {
            eprintln!("error: say what is true of `{asset}`: --still-active or --decommission");
            return Ok(ExitCode::from(2));
        }
    };
    let request = AttestRequest {
        choice,
        comment: args.comment,
    };
    match block_on(client.attest(&asset, &request)) {
        Ok(outcome) => {
            match args.format {
                OutputFormat::Json => println!("{}", serde_json::to_string_pretty(&outcome)?),
                OutputFormat::Human => {
                    let a = &outcome.asset.asset;
                    match choice {
                        AttestationChoice::StillActive => println!(
                            "Attested \"{}\" as still active; next attestation due {}",
                            a.name,
                            outcome
                                .asset
                                .attestation_due_at
                                .map(|d| d.format("%Y-%m-%d").to_string())
                                .unwrap_or_else(|| "when it is approved".into())
                        ),
                        AttestationChoice::Decommission => {
                            print!("{}", render::asset_outcome(&outcome, "decommissioned"))
                        }
                    }
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(err) => {
            eprint!("{}", describe_error(&err));
            Ok(ExitCode::from(2))
        }
    }
}
