//! pip requirements files (`requirements*.txt`, `constraints*.txt`, pip-tools `.in` files).
//!
//! Each logical line (after joining `\` continuations and dropping comments) is a PEP 508
//! requirement, read with `pep508_rs`, optionally followed by per-requirement options such as
//! `--hash=sha256:…`, which are dropped. `-r`/`--requirement` and `-c`/`--constraint` lines
//! name other files: they are recorded as [`Include`]s with their line, and followed across
//! the scan by `crate::requirements_includes` once every file has been read. Editable (`-e`),
//! VCS and URL lines install code that no index reviewed: they become components whose
//! requirement is the reference itself, and the checks report them as unpinned sources.
//! Local paths (`.`, `./pkg`) are the project's own code and are not dependencies.

use std::str::FromStr;

use corral_model::{ComponentSource, Ecosystem};
use pep508_rs::{Requirement, VerbatimUrl, VersionOrUrl};

use serde::{Deserialize, Serialize};

use super::{Parsed, Problem, component};
use crate::version::exact_pin;

/// How a requirements file names another one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum IncludeKind {
    /// `-r FILE`: its requirements are installed too.
    Requirements,
    /// `-c FILE`: its pins decide the versions of requirements named elsewhere, but it
    /// installs nothing by itself.
    Constraints,
}

impl IncludeKind {
    /// The option as a user writes it.
    pub fn option(self) -> &'static str {
        match self {
            IncludeKind::Requirements => "-r",
            IncludeKind::Constraints => "-c",
        }
    }
}

/// One `-r`/`-c` line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Include {
    pub kind: IncludeKind,
    /// The file as written, relative to the including file's directory.
    pub target: String,
    pub line: u32,
}

/// Whether `path` is read as a requirements file.
pub fn is_requirements_file(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    let file = lower.rsplit('/').next().unwrap_or(&lower);
    let text_like = file.ends_with(".txt") || file.ends_with(".in");
    text_like
        && (file.contains("requirements")
            || file.starts_with("constraints")
            || lower.contains("requirements/"))
}

/// Parses a requirements file.
pub fn parse(path: &str, text: &str) -> Parsed {
    let mut parsed = Parsed {
        kind: Some(super::FileKind::Project(Ecosystem::PyPI)),
        ..Parsed::default()
    };
    let mut logical = String::new();
    let mut start_line = 0u32;
    for (i, raw) in text.lines().enumerate() {
        let line_no = i as u32 + 1;
        if logical.is_empty() {
            start_line = line_no;
        }
        let (body, continued) = match raw.trim_end().strip_suffix('\\') {
            Some(body) => (body, true),
            None => (raw, false),
        };
        logical.push_str(body);
        logical.push(' ');
        if continued {
            continue;
        }
        let line = std::mem::take(&mut logical);
        parse_line(path, strip_comment(&line).trim(), start_line, &mut parsed);
    }
    if !logical.trim().is_empty() {
        parse_line(
            path,
            strip_comment(&logical).trim(),
            start_line,
            &mut parsed,
        );
    }
    parsed
}

/// Drops a `#` comment: at line start or after whitespace (a `#` inside a URL fragment such
/// as `#egg=name` stays).
fn strip_comment(line: &str) -> &str {
    let bytes = line.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'#' && (i == 0 || bytes[i - 1].is_ascii_whitespace()) {
            return &line[..i];
        }
    }
    line
}

