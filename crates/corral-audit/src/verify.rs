//! Verifying a stored log: recompute everything, trust nothing the database says about itself.
//!
//! The store keeps, per entry, the event's fields, its leaf hash and the signed head of the
//! tree ending with it. [`LogVerifier`] reads the entries in order and, for each one:
//!
//! 1. checks the sequence number is the next one (a gap means entries were deleted),
//! 2. rebuilds the event's canonical bytes and compares their hash with the stored leaf hash
//!    (a difference means the entry's content was changed),
//! 3. adds the *recomputed* leaf to its own tree and compares the head with the stored signed
//!    head (a difference means an entry at this position was changed together with its stored
//!    hash, inserted, or moved), and
//! 4. checks that head's signature with a trusted key (a bad signature means the stored heads
//!    were rewritten to match a forged history).
//!
//! An entry that passes all four proves every entry before it is intact too, because its
//! signed head covers the whole prefix. So the first entry that fails is the first one that
//! was tampered with, and that is the one reported. After it, only the local check (2) is
//! still meaningful; other entries whose content no longer matches their hash are listed too.
//!
//! Two things inside the database cannot be detected from the database alone: removing the
//! newest entries *and* the stored append state together, or a whole rewrite by someone who
//! also holds the signing key. Checkpoints kept outside (see [`LogVerifier::expect_checkpoint`],
//! `corral audit verify --checkpoint`) catch both.

use std::fmt;

use corral_model::AuditEvent;
use serde::Serialize;

use crate::checkpoint::{Checkpoint, SignedCheckpoint};
use crate::hash::Hash;
use crate::merkle::{Frontier, consistency_proof, leaf_hash, verify_consistency};
use crate::signing_key::PublicKey;

/// One entry as the store read it. Columns that did not parse arrive as `Err(reason)`.
#[derive(Debug, Clone)]
pub struct StoredEntry {
    /// The stored sequence number.
    pub seq: i64,
    /// The event rebuilt from its stored columns.
    pub event: Result<AuditEvent, String>,
    /// The stored leaf hash, as text.
    pub leaf_hash: String,
    /// The stored root of the tree ending with this entry, as text.
    pub tree_root: String,
    /// The id of the key that signed that head.
    pub key_id: String,
    /// The stored signature of that head.
    pub signature: String,
}

/// The log's stored append state: how many entries it says it has and its right edge.
#[derive(Debug, Clone)]
pub struct StoredHead {
    pub size: i64,
    pub frontier: Result<Frontier, String>,
}

/// Something wrong with the log. [`Problem::seq`] names the entry where it starts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Problem {
    /// Entry `seq` is not in the database; the next stored entry is `next_found`.
    Missing { seq: u64, next_found: i64 },
    /// An entry with a sequence number at or below one already seen.
    OutOfOrder { seq: u64, found: i64 },
    /// The entry's stored columns cannot be read back into an event.
    Unreadable { seq: u64, reason: String },
    /// The entry's content no longer hashes to its stored leaf hash.
    Altered { seq: u64 },
    /// The recomputed tree head after this entry differs from the stored signed head.
    TreeMismatch { seq: u64 },
    /// The stored head after this entry is not validly signed.
    BadSignature { seq: u64, reason: String },
    /// The stored head after this entry was signed by a key the verifier does not trust.
    UntrustedKey { seq: u64, key_id: String },
    /// The log has fewer entries than something that counted them earlier.
    Truncated {
        entries: u64,
        expected: u64,
        evidence: String,
    },
    /// The stored append state does not describe the stored entries.
    HeadMismatch { reason: String },
    /// A checkpoint kept outside the database does not match the log.
    CheckpointMismatch { tree_size: u64, reason: String },
}

