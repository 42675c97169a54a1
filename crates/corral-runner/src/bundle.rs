//! Uploaded bundles: `.tar.gz` archives of a job's files, stored by the SHA-256 of their
//! bytes and unpacked into each run's scratch directory.
//!
//! A bundle comes from a person's laptop, so unpacking treats it as hostile. Every entry's
//! path must be relative and stay inside the directory (no `/`-rooted names, no `..`); only
//! regular files, directories and symbolic links are accepted, and a link only when it points
//! inside the unpacked tree; hard links, devices, FIFOs and anything else are refused. No
//! entry is written through a link (a link is always a leaf), so a link cannot redirect a
//! later entry outside. The number of entries and the total unpacked size are capped, so a
//! small archive that inflates to gigabytes stops at the cap. Any refused entry fails the
//! whole unpacking with a message naming the entry: a run with half of its files would fail
//! in a more confusing way later.

use std::io::{Read, Write};
use std::path::{Component, Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::git_source::link_stays_inside;

/// Caps applied while unpacking.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UnpackLimits {
    /// Sum of the sizes of all files, in bytes.
    pub max_total_bytes: u64,
    /// Files, directories and links together.
    pub max_entries: u64,
}

impl Default for UnpackLimits {
    fn default() -> Self {
        Self {
            max_total_bytes: 1024 * 1024 * 1024,
            max_entries: 100_000,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum BundleError {
    #[error("bundle entry `{entry}` refused: {reason}")]
    Refused { entry: String, reason: String },
    #[error("the bundle unpacks to more than {limit} bytes (the runner's cap); make it smaller")]
    TooLarge { limit: u64 },
    #[error("the bundle has more than {limit} entries (the runner's cap)")]
    TooManyEntries { limit: u64 },
    #[error("the bundle is not a readable .tar.gz: {0}")]
    Corrupt(String),
    #[error("no bundle {0} is stored on this server; upload it again")]
    Missing(String),
    #[error("`{0}` is not a SHA-256 (64 hex digits)")]
    BadDigest(String),
    #[error("cannot write {path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
}

/// Bundles stored content-addressed under one directory.
#[derive(Debug, Clone)]
pub struct BundleStore {
    root: PathBuf,
}

impl BundleStore {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Self { root: root.into() }
    }

    /// Stores `bytes` (written to a temporary file, then renamed, so a reader never sees a
    /// partial bundle) and returns their SHA-256 in hex.
    pub fn put(&self, bytes: &[u8]) -> Result<String, BundleError> {
        let digest = hex::encode(Sha256::digest(bytes));
        let path = self.path_of(&digest)?;
        if path.is_file() {
            return Ok(digest);
        }
        let io = |path: &Path| {
            let path = path.display().to_string();
            move |source| BundleError::Io { path, source }
        };
        std::fs::create_dir_all(&self.root).map_err(io(&self.root))?;
        let tmp = self
            .root
            .join(format!(".{digest}.{}.tmp", uuid::Uuid::now_v7()));
        let mut file = std::fs::File::create(&tmp).map_err(io(&tmp))?;
        file.write_all(bytes).map_err(io(&tmp))?;
        file.sync_all().map_err(io(&tmp))?;
        std::fs::rename(&tmp, &path).map_err(io(&path))?;
        Ok(digest)
    }

    /// Where bundle `sha256` is (or would be) stored.
    pub fn path_of(&self, sha256: &str) -> Result<PathBuf, BundleError> {
        if sha256.len() != 64 || !sha256.chars().all(|c| c.is_ascii_hexdigit()) {
            return Err(BundleError::BadDigest(sha256.into()));
        }
        Ok(self
            .root
            .join(format!("{}.tar.gz", sha256.to_ascii_lowercase())))
    }

    /// Unpacks bundle `sha256` into `dest` (an existing, empty directory).
    pub fn unpack(
        &self,
        sha256: &str,
        dest: &Path,
        limits: UnpackLimits,
    ) -> Result<(), BundleError> {
        let path = self.path_of(sha256)?;
        let file = std::fs::File::open(&path).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => BundleError::Missing(sha256.into()),
            _ => BundleError::Io {
                path: path.display().to_string(),
                source: e,
            },
        })?;
        unpack(std::io::BufReader::new(file), dest, limits)
    }
}

