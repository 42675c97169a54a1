//! A project's page as the gate understands it: the files an index offers for one project,
//! whatever format (PEP 503 HTML or PEP 691 JSON) the upstream used.
//!
//! Every field a client may rely on is kept: the file's URL on the upstream, its hashes, the
//! PEP 700 size and upload time (which `uv`'s `exclude-newer` needs), `requires-python`,
//! `yanked` with its reason, and whether a PEP 658 metadata file exists (with its hash).
//! Pages are cached on disk in this form (JSON), so a cached page reads back exactly.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// One project as one upstream index lists it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProjectPage {
    /// The PEP 503 normalised name.
    pub name: String,
    /// Which configured upstream it came from (its `name`).
    pub upstream: String,
    pub files: Vec<DistFile>,
    /// When the gate fetched it.
    pub fetched_at: DateTime<Utc>,
}

/// One distribution file (wheel or sdist).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DistFile {
    pub filename: String,
    /// The absolute URL on the upstream.
    pub url: String,
    /// The version, read from the file name; `None` when the name does not carry one the
    /// gate can read (such files are never served).
    pub version: Option<String>,
    /// Lower-case hex SHA-256 given by the upstream, if it gave one.
    pub sha256: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub requires_python: Option<String>,
    /// `None`: not yanked; `Some("")`: yanked without a reason.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub yanked: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub upload_time: Option<DateTime<Utc>>,
    /// PEP 658/714: the upstream serves `<url>.metadata`.
    #[serde(default)]
    pub core_metadata: bool,
    /// The metadata file's SHA-256, when given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub core_metadata_sha256: Option<String>,
}

/// The version in a distribution file name: `name-1.0-py3-none-any.whl` or
/// `name-1.0.tar.gz` (also `.zip`, `.tar.bz2`, `.tgz`). `None` for anything else.
pub fn version_from_filename(filename: &str) -> Option<String> {
    if let Some(stem) = filename.strip_suffix(".whl") {
        let mut parts = stem.split('-');
        let _name = parts.next()?;
        let version = parts.next()?;
        return (!version.is_empty()).then(|| version.to_string());
    }
    let stem = [".tar.gz", ".tar.bz2", ".tgz", ".zip"]
        .iter()
        .find_map(|ext| filename.strip_suffix(ext))?;
    let (_, version) = stem.rsplit_once('-')?;
    (!version.is_empty() && version.chars().next()?.is_ascii_digit()).then(|| version.to_string())
}

/// Whether `text` is a lower-case 64-digit hex SHA-256.
pub fn is_sha256(text: &str) -> bool {
    text.len() == 64 && text.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_are_read_from_wheel_and_sdist_names() {
        assert_eq!(
            version_from_filename("Foo_Bar-1.2.post1-py3-none-any.whl").as_deref(),
            Some("1.2.post1")
        );
        assert_eq!(
            version_from_filename("foo-bar-2.0rc1.tar.gz").as_deref(),
            Some("2.0rc1")
        );
        assert_eq!(version_from_filename("foo-1.0.zip").as_deref(), Some("1.0"));
        assert_eq!(version_from_filename("README.txt"), None);
        assert_eq!(version_from_filename("foo-bar.tar.gz"), None);
    }

    #[test]
    fn only_lower_case_hex_of_the_right_length_is_a_sha256() {
        assert!(is_sha256(&"a".repeat(64)));
        assert!(!is_sha256(&"A".repeat(64)));
        assert!(!is_sha256(&"a".repeat(63)));
    }
}
