//! The local advisory database: one directory per ecosystem under `<data dir>/advisories/`.
//!
//! Each ecosystem directory holds `index.fst` (an `fst` map from normalised package name to
//! the position of that package's records), `records.json` (the records, one JSON array per
//! package, back to back) and `meta.json` (when and from what it was imported). Opening the
//! database reads only the small index; a check then reads just the byte ranges of the
//! packages it meets. That keeps "open the full PyPI advisory set and check a 1,000-package
//! lockfile" in the tens of milliseconds, where parsing every record up front would not be.
//! Writes go to a temporary directory that is renamed into place, so a crash mid-import
//! leaves the previous database intact.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use chrono::{DateTime, Utc};
use corral_model::Ecosystem;
use fst::Streamer;
use serde::{Deserialize, Serialize};

use super::record::Advisory;

/// What went wrong reading or writing the advisory database.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot access {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error(
        "the advisory index {path} is corrupt ({reason}); run `corral db import` or `corral db update` again"
    )]
    Corrupt { path: PathBuf, reason: String },
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> StoreError + '_ {
    move |source| StoreError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// What is known about one ecosystem's advisory data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EcosystemStatus {
    pub ecosystem: Ecosystem,
    pub imported_at: DateTime<Utc>,
    /// Where the records came from (a file, a directory or a URL).
    pub source: String,
    pub advisories: usize,
    pub packages: usize,
    /// How many advisories are known-malicious-package (`MAL-`) records.
    pub malicious: usize,
}

struct EcosystemDb {
    index: fst::Map<Vec<u8>>,
    records: Mutex<File>,
    records_path: PathBuf,
    status: EcosystemStatus,
}

/// The opened advisory database (possibly empty).
#[derive(Default)]
pub struct AdvisoryDb {
    ecosystems: BTreeMap<Ecosystem, EcosystemDb>,
}

impl std::fmt::Debug for AdvisoryDb {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AdvisoryDb")
            .field("ecosystems", &self.status())
            .finish()
    }
}

const ECOSYSTEMS: [Ecosystem; 2] = [Ecosystem::PyPI, Ecosystem::Npm];

/// The advisory directory inside a data directory.
pub fn advisories_dir(data_dir: &Path) -> PathBuf {
    data_dir.join("advisories")
}

impl AdvisoryDb {
    /// Opens the database under `data_dir`. Ecosystems never imported are simply absent.
    pub fn open(data_dir: &Path) -> Result<Self, StoreError> {
        let mut db = AdvisoryDb::default();
        for ecosystem in ECOSYSTEMS {
            let dir = advisories_dir(data_dir).join(ecosystem.as_str());
            let meta_path = dir.join("meta.json");
            if !meta_path.is_file() {
                continue;
            }
            let meta = std::fs::read(&meta_path).map_err(io(&meta_path))?;
            let status: EcosystemStatus =
                serde_json::from_slice(&meta).map_err(|e| StoreError::Corrupt {
                    path: meta_path.clone(),
                    reason: e.to_string(),
                })?;
            let index_path = dir.join("index.fst");
            let bytes = std::fs::read(&index_path).map_err(io(&index_path))?;
            let index = fst::Map::new(bytes).map_err(|e| StoreError::Corrupt {
                path: index_path.clone(),
                reason: e.to_string(),
            })?;
            let records_path = dir.join("records.json");
            let records = File::open(&records_path).map_err(io(&records_path))?;
            db.ecosystems.insert(
                ecosystem,
                EcosystemDb {
                    index,
                    records: Mutex::new(records),
                    records_path,
                    status,
                },
            );
        }
        Ok(db)
    }

    /// One status per imported ecosystem.
    pub fn status(&self) -> Vec<EcosystemStatus> {
        self.ecosystems.values().map(|e| e.status.clone()).collect()
    }

    /// Whether advisories for `ecosystem` were imported.
    pub fn has(&self, ecosystem: Ecosystem) -> bool {
        self.ecosystems.contains_key(&ecosystem)
    }

    /// The advisories for one package (`name` already normalised).
    pub fn lookup(&self, ecosystem: Ecosystem, name: &str) -> Result<Vec<Advisory>, StoreError> {
        let Some(db) = self.ecosystems.get(&ecosystem) else {
            return Ok(Vec::new());
        };
        let Some(packed) = db.index.get(name) else {
            return Ok(Vec::new());
        };
        let (offset, len) = (packed >> 24, (packed & 0xff_ffff) as usize);
        let mut buf = vec![0u8; len];
        {
            let mut file = db
                .records
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            file.seek(SeekFrom::Start(offset))
                .and_then(|_| file.read_exact(&mut buf))
                .map_err(io(&db.records_path))?;
        }
        serde_json::from_slice(&buf).map_err(|e| StoreError::Corrupt {
            path: db.records_path.clone(),
            reason: format!("records of `{name}`: {e}"),
        })
    }

    /// Every advisory of an ecosystem, by package (used to merge an import into it).
    pub fn all(&self, ecosystem: Ecosystem) -> Result<BTreeMap<String, Vec<Advisory>>, StoreError> {
        let mut out = BTreeMap::new();
        let Some(db) = self.ecosystems.get(&ecosystem) else {
            return Ok(out);
        };
        let mut names = Vec::new();
        let mut stream = db.index.stream();
        while let Some((key, _)) = stream.next() {
            names.push(String::from_utf8_lossy(key).into_owned());
        }
        for name in names {
            let advisories = self.lookup(ecosystem, &name)?;
            out.insert(name, advisories);
        }
        Ok(out)
    }

