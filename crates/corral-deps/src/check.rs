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

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::OnceLock;

use chrono::NaiveDate;
use corral_model::{
    Component, ComponentSource, Confidence, Ecosystem, Finding, Location, Severity, fingerprint,
};
use serde_json::json;

use crate::advisory::{Advisory, AdvisoryDb, affected_by_requirement, affects, smallest_fix_above};
use crate::config::DepsConfig;
use crate::name;
use crate::package_index::PackageIndex;
use crate::parse::is_direct_reference;
use crate::rules;
use crate::typosquat::TyposquatDetector;
use crate::typosquat_cache;
use crate::version::{Requirement, Version};

/// Imports that a manifest or lockfile covers without declaring them: (script path, line) →
/// the covering manifests. Built by the scanner, which sees the whole tree.
pub type Undeclared = BTreeMap<(String, u32), Vec<String>>;

/// Builds a finding's common fields: rule, severity, component, extra fingerprint parts.
type FindingBuilder<'a> = dyn Fn(&str, Severity, &Component, &[&str]) -> Finding + 'a;

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

fn source_priority(source: ComponentSource) -> u8 {
    match source {
        ComponentSource::Manifest => 0,
        ComponentSource::InlineScript => 1,
        ComponentSource::Import => 2,
        ComponentSource::Lockfile => 3,
    }
}

