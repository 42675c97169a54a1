//! `corral audit`: check the tamper-evident audit log, prove entries to third parties, export.
//!
//! These commands open the database directly (the data directory's `corral.db`, or
//! `--database-url`), so an auditor can verify without a running server. `verify` exits 0 when
//! the log is intact, 1 when it finds tampering, 2 on errors; `check-proof` needs no database
//! at all.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use clap::{Args, Subcommand, ValueEnum};
use corral_store::corral_audit::{
    ConsistencyProof, InclusionProof, Problem, PublicKey, SignedCheckpoint, VerifyReport,
};
use corral_store::{Store, VerifyOptions};
use uuid::Uuid;

use crate::global::GlobalArgs;

#[derive(Debug, Args)]
pub struct AuditArgs {
    /// Database to read instead of `corral.db` in the data directory, e.g.
    /// `postgres://corral@db.internal/corral`.
    ///
    /// The signing key is always read from the data directory.
    #[arg(long, global = true, env = "CORRAL_DATABASE_URL", value_name = "URL")]
    database_url: Option<String>,

    #[command(subcommand)]
    command: AuditCommand,
}

#[derive(Debug, Subcommand)]
enum AuditCommand {
    /// Recompute the whole log and check every signed tree head; name the first bad entry.
    ///
    /// Exit status: 0 intact, 1 tampering found, 2 could not check.
    Verify(VerifyArgs),
    /// Print a proof that one event is in the log, which anyone can check without Corral's
    /// database (`corral audit check-proof`, or the Python snippet in docs/audit.md).
    Proof(ProofArgs),
    /// Print a proof that the log today extends the log as it was at an earlier size.
    Consistency(ConsistencyArgs),
    /// Check a proof file made by `corral audit proof` or `corral audit consistency`.
    ///
    /// Needs no database. Exit status: 0 valid, 1 invalid, 2 could not read it.
    CheckProof(CheckProofArgs),
    /// Print the newest signed checkpoint, to keep somewhere the database's administrators
    /// cannot change; `verify --checkpoint` later proves the log still extends it.
    Checkpoint,
    /// Write every entry as JSON Lines (one event with its hashes and signature per line).
    Export(ExportArgs),
    /// Print the public key that checkpoints are signed with (64 hex digits).
    PublicKey,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Format {
    /// Sentences for people.
    Human,
    /// The full report as JSON.
    Json,
}

#[derive(Debug, Args)]
struct VerifyArgs {
    /// A checkpoint kept outside the database (from `corral audit checkpoint`, or a proof
    /// file) that the log must still extend. Repeatable.
    #[arg(long = "checkpoint", value_name = "FILE")]
    checkpoints: Vec<PathBuf>,

    /// Another public key whose signatures are accepted (hex, or a file holding it), e.g. a
    /// second server's. Repeatable.
    #[arg(long = "trusted-key", value_name = "KEY|FILE")]
    trusted_keys: Vec<String>,

    /// Output format.
    #[arg(long, value_enum, default_value = "human")]
    format: Format,
}

#[derive(Debug, Args)]
struct ProofArgs {
    /// The audit event's id (as shown by `corral audit export` or the API).
    event_id: Uuid,

    /// Write the proof to this file instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    output: Option<PathBuf>,
}

#[derive(Debug, Args)]
struct ConsistencyArgs {
    /// The earlier log size (a checkpoint's `tree_size`).
    #[arg(long, value_name = "SIZE")]
    from: u64,

    /// Write the proof to this file instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    output: Option<PathBuf>,
}

#[derive(Debug, Args)]
struct CheckProofArgs {
    /// The proof file (JSON).
    file: PathBuf,

    /// The organisation's published public key (hex, or a file holding it). Without it the
    /// proof is only checked against the key it carries, which anyone could have made.
    #[arg(long, value_name = "KEY|FILE")]
    public_key: Option<String>,
}

#[derive(Debug, Args)]
struct ExportArgs {
    /// Write to this file instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    output: Option<PathBuf>,

