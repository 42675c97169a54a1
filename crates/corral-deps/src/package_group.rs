//! One package as a project uses it: every component naming it in one project directory.
//!
//! A package declared in `package.json` and resolved in `package-lock.json` beside it is one
//! package with two components; the checks look at the group as a whole (name checks once,
//! version checks per exact version), and report at its most direct declaration. This file
//! groups components that way and builds the common fields of every dependency finding, so
//! the scanner's checks (`check.rs`) and the advisory checks run on their own
//! (`advisory_check.rs`) describe a package the same way.

use std::collections::BTreeMap;

use corral_model::{
    Component, ComponentSource, Confidence, Ecosystem, Finding, Location, Severity, fingerprint,
};
use serde_json::json;

use crate::name;
use crate::rules;
use crate::version::Version;

/// The components of one package in one project directory, most direct declaration first.
#[derive(Debug)]
pub struct PackageGroup<'a> {
    pub ecosystem: Ecosystem,
    /// The name as the ecosystem compares it.
    pub normalized: String,
    /// Manifest, then inline script, then import, then lockfile; by path and line within each.
    pub members: Vec<&'a Component>,
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

/// Groups components by (ecosystem, normalised name, project directory), in that order.
pub fn group_components(components: &[Component]) -> Vec<PackageGroup<'_>> {
    let mut groups: BTreeMap<(Ecosystem, String, String), Vec<&Component>> = BTreeMap::new();
    for c in components {
        let key = (
            c.ecosystem,
            name::normalize(c.ecosystem, &c.name),
            dir_of(&c.path).to_string(),
        );
        groups.entry(key).or_default().push(c);
    }
    groups
        .into_iter()
        .map(|((ecosystem, normalized, _), mut members)| {
            members.sort_by_key(|c| (source_priority(c.source), c.path.clone(), c.line));
            PackageGroup {
                ecosystem,
                normalized,
                members,
            }
        })
        .collect()
}

impl<'a> PackageGroup<'a> {
    /// The most direct declaration, where name-level findings are reported.
    pub fn primary(&self) -> &'a Component {
        self.members[0]
    }

    /// Whether the package is only known from an `import` statement.
    pub fn inferred(&self) -> bool {
        self.primary().source == ComponentSource::Import
    }

    /// How findings name the package: "`requests`", or "`yaml` (inferred from an import)".
    pub fn shown(&self) -> String {
        let primary = self.primary();
        if self.inferred() {
            format!("`{}` (inferred from an import)", primary.name)
        } else {
            format!("`{}`", primary.name)
        }
    }

    /// The distinct exact versions the group resolves to (lockfile entries, `==` pins), each
    /// with the first component giving it.
    pub fn versions(&self) -> Vec<(&'a Component, Version)> {
        let mut versions: Vec<(&Component, Version)> = Vec::new();
        for c in &self.members {
            if let Some(v) = c
                .version
                .as_deref()
                .and_then(|v| Version::parse(self.ecosystem, v))
                && !versions
                    .iter()
                    .any(|(_, seen)| seen.compare(&v) == Some(std::cmp::Ordering::Equal))
            {
                versions.push((c, v));
            }
        }
        versions
    }

    /// The declaration that states a requirement: the first one that is not a lockfile
    /// entry, else the primary.
    pub fn declared(&self) -> &'a Component {
        self.members
            .iter()
            .find(|c| c.source != ComponentSource::Lockfile)
            .copied()
            .unwrap_or(self.primary())
    }

    /// A finding of `rule` about component `c` of this package, with the fields every
    /// dependency finding shares; `extra` parts tell apart findings of one rule at one place
    /// (a version, an advisory). Message and fix are the caller's.
    pub fn finding(
        &self,
        rule: &str,
        severity: Severity,
        c: &Component,
        extra: &[&str],
    ) -> Finding {
        let ecosystem = self.ecosystem;
        let mut parts = vec![
            rules::SCANNER,
            rule,
            c.path.as_str(),
            ecosystem.as_str(),
            self.normalized.as_str(),
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
        let info = rules::all().into_iter().find(|r| r.id == rule);
        Finding {
            scanner: rules::SCANNER.into(),
            rule_id: rule.into(),
            title: info.as_ref().map(|r| r.title.clone()).unwrap_or_default(),
            severity,
            confidence: Confidence::High,
            location: Location::new(c.path.clone(), c.line.unwrap_or(1), 1),
            cwe: info.map(|r| r.cwe).unwrap_or_default(),
            tags: vec!["dependencies".into(), "supply-chain".into()],
            message: String::new(),
            fix: None,
            fingerprint: fingerprint(&parts),
            secret: None,
            snippet: None,
            details,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn component(
        name: &str,
        source: ComponentSource,
        path: &str,
        version: Option<&str>,
    ) -> Component {
        Component {
            ecosystem: Ecosystem::PyPI,
            name: name.into(),
            version: version.map(Into::into),
            requirement: None,
            source,
            path: path.into(),
            line: Some(1),
            direct: true,
            license: None,
        }
    }

    #[test]
    fn spellings_of_one_package_in_one_directory_form_one_group_led_by_the_manifest() {
        let components = [
            component(
                "Django_Rest.Framework",
                ComponentSource::Lockfile,
                "app/uv.lock",
                Some("3.1"),
            ),
            component(
                "django-rest-framework",
                ComponentSource::Manifest,
                "app/pyproject.toml",
                None,
            ),
            component(
                "django-rest-framework",
                ComponentSource::Manifest,
                "other/requirements.txt",
                None,
            ),
        ];
        let groups = group_components(&components);
        assert_eq!(groups.len(), 2, "one group per project directory");
        let app = &groups[0];
        assert_eq!(app.normalized, "django-rest-framework");
        assert_eq!(app.primary().path, "app/pyproject.toml");
        assert_eq!(app.declared().path, "app/pyproject.toml");
        let versions: Vec<String> = app.versions().iter().map(|(_, v)| v.to_string()).collect();
        assert_eq!(versions, ["3.1"]);
    }
}
