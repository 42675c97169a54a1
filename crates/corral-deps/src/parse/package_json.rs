//! `package.json`: `dependencies`, `devDependencies`, `optionalDependencies` and
//! `peerDependencies`.
//!
//! Values are npm ranges (`^4.17.0`), exact versions, dist-tags (`latest`), aliases
//! (`npm:real-name@^1`), or non-registry sources (Git URLs, `github:user/repo`, `user/repo`,
//! tarball URLs). Local sources (`file:`, `link:`, `workspace:`, `portal:`) are the project's
//! own code and are not dependencies. An alias is reported under the package it really
//! installs, since that is what advisories and typosquat checks are about.

use corral_model::{ComponentSource, Ecosystem};

use super::{FileKind, Parsed, component, line_of};
use crate::version::exact_pin;

pub fn parse(path: &str, text: &str) -> Parsed {
    let mut parsed = Parsed {
        kind: Some(FileKind::Project(Ecosystem::Npm)),
        ..Parsed::default()
    };
    let doc: serde_json::Value = match serde_json::from_str(text) {
        Ok(doc) => doc,
        Err(e) => {
            parsed.problems.push(super::problem(
                Some(e.line()),
                format!("not valid JSON: {e}"),
            ));
            return parsed;
        }
    };
    for section in [
        "dependencies",
        "devDependencies",
        "optionalDependencies",
        "peerDependencies",
    ] {
        let Some(deps) = doc.get(section).and_then(|d| d.as_object()) else {
            continue;
        };
        for (declared, spec) in deps {
            let Some(spec) = spec.as_str() else {
                parsed.problems.push(super::problem(
                    line_of(text, &format!("\"{declared}\"")).map(|l| l as usize),
                    format!("`{section}.{declared}` must be a string"),
                ));
                continue;
            };
            if let Some(c) = dependency(path, text, declared, spec, ComponentSource::Manifest) {
                parsed.components.push(c);
            }
        }
    }
    parsed.components.sort_by_key(|c| c.line);
    parsed
}

/// One `name: spec` entry of a manifest; `None` for local sources.
pub(crate) fn dependency(
    path: &str,
    text: &str,
    declared: &str,
    spec: &str,
    source: ComponentSource,
) -> Option<corral_model::Component> {
    let spec = spec.trim();
    if ["file:", "link:", "workspace:", "portal:", "./", "../", "/"]
        .iter()
        .any(|p| spec.starts_with(p))
    {
        return None;
    }
    let line = line_of(text, &format!("\"{declared}\""));
    let (name, range) = match spec.strip_prefix("npm:") {
        Some(alias) => match alias.rfind('@') {
            Some(at) if at > 0 => (&alias[..at], &alias[at + 1..]),
            _ => (alias, ""),
        },
        None => (declared, spec),
    };
    let mut c = component(Ecosystem::Npm, name, source, path, line);
    if !range.is_empty() && range != "*" {
        c.version = exact_pin(Ecosystem::Npm, range);
        c.requirement = Some(range.to_string());
    }
    Some(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_dependency_section_is_read_and_local_sources_are_skipped() {
        let text = r#"{
  "name": "app",
  "dependencies": {
    "lodash": "^4.17.0",
    "left-pad": "1.3.0",
    "mine": "file:../mine",
    "alias": "npm:chalk@^5"
  },
  "devDependencies": {"tool": "github:org/tool", "typescript": "*"}
}"#;
        let p = parse("package.json", text);
        let got: Vec<_> = p
            .components
            .iter()
            .map(|c| {
                (
                    c.name.as_str(),
                    c.version.as_deref(),
                    c.requirement.as_deref(),
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                ("lodash", None, Some("^4.17.0")),
                ("left-pad", Some("1.3.0"), Some("1.3.0")),
                ("chalk", None, Some("^5")),
                ("tool", None, Some("github:org/tool")),
                ("typescript", None, None),
            ]
        );
        assert_eq!(p.components[0].line, Some(4));
    }
}