fn dir_of(path: &str) -> &str {
    path.rfind('/').map(|i| &path[..i]).unwrap_or("")
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
        let mut groups: BTreeMap<(Ecosystem, String, String), Vec<&Component>> = BTreeMap::new();
        for c in components {
            let key = (
                c.ecosystem,
                name::normalize(c.ecosystem, &c.name),
                dir_of(&c.path).to_string(),
            );
            groups.entry(key).or_default().push(c);
        }
        let mut findings = Vec::new();
        let mut skipped_notes: BTreeSet<(Ecosystem, &'static str)> = BTreeSet::new();
        for ((ecosystem, normalized, _), mut members) in groups {
            members.sort_by_key(|c| (source_priority(c.source), c.path.clone(), c.line));
            self.check_group(
                ecosystem,
                &normalized,
                &members,
                undeclared,
                &mut findings,
                &mut skipped_notes,
            );
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
        ecosystem: Ecosystem,
        normalized: &str,
        members: &[&Component],
        undeclared: &Undeclared,
        findings: &mut Vec<Finding>,
        skipped: &mut BTreeSet<(Ecosystem, &'static str)>,
    ) {
        let primary = members[0];
        let advisories = match self.advisories.lookup(ecosystem, normalized) {
            Ok(a) => a,
            Err(e) => {
                tracing::warn!(error = %e, "cannot read advisories");
                Vec::new()
            }
        };
        if !self.advisories.has(ecosystem) {
            skipped.insert((ecosystem, "advisory checks"));
        }
        let base = |rule: &str, severity: Severity, c: &Component, extra: &[&str]| {
            let mut parts = vec![
                rules::SCANNER,
                rule,
                c.path.as_str(),
                ecosystem.as_str(),
                normalized,
            ];
            parts.extend_from_slice(extra);
            let mut details = BTreeMap::new();
            details.insert("package".into(), json!(c.name));
            details.insert("ecosystem".into(), json!(ecosystem.as_str()));
            if let Some(v) = &c.version {
                details.insert("version".into(), json!(v));
            }
            if let Some(r) = &c.requirement {
                details.insert("requirement".into(), json!(r));
            }
            details.insert("declared_in".into(), json!(c.source));
            let title = rules::all()
                .into_iter()
                .find(|r| r.id == rule)
                .map(|r| r.title)
                .unwrap_or_default();
            Finding {
                scanner: rules::SCANNER.into(),
                rule_id: rule.into(),
                title,
                severity,
                confidence: Confidence::High,
                location: Location::new(c.path.clone(), c.line.unwrap_or(1), 1),
                cwe: rules::all()
                    .into_iter()
                    .find(|r| r.id == rule)
                    .map(|r| r.cwe)
                    .unwrap_or_default(),
                tags: vec!["dependencies".into(), "supply-chain".into()],
                message: String::new(),
                fix: None,
                fingerprint: fingerprint(&parts),
                secret: None,
                snippet: None,
                details,
            }
        };
        let inferred = primary.source == ComponentSource::Import;
        let shown = if inferred {
            format!("`{}` (inferred from an import)", primary.name)
        } else {
            format!("`{}`", primary.name)
        };

        // Known-malicious packages: whatever the version.
        let malicious: Vec<&Advisory> = advisories.iter().filter(|a| a.malicious).collect();
        if !malicious.is_empty() {
            let ids: Vec<&str> = malicious.iter().map(|a| a.id.as_str()).collect();
            let mut f = base(rules::MALICIOUS, Severity::Critical, primary, &[]);
            f.message = format!(
                "{shown} is a known-malicious package ({}): {}",
                ids.join(", "),
                malicious[0].summary
            );
            f.fix = Some("remove it, and treat machines that installed it as compromised".into());
            f.details.insert("advisories".into(), json!(ids));
            findings.push(f);
            // Nothing else about a malicious package matters: it must go.
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
                let mut f = base(rules::NONEXISTENT, Severity::Critical, primary, &[]);
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
            let mut f = base(rules::TYPOSQUAT, Severity::High, primary, &[]);
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
            let mut f = base(rules::NOT_ALLOWED, Severity::Medium, primary, &[]);
            f.message = format!("{shown} is not on the organisation's allow-list");
            f.fix = Some("use an approved package or ask for a review".into());
            findings.push(f);
        }

        // Project age.
        let min_age = i64::from(self.config.min_age_days);
        if let Some(first) = self.index.first_release(ecosystem, normalized) {
            let age = (self.today - first).num_days();
            if age < min_age {
                let mut f = base(rules::TOO_NEW, Severity::Medium, primary, &[]);
                f.message = format!(
                    "{shown} was first published {age} days ago ({first}), under the {min_age}-day minimum"
                );
                f.details
                    .insert("first_release".into(), json!(first.to_string()));
                f.details.insert("age_days".into(), json!(age));
                findings.push(f);
            }
        }

        // Versions.
        let mut versions: Vec<(&Component, Version)> = Vec::new();
        for c in members {
            if let Some(v) = c
                .version
                .as_deref()
                .and_then(|v| Version::parse(ecosystem, v))
                && !versions
                    .iter()
                    .any(|(_, seen)| seen.compare(&v) == Some(std::cmp::Ordering::Equal))
            {
                versions.push((c, v));
            }
        }
        let vulnerable: Vec<&Advisory> = advisories.iter().filter(|a| !a.malicious).collect();
        for (c, v) in &versions {
            let hits: Vec<&Advisory> = vulnerable
                .iter()
                .copied()
                .filter(|a| affects(ecosystem, a, v))
                .collect();
            for group in merge_aliases(&hits) {
                findings.push(self.vulnerability(
                    &base,
                    c,
                    &shown,
                    ecosystem,
                    &group,
                    Some(v),
                    None,
                ));
            }
            if let Some(released) =
                self.index
                    .version_release(ecosystem, normalized, &v.to_string())
            {
                let age = (self.today - released).num_days();
                if age < min_age {
                    let version = v.to_string();
                    let mut f = base(rules::TOO_NEW, Severity::Medium, c, &[&version]);
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
        let declared = members
            .iter()
            .find(|c| c.source != ComponentSource::Lockfile)
            .copied()
            .unwrap_or(primary);
        if let Some(reference) = declared
            .requirement
            .as_deref()
            .filter(|r| is_direct_reference(r))
        {
            let mut f = base(rules::UNPINNED_SOURCE, Severity::Medium, declared, &[]);
            f.message =
                format!("{shown} is installed from `{reference}`, not from the package index");
            f.fix = Some("publish it to your index and pin a released version".into());
            findings.push(f);
            return;
        }
        if let Some(requirement) = declared
            .requirement
            .as_deref()
            .and_then(|r| Requirement::parse(ecosystem, r))
        {
            let hits: Vec<(&Advisory, Version)> = vulnerable
                .iter()
                .filter_map(|a| {
                    affected_by_requirement(ecosystem, a, &requirement).map(|v| (*a, v))
                })
                .collect();
            let advisories_only: Vec<&Advisory> = hits.iter().map(|(a, _)| *a).collect();
            for group in merge_aliases(&advisories_only) {
                let example = hits
                    .iter()
                    .find(|(a, _)| a.id == group[0].id)
                    .map(|(_, v)| v.clone());
                let mut f = self.vulnerability(
                    &base,
                    declared,
                    &shown,
                    ecosystem,
                    &group,
                    None,
                    example.as_ref(),
                );
                f.confidence = Confidence::Medium;
                findings.push(f);
            }
        }
        if inferred
            && let Some(manifests) =
                undeclared.get(&(declared.path.clone(), declared.line.unwrap_or(0)))
        {
            let named: Vec<String> = manifests.iter().map(|m| format!("`{m}`")).collect();
            let mut f = base(rules::UNDECLARED, Severity::Medium, declared, &[]);
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
        let mut f = base(rules::UNPINNED, Severity::Low, declared, &[]);
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

    #[allow(clippy::too_many_arguments)]
    fn vulnerability(
        &self,
        base: &FindingBuilder<'_>,
        c: &Component,
        shown: &str,
        ecosystem: Ecosystem,
        group: &[&Advisory],
        installed: Option<&Version>,
        admitted: Option<&Version>,
    ) -> Finding {
        let mut ids: Vec<String> = group.iter().map(|a| a.id.clone()).collect();
        let mut aliases: BTreeSet<String> = group
            .iter()
            .flat_map(|a| a.aliases.iter().cloned())
            .collect();
        ids.sort();
        for id in &ids {
            aliases.remove(id);
        }
        let severity = group
            .iter()
            .filter_map(|a| a.severity)
            .max()
            .unwrap_or(Severity::Medium);
        let score = group
            .iter()
            .filter_map(|a| a.cvss_score)
            .fold(None, |m: Option<f64>, s| Some(m.map_or(s, |m| m.max(s))));
        let vector = group.iter().find_map(|a| a.cvss_vector.clone());
        let at = installed.or(admitted);
        let fix = group
            .iter()
            .filter_map(|a| smallest_fix_above(ecosystem, a, at))
            .max_by(|a, b| a.compare(b).unwrap_or(std::cmp::Ordering::Equal));
        let summary = group
            .iter()
            .map(|a| a.summary.as_str())
            .find(|s| !s.is_empty())
            .unwrap_or("");
        let primary_id = ids
            .iter()
            .find(|i| i.starts_with("GHSA-"))
            .or_else(|| ids.first())
            .cloned()
            .unwrap_or_default();
        let mut f = base(
            rules::VULNERABLE,
            severity,
            c,
            &[
                &primary_id,
                &installed.map(|v| v.to_string()).unwrap_or_default(),
            ],
        );
        let cve: Vec<&String> = aliases
            .iter()
            .chain(ids.iter())
            .filter(|a| a.starts_with("CVE-"))
            .collect();
        let label = match cve.first() {
            Some(cve) => format!("{primary_id} ({cve})"),
            None => primary_id.clone(),
        };
        f.message = match (installed, admitted) {
            (Some(v), _) => format!("{shown} {v} is affected by {label}: {summary}"),
            (None, Some(v)) => format!(
                "{shown} `{}` admits affected versions (e.g. {v}) of {label}: {summary}",
                c.requirement.as_deref().unwrap_or("")
            ),
            (None, None) => format!("{shown} is affected by {label}: {summary}"),
        };
        f.fix = Some(match &fix {
            Some(v) => format!("upgrade to {v} or later"),
            None => "no fixed version is published; remove or replace the package".into(),
        });
        f.cwe = vec![1395];
        f.details.insert("advisories".into(), json!(ids));
        f.details.insert("aliases".into(), json!(aliases));
        if let Some(fix) = fix {
            f.details
                .insert("fixed_version".into(), json!(fix.to_string()));
        }
        if let Some(s) = score {
            f.details.insert("cvss_score".into(), json!(s));
        }
        if let Some(v) = vector {
            f.details.insert("cvss_vector".into(), json!(v));
        }
        f
    }
}

/// Groups advisories that describe the same problem: two are the same when their id sets
/// (id plus aliases) overlap, transitively.
pub fn merge_aliases<'a>(advisories: &[&'a Advisory]) -> Vec<Vec<&'a Advisory>> {
    let n = advisories.len();
    let mut parent: Vec<usize> = (0..n).collect();
    fn find(parent: &mut [usize], i: usize) -> usize {
        let mut r = i;
        while parent[r] != r {
            r = parent[r];
        }
        let mut i = i;
        while parent[i] != r {
            let next = parent[i];
            parent[i] = r;
            i = next;
        }
        r
    }
    let mut owner: HashMap<&str, usize> = HashMap::new();
    for (i, a) in advisories.iter().enumerate() {
        for id in std::iter::once(&a.id).chain(&a.aliases) {
            match owner.get(id.as_str()) {
                Some(&j) => {
                    let (ri, rj) = (find(&mut parent, i), find(&mut parent, j));
                    parent[ri] = rj;
                }
                None => {
                    owner.insert(id.as_str(), i);
                }
            }
        }
    }
    let mut groups: BTreeMap<usize, Vec<&Advisory>> = BTreeMap::new();
    for (i, a) in advisories.iter().enumerate() {
        let root = find(&mut parent, i);
        groups.entry(root).or_default().push(a);
    }
    groups.into_values().collect()
}
