//! The advisory checks: known-malicious packages, and versions (or requirements) affected by
//! a published vulnerability.
//!
//! The scanner runs them among its other checks (`check.rs`). The server runs them on their
//! own, through [`advisory_findings`], over every stored inventory whenever its advisory data
//! changes: both paths build their findings with the functions in this file, so a
//! re-evaluated inventory yields exactly what a fresh scan with the same data would report.
//!
//! - A `MAL-` record makes the package critical whatever the version, and nothing else about
//!   it is reported.
//! - Each exact version is checked against every other advisory; advisories that alias each
//!   other (CVE, GHSA, PYSEC ids of one problem) become one finding.
//! - A package with no exact version anywhere is checked through its declared requirement:
//!   reported when it admits an affected version (with medium confidence), unless it points
//!   outside the index (a VCS or URL reference), which no advisory range describes.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use corral_model::{Component, Confidence, Ecosystem, Finding, Severity};
use serde_json::json;

use crate::advisory::{Advisory, AdvisoryDb, affected_by_requirement, affects, smallest_fix_above};
use crate::package_group::{PackageGroup, group_components};
use crate::parse::is_direct_reference;
use crate::rules;
use crate::version::{Requirement, Version};

/// The advisories of a package, or none (with a warning) when the database cannot be read.
pub fn advisories_of(db: &AdvisoryDb, ecosystem: Ecosystem, normalized: &str) -> Vec<Advisory> {
    match db.lookup(ecosystem, normalized) {
        Ok(a) => a,
        Err(e) => {
            tracing::warn!(error = %e, "cannot read advisories");
            Vec::new()
        }
    }
}

/// Only the advisory checks over `components`, grouped as the scanner groups them: the
/// known-malicious and vulnerable-dependency findings a scan with this database would
/// report, and nothing about names, age, pinning or allow-lists.
pub fn advisory_findings(db: &AdvisoryDb, components: &[Component]) -> Vec<Finding> {
    group_components(components)
        .iter()
        .flat_map(|group| {
            let advisories = advisories_of(db, group.ecosystem, &group.normalized);
            group_advisory_findings(group, &advisories)
        })
        .collect()
}

/// The advisory findings of one package group, given its advisories.
pub fn group_advisory_findings(group: &PackageGroup<'_>, advisories: &[Advisory]) -> Vec<Finding> {
    if advisories.is_empty() {
        return Vec::new();
    }
    if let Some(f) = malicious_finding(group, advisories) {
        return vec![f];
    }
    let versions = group.versions();
    if versions.is_empty() {
        requirement_vulnerabilities(group, advisories)
    } else {
        version_vulnerabilities(group, &versions, advisories)
    }
}

/// The critical finding for a package with `MAL-` records, if it has any.
pub fn malicious_finding(group: &PackageGroup<'_>, advisories: &[Advisory]) -> Option<Finding> {
    let malicious: Vec<&Advisory> = advisories.iter().filter(|a| a.malicious).collect();
    if malicious.is_empty() {
        return None;
    }
    let ids: Vec<&str> = malicious.iter().map(|a| a.id.as_str()).collect();
    let mut f = group.finding(rules::MALICIOUS, Severity::Critical, group.primary(), &[]);
    f.message = format!(
        "{} is a known-malicious package ({}): {}",
        group.shown(),
        ids.join(", "),
        malicious[0].summary
    );
    f.fix = Some("remove it, and treat machines that installed it as compromised".into());
    f.details.insert("advisories".into(), json!(ids));
    Some(f)
}

/// One finding per (exact version, advisory with its aliases) that affects it.
pub fn version_vulnerabilities(
    group: &PackageGroup<'_>,
    versions: &[(&Component, Version)],
    advisories: &[Advisory],
) -> Vec<Finding> {
    let vulnerable: Vec<&Advisory> = advisories.iter().filter(|a| !a.malicious).collect();
    let mut findings = Vec::new();
    for (c, v) in versions {
        let hits: Vec<&Advisory> = vulnerable
            .iter()
            .copied()
            .filter(|a| affects(group.ecosystem, a, v))
            .collect();
        for merged in merge_aliases(&hits) {
            findings.push(vulnerability(group, c, &merged, Some(v), None));
        }
    }
    findings
}

/// For a package with no exact version: one finding per advisory (with its aliases) whose
/// affected versions the declared requirement admits. None for a VCS or URL reference.
pub fn requirement_vulnerabilities(
    group: &PackageGroup<'_>,
    advisories: &[Advisory],
) -> Vec<Finding> {
    let declared = group.declared();
    let Some(requirement) = declared
        .requirement
        .as_deref()
        .filter(|r| !is_direct_reference(r))
        .and_then(|r| Requirement::parse(group.ecosystem, r))
    else {
        return Vec::new();
    };
    let hits: Vec<(&Advisory, Version)> = advisories
        .iter()
        .filter(|a| !a.malicious)
        .filter_map(|a| affected_by_requirement(group.ecosystem, a, &requirement).map(|v| (a, v)))
        .collect();
    let advisories_only: Vec<&Advisory> = hits.iter().map(|(a, _)| *a).collect();
    merge_aliases(&advisories_only)
        .into_iter()
        .map(|merged| {
            let example = hits
                .iter()
                .find(|(a, _)| a.id == merged[0].id)
                .map(|(_, v)| v.clone());
            let mut f = vulnerability(group, declared, &merged, None, example.as_ref());
            f.confidence = Confidence::Medium;
            f
        })
        .collect()
}

/// The id a merged advisory group is known by: its GHSA id when it has one (the id most
/// tools and people use), else the first id in order.
pub fn primary_advisory_id(ids: &[String]) -> String {
    ids.iter()
        .find(|i| i.starts_with("GHSA-"))
        .or_else(|| ids.iter().min())
        .cloned()
        .unwrap_or_default()
}

/// The finding for one merged advisory group affecting `c`: at the `installed` version, or
/// admitted by its requirement (`admitted` is an example affected version).
fn vulnerability(
    group: &PackageGroup<'_>,
    c: &Component,
    merged: &[&Advisory],
    installed: Option<&Version>,
    admitted: Option<&Version>,
) -> Finding {
    let ecosystem = group.ecosystem;
    let shown = group.shown();
    let mut ids: Vec<String> = merged.iter().map(|a| a.id.clone()).collect();
    let mut aliases: BTreeSet<String> = merged
        .iter()
        .flat_map(|a| a.aliases.iter().cloned())
        .collect();
    ids.sort();
    for id in &ids {
        aliases.remove(id);
    }
    let severity = merged
        .iter()
        .filter_map(|a| a.severity)
        .max()
        .unwrap_or(Severity::Medium);
    let score = merged
        .iter()
        .filter_map(|a| a.cvss_score)
        .fold(None, |m: Option<f64>, s| Some(m.map_or(s, |m| m.max(s))));
    let vector = merged.iter().find_map(|a| a.cvss_vector.clone());
    let at = installed.or(admitted);
    let fix = merged
        .iter()
        .filter_map(|a| smallest_fix_above(ecosystem, a, at))
        .max_by(|a, b| a.compare(b).unwrap_or(std::cmp::Ordering::Equal));
    let summary = merged
        .iter()
        .map(|a| a.summary.as_str())
        .find(|s| !s.is_empty())
        .unwrap_or("");
    let primary_id = primary_advisory_id(&ids);
    let mut f = group.finding(
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
