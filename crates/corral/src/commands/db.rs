//! `corral db`: the data the dependency checks work from — OSV advisories, package-index
//! snapshots (which names exist, and since when) and popular-package lists — kept in the data
//! directory so scans run offline.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use chrono::{DateTime, Utc};
use clap::{Args, Subcommand};
use corral_deps::DepsConfig;
use corral_deps::advisory::AdvisoryDb;
use corral_deps::advisory::import::{ImportSummary, import_into};
use corral_deps::config::SourceUrls;
use corral_deps::package_index::{NameList, PackageIndex, parse_name_list, write_snapshot};
use corral_deps::popular::{PopularList, popular_path};
use corral_model::Ecosystem;

use crate::config::ConfigFile;
use crate::global::GlobalArgs;

#[derive(Debug, Args)]
pub struct DbArgs {
    #[command(subcommand)]
    command: DbCommand,
}

#[derive(Debug, Subcommand)]
enum DbCommand {
    /// Load OSV advisories: an ecosystem's `all.zip` export, one record, or a directory of
    /// OSV JSON/YAML records (advisory repositories keep YAML).
    ///
    /// Each ecosystem in the import replaces what was stored for it, unless --merge is given.
    /// Records that do not parse are listed and the rest are imported.
    Import(ImportArgs),
    /// Load a package-index snapshot: which names exist (and optionally since when).
    ///
    /// One name per line, optionally `name<TAB>first-release-date` or
    /// `name<TAB>version<TAB>release-date` (dates as YYYY-MM-DD); `#` starts a comment.
    /// A dependency whose name is not in the snapshot is reported as non-existent.
    ImportNames(ImportNamesArgs),
    /// Download advisories, the package index, the popular list and release dates from the
    /// URLs in the [deps.sources.<ecosystem>] sections of corral.toml, then load them.
    Update(UpdateArgs),
    /// Show what data is loaded, where it came from and how old it is; warns when stale.
    Status,
}

#[derive(Debug, Args)]
struct ImportArgs {
    /// An OSV `all.zip` export, an OSV JSON/YAML record, or a directory of them.
    #[arg(value_name = "PATH")]
    path: PathBuf,
    /// Add these records to the stored ones (replacing records with the same id) instead of
    /// replacing the ecosystem's data: for an organisation's own advisories.
    #[arg(long)]
    merge: bool,
}

#[derive(Debug, Args)]
struct ImportNamesArgs {
    /// The ecosystem the names belong to: pypi or npm.
    #[arg(long, value_name = "ECOSYSTEM")]
    ecosystem: Ecosystem,
    /// The names file (`-` reads standard input).
    #[arg(value_name = "FILE")]
    file: PathBuf,
}

#[derive(Debug, Args)]
struct UpdateArgs {
    /// Update only this ecosystem (pypi or npm) [default: every configured one].
    #[arg(long, value_name = "ECOSYSTEM")]
    ecosystem: Option<Ecosystem>,
    /// Give up on a download that takes longer than this many seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = 600)]
    timeout: u64,
}

/// The ecosystems the dependency checks cover.
const ECOSYSTEMS: [Ecosystem; 2] = [Ecosystem::PyPI, Ecosystem::Npm];

/// Refuse downloads bigger than this: the largest public OSV export is a few hundred MB.
const MAX_DOWNLOAD_BYTES: u64 = 4 * 1024 * 1024 * 1024;

/// Problems listed in full before the rest are summarised as a count.
const SHOWN_PROBLEMS: usize = 20;

pub fn run(args: DbArgs, global: &GlobalArgs) -> Result<ExitCode> {
    let data_dir = global.data_dir();
    let config_file = ConfigFile::load(global.config.as_deref(), &data_dir.join("corral.toml"))?;
    let config: DepsConfig = config_file.section("deps")?;
    match args.command {
        DbCommand::Import(a) => import(&a, &data_dir, global),
        DbCommand::ImportNames(a) => import_names(&a, &data_dir, global),
        DbCommand::Update(a) => update(&a, &config, &data_dir, global),
        DbCommand::Status => status(&config, &data_dir),
    }
}

