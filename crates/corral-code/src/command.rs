//! What a started process runs: the program of an argument list, or the command given to a
//! shell or interpreter in it.
//!
//! `subprocess.run(["ping", "-c", "1", host])` runs `ping` whatever `host` holds: without a
//! shell, an argument is never parsed as a command, so a tainted argument is not command
//! injection. It is when the program itself is tainted (`[host, "--version"]`), or when the
//! program is a shell or interpreter handed a tainted command after its command flag
//! (`["bash", "-c", "ping " + host]`, `["cmd", "/c", …]`, `["python3", "-c", …]`). A string
//! is a command line, run whole, and counts as its own program; so does a value whose
//! elements the analysis does not know.

use std::sync::Arc;

use crate::constant::Const;
use crate::value::{Shape, Taint, Value};

/// Programs that run their command-flag argument as code.
const SHELLS: &[&str] = &[
    "sh",
    "bash",
    "zsh",
    "dash",
    "ksh",
    "ash",
    "csh",
    "tcsh",
    "fish",
    "busybox",
    "cmd",
    "powershell",
    "pwsh",
    "python",
    "python2",
    "python3",
    "node",
    "perl",
    "ruby",
    "php",
];

/// The taint that decides what a process started with `v` runs, if any.
pub fn command_taint(v: &Value) -> Option<Arc<Taint>> {
    let Some(Shape::List(items)) = v.shape.as_deref() else {
        return v.deep_taint();
    };
    let Some(program) = items.first() else {
        // Elements added where the analysis could not place them: one may be the program.
        return v.taint.clone();
    };
    if let Some(t) = program.deep_taint() {
        return Some(t);
    }
    // A program the analysis does not know (one of several on different paths) may be a
    // shell: its command flag decides, as for a known shell.
    if program.konst.as_ref().is_some_and(|c| !is_shell(c)) {
        return None;
    }
    // A shell: the element after its command flag is the command. PowerShell also takes
    // the first plain argument as one.
    // With the program unknown, a flag may be unknown too: a clean value that is one of
    // several constants (`"/c"` on Windows, `"-c"` elsewhere).
    let unknown_program = program.konst.is_none();
    let flag = items[1..].iter().position(|i| match &i.konst {
        Some(c) => is_command_flag(c),
        None => unknown_program && i.pure && i.deep_taint().is_none(),
    });
    let command = match flag {
        Some(f) => items.get(f + 2),
        None if program.konst.as_ref().is_some_and(is_powershell) => items[1..].iter().find(|i| {
            !i.konst
                .as_ref()
                .is_some_and(|c| c.as_text().starts_with('-'))
        }),
        None => return None,
    };
    match command {
        Some(c) => c.deep_taint(),
        // The command was added later, where the analysis could not place it.
        None => v.taint.clone(),
    }
}

fn program_name(c: &Const) -> Option<String> {
    let Const::Str(s) = c else { return None };
    let base = s
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or(s)
        .to_ascii_lowercase();
    let base = base.strip_suffix(".exe").unwrap_or(&base).to_string();
    Some(base)
}

fn is_shell(c: &Const) -> bool {
    program_name(c).is_some_and(|name| {
        // `python3.12` is `python3`.
        let stem = name.split_once('.').map_or(name.as_str(), |(a, _)| a);
        SHELLS.contains(&stem) || SHELLS.contains(&name.as_str())
    })
}

fn is_powershell(c: &Const) -> bool {
    program_name(c).is_some_and(|n| n == "powershell" || n == "pwsh")
}

/// `-c` (also combined, `-lc`), `/c` and `/k` for cmd, `-Command`, and the interpreters'
/// `-e`/`--eval`/`-r`.
fn is_command_flag(c: &Const) -> bool {
    let Const::Str(s) = c else { return false };
    let s = s.to_ascii_lowercase();
    if let Some(letters) = s.strip_prefix('-')
        && !letters.starts_with('-')
        && !letters.is_empty()
        && letters.chars().all(|ch| ch.is_ascii_alphabetic())
        && letters.len() <= 4
        && (letters.ends_with('c') || letters == "e" || letters == "r")
    {
        return true;
    }
    matches!(
        s.as_str(),
        "/c" | "/k" | "-command" | "--command" | "--eval" | "-encodedcommand"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(text: &str) -> Value {
        Value::constant(Const::Str(Arc::from(text)))
    }

    fn tainted() -> Value {
        Value::tainted(Arc::new(Taint {
            label: Arc::from("request.args"),
            line: 1,
            cleared: 0,
            sources: 1,
        }))
    }

    #[test]
    fn an_argument_of_a_fixed_program_decides_nothing() {
        let v = Value::list(vec![s("ping"), s("-c"), s("1"), tainted()]);
        assert!(command_taint(&v).is_none());
    }

    #[test]
    fn a_tainted_program_or_shell_command_decides_what_runs() {
        assert!(command_taint(&Value::list(vec![tainted(), s("-v")])).is_some());
        assert!(command_taint(&Value::list(vec![s("/bin/bash"), s("-lc"), tainted()])).is_some());
        assert!(command_taint(&Value::list(vec![s("cmd.exe"), s("/c"), tainted()])).is_some());
        assert!(command_taint(&Value::list(vec![s("powershell"), tainted()])).is_some());
        assert!(command_taint(&Value::list(vec![s("python3.12"), s("-c"), tainted()])).is_some());
        assert!(command_taint(&tainted()).is_some());
    }

    #[test]
    fn a_shell_running_a_fixed_script_with_a_tainted_argument_is_not_a_command() {
        let v = Value::list(vec![s("sh"), s("backup.sh"), tainted()]);
        assert!(command_taint(&v).is_none());
        let v = Value::list(vec![s("bash"), s("-c"), s("echo $1"), tainted()]);
        assert!(command_taint(&v).is_none());
    }

    #[test]
    fn a_program_chosen_on_another_path_counts_as_a_shell_when_given_a_command_flag() {
        let either = Value::join(&s("cmd.exe"), &s("sh"));
        let v = Value::list(vec![either.clone(), s("-c"), tainted()]);
        assert!(command_taint(&v).is_some());
        let v = Value::list(vec![either.clone(), s("--verbose"), tainted()]);
        assert!(command_taint(&v).is_none());
        let flag = Value::join(&s("/c"), &s("-c"));
        let v = Value::list(vec![either, flag, tainted()]);
        assert!(command_taint(&v).is_some());
    }
}