impl Problem {
    /// The first entry affected, when the problem points at one.
    pub fn seq(&self) -> Option<u64> {
        match self {
            Problem::Missing { seq, .. }
            | Problem::OutOfOrder { seq, .. }
            | Problem::Unreadable { seq, .. }
            | Problem::Altered { seq }
            | Problem::TreeMismatch { seq }
            | Problem::BadSignature { seq, .. }
            | Problem::UntrustedKey { seq, .. } => Some(*seq),
            Problem::Truncated { entries, .. } => Some(*entries),
            Problem::HeadMismatch { .. } | Problem::CheckpointMismatch { .. } => None,
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Problem::Missing { seq, next_found } => write!(
                f,
                "entry {seq} is missing: the stored log jumps to entry {next_found} \
                 (entries were deleted)"
            ),
            Problem::OutOfOrder { seq, found } => write!(
                f,
                "entry {seq} is out of order: found sequence number {found} where {seq} was \
                 expected (entries were inserted or renumbered)"
            ),
            Problem::Unreadable { seq, reason } => write!(
                f,
                "entry {seq} cannot be read back as an audit event ({reason}): it was altered"
            ),
            Problem::Altered { seq } => write!(
                f,
                "entry {seq} was altered: its content no longer matches its recorded hash"
            ),
            Problem::TreeMismatch { seq } => write!(
                f,
                "entry {seq} does not match the signed tree head recorded after it: it was \
                 altered together with its hash, inserted, or moved"
            ),
            Problem::BadSignature { seq, reason } => write!(
                f,
                "the signed tree head after entry {seq} is not valid ({reason}): the log was \
                 rewritten from entry {seq} on"
            ),
            Problem::UntrustedKey { seq, key_id } => write!(
                f,
                "the tree head after entry {seq} was signed by key {key_id}, which this \
                 installation does not trust"
            ),
            Problem::Truncated {
                entries,
                expected,
                evidence,
            } => write!(
                f,
                "the log ends after {entries} entries but {evidence} recorded {expected}: \
                 entries {entries} to {} were removed",
                expected - 1
            ),
            Problem::HeadMismatch { reason } => {
                write!(
                    f,
                    "the stored append state does not match the log: {reason}"
                )
            }
            Problem::CheckpointMismatch { tree_size, reason } => write!(
                f,
                "the log does not match the supplied checkpoint of {tree_size} entries: {reason}"
            ),
        }
    }
}

/// The outcome of a verification.
#[derive(Debug, Clone, Serialize)]
pub struct VerifyReport {
    pub log_id: String,
    /// Entries read from the database.
    pub entries: u64,
    /// The recomputed tree head over the entries read.
    pub root: Hash,
    /// The newest stored signed head, when it verified.
    pub latest_checkpoint: Option<SignedCheckpoint>,
    /// Signed heads whose signature was checked.
    pub signatures_checked: u64,
    /// Checkpoints from outside the database that were compared.
    pub external_checkpoints_checked: u64,
    /// The first problem: the earliest entry tampered with.
    pub first_problem: Option<Problem>,
    /// Further entries (after the first problem) whose content no longer matches their hash.
    pub other_altered: Vec<u64>,
}

impl VerifyReport {
    pub fn is_intact(&self) -> bool {
        self.first_problem.is_none()
    }
}

/// At most this many further altered entries are listed.
const MAX_OTHER_ALTERED: usize = 1000;

/// Streams a stored log through the checks described in the module documentation.
pub struct LogVerifier {
    log_id: String,
    trusted: Vec<PublicKey>,
    frontier: Frontier,
    leaves: Vec<Hash>,
    expected_seq: u64,
    rows: u64,
    last_checkpoint: Option<SignedCheckpoint>,
    signatures_checked: u64,
    external: Vec<SignedCheckpoint>,
    external_checked: u64,
    first_problem: Option<Problem>,
    other_altered: Vec<u64>,
}

impl LogVerifier {
    /// A verifier for the log `log_id` that accepts heads signed by any of `trusted`.
    pub fn new(log_id: impl Into<String>, trusted: Vec<PublicKey>) -> Self {
        Self {
            log_id: log_id.into(),
            trusted,
            frontier: Frontier::new(),
            leaves: Vec::new(),
            expected_seq: 0,
            rows: 0,
            last_checkpoint: None,
            signatures_checked: 0,
            external: Vec::new(),
            external_checked: 0,
            first_problem: None,
            other_altered: Vec::new(),
        }
    }

