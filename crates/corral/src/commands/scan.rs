//! `corral scan`: find leaked secrets, dangerous dependencies, insecure code, risky
//! AI-assistant configuration and licence problems, offline.
//!
//! Wiring only: flags and `[scan]` settings become [`ScanOptions`], `corral-scan` does the
//! work, and the report is printed in the chosen format. Exit codes are the contract CI and
//! hooks rely on: 0 nothing at or above `--fail-on`, 1 findings at or above it, 2 the scan
//! could not run (bad flag, unreadable rule file, not a git repository, …) or, with
//! `--upload`, the report could not be stored on the server (see `scan_upload.rs`).

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use anyhow::{Context, Result, bail};
use clap::{Args, ValueEnum};
use corral_model::{Report, RuleInfo};
use corral_scan::{
    Baseline, ByteSize, FailOn, Format, HumanOptions, RulesMode, ScanConfig, ScanMode, ScanOptions,
    ScanProgress, ScannerKind, ScannerSelection, ScannerSettings, SecretRules,
};

use super::scan_upload;
use crate::config::ConfigFile;
use crate::global::GlobalArgs;

/// What to scan and how: shared by `corral scan` and `corral baseline create`.
#[derive(Debug, Clone, Args)]
pub struct ScanInputArgs {
    /// Files or directories to scan [default: the current directory].
    ///
    /// With --staged or --history, only paths under these are scanned.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// Run only these scanners, comma-separated: secrets, deps, code, ai-config, license.
    ///
    /// Without it every scanner in this build runs.
    #[arg(long, value_name = "SCANNERS", value_delimiter = ',')]
    pub only: Vec<ScannerKind>,

    /// Scan what is staged for the next commit (git's index), not the working tree.
    ///
    /// Only files whose staged content differs from HEAD are scanned. Made for pre-commit
    /// hooks: a secret you deleted from the file but left staged is still caught.
    #[arg(long, conflicts_with = "history")]
    pub staged: bool,

    /// Scan every line ever added in git history, reporting the commit, author and date.
    ///
    /// A secret deleted in a later commit is still in every clone and must be rotated, so it
    /// is still reported.
    #[arg(long)]
    pub history: bool,

    /// With --history: only scan commits after REF (a tag, branch or commit id).
    #[arg(long, value_name = "REF", requires = "history")]
    pub since: Option<String>,

    /// Skip files larger than this, listing them with the reason [default: 5MB, or
    /// `max_file_size` in the [scan] section of corral.toml].
    ///
    /// Accepts bytes or units: 500KB, 10MB, 1MiB.
    #[arg(long, value_name = "SIZE")]
    pub max_file_size: Option<ByteSize>,

    /// Also scan files hidden by .gitignore, .ignore and .corralignore.
    #[arg(long)]
    pub no_ignore: bool,

    /// Follow symbolic links (by default they are listed as skipped, not followed).
    #[arg(long)]
    pub follow_symlinks: bool,

    /// Never scan paths matching this gitignore-style pattern (repeatable), e.g. 'vendor/'
    /// or '*.min.js'. Adds to `exclude` in the [scan] section of corral.toml.
    #[arg(long, value_name = "PATTERN")]
    pub exclude: Vec<String>,

    /// Extra secret detectors from a gitleaks-format TOML rule file.
    ///
    /// A gitleaks rule file may also be given as --config, as gitleaks takes it; there its
    /// `[extend] useDefault = true` decides whether it extends or replaces the built-ins.
    #[arg(long, value_name = "FILE")]
    pub rules: Option<PathBuf>,

    /// Whether --rules adds to the built-in detectors or replaces them (the flag decides,
    /// whatever the file's `[extend] useDefault` says).
    #[arg(long, value_enum, default_value_t = RulesModeArg::Extend, requires = "rules")]
    pub rules_mode: RulesModeArg,

