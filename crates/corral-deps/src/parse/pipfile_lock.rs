//! `Pipfile.lock` (pipenv): JSON with `default` and `develop` sections mapping each package
//! to its pinned `version` (`==1.2.3`), or to a `git`/`path`/`file` source.

use corral_model::{ComponentSource, Ecosystem};

use super::{FileKind, Parsed, component, line_of};
use crate::version::exact_pin;

pub fn parse(path: &str, text: &str) -> Parsed {
    let mut parsed = Parsed {
        kind: Some(FileKind::Project(Ecosystem::PyPI)),
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
    for section in ["default", "develop"] {
        let Some(packages) = doc.get(section).and_then(|s| s.as_object()) else {
            continue;
        };
        for (name, entry) in packages {
            let line = line_of(text, &format!("\"{name}\":"));
            if entry.get("path").is_some()
                || entry
                    .get("file")
                    .is_some_and(|f| f.as_str().is_some_and(|f| !f.contains("://")))
            {
                continue;
            }
            let mut c = component(Ecosystem::PyPI, name, ComponentSource::Lockfile, path, line);
            if let Some(git) = entry.get("git").and_then(|g| g.as_str()) {
                c.requirement = Some(format!("git+{}", git.trim_start_matches("git+")));
            } else if let Some(v) = entry.get("version").and_then(|v| v.as_str()) {
                c.version = exact_pin(Ecosystem::PyPI, v);
                c.requirement = Some(v.to_string());
            }
            parsed.components.push(c);
        }
    }
    parsed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pinned_versions_come_from_both_sections() {
        let text = r#"{"_meta": {}, "default": {"requests": {"version": "==2.31.0", "hashes": []}},
            "develop": {"pytest": {"version": "==8.3.2"}, "mine": {"path": "."}}}"#;
        let p = parse("Pipfile.lock", text);
        let got: Vec<_> = p
            .components
            .iter()
            .map(|c| (c.name.as_str(), c.version.as_deref()))
            .collect();
        assert_eq!(
            got,
            [("requests", Some("2.31.0")), ("pytest", Some("8.3.2"))]
        );
    }

    #[test]
    fn broken_json_names_the_line() {
        let p = parse("Pipfile.lock", "{\n\"default\": {\n");
        assert_eq!(p.problems.len(), 1);
        assert!(p.problems[0].line.is_some());
    }
}
