//! Corral's tamper-evident audit log, as pure cryptography: no database, no network.
//!
//! Every state change in Corral becomes an [`AuditEvent`](corral_model::AuditEvent) appended
//! to a log structured as an RFC 6962 Merkle tree, the structure Certificate Transparency
//! uses. Unlike a hash chain, it gives short proofs in both directions a third party cares
//! about: that an event is in the log ([`InclusionProof`]) and that today's log extends
//! yesterday's without rewriting it ([`ConsistencyProof`]). Tree heads are signed with the
//! installation's ed25519 key ([`AuditSigner`]), after every append.
//!
//! - [`merkle`]: leaf and node hashes, tree heads, proofs and their verification, and the
//!   [`Frontier`] that makes appends O(log n).
//! - [`append`]: what the store computes and keeps for each new entry.
//! - [`checkpoint`]: signed tree heads and the exact text that is signed.
//! - [`signing_key`]: the key file (mode 0600) and the public key for third parties.
//! - [`verify`]: recomputing a stored log and naming the first entry that was tampered with.
//! - [`proof`]: self-contained proof documents and their checks.
//!
//! `corral-store` persists the entries and calls into this crate; the `corral audit`
//! commands and `docs/audit.md` show how an auditor uses it.

pub mod append;
pub mod checkpoint;
pub mod hash;
pub mod merkle;
pub mod proof;
pub mod signing_key;
pub mod verify;

pub use append::{AppendedEntry, append};
pub use checkpoint::{Checkpoint, SignatureError, SignedCheckpoint};
pub use hash::Hash;
pub use merkle::{Frontier, ProofError};
pub use proof::{ConsistencyProof, InclusionProof, ProofCheckError};
pub use signing_key::{AuditSigner, KEY_FILE_NAME, KeyError, PublicKey};
pub use verify::{LogVerifier, Problem, StoredEntry, StoredHead, VerifyReport};