    /// Scanning threads [default: one per CPU core].
    #[arg(long, value_name = "N", default_value_t = 0, hide_default_value = true)]
    pub threads: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RulesModeArg {
    /// Built-in detectors plus the file's rules.
    Extend,
    /// Only the file's rules.
    Replace,
}

/// When to colour human output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorArg {
    /// When writing to a terminal that supports it (and NO_COLOR is not set).
    Auto,
    Always,
    Never,
}

/// Scan files for leaked secrets, dangerous dependencies, insecure code, risky AI-assistant
/// configuration and licence problems. Works offline.
#[derive(Debug, Args)]
#[command(after_long_help = "\
Exit codes:
  0  nothing at or above --fail-on was found
  1  findings at or above --fail-on (suppressed and baselined findings never count)
  2  the scan could not run: bad flag, unreadable file given, not a git repository, ...;
     or --upload could not store the report (the scan output is printed first)

Silence one finding with a comment on its line: `# corral:allow` (every rule) or
`# corral:allow RULE-ID -- reason` (one rule). Suppressed findings stay counted.

Examples:
  corral scan                              scan the current directory
  corral scan --format sarif -o corral.sarif   for GitHub code scanning
  corral scan --staged                     in a pre-commit hook
  corral scan --history --since v1.0       secrets ever committed since v1.0
  corral scan --baseline .corral-baseline.json   only findings not in the baseline
  corral scan --config .gitleaks.toml      with a team's gitleaks rule file
  corral scan --upload                     and store the findings on the Corral server")]
pub struct ScanArgs {
    #[command(flatten)]
    pub input: ScanInputArgs,

    /// Output format: human (grouped by file, with a summary), json (the versioned report
    /// schema) or sarif (SARIF 2.1.0 for GitHub code scanning and other dashboards).
    #[arg(long, short = 'f', value_name = "FORMAT", default_value_t = Format::Human)]
    pub format: Format,

    /// Write the report to FILE instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Exit 1 when a finding is at least this severe: critical, high, medium, low, info, or
    /// none to never fail [default: low, or `fail_on` in the [scan] section of corral.toml].
    #[arg(long, value_name = "SEVERITY")]
    pub fail_on: Option<FailOn>,

    /// Report only findings not recorded in this baseline file (see `corral baseline`).
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,

    /// Colour human output: auto, always or never.
    #[arg(long, value_enum, value_name = "WHEN", default_value_t = ColorArg::Auto)]
    pub color: ColorArg,

    /// Do not show a progress indicator (it only ever appears on a terminal).
    #[arg(long)]
    pub no_progress: bool,

    /// Also send the report to a Corral server (--server / CORRAL_SERVER, token in
    /// CORRAL_TOKEN), which keeps the asset's findings and dependency inventory.
    ///
    /// The whole scan is sent, before any --baseline; --staged and --history scans are sent
    /// as partial. The output and exit code stay the same; a failed upload exits 2.
    #[arg(long)]
    pub upload: bool,

    /// The registered asset (id or name) the upload is for [default: the [asset] name in
    /// the repository's corral.toml].
    #[arg(long, value_name = "ASSET", requires = "upload")]
    pub asset: Option<String>,

    #[command(flatten)]
    pub server: corral_client::ServerArgs,
}

/// A scan's scanners, options and result, shared with `corral baseline`.
pub struct Scanned {
    pub report: Report,
    pub rules: Vec<RuleInfo>,
    pub config: ScanConfig,
}

