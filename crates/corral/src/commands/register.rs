//! `corral register`: put an AI-built asset in the registry.
//!
//! Three ways in, one draft out: flags, a repository's descriptor (`--descriptor
//! corral.toml`, the `[asset]` table), or, on a terminal with fields missing, questions.
//! The server validates and decides; this command only gathers and shows the outcome, so a
//! CI job and a person at a terminal get the same rules.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use clap::Args;
use corral_client::render;
use corral_client::{OutputFormat, ServerArgs, block_on, describe_error};
use corral_model::asset::{AiTool, ApprovalState, AssetDraft, DeploymentStatus};
use corral_model::descriptor::Descriptor;
use corral_model::tier::{DataTier, SystemAccess};

use crate::global::GlobalArgs;

#[derive(Debug, Args)]
pub struct RegisterArgs {
    #[command(flatten)]
    server: ServerArgs,

    /// Read the asset from a repository descriptor: the `[asset]` table of this TOML file.
    /// Flags given as well override its values.
    #[arg(long, value_name = "FILE")]
    descriptor: Option<PathBuf>,

    /// Short unique name: lowercase letters, digits and dashes, e.g. `lead-scoring`.
    #[arg(long)]
    name: Option<String>,

    /// One sentence: the business purpose it serves.
    #[arg(long)]
    purpose: Option<String>,

    /// Who built it (defaults to the token's e-mail).
    #[arg(long, value_name = "EMAIL")]
    creator: Option<String>,

    /// The creator's team, e.g. `Sales`.
    #[arg(long)]
    department: Option<String>,

    /// Who answers for it (defaults to the creator).
    #[arg(long, value_name = "EMAIL")]
    owner: Option<String>,

    /// A second person who can look after it.
    #[arg(long, value_name = "EMAIL")]
    backup_owner: Option<String>,

    /// The most sensitive data it touches: 1 public, 2 internal, 3 confidential (customer
    /// lists, contracts, HR), 4 regulated (payment cards, health data).
    #[arg(long, value_name = "1-4")]
    data_tier: Option<DataTier>,

    /// The AI assistant and version it was built with, e.g. "Claude Code 2.1".
    #[arg(long, value_name = "PRODUCT VERSION")]
    ai_tool: Option<String>,

    /// development, production or decommissioned.
    #[arg(long)]
    status: Option<DeploymentStatus>,

    /// Where its code lives (https://… or git@host:path).
    #[arg(long, value_name = "URL")]
    repository: Option<String>,

    /// A system it touches and how, e.g. `Salesforce:writes` or `ERP:reads`. Repeat for each.
    /// Writing to a system makes the asset critical (two sign-offs before production).
    #[arg(long = "system", value_name = "SYSTEM:ACCESS")]
    systems: Vec<SystemAccess>,

    /// Never ask questions, even on a terminal.
    #[arg(long)]
    no_input: bool,

    /// human (default) or json.
    #[arg(long, value_enum, default_value_t)]
    format: OutputFormat,
}

/// The `[asset]` table of a descriptor file.
#[derive(serde::Deserialize)]
struct DescriptorFile {
    asset: Option<Descriptor>,
}

