//! `yarn.lock`, both the classic (v1) format and Berry's (v2+) YAML.
//!
//! Classic entries start with an unindented header listing the specifiers they satisfy
//! (`"@babel/core@^7.0.0", "@babel/core@^7.1.0":`) followed by an indented `version "…"`.
//! Berry files are YAML with a `__metadata` key; each entry's `resolution` (`name@npm:1.2.3`)
//! names the package and the protocol. Workspace entries are the project itself; entries
//! resolved from Git or URLs carry that reference as their requirement.

use corral_model::{ComponentSource, Ecosystem};

use super::{FileKind, Parsed, component, line_of};

pub fn parse(path: &str, text: &str) -> Parsed {
    if text.lines().any(|l| l.starts_with("__metadata:")) {
        berry(path, text)
    } else {
        classic(path, text)
    }
}

/// Splits `name@range` at the `@` that separates them (a leading `@` is a scope).
fn split_spec(spec: &str) -> (&str, &str) {
    match spec[1.min(spec.len())..].find('@') {
        Some(at) => (&spec[..at + 1], &spec[at + 2..]),
        None => (spec, ""),
    }
}

fn classic(path: &str, text: &str) -> Parsed {
    let mut parsed = Parsed {
        kind: Some(FileKind::Project(Ecosystem::Npm)),
        ..Parsed::default()
    };
    let mut current: Option<(String, u32)> = None;
    for (i, line) in text.lines().enumerate() {
        let line_no = i as u32 + 1;
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        if !line.starts_with(' ') {
            let Some(header) = line.strip_suffix(':') else {
                parsed.problems.push(super::problem(
                    Some(line_no as usize),
                    format!(
                        "unexpected line `{}`",
                        line.chars().take(80).collect::<String>()
                    ),
                ));
                current = None;
                continue;
            };
            let first = header
                .split(", ")
                .next()
                .unwrap_or(header)
                .trim_matches('"');
            let (name, _) = split_spec(first);
            current = Some((name.to_string(), line_no));
        } else if let Some(version) = line.trim().strip_prefix("version ") {
            if let Some((name, header_line)) = current.take() {
                let mut c = component(
                    Ecosystem::Npm,
                    &name,
                    ComponentSource::Lockfile,
                    path,
                    Some(header_line),
                );
                c.version = Some(version.trim().trim_matches('"').to_string());
                c.direct = false;
                parsed.components.push(c);
            }
        } else if let Some(resolved) = line.trim().strip_prefix("resolved ") {
            let resolved = resolved.trim().trim_matches('"');
            if (resolved.starts_with("git") || resolved.contains("codeload."))
                && let Some(last) = parsed.components.last_mut()
            {
                last.requirement = Some(resolved.to_string());
            }
        }
    }
    parsed
}

fn berry(path: &str, text: &str) -> Parsed {
    let mut parsed = Parsed {
        kind: Some(FileKind::Project(Ecosystem::Npm)),
        ..Parsed::default()
    };
    let doc: serde_yaml_ng::Mapping = match serde_yaml_ng::from_str(text) {
        Ok(doc) => doc,
        Err(e) => {
            parsed.problems.push(super::problem(
                e.location().map(|l| l.line()),
                format!("not valid YAML: {e}"),
            ));
            return parsed;
        }
    };
    for (key, entry) in &doc {
        let Some(key) = key.as_str() else { continue };
        if key == "__metadata" {
            continue;
        }
        let resolution = entry
            .get("resolution")
            .and_then(|r| r.as_str())
            .unwrap_or(key);
        let (name, reference) = split_spec(resolution);
        if reference.starts_with("workspace:")
            || reference.starts_with("link:")
            || reference.starts_with("portal:")
            || reference.starts_with("file:")
        {
            continue;
        }
        let line = line_of(text, key);
        let mut c = component(Ecosystem::Npm, name, ComponentSource::Lockfile, path, line);
        c.direct = false;
        let version = entry.get("version").and_then(|v| {
            v.as_str()
                .map(str::to_string)
                .or_else(|| v.as_f64().map(|f| f.to_string()))
        });
        if reference.starts_with("npm:") || reference.starts_with("patch:") {
            c.version = version;
        } else {
            c.requirement = Some(reference.to_string());
        }
        parsed.components.push(c);
    }
    parsed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classic_entries_give_name_and_version() {
        let text = "# yarn lockfile v1\n\n\n\"@babel/core@^7.0.0\", \"@babel/core@^7.1.0\":\n  version \"7.24.0\"\n  resolved \"https://example.invalid/core.tgz\"\n\nlodash@^4.17.0:\n  version \"4.17.21\"\n";
        let p = parse("yarn.lock", text);
        assert!(p.problems.is_empty(), "{:?}", p.problems);
        let got: Vec<_> = p
            .components
            .iter()
            .map(|c| (c.name.as_str(), c.version.as_deref(), c.line))
            .collect();
        assert_eq!(
            got,
            [
                ("@babel/core", Some("7.24.0"), Some(4)),
                ("lodash", Some("4.17.21"), Some(8))
            ]
        );
    }

    #[test]
    fn berry_entries_use_the_resolution_and_skip_workspaces() {
        let text = "__metadata:\n  version: 8\n\n\"lodash@npm:^4.17.0\":\n  version: 4.17.21\n  resolution: \"lodash@npm:4.17.21\"\n\n\"app@workspace:.\":\n  version: 0.0.0-use.local\n  resolution: \"app@workspace:.\"\n";
        let p = parse("yarn.lock", text);
        assert!(p.problems.is_empty(), "{:?}", p.problems);
        let got: Vec<_> = p
            .components
            .iter()
            .map(|c| (c.name.as_str(), c.version.as_deref()))
            .collect();
        assert_eq!(got, [("lodash", Some("4.17.21"))]);
    }
}
