//! `package-lock.json` and `npm-shrinkwrap.json`, lockfile versions 1 to 3.
//!
//! v2 and v3 list every installed package under `packages`, keyed by its `node_modules/…`
//! path (the package name is what follows the last `node_modules/`); the `""` key is the
//! project, whose dependency lists tell which packages are direct. v1 nests packages under
//! `dependencies`, recursively. Linked workspace packages (`link: true`) are the project's
//! own code.

use std::collections::HashSet;

use corral_model::{ComponentSource, Ecosystem};

use super::{FileKind, Parsed, component, line_of};

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
    if let Some(packages) = doc.get("packages").and_then(|p| p.as_object()) {
        let mut direct = HashSet::new();
        if let Some(root) = packages.get("") {
            for section in [
                "dependencies",
                "devDependencies",
                "optionalDependencies",
                "peerDependencies",
            ] {
                if let Some(d) = root.get(section).and_then(|d| d.as_object()) {
                    direct.extend(d.keys().cloned());
                }
            }
        }
        for (key, entry) in packages {
            let Some(at) = key.rfind("node_modules/") else {
                continue;
            };
            if entry.get("link").and_then(|l| l.as_bool()) == Some(true) {
                continue;
            }
            let name = entry
                .get("name")
                .and_then(|n| n.as_str())
                .unwrap_or(&key[at + "node_modules/".len()..]);
            let mut c = component(
                Ecosystem::Npm,
                name,
                ComponentSource::Lockfile,
                path,
                line_of(text, &format!("\"{key}\"")),
            );
            c.version = entry
                .get("version")
                .and_then(|v| v.as_str())
                .map(str::to_string);
            if let Some(resolved) = entry.get("resolved").and_then(|r| r.as_str())
                && (resolved.starts_with("git") || resolved.starts_with("github:"))
            {
                c.requirement = Some(resolved.to_string());
                c.version = None;
            }
            c.direct = at == 0 && direct.contains(name);
            c.license = entry
                .get("license")
                .and_then(|l| l.as_str())
                .map(str::to_string);
            parsed.components.push(c);
        }
    } else if let Some(deps) = doc.get("dependencies").and_then(|d| d.as_object()) {
        walk_v1(path, text, deps, true, &mut parsed);
    }
    parsed.components.sort_by_key(|c| c.line);
    parsed
}

fn walk_v1(
    path: &str,
    text: &str,
    deps: &serde_json::Map<String, serde_json::Value>,
    top: bool,
    parsed: &mut Parsed,
) {
    for (name, entry) in deps {
        let version = entry.get("version").and_then(|v| v.as_str()).unwrap_or("");
        if version.starts_with("file:") || version.starts_with("link:") {
            continue;
        }
        let mut c = component(
            Ecosystem::Npm,
            name,
            ComponentSource::Lockfile,
            path,
            line_of(text, &format!("\"{name}\": {{")),
        );
        if version.starts_with("git") || version.starts_with("github:") || version.contains("://") {
            c.requirement = Some(version.to_string());
        } else if !version.is_empty() {
            c.version = Some(version.to_string());
        }
        // v1 lockfiles do not list the root's direct dependencies; top level is the best hint.
        c.direct = top && entry.get("dev").is_none();
        parsed.components.push(c);
        if let Some(nested) = entry.get("dependencies").and_then(|d| d.as_object()) {
            walk_v1(path, text, nested, false, parsed);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn v3_packages_are_named_by_their_last_node_modules_segment() {
        let text = r#"{"lockfileVersion": 3, "packages": {
  "": {"name": "app", "dependencies": {"express": "^4.19.0"}},
  "node_modules/express": {"version": "4.19.2", "license": "MIT"},
  "node_modules/express/node_modules/debug": {"version": "2.6.9"},
  "node_modules/@babel/core": {"version": "7.24.0", "dev": true},
  "node_modules/local": {"resolved": "packages/local", "link": true}
}}"#;
        let p = parse("package-lock.json", text);
        let got: Vec<_> = p
            .components
            .iter()
            .map(|c| (c.name.as_str(), c.version.as_deref(), c.direct))
            .collect();
        assert_eq!(
            got,
            [
                ("express", Some("4.19.2"), true),
                ("debug", Some("2.6.9"), false),
                ("@babel/core", Some("7.24.0"), false)
            ]
        );
        assert_eq!(p.components[0].license.as_deref(), Some("MIT"));
    }

    #[test]
    fn v1_nested_dependencies_are_walked() {
        let text = r#"{"lockfileVersion": 1, "dependencies": {
  "a": {"version": "1.0.0", "dependencies": {"b": {"version": "2.0.0"}}}
}}"#;
        let p = parse("package-lock.json", text);
        let got: Vec<_> = p
            .components
            .iter()
            .map(|c| (c.name.as_str(), c.direct))
            .collect();
        assert_eq!(got, [("a", true), ("b", false)]);
    }
}
