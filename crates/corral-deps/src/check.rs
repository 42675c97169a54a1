//! Evaluating components: the checks that turn an inventory into findings.
//!
//! Components are grouped by (ecosystem, normalised name, project directory), so a package
//! declared in `package.json` and resolved in `package-lock.json` next to it is one package:
//!
//! - *name checks* run once per group, reported at the most direct declaration (manifest,
//!   then inline script, then import, then lockfile): known-malicious (`MAL-`), existence in
//!   the index snapshot, typosquat, allow-list, project age;
//! - *version checks* run per exact version in the group (lockfile entries and `==` pins):
//!   advisories, with aliases merged into one finding and the smallest fix above the version
//!   suggested, and version age;
//! - when the group has no exact version at all, the declared requirement is checked for
//!   admitting affected versions (see `advisory::matching`), and the dependency is reported
//!   as unpinned; VCS/URL references are reported as unpinned sources.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

use chrono::NaiveDate;
use corral_model::{Component, Confidence, Ecosystem, Finding, Location, Severity, fingerprint};
use serde_json::json;

use crate::advisory::AdvisoryDb;
use crate::advisory_check::{
    advisories_of, malicious_finding, requirement_vulnerabilities, version_vulnerabilities,
};
use crate::config::DepsConfig;
use crate::package_group::{PackageGroup, group_components};
use crate::package_index::PackageIndex;
use crate::parse::is_direct_reference;
use crate::rules;
use crate::typosquat::TyposquatDetector;
use crate::typosquat_cache;

/// Imports that a manifest or lockfile covers without declaring them: (script path, line) →
/// the covering manifests. Built by the scanner, which sees the whole tree.
pub type Undeclared = BTreeMap<(String, u32), Vec<String>>;

/// Everything the checks consult. Built once per scan; typosquat detectors are loaded on
/// first use of their ecosystem, from the index file in the data directory when it is valid
/// (see `typosquat_cache`).
pub struct Checker {
    pub config: DepsConfig,
    pub advisories: AdvisoryDb,
    pub index: PackageIndex,
    pub today: NaiveDate,
    data_dir: Option<std::path::PathBuf>,
    detectors: [OnceLock<TyposquatDetector>; 2],
}

impl std::fmt::Debug for Checker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Checker")
            .field("config", &self.config)
            .field("advisories", &self.advisories)
            .field("index", &self.index)
            .finish()
    }
}

fn slot(ecosystem: Ecosystem) -> usize {
    match ecosystem {
        Ecosystem::PyPI => 0,
        Ecosystem::Npm => 1,
    }
}

impl Checker {
    pub fn new(
        config: DepsConfig,
        advisories: AdvisoryDb,
        index: PackageIndex,
        data_dir: Option<std::path::PathBuf>,
        today: NaiveDate,
    ) -> Self {
        Self {
            config,
            advisories,
            index,
            today,
            data_dir,
            detectors: [OnceLock::new(), OnceLock::new()],
        }
    }

    /// The typosquat detector for `ecosystem`.
    pub fn detector(&self, ecosystem: Ecosystem) -> &TyposquatDetector {
        self.detectors[slot(ecosystem)]
            .get_or_init(|| typosquat_cache::load_detector(self.data_dir.as_deref(), ecosystem))
    }

    /// Checks every component; returns the findings.
    pub fn check(&self, components: &[Component]) -> Vec<Finding> {
        self.check_in_context(components, &Undeclared::new())
    }

