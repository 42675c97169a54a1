//! The one error type of the crate: each variant names the file or secret involved and what
//! the operator can do about it.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum SecretBoxError {
    #[error("cannot {action} {}: {source}", path.display())]
    Io {
        action: &'static str,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("invalid master key from {origin}: {reason}")]
    KeyFormat { origin: String, reason: String },
    #[error(
        "master key file {} is readable by other users (mode {mode:o}); run `chmod 600` on it",
        path.display()
    )]
    KeyPermissions { path: PathBuf, mode: u32 },
    #[error(
        "secret `{name}` cannot be decrypted: it was sealed with another master key or altered"
    )]
    Decrypt { name: String },
    #[error("no secret named `{0}`")]
    NotFound(String),
    #[error("invalid secret name `{name}`: {reason}")]
    InvalidName { name: String, reason: &'static str },
    #[error("secret file {} is damaged: {reason}", path.display())]
    Corrupt { path: PathBuf, reason: String },
    #[error("the operating system's random number generator failed: {0}")]
    Random(String),
}
