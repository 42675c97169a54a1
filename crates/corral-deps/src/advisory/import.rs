//! Reading OSV records in bulk: a per-ecosystem `all.zip` export, or a directory of OSV
//! JSON/YAML files (zip archives inside a directory are read too).
//!
//! A record that does not parse is reported with the file it came from and the rest are
//! imported: one bad record in a 20,000-record export must not cost the other 19,999.
//! Withdrawn records are dropped here, so nothing downstream can match them.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;

use chrono::{DateTime, Utc};
use corral_model::Ecosystem;

use super::record::{Advisory, OsvRecord};
use super::store::{AdvisoryDb, EcosystemStatus, StoreError};

/// A file or archive entry that could not be imported, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportProblem {
    /// The file (or `archive.zip!entry.json`).
    pub file: String,
    pub reason: String,
}

/// What an import did.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportSummary {
    /// Records read (before dropping withdrawn ones).
    pub records: usize,
    pub withdrawn: usize,
    /// Records about ecosystems Corral does not check.
    pub other_ecosystems: usize,
    pub problems: Vec<ImportProblem>,
    /// The resulting state of each ecosystem written.
    pub written: Vec<EcosystemStatus>,
}

/// Refuse single records bigger than this: no real OSV record comes close.
const MAX_RECORD_BYTES: u64 = 32 * 1024 * 1024;

/// Reads every OSV record under `path` (a zip file, a JSON/YAML file or a directory).
pub fn read_records(path: &Path) -> (Vec<OsvRecord>, Vec<ImportProblem>) {
    let mut records = Vec::new();
    let mut problems = Vec::new();
    read_path(path, &mut records, &mut problems);
    (records, problems)
}

fn read_path(path: &Path, records: &mut Vec<OsvRecord>, problems: &mut Vec<ImportProblem>) {
    let shown = path.display().to_string();
    if path.is_dir() {
        let mut entries: Vec<_> = match std::fs::read_dir(path) {
            Ok(entries) => entries.filter_map(Result::ok).map(|e| e.path()).collect(),
            Err(e) => {
                problems.push(ImportProblem {
                    file: shown,
                    reason: e.to_string(),
                });
                return;
            }
        };
        entries.sort();
        for entry in entries {
            let is_record = entry
                .extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| matches!(e, "json" | "yaml" | "yml" | "zip"));
            if entry.is_dir() || is_record {
                read_path(&entry, records, problems);
            }
        }
        return;
    }
    let extension = path.extension().and_then(|e| e.to_str()).unwrap_or("");
    if extension == "zip" {
        read_zip(path, records, problems);
        return;
    }
    match std::fs::read(path) {
        Ok(bytes) => parse_one(&shown, extension, &bytes, records, problems),
        Err(e) => problems.push(ImportProblem {
            file: shown,
            reason: e.to_string(),
        }),
    }
}

fn read_zip(path: &Path, records: &mut Vec<OsvRecord>, problems: &mut Vec<ImportProblem>) {
    let shown = path.display().to_string();
    let archive = std::fs::File::open(path)
        .map_err(|e| e.to_string())
        .and_then(|f| zip::ZipArchive::new(std::io::BufReader::new(f)).map_err(|e| e.to_string()));
    let mut archive = match archive {
        Ok(a) => a,
        Err(reason) => {
            problems.push(ImportProblem {
                file: shown,
                reason: format!("not a readable zip archive: {reason}"),
            });
            return;
        }
    };
    let mut buf = Vec::new();
    for i in 0..archive.len() {
        let mut entry = match archive.by_index(i) {
            Ok(e) => e,
            Err(e) => {
                problems.push(ImportProblem {
                    file: format!("{shown}!#{i}"),
                    reason: e.to_string(),
                });
                continue;
            }
        };
        if entry.is_dir() {
            continue;
        }
        let name = entry.name().to_string();
        let extension = name.rsplit('.').next().unwrap_or("").to_string();
        if !matches!(extension.as_str(), "json" | "yaml" | "yml") {
            continue;
        }
        let file = format!("{shown}!{name}");
        if entry.size() > MAX_RECORD_BYTES {
            problems.push(ImportProblem {
                file,
                reason: format!("{} bytes is too large for an OSV record", entry.size()),
            });
            continue;
        }
        buf.clear();
        if let Err(e) = (&mut entry).take(MAX_RECORD_BYTES).read_to_end(&mut buf) {
            problems.push(ImportProblem {
                file,
                reason: e.to_string(),
            });
            continue;
        }
        parse_one(&file, &extension, &buf, records, problems);
    }
}