    /// Replaces `ecosystem`'s data under `data_dir` with `packages` (normalised name →
    /// advisories).
    pub fn write(
        data_dir: &Path,
        ecosystem: Ecosystem,
        packages: &BTreeMap<String, Vec<Advisory>>,
        source: &str,
        imported_at: DateTime<Utc>,
    ) -> Result<EcosystemStatus, StoreError> {
        let root = advisories_dir(data_dir);
        std::fs::create_dir_all(&root).map_err(io(&root))?;
        let final_dir = root.join(ecosystem.as_str());
        let tmp_dir = root.join(format!(
            ".{}.tmp-{}",
            ecosystem.as_str(),
            std::process::id()
        ));
        if tmp_dir.exists() {
            std::fs::remove_dir_all(&tmp_dir).map_err(io(&tmp_dir))?;
        }
        std::fs::create_dir_all(&tmp_dir).map_err(io(&tmp_dir))?;

        let records_path = tmp_dir.join("records.json");
        let mut records =
            std::io::BufWriter::new(File::create(&records_path).map_err(io(&records_path))?);
        let index_path = tmp_dir.join("index.fst");
        let mut index = fst::MapBuilder::new(std::io::BufWriter::new(
            File::create(&index_path).map_err(io(&index_path))?,
        ))
        .map_err(|e| StoreError::Corrupt {
            path: index_path.clone(),
            reason: e.to_string(),
        })?;
        let mut offset = 0u64;
        let (mut advisories, mut malicious) = (0, 0);
        for (name, list) in packages {
            let bytes = serde_json::to_vec(list).expect("advisories always serialise");
            if bytes.len() > 0xff_ffff {
                tracing::warn!(package = %name, "skipping a package with over 16 MiB of advisories");
                continue;
            }
            records.write_all(&bytes).map_err(io(&records_path))?;
            index
                .insert(name, (offset << 24) | bytes.len() as u64)
                .map_err(|e| StoreError::Corrupt {
                    path: index_path.clone(),
                    reason: e.to_string(),
                })?;
            offset += bytes.len() as u64;
            advisories += list.len();
            malicious += list.iter().filter(|a| a.malicious).count();
        }
        records.flush().map_err(io(&records_path))?;
        index.finish().map_err(|e| StoreError::Corrupt {
            path: index_path.clone(),
            reason: e.to_string(),
        })?;
        let status = EcosystemStatus {
            ecosystem,
            imported_at,
            source: source.to_string(),
            advisories,
            packages: packages.len(),
            malicious,
        };
        let meta_path = tmp_dir.join("meta.json");
        std::fs::write(
            &meta_path,
            serde_json::to_vec_pretty(&status).expect("status always serialises"),
        )
        .map_err(io(&meta_path))?;
        if final_dir.exists() {
            std::fs::remove_dir_all(&final_dir).map_err(io(&final_dir))?;
        }
        std::fs::rename(&tmp_dir, &final_dir).map_err(io(&final_dir))?;
        Ok(status)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::advisory::record::{Event, RangeKind, StoredRange};

    fn advisory(id: &str) -> Advisory {
        Advisory {
            id: id.into(),
            aliases: vec!["CVE-1".into()],
            summary: "s".into(),
            severity: None,
            cvss_score: None,
            cvss_vector: None,
            malicious: id.starts_with("MAL-"),
            ranges: vec![StoredRange {
                kind: RangeKind::Ecosystem,
                events: vec![Event::Introduced("0".into())],
            }],
            versions: vec![],
            modified: None,
        }
    }

    #[test]
    fn written_advisories_are_found_by_package_and_nothing_else_is() {
        let dir = tempfile::tempdir().unwrap();
        let mut packages = BTreeMap::new();
        packages.insert("aaa".to_string(), vec![advisory("A-1")]);
        packages.insert(
            "requests".to_string(),
            vec![advisory("A-2"), advisory("MAL-3")],
        );
        let status =
            AdvisoryDb::write(dir.path(), Ecosystem::PyPI, &packages, "test", Utc::now()).unwrap();
        assert_eq!(
            (status.advisories, status.packages, status.malicious),
            (3, 2, 1)
        );

        let db = AdvisoryDb::open(dir.path()).unwrap();
        let found = db.lookup(Ecosystem::PyPI, "requests").unwrap();
        assert_eq!(
            found.iter().map(|a| a.id.as_str()).collect::<Vec<_>>(),
            ["A-2", "MAL-3"]
        );
        assert!(db.lookup(Ecosystem::PyPI, "request").unwrap().is_empty());
        assert!(db.lookup(Ecosystem::Npm, "requests").unwrap().is_empty());
        assert_eq!(db.all(Ecosystem::PyPI).unwrap(), packages);
    }

    #[test]
    fn an_empty_data_directory_opens_as_an_empty_database() {
        let dir = tempfile::tempdir().unwrap();
        let db = AdvisoryDb::open(dir.path()).unwrap();
        assert!(db.status().is_empty());
        assert!(!db.has(Ecosystem::PyPI));
    }

    #[test]
    fn a_corrupt_index_is_reported_with_its_path() {
        let dir = tempfile::tempdir().unwrap();
        let packages = BTreeMap::from([("x".to_string(), vec![advisory("A")])]);
        AdvisoryDb::write(dir.path(), Ecosystem::Npm, &packages, "t", Utc::now()).unwrap();
        let index = advisories_dir(dir.path()).join("npm/index.fst");
        std::fs::write(&index, b"not an fst").unwrap();
        let err = AdvisoryDb::open(dir.path()).unwrap_err();
        assert!(err.to_string().contains("index.fst"), "{err}");
    }
}
