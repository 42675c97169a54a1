//! What the end-to-end tests share: wheels built on the spot, a local upstream index on
//! 127.0.0.1 that serves them (and can lie about a file, or stop), a gate in front of it, and
//! the real `pip` and `uv` from a throwaway virtual environment.
//!
//! The clients live in `$CORRAL_GATE_CLIENTS` (default `/tmp/corral-gate-clients`), created
//! with `python3 -m venv` and `pip install uv` on first use through the machine's ordinary pip
//! configuration (`scripts/lib/prereqs.sh` does the same ahead of time). Clients run isolated
//! from the user's pip and uv configuration, with caches in the test's own directory, so what
//! they install can only have come through the gate.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::io::Write;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::Output;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use axum::Router;
use axum::extract::{Path as UrlPath, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use chrono::{DateTime, Utc};
use corral_gate::{Gate, GateConfig};
use corral_store::Store;
use sha2::{Digest, Sha256};
use tokio::sync::oneshot;

/// A distribution the upstream serves.
#[derive(Clone)]
pub struct Dist {
    pub project: String,
    pub version: String,
    pub filename: String,
    pub bytes: Vec<u8>,
    pub metadata: String,
    pub uploaded: DateTime<Utc>,
}

impl Dist {
    pub fn sha256(&self) -> String {
        hex::encode(Sha256::digest(&self.bytes))
    }
}

/// The module name inside a wheel of `project`.
pub fn module_name(project: &str) -> String {
    project.replace(['-', '.'], "_")
}

/// A pure-Python wheel of `project` `version`, whose module records its version, uploaded
/// `days_old` days ago.
pub fn wheel(project: &str, version: &str, days_old: i64) -> Dist {
    let dist = module_name(project);
    let module = format!("{dist}/__init__.py");
    let init = format!("VERSION = \"{version}\"\n");
    let info = format!("{dist}-{version}.dist-info");
    let metadata = format!(
        "Metadata-Version: 2.1\nName: {project}\nVersion: {version}\nLicense: MIT\nSummary: test package\n\n"
    );
    let wheel_file =
        "Wheel-Version: 1.0\nGenerator: corral-tests\nRoot-Is-Purelib: true\nTag: py3-none-any\n";
    let entries: Vec<(String, String)> = vec![
        (module, init),
        (format!("{info}/METADATA"), metadata.clone()),
        (format!("{info}/WHEEL"), wheel_file.to_string()),
    ];
    let mut record = String::new();
    for (path, content) in &entries {
        let digest = Sha256::digest(content.as_bytes());
        record.push_str(&format!(
            "{path},sha256={},{}\n",
            base64_url(&digest),
            content.len()
        ));
    }
    record.push_str(&format!("{info}/RECORD,,\n"));
    let mut buffer = std::io::Cursor::new(Vec::new());
    {
        let mut zip = zip::ZipWriter::new(&mut buffer);
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (path, content) in entries
            .iter()
            .chain(std::iter::once(&(format!("{info}/RECORD"), record)))
        {
            zip.start_file(path.as_str(), options).unwrap();
            zip.write_all(content.as_bytes()).unwrap();
        }
        zip.finish().unwrap();
    }
    Dist {
        project: project.to_string(),
        version: version.to_string(),
        filename: format!("{dist}-{version}-py3-none-any.whl"),
        bytes: buffer.into_inner(),
        metadata,
        uploaded: Utc::now() - chrono::Duration::days(days_old),
    }
}

/// An sdist (tar.gz bytes are not needed by the clients here, so a fixed body stands in; the
/// gate serves and verifies it like any file).
pub fn sdist(project: &str, version: &str, days_old: i64) -> Dist {
    let dist = module_name(project);
    Dist {
        project: project.to_string(),
        version: version.to_string(),
        filename: format!("{dist}-{version}.tar.gz"),
        bytes: format!("sdist of {project} {version}").into_bytes(),
        metadata: String::new(),
        uploaded: Utc::now() - chrono::Duration::days(days_old),
    }
}

fn base64_url(bytes: &[u8]) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        let chars = chunk.len() + 1;
        for i in 0..chars {
            out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
        }
    }
    out
}

