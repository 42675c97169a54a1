//! `corral gate`: the package gate on its own, its setup, and its requests and decisions.
//!
//! - `serve`: the PyPI-compatible gate alone at `http://ADDR/simple/` (`corral serve` mounts
//!   the same routes next to the API).
//! - `init`: find the indexes pip and uv already use and write them as the gate's upstreams.
//! - `requests`, `approve`, `deny`: package requests opened when the gate held something
//!   back; approving or denying is an audited change.
//! - `decisions`: what the gate withheld, refused, served or would have withheld (dry-run).
//!
//! These commands open the database directly, like `corral audit`.

use std::io::Write;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use clap::{Args, Subcommand, ValueEnum};
use corral_gate::config::Upstream;
use corral_gate::{Gate, GateConfig, pip_config};
use corral_server::gate_requests;
use corral_store::{GateRequestStatus, Store, StoreOptions};

use crate::config::ConfigFile;
use crate::global::GlobalArgs;

#[derive(Debug, Args)]
pub struct GateArgs {
    /// Database to use instead of `corral.db` in the data directory.
    #[arg(long, global = true, env = "CORRAL_DATABASE_URL", value_name = "URL")]
    database_url: Option<String>,

    #[command(subcommand)]
    command: GateCommand,
}

#[derive(Debug, Subcommand)]
enum GateCommand {
    /// Serve the gate alone (pip: --index-url http://ADDR/simple/).
    Serve(ServeArgs),
    /// Copy the package indexes pip and uv already use into [gate] as upstreams.
    Init(InitArgs),
    /// List package requests (pending by default).
    Requests(RequestsArgs),
    /// Approve a held-back project (NAME) or one version (NAME==VERSION).
    Approve(DecideArgs),
    /// Deny a package request.
    Deny(DecideArgs),
    /// Show the gate's recent decisions, newest first.
    Decisions(DecisionsArgs),
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Format {
    Human,
    Json,
}

#[derive(Debug, Args)]
struct ServeArgs {
    /// Address and port (default from [gate] listen, else 127.0.0.1:8791).
    #[arg(long, env = "CORRAL_GATE_LISTEN", value_name = "ADDR:PORT")]
    listen: Option<String>,
}

#[derive(Debug, Args)]
struct InitArgs {
    /// Append the upstreams found to the configuration file (default: print them).
    #[arg(long)]
    write: bool,
}

#[derive(Debug, Args)]
struct RequestsArgs {
    /// Which requests to list.
    #[arg(long, value_enum, default_value = "pending")]
    status: StatusFilter,
    #[arg(long, value_enum, default_value = "human")]
    format: Format,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum StatusFilter {
    Pending,
    Approved,
    Denied,
    All,
}

#[derive(Debug, Args)]
struct DecideArgs {
    /// `NAME` for the whole project, `NAME==VERSION` for one version.
    package: String,
    /// Why (kept with the decision and in the audit log).
    #[arg(long)]
    comment: Option<String>,
    /// Who decides (default: $CORRAL_USER, else $USER).
    #[arg(long = "as", env = "CORRAL_USER", value_name = "EMAIL")]
    actor: Option<String>,
}

#[derive(Debug, Args)]
struct DecisionsArgs {
    /// Only this project.
    project: Option<String>,
    /// How many to show.
    #[arg(long, default_value_t = 50)]
    limit: i64,
    #[arg(long, value_enum, default_value = "human")]
    format: Format,
}

pub fn run(args: GateArgs, global: &GlobalArgs) -> Result<ExitCode> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    runtime.block_on(async move {
        match args.command {
            GateCommand::Init(init_args) => init(init_args, global),
            GateCommand::Serve(serve_args) => serve(serve_args, args.database_url, global).await,
            GateCommand::Requests(a) => {
                requests(a, &open_store(global, &args.database_url).await?).await
            }
            GateCommand::Approve(a) => {
                decide(
                    a,
                    GateRequestStatus::Approved,
                    &open_store(global, &args.database_url).await?,
                )
                .await
            }
            GateCommand::Deny(a) => {
                decide(
                    a,
                    GateRequestStatus::Denied,
                    &open_store(global, &args.database_url).await?,
                )
                .await
            }
            GateCommand::Decisions(a) => {
                decisions(a, &open_store(global, &args.database_url).await?).await
            }
        }
    })
}

async fn open_store(global: &GlobalArgs, database_url: &Option<String>) -> Result<Store> {
    Store::open_with(
        StoreOptions::new(global.data_dir())
            .database_url(database_url.as_deref())
            .connect_timeout(std::time::Duration::from_secs(10)),
    )
    .await
    .context("cannot open Corral's database")
}

fn gate_config(global: &GlobalArgs) -> Result<(ConfigFile, GateConfig)> {
    let data_dir = global.data_dir();
    let file = ConfigFile::load(global.config.as_deref(), &data_dir.join("corral.toml"))?;
    let config: GateConfig = file.section("gate")?;
    Ok((file, config))
}

async fn serve(
    args: ServeArgs,
    database_url: Option<String>,
    global: &GlobalArgs,
) -> Result<ExitCode> {
    let (_, mut config) = gate_config(global)?;
    if let Some(listen) = args.listen {
        config.listen = listen;
    }
    config.validate()?;
    let data_dir = global.data_dir();
    let store = open_store(global, &database_url).await?;
    let gate = Gate::new(&config, &data_dir, store)?;
    let listener = tokio::net::TcpListener::bind(&config.listen)
        .await
        .with_context(|| format!("cannot listen on {}", config.listen))?;
    let addr = listener.local_addr()?;
    let app = corral_gate::server::router(gate.clone(), "/simple");
    let url = format!("http://{addr}/simple/");
    {
        let mut out = std::io::stdout().lock();
        writeln!(
            out,
            "Corral gate {} is serving at {url}",
            env!("CARGO_PKG_VERSION")
        )?;
        for u in &config.upstream {
            writeln!(
                out,
                "  upstream {}: {}",
                u.name,
                pip_config::redacted(&u.url)
            )?;
        }
        writeln!(out)?;
        writeln!(out, "  pip install --index-url {url} PACKAGE")?;
        writeln!(out, "  UV_DEFAULT_INDEX={url} uv pip install PACKAGE")?;
        out.flush()?;
    }
    corral_gate::server::serve(listener, app, async {
        let _ = tokio::signal::ctrl_c().await;
    })
    .await?;
    gate.flush().await;
    Ok(ExitCode::SUCCESS)
}

fn init(args: InitArgs, global: &GlobalArgs) -> Result<ExitCode> {
    let (file, config) = gate_config(global)?;
    let env = |key: &str| std::env::var(key).ok().filter(|v| !v.is_empty());
    let found = pip_config::discover(&env, dirs::home_dir().as_deref());
    let mut out = std::io::stdout().lock();
    if found.is_empty() {
        writeln!(
            out,
            "No package index is configured for pip or uv here (pip.conf files, PIP_INDEX_URL, UV_DEFAULT_INDEX)."
        )?;
        writeln!(
            out,
            "Add the index your organisation trusts by hand:\n\n[[gate.upstream]]\nname = \"main\"\nurl = \"https://YOUR-INDEX/simple/\""
        )?;
        return Ok(ExitCode::from(2));
    }
    let upstreams: Vec<Upstream> = found
        .iter()
        .enumerate()
        .map(|(i, f)| Upstream {
            name: if i == 0 {
                "main".into()
            } else {
                format!("extra-{i}")
            },
            url: f.url.clone(),
        })
        .collect();
    writeln!(out, "Found {} index(es):", found.len())?;
    for f in &found {
        let kind = if f.primary {
            "index-url"
        } else {
            "extra-index-url"
        };
        writeln!(
            out,
            "  {} ({kind}, from {})",
            pip_config::redacted(&f.url),
            f.source
        )?;
    }
    let mut snippet = String::new();
    for u in &upstreams {
        snippet.push_str(&format!(
            "\n[[gate.upstream]]\nname = \"{}\"\nurl = \"{}\"\n",
            u.name, u.url
        ));
    }
    if !args.write {
        writeln!(
            out,
            "\nAdd to corral.toml (or run `corral gate init --write`):"
        )?;
        let shown: String = upstreams
            .iter()
            .map(|u| {
                format!(
                    "\n[[gate.upstream]]\nname = \"{}\"\nurl = \"{}\"\n",
                    u.name,
                    pip_config::redacted(&u.url)
                )
            })
            .collect();
        writeln!(out, "{shown}")?;
        return Ok(ExitCode::SUCCESS);
    }
    if !config.upstream.is_empty() {
        bail!(
            "the configuration already has {} [[gate.upstream]] entr(ies); edit it by hand rather than adding more",
            config.upstream.len()
        );
    }
    let path = file
        .path
        .clone()
        .unwrap_or_else(|| global.data_dir().join("corral.toml"));
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    }
    let mut existing = std::fs::read_to_string(&path).unwrap_or_default();
    existing.push_str(&snippet);
    ConfigFile::parse(&existing, Some(path.clone())).context(
        "the configuration would not parse after adding the upstreams; nothing was written",
    )?;
    std::fs::write(&path, existing).with_context(|| format!("cannot write {}", path.display()))?;
    writeln!(
        out,
        "\nWrote {} upstream(s) to {}",
        upstreams.len(),
        path.display()
    )?;
    Ok(ExitCode::SUCCESS)
}