fn parse_line(path: &str, line: &str, line_no: u32, parsed: &mut Parsed) {
    if line.is_empty() {
        return;
    }
    if line.starts_with('-') {
        let (option, value) = split_option(line);
        let include = match option {
            "-e" | "--editable" => {
                reference(path, value, line_no, parsed);
                return;
            }
            "-r" | "--requirement" => Some((IncludeKind::Requirements, value)),
            "-c" | "--constraint" => Some((IncludeKind::Constraints, value)),
            // `-rbase.txt`: a short option with its value attached.
            _ if option.starts_with("-r") && !option.starts_with("--") => {
                Some((IncludeKind::Requirements, &line[2..]))
            }
            _ if option.starts_with("-c") && !option.starts_with("--") => {
                Some((IncludeKind::Constraints, &line[2..]))
            }
            // Index and install options say nothing about which packages are installed.
            _ => None,
        };
        if let Some((kind, target)) = include {
            let target = target.trim().trim_matches(['"', '\'']);
            if target.is_empty() {
                parsed.problems.push(Problem {
                    line: Some(line_no),
                    message: format!("`{line}` names no file; write `{} FILE`", kind.option()),
                });
            } else {
                parsed.includes.push(Include {
                    kind,
                    target: target.to_string(),
                    line: line_no,
                });
            }
        }
        return;
    }
    // Per-requirement options (`--hash=…`, `--config-settings …`) follow the requirement.
    let requirement = match line.find(" --").or_else(|| line.find("\t--")) {
        Some(at) => line[..at].trim(),
        None => line,
    };
    if is_local_path(requirement) {
        return;
    }
    if looks_like_url(requirement) {
        reference(path, requirement, line_no, parsed);
        return;
    }
    match Requirement::<VerbatimUrl>::from_str(requirement) {
        Ok(req) => {
            let name = req.name.to_string();
            let mut c = component(
                Ecosystem::PyPI,
                &name,
                ComponentSource::Manifest,
                path,
                Some(line_no),
            );
            match &req.version_or_url {
                Some(VersionOrUrl::VersionSpecifier(spec)) => {
                    let spec = spec.to_string();
                    c.version = exact_pin(Ecosystem::PyPI, &spec);
                    c.requirement = Some(spec).filter(|s| !s.is_empty());
                }
                Some(VersionOrUrl::Url(url)) => {
                    c.requirement = Some(url.to_string());
                }
                None => {}
            }
            parsed.components.push(c);
        }
        Err(err) => parsed.problems.push(Problem {
            line: Some(line_no),
            message: format!(
                "`{requirement}` is not a valid requirement: {}",
                first_line(&err.to_string())
            ),
        }),
    }
}

fn first_line(s: &str) -> &str {
    s.lines().next().unwrap_or(s)
}

fn split_option(line: &str) -> (&str, &str) {
    if let Some((option, value)) = line.split_once('=')
        && !option.contains(' ')
    {
        return (option, value.trim());
    }
    match line.split_once(char::is_whitespace) {
        Some((option, value)) => (option, value.trim()),
        None => (line, ""),
    }
}

fn is_local_path(s: &str) -> bool {
    s == "."
        || s.starts_with("./")
        || s.starts_with("../")
        || s.starts_with('/')
        || s.starts_with("file:")
}

fn looks_like_url(s: &str) -> bool {
    s.contains("://")
        || ["git+", "hg+", "svn+", "bzr+"]
            .iter()
            .any(|p| s.starts_with(p))
}

