//! `corral serve`: the registry, its API, notifications and a job runner node, in one
//! process.
//!
//! Reads `[policy]`, `[server]`, `[notify]`, `[scheduler]`, `[runner]` and `[gate]` (the
//! package gate is mounted under `/simple/` when it names an upstream) from `corral.toml`,
//! opens the database
//! (SQLite in the data directory unless `--database-url` names PostgreSQL), applies
//! migrations, prints the URL and, on first start, the one admin token and how to create
//! the first web console account (`corral users add`), then serves until Ctrl-C or SIGTERM,
//! finishing requests in flight before it exits.

use std::io::Write;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::Args;
use corral_model::PolicyConfig;
use corral_server::runner::{RunnerOptions, SchedulerConfig};
use corral_server::{NotifyConfig, ServeOptions, ServerConfig};

use crate::config::ConfigFile;
use crate::global::GlobalArgs;

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address and port to listen on (default from [server] listen, else 127.0.0.1:8790:
    /// this machine only).
    #[arg(long, env = "CORRAL_LISTEN", value_name = "ADDR:PORT")]
    listen: Option<String>,

    /// PostgreSQL database to use instead of the embedded SQLite file, e.g.
    /// postgres://corral@db.internal/corral. The password is never printed.
    #[arg(long, env = "CORRAL_DATABASE_URL", value_name = "URL")]
    database_url: Option<String>,

    /// Serve the API only and leave scheduled jobs to `corral runner` nodes (also
    /// `[scheduler] enabled = false`).
    #[arg(long)]
    no_runner: bool,
}

pub fn run(args: ServeArgs, global: &GlobalArgs) -> Result<ExitCode> {
    let data_dir = global.data_dir();
    let config = ConfigFile::load(global.config.as_deref(), &data_dir.join("corral.toml"))?;
    let policy: PolicyConfig = config.section("policy")?;
    let mut server: ServerConfig = config.section("server")?;
    let notify: NotifyConfig = config.section("notify")?;
    let scheduler: SchedulerConfig = config.section("scheduler")?;
    let runner = (scheduler.enabled && !args.no_runner)
        .then(|| -> Result<RunnerOptions> {
            Ok(RunnerOptions {
                scheduler,
                executor: config.section("runner")?,
            })
        })
        .transpose()?;
    if let Some(listen) = args.listen {
        server.listen = listen;
    }
    let gate: corral_gate::GateConfig = config.section("gate")?;
    let gate_targets: Vec<String> = corral_server::notify::fan_out(
        &notify,
        &corral_model::Event::new(corral_model::EventKind::Gate, "", ""),
    )
    .into_iter()
    .map(|(target, _)| target)
    .collect();
    let mount = gate_mount(gate, data_dir.clone(), gate_targets)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    runtime.block_on(async move {
        let gate_mounted = mount.is_some();
        let running = corral_server::start_with(
            ServeOptions {
                data_dir: data_dir.clone(),
                database_url: args.database_url,
                server,
                policy,
                notify,
                runner,
            },
            mount,
        )
        .await?;
        let mut out = std::io::stdout().lock();
        writeln!(
            out,
            "Corral {} is serving at {}",
            env!("CARGO_PKG_VERSION"),
            running.url
        )?;
        writeln!(out, "  web console: {}/", running.url)?;
        writeln!(out, "  database: {}", running.state.store.location())?;
        if gate_mounted {
            writeln!(out, "  package gate: {}/simple/", running.url)?;
        }
        match &running.runner {
            Some(node) => writeln!(out, "  running jobs as runner node {}", node.node)?,
            None => writeln!(out, "  not running jobs (runner nodes do)")?,
        }
        if let Some(path) = &config.path {
            writeln!(out, "  configuration: {}", path.display())?;
        }
        if let Some(token) = &running.admin_token {
            writeln!(out)?;
            writeln!(
                out,
                "First start: an admin token was created. It is shown only now:"
            )?;
            writeln!(out)?;
            writeln!(out, "  {token}")?;
            writeln!(out)?;
            writeln!(
                out,
                "  export CORRAL_TOKEN={token}   # then try: corral assets list"
            )?;
        }
        if running.state.store.console_accounts().await?.is_empty() {
            writeln!(out)?;
            writeln!(
                out,
                "No one can sign in to the web console yet. Create the first admin account on \
                 this machine (the password is asked for, never passed as an argument):"
            )?;
            writeln!(out)?;
            writeln!(
                out,
                "  corral users add you@example.com --role admin{}",
                data_dir_flag(global)
            )?;
        }
        out.flush()?;
        drop(out);
        wait_for_signal().await;
        eprintln!("shutting down: finishing requests in flight");
        running.shutdown().await;
        anyhow::Ok(())
    })?;
    Ok(ExitCode::SUCCESS)
}

/// ` --data-dir DIR` when the data directory was given explicitly, so the printed command
/// opens the same database.
fn data_dir_flag(global: &GlobalArgs) -> String {
    match &global.data_dir {
        Some(dir) => format!(" --data-dir {}", dir.display()),
        None => String::new(),
    }
}

/// The package gate's routes under `/simple/`, when `[gate]` names an upstream.
/// New package requests are announced to the `[notify]` targets subscribed to `gate` events;
/// the decisions still queued at shutdown are written before the database closes.
fn gate_mount(
    gate: corral_gate::GateConfig,
    data_dir: std::path::PathBuf,
    notify_targets: Vec<String>,
) -> Result<Option<corral_server::Mount>> {
    if gate.upstream.is_empty() {
        return Ok(None);
    }
    gate.validate()?;
    Ok(Some(Box::new(move |store| {
        let gate = corral_gate::Gate::with_notify_targets(&gate, &data_dir, store, notify_targets)
            .map_err(|e| e.to_string())?;
        let router = corral_gate::server::router(gate.clone(), "/simple");
        // At shutdown, after the last request: write the decisions still queued.
        let drain: corral_server::Drain = Box::pin(async move { gate.flush().await });
        Ok(corral_server::Mounted {
            router,
            drain: Some(drain),
        })
    })))
}

/// Ctrl-C, or SIGTERM on Unix.
pub(crate) async fn wait_for_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
