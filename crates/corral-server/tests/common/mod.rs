//! A Corral server on 127.0.0.1:0 in this process, on a temporary SQLite database (or a fresh
//! database on the PostgreSQL server in `CORRAL_TEST_DATABASE_URL` when a test asks for it), and a small
//! HTTP helper that returns status and JSON.

#![allow(dead_code)]

use chrono::Utc;
use corral_model::{PolicyConfig, Role};
use corral_server::{NotifyConfig, Running, ServeOptions, ServerConfig};
use corral_store::{AuditEntry, NewToken, ScratchDatabase};
use serde_json::{Value, json};

pub struct TestServer {
    pub running: Running,
    pub http: reqwest::Client,
    pub admin: String,
    _dir: tempfile::TempDir,
    /// The PostgreSQL database of this test, dropped after it.
    _scratch: Option<ScratchDatabase>,
}

/// A server on a fresh PostgreSQL database of its own, or `None` (with a notice) when
/// `CORRAL_TEST_DATABASE_URL` is unset.
pub async fn start_on_postgres(notify: NotifyConfig) -> Option<TestServer> {
    let scratch = ScratchDatabase::from_env().await?;
    let mut server = start_with(Some(scratch.url.clone()), notify).await;
    server._scratch = Some(scratch);
    Some(server)
}

pub async fn start_with(database_url: Option<String>, notify: NotifyConfig) -> TestServer {
    start_full(database_url, notify, None).await
}

/// A server on SQLite that also runs jobs.
pub async fn start_with_runner(runner: corral_server::runner::RunnerOptions) -> TestServer {
    start_full(None, NotifyConfig::default(), Some(runner)).await
}

async fn start_full(
    database_url: Option<String>,
    notify: NotifyConfig,
    runner: Option<corral_server::runner::RunnerOptions>,
) -> TestServer {
    start_configured(database_url, notify, runner, ServerConfig::default()).await
}

/// A server with `server`'s settings, listening on a free loopback port.
pub async fn start_configured(
    database_url: Option<String>,
    notify: NotifyConfig,
    runner: Option<corral_server::runner::RunnerOptions>,
    server: ServerConfig,
) -> TestServer {
    let dir = tempfile::tempdir().unwrap();
    let running = corral_server::start(ServeOptions {
        data_dir: dir.path().to_path_buf(),
        database_url,
        server: ServerConfig {
            listen: "127.0.0.1:0".into(),
            periodic_check_secs: 3600,
            ..server
        },
        policy: PolicyConfig::default(),
        notify,
        runner,
    })
    .await
    .expect("server starts");
    let mut server = TestServer {
        admin: String::new(),
        running,
        http: reqwest::Client::new(),
        _dir: dir,
        _scratch: None,
    };
    server.admin = match server.running.admin_token.clone() {
        Some(t) => t,
        None => server.token("admin@example.com", Role::Admin).await,
    };
    server
}

pub async fn start() -> TestServer {
    start_with(None, NotifyConfig::default()).await
}

/// A random suffix so tests sharing one PostgreSQL database do not collide on names.
pub fn unique(name: &str) -> String {
    format!("{name}-{}", &uuid::Uuid::new_v4().simple().to_string()[..8])
}

impl TestServer {
    /// The server's data directory.
    pub fn data_dir(&self) -> &std::path::Path {
        self._dir.path()
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.running.url, path)
    }

    /// Issues a token straight through the store (as the CLI's admin would).
    pub async fn token(&self, email: &str, role: Role) -> String {
        let mut tx = self.running.state.store.begin().await.unwrap();
        let issued = tx
            .issue_token(
                NewToken {
                    name: format!("test-{}", role.as_str()),
                    email: email.into(),
                    role,
                    expires_at: None,
                },
                Utc::now(),
            )
            .await
            .unwrap();
        tx.audit(AuditEntry::new("test", "token.issued").subject(issued.token.id.to_string()));
        tx.commit().await.unwrap();
        issued.secret.expose().to_string()
    }

    pub async fn call(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> (u16, Value) {
        let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
        let mut req = self.http.request(method, self.url(path));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        if let Some(b) = body {
            req = req.json(&b);
        }
        let res = req.send().await.unwrap();
        let status = res.status().as_u16();
        let text = res.text().await.unwrap();
        let value = serde_json::from_str(&text).unwrap_or(Value::String(text));
        (status, value)
    }

    pub async fn get(&self, path: &str, token: &str) -> (u16, Value) {
        self.call("GET", path, Some(token), None).await
    }

    pub async fn post(&self, path: &str, token: &str, body: Value) -> (u16, Value) {
        self.call("POST", path, Some(token), Some(body)).await
    }

    /// Registers an asset and returns the answer; panics unless 201.
    pub async fn register(&self, token: &str, draft: Value) -> Value {
        let (status, body) = self.post("/api/v1/assets", token, draft).await;
        assert_eq!(status, 201, "{body}");
        body
    }
}

/// A complete registration body.
pub fn draft(name: &str, creator: &str, tier: u8) -> Value {
    json!({
        "name": name,
        "purpose": "Scores inbound leads every morning so sales calls the warmest first.",
        "creator_email": creator,
        "department": "Sales",
        "data_tier": tier,
        "ai_tool": {"product": "Claude Code", "version": "2.1"},
        "status": "development",
    })
}
