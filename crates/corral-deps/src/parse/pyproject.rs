//! `pyproject.toml`: PEP 621 `[project]` dependencies and optional dependencies, PEP 735
//! `[dependency-groups]` (uv's groups), uv's legacy `[tool.uv] dev-dependencies`, and Poetry's
//! `[tool.poetry.dependencies]` and group tables.
//!
//! PEP 508 strings are read with `pep508_rs`. Poetry constraints (`^1.2`, `~1.2`, tables with
//! `version`, `git`, `path` or `url`) are kept as written: a bare Poetry version such as
//! `"1.2.3"` is an exact pin, `git`/`url` tables are direct references, and `path` entries are
//! the project's own code. The checks read `^`/`~` ranges through their PEP 440 translation
//! (see [`crate::poetry_constraint`]).

use std::str::FromStr;

use corral_model::{ComponentSource, Ecosystem};
use pep508_rs::{Requirement, VerbatimUrl, VersionOrUrl};

use super::{FileKind, Parsed, Problem, component, line_of};
use crate::version::exact_pin;

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
    let mut pep508_lists: Vec<(&str, &toml::Value)> = Vec::new();
    if let Some(project) = doc.get("project").and_then(|p| p.as_table()) {
        if let Some(deps) = project.get("dependencies") {
            pep508_lists.push(("project.dependencies", deps));
        }
        if let Some(optional) = project
            .get("optional-dependencies")
            .and_then(|o| o.as_table())
        {
            for deps in optional.values() {
                pep508_lists.push(("project.optional-dependencies", deps));
            }
        }
    }
    if let Some(groups) = doc.get("dependency-groups").and_then(|g| g.as_table()) {
        for deps in groups.values() {
            pep508_lists.push(("dependency-groups", deps));
        }
    }
    let tool = doc.get("tool").and_then(|t| t.as_table());
    if let Some(uv) = tool.and_then(|t| t.get("uv")).and_then(|u| u.as_table())
        && let Some(dev) = uv.get("dev-dependencies")
    {
        pep508_lists.push(("tool.uv.dev-dependencies", dev));
    }
    for (field, list) in pep508_lists {
        let Some(items) = list.as_array() else {
            parsed.problems.push(Problem {
                line: None,
                message: format!("`{field}` must be a list of requirement strings"),
            });
            continue;
        };
        for item in items {
            match item.as_str() {
                Some(s) => pep508(path, text, s, &mut parsed),
                // PEP 735 `{include-group = "…"}` entries refer to other groups.
                None if item
                    .as_table()
                    .is_some_and(|t| t.contains_key("include-group")) => {}
                None => parsed.problems.push(Problem {
                    line: None,
                    message: format!("`{field}` holds a non-string entry `{item}`"),
                }),
            }
        }
    }
    if let Some(poetry) = tool
        .and_then(|t| t.get("poetry"))
        .and_then(|p| p.as_table())
    {
        let mut tables = Vec::new();
        for key in ["dependencies", "dev-dependencies"] {
            if let Some(t) = poetry.get(key).and_then(|d| d.as_table()) {
                tables.push(t);
            }
        }
        if let Some(groups) = poetry.get("group").and_then(|g| g.as_table()) {
            for group in groups.values() {
                if let Some(t) = group.get("dependencies").and_then(|d| d.as_table()) {
                    tables.push(t);
                }
            }
        }
        for table in tables {
            for (name, spec) in table {
                if name.eq_ignore_ascii_case("python") {
                    continue;
                }
                poetry_dependency(path, text, name, spec, &mut parsed);
            }
        }
    }
    parsed.components.sort_by_key(|c| c.line);
    parsed
}