/// Unpacks the `.tar.gz` read from `reader` into `dest`, refusing anything unsafe.
pub fn unpack(reader: impl Read, dest: &Path, limits: UnpackLimits) -> Result<(), BundleError> {
    let mut archive = tar::Archive::new(flate2::read::GzDecoder::new(reader));
    let corrupt = |e: std::io::Error| BundleError::Corrupt(e.to_string());
    let mut entries_seen: u64 = 0;
    let mut total: u64 = 0;
    for entry in archive.entries().map_err(corrupt)? {
        let mut entry = entry.map_err(corrupt)?;
        entries_seen += 1;
        if entries_seen > limits.max_entries {
            return Err(BundleError::TooManyEntries {
                limit: limits.max_entries,
            });
        }
        let raw_name = String::from_utf8_lossy(&entry.path_bytes()).into_owned();
        let refuse = |reason: &str| BundleError::Refused {
            entry: raw_name.clone(),
            reason: reason.into(),
        };
        let rel = safe_relative(&raw_name).map_err(&refuse)?;
        let kind = entry.header().entry_type();
        let Some(rel) = rel else {
            // `./` itself.
            if kind.is_dir() {
                continue;
            }
            return Err(refuse("an entry with no name"));
        };
        let parent = rel.parent().unwrap_or(Path::new(""));
        ensure_real_dirs(dest, parent).map_err(|reason| refuse(&reason))?;
        let target = dest.join(&rel);
        if let Ok(meta) = std::fs::symlink_metadata(&target)
            && (meta.file_type().is_symlink() || kind.is_dir() != meta.is_dir())
        {
            return Err(refuse("it would replace an earlier entry of another kind"));
        }
        let io = |source| BundleError::Io {
            path: rel.display().to_string(),
            source,
        };
        match kind {
            tar::EntryType::Directory => {
                if !target.is_dir() {
                    std::fs::create_dir(&target).map_err(io)?;
                }
            }
            tar::EntryType::Regular | tar::EntryType::Continuous => {
                let declared = entry.header().size().map_err(corrupt)?;
                if total.saturating_add(declared) > limits.max_total_bytes {
                    return Err(BundleError::TooLarge {
                        limit: limits.max_total_bytes,
                    });
                }
                let executable = entry.header().mode().is_ok_and(|m| m & 0o111 != 0);
                let mut out = std::fs::File::create(&target).map_err(io)?;
                // Read no more than the cap allows even if the header lied about the size.
                let allowed = limits.max_total_bytes - total;
                let copied = std::io::copy(&mut (&mut entry).take(allowed + 1), &mut out)
                    .map_err(corrupt)?;
                if copied > allowed {
                    return Err(BundleError::TooLarge {
                        limit: limits.max_total_bytes,
                    });
                }
                total += copied;
                use std::os::unix::fs::PermissionsExt;
                let mode = if executable { 0o755 } else { 0o644 };
                std::fs::set_permissions(&target, std::fs::Permissions::from_mode(mode))
                    .map_err(io)?;
            }
            tar::EntryType::Symlink => {
                let link = entry
                    .link_name()
                    .map_err(corrupt)?
                    .ok_or_else(|| refuse("a link without a target"))?;
                if !link_stays_inside(parent, &link) {
                    return Err(refuse(&format!(
                        "it is a link to `{}`, outside the bundle",
                        link.display()
                    )));
                }
                std::os::unix::fs::symlink(&link, &target).map_err(io)?;
            }
            tar::EntryType::Link => {
                return Err(refuse(
                    "hard links are not accepted; archive the file itself",
                ));
            }
            tar::EntryType::Char | tar::EntryType::Block => {
                return Err(refuse("device files are not accepted"));
            }
            tar::EntryType::Fifo => return Err(refuse("FIFOs are not accepted")),
            tar::EntryType::XGlobalHeader | tar::EntryType::XHeader => {}
            other => {
                return Err(refuse(&format!(
                    "entries of type {other:?} are not accepted"
                )));
            }
        }
    }
    Ok(())
}

/// The entry's path as a clean relative path (`None` for the archive root), or why not.
fn safe_relative(name: &str) -> Result<Option<PathBuf>, &'static str> {
    if name.contains('\0') {
        return Err("its name contains a NUL byte");
    }
    let path = Path::new(name);
    let mut clean = PathBuf::new();
    for component in path.components() {
        match component {
            Component::Normal(part) => {
                if part.eq_ignore_ascii_case(".git") {
                    return Err("`.git` directories are not accepted in a bundle");
                }
                clean.push(part);
            }
            Component::CurDir => {}
            Component::ParentDir => return Err("its path climbs out with `..`"),
            Component::RootDir | Component::Prefix(_) => return Err("its path is absolute"),
        }
    }
    Ok((!clean.as_os_str().is_empty()).then_some(clean))
}

