//! A Corral server for the registry benchmark (`bench/registry/run.sh`).
//!
//! The same server `corral serve` runs, built on its own so the benchmark needs only the
//! server's dependencies. Usage: `bench_server DATA_DIR ADDR [DATABASE_URL]`. Writes an
//! admin token to `DATA_DIR/bench-token` and serves until interrupted.

use corral_model::{PolicyConfig, Role};
use corral_server::{NotifyConfig, ServeOptions, ServerConfig};
use corral_store::{AuditEntry, NewToken};

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let data_dir: std::path::PathBuf = args.next().expect("DATA_DIR").into();
    let listen = args.next().unwrap_or_else(|| "127.0.0.1:8799".into());
    let database_url = args.next();
    let running = corral_server::start(ServeOptions {
        data_dir: data_dir.clone(),
        database_url,
        server: ServerConfig {
            listen,
            ..Default::default()
        },
        policy: PolicyConfig::default(),
        notify: NotifyConfig::default(),
        runner: None,
    })
    .await
    .expect("server starts");
    let mut tx = running.state.store.begin().await.expect("begin");
    let issued = tx
        .issue_token(
            NewToken {
                name: "bench".into(),
                email: "bench@example.com".into(),
                role: Role::Admin,
                expires_at: None,
            },
            chrono::Utc::now(),
        )
        .await
        .expect("token");
    tx.audit(AuditEntry::new("bench", "token.issued").subject(issued.token.id.to_string()));
    tx.commit().await.expect("commit");
    std::fs::write(data_dir.join("bench-token"), issued.secret.expose()).expect("token file");
    println!("{}", running.url);
    let _ = tokio::signal::ctrl_c().await;
    running.shutdown().await;
}
