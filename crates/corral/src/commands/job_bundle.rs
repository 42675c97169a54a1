//! Packing a job's directory into the `.tar.gz` bundle `corral jobs bundle` uploads.
//!
//! The walk honours `.gitignore` (and `.ignore`) files, as the scanner's does, so virtual
//! environments, caches and build output the author already ignores stay on the laptop;
//! hidden files are kept (a job may need its `.python-version`), `.git` is not. Entries are
//! written in name order with fixed owners and times, so the same files always give the
//! same archive and the same digest on the server. Symbolic links are archived as links;
//! the server refuses one that points outside the bundle.

use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result, bail};

/// What was packed.
pub struct Packed {
    pub bytes: Vec<u8>,
    pub files: usize,
}

/// The bundle to upload for `path`: an existing `.tar.gz`/`.tgz` as it is, or a directory
/// packed here.
pub fn bundle_bytes(path: &Path) -> Result<Packed> {
    let meta =
        std::fs::metadata(path).with_context(|| format!("cannot read {}", path.display()))?;
    if meta.is_dir() {
        return pack_directory(path);
    }
    let name = path.to_string_lossy().to_ascii_lowercase();
    if !(name.ends_with(".tar.gz") || name.ends_with(".tgz")) {
        bail!(
            "{} is neither a directory nor a .tar.gz archive; give the job's directory and \
             it is packed for you",
            path.display()
        );
    }
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    Ok(Packed { bytes, files: 0 })
}

/// `dir`'s files, minus what its ignore files exclude, as a gzip-compressed tar.
pub fn pack_directory(dir: &Path) -> Result<Packed> {
    let mut builder = tar::Builder::new(flate2::write::GzEncoder::new(
        Vec::new(),
        flate2::Compression::default(),
    ));
    builder.mode(tar::HeaderMode::Deterministic);
    builder.follow_symlinks(false);
    let walk = ignore::WalkBuilder::new(dir)
        .hidden(false)
        .require_git(false)
        .follow_links(false)
        .sort_by_file_name(|a, b| a.cmp(b))
        .filter_entry(|e| e.file_name() != ".git")
        .build();
    let mut files = 0;
    for entry in walk {
        let entry = entry.with_context(|| format!("cannot walk {}", dir.display()))?;
        let rel = entry
            .path()
            .strip_prefix(dir)
            .expect("the walk stays under its root");
        if rel.as_os_str().is_empty() {
            continue;
        }
        let Some(kind) = entry.file_type() else {
            continue;
        };
        if kind.is_dir() || kind.is_file() || kind.is_symlink() {
            builder
                .append_path_with_name(entry.path(), rel)
                .with_context(|| format!("cannot archive {}", entry.path().display()))?;
            if !kind.is_dir() {
                files += 1;
            }
        } else {
            eprintln!(
                "left out {}: not a file, directory or link",
                entry.path().display()
            );
        }
    }
    let mut encoder = builder.into_inner().context("cannot finish the archive")?;
    encoder.flush().context("cannot finish the archive")?;
    let bytes = encoder.finish().context("cannot finish the archive")?;
    Ok(Packed { bytes, files })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(bytes: &[u8]) -> Vec<String> {
        let mut archive = tar::Archive::new(flate2::read::GzDecoder::new(bytes));
        archive
            .entries()
            .unwrap()
            .map(|e| e.unwrap().path().unwrap().display().to_string())
            .collect()
    }

    #[test]
    fn a_directory_is_packed_without_ignored_files_or_git_metadata() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join(".git/objects")).unwrap();
        std::fs::create_dir_all(root.join(".venv/lib")).unwrap();
        std::fs::create_dir_all(root.join("lib")).unwrap();
        std::fs::write(root.join(".gitignore"), ".venv/\n*.log\n").unwrap();
        std::fs::write(root.join(".git/HEAD"), "ref: refs/heads/main\n").unwrap();
        std::fs::write(root.join(".venv/lib/site.py"), "").unwrap();
        std::fs::write(root.join("run.log"), "old output").unwrap();
        std::fs::write(root.join("report.py"), "print(1)\n").unwrap();
        std::fs::write(root.join("lib/util.py"), "x = 1\n").unwrap();
        std::fs::write(root.join(".python-version"), "3.12\n").unwrap();

        let packed = pack_directory(root).unwrap();
        assert_eq!(
            names(&packed.bytes),
            [
                ".gitignore",
                ".python-version",
                "lib",
                "lib/util.py",
                "report.py"
            ]
        );
        assert_eq!(packed.files, 4);
        // The same files give the same bytes (and so the same digest on the server).
        assert_eq!(pack_directory(root).unwrap().bytes, packed.bytes);
    }

    #[test]
    fn a_file_that_is_not_an_archive_is_refused_with_a_hint() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("report.py");
        std::fs::write(&file, "print(1)").unwrap();
        let err = bundle_bytes(&file).err().unwrap().to_string();
        assert!(err.contains("neither a directory nor a .tar.gz"), "{err}");
    }
}
