//! A local set of sealed secrets in one JSON file (`secrets.json` in the data directory).
//!
//! This is what `corral secrets` and local `corral jobs run` use on a single machine; the
//! server keeps the same [`SealedSecret`] records in its database. The file holds only
//! ciphertexts and timestamps, is written atomically (temporary file, then rename) with mode
//! 0600, and listing it never needs the master key: names and dates are all anyone sees.

use std::collections::BTreeMap;
use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::{MasterKey, SealedSecret, SecretBoxError, SecretValue};

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Entry {
    sealed: SealedSecret,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct Contents {
    #[serde(default)]
    secrets: BTreeMap<String, Entry>,
}

/// What may be shown about a stored secret: never its value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SecretInfo {
    pub name: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// Secret names are identifiers people type into job definitions: letters, digits, `-`, `_`
/// and `.`, at most 128 characters, starting with a letter or digit.
pub fn validate_secret_name(name: &str) -> Result<(), SecretBoxError> {
    let invalid = |reason| SecretBoxError::InvalidName {
        name: name.into(),
        reason,
    };
    if name.is_empty() || name.len() > 128 {
        return Err(invalid("use 1 to 128 characters"));
    }
    if !name.starts_with(|c: char| c.is_ascii_alphanumeric()) {
        return Err(invalid("start with a letter or digit"));
    }
    if !name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
    {
        return Err(invalid("use only letters, digits, `-`, `_` and `.`"));
    }
    Ok(())
}

pub struct SecretFile {
    path: PathBuf,
    contents: Contents,
}

impl SecretFile {
    /// Opens the file at `path`; a missing file is an empty set.
    pub fn open(path: &Path) -> Result<Self, SecretBoxError> {
        let contents = match std::fs::read_to_string(path) {
            Ok(text) => serde_json::from_str(&text).map_err(|e| SecretBoxError::Corrupt {
                path: path.to_path_buf(),
                reason: e.to_string(),
            })?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Contents::default(),
            Err(source) => {
                return Err(SecretBoxError::Io {
                    action: "read",
                    path: path.to_path_buf(),
                    source,
                });
            }
        };
        Ok(Self {
            path: path.to_path_buf(),
            contents,
        })
    }

    /// Seals and stores `value` under `name`, replacing an existing value, and saves the file.
    pub fn set(
        &mut self,
        master: &MasterKey,
        name: &str,
        value: &str,
        now: DateTime<Utc>,
    ) -> Result<(), SecretBoxError> {
        validate_secret_name(name)?;
        let sealed = SealedSecret::seal(master, name, value)?;
        let created_at = self
            .contents
            .secrets
            .get(name)
            .map_or(now, |e| e.created_at);
        self.contents.secrets.insert(
            name.into(),
            Entry {
                sealed,
                created_at,
                updated_at: now,
            },
        );
        self.save()
    }

    /// Decrypts the secret `name`.
    pub fn get(&self, master: &MasterKey, name: &str) -> Result<SecretValue, SecretBoxError> {
        let entry = self
            .contents
            .secrets
            .get(name)
            .ok_or_else(|| SecretBoxError::NotFound(name.into()))?;
        entry.sealed.open(master, name)
    }

    /// Removes `name` and saves; `false` when there was no such secret.
    pub fn remove(&mut self, name: &str) -> Result<bool, SecretBoxError> {
        let removed = self.contents.secrets.remove(name).is_some();
        if removed {
            self.save()?;
        }
        Ok(removed)
    }

    /// Names and dates of every stored secret, sorted by name.
    pub fn list(&self) -> Vec<SecretInfo> {
        self.contents
            .secrets
            .iter()
            .map(|(name, e)| SecretInfo {
                name: name.clone(),
                created_at: e.created_at,
                updated_at: e.updated_at,
            })
            .collect()
    }

    fn save(&self) -> Result<(), SecretBoxError> {
        let io_err = |action, path: &Path| {
            let path = path.to_path_buf();
            move |source| SecretBoxError::Io {
                action,
                path,
                source,
            }
        };
        if let Some(parent) = self.path.parent() {
            std::fs::create_dir_all(parent).map_err(io_err("create directory", parent))?;
        }
        let tmp = self.path.with_extension("json.tmp");
        let text = serde_json::to_string_pretty(&self.contents).expect("sealed secrets serialise");
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .mode(0o600)
            .open(&tmp)
            .map_err(io_err("write", &tmp))?;
        file.write_all(text.as_bytes())
            .and_then(|()| file.sync_all())
            .map_err(io_err("write", &tmp))?;
        std::fs::rename(&tmp, &self.path).map_err(io_err("replace", &self.path))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn now() -> DateTime<Utc> {
        "2026-03-02T08:00:00Z".parse().unwrap()
    }

    #[test]
    fn a_stored_secret_round_trips_and_the_file_holds_no_plaintext() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("secrets.json");
        let master = MasterKey::generate().unwrap();
        let mut file = SecretFile::open(&path).unwrap();
        file.set(&master, "crm-token", "crm_9f8e7d6c5b4a", now())
            .unwrap();

        let text = std::fs::read_to_string(&path).unwrap();
        assert!(!text.contains("crm_9f8e7d6c5b4a"));
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);

        let reopened = SecretFile::open(&path).unwrap();
        assert_eq!(
            reopened.get(&master, "crm-token").unwrap().expose_secret(),
            "crm_9f8e7d6c5b4a"
        );
        assert_eq!(reopened.list()[0].name, "crm-token");
    }

    #[test]
    fn replacing_a_secret_keeps_its_creation_date() {
        let dir = tempfile::tempdir().unwrap();
        let master = MasterKey::generate().unwrap();
        let mut file = SecretFile::open(&dir.path().join("s.json")).unwrap();
        file.set(&master, "a", "first-value", now()).unwrap();
        let later = now() + chrono::Duration::days(3);
        file.set(&master, "a", "second-value", later).unwrap();
        let info = &file.list()[0];
        assert_eq!((info.created_at, info.updated_at), (now(), later));
        assert_eq!(
            file.get(&master, "a").unwrap().expose_secret(),
            "second-value"
        );
    }

    #[test]
    fn names_with_spaces_or_shell_characters_are_refused_with_a_reason() {
        for bad in ["", "my secret", "-flag", "a;rm", &"x".repeat(129)] {
            let err = validate_secret_name(bad).unwrap_err().to_string();
            assert!(err.contains("invalid secret name"), "{bad}: {err}");
        }
        validate_secret_name("crm.token_v2-prod").unwrap();
    }

    #[test]
    fn a_damaged_file_is_reported_with_its_path() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("secrets.json");
        std::fs::write(&path, "{not json").unwrap();
        let err = SecretFile::open(&path).err().unwrap().to_string();
        assert!(
            err.contains("secrets.json") && err.contains("damaged"),
            "{err}"
        );
    }

    #[test]
    fn removing_an_unknown_secret_says_so() {
        let dir = tempfile::tempdir().unwrap();
        let mut file = SecretFile::open(&dir.path().join("s.json")).unwrap();
        assert!(!file.remove("nope").unwrap());
    }
}
