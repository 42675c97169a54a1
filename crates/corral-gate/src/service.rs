//! The gate itself: fetching, deciding, recording and serving, independent of HTTP routing.
//!
//! A project page request goes: memory (a page fetched within `page_ttl_seconds`) → the
//! upstreams in configured order → on failure of every upstream, the last cached page. The
//! page is evaluated by the policy once per fetch; approvals are read from the store only
//! when something was held back, so a page with nothing to object to costs no database read.
//!
//! A file request is checked against the same evaluation (a client that kept an old link
//! cannot fetch a version that is now held back), then served from the cache, or fetched,
//! hashed, compared with the SHA-256 the upstream's page promised, cached and served. Bytes
//! that do not match are never served or cached, and the refusal is recorded.

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, OnceLock, RwLock};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use corral_deps::advisory::AdvisoryDb;
use corral_deps::package_index::PackageIndex;
use corral_deps::typosquat::TyposquatDetector;
use corral_deps::typosquat_cache;
use corral_deps::version::Version;
use corral_model::Ecosystem;
use corral_store::{GateDecision, GateRequest, GateRequestStatus, Store};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::cache::Cache;
use crate::config::{ConfigError, GateConfig, Upstream};
use crate::page::{DistFile, ProjectPage};
use crate::policy::{Approvals, Evaluation, Facts, Mode, Objection, Policy};
use crate::recorder::Recorder;
use crate::render::{self, View};
use crate::upstream_page;

/// After every upstream failed, a stale page is used for this long before trying again.
const RETRY_AFTER_FAILURE: Duration = Duration::from_secs(30);

/// The checks that need data loaded from the data directory.
struct Checks {
    advisories: AdvisoryDb,
    index: PackageIndex,
    detector: TyposquatDetector,
}

/// One project's page and the policy's view of it.
#[derive(Debug)]
pub struct ProjectState {
    pub page: ProjectPage,
    pub evaluation: Evaluation,
    /// When to fetch again.
    refresh_at: Instant,
    /// Served from the cache because no upstream answered.
    pub stale: bool,
    /// The rendered JSON and HTML pages, kept when no rule objects to anything on the page
    /// (then the page depends on nothing but itself, and nothing needs recording per request).
    rendered: [OnceLock<String>; 2],
}

/// What looking a project up found.
#[derive(Debug, Clone)]
pub enum Lookup {
    Found(Arc<ProjectState>),
    /// No upstream has it.
    NotFound,
    /// No upstream answered and nothing is cached; the reasons, one per upstream.
    Unavailable(String),
}

/// Who is asking, for the record.
#[derive(Debug, Clone, Default)]
pub struct Client {
    /// From HTTP basic auth, when the client sent credentials.
    pub user: Option<String>,
    pub address: Option<String>,
    pub agent: Option<String>,
}

impl Client {
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if let Some(u) = &self.user {
            parts.push(format!("user={u}"));
        }
        if let Some(a) = &self.address {
            parts.push(format!("addr={a}"));
        }
        if let Some(a) = &self.agent {
            let short: String = a.chars().take(120).collect();
            parts.push(format!("agent={short}"));
        }
        if parts.is_empty() {
            "unknown".into()
        } else {
            parts.join(" ")
        }
    }
}

/// A rendered project page.
#[derive(Debug, Clone, PartialEq)]
pub struct RenderedPage {
    pub body: String,
    pub quarantined: bool,
}

/// What a file request got.
#[derive(Debug, Clone, PartialEq)]
pub enum FileOutcome {
    Bytes(Vec<u8>),
    /// Policy holds the file back; the reason.
    Refused(String),
    NotFound(String),
    /// The upstream failed, or sent bytes that do not match; the reason.
    BadGateway(String),
}

/// Page formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Json,
    Html,
}

/// Why the gate cannot start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error("cannot build the HTTP client for upstreams: {0}")]
    Http(String),
}

struct Inner {
    upstreams: Vec<Upstream>,
    ttl: Duration,
    http: reqwest::Client,
    cache: Cache,
    policy: Policy,
    checks: Checks,
    store: Store,
    recorder: Recorder,
    projects: RwLock<HashMap<String, Arc<ProjectState>>>,
}

/// The gate. Cheap to clone.
#[derive(Clone)]
pub struct Gate {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for Gate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Gate")
            .field("upstreams", &self.inner.upstreams)
            .finish()
    }
}

