//! The package-index snapshot: which names exist in an ecosystem, and when they (or their
//! versions) were first published.
//!
//! A dependency on a name the index does not have is the signature of a hallucinated package:
//! nothing installs today, and anyone can register the name tomorrow. The snapshot is an `fst`
//! set of normalised names (a million names in a few megabytes, looked up in well under a
//! microsecond), stored as `<data dir>/index/<ecosystem>.fst`. Release dates, when known,
//! live in a companion `fst` map from `name` (first release of the project) or `name\0version`
//! (that release) to days since 1970-01-01, so the age check costs one more lookup.
//!
//! Snapshots come from `corral db update` (the configured index's project list) or from
//! `corral db import-names`, which reads one name per line, optionally followed by a tab and
//! the first-release date, or by a tab, a version, a tab and that version's release date.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDate, Utc};
use corral_model::Ecosystem;
use serde::{Deserialize, Serialize};

use crate::advisory::StoreError;
use crate::name;

/// What is known about one ecosystem's snapshot.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndexStatus {
    pub ecosystem: Ecosystem,
    pub imported_at: DateTime<Utc>,
    pub source: String,
    pub names: usize,
    /// How many release dates (project or version) are known.
    pub dates: usize,
}

struct Snapshot {
    names: fst::Set<Vec<u8>>,
    dates: Option<fst::Map<Vec<u8>>>,
    status: IndexStatus,
}

/// The opened snapshots (possibly none).
#[derive(Default)]
pub struct PackageIndex {
    snapshots: BTreeMap<Ecosystem, Snapshot>,
}

impl std::fmt::Debug for PackageIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PackageIndex")
            .field("snapshots", &self.status())
            .finish()
    }
}

/// The snapshot directory inside a data directory.
pub fn index_dir(data_dir: &Path) -> PathBuf {
    data_dir.join("index")
}

fn file_stem(ecosystem: Ecosystem) -> &'static str {
    ecosystem.purl_type()
}

fn corrupt(path: &Path, reason: impl ToString) -> StoreError {
    StoreError::Corrupt {
        path: path.to_path_buf(),
        reason: reason.to_string(),
    }
}

