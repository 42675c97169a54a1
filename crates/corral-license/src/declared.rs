//! Licences that packages declare in their metadata.
//!
//! The project's own manifests (`package.json`, `pyproject.toml`) say which licence the
//! project claims; npm lockfiles (v2 and v3 record each package's `license`), installed
//! packages' `package.json` under `node_modules/`, and Python `*.dist-info/METADATA` say
//! which licences the dependencies come under. Each source becomes a list of
//! [`Declaration`]s; judging them is the policy's job.
//!
//! Python metadata has three places for the licence, used in order of reliability: the
//! SPDX `License-Expression` (PEP 639), the trove classifiers (several mean "pick one",
//! so they are joined with `OR`), and the free-text `License` field when it is short enough
//! to be a name rather than a whole licence text.

use serde_json::Value;

/// One declared licence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Declaration {
    /// The package, for dependencies; `None` for the project itself.
    pub package: Option<Package>,
    /// The licence as declared (an SPDX expression, or a special value such as
    /// `UNLICENSED` or `SEE LICENSE IN …`).
    pub license: String,
    /// 0-based line index of the declaration.
    pub line_index: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Package {
    pub name: String,
    pub version: Option<String>,
}

/// A metadata file that could not be read; the scan reports it and goes on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MetadataError {
    pub line: Option<u32>,
    pub message: String,
}

/// 0-based line of the first occurrence of `needle` at or after byte `from`.
fn line_of(text: &str, needle: &str, from: usize) -> usize {
    let at = text[from.min(text.len())..]
        .find(needle)
        .map(|i| from + i)
        .unwrap_or(0);
    text[..at].matches('\n').count()
}

fn json(text: &str) -> Result<Value, MetadataError> {
    serde_json::from_str(text).map_err(|e| MetadataError {
        line: Some(e.line() as u32),
        message: format!(
            "not valid JSON: {}",
            e.to_string().split(" at line ").next().unwrap_or("")
        ),
    })
}

/// The licence of a `package.json` object: `license` as a string or legacy `{type}`, or a
/// legacy `licenses` array (alternatives, joined with `OR`).
fn package_json_license(object: &Value) -> Option<String> {
    match object.get("license") {
        Some(Value::String(s)) => return Some(s.clone()),
        Some(Value::Object(o)) => {
            return o.get("type").and_then(Value::as_str).map(str::to_string);
        }
        _ => {}
    }
    let list: Vec<String> = object
        .get("licenses")?
        .as_array()?
        .iter()
        .filter_map(|l| {
            l.as_str()
                .or_else(|| l.get("type").and_then(Value::as_str))
                .map(str::to_string)
        })
        .collect();
    (!list.is_empty()).then(|| list.join(" OR "))
}

/// `package.json`: the project's licence, or the package's when it sits in `node_modules`.
pub fn package_json(path: &str, text: &str) -> Result<Vec<Declaration>, MetadataError> {
    let root = json(text)?;
    let Some(license) = package_json_license(&root) else {
        return Ok(Vec::new());
    };
    let package = path.contains("node_modules/").then(|| Package {
        name: root
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or("(unnamed)")
            .to_string(),
        version: root
            .get("version")
            .and_then(Value::as_str)
            .map(str::to_string),
    });
    Ok(vec![Declaration {
        package,
        line_index: line_of(text, "\"license", 0),
        license,
    }])
}

/// `package-lock.json` (lockfile v2/v3): every installed package's declared licence.
pub fn package_lock(text: &str) -> Result<Vec<Declaration>, MetadataError> {
    let root = json(text)?;
    let Some(packages) = root.get("packages").and_then(Value::as_object) else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for (key, entry) in packages {
        if key.is_empty() || entry.get("link") == Some(&Value::Bool(true)) {
            continue;
        }
        let Some(license) = package_json_license(entry) else {
            continue;
        };
        let name = entry
            .get("name")
            .and_then(Value::as_str)
            .map(str::to_string)
            .unwrap_or_else(|| {
                key.rsplit_once("node_modules/")
                    .map_or(key.as_str(), |(_, n)| n)
                    .to_string()
            });
        let key_at = text.find(&format!("\"{key}\"")).unwrap_or(0);
        out.push(Declaration {
            package: Some(Package {
                name,
                version: entry
                    .get("version")
                    .and_then(Value::as_str)
                    .map(str::to_string),
            }),
            license,
            line_index: line_of(text, "\"license\"", key_at),
        });
    }
    Ok(out)
}

