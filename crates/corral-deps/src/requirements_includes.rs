//! Following `-r FILE` and `-c FILE` between requirements files, across the whole scan.
//!
//! pip reads an included file relative to the file that names it, so `-r base.txt` in
//! `service/requirements.txt` means `service/base.txt`, and `-c ../constraints.txt` means
//! `constraints.txt` at the top. A scanner sees one file at a time, so each requirements file
//! leaves a note with its includes, and [`follow`] walks them in the finish step, once every
//! file has been read:
//!
//! - **`-r FILE`**: the file's requirements are installed too. A file named like a
//!   requirements file (`requirements*.txt`, `requirements/…`, `constraints*.txt`, `.in`) is
//!   scanned on its own anyway; any other `.txt`/`.in` file (`base.txt`, `common.in`) is read
//!   only in case something includes it, and its requirements become components, at their own
//!   file and line, only when something does.
//! - **`-c FILE`**: a constraints file installs nothing by itself; its exact pins
//!   (`name==X.Y`) decide which version of a requirement is installed. They are applied to the
//!   unpinned requirements of the including file and of every file it pulls in with `-r`, so a
//!   `flask>=2` constrained to `flask==2.0.1` is checked for advisories at 2.0.1 (and is not
//!   reported as unpinned: pip will install exactly that). Everything reached through a `-c`
//!   is a constraint, including what that file itself includes.
//! - **Cycles** (`a.txt` includes `b.txt`, which includes `a.txt`) are not followed twice:
//!   the include that closes the cycle is reported once, naming every file in it.
//! - **An include that cannot be followed** (the file is not in the scan, lies outside the
//!   scanned tree, or is a URL, which Corral never fetches) is reported as a file error at the
//!   including file and line, saying what was not checked; the rest of the scan goes on.
//!
//! Includes are only ever resolved *among the files the scan itself read*: this module
//! never opens a path. An include that climbs out of the scanned tree (`-r ../../x.txt`), or
//! an absolute path that is not one of the scanned files (`-r /etc/pins.txt`), is reported,
//! not read, on purpose:
//!
//! - the same scanner runs on the server over every registered repository: a requirements
//!   file that could make it read any path of the machine would let a repository pull that
//!   machine's files into a report other people read (names, versions and the parse errors
//!   quoting their lines);
//! - a report must depend only on what was scanned: a file beside the repository on one
//!   laptop is missing on the next, or in CI, and the same commit would then give different
//!   findings;
//! - the fix is in the user's hands and the message says it: scan a directory that holds
//!   both files (with several roots, report paths keep their root, so an absolute include of
//!   a file under one of the roots is followed).
//!
//! Files read only in case they are included are held back unless most of their lines read as
//! requirements and they are at most [`MAX_CANDIDATE_BYTES`]: word lists pass, prose,
//! licences and `MANIFEST.in` files do not, and a huge data file is never parsed.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use corral_model::{Component, ComponentSource, Ecosystem, FileError, ScanOutput};
use serde::{Deserialize, Serialize};

use crate::name::normalize;
use crate::parse::requirements::{self, Include, IncludeKind};
use crate::parse::{Parsed, is_direct_reference};
use crate::rules;

/// Note kind: a requirements file in the scan, with its includes.
pub(crate) const NOTE_REQUIREMENTS: &str = "requirements";
/// Note kind: a `.txt`/`.in` file that reads as requirements but is not named like them,
/// held in case another file includes it.
pub(crate) const NOTE_CANDIDATE: &str = "requirements-candidate";

/// The largest file read only in case another includes it.
pub const MAX_CANDIDATE_BYTES: usize = 256 * 1024;

/// What a requirements note carries.
#[derive(Debug, Default, Serialize, Deserialize)]
pub(crate) struct RequirementsNote {
    pub includes: Vec<Include>,
    /// For candidates only: the requirements and problems, held until an include claims them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub held: Vec<Component>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub problems: Vec<(Option<u32>, String)>,
}

/// Whether a file the parsers do not claim is still read, in case a requirements file
/// includes it. Only a name check: [`candidate`] decides after reading.
pub fn may_be_included(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    (lower.ends_with(".txt") || lower.ends_with(".in")) && !lower.contains("node_modules/")
}

/// How much of a candidate is tried first: a file whose opening does not read as
/// requirements is dropped without parsing the rest.
const SNIFF_BYTES: usize = 4 * 1024;

