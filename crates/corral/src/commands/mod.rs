//! The subcommands. One file per command group; this file only lists and dispatches them.

use std::process::ExitCode;

use anyhow::Result;
use clap::Subcommand;

use crate::global::GlobalArgs;

mod assets;
mod attest;
mod audit;
mod baseline;
mod db;
mod gate;
mod heartbeat;
mod job_bundle;
mod jobs;
mod jobs_remote;
mod local_store;
mod notify;
mod people;
mod register;
mod review;
mod runner;
mod sbom;
mod scan;
mod scan_upload;
mod secrets;
mod serve;
mod token;
mod users;
mod version;

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Scan files for secrets, risky dependencies, insecure code and AI-assistant settings.
    Scan(scan::ScanArgs),
    /// Record current scan findings as accepted, so later scans report only new ones.
    Baseline(baseline::BaselineArgs),
    /// Write a CycloneDX SBOM of the packages a project uses.
    Sbom(sbom::SbomArgs),
    /// Load and refresh the advisory and package data the dependency checks use (offline).
    Db(db::DbArgs),
    /// Start the registry server: API, web console, workflow, notifications, jobs (SQLite by
    /// default).
    ///
    /// The web console is served at the server's root address. Nobody can sign in to it until
    /// a console account exists: create the first one on this machine with
    /// `corral users add you@example.com --role admin` (same --data-dir or --database-url);
    /// the password is asked for, never passed as an argument. On its first start the server
    /// also prints a one-time admin API token for the command line.
    Serve(serve::ServeArgs),
    /// The package gate: a PyPI-compatible index that serves only what policy allows.
    Gate(gate::GateArgs),
    /// Run scheduled jobs from the shared database, without the API (one node of many).
    Runner(runner::RunnerArgs),
    /// Register an AI-built asset with a Corral server (flags, descriptor, or questions).
    Register(register::RegisterArgs),
    /// List and show registered assets.
    Assets(assets::AssetsArgs),
    /// List reviews and approve, reject or request changes.
    Review(review::ReviewArgs),
    /// Confirm an asset is still in use, or decommission it; list overdue attestations.
    Attest(attest::AttestArgs),
    /// See what a person owns; hand it over when they leave.
    People(people::PeopleArgs),
    /// Verify the tamper-evident audit log, prove entries to third parties, export it.
    Audit(audit::AuditArgs),
    /// Check that notifications are getting through.
    Notify(notify::NotifyArgs),
    /// Issue, list and revoke API tokens (admins).
    Token(token::TokenArgs),
    /// Create web console accounts and set their passwords (on the server's machine).
    Users(users::UsersArgs),
    /// Define, import and run scheduled jobs, on this machine or on a Corral server.
    Jobs(jobs::JobsArgs),
    /// Store job secrets on this machine (encrypted; values are never shown).
    Secrets(secrets::SecretsArgs),
    /// Ping a Corral heartbeat check around a command that runs elsewhere.
    Heartbeat(heartbeat::HeartbeatArgs),
    /// Print version and build information.
    Version(version::VersionArgs),
}

pub fn run(command: Command, global: &GlobalArgs) -> Result<ExitCode> {
    match command {
        Command::Scan(args) => scan::run(args, global),
        Command::Baseline(args) => baseline::run(args, global),
        Command::Sbom(args) => sbom::run(args, global),
        Command::Db(args) => db::run(args, global),
        Command::Serve(args) => serve::run(args, global),
        Command::Gate(args) => gate::run(args, global),
        Command::Runner(args) => runner::run(args, global),
        Command::Register(args) => register::run(args, global),
        Command::Assets(args) => assets::run(args, global),
        Command::Review(args) => review::run(args, global),
        Command::Attest(args) => attest::run(args, global),
        Command::People(args) => people::run(args, global),
        Command::Audit(args) => audit::run(args, global),
        Command::Notify(args) => notify::run(args, global),
        Command::Token(args) => token::run(args, global),
        Command::Users(args) => users::run(args, global),
        Command::Jobs(args) => jobs::run(args, global),
        Command::Secrets(args) => secrets::run(args, global),
        Command::Heartbeat(args) => heartbeat::run(args, global),
        Command::Version(args) => version::run(args, global),
    }
}
