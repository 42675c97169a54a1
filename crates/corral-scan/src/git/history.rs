//! `--history`: scanning every line any commit ever added.
//!
//! A secret that was committed and deleted a week later is still in every clone, so it is
//! still exposed and must be rotated. This walks the commits reachable from `HEAD` (or only
//! those after `--since REF`), compares each commit's tree with its parent's, and scans the
//! lines the commit added to each file: each run of consecutive added lines becomes one
//! [`SourceFile`] whose `first_line` is its line number in the new file, stamped with the
//! commit's id, author and date. Findings are then reported once each, at the commit that
//! first exposed them (see `driver::keep_first_exposure`).
//!
//! Merge commits are skipped, as `git log -p` does: the lines they bring in were added, and
//! are scanned, in the commits on the merged branch. Tree comparison is done here (trees with
//! the same id are skipped whole, so unchanged directories cost nothing); line diffs come
//! from `similar`, with a deadline so one pathological file cannot stall the scan.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use corral_model::{CommitInfo, Scanner, SkipReason, SourceFile};
use gix::ObjectId;
use gix::bstr::{BString, ByteSlice};
use similar::{Algorithm, DiffOp, TextDiff};

use crate::binary::looks_binary;
use crate::driver::ScanOptions;
use crate::error::ScanError;
use crate::exclude::Excludes;
use crate::file_scan::{Collected, interested};
use crate::git::RepoScope;
use crate::pipeline::pipeline;
use crate::progress::ScanProgress;

/// How long a single file's line diff may take before `similar` settles for a coarser one.
const DIFF_DEADLINE: Duration = Duration::from_secs(2);

/// One file changed by one commit.
struct Change {
    path: String,
    commit: Arc<CommitInfo>,
    old: Option<Vec<u8>>,
    new: Vec<u8>,
}

pub(crate) fn scan_history(
    scanners: &[Box<dyn Scanner>],
    options: &ScanOptions,
    since: Option<&str>,
    excludes: &Excludes,
    progress: &ScanProgress,
) -> Result<Collected, ScanError> {
    let scope = RepoScope::open(&options.roots, "--history")?;
    let repo = &scope.repo;
    let Ok(head) = repo.head_id() else {
        return Ok(Collected::default()); // no commits yet: no history to scan
    };
    let hidden = match since {
        Some(spec) => vec![
            repo.rev_parse_single(spec)
                .map_err(|e| ScanError::UnknownRevision {
                    spec: spec.into(),
                    message: e.to_string(),
                })?
                .detach(),
        ],
        None => Vec::new(),
    };
    let walk = repo
        .rev_walk([head.detach()])
        .with_hidden(hidden)
        .all()
        .map_err(ScanError::git)?;

    pipeline(
        options.threads,
        |emit| {
            let mut collected = Collected::default();
            for info in walk {
                let info = info.map_err(ScanError::git)?;
                let parents: Vec<ObjectId> = info.parent_ids().map(|id| id.detach()).collect();
                if parents.len() > 1 {
                    continue;
                }
                let commit = repo.find_commit(info.id).map_err(ScanError::git)?;
                let commit_info = Arc::new(commit_info(&commit)?);
                let new_tree = commit.tree_id().map_err(ScanError::git)?.detach();
                let old_tree = match parents.first() {
                    Some(parent) => Some(
                        repo.find_commit(*parent)
                            .map_err(ScanError::git)?
                            .tree_id()
                            .map_err(ScanError::git)?
                            .detach(),
                    ),
                    None => None,
                };
                let mut changes = Vec::new();
                diff_trees(repo, old_tree, new_tree, BString::default(), &mut changes)?;
                for (path, old, new) in changes {
                    let path = path.to_str_lossy().into_owned();
                    if !scope.covers(&path, excludes) || interested(scanners, &path).is_empty() {
                        continue;
                    }
                    let size = repo.find_header(new).map_err(ScanError::git)?.size();
                    if size > options.max_file_size {
                        let limit = options.max_file_size;
                        collected.skip(path, SkipReason::TooLarge { size, limit });
                        continue;
                    }
                    let new = repo.find_blob(new).map_err(ScanError::git)?.take_data();
                    let old = match old {
                        Some(id) => Some(repo.find_blob(id).map_err(ScanError::git)?.take_data()),
                        None => None,
                    };
                    emit(Change {
                        path,
                        commit: Arc::clone(&commit_info),
                        old,
                        new,
                    });
                }
            }
            Ok(collected)
        },
        |change: Change, collected| scan_change(scanners, &change, collected, progress),
    )
    .map(dedup_skipped)
}

/// Scans the lines `change` added.
fn scan_change(
    scanners: &[Box<dyn Scanner>],
    change: &Change,
    collected: &mut Collected,
    progress: &ScanProgress,
) {
    if looks_binary(&change.new) {
        collected.skip(change.path.clone(), SkipReason::Binary);
        return;
    }
    let scanners = interested(scanners, &change.path);
    let runs = added_runs(change.old.as_deref(), &change.new);
    for (i, (first_line, range)) in runs.into_iter().enumerate() {
        let file = SourceFile {
            path: &change.path,
            content: &change.new[range],
            first_line,
            commit: Some(&change.commit),
        };
        collected.scan(&scanners, &file, i == 0, progress);
    }
}