fn parse_one(
    file: &str,
    extension: &str,
    bytes: &[u8],
    records: &mut Vec<OsvRecord>,
    problems: &mut Vec<ImportProblem>,
) {
    let parsed = if matches!(extension, "yaml" | "yml") {
        serde_yaml_ng::from_slice::<OsvRecord>(bytes).map_err(|e| e.to_string())
    } else {
        serde_json::from_slice::<OsvRecord>(bytes).map_err(|e| e.to_string())
    };
    match parsed {
        Ok(record) => records.push(record),
        Err(reason) => problems.push(ImportProblem {
            file: file.to_string(),
            reason: format!("not an OSV record: {reason}"),
        }),
    }
}

/// Imports the records under `path` into the database in `data_dir`.
///
/// Each ecosystem present in the import is replaced by what the import holds, unless `merge`
/// is set, in which case the import's records are added to (and, by id, replace) the ones
/// already stored: use that for an organisation's own advisories next to the public set.
/// When merging, a withdrawn record removes the stored record with its id.
pub fn import_into(
    data_dir: &Path,
    path: &Path,
    merge: bool,
    now: DateTime<Utc>,
) -> Result<ImportSummary, StoreError> {
    let (records, problems) = read_records(path);
    let source = path.display().to_string();
    import_records(data_dir, records, problems, &source, merge, now)
}

/// Imports already-read records (used by `import_into` and by downloads).
pub fn import_records(
    data_dir: &Path,
    records: Vec<OsvRecord>,
    problems: Vec<ImportProblem>,
    source: &str,
    merge: bool,
    now: DateTime<Utc>,
) -> Result<ImportSummary, StoreError> {
    let mut summary = ImportSummary {
        records: records.len(),
        withdrawn: 0,
        other_ecosystems: 0,
        problems,
        written: Vec::new(),
    };
    let mut by_ecosystem: BTreeMap<Ecosystem, BTreeMap<String, Vec<Advisory>>> = BTreeMap::new();
    let mut withdrawn: BTreeMap<Ecosystem, Vec<String>> = BTreeMap::new();
    for record in records {
        if record.is_withdrawn() {
            summary.withdrawn += 1;
            if merge {
                for (ecosystem, _, _) in record.split() {
                    withdrawn
                        .entry(ecosystem)
                        .or_default()
                        .push(record.id.clone());
                    by_ecosystem.entry(ecosystem).or_default();
                }
            }
            continue;
        }
        let split = record.split();
        if split.is_empty() {
            summary.other_ecosystems += 1;
        }
        for (ecosystem, name, advisory) in split {
            by_ecosystem
                .entry(ecosystem)
                .or_default()
                .entry(name)
                .or_default()
                .push(advisory);
        }
    }
    let existing = if merge {
        Some(AdvisoryDb::open(data_dir)?)
    } else {
        None
    };
    for (ecosystem, mut packages) in by_ecosystem {
        if let Some(db) = &existing {
            let mut all = db.all(ecosystem)?;
            let gone = withdrawn.get(&ecosystem).map(Vec::as_slice).unwrap_or(&[]);
            for list in all.values_mut() {
                list.retain(|old| !gone.contains(&old.id));
            }
            for (name, fresh) in std::mem::take(&mut packages) {
                let list = all.entry(name).or_default();
                list.retain(|old| fresh.iter().all(|f| f.id != old.id));
                list.extend(fresh);
            }
            all.retain(|_, list| !list.is_empty());
            packages = all;
        }
        for list in packages.values_mut() {
            list.sort_by(|a, b| a.id.cmp(&b.id));
            list.dedup_by(|a, b| a.id == b.id);
        }
        summary.written.push(AdvisoryDb::write(
            data_dir, ecosystem, &packages, source, now,
        )?);
    }
    Ok(summary)
}