/// Reads a file that may be included (see [`may_be_included`]): its note if it reads as a
/// requirements file, else `None`. Most `.txt` files are prose or data, so the first
/// [`SNIFF_BYTES`] are tried before the whole file is parsed.
pub(crate) fn read_candidate(path: &str, content: &[u8]) -> Option<RequirementsNote> {
    if content.len() > MAX_CANDIDATE_BYTES {
        return None;
    }
    let text = String::from_utf8_lossy(content);
    if text.len() > SNIFF_BYTES {
        let mut end = SNIFF_BYTES;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        let cut = text[..end].rfind('\n').unwrap_or(0);
        candidate(cut, requirements::parse(path, &text[..cut]))?;
    }
    candidate(content.len(), requirements::parse(path, &text))
}

/// The note for a file read only in case it is included, if it reads as a requirements file.
pub(crate) fn candidate(content_len: usize, parsed: Parsed) -> Option<RequirementsNote> {
    let good = parsed.components.len() + parsed.includes.len();
    if content_len > MAX_CANDIDATE_BYTES || good == 0 || parsed.problems.len() >= good {
        return None;
    }
    Some(RequirementsNote {
        includes: parsed.includes,
        held: parsed.components,
        problems: parsed
            .problems
            .into_iter()
            .map(|p| (p.line, p.message))
            .collect(),
    })
}

fn dir_of(path: &str) -> &str {
    path.rfind('/').map(|i| &path[..i]).unwrap_or("")
}

/// The scan path of `target` as included from `including`, or why it cannot be followed.
pub(crate) fn resolve(including: &str, include: &Include) -> Result<String, String> {
    let target = include.target.as_str();
    let written = format!("{} {target}", include.kind.option());
    if target.contains("://") {
        return Err(format!(
            "`{written}` is a remote file; Corral does not fetch it, so {}",
            not_checked(include.kind)
        ));
    }
    let absolute = target.starts_with('/');
    let mut parts: Vec<&str> = if absolute {
        Vec::new()
    } else {
        dir_of(including)
            .split('/')
            .filter(|p| !p.is_empty())
            .collect()
    };
    for part in target.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if parts.pop().is_none() {
                    return Err(format!(
                        "`{written}` points outside the scanned tree, so {}; scan the directory that holds it",
                        not_checked(include.kind)
                    ));
                }
            }
            part => parts.push(part),
        }
    }
    let joined = parts.join("/");
    Ok(if absolute {
        format!("/{joined}")
    } else {
        joined
    })
}

fn not_checked(kind: IncludeKind) -> &'static str {
    match kind {
        IncludeKind::Requirements => "its requirements were not checked",
        IncludeKind::Constraints => "its pins were not applied",
    }
}

/// One requirements file of the scan, as the notes describe it.
struct FileEntry {
    /// Scanned on its own (named like a requirements file): its components are in the output.
    own: bool,
    note: RequirementsNote,
}

