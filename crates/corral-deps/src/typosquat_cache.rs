//! The typosquat index on disk: built once per popular list, read back by every later scan.
//!
//! Checking one lockfile should cost milliseconds, and rebuilding the typosquat tables
//! (parse and normalise 10,000 popular names, hash 70,000 one-letter deletions, sort) cost
//! about 10 ms of a 30 ms check on an idle machine, and ~150 ms of 400 ms on a loaded one.
//! So the tables are written to `<data dir>/index/<ecosystem>-typosquat.bin`, next to the
//! name snapshot, the first time a scan needs them, and read back afterwards: one file read
//! and one pass over 1.2 MB of flat arrays, no parsing, normalising or sorting.
//!
//! **Why a file in the data directory** rather than the alternatives:
//! - *Tables computed at compile time* (a build script over the shipped lists) would cover
//!   only the shipped lists: `corral db update` replaces them with fresher ones at run time,
//!   which would still need this runtime path, and the build script would have to duplicate
//!   the normalisation and the typosquat key functions.
//! - *Building lazily* (only when a name is not itself popular) saves nothing on real
//!   projects, where nearly every lockfile holds some package outside the top 10,000.
//!
//! **Never trusted blindly.** The file starts with a header: a magic string, the format
//! version (bumped whenever the layout, the hash or the key functions in `typosquat` change),
//! the ecosystem, the target limit, a checksum of the exact popular-list text it was built
//! from, and the payload's length and checksum. Any mismatch (another format, another list,
//! a truncated or altered payload, tables out of order or pointing outside the name list)
//! makes the scan log a warning naming the file and the reason, rebuild the tables from the
//! list, and write a fresh file. A file that cannot be written (a read-only data directory)
//! only costs the rebuild. The checksums detect staleness and corruption, not tampering:
//! whoever can write the data directory can already replace the popular list itself.
//!
//! Files are written to a temporary name and renamed into place, so concurrent scans never
//! read a half-written index. `corral db update` rebuilds the file right after it downloads
//! a new popular list, so the first scan after an update does not find it stale.

use std::path::{Path, PathBuf};

use corral_model::Ecosystem;

use crate::hashed_names::HashTable;
use crate::popular::{PopularList, popular_path};
use crate::typosquat::{DEFAULT_TARGET_LIMIT, Tables, TyposquatDetector};

const MAGIC: &[u8; 8] = b"CORRALTQ";

/// The on-disk format version. Bump it whenever the layout below, `hashed_names`' hash, or
/// the key functions of `typosquat` (skeletons, word sets, affixes) change: a file of another
/// version is rebuilt.
pub const FORMAT_VERSION: u32 = 1;

/// magic, version, ecosystem, target limit, source checksum, payload length, payload checksum.
const HEADER_LEN: usize = 8 + 4 + 4 + 4 + 8 + 8 + 8;

/// Where the typosquat index for `ecosystem` lives.
pub fn cache_path(data_dir: &Path, ecosystem: Ecosystem) -> PathBuf {
    crate::package_index::index_dir(data_dir)
        .join(format!("{}-typosquat.bin", ecosystem.purl_type()))
}

/// Why a typosquat index file was not used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CacheProblem {
    /// There is no file yet: the normal first run, rebuilt silently.
    Missing,
    /// The file is valid but was built from another list, limit or format version.
    Stale(String),
    /// The file cannot be read or is damaged.
    Corrupt(String),
}

impl std::fmt::Display for CacheProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CacheProblem::Missing => f.write_str("there is no index file yet"),
            CacheProblem::Stale(why) => write!(f, "it is stale: {why}"),
            CacheProblem::Corrupt(why) => write!(f, "it is corrupt: {why}"),
        }
    }
}

/// A checksum of `bytes`: FxHash's mixing step over 8-byte words, with the length folded in.
/// Fast (a few GB/s), and good enough to notice a changed list or a damaged file.
pub(crate) fn checksum(bytes: &[u8]) -> u64 {
    const K: u64 = 0x517c_c1b7_2722_0a95;
    let mut h = (bytes.len() as u64).wrapping_mul(K);
    let mut words = bytes.chunks_exact(8);
    for w in &mut words {
        let w = u64::from_le_bytes(w.try_into().expect("chunks of 8"));
        h = (h.rotate_left(5) ^ w).wrapping_mul(K);
    }
    for &b in words.remainder() {
        h = (h.rotate_left(5) ^ u64::from(b)).wrapping_mul(K);
    }
    h
}