async fn requests(args: RequestsArgs, store: &Store) -> Result<ExitCode> {
    let status = match args.status {
        StatusFilter::Pending => Some(GateRequestStatus::Pending),
        StatusFilter::Approved => Some(GateRequestStatus::Approved),
        StatusFilter::Denied => Some(GateRequestStatus::Denied),
        StatusFilter::All => None,
    };
    let list = store.gate_requests(status).await?;
    let mut out = std::io::stdout().lock();
    match args.format {
        Format::Json => writeln!(out, "{}", serde_json::to_string_pretty(&list)?)?,
        Format::Human => {
            if list.is_empty() {
                writeln!(out, "No package requests.")?;
            }
            for r in &list {
                let what = if r.version.is_empty() {
                    r.project.clone()
                } else {
                    format!("{}=={}", r.project, r.version)
                };
                writeln!(
                    out,
                    "{what}  [{}]  {} ({})",
                    r.status.as_str(),
                    r.reason,
                    r.rule
                )?;
                writeln!(
                    out,
                    "    asked {} by {}",
                    r.requested_at.format("%Y-%m-%d %H:%M UTC"),
                    r.requested_by
                )?;
                if let (Some(by), Some(at)) = (&r.decided_by, r.decided_at) {
                    let comment = r
                        .comment
                        .as_deref()
                        .map(|c| format!(": {c}"))
                        .unwrap_or_default();
                    writeln!(
                        out,
                        "    {} {} by {by}{comment}",
                        r.status.as_str(),
                        at.format("%Y-%m-%d %H:%M UTC")
                    )?;
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// An error of the shared request workflow, as the command line says it.
fn explained(err: corral_server::error::ApiError) -> anyhow::Error {
    let mut message = match err.detail.fields.first() {
        Some(field) => field.rule.clone(),
        None => err.detail.message,
    };
    if let Some(help) = err.detail.help {
        message.push_str(&format!("\n  help: {help}"));
    }
    anyhow::anyhow!(message)
}

async fn decide(args: DecideArgs, status: GateRequestStatus, store: &Store) -> Result<ExitCode> {
    let actor = args
        .actor
        .or_else(|| std::env::var("USER").ok())
        .filter(|a| !a.trim().is_empty())
        .context("say who decides with --as EMAIL (or set CORRAL_USER)")?;
    let decided = gate_requests::decide_request(
        store,
        &actor,
        &args.package,
        status,
        args.comment.as_deref(),
    )
    .await
    .map_err(explained)?;
    let request = &decided.request;
    let what = if request.version.is_empty() {
        format!("{} (every version)", request.project)
    } else {
        format!("{}=={}", request.project, request.version)
    };
    println!(
        "{} {what}; audit entry #{}",
        status.as_str(),
        decided.audit_seq
    );
    Ok(ExitCode::SUCCESS)
}

async fn decisions(args: DecisionsArgs, store: &Store) -> Result<ExitCode> {
    let project = args.project.as_deref().map(corral_deps::name::pep503);
    let list = store
        .gate_decisions(project.as_deref(), args.limit.max(1))
        .await?;
    let mut out = std::io::stdout().lock();
    match args.format {
        Format::Json => writeln!(out, "{}", serde_json::to_string_pretty(&list)?)?,
        Format::Human => {
            if list.is_empty() {
                writeln!(out, "No decisions recorded.")?;
            }
            for d in &list {
                let what = match &d.version {
                    Some(v) => format!("{} {v}", d.project),
                    None => d.project.clone(),
                };
                let rule = d.rule.as_deref().unwrap_or("-");
                writeln!(
                    out,
                    "{}  {:<8} {what}  [{rule}] {}",
                    d.at.format("%Y-%m-%d %H:%M:%S"),
                    d.outcome,
                    d.reason
                )?;
                writeln!(out, "    client: {}", d.client)?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