/// Walks every include of every requirements file in `out` (see the module docs): claims
/// included candidates, applies constraint pins, and reports includes that cannot be
/// followed. Called at the start of the finish step, before anything is checked.
pub(crate) fn follow(out: &mut ScanOutput) {
    let mut files: BTreeMap<String, FileEntry> = BTreeMap::new();
    for note in out.notes.iter().filter(|n| n.scanner == rules::SCANNER) {
        let own = match note.kind.as_str() {
            NOTE_REQUIREMENTS => true,
            NOTE_CANDIDATE => false,
            _ => continue,
        };
        if let Ok(value) = serde_json::from_value::<RequirementsNote>(note.value.clone()) {
            files.insert(note.path.clone(), FileEntry { own, note: value });
        }
    }
    if files.values().all(|f| f.note.includes.is_empty()) {
        return;
    }
    // Exact pins of every requirements file scanned on its own, by file.
    let mut own_pins: HashMap<&str, Vec<(String, String)>> = HashMap::new();
    for c in &out.components {
        if let Some(v) = &c.version
            && c.ecosystem == Ecosystem::PyPI
            && c.source == ComponentSource::Manifest
            && files.get(&c.path).is_some_and(|f| f.own)
        {
            own_pins
                .entry(c.path.as_str())
                .or_default()
                .push((normalize(Ecosystem::PyPI, &c.name), v.clone()));
        }
    }

    let mut walk = Walk {
        files: &files,
        own_pins: &own_pins,
        claimed: BTreeSet::new(),
        errors: BTreeMap::new(),
        reported_cycles: BTreeSet::new(),
    };
    // (requirements files pulled in by a root, pins that apply to them)
    let mut pinned: Vec<(BTreeSet<String>, HashMap<String, String>)> = Vec::new();
    for (path, entry) in &files {
        if !entry.own {
            continue;
        }
        let mut root = Root::default();
        root.requirement_files.insert(path.clone());
        let mut stack = vec![path.clone()];
        walk.visit(path, IncludeKind::Requirements, &mut stack, &mut root);
        if !root.pins.is_empty() {
            pinned.push((root.requirement_files, root.pins));
        }
    }
    let Walk {
        claimed, errors, ..
    } = walk;
    drop(own_pins);

    for path in &claimed {
        let entry = &files[path];
        out.components.extend(entry.note.held.iter().cloned());
        for (line, message) in &entry.note.problems {
            out.errors.push(FileError {
                scanner: rules::SCANNER.into(),
                path: path.clone(),
                line: *line,
                message: message.clone(),
            });
        }
    }
    for ((path, line), message) in errors {
        out.errors.push(FileError {
            scanner: rules::SCANNER.into(),
            path,
            line: Some(line),
            message,
        });
    }
    for (requirement_files, pins) in pinned {
        for c in out.components.iter_mut() {
            if c.ecosystem == Ecosystem::PyPI
                && c.version.is_none()
                && c.source == ComponentSource::Manifest
                && requirement_files.contains(&c.path)
                && !c.requirement.as_deref().is_some_and(is_direct_reference)
                && let Some(v) = pins.get(&normalize(Ecosystem::PyPI, &c.name))
            {
                c.version = Some(v.clone());
            }
        }
    }
}

/// What one requirements file (scanned on its own) pulls in.
#[derive(Default)]
struct Root {
    /// Itself and every file reached through `-r` only.
    requirement_files: BTreeSet<String>,
    /// Normalised name → version, from every file reached through a `-c`.
    pins: HashMap<String, String>,
    /// (file, mode) already walked from this root: a file included twice is walked once.
    visited: BTreeSet<(String, bool)>,
}

struct Walk<'a> {
    files: &'a BTreeMap<String, FileEntry>,
    own_pins: &'a HashMap<&'a str, Vec<(String, String)>>,
    /// Candidates some `-r` pulled in: their held requirements become components.
    claimed: BTreeSet<String>,
    /// (including file, line) → why that include was not followed.
    errors: BTreeMap<(String, u32), String>,
    reported_cycles: BTreeSet<Vec<String>>,
}

