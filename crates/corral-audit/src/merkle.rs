//! The RFC 6962 Merkle tree over the audit log.
//!
//! The log is a list of entries; its *tree head* is the Merkle Tree Hash (MTH) of RFC 6962
//! §2.1 over them:
//!
//! - a leaf hashes as `SHA-256(0x00 ‖ entry bytes)`,
//! - an inner node as `SHA-256(0x01 ‖ left ‖ right)`,
//! - a list of `n > 1` leaves splits at `k`, the largest power of two smaller than `n`, and the
//!   tree of an empty list hashes as `SHA-256()`.
//!
//! The different prefixes for leaves and nodes mean no one can pass an inner node off as an
//! entry. Two kinds of proof follow from the structure, both logarithmic in size:
//!
//! - an **inclusion proof** shows one entry is in the tree with a given head (RFC 6962 §2.1.1),
//! - a **consistency proof** shows the tree with an earlier head is a prefix of the tree with a
//!   later head — nothing was changed, removed or reordered in between, only appended (§2.1.2).
//!
//! Verification follows the iterative algorithms of RFC 9162 §2.1.3.2 and §2.1.4.2, which
//! check the same proofs as RFC 6962 without recursion.
//!
//! Appending must not rehash the log, so the writer keeps a [`Frontier`]: the roots of the
//! perfect subtrees along the tree's right edge (one per set bit of the size), enough to add a
//! leaf and compute the new head in O(log n).

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::hash::Hash;

/// `SHA-256(0x00 ‖ data)`: the hash of one log entry.
pub fn leaf_hash(data: &[u8]) -> Hash {
    let mut h = Sha256::new();
    h.update([0x00]);
    h.update(data);
    Hash(h.finalize().into())
}

/// `SHA-256(0x01 ‖ left ‖ right)`: the hash of an inner node.
pub fn node_hash(left: &Hash, right: &Hash) -> Hash {
    let mut h = Sha256::new();
    h.update([0x01]);
    h.update(left.0);
    h.update(right.0);
    Hash(h.finalize().into())
}

/// The hash of the empty tree, `SHA-256()` of no bytes.
pub fn empty_root() -> Hash {
    Hash(Sha256::digest([]).into())
}

/// The largest power of two strictly smaller than `n` (for `n >= 2`).
fn split_point(n: u64) -> u64 {
    debug_assert!(n >= 2);
    1 << (63 - (n - 1).leading_zeros())
}

/// The Merkle Tree Hash of a list of leaf hashes (RFC 6962 §2.1), computed from scratch.
///
/// O(n): used by verification and proof generation, never by appends.
pub fn root_of(leaves: &[Hash]) -> Hash {
    match leaves.len() {
        0 => empty_root(),
        1 => leaves[0],
        n => {
            let k = split_point(n as u64) as usize;
            node_hash(&root_of(&leaves[..k]), &root_of(&leaves[k..]))
        }
    }
}

/// The audit path for leaf `index` in the tree over `leaves` (RFC 6962 §2.1.1, `PATH(m, D[n])`),
/// ordered from the leaf's sibling up to the root's child.
pub fn inclusion_proof(leaves: &[Hash], index: u64) -> Result<Vec<Hash>, ProofError> {
    let size = leaves.len() as u64;
    if index >= size {
        return Err(ProofError::IndexOutOfRange { index, size });
    }
    let mut path = Vec::new();
    path_into(leaves, index as usize, &mut path);
    Ok(path)
}

fn path_into(leaves: &[Hash], m: usize, out: &mut Vec<Hash>) {
    let n = leaves.len();
    if n <= 1 {
        return;
    }
    let k = split_point(n as u64) as usize;
    if m < k {
        path_into(&leaves[..k], m, out);
        out.push(root_of(&leaves[k..]));
    } else {
        path_into(&leaves[k..], m - k, out);
        out.push(root_of(&leaves[..k]));
    }
}

