//! `corral runner`: a runner node without the API — it schedules and executes jobs from
//! the shared database until Ctrl-C or SIGTERM, then lets the runs in progress finish.
//!
//! Start as many as the work needs, on as many machines, against one PostgreSQL database
//! (`--database-url`): each slot is claimed by exactly one node, and the runs of a node
//! that dies are failed over to the others once its lease lapses. Reads `[scheduler]`,
//! `[runner]` and `[notify]` (alerts are queued for the servers' dispatcher) from
//! `corral.toml`.

use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{Context, Result};
use clap::Args;
use corral_runner::executor::ExecutorSettings;
use corral_server::NotifyConfig;
use corral_server::runner::{RunnerOptions, SchedulerConfig, start_runner};
use corral_store::{Store, StoreOptions};

use crate::config::ConfigFile;
use crate::global::GlobalArgs;

#[derive(Debug, Args)]
pub struct RunnerArgs {
    /// The database the servers use, e.g. postgres://corral@db.internal/corral (default:
    /// the SQLite file in the data directory). The password is never printed.
    #[arg(long, env = "CORRAL_DATABASE_URL", value_name = "URL")]
    database_url: Option<String>,
}

pub fn run(args: RunnerArgs, global: &GlobalArgs) -> Result<ExitCode> {
    let data_dir = global.data_dir();
    let config = ConfigFile::load(global.config.as_deref(), &data_dir.join("corral.toml"))?;
    let scheduler: SchedulerConfig = config.section("scheduler")?;
    let executor: ExecutorSettings = config.section("runner")?;
    let notify: NotifyConfig = config.section("notify")?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    runtime.block_on(async move {
        let store = Store::open_with(
            StoreOptions::new(&data_dir).database_url(args.database_url.as_deref()),
        )
        .await?;
        let node = start_runner(
            store.clone(),
            Arc::new(notify),
            RunnerOptions {
                scheduler,
                executor,
            },
            None,
        )
        .map_err(anyhow::Error::msg)?;
        println!(
            "Corral runner node {} is running jobs from {}",
            node.node,
            store.location()
        );
        crate::commands::serve::wait_for_signal().await;
        eprintln!("stopping: letting the runs in progress finish");
        node.shutdown().await;
        store.close().await;
        anyhow::Ok(())
    })?;
    Ok(ExitCode::SUCCESS)
}
