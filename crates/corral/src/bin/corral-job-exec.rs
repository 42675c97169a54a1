//! `corral-job-exec RUNNER_PID CPU_SECONDS MEMORY_BYTES OPEN_FILES PROGRAM [ARGS...]`
//!
//! The first program of every run the runner starts: it sets the run's limits and death
//! signal and then becomes the job (see `job_exec.rs` in corral-runner). Built with `corral`
//! so that it always lies beside it, where the runner looks for it.

fn main() -> std::process::ExitCode {
    corral_runner::job_exec::helper_main()
}