    /// Also demands that the log extends `checkpoint`, kept outside the database (by an
    /// auditor, a third party, or from an earlier inclusion proof). Its signature must verify
    /// with a trusted key.
    pub fn expect_checkpoint(&mut self, checkpoint: SignedCheckpoint) -> Result<(), Problem> {
        let size = checkpoint.checkpoint.tree_size;
        if checkpoint.checkpoint.log_id != self.log_id {
            return Err(Problem::CheckpointMismatch {
                tree_size: size,
                reason: format!(
                    "it belongs to log {}, not to this log {}",
                    checkpoint.checkpoint.log_id, self.log_id
                ),
            });
        }
        self.check_signature(&checkpoint)
            .map_err(|reason| Problem::CheckpointMismatch {
                tree_size: size,
                reason,
            })?;
        self.external.push(checkpoint);
        Ok(())
    }

    fn check_signature(&self, checkpoint: &SignedCheckpoint) -> Result<(), String> {
        let Some(key) = self
            .trusted
            .iter()
            .find(|k| k.key_id() == checkpoint.key_id)
        else {
            return Err(format!("signed by untrusted key {}", checkpoint.key_id));
        };
        checkpoint.verify(key).map_err(|e| e.to_string())
    }

    fn report(&mut self, problem: Problem) {
        if self.first_problem.is_none() {
            self.first_problem = Some(problem);
        }
    }

    /// Checks the next stored entry.
    pub fn push(&mut self, entry: StoredEntry) {
        self.rows += 1;
        let seq = self.expected_seq;
        if self.first_problem.is_some() {
            // The tree is already broken; only the entry's own hash still says something.
            if let Ok(event) = &entry.event
                && entry.leaf_hash.parse::<Hash>().ok() != Some(leaf_hash(&event.canonical_bytes()))
                && self.other_altered.len() < MAX_OTHER_ALTERED
                && let Ok(s) = u64::try_from(entry.seq)
            {
                self.other_altered.push(s);
            }
            self.expected_seq += 1;
            return;
        }
        if entry.seq != seq as i64 {
            let problem = if entry.seq > seq as i64 {
                Problem::Missing {
                    seq,
                    next_found: entry.seq,
                }
            } else {
                Problem::OutOfOrder {
                    seq,
                    found: entry.seq,
                }
            };
            self.report(problem);
            return;
        }
        self.expected_seq += 1;
        let event = match entry.event {
            Ok(event) => event,
            Err(reason) => return self.report(Problem::Unreadable { seq, reason }),
        };
        let leaf = leaf_hash(&event.canonical_bytes());
        if entry.leaf_hash.parse::<Hash>().ok() != Some(leaf) {
            return self.report(Problem::Altered { seq });
        }
        self.frontier.push(leaf);
        self.leaves.push(leaf);
        let root = self.frontier.root();
        if entry.tree_root.parse::<Hash>().ok() != Some(root) {
            return self.report(Problem::TreeMismatch { seq });
        }
        let signed = SignedCheckpoint {
            checkpoint: Checkpoint {
                log_id: self.log_id.clone(),
                tree_size: self.frontier.size(),
                root,
                time: event.at,
            },
            key_id: entry.key_id,
            signature: entry.signature,
        };
        if !self.trusted.iter().any(|k| k.key_id() == signed.key_id) {
            return self.report(Problem::UntrustedKey {
                seq,
                key_id: signed.key_id,
            });
        }
        if let Err(reason) = self.check_signature(&signed) {
            return self.report(Problem::BadSignature { seq, reason });
        }
        self.signatures_checked += 1;
        self.last_checkpoint = Some(signed);
        self.compare_external();
    }

    /// Compares the supplied checkpoints whose size the tree just reached.
    fn compare_external(&mut self) {
        let size = self.frontier.size();
        let root = self.frontier.root();
        let mut mismatch = None;
        for cp in self
            .external
            .iter()
            .filter(|c| c.checkpoint.tree_size == size)
        {
            self.external_checked += 1;
            if cp.checkpoint.root != root {
                mismatch = Some(Problem::CheckpointMismatch {
                    tree_size: size,
                    reason: format!(
                        "its root is {} but the first {size} entries now hash to {root}: an \
                         entry before {size} was changed, and the log was re-signed",
                        cp.checkpoint.root
                    ),
                });
            }
        }
        if let Some(problem) = mismatch {
            self.report(problem);
        }
    }

