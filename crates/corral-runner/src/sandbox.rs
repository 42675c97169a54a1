//! Isolating a run with bubblewrap (`bwrap`), when it is installed.
//!
//! Inside the sandbox the job sees the system's programs and libraries read-only, a minimal
//! read-only `/etc` (certificates, name resolution, users, time zone, dynamic linker cache),
//! fresh `/proc`, `/dev` and `/tmp`, and one writable directory: its own scratch directory.
//! The runner's data directory, other runs and the home directories simply do not exist
//! there. All namespaces are unshared, so the job has no network unless it declares it needs
//! one, and it cannot see or signal other processes.
//!
//! bubblewrap is optional: when it is missing (or the kernel refuses the namespaces it
//! needs) runs still execute, with rlimits and a clean environment, and each run records
//! that it was not sandboxed and why.

use std::path::{Path, PathBuf};
use std::process::Stdio;

use serde::{Deserialize, Serialize};

use crate::launch::{LaunchPlan, RunDirs};

/// Whether runs are sandboxed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SandboxMode {
    /// Use bubblewrap when it works here, otherwise run unsandboxed and say so.
    #[default]
    Auto,
    /// Refuse to run jobs without bubblewrap.
    Required,
    /// Never sandbox (for development machines).
    Off,
}

/// System directories mounted read-only (or recreated as the same symlink on merged-/usr
/// systems).
const SYSTEM_DIRS: &[&str] = &[
    "/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32",
];

/// The parts of `/etc` programs commonly need; the rest (shadow files, service
/// configuration, other credentials) stays outside.
const ETC_ENTRIES: &[&str] = &[
    "/etc/alternatives",
    "/etc/ca-certificates",
    "/etc/ca-certificates.conf",
    "/etc/ssl",
    "/etc/pki",
    "/etc/resolv.conf",
    "/etc/hosts",
    "/etc/nsswitch.conf",
    "/etc/host.conf",
    "/etc/gai.conf",
    "/etc/passwd",
    "/etc/group",
    "/etc/localtime",
    "/etc/timezone",
    "/etc/ld.so.cache",
    "/etc/ld.so.conf",
    "/etc/ld.so.conf.d",
    "/etc/mime.types",
    "/etc/protocols",
    "/etc/services",
    "/etc/os-release",
];

/// A working bubblewrap.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bubblewrap {
    pub program: PathBuf,
}

impl Bubblewrap {
    /// Finds `bwrap` in `PATH` and checks that it can actually create a sandbox here.
    /// Returns why not otherwise.
    pub fn detect() -> Result<Self, String> {
        let program = find_in_path("bwrap").ok_or_else(|| {
            "bubblewrap (bwrap) is not installed; install the `bubblewrap` package".to_string()
        })?;
        let bwrap = Self { program };
        let probe_dir = std::env::temp_dir();
        let dirs = RunDirs::under(probe_dir.clone());
        let plan = LaunchPlan {
            program: "/bin/true".into(),
            args: Vec::new(),
            env: Default::default(),
            secret_env: Vec::new(),
            cwd: probe_dir,
        };
        let args = bwrap.arguments(&plan, &dirs, false, &[], &[]);
        let status = std::process::Command::new(&bwrap.program)
            .args(&args)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .output()
            .map_err(|e| format!("bubblewrap could not be started: {e}"))?;
        if status.status.success() {
            Ok(bwrap)
        } else {
            Err(format!(
                "bubblewrap cannot create a sandbox on this machine: {}",
                String::from_utf8_lossy(&status.stderr).trim()
            ))
        }
    }

    /// bwrap's arguments to run `plan` (everything after `bwrap`).
    ///
    /// `read_only` and `writable` are extra paths (interpreters, the shared uv cache) bound
    /// at the same place inside.
    pub fn arguments(
        &self,
        plan: &LaunchPlan,
        dirs: &RunDirs,
        network: bool,
        read_only: &[PathBuf],
        writable: &[PathBuf],
    ) -> Vec<String> {
        let mut args: Vec<String> = [
            "--die-with-parent",
            "--unshare-all",
            "--cap-drop",
            "ALL",
            "--hostname",
            "corral-run",
        ]
        .map(String::from)
        .to_vec();
        if network {
            args.push("--share-net".into());
        }
        for dir in SYSTEM_DIRS {
            let path = Path::new(dir);
            match std::fs::read_link(path) {
                Ok(target) => push_pair(&mut args, "--symlink", &target, path),
                Err(_) => push_pair(&mut args, "--ro-bind-try", path, path),
            }
        }
        for entry in ETC_ENTRIES {
            push_pair(
                &mut args,
                "--ro-bind-try",
                Path::new(entry),
                Path::new(entry),
            );
        }
        for path in read_only {
            push_pair(&mut args, "--ro-bind-try", path, path);
        }
        for path in writable {
            push_pair(&mut args, "--bind-try", path, path);
        }
        args.extend(["--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp"].map(String::from));
        push_pair(&mut args, "--bind", &dirs.root, &dirs.root);
        args.extend(["--chdir".into(), plan.cwd.display().to_string()]);
        args.push("--".into());
        args.push(plan.program.clone());
        args.extend(plan.args.iter().cloned());
        args
    }
}

fn push_pair(args: &mut Vec<String>, flag: &str, a: &Path, b: &Path) {
    args.extend([
        flag.to_string(),
        a.display().to_string(),
        b.display().to_string(),
    ]);
}

/// Looks `name` up in the runner's own `PATH`.
pub fn find_in_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|candidate| candidate.is_file())
}