/// An editable, VCS or URL requirement. The name comes from `#egg=` or a `name @ url` form,
/// else from the archive or repository name.
fn reference(path: &str, value: &str, line_no: u32, parsed: &mut Parsed) {
    let value = value.trim();
    if value.is_empty() || is_local_path(value) {
        return;
    }
    let (name, url) = match value.split_once(" @ ") {
        Some((name, url)) => (Some(name.trim().to_string()), url.trim()),
        None => (None, value),
    };
    let name = name
        .or_else(|| {
            url.split_once("#egg=")
                .map(|(_, egg)| egg.split(['&', ' ']).next().unwrap_or(egg).to_string())
        })
        .or_else(|| {
            let last = url
                .split(['#', '?'])
                .next()?
                .trim_end_matches('/')
                .rsplit('/')
                .next()?;
            let stem = last.trim_end_matches(".git");
            // Wheel and sdist names: `name-version-…`.
            let stem =
                if stem.ends_with(".whl") || stem.ends_with(".tar.gz") || stem.ends_with(".zip") {
                    stem.split('-').next().unwrap_or(stem)
                } else {
                    stem
                };
            Some(stem.to_string()).filter(|s| !s.is_empty())
        });
    match name {
        Some(name) if crate::name::is_plausible(Ecosystem::PyPI, &name) => {
            let mut c = component(
                Ecosystem::PyPI,
                &name,
                ComponentSource::Manifest,
                path,
                Some(line_no),
            );
            c.requirement = Some(url.to_string());
            parsed.components.push(c);
        }
        _ => parsed.problems.push(Problem {
            line: Some(line_no),
            message: format!("cannot tell which package `{value}` installs; add `#egg=NAME`"),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pins_ranges_markers_extras_and_hashes_are_read() {
        let text = "\
# tools
requests==2.31.0 --hash=sha256:abc \\
    --hash=sha256:def
flask[async]>=2.0,<3 ; python_version >= \"3.8\"  # web
numpy
-r base.txt
--index-url https://example.invalid/simple
";
        let p = parse("requirements.txt", text);
        assert!(p.problems.is_empty(), "{:?}", p.problems);
        let got: Vec<_> = p
            .components
            .iter()
            .map(|c| {
                (
                    c.name.as_str(),
                    c.version.as_deref(),
                    c.requirement.as_deref(),
                    c.line,
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                ("requests", Some("2.31.0"), Some("==2.31.0"), Some(2)),
                ("flask", None, Some(">=2.0, <3"), Some(4)),
                ("numpy", None, None, Some(5)),
            ]
        );
    }

    #[test]
    fn every_spelling_of_an_include_is_recorded_with_its_line() {
        let text = "\
-r base.txt
--requirement=../shared/common.txt
-rextra.txt
-c constraints.txt
--constraint \"pins/prod.txt\"
-r
flask
";
        let p = parse("app/requirements.txt", text);
        let got: Vec<_> = p
            .includes
            .iter()
            .map(|i| (i.kind, i.target.as_str(), i.line))
            .collect();
        assert_eq!(
            got,
            [
                (IncludeKind::Requirements, "base.txt", 1),
                (IncludeKind::Requirements, "../shared/common.txt", 2),
                (IncludeKind::Requirements, "extra.txt", 3),
                (IncludeKind::Constraints, "constraints.txt", 4),
                (IncludeKind::Constraints, "pins/prod.txt", 5),
            ]
        );
        assert_eq!(p.problems.len(), 1, "{:?}", p.problems);
        assert_eq!(p.problems[0].line, Some(6));
        assert!(p.problems[0].message.contains("names no file"));
        assert_eq!(p.components.len(), 1);
    }

    #[test]
    fn vcs_url_and_editable_lines_become_direct_references() {
        let text = "\
-e git+https://example.invalid/org/tool.git@main#egg=tool
https://example.invalid/dl/pkgname-1.0-py3-none-any.whl
mylib @ git+https://example.invalid/org/mylib.git
-e .
";
        let p = parse("requirements.txt", text);
        assert!(p.problems.is_empty(), "{:?}", p.problems);
        let names: Vec<_> = p.components.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["tool", "pkgname", "mylib"]);
        assert!(p.components.iter().all(|c| c.version.is_none()));
        assert!(
            p.components[2]
                .requirement
                .as_deref()
                .unwrap()
                .starts_with("git+https")
        );
    }

    #[test]
    fn a_bad_line_is_reported_with_its_number_and_the_rest_is_read() {
        let p = parse("requirements.txt", "requests>=2.0,<\nflask==3.0\n");
        assert_eq!(p.problems.len(), 1);
        assert_eq!(p.problems[0].line, Some(1));
        assert!(p.problems[0].message.contains("requests>=2.0,<"));
        assert_eq!(p.components.len(), 1);
        assert_eq!(p.components[0].name, "flask");
    }

    #[test]
    fn requirements_file_names_are_recognised() {
        assert!(is_requirements_file("requirements.txt"));
        assert!(is_requirements_file("dev-requirements.txt"));
        assert!(is_requirements_file("requirements/prod.txt"));
        assert!(is_requirements_file("requirements.in"));
        assert!(!is_requirements_file("readme.txt"));
    }
}