    /// Finishes: compares the stored append state and the supplied checkpoints with what was
    /// read, and proves each supplied checkpoint consistent with the newest head.
    pub fn finish(mut self, head: Option<StoredHead>) -> VerifyReport {
        let entries = self.rows;
        if self.first_problem.is_none() {
            self.check_head(head, entries);
        }
        if self.first_problem.is_none() {
            self.check_external_after_end(entries);
        }
        let root = self.frontier.root();
        VerifyReport {
            log_id: self.log_id,
            entries,
            root,
            latest_checkpoint: self.last_checkpoint,
            signatures_checked: self.signatures_checked,
            external_checkpoints_checked: self.external_checked,
            first_problem: self.first_problem,
            other_altered: self.other_altered,
        }
    }

    fn check_head(&mut self, head: Option<StoredHead>, entries: u64) {
        let Some(head) = head else {
            if entries > 0 {
                self.report(Problem::HeadMismatch {
                    reason: "the append state is missing".into(),
                });
            }
            return;
        };
        if head.size > entries as i64 {
            self.report(Problem::Truncated {
                entries,
                expected: head.size as u64,
                evidence: "the stored append state".into(),
            });
            return;
        }
        if head.size != entries as i64 {
            self.report(Problem::HeadMismatch {
                reason: format!("it counts {} entries, the log has {entries}", head.size),
            });
            return;
        }
        match head.frontier {
            Err(reason) => self.report(Problem::HeadMismatch { reason }),
            Ok(f) if f.size() != entries || f.root() != self.frontier.root() => {
                self.report(Problem::HeadMismatch {
                    reason: "its right edge does not hash to the log's root, so the next \
                             append would break the tree"
                        .into(),
                })
            }
            Ok(_) => {}
        }
    }