fn pep508(path: &str, text: &str, s: &str, parsed: &mut Parsed) {
    let line = line_of(text, s);
    match Requirement::<VerbatimUrl>::from_str(s) {
        Ok(req) => {
            let mut c = component(
                Ecosystem::PyPI,
                req.name.as_ref(),
                ComponentSource::Manifest,
                path,
                line,
            );
            match &req.version_or_url {
                Some(VersionOrUrl::VersionSpecifier(spec)) => {
                    let spec = spec.to_string();
                    c.version = exact_pin(Ecosystem::PyPI, &spec);
                    c.requirement = Some(spec).filter(|s| !s.is_empty());
                }
                Some(VersionOrUrl::Url(url)) => c.requirement = Some(url.to_string()),
                None => {}
            }
            parsed.components.push(c);
        }
        Err(e) => parsed.problems.push(Problem {
            line,
            message: format!(
                "`{s}` is not a valid requirement: {}",
                e.to_string().lines().next().unwrap_or_default()
            ),
        }),
    }
}

fn poetry_dependency(path: &str, text: &str, name: &str, spec: &toml::Value, parsed: &mut Parsed) {
    let line = line_of(text, &format!("\n{name} "))
        .map(|l| l + 1)
        .or_else(|| line_of(text, name));
    let mut c = component(Ecosystem::PyPI, name, ComponentSource::Manifest, path, line);
    let constraint = match spec {
        toml::Value::String(s) => Some(s.clone()),
        toml::Value::Table(t) => {
            if t.contains_key("path") {
                return;
            }
            if let Some(git) = t.get("git").and_then(|g| g.as_str()) {
                c.requirement = Some(format!("git+{}", git.trim_start_matches("git+")));
                parsed.components.push(c);
                return;
            }
            if let Some(url) = t.get("url").and_then(|u| u.as_str()) {
                c.requirement = Some(url.to_string());
                parsed.components.push(c);
                return;
            }
            t.get("version")
                .and_then(|v| v.as_str())
                .map(str::to_string)
        }
        // A list of constraints for different markers: keep the first as representative.
        toml::Value::Array(items) => items.iter().find_map(|i| {
            i.get("version")
                .and_then(|v| v.as_str())
                .map(str::to_string)
        }),
        _ => None,
    };
    if let Some(constraint) = constraint.filter(|s| s != "*") {
        let bare = constraint.trim();
        c.version = if bare.chars().next().is_some_and(|ch| ch.is_ascii_digit()) {
            exact_pin(Ecosystem::PyPI, &format!("=={bare}"))
        } else {
            exact_pin(Ecosystem::PyPI, bare)
        };
        c.requirement = Some(constraint);
    }
    parsed.components.push(c);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pep_621_groups_and_poetry_tables_are_all_read() {
        let text = r#"
[project]
name = "demo"
dependencies = ["requests==2.31.0", "httpx>=0.27"]
[project.optional-dependencies]
cli = ["rich"]
[dependency-groups]
dev = ["pytest>=8", {include-group = "lint"}]
lint = ["ruff==0.6.0"]
[tool.poetry.dependencies]
python = "^3.11"
pandas = "2.2.2"
numpy = "^1.26"
internal = { path = "../internal" }
tool = { git = "https://example.invalid/tool.git" }
"#;
        let p = parse("pyproject.toml", text);
        assert!(p.problems.is_empty(), "{:?}", p.problems);
        let got: Vec<_> = p
            .components
            .iter()
            .map(|c| (c.name.as_str(), c.version.as_deref()))
            .collect();
        assert_eq!(
            got,
            [
                ("requests", Some("2.31.0")),
                ("httpx", None),
                ("rich", None),
                ("pytest", None),
                ("ruff", Some("0.6.0")),
                ("pandas", Some("2.2.2")),
                ("numpy", None),
                ("tool", None),
            ]
        );
        assert_eq!(p.components[0].line, Some(4));
    }

    #[test]
    fn invalid_toml_is_reported_with_a_line() {
        let p = parse("pyproject.toml", "[project]\ndependencies = [\"a\"\n");
        assert!(p.components.is_empty());
        assert_eq!(p.problems.len(), 1);
        assert!(p.problems[0].line.is_some());
    }
}