fn io(path: &Path, source: std::io::Error) -> StoreError {
    StoreError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Days since 1970-01-01 for `date`.
fn days(date: NaiveDate) -> u64 {
    (date - NaiveDate::default()).num_days().max(0) as u64
}

impl PackageIndex {
    /// Opens the snapshots under `data_dir`; ecosystems never imported are absent.
    pub fn open(data_dir: &Path) -> Result<Self, StoreError> {
        let mut index = PackageIndex::default();
        for ecosystem in [Ecosystem::PyPI, Ecosystem::Npm] {
            let dir = index_dir(data_dir);
            let meta_path = dir.join(format!("{}.json", file_stem(ecosystem)));
            if !meta_path.is_file() {
                continue;
            }
            let meta = std::fs::read(&meta_path).map_err(|e| io(&meta_path, e))?;
            let status: IndexStatus =
                serde_json::from_slice(&meta).map_err(|e| corrupt(&meta_path, e))?;
            let set_path = dir.join(format!("{}.fst", file_stem(ecosystem)));
            let bytes = std::fs::read(&set_path).map_err(|e| io(&set_path, e))?;
            let names = fst::Set::new(bytes).map_err(|e| corrupt(&set_path, e))?;
            let dates_path = dir.join(format!("{}-dates.fst", file_stem(ecosystem)));
            let dates = if dates_path.is_file() {
                let bytes = std::fs::read(&dates_path).map_err(|e| io(&dates_path, e))?;
                Some(fst::Map::new(bytes).map_err(|e| corrupt(&dates_path, e))?)
            } else {
                None
            };
            index.snapshots.insert(
                ecosystem,
                Snapshot {
                    names,
                    dates,
                    status,
                },
            );
        }
        Ok(index)
    }

    /// Builds an in-memory snapshot (tests and benchmarks).
    pub fn from_names<I, S>(ecosystem: Ecosystem, names: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let mut sorted: Vec<String> = names
            .into_iter()
            .map(|n| name::normalize(ecosystem, n.as_ref()))
            .collect();
        sorted.sort_unstable();
        sorted.dedup();
        let count = sorted.len();
        let names = fst::Set::from_iter(sorted).expect("sorted, deduplicated names build a set");
        let mut index = PackageIndex::default();
        index.snapshots.insert(
            ecosystem,
            Snapshot {
                names,
                dates: None,
                status: IndexStatus {
                    ecosystem,
                    imported_at: Utc::now(),
                    source: "memory".into(),
                    names: count,
                    dates: 0,
                },
            },
        );
        index
    }

    pub fn status(&self) -> Vec<IndexStatus> {
        self.snapshots.values().map(|s| s.status.clone()).collect()
    }

    /// Whether a snapshot exists for `ecosystem`.
    pub fn has(&self, ecosystem: Ecosystem) -> bool {
        self.snapshots.contains_key(&ecosystem)
    }

    /// `Some(true/false)` when a snapshot exists, `None` when existence cannot be checked.
    pub fn contains(&self, ecosystem: Ecosystem, normalized: &str) -> Option<bool> {
        self.snapshots
            .get(&ecosystem)
            .map(|s| s.names.contains(normalized))
    }

    /// When the project was first published, if known.
    pub fn first_release(&self, ecosystem: Ecosystem, normalized: &str) -> Option<NaiveDate> {
        self.date(ecosystem, normalized.as_bytes())
    }

    /// When a version was published, if known.
    pub fn version_release(
        &self,
        ecosystem: Ecosystem,
        normalized: &str,
        version: &str,
    ) -> Option<NaiveDate> {
        let key = version_key(ecosystem, normalized, version);
        self.date(ecosystem, key.as_bytes())
    }

    fn date(&self, ecosystem: Ecosystem, key: &[u8]) -> Option<NaiveDate> {
        let days = self.snapshots.get(&ecosystem)?.dates.as_ref()?.get(key)?;
        NaiveDate::default().checked_add_days(chrono::Days::new(days))
    }
}

/// Names and dates read from a names file.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct NameList {
    pub names: Vec<String>,
    /// (key, date): key is `name` or `name\0version`, normalised.
    pub dates: Vec<(String, NaiveDate)>,
    /// Lines that could not be read: (line, reason).
    pub problems: Vec<(u32, String)>,
}

/// The dates key of one version: the normalised name and the version in its canonical
/// spelling, so a names file's `2.0.0-RC1` and a lockfile's `2.0.0rc1` meet.
fn version_key(ecosystem: Ecosystem, normalized: &str, version: &str) -> String {
    let version = version.trim();
    let canonical = crate::version::Version::parse(ecosystem, version)
        .map_or_else(|| version.to_string(), |v| v.to_string());
    format!("{normalized}\0{canonical}")
}

fn parse_date(text: &str) -> Option<NaiveDate> {
    let text = text.trim();
    NaiveDate::parse_from_str(text.get(..10)?, "%Y-%m-%d").ok()
}

/// Reads a names file: `name`, `name<TAB>first-release-date` or
/// `name<TAB>version<TAB>release-date` per line; `#` starts a comment line.
pub fn parse_name_list(ecosystem: Ecosystem, text: &str) -> NameList {
    let mut list = NameList::default();
    for (i, line) in text.lines().enumerate() {
        let line_no = i as u32 + 1;
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let fields: Vec<&str> = line.split('\t').collect();
        let raw = fields[0].trim();
        if !name::is_plausible(ecosystem, raw) {
            list.problems.push((
                line_no,
                format!("`{raw}` is not a valid {ecosystem} package name"),
            ));
            continue;
        }
        let normalized = name::normalize(ecosystem, raw);
        let date = match fields.as_slice() {
            [_, date] => Some((normalized.clone(), *date)),
            [_, version, date, ..] => Some((version_key(ecosystem, &normalized, version), *date)),
            _ => None,
        };
        if let Some((key, date)) = date {
            match parse_date(date) {
                Some(d) => list.dates.push((key, d)),
                None => {
                    list.problems
                        .push((line_no, format!("`{date}` is not a date (YYYY-MM-DD)")));
                    continue;
                }
            }
        }
        list.names.push(normalized);
    }
    list
}

