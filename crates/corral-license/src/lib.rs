//! The licence scanner (`corral scan --only license`).
//!
//! AI assistants reproduce code they have seen, sometimes with its licence notice, and add
//! dependencies without looking at their licences. Copyleft code or dependencies in
//! proprietary work oblige the company to publish that work; network copyleft (AGPL, SSPL)
//! does so even for internal services. This scanner finds:
//!
//! - `SPDX-License-Identifier:` lines in source files ([`spdx_tag`], parsed with the `spdx`
//!   crate: `OR` picks the most permissive choice, `AND` the most restrictive),
//! - copyleft licence notices and licence titles in source and licence files ([`notice`]),
//! - licences declared by dependencies (npm lockfiles, `node_modules/*/package.json` when
//!   scanned, Python `*.dist-info/METADATA`) and by the project itself ([`declared`]), plus
//!   the `license` of components other scanners found,
//!
//! and judges each with the `[license]` policy from `corral.toml` ([`policy`]): permissive
//! allowed, weak copyleft a warning, strong and network copyleft denied by default.
//!
//! Licences the scanner learns from lockfiles and metadata are also written into the
//! matching [`corral_model::Component`]s that lack one, so the inventory and SBOM carry them.

pub mod catalogue;
pub mod category;
pub mod declared;
pub mod notice;
pub mod policy;
pub mod spdx_tag;

use std::collections::BTreeMap;

use corral_model::scanner::ScanNote;
use corral_model::{Ecosystem, FileError, Location, RuleInfo, ScanOutput, Scanner, SourceFile};
use serde_json::{Value, json};

use crate::catalogue::Rule;
pub use crate::catalogue::SCANNER_ID;
use crate::category::{Categories, CategoryError};
use crate::declared::Declaration;
use crate::policy::Decision;
pub use crate::policy::{LicenseConfig, LicensePolicy, PolicyError, Verdict};

/// Notes this scanner writes (`scanner = "license"`):
///
/// - kind `declared-license`, value `{"ecosystem": "npm", "name": …, "version": …,
///   "license": …}`: a package's licence as its metadata declares it, used in
///   [`Scanner::finish`] to fill in components that have none.
/// - kind `license-source`, value `null`: this file's declared licences were already judged,
///   so components from the same file are not judged a second time.
const NOTE_DECLARED: &str = "declared-license";
const NOTE_SOURCE: &str = "license-source";

const RULE_TAG: &str = "license-spdx-identifier";
const RULE_NOTICE: &str = "license-notice";
const RULE_DEPENDENCY: &str = "license-dependency";
const RULE_PROJECT: &str = "license-project";

/// File extensions of source code that may carry SPDX tags or licence notices.
const SOURCE_EXTENSIONS: &[&str] = &[
    "py", "pyi", "js", "mjs", "cjs", "jsx", "ts", "mts", "cts", "tsx", "vue", "svelte", "rs", "go",
    "java", "kt", "kts", "scala", "groovy", "c", "h", "cc", "cpp", "cxx", "hpp", "hh", "m", "mm",
    "cs", "fs", "swift", "rb", "php", "pl", "pm", "lua", "r", "jl", "dart", "ex", "exs", "erl",
    "hs", "ml", "clj", "sh", "bash", "zsh", "ps1", "sql", "css", "scss", "less", "html", "htm",
];

/// The scanner could not be set up.
#[derive(Debug, thiserror::Error)]
pub enum LicenseSetupError {
    #[error("invalid [license] section: {0}")]
    Config(String),
    #[error(transparent)]
    Policy(#[from] PolicyError),
    #[error(transparent)]
    Categories(#[from] CategoryError),
    #[error("cannot load the licence rules: {0}")]
    Rules(String),
}

/// The licence scanner.
#[derive(Debug)]
pub struct LicenseScanner {
    policy: LicensePolicy,
    rules: Vec<Rule>,
}

/// What kind of file a path is, for this scanner.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FileRole {
    PackageJson,
    PackageLock,
    PythonMetadata,
    Pyproject,
    LicenseFile,
    Source,
}

fn role(path: &str) -> Option<FileRole> {
    let (dir, name) = path.rsplit_once('/').unwrap_or(("", path));
    match name {
        "package.json" => return Some(FileRole::PackageJson),
        "package-lock.json" => return Some(FileRole::PackageLock),
        "pyproject.toml" => return Some(FileRole::Pyproject),
        "METADATA" if dir.ends_with(".dist-info") => return Some(FileRole::PythonMetadata),
        "PKG-INFO" if dir.ends_with(".egg-info") => return Some(FileRole::PythonMetadata),
        _ => {}
    }
    let upper = name.to_ascii_uppercase();
    let stem = upper.split('.').next().unwrap_or("");
    if [
        "LICENSE",
        "LICENCE",
        "COPYING",
        "COPYING-LESSER",
        "COPYING_LESSER",
        "UNLICENSE",
    ]
    .iter()
    .any(|l| stem == *l || stem.starts_with(&format!("{l}-")) || stem.starts_with(&format!("{l}_")))
        && !upper.ends_with(".PY")
        && !upper.ends_with(".RS")
        && !upper.ends_with(".JS")
        && !upper.ends_with(".TS")
    {
        return Some(FileRole::LicenseFile);
    }
    let ext = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase())?;
    SOURCE_EXTENSIONS
        .contains(&ext.as_str())
        .then_some(FileRole::Source)
}

