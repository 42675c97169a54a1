//! PEP 723 inline script metadata: a `# /// script` … `# ///` comment block at the top of a
//! single-file script, holding TOML with `dependencies = [...]`.
//!
//! AI assistants and `uv run` increasingly write scripts this way; the block is the script's
//! manifest, so when it is present its dependencies are reported (as `inline-script`
//! components) instead of guesses from `import` lines.

use std::str::FromStr;

use corral_model::{ComponentSource, Ecosystem};
use pep508_rs::{Requirement, VerbatimUrl, VersionOrUrl};

use super::{FileKind, Parsed, Problem, component};
use crate::version::exact_pin;

/// Parses the `script` block of a Python file; `None` when the file has none.
pub fn parse(path: &str, text: &str) -> Option<Parsed> {
    let mut start = None;
    let mut body = String::new();
    let mut end = None;
    for (i, line) in text.lines().enumerate() {
        let line = line.trim_end();
        match start {
            None if line == "# /// script" => start = Some(i),
            None => {}
            Some(_) if line == "# ///" => {
                end = Some(i);
                break;
            }
            Some(_) => {
                let content = line
                    .strip_prefix("# ")
                    .or_else(|| (line == "#").then_some(""));
                match content {
                    Some(c) => {
                        body.push_str(c);
                        body.push('\n');
                    }
                    None => break,
                }
            }
        }
    }
    let start = start?;
    let mut parsed = Parsed {
        kind: Some(FileKind::InlineScript),
        ..Parsed::default()
    };
    if end.is_none() {
        parsed.problems.push(Problem {
            line: Some(start as u32 + 1),
            message: "the `# /// script` block is never closed with `# ///`".into(),
        });
        return Some(parsed);
    }
    let doc: toml::Table = match toml::from_str(&body) {
        Ok(doc) => doc,
        Err(e) => {
            let line = e
                .span()
                .map(|s| start + 1 + body[..s.start].matches('\n').count() + 1);
            parsed.problems.push(super::problem(
                line,
                format!("the script metadata is not valid TOML: {}", e.message()),
            ));
            return Some(parsed);
        }
    };
    let deps = doc
        .get("dependencies")
        .and_then(|d| d.as_array())
        .cloned()
        .unwrap_or_default();
    for dep in deps {
        let Some(s) = dep.as_str() else { continue };
        let line = text
            .lines()
            .position(|l| l.contains(s))
            .map(|i| i as u32 + 1);
        match Requirement::<VerbatimUrl>::from_str(s) {
            Ok(req) => {
                let mut c = component(
                    Ecosystem::PyPI,
                    req.name.as_ref(),
                    ComponentSource::InlineScript,
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
    Some(parsed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_script_block_is_the_scripts_manifest() {
        let text = "#!/usr/bin/env python\n# /// script\n# requires-python = \">=3.11\"\n# dependencies = [\n#   \"requests<3\",\n#   \"rich==13.7.1\",\n# ]\n# ///\nimport requests\n";
        let p = parse("fetch.py", text).unwrap();
        assert!(p.problems.is_empty(), "{:?}", p.problems);
        let got: Vec<_> = p
            .components
            .iter()
            .map(|c| (c.name.as_str(), c.version.as_deref(), c.line))
            .collect();
        assert_eq!(
            got,
            [
                ("requests", None, Some(5)),
                ("rich", Some("13.7.1"), Some(6))
            ]
        );
        assert_eq!(p.kind, Some(FileKind::InlineScript));
    }

    #[test]
    fn files_without_a_block_are_left_to_the_import_reader() {
        assert!(parse("x.py", "import os\n").is_none());
    }

    #[test]
    fn an_unclosed_block_is_a_problem() {
        let p = parse("x.py", "# /// script\n# dependencies = []\nprint(1)\n").unwrap();
        assert_eq!(p.problems[0].line, Some(1));
    }
}
