//! Job secrets at rest: envelope encryption with XChaCha20-Poly1305.
//!
//! Every secret gets its own random 256-bit data key; the value is encrypted with that key and
//! the key itself is encrypted ("wrapped") with the installation's master key. The master key
//! lives in a file created with mode 0600 in the data directory, or comes from the
//! `CORRAL_MASTER_KEY` environment variable, so the database alone never suffices to read a
//! secret, and rotating the master key only rewraps small data keys.
//!
//! Each encryption binds the secret's *name* as associated data: a ciphertext copied onto
//! another secret's row fails to decrypt instead of silently handing one job another job's
//! credentials.
//!
//! - [`master_key`]: loading and creating the master key.
//! - [`envelope`]: sealing and opening one value.
//! - [`secret_value`]: the in-memory plaintext, zeroed on drop and never printed.
//! - [`secret_file`]: a local, file-backed set of sealed secrets for single-machine use.

pub mod envelope;
pub mod error;
pub mod master_key;
pub mod secret_file;
pub mod secret_value;

pub use envelope::SealedSecret;
pub use error::SecretBoxError;
pub use master_key::{MASTER_KEY_ENV, MASTER_KEY_FILE, MasterKey};
pub use secret_file::{SecretFile, SecretInfo, validate_secret_name};
pub use secret_value::SecretValue;