fn import(args: &ImportArgs, data_dir: &Path, global: &GlobalArgs) -> Result<ExitCode> {
    if !args.path.exists() {
        bail!("{} does not exist", args.path.display());
    }
    let summary = import_into(data_dir, &args.path, args.merge, Utc::now())
        .with_context(|| format!("cannot import advisories from {}", args.path.display()))?;
    print_import(&summary, global);
    if summary.written.is_empty() && summary.records == 0 {
        bail!(
            "no OSV records found in {} (expected .json, .yaml or .zip files)",
            args.path.display()
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn print_import(summary: &ImportSummary, global: &GlobalArgs) {
    for problem in summary.problems.iter().take(SHOWN_PROBLEMS) {
        eprintln!("skipped {}: {}", problem.file, problem.reason);
    }
    if summary.problems.len() > SHOWN_PROBLEMS {
        eprintln!(
            "… and {} more records skipped",
            summary.problems.len() - SHOWN_PROBLEMS
        );
    }
    if global.quiet {
        return;
    }
    println!(
        "read {} records ({} withdrawn, {} for other ecosystems, {} unreadable)",
        summary.records,
        summary.withdrawn,
        summary.other_ecosystems,
        summary.problems.len()
    );
    for s in &summary.written {
        println!(
            "{}: {} advisories for {} packages ({} known-malicious)",
            s.ecosystem, s.advisories, s.packages, s.malicious
        );
    }
}

fn import_names(args: &ImportNamesArgs, data_dir: &Path, global: &GlobalArgs) -> Result<ExitCode> {
    let (text, source) = if args.file.as_os_str() == "-" {
        let mut text = String::new();
        std::io::Read::read_to_string(&mut std::io::stdin().lock(), &mut text)
            .context("cannot read names from standard input")?;
        (text, "standard input".to_string())
    } else {
        let text = std::fs::read_to_string(&args.file)
            .with_context(|| format!("cannot read the names file {}", args.file.display()))?;
        (text, args.file.display().to_string())
    };
    let list = parse_name_list(args.ecosystem, &text);
    print_name_problems(&source, &list);
    if list.names.is_empty() {
        bail!("{source} holds no valid {} package names", args.ecosystem);
    }
    let status = write_snapshot(data_dir, args.ecosystem, list, &source, Utc::now())
        .context("cannot write the package-index snapshot")?;
    if !global.quiet {
        println!(
            "{}: {} package names ({} release dates) from {source}",
            status.ecosystem, status.names, status.dates
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn print_name_problems(source: &str, list: &NameList) {
    for (line, reason) in list.problems.iter().take(SHOWN_PROBLEMS) {
        eprintln!("{source}:{line}: skipped: {reason}");
    }
    if list.problems.len() > SHOWN_PROBLEMS {
        eprintln!(
            "… and {} more lines skipped",
            list.problems.len() - SHOWN_PROBLEMS
        );
    }
}

fn update(
    args: &UpdateArgs,
    config: &DepsConfig,
    data_dir: &Path,
    global: &GlobalArgs,
) -> Result<ExitCode> {
    let wanted: Vec<Ecosystem> = match args.ecosystem {
        Some(e) => vec![e],
        None => ECOSYSTEMS
            .into_iter()
            .filter(|e| config.source(*e).is_some())
            .collect(),
    };
    if wanted.is_empty() {
        bail!(
            "no download locations configured: add a [deps.sources.pypi] or [deps.sources.npm] \
             section with osv_url, index_url, popular_url or dates_url to corral.toml \
             (see `docs/dependencies.md`), or load files with `corral db import` and \
             `corral db import-names`"
        );
    }
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(args.timeout))
        .connect_timeout(Duration::from_secs(30))
        .user_agent(concat!("corral/", env!("CARGO_PKG_VERSION")))
        .build()
        .context("cannot set up the HTTP client")?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    let downloads = data_dir.join("downloads");
    std::fs::create_dir_all(&downloads)
        .with_context(|| format!("cannot create {}", downloads.display()))?;

    let mut failures = 0;
    for ecosystem in wanted {
        let Some(urls) = config.source(ecosystem) else {
            eprintln!("{ecosystem}: no [deps.sources.{ecosystem}] section in corral.toml; skipped");
            failures += 1;
            continue;
        };
        let fetch = Fetch {
            client: &client,
            runtime: &runtime,
            downloads: &downloads,
            quiet: global.quiet,
        };
        for (what, result) in update_ecosystem(&fetch, ecosystem, urls, data_dir) {
            match result {
                Ok(message) => {
                    if !global.quiet {
                        println!("{ecosystem}: {what}: {message}");
                    }
                }
                Err(e) => {
                    failures += 1;
                    eprintln!("{ecosystem}: {what}: {e:#}");
                }
            }
        }
    }
    Ok(if failures == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// Everything one download needs.
struct Fetch<'a> {
    client: &'a reqwest::Client,
    runtime: &'a tokio::runtime::Runtime,
    downloads: &'a Path,
    quiet: bool,
}

impl Fetch<'_> {
    /// Downloads `url` to a file in the downloads directory, with a size cap.
    fn to_file(&self, url: &str, file_name: &str, accept: Option<&str>) -> Result<PathBuf> {
        let path = self.downloads.join(file_name);
        let partial = self.downloads.join(format!(".{file_name}.part"));
        self.runtime
            .block_on(self.stream(url, &partial, accept))
            .inspect_err(|_| {
                let _ = std::fs::remove_file(&partial);
            })?;
        std::fs::rename(&partial, &path)
            .with_context(|| format!("cannot move the download to {}", path.display()))?;
        Ok(path)
    }

    async fn stream(&self, url: &str, to: &Path, accept: Option<&str>) -> Result<()> {
        let mut request = self.client.get(url);
        if let Some(accept) = accept {
            request = request.header(reqwest::header::ACCEPT, accept);
        }
        let mut response = request
            .send()
            .await
            .with_context(|| format!("cannot download {url}"))?;
        let status = response.status();
        if !status.is_success() {
            bail!("{url} answered {status}");
        }
        if response
            .content_length()
            .is_some_and(|n| n > MAX_DOWNLOAD_BYTES)
        {
            bail!("{url} is larger than the {MAX_DOWNLOAD_BYTES}-byte download limit");
        }
        let mut out = std::io::BufWriter::new(
            std::fs::File::create(to).with_context(|| format!("cannot create {}", to.display()))?,
        );
        let mut written: u64 = 0;
        let mut last_report = std::time::Instant::now();
        while let Some(chunk) = response
            .chunk()
            .await
            .with_context(|| format!("download of {url} broke off"))?
        {
            written += chunk.len() as u64;
            if written > MAX_DOWNLOAD_BYTES {
                bail!("{url} is larger than the {MAX_DOWNLOAD_BYTES}-byte download limit");
            }
            out.write_all(&chunk)
                .with_context(|| format!("cannot write {}", to.display()))?;
            if !self.quiet && last_report.elapsed() > Duration::from_secs(5) {
                eprintln!("  {url}: {} MB so far", written / 1_000_000);
                last_report = std::time::Instant::now();
            }
        }
        out.flush()
            .with_context(|| format!("cannot write {}", to.display()))?;
        Ok(())
    }

    fn to_text(&self, url: &str, file_name: &str, accept: Option<&str>) -> Result<String> {
        let path = self.to_file(url, file_name, accept)?;
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("{url} did not return UTF-8 text"));
        let _ = std::fs::remove_file(&path);
        text
    }
}

/// The PEP 691 media type for a project list; servers that do not speak it send HTML or text.
const SIMPLE_JSON: &str =
    "application/vnd.pypi.simple.v1+json, application/json;q=0.9, text/plain;q=0.5";

fn update_ecosystem(
    fetch: &Fetch<'_>,
    ecosystem: Ecosystem,
    urls: &SourceUrls,
    data_dir: &Path,
) -> Vec<(&'static str, Result<String>)> {
    let stem = ecosystem.as_str().to_ascii_lowercase();
    let mut results = Vec::new();
    if let Some(url) = &urls.osv_url {
        let result = fetch
            .to_file(url, &format!("{stem}-osv.zip"), None)
            .and_then(|path| {
                let summary = import_into(data_dir, &path, false, Utc::now());
                let _ = std::fs::remove_file(&path);
                let summary = summary.context("cannot store the advisories")?;
                for p in summary.problems.iter().take(SHOWN_PROBLEMS) {
                    eprintln!("{ecosystem}: skipped {}: {}", p.file, p.reason);
                }
                let written = summary.written.iter().find(|s| s.ecosystem == ecosystem);
                match written {
                    Some(s) => Ok(format!(
                        "{} advisories for {} packages ({} known-malicious)",
                        s.advisories, s.packages, s.malicious
                    )),
                    None => bail!("{url} held no {ecosystem} advisories"),
                }
            });
        results.push(("advisories", result));
    }
    if let Some(url) = &urls.index_url {
        let result = fetch
            .to_text(url, &format!("{stem}-index"), Some(SIMPLE_JSON))
            .and_then(|text| {
                let mut list = names_from_index(ecosystem, &text)
                    .with_context(|| format!("cannot read the project list from {url}"))?;
                if let Some(dates_url) = &urls.dates_url {
                    let dates = fetch.to_text(dates_url, &format!("{stem}-dates"), None)?;
                    let parsed = parse_name_list(ecosystem, &dates);
                    print_name_problems(dates_url, &parsed);
                    list.dates = parsed.dates;
                }
                let status = write_snapshot(data_dir, ecosystem, list, url, Utc::now())
                    .context("cannot write the package-index snapshot")?;
                Ok(format!(
                    "{} package names ({} release dates)",
                    status.names, status.dates
                ))
            });
        results.push(("package index", result));
    } else if urls.dates_url.is_some() {
        results.push((
            "release dates",
            Err(anyhow::anyhow!(
                "dates_url needs index_url: dates are stored with the package-index snapshot"
            )),
        ));
    }
    if let Some(url) = &urls.popular_url {
        let result = fetch
            .to_text(url, &format!("{stem}-popular.tsv"), None)
            .and_then(|text| {
                let list = PopularList::parse(ecosystem, &text);
                if list.is_empty() {
                    bail!("{url} held no `rank<TAB>name` lines");
                }
                let path = popular_path(data_dir, ecosystem);
                if let Some(dir) = path.parent() {
                    std::fs::create_dir_all(dir)
                        .with_context(|| format!("cannot create {}", dir.display()))?;
                }
                std::fs::write(&path, &text)
                    .with_context(|| format!("cannot write {}", path.display()))?;
                // Index the new list now, so the next scan does not find the old index stale.
                if let Err(e) = corral_deps::typosquat_cache::rebuild(data_dir, ecosystem) {
                    tracing::warn!(error = %e, "cannot save the typosquat index; the next scan rebuilds it");
                }
                Ok(format!("{} popular packages", list.len()))
            });
        results.push(("popular packages", result));
    }
    results
}

/// Reads a project list: PEP 691 JSON (`{"projects": [{"name": …}]}`), a JSON array of
/// names, or one name per line.
fn names_from_index(ecosystem: Ecosystem, text: &str) -> Result<NameList> {
    let trimmed = text.trim_start();
    if trimmed.starts_with('{') || trimmed.starts_with('[') {
        let value: serde_json::Value = serde_json::from_str(trimmed).context("invalid JSON")?;
        let names: Vec<&str> = match &value {
            serde_json::Value::Object(map) => map
                .get("projects")
                .and_then(|p| p.as_array())
                .context("a JSON project list needs a `projects` array")?
                .iter()
                .filter_map(|p| p.get("name").and_then(|n| n.as_str()))
                .collect(),
            serde_json::Value::Array(items) => items.iter().filter_map(|n| n.as_str()).collect(),
            _ => bail!("expected a JSON object or array"),
        };
        let list = parse_name_list(ecosystem, &names.join("\n"));
        if list.names.is_empty() {
            bail!("the project list is empty");
        }
        return Ok(list);
    }
    if trimmed.starts_with('<') {
        bail!(
            "the server sent HTML; point index_url at a PEP 691 JSON project list or a plain \
             list of names"
        );
    }
    let list = parse_name_list(ecosystem, text);
    if list.names.is_empty() {
        bail!("the project list is empty");
    }
    Ok(list)
}

fn status(config: &DepsConfig, data_dir: &Path) -> Result<ExitCode> {
    let advisories = AdvisoryDb::open(data_dir).context("cannot open the advisory database")?;
    let index = PackageIndex::open(data_dir).context("cannot open the package-index snapshots")?;
    let now = Utc::now();
    let stale_after = chrono::Duration::days(i64::from(config.stale_after_days));
    let mut warnings = Vec::new();
    println!("data directory: {}", data_dir.display());
    for ecosystem in ECOSYSTEMS {
        println!("{ecosystem}:");
        match advisories
            .status()
            .into_iter()
            .find(|s| s.ecosystem == ecosystem)
        {
            Some(s) => {
                println!(
                    "  advisories:    {} for {} packages ({} known-malicious), {} from {}",
                    s.advisories,
                    s.packages,
                    s.malicious,
                    age(now, s.imported_at),
                    s.source
                );
                if now - s.imported_at > stale_after {
                    warnings.push(format!(
                        "{ecosystem} advisories are {} old: run `corral db update`",
                        age(now, s.imported_at).trim_end_matches(" ago")
                    ));
                }
            }
            None => {
                println!(
                    "  advisories:    none (vulnerable and malicious versions are not checked)"
                );
                warnings.push(format!("no {ecosystem} advisories loaded"));
            }
        }
        match index
            .status()
            .into_iter()
            .find(|s| s.ecosystem == ecosystem)
        {
            Some(s) => {
                println!(
                    "  package index: {} names ({} release dates), {} from {}",
                    s.names,
                    s.dates,
                    age(now, s.imported_at),
                    s.source
                );
                if now - s.imported_at > stale_after {
                    warnings.push(format!(
                        "the {ecosystem} package index is {} old: new packages will be reported as non-existent",
                        age(now, s.imported_at).trim_end_matches(" ago")
                    ));
                }
            }
            None => println!("  package index: none (existence and age are not checked)"),
        }
        let refreshed = popular_path(data_dir, ecosystem).exists();
        let popular = PopularList::load(Some(data_dir), ecosystem);
        println!(
            "  popular list:  {} packages ({})",
            popular.len(),
            if refreshed {
                "downloaded"
            } else {
                "shipped with Corral"
            }
        );
    }
    for warning in &warnings {
        eprintln!("warning: {warning}");
    }
    Ok(ExitCode::SUCCESS)
}

/// "3 days ago", "1 hour ago".
fn age(now: DateTime<Utc>, then: DateTime<Utc>) -> String {
    let d = now - then;
    let (n, unit) = if d.num_days() >= 1 {
        (d.num_days(), "day")
    } else if d.num_hours() >= 1 {
        (d.num_hours(), "hour")
    } else {
        (d.num_minutes().max(0), "minute")
    };
    format!("{n} {unit}{} ago", if n == 1 { "" } else { "s" })
}