    fn check_external_after_end(&mut self, entries: u64) {
        let root = self.frontier.root();
        let mut problem = None;
        for cp in &self.external {
            let size = cp.checkpoint.tree_size;
            if size > entries {
                problem = Some(Problem::Truncated {
                    entries,
                    expected: size,
                    evidence: "the supplied checkpoint".into(),
                });
                break;
            }
            if size == 0 {
                continue;
            }
            // Prove the old head is a prefix of the new one, as a third party would.
            let proof = match consistency_proof(&self.leaves, size) {
                Ok(p) => p,
                Err(e) => {
                    problem = Some(Problem::CheckpointMismatch {
                        tree_size: size,
                        reason: e.to_string(),
                    });
                    break;
                }
            };
            if let Err(e) = verify_consistency(size, entries, &cp.checkpoint.root, &root, &proof) {
                problem = Some(Problem::CheckpointMismatch {
                    tree_size: size,
                    reason: format!("the current log does not extend it ({e})"),
                });
                break;
            }
        }
        if let Some(p) = problem {
            self.report(p);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::append::append;
    use crate::signing_key::AuditSigner;
    use chrono::{TimeZone, Utc};
    use uuid::Uuid;

    const LOG: &str = "test-log";

    fn event(seq: u64) -> AuditEvent {
        AuditEvent {
            seq,
            id: Uuid::from_u128(seq as u128 + 1),
            at: Utc
                .with_ymd_and_hms(2026, 11, 20, 15, 0, seq as u32 % 60)
                .unwrap(),
            actor: "ana@example.com".into(),
            action: "asset.registered".into(),
            subject: Some(format!("asset-{seq}")),
            data: serde_json::json!({"n": seq}),
        }
    }

    /// A log of `n` entries as the store would hold it, with its head.
    fn stored_log(signer: &AuditSigner, n: u64) -> (Vec<StoredEntry>, StoredHead) {
        let mut frontier = Frontier::new();
        let mut rows = Vec::new();
        for seq in 0..n {
            let e = event(seq);
            let appended = append(&mut frontier, &e, LOG, signer).unwrap();
            rows.push(StoredEntry {
                seq: seq as i64,
                event: Ok(e),
                leaf_hash: appended.leaf_hash.to_string(),
                tree_root: appended.checkpoint.checkpoint.root.to_string(),
                key_id: appended.checkpoint.key_id,
                signature: appended.checkpoint.signature,
            });
        }
        let head = StoredHead {
            size: n as i64,
            frontier: Ok(frontier),
        };
        (rows, head)
    }

    fn verify(signer: &AuditSigner, rows: Vec<StoredEntry>, head: StoredHead) -> VerifyReport {
        let mut v = LogVerifier::new(LOG, vec![signer.public_key()]);
        for r in rows {
            v.push(r);
        }
        v.finish(Some(head))
    }

    #[test]
    fn an_untouched_log_verifies_and_every_head_signature_is_checked() {
        let signer = AuditSigner::generate().unwrap();
        let (rows, head) = stored_log(&signer, 20);
        let report = verify(&signer, rows, head);
        assert!(report.is_intact(), "{:?}", report.first_problem);
        assert_eq!(report.entries, 20);
        assert_eq!(report.signatures_checked, 20);
        assert_eq!(report.latest_checkpoint.unwrap().checkpoint.tree_size, 20);
    }

    #[test]
    fn changing_an_entry_is_named_as_altered() {
        let signer = AuditSigner::generate().unwrap();
        let (mut rows, head) = stored_log(&signer, 10);
        if let Ok(e) = &mut rows[4].event {
            e.actor = "mallory@example.com".into();
        }
        if let Ok(e) = &mut rows[7].event {
            e.action = "asset.deleted".into();
        }
        let report = verify(&signer, rows, head);
        assert_eq!(report.first_problem, Some(Problem::Altered { seq: 4 }));
        assert_eq!(report.other_altered, vec![7]);
    }

    #[test]
    fn changing_an_entry_and_its_hash_breaks_the_signed_head_at_that_entry() {
        let signer = AuditSigner::generate().unwrap();
        let (mut rows, head) = stored_log(&signer, 10);
        let mut e = event(3);
        e.data = serde_json::json!({"n": 999});
        rows[3].leaf_hash = leaf_hash(&e.canonical_bytes()).to_string();
        rows[3].event = Ok(e);
        let report = verify(&signer, rows, head);
        assert_eq!(report.first_problem, Some(Problem::TreeMismatch { seq: 3 }));
    }

    #[test]
    fn rewriting_every_hash_and_head_from_an_entry_on_fails_on_the_signature() {
        let signer = AuditSigner::generate().unwrap();
        let (mut rows, head) = stored_log(&signer, 10);
        // The forger recomputes leaf hashes and roots but cannot sign.
        let mut frontier = Frontier::new();
        for (i, row) in rows.iter_mut().enumerate() {
            let mut e = row.event.clone().unwrap();
            if i == 5 {
                e.actor = "mallory@example.com".into();
            }
            let leaf = leaf_hash(&e.canonical_bytes());
            frontier.push(leaf);
            row.leaf_hash = leaf.to_string();
            row.tree_root = frontier.root().to_string();
            row.event = Ok(e);
        }
        let report = verify(&signer, rows, head);
        assert!(
            matches!(
                report.first_problem,
                Some(Problem::BadSignature { seq: 5, .. })
            ),
            "{:?}",
            report.first_problem
        );
    }

    #[test]
    fn a_deleted_entry_is_named_as_missing() {
        let signer = AuditSigner::generate().unwrap();
        let (mut rows, head) = stored_log(&signer, 10);
        rows.remove(6);
        let report = verify(&signer, rows, head);
        assert_eq!(report.entries, 9);
        assert_eq!(
            report.first_problem,
            Some(Problem::Missing {
                seq: 6,
                next_found: 7
            })
        );
        assert!(
            report
                .first_problem
                .unwrap()
                .to_string()
                .contains("entry 6 is missing")
        );
    }

    #[test]
    fn deleting_the_newest_entries_is_caught_by_the_stored_head() {
        let signer = AuditSigner::generate().unwrap();
        let (mut rows, head) = stored_log(&signer, 10);
        rows.truncate(8);
        let report = verify(&signer, rows, head);
        assert_eq!(
            report.first_problem.as_ref().and_then(Problem::seq),
            Some(8),
            "{:?}",
            report.first_problem
        );
    }

    #[test]
    fn deleting_the_newest_entries_and_the_head_is_caught_by_a_kept_checkpoint() {
        let signer = AuditSigner::generate().unwrap();
        let (rows, head) = stored_log(&signer, 10);
        let kept = {
            let mut frontier = Frontier::new();
            let mut last = None;
            for seq in 0..9 {
                last = Some(append(&mut frontier, &event(seq), LOG, &signer).unwrap());
            }
            last.unwrap().checkpoint
        };
        let _ = head;
        let truncated: Vec<_> = rows.into_iter().take(7).collect();
        let mut frontier = Frontier::new();
        for r in &truncated {
            frontier.push(r.leaf_hash.parse().unwrap());
        }
        let forged_head = StoredHead {
            size: 7,
            frontier: Ok(frontier),
        };
        let mut v = LogVerifier::new(LOG, vec![signer.public_key()]);
        v.expect_checkpoint(kept).unwrap();
        for r in truncated {
            v.push(r);
        }
        let report = v.finish(Some(forged_head));
        assert!(
            matches!(
                report.first_problem,
                Some(Problem::Truncated {
                    entries: 7,
                    expected: 9,
                    ..
                })
            ),
            "{:?}",
            report.first_problem
        );
    }

    #[test]
    fn a_kept_checkpoint_is_proved_consistent_with_the_current_log() {
        let signer = AuditSigner::generate().unwrap();
        let (rows, head) = stored_log(&signer, 12);
        let mut frontier = Frontier::new();
        let mut kept = None;
        for seq in 0..5 {
            kept = Some(append(&mut frontier, &event(seq), LOG, &signer).unwrap());
        }
        let mut v = LogVerifier::new(LOG, vec![signer.public_key()]);
        v.expect_checkpoint(kept.unwrap().checkpoint).unwrap();
        for r in rows {
            v.push(r);
        }
        let report = v.finish(Some(head));
        assert!(report.is_intact(), "{:?}", report.first_problem);
        assert_eq!(report.external_checkpoints_checked, 1);
    }

    #[test]
    fn a_log_re_signed_with_a_stolen_key_still_fails_against_a_kept_checkpoint() {
        let signer = AuditSigner::generate().unwrap();
        let (rows, _) = stored_log(&signer, 6);
        let kept = SignedCheckpoint {
            checkpoint: Checkpoint {
                log_id: LOG.into(),
                tree_size: 4,
                root: rows[3].tree_root.parse().unwrap(),
                time: event(3).at,
            },
            key_id: rows[3].key_id.clone(),
            signature: rows[3].signature.clone(),
        };
        // Rewrite history with the real key: entry 1 changes, everything re-signed.
        let mut frontier = Frontier::new();
        let mut forged = Vec::new();
        for seq in 0..6 {
            let mut e = event(seq);
            if seq == 1 {
                e.actor = "mallory@example.com".into();
            }
            let a = append(&mut frontier, &e, LOG, &signer).unwrap();
            forged.push(StoredEntry {
                seq: seq as i64,
                event: Ok(e),
                leaf_hash: a.leaf_hash.to_string(),
                tree_root: a.checkpoint.checkpoint.root.to_string(),
                key_id: a.checkpoint.key_id,
                signature: a.checkpoint.signature,
            });
        }
        let mut v = LogVerifier::new(LOG, vec![signer.public_key()]);
        v.expect_checkpoint(kept).unwrap();
        for r in forged {
            v.push(r);
        }
        let report = v.finish(Some(StoredHead {
            size: 6,
            frontier: Ok(frontier),
        }));
        assert!(
            matches!(
                report.first_problem,
                Some(Problem::CheckpointMismatch { tree_size: 4, .. })
            ),
            "{:?}",
            report.first_problem
        );
    }

    #[test]
    fn heads_signed_by_an_unknown_key_are_reported_as_untrusted() {
        let signer = AuditSigner::generate().unwrap();
        let stranger = AuditSigner::generate().unwrap();
        let (rows, head) = stored_log(&stranger, 3);
        let report = verify(&signer, rows, head);
        assert!(matches!(
            report.first_problem,
            Some(Problem::UntrustedKey { seq: 0, .. })
        ));
    }

    #[test]
    fn an_unreadable_entry_is_named_not_panicked_on() {
        let signer = AuditSigner::generate().unwrap();
        let (mut rows, head) = stored_log(&signer, 3);
        rows[1].event = Err("`at` is not a timestamp".into());
        let report = verify(&signer, rows, head);
        assert!(matches!(
            report.first_problem,
            Some(Problem::Unreadable { seq: 1, .. })
        ));
    }
}