/// SPDX ids for the licence trove classifiers that name one licence.
const CLASSIFIERS: &[(&str, &str)] = &[
    ("GNU General Public License v2 (GPLv2)", "GPL-2.0-only"),
    (
        "GNU General Public License v2 or later (GPLv2+)",
        "GPL-2.0-or-later",
    ),
    ("GNU General Public License v3 (GPLv3)", "GPL-3.0-only"),
    (
        "GNU General Public License v3 or later (GPLv3+)",
        "GPL-3.0-or-later",
    ),
    ("GNU General Public License (GPL)", "GPL-1.0-or-later"),
    (
        "GNU Lesser General Public License v2 (LGPLv2)",
        "LGPL-2.0-only",
    ),
    (
        "GNU Lesser General Public License v2 or later (LGPLv2+)",
        "LGPL-2.0-or-later",
    ),
    (
        "GNU Lesser General Public License v3 (LGPLv3)",
        "LGPL-3.0-only",
    ),
    (
        "GNU Lesser General Public License v3 or later (LGPLv3+)",
        "LGPL-3.0-or-later",
    ),
    (
        "GNU Library or Lesser General Public License (LGPL)",
        "LGPL-2.0-or-later",
    ),
    ("GNU Affero General Public License v3", "AGPL-3.0-only"),
    (
        "GNU Affero General Public License v3 or later (AGPLv3+)",
        "AGPL-3.0-or-later",
    ),
    ("GNU Free Documentation License (FDL)", "GFDL-1.3-or-later"),
    ("Mozilla Public License 1.0 (MPL)", "MPL-1.0"),
    ("Mozilla Public License 1.1 (MPL 1.1)", "MPL-1.1"),
    ("Mozilla Public License 2.0 (MPL 2.0)", "MPL-2.0"),
    ("Eclipse Public License 1.0 (EPL-1.0)", "EPL-1.0"),
    ("Eclipse Public License 2.0 (EPL-2.0)", "EPL-2.0"),
    ("European Union Public Licence 1.0 (EUPL 1.0)", "EUPL-1.0"),
    ("European Union Public Licence 1.1 (EUPL 1.1)", "EUPL-1.1"),
    ("European Union Public Licence 1.2 (EUPL 1.2)", "EUPL-1.2"),
    (
        "Common Development and Distribution License 1.0 (CDDL-1.0)",
        "CDDL-1.0",
    ),
    ("Common Public License", "CPL-1.0"),
    ("MIT License", "MIT"),
    ("MIT No Attribution License (MIT-0)", "MIT-0"),
    ("Apache Software License", "Apache-2.0"),
    ("BSD License", "BSD-3-Clause"),
    ("ISC License (ISCL)", "ISC"),
    ("Python Software Foundation License", "PSF-2.0"),
    ("The Unlicense (Unlicense)", "Unlicense"),
    (
        "CC0 1.0 Universal (CC0 1.0) Public Domain Dedication",
        "CC0-1.0",
    ),
    ("zlib/libpng License", "Zlib"),
    ("Boost Software License 1.0 (BSL-1.0)", "BSL-1.0"),
    ("Universal Permissive License (UPL)", "UPL-1.0"),
    ("Academic Free License (AFL)", "AFL-3.0"),
    ("Artistic License", "Artistic-2.0"),
];

/// The SPDX id of a `License :: …` classifier, if it names one licence.
pub fn classifier_license(classifier: &str) -> Option<&'static str> {
    let name = classifier.rsplit("::").next()?.trim();
    CLASSIFIERS
        .iter()
        .find(|(c, _)| c.eq_ignore_ascii_case(name))
        .map(|(_, id)| *id)
}

/// Joins the licence classifiers in `classifiers` (with their line indexes) with `OR`.
fn from_classifiers(classifiers: &[(usize, String)]) -> Option<(usize, String)> {
    let mut ids: Vec<&str> = Vec::new();
    let mut first_line = None;
    for (line, c) in classifiers {
        if let Some(id) = classifier_license(c) {
            first_line.get_or_insert(*line);
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
    }
    Some((first_line?, ids.join(" OR ")))
}

/// A free-text `License` value short and simple enough to be a licence name.
fn usable_free_text(value: &str) -> bool {
    let value = value.trim();
    !value.is_empty()
        && value.len() <= 80
        && !value.contains('\n')
        && !value.eq_ignore_ascii_case("unknown")
        && !value.eq_ignore_ascii_case("none")
}

/// `*.dist-info/METADATA` (or `PKG-INFO`): the installed package's licence.
pub fn python_metadata(text: &str) -> Vec<Declaration> {
    let mut name = None;
    let mut version = None;
    let mut expression = None;
    let mut free_text = None;
    let mut classifiers = Vec::new();
    for (index, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            break; // the body (description) follows the headers
        }
        let Some((key, value)) = line.split_once(':') else {
            continue;
        };
        let value = value.trim().to_string();
        match key.trim().to_ascii_lowercase().as_str() {
            "name" => name = Some(value),
            "version" => version = Some(value),
            "license-expression" => expression = Some((index, value)),
            "license" => free_text = Some((index, value)),
            "classifier" if value.starts_with("License ::") => classifiers.push((index, value)),
            _ => {}
        }
    }
    let chosen = expression
        .or_else(|| from_classifiers(&classifiers))
        .or_else(|| free_text.filter(|(_, v)| usable_free_text(v)));
    let Some((line_index, license)) = chosen else {
        return Vec::new();
    };
    vec![Declaration {
        package: Some(Package {
            name: name.unwrap_or_else(|| "(unnamed)".into()),
            version,
        }),
        license,
        line_index,
    }]
}

