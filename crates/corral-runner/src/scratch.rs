//! Scratch directories for runs: fresh for every run, recycled rather than recreated.
//!
//! Every run works in `<runs_dir>/<run id>/` with `work/`, `home/` and `tmp/`, mode 0700 and
//! empty. Creating those four directories turned out to be the most expensive step of
//! starting a short job: on ext4 under heavy create/delete churn, allocating a directory
//! inode scans the recently deleted ones, and in a burst of 10,000 trivial jobs that took
//! about half of the runner's CPU time (`perf record -g` on `bench/runner/scheduler.sh`).
//!
//! So after a run its directories are emptied and renamed to a spare name, and the next run
//! gets a spare renamed to its own id: the same empty directories, with no new inode. A spare
//! is taken back only when it is exactly as fresh as a new one — the three subdirectories and
//! nothing else, each a real directory owned by the runner's user with mode 0700, and no
//! extended attributes (an ACL a job left on its `work/` would otherwise apply to the next
//! job's files). Anything else, and the directory is deleted as before. A run never sees a
//! file of an earlier run: the contents are removed before the directory becomes a spare.

use std::collections::HashSet;
use std::io;
use std::os::unix::fs::{DirBuilderExt, MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use uuid::Uuid;

use crate::launch::RunDirs;

/// Spare directory trees kept for reuse; beyond this a finished run's tree is deleted.
const MAX_SPARES: usize = 256;

/// The prefix of a spare's name inside the runs directory.
const SPARE_PREFIX: &str = ".spare-";

/// Hands out and takes back the scratch directories of runs under one runs directory.
#[derive(Debug)]
pub struct ScratchPool {
    runs_dir: PathBuf,
    spares: Mutex<Vec<PathBuf>>,
}

impl ScratchPool {
    pub fn new(runs_dir: PathBuf) -> Self {
        Self {
            runs_dir,
            spares: Mutex::new(Vec::new()),
        }
    }

    /// The empty scratch directories of run `run`: a spare renamed to the run's id, or new
    /// ones.
    pub fn take(&self, run: Uuid) -> io::Result<RunDirs> {
        let dirs = RunDirs::under(self.runs_dir.join(run.to_string()));
        while let Some(spare) = self.spares.lock().expect("spares lock").pop() {
            if std::fs::rename(&spare, &dirs.root).is_ok() {
                return Ok(dirs);
            }
            let _ = std::fs::remove_dir_all(&spare);
        }
        create_private_dirs(&dirs)?;
        Ok(dirs)
    }

    /// Takes back the directories of a finished run: emptied and kept as a spare when they
    /// are as fresh as new ones, deleted otherwise.
    pub fn give_back(&self, dirs: &RunDirs) {
        let full = self.spares.lock().expect("spares lock").len() >= MAX_SPARES;
        if !full && empty_and_check(dirs) {
            let spare = self
                .runs_dir
                .join(format!("{SPARE_PREFIX}{}", Uuid::new_v4()));
            if std::fs::rename(&dirs.root, &spare).is_ok() {
                self.spares.lock().expect("spares lock").push(spare);
                return;
            }
        }
        let _ = std::fs::remove_dir_all(&dirs.root);
    }

    /// How many spares are ready.
    pub fn spares(&self) -> usize {
        self.spares.lock().expect("spares lock").len()
    }
}

impl Drop for ScratchPool {
    fn drop(&mut self) {
        for spare in self.spares.get_mut().expect("spares lock").drain(..) {
            let _ = std::fs::remove_dir_all(spare);
        }
    }
}

fn create_private_dirs(dirs: &RunDirs) -> io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true).mode(0o700);
    for dir in [&dirs.root, &dirs.work, &dirs.home, &dirs.tmp] {
        builder.create(dir)?;
    }
    Ok(())
}

/// Removes everything a run left in its three directories, then says whether the tree is
/// indistinguishable from a freshly created one.
fn empty_and_check(dirs: &RunDirs) -> bool {
    let subdirs = [&dirs.work, &dirs.home, &dirs.tmp];
    let expected: HashSet<&std::ffi::OsStr> =
        subdirs.iter().filter_map(|d| d.file_name()).collect();
    let Ok(entries) = std::fs::read_dir(&dirs.root) else {
        return false;
    };
    for entry in entries {
        match entry {
            Ok(entry) if expected.contains(entry.file_name().as_os_str()) => {}
            _ => return false,
        }
    }
    let uid = rustix::process::geteuid().as_raw();
    std::iter::once(&dirs.root)
        .chain(subdirs)
        .all(|dir| is_fresh_dir(dir, uid) && (dir == &dirs.root || empty(dir)))
}

/// A real directory (not a link), owned by `uid`, mode exactly 0700, without extended
/// attributes other than the security label every file carries on SELinux systems.
fn is_fresh_dir(dir: &Path, uid: u32) -> bool {
    let Ok(meta) = std::fs::symlink_metadata(dir) else {
        return false;
    };
    meta.is_dir()
        && meta.uid() == uid
        && meta.permissions().mode() & 0o7777 == 0o700
        && extended_attributes(dir).is_some_and(|names| {
            names
                .split(|&b| b == 0)
                .all(|name| name.is_empty() || name == b"security.selinux")
        })
}