    /// Like [`check`](Self::check), knowing which import components a manifest covers
    /// without declaring them: those are reported as undeclared rather than merely unpinned.
    pub fn check_in_context(
        &self,
        components: &[Component],
        undeclared: &Undeclared,
    ) -> Vec<Finding> {
        let mut findings = Vec::new();
        let mut skipped_notes: BTreeSet<(Ecosystem, &'static str)> = BTreeSet::new();
        for group in group_components(components) {
            self.check_group(&group, undeclared, &mut findings, &mut skipped_notes);
        }
        for (ecosystem, what) in skipped_notes {
            let first = components.iter().find(|c| c.ecosystem == ecosystem);
            let path = first.map(|c| c.path.clone()).unwrap_or_default();
            findings.push(Finding {
                scanner: rules::SCANNER.into(),
                rule_id: rules::CHECK_SKIPPED.into(),
                title: "Dependency check not performed".into(),
                severity: Severity::Info,
                confidence: Confidence::High,
                location: Location::new(path.clone(), 1, 1),
                cwe: vec![],
                tags: vec!["dependencies".into()],
                message: format!("{what} for {ecosystem} packages were skipped: no data has been loaded"),
                fix: Some("run `corral db update`, or load data with `corral db import` / `corral db import-names`".into()),
                fingerprint: fingerprint(&[rules::SCANNER, rules::CHECK_SKIPPED, ecosystem.as_str(), what]),
                secret: None,
                snippet: None,
                details: BTreeMap::from([("ecosystem".into(), json!(ecosystem.as_str())), ("check".into(), json!(what))]),
            });
        }
        findings
    }

    fn check_group(
        &self,
        group: &PackageGroup<'_>,
        undeclared: &Undeclared,
        findings: &mut Vec<Finding>,
        skipped: &mut BTreeSet<(Ecosystem, &'static str)>,
    ) {
        let ecosystem = group.ecosystem;
        let normalized = group.normalized.as_str();
        let primary = group.primary();
        let advisories = advisories_of(&self.advisories, ecosystem, normalized);
        if !self.advisories.has(ecosystem) {
            skipped.insert((ecosystem, "advisory checks"));
        }
        let inferred = group.inferred();
        let shown = group.shown();

        // Known-malicious packages: whatever the version. Nothing else about a malicious
        // package matters: it must go.
        if let Some(f) = malicious_finding(group, &advisories) {
            findings.push(f);
            return;
        }

        // Existence and typosquats.
        let exists = self.index.contains(ecosystem, normalized);
        let imitation = self.detector(ecosystem).check(normalized);
        match exists {
            None => {
                skipped.insert((ecosystem, "existence checks"));
            }
            Some(false) => {
                let mut f = group.finding(rules::NONEXISTENT, Severity::Critical, primary, &[]);
                if inferred {
                    f.confidence = Confidence::Medium;
                }
                f.message = format!(
                    "{shown} does not exist in the {ecosystem} index: anyone can register it"
                );
                if let Some(i) = &imitation {
                    f.message
                        .push_str(&format!(" (did you mean `{}`?)", i.target));
                    f.details.insert("similar_to".into(), json!(i.target));
                }
                f.fix = Some("depend on the real package that provides this functionality".into());
                findings.push(f);
                // A name that does not exist has no versions, age or advisories to check.
                return;
            }
            _ => {}
        }
        if let Some(i) = &imitation {
            let mut f = group.finding(rules::TYPOSQUAT, Severity::High, primary, &[]);
            f.confidence = Confidence::Medium;
            f.message = format!(
                "{shown} looks like a typosquat of the popular package `{}` (rank {}): it {}",
                i.target,
                i.target_rank,
                i.mistake.describe()
            );
            f.fix = Some(format!("if you meant `{}`, depend on it instead", i.target));
            f.details.insert("imitates".into(), json!(i.target));
            f.details
                .insert("imitates_rank".into(), json!(i.target_rank));
            f.details.insert("mistake".into(), json!(i.mistake));
            findings.push(f);
        }

        // Allow-list.
        if self.config.has_allow_list() && !self.config.allows(ecosystem, normalized) {
            let mut f = group.finding(rules::NOT_ALLOWED, Severity::Medium, primary, &[]);
            f.message = format!("{shown} is not on the organisation's allow-list");
            f.fix = Some("use an approved package or ask for a review".into());
            findings.push(f);
        }

        // Project age.
        let min_age = i64::from(self.config.min_age_days);
        if let Some(first) = self.index.first_release(ecosystem, normalized) {
            let age = (self.today - first).num_days();
            if age < min_age {
                let mut f = group.finding(rules::TOO_NEW, Severity::Medium, primary, &[]);
                f.message = format!(
                    "{shown} was first published {age} days ago ({first}), under the {min_age}-day minimum"
                );
                f.details
                    .insert("first_release".into(), json!(first.to_string()));
                f.details.insert("age_days".into(), json!(age));
                findings.push(f);
            }
        }

        // Versions: advisories, then age.
        let versions = group.versions();
        findings.extend(version_vulnerabilities(group, &versions, &advisories));
        for (c, v) in &versions {
            if let Some(released) =
                self.index
                    .version_release(ecosystem, normalized, &v.to_string())
            {
                let age = (self.today - released).num_days();
                if age < min_age {
                    let version = v.to_string();
                    let mut f = group.finding(rules::TOO_NEW, Severity::Medium, c, &[&version]);
                    f.message = format!(
                        "{shown} {version} was published {age} days ago ({released}), under the {min_age}-day minimum"
                    );
                    f.details
                        .insert("released".into(), json!(released.to_string()));
                    f.details.insert("age_days".into(), json!(age));
                    findings.push(f);
                }
            }
        }
        if !versions.is_empty() {
            return;
        }
        let declared = group.declared();
        if let Some(reference) = declared
            .requirement
            .as_deref()
            .filter(|r| is_direct_reference(r))
        {
            let mut f = group.finding(rules::UNPINNED_SOURCE, Severity::Medium, declared, &[]);
            f.message =
                format!("{shown} is installed from `{reference}`, not from the package index");
            f.fix = Some("publish it to your index and pin a released version".into());
            findings.push(f);
            return;
        }
        findings.extend(requirement_vulnerabilities(group, &advisories));
        if inferred
            && let Some(manifests) =
                undeclared.get(&(declared.path.clone(), declared.line.unwrap_or(0)))
        {
            let named: Vec<String> = manifests.iter().map(|m| format!("`{m}`")).collect();
            let mut f = group.finding(rules::UNDECLARED, Severity::Medium, declared, &[]);
            f.message = format!(
                "{shown} is imported here but not declared in {}, which covers this script: whoever runs it installs the package by hand, at no fixed version",
                named.join(" or ")
            );
            f.fix = Some(format!(
                "declare `{}` in {} (and lock it), or remove the import",
                primary.name, named[0]
            ));
            f.details.insert("manifests".into(), json!(manifests));
            findings.push(f);
            return;
        }
        let mut f = group.finding(rules::UNPINNED, Severity::Low, declared, &[]);
        f.message = match &declared.requirement {
            Some(r) => {
                format!("{shown} is constrained by `{r}` but not pinned to an exact version")
            }
            None if inferred => format!(
                "{shown} is used without being declared in any manifest, so no version is fixed"
            ),
            None => format!("{shown} has no version constraint"),
        };
        f.fix = Some(match ecosystem {
            Ecosystem::PyPI => {
                "pin it (`name==X.Y.Z`) or commit a lockfile (uv.lock, poetry.lock)".into()
            }
            Ecosystem::Npm => "commit package-lock.json (or yarn.lock / pnpm-lock.yaml)".into(),
        });
        findings.push(f);
    }
}
