//! The `deps` scanner: the [`Scanner`] the scan driver runs.
//!
//! `scan_file` parses one manifest, lockfile or source file into components and per-file
//! errors, and leaves two kinds of note for the finish step: `project` (this file declares an
//! ecosystem's dependencies for its directory and below) and `source` (a script's third-party
//! imports). `finish` needs the whole tree to decide what an import means: an import that
//! names one of the project's own modules (a file or directory of that name in the scan) is
//! dropped; so is one that a manifest or lockfile of the same ecosystem in the script's
//! directory or an ancestor declares (the manifest is the better record). An import such a
//! manifest covers *without* declaring it becomes an `import` component reported as
//! undeclared (`deps-undeclared`, naming the manifests), and so do the imports of scripts
//! no manifest covers (reported as unpinned). Then every component is checked (see
//! [`crate::check`]).
//!
//! Requirements files also leave a `requirements` note with their `-r`/`-c` includes, and
//! other `.txt`/`.in` files that read as requirements a `requirements-candidate` note, so the
//! finish step can follow includes across files first (see [`crate::requirements_includes`]).

use std::collections::HashSet;
use std::path::Path;

use chrono::Utc;
use corral_model::scanner::ScanNote;
use corral_model::{
    Component, ComponentSource, Ecosystem, FileError, RuleInfo, ScanOutput, Scanner, SourceFile,
};
use serde::{Deserialize, Serialize};

use crate::advisory::{AdvisoryDb, StoreError};
use crate::check::{Checker, Undeclared};
use crate::config::DepsConfig;
use crate::name::normalize;
use crate::package_index::PackageIndex;
use crate::parse::{self, FileKind, Import, Parser};
use crate::requirements_includes::{self, NOTE_CANDIDATE, NOTE_REQUIREMENTS, RequirementsNote};
use crate::rules;

const NOTE_PROJECT: &str = "project";
const NOTE_SOURCE: &str = "source";

#[derive(Debug, Serialize, Deserialize)]
struct SourceNote {
    ecosystem: Ecosystem,
    imports: Vec<Import>,
}

/// The dependency scanner.
#[derive(Debug)]
pub struct DepsScanner {
    checker: Checker,
}

impl DepsScanner {
    pub fn new(checker: Checker) -> Self {
        Self { checker }
    }

    /// Opens the advisory database and index snapshots in `data_dir` (either may be absent).
    pub fn open(config: DepsConfig, data_dir: &Path) -> Result<Self, StoreError> {
        let advisories = AdvisoryDb::open(data_dir)?;
        let index = PackageIndex::open(data_dir)?;
        Ok(Self::new(Checker::new(
            config,
            advisories,
            index,
            Some(data_dir.to_path_buf()),
            Utc::now().date_naive(),
        )))
    }

    pub fn checker(&self) -> &Checker {
        &self.checker
    }
}

/// Moves a note's line numbers by `shift` (history scans see hunks, not whole files).
fn shift_lines(note: &mut RequirementsNote, shift: u32) {
    for include in &mut note.includes {
        include.line += shift;
    }
    for c in &mut note.held {
        c.line = c.line.map(|l| l + shift);
    }
    for (line, _) in &mut note.problems {
        *line = line.map(|l| l + shift);
    }
}

fn dir_of(path: &str) -> &str {
    path.rfind('/').map(|i| &path[..i]).unwrap_or("")
}

/// Whether `dir` is `ancestor` or lies below it.
fn within(dir: &str, ancestor: &str) -> bool {
    ancestor.is_empty()
        || dir == ancestor
        || (dir.starts_with(ancestor) && dir.as_bytes().get(ancestor.len()) == Some(&b'/'))
}