/// The runs of lines in `new` that are not in `old`: (first line number, byte range).
fn added_runs(old: Option<&[u8]>, new: &[u8]) -> Vec<(u32, std::ops::Range<usize>)> {
    if new.is_empty() {
        return Vec::new();
    }
    let Some(old) = old else {
        return vec![(1, 0..new.len())];
    };
    let starts = line_starts(new);
    let diff = TextDiff::configure()
        .algorithm(Algorithm::Myers)
        .deadline(Instant::now() + DIFF_DEADLINE)
        .diff_lines(old, new);
    let mut runs = Vec::new();
    for op in diff.ops() {
        let (index, len) = match *op {
            DiffOp::Insert {
                new_index, new_len, ..
            }
            | DiffOp::Replace {
                new_index, new_len, ..
            } => (new_index, new_len),
            DiffOp::Equal { .. } | DiffOp::Delete { .. } => continue,
        };
        if len == 0 {
            continue;
        }
        let start = starts[index];
        let end = starts.get(index + len).copied().unwrap_or(new.len());
        runs.push((index as u32 + 1, start..end));
    }
    runs
}

/// Byte offset of the start of every line.
fn line_starts(content: &[u8]) -> Vec<usize> {
    let mut starts = vec![0];
    starts.extend(
        content
            .iter()
            .enumerate()
            .filter(|&(i, &b)| b == b'\n' && i + 1 < content.len())
            .map(|(i, _)| i + 1),
    );
    starts
}

/// Files whose content differs between two trees: (path, old blob, new blob).
fn diff_trees(
    repo: &gix::Repository,
    old: Option<ObjectId>,
    new: ObjectId,
    prefix: BString,
    out: &mut Vec<(BString, Option<ObjectId>, ObjectId)>,
) -> Result<(), ScanError> {
    if old == Some(new) {
        return Ok(());
    }
    let mut old_entries: HashMap<BString, (gix::objs::tree::EntryMode, ObjectId)> = HashMap::new();
    if let Some(old) = old {
        let tree = repo.find_tree(old).map_err(ScanError::git)?;
        for entry in tree.decode().map_err(ScanError::git)?.entries {
            old_entries.insert(
                entry.filename.to_owned(),
                (entry.mode, entry.oid.to_owned()),
            );
        }
    }
    let tree = repo.find_tree(new).map_err(ScanError::git)?;
    let decoded = tree.decode().map_err(ScanError::git)?;
    for entry in &decoded.entries {
        let before = old_entries.get(entry.filename);
        if before.is_some_and(|(mode, id)| *mode == entry.mode && id.as_ref() == entry.oid) {
            continue;
        }
        let mut path = prefix.clone();
        if !path.is_empty() {
            path.push(b'/');
        }
        path.extend_from_slice(entry.filename);
        let oid = entry.oid.to_owned();
        if entry.mode.is_tree() {
            let old_tree = before.filter(|(mode, _)| mode.is_tree()).map(|(_, id)| *id);
            diff_trees(repo, old_tree, oid, path, out)?;
        } else if entry.mode.is_blob() {
            let old_blob = before.filter(|(mode, _)| mode.is_blob()).map(|(_, id)| *id);
            if old_blob != Some(oid) {
                out.push((path, old_blob, oid));
            }
        }
        // Symlinks and submodules carry no content of their own.
    }
    Ok(())
}

fn commit_info(commit: &gix::Commit<'_>) -> Result<CommitInfo, ScanError> {
    let author = commit.author().map_err(ScanError::git)?;
    let seconds = author.time().map(|t| t.seconds).unwrap_or(0);
    let date = DateTime::<Utc>::from_timestamp(seconds, 0).unwrap_or_default();
    let name = author.name.trim().to_str_lossy();
    let email = author.email.trim().to_str_lossy();
    Ok(CommitInfo {
        id: commit.id.to_string(),
        author: if email.is_empty() {
            name.into_owned()
        } else {
            format!("{name} <{email}>")
        },
        date,
    })
}

/// A binary or oversized file touched by many commits is listed once.
fn dedup_skipped(mut collected: Collected) -> Collected {
    let mut seen = std::collections::HashSet::new();
    collected
        .skipped
        .retain(|s| seen.insert((s.path.clone(), s.reason.to_string())));
    collected.stats.files_skipped = collected.skipped.len() as u64;
    collected
}

#[cfg(test)]
mod tests {
    use super::*;

    fn runs_text(old: &str, new: &str) -> Vec<(u32, String)> {
        added_runs(Some(old.as_bytes()), new.as_bytes())
            .into_iter()
            .map(|(line, range)| (line, new[range].to_string()))
            .collect()
    }

    #[test]
    fn added_lines_are_grouped_into_runs_with_their_new_line_numbers() {
        let old = "a\nb\nc\n";
        let new = "a\nx\ny\nb\nc\nz\n";
        assert_eq!(
            runs_text(old, new),
            [(2, "x\ny\n".to_string()), (6, "z\n".to_string())]
        );
    }

    #[test]
    fn a_changed_line_counts_as_added_and_deleted_lines_produce_nothing() {
        assert_eq!(
            runs_text("a\nb\nc\n", "a\nB\nc\n"),
            [(2, "B\n".to_string())]
        );
        assert!(runs_text("a\nb\nc\n", "a\nc\n").is_empty());
    }

    #[test]
    fn a_new_file_is_one_run_from_line_one_and_a_missing_final_newline_is_kept() {
        assert_eq!(added_runs(None, b"a\nb"), [(1, 0..3)]);
        assert_eq!(runs_text("a\n", "a\nb"), [(2, "b".to_string())]);
    }
}
