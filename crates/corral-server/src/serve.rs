//! Starting and stopping the server: store, first admin token, background tasks, listener.
//!
//! [`start`] opens (and migrates) the store, creates the one-time admin token when the
//! installation has no usable admin token, binds the listener, and spawns the HTTP server,
//! the notification dispatcher, the overdue check, the advisory watch and (unless turned off) a runner node. It returns at once with the URL, so
//! the command line can print it and tests can use a server on port 0.
//! [`Running::shutdown`] stops accepting, lets in-flight requests finish and stops the
//! background tasks.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use corral_model::{PolicyConfig, Role};
use corral_store::{AuditEntry, NewToken, Store, StoreError, StoreOptions};
use serde_json::json;
use tokio::net::TcpListener;
use tokio::sync::{Notify, watch};
use tokio::task::JoinHandle;

use crate::app::router;
use crate::config::ServerConfig;
use crate::metrics::Metrics;
use crate::monitor::Monitor;
use crate::notify::store_outbox::StoreOutbox;
use crate::notify::{Dispatcher, NotifyConfig};
use crate::oidc::OidcProvider;
use crate::runner::{RunnerNode, RunnerOptions, start_runner};
use crate::state::AppState;

/// Everything `start` needs.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub data_dir: PathBuf,
    /// `postgres://…`; `None` for SQLite in the data directory.
    pub database_url: Option<String>,
    pub server: ServerConfig,
    pub policy: PolicyConfig,
    pub notify: NotifyConfig,
    /// Run scheduled jobs in this process too; `None` serves the API only (jobs then run
    /// on `corral runner` nodes).
    pub runner: Option<RunnerOptions>,
}

#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: String,
        source: std::io::Error,
    },
    #[error("{0}")]
    Config(String),
}

/// A started server.
pub struct Running {
    /// `http://ADDR:PORT`.
    pub url: String,
    /// The admin token created on this start (first start only); shown once.
    pub admin_token: Option<String>,
    pub state: AppState,
    /// The runner node in this process, if it runs jobs.
    pub runner: Option<RunnerNode>,
    shutdown: watch::Sender<bool>,
    tasks: Vec<JoinHandle<()>>,
    drains: Vec<Drain>,
}

impl Running {
    /// Stops accepting, finishes in-flight requests, stops background tasks.
    pub async fn shutdown(self) {
        if let Some(runner) = self.runner {
            runner.shutdown().await;
        }
        let _ = self.shutdown.send(true);
        for task in self.tasks {
            let _ = task.await;
        }
        for drain in self.drains {
            drain.await;
        }
        self.state.store.close().await;
    }
}

/// Issues the first admin token when no usable admin token exists.
pub async fn bootstrap_admin(store: &Store, email: &str) -> Result<Option<String>, StoreError> {
    let now = Utc::now();
    let has_admin = store
        .tokens(None)
        .await?
        .iter()
        .any(|t| t.role == Role::Admin && t.is_usable(now));
    if has_admin {
        return Ok(None);
    }
    let mut tx = store.begin().await?;
    let issued = tx
        .issue_token(
            NewToken {
                name: "first-admin".into(),
                email: email.into(),
                role: Role::Admin,
                expires_at: None,
            },
            now,
        )
        .await?;
    tx.audit(
        AuditEntry::new("system", "token.issued")
            .subject(issued.token.id.to_string())
            .data(json!({"name": "first-admin", "email": email, "role": "admin", "reason": "no admin token existed at start"})),
    );
    tx.commit().await?;
    Ok(Some(issued.secret.expose().to_string()))
}

/// Routes another capability adds to the server (the package gate under `/simple/`), built
/// once the store is open. An error is a configuration problem and stops the start.
pub type Mount = Box<dyn FnOnce(Store) -> Result<Mounted, String> + Send>;

/// Work a mounted capability must finish at shutdown.
pub type Drain = std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send>>;

/// What a [`Mount`] adds.
pub struct Mounted {
    pub router: axum::Router,
    /// Awaited at shutdown once the last request has been answered and before the store
    /// closes: the package gate writes the decisions still queued.
    pub drain: Option<Drain>,
}