fn draft_from(args: &RegisterArgs) -> Result<AssetDraft> {
    let mut draft = match &args.descriptor {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read {}", path.display()))?;
            let file: DescriptorFile = toml::from_str(&text)
                .with_context(|| format!("cannot parse {}", path.display()))?;
            let Some(descriptor) = file.asset else {
                bail!(
                    "{} has no [asset] table\n  help: see `corral register --help` for its fields",
                    path.display()
                );
            };
            descriptor
                .into_draft()
                .with_context(|| format!("in {}", path.display()))?
        }
        None => AssetDraft::default(),
    };
    let set = |target: &mut String, value: &Option<String>| {
        if let Some(v) = value {
            *target = v.clone();
        }
    };
    set(&mut draft.name, &args.name);
    set(&mut draft.purpose, &args.purpose);
    set(&mut draft.creator_email, &args.creator);
    set(&mut draft.department, &args.department);
    if args.owner.is_some() {
        draft.owner_email = args.owner.clone();
    }
    if args.backup_owner.is_some() {
        draft.backup_owner_email = args.backup_owner.clone();
    }
    if args.data_tier.is_some() {
        draft.data_tier = args.data_tier;
    }
    if let Some(tool) = &args.ai_tool {
        draft.ai_tool = Some(
            tool.parse::<AiTool>()
                .map_err(|e| anyhow::anyhow!("--ai-tool: {e}"))?,
        );
    }
    if args.status.is_some() {
        draft.status = args.status;
    }
    if args.repository.is_some() {
        draft.repository = args.repository.clone();
    }
    if !args.systems.is_empty() {
        draft.systems = args.systems.clone();
    }
    Ok(draft)
}

/// Asks for the required fields still missing.
fn ask_missing(draft: &mut AssetDraft) -> Result<()> {
    use dialoguer::{Input, Select};
    let text = |prompt: &str| -> Result<String> {
        Ok(Input::<String>::new().with_prompt(prompt).interact_text()?)
    };
    if draft.name.is_empty() {
        draft.name = text("Name (lowercase-with-dashes)")?;
    }
    if draft.purpose.is_empty() {
        draft.purpose = text("Business purpose, in one sentence")?;
    }
    if draft.department.is_empty() {
        draft.department = text("Department")?;
    }
    if draft.data_tier.is_none() {
        let items = [
            "1 public: published or publishable data",
            "2 internal: internal docs, aggregated metrics",
            "3 confidential: customer lists, contracts, pricing, HR records",
            "4 regulated: payment cards, health, special-category personal data",
        ];
        let i = Select::new()
            .with_prompt("Most sensitive data it touches")
            .items(&items)
            .default(1)
            .interact()?;
        draft.data_tier = DataTier::from_number(i as u8 + 1);
    }
    while draft.ai_tool.is_none() {
        let answer = text("AI tool and version (e.g. Claude Code 2.1)")?;
        match answer.parse::<AiTool>() {
            Ok(tool) => draft.ai_tool = Some(tool),
            Err(e) => eprintln!("{e}"),
        }
    }
    if draft.status.is_none() {
        let items = ["development", "production"];
        let i = Select::new()
            .with_prompt("Status")
            .items(&items)
            .default(0)
            .interact()?;
        draft.status = Some(if i == 0 {
            DeploymentStatus::Development
        } else {
            DeploymentStatus::Production
        });
    }
    Ok(())
}

pub fn run(args: RegisterArgs, _global: &GlobalArgs) -> Result<ExitCode> {
    let mut draft = draft_from(&args)?;
    let missing = draft.name.is_empty()
        || draft.purpose.is_empty()
        || draft.department.is_empty()
        || draft.data_tier.is_none()
        || draft.ai_tool.is_none()
        || draft.status.is_none();
    if missing && !args.no_input && std::io::stdin().is_terminal() {
        ask_missing(&mut draft)?;
    }
    let client = args.server.client()?;
    let outcome = match block_on(client.register(&draft)) {
        Ok(outcome) => outcome,
        Err(err) => {
            eprint!("{}", describe_error(&err));
            return Ok(ExitCode::from(2));
        }
    };
    match args.format {
        OutputFormat::Json => println!("{}", serde_json::to_string_pretty(&outcome)?),
        OutputFormat::Human if outcome.asset.asset.approval == ApprovalState::Blocked => {
            eprint!("{}", render::asset_outcome(&outcome, "registered"))
        }
        OutputFormat::Human => print!("{}", render::asset_outcome(&outcome, "registered")),
    }
    Ok(if outcome.asset.asset.approval == ApprovalState::Blocked {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