/// The NUL-separated names of `path`'s extended attributes; empty where the file system has
/// none, `None` when they cannot be read.
fn extended_attributes(path: &Path) -> Option<Vec<u8>> {
    let mut names = vec![0u8; 1024];
    match rustix::fs::llistxattr(path, &mut names) {
        Ok(len) => {
            names.truncate(len);
            Some(names)
        }
        Err(rustix::io::Errno::NOTSUP) => Some(Vec::new()),
        Err(_) => None,
    }
}

/// Removes every entry of `dir` (without following links); `true` when it is empty after.
fn empty(dir: &Path) -> bool {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return false;
    };
    for entry in entries {
        let Ok(entry) = entry else {
            return false;
        };
        let path = entry.path();
        let removed = match entry.file_type() {
            Ok(kind) if kind.is_dir() => std::fs::remove_dir_all(&path),
            Ok(_) => std::fs::remove_file(&path),
            Err(e) => Err(e),
        };
        if removed.is_err() {
            return false;
        }
    }
    std::fs::read_dir(dir).is_ok_and(|mut rest| rest.next().is_none())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mode(path: &Path) -> u32 {
        std::fs::symlink_metadata(path)
            .unwrap()
            .permissions()
            .mode()
            & 0o7777
    }

    #[test]
    fn a_run_gets_empty_private_directories_named_after_it() {
        let base = tempfile::tempdir().unwrap();
        let pool = ScratchPool::new(base.path().join("runs"));
        let run = Uuid::new_v4();
        let dirs = pool.take(run).unwrap();
        assert_eq!(dirs.root, base.path().join("runs").join(run.to_string()));
        for dir in [&dirs.root, &dirs.work, &dirs.home, &dirs.tmp] {
            assert_eq!(mode(dir), 0o700, "{}", dir.display());
        }
        assert_eq!(std::fs::read_dir(&dirs.work).unwrap().count(), 0);
    }

    #[test]
    fn a_finished_run_s_directories_are_emptied_and_reused_by_the_next_run() {
        let base = tempfile::tempdir().unwrap();
        let pool = ScratchPool::new(base.path().join("runs"));
        let first = pool.take(Uuid::new_v4()).unwrap();
        std::fs::create_dir_all(first.work.join("out/deep")).unwrap();
        std::fs::write(first.work.join("out/deep/report.csv"), "a,b").unwrap();
        std::fs::write(first.home.join(".netrc"), "machine x").unwrap();
        std::os::unix::fs::symlink("/etc", first.tmp.join("etc")).unwrap();
        let inode = std::fs::metadata(&first.work).unwrap().ino();
        pool.give_back(&first);
        assert!(!first.root.exists());
        assert_eq!(pool.spares(), 1);

        let second = pool.take(Uuid::new_v4()).unwrap();
        assert_eq!(std::fs::metadata(&second.work).unwrap().ino(), inode);
        for dir in [&second.work, &second.home, &second.tmp] {
            assert_eq!(std::fs::read_dir(dir).unwrap().count(), 0, "{dir:?}");
            assert_eq!(mode(dir), 0o700);
        }
        assert_eq!(pool.spares(), 0);
        assert!(
            std::fs::metadata("/etc").unwrap().is_dir(),
            "links are not followed"
        );
    }

    #[test]
    fn directories_a_run_changed_are_deleted_instead_of_reused() {
        let base = tempfile::tempdir().unwrap();
        let pool = ScratchPool::new(base.path().join("runs"));

        let opened = pool.take(Uuid::new_v4()).unwrap();
        std::fs::set_permissions(&opened.work, std::fs::Permissions::from_mode(0o755)).unwrap();
        pool.give_back(&opened);

        let extra = pool.take(Uuid::new_v4()).unwrap();
        std::fs::write(extra.root.join("left-behind"), "x").unwrap();
        pool.give_back(&extra);

        let replaced = pool.take(Uuid::new_v4()).unwrap();
        std::fs::remove_dir(&replaced.tmp).unwrap();
        std::os::unix::fs::symlink("/tmp", &replaced.tmp).unwrap();
        pool.give_back(&replaced);

        assert_eq!(pool.spares(), 0);
        for dirs in [&opened, &extra, &replaced] {
            assert!(!dirs.root.exists(), "{}", dirs.root.display());
        }
        assert_eq!(
            std::fs::read_dir(base.path().join("runs")).unwrap().count(),
            0
        );
    }

    #[test]
    fn spares_are_removed_with_the_pool() {
        let base = tempfile::tempdir().unwrap();
        let runs = base.path().join("runs");
        let pool = ScratchPool::new(runs.clone());
        let dirs = pool.take(Uuid::new_v4()).unwrap();
        pool.give_back(&dirs);
        assert_eq!(std::fs::read_dir(&runs).unwrap().count(), 1);
        drop(pool);
        assert_eq!(std::fs::read_dir(&runs).unwrap().count(), 0);
    }
}
