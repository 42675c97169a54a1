//! The master key that wraps every secret's data key.
//!
//! It comes from `CORRAL_MASTER_KEY` (Base64 of 32 bytes) when that is set, which suits
//! containers whose orchestrator injects secrets, or else from `master.key` in the data
//! directory. That file is created on first use with mode 0600 (never widened afterwards) and
//! an existing file that other users can read is refused rather than used: a key anyone on
//! the machine can read protects nothing.

use std::fs::OpenOptions;
use std::io::Write;
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::Path;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use zeroize::Zeroizing;

use crate::SecretBoxError;

/// Environment variable that carries the master key, Base64-encoded.
pub const MASTER_KEY_ENV: &str = "CORRAL_MASTER_KEY";
/// File name of the master key inside the data directory.
pub const MASTER_KEY_FILE: &str = "master.key";

pub struct MasterKey(Zeroizing<[u8; 32]>);

impl MasterKey {
    /// A fresh random key.
    pub fn generate() -> Result<Self, SecretBoxError> {
        let mut bytes = Zeroizing::new([0u8; 32]);
        getrandom::fill(bytes.as_mut()).map_err(|e| SecretBoxError::Random(e.to_string()))?;
        Ok(Self(bytes))
    }

    pub fn from_bytes(bytes: [u8; 32]) -> Self {
        Self(Zeroizing::new(bytes))
    }

    /// Parses the Base64 text of a key; `origin` names where it came from for the error.
    pub fn from_base64(text: &str, origin: &str) -> Result<Self, SecretBoxError> {
        let decoded = Zeroizing::new(STANDARD.decode(text.trim()).map_err(|e| {
            SecretBoxError::KeyFormat {
                origin: origin.into(),
                reason: format!("not Base64 ({e})"),
            }
        })?);
        let bytes: [u8; 32] =
            decoded
                .as_slice()
                .try_into()
                .map_err(|_| SecretBoxError::KeyFormat {
                    origin: origin.into(),
                    reason: format!("expected 32 bytes, found {}", decoded.len()),
                })?;
        Ok(Self::from_bytes(bytes))
    }

    /// The key from `env_value` (the content of [`MASTER_KEY_ENV`]) if given, else from
    /// `data_dir/master.key`, creating that file (0600) when it does not exist.
    pub fn resolve(env_value: Option<&str>, data_dir: &Path) -> Result<Self, SecretBoxError> {
        match env_value {
            Some(text) if !text.trim().is_empty() => Self::from_base64(text, MASTER_KEY_ENV),
            _ => Self::load_or_create(&data_dir.join(MASTER_KEY_FILE)),
        }
    }

    /// Reads the key file at `path`, or creates it with a new random key and mode 0600.
    pub fn load_or_create(path: &Path) -> Result<Self, SecretBoxError> {
        if path.exists() {
            return Self::load(path);
        }
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|source| SecretBoxError::Io {
                action: "create directory",
                path: parent.to_path_buf(),
                source,
            })?;
        }
        let key = Self::generate()?;
        let text = Zeroizing::new(STANDARD.encode(key.0.as_ref()) + "\n");
        let io_err = |source| SecretBoxError::Io {
            action: "create",
            path: path.to_path_buf(),
            source,
        };
        // create_new: two processes racing to create the key must not both win.
        match OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(path)
        {
            Ok(mut file) => {
                file.write_all(text.as_bytes()).map_err(io_err)?;
                file.sync_all().map_err(io_err)?;
                Ok(key)
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Self::load(path),
            Err(e) => Err(io_err(e)),
        }
    }

    /// Reads an existing key file, refusing one that group or others can read.
    pub fn load(path: &Path) -> Result<Self, SecretBoxError> {
        let io_err = |source| SecretBoxError::Io {
            action: "read",
            path: path.to_path_buf(),
            source,
        };
        let mode = std::fs::metadata(path)
            .map_err(io_err)?
            .permissions()
            .mode()
            & 0o777;
        if mode & 0o077 != 0 {
            return Err(SecretBoxError::KeyPermissions {
                path: path.to_path_buf(),
                mode,
            });
        }
        let text = Zeroizing::new(std::fs::read_to_string(path).map_err(io_err)?);
        Self::from_base64(&text, &path.display().to_string())
    }

    pub(crate) fn bytes(&self) -> &[u8; 32] {
        &self.0
    }
}

impl std::fmt::Debug for MasterKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("MasterKey(<hidden>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_key_file_is_created_readable_by_its_owner_only() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("data/master.key");
        let created = MasterKey::load_or_create(&path).unwrap();
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        let loaded = MasterKey::load_or_create(&path).unwrap();
        assert_eq!(created.bytes(), loaded.bytes());
    }

    #[test]
    fn a_key_file_other_users_can_read_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("master.key");
        MasterKey::load_or_create(&path).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        let err = MasterKey::load(&path).unwrap_err().to_string();
        assert!(err.contains("chmod 600"), "{err}");
    }

    #[test]
    fn the_environment_variable_wins_over_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let env = STANDARD.encode([7u8; 32]);
        let key = MasterKey::resolve(Some(&env), dir.path()).unwrap();
        assert_eq!(key.bytes(), &[7u8; 32]);
        assert!(!dir.path().join(MASTER_KEY_FILE).exists());
    }

    #[test]
    fn a_key_of_the_wrong_length_names_its_origin_and_the_length() {
        let err = MasterKey::from_base64(&STANDARD.encode([1u8; 16]), MASTER_KEY_ENV)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains(MASTER_KEY_ENV) && err.contains("found 16"),
            "{err}"
        );
    }
}