    /// Start at this sequence number.
    #[arg(long, default_value_t = 0, value_name = "SEQ")]
    from: u64,
}

pub fn run(args: AuditArgs, global: &GlobalArgs) -> Result<ExitCode> {
    if let AuditCommand::CheckProof(check) = &args.command {
        return check_proof(check);
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    runtime.block_on(async {
        let data_dir = global.data_dir();
        let store = super::local_store::open_local_store(&data_dir, args.database_url.as_deref())
            .await
            .context("cannot open the audit log")?;
        let code = match args.command {
            AuditCommand::Verify(v) => verify(&store, v).await,
            AuditCommand::Proof(p) => proof(&store, p).await,
            AuditCommand::Consistency(c) => consistency(&store, c).await,
            AuditCommand::Checkpoint => checkpoint(&store).await,
            AuditCommand::Export(e) => export(&store, e).await,
            AuditCommand::PublicKey => {
                println!("{}", store.audit_public_key());
                Ok(ExitCode::SUCCESS)
            }
            AuditCommand::CheckProof(_) => unreachable!("handled above"),
        };
        store.close().await;
        code
    })
}

/// A public key given as hex or as a file holding the hex.
fn read_key(value: &str) -> Result<PublicKey> {
    let text = if Path::new(value).is_file() {
        std::fs::read_to_string(value)
            .with_context(|| format!("cannot read the public key file {value}"))?
    } else {
        value.to_string()
    };
    PublicKey::from_hex(&text).with_context(|| format!("invalid public key `{value}`"))
}

/// The checkpoints a file holds: a bare checkpoint, or the ones inside a proof.
fn read_checkpoints(path: &Path) -> Result<Vec<SignedCheckpoint>> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read checkpoint file {}", path.display()))?;
    let value: serde_json::Value =
        serde_json::from_str(&text).with_context(|| format!("{} is not JSON", path.display()))?;
    let parse = |v: serde_json::Value| -> Result<SignedCheckpoint> {
        serde_json::from_value(v).with_context(|| {
            format!(
                "{} does not hold a signed checkpoint (log_id, tree_size, root, time, key_id, \
                 signature)",
                path.display()
            )
        })
    };
    match value.get("format").and_then(|f| f.as_str()) {
        Some(f) if f.contains("inclusion-proof") => Ok(vec![parse(value["checkpoint"].clone())?]),
        Some(f) if f.contains("consistency-proof") => Ok(vec![
            parse(value["old"].clone())?,
            parse(value["new"].clone())?,
        ]),
        _ => Ok(vec![parse(value)?]),
    }
}

async fn verify(store: &Store, args: VerifyArgs) -> Result<ExitCode> {
    let mut options = VerifyOptions::default();
    for key in &args.trusted_keys {
        options.extra_trusted_keys.push(read_key(key)?);
    }
    for path in &args.checkpoints {
        options.checkpoints.extend(read_checkpoints(path)?);
    }
    let report = store.verify_audit(options).await?;
    match args.format {
        Format::Json => println!("{}", serde_json::to_string_pretty(&report)?),
        Format::Human => print_report(store, &report).await,
    }
    Ok(if report.is_intact() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

async fn print_report(store: &Store, report: &VerifyReport) {
    println!(
        "audit log {} at {}: {} entries, root {}",
        report.log_id,
        store.location(),
        report.entries,
        report.root
    );
    println!(
        "signed tree heads checked: {}; checkpoints kept outside compared: {}",
        report.signatures_checked, report.external_checkpoints_checked
    );
    let Some(problem) = &report.first_problem else {
        println!(
            "intact: every entry matches its hash and every signed tree head verifies with key {}",
            store.audit_public_key().key_id()
        );
        return;
    };
    println!("TAMPERED: {problem}");
    if let Some(seq) = problem.seq()
        && !matches!(problem, Problem::Missing { .. } | Problem::Truncated { .. })
        && let Ok(records) = store.audit_records(seq, 1).await
        && let Some(r) = records.first().filter(|r| r.event.seq == seq)
    {
        println!(
            "  entry {seq} now reads: {} by {} at {} (event {})",
            r.event.action,
            r.event.actor,
            corral_store::columns::ts(r.event.at),
            r.event.id
        );
    }
    if !report.other_altered.is_empty() {
        let list: Vec<String> = report.other_altered.iter().map(u64::to_string).collect();
        println!(
            "  later entries whose content also changed: {}",
            list.join(", ")
        );
    }
    println!(
        "  note: entries before {} verified; restore the log from a backup and investigate who \
         had write access to the database",
        problem.seq().unwrap_or(report.entries)
    );
}

fn write_json(value: &impl serde::Serialize, output: Option<&Path>) -> Result<()> {
    let text = serde_json::to_string_pretty(value)? + "\n";
    match output {
        Some(path) => std::fs::write(path, text)
            .with_context(|| format!("cannot write {}", path.display()))?,
        None => print!("{text}"),
    }
    Ok(())
}

async fn proof(store: &Store, args: ProofArgs) -> Result<ExitCode> {
    let Some(proof) = store.inclusion_proof(args.event_id).await? else {
        bail!(
            "no audit event `{}` in this log; `corral audit export` lists the event ids",
            args.event_id
        );
    };
    write_json(&proof, args.output.as_deref())?;
    Ok(ExitCode::SUCCESS)
}

async fn consistency(store: &Store, args: ConsistencyArgs) -> Result<ExitCode> {
    let proof = store.consistency_proof(args.from).await?;
    write_json(&proof, args.output.as_deref())?;
    Ok(ExitCode::SUCCESS)
}

async fn checkpoint(store: &Store) -> Result<ExitCode> {
    match store.latest_checkpoint().await? {
        Some(cp) => write_json(&cp, None)?,
        None => bail!("the audit log is empty: there is no checkpoint yet"),
    }
    Ok(ExitCode::SUCCESS)
}

async fn export(store: &Store, args: ExportArgs) -> Result<ExitCode> {
    let mut out: Box<dyn Write> = match &args.output {
        Some(path) => Box::new(std::io::BufWriter::new(
            std::fs::File::create(path)
                .with_context(|| format!("cannot create {}", path.display()))?,
        )),
        None => Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
    };
    let mut from = args.from;
    loop {
        let page = store.audit_records(from, 5000).await?;
        for record in &page {
            serde_json::to_writer(&mut out, record)?;
            out.write_all(b"\n")?;
        }
        match page.last() {
            Some(last) if page.len() == 5000 => from = last.event.seq + 1,
            _ => break,
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

fn check_proof(args: &CheckProofArgs) -> Result<ExitCode> {
    let text = std::fs::read_to_string(&args.file)
        .with_context(|| format!("cannot read proof file {}", args.file.display()))?;
    let value: serde_json::Value = serde_json::from_str(&text)
        .with_context(|| format!("{} is not JSON", args.file.display()))?;
    let trusted = args.public_key.as_deref().map(read_key).transpose()?;
    let format = value.get("format").and_then(|f| f.as_str()).unwrap_or("");
    let outcome = if format.contains("inclusion-proof") {
        let proof: InclusionProof = serde_json::from_value(value)
            .with_context(|| format!("{} is not a valid inclusion proof", args.file.display()))?;
        proof.check(trusted.as_ref()).map(|()| {
            format!(
                "valid: event {} is entry {} of log {} (checkpoint of {} entries, signed by key {})",
                proof.event_id,
                proof.leaf_index,
                proof.checkpoint.checkpoint.log_id,
                proof.tree_size,
                proof.public_key.key_id()
            )
        })
    } else if format.contains("consistency-proof") {
        let proof: ConsistencyProof = serde_json::from_value(value)
            .with_context(|| format!("{} is not a valid consistency proof", args.file.display()))?;
        proof.check(trusted.as_ref()).map(|()| {
            format!(
                "valid: the log of {} entries extends the log of {} entries unchanged (key {})",
                proof.new.checkpoint.tree_size,
                proof.old.checkpoint.tree_size,
                proof.public_key.key_id()
            )
        })
    } else {
        bail!(
            "{} is not a Corral proof: its `format` should be corral-audit-inclusion-proof/v1 or \
             corral-audit-consistency-proof/v1",
            args.file.display()
        );
    };
    match outcome {
        Ok(message) => {
            println!("{message}");
            if trusted.is_none() {
                println!(
                    "note: compare the key with the one your organisation published \
                     (`corral audit public-key`), or pass it with --public-key"
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => {
            println!("INVALID: {e}");
            Ok(ExitCode::from(1))
        }
    }
}