/// The consistency proof between the tree of the first `old_size` leaves and the tree of all
/// `leaves` (RFC 6962 §2.1.2, `PROOF(m, D[n])`).
pub fn consistency_proof(leaves: &[Hash], old_size: u64) -> Result<Vec<Hash>, ProofError> {
    let size = leaves.len() as u64;
    if old_size > size {
        return Err(ProofError::OldSizeTooLarge { old_size, size });
    }
    let mut proof = Vec::new();
    if old_size > 0 && old_size < size {
        subproof(old_size as usize, leaves, true, &mut proof);
    }
    Ok(proof)
}

/// `SUBPROOF(m, D[n], b)` of RFC 6962 §2.1.2.
fn subproof(m: usize, leaves: &[Hash], complete: bool, out: &mut Vec<Hash>) {
    let n = leaves.len();
    if m == n {
        if !complete {
            out.push(root_of(leaves));
        }
        return;
    }
    let k = split_point(n as u64) as usize;
    if m <= k {
        subproof(m, &leaves[..k], complete, out);
        out.push(root_of(&leaves[k..]));
    } else {
        subproof(m - k, &leaves[k..], false, out);
        out.push(root_of(&leaves[..k]));
    }
}

/// Why a proof could not be made or did not verify.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProofError {
    #[error("leaf index {index} is outside a tree of {size} entries")]
    IndexOutOfRange { index: u64, size: u64 },
    #[error("the earlier tree size {old_size} is larger than the later size {size}")]
    OldSizeTooLarge { old_size: u64, size: u64 },
    #[error("the proof has {actual} hashes where a tree of this shape needs {expected}")]
    WrongLength { expected: usize, actual: usize },
    #[error("the proof leads to root {computed}, not the expected {expected}")]
    RootMismatch { computed: Hash, expected: Hash },
    #[error("a consistency proof between two trees of the same size must be empty")]
    NonEmptyForEqualSizes,
    #[error("an empty earlier tree is consistent with anything; there is nothing to prove")]
    EmptyOldTree,
}

/// Checks that `leaf` is entry `index` of the tree of `size` entries whose head is `root`,
/// given its audit path (RFC 9162 §2.1.3.2).
pub fn verify_inclusion(
    leaf: &Hash,
    index: u64,
    size: u64,
    path: &[Hash],
    root: &Hash,
) -> Result<(), ProofError> {
    if index >= size {
        return Err(ProofError::IndexOutOfRange { index, size });
    }
    let mut f_n = index;
    let mut s_n = size - 1;
    let mut r = *leaf;
    for p in path {
        if s_n == 0 {
            return Err(ProofError::WrongLength {
                expected: inclusion_path_len(index, size),
                actual: path.len(),
            });
        }
        if f_n & 1 == 1 || f_n == s_n {
            r = node_hash(p, &r);
            if f_n & 1 == 0 {
                while f_n & 1 == 0 && f_n != 0 {
                    f_n >>= 1;
                    s_n >>= 1;
                }
            }
        } else {
            r = node_hash(&r, p);
        }
        f_n >>= 1;
        s_n >>= 1;
    }
    if s_n != 0 {
        return Err(ProofError::WrongLength {
            expected: inclusion_path_len(index, size),
            actual: path.len(),
        });
    }
    if r != *root {
        return Err(ProofError::RootMismatch {
            computed: r,
            expected: *root,
        });
    }
    Ok(())
}

/// How many hashes the audit path of `index` in a tree of `size` entries has.
fn inclusion_path_len(index: u64, size: u64) -> usize {
    let mut len = 0;
    let (mut lo, mut hi, m) = (0u64, size, index);
    while hi - lo > 1 {
        let k = split_point(hi - lo);
        if m - lo < k {
            hi = lo + k;
        } else {
            lo += k;
        }
        len += 1;
    }
    len
}

