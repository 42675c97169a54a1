//! `corral token issue|revoke|list`: API tokens (admins).
//!
//! A token is shown once, when issued; the server keeps only its hash.

use std::process::ExitCode;

use anyhow::Result;
use clap::{Args, Subcommand};
use corral_client::render;
use corral_client::wire::TokenRequest;
use corral_client::{OutputFormat, ServerArgs, block_on, describe_error};
use corral_model::Role;
use uuid::Uuid;

use crate::global::GlobalArgs;

#[derive(Debug, Args)]
pub struct TokenArgs {
    #[command(flatten)]
    server: ServerArgs,

    /// human (default) or json.
    #[arg(long, value_enum, default_value_t, global = true)]
    format: OutputFormat,

    #[command(subcommand)]
    command: TokenCommand,
}

#[derive(Debug, Subcommand)]
enum TokenCommand {
    /// Issue a token for a person or service.
    Issue {
        /// A label, e.g. `ci-sales` or the person's name.
        #[arg(long)]
        name: String,
        /// The person (or service owner) acting with it.
        #[arg(long, value_name = "EMAIL")]
        email: String,
        /// member (registers and edits own assets), business-approver, security-reviewer,
        /// auditor (reads everything, changes nothing) or admin.
        #[arg(long, value_parser = parse_role)]
        role: Role,
        /// Days until it stops working (default: no expiry).
        #[arg(long, value_name = "DAYS")]
        expires_in_days: Option<u32>,
    },
    /// Revoke a token: it stops working at once.
    Revoke {
        /// The token's id (from `corral token list`).
        id: Uuid,
    },
    /// Every token, revoked ones too. Never the token text.
    List,
}

fn parse_role(s: &str) -> Result<Role, String> {
    s.parse()
        .map_err(|e: corral_model::role::UnknownRole| e.to_string())
}

pub fn run(args: TokenArgs, _global: &GlobalArgs) -> Result<ExitCode> {
    let client = args.server.client()?;
    let json = args.format == OutputFormat::Json;
    let text = match args.command {
        TokenCommand::Issue {
            name,
            email,
            role,
            expires_in_days,
        } => {
            let request = TokenRequest {
                name,
                email,
                role,
                expires_in_days,
            };
            block_on(client.issue_token(&request)).map(|t| {
                if json {
                    serde_json::to_string_pretty(&t).unwrap_or_default() + "\n"
                } else {
                    render::issued_token(&t)
                }
            })
        }
        TokenCommand::Revoke { id } => block_on(client.revoke_token(id)).map(|t| {
            if json {
                serde_json::to_string_pretty(&t).unwrap_or_default() + "\n"
            } else {
                format!("Revoked token \"{}\" ({}) of {}\n", t.name, t.id, t.email)
            }
        }),
        TokenCommand::List => block_on(client.tokens()).map(|list| {
            if json {
                serde_json::to_string_pretty(&list).unwrap_or_default() + "\n"
            } else {
                render::tokens(&list)
            }
        }),
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
