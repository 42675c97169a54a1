//! `corral review list|approve|reject|request-changes`: the reviewer's side of the workflow.
//!
//! Every decision needs a comment (`-m`), because the asset's owner reads it and the audit
//! log keeps it. Reviews are named by the asset's name, its id, or the review id.

use std::process::ExitCode;

use anyhow::Result;
use clap::{Args, Subcommand};
use corral_client::render;
use corral_client::wire::{ReviewActionRequest, ReviewFilter};
use corral_client::{OutputFormat, ServerArgs, block_on, describe_error};
use corral_model::review::ReviewAction;

use crate::global::GlobalArgs;

#[derive(Debug, Args)]
pub struct ReviewArgs {
    #[command(flatten)]
    server: ServerArgs,

    /// human (default) or json.
    #[arg(long, value_enum, default_value_t, global = true)]
    format: OutputFormat,

    #[command(subcommand)]
    command: ReviewCommand,
}

#[derive(Debug, Args)]
struct Decide {
    /// The asset (name or id) whose open review this is, or the review id.
    review: String,
    /// Why: the owner reads this, and the audit log keeps it.
    #[arg(short = 'm', long = "comment", value_name = "TEXT")]
    comment: String,
}

#[derive(Debug, Subcommand)]
enum ReviewCommand {
    /// Reviews waiting for a decision, soonest due first.
    List {
        /// Only reviews past their deadline.
        #[arg(long)]
        overdue: bool,
    },
    /// Sign off (as security reviewer or business approver, whichever your role is).
    Approve(Decide),
    /// Refuse the asset.
    Reject(Decide),
    /// Send it back to its owner; editing the asset submits it again.
    RequestChanges(Decide),
}

pub fn run(args: ReviewArgs, _global: &GlobalArgs) -> Result<ExitCode> {
    let client = args.server.client()?;
    let (decide, action) = match args.command {
        ReviewCommand::List { overdue } => {
            let filter = if overdue {
                ReviewFilter::Overdue
            } else {
                ReviewFilter::Open
            };
            return match block_on(client.reviews(filter)) {
                Ok(list) => {
                    match args.format {
                        OutputFormat::Json => println!("{}", serde_json::to_string_pretty(&list)?),
                        OutputFormat::Human => print!("{}", render::reviews(&list)),
                    }
                    Ok(ExitCode::SUCCESS)
                }
                Err(err) => {
                    eprint!("{}", describe_error(&err));
                    Ok(ExitCode::from(2))
                }
            };
        }
        ReviewCommand::Approve(d) => (d, ReviewAction::Approve),
        ReviewCommand::Reject(d) => (d, ReviewAction::Reject),
        ReviewCommand::RequestChanges(d) => (d, ReviewAction::RequestChanges),
    };
    let request = ReviewActionRequest {
        action,
        comment: decide.comment,
    };
    match block_on(client.act_on_review(&decide.review, &request)) {
        Ok(outcome) => {
            match args.format {
                OutputFormat::Json => println!("{}", serde_json::to_string_pretty(&outcome)?),
                OutputFormat::Human => print!("{}", render::review_action(&outcome)),
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(err) => {
            eprint!("{}", describe_error(&err));
            Ok(ExitCode::from(2))
        }
    }
}