/// `pyproject.toml`: the project's licence from `[project]` (`license` as an SPDX string or
/// `{text = …}`, or licence classifiers) or `[tool.poetry]`.
pub fn pyproject(text: &str) -> Result<Vec<Declaration>, MetadataError> {
    let root: toml::Table = toml::from_str(text).map_err(|e| MetadataError {
        line: e
            .span()
            .map(|s| text[..s.start.min(text.len())].matches('\n').count() as u32 + 1),
        message: format!("not valid TOML: {}", e.message()),
    })?;
    let project = root.get("project");
    let poetry = root.get("tool").and_then(|t| t.get("poetry"));
    let license = project
        .and_then(|p| p.get("license"))
        .or_else(|| poetry.and_then(|p| p.get("license")));
    let declared = match license {
        Some(toml::Value::String(s)) => Some(s.clone()),
        Some(toml::Value::Table(t)) => t
            .get("text")
            .and_then(toml::Value::as_str)
            .filter(|v| usable_free_text(v))
            .map(str::to_string),
        _ => None,
    };
    if let Some(license) = declared {
        return Ok(vec![Declaration {
            package: None,
            line_index: line_of(text, "license", 0),
            license,
        }]);
    }
    let classifiers: Vec<(usize, String)> = project
        .and_then(|p| p.get("classifiers"))
        .and_then(toml::Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(toml::Value::as_str)
        .map(|c| (line_of(text, c, 0), c.to_string()))
        .collect();
    Ok(from_classifiers(&classifiers)
        .map(|(line_index, license)| Declaration {
            package: None,
            license,
            line_index,
        })
        .into_iter()
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lockfile_packages_carry_name_version_and_line() {
        let text = "{\n \"packages\": {\n  \"\": {\"license\": \"MIT\"},\n  \"node_modules/a/node_modules/@s/b\": {\n   \"version\": \"1.0.0\",\n   \"license\": \"GPL-3.0\"\n  }\n }\n}";
        let found = package_lock(text).unwrap();
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].package.as_ref().unwrap().name, "@s/b");
        assert_eq!(found[0].license, "GPL-3.0");
        assert_eq!(found[0].line_index, 5);
    }

    #[test]
    fn legacy_license_shapes_are_read() {
        let obj: Value = serde_json::from_str(r#"{"license": {"type": "MIT"}}"#).unwrap();
        assert_eq!(package_json_license(&obj).as_deref(), Some("MIT"));
        let list: Value =
            serde_json::from_str(r#"{"licenses": [{"type": "MIT"}, {"type": "GPL-2.0"}]}"#)
                .unwrap();
        assert_eq!(
            package_json_license(&list).as_deref(),
            Some("MIT OR GPL-2.0")
        );
    }

    #[test]
    fn python_metadata_prefers_the_expression_then_classifiers_then_free_text() {
        let with_all = "Name: x\nVersion: 1\nLicense: BSD\nLicense-Expression: MIT\nClassifier: License :: OSI Approved :: GNU General Public License v3 (GPLv3)\n\nbody\n";
        assert_eq!(python_metadata(with_all)[0].license, "MIT");
        let classifiers = "Name: x\nClassifier: License :: OSI Approved :: MIT License\nClassifier: License :: OSI Approved :: GNU General Public License v2 (GPLv2)\n\n";
        assert_eq!(
            python_metadata(classifiers)[0].license,
            "MIT OR GPL-2.0-only"
        );
        let long_text = format!("Name: x\nLicense: {}\n\n", "x".repeat(200));
        assert!(python_metadata(&long_text).is_empty());
        assert!(python_metadata("Name: x\n\nLicense: GPL\n").is_empty());
    }

    #[test]
    fn malformed_manifests_report_their_line() {
        let err = package_json("package.json", "{\n\"license\": \n}").unwrap_err();
        assert_eq!(err.line, Some(3));
        let err = pyproject("[project]\nlicense = \n").unwrap_err();
        assert_eq!(err.line, Some(2));
    }
}
