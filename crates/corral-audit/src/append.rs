//! Appending one event: the leaf hash, the new tree head, and its signature, in O(log n).
//!
//! The store calls [`append`] for each event while it holds the log's append lock, with the
//! [`Frontier`] it keeps beside the entries, and stores what comes back in the same row as
//! the event. Keeping the arithmetic here means the store never computes a hash itself, and
//! verification ([`crate::verify`]) recomputes exactly what this function produced.

use corral_model::AuditEvent;

use crate::checkpoint::{Checkpoint, SignedCheckpoint};
use crate::hash::Hash;
use crate::merkle::{Frontier, leaf_hash};
use crate::signing_key::AuditSigner;

/// What is stored beside an appended event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppendedEntry {
    /// `SHA-256(0x00 ‖ event.canonical_bytes())`.
    pub leaf_hash: Hash,
    /// The signed head of the tree that ends with this event.
    pub checkpoint: SignedCheckpoint,
}

/// The event's position does not follow the frontier.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "audit event has sequence number {seq} but the log has {size} entries; appends must be gapless"
)]
pub struct OutOfOrder {
    pub seq: u64,
    pub size: u64,
}

/// Adds `event` (whose `seq` must equal the frontier's size) to the tree described by
/// `frontier`, and signs the new head.
pub fn append(
    frontier: &mut Frontier,
    event: &AuditEvent,
    log_id: &str,
    signer: &AuditSigner,
) -> Result<AppendedEntry, OutOfOrder> {
    if event.seq != frontier.size() {
        return Err(OutOfOrder {
            seq: event.seq,
            size: frontier.size(),
        });
    }
    let leaf = leaf_hash(&event.canonical_bytes());
    frontier.push(leaf);
    let checkpoint = Checkpoint {
        log_id: log_id.to_string(),
        tree_size: frontier.size(),
        root: frontier.root(),
        time: event.at,
    }
    .sign(signer);
    Ok(AppendedEntry {
        leaf_hash: leaf,
        checkpoint,
    })
}