impl Gate {
    /// Builds the gate: validates `config`, loads the advisory, index and typosquat data
    /// from `data_dir` (missing data disables only the checks that need it, with a warning),
    /// and starts the decision recorder. Must be called inside a Tokio runtime.
    pub fn new(config: &GateConfig, data_dir: &Path, store: Store) -> Result<Self, StartError> {
        Self::with_notify_targets(config, data_dir, store, Vec::new())
    }

    /// [`Gate::new`], announcing new package requests to these notification targets.
    pub fn with_notify_targets(
        config: &GateConfig,
        data_dir: &Path,
        store: Store,
        notify_targets: Vec<String>,
    ) -> Result<Self, StartError> {
        config.validate()?;
        let policy = config.policy.compile().map_err(|errors| ConfigError {
            problems: errors.iter().map(|e| format!("policy: {e}")).collect(),
        })?;
        let advisories = AdvisoryDb::open(data_dir).unwrap_or_else(|e| {
            tracing::warn!(error = %e, "gate: advisory data unreadable; malicious and vulnerable checks are off");
            AdvisoryDb::default()
        });
        if !advisories.has(Ecosystem::PyPI) {
            tracing::warn!(
                "gate: no PyPI advisories loaded (`corral db update`); malicious and vulnerable checks are off"
            );
        }
        let index = PackageIndex::open(data_dir).unwrap_or_else(|e| {
            tracing::warn!(error = %e, "gate: package-index snapshot unreadable; the existence check is off");
            PackageIndex::default()
        });
        let detector = typosquat_cache::load_detector(Some(data_dir), Ecosystem::PyPI);
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(config.upstream_timeout_seconds.max(1)))
            .user_agent(concat!("corral-gate/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| StartError::Http(e.to_string()))?;
        let recorder = Recorder::start(store.clone(), notify_targets);
        Ok(Self {
            inner: Arc::new(Inner {
                upstreams: config.upstream.clone(),
                ttl: Duration::from_secs(config.page_ttl_seconds),
                http,
                cache: Cache::new(data_dir.join("gate").join("cache")),
                policy,
                checks: Checks {
                    advisories,
                    index,
                    detector,
                },
                store,
                recorder,
                projects: RwLock::new(HashMap::new()),
            }),
        })
    }

    pub fn store(&self) -> &Store {
        &self.inner.store
    }

    /// Waits until every decision and request so far is written.
    pub async fn flush(&self) {
        self.inner.recorder.flush().await;
    }

    /// How many records of served files were dropped because the decision queue was full
    /// (see [`crate::recorder`]); objections are never dropped.
    pub fn dropped_records(&self) -> u64 {
        self.inner.recorder.dropped()
    }

    /// Names of every project the gate has a page for.
    pub async fn project_names(&self) -> Vec<String> {
        self.inner.cache.page_names().await
    }

    /// Looks `name` (normalised) up: memory, upstreams, then the cache.
    pub async fn project(&self, name: &str) -> Lookup {
        let known = self.inner.projects.read().expect("lock").get(name).cloned();
        if let Some(state) = &known
            && Instant::now() < state.refresh_at
        {
            return Lookup::Found(state.clone());
        }
        let mut failures = Vec::new();
        for upstream in &self.inner.upstreams {
            match self.fetch_page(upstream, name).await {
                Ok(Some(page)) => {
                    if let Err(e) = self.inner.cache.store_page(&page).await {
                        tracing::warn!(error = %e, "gate: cannot cache a page");
                    }
                    return Lookup::Found(self.remember(page, false));
                }
                Ok(None) => {}
                Err(reason) => failures.push(reason),
            }
        }
        if failures.is_empty() {
            self.inner.projects.write().expect("lock").remove(name);
            return Lookup::NotFound;
        }
        tracing::warn!(project = name, failures = ?failures, "gate: no upstream answered");
        let cached = match known {
            Some(state) => Some(state.page.clone()),
            None => self.inner.cache.page(name).await,
        };
        match cached {
            Some(page) => Lookup::Found(self.remember(page, true)),
            None => Lookup::Unavailable(failures.join("; ")),
        }
    }

    fn remember(&self, page: ProjectPage, stale: bool) -> Arc<ProjectState> {
        let facts = self.facts(&page.name);
        let evaluation = self.inner.policy.evaluate(&page, &facts, Utc::now());
        let wait = if stale {
            RETRY_AFTER_FAILURE.min(self.inner.ttl)
        } else {
            self.inner.ttl
        };
        let state = Arc::new(ProjectState {
            page,
            evaluation,
            refresh_at: Instant::now() + wait,
            stale,
            rendered: [OnceLock::new(), OnceLock::new()],
        });
        self.inner
            .projects
            .write()
            .expect("lock")
            .insert(state.page.name.clone(), state.clone());
        state
    }

    fn facts(&self, name: &str) -> Facts {
        let checks = &self.inner.checks;
        let advisories = checks
            .advisories
            .lookup(Ecosystem::PyPI, name)
            .unwrap_or_else(|e| {
                tracing::warn!(error = %e, "gate: cannot read advisories");
                Vec::new()
            });
        Facts {
            advisories,
            in_snapshot: checks.index.contains(Ecosystem::PyPI, name),
            imitation: checks.detector.check(name),
        }
    }

    /// `Ok(None)`: the upstream does not have the project. `Err`: it failed.
    async fn fetch_page(
        &self,
        upstream: &Upstream,
        name: &str,
    ) -> Result<Option<ProjectPage>, String> {
        let url = upstream.project_url(name)?;
        let response = self
            .inner
            .http
            .get(url.clone())
            .header(
                reqwest::header::ACCEPT,
                "application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html;q=0.2, text/html;q=0.1",
            )
            .send()
            .await
            .map_err(|e| format!("upstream `{}` ({url}): {e}", upstream.name))?;
        if response.status() == reqwest::StatusCode::NOT_FOUND {
            return Ok(None);
        }
        if !response.status().is_success() {
            return Err(format!(
                "upstream `{}` answered {} for {url}",
                upstream.name,
                response.status()
            ));
        }
        let final_url = response.url().clone();
        let content_type = response
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string();
        let body = response
            .text()
            .await
            .map_err(|e| format!("upstream `{}` ({url}): {e}", upstream.name))?;
        let parsed = upstream_page::parse(
            name,
            &upstream.name,
            &final_url,
            &content_type,
            &body,
            Utc::now(),
        )
        .map_err(|e| e.to_string())?;
        for problem in &parsed.problems {
            tracing::warn!(project = name, upstream = %upstream.name, "gate: skipped a file entry: {problem}");
        }
        Ok(Some(parsed.page))
    }

    /// The approvals for `name`, and its package requests (read only when a rule blocks
    /// something, so an unobjectionable page costs no database read).
    async fn approvals(
        &self,
        name: &str,
        evaluation: &Evaluation,
    ) -> (Approvals, Vec<GateRequest>) {
        let any_block = evaluation.project_blocked()
            || evaluation
                .versions
                .values()
                .flatten()
                .any(|o| o.mode == Mode::Block);
        if !any_block {
            return (Approvals::default(), Vec::new());
        }
        let requests = match self.inner.store.gate_requests_for(name).await {
            Ok(r) => r,
            Err(e) => {
                tracing::error!(error = %e, "gate: cannot read approvals; treating none as given");
                return (Approvals::default(), Vec::new());
            }
        };
        let mut approvals = Approvals::default();
        for r in requests
            .iter()
            .filter(|r| r.status == GateRequestStatus::Approved)
        {
            if r.version.is_empty() {
                approvals.project = true;
            } else {
                approvals.versions.push(r.version.clone());
            }
        }
        (approvals, requests)
    }

    /// The page for `state`, as the client sees it, recording what was held back.
    pub async fn render_page(
        &self,
        state: &ProjectState,
        format: Format,
        client: &Client,
    ) -> RenderedPage {
        let evaluation = &state.evaluation;
        let unobjectionable = evaluation.project.is_empty() && evaluation.versions.is_empty();
        let slot = &state.rendered[match format {
            Format::Json => 0,
            Format::Html => 1,
        }];
        if unobjectionable && let Some(body) = slot.get() {
            return RenderedPage {
                body: body.clone(),
                quarantined: false,
            };
        }
        let name = state.page.name.as_str();
        let (approvals, requests) = self.approvals(name, evaluation).await;
        let now = Utc::now();
        let who = client.describe();
        let mut decisions = Vec::new();
        let mut served: Vec<&DistFile> = Vec::new();
        let mut withheld: Vec<(String, String)> = Vec::new();
        let mut seen_versions: HashMap<&str, bool> = HashMap::new();
        let mut versions_served = false;
        for f in &state.page.files {
            let Some(version) = f.version.as_deref() else {
                continue;
            };
            if f.sha256.is_none() {
                withheld.push((
                    f.filename.clone(),
                    "the upstream gave no SHA-256 for this file, so it cannot be verified".into(),
                ));
                continue;
            }
            let verdict = evaluation.verdict(Some(version), &approvals);
            let first_time = seen_versions.insert(version, verdict.served).is_none();
            if first_time {
                for o in verdict.objections.iter().filter(|o| o.version.is_some()) {
                    decisions.push(decision(
                        name,
                        o,
                        outcome_of(o, verdict.served, verdict.approved),
                        now,
                        &who,
                    ));
                }
            }
            if verdict.served {
                versions_served = true;
                served.push(f);
            } else if first_time {
                let reasons: Vec<&str> = verdict
                    .objections
                    .iter()
                    .filter(|o| o.mode == Mode::Block)
                    .map(|o| o.reason.as_str())
                    .collect();
                withheld.push((version.to_string(), reasons.join("; ")));
            }
        }
        let quarantined = (evaluation.project_blocked() && !versions_served).then(|| {
            evaluation
                .project
                .iter()
                .filter(|o| o.mode == Mode::Block)
                .map(|o| o.reason.clone())
                .collect::<Vec<_>>()
                .join("; ")
        });
        if let Some(request) = self.request_for(state, &seen_versions, &approvals, &who, now) {
            self.inner.recorder.request(request).await;
        }
        for o in &evaluation.project {
            let outcome = outcome_of(o, versions_served, versions_served);
            decisions.push(decision(name, o, outcome, now, &who));
        }
        self.inner.recorder.decisions(decisions).await;
        let view = View {
            name,
            files: served,
            quarantined: quarantined.clone(),
            withheld: if quarantined.is_some() {
                Vec::new()
            } else {
                withheld
            },
            requests: requests.iter().map(request_status).collect(),
        };
        let body = match format {
            Format::Json => render::json_page(&view),
            Format::Html => render::html_page(&view),
        };
        if unobjectionable {
            let _ = slot.set(body.clone());
        }
        RenderedPage {
            body,
            quarantined: quarantined.is_some(),
        }
    }

    /// The package request a held-back page opens: the project when it is quarantined, else
    /// its newest version when that one is held back (the one a client most likely wanted).
    fn request_for(
        &self,
        state: &ProjectState,
        served_by_version: &HashMap<&str, bool>,
        approvals: &Approvals,
        who: &str,
        now: DateTime<Utc>,
    ) -> Option<GateRequest> {
        let evaluation = &state.evaluation;
        let name = &state.page.name;
        let blocking = |list: &[Objection]| -> Option<Objection> {
            list.iter().find(|o| o.mode == Mode::Block).cloned()
        };
        let (version, objection) =
            if evaluation.project_blocked() && !served_by_version.values().any(|s| *s) {
                if approvals.project {
                    return None;
                }
                (String::new(), blocking(&evaluation.project)?)
            } else {
                let newest = served_by_version.keys().max_by(|a, b| {
                    match (
                        Version::parse(Ecosystem::PyPI, a),
                        Version::parse(Ecosystem::PyPI, b),
                    ) {
                        (Some(x), Some(y)) => x.compare(&y).unwrap_or(std::cmp::Ordering::Equal),
                        _ => a.cmp(b),
                    }
                })?;
                if served_by_version[newest] {
                    return None;
                }
                let objection = blocking(evaluation.versions.get(*newest)?)?;
                if objection.rule == crate::policy::Rule::Malicious {
                    return None;
                }
                (newest.to_string(), objection)
            };
        Some(GateRequest {
            id: Uuid::new_v4(),
            project: name.clone(),
            version,
            status: GateRequestStatus::Pending,
            rule: objection.rule.as_str().to_string(),
            reason: objection.reason,
            requested_by: who.to_string(),
            requested_at: now,
            decided_by: None,
            decided_at: None,
            comment: None,
        })
    }

    /// Records that `name` exists on no upstream.
    pub async fn record_not_found(&self, name: &str, client: &Client) {
        self.inner
            .recorder
            .decisions(vec![GateDecision {
                id: Uuid::new_v4(),
                at: Utc::now(),
                project: name.to_string(),
                version: None,
                filename: None,
                outcome: "refused".into(),
                rule: Some("nonexistent".into()),
                mode: Some(Mode::Block.as_str().into()),
                reason: format!("`{name}` does not exist on any configured upstream index"),
                client: client.describe(),
            }])
            .await;
    }

    /// A distribution file (or, with `metadata`, its PEP 658 metadata).
    pub async fn file(
        &self,
        name: &str,
        sha256: &str,
        filename: &str,
        metadata: bool,
        client: &Client,
    ) -> FileOutcome {
        let state = match self.project(name).await {
            Lookup::Found(state) => state,
            Lookup::NotFound => {
                return FileOutcome::NotFound(format!(
                    "`{name}` does not exist on any configured upstream index"
                ));
            }
            Lookup::Unavailable(reason) => {
                return FileOutcome::BadGateway(format!(
                    "no upstream answered and `{name}` is not cached: {reason}"
                ));
            }
        };
        let Some(file) = state
            .page
            .files
            .iter()
            .find(|f| f.filename == filename && f.sha256.as_deref() == Some(sha256))
        else {
            return FileOutcome::NotFound(format!(
                "`{filename}` with SHA-256 {sha256} is not on the page of `{name}`"
            ));
        };
        let version = file.version.clone().unwrap_or_default();
        let (approvals, _) = self.approvals(name, &state.evaluation).await;
        let verdict = state
            .evaluation
            .verdict(file.version.as_deref(), &approvals);
        let who = client.describe();
        let now = Utc::now();
        if !verdict.served {
            let reasons: Vec<String> = verdict
                .objections
                .iter()
                .filter(|o| o.mode == Mode::Block)
                .map(|o| o.reason.clone())
                .collect();
            let reason = reasons.join("; ");
            let decisions = verdict
                .objections
                .iter()
                .map(|o| {
                    let mut d = decision(name, o, "refused", now, &who);
                    d.filename = Some(filename.to_string());
                    d
                })
                .collect();
            self.inner.recorder.decisions(decisions).await;
            return FileOutcome::Refused(reason);
        }
        if metadata {
            return self.metadata(file).await;
        }
        if !self.inner.policy.licenses().is_empty() {
            let license = match self.metadata(file).await {
                FileOutcome::Bytes(bytes) => license_of(&String::from_utf8_lossy(&bytes)),
                _ => None,
            };
            if let Some(o) = self
                .inner
                .policy
                .check_license(name, &version, license.as_deref())
            {
                let blocked = o.mode == Mode::Block;
                let mut d = decision(
                    name,
                    &o,
                    if blocked { "refused" } else { "dry-run" },
                    now,
                    &who,
                );
                d.filename = Some(filename.to_string());
                self.inner.recorder.decisions(vec![d]).await;
                if blocked {
                    return FileOutcome::Refused(o.reason);
                }
            }
        }
        let outcome = self.file_bytes(file).await;
        let record = |outcome: &str, rule: Option<&str>, reason: String| GateDecision {
            id: Uuid::new_v4(),
            at: now,
            project: name.to_string(),
            version: file.version.clone(),
            filename: Some(filename.to_string()),
            outcome: outcome.into(),
            rule: rule.map(str::to_string),
            mode: None,
            reason,
            client: who.clone(),
        };
        match &outcome {
            Ok(_) => {
                let reason = if verdict.approved {
                    "served under an approved package request".to_string()
                } else {
                    "allowed by policy".to_string()
                };
                self.inner
                    .recorder
                    .decisions(vec![record("served", None, reason)])
                    .await;
            }
            Err(FetchError::Mismatch(reason)) => {
                self.inner
                    .recorder
                    .decisions(vec![record(
                        "refused",
                        Some("hash-mismatch"),
                        reason.clone(),
                    )])
                    .await;
            }
            Err(FetchError::Upstream(_)) => {}
        }
        match outcome {
            Ok(bytes) => FileOutcome::Bytes(bytes),
            Err(FetchError::Mismatch(reason) | FetchError::Upstream(reason)) => {
                FileOutcome::BadGateway(reason)
            }
        }
    }

    async fn file_bytes(&self, file: &DistFile) -> Result<Vec<u8>, FetchError> {
        let expected = file.sha256.as_deref().unwrap_or_default();
        if let Some(bytes) = self.inner.cache.file(expected).await {
            return Ok(bytes);
        }
        let bytes = self
            .download(&file.url)
            .await
            .map_err(FetchError::Upstream)?;
        let actual = hex::encode(Sha256::digest(&bytes));
        if actual != expected {
            return Err(FetchError::Mismatch(format!(
                "the upstream sent `{}` with SHA-256 {actual}, but its page promised {expected}: not served",
                file.filename
            )));
        }
        if let Err(e) = self.inner.cache.store_file(expected, &bytes).await {
            tracing::warn!(error = %e, "gate: cannot cache a file");
        }
        Ok(bytes)
    }

    async fn metadata(&self, file: &DistFile) -> FileOutcome {
        let key = file.sha256.as_deref().unwrap_or_default();
        if !file.core_metadata {
            return FileOutcome::NotFound(format!(
                "the upstream offers no metadata file for `{}`",
                file.filename
            ));
        }
        if let Some(bytes) = self.inner.cache.metadata(key).await {
            return FileOutcome::Bytes(bytes);
        }
        let bytes = match self.download(&format!("{}.metadata", file.url)).await {
            Ok(b) => b,
            Err(reason) => return FileOutcome::BadGateway(reason),
        };
        if let Some(expected) = &file.core_metadata_sha256 {
            let actual = hex::encode(Sha256::digest(&bytes));
            if &actual != expected {
                return FileOutcome::BadGateway(format!(
                    "the upstream's metadata for `{}` has SHA-256 {actual}, but its page promised {expected}: not served",
                    file.filename
                ));
            }
        }
        if let Err(e) = self.inner.cache.store_metadata(key, &bytes).await {
            tracing::warn!(error = %e, "gate: cannot cache metadata");
        }
        FileOutcome::Bytes(bytes)
    }

    async fn download(&self, url: &str) -> Result<Vec<u8>, String> {
        let response = self
            .inner
            .http
            .get(url)
            .send()
            .await
            .map_err(|e| format!("cannot fetch {url}: {e}"))?;
        if !response.status().is_success() {
            return Err(format!(
                "the upstream answered {} for {url}",
                response.status()
            ));
        }
        response
            .bytes()
            .await
            .map(|b| b.to_vec())
            .map_err(|e| format!("cannot read {url}: {e}"))
    }
}

/// What a developer reads about a request on the page: what, and where it stands.
fn request_status(r: &GateRequest) -> (String, String) {
    let what = if r.version.is_empty() {
        r.project.clone()
    } else {
        format!("{}=={}", r.project, r.version)
    };
    let status = match (r.status, &r.decided_by, r.decided_at) {
        (GateRequestStatus::Pending, _, _) => format!(
            "pending review since {}",
            r.requested_at.format("%Y-%m-%d %H:%M UTC")
        ),
        (status, Some(by), Some(at)) => {
            let comment = r
                .comment
                .as_deref()
                .map(|c| format!(": {c}"))
                .unwrap_or_default();
            format!(
                "{} by {by} on {}{comment}",
                status.as_str(),
                at.format("%Y-%m-%d %H:%M UTC")
            )
        }
        (status, _, _) => status.as_str().to_string(),
    };
    (what, status)
}

enum FetchError {
    Mismatch(String),
    Upstream(String),
}

fn outcome_of(o: &Objection, served: bool, approved: bool) -> &'static str {
    match (o.mode, served, approved) {
        (Mode::DryRun, _, _) => "dry-run",
        (_, true, true) => "approved",
        _ => "withheld",
    }
}

