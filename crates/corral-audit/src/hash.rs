//! A SHA-256 digest as the audit log stores and prints it: 64 lowercase hex digits.
//!
//! Hex rather than base64 because auditors read these values in JSON, in the database and on
//! the command line, and compare them by eye; it is also what `hashlib.sha256().hexdigest()`
//! prints, so a third-party checker needs no decoding library.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// One SHA-256 digest.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Hash(pub [u8; 32]);

/// Text that is not 64 hex digits.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{shown}` is not a SHA-256 hash (64 hex digits)")]
pub struct InvalidHash {
    shown: String,
}

impl Hash {
    pub fn to_hex(&self) -> String {
        hex::encode(self.0)
    }
}

impl fmt::Display for Hash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_hex())
    }
}

impl fmt::Debug for Hash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Hash({})", self.to_hex())
    }
}

impl FromStr for Hash {
    type Err = InvalidHash;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let invalid = || InvalidHash {
            shown: s.chars().take(80).collect(),
        };
        let mut out = [0u8; 32];
        if s.len() != 64 {
            return Err(invalid());
        }
        hex::decode_to_slice(s, &mut out).map_err(|_| invalid())?;
        Ok(Hash(out))
    }
}

impl Serialize for Hash {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.to_hex())
    }
}

impl<'de> Deserialize<'de> for Hash {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_round_trips_through_hex_and_json() {
        let h = Hash([0xab; 32]);
        let text = h.to_string();
        assert_eq!(text.len(), 64);
        assert_eq!(text.parse::<Hash>().unwrap(), h);
        let json = serde_json::to_string(&h).unwrap();
        assert_eq!(serde_json::from_str::<Hash>(&json).unwrap(), h);
    }

    #[test]
    fn text_that_is_not_a_hash_is_refused_with_what_was_given() {
        let err = "abc".parse::<Hash>().unwrap_err().to_string();
        assert!(err.contains("`abc`"), "{err}");
        assert!("zz".repeat(32).parse::<Hash>().is_err());
    }
}