impl LicenseScanner {
    /// A scanner with `config` as its policy.
    pub fn new(config: &LicenseConfig) -> Result<Self, LicenseSetupError> {
        let policy = LicensePolicy::new(config, Categories::built_in()?)?;
        let rules = catalogue::built_in().map_err(|e| LicenseSetupError::Rules(e.to_string()))?;
        if let Err(e) = notice::built_in() {
            return Err(LicenseSetupError::Rules(e.to_string()));
        }
        Ok(Self { policy, rules })
    }

    /// A scanner configured from the `[license]` section of a parsed `corral.toml` (the
    /// defaults when the section is absent).
    pub fn from_config_table(config: &toml::Table) -> Result<Self, LicenseSetupError> {
        let section = match config.get("license") {
            None => LicenseConfig::default(),
            Some(value) => value
                .clone()
                .try_into()
                .map_err(|e: toml::de::Error| LicenseSetupError::Config(e.message().to_string()))?,
        };
        Self::new(&section)
    }

    pub fn policy(&self) -> &LicensePolicy {
        &self.policy
    }

    /// The rules, with their examples.
    pub fn rule_specs(&self) -> &[Rule] {
        &self.rules
    }

    fn rule(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| r.id == id)
    }

    /// Reports `decision` for `subject` if the policy does not simply allow it.
    #[allow(clippy::too_many_arguments)]
    fn report(
        &self,
        out: &mut ScanOutput,
        file: &SourceFile<'_>,
        rule_id: &str,
        (line_index, column): (usize, u32),
        subject: &str,
        written: &str,
        decision: &Decision,
        key: &str,
        snippet: Option<String>,
        mut details: BTreeMap<String, Value>,
        problem: Option<&str>,
    ) {
        let (Some(rule), Some(severity)) = (self.rule(rule_id), decision.verdict.severity()) else {
            return;
        };
        let categories = self.policy.categories();
        let described = decision.describe(categories);
        let judgement = match decision.verdict {
            Verdict::Deny => "which the licence policy does not allow",
            Verdict::Warn => "which the licence policy flags for review of its copyleft terms",
            _ => "which the licence policy does not classify; have it reviewed",
        };
        let message = if let Some(problem) = problem {
            format!("{subject} is under `{written}`, which {problem}; have it reviewed")
        } else if described.is_empty() {
            format!("{subject} is under `{written}`, {judgement}")
        } else {
            format!("{subject} is under `{written}`: {described}, {judgement}")
        };
        details.insert("license".into(), Value::from(written));
        details.insert("verdict".into(), Value::from(decision.verdict.as_str()));
        details.insert(
            "deciding".into(),
            Value::from(
                decision
                    .deciding
                    .iter()
                    .map(|j| json!({ "license": j.license, "category": j.category }))
                    .collect::<Vec<_>>(),
            ),
        );
        let mut location = Location::new(file.path, file.first_line + line_index as u32, column);
        location.commit = file.commit.cloned();
        out.findings
            .push(rule.finding(location, severity, message, key, snippet, details));
    }

    /// Judges an expression; an unparseable one gets the policy's `unknown` verdict.
    fn decide(&self, expression: &str) -> Decision {
        self.policy.decide_text(expression).unwrap_or(Decision {
            verdict: self.policy.unknown(),
            deciding: Vec::new(),
        })
    }

    fn scan_source(&self, file: &SourceFile<'_>, text: &str, out: &mut ScanOutput) {
        let tags = spdx_tag::find(text);
        for tag in &tags {
            let (decision, problem) = match self.policy.decide_text(&tag.expression) {
                Ok(decision) => (decision, None),
                Err(error) => (
                    Decision {
                        verdict: self.policy.unknown(),
                        deciding: Vec::new(),
                    },
                    Some(format!(
                        "is not a valid SPDX expression ({})",
                        error
                            .lines()
                            .last()
                            .unwrap_or("")
                            .trim()
                            .trim_start_matches('^')
                            .trim()
                    )),
                ),
            };
            self.report(
                out,
                file,
                RULE_TAG,
                (tag.line_index, tag.column),
                "This file",
                &tag.expression,
                &decision,
                &tag.expression,
                Some(tag.line.chars().take(240).collect()),
                BTreeMap::new(),
                problem.as_deref(),
            );
        }
        if tags.is_empty() {
            self.scan_notices(
                file,
                text,
                RULE_NOTICE,
                "This file carries a licence notice and",
                out,
            );
        }
    }

    fn scan_notices(
        &self,
        file: &SourceFile<'_>,
        text: &str,
        rule_id: &str,
        subject: &str,
        out: &mut ScanOutput,
    ) {
        let Ok(notices) = notice::built_in() else {
            return;
        };
        for hit in notices.find(text) {
            let decision = self.decide(&hit.id);
            let snippet = text
                .lines()
                .nth(hit.line_index)
                .map(|l| l.trim().chars().take(240).collect());
            let mut details = BTreeMap::new();
            details.insert("matched_text".into(), Value::from(hit.matched.clone()));
            self.report(
                out,
                file,
                rule_id,
                (hit.line_index, 1),
                subject,
                &hit.id,
                &decision,
                &hit.id,
                snippet,
                details,
                None,
            );
        }
    }

    fn scan_declarations(
        &self,
        file: &SourceFile<'_>,
        text: &str,
        ecosystem: Ecosystem,
        declarations: Vec<Declaration>,
        out: &mut ScanOutput,
    ) {
        out.notes.push(ScanNote {
            scanner: SCANNER_ID.into(),
            path: file.path.into(),
            kind: NOTE_SOURCE.into(),
            value: Value::Null,
        });
        for declaration in declarations {
            let snippet = text
                .lines()
                .nth(declaration.line_index)
                .map(|l| l.trim().chars().take(240).collect());
            let special = special_license(&declaration.license);
            match &declaration.package {
                None => {
                    if special.is_some() {
                        continue; // UNLICENSED / custom terms: the project's own business
                    }
                    let decision = self.decide(&declaration.license);
                    self.report(
                        out,
                        file,
                        RULE_PROJECT,
                        (declaration.line_index, 1),
                        "The project",
                        &declaration.license,
                        &decision,
                        &declaration.license,
                        snippet,
                        BTreeMap::new(),
                        None,
                    );
                }
                Some(package) => {
                    out.notes.push(ScanNote {
                        scanner: SCANNER_ID.into(),
                        path: file.path.into(),
                        kind: NOTE_DECLARED.into(),
                        value: json!({
                            "ecosystem": ecosystem.as_str(),
                            "name": package.name,
                            "version": package.version,
                            "license": declaration.license,
                        }),
                    });
                    let shown = match &package.version {
                        Some(v) => format!("{}@{v}", package.name),
                        None => package.name.clone(),
                    };
                    let decision = match special {
                        Some(_) => Decision {
                            verdict: self.policy.unknown(),
                            deciding: Vec::new(),
                        },
                        None => self.decide(&declaration.license),
                    };
                    let subject = match special {
                        Some(reason) => format!("Dependency `{shown}` ({reason})"),
                        None => format!("Dependency `{shown}`"),
                    };
                    let mut details = BTreeMap::new();
                    details.insert("package".into(), Value::from(package.name.clone()));
                    details.insert("ecosystem".into(), Value::from(ecosystem.as_str()));
                    if let Some(v) = &package.version {
                        details.insert("version".into(), Value::from(v.clone()));
                    }
                    self.report(
                        out,
                        file,
                        RULE_DEPENDENCY,
                        (declaration.line_index, 1),
                        &subject,
                        &declaration.license,
                        &decision,
                        &format!("{shown}\0{}", declaration.license),
                        snippet,
                        details,
                        None,
                    );
                }
            }
        }
    }
}

