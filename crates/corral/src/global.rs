//! Options every subcommand accepts.

use std::path::PathBuf;

use clap::Args;

/// Options shared by every command.
#[derive(Debug, Clone, Args)]
pub struct GlobalArgs {
    /// Where Corral keeps its database, keys and caches.
    ///
    /// Defaults to the per-user data directory (`~/.local/share/corral` on Linux,
    /// `~/Library/Application Support/corral` on macOS).
    #[arg(long, global = true, env = "CORRAL_DATA_DIR", value_name = "DIR")]
    pub data_dir: Option<PathBuf>,

    /// Configuration file (default: `corral.toml` in the data directory, if present).
    #[arg(long, global = true, env = "CORRAL_CONFIG", value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Print more about what is happening (repeat for more detail).
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,

    /// Print only errors and results.
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
}

impl GlobalArgs {
    /// The data directory: `--data-dir`, `CORRAL_DATA_DIR`, or the per-user default.
    pub fn data_dir(&self) -> PathBuf {
        if let Some(dir) = &self.data_dir {
            return dir.clone();
        }
        dirs::data_dir()
            .or_else(|| dirs::home_dir().map(|h| h.join(".local/share")))
            .unwrap_or_else(|| PathBuf::from("."))
            .join("corral")
    }

    /// Sends `tracing` output to stderr, at a level chosen by `-v`/`-q` or `RUST_LOG`.
    pub fn init_logging(&self) {
        let default = match (self.quiet, self.verbose) {
            (true, _) => "error",
            (false, 0) => "warn",
            (false, 1) => "info",
            (false, 2) => "debug",
            (false, _) => "trace",
        };
        let filter = tracing_subscriber::EnvFilter::try_from_default_env()
            .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default));
        let _ = tracing_subscriber::fmt()
            .with_env_filter(filter)
            .with_writer(std::io::stderr)
            .try_init();
    }
}
