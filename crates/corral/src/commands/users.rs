//! `corral users add|password|list`: web console accounts, from the server's machine.
//!
//! This is how the first person gets into the console: `corral serve` prints the command on
//! first start, the operator runs it next to the server (same `--data-dir`, or the same
//! `--database-url`), and signs in. Passwords are read from a prompt on a terminal, or from
//! the first line of standard input when piped, and never from the command line, where they
//! would land in shell history and process lists. After that, admins manage accounts in the
//! console's Settings page, which goes through the same functions.

use std::io::{BufRead, IsTerminal};
use std::process::ExitCode;

use anyhow::{Result, anyhow, bail};
use clap::{Args, Subcommand};
use corral_model::Role;
use corral_server::accounts;
use corral_server::error::ApiError;

use crate::global::GlobalArgs;

#[derive(Debug, Args)]
pub struct UsersArgs {
    /// Database to use instead of `corral.db` in the data directory, e.g.
    /// `postgres://corral@db.internal/corral` (the server's).
    #[arg(long, global = true, env = "CORRAL_DATABASE_URL", value_name = "URL")]
    database_url: Option<String>,

    #[command(subcommand)]
    command: UsersCommand,
}

#[derive(Debug, Subcommand)]
enum UsersCommand {
    /// Create a console account. The password is asked for (or read from standard input).
    ///
    /// Example: corral users add ana@example.com --role admin
    Add {
        /// The person's e-mail: what they sign in with.
        email: String,
        /// member (registers and edits own assets), business-approver, security-reviewer,
        /// auditor (reads everything, changes nothing) or admin.
        #[arg(long, value_parser = parse_role)]
        role: Role,
    },
    /// Set an account's password (and sign it out everywhere).
    Password {
        /// The account's e-mail.
        email: String,
    },
    /// List console accounts with their role and state.
    List,
}

fn parse_role(s: &str) -> Result<Role, String> {
    s.parse()
        .map_err(|e: corral_model::role::UnknownRole| e.to_string())
}

/// An error of the shared account functions, as the command line says it.
fn explained(err: ApiError) -> anyhow::Error {
    let mut message = match err.detail.fields.first() {
        Some(field) => format!("{}: {}", field.field, field.rule),
        None => err.detail.message,
    };
    if let Some(help) = err.detail.help {
        message.push_str(&format!("\n  help: {help}"));
    }
    anyhow!(message)
}

/// The password, from a prompt (asked twice) or from standard input's first line.
fn read_password(email: &str) -> Result<String> {
    if std::io::stdin().is_terminal() {
        let password = dialoguer::Password::new()
            .with_prompt(format!("Password for {email} (at least 12 characters)"))
            .with_confirmation("Repeat it", "the two passwords differ")
            .interact()?;
        return Ok(password);
    }
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line)?;
    let password = line.trim_end_matches(['\n', '\r']).to_string();
    if password.is_empty() {
        bail!("no password on standard input: pipe it in, or run this on a terminal to be asked");
    }
    Ok(password)
}

/// Who the audit log names for changes made here: the operating system's user.
fn operator() -> String {
    let user = std::env::var("USER")
        .or_else(|_| std::env::var("USERNAME"))
        .unwrap_or_else(|_| "unknown".into());
    format!("cli:{user}")
}

pub fn run(args: UsersArgs, global: &GlobalArgs) -> Result<ExitCode> {
    let password = match &args.command {
        UsersCommand::Add { email, .. } | UsersCommand::Password { email } => {
            Some(read_password(email)?)
        }
        UsersCommand::List => None,
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let store =
            super::local_store::open_local_store(&global.data_dir(), args.database_url.as_deref())
                .await?;
        let result = match args.command {
            UsersCommand::Add { email, role } => {
                let account = accounts::create_account(
                    &store,
                    &operator(),
                    &email,
                    role,
                    password.as_deref().unwrap_or_default(),
                )
                .await
                .map_err(explained)?;
                println!(
                    "created console account {} ({}); sign in at the server's address",
                    account.email, account.role
                );
                Ok(ExitCode::SUCCESS)
            }
            UsersCommand::Password { email } => {
                accounts::set_password(
                    &store,
                    &operator(),
                    &email,
                    password.as_deref().unwrap_or_default(),
                )
                .await
                .map_err(explained)?;
                println!("password set for {email}; its sessions were ended");
                Ok(ExitCode::SUCCESS)
            }
            UsersCommand::List => {
                let all = store.console_accounts().await?;
                if all.is_empty() {
                    println!(
                        "no console accounts: create one with `corral users add EMAIL --role admin`"
                    );
                }
                for a in all {
                    println!(
                        "{:<40} {:<18} {}",
                        a.email,
                        a.role.as_str(),
                        if a.is_enabled() {
                            "enabled"
                        } else {
                            "disabled"
                        }
                    );
                }
                Ok(ExitCode::SUCCESS)
            }
        };
        store.close().await;
        result
    })
}