#[derive(Default)]
struct UpstreamState {
    projects: BTreeMap<String, Vec<Dist>>,
}

/// The local upstream index.
pub struct Upstream {
    pub url: String,
    state: Arc<Mutex<UpstreamState>>,
    /// When set, every file is served with one byte changed.
    pub tamper: Arc<AtomicBool>,
    /// When set, pages are PEP 503 HTML whatever the client accepts (no upload times).
    pub html_only: Arc<AtomicBool>,
    /// When set, JSON pages are truncated mid-document.
    pub garbage: Arc<AtomicBool>,
    stop: Option<oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<()>>,
}

#[derive(Clone)]
struct UpstreamApp {
    state: Arc<Mutex<UpstreamState>>,
    tamper: Arc<AtomicBool>,
    html_only: Arc<AtomicBool>,
    garbage: Arc<AtomicBool>,
}

impl Upstream {
    pub async fn start(dists: Vec<Dist>) -> Self {
        let mut state = UpstreamState::default();
        for d in dists {
            state
                .projects
                .entry(corral_deps::name::pep503(&d.project))
                .or_default()
                .push(d);
        }
        let state = Arc::new(Mutex::new(state));
        let tamper = Arc::new(AtomicBool::new(false));
        let html_only = Arc::new(AtomicBool::new(false));
        let garbage = Arc::new(AtomicBool::new(false));
        let app = Router::new()
            .route("/simple/{project}/", get(upstream_page))
            .route("/files/{filename}", get(upstream_file))
            .with_state(UpstreamApp {
                state: state.clone(),
                tamper: tamper.clone(),
                html_only: html_only.clone(),
                garbage: garbage.clone(),
            });
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            axum::serve(listener, app)
                .with_graceful_shutdown(async move {
                    let _ = stopped.await;
                })
                .await
                .unwrap();
        });
        Self {
            url: format!("http://{addr}/simple/"),
            state,
            tamper,
            html_only,
            garbage,
            stop: Some(stop),
            task: Some(task),
        }
    }

    /// Stops answering: the port is closed when this returns.
    pub async fn stop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }

    pub fn add(&self, dist: Dist) {
        self.state
            .lock()
            .unwrap()
            .projects
            .entry(corral_deps::name::pep503(&dist.project))
            .or_default()
            .push(dist);
    }
}

async fn upstream_page(
    State(app): State<UpstreamApp>,
    UrlPath(project): UrlPath<String>,
    headers: HeaderMap,
) -> Response {
    let state = app.state.lock().unwrap();
    let Some(dists) = state.projects.get(&project) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let wants_json = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| a.contains("v1+json"))
        && !app.html_only.load(Ordering::SeqCst);
    if wants_json {
        let files: Vec<serde_json::Value> = dists
            .iter()
            .map(|d| {
                let mut f = serde_json::json!({
                    "filename": d.filename,
                    "url": format!("../../files/{}", d.filename),
                    "hashes": {"sha256": d.sha256()},
                    "requires-python": ">=3.8",
                    "size": d.bytes.len(),
                    "upload-time": d.uploaded.to_rfc3339_opts(chrono::SecondsFormat::Micros, true),
                    "yanked": false,
                });
                if !d.metadata.is_empty() {
                    f["core-metadata"] = serde_json::json!({
                        "sha256": hex::encode(Sha256::digest(d.metadata.as_bytes()))
                    });
                }
                f
            })
            .collect();
        let body = serde_json::json!({
            "meta": {"api-version": "1.1"},
            "name": project,
            "versions": dists.iter().map(|d| d.version.clone()).collect::<Vec<_>>(),
            "files": files,
        });
        let mut body = body.to_string();
        if app.garbage.load(Ordering::SeqCst) {
            body.truncate(body.len() / 2);
        }
        (
            [(header::CONTENT_TYPE, "application/vnd.pypi.simple.v1+json")],
            body,
        )
            .into_response()
    } else {
        let mut html = String::from("<!DOCTYPE html><html><body>\n");
        for d in dists {
            html.push_str(&format!(
                "<a href=\"../../files/{0}#sha256={1}\" data-requires-python=\"&gt;=3.8\">{0}</a><br/>\n",
                d.filename,
                d.sha256()
            ));
        }
        html.push_str("</body></html>\n");
        ([(header::CONTENT_TYPE, "text/html")], html).into_response()
    }
}