pub fn run(args: ScanArgs, global: &GlobalArgs) -> Result<ExitCode> {
    // Which asset an upload is for is settled before scanning, so a mistake costs no scan.
    let upload_to = if args.upload {
        Some(scan_upload::asset_for_upload(
            args.asset.as_deref(),
            &args.input.paths,
        )?)
    } else {
        None
    };
    let progress = !args.no_progress && !global.quiet;
    let scanned = scan(&args.input, global, progress)?;
    let mut report = scanned.report;
    // The server gets the whole scan: a baseline hides findings, not their existence.
    let whole = upload_to.as_ref().map(|_| report.clone());
    if let Some(path) = &args.baseline {
        Baseline::load(path)?.apply(&mut report);
    }
    let fail_on = args.fail_on.unwrap_or(scanned.config.fail_on);
    let code = fail_on.exit_code(&report);

    let human = HumanOptions {
        verbose: global.verbose > 0,
    };
    let mut text = corral_scan::render(&report, args.format, &scanned.rules, human);
    if args.format == Format::Human {
        text.push_str(&verdict(&report, fail_on));
    }
    match &args.output {
        Some(path) => {
            let plain = anstream::adapter::strip_str(&text).to_string();
            std::fs::write(path, plain)
                .with_context(|| format!("cannot write the report to {}", path.display()))?;
            if args.format != Format::Human && !global.quiet {
                eprintln!(
                    "wrote {} report to {} ({} findings)",
                    args.format,
                    path.display(),
                    report.findings.len()
                );
            }
        }
        None => {
            let choice = match args.color {
                ColorArg::Auto => anstream::ColorChoice::Auto,
                ColorArg::Always => anstream::ColorChoice::Always,
                ColorArg::Never => anstream::ColorChoice::Never,
            };
            let mut out = anstream::AutoStream::new(std::io::stdout().lock(), choice);
            out.write_all(text.as_bytes())
                .and_then(|()| out.flush())
                .context("cannot write the report to standard output")?;
        }
    }
    if let (Some(asset), Some(whole)) = (upload_to, whole) {
        let partial = args.input.staged || args.input.history;
        if !scan_upload::upload(&args.server, &asset, &whole, partial, global.quiet) {
            return Ok(ExitCode::from(2));
        }
    }
    Ok(ExitCode::from(code))
}

/// The last line of the human report: did the run fail, and why.
fn verdict(report: &Report, fail_on: FailOn) -> String {
    match fail_on {
        FailOn::Never => "\nresult: passed (--fail-on none)\n".into(),
        FailOn::AtOrAbove(threshold) => {
            let failing = report
                .findings
                .iter()
                .filter(|f| f.severity >= threshold)
                .count();
            if failing == 0 {
                format!("\nresult: passed (no findings at or above {threshold})\n")
            } else {
                format!("\nresult: failed ({failing} at or above {threshold})\n")
            }
        }
    }
}

/// Loads configuration, builds the scanners and runs the scan described by `input`.
pub fn scan(input: &ScanInputArgs, global: &GlobalArgs, show_progress: bool) -> Result<Scanned> {
    let data_dir = global.data_dir();
    let default_path = data_dir.join("corral.toml");
    let loaded = ConfigFile::load(global.config.as_deref(), &default_path)?;
    let (config_file, config_rules) = split_gitleaks_config(loaded, &default_path)?;
    if !global.quiet {
        for warning in config_file.unknown_section_warnings() {
            eprintln!("warning: {warning}");
        }
    }
    let config: ScanConfig = config_file.section("scan")?;

    let secret_rules = match (&input.rules, config_rules) {
        (Some(rules), Some(from_config)) => bail!(
            "--config {} is a gitleaks rule file and --rules names another ({})\n  \
             help: pass one rule file; merge the two if you need the rules of both",
            from_config.path.display(),
            rules.display()
        ),
        (Some(path), None) => Some(SecretRules {
            text: std::fs::read_to_string(path)
                .with_context(|| format!("cannot read the rule file {}", path.display()))?,
            path: path.clone(),
            mode: match input.rules_mode {
                RulesModeArg::Extend => RulesMode::Extend,
                RulesModeArg::Replace => RulesMode::Replace,
            },
        }),
        (None, from_config) => from_config,
    };
    let settings = ScannerSettings {
        data_dir,
        config: config_file.table().clone(),
        secret_rules,
    };
    let selection = ScannerSelection::from_kinds(input.only.iter().copied());
    let scanners = corral_scan::build_scanners(&selection, &settings)?;

    let mut options = ScanOptions::from_config(&config);
    if !input.paths.is_empty() {
        options.roots = input.paths.clone();
    }
    options.mode = if input.staged {
        ScanMode::Staged
    } else if input.history {
        ScanMode::History {
            since: input.since.clone(),
        }
    } else {
        ScanMode::WorkingTree
    };
    if let Some(size) = input.max_file_size {
        options.max_file_size = size.0;
    }
    if input.no_ignore {
        options.respect_gitignore = false;
    }
    if input.follow_symlinks {
        options.follow_symlinks = true;
    }
    options.exclude.extend(input.exclude.iter().cloned());
    options.threads = input.threads;

    let progress = Arc::new(ScanProgress::new());
    let bar = (show_progress && std::io::stderr().is_terminal())
        .then(|| ProgressDisplay::start(Arc::clone(&progress)));
    let result = corral_scan::run_scan(&scanners, &options, &progress);
    if let Some(bar) = bar {
        bar.stop();
    }
    let report = result?;
    let rules = scanners.iter().flat_map(|s| s.rules()).collect();
    Ok(Scanned {
        report,
        rules,
        config,
    })
}

