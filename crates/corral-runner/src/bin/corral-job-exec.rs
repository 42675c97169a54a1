//! `corral-job-exec RUNNER_PID CPU_SECONDS MEMORY_BYTES OPEN_FILES PROGRAM [ARGS...]`
//!
//! The first program of every run the local executor starts (see `job_exec.rs` in the
//! library): it arms the death signal, checks that the runner is still its parent, sets the
//! run's resource limits, and executes the job in its own place, keeping the environment,
//! working directory, process group and file descriptors the runner gave it. It is kept
//! free of the library so that starting it costs as little as possible.

use std::ffi::OsString;
use std::os::unix::process::CommandExt;
use std::process::{Command, ExitCode};

use rustix::process::{Resource, Rlimit, Signal, getppid, setrlimit};

fn main() -> ExitCode {
    let args: Vec<OsString> = std::env::args_os().skip(1).collect();
    if args.len() < 5 {
        eprintln!(
            "[corral] could not start the job: corral-job-exec needs RUNNER_PID CPU_SECONDS \
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

fn prepare(args: &[OsString]) -> Result<(), String> {
    let runner = number(&args[0], "the runner's process id")?;
    let cpu = number(&args[1], "the CPU time limit")?;
    let memory = number(&args[2], "the memory limit")?;
    let files = number(&args[3], "the open-files limit")?;
    #[cfg(target_os = "linux")]
    rustix::process::set_parent_process_death_signal(Some(Signal::KILL))
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
