//! Proofs a third party can check without Corral's database.
//!
//! An [`InclusionProof`] says "this event is entry *i* of the log whose signed head is *C*".
//! It carries everything needed to check that claim with SHA-256 and ed25519 alone: the
//! event's exact canonical bytes (`entry`), the audit path, the signed checkpoint and the
//! public key. A [`ConsistencyProof`] says "the log with head *C₂* extends the log with head
//! *C₁*": nothing that was in the log at *C₁* was changed, removed or reordered since.
//!
//! The checker must compare the public key in the proof with the key the organisation
//! published (for example with `corral audit public-key`): anyone can make a self-consistent
//! proof with a key of their own.

use serde::{Deserialize, Serialize};

use crate::checkpoint::{SignatureError, SignedCheckpoint};
use crate::hash::Hash;
use crate::merkle::{ProofError, leaf_hash, verify_consistency, verify_inclusion};
use crate::signing_key::PublicKey;

/// `format` of an inclusion proof.
pub const INCLUSION_FORMAT: &str = "corral-audit-inclusion-proof/v1";
/// `format` of a consistency proof.
pub const CONSISTENCY_FORMAT: &str = "corral-audit-consistency-proof/v1";

/// Proof that one event is in the log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InclusionProof {
    /// Always [`INCLUSION_FORMAT`].
    pub format: String,
    pub event_id: String,
    /// The event's position (its `seq`), the leaf index in the tree.
    pub leaf_index: u64,
    /// Size of the tree the proof is against (the checkpoint's size).
    pub tree_size: u64,
    /// The event's canonical JSON, exactly the bytes that were hashed.
    pub entry: String,
    /// `SHA-256(0x00 ‖ entry)`.
    pub leaf_hash: Hash,
    /// Sibling hashes from the leaf up to the root (RFC 6962 §2.1.1).
    pub audit_path: Vec<Hash>,
    pub checkpoint: SignedCheckpoint,
    pub public_key: PublicKey,
}

/// Proof that the log at one checkpoint extends the log at an earlier one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsistencyProof {
    /// Always [`CONSISTENCY_FORMAT`].
    pub format: String,
    pub old: SignedCheckpoint,
    pub new: SignedCheckpoint,
    /// RFC 6962 §2.1.2 `PROOF(old size, new log)`.
    pub proof: Vec<Hash>,
    pub public_key: PublicKey,
}

/// Why a proof does not hold.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProofCheckError {
    #[error("unknown proof format `{0}`")]
    UnknownFormat(String),
    #[error(
        "the proof's public key {found} is not the trusted key {expected}: it may have been \
         made by someone else"
    )]
    UntrustedKey { expected: String, found: String },
    #[error("the entry does not hash to the stated leaf hash: the entry was changed")]
    LeafHash,
    #[error("the entry is not the event the proof names: {0}")]
    EntryMismatch(String),
    #[error("the proof is for a tree of {proof} entries but its checkpoint covers {checkpoint}")]
    SizeMismatch { proof: u64, checkpoint: u64 },
    #[error("the audit path does not lead to the checkpoint's root: {0}")]
    Path(ProofError),
    #[error("the checkpoint's signature does not hold: {0}")]
    Signature(SignatureError),
    #[error("the two checkpoints belong to different logs ({0} and {1})")]
    DifferentLogs(String, String),
}

impl InclusionProof {
    /// Checks every claim in the proof; with `trusted`, also that the proof's key is that key.
    pub fn check(&self, trusted: Option<&PublicKey>) -> Result<(), ProofCheckError> {
        if self.format != INCLUSION_FORMAT {
            return Err(ProofCheckError::UnknownFormat(self.format.clone()));
        }
        check_trusted(&self.public_key, trusted)?;
        if leaf_hash(self.entry.as_bytes()) != self.leaf_hash {
            return Err(ProofCheckError::LeafHash);
        }
        let entry: serde_json::Value = serde_json::from_str(&self.entry)
            .map_err(|e| ProofCheckError::EntryMismatch(format!("it is not JSON ({e})")))?;
        if entry.get("seq").and_then(|s| s.as_u64()) != Some(self.leaf_index) {
            return Err(ProofCheckError::EntryMismatch(format!(
                "its seq is not the leaf index {}",
                self.leaf_index
            )));
        }
        if entry.get("id").and_then(|s| s.as_str()) != Some(self.event_id.as_str()) {
            return Err(ProofCheckError::EntryMismatch(format!(
                "its id is not {}",
                self.event_id
            )));
        }
        if self.checkpoint.checkpoint.tree_size != self.tree_size {
            return Err(ProofCheckError::SizeMismatch {
                proof: self.tree_size,
                checkpoint: self.checkpoint.checkpoint.tree_size,
            });
        }
        verify_inclusion(
            &self.leaf_hash,
            self.leaf_index,
            self.tree_size,
            &self.audit_path,
            &self.checkpoint.checkpoint.root,
        )
        .map_err(ProofCheckError::Path)?;
        self.checkpoint
            .verify(&self.public_key)
            .map_err(ProofCheckError::Signature)
    }
}