/// Declared values that are not SPDX expressions, with what they mean.
fn special_license(license: &str) -> Option<&'static str> {
    let upper = license.trim().to_ascii_uppercase();
    if upper == "UNLICENSED" {
        Some("declares UNLICENSED: no licence is granted to anyone")
    } else if upper.starts_with("SEE LICENSE IN") || upper.starts_with("SEE LICENCE IN") {
        Some("custom licence terms in a file of the package")
    } else {
        None
    }
}

impl Scanner for LicenseScanner {
    fn id(&self) -> &'static str {
        SCANNER_ID
    }

    fn wants(&self, path: &str) -> bool {
        role(path).is_some()
    }

    fn scan_file(&self, file: &SourceFile<'_>, out: &mut ScanOutput) {
        let Some(role) = role(file.path) else {
            return;
        };
        let text = String::from_utf8_lossy(file.content);
        let whole_file = file.commit.is_none() && file.first_line == 1;
        let mut error = |line: Option<u32>, message: String| {
            out.errors.push(FileError {
                scanner: SCANNER_ID.into(),
                path: file.path.into(),
                line,
                message,
            })
        };
        let declarations = match role {
            FileRole::Source => {
                self.scan_source(file, &text, out);
                return;
            }
            FileRole::LicenseFile => {
                let (rule, subject) = if file.path.contains('/') {
                    (RULE_NOTICE, "This licence file")
                } else {
                    (RULE_PROJECT, "The project's licence file")
                };
                self.scan_notices(file, &text, rule, subject, out);
                return;
            }
            _ if !whole_file => return,
            FileRole::PackageJson => {
                declared::package_json(file.path, &text).map(|d| (Ecosystem::Npm, d))
            }
            FileRole::PackageLock => declared::package_lock(&text).map(|d| (Ecosystem::Npm, d)),
            FileRole::Pyproject => declared::pyproject(&text).map(|d| (Ecosystem::PyPI, d)),
            FileRole::PythonMetadata => Ok((Ecosystem::PyPI, declared::python_metadata(&text))),
        };
        match declarations {
            Ok((ecosystem, list)) => self.scan_declarations(file, &text, ecosystem, list, out),
            Err(e) => error(e.line, e.message),
        }
    }

    fn finish(&self, out: &mut ScanOutput) {
        let notes: Vec<&ScanNote> = out
            .notes
            .iter()
            .filter(|n| n.scanner == SCANNER_ID)
            .collect();
        let judged_paths: Vec<&str> = notes
            .iter()
            .filter(|n| n.kind == NOTE_SOURCE)
            .map(|n| n.path.as_str())
            .collect();
        let declared: Vec<(String, String, Option<String>, String)> = notes
            .iter()
            .filter(|n| n.kind == NOTE_DECLARED)
            .filter_map(|n| {
                Some((
                    n.value.get("ecosystem")?.as_str()?.to_string(),
                    n.value.get("name")?.as_str()?.to_string(),
                    n.value
                        .get("version")
                        .and_then(Value::as_str)
                        .map(str::to_string),
                    n.value.get("license")?.as_str()?.to_string(),
                ))
            })
            .collect();
        let mut findings = Vec::new();
        for component in &mut out.components {
            if component.license.is_none() {
                component.license = declared
                    .iter()
                    .find(|(eco, name, version, _)| {
                        eco == component.ecosystem.as_str()
                            && name == &component.name
                            && (version.is_none()
                                || component.version.is_none()
                                || version == &component.version)
                    })
                    .map(|(_, _, _, license)| license.clone());
                continue; // judged where it was declared
            }
            if judged_paths.contains(&component.path.as_str()) {
                continue;
            }
            let Some(license) = component.license.clone() else {
                continue;
            };
            let shown = match &component.version {
                Some(v) => format!("{}@{v}", component.name),
                None => component.name.clone(),
            };
            let decision = self.decide(&license);
            let line_index = component.line.map_or(0, |l| l.saturating_sub(1) as usize);
            let path = component.path.clone();
            let mut scratch = ScanOutput::default();
            let file = SourceFile::whole(&path, &[]);
            let mut details = BTreeMap::new();
            details.insert("package".into(), Value::from(component.name.clone()));
            details.insert(
                "ecosystem".into(),
                Value::from(component.ecosystem.as_str()),
            );
            self.report(
                &mut scratch,
                &file,
                RULE_DEPENDENCY,
                (line_index, 1),
                &format!("Dependency `{shown}`"),
                &license,
                &decision,
                &format!("{shown}\0{license}"),
                None,
                details,
                None,
            );
            findings.append(&mut scratch.findings);
        }
        out.findings.append(&mut findings);
    }

    fn rules(&self) -> Vec<RuleInfo> {
        self.rules.iter().map(Rule::info).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_recognised_by_name_and_extension() {
        assert_eq!(role("package-lock.json"), Some(FileRole::PackageLock));
        assert_eq!(
            role("venv/lib/site-packages/x-1.0.dist-info/METADATA"),
            Some(FileRole::PythonMetadata)
        );
        assert_eq!(role("METADATA"), None);
        assert_eq!(role("vendor/x/COPYING.LESSER"), Some(FileRole::LicenseFile));
        assert_eq!(role("LICENSE-MIT"), Some(FileRole::LicenseFile));
        assert_eq!(role("src/license.py"), Some(FileRole::Source));
        assert_eq!(role("README.md"), None);
        assert_eq!(role("image.png"), None);
    }

    #[test]
    fn a_bad_license_section_is_refused_with_the_key() {
        let table: toml::Table =
            toml::from_str("[license]\ndeny = [\"GPL-3.0\"]\nallw = []\n").unwrap();
        let err = LicenseScanner::from_config_table(&table)
            .unwrap_err()
            .to_string();
        assert!(err.contains("[license]") && err.contains("allw"), "{err}");
    }
}
