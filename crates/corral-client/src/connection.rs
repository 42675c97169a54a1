//! Which server to talk to, and with which token: the options every client command shares.
//!
//! `--server` (or `CORRAL_SERVER`) names the server, defaulting to the local one `corral
//! serve` starts; the token comes from `CORRAL_TOKEN` only, never from a flag, so it does not
//! end up in shell history or in `ps` output.

use crate::client::{Client, ClientError};

/// The local default of `corral serve`.
pub const DEFAULT_SERVER: &str = "http://127.0.0.1:8790";

/// Options shared by the commands that talk to a Corral server.
#[derive(Debug, Clone, Default)]
#[cfg_attr(feature = "clap", derive(clap::Args))]
pub struct ServerArgs {
    /// The Corral server to talk to (default: the local one, http://127.0.0.1:8790).
    ///
    /// The API token is read from the CORRAL_TOKEN environment variable; ask an admin for one
    /// (`corral token issue`).
    #[cfg_attr(
        feature = "clap",
        arg(long, env = "CORRAL_SERVER", value_name = "URL", global = true)
    )]
    pub server: Option<String>,
}

impl ServerArgs {
    /// A client for the chosen server, with the token from `CORRAL_TOKEN`.
    pub fn client(&self) -> Result<Client, ClientError> {
        let token = std::env::var("CORRAL_TOKEN")
            .ok()
            .map(|t| t.trim().to_string())
            .filter(|t| !t.is_empty());
        Client::new(self.server.as_deref().unwrap_or(DEFAULT_SERVER), token)
    }
}

/// How a client command prints its result.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
pub enum OutputFormat {
    /// Sentences and tables for people.
    #[default]
    Human,
    /// The API's JSON answer, for scripts.
    Json,
}

/// Runs one client call to completion on a small single-threaded runtime: the command line
/// is synchronous, and one request needs no more.
pub fn block_on<F: std::future::Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a single-threaded tokio runtime starts")
        .block_on(future)
}

/// The text to print on stderr for a failed call.
pub fn describe_error(err: &ClientError) -> String {
    match err {
        ClientError::Api { detail, .. } => crate::render::api_error(detail),
        ClientError::Unexpected { .. } | ClientError::BadUrl(_) => {
            format!("error: {err}\n")
        }
        ClientError::Transport { .. } => format!(
            "error: {err}\n  help: start one with `corral serve`, or point --server / CORRAL_SERVER at yours\n"
        ),
    }
}