/// Tells a gitleaks rule file given as `--config` from a `corral.toml`.
///
/// Teams moving from gitleaks pass their `.gitleaks.toml` the way gitleaks takes it, as
/// `--config`. Read as `corral.toml`, its `[[rules]]` would be tables nobody reads and the
/// custom rules would silently not run. A file with gitleaks tables is therefore the secrets
/// scanner's rule file, combined with the built-in detectors as gitleaks would
/// ([`RulesMode::AsFileSays`]), while Corral's own settings still come from the data
/// directory's `corral.toml`. A file that mixes both kinds is refused: which half the user
/// meant cannot be guessed.
fn split_gitleaks_config(
    loaded: ConfigFile,
    default_path: &Path,
) -> Result<(ConfigFile, Option<SecretRules>)> {
    let gitleaks = loaded.gitleaks_tables();
    let Some(path) = loaded.path.clone().filter(|_| !gitleaks.is_empty()) else {
        return Ok((loaded, None));
    };
    let corral = loaded.corral_sections();
    if !corral.is_empty() {
        bail!(
            "{} mixes gitleaks rule tables ({}) with Corral settings ({})\n  \
             help: keep the gitleaks rules in a file of their own and pass it with --config \
             or --rules; Corral's settings belong in corral.toml",
            path.display(),
            tables(&gitleaks),
            tables(&corral)
        );
    }
    let settings = if path == default_path {
        ConfigFile::default()
    } else {
        ConfigFile::load(None, default_path)?
    };
    let rules = SecretRules {
        path,
        text: loaded.text,
        mode: RulesMode::AsFileSays,
    };
    Ok((settings, Some(rules)))
}

fn tables(names: &[&str]) -> String {
    names
        .iter()
        .map(|n| format!("[{n}]"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A spinner on stderr showing files, bytes and findings so far, redrawn from its own thread.
struct ProgressDisplay {
    stop: Arc<AtomicBool>,
    thread: std::thread::JoinHandle<()>,
}

impl ProgressDisplay {
    fn start(progress: Arc<ScanProgress>) -> Self {
        let stop = Arc::new(AtomicBool::new(false));
        let stop_flag = Arc::clone(&stop);
        let thread = std::thread::spawn(move || {
            let bar = indicatif::ProgressBar::with_draw_target(
                None,
                indicatif::ProgressDrawTarget::stderr(),
            );
            bar.set_style(
                indicatif::ProgressStyle::with_template("{spinner} scanning: {msg} ({elapsed})")
                    .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
            );
            let started = std::time::Instant::now();
            while !stop_flag.load(Ordering::Relaxed) {
                std::thread::sleep(Duration::from_millis(100));
                // Quick scans finish before anything is drawn.
                if started.elapsed() < Duration::from_millis(500) {
                    continue;
                }
                let now = progress.snapshot();
                bar.set_message(format!(
                    "{} files, {}, {} findings",
                    now.files,
                    ByteSize(now.bytes),
                    now.findings
                ));
                bar.tick();
            }
            bar.finish_and_clear();
        });
        Self { stop, thread }
    }

    fn stop(self) {
        self.stop.store(true, Ordering::Relaxed);
        let _ = self.thread.join();
    }
}
