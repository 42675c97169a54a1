//! `pnpm-lock.yaml`, lockfile versions 5 to 9.
//!
//! Packages are keys of the `packages` map, spelt differently per version: `/name/1.2.3`
//! (v5), `/name@1.2.3(peer@1.0.0)` (v6) and `name@1.2.3` (v9); scoped names keep their
//! leading `@`. Direct dependencies are read from `importers` (or, in old single-project
//! files, the top-level `dependencies` maps).

use std::collections::HashSet;

use corral_model::{ComponentSource, Ecosystem};
use serde_yaml_ng::Value;

use super::{FileKind, Parsed, component, line_of};

/// Name and version from a `packages` key.
fn split_key(key: &str) -> Option<(String, String)> {
    let key = key.trim_start_matches('/');
    let key = key.split('(').next().unwrap_or(key);
    if let Some(at) = key[1.min(key.len())..].find('@') {
        let at = at + 1;
        return Some((key[..at].to_string(), key[at + 1..].to_string()));
    }
    // v5: name/version, where name may be @scope/name.
    let at = key.rfind('/')?;
    Some((
        key[..at].to_string(),
        key[at + 1..].split('_').next().unwrap_or("").to_string(),
    ))
}

pub fn parse(path: &str, text: &str) -> Parsed {
    let mut parsed = Parsed {
        kind: Some(FileKind::Project(Ecosystem::Npm)),
        ..Parsed::default()
    };
    let doc: Value = match serde_yaml_ng::from_str(text) {
        Ok(doc) => doc,
        Err(e) => {
            parsed.problems.push(super::problem(
                e.location().map(|l| l.line()),
                format!("not valid YAML: {e}"),
            ));
            return parsed;
        }
    };
    let mut direct = HashSet::new();
    let sections = ["dependencies", "devDependencies", "optionalDependencies"];
    let mut collect = |v: &Value| {
        for s in sections {
            if let Some(m) = v.get(s).and_then(|m| m.as_mapping()) {
                direct.extend(m.keys().filter_map(|k| k.as_str().map(str::to_string)));
            }
        }
    };
    collect(&doc);
    if let Some(importers) = doc.get("importers").and_then(|i| i.as_mapping()) {
        importers.values().for_each(&mut collect);
    }
    let Some(packages) = doc.get("packages").and_then(|p| p.as_mapping()) else {
        return parsed;
    };
    for (key, entry) in packages {
        let Some(key) = key.as_str() else { continue };
        let Some((name, version)) = split_key(key) else {
            parsed.problems.push(super::problem(
                line_of(text, key).map(|l| l as usize),
                format!("cannot read package key `{key}`"),
            ));
            continue;
        };
        let mut c = component(
            Ecosystem::Npm,
            &name,
            ComponentSource::Lockfile,
            path,
            line_of(text, key),
        );
        if crate::version::Version::parse(Ecosystem::Npm, &version).is_some() {
            c.version = Some(version);
        } else if let Some(tarball) = entry
            .get("resolution")
            .and_then(|r| r.get("tarball").or_else(|| r.get("repo")))
            .and_then(|t| t.as_str())
        {
            c.requirement = Some(tarball.to_string());
        } else {
            c.requirement = Some(version);
        }
        c.direct = direct.contains(&name);
        parsed.components.push(c);
    }
    parsed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_of_every_lockfile_version_are_understood() {
        assert_eq!(
            split_key("/lodash/4.17.21"),
            Some(("lodash".into(), "4.17.21".into()))
        );
        assert_eq!(
            split_key("/@babel/core/7.24.0"),
            Some(("@babel/core".into(), "7.24.0".into()))
        );
        assert_eq!(
            split_key("/react-dom@18.3.1(react@18.3.1)"),
            Some(("react-dom".into(), "18.3.1".into()))
        );
        assert_eq!(
            split_key("@types/node@20.14.0"),
            Some(("@types/node".into(), "20.14.0".into()))
        );
    }

    #[test]
    fn v9_importers_mark_direct_dependencies() {
        let text = "lockfileVersion: '9.0'\nimporters:\n  .:\n    dependencies:\n      express:\n        specifier: ^4.19.0\n        version: 4.19.2\npackages:\n  express@4.19.2:\n    resolution: {integrity: sha512-x}\n  debug@2.6.9:\n    resolution: {integrity: sha512-y}\n";
        let p = parse("pnpm-lock.yaml", text);
        assert!(p.problems.is_empty(), "{:?}", p.problems);
        let got: Vec<_> = p
            .components
            .iter()
            .map(|c| (c.name.as_str(), c.version.as_deref(), c.direct))
            .collect();
        assert_eq!(
            got,
            [
                ("express", Some("4.19.2"), true),
                ("debug", Some("2.6.9"), false)
            ]
        );
    }
}
