//! A secret that has already been made safe to show and store.
//!
//! Scanners never put a raw secret into a [`crate::Finding`]: they build a [`RedactedSecret`]
//! from it, which keeps only a short prefix (enough for a person to recognise *which* key it
//! is), the length, and a SHA-256 based fingerprint (enough to match the same secret across
//! files, commits and runs). The raw value is dropped on construction, so no output format,
//! log line or database row can leak it by accident.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// A secret reduced to what may be shown: prefix, length and hash.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RedactedSecret {
    /// At most a few leading characters: fewer for short secrets, none for very short ones.
    pub prefix: String,
    /// Length of the secret in characters.
    pub length: usize,
    /// `sha256:` and the first 16 hex digits of the SHA-256 of the secret.
    pub sha256: String,
}

impl RedactedSecret {
    /// Redacts `secret`. The prefix shows at most 4 characters and never more than a quarter
    /// of the secret, so short passwords reveal nothing.
    pub fn new(secret: &str) -> Self {
        let length = secret.chars().count();
        let shown = (length / 4).min(4);
        let prefix: String = secret.chars().take(shown).collect();
        Self {
            prefix,
            length,
            sha256: format!("sha256:{}", &secret_hash(secret)[..16]),
        }
    }

    /// The form used in every output: `ghp_…(40 chars, sha256:1a2b…)`.
    pub fn display(&self) -> String {
        format!("{}…({} chars, {})", self.prefix, self.length, self.sha256)
    }
}

impl std::fmt::Display for RedactedSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.display())
    }
}

/// Full hex SHA-256 of a secret, for fingerprints. Never shown on its own in outputs.
pub fn secret_hash(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redaction_keeps_a_short_prefix_length_and_hash_but_not_the_secret() {
        let secret = "ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789";
        let r = RedactedSecret::new(secret);
        assert_eq!(r.prefix, "ghp_");
        assert_eq!(r.length, 40);
        assert!(r.sha256.starts_with("sha256:"));
        assert_eq!(r.sha256.len(), "sha256:".len() + 16);
        let shown = serde_json::to_string(&r).unwrap() + &r.display();
        assert!(!shown.contains("aBcDeFgHiJ"));
    }

    #[test]
    fn short_secrets_show_no_more_than_a_quarter() {
        assert_eq!(RedactedSecret::new("hunter2").prefix, "h");
        assert_eq!(RedactedSecret::new("abc").prefix, "");
    }

    #[test]
    fn the_same_secret_always_redacts_the_same_way() {
        assert_eq!(
            RedactedSecret::new("s3cr3t-value"),
            RedactedSecret::new("s3cr3t-value")
        );
        assert_ne!(
            RedactedSecret::new("s3cr3t-value").sha256,
            RedactedSecret::new("s3cr3t-valuf").sha256
        );
    }
}