/// Opens the store, binds, and serves in the background.
pub async fn start(options: ServeOptions) -> Result<Running, ServeError> {
    start_with(options, None).await
}

/// [`start`], with `mount`'s routes served beside the API.
pub async fn start_with(
    options: ServeOptions,
    mount: Option<Mount>,
) -> Result<Running, ServeError> {
    options
        .policy
        .validate()
        .map_err(|e| ServeError::Config(e.to_string()))?;
    options
        .notify
        .validate()
        .map_err(|e| ServeError::Config(e.to_string()))?;
    options
        .server
        .console
        .validate()
        .map_err(ServeError::Config)?;
    let oidc = options
        .server
        .oidc
        .settings(|var| std::env::var(var).ok())
        .map_err(|e| ServeError::Config(e.to_string()))?
        .map(|settings| Arc::new(OidcProvider::new(settings)));
    let store = Store::open_with(
        StoreOptions::new(&options.data_dir).database_url(options.database_url.as_deref()),
    )
    .await?;
    let admin_token = bootstrap_admin(&store, &options.server.admin_email).await?;
    let listener = TcpListener::bind(&options.server.listen)
        .await
        .map_err(|source| ServeError::Bind {
            addr: options.server.listen.clone(),
            source,
        })?;
    let addr = listener.local_addr().map_err(|source| ServeError::Bind {
        addr: options.server.listen.clone(),
        source,
    })?;
    let notify = Arc::new(options.notify);
    let outbox = Arc::new(StoreOutbox {
        store: store.clone(),
        lease: chrono::Duration::from_std(notify.timeout() * 3 + Duration::from_secs(30))
            .unwrap_or(chrono::Duration::minutes(5)),
    });
    let dispatcher = Dispatcher::new(outbox, notify.clone());
    let waker: Arc<Notify> = dispatcher.waker();
    let state = AppState {
        store,
        policy: Arc::new(options.policy),
        notify,
        metrics: Arc::new(Metrics::default()),
        dispatcher_waker: waker,
        console: Arc::new(options.server.console.clone()),
        oidc,
        monitor: Arc::new(Monitor::new(&options.data_dir)),
        max_scan_bytes: options.server.max_scan_bytes,
        max_advisory_bytes: options.server.max_advisory_bytes,
        max_bundle_bytes: options.server.max_bundle_bytes,
    };
    let (tx, rx) = watch::channel(false);
    let mut app = router(state.clone(), options.server.max_body_bytes);
    let mut drains = Vec::new();
    if let Some(mount) = mount {
        let mounted = mount(state.store.clone()).map_err(ServeError::Config)?;
        app = app.merge(mounted.router);
        drains.extend(mounted.drain);
    }
    let mut http_shutdown = rx.clone();
    let http = tokio::spawn(async move {
        let app = app.into_make_service_with_connect_info::<std::net::SocketAddr>();
        let serving = axum::serve(listener, app).with_graceful_shutdown(async move {
            let _ = http_shutdown.wait_for(|stop| *stop).await;
        });
        if let Err(err) = serving.await {
            tracing::error!(%err, "HTTP server stopped with an error");
        }
    });
    let runner = match options.runner {
        Some(runner) => Some(
            start_runner(
                state.store.clone(),
                state.notify.clone(),
                runner,
                Some(state.dispatcher_waker.clone()),
            )
            .map_err(ServeError::Config)?,
        ),
        None => None,
    };
    let dispatch = tokio::spawn(dispatcher.run(rx.clone()));
    let mut tasks = vec![http, dispatch];
    if options.server.advisory_watch_secs > 0 {
        tasks.push(tokio::spawn(crate::monitor::watch::run(
            state.clone(),
            Duration::from_secs(options.server.advisory_watch_secs),
            rx.clone(),
        )));
    }
    tasks.push(tokio::spawn(crate::overdue::run(
        state.clone(),
        Duration::from_secs(options.server.periodic_check_secs.max(1)),
        rx,
    )));
    Ok(Running {
        url: format!("http://{addr}"),
        admin_token,
        state,
        runner,
        shutdown: tx,
        tasks,
        drains,
    })
}
