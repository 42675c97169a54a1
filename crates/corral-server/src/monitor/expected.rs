//! What the advisory data says about an inventory: the matches it should have.
//!
//! The components are grouped and checked exactly as a scan checks them
//! (`corral_deps::advisory_check::group_advisory_findings`), and each resulting finding
//! becomes one expected match per (package, advisory): the scanner reports a vulnerable
//! package once per project directory and version, the server once per asset. The finding
//! keeps the scanner's message and fix; its fingerprint is re-keyed on (ecosystem, package,
//! advisory), so it stays the same whatever versions or files the asset declares it in.

use std::collections::BTreeMap;

use corral_deps::advisory::Advisory;
use corral_deps::advisory_check::{group_advisory_findings, primary_advisory_id};
use corral_deps::package_group::{PackageGroup, group_components};
use corral_deps::rules;
use corral_model::{Component, Ecosystem, Finding, MatchedDeclaration, Severity, fingerprint};
use serde_json::json;

/// One (package, advisory) the asset should have a match for.
#[derive(Debug, Clone, PartialEq)]
pub struct Expected {
    pub ecosystem: Ecosystem,
    /// Normalised per ecosystem.
    pub package: String,
    pub advisory_id: String,
    /// Every id and alias, sorted.
    pub ids: Vec<String>,
    /// Sorted, without repeats.
    pub matched: Vec<MatchedDeclaration>,
    pub severity: Severity,
    /// The finding to open for it (re-keyed; see the module docs).
    pub finding: Finding,
}

/// The fingerprint of the server's finding for one (package, advisory) of an asset.
pub fn match_fingerprint(ecosystem: Ecosystem, package: &str, advisory_id: &str) -> String {
    fingerprint(&[
        rules::SCANNER,
        "advisory-match",
        ecosystem.as_str(),
        package,
        advisory_id,
    ])
}

/// The strings of a finding's `details[key]` array.
pub fn detail_strings(finding: &Finding, key: &str) -> Vec<String> {
    finding
        .details
        .get(key)
        .and_then(|v| v.as_array())
        .map(|items| {
            items
                .iter()
                .filter_map(|i| i.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// Every id a dependency finding names: its advisories and their aliases.
pub fn advisory_ids(finding: &Finding) -> Vec<String> {
    let mut ids = detail_strings(finding, "advisories");
    ids.extend(detail_strings(finding, "aliases"));
    ids.sort();
    ids.dedup();
    ids
}

/// The expected matches of one asset's `components`, with `advisories_for` giving the
/// advisories of a package (ecosystem, normalised name).
pub fn expected_matches(
    components: &[Component],
    mut advisories_for: impl FnMut(Ecosystem, &str) -> Vec<Advisory>,
) -> Vec<Expected> {
    let mut found = Found::default();
    for group in group_components(components) {
        let advisories = advisories_for(group.ecosystem, &group.normalized);
        found.add(&group, &advisories);
    }
    found.finish()
}

/// The expected matches of one asset's declarations of a single package, whose advisories
/// are `advisories`.
pub fn expected_for_package(components: &[Component], advisories: &[Advisory]) -> Vec<Expected> {
    let mut found = Found::default();
    for group in group_components(components) {
        found.add(&group, advisories);
    }
    found.finish()
}

/// Expected matches collected over package groups, merged per (package, advisory).
#[derive(Default)]
struct Found(BTreeMap<(Ecosystem, String, String), Expected>);

impl Found {
    fn add(&mut self, group: &PackageGroup<'_>, advisories: &[Advisory]) {
        for finding in group_advisory_findings(group, advisories) {
            let named = detail_strings(&finding, "advisories");
            let advisory_id = primary_advisory_id(&named);
            let declaration = MatchedDeclaration {
                path: finding.location.path.clone(),
                version: detail_text(&finding, "version"),
                requirement: detail_text(&finding, "requirement"),
            };
            let key = (
                group.ecosystem,
                group.normalized.clone(),
                advisory_id.clone(),
            );
            match self.0.get_mut(&key) {
                Some(known) => {
                    known.matched.push(declaration);
                    known.severity = known.severity.max(finding.severity);
                    known.ids.extend(advisory_ids(&finding));
                }
                None => {
                    let ids = advisory_ids(&finding);
                    let mut finding = finding;
                    finding.fingerprint =
                        match_fingerprint(group.ecosystem, &group.normalized, &advisory_id);
                    self.0.insert(
                        key,
                        Expected {
                            ecosystem: group.ecosystem,
                            package: group.normalized.clone(),
                            advisory_id,
                            ids,
                            matched: vec![declaration],
                            severity: finding.severity,
                            finding,
                        },
                    );
                }
            }
        }
    }

    fn finish(self) -> Vec<Expected> {
        self.0
            .into_values()
            .map(|mut e| {
                e.ids.sort();
                e.ids.dedup();
                e.matched.sort();
                e.matched.dedup();
                e.finding.severity = e.severity;
                e.finding.details.insert("matched".into(), json!(e.matched));
                e
            })
            .collect()
    }
}

fn detail_text(finding: &Finding, key: &str) -> Option<String> {
    finding
        .details
        .get(key)
        .and_then(|v| v.as_str())
        .map(str::to_string)
}
