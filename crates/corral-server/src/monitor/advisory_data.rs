//! The server's advisory data: opening it, and telling when it changed.
//!
//! The data is `corral db`'s OSV database in the server's data directory. Each imported
//! ecosystem has a `meta.json` naming when and from what it was imported; the database's
//! *generation* is a hash of those files, so any import or update, by the API or by
//! `corral db` run against the directory, gives a new generation. An import in progress
//! writes to a temporary directory and renames it into place: while one exists, the data is
//! [`Generation::Changing`] and is not evaluated.

use std::path::Path;

use corral_deps::advisory::store::advisories_dir;
use corral_model::Ecosystem;
use sha2::{Digest, Sha256};

/// Where `store_meta` keeps the generation last evaluated.
pub const EVALUATED_GENERATION_KEY: &str = "advisories.evaluated_generation";

/// The ecosystems the dependency checks cover.
const ECOSYSTEMS: [Ecosystem; 2] = [Ecosystem::PyPI, Ecosystem::Npm];

/// The state of the advisory data on disk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Generation {
    /// Settled: this hash names its content.
    Settled(String),
    /// An import is writing it right now.
    Changing,
}

/// The generation of the advisory data under `data_dir` (a settled generation of its own when
/// none was ever imported).
pub fn generation(data_dir: &Path) -> Generation {
    let root = advisories_dir(data_dir);
    if let Ok(entries) = std::fs::read_dir(&root) {
        let importing = entries
            .filter_map(Result::ok)
            .any(|e| e.file_name().to_string_lossy().contains(".tmp-"));
        if importing {
            return Generation::Changing;
        }
    }
    let mut hasher = Sha256::new();
    for ecosystem in ECOSYSTEMS {
        let meta = root.join(ecosystem.as_str()).join("meta.json");
        hasher.update(ecosystem.as_str().as_bytes());
        match std::fs::read(&meta) {
            Ok(bytes) => {
                hasher.update((bytes.len() as u64).to_le_bytes());
                hasher.update(&bytes);
            }
            Err(_) => hasher.update(u64::MAX.to_le_bytes()),
        }
    }
    Generation::Settled(hex::encode(&hasher.finalize()[..16]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_generation_changes_with_every_import_and_not_otherwise() {
        let dir = tempfile::tempdir().unwrap();
        let empty = generation(dir.path());
        assert_eq!(
            generation(dir.path()),
            empty,
            "stable while nothing changes"
        );
        let meta = advisories_dir(dir.path()).join("PyPI");
        std::fs::create_dir_all(&meta).unwrap();
        std::fs::write(meta.join("meta.json"), br#"{"imported_at":"1"}"#).unwrap();
        let first = generation(dir.path());
        assert_ne!(first, empty);
        std::fs::write(meta.join("meta.json"), br#"{"imported_at":"2"}"#).unwrap();
        assert_ne!(generation(dir.path()), first);
        std::fs::create_dir_all(advisories_dir(dir.path()).join(".PyPI.tmp-42")).unwrap();
        assert_eq!(generation(dir.path()), Generation::Changing);
    }
}