fn ecosystem_code(ecosystem: Ecosystem) -> u32 {
    match ecosystem {
        Ecosystem::PyPI => 1,
        Ecosystem::Npm => 2,
    }
}

/// The detector for `ecosystem`: read from the index file in `data_dir` when it is valid for
/// the current popular list, else built (and the file written for next time). Without a data
/// directory the tables are built in memory.
pub fn load_detector(data_dir: Option<&Path>, ecosystem: Ecosystem) -> TyposquatDetector {
    let Some(dir) = data_dir else {
        return TyposquatDetector::for_ecosystem(ecosystem, PopularList::shipped(ecosystem));
    };
    let list_path = popular_path(dir, ecosystem);
    let refreshed = std::fs::read_to_string(&list_path).ok();
    let source = refreshed
        .as_deref()
        .unwrap_or_else(|| PopularList::shipped_text(ecosystem));
    let path = cache_path(dir, ecosystem);
    match read(&path, ecosystem, source, DEFAULT_TARGET_LIMIT) {
        Ok(detector) => return detector,
        Err(CacheProblem::Missing) => {}
        Err(problem) => tracing::warn!(
            path = %path.display(),
            "the typosquat index is not used because {problem}; rebuilding it from the popular list"
        ),
    }
    let popular = PopularList::from_refreshed(ecosystem, Some(&list_path), refreshed.as_deref());
    let detector = TyposquatDetector::for_ecosystem(ecosystem, popular);
    if dir.is_dir()
        && let Err(e) = write(&path, &detector, source, DEFAULT_TARGET_LIMIT)
    {
        tracing::debug!(path = %path.display(), error = %e, "cannot save the typosquat index; it will be rebuilt next time");
    }
    detector
}

/// Rebuilds and writes the index file for the popular list now in `data_dir` (after
/// `corral db update` replaced the list).
pub fn rebuild(data_dir: &Path, ecosystem: Ecosystem) -> std::io::Result<PathBuf> {
    let list_path = popular_path(data_dir, ecosystem);
    let refreshed = std::fs::read_to_string(&list_path).ok();
    let source = refreshed
        .as_deref()
        .unwrap_or_else(|| PopularList::shipped_text(ecosystem));
    let popular = PopularList::from_refreshed(ecosystem, Some(&list_path), refreshed.as_deref());
    let detector = TyposquatDetector::for_ecosystem(ecosystem, popular);
    let path = cache_path(data_dir, ecosystem);
    write(&path, &detector, source, DEFAULT_TARGET_LIMIT)?;
    Ok(path)
}

/// Writes `detector`'s tables, built from the popular-list text `source`, to `path`.
pub(crate) fn write(
    path: &Path,
    detector: &TyposquatDetector,
    source: &str,
    target_limit: u32,
) -> std::io::Result<()> {
    let payload = encode(detector);
    let mut bytes = Vec::with_capacity(HEADER_LEN + payload.len());
    bytes.extend_from_slice(MAGIC);
    bytes.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
    bytes.extend_from_slice(&ecosystem_code(detector.ecosystem()).to_le_bytes());
    bytes.extend_from_slice(&target_limit.to_le_bytes());
    bytes.extend_from_slice(&checksum(source.as_bytes()).to_le_bytes());
    bytes.extend_from_slice(&(payload.len() as u64).to_le_bytes());
    bytes.extend_from_slice(&checksum(&payload).to_le_bytes());
    bytes.extend_from_slice(&payload);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = path.with_file_name(format!(".{file_name}.tmp-{}", std::process::id()));
    std::fs::write(&tmp, &bytes)?;
    std::fs::rename(&tmp, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })
}

