//! Finding and calling `corral-job-exec`, the small program every run starts through.
//!
//! A run's limits (CPU time, address space, open files, no core dumps) and its death signal
//! (`PR_SET_PDEATHSIG`, so a job dies with a runner killed by SIGKILL) must be set inside
//! the new process before it becomes the job. Doing that in the runner between `fork` and
//! `exec` forces the standard library to copy the whole multi-threaded runner with `fork`
//! for every run, and to tear the copy down again at `exec`: a quarter of the runner's CPU
//! in a burst of short jobs. Instead the runner starts `corral-job-exec` with posix_spawn
//! (which shares memory until `exec`, like vfork) and the helper, a tiny program of its
//! own, sets the limits and the death signal and then executes the job in its place.
//!
//! Its arguments: the runner's process id, CPU seconds, address-space bytes, open files, then
//! the program and its arguments. It checks that its parent is still the runner after
//! arming the death signal (a runner that died in between would otherwise never signal
//! it), and exits with status 126 (or 127 when the program is missing) and a
//! `[corral] could not start` line on stderr when anything fails.
//!
//! When the helper is not installed next to the runner, runs start through `fork` with the
//! same set-up done by the runner; only the cost differs.

use std::path::{Path, PathBuf};

/// The helper's file name.
pub const PROGRAM: &str = "corral-job-exec";

/// The helper to use: `configured` when given (an empty path turns the helper off), else
/// `corral-job-exec` beside the running program or one directory up (where cargo puts
/// binaries relative to tests and examples). `Err` says why runs will start through fork.
pub fn locate(configured: Option<&Path>) -> Result<PathBuf, String> {
    match configured {
        Some(path) if path.as_os_str().is_empty() => {
            Err("the job_exec helper is turned off in the runner's settings".into())
        }
        Some(path) if is_executable(path) => Ok(path.to_path_buf()),
        Some(path) => Err(format!(
            "the configured job_exec helper {} is not an executable file",
            path.display()
        )),
        None => {
            let exe = std::env::current_exe()
                .map_err(|e| format!("cannot tell where the runner's program is: {e}"))?;
            exe.ancestors()
                .skip(1)
                .take(2)
                .map(|dir| dir.join(PROGRAM))
                .find(|candidate| is_executable(candidate))
                .ok_or_else(|| format!("{PROGRAM} is not installed next to {}", exe.display()))
        }
    }
}

/// The helper's arguments before the program and its own arguments.
pub fn arguments(runner: u32, cpu_seconds: u64, memory_bytes: u64, open_files: u64) -> [String; 4] {
    [
        runner.to_string(),
        cpu_seconds.to_string(),
        memory_bytes.to_string(),
        open_files.to_string(),
    ]
}

fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_configured_path_turns_the_helper_off_and_a_missing_one_is_named() {
        let off = locate(Some(Path::new(""))).unwrap_err();
        assert!(off.contains("turned off"), "{off}");
        let missing = locate(Some(Path::new("/nonexistent/corral-job-exec"))).unwrap_err();
        assert!(
            missing.contains("/nonexistent/corral-job-exec"),
            "{missing}"
        );
    }

    #[test]
    fn a_configured_executable_is_used_as_given() {
        assert_eq!(
            locate(Some(Path::new("/bin/sh"))),
            Ok(PathBuf::from("/bin/sh"))
        );
    }
}
