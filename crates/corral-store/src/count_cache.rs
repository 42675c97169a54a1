//! Remembered totals for filtered asset lists.
//!
//! A list page answers "50 of how many?". Counting the matches exactly costs time in proportion
//! to how many there are: about a millisecond per 40,000 index entries on SQLite, far more when
//! the filters need the table rows. At hundreds of list requests a second over a large
//! registry, the counts would cost more than the pages themselves, and they are the same
//! numbers over and over: the registry changes far less often than it is read.
//!
//! So totals are cached per filter, tagged with the audit log's size at the time of
//! counting. Every change to the registry commits together with its audit entries (a
//! [`WriteTx`](crate::WriteTx) without one is refused), so the log's size is a change counter
//! that every process writing to the database bumps, including other replicas on the same
//! PostgreSQL database and a CLI writing to the same SQLite file. A cached total is used only
//! while the log is still the size it was tagged with; reading that size is a one-row lookup.
//!
//! The size is read *before* counting. A change that commits between the two makes the
//! cached total newer than its tag, never older, and the next request sees a larger log and
//! counts again.

use std::collections::HashMap;
use std::sync::Mutex;

/// Distinct filters remembered at once; plenty for a console's saved views and paging.
const CAPACITY: usize = 1024;

/// Totals by filter key, each tagged with the audit log size it was counted at.
#[derive(Debug, Default)]
pub struct CountCache {
    totals: Mutex<HashMap<String, (u64, u64)>>,
}

impl CountCache {
    /// The total remembered for `key`, if it was counted when the log had `generation` entries.
    pub fn get(&self, key: &str, generation: u64) -> Option<u64> {
        let totals = self.totals.lock().unwrap_or_else(|e| e.into_inner());
        match totals.get(key) {
            Some(&(tagged, total)) if tagged == generation => Some(total),
            _ => None,
        }
    }

    /// Remembers `total` for `key` at `generation`. When full, totals from older generations go
    /// first; if every entry is current, the cache starts over.
    pub fn put(&self, key: String, generation: u64, total: u64) {
        let mut totals = self.totals.lock().unwrap_or_else(|e| e.into_inner());
        if totals.len() >= CAPACITY && !totals.contains_key(&key) {
            totals.retain(|_, (tagged, _)| *tagged == generation);
            if totals.len() >= CAPACITY {
                totals.clear();
            }
        }
        totals.insert(key, (generation, total));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_total_is_served_only_at_the_generation_it_was_counted_at() {
        let cache = CountCache::default();
        cache.put("tier=2".into(), 7, 120);
        assert_eq!(cache.get("tier=2", 7), Some(120));
        assert_eq!(cache.get("tier=2", 8), None);
        assert_eq!(cache.get("tier=3", 7), None);
    }

    #[test]
    fn a_full_cache_drops_stale_totals_before_current_ones() {
        let cache = CountCache::default();
        for i in 0..CAPACITY - 1 {
            cache.put(format!("old-{i}"), 1, i as u64);
        }
        cache.put("current".into(), 2, 5);
        cache.put("newer".into(), 2, 6);
        assert_eq!(cache.get("current", 2), Some(5));
        assert_eq!(cache.get("newer", 2), Some(6));
        assert_eq!(cache.totals.lock().unwrap().len(), 2);
    }
}