impl Walk<'_> {
    fn visit(&mut self, file: &str, mode: IncludeKind, stack: &mut Vec<String>, root: &mut Root) {
        let Some(entry) = self.files.get(file) else {
            return;
        };
        for include in &entry.note.includes {
            let mode = match (mode, include.kind) {
                (IncludeKind::Requirements, IncludeKind::Requirements) => IncludeKind::Requirements,
                _ => IncludeKind::Constraints,
            };
            let target = match resolve(file, include) {
                Ok(target) => target,
                Err(reason) => {
                    self.errors.insert((file.to_string(), include.line), reason);
                    continue;
                }
            };
            let written = format!("{} {}", include.kind.option(), include.target);
            if let Some(at) = stack.iter().position(|f| *f == target) {
                let mut members: Vec<String> = stack[at..].to_vec();
                members.sort();
                if self.reported_cycles.insert(members) {
                    let chain: Vec<&str> = stack[at..]
                        .iter()
                        .map(String::as_str)
                        .chain([target.as_str()])
                        .collect();
                    self.errors.insert(
                        (file.to_string(), include.line),
                        format!(
                            "`{written}` closes an include cycle ({}); it is not followed again",
                            chain.join(" → ")
                        ),
                    );
                }
                continue;
            }
            let Some(included) = self.files.get(&target) else {
                let message = if target.starts_with('/') {
                    format!(
                        "`{written}` is an absolute path that is not among the scanned files; Corral reads nothing outside what it scans, so {}; scan a directory that holds both files",
                        not_checked(include.kind)
                    )
                } else {
                    format!(
                        "`{written}`: `{target}` is not in this scan (it does not exist, is excluded, or does not read as a requirements file), so {}",
                        not_checked(include.kind)
                    )
                };
                self.errors
                    .insert((file.to_string(), include.line), message);
                continue;
            };
            if !root
                .visited
                .insert((target.clone(), mode == IncludeKind::Requirements))
            {
                continue;
            }
            match mode {
                IncludeKind::Requirements => {
                    root.requirement_files.insert(target.clone());
                    if !included.own {
                        self.claimed.insert(target.clone());
                    }
                }
                IncludeKind::Constraints => {
                    let pins: Vec<(String, String)> = if included.own {
                        self.own_pins
                            .get(target.as_str())
                            .cloned()
                            .unwrap_or_default()
                    } else {
                        included
                            .note
                            .held
                            .iter()
                            .filter(|c| c.ecosystem == Ecosystem::PyPI)
                            .filter_map(|c| {
                                Some((normalize(Ecosystem::PyPI, &c.name), c.version.clone()?))
                            })
                            .collect()
                    };
                    for (name, version) in pins {
                        // The first constraint met wins, as pip refuses conflicting ones.
                        root.pins.entry(name).or_insert(version);
                    }
                }
            }
            stack.push(target.clone());
            self.visit(&target, mode, stack, root);
            stack.pop();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn include(kind: IncludeKind, target: &str) -> Include {
        Include {
            kind,
            target: target.into(),
            line: 1,
        }
    }

    #[test]
    fn includes_resolve_relative_to_the_including_file() {
        let r =
            |from: &str, target: &str| resolve(from, &include(IncludeKind::Requirements, target));
        assert_eq!(
            r("service/requirements.txt", "base.txt").unwrap(),
            "service/base.txt"
        );
        assert_eq!(
            r("service/requirements.txt", "./base.txt").unwrap(),
            "service/base.txt"
        );
        assert_eq!(
            r("service/requirements.txt", "../common.txt").unwrap(),
            "common.txt"
        );
        assert_eq!(
            r("requirements.txt", "requirements/dev.txt").unwrap(),
            "requirements/dev.txt"
        );
        assert_eq!(
            r("a/b/requirements.txt", "../../x/../y.txt").unwrap(),
            "y.txt"
        );
        assert_eq!(
            r("requirements.txt", "/srv/pins.txt").unwrap(),
            "/srv/pins.txt"
        );
    }

    #[test]
    fn includes_that_leave_the_tree_or_need_the_network_say_what_was_not_checked() {
        let outside = resolve(
            "requirements.txt",
            &include(IncludeKind::Requirements, "../up.txt"),
        )
        .unwrap_err();
        assert!(outside.contains("outside the scanned tree"), "{outside}");
        assert!(
            outside.contains("requirements were not checked"),
            "{outside}"
        );
        let remote = resolve(
            "requirements.txt",
            &include(IncludeKind::Constraints, "https://example.invalid/c.txt"),
        )
        .unwrap_err();
        assert!(remote.contains("does not fetch"), "{remote}");
        assert!(remote.contains("pins were not applied"), "{remote}");
    }

    #[test]
    fn only_files_that_mostly_read_as_requirements_are_held_for_includes() {
        let parse = |text: &str| requirements::parse("base.txt", text);
        assert!(candidate(100, parse("flask==2.0\n# c\nrequests\n")).is_some());
        assert!(
            candidate(
                100,
                parse("This file explains the project.\nRun it like so.\n")
            )
            .is_none(),
            "prose"
        );
        assert!(
            candidate(
                100,
                parse("include README.md\nrecursive-include src *.py\n")
            )
            .is_none(),
            "MANIFEST.in"
        );
        assert!(
            candidate(MAX_CANDIDATE_BYTES + 1, parse("flask\n")).is_none(),
            "too big"
        );
        assert!(
            candidate(10, parse("# only a comment\n")).is_none(),
            "nothing in it"
        );
    }

    #[test]
    fn a_long_file_whose_opening_is_prose_is_not_parsed_further() {
        let mut prose = "This is a long story about the deployment.\n".repeat(200);
        prose.push_str(&"flask==2.0\n".repeat(2_000));
        assert!(
            read_candidate("notes.txt", prose.as_bytes()).is_none(),
            "the opening decides"
        );
        let pins = "flask==2.0\n".repeat(2_000);
        let note = read_candidate("pins.txt", pins.as_bytes()).unwrap();
        assert_eq!(note.held.len(), 2_000);
        assert_eq!(note.held[1_999].line, Some(2_000));
    }
}
