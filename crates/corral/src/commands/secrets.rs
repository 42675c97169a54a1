//! `corral secrets`: job secrets on this machine, sealed with the master key in the data
//! directory — or, given a job (`corral secrets set JOB NAME`), a secret of that job on a
//! Corral server, which seals it at once. Values go in through standard input only (never
//! as an argument, where shell history and `ps` would keep them) and never come out: `list`
//! shows names and dates.

use std::io::{IsTerminal, Read};
use std::process::ExitCode;

use anyhow::{Result, bail};
use clap::{Args, Subcommand};
use corral_runner::masking::MIN_MASKED_LEN;
use corral_secretbox::{MASTER_KEY_ENV, MasterKey, SecretFile};

use crate::global::GlobalArgs;

#[derive(Debug, Args)]
pub struct SecretsArgs {
    #[command(flatten)]
    server: corral_client::ServerArgs,

    #[command(subcommand)]
    command: SecretsCommand,
}

#[derive(Debug, Subcommand)]
enum SecretsCommand {
    /// Store a secret, reading its value from standard input: `corral secrets set JOB NAME`
    /// for a job on the server (`printf %s "$TOKEN" | corral secrets set crm-sync
    /// crm-token`), `corral secrets set NAME` for this machine's local runs.
    Set {
        /// The job (name or id) on the server; the secret's name alone stores it locally.
        #[arg(value_name = "JOB")]
        first: String,
        /// The secret's name, as jobs refer to it (letters, digits, `-`, `_`, `.`).
        #[arg(value_name = "NAME")]
        second: Option<String>,
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
        SecretsCommand::Set { first, second } => {
            let (job, name) = match second {
                Some(name) => (Some(first), name),
                None => (None, first),
            };
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
            if let Some(job) = job {
                return super::jobs_remote::set_secret(args.server.client()?, &job, &name, value);
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