/// Checks that the tree of `old_size` entries with head `old_root` is a prefix of the tree of
/// `new_size` entries with head `new_root` (RFC 9162 §2.1.4.2).
pub fn verify_consistency(
    old_size: u64,
    new_size: u64,
    old_root: &Hash,
    new_root: &Hash,
    proof: &[Hash],
) -> Result<(), ProofError> {
    if old_size > new_size {
        return Err(ProofError::OldSizeTooLarge {
            old_size,
            size: new_size,
        });
    }
    if old_size == new_size {
        if !proof.is_empty() {
            return Err(ProofError::NonEmptyForEqualSizes);
        }
        if old_root != new_root {
            return Err(ProofError::RootMismatch {
                computed: *old_root,
                expected: *new_root,
            });
        }
        return Ok(());
    }
    if old_size == 0 {
        return Err(ProofError::EmptyOldTree);
    }
    // When the old tree is a perfect subtree on the left edge, its root is the first node.
    let mut nodes: Vec<Hash> = Vec::with_capacity(proof.len() + 1);
    if old_size.is_power_of_two() {
        nodes.push(*old_root);
    }
    nodes.extend_from_slice(proof);
    let too_short = || ProofError::WrongLength {
        expected: consistency_proof_len(old_size, new_size),
        actual: proof.len(),
    };
    let Some((first, rest)) = nodes.split_first() else {
        return Err(too_short());
    };
    let mut f_n = old_size - 1;
    let mut s_n = new_size - 1;
    while f_n & 1 == 1 {
        f_n >>= 1;
        s_n >>= 1;
    }
    let mut fr = *first;
    let mut sr = *first;
    for c in rest {
        if s_n == 0 {
            return Err(too_short());
        }
        if f_n & 1 == 1 || f_n == s_n {
            fr = node_hash(c, &fr);
            sr = node_hash(c, &sr);
            if f_n & 1 == 0 {
                while f_n & 1 == 0 && f_n != 0 {
                    f_n >>= 1;
                    s_n >>= 1;
                }
            }
        } else {
            sr = node_hash(&sr, c);
        }
        f_n >>= 1;
        s_n >>= 1;
    }
    if s_n != 0 {
        return Err(too_short());
    }
    if fr != *old_root {
        return Err(ProofError::RootMismatch {
            computed: fr,
            expected: *old_root,
        });
    }
    if sr != *new_root {
        return Err(ProofError::RootMismatch {
            computed: sr,
            expected: *new_root,
        });
    }
    Ok(())
}

/// How many hashes a consistency proof from `old_size` to `new_size` has (both > 0, old < new).
fn consistency_proof_len(old_size: u64, new_size: u64) -> usize {
    let mut len = 0;
    let (mut m, mut n, mut complete) = (old_size, new_size, true);
    while m != n {
        let k = split_point(n);
        if m <= k {
            n = k;
        } else {
            m -= k;
            n -= k;
            complete = false;
        }
        len += 1;
    }
    len + usize::from(!complete)
}

/// The right edge of the tree: what an appender needs to add a leaf and compute the new head
/// in O(log n) without reading the log.
///
/// For a tree of `size` leaves, `nodes` holds the roots of the perfect subtrees that the
/// binary digits of `size` describe, largest (leftmost) first. Adding a leaf pushes it and
/// merges equal-sized neighbours, exactly like incrementing a binary counter.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Frontier {
    size: u64,
    nodes: Vec<Hash>,
}

/// A stored frontier does not describe a tree.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a frontier for {size} entries needs {expected} subtree hashes, found {found}")]
pub struct InvalidFrontier {
    pub size: u64,
    pub expected: u32,
    pub found: usize,
}

impl Frontier {
    /// The frontier of the empty tree.
    pub fn new() -> Self {
        Self::default()
    }

    /// Rebuilds a frontier from its parts, checking that they fit together.
    pub fn from_parts(size: u64, nodes: Vec<Hash>) -> Result<Self, InvalidFrontier> {
        if nodes.len() != size.count_ones() as usize {
            return Err(InvalidFrontier {
                size,
                expected: size.count_ones(),
                found: nodes.len(),
            });
        }
        Ok(Self { size, nodes })
    }

