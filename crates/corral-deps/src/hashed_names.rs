//! Sorted tables of name hashes: exact lookups over the popular list without a map of strings.
//!
//! The popular list and the typosquat detector answer "which popular names have this key?"
//! for several kinds of key (the name itself, a one-letter deletion of it, its skeleton…).
//! Each answer comes from one sorted vector of `(64-bit hash of the key, index of the popular
//! name)`. Such a vector is built without allocating a string per key, probed with a binary
//! search, and is a flat array of fixed-size pairs, so the typosquat index can be written to
//! the data directory and read back without rebuilding anything (see `typosquat_cache`).
//! A hash collision can only add a candidate: every caller confirms a candidate by comparing
//! the real names before using it.
//!
//! The hash is part of the on-disk format of the typosquat index: changing it means bumping
//! `typosquat_cache::FORMAT_VERSION`.

/// A fast non-cryptographic hash of the concatenation of `parts` (FxHash's mixing step).
pub(crate) fn hash_parts(parts: [&[u8]; 2]) -> u64 {
    const K: u64 = 0x517c_c1b7_2722_0a95;
    let mut h: u64 = 0;
    for part in parts {
        for &b in part {
            h = (h.rotate_left(5) ^ u64::from(b)).wrapping_mul(K);
        }
    }
    h
}

/// The hash of a whole name (or any other key string).
pub(crate) fn name_hash(name: &str) -> u64 {
    hash_parts([name.as_bytes(), b""])
}

/// Hashes of `name` without each of its characters in turn, without building the strings.
pub(crate) fn deletion_hashes(name: &str) -> impl Iterator<Item = u64> + '_ {
    let bytes = name.as_bytes();
    name.char_indices()
        .map(move |(i, c)| hash_parts([&bytes[..i], &bytes[i + c.len_utf8()..]]))
}

/// `(key hash, index)` pairs, sorted and without duplicates.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct HashTable(Vec<(u64, u32)>);

impl HashTable {
    /// Sorts and deduplicates `pairs`.
    pub(crate) fn from_pairs(mut pairs: Vec<(u64, u32)>) -> Self {
        pairs.sort_unstable();
        pairs.dedup();
        Self(pairs)
    }

    /// Takes pairs read back from disk, refusing them unless they are strictly increasing
    /// (a binary search over unsorted pairs would silently miss names) and every index is
    /// below `len`.
    pub(crate) fn from_sorted(pairs: Vec<(u64, u32)>, len: usize) -> Result<Self, String> {
        if let Some(w) = pairs.windows(2).find(|w| w[0] >= w[1]) {
            return Err(format!("a table is not sorted at hash {:#x}", w[1].0));
        }
        if let Some((_, i)) = pairs.iter().find(|(_, i)| *i as usize >= len) {
            return Err(format!(
                "a table points at name {i}, but only {len} names are stored"
            ));
        }
        Ok(Self(pairs))
    }

    /// Indices stored under `key`.
    pub(crate) fn get(&self, key: u64) -> impl Iterator<Item = u32> + '_ {
        let start = self.0.partition_point(|(h, _)| *h < key);
        self.0[start..]
            .iter()
            .take_while(move |(h, _)| *h == key)
            .map(|(_, i)| *i)
    }

    pub(crate) fn pairs(&self) -> &[(u64, u32)] {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deletion_hashes_equal_the_hashes_of_the_shortened_names() {
        let got: Vec<u64> = deletion_hashes("abc").collect();
        assert_eq!(got, [name_hash("bc"), name_hash("ac"), name_hash("ab")]);
    }

    #[test]
    fn a_table_finds_every_index_stored_under_a_key_and_nothing_else() {
        let table = HashTable::from_pairs(vec![(7, 2), (3, 1), (7, 0), (7, 2)]);
        assert_eq!(table.get(7).collect::<Vec<_>>(), [0, 2]);
        assert_eq!(table.get(3).collect::<Vec<_>>(), [1]);
        assert_eq!(table.get(5).count(), 0);
    }

    #[test]
    fn tables_read_back_must_be_sorted_and_point_inside_the_list() {
        assert!(HashTable::from_sorted(vec![(1, 0), (2, 1)], 2).is_ok());
        let unsorted = HashTable::from_sorted(vec![(2, 0), (1, 1)], 2).unwrap_err();
        assert!(unsorted.contains("not sorted"), "{unsorted}");
        let outside = HashTable::from_sorted(vec![(1, 5)], 2).unwrap_err();
        assert!(outside.contains("only 2 names"), "{outside}");
    }
}
