//! Python lockfiles: `uv.lock`, `poetry.lock` and PEP 751 `pylock.toml`.
//!
//! All three are TOML lists of resolved packages (`[[package]]`, or `[[packages]]` for PEP
//! 751) with exact versions. The project itself (uv's editable/virtual root, PEP 751
//! `directory` entries) is not a dependency. uv records the root's own dependency list, so its
//! entries are marked direct; the other formats do not say, so their packages are marked
//! transitive. Packages from Git or URLs carry that reference as their requirement.

use corral_model::{ComponentSource, Ecosystem};

use super::{FileKind, Parsed, Problem, component};

pub fn parse(path: &str, text: &str) -> Parsed {
    let mut parsed = Parsed {
        kind: Some(FileKind::Project(Ecosystem::PyPI)),
        ..Parsed::default()
    };
    let doc: toml::Table = match toml::from_str(text) {
        Ok(doc) => doc,
        Err(e) => {
            let line = e.span().map(|s| text[..s.start].matches('\n').count() + 1);
            parsed.problems.push(super::problem(
                line,
                format!("not valid TOML: {}", e.message()),
            ));
            return parsed;
        }
    };
    let file = path.rsplit('/').next().unwrap_or(path);
    let is_uv = file == "uv.lock";
    let key = if doc.contains_key("packages") {
        "packages"
    } else {
        "package"
    };
    let Some(packages) = doc.get(key).and_then(|p| p.as_array()) else {
        return parsed;
    };
    // uv: the root project lists the direct dependencies.
    let mut direct: Option<Vec<String>> = None;
    if is_uv {
        for p in packages {
            let source = p.get("source").and_then(|s| s.as_table());
            let is_root = source.is_some_and(|s| {
                s.get("editable")
                    .or_else(|| s.get("virtual"))
                    .and_then(|v| v.as_str())
                    == Some(".")
            });
            if is_root {
                let mut names = Vec::new();
                for field in ["dependencies", "dev-dependencies", "optional-dependencies"] {
                    collect_dependency_names(p.get(field), &mut names);
                }
                direct = Some(names);
            }
        }
    }
    // Search positions for line numbers advance through the file in order.
    let mut cursor = 0usize;
    let mut lines = super::LineCounter::new(text);
    // The line of each `[[package]]` header, in order: where a broken entry starts.
    let header = format!("[[{key}]]");
    let headers: Vec<u32> = text
        .lines()
        .enumerate()
        .filter(|(_, l)| l.trim() == header)
        .map(|(i, _)| i as u32 + 1)
        .collect();
    for (i, p) in packages.iter().enumerate() {
        let Some(name) = p.get("name").and_then(|n| n.as_str()) else {
            parsed.problems.push(Problem {
                line: headers.get(i).copied(),
                message: format!(
                    "[[{key}]] entry #{} has no `name`, so it was skipped; the other entries were read",
                    i + 1
                ),
            });
            continue;
        };
        let needle = format!("\nname = \"{name}\"");
        let line = text[cursor..].find(&needle).map(|at| {
            cursor += at + needle.len();
            lines.line_at(cursor)
        });
        let source = p.get("source").and_then(|s| s.as_table());
        let local = source.is_some_and(|s| {
            s.contains_key("editable")
                || s.contains_key("virtual")
                || s.contains_key("directory")
                || s.contains_key("path")
        }) || p.get("directory").is_some()
            || p.get("source")
                .and_then(|s| s.get("type"))
                .and_then(|t| t.as_str())
                == Some("directory");
        if local {
            continue;
        }
        let mut c = component(Ecosystem::PyPI, name, ComponentSource::Lockfile, path, line);
        c.version = p
            .get("version")
            .and_then(|v| v.as_str())
            .map(str::to_string);
        let git = source
            .and_then(|s| s.get("git").or_else(|| s.get("url")))
            .and_then(|g| g.as_str())
            .map(str::to_string)
            .or_else(|| {
                // poetry: [package.source] type = "git", url = "…"; PEP 751: [packages.vcs].
                let s = p.get("source")?;
                (s.get("type")?.as_str()? == "git")
                    .then(|| s.get("url")?.as_str().map(str::to_string))?
            })
            .or_else(|| {
                p.get("vcs")?
                    .get("url")?
                    .as_str()
                    .map(|u| format!("git+{u}"))
            });
        if let Some(reference) = git {
            c.requirement = Some(
                if reference.contains("://")
                    && !reference.starts_with("git+")
                    && source.is_some_and(|s| s.contains_key("git"))
                {
                    format!("git+{reference}")
                } else {
                    reference
                },
            );
        }
        c.direct = match &direct {
            Some(names) => names
                .iter()
                .any(|n| crate::name::pep503(n) == crate::name::pep503(name)),
            None => false,
        };
        parsed.components.push(c);
    }
    parsed
}

fn collect_dependency_names(value: Option<&toml::Value>, out: &mut Vec<String>) {
    match value {
        Some(toml::Value::Array(items)) => {
            for item in items {
                if let Some(n) = item.get("name").and_then(|n| n.as_str()) {
                    out.push(n.to_string());
                }
            }
        }
        Some(toml::Value::Table(groups)) => {
            for group in groups.values() {
                collect_dependency_names(Some(group), out);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uv_lock_skips_the_root_and_marks_its_dependencies_direct() {
        let text = r#"version = 1
[[package]]
name = "demo"
version = "0.1.0"
source = { editable = "." }
dependencies = [{ name = "requests" }]

[[package]]
name = "requests"
version = "2.31.0"
source = { registry = "https://example.invalid/simple" }

[[package]]
name = "idna"
version = "3.7"
source = { registry = "https://example.invalid/simple" }
"#;
        let p = parse("uv.lock", text);
        let got: Vec<_> = p
            .components
            .iter()
            .map(|c| (c.name.as_str(), c.version.as_deref(), c.direct, c.line))
            .collect();
        assert_eq!(
            got,
            [
                ("requests", Some("2.31.0"), true, Some(9)),
                ("idna", Some("3.7"), false, Some(14))
            ]
        );
    }

    #[test]
    fn poetry_lock_and_pylock_give_exact_versions() {
        let poetry = "[[package]]\nname = \"Flask\"\nversion = \"3.0.3\"\n\n[[package]]\nname = \"tool\"\nversion = \"1.0\"\n[package.source]\ntype = \"git\"\nurl = \"https://example.invalid/tool.git\"\n";
        let p = parse("poetry.lock", poetry);
        assert_eq!(p.components.len(), 2);
        assert_eq!(p.components[0].version.as_deref(), Some("3.0.3"));
        assert!(
            p.components[1]
                .requirement
                .as_deref()
                .unwrap()
                .contains("tool.git")
        );

        let pylock = "lock-version = \"1.0\"\n[[packages]]\nname = \"attrs\"\nversion = \"24.2.0\"\n[[packages]]\nname = \"me\"\ndirectory = { path = \".\" }\n";
        let p = parse("pylock.toml", pylock);
        assert_eq!(p.components.len(), 1);
        assert_eq!(p.components[0].name, "attrs");
    }
}
