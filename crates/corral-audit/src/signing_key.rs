//! The installation's checkpoint signing key, and its public half for third parties.
//!
//! The key is an ed25519 key created on first start in the data directory, in a file only the
//! service account may read (mode 0600), so that someone who can write to the database but not
//! read the data directory cannot forge checkpoints. A key file that others can read is refused
//! rather than silently used: a leaked key makes every checkpoint worthless.
//!
//! The file holds the 32-byte secret seed as 64 hex digits and a newline. The public key is
//! shared as 64 hex digits (the raw 32-byte ed25519 public key), which every ed25519 library
//! accepts; its *key id* is the first 16 hex digits of the SHA-256 of those 32 bytes.
//!
//! Several server processes sharing one PostgreSQL database should share one key file (copy
//! it with the same permissions); checkpoints signed by a key that the verifier does not trust
//! are reported as such.

use std::fmt;
use std::io::Write;
use std::path::{Path, PathBuf};

use ed25519_dalek::{SigningKey, VerifyingKey};
use sha2::{Digest, Sha256};

/// File name of the signing key inside the data directory.
pub const KEY_FILE_NAME: &str = "audit-signing.key";

/// Problems reading, creating or parsing a key.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("cannot read the audit signing key {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot create the audit signing key {path}: {source}")]
    Create {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(
        "the audit signing key {path} is readable by other users (mode {mode:o}); \
         run `chmod 600 {path}` and consider the key compromised if others had access"
    )]
    TooOpen { path: PathBuf, mode: u32 },
    #[error("the audit signing key {path} is damaged: expected 64 hex digits")]
    Malformed { path: PathBuf },
    #[error("`{0}` is not an ed25519 public key (64 hex digits)")]
    BadPublicKey(String),
    #[error("the operating system's random number generator failed: {0}")]
    Random(String),
}

/// The private signing key.
pub struct AuditSigner {
    key: SigningKey,
}

impl fmt::Debug for AuditSigner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "AuditSigner(key id {})", self.public_key().key_id())
    }
}

impl AuditSigner {
    /// A fresh key from the operating system's random number generator.
    pub fn generate() -> Result<Self, KeyError> {
        let mut seed = [0u8; 32];
        getrandom::fill(&mut seed).map_err(|e| KeyError::Random(e.to_string()))?;
        Ok(Self {
            key: SigningKey::from_bytes(&seed),
        })
    }

    /// Loads the key in `data_dir`, creating it (mode 0600) on first start.
    pub fn load_or_create(data_dir: &Path) -> Result<Self, KeyError> {
        let path = data_dir.join(KEY_FILE_NAME);
        match std::fs::symlink_metadata(&path) {
            Ok(_) => Self::load(&path),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Self::create(&path),
            Err(source) => Err(KeyError::Read { path, source }),
        }
    }

    /// Loads an existing key file, refusing one that other users can read.
    pub fn load(path: &Path) -> Result<Self, KeyError> {
        let read_err = |source| KeyError::Read {
            path: path.to_path_buf(),
            source,
        };
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(path)
                .map_err(read_err)?
                .permissions()
                .mode()
                & 0o777;
            if mode & 0o077 != 0 {
                return Err(KeyError::TooOpen {
                    path: path.to_path_buf(),
                    mode,
                });
            }
        }
        let text = std::fs::read_to_string(path).map_err(read_err)?;
        let mut seed = [0u8; 32];
        let trimmed = text.trim();
        if trimmed.len() != 64 || hex::decode_to_slice(trimmed, &mut seed).is_err() {
            return Err(KeyError::Malformed {
                path: path.to_path_buf(),
            });
        }
        Ok(Self {
            key: SigningKey::from_bytes(&seed),
        })
    }

    fn create(path: &Path) -> Result<Self, KeyError> {
        let create_err = |source| KeyError::Create {
            path: path.to_path_buf(),
            source,
        };
        let signer = Self::generate()?;
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        match options.open(path) {
            Ok(mut file) => {
                let text = format!("{}\n", hex::encode(signer.key.to_bytes()));
                file.write_all(text.as_bytes()).map_err(create_err)?;
                file.sync_all().map_err(create_err)?;
                Ok(signer)
            }
            // Another process created it between our check and our open: use theirs.
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Self::load(path),
            Err(e) => Err(create_err(e)),
        }
    }

    pub fn public_key(&self) -> PublicKey {
        PublicKey(self.key.verifying_key())
    }

    pub(crate) fn signing_key(&self) -> &SigningKey {
        &self.key
    }
}

/// An ed25519 public key, shown and parsed as 64 hex digits.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct PublicKey(VerifyingKey);

impl PublicKey {
    /// Parses 64 hex digits (surrounding whitespace allowed, as in a file).
    pub fn from_hex(text: &str) -> Result<Self, KeyError> {
        let trimmed = text.trim();
        let mut bytes = [0u8; 32];
        if trimmed.len() != 64 || hex::decode_to_slice(trimmed, &mut bytes).is_err() {
            return Err(KeyError::BadPublicKey(trimmed.chars().take(80).collect()));
        }
        VerifyingKey::from_bytes(&bytes)
            .map(PublicKey)
            .map_err(|_| KeyError::BadPublicKey(trimmed.to_string()))
    }

    pub fn to_hex(&self) -> String {
        hex::encode(self.0.to_bytes())
    }

    /// The first 16 hex digits of the SHA-256 of the raw key: short enough to read, long
    /// enough to tell keys apart.
    pub fn key_id(&self) -> String {
        hex::encode(&Sha256::digest(self.0.to_bytes())[..8])
    }

    pub(crate) fn verifying_key(&self) -> &VerifyingKey {
        &self.0
    }
}

impl fmt::Display for PublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_hex())
    }
}

impl fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PublicKey({})", self.to_hex())
    }
}

impl serde::Serialize for PublicKey {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.to_hex())
    }
}

impl<'de> serde::Deserialize<'de> for PublicKey {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        PublicKey::from_hex(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_key_is_created_once_with_owner_only_permissions_and_reloaded() {
        let dir = tempfile::tempdir().unwrap();
        let first = AuditSigner::load_or_create(dir.path()).unwrap();
        let again = AuditSigner::load_or_create(dir.path()).unwrap();
        assert_eq!(first.public_key(), again.public_key());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.path().join(KEY_FILE_NAME))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }

    #[cfg(unix)]
    #[test]
    fn a_key_file_others_can_read_is_refused_with_the_fix() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        AuditSigner::load_or_create(dir.path()).unwrap();
        let path = dir.path().join(KEY_FILE_NAME);
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        let err = AuditSigner::load_or_create(dir.path()).unwrap_err();
        assert!(
            matches!(err, KeyError::TooOpen { mode: 0o644, .. }),
            "{err}"
        );
        assert!(err.to_string().contains("chmod 600"), "{err}");
    }

    #[test]
    fn a_damaged_key_file_is_refused_by_name() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(KEY_FILE_NAME);
        std::fs::write(&path, "not a key\n").unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
        }
        let err = AuditSigner::load(&path).unwrap_err();
        assert!(matches!(err, KeyError::Malformed { .. }), "{err}");
    }

    #[test]
    fn a_public_key_round_trips_through_hex_and_has_a_short_id() {
        let signer = AuditSigner::generate().unwrap();
        let public = signer.public_key();
        assert_eq!(PublicKey::from_hex(&public.to_hex()).unwrap(), public);
        assert_eq!(public.key_id().len(), 16);
        assert!(PublicKey::from_hex("xyz").is_err());
    }
}