async fn upstream_file(
    State(app): State<UpstreamApp>,
    UrlPath(filename): UrlPath<String>,
) -> Response {
    let state = app.state.lock().unwrap();
    let (wanted, metadata) = match filename.strip_suffix(".metadata") {
        Some(f) => (f.to_string(), true),
        None => (filename.clone(), false),
    };
    let Some(d) = state
        .projects
        .values()
        .flatten()
        .find(|d| d.filename == wanted)
    else {
        return StatusCode::NOT_FOUND.into_response();
    };
    if metadata {
        return d.metadata.clone().into_response();
    }
    let mut bytes = d.bytes.clone();
    if app.tamper.load(Ordering::SeqCst) {
        let last = bytes.len() - 1;
        bytes[last] ^= 0xff;
    }
    bytes.into_response()
}

/// A gate in front of an upstream, with its own data directory and database.
pub struct RunningGate {
    pub url: String,
    pub gate: Gate,
    pub store: Store,
    pub dir: tempfile::TempDir,
    stop: Option<oneshot::Sender<()>>,
}

impl RunningGate {
    /// Starts a gate whose `[gate]` section is `extra_toml` plus one upstream.
    pub async fn start(upstream_url: &str, extra_toml: &str) -> Self {
        let dir = tempfile::tempdir().unwrap();
        Self::start_in(dir, upstream_url, extra_toml, |_| {}).await
    }

    /// As `start`, after `prepare` has filled the data directory (advisories, snapshots).
    pub async fn start_in(
        dir: tempfile::TempDir,
        upstream_url: &str,
        extra_toml: &str,
        prepare: impl FnOnce(&Path),
    ) -> Self {
        let data = dir.path().join("data");
        std::fs::create_dir_all(&data).unwrap();
        prepare(&data);
        let text =
            format!("{extra_toml}\n[[upstream]]\nname = \"local\"\nurl = \"{upstream_url}\"\n");
        let config: GateConfig = toml::from_str(&text).unwrap();
        let store = Store::open(&data, None).await.unwrap();
        let gate = Gate::new(&config, &data, store.clone()).unwrap();
        let app = corral_gate::server::router(gate.clone(), "/simple");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr: SocketAddr = listener.local_addr().unwrap();
        let (stop, stopped) = oneshot::channel::<()>();
        tokio::spawn(corral_gate::server::serve(listener, app, async move {
            let _ = stopped.await;
        }));
        Self {
            url: format!("http://{addr}/simple/"),
            gate,
            store,
            dir,
            stop: Some(stop),
        }
    }

    /// Every decision recorded so far, oldest first.
    pub async fn decisions(&self) -> Vec<corral_store::GateDecision> {
        self.gate.flush().await;
        let mut d = self.store.gate_decisions(None, 10_000).await.unwrap();
        d.reverse();
        d
    }
}