/// Reads the index at `path`, if it is valid for the popular-list text `source`.
pub(crate) fn read(
    path: &Path,
    ecosystem: Ecosystem,
    source: &str,
    target_limit: u32,
) -> Result<TyposquatDetector, CacheProblem> {
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(CacheProblem::Missing),
        Err(e) => return Err(CacheProblem::Corrupt(format!("cannot read it: {e}"))),
    };
    let corrupt = |why: &str| CacheProblem::Corrupt(why.to_string());
    if bytes.len() < HEADER_LEN || &bytes[..8] != MAGIC {
        return Err(corrupt("it does not start with a typosquat index header"));
    }
    let mut header = Reader::new(&bytes[8..HEADER_LEN]);
    let (version, eco, limit) = (header.u32()?, header.u32()?, header.u32()?);
    let (source_sum, payload_len, payload_sum) = (header.u64()?, header.u64()?, header.u64()?);
    if version != FORMAT_VERSION {
        return Err(CacheProblem::Stale(format!(
            "it has format version {version}, this Corral reads version {FORMAT_VERSION}"
        )));
    }
    if eco != ecosystem_code(ecosystem) {
        return Err(corrupt(&format!("it is not an index for {ecosystem}")));
    }
    if limit != target_limit {
        return Err(CacheProblem::Stale(format!(
            "it covers the top {limit} names, not the top {target_limit}"
        )));
    }
    if source_sum != checksum(source.as_bytes()) {
        return Err(CacheProblem::Stale(
            "it was built from another popular list".into(),
        ));
    }
    let payload = &bytes[HEADER_LEN..];
    if payload.len() as u64 != payload_len {
        return Err(corrupt(&format!(
            "the header announces {payload_len} bytes of tables, the file holds {}",
            payload.len()
        )));
    }
    if checksum(payload) != payload_sum {
        return Err(corrupt("the tables do not match their checksum"));
    }
    decode(ecosystem, payload)
}

/// Payload: the popular entries (`count`, then per entry `rank`, name length, name bytes),
/// then the five tables in [`Tables`] order (`count`, then `count` × (u64 hash, u32 index)).
/// Integers are little-endian.
fn encode(detector: &TyposquatDetector) -> Vec<u8> {
    let popular = detector.popular();
    let tables = detector.tables();
    let mut out = Vec::new();
    out.extend_from_slice(&(popular.entries.len() as u32).to_le_bytes());
    for (name, rank) in &popular.entries {
        out.extend_from_slice(&rank.to_le_bytes());
        out.extend_from_slice(&(name.len() as u32).to_le_bytes());
        out.extend_from_slice(name.as_bytes());
    }
    for table in [
        &tables.targets,
        &tables.deletions,
        &tables.skeletons,
        &tables.word_sets,
        &tables.cores,
    ] {
        out.extend_from_slice(&(table.pairs().len() as u32).to_le_bytes());
        for (hash, index) in table.pairs() {
            out.extend_from_slice(&hash.to_le_bytes());
            out.extend_from_slice(&index.to_le_bytes());
        }
    }
    out
}

fn decode(ecosystem: Ecosystem, payload: &[u8]) -> Result<TyposquatDetector, CacheProblem> {
    let mut r = Reader::new(payload);
    let count = r.u32()? as usize;
    if count > payload.len() / 8 {
        return Err(CacheProblem::Corrupt(format!(
            "it announces {count} names, more than its tables can hold"
        )));
    }
    let mut entries = Vec::with_capacity(count);
    let mut last_rank = 0;
    for _ in 0..count {
        let rank = r.u32()?;
        let len = r.u32()? as usize;
        let name = std::str::from_utf8(r.bytes(len)?)
            .map_err(|_| CacheProblem::Corrupt("a name is not UTF-8".into()))?;
        if rank < last_rank {
            return Err(CacheProblem::Corrupt(
                "the names are not in rank order".into(),
            ));
        }
        last_rank = rank;
        entries.push((name.to_string(), rank));
    }
    let mut table = || -> Result<HashTable, CacheProblem> {
        let n = r.u32()? as usize;
        let raw = r.bytes(
            n.checked_mul(12)
                .ok_or_else(|| CacheProblem::Corrupt("a table length overflows".into()))?,
        )?;
        let pairs = raw
            .chunks_exact(12)
            .map(|p| {
                (
                    u64::from_le_bytes(p[..8].try_into().expect("8 bytes")),
                    u32::from_le_bytes(p[8..].try_into().expect("4 bytes")),
                )
            })
            .collect();
        HashTable::from_sorted(pairs, count).map_err(CacheProblem::Corrupt)
    };
    let tables = Tables {
        targets: table()?,
        deletions: table()?,
        skeletons: table()?,
        word_sets: table()?,
        cores: table()?,
    };
    if !r.rest().is_empty() {
        return Err(CacheProblem::Corrupt(format!(
            "{} unexpected bytes follow the tables",
            r.rest().len()
        )));
    }
    Ok(TyposquatDetector::from_parts(
        ecosystem,
        PopularList::from_ranked(entries),
        tables,
    ))
}