impl ConsistencyProof {
    /// Checks both signatures and the proof; with `trusted`, also the key.
    pub fn check(&self, trusted: Option<&PublicKey>) -> Result<(), ProofCheckError> {
        if self.format != CONSISTENCY_FORMAT {
            return Err(ProofCheckError::UnknownFormat(self.format.clone()));
        }
        check_trusted(&self.public_key, trusted)?;
        if self.old.checkpoint.log_id != self.new.checkpoint.log_id {
            return Err(ProofCheckError::DifferentLogs(
                self.old.checkpoint.log_id.clone(),
                self.new.checkpoint.log_id.clone(),
            ));
        }
        self.old
            .verify(&self.public_key)
            .map_err(ProofCheckError::Signature)?;
        self.new
            .verify(&self.public_key)
            .map_err(ProofCheckError::Signature)?;
        verify_consistency(
            self.old.checkpoint.tree_size,
            self.new.checkpoint.tree_size,
            &self.old.checkpoint.root,
            &self.new.checkpoint.root,
            &self.proof,
        )
        .map_err(ProofCheckError::Path)
    }
}

fn check_trusted(key: &PublicKey, trusted: Option<&PublicKey>) -> Result<(), ProofCheckError> {
    match trusted {
        Some(t) if t != key => Err(ProofCheckError::UntrustedKey {
            expected: t.to_hex(),
            found: key.to_hex(),
        }),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::append::append;
    use crate::merkle::{Frontier, consistency_proof, inclusion_proof};
    use crate::signing_key::AuditSigner;
    use chrono::Utc;
    use corral_model::AuditEvent;
    use uuid::Uuid;

    fn log(signer: &AuditSigner, n: u64) -> (Vec<AuditEvent>, Vec<Hash>, Vec<SignedCheckpoint>) {
        let mut frontier = Frontier::new();
        let (mut events, mut leaves, mut heads) = (vec![], vec![], vec![]);
        for seq in 0..n {
            let e = AuditEvent {
                seq,
                id: Uuid::new_v4(),
                at: Utc::now(),
                actor: "ana@example.com".into(),
                action: "asset.registered".into(),
                subject: None,
                data: serde_json::json!({"seq": seq}),
            };
            let a = append(&mut frontier, &e, "log", signer).unwrap();
            leaves.push(a.leaf_hash);
            heads.push(a.checkpoint);
            events.push(e);
        }
        (events, leaves, heads)
    }

    fn proof_for(signer: &AuditSigner, index: usize) -> InclusionProof {
        let (events, leaves, heads) = log(signer, 11);
        let e = &events[index];
        InclusionProof {
            format: INCLUSION_FORMAT.into(),
            event_id: e.id.to_string(),
            leaf_index: e.seq,
            tree_size: 11,
            entry: String::from_utf8(e.canonical_bytes()).unwrap(),
            leaf_hash: leaves[index],
            audit_path: inclusion_proof(&leaves, index as u64).unwrap(),
            checkpoint: heads[10].clone(),
            public_key: signer.public_key(),
        }
    }

    #[test]
    fn an_inclusion_proof_checks_and_survives_a_json_round_trip() {
        let signer = AuditSigner::generate().unwrap();
        let proof = proof_for(&signer, 6);
        proof.check(Some(&signer.public_key())).unwrap();
        let json = serde_json::to_string(&proof).unwrap();
        let back: InclusionProof = serde_json::from_str(&json).unwrap();
        back.check(None).unwrap();
    }

    #[test]
    fn an_edited_entry_in_a_proof_is_refused() {
        let signer = AuditSigner::generate().unwrap();
        let mut proof = proof_for(&signer, 2);
        proof.entry = proof.entry.replace("ana@", "eve@");
        assert_eq!(proof.check(None), Err(ProofCheckError::LeafHash));
    }

    #[test]
    fn a_proof_made_with_another_key_is_refused_when_the_trusted_key_is_given() {
        let signer = AuditSigner::generate().unwrap();
        let forger = AuditSigner::generate().unwrap();
        let proof = proof_for(&forger, 2);
        proof.check(None).unwrap();
        assert!(matches!(
            proof.check(Some(&signer.public_key())),
            Err(ProofCheckError::UntrustedKey { .. })
        ));
    }

    #[test]
    fn a_proof_against_a_bigger_claimed_tree_is_refused() {
        let signer = AuditSigner::generate().unwrap();
        let mut proof = proof_for(&signer, 2);
        proof.checkpoint.checkpoint.tree_size = 12;
        proof.tree_size = 12;
        assert!(proof.check(None).is_err());
    }

    #[test]
    fn a_consistency_proof_between_two_signed_heads_checks() {
        let signer = AuditSigner::generate().unwrap();
        let (_, leaves, heads) = log(&signer, 13);
        let proof = ConsistencyProof {
            format: CONSISTENCY_FORMAT.into(),
            old: heads[4].clone(),
            new: heads[12].clone(),
            proof: consistency_proof(&leaves, 5).unwrap(),
            public_key: signer.public_key(),
        };
        proof.check(Some(&signer.public_key())).unwrap();
        let mut swapped = proof.clone();
        swapped.old = heads[5].clone();
        assert!(swapped.check(None).is_err());
    }
}