    /// The frontier of a whole list of leaves (O(n)).
    pub fn from_leaves(leaves: &[Hash]) -> Self {
        let mut f = Self::new();
        for leaf in leaves {
            f.push(*leaf);
        }
        f
    }

    pub fn size(&self) -> u64 {
        self.size
    }

    /// The subtree roots along the right edge, largest first.
    pub fn nodes(&self) -> &[Hash] {
        &self.nodes
    }

    /// Appends one leaf hash: O(log n) node hashes.
    pub fn push(&mut self, leaf: Hash) {
        self.nodes.push(leaf);
        // Every trailing 1-bit of the old size is a subtree the new leaf completes.
        let mut merges = self.size.trailing_ones();
        while merges > 0 {
            let right = self.nodes.pop().expect("frontier has a node per set bit");
            let left = self.nodes.pop().expect("frontier has a node per set bit");
            self.nodes.push(node_hash(&left, &right));
            merges -= 1;
        }
        self.size += 1;
    }

    /// The tree head: the subtree roots folded from the right (O(log n)).
    pub fn root(&self) -> Hash {
        let mut iter = self.nodes.iter().rev();
        match iter.next() {
            None => empty_root(),
            Some(last) => iter.fold(*last, |acc, left| node_hash(left, &acc)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn leaves(n: usize) -> Vec<Hash> {
        (0..n)
            .map(|i| leaf_hash(format!("entry {i}").as_bytes()))
            .collect()
    }

    /// Hand-built tree of three entries a, b, c:
    ///
    /// ```text
    ///        root = H(1 ‖ H(1 ‖ a ‖ b) ‖ c)
    ///        /                 \
    ///   H(1 ‖ a ‖ b)            c
    ///    /     \
    ///   a       b
    /// ```
    #[test]
    fn a_three_entry_tree_hashes_as_drawn_in_rfc_6962() {
        let l = leaves(3);
        let ab = node_hash(&l[0], &l[1]);
        let expected = node_hash(&ab, &l[2]);
        assert_eq!(root_of(&l), expected);
        assert_eq!(Frontier::from_leaves(&l).root(), expected);
    }

    #[test]
    fn leaf_and_node_hashes_use_the_rfc_prefixes() {
        // SHA-256 of the single byte 0x00 (an empty leaf).
        assert_eq!(
            leaf_hash(b"").to_string(),
            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"
        );
        assert_eq!(
            empty_root().to_string(),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        let a = leaf_hash(b"a");
        let b = leaf_hash(b"b");
        let mut manual = Sha256::new();
        manual.update([1u8]);
        manual.update(a.0);
        manual.update(b.0);
        assert_eq!(node_hash(&a, &b).0, <[u8; 32]>::from(manual.finalize()));
    }

    /// The seven-leaf example of RFC 6962 §2.1.3: leaves a–f and j, inner nodes
    /// g = H(a,b), h = H(c,d), i = H(e,f), k = H(g,h), l = H(i,j). The RFC gives the audit
    /// paths of a as [b, h, l], of d as [c, g, l], of e as [f, j, k] and of j as [i, k].
    #[test]
    fn audit_paths_match_the_rfc_6962_seven_leaf_example() {
        let d = leaves(7);
        let g = node_hash(&d[0], &d[1]);
        let h = node_hash(&d[2], &d[3]);
        let i = node_hash(&d[4], &d[5]);
        let j = d[6];
        let k = node_hash(&g, &h);
        let l = node_hash(&i, &j);
        let root = node_hash(&k, &l);
        assert_eq!(root_of(&d), root);
        assert_eq!(inclusion_proof(&d, 0).unwrap(), vec![d[1], h, l]);
        assert_eq!(inclusion_proof(&d, 3).unwrap(), vec![d[2], g, l]);
        assert_eq!(inclusion_proof(&d, 4).unwrap(), vec![d[5], j, k]);
        assert_eq!(inclusion_proof(&d, 6).unwrap(), vec![i, k]);
    }

    /// The same example's consistency proofs, as the RFC lists them: from 3 entries
    /// [c, d, g, l], from 4 entries [l], from 6 entries [i, j, k].
    #[test]
    fn consistency_proofs_match_the_rfc_6962_seven_leaf_example() {
        let d = leaves(7);
        let g = node_hash(&d[0], &d[1]);
        let h = node_hash(&d[2], &d[3]);
        let i = node_hash(&d[4], &d[5]);
        let j = d[6];
        let k = node_hash(&g, &h);
        let l = node_hash(&i, &j);
        assert_eq!(consistency_proof(&d, 3).unwrap(), vec![d[2], d[3], g, l]);
        assert_eq!(consistency_proof(&d, 4).unwrap(), vec![l]);
        assert_eq!(consistency_proof(&d, 6).unwrap(), vec![i, j, k]);
    }

    #[test]
    fn every_inclusion_proof_verifies_and_a_wrong_leaf_does_not() {
        for n in 1..=33u64 {
            let l = leaves(n as usize);
            let root = root_of(&l);
            for m in 0..n {
                let path = inclusion_proof(&l, m).unwrap();
                assert_eq!(path.len(), inclusion_path_len(m, n));
                verify_inclusion(&l[m as usize], m, n, &path, &root).unwrap();
                let other = leaf_hash(b"forged");
                assert!(verify_inclusion(&other, m, n, &path, &root).is_err());
                if n > 1 {
                    let wrong_index = (m + 1) % n;
                    if inclusion_path_len(wrong_index, n) == path.len() {
                        assert!(
                            verify_inclusion(&l[m as usize], wrong_index, n, &path, &root).is_err()
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn every_consistency_proof_verifies_and_a_changed_history_does_not() {
        for n in 1..=33u64 {
            let l = leaves(n as usize);
            let new_root = root_of(&l);
            for m in 1..=n {
                let old_root = root_of(&l[..m as usize]);
                let proof = consistency_proof(&l, m).unwrap();
                if m < n {
                    assert_eq!(proof.len(), consistency_proof_len(m, n), "m={m} n={n}");
                }
                verify_consistency(m, n, &old_root, &new_root, &proof).unwrap();
                // A history where entry 0 was different is not a prefix.
                let mut changed = l[..m as usize].to_vec();
                changed[0] = leaf_hash(b"rewritten");
                let forged_old = root_of(&changed);
                assert!(verify_consistency(m, n, &forged_old, &new_root, &proof).is_err());
            }
        }
    }

    #[test]
    fn a_truncated_proof_is_refused_not_panicked_on() {
        let l = leaves(7);
        let root = root_of(&l);
        let mut path = inclusion_proof(&l, 2).unwrap();
        path.pop();
        assert!(matches!(
            verify_inclusion(&l[2], 2, 7, &path, &root),
            Err(ProofError::WrongLength { .. })
        ));
        let mut cons = consistency_proof(&l, 3).unwrap();
        cons.truncate(1);
        assert!(verify_consistency(3, 7, &root_of(&l[..3]), &root, &cons).is_err());
        assert!(verify_consistency(3, 7, &root_of(&l[..3]), &root, &[]).is_err());
    }

    #[test]
    fn the_frontier_gives_the_same_head_as_hashing_from_scratch_at_every_size() {
        let l = leaves(200);
        let mut f = Frontier::new();
        assert_eq!(f.root(), empty_root());
        for (i, leaf) in l.iter().enumerate() {
            f.push(*leaf);
            assert_eq!(f.size(), i as u64 + 1);
            assert_eq!(f.nodes().len(), (i + 1).count_ones() as usize);
            assert_eq!(f.root(), root_of(&l[..=i]), "size {}", i + 1);
        }
    }

    #[test]
    fn a_frontier_with_the_wrong_number_of_nodes_is_refused() {
        let err = Frontier::from_parts(5, vec![leaf_hash(b"x")]).unwrap_err();
        assert_eq!(err.expected, 2);
        let f = Frontier::from_leaves(&leaves(5));
        assert_eq!(
            Frontier::from_parts(5, f.nodes().to_vec()).unwrap().root(),
            f.root()
        );
    }
}