impl Drop for RunningGate {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

/// The virtual environment with pip and uv.
pub fn clients() -> &'static Path {
    static CLIENTS: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    let result = CLIENTS.get_or_init(|| {
        let dir = std::env::var_os("CORRAL_GATE_CLIENTS")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from("/tmp/corral-gate-clients"));
        if dir.join("bin/uv").is_file() && dir.join("bin/pip").is_file() {
            return Ok(dir);
        }
        let run = |program: &Path, args: &[&str]| -> Result<(), String> {
            let out = std::process::Command::new(program)
                .args(args)
                .output()
                .map_err(|e| format!("cannot run {}: {e}", program.display()))?;
            if out.status.success() {
                Ok(())
            } else {
                Err(format!(
                    "{} {:?} failed: {}",
                    program.display(),
                    args,
                    String::from_utf8_lossy(&out.stderr)
                ))
            }
        };
        run(Path::new("python3"), &["-m", "venv", dir.to_str().unwrap()])?;
        run(&dir.join("bin/pip"), &["install", "--quiet", "uv"])?;
        Ok(dir)
    });
    match result {
        Ok(dir) => dir,
        Err(e) => panic!(
            "the end-to-end tests need pip and uv in a virtual environment and could not set one up: {e}\n\
             run `source scripts/lib/prereqs.sh && ensure_gate_clients`, or point CORRAL_GATE_CLIENTS at a venv with pip and uv"
        ),
    }
}

/// Runs a client command with the environment cleared of pip and uv settings, bounded in time.
pub async fn run_client(
    program: &Path,
    args: &[&str],
    env: &[(&str, &str)],
    home: &Path,
) -> Output {
    let mut command = tokio::process::Command::new(program);
    command.args(args);
    for (key, _) in std::env::vars() {
        if key.starts_with("PIP_") || key.starts_with("UV_") || key == "PYTHONPATH" {
            command.env_remove(&key);
        }
    }
    command
        .env("HOME", home)
        .env("XDG_CACHE_HOME", home.join("cache"))
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("PIP_NO_INPUT", "1")
        .env("UV_NO_CONFIG", "1")
        .env("UV_CACHE_DIR", home.join("uv-cache"))
        .env("UV_HTTP_TIMEOUT", "30")
        .env("UV_PYTHON_DOWNLOADS", "never");
    for (k, v) in env {
        command.env(k, v);
    }
    command.kill_on_drop(true);
    match tokio::time::timeout(Duration::from_secs(180), command.output()).await {
        Ok(out) => out.unwrap(),
        Err(_) => panic!(
            "{} {:?} did not finish within 180 s",
            program.display(),
            args
        ),
    }
}

/// `pip install --target DIR` of `requirements` through `index`; the output.
pub async fn pip_install(index: &str, target: &Path, requirements: &[&str]) -> Output {
    let venv = clients();
    let home = target.with_extension("home");
    std::fs::create_dir_all(&home).unwrap();
    let mut args = vec![
        "-m",
        "pip",
        "install",
        "--isolated",
        "--no-cache-dir",
        "--disable-pip-version-check",
        "--retries",
        "0",
        "--timeout",
        "30",
        "--index-url",
        index,
        "--target",
        target.to_str().unwrap(),
    ];
    args.extend_from_slice(requirements);
    run_client(&venv.join("bin/python"), &args, &[], &home).await
}

/// `uv pip install --target DIR` through `index` given as `UV_DEFAULT_INDEX`.
pub async fn uv_install(
    index: &str,
    target: &Path,
    requirements: &[&str],
    extra: &[&str],
) -> Output {
    let venv = clients();
    let home = target.with_extension("home");
    std::fs::create_dir_all(&home).unwrap();
    let python = venv.join("bin/python");
    let mut args = vec![
        "pip",
        "install",
        "--no-cache",
        "--python",
        python.to_str().unwrap(),
        "--target",
        target.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    args.extend_from_slice(requirements);
    run_client(
        &venv.join("bin/uv"),
        &args,
        &[("UV_DEFAULT_INDEX", index)],
        &home,
    )
    .await
}

/// The version an installed module in `target` reports, if installed.
pub fn installed_version(target: &Path, project: &str) -> Option<String> {
    let text =
        std::fs::read_to_string(target.join(module_name(project)).join("__init__.py")).ok()?;
    text.trim()
        .strip_prefix("VERSION = \"")
        .and_then(|v| v.strip_suffix('"'))
        .map(str::to_string)
}

/// The combined output of a client run, for assertion messages.
pub fn shown(out: &Output) -> String {
    format!(
        "status {:?}\n--- stdout\n{}\n--- stderr\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}
