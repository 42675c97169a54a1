//! Signed checkpoints: a tree head (size and root) signed with the installation's ed25519 key.
//!
//! A root hash on its own proves nothing: whoever can rewrite the log can recompute it. A
//! *signed* head can only come from the holder of the signing key, which lives in the data
//! directory, not in the database. Corral signs the head after every append, so each entry
//! carries the signed checkpoint of the tree that ends with it; an auditor or a third party
//! who kept any checkpoint can later demand proof that today's log extends it.
//!
//! The signed message is a short text, so anyone can rebuild it from the JSON fields and check
//! the signature with any ed25519 library:
//!
//! ```text
//! corral audit checkpoint v1
//! log 7f0c9a52-3d0e-4f43-9a4f-0d3f5e1a2b3c
//! size 42
//! root 5b0c…(64 hex digits)
//! time 2026-11-20T15:00:00.123456Z
//! ```
//!
//! Each line ends with a single `\n`, including the last. `log` names the log (an id chosen
//! when the database was created) so a checkpoint of one installation cannot be passed off as
//! another's; `time` is when the entry that ends the tree was appended.

use chrono::{DateTime, SecondsFormat, Utc};
use ed25519_dalek::{Signature, Signer, VerifyingKey};
use serde::{Deserialize, Serialize};

use crate::hash::Hash;
use crate::signing_key::{AuditSigner, PublicKey};

/// The first line of every signed checkpoint text.
pub const CHECKPOINT_HEADER: &str = "corral audit checkpoint v1";

/// A tree head: how many entries the log had, and the Merkle root over them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Checkpoint {
    /// The log this head belongs to.
    pub log_id: String,
    pub tree_size: u64,
    pub root: Hash,
    /// When the last entry of this tree was appended.
    pub time: DateTime<Utc>,
}

impl Checkpoint {
    /// The exact bytes that are signed (see the module documentation).
    pub fn signed_text(&self) -> String {
        format!(
            "{CHECKPOINT_HEADER}\nlog {}\nsize {}\nroot {}\ntime {}\n",
            self.log_id,
            self.tree_size,
            self.root,
            self.time.to_rfc3339_opts(SecondsFormat::Micros, true)
        )
    }

    /// Signs this head.
    pub fn sign(self, signer: &AuditSigner) -> SignedCheckpoint {
        let signature = signer.signing_key().sign(self.signed_text().as_bytes());
        SignedCheckpoint {
            checkpoint: self,
            key_id: signer.public_key().key_id(),
            signature: hex::encode(signature.to_bytes()),
        }
    }
}

/// A checkpoint with the signature over its [text](Checkpoint::signed_text).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignedCheckpoint {
    #[serde(flatten)]
    pub checkpoint: Checkpoint,
    /// Which key signed it: see [`PublicKey::key_id`].
    pub key_id: String,
    /// The ed25519 signature, 128 hex digits.
    pub signature: String,
}

/// Why a signed checkpoint was not accepted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    #[error("the checkpoint was signed by key {found}, not by the expected key {expected}")]
    WrongKey { expected: String, found: String },
    #[error("the signature is not 128 hex digits")]
    Malformed,
    #[error("the signature does not match the checkpoint: it was altered or forged")]
    Invalid,
}

impl SignedCheckpoint {
    /// Checks the signature against `key`.
    pub fn verify(&self, key: &PublicKey) -> Result<(), SignatureError> {
        if self.key_id != key.key_id() {
            return Err(SignatureError::WrongKey {
                expected: key.key_id(),
                found: self.key_id.clone(),
            });
        }
        verify_signature(
            key.verifying_key(),
            self.checkpoint.signed_text().as_bytes(),
            &self.signature,
        )
    }
}

fn verify_signature(
    key: &VerifyingKey,
    message: &[u8],
    signature_hex: &str,
) -> Result<(), SignatureError> {
    let mut bytes = [0u8; 64];
    if signature_hex.len() != 128 {
        return Err(SignatureError::Malformed);
    }
    hex::decode_to_slice(signature_hex, &mut bytes).map_err(|_| SignatureError::Malformed)?;
    let signature = Signature::from_bytes(&bytes);
    key.verify_strict(message, &signature)
        .map_err(|_| SignatureError::Invalid)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::merkle::leaf_hash;

    fn checkpoint() -> Checkpoint {
        Checkpoint {
            log_id: "7f0c9a52-3d0e-4f43-9a4f-0d3f5e1a2b3c".into(),
            tree_size: 42,
            root: leaf_hash(b"x"),
            time: DateTime::parse_from_rfc3339("2026-11-20T15:00:00.123456Z")
                .unwrap()
                .with_timezone(&Utc),
        }
    }

    #[test]
    fn the_signed_text_has_the_documented_lines() {
        assert_eq!(
            checkpoint().signed_text(),
            format!(
                "corral audit checkpoint v1\nlog 7f0c9a52-3d0e-4f43-9a4f-0d3f5e1a2b3c\nsize 42\n\
                 root {}\ntime 2026-11-20T15:00:00.123456Z\n",
                leaf_hash(b"x")
            )
        );
    }

    #[test]
    fn a_signed_checkpoint_verifies_and_any_change_breaks_it() {
        let signer = AuditSigner::generate().unwrap();
        let signed = checkpoint().sign(&signer);
        signed.verify(&signer.public_key()).unwrap();

        let mut bigger = signed.clone();
        bigger.checkpoint.tree_size = 43;
        assert_eq!(
            bigger.verify(&signer.public_key()),
            Err(SignatureError::Invalid)
        );
        let mut other_root = signed.clone();
        other_root.checkpoint.root = leaf_hash(b"y");
        assert_eq!(
            other_root.verify(&signer.public_key()),
            Err(SignatureError::Invalid)
        );
        let mut garbage = signed.clone();
        garbage.signature = "00".into();
        assert_eq!(
            garbage.verify(&signer.public_key()),
            Err(SignatureError::Malformed)
        );
    }

    #[test]
    fn a_checkpoint_signed_by_another_key_is_refused_by_key_id() {
        let signer = AuditSigner::generate().unwrap();
        let other = AuditSigner::generate().unwrap();
        let signed = checkpoint().sign(&other);
        assert!(matches!(
            signed.verify(&signer.public_key()),
            Err(SignatureError::WrongKey { .. })
        ));
    }

    #[test]
    fn the_json_form_is_flat() {
        let signer = AuditSigner::generate().unwrap();
        let json = serde_json::to_value(checkpoint().sign(&signer)).unwrap();
        let mut keys: Vec<_> = json.as_object().unwrap().keys().cloned().collect();
        keys.sort();
        assert_eq!(
            keys,
            ["key_id", "log_id", "root", "signature", "time", "tree_size"]
        );
    }
}
