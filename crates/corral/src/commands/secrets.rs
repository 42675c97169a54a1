//! `corral secrets`: job secrets on this machine, sealed with the master key in the data
//! directory. Values go in through standard input only (never as an argument, where shell
//! history and `ps` would keep them) and never come out: `list` shows names and dates.

use std::io::{IsTerminal, Read};
use std::process::ExitCode;

use anyhow::{Result, bail};
use clap::{Args, Subcommand};
use corral_runner::masking::MIN_MASKED_LEN;
use corral_secretbox::{MASTER_KEY_ENV, MasterKey, SecretFile};

use crate::global::GlobalArgs;

#[derive(Debug, Args)]
pub struct SecretsArgs {
    #[command(subcommand)]
    command: SecretsCommand,
}

#[derive(Debug, Subcommand)]
enum SecretsCommand {
    /// Store a secret, reading its value from standard input
    /// (`printf %s "$TOKEN" | corral secrets set crm-token`).
    Set {
        /// The secret's name, as jobs refer to it (letters, digits, `-`, `_`, `.`).
        name: String,
    },
    /// List stored secrets: names and dates, never values.
    List {
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Delete a secret.
    Remove {
        /// The secret's name.
        name: String,
    },
}

pub fn run(args: SecretsArgs, global: &GlobalArgs) -> Result<ExitCode> {
    let data_dir = global.data_dir();
    let path = data_dir.join("secrets.json");
    match args.command {
        SecretsCommand::Set { name } => {
            corral_secretbox::validate_secret_name(&name)?;
            if std::io::stdin().is_terminal() {
                eprintln!(
                    "Type the value, then press Enter and Ctrl-D (or pipe it in to keep it off the screen):"
                );
            }
            let mut value = String::new();
            std::io::stdin().read_to_string(&mut value)?;
            let value = value.strip_suffix('\n').unwrap_or(&value);
            let value = value.strip_suffix('\r').unwrap_or(value);
            if value.is_empty() {
                bail!("no value on standard input: nothing stored");
            }
            if value.len() < MIN_MASKED_LEN {
                eprintln!(
                    "warning: values shorter than {MIN_MASKED_LEN} characters are not masked in job logs"
                );
            }
            let master =
                MasterKey::resolve(std::env::var(MASTER_KEY_ENV).ok().as_deref(), &data_dir)?;
            let mut file = SecretFile::open(&path)?;
            file.set(&master, &name, value, chrono::Utc::now())?;
            eprintln!(
                "stored secret `{name}` ({} characters)",
                value.chars().count()
            );
        }
        SecretsCommand::List { json } => {
            let list = SecretFile::open(&path)?.list();
            if json {
                println!("{}", serde_json::to_string_pretty(&list)?);
            } else if list.is_empty() {
                println!("no secrets stored in {}", path.display());
            } else {
                for s in list {
                    println!(
                        "{:<40} updated {}",
                        s.name,
                        s.updated_at.format("%Y-%m-%d %H:%M UTC")
                    );
                }
            }
        }
        SecretsCommand::Remove { name } => {
            if !SecretFile::open(&path)?.remove(&name)? {
                bail!("no secret named `{name}`");
            }
            eprintln!("removed secret `{name}`");
        }
    }
    Ok(ExitCode::SUCCESS)
}