fn decision(
    name: &str,
    o: &Objection,
    outcome: &str,
    at: DateTime<Utc>,
    client: &str,
) -> GateDecision {
    GateDecision {
        id: Uuid::new_v4(),
        at,
        project: name.to_string(),
        version: o.version.clone(),
        filename: None,
        outcome: outcome.to_string(),
        rule: Some(o.rule.as_str().to_string()),
        mode: Some(o.mode.as_str().to_string()),
        reason: o.reason.clone(),
        client: client.to_string(),
    }
}

/// The licence a core-metadata file declares: `License-Expression` (PEP 639), else a
/// one-line `License`.
pub fn license_of(metadata: &str) -> Option<String> {
    let mut license = None;
    for line in metadata.lines() {
        if line.is_empty() {
            break;
        }
        if let Some(v) = line.strip_prefix("License-Expression:") {
            return Some(v.trim().to_string()).filter(|v| !v.is_empty());
        }
        if let Some(v) = line.strip_prefix("License:") {
            let v = v.trim();
            if !v.is_empty() && v.len() < 100 {
                license = Some(v.to_string());
            }
        }
    }
    license
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn licences_come_from_the_expression_first_then_the_license_field() {
        assert_eq!(
            license_of("Metadata-Version: 2.4\nName: a\nLicense: MIT\nLicense-Expression: Apache-2.0\n\nbody").as_deref(),
            Some("Apache-2.0")
        );
        assert_eq!(
            license_of("Name: a\nLicense: MIT\n").as_deref(),
            Some("MIT")
        );
        assert_eq!(license_of("Name: a\n\nLicense: MIT\n"), None);
    }
}