/// Reads little-endian integers and byte runs, failing (not panicking) past the end.
struct Reader<'a> {
    bytes: &'a [u8],
}

impl<'a> Reader<'a> {
    fn new(bytes: &'a [u8]) -> Self {
        Self { bytes }
    }

    fn bytes(&mut self, n: usize) -> Result<&'a [u8], CacheProblem> {
        if n > self.bytes.len() {
            return Err(CacheProblem::Corrupt(
                "it ends in the middle of a table".into(),
            ));
        }
        let (head, tail) = self.bytes.split_at(n);
        self.bytes = tail;
        Ok(head)
    }

    fn u32(&mut self) -> Result<u32, CacheProblem> {
        Ok(u32::from_le_bytes(
            self.bytes(4)?.try_into().expect("4 bytes"),
        ))
    }

    fn u64(&mut self) -> Result<u64, CacheProblem> {
        Ok(u64::from_le_bytes(
            self.bytes(8)?.try_into().expect("8 bytes"),
        ))
    }

    fn rest(&self) -> &'a [u8] {
        self.bytes
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIST: &str = "1\trequests\n2\tnumpy\n3\tpython-dateutil\n4\tbeautifulsoup4\n5\tdjango\n";

    fn refreshed_data_dir(list: &str) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let path = popular_path(dir.path(), Ecosystem::PyPI);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, list).unwrap();
        dir
    }

    fn imitated(d: &TyposquatDetector, name: &str) -> Option<String> {
        d.check(name).map(|i| i.target)
    }

    #[test]
    fn a_first_scan_writes_the_index_and_later_scans_read_the_same_tables_back() {
        let dir = refreshed_data_dir(LIST);
        let built = load_detector(Some(dir.path()), Ecosystem::PyPI);
        let path = cache_path(dir.path(), Ecosystem::PyPI);
        assert!(
            path.is_file(),
            "the index is written next to the name snapshot"
        );
        let read = read(&path, Ecosystem::PyPI, LIST, DEFAULT_TARGET_LIMIT).unwrap();
        assert_eq!(read.tables(), built.tables());
        assert_eq!(read.popular().entries, built.popular().entries);
        for name in [
            "reqeusts",
            "nunpy",
            "dateutil-python",
            "beautiful-soup4",
            "djang0",
        ] {
            assert_eq!(imitated(&read, name), imitated(&built, name), "{name}");
            assert!(imitated(&read, name).is_some(), "{name}");
        }
        assert_eq!(read.popular().rank("numpy"), Some(2));
    }

    #[test]
    fn the_shipped_list_is_indexed_and_read_back_too() {
        let dir = tempfile::tempdir().unwrap();
        let built = load_detector(Some(dir.path()), Ecosystem::Npm);
        let read = read(
            &cache_path(dir.path(), Ecosystem::Npm),
            Ecosystem::Npm,
            PopularList::shipped_text(Ecosystem::Npm),
            DEFAULT_TARGET_LIMIT,
        )
        .unwrap();
        assert_eq!(read.tables(), built.tables());
        assert_eq!(imitated(&read, "lodahs").as_deref(), Some("lodash"));
    }

    #[test]
    fn a_changed_popular_list_makes_the_index_stale_and_it_is_rebuilt_from_the_new_list() {
        let dir = refreshed_data_dir(LIST);
        load_detector(Some(dir.path()), Ecosystem::PyPI);
        let path = cache_path(dir.path(), Ecosystem::PyPI);
        let newer = "1\trequests\n2\tpandas\n";
        assert_eq!(
            read(&path, Ecosystem::PyPI, newer, DEFAULT_TARGET_LIMIT).unwrap_err(),
            CacheProblem::Stale("it was built from another popular list".into())
        );
        std::fs::write(popular_path(dir.path(), Ecosystem::PyPI), newer).unwrap();
        let rebuilt = load_detector(Some(dir.path()), Ecosystem::PyPI);
        assert_eq!(imitated(&rebuilt, "pandsa").as_deref(), Some("pandas"));
        assert_eq!(imitated(&rebuilt, "nunpy"), None, "numpy left the list");
        assert!(
            read(&path, Ecosystem::PyPI, newer, DEFAULT_TARGET_LIMIT).is_ok(),
            "the rebuilt index was saved for the new list"
        );
    }

    #[test]
    fn another_format_version_or_target_limit_is_stale() {
        let dir = refreshed_data_dir(LIST);
        load_detector(Some(dir.path()), Ecosystem::PyPI);
        let path = cache_path(dir.path(), Ecosystem::PyPI);
        assert!(matches!(
            read(&path, Ecosystem::PyPI, LIST, 100),
            Err(CacheProblem::Stale(why)) if why.contains("top 5000 names, not the top 100")
        ));
        let mut bytes = std::fs::read(&path).unwrap();
        bytes[8..12].copy_from_slice(&(FORMAT_VERSION + 1).to_le_bytes());
        std::fs::write(&path, &bytes).unwrap();
        assert!(matches!(
            read(&path, Ecosystem::PyPI, LIST, DEFAULT_TARGET_LIMIT),
            Err(CacheProblem::Stale(why)) if why.contains("format version 2")
        ));
    }

    #[test]
    fn a_damaged_index_is_refused_with_the_reason_and_replaced_by_a_good_one() {
        let dir = refreshed_data_dir(LIST);
        load_detector(Some(dir.path()), Ecosystem::PyPI);
        let path = cache_path(dir.path(), Ecosystem::PyPI);
        let good = std::fs::read(&path).unwrap();

        let mut flipped = good.clone();
        let last = flipped.len() - 1;
        flipped[last] ^= 0xff;
        std::fs::write(&path, &flipped).unwrap();
        assert_eq!(
            read(&path, Ecosystem::PyPI, LIST, DEFAULT_TARGET_LIMIT).unwrap_err(),
            CacheProblem::Corrupt("the tables do not match their checksum".into())
        );

        std::fs::write(&path, &good[..good.len() - 7]).unwrap();
        assert!(matches!(
            read(&path, Ecosystem::PyPI, LIST, DEFAULT_TARGET_LIMIT),
            Err(CacheProblem::Corrupt(why)) if why.contains("the file holds")
        ));

        std::fs::write(&path, b"not an index").unwrap();
        assert!(matches!(
            read(&path, Ecosystem::PyPI, LIST, DEFAULT_TARGET_LIMIT),
            Err(CacheProblem::Corrupt(why)) if why.contains("header")
        ));

        // The scan still works, and leaves a valid index behind.
        let detector = load_detector(Some(dir.path()), Ecosystem::PyPI);
        assert_eq!(imitated(&detector, "reqeusts").as_deref(), Some("requests"));
        assert_eq!(std::fs::read(&path).unwrap(), good);
    }

    #[test]
    fn tables_that_pass_the_checksum_but_point_outside_the_list_are_refused() {
        let dir = refreshed_data_dir(LIST);
        let detector = load_detector(Some(dir.path()), Ecosystem::PyPI);
        let mut payload = encode(&detector);
        // The last pair's index (the last four bytes) now points past the five names.
        let at = payload.len() - 4;
        payload[at..].copy_from_slice(&99u32.to_le_bytes());
        assert!(matches!(
            decode(Ecosystem::PyPI, &payload),
            Err(CacheProblem::Corrupt(why)) if why.contains("points at name 99")
        ));
    }

    #[test]
    fn an_index_for_another_ecosystem_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        load_detector(Some(dir.path()), Ecosystem::Npm);
        let npm = cache_path(dir.path(), Ecosystem::Npm);
        assert!(matches!(
            read(&npm, Ecosystem::PyPI, PopularList::shipped_text(Ecosystem::Npm), DEFAULT_TARGET_LIMIT),
            Err(CacheProblem::Corrupt(why)) if why.contains("not an index for PyPI")
        ));
    }

    #[test]
    fn an_unwritable_data_directory_only_costs_the_rebuild() {
        let dir = tempfile::tempdir().unwrap();
        // `index` is a file, so the index directory cannot be created.
        std::fs::write(dir.path().join("index"), b"").unwrap();
        let detector = load_detector(Some(dir.path()), Ecosystem::PyPI);
        assert_eq!(imitated(&detector, "reqeusts").as_deref(), Some("requests"));
    }

    #[test]
    fn the_checksum_notices_one_changed_byte_and_a_changed_length() {
        assert_ne!(checksum(b"requests\n"), checksum(b"requestz\n"));
        assert_ne!(checksum(b"abcdefgh"), checksum(b"abcdefgh\0"));
        assert_eq!(checksum(b"same"), checksum(b"same"));
    }
}