/// Writes a snapshot for `ecosystem`, replacing the previous one.
pub fn write_snapshot(
    data_dir: &Path,
    ecosystem: Ecosystem,
    mut list: NameList,
    source: &str,
    imported_at: DateTime<Utc>,
) -> Result<IndexStatus, StoreError> {
    let dir = index_dir(data_dir);
    std::fs::create_dir_all(&dir).map_err(|e| io(&dir, e))?;
    list.names.sort_unstable();
    list.names.dedup();
    let stem = file_stem(ecosystem);
    let set_path = dir.join(format!("{stem}.fst"));
    let tmp = dir.join(format!(".{stem}.fst.tmp"));
    let set = fst::Set::from_iter(list.names.iter()).map_err(|e| corrupt(&set_path, e))?;
    std::fs::write(&tmp, set.as_fst().as_bytes()).map_err(|e| io(&tmp, e))?;
    std::fs::rename(&tmp, &set_path).map_err(|e| io(&set_path, e))?;

    // For each key keep the earliest date.
    list.dates.sort();
    list.dates.dedup_by(|a, b| a.0 == b.0);
    let dates_path = dir.join(format!("{stem}-dates.fst"));
    if list.dates.is_empty() {
        if dates_path.exists() {
            std::fs::remove_file(&dates_path).map_err(|e| io(&dates_path, e))?;
        }
    } else {
        let map = fst::Map::from_iter(list.dates.iter().map(|(k, d)| (k.as_bytes(), days(*d))))
            .map_err(|e| corrupt(&dates_path, e))?;
        std::fs::write(&tmp, map.as_fst().as_bytes()).map_err(|e| io(&tmp, e))?;
        std::fs::rename(&tmp, &dates_path).map_err(|e| io(&dates_path, e))?;
    }
    let status = IndexStatus {
        ecosystem,
        imported_at,
        source: source.to_string(),
        names: list.names.len(),
        dates: list.dates.len(),
    };
    let meta_path = dir.join(format!("{stem}.json"));
    std::fs::write(
        &meta_path,
        serde_json::to_vec_pretty(&status).expect("status always serialises"),
    )
    .map_err(|e| io(&meta_path, e))?;
    Ok(status)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn imported_names_are_found_in_any_spelling_and_others_are_not() {
        let dir = tempfile::tempdir().unwrap();
        let list = parse_name_list(
            Ecosystem::PyPI,
            "# snapshot\nrequests\nPyYAML\t2006-05-01\nDjango_Rest.Framework\nflask\t3.0.0\t2023-09-30\n",
        );
        assert!(list.problems.is_empty(), "{:?}", list.problems);
        let status =
            write_snapshot(dir.path(), Ecosystem::PyPI, list, "names.txt", Utc::now()).unwrap();
        assert_eq!((status.names, status.dates), (4, 2));
        let index = PackageIndex::open(dir.path()).unwrap();
        assert_eq!(index.contains(Ecosystem::PyPI, "pyyaml"), Some(true));
        assert_eq!(
            index.contains(Ecosystem::PyPI, "django-rest-framework"),
            Some(true)
        );
        assert_eq!(index.contains(Ecosystem::PyPI, "reqeusts"), Some(false));
        assert_eq!(index.contains(Ecosystem::Npm, "requests"), None);
        assert_eq!(
            index.first_release(Ecosystem::PyPI, "pyyaml"),
            NaiveDate::from_ymd_opt(2006, 5, 1)
        );
        assert_eq!(
            index.version_release(Ecosystem::PyPI, "flask", "3.0.0"),
            NaiveDate::from_ymd_opt(2023, 9, 30)
        );
    }

    #[test]
    fn bad_lines_are_reported_with_their_number() {
        let list = parse_name_list(Ecosystem::Npm, "left-pad\nhas space\nx\tnot-a-date\n");
        assert_eq!(list.names, ["left-pad"]);
        assert_eq!(
            list.problems.iter().map(|p| p.0).collect::<Vec<_>>(),
            [2, 3]
        );
    }
}
