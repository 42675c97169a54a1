//! The most-downloaded packages of each ecosystem: the names typosquatters imitate.
//!
//! A default list (10,000 names per ecosystem with their download rank) ships in `data/`,
//! derived from public download rankings; `corral db update` replaces it with a fresher list
//! when one is configured (`<data dir>/popular/<ecosystem>.tsv`, same `rank<TAB>name` format).
//! Being on this list is also what makes a name *legitimate* for the typosquat check: popular
//! packages are never reported as imitations of each other.

use std::collections::HashSet;
use std::path::Path;

use corral_model::Ecosystem;

use crate::hashed_names::{HashTable, name_hash};
use crate::name;

/// Popular names of one ecosystem, with their ranks (1 = most downloaded).
#[derive(Debug, Clone, Default)]
pub struct PopularList {
    /// (normalised name, rank), best rank first.
    pub entries: Vec<(String, u32)>,
    /// Hash of each name → its index in `entries`: rank lookups without a map of strings,
    /// so a list read back from the typosquat index file costs no rehashing into a map.
    by_name: HashTable,
}

impl PopularList {
    /// A list from entries that are already normalised, sorted by rank and unique.
    pub(crate) fn from_ranked(entries: Vec<(String, u32)>) -> Self {
        let by_name = HashTable::from_pairs(
            entries
                .iter()
                .enumerate()
                .map(|(i, (n, _))| (name_hash(n), i as u32))
                .collect(),
        );
        Self { entries, by_name }
    }

    /// Parses `rank<TAB>name` lines (comments with `#`). Malformed lines are skipped.
    pub fn parse(ecosystem: Ecosystem, text: &str) -> Self {
        let mut entries: Vec<(String, u32)> = text
            .lines()
            .filter(|l| !l.starts_with('#'))
            .filter_map(|l| {
                let (rank, n) = l.split_once('\t')?;
                let n = n.trim();
                name::is_plausible(ecosystem, n)
                    .then(|| Some((name::normalize(ecosystem, n), rank.trim().parse().ok()?)))?
            })
            .collect();
        // Best rank first; a name listed twice keeps its best rank.
        entries.sort_by_key(|(_, rank)| *rank);
        let mut seen = HashSet::with_capacity(entries.len());
        entries.retain(|(n, _)| seen.insert(n.clone()));
        Self::from_ranked(entries)
    }

    /// The text of the list shipped with Corral.
    pub fn shipped_text(ecosystem: Ecosystem) -> &'static str {
        match ecosystem {
            Ecosystem::PyPI => include_str!("../data/popular-pypi.tsv"),
            Ecosystem::Npm => include_str!("../data/popular-npm.tsv"),
        }
    }

    /// The list shipped with Corral.
    pub fn shipped(ecosystem: Ecosystem) -> Self {
        Self::parse(ecosystem, Self::shipped_text(ecosystem))
    }

    /// The refreshed list in `data_dir` if `db update` wrote one, else the shipped list.
    pub fn load(data_dir: Option<&Path>, ecosystem: Ecosystem) -> Self {
        let refreshed = data_dir.map(|dir| popular_path(dir, ecosystem));
        let text = refreshed
            .as_deref()
            .and_then(|path| std::fs::read_to_string(path).ok());
        Self::from_refreshed(ecosystem, refreshed.as_deref(), text.as_deref())
    }

    /// The list parsed from `text` (the refreshed list read from `path`), or the shipped list
    /// when there is none or it holds no names.
    pub(crate) fn from_refreshed(
        ecosystem: Ecosystem,
        path: Option<&Path>,
        text: Option<&str>,
    ) -> Self {
        if let Some(text) = text {
            let list = Self::parse(ecosystem, text);
            if !list.entries.is_empty() {
                return list;
            }
            tracing::warn!(
                path = %path.map(|p| p.display().to_string()).unwrap_or_default(),
                "the refreshed popular list is empty; using the shipped one"
            );
        }
        Self::shipped(ecosystem)
    }

    /// The rank of a normalised name, if popular.
    pub fn rank(&self, normalized: &str) -> Option<u32> {
        self.index_of(normalized)
            .map(|i| self.entries[i as usize].1)
    }

    /// The position of a normalised name in `entries`, if popular.
    pub(crate) fn index_of(&self, normalized: &str) -> Option<u32> {
        self.by_name
            .get(name_hash(normalized))
            .find(|&i| self.entries[i as usize].0 == normalized)
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// Where a refreshed list for `ecosystem` lives.
pub fn popular_path(data_dir: &Path, ecosystem: Ecosystem) -> std::path::PathBuf {
    data_dir
        .join("popular")
        .join(format!("{}.tsv", ecosystem.purl_type()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_lists_rank_the_best_known_packages_first() {
        let py = PopularList::shipped(Ecosystem::PyPI);
        assert!(py.len() >= 5_000);
        assert!(py.rank("requests").unwrap() < 50);
        assert!(py.rank("python-dateutil").is_some());
        let npm = PopularList::shipped(Ecosystem::Npm);
        assert!(npm.rank("react").unwrap() < 500);
        assert!(npm.rank("@babel/core").is_some());
    }

    #[test]
    fn malformed_lines_are_skipped_and_duplicates_keep_the_best_rank() {
        let list = PopularList::parse(Ecosystem::PyPI, "# c\n2\tFoo_Bar\nx\ty\n1\tfoo-bar\n3\tz\n");
        assert_eq!(
            list.entries,
            [("foo-bar".to_string(), 1), ("z".to_string(), 3)]
        );
    }
}