impl Scanner for DepsScanner {
    fn id(&self) -> &'static str {
        rules::SCANNER
    }

    fn wants(&self, path: &str) -> bool {
        parse::kind_of(path).is_some() || requirements_includes::may_be_included(path)
    }

    fn scan_file(&self, file: &SourceFile<'_>, out: &mut ScanOutput) {
        let shift = file.first_line.saturating_sub(1);
        let note = |kind: &str, value: serde_json::Value| ScanNote {
            scanner: rules::SCANNER.into(),
            path: file.path.to_string(),
            kind: kind.into(),
            value,
        };
        let parser = parse::kind_of(file.path);
        if parser.is_none() {
            // Perhaps a file some requirements file includes (`-r base.txt`): held for finish.
            if requirements_includes::may_be_included(file.path)
                && let Some(mut held) =
                    requirements_includes::read_candidate(file.path, file.content)
            {
                shift_lines(&mut held, shift);
                let value = serde_json::to_value(held).expect("notes always serialise");
                out.notes.push(note(NOTE_CANDIDATE, value));
            }
            return;
        }
        let Some(mut parsed) = parse::parse_file(file.path, file.content) else {
            return;
        };
        if parser == Some(Parser::Requirements) {
            let mut value = RequirementsNote {
                includes: std::mem::take(&mut parsed.includes),
                ..RequirementsNote::default()
            };
            shift_lines(&mut value, shift);
            let value = serde_json::to_value(value).expect("notes always serialise");
            out.notes.push(note(NOTE_REQUIREMENTS, value));
        }
        for problem in parsed.problems {
            out.errors.push(FileError {
                scanner: rules::SCANNER.into(),
                path: file.path.to_string(),
                line: problem.line.map(|l| l + shift),
                message: problem.message,
            });
        }
        for mut c in parsed.components {
            c.line = c.line.map(|l| l + shift);
            out.components.push(c);
        }
        match parsed.kind {
            Some(FileKind::Project(ecosystem)) => {
                out.notes.push(note(
                    NOTE_PROJECT,
                    serde_json::json!({ "ecosystem": ecosystem }),
                ));
            }
            Some(FileKind::Source(ecosystem)) => {
                let imports = parsed
                    .imports
                    .into_iter()
                    .map(|mut i| {
                        i.line += shift;
                        i
                    })
                    .collect();
                let value = serde_json::to_value(SourceNote { ecosystem, imports })
                    .expect("notes always serialise");
                out.notes.push(note(NOTE_SOURCE, value));
            }
            Some(FileKind::InlineScript) => {
                let value = serde_json::to_value(SourceNote {
                    ecosystem: Ecosystem::PyPI,
                    imports: Vec::new(),
                })
                .expect("notes always serialise");
                out.notes.push(note(NOTE_SOURCE, value));
            }
            None => {}
        }
    }

    fn finish(&self, out: &mut ScanOutput) {
        requirements_includes::follow(out);
        let mine = out.notes.iter().filter(|n| n.scanner == rules::SCANNER);
        // (ecosystem, directory, manifest path)
        let mut projects: Vec<(Ecosystem, String, String)> = Vec::new();
        let mut sources: Vec<(String, SourceNote)> = Vec::new();
        for note in mine {
            match note.kind.as_str() {
                NOTE_PROJECT => {
                    if let Some(e) = note
                        .value
                        .get("ecosystem")
                        .and_then(|e| serde_json::from_value::<Ecosystem>(e.clone()).ok())
                    {
                        projects.push((e, dir_of(&note.path).to_string(), note.path.clone()));
                    }
                }
                NOTE_SOURCE => {
                    if let Ok(s) = serde_json::from_value::<SourceNote>(note.value.clone()) {
                        sources.push((note.path.clone(), s));
                    }
                }
                _ => {}
            }
        }
        // The project's own module names: every source file's stem and directory names.
        let mut local: HashSet<String> = HashSet::new();
        for (path, _) in &sources {
            let mut parts: Vec<&str> = path.split('/').collect();
            if let Some(file) = parts.pop() {
                let stem = file.split('.').next().unwrap_or(file);
                local.insert(stem.to_string());
            }
            local.extend(parts.iter().map(|p| p.to_string()));
        }
        let mut undeclared = Undeclared::new();
        for (path, source) in sources {
            let dir = dir_of(&path);
            let covering: Vec<String> = projects
                .iter()
                .filter(|(e, project_dir, _)| *e == source.ecosystem && within(dir, project_dir))
                .map(|(_, _, manifest)| manifest.clone())
                .collect();
            // What the covering manifests and lockfiles declare (a lockfile's entries are
            // installed at a known version, so they count as declared).
            let declared: HashSet<String> = if covering.is_empty() {
                HashSet::new()
            } else {
                out.components
                    .iter()
                    .filter(|c| {
                        c.ecosystem == source.ecosystem
                            && matches!(
                                c.source,
                                ComponentSource::Manifest | ComponentSource::Lockfile
                            )
                            && within(dir, dir_of(&c.path))
                    })
                    .map(|c| normalize(c.ecosystem, &c.name))
                    .collect()
            };
            for import in source.imports {
                if local.contains(&import.module) {
                    continue;
                }
                if !covering.is_empty() {
                    if declared.contains(&normalize(source.ecosystem, &import.package)) {
                        continue;
                    }
                    undeclared.insert((path.clone(), import.line), covering.clone());
                }
                out.components.push(Component {
                    ecosystem: source.ecosystem,
                    name: import.package,
                    version: None,
                    requirement: None,
                    source: ComponentSource::Import,
                    path: path.clone(),
                    line: Some(import.line),
                    direct: true,
                    license: None,
                });
            }
        }
        let findings = self.checker.check_in_context(&out.components, &undeclared);
        out.findings.extend(findings);
    }

    fn rules(&self) -> Vec<RuleInfo> {
        rules::all()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directories_contain_their_subdirectories_only() {
        assert!(within("a/b", "a"));
        assert!(within("a", ""));
        assert!(within("a", "a"));
        assert!(!within("ab", "a"));
    }
}
