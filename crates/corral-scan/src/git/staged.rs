//! `--staged`: scanning what is about to be committed.
//!
//! A pre-commit hook must judge the commit, not the working tree: a secret removed from the
//! file but still staged would otherwise pass, and unstaged experiments would fail a commit
//! that does not contain them. So this reads blob contents from git's index, for the files
//! whose staged content differs from `HEAD` (every staged file before the first commit).
//! Whole staged files are scanned, so line numbers are the file's own; unchanged files are
//! not rescanned on every commit.
//!
//! `.gitignore` plays no part (staged files are tracked by definition); exclude patterns do.

use std::collections::HashMap;

use corral_model::{Scanner, SkipReason, SourceFile};
use gix::bstr::{BString, ByteSlice};
use gix::objs::tree::EntryKind;

use crate::driver::ScanOptions;
use crate::error::ScanError;
use crate::exclude::Excludes;
use crate::file_scan::{Collected, interested};
use crate::git::RepoScope;
use crate::pipeline::pipeline;
use crate::progress::ScanProgress;

/// The staged content that was scanned, by repository-relative path, so that findings added
/// later (by `Scanner::finish`) can be checked against `corral:allow` markers.
#[derive(Debug, Default)]
pub(crate) struct StagedContent {
    blobs: HashMap<String, Vec<u8>>,
}

impl StagedContent {
    pub fn get(&self, path: &str) -> Option<&[u8]> {
        self.blobs.get(path).map(Vec::as_slice)
    }
}

pub(crate) struct StagedScan {
    pub collected: Collected,
    pub repository: StagedContent,
}

/// One staged file to scan.
struct StagedFile {
    path: String,
    content: Vec<u8>,
}

pub(crate) fn scan_staged(
    scanners: &[Box<dyn Scanner>],
    options: &ScanOptions,
    excludes: &Excludes,
    progress: &ScanProgress,
) -> Result<StagedScan, ScanError> {
    let scope = RepoScope::open(&options.roots, "--staged")?;
    let repo = &scope.repo;
    let index = repo.index_or_empty().map_err(ScanError::git)?;
    let head = head_blobs(repo)?;

    let mut files = Vec::new();
    let mut collected = Collected::default();
    for entry in index.entries() {
        if entry.stage_raw() != 0 {
            continue; // unresolved merge conflict: git refuses to commit it anyway
        }
        let is_file = matches!(
            entry.mode.to_tree_entry_mode().map(|m| m.kind()),
            Some(EntryKind::Blob | EntryKind::BlobExecutable)
        );
        if !is_file {
            continue; // symlinks and submodules have no content of their own to scan
        }
        let path_bytes = entry.path(&index);
        if head.get(path_bytes) == Some(&entry.id) {
            continue; // unchanged since HEAD
        }
        let path = path_bytes.to_str_lossy().into_owned();
        if !scope.covers(&path, excludes) || interested(scanners, &path).is_empty() {
            continue;
        }
        let size = repo.find_header(entry.id).map_err(ScanError::git)?.size();
        if size > options.max_file_size {
            let limit = options.max_file_size;
            collected.skip(path, SkipReason::TooLarge { size, limit });
            continue;
        }
        match repo.find_blob(entry.id) {
            Ok(mut blob) => files.push(StagedFile {
                path,
                content: blob.take_data(),
            }),
            Err(err) => collected.skip(
                path,
                SkipReason::Unreadable {
                    error: err.to_string(),
                },
            ),
        }
    }

    let collected_scan = pipeline(
        options.threads,
        |emit| {
            for file in &files {
                emit(file);
            }
            Ok(collected)
        },
        |file: &StagedFile, collected| {
            let scanners = interested(scanners, &file.path);
            let source = SourceFile::whole(&file.path, &file.content);
            collected.scan(&scanners, &source, true, progress);
        },
    )?;
    let blobs = files.into_iter().map(|f| (f.path, f.content)).collect();
    Ok(StagedScan {
        collected: collected_scan,
        repository: StagedContent { blobs },
    })
}

/// Every blob in `HEAD`'s tree, by path; empty before the first commit.
fn head_blobs(repo: &gix::Repository) -> Result<HashMap<BString, gix::ObjectId>, ScanError> {
    let mut blobs = HashMap::new();
    let Ok(head) = repo.head_commit() else {
        return Ok(blobs); // unborn branch: everything staged is new
    };
    let tree = head.tree().map_err(ScanError::git)?;
    let mut pending = vec![(BString::default(), tree.id)];
    while let Some((prefix, tree_id)) = pending.pop() {
        let tree = repo.find_tree(tree_id).map_err(ScanError::git)?;
        let decoded = tree.decode().map_err(ScanError::git)?;
        for entry in &decoded.entries {
            let mut path = prefix.clone();
            if !path.is_empty() {
                path.push(b'/');
            }
            path.extend_from_slice(entry.filename);
            if entry.mode.is_tree() {
                pending.push((path, entry.oid.to_owned()));
            } else {
                blobs.insert(path, entry.oid.to_owned());
            }
        }
    }
    Ok(blobs)
}
