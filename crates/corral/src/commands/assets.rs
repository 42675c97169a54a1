//! `corral assets list|show`: find assets in the registry.

use std::process::ExitCode;

use anyhow::Result;
use clap::{Args, Subcommand};
use corral_client::render;
use corral_client::wire::AssetQuery;
use corral_client::{OutputFormat, ServerArgs, block_on, describe_error};
use corral_model::asset::{ApprovalState, DeploymentStatus};
use corral_model::tier::{DataTier, RiskTier};

use crate::global::GlobalArgs;

#[derive(Debug, Args)]
pub struct AssetsArgs {
    #[command(flatten)]
    server: ServerArgs,

    /// human (default) or json.
    #[arg(long, value_enum, default_value_t, global = true)]
    format: OutputFormat,

    #[command(subcommand)]
    command: AssetsCommand,
}

#[derive(Debug, Subcommand)]
enum AssetsCommand {
    /// List assets, newest first, filtered.
    List {
        /// Only this data tier (1–4).
        #[arg(long, value_name = "1-4")]
        tier: Option<DataTier>,
        /// Only this status: development, production or decommissioned.
        #[arg(long)]
        status: Option<DeploymentStatus>,
        /// Only this approval state: approved, pending-review, changes-requested, rejected, blocked.
        #[arg(long, value_parser = parse_approval)]
        approval: Option<ApprovalState>,
        /// Only this department.
        #[arg(long)]
        department: Option<String>,
        /// Only this risk tier: critical, standard or low.
        #[arg(long)]
        risk: Option<RiskTier>,
        /// Only assets this person owns, backs up or created.
        #[arg(long, value_name = "EMAIL")]
        person: Option<String>,
        /// Words to find in name, purpose, department or owner.
        #[arg(long)]
        query: Option<String>,
        /// Page number, from 1.
        #[arg(long, default_value_t = 1)]
        page: u32,
        /// Assets per page (at most 500).
        #[arg(long, default_value_t = 50)]
        per_page: u32,
    },
    /// Show one asset, its open review and its decisions.
    Show {
        /// Asset name or id.
        asset: String,
    },
}

fn parse_approval(s: &str) -> Result<ApprovalState, String> {
    s.parse()
}

pub fn run(args: AssetsArgs, _global: &GlobalArgs) -> Result<ExitCode> {
    let client = args.server.client()?;
    let text = match args.command {
        AssetsCommand::List {
            tier,
            status,
            approval,
            department,
            risk,
            person,
            query,
            page,
            per_page,
        } => {
            let q = AssetQuery {
                tier,
                status,
                approval,
                department,
                risk,
                person,
                q: query,
                page: Some(page),
                per_page: Some(per_page),
            };
            block_on(client.list_assets(&q)).map(|page| match args.format {
                OutputFormat::Json => {
                    serde_json::to_string_pretty(&page).unwrap_or_default() + "\n"
                }
                OutputFormat::Human => render::asset_page(&page),
            })
        }
        AssetsCommand::Show { asset } => {
            block_on(client.asset(&asset)).map(|detail| match args.format {
                OutputFormat::Json => {
                    serde_json::to_string_pretty(&detail).unwrap_or_default() + "\n"
                }
                OutputFormat::Human => render::asset_detail(&detail),
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