/// Creates the directories of `rel` under `dest`, refusing to pass through a link or a file.
fn ensure_real_dirs(dest: &Path, rel: &Path) -> Result<(), String> {
    let mut at = dest.to_path_buf();
    for component in rel.components() {
        at.push(component);
        match std::fs::symlink_metadata(&at) {
            Ok(meta) if meta.file_type().is_symlink() => {
                return Err("its directory is a link in the bundle".into());
            }
            Ok(meta) if meta.is_dir() => {}
            Ok(_) => return Err("its directory is a file in the bundle".into()),
            Err(_) => std::fs::create_dir(&at)
                .map_err(|e| format!("cannot create {}: {e}", at.display()))?,
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A raw tar header for `name`, so the tests can build archives the `tar` builder's
    /// own checks would refuse to write.
    fn raw_entry(name: &str, kind: tar::EntryType, link: Option<&str>, data: &[u8]) -> Vec<u8> {
        let mut header = tar::Header::new_old();
        {
            let bytes = header.as_old_mut();
            bytes.name[..name.len()].copy_from_slice(name.as_bytes());
            if let Some(link) = link {
                bytes.linkname[..link.len()].copy_from_slice(link.as_bytes());
            }
        }
        header.set_mode(0o644);
        header.set_size(data.len() as u64);
        header.set_entry_type(kind);
        header.set_cksum();
        let mut out = header.as_bytes().to_vec();
        out.extend_from_slice(data);
        out.resize(out.len().div_ceil(512) * 512, 0);
        out
    }

    fn gz(entries: &[Vec<u8>]) -> Vec<u8> {
        let mut tar = entries.concat();
        tar.extend_from_slice(&[0; 1024]);
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        enc.write_all(&tar).unwrap();
        enc.finish().unwrap()
    }

    fn unpack_err(entries: &[Vec<u8>], limits: UnpackLimits) -> (String, tempfile::TempDir) {
        let dest = tempfile::tempdir().unwrap();
        let err = unpack(&gz(entries)[..], dest.path(), limits)
            .unwrap_err()
            .to_string();
        (err, dest)
    }

    fn file(name: &str, data: &str) -> Vec<u8> {
        raw_entry(name, tar::EntryType::Regular, None, data.as_bytes())
    }

    #[test]
    fn a_plain_bundle_unpacks_with_its_directories_links_and_modes() {
        let mut exe = tar::Header::new_gnu();
        exe.set_path("bin/run.sh").unwrap();
        exe.set_mode(0o755);
        exe.set_size(9);
        exe.set_cksum();
        let mut exe_bytes = exe.as_bytes().to_vec();
        exe_bytes.extend_from_slice(b"echo hi\n\n");
        exe_bytes.resize(1024, 0);
        let entries = [
            raw_entry("./", tar::EntryType::Directory, None, b""),
            raw_entry("lib/", tar::EntryType::Directory, None, b""),
            file("lib/util.py", "x = 1\n"),
            exe_bytes,
            raw_entry(
                "lib/readme",
                tar::EntryType::Symlink,
                Some("../README.md"),
                b"",
            ),
            file("README.md", "hello\n"),
        ];
        let dest = tempfile::tempdir().unwrap();
        unpack(&gz(&entries)[..], dest.path(), UnpackLimits::default()).unwrap();
        assert_eq!(
            std::fs::read_to_string(dest.path().join("lib/util.py")).unwrap(),
            "x = 1\n"
        );
        assert_eq!(
            std::fs::read_to_string(dest.path().join("lib/readme")).unwrap(),
            "hello\n"
        );
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dest.path().join("bin/run.sh"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o755);
    }

    #[test]
    fn an_absolute_path_is_refused() {
        let (err, _) = unpack_err(&[file("/etc/cron.d/evil", "x")], UnpackLimits::default());
        assert_eq!(
            err,
            "bundle entry `/etc/cron.d/evil` refused: its path is absolute"
        );
    }

    #[test]
    fn a_path_climbing_out_is_refused_and_nothing_is_written_outside() {
        let outer = tempfile::tempdir().unwrap();
        let dest = outer.path().join("work");
        std::fs::create_dir(&dest).unwrap();
        let err = unpack(
            &gz(&[file("a/../../escaped.txt", "x")])[..],
            &dest,
            UnpackLimits::default(),
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("climbs out with `..`"), "{err}");
        assert!(!outer.path().join("escaped.txt").exists());
    }

    #[test]
    fn a_link_pointing_outside_is_refused() {
        for target in ["/etc/passwd", "../../etc", "sub/../../../x"] {
            let (err, _) = unpack_err(
                &[raw_entry(
                    "lib/passwd",
                    tar::EntryType::Symlink,
                    Some(target),
                    b"",
                )],
                UnpackLimits::default(),
            );
            assert!(err.contains("outside the bundle"), "{target}: {err}");
        }
    }

    #[test]
    fn a_file_written_through_a_link_is_refused() {
        // The link itself points inside (to the root), but a later entry under it would
        // be written through it.
        let (err, dest) = unpack_err(
            &[
                raw_entry("up", tar::EntryType::Symlink, Some("."), b""),
                file("up/x.txt", "x"),
            ],
            UnpackLimits::default(),
        );
        assert!(err.contains("its directory is a link"), "{err}");
        assert!(!dest.path().join("x.txt").exists());
    }

    #[test]
    fn a_hard_link_is_refused() {
        let (err, _) = unpack_err(
            &[raw_entry(
                "shadow",
                tar::EntryType::Link,
                Some("/etc/shadow"),
                b"",
            )],
            UnpackLimits::default(),
        );
        assert!(err.contains("hard links are not accepted"), "{err}");
    }

    #[test]
    fn devices_and_fifos_are_refused() {
        for (kind, words) in [
            (tar::EntryType::Char, "device files"),
            (tar::EntryType::Block, "device files"),
            (tar::EntryType::Fifo, "FIFOs"),
        ] {
            let (err, _) = unpack_err(
                &[raw_entry("dev", kind, None, b"")],
                UnpackLimits::default(),
            );
            assert!(err.contains(words), "{kind:?}: {err}");
        }
    }

    #[test]
    fn a_bundle_inflating_past_the_size_cap_stops_at_the_cap() {
        let big = "a".repeat(5000);
        let (err, _) = unpack_err(
            &[file("one.txt", &big), file("two.txt", &big)],
            UnpackLimits {
                max_total_bytes: 8000,
                max_entries: 100,
            },
        );
        assert!(err.contains("more than 8000 bytes"), "{err}");
    }

    #[test]
    fn a_bundle_with_too_many_entries_is_refused() {
        let entries: Vec<_> = (0..5).map(|i| file(&format!("f{i}"), "x")).collect();
        let (err, _) = unpack_err(
            &entries,
            UnpackLimits {
                max_total_bytes: 1 << 20,
                max_entries: 4,
            },
        );
        assert!(err.contains("more than 4 entries"), "{err}");
    }

    #[test]
    fn a_git_directory_in_a_bundle_is_refused() {
        let (err, _) = unpack_err(&[file(".git/config", "x")], UnpackLimits::default());
        assert!(err.contains("`.git` directories are not accepted"), "{err}");
    }

    #[test]
    fn bytes_that_are_not_a_gzip_archive_are_a_clear_error() {
        let dest = tempfile::tempdir().unwrap();
        let err = unpack(
            &b"PK\x03\x04 a zip file"[..],
            dest.path(),
            UnpackLimits::default(),
        )
        .unwrap_err()
        .to_string();
        assert!(
            err.starts_with("the bundle is not a readable .tar.gz"),
            "{err}"
        );
    }

    #[test]
    fn bundles_are_stored_by_their_digest_and_unpacked_from_the_store() {
        let root = tempfile::tempdir().unwrap();
        let store = BundleStore::new(root.path().join("bundles"));
        let bytes = gz(&[file("report.py", "print(1)\n")]);
        let digest = store.put(&bytes).unwrap();
        assert_eq!(digest, hex::encode(Sha256::digest(&bytes)));
        assert_eq!(store.put(&bytes).unwrap(), digest);
        let dest = tempfile::tempdir().unwrap();
        store
            .unpack(&digest, dest.path(), UnpackLimits::default())
            .unwrap();
        assert!(dest.path().join("report.py").is_file());
        let missing = "0".repeat(64);
        let err = store
            .unpack(&missing, dest.path(), UnpackLimits::default())
            .unwrap_err();
        assert!(matches!(err, BundleError::Missing(_)), "{err}");
        assert!(matches!(
            store.path_of("../../etc/passwd"),
            Err(BundleError::BadDigest(_))
        ));
    }
}
