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
//! The helper's whole program is [`helper_main`]; the `corral` package builds it as its
//! second binary, so every build of `corral` puts `corral-job-exec` beside it. The helper
//! uses nothing but the standard library and `rustix`, and the linker keeps only what it
//! calls, so it stays a small program that starts quickly.
//!
//! When the helper is not installed next to the runner, runs start through `fork` with the
//! same set-up done by the runner; only the cost differs.

use std::ffi::OsString;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use rustix::process::{Resource, Rlimit, getppid, setrlimit};

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

/// The `corral-job-exec` program:
/// `corral-job-exec RUNNER_PID CPU_SECONDS MEMORY_BYTES OPEN_FILES PROGRAM [ARGS...]`.
///
/// Arms the death signal, checks that the runner is still its parent, sets the run's
/// resource limits, and executes the job in its own place, keeping the environment, working
/// directory, process group and file descriptors the runner gave it. It returns only when
/// the job could not be started (status 126, or 127 for a missing program).
pub fn helper_main() -> ExitCode {
    let args: Vec<OsString> = std::env::args_os().skip(1).collect();
    if args.len() < 5 {
        eprintln!(
            "[corral] could not start the job: {PROGRAM} needs RUNNER_PID CPU_SECONDS \
             MEMORY_BYTES OPEN_FILES PROGRAM [ARGS...]; it is started by the Corral runner"
        );
        return ExitCode::from(126);
    }
    if let Err(reason) = prepare(&args[..4]) {
        eprintln!("[corral] could not start the job: {reason}");
        return ExitCode::from(126);
    }
    let error = Command::new(&args[4]).args(&args[5..]).exec();
    eprintln!(
        "[corral] could not start `{}`: {error}",
        args[4].to_string_lossy()
    );
    ExitCode::from(if error.kind() == std::io::ErrorKind::NotFound {
        127
    } else {
        126
    })
}

fn number(arg: &OsString, what: &str) -> Result<u64, String> {
    arg.to_str()
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| format!("{what} `{}` is not a number", arg.to_string_lossy()))
}

/// The helper's set-up from its first four arguments, in the order the module comment gives.
fn prepare(args: &[OsString]) -> Result<(), String> {
    let runner = number(&args[0], "the runner's process id")?;
    let cpu = number(&args[1], "the CPU time limit")?;
    let memory = number(&args[2], "the memory limit")?;
    let files = number(&args[3], "the open-files limit")?;
    #[cfg(target_os = "linux")]
    rustix::process::set_parent_process_death_signal(Some(rustix::process::Signal::KILL))
        .map_err(|e| format!("cannot arm the death signal: {e}"))?;
    // Armed after the runner may already have died: then nothing would ever fire.
    if getppid().map(|p| p.as_raw_nonzero().get() as u64) != Some(runner) {
        return Err("the runner exited before the job started".into());
    }
    let set = |resource, soft: u64, hard: u64, what: &str| {
        setrlimit(
            resource,
            Rlimit {
                current: Some(soft),
                maximum: Some(hard),
            },
        )
        .map_err(|e| format!("cannot set the {what} limit to {soft}: {e}"))
    };
    // SIGXCPU at the soft limit lets a job notice; SIGKILL follows at the hard one.
    set(Resource::Cpu, cpu, cpu.saturating_add(5), "CPU time")?;
    set(Resource::As, memory, memory, "memory")?;
    set(Resource::Nofile, files, files, "open files")?;
    set(Resource::Core, 0, 0, "core dump")?;
    Ok(())
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
    fn the_helper_names_the_argument_that_is_not_a_number_before_touching_anything() {
        let args: Vec<OsString> = ["4242", "sixty", "1073741824", "64"]
            .map(OsString::from)
            .into();
        assert_eq!(
            prepare(&args),
            Err("the CPU time limit `sixty` is not a number".into())
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
